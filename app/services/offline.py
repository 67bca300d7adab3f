"""Ideas from offline events (Digitales Forum, workshops, competitions), entered by a lead."""

from flask_babel import gettext as _

from app.extensions import db
from app.models import AuditAction, Idea, IdeaOrigin, ThematicGroup, User
from app.models.base import utcnow
from app.services import DomainError, audit, ideas
from app.services.forwarding import lock_group

# The origins a lead may enter; online ideas come through the citizens' form.
OFFLINE_ORIGINS = (IdeaOrigin.FORUM, IdeaOrigin.WORKSHOP, IdeaOrigin.COMPETITION)
EVENT_MAX = 140  # Idea.origin_event
PARTICIPANT_MAX = 60  # Idea.participant_name


def record_offline_idea(
    group: ThematicGroup,
    actor: User,
    title: str,
    body: str,
    *,
    origin: IdeaOrigin,
    event: str,
    participant_name: str | None = None,
) -> Idea:
    """An idea a participant gave at an event, entered by a lead and published at once.

    It has no author account: it names the participant (or nobody), and its first timeline
    entry names the lead who entered it. The same idea sent twice within a minute (a double
    click) is stored once.
    """
    if origin not in OFFLINE_ORIGINS:
        raise DomainError(_("Bitte wählen Sie, woher die Idee stammt."))
    event = (event or "").strip()
    if not event:
        raise DomainError(_("Bitte geben Sie die Veranstaltung an."))
    if len(event) > EVENT_MAX:
        raise DomainError(
            _("Die Veranstaltung darf höchstens %(max)d Zeichen lang sein.", max=EVENT_MAX)
        )
    participant = (participant_name or "").strip() or None
    if participant is not None and len(participant) > PARTICIPANT_MAX:
        raise DomainError(
            _("Der Name darf höchstens %(max)d Zeichen lang sein.", max=PARTICIPANT_MAX)
        )
    # Two submissions of one double click run in turn, so the second finds the first.
    lock_group(group.id)
    earlier = db.session.scalars(
        db.select(Idea).where(
            Idea.group_id == group.id,
            Idea.author_id.is_(None),
            Idea.title == title.strip(),
            Idea.origin == origin,
            Idea.origin_event == event,
            Idea.created_at >= utcnow() - ideas.DUPLICATE_WINDOW,
        )
    )
    for idea in earlier:
        if idea.body == body and idea.participant_name == participant:
            return idea
    idea = ideas.create_idea(
        group,
        None,
        title,
        body,
        origin=origin,
        origin_event=event,
        participant_name=participant,
        actor=actor,
    )
    audit.record(
        AuditAction.OFFLINE_IDEA,
        group_id=group.id,
        actor=actor,
        idea=idea,
        detail=f"origin:{origin.value}",
    )
    return idea
