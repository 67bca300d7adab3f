"""Steps that several browser tests take."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.factories import PASSWORD

# "Passwort", then perhaps a required marker; not "Passwort vergessen?".
PASSWORD_LABEL = re.compile(r"^Passwort\b(?! vergessen)")


def sign_in(browse, email: str, password: str = PASSWORD) -> Page:
    """Sign in through the real login form; ends on the home page."""
    page = browse.visit("/account/login")
    page.get_by_role("textbox", name="E-Mail-Adresse").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("main").get_by_role("button", name="Anmelden", exact=True).click()
    return browse.landed("/")


def arrived_at(page: Page, path_pattern: str) -> str:
    """Wait for a path matching the pattern (it holds an id the test cannot know); return it."""
    page.wait_for_url(re.compile(r"^https?://[^/]+" + path_pattern + r"(?:[?#].*)?$"))
    return urlsplit(page.url).path
