"""Permission matrix rows of the per-idea moderation page (curation).

{idea} and {target} are published ideas in group `alpha` (led by `lead`); {theirs} is one in
`beta` (led by `other_lead`); `lead` also leads {gamma}. MISSING means 404.
"""

import pytest

from app.extensions import db
from app.services import groups
from tests import factories
from tests.conftest import ROLE_NAMES
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
MODERATORS_OK = {**NOBODY, "lead": OK, "admin": OK}
MODERATORS_DONE = {**NOBODY, "lead": DONE, "admin": DONE}
OTHER_MODERATORS_OK = {**NOBODY, "other_lead": OK, "admin": OK}
ADMIN_DONE = {**NOBODY, "admin": DONE}
NOTE_WRITERS_DONE = {**MODERATORS_DONE, "board": DONE}
UNKNOWN = {**dict.fromkeys(ROLE_NAMES, MISSING), "visitor": LOGIN}

PAGE = "/moderation/ideas/<int:idea_id>"
STATUS = "/moderation/ideas/<int:idea_id>/status"
MERGE = "/moderation/ideas/<int:idea_id>/merge"
MOVE = "/moderation/ideas/<int:idea_id>/move"
ANSWER = "/moderation/ideas/<int:idea_id>/answer"
NOTES = "/moderation/ideas/<int:idea_id>/notes"

# (method, rule as in the URL map, concrete path, form data, expected per role)
MATRIX = [
    ("GET", PAGE, "/moderation/ideas/{idea}", None, MODERATORS_OK),
    ("GET", PAGE, "/moderation/ideas/{theirs}", None, OTHER_MODERATORS_OK),
    ("GET", PAGE, "/moderation/ideas/999999", None, UNKNOWN),
    ("POST", STATUS, "/moderation/ideas/{idea}/status", {"to": "in_review", "note": "Prüfen"},
     MODERATORS_DONE),
    ("POST", STATUS, "/moderation/ideas/{theirs}/status", {"to": "declined", "note": "Nein"},
     {**NOBODY, "other_lead": DONE, "admin": DONE}),
    ("POST", MERGE, "/moderation/ideas/{idea}/merge",
     {"target": "{target}", "reason": "Doppelt", "confirmed": "1"}, MODERATORS_DONE),
    # Form tampering: the target lies in a group the lead does not moderate.
    ("POST", MERGE, "/moderation/ideas/{idea}/merge",
     {"target": "{theirs}", "reason": "Doppelt", "confirmed": "1"}, ADMIN_DONE),
    ("POST", MOVE, "/moderation/ideas/{idea}/move", {"group": "{gamma}", "note": ""},
     MODERATORS_DONE),
    ("POST", MOVE, "/moderation/ideas/{idea}/move", {"group": "{beta}", "note": ""}, ADMIN_DONE),
    ("POST", ANSWER, "/moderation/ideas/{idea}/answer", {"body": "Unsere Antwort"},
     MODERATORS_DONE),
    ("POST", ANSWER, "/moderation/ideas/{theirs}/answer", {"body": "Unsere Antwort"},
     {**NOBODY, "other_lead": DONE, "admin": DONE}),
    ("POST", NOTES, "/moderation/ideas/{idea}/notes", {"body": "Intern"}, NOTE_WRITERS_DONE),
    ("POST", NOTES, "/moderation/ideas/999999/notes", {"body": "Intern"}, UNKNOWN),
]  # fmt: skip


@pytest.fixture
def names(people):
    """The ids that paths and forms name."""
    gamma = factories.make_group("Gamma", "gamma")
    groups.add_lead(gamma, people["lead"])
    db.session.commit()
    return {
        "idea": factories.make_idea(people["alpha"], title="Eine Idee").id,
        "target": factories.make_idea(people["alpha"], title="Das Original").id,
        "theirs": factories.make_idea(people["beta"], title="Idee in Beta").id,
        "beta": people["beta"].id,
        "gamma": gamma.id,
    }


CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, names, method, path, data, role, expected):
    client = client_for(role)
    response = ask(client, method, path, data, names)
    check(response, expected)
