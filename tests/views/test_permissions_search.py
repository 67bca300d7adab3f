"""Permission matrix rows of the search blueprint: everything is public and read-only."""

import pytest

from tests.views.test_permissions_matrix import EVERYONE, ask, check, role_cases

MATRIX = [
    ("GET", "/search", "/search?q=Idee", None, EVERYONE),
    ("GET", "/ideas/similar", "/ideas/similar?q=Idee", None, EVERYONE),
]

CASES = role_cases(MATRIX)


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_role_gets_expected_answer(client_for, method, path, data, role, expected):
    check(ask(client_for(role), method, path, data), expected)
