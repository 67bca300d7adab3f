"""The steering board's decisions, its meetings with their agenda, and what the public reads.

A decision is taken at a meeting (one per day, found or created by its date) on an idea the
groups forwarded:

    prioritised   forwarded -> prioritised, with the board's rank (unique in BoardPriority)
    declined      forwarded -> declined, with the reason
    returned      forwarded or prioritised -> in_review (forwarding.return_to_group), with a note
    implemented   prioritised -> implemented, with a note

Each one is a BoardDecision row, a timeline entry (ideas.transition, which also tells the
author and the followers, with the note) and leaves the priority list (BoardPriority) as
the idea now stands. All of it runs under the idea's row lock, read again after the lock.

The agenda (Sitzungsvorlage) of a meeting is a list of ideas at positions 1..n; every
change to it runs under the meeting's row lock and stores the positions dense again.
"""

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from app.extensions import db
from app.models import AuditAction, Idea, IdeaStatus, ThematicGroup, User
from app.models.base import utcnow
from app.models.board import AgendaItem, BoardDecision, BoardPriority, DecisionOutcome, Meeting
from app.services import DomainError, audit, board, ideas
from app.services import forwarding as forwarding_service
from app.services.ideas import PUBLIC_STATUSES
from app.services.locks import lock_row
from app.services.text import plain, render_markdown
from app.services.votes import lock_idea

S = IdeaStatus
O = DecisionOutcome  # noqa: E741 - short like S for the statuses

NOTE_MAX = 3000
RANK_MIN, RANK_MAX = 1, 999
TITLE_MAX = 140
# Meetings on the public page per page.
MEETINGS_PER_PAGE = 10

OUTCOME_LABELS = {
    O.PRIORITISED: _l("Priorisiert"),
    O.DECLINED: _l("Abgelehnt"),
    O.RETURNED: _l("An die Themengruppe zurückgegeben"),
    O.IMPLEMENTED: _l("Umgesetzt"),
}
# Which status an idea must have for each outcome, and where the outcome takes it.
ALLOWED_FROM: dict[DecisionOutcome, frozenset[IdeaStatus]] = {
    O.PRIORITISED: frozenset({S.FORWARDED}),
    O.DECLINED: frozenset({S.FORWARDED}),
    O.RETURNED: forwarding_service.RETURNABLE,
    O.IMPLEMENTED: frozenset({S.PRIORITISED}),
}
TARGET_STATUS = {
    O.PRIORITISED: S.PRIORITISED,
    O.DECLINED: S.DECLINED,
    O.RETURNED: S.IN_REVIEW,
    O.IMPLEMENTED: S.IMPLEMENTED,
}
# The ideas a meeting can put on its agenda (and the board decides on).
DECIDABLE = frozenset({S.FORWARDED, S.PRIORITISED})

Direction = Literal["up", "down"]


