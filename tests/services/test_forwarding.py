"""Offline ideas, forwarding to the steering board and the groups' priority rankings."""

import random
import threading

import pytest

from app.extensions import db
from app.models import (
    AuditAction,
    AuditEntry,
    Follow,
    Forwarding,
    Idea,
    IdeaOrigin,
    IdeaStatus,
    Notification,
    StatusEvent,
    ThematicGroup,
    User,
)
from app.services import DomainError, follows, forwarding, ideas, listing, moderation, offline
from app.services.forwarding import ForwardingError
from app.services.recount import recount
from tests.factories import make_group, make_idea, make_user

S = IdeaStatus


def in_review(group, title=None, author=None) -> Idea:
    return make_idea(group, author, title=title, status=S.IN_REVIEW)


def forwarded(group, lead, count: int, prefix="Idee") -> list[Idea]:
    result = []
    for number in range(1, count + 1):
        idea = in_review(group, f"{prefix} {number}")
        forwarding.forward(idea, lead, f"Begründung {number}")
        result.append(idea)
    db.session.commit()
    return result


def titles(group) -> list[str]:
    return [entry.idea.title for entry in forwarding.ranking(group)]


def stored_ranks(group) -> list[int]:
    """The stored ranks of the group's currently forwarded ideas, in ranking order."""
    return [entry.forwarding.rank for entry in forwarding.ranking(group)]


def positions(group) -> list[int]:
    return [entry.rank for entry in forwarding.ranking(group)]


def audit_actions(idea) -> list[AuditAction]:
    return list(
        db.session.scalars(
            db.select(AuditEntry.action)
            .where(AuditEntry.idea_id == idea.id)
            .order_by(AuditEntry.id)
        )
    )


def last_event(idea) -> StatusEvent:
    return ideas.timeline(idea)[-1]


# ---------------------------------------------------------------- forward


@pytest.mark.parametrize("status", [s for s in S if s is not S.IN_REVIEW])
def test_forward_needs_an_idea_in_review(people, status):
    idea = make_idea(people["alpha"], status=status)
    with pytest.raises(ForwardingError):
        forwarding.forward(idea, people["lead"], "Weil sie gut ist.")
    db.session.rollback()
    assert db.session.get(Idea, idea.id).status is status
    assert db.session.get(Forwarding, idea.id) is None
    assert audit_actions(idea) == []


@pytest.mark.parametrize("rationale", ["", "   \n ", None, "x" * (forwarding.RATIONALE_MAX + 1)])
def test_forward_needs_a_rationale_of_bounded_length(people, rationale):
    idea = in_review(people["alpha"])
    with pytest.raises(ForwardingError):
        forwarding.forward(idea, people["lead"], rationale)
    db.session.rollback()
    assert db.session.get(Idea, idea.id).status is S.IN_REVIEW
    assert db.session.get(Forwarding, idea.id) is None


def test_forward_longest_rationale_is_accepted(people):
    idea = in_review(people["alpha"])
    row = forwarding.forward(idea, people["lead"], "x" * forwarding.RATIONALE_MAX)
    assert len(row.rationale) == forwarding.RATIONALE_MAX


def test_hidden_idea_is_not_forwarded(people):
    idea = in_review(people["alpha"])
    idea.hidden_at = idea.created_at
    db.session.commit()
    with pytest.raises(ForwardingError):
        forwarding.forward(idea, people["lead"], "Begründung")


def test_forward_moves_status_writes_timeline_notifies_and_audits(people):
    author = people["citizen"]
    idea = in_review(people["alpha"], author=author)
    follower = make_user()
    follows.follow_idea(follower, idea)
    db.session.commit()
    row = forwarding.forward(
        idea, people["lead"], "  **Dringend**, weil <script>alert(1)</script> viele es wollen.  "
    )
    db.session.commit()

    assert idea.status is S.FORWARDED
    assert (row.rank, row.group_id, row.forwarded_by_id) == (
        1,
        people["alpha"].id,
        people["lead"].id,
    )
    assert row.rationale.startswith("**Dringend**") and row.rationale.endswith("wollen.")
    assert "<strong>Dringend</strong>" in row.rationale_html
    assert "<script" not in row.rationale_html
    event = last_event(idea)
    assert (event.from_status, event.to_status) == (S.IN_REVIEW, S.FORWARDED)
    assert event.actor_id == people["lead"].id
    assert event.note == row.rationale
    told = set(
        db.session.scalars(db.select(Notification.user_id).where(Notification.idea_id == idea.id))
    )
    assert {author.id, follower.id} <= told
    assert people["lead"].id not in told
    assert audit_actions(idea) == [AuditAction.FORWARD]
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.idea_id == idea.id))
    assert (entry.actor_id, entry.group_id, entry.reason) == (
        people["lead"].id,
        people["alpha"].id,
        row.rationale,
    )


