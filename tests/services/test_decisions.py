"""The steering board's decisions, meetings and agendas, and the public reads of them."""

import threading
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import AuditAction, AuditEntry, Forwarding, Idea, IdeaStatus, Notification, User
from app.models.base import utcnow
from app.models.board import AgendaItem, BoardDecision, BoardPriority, DecisionOutcome, Meeting
from app.services import decisions, follows, ideas
from app.services.decisions import DecisionError, MeetingError
from tests.conftest import mails_to
from tests.factories import make_idea, make_user
from tests.services.test_board import forward, vote

S = IdeaStatus
O = DecisionOutcome  # noqa: E741

# The outcomes and the statuses each may start from (the rest are refused).
ALLOWED = {
    O.PRIORITISED: {S.FORWARDED},
    O.DECLINED: {S.FORWARDED},
    O.RETURNED: {S.FORWARDED, S.PRIORITISED},
    O.IMPLEMENTED: {S.PRIORITISED},
}
TARGET = {
    O.PRIORITISED: S.PRIORITISED,
    O.DECLINED: S.DECLINED,
    O.RETURNED: S.IN_REVIEW,
    O.IMPLEMENTED: S.IMPLEMENTED,
}
_ranks = iter(range(100, 999))


def today() -> date:
    return utcnow().date()


def on_board(group, title="Idee", status=S.FORWARDED, author=None) -> Idea:
    """An idea the group forwarded, now in `status`; a prioritised one holds a free rank."""
    idea = make_idea(group, author, title=title, status=S.FORWARDED)
    forward(idea, group=group)
    if status is S.PRIORITISED:
        decisions.decide(idea, None, O.PRIORITISED, today(), "", next(_ranks))
        db.session.commit()
    elif status is not S.FORWARDED:
        idea.status = status
        db.session.commit()
    return idea


def decide(idea, actor, outcome, note="Weil es so beschlossen wurde.", rank=None, day=None):
    return decisions.decide(idea, actor, outcome, day or today(), note, rank)


def fresh(idea) -> Idea:
    db.session.expire_all()
    return db.session.get(Idea, idea.id)


def priority(idea) -> BoardPriority | None:
    return db.session.get(BoardPriority, idea.id)


# ---------------------------------------------------------------- every outcome × status


CASES = [
    pytest.param(outcome, status, status in ALLOWED[outcome], id=f"{outcome.value}-{status.value}")
    for outcome in O
    for status in S
]


@pytest.mark.parametrize(("outcome", "status", "allowed"), CASES)
def test_every_outcome_from_every_status(people, outcome, status, allowed):
    board_member = people["board"]
    idea = on_board(people["alpha"], status=status)
    events_before = len(ideas.timeline(idea))
    rank = 7 if outcome is O.PRIORITISED else None
    if not allowed:
        with pytest.raises(DecisionError) as raised:
            decide(idea, board_member, outcome, rank=rank)
        assert raised.value.field == "outcome"
        assert str(raised.value)  # a German message for the form
        db.session.rollback()
        assert fresh(idea).status is status
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(BoardDecision)
                .where(
                    BoardDecision.meeting_id.in_(
                        db.select(Meeting.id).where(Meeting.held_on == today())
                    ),
                    BoardDecision.decided_by_id == board_member.id,
                )
            )
            == 0
        )
        return
    decision = decide(idea, board_member, outcome, rank=rank)
    db.session.commit()
    idea = fresh(idea)
    assert idea.status is TARGET[outcome]
    assert (decision.outcome, decision.board_rank) == (outcome, rank)
    assert decision.meeting.held_on == today()
    assert decision.decided_by_id == board_member.id
    timeline = ideas.timeline(idea)
    assert len(timeline) == events_before + 1
    assert (timeline[-1].to_status, timeline[-1].actor_id) == (TARGET[outcome], board_member.id)
    assert timeline[-1].note == "Weil es so beschlossen wurde."
    # The priority list holds the idea exactly while it is prioritised.
    assert (priority(idea) is not None) == (outcome is O.PRIORITISED)
    if outcome is O.PRIORITISED:
        assert (priority(idea).rank, priority(idea).decision_id) == (7, decision.id)


