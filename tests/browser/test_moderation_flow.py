"""What a group lead does with reported content: a citizen reports a comment, the lead sees
the badge, opens the workspace, hides the comment with a template reason; the public no
longer sees it and its author is told why. Also: blocks, the audit log, the public summary
and the admin settings of moderation, each page checked by axe.
"""

import re

from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Role
from app.services import groups, moderation
from tests.browser.helpers import arrived_at, sign_in
from tests.factories import make_comment, make_idea, make_user

GROUP = "digitale-infrastruktur"
INSULT = "Wer so etwas vorschlägt, hat keine Ahnung und sollte schweigen."


def sign_out(browse) -> None:
    browse.page.get_by_role("banner").get_by_role("button", name="Abmelden").click()
    browse.landed("/")


def expect_flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_a_lead_handles_a_reported_comment(browse, groups_seeded):
    group = groups.find_by_slug(GROUP)
    moderation.seed_default_templates()
    lead = make_user("leitung@example.org", display_name="Lea Leitung", lead_of=group)
    author = make_user("autor@example.org", display_name="Anton Autor")
    reporter = make_user("melderin@example.org", display_name="Mia Melderin")
    idea = make_idea(group, make_user(), title="Glasfaser für die Innenstadt")
    comment = make_comment(idea, author, body=INSULT)
    db.session.commit()

    # A citizen reports the comment.
    page = sign_in(browse, reporter.email)
    browse.visit(f"/ideas/{idea.id}")
    page.locator(f"#kommentar-{comment.id}").get_by_role("link", name="Melden").click()
    browse.landed(f"/ideas/{idea.id}/comments/{comment.id}/report")
    page.get_by_role("textbox", name=re.compile("^Grund der Meldung")).fill(
        "Beleidigt andere Beteiligte."
    )
    page.get_by_role("button", name="Meldung senden").click()
    browse.landed(f"/ideas/{idea.id}")
    expect_flash(page, "Danke für Ihre Meldung")
    sign_out(browse)

    # The lead sees the badge and opens the workspace.
    page = sign_in(browse, lead.email)
    badge = page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Moderation, 1 offen"
    )
    expect(badge).to_be_visible()
    badge.click()
    browse.landed(f"/moderation/{GROUP}")
    reports = page.get_by_role("region", name=re.compile("^Meldungen"))
    item = reports.get_by_role("article")
    expect(item).to_contain_text("Beleidigt andere Beteiligte.")
    expect(item).to_contain_text("von 1 Person gemeldet")
    expect(item).to_contain_text("Wer so etwas vorschlägt")
    item.get_by_role("link", name=re.compile("^Ausblenden")).click()
    browse.landed(f"/moderation/comments/{comment.id}/hide")

    # The reason is required: the form says so and keeps the page.
    page.get_by_role("button", name="Kommentar ausblenden").click()
    browse.landed(f"/moderation/comments/{comment.id}/hide")
    expect(page.locator("#text-fehler")).to_contain_text("Bitte wählen Sie eine Vorlage")
    page.get_by_role("combobox", name="Vorlage").select_option(label="Beleidigung")
    page.get_by_role("textbox", name="Eigener Grund oder Ergänzung").fill(
        "Bitte bleiben Sie bei der Sache."
    )
    page.get_by_role("button", name="Kommentar ausblenden").click()
    browse.landed(f"/moderation/{GROUP}")
    expect_flash(page, "Der Kommentar ist ausgeblendet.")
    expect(page.get_by_role("region", name=re.compile("^Meldungen"))).to_contain_text(
        "Keine offenen Meldungen."
    )
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name="Moderation", exact=True)).to_be_visible()

    # The lead still sees it, marked, on the idea page; the log names the decision.
    browse.visit(f"/ideas/{idea.id}")
    hidden = page.locator(f"#kommentar-{comment.id}")
    expect(hidden).to_contain_text("Ausgeblendet – nur für die Moderation sichtbar")
    expect(hidden.get_by_role("button", name="Wiederherstellen")).to_be_visible()
    browse.visit(f"/moderation/log?group={GROUP}")
    log = page.get_by_role("table")
    expect(log).to_contain_text("Kommentar ausgeblendet")
    expect(log).to_contain_text("Lea Leitung")
    expect(log).to_contain_text("Bitte bleiben Sie bei der Sache.")
    sign_out(browse)

    # The public no longer sees it; the summary counts it under its template.
    browse.visit(f"/ideas/{idea.id}")
    expect(page.get_by_role("main")).not_to_contain_text("keine Ahnung")
    browse.visit(f"/groups/{GROUP}")
    page.get_by_role("link", name=re.compile("^Moderation in dieser Themengruppe")).click()
    browse.landed(f"/groups/{GROUP}/moderation")
    expect(page.get_by_role("table")).to_contain_text("Beleidigung")
    expect(page.get_by_role("main")).not_to_contain_text("Anton Autor")

    # The author learns why.
    page = sign_in(browse, author.email)
    page.get_by_role("link", name=re.compile("^Benachrichtigungen")).click()
    browse.landed("/account/notifications")
    expect(page.get_by_role("main")).to_contain_text(
        "Ihr Kommentar zur Idee „Glasfaser für die Innenstadt“ wurde von der Moderation "
        "ausgeblendet."
    )
    expect(page.get_by_role("main")).to_contain_text("Bitte bleiben Sie bei der Sache.")


