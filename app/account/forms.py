from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from app.services.text import strip_filter

PASSWORD_MIN = 10
PASSWORD_MAX = 128
NAME_MIN = 2
NAME_MAX = 60
EMAIL_MAX = 254


def _email_field(label=None):
    return EmailField(
        label or _l("E-Mail-Adresse"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse an.")),
            Length(max=EMAIL_MAX, message=_l("Die E-Mail-Adresse ist zu lang.")),
            Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org.")),
        ],
    )


def _new_password_field(label=None):
    return PasswordField(
        label or _l("Passwort"),
        validators=[
            DataRequired(_l("Bitte wählen Sie ein Passwort.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l(
                    "Das Passwort muss zwischen %(min)d und %(max)d Zeichen lang sein.",
                    min=PASSWORD_MIN,
                    max=PASSWORD_MAX,
                ),
            ),
        ],
    )


def _display_name_field():
    return StringField(
        _l("Anzeigename"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Bitte geben Sie einen Anzeigenamen an.")),
            Length(
                min=NAME_MIN,
                max=NAME_MAX,
                message=_l(
                    "Der Anzeigename muss zwischen %(min)d und %(max)d Zeichen lang sein.",
                    min=NAME_MIN,
                    max=NAME_MAX,
                ),
            ),
        ],
    )


def _current_password_field():
    return PasswordField(
        _l("Aktuelles Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie Ihr aktuelles Passwort ein."))],
    )


class RegisterForm(FlaskForm):
    email = _email_field()
    display_name = _display_name_field()
    password = _new_password_field()


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Passwort"), validators=[DataRequired(_l("Bitte geben Sie Ihr Passwort ein."))]
    )
    remember = BooleanField(_l("Angemeldet bleiben"))


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("Neues Passwort"))


class ProfileForm(FlaskForm):
    display_name = _display_name_field()


class PasswordForm(FlaskForm):
    current_password = _current_password_field()
    new_password = _new_password_field(_l("Neues Passwort"))


class EmailForm(FlaskForm):
    email = _email_field(_l("Neue E-Mail-Adresse"))
    current_password = _current_password_field()


class DeleteAccountForm(FlaskForm):
    current_password = _current_password_field()
    understood = BooleanField(
        _l("Ich möchte mein Konto endgültig löschen."),
        validators=[DataRequired(_l("Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten."))],
    )


class ResendConfirmationForm(FlaskForm):
    pass
