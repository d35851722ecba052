"""The HTML forms: planning a system and uploading a draft portfolio (CSRF-protected)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from catalog.taxonomy import INDUSTRIES
from web import i18n

UPLOAD_FORMATS = ("json", "jsonl", "csv", "xlsx")


class PlanForm(FlaskForm):
    title = StringField(_l("What are you planning to build?"), validators=[Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Length(max=20_000)])
    features = TextAreaField(_l("Functions, one per line"), validators=[Length(max=20_000)])
    region = SelectField(_l("Region"), validators=[Optional()])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    budget = DecimalField(_l("Budget, thousand rubles"), validators=[Optional(), NumberRange(min=0)])

    def fill_choices(self, regions: list[dict]) -> "PlanForm":
        self.region.choices = [("", _l("— any region —"))] + sorted(
            ((r["code"], i18n.region_name(r)) for r in regions), key=lambda c: c[1])
        self.industry.choices = [("", _l("— any industry —"))] + [
            (code, i18n.label("industry", code)) for code in INDUSTRIES]
        return self

    def planned(self) -> dict:
        """The fields as the JSON a client would send to POST /api/v1/recommend."""
        return {"title": self.title.data or "", "description": self.description.data or "",
                "features": self.features.data or "", "region": self.region.data or None,
                "industries": [self.industry.data] if self.industry.data else [],
                "budget": float(self.budget.data) if self.budget.data is not None else None}


class CheckPlanForm(FlaskForm):
    file = FileField(_l("Draft portfolio file (.json, .jsonl, .csv or .xlsx)"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(UPLOAD_FORMATS, _l("Upload a .json, .jsonl, .csv or .xlsx file.")),
    ])
