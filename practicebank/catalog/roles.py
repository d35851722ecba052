"""The roles a principal can have, with their English and Russian labels: the one definition.

``Role`` is a ``StrEnum``: a member *is* its stored string, so the database column, the JSON API,
the CLI and templates keep the plain values ("regional_editor", ...) and a role read back from
the database compares equal to its member. What each role may do is not here but in
``catalog.workflow.POLICY`` (records) and on each view (``web.auth`` decorators).
"""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who acts; ``labels`` is the (English, Russian) pair shown on pages."""

    labels: tuple[str, str]

    def __new__(cls, value: str, english: str, russian: str) -> "Role":
        member = str.__new__(cls, value)
        member._value_ = value
        member.labels = (english, russian)
        return member

    ANONYMOUS = "anonymous", "Anonymous visitor", "Анонимный посетитель"
    EDITOR = "regional_editor", "Regional editor", "Региональный редактор"
    CURATOR = "federal_curator", "Federal curator", "Федеральный куратор"
    ADMIN = "admin", "Administrator", "Администратор"

    def label(self, lang: str) -> str:
        return self.labels[1] if lang == "ru" else self.labels[0]


# The roles a user account can hold (anonymous is the absence of an account), in the order
# forms list them; the users table's CHECK constraint is built from it.
ACCOUNT_ROLES: tuple[Role, ...] = (Role.EDITOR, Role.CURATOR, Role.ADMIN)

# role code -> (English, Russian) label, for pages that look up a stored role string.
LABELS: dict[str, tuple[str, str]] = {role.value: role.labels for role in Role}
