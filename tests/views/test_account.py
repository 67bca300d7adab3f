"""The account pages, end to end over HTTP: what a visitor and a citizen do with their account."""

import json
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.extensions import db
from app.models import GroupLead, Role, User, UserRole
from app.services import accounts
from app.services.tokens import make_token
from tests.conftest import anonymised, link_in, mails_to
from tests.factories import PASSWORD, make_group, make_user

REGISTER = {
    "email": "neu@example.org",
    "display_name": "Neue Person",
    "password": "ein-gutes-passwort",
}


def register(client, **overrides):
    return client.submit("/account/register", {**REGISTER, **overrides}, page="/account/register")


def login(client, email, password=PASSWORD, **extra):
    return client.submit(
        "/account/login", {"email": email, "password": password, **extra}, page="/account/login"
    )


def user_by_email(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def test_register_confirm_login_logout(client):
    response = register(client)
    assert response.status_code == 200
    assert "Wir haben eine E-Mail an neu@example.org geschickt" in response.get_data(as_text=True)
    user = user_by_email("neu@example.org")
    assert user is not None and user.confirmed_at is None
    assert user.password_hash != REGISTER["password"]

    (mail,) = mails_to("neu@example.org")
    assert mail.subject == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    response = client.get(link_in(mail, "/account/confirm/"))
    assert response.status_code == 302
    db.session.expire_all()
    assert user_by_email("neu@example.org").confirmed_at is not None

    response = login(client, "NEU@example.org ", REGISTER["password"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Mein Konto" in home and "Abmelden" in home

    response = client.submit("/account/logout")
    assert response.status_code == 302
    assert client.get("/account/settings").status_code == 302


def test_logout_is_post_only(client):
    assert client.get("/account/logout").status_code == 405


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "Bitte geben Sie Ihre E-Mail-Adresse an."),
        ("email", "keine-adresse", "Bitte geben Sie eine gültige E-Mail-Adresse an"),
        ("email", "a" * 250 + "@example.org", "Die E-Mail-Adresse ist zu lang."),
        ("display_name", "", "Bitte geben Sie einen Anzeigenamen an."),
        ("display_name", "A", "Der Anzeigename muss zwischen 2 und 60 Zeichen lang sein."),
        ("display_name", "A" * 61, "Der Anzeigename muss zwischen 2 und 60 Zeichen lang sein."),
        ("password", "", "Bitte wählen Sie ein Passwort."),
        ("password", "kurz", "Das Passwort muss zwischen 10 und 128 Zeichen lang sein."),
        ("password", "x" * 129, "Das Passwort muss zwischen 10 und 128 Zeichen lang sein."),
    ],
)
def test_register_rejects_bad_input_next_to_the_field(client, field, value, message):
    response = register(client, **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    # The message is tied to its field, and what was typed (except passwords) stays.
    assert f'id="{field}-fehler"' in html
    assert f'aria-describedby="{field}-fehler"' in html or f"{field}-hinweis {field}-fehler" in html
    if field != "email":
        assert 'value="neu@example.org"' in html
    if field != "display_name":
        assert 'value="Neue Person"' in html
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_register_with_taken_address_does_not_reveal_it(client):
    make_user("neu@example.org", display_name="Erste Person")
    fresh = register(client, email="frisch@example.org").get_data(as_text=True)
    taken = register(client).get_data(as_text=True)
    assert anonymised(taken, "neu@example.org") == anonymised(fresh, "frisch@example.org")
    assert db.session.scalar(db.select(db.func.count(User.id))) == 2
    (mail,) = mails_to("neu@example.org")
    assert "bereits ein Konto" in mail.body
    assert user_by_email("neu@example.org").display_name == "Erste Person"


def test_double_submit_of_registration_creates_one_account(client):
    register(client)
    register(client)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    make_user("bekannt@example.org")
    wrong = login(client, "bekannt@example.org", "falsches-passwort")
    unknown = login(client, "unbekannt@example.org", "falsches-passwort")
    assert wrong.status_code == unknown.status_code == 200
    for response in (wrong, unknown):
        assert "E-Mail-Adresse oder Passwort ist falsch." in response.get_data(as_text=True)
    strip = lambda r: r.get_data(as_text=True).replace("unbekannt@", "bekannt@")  # noqa: E731
    import re

    no_token = lambda text: re.sub(r'value="[^"]{40,}"', "", text)  # noqa: E731
    assert no_token(strip(wrong)) == no_token(strip(unknown))


def test_deleted_account_cannot_log_in(client):
    user = make_user("weg@example.org")
    accounts.delete_account(user)
    db.session.commit()
    assert "E-Mail-Adresse oder Passwort ist falsch." in login(client, "weg@example.org").get_data(
        as_text=True
    )


def test_login_follows_only_local_next(client):
    make_user("next@example.org")
    response = client.submit(
        "/account/login?next=/account/settings",
        {"email": "next@example.org", "password": PASSWORD},
        page="/account/login",
    )
    assert response.headers["Location"] == "/account/settings"
    client.submit("/account/logout")
    response = client.submit(
        "/account/login?next=//evil.example/x",
        {"email": "next@example.org", "password": PASSWORD},
        page="/account/login",
    )
    assert response.headers["Location"] == "/"


def test_protected_page_sends_visitor_to_login_and_back(client):
    make_user("zurueck@example.org")
    response = client.get("/account/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bitte melden Sie sich an" in page
    response = client.submit(
        "/account/login?next=%2Faccount%2Fsettings",
        {"email": "zurueck@example.org", "password": PASSWORD},
        page="/account/login",
    )
    assert response.headers["Location"] == "/account/settings"


@pytest.mark.parametrize("purpose", ["confirm", "reset", "email"])
def test_forged_tokens_are_refused(client, app, purpose):
    user = make_user("opfer@example.org", confirmed=False)
    forged = URLSafeTimedSerializer("falscher-schluessel", salt=f"ideenwerk-{purpose}").dumps(
        {"uid": user.id, "fp": "0" * 16}
    )
    path = {"confirm": "/account/confirm/", "reset": "/account/reset/", "email": "/account/email/"}
    for token in (forged, "kaputt", forged[:-3] + "abc"):
        response = client.get(path[purpose] + token)
        assert response.status_code == 400
        assert "ungültig" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).confirmed_at is None


def test_expired_confirmation_link_is_refused(client, app, monkeypatch):
    user = make_user("spaet@example.org", confirmed=False)
    token = make_token(user, "confirm")
    monkeypatch.setitem(app.config, "CONFIRM_TOKEN_MAX_AGE", -1)
    response = client.get(f"/account/confirm/{token}")
    assert response.status_code == 400
    assert "abgelaufen" in response.get_data(as_text=True)


def test_password_reset_flow_and_single_use(client):
    make_user("vergesslich@example.org")
    response = client.submit(
        "/account/forgot-password",
        {"email": "vergesslich@example.org"},
        page="/account/forgot-password",
    )
    assert "Wenn zu vergesslich@example.org ein Konto besteht" in response.get_data(as_text=True)
    (mail,) = mails_to("vergesslich@example.org")
    reset_path = link_in(mail, "/account/reset/")

    response = client.submit(reset_path, {"password": "kurz"}, page=reset_path)
    assert "Das Passwort muss zwischen 10 und 128 Zeichen lang sein." in response.get_data(
        as_text=True
    )
    response = client.submit(reset_path, {"password": "ein-neues-passwort"}, page=reset_path)
    assert response.status_code == 302
    assert login(client, "vergesslich@example.org", "ein-neues-passwort").status_code == 302
    # The link was made for the old password; now it is spent.
    assert client.get(reset_path).status_code == 400


def test_forgot_password_for_unknown_address_looks_the_same(client):
    make_user("da@example.org")
    known = client.submit(
        "/account/forgot-password", {"email": "da@example.org"}, page="/account/forgot-password"
    ).get_data(as_text=True)
    unknown = client.submit(
        "/account/forgot-password", {"email": "nie@example.org"}, page="/account/forgot-password"
    ).get_data(as_text=True)
    assert anonymised(known, "da@example.org") == anonymised(unknown, "nie@example.org")
    assert mails_to("nie@example.org") == []


def test_change_display_name(login_as):
    user = make_user("name@example.org", display_name="Alter Name")
    client = login_as(user)
    response = client.submit(
        "/account/settings/profile",
        {"profile-display_name": "Neuer Name"},
        page="/account/settings",
    )
    assert response.status_code == 302
    assert "Neuer Name" in client.get("/account/settings").get_data(as_text=True)

    response = client.submit(
        "/account/settings/profile", {"profile-display_name": "X"}, page="/account/settings"
    )
    html = response.get_data(as_text=True)
    assert "Der Anzeigename muss zwischen 2 und 60 Zeichen lang sein." in html
    assert 'value="X"' in html
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Neuer Name"


def test_change_password_needs_current_password_and_ends_other_sessions(login_as, app):
    user = make_user("pw@example.org")
    client = login_as(user)
    other = login_as(user)
    response = client.submit(
        "/account/settings/password",
        {"password-current_password": "falsch-falsch", "password-new_password": "neues-passwort-1"},
        page="/account/settings",
    )
    assert "Das aktuelle Passwort ist falsch." in response.get_data(as_text=True)
    response = client.submit(
        "/account/settings/password",
        {"password-current_password": PASSWORD, "password-new_password": "neues-passwort-1"},
        page="/account/settings",
    )
    assert response.status_code == 302
    assert client.get("/account/settings").status_code == 200
    assert other.get("/account/settings").status_code == 302
    assert login(app.test_client(), "pw@example.org", "neues-passwort-1").status_code == 302


def test_change_email_is_confirmed_from_the_new_address(login_as):
    user = make_user("alt@example.org")
    client = login_as(user)
    response = client.submit(
        "/account/settings/email",
        {"email-email": "Neu@Example.org", "email-current_password": PASSWORD},
        page="/account/settings",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "alt@example.org"
    (mail,) = mails_to("neu@example.org")
    assert client.get(link_in(mail, "/account/email/")).status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert (changed.email, changed.pending_email) == ("neu@example.org", None)


def test_change_email_to_a_taken_address_changes_nothing_and_reveals_nothing(login_as):
    make_user("besetzt@example.org")
    user = make_user("ich@example.org")
    client = login_as(user)
    response = client.submit(
        "/account/settings/email",
        {"email-email": "besetzt@example.org", "email-current_password": PASSWORD},
        page="/account/settings",
    )
    assert response.status_code == 302
    assert "Wir haben einen Bestätigungslink an besetzt@example.org" in client.get(
        "/account/settings"
    ).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "ich@example.org"
    (mail,) = mails_to("besetzt@example.org")
    assert "bereits mit einem Konto verbunden" in mail.body


def test_change_email_rejects_bad_input(login_as):
    client = login_as(make_user("ich@example.org"))
    response = client.submit(
        "/account/settings/email",
        {"email-email": "kaputt", "email-current_password": PASSWORD},
        page="/account/settings",
    )
    html = response.get_data(as_text=True)
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an" in html
    assert 'value="kaputt"' in html


def test_export_contains_what_is_stored(login_as):
    group = make_group("Export", "export")
    user = make_user("export@example.org", roles_={Role.U30}, lead_of=group)
    response = login_as(user).get("/account/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "export@example.org"
    assert data["roles"] == ["u30"]
    assert data["group_leads"] == [{"group": "export", "side": "administration"}]
    assert "password_hash" not in json.dumps(data)


def test_delete_account_erases_personal_data(login_as):
    group = make_group("Löschen", "loeschen")
    user = make_user("loeschen@example.org", roles_={Role.BOARD}, lead_of=group)
    client = login_as(user)
    response = client.submit(
        "/account/delete",
        {"current_password": "falsch-falsch", "understood": "y"},
        page="/account/delete",
    )
    assert "Das aktuelle Passwort ist falsch." in response.get_data(as_text=True)
    response = client.submit(
        "/account/delete", {"current_password": PASSWORD}, page="/account/delete"
    )
    assert "Bitte bestätigen Sie" in response.get_data(as_text=True)

    response = client.submit(
        "/account/delete", {"current_password": PASSWORD, "understood": "y"}, page="/account/delete"
    )
    assert response.status_code == 302
    db.session.expire_all()
    deleted = db.session.get(User, user.id)
    assert deleted.email is None and deleted.password_hash is None and deleted.display_name == ""
    assert deleted.deleted_at is not None
    assert db.session.scalars(db.select(UserRole).where(UserRole.user_id == user.id)).all() == []
    assert db.session.scalars(db.select(GroupLead).where(GroupLead.user_id == user.id)).all() == []
    assert mails_to("loeschen@example.org") == []
    assert client.get("/account/settings").status_code == 302
    # The address is free again.
    assert register(client, email="loeschen@example.org").status_code == 200
    assert user_by_email("loeschen@example.org").id != user.id


def test_unconfirmed_account_can_ask_for_the_link_again(login_as):
    user = make_user("unbestaetigt@example.org", confirmed=False)
    client = login_as(user)
    assert "noch nicht bestätigt" in client.get("/account/settings").get_data(as_text=True)
    assert client.submit("/account/confirm/resend", page="/account/settings").status_code == 302
    (mail,) = mails_to("unbestaetigt@example.org")
    assert client.get(link_in(mail, "/account/confirm/")).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).is_confirmed


def test_confirmation_link_works_once(client):
    register(client)
    (mail,) = mails_to("neu@example.org")
    path = link_in(mail, "/account/confirm/")
    assert client.get(path).status_code == 302
    time.sleep(0)  # the token is bound to the unconfirmed state it was made in
    assert client.get(path).status_code == 400
