"""The U30-Beirat's voice: a member writes the statement on a forwarded idea, a second
member endorses it, a visitor reads the U30-Votum and the statement with both names, and a
board member finds it in the dossier. Every page through browse.visit/landed (axe-core)."""

from playwright.sync_api import expect

from app.models import Role
from tests.browser.helpers import sign_in
from tests.factories import make_group, make_user
from tests.services.test_board import assess, forward, vote


def sign_out(browse) -> None:
    browse.page.get_by_role("banner").get_by_role("button", name="Abmelden").click()
    browse.landed("/")


def test_the_beirat_takes_a_stand_and_everyone_reads_it(browse):
    group = make_group("Digitale Infrastruktur", "digitale-infrastruktur")
    idea = forward(group=group, title="Glasfaser für Isselhorst")
    lea = make_user("lea@example.org", display_name="Lea Brinkmann", roles_={Role.U30})
    ben = make_user("ben@example.org", display_name="Ben Okafor", roles_={Role.U30})
    make_user("gremium@example.org", display_name="Gerda Gremium", roles_={Role.BOARD})
    vote(idea, "up", user=lea)
    vote(idea, "up", user=ben)
    vote(idea, "down", u30=True)
    vote(idea, "up")
    assess(idea, 5, 3, u30=True)
    assess(idea, 4, 4, u30=True)

    # Lea writes the statement; an empty text first gets a message beside the field.
    page = sign_in(browse, "lea@example.org")
    browse.visit(f"/ideas/{idea.id}")
    section = page.locator("#u30-beirat")
    expect(section.get_by_role("heading", name="U30-Votum")).to_be_visible()
    section.get_by_role("link", name="Stellungnahme schreiben").click()
    browse.landed(f"/ideas/{idea.id}/u30-statement")
    page.get_by_role("button", name="Stellungnahme veröffentlichen").click()
    browse.landed(f"/ideas/{idea.id}/u30-statement")
    expect(page.locator("#u30-stellungnahme-text-fehler")).to_have_text(
        "Bitte schreiben Sie eine Stellungnahme."
    )
    page.get_by_label("Stellungnahme des U30-Beirats").fill(
        "Schnelles Internet ist für junge Menschen **keine Komfortfrage**."
    )
    page.get_by_role("button", name="Stellungnahme veröffentlichen").click()
    browse.landed(f"/ideas/{idea.id}")
    expect(
        page.get_by_text("Die Stellungnahme des U30-Beirats ist veröffentlicht.")
    ).to_be_visible()
    expect(section.locator(".u30-endorsers")).to_have_text("Mitgetragen von: Lea Brinkmann")
    expect(section.get_by_role("link", name="Stellungnahme bearbeiten")).to_be_visible()
    sign_out(browse)

    # Ben endorses it.
    sign_in(browse, "ben@example.org")
    browse.visit(f"/ideas/{idea.id}")
    section.get_by_role("button", name="Mittragen").click()
    browse.landed(f"/ideas/{idea.id}")
    expect(page.get_by_text("Sie tragen die Stellungnahme des U30-Beirats mit.")).to_be_visible()
    expect(section.get_by_role("button", name="Nicht mehr mittragen")).to_be_visible()
    sign_out(browse)

    # A visitor reads the U30-Votum and the statement with both names, and no buttons.
    browse.visit(f"/ideas/{idea.id}")
    expect(section.locator('[data-u30="up"]')).to_have_text("2")
    expect(section.locator('[data-u30="down"]')).to_have_text("1")
    expect(section.locator('[data-u30="benefit"]')).to_have_text("4,5 von 5 (2 Einschätzungen)")
    expect(section.locator('[data-u30="feasibility"]')).to_have_text("3,5 von 5 (2 Einschätzungen)")
    expect(section.locator("strong", has_text="keine Komfortfrage")).to_be_visible()
    expect(section.locator(".u30-endorsers")).to_have_text(
        "Mitgetragen von: Lea Brinkmann, Ben Okafor"
    )
    expect(section.get_by_role("button")).to_have_count(0)

    # The board member finds it in the dossier.
    sign_in(browse, "gremium@example.org")
    browse.visit(f"/board/ideas/{idea.id}")
    statement = page.locator("section", has=page.get_by_role("heading", name="U30-Stellungnahme"))
    expect(statement).to_contain_text("keine Komfortfrage")
    expect(statement.locator(".u30-endorsers")).to_have_text(
        "Mitgetragen von: Lea Brinkmann, Ben Okafor"
    )
