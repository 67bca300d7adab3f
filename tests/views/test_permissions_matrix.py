"""Role × endpoint matrix: every route, every role, the answer each one gets.

`visitor` is signed out; `unconfirmed` has an account whose address is not confirmed.
Each feature keeps its rows in its own `tests/views/test_permissions_<feature>.py` as a
list named MATRIX; `test_matrix_covers_every_route` gathers them all.
"""

import importlib
import pathlib

import pytest

from tests.conftest import ROLE_NAMES

OK, LOGIN, FORBIDDEN, HOME, DONE, BAD = "ok", "login", "forbidden", "home", "done", "bad"
MISSING = "missing"  # 404: the object does not exist, or is hidden from this role

EVERYONE = dict.fromkeys(ROLE_NAMES, OK)
SIGNED_IN = {**dict.fromkeys(ROLE_NAMES, OK), "visitor": LOGIN}
ADMIN_ONLY = {**dict.fromkeys(ROLE_NAMES, FORBIDDEN), "visitor": LOGIN, "admin": OK}
ADMIN_POST = {**ADMIN_ONLY, "admin": DONE}
VISITOR_ONLY = {**dict.fromkeys(ROLE_NAMES, HOME), "visitor": OK}

# (method, rule as in the URL map, concrete path, form data, expected per role)
MATRIX = [
    ("GET", "/", "/", None, EVERYONE),
    ("GET", "/healthz", "/healthz", None, EVERYONE),
    ("GET", "/barrierefreiheit", "/barrierefreiheit", None, EVERYONE),
    ("GET", "/datenschutz", "/datenschutz", None, EVERYONE),
    ("GET", "/impressum", "/impressum", None, EVERYONE),
    ("POST", "/language", "/language", {"lang": "en"}, dict.fromkeys(ROLE_NAMES, HOME)),
    ("GET", "/groups/<slug>", "/groups/alpha", None, EVERYONE),
    ("GET", "/account/register", "/account/register", None, VISITOR_ONLY),
    ("POST", "/account/register", "/account/register", {}, VISITOR_ONLY),
    ("GET", "/account/login", "/account/login", None, VISITOR_ONLY),
    ("POST", "/account/login", "/account/login", {}, VISITOR_ONLY),
    ("POST", "/account/logout", "/account/logout", {}, dict.fromkeys(ROLE_NAMES, HOME)),
    ("GET", "/account/forgot-password", "/account/forgot-password", None, EVERYONE),
    ("POST", "/account/forgot-password", "/account/forgot-password", {}, EVERYONE),
    ("GET", "/account/confirm/<token>", "/account/confirm/falsch", None,
     dict.fromkeys(ROLE_NAMES, BAD)),
    ("POST", "/account/confirm/resend", "/account/confirm/resend", {},
     {**dict.fromkeys(ROLE_NAMES, DONE), "visitor": LOGIN}),
    ("GET", "/account/reset/<token>", "/account/reset/falsch", None,
     dict.fromkeys(ROLE_NAMES, BAD)),
    ("POST", "/account/reset/<token>", "/account/reset/falsch", {},
     dict.fromkeys(ROLE_NAMES, BAD)),
    ("GET", "/account/email/<token>", "/account/email/falsch", None,
     dict.fromkeys(ROLE_NAMES, BAD)),
    ("GET", "/account/settings", "/account/settings", None, SIGNED_IN),
    ("POST", "/account/settings/profile", "/account/settings/profile", {}, SIGNED_IN),
    ("POST", "/account/settings/password", "/account/settings/password", {}, SIGNED_IN),
    ("POST", "/account/settings/email", "/account/settings/email", {}, SIGNED_IN),
    ("GET", "/account/export", "/account/export", None, SIGNED_IN),
    ("GET", "/account/delete", "/account/delete", None, SIGNED_IN),
    ("POST", "/account/delete", "/account/delete", {}, SIGNED_IN),
    ("GET", "/admin/", "/admin/", None, ADMIN_ONLY),
    ("GET", "/admin/groups", "/admin/groups", None, ADMIN_ONLY),
    ("POST", "/admin/groups", "/admin/groups", {"name": "Neue Gruppe"}, ADMIN_POST),
    ("GET", "/admin/groups/<int:group_id>", "/admin/groups/{alpha}", None, ADMIN_ONLY),
    ("POST", "/admin/groups/<int:group_id>", "/admin/groups/{alpha}",
     {"name": "Alpha neu", "description": ""}, ADMIN_POST),
    ("POST", "/admin/groups/<int:group_id>/move", "/admin/groups/{alpha}/move",
     {"direction": "down"}, ADMIN_POST),
    ("POST", "/admin/groups/<int:group_id>/archive", "/admin/groups/{alpha}/archive",
     {"archived": "1"}, ADMIN_POST),
    ("GET", "/admin/users", "/admin/users", None, ADMIN_ONLY),
    ("GET", "/admin/users/<int:user_id>", "/admin/users/{citizen}", None, ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>", "/admin/users/{citizen}", {"board": "y"}, ADMIN_POST),
    ("GET", "/admin/texts", "/admin/texts", None, ADMIN_ONLY),
    ("GET", "/admin/texts/<key>", "/admin/texts/privacy", None, ADMIN_ONLY),
    ("POST", "/admin/texts/<key>", "/admin/texts/privacy", {"body": "Neu."}, ADMIN_POST),
]  # fmt: skip


def route_keys(app) -> set[tuple[str, str]]:
    keys = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            keys.add((method, rule.rule))
    return keys


def all_rows() -> list:
    rows = list(MATRIX)
    for path in sorted(pathlib.Path(__file__).parent.glob("test_permissions_*.py")):
        if path.stem != "test_permissions_matrix":
            rows += importlib.import_module(f"tests.views.{path.stem}").MATRIX
    return rows


def test_matrix_covers_every_route(app):
    covered = {(method, rule) for method, rule, *_ in all_rows()}
    assert route_keys(app) - covered == set(), "routes missing from the permission matrix"
    assert covered - route_keys(app) == set(), "matrix names routes that do not exist"


def role_cases(matrix) -> list:
    """One test case per row of a matrix (method, rule, path, data, answers) and role."""
    return [
        pytest.param(
            method,
            path,
            data,
            role,
            expected[role],
            id=" ".join(filter(None, (method, path, str(data) if data else "", role))),
        )
        for method, _rule, path, data, expected in matrix
        for role in ROLE_NAMES
    ]


def ask(client, method: str, path: str, data: dict | None, ids: dict | None = None):
    """A matrix row's request: a GET, or the form posted with a fresh CSRF token.

    `ids` fill the placeholders ("{idea}") in the path and in the form's values.
    """
    ids = ids or {}
    path = path.format(**ids)
    if method == "GET":
        return client.get(path)
    data = {key: str(value).format(**ids) for key, value in (data or {}).items()}
    # The token comes from a small public page that every role may see.
    return client.submit(path, data, page="/hilfe/sortierung")


CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, people, method, path, data, role, expected):
    client = client_for(role)
    ids = {"alpha": people["alpha"].id, "citizen": people["citizen"].id}
    check(ask(client, method, path, data, ids), expected)


def check(response, expected: str) -> None:
    """Assert that a response is the answer `expected` names (OK, LOGIN, FORBIDDEN, …)."""
    location = response.headers.get("Location", "")
    if expected == MISSING:
        assert response.status_code == 404
    elif expected == OK:
        assert response.status_code == 200
    elif expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith("/account/login")
    elif expected == FORBIDDEN:
        assert response.status_code == 403
        assert "Zugriff verweigert" in response.get_data(as_text=True)
    elif expected == HOME:
        assert response.status_code == 302
        assert location == "/"
    elif expected == DONE:
        assert response.status_code == 302
        assert not location.startswith("/account/login")
    elif expected == BAD:
        assert response.status_code == 400