class DecisionError(DomainError):
    """A decision cannot be recorded as given; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class MeetingError(DomainError):
    """A meeting or its agenda cannot be changed as asked."""


# ---------------------------------------------------------------- checking input


def note_max(outcome: DecisionOutcome) -> int:
    """The longest note an outcome takes (a return keeps the group's limit for its note)."""
    if outcome is O.RETURNED:
        return min(NOTE_MAX, forwarding_service.RETURN_NOTE_MAX)
    return NOTE_MAX


def clean_note(outcome: DecisionOutcome, note: str | None) -> str:
    """The note as stored: required except for a prioritisation, bounded in length."""
    text = plain(note)
    if not text and outcome is not O.PRIORITISED:
        messages = {
            O.DECLINED: _("Bitte begründen Sie die Ablehnung."),
            O.RETURNED: _("Bitte geben Sie an, warum die Idee an die Themengruppe zurückgeht."),
            O.IMPLEMENTED: _("Bitte beschreiben Sie kurz, wie die Idee umgesetzt wurde."),
        }
        raise DecisionError(messages[outcome], "note")
    maximum = note_max(outcome)
    if len(text) > maximum:
        raise DecisionError(
            _("Die Anmerkung darf höchstens %(max)d Zeichen lang sein.", max=maximum), "note"
        )
    return text


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def check_meeting_date(held_on: date | None, today: date | None = None) -> date:
    """A meeting date: a real date, at most one year before or after today."""
    if not isinstance(held_on, date):
        raise DecisionError(_("Bitte geben Sie das Datum der Sitzung an."), "meeting_date")
    today = today or utcnow().date()
    if held_on < _shift_year(today, -1):
        raise DecisionError(_("Die Sitzung darf höchstens ein Jahr zurückliegen."), "meeting_date")
    if held_on > _shift_year(today, 1):
        raise DecisionError(
            _("Die Sitzung darf höchstens ein Jahr in der Zukunft liegen."), "meeting_date"
        )
    return held_on


def check_rank(rank: int | None) -> int:
    """The board's rank of a prioritised idea: a whole number from 1 to 999."""
    if rank is None:
        raise DecisionError(
            _("Bitte geben Sie den Rang auf der Prioritätenliste an (1 bis 999)."), "board_rank"
        )
    if not isinstance(rank, int) or not RANK_MIN <= rank <= RANK_MAX:
        raise DecisionError(_("Der Rang muss eine ganze Zahl von 1 bis 999 sein."), "board_rank")
    return rank


def _rank_taken(rank: int) -> DecisionError:
    holder = db.session.scalar(
        db.select(Idea.title)
        .join(BoardPriority, BoardPriority.idea_id == Idea.id)
        .where(BoardPriority.rank == rank)
    )
    if holder is None:
        message = _("Rang %(rank)d ist bereits vergeben.", rank=rank)
    else:
        message = _(
            "Rang %(rank)d ist bereits an die Idee „%(title)s“ vergeben.", rank=rank, title=holder
        )
    return DecisionError(message, "board_rank")


# ---------------------------------------------------------------- meetings


def meeting_on(held_on: date) -> Meeting | None:
    return db.session.scalar(db.select(Meeting).where(Meeting.held_on == held_on))


def _find_or_create(held_on: date, actor: User | None, title: str = "") -> tuple[Meeting, bool]:
    meeting = meeting_on(held_on)
    if meeting is not None:
        return meeting, False
    try:
        # A savepoint: when another request created the day's meeting meanwhile, the
        # unique date refuses this one and only the savepoint is rolled back.
        with db.session.begin_nested():
            meeting = Meeting(
                held_on=held_on,
                title=title.strip()[:TITLE_MAX],
                created_by_id=actor.id if actor is not None else None,
            )
            db.session.add(meeting)
            db.session.flush()
    except IntegrityError:
        meeting = meeting_on(held_on)
        if meeting is None:  # pragma: no cover - the row that refused ours exists
            raise
        return meeting, False
    return meeting, True


def find_or_create_meeting(held_on: date, actor: User | None, title: str = "") -> Meeting:
    """The meeting of that day; created when there is none (two requests at once: one row)."""
    return _find_or_create(held_on, actor, title)[0]


def create_meeting(held_on: date | None, title: str, actor: User) -> tuple[Meeting, bool]:
    """A new meeting, or the one already held that day; True when it was created now."""
    day = check_meeting_date(held_on)
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        raise DecisionError(
            _("Der Titel darf höchstens %(max)d Zeichen lang sein.", max=TITLE_MAX), "title"
        )
    return _find_or_create(day, actor, title)


def meetings_for_board() -> list[Meeting]:
    """Every meeting, the coming and most recent first."""
    return list(db.session.scalars(db.select(Meeting).order_by(Meeting.held_on.desc())))


def agenda_counts(meeting_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Meeting id → (agenda items, decisions), in two grouped queries."""
    if not meeting_ids:
        return {}
    items = dict(
        db.session.execute(
            db.select(AgendaItem.meeting_id, func.count())
            .where(AgendaItem.meeting_id.in_(meeting_ids))
            .group_by(AgendaItem.meeting_id)
        ).all()
    )
    taken = dict(
        db.session.execute(
            db.select(BoardDecision.meeting_id, func.count())
            .where(BoardDecision.meeting_id.in_(meeting_ids))
            .group_by(BoardDecision.meeting_id)
        ).all()
    )
    return {mid: (int(items.get(mid, 0)), int(taken.get(mid, 0))) for mid in meeting_ids}


def lock_meeting(meeting_id: int) -> None:
    """Take the meeting's row lock until commit: changes to one agenda run in turn."""
    lock_row(Meeting, meeting_id, Meeting.title)


def _items(meeting_id: int) -> list[AgendaItem]:
    # Read after the lock, past the identity map: another request may have changed them.
    return list(
        db.session.scalars(
            db.select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.idea_id)
            .execution_options(populate_existing=True)
        ).unique()
    )


def _store_dense(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position


def add_to_agenda(meeting: Meeting, idea_ids: list[int]) -> list[int]:
    """Append the chosen ideas in the order of the Gesamtwertung; returns the ids added.

    Only ideas on the board that can still be decided (forwarded or prioritised, not
    hidden) are taken; an idea already on the agenda is not added twice.
    """
    wanted = {int(idea_id) for idea_id in idea_ids}
    if not wanted:
        raise MeetingError(_("Bitte wählen Sie mindestens eine Idee aus."))
    lock_meeting(meeting.id)
    items = _items(meeting.id)
    present = {item.idea_id for item in items}
    rows = [
        row for row in board.board_rows(idea_ids=wanted - present) if row.idea.status in DECIDABLE
    ]
    missing = wanted - present - {row.idea.id for row in rows}
    if missing:
        raise MeetingError(
            _(
                "Nur weitergeleitete oder priorisierte Ideen können auf die Tagesordnung; "
                "mindestens eine der gewählten Ideen ist es nicht (mehr)."
            )
        )
    _store_dense(items)
    for offset, row in enumerate(rows, start=len(items) + 1):
        db.session.add(AgendaItem(meeting_id=meeting.id, idea_id=row.idea.id, position=offset))
    db.session.flush()
    return [row.idea.id for row in rows]


def _item_index(items: list[AgendaItem], idea_id: int) -> int:
    index = next((i for i, item in enumerate(items) if item.idea_id == idea_id), None)
    if index is None:
        raise MeetingError(_("Diese Idee steht nicht (mehr) auf der Tagesordnung."))
    return index


def move_item(meeting: Meeting, idea_id: int, direction: Direction) -> bool:
    """Swap an agenda item with its neighbour; False when it is already at that end."""
    if direction not in ("up", "down"):
        raise MeetingError(_("Bitte wählen Sie „nach oben“ oder „nach unten“."))
    lock_meeting(meeting.id)
    items = _items(meeting.id)
    index = _item_index(items, idea_id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        _store_dense(items)
        db.session.flush()
        return False
    items[index], items[other] = items[other], items[index]
    _store_dense(items)
    db.session.flush()
    return True


def remove_item(meeting: Meeting, idea_id: int) -> None:
    """Take an idea off the agenda; the items after it move up."""
    lock_meeting(meeting.id)
    items = _items(meeting.id)
    index = _item_index(items, idea_id)
    db.session.delete(items.pop(index))
    db.session.flush()
    _store_dense(items)
    db.session.flush()


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda item: its position, the idea, and its board row (None when the idea has
    left the board since, e.g. returned to its group or hidden)."""

    position: int
    idea: Idea
    row: board.BoardRow | None


@dataclass(frozen=True)
class Agenda:
    meeting: Meeting
    entries: list[AgendaEntry]
    decisions: list[BoardDecision]


def agenda(meeting: Meeting) -> Agenda:
    """The meeting's agenda in order with every figure (one board_rows call), and its decisions."""
    items = list(
        db.session.scalars(
            db.select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position, AgendaItem.idea_id)
        ).unique()
    )
    rows = {row.idea.id: row for row in board.board_rows(idea_ids=[i.idea_id for i in items])}
    entries = [
        AgendaEntry(position=number, idea=item.idea, row=rows.get(item.idea_id))
        for number, item in enumerate(items, start=1)
    ]
    return Agenda(meeting=meeting, entries=entries, decisions=meeting_decisions(meeting))


def meeting_decisions(meeting: Meeting) -> list[BoardDecision]:
    """The decisions taken at a meeting, in the order they were recorded."""
    return list(
        db.session.scalars(
            db.select(BoardDecision)
            .where(BoardDecision.meeting_id == meeting.id)
            .order_by(BoardDecision.id)
        ).unique()
    )


def addable_rows(meeting: Meeting) -> list[board.BoardRow]:
    """The ideas the board could still put on this agenda, by Gesamtwertung."""
    present = set(
        db.session.scalars(db.select(AgendaItem.idea_id).where(AgendaItem.meeting_id == meeting.id))
    )
    return [
        row
        for row in board.board_rows()
        if row.idea.status in DECIDABLE and row.idea.id not in present
    ]


# ---------------------------------------------------------------- deciding


def is_decidable(idea: Idea) -> bool:
    """Whether the board can decide on the idea now (on the board, not hidden)."""
    return idea.status in DECIDABLE and not idea.is_hidden


def outcomes_for(idea: Idea) -> list[DecisionOutcome]:
    """The outcomes open to an idea in its status, in the order of the form."""
    return [outcome for outcome in O if idea.status in ALLOWED_FROM[outcome]]


def _refused(idea: Idea, outcome: DecisionOutcome) -> DecisionError:
    messages = {
        O.PRIORITISED: _("Nur weitergeleitete Ideen können priorisiert werden."),
        O.DECLINED: _("Nur weitergeleitete Ideen können vom Lenkungsgremium abgelehnt werden."),
        O.RETURNED: _(
            "Nur weitergeleitete oder priorisierte Ideen können an die Themengruppe "
            "zurückgegeben werden."
        ),
        O.IMPLEMENTED: _("Nur priorisierte Ideen können als umgesetzt markiert werden."),
    }
    if idea.status is S.PRIORITISED and outcome is O.PRIORITISED:
        return DecisionError(_("Diese Idee ist bereits priorisiert."), "outcome")
    return DecisionError(messages[outcome], "outcome")


def decide(
    idea: Idea,
    actor: User,
    outcome: DecisionOutcome | str,
    meeting_date: date | None,
    note: str | None,
    board_rank: int | None = None,
) -> BoardDecision:
    """Record the board's decision on an idea at the meeting of `meeting_date`."""
    try:
        outcome = O(outcome)
    except ValueError:
        raise DecisionError(_("Bitte wählen Sie eine Entscheidung."), "outcome") from None
    text = clean_note(outcome, note)
    day = check_meeting_date(meeting_date)
    rank = check_rank(board_rank) if outcome is O.PRIORITISED else None

    lock_idea(idea.id)
    db.session.refresh(idea)
    if idea.is_hidden:
        raise DecisionError(
            _("Über ausgeblendete Ideen kann das Lenkungsgremium nicht entscheiden."), "outcome"
        )
    if idea.status not in ALLOWED_FROM[outcome]:
        raise _refused(idea, outcome)
    meeting = find_or_create_meeting(day, actor)
    decision = BoardDecision(
        meeting_id=meeting.id,
        idea_id=idea.id,
        outcome=outcome,
        board_rank=rank,
        note=text,
        note_html=render_markdown(text),
        decided_by_id=actor.id if actor is not None else None,
    )
    if outcome is O.PRIORITISED:
        if db.session.scalar(db.select(BoardPriority.idea_id).where(BoardPriority.rank == rank)):
            raise _rank_taken(rank)
        try:
            # The unique rank decides between two prioritisations at once: the later
            # one's savepoint is rolled back and it gets the same message.
            with db.session.begin_nested():
                db.session.add(decision)
                db.session.flush()
                db.session.add(BoardPriority(idea_id=idea.id, rank=rank, decision_id=decision.id))
                db.session.flush()
        except IntegrityError:
            raise _rank_taken(rank) from None
    else:
        db.session.add(decision)
        db.session.flush()
        db.session.execute(delete(BoardPriority).where(BoardPriority.idea_id == idea.id))

    timeline_note = text
    if outcome is O.PRIORITISED and not text:
        timeline_note = _("Rang %(rank)d auf der Prioritätenliste des Lenkungsgremiums.", rank=rank)
    if outcome is O.RETURNED:
        # Transition, timeline, notifications and the audit entry of a return.
        forwarding_service.return_to_group(idea, actor, text)
    else:
        before = idea.status
        ideas.transition(idea, TARGET_STATUS[outcome], actor=actor, note=timeline_note)
        audit.record(
            AuditAction.STATUS,
            group_id=idea.group_id,
            actor=actor,
            idea=idea,
            reason=text,
            detail=f"board:{before.value}>{idea.status.value}"
            + (f" rank:{rank}" if rank is not None else ""),
        )
    db.session.flush()
    return decision


# ---------------------------------------------------------------- public reads


def _public(query):
    return query.where(Idea.hidden_at.is_(None), Idea.status.in_(PUBLIC_STATUSES))


@dataclass(frozen=True)
class PublicDecision:
    decision: BoardDecision
    idea: Idea
    group: ThematicGroup


@dataclass(frozen=True)
class PublicMeeting:
    meeting: Meeting
    decisions: list[PublicDecision]


@dataclass(frozen=True)
class MeetingPage:
    meetings: list[PublicMeeting]
    number: int
    count: int
    total: int


def _public_meeting_ids():
    return _public(
        db.select(BoardDecision.meeting_id).join(Idea, Idea.id == BoardDecision.idea_id)
    ).distinct()


def public_meetings(page: int = 1, per_page: int = MEETINGS_PER_PAGE) -> MeetingPage | None:
    """Meetings with public decisions, newest first, one page; None for a page beyond the last."""
    ids = _public_meeting_ids().subquery()
    total = db.session.scalar(db.select(func.count()).select_from(ids)) or 0
    count = max(1, math.ceil(total / per_page))
    if not 1 <= page <= count:
        return None
    meetings = list(
        db.session.scalars(
            db.select(Meeting)
            .where(Meeting.id.in_(db.select(ids.c.meeting_id)))
            .order_by(Meeting.held_on.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    by_meeting: dict[int, list[PublicDecision]] = {meeting.id: [] for meeting in meetings}
    if meetings:
        rows = db.session.execute(
            _public(
                db.select(BoardDecision, ThematicGroup)
                .join(Idea, Idea.id == BoardDecision.idea_id)
                .join(ThematicGroup, ThematicGroup.id == Idea.group_id)
                .where(BoardDecision.meeting_id.in_(list(by_meeting)))
            ).order_by(BoardDecision.id)
        ).unique()
        for decision, group in rows:
            by_meeting[decision.meeting_id].append(PublicDecision(decision, decision.idea, group))
    return MeetingPage(
        meetings=[PublicMeeting(meeting, by_meeting[meeting.id]) for meeting in meetings],
        number=page,
        count=count,
        total=total,
    )


def meeting_anchor(held_on: date) -> str:
    """The anchor of a meeting on /decisions (its date, stable and readable)."""
    return f"sitzung-{held_on.isoformat()}"


@dataclass(frozen=True)
class PriorityEntry:
    rank: int
    idea: Idea
    group: ThematicGroup
    decision: BoardDecision


def priority_list(*, public: bool = True) -> list[PriorityEntry]:
    """The board's current priority list, by rank (hidden ideas left out when public)."""
    query = (
        db.select(BoardPriority.rank, Idea, ThematicGroup, BoardDecision)
        .join(Idea, Idea.id == BoardPriority.idea_id)
        .join(ThematicGroup, ThematicGroup.id == Idea.group_id)
        .join(BoardDecision, BoardDecision.id == BoardPriority.decision_id)
        .order_by(BoardPriority.rank)
    )
    if public:
        query = _public(query)
    return [
        PriorityEntry(rank, idea, group, decision)
        for rank, idea, group, decision in db.session.execute(query).unique()
    ]


def idea_decisions(idea: Idea) -> list[BoardDecision]:
    """The board's decisions on one idea, in the order of their meetings."""
    return list(
        db.session.scalars(
            db.select(BoardDecision)
            .join(Meeting, Meeting.id == BoardDecision.meeting_id)
            # The idea is at hand, and the deciding person is not shown: neither is
            # joined in (with their own eager relationships) on every idea page.
            .options(lazyload(BoardDecision.idea), lazyload(BoardDecision.decided_by))
            .where(BoardDecision.idea_id == idea.id)
            .order_by(Meeting.held_on, BoardDecision.id)
        ).unique()
    )


@dataclass(frozen=True)
class DossierDecisions:
    """What the dossier shows of the board's decisions: those taken, and whether to decide."""

    decisions: list[BoardDecision]
    decidable: bool


def for_dossier(idea: Idea) -> DossierDecisions:
    return DossierDecisions(idea_decisions(idea), is_decidable(idea))


def page_of(held_on: date, per_page: int = MEETINGS_PER_PAGE) -> int:
    """The page of /decisions that shows the meeting of that day (1 when it has none)."""
    newer = db.session.scalar(
        db.select(func.count())
        .select_from(Meeting)
        .where(Meeting.held_on > held_on, Meeting.id.in_(_public_meeting_ids()))
    )
    return (newer or 0) // per_page + 1


def meeting_label(meeting: Meeting) -> str:
    """How a meeting is named: its date, and its title when it has one."""
    day = format_date(meeting.held_on, "long")
    if meeting.title:
        return _("Sitzung vom %(date)s: %(title)s", date=day, title=meeting.title)
    return _("Sitzung vom %(date)s", date=day)
