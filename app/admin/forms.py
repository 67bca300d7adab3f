"""Forms of the admin area. They check shape; the services check the rules."""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField, TextAreaField, ValidationError
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional, Regexp

from app.services.groups import SLUG_PATTERN, slugify
from app.services.text import newline_filter, strip_filter

GROUP_NAME_MAX = 100  # ThematicGroup.name
GROUP_SLUG_MAX = 60  # ThematicGroup.slug
GROUP_DESCRIPTION_MAX = 2000
EMAIL_MAX = 254  # User.email
SITE_TEXT_MAX = 50_000


def _group_name_field():
    return StringField(
        _l("Name"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Bitte geben Sie einen Namen an.")),
            Length(
                max=GROUP_NAME_MAX,
                message=_l(
                    "Der Name darf höchstens %(max)d Zeichen lang sein.", max=GROUP_NAME_MAX
                ),
            ),
        ],
    )


def _group_description_field():
    return TextAreaField(
        _l("Beschreibung"),
        default="",
        filters=[strip_filter, newline_filter],
        render_kw={"rows": 4},
        validators=[
            Length(
                max=GROUP_DESCRIPTION_MAX,
                message=_l(
                    "Die Beschreibung darf höchstens %(max)d Zeichen lang sein.",
                    max=GROUP_DESCRIPTION_MAX,
                ),
            )
        ],
    )


def _lead_field(label):
    return EmailField(
        label,
        default="",
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(max=EMAIL_MAX, message=_l("Die E-Mail-Adresse ist zu lang.")),
            Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org.")),
        ],
    )


class GroupCreateForm(FlaskForm):
    name = _group_name_field()
    slug = StringField(
        _l("Kurzform für die Adresse"),
        default="",
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(
                max=GROUP_SLUG_MAX,
                message=_l(
                    "Die Kurzform darf höchstens %(max)d Zeichen lang sein.", max=GROUP_SLUG_MAX
                ),
            ),
            Regexp(
                SLUG_PATTERN,
                message=_l(
                    "Die Kurzform darf nur Kleinbuchstaben, Ziffern und einzelne Bindestriche "
                    "enthalten, z. B. digitale-schule."
                ),
            ),
        ],
    )
    description = _group_description_field()

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.slug.data and not slugify(self.name.data):
            self.slug.errors.append(
                _l("Aus diesem Namen lässt sich keine Kurzform bilden. Bitte geben Sie eine an.")
            )
            return False
        return True


class GroupEditForm(FlaskForm):
    name = _group_name_field()
    description = _group_description_field()
    lead_administration = _lead_field(_l("Leitung aus der Stadtverwaltung (E-Mail-Adresse)"))
    lead_civic = _lead_field(_l("Leitung aus der Stadtgesellschaft (E-Mail-Adresse)"))
    premoderation = BooleanField(_l("Erste Ideen neuer Autorinnen und Autoren vorab prüfen"))


class GroupMoveForm(FlaskForm):
    # Sent by the pressed button (name="direction" value="up"), never typed in.
    direction = StringField(validators=[AnyOf(["up", "down"])])


class GroupArchiveForm(FlaskForm):
    archived = StringField(validators=[AnyOf(["1", "0"])])


class UserRolesForm(FlaskForm):
    board = BooleanField(_l("Lenkungsgremium"))
    u30 = BooleanField(_l("U30-Beirat"))
    admin = BooleanField(_l("Administration"))


# The steering board's Gesamtwertung (services.board): one weight per signal, 0 to 10.

WEIGHT_PATTERN = r"^\d{1,2}([.,]\d{1,2})?$"


def _weight_at_most_ten(form, field) -> None:
    # Only a well-formed number is compared; the pattern's own message covers the rest.
    well_formed = bool(field.data and re.match(WEIGHT_PATTERN, field.data))
    if well_formed and Decimal(field.data.replace(",", ".")) > 10:
        raise ValidationError(_l("Das Gewicht darf höchstens 10 sein."))


def _weight_field(label):
    return StringField(
        label,
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Bitte geben Sie ein Gewicht von 0 bis 10 an.")),
            Regexp(
                WEIGHT_PATTERN,
                message=_l(
                    "Bitte geben Sie eine Zahl von 0 bis 10 an, mit höchstens zwei "
                    "Nachkommastellen, z. B. 2 oder 1,5."
                ),
            ),
            _weight_at_most_ten,
        ],
        render_kw={"inputmode": "decimal", "maxlength": 5, "size": 5},
    )


class BoardWeightsForm(FlaskForm):
    votes = _weight_field(_l("Zustimmung (Stimmen dafür und dagegen)"))
    benefit = _weight_field(_l("Nutzen (Einschätzungen)"))
    feasibility = _weight_field(_l("Umsetzbarkeit (Einschätzungen)"))
    u30 = _weight_field(_l("U30-Zustimmung (Stimmen des U30-Beirats)"))
    discussion = _weight_field(_l("Diskussion (Kommentare)"))

    def weights(self, names) -> dict[str, Decimal]:
        """The validated weights as decimals, by name."""
        return {name: Decimal(self[name].data.replace(",", ".")) for name in names}


class SiteTextForm(FlaskForm):
    body = TextAreaField(
        _l("Text (Markdown)"),
        filters=[newline_filter],
        render_kw={"rows": 24},
        validators=[
            DataRequired(_l("Bitte geben Sie einen Text ein.")),
            Length(
                max=SITE_TEXT_MAX,
                message=_l("Der Text darf höchstens %(max)s Zeichen lang sein.", max="50.000"),
            ),
        ],
    )


# Moderation: reason templates and the auto-hide threshold (services.moderation)

REASON_LABEL_MAX = 80  # ModerationReason.label
REASON_TEXT_MAX = 1000


class ReasonTemplateForm(FlaskForm):
    label = StringField(
        _l("Bezeichnung"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Bitte geben Sie eine Bezeichnung an.")),
            Length(
                max=REASON_LABEL_MAX,
                message=_l(
                    "Die Bezeichnung darf höchstens %(max)d Zeichen lang sein.",
                    max=REASON_LABEL_MAX,
                ),
            ),
        ],
        render_kw={"maxlength": REASON_LABEL_MAX},
    )
    text = TextAreaField(
        _l("Text für die Verfasserin oder den Verfasser"),
        default="",
        filters=[strip_filter, newline_filter],
        validators=[
            Length(
                max=REASON_TEXT_MAX,
                message=_l(
                    "Der Text darf höchstens %(max)d Zeichen lang sein.", max=REASON_TEXT_MAX
                ),
            )
        ],
        render_kw={"maxlength": REASON_TEXT_MAX, "rows": 3},
    )


class AutoHideForm(FlaskForm):
    # Text, not IntegerField: its message for "abc" would be WTForms' English one.
    threshold = StringField(
        _l("Automatisch ausblenden ab so vielen Meldungen verschiedener Personen"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Bitte geben Sie eine Zahl an.")),
            Regexp(r"^[0-9]{1,6}$", message=_l("Bitte geben Sie eine ganze Zahl an, z. B. 3.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class ReasonMoveForm(FlaskForm):
    direction = StringField(validators=[AnyOf(["up", "down"])])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the address names what is acted upon."""
