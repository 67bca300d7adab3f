"""Comments over HTTP: writing, replying, editing, deleting, reporting, and the listing."""

import contextvars
import html
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import event, insert, update

from app.extensions import db
from app.models import Comment, Idea, IdeaStatus, Notification, Report
from app.models.base import utcnow
from app.services import comments
from app.services.text import render_markdown
from tests.conftest import mails_to
from tests.factories import make_comment, make_idea, make_user


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def fresh(model, row):
    db.session.expire_all()
    return db.session.get(model, row.id)


def count_comments(idea) -> int:
    return db.session.scalar(db.select(db.func.count(Comment.id)).where(Comment.idea_id == idea.id))


def post_comment(client, idea, body="Ein guter Gedanke.", **extra):
    return client.submit(f"/ideas/{idea.id}/comments", {"body": body, **extra})


@pytest.fixture
def idea(people):
    return make_idea(people["alpha"])


@pytest.fixture
def citizen(client_for):
    return client_for("citizen")


# Writing and replying


def test_comment_redirects_to_its_anchor(citizen, idea):
    response = post_comment(citizen, idea, "Ich bin **dafür**.")
    assert response.status_code == 302
    comment = db.session.scalar(db.select(Comment).where(Comment.idea_id == idea.id))
    assert response.headers["Location"] == f"/ideas/{idea.id}#kommentar-{comment.id}"
    assert comment.body_html == "<p>Ich bin <strong>dafür</strong>.</p>\n"
    assert fresh(Idea, idea).comments_count == 1


def test_reply_to_a_reply_lands_in_the_thread(citizen, idea):
    top = make_comment(idea)
    reply = make_comment(idea, parent=top)
    response = post_comment(citizen, idea, "Genau.", parent_id=str(reply.id))
    assert response.status_code == 302
    answer = db.session.scalar(db.select(Comment).order_by(Comment.id.desc()).limit(1))
    assert answer.parent_id == top.id
    assert response.headers["Location"].endswith(f"#kommentar-{answer.id}")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Bitte schreiben Sie einen Kommentar."),
        ("   ", "Bitte schreiben Sie einen Kommentar."),
        ("x" * 2001, "Ein Kommentar darf höchstens 2000 Zeichen lang sein."),
    ],
)
def test_bad_comment_gets_a_message_and_keeps_the_text(citizen, idea, body, message):
    response = post_comment(citizen, idea, body)
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert 'aria-invalid="true"' in page
    if body.strip():
        assert body in page
    assert count_comments(idea) == 0


def test_line_breaks_count_once(citizen, idea):
    body = "\r\n".join(["x" * 99] * 20)  # 1 999 characters with LF, 2 018 with CRLF
    assert post_comment(citizen, idea, body).status_code == 302


def test_unknown_idea_is_404(citizen):
    assert citizen.submit("/ideas/999999/comments", {"body": "Hallo"}).status_code == 404


def test_parent_from_another_idea_is_400(citizen, idea):
    foreign = make_comment(make_idea())
    response = post_comment(citizen, idea, "Antwort", parent_id=str(foreign.id))
    assert response.status_code == 400
    page = text_of(response)
    assert "existiert nicht" in page and "Antwort" in page
    assert count_comments(idea) == 0


@pytest.mark.parametrize("parent_id", ["999999", "abc"])
def test_unknown_or_malformed_parent_is_400(citizen, idea, parent_id):
    response = post_comment(citizen, idea, "Antwort", parent_id=parent_id)
    assert response.status_code == 400
    assert count_comments(idea) == 0


@pytest.mark.parametrize("status", [IdeaStatus.DECLINED, IdeaStatus.MERGED, IdeaStatus.WITHDRAWN])
def test_closed_idea_says_so_and_keeps_the_text(citizen, people, status):
    closed = make_idea(people["alpha"], status=status)
    response = post_comment(citizen, closed, "Noch ein Gedanke")
    assert response.status_code == 200
    page = text_of(response)
    assert "Diese Idee ist abgeschlossen; Kommentieren ist nicht mehr möglich." in page
    assert "Noch ein Gedanke" in page
    assert count_comments(closed) == 0


