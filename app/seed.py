"""Default and demo content: Gütersloh's five thematic groups, demo accounts, site texts."""

from app.extensions import db
from app.models import Role, TandemSide
from app.services import accounts, groups, moderation, roles, settings

DEFAULT_GROUPS = [
    (
        "digitale-infrastruktur",
        "Digitale Infrastruktur",
        "Glasfaser, Mobilfunk, freies WLAN und digitale Ausstattung der Schulen: "
        "die Grundlagen, auf denen alles Digitale in der Stadt aufbaut.",
    ),
    (
        "verwaltung-politik",
        "Digitale Verwaltung/Politik",
        "Behördengänge online, digitale Verwaltungsprozesse, Open Data und mehr "
        "Transparenz und Beteiligung in Politik und Verwaltung.",
    ),
    (
        "wertschoepfung-innovation",
        "Wertschöpfung und Innovation",
        "Wirtschaftsförderung 2.0, Orte für Gründerinnen, Gründer und Kreative, "
        "Industrie 4.0 und digitale Berufsbildung.",
    ),
    (
        "bau-energie-mobilitaet",
        "Bau, Energie und Mobilität",
        "Intelligente Verkehrsplanung, Energie und Umwelt, Bauen und Wohnen in einer "
        "vernetzten Stadt.",
    ),
    (
        "soziales-gesundheit-pflege",
        "Soziales, Gesundheit, Pflege",
        "Digitale Angebote für Gesundheit und Pflege, Teilhabe für alle Generationen "
        "und ein Netz, das niemanden zurücklässt.",
    ),
]

DEMO_PASSWORD = "ideenwerk-demo"  # noqa: S105 (printed by `flask seed --demo`, dev only)

# (e-mail, display name, global roles, (group slug, tandem side) or None)
DEMO_USERS = [
    ("admin@ideenwerk.example", "Plattform-Team", {Role.ADMIN}, None),
    ("buergermeisterin@ideenwerk.example", "Bürgermeisterin Beate Sommer", {Role.BOARD}, None),
    ("cdo@ideenwerk.example", "Jonas Albers (CDO)", {Role.BOARD}, None),
    ("infrastruktur.verwaltung@ideenwerk.example", "Petra Lindemann", {Role.BOARD},
     ("digitale-infrastruktur", TandemSide.ADMINISTRATION)),
    ("infrastruktur.gesellschaft@ideenwerk.example", "Malte Kröger", {Role.BOARD},
     ("digitale-infrastruktur", TandemSide.CIVIC)),
    ("verwaltung.verwaltung@ideenwerk.example", "Dr. Sabine Hoffmann", {Role.BOARD},
     ("verwaltung-politik", TandemSide.ADMINISTRATION)),
    ("verwaltung.gesellschaft@ideenwerk.example", "Aylin Demir", {Role.BOARD},
     ("verwaltung-politik", TandemSide.CIVIC)),
    ("u30@ideenwerk.example", "Lea Brinkmann (U30-Beirat)", {Role.U30}, None),
    ("u30.kaya@ideenwerk.example", "Deniz Kaya (U30-Beirat)", {Role.U30}, None),
    ("buergerin@ideenwerk.example", "Maria Schulte", set(), None),
    ("buerger@ideenwerk.example", "Thomas Wegener", set(), None),
]  # fmt: skip


def seed_groups() -> int:
    """Create the default groups that do not exist yet; returns how many were created."""
    created = 0
    for slug, name, description in DEFAULT_GROUPS:
        if groups.find_by_slug(slug) is None:
            groups.create_group(name, slug, description)
            created += 1
    return created


def seed_site_texts() -> None:
    for key in settings.SITE_TEXTS:
        if settings.db.session.get(settings.SiteSetting, key) is None:
            settings.set_text(key, settings.default_text(key))


def seed_moderation_reasons() -> int:
    """The default reason templates for hiding content, when there are none yet."""
    return moderation.seed_default_templates()


def seed_demo_users() -> list[str]:
    """Demo accounts (all with DEMO_PASSWORD); returns the e-mail addresses created."""
    created = []
    for email, name, global_roles, lead in DEMO_USERS:
        user = accounts.find_by_email(email)
        if user is None:
            user = accounts.create_user(email, name, DEMO_PASSWORD, confirmed=True)
            created.append(email)
        roles.set_global_roles(user, user.global_roles | global_roles)
        if lead is not None:
            group = groups.find_by_slug(lead[0])
            if group.lead_on(lead[1]) is None:
                groups.set_tandem_lead(group, lead[1], user)
    db.session.flush()
    return created
