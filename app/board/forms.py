"""The board table's filter form (a GET form: no CSRF token; values are in the URL)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField


class BoardFilterForm(FlaskForm):
    """Group and status filters; the current sort rides along in hidden fields.

    The view checks every value itself and ignores what it does not know (an old
    bookmark or a hand-made link shows the whole table rather than an error).
    """

    class Meta:
        csrf = False

    group = SelectField(_l("Themengruppe"), default="")
    status = SelectField(_l("Status"), default="")
    sort = HiddenField(default="")
    dir = HiddenField(default="")
