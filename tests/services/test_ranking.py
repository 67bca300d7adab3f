from datetime import datetime, timedelta

import pytest

from app.services.ranking import TRENDING_HOURS_PER_TENFOLD, trending_score, wilson_lower_bound


@pytest.mark.parametrize(
    ("up", "down", "expected"),
    [
        # Reference values computed with the closed formula (z = 1.96, 95 %).
        (0, 0, 0.0),
        (1, 0, 0.2065),
        (5, 0, 0.5655),
        (10, 0, 0.7225),
        (10, 10, 0.2993),
        (60, 40, 0.5020),
        (600, 400, 0.5693),
        (0, 10, 0.0),
    ],
)
def test_wilson_lower_bound_known_values(up, down, expected):
    assert wilson_lower_bound(up, down) == pytest.approx(expected, abs=1e-4)


def test_wilson_prefers_more_evidence_at_the_same_share():
    assert wilson_lower_bound(100, 10) > wilson_lower_bound(10, 1) > wilson_lower_bound(1, 0)


def test_wilson_ties_are_equal_and_bounded():
    assert wilson_lower_bound(3, 1) == wilson_lower_bound(3, 1)
    for up, down in [(1, 0), (1000, 0), (0, 1000), (7, 3)]:
        assert 0.0 <= wilson_lower_bound(up, down) <= 1.0


def test_trending_newer_idea_needs_fewer_votes():
    start = datetime(2026, 1, 1)
    later = start + timedelta(hours=TRENDING_HOURS_PER_TENFOLD)
    # Ten times the votes make up exactly for one period of age.
    assert trending_score(100, 0, start) == pytest.approx(trending_score(10, 0, later))
    assert trending_score(10, 0, later) > trending_score(10, 0, start)
    assert trending_score(0, 10, start) < trending_score(0, 0, start) < trending_score(10, 0, start)


def test_trending_zero_votes_orders_by_creation_time():
    start = datetime(2026, 1, 1)
    assert trending_score(0, 0, start + timedelta(minutes=1)) > trending_score(0, 0, start)
