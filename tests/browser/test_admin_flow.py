"""An admin at work: thematic groups and their tandem, a user's roles, the imprint.

Everything here works with plain form posts; only archiving asks once more through
static/js/site.js (data-confirm), which the test answers like a person would.
"""

import re

from playwright.sync_api import Dialog, Page, expect

from app.models import Role
from tests.browser.helpers import arrived_at, sign_in
from tests.factories import make_group, make_user


def group_row(page: Page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))


def row_names(page: Page) -> list[str]:
    return page.locator("table.admin-groups tbody th[scope=row]").all_inner_texts()


def test_admin_manages_groups_tandem_roles_and_imprint(browse):
    make_group("Digitale Infrastruktur", "digitale-infrastruktur")
    make_group("Digitale Verwaltung/Politik", "verwaltung-politik")
    admin = make_user("admin@example.org", display_name="Ada Admin", roles_={Role.ADMIN})
    make_user("rathaus@example.org", display_name="Rita Rathaus")
    make_user("verein@example.org", display_name="Veit Verein")

    page = sign_in(browse, admin.email)
    page.get_by_role("banner").get_by_role("link", name="Verwaltung").click()
    browse.landed("/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwaltung")

    # Groups: create one; it is added at the end of the table.
    page.get_by_role("link", name="Themengruppen verwalten").click()
    browse.landed("/admin/groups")
    create = page.get_by_role("region", name="Neue Themengruppe anlegen")
    create.get_by_role("textbox", name="Name").fill("Digitale Schule")
    create.get_by_role("textbox", name="Beschreibung").fill("Tablets, WLAN und Lernplattformen.")
    create.get_by_role("button", name="Themengruppe anlegen").click()
    browse.landed("/admin/groups")
    expect(page.get_by_role("status")).to_contain_text("„Digitale Schule“ wurde angelegt")
    row = group_row(page, "Digitale Schule")
    expect(row).to_contain_text("/groups/digitale-schule")
    expect(row).to_contain_text("aktiv")
    assert row_names(page)[-1] == "Digitale Schule"

    # Rename it; the address stays.
    page.get_by_role("link", name="Bearbeiten: Digitale Schule").click()
    edit_path = arrived_at(page, r"/admin/groups/\d+")
    browse.landed(edit_path)
    page.get_by_role("textbox", name="Name").fill("Digitale Bildung")
    page.get_by_role("button", name="Speichern").click()
    browse.landed("/admin/groups")
    expect(page.get_by_role("status")).to_contain_text("„Digitale Bildung“ wurde gespeichert")
    expect(group_row(page, "Digitale Schule")).to_have_count(0)
    expect(group_row(page, "Digitale Bildung")).to_contain_text("/groups/digitale-schule")

    # Move it up one place.
    page.get_by_role("button", name="„Digitale Bildung“ nach oben verschieben").click()
    browse.landed("/admin/groups")
    expect(page.get_by_role("status")).to_contain_text("eine Stelle weiter oben")
    assert row_names(page) == [
        "Digitale Infrastruktur",
        "Digitale Bildung",
        "Digitale Verwaltung/Politik",
    ]

    # Archive it (the page asks once more) and bring it back.
    questions: list[str] = []

    def agree(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", agree)
    page.get_by_role("button", name="Archivieren: Digitale Bildung").click()
    browse.landed("/admin/groups")
    assert questions and "archivieren?" in questions[0], questions
    expect(page.get_by_role("status")).to_contain_text("„Digitale Bildung“ ist archiviert")
    expect(group_row(page, "Digitale Bildung")).to_contain_text("archiviert")
    page.get_by_role("button", name="Wiederherstellen: Digitale Bildung").click()
    browse.landed("/admin/groups")
    expect(page.get_by_role("status")).to_contain_text("„Digitale Bildung“ ist wieder aktiv")
    expect(group_row(page, "Digitale Bildung")).to_contain_text("aktiv")
    expect(page.get_by_role("button", name="Archivieren: Digitale Bildung")).to_be_visible()

    # The tandem: an unknown address gets its message beside that field; nothing is lost.
    page.get_by_role("link", name="Bearbeiten: Digitale Bildung").click()
    browse.landed(edit_path)
    administration = page.get_by_role("textbox", name="Leitung aus der Stadtverwaltung")
    civic = page.get_by_role("textbox", name="Leitung aus der Stadtgesellschaft")
    administration.fill("niemand@example.org")
    civic.fill("verein@example.org")
    page.get_by_role("button", name="Speichern").click()
    browse.landed(edit_path)
    expect(administration).to_have_attribute("aria-invalid", "true")
    expect(administration).to_have_accessible_description(
        re.compile("Es gibt kein Konto mit dieser E-Mail-Adresse")
    )
    expect(administration).to_have_value("niemand@example.org")
    expect(civic).to_have_value("verein@example.org")
    expect(civic).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Leitung aus der Stadtverwaltung")

    administration.fill("rathaus@example.org")
    page.get_by_role("button", name="Speichern").click()
    browse.landed("/admin/groups")
    tandem = group_row(page, "Digitale Bildung")
    expect(tandem).to_contain_text("Stadtverwaltung: Rita Rathaus")
    expect(tandem).to_contain_text("Stadtgesellschaft: Veit Verein")

    # Users: find one, give them the board role; the list shows it.
    page.get_by_role("navigation", name="Verwaltungsbereiche").get_by_role(
        "link", name="Konten und Rollen"
    ).click()
    browse.landed("/admin/users")
    page.get_by_role("searchbox", name="Konten suchen").fill("rathaus")
    page.get_by_role("button", name="Suchen").click()
    browse.landed("/admin/users")
    assert "q=rathaus" in page.url, page.url
    results = page.get_by_role("table")
    expect(results.get_by_role("row")).to_have_count(2)  # the header and Rita
    results.get_by_role("link", name="Rita Rathaus").click()
    user_path = arrived_at(page, r"/admin/users/\d+")
    browse.landed(user_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Konto: Rita Rathaus")
    expect(page.get_by_role("region", name="Gruppenleitungen")).to_contain_text(
        "Digitale Bildung (Stadtverwaltung)"
    )
    board = page.get_by_role("checkbox", name="Lenkungsgremium")
    expect(board).not_to_be_checked()
    board.check()
    page.get_by_role("button", name="Rollen speichern").click()
    browse.landed(user_path)
    expect(page.get_by_role("status")).to_contain_text("Rollen von Rita Rathaus wurden gespeichert")
    expect(board).to_be_checked()

    page.get_by_role("link", name="Konten und Rollen").first.click()
    browse.landed("/admin/users")
    rita = page.get_by_role("row").filter(has=page.get_by_role("link", name="Rita Rathaus"))
    expect(rita).to_contain_text("Lenkungsgremium")
    veit = page.get_by_role("row").filter(has=page.get_by_role("link", name="Veit Verein"))
    expect(veit).not_to_contain_text("Lenkungsgremium")

    # Site texts: a new imprint, published at once.
    page.get_by_role("navigation", name="Verwaltungsbereiche").get_by_role(
        "link", name="Seitentexte"
    ).click()
    browse.landed("/admin/texts")
    page.get_by_role("link", name="Bearbeiten: Impressum").click()
    browse.landed("/admin/texts/imprint")
    page.get_by_role("textbox", name="Text (Markdown)").fill(
        "## Herausgeberin\n\nStadt Musterstadt, **Rathausplatz 1**, 12345 Musterstadt"
    )
    page.get_by_role("button", name="Speichern").click()
    browse.landed("/admin/texts")
    expect(page.get_by_role("status")).to_contain_text("Impressum“ wurde gespeichert")
    expect(page.get_by_role("row", name=re.compile("Impressum"))).to_contain_text("bearbeitet am")
    page.get_by_role("link", name="Ansehen: Impressum").click()
    browse.landed("/impressum")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Herausgeberin", level=2)).to_be_visible()
    expect(main.locator("strong")).to_have_text("Rathausplatz 1")


def test_citizen_gets_the_403_page_in_the_admin_area(browse):
    citizen = make_user("buergerin@example.org")
    page = sign_in(browse, citizen.email)
    expect(page.get_by_role("banner").get_by_role("link", name="Verwaltung")).to_have_count(0)
    browse.visit("/admin/", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zugriff verweigert")
    expect(page.get_by_role("main")).to_contain_text("keine Berechtigung")
    browse.visit("/admin/groups", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zugriff verweigert")
