"""Curation by a group's tandem: merging duplicates, moving ideas, official answers, notes."""

import threading

import pytest

from app.extensions import db
from app.models import (
    Assessment,
    AuditAction,
    AuditEntry,
    Follow,
    Idea,
    IdeaStatus,
    InternalNote,
    Notification,
    NotificationKind,
    OfficialAnswer,
    Role,
    StatusEvent,
    ThematicGroup,
    User,
    Vote,
)
from app.models.base import utcnow
from app.permissions import can_see_internal_notes
from app.services import DomainError, answers, curation, follows, groups, ideas
from app.services.curation import CurationRefused, NotPermitted, ReasonRequired
from app.services.ideas import TransitionRefused
from app.services.ranking import trending_score, wilson_lower_bound
from app.services.recount import recount
from app.services.votes import VoteValue, set_assessment, set_vote
from tests.conftest import mails_to
from tests.factories import make_group, make_idea, make_user

S = IdeaStatus
UP, DOWN = VoteValue.UP, VoteValue.DOWN


def fresh(idea: Idea) -> Idea:
    db.session.expire_all()
    return db.session.get(Idea, idea.id)


def group_counts(group: ThematicGroup) -> tuple[int, int]:
    db.session.expire_all()
    stored = db.session.get(ThematicGroup, group.id)
    return stored.ideas_count, stored.votes_count


def votes_on(idea: Idea) -> dict[int, tuple[int, bool]]:
    rows = db.session.execute(
        db.select(Vote.user_id, Vote.value, Vote.u30).where(Vote.idea_id == idea.id)
    )
    return {user_id: (value, u30) for user_id, value, u30 in rows}


def events_of(idea: Idea) -> list[StatusEvent]:
    return list(
        db.session.scalars(
            db.select(StatusEvent).where(StatusEvent.idea_id == idea.id).order_by(StatusEvent.id)
        )
    )


