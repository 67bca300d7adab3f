"""Demo content: a realistic showcase (`flask seed --demo`) and bulk data for benchmarks
(`flask seed --demo --ideas N --votes M --comments K`).

Both write their rows directly instead of going through the services: this is history
that never happened, so nobody is notified or mailed, and bulk data needs set-based
inserts (COPY on PostgreSQL). The showcase's counters are then computed from its rows with
set-based SQL; bulk counters are added up while the rows are generated (see seed_bulk).
Either way `flask recount --verify` finds them exact, and the scores follow the counters.
"""

import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape

from psycopg import sql
from sqlalchemy import Table, bindparam, case, func, insert, select, text, update

from app.extensions import db
from app.models import (
    Assessment,
    Comment,
    Follow,
    Forwarding,
    Idea,
    IdeaOrigin,
    IdeaStatus,
    Role,
    StatusEvent,
    ThematicGroup,
    User,
    UserRole,
    Vote,
)
from app.models.base import utcnow
from app.seed import DEMO_PASSWORD, DEMO_USERS
from app.services import accounts, groups
from app.services.ideas import LISTED_STATUSES, PUBLIC_STATUSES
from app.services.ranking import trending_score, wilson_lower_bound
from app.services.text import render_markdown

S = IdeaStatus
BATCH = 5_000

# The statuses an idea passed through to reach its status, as the state machine allows.
PATHS: dict[IdeaStatus, tuple[IdeaStatus, ...]] = {
    S.PUBLISHED: (S.PUBLISHED,),
    S.IN_REVIEW: (S.PUBLISHED, S.IN_REVIEW),
    S.FORWARDED: (S.PUBLISHED, S.IN_REVIEW, S.FORWARDED),
    S.PRIORITISED: (S.PUBLISHED, S.IN_REVIEW, S.FORWARDED, S.PRIORITISED),
    S.IMPLEMENTED: (S.PUBLISHED, S.IN_REVIEW, S.FORWARDED, S.PRIORITISED, S.IMPLEMENTED),
    S.DECLINED: (S.PUBLISHED, S.IN_REVIEW, S.DECLINED),
    S.MERGED: (S.PUBLISHED, S.MERGED),
    S.WITHDRAWN: (S.PUBLISHED, S.WITHDRAWN),
    S.SUBMITTED: (S.SUBMITTED,),
    S.REJECTED: (S.SUBMITTED, S.REJECTED),
}
EVENT_NOTES = {
    S.IN_REVIEW: "Die Themengruppe hat die Idee in ihrer Sitzung aufgegriffen und prüft sie.",
    S.FORWARDED: "Vom Tandem an das Lenkungsgremium weitergeleitet.",
    S.PRIORITISED: "Vom Lenkungsgremium priorisiert; der Rat berät im nächsten Quartal.",
    S.IMPLEMENTED: "Umgesetzt. Vielen Dank an alle, die mitgewirkt haben!",
    S.DECLINED: "Das Lenkungsgremium hat sich nach Prüfung der Kosten dagegen entschieden.",
    S.MERGED: "Mit einer gleichartigen Idee zusammengeführt: eine Diskussion an einem Ort.",
    S.WITHDRAWN: "Von der Autorin oder dem Autor zurückgezogen.",
    S.REJECTED: "Entspricht nicht den Beteiligungsregeln.",
}
HIDDEN_REASON = "Verstößt gegen die Diskussionsregeln."


