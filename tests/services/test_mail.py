"""The outbox against a real SMTP server on 127.0.0.1: delivery, retries, backoff, giving up."""

import email
import email.policy
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from app.extensions import db
from app.models import OutboxMail
from app.models.base import utcnow
from app.services.mail import deliver_pending, queue_mail
from tests.conftest import mails_to


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_config(app, monkeypatch):
    """Point the app at an SMTP server on 127.0.0.1 (config restored after the test)."""

    def use(port: int) -> None:
        for key, value in {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False,
            "MAIL_USERNAME": None,
            "MAIL_DEFAULT_SENDER": "Ideenwerk Gütersloh <noreply@ideenwerk.example>",
        }.items():
            monkeypatch.setitem(app.config, key, value)

    return use


@pytest.fixture
def smtp_server():
    """Start real SMTP servers on free ports; every one is stopped after the test."""
    started = []

    def start(port: int | None = None) -> tuple[Inbox, int]:
        inbox = Inbox()
        port = port or free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return inbox, port

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def inbox(smtp_server, smtp_config) -> Inbox:
    inbox, port = smtp_server()
    smtp_config(port)
    return inbox


def _mail(**fields) -> OutboxMail:
    values = {
        "recipient": "buergerin@example.org",
        "subject": "Ihre Idee wurde weitergeleitet – Glückwunsch",
        "body": "Hallo Frau Schulte,\n\nIhre Idee „Freies WLAN“ liegt jetzt beim Lenkungsgremium.",
        **fields,
    }
    mail = OutboxMail(**values)
    db.session.add(mail)
    db.session.commit()
    return mail


def test_mail_reaches_the_smtp_server(app, inbox):
    mail = _mail()
    assert deliver_pending() == (1, 0)
    ((recipients, message),) = inbox.messages
    assert recipients == ["buergerin@example.org"]
    assert message["To"] == "buergerin@example.org"
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert message["Subject"] == "Ihre Idee wurde weitergeleitet – Glückwunsch"
    assert message.get_content().replace("\r\n", "\n").strip() == mail.body
    db.session.expire_all()
    assert mail.sent_at is not None
    assert (mail.attempts, mail.last_error) == (1, None)
    # Sent once only.
    assert deliver_pending() == (0, 0)
    assert len(inbox.messages) == 1


def test_mails_are_sent_in_order_and_each_once(inbox):
    for number in range(3):
        _mail(recipient=f"person{number}@example.org", subject=f"Nachricht {number}")
    assert deliver_pending(limit=2) == (2, 0)
    assert deliver_pending() == (1, 0)
    assert [m["Subject"] for _, m in inbox.messages] == [f"Nachricht {n}" for n in range(3)]


def test_a_registration_mail_is_delivered_after_the_response(app, client, inbox, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_DELIVER_AFTER_REQUEST", True)
    response = client.submit(
        "/account/register",
        {"email": "neu@example.org", "display_name": "Neue Person", "password": "ein-gutes-pw1"},
        page="/account/register",
    )
    assert response.status_code == 200
    response.close()
    ((recipients, message),) = inbox.messages
    assert recipients == ["neu@example.org"]
    assert message["Subject"] == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert "/account/confirm/" in message.get_content()
    (stored,) = mails_to("neu@example.org")
    db.session.refresh(stored)
    assert stored.sent_at is not None


def test_server_down_keeps_the_mail_for_later(smtp_server, smtp_config):
    port = free_port()
    smtp_config(port)  # nothing listens there yet
    mail = _mail()

    before = utcnow()
    assert deliver_pending() == (0, 1)
    db.session.expire_all()
    assert mail.sent_at is None
    assert mail.attempts == 1
    assert mail.last_error
    first_delay = mail.next_attempt_at - before
    assert timedelta(minutes=1) < first_delay <= timedelta(minutes=3)
    # Not due yet: the next run leaves it alone.
    assert deliver_pending() == (0, 0)
    assert mail.attempts == 1

    # A second failure waits longer than the first (exponential backoff).
    mail.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    before = utcnow()
    assert deliver_pending() == (0, 1)
    db.session.expire_all()
    assert mail.attempts == 2
    assert mail.next_attempt_at - before > first_delay

    # The server comes up and the time has come: the mail goes out.
    inbox, _ = smtp_server(port)
    mail.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert deliver_pending() == (1, 0)
    db.session.expire_all()
    assert mail.sent_at is not None
    assert (mail.attempts, mail.last_error) == (3, None)
    assert [m["Subject"] for _, m in inbox.messages] == [mail.subject]


def test_one_failing_mail_does_not_stop_the_others(app, inbox, monkeypatch):
    # A refused recipient is an SMTP error for that mail only.
    async def refuse_some(server, session, envelope, address, rcpt_options):
        if address.startswith("kaputt"):
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    monkeypatch.setattr(inbox, "handle_RCPT", refuse_some, raising=False)
    bad = _mail(recipient="kaputt@example.org")
    good = _mail(recipient="heil@example.org")
    assert deliver_pending() == (1, 1)
    db.session.expire_all()
    assert bad.sent_at is None and "550" in bad.last_error
    assert good.sent_at is not None
    assert [recipients for recipients, _ in inbox.messages] == [["heil@example.org"]]


def test_mails_past_the_maximum_attempts_are_no_longer_tried(app, inbox):
    maximum = app.config["MAIL_MAX_ATTEMPTS"]
    past = utcnow() - timedelta(minutes=1)
    given_up = _mail(subject="Aufgegeben", attempts=maximum, next_attempt_at=past)
    last_try = _mail(subject="Letzter Versuch", attempts=maximum - 1, next_attempt_at=past)
    assert deliver_pending() == (1, 0)
    assert [m["Subject"] for _, m in inbox.messages] == ["Letzter Versuch"]
    db.session.expire_all()
    assert given_up.sent_at is None and given_up.attempts == maximum
    assert last_try.sent_at is not None and last_try.attempts == maximum


def test_starttls_required_but_not_offered_is_a_failure_not_a_crash(app, inbox, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    mail = _mail()
    assert deliver_pending() == (0, 1)
    assert inbox.messages == []
    db.session.expire_all()
    assert mail.sent_at is None and "STARTTLS" in mail.last_error.upper()


def test_queue_mail_renders_the_template_into_the_outbox(app):
    with app.test_request_context():
        mail = queue_mail("jemand@example.org", "Änderung der E-Mail-Adresse", "email_taken")
    assert mail.id is not None
    assert (mail.sent_at, mail.attempts) == (None, 0)
    assert mail.next_attempt_at <= utcnow()
    site = f"{app.config['SITE_NAME']} {app.config['CITY_NAME']}"
    assert f"für ein Konto bei {site} eintragen" in mail.body