def test_forwarding_twice_is_refused(people):
    idea = in_review(people["alpha"])
    forwarding.forward(idea, people["lead"], "Erste Begründung")
    db.session.commit()
    with pytest.raises(ForwardingError):
        forwarding.forward(idea, people["lead"], "Zweite Begründung")
    db.session.rollback()
    assert db.session.get(Forwarding, idea.id).rationale == "Erste Begründung"
    assert audit_actions(idea) == [AuditAction.FORWARD]
    assert [e.to_status for e in ideas.timeline(idea)].count(S.FORWARDED) == 1


def test_forward_sees_a_status_change_made_by_another_session(app, people):
    # The idea object of this session still says in_review; another request declined it.
    idea = in_review(people["alpha"])
    idea_id = idea.id

    def decline():
        with app.app_context():
            other = db.session.get(Idea, idea_id)
            ideas.transition(other, S.DECLINED, actor=None, note="Schon erledigt")
            db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=decline)
    thread.start()
    thread.join()
    assert idea.status is S.IN_REVIEW  # stale in this session
    with pytest.raises(ForwardingError):
        forwarding.forward(idea, people["lead"], "Begründung")


# ---------------------------------------------------------------- ranking


def test_new_forwardings_go_to_the_end(people):
    forwarded(people["alpha"], people["lead"], 3)
    assert titles(people["alpha"]) == ["Idee 1", "Idee 2", "Idee 3"]
    assert positions(people["alpha"]) == [1, 2, 3]
    assert stored_ranks(people["alpha"]) == [1, 2, 3]


def test_rankings_are_per_group(people):
    forwarded(people["alpha"], people["lead"], 2, "Alpha")
    forwarded(people["beta"], people["other_lead"], 3, "Beta")
    assert titles(people["alpha"]) == ["Alpha 1", "Alpha 2"]
    assert titles(people["beta"]) == ["Beta 1", "Beta 2", "Beta 3"]
    assert stored_ranks(people["beta"]) == [1, 2, 3]


def test_ranks_stay_dense_after_return_decide_and_forward(people):
    group, lead = people["alpha"], people["lead"]
    first, second, third, fourth = forwarded(group, lead, 4)

    forwarding.return_to_group(second, people["board"], "Bitte noch die Kosten schätzen.")
    db.session.commit()
    assert titles(group) == ["Idee 1", "Idee 3", "Idee 4"]
    assert positions(group) == stored_ranks(group) == [1, 2, 3]

    # The board decides through the state machine alone (issue 5): positions stay 1..n.
    ideas.transition(first, S.PRIORITISED, actor=people["board"], note="Empfohlen")
    ideas.transition(fourth, S.DECLINED, actor=people["board"], note="Zu teuer")
    db.session.commit()
    assert titles(group) == ["Idee 3"]
    assert positions(group) == [1]
    assert forwarding.current_ranks() == {third.id: 1}
    # The decided idea keeps its row, its rationale and the rank it had.
    assert db.session.get(Forwarding, first.id).rank == 1

    late = in_review(group, "Idee 5")
    forwarding.forward(late, lead, "Nachzügler")
    db.session.commit()
    assert titles(group) == ["Idee 3", "Idee 5"]
    assert positions(group) == stored_ranks(group) == [1, 2]