def test_decisions_on_hidden_ideas_are_refused(people):
    idea = on_board(people["alpha"])
    idea.hidden_at = utcnow()
    db.session.commit()
    with pytest.raises(DecisionError):
        decide(idea, people["board"], O.DECLINED)


def test_unknown_outcome_is_refused(people):
    idea = on_board(people["alpha"])
    with pytest.raises(DecisionError) as raised:
        decide(idea, people["board"], "vertagt")
    assert raised.value.field == "outcome"


# ---------------------------------------------------------------- notes, ranks, dates


@pytest.mark.parametrize("outcome", [O.DECLINED, O.RETURNED, O.IMPLEMENTED])
@pytest.mark.parametrize("note", ["", "  \n ", None])
def test_reason_is_required_except_for_prioritising(people, outcome, note):
    status = S.PRIORITISED if outcome is O.IMPLEMENTED else S.FORWARDED
    idea = on_board(people["alpha"], status=status)
    with pytest.raises(DecisionError) as raised:
        decide(idea, people["board"], outcome, note=note)
    assert raised.value.field == "note"
    db.session.rollback()
    assert fresh(idea).status is status


def test_prioritising_without_a_note_names_the_rank_on_the_timeline(people):
    idea = on_board(people["alpha"])
    decision = decide(idea, people["board"], O.PRIORITISED, note="", rank=3)
    db.session.commit()
    assert decision.note == "" and decision.note_html == ""
    assert "Rang 3" in ideas.timeline(idea)[-1].note


@pytest.mark.parametrize(("outcome", "maximum"), [(O.DECLINED, 3000), (O.RETURNED, 2000)])
def test_notes_are_bounded_and_rendered_once(people, outcome, maximum):
    idea = on_board(people["alpha"])
    with pytest.raises(DecisionError) as raised:
        decide(idea, people["board"], outcome, note="x" * (maximum + 1))
    assert raised.value.field == "note"
    db.session.rollback()
    decision = decide(idea, people["board"], outcome, note="**Teuer** <script>x</script>")
    assert "<strong>Teuer</strong>" in decision.note_html
    assert "<script" not in decision.note_html
    assert decisions.clean_note(outcome, "y" * maximum) == "y" * maximum


@pytest.mark.parametrize("rank", [None, 0, -1, 1000])
def test_prioritising_needs_a_rank_from_1_to_999(people, rank):
    idea = on_board(people["alpha"])
    with pytest.raises(DecisionError) as raised:
        decide(idea, people["board"], O.PRIORITISED, rank=rank)
    assert raised.value.field == "board_rank"


def test_a_taken_rank_is_refused_with_the_holders_title(people):
    first = on_board(people["alpha"], title="Glasfaser")
    second = on_board(people["alpha"], title="Bürgerportal")
    decide(first, people["board"], O.PRIORITISED, rank=1)
    db.session.commit()
    with pytest.raises(DecisionError) as raised:
        decide(second, people["board"], O.PRIORITISED, rank=1)
    assert raised.value.field == "board_rank"
    assert "Rang 1" in str(raised.value) and "Glasfaser" in str(raised.value)
    db.session.rollback()
    assert fresh(second).status is S.FORWARDED
    # Once the first leaves the list (implemented), its rank is free again.
    decide(fresh(first), people["board"], O.IMPLEMENTED, note="Fertig.")
    decide(fresh(second), people["board"], O.PRIORITISED, rank=1)
    db.session.commit()
    assert priority(second).rank == 1 and priority(first) is None


def test_returning_a_prioritised_idea_frees_its_rank_and_its_forwarding(people):
    idea = on_board(people["alpha"])
    decide(idea, people["board"], O.PRIORITISED, rank=4)
    db.session.commit()
    decide(fresh(idea), people["board"], O.RETURNED, note="Bitte Kosten klären.")
    db.session.commit()
    assert fresh(idea).status is S.IN_REVIEW and priority(idea) is None
    row = db.session.get(Forwarding, idea.id)
    assert row.returned_at is not None and row.return_note == "Bitte Kosten klären."
    actions = list(
        db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.idea_id == idea.id))
    )
    assert actions == [AuditAction.STATUS, AuditAction.RETURN]


