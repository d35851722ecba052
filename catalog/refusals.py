"""Refusals safe to show to a user: English here, translated by the web layer.

catalog/ knows no Flask and no request, so a refusal keeps its message as a template with
named parameters::

    raise InvalidTransition(gettext_noop("cannot %(action)s a record that is %(state)s"),
                            action="approve", state="draft")

``str(error)`` is the English text (``template % params``): the CLI, the logs and the JSON API
show it. A web page translates ``error.template`` and fills in ``error.params`` in the page's
language (web/refusals.py). ``gettext_noop`` marks the templates for ``pybabel extract``
(the command is at the top of web/babel.cfg).
"""
from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark a message template for translation; returns it unchanged (translated later, per page)."""
    return message


class Refusal(Exception):
    """An error whose message is ``template % params``; both are kept for translation."""

    def __init__(self, template: str, /, **params: object):
        self.template = template
        self.params = params
        # no params: the template is the text as it is (a bare id, say, may hold a "%")
        super().__init__(template % params if params else template)


class InvalidValue(Refusal, ValueError):
    """A value a validator refuses, with a ``code`` for clients and pages.

    A ValueError, so pydantic validators may raise it; ``str(error)`` is the English text and
    ``code`` with ``params`` let a page say it in its own language (web/messages.py).
    """

    def __init__(self, code: str, template: str, /, **params: object):
        self.code = code
        super().__init__(template, **params)
