"""Security over HTTP: headers, cookies, CSRF, body size, rate limits, redirects, sessions.

Everything runs against the real application; a second application is built only where a
different configuration (production, Redis, an extra route) is the point of the test.
"""

import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
import redis
from flask import abort
from limits import parse_many
from sqlalchemy import func

from app import create_app
from app.extensions import csrf, db
from app.models import Comment, Idea, InternalNote, OfficialAnswer, User
from app.security import safe_next
from tests.conftest import CSRF_PATTERN, anonymised, mails_to
from tests.factories import PASSWORD, make_comment, make_idea, make_user

# A database of its own: scripts/test.sh runs SQLite and PostgreSQL at the same time.
REDIS_URI = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SITE = "https://ideenwerk.example/account/login"
CSRF_MESSAGE = "Das Formular ist abgelaufen"


def _forbidden():
    abort(403)


class PageScan(HTMLParser):
    """What a strict CSP would block or what hints at inline code in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script_src = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            if names.get("src"):
                self._in_script_src = True
            else:
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> block")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            url = (value or "").strip().lower()
            if name in {"href", "src", "action", "formaction"} and url.startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script_src = False

    def handle_data(self, data):
        if self._in_script_src and data.strip():
            self.problems.append("code inside <script src>")


def scan(html: str) -> list[str]:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser.problems


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def csrf_token(client, page="/account/login", **kwargs) -> str:
    html = client.get(page, **kwargs).get_data(as_text=True)
    return CSRF_PATTERN.search(html).group(1)


def users_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(User))


def per_minute(config_value: str) -> int:
    """How many requests the shortest window of a limit like "10 per minute; 50 per hour" allows."""
    shortest = min(parse_many(config_value), key=lambda item: item.get_expiry())
    return shortest.amount


# ---------------------------------------------------------------- headers and pages


@pytest.fixture
def pages(app, people, login_as, other_app):
    """(name, response) for every kind of page: public, form, signed-in, and error pages."""
    visitor = app.test_client()
    forbidding = other_app(routes={"/verboten": _forbidden}).test_client()
    return [
        ("home", visitor.get("/"), 200),
        ("login", visitor.get("/account/login"), 200),
        ("register", visitor.get("/account/register"), 200),
        ("forgot-password", visitor.get("/account/forgot-password"), 200),
        ("settings", login_as(people["citizen"]).get("/account/settings"), 200),
        ("404", visitor.get("/gibt-es-nicht"), 404),
        ("403", forbidding.get("/verboten"), 403),
    ]


def test_every_page_sends_the_security_headers(pages):
    for name, response, status in pages:
        assert response.status_code == status, name
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, name
        directives = csp_directives(csp)
        assert directives["default-src"] == ["'self'"], name
        assert directives["script-src"] == ["'self'"], name
        assert directives["style-src"] == ["'self'"], name
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["object-src"] == ["'none'"], name
        assert directives["base-uri"] == ["'none'"], name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["X-Frame-Options"] == "DENY", name
        assert headers["Referrer-Policy"] in {"same-origin", "no-referrer"}, name


def test_no_page_has_inline_script_style_or_event_handlers(pages):
    for name, response, _status in pages:
        html = response.get_data(as_text=True)
        assert "<html" in html, name
        assert scan(html) == [], name


def test_the_page_scanner_finds_inline_code():
    html = (
        '<script>alert(1)</script><script src="/x.js">y()</script><p style="x" onclick="y">'
        '<a href=" javascript:z">a</a><style>p{}</style><script src="/ok.js"></script>'
    )
    assert scan(html) == [
        "inline <script>",
        "code inside <script src>",
        "style= on <p>",
        "onclick= on <p>",
        "javascript: URL on <a>",
        "<style> block",
    ]


def test_account_pages_are_not_cached(client):
    assert client.get("/account/login").headers["Cache-Control"] == "no-store"


# ---------------------------------------------------------------- cookies


def _set_cookie(response, name: str) -> str:
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    return header


def test_session_cookie_is_httponly_and_samesite_lax(client):
    header = _set_cookie(client.get("/account/login"), "session")
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    # The test application is a development one: plain HTTP must still work there.
    assert "Secure" not in header


def test_production_cookies_are_secure(app, other_app):
    user = make_user("sicher@example.org")
    production = other_app(IDEENWERK_ENV="production", SECRET_KEY="x")
    assert production.config["PREFERRED_URL_SCHEME"] == "https"
    client = production.test_client()
    https = {"base_url": "https://localhost"}
    page = client.get("/account/login", **https)
    assert "Secure" in _set_cookie(page, "session")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    token = CSRF_PATTERN.search(page.get_data(as_text=True)).group(1)
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token},
        # Over HTTPS the CSRF check also wants a same-site Referer, as a browser sends it.
        headers={"Referer": "https://localhost/account/login"},
        **https,
    )
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        header = _set_cookie(response, name)
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header, name


def test_production_without_secret_key_refuses_to_start(app):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            {
                "IDEENWERK_ENV": "production",
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            }
        )


# ---------------------------------------------------------------- CSRF


FORMS = {
    # The citizen's real credentials: with a token this POST would sign in.
    "/account/login": {"email": "buergerin@example.org", "password": PASSWORD},
    "/account/register": {
        "email": "neu@example.org",
        "display_name": "Neue Person",
        "password": "ein-gutes-passwort",
    },
    "/account/logout": {},
    "/language": {"lang": "en"},
}


def _state(client) -> tuple:
    """Everything a forged POST could have changed: accounts, sign-in, language."""
    settings = client.get("/account/settings")
    home = client.get("/").get_data(as_text=True)
    return users_count(), settings.status_code, '<html lang="de">' in home


BAD_TOKENS = ["missing", "garbage", "other session"]


def _with_bad_token(app, data: dict, token: str) -> dict:
    """A form's fields with a CSRF token that must be refused (one of BAD_TOKENS)."""
    if token == "garbage":
        return {**data, "csrf_token": "IjEyMyI.abc.def"}
    if token == "other session":
        return {**data, "csrf_token": csrf_token(app.test_client())}
    return dict(data)


