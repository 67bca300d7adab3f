"""Thematic groups: creation, renaming, order, archive, and their tandem leads."""

import re
import unicodedata

from flask_babel import gettext as _

from app.extensions import db
from app.models import GroupLead, TandemSide, ThematicGroup, User
from app.models.base import utcnow
from app.services import DomainError, list_cache

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(name: str) -> str:
    """A URL slug from a German name: "Bau, Energie" -> "bau-energie"."""
    text = unicodedata.normalize("NFKD", name.lower().translate(_UMLAUTS))
    text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].rstrip("-")


def ordered_groups(*, include_archived: bool = False) -> list[ThematicGroup]:
    query = db.select(ThematicGroup).order_by(ThematicGroup.position, ThematicGroup.id)
    if not include_archived:
        query = query.where(ThematicGroup.archived_at.is_(None))
    return list(db.session.scalars(query))


def find_by_slug(slug: str) -> ThematicGroup | None:
    return db.session.scalar(db.select(ThematicGroup).where(ThematicGroup.slug == slug))


def create_group(name: str, slug: str = "", description: str = "") -> ThematicGroup:
    """A new group at the end of the order; its slug is unique and stable."""
    slug = slug or slugify(name)
    if not SLUG_PATTERN.match(slug):
        raise DomainError(
            _("Die Kurzform darf nur Kleinbuchstaben, Ziffern und Bindestriche haben.")
        )
    if find_by_slug(slug) is not None:
        raise DomainError(_("Diese Kurzform ist bereits vergeben."))
    last = db.session.scalar(db.select(db.func.max(ThematicGroup.position))) or 0
    group = ThematicGroup(
        slug=slug, name=name.strip(), description=description.strip(), position=last + 1
    )
    db.session.add(group)
    db.session.flush()
    return group


def update_group(
    group: ThematicGroup, name: str, description: str, *, premoderation: bool | None = None
) -> None:
    """Rename a group (its slug, and so every link to it, stays); set pre-moderation."""
    group.name = name.strip()
    group.description = description.strip()
    if premoderation is not None:
        group.premoderation = premoderation
    list_cache.mark_changed(db.session, group.id)


def move_group(group: ThematicGroup, direction: int) -> bool:
    """Swap a group with its neighbour: -1 moves it up, +1 down; False when at the edge."""
    groups = ordered_groups(include_archived=True)
    index = groups.index(group)
    other = index + direction
    if not 0 <= other < len(groups):
        return False
    groups[index], groups[other] = groups[other], groups[index]
    for position, item in enumerate(groups, start=1):
        item.position = position
    return True


def set_archived(group: ThematicGroup, archived: bool) -> None:
    """Archived groups leave the public lists; their pages and content stay readable."""
    group.archived_at = utcnow() if archived else None
    list_cache.mark_changed(db.session, group.id)


def set_tandem_lead(group: ThematicGroup, side: TandemSide, user: User | None) -> None:
    """Put `user` on one side of the group's tandem (None leaves that side empty)."""
    current = db.session.get(GroupLead, (group.id, side))
    if current is not None and user is not None and current.user_id == user.id:
        return
    if user is not None:
        if not user.is_active or not user.is_confirmed:
            raise DomainError(_("Nur bestätigte Konten können eine Gruppe leiten."))
        other = next((lead for lead in group.leads if lead.user_id == user.id), None)
        if other is not None:
            raise DomainError(_("Diese Person leitet die Gruppe bereits für die andere Seite."))
    if current is not None:
        group.leads.remove(current)
        db.session.flush()
    if user is not None:
        group.leads.append(GroupLead(side=side, user=user))
    db.session.flush()
    db.session.expire(group, ["leads"])
    if user is not None:
        db.session.expire(user, ["lead_of"])


def add_lead(group: ThematicGroup, user: User) -> TandemSide:
    """Make `user` a lead on the tandem's first free side (the command line's --role lead)."""
    if user.id in {lead.user_id for lead in group.leads}:
        return next(lead.side for lead in group.leads if lead.user_id == user.id)
    taken = {lead.side for lead in group.leads}
    free = [side for side in TandemSide if side not in taken]
    if not free:
        raise DomainError(f"Die Gruppe {group.slug} hat bereits zwei Leitungen.")
    set_tandem_lead(group, free[0], user)
    return free[0]


class TandemError(DomainError):
    """Refused tandem leads; `errors` maps each refused side to its message."""

    def __init__(self, errors: dict[TandemSide, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def set_tandem(group: ThematicGroup, leads: dict[TandemSide, User | None]) -> None:
    """Set both sides of a tandem at once, so that its two leads may also swap sides.

    Raises TandemError naming every refused side; the caller rolls back.
    """
    current = {lead.side: lead.user_id for lead in group.leads}
    changed = {
        side: user
        for side, user in leads.items()
        if current.get(side) != (user.id if user is not None else None)
    }
    # Vacate first: otherwise a lead moving to the other side would still hold the old one.
    for side in changed:
        set_tandem_lead(group, side, None)
    errors = {}
    for side, user in changed.items():
        if user is None:
            continue
        try:
            set_tandem_lead(group, side, user)
        except DomainError as error:
            errors[side] = str(error)
    if errors:
        raise TandemError(errors)
