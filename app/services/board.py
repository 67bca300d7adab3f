"""The steering board's ranking table, its combined score (Gesamtwertung) and the dossier.

Which ideas the board sees: every idea its group forwarded (a `Forwarding` row that was
not returned) whose status is forwarded, prioritised, implemented or declined, unless it
is hidden. The numbers are the idea's stored counters, the same fields the idea page
shows; only the U30 assessment averages are counted here, in one grouped query.

The Gesamtwertung combines five signals, each normalised to 0..1:

    votes        Wilson lower bound (95 %) of up vs. down votes = `Idea.score_top`
    benefit      (average Nutzen − 1) / 4
    feasibility  (average Umsetzbarkeit − 1) / 4
    u30          Wilson lower bound of the U30 members' up vs. down votes
    discussion   min(1, comments / DISCUSSION_SATURATION)

    score = Σ weight × signal / Σ weight      (0..1; shown as 0..100 points)

A missing signal counts as 0: no votes, no assessments or no U30 votes score like the
worst value, so an idea cannot rise by having no data. The weights are relative (doubling
all of them changes nothing). Admins set them (SiteSetting rows `board_weight_<name>`);
the defaults below are:

    votes 3        the broadest signal of public support; the Wilson bound already
                   discounts few votes (3 of 3 up gives 0.44, 300 of 300 gives 0.99)
    benefit 2      the citizens' judgement of the benefit for the city
    feasibility 2  and of feasibility; together they outweigh the votes, because they
                   say why, but each alone does not
    u30 1          the U30-Beirat's "special voice": its votes already count in `votes`,
                   this adds a separate share without outweighing the public
    discussion 1   engagement, capped at 20 comments so that a heated debate cannot
                   dominate the order

Ties are broken by the idea's id (the older idea first), on the server and in the
browser's sorting (static/js/board.js) alike.
"""

import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Collection
from contextlib import suppress
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, func
from sqlalchemy.orm import lazyload

from app.extensions import db
from app.models import (
    Assessment,
    Comment,
    Forwarding,
    Idea,
    IdeaStatus,
    InternalNote,
    OfficialAnswer,
    SiteSetting,
    StatusEvent,
    ThematicGroup,
    Vote,
)
from app.models.base import utcnow
from app.permissions import AnyUser, can_see_internal_notes
from app.services import DomainError, ideas, list_cache
from app.services import forwarding as forwarding_service
from app.services.ranking import wilson_lower_bound

S = IdeaStatus

# The statuses of ideas on the board, in the order of the lifecycle (the status sort).
BOARD_STATUSES = (S.FORWARDED, S.PRIORITISED, S.IMPLEMENTED, S.DECLINED)
STATUS_ORDER = {status: index for index, status in enumerate(BOARD_STATUSES)}

# This many comments (or more) give the full discussion signal.
DISCUSSION_SATURATION = 20
WEIGHT_MIN = Decimal(0)
WEIGHT_MAX = Decimal(10)
SETTING_PREFIX = "board_weight_"

# The dossier shows this many comments (those with the most replies).
DOSSIER_COMMENTS = 5


@dataclass(frozen=True)
class Weights:
    """The admin-set weights of the five signals (0..10 each, relative to their sum)."""

    votes: float = 3
    benefit: float = 2
    feasibility: float = 2
    u30: float = 1
    discussion: float = 1

    @property
    def total(self) -> float:
        return sum(getattr(self, name) for name in WEIGHT_NAMES)


WEIGHT_NAMES = tuple(field.name for field in fields(Weights))
DEFAULT_WEIGHTS = Weights()


def _setting_key(name: str) -> str:
    return SETTING_PREFIX + name


def _parse_weight(text: str) -> float | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or not WEIGHT_MIN <= value <= WEIGHT_MAX:
        return None
    return float(value)