def test_current_ranks_numbers_every_group_in_one_query(people):
    alpha = forwarded(people["alpha"], people["lead"], 3, "Alpha")
    beta = forwarded(people["beta"], people["other_lead"], 2, "Beta")
    forwarding.move(alpha[2], "up", people["lead"])
    db.session.commit()
    expected = {alpha[0].id: 1, alpha[2].id: 2, alpha[1].id: 3, beta[0].id: 1, beta[1].id: 2}
    assert forwarding.current_ranks() == expected
    assert forwarding.current_ranks([people["beta"].id]) == {beta[0].id: 1, beta[1].id: 2}


def test_public_ranking_leaves_out_hidden_ideas(people):
    first, second, third = forwarded(people["alpha"], people["lead"], 3)
    second.hidden_at = second.created_at
    db.session.commit()
    assert [e.idea.id for e in forwarding.ranking(people["alpha"], public=True)] == [
        first.id,
        third.id,
    ]
    assert len(forwarding.ranking(people["alpha"])) == 3


def test_candidates_are_the_groups_visible_ideas_in_review(people):
    ready = in_review(people["alpha"], "Bereit")
    hidden = in_review(people["alpha"], "Versteckt")
    hidden.hidden_at = hidden.created_at
    make_idea(people["alpha"], title="Nur veröffentlicht")
    in_review(people["beta"], "Andere Gruppe")
    db.session.commit()
    assert forwarding.candidates(people["alpha"]) == [ready]


# ---------------------------------------------------------------- move


def test_move_swaps_with_the_neighbour(people):
    group, lead = people["alpha"], people["lead"]
    first, _second, third = forwarded(group, lead, 3)

    assert forwarding.move(third, "up", lead) is True
    db.session.commit()
    assert titles(group) == ["Idee 1", "Idee 3", "Idee 2"]
    assert forwarding.move(first, "down", lead) is True
    db.session.commit()
    assert titles(group) == ["Idee 3", "Idee 1", "Idee 2"]
    assert stored_ranks(group) == [1, 2, 3]
    entry = db.session.scalar(
        db.select(AuditEntry).where(
            AuditEntry.idea_id == third.id, AuditEntry.action == AuditAction.REORDER
        )
    )
    assert (entry.actor_id, entry.detail) == (lead.id, "rank:3>2")


def test_move_at_the_ends_changes_nothing(people):
    group, lead = people["alpha"], people["lead"]
    first, _second, third = forwarded(group, lead, 3)
    assert forwarding.move(first, "up", lead) is False
    assert forwarding.move(third, "down", lead) is False
    db.session.commit()
    assert titles(group) == ["Idee 1", "Idee 2", "Idee 3"]
    assert AuditAction.REORDER not in audit_actions(first) + audit_actions(third)


def test_moving_the_only_idea_changes_nothing(people):
    (only,) = forwarded(people["alpha"], people["lead"], 1)
    assert forwarding.move(only, "up", people["lead"]) is False
    assert forwarding.move(only, "down", people["lead"]) is False


def test_move_needs_a_forwarded_idea_and_a_direction(people):
    (idea,) = forwarded(people["alpha"], people["lead"], 1)
    with pytest.raises(ForwardingError):
        forwarding.move(idea, "sideways", people["lead"])
    waiting = in_review(people["alpha"])
    with pytest.raises(ForwardingError):
        forwarding.move(waiting, "up", people["lead"])


def test_move_closes_a_gap_left_by_a_decision(people):
    group, lead = people["alpha"], people["lead"]
    _first, second, third = forwarded(group, lead, 3)
    ideas.transition(second, S.PRIORITISED, actor=people["board"], note="Empfohlen")
    db.session.commit()
    assert stored_ranks(group) == [1, 3]
    forwarding.move(third, "up", lead)
    db.session.commit()
    assert titles(group) == ["Idee 3", "Idee 1"]
    assert stored_ranks(group) == [1, 2]


