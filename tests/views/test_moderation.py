"""Content moderation over HTTP: workspace, hide and restore, reports, blocks, log, summary."""

import html
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import (
    AuditAction,
    AuditEntry,
    Comment,
    GroupBlock,
    Idea,
    IdeaStatus,
    ModerationReason,
    Report,
    SiteSetting,
)
from app.models.base import utcnow
from app.services import accounts, comments, groups, ideas, moderation
from tests.factories import make_comment, make_idea, make_user


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def fresh(model, row):
    db.session.expire_all()
    return db.session.get(model, row.id)


def error_beside(page: str, field_id: str) -> str:
    """The error text tied to a field (aria-describedby → <p class="error" id=…-fehler>)."""
    match = re.search(rf'<p class="error" id="{field_id}-fehler">([^<]*)</p>', page)
    assert match, f"no error beside {field_id}"
    return match.group(1)


@pytest.fixture
def idea(people):
    return make_idea(people["alpha"], people["citizen"], title="Sitzbänke mit WLAN")


@pytest.fixture
def templates():
    moderation.seed_default_templates()
    db.session.commit()
    return moderation.reason_templates()


@pytest.fixture
def lead(client_for):
    return client_for("lead")


def report(idea, comment=None, reason="Beleidigend", reporter=None):
    comments.report(reporter or make_user(), idea, reason, comment)
    db.session.commit()


# The workspace and the navigation badge


def test_workspace_shows_reports_submitted_returned_ideas_counts_and_blocks(people, lead, idea):
    comment = make_comment(idea, people["u30"], body="Ein unfreundlicher Satz.")
    report(idea, comment, "Beleidigt andere")
    report(idea, comment, "Unsachlich")
    make_idea(people["alpha"], title="Wartet auf Freigabe", status=IdeaStatus.SUBMITTED)
    returned = make_idea(people["alpha"], title="Zurück vom Gremium", status=IdeaStatus.FORWARDED)
    ideas.record_event(returned, None, IdeaStatus.FORWARDED, IdeaStatus.IN_REVIEW, "Bitte prüfen")
    returned.status = IdeaStatus.IN_REVIEW
    moderation.block_user(
        people["lead"],
        people["alpha"],
        people["board"],
        until=utcnow() + timedelta(days=2),
        reason="Werbung in Serie",
    )
    db.session.commit()

    page = text_of(lead.get("/moderation/alpha"))
    assert "<h1>Moderation: Alpha</h1>" in page
    assert "Beleidigt andere" in page and "Unsachlich" in page
    assert "von 2 Personen gemeldet" in page
    assert "Ein unfreundlicher Satz." in page
    assert f'href="/moderation/comments/{comment.id}/hide?next=/moderation/alpha"' in page
    assert f'action="/moderation/comments/{comment.id}/dismiss"' in page
    assert "Wartet auf Freigabe" in page and "Zurück vom Gremium" in page
    assert f'href="/moderation/ideas/{returned.id}"' in page
    assert 'href="/moderation/alpha/ideas/new"' in page
    assert 'href="/moderation/alpha/forwarded"' in page
    assert 'href="/groups/alpha?status=in_review"' in page
    assert "Werbung in Serie" in page and people["board"].display_name in page


def test_the_navigation_shows_pending_items_to_leads_and_admins_only(people, client_for, idea):
    report(idea)
    make_idea(people["beta"], status=IdeaStatus.SUBMITTED)
    lead_page = text_of(client_for("lead").get("/"))
    assert re.search(
        r'<a href="/moderation/alpha" aria-label="Moderation, 1 offen">Moderation '
        r'<span class="badge badge-unread">1 offen</span></a>',
        lead_page,
    )
    admin_page = text_of(client_for("admin").get("/"))
    assert 'href="/moderation/log" aria-label="Moderation, 2 offen"' in admin_page
    for role in ("visitor", "citizen", "board", "unconfirmed"):
        assert "Moderation<" not in text_of(client_for(role).get("/")), role


def test_a_lead_of_several_groups_is_led_to_the_log_with_their_groups(people, login_as):
    groups.add_lead(people["beta"], people["lead"])
    db.session.commit()
    client = login_as(people["lead"])
    assert 'href="/moderation/log">Moderation' in text_of(client.get("/"))
    page = text_of(client.get("/moderation/log"))
    assert 'href="/moderation/alpha">Moderation: Alpha' in page
    assert 'href="/moderation/beta">Moderation: Beta' in page
    assert '<select id="log-gruppe" name="group">' in page


