"""The steering board decides: a member sorts and filters the table, opens a dossier,
records two decisions, builds a meeting's agenda and prints it; then a visitor reads the
outcomes on /decisions and on the idea pages."""

import re

from playwright.sync_api import Browser, expect

from app.models import Role
from app.models.base import utcnow
from tests.browser.conftest import Browse
from tests.browser.helpers import arrived_at, sign_in
from tests.factories import make_group, make_user
from tests.services.test_board import assess, forward, vote

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def seed():
    infra = make_group("Digitale Infrastruktur", "digitale-infrastruktur")
    mobility = make_group("Bau, Energie und Mobilität", "bau-energie-mobilitaet")
    glasfaser = forward(group=infra, title="Glasfaser für Isselhorst", rank=1)
    wlan = forward(group=infra, title="Öffentliches WLAN am Bahnhof", rank=2)
    seilbahn = forward(group=mobility, title="Seilbahn zum Kreishaus", rank=1)
    for _ in range(3):
        vote(glasfaser, "up")
    vote(wlan, "up")
    vote(seilbahn, "down")
    assess(glasfaser, 5, 4)
    return glasfaser, wlan, seilbahn


def test_board_decides_prints_the_agenda_and_the_public_reads_it(
    browse, browser: Browser, live_server, tmp_path
):
    glasfaser, _wlan, seilbahn = seed()
    member = make_user("gremium@example.org", display_name="Gerda Gremium", roles_={Role.BOARD})
    today = utcnow().date().isoformat()

    page = sign_in(browse, member.email)
    page.get_by_role("banner").get_by_role("link", name="Lenkungsgremium").click()
    browse.landed("/board")
    table = page.locator("table.board-table")
    expect(table).to_contain_text("3 weitergeleitete Ideen")
    # Sort by title (instantly, with JavaScript), then filter by group.
    page.locator('th[data-sort-key="title"]').get_by_role("link").click()
    expect(page.locator('th[data-sort-key="title"]')).to_have_attribute("aria-sort", "ascending")
    expect(table.locator("tbody th")).to_have_text(
        ["Glasfaser für Isselhorst", "Öffentliches WLAN am Bahnhof", "Seilbahn zum Kreishaus"]
    )
    page.get_by_role("combobox", name="Themengruppe").select_option(label="Digitale Infrastruktur")
    page.get_by_role("button", name="Filter anwenden").click()
    browse.landed("/board")
    expect(table).to_contain_text("2 weitergeleitete Ideen")

    # The dossier leads to the decision form: prioritise with a rank.
    page.get_by_role("link", name="Glasfaser für Isselhorst").click()
    browse.landed(arrived_at(page, r"/board/ideas/\d+"))
    page.get_by_role("link", name="Entscheidung erfassen").click()
    browse.landed(f"/board/ideas/{glasfaser.id}/decision")
    expect(page.get_by_label("Datum der Sitzung")).to_have_value(today)
    page.get_by_role("radio", name="Priorisiert").check()
    page.get_by_label("Rang auf der Prioritätenliste").fill("1")
    page.get_by_label(re.compile("^Begründung oder Anmerkung")).fill("Schnelles Netz für alle.")
    page.get_by_role("button", name="Entscheidung speichern").click()
    browse.landed(f"/board/ideas/{glasfaser.id}")
    expect(page.get_by_role("status")).to_contain_text("Priorisiert")
    expect(page.locator("#entscheidungen-gremium").locator("..")).to_contain_text("Rang 1")

    # Decline the Seilbahn: first without a reason (error beside the field, input kept).
    browse.visit(f"/board/ideas/{seilbahn.id}/decision")
    page.get_by_role("radio", name="Abgelehnt").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    browse.landed(f"/board/ideas/{seilbahn.id}/decision")
    expect(page.locator("#note-fehler")).to_have_text("Bitte begründen Sie die Ablehnung.")
    expect(page.get_by_role("radio", name="Abgelehnt")).to_be_checked()
    page.get_by_label(re.compile("^Begründung oder Anmerkung")).fill(
        "Die Kosten stehen in keinem Verhältnis zum Nutzen."
    )
    page.get_by_role("button", name="Entscheidung speichern").click()
    browse.landed(f"/board/ideas/{seilbahn.id}")

    # A meeting with an agenda: today's meeting exists already (the decisions made it).
    page.get_by_role("link", name="Sitzungen und Tagesordnungen").click()
    browse.landed("/board/meetings")
    page.get_by_label("Datum der Sitzung").fill(today)
    page.get_by_label("Titel (freiwillig)").fill("Frühjahrssitzung")
    page.get_by_role("button", name="Sitzung anlegen").click()
    path = arrived_at(page, r"/board/meetings/\d+")
    browse.landed(path)
    expect(page.get_by_role("status")).to_contain_text("bereits eine Sitzung")
    page.get_by_role("checkbox", name=re.compile("^Glasfaser")).check()
    page.get_by_role("checkbox", name=re.compile("^Öffentliches WLAN")).check()
    page.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    browse.landed(path)
    rows = page.locator("table.agenda-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Glasfaser")  # higher Gesamtwertung first
    page.get_by_role("button", name="„Öffentliches WLAN am Bahnhof“ nach oben").click()
    browse.landed(path)
    expect(rows.nth(0)).to_contain_text("Öffentliches WLAN")
    expect(page.get_by_role("heading", name="Entscheidungen in dieser Sitzung")).to_be_visible()
    expect(page.locator("#entscheidungen")).to_contain_text("Schnelles Netz für alle.")
    expect(page.get_by_role("button", name="Drucken")).to_be_visible()  # print.js showed it

    # The print view: a document without navigation, forms and buttons, rows whole.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_hidden()
    expect(page.get_by_role("button", name="Auf die Tagesordnung setzen")).to_be_hidden()
    expect(page.get_by_role("heading", name="Sitzungsvorlage", level=1)).to_be_visible()
    assert rows.nth(0).evaluate("row => getComputedStyle(row).breakInside") == "avoid"
    shot = tmp_path / "sitzungsvorlage-druck.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(PNG_SIGNATURE) and shot.stat().st_size > 5000
    page.emulate_media(media="screen")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()

    # A visitor, in a browser of their own, reads the outcomes.
    context = browser.new_context(base_url=live_server)
    try:
        visitor = Browse(context.new_page(), live_server)
        public = visitor.visit("/")
        public.get_by_role("link", name="Entscheidungen").click()
        visitor.landed("/decisions")
        expect(public.get_by_role("heading", level=1)).to_have_text(
            "Entscheidungen des Lenkungsgremiums"
        )
        priorities = public.locator(".priority-list")
        expect(priorities).to_contain_text("Glasfaser für Isselhorst")
        meeting = public.locator(".decision-meeting")
        expect(meeting).to_have_count(1)
        expect(meeting).to_contain_text("Seilbahn zum Kreishaus")
        expect(meeting).to_contain_text("Abgelehnt")
        expect(meeting).to_contain_text("Die Kosten stehen in keinem Verhältnis zum Nutzen.")
        expect(meeting).to_contain_text("Rang 1 auf der Prioritätenliste")
        public.screenshot(path=str(tmp_path / "entscheidungen.png"), full_page=True)

        meeting.get_by_role("link", name="Seilbahn zum Kreishaus").click()
        visitor.landed(f"/ideas/{seilbahn.id}")
        section = public.locator("#entscheidung")
        expect(section).to_contain_text("Entscheidung des Lenkungsgremiums")
        expect(section).to_contain_text("Abgelehnt")
        section.get_by_role("link", name=re.compile("^Sitzung vom")).click()
        visitor.landed("/decisions")
        assert public.url.endswith(f"#sitzung-{today}")

        visitor.visit(f"/ideas/{glasfaser.id}")
        expect(public.locator("#entscheidung")).to_contain_text("Rang 1 auf der Prioritätenliste")
        expect(public.locator("#entscheidung")).to_contain_text("Schnelles Netz für alle.")
        visitor.assert_every_page_checked()
        visitor.assert_no_problems()
    finally:
        context.close()