def weight_text(value: float, decimal_symbol: str = ",") -> str:
    """A weight (or their sum) as people write it: "3", "1,5", "0,25"."""
    rounded = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    return format(rounded, "f").replace(".", decimal_symbol)


def get_weights() -> Weights:
    """The current weights: the stored ones, the default for any missing or unreadable."""
    stored = dict(
        db.session.execute(
            db.select(SiteSetting.key, SiteSetting.value).where(
                SiteSetting.key.in_([_setting_key(name) for name in WEIGHT_NAMES])
            )
        ).all()
    )
    values = {}
    for name in WEIGHT_NAMES:
        parsed = _parse_weight(stored.get(_setting_key(name), ""))
        values[name] = getattr(DEFAULT_WEIGHTS, name) if parsed is None else parsed
    return Weights(**values)


class WeightsRefused(DomainError):
    """The weights are out of range, or all zero (then nothing could be ranked)."""


def set_weights(values: dict[str, Decimal]) -> Weights:
    """Store the weights (0..10 each, not all 0); returns them as they now apply."""
    if set(values) != set(WEIGHT_NAMES):
        raise WeightsRefused(_("Bitte geben Sie alle Gewichte an."))
    for value in values.values():
        if not value.is_finite() or not WEIGHT_MIN <= value <= WEIGHT_MAX:
            raise WeightsRefused(_("Jedes Gewicht muss zwischen 0 und 10 liegen."))
    if not any(values.values()):
        raise WeightsRefused(_("Mindestens ein Gewicht muss größer als 0 sein."))
    for name, value in values.items():
        key = _setting_key(name)
        setting = db.session.get(SiteSetting, key) or SiteSetting(key=key)
        # Stored as plain decimal text ("1.5"), read back by `get_weights`.
        setting.value = format(value.normalize(), "f")
        setting.value_html = ""
        db.session.add(setting)
    db.session.flush()
    return Weights(**{name: float(value) for name, value in values.items()})


# ---------------------------------------------------------------- the score


@dataclass(frozen=True)
class U30Assessments:
    """The U30 members' assessments of one idea: how many, and the sums of their ratings."""

    count: int = 0
    benefit_sum: int = 0
    feasibility_sum: int = 0

    @property
    def benefit_average(self) -> float | None:
        return self.benefit_sum / self.count if self.count else None

    @property
    def feasibility_average(self) -> float | None:
        return self.feasibility_sum / self.count if self.count else None


class Signals(NamedTuple):
    """The five normalised signals (0..1) the Gesamtwertung combines.

    The table builds one per row, thousands per page: a named tuple is made several
    times faster than a frozen dataclass (likewise IdeaFigures and BoardRow).
    """

    votes: float
    benefit: float
    feasibility: float
    u30: float
    discussion: float


def _rating_signal(average: float | None) -> float:
    return 0.0 if average is None else (average - 1) / 4


def signals(idea: "Idea | IdeaFigures") -> Signals:
    """An idea's normalised signals, from its stored counters (missing data counts as 0)."""
    return Signals(
        votes=idea.score_top,
        benefit=_rating_signal(idea.benefit_average),
        feasibility=_rating_signal(idea.feasibility_average),
        u30=wilson_lower_bound(idea.u30_votes_up, idea.u30_votes_down),
        discussion=min(1.0, idea.comments_count / DISCUSSION_SATURATION),
    )


def scorer(weights: Weights) -> Callable[[Signals], float]:
    """`combined_score` with these weights, for many rows: the weights are read once."""
    total = weights.total
    if total <= 0:
        return lambda _values: 0.0
    votes, benefit, feasibility, u30, discussion = (getattr(weights, name) for name in WEIGHT_NAMES)

    def score(values: Signals) -> float:
        return (
            votes * values.votes
            + benefit * values.benefit
            + feasibility * values.feasibility
            + u30 * values.u30
            + discussion * values.discussion
        ) / total

    return score


