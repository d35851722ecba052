"""Refusals from catalog/ (workflow, replication, accounts) in the page's language.

catalog/ raises them with an English template and named parameters (catalog.refusals); a page
translates the template and shows the parameters that are codes (a curation state, an action,
a role) by their labels. The JSON API and the CLI keep ``str(error)``: stable English.
"""
from __future__ import annotations

from flask_babel import gettext

from practicebank.catalog import accounts, replication, workflow
from practicebank.web import i18n


def _pick(labels: dict[str, tuple[str, str]], code: object) -> object:
    pair = labels.get(code) if isinstance(code, str) else None
    if pair is None:
        return code
    return pair[1] if i18n.lang() == "ru" else pair[0]


# parameter name -> how to show its value (catalog/ names the parameters after what they hold)
_LABELS = {
    "state": lambda code: i18n.label("curation_state", code),
    "action": lambda code: _pick(workflow.ACTION_LABELS, code),
    "request_action": lambda code: _pick(replication.ACTION_LABELS, code),
    "status": lambda code: _pick(replication.STATUS_LABELS, code),
    "role": lambda code: _pick(accounts.ROLES, code),
}


def refusal_text(error: Exception) -> str:
    """``error``'s message for a page: translated, codes shown by their labels.

    An error without a template, or one whose template has no translation yet, is shown as
    ``str(error)``: all English rather than English words around Russian labels.
    """
    template = getattr(error, "template", None)
    if not isinstance(template, str):
        return str(error)
    translated = gettext(template)  # no variables: gettext returns the text unformatted
    if translated == template:
        return str(error)
    params = getattr(error, "params", None) or {}
    if not params:
        return translated
    shown = {name: _LABELS[name](value) if name in _LABELS else value for name, value in params.items()}
    try:
        return translated % shown
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder: English, never a 500
        return str(error)
