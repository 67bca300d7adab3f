"""Full-text search over public ideas, and similar ideas while a new one is written.

The index lives outside the models (migration 0003): on PostgreSQL the generated column
`idea.search_vector` (german configuration: "Radwege" finds "Radweg"; title weight A,
body B) with a GIN index; on SQLite the FTS5 table `idea_fts`, kept in sync by triggers.
User text never reaches either query language as syntax: PostgreSQL parses it with
`websearch_to_tsquery`, which accepts any input, and for FTS5 it is cut into words that
are each quoted here.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import Select, cast, column, func, literal_column, select, table
from sqlalchemy.dialects.postgresql import ARRAY, REAL, TSVECTOR, array

from app.extensions import db
from app.models import Idea, IdeaStatus
from app.services.ideas import LISTED_STATUSES, PUBLIC_STATUSES

PER_PAGE = 20
# Search pages stop here: nobody reads result 1 001, and a deep OFFSET costs every visitor.
MAX_PAGE = 50
QUERY_MAX = 200
# Matches ranked per search, the newest ones (see _ranked_ids); above MAX_PAGE pages' worth.
CANDIDATES = 2_000
# Words of a draft used to look for similar ideas (the longest ones count most).
SIMILAR_WORDS = 8
SIMILAR_MIN_QUERY = 3

# A search may narrow to any status an idea can be opened in; submitted and rejected ideas
# (and hidden ones) are never found.
SEARCHABLE_STATUSES = PUBLIC_STATUSES

# Words that say nothing about what an idea is about. PostgreSQL's german configuration
# drops its own stop words; this list does it for FTS5 and for similar_ideas.
STOP_WORDS = frozenset(
    """
    aber alle allen aller alles als also am an auch auf aus bei beim bin bis bitte da dadurch
    dafür damit dann darf das dass dem den denn der des dessen die dies diese diesem diesen
    dieser dieses doch dort durch ein eine einem einen einer eines einfach er es etwa etwas
    euch für gegen gibt habe haben hat hier ich ihr ihre im immer in ist ja je jede jedem
    jeden jeder jedes kann kein keine können könnte man mehr mein mit muss müssen nach neue
    neuen neues nicht noch nun nur ob oder ohne schon sehr sein seine sich sie sind so soll
    sollen sollte sollten statt über um und uns unser unsere unserer unter viel viele vom
    von vor war wäre was weil welche wenn wer werden wie wieder wir wird wo wurde würde zu
    zum zur zwischen
    """.split()  # noqa: SIM905 (a paragraph of words reads better than 140 quoted strings)
)
# Words in nearly every draft on this platform: no sign that two ideas are alike.
DRAFT_NOISE = frozenset({"idee", "ideen", "stadt", "vorschlag", "bitte", "gibt"})

_WORD = re.compile(r"\w+")
# The commonest German inflection endings, longest first. Removed before a prefix query
# on SQLite, so that "Radwege" also finds "Radweg" and "Schulen" finds "Schule".
_SUFFIXES = ("ern", "en", "er", "es", "e", "n", "s")
_STEM_MIN = 4  # letters a stem keeps at least

# Title matches outrank body matches: ts_rank_cd weights for {D, C, B, A}, bm25 columns.
_PG_WEIGHTS = (0.0, 0.0, 0.1, 1.0)
_SQLITE_WEIGHTS = (10.0, 1.0)
_FTS = table("idea_fts", column("rowid"))


@dataclass
class SearchPage:
    items: list[Idea] = field(default_factory=list)
    has_next: bool = False
    page: int = 1


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, in order, each once."""
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(text or "")))


def significant_words(text: str, limit: int = SIMILAR_WORDS) -> list[str]:
    """The words that can tell ideas apart: no stop words, no numbers, the longest first."""
    found = [
        word
        for word in words(text)
        if len(word) >= 3
        and word not in STOP_WORDS
        and word not in DRAFT_NOISE
        and not word.isdigit()
    ]
    return sorted(found, key=len, reverse=True)[:limit]


def _fts5_term(word: str) -> str:
    # The word as one quoted FTS5 string, shortened to its stem and matched as a prefix.
    # Quoting makes every character a literal; a quote inside is doubled (\w has none,
    # but the rule is what makes this safe).
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= _STEM_MIN and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return '"' + word.replace('"', '""') + '"*'


def fts5_query(text: str, *, any_word: bool = False) -> str:
    """Safe FTS5 syntax for user text: every word quoted, all required (or any).

    Stop words are left out, as PostgreSQL does, unless there is nothing else.
    """
    found = words(text)[:32]
    found = [word for word in found if word not in STOP_WORDS] or found
    return (" OR " if any_word else " ").join(_fts5_term(word) for word in found)


def _is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _pg_tsquery(text: str, *, any_word: bool):
    if any_word:
        # OR of the words, each parsed by the german configuration.
        parts = [func.plainto_tsquery("german", word) for word in words(text)[:32]]
        if not parts:
            return None
        tsquery = parts[0]
        for part in parts[1:]:
            tsquery = tsquery.op("||")(part)
        return tsquery
    if not _WORD.search(text or ""):
        return None
    return func.websearch_to_tsquery("german", text)


