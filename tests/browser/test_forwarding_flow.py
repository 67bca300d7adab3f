"""What a group lead does for the steering board: enter an idea from a workshop, forward
two ideas in review with their rationales, and put them in the group's priority order.
"""

import re

from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import IdeaStatus
from tests.browser.conftest import Browse
from tests.browser.helpers import arrived_at, sign_in
from tests.factories import make_group, make_idea, make_user


def named(action: str, title: str) -> re.Pattern:
    """The accessible name of a per-row action: visible verb, then the idea's title."""
    return re.compile(rf"^{action}\W+{re.escape(title)}\W*$")


def expect_flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def ranking_titles(page: Page) -> list[str]:
    return page.locator(".forwarding-table tbody th[scope=row] a").all_inner_texts()


def forward(browse: Browse, page: Page, title: str, rationale: str, *, empty_first=False) -> None:
    """From the ranking page: open the idea's forward form, send it, land on the ranking."""
    page.get_by_role("link", name=named("Weiterleiten", title)).click()
    browse.landed()
    if empty_first:
        page.get_by_role("button", name="Weiterleiten", exact=True).click()
        browse.landed()
        expect(page.locator("#rationale-fehler")).to_contain_text("Bitte begründen Sie")
    page.get_by_label(re.compile(r"^Begründung")).fill(rationale)
    page.get_by_role("button", name="Weiterleiten", exact=True).click()
    browse.landed("/moderation/mobilitaet/forwarded")
    expect_flash(page, "an das Lenkungsgremium weitergeleitet")


def test_lead_enters_an_offline_idea_forwards_two_and_reorders_them(browse: Browse):
    group = make_group("Mobilität", "mobilitaet")
    lead = make_user("tandem@example.org", display_name="Tara Tandem", lead_of=group)
    make_idea(group, title="Radweg an der Dalke", status=IdeaStatus.IN_REVIEW)
    make_idea(group, title="Busse mit WLAN", status=IdeaStatus.IN_REVIEW)
    make_idea(group, title="Eine Online-Idee")
    db.session.commit()

    page = sign_in(browse, lead.email)

    # An idea from a workshop, entered on behalf of an anonymous participant.
    browse.visit("/moderation/mobilitaet/ideas/new")
    page.get_by_label(re.compile(r"^Herkunft")).select_option("workshop")
    page.get_by_label(re.compile(r"^Veranstaltung")).fill("Workshop Mobilität 2026")
    page.get_by_label(re.compile(r"^Titel")).fill("Mitfahrbänke in den Ortsteilen")
    page.get_by_role("button", name="Idee erfassen und veröffentlichen").click()
    browse.landed("/moderation/mobilitaet/ideas/new")  # the description was missing
    expect(page.locator("#body-fehler")).to_contain_text("Bitte beschreiben Sie Ihre Idee.")
    expect(page.get_by_label(re.compile(r"^Titel"))).to_have_value("Mitfahrbänke in den Ortsteilen")
    page.get_by_label(re.compile(r"^Beschreibung")).fill("Bänke, an denen Autos halten.")
    page.get_by_role("button", name="Idee erfassen und veröffentlichen").click()
    arrived_at(page, r"/ideas/\d+")
    browse.landed()
    expect(page.locator(".idea-header .origin")).to_have_text("Workshop: Workshop Mobilität 2026")
    expect(page.locator(".idea-header")).to_contain_text("anonym")

    # The group page, filtered by origin, lists it (and not the online idea).
    browse.visit("/groups/mobilitaet")
    page.get_by_label(re.compile(r"^Herkunft")).select_option("workshop")
    page.get_by_role("button", name="Filter anwenden").click()
    browse.landed("/groups/mobilitaet")
    ideas = page.locator(".idea-list")
    expect(ideas).to_contain_text("Mitfahrbänke in den Ortsteilen")
    expect(ideas).to_contain_text("Workshop: Workshop Mobilität 2026")
    expect(ideas).not_to_contain_text("Eine Online-Idee")

    # Forward both ideas in review, each with its rationale; a missing rationale is said.
    browse.visit("/moderation/mobilitaet/forwarded")
    expect(page.get_by_text("Die Themengruppe hat zurzeit keine Ideen")).to_be_visible()
    forward(
        browse, page, "Radweg an der Dalke", "Der **Schulweg** wird sicherer.", empty_first=True
    )
    forward(browse, page, "Busse mit WLAN", "Pendler arbeiten unterwegs.")
    assert ranking_titles(page) == ["Radweg an der Dalke", "Busse mit WLAN"]
    expect(page.locator(".forwarding-table strong")).to_have_text("Schulweg")

    # Reorder: the buses first. Back on the list at the moved row, without JavaScript needed.
    page.get_by_role("button", name=named("nach oben", "Busse mit WLAN")).click()
    browse.landed("/moderation/mobilitaet/forwarded")
    expect_flash(page, "steht jetzt einen Rang weiter oben")
    assert re.search(r"#rang-\d+$", page.url)
    assert ranking_titles(page) == ["Busse mit WLAN", "Radweg an der Dalke"]
    expect(page.locator(".forwarding-table tbody tr").first.locator("td.rank")).to_have_text("1")

    # Take the cycle path back for more work: it leaves the ranking with its note.
    page.get_by_role("link", name=named("zurücknehmen", "Radweg an der Dalke")).click()
    browse.landed()
    page.get_by_label(re.compile(r"^Anmerkung")).fill("Wir klären erst die Kosten.")
    page.get_by_role("button", name="Zurücknehmen", exact=True).click()
    browse.landed("/moderation/mobilitaet/forwarded")
    assert ranking_titles(page) == ["Busse mit WLAN"]
    returned = page.locator(".forwarding-returned")
    expect(returned).to_contain_text("Radweg an der Dalke")
    expect(returned).to_contain_text("Wir klären erst die Kosten.")

    # The public view of the ranking: order and rationale, no actions.
    page.get_by_role("link", name="Öffentliche Ansicht der Rangfolge").click()
    browse.landed("/groups/mobilitaet/forwarded")
    expect(page.locator(".public-ranking")).to_contain_text("Pendler arbeiten unterwegs.")
    expect(page.get_by_role("button", name=re.compile("nach oben"))).to_have_count(0)