@pytest.mark.parametrize("url", FORMS)
@pytest.mark.parametrize("token", BAD_TOKENS)
def test_posts_without_a_valid_csrf_token_are_refused(app, people, login_as, url, token):
    if url in {"/account/login", "/account/register"}:
        client = app.test_client()
        assert _state(client)[1] == 302
    else:
        # Signed in, so that logout and the language switch have something to change.
        client = login_as(people["citizen"])
        assert _state(client)[1:] == (200, True)
    before = _state(client)
    response = client.post(url, data=_with_bad_token(app, FORMS[url], token))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert CSRF_MESSAGE in html
    assert '<html lang="de">' in html
    assert _state(client) == before


# Forms with long texts check their token themselves (app.security.checks_own_csrf), so
# that an expired form comes back with what was typed instead of an error page.
OWN_CSRF_VIEWS = {
    "app.ideas.views.new",
    "app.ideas.views.edit",
    "app.comments.views.create",
    "app.comments.views.edit",
    "app.u30.views.statement",  # tests/views/test_u30.py: test_an_expired_form_keeps_the_text
    "app.moderation.curation.answer",
    "app.moderation.curation.add_note",
}
ANY_CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')
TYPED = "Ein langer Text, an dem ich eine Stunde geschrieben habe"


def test_only_the_forms_with_long_texts_and_healthz_skip_the_app_wide_csrf_check(app):
    assert csrf._exempt_views == OWN_CSRF_VIEWS | {"app.main.views.healthz"}
    assert csrf._exempt_blueprints == set()


def _text_form(kind: str, people) -> tuple[str, str, dict, Callable[[], tuple]]:
    """A text form of `kind`: who writes, its URL, its fields, and what it could change."""
    # An idea can be edited only while nobody commented on it: the comments go elsewhere.
    idea = make_idea(people["alpha"], people["citizen"], title="Eine Idee ohne Kommentare")
    discussed = make_idea(people["alpha"], title="Eine Idee zum Diskutieren")
    comment = make_comment(discussed, people["citizen"], body="Mein erster Gedanke")
    counts = [db.select(func.count()).select_from(model) for model in TEXT_MODELS]

    def stored() -> tuple:
        db.session.expire_all()
        return (*map(db.session.scalar, counts), idea.body, comment.body)

    return {
        "new idea": (
            "citizen",
            "/ideas/new",
            {"group": "alpha", "title": "Neue Idee", "body": TYPED, "action": "publish"},
        ),
        "idea edit": (
            "citizen",
            f"/ideas/{idea.id}/edit",
            {"title": "Geänderte Idee", "body": TYPED, "action": "publish"},
        ),
        "comment": ("citizen", f"/ideas/{discussed.id}/comments", {"body": TYPED}),
        "comment edit": (
            "citizen",
            f"/ideas/{discussed.id}/comments/{comment.id}/edit",
            {"body": TYPED},
        ),
        "official answer": ("lead", f"/moderation/ideas/{idea.id}/answer", {"body": TYPED}),
        "internal note, lead": ("lead", f"/moderation/ideas/{idea.id}/notes", {"body": TYPED}),
        "internal note, board": ("board", f"/moderation/ideas/{idea.id}/notes", {"body": TYPED}),
    }[kind] + (stored,)


