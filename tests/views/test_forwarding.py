"""Offline ideas and forwarding through the browser's eyes: forms, bad input, boundaries."""

import re

import pytest

from app.extensions import db
from app.models import (
    AuditAction,
    AuditEntry,
    Forwarding,
    Idea,
    IdeaOrigin,
    IdeaStatus,
)
from app.services import forwarding, offline
from tests import factories
from tests.views.test_ideas import error_beside, flashes, fresh, selected_option, text_of, value_of

S = IdeaStatus
OFFLINE = {
    "origin": "forum",
    "event": "Digitales Forum 2026",
    "participant_name": "Erika Muster",
    "title": "Freies WLAN am Bahnhof",
    "body": "Am Bahnhof fehlt **WLAN**.",
}


def all_ideas() -> list[Idea]:
    db.session.rollback()
    db.session.expire_all()
    return list(db.session.scalars(db.select(Idea).order_by(Idea.id)))


def audit_count(action: AuditAction) -> int:
    db.session.rollback()
    return db.session.scalar(
        db.select(db.func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )


def ranking_titles(group) -> list[str]:
    db.session.rollback()
    db.session.expire_all()
    return [entry.idea.title for entry in forwarding.ranking(group)]


@pytest.fixture
def lead(people, login_as):
    return login_as(people["lead"])


@pytest.fixture
def review(people):
    """Two ideas of group alpha in review, and one of group beta."""
    return {
        "first": factories.make_idea(people["alpha"], title="Erste", status=S.IN_REVIEW),
        "second": factories.make_idea(people["alpha"], title="Zweite", status=S.IN_REVIEW),
        "beta": factories.make_idea(people["beta"], title="Beta-Idee", status=S.IN_REVIEW),
    }


@pytest.fixture
def ranked(people, review):
    """Both alpha ideas forwarded, "Erste" on rank 1."""
    for key in ("first", "second"):
        forwarding.forward(review[key], people["lead"], f"Weil {key} gut ist.")
    db.session.commit()
    return review


# ---------------------------------------------------------------- offline ideas


def test_offline_form_preselects_the_group_and_offers_only_the_leads_groups(lead, people):
    factories.make_group("Gamma", "gamma")
    page = text_of(lead.get("/moderation/alpha/ideas/new"))
    assert selected_option(page, "group") == str(people["alpha"].id)
    assert "Beta" not in page and "Gamma" not in page
    assert "(Pflichtfeld)" in page  # title, body, origin, event are marked


def test_admin_may_choose_any_active_group(people, login_as):
    archived = factories.make_group("Archiv", "archiv")
    archived.archived_at = archived.created_at
    db.session.commit()
    page = text_of(login_as(people["admin"]).get("/moderation/beta/ideas/new"))
    assert selected_option(page, "group") == str(people["beta"].id)
    assert "Alpha" in page and "Archiv" not in page


def test_offline_idea_is_published_with_its_origin(lead, people):
    response = lead.submit("/moderation/alpha/ideas/new", {**OFFLINE, "group": people["alpha"].id})
    (idea,) = all_ideas()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert (idea.status, idea.origin, idea.origin_event, idea.participant_name) == (
        S.PUBLISHED,
        IdeaOrigin.FORUM,
        "Digitales Forum 2026",
        "Erika Muster",
    )
    assert idea.author_id is None
    page = text_of(lead.get(f"/ideas/{idea.id}"))
    assert "Digitales Forum: Digitales Forum 2026" in page
    assert "Erika Muster" in page
    assert audit_count(AuditAction.OFFLINE_IDEA) == 1


def test_offline_idea_is_found_by_the_group_pages_origin_filter(lead, client, people):
    lead.submit(
        "/moderation/alpha/ideas/new",
        {**OFFLINE, "origin": "workshop", "participant_name": "", "group": people["alpha"].id},
    )
    factories.make_idea(people["alpha"], title="Online-Idee")
    workshop = text_of(client.get("/groups/alpha?origin=workshop"))
    assert "Freies WLAN am Bahnhof" in workshop and "Online-Idee" not in workshop
    assert 'class="origin">Workshop: Digitales Forum 2026' in workshop
    assert "anonym" in workshop
    assert "Freies WLAN am Bahnhof" not in text_of(client.get("/groups/alpha?origin=forum"))


def test_empty_offline_form_says_what_is_missing(lead, people):
    response = lead.submit("/moderation/alpha/ideas/new", {"group": people["alpha"].id})
    page = text_of(response)
    assert response.status_code == 200
    assert "Titel" in error_beside(page, "title")
    assert "beschreiben" in error_beside(page, "body")
    assert "woher" in error_beside(page, "origin")
    assert "Veranstaltung" in error_beside(page, "event")
    assert all_ideas() == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "T" * 141, "höchstens 140 Zeichen"),
        ("body", "B" * 10_001, "höchstens 10000 Zeichen"),
        ("event", "E" * (offline.EVENT_MAX + 1), "höchstens 140 Zeichen"),
        ("participant_name", "N" * (offline.PARTICIPANT_MAX + 1), "höchstens 60 Zeichen"),
        ("origin", "online", "woher"),
        ("origin", "mondbasis", "woher"),
        ("event", "    ", "Veranstaltung"),
    ],
)
def test_bad_offline_input_keeps_what_was_typed(lead, people, field, value, message):
    data = {**OFFLINE, "group": people["alpha"].id, field: value}
    page = text_of(lead.submit("/moderation/alpha/ideas/new", data))
    assert message in error_beside(page, field)
    for name in ("title", "body", "event", "participant_name"):
        assert value_of(page, name) == data[name].strip()
    assert all_ideas() == []