def test_unknown_group_idea_comment_user_and_block_are_404(people, lead, idea, templates):
    assert lead.get("/moderation/nirgendwo").status_code == 404
    assert lead.get("/moderation/ideas/999999/hide").status_code == 404
    assert lead.get("/moderation/comments/999999/hide").status_code == 404
    assert lead.get("/moderation/alpha/block/999999").status_code == 404
    assert lead.get("/moderation/log?group=nirgendwo").status_code == 404
    assert lead.submit("/moderation/ideas/999999/restore", {}).status_code == 404
    assert lead.submit("/moderation/comments/999999/dismiss", {}).status_code == 404
    assert lead.submit("/moderation/blocks/999999/lift", {}).status_code == 404
    assert lead.get("/groups/nirgendwo/moderation").status_code == 404
    deleted = make_user()
    accounts.delete_account(deleted)
    db.session.commit()
    assert lead.get(f"/moderation/alpha/block/{deleted.id}").status_code == 404


# Hiding and restoring


def test_hiding_an_idea_with_a_template(people, lead, client_for, idea, templates):
    response = lead.submit(
        f"/moderation/ideas/{idea.id}/hide",
        {"template": str(templates[1].id), "text": "", "next": f"/ideas/{idea.id}"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert fresh(Idea, idea).hidden_reason == templates[1].text
    assert client_for("visitor").get(f"/ideas/{idea.id}").status_code == 404
    assert "Sitzbänke" not in text_of(client_for("visitor").get("/groups/alpha"))
    assert lead.get(f"/ideas/{idea.id}").status_code == 200


def test_hide_form_without_reason_says_so_beside_the_field(lead, idea, templates):
    page = text_of(lead.get(f"/moderation/ideas/{idea.id}/hide"))
    assert "(Pflichtfeld)" in page
    for template in templates:
        assert f'<option value="{template.id}">{template.label}</option>' in page
    response = lead.submit(f"/moderation/ideas/{idea.id}/hide", {"template": "", "text": "  "})
    assert response.status_code == 200
    page = text_of(response)
    assert error_beside(page, "text") == (
        "Bitte wählen Sie eine Vorlage oder schreiben Sie einen Grund (oder beides)."
    )
    assert not fresh(Idea, idea).is_hidden


def test_hide_form_keeps_the_input_on_errors(lead, idea, templates):
    long_text = "Zu lang. " * 120
    response = lead.submit(
        f"/moderation/ideas/{idea.id}/hide",
        {"template": str(templates[0].id), "text": long_text, "next": "/moderation/alpha"},
    )
    page = text_of(response)
    assert "höchstens 1000 Zeichen" in error_beside(page, "text")
    assert long_text.strip() in page
    assert f'<option selected value="{templates[0].id}">' in page
    assert 'name="next" type="hidden" value="/moderation/alpha"' in page

    response = lead.submit(
        f"/moderation/ideas/{idea.id}/hide", {"template": "999999", "text": "Eigener Grund"}
    )
    page = text_of(response)
    assert "Diese Vorlage gibt es nicht" in error_beside(page, "template")
    assert "Eigener Grund" in page
    response = lead.submit(f"/moderation/ideas/{idea.id}/hide", {"template": "abc"})
    assert "Diese Vorlage gibt es nicht" in error_beside(text_of(response), "template")
    assert not fresh(Idea, idea).is_hidden


def test_double_submit_and_restore_of_a_visible_idea(lead, idea):
    data = {"text": "Spam", "next": "/moderation/alpha"}
    assert lead.submit(f"/moderation/ideas/{idea.id}/hide", data).status_code == 302
    again = lead.submit(f"/moderation/ideas/{idea.id}/hide", data, follow_redirects=True)
    assert "Diese Idee ist bereits ausgeblendet." in text_of(again)
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 1
    lead.submit(f"/moderation/ideas/{idea.id}/restore", {"next": "/moderation/alpha"})
    again = lead.submit(f"/moderation/ideas/{idea.id}/restore", {}, follow_redirects=True)
    assert "Diese Idee ist nicht ausgeblendet." in text_of(again)
    assert not fresh(Idea, idea).is_hidden


def test_restore_with_a_too_long_note_keeps_it_on_a_page_of_its_own(lead, idea):
    lead.submit(f"/moderation/ideas/{idea.id}/hide", {"text": "Spam"})
    note = "Lang " * 250
    response = lead.submit(f"/moderation/ideas/{idea.id}/restore", {"note": note})
    assert response.status_code == 200
    page = text_of(response)
    assert "höchstens 1000 Zeichen" in error_beside(page, "note")
    assert note.strip() in page
    assert fresh(Idea, idea).is_hidden


def test_forms_without_csrf_token_are_refused(lead, idea):
    for path in (
        f"/moderation/ideas/{idea.id}/hide",
        f"/moderation/ideas/{idea.id}/restore",
        f"/moderation/ideas/{idea.id}/dismiss",
        "/moderation/alpha/block/1",
    ):
        response = lead.post(path, data={"text": "Spam", "reason": "x", "duration": "7"})
        assert response.status_code == 400, path
        assert "Das Formular ist abgelaufen" in text_of(response)
    assert not fresh(Idea, idea).is_hidden


def test_next_must_stay_on_the_site(lead, idea):
    response = lead.submit(
        f"/moderation/ideas/{idea.id}/hide", {"text": "Spam", "next": "https://example.com/"}
    )
    assert response.headers["Location"] == "/moderation/alpha"


def test_hiding_and_restoring_a_comment_from_the_idea_page(people, lead, client_for, idea):
    comment = make_comment(idea, people["u30"], body="Werbung für meinen Laden")
    page = text_of(lead.get(f"/ideas/{idea.id}"))
    back = f"/ideas/{idea.id}/comments/{comment.id}"
    assert f'href="/moderation/comments/{comment.id}/hide?next={back}"' in page
    assert "/moderation/comments/" not in text_of(client_for("citizen").get(f"/ideas/{idea.id}"))

    response = lead.submit(
        f"/moderation/comments/{comment.id}/hide", {"text": "Werbung", "next": back}
    )
    assert response.headers["Location"] == back
    assert "Werbung für meinen Laden" not in text_of(client_for("citizen").get(f"/ideas/{idea.id}"))
    page = text_of(lead.get(f"/ideas/{idea.id}"))
    assert "Ausgeblendet – nur für die Moderation sichtbar" in page
    assert "Grund: Werbung" in page
    assert f'action="/moderation/comments/{comment.id}/restore"' in page
    assert fresh(Idea, idea).comments_count == 0

    lead.submit(f"/moderation/comments/{comment.id}/restore", {"next": back})
    assert not fresh(Comment, comment).is_hidden
    assert fresh(Idea, idea).comments_count == 1


def test_hiding_a_deleted_comment_is_refused(people, lead, idea):
    comment = make_comment(idea, people["u30"])
    comments.delete_comment(comment)
    db.session.commit()
    response = lead.get(f"/moderation/comments/{comment.id}/hide", follow_redirects=True)
    assert "es gibt nichts auszublenden" in text_of(response)


# Leads of another group


def test_a_lead_of_beta_gets_403_for_everything_of_alpha(people, client_for, idea, templates):
    other = client_for("other_lead")
    comment = make_comment(idea)
    report(idea, comment)
    block = moderation.block_user(
        people["lead"],
        people["alpha"],
        people["u30"],
        until=utcnow() + timedelta(days=1),
        reason="Spam",
    )
    db.session.commit()
    assert other.get("/moderation/alpha").status_code == 403
    assert other.get(f"/moderation/ideas/{idea.id}/hide").status_code == 403
    assert other.get(f"/moderation/comments/{comment.id}/hide").status_code == 403
    assert other.get("/moderation/log?group=alpha").status_code == 403
    assert other.get(f"/moderation/alpha/block/{people['citizen'].id}").status_code == 403
    posts = {
        f"/moderation/ideas/{idea.id}/hide": {"text": "x", "next": "/moderation/beta"},
        f"/moderation/ideas/{idea.id}/restore": {},
        f"/moderation/ideas/{idea.id}/dismiss": {},
        f"/moderation/comments/{comment.id}/hide": {"template": str(templates[0].id)},
        f"/moderation/comments/{comment.id}/restore": {},
        f"/moderation/comments/{comment.id}/dismiss": {},
        f"/moderation/alpha/block/{people['citizen'].id}": {"duration": "7", "reason": "x"},
        f"/moderation/blocks/{block.id}/lift": {},
    }
    for path, data in posts.items():
        assert other.submit(path, data).status_code == 403, path
    assert not fresh(Idea, idea).is_hidden and not fresh(Comment, comment).is_hidden
    assert fresh(GroupBlock, block).lifted_at is None
    assert moderation.open_reporters(idea.id, comment.id) == 1
    assert moderation.active_block(people["citizen"], people["alpha"]) is None
    # Nothing of alpha shows up in beta's lead's log either.
    assert "Spam" not in text_of(other.get("/moderation/log"))


# Reports


def test_dismissing_reports_from_the_workspace(people, lead, idea):
    comment = make_comment(idea)
    report(idea, comment)
    response = lead.submit(
        f"/moderation/comments/{comment.id}/dismiss",
        {"next": "/moderation/alpha"},
        follow_redirects=True,
    )
    assert "Die Meldungen sind erledigt" in text_of(response)
    assert "Keine offenen Meldungen." in text_of(response)
    assert db.session.scalar(db.select(Report.resolved_at)) is not None
    again = lead.submit(f"/moderation/comments/{comment.id}/dismiss", {}, follow_redirects=True)
    assert "keine offenen Meldungen" in text_of(again)


def test_a_report_that_hides_the_idea_leads_back_to_its_group(client_for, idea):
    db.session.add(SiteSetting(key=moderation.AUTO_HIDE_KEY, value="1"))
    db.session.commit()
    response = client_for("u30").submit(f"/ideas/{idea.id}/report", {"reason": "Werbung"})
    assert response.headers["Location"] == "/groups/alpha"
    assert fresh(Idea, idea).is_hidden


def test_auto_hidden_items_come_first_marked_pending(people, lead, idea):
    db.session.add(SiteSetting(key=moderation.AUTO_HIDE_KEY, value="2"))
    db.session.commit()
    other = make_idea(people["alpha"], title="Noch sichtbar")
    report(idea)
    report(idea)
    report(other)
    page = text_of(lead.get("/moderation/alpha"))
    assert page.index("Sitzbänke mit WLAN") < page.index("Noch sichtbar")
    assert "Automatisch ausgeblendet – Prüfung ausstehend" in page
    assert "Meldungen verwerfen und wieder anzeigen" in page


# Blocks


def test_blocking_a_person_and_what_they_see(people, lead, client_for, idea):
    citizen_id = people["citizen"].id
    page = text_of(lead.get(f"/moderation/alpha/block/{citizen_id}"))
    assert 'Grund der Sperre <span class="required">(Pflichtfeld)</span>' in page
    response = lead.submit(
        f"/moderation/alpha/block/{citizen_id}", {"duration": "30", "reason": "Beleidigungen"}
    )
    assert response.headers["Location"] == "/moderation/alpha#sperren"
    block = db.session.scalars(db.select(GroupBlock)).one()
    assert timedelta(days=29) < block.until - utcnow() <= timedelta(days=30)

    citizen = client_for("citizen")
    form = citizen.submit("/ideas/new", {"group": "alpha", "title": "Neue Idee", "body": "Text"})
    page = text_of(form)
    assert "gesperrt" in error_beside(page, "group")
    assert "Grund: Beleidigungen" in page
    assert "Neue Idee" in page  # the input is kept
    assert db.session.scalar(db.select(db.func.count(Idea.id))) == 1

    comment = citizen.submit(f"/ideas/{idea.id}/comments", {"body": "Mein Kommentar"})
    page = text_of(comment)
    assert "bis" in page and "Grund: Beleidigungen" in page and "Mein Kommentar" in page
    assert "gesperrt" in text_of(citizen.get(f"/ideas/{idea.id}"))

    lifted = lead.submit(f"/moderation/blocks/{block.id}/lift", {}, follow_redirects=True)
    assert "ist aufgehoben" in text_of(lifted)
    posted = citizen.submit(f"/ideas/{idea.id}/comments", {"body": "Wieder da"})
    assert posted.status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"duration": "7", "reason": ""}, "reason", "Bitte geben Sie einen Grund"),
        ({"duration": "7", "reason": "x" * 1001}, "reason", "höchstens 1000 Zeichen"),
        ({"duration": "13", "reason": "Spam"}, "duration", "Bitte wählen Sie eine Dauer"),
        ({"duration": "date", "reason": "Spam"}, "last_day", "Bitte wählen Sie den letzten Tag"),
        ({"duration": "date", "last_day": "31.12.2030", "reason": "Spam"}, "last_day",
         "Format JJJJ-MM-TT"),
        ({"duration": "date", "last_day": "2001-01-01", "reason": "Spam"}, "last_day",
         "in der Zukunft"),
        ({"duration": "date", "last_day": "2099-01-01", "reason": "Spam"}, "last_day",
         "höchstens zwei Jahre"),
    ],
)  # fmt: skip
def test_block_form_errors_beside_the_field_keep_the_input(people, lead, data, field, message):
    response = lead.submit(f"/moderation/alpha/block/{people['citizen'].id}", data)
    assert response.status_code == 200
    page = text_of(response)
    assert message in error_beside(page, field)
    if data["reason"] and len(data["reason"]) < 100:
        assert f"{data['reason']}</textarea>" in page
    assert db.session.scalar(db.select(db.func.count(GroupBlock.id))) == 0