def test_concurrent_moves_keep_the_ranks_a_permutation(app, people):
    # On PostgreSQL the threads really overlap (the group's row lock orders them);
    # SQLite serialises them with its write lock.
    group, lead = people["alpha"], people["lead"]
    ids = [idea.id for idea in forwarded(group, lead, 6)]
    group_id, lead_id = group.id, lead.id
    steps = [(random.Random(n).choice(ids), "up" if n % 2 else "down") for n in range(24)]
    barrier = threading.Barrier(len(steps), timeout=60)
    errors = []

    def step(idea_id, direction):
        with app.app_context():
            try:
                barrier.wait()
                idea = db.session.get(Idea, idea_id)
                forwarding.move(idea, direction, db.session.get(User, lead_id))
                db.session.commit()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=step, args=args) for args in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    ranks = sorted(
        db.session.scalars(db.select(Forwarding.rank).where(Forwarding.group_id == group_id))
    )
    assert ranks == [1, 2, 3, 4, 5, 6]
    assert sorted(entry.idea.id for entry in forwarding.ranking(group)) == sorted(ids)


def test_concurrent_forwards_get_distinct_ranks(app, people):
    group = people["alpha"]
    ids = [in_review(group, f"Idee {n}").id for n in range(6)]
    lead_id = people["lead"].id
    barrier = threading.Barrier(len(ids), timeout=60)
    errors = []

    def send(idea_id):
        with app.app_context():
            try:
                barrier.wait()
                forwarding.forward(
                    db.session.get(Idea, idea_id), db.session.get(User, lead_id), "Begründung"
                )
                db.session.commit()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send, args=(idea_id,)) for idea_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    assert stored_ranks(group) == [1, 2, 3, 4, 5, 6]


# ---------------------------------------------------------------- return


def test_return_sends_the_idea_back_in_review(people):
    group, lead = people["alpha"], people["lead"]
    (idea,) = forwarded(group, lead, 1)
    row = forwarding.return_to_group(idea, people["board"], "  Bitte die Kosten schätzen.  ")
    db.session.commit()

    assert idea.status is S.IN_REVIEW
    assert row.returned_at is not None
    assert row.return_note == "Bitte die Kosten schätzen."
    event = last_event(idea)
    assert (event.from_status, event.to_status) == (S.FORWARDED, S.IN_REVIEW)
    assert (event.actor_id, event.note) == (people["board"].id, "Bitte die Kosten schätzen.")
    assert audit_actions(idea) == [AuditAction.FORWARD, AuditAction.RETURN]
    assert titles(group) == []
    returned = forwarding.recently_returned(group)
    assert [(r.idea.id, r.forwarding.return_note) for r in returned] == [
        (idea.id, "Bitte die Kosten schätzen.")
    ]
    # The group's queue takes it up again: in review, the last change came from the board.
    assert idea in forwarding.candidates(group)
    assert moderation.returned_ideas(group) == [idea]


def test_a_prioritised_idea_can_be_returned(people):
    (idea,) = forwarded(people["alpha"], people["lead"], 1)
    ideas.transition(idea, S.PRIORITISED, actor=people["board"], note="Empfohlen")
    db.session.commit()
    forwarding.return_to_group(idea, people["board"], "Der Rat will mehr wissen.")
    db.session.commit()
    assert idea.status is S.IN_REVIEW
    assert last_event(idea).from_status is S.PRIORITISED


@pytest.mark.parametrize("note", ["", "  ", None, "x" * (forwarding.RETURN_NOTE_MAX + 1)])
def test_return_needs_a_note(people, note):
    (idea,) = forwarded(people["alpha"], people["lead"], 1)
    with pytest.raises(ForwardingError):
        forwarding.return_to_group(idea, people["lead"], note)
    db.session.rollback()
    assert db.session.get(Idea, idea.id).status is S.FORWARDED


@pytest.mark.parametrize("status", [S.PUBLISHED, S.IN_REVIEW, S.DECLINED, S.IMPLEMENTED])
def test_return_needs_a_forwarded_or_prioritised_idea(people, status):
    idea = make_idea(people["alpha"], status=status)
    with pytest.raises(ForwardingError):
        forwarding.return_to_group(idea, people["lead"], "Zurück")


