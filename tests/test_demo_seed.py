"""Demo content: `flask seed --demo` (showcase) and `--ideas/--votes/--comments` (bulk)."""

import itertools
import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app import demo
from app.extensions import db
from app.models import (
    Assessment,
    Comment,
    Forwarding,
    Idea,
    IdeaStatus,
    StatusEvent,
    ThematicGroup,
    User,
    UserRole,
    Vote,
)
from app.seed import DEMO_PASSWORD, DEMO_USERS
from app.services import accounts, ideas
from app.services.ranking import trending_score, wilson_lower_bound
from app.services.search import search_ideas
from app.services.text import render_markdown

S = IdeaStatus


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _verify(runner) -> None:
    result = runner.invoke(args=["recount", "--verify"])
    assert result.exit_code == 0, result.output
    assert "Alle Zähler stimmen." in result.output


def test_seed_demo_adds_a_consistent_showcase_once(runner):
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    added = len(demo.SHOWCASE)
    assert f"Beispielideen: {added} neu angelegt." in result.output
    _verify(runner)

    assert _count(Idea) == added
    assert _count(User) == len(DEMO_USERS)  # authored and voted on by the demo accounts
    slugs = set(
        db.session.scalars(select(ThematicGroup.slug).join(Idea, Idea.group_id == ThematicGroup.id))
    )
    assert len(slugs) == 5
    statuses = set(db.session.scalars(select(Idea.status)))
    assert {S.PUBLISHED, S.IN_REVIEW, S.FORWARDED, S.IMPLEMENTED, S.DECLINED} <= statuses
    assert _count(Vote) > 50
    assert _count(Assessment) > 10
    assert _count(Comment, Comment.parent_id.is_(None)) > 20
    assert _count(Comment, Comment.parent_id.is_not(None)) > 5
    # Every idea's timeline starts with its first status and ends with its current one.
    for idea in db.session.scalars(select(Idea)):
        events = ideas.timeline(idea)
        assert events[0].from_status is None
        assert events[-1].to_status == idea.status
        for before, after in itertools.pairwise(events):
            assert after.to_status in ideas.TRANSITIONS[before.to_status]
            assert before.created_at <= after.created_at
    declined = db.session.scalar(select(Idea).where(Idea.title == "Seilbahn zum Kreishaus"))
    assert "Kosten" in ideas.timeline(declined)[-1].note
    merged = db.session.scalar(select(Idea).where(Idea.status == S.MERGED))
    assert merged.merged_into_id is not None
    # Scores follow the counters.
    for idea in db.session.scalars(select(Idea)):
        assert idea.score_top == pytest.approx(wilson_lower_bound(idea.votes_up, idea.votes_down))
        assert idea.score_trending == pytest.approx(
            trending_score(idea.votes_up, idea.votes_down, idea.created_at)
        )
    assert [idea.title for idea in search_ideas("Radwege").items] == [
        "Sichere Radwege zur Schule mit digitaler Schulwegkarte"
    ]

    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "Beispielideen: 0 neu angelegt." in result.output
    assert _count(Idea) == added
    _verify(runner)