def test_blocking_until_a_date_and_refusals(people, lead):
    last_day = (utcnow() + timedelta(days=10)).date().isoformat()
    response = lead.submit(
        f"/moderation/alpha/block/{people['citizen'].id}",
        {"duration": "date", "last_day": last_day, "reason": "Spam"},
    )
    assert response.status_code == 302
    again = lead.submit(
        f"/moderation/alpha/block/{people['citizen'].id}", {"duration": "7", "reason": "Spam"}
    )
    assert "bereits bis" in error_beside(text_of(again), "reason")
    for target in ("admin", "lead"):
        refused = lead.submit(
            f"/moderation/alpha/block/{people[target].id}", {"duration": "7", "reason": "Spam"}
        )
        assert error_beside(text_of(refused), "reason"), target
    assert db.session.scalar(db.select(db.func.count(GroupBlock.id))) == 1


# The audit log


def test_the_log_names_who_what_which_and_why(people, lead, client_for, idea, templates):
    comment = make_comment(idea, people["u30"])
    lead.submit(f"/moderation/ideas/{idea.id}/hide", {"template": str(templates[0].id)})
    lead.submit(f"/moderation/comments/{comment.id}/hide", {"text": "Unsachlich"})
    moderation.block_user(
        people["admin"],
        people["alpha"],
        people["u30"],
        until=utcnow() + timedelta(days=1),
        reason="Spam in Serie",
    )
    beta_idea = make_idea(people["beta"])
    moderation.hide_idea(people["other_lead"], beta_idea, text="Nur in Beta")
    db.session.commit()

    page = text_of(lead.get("/moderation/log"))
    assert "Idee ausgeblendet" in page and "Kommentar ausgeblendet" in page
    assert "Person gesperrt" in page and "Spam in Serie" in page
    assert templates[0].text in page and "Unsachlich" in page
    assert people["lead"].display_name in page and people["u30"].display_name in page
    assert f'href="/ideas/{idea.id}"' in page
    assert f'href="/ideas/{idea.id}/comments/{comment.id}"' in page
    assert "Nur in Beta" not in page
    admin_page = text_of(client_for("admin").get("/moderation/log"))
    assert "Nur in Beta" in admin_page and "Spam in Serie" in admin_page
    filtered = text_of(client_for("admin").get("/moderation/log?group=beta"))
    assert "Nur in Beta" in filtered and "Spam in Serie" not in filtered


