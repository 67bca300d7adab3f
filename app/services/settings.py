"""Operator-editable site texts: accessibility statement, privacy notice, imprint."""

from flask import current_app, render_template
from flask_babel import gettext

from app.extensions import db
from app.models import SiteSetting
from app.services.text import render_markdown


def N_(message: str) -> str:
    """Mark a string for extraction only; `label()` translates it where it is shown."""
    return message


# key -> (German label, template of the default text)
SITE_TEXTS = {
    "accessibility": (N_("Erklärung zur Barrierefreiheit"), "site_texts/accessibility.md"),
    "privacy": (N_("Datenschutzerklärung"), "site_texts/privacy.md"),
    "imprint": (N_("Impressum"), "site_texts/imprint.md"),
}


def label(key: str) -> str:
    """The label of a site text in the visitor's language."""
    return gettext(SITE_TEXTS[key][0])


def default_text(key: str) -> str:
    """The default Markdown for a site text, filled in with the city's configuration."""
    config = current_app.config
    return render_template(
        SITE_TEXTS[key][1], site_name=config["SITE_NAME"], city_name=config["CITY_NAME"]
    )


def text_source(key: str) -> str:
    setting = db.session.get(SiteSetting, key)
    return setting.value if setting is not None else default_text(key)


def text_html(key: str) -> str:
    """The sanitised HTML of a site text (the default until an admin has edited it)."""
    setting = db.session.get(SiteSetting, key)
    if setting is not None:
        return setting.value_html
    return render_markdown(default_text(key))


def set_text(key: str, source: str) -> None:
    """Store a site text; its HTML is rendered and sanitised now, once."""
    if key not in SITE_TEXTS:
        raise KeyError(key)
    setting = db.session.get(SiteSetting, key) or SiteSetting(key=key)
    setting.value = source
    setting.value_html = render_markdown(source)
    db.session.add(setting)
    db.session.flush()
