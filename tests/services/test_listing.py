"""Lists of ideas: sort orders, filters, pagination, what is never listed, and the indexes."""

from datetime import timedelta

import pytest
from sqlalchemy import text, update

from app.extensions import db
from app.models import Idea, IdeaOrigin, IdeaStatus
from app.models.base import utcnow
from app.services import groups, listing
from app.services.listing import excerpt, group_page, newest_ideas, top_ideas
from tests.factories import make_group, make_idea, make_user

S = IdeaStatus


@pytest.fixture
def group():
    return make_group("Mobilität", "mobilitaet")


@pytest.fixture
def author():
    return make_user()


def set_columns(idea: Idea, **values) -> None:
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(**values))
    db.session.commit()


def ids(cards) -> list[int]:
    return [card.idea.id for card in (cards.cards if isinstance(cards, listing.Page) else cards)]


# ---------------------------------------------------------------- sort orders


@pytest.mark.parametrize(
    ("sort", "column"),
    [
        ("top", "score_top"),
        ("trending", "score_trending"),
        ("discussed", "comments_count"),
    ],
)
def test_each_sort_orders_by_its_score_then_newest_id(group, author, sort, column):
    low, tie_old, tie_new, high = (make_idea(group, author) for _ in range(4))
    set_columns(low, **{column: 1})
    set_columns(tie_old, **{column: 5})
    set_columns(tie_new, **{column: 5})
    set_columns(high, **{column: 9})
    assert ids(group_page(group, sort=sort)) == [high.id, tie_new.id, tie_old.id, low.id]


def test_new_orders_by_creation_time_then_id(group, author):
    now = utcnow()
    older, same_a, same_b, newest = (make_idea(group, author) for _ in range(4))
    set_columns(older, created_at=now - timedelta(days=2))
    set_columns(same_a, created_at=now - timedelta(days=1))
    set_columns(same_b, created_at=now - timedelta(days=1))
    set_columns(newest, created_at=now)
    assert ids(group_page(group, sort="new")) == [newest.id, same_b.id, same_a.id, older.id]


def test_top_is_the_default_and_follows_votes(group, author):
    from app.services.votes import VoteValue, set_vote

    liked, ignored = make_idea(group, author), make_idea(group, author)
    for _ in range(3):
        set_vote(make_user(), liked, VoteValue.UP)
    db.session.commit()
    assert ids(group_page(group)) == [liked.id, ignored.id]


def test_unknown_sort_status_or_page_is_refused(group):
    with pytest.raises(ValueError):
        group_page(group, sort="beliebt")
    with pytest.raises(ValueError):
        group_page(group, status=S.SUBMITTED)
    with pytest.raises(ValueError):
        group_page(group, page=0)
    with pytest.raises(ValueError):
        group_page(group, page=listing.MAX_PAGE + 1)


# ---------------------------------------------------------------- what is listed


def test_only_listed_ideas_of_the_group_are_shown(group, author):
    shown = {status: make_idea(group, author, status=status) for status in listing.FILTER_STATUSES}
    for status in (S.SUBMITTED, S.REJECTED):
        make_idea(group, author, status=status)
    hidden = make_idea(group, author)
    set_columns(hidden, hidden_at=utcnow())
    make_idea(make_group(), author)  # another group

    listed = {shown[status].id for status in shown if status not in (S.MERGED, S.WITHDRAWN)}
    assert set(ids(group_page(group))) == listed
    for status, idea in shown.items():
        assert ids(group_page(group, status=status)) == [idea.id], status


def test_hidden_ideas_stay_away_also_when_a_status_is_asked_for(group, author):
    for status in (S.PUBLISHED, S.MERGED, S.WITHDRAWN):
        idea = make_idea(group, author, status=status)
        set_columns(idea, hidden_at=utcnow())
        assert ids(group_page(group, status=status)) == []


def test_origin_filter(group, author):
    online = make_idea(group, author)
    forum = make_idea(group, author)
    set_columns(forum, origin=IdeaOrigin.FORUM, participant_name="Frau K.")
    assert ids(group_page(group, origin=IdeaOrigin.FORUM)) == [forum.id]
    assert ids(group_page(group, origin=IdeaOrigin.ONLINE)) == [online.id]
    assert ids(group_page(group, origin=IdeaOrigin.WORKSHOP)) == []
    assert ids(group_page(group, origin=IdeaOrigin.FORUM, status=S.PUBLISHED)) == [forum.id]
    assert ids(group_page(group, origin=IdeaOrigin.FORUM, status=S.DECLINED)) == []


# ---------------------------------------------------------------- pagination


def test_pages_of_twenty_with_has_next(group, author, monkeypatch):
    created = [make_idea(group, author) for _ in range(45)]
    newest_first = [idea.id for idea in reversed(created)]

    first = group_page(group, sort="new")
    assert (ids(first), first.number, first.has_next, first.has_previous) == (
        newest_first[:20],
        1,
        True,
        False,
    )
    second = group_page(group, sort="new", page=2)
    assert ids(second) == newest_first[20:40] and second.has_next and second.has_previous
    third = group_page(group, sort="new", page=3)
    assert ids(third) == newest_first[40:] and not third.has_next
    assert ids(group_page(group, sort="new", page=4)) == []


