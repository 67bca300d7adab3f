"""Permission matrix rows of the comments and notifications blueprints.

The idea (in group "alpha") is someone else's; `{comment}` is a stranger's comment on it,
`{own}` one written by the role "citizen" a moment ago.
"""

import pytest

from tests.conftest import ROLE_NAMES
from tests.factories import make_comment, make_idea, make_user
from tests.views.test_permissions_matrix import (
    DONE,
    EVERYONE,
    FORBIDDEN,
    LOGIN,
    OK,
    SIGNED_IN,
    ask,
    check,
    role_cases,
)

CITIZENS = {**dict.fromkeys(ROLE_NAMES, OK), "visitor": LOGIN, "unconfirmed": FORBIDDEN}
CITIZENS_POST = {**dict.fromkeys(ROLE_NAMES, DONE), "visitor": LOGIN, "unconfirmed": FORBIDDEN}
ALL_DONE = dict.fromkeys(ROLE_NAMES, DONE)
SIGNED_IN_POST = {**dict.fromkeys(ROLE_NAMES, DONE), "visitor": LOGIN}
NOBODY = {**dict.fromkeys(ROLE_NAMES, FORBIDDEN), "visitor": LOGIN}
AUTHOR_ONLY = {**NOBODY, "citizen": OK}
AUTHOR_POST = {**NOBODY, "citizen": DONE}
MODERATORS_POST = {**NOBODY, "lead": DONE, "admin": DONE}

COMMENTS = "/ideas/<int:idea_id>/comments"
COMMENT = "/ideas/<int:idea_id>/comments/<int:comment_id>"
SETTINGS = {"comments": "instant", "status": "daily", "new_ideas": "never"}

# (method, rule as in the URL map, concrete path, form data, expected per role)
MATRIX = [
    ("POST", COMMENTS, "/ideas/{idea}/comments", {"body": "Ein Gedanke."}, CITIZENS_POST),
    ("GET", COMMENT, "/ideas/{idea}/comments/{comment}", None, ALL_DONE),
    ("GET", COMMENT + "/replies", "/ideas/{idea}/comments/{comment}/replies", None, EVERYONE),
    ("GET", COMMENT + "/edit", "/ideas/{idea}/comments/{comment}/edit", None, NOBODY),
    ("GET", COMMENT + "/edit", "/ideas/{idea}/comments/{own}/edit", None, AUTHOR_ONLY),
    ("POST", COMMENT + "/edit", "/ideas/{idea}/comments/{comment}/edit", {"body": "Neu"}, NOBODY),
    ("POST", COMMENT + "/edit", "/ideas/{idea}/comments/{own}/edit", {"body": "Neu"},
     AUTHOR_POST),
    ("POST", COMMENT + "/delete", "/ideas/{idea}/comments/{comment}/delete", {},
     MODERATORS_POST),
    ("POST", COMMENT + "/delete", "/ideas/{idea}/comments/{own}/delete", {},
     {**MODERATORS_POST, "citizen": DONE}),
    ("GET", "/ideas/<int:idea_id>/report", "/ideas/{idea}/report", None, CITIZENS),
    ("POST", "/ideas/<int:idea_id>/report", "/ideas/{idea}/report", {"reason": "Werbung"},
     CITIZENS_POST),
    ("GET", COMMENT + "/report", "/ideas/{idea}/comments/{comment}/report", None, CITIZENS),
    ("POST", COMMENT + "/report", "/ideas/{idea}/comments/{comment}/report",
     {"reason": "Beleidigung"}, CITIZENS_POST),
    ("POST", "/ideas/<int:idea_id>/follow", "/ideas/{idea}/follow", {}, CITIZENS_POST),
    ("POST", "/ideas/<int:idea_id>/unfollow", "/ideas/{idea}/unfollow", {}, CITIZENS_POST),
    ("POST", "/groups/<slug>/follow", "/groups/alpha/follow", {}, CITIZENS_POST),
    ("POST", "/groups/<slug>/unfollow", "/groups/alpha/unfollow", {}, CITIZENS_POST),
    ("GET", "/account/notifications", "/account/notifications", None, SIGNED_IN),
    ("POST", "/account/notifications/read", "/account/notifications/read", {}, SIGNED_IN_POST),
    ("GET", "/account/notifications/settings", "/account/notifications/settings", None,
     SIGNED_IN),
    ("POST", "/account/notifications/settings", "/account/notifications/settings", SETTINGS,
     SIGNED_IN_POST),
]  # fmt: skip

CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, people, method, path, data, role, expected):
    idea = make_idea(people["alpha"], make_user())
    ids = {
        "idea": idea.id,
        "comment": make_comment(idea).id,
        "own": make_comment(idea, people["citizen"]).id,
    }
    check(ask(client_for(role), method, path, data, ids), expected)
