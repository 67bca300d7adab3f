"""The admin area: who may enter, what each page shows, what each form does with bad input."""

import html
import re
from urllib.parse import urlsplit

import pytest

from app.extensions import db
from app.models import (
    Idea,
    IdeaStatus,
    Role,
    SiteSetting,
    TandemSide,
    ThematicGroup,
    User,
    UserRole,
)
from app.services import accounts, groups, settings
from tests import factories

ADMINISTRATION, CIVIC = TandemSide.ADMINISTRATION, TandemSide.CIVIC

PAGES = [
    "/admin/",
    "/admin/groups",
    "/admin/groups/{alpha}",
    "/admin/users",
    "/admin/users/{citizen}",
    "/admin/texts",
    "/admin/texts/accessibility",
    "/admin/texts/privacy",
    "/admin/texts/imprint",
]

# (path, form data that an admin would get accepted)
POSTS = [
    ("/admin/groups", {"name": "Neue Gruppe"}),
    ("/admin/groups/{alpha}", {"name": "Alpha neu", "description": ""}),
    ("/admin/groups/{alpha}/move", {"direction": "down"}),
    ("/admin/groups/{alpha}/archive", {"archived": "1"}),
    ("/admin/users/{citizen}", {"board": "y"}),
    ("/admin/texts/privacy", {"body": "Neu."}),
]

NOT_ADMINS = ["unconfirmed", "citizen", "lead", "other_lead", "board", "u30"]


def fill(path: str, people) -> str:
    return path.format(alpha=people["alpha"].id, citizen=people["citizen"].id)


@pytest.fixture
def admin(people, login_as):
    """A client signed in as the admin of `people`."""
    return login_as(people["admin"])


def text_of(response) -> str:
    return response.get_data(as_text=True)


def error_beside(page: str, field_id: str) -> str:
    """The error message shown beside a field, checked to be tied to the field."""
    match = re.search(rf'<p class="error" id="{field_id}-fehler">(.*?)</p>', page, re.S)
    assert match, f"no error beside {field_id}"
    control = re.search(rf'<(?:input|textarea)[^>]*\bid="{field_id}"[^>]*>', page)
    assert control, f"no control {field_id}"
    assert f"{field_id}-fehler" in control.group(0)
    assert 'aria-invalid="true"' in control.group(0)
    return html.unescape(match.group(1))


def value_of(page: str, field_id: str) -> str:
    """What a text input or textarea shows, i.e. what the user typed is kept."""
    control = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', page)
    if control:
        value = re.search(r'\bvalue="([^"]*)"', control.group(0))
        return html.unescape(value.group(1)) if value else ""
    area = re.search(rf'<textarea[^>]*\bid="{field_id}"[^>]*>(.*?)</textarea>', page, re.S)
    assert area, f"no control {field_id}"
    return html.unescape(area.group(1)).lstrip("\r\n")


def is_checked(page: str, field_id: str) -> bool:
    control = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', page)
    assert control
    return re.search(r"\schecked\b", control.group(0)) is not None


def group_state() -> list[tuple]:
    db.session.rollback()
    return [
        (group.slug, group.name, group.description, group.position, group.archived_at)
        for group in groups.ordered_groups(include_archived=True)
    ]


def lead_state(group: ThematicGroup) -> dict:
    db.session.rollback()
    return {side: (lead.id if (lead := group.lead_on(side)) else None) for side in TandemSide}


# Who may enter


@pytest.mark.parametrize("path", PAGES)
def test_every_admin_page_renders_for_an_admin(admin, people, path):
    response = admin.get(fill(path, people))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    assert 'lang="de"' in page
    assert "style=" not in page
    assert "<script>" not in page  # only the external script of the layout
    assert page.count("<table") == page.count("<caption")
    headers = re.findall(r"<th\b[^>]*>", page)
    assert all("scope=" in header for header in headers)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", PAGES)
def test_visitors_are_sent_to_login(client, people, path):
    response = client.get(fill(path, people))
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/account/login"


@pytest.mark.parametrize("role", NOT_ADMINS)
@pytest.mark.parametrize("path", PAGES)
def test_other_roles_are_forbidden(client_for, people, role, path):
    response = client_for(role).get(fill(path, people))
    assert response.status_code == 403
    assert "Zugriff verweigert" in text_of(response)


@pytest.mark.parametrize(("path", "data"), POSTS)
def test_visitors_cannot_post(client, people, path, data):
    before = group_state()
    response = client.submit(fill(path, people), data)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/account/login"
    assert group_state() == before


