"""Language choice: German unless the visitor has chosen another language."""

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # Deliberately not Accept-Language: the platform is German first, English on request.
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    locale = getattr(current_user, "locale", None)
    if locale in current_app.config["LANGUAGES"]:
        return locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
