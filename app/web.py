"""Error pages, template helpers and after-request work shared by every blueprint."""

from flask import Flask, current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app import permissions
from app.extensions import db

ERROR_TEXTS = {
    400: (_l("Ungültige Anfrage"), _l("Die Anfrage konnte nicht verarbeitet werden.")),
    403: (
        _l("Zugriff verweigert"),
        _l("Sie haben keine Berechtigung für diese Seite oder Aktion."),
    ),
    404: (_l("Seite nicht gefunden"), _l("Diese Seite gibt es nicht (mehr).")),
    405: (_l("Nicht erlaubt"), _l("Diese Aktion ist auf diesem Weg nicht möglich.")),
    413: (
        _l("Anfrage zu groß"),
        _l(
            "Die gesendeten Daten sind zu groß. Bitte kürzen Sie Ihren Text "
            "und versuchen Sie es erneut."
        ),
    ),
    429: (
        _l("Zu viele Anfragen"),
        _l(
            "Sie haben diese Aktion zu oft in kurzer Zeit ausgeführt. Bitte warten Sie "
            "einen Moment und versuchen Sie es dann erneut."
        ),
    ),
    500: (
        _l("Interner Fehler"),
        _l(
            "Etwas ist schiefgelaufen. Wir wurden benachrichtigt; "
            "bitte versuchen Sie es später erneut."
        ),
    ),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.context_processor(_template_context)
    app.after_request(_deliver_mail_after_response)


def _render_error(code: int, message=None):
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[400])
    return render_template("errors/error.html", code=code, title=title, text=message or text), code


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    # Keep the exception's own headers (Allow on a 405, WWW-Authenticate, ...), not its body.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if request.accept_mimetypes.best == "application/json":
        return {"error": error.name, "status": error.code}, error.code, headers
    page, code = _render_error(error.code)
    return page, code, headers


def _csrf_error(error: CSRFError):
    return _render_error(
        400,
        _l(
            "Das Formular ist abgelaufen oder unvollständig. Bitte laden Sie die Seite neu "
            "und senden Sie es noch einmal."
        ),
    )


def _unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    current_app.logger.exception("Unerwarteter Fehler bei %s", request.path)
    db.session.rollback()
    return _render_error(500)


def _can(name: str, *args) -> bool:
    return permissions.TEMPLATE_PREDICATES[name](current_user, *args)


def _template_context() -> dict:
    config = current_app.config
    return {
        "site_name": config["SITE_NAME"],
        "city_name": config["CITY_NAME"],
        "languages": config["LANGUAGES"],
        "current_locale": str(get_locale()),
        "can": _can,
    }


def _deliver_mail_after_response(response):
    # Only after a request that queued mail: the outbox is the source of truth either way.
    if current_app.config["MAIL_DELIVER_AFTER_REQUEST"] and g.get("mail_queued"):
        app = current_app._get_current_object()

        def deliver():
            from app.services.mail import deliver_pending

            with app.app_context():
                deliver_pending()

        response.call_on_close(deliver)
    return response