@pytest.mark.parametrize("role", NOT_ADMINS)
@pytest.mark.parametrize(("path", "data"), POSTS)
def test_other_roles_cannot_post(client_for, people, role, path, data):
    before = group_state()
    response = client_for(role).submit(fill(path, people), data)
    assert response.status_code == 403
    assert group_state() == before
    assert db.session.get(SiteSetting, "privacy") is None
    assert Role.BOARD not in people["citizen"].global_roles


@pytest.mark.parametrize(("path", "data"), POSTS)
def test_posts_without_csrf_token_are_refused(admin, people, path, data):
    before = group_state()
    response = admin.post(fill(path, people), data=data)
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in text_of(response)
    assert group_state() == before
    assert db.session.get(SiteSetting, "privacy") is None


@pytest.mark.parametrize(
    "path",
    [
        "/admin/groups/999999",
        "/admin/users/999999",
        "/admin/texts/unbekannt",
    ],
)
def test_unknown_objects_are_not_found(admin, path):
    assert admin.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/admin/groups/999999", {"name": "X"}),
        ("/admin/groups/999999/move", {"direction": "up"}),
        ("/admin/groups/999999/archive", {"archived": "1"}),
        ("/admin/users/999999", {"board": "y"}),
        ("/admin/texts/unbekannt", {"body": "Text"}),
    ],
)
def test_posts_to_unknown_objects_are_not_found(admin, path, data):
    assert admin.submit(path, data, page="/admin/").status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(SiteSetting)) == 0


def test_the_main_navigation_links_the_admin_area_for_admins_only(admin, client_for):
    assert 'href="/admin/"' in text_of(admin.get("/"))
    assert 'href="/admin/"' not in text_of(client_for("board").get("/"))


# Overview


def test_overview_counts_groups_accounts_and_roles(admin, people):
    groups.set_archived(people["beta"], True)
    accounts.delete_account(factories.make_user())
    db.session.commit()
    page = text_of(admin.get("/admin/"))

    def stat(label: str) -> str:
        match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(\d+)</dd>", page)
        assert match, label
        return match.group(1)

    assert stat("Themengruppen insgesamt") == "2"
    assert stat("davon archiviert") == "1"
    assert stat("aktive Gruppen mit unbesetzter Tandem-Seite") == "1"  # alpha has one lead
    assert stat("Konten") == "7"  # the deleted account does not count
    assert stat("davon unbestätigt") == "1"
    assert stat("Administration") == "1"
    assert stat("Lenkungsgremium") == "1"
    assert stat("U30-Beirat") == "1"
    assert stat("Gruppenleitungen") == "2"
    for endpoint in ("/admin/groups", "/admin/users", "/admin/texts"):
        assert f'href="{endpoint}"' in page


# Groups: the list, order and archive


def test_group_list_shows_all_groups_in_order_with_their_leads(admin, people):
    groups.set_archived(people["alpha"], True)
    db.session.commit()
    page = text_of(admin.get("/admin/groups"))
    assert page.index(">Alpha<") < page.index(">Beta<")
    assert "archiviert" in page
    assert people["lead"].display_name in page
    assert people["other_lead"].display_name in page
    # Every button has a name of its own: the group it acts on.
    assert "„Alpha“ nach oben verschieben" in page
    assert "„Beta“ nach unten verschieben" in page
    assert 'aria-label="Wiederherstellen: Alpha"' in page
    assert 'aria-label="Archivieren: Beta"' in page
    assert 'aria-label="Bearbeiten: Beta"' in page


