"""The HTML forms: planning a system and uploading a draft portfolio (CSRF-protected)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, StopValidation, ValidationError

from practicebank.catalog import limits
from practicebank.catalog.taxonomy import INDUSTRIES
from practicebank.web import i18n

UPLOAD_FORMATS = ("json", "jsonl", "csv", "xlsx")


def _at_most_functions(form, field) -> None:
    """A plan of at most MAX_PLAN_FEATURES functions (one a line), each a phrase: the engine's cost."""
    lines = [line for line in (field.data or "").splitlines() if line.strip(" -•\t;")]
    if len(lines) > limits.MAX_PLAN_FEATURES:
        raise ValidationError(_l("List at most %(most)s functions, not %(count)s: keep the ones that matter, "
                                 "or check a whole portfolio on the draft portfolio page.",
                                 most=limits.MAX_PLAN_FEATURES, count=len(lines)))
    if any(len(line) > limits.MAX_FEATURE_CHARS for line in lines):
        raise ValidationError(_l("A function may be at most %(most)s characters: one phrase or sentence a line.",
                                 most=limits.MAX_FEATURE_CHARS))


def _finite_budget(form, field) -> None:
    if field.data is not None and not field.data.is_finite():  # Decimal("NaN") cannot even be compared
        raise StopValidation(_l("Give the budget as a number of thousand rubles."))


_TOO_LONG = _l("At most %(max)d characters.")


class PlanForm(FlaskForm):
    title = StringField(_l("What are you planning to build?"),
                        validators=[Length(max=limits.MAX_PLAN_TITLE_CHARS, message=_TOO_LONG)])
    description = TextAreaField(_l("Description"),
                                validators=[Length(max=limits.MAX_PLAN_TEXT_CHARS, message=_TOO_LONG)])
    features = TextAreaField(_l("Functions, one per line"), validators=[
        Length(max=limits.MAX_PLAN_FEATURES * limits.MAX_FEATURE_CHARS, message=_TOO_LONG), _at_most_functions])
    region = SelectField(_l("Region"), validators=[Optional()])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    budget = DecimalField(_l("Budget, thousand rubles"), validators=[
        Optional(), _finite_budget,
        NumberRange(min=0, max=limits.MAX_MONEY,
                    message=_l("From 0 to %(max)s thousand rubles (one trillion rubles).", max="1 000 000 000"))])

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
    file = FileField(_l("Draft portfolio file (.xlsx or .csv as in the strategy appendix; or .json, .jsonl)"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(UPLOAD_FORMATS, _l("Upload a .json, .jsonl, .csv or .xlsx file.")),
    ])
    # the region of every project without its own (else read from the file's title)
    region = SelectField(_l("Region"), validators=[Optional()], validate_choice=False)
    progress = HiddenField()  # "1" when the page's script shows a progress bar (web/static/js/check_plan.js)

    def fill_choices(self, regions: list[dict]) -> "CheckPlanForm":
        self.region.choices = [("", _l("— from the file (its title or a region column) —"))] + sorted(
            ((r["code"], i18n.region_name(r)) for r in regions), key=lambda c: c[1])
        return self
