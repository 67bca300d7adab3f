"""Content moderation: hide and restore, reports and auto-hide, blocks, templates, pending."""

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
    Notification,
    NotificationKind,
    Report,
    ThematicGroup,
)
from app.models.base import utcnow
from app.services import DomainError, comments, ideas, listing, moderation, search
from app.services.comments import create_comment
from app.services.ideas import post_idea
from app.services.recount import recount
from app.services.votes import VoteValue, set_vote
from tests.conftest import mails_to
from tests.factories import make_comment, make_idea, make_user


def fresh(model, row):
    db.session.expire_all()
    return db.session.get(model, row.id)


def counters_exact() -> None:
    """`flask recount --verify` finds no difference (the test's objects stay usable)."""
    known = list(db.session.identity_map.values())
    differences = recount(fix=False)
    for row in known:  # recount detaches everything it read
        db.session.add(row)
    assert differences == []


def replies_count_exact(parent: Comment) -> None:
    truth = db.session.scalar(
        db.select(db.func.count(Comment.id)).where(
            Comment.parent_id == parent.id,
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
        )
    )
    assert fresh(Comment, parent).replies_count == truth


def audit_actions() -> list[AuditAction]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def moderation_notices(user) -> list[Notification]:
    return list(
        db.session.scalars(
            db.select(Notification)
            .where(
                Notification.user_id == user.id, Notification.kind == NotificationKind.MODERATION
            )
            .order_by(Notification.id)
        )
    )


def report(reporter, idea, comment=None, reason="Beleidigend"):
    entry = comments.report(reporter, idea, reason, comment)
    db.session.commit()
    return entry


@pytest.fixture
def template():
    moderation.seed_default_templates()
    db.session.commit()
    return moderation.reason_templates()[0]


@pytest.fixture
def voted_idea(people):
    """A published idea in alpha with two up votes and one down vote."""
    idea = make_idea(people["alpha"], people["citizen"], title="Freies WLAN im Stadtpark")
    for value in (VoteValue.UP, VoteValue.UP, VoteValue.DOWN):
        set_vote(make_user(), idea, value)
    db.session.commit()
    return idea


# Hiding and restoring ideas


def test_hiding_an_idea_takes_it_out_of_lists_search_and_group_counts(people, voted_idea, template):
    alpha = people["alpha"]
    assert (fresh(ThematicGroup, alpha).ideas_count, alpha.votes_count) == (1, 3)
    entry = moderation.hide_idea(
        people["lead"], voted_idea, template=template, text="Bitte sachlich."
    )
    db.session.commit()

    idea = fresh(Idea, voted_idea)
    assert idea.is_hidden
    assert idea.hidden_reason == f"{template.text}\n\nBitte sachlich."
    group = db.session.get(ThematicGroup, alpha.id)
    assert (group.ideas_count, group.votes_count) == (0, 0)
    counters_exact()
    assert listing.group_page(group).cards == []
    assert listing.top_ideas() == [] and listing.newest_ideas() == []
    assert search.search_ideas("WLAN Stadtpark").items == []
    assert (entry.action, entry.actor_id, entry.reason_id) == (
        AuditAction.HIDE_IDEA,
        people["lead"].id,
        template.id,
    )


def test_restoring_an_idea_brings_back_lists_counts_and_tells_the_author(
    people, voted_idea, template
):
    moderation.hide_idea(people["lead"], voted_idea, template=template)
    db.session.commit()
    moderation.restore_idea(people["lead"], voted_idea, "Nach Rücksprache in Ordnung.")
    db.session.commit()

    idea = fresh(Idea, voted_idea)
    assert not idea.is_hidden and idea.hidden_reason is None
    group = db.session.get(ThematicGroup, people["alpha"].id)
    assert (group.ideas_count, group.votes_count) == (1, 3)
    counters_exact()
    assert [card.idea.id for card in listing.group_page(group).cards] == [idea.id]
    assert [item.id for item in search.search_ideas("WLAN").items] == [idea.id]
    assert audit_actions() == [AuditAction.HIDE_IDEA, AuditAction.RESTORE_IDEA]
    texts = [notice.text for notice in moderation_notices(people["citizen"])]
    assert "ausgeblendet" in texts[0] and template.text in texts[0]
    assert "wieder öffentlich sichtbar" in texts[1]
    subjects = [mail.subject for mail in mails_to(people["citizen"].email)]
    assert any(subject.startswith("Ausgeblendet:") for subject in subjects)
    assert any(subject.startswith("Wieder sichtbar:") for subject in subjects)


