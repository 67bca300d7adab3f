"""The per-idea moderation page and the idea page's curation parts, through HTTP.

`lead` leads group alpha, `other_lead` group beta. Bad input comes back with a German
message beside its field and the rest of the input kept; nothing is stored.
"""

import html
import re

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import (
    AuditEntry,
    Idea,
    IdeaOrigin,
    IdeaStatus,
    InternalNote,
    OfficialAnswer,
    StatusEvent,
)
from app.models.base import utcnow
from app.services import answers, curation, groups, ideas, moderation
from app.services.recount import recount
from app.services.votes import VoteValue, set_vote
from tests.factories import make_group, make_idea, make_user

S = IdeaStatus


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def fresh(idea: Idea) -> Idea:
    db.session.rollback()  # the requests wrote in their own sessions
    db.session.expire_all()
    return db.session.get(Idea, idea.id)


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def error_beside(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-fehler">(.*?)</p>', page, re.S)
    assert match, f"no error beside {field_id}"
    return match.group(1)


def value_of(page: str, field_id: str) -> str:
    control = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', page)
    if control:
        value = re.search(r'\bvalue="([^"]*)"', control.group(0))
        return value.group(1) if value else ""
    area = re.search(rf'<textarea[^>]*\bid="{field_id}"[^>]*>(.*?)</textarea>', page, re.S)
    assert area, f"no control {field_id}"
    return area.group(1).lstrip("\r\n")


def flashes(page: str) -> str:
    match = re.search(r'<div class="flashes"[^>]*>(.*?)</div>', page, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def alpha(people):
    return people["alpha"]


@pytest.fixture
def lead(people, login_as):
    return login_as(people["lead"])


@pytest.fixture
def idea(alpha):
    return make_idea(alpha, title="Offenes WLAN am Rathaus")


def page_of(client, idea: Idea) -> str:
    response = client.get(f"/moderation/ideas/{idea.id}")
    assert response.status_code == 200
    return text_of(response)


def post(client, idea: Idea, action: str, data: dict):
    return client.submit(f"/moderation/ideas/{idea.id}/{action}", data)


# The page


def test_page_offers_the_leads_steps_only(lead, idea):
    page = page_of(lead, idea)
    steps = re.findall(r'<button type="submit" name="to" value="([a-z_]+)"', page)
    assert steps == ["in_review", "declined"]
    assert "Begründung nötig" in page
    assert f'action="/moderation/ideas/{idea.id}/merge"' in page
    assert f'href="/moderation/ideas/{idea.id}/hide?next=' in page
    # No other group to move to: no move form.
    assert f'action="/moderation/ideas/{idea.id}/move"' not in page


def test_page_offers_forwarding_for_ideas_in_review(lead, alpha):
    waiting = make_idea(alpha, status=S.IN_REVIEW)
    page = page_of(lead, waiting)
    assert f'href="/moderation/ideas/{waiting.id}/forward"' in page
    forwarded = make_idea(alpha, status=S.FORWARDED)
    page = page_of(lead, forwarded)
    assert f'href="/moderation/ideas/{forwarded.id}/return"' in page
    assert re.findall(r'name="to" value="([a-z_]+)"', page) == []


def test_page_for_admins_offers_every_allowed_step(client_for, alpha):
    forwarded = make_idea(alpha, status=S.FORWARDED)
    page = page_of(client_for("admin"), forwarded)
    assert re.findall(r'name="to" value="([a-z_]+)"', page) == ["prioritised", "declined"]


@pytest.mark.parametrize("status", list(IdeaStatus))
def test_page_renders_in_every_status_hidden_or_not(client_for, alpha, status):
    admin = client_for("admin")
    idea = make_idea(alpha, status=status)
    page = page_of(admin, idea)
    steps = re.findall(r'name="to" value="([a-z_]+)"', page)
    # Admins get every step the table allows, save those with a form of their own.
    assert steps == [
        step.value
        for step in IdeaStatus
        if step in ideas.TRANSITIONS[status] and curation.own_form(status, step) is None
    ]
    assert ("zusammenführen" in page) is (S.MERGED in ideas.TRANSITIONS[status])
    idea.hidden_at = utcnow()
    idea.hidden_reason = "Beleidigend"
    db.session.commit()
    page = page_of(admin, idea)
    assert "Beleidigend" in page
    assert f'action="/moderation/ideas/{idea.id}/restore"' in page


@pytest.mark.parametrize("role", ["other_lead", "board", "citizen", "u30", "unconfirmed"])
def test_page_is_for_the_groups_moderators(client_for, idea, role):
    assert client_for(role).get(f"/moderation/ideas/{idea.id}").status_code == 403


def test_unknown_ideas_are_404(lead):
    assert lead.get("/moderation/ideas/999999").status_code == 404
    for action in ("status", "merge", "move", "answer", "notes"):
        response = lead.submit(f"/moderation/ideas/999999/{action}", {"to": "declined"})
        assert response.status_code == 404, action


# Status


def test_decline_with_reason(lead, idea, people):
    response = post(lead, idea, "status", {"to": "declined", "note": "Nicht umsetzbar."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/moderation/ideas/{idea.id}#status")
    assert fresh(idea).status is S.DECLINED
    public = text_of(lead.get(f"/ideas/{idea.id}"))
    assert "Nicht umsetzbar." in public and "Abgelehnt" in public


def test_decline_without_reason_keeps_nothing(lead, idea):
    response = post(lead, idea, "status", {"to": "declined", "note": "  "})
    page = text_of(response)
    assert response.status_code == 200
    assert error_beside(page, "status-note") == "Bitte geben Sie eine Begründung an."
    assert fresh(idea).status is S.PUBLISHED
    assert count(AuditEntry) == 0


def test_overlong_note_is_kept_with_its_message(lead, idea):
    note = "Zu lang " * 300
    page = text_of(post(lead, idea, "status", {"to": "in_review", "note": note}))
    assert "Höchstens 2000 Zeichen." in error_beside(page, "status-note")
    assert value_of(page, "status-note") == note.strip()
    assert fresh(idea).status is S.PUBLISHED


@pytest.mark.parametrize("to", ["", "erledigt", "42"])
def test_unknown_step_is_refused(lead, idea, to):
    page = text_of(post(lead, idea, "status", {"to": to, "note": "Bleibt"}))
    assert "Bitte wählen Sie einen der angebotenen Schritte." in page
    assert value_of(page, "status-note") == "Bleibt"
    assert fresh(idea).status is S.PUBLISHED


@pytest.mark.parametrize("to", ["implemented", "prioritised", "withdrawn", "submitted"])
def test_steps_not_of_the_lead_are_403(lead, idea, to):
    assert post(lead, idea, "status", {"to": to, "note": "x"}).status_code == 403
    assert fresh(idea).status is S.PUBLISHED


def test_refused_by_the_state_machine_shows_why(client_for, idea):
    page = text_of(post(client_for("admin"), idea, "status", {"to": "implemented", "note": "x"}))
    assert "Eine Idee im Status „Veröffentlicht“ kann nicht auf „Umgesetzt“ gesetzt werden." in page
    assert fresh(idea).status is S.PUBLISHED


def test_double_submit_changes_status_once(lead, idea):
    for _ in range(2):
        response = post(lead, idea, "status", {"to": "in_review", "note": "Wir prüfen."})
        assert response.status_code == 302
    assert "bereits diesen Status" in flashes(text_of(lead.get(response.headers["Location"])))
    assert fresh(idea).status is S.IN_REVIEW
    moves = db.session.scalars(
        db.select(StatusEvent).where(
            StatusEvent.idea_id == idea.id, StatusEvent.to_status == S.IN_REVIEW
        )
    ).all()
    assert len(moves) == 1


def test_posts_without_csrf_token_store_nothing(lead, idea):
    for action, data in (
        ("status", {"to": "declined", "note": "Grund"}),
        ("merge", {"target": "1", "reason": "Grund", "confirmed": "1"}),
        ("answer", {"body": "Antwort"}),
        ("notes", {"body": "Notiz"}),
    ):
        response = lead.post(f"/moderation/ideas/{idea.id}/{action}", data=data)
        assert response.status_code == 400
        assert "Formular ist abgelaufen" in text_of(response)
    assert fresh(idea).status is S.PUBLISHED
    assert count(OfficialAnswer) == count(InternalNote) == 0


def test_other_lead_cannot_change_status_by_url(client_for, idea):
    response = post(client_for("other_lead"), idea, "status", {"to": "declined", "note": "x"})
    assert response.status_code == 403
    assert fresh(idea).status is S.PUBLISHED


# Merge


@pytest.fixture
def target(alpha):
    return make_idea(alpha, title="WLAN in allen Rathäusern")


def test_merge_asks_for_confirmation_then_merges(lead, idea, target):
    voter = make_user()
    set_vote(voter, idea, VoteValue.UP)
    db.session.commit()
    data = {"target": str(target.id), "reason": "Dasselbe Anliegen."}
    first = post(lead, idea, "merge", data)
    page = text_of(first)
    assert first.status_code == 200
    assert "Bitte bestätigen Sie:" in page and "„WLAN in allen Rathäusern“" in page
    assert value_of(page, "confirmed") == "1"
    assert value_of(page, "merge-reason") == "Dasselbe Anliegen."
    assert fresh(idea).status is S.PUBLISHED

    done = post(lead, idea, "merge", {**data, "confirmed": "1"})
    assert done.status_code == 302
    assert fresh(idea).status is S.MERGED and fresh(idea).merged_into_id == target.id
    assert fresh(target).votes_up == 1
    again = post(lead, idea, "merge", {**data, "confirmed": "1"})
    assert again.status_code == 302
    assert "bereits mit dieser Idee zusammengeführt" in flashes(
        text_of(lead.get(again.headers["Location"]))
    )
    assert recount(fix=False) == []
    public = text_of(lead.get(f"/ideas/{idea.id}"))
    assert (
        f'zusammengeführt mit <a href="/ideas/{target.id}">WLAN in allen Rathäusern</a>' in public
    )


def test_merge_target_given_as_address(lead, idea, target):
    data = {"target": f"https://example.org/ideas/{target.id}", "reason": "Doppelt."}
    page = text_of(post(lead, idea, "merge", data))
    assert "Bitte bestätigen Sie:" in page


@pytest.mark.parametrize(
    ("target_value", "message"),
    [
        ("", "Bitte geben Sie die Nummer der Idee an"),
        ("abc", "Bitte geben Sie eine Nummer an, z. B. 123."),
        ("-3", "Bitte geben Sie eine Nummer an, z. B. 123."),
        ("12345678901", "Bitte geben Sie eine Nummer an, z. B. 123."),
        ("999999", "Es gibt keine Idee mit dieser Nummer."),
    ],
)
def test_merge_bad_target_keeps_the_reason(lead, idea, target_value, message):
    data = {"target": target_value, "reason": "Mein Grund", "confirmed": "1"}
    page = text_of(post(lead, idea, "merge", data))
    assert message in error_beside(page, "merge-target")
    assert value_of(page, "merge-reason") == "Mein Grund"
    assert fresh(idea).status is S.PUBLISHED


def test_merge_without_reason_keeps_the_target(lead, idea, target):
    data = {"target": str(target.id), "reason": "", "confirmed": "1"}
    page = text_of(post(lead, idea, "merge", data))
    assert error_beside(page, "merge-reason") == "Bitte geben Sie eine Begründung an."
    assert value_of(page, "merge-target") == str(target.id)
    assert fresh(idea).status is S.PUBLISHED


def test_merge_into_itself_or_a_declined_idea_is_refused(lead, idea, alpha):
    declined = make_idea(alpha, status=S.DECLINED)
    for target_id in (idea.id, declined.id):
        data = {"target": str(target_id), "reason": "Grund", "confirmed": "1"}
        page = text_of(post(lead, idea, "merge", data))
        assert error_beside(page, "merge-target")
    assert fresh(idea).status is S.PUBLISHED and fresh(declined).status is S.DECLINED


def test_merge_into_another_groups_idea_is_403(lead, idea, people):
    theirs = make_idea(people["beta"])
    for confirmed in ("", "1"):
        data = {"target": str(theirs.id), "reason": "Grund", "confirmed": confirmed}
        assert post(lead, idea, "merge", data).status_code == 403
    assert fresh(idea).status is S.PUBLISHED


def test_other_lead_merging_alphas_idea_into_theirs_is_403(client_for, idea, people):
    theirs = make_idea(people["beta"])
    data = {"target": str(theirs.id), "reason": "Grund", "confirmed": "1"}
    assert post(client_for("other_lead"), idea, "merge", data).status_code == 403
    assert fresh(idea).status is S.PUBLISHED


def test_merge_search_finds_open_ideas_of_own_groups(lead, idea, target, people):
    make_idea(people["beta"], title="WLAN in Beta")
    page = text_of(lead.get(f"/moderation/ideas/{idea.id}?suche=wlan"))
    candidates = re.findall(r"Als Ziel wählen: ([^<]+)</a>", page)
    assert candidates == ["WLAN in allen Rathäusern"]
    chosen = text_of(lead.get(f"/moderation/ideas/{idea.id}?ziel={target.id}"))
    assert value_of(chosen, "merge-target") == str(target.id)
    assert 'id="merge-choice"' in chosen and "WLAN in allen Rathäusern" in chosen
    theirs = make_idea(people["beta"], title="Geheim in Beta")
    assert "Geheim in Beta" not in text_of(
        lead.get(f"/moderation/ideas/{idea.id}?ziel={theirs.id}")
    )
    too_long = lead.get(f"/moderation/ideas/{idea.id}?suche={'x' * 101}")
    assert too_long.status_code == 200 and "Höchstens 100 Zeichen." in text_of(too_long)


# Move


@pytest.fixture
def lead_of_both(people, login_as):
    gamma = make_group("Gamma", "gamma")
    groups.add_lead(gamma, people["lead"])
    db.session.commit()
    return login_as(people["lead"]), gamma


def test_move_to_another_moderated_group(lead_of_both, idea, alpha):
    client, gamma = lead_of_both
    page = page_of(client, idea)
    assert f'<option value="{gamma.id}">Gamma</option>' in page
    response = post(client, idea, "move", {"group": str(gamma.id), "note": "Passt besser."})
    assert response.status_code == 302
    assert fresh(idea).group_id == gamma.id
    assert recount(fix=False) == []
    public = text_of(client.get(f"/ideas/{idea.id}"))
    assert "aus der Themengruppe „Alpha“ verschoben" in public and "Passt besser." in public
    again = post(client, idea, "move", {"group": str(gamma.id), "note": "Passt besser."})
    assert again.status_code == 302
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(StatusEvent)
            .where(StatusEvent.from_group_id.is_not(None))
        )
        == 1
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Bitte wählen Sie eine Themengruppe."),
        ("abc", "Bitte wählen Sie eine Themengruppe."),
        ("999999", "Diese Themengruppe gibt es nicht."),
    ],
)
def test_move_bad_group_keeps_the_note(lead_of_both, idea, alpha, value, message):
    client, _gamma = lead_of_both
    page = text_of(post(client, idea, "move", {"group": value, "note": "Meine Notiz"}))
    assert message in error_beside(page, "move-group")
    assert value_of(page, "move-note") == "Meine Notiz"
    assert fresh(idea).group_id == alpha.id


def test_move_into_an_archived_group_is_refused(lead_of_both, idea, alpha):
    client, gamma = lead_of_both
    groups.set_archived(gamma, True)
    db.session.commit()
    page = text_of(post(client, idea, "move", {"group": str(gamma.id), "note": ""}))
    assert "archivierte" in error_beside(page, "move-group")
    assert fresh(idea).group_id == alpha.id


def test_move_into_another_leads_group_is_403(lead, idea, people, alpha):
    response = post(lead, idea, "move", {"group": str(people["beta"].id), "note": ""})
    assert response.status_code == 403
    assert fresh(idea).group_id == alpha.id


# Official answer


def test_answer_is_versioned_and_shown_on_the_idea_page(lead, idea, client):
    assert post(lead, idea, "answer", {"body": "Wir **prüfen** das."}).status_code == 302
    assert post(lead, idea, "answer", {"body": "Wir **prüfen** das."}).status_code == 302
    assert count(OfficialAnswer) == 1
    assert post(lead, idea, "answer", {"body": "Geprüft: machbar."}).status_code == 302
    assert count(OfficialAnswer) == 2
    public = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Stellungnahme der Themengruppe Alpha" in public
    assert "Geprüft: machbar." in public and "bearbeitet" in public
    assert "1 frühere Fassung" in public and "<strong>prüfen</strong>" in public
    # The form starts from the current version.
    assert value_of(page_of(lead, idea), "answer-body") == "Geprüft: machbar."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Bitte schreiben Sie eine Stellungnahme."),
        ("   ", "Bitte schreiben Sie eine Stellungnahme."),
        ("x" * (answers.ANSWER_MAX + 1), "Höchstens 10000 Zeichen."),
    ],
)
def test_answer_bad_input(lead, idea, body, message):
    page = text_of(post(lead, idea, "answer", {"body": body}))
    assert message in error_beside(page, "answer-body")
    if body.strip():
        assert value_of(page, "answer-body") == body
    assert count(OfficialAnswer) == 0