def combined_score(values: Signals, weights: Weights) -> float:
    """Σ weight × signal / Σ weight, between 0 and 1 (0 when every weight is 0)."""
    return scorer(weights)(values)


def contributions(values: Signals, weights: Weights) -> dict[str, float]:
    """Each signal's share of the score (0..1): the parts that add up to the Gesamtwertung."""
    total = weights.total
    if total <= 0:
        return dict.fromkeys(WEIGHT_NAMES, 0.0)
    return {name: getattr(weights, name) * getattr(values, name) / total for name in WEIGHT_NAMES}


# ---------------------------------------------------------------- the table


class IdeaFigures(NamedTuple):
    """The columns of an idea that the board table shows: a light copy, read as plain
    columns (the table may hold thousands of rows). The averages are the very properties
    of `Idea` that the idea page uses."""

    id: int
    group_id: int
    group_name: str
    group_slug: str
    title: str
    status: IdeaStatus
    created_at: datetime
    votes_up: int
    votes_down: int
    u30_votes_up: int
    u30_votes_down: int
    comments_count: int
    assessments_count: int
    benefit_sum: int
    feasibility_sum: int
    score_top: float
    score_trending: float

    benefit_average = Idea.benefit_average
    feasibility_average = Idea.feasibility_average


FIGURE_COLUMNS = [
    Idea.id,
    Idea.group_id,
    ThematicGroup.name,
    ThematicGroup.slug,
    Idea.title,
    Idea.status,
    Idea.created_at,
    Idea.votes_up,
    Idea.votes_down,
    Idea.u30_votes_up,
    Idea.u30_votes_down,
    Idea.comments_count,
    Idea.assessments_count,
    Idea.benefit_sum,
    Idea.feasibility_sum,
    Idea.score_top,
    Idea.score_trending,
]


class BoardRow(NamedTuple):
    """One forwarded idea as the board sees it."""

    idea: IdeaFigures
    # The idea's place in its group's ranking (1..n) while it is forwarded; after the
    # board's decision, the rank it had when it left the ranking.
    rank: int
    rank_is_current: bool
    rationale_html: str
    forwarded_at: datetime
    days_since_forwarding: int
    u30: U30Assessments
    signals: Signals
    score: float


def _on_board(query, *, group_id: int | None = None, status: IdeaStatus | None = None):
    query = query.where(
        Forwarding.returned_at.is_(None),
        Idea.status.in_(BOARD_STATUSES),
        Idea.hidden_at.is_(None),
    )
    if group_id is not None:
        query = query.where(Idea.group_id == group_id)
    if status is not None:
        query = query.where(Idea.status == status)
    return query


def _u30_assessments(base_filter) -> dict[int, U30Assessments]:
    query = base_filter(
        db.select(
            Assessment.idea_id,
            func.count().label("n"),
            func.sum(Assessment.benefit).label("benefit_sum"),
            func.sum(Assessment.feasibility).label("feasibility_sum"),
        )
        .join(Idea, Idea.id == Assessment.idea_id)
        .join(Forwarding, Forwarding.idea_id == Assessment.idea_id)
        .where(Assessment.u30.is_(True))
        .group_by(Assessment.idea_id)
    )
    return {
        row.idea_id: U30Assessments(
            int(row.n), int(row.benefit_sum or 0), int(row.feasibility_sum or 0)
        )
        for row in db.session.execute(query)
    }


def _days_between(earlier: datetime, now: datetime) -> int:
    return max(0, (now.date() - earlier.date()).days)


