"""A group lead curates: declines an idea with a reason, merges a duplicate into the
original, and answers officially (then edits the answer). A visitor then reads the
public pages: the reason on the timeline, the link to the target, the moved votes and the
group's answer with its earlier version. Plain form posts throughout; axe on every page.
"""

from playwright.sync_api import expect

from app.extensions import db
from app.services.votes import VoteValue, set_vote
from tests.browser.helpers import sign_in
from tests.factories import make_group, make_idea, make_user


def test_lead_declines_merges_and_answers(browse):
    group = make_group("Digitale Infrastruktur", "digitale-infrastruktur")
    lead = make_user("leitung@example.org", display_name="Lea Leitung", lead_of=group)
    doomed = make_idea(group, title="Glasfaser bis in jede Wohnung sofort")
    original = make_idea(group, title="Freies WLAN in der Innenstadt")
    duplicate = make_idea(group, title="WLAN kostenlos in der Fußgängerzone")
    both, only_duplicate, only_original = make_user(), make_user(), make_user()
    set_vote(both, original, VoteValue.UP)
    set_vote(both, duplicate, VoteValue.UP)
    set_vote(only_duplicate, duplicate, VoteValue.UP)
    set_vote(only_original, original, VoteValue.UP)
    db.session.commit()

    page = sign_in(browse, lead.email)

    # Decline, first without the required reason.
    browse.visit(f"/moderation/ideas/{doomed.id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Idee moderieren")
    status = page.get_by_role("region", name="Status")
    status.get_by_role("button", name="Ablehnen").click()
    browse.landed(f"/moderation/ideas/{doomed.id}/status")
    note = page.get_by_role("textbox", name="Anmerkung für den öffentlichen Verlauf")
    expect(page.locator("#status-note-fehler")).to_have_text("Bitte geben Sie eine Begründung an.")
    reason = "Der Ausbau liegt beim Netzbetreiber; die Stadt kann ihn nicht beauftragen."
    note.fill(reason)
    page.get_by_role("region", name="Status").get_by_role("button", name="Ablehnen").click()
    browse.landed(f"/moderation/ideas/{doomed.id}")
    expect(page.get_by_role("status")).to_contain_text("Die Idee ist abgelehnt.")

    # Merge the duplicate: search the original by its title, pick it, confirm.
    browse.visit(f"/moderation/ideas/{duplicate.id}")
    merge = page.get_by_role("region", name="Mit einer anderen Idee zusammenführen")
    merge.get_by_role("searchbox", name="Zielidee nach Titel suchen").fill("wlan in der")
    merge.get_by_role("button", name="Suchen").click()
    browse.landed(f"/moderation/ideas/{duplicate.id}")
    page.get_by_role("link", name="Als Ziel wählen: Freies WLAN in der Innenstadt").click()
    browse.landed(f"/moderation/ideas/{duplicate.id}")
    merge = page.get_by_role("region", name="Mit einer anderen Idee zusammenführen")
    expect(merge.get_by_role("textbox", name="Nummer der Zielidee")).to_have_value(str(original.id))
    merge.get_by_role("textbox", name="Begründung").fill("Beide wollen WLAN in der Innenstadt.")
    merge.get_by_role("button", name="Weiter zur Bestätigung").click()
    browse.landed(f"/moderation/ideas/{duplicate.id}/merge")
    expect(page.locator(".curation-confirm")).to_contain_text(
        "„WLAN kostenlos in der Fußgängerzone“ wird mit „Freies WLAN in der Innenstadt“"
    )
    page.get_by_role("button", name="Zusammenführen bestätigen").click()
    browse.landed(f"/moderation/ideas/{duplicate.id}")
    expect(page.get_by_role("status")).to_contain_text("zusammengeführt")

    # The official answer on the original, then a revised version.
    browse.visit(f"/moderation/ideas/{original.id}")
    answer = page.get_by_role("region", name="Offizielle Stellungnahme")
    answer.get_by_role("textbox", name="Stellungnahme der Themengruppe").fill(
        "Wir prüfen mit den Stadtwerken, welche Plätze zuerst versorgt werden."
    )
    answer.get_by_role("button", name="Stellungnahme veröffentlichen").click()
    browse.landed(f"/moderation/ideas/{original.id}")
    answer = page.get_by_role("region", name="Offizielle Stellungnahme")
    answer.get_by_role("textbox", name="Stellungnahme der Themengruppe").fill(
        "Die Stadtwerke versorgen **zuerst den Marktplatz**, ab Herbst."
    )
    answer.get_by_role("button", name="Neue Fassung veröffentlichen").click()
    browse.landed(f"/moderation/ideas/{original.id}")

    page.get_by_role("banner").get_by_role("button", name="Abmelden").click()
    browse.landed("/")

    # What a visitor sees.
    browse.visit(f"/ideas/{doomed.id}")
    timeline = page.get_by_role("region", name="Verlauf")
    expect(timeline).to_contain_text(reason)
    expect(timeline).to_contain_text("Lea Leitung")
    expect(timeline.locator(".status-declined")).to_have_count(1)

    browse.visit(f"/ideas/{duplicate.id}")
    page.locator(".merged-note").get_by_role("link", name="Freies WLAN in der Innenstadt").click()
    browse.landed(f"/ideas/{original.id}")
    # Its own two votes and the one moved over; the person who voted on both counts once.
    expect(page.locator('#abstimmung [data-vote-count="up"]')).to_have_text("3")
    official = page.get_by_role(
        "region", name="Stellungnahme der Themengruppe Digitale Infrastruktur"
    )
    expect(official).to_contain_text("zuerst den Marktplatz")
    expect(official).to_contain_text("bearbeitet")
    official.get_by_text("1 frühere Fassung").click()
    expect(official).to_contain_text("welche Plätze zuerst versorgt werden")
    browse.check_a11y()  # with the earlier version open
