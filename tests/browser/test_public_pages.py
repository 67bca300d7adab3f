"""What a visitor sees without an account: every public page passes axe, works by keyboard."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

PUBLIC_PAGES = [
    "/",
    "/groups/digitale-infrastruktur",
    "/barrierefreiheit",
    "/datenschutz",
    "/impressum",
    "/account/login",
    "/account/register",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(browse, groups_seeded, path):
    page = browse.visit(path)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_count(1)


def test_unknown_page_is_an_accessible_404(browse):
    page = browse.visit("/gibt-es-nicht", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    page.get_by_role("link", name="Zur Startseite").click()
    browse.landed("/")


def test_home_lists_the_groups_and_links_to_them(browse, groups_seeded, output_path):
    page = browse.visit("/")
    # For a person to look at: test-results/<this test>/home.png (not in git).
    page.screenshot(path=Path(output_path) / "home.png", full_page=True)
    groups = page.get_by_role("region", name="Themengruppen").get_by_role("listitem")
    expect(groups).to_have_count(5)
    page.get_by_role("link", name="Digitale Infrastruktur").click()
    browse.landed("/groups/digitale-infrastruktur")
    expect(page.get_by_role("heading", level=1)).to_have_text("Digitale Infrastruktur")


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(browse, groups_seeded):
    page = browse.visit("/")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    # Hidden above the top edge until focused; then inside the viewport.
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0, box
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab continues inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_language_switch_to_english_survives_navigation(browse, groups_seeded):
    page = browse.visit("/")
    page.get_by_role("button", name="English").click()
    browse.landed("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Digitale Infrastruktur").click()
    browse.landed("/groups/digitale-infrastruktur")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Deutsch").click()
    browse.landed("/groups/digitale-infrastruktur")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Anmelden", exact=True)).to_be_visible()


def test_english_interface_is_translated(browse, groups_seeded):
    page = browse.visit("/")
    page.get_by_role("button", name="English").click()
    browse.landed("/")
    # Worded by the translator, so only the start is pinned down.
    expect(page.locator("a.skip-link")).to_have_text(re.compile(r"^Skip to", re.IGNORECASE))
    expect(page.get_by_role("banner").get_by_role("link", name="Anmelden")).to_have_count(0)