def test_moderation_mail_reaches_authors_who_chose_never(people, voted_idea):
    people["citizen"].email_on_status = "never"
    people["citizen"].email_on_comments = "never"
    db.session.commit()
    moderation.hide_idea(people["lead"], voted_idea, text="Werbung für ein Geschäft.")
    db.session.commit()
    mail = mails_to(people["citizen"].email)[-1]
    assert "Werbung für ein Geschäft." in mail.body
    assert f"/ideas/{voted_idea.id}" in mail.body


def test_hiding_an_unlisted_idea_leaves_the_group_counts(people):
    submitted = make_idea(people["alpha"], people["citizen"], status=IdeaStatus.SUBMITTED)
    moderation.hide_idea(people["lead"], submitted, text="Rechtswidrig.")
    db.session.commit()
    assert fresh(ThematicGroup, people["alpha"]).ideas_count == 0
    counters_exact()
    moderation.restore_idea(people["admin"], submitted)
    db.session.commit()
    assert fresh(ThematicGroup, people["alpha"]).ideas_count == 0
    counters_exact()


def test_a_reason_is_required_and_bounded(people, voted_idea):
    with pytest.raises(moderation.ReasonRequired):
        moderation.hide_idea(people["lead"], voted_idea, text="   ")
    with pytest.raises(DomainError, match="höchstens 1000 Zeichen"):
        moderation.hide_idea(people["lead"], voted_idea, text="x" * 1001)
    db.session.rollback()
    assert not fresh(Idea, voted_idea).is_hidden
    assert audit_actions() == []


def test_hiding_twice_and_restoring_a_visible_idea_are_refused(people, voted_idea):
    moderation.hide_idea(people["lead"], voted_idea, text="Spam")
    db.session.commit()
    with pytest.raises(moderation.AlreadyHidden):
        moderation.hide_idea(people["lead"], voted_idea, text="Spam")
    db.session.rollback()
    moderation.restore_idea(people["lead"], voted_idea)
    db.session.commit()
    with pytest.raises(moderation.NotHidden):
        moderation.restore_idea(people["lead"], voted_idea)
    db.session.rollback()
    counters_exact()
    assert fresh(ThematicGroup, people["alpha"]).ideas_count == 1


def test_a_lead_hiding_own_content_gets_no_notice(people):
    idea = make_idea(people["alpha"], people["lead"])
    moderation.hide_idea(people["lead"], idea, text="Versehentlich doppelt.")
    db.session.commit()
    assert moderation_notices(people["lead"]) == []


# Hiding and restoring comments


def test_hiding_a_comment_and_a_reply_keeps_every_counter_exact(people, voted_idea):
    top = make_comment(voted_idea, people["citizen"])
    reply = make_comment(voted_idea, people["u30"], parent=top)
    other = make_comment(voted_idea)
    assert fresh(Idea, voted_idea).comments_count == 3

    moderation.hide_comment(people["lead"], reply, text="Beleidigung")
    db.session.commit()
    assert fresh(Idea, voted_idea).comments_count == 2
    replies_count_exact(top)
    assert fresh(Comment, top).replies_count == 0
    counters_exact()

    moderation.hide_comment(people["admin"], top, text="Themenfremd")
    db.session.commit()
    assert fresh(Idea, voted_idea).comments_count == 1
    counters_exact()

    moderation.restore_comment(people["lead"], reply)
    moderation.restore_comment(people["lead"], top)
    db.session.commit()
    assert fresh(Idea, voted_idea).comments_count == 3
    assert fresh(Comment, top).replies_count == 1
    replies_count_exact(top)
    counters_exact()
    assert other.hidden_at is None
    # The idea's own counts in its group do not move with its comments.
    assert fresh(ThematicGroup, people["alpha"]).ideas_count == 1


def test_hidden_comments_vanish_for_the_public_and_stay_marked_for_moderators(people, voted_idea):
    comment = make_comment(voted_idea, people["citizen"])
    moderation.hide_comment(people["lead"], comment, text="Werbung")
    db.session.commit()
    public = comments.thread_page(voted_idea, people["u30"])
    assert public.items == [] and public.count == 0
    moderated = comments.thread_page(voted_idea, people["lead"])
    assert [item.comment.hidden_reason for item in moderated.items] == ["Werbung"]
    notice = moderation_notices(people["citizen"])[0]
    # The author cannot open a hidden comment: the notice leads to the idea.
    assert notice.comment_id is None and notice.idea_id == voted_idea.id