def board_rows(
    *,
    group_id: int | None = None,
    status: IdeaStatus | None = None,
    weights: Weights | None = None,
    idea_id: int | None = None,
    idea_ids: Collection[int] | None = None,
    now: datetime | None = None,
) -> list[BoardRow]:
    """The ideas on the board (filtered), ordered by the Gesamtwertung.

    Three statements whatever the number of ideas: the rows, the U30 assessments (one
    grouped query) and the groups' current ranks; a fourth for the weights when not given.
    """
    weights = weights or get_weights()
    now = now or utcnow()

    def base_filter(query):
        query = _on_board(query, group_id=group_id, status=status)
        if idea_id is not None:
            query = query.where(Idea.id == idea_id)
        if idea_ids is not None:
            query = query.where(Idea.id.in_(list(idea_ids)))
        return query

    query = base_filter(
        db.select(
            *FIGURE_COLUMNS, Forwarding.rank, Forwarding.rationale_html, Forwarding.forwarded_at
        )
        .join(Forwarding, Forwarding.idea_id == Idea.id)
        .join(ThematicGroup, ThematicGroup.id == Idea.group_id)
    )
    records = db.session.execute(query).all()
    if not records:
        return []
    u30 = _u30_assessments(base_filter)
    ranks = forwarding_service.current_ranks(sorted({record[1] for record in records}))
    width = len(FIGURE_COLUMNS)
    score = scorer(weights)
    rows = []
    for record in records:
        idea = IdeaFigures(*record[:width])
        stored_rank, rationale_html, forwarded_at = record[width:]
        values = signals(idea)
        current = ranks.get(idea.id) if idea.status is S.FORWARDED else None
        rows.append(
            BoardRow(
                idea=idea,
                rank=current if current is not None else stored_rank,
                rank_is_current=current is not None,
                rationale_html=rationale_html,
                forwarded_at=forwarded_at,
                days_since_forwarding=_days_between(forwarded_at, now),
                u30=u30.get(idea.id, U30Assessments()),
                signals=values,
                score=score(values),
            )
        )
    return sort_rows(rows, DEFAULT_SORT, descending=True)


# Tables (filters × weights) each process keeps; one of 2 000 rows is a few megabytes.
TABLE_CACHE_ENTRIES = 8
_TABLE_CACHE = "ideenwerk_board_tables"


def table_rows(
    *, group_id: int | None = None, status: IdeaStatus | None = None, weights: Weights
) -> list[BoardRow]:
    """`board_rows` for the table, reused by this process while nothing they show changed.

    The key holds all the rows depend on: the filters, the weights, today's date (days
    since forwarding) and the generation of list_cache.ALL, which every commit that
    changes ideas, votes, assessments, comments, forwardings or groups renews (read
    before the rows, as services/page_cache.py does). Each process keeps its own copy:
    the rows are Python objects, cheaper to rebuild than to send through Redis.
    """
    generation = list_cache.generation(list_cache.ALL)
    if generation is None:
        return board_rows(group_id=group_id, status=status, weights=weights)
    now = utcnow()
    key = (generation, group_id, status, weights, now.date())
    tables = current_app.extensions.setdefault(_TABLE_CACHE, OrderedDict())
    kept = tables.get(key)
    # Like every cached page, at most LIST_CACHE_SECONDS old (a change made by another
    # program, such as a bulk import from the command line, shows by then).
    fresh = timedelta(seconds=current_app.config["LIST_CACHE_SECONDS"])
    if kept is not None and now - kept[0] <= fresh:
        rows = kept[1]
    else:
        rows = board_rows(group_id=group_id, status=status, weights=weights)
        tables[key] = (now, rows)
        while len(tables) > TABLE_CACHE_ENTRIES:
            # Several threads may trim at once: an entry already gone is fine.
            with suppress(KeyError, StopIteration):
                tables.pop(next(iter(tables)))
    return rows


def filter_groups() -> list[ThematicGroup]:
    """Every group, archived ones too (their forwarded ideas stay on the board), in order."""
    return list(
        db.session.scalars(
            db.select(ThematicGroup)
            .options(lazyload(ThematicGroup.leads))
            .order_by(ThematicGroup.position, ThematicGroup.id)
        )
    )


def board_row(idea_id: int, *, weights: Weights | None = None) -> BoardRow | None:
    """One idea's row, or None when the idea is not on the board."""
    rows = board_rows(idea_id=idea_id, weights=weights)
    return rows[0] if rows else None


