"""The lifecycle of DESIGN.md, pair by pair: every from × to of all statuses.

The expected pairs are written out here, from DESIGN.md's diagram, instead of being read
from the table under test (ideas.TRANSITIONS), so that a change of the table shows up.
"""

import itertools

import pytest

from app.extensions import db
from app.models import AuditAction, AuditEntry, IdeaStatus, StatusEvent
from app.permissions import can_transition
from app.services import DomainError, curation, ideas
from app.services.curation import CurationRefused, ReasonRequired
from app.services.ideas import TransitionRefused
from app.services.recount import recount
from tests.factories import make_idea

S = IdeaStatus

ALLOWED = {
    (S.SUBMITTED, S.PUBLISHED),
    (S.SUBMITTED, S.REJECTED),
    (S.PUBLISHED, S.IN_REVIEW),
    (S.PUBLISHED, S.MERGED),
    (S.PUBLISHED, S.WITHDRAWN),
    (S.PUBLISHED, S.DECLINED),
    (S.IN_REVIEW, S.FORWARDED),
    (S.IN_REVIEW, S.MERGED),
    (S.IN_REVIEW, S.DECLINED),
    (S.FORWARDED, S.PRIORITISED),
    (S.FORWARDED, S.DECLINED),
    (S.FORWARDED, S.IN_REVIEW),  # returned to the group
    (S.PRIORITISED, S.IMPLEMENTED),
    (S.PRIORITISED, S.IN_REVIEW),  # returned to the group
}
# The tandem curates up to forwarding and may take a forwarded idea back; the board decides.
LEAD = {
    (S.SUBMITTED, S.PUBLISHED),
    (S.SUBMITTED, S.REJECTED),
    (S.PUBLISHED, S.IN_REVIEW),
    (S.PUBLISHED, S.DECLINED),
    (S.PUBLISHED, S.MERGED),
    (S.IN_REVIEW, S.FORWARDED),
    (S.IN_REVIEW, S.DECLINED),
    (S.IN_REVIEW, S.MERGED),
    (S.FORWARDED, S.IN_REVIEW),
}
BOARD = {
    (S.FORWARDED, S.PRIORITISED),
    (S.FORWARDED, S.DECLINED),
    (S.FORWARDED, S.IN_REVIEW),
    (S.PRIORITISED, S.IMPLEMENTED),
    (S.PRIORITISED, S.IN_REVIEW),
}
REASON = {S.DECLINED, S.REJECTED, S.MERGED}
PAIRS = list(itertools.product(IdeaStatus, IdeaStatus))
PAIR_IDS = [f"{start.value}>{to.value}" for start, to in PAIRS]


def timeline_length(idea) -> int:
    return db.session.scalar(
        db.select(db.func.count()).select_from(StatusEvent).where(StatusEvent.idea_id == idea.id)
    )


def audit_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))


def test_the_table_is_the_lifecycle():
    table = {(start, to) for start, targets in ideas.TRANSITIONS.items() for to in targets}
    assert table == ALLOWED
    assert set(ideas.TRANSITIONS) == set(IdeaStatus)
    assert ideas.REASON_REQUIRED == REASON


@pytest.mark.parametrize(("start", "to"), PAIRS, ids=PAIR_IDS)
def test_every_pair_through_transition(people, start, to):
    idea = make_idea(people["alpha"], status=start)
    before = timeline_length(idea)
    if (start, to) in ALLOWED:
        ideas.transition(idea, to, actor=people["admin"], note="Begründung")
        db.session.commit()
        db.session.expire_all()
        assert idea.status is to
        assert timeline_length(idea) == before + 1
        event = ideas.timeline(idea)[-1]
        assert (event.from_status, event.to_status, event.note) == (start, to, "Begründung")
        assert event.actor_id == people["admin"].id
        assert recount(fix=False) == []
    else:
        with pytest.raises(TransitionRefused):
            ideas.transition(idea, to, actor=people["admin"], note="Begründung")
        db.session.rollback()
        assert idea.status is start
        assert timeline_length(idea) == before


@pytest.mark.parametrize(("start", "to"), PAIRS, ids=PAIR_IDS)
def test_every_pair_through_the_moderation_page(people, start, to):
    """The page's generic entry point: what the table allows, save the steps with own forms."""
    idea = make_idea(people["alpha"], status=start)
    before = timeline_length(idea)
    if (start, to) in ALLOWED and curation.own_form(start, to) is None:
        event = curation.change_status(idea, to, actor=people["admin"], note="Begründung")
        db.session.commit()
        assert (event.from_status, event.to_status) == (start, to)
        assert timeline_length(idea) == before + 1
        [entry] = db.session.scalars(db.select(AuditEntry)).all()
        assert (entry.action, entry.detail) == (AuditAction.STATUS, f"{start.value}>{to.value}")
        assert recount(fix=False) == []
    else:
        expected = CurationRefused if (start, to) in ALLOWED else TransitionRefused
        with pytest.raises(expected) as refused:
            curation.change_status(idea, to, actor=people["admin"], note="Begründung")
        if expected is TransitionRefused:
            # A clear German message with the statuses' names.
            assert str(ideas.STATUS_LABELS[start]) in str(refused.value)
        db.session.rollback()
        assert timeline_length(idea) == before
        assert audit_count() == 0


@pytest.mark.parametrize(("start", "to"), sorted(p for p in ALLOWED if p[1] in REASON))
def test_reason_is_required(people, start, to):
    idea = make_idea(people["alpha"], status=start)
    before = timeline_length(idea)
    with pytest.raises(DomainError):
        ideas.transition(idea, to, actor=people["admin"], note="  ")
    db.session.rollback()
    if curation.own_form(start, to) is None:
        with pytest.raises(ReasonRequired):
            curation.change_status(idea, to, actor=people["admin"], note="")
    db.session.rollback()
    db.session.expire_all()
    assert idea.status is start
    assert timeline_length(idea) == before


@pytest.mark.parametrize(("start", "to"), PAIRS, ids=PAIR_IDS)
def test_who_may_make_each_change(people, start, to):
    idea = make_idea(people["alpha"], status=start)
    expected = {
        "lead": (start, to) in LEAD,
        "other_lead": False,
        "board": (start, to) in BOARD,
        "admin": True,
        "citizen": False,
        "u30": False,
        "unconfirmed": False,
    }
    assert {role: can_transition(people[role], idea, to) for role in expected} == expected


# Merging and forwarding have their own forms (and tests: test_curation.py, forwarding's).
@pytest.mark.parametrize(("start", "to"), sorted(p for p in LEAD if curation.own_form(*p) is None))
def test_a_lead_of_another_group_is_refused(people, start, to):
    idea = make_idea(people["alpha"], status=start)
    with pytest.raises(curation.NotPermitted):
        curation.change_status(idea, to, actor=people["other_lead"], note="Grund")
    curation.change_status(idea, to, actor=people["lead"], note="Grund")
    db.session.commit()
    assert idea.status is to