def _bulk(runner, ideas_=300, votes=2000, comments=500):
    result = runner.invoke(
        args=[
            "seed", "--demo", "--ideas", str(ideas_), "--votes", str(votes),
            "--comments", str(comments),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result


def test_bulk_seed_gives_exactly_the_numbers_asked_for(runner):
    result = _bulk(runner)
    assert "300 Ideen, 2000 Stimmen" in result.output
    assert (_count(Idea), _count(Vote), _count(Comment)) == (300, 2000, 500)
    _verify(runner)
    assert _count(StatusEvent) >= 300
    assert _count(Comment, Comment.parent_id.is_not(None)) == 150
    # A thread's replies_count counts its visible replies, as services.comments keeps it.
    reply = aliased(Comment)
    visible_replies = (
        select(func.count())
        .where(reply.parent_id == Comment.id, reply.deleted_at.is_(None), reply.hidden_at.is_(None))
        .scalar_subquery()
    )
    assert _count(Comment, Comment.replies_count != visible_replies) == 0
    assert db.session.scalar(select(func.sum(Comment.replies_count))) > 100
    assert _count(UserRole) > 0  # some bulk accounts are U30 members
    assert db.session.scalar(select(func.sum(Idea.u30_votes_up + Idea.u30_votes_down))) > 0

    # Skewed: the most popular idea has many times the votes of a typical one.
    totals = sorted(db.session.scalars(select(Idea.votes_up + Idea.votes_down)), reverse=True)
    assert totals[0] >= 5 * max(totals[len(totals) // 2], 1)
    # Unpublished ideas have no votes; hidden ones are not in the group numbers.
    assert _count(Vote, Vote.idea_id.in_(select(Idea.id).where(Idea.status == S.SUBMITTED))) == 0
    listed = _count(Idea, Idea.status.in_(ideas.LISTED_STATUSES), Idea.hidden_at.is_(None))
    assert db.session.scalar(select(func.sum(ThematicGroup.ideas_count))) == listed

    # Running it again adds as much again, and the counters stay right.
    _bulk(runner)
    assert (_count(Idea), _count(Vote), _count(Comment)) == (600, 4000, 1000)
    _verify(runner)


def test_bulk_accounts_can_log_in_and_ideas_are_searchable(runner):
    _bulk(runner, 50, 200, 20)
    email = db.session.scalar(
        select(User.email).where(User.email.like(demo.BULK_EMAIL_PATTERN)).limit(1)
    )
    assert accounts.authenticate(email, DEMO_PASSWORD) is not None
    title = db.session.scalar(
        select(Idea.title).where(Idea.status == S.PUBLISHED, Idea.hidden_at.is_(None)).limit(1)
    )
    assert title in [idea.title for idea in search_ideas(title, per_page=50).items]


def test_bulk_seed_on_top_of_the_showcase(runner):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    _bulk(runner, 40, 100, 30)
    assert _count(Idea) == len(demo.SHOWCASE) + 40
    _verify(runner)


def test_every_idea_on_the_boards_path_has_a_rationale_and_a_rank(runner):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    _bulk(runner, 400, 100, 10)
    _bulk(runner, 400, 100, 10)
    on_path = set(
        db.session.scalars(
            select(Idea.id).where(Idea.status.in_([S.FORWARDED, S.PRIORITISED, S.IMPLEMENTED]))
        )
    )
    rows = db.session.execute(
        select(Forwarding.idea_id, Forwarding.group_id, Forwarding.rank, Forwarding.rationale)
    ).all()
    assert len(on_path) > 10
    assert {row.idea_id for row in rows} == on_path
    assert all(row.rationale for row in rows)
    ranks: dict[int, list[int]] = {}
    for row in rows:
        ranks.setdefault(row.group_id, []).append(row.rank)
    # Each group's ranks are 1..n, also after a second bulk run on top of the first.
    assert all(sorted(values) == list(range(1, len(values) + 1)) for values in ranks.values())


def test_bulk_defaults_and_refusals(runner):
    result = runner.invoke(args=["seed", "--ideas", "10"])
    assert result.exit_code == 2
    assert "nur mit --demo" in result.output
    assert _count(Idea) == 0

    result = runner.invoke(args=["seed", "--demo", "--ideas", "0", "--votes", "5"])
    assert result.exit_code != 0
    assert "keine Stimmen" in result.output

    result = runner.invoke(args=["seed", "--demo", "--ideas", "20"])
    assert result.exit_code == 0, result.output
    assert (_count(Idea), _count(Vote), _count(Comment)) == (20, 200, 60)
    _verify(runner)


def test_generated_html_is_what_markdown_would_render():
    rng = random.Random(7)
    for slug in demo.MEASURES:
        for _ in range(20):
            _title, paragraphs = demo._draft(rng, slug)
            assert demo._paragraphs_html(paragraphs) == render_markdown("\n\n".join(paragraphs))
    for template in demo.COMMENTS + demo.REPLIES:
        body = demo._fill(template, "", demo.PLACES[0], demo.AUDIENCES[0])
        assert demo._paragraphs_html([body]) == render_markdown(body)


@pytest.mark.parametrize("total", [0, 1, 17, 1000])
def test_spread_sums_exactly_and_respects_the_cap(total):
    rng = random.Random(total)
    weights = [rng.paretovariate(1.2) for _ in range(50)]
    counts = demo.spread(total, weights, 30, rng)
    assert sum(counts) == total
    assert max(counts) <= 30
    with pytest.raises(ValueError):
        demo.spread(50 * 30 + 1, weights, 30, rng)