def test_deleting_a_hidden_comment_and_hiding_a_deleted_one(people, voted_idea):
    hidden = make_comment(voted_idea, people["citizen"])
    deleted = make_comment(voted_idea, people["citizen"])
    moderation.hide_comment(people["lead"], hidden, text="Spam")
    db.session.commit()
    comments.delete_comment(hidden)
    comments.delete_comment(deleted)
    db.session.commit()
    counters_exact()
    with pytest.raises(DomainError, match="gelöscht"):
        moderation.hide_comment(people["lead"], fresh(Comment, deleted), text="Spam")
    db.session.rollback()
    # Restoring a hidden comment that was deleted meanwhile keeps it out of the counts.
    moderation.restore_comment(people["lead"], fresh(Comment, hidden))
    db.session.commit()
    assert fresh(Idea, voted_idea).comments_count == 0
    counters_exact()


# Reports and auto-hide


def test_auto_hide_at_exactly_n_distinct_reporters(people, voted_idea):
    comment = make_comment(voted_idea, people["citizen"])
    reporters = [make_user() for _ in range(3)]
    report(reporters[0], voted_idea, comment)
    report(reporters[1], voted_idea, comment)
    assert moderation.auto_hide_threshold() == 3
    assert not fresh(Comment, comment).is_hidden  # N − 1: still visible

    report(reporters[2], voted_idea, comment)
    hidden = fresh(Comment, comment)
    assert hidden.is_hidden
    assert "3 Personen" in hidden.hidden_reason
    assert fresh(Idea, voted_idea).comments_count == 0
    counters_exact()
    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.comment_id) == (
        AuditAction.AUTO_HIDE_COMMENT,
        None,
        comment.id,
    )
    assert "vorläufig ausgeblendet" in moderation_notices(people["citizen"])[0].text
    # The reports stay open: the item waits for review, at the top of the queue.
    queue, more = moderation.report_queue(people["alpha"])
    assert [(item.comment.id, item.pending_review, item.reporters) for item in queue] == [
        (comment.id, True, 3)
    ]
    assert not more


def test_the_threshold_is_a_site_setting(people, voted_idea):
    moderation.set_auto_hide_threshold(2)
    db.session.commit()
    report(make_user(), voted_idea)
    assert not fresh(Idea, voted_idea).is_hidden
    report(make_user(), voted_idea)
    assert fresh(Idea, voted_idea).is_hidden
    assert audit_actions() == [AuditAction.AUTO_HIDE_IDEA]
    group = fresh(ThematicGroup, people["alpha"])
    assert (group.ideas_count, group.votes_count) == (0, 0)
    counters_exact()
    for bad in (0, 101):
        with pytest.raises(DomainError):
            moderation.set_auto_hide_threshold(bad)


def test_reporters_are_counted_distinct_and_resolved_reports_do_not_count(people, voted_idea):
    moderation.set_auto_hide_threshold(2)
    first = make_user()
    report(first, voted_idea)
    # Two rows of one person (the unique constraint lets NULL comment ids through).
    db.session.add(Report(reporter_id=first.id, idea_id=voted_idea.id, reason="Nochmal"))
    db.session.commit()
    assert moderation.open_reporters(voted_idea.id) == 1
    assert not moderation.auto_hide_if_reported(voted_idea)
    assert not fresh(Idea, voted_idea).is_hidden

    moderation.dismiss_reports(people["lead"], voted_idea)
    db.session.commit()
    report(make_user(), voted_idea)
    assert moderation.open_reporters(voted_idea.id) == 1
    assert not fresh(Idea, voted_idea).is_hidden


def test_reports_on_an_idea_and_on_its_comment_are_separate_items(people, voted_idea):
    moderation.set_auto_hide_threshold(2)
    comment = make_comment(voted_idea)
    report(make_user(), voted_idea)
    report(make_user(), voted_idea, comment)
    assert not fresh(Idea, voted_idea).is_hidden
    assert not fresh(Comment, comment).is_hidden
    queue, _more = moderation.report_queue(people["alpha"])
    assert {(item.idea.id, item.comment.id if item.comment else None) for item in queue} == {
        (voted_idea.id, None),
        (voted_idea.id, comment.id),
    }