def test_moving_groups_changes_their_order(admin, people):
    response = admin.submit(
        f"/admin/groups/{people['alpha'].id}/move", {"direction": "down"}, page="/admin/groups"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/groups#gruppe-{people['alpha'].id}"
    assert [slug for slug, *_ in group_state()] == ["beta", "alpha"]
    assert "steht jetzt eine Stelle weiter unten" in text_of(admin.get("/admin/groups"))

    admin.submit(f"/admin/groups/{people['alpha'].id}/move", {"direction": "up"}, page="/admin/")
    assert [slug for slug, *_ in group_state()] == ["alpha", "beta"]


def test_moving_the_first_group_up_changes_nothing(admin, people):
    before = group_state()
    response = admin.submit(
        f"/admin/groups/{people['alpha'].id}/move",
        {"direction": "up"},
        page="/admin/groups",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "„Alpha“ steht bereits ganz oben." in text_of(response)
    assert group_state() == before


@pytest.mark.parametrize("data", [{}, {"direction": "sideways"}])
def test_a_bad_move_is_refused(admin, people, data):
    before = group_state()
    response = admin.submit(f"/admin/groups/{people['alpha'].id}/move", data, page="/admin/")
    assert response.status_code == 400
    assert group_state() == before


def test_archiving_and_restoring_a_group(admin, client, people):
    alpha = people["alpha"]
    response = admin.submit(f"/admin/groups/{alpha.id}/archive", {"archived": "1"}, page="/admin/")
    assert response.status_code == 302
    db.session.rollback()
    assert alpha.is_archived
    assert alpha not in groups.ordered_groups()
    assert client.get("/groups/alpha").status_code == 200
    assert "ist archiviert" in text_of(admin.get("/admin/groups"))

    admin.submit(f"/admin/groups/{alpha.id}/archive", {"archived": "0"}, page="/admin/")
    db.session.rollback()
    assert not alpha.is_archived
    assert alpha in groups.ordered_groups()


@pytest.mark.parametrize("data", [{}, {"archived": "ja"}])
def test_a_bad_archive_request_is_refused(admin, people, data):
    before = group_state()
    response = admin.submit(f"/admin/groups/{people['alpha'].id}/archive", data, page="/admin/")
    assert response.status_code == 400
    assert group_state() == before


# Groups: creating


def test_creating_a_group_generates_the_slug(admin, people):
    response = admin.submit(
        "/admin/groups",
        {"name": "Bildung und Schule", "slug": "", "description": "Digitale Schulen."},
        page="/admin/groups",
    )
    assert response.status_code == 302
    group = groups.find_by_slug("bildung-und-schule")
    assert group is not None
    assert (group.name, group.description) == ("Bildung und Schule", "Digitale Schulen.")
    assert response.headers["Location"] == f"/admin/groups#gruppe-{group.id}"
    assert [slug for slug, *_ in group_state()] == ["alpha", "beta", "bildung-und-schule"]
    page = text_of(admin.get("/admin/groups"))
    assert "Die Themengruppe „Bildung und Schule“ wurde angelegt." in page


def test_creating_a_group_with_its_own_slug(admin, people):
    admin.submit("/admin/groups", {"name": "Offene Daten", "slug": "open-data"}, page="/admin/")
    assert groups.find_by_slug("open-data").name == "Offene Daten"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "description": "Bleibt."}, "name", "Bitte geben Sie einen Namen an."),
        ({"name": "   ", "description": "Bleibt."}, "name", "Bitte geben Sie einen Namen an."),
        (
            {"name": "N" * 101, "description": "Bleibt."},
            "name",
            "Der Name darf höchstens 100 Zeichen lang sein.",
        ),
        (
            {"name": "Neue Gruppe", "slug": "alpha", "description": "Bleibt."},
            "slug",
            "Diese Kurzform ist bereits vergeben.",
        ),
        (
            {"name": "Alpha", "description": "Bleibt."},  # the generated slug is taken
            "slug",
            "Diese Kurzform ist bereits vergeben.",
        ),
        (
            {"name": "Neue Gruppe", "slug": "Mit Leerzeichen", "description": "Bleibt."},
            "slug",
            "Die Kurzform darf nur Kleinbuchstaben",
        ),
        (
            {"name": "Neue Gruppe", "slug": "s" * 61, "description": "Bleibt."},
            "slug",
            "Die Kurzform darf höchstens 60 Zeichen lang sein.",
        ),
        (
            {"name": "!!!", "slug": "", "description": "Bleibt."},
            "slug",
            "Aus diesem Namen lässt sich keine Kurzform bilden.",
        ),
        (
            {"name": "Neue Gruppe", "description": "B" * 2001},
            "description",
            "Die Beschreibung darf höchstens 2000 Zeichen lang sein.",
        ),
    ],
)
def test_creating_a_group_with_bad_input(admin, people, data, field, message):
    before = group_state()
    response = admin.submit("/admin/groups", data, page="/admin/groups")
    assert response.status_code == 200
    page = text_of(response)
    assert message in error_beside(page, field)
    assert "Bitte prüfen Sie Ihre Eingaben:" in page
    assert value_of(page, "name") == data["name"].strip()
    assert value_of(page, "description") == data["description"]
    assert group_state() == before
    assert "<table" in page  # the list is still there


# Groups: editing


