"""The steering board at work: a member sorts the ranking table (instantly, with
JavaScript), filters it, opens a dossier; an admin changes the Gesamtwertung's weights.

Sorting in the browser must give exactly the server's order: every click is followed by
a reload of the address the script wrote, and both orders are compared.
"""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import IdeaStatus, Role
from tests.browser.helpers import arrived_at, sign_in
from tests.factories import make_comment, make_group, make_user
from tests.services.test_board import assess, forward, vote

S = IdeaStatus


def row_ids(page: Page) -> list[str]:
    return page.locator("table.board-table tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.ideaId)"
    )


def header(page: Page, key: str):
    return page.locator(f'table.board-table th[data-sort-key="{key}"]')


def query(page: Page) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(page.url).query).items()}


def seed_board():
    """Ideas in two groups with ties, missing values and umlauts, so that orders differ."""
    infra = make_group("Digitale Infrastruktur", "digitale-infrastruktur")
    admin_group = make_group("Digitale Verwaltung", "verwaltung-politik")
    glasfaser = forward(group=infra, title="Glasfaser für Isselhorst", rank=1)
    wlan = forward(group=infra, title="Öffentliches WLAN am Bahnhof", rank=2)
    sensoren = forward(group=infra, title="Sensoren für Luftqualität", rank=3)
    akte = forward(group=admin_group, title="akte digital", rank=1)
    portal = forward(group=admin_group, title="Bürgerportal", rank=2, status=S.PRIORITISED)
    for _ in range(3):
        vote(glasfaser, "up")
    vote(wlan, "up", u30=True)
    vote(wlan, "down")
    vote(akte, "up")
    vote(portal, "up")
    assess(glasfaser, 4, 3)
    assess(wlan, 5, 2, u30=True)
    assess(akte, 2, 5)
    make_comment(sensoren, body="Wo sollen die Sensoren hängen?")
    reply_to = make_comment(glasfaser, body="Wann geht es los?")
    make_comment(glasfaser, body="Im Frühjahr.", parent=reply_to)
    db.session.commit()
    return glasfaser