def test_queue_puts_auto_hidden_items_first_then_newest(people):
    moderation.set_auto_hide_threshold(2)
    old = make_idea(people["alpha"], title="Alt")
    pending = make_idea(people["alpha"], title="Ausgeblendet")
    new = make_idea(people["alpha"], title="Neu")
    beta_idea = make_idea(people["beta"], title="Andere Gruppe")
    report(make_user(), old)
    report(make_user(), pending)
    report(make_user(), pending)
    report(make_user(), new)
    report(make_user(), beta_idea)
    queue, _more = moderation.report_queue(people["alpha"])
    assert [item.idea.title for item in queue] == ["Ausgeblendet", "Neu", "Alt"]
    assert [len(item.reports) for item in queue] == [2, 1, 1]
    limited, more = moderation.report_queue(people["alpha"], limit=2)
    assert len(limited) == 2 and more


def test_handling_an_item_resolves_its_reports(people, voted_idea, template):
    comment = make_comment(voted_idea)
    report(make_user(), voted_idea)
    report(make_user(), voted_idea, comment)
    moderation.hide_comment(people["lead"], comment, template=template)
    db.session.commit()
    assert moderation.open_reporters(voted_idea.id, comment.id) == 0
    assert moderation.open_reporters(voted_idea.id) == 1  # the idea's report is another item
    moderation.dismiss_reports(people["lead"], voted_idea, note="Kein Verstoß.")
    db.session.commit()
    assert moderation.report_queue(people["alpha"]) == ([], False)
    assert not fresh(Idea, voted_idea).is_hidden
    with pytest.raises(moderation.NothingToDismiss):
        moderation.dismiss_reports(people["lead"], voted_idea)


def test_dismissing_an_auto_hidden_item_restores_it(people, voted_idea):
    moderation.set_auto_hide_threshold(1)
    report(make_user(), voted_idea)
    assert fresh(Idea, voted_idea).is_hidden
    moderation.dismiss_reports(people["lead"], voted_idea, note="Kein Verstoß.")
    db.session.commit()
    assert not fresh(Idea, voted_idea).is_hidden
    group = fresh(ThematicGroup, people["alpha"])
    assert (group.ideas_count, group.votes_count) == (1, 3)
    counters_exact()
    assert audit_actions() == [
        AuditAction.AUTO_HIDE_IDEA,
        AuditAction.DISMISS_REPORT,
        AuditAction.RESTORE_IDEA,
    ]


def test_confirming_an_auto_hide_keeps_it_hidden_with_the_leads_reason(
    people, voted_idea, template
):
    moderation.set_auto_hide_threshold(1)
    comment = make_comment(voted_idea, people["citizen"])
    report(make_user(), voted_idea, comment)
    assert fresh(Comment, comment).is_hidden
    moderation.hide_comment(people["lead"], fresh(Comment, comment), template=template)
    db.session.commit()
    hidden = fresh(Comment, comment)
    assert hidden.hidden_reason == template.text
    assert fresh(Idea, voted_idea).comments_count == 0  # not taken out twice
    counters_exact()
    assert moderation.report_queue(people["alpha"]) == ([], False)


# Blocks


def block(people, user=None, *, days=7, reason="Wiederholte Beleidigungen"):
    entry = moderation.block_user(
        people["lead"],
        people["alpha"],
        user or people["citizen"],
        until=utcnow() + timedelta(days=days),
        reason=reason,
    )
    db.session.commit()
    return entry


def test_a_blocked_person_cannot_post_ideas_or_comments_in_the_group(people, voted_idea):
    entry = block(people)
    assert moderation.active_block(people["citizen"], people["alpha"]).id == entry.id
    with pytest.raises(moderation.Blocked, match="Wiederholte Beleidigungen") as refused:
        post_idea(people["alpha"], people["citizen"], "Neu", "Text")
    assert "Alpha" in str(refused.value) and "Uhr" in str(refused.value)
    with pytest.raises(moderation.Blocked):
        create_comment(voted_idea, people["citizen"], "Noch ein Kommentar")
    db.session.rollback()
    # Other groups and other people are not affected.
    assert post_idea(people["beta"], people["citizen"], "Anderswo", "Text").group_id == (
        people["beta"].id
    )
    assert create_comment(voted_idea, people["u30"], "Ich darf").id
    state = comments.thread_page(voted_idea, people["citizen"])
    assert not state.can_comment and "gesperrt" in state.closed_message
    notice = moderation_notices(people["citizen"])[0]
    assert notice.idea_id is None and "Wiederholte Beleidigungen" in notice.text
    subjects = [mail.subject for mail in mails_to(people["citizen"].email)]
    assert "Gesperrt in der Themengruppe „Alpha“" in subjects