def edit_data(group: ThematicGroup, **changes) -> dict:
    def email(side):
        lead = group.lead_on(side)
        return lead.email if lead else ""

    data = {
        "name": group.name,
        "description": group.description,
        "lead_administration": email(ADMINISTRATION),
        "lead_civic": email(CIVIC),
    }
    return {**data, **changes}


def test_the_edit_page_shows_the_current_group(admin, people):
    alpha = people["alpha"]
    page = text_of(admin.get(f"/admin/groups/{alpha.id}"))
    assert value_of(page, "name") == "Alpha"
    assert value_of(page, "lead_administration") == people["lead"].email
    assert value_of(page, "lead_civic") == ""
    assert 'href="/groups/alpha"' in page


def test_editing_renames_and_sets_the_tandem(admin, people):
    alpha = people["alpha"]
    url = f"/admin/groups/{alpha.id}"
    data = edit_data(
        alpha,
        name="Alpha und Omega",
        description="Neu beschrieben.",
        lead_administration=" LEITUNG@example.org ",
        lead_civic=people["board"].email,
    )
    response = admin.submit(url, data, page=url)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/groups#gruppe-{alpha.id}"
    db.session.rollback()
    assert (alpha.slug, alpha.name, alpha.description) == (
        "alpha",
        "Alpha und Omega",
        "Neu beschrieben.",
    )
    assert lead_state(alpha) == {ADMINISTRATION: people["lead"].id, CIVIC: people["board"].id}
    assert "wurde gespeichert" in text_of(admin.get("/admin/groups"))


def test_editing_can_vacate_and_swap_sides(admin, people):
    alpha = people["alpha"]
    url = f"/admin/groups/{alpha.id}"
    admin.submit(url, edit_data(alpha, lead_civic=people["citizen"].email), page=url)
    assert lead_state(alpha) == {ADMINISTRATION: people["lead"].id, CIVIC: people["citizen"].id}

    swapped = edit_data(
        alpha, lead_administration=people["citizen"].email, lead_civic=people["lead"].email
    )
    assert admin.submit(url, swapped, page=url).status_code == 302
    assert lead_state(alpha) == {ADMINISTRATION: people["citizen"].id, CIVIC: people["lead"].id}

    vacated = edit_data(alpha, lead_administration="")
    assert admin.submit(url, vacated, page=url).status_code == 302
    assert lead_state(alpha) == {ADMINISTRATION: None, CIVIC: people["lead"].id}
    db.session.rollback()
    assert alpha.id not in people["citizen"].lead_group_ids


def test_a_post_without_lead_fields_keeps_the_tandem(admin, people):
    # An empty field vacates a side; a field that is not sent at all leaves it alone.
    alpha = people["alpha"]
    url = f"/admin/groups/{alpha.id}"
    response = admin.submit(url, {"name": "Alpha neu", "description": ""}, page=url)
    assert response.status_code == 302
    assert lead_state(alpha) == {ADMINISTRATION: people["lead"].id, CIVIC: None}
    assert alpha.name == "Alpha neu"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"lead_civic": "niemand@example.org"},
            "lead_civic",
            "Es gibt kein Konto mit dieser E-Mail-Adresse.",
        ),
        (
            {"lead_administration": "unbekannt@example.org"},
            "lead_administration",
            "Es gibt kein Konto mit dieser E-Mail-Adresse.",
        ),
        (
            {"lead_civic": "unbestaetigt@example.org"},
            "lead_civic",
            "Nur bestätigte Konten können eine Gruppe leiten.",
        ),
        (
            {"lead_civic": "leitung@example.org"},  # already the administration's lead
            "lead_civic",
            "Diese Person leitet die Gruppe bereits für die andere Seite.",
        ),
        (
            {"lead_civic": "keine-adresse"},
            "lead_civic",
            "Bitte geben Sie eine gültige E-Mail-Adresse an",
        ),
        ({"name": ""}, "name", "Bitte geben Sie einen Namen an."),
        ({"name": "N" * 101}, "name", "Der Name darf höchstens 100 Zeichen lang sein."),
    ],
)
def test_editing_with_bad_input_changes_nothing(admin, people, changes, field, message):
    alpha = people["alpha"]
    url = f"/admin/groups/{alpha.id}"
    groups_before, leads_before = group_state(), lead_state(alpha)
    data = edit_data(alpha, description="Neue Beschreibung.", **changes)
    if field != "name":
        data["name"] = "Neuer Name"
    response = admin.submit(url, data, page=url)
    assert response.status_code == 200
    page = text_of(response)
    assert message in error_beside(page, field)
    for kept in ("name", "description", "lead_administration", "lead_civic"):
        assert value_of(page, kept) == data[kept].strip()
    assert group_state() == groups_before
    assert lead_state(alpha) == leads_before