@pytest.mark.parametrize(
    ("offset", "ok"),
    [(0, True), (-365, True), (365, True), (-400, False), (400, False)],
)
def test_meeting_date_within_a_year(people, offset, ok):
    idea = on_board(people["alpha"])
    day = today() + timedelta(days=offset)
    if ok:
        decision = decide(idea, people["board"], O.DECLINED, day=day)
        assert decision.meeting.held_on == day
    else:
        with pytest.raises(DecisionError) as raised:
            decide(idea, people["board"], O.DECLINED, day=day)
        assert raised.value.field == "meeting_date"


def test_meeting_date_must_be_a_date(people):
    idea = on_board(people["alpha"])
    with pytest.raises(DecisionError) as raised:
        decisions.decide(idea, people["board"], O.DECLINED, None, "Grund")
    assert raised.value.field == "meeting_date"
    assert decisions.check_meeting_date(date(2024, 2, 29), today=date(2025, 2, 28))


# ---------------------------------------------------------------- meetings


def test_decisions_of_one_day_share_one_meeting(people):
    first, second = on_board(people["alpha"]), on_board(people["beta"])
    one = decide(first, people["board"], O.DECLINED)
    two = decide(second, people["admin"], O.PRIORITISED, rank=2)
    db.session.commit()
    assert one.meeting_id == two.meeting_id
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 1
    other = decide(
        on_board(people["alpha"]), people["board"], O.DECLINED, day=today() - timedelta(1)
    )
    assert other.meeting_id != one.meeting_id


def test_create_meeting_finds_the_one_of_that_day(people):
    meeting, created = decisions.create_meeting(today(), "  Frühjahrssitzung ", people["board"])
    assert created and meeting.title == "Frühjahrssitzung"
    again, created_again = decisions.create_meeting(today(), "Anders", people["board"])
    assert (again.id, created_again, again.title) == (meeting.id, False, "Frühjahrssitzung")
    with pytest.raises(DecisionError):
        decisions.create_meeting(today(), "x" * 141, people["board"])
    with pytest.raises(DecisionError):
        decisions.create_meeting(today() + timedelta(days=500), "", people["board"])


def _run_together(app, jobs):
    """Run the callables in threads that start at the same moment; returns their results."""
    barrier = threading.Barrier(len(jobs), timeout=60)
    results: list = [None] * len(jobs)

    def run(index, job):
        with app.app_context():
            try:
                barrier.wait()
                job()
                db.session.commit()
                results[index] = "ok"
            except DecisionError as error:
                db.session.rollback()
                results[index] = error
            except Exception as error:  # pragma: no cover - reported below
                results[index] = repr(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_prioritising_with_the_same_rank_has_one_winner(app, people):
    # On PostgreSQL both run at once (two different ideas: two different row locks);
    # the unique rank lets one commit and rolls the other's savepoint back.
    ids = [on_board(people["alpha"], title=f"Idee {n}").id for n in range(2)]
    board_id = people["board"].id

    def prioritise(idea_id):
        def job():
            decisions.decide(
                db.session.get(Idea, idea_id),
                db.session.get(User, board_id),
                O.PRIORITISED,
                today(),
                "",
                5,
            )

        return job

    results = _run_together(app, [prioritise(idea_id) for idea_id in ids])
    assert sorted(map(str, results)).count("ok") == 1, results
    refused = [result for result in results if isinstance(result, DecisionError)]
    assert len(refused) == 1 and refused[0].field == "board_rank"
    db.session.expire_all()
    assert db.session.scalars(db.select(BoardPriority.rank)).all() == [5]
    statuses = sorted(db.session.get(Idea, idea_id).status.value for idea_id in ids)
    assert statuses == ["forwarded", "prioritised"]
    assert db.session.scalar(db.select(db.func.count()).select_from(BoardDecision)) == 1


def test_concurrent_decisions_on_a_new_day_create_one_meeting(app, people):
    ids = [on_board(people["alpha"], title=f"Idee {n}").id for n in range(3)]
    board_id = people["board"].id
    day = today() + timedelta(days=3)

    def decline(idea_id):
        def job():
            decisions.decide(
                db.session.get(Idea, idea_id),
                db.session.get(User, board_id),
                O.DECLINED,
                day,
                "Nein",
            )

        return job

    assert _run_together(app, [decline(idea_id) for idea_id in ids]) == ["ok"] * 3
    assert db.session.scalars(db.select(Meeting.held_on)).all() == [day]


# ---------------------------------------------------------------- notifications


def test_author_and_followers_are_told_with_the_note(people):
    author = make_user("autorin@example.org")
    follower = make_user("folgt@example.org")
    idea = on_board(people["alpha"], title="Sensoren", author=author)
    follows.follow_idea(follower, idea)
    db.session.commit()
    decide(idea, people["board"], O.DECLINED, note="Die Kosten sind zu hoch.")
    db.session.commit()
    told = set(
        db.session.scalars(db.select(Notification.user_id).where(Notification.idea_id == idea.id))
    )
    assert {author.id, follower.id} <= told
    assert people["board"].id not in told
    mail = mails_to("autorin@example.org")[-1]
    assert "abgelehnt" in mail.subject
    assert "Die Kosten sind zu hoch." in mail.body


# ---------------------------------------------------------------- the agenda


def agenda_ids(meeting) -> list[int]:
    return [entry.idea.id for entry in decisions.agenda(meeting).entries]


def positions(meeting) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(AgendaItem.position)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        )
    )


