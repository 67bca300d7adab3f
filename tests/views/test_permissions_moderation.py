"""Permission matrix rows of content moderation and of its admin pages.

Everything sits in group "alpha" (led by `lead`; `other_lead` leads "beta" and gets 403):
`{idea}` by a stranger, `{comment}` a stranger's comment on it, `{hidden}` a hidden
comment, `{block}` an active block of a stranger, `{citizen}` the citizen's account
(blocked by the POST), `{reason}` a reason template.
"""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import GroupBlock
from app.models.base import utcnow
from app.services import moderation
from tests.conftest import ROLE_NAMES
from tests.factories import make_comment, make_idea, make_user
from tests.views.test_permissions_matrix import (
    ADMIN_ONLY,
    ADMIN_POST,
    DONE,
    EVERYONE,
    FORBIDDEN,
    LOGIN,
    OK,
    ask,
    check,
    role_cases,
)

NOBODY = {**dict.fromkeys(ROLE_NAMES, FORBIDDEN), "visitor": LOGIN}
MODERATORS = {**NOBODY, "lead": OK, "admin": OK}
MODERATORS_POST = {**NOBODY, "lead": DONE, "admin": DONE}
ALL_LEADS = {**MODERATORS, "other_lead": OK}

HIDE = {"template": "", "text": "Beleidigung"}
BLOCK = {"duration": "7", "reason": "Wiederholt beleidigend"}
REASON = {"label": "Neue Vorlage", "text": "Text"}

# (method, rule as in the URL map, concrete path, form data, expected per role)
MATRIX = [
    ("GET", "/moderation/<slug>", "/moderation/alpha", None, MODERATORS),
    ("GET", "/moderation/log", "/moderation/log", None, ALL_LEADS),
    ("GET", "/moderation/log", "/moderation/log?group=alpha", None, MODERATORS),
    ("GET", "/moderation/ideas/<int:idea_id>/hide", "/moderation/ideas/{idea}/hide", None,
     MODERATORS),
    ("POST", "/moderation/ideas/<int:idea_id>/hide", "/moderation/ideas/{idea}/hide", HIDE,
     MODERATORS_POST),
    ("POST", "/moderation/ideas/<int:idea_id>/restore", "/moderation/ideas/{idea}/restore", {},
     MODERATORS_POST),
    ("POST", "/moderation/ideas/<int:idea_id>/dismiss", "/moderation/ideas/{idea}/dismiss", {},
     MODERATORS_POST),
    ("GET", "/moderation/comments/<int:comment_id>/hide",
     "/moderation/comments/{comment}/hide", None, MODERATORS),
    ("POST", "/moderation/comments/<int:comment_id>/hide",
     "/moderation/comments/{comment}/hide", HIDE, MODERATORS_POST),
    ("POST", "/moderation/comments/<int:comment_id>/restore",
     "/moderation/comments/{hidden}/restore", {}, MODERATORS_POST),
    ("POST", "/moderation/comments/<int:comment_id>/dismiss",
     "/moderation/comments/{comment}/dismiss", {}, MODERATORS_POST),
    ("GET", "/moderation/<slug>/block/<int:user_id>", "/moderation/alpha/block/{citizen}", None,
     MODERATORS),
    ("POST", "/moderation/<slug>/block/<int:user_id>", "/moderation/alpha/block/{citizen}",
     BLOCK, MODERATORS_POST),
    ("POST", "/moderation/blocks/<int:block_id>/lift", "/moderation/blocks/{block}/lift", {},
     MODERATORS_POST),
    ("GET", "/groups/<slug>/moderation", "/groups/alpha/moderation", None, EVERYONE),
    ("GET", "/admin/moderation", "/admin/moderation", None, ADMIN_ONLY),
    ("POST", "/admin/moderation/threshold", "/admin/moderation/threshold", {"threshold": "4"},
     ADMIN_POST),
    ("POST", "/admin/moderation/reasons", "/admin/moderation/reasons", REASON, ADMIN_POST),
    ("GET", "/admin/moderation/reasons/<int:reason_id>", "/admin/moderation/reasons/{reason}",
     None, ADMIN_ONLY),
    ("POST", "/admin/moderation/reasons/<int:reason_id>", "/admin/moderation/reasons/{reason}",
     REASON, ADMIN_POST),
    ("POST", "/admin/moderation/reasons/<int:reason_id>/move",
     "/admin/moderation/reasons/{reason}/move", {"direction": "down"}, ADMIN_POST),
    ("POST", "/admin/moderation/reasons/<int:reason_id>/delete",
     "/admin/moderation/reasons/{reason}/delete", {}, ADMIN_POST),
]  # fmt: skip


@pytest.fixture
def ids(people):
    idea = make_idea(people["alpha"], make_user())
    comment = make_comment(idea)
    hidden = make_comment(idea)
    moderation.hide_comment(people["admin"], hidden, text="Spam")
    stranger = make_user()
    block = GroupBlock(
        group_id=people["alpha"].id,
        user_id=stranger.id,
        reason="Spam",
        until=utcnow() + timedelta(days=3),
    )
    db.session.add(block)
    reason = moderation.create_template("Beleidigung")
    moderation.create_template("Werbung")
    db.session.commit()
    return {
        "idea": idea.id,
        "comment": comment.id,
        "hidden": hidden.id,
        "block": block.id,
        "citizen": people["citizen"].id,
        "reason": reason.id,
    }


CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, ids, method, path, data, role, expected):
    client = client_for(role)
    response = ask(client, method, path, data, ids)
    check(response, expected)