def test_submitted_idea_of_someone_else_does_not_exist(citizen, people):
    people["alpha"].premoderation = True
    db.session.commit()
    waiting = make_idea(people["alpha"])
    assert waiting.status is IdeaStatus.SUBMITTED
    assert post_comment(citizen, waiting).status_code == 404


def test_hidden_idea_does_not_exist_for_the_public(citizen, idea):
    idea.hidden_at = utcnow()
    db.session.commit()
    assert post_comment(citizen, idea).status_code == 404


def test_double_submit_is_one_comment(citizen, idea):
    first = post_comment(citizen, idea, "Zweimal geklickt")
    second = post_comment(citizen, idea, "Zweimal geklickt")
    assert first.headers["Location"] == second.headers["Location"]
    assert count_comments(idea) == 1
    assert fresh(Idea, idea).comments_count == 1


def test_missing_csrf_token_is_400(citizen, idea):
    response = citizen.post(f"/ideas/{idea.id}/comments", data={"body": "Ohne Token"})
    assert response.status_code == 400
    assert count_comments(idea) == 0


def test_unconfirmed_account_may_not_comment(client_for, idea):
    assert post_comment(client_for("unconfirmed"), idea).status_code == 403


def test_comments_are_rate_limited(app, citizen, idea):
    app.config["RATELIMIT_COMMENT"] = "2 per minute"
    try:
        assert post_comment(citizen, idea, "Eins").status_code == 302
        assert post_comment(citizen, idea, "Zwei").status_code == 302
        assert post_comment(citizen, idea, "Drei").status_code == 429
    finally:
        app.config["RATELIMIT_COMMENT"] = "10 per minute; 100 per day"


def test_followers_get_a_mail_with_a_working_link(citizen, people, idea):
    author = db.session.get(type(people["citizen"]), idea.author_id)
    from app.services import follows

    follows.follow_idea(author, idea)
    db.session.commit()
    post_comment(citizen, idea, "Das sollte die Stadt machen.")
    (mail,) = mails_to(author.email)
    link = re.search(r"http://localhost(/ideas/\S+)", mail.body).group(1)
    response = citizen.get(link)
    assert response.status_code == 302
    assert "#kommentar-" in response.headers["Location"]


# Editing