@pytest.mark.parametrize("group", ["beta", "999999", "abc", ""])
def test_tampered_group_is_refused_beside_the_field(lead, people, group):
    value = str(people["beta"].id) if group == "beta" else group
    page = text_of(lead.submit("/moderation/alpha/ideas/new", {**OFFLINE, "group": value}))
    assert "die Sie leiten" in error_beside(page, "group")
    assert value_of(page, "title") == OFFLINE["title"]
    assert all_ideas() == []


def test_offline_idea_sent_twice_is_stored_once(lead, people):
    data = {**OFFLINE, "group": people["alpha"].id}
    first = lead.submit("/moderation/alpha/ideas/new", data)
    second = lead.submit("/moderation/alpha/ideas/new", data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(all_ideas()) == 1


def test_offline_form_without_csrf_stores_nothing(lead, people):
    response = lead.post(
        "/moderation/alpha/ideas/new", data={**OFFLINE, "group": people["alpha"].id}
    )
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in text_of(response)
    assert all_ideas() == []


def test_offline_form_of_another_group_is_forbidden(lead, people):
    assert lead.get("/moderation/beta/ideas/new").status_code == 403
    response = lead.submit("/moderation/beta/ideas/new", {**OFFLINE, "group": people["beta"].id})
    assert response.status_code == 403
    assert all_ideas() == []


def test_offline_form_of_an_unknown_group_is_404(lead):
    assert lead.get("/moderation/gibt-es-nicht/ideas/new").status_code == 404


# ---------------------------------------------------------------- forward


def test_forward_form_shows_the_idea_and_the_rank_it_will_get(lead, ranked, people):
    extra = factories.make_idea(people["alpha"], title="Dritte", status=S.IN_REVIEW)
    page = text_of(lead.get(f"/moderation/ideas/{extra.id}/forward"))
    assert "Dritte" in page
    assert "Rang 3" in page
    assert 'name="rationale"' in page and "(Pflichtfeld)" in page


def test_forwarding_goes_to_the_ranking(lead, review, people):
    idea = review["first"]
    response = lead.submit(
        f"/moderation/ideas/{idea.id}/forward", {"rationale": "Viele brauchen das."}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/moderation/alpha/forwarded#rang-{idea.id}"
    assert fresh(idea).status is S.FORWARDED
    assert db.session.get(Forwarding, idea.id).rationale == "Viele brauchen das."
    page = text_of(lead.get("/moderation/alpha/forwarded"))
    assert "weitergeleitet" in flashes(page)
    assert "Viele brauchen das." in page


@pytest.mark.parametrize(
    ("rationale", "message"),
    [
        ("", "Bitte begründen"),
        ("   \r\n  ", "Bitte begründen"),
        ("x" * (forwarding.RATIONALE_MAX + 1), "höchstens 3000 Zeichen"),
    ],
)
def test_bad_rationale_keeps_the_text(lead, review, rationale, message):
    idea = review["first"]
    page = text_of(lead.submit(f"/moderation/ideas/{idea.id}/forward", {"rationale": rationale}))
    assert message in error_beside(page, "rationale")
    assert value_of(page, "rationale") == rationale.replace("\r\n", "\n")
    assert fresh(idea).status is S.IN_REVIEW
    assert db.session.get(Forwarding, idea.id) is None


def test_double_submit_of_forward_forwards_once(lead, review):
    idea = review["first"]
    path = f"/moderation/ideas/{idea.id}/forward"
    token = lead.csrf_token(path)
    first = lead.post(path, data={"rationale": "Einmal", "csrf_token": token})
    second = lead.post(path, data={"rationale": "Einmal", "csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == f"/moderation/alpha/forwarded#rang-{idea.id}"
    assert audit_count(AuditAction.FORWARD) == 1
    assert "bereits" in flashes(text_of(lead.get("/moderation/alpha/forwarded")))


def test_forward_without_csrf_changes_nothing(lead, review):
    idea = review["first"]
    response = lead.post(f"/moderation/ideas/{idea.id}/forward", data={"rationale": "Text"})
    assert response.status_code == 400
    assert fresh(idea).status is S.IN_REVIEW


@pytest.mark.parametrize("status", [S.PUBLISHED, S.DECLINED, S.SUBMITTED])
def test_forward_of_an_idea_not_in_review_explains_why(lead, people, status):
    idea = factories.make_idea(people["alpha"], status=status)
    response = lead.get(f"/moderation/ideas/{idea.id}/forward")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/moderation/ideas/{idea.id}"
    response = lead.submit(
        f"/moderation/ideas/{idea.id}/forward", {"rationale": "Trotzdem"}, page="/"
    )
    assert response.status_code == 302
    assert fresh(idea).status is status


def test_hidden_idea_is_not_forwarded(lead, review):
    idea = review["first"]
    idea.hidden_at = idea.created_at
    db.session.commit()
    page = text_of(lead.submit(f"/moderation/ideas/{idea.id}/forward", {"rationale": "Text"}))
    assert "Ausgeblendete" in error_beside(page, "rationale")
    assert fresh(idea).status is S.IN_REVIEW


def test_lead_of_beta_cannot_forward_alpha_ideas(people, login_as, review):
    other = login_as(people["other_lead"])
    idea = review["first"]
    assert other.get(f"/moderation/ideas/{idea.id}/forward").status_code == 403
    response = other.submit(f"/moderation/ideas/{idea.id}/forward", {"rationale": "Meins"})
    assert response.status_code == 403
    assert fresh(idea).status is S.IN_REVIEW


def test_forward_of_an_unknown_idea_is_404(lead):
    assert lead.get("/moderation/ideas/999999/forward").status_code == 404
    assert lead.submit("/moderation/ideas/999999/forward", {"rationale": "x"}).status_code == 404


# ---------------------------------------------------------------- the ranking page


def test_ranking_page_lists_rank_title_rationale_votes_and_who(lead, ranked, people):
    page = text_of(lead.get("/moderation/alpha/forwarded"))
    rows = re.findall(r'<tr id="rang-(\d+)"', page)
    assert rows == [str(ranked["first"].id), str(ranked["second"].id)]
    assert "Weil first gut ist." in page
    assert "0 dafür" in page
    assert people["lead"].display_name in page
    assert page.count("nach oben") >= 2 and "zurücknehmen" in page


def test_board_sees_the_ranking_without_the_leads_actions(people, login_as, ranked):
    page = text_of(login_as(people["board"]).get("/moderation/alpha/forwarded"))
    assert "Erste" in page and "Zweite" in page
    assert "nach oben" not in page and "zurücknehmen" not in page
    assert "Bereit zur Weiterleitung" not in page


def test_ranking_page_offers_the_ideas_in_review(lead, review):
    page = text_of(lead.get("/moderation/alpha/forwarded"))
    assert f"/moderation/ideas/{review['first'].id}/forward" in page
    assert f"/moderation/ideas/{review['beta'].id}/forward" not in page


def test_ranking_of_another_group_is_forbidden_to_a_lead(people, login_as):
    assert login_as(people["other_lead"]).get("/moderation/alpha/forwarded").status_code == 403


def test_ranking_of_an_unknown_group_is_404(lead):
    assert lead.get("/moderation/gibt-es-nicht/forwarded").status_code == 404


# ---------------------------------------------------------------- move


def test_moving_down_reorders_and_returns_to_the_row(lead, ranked, people):
    idea = ranked["first"]
    response = lead.submit(f"/moderation/ideas/{idea.id}/rank", {"direction": "down"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/moderation/alpha/forwarded#rang-{idea.id}"
    assert ranking_titles(people["alpha"]) == ["Zweite", "Erste"]
    page = text_of(lead.get("/moderation/alpha/forwarded"))
    assert "weiter unten" in flashes(page)
    assert re.findall(r'<tr id="rang-(\d+)"', page) == [
        str(ranked["second"].id),
        str(ranked["first"].id),
    ]


def test_moving_the_first_up_says_so(lead, ranked, people):
    lead.submit(f"/moderation/ideas/{ranked['first'].id}/rank", {"direction": "up"})
    assert "bereits auf dem ersten Rang" in flashes(
        text_of(lead.get("/moderation/alpha/forwarded"))
    )
    lead.submit(f"/moderation/ideas/{ranked['second'].id}/rank", {"direction": "down"})
    assert "bereits auf dem letzten Rang" in flashes(
        text_of(lead.get("/moderation/alpha/forwarded"))
    )
    assert ranking_titles(people["alpha"]) == ["Erste", "Zweite"]
    assert audit_count(AuditAction.REORDER) == 0


@pytest.mark.parametrize("data", [{}, {"direction": "links"}, {"direction": ""}])
def test_moving_without_a_direction_is_400(lead, ranked, people, data):
    response = lead.submit(f"/moderation/ideas/{ranked['second'].id}/rank", data)
    assert response.status_code == 400
    assert ranking_titles(people["alpha"]) == ["Erste", "Zweite"]


def test_moving_without_csrf_is_400(lead, ranked, people):
    response = lead.post(f"/moderation/ideas/{ranked['second'].id}/rank", data={"direction": "up"})
    assert response.status_code == 400
    assert ranking_titles(people["alpha"]) == ["Erste", "Zweite"]


def test_moving_an_idea_not_forwarded_says_so(lead, review):
    response = lead.submit(f"/moderation/ideas/{review['first'].id}/rank", {"direction": "up"})
    assert response.status_code == 302
    assert "nicht (mehr)" in flashes(text_of(lead.get("/moderation/alpha/forwarded")))


def test_lead_of_beta_cannot_reorder_alpha(people, login_as, ranked):
    other = login_as(people["other_lead"])
    response = other.submit(f"/moderation/ideas/{ranked['second'].id}/rank", {"direction": "up"})
    assert response.status_code == 403
    assert ranking_titles(people["alpha"]) == ["Erste", "Zweite"]


def test_moving_an_unknown_idea_is_404(lead):
    assert lead.submit("/moderation/ideas/999999/rank", {"direction": "up"}).status_code == 404


# ---------------------------------------------------------------- take back


def test_taking_back_asks_for_a_note_and_keeps_it(lead, ranked):
    idea = ranked["first"]
    page = text_of(lead.get(f"/moderation/ideas/{idea.id}/return"))
    assert 'name="note"' in page and "(Pflichtfeld)" in page
    for note, message in [("", "Bitte geben Sie an"), ("x" * 2001, "höchstens 2000 Zeichen")]:
        page = text_of(lead.submit(f"/moderation/ideas/{idea.id}/return", {"note": note}))
        assert message in error_beside(page, "note")
        assert value_of(page, "note") == note
    assert fresh(idea).status is S.FORWARDED


def test_taking_back_returns_the_idea_to_review(lead, ranked, people):
    idea = ranked["first"]
    response = lead.submit(
        f"/moderation/ideas/{idea.id}/return", {"note": "Wir schärfen die Idee nach."}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation/alpha/forwarded"
    assert fresh(idea).status is S.IN_REVIEW
    assert ranking_titles(people["alpha"]) == ["Zweite"]
    page = text_of(lead.get("/moderation/alpha/forwarded"))
    section = page[page.index('id="zurueck-titel"') :]
    assert "Erste" in section and "Wir schärfen die Idee nach." in section
    # On the public timeline of the idea, with the note.
    assert "Wir schärfen die Idee nach." in text_of(lead.get(f"/ideas/{idea.id}"))


def test_taking_back_an_idea_not_forwarded_says_so(lead, review):
    idea = review["first"]
    response = lead.submit(f"/moderation/ideas/{idea.id}/return", {"note": "Zurück"})
    assert response.status_code == 302
    assert fresh(idea).status is S.IN_REVIEW
    assert audit_count(AuditAction.RETURN) == 0


def test_double_submit_of_taking_back_returns_once(lead, ranked):
    idea = ranked["first"]
    path = f"/moderation/ideas/{idea.id}/return"
    token = lead.csrf_token(path)
    for _ in range(2):
        assert lead.post(path, data={"note": "Zurück", "csrf_token": token}).status_code == 302
    assert audit_count(AuditAction.RETURN) == 1


def test_lead_of_beta_and_board_cannot_take_back_through_the_leads_page(people, login_as, ranked):
    idea = ranked["first"]
    for role in ("other_lead", "board"):
        client = login_as(people[role])
        assert client.get(f"/moderation/ideas/{idea.id}/return").status_code == 403
        response = client.submit(f"/moderation/ideas/{idea.id}/return", {"note": "Weg damit"})
        assert response.status_code == 403
    assert fresh(idea).status is S.FORWARDED


def test_taking_back_an_unknown_idea_is_404(lead):
    assert lead.get("/moderation/ideas/999999/return").status_code == 404


# ---------------------------------------------------------------- public ranking


def test_public_ranking_shows_order_and_rationale_but_nothing_internal(client, ranked, people):
    hidden = ranked["second"]
    hidden.hidden_at = hidden.created_at
    third = factories.make_idea(people["alpha"], title="Dritte", status=S.IN_REVIEW)
    forwarding.forward(third, people["lead"], "Dritte Begründung")
    forwarding.return_to_group(third, people["board"], "Geheimnis? Nein, aber nicht hier.")
    db.session.commit()
    page = text_of(client.get("/groups/alpha/forwarded"))
    assert "Erste" in page and "Weil first gut ist." in page
    assert "Zweite" not in page  # hidden
    assert "Dritte" not in page  # returned
    assert "zurücknehmen" not in page and "nach oben" not in page
    assert people["lead"].display_name not in page


def test_public_ranking_of_an_unknown_group_is_404(client):
    assert client.get("/groups/gibt-es-nicht/forwarded").status_code == 404