def test_a_block_ends_by_itself(people):
    entry = block(people)
    db.session.get(GroupBlock, entry.id).until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert moderation.active_block(people["citizen"], people["alpha"]) is None
    assert post_idea(people["alpha"], people["citizen"], "Wieder da", "Text").id


def test_lifting_a_block(people):
    entry = block(people)
    moderation.lift_block(people["other_lead"], entry)
    db.session.commit()
    assert moderation.active_block(people["citizen"], people["alpha"]) is None
    assert post_idea(people["alpha"], people["citizen"], "Wieder da", "Text").id
    assert "aufgehoben" in moderation_notices(people["citizen"])[-1].text
    with pytest.raises(DomainError, match="bereits beendet"):
        moderation.lift_block(people["lead"], fresh(GroupBlock, entry))
    assert audit_actions() == [AuditAction.BLOCK_USER, AuditAction.UNBLOCK_USER]


def test_block_refusals(people):
    co_lead = make_user(lead_of=people["alpha"])
    cases = [
        (people["lead"], "nicht selbst"),
        (people["admin"], "Administrator"),
        (co_lead, "Leitung dieser Themengruppe"),
    ]
    for user, message in cases:
        with pytest.raises(moderation.BlockRefused, match=message):
            block(people, user)
    with pytest.raises(moderation.ReasonRequired):
        block(people, reason="  ")
    with pytest.raises(moderation.BlockEndRefused):
        block(people, days=-1)
    with pytest.raises(moderation.BlockEndRefused):
        block(people, days=800)
    db.session.rollback()
    block(people)
    with pytest.raises(moderation.BlockRefused, match="bereits"):
        block(people)
    db.session.rollback()
    # The lead of another group may be blocked here.
    assert block(people, people["other_lead"]).user_id == people["other_lead"].id


def test_block_until_the_end_of_a_chosen_day(app):
    with app.test_request_context():
        end = moderation.block_until(last_day=utcnow().date() + timedelta(days=3))
    # Midnight in Berlin is 22:00 or 23:00 UTC of the day before.
    assert end.hour in (22, 23) and end.minute == 0
    assert timedelta(days=2) < end - utcnow() < timedelta(days=4)


# Reason templates


def test_default_templates_are_seeded_once():
    assert moderation.seed_default_templates() == 5
    db.session.commit()
    assert moderation.seed_default_templates() == 0
    labels = [template.label for template in moderation.reason_templates()]
    assert labels == [
        "Beleidigung",
        "Werbung/Spam",
        "Personenbezogene Daten",
        "Themenfremd",
        "Rechtswidriger Inhalt",
    ]


def test_templates_create_edit_reorder_delete(people, voted_idea):
    first = moderation.create_template("Doppelt", "Die Idee gibt es schon.")
    second = moderation.create_template("Unverständlich")
    with pytest.raises(DomainError, match="gibt es bereits"):
        moderation.create_template("doppelt")
    with pytest.raises(moderation.ReasonRequired):
        moderation.create_template(" ")
    with pytest.raises(DomainError, match="80"):
        moderation.create_template("x" * 81)
    moderation.update_template(first, "Dublette", "Schon vorhanden.")
    assert moderation.move_template(second, -1)
    assert not moderation.move_template(second, -1)
    assert [t.label for t in moderation.reason_templates()] == ["Unverständlich", "Dublette"]
    db.session.commit()

    moderation.hide_idea(people["lead"], voted_idea, template=first)
    db.session.commit()
    moderation.delete_template(fresh(ModerationReason, first))
    db.session.commit()
    # The decision keeps its reason; the public summary counts it as "Sonstiges".
    assert fresh(Idea, voted_idea).hidden_reason == "Schon vorhanden."
    assert [(row.label, row.ideas) for row in moderation.summary(people["alpha"]).reasons] == [
        (None, 1)
    ]


