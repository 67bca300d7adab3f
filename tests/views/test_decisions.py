"""The board's decision form, meetings with their agenda and CSV, and the public /decisions."""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest

from app.extensions import db
from app.models import Idea, IdeaStatus
from app.models.base import utcnow
from app.models.board import AgendaItem, BoardDecision, DecisionOutcome, Meeting
from app.services import decisions
from tests.factories import make_idea
from tests.services.test_board import forward, vote

S = IdeaStatus
O = DecisionOutcome  # noqa: E741


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def today() -> str:
    return utcnow().date().isoformat()


def all_decisions() -> list[BoardDecision]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(BoardDecision).order_by(BoardDecision.id)))


@pytest.fixture
def member(client_for):
    return client_for("board")


@pytest.fixture
def idea(people):
    return forward(group=people["alpha"], title="Glasfaser für Isselhorst")


def url(idea) -> str:
    return f"/board/ideas/{idea.id}/decision"


def test_decision_form_offers_the_outcomes_of_the_status(member, idea):
    page = text_of(member.get(url(idea)))
    assert "Entscheidung erfassen" in page
    assert 'value="prioritised"' in page and 'value="declined"' in page
    assert 'value="implemented"' not in page
    assert f'value="{today()}"' in page  # the meeting date defaults to today


def test_prioritising_records_and_redirects_to_the_dossier(member, idea):
    data = {"outcome": "prioritised", "meeting_date": today(), "board_rank": "2", "note": ""}
    response = member.submit(url(idea), data, page=url(idea))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/board/ideas/{idea.id}"
    (decision,) = all_decisions()
    assert (decision.outcome, decision.board_rank) == (O.PRIORITISED, 2)
    dossier = text_of(member.get(f"/board/ideas/{idea.id}"))
    assert "Entscheidungen des Lenkungsgremiums" in dossier and "Rang 2" in dossier


def test_decline_without_reason_keeps_input_and_shows_the_error(member, idea):
    data = {"outcome": "declined", "meeting_date": "05.01." + today()[:4], "note": "  "}
    response = member.submit(url(idea), data, page=url(idea))
    assert response.status_code == 200
    page = text_of(response)
    assert "Bitte begründen Sie die Ablehnung." in page
    assert 'id="note-fehler"' in page
    assert re.search(r'<input checked[^>]*value="declined"', page)
    assert f'value="05.01.{today()[:4]}"' in page
    assert all_decisions() == []


@pytest.mark.parametrize(
    ("date_text", "message"),
    [
        ("", "Bitte geben Sie das Datum der Sitzung an."),
        ("31.02.2026", "gültiges Datum"),
        ("morgen", "gültiges Datum"),
        ("2001-01-01", "höchstens ein Jahr zurückliegen"),
        ((utcnow().date() + timedelta(days=400)).isoformat(), "ein Jahr in der Zukunft"),
    ],
)
def test_invalid_or_far_dates_are_refused(member, idea, date_text, message):
    data = {"outcome": "declined", "meeting_date": date_text, "note": "Zu teuer."}
    response = member.submit(url(idea), data, page=url(idea))
    assert response.status_code == 200
    page = text_of(response)
    assert message in page and 'id="meeting_date-fehler"' in page
    assert "Zu teuer." in page  # the reason typed is kept
    assert all_decisions() == []


@pytest.mark.parametrize("rank", ["", "0", "abc", "1000"])
def test_prioritising_needs_a_valid_rank(member, idea, rank):
    data = {"outcome": "prioritised", "meeting_date": today(), "board_rank": rank}
    page = text_of(member.submit(url(idea), data, page=url(idea)))
    assert 'id="board_rank-fehler"' in page
    assert all_decisions() == []


def test_a_taken_rank_names_the_idea_holding_it(member, idea, people):
    other = forward(group=people["beta"], title="Bürgerportal")
    member.submit(
        url(other), {"outcome": "prioritised", "meeting_date": today(), "board_rank": "1"}
    )
    data = {"outcome": "prioritised", "meeting_date": today(), "board_rank": "1", "note": "Gut"}
    page = text_of(member.submit(url(idea), data, page=url(idea)))
    assert "Rang 1 ist bereits an die Idee „Bürgerportal“ vergeben." in page
    assert re.search(r">\s*Gut</textarea>", page)  # the note is kept
    assert len(all_decisions()) == 1


def test_an_outcome_not_offered_is_refused(member, idea):
    data = {"outcome": "implemented", "meeting_date": today(), "note": "Fertig"}
    page = text_of(member.submit(url(idea), data, page=url(idea)))
    assert "Nur priorisierte Ideen können als umgesetzt markiert werden." in page
    assert all_decisions() == []


