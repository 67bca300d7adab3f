"""The outbox: mails are rows first, sent later by `deliver_pending`."""

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app, g, has_request_context, render_template

from app.extensions import db
from app.models import OutboxMail
from app.models.base import utcnow

log = logging.getLogger("ideenwerk.mail")


def queue_mail(recipient: str, subject: str, template: str, **context) -> OutboxMail:
    """Write a mail into the outbox; it leaves with the transaction that wrote it."""
    body = render_template(f"mail/{template}.txt", **context)
    mail = OutboxMail(recipient=recipient, subject=subject, body=body)
    db.session.add(mail)
    db.session.flush()
    if has_request_context():
        g.mail_queued = True
    return mail


def _send_smtp(mail: OutboxMail) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def _send(mail: OutboxMail) -> None:
    if current_app.config["MAIL_SERVER"]:
        _send_smtp(mail)
    else:
        log.info("Mail an %s: %s\n\n%s", mail.recipient, mail.subject, mail.body)


def deliver_pending(limit: int = 100) -> tuple[int, int]:
    """Send due mails, one row per transaction; failures retry with backoff. (sent, failed)."""
    sent = failed = 0
    for _ in range(limit):
        query = (
            db.select(OutboxMail)
            .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= utcnow())
            .where(OutboxMail.attempts < current_app.config["MAIL_MAX_ATTEMPTS"])
            .order_by(OutboxMail.id)
            .limit(1)
        )
        if db.engine.dialect.name == "postgresql":
            # Several deliverers may run at once; a locked row belongs to another one.
            query = query.with_for_update(skip_locked=True)
        mail = db.session.scalars(query).first()
        if mail is None:
            break
        mail.attempts += 1
        try:
            _send(mail)
        except (OSError, smtplib.SMTPException) as error:
            mail.last_error = str(error)[:1000]
            mail.next_attempt_at = utcnow() + timedelta(minutes=2**mail.attempts)
            failed += 1
            log.warning("Mail %s an %s nicht zugestellt: %s", mail.id, mail.recipient, error)
        else:
            mail.sent_at = utcnow()
            mail.last_error = None
            sent += 1
        # The deliverer owns its transactions: a sent mail is recorded before the next one,
        # so a crash never sends a mail twice.
        db.session.commit()
    return sent, failed