@pytest.mark.parametrize("role", ["other_lead", "board", "citizen"])
def test_answers_only_by_the_groups_moderators(client_for, idea, role):
    assert post(client_for(role), idea, "answer", {"body": "Antwort"}).status_code == 403
    assert count(OfficialAnswer) == 0


# Internal notes


def test_notes_on_the_moderation_page_and_the_idea_page(lead, idea, client_for, client):
    assert post(lead, idea, "notes", {"body": "Rückruf Amt 61"}).status_code == 302
    assert post(lead, idea, "notes", {"body": "Rückruf Amt 61"}).status_code == 302
    assert count(InternalNote) == 1
    assert "Rückruf Amt 61" in page_of(lead, idea)
    board = client_for("board")
    response = post(board, idea, "notes", {"body": "Vom Gremium"})
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}#interne-notizen")
    board_view = text_of(board.get(f"/ideas/{idea.id}"))
    assert "Rückruf Amt 61" in board_view and "Vom Gremium" in board_view
    for role in ("other_lead", "citizen", "u30"):
        assert "Rückruf Amt 61" not in text_of(client_for(role).get(f"/ideas/{idea.id}"))
    visitor_view = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Rückruf Amt 61" not in visitor_view and "Interne Notizen" not in visitor_view


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Bitte schreiben Sie eine Notiz."), ("y" * 5001, "Höchstens 5000 Zeichen.")],
)
def test_note_bad_input(lead, client_for, idea, body, message):
    page = text_of(post(lead, idea, "notes", {"body": body}))
    assert message in error_beside(page, "note-body")
    assert 'action="/moderation/ideas/' in page  # the moderation page again
    board_page = text_of(post(client_for("board"), idea, "notes", {"body": body}))
    assert message in error_beside(board_page, "note-body")
    assert "Abstimmung" in board_page  # the idea page again
    assert value_of(board_page, "note-body") == body
    assert count(InternalNote) == 0


