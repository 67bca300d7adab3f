from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.models import EmailMode

MODE_CHOICES = [
    SelectChoice(EmailMode.INSTANT.value, _l("sofort")),
    SelectChoice(EmailMode.DAILY.value, _l("einmal täglich als Zusammenfassung")),
    SelectChoice(EmailMode.NEVER.value, _l("nie")),
]


class FollowForm(FlaskForm):
    """Follow or unfollow; `next` brings the visitor back to the page they came from."""

    next = HiddenField()


class MarkReadForm(FlaskForm):
    """Only the CSRF token."""


def _mode_field(label):
    return RadioField(
        label,
        choices=MODE_CHOICES,
        validators=[InputRequired(_l("Bitte wählen Sie, wie oft wir Ihnen schreiben."))],
    )


class EmailSettingsForm(FlaskForm):
    comments = _mode_field(_l("Neue Kommentare und Antworten"))
    status = _mode_field(_l("Statusänderungen von Ideen"))
    new_ideas = _mode_field(_l("Neue Ideen in Themengruppen, denen Sie folgen"))