TEXT_MODELS = (Idea, Comment, OfficialAnswer, InternalNote)
TEXT_FORMS = [
    "new idea",
    "idea edit",
    "comment",
    "comment edit",
    "official answer",
    "internal note, lead",
    "internal note, board",
]


@pytest.mark.parametrize("kind", TEXT_FORMS)
@pytest.mark.parametrize("token", BAD_TOKENS)
def test_an_expired_text_form_comes_back_with_the_text(app, people, login_as, kind, token):
    role, url, data, stored = _text_form(kind, people)
    client = login_as(people[role])
    before = stored()
    response = client.post(url, data=_with_bad_token(app, data, token))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Das Formular ist abgelaufen. Bitte senden Sie es noch einmal." in page
    assert f"{TYPED}</textarea>" in page
    assert stored() == before
    # The page brought a fresh token: sent again, the text is taken.
    response = client.post(url, data={**data, "csrf_token": ANY_CSRF_TOKEN.search(page)[1]})
    assert response.status_code == 302
    assert stored() != before


def test_a_valid_csrf_token_is_accepted(client):
    # The counterpart of the refusals above: the same POST with the page's token works.
    response = client.submit("/language", {"lang": "en"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


# ---------------------------------------------------------------- request size


def test_an_oversized_body_gets_a_german_413_page(client):
    token = csrf_token(client, "/account/register")
    huge = "x" * (1024 * 1024)
    response = client.post(
        "/account/register",
        data={
            "email": "gross@example.org",
            "display_name": huge,
            "password": "ein-gutes-passwort",
            "csrf_token": token,
        },
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Anfrage zu groß" in html
    assert 'class="site-header"' in html
    assert users_count() == 0


# ---------------------------------------------------------------- rate limits


def _assert_limited(response) -> None:
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Zu viele Anfragen" in html
    assert '<html lang="de">' in html and 'class="site-header"' in html
    assert int(response.headers["Retry-After"]) > 0


def test_login_is_rate_limited(app, client):
    make_user("ziel@example.org")
    allowed = per_minute(app.config["RATELIMIT_LOGIN"])
    assert allowed <= 20, "a limit that high would hardly slow down password guessing"
    token = csrf_token(client)
    wrong = {"email": "ziel@example.org", "password": "falsch-falsch", "csrf_token": token}
    for _ in range(allowed):
        assert client.post("/account/login", data=wrong).status_code == 200
    # The limit holds even for the right password: guessing stops here.
    right = {**wrong, "password": PASSWORD}
    _assert_limited(client.post("/account/login", data=right))
    assert client.get("/account/settings").status_code == 302
    # Reading the login page is never limited.
    assert client.get("/account/login").status_code == 200


def test_registration_is_rate_limited(app, client):
    allowed = per_minute(app.config["RATELIMIT_REGISTER"])
    token = csrf_token(client, "/account/register")
    for number in range(allowed + 1):
        response = client.post(
            "/account/register",
            data={
                "email": f"person{number}@example.org",
                "display_name": f"Person {number}",
                "password": "ein-gutes-passwort",
                "csrf_token": token,
            },
        )
        if number < allowed:
            assert response.status_code == 200
    _assert_limited(response)
    assert users_count() == allowed


def test_forgot_password_is_rate_limited(app, client):
    make_user("vergesslich@example.org")
    allowed = per_minute(app.config["RATELIMIT_PASSWORD_RESET"])
    token = csrf_token(client, "/account/forgot-password")
    data = {"email": "vergesslich@example.org", "csrf_token": token}
    for _ in range(allowed):
        assert client.post("/account/forgot-password", data=data).status_code == 200
    _assert_limited(client.post("/account/forgot-password", data=data))
    assert len(mails_to("vergesslich@example.org")) == allowed


def test_limits_count_per_client_address(app):
    allowed = per_minute(app.config["RATELIMIT_LOGIN"])
    first, second = app.test_client(), app.test_client()
    token = csrf_token(first)
    data = {"email": "x@example.org", "password": "falsch-falsch", "csrf_token": token}
    for _ in range(allowed + 1):
        first.post("/account/login", data=data)
    other = {"REMOTE_ADDR": "192.0.2.7"}
    response = second.post(
        "/account/login",
        data={**data, "csrf_token": csrf_token(second, environ_base=other)},
        environ_base=other,
    )
    assert response.status_code == 200


@pytest.fixture
def redis_db():
    connection = redis.Redis.from_url(REDIS_URI)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


def test_rate_limits_are_shared_through_redis(app, other_app, redis_db):
    def wrong_login(client):
        data = {"email": "x@example.org", "password": "falsch-falsch"}
        return client.post("/account/login", data={**data, "csrf_token": csrf_token(client)})

    first = other_app(RATELIMIT_STORAGE_URI=REDIS_URI).test_client()
    allowed = per_minute(app.config["RATELIMIT_LOGIN"])
    assert redis_db.keys("*") == []
    for _ in range(allowed):
        assert wrong_login(first).status_code == 200
    keys = [key.decode() for key in redis_db.keys("*")]
    login_keys = [key for key in keys if "account.login" in key]
    assert login_keys, keys
    assert max(int(redis_db.get(key)) for key in login_keys) == allowed

    # Another worker process starts with its own connection to Redis and sees the count.
    second = other_app(RATELIMIT_STORAGE_URI=REDIS_URI).test_client()
    _assert_limited(wrong_login(second))
    _assert_limited(wrong_login(first))

    # The counters live in Redis, not in the process: without them the limit is lifted.
    redis_db.flushdb()
    assert wrong_login(second).status_code == 200


# ---------------------------------------------------------------- redirects after login

GOOD_TARGETS = ["/", "/ok?x=1", "/ideas/5#kommentare", "/account/settings", "/suche?q=%C3%BC"]
EVIL_TARGETS = [
    None,
    "",
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "http:/evil.example",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "\x00",
    "/\x00",
    "/ok\r\nSet-Cookie: x=1",
    "evil.example",
    "%2F%2Fevil.example",
]
# Odd but harmless: a browser keeps these on this site.
ODD_LOCAL_TARGETS = ["/%2F%2Fevil.example", "/.//evil.example", "/javascript:alert(1)"]


@pytest.mark.parametrize("target", GOOD_TARGETS)
def test_safe_next_keeps_local_paths(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_safe_next_refuses_other_sites_and_schemes(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ODD_LOCAL_TARGETS)
def test_safe_next_never_leaves_the_site(target):
    result = safe_next(target)
    if result is not None:
        resolved = urlsplit(urljoin(SITE, result))
        assert (resolved.scheme, resolved.netloc) == ("https", "ideenwerk.example")


@pytest.mark.parametrize(
    "target, location",
    [
        ("/account/settings", "/account/settings"),
        ("/ok?x=1", "/ok?x=1"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_redirects_only_to_safe_next(client, target, location):
    user = make_user("weiter@example.org")
    response = client.submit(
        "/account/login",
        {"email": user.email, "password": PASSWORD},
        query_string={"next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == location


def _login_form_action(client, next_url: str) -> str:
    html = client.get("/account/login?next=" + quote(next_url, safe="")).get_data(as_text=True)
    (action,) = re.findall(r'<form method="post" action="(/account/login[^"]*)"', html)
    return action


def test_login_form_carries_only_a_safe_next(client):
    assert _login_form_action(client, "//evil.example") == "/account/login"
    assert _login_form_action(client, "/account/settings") == (
        "/account/login?next=/account/settings"
    )


def test_language_switch_redirects_only_to_safe_next(client):
    response = client.submit("/language", {"lang": "de", "next": "https://evil.example"})
    assert response.headers["Location"] == "/"
    response = client.submit("/language", {"lang": "de", "next": "/account/login"})
    assert response.headers["Location"] == "/account/login"


# ---------------------------------------------------------------- no user enumeration


def _normalised(response, *emails: str) -> str:
    return anonymised(response.get_data(as_text=True), *emails)


def test_login_does_not_tell_unknown_address_from_wrong_password(app):
    make_user("bekannt@example.org")
    answers = []
    for email in ("bekannt@example.org", "unbekannt@example.org"):
        client = app.test_client()
        response = client.submit(
            "/account/login", {"email": email, "password": "falsches-passwort"}
        )
        answers.append((response.status_code, _normalised(response, email)))
    assert answers[0][0] == 200
    assert "E-Mail-Adresse oder Passwort ist falsch." in answers[0][1]
    assert answers[0] == answers[1]


def test_register_does_not_tell_a_taken_address(app):
    owner = make_user("vergeben@example.org", display_name="Erste Person")
    answers = []
    for email in ("vergeben@example.org", "frei@example.org"):
        client = app.test_client()
        response = client.submit(
            "/account/register",
            {"email": email, "display_name": "Zweite Person", "password": "ein-gutes-passwort"},
        )
        answers.append((response.status_code, _normalised(response, email)))
    assert answers[0][0] == 200
    assert answers[0] == answers[1]
    taken = db.session.scalars(db.select(User).where(User.email == "vergeben@example.org")).all()
    assert [user.id for user in taken] == [owner.id]
    assert taken[0].display_name == "Erste Person"
    (mail,) = mails_to("vergeben@example.org")
    assert mail.subject == "Registrierung mit Ihrer Adresse"
    assert "Sie haben bereits ein Konto" in mail.body
    assert [m.subject for m in mails_to("frei@example.org")] == [
        "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    ]


def test_forgot_password_does_not_tell_unknown_addresses(app):
    make_user("bekannt@example.org")
    answers = []
    for email in ("bekannt@example.org", "unbekannt@example.org"):
        client = app.test_client()
        response = client.submit("/account/forgot-password", {"email": email})
        answers.append((response.status_code, _normalised(response, email)))
    assert answers[0][0] == 200
    assert answers[0] == answers[1]
    assert len(mails_to("bekannt@example.org")) == 1
    assert mails_to("unbekannt@example.org") == []


# ---------------------------------------------------------------- sessions


def test_login_starts_a_new_session(client):
    user = make_user("neu-sitzung@example.org")
    token = csrf_token(client)
    with client.session_transaction() as session:
        session["untergeschoben"] = "vom Angreifer"
        session["lang"] = "de"
    before = client.get_cookie("session").value
    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "untergeschoben" not in session
        assert session["lang"] == "de"
        assert session["_user_id"] == user.get_id()


def test_password_change_ends_other_sessions(app, login_as):
    user = make_user("wechsel@example.org")
    here = login_as(user)
    elsewhere = login_as(user)
    remembered = app.test_client()
    remembered.submit(
        "/account/login", {"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    remembered.delete_cookie("session")  # a browser restart: only the remember cookie is left
    assert remembered.get("/account/settings").status_code == 200
    remembered.delete_cookie("session")

    response = here.submit(
        "/account/settings/password",
        {"password-current_password": PASSWORD, "password-new_password": "ganz-neues-passwort"},
        page="/account/settings",
    )
    assert response.status_code == 302

    assert here.get("/account/settings").status_code == 200
    for other in (elsewhere, remembered):
        response = other.get("/account/settings")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login")


def test_behind_a_proxy_the_forwarded_client_address_is_rate_limited(other_app):
    proxied = other_app(PROXY_COUNT=1, RATELIMIT_LOGIN="2 per minute")
    client = proxied.test_client()
    data = {"email": "x@example.org", "password": "falsch-falsch"}

    def attempt(address):
        return client.submit(
            "/account/login",
            data,
            page="/account/login",
            headers={"X-Forwarded-For": address},
        )

    assert attempt("203.0.113.1").status_code == 200
    assert attempt("203.0.113.1").status_code == 200
    assert attempt("203.0.113.1").status_code == 429
    # Another citizen behind the same proxy is not locked out.
    assert attempt("203.0.113.2").status_code == 200