def test_blocks_restore_and_the_admin_settings(browse, groups_seeded):
    group = groups.find_by_slug(GROUP)
    other_group = groups.find_by_slug("verwaltung-politik")
    moderation.seed_default_templates()
    lead = make_user("leitung@example.org", display_name="Lea Leitung", lead_of=group)
    groups.add_lead(other_group, lead)
    admin = make_user("admin@example.org", display_name="Ada Admin", roles_={Role.ADMIN})
    author = make_user("autor@example.org", display_name="Anton Autor")
    idea = make_idea(group, author, title="Sensoren für freie Parkplätze")
    db.session.commit()

    page = sign_in(browse, lead.email)
    # Two groups: the navigation leads to the log, which lists both workspaces.
    page.get_by_role("link", name="Moderation", exact=True).click()
    browse.landed("/moderation/log")
    page.get_by_role("link", name="Moderation: Digitale Infrastruktur").click()
    browse.landed(f"/moderation/{GROUP}")

    # Hide the idea from its own form (an admin restores it below).
    browse.visit(f"/moderation/ideas/{idea.id}/hide")
    page.get_by_role("combobox", name="Vorlage").select_option(label="Werbung/Spam")
    page.get_by_role("button", name="Idee ausblenden").click()
    browse.landed(f"/moderation/{GROUP}")
    expect(page.get_by_role("main")).to_contain_text("Derzeit ausgeblendet: 1 Ideen")

    # Block the author, with a mistake first.
    browse.visit(f"/moderation/{GROUP}/block/{author.id}")
    page.get_by_role("combobox", name="Dauer der Sperre").select_option(
        label="bis zu einem Datum (unten wählen)"
    )
    page.get_by_role("textbox", name=re.compile("^Grund der Sperre")).fill("Werbung in Serie.")
    page.get_by_role("button", name="Sperren").click()
    browse.landed(f"/moderation/{GROUP}/block/{author.id}")
    expect(page.locator("#last_day-fehler")).to_contain_text("letzten Tag")
    expect(page.get_by_role("textbox", name=re.compile("^Grund der Sperre"))).to_have_value(
        "Werbung in Serie."
    )
    page.get_by_role("combobox", name="Dauer der Sperre").select_option(label="1 Woche")
    page.get_by_role("button", name="Sperren").click()
    browse.landed(f"/moderation/{GROUP}")
    blocks = page.get_by_role("region", name="Aktive Sperren")
    expect(blocks).to_contain_text("Anton Autor")
    expect(blocks).to_contain_text("Werbung in Serie.")
    sign_out(browse)

    # The blocked author reads why where they would write.
    page = sign_in(browse, author.email)
    browse.visit(f"/ideas/new?group={GROUP}")
    page.get_by_role("textbox", name="Titel").fill("Noch mehr Werbung")
    page.get_by_role("textbox", name="Beschreibung").fill("Kaufen Sie bei uns.")
    page.get_by_role("button", name="Veröffentlichen").click()
    browse.landed("/ideas/new")
    expect(page.locator("#group-fehler")).to_contain_text("gesperrt")
    expect(page.locator("#group-fehler")).to_contain_text("Werbung in Serie.")
    expect(page.get_by_role("textbox", name="Titel")).to_have_value("Noch mehr Werbung")
    sign_out(browse)

    # The lead lifts the block and restores the idea.
    page = sign_in(browse, lead.email)
    browse.visit(f"/moderation/{GROUP}")
    page.get_by_role("button", name="Sperre von Anton Autor aufheben").click()
    browse.landed(f"/moderation/{GROUP}")
    expect_flash(page, "ist aufgehoben")
    browse.visit(f"/moderation/log?group={GROUP}")
    expect(page.get_by_role("table")).to_contain_text("Sperre aufgehoben")
    sign_out(browse)

    # The admin sets the threshold and edits the templates.
    page = sign_in(browse, admin.email)
    browse.visit("/admin/")
    page.get_by_role("navigation", name="Verwaltungsbereiche").get_by_role(
        "link", name="Moderation"
    ).click()
    browse.landed("/admin/moderation")
    threshold = page.get_by_role("textbox", name=re.compile("^Automatisch ausblenden ab"))
    threshold.fill("null")
    page.get_by_role("button", name="Speichern").click()
    browse.landed("/admin/moderation/threshold")
    expect(page.locator("#threshold-fehler")).to_contain_text("ganze Zahl")
    page.get_by_role("textbox", name=re.compile("^Automatisch ausblenden ab")).fill("2")
    page.get_by_role("button", name="Speichern").click()
    browse.landed("/admin/moderation")
    expect_flash(page, "Schwelle")
    page.get_by_role("textbox", name=re.compile("^Bezeichnung")).fill("Doppelt eingereicht")
    page.get_by_role("button", name="Vorlage anlegen").click()
    browse.landed("/admin/moderation")
    page.get_by_role("link", name="Bearbeiten: Doppelt eingereicht").click()
    arrived_at(page, r"/admin/moderation/reasons/\d+")
    browse.landed()
    page.get_by_role("textbox", name=re.compile("^Bezeichnung")).fill("Dublette")
    page.get_by_role("button", name="Speichern").click()
    browse.landed("/admin/moderation")
    expect(page.get_by_role("table")).to_contain_text("Dublette")

    # The admin restores the idea; a note that is too long comes back on a page of its own.
    browse.visit(f"/moderation/ideas/{idea.id}/hide")
    note = page.get_by_role("textbox", name=re.compile("^Anmerkung"))
    note.evaluate("field => field.removeAttribute('maxlength')")
    note.fill("Zu lang. " * 120)
    page.get_by_role("button", name="Idee wiederherstellen").click()
    browse.landed(f"/moderation/ideas/{idea.id}/restore")
    expect(page.locator("#note-fehler")).to_contain_text("höchstens 1000 Zeichen")
    page.get_by_role("textbox", name=re.compile("^Anmerkung")).fill("Kein Verstoß.")
    page.get_by_role("button", name="Idee wiederherstellen").click()
    browse.landed(f"/moderation/{GROUP}")
    expect_flash(page, "wieder öffentlich sichtbar")
    browse.visit(f"/groups/{GROUP}/moderation")
    expect(page.get_by_role("main")).to_contain_text("Beiträge wiederhergestellt")
