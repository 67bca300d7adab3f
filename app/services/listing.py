"""Lists of ideas: a group's page (sorted, filtered, paginated) and the home page's lists.

Every list reads one of the indexes on Idea from its top (ORDER BY score DESC, id DESC,
LIMIT), so that a page costs the same with a hundred ideas or a hundred thousand. There is
no COUNT over a group: a page asks for one idea more than it shows to know whether there
is a next one, and the number of pages is capped, which also caps the OFFSET.
"""

import html
from dataclasses import dataclass, field

import nh3
from sqlalchemy import Select, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import defaultload, defer
from sqlalchemy.sql.functions import FunctionElement

from app.extensions import db
from app.models import Idea, IdeaOrigin, IdeaStatus, ThematicGroup
from app.services.ideas import LISTED_STATUSES

S = IdeaStatus

PER_PAGE = 20
MAX_PAGE = 500
HOME_LIMIT = 5
EXCERPT_LENGTH = 200
# Only the start of the stored HTML is read for an excerpt: enough text for 200 characters.
_EXCERPT_SOURCE = 1500

# sort name -> the columns of its index after group_id, both descending.
SORTS = {
    "top": (Idea.score_top, Idea.id),
    "trending": (Idea.score_trending, Idea.id),
    "new": (Idea.created_at, Idea.id),
    "discussed": (Idea.comments_count, Idea.id),
}
DEFAULT_SORT = "top"
# A status filter may ask for one listed status, or for ideas that left the lists by a
# merge or by their author; never for submitted, rejected or hidden ones.
FILTER_STATUSES = (*[s for s in S if s in LISTED_STATUSES], S.MERGED, S.WITHDRAWN)


class _unindexed(FunctionElement):
    """A column that the query planner should not pick an index for (SQLite: `+column`).

    SQLite keeps no statistics unless ANALYZE runs, and then prefers the index on
    Idea.status for "status IN (…)" and sorts every listed idea, although nearly all ideas
    are listed. The unary plus keeps the condition but takes that index out of the choice,
    so the sort order's own index is read. PostgreSQL's statistics make the right choice.
    """

    inherit_cache = True

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type


@compiles(_unindexed)
def _compile_unindexed(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(_unindexed, "sqlite")
def _compile_unindexed_sqlite(element, compiler, **kw):
    return "+" + compiler.process(element.clauses, **kw)


@dataclass(frozen=True)
class Card:
    """An idea as a list shows it: the idea (group and author loaded) and a text excerpt."""

    idea: Idea
    excerpt: str


@dataclass(frozen=True)
class Page:
    cards: list[Card] = field(default_factory=list)
    number: int = 1
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def excerpt(body_html: str, length: int = EXCERPT_LENGTH) -> str:
    """Plain text from the start of sanitised HTML, cut at a word boundary."""
    text = " ".join(html.unescape(nh3.clean(body_html, tags=set())).split())
    if len(text) <= length:
        return text
    cut = text[:length]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + " …"


def _cards_query():
    # The Markdown source and the full HTML stay in the database; the start of the HTML is
    # enough for an excerpt. The authors' roles and the groups' leads (selectin by default:
    # more queries) are not shown on a card; should something ask, they load then.
    prefix = func.substr(Idea.body_html, 1, _EXCERPT_SOURCE)
    return db.select(Idea, prefix).options(
        defer(Idea.body),
        defer(Idea.body_html),
        defer(Idea.hidden_reason),
        defaultload(Idea.author).lazyload("*"),
        defaultload(Idea.group).lazyload("*"),
    )


def _cards(query) -> list[Card]:
    return [Card(idea, excerpt(prefix or "")) for idea, prefix in db.session.execute(query)]


def group_page(
    group: ThematicGroup,
    *,
    sort: str = DEFAULT_SORT,
    status: IdeaStatus | None = None,
    origin: IdeaOrigin | None = None,
    page: int = 1,
) -> Page:
    """One page of a group's public ideas in a sort order, optionally of one status/origin."""
    cards = _cards(group_query(group, sort=sort, status=status, origin=origin, page=page))
    return Page(
        cards=cards[:PER_PAGE],
        number=page,
        has_next=len(cards) > PER_PAGE and page < MAX_PAGE,
    )


def group_query(
    group: ThematicGroup,
    *,
    sort: str = DEFAULT_SORT,
    status: IdeaStatus | None = None,
    origin: IdeaOrigin | None = None,
    page: int = 1,
) -> Select:
    """The query behind `group_page`: one more row than a page, in the order of an index."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    if status is not None and status not in FILTER_STATUSES:
        raise ValueError(f"status {status!r} is never listed")
    if not 1 <= page <= MAX_PAGE:
        raise ValueError(f"page {page} out of range")
    query = _cards_query().where(Idea.group_id == group.id, Idea.hidden_at.is_(None))
    if status is None:
        query = query.where(_unindexed(Idea.status).in_(LISTED_STATUSES))
    else:
        query = query.where(_unindexed(Idea.status) == status)
    if origin is not None:
        query = query.where(Idea.origin == origin)
    score, tiebreak = SORTS[sort]
    return (
        query.order_by(score.desc(), tiebreak.desc())
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
    )


def _listed_in_open_groups(query):
    archived = db.select(ThematicGroup.id).where(ThematicGroup.archived_at.is_not(None))
    return query.where(
        _unindexed(Idea.status).in_(LISTED_STATUSES),
        Idea.hidden_at.is_(None),
        Idea.group_id.not_in(archived),
    )


def top_ideas(limit: int = HOME_LIMIT) -> list[Card]:
    """The best-rated public ideas across the groups that are not archived."""
    query = _listed_in_open_groups(_cards_query())
    return _cards(query.order_by(Idea.score_top.desc(), Idea.id.desc()).limit(limit))


def newest_ideas(limit: int = HOME_LIMIT) -> list[Card]:
    """The newest public ideas across the groups that are not archived."""
    query = _listed_in_open_groups(_cards_query())
    return _cards(query.order_by(Idea.created_at.desc(), Idea.id.desc()).limit(limit))