def audit_entries(action: AuditAction) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def notifications_of(user) -> list[Notification]:
    return list(
        db.session.scalars(
            db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


@pytest.fixture
def alpha(people):
    return people["alpha"]


@pytest.fixture
def lead(people):
    return people["lead"]


# Merging: votes, assessments, followers, counters


def test_merge_moves_votes_without_double_counting(people, alpha, lead):
    duplicate = make_idea(alpha, title="Doppelte Idee")
    target = make_idea(alpha, title="Ursprüngliche Idee")
    both, both_u30 = make_user(), make_user(roles_={Role.U30})
    only_dup_up, only_dup_down, only_dup_u30 = (
        make_user(),
        make_user(),
        make_user(roles_={Role.U30}),
    )
    only_target = make_user()
    set_vote(both, duplicate, UP)
    set_vote(both, target, DOWN)
    set_vote(both_u30, duplicate, UP)
    set_vote(both_u30, target, DOWN)
    set_vote(only_dup_up, duplicate, UP)
    set_vote(only_dup_down, duplicate, DOWN)
    set_vote(only_dup_u30, duplicate, DOWN)
    set_vote(only_target, target, UP)
    db.session.commit()
    assert group_counts(alpha) == (2, 8)

    curation.merge(duplicate, target, actor=lead, reason="Beschreibt dasselbe.")
    db.session.commit()

    merged, kept = fresh(duplicate), fresh(target)
    assert merged.status is S.MERGED and merged.merged_into_id == target.id
    assert (merged.votes_up, merged.votes_down, merged.u30_votes_up, merged.u30_votes_down) == (
        0,
        0,
        0,
        0,
    )
    assert votes_on(merged) == {}
    # The people who voted on both keep their vote on the target; the others' votes moved.
    assert votes_on(kept) == {
        both.id: (-1, False),
        both_u30.id: (-1, True),
        only_target.id: (1, False),
        only_dup_up.id: (1, False),
        only_dup_down.id: (-1, False),
        only_dup_u30.id: (-1, True),
    }
    assert (kept.votes_up, kept.votes_down, kept.u30_votes_up, kept.u30_votes_down) == (2, 4, 0, 2)
    assert kept.score_top == pytest.approx(wilson_lower_bound(2, 4))
    assert kept.score_trending == pytest.approx(trending_score(2, 4, kept.created_at))
    assert merged.score_top == 0.0
    # The duplicate left the public lists; its group counts only the target and its votes.
    assert group_counts(alpha) == (1, 6)
    assert recount(fix=False) == []


def test_merge_across_groups_keeps_both_groups_exact(people, alpha):
    beta = people["beta"]
    admin = people["admin"]
    duplicate = make_idea(alpha)
    target = make_idea(beta)
    voters = [make_user() for _ in range(3)]
    for voter in voters:
        set_vote(voter, duplicate, UP)
    set_vote(voters[0], target, UP)
    db.session.commit()
    assert group_counts(alpha) == (1, 3) and group_counts(beta) == (1, 1)

    curation.merge(duplicate, target, actor=admin, reason="Gehört zusammen.")
    db.session.commit()

    assert group_counts(alpha) == (0, 0)
    assert group_counts(beta) == (1, 3)
    assert fresh(target).votes_up == 3
    assert recount(fix=False) == []
    # Both groups' logs show the merge.
    assert {entry.group_id for entry in audit_entries(AuditAction.MERGE)} == {alpha.id, beta.id}


def test_merge_of_a_hidden_duplicate_changes_no_group_count_twice(alpha, lead):
    duplicate = make_idea(alpha)
    target = make_idea(alpha)
    set_vote(make_user(), duplicate, UP)
    db.session.commit()
    # Hidden: out of the group's counts (as the hiding service does it).
    duplicate.hidden_at = utcnow()
    ideas.adjust_group_counts(duplicate, -1)
    db.session.commit()
    assert group_counts(alpha) == (1, 0)

    curation.merge(duplicate, target, actor=lead, reason="Doppelt.")
    db.session.commit()
    assert group_counts(alpha) == (1, 1)
    assert recount(fix=False) == []


def test_merge_moves_assessments_keeping_the_targets(alpha, lead):
    duplicate, target = make_idea(alpha), make_idea(alpha)
    both, only_dup = make_user(), make_user()
    set_assessment(both, duplicate, 5, 5)
    set_assessment(both, target, 1, 2)
    set_assessment(only_dup, duplicate, 4, 3)
    db.session.commit()

    curation.merge(duplicate, target, actor=lead, reason="Doppelt.")
    db.session.commit()

    kept, merged = fresh(target), fresh(duplicate)
    assert (kept.assessments_count, kept.benefit_sum, kept.feasibility_sum) == (2, 5, 5)
    assert (merged.assessments_count, merged.benefit_sum, merged.feasibility_sum) == (0, 0, 0)
    rows = db.session.execute(
        db.select(Assessment.user_id, Assessment.idea_id, Assessment.benefit)
    ).all()
    assert sorted(rows) == sorted([(both.id, target.id, 1), (only_dup.id, target.id, 4)])
    assert recount(fix=False) == []


def test_merge_moves_followers_without_duplicates(alpha, lead):
    dup_author, target_author = make_user(), make_user()
    duplicate = make_idea(alpha, dup_author, title="Zweites WLAN")
    target = make_idea(alpha, target_author, title="Erstes WLAN")
    follows_both, follows_dup = make_user(), make_user()
    follows.follow_idea(follows_both, duplicate)
    follows.follow_idea(follows_both, target)
    follows.follow_idea(follows_dup, duplicate)
    db.session.commit()

    curation.merge(duplicate, target, actor=lead, reason="Doppelt.")
    db.session.commit()

    followers = db.session.execute(db.select(Follow.user_id, Follow.idea_id)).all()
    on_target = sorted(user for user, idea_id in followers if idea_id == target.id)
    assert on_target == sorted({follows_both.id, follows_dup.id, dup_author.id, target_author.id})
    assert [row for row in followers if row[1] == duplicate.id] == []


def test_merge_tells_both_authors_and_the_followers(alpha, lead):
    dup_author, target_author = make_user(), make_user()
    duplicate = make_idea(alpha, dup_author, title="Zweites WLAN")
    target = make_idea(alpha, target_author, title="Erstes WLAN")
    target_follower, dup_follower = make_user(), make_user()
    follows.follow_idea(target_follower, target)
    follows.follow_idea(dup_follower, duplicate)
    db.session.commit()

    curation.merge(duplicate, target, actor=lead, reason="Beschreibt dasselbe.")
    db.session.commit()

    event = events_of(duplicate)[-1]
    assert event.to_status is S.MERGED and event.actor_id == lead.id
    assert "„Erstes WLAN“" in event.note and "Beschreibt dasselbe." in event.note
    for person in (dup_author, dup_follower):
        [notice] = notifications_of(person)
        assert notice.kind is NotificationKind.STATUS and notice.idea_id == duplicate.id
    # The author's mail names the target (the timeline note).
    assert "Erstes WLAN" in mails_to(dup_author.email)[-1].body
    for person in (target_author, target_follower):
        [notice] = notifications_of(person)
        assert notice.idea_id == target.id
        assert "„Zweites WLAN“" in notice.text and "„Erstes WLAN“" in notice.text
    assert notifications_of(lead) == []
    [entry] = audit_entries(AuditAction.MERGE)
    assert (entry.actor_id, entry.idea_id, entry.reason) == (
        lead.id,
        duplicate.id,
        "Beschreibt dasselbe.",
    )
    assert entry.detail == f"published>merged:{target.id}"


def test_merge_from_in_review(alpha, lead):
    duplicate = make_idea(alpha, status=S.IN_REVIEW)
    target = make_idea(alpha, status=S.FORWARDED)
    curation.merge(duplicate, target, actor=lead, reason="Doppelt.")
    db.session.commit()
    assert fresh(duplicate).status is S.MERGED


# Merging: what is refused


def test_merge_cycle_is_refused(alpha, lead):
    first, second = make_idea(alpha), make_idea(alpha)
    curation.merge(first, second, actor=lead, reason="Doppelt.")
    db.session.commit()
    before = len(events_of(second))
    with pytest.raises(CurationRefused):
        curation.merge(second, first, actor=lead, reason="Und zurück.")
    db.session.rollback()
    assert fresh(second).status is S.PUBLISHED and fresh(second).merged_into_id is None
    assert len(events_of(second)) == before


def test_merge_into_itself_is_refused(alpha, lead):
    idea = make_idea(alpha)
    with pytest.raises(CurationRefused):
        curation.merge(idea, idea, actor=lead, reason="Doppelt.")
    assert fresh(idea).status is S.PUBLISHED


@pytest.mark.parametrize(
    "status",
    [S.SUBMITTED, S.DECLINED, S.MERGED, S.WITHDRAWN, S.REJECTED, S.IMPLEMENTED],
)
def test_merge_into_a_closed_idea_is_refused(alpha, lead, status):
    duplicate = make_idea(alpha)
    target = make_idea(alpha, status=status)
    set_vote(make_user(), duplicate, UP)
    db.session.commit()
    with pytest.raises(CurationRefused):
        curation.merge(duplicate, target, actor=lead, reason="Doppelt.")
    db.session.rollback()
    assert fresh(duplicate).status is S.PUBLISHED and fresh(duplicate).votes_up == 1
    assert audit_entries(AuditAction.MERGE) == []


def test_merge_into_a_hidden_idea_is_refused(alpha, lead):
    duplicate, target = make_idea(alpha), make_idea(alpha)
    target.hidden_at = utcnow()
    db.session.commit()
    with pytest.raises(CurationRefused):
        curation.merge(duplicate, target, actor=lead, reason="Doppelt.")


@pytest.mark.parametrize("status", [S.SUBMITTED, S.DECLINED, S.FORWARDED, S.WITHDRAWN])
def test_a_duplicate_the_state_machine_does_not_let_go_is_refused(alpha, lead, status):
    duplicate, target = make_idea(alpha, status=status), make_idea(alpha)
    with pytest.raises(TransitionRefused):
        curation.merge(duplicate, target, actor=lead, reason="Doppelt.")


def test_merge_needs_a_reason(alpha, lead):
    duplicate, target = make_idea(alpha), make_idea(alpha)
    with pytest.raises(ReasonRequired):
        curation.merge(duplicate, target, actor=lead, reason="   ")
    assert fresh(duplicate).status is S.PUBLISHED


def test_merge_needs_both_groups(people, alpha):
    ours, theirs = make_idea(alpha), make_idea(people["beta"])
    with pytest.raises(NotPermitted):
        curation.merge(ours, theirs, actor=people["lead"], reason="Doppelt.")
    with pytest.raises(NotPermitted):
        curation.merge(theirs, ours, actor=people["lead"], reason="Doppelt.")
    with pytest.raises(NotPermitted):
        curation.merge(ours, make_idea(alpha), actor=people["board"], reason="Doppelt.")
    assert fresh(ours).status is S.PUBLISHED and fresh(theirs).status is S.PUBLISHED


def test_merge_candidates_are_open_ideas_of_moderated_groups(people, alpha):
    idea = make_idea(alpha, title="Radweg am Bahnhof")
    same_group = make_idea(alpha, title="Ein Radweg zur Schule")
    make_idea(alpha, title="Radweg gesperrt", status=S.DECLINED)
    make_idea(people["beta"], title="Radweg in Beta")
    found = curation.merge_candidates(idea, people["lead"], "radweg")
    assert [candidate.id for candidate in found] == [same_group.id]
    assert len(curation.merge_candidates(idea, people["admin"], "Radweg")) == 2
    assert curation.merge_candidates(idea, people["lead"], "100%_") == []
    assert curation.merge_candidates(idea, people["lead"], "  ") == []


# Moving between groups


def test_move_takes_the_counts_to_the_other_group(people, alpha):
    beta, admin = people["beta"], people["admin"]
    idea = make_idea(alpha)
    make_idea(alpha)
    for _ in range(2):
        set_vote(make_user(), idea, UP)
    db.session.commit()
    assert group_counts(alpha) == (2, 2) and group_counts(beta) == (0, 0)

    event = curation.move(idea, beta, actor=admin, note="Passt besser zu Beta.")
    pending = db.session.info.get("ideenwerk_changed_groups")
    db.session.commit()

    assert pending >= {alpha.id, beta.id}
    assert fresh(idea).group_id == beta.id
    assert group_counts(alpha) == (1, 0) and group_counts(beta) == (1, 2)
    assert (event.from_status, event.to_status, event.from_group_id) == (
        S.PUBLISHED,
        S.PUBLISHED,
        alpha.id,
    )
    assert events_of(idea)[-1].note == "Passt besser zu Beta."
    assert {entry.group_id for entry in audit_entries(AuditAction.MOVE)} == {alpha.id, beta.id}
    assert audit_entries(AuditAction.MOVE)[0].detail == f"group:{alpha.id}>{beta.id}"
    assert recount(fix=False) == []


def test_move_of_an_unlisted_idea_changes_no_counts(people, alpha):
    beta = people["beta"]
    idea = make_idea(alpha, status=S.SUBMITTED)
    curation.move(idea, beta, actor=people["admin"])
    db.session.commit()
    assert group_counts(alpha) == (0, 0) and group_counts(beta) == (0, 0)
    assert recount(fix=False) == []


def test_move_needs_both_groups(people, alpha):
    idea = make_idea(alpha)
    with pytest.raises(NotPermitted):
        curation.move(idea, people["beta"], actor=people["lead"])
    with pytest.raises(NotPermitted):
        curation.move(idea, people["beta"], actor=people["other_lead"])
    assert fresh(idea).group_id == alpha.id


def test_move_of_a_lead_of_both_groups(people, alpha):
    groups.add_lead(people["beta"], people["lead"])
    db.session.commit()
    idea = make_idea(alpha)
    curation.move(idea, people["beta"], actor=people["lead"])
    db.session.commit()
    assert fresh(idea).group_id == people["beta"].id


def test_move_refuses_same_archived_group_and_forwarded_ideas(people, alpha):
    admin = people["admin"]
    idea = make_idea(alpha)
    with pytest.raises(CurationRefused):
        curation.move(idea, alpha, actor=admin)
    archived = make_group()
    groups.set_archived(archived, True)
    db.session.commit()
    with pytest.raises(CurationRefused):
        curation.move(idea, archived, actor=admin)
    forwarded = make_idea(alpha, status=S.FORWARDED)
    with pytest.raises(CurationRefused):
        curation.move(forwarded, people["beta"], actor=admin)
    db.session.rollback()
    assert events_of(idea)[-1].from_group_id is None


def test_move_targets_are_the_moderated_open_groups(people, alpha):
    idea = make_idea(alpha)
    assert curation.move_targets(idea, people["lead"]) == []
    groups.add_lead(people["beta"], people["lead"])
    db.session.commit()
    assert curation.move_targets(idea, people["lead"]) == [people["beta"]]
    archived = make_group()
    groups.set_archived(archived, True)
    db.session.commit()
    assert archived not in curation.move_targets(idea, people["admin"])
    assert people["beta"] in curation.move_targets(idea, people["admin"])


# Status changes through the curation service


def test_change_status_writes_timeline_audit_and_tells_the_author(alpha, lead):
    author = make_user()
    idea = make_idea(alpha, author)
    curation.decline(idea, actor=lead, reason="Nicht umsetzbar.")
    db.session.commit()
    [entry] = audit_entries(AuditAction.STATUS)
    assert (entry.detail, entry.reason, entry.idea_id) == (
        "published>declined",
        "Nicht umsetzbar.",
        idea.id,
    )
    event = events_of(idea)[-1]
    assert (event.to_status, event.actor_id, event.note) == (
        S.DECLINED,
        lead.id,
        "Nicht umsetzbar.",
    )
    assert [notice.kind for notice in notifications_of(author)] == [NotificationKind.STATUS]
    assert recount(fix=False) == []


def test_publish_reject_and_review(alpha, lead):
    waiting = make_idea(alpha, status=S.SUBMITTED)
    curation.publish(waiting, actor=lead)
    curation.start_review(waiting, actor=lead, note="Wir prüfen.")
    refused = make_idea(alpha, status=S.SUBMITTED)
    curation.reject(refused, actor=lead, reason="Werbung.")
    db.session.commit()
    assert fresh(waiting).status is S.IN_REVIEW and fresh(refused).status is S.REJECTED
    assert group_counts(alpha) == (1, 0)
    assert recount(fix=False) == []


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.PUBLISHED, S.MERGED),
        (S.IN_REVIEW, S.FORWARDED),
        (S.PUBLISHED, S.WITHDRAWN),
        (S.FORWARDED, S.IN_REVIEW),
        (S.PRIORITISED, S.IN_REVIEW),
    ],
)
def test_change_status_leaves_own_forms_to_their_services(people, start, to):
    idea = make_idea(people["alpha"], status=start)
    with pytest.raises(CurationRefused):
        curation.change_status(idea, to, actor=people["admin"], note="Grund")