def test_author_edits_within_fifteen_minutes(citizen, people, idea):
    comment = make_comment(idea, people["citizen"], body="Erste Fassung")
    url = f"/ideas/{idea.id}/comments/{comment.id}/edit"
    form = citizen.get(url)
    assert form.status_code == 200 and "Erste Fassung" in text_of(form)
    response = citizen.submit(url, {"body": "Zweite Fassung"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#kommentar-{comment.id}")
    stored = fresh(Comment, comment)
    assert stored.body == "Zweite Fassung" and stored.edited_at is not None


def test_edit_with_bad_input_keeps_the_text(citizen, people, idea):
    comment = make_comment(idea, people["citizen"])
    url = f"/ideas/{idea.id}/comments/{comment.id}/edit"
    response = citizen.submit(url, {"body": "y" * 2001})
    assert response.status_code == 200
    assert "höchstens 2000 Zeichen" in text_of(response)
    assert "y" * 2001 in text_of(response)
    assert citizen.submit(url, {"body": ""}).status_code == 200


def test_edit_after_fifteen_minutes_is_refused_with_a_message(citizen, people, idea):
    comment = make_comment(idea, people["citizen"], body="Alt")
    comment.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    url = f"/ideas/{idea.id}/comments/{comment.id}/edit"
    for response in (citizen.get(url), citizen.submit(url, {"body": "Neu"})):
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"#kommentar-{comment.id}")
    assert fresh(Comment, comment).body == "Alt"
    with citizen.session_transaction() as session:
        flashes = [message for _category, message in session.get("_flashes", [])]
    assert any("15 Minuten" in message for message in flashes)


def test_others_may_not_edit(client_for, people, idea):
    comment = make_comment(idea, people["citizen"])
    url = f"/ideas/{idea.id}/comments/{comment.id}/edit"
    assert client_for("lead").get(url).status_code == 403
    assert client_for("u30").submit(url, {"body": "Fremd"}).status_code == 403


def test_unknown_comment_is_404(citizen, idea):
    other = make_comment(make_idea())
    for url in (
        f"/ideas/{idea.id}/comments/999999/edit",
        f"/ideas/{idea.id}/comments/{other.id}/edit",  # a comment of another idea
        f"/ideas/{idea.id}/comments/999999/report",
        f"/ideas/{idea.id}/comments/999999",
    ):
        assert citizen.get(url).status_code == 404, url


# Deleting


def test_author_deletes_and_a_placeholder_stays(citizen, people, idea):
    comment = make_comment(idea, people["citizen"], body="Bereue ich")
    reply = make_comment(idea, parent=comment, body="Die Antwort bleibt")
    response = citizen.submit(f"/ideas/{idea.id}/comments/{comment.id}/delete")
    assert response.status_code == 302
    stored = fresh(Comment, comment)
    assert stored.deleted_at is not None and stored.body == ""
    assert fresh(Idea, idea).comments_count == 1
    page = citizen.get(f"/ideas/{idea.id}/comments/{comment.id}/replies")
    text = text_of(page)
    assert "Dieser Kommentar wurde gelöscht." in text
    assert "Bereue ich" not in text and "Die Antwort bleibt" in text
    assert fresh(Comment, reply).deleted_at is None


def test_moderator_deletes_others_may_not(client_for, people, idea):
    comment = make_comment(idea)
    url = f"/ideas/{idea.id}/comments/{comment.id}/delete"
    assert client_for("citizen").submit(url).status_code == 403
    assert client_for("other_lead").submit(url).status_code == 403
    assert client_for("lead").submit(url).status_code == 302
    assert fresh(Comment, comment).deleted_at is not None


# Reporting


def test_report_a_comment_tells_the_leads(citizen, people, idea):
    comment = make_comment(idea, body="Unfreundlich")
    url = f"/ideas/{idea.id}/comments/{comment.id}/report"
    page = citizen.get(url)
    assert page.status_code == 200 and "Unfreundlich" in text_of(page)
    response = citizen.submit(url, {"reason": "Beleidigt andere."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#kommentar-{comment.id}")
    report = db.session.scalar(db.select(Report))
    assert (report.comment_id, report.reason) == (comment.id, "Beleidigt andere.")
    assert db.session.scalar(
        db.select(Notification).where(Notification.user_id == people["lead"].id)
    )
    assert "Beleidigt andere." in mails_to(people["lead"].email)[-1].body
    # Again while it is open: a message, no second report.
    again = citizen.submit(url, {"reason": "Immer noch."})
    assert again.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 1


def test_report_an_idea(citizen, idea):
    response = citizen.submit(f"/ideas/{idea.id}/report", {"reason": "Werbung"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}#kommentare"
    report = db.session.scalar(db.select(Report))
    assert (report.idea_id, report.comment_id) == (idea.id, None)


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Bitte nennen Sie einen Grund für die Meldung."),
        ("z" * 1001, "Der Grund darf höchstens 1000 Zeichen lang sein."),
    ],
)
def test_report_needs_a_reason(citizen, idea, reason, message):
    response = citizen.submit(f"/ideas/{idea.id}/report", {"reason": reason})
    assert response.status_code == 200
    assert message in text_of(response)
    assert reason in text_of(response)
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 0


def test_report_of_an_unknown_idea_is_404(citizen):
    assert citizen.submit("/ideas/999999/report", {"reason": "x"}).status_code == 404


# Permalinks and long threads


def test_permalink_finds_the_page_of_a_comment(client, idea):
    author = make_user()
    rows = [
        {"idea_id": idea.id, "author_id": author.id, "body": f"B{n}", "body_html": f"<p>B{n}</p>"}
        for n in range(comments.TOP_LEVEL_PER_PAGE + 1)
    ]
    db.session.execute(insert(Comment), rows)
    db.session.commit()
    last = db.session.scalar(db.select(Comment).order_by(Comment.id.desc()).limit(1))
    response = client.get(f"/ideas/{idea.id}/comments/{last.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == (f"/ideas/{idea.id}?comments_page=2#kommentar-{last.id}")


def test_hidden_comment_permalink_is_404_for_the_public(client_for, idea):
    comment = make_comment(idea)
    comment.hidden_at = utcnow()
    db.session.commit()
    url = f"/ideas/{idea.id}/comments/{comment.id}"
    assert client_for("visitor").get(url).status_code == 404
    assert client_for("lead").get(url).status_code == 302


def test_long_thread_has_its_own_pages(client, idea):
    top = make_comment(idea, body="Der Anfang")
    author = make_user()
    db.session.execute(
        insert(Comment),
        [
            {
                "idea_id": idea.id,
                "parent_id": top.id,
                "author_id": author.id,
                "body": f"Antwort {n}",
                "body_html": f"<p>Antwort {n}</p>",
            }
            for n in range(comments.REPLIES_PER_PAGE + 1)
        ],
    )
    db.session.commit()
    first = text_of(client.get(f"/ideas/{idea.id}/comments/{top.id}/replies"))
    assert "Der Anfang" in first and "Antwort 0" in first and "Seite 1 von 2" in first
    assert f"Antwort {comments.REPLIES_PER_PAGE}<" not in first
    second = text_of(client.get(f"/ideas/{idea.id}/comments/{top.id}/replies?page=2"))
    assert f"Antwort {comments.REPLIES_PER_PAGE}<" in second
    last = db.session.scalar(db.select(Comment).order_by(Comment.id.desc()).limit(1))
    response = client.get(f"/ideas/{idea.id}/comments/{last.id}")
    assert response.headers["Location"] == (
        f"/ideas/{idea.id}/comments/{top.id}/replies?page=2#kommentar-{last.id}"
    )
    # A reply's own thread address leads to its top-level comment's.
    reply_thread = client.get(f"/ideas/{idea.id}/comments/{last.id}/replies")
    assert reply_thread.headers["Location"] == f"/ideas/{idea.id}/comments/{top.id}/replies"


# The discussion on the idea page (templates/ideas/_comments.html)


def render_discussion(app, idea, viewer=None, page=1, seen: list | None = None) -> str:
    """The partial as the idea page renders it, in a request (and app context) of its own.

    With `seen`, the SQL statements of building the thread and rendering it are recorded
    (loading the idea and the signed-in person is the idea view's part).
    """
    idea_id = idea.id

    def render():
        with app.test_request_context(f"/ideas/{idea_id}"):
            if viewer is not None:
                login_user(viewer)
                assert viewer.global_roles is not None and viewer.lead_group_ids is not None
            loaded = db.session.get(Idea, idea_id)
            assert loaded.group.leads is not None
            with statements() as recorded:
                thread = comments.thread_page(loaded, viewer, page)
                page_html = render_template("ideas/_comments.html", comment_thread=thread)
            if seen is not None:
                seen.extend(recorded)
            return html.unescape(page_html)

    return contextvars.Context().run(render)


def test_discussion_shows_comments_replies_placeholders_and_actions(app, people, idea):
    own = make_comment(idea, people["citizen"], body="Mein *Beitrag*")
    reply = make_comment(idea, parent=own, body="Eine Antwort")
    gone = make_comment(idea, body="Weg damit")
    comments.delete_comment(gone)
    hidden = make_comment(idea, body="Versteckt")
    hidden.hidden_at = utcnow()
    db.session.commit()

    page = render_discussion(app, idea, people["citizen"])
    assert "Mein <em>Beitrag</em>" in page and "Eine Antwort" in page
    assert f'id="kommentar-{own.id}"' in page and f'id="kommentar-{reply.id}"' in page
    assert "Dieser Kommentar wurde gelöscht." in page and "Weg damit" not in page
    assert "Versteckt" not in page
    assert f"/ideas/{idea.id}/comments/{own.id}/edit" in page
    assert f"/ideas/{idea.id}/comments/{own.id}/delete" in page
    assert f"/ideas/{idea.id}/comments/{reply.id}/report" in page
    assert f"/ideas/{idea.id}/comments/{own.id}/report" not in page  # not one's own
    assert page.count('name="csrf_token"') >= 3
    assert "<details" in page and f'name="parent_id" value="{own.id}"' in page
    assert "Nicht mehr folgen" in page  # the writer follows the idea now

    moderated = render_discussion(app, idea, people["lead"])
    assert "Versteckt" in moderated and "nur für die Moderation sichtbar" in moderated

    visitor = render_discussion(app, idea)
    assert "Bitte melden Sie sich an, um mitzudiskutieren." in visitor
    assert "/edit" not in visitor and "/delete" not in visitor and "<details" not in visitor


def test_discussion_of_a_closed_idea_says_so(app, people):
    closed = make_idea(people["alpha"], status=IdeaStatus.DECLINED)
    page = render_discussion(app, closed, people["citizen"])
    assert "Diese Idee ist abgeschlossen; Kommentieren ist nicht mehr möglich." in page
    assert 'name="body"' not in page


def test_edited_comments_say_so(app, people, idea):
    comment = make_comment(idea, people["citizen"])
    comments.edit_comment(comment, people["citizen"], "Anders")
    db.session.commit()
    assert "(bearbeitet)" in render_discussion(app, idea)


# Performance: the number of SQL statements does not grow with the comments


@contextmanager
def statements():
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def bulk_comments(idea, count: int, *, thread_share: float = 0.25) -> None:
    """`count` comment rows written directly: top-level ones, and replies to the first ten."""
    authors = [make_user() for _ in range(5)]
    body = "Ein Beitrag mit **etwas** Text, wie ihn Menschen schreiben."
    html_body = render_markdown(body)
    tops = count - int(count * thread_share)
    db.session.execute(
        insert(Comment),
        [
            {
                "idea_id": idea.id,
                "author_id": authors[n % 5].id,
                "body": body,
                "body_html": html_body,
            }
            for n in range(tops)
        ],
    )
    first_ids = list(
        db.session.scalars(
            db.select(Comment.id).where(Comment.idea_id == idea.id).order_by(Comment.id).limit(10)
        )
    )
    db.session.execute(
        insert(Comment),
        [
            {
                "idea_id": idea.id,
                "parent_id": first_ids[n % 10],
                "author_id": authors[n % 5].id,
                "body": body,
                "body_html": html_body,
            }
            for n in range(count - tops)
        ],
    )
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(comments_count=count))
    db.session.commit()


MAX_STATEMENTS = 15


@pytest.mark.parametrize("count", [20, 2000])
def test_discussion_renders_with_a_bounded_number_of_statements(app, people, idea, count):
    bulk_comments(idea, count)
    seen: list[str] = []
    page = render_discussion(app, idea, people["citizen"], seen=seen)
    # A count, the top-level page, all shown replies, and whether the viewer follows.
    assert len(seen) <= 5, seen
    shown = page.count('<article class="comment')
    top_level = min(count - int(count * 0.25), comments.TOP_LEVEL_PER_PAGE)
    assert shown <= top_level + 10 * comments.REPLIES_SHOWN
    assert shown >= top_level


def test_thread_page_statements_do_not_grow(client, idea):
    bulk_comments(idea, 2000, thread_share=0.9)
    top = db.session.scalar(
        db.select(Comment).where(Comment.idea_id == idea.id).order_by(Comment.id).limit(1)
    )
    counts = []
    for page in (1, 2):
        with statements() as seen:
            response = client.get(f"/ideas/{idea.id}/comments/{top.id}/replies?page={page}")
        assert response.status_code == 200
        counts.append(len(seen))
    assert max(counts) <= MAX_STATEMENTS


def test_idea_page_costs_the_same_for_20_and_2000_comments(client_for, people):
    """The whole idea page (the ideas view with this discussion in it), first page."""
    client = client_for("citizen")
    client.get("/")  # the session is set up outside the measurement
    counts = []
    for count in (20, 2000):
        idea = make_idea(people["alpha"])
        bulk_comments(idea, count)
        with statements() as seen:
            response = client.get(f"/ideas/{idea.id}")
        assert response.status_code == 200
        assert "Kommentar schreiben" in response.get_data(as_text=True)  # the discussion
        counts.append(len(seen))
    assert counts[0] == counts[1]
    assert counts[1] <= 2 * MAX_STATEMENTS


def test_deleting_twice_is_harmless(citizen, people, idea):
    comment = make_comment(idea, people["citizen"])
    url = f"/ideas/{idea.id}/comments/{comment.id}/delete"
    assert citizen.submit(url).status_code == 302
    assert citizen.submit(url).status_code == 302
    assert fresh(Idea, idea).comments_count == 0
