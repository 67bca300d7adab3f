"""Sessions, sign-in plumbing, safe redirects and the HTTP security headers."""

from urllib.parse import urlsplit

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from app.extensions import csrf, db, login_manager
from app.models import User

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def init_app(app: Flask) -> None:
    login_manager.login_view = "account.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.after_request(_security_headers)


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    # The session id is "<id>:<session_version>"; a raised version ends old sessions.
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint and request.endpoint.startswith(("account.", "admin.")):
        headers.setdefault("Cache-Control", "no-store")
    return response


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def checks_own_csrf(view):
    """Leave a form view's CSRF check to its FlaskForm, so that an expired form keeps its text.

    The app-wide check answers a missing or expired token with an error page, and what
    was typed (an idea of up to 10 000 characters) would be lost. For a view marked so,
    the form's own check fails instead: the form comes back with the text, the message
    "Das Formular ist abgelaufen …" and a fresh token, with status 400 (`form_status`).
    Such a view validates its form before it changes anything; tests/test_security.py
    lists the views marked so.
    """
    return csrf.exempt(view)


def form_status(form) -> int:
    """400 for a form that failed for its CSRF token, 200 for one shown again otherwise."""
    return 400 if form.errors.get("csrf_token") else 200
