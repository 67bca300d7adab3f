"""Forwarding ideas to the steering board, and each group's priority ranking of them.

The ranking is `Forwarding.rank` over the group's ideas whose status is `forwarded`.
Every change made here runs under the group's row lock (`lock_group`) and leaves those
ranks dense, 1..n: `forward` appends at n + 1, `move` swaps two neighbours, `return_to_group`
closes the gap. An idea that leaves `forwarded` by another path (the board's decision)
keeps its row and its last rank and may leave a gap behind, so `ranking` and
`current_ranks` number by position, never by the stored value: what the leads and the
board see is always 1..n, and the next change here stores it so again.
"""

from dataclasses import dataclass
from typing import Literal

from flask_babel import gettext as _
from sqlalchemy import func

from app.extensions import db
from app.models import AuditAction, Forwarding, Idea, IdeaStatus, ThematicGroup, User
from app.models.base import utcnow
from app.services import DomainError, audit, ideas
from app.services.locks import lock_row
from app.services.text import plain, render_markdown
from app.services.votes import lock_idea

S = IdeaStatus

RATIONALE_MAX = 3000
RETURN_NOTE_MAX = 2000
RETURNED_SHOWN = 20
CANDIDATES_SHOWN = 50
# The statuses from which an idea may be returned to its group (DESIGN.md lifecycle).
RETURNABLE = frozenset({S.FORWARDED, S.PRIORITISED})

Direction = Literal["up", "down"]


class ForwardingError(DomainError):
    """Forwarding, reordering or returning is not possible for this idea as it is now."""


@dataclass(frozen=True)
class RankedIdea:
    """One line of a group's ranking: its position (1..n), the idea and its forwarding."""

    rank: int
    idea: Idea
    forwarding: Forwarding


def lock_group(group_id: int) -> None:
    """Take the group's row lock until commit: changes to one group's ranking run in turn."""
    lock_row(ThematicGroup, group_id, ThematicGroup.ideas_count)


def _ordered(group_id: int):
    return (
        db.select(Forwarding, Idea)
        .join(Idea, Idea.id == Forwarding.idea_id)
        .where(Idea.group_id == group_id, Idea.status == S.FORWARDED)
        .order_by(Forwarding.rank, Forwarding.forwarded_at, Forwarding.idea_id)
    )


def _current(group_id: int) -> list[Forwarding]:
    # Read after the lock, past the session's identity map: another request may have
    # changed the ranks since this session last looked.
    query = _ordered(group_id).execution_options(populate_existing=True)
    return [forwarding for forwarding, _idea in db.session.execute(query)]


def _store_dense(rows: list[Forwarding]) -> None:
    for position, row in enumerate(rows, start=1):
        if row.rank != position:
            row.rank = position


def _lock_and_reload(idea: Idea) -> None:
    # The idea's lock first, then the group's: the order every vote takes too (lock_idea,
    # then the UPDATE of the group's counters), so the two can never wait on each other.
    lock_idea(idea.id)
    lock_group(idea.group_id)
    db.session.refresh(idea)


def _clean_text(text: str | None, maximum: int, missing: str, too_long: str) -> str:
    text = plain(text)
    if not text:
        raise ForwardingError(missing)
    if len(text) > maximum:
        raise ForwardingError(too_long)
    return text


def clean_rationale(rationale: str | None) -> str:
    """The rationale as stored: required, at most RATIONALE_MAX characters."""
    return _clean_text(
        rationale,
        RATIONALE_MAX,
        _("Bitte begründen Sie, warum die Idee weitergeleitet wird."),
        _("Die Begründung darf höchstens %(max)d Zeichen lang sein.", max=RATIONALE_MAX),
    )


def clean_return_note(note: str | None) -> str:
    """The note of a return to the group: required, at most RETURN_NOTE_MAX characters."""
    return _clean_text(
        note,
        RETURN_NOTE_MAX,
        _("Bitte geben Sie an, warum die Idee an die Themengruppe zurückgeht."),
        _("Die Anmerkung darf höchstens %(max)d Zeichen lang sein.", max=RETURN_NOTE_MAX),
    )


def forward(idea: Idea, actor: User, rationale: str) -> Forwarding:
    """Forward an idea in review to the steering board, last in its group's ranking."""
    text = clean_rationale(rationale)
    _lock_and_reload(idea)
    if idea.status is S.FORWARDED:
        raise ForwardingError(_("Diese Idee ist bereits an das Lenkungsgremium weitergeleitet."))
    if idea.status is not S.IN_REVIEW:
        raise ForwardingError(_("Nur Ideen im Status „In Prüfung“ können weitergeleitet werden."))
    if idea.is_hidden:
        raise ForwardingError(_("Ausgeblendete Ideen können nicht weitergeleitet werden."))
    others = _current(idea.group_id)
    ideas.transition(idea, S.FORWARDED, actor=actor, note=text)
    forwarding = db.session.get(Forwarding, idea.id)
    if forwarding is None:
        forwarding = Forwarding(idea_id=idea.id)
        db.session.add(forwarding)
    # A returned idea forwarded again: the same row, now current again.
    forwarding.group_id = idea.group_id
    forwarding.rationale = text
    forwarding.rationale_html = render_markdown(text)
    forwarding.forwarded_by_id = actor.id if actor is not None else None
    forwarding.forwarded_at = utcnow()
    forwarding.returned_at = None
    forwarding.return_note = None
    _store_dense(others)
    forwarding.rank = len(others) + 1
    audit.record(
        AuditAction.FORWARD,
        group_id=idea.group_id,
        actor=actor,
        idea=idea,
        reason=text,
        detail=f"rank:{forwarding.rank}",
    )
    db.session.flush()
    return forwarding


