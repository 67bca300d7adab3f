"""The U30-Beirat on the idea page, its statement form and endorsements, and the dossier."""

import re
from html import unescape

import pytest

from app.extensions import db
from app.models import IdeaStatus, Notification, Role, U30Endorsement, U30Statement
from app.services.votes import VoteValue
from tests.factories import make_idea, make_user
from tests.services.test_board import assess, forward, vote
from tests.views.test_board import BoardPage

S = IdeaStatus


def text_of(response) -> str:
    return response.get_data(as_text=True)


def flat(html: str) -> str:
    """The page's text without tags, blanks collapsed (what a reader sees)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def statements() -> list[U30Statement]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(U30Statement)))


def form_url(idea) -> str:
    return f"/ideas/{idea.id}/u30-statement"


def endorse_url(idea) -> str:
    return f"/ideas/{idea.id}/u30-statement/endorsement"


@pytest.fixture
def idea(people):
    return forward(group=people["alpha"], title="Jugendtreff-App")


@pytest.fixture
def second(people):
    return make_user("u30-zwei@example.org", display_name="Ben Beirat", roles_={Role.U30})


def publish(client, idea, body="Wir **unterstützen** diese Idee."):
    return client.submit(form_url(idea), {"body": body}, page=form_url(idea))


# ---------------------------------------------------------------- writing


def test_a_member_writes_the_statement_and_everyone_reads_it(client_for, people, idea, client):
    member = client_for("u30")
    page = text_of(member.get(form_url(idea)))
    assert "Stellungnahme des U30-Beirats schreiben" in page
    assert 'name="body"' in page and 'maxlength="3000"' in page

    response = publish(member, idea)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}#u30-beirat"
    (statement,) = statements()
    assert statement.author_id == people["u30"].id

    shown = text_of(member.get(f"/ideas/{idea.id}"))
    assert "Die Stellungnahme des U30-Beirats ist veröffentlicht." in shown
    assert "<strong>unterstützen</strong>" in shown
    public = flat(text_of(client.get(f"/ideas/{idea.id}")))
    name = people["u30"].display_name
    assert f"Mitgetragen von: {name}" in public
    assert f"Verfasst von {name}" in public
    assert "bearbeitet" not in public
    assert "Mittragen" not in public and "Stellungnahme bearbeiten" not in public


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Bitte schreiben Sie eine Stellungnahme."),
        ("   ", "Bitte schreiben Sie eine Stellungnahme."),
        ("Zu lang. " * 400, "Die Stellungnahme darf höchstens 3000 Zeichen lang sein."),
    ],
)
def test_bad_input_comes_back_beside_the_field_with_the_text(client_for, idea, body, message):
    response = publish(client_for("u30"), idea, body)
    assert response.status_code == 200
    page = text_of(response)
    assert re.search(
        r'<p class="error" id="u30-stellungnahme-text-fehler">' + re.escape(message), page
    )
    assert 'aria-invalid="true"' in page
    if body.strip():
        assert "Zu lang. Zu lang." in page
    assert statements() == []


def test_an_expired_form_keeps_the_text(client_for, idea):
    member = client_for("u30")
    response = member.post(form_url(idea), data={"body": "Mein Text", "csrf_token": "alt"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Das Formular ist abgelaufen. Bitte senden Sie es noch einmal." in page
    assert "Mein Text</textarea>" in page
    assert statements() == []
    assert member.post(form_url(idea), data={"body": "Ohne Token"}).status_code == 400
    assert statements() == []
    # The page came back with a fresh token: sending it again publishes.
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    response = member.post(form_url(idea), data={"body": "Mein Text", "csrf_token": token[1]})
    assert response.status_code == 302
    assert [statement.body for statement in statements()] == ["Mein Text"]


def test_sending_twice_publishes_once_and_tells_once(client_for, people, idea):
    member = client_for("u30")
    assert publish(member, idea, "Einmal").status_code == 302
    assert publish(member, idea, "Einmal").status_code == 302
    assert len(statements()) == 1
    author_news = db.session.scalars(
        db.select(Notification).where(Notification.user_id == idea.author_id)
    ).all()
    assert len(author_news) == 1


@pytest.mark.parametrize("path", ["/ideas/999999/u30-statement"])
def test_unknown_ideas_are_missing(client_for, path):
    member = client_for("u30")
    assert member.get(path).status_code == 404
    assert member.submit(path, {"body": "Text"}, page="/").status_code == 404
    assert member.submit(path + "/endorsement", {"action": "endorse"}).status_code == 404


def test_an_idea_not_before_the_board_is_refused_with_a_reason(client_for, people):
    published = make_idea(people["alpha"], title="Noch in der Gruppe")
    member = client_for("u30")
    response = member.get(form_url(published))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{published.id}#u30-beirat"
    page = text_of(member.get(f"/ideas/{published.id}"))
    assert "nur möglich, solange die Idee beim Lenkungsgremium liegt" in page
    # Sent anyway (a stale form): the reason beside the field, the text kept.
    response = member.submit(form_url(published), {"body": "Mein Text"}, page="/")
    assert response.status_code == 409
    assert "nur möglich, solange die Idee beim Lenkungsgremium liegt" in text_of(response)
    assert "Mein Text" in text_of(response)
    assert statements() == []


def test_a_member_who_was_too_late_keeps_their_text(client_for, idea, second, login_as):
    late = login_as(second)
    token = late.csrf_token(form_url(idea))  # the form opened before the other published
    assert publish(client_for("u30"), idea, "Zuerst da").status_code == 302
    response = late.post(form_url(idea), data={"body": "Mein Entwurf", "csrf_token": token})
    assert response.status_code == 409
    page = text_of(response)
    assert "Inzwischen hat ein anderes Mitglied des U30-Beirats eine Stellungnahme" in page
    assert "Mein Entwurf" in page
    assert [statement.body for statement in statements()] == ["Zuerst da"]
    # Opening the form again leads to the statement, which they may endorse.
    response = late.get(form_url(idea))
    assert response.status_code == 302
    assert "Sie können sie mittragen" in text_of(late.get(f"/ideas/{idea.id}"))


def test_the_author_edits_and_the_page_says_what_happens_to_endorsements(
    client_for, idea, second, login_as
):
    member = client_for("u30")
    publish(member, idea, "Erste Fassung")
    login_as(second).submit(endorse_url(idea), {"action": "endorse"}, page=f"/ideas/{idea.id}")
    form = text_of(member.get(form_url(idea)))
    assert "Stellungnahme des U30-Beirats bearbeiten" in form
    assert "Erste Fassung</textarea>" in form
    assert "Ben Beirat" in form and "erst mit, wenn sie ihr wieder zustimmen" in form

    response = publish(member, idea, "Zweite Fassung")
    assert response.status_code == 302
    page = flat(text_of(member.get(f"/ideas/{idea.id}")))
    assert "Die anderen Mitglieder tragen die neue Fassung erst mit" in page
    assert "Zweite Fassung" in page and "bearbeitet am" in page
    assert "Ben Beirat" not in page


# ---------------------------------------------------------------- endorsing


def test_a_second_member_endorses_and_withdraws(client_for, people, idea, second, login_as):
    publish(client_for("u30"), idea)
    other = login_as(second)
    page = text_of(other.get(f"/ideas/{idea.id}"))
    assert 'value="endorse"' in page
    response = other.submit(endorse_url(idea), {"action": "endorse"}, page=f"/ideas/{idea.id}")
    assert response.status_code == 302
    page = flat(text_of(other.get(f"/ideas/{idea.id}")))
    assert "Sie tragen die Stellungnahme des U30-Beirats mit." in page
    assert f"Mitgetragen von: {people['u30'].display_name}, Ben Beirat" in page
    assert "Nicht mehr mittragen" in page

    other.submit(endorse_url(idea), {"action": "withdraw"}, page=f"/ideas/{idea.id}")
    page = flat(text_of(other.get(f"/ideas/{idea.id}")))
    assert "Sie tragen die Stellungnahme nicht mehr mit." in page
    assert "Ben Beirat" not in page.split("Mitgetragen von:")[1]


def test_the_author_is_told_why_they_cannot_withdraw(client_for, idea):
    member = client_for("u30")
    publish(member, idea)
    member.submit(endorse_url(idea), {"action": "withdraw"}, page=f"/ideas/{idea.id}")
    assert "Ihr Name bleibt darunter" in text_of(member.get(f"/ideas/{idea.id}"))
    assert db.session.scalar(db.select(db.func.count()).select_from(U30Endorsement)) == 1


def test_bad_or_expired_endorsements_change_nothing(client_for, idea, second, login_as):
    publish(client_for("u30"), idea)
    other = login_as(second)
    other.submit(endorse_url(idea), {"action": "alle"}, page=f"/ideas/{idea.id}")
    assert "Bitte wählen Sie „Mittragen“" in text_of(other.get(f"/ideas/{idea.id}"))
    response = other.post(endorse_url(idea), data={"action": "endorse", "csrf_token": "alt"})
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen" in text_of(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(U30Endorsement)) == 1


def test_endorsing_before_any_statement_is_missing(client_for, idea):
    response = client_for("u30").submit(endorse_url(idea), {"action": "endorse"})
    assert response.status_code == 404


def test_the_public_page_shows_a_new_endorsement_at_once(
    client, client_for, idea, second, login_as
):
    # Visitors get the idea page from the page cache: an endorsement renews it.
    publish(client_for("u30"), idea)
    assert "Ben Beirat" not in text_of(client.get(f"/ideas/{idea.id}"))
    login_as(second).submit(endorse_url(idea), {"action": "endorse"}, page=f"/ideas/{idea.id}")
    assert "Ben Beirat" in text_of(client.get(f"/ideas/{idea.id}"))


# ---------------------------------------------------------------- the U30-Votum


def votum_of(html: str) -> dict:
    """The U30-Votum as the idea page shows it."""

    def cell(key):
        match = re.search(rf'<dd data-u30="{key}">(.*?)</dd>', html, re.S)
        return flat(match.group(1)) if match else None

    return {key: cell(key) for key in ("up", "down", "benefit", "feasibility")}


def test_the_idea_page_shows_the_same_u30_numbers_as_the_board(client, login_as, people, idea):
    quiet = forward(group=people["alpha"], title="Ohne U30", rank=2)
    vote(quiet, VoteValue.UP)
    for value in (VoteValue.UP, VoteValue.UP, VoteValue.DOWN):
        vote(idea, value, u30=True)
    vote(idea, VoteValue.DOWN)
    assess(idea, 5, 2, u30=True)
    assess(idea, 4, 4, u30=True)
    assess(idea, 4, 3, u30=True)
    assess(idea, 1, 1)

    board = BoardPage(text_of(login_as(people["board"]).get("/board")))
    row = next(row for row in board.rows if row["id"] == idea.id)["cells"]
    shown = votum_of(text_of(client.get(f"/ideas/{idea.id}")))
    assert row["u30_votes"]["text"] == f"{shown['up']} / {shown['down']}" == "2 / 1"
    benefit, count = re.match(r"(\S+) \((\d+)\)", flat(row["u30_benefit"]["text"])).groups()
    assert (
        shown["benefit"]
        == f"{benefit} von 5 ({count} Einschätzungen)"
        == ("4,3 von 5 (3 Einschätzungen)")
    )
    feasibility, count = re.match(r"(\S+) \((\d+)\)", flat(row["u30_feasibility"]["text"])).groups()
    assert shown["feasibility"] == f"{feasibility} von 5 ({count} Einschätzungen)"
    page = flat(text_of(client.get(f"/ideas/{idea.id}")))
    assert "zählen in den Gesamtzahlen oben mit" in page

    empty = text_of(client.get(f"/ideas/{quiet.id}"))
    assert "Aus dem U30-Beirat gibt es noch keine Stimmen und keine Einschätzungen." in empty
    assert votum_of(empty)["up"] is None
    nothing = next(row for row in board.rows if row["id"] == quiet.id)["cells"]
    assert nothing["u30_votes"]["text"] == "0 / 0"


def test_the_votum_shows_on_every_idea_page_and_statements_wait_for_the_board(client, people):
    published = make_idea(people["alpha"], title="Frisch")
    vote(published, VoteValue.UP, u30=True)
    page = text_of(client.get(f"/ideas/{published.id}"))
    assert votum_of(page)["up"] == "1"
    assert "sobald die Idee an das Lenkungsgremium weitergeleitet ist" in page


# ---------------------------------------------------------------- the dossier


def test_the_board_reads_the_statement_in_the_dossier(client_for, people, idea, second, login_as):
    publish(client_for("u30"), idea, "Für uns **wichtig**.")
    login_as(second).submit(endorse_url(idea), {"action": "endorse"}, page=f"/ideas/{idea.id}")
    page = text_of(client_for("board").get(f"/board/ideas/{idea.id}"))
    assert "U30-Stellungnahme" in page
    assert "Für uns <strong>wichtig</strong>." in page
    assert f"Mitgetragen von: {people['u30'].display_name}, Ben Beirat" in flat(page)


def test_the_dossier_says_when_there_is_no_statement(client_for, idea):
    page = flat(text_of(client_for("board").get(f"/board/ideas/{idea.id}")))
    assert "Der U30-Beirat hat zu dieser Idee noch keine Stellungnahme abgegeben." in page
