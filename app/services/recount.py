"""Recompute every stored counter from the rows (`flask recount [--verify]`)."""

from sqlalchemy import case, func, select

from app.extensions import db
from app.models import Assessment, Comment, Idea, ThematicGroup, Vote
from app.services.ideas import LISTED_STATUSES
from app.services.ranking import trending_score, wilson_lower_bound

IDEA_COUNTERS = (
    "votes_up",
    "votes_down",
    "u30_votes_up",
    "u30_votes_down",
    "comments_count",
    "assessments_count",
    "benefit_sum",
    "feasibility_sum",
)


def _idea_truth(batch_ids: list[int]) -> dict[int, dict[str, int]]:
    votes = (
        select(
            Vote.idea_id,
            func.sum(case((Vote.value == 1, 1), else_=0)).label("votes_up"),
            func.sum(case((Vote.value == -1, 1), else_=0)).label("votes_down"),
            func.sum(case(((Vote.value == 1) & Vote.u30, 1), else_=0)).label("u30_votes_up"),
            func.sum(case(((Vote.value == -1) & Vote.u30, 1), else_=0)).label("u30_votes_down"),
        )
        .where(Vote.idea_id.in_(batch_ids))
        .group_by(Vote.idea_id)
    )
    assessments = (
        select(
            Assessment.idea_id,
            func.count().label("assessments_count"),
            func.sum(Assessment.benefit).label("benefit_sum"),
            func.sum(Assessment.feasibility).label("feasibility_sum"),
        )
        .where(Assessment.idea_id.in_(batch_ids))
        .group_by(Assessment.idea_id)
    )
    # Public comments only: deleted ones keep a placeholder, hidden ones are not counted.
    comments = (
        select(Comment.idea_id, func.count().label("comments_count"))
        .where(
            Comment.idea_id.in_(batch_ids),
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
        )
        .group_by(Comment.idea_id)
    )
    truth = {idea_id: dict.fromkeys(IDEA_COUNTERS, 0) for idea_id in batch_ids}
    for query in (votes, assessments, comments):
        for row in db.session.execute(query).mappings():
            truth[row["idea_id"]].update(
                {key: int(value or 0) for key, value in row.items() if key != "idea_id"}
            )
    return truth


def recount(*, fix: bool, batch_size: int = 2000) -> list[str]:
    """Compare (and with `fix`, correct) every counter; returns the differences found."""
    differences: list[str] = []
    last_id = 0
    while True:
        ideas = list(
            db.session.scalars(
                select(Idea).where(Idea.id > last_id).order_by(Idea.id).limit(batch_size)
            )
        )
        if not ideas:
            break
        last_id = ideas[-1].id
        truth = _idea_truth([idea.id for idea in ideas])
        for idea in ideas:
            for key, value in truth[idea.id].items():
                if getattr(idea, key) != value:
                    differences.append(f"Idee {idea.id}: {key} {getattr(idea, key)} ≠ {value}")
                    if fix:
                        setattr(idea, key, value)
            if fix:
                idea.score_top = wilson_lower_bound(idea.votes_up, idea.votes_down)
                idea.score_trending = trending_score(
                    idea.votes_up, idea.votes_down, idea.created_at
                )
        if fix:
            db.session.flush()
        db.session.expunge_all()

    listed = (Idea.status.in_(LISTED_STATUSES)) & Idea.hidden_at.is_(None)
    group_truth = {
        row.group_id: (int(row.ideas), int(row.votes or 0))
        for row in db.session.execute(
            select(
                Idea.group_id,
                func.count().label("ideas"),
                func.sum(Idea.votes_up + Idea.votes_down).label("votes"),
            )
            .where(listed)
            .group_by(Idea.group_id)
        )
    }
    for group in db.session.scalars(select(ThematicGroup)):
        ideas_count, votes_count = group_truth.get(group.id, (0, 0))
        for key, value in (("ideas_count", ideas_count), ("votes_count", votes_count)):
            if getattr(group, key) != value:
                differences.append(f"Gruppe {group.slug}: {key} {getattr(group, key)} ≠ {value}")
                if fix:
                    setattr(group, key, value)
    if fix:
        db.session.flush()
    return differences
