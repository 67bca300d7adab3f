"""Configuration defaults; `instance/config.py` overrides them, the environment overrides both."""

import os

ENV_KEYS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "RATELIMIT_STORAGE_URI",
    "SITE_NAME",
    "CITY_NAME",
    "IDEENWERK_ENV",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_DEFAULT_SENDER",
    "MAIL_DELIVER_AFTER_REQUEST",
    "PREFERRED_URL_SCHEME",
    "SERVER_NAME",
    "PROXY_COUNT",
    "CACHE_TYPE",
    "CACHE_REDIS_URL",
    "LIST_CACHE_SECONDS",
)

INT_KEYS = {"MAIL_PORT", "PROXY_COUNT", "LIST_CACHE_SECONDS"}
BOOL_KEYS = {"MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_DELIVER_AFTER_REQUEST"}


class Defaults:
    # "development" generates a SECRET_KEY into instance/ and sends cookies over plain HTTP;
    # anything else ("production") requires SECRET_KEY and marks cookies Secure.
    IDEENWERK_ENV = "development"
    SITE_NAME = "Ideenwerk"
    # Reverse proxies in front of the app (nginx: 1). Their X-Forwarded-* headers are then
    # trusted for the client address (rate limits) and the scheme (Secure links, HSTS).
    PROXY_COUNT = 0
    CITY_NAME = "Gütersloh"

    DATABASE_URL: str | None = None  # default: SQLite file in instance/
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # A request body above this size gets a 413 page; the longest form (an idea) is ~10 kB.
    MAX_CONTENT_LENGTH = 256 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14

    WTF_CSRF_TIME_LIMIT = 60 * 60 * 4

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = {"de": "Deutsch", "en": "English"}

    # Rendered idea lists are kept this long at most; any change to a group's ideas makes
    # its lists new at once. With several processes use a shared cache:
    # CACHE_TYPE=RedisCache and CACHE_REDIS_URL=redis://127.0.0.1:6379/1.
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 60
    LIST_CACHE_SECONDS = 60

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute; 50 per hour"
    RATELIMIT_REGISTER = "5 per minute; 20 per hour"
    RATELIMIT_PASSWORD_RESET = "5 per minute; 20 per hour"  # noqa: S105
    RATELIMIT_COMMENT = "10 per minute; 100 per day"  # comments, edits and reports, each
    RATELIMIT_POST_IDEA = "5 per minute; 30 per day"
    RATELIMIT_VOTE = "60 per minute"  # votes and assessments, each counted on its own

    CONFIRM_TOKEN_MAX_AGE = 60 * 60 * 48
    RESET_TOKEN_MAX_AGE = 60 * 60 * 2

    MAIL_SERVER: str | None = None  # None: mails are written to the log
    MAIL_PORT = 587
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = True
    MAIL_USE_SSL = False
    MAIL_DEFAULT_SENDER = "Ideenwerk <noreply@localhost>"
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method, not a password)
    MAIL_MAX_ATTEMPTS = 8
    # Deliver the outbox right after the response that filled it. Production may instead
    # run `flask mail deliver --loop` as a service and set this to false.
    MAIL_DELIVER_AFTER_REQUEST = True


def from_environment() -> dict:
    """The configuration keys set in the environment, converted to their types."""
    values: dict = {}
    for key in ENV_KEYS:
        raw = os.environ.get(key)
        if raw is None or raw == "":
            continue
        if key in INT_KEYS:
            values[key] = int(raw)
        elif key in BOOL_KEYS:
            values[key] = raw.strip().lower() in {"1", "true", "yes", "on"}
        else:
            values[key] = raw
    return values


def database_uri(url: str | None, instance_path: str) -> str:
    """SQLAlchemy URI for DATABASE_URL; PostgreSQL always goes through psycopg 3."""
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "ideenwerk.sqlite")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