@pytest.mark.parametrize("role", ["other_lead", "citizen", "u30"])
def test_notes_by_others_are_403(client_for, idea, role):
    assert post(client_for(role), idea, "notes", {"body": "x"}).status_code == 403


# The public idea page


def test_idea_page_for_visitors_shows_answer_merge_and_offline_origin(client, alpha, people):
    offline = ideas.create_idea(
        alpha,
        None,
        "Sensoren für Parkplätze",
        "Text",
        origin=IdeaOrigin.WORKSHOP,
        origin_event="Workshop Innenstadt",
        participant_name=None,
        actor=people["lead"],
    )
    db.session.commit()
    page = text_of(client.get(f"/ideas/{offline.id}"))
    assert "Workshop: Workshop Innenstadt" in page and "anonym" in page
    assert "Moderieren" not in page
    named = ideas.create_idea(
        alpha,
        None,
        "Digitale Bürgersprechstunde",
        "Text",
        origin=IdeaOrigin.FORUM,
        origin_event="Digitales Forum 2018",
        participant_name="Erika Muster",
        actor=people["lead"],
    )
    db.session.commit()
    page = text_of(client.get(f"/ideas/{named.id}"))
    assert "Digitales Forum: Digitales Forum 2018" in page and "Erika Muster" in page


