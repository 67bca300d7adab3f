"""The command line: seed, users create, mail deliver."""

import logging
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import GroupLead, OutboxMail, Role, SiteSetting, TandemSide, ThematicGroup, User
from app.models.base import utcnow
from app.seed import DEMO_PASSWORD, DEMO_USERS
from app.services import accounts
from tests.factories import make_group, make_user

DESIGN_SLUGS = [
    "digitale-infrastruktur",
    "verwaltung-politik",
    "wertschoepfung-innovation",
    "bau-energie-mobilitaet",
    "soziales-gesundheit-pflege",
]


def _groups() -> list[ThematicGroup]:
    return list(db.session.scalars(db.select(ThematicGroup).order_by(ThematicGroup.position)))


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _user(email: str) -> User | None:
    db.session.expire_all()
    return accounts.find_by_email(email)


# ---------------------------------------------------------------- seed


def test_seed_creates_the_five_groups_once(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "5 neu angelegt" in result.output
    groups = _groups()
    assert [group.slug for group in groups] == DESIGN_SLUGS
    assert groups[0].name == "Digitale Infrastruktur"
    assert groups[1].name == "Digitale Verwaltung/Politik"
    assert all(group.description for group in groups)
    assert _count(SiteSetting) == 3
    assert _count(User) == 0

    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "0 neu angelegt" in result.output
    assert [group.slug for group in _groups()] == DESIGN_SLUGS
    assert _count(SiteSetting) == 3


def test_seed_keeps_groups_an_admin_renamed(runner):
    runner.invoke(args=["seed"])
    group = _groups()[0]
    group.name = "Glasfaser & Funk"
    db.session.commit()
    assert runner.invoke(args=["seed"]).exit_code == 0
    db.session.expire_all()
    assert _groups()[0].name == "Glasfaser & Funk"
    assert len(_groups()) == 5


def test_seed_demo_creates_demo_accounts_once(runner):
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    for email, name, global_roles, lead in DEMO_USERS:
        user = _user(email)
        assert user is not None, email
        assert user.display_name == name
        assert user.is_confirmed
        assert accounts.authenticate(email, DEMO_PASSWORD) == user
        assert user.global_roles == global_roles
        if lead is not None:
            slug, side = lead
            assert [(lg.group.slug, lg.side) for lg in user.lead_of] == [(slug, side)]
    users = _count(User)
    assert users == len(DEMO_USERS)

    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "Demo-Konten: 0 neu angelegt" in result.output
    assert _count(User) == users
    assert _count(GroupLead) == sum(1 for *_, lead in DEMO_USERS if lead)


def test_seed_demo_is_refused_outside_development(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "IDEENWERK_ENV", "production")
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code != 0
    assert "nur in der Entwicklungsumgebung" in result.output
    assert _count(User) == 0
    assert _count(ThematicGroup) == 0
    # Seeding the groups alone is fine in production.
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert _count(ThematicGroup) == 5


# ---------------------------------------------------------------- users create


PASSWORD_CLI = "ein-gutes-passwort"


def _create(runner, email, *extra, password=PASSWORD_CLI):
    return runner.invoke(args=["users", "create", "--email", email, "--password", password, *extra])


@pytest.mark.parametrize(
    "role, expected",
    [
        ("citizen", set()),
        ("board", {Role.BOARD}),
        ("u30", {Role.U30}),
        ("admin", {Role.ADMIN}),
    ],
)
def test_users_create_with_a_global_role(runner, role, expected):
    result = _create(runner, "Person@Example.org", "--role", role, "--name", "Pia Person")
    assert result.exit_code == 0, result.output
    user = _user("person@example.org")
    assert user.email == "person@example.org"
    assert user.display_name == "Pia Person"
    assert user.is_confirmed
    assert user.global_roles == expected
    assert user.lead_of == []
    assert accounts.authenticate("person@example.org", "ein-gutes-passwort") == user


def test_users_create_without_name_takes_it_from_the_address(runner):
    assert _create(runner, "rathaus@example.org").exit_code == 0
    assert _user("rathaus@example.org").display_name == "rathaus"


def test_users_create_again_combines_roles(runner):
    group = make_group("Alpha", "alpha")
    assert _create(runner, "viele@example.org", "--role", "board").exit_code == 0
    result = _create(runner, "viele@example.org", "--role", "admin", password="anderes-passwort")
    assert result.exit_code == 0, result.output
    assert "besteht bereits" in result.output
    result = _create(runner, "VIELE@example.org", "--role", "lead", "--group", group.slug)
    assert result.exit_code == 0, result.output
    assert _count(User) == 1
    user = _user("viele@example.org")
    assert user.global_roles == {Role.BOARD, Role.ADMIN}
    assert [lead.group.slug for lead in user.lead_of] == ["alpha"]
    # Running it again does not change the password of an existing account.
    assert accounts.authenticate("viele@example.org", "ein-gutes-passwort") == user


def test_users_create_lead_fills_the_tandem_and_refuses_a_third(runner):
    group = make_group("Alpha", "alpha")
    for email, side in (
        ("verwaltung@example.org", TandemSide.ADMINISTRATION),
        ("gesellschaft@example.org", TandemSide.CIVIC),
    ):
        result = _create(runner, email, "--role", "lead", "--group", "alpha")
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        assert group.lead_on(side) == _user(email)

    result = _create(runner, "dritte@example.org", "--role", "lead", "--group", "alpha")
    assert result.exit_code != 0
    assert "Die Gruppe alpha hat bereits zwei Leitungen." in result.output
    assert _user("dritte@example.org") is None  # nothing half-done is left behind
    assert _count(GroupLead) == 2


def test_users_create_lead_for_the_same_group_twice_is_harmless(runner):
    make_group("Alpha", "alpha")
    for _ in range(2):
        result = _create(runner, "leitung@example.org", "--role", "lead", "--group", "alpha")
        assert result.exit_code == 0, result.output
    assert _count(GroupLead) == 1


def test_users_create_lead_needs_a_known_group(runner):
    make_group("Alpha", "alpha")
    result = _create(runner, "leitung@example.org", "--role", "lead", "--group", "gibt-es-nicht")
    assert result.exit_code != 0
    assert "Unbekannte Gruppe: gibt-es-nicht" in result.output
    result = _create(runner, "leitung@example.org", "--role", "lead")
    assert result.exit_code != 0
    assert "--group" in result.output
    assert _user("leitung@example.org") is None


def test_users_create_refuses_an_unknown_role(runner):
    result = _create(runner, "x@example.org", "--role", "kaiser")
    assert result.exit_code == 2
    assert _count(User) == 0


def test_users_create_adds_a_role_to_an_account_made_on_the_website(runner):
    make_user("web@example.org", confirmed=False)
    assert _create(runner, "web@example.org", "--role", "u30").exit_code == 0
    assert _user("web@example.org").global_roles == {Role.U30}


# ---------------------------------------------------------------- mail deliver


def _outbox(recipient: str, subject: str, **fields) -> OutboxMail:
    mail = OutboxMail(recipient=recipient, subject=subject, body="Hallo aus Gütersloh", **fields)
    db.session.add(mail)
    db.session.commit()
    return mail


def test_mail_deliver_sends_pending_mails_to_the_log(runner, caplog):
    caplog.set_level(logging.INFO, logger="ideenwerk.mail")
    first = _outbox("eins@example.org", "Erste Nachricht")
    second = _outbox("zwei@example.org", "Zweite Nachricht")
    later = _outbox(
        "später@example.org", "Noch nicht fällig", next_attempt_at=utcnow() + timedelta(hours=1)
    )
    old = _outbox("alt@example.org", "Schon gesendet", sent_at=utcnow(), attempts=1)

    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "2 versendet, 0 fehlgeschlagen." in result.output
    logged = [r.getMessage() for r in caplog.records if r.name == "ideenwerk.mail"]
    assert len(logged) == 2
    assert "eins@example.org: Erste Nachricht" in logged[0]
    assert "Hallo aus Gütersloh" in logged[0]
    assert "zwei@example.org: Zweite Nachricht" in logged[1]

    db.session.expire_all()
    for mail in (first, second):
        assert mail.sent_at is not None and mail.attempts == 1 and mail.last_error is None
    assert later.sent_at is None and later.attempts == 0
    assert old.attempts == 1

    caplog.clear()
    result = runner.invoke(args=["mail", "deliver"])
    assert "0 versendet, 0 fehlgeschlagen." in result.output
    assert [r for r in caplog.records if r.name == "ideenwerk.mail"] == []
