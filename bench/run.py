"""`make bench`: seed (or reuse) a city-sized dataset, serve it with gunicorn, measure.

Environment (all optional):
  BENCH_DATABASE_URL   database to fill and serve (default: SQLite file .bench/bench.sqlite;
                       PostgreSQL: postgresql+psycopg://postgres@127.0.0.1:5432/bench)
  BENCH_SMALL_URL      the 1 000-idea comparison database (default: beside the large one,
                       .bench/bench-small.sqlite or the database name with "_small")
  BENCH_IDEAS, BENCH_VOTES, BENCH_COMMENTS   dataset size (100000, 1000000, 300000)
  BENCH_SMALL_IDEAS    ideas in the comparison database (1000; votes and comments scale)
  BENCH_SECONDS        measured seconds per endpoint (8), after BENCH_WARMUP seconds (1)
  BENCH_ROUNDS         the measured seconds come in this many slices (6), each after a
                       slice of /healthz: the baseline is measured beside every endpoint,
                       so that a change in the machine's other load moves both alike; the
                       ratios reported are the medians of the rounds' ratios
  BENCH_CONCURRENCY    concurrent keep-alive connections (8)
  BENCH_MAX_REQUESTS   upper bound of requests per endpoint (20000)
  BENCH_WORKERS, BENCH_THREADS   gunicorn workers (2) and threads per worker (1)
  BENCH_CACHE          "redis" (default when redis-server is installed: a private
                       redis-server on a free port, as in production with several
                       processes) or "simple" (Flask-Caching's SimpleCache per process)
  BENCH_ONLY           measure only the endpoints whose name this regular expression finds
                       (e.g. "ideas" or "sort=top"); /healthz is always measured

The group pages at 100 000 and at 1 000 ideas are compared with both servers running,
slice by slice in turn. Every request goes to 127.0.0.1 on a port chosen here; every loop
is bounded in time and count; the servers it starts are stopped at the end. Results: a
table on stdout and .bench/results.json.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SEARCH_TERMS = ["Glasfaser", "Radwege", "Telemedizin Pflegeheim", "WLAN Bahnhof", "Open Data"]
SORTS = ["top", "trending", "new", "discussed"]
DEEP_PAGE = 200
BOARD_STEP = "board: "
BOARD_PATHS = ["/board", "/board?sort=title&dir=asc&page=3"]
# Before each measured slice: the connections fill up again after the other endpoint's turn.
SLICE_WARMUP = 0.25
BULK_PASSWORD = "ideenwerk-demo"  # noqa: S105 (app.seed.DEMO_PASSWORD, demo accounts only)
BULK_EMAILS = "bulk%@demo.ideenwerk.example"  # app.demo.BULK_EMAIL_PATTERN


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Settings:
    url: str
    small_url: str
    ideas: int
    votes: int
    comments: int
    small_ideas: int
    seconds: float
    warmup: float
    concurrency: int
    max_requests: int
    workers: int
    threads: int
    rounds: int
    cache: str
    only: str

    @classmethod
    def from_environment(cls) -> "Settings":
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{BENCH_DIR / 'bench.sqlite'}"
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        return cls(
            url=url,
            small_url=os.environ.get("BENCH_SMALL_URL") or small_url_for(url),
            ideas=env_int("BENCH_IDEAS", 100_000),
            votes=env_int("BENCH_VOTES", 1_000_000),
            comments=env_int("BENCH_COMMENTS", 300_000),
            small_ideas=env_int("BENCH_SMALL_IDEAS", 1_000),
            seconds=float(os.environ.get("BENCH_SECONDS") or 8),
            warmup=float(os.environ.get("BENCH_WARMUP") or 1),
            concurrency=env_int("BENCH_CONCURRENCY", 8),
            max_requests=env_int("BENCH_MAX_REQUESTS", 20_000),
            workers=env_int("BENCH_WORKERS", 2),
            # One thread per worker, as production runs it (README): rendering is Python
            # under one interpreter lock, and 4 threads made a render that misses the
            # cache wait for its neighbours (idea page p95 65 ms against 20 ms, 2026-11-21).
            threads=env_int("BENCH_THREADS", 1),
            rounds=max(1, env_int("BENCH_ROUNDS", 6)),
            cache=os.environ.get("BENCH_CACHE")
            or ("redis" if shutil.which("redis-server") else "simple"),
            only=os.environ.get("BENCH_ONLY") or "",
        )


def small_url_for(url: str) -> str:
    parts = urlsplit(url)
    if url.startswith("sqlite"):
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        return f"sqlite:///{path.with_name(path.stem + '-small' + path.suffix)}"
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_small"))


def say(line: str = "") -> None:
    print(line, flush=True)


# ---------------------------------------------------------------- the data


def ensure_database(url: str) -> None:
    """Create the SQLite directory or the PostgreSQL database when missing."""
    if url.startswith("sqlite"):
        path = urlsplit(url).path
        Path(path[1:] if path.startswith("//") else path).parent.mkdir(parents=True, exist_ok=True)
        return
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = create_engine(
        urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            say(f"Lege die Datenbank {name} an.")
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def counts(engine: Engine) -> dict[str, int]:
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()  # noqa: S608
                for table in ("idea", "vote", "comment")
            }
    except SQLAlchemyError:
        return {"idea": 0, "vote": 0, "comment": 0}


def flask(args: list[str], url: str, instance: Path) -> None:
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "IDEENWERK_INSTANCE_PATH": str(instance),
        "IDEENWERK_ENV": "development",  # `seed --demo` is for development databases only
    }
    environment.pop("SECRET_KEY", None)
    command = [str(BIN / "flask"), "--app", "wsgi", *args]
    subprocess.run(command, cwd=ROOT, env=environ_clean(environment), check=True)  # noqa: S603


def environ_clean(environment: dict) -> dict:
    # The application sees only its own settings, not the bench's.
    return {key: value for key, value in environment.items() if not key.startswith("BENCH_")}


def seed(url: str, ideas: int, votes: int, comments: int, instance: Path) -> dict:
    """Migrate and fill the database up to the numbers asked for (reused when it holds them)."""
    ensure_database(url)
    flask(["db", "upgrade"], url, instance)
    engine = create_engine(url)
    have = counts(engine)
    # The number of ideas is the marker: votes change during every run (the vote endpoint
    # is measured), so their count is no sign of a complete dataset. A smaller dataset is
    # topped up, with votes and comments in proportion.
    share = max(0, ideas - have["idea"]) / max(ideas, 1)
    missing = {
        "ideas": max(0, ideas - have["idea"]),
        "votes": round(votes * share),
        "comments": round(comments * share),
    }
    info: dict = {"reused": missing["ideas"] == 0, "seed_seconds": None}
    if info["reused"]:
        say(f"Datenbank vorhanden ({have['idea']} Ideen): wird wiederverwendet.")
    else:
        say(
            f"Fülle die Datenbank: {missing['ideas']} Ideen, {missing['votes']} Stimmen, "
            f"{missing['comments']} Kommentare …"
        )
        started = time.perf_counter()
        flask(
            ["seed", "--demo", "--ideas", str(missing["ideas"]), "--votes",
             str(missing["votes"]), "--comments", str(missing["comments"])],
            url,
            instance,
        )  # fmt: skip
        info["seed_seconds"] = round(time.perf_counter() - started, 1)
    info.update(counts(engine))
    with engine.connect() as connection:
        info["slug"] = connection.execute(
            text("SELECT slug FROM thematic_group ORDER BY ideas_count DESC, id LIMIT 1")
        ).scalar()
        public = "status IN ('published', 'in_review', 'forwarded', 'prioritised')"
        info["open_ideas"] = list(
            connection.execute(
                text(
                    f"SELECT id FROM idea WHERE {public} AND hidden_at IS NULL "  # noqa: S608
                    "ORDER BY votes_up + votes_down DESC, id LIMIT 500"
                )
            ).scalars()
        )
        info["emails"] = list(
            connection.execute(
                text('SELECT email FROM "user" WHERE email LIKE :pattern ORDER BY id LIMIT 64'),
                {"pattern": BULK_EMAILS},
            ).scalars()
        )
        info["board_email"] = connection.execute(
            text(
                'SELECT email FROM "user" JOIN user_role ON user_role.user_id = "user".id '
                "WHERE user_role.role = 'board' AND email IS NOT NULL ORDER BY \"user\".id LIMIT 1"
            )
        ).scalar()
        info["board_ideas"] = connection.execute(
            text(
                "SELECT count(*) FROM forwarding JOIN idea ON idea.id = forwarding.idea_id "
                "WHERE forwarding.returned_at IS NULL AND idea.hidden_at IS NULL AND idea.status "
                "IN ('forwarded', 'prioritised', 'implemented', 'declined')"
            )
        ).scalar()
    engine.dispose()
    return info


# ---------------------------------------------------------------- the servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    """A private redis-server on 127.0.0.1 that keeps nothing on disk, until stop()."""

    def __init__(self, instance: Path):
        self.port = free_port()
        command = [
            "redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
            "--appendonly", "no", "--dir", str(instance), "--loglevel", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("redis-server endete sofort")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("redis-server antwortet nicht")

    def url(self, number: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{number}"

    def stop(self) -> None:
        stop_process(self.process)


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Server:
    """gunicorn in production mode on 127.0.0.1, rate limits off, until stop()."""

    def __init__(self, url: str, settings: Settings, instance: Path, cache: dict[str, str]):
        self.port = free_port()
        self.log = instance / f"gunicorn-{self.port}.log"
        (instance / "config.py").write_text(
            "# Written by bench/run.py: the load generator is one client from one address.\n"
            "RATELIMIT_ENABLED = False\n",
            encoding="utf-8",
        )
        environment = environ_clean(
            {
                **os.environ,
                "IDEENWERK_ENV": "production",
                "SECRET_KEY": secrets.token_hex(32),
                "DATABASE_URL": url,
                "IDEENWERK_INSTANCE_PATH": str(instance),
                "MAIL_DELIVER_AFTER_REQUEST": "false",
                **cache,
            }
        )
        command = [
            str(BIN / "gunicorn"), "--workers", str(settings.workers), "--worker-class",
            "gthread", "--threads", str(settings.threads), "--bind", f"127.0.0.1:{self.port}",
            "--keep-alive", "30", "--error-logfile", str(self.log), "--log-level", "warning",
            "wsgi:app",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn endete sofort; siehe {self.log}")
            try:
                status, _body, _headers = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn antwortet nicht; siehe {self.log}")

    def stop(self) -> None:
        stop_process(self.process)


def request(port: int, method: str, path: str, **kwargs) -> tuple[int, str, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, **kwargs)
        response = connection.getresponse()
        return response.status, response.read().decode(), dict(response.getheaders())
    finally:
        connection.close()


# ---------------------------------------------------------------- the load


class Client:
    """One keep-alive connection with its own cookies (a browser tab, loosely)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.vote_token = ""
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def send(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                # The server closed the kept-alive connection: once more on a new one.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, data

    def csrf_token(self, path: str) -> str:
        status, data = self.send("GET", path)
        match = CSRF.search(data.decode())
        if status != 200 or not match:
            raise RuntimeError(f"kein CSRF-Token auf {path} (HTTP {status})")
        return match.group(1)

    def log_in(self, email: str) -> bool:
        token = self.csrf_token("/account/login")
        form = urlencode({"email": email, "password": BULK_PASSWORD, "csrf_token": token})
        status, _data = self.send("POST", "/account/login", form)
        return status == 302

    def close(self) -> None:
        self.connection.close()


@dataclass
class Measurement:
    name: str
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def add(self, other: "Measurement") -> None:
        self.requests += other.requests
        self.seconds += other.seconds
        self.errors += other.errors
        self.latencies_ms.extend(other.latencies_ms)
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count

    def summary(self) -> dict:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(0.50), 2),
            "p95_ms": round(self.percentile(0.95), 2),
            "p99_ms": round(self.percentile(0.99), 2),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 2) if self.latencies_ms else None,
            "errors": self.errors,
            "statuses": {str(code): n for code, n in sorted(self.statuses.items())},
        }