def test_change_status_refuses_overlong_notes(alpha, lead):
    idea = make_idea(alpha)
    with pytest.raises(DomainError):
        curation.start_review(idea, actor=lead, note="x" * (curation.TIMELINE_NOTE_MAX + 1))
    assert fresh(idea).status is S.PUBLISHED


def test_next_steps_follow_table_and_side(people, alpha):
    idea = make_idea(alpha)
    assert curation.next_steps(idea, people["lead"]) == [S.IN_REVIEW, S.DECLINED]
    assert curation.next_steps(idea, people["other_lead"]) == []
    assert curation.next_steps(idea, people["board"]) == []
    forwarded = make_idea(alpha, status=S.FORWARDED)
    # Taking it back (to in_review) is forwarding's form: it also closes the ranking's gap.
    assert curation.next_steps(forwarded, people["board"]) == [S.PRIORITISED, S.DECLINED]
    assert curation.next_steps(forwarded, people["lead"]) == []


# Official answers


def test_answers_are_versioned_and_sanitised(people, alpha, lead):
    author, follower = make_user(), make_user()
    idea = make_idea(alpha, author)
    follows.follow_idea(follower, idea)
    first = answers.post_answer(idea, actor=lead, body="Wir **prüfen** das.")
    db.session.commit()
    second = answers.post_answer(
        idea, actor=people["admin"], body="Geprüft: machbar. <script>alert(1)</script>"
    )
    db.session.commit()
    assert (first.version, second.version) == (1, 2)
    assert "<strong>prüfen</strong>" in first.body_html
    assert "<script>" not in second.body_html
    assert answers.latest(idea).id == second.id
    assert [answer.version for answer in answers.versions(idea)] == [2, 1]
    assert [entry.detail for entry in audit_entries(AuditAction.ANSWER)] == [
        "version:1",
        "version:2",
    ]
    for person in (author, follower):
        assert [notice.kind for notice in notifications_of(person)] == [
            NotificationKind.ANSWER,
            NotificationKind.ANSWER,
        ]
    assert "überarbeitet" in notifications_of(author)[-1].text
    mail = mails_to(author.email)[-1]
    assert mail.subject.startswith("Stellungnahme zu")
    assert "Geprüft: machbar." in mail.body and f"/ideas/{idea.id}" in mail.body
    assert notifications_of(lead) == []


