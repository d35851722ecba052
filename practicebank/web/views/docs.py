"""/api/docs: the OpenAPI document as a server-rendered page (no external assets)."""
from __future__ import annotations

import re

from flask import Blueprint, render_template
from flask_babel import gettext
from markupsafe import Markup
from flask_babel import lazy_gettext as _l

from practicebank.web.api.openapi import document
from practicebank.web.auth import public

bp = Blueprint("docs", __name__)


_CODE = re.compile(r"([A-Za-z][A-Za-z0-9_]*)")
_FILTER = re.compile(r"filter by (\w+); repeat or separate values by commas$")
_WHERE = {"query": _l("query string"), "path": _l("path"), "header": _l("header")}


@bp.app_template_filter("api_text")
def api_text(text: str | None) -> str:
    """A sentence of the OpenAPI document (English, for programs) in the page's language.

    The document itself stays English; the page translates what it shows, phrase by phrase,
    and shows a phrase it has no translation for as it is.
    """
    if not text:
        return ""
    if text in _WHERE:
        return str(_WHERE[text])
    match = _FILTER.match(text)
    translated = (gettext("filter by %(facet)s; repeat the parameter or separate values by commas", facet=match[1])
                  if match else gettext(text))
    if translated == text:
        return translated
    # In a translation, the Latin words left are the API's own codes (parameter names, values,
    # schema names): shown as code, as the English page shows them in its sentences.
    return Markup("").join(Markup("<code>%s</code>") % part if _CODE.fullmatch(part) and not part.isupper() else part
                           for part in _CODE.split(translated))


@bp.get("/api/docs")
@public
def api_docs():
    return render_template("api_docs.html", doc=document())