def ranking(group: ThematicGroup, *, public: bool = False) -> list[RankedIdea]:
    """The group's forwarded ideas in its priority order, numbered 1..n (what the board sees).

    `public` leaves out hidden ideas, for the public page.
    """
    rows = db.session.execute(_ordered(group.id)).all()
    if public:
        rows = [(forwarding, idea) for forwarding, idea in rows if not idea.is_hidden]
    return [
        RankedIdea(rank=position, idea=idea, forwarding=forwarding)
        for position, (forwarding, idea) in enumerate(rows, start=1)
    ]


def candidates(group: ThematicGroup, limit: int = CANDIDATES_SHOWN) -> list[Idea]:
    """The group's ideas in review that could be forwarded next, best voted first."""
    return list(
        db.session.scalars(
            db.select(Idea)
            .where(
                Idea.group_id == group.id,
                Idea.status == S.IN_REVIEW,
                Idea.hidden_at.is_(None),
            )
            .order_by(Idea.score_top.desc(), Idea.id)
            .limit(limit)
        )
    )


def current_ranks(group_ids: list[int] | None = None) -> dict[int, int]:
    """Idea id → its position in its group's ranking, for all (or some) groups in one query."""
    position = (
        func.row_number()
        .over(
            partition_by=Idea.group_id,
            order_by=(Forwarding.rank, Forwarding.forwarded_at, Forwarding.idea_id),
        )
        .label("position")
    )
    query = (
        db.select(Idea.id, position)
        .join(Forwarding, Forwarding.idea_id == Idea.id)
        .where(Idea.status == S.FORWARDED)
    )
    if group_ids is not None:
        query = query.where(Idea.group_id.in_(group_ids))
    return {row.id: row.position for row in db.session.execute(query)}


def move(idea: Idea, direction: Direction, actor: User) -> bool:
    """Swap a forwarded idea with its neighbour in the ranking; False when already at that end."""
    if direction not in ("up", "down"):
        raise ForwardingError(_("Bitte wählen Sie „nach oben“ oder „nach unten“."))
    lock_group(idea.group_id)
    rows = _current(idea.group_id)
    index = next((i for i, row in enumerate(rows) if row.idea_id == idea.id), None)
    if index is None:
        raise ForwardingError(
            _("Diese Idee ist nicht (mehr) an das Lenkungsgremium weitergeleitet.")
        )
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        _store_dense(rows)
        return False
    rows[index], rows[other] = rows[other], rows[index]
    _store_dense(rows)
    audit.record(
        AuditAction.REORDER,
        group_id=idea.group_id,
        actor=actor,
        idea=idea,
        detail=f"rank:{index + 1}>{other + 1}",
    )
    db.session.flush()
    return True


def return_to_group(idea: Idea, actor: User, note: str) -> Forwarding | None:
    """Send a forwarded (or prioritised) idea back to its group, in review, with a note.

    The group's leads take an idea back with this; the steering board returns one with it.
    """
    text = clean_return_note(note)
    _lock_and_reload(idea)
    if idea.status not in RETURNABLE:
        raise ForwardingError(
            _("Nur weitergeleitete oder priorisierte Ideen können zurückgegeben werden.")
        )
    before = idea.status
    ideas.transition(idea, S.IN_REVIEW, actor=actor, note=text)
    forwarding = db.session.get(Forwarding, idea.id)
    if forwarding is not None:
        forwarding.returned_at = utcnow()
        forwarding.return_note = text
    _store_dense(_current(idea.group_id))
    audit.record(
        AuditAction.RETURN,
        group_id=idea.group_id,
        actor=actor,
        idea=idea,
        reason=text,
        detail=f"{before.value}>{S.IN_REVIEW.value}",
    )
    db.session.flush()
    return forwarding


@dataclass(frozen=True)
class ReturnedIdea:
    """An idea that went back from the board to its group, with the note that came with it."""

    idea: Idea
    forwarding: Forwarding


def recently_returned(group: ThematicGroup, limit: int = RETURNED_SHOWN) -> list[ReturnedIdea]:
    """The group's ideas returned from the board and not forwarded since, newest first."""
    rows = db.session.execute(
        db.select(Forwarding, Idea)
        .join(Idea, Idea.id == Forwarding.idea_id)
        .where(Idea.group_id == group.id, Forwarding.returned_at.is_not(None))
        .order_by(Forwarding.returned_at.desc(), Forwarding.idea_id.desc())
        .limit(limit)
    )
    return [ReturnedIdea(idea=idea, forwarding=forwarding) for forwarding, idea in rows]
