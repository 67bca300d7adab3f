from datetime import timedelta

import pytest

from app.extensions import db
from app.models import EmailMode, IdeaStatus, Notification, NotificationKind, OutboxMail
from app.models.base import utcnow
from app.services import accounts, comments, follows, ideas, notifications
from tests.conftest import mails_to
from tests.factories import make_comment, make_group, make_idea, make_user


def notified(user) -> list[Notification]:
    return list(
        db.session.scalars(
            db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def kinds(user) -> list[NotificationKind]:
    return [item.kind for item in notified(user)]


def set_modes(user, mode: EmailMode) -> None:
    notifications.update_settings(user, comments=mode, status=mode, new_ideas=mode)
    db.session.commit()


# Following


def test_follow_and_unfollow_are_idempotent():
    user, idea, group = make_user(), make_idea(), make_group()
    for _ in range(2):
        follows.follow_idea(user, idea)
        follows.follow_group(user, group)
    db.session.commit()
    assert follows.follows_idea(user, idea) and follows.follows_group(user, group)
    for _ in range(2):
        follows.unfollow_idea(user, idea)
        follows.unfollow_group(user, group)
    db.session.commit()
    assert not follows.follows_idea(user, idea) and not follows.follows_group(user, group)


def test_signed_out_visitors_follow_nothing():
    assert follows.follows_group(None, make_group()) is False


# Comments and replies


def test_new_comment_reaches_followers_but_not_the_writer():
    idea = make_idea()
    follower, writer = make_user(), make_user()
    follows.follow_idea(follower, idea)
    db.session.commit()
    comment = make_comment(idea, writer, body="Gute Idee, aber teuer.")
    assert kinds(follower) == [NotificationKind.COMMENT]
    assert notified(follower)[0].comment_id == comment.id
    assert kinds(writer) == []
    # The idea's author followed it when posting it (as the idea service's hook does).
    mails = mails_to(follower.email)
    assert len(mails) == 1
    assert "Gute Idee, aber teuer." in mails[0].body
    assert f"/ideas/{idea.id}/comments/{comment.id}" in mails[0].body


def test_reply_tells_the_parent_author_once():
    idea = make_idea()
    first, second = make_user(), make_user()
    top = make_comment(idea, first)  # first now follows the idea
    make_comment(idea, second, parent=top)
    assert kinds(first) == [NotificationKind.REPLY]
    assert "geantwortet" in mails_to(first.email)[0].body
    # The replier's own follow brings them nothing for their own reply.
    assert kinds(second) == []
    make_comment(idea, first, parent=top)
    assert kinds(second) == [NotificationKind.COMMENT]


def test_email_settings_decide_about_mail_not_about_the_row():
    idea = make_idea()
    daily, never = make_user(), make_user()
    set_modes(daily, EmailMode.DAILY)
    set_modes(never, EmailMode.NEVER)
    for user in (daily, never):
        follows.follow_idea(user, idea)
    db.session.commit()
    make_comment(idea)
    assert kinds(daily) == kinds(never) == [NotificationKind.COMMENT]
    assert mails_to(daily.email) == mails_to(never.email) == []


def test_deleted_accounts_get_nothing():
    idea = make_idea()
    gone = make_user()
    follows.follow_idea(gone, idea)
    accounts.delete_account(gone)
    db.session.commit()
    make_comment(idea)
    assert notified(gone) == []


# Status changes


def test_status_change_tells_author_and_followers_not_the_actor(people):
    idea = make_idea(people["alpha"])
    author = db.session.get(type(people["citizen"]), idea.author_id)
    follower = make_user()
    follows.follow_idea(follower, idea)
    db.session.commit()
    ideas.transition(idea, IdeaStatus.IN_REVIEW, actor=people["lead"], note="Wir prüfen.")
    db.session.commit()
    assert kinds(author) == kinds(follower) == [NotificationKind.STATUS]
    assert notified(people["lead"]) == []
    mail = mails_to(author.email)[0]
    assert "in Prüfung" in mail.body and "Wir prüfen." in mail.body
    assert "eingebracht" in mail.body


def test_author_always_learns_of_status_changes(people):
    idea = make_idea(people["alpha"])
    author = db.session.get(type(people["citizen"]), idea.author_id)
    follower = make_user()
    set_modes(author, EmailMode.NEVER)
    set_modes(follower, EmailMode.NEVER)
    follows.unfollow_idea(author, idea)
    follows.follow_idea(follower, idea)
    db.session.commit()
    ideas.transition(idea, IdeaStatus.DECLINED, actor=people["lead"], note="Zu teuer.")
    db.session.commit()
    assert kinds(author) == [NotificationKind.STATUS]
    assert len(mails_to(author.email)) == 1  # despite "never"
    assert mails_to(follower.email) == []  # a follower's "never" holds


def test_author_withdrawing_is_not_told_of_it():
    idea = make_idea()
    author = idea.author
    ideas.withdraw(idea, author)
    db.session.commit()
    assert notified(author) == []


# New ideas


def test_new_idea_reaches_group_followers_not_its_author():
    group = make_group()
    follower, author = make_user(), make_user()
    follows.follow_group(follower, group)
    follows.follow_group(author, group)
    db.session.commit()
    idea = ideas.create_idea(group, author, "Offenes WLAN im Park", "Text")  # notifies
    db.session.commit()
    assert kinds(follower) == [NotificationKind.NEW_IDEA]
    assert notified(author) == []
    assert follows.follows_idea(author, idea)  # authors follow their own ideas
    # The default for new ideas is the daily digest.
    assert mails_to(follower.email) == []


def test_premoderated_idea_is_news_when_published(people):
    group = people["alpha"]
    group.premoderation = True
    follower = make_user()
    follows.follow_group(follower, group)
    db.session.commit()
    idea = ideas.create_idea(group, make_user(), "Erste Idee", "Text")
    db.session.commit()
    assert idea.status is IdeaStatus.SUBMITTED
    assert notified(follower) == []
    ideas.transition(idea, IdeaStatus.PUBLISHED, actor=people["lead"])
    db.session.commit()
    assert kinds(follower) == [NotificationKind.NEW_IDEA]


# Reports


def test_report_tells_the_group_leads(people):
    idea = make_idea(people["alpha"])
    comment = make_comment(idea)
    comments.report(people["citizen"], idea, "Beleidigung", comment)
    db.session.commit()
    assert [item.comment_id for item in notified(people["lead"])] == [comment.id]
    assert [item.kind for item in notified(people["lead"])] == [NotificationKind.MODERATION]
    assert "Beleidigung" in mails_to(people["lead"].email)[0].body
    assert notified(people["other_lead"]) == []
    assert notified(people["admin"]) == []


def test_report_in_a_group_without_leads_tells_the_admins(people):
    idea = make_idea(make_group())
    comments.report(people["citizen"], idea, "Werbung")
    db.session.commit()
    assert len(notified(people["admin"])) == 1


# The notification centre


def test_unread_count_page_and_mark_read():
    user = make_user()
    idea = make_idea()
    follows.follow_idea(user, idea)
    db.session.commit()
    for n in range(notifications.PAGE_SIZE + 2):
        make_comment(idea, body=f"Kommentar {n}")
    assert notifications.unread_count(user) == notifications.PAGE_SIZE + 2
    first = notifications.page_for(user)
    assert len(first.items) == notifications.PAGE_SIZE
    assert first.items[0].id > first.items[-1].id  # newest first
    second = notifications.page_for(user, first.next_before)
    assert len(second.items) == 2 and second.next_before is None
    assert notifications.mark_all_read(user) == notifications.PAGE_SIZE + 2
    db.session.commit()
    assert notifications.unread_count(user) == 0


def test_unread_count_is_capped():
    user = make_user()
    idea = make_idea()
    db.session.execute(
        db.insert(Notification),
        [
            {"user_id": user.id, "kind": NotificationKind.COMMENT, "idea_id": idea.id, "text": "x"}
            for _ in range(notifications.UNREAD_COUNT_CAP + 5)
        ],
    )
    db.session.commit()
    assert notifications.unread_count(user) == notifications.UNREAD_COUNT_CAP


# The daily digest


def digests_to(user) -> list[OutboxMail]:
    return [mail for mail in mails_to(user.email) if mail.subject == notifications.DIGEST_SUBJECT]


def test_digest_collects_daily_notifications_once_a_day():
    idea = make_idea()
    daily, instant = make_user(), make_user()
    set_modes(daily, EmailMode.DAILY)
    for user in (daily, instant):
        follows.follow_idea(user, idea)
    db.session.commit()
    make_comment(idea, body="Erster")
    make_comment(idea, body="Zweiter")
    now = utcnow() + timedelta(seconds=1)
    assert notifications.send_digests(now) == 1
    db.session.commit()
    [digest] = digests_to(daily)
    assert digest.body.count(f"/ideas/{idea.id}/comments/") == 2
    assert digests_to(instant) == []
    # Run again the same day: nothing new goes out.
    make_comment(idea, body="Dritter")
    assert notifications.send_digests(now + timedelta(hours=2)) == 0
    # The next day, only what came since the last digest.
    db.session.commit()
    assert notifications.send_digests(now + timedelta(days=1)) == 1
    db.session.commit()
    assert digests_to(daily)[-1].body.count(f"/ideas/{idea.id}/comments/") == 1


def test_digest_skips_read_and_old_notifications_and_deleted_accounts():
    idea = make_idea()
    reader, late, gone = make_user(), make_user(), make_user()
    for user in (reader, late, gone):
        set_modes(user, EmailMode.DAILY)
        follows.follow_idea(user, idea)
    db.session.commit()
    make_comment(idea)
    notifications.mark_all_read(reader)
    accounts.delete_account(gone)
    db.session.commit()
    assert notifications.send_digests(utcnow() + timedelta(days=2)) == 0
    assert notifications.send_digests(utcnow() + timedelta(seconds=1)) == 1
    db.session.commit()
    assert len(digests_to(late)) == 1
    assert digests_to(reader) == []


def test_digest_command(runner):
    idea = make_idea()
    user = make_user()
    set_modes(user, EmailMode.DAILY)
    follows.follow_idea(user, idea)
    db.session.commit()
    make_comment(idea)
    result = runner.invoke(args=["mail", "digest"])
    assert result.exit_code == 0, result.output
    assert "1 Zusammenfassungen" in result.output
    db.session.expire_all()
    assert len(digests_to(user)) == 1


@pytest.mark.parametrize("mode", list(EmailMode))
def test_settings_are_stored(mode):
    user = make_user()
    set_modes(user, mode)
    db.session.expire_all()
    stored = db.session.get(type(user), user.id)
    assert (stored.email_on_comments, stored.email_on_status, stored.email_on_new_ideas) == (
        mode,
        mode,
        mode,
    )
