"""Accounts: registration, confirmation, sign-in, password and address changes, export, erasure.

Messages never reveal whether an address has an account (no user enumeration): the
caller shows the same answer either way, and the mail tells the address's owner the rest.
"""

from flask import current_app, url_for
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import GroupLead, OutboxMail, User, UserRole
from app.models.base import utcnow
from app.services import DomainError
from app.services.mail import queue_mail
from app.services.tokens import make_token

# Checked against when the address is unknown, so that a miss costs as long as a hit.
_DUMMY_HASH: dict[str, str] = {}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def create_user(email: str, display_name: str, password: str, *, confirmed: bool) -> User:
    """A new account; `confirmed` is for operators creating accounts on the command line."""
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register(email: str, display_name: str, password: str) -> User | None:
    """Create an unconfirmed account and mail the confirmation link.

    For a taken address nothing is created; its owner is told by mail instead.
    """
    existing = find_by_email(email)
    if existing is not None:
        queue_mail(
            existing.email,
            "Registrierung mit Ihrer Adresse",
            "already_registered",
            user=existing,
            login_url=url_for("account.login", _external=True),
            reset_url=url_for("account.forgot_password", _external=True),
        )
        return None
    user = create_user(email, display_name, password, confirmed=False)
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    """Mail a link that confirms the account's address."""
    queue_mail(
        user.email,
        "Bitte bestätigen Sie Ihre E-Mail-Adresse",
        "confirm",
        user=user,
        url=url_for("account.confirm", token=make_token(user, "confirm"), _external=True),
    )


def confirm(user: User) -> None:
    """Mark the address as confirmed: the account becomes a citizen's account."""
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()


def authenticate(email: str, password: str) -> User | None:
    """The active account with this address and password, or None (same cost either way)."""
    user = find_by_email(email)
    if user is None or user.password_hash is None or not user.is_active:
        if "hash" not in _DUMMY_HASH:
            _DUMMY_HASH["hash"] = hash_password("ideenwerk-dummy-password")
        check_password_hash(_DUMMY_HASH["hash"], password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()


def check_password(user: User, password: str) -> bool:
    return user.password_hash is not None and check_password_hash(user.password_hash, password)


def set_password(user: User, password: str) -> None:
    """Set a new password and end every other session of the account."""
    user.password_hash = hash_password(password)
    user.session_version += 1


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address belongs to an active account; else do nothing."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    queue_mail(
        user.email,
        "Passwort zurücksetzen",
        "reset_password",
        user=user,
        url=url_for("account.reset_password", token=make_token(user, "reset"), _external=True),
    )


def change_display_name(user: User, display_name: str) -> None:
    user.display_name = display_name.strip()


def request_email_change(user: User, new_email: str) -> None:
    """Remember the new address and mail a confirmation link to it; the old one stays valid."""
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError(_("Das ist bereits Ihre E-Mail-Adresse."))
    if find_by_email(new_email) is not None:
        # Do not reveal that the address is taken; tell the address's owner instead.
        queue_mail(new_email, "Änderung der E-Mail-Adresse", "email_taken")
        return
    user.pending_email = new_email
    db.session.flush()
    queue_mail(
        new_email,
        "Bitte bestätigen Sie Ihre neue E-Mail-Adresse",
        "confirm_email_change",
        user=user,
        url=url_for("account.confirm_email", token=make_token(user, "email"), _external=True),
    )


def confirm_email_change(user: User) -> None:
    """Make the pending address the account's address."""
    if not user.pending_email:
        raise DomainError(_("Es liegt keine Änderung der E-Mail-Adresse vor."))
    if find_by_email(user.pending_email) is not None:
        user.pending_email = None
        raise DomainError(_("Diese E-Mail-Adresse kann nicht verwendet werden."))
    user.email = user.pending_email
    user.pending_email = None
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()


def export_data(user: User) -> dict:
    """Everything stored about the account, for the DSGVO right of access (Art. 15, 20)."""

    def when(value):
        return value.isoformat() + "Z" if value else None

    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "pending_email": user.pending_email,
            "display_name": user.display_name,
            "locale": user.locale,
            "created_at": when(user.created_at),
            "confirmed_at": when(user.confirmed_at),
            "last_login_at": when(user.last_login_at),
        },
        "roles": sorted(role.value for role in user.global_roles),
        "group_leads": [
            {"group": lead.group.slug, "side": lead.side.value} for lead in user.lead_of
        ],
        "mails": [
            {
                "subject": mail.subject,
                "created_at": when(mail.created_at),
                "sent_at": when(mail.sent_at),
            }
            for mail in db.session.scalars(
                db.select(OutboxMail)
                .where(OutboxMail.recipient == user.email)
                .order_by(OutboxMail.id)
            )
        ],
        "exported_at": when(utcnow()),
    }


def delete_account(user: User) -> None:
    """Erase personal data; content the account wrote stays, shown as a deleted account."""
    if user.email:
        db.session.execute(db.delete(OutboxMail).where(OutboxMail.recipient == user.email))
    db.session.execute(db.delete(UserRole).where(UserRole.user_id == user.id))
    db.session.execute(db.delete(GroupLead).where(GroupLead.user_id == user.id))
    user.email = None
    user.pending_email = None
    user.display_name = ""
    user.password_hash = None
    user.locale = None
    user.last_login_at = None
    user.deleted_at = utcnow()
    user.session_version += 1
    db.session.flush()
    db.session.expire(user, ["roles", "lead_of"])
