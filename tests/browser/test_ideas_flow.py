"""What a citizen does with ideas: write one with a preview, see it in its group, vote
(with JavaScript in place, without it by plain form posts), assess, comment, reply, search.
"""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect

from app.services import groups
from tests.browser.helpers import arrived_at, sign_in
from tests.factories import make_idea, make_user

GROUP = "digitale-infrastruktur"
# The pressed vote button's name gains the " ✓" that site.css adds after it.
VOTE_UP = re.compile(r"^Dafür\b")
VOTE_DOWN = re.compile(r"^Dagegen\b")


def document_id(page: Page) -> float:
    """Changes with every new document in the tab, stays for in-place updates."""
    return page.evaluate("performance.timeOrigin")


def expect_flash(page: Page, text: str) -> None:
    """The message the server flashed after a form post (not the vote widget's live region)."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def vote_count(page: Page, which: str) -> Locator:
    return page.locator(f'#abstimmung [data-vote-count="{which}"]')


def test_citizen_writes_previews_publishes_and_votes_in_place(browse, groups_seeded):
    group = groups.find_by_slug(GROUP)
    existing = make_idea(
        group,
        title="Offenes WLAN in der Stadtbücherei",
        body="Die Stadtbücherei am Kolbeplatz braucht ein offenes WLAN für ihre Gäste.",
    )
    citizen = make_user("buergerin@example.org", display_name="Berta Bürgerin")
    title = "Freies WLAN in allen Stadtbüchereien"

    page = sign_in(browse, citizen.email)
    browse.visit(f"/groups/{GROUP}")
    page.get_by_role("link", name="Idee einreichen").click()
    browse.landed("/ideas/new")
    assert parse_qs(urlsplit(page.url).query) == {"group": [GROUP]}, page.url
    expect(page.get_by_role("combobox", name="Themengruppe")).to_have_value(GROUP)

    page.get_by_role("textbox", name="Titel").fill(title)
    # While the title is typed, similar ideas appear below it (static/js/votes.js).
    live = page.locator("[data-similar-url]")
    expect(live.get_by_role("link", name=existing.title)).to_be_visible()
    browse.check_a11y()
    page.get_by_role("textbox", name="Beschreibung").fill(
        "## Worum es geht\n\n"
        "In jeder **Stadtbücherei** soll es *freies* WLAN geben:\n\n"
        "- ohne Anmeldung\n"
        "- mit Jugendschutzfilter\n\n"
        "> Wissen für alle."
    )

    page.get_by_role("button", name="Vorschau").click()
    browse.landed("/ideas/new")
    preview = page.get_by_role("region", name="Vorschau")
    expect(preview).to_contain_text("noch nicht gespeichert")
    expect(preview).to_contain_text(title)
    expect(preview.get_by_role("heading", name="Worum es geht")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("Stadtbücherei")
    expect(preview.locator("em")).to_have_text("freies")
    expect(preview.get_by_role("listitem")).to_have_text(
        ["ohne Anmeldung", "mit Jugendschutzfilter"]
    )
    expect(preview.locator("blockquote")).to_contain_text("Wissen für alle.")
    expect(preview).not_to_contain_text("##")
    similar = page.get_by_role("region", name=re.compile("^Ähnliche Ideen"))
    expect(similar.get_by_role("link", name=existing.title)).to_be_visible()
    # Nothing typed is lost on the way through the preview.
    expect(page.get_by_role("combobox", name="Themengruppe")).to_have_value(GROUP)
    expect(page.get_by_role("textbox", name="Titel")).to_have_value(title)
    expect(page.get_by_role("textbox", name="Beschreibung")).to_have_value(
        re.compile(r"^## Worum es geht\n")
    )

    page.get_by_role("button", name="Veröffentlichen").click()
    idea_path = arrived_at(page, r"/ideas/\d+")
    browse.landed(idea_path)
    expect_flash(page, "Ihre Idee ist veröffentlicht")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    idea = page.get_by_role("article", name=title)
    expect(idea.locator(".idea-meta .badge")).to_have_text("Veröffentlicht")
    expect(idea).to_contain_text("von Berta Bürgerin")
    body = idea.locator(".idea-body")
    expect(body.get_by_role("heading", name="Worum es geht", level=2)).to_be_visible()
    expect(body.locator("strong")).to_have_text("Stadtbücherei")
    expect(body.get_by_role("listitem")).to_have_count(2)
    expect(body).not_to_contain_text("**")
    expect(page.get_by_role("region", name="Verlauf")).to_contain_text("Veröffentlicht")

    # The group lists it.
    page.get_by_role("navigation", name="Brotkrumen").get_by_role(
        "link", name="Digitale Infrastruktur"
    ).click()
    browse.landed(f"/groups/{GROUP}")
    card = page.get_by_role("article", name=title)
    expect(card.locator(".badge")).to_have_text("Veröffentlicht")
    expect(card).to_contain_text("Berta Bürgerin")
    expect(card).to_contain_text("0 dafür")
    card.get_by_role("link", name=title).click()
    browse.landed(idea_path)

    # Vote up with JavaScript: the counts change in place, no new page.
    votes = page.get_by_role("region", name="Abstimmung")
    up = votes.get_by_role("button", name=VOTE_UP)
    down = votes.get_by_role("button", name=VOTE_DOWN)
    retract = votes.get_by_role("button", name="Stimme zurückziehen")
    expect(vote_count(page, "up")).to_have_text("0")
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(retract).to_be_hidden()
    url, document = page.url, document_id(page)

    up.click()
    expect(vote_count(page, "up")).to_have_text("1")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(down).to_have_attribute("aria-pressed", "false")
    expect(votes).to_contain_text("Sie haben dafür gestimmt.")
    expect(votes.get_by_role("status")).to_contain_text("1 dafür, 0 dagegen")
    expect(retract).to_be_visible()
    assert page.url == url, page.url
    assert document_id(page) == document, "the vote loaded a new page"
    browse.check_a11y()

    # Stored: a fresh load shows the vote.
    browse.visit(idea_path)
    expect(vote_count(page, "up")).to_have_text("1")
    expect(up).to_have_attribute("aria-pressed", "true")
    document = document_id(page)

    retract.click()
    expect(vote_count(page, "up")).to_have_text("0")
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(votes).to_contain_text("Sie haben noch nicht abgestimmt.")
    expect(retract).to_be_hidden()
    assert document_id(page) == document, "retracting loaded a new page"
    browse.check_a11y()

    browse.visit(idea_path)
    expect(vote_count(page, "up")).to_have_text("0")
    expect(up).to_have_attribute("aria-pressed", "false")


def test_without_javascript_vote_assess_comment_reply_and_search(browse_without_js, groups_seeded):
    browse = browse_without_js
    title = "Glasfaser für alle Schulen"
    idea = make_idea(
        groups.find_by_slug(GROUP),
        title=title,
        body="Alle **Schulen** sollen bis 2027 ans Netz, mit mindestens einem Gigabit.",
    )
    citizen = make_user("buergerin@example.org", display_name="Berta Bürgerin")
    idea_path = f"/ideas/{idea.id}"

    page = sign_in(browse, citizen.email)
    browse.visit(idea_path)

    # The vote is a plain form post: the page reloads and shows it.
    votes = page.get_by_role("region", name="Abstimmung")
    up = votes.get_by_role("button", name=VOTE_UP)
    document = document_id(page)
    up.click()
    browse.landed(idea_path)
    assert document_id(page) != document, "no page load: is JavaScript really off?"
    assert urlsplit(page.url).fragment == "abstimmung", page.url
    expect(vote_count(page, "up")).to_have_text("1")
    expect(vote_count(page, "down")).to_have_text("0")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(votes).to_contain_text("Sie haben dafür gestimmt.")
    expect(votes.get_by_role("button", name="Stimme zurückziehen")).to_be_visible()

    # Assessment: benefit 4, feasibility 2; the averages show.
    assessment = page.get_by_role("region", name="Einschätzungen")
    expect(assessment).to_contain_text("Noch keine Einschätzungen.")
    assessment.get_by_role("group", name=re.compile("^Nutzen")).get_by_role(
        "radio", name="4", exact=True
    ).check()
    assessment.get_by_role("group", name=re.compile("^Umsetzbarkeit")).get_by_role(
        "radio", name="2", exact=True
    ).check()
    assessment.get_by_role("button", name="Einschätzung abgeben").click()
    browse.landed(idea_path)
    expect_flash(page, "Einschätzung ist gespeichert")
    averages = assessment.locator("dl.stats")
    expect(averages.locator("div").filter(has_text="Nutzen")).to_contain_text("4,0 von 5")
    expect(averages.locator("div").filter(has_text="Umsetzbarkeit")).to_contain_text("2,0 von 5")
    expect(assessment).to_contain_text("Durchschnitt aus 1 Einschätzung")
    expect(assessment.get_by_role("button", name="Einschätzung ändern")).to_be_visible()
    expect(
        assessment.get_by_role("group", name=re.compile("^Nutzen")).get_by_role(
            "radio", name="4", exact=True
        )
    ).to_be_checked()

    # A comment, then a reply to it (one level).
    discussion = page.get_by_role("region", name=re.compile("^Diskussion"))
    expect(discussion).to_contain_text("Noch keine Kommentare")
    discussion.get_by_role("textbox", name="Ihr Kommentar").fill(
        "Gute Idee, **unbedingt** auch die Grundschulen."
    )
    discussion.get_by_role("button", name="Kommentar senden").click()
    browse.landed(idea_path)
    expect_flash(page, "Ihr Kommentar ist veröffentlicht")
    comment = discussion.get_by_role("article").filter(has_text="auch die Grundschulen")
    expect(comment).to_have_count(1)
    expect(comment).to_contain_text("Berta Bürgerin")
    expect(comment.locator(".comment-body strong")).to_have_text("unbedingt")

    # The reply form sits in <details>: it opens without JavaScript.
    comment.locator("summary", has_text="Antworten").click()
    comment.get_by_role("textbox", name="Ihre Antwort").fill("Und die Volkshochschule!")
    comment.get_by_role("button", name="Antwort senden").click()
    browse.landed(idea_path)
    expect_flash(page, "Ihr Kommentar ist veröffentlicht")
    comment = discussion.get_by_role("article").filter(has_text="auch die Grundschulen")
    replies = comment.get_by_role("list", name="Antworten")
    expect(replies.get_by_role("article")).to_have_count(1)
    expect(replies).to_contain_text("Und die Volkshochschule!")
    expect(replies).to_contain_text("Berta Bürgerin")
    # A reply cannot be answered (one level only).
    expect(replies.locator("summary", has_text="Antworten")).to_have_count(0)

    # Retract the vote, again by form post.
    votes.get_by_role("button", name="Stimme zurückziehen").click()
    browse.landed(idea_path)
    expect(vote_count(page, "up")).to_have_text("0")
    expect(up).to_have_attribute("aria-pressed", "false")

    # Search finds the idea by a word of its title.
    browse.visit("/search")
    page.get_by_role("searchbox", name="Suchbegriffe").fill("Glasfaser")
    page.get_by_role("main").get_by_role("button", name="Suchen").click()
    browse.landed("/search")
    assert parse_qs(urlsplit(page.url).query).get("q") == ["Glasfaser"], page.url
    results = page.get_by_role("region", name=re.compile("^Treffer"))
    hit = results.get_by_role("article", name=title)
    expect(hit).to_contain_text("2 Kommentare")
    hit.get_by_role("link", name=title).click()
    browse.landed(idea_path)