def test_double_submit_records_one_decision(member, idea):
    token = member.csrf_token(url(idea))
    data = {
        "outcome": "declined",
        "meeting_date": today(),
        "note": "Zu teuer.",
        "csrf_token": token,
    }
    first = member.post(url(idea), data=data)
    second = member.post(url(idea), data=data)
    assert first.status_code == second.status_code == 302
    assert len(all_decisions()) == 1
    assert "bereits abschließend entschieden" in text_of(member.get("/"))


def test_double_submit_of_a_prioritisation_says_it_is_prioritised(member, idea):
    token = member.csrf_token(url(idea))
    data = {"outcome": "prioritised", "meeting_date": today(), "board_rank": "3"}
    member.post(url(idea), data={**data, "csrf_token": token})
    page = text_of(member.post(url(idea), data={**data, "csrf_token": token}))
    assert "Diese Idee ist bereits priorisiert." in page
    assert len(all_decisions()) == 1


def test_expired_csrf_stores_nothing(member, idea):
    data = {"outcome": "declined", "meeting_date": today(), "note": "Zu teuer."}
    response = member.post(url(idea), data={**data, "csrf_token": "abgelaufen"})
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in text_of(response)
    assert all_decisions() == []


@pytest.mark.parametrize("status", [S.IN_REVIEW, S.PUBLISHED])
def test_ideas_not_on_the_board_are_404(member, people, status):
    idea = make_idea(people["alpha"], status=status)
    assert member.get(url(idea)).status_code == 404
    assert member.get("/board/ideas/999999/decision").status_code == 404
    response = member.submit(url(idea), {"outcome": "declined", "meeting_date": today()})
    assert response.status_code == 404


def test_returning_sends_the_idea_back_and_leaves_the_board(member, idea):
    data = {"outcome": "returned", "meeting_date": today(), "note": "Bitte Kosten klären."}
    response = member.submit(url(idea), data, page=url(idea))
    assert response.headers["Location"] == "/board"
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status is S.IN_REVIEW
    assert member.get(url(idea)).status_code == 404


# ---------------------------------------------------------------- meetings and agenda


@pytest.fixture
def meeting(people):
    found, _created = decisions.create_meeting(utcnow().date(), "Frühjahrssitzung", people["board"])
    db.session.commit()
    return found


def test_creating_a_meeting_and_the_same_day_again(member):
    response = member.submit("/board/meetings", {"held_on": today(), "title": "Sitzung 1"})
    assert response.status_code == 302
    (meeting,) = db.session.scalars(db.select(Meeting)).all()
    assert response.headers["Location"] == f"/board/meetings/{meeting.id}"
    again = member.submit("/board/meetings", {"held_on": today(), "title": "Andere"})
    assert again.headers["Location"] == f"/board/meetings/{meeting.id}"
    assert "bereits eine Sitzung" in text_of(member.get("/board/meetings"))
    page = text_of(member.submit("/board/meetings", {"held_on": "2001-01-01", "title": "Alt"}))
    assert "höchstens ein Jahr zurückliegen" in page and 'value="Alt"' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 1


def test_agenda_add_move_remove(member, meeting, people):
    low = forward(group=people["alpha"], title="Wenig")
    high = forward(group=people["alpha"], title="Viel")
    vote(high, "up")
    base = f"/board/meetings/{meeting.id}"
    page = text_of(member.get(base))
    assert page.index("Viel") < page.index("Wenig")  # offered by Gesamtwertung
    response = member.submit(f"{base}/items", {"ideas": [str(low.id), str(high.id)]}, page=base)
    assert response.status_code == 302
    assert [e.idea.id for e in decisions.agenda(meeting).entries] == [high.id, low.id]
    member.submit(f"{base}/items/{low.id}/move", {"direction": "up"}, page=base)
    assert [e.idea.id for e in decisions.agenda(meeting).entries] == [low.id, high.id]
    member.submit(f"{base}/items/{low.id}/remove", {}, page=base)
    db.session.expire_all()
    assert db.session.scalars(db.select(AgendaItem.position)).all() == [1]
    page = text_of(member.get(base))
    assert "Sitzungsvorlage" in page and "Frühjahrssitzung" in page
    assert 'media="print"' in page and "css/print.css" in page


def test_agenda_refuses_nothing_chosen_or_a_tampered_id(member, meeting, people):
    base = f"/board/meetings/{meeting.id}"
    forward(group=people["alpha"], title="Eine")
    response = member.submit(f"{base}/items", {}, page=base)
    assert response.status_code == 422
    assert "Bitte wählen Sie mindestens eine Idee aus." in text_of(response)
    published = make_idea(people["alpha"])
    response = member.submit(f"{base}/items", {"ideas": [str(published.id)]}, page=base)
    assert response.status_code == 422
    assert "nicht (mehr)" in text_of(response)
    assert member.submit(f"{base}/items/{published.id}/move", {"direction": "x"}).status_code == 400
    assert member.get("/board/meetings/999999").status_code == 404


