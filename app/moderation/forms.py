"""Forms of content moderation. They check shape; services.moderation checks the rules."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

from app.services.moderation import REASON_MAX
from app.services.text import plain_filter

NOTE_HINT = _l("Höchstens 1 000 Zeichen.")


def _length():
    return Length(
        max=REASON_MAX,
        message=_l("Der Text darf höchstens %(max)d Zeichen lang sein.", max=REASON_MAX),
    )


class _Next:
    # Where to go back to (the workspace, the idea page); checked with security.safe_next.
    next = HiddenField()


class HideForm(_Next, FlaskForm):
    """A reason is required: a template, free text, or both."""

    # The view fills in the templates; an unknown id gets its own message.
    template = SelectField(_l("Vorlage"), validate_choice=False, default="")
    _templates: dict = {}  # replaced per form by set_templates
    text = TextAreaField(
        _l("Eigener Grund oder Ergänzung"),
        filters=[plain_filter],
        validators=[_length()],
        render_kw={"maxlength": REASON_MAX, "rows": 5},
    )

    def set_templates(self, templates) -> None:
        self.template.choices = [SelectChoice("", _l("Keine Vorlage"))] + [
            SelectChoice(str(item.id), item.label) for item in templates
        ]
        self._templates = {str(item.id): item for item in templates}

    @property
    def chosen_template(self):
        return self._templates.get(self.template.data or "")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.template.data and self.template.data not in self._templates:
            self.template.errors.append(
                _l("Diese Vorlage gibt es nicht (mehr). Bitte wählen Sie eine andere.")
            )
            return False
        if valid and not self.template.data and not self.text.data:
            self.text.errors.append(
                _l("Bitte wählen Sie eine Vorlage oder schreiben Sie einen Grund (oder beides).")
            )
            return False
        return valid


class NoteForm(_Next, FlaskForm):
    """Restoring and dismissing: an optional note for the log and the author."""

    note = TextAreaField(
        _l("Anmerkung (freiwillig)"),
        filters=[plain_filter],
        validators=[_length()],
        render_kw={"maxlength": REASON_MAX, "rows": 3},
    )


DURATIONS = [
    SelectChoice("1", _l("1 Tag")),
    SelectChoice("7", _l("1 Woche")),
    SelectChoice("30", _l("30 Tage")),
    SelectChoice("90", _l("90 Tage")),
    SelectChoice("365", _l("1 Jahr")),
    SelectChoice("date", _l("bis zu einem Datum (unten wählen)")),
]


class BlockForm(FlaskForm):
    duration = SelectField(
        _l("Dauer der Sperre"),
        choices=DURATIONS,
        default="7",
        validate_choice=False,
        validators=[
            AnyOf(
                [choice.value for choice in DURATIONS],
                message=_l("Bitte wählen Sie eine Dauer aus der Liste."),
            )
        ],
    )
    # A text field of type date: the browser offers a calendar, the format is ISO.
    last_day = StringField(_l("Letzter Tag der Sperre"), filters=[plain_filter])
    reason = TextAreaField(
        _l("Grund der Sperre"),
        filters=[plain_filter],
        validators=[DataRequired(_l("Bitte geben Sie einen Grund für die Sperre an.")), _length()],
        render_kw={"maxlength": REASON_MAX, "rows": 4},
    )

    @property
    def days(self) -> int | None:
        return None if self.duration.data == "date" else int(self.duration.data)

    @property
    def last_day_date(self) -> date | None:
        try:
            return date.fromisoformat(self.last_day.data or "")
        except ValueError:
            return None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.duration.data == "date":
            if not self.last_day.data:
                self.last_day.errors.append(_l("Bitte wählen Sie den letzten Tag der Sperre."))
                return False
            if self.last_day_date is None:
                self.last_day.errors.append(
                    _l("Bitte geben Sie das Datum im Format JJJJ-MM-TT an, z. B. 2025-03-31.")
                )
                return False
        return valid


class LiftBlockForm(NoteForm):
    pass


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the address names what is acted upon."""
