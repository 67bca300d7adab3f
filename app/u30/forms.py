from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from app.services.text import plain_filter
from app.services.u30 import BODY_MAX


class StatementForm(FlaskForm):
    body = TextAreaField(
        _l("Stellungnahme des U30-Beirats"),
        filters=[plain_filter],
        validators=[
            DataRequired(_l("Bitte schreiben Sie eine Stellungnahme.")),
            Length(
                max=BODY_MAX,
                message=_l(
                    "Die Stellungnahme darf höchstens %(max)d Zeichen lang sein.", max=BODY_MAX
                ),
            ),
        ],
        render_kw={"maxlength": BODY_MAX, "rows": 12},
        id="u30-stellungnahme-text",
    )


class EndorsementForm(FlaskForm):
    """`action=endorse` (mittragen) or `action=withdraw` (nicht mehr mittragen)."""

    action = HiddenField(validators=[AnyOf(["endorse", "withdraw"])])