def test_a_deleted_account_cannot_be_made_a_lead(admin, people):
    alpha = people["alpha"]
    url = f"/admin/groups/{alpha.id}"
    email = people["citizen"].email
    accounts.delete_account(people["citizen"])
    db.session.commit()
    response = admin.submit(url, edit_data(alpha, lead_civic=email), page=url)
    assert "Es gibt kein Konto" in error_beside(text_of(response), "lead_civic")


# Users and roles


def test_user_list_shows_accounts_with_roles_and_groups(admin, people):
    page = text_of(admin.get("/admin/users"))
    for person in ("citizen", "lead", "board", "u30", "admin", "unconfirmed"):
        assert people[person].email in page
        assert f'href="/admin/users/{people[person].id}"' in page
    assert '<span class="badge">Lenkungsgremium</span>' in page
    assert '<span class="badge">U30-Beirat</span>' in page
    assert f'href="/admin/groups/{people["alpha"].id}">Alpha</a>' in page
    assert "Alle Konten, neueste zuerst: 7, Seite 1 von 1" in page


@pytest.mark.parametrize(
    ("q", "found", "not_found"),
    [
        ("BUERGERIN", ["buergerin@example.org"], ["gremium@example.org"]),
        ("leitung@", ["leitung@example.org", "andere-leitung@example.org"], ["u30@example.org"]),
        ("anna", ["anna@example.org"], ["admin@example.org"]),  # by display name
        ("%", [], ["admin@example.org"]),  # wildcards are plain characters
        ("_", [], ["admin@example.org"]),
    ],
)
def test_user_search_by_email_or_name(admin, people, q, found, not_found):
    factories.make_user("anna@example.org", display_name="Anna Schmidt")
    factories.make_user("bert@example.org", display_name="Bert von Annaberg")
    page = text_of(admin.get("/admin/users", query_string={"q": q}))
    for email in found:
        assert email in page
    for email in not_found:
        assert email not in page
    if q == "anna":
        assert "bert@example.org" in page  # "Annaberg" contains it too
    if not found:
        assert "Keine Konten zur Suche" in page
    assert f'value="{html.escape(q)}"' in page


def test_user_list_is_paginated(admin, people):
    for number in range(55):
        accounts.create_user(
            f"viele{number:02d}@example.org", f"Viele {number}", "x" * 12, confirmed=True
        )
    db.session.commit()
    first = text_of(admin.get("/admin/users"))
    assert first.count('href="/admin/users/') == 50
    assert "Seite 1 von 2" in first
    assert 'href="/admin/users?page=2"' in first
    second = text_of(admin.get("/admin/users?page=2"))
    assert second.count('href="/admin/users/') == 12  # 62 accounts in all
    assert 'href="/admin/users?page=1"' in second
    searched = text_of(admin.get("/admin/users?q=viele&page=2"))
    assert searched.count('href="/admin/users/') == 5
    assert 'href="/admin/users?q=viele&amp;page=1"' in searched
    assert admin.get("/admin/users?page=abc").status_code == 200
    past_the_end = text_of(admin.get("/admin/users?page=99"))
    assert past_the_end.count('href="/admin/users/') == 12
    assert "Seite 2 von 2" in past_the_end


def test_deleted_accounts_are_listed_but_cannot_be_edited(admin, people):
    gone = factories.make_user("weg@example.org", display_name="Wird Gelöscht")
    accounts.delete_account(gone)
    db.session.commit()
    page = text_of(admin.get("/admin/users"))
    assert "gelöschtes Konto" in page
    assert f'href="/admin/users/{gone.id}"' not in page
    assert admin.get(f"/admin/users/{gone.id}").status_code == 404
    response = admin.submit(f"/admin/users/{gone.id}", {"board": "y"}, page="/admin/")
    assert response.status_code == 404
    assert db.session.scalars(db.select(UserRole).where(UserRole.user_id == gone.id)).all() == []


def test_the_user_page_shows_roles_and_led_groups(admin, people):
    page = text_of(admin.get(f"/admin/users/{people['lead'].id}"))
    assert people["lead"].email in page
    assert not is_checked(page, "board")
    assert f'href="/admin/groups/{people["alpha"].id}">Alpha</a> (Stadtverwaltung)' in page
    page = text_of(admin.get(f"/admin/users/{people['board'].id}"))
    assert is_checked(page, "board")
    assert "Dieses Konto leitet keine Themengruppe." in page


