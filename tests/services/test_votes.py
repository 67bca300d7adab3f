import threading

import pytest

from app.extensions import db
from app.models import Idea, IdeaStatus, Role, ThematicGroup, User, Vote
from app.services import DomainError
from app.services.ranking import wilson_lower_bound
from app.services.recount import recount
from app.services.votes import IdeaClosed, VoteValue, current_vote, set_assessment, set_vote
from tests.factories import make_group, make_idea, make_user


def fresh(idea):
    db.session.expire_all()
    return db.session.get(Idea, idea.id)


def test_vote_change_and_retract_keep_counters_exact():
    idea = make_idea()
    user = make_user()
    set_vote(user, idea, VoteValue.UP)
    db.session.commit()
    assert (fresh(idea).votes_up, fresh(idea).votes_down) == (1, 0)
    assert current_vote(user, idea) is VoteValue.UP
    set_vote(user, idea, VoteValue.UP)  # the same vote again changes nothing
    set_vote(user, idea, VoteValue.DOWN)
    db.session.commit()
    assert (fresh(idea).votes_up, fresh(idea).votes_down) == (0, 1)
    set_vote(user, idea, VoteValue.NONE)
    db.session.commit()
    assert (fresh(idea).votes_up, fresh(idea).votes_down) == (0, 0)
    assert current_vote(user, idea) is VoteValue.NONE
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0
    assert recount(fix=False) == []


def test_vote_updates_scores_and_group_count():
    group = make_group()
    idea = make_idea(group)
    for _ in range(3):
        set_vote(make_user(), idea, VoteValue.UP)
    set_vote(make_user(), idea, VoteValue.DOWN)
    db.session.commit()
    stored = fresh(idea)
    assert stored.score_top == pytest.approx(wilson_lower_bound(3, 1))
    assert db.session.get(ThematicGroup, group.id).votes_count == 4
    assert db.session.get(ThematicGroup, group.id).ideas_count == 1


@pytest.mark.parametrize(
    "status", [IdeaStatus.DECLINED, IdeaStatus.MERGED, IdeaStatus.WITHDRAWN, IdeaStatus.SUBMITTED]
)
def test_closed_ideas_take_no_votes(status):
    idea = make_idea(status=status)
    with pytest.raises(IdeaClosed):
        set_vote(make_user(), idea, VoteValue.UP)


def test_u30_votes_count_in_both_tallies():
    idea = make_idea()
    member = make_user(roles_={Role.U30})
    set_vote(member, idea, VoteValue.UP)
    set_vote(make_user(), idea, VoteValue.UP)
    db.session.commit()
    assert (fresh(idea).votes_up, fresh(idea).u30_votes_up) == (2, 1)
    set_vote(member, idea, VoteValue.NONE)
    db.session.commit()
    assert (fresh(idea).votes_up, fresh(idea).u30_votes_up) == (1, 0)
    assert recount(fix=False) == []


def test_assessment_averages_and_change():
    idea = make_idea()
    first, second = make_user(), make_user()
    set_assessment(first, idea, 5, 2)
    set_assessment(second, idea, 3, 4)
    db.session.commit()
    stored = fresh(idea)
    assert (stored.assessments_count, stored.benefit_average, stored.feasibility_average) == (
        2,
        4.0,
        3.0,
    )
    set_assessment(first, idea, 1, 1)
    db.session.commit()
    stored = fresh(idea)
    assert (stored.assessments_count, stored.benefit_sum, stored.feasibility_sum) == (2, 4, 5)
    with pytest.raises(DomainError):
        set_assessment(first, idea, 0, 6)
    assert recount(fix=False) == []


def test_recount_finds_and_fixes_a_broken_counter():
    idea = make_idea()
    set_vote(make_user(), idea, VoteValue.UP)
    db.session.commit()
    db.session.execute(db.update(Idea).where(Idea.id == idea.id).values(votes_up=7))
    db.session.commit()
    assert any("votes_up 7 ≠ 1" in line for line in recount(fix=False))
    recount(fix=True)
    db.session.commit()
    assert recount(fix=False) == []


def test_concurrent_votes_end_with_exact_counts(app):
    # On PostgreSQL the threads really overlap; SQLite serialises them with its write lock.
    idea = make_idea()
    voters = [make_user() for _ in range(40)]
    idea_id = idea.id
    voter_ids = [user.id for user in voters]
    errors = []
    barrier = threading.Barrier(len(voter_ids), timeout=60)

    def cast(user_id, value):
        with app.app_context():
            try:
                barrier.wait()  # before taking a pooled connection: the pool is smaller
                user = db.session.get(User, user_id)
                target = db.session.get(Idea, idea_id)
                set_vote(user, target, value)
                db.session.commit()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=cast, args=(uid, VoteValue.UP if n % 4 else VoteValue.DOWN))
        for n, uid in enumerate(voter_ids)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = fresh(idea)
    assert (stored.votes_up, stored.votes_down) == (30, 10)
    assert recount(fix=False) == []


@pytest.mark.parametrize("change", ["merged", "hidden"])
def test_a_vote_that_waited_for_the_lock_sees_the_idea_closed_meanwhile(change, app):
    # The request loaded the idea while it was open; another request closed it before this
    # one took the row lock. What is read under the lock decides.
    idea = make_idea()
    user = make_user()
    db.session.commit()
    stale = db.session.get(Idea, idea.id)
    with app.app_context():
        other = db.session.get(Idea, idea.id)
        if change == "merged":
            other.status = IdeaStatus.MERGED
        else:
            other.hidden_at = db.func.now()
        db.session.commit()
    assert stale.status is IdeaStatus.PUBLISHED and stale.hidden_at is None
    with pytest.raises(IdeaClosed):
        set_vote(user, stale, VoteValue.UP)
    with pytest.raises(IdeaClosed):
        set_assessment(user, stale, 4, 4)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0
