"""Permission matrix rows of the board's decisions, meetings, agendas and their CSV, and
of the public page /decisions.

Board members and admins decide and keep the agendas; signed-out visitors are sent to the
login page, everyone else (leads, the U30-Beirat, citizens, unconfirmed accounts) gets 403
before anyone learns whether an id exists. {forwarded} is an idea of group `alpha`
forwarded to the board, {meeting} a meeting with {forwarded} on its agenda.
"""

import pytest

from app.extensions import db
from app.models.base import utcnow
from app.services import decisions
from tests.conftest import ROLE_NAMES
from tests.services.test_board import forward
from tests.views.test_permissions_matrix import (
    DONE,
    EVERYONE,
    FORBIDDEN,
    LOGIN,
    MISSING,
    OK,
    ask,
    check,
    role_cases,
)

BOARD_ONLY = {**dict.fromkeys(ROLE_NAMES, FORBIDDEN), "visitor": LOGIN, "board": OK, "admin": OK}
BOARD_POST = {**BOARD_ONLY, "board": DONE, "admin": DONE}
BOARD_MISSING = {**BOARD_ONLY, "board": MISSING, "admin": MISSING}

DECIDE = {"outcome": "declined", "meeting_date": "{today}", "note": "Zu teuer."}

# (method, rule as in the URL map, concrete path, form data, expected per role)
MATRIX = [
    ("GET", "/board/ideas/<int:idea_id>/decision", "/board/ideas/{forwarded}/decision", None,
     BOARD_ONLY),
    ("GET", "/board/ideas/<int:idea_id>/decision", "/board/ideas/{published}/decision", None,
     BOARD_MISSING),
    ("GET", "/board/ideas/<int:idea_id>/decision", "/board/ideas/999999/decision", None,
     BOARD_MISSING),
    ("POST", "/board/ideas/<int:idea_id>/decision", "/board/ideas/{forwarded}/decision", DECIDE,
     BOARD_POST),
    ("POST", "/board/ideas/<int:idea_id>/decision", "/board/ideas/{published}/decision", DECIDE,
     BOARD_MISSING),
    ("GET", "/board/meetings", "/board/meetings", None, BOARD_ONLY),
    ("POST", "/board/meetings", "/board/meetings", {"held_on": "{today}", "title": "Neu"},
     BOARD_POST),
    ("GET", "/board/meetings/<int:meeting_id>", "/board/meetings/{meeting}", None, BOARD_ONLY),
    ("GET", "/board/meetings/<int:meeting_id>", "/board/meetings/999999", None, BOARD_MISSING),
    ("POST", "/board/meetings/<int:meeting_id>/items", "/board/meetings/{meeting}/items",
     {"ideas": "{other}"}, BOARD_POST),
    ("POST", "/board/meetings/<int:meeting_id>/items", "/board/meetings/999999/items",
     {"ideas": "{other}"}, BOARD_MISSING),
    ("POST", "/board/meetings/<int:meeting_id>/items/<int:idea_id>/move",
     "/board/meetings/{meeting}/items/{forwarded}/move", {"direction": "down"}, BOARD_POST),
    ("POST", "/board/meetings/<int:meeting_id>/items/<int:idea_id>/move",
     "/board/meetings/999999/items/{forwarded}/move", {"direction": "down"}, BOARD_MISSING),
    ("POST", "/board/meetings/<int:meeting_id>/items/<int:idea_id>/remove",
     "/board/meetings/{meeting}/items/{forwarded}/remove", {}, BOARD_POST),
    ("POST", "/board/meetings/<int:meeting_id>/items/<int:idea_id>/remove",
     "/board/meetings/999999/items/{forwarded}/remove", {}, BOARD_MISSING),
    ("GET", "/board/meetings/<int:meeting_id>/agenda.csv", "/board/meetings/{meeting}/agenda.csv",
     None, BOARD_ONLY),
    ("GET", "/board/meetings/<int:meeting_id>/agenda.csv", "/board/meetings/999999/agenda.csv",
     None, BOARD_MISSING),
    ("GET", "/decisions", "/decisions", None, EVERYONE),
    ("GET", "/decisions", "/decisions?page=1", None, EVERYONE),
]  # fmt: skip


@pytest.fixture
def ids(people):
    from tests.factories import make_idea

    forwarded = forward(group=people["alpha"], title="Weitergeleitet")
    other = forward(group=people["alpha"], title="Noch nicht auf der Tagesordnung")
    published = make_idea(people["alpha"], people["citizen"], title="Veröffentlicht")
    meeting, _created = decisions.create_meeting(utcnow().date(), "Sitzung", people["board"])
    decisions.add_to_agenda(meeting, [forwarded.id])
    db.session.commit()
    return {
        "forwarded": forwarded.id,
        "other": other.id,
        "published": published.id,
        "meeting": meeting.id,
        "today": utcnow().date().isoformat(),
    }


CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, ids, method, path, data, role, expected):
    client = client_for(role)
    response = ask(client, method, path, data, ids)
    check(response, expected)
    if expected == OK and path.startswith("/board/meetings/") and path.endswith(".csv"):
        assert "Weitergeleitet" in response.get_data().decode("utf-8-sig")
    elif expected == OK and path == "/board/meetings":
        assert "Sitzungen des Lenkungsgremiums" in response.get_data(as_text=True)
    elif expected == OK and path.startswith("/board"):
        assert "Weitergeleitet" in response.get_data(as_text=True)
    if expected == FORBIDDEN:
        # Nothing was decided or changed by a refused request.
        assert decisions.idea_decisions(db.session.get(decisions.Idea, ids["forwarded"])) == []