# ---------------------------------------------------------------- sorting


@lru_cache(maxsize=16384)
def text_key(text: str) -> str:
    """A text's sort key: case and accents folded (ä sorts with a, ß with ss)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def _utf16(text: str) -> bytes:
    # The browser compares strings by UTF-16 code units; so does the server, to agree.
    return text.encode("utf-16-be")


@dataclass(frozen=True)
class SortKey:
    value: Callable[[BoardRow], float | int | str | None]
    is_text: bool = False
    # The direction a first click sorts in: highest first for most numbers.
    descending: bool = True


SORT_KEYS: dict[str, SortKey] = {
    "title": SortKey(lambda row: text_key(row.idea.title), is_text=True, descending=False),
    "score": SortKey(lambda row: row.score),
    "group": SortKey(lambda row: text_key(row.idea.group_name), is_text=True, descending=False),
    "rank": SortKey(lambda row: row.rank, descending=False),
    "up": SortKey(lambda row: row.idea.votes_up),
    "down": SortKey(lambda row: row.idea.votes_down),
    "top": SortKey(lambda row: row.idea.score_top),
    "trending": SortKey(lambda row: row.idea.score_trending),
    "benefit": SortKey(lambda row: row.idea.benefit_average),
    "feasibility": SortKey(lambda row: row.idea.feasibility_average),
    "comments": SortKey(lambda row: row.idea.comments_count),
    "u30_votes": SortKey(lambda row: row.signals.u30),
    "u30_benefit": SortKey(lambda row: row.u30.benefit_average),
    "u30_feasibility": SortKey(lambda row: row.u30.feasibility_average),
    "days": SortKey(lambda row: row.days_since_forwarding),
    "status": SortKey(lambda row: STATUS_ORDER[row.idea.status], descending=False),
}
DEFAULT_SORT = "score"


def sort_rows(rows: list[BoardRow], key: str, *, descending: bool) -> list[BoardRow]:
    """Rows by one column; ties by id (ascending, either direction); missing values last."""
    sort_key = SORT_KEYS[key]
    value = sort_key.value
    present = sorted((row for row in rows if value(row) is not None), key=lambda r: r.idea.id)
    missing = sorted((row for row in rows if value(row) is None), key=lambda r: r.idea.id)
    if sort_key.is_text:
        present.sort(key=lambda row: _utf16(value(row)), reverse=descending)
    else:
        # sort() is stable, also with reverse=True: equal values keep the id order.
        present.sort(key=value, reverse=descending)
    return present + missing


def _encoded(value: float | int | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else repr(value)


def sort_value(row: BoardRow, key: str) -> str:
    """The value the browser sorts a cell by (data-sort-value): exact, or "" when missing."""
    return _encoded(SORT_KEYS[key].value(row))


def sort_values(row: BoardRow) -> dict[str, str]:
    """`sort_value` of every column of the row."""
    return {key: _encoded(spec.value(row)) for key, spec in SORT_KEYS.items()}


# ---------------------------------------------------------------- the dossier


@dataclass(frozen=True)
class VoteDay:
    """The votes cast on one day (as they stand now) and the running totals after it."""

    day: date
    up: int
    down: int
    total_up: int
    total_down: int


@dataclass(frozen=True)
class Dossier:
    row: BoardRow
    idea: Idea
    forwarding: Forwarding
    events: list[StatusEvent]
    answer: OfficialAnswer | None
    notes: list[InternalNote]
    # Counts of the ratings 1..5 (index 0 is rating 1).
    benefit_counts: list[int]
    feasibility_counts: list[int]
    u30_benefit_counts: list[int]
    u30_feasibility_counts: list[int]
    vote_days: list[VoteDay]
    comments: list[Comment]


def rating_counts(idea: Idea) -> dict[tuple[str, bool], list[int]]:
    """How often each rating 1..5 was given, for benefit and feasibility, all and U30 only."""
    counts = {
        (column, u30): [0] * 5 for column in ("benefit", "feasibility") for u30 in (False, True)
    }
    for column in ("benefit", "feasibility"):
        rating = getattr(Assessment, column)
        query = (
            db.select(
                rating,
                func.count().label("all"),
                func.sum(case((Assessment.u30.is_(True), 1), else_=0)).label("u30"),
            )
            .where(Assessment.idea_id == idea.id)
            .group_by(rating)
        )
        for value, count_all, count_u30 in db.session.execute(query):
            counts[(column, False)][value - 1] = int(count_all)
            counts[(column, True)][value - 1] = int(count_u30 or 0)
    return counts


def _as_date(value) -> date:
    # SQLite's date() gives text, PostgreSQL's a date.
    return date.fromisoformat(value) if isinstance(value, str) else value


def vote_history(idea: Idea) -> list[VoteDay]:
    """The idea's current votes by the day each was first cast, with running totals.

    A vote changed later counts with its current value on the day it was cast; a
    retracted vote is gone. So the last totals equal the idea's counters.
    """
    day = func.date(Vote.created_at)
    query = (
        db.select(
            day.label("day"),
            func.sum(case((Vote.value == 1, 1), else_=0)).label("up"),
            func.sum(case((Vote.value == -1, 1), else_=0)).label("down"),
        )
        .where(Vote.idea_id == idea.id)
        .group_by(day)
        .order_by(day)
    )
    history = []
    total_up = total_down = 0
    for row in db.session.execute(query):
        up, down = int(row.up or 0), int(row.down or 0)
        total_up += up
        total_down += down
        history.append(VoteDay(_as_date(row.day), up, down, total_up, total_down))
    return history


def most_replied_comments(idea: Idea, limit: int = DOSSIER_COMMENTS) -> list[Comment]:
    """Public top-level comments with the most replies (the newest first among equals)."""
    return list(
        db.session.scalars(
            db.select(Comment)
            .where(
                Comment.idea_id == idea.id,
                Comment.parent_id.is_(None),
                Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None),
            )
            .order_by(Comment.replies_count.desc(), Comment.created_at.desc(), Comment.id.desc())
            .limit(limit)
        )
    )


def latest_answer(idea: Idea) -> OfficialAnswer | None:
    """The newest version of the group's official answer, if there is one."""
    return db.session.scalar(
        db.select(OfficialAnswer)
        .where(OfficialAnswer.idea_id == idea.id)
        .order_by(OfficialAnswer.version.desc())
        .limit(1)
    )


