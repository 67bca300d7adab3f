"""Fixtures: one app and one migrated database per run, emptied after every test.

The database is SQLite unless TEST_DATABASE_URL names another (PostgreSQL in CI).
"""

import contextvars
import os
import re
import signal

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import cache, db, limiter
from app.models import OutboxMail, Role, User
from app.seed import seed_groups
from tests import factories

CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')
ANY_CSRF_FIELD = re.compile(r'(name="csrf_token"[^>]*? value=")[^"]*"')


def pytest_configure(config):
    # scripts/test.sh starts the runs in the background, where a shell makes them ignore
    # SIGINT: restore Python's handler, so that `timeout --signal=INT` and Ctrl-C still
    # stop pytest with its summary.
    signal.signal(signal.SIGINT, signal.default_int_handler)


class Client(FlaskClient):
    """A test client that fills in the CSRF token the way a browser form would.

    Each request runs in an empty context, so that it gets its own app context, `g` and
    database session, as in production, instead of reusing the test's own.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self, page: str = "/") -> str:
        html = self.get(page).get_data(as_text=True)
        match = CSRF_PATTERN.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, *, page: str = "/", **kwargs):
        data = {**(data or {}), "csrf_token": self.csrf_token(page)}
        return self.post(url, data=data, **kwargs)


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


def reset_schema(url: str) -> None:
    # Each run starts from an empty schema and builds it through the migrations.
    if url.startswith("postgresql"):
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
    upgrade()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url(tmp_path_factory)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "MAIL_DELIVER_AFTER_REQUEST": False,
            "SERVER_NAME": "localhost",
        }
    )
    app.test_client_class = Client
    with app.app_context():
        reset_schema(url)
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before the interpreter does


@pytest.fixture(autouse=True)
def _context(app):
    """Every test runs in an app context and leaves an empty database behind."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        cache.clear()  # ids start again in an empty database; cached lists must not survive
    limiter.reset()


@pytest.fixture
def other_app(app):
    """Build a second application on the test database, with some configuration changed.

    The limiter is one object shared by all applications and keeps the storage of the last
    one initialised, so the test application's storage is put back afterwards.
    """
    saved = limiter._storage, limiter._limiter
    built = []

    def build(routes=None, **config):
        other = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
                "MAIL_DELIVER_AFTER_REQUEST": False,
                **config,
            }
        )
        other.test_client_class = app.test_client_class
        for rule, view in (routes or {}).items():
            other.add_url_rule(rule, view.__name__, view)
        built.append(other)
        return other

    yield build
    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    limiter._storage, limiter._limiter = saved


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def groups_seeded():
    """The five default thematic groups."""
    seed_groups()
    db.session.commit()


@pytest.fixture
def login_as(app):
    """A new client signed in as `user` (through the session, as Flask-Login stores it)."""

    def login(user: User) -> Client:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    return login


ROLE_NAMES = ("visitor", "unconfirmed", "citizen", "lead", "other_lead", "board", "u30", "admin")


@pytest.fixture
def people():
    """One account per role; leads lead group "alpha", other_lead leads "beta"."""
    alpha = factories.make_group("Alpha", "alpha")
    beta = factories.make_group("Beta", "beta")
    return {
        "alpha": alpha,
        "beta": beta,
        "unconfirmed": factories.make_user("unbestaetigt@example.org", confirmed=False),
        "citizen": factories.make_user("buergerin@example.org"),
        "lead": factories.make_user("leitung@example.org", lead_of=alpha),
        "other_lead": factories.make_user("andere-leitung@example.org", lead_of=beta),
        "board": factories.make_user("gremium@example.org", roles_={Role.BOARD}),
        "u30": factories.make_user("u30@example.org", roles_={Role.U30}),
        "admin": factories.make_user("admin@example.org", roles_={Role.ADMIN}),
    }


@pytest.fixture
def client_for(app, people, login_as):
    """A client for a role name from ROLE_NAMES ("visitor" is signed out)."""

    def make(role: str) -> Client:
        if role == "visitor":
            return app.test_client()
        return login_as(people[role])

    return make


def mails_to(address: str) -> list[OutboxMail]:
    """The mails in the outbox for an address, oldest first (what the mail log would show)."""
    return list(
        db.session.scalars(
            db.select(OutboxMail).where(OutboxMail.recipient == address).order_by(OutboxMail.id)
        )
    )


def anonymised(html: str, *addresses: str) -> str:
    """A page without the addresses typed into it and without its CSRF tokens.

    What is left must be the same for a known and an unknown address. Tokens are signed
    with the current second, so two requests that straddle one differ there.
    """
    html = ANY_CSRF_FIELD.sub(r'\1"', html)
    for address in addresses:
        html = html.replace(address, "ADRESSE")
    return html


def link_in(mail: OutboxMail, path_part: str) -> str:
    """The first link in a mail whose path contains `path_part`, as a local path."""
    match = re.search(r"https?://[^/\s]+(\S*" + re.escape(path_part) + r"\S*)", mail.body)
    assert match, f"no link with {path_part!r} in: {mail.body}"
    return match.group(1)
