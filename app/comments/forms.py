from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.services.comments import BODY_MAX, REASON_MAX
from app.services.text import plain_filter


def _body_field():
    return TextAreaField(
        _l("Ihr Kommentar"),
        filters=[plain_filter],
        validators=[
            DataRequired(_l("Bitte schreiben Sie einen Kommentar.")),
            Length(
                max=BODY_MAX,
                message=_l("Ein Kommentar darf höchstens %(max)d Zeichen lang sein.", max=BODY_MAX),
            ),
        ],
        render_kw={"maxlength": BODY_MAX, "rows": 5},
        # The id the discussion's own form uses, so that error summaries link to it.
        id="kommentar-text",
    )


class CommentForm(FlaskForm):
    body = _body_field()
    parent_id = IntegerField(
        widget=HiddenInput(),
        validators=[Optional()],
    )


class CommentEditForm(FlaskForm):
    body = _body_field()


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("Grund der Meldung"),
        filters=[plain_filter],
        validators=[
            DataRequired(_l("Bitte nennen Sie einen Grund für die Meldung.")),
            Length(
                max=REASON_MAX,
                message=_l("Der Grund darf höchstens %(max)d Zeichen lang sein.", max=REASON_MAX),
            ),
        ],
        render_kw={"maxlength": REASON_MAX, "rows": 5},
    )


class DeleteCommentForm(FlaskForm):
    """Only the CSRF token: the address names the comment."""