def _bulk_insert(table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert many rows: COPY on PostgreSQL, executemany in batches elsewhere."""
    count = 0
    connection = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        cursor = connection.connection.driver_connection.cursor()
        with cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch: list[dict] = []
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) >= BATCH:
            connection.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)
        count += len(batch)
    return count


def _max_id(table: Table) -> int:
    return db.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0


def _ids_after(table: Table, after: int) -> list[int]:
    # The rows just inserted by this one process, in the order they were written.
    query = select(table.c.id).where(table.c.id > after).order_by(table.c.id)
    return list(db.session.scalars(query))


def _paragraphs_html(paragraphs: Sequence[str]) -> str:
    # What render_markdown makes of plain paragraphs (tested), without its cost per row.
    return "\n".join(f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in paragraphs) + "\n"


# ---------------------------------------------------------------- counters


def update_counters(first_id: int, last_id: int, *, progress: Callable[[str], None] = print):
    """Compute the stored counters and scores of ideas first_id..last_id from their rows,
    then every group's numbers. Set-based SQL; the scores in Python, in batches."""
    idea = Idea.__table__
    in_range = idea.c.id.between(first_id, last_id)
    votes = (
        select(
            Vote.idea_id,
            func.sum(case((Vote.value == 1, 1), else_=0)).label("up"),
            func.sum(case((Vote.value == -1, 1), else_=0)).label("down"),
            func.sum(case(((Vote.value == 1) & Vote.u30, 1), else_=0)).label("u30_up"),
            func.sum(case(((Vote.value == -1) & Vote.u30, 1), else_=0)).label("u30_down"),
        )
        .where(Vote.idea_id.between(first_id, last_id))
        .group_by(Vote.idea_id)
        .subquery()
    )
    db.session.execute(
        update(idea)
        .where(idea.c.id == votes.c.idea_id)
        .values(
            votes_up=votes.c.up,
            votes_down=votes.c.down,
            u30_votes_up=votes.c.u30_up,
            u30_votes_down=votes.c.u30_down,
        )
    )
    assessments = (
        select(
            Assessment.idea_id,
            func.count().label("n"),
            func.sum(Assessment.benefit).label("benefit"),
            func.sum(Assessment.feasibility).label("feasibility"),
        )
        .where(Assessment.idea_id.between(first_id, last_id))
        .group_by(Assessment.idea_id)
        .subquery()
    )
    db.session.execute(
        update(idea)
        .where(idea.c.id == assessments.c.idea_id)
        .values(
            assessments_count=assessments.c.n,
            benefit_sum=assessments.c.benefit,
            feasibility_sum=assessments.c.feasibility,
        )
    )
    # Deleted and hidden comments are not counted (as services.comments and recount do).
    visible = Comment.deleted_at.is_(None) & Comment.hidden_at.is_(None)
    comments = (
        select(Comment.idea_id, func.count().label("n"))
        .where(Comment.idea_id.between(first_id, last_id), visible)
        .group_by(Comment.idea_id)
        .subquery()
    )
    db.session.execute(
        update(idea).where(idea.c.id == comments.c.idea_id).values(comments_count=comments.c.n)
    )
    comment = Comment.__table__
    replies = (
        select(Comment.parent_id, func.count().label("n"))
        .where(Comment.idea_id.between(first_id, last_id), Comment.parent_id.is_not(None), visible)
        .group_by(Comment.parent_id)
        .subquery()
    )
    db.session.execute(
        update(comment).where(comment.c.id == replies.c.parent_id).values(replies_count=replies.c.n)
    )
    progress("  Zähler berechnet")

    scores = (
        update(idea)
        .where(idea.c.id == bindparam("b_id"))
        .values(score_top=bindparam("b_top"), score_trending=bindparam("b_trending"))
    )
    last = first_id - 1
    while True:
        rows = db.session.execute(
            select(idea.c.id, idea.c.votes_up, idea.c.votes_down, idea.c.created_at)
            .where(idea.c.id > last, in_range)
            .order_by(idea.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        db.session.connection().execute(
            scores,
            [
                {
                    "b_id": row.id,
                    "b_top": wilson_lower_bound(row.votes_up, row.votes_down),
                    "b_trending": trending_score(row.votes_up, row.votes_down, row.created_at),
                }
                for row in rows
            ],
        )
    progress("  Ranglisten-Werte berechnet")
    update_group_counters()


def update_group_counters() -> None:
    """Every group's public numbers from its listed, visible ideas."""
    idea = Idea.__table__
    listed = idea.c.status.in_([status.value for status in LISTED_STATUSES])
    listed &= idea.c.hidden_at.is_(None)
    group = ThematicGroup.__table__
    ideas = select(func.count()).where(idea.c.group_id == group.c.id, listed).scalar_subquery()
    votes = (
        select(func.coalesce(func.sum(idea.c.votes_up + idea.c.votes_down), 0))
        .where(idea.c.group_id == group.c.id, listed)
        .scalar_subquery()
    )
    db.session.execute(update(group).values(ideas_count=ideas, votes_count=votes))


def analyze() -> None:
    """Fresh planner statistics after a bulk load."""
    db.session.execute(text("ANALYZE"))


# ---------------------------------------------------------------- text material

PLACES = [
    "in der Innenstadt", "am Bahnhof", "am Berliner Platz", "im Rathaus", "in der Stadtbibliothek",
    "auf dem Wochenmarkt", "im Stadtpark", "im Gewerbegebiet Nord", "an allen Grundschulen",
    "am Berufskolleg", "in Avenwedde", "in Friedrichsdorf", "in Isselhorst", "in Spexard",
    "in Kattenstroth", "in Blankenhagen", "in Pavenstädt", "in Sundern", "in Niehorst",
    "in Ebbesloh", "im Jugendzentrum", "in den Seniorenheimen", "am Theater", "im Freibad",
    "an der Dalke", "am Kreishaus", "in der Fußgängerzone", "an den Bushaltestellen",
]  # fmt: skip
AUDIENCES = [
    "Seniorinnen und Senioren", "Schülerinnen und Schüler", "Pendlerinnen und Pendler",
    "Familien mit Kindern", "Vereine", "Menschen mit Behinderung", "Auszubildende",
    "kleine Betriebe", "Studierende", "Neubürgerinnen und Neubürger", "Pflegende Angehörige",
]  # fmt: skip
# Per group (in the order of seed.DEFAULT_GROUPS): what ideas there are about.
MEASURES = {
    "digitale-infrastruktur": [
        "Freies WLAN",
        "Glasfaseranschluss",
        "Besserer Mobilfunkempfang",
        "Schul-Tablets",
        "Digitale Tafeln",
        "LoRaWAN-Sensornetz",
        "Digitale Infostelen",
        "Glasfaser bis ins Haus",
        "Öffentliche Ladestationen für Handys",
        "WLAN im Stadtbus",
        "Leihgeräte für Schulkinder",
    ],
    "verwaltung-politik": [
        "Online-Bürgeramt",
        "Digitale Terminvergabe",
        "Open-Data-Portal",
        "Ratsinformationssystem mit Livestream",
        "Elektronische Akte",
        "Stadt-App",
        "Digitaler Bauantrag",
        "Bürgerhaushalt online",
        "Chatbot für Bürgerfragen",
        "Mängelmelder",
        "Digitale Sprechstunde der Bürgermeisterin",
    ],
    "wertschoepfung-innovation": [
        "Coworking-Space",
        "Gründerzentrum",
        "Digitaler Marktplatz für den Einzelhandel",
        "Makerspace",
        "Hackathon",
        "Weiterbildung Industrie 4.0",
        "Lieferdienst lokaler Händler",
        "Innovationslabor mit der FH Bielefeld",
        "Digitale Berufsorientierung",
        "Schaufenster-Onlineshop",
        "Start-up-Stammtisch",
    ],
    "bau-energie-mobilitaet": [
        "Smart Parking",
        "Sicherer Radweg",
        "Fahrradparkhaus",
        "Sensoren für Luftqualität",
        "Intelligente Straßenbeleuchtung",
        "Ladesäulen für E-Autos",
        "Echtzeit-Fahrplananzeige",
        "Carsharing",
        "Smart Meter",
        "Digitale Baustelleninfo",
        "Bike-Sharing",
        "Hochwasser-Frühwarnsystem",
    ],
    "soziales-gesundheit-pflege": [
        "Telemedizin",
        "Digitale Nachbarschaftshilfe",
        "Smartphone-Kurse für Ältere",
        "Pflegeplattform",
        "Notfall-App",
        "Barrierefreie Stadtkarte",
        "Online-Sprechstunde",
        "Digitale Patientenakte",
        "Quartiers-App",
        "Digitaler Besuchsdienst",
        "Ehrenamtsbörse online",
    ],
}
TITLE_FORMS = [
    "{m} {p}", "{m} für {a}", "{P}: {m}", "{m} {p} einführen", "Pilotprojekt {m} {p}",
    "{m} – auch für {a}", "Mehr {m} {p}", "{m} {p} ausbauen",
]  # fmt: skip
PROBLEMS = [
    "{P} gibt es bisher kein gutes Angebot, und viele ärgern sich darüber.",
    "Wer {p} unterwegs ist, merkt schnell, dass Gütersloh hier digital noch Nachholbedarf hat.",
    "In Gesprächen mit Nachbarinnen und Nachbarn kommt das Thema immer wieder auf.",
    "Andere Städte in Ostwestfalen-Lippe sind hier schon deutlich weiter.",
    "Seit Jahren wird darüber gesprochen, passiert ist bisher wenig.",
    "Beim letzten Digitalen Forum war das eines der meistgenannten Themen.",
    "Gerade {a} fehlt ein einfacher Zugang.",
]
PROPOSALS = [
    "Ich schlage vor: {m} {p}.",
    "Die Stadt sollte das Projekt „{m}“ {p} gemeinsam mit den Stadtwerken angehen.",
    "Mein Vorschlag ist ein Pilotprojekt „{m}“ {p}, das nach einem Jahr ausgewertet wird.",
    "Ein erster Schritt wäre, „{m}“ {p} für sechs Monate zu testen.",
    "Wir brauchen {p} dringend „{m}“, und zwar so einfach wie möglich.",
]
BENEFITS = [
    "Davon profitieren {a}, aber auch alle anderen, die {p} unterwegs sind.",
    "Das spart Zeit, Wege und Papier.",
    "So wird Gütersloh für junge Menschen und Familien attraktiver.",
    "Die Daten sollten als Open Data veröffentlicht werden, damit alle etwas davon haben.",
    "Wichtig ist, dass das Angebot barrierefrei ist und ohne Registrierung funktioniert.",
    "Das stärkt den Zusammenhalt im Quartier.",
]
DETAILS = [
    "Partner könnten die Stadtwerke, das CfADS der FH Bielefeld oder lokale Unternehmen sein.",
    "Fördermittel gibt es zum Beispiel über das Programm „Digitale Modellregion OWL“.",
    "Die Kosten ließen sich teilweise über Sponsoring durch lokale Betriebe decken.",
    "Der Datenschutz muss dabei von Anfang an mitgedacht werden.",
    "Die Umsetzung könnte in einem Ortsteil beginnen und dann auf die ganze Stadt wachsen.",
    "Der U30-Beirat sollte bei der Gestaltung mitreden.",
]
COMMENTS = [
    "Gute Idee, das würde ich sofort nutzen.",
    "Wer soll das bezahlen? Die Stadtkasse ist doch jetzt schon knapp.",
    "Gibt es dazu schon Erfahrungen aus anderen Städten?",
    "Bitte den Datenschutz nicht vergessen!",
    "{P} wäre das besonders wichtig.",
    "Unterstütze ich voll und ganz.",
    "Das sollte man mit den Stadtwerken zusammen angehen.",
    "Ich bin skeptisch, ob das wirklich genutzt wird.",
    "Endlich spricht das mal jemand an.",
    "Für {a} wäre das eine echte Erleichterung.",
    "Könnte man das nicht mit einem bestehenden Angebot verbinden?",
    "Wir haben das im Verein schon ausprobiert, es funktioniert gut.",
    "Wichtig wäre, dass es auch ohne Smartphone geht.",
    "Wie sieht der Zeitplan aus?",
]
REPLIES = [
    "Sehe ich genauso.",
    "Da muss ich widersprechen: Der Nutzen ist größer als die Kosten.",
    "In Bielefeld gibt es so etwas schon, dort klappt es gut.",
    "Gute Frage, das würde mich auch interessieren.",
    "Danke für den Hinweis!",
    "Das lässt sich bestimmt lösen.",
]
FIRST_NAMES = [
    "Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hannes", "Ida", "Jan", "Katja",
    "Lukas", "Mia", "Noah", "Olga", "Paul", "Rosa", "Samir", "Tina", "Uwe", "Vera", "Wolfgang",
    "Yasemin", "Zoe", "Heike", "Jürgen", "Sabine", "Mehmet", "Lena", "Tobias", "Ayşe", "Klaus",
]  # fmt: skip
LAST_NAMES = [
    "Schulte", "Meier", "Brinkmann", "Wegener", "Kröger", "Hoffmann", "Demir", "Lindemann",
    "Albers", "Sommer", "Becker", "Fischer", "Yılmaz", "Kowalski", "Schröder", "Neumann",
    "Hagemeier", "Strothmann", "Pöppelmann", "Kaya", "Wiesbrock", "Heitmann", "Nolte", "Beckmann",
]  # fmt: skip


def _fill(template: str, measure: str, place: str, audience: str) -> str:
    return template.format(m=measure, p=place, P=place[0].upper() + place[1:], a=audience)


def _draft(rng: random.Random, slug: str) -> tuple[str, list[str]]:
    """A varied idea: a title (≤ 140 characters) and two or three paragraphs."""
    measure = rng.choice(MEASURES.get(slug) or MEASURES["digitale-infrastruktur"])
    place, audience = rng.choice(PLACES), rng.choice(AUDIENCES)

    def fill(template: str) -> str:
        return _fill(template, measure, place, audience)

    title = fill(rng.choice(TITLE_FORMS))[:140]
    paragraphs = [
        fill(rng.choice(PROBLEMS)) + " " + fill(rng.choice(PROPOSALS)),
        " ".join(fill(sentence) for sentence in rng.sample(BENEFITS, 2)),
    ]
    if rng.random() < 0.6:
        paragraphs.append(" ".join(fill(sentence) for sentence in rng.sample(DETAILS, 2)))
    return title, paragraphs


# ---------------------------------------------------------------- bulk data


@dataclass
class BulkResult:
    users: int = 0
    ideas: int = 0
    votes: int = 0
    assessments: int = 0
    comments: int = 0
    events: int = 0
    forwardings: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


# Each run numbers its accounts after the highest user id before it: addresses stay unique.
BULK_EMAIL = "bulk{run}-{n}@demo.ideenwerk.example"
BULK_EMAIL_PATTERN = "bulk%@demo.ideenwerk.example"
# Shares of the statuses of bulk ideas (the rest is published); about one in 200 is hidden.
# 2 % reach the steering board: 2 000 of 100 000 ideas, the board table's scale (issue 5).
STATUS_SHARES = [
    (S.IN_REVIEW, 0.10), (S.FORWARDED, 0.008), (S.PRIORITISED, 0.006), (S.IMPLEMENTED, 0.006),
    (S.DECLINED, 0.04), (S.MERGED, 0.01), (S.WITHDRAWN, 0.01), (S.SUBMITTED, 0.01),
    (S.REJECTED, 0.005),
]  # fmt: skip
ORIGIN_SHARES = [
    (IdeaOrigin.FORUM, 0.06),
    (IdeaOrigin.WORKSHOP, 0.04),
    (IdeaOrigin.COMPETITION, 0.02),
]
HIDDEN_SHARE = 0.005
U30_EVERY = 30  # every 30th bulk account is a U30 member
SPAN = timedelta(days=4 * 365)  # bulk ideas were written over the last four years


def _pick(rng: random.Random, shares, default):
    roll = rng.random()
    for value, share in shares:
        if roll < share:
            return value
        roll -= share
    return default


def spread(total: int, weights: Sequence[float], cap: int, rng: random.Random) -> list[int]:
    """Integer counts proportional to `weights`, each at most `cap`, summing to `total`."""
    if total > cap * len(weights):
        raise ValueError("total exceeds the capacity")
    weight_sum = sum(weights) or 1.0
    counts = [min(cap, int(total * weight / weight_sum)) for weight in weights]
    missing = total - sum(counts)
    open_slots = [index for index, count in enumerate(counts) if count < cap]
    while missing > 0:
        # What is left over goes to random ideas that can still take one more.
        index = rng.randrange(len(open_slots))
        slot = open_slots[index]
        counts[slot] += 1
        missing -= 1
        if counts[slot] >= cap:
            open_slots[index] = open_slots[-1]
            open_slots.pop()
    return counts


def _reserve_ids(table: Table, count: int) -> list[int]:
    """`count` new primary keys for rows this process is about to insert."""
    if not count:
        return []
    if db.engine.dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        query = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return sorted(db.session.scalars(query))
    # SQLite: this transaction has written already (the accounts), so it holds the write
    # lock and no other connection can take these numbers.
    first = _max_id(table) + 1
    return list(range(first, first + count))


@dataclass
class _Tally:
    """An idea's counters, added up while its rows are generated."""

    votes_up: int = 0
    votes_down: int = 0
    u30_votes_up: int = 0
    u30_votes_down: int = 0
    comments_count: int = 0
    assessments_count: int = 0
    benefit_sum: int = 0
    feasibility_sum: int = 0


def seed_bulk(
    ideas: int,
    votes: int,
    comments: int,
    *,
    seed: int | None = None,
    progress: Callable[[str], None] = print,
) -> BulkResult:
    """Add `ideas` ideas, `votes` votes and `comments` comments by bulk demo accounts.

    All rows are generated first and the ideas' counters and scores added up from them,
    so every row is written once: an UPDATE of 100 000 ideas afterwards would leave a
    dead copy of each row behind on PostgreSQL and slow every later scan. The group
    numbers are then computed with SQL. Each run adds more.
    """
    result = BulkResult()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[name] = round(now - clock, 2)
        progress(f"  {name}: {now - clock:.1f} s")
        clock = now

    group_rows = [(group.id, group.slug) for group in groups.ordered_groups(include_archived=False)]
    if not group_rows:
        raise ValueError("Es gibt keine Themengruppe; bitte zuerst `flask seed` ausführen.")
    # Not for secrets: varied demo data, different on each run unless `seed` is given.
    rng = random.Random(seed if seed is not None else _max_id(Idea.__table__) * 7919 + 17)  # noqa: S311
    now = utcnow()

    # How many ideas can take votes decides how many accounts are needed.
    statuses = [_pick(rng, STATUS_SHARES, S.PUBLISHED) for _ in range(ideas)]
    votable = [index for index, status in enumerate(statuses) if status in PUBLIC_STATUSES]
    if votes and not votable:
        raise ValueError("Ohne öffentliche Ideen kann es keine Stimmen geben.")
    if comments and not votable:
        raise ValueError("Ohne öffentliche Ideen kann es keine Kommentare geben.")
    users = min(20_000, max(50, votes // 50))
    if votable:
        users = max(users, math.ceil(votes * 1.25 / len(votable)))

    # Accounts: one password hash for all (hashing 20 000 passwords would take minutes).
    user_table = User.__table__
    before = _max_id(user_table)
    password_hash = accounts.hash_password(DEMO_PASSWORD)
    user_rows = (
        (
            BULK_EMAIL.format(run=before, n=n + 1),
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            password_hash,
            now - SPAN * rng.random(),
            now - SPAN / 2,
            1,
            "instant",
            "instant",
            "daily",
        )
        for n in range(users)
    )
    result.users = _bulk_insert(
        user_table,
        ["email", "display_name", "password_hash", "created_at", "confirmed_at",
         "session_version", "email_on_comments", "email_on_status", "email_on_new_ideas"],
        user_rows,
    )  # fmt: skip
    user_ids = _ids_after(user_table, before)
    u30 = {user_id for position, user_id in enumerate(user_ids) if position % U30_EVERY == 0}
    _bulk_insert(
        UserRole.__table__,
        ["user_id", "role", "granted_at"],
        ((user_id, Role.U30.value, now) for user_id in sorted(u30)),
    )
    lap("Konten")

    idea_ids = _reserve_ids(Idea.__table__, ideas)
    # Written in time order: ids grow with created_at, as on a real site.
    created = sorted(now - SPAN * rng.random() ** 1.3 for _ in range(ideas))
    tallies = [_Tally() for _ in range(ideas)]

    # Votes: few ideas get many (a Pareto distribution), each person votes once per idea.
    per_idea = spread(votes, [rng.paretovariate(1.16) for _ in votable], len(user_ids), rng)
    vote_rows: list[tuple] = []
    assessment_rows: list[tuple] = []
    for slot, count in enumerate(per_idea):
        if not count:
            continue
        index = votable[slot]
        tally, since = tallies[index], created[index]
        window = max((now - since).total_seconds(), 60.0)
        approval = rng.betavariate(5, 2)
        for user_id in rng.sample(user_ids, count):
            at = since + timedelta(seconds=window * rng.random() ** 3)
            up = rng.random() < approval
            is_u30 = user_id in u30
            vote_rows.append((user_id, idea_ids[index], 1 if up else -1, is_u30, at, at))
            if up:
                tally.votes_up += 1
                tally.u30_votes_up += is_u30
            else:
                tally.votes_down += 1
                tally.u30_votes_down += is_u30
            if rng.random() < 0.1:  # one in ten voters also gave an Einschätzung
                benefit, feasibility = rng.randint(1, 5), rng.randint(1, 5)
                assessment_rows.append(
                    (user_id, idea_ids[index], benefit, feasibility, is_u30, at, at)
                )
                tally.assessments_count += 1
                tally.benefit_sum += benefit
                tally.feasibility_sum += feasibility
    top_level, replies = _bulk_comments(rng, comments, votable, idea_ids, created, user_ids, now)
    visible = {}
    for row in (*top_level, *replies):
        if row[7] is None and row[8] is None:  # neither deleted nor hidden
            visible[row[1]] = visible.get(row[1], 0) + 1
    position = {idea_id: index for index, idea_id in enumerate(idea_ids)}
    for idea_id, count in visible.items():
        tallies[position[idea_id]].comments_count = count
    lap("Stimmen und Kommentare erzeugt")

    group_of = [rng.choice(group_rows) for _ in range(ideas)]

    def idea_rows() -> Iterator[tuple]:
        for index, idea_id in enumerate(idea_ids):
            title, paragraphs = _draft(rng, group_of[index][1])
            origin = _pick(rng, ORIGIN_SHARES, IdeaOrigin.ONLINE)
            hidden = rng.random() < HIDDEN_SHARE
            tally = tallies[index]
            merged_into = (
                idea_ids[rng.randrange(index)] if statuses[index] is S.MERGED and index else None
            )
            yield (
                idea_id, group_of[index][0], rng.choice(user_ids), title,
                "\n\n".join(paragraphs), _paragraphs_html(paragraphs), statuses[index].value,
                origin.value, "Digitales Forum" if origin is IdeaOrigin.FORUM else None,
                created[index], created[index],
                created[index] + timedelta(days=2) if hidden else None,
                HIDDEN_REASON if hidden else None, merged_into,
                tally.votes_up, tally.votes_down, tally.u30_votes_up, tally.u30_votes_down,
                tally.comments_count, tally.assessments_count, tally.benefit_sum,
                tally.feasibility_sum, wilson_lower_bound(tally.votes_up, tally.votes_down),
                trending_score(tally.votes_up, tally.votes_down, created[index]),
            )  # fmt: skip

    result.ideas = _bulk_insert(
        Idea.__table__,
        ["id", "group_id", "author_id", "title", "body", "body_html", "status", "origin",
         "origin_event", "created_at", "updated_at", "hidden_at", "hidden_reason",
         "merged_into_id", "votes_up", "votes_down", "u30_votes_up", "u30_votes_down",
         "comments_count", "assessments_count", "benefit_sum", "feasibility_sum",
         "score_top", "score_trending"],
        idea_rows(),
    )  # fmt: skip
    lap("Ideen")

    def event_rows() -> Iterator[tuple]:
        for index, idea_id in enumerate(idea_ids):
            at, previous = created[index], None
            for status in PATHS[statuses[index]]:
                yield (idea_id, None, previous, status.value, EVENT_NOTES.get(status, ""), at)
                previous = status.value
                at = min(at + timedelta(days=rng.randint(3, 40)), now)

    result.events = _bulk_insert(
        StatusEvent.__table__,
        ["idea_id", "actor_id", "from_status", "to_status", "note", "created_at"],
        event_rows(),
    )
    lap("Zeitleisten")

    # Each group's forwarded ideas ranked after those of earlier runs, in id order (read
    # before the rows are written: on PostgreSQL the connection is busy with COPY then).
    ranks = dict(
        db.session.execute(
            select(Forwarding.group_id, func.count()).group_by(Forwarding.group_id)
        ).all()
    )

    def forwarding_rows() -> Iterator[tuple]:
        for index, idea_id in enumerate(idea_ids):
            if S.FORWARDED not in PATHS[statuses[index]]:
                continue
            group_id = group_of[index][0]
            ranks[group_id] = ranks.get(group_id, 0) + 1
            at = min(created[index] + timedelta(days=rng.randint(10, 60)), now)
            yield (idea_id, group_id, ranks[group_id], FORWARD_RATIONALE,
                   _paragraphs_html([FORWARD_RATIONALE]), at)  # fmt: skip

    result.forwardings = _bulk_insert(
        Forwarding.__table__,
        ["idea_id", "group_id", "rank", "rationale", "rationale_html", "forwarded_at"],
        forwarding_rows(),
    )
    lap("Weiterleitungen")
    result.votes = _bulk_insert(
        Vote.__table__,
        ["user_id", "idea_id", "value", "u30", "created_at", "updated_at"],
        vote_rows,
    )
    lap("Stimmen")
    result.assessments = _bulk_insert(
        Assessment.__table__,
        ["user_id", "idea_id", "benefit", "feasibility", "u30", "created_at", "updated_at"],
        assessment_rows,
    )
    lap("Einschätzungen")
    # Top-level comments first: the replies refer to them.
    result.comments = _bulk_insert(Comment.__table__, COMMENT_COLUMNS, top_level)
    result.comments += _bulk_insert(Comment.__table__, COMMENT_COLUMNS, replies)
    lap("Kommentare")
    update_group_counters()
    lap("Gruppenzahlen")
    return result


FORWARD_RATIONALE = (
    "Viel Zuspruch in der Beteiligung, gut umsetzbar mit vorhandenen Mitteln; "
    "das Tandem empfiehlt die Idee dem Lenkungsgremium."
)

COMMENT_COLUMNS = [
    "id", "idea_id", "parent_id", "author_id", "body", "body_html", "created_at",
    "deleted_at", "hidden_at", "hidden_reason", "replies_count",
]  # fmt: skip


def _bulk_comments(rng, total, votable, idea_ids, created, user_ids, now):
    """Top-level comments and replies (three in ten) as rows, with their replies counted."""
    if not total:
        return [], []
    replies = total * 3 // 10 if total > 1 else 0
    per_idea = spread(total - replies, [rng.paretovariate(1.3) for _ in votable], total, rng)
    ids = iter(_reserve_ids(Comment.__table__, total))
    top_level = []
    for slot, count in enumerate(per_idea):
        index = votable[slot]
        window = max((now - created[index]).total_seconds(), 60.0)
        for _ in range(count):
            at = created[index] + timedelta(seconds=window * rng.random() ** 2)
            top_level.append(_comment_row(rng, next(ids), idea_ids[index], None, user_ids, at))
    reply_rows = []
    replies_count: dict[int, int] = {}
    for _ in range(replies):
        parent = top_level[int(len(top_level) * rng.random() ** 2)]
        at = min(parent[6] + timedelta(hours=rng.randint(1, 200)), now)
        row = _comment_row(rng, next(ids), parent[1], parent[0], user_ids, at, REPLIES)
        reply_rows.append(row)
        if row[7] is None and row[8] is None:
            replies_count[parent[0]] = replies_count.get(parent[0], 0) + 1
    top_level = [(*row[:10], replies_count.get(row[0], 0)) for row in top_level]
    return top_level, reply_rows


def _comment_row(rng, comment_id, idea_id, parent_id, user_ids, at, pool=COMMENTS) -> tuple:
    roll = rng.random()
    author = rng.choice(user_ids)
    if roll < 0.01:  # deleted: a placeholder without text
        return (comment_id, idea_id, parent_id, author, "", "", at, at, None, None, 0)
    body = _fill(rng.choice(pool), "", rng.choice(PLACES), rng.choice(AUDIENCES))
    hidden = at if roll > 0.995 else None
    return (
        comment_id, idea_id, parent_id, author, body, _paragraphs_html([body]), at, None,
        hidden, HIDDEN_REASON if hidden else None, 0,
    )  # fmt: skip


# ---------------------------------------------------------------- the showcase

# (group, author's index in seed.DEMO_USERS, title, Markdown body, status, origin)
SHOWCASE = [
    ("digitale-infrastruktur", 8, "Glasfaser für Isselhorst und Niehorst",
     "In den Ortsteilen im Süden kommen bei vielen Haushalten **keine 16 Mbit/s** an. "
     "Homeoffice und Homeschooling sind so kaum möglich.\n\nDie Stadt sollte mit den Stadtwerken "
     "einen geförderten Glasfaserausbau in die unterversorgten Gebiete bringen.",
     S.FORWARDED, IdeaOrigin.ONLINE),
    ("digitale-infrastruktur", 9, "Freies WLAN in der Innenstadt und am Bahnhof",
     "Besucherinnen und Besucher, Pendler und Händler würden von einem **freien WLAN** in der "
     "Fußgängerzone, am Berliner Platz und am Bahnhof profitieren.\n\n- ohne Registrierung\n"
     "- mit Startseite zu Veranstaltungen und Fahrplänen\n- betrieben von den Stadtwerken",
     S.IMPLEMENTED, IdeaOrigin.FORUM),
    ("digitale-infrastruktur", 7, "Tablets für alle Schülerinnen und Schüler",
     "Jedes Kind an Güterslohs Schulen sollte ein **Leih-Tablet** bekommen können, damit "
     "digitales Lernen nicht vom Geldbeutel der Eltern abhängt.",
     S.PRIORITISED, IdeaOrigin.ONLINE),
    ("digitale-infrastruktur", 8, "Smartboards statt Kreidetafeln an den Grundschulen",
     "Viele Grundschulen arbeiten noch mit Kreide. Interaktive Tafeln mit Fortbildung für die "
     "Lehrkräfte wären ein großer Schritt.",
     S.IN_REVIEW, IdeaOrigin.WORKSHOP),
    ("digitale-infrastruktur", 9, "LoRaWAN-Netz für Sensoren in der ganzen Stadt",
     "Ein stadtweites **LoRaWAN**-Funknetz erlaubt günstige Sensoren: Pegel der Dalke, "
     "Füllstand von Glascontainern, Bodenfeuchte der Stadtbäume.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("digitale-infrastruktur", 7, "Besserer Mobilfunk im Stadtpark",
     "Im Stadtpark und am Botanischen Garten gibt es kaum Empfang. Ein zusätzlicher Mast oder "
     "Small Cells an Laternen würden helfen.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("digitale-infrastruktur", 9, "WLAN in allen Stadtbussen",
     "Wer täglich mit dem Stadtbus fährt, könnte die Zeit nutzen – mit **WLAN im Bus**.",
     S.MERGED, IdeaOrigin.ONLINE),
    ("digitale-infrastruktur", 8, "Glasfaser für alle Schulen bis 2026",
     "Jede Schule braucht einen **Gigabit-Anschluss**, sonst nützen Tablets wenig.",
     S.PUBLISHED, IdeaOrigin.COMPETITION),
    ("verwaltung-politik", 8, "Online-Bürgeramt: Anträge rund um die Uhr",
     "Wohnsitz ummelden, Anwohnerparkausweis, Führungszeugnis: vieles sollte **online** gehen, "
     "ohne Wartemarke im Rathaus.\n\n> Behördengänge dürfen nicht an Öffnungszeiten scheitern.",
     S.IMPLEMENTED, IdeaOrigin.ONLINE),
    ("verwaltung-politik", 9, "Open-Data-Portal der Stadt Gütersloh",
     "Haushaltsdaten, Parkhausbelegung, Baustellen, Wahlergebnisse: als **offene Daten** "
     "maschinenlesbar veröffentlichen, unter freier Lizenz.",
     S.FORWARDED, IdeaOrigin.FORUM),
    ("verwaltung-politik", 7, "Ratsinformationssystem mit Livestream der Sitzungen",
     "Ratssitzungen sollten **live übertragen** und im Ratsinformationssystem mit den "
     "Vorlagen verknüpft werden. So können auch junge Menschen der Politik folgen.",
     S.IN_REVIEW, IdeaOrigin.ONLINE),
    ("verwaltung-politik", 8, "Digitale Terminvergabe für alle Ämter",
     "Ein gemeinsames Terminportal für Bürgerbüro, Standesamt und Ausländerbehörde.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("verwaltung-politik", 9, "Mängelmelder-App für Schlaglöcher und defekte Laternen",
     "Foto machen, Ort markieren, absenden – und sehen, wann der Mangel behoben ist.",
     S.PRIORITISED, IdeaOrigin.WORKSHOP),
    ("verwaltung-politik", 7, "Bürgerhaushalt online",
     "Einen Teil des Haushalts könnten Bürgerinnen und Bürger **online** mitgestalten.",
     S.DECLINED, IdeaOrigin.ONLINE),
    ("verwaltung-politik", 8, "Digitaler Bauantrag",
     "Bauanträge sollten vollständig digital eingereicht und verfolgt werden können.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("verwaltung-politik", 9, "Chatbot für häufige Fragen an die Verwaltung",
     "Viele Anrufe betreffen dieselben Fragen. Ein **Chatbot** könnte rund um die Uhr helfen, "
     "mit Übergabe an Menschen, wenn er nicht weiterweiß.",
     S.WITHDRAWN, IdeaOrigin.ONLINE),
    ("wertschoepfung-innovation", 8, "Coworking-Space in der alten Weberei",
     "Ein **Coworking-Space** für Selbstständige, Gründerinnen und Pendler, die nicht jeden Tag "
     "nach Bielefeld fahren wollen.",
     S.FORWARDED, IdeaOrigin.FORUM),
    ("wertschoepfung-innovation", 9, "Digitaler Marktplatz für den lokalen Einzelhandel",
     "Lokale Geschäfte gemeinsam online: bestellen bis 14 Uhr, am selben Tag per Lastenrad "
     "geliefert.",
     S.IN_REVIEW, IdeaOrigin.ONLINE),
    ("wertschoepfung-innovation", 7, "Makerspace mit 3D-Druckern in der Stadtbibliothek",
     "Ein offener **Makerspace** mit 3D-Druckern, Lasercutter und Elektronik-Werkbank.",
     S.IMPLEMENTED, IdeaOrigin.COMPETITION),
    ("wertschoepfung-innovation", 8, "Jährlicher Hackathon mit offenen Daten der Stadt",
     "Ein Wochenende lang bauen Teams Anwendungen mit den **offenen Daten** der Stadt.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("wertschoepfung-innovation", 9, "Innovationslabor mit dem CfADS der FH Bielefeld",
     "Gemeinsam mit dem Center for Applied Data Science könnte die Stadt Prozesse mit Daten "
     "verbessern, etwa bei der Müllabfuhr.",
     S.PUBLISHED, IdeaOrigin.WORKSHOP),
    ("wertschoepfung-innovation", 7, "Weiterbildung Industrie 4.0 für kleine Betriebe",
     "Kurse zu Automatisierung und Datenanalyse für Handwerk und Mittelstand.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("wertschoepfung-innovation", 8, "Digitale Berufsorientierung an Schulen",
     "Unternehmen aus Gütersloh stellen digitale Berufe in Schulen vor, mit Praktikumsbörse.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("bau-energie-mobilitaet", 9, "Smart Parking: freie Parkplätze in Echtzeit",
     "Sensoren in den Parkhäusern und an der Straße zeigen **freie Plätze** in einer App und "
     "auf Anzeigetafeln. Weniger Suchverkehr, weniger Abgase.",
     S.PRIORITISED, IdeaOrigin.ONLINE),
    ("bau-energie-mobilitaet", 8, "Sichere Radwege zur Schule mit digitaler Schulwegkarte",
     "Eine Karte der sicheren Radwege zu jeder Schule, mit gemeldeten Gefahrenstellen.",
     S.IN_REVIEW, IdeaOrigin.ONLINE),
    ("bau-energie-mobilitaet", 7, "Sensoren für Luftqualität an Hauptstraßen",
     "Günstige **Feinstaub- und Stickoxid-Sensoren** an den Hauptstraßen, die Messwerte als "
     "Open Data.",
     S.FORWARDED, IdeaOrigin.FORUM),
    ("bau-energie-mobilitaet", 9, "Intelligente Straßenbeleuchtung",
     "LED-Laternen, die bei Bewegung heller werden, sparen Strom und erhöhen die Sicherheit.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("bau-energie-mobilitaet", 8, "Ladesäulen für E-Autos an allen Parkhäusern",
     "Mehr **Ladesäulen** mit einfacher Bezahlung per Karte.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("bau-energie-mobilitaet", 7, "Echtzeit-Fahrplananzeige an allen Haltestellen",
     "Anzeigen, wann der nächste Bus wirklich kommt – auch per QR-Code.",
     S.IMPLEMENTED, IdeaOrigin.ONLINE),
    ("bau-energie-mobilitaet", 9, "Fahrradparkhaus am Bahnhof mit digitalem Zugang",
     "Sichere Stellplätze, buchbar per App, mit Ladepunkten für E-Bikes.",
     S.PUBLISHED, IdeaOrigin.WORKSHOP),
    ("bau-energie-mobilitaet", 8, "Seilbahn zum Kreishaus",
     "Eine Seilbahn vom Bahnhof zum Kreishaus würde den Verkehr entlasten.",
     S.DECLINED, IdeaOrigin.ONLINE),
    ("soziales-gesundheit-pflege", 9, "Telemedizin in Pflegeheimen",
     "Videosprechstunden mit Hausärztinnen ersparen Bewohnerinnen und Bewohnern **anstrengende "
     "Fahrten** und entlasten die Pflege.",
     S.FORWARDED, IdeaOrigin.ONLINE),
    ("soziales-gesundheit-pflege", 8, "Digitale Nachbarschaftshilfe im Quartier",
     "Eine Plattform, auf der Nachbarn Hilfe anbieten und suchen: Einkaufen, Fahrdienste, "
     "kleine Reparaturen.",
     S.IN_REVIEW, IdeaOrigin.FORUM),
    ("soziales-gesundheit-pflege", 7, "Smartphone-Kurse für Seniorinnen und Senioren",
     "Jugendliche erklären Älteren das Smartphone – in der Stadtbibliothek, jeden Dienstag.",
     S.IMPLEMENTED, IdeaOrigin.WORKSHOP),
    ("soziales-gesundheit-pflege", 9, "Barrierefreie digitale Stadtkarte",
     "Eine Karte mit barrierefreien Eingängen, Toiletten und Parkplätzen, gepflegt von "
     "Betroffenen und der Stadt.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("soziales-gesundheit-pflege", 8, "Notfall-App mit Ersthelfer-Alarmierung",
     "Registrierte Ersthelferinnen werden bei einem Herzstillstand in der Nähe alarmiert.",
     S.PRIORITISED, IdeaOrigin.ONLINE),
    ("soziales-gesundheit-pflege", 7, "Pflegeplattform: freie Plätze auf einen Blick",
     "Angehörige sehen, wo es freie Kurzzeit- und Tagespflegeplätze gibt.",
     S.PUBLISHED, IdeaOrigin.ONLINE),
    ("soziales-gesundheit-pflege", 9, "Ehrenamtsbörse online",
     "Vereine und Initiativen suchen Ehrenamtliche – gebündelt auf einer Seite der Stadt.",
     S.PUBLISHED, IdeaOrigin.COMPETITION),
    ("soziales-gesundheit-pflege", 8, "Digitale Sprechstunde der Pflegeberatung",
     "Beratung zu Pflegegrad und Hilfen per Video, auch abends.",
     S.SUBMITTED, IdeaOrigin.ONLINE),
]  # fmt: skip
SHOWCASE_NOTES = {
    "Bürgerhaushalt online": "Das Lenkungsgremium empfiehlt, zuerst die Haushaltsdaten als "
    "Open Data zu veröffentlichen; ein Bürgerhaushalt wird 2027 erneut geprüft.",
    "Seilbahn zum Kreishaus": "Die Kosten stehen in keinem Verhältnis zum Nutzen; die "
    "Themengruppe verfolgt stattdessen die Echtzeit-Fahrplananzeige.",
    "WLAN in allen Stadtbussen": "Zusammengeführt mit „Freies WLAN in der Innenstadt und am "
    "Bahnhof“.",
}


def seed_showcase() -> int:
    """About forty realistic ideas by the demo accounts, with votes, Einschätzungen,
    comments, replies and timelines; returns how many were added (0 when already there)."""
    people = {email: accounts.find_by_email(email) for email, *_ in DEMO_USERS}
    admin = people[DEMO_USERS[0][0]]
    existing = set(
        db.session.scalars(
            select(Idea.title).where(Idea.title.in_([entry[2] for entry in SHOWCASE]))
        )
    )
    # The council paper's number: the same showcase every time (not for secrets).
    rng = random.Random(395_2017)  # noqa: S311
    now = utcnow()
    added: list[tuple[Idea, IdeaStatus]] = []
    by_title: dict[str, Idea] = {}
    for position, (slug, author_index, title, body, status, origin) in enumerate(SHOWCASE):
        if title in existing:
            continue
        group = groups.find_by_slug(slug)
        if group is None:
            continue
        author = people[DEMO_USERS[author_index][0]]
        created = now - timedelta(days=200 - position * 4, hours=rng.randint(0, 12))
        idea = Idea(
            group_id=group.id,
            author_id=author.id,
            title=title,
            body=body,
            body_html=render_markdown(body),
            status=status,
            origin=origin,
            origin_event="Digitales Forum 2025" if origin is IdeaOrigin.FORUM else None,
            created_at=created,
            updated_at=created,
        )
        db.session.add(idea)
        db.session.flush()
        by_title[title] = idea
        added.append((idea, status))
        lead = group.leads[0].user if group.leads else admin
        _showcase_history(rng, idea, status, author, lead, people, now)
    _showcase_u30_statement(by_title, people, now)
    if "WLAN in allen Stadtbussen" in by_title:
        target = db.session.scalar(
            select(Idea.id).where(Idea.title == "Freies WLAN in der Innenstadt und am Bahnhof")
        )
        by_title["WLAN in allen Stadtbussen"].merged_into_id = target
    db.session.flush()
    if added:
        update_counters(added[0][0].id, added[-1][0].id, progress=lambda _line: None)
    _showcase_decisions(by_title, people[DEMO_USERS[1][0]], now)
    return len(added)


# The steering board's last meeting (/decisions): its decisions on ideas of the showcase
# that already carry the matching status; (title, outcome, board rank, public note).
SHOWCASE_DECISIONS = [
    ("Smart Parking: freie Parkplätze in Echtzeit", "prioritised", 1,
     "Weniger Suchverkehr in der Innenstadt; das Lenkungsgremium empfiehlt dem Rat, die "
     "Parkhäuser zuerst auszustatten."),
    ("Notfall-App mit Ersthelfer-Alarmierung", "prioritised", 2,
     "Gemeinsam mit dem Kreis umsetzen; die Leitstelle ist einverstanden."),
    ("Makerspace mit 3D-Druckern in der Stadtbibliothek", "implemented", None,
     "Seit dem Frühjahr geöffnet, jeden Donnerstag mit Betreuung."),
]  # fmt: skip


def _showcase_decisions(by_title: dict[str, Idea], member: User, now) -> None:
    from app.models.board import BoardDecision, BoardPriority, DecisionOutcome, Meeting

    chosen = [(by_title[title], *rest) for title, *rest in SHOWCASE_DECISIONS if title in by_title]
    if not chosen:
        return
    meeting = Meeting(held_on=(now - timedelta(days=21)).date(), title="Frühjahrssitzung")
    db.session.add(meeting)
    db.session.flush()
    for idea, outcome, rank, note in chosen:
        decision = BoardDecision(
            meeting_id=meeting.id,
            idea_id=idea.id,
            outcome=DecisionOutcome(outcome),
            board_rank=rank,
            note=note,
            note_html=render_markdown(note),
            decided_by_id=member.id,
        )
        db.session.add(decision)
        db.session.flush()
        if rank is not None:
            db.session.add(BoardPriority(idea_id=idea.id, rank=rank, decision_id=decision.id))
    db.session.flush()


def _showcase_forwarding(idea: Idea, lead: User, at) -> None:
    # The group's rationale and its place in the group's ranking, as the tandem gave them.
    rank = db.session.scalar(
        select(func.count()).select_from(Forwarding).where(Forwarding.group_id == idea.group_id)
    )
    rationale = SHOWCASE_RATIONALE.format(title=idea.title)
    db.session.add(
        Forwarding(
            idea_id=idea.id,
            group_id=idea.group_id,
            rank=rank + 1,
            rationale=rationale,
            rationale_html=render_markdown(rationale),
            forwarded_by_id=lead.id,
            forwarded_at=at,
        )
    )
    db.session.flush()


# The U30-Beirat's two demo members (seed.DEMO_USERS): the U30-Votum has voices from both
# and the statement a second endorsement.
SHOWCASE_U30_EMAILS = ("u30@ideenwerk.example", "u30.kaya@ideenwerk.example")
SHOWCASE_U30_STATEMENT = (
    "Glasfaser für Isselhorst und Niehorst",
    "Für junge Menschen in den Ortsteilen ist schnelles Internet **keine Komfortfrage**: "
    "Ausbildung, Studium und Nebenjobs laufen heute online.\n\n"
    "Der U30-Beirat unterstützt den Ausbau und bittet darum, die Schulen und das Jugendhaus "
    "zuerst anzuschließen.",
)


def _showcase_u30_statement(by_title: dict[str, Idea], people: dict[str, User], now) -> None:
    """The Beirat's statement on a forwarded idea, written by one member, endorsed by both."""
    from app.models import U30Endorsement, U30Statement

    title, body = SHOWCASE_U30_STATEMENT
    idea = by_title.get(title)
    members = [people[email] for email in SHOWCASE_U30_EMAILS if people.get(email) is not None]
    if idea is None or not members:
        return
    written = now - timedelta(days=10)
    statement = U30Statement(
        idea_id=idea.id,
        author_id=members[0].id,
        body=body,
        body_html=render_markdown(body),
        created_at=written,
        updated_at=written,
    )
    db.session.add(statement)
    db.session.flush()
    for position, member in enumerate(members):
        at = written + timedelta(days=position)
        db.session.add(U30Endorsement(statement_id=statement.id, user_id=member.id, created_at=at))
    # The members voted for it and assessed it too (unless the random history had them do so
    # already); `update_counters` counts these rows afterwards.
    voted = set(db.session.scalars(select(Vote.user_id).where(Vote.idea_id == idea.id)))
    rated = set(db.session.scalars(select(Assessment.user_id).where(Assessment.idea_id == idea.id)))
    cast = written - timedelta(days=14)
    for position, member in enumerate(members):
        if member.id not in voted:
            db.session.add(Vote(user_id=member.id, idea_id=idea.id, value=1, u30=True,
                                created_at=cast, updated_at=cast))  # fmt: skip
        if member.id not in rated:
            db.session.add(Assessment(user_id=member.id, idea_id=idea.id, benefit=5 - position,
                                      feasibility=3 + position, u30=True, created_at=cast,
                                      updated_at=cast))  # fmt: skip
    db.session.flush()


SHOWCASE_RATIONALE = (
    "„{title}“ hat in der Beteiligung breite Zustimmung gefunden. Das Tandem hält die Idee "
    "für umsetzbar und empfiehlt sie dem Lenkungsgremium zur Priorisierung."
)


def _showcase_history(rng, idea, status, author, lead, people, now) -> None:
    voters = [user for user in people.values() if user.id != author.id]
    u30 = {user.id for user in voters if Role.U30 in user.global_roles}
    at = idea.created_at
    # Timeline: each step a few weeks after the one before.
    previous = None
    for step in PATHS[status]:
        note = SHOWCASE_NOTES.get(idea.title) if step is status else None
        actor = author if step in (S.PUBLISHED, S.SUBMITTED, S.WITHDRAWN) else lead
        db.session.add(
            StatusEvent(
                idea_id=idea.id,
                actor_id=actor.id,
                from_status=previous,
                to_status=step,
                note=note or EVENT_NOTES.get(step, ""),
                created_at=at,
            )
        )
        if step is S.FORWARDED:
            _showcase_forwarding(idea, lead, at)
        previous = step
        at = min(at + timedelta(days=rng.randint(8, 30)), now)
    if status in (S.SUBMITTED, S.REJECTED):
        return
    db.session.add(Follow(user_id=author.id, idea_id=idea.id, created_at=idea.created_at))
    popularity = rng.random()
    for voter in voters:
        if rng.random() < popularity:
            value = 1 if rng.random() < 0.8 else -1
            cast_at = idea.created_at + timedelta(hours=rng.randint(1, 400))
            db.session.add(
                Vote(
                    user_id=voter.id,
                    idea_id=idea.id,
                    value=value,
                    u30=voter.id in u30,
                    created_at=cast_at,
                    updated_at=cast_at,
                )
            )
            if rng.random() < 0.5:
                db.session.add(
                    Assessment(
                        user_id=voter.id,
                        idea_id=idea.id,
                        benefit=rng.randint(2, 5),
                        feasibility=rng.randint(1, 5),
                        u30=voter.id in u30,
                        created_at=cast_at,
                        updated_at=cast_at,
                    )
                )
    for number in range(rng.randint(0, 4)):
        writer = rng.choice(voters)
        written = min(idea.created_at + timedelta(hours=6 + 30 * number), now)
        place, audience = rng.choice(PLACES), rng.choice(AUDIENCES)
        body = _fill(COMMENTS[(idea.id + number) % len(COMMENTS)], "", place, audience)
        comment = Comment(
            idea_id=idea.id,
            author_id=writer.id,
            body=body,
            body_html=render_markdown(body),
            created_at=written,
        )
        db.session.add(comment)
        db.session.flush()
        if rng.random() < 0.5:
            replier = rng.choice([user for user in people.values() if user.id != writer.id])
            reply = rng.choice(REPLIES)
            db.session.add(
                Comment(
                    idea_id=idea.id,
                    parent_id=comment.id,
                    author_id=replier.id,
                    body=reply,
                    body_html=render_markdown(reply),
                    created_at=min(written + timedelta(hours=3), now),
                )
            )
    db.session.flush()
