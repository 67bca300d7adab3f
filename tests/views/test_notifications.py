"""Following, the notification centre and the e-mail settings over HTTP."""

import contextvars
import html
import re

import pytest
from flask import render_template
from flask_login import login_user

from app.extensions import db
from app.models import EmailMode, Notification, NotificationKind, User
from app.services import follows
from tests.factories import make_comment, make_idea, make_user


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def account(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.fixture
def idea(people):
    return make_idea(people["alpha"])


@pytest.fixture
def citizen(client_for):
    return client_for("citizen")


# Following


def test_follow_and_unfollow_an_idea(citizen, people, idea):
    response = citizen.submit(f"/ideas/{idea.id}/follow", {"next": f"/ideas/{idea.id}#kommentare"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}#kommentare"
    assert follows.follows_idea(people["citizen"], idea)
    citizen.submit(f"/ideas/{idea.id}/follow")  # twice is fine
    response = citizen.submit(f"/ideas/{idea.id}/unfollow")
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert not follows.follows_idea(people["citizen"], idea)


def test_follow_and_unfollow_a_group(citizen, people):
    response = citizen.submit("/groups/alpha/follow", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/groups/alpha"  # no open redirect
    assert follows.follows_group(people["citizen"], people["alpha"])
    citizen.submit("/groups/alpha/unfollow")
    assert not follows.follows_group(people["citizen"], people["alpha"])


def test_follow_unknown_things_is_404(citizen):
    assert citizen.submit("/ideas/999999/follow").status_code == 404
    assert citizen.submit("/groups/gibt-es-nicht/follow").status_code == 404


def test_follow_without_csrf_is_400(citizen, idea):
    assert citizen.post(f"/ideas/{idea.id}/follow").status_code == 400
    assert citizen.post("/groups/alpha/follow").status_code == 400


def test_group_follow_button(app, people):
    def render(user, following):
        with app.test_request_context("/groups/alpha"):
            if user is not None:
                login_user(user)
            return render_template(
                "groups/_actions.html", group=people["alpha"], following_group=following
            )

    def fresh_request(user, following):
        # A context of its own, as each real request has (Flask-Login keeps the user in g).
        return contextvars.Context().run(render, user, following)

    assert "/groups/alpha/follow" in fresh_request(people["citizen"], False)
    assert "Themengruppe folgen" in fresh_request(people["citizen"], False)
    following = fresh_request(people["citizen"], True)
    assert "/groups/alpha/unfollow" in following and "Nicht mehr folgen" in following
    assert "form" not in fresh_request(None, False)
    assert "form" not in fresh_request(people["unconfirmed"], False)


# The notification centre


def test_notification_centre_lists_links_and_marks_read(citizen, people, idea):
    follows.follow_idea(people["citizen"], idea)
    db.session.commit()
    comment = make_comment(idea, body="Neuer Gedanke")
    page = citizen.get("/account/notifications")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    text = text_of(page)
    assert "hat die Idee" in text and "kommentiert" in text
    assert f"/ideas/{idea.id}/comments/{comment.id}" in text
    assert "notification-unread" in text and "Alle als gelesen markieren" in text
    response = citizen.submit("/account/notifications/read")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/notifications"
    text = text_of(citizen.get("/account/notifications"))
    assert "notification-unread" not in text and "Alle als gelesen markieren" not in text


def test_notification_centre_pages_by_keyset(citizen, people, idea):
    db.session.execute(
        db.insert(Notification),
        [
            {
                "user_id": people["citizen"].id,
                "kind": NotificationKind.STATUS,
                "idea_id": idea.id,
                "text": f"Meldung Nummer {n}.",
            }
            for n in range(35)
        ],
    )
    db.session.commit()
    first = text_of(citizen.get("/account/notifications"))
    assert "Meldung Nummer 34." in first and "Meldung Nummer 4." not in first
    older = first.split('href="/account/notifications?before=')[1].split('"')[0]
    second = text_of(citizen.get(f"/account/notifications?before={older}"))
    assert "Meldung Nummer 4." in second and "Meldung Nummer 5." not in second
    assert 'href="/account/notifications?before=' not in second


def test_empty_notification_centre(citizen):
    assert "Noch keine Benachrichtigungen" in text_of(citizen.get("/account/notifications"))


def test_others_notifications_are_not_shown(client_for, people, idea):
    follows.follow_idea(people["lead"], idea)
    db.session.commit()
    make_comment(idea, body="Nur für die Leitung")
    assert "kommentiert" not in text_of(client_for("citizen").get("/account/notifications"))
    assert "kommentiert" in text_of(client_for("lead").get("/account/notifications"))


def test_unread_count_in_the_navigation(app, people, idea):
    follows.follow_idea(people["citizen"], idea)
    db.session.commit()
    for n in range(3):
        make_comment(idea, body=f"Nummer {n}")

    def render(user):
        with app.test_request_context("/"):
            if user is not None:
                login_user(user)
            return html.unescape(render_template("notifications/_nav_item.html"))

    def nav(user):
        return contextvars.Context().run(render, user)

    item = nav(people["citizen"])
    assert "/account/notifications" in item and "3" in item and "ungelesen" in item
    assert "ungelesen" not in nav(people["lead"])
    assert app.jinja_env.globals.get("unread_notifications") is None  # a context helper only


# E-mail settings


def test_settings_show_and_store_the_choices(citizen, people):
    page = text_of(citizen.get("/account/notifications/settings"))
    assert "Neue Kommentare und Antworten" in page and "einmal täglich" in page
    assert re.search(r'<input checked id="comments-0"[^>]*value="instant"', page)
    response = citizen.submit(
        "/account/notifications/settings",
        {"comments": "daily", "status": "never", "new_ideas": "instant"},
    )
    assert response.status_code == 302
    stored = account(people["citizen"])
    assert (stored.email_on_comments, stored.email_on_status, stored.email_on_new_ideas) == (
        EmailMode.DAILY,
        EmailMode.NEVER,
        EmailMode.INSTANT,
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"comments": "weekly", "status": "daily", "new_ideas": "daily"}],
)
def test_settings_reject_bad_choices(citizen, people, data):
    response = citizen.submit("/account/notifications/settings", data)
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in text_of(response)
    assert account(people["citizen"]).email_on_comments is EmailMode.INSTANT


def test_settings_need_csrf(citizen):
    response = citizen.post("/account/notifications/settings", data={"comments": "never"})
    assert response.status_code == 400


def test_notification_links_lead_to_the_comment(citizen, people, idea):
    make_comment(idea, make_user(), body="Erster")
    own = make_comment(idea, people["citizen"], body="Meiner")
    make_comment(idea, parent=own, body="Antwort an mich")
    text = text_of(citizen.get("/account/notifications"))
    assert "Antwort:" in text and "geantwortet" in text