Step = Callable[[Client, int], tuple[str, str, str | None, dict | None, int]]


@dataclass
class Load:
    """An endpoint under load: its clients (connections kept open) and how they ask."""

    name: str
    clients: list[Client]
    step: Step
    budget: int
    total: Measurement = field(init=False)
    warmed: int = 0  # requests made outside the measured seconds (for varying the steps)

    def __post_init__(self) -> None:
        self.total = Measurement(self.name)

    def run(self, seconds: float, warmup: float, *, record: bool = True) -> Measurement:
        """Run `step` on every client in its own thread: warm up, then measure; bounded.

        Counted are the requests that end within the measured seconds, as in a steady
        flow: the warm-up fills the connections, and those still open at the end are left.
        """
        measurement = Measurement(self.name)
        lock = threading.Lock()
        phase = {"measuring": False}
        stop = threading.Event()

        def worker(client: Client, number: int) -> None:
            counter = number * 1_000_003 + self.total.requests + self.warmed
            while not stop.is_set():
                counter += 1
                method, path, body, headers, expected = self.step(client, counter)
                started = time.perf_counter()
                try:
                    status, _data = client.send(method, path, body, headers)
                except (http.client.HTTPException, OSError):
                    status = 0
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if not phase["measuring"] or stop.is_set():
                        self.warmed += 1
                        continue
                    if self.budget <= 0:
                        stop.set()
                        return
                    self.budget -= 1
                    measurement.requests += 1
                    measurement.latencies_ms.append(elapsed)
                    measurement.statuses[status] = measurement.statuses.get(status, 0) + 1
                    if status != expected:
                        measurement.errors += 1

        threads = [
            threading.Thread(target=worker, args=(client, number), daemon=True)
            for number, client in enumerate(self.clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(warmup)
        with lock:
            phase["measuring"] = record
        started = time.perf_counter()
        stop.wait(seconds if record else 0)
        with lock:
            stop.set()
            measurement.seconds = time.perf_counter() - started
        for thread in threads:
            thread.join(timeout=60)
        if record:
            self.total.add(measurement)
        return measurement

    def close(self) -> None:
        for client in self.clients:
            client.close()


def alternate(loads: list[Load], settings: Settings) -> list[list[Measurement]]:
    """Warm each load up, then measure them in turn, a slice each, `rounds` times.

    Returns the slices round by round: a burst of the machine's other load spoils one
    round's comparison, not the median of all rounds.
    """
    for load in loads:
        load.run(0, settings.warmup, record=False)
    return [
        [load.run(settings.seconds / settings.rounds, SLICE_WARMUP) for load in loads]
        for _round in range(settings.rounds)
    ]


def median_ratio(pairs: list[tuple[float, float]]) -> float | None:
    ratios = [top / bottom for top, bottom in pairs if bottom and top == top]  # no NaN
    return round(statistics.median(ratios), 3) if ratios else None


def mean_ms(measurement: Measurement) -> float:
    return statistics.fmean(measurement.latencies_ms) if measurement.latencies_ms else float("nan")


def get(path_for: Callable[[int], str], expected: int = 200) -> Step:
    return lambda _client, n: ("GET", path_for(n), None, None, expected)


def plan(port: int, info: dict, settings: Settings) -> tuple[list[tuple[str, Step]], list[str]]:
    """The endpoints to measure, and notes on those that cannot be (missing routes)."""
    slug, ideas = info["slug"], info["open_ideas"]
    steps: list[tuple[str, Step]] = [("/", get(lambda _n: "/"))]
    notes = []
    for sort in SORTS:
        steps.append(
            (f"/groups/{slug}?sort={sort}", get(lambda _n, s=sort: f"/groups/{slug}?sort={s}"))
        )
    deep = f"/groups/{slug}?sort=top&page={DEEP_PAGE}"
    deep_status, _body, _headers = request(port, "GET", deep)
    steps.append(
        (deep, get(lambda _n: deep, deep_status if deep_status in (200, 400, 404) else 200))
    )
    if deep_status != 200:
        notes.append(
            f"{deep}: HTTP {deep_status} (Seitenzahl begrenzt?) – gemessen wird diese Antwort."
        )
    steps.append(
        (
            "/search?q=…",
            get(lambda n: "/search?" + urlencode({"q": SEARCH_TERMS[n % len(SEARCH_TERMS)]})),
        )
    )
    if not ideas:
        notes.append("Keine offenen Ideen in der Datenbank: Ideenseite und Abstimmen entfallen.")
        return steps, notes
    idea_status, _body, _headers = request(port, "GET", f"/ideas/{ideas[0]}")
    if idea_status != 200:
        notes.append(f"/ideas/<id> antwortet {idea_status}: Ideenseite und Abstimmen entfallen.")
        return steps, notes
    steps.append(("/ideas/<id>", get(lambda n: f"/ideas/{ideas[n % len(ideas)]}")))
    if not info["emails"]:
        notes.append("Keine Demo-Konten für die Anmeldung: Abstimmen entfällt.")
        return steps, notes
    probe = Client(port)
    vote_ok = probe.log_in(info["emails"][0])
    if vote_ok:
        token = probe.csrf_token(f"/ideas/{ideas[0]}")
        status, _data = probe.send(
            "POST", f"/ideas/{ideas[0]}/vote", urlencode({"value": "none", "csrf_token": token}),
            {"Accept": "application/json"},
        )  # fmt: skip
        vote_ok = status == 200
        if not vote_ok:
            notes.append(f"POST /ideas/<id>/vote antwortet {status}: Abstimmen entfällt.")
    else:
        notes.append("Anmeldung der Demo-Konten fehlgeschlagen: Abstimmen entfällt.")
    probe.close()
    if vote_ok:
        steps.append(("POST /ideas/<id>/vote", vote_step(ideas)))
    board = Client(port)
    if info.get("board_email") and board.log_in(info["board_email"]):
        # The steering board's table over every forwarded idea (2 000 at 100 000 ideas):
        # the default order and a text sort, first page and a later one.
        for path in BOARD_PATHS:
            steps.append((f"{BOARD_STEP}{path}", get(lambda _n, p=path: p)))
    else:
        notes.append("Anmeldung als Mitglied des Lenkungsgremiums fehlgeschlagen: /board entfällt.")
    board.close()
    return steps, notes


def vote_step(ideas: list[int]) -> Step:
    values = ("up", "down", "none")

    def step(client: Client, n: int):
        idea = ideas[(n * 7) % len(ideas)]
        form = urlencode({"value": values[n % 3], "csrf_token": client.vote_token})
        headers = {"Accept": "application/json"}
        return "POST", f"/ideas/{idea}/vote", form, headers, 200

    return step


def signed_in_clients(port: int, info: dict, count: int) -> list[Client]:
    clients = []
    for number in range(count):
        client = Client(port)
        if not client.log_in(info["emails"][number % len(info["emails"])]):
            raise RuntimeError("Anmeldung fehlgeschlagen")
        client.vote_token = client.csrf_token(f"/ideas/{info['open_ideas'][0]}")
        clients.append(client)
    return clients


def board_clients(port: int, info: dict, count: int) -> list[Client]:
    clients = []
    for _ in range(count):
        client = Client(port)
        if not client.log_in(info["board_email"]):
            raise RuntimeError("Anmeldung fehlgeschlagen")
        clients.append(client)
    return clients


def anonymous_clients(port: int, settings: Settings) -> list[Client]:
    return [Client(port) for _ in range(settings.concurrency)]


def say_result(name: str, measurement: Measurement, ratio_to_healthz: float | None = None) -> None:
    summary = measurement.summary()
    ratio = f"  ({ratio_to_healthz:.2f} × healthz)" if ratio_to_healthz is not None else ""
    errors = f"  Fehler: {summary['errors']} {summary['statuses']}" if summary["errors"] else ""
    say(f"  {name:48} {summary['rps']:8.1f}/s  p95 {summary['p95_ms']:7.1f} ms{ratio}{errors}")


def measure_server(server: Server, info: dict, settings: Settings):
    """Every endpoint in turn, each in slices alternating with slices of /healthz.

    Returns the measurements per endpoint, the /healthz slices measured beside each, and
    notes on endpoints that could not be measured.
    """
    results: dict[str, Measurement] = {}
    baselines: dict[str, Measurement] = {}
    round_ratios: dict[str, float | None] = {}
    steps, notes = plan(server.port, info, settings)
    steps = [(name, step) for name, step in steps if re.search(settings.only, name)]
    health = Load(
        "/healthz",
        anonymous_clients(server.port, settings),
        get(lambda _n: "/healthz"),
        budget=settings.max_requests * len(steps),
    )
    try:
        for name, step in steps:
            if name.startswith("POST"):
                clients = signed_in_clients(server.port, info, settings.concurrency)
            elif name.startswith(BOARD_STEP):
                clients = board_clients(server.port, info, settings.concurrency)
            else:
                clients = anonymous_clients(server.port, settings)
            load = Load(name, clients, step, budget=settings.max_requests)
            before = Measurement("/healthz")
            before.add(health.total)
            slices = alternate([health, load], settings)
            load.close()
            round_ratios[name] = median_ratio([(mine.rps, base.rps) for base, mine in slices])
            # The /healthz slices of this endpoint's turn: the total now minus before.
            beside = Measurement("/healthz")
            beside.requests = health.total.requests - before.requests
            beside.seconds = health.total.seconds - before.seconds
            beside.latencies_ms = health.total.latencies_ms[len(before.latencies_ms) :]
            results[name], baselines[name] = load.total, beside
            say_result(name, load.total, round_ratios[name])
    finally:
        health.close()
    results = {"/healthz": health.total, **results}
    return results, baselines, round_ratios, notes


def compare_scale(big: Server, small: Server, big_info: dict, small_info: dict, settings):
    """The first group page of each sort on both databases, slice by slice in turn."""
    measured = {}
    for sort in SORTS:
        if not re.search(settings.only, f"/groups/{big_info['slug']}?sort={sort}"):
            continue
        loads = [
            Load(
                f"/groups/{info['slug']}?sort={sort}",
                anonymous_clients(server.port, settings),
                get(lambda _n, path=f"/groups/{info['slug']}?sort={sort}": path),
                budget=settings.max_requests,
            )
            for server, info in ((big, big_info), (small, small_info))
        ]
        slices = alternate(loads, settings)
        for load in loads:
            load.close()
        ratio = median_ratio(
            [(mean_ms(big_slice), mean_ms(small_slice)) for big_slice, small_slice in slices]
        )
        measured[sort] = (loads[0].total, loads[1].total, ratio)
        say_result(loads[0].name + " (groß)", loads[0].total)
        say_result(loads[1].name + " (klein)", loads[1].total)
    return measured


# ---------------------------------------------------------------- the report


def table(
    results: dict[str, Measurement], baselines: dict[str, Measurement], round_ratios
) -> list[dict]:
    """One row per endpoint, with its ratios to the /healthz slices measured beside it.

    req/s ÷ healthz is the median of the rounds' ratios; the ratio of the totals is kept too.
    """
    rows = []
    for name, measurement in results.items():
        base = baselines.get(name, measurement)
        summary = measurement.summary()
        summary["endpoint"] = name
        summary["healthz_rps"] = round(base.rps, 1)
        summary["healthz_p95_ms"] = round(base.percentile(0.95), 2)
        total_ratio = round(measurement.rps / base.rps, 3) if base.rps else None
        summary["rps_vs_healthz_total"] = total_ratio
        summary["rps_vs_healthz"] = round_ratios.get(name, total_ratio)
        base_p95 = base.percentile(0.95)
        summary["p95_vs_healthz"] = (
            round(measurement.percentile(0.95) / base_p95, 2) if base_p95 else None
        )
        rows.append(summary)
    return rows


def print_table(title: str, rows: list[dict]) -> None:
    say()
    say(title)
    header = (
        f"{'Endpunkt':56} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'req/s÷healthz':>14} {'p95÷healthz':>12} {'Fehler':>7}"
    )
    say(header)
    say("-" * len(header))
    for row in rows:
        say(
            f"{row['endpoint']:56} {row['rps']:8.1f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
            f"{row['p99_ms']:8.1f} {row['rps_vs_healthz']:14.2f} {row['p95_vs_healthz']:12.2f} "
            f"{row['errors']:7d}"
        )


def scale_rows(measured: dict[str, tuple[Measurement, Measurement, float | None]]) -> list[dict]:
    """Per sort: the median of the rounds' ratios of mean time (the target), and totals."""
    rows = []
    for sort, (big, small, round_ratio) in measured.items():
        big_summary, small_summary = big.summary(), small.summary()
        rows.append(
            {
                "sort": sort,
                "big": big_summary,
                "small": small_summary,
                "p95_ratio": round(big_summary["p95_ms"] / small_summary["p95_ms"], 2),
                "mean_ratio": round_ratio,
                "mean_ratio_total": round(big_summary["mean_ms"] / small_summary["mean_ms"], 2),
                "rps_ratio": round(small.rps / big.rps, 2) if big.rps else None,
            }
        )
    return rows


def cache_environment(settings: Settings, redis: Redis | None, number: int) -> dict[str, str]:
    if redis is None:
        return {"CACHE_TYPE": "SimpleCache"}
    return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis.url(number)}


def main() -> int:
    # Stopped from outside: still stop the servers it started (the finally blocks below).
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(143))
    settings = Settings.from_environment()
    BENCH_DIR.mkdir(exist_ok=True)
    instance = Path(tempfile.mkdtemp(prefix="ideenwerk-bench-"))
    redis = servers = None
    try:
        say(f"Große Datenbank: {redact(settings.url)}")
        big = seed(settings.url, settings.ideas, settings.votes, settings.comments, instance)
        scale = settings.small_ideas / max(settings.ideas, 1)
        say(f"Kleine Datenbank: {redact(settings.small_url)}")
        small = seed(
            settings.small_url,
            settings.small_ideas,
            int(settings.votes * scale),
            int(settings.comments * scale),
            instance,
        )
        redis = Redis(instance) if settings.cache == "redis" else None
        servers = [
            Server(settings.url, settings, instance, cache_environment(settings, redis, 0)),
            Server(settings.small_url, settings, instance, cache_environment(settings, redis, 1)),
        ]
        say(
            f"\nLast: {settings.concurrency} Verbindungen, {settings.seconds:g} s je Endpunkt "
            f"in {settings.rounds} Abschnitten im Wechsel mit /healthz, gunicorn "
            f"{settings.workers} × {settings.threads} Threads, Cache: {settings.cache}"
        )
        say(f"Große Datenbank ({big['idea']} Ideen):")
        results, baselines, round_ratios, notes = measure_server(servers[0], big, settings)
        say(f"Gruppenseite bei {big['idea']} und bei {small['idea']} Ideen, im Wechsel:")
        measured = compare_scale(servers[0], servers[1], big, small, settings)
    finally:
        for server in servers or []:
            server.stop()
        if redis is not None:
            redis.stop()
        shutil.rmtree(instance, ignore_errors=True)

    rows = table(results, baselines, round_ratios)
    print_table(f"{big['idea']} Ideen, {big['vote']} Stimmen, {big['comment']} Kommentare", rows)
    comparison = scale_rows(measured)
    say()
    say(
        f"Gruppenseite, {big['idea']} gegen {small['idea']} Ideen, im Wechsel gemessen "
        "(Kosten-Verhältnis, Median der Runden; ≤ 1.3 ist das Ziel):"
    )
    for entry in comparison:
        say(
            f"  sort={entry['sort']:10} Mittel ×{entry['mean_ratio'] or float('nan'):.2f}  "
            f"p95 ×{entry['p95_ratio']:.2f}  Durchsatz klein÷groß ×{entry['rps_ratio']:.2f}  "
            f"(p95 {entry['big']['p95_ms']:.1f} gegen {entry['small']['p95_ms']:.1f} ms)"
        )
    for note in notes:
        say(f"Hinweis: {note}")

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": urlsplit(settings.url).scheme.split("+")[0],
        "machine": {"cpus": os.cpu_count(), "load_average": list(os.getloadavg())},
        "settings": {
            key: value for key, value in vars(settings).items() if key not in ("url", "small_url")
        },
        "dataset": {
            key: big[key]
            for key in ("idea", "vote", "comment", "board_ideas", "reused", "seed_seconds")
        },
        "small_dataset": {
            key: small[key] for key in ("idea", "vote", "comment", "reused", "seed_seconds")
        },
        "endpoints": rows,
        "group_page_big_vs_small": comparison,
        "notes": notes,
    }
    # The latest run, and the latest run per database (to compare SQLite and PostgreSQL).
    content = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    for name in ("results.json", f"results-{report['database']}.json"):
        (BENCH_DIR / name).write_text(content, encoding="utf-8")
    say(f"\nErgebnisse: .bench/results.json, .bench/results-{report['database']}.json")
    return 0


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


if __name__ == "__main__":
    sys.exit(main())