def test_the_same_answer_twice_is_one_version(alpha, lead):
    idea = make_idea(alpha)
    answers.post_answer(idea, actor=lead, body="Antwort.")
    answers.post_answer(idea, actor=lead, body="Antwort.\r\n")
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(OfficialAnswer)) == 1


@pytest.mark.parametrize("body", ["", "   ", "x" * (answers.ANSWER_MAX + 1)])
def test_answers_refuse_empty_and_overlong_text(alpha, lead, body):
    idea = make_idea(alpha)
    with pytest.raises(DomainError):
        answers.post_answer(idea, actor=lead, body=body)
    assert answers.latest(idea) is None


@pytest.mark.parametrize("role", ["other_lead", "board", "citizen"])
def test_only_the_groups_moderators_answer(people, alpha, role):
    idea = make_idea(alpha)
    with pytest.raises(NotPermitted):
        answers.post_answer(idea, actor=people[role], body="Antwort.")


# Internal notes


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("lead", True),
        ("board", True),
        ("admin", True),
        ("other_lead", False),
        ("citizen", False),
        ("u30", False),
        ("unconfirmed", False),
    ],
)
def test_who_sees_internal_notes(people, alpha, role, sees):
    idea = make_idea(alpha)
    assert can_see_internal_notes(people[role], idea) is sees
    if sees:
        curation.add_note(idea, actor=people[role], body="Intern.")
    else:
        with pytest.raises(NotPermitted):
            curation.add_note(idea, actor=people[role], body="Intern.")


