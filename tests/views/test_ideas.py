"""Ideas through the browser's eyes: posting, the idea page, votes, assessments, edits."""

import html
import re

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import Idea, IdeaStatus, StatusEvent, ThematicGroup, Vote
from app.models.base import utcnow
from app.services import groups
from app.services.votes import VoteValue, set_assessment, set_vote
from tests import factories

S = IdeaStatus
JSON = {"Accept": "application/json"}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def all_ideas() -> list[Idea]:
    db.session.rollback()  # the requests wrote in their own sessions
    db.session.expire_all()
    return list(db.session.scalars(db.select(Idea).order_by(Idea.id)))


def fresh(idea: Idea) -> Idea:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Idea, idea.id)


def error_beside(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-fehler">(.*?)</p>', page, re.S)
    assert match, f"no error beside {field_id}"
    return match.group(1)


def value_of(page: str, field_id: str) -> str:
    control = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', page)
    if control:
        value = re.search(r'\bvalue="([^"]*)"', control.group(0))
        return value.group(1) if value else ""
    area = re.search(rf'<textarea[^>]*\bid="{field_id}"[^>]*>(.*?)</textarea>', page, re.S)
    assert area, f"no control {field_id}"
    return area.group(1).lstrip("\r\n")


def selected_option(page: str, select_id: str) -> str | None:
    select = re.search(rf'<select[^>]*\bid="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {select_id}"
    option = re.search(r'<option[^>]*\bselected\b[^>]*value="([^"]*)"', select.group(1))
    option = option or re.search(r'<option[^>]*value="([^"]*)"[^>]*\bselected\b', select.group(1))
    return option.group(1) if option else None


def flashes(page: str) -> str:
    match = re.search(r'<div class="flashes"[^>]*>(.*?)</div>', page, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def citizen(people, login_as):
    return login_as(people["citizen"])


@pytest.fixture
def idea(people):
    """A published idea in group alpha, written by the citizen of `people`."""
    return factories.make_idea(
        people["alpha"],
        people["citizen"],
        title="Freies WLAN am Bahnhof",
        body="Mit **Glasfaser**.",
    )


@pytest.fixture
def voter(people, login_as):
    """A client of another confirmed citizen (not the idea's author)."""
    return login_as(people["u30"])


def post(client, data, **kwargs):
    return client.submit("/ideas/new", data, page="/ideas/new", **kwargs)


GOOD = {"group": "alpha", "title": "Sitzbänke mit Solarladen", "body": "Im **Stadtpark**."}


# ---------------------------------------------------------------- posting


def test_a_citizen_posts_an_idea_that_appears_in_group_and_home(people, citizen):
    response = post(citizen, GOOD)
    (idea,) = all_ideas()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert (idea.title, idea.status, idea.author_id) == (
        GOOD["title"],
        S.PUBLISHED,
        people["citizen"].id,
    )
    assert idea.group_id == people["alpha"].id
    assert "<strong>Stadtpark</strong>" in idea.body_html

    page = text_of(citizen.get(response.headers["Location"]))
    assert "Ihre Idee ist veröffentlicht" in flashes(page)
    assert f'<h1 id="idea-title">{GOOD["title"]}</h1>' in page
    assert GOOD["title"] in text_of(citizen.get("/groups/alpha"))
    home = text_of(citizen.get("/"))
    assert home.count(GOOD["title"]) == 2  # among the best and the newest


def test_the_form_preselects_the_group_and_offers_only_open_groups(people, citizen):
    groups.set_archived(people["beta"], True)
    db.session.commit()
    page = text_of(citizen.get("/ideas/new?group=alpha"))
    assert selected_option(page, "group") == "alpha"
    assert 'value="beta"' not in page
    assert 'name="action" value="preview"' in page and 'name="action" value="publish"' in page
    assert "Überschriften" in page and "Bilder sind nicht möglich" in page
    page = text_of(citizen.get("/ideas/new?group=gibt-es-nicht"))
    assert selected_option(page, "group") in (None, "")


def test_preview_shows_sanitised_html_keeps_the_input_and_saves_nothing(people, citizen):
    similar = factories.make_idea(
        people["alpha"], title="Sitzbänke im Stadtpark", body="Mehr Bänke."
    )
    body = (
        "## Worum es geht\n\n*Bänke* mit [Link](javascript:alert(1)) und "
        "<script>alert(2)</script> <img src=x onerror=alert(3)>"
    )
    response = post(citizen, {**GOOD, "body": body, "action": "preview"})
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    preview = re.search(r'<div class="idea-body">(.*?)</div>', raw, re.S).group(1)
    assert "<h2>Worum es geht</h2>" in preview and "<em>Bänke</em>" in preview
    assert "<script" not in preview and "<img" not in preview
    assert 'href="javascript' not in preview
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in preview
    assert "<script>alert" not in raw and "<img" not in raw
    page = html.unescape(raw)
    assert value_of(page, "title") == GOOD["title"]
    assert value_of(page, "body") == body
    assert selected_option(page, "group") == "alpha"
    assert "Ähnliche Ideen – gibt es Ihre Idee schon?" in page
    assert f'href="/ideas/{similar.id}"' in raw
    assert [idea.id for idea in all_ideas()] == [similar.id]


def test_preview_without_similar_ideas_says_so(citizen):
    page = text_of(post(citizen, {**GOOD, "action": "preview"}))
    assert "Wir haben keine ähnlichen Ideen gefunden." in page
    assert all_ideas() == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Bitte geben Sie einen Titel an."),
        ({"title": "   "}, "title", "Bitte geben Sie einen Titel an."),
        ({"title": "x" * 141}, "title", "höchstens 140 Zeichen"),
        ({"body": ""}, "body", "Bitte beschreiben Sie Ihre Idee."),
        ({"body": "x" * 10_001}, "body", "höchstens 10000 Zeichen"),
        ({"group": ""}, "group", "Bitte wählen Sie eine Themengruppe."),
        ({"group": "gibt-es-nicht"}, "group", "Diese Themengruppe gibt es nicht."),
        ({"group": "beta"}, "group", "ist archiviert"),
    ],
)
@pytest.mark.parametrize("action", [None, "preview"])
def test_bad_input_gets_a_message_beside_the_field_and_keeps_the_input(
    people, citizen, changes, field, message, action
):
    groups.set_archived(people["beta"], True)
    db.session.commit()
    data = {**GOOD, **changes}
    if action:
        data["action"] = action
    response = post(citizen, data)
    assert response.status_code == 200
    page = text_of(response)
    assert message in error_beside(page, field)
    assert "Bitte prüfen Sie Ihre Eingaben:" in page
    assert "Vorschau</h2>" not in page
    for kept in ("title", "body"):
        if kept != field:
            assert value_of(page, kept) == data[kept]
    assert all_ideas() == []


def test_crlf_line_breaks_count_as_one_character(citizen):
    body = "a\r\n" * 3000 + "b" * 4000  # 13 000 characters sent, 10 000 once normalised
    assert post(citizen, {**GOOD, "body": body}).status_code == 302
    (idea,) = all_ideas()
    assert "\r" not in idea.body and len(idea.body) == 10_000


def test_without_csrf_token_nothing_is_posted(citizen):
    response = citizen.post("/ideas/new", data=GOOD)
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in text_of(response)
    assert all_ideas() == []


def test_a_double_submit_creates_one_idea(citizen):
    first = post(citizen, GOOD)
    second = post(citizen, GOOD)
    (idea,) = all_ideas()
    assert first.headers["Location"] == second.headers["Location"] == f"/ideas/{idea.id}"
    # A different text is a different idea.
    post(citizen, {**GOOD, "body": "Anders."})
    assert len(all_ideas()) == 2


def test_visitors_are_sent_to_login_and_unconfirmed_accounts_told_to_confirm(client, client_for):
    response = client.get("/ideas/new?group=alpha")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    response = client_for("unconfirmed").get("/ideas/new")
    assert response.status_code == 403
    assert "Bestätigungslink erneut senden" in text_of(response)
    response = client_for("unconfirmed").submit("/ideas/new", GOOD, page="/account/settings")
    assert response.status_code == 403
    assert all_ideas() == []


def test_premoderated_groups_hold_a_newcomers_idea_back(people, citizen, client_for):
    people["alpha"].premoderation = True
    db.session.commit()
    response = post(citizen, GOOD)
    (idea,) = all_ideas()
    assert idea.status is S.SUBMITTED
    page = text_of(citizen.get(response.headers["Location"]))
    assert "Das Tandem der Themengruppe prüft sie" in flashes(page)
    assert "wartet auf die Freigabe" in page
    assert GOOD["title"] not in text_of(citizen.get("/groups/alpha"))
    assert client_for("lead").get(f"/ideas/{idea.id}").status_code == 200
    for role in ("visitor", "unconfirmed", "other_lead", "board", "u30"):
        assert client_for(role).get(f"/ideas/{idea.id}").status_code == 404, role


def test_posting_is_rate_limited_but_previews_are_not(app, citizen, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_POST_IDEA", "2 per minute")
    for number in range(3):
        assert (
            post(citizen, {**GOOD, "action": "preview", "title": f"V{number}"}).status_code == 200
        )
    assert post(citizen, {**GOOD, "title": "Eins"}).status_code == 302
    assert post(citizen, {**GOOD, "title": "Zwei"}).status_code == 302
    response = post(citizen, {**GOOD, "title": "Drei"})
    assert response.status_code == 429
    assert "Zu viele Anfragen" in text_of(response)
    assert len(all_ideas()) == 2


# ---------------------------------------------------------------- the idea page


def test_the_idea_page_for_a_visitor(client, idea):
    set_vote(factories.make_user(), idea, VoteValue.UP)
    db.session.commit()
    response = client.get(f"/ideas/{idea.id}")
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    page = html.unescape(raw)
    assert '<h1 id="idea-title">Freies WLAN am Bahnhof</h1>' in page
    assert "Mit <strong>Glasfaser</strong>." in raw
    assert 'href="/groups/alpha"' in raw
    assert "Veröffentlicht" in page
    assert '<strong data-vote-count="up">1</strong>' in raw
    assert "Melden Sie sich an, um abzustimmen." in page
    assert f'action="/ideas/{idea.id}/vote"' not in raw
    assert "Bearbeiten" not in page and "Zurückziehen</a>" not in page
    assert "Verlauf" in page and "Kommentare" in page
    assert "style=" not in raw and "<script>" not in raw
    assert 'src="/static/js/votes.js"' in raw


def test_the_idea_page_for_the_author_offers_edit_and_withdraw(citizen, idea):
    raw = citizen.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/ideas/{idea.id}/edit"' in raw
    assert f'href="/ideas/{idea.id}/withdraw"' in raw


def test_the_idea_page_for_another_citizen_offers_vote_and_assessment(voter, idea):
    raw = voter.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'action="/ideas/{idea.id}/vote"' in raw
    assert f'action="/ideas/{idea.id}/assessment"' in raw
    assert 'aria-pressed="false"' in raw
    assert "<legend>Nutzen für die Stadt" in raw and "<legend>Umsetzbarkeit" in raw
    assert f'href="/ideas/{idea.id}/edit"' not in raw
    assert "Stimme zurückziehen" in raw and "data-vote-retract hidden" in raw


def test_the_timeline_names_statuses_in_german_and_who_changed_them(client, people, idea):
    from app.services import ideas as idea_service

    idea_service.transition(idea, S.IN_REVIEW, actor=people["lead"], note="Wir prüfen das.")
    db.session.add(
        StatusEvent(idea_id=idea.id, from_status=S.IN_REVIEW, to_status=S.FORWARDED, note="")
    )
    db.session.commit()
    page = text_of(client.get(f"/ideas/{idea.id}"))
    timeline = page[page.index("Verlauf") :]
    assert "Veröffentlicht" in timeline and "In Prüfung" in timeline
    assert "Weitergeleitet" in timeline and "Wir prüfen das." in timeline
    assert people["lead"].display_name in timeline and "Redaktion" in timeline
    assert timeline.index("Veröffentlicht") < timeline.index("Weitergeleitet")


def test_offline_ideas_name_the_participant_or_nobody(client, people, idea):
    db.session.execute(
        update(Idea)
        .where(Idea.id == idea.id)
        .values(origin="workshop", origin_event="Werkstatt Nord", participant_name=None)
    )
    db.session.commit()
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Workshop: Werkstatt Nord" in page and "anonym" in page
    assert people["citizen"].display_name not in page.split("Verlauf")[0]


def test_unknown_ideas_are_not_found(client):
    assert client.get("/ideas/999999").status_code == 404


def test_hidden_ideas_are_not_found_for_the_public(client_for, idea):
    db.session.execute(
        update(Idea).where(Idea.id == idea.id).values(hidden_at=utcnow(), hidden_reason="Spam")
    )
    db.session.commit()
    for role in ("visitor", "unconfirmed", "other_lead", "board", "u30"):
        assert client_for(role).get(f"/ideas/{idea.id}").status_code == 404, role
    for role in ("lead", "admin"):
        response = client_for(role).get(f"/ideas/{idea.id}")
        assert response.status_code == 200
        assert "ausgeblendet" in text_of(response) and "Spam" in text_of(response)
    assert "Freies WLAN" not in text_of(client_for("visitor").get("/groups/alpha"))


# ---------------------------------------------------------------- editing and withdrawing


def test_the_author_edits_before_anyone_votes(citizen, idea):
    page = text_of(citizen.get(f"/ideas/{idea.id}/edit"))
    assert value_of(page, "title") == "Freies WLAN am Bahnhof"
    preview = citizen.submit(
        f"/ideas/{idea.id}/edit",
        {"title": "Neu", "body": "*Vorschau*", "action": "preview"},
        page=f"/ideas/{idea.id}/edit",
    )
    assert "<em>Vorschau</em>" in preview.get_data(as_text=True)
    assert fresh(idea).title == "Freies WLAN am Bahnhof"
    response = citizen.submit(
        f"/ideas/{idea.id}/edit",
        {"title": "WLAN am Bahnhof und im Bus", "body": "Neu *formuliert*."},
        page=f"/ideas/{idea.id}/edit",
    )
    assert response.status_code == 302
    changed = fresh(idea)
    assert changed.title == "WLAN am Bahnhof und im Bus"
    assert changed.body_html.strip() == "<p>Neu <em>formuliert</em>.</p>"


def test_editing_is_refused_after_one_vote(citizen, idea):
    set_vote(factories.make_user(), idea, VoteValue.DOWN)
    db.session.commit()
    response = citizen.get(f"/ideas/{idea.id}/edit")
    assert response.status_code == 302
    page = text_of(citizen.get(response.headers["Location"]))
    assert "kann nicht mehr bearbeitet werden" in flashes(page)
    assert f'href="/ideas/{idea.id}/edit"' not in page
    citizen.submit(
        f"/ideas/{idea.id}/edit", {"title": "Anders", "body": "Anders."}, page=f"/ideas/{idea.id}"
    )
    assert fresh(idea).title == "Freies WLAN am Bahnhof"


def test_edit_with_bad_input_keeps_it(citizen, idea):
    response = citizen.submit(
        f"/ideas/{idea.id}/edit", {"title": "", "body": "Neu."}, page=f"/ideas/{idea.id}/edit"
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Bitte geben Sie einen Titel an." in error_beside(page, "title")
    assert value_of(page, "body") == "Neu."


def test_others_may_not_edit_or_withdraw(voter, idea):
    assert voter.get(f"/ideas/{idea.id}/edit").status_code == 403
    assert voter.get(f"/ideas/{idea.id}/withdraw").status_code == 403
    assert voter.submit(f"/ideas/{idea.id}/withdraw", {}).status_code == 403
    assert fresh(idea).status is S.PUBLISHED


def test_the_author_withdraws_after_confirming(citizen, voter, idea):
    page = text_of(citizen.get(f"/ideas/{idea.id}/withdraw"))
    assert "wirklich zurückziehen" in page
    assert fresh(idea).status is S.PUBLISHED  # asking changes nothing
    response = citizen.submit(f"/ideas/{idea.id}/withdraw", {}, page=f"/ideas/{idea.id}/withdraw")
    assert response.status_code == 302
    assert fresh(idea).status is S.WITHDRAWN
    page = text_of(citizen.get(f"/ideas/{idea.id}"))
    assert "Ihre Idee wurde zurückgezogen." in flashes(page)
    assert "Abstimmung geschlossen" in page
    assert "Freies WLAN" not in text_of(citizen.get("/groups/alpha"))
    assert "Freies WLAN" in text_of(citizen.get("/groups/alpha?status=withdrawn"))
    # Twice: nothing more to withdraw.
    response = citizen.submit(f"/ideas/{idea.id}/withdraw", {}, page=f"/ideas/{idea.id}")
    assert "Nur veröffentlichte Ideen" in flashes(
        text_of(citizen.get(response.headers["Location"]))
    )


# ---------------------------------------------------------------- voting


def vote(client, idea_id: int, value: str | None, **kwargs):
    data = {} if value is None else {"value": value}
    return client.submit(f"/ideas/{idea_id}/vote", data, page=f"/ideas/{idea_id}", **kwargs)


def counts(idea: Idea) -> tuple[int, int]:
    idea = fresh(idea)
    return idea.votes_up, idea.votes_down


def test_vote_up_change_and_retract_with_forms(voter, idea):
    response = vote(voter, idea.id, "up")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}#abstimmung"
    assert counts(idea) == (1, 0)
    raw = voter.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert re.search(r'value="up"[^>]*aria-pressed="true"', raw)
    assert re.search(r'value="down"[^>]*aria-pressed="false"', raw)
    assert "data-vote-retract hidden" not in raw
    assert "Sie haben dafür gestimmt." in raw

    vote(voter, idea.id, "down")
    assert counts(idea) == (0, 1)
    vote(voter, idea.id, "none")
    assert counts(idea) == (0, 0)
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0


def test_vote_with_json(voter, people, idea):
    response = vote(voter, idea.id, "up", headers=JSON)
    assert response.status_code == 200
    assert response.get_json() == {
        "idea_id": idea.id,
        "votes_up": 1,
        "votes_down": 0,
        "own_vote": "up",
    }
    assert vote(voter, idea.id, "down", headers=JSON).get_json()["votes_down"] == 1
    assert vote(voter, idea.id, "none", headers=JSON).get_json() == {
        "idea_id": idea.id,
        "votes_up": 0,
        "votes_down": 0,
        "own_vote": "none",
    }
    db.session.rollback()
    assert db.session.get(ThematicGroup, people["alpha"].id).votes_count == 0


@pytest.mark.parametrize("status", [S.DECLINED, S.WITHDRAWN, S.MERGED, S.IMPLEMENTED])
def test_closed_ideas_take_no_votes(voter, people, status):
    idea = factories.make_idea(people["alpha"], status=status)
    response = vote(voter, idea.id, "up", headers=JSON)
    assert response.status_code == 409
    assert "abgeschlossen" in response.get_json()["message"]
    response = vote(voter, idea.id, "up")
    assert response.status_code == 302
    page = text_of(voter.get(response.headers["Location"]))
    assert "Abstimmen ist nicht mehr möglich" in flashes(page)
    assert "Abstimmung geschlossen" in page
    assert counts(idea) == (0, 0)


@pytest.mark.parametrize("value", ["sideways", "", "1", None])
def test_bad_vote_values(voter, idea, value):
    response = vote(voter, idea.id, value, headers=JSON)
    assert response.status_code == 400
    assert response.get_json()["message"] == "Bitte stimmen Sie dafür oder dagegen."
    response = vote(voter, idea.id, value)
    assert response.status_code == 302
    assert "Bitte stimmen Sie dafür oder dagegen." in flashes(
        text_of(voter.get(response.headers["Location"]))
    )
    assert counts(idea) == (0, 0)


def test_votes_on_unknown_or_invisible_ideas_are_not_found(voter, people):
    assert vote(voter, 999999, "up").status_code == 404
    assert vote(voter, 999999, "up", headers=JSON).status_code == 404
    people["alpha"].premoderation = True
    db.session.commit()
    submitted = factories.make_idea(people["alpha"])
    assert submitted.status is S.SUBMITTED
    assert vote(voter, submitted.id, "up", headers=JSON).status_code == 404


def test_visitors_and_unconfirmed_accounts_cannot_vote(client, client_for, idea):
    response = vote(client, idea.id, "up", headers=JSON)
    assert response.status_code == 401
    assert "melden Sie sich an" in response.get_json()["message"]
    response = vote(client, idea.id, "up")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/login?next=/ideas/{idea.id}"
    unconfirmed = client_for("unconfirmed")
    response = vote(unconfirmed, idea.id, "up", headers=JSON)
    assert response.status_code == 403
    assert "bestätigen" in response.get_json()["message"]
    assert vote(unconfirmed, idea.id, "up").status_code == 403
    assert counts(idea) == (0, 0)


def test_voting_is_rate_limited(app, voter, idea, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_VOTE", "2 per minute")
    assert vote(voter, idea.id, "up", headers=JSON).status_code == 200
    assert vote(voter, idea.id, "down", headers=JSON).status_code == 200
    assert vote(voter, idea.id, "none", headers=JSON).status_code == 429
    assert counts(idea) == (0, 1)


# ---------------------------------------------------------------- assessments


def assess(client, idea_id: int, **data):
    return client.submit(f"/ideas/{idea_id}/assessment", data, page=f"/ideas/{idea_id}")


def test_assess_and_change_the_assessment(voter, people, idea):
    set_assessment(factories.make_user(), idea, 2, 2)
    db.session.commit()
    response = assess(voter, idea.id, benefit="5", feasibility="3")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}#einschaetzung"
    page = text_of(voter.get(response.headers["Location"]))
    assert "Ihre Einschätzung ist gespeichert" in flashes(page)
    assert "3,5 von 5" in page and "2,5 von 5" in page
    assert "Durchschnitt aus 2 Einschätzungen" in page
    raw = voter.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert re.search(r'id="benefit-4"[^>]*checked|checked[^>]*id="benefit-4"', raw)
    assert "Einschätzung ändern" in raw

    assess(voter, idea.id, benefit="1", feasibility="1")
    changed = fresh(idea)
    assert (changed.assessments_count, changed.benefit_sum, changed.feasibility_sum) == (2, 3, 3)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"benefit": "6", "feasibility": "3"}, "benefit"),
        ({"benefit": "0", "feasibility": "3"}, "benefit"),
        ({"benefit": "drei", "feasibility": "3"}, "benefit"),
        ({"feasibility": "3"}, "benefit"),
        ({"benefit": "3"}, "feasibility"),
        ({"benefit": "3", "feasibility": "-1"}, "feasibility"),
    ],
)
def test_bad_assessments_are_explained_beside_the_question(voter, idea, data, field):
    response = assess(voter, idea.id, **data)
    assert response.status_code == 200
    page = text_of(response)
    assert "mit 1 bis 5" in error_beside(page, field)
    assert (
        f'<fieldset id="{field}" class="rating field-error" aria-describedby="{field}-fehler">'
        in page
    )
    other = "feasibility" if field == "benefit" else "benefit"
    if data.get(other) == "3":
        assert re.search(rf'id="{other}-2"[^>]*checked|checked[^>]*id="{other}-2"', page)
    assert fresh(idea).assessments_count == 0


def test_closed_ideas_take_no_assessments(voter, people):
    idea = factories.make_idea(people["alpha"], status=S.DECLINED)
    response = assess(voter, idea.id, benefit="3", feasibility="3")
    assert response.status_code == 302
    page = text_of(voter.get(response.headers["Location"]))
    assert "Einschätzungen sind nicht mehr möglich" in flashes(page)
    assert "Einschätzungen sind für diese Idee geschlossen." in page
    assert fresh(idea).assessments_count == 0


def test_visitors_and_unconfirmed_accounts_cannot_assess(client, client_for, idea):
    response = assess(client, idea.id, benefit="3", feasibility="3")
    assert response.headers["Location"].startswith("/account/login")
    assert (
        assess(client_for("unconfirmed"), idea.id, benefit="3", feasibility="3").status_code == 403
    )
    assert fresh(idea).assessments_count == 0


# ---------------------------------------------------------------- help


def test_the_sorting_help_explains_each_order(client):
    page = text_of(client.get("/hilfe/sortierung"))
    for text in ("Wilson", "95 %", "Im Trend", "Neueste", "Meistdiskutiert", "24 Stunden"):
        assert text in page, text
    assert "59,6 %" in page  # 9 up, 1 down, from the ranking code itself