def test_agenda_appends_by_gesamtwertung_never_twice(people):
    meeting, _ = decisions.create_meeting(today(), "", people["board"])
    low = on_board(people["alpha"], title="Wenig")
    high = on_board(people["alpha"], title="Viel")
    for _n in range(3):
        vote(high, "up")
    prioritised = on_board(people["beta"], title="Priorisiert", status=S.PRIORITISED)
    assert decisions.add_to_agenda(meeting, [low.id, high.id]) == [high.id, low.id]
    assert decisions.add_to_agenda(meeting, [high.id, prioritised.id]) == [prioritised.id]
    db.session.commit()
    assert agenda_ids(meeting) == [high.id, low.id, prioritised.id]
    assert positions(meeting) == [1, 2, 3]
    assert decisions.add_to_agenda(meeting, [low.id]) == []
    assert [row.idea.id for row in decisions.addable_rows(meeting)] == []


@pytest.mark.parametrize("status", [S.IN_REVIEW, S.DECLINED, S.IMPLEMENTED, S.PUBLISHED])
def test_only_ideas_the_board_can_decide_go_on_the_agenda(people, status):
    meeting, _ = decisions.create_meeting(today(), "", people["board"])
    idea = on_board(people["alpha"], status=status)
    with pytest.raises(MeetingError):
        decisions.add_to_agenda(meeting, [idea.id])


def test_hidden_and_unknown_ideas_stay_off_the_agenda(people):
    meeting, _ = decisions.create_meeting(today(), "", people["board"])
    hidden = on_board(people["alpha"])
    hidden.hidden_at = utcnow()
    db.session.commit()
    for ids in ([hidden.id], [999_999], []):
        with pytest.raises(MeetingError):
            decisions.add_to_agenda(meeting, ids)
    assert decisions.addable_rows(meeting) == []


def test_move_and_remove_keep_positions_dense(people):
    meeting, _ = decisions.create_meeting(today(), "", people["board"])
    a, b, c = (on_board(people["alpha"], title=t) for t in "ABC")
    decisions.add_to_agenda(meeting, [a.id])
    decisions.add_to_agenda(meeting, [b.id])
    decisions.add_to_agenda(meeting, [c.id])
    assert decisions.move_item(meeting, c.id, "up") is True
    assert agenda_ids(meeting) == [a.id, c.id, b.id]
    assert decisions.move_item(meeting, a.id, "up") is False
    assert decisions.move_item(meeting, b.id, "down") is False
    assert decisions.move_item(meeting, a.id, "down") is True
    assert agenda_ids(meeting) == [c.id, a.id, b.id]
    decisions.remove_item(meeting, c.id)
    db.session.commit()
    assert agenda_ids(meeting) == [a.id, b.id]
    assert positions(meeting) == [1, 2]
    with pytest.raises(MeetingError):
        decisions.remove_item(meeting, c.id)
    with pytest.raises(MeetingError):
        decisions.move_item(meeting, a.id, "sideways")