def test_idea_page_shows_forwarding_rationale(client, alpha, people):
    from app.services import forwarding

    waiting = make_idea(alpha, status=S.IN_REVIEW)
    forwarding.forward(waiting, people["lead"], "Hoher **Nutzen** für alle.")
    db.session.commit()
    page = text_of(client.get(f"/ideas/{waiting.id}"))
    assert "Begründung der Themengruppe für die Weiterleitung" in page
    assert "<strong>Nutzen</strong>" in page


def test_idea_page_marks_hidden_ideas_for_moderators(lead, idea):
    idea.hidden_at = utcnow()
    idea.hidden_reason = "Werbung"
    db.session.commit()
    page = text_of(lead.get(f"/ideas/{idea.id}"))
    assert "ausgeblendet" in page and "Werbung" in page
    assert f'href="/moderation/ideas/{idea.id}">Moderieren</a>' in page


def _queries_for(client, path: str) -> int:
    statements = []

    def counter(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return len(statements)


def test_idea_page_queries_do_not_grow_with_curation(client_for, alpha, people):
    lead_user, board = people["lead"], client_for("board")
    few, many = make_idea(alpha), make_idea(alpha)
    target_few, target_many = make_idea(alpha), make_idea(alpha)
    for current, target, n in ((few, target_few, 1), (many, target_many, 12)):
        for number in range(n):
            answers.post_answer(current, actor=lead_user, body=f"Fassung {number}")
            curation.add_note(current, actor=lead_user, body=f"Notiz {number}")
        curation.move(current, make_group(), actor=people["admin"], note="hin")
        curation.merge(current, target, actor=people["admin"], reason="Doppelt.")
    db.session.commit()
    board.get(f"/ideas/{few.id}")  # warm up (session, caches)
    assert _queries_for(board, f"/ideas/{few.id}") == _queries_for(board, f"/ideas/{many.id}")


def test_target_page_lists_the_ideas_merged_into_it(client, alpha, people):
    target = make_idea(alpha, title="Digitale Parkplatzsuche")
    first = make_idea(alpha, title="Parkplätze per App finden")
    second = make_idea(alpha, title="Freie Parkplätze anzeigen")
    for duplicate in (first, second):
        curation.merge(duplicate, target, actor=people["lead"], reason="Gleiche Idee.")
        db.session.commit()
    page = text_of(client.get(f"/ideas/{target.id}"))
    assert "Mit dieser Idee wurden 2 ähnliche Ideen zusammengeführt" in page
    assert f'href="/ideas/{first.id}">Parkplätze per App finden</a>' in page
    assert f'href="/ideas/{second.id}">Freie Parkplätze anzeigen</a>' in page
    moderation.hide_idea(people["lead"], db.session.get(Idea, second.id), text="Werbung")
    db.session.commit()
    page = text_of(client.get(f"/ideas/{target.id}"))
    assert "Mit dieser Idee wurde eine ähnliche Idee zusammengeführt" in page
    assert "Freie Parkplätze anzeigen" not in page
