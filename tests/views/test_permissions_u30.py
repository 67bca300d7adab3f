"""Permission matrix rows of the U30-Beirat's statement (app/u30).

Only U30 members write and endorse the statement; signed-out visitors are sent to the login
page, everyone else (citizens, leads, the board, admins: admins do not write for the
Beirat) gets 403. An idea someone may not see is missing for them (404), also before their
role is asked. {forwarded} is a forwarded idea of group `alpha` without a statement,
{stated} one whose statement another U30 member wrote, {published} is still in its group
(the member is sent back to the idea with the reason), {hidden} is forwarded but hidden.
"""

import pytest

from app.extensions import db
from app.models import Role
from app.services import u30
from tests.conftest import ROLE_NAMES
from tests.factories import make_idea, make_user
from tests.services.test_board import forward
from tests.views.test_permissions_matrix import (
    DONE,
    FORBIDDEN,
    LOGIN,
    MISSING,
    OK,
    ask,
    check,
    role_cases,
)

NOBODY = {**dict.fromkeys(ROLE_NAMES, FORBIDDEN), "visitor": LOGIN}
MEMBERS_OK = {**NOBODY, "u30": OK}
MEMBERS_DONE = {**NOBODY, "u30": DONE}
MEMBERS_MISSING = {**NOBODY, "u30": MISSING}
UNKNOWN = {**dict.fromkeys(ROLE_NAMES, MISSING), "visitor": LOGIN}
# A hidden idea: its group's lead and admins still see it (and are refused), others not.
HIDDEN = {**UNKNOWN, "lead": FORBIDDEN, "admin": FORBIDDEN}

FORM = "/ideas/<int:idea_id>/u30-statement"
ENDORSEMENT = "/ideas/<int:idea_id>/u30-statement/endorsement"
BODY = {"body": "Wir sind dafür."}
ENDORSE = {"action": "endorse"}

# (method, rule as in the URL map, concrete path, form data, expected per role)
MATRIX = [
    ("GET", FORM, "/ideas/{forwarded}/u30-statement", None, MEMBERS_OK),
    ("GET", FORM, "/ideas/{published}/u30-statement", None, MEMBERS_DONE),
    ("GET", FORM, "/ideas/{hidden}/u30-statement", None, HIDDEN),
    ("GET", FORM, "/ideas/999999/u30-statement", None, UNKNOWN),
    ("POST", FORM, "/ideas/{forwarded}/u30-statement", BODY, MEMBERS_DONE),
    ("POST", FORM, "/ideas/{hidden}/u30-statement", BODY, HIDDEN),
    ("POST", FORM, "/ideas/999999/u30-statement", BODY, UNKNOWN),
    ("POST", ENDORSEMENT, "/ideas/{stated}/u30-statement/endorsement", ENDORSE, MEMBERS_DONE),
    ("POST", ENDORSEMENT, "/ideas/{stated}/u30-statement/endorsement", {"action": "withdraw"},
     MEMBERS_DONE),
    # No statement to endorse yet.
    ("POST", ENDORSEMENT, "/ideas/{forwarded}/u30-statement/endorsement", ENDORSE,
     MEMBERS_MISSING),
    ("POST", ENDORSEMENT, "/ideas/{hidden}/u30-statement/endorsement", ENDORSE, HIDDEN),
    ("POST", ENDORSEMENT, "/ideas/999999/u30-statement/endorsement", ENDORSE, UNKNOWN),
]  # fmt: skip


@pytest.fixture
def ideas_of(people):
    alpha = people["alpha"]
    stated = forward(group=alpha, title="Mit Stellungnahme", rank=2)
    u30.write(stated, make_user(roles_={Role.U30}), "Der Beirat ist dafür.")
    hidden = forward(group=alpha, title="Ausgeblendet", rank=3)
    hidden.hidden_at = db.func.now()
    hidden.hidden_reason = "Prüfung"
    db.session.commit()
    return {
        "forwarded": forward(group=alpha, title="Weitergeleitet").id,
        "published": make_idea(alpha, people["citizen"], title="In der Gruppe").id,
        "stated": stated.id,
        "hidden": hidden.id,
    }


CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, ideas_of, method, path, data, role, expected):
    client = client_for(role)
    response = ask(client, method, path, data, ideas_of)
    check(response, expected)
    if expected == DONE:
        idea_page = path.format(**ideas_of).split("/u30-statement")[0]
        assert response.headers["Location"].startswith(idea_page)
