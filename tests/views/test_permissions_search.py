"""Permission matrix rows of the search blueprint: everything is public and read-only."""

import pytest

from tests.conftest import ROLE_NAMES
from tests.views.test_permissions_matrix import EVERYONE, check

MATRIX = [
    ("GET", "/search", "/search?q=Idee", None, EVERYONE),
    ("GET", "/ideas/similar", "/ideas/similar?q=Idee", None, EVERYONE),
]

CASES = [
    pytest.param(method, path, data, role, expected[role], id=f"{method} {path} {role}")
    for method, _rule, path, data, expected in MATRIX
    for role in ROLE_NAMES
]


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, method, path, data, role, expected):
    client = client_for(role)
    response = client.get(path) if method == "GET" else client.submit(path, data)
    check(response, expected)