def test_setting_roles(admin, people):
    citizen = people["citizen"]
    url = f"/admin/users/{citizen.id}"
    response = admin.submit(url, {"board": "y", "u30": "y"}, page=url)
    assert response.status_code == 302
    assert response.headers["Location"] == url
    db.session.rollback()
    assert citizen.global_roles == {Role.BOARD, Role.U30}
    assert "Die Rollen von" in text_of(admin.get(url))

    admin.submit(url, {"admin": "y"}, page=url)
    db.session.rollback()
    assert citizen.global_roles == {Role.ADMIN}

    admin.submit(url, {}, page=url)
    db.session.rollback()
    assert citizen.global_roles == set()


def test_an_admin_cannot_remove_their_own_admin_role(admin, people):
    me = people["admin"]
    url = f"/admin/users/{me.id}"
    response = admin.submit(url, {"board": "y"}, page=url)
    assert response.status_code == 200
    page = text_of(response)
    assert "Sie können sich die Administrationsrolle nicht selbst entziehen." in error_beside(
        page, "admin"
    )
    assert is_checked(page, "board")  # what was sent is kept
    assert not is_checked(page, "admin")
    db.session.rollback()
    assert me.global_roles == {Role.ADMIN}
    # …but another admin may.
    other = factories.make_user(roles_={Role.ADMIN})
    db.session.rollback()
    response = admin.submit(f"/admin/users/{other.id}", {"board": "y"}, page=url)
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(User, other.id).global_roles == {Role.BOARD}


# Site texts


def test_the_texts_page_lists_every_site_text(admin):
    page = text_of(admin.get("/admin/texts"))
    for key, (label, _template) in settings.SITE_TEXTS.items():
        assert label in page
        assert f'href="/admin/texts/{key}"' in page
    assert page.count("Standardtext") == 3


def test_the_edit_page_starts_with_the_default_text(admin):
    page = text_of(admin.get("/admin/texts/imprint"))
    assert value_of(page, "body") == settings.default_text("imprint")


def test_editing_a_site_text(admin, client):
    body = "## Verantwortlich\r\n\r\nStadt Gütersloh, <b>Rathaus</b>\r\n"
    response = admin.submit("/admin/texts/imprint", {"body": body}, page="/admin/texts/imprint")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/texts"
    setting = db.session.get(SiteSetting, "imprint")
    assert setting.value == body.replace("\r\n", "\n")
    public = text_of(client.get("/impressum"))
    assert "<h2>Verantwortlich</h2>" in public
    assert "<b>" not in public
    assert "„Impressum“ wurde gespeichert." in text_of(admin.get("/admin/texts"))
    assert text_of(admin.get("/admin/texts")).count("Standardtext") == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Bitte geben Sie einen Text ein."),
        ("x" * 50_001, "Der Text darf höchstens 50.000 Zeichen lang sein."),
    ],
)
def test_a_bad_site_text_is_refused(admin, body, message):
    response = admin.submit("/admin/texts/privacy", {"body": body}, page="/admin/texts/privacy")
    assert response.status_code == 200
    page = text_of(response)
    assert message in error_beside(page, "body")
    assert value_of(page, "body") == body
    assert db.session.get(SiteSetting, "privacy") is None


def test_the_longest_site_text_is_accepted(admin):
    body = "x" * 50_000
    response = admin.submit("/admin/texts/privacy", {"body": body}, page="/admin/texts/privacy")
    assert response.status_code == 302
    assert db.session.get(SiteSetting, "privacy").value == body


def test_admin_switches_premoderation_on_and_a_newcomers_idea_waits(admin, people, login_as):
    group = people["alpha"]
    data = {"name": group.name, "description": "", "premoderation": "y"}
    page = f"/admin/groups/{group.id}"
    assert admin.submit(page, data, page=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(ThematicGroup, group.id).premoderation is True
    citizen = login_as(people["citizen"])
    response = citizen.submit(
        "/ideas/new",
        {"group": "alpha", "title": "Erste Idee", "body": "Text der Idee"},
        page="/ideas/new?group=alpha",
    )
    assert response.status_code == 302
    idea = db.session.scalar(db.select(Idea).where(Idea.title == "Erste Idee"))
    assert idea.status is IdeaStatus.SUBMITTED
    # Switched off again: the form posts no checkbox value.
    data.pop("premoderation")
    admin.submit(page, data, page=page)
    db.session.expire_all()
    assert db.session.get(ThematicGroup, group.id).premoderation is False
