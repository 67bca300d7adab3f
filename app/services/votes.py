"""Votes and assessments. Counters on the idea change with SQL in the same transaction."""

import enum

from flask_babel import gettext as _
from sqlalchemy import update

from app.extensions import db
from app.models import Assessment, Idea, ThematicGroup, User, Vote
from app.models.base import utcnow
from app.permissions import is_u30_member
from app.services import DomainError, list_cache
from app.services.ideas import is_listed, is_open
from app.services.locks import lock_row
from app.services.ranking import trending_score, wilson_lower_bound


class VoteValue(enum.StrEnum):
    UP = "up"
    DOWN = "down"
    NONE = "none"


_NUMERIC = {VoteValue.UP: 1, VoteValue.DOWN: -1, VoteValue.NONE: 0}


class IdeaClosed(DomainError):
    """The idea no longer takes votes, assessments or comments."""


def lock_idea(idea_id: int) -> None:
    """Take the idea's row lock until commit, so that changes to one idea run one at a time."""
    lock_row(Idea, idea_id, Idea.votes_up)


def _lock_open(idea: Idea, closed_message: str | None = None) -> None:
    # Whether the idea is open is read again under its lock: a merge, decline or hide
    # committed since the request loaded it must win over the vote that waited for it.
    lock_idea(idea.id)
    db.session.refresh(idea, ["status", "hidden_at"])
    if not is_open(idea):
        raise IdeaClosed(
            closed_message or _("Diese Idee ist abgeschlossen; Abstimmen ist nicht mehr möglich.")
        )


def _ensure_open(idea: Idea) -> None:
    if not is_open(idea):
        raise IdeaClosed(_("Diese Idee ist abgeschlossen; Abstimmen ist nicht mehr möglich."))


def current_vote(user: User, idea: Idea) -> VoteValue:
    value = db.session.scalar(
        db.select(Vote.value).where(Vote.user_id == user.id, Vote.idea_id == idea.id)
    )
    return {1: VoteValue.UP, -1: VoteValue.DOWN}.get(value, VoteValue.NONE)


def set_vote(user: User, idea: Idea, value: VoteValue) -> None:
    """Cast, change or retract (NONE) the user's vote; counters stay exact under concurrency."""
    _ensure_open(idea)
    _lock_open(idea)
    vote = db.session.scalar(
        db.select(Vote).where(Vote.user_id == user.id, Vote.idea_id == idea.id)
    )
    old = vote.value if vote is not None else 0
    new = _NUMERIC[VoteValue(value)]
    if old == new:
        return
    u30 = vote.u30 if vote is not None else is_u30_member(user)
    now = utcnow()
    if vote is None:
        db.session.add(
            Vote(
                user_id=user.id, idea_id=idea.id, value=new, u30=u30, created_at=now, updated_at=now
            )
        )
    elif new == 0:
        db.session.delete(vote)
    else:
        vote.value = new
        vote.updated_at = now
    db.session.flush()

    d_up = (new == 1) - (old == 1)
    d_down = (new == -1) - (old == -1)
    values = {"votes_up": Idea.votes_up + d_up, "votes_down": Idea.votes_down + d_down}
    if u30:
        values["u30_votes_up"] = Idea.u30_votes_up + d_up
        values["u30_votes_down"] = Idea.u30_votes_down + d_down
    up, down, created_at = db.session.execute(
        update(Idea)
        .where(Idea.id == idea.id)
        .values(**values)
        .returning(Idea.votes_up, Idea.votes_down, Idea.created_at)
    ).one()
    # Still under the row lock: the scores are computed from the counts just written.
    db.session.execute(
        update(Idea)
        .where(Idea.id == idea.id)
        .values(
            score_top=wilson_lower_bound(up, down),
            score_trending=trending_score(up, down, created_at),
        )
    )
    list_cache.mark_idea_changed(db.session, idea)
    if is_listed(idea):
        db.session.execute(
            update(ThematicGroup)
            .where(ThematicGroup.id == idea.group_id)
            .values(votes_count=ThematicGroup.votes_count + d_up + d_down)
        )
    db.session.expire(idea)


def set_assessment(user: User, idea: Idea, benefit: int, feasibility: int) -> None:
    """Rate (or re-rate) an idea's benefit and feasibility, 1 to 5 each."""
    if not is_open(idea):
        raise IdeaClosed(_("Diese Idee ist abgeschlossen; Einschätzungen sind nicht mehr möglich."))
    if not (1 <= benefit <= 5 and 1 <= feasibility <= 5):
        raise DomainError(_("Bitte wählen Sie Werte von 1 bis 5."))
    _lock_open(idea, _("Diese Idee ist abgeschlossen; Einschätzungen sind nicht mehr möglich."))
    assessment = db.session.scalar(
        db.select(Assessment).where(Assessment.user_id == user.id, Assessment.idea_id == idea.id)
    )
    if assessment is None:
        u30 = is_u30_member(user)
        db.session.add(
            Assessment(
                user_id=user.id, idea_id=idea.id, benefit=benefit, feasibility=feasibility, u30=u30
            )
        )
        values = {
            "assessments_count": Idea.assessments_count + 1,
            "benefit_sum": Idea.benefit_sum + benefit,
            "feasibility_sum": Idea.feasibility_sum + feasibility,
        }
    else:
        values = {
            "benefit_sum": Idea.benefit_sum + (benefit - assessment.benefit),
            "feasibility_sum": Idea.feasibility_sum + (feasibility - assessment.feasibility),
        }
        assessment.benefit = benefit
        assessment.feasibility = feasibility
        assessment.updated_at = utcnow()
    db.session.flush()
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(**values))
    list_cache.mark_idea_changed(db.session, idea)
    db.session.expire(idea)


def current_assessment(user: User, idea: Idea) -> Assessment | None:
    return db.session.scalar(
        db.select(Assessment).where(Assessment.user_id == user.id, Assessment.idea_id == idea.id)
    )
