"""Forms of the board's decisions and meetings. They check shape; services/decisions.py
checks the rules (which outcome an idea allows, the date range, a free rank)."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, Optional, StopValidation, ValidationError

from app.models.board import DecisionOutcome
from app.services.decisions import NOTE_MAX, OUTCOME_LABELS, TITLE_MAX
from app.services.text import newline_filter, strip_filter

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_date(text: str | None) -> date | None:
    """A date as the date input sends it (2026-03-05) or as people type it (5.3.2026)."""
    text = (text or "").strip()
    match = _GERMAN_DATE.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


class _IsDate:
    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(_l("Bitte geben Sie das Datum der Sitzung an."))
        if parse_date(field.data) is None:
            raise StopValidation(_l("Bitte geben Sie ein gültiges Datum an, z. B. 05.03.2026."))


def _date_field(label):
    # Text with type="date" in the page: an unreadable value keeps what was typed and gets
    # a German message (WTForms' DateField would answer in English).
    return StringField(label, filters=[strip_filter], validators=[_IsDate()])


class _Offered:
    """Only an outcome the view offered for this idea's status."""

    def __call__(self, form, field):
        offered = {SelectChoice.from_input(choice).value for choice in field.choices or ()}
        if not field.data or field.data not in offered:
            raise StopValidation(_l("Bitte wählen Sie eine der angebotenen Entscheidungen."))


class DecisionForm(FlaskForm):
    # The view offers the outcomes that the idea's status allows.
    outcome = RadioField(_l("Entscheidung"), validate_choice=False, validators=[_Offered()])
    meeting_date = _date_field(_l("Datum der Sitzung"))
    board_rank = StringField(
        _l("Rang auf der Prioritätenliste"),
        filters=[strip_filter],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 3},
    )
    note = TextAreaField(
        _l("Begründung oder Anmerkung (öffentlich)"),
        filters=[newline_filter, strip_filter],
        validators=[
            Length(
                max=NOTE_MAX,
                message=_l("Die Anmerkung darf höchstens %(max)d Zeichen lang sein.", max=NOTE_MAX),
            )
        ],
        render_kw={"rows": 6, "maxlength": NOTE_MAX},
    )

    def validate_board_rank(self, field):
        if self.outcome.data != DecisionOutcome.PRIORITISED.value:
            return
        if not field.data:
            raise ValidationError(
                _l("Bitte geben Sie den Rang auf der Prioritätenliste an (1 bis 999).")
            )
        if not re.fullmatch(r"[0-9]{1,3}", field.data) or not 1 <= int(field.data) <= 999:
            raise ValidationError(_l("Der Rang muss eine ganze Zahl von 1 bis 999 sein."))

    def rank_value(self) -> int | None:
        return int(self.board_rank.data) if self.board_rank.data else None

    @staticmethod
    def choices_for(outcomes: list[DecisionOutcome]) -> list[SelectChoice]:
        return [SelectChoice(outcome.value, OUTCOME_LABELS[outcome]) for outcome in outcomes]


class MeetingForm(FlaskForm):
    held_on = _date_field(_l("Datum der Sitzung"))
    title = StringField(
        _l("Titel (freiwillig)"),
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(
                max=TITLE_MAX,
                message=_l("Der Titel darf höchstens %(max)d Zeichen lang sein.", max=TITLE_MAX),
            ),
        ],
        render_kw={"maxlength": TITLE_MAX},
    )


class AgendaAddForm(FlaskForm):
    # Checkboxes of the ideas the view offers; the service checks each id again.
    ideas = SelectMultipleField(_l("Ideen für die Tagesordnung"), validate_choice=False)

    def validate_ideas(self, field):
        if not field.data:
            raise ValidationError(_l("Bitte wählen Sie mindestens eine Idee aus."))
        if not all(re.fullmatch(r"[0-9]{1,12}", value or "") for value in field.data):
            raise ValidationError(_l("Bitte wählen Sie nur Ideen aus der Liste."))

    def idea_ids(self) -> list[int]:
        return [int(value) for value in self.ideas.data]


class MoveForm(FlaskForm):
    direction = StringField(validators=[AnyOf(["up", "down"])])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the address names what is acted upon."""
