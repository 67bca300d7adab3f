"""The pages the flows do not pass through: each one opened in Chromium and checked by axe."""

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.conftest import link_in, mails_to
from tests.factories import make_comment, make_idea, make_user


def heading(page):
    return page.get_by_role("heading", level=1)


def test_help_and_password_reset_pages(browse):
    page = browse.visit("/hilfe/sortierung")
    expect(heading(page)).to_be_visible()
    user = make_user("vergesslich@example.org")
    page = browse.visit("/account/forgot-password")
    page.get_by_role("textbox", name="E-Mail-Adresse").fill(user.email)
    page.get_by_role("button", name="Link anfordern").click()
    browse.landed("/account/forgot-password")
    expect(heading(page)).to_have_text("Bitte prüfen Sie Ihr Postfach")
    (mail,) = mails_to(user.email)
    page = browse.visit(link_in(mail, "/account/reset/"))
    expect(heading(page)).to_have_text("Neues Passwort festlegen")
    page = browse.visit("/account/reset/kaputt", status=400)
    expect(heading(page)).to_have_text("Link ungültig")


def test_a_citizens_own_pages(browse):
    author = make_user("autorin@example.org")
    idea = make_idea(author=author, title="Sensoren für Luftqualität")
    other = make_idea(title="Fremde Idee")
    own_comment = make_comment(other, author, body="Gute Idee!")
    make_comment(other, body="Antwort darauf", parent=own_comment)
    make_comment(idea, body="Ein Kommentar zu Ihrer Idee")  # a notification for the author
    sign_in(browse, author.email)

    for path in (
        "/account/notifications",
        "/account/notifications/settings",
        "/account/delete",
        f"/ideas/{idea.id}/withdraw",
        f"/ideas/{other.id}/report",
        f"/ideas/{other.id}/comments/{own_comment.id}/edit",
        f"/ideas/{other.id}/comments/{own_comment.id}/replies",
    ):
        page = browse.visit(path)
        expect(heading(page)).to_be_visible()
    page = browse.visit("/account/notifications")
    expect(page.get_by_role("main")).to_contain_text("Sensoren für Luftqualität")

    reply = make_comment(idea, body="Noch einer")
    page = browse.visit(f"/ideas/{idea.id}/comments/{reply.id}/report")
    expect(heading(page)).to_be_visible()


def test_edit_page_of_an_idea_nobody_reacted_to(browse):
    author = make_user("frisch@example.org")
    idea = make_idea(author=author, title="Noch ohne Reaktion")
    sign_in(browse, author.email)
    page = browse.visit(f"/ideas/{idea.id}/edit")
    expect(page.get_by_role("textbox", name="Titel")).to_have_value("Noch ohne Reaktion")
