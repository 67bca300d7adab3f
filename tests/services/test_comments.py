import threading
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Comment, Follow, Idea, IdeaStatus, Report, User
from app.models.base import utcnow
from app.services import DomainError, comments
from app.services.comments import (
    AlreadyReported,
    EditWindowClosed,
    UnknownParent,
    create_comment,
    delete_comment,
    edit_comment,
    thread_page,
)
from app.services.recount import recount
from app.services.votes import IdeaClosed
from tests.factories import make_comment, make_idea, make_user


def fresh(model, row):
    db.session.expire_all()
    return db.session.get(model, row.id)


def replies_counts_are_exact() -> bool:
    """Every stored replies_count equals its public replies (recount does not check these)."""
    for parent in db.session.scalars(db.select(Comment).where(Comment.parent_id.is_(None))):
        truth = db.session.scalar(
            db.select(db.func.count(Comment.id)).where(
                Comment.parent_id == parent.id,
                Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None),
            )
        )
        if parent.replies_count != truth:
            return False
    return True


def test_comment_renders_markdown_once_and_counts():
    idea = make_idea()
    comment = make_comment(idea, body="Das ist **wichtig** <script>alert(1)</script>")
    assert "<strong>wichtig</strong>" in comment.body_html
    assert "<script>" not in comment.body_html
    assert fresh(Idea, idea).comments_count == 1
    assert recount(fix=False) == []


def test_reply_counts_and_reply_to_reply_joins_the_top_level_thread():
    idea = make_idea()
    top = make_comment(idea)
    reply = make_comment(idea, parent=top)
    answer = make_comment(idea, parent=reply)
    assert reply.parent_id == top.id
    assert answer.parent_id == top.id  # one level only
    assert fresh(Comment, top).replies_count == 2
    assert fresh(Idea, idea).comments_count == 3
    assert recount(fix=False) == []
    assert replies_counts_are_exact()


def test_parent_must_belong_to_the_same_idea():
    idea, other = make_idea(), make_idea()
    foreign = make_comment(other)
    with pytest.raises(UnknownParent):
        create_comment(idea, make_user(), "Antwort", foreign.id)
    with pytest.raises(UnknownParent):
        create_comment(idea, make_user(), "Antwort", 999_999)


def test_no_reply_to_a_deleted_comment():
    idea = make_idea()
    top = make_comment(idea)
    delete_comment(top)
    db.session.commit()
    with pytest.raises(DomainError):
        create_comment(idea, make_user(), "Antwort", top.id)


@pytest.mark.parametrize(
    "status",
    [IdeaStatus.DECLINED, IdeaStatus.MERGED, IdeaStatus.WITHDRAWN, IdeaStatus.SUBMITTED],
)
def test_closed_ideas_take_no_comments(status):
    idea = make_idea(status=status)
    with pytest.raises(IdeaClosed, match="abgeschlossen"):
        create_comment(idea, make_user(), "Zu spät")


def test_hidden_ideas_take_no_comments():
    idea = make_idea()
    idea.hidden_at = utcnow()
    db.session.commit()
    with pytest.raises(IdeaClosed):
        create_comment(idea, make_user(), "Versteckt")


@pytest.mark.parametrize("body", ["", "   \n ", "x" * (comments.BODY_MAX + 1)])
def test_body_must_be_present_and_not_too_long(body):
    with pytest.raises(DomainError):
        create_comment(make_idea(), make_user(), body)


def test_body_of_exactly_the_maximum_is_fine():
    comment = create_comment(make_idea(), make_user(), "x" * comments.BODY_MAX)
    assert len(comment.body) == comments.BODY_MAX


def test_double_submit_is_one_comment():
    idea = make_idea()
    author = make_user()
    first = create_comment(idea, author, "Gleicher Text")
    second = create_comment(idea, author, "Gleicher Text")
    db.session.commit()
    assert first.id == second.id
    assert fresh(Idea, idea).comments_count == 1
    # A different person, or the same text as a reply, is a comment of its own.
    create_comment(idea, make_user(), "Gleicher Text")
    create_comment(idea, author, "Gleicher Text", first.id)
    db.session.commit()
    assert fresh(Idea, idea).comments_count == 3