def test_notes_are_sanitised_listed_and_audited_without_their_text(alpha, lead, people):
    idea = make_idea(alpha)
    curation.add_note(idea, actor=lead, body="Rückruf bei **Amt 61** <img src=x>")
    curation.add_note(idea, actor=people["board"], body="Zweite Notiz")
    curation.add_note(idea, actor=people["board"], body="Zweite Notiz")  # double click
    db.session.commit()
    notes = curation.notes_for(idea)
    assert [note.body for note in notes] == ["Zweite Notiz", "Rückruf bei **Amt 61** <img src=x>"]
    assert "<strong>Amt 61</strong>" in notes[1].body_html and "<img" not in notes[1].body_html
    entries = audit_entries(AuditAction.NOTE)
    assert len(entries) == 2
    assert all(entry.reason == "" and "Amt" not in entry.detail for entry in entries)


@pytest.mark.parametrize("body", ["", "x" * (curation.NOTE_MAX + 1)])
def test_notes_refuse_empty_and_overlong_text(alpha, lead, body):
    idea = make_idea(alpha)
    with pytest.raises(DomainError):
        curation.add_note(idea, actor=lead, body=body)
    assert db.session.scalar(db.select(db.func.count()).select_from(InternalNote)) == 0


def test_list_cache_is_told_of_merges(alpha, lead):
    duplicate, target = make_idea(alpha), make_idea(alpha)
    db.session.info.pop("ideenwerk_changed_groups", None)
    curation.merge(duplicate, target, actor=lead, reason="Doppelt.")
    assert alpha.id in db.session.info["ideenwerk_changed_groups"]