def test_exactly_one_full_page_has_no_next(group, author):
    for _ in range(listing.PER_PAGE):
        make_idea(group, author)
    page = group_page(group)
    assert len(page.cards) == listing.PER_PAGE and not page.has_next


def test_the_last_allowed_page_has_no_next(group, author, monkeypatch):
    monkeypatch.setattr(listing, "MAX_PAGE", 2)
    monkeypatch.setattr(listing, "PER_PAGE", 1)
    for _ in range(3):
        make_idea(group, author)
    assert group_page(group, page=1).has_next
    assert not group_page(group, page=2).has_next


# ---------------------------------------------------------------- home page lists


def test_top_and_newest_across_groups_leave_out_archived_groups_and_unlisted(author):
    alpha, beta, archived = make_group(), make_group(), make_group()
    a1, a2 = make_idea(alpha, author), make_idea(alpha, author)
    b1 = make_idea(beta, author)
    old = make_idea(archived, author)
    groups.set_archived(archived, True)
    make_idea(beta, author, status=S.WITHDRAWN)
    hidden = make_idea(beta, author)
    set_columns(hidden, hidden_at=utcnow(), score_top=0.99)
    set_columns(a2, score_top=0.5)
    set_columns(b1, score_top=0.7)
    set_columns(old, score_top=0.9)

    assert ids(top_ideas()) == [b1.id, a2.id, a1.id]
    assert ids(newest_ideas()) == [b1.id, a2.id, a1.id]
    assert ids(top_ideas(limit=1)) == [b1.id]


def test_cards_carry_a_plain_text_excerpt(group, author):
    make_idea(
        group,
        author,
        body="## Worum es geht\n\nMehr **Bänke** & <b>Schatten</b> im [Park](https://example.org).",
    )
    (card,) = group_page(group).cards
    assert card.excerpt == "Worum es geht Mehr Bänke & <b>Schatten</b> im Park."
    assert card.idea.group.slug == group.slug


def test_excerpt_is_cut_at_a_word_boundary():
    words = " ".join(["Wort"] * 100)
    cut = excerpt(f"<p>{words}</p>")
    assert cut.endswith(" …") and len(cut) <= listing.EXCERPT_LENGTH + 2
    assert cut[:-2].split(" ") == ["Wort"] * len(cut[:-2].split(" "))
    assert excerpt("<p>kurz</p>") == "kurz"
    assert excerpt("") == ""


def test_a_list_is_a_fixed_number_of_queries(group, author, app):
    from sqlalchemy import event

    for _ in range(5):
        make_idea(group, make_user())
    assert group.id  # loaded before counting (the view has the group already)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = group_page(group)
        for card in page.cards:  # what a card shows: no further queries
            _ = (card.idea.author.display_name, card.idea.group.name, card.idea.title)
        top_ideas()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2


# ---------------------------------------------------------------- the indexes


def query_plan(query) -> str:
    """The database's plan for a query (PostgreSQL: as on a big table, no sequential scan)."""
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "postgresql":
        # On a handful of rows a sequential scan and a sort are cheaper; with 100 000 ideas
        # they are not. Turning them off shows which index the query can be answered from
        # (a sort still appears when no index gives the order). Without this, the plan would
        # depend on whatever statistics autovacuum last took of the test tables.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            db.session.execute(text(f"SET LOCAL {setting} = off"))
        return "\n".join(db.session.scalars(text(f"EXPLAIN {compiled}")))
    rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("top", "ix_idea_group_top"),
        ("trending", "ix_idea_group_trending"),
        ("new", "ix_idea_group_new"),
        ("discussed", "ix_idea_group_discussed"),
    ],
)
@pytest.mark.parametrize("page", [1, 7])
def test_the_group_list_reads_its_index_without_sorting(group, author, sort, index, page):
    for _ in range(3):
        make_idea(group, author)
    plan = query_plan(listing.group_query(group, sort=sort, page=page))
    db.session.rollback()
    assert index in plan, plan
    if db.engine.dialect.name == "postgresql":
        assert "Index Scan" in plan, plan
        assert "Sort" not in plan, plan
    else:
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.parametrize("status", [None, S.PUBLISHED, S.MERGED])
def test_a_status_or_origin_filter_keeps_the_index_order(group, author, status):
    make_idea(group, author)
    plan = query_plan(listing.group_query(group, status=status, origin=IdeaOrigin.FORUM))
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        # With statistics, PostgreSQL may prefer ix_idea_status for a rare status.
        assert "ix_idea_group_top" in plan or "ix_idea_status" in plan, plan
    else:
        assert "ix_idea_group_top" in plan, plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_the_home_lists_read_their_indexes(author):
    make_idea(make_group(), author)
    for function, index in ((top_ideas, "ix_idea_top"), (newest_ideas, "ix_idea_new")):
        captured = []
        real = listing._cards
        listing._cards = lambda query, captured=captured: captured.append(query) or []
        try:
            function()
        finally:
            listing._cards = real
        plan = query_plan(captured[0])
        db.session.rollback()
        assert index in plan, plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan and "Sort " not in plan, plan
