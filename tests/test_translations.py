"""The English catalogue: complete, compiled, and used when a visitor chooses English.

German is the source language: every msgid is German, and `app/translations/en` holds the
English text. When a test here fails after a change to the interface, run `make messages`
and translate the new entries in `app/translations/en/LC_MESSAGES/messages.po`.
"""

import html
import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from app.extensions import db
from app.models import User
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "app" / "translations" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE / "messages.po"
MO_FILE = CATALOGUE / "messages.mo"

# As `pybabel extract -k _l -k lazy_gettext`: Babel's own keywords (_, gettext, N_, ...)
# plus the lazy ones used for module-level strings (form labels, error page texts).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


# ---------------------------------------------------------------- the catalogue


def _ignored_directory(path: str) -> bool:
    # As `--ignore-dirs '.* __pycache__'`. Babel's default would also skip directories
    # starting with "_", and with them the strings in templates/_macros/.
    name = os.path.basename(path)
    return name.startswith(".") or name == "__pycache__"


def source_messages() -> dict[tuple[str, str | None], list[str]]:
    """Every msgid in the source, extracted as `make messages` does, with where it occurs."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, filename="babel.cfg")
    found: dict[tuple[str, str | None], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=lambda path: not _ignored_directory(path),
    ):
        found.setdefault((singular(message), context), []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def extracted():
    return source_messages()


@pytest.fixture(scope="module")
def catalogue():
    with open(PO_FILE, "rb") as handle:
        return read_po(handle, locale="en")


def singular(msgid) -> str:
    """The key of a message: its msgid, or the singular of a plural one."""
    return msgid[0] if isinstance(msgid, tuple | list) else msgid


def forms(text) -> tuple:
    """A msgid or msgstr as a tuple: one element, or one per plural form."""
    return tuple(text) if isinstance(text, tuple | list) else (text,)


def placeholders(text: str) -> Counter:
    return Counter(match.group(0) for match in PLACEHOLDER.finditer(text) if match.group(0) != "%%")


def test_the_extraction_finds_the_interface(extracted):
    # Guards the test itself: Python (lazy and immediate), templates, and the macros.
    msgids = {msgid for msgid, _context in extracted}
    assert "Anmelden" in msgids  # base.html
    assert "Seite nicht gefunden" in msgids  # _l() in app/web.py
    assert "Bitte geben Sie Ihre E-Mail-Adresse an." in msgids  # _l() in a form
    assert "Bitte prüfen Sie Ihre Eingaben:" in msgids  # templates/_macros/forms.html
    assert "Datenschutzerklärung" in msgids  # N_() in app/services/settings.py
    assert len(msgids) > 200


def test_every_message_in_the_source_has_an_english_translation(extracted, catalogue):
    problems = []
    for (msgid, context), places in sorted(extracted.items(), key=lambda item: item[1][0]):
        entry = catalogue.get(msgid, context)
        where = places[0]
        if entry is None:
            problems.append(f"{where}: not in messages.po: {msgid!r}")
            continue
        strings = forms(entry.string)
        if entry.fuzzy:
            problems.append(f"{where}: fuzzy: {msgid!r}")
        if not all(s and s.strip() for s in strings):
            problems.append(f"{where}: empty translation: {msgid!r}")
    assert not problems, "run `make messages` and translate:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders(catalogue):
    problems = []
    for entry in catalogue:
        if not entry.id:
            continue
        expected = placeholders(forms(entry.id)[-1])
        for string in forms(entry.string):
            if placeholders(string) != expected:
                problems.append(f"{singular(entry.id)!r} -> {string!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)
    # Babel's own checks (python-format consistency) agree.
    assert [(entry.id, errors) for entry, errors in catalogue.check()] == []


def test_the_catalogue_holds_only_current_messages(extracted, catalogue):
    # A string removed from the code leaves no live entry behind (`pybabel update` keeps it
    # as an obsolete "#~" comment, which is not compiled and is fine).
    stale = [
        entry.id
        for entry in catalogue
        if entry.id and (singular(entry.id), entry.context) not in extracted
    ]
    assert stale == [], "run `make messages`; no longer in the source: " + repr(stale)


def test_the_committed_mo_file_is_compiled_from_the_po_file(catalogue):
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    with open(MO_FILE, "rb") as handle:
        committed = read_mo(handle)
    fresh = read_mo(compiled)

    def messages(mo_catalogue) -> dict:
        return {
            (forms(entry.id), entry.context): forms(entry.string)
            for entry in mo_catalogue
            if entry.id
        }

    assert messages(committed) == messages(fresh), "run `pybabel compile -d app/translations`"
    assert len(messages(committed)) == len([entry for entry in catalogue if entry.id])


# ---------------------------------------------------------------- behaviour


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def choose(client, lang: str, page: str = "/", **extra):
    return client.submit("/language", {"lang": lang, **extra}, page=page)


def log_in(client, email: str):
    return client.submit(
        "/account/login", {"email": email, "password": PASSWORD}, page="/account/login"
    )


def account(user: User) -> User:
    db.session.expire_all()  # the requests changed it in their own sessions
    return db.session.get(User, user.id)


COMMON_DE = ("Zum Inhalt springen", "Hauptnavigation", "Impressum", "Datenschutz", "Rechtliches")
COMMON_EN = ("Skip to content", "Main navigation", "Imprint", "Privacy", "Legal", "Accessibility")
VISITOR_NAV = {"de": ("Anmelden", "Registrieren"), "en": ("Log in", "Register")}
SIGNED_IN_NAV = {"de": ("Mein Konto", "Abmelden"), "en": ("My account", "Log out")}


def assert_english(page: str, *, signed_in: bool = False) -> None:
    nav = SIGNED_IN_NAV if signed_in else VISITOR_NAV
    assert '<html lang="en">' in page
    for text in (*COMMON_EN, *nav["en"], "is free software for citizen participation in"):
        assert text in page, text
    for text in (*COMMON_DE, *nav["de"], "Barrierefreiheit", "freie Software"):
        assert text not in page, text
    # The switch offers the other language, named in that language.
    assert '<button type="submit" name="lang" value="de" lang="de">Deutsch</button>' in page


def assert_german(page: str, *, signed_in: bool = False) -> None:
    nav = SIGNED_IN_NAV if signed_in else VISITOR_NAV
    assert '<html lang="de">' in page
    for text in (*COMMON_DE, *nav["de"]):
        assert text in page, text
    for text in (*COMMON_EN, *nav["en"]):
        assert text not in page, text
    assert '<button type="submit" name="lang" value="en" lang="en">English</button>' in page


def test_german_is_the_default_whatever_the_browser_asks_for(client):
    assert_german(text_of(client.get("/")))
    # Deliberately not Accept-Language: English only on request.
    assert_german(text_of(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})))


def test_choosing_english_translates_home_login_and_error_pages(app, client):
    response = choose(client, "en", next="/account/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"

    home = text_of(client.get("/"))
    assert_english(home)
    assert f"Ideas for a digital {app.config['CITY_NAME']}" in home
    assert "Thematic groups" in home and "Themengruppen" not in home
    assert "Get involved" in home

    login = text_of(client.get("/account/login"))
    assert_english(login)
    for text in ("<h1>Log in</h1>", "Email address", "Password", "Stay logged in"):
        assert text in login
    assert "Forgotten your password?" in login and "No account yet?" in login
    for text in ("E-Mail-Adresse", "Passwort", "Angemeldet bleiben", "(Pflichtfeld)"):
        assert text not in login

    missing = client.get("/gibt-es-nicht")
    assert missing.status_code == 404
    page = text_of(missing)
    assert_english(page)
    assert "<h1>Page not found</h1>" in page and "Error code 404" in page
    assert "Seite nicht gefunden" not in page and "Fehlercode" not in page

    privacy = text_of(client.get("/datenschutz"))
    assert "<h1>Privacy notice</h1>" in privacy and "Datenschutzerklärung</h1>" not in privacy


def test_form_errors_on_registration_are_english(client):
    choose(client, "en")
    form = text_of(client.get("/account/register"))
    assert "(required)" in form and "Pflichtfeld" not in form
    assert 'as described in the <a href="/datenschutz">privacy notice</a>.' in form

    response = client.submit(
        "/account/register",
        {"email": "kein-at-zeichen", "display_name": "", "password": "kurz"},
        page="/account/register",
    )
    assert response.status_code == 200
    page = text_of(response)
    assert_english(page)
    assert "Please check your entries:" in page
    assert "Please enter a valid email address, e.g. name@example.org." in page
    assert "Please enter a display name." in page
    assert "The password must be between 10 and 128 characters long." in page
    assert "Bitte" not in page and "Pflichtfeld" not in page

    response = client.submit("/account/register", {}, page="/account/register")
    page = text_of(response)
    assert "Please enter your email address." in page and "Please choose a password." in page


def test_the_registration_notice_is_one_sentence_in_german_too(client):
    page = text_of(client.get("/account/register"))
    assert (
        "Mit der Registrierung akzeptieren Sie, dass wir die oben genannten Angaben wie in der "
        '<a href="/datenschutz">Datenschutzerklärung</a> beschrieben verarbeiten.'
    ) in page


def test_the_choice_survives_further_requests_and_switching_back_works(client):
    choose(client, "en")
    for url in ("/", "/account/login", "/account/register", "/impressum", "/"):
        assert '<html lang="en">' in text_of(client.get(url)), url

    response = choose(client, "de", page="/account/login", next="/account/login")
    assert response.status_code == 302
    assert_german(text_of(client.get("/")))
    assert "<h1>Anmelden</h1>" in text_of(client.get("/account/login"))
    assert "<h1>Seite nicht gefunden</h1>" in text_of(client.get("/gibt-es-nicht"))


@pytest.mark.parametrize("value", ["fr", "", "EN", "en-GB", "english", None])
def test_an_unsupported_language_is_refused(client, value):
    data = {} if value is None else {"lang": value}
    response = client.submit("/language", data)
    assert response.status_code == 400
    assert_german(text_of(client.get("/")))


def test_a_signed_in_choice_is_stored_on_the_account_and_used_after_a_new_login(
    app, people, login_as
):
    user = people["citizen"]
    assert account(user).locale is None
    client = login_as(user)
    choose(client, "en")
    assert account(user).locale == "en"
    assert_english(text_of(client.get("/")), signed_in=True)

    # Signing out keeps the visitor's language.
    client.submit("/account/logout")
    assert '<html lang="en">' in text_of(client.get("/"))

    # Another browser, no choice in its session: the account's language after signing in.
    other = app.test_client()
    assert_german(text_of(other.get("/")))
    response = log_in(other, user.email)
    assert response.status_code == 302
    page = text_of(other.get("/"))
    assert_english(page, signed_in=True)
    assert "You are now logged in." in page

    # Messages from the services are translated too.
    response = other.submit(
        "/account/settings/email",
        {"email-email": user.email, "email-current_password": PASSWORD},
        page="/account/settings",
    )
    assert "This is already your email address." in text_of(response)

    # Back to German, on the account as well.
    choose(other, "de")
    assert account(user).locale == "de"
    third = app.test_client()
    log_in(third, user.email)
    page = text_of(third.get("/"))
    assert_german(page, signed_in=True)
    assert "Sie sind angemeldet." in page