def test_agenda_shows_the_key_figures_and_decisions(member, meeting, people):
    idea = forward(group=people["alpha"], title="Sensoren", rationale="Saubere **Luft**.")
    vote(idea, "up")
    decisions.add_to_agenda(meeting, [idea.id])
    decisions.decide(idea, people["board"], O.PRIORITISED, meeting.held_on, "Wichtig!", 4)
    db.session.commit()
    page = text_of(member.get(f"/board/meetings/{meeting.id}"))
    assert "Saubere Luft." in page  # the rationale's excerpt
    assert "Entscheidungen in dieser Sitzung" in page and "Wichtig!" in page
    assert "Rang 4" in page


# ---------------------------------------------------------------- CSV


def test_csv_export(member, meeting, people):
    evil = forward(group=people["alpha"], title='=HYPERLINK("http://x";"klick")')
    vote(evil, "up")
    plain = forward(group=people["alpha"], title="@Radwege; sicher")
    decisions.add_to_agenda(meeting, [evil.id, plain.id])
    db.session.commit()
    response = member.get(f"/board/meetings/{meeting.id}/agenda.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"sitzungsvorlage-{meeting.held_on.isoformat()}.csv" in disposition
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nr.", "Idee", "Themengruppe"]
    assert "Gesamtwertung" in rows[0] and rows[0][-1] == "Adresse"
    assert [row[0] for row in rows[1:]] == ["1", "2"]
    titles = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x";"klick")' in titles
    assert "'@Radwege; sicher" in titles
    first = next(row for row in rows[1:] if row[1].startswith("'="))
    assert first[-1] == f"http://localhost/ideas/{evil.id}"
    score = first[rows[0].index("Gesamtwertung")]
    assert "," in score or score == "0,0"  # German decimals, as on the page


def test_csv_cell_neutralises_formulas():
    from app.decisions.views import csv_cell

    for text in ("=1+1", "+49", "-3", "@SUM(A1)", "\tx"):
        assert csv_cell(text).startswith("'")
    assert csv_cell("Glasfaser") == "Glasfaser" and csv_cell(3) == "3" and csv_cell(None) == ""


# ---------------------------------------------------------------- public


def test_decisions_page_shows_outcomes_and_hides_hidden_ideas(client, people):
    shown = forward(group=people["alpha"], title="Telemedizin")
    hidden = forward(group=people["alpha"], title="Geheimprojekt")
    declined = forward(group=people["beta"], title="Seilbahn")
    board_member = people["board"]
    decisions.decide(shown, board_member, O.PRIORITISED, utcnow().date(), "**Sehr** gut.", 1)
    decisions.decide(hidden, board_member, O.PRIORITISED, utcnow().date(), "", 2)
    decisions.decide(
        declined, board_member, O.DECLINED, utcnow().date() - timedelta(days=20), "Zu teuer."
    )
    hidden.hidden_at = utcnow()
    db.session.commit()
    page = text_of(client.get("/decisions"))
    assert "Telemedizin" in page and "Seilbahn" in page
    assert "Geheimprojekt" not in page
    assert "<strong>Sehr</strong> gut." in page and "Zu teuer." in page
    assert "Priorisiert" in page and "Abgelehnt" in page
    assert f'id="sitzung-{utcnow().date().isoformat()}"' in page
    assert page.index("Aktuelle Prioritätenliste") < page.index("Seilbahn")
    assert 'href="/decisions"' in page  # the main navigation's link
    assert client.get("/decisions?page=2").status_code == 404
    assert client.get("/decisions?sitzung=kaputt").status_code == 404


def test_empty_decisions_page(client):
    page = text_of(client.get("/decisions"))
    assert "noch keine Entscheidungen" in page


def test_idea_page_shows_the_decision_with_a_link_to_its_meeting(client, people):
    idea = forward(group=people["alpha"], title="Smart Parking")
    day = utcnow().date() - timedelta(days=3)
    decisions.decide(idea, people["board"], O.PRIORITISED, day, "Der Rat berät im Mai.", 2)
    db.session.commit()
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Entscheidung des Lenkungsgremiums" in page
    assert "Der Rat berät im Mai." in page and "Rang 2 auf der Prioritätenliste" in page
    link = f"/decisions?sitzung={day.isoformat()}#sitzung-{day.isoformat()}"
    assert link in page
    assert f'id="sitzung-{day.isoformat()}"' in text_of(client.get(link.split("#")[0]))


def test_idea_page_without_decisions_has_no_section(client, people):
    idea = forward(group=people["alpha"], title="Noch offen")
    assert "Entscheidung des Lenkungsgremiums" not in text_of(client.get(f"/ideas/{idea.id}"))