def test_forwarding_again_after_a_return_reuses_the_row(people):
    group, lead = people["alpha"], people["lead"]
    first, _second = forwarded(group, lead, 2)
    forwarding.return_to_group(first, people["board"], "Bitte nachschärfen.")
    db.session.commit()
    assert titles(group) == ["Idee 2"]

    row = forwarding.forward(first, people["lead"], "Nachgeschärft: jetzt mit Kostenschätzung.")
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Forwarding)) == 2
    assert (row.returned_at, row.return_note) == (None, None)
    assert row.rationale == "Nachgeschärft: jetzt mit Kostenschätzung."
    assert titles(group) == ["Idee 2", "Idee 1"]
    assert stored_ranks(group) == [1, 2]
    assert forwarding.recently_returned(group) == []
    assert [e.to_status for e in ideas.timeline(first)][-3:] == [
        S.FORWARDED,
        S.IN_REVIEW,
        S.FORWARDED,
    ]


# ---------------------------------------------------------------- offline ideas


def test_offline_idea_names_origin_event_and_participant(people):
    lead = people["lead"]
    idea = offline.record_offline_idea(
        people["alpha"],
        lead,
        "  Freies WLAN am Bahnhof  ",
        "Am Bahnhof fehlt WLAN.",
        origin=IdeaOrigin.FORUM,
        event="  Digitales Forum 2026 ",
        participant_name=" Erika Muster ",
    )
    db.session.commit()
    assert idea.status is S.PUBLISHED
    assert idea.author_id is None
    assert (idea.title, idea.origin, idea.origin_event, idea.participant_name) == (
        "Freies WLAN am Bahnhof",
        IdeaOrigin.FORUM,
        "Digitales Forum 2026",
        "Erika Muster",
    )
    (event,) = ideas.timeline(idea)
    assert (event.from_status, event.to_status, event.actor_id) == (None, S.PUBLISHED, lead.id)
    assert audit_actions(idea) == [AuditAction.OFFLINE_IDEA]
    # A lead does not follow the idea they typed in on someone's behalf.
    assert db.session.scalar(db.select(Follow).where(Follow.idea_id == idea.id)) is None


def test_offline_idea_without_a_name_is_anonymous_and_counted(people):
    group = db.session.get(ThematicGroup, people["alpha"].id)
    group.premoderation = True  # a lead's entry needs no approval
    db.session.commit()
    idea = offline.record_offline_idea(
        group,
        people["lead"],
        "Werkstatt für Senioren",
        "Text",
        origin=IdeaOrigin.WORKSHOP,
        event="Workshop Soziales",
        participant_name="   ",
    )
    db.session.commit()
    assert idea.participant_name is None
    assert idea.status is S.PUBLISHED
    assert db.session.get(ThematicGroup, group.id).ideas_count == 1
    assert recount(fix=False) == []
    page = listing.group_page(group, sort="new", origin=IdeaOrigin.WORKSHOP)
    assert [card.idea.id for card in page.cards] == [idea.id]
    assert listing.group_page(group, sort="new", origin=IdeaOrigin.FORUM).cards == []


def test_offline_idea_sent_twice_is_stored_once(people):
    def send():
        return offline.record_offline_idea(
            people["alpha"],
            people["lead"],
            "Doppelt",
            "Text",
            origin=IdeaOrigin.COMPETITION,
            event="Ideenwettbewerb Schule",
        )

    first = send()
    db.session.commit()
    assert send().id == first.id
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Idea)) == 1
    assert recount(fix=False) == []


@pytest.mark.parametrize(
    ("origin", "event", "participant"),
    [
        (IdeaOrigin.ONLINE, "Forum", None),
        (IdeaOrigin.FORUM, "", None),
        (IdeaOrigin.FORUM, "   ", None),
        (IdeaOrigin.FORUM, "x" * (offline.EVENT_MAX + 1), None),
        (IdeaOrigin.FORUM, "Forum", "x" * (offline.PARTICIPANT_MAX + 1)),
    ],
)
def test_offline_idea_refuses_bad_origin_event_or_name(people, origin, event, participant):
    with pytest.raises(DomainError):
        offline.record_offline_idea(
            people["alpha"],
            people["lead"],
            "Titel",
            "Text",
            origin=origin,
            event=event,
            participant_name=participant,
        )
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Idea)) == 0


def test_offline_idea_in_an_archived_group_is_refused(people):
    group = make_group()
    group.archived_at = group.created_at
    db.session.commit()
    with pytest.raises(DomainError):
        offline.record_offline_idea(
            group, people["admin"], "Titel", "Text", origin=IdeaOrigin.FORUM, event="Forum"
        )