def test_the_log_is_paginated(people, lead, monkeypatch):
    monkeypatch.setattr(moderation, "LOG_PAGE_SIZE", 2)
    for number in range(3):
        moderation.hide_idea(people["lead"], make_idea(people["alpha"]), text=f"Grund {number}")
    db.session.commit()
    page = text_of(lead.get("/moderation/log"))
    assert "Grund 2" in page and "Grund 0" not in page
    older = re.search(r'href="(/moderation/log\?before=\d+)" rel="next"', page).group(1)
    assert "Grund 0" in text_of(lead.get(older))
    assert lead.get("/moderation/log?before=abc").status_code == 200


# The public summary


def test_public_summary_shows_numbers_and_reasons_only(people, client_for, idea, templates):
    comment = make_comment(idea, people["u30"], body="Geheimer Kommentartext")
    moderation.hide_comment(people["lead"], comment, template=templates[0], text="Privat")
    moderation.hide_idea(people["lead"], make_idea(people["alpha"]), text="Eigener Grund")
    db.session.commit()
    visitor = client_for("visitor")
    assert 'href="/groups/alpha/moderation"' in text_of(visitor.get("/groups/alpha"))
    page = text_of(visitor.get("/groups/alpha/moderation"))
    assert "<h1>Moderation in „Alpha“</h1>" in page
    assert re.search(r"<dt>Kommentare</dt><dd>1</dd>", page)
    assert re.search(r"<dt>Ideen</dt><dd>1</dd>", page)
    assert f'<th scope="row">{templates[0].label}</th>' in page
    assert '<th scope="row">Sonstiges</th>' in page
    for private in ("Geheimer Kommentartext", "Privat", "Eigener Grund", people["u30"].display_name,
                    people["lead"].display_name, templates[0].text):  # fmt: skip
        assert private not in page


