"""Official answers (Stellungnahmen) of a thematic group on its ideas.

Every save is a new version; the newest is shown on the idea page and the earlier ones stay
readable there, so that an edit never hides what the group said before.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditAction, Idea, OfficialAnswer, User
from app.permissions import can_moderate
from app.services import DomainError, audit, notifications
from app.services.curation import NotPermitted
from app.services.text import plain, render_markdown
from app.services.votes import lock_idea

ANSWER_MAX = 10_000
# Versions shown in an idea's answer history, the newest ones.
VERSIONS_SHOWN = 50


def post_answer(idea: Idea, *, actor: User, body: str) -> OfficialAnswer:
    """Write (or revise) the group's official answer; the earlier versions are kept."""
    if not can_moderate(actor, idea.group):
        raise NotPermitted(_("Nur das Tandem der Themengruppe antwortet offiziell."))
    body = plain(body)
    if not body:
        raise DomainError(_("Bitte schreiben Sie eine Stellungnahme."))
    if len(body) > ANSWER_MAX:
        raise DomainError(
            _("Die Stellungnahme darf höchstens %(max)d Zeichen lang sein.", max=ANSWER_MAX)
        )
    # Versions are numbered one after another under the idea's row lock.
    lock_idea(idea.id)
    current = latest(idea)
    if current is not None and current.body == body:
        return current  # unchanged (or sent twice): no new version, nobody told again
    answer = OfficialAnswer(
        idea_id=idea.id,
        version=(current.version if current is not None else 0) + 1,
        author_id=actor.id,
        body=body,
        body_html=render_markdown(body),
    )
    db.session.add(answer)
    db.session.flush()
    audit.record(
        AuditAction.ANSWER,
        group_id=idea.group_id,
        actor=actor,
        idea=idea,
        detail=f"version:{answer.version}",
    )
    notifications.official_answer_posted(idea, answer, actor)
    return answer


def latest(idea: Idea) -> OfficialAnswer | None:
    """The answer shown: the newest version, if the group has answered."""
    return db.session.scalar(
        select(OfficialAnswer)
        .where(OfficialAnswer.idea_id == idea.id)
        .order_by(OfficialAnswer.version.desc())
        .limit(1)
    )


def versions(idea: Idea) -> list[OfficialAnswer]:
    """Every version of the idea's answer, newest first (at most VERSIONS_SHOWN)."""
    return list(
        db.session.scalars(
            select(OfficialAnswer)
            .where(OfficialAnswer.idea_id == idea.id)
            .order_by(OfficialAnswer.version.desc())
            .limit(VERSIONS_SHOWN)
        )
    )


def version_count(idea: Idea) -> int:
    """How many versions the answer has (0: no answer yet)."""
    return db.session.scalar(
        select(func.count()).select_from(OfficialAnswer).where(OfficialAnswer.idea_id == idea.id)
    )