def _ranked_ids(filters: list, text: str, *, any_word: bool) -> Select | None:
    """The ids of the public ideas (narrowed by `filters`) that match `text`, best first.

    Only the newest CANDIDATES matches are ranked: a word found in a third of all ideas
    would otherwise make every search read and rank tens of thousands of rows.
    None: the text cannot match anything.
    """
    if _is_postgresql():
        tsquery = _pg_tsquery(text, any_word=any_word)
        if tsquery is None:
            return None
        vector = literal_column("idea.search_vector", TSVECTOR)
        candidates = (
            select(Idea.id.label("id"), vector.label("vector"))
            .where(*filters, vector.op("@@")(tsquery))
            .order_by(Idea.id.desc())
            .limit(CANDIDATES)
            .subquery("candidates")
        )
        weights = cast(array(_PG_WEIGHTS), ARRAY(REAL))
        rank = func.ts_rank_cd(weights, candidates.c.vector, tsquery)
        return select(candidates.c.id).order_by(rank.desc(), candidates.c.id.desc())

    match = fts5_query(text, any_word=any_word)
    if not match:
        return None
    # The FTS5 table's hidden column of the same name stands for the whole row in MATCH
    # and in its ranking function. Newest first is the index's own order: no sorting.
    fts = literal_column("idea_fts")
    candidates = (
        select(Idea.id.label("id"), func.bm25(fts, *_SQLITE_WEIGHTS).label("rank"))
        .select_from(_FTS)
        .join(Idea, Idea.id == _FTS.c.rowid)
        .where(fts.op("MATCH")(match), *filters)
        .order_by(_FTS.c.rowid.desc())
        .limit(CANDIDATES)
        .subquery("candidates")
    )
    # bm25 is lower for better matches.
    return select(candidates.c.id).order_by(candidates.c.rank, candidates.c.id.desc())


def _public(statuses) -> list:
    return [Idea.status.in_(statuses), Idea.hidden_at.is_(None)]


def _load(ids: list[int]) -> list[Idea]:
    """The ideas for `ids`, in that order, with their groups and authors."""
    if not ids:
        return []
    found = {idea.id: idea for idea in db.session.scalars(select(Idea).where(Idea.id.in_(ids)))}
    return [found[idea_id] for idea_id in ids if idea_id in found]


def search_ideas(
    q: str,
    *,
    group_id: int | None = None,
    status: IdeaStatus | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchPage:
    """Public listed ideas (or those of one public status) matching `q`, best match first."""
    page = max(1, min(page, MAX_PAGE))
    q = (q or "").strip()[:QUERY_MAX]
    if status is not None and status not in SEARCHABLE_STATUSES:
        return SearchPage(page=page)
    filters = _public([status] if status is not None else LISTED_STATUSES)
    if group_id is not None:
        filters.append(Idea.group_id == group_id)
    ranked = _ranked_ids(filters, q, any_word=False)
    if ranked is None:
        return SearchPage(page=page)
    ids = list(db.session.scalars(ranked.offset((page - 1) * per_page).limit(per_page + 1)))
    has_next = len(ids) > per_page and page < MAX_PAGE
    return SearchPage(items=_load(ids[:per_page]), has_next=has_next, page=page)


def similar_ideas(
    text: str, *, body: str = "", limit: int = 5, exclude_id: int | None = None
) -> list[Idea]:
    """Listed ideas that share significant words with a draft, best first.

    `text` is the title (or any short text): all its significant words count; words of
    the `body` only fill up the remaining places, so a long body cannot push them out.
    """
    terms = significant_words(text)
    terms += [word for word in significant_words(body) if word not in terms][
        : max(SIMILAR_WORDS - len(terms), 0)
    ]
    if not terms:
        return []
    filters = _public(LISTED_STATUSES)
    if exclude_id is not None:
        filters.append(Idea.id != exclude_id)
    ranked = _ranked_ids(filters, " ".join(terms), any_word=True)
    if ranked is None:
        return []
    return _load(list(db.session.scalars(ranked.limit(limit))))


# ---------------------------------------------------------------- the schema comparison

# What migration 0003 adds beside the models: the FTS5 table and its shadow tables
# (idea_fts_data, _idx, _docsize, _config) on SQLite, the column and its index on PostgreSQL.
SEARCH_TABLE_PREFIX = "idea_fts"
SEARCH_COLUMN = ("idea", "search_vector")
SEARCH_INDEX = "ix_idea_search_vector"


def is_search_index_object(name: str | None, type_: str, parent_names: dict) -> bool:
    """Whether a reflected database object is part of the full-text index."""
    if name is None:
        return False
    if type_ == "table":
        return name == SEARCH_TABLE_PREFIX or name.startswith(SEARCH_TABLE_PREFIX + "_")
    if type_ == "column":
        return (parent_names.get("table_name"), name) == SEARCH_COLUMN
    if type_ == "index":
        return name == SEARCH_INDEX
    return False


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic `include_name` hook: compare everything but the full-text index."""
    return not is_search_index_object(name, type_, parent_names)
