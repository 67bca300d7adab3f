"""Permission matrix rows of the ideas blueprint and the sorting help.

The ideas are written by `citizen` in group `alpha` (led by `lead`): {idea} is published,
{submitted} waits for pre-moderation. MISSING means 404: an idea someone may not see does
not exist for them.
"""

import pytest

from app.extensions import db
from app.models import IdeaStatus
from tests import factories
from tests.conftest import ROLE_NAMES
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

CITIZENS_OK = {**dict.fromkeys(ROLE_NAMES, OK), "visitor": LOGIN, "unconfirmed": FORBIDDEN}
CITIZENS_DONE = {**CITIZENS_OK, **dict.fromkeys(set(ROLE_NAMES) - {"visitor", "unconfirmed"}, DONE)}
AUTHOR_ONLY = {**dict.fromkeys(ROLE_NAMES, FORBIDDEN), "visitor": LOGIN, "citizen": OK}
AUTHOR_DONE = {**AUTHOR_ONLY, "citizen": DONE}
AUTHOR_AND_MODERATORS = {
    **dict.fromkeys(ROLE_NAMES, MISSING),
    "citizen": OK,
    "lead": OK,
    "admin": OK,
}

IDEA = {"group": "alpha", "title": "Eine neue Idee", "body": "Mit Text."}
EDIT = {"title": "Geändert", "body": "Neuer Text."}

# (method, rule as in the URL map, concrete path, form data, expected per role)
MATRIX = [
    ("GET", "/hilfe/sortierung", "/hilfe/sortierung", None, EVERYONE),
    ("GET", "/ideas/new", "/ideas/new?group=alpha", None, CITIZENS_OK),
    ("POST", "/ideas/new", "/ideas/new", IDEA, CITIZENS_DONE),
    ("GET", "/ideas/<int:idea_id>", "/ideas/{idea}", None, EVERYONE),
    ("GET", "/ideas/<int:idea_id>", "/ideas/{submitted}", None, AUTHOR_AND_MODERATORS),
    ("GET", "/ideas/<int:idea_id>/edit", "/ideas/{idea}/edit", None, AUTHOR_ONLY),
    ("POST", "/ideas/<int:idea_id>/edit", "/ideas/{idea}/edit", EDIT, AUTHOR_DONE),
    ("GET", "/ideas/<int:idea_id>/withdraw", "/ideas/{idea}/withdraw", None, AUTHOR_ONLY),
    ("POST", "/ideas/<int:idea_id>/withdraw", "/ideas/{idea}/withdraw", {}, AUTHOR_DONE),
    ("POST", "/ideas/<int:idea_id>/vote", "/ideas/{idea}/vote", {"value": "up"}, CITIZENS_DONE),
    ("POST", "/ideas/<int:idea_id>/vote", "/ideas/{submitted}/vote", {"value": "up"},
     {**AUTHOR_AND_MODERATORS, "visitor": LOGIN, "citizen": DONE, "lead": DONE, "admin": DONE}),
    ("POST", "/ideas/<int:idea_id>/assessment", "/ideas/{idea}/assessment",
     {"benefit": "4", "feasibility": "2"}, CITIZENS_DONE),
]  # fmt: skip


@pytest.fixture
def ideas_of(people):
    """The ids that the paths name: a published and a submitted idea of `citizen`."""
    idea = factories.make_idea(people["alpha"], people["citizen"], title="Veröffentlicht")
    submitted = factories.make_idea(
        people["alpha"], people["citizen"], title="Wartend", status=IdeaStatus.SUBMITTED
    )
    db.session.commit()
    return {"idea": idea.id, "submitted": submitted.id}


CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, ideas_of, method, path, data, role, expected):
    client = client_for(role)
    response = ask(client, method, path, data, ideas_of)
    check(response, expected)