def test_same_text_after_the_window_is_a_new_comment():
    idea = make_idea()
    author = make_user()
    first = create_comment(idea, author, "Nochmal")
    first.created_at = utcnow() - comments.DUPLICATE_WINDOW - timedelta(seconds=1)
    db.session.commit()
    assert create_comment(idea, author, "Nochmal").id != first.id


def test_writer_follows_the_idea():
    idea = make_idea()
    writer = make_user()
    make_comment(idea, writer)
    assert db.session.scalar(
        db.select(Follow.id).where(Follow.user_id == writer.id, Follow.idea_id == idea.id)
    )


def test_edit_within_fifteen_minutes_marks_edited():
    comment = make_comment()
    edit_comment(comment, comment.author, "Neu *formuliert*")
    db.session.commit()
    stored = fresh(Comment, comment)
    assert stored.body_html == "<p>Neu <em>formuliert</em></p>\n"
    assert stored.edited_at is not None


def test_edit_after_fifteen_minutes_is_refused():
    comment = make_comment()
    comment.created_at = utcnow() - timedelta(minutes=15, seconds=1)
    db.session.commit()
    with pytest.raises(EditWindowClosed, match="15 Minuten"):
        edit_comment(comment, comment.author, "Zu spät")


def test_only_the_author_edits():
    comment = make_comment()
    with pytest.raises(EditWindowClosed):
        edit_comment(comment, make_user(), "Fremd")


def test_delete_leaves_a_placeholder_and_keeps_counts_exact():
    idea = make_idea()
    top = make_comment(idea)
    reply = make_comment(idea, parent=top)
    other_reply = make_comment(idea, parent=top)
    delete_comment(reply)
    db.session.commit()
    assert fresh(Comment, reply).body == ""
    assert fresh(Comment, reply).deleted_at is not None
    assert fresh(Comment, top).replies_count == 1
    assert fresh(Idea, idea).comments_count == 2
    delete_comment(top)
    delete_comment(top)  # twice changes nothing
    db.session.commit()
    assert fresh(Idea, idea).comments_count == 1
    # The thread stays: the placeholder and the remaining reply.
    page = thread_page(fresh(Idea, idea), make_user(), 1)
    assert [item.comment.is_deleted for item in page.items] == [True]
    assert [reply.id for reply in page.items[0].replies] == [reply.id, other_reply.id]
    assert recount(fix=False) == []
    assert replies_counts_are_exact()


def test_deleting_a_hidden_comment_does_not_count_it_twice():
    idea = make_idea()
    comment = make_comment(idea)
    make_comment(idea)
    # Hiding (a later feature) takes a comment out of the counts.
    comment.hidden_at = utcnow()
    db.session.execute(
        db.update(Idea).where(Idea.id == idea.id).values(comments_count=Idea.comments_count - 1)
    )
    db.session.commit()
    delete_comment(comment)
    db.session.commit()
    assert fresh(Idea, idea).comments_count == 1
    assert recount(fix=False) == []


def test_thread_page_orders_paginates_and_bounds_replies():
    idea = make_idea()
    author = make_user()
    tops = [
        create_comment(idea, author, f"Beitrag {n}") for n in range(comments.TOP_LEVEL_PER_PAGE + 3)
    ]
    for n in range(comments.REPLIES_SHOWN + 5):
        create_comment(idea, author, f"Antwort {n}", tops[0].id)
    db.session.commit()
    first = thread_page(idea, None, 1)
    assert (first.page, first.pages) == (1, 2)
    assert [item.id for item in first.items] == [c.id for c in tops[:50]]
    assert len(first.items[0].replies) == comments.REPLIES_SHOWN
    assert first.items[0].more_replies == 5
    second = thread_page(idea, None, 2)
    assert [item.id for item in second.items] == [c.id for c in tops[50:]]
    assert thread_page(idea, None, 99).page == 2  # out of range: the last page
    rest = comments.replies_page(idea, tops[0], None, 1)
    assert len(rest.replies) == comments.REPLIES_SHOWN + 5


