"""Signed, expiring tokens for e-mail links (confirmation, password reset, e-mail change)."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import User


class InvalidToken(Exception):
    """The link is forged, expired or already used."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"ideenwerk-{purpose}")


def _fingerprint(user: User, purpose: str) -> str:
    # Ties a token to the state it was made for, so that using it (or any later change of
    # that state) makes it worthless: the password for resets, the addresses otherwise.
    if purpose == "reset":
        state = user.password_hash or ""
    elif purpose == "confirm":
        state = f"{user.email}|{user.confirmed_at}"
    else:
        state = f"{user.email}|{user.pending_email}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    """A token for `purpose` ("confirm", "reset" or "email") that names the user."""
    return _serializer(purpose).dumps({"uid": user.id, "fp": _fingerprint(user, purpose)})


def read_token(token: str, purpose: str, max_age: int) -> User:
    """The user a valid token names; raises InvalidToken otherwise."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature) as error:
        raise InvalidToken from error
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        raise InvalidToken
    user = db.session.get(User, data["uid"])
    if user is None or not user.is_active or data.get("fp") != _fingerprint(user, purpose):
        raise InvalidToken
    return user
