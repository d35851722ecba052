"""The project's domain errors: refusals safe to show to a user, each with its HTTP status.

Every layer raises them (catalog, matcher, services); one handler per front end turns them into
an answer: web/views/errors.py into the API's JSON error shape or a page, the CLI's root group
into a message (or the same JSON under ``--json``). Nothing here imports anything of the project.

The domain knows no Flask and no request, so a refusal keeps its message as a template with
named parameters::

    raise InvalidTransition(gettext_noop("cannot %(action)s a record that is %(state)s"),
                            action="approve", state="draft")

``str(error)`` is the English text (``template % params``): the CLI, the logs and the JSON API
show it. A web page translates ``error.template`` and fills in ``error.params`` in the page's
language (``refusal_text`` in web/messages.py). ``gettext_noop`` marks the templates for
``pybabel extract`` (the command is at the top of web/babel.cfg).

Errors that already hold formatted English (``ApiError``, ``FileError``, ``QueryError``) pass it
as a template without parameters; a page renders their ``code``/``params`` or ``details``.
"""
from __future__ import annotations

from typing import Sequence


def gettext_noop(message: str) -> str:
    """Mark a message template for translation; returns it unchanged (translated later, per page)."""
    return message


class Refusal(Exception):
    """An error whose message is ``template % params``; both are kept for translation.

    ``status`` is the HTTP status a front end answers with (400 unless a subclass says
    otherwise); ``to_dict()`` is the API's error shape.
    """

    status = 400
    # item-level messages (a record's field errors, say): none unless a subclass sets them
    errors: Sequence[object] = ()

    def __init__(self, template: str, /, **params: object):
        self.template = template
        self.params = params
        # no params: the template is the text as it is (a bare id, say, may hold a "%")
        super().__init__(template % params if params else template)

    def to_dict(self) -> dict:
        """The one JSON error shape of the API and of the CLI under ``--json``; an item with a
        ``to_dict()`` of its own (a record's error) is given as that."""
        items = [item.to_dict() if hasattr(item, "to_dict") else item for item in self.errors]
        return {"ok": False, "error": str(self), "errors": items, "status": self.status}


class InvalidValue(Refusal, ValueError):
    """A value a validator refuses, with a ``code`` for clients and pages.

    A ValueError, so pydantic validators may raise it; ``str(error)`` is the English text and
    ``code`` with ``params`` let a page say it in its own language (web/messages.py).
    """

    def __init__(self, code: str, template: str, /, **params: object):
        self.code = code
        super().__init__(template, **params)


class IndexNotBuilt(Refusal):
    """No usable index: the operator should run `practicebank index`."""

    status = 503

    def __init__(self, template: str = gettext_noop("the index is not built yet: run `practicebank index`"),
                 /, **params: object):
        super().__init__(template, **params)


class NotFound(Refusal):
    """No such thing, or one the asker may not see (both look the same from outside)."""

    status = 404


class UnknownIds(NotFound):
    """Record ids that are not in the index (or are withheld from it): ``ids`` lists them,
    and they are the error's items (``errors``), so a client need not parse the message."""

    def __init__(self, ids: list[str] | tuple[str, ...]):
        self.ids = list(ids)
        self.errors = tuple(self.ids)
        super().__init__(gettext_noop("not in the catalog: %(ids)s"), ids=", ".join(self.ids))


class Forbidden(Refusal):
    """The asker may see the thing but not do that to it."""

    status = 403


class Conflict(Refusal):
    """Not possible in the thing's current state (a record already approved, an id taken)."""

    status = 409


class TooLarge(Refusal):
    """An upload or a body over a limit; the message names the limit."""

    status = 413
