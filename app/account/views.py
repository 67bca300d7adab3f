import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.account.forms import (
    DeleteAccountForm,
    EmailForm,
    ForgotPasswordForm,
    LoginForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    ResendConfirmationForm,
    ResetPasswordForm,
)
from app.extensions import db, limiter
from app.permissions import can_manage_own_account, require
from app.security import safe_next
from app.services import DomainError, accounts
from app.services.tokens import InvalidToken, read_token

bp = Blueprint("account", __name__)


def _limit(key: str):
    """A rate limit on POSTs, its value read from the configuration at request time."""
    return limiter.limit(lambda: current_app.config[key], methods=["POST"])


@bp.route("/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        accounts.register(form.email.data, form.display_name.data, form.password.data)
        db.session.commit()
        # The same answer whether or not the address already had an account.
        return render_template("account/check_mail.html", email=form.email.data.strip())
    return render_template("account/register.html", form=form)


@bp.get("/confirm/<token>")
def confirm(token: str):
    # A GET, because it is opened from a mail; confirming twice changes nothing.
    try:
        user = read_token(token, "confirm", current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    except InvalidToken:
        return _invalid_link(_("Dieser Bestätigungslink ist ungültig oder abgelaufen."))
    accounts.confirm(user)
    db.session.commit()
    flash(_("Ihre E-Mail-Adresse ist bestätigt. Willkommen!"), "success")
    if current_user.is_authenticated:
        return redirect(url_for("account.settings"))
    return redirect(url_for("account.login"))


@bp.post("/confirm/resend")
@login_required
@_limit("RATELIMIT_PASSWORD_RESET")
def resend_confirmation():
    require(can_manage_own_account(current_user))
    if ResendConfirmationForm().validate_on_submit() and not current_user.is_confirmed:
        accounts.send_confirmation(current_user)
        db.session.commit()
        flash(_("Wir haben Ihnen den Bestätigungslink noch einmal geschickt."), "success")
    return redirect(url_for("account.settings"))


@bp.route("/login", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
def login():
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            # One message for an unknown address and a wrong password.
            form.password.errors.append(_("E-Mail-Adresse oder Passwort ist falsch."))
        else:
            locale = session.get("lang")
            session.clear()  # a new session on every login (no session fixation)
            if locale:
                session["lang"] = locale
            login_user(user, remember=form.remember.data)
            accounts.record_login(user)
            db.session.commit()
            flash(_("Sie sind angemeldet."), "success")
            return redirect(next_url or url_for("main.index"))
    return render_template("account/login.html", form=form, next_url=next_url)


@bp.post("/logout")
def logout():
    # CSRF-protected like every POST, so no other site can sign a visitor out.
    logout_user()
    locale = session.get("lang")
    session.clear()
    if locale:
        session["lang"] = locale
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("main.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("account/check_mail.html", email=form.email.data.strip(), reset=True)
    return render_template("account/forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def reset_password(token: str):
    try:
        user = read_token(token, "reset", current_app.config["RESET_TOKEN_MAX_AGE"])
    except InvalidToken:
        return _invalid_link(
            _("Dieser Link zum Zurücksetzen ist ungültig, abgelaufen oder wurde schon benutzt.")
        )
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data)
        accounts.confirm(user)  # the link proved that the address is theirs
        db.session.commit()
        flash(_("Ihr Passwort wurde geändert. Bitte melden Sie sich an."), "success")
        return redirect(url_for("account.login"))
    return render_template("account/reset_password.html", form=form)


@bp.get("/email/<token>")
def confirm_email(token: str):
    try:
        user = read_token(token, "email", current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    except InvalidToken:
        return _invalid_link(_("Dieser Bestätigungslink ist ungültig oder abgelaufen."))
    try:
        accounts.confirm_email_change(user)
    except DomainError as error:
        db.session.commit()
        return _invalid_link(str(error))
    db.session.commit()
    flash(_("Ihre neue E-Mail-Adresse ist bestätigt."), "success")
    return redirect(url_for("account.settings" if current_user.is_authenticated else "main.index"))


def _invalid_link(message: str):
    return render_template("account/invalid_link.html", message=message), 400


def _settings_forms(**overrides) -> dict:
    forms = {
        "profile_form": ProfileForm(prefix="profile", display_name=current_user.display_name),
        "password_form": PasswordForm(prefix="password"),
        "email_form": EmailForm(prefix="email"),
    }
    forms.update(overrides)
    return forms


@bp.get("/settings")
@login_required
def settings():
    require(can_manage_own_account(current_user))
    return render_template("account/settings.html", **_settings_forms())


@bp.post("/settings/profile")
@login_required
def update_profile():
    require(can_manage_own_account(current_user))
    form = ProfileForm(prefix="profile")
    if not form.validate_on_submit():
        return render_template("account/settings.html", **_settings_forms(profile_form=form))
    accounts.change_display_name(current_user, form.display_name.data)
    db.session.commit()
    flash(_("Ihr Anzeigename wurde gespeichert."), "success")
    return redirect(url_for("account.settings"))


@bp.post("/settings/password")
@login_required
@_limit("RATELIMIT_LOGIN")
def update_password():
    require(can_manage_own_account(current_user))
    form = PasswordForm(prefix="password")
    if form.validate_on_submit():
        if accounts.check_password(current_user, form.current_password.data):
            accounts.set_password(current_user, form.new_password.data)
            db.session.commit()
            # Other sessions ended with the old password; this one goes on.
            login_user(current_user._get_current_object())
            flash(_("Ihr Passwort wurde geändert."), "success")
            return redirect(url_for("account.settings"))
        form.current_password.errors.append(_("Das aktuelle Passwort ist falsch."))
    return render_template("account/settings.html", **_settings_forms(password_form=form))


@bp.post("/settings/email")
@login_required
@_limit("RATELIMIT_LOGIN")
def update_email():
    require(can_manage_own_account(current_user))
    form = EmailForm(prefix="email")
    if form.validate_on_submit():
        if not accounts.check_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("Das aktuelle Passwort ist falsch."))
        else:
            try:
                accounts.request_email_change(current_user, form.email.data)
            except DomainError as error:
                form.email.errors.append(str(error))
            else:
                db.session.commit()
                flash(
                    _(
                        "Wir haben einen Bestätigungslink an %(email)s geschickt. Bis Sie ihn "
                        "öffnen, bleibt Ihre bisherige Adresse gültig.",
                        email=accounts.normalise_email(form.email.data),
                    ),
                    "success",
                )
                return redirect(url_for("account.settings"))
    return render_template("account/settings.html", **_settings_forms(email_form=form))


@bp.get("/export")
@login_required
def export():
    require(can_manage_own_account(current_user))
    data = json.dumps(accounts.export_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        data,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="ideenwerk-meine-daten.json"'},
    )


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@_limit("RATELIMIT_LOGIN")
def delete():
    require(can_manage_own_account(current_user))
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if accounts.check_password(current_user, form.current_password.data):
            accounts.delete_account(current_user)
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Ihr Konto wurde gelöscht. Ihre Beiträge bleiben ohne Namen."), "success")
            return redirect(url_for("main.index"))
        form.current_password.errors.append(_("Das aktuelle Passwort ist falsch."))
    return render_template("account/delete.html", form=form)