def test_agenda_keeps_an_idea_that_left_the_board_and_lists_decisions(people):
    meeting, _ = decisions.create_meeting(today(), "", people["board"])
    kept, returned = on_board(people["alpha"]), on_board(people["alpha"])
    decisions.add_to_agenda(meeting, [kept.id, returned.id])
    decide(returned, people["board"], O.RETURNED, note="Nachbessern")
    db.session.commit()
    result = decisions.agenda(meeting)
    assert {entry.idea.id: entry.row is None for entry in result.entries} == {
        kept.id: False,
        returned.id: True,
    }
    assert [d.idea_id for d in result.decisions] == [returned.id]


def test_concurrent_agenda_changes_keep_positions_a_permutation(app, people):
    meeting, _ = decisions.create_meeting(today(), "", people["board"])
    ideas_ = [on_board(people["alpha"], title=f"Idee {n}") for n in range(5)]
    db.session.commit()
    meeting_id = meeting.id

    def add(idea_id):
        return lambda: decisions.add_to_agenda(db.session.get(Meeting, meeting_id), [idea_id])

    assert _run_together(app, [add(idea.id) for idea in ideas_]) == ["ok"] * 5
    assert positions(meeting) == [1, 2, 3, 4, 5]


# ---------------------------------------------------------------- public reads


def test_public_reads_leave_out_hidden_ideas(people):
    shown = on_board(people["alpha"], title="Sichtbar")
    hidden = on_board(people["alpha"], title="Versteckt")
    decide(shown, people["board"], O.PRIORITISED, rank=1)
    decide(hidden, people["board"], O.PRIORITISED, rank=2)
    old = on_board(people["beta"], title="Alt")
    decide(old, people["board"], O.DECLINED, day=today() - timedelta(days=30))
    hidden.hidden_at = utcnow()
    db.session.commit()

    page = decisions.public_meetings()
    assert page.total == 2 and page.count == 1
    assert [m.meeting.held_on for m in page.meetings] == [today(), today() - timedelta(days=30)]
    assert [d.idea.title for d in page.meetings[0].decisions] == ["Sichtbar"]
    assert [entry.idea.title for entry in decisions.priority_list()] == ["Sichtbar"]
    assert [e.idea.title for e in decisions.priority_list(public=False)] == [
        "Sichtbar",
        "Versteckt",
    ]
    assert decisions.public_meetings(page=2) is None
    # A meeting whose only decision is on a hidden idea is not public at all.
    hidden_only = on_board(people["beta"])
    decide(hidden_only, people["board"], O.DECLINED, day=today() - timedelta(days=60))
    hidden_only.hidden_at = utcnow()
    db.session.commit()
    assert decisions.public_meetings().total == 2


def test_public_meetings_are_paginated_and_idea_decisions_know_their_page(people):
    idea = on_board(people["alpha"])
    decide(idea, people["board"], O.PRIORITISED, rank=1, day=today() - timedelta(days=200))
    db.session.commit()
    for number in range(decisions.MEETINGS_PER_PAGE):
        other = on_board(people["beta"])
        decide(other, people["board"], O.DECLINED, day=today() - timedelta(days=number))
    decide(fresh(idea), people["board"], O.IMPLEMENTED, note="Fertig", day=today())
    db.session.commit()
    assert decisions.public_meetings().count == 2
    assert len(decisions.public_meetings(page=2).meetings) == 1
    found = decisions.idea_decisions(idea)
    assert [d.outcome for d in found] == [O.PRIORITISED, O.IMPLEMENTED]
    assert [decisions.page_of(d.meeting.held_on) for d in found] == [2, 1]
    assert decisions.meeting_anchor(date(2026, 3, 5)) == "sitzung-2026-03-05"