# Admin: templates and threshold


def test_admin_edits_the_threshold(client_for):
    admin = client_for("admin")
    page = text_of(admin.get("/admin/moderation"))
    assert 'value="3"' in page
    for bad, message in (("abc", "ganze Zahl"), ("", "Bitte geben Sie eine Zahl an."),
                         ("0", "von 1 bis 100"), ("101", "von 1 bis 100")):  # fmt: skip
        response = admin.submit("/admin/moderation/threshold", {"threshold": bad})
        page = text_of(response)
        assert message in error_beside(page, "threshold"), bad
        if bad:
            assert f'value="{bad}"' in page
    admin.submit("/admin/moderation/threshold", {"threshold": "5"})
    assert moderation.auto_hide_threshold() == 5


def test_admin_manages_reason_templates(client_for, templates):
    admin = client_for("admin")
    page = text_of(admin.get("/admin/moderation"))
    assert all(template.label in page for template in templates)
    empty = admin.submit("/admin/moderation/reasons", {"label": "", "text": "Nur Text"})
    page = text_of(empty)
    assert "Bitte geben Sie eine Bezeichnung an." in error_beside(page, "label")
    assert "Nur Text</textarea>" in page
    duplicate = admin.submit("/admin/moderation/reasons", {"label": "beleidigung"})
    assert "gibt es bereits" in error_beside(text_of(duplicate), "label")
    created = admin.submit("/admin/moderation/reasons", {"label": "Dublette", "text": "Doppelt"})
    assert created.status_code == 302
    new = db.session.scalar(db.select(ModerationReason).where(ModerationReason.label == "Dublette"))
    admin.submit(f"/admin/moderation/reasons/{new.id}/move", {"direction": "up"})
    assert [t.label for t in moderation.reason_templates()][-2:] == [
        "Dublette",
        "Rechtswidriger Inhalt",
    ]
    assert (
        admin.submit(f"/admin/moderation/reasons/{new.id}/move", {"direction": "x"}).status_code
        == 400
    )
    edited = admin.submit(f"/admin/moderation/reasons/{new.id}", {"label": "Doppelt", "text": ""})
    assert edited.status_code == 302 and fresh(ModerationReason, new).label == "Doppelt"
    too_long = admin.submit(f"/admin/moderation/reasons/{new.id}", {"label": "x" * 81})
    assert "höchstens 80 Zeichen" in error_beside(text_of(too_long), "label")
    new_id = new.id
    admin.submit(f"/admin/moderation/reasons/{new_id}/delete", {})
    db.session.expire_all()
    assert db.session.get(ModerationReason, new_id) is None
    assert admin.get("/admin/moderation/reasons/999999").status_code == 404
    assert admin.submit("/admin/moderation/reasons/999999/delete", {}).status_code == 404


def test_audit_entries_name_the_platform_for_auto_hides(people, lead, idea):
    db.session.add(SiteSetting(key=moderation.AUTO_HIDE_KEY, value="1"))
    db.session.commit()
    report(idea)
    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert entry.action is AuditAction.AUTO_HIDE_IDEA and entry.actor_id is None
    page = text_of(lead.get("/moderation/log"))
    assert "Idee automatisch ausgeblendet (mehrfach gemeldet)" in page
    assert "<em>automatisch</em>" in page