def test_hidden_comments_are_for_moderators_only(people):
    idea = make_idea(people["alpha"])
    shown = make_comment(idea)
    hidden = make_comment(idea)
    hidden.hidden_at = utcnow()
    db.session.commit()
    public = thread_page(idea, people["citizen"], 1)
    assert [item.id for item in public.items] == [shown.id]
    assert comments.find_comment(idea, hidden.id, people["citizen"]) is None
    moderated = thread_page(idea, people["lead"], 1)
    assert [item.id for item in moderated.items] == [shown.id, hidden.id]
    assert comments.find_comment(idea, hidden.id, people["lead"]) is not None
    assert thread_page(idea, people["other_lead"], 1).items[0].id == shown.id


def test_permissions_per_comment(people):
    idea = make_idea(people["alpha"])
    own = make_comment(idea, people["citizen"])
    page = thread_page(idea, people["citizen"], 1)
    item = page.items[0]
    assert (item.can_edit, item.can_delete, item.can_report, item.can_reply) == (
        True,
        True,
        False,
        True,
    )
    lead_item = thread_page(idea, people["lead"], 1).items[0]
    assert (lead_item.can_edit, lead_item.can_delete, lead_item.can_report) == (False, True, True)
    visitor = thread_page(idea, None, 1)
    assert visitor.needs_login and not visitor.can_comment
    assert not visitor.items[0].can_reply
    own.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert not thread_page(idea, people["citizen"], 1).items[0].can_edit


def test_place_of_points_at_the_right_page():
    idea = make_idea()
    author = make_user()
    tops = [create_comment(idea, author, f"B {n}") for n in range(comments.TOP_LEVEL_PER_PAGE + 1)]
    last = tops[-1]
    replies = [
        create_comment(idea, author, f"A {n}", tops[0].id)
        for n in range(comments.REPLIES_SHOWN + 1)
    ]
    db.session.commit()
    assert comments.place_of(tops[0], idea, None).comments_page == 1
    assert comments.place_of(last, idea, None).comments_page == 2
    assert comments.place_of(replies[0], idea, None).comments_page == 1
    far = comments.place_of(replies[-1], idea, None)
    assert (far.thread_of, far.thread_page) == (tops[0].id, 1)


def test_report_once_while_open_then_again_after_resolution(people):
    idea = make_idea(people["alpha"])
    comment = make_comment(idea)
    reporter = people["citizen"]
    comments.report(reporter, idea, "Beleidigend", comment)
    db.session.commit()
    with pytest.raises(AlreadyReported):
        comments.report(reporter, idea, "Nochmal", comment)
    # The idea itself is another item.
    comments.report(reporter, idea, "Werbung")
    db.session.commit()
    with pytest.raises(AlreadyReported):
        comments.report(reporter, idea, "Werbung, nochmal")
    report = db.session.scalar(db.select(Report).where(Report.comment_id == comment.id))
    report.resolved_at = utcnow()
    db.session.commit()
    comments.report(reporter, idea, "Schon wieder", comment)
    db.session.commit()
    reopened = db.session.scalar(db.select(Report).where(Report.comment_id == comment.id))
    assert (reopened.reason, reopened.resolved_at) == ("Schon wieder", None)


@pytest.mark.parametrize("reason", ["", "  ", "x" * (comments.REASON_MAX + 1)])
def test_report_needs_a_reason(reason):
    idea = make_idea()
    with pytest.raises(DomainError):
        comments.report(make_user(), idea, reason)


def test_concurrent_comments_keep_counts_exact_and_double_clicks_single(app):
    # On PostgreSQL the threads really overlap; SQLite serialises them with its write lock.
    idea = make_idea()
    top = make_comment(idea)
    writers = [make_user() for _ in range(12)]
    double_clicker = make_user()
    idea_id, top_id = idea.id, top.id
    jobs = [(user.id, f"Antwort von {user.id}", top_id) for user in writers]
    jobs += [(double_clicker.id, "Zweimal gesendet", None)] * 4
    errors = []
    barrier = threading.Barrier(len(jobs))

    def write(user_id, body, parent_id):
        with app.app_context():
            try:
                barrier.wait()  # before taking a pooled connection: the pool is smaller
                user = db.session.get(User, user_id)
                create_comment(db.session.get(Idea, idea_id), user, body, parent_id)
                db.session.commit()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert fresh(Idea, idea).comments_count == 1 + 12 + 1
    assert fresh(Comment, top).replies_count == 12
    assert recount(fix=False) == []
    assert replies_counts_are_exact()