def test_board_member_sorts_filters_and_opens_a_dossier(browse):
    glasfaser = seed_board()
    member = make_user("gremium@example.org", display_name="Gerda Gremium", roles_={Role.BOARD})

    page = sign_in(browse, member.email)
    page.get_by_role("banner").get_by_role("link", name="Lenkungsgremium").click()
    browse.landed("/board")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lenkungsgremium: weitergeleitete Ideen"
    )
    table = page.get_by_role("table")
    expect(table).to_contain_text("5 weitergeleitete Ideen, sortiert nach Gesamtwertung")
    expect(header(page, "score")).to_have_attribute("aria-sort", "descending")
    expect(page.get_by_role("heading", name="So wird die Gesamtwertung berechnet")).to_be_visible()

    # With JavaScript a click sorts in place: no new page, the address and aria-sort follow.
    for key, first, second in [
        ("up", "descending", "ascending"),
        ("benefit", "descending", "ascending"),
        ("group", "ascending", "descending"),
        ("rank", "ascending", "descending"),
        ("u30_votes", "descending", "ascending"),
        ("title", "ascending", "descending"),
    ]:
        for expected in (first, second):
            documents = len(browse.loaded)
            header(page, key).get_by_role("link").click()
            expect(header(page, key)).to_have_attribute("aria-sort", expected)
            assert len(browse.loaded) == documents, "sorting reloaded the page"
            assert query(page) == {
                "sort": key,
                "dir": "desc" if expected == "descending" else "asc",
            }
            expect(table.locator("caption")).to_contain_text(
                "absteigend" if expected == "descending" else "aufsteigend"
            )
            expect(page.locator("[data-sort-status]")).to_contain_text("sortiert nach")
            assert page.locator("th[aria-sort]").count() == 1
            in_browser = row_ids(page)
            # The address survives a reload, and the server sorts exactly as the browser did.
            page.reload()
            browse.landed("/board")
            expect(header(page, key)).to_have_attribute("aria-sort", expected)
            assert row_ids(page) == in_browser, (key, expected)
    # Sorted by title, descending: Ö folds to O, "akte" to a.
    titles = page.locator("table.board-table tbody th").all_inner_texts()
    assert titles == [
        "Sensoren für Luftqualität",
        "Öffentliches WLAN am Bahnhof",
        "Glasfaser für Isselhorst",
        "Bürgerportal",
        "akte digital",
    ]

    # Filter by group and status; the sort stays.
    page.get_by_role("combobox", name="Themengruppe").select_option(label="Digitale Infrastruktur")
    page.get_by_role("combobox", name="Status").select_option(label="Weitergeleitet")
    page.get_by_role("button", name="Filter anwenden").click()
    browse.landed("/board")
    assert query(page) == {
        "sort": "title",
        "dir": "desc",
        "group": "digitale-infrastruktur",
        "status": "forwarded",
    }
    expect(table).to_contain_text("3 weitergeleitete Ideen")
    expect(header(page, "title")).to_have_attribute("aria-sort", "descending")
    # Sorting after filtering keeps the filters in the address.
    header(page, "up").get_by_role("link").click()
    expect(header(page, "up")).to_have_attribute("aria-sort", "descending")
    assert query(page)["group"] == "digitale-infrastruktur"
    assert row_ids(page)[0] == str(glasfaser.id)

    # The dossier: text, rationale, charts with their tables.
    page.get_by_role("link", name="Glasfaser für Isselhorst").click()
    path = arrived_at(page, r"/board/ideas/\d+")
    browse.landed(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Glasfaser für Isselhorst")
    expect(page.get_by_text("Weil es vielen hilft.")).to_be_visible()
    for name in ("Nutzen", "Umsetzbarkeit"):
        chart = page.get_by_role("img", name=f"Verteilung der Einschätzungen: {name}")
        expect(chart).to_be_visible()
        expect(page.get_by_role("table", name=f"{name}: Einschätzungen je Wert")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Abstimmungsverlauf"))).to_be_visible()
    bars = page.locator('svg#verteilung-nutzen rect[data-count="1"]')
    assert bars.count() == 1 and float(bars.get_attribute("height")) > 0
    page.get_by_text("Zahlen als Tabelle").click()
    expect(page.get_by_role("table", name="Stimmen je Tag und aufsummiert")).to_be_visible()
    expect(page.get_by_role("heading", name="Kommentare mit den meisten Antworten")).to_be_visible()
    expect(page.get_by_text("Wann geht es los?")).to_be_visible()
    expect(page.get_by_role("heading", name="U30-Votum")).to_be_visible()
    browse.check_a11y()  # with the table opened

    page.get_by_role("navigation", name="Brotkrumen").get_by_role(
        "link", name="Lenkungsgremium"
    ).click()
    browse.landed("/board")


def test_admin_weights_change_the_boards_order(browse):
    infra = make_group("Digitale Infrastruktur", "digitale-infrastruktur")
    popular = forward(group=infra, title="Beliebte Idee")
    for _ in range(6):
        vote(popular, "up")
    valued = forward(group=infra, title="Geschätzte Idee")
    assess(valued, 5, 5)
    admin = make_user("admin@example.org", display_name="Ada Admin", roles_={Role.ADMIN})

    page = sign_in(browse, admin.email)
    browse.visit("/board")
    titles = page.locator("table.board-table tbody th")
    expect(titles).to_have_text(["Geschätzte Idee", "Beliebte Idee"])
    page.get_by_role("link", name="Gewichte ändern").click()
    browse.landed("/admin/board-weights")

    page.get_by_role("textbox", name=re.compile("^Zustimmung")).fill("zwölf")
    page.get_by_role("button", name="Speichern").click()
    browse.landed("/admin/board-weights")
    expect(page.locator("#votes-fehler")).to_contain_text("Bitte geben Sie eine Zahl von 0 bis 10")
    expect(page.get_by_role("textbox", name=re.compile("^Zustimmung"))).to_have_value("zwölf")

    page.get_by_role("textbox", name=re.compile("^Zustimmung")).fill("10")
    page.get_by_role("textbox", name=re.compile("^Nutzen")).fill("0,5")
    page.get_by_role("button", name="Speichern").click()
    browse.landed("/admin/board-weights")
    expect(page.get_by_role("status")).to_contain_text("gespeichert")

    page.get_by_role("banner").get_by_role("link", name="Lenkungsgremium").click()
    browse.landed("/board")
    expect(titles).to_have_text(["Beliebte Idee", "Geschätzte Idee"])
    expect(page.locator(".formula")).to_contain_text("10 × Zustimmung + 0,5 × Nutzen")
