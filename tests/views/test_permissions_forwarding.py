"""Permission matrix rows of offline ideas and forwarding.

Group `alpha` is led by `lead`; `other_lead` leads `beta` and must get 403 for all of
alpha. {review} is an alpha idea in review, {forwarded} one that is forwarded (rank 1,
ahead of a second one), {beta_review} an idea in review of group beta.
"""

import pytest

from app.extensions import db
from app.models import IdeaStatus
from app.services import forwarding
from tests import factories
from tests.conftest import ROLE_NAMES
from tests.views.test_permissions_matrix import (
    DONE,
    EVERYONE,
    FORBIDDEN,
    LOGIN,
    OK,
    ask,
    check,
    role_cases,
)

MODERATORS_OK = {**dict.fromkeys(ROLE_NAMES, FORBIDDEN), "visitor": LOGIN, "lead": OK, "admin": OK}
MODERATORS_DONE = {**MODERATORS_OK, "lead": DONE, "admin": DONE}
BETA_MODERATORS_OK = {**MODERATORS_OK, "lead": FORBIDDEN, "other_lead": OK}
BETA_MODERATORS_DONE = {**BETA_MODERATORS_OK, "other_lead": DONE, "admin": DONE}
RANKING_READERS = {**MODERATORS_OK, "board": OK}

OFFLINE = {
    "origin": "workshop",
    "event": "Workshop Mobilität",
    "participant_name": "",
    "title": "Carsharing am Rathaus",
    "body": "Ein Vorschlag aus dem Workshop.",
}

# (method, rule as in the URL map, concrete path, form data, expected per role)
MATRIX = [
    ("GET", "/moderation/<slug>/ideas/new", "/moderation/alpha/ideas/new", None, MODERATORS_OK),
    ("POST", "/moderation/<slug>/ideas/new", "/moderation/alpha/ideas/new",
     {**OFFLINE, "group": "{alpha}"}, MODERATORS_DONE),
    ("GET", "/moderation/<slug>/ideas/new", "/moderation/beta/ideas/new", None,
     BETA_MODERATORS_OK),
    ("GET", "/moderation/ideas/<int:idea_id>/forward", "/moderation/ideas/{review}/forward",
     None, MODERATORS_OK),
    ("POST", "/moderation/ideas/<int:idea_id>/forward", "/moderation/ideas/{review}/forward",
     {"rationale": "Viele wollen das."}, MODERATORS_DONE),
    ("POST", "/moderation/ideas/<int:idea_id>/forward",
     "/moderation/ideas/{beta_review}/forward", {"rationale": "Viele wollen das."},
     BETA_MODERATORS_DONE),
    ("GET", "/moderation/<slug>/forwarded", "/moderation/alpha/forwarded", None,
     RANKING_READERS),
    ("GET", "/moderation/<slug>/forwarded", "/moderation/beta/forwarded", None,
     {**BETA_MODERATORS_OK, "board": OK}),
    ("POST", "/moderation/ideas/<int:idea_id>/rank", "/moderation/ideas/{forwarded}/rank",
     {"direction": "down"}, MODERATORS_DONE),
    ("GET", "/moderation/ideas/<int:idea_id>/return", "/moderation/ideas/{forwarded}/return",
     None, MODERATORS_OK),
    ("POST", "/moderation/ideas/<int:idea_id>/return", "/moderation/ideas/{forwarded}/return",
     {"note": "Wir schärfen nach."}, MODERATORS_DONE),
    ("GET", "/groups/<slug>/forwarded", "/groups/alpha/forwarded", None, EVERYONE),
]  # fmt: skip


@pytest.fixture
def ids(people):
    alpha, beta = people["alpha"], people["beta"]
    review = factories.make_idea(alpha, title="In Prüfung", status=IdeaStatus.IN_REVIEW)
    first = factories.make_idea(alpha, title="Erste", status=IdeaStatus.IN_REVIEW)
    second = factories.make_idea(alpha, title="Zweite", status=IdeaStatus.IN_REVIEW)
    beta_review = factories.make_idea(beta, title="Beta", status=IdeaStatus.IN_REVIEW)
    forwarding.forward(first, people["lead"], "Begründung eins")
    forwarding.forward(second, people["lead"], "Begründung zwei")
    db.session.commit()
    return {
        "alpha": alpha.id,
        "review": review.id,
        "forwarded": first.id,
        "beta_review": beta_review.id,
    }


CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, ids, method, path, data, role, expected):
    client = client_for(role)
    response = ask(client, method, path, data, ids)
    check(response, expected)
