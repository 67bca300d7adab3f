"""A new citizen's first visit: register, confirm by mail, sign in, rename, sign out."""

from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD_LABEL
from tests.conftest import link_in, mails_to

EMAIL = "neue.buergerin@example.org"
PASSWORD = "ein-langes-passwort-42"


def test_register_confirm_login_rename_logout(browse):
    page = browse.visit("/account/register")
    page.get_by_role("textbox", name="E-Mail-Adresse").fill(EMAIL)
    page.get_by_role("textbox", name="Anzeigename").fill("Neue Bürgerin")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Konto anlegen").click()
    browse.landed()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte prüfen Sie Ihr Postfach")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)

    (mail,) = mails_to(EMAIL)
    browse.visit(link_in(mail, "/account/confirm/"))
    assert page.url.endswith("/account/login"), page.url
    expect(page.get_by_role("status")).to_contain_text("bestätigt")

    page.get_by_role("textbox", name="E-Mail-Adresse").fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Anmelden", exact=True).click()
    browse.landed("/")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Anmelden")).to_have_count(0)

    header.get_by_role("link", name="Mein Konto").click()
    browse.landed("/account/settings")
    name_field = page.get_by_role("textbox", name="Anzeigename")
    expect(name_field).to_have_value("Neue Bürgerin")
    name_field.fill("Bürgerin Neumann")
    page.get_by_role("button", name="Anzeigenamen speichern").click()
    browse.landed("/account/settings")
    expect(page.get_by_role("status")).to_contain_text("Anzeigename wurde gespeichert")
    expect(name_field).to_have_value("Bürgerin Neumann")

    header.get_by_role("button", name="Abmelden").click()
    browse.landed("/")
    expect(header.get_by_role("link", name="Anmelden")).to_be_visible()
    expect(header.get_by_role("link", name="Mein Konto")).to_have_count(0)

    # Signed out for real: the settings page now asks for a login.
    browse.visit("/account/settings")
    assert "/account/login" in page.url, page.url