# What waits for the tandem


def test_pending_counts_reports_submitted_and_returned_ideas(people):
    alpha, beta = people["alpha"], people["beta"]
    idea = make_idea(alpha)
    comment = make_comment(idea)
    report(make_user(), idea, comment)
    report(make_user(), idea, comment)  # one item, two reporters
    report(make_user(), idea)
    make_idea(alpha, status=IdeaStatus.SUBMITTED)
    returned = make_idea(alpha, status=IdeaStatus.FORWARDED)
    ideas.record_event(returned, None, IdeaStatus.FORWARDED, IdeaStatus.IN_REVIEW, "Zurück")
    returned.status = IdeaStatus.IN_REVIEW
    make_idea(alpha, status=IdeaStatus.IN_REVIEW)  # in review, but not returned
    make_idea(beta, status=IdeaStatus.SUBMITTED)
    db.session.commit()

    assert moderation.pending_by_group({alpha.id}) == {alpha.id: 4}
    assert moderation.pending_by_group(None) == {alpha.id: 4, beta.id: 1}
    assert moderation.pending_by_group(set()) == {}
    assert moderation.pending_count(people["lead"]) == 4
    assert moderation.pending_count(people["other_lead"]) == 1
    assert moderation.pending_count(people["admin"]) == 5
    assert moderation.pending_count(people["citizen"]) == 0
    assert [item.id for item in moderation.returned_ideas(alpha)] == [returned.id]
    assert len(moderation.submitted_ideas(alpha)) == 1

    moderation.dismiss_reports(people["lead"], idea, fresh(Comment, comment))
    db.session.commit()
    assert moderation.pending_by_group({alpha.id}) == {alpha.id: 3}


# The audit log and the public summary


def test_log_shows_leads_their_groups_only(people):
    alpha_idea = make_idea(people["alpha"])
    beta_idea = make_idea(people["beta"])
    moderation.hide_idea(people["lead"], alpha_idea, text="A")
    moderation.hide_idea(people["other_lead"], beta_idea, text="B")
    db.session.commit()
    assert [e.reason for e in moderation.log_page(people["lead"]).entries] == ["A"]
    assert [e.reason for e in moderation.log_page(people["admin"]).entries] == ["B", "A"]
    assert moderation.log_page(people["admin"], people["beta"]).entries[0].reason == "B"
    assert moderation.log_page(people["citizen"]).entries == []


def test_log_pages_are_bounded(people, monkeypatch):
    monkeypatch.setattr(moderation, "LOG_PAGE_SIZE", 2)
    for number in range(5):
        moderation.hide_idea(people["lead"], make_idea(people["alpha"]), text=f"Grund {number}")
    db.session.commit()
    first = moderation.log_page(people["lead"])
    assert [e.reason for e in first.entries] == ["Grund 4", "Grund 3"]
    second = moderation.log_page(people["lead"], before=first.next_before)
    assert [e.reason for e in second.entries] == ["Grund 2", "Grund 1"]
    last = moderation.log_page(people["lead"], before=second.next_before)
    assert [e.reason for e in last.entries] == ["Grund 0"] and last.next_before is None


def test_summary_counts_hidden_items_by_reason_without_personal_data(people, template):
    alpha = people["alpha"]
    first, second, third = (make_idea(alpha) for _ in range(3))
    comment = make_comment(first)
    moderation.hide_idea(people["lead"], first, template=template)
    moderation.hide_comment(people["lead"], comment, template=template, text="Dazu mehr.")
    moderation.hide_idea(people["lead"], second, text="Eigener Grund")
    moderation.set_auto_hide_threshold(1)
    report(make_user(), third)
    moderation.hide_idea(people["lead"], make_idea(people["beta"]), text="Andere Gruppe")
    restored = make_idea(alpha)
    moderation.hide_idea(people["lead"], restored, template=template)
    moderation.restore_idea(people["lead"], restored)
    db.session.commit()

    result = moderation.summary(alpha)
    assert (result.hidden_ideas, result.hidden_comments) == (3, 1)
    assert [(row.label, row.automatic, row.ideas, row.comments) for row in result.reasons] == [
        (template.label, False, 1, 1),
        (None, False, 1, 0),
        (None, True, 1, 0),
    ]
    assert (result.hides, result.auto_hides, result.restores) == (5, 1, 1)
