"""Permission matrix rows of the steering board's pages and the admins' weights form.

Only board members and admins see the board and the dossier; signed-out visitors are
sent to the login page, everyone else (leads, the U30-Beirat, citizens, unconfirmed
accounts) gets 403 — also for the dossier of an idea of their own group, and before
anyone learns whether an idea id exists. {forwarded} is an idea of group `alpha` (led by
`lead`) forwarded to the board.
"""

import pytest

from app.extensions import db
from tests.conftest import ROLE_NAMES
from tests.services.test_board import forward
from tests.views.test_permissions_matrix import (
    ADMIN_ONLY,
    ADMIN_POST,
    FORBIDDEN,
    LOGIN,
    MISSING,
    OK,
    ask,
    check,
    role_cases,
)

BOARD_ONLY = {**dict.fromkeys(ROLE_NAMES, FORBIDDEN), "visitor": LOGIN, "board": OK, "admin": OK}
BOARD_MISSING = {**BOARD_ONLY, "board": MISSING, "admin": MISSING}

WEIGHTS = {"votes": "4", "benefit": "2", "feasibility": "2", "u30": "1", "discussion": "1"}

# (method, rule as in the URL map, concrete path, form data, expected per role)
MATRIX = [
    ("GET", "/board", "/board", None, BOARD_ONLY),
    ("GET", "/board", "/board?sort=title&dir=asc&group=alpha&status=forwarded", None, BOARD_ONLY),
    ("GET", "/board/ideas/<int:idea_id>", "/board/ideas/{forwarded}", None, BOARD_ONLY),
    ("GET", "/board/ideas/<int:idea_id>", "/board/ideas/{published}", None, BOARD_MISSING),
    ("GET", "/board/ideas/<int:idea_id>", "/board/ideas/999999", None, BOARD_MISSING),
    ("GET", "/admin/board-weights", "/admin/board-weights", None, ADMIN_ONLY),
    ("POST", "/admin/board-weights", "/admin/board-weights", WEIGHTS, ADMIN_POST),
]  # fmt: skip


@pytest.fixture
def ideas_of(people):
    from tests.factories import make_idea

    forwarded = forward(group=people["alpha"], title="Weitergeleitet")
    published = make_idea(people["alpha"], people["citizen"], title="Veröffentlicht")
    db.session.commit()
    return {"forwarded": forwarded.id, "published": published.id}


CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, ideas_of, method, path, data, role, expected):
    client = client_for(role)
    response = ask(client, method, path, data, ideas_of)
    check(response, expected)
    if expected == OK and path.startswith("/board"):
        assert "Weitergeleitet" in response.get_data(as_text=True)