def test_crosswise_merges_at_the_same_time_leave_one_merge_and_exact_counts(app, alpha, lead):
    first, second = make_idea(alpha), make_idea(alpha)
    voters = [make_user() for _ in range(4)]
    for number, voter in enumerate(voters):
        set_vote(voter, first if number % 2 else second, UP)
    set_vote(voters[0], first, DOWN)
    db.session.commit()
    ids, lead_id = (first.id, second.id), lead.id
    barrier = threading.Barrier(2, timeout=60)
    outcomes: list[str] = []

    def merge(duplicate_id, target_id):
        with app.app_context():
            try:
                actor = db.session.get(User, lead_id)
                duplicate = db.session.get(Idea, duplicate_id)
                target = db.session.get(Idea, target_id)
                barrier.wait()
                curation.merge(duplicate, target, actor=actor, reason="Gleichzeitig.")
                db.session.commit()
                outcomes.append("merged")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            except Exception as error:  # pragma: no cover - reported below
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=merge, args=ids),
        threading.Thread(target=merge, args=ids[::-1]),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["merged", "refused"]
    statuses = sorted(fresh(idea).status for idea in (first, second))
    assert statuses == sorted([S.MERGED, S.PUBLISHED])
    survivor = first if fresh(first).status is S.PUBLISHED else second
    assert fresh(survivor).votes_up + fresh(survivor).votes_down == 4
    assert recount(fix=False) == []