def internal_notes(idea: Idea) -> list[InternalNote]:
    """The idea's internal notes, oldest first (the caller checks who may read them)."""
    return list(
        db.session.scalars(
            db.select(InternalNote)
            .where(InternalNote.idea_id == idea.id)
            .order_by(InternalNote.created_at, InternalNote.id)
        )
    )


def dossier(idea_id: int, viewer: AnyUser, *, weights: Weights | None = None) -> Dossier | None:
    """Everything the board reads about one idea, or None when the idea is not on the board.

    Internal notes are included only when `viewer` may read them.
    """
    row = board_row(idea_id, weights=weights)
    if row is None:
        return None
    idea = db.session.get(Idea, idea_id)
    counts = rating_counts(idea)
    return Dossier(
        row=row,
        idea=idea,
        forwarding=db.session.get(Forwarding, idea_id),
        events=ideas.timeline(idea),
        answer=latest_answer(idea),
        notes=internal_notes(idea) if can_see_internal_notes(viewer, idea) else [],
        benefit_counts=counts[("benefit", False)],
        feasibility_counts=counts[("feasibility", False)],
        u30_benefit_counts=counts[("benefit", True)],
        u30_feasibility_counts=counts[("feasibility", True)],
        vote_days=vote_history(idea),
        comments=most_replied_comments(idea),
    )
