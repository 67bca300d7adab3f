"""The U30-Beirat's voice (services/u30.py): its tally, its statement, who hears of it."""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import (
    EmailMode,
    Idea,
    IdeaStatus,
    Notification,
    NotificationKind,
    OutboxMail,
    Role,
    U30Endorsement,
    U30Statement,
    User,
)
from app.services import DomainError, board, follows, notifications, roles, u30
from app.services.curation import NotPermitted
from app.services.recount import recount
from app.services.votes import VoteValue, set_assessment, set_vote
from tests.factories import make_idea, make_user
from tests.services.test_board import forward

S = IdeaStatus


def fresh(idea: Idea) -> Idea:
    db.session.expire_all()
    return db.session.get(Idea, idea.id)


def member(name: str | None = None) -> User:
    return make_user(display_name=name, roles_={Role.U30})


def statements() -> list[U30Statement]:
    return list(db.session.scalars(db.select(U30Statement)))


def endorser_ids(statement: U30Statement) -> set[int]:
    return set(
        db.session.scalars(
            db.select(U30Endorsement.user_id).where(U30Endorsement.statement_id == statement.id)
        )
    )


def write(idea, author, body="Wir **unterstützen** das.") -> u30.Written:
    written = u30.write(idea, author, body)
    db.session.commit()
    return written


@contextmanager
def counted_statements():
    counted = []

    def count(_conn, _cursor, statement, *_args):
        counted.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


# ---------------------------------------------------------------- the U30-Votum


def tallies(idea: Idea) -> tuple[int, int, int, int]:
    idea = fresh(idea)
    return idea.votes_up, idea.votes_down, idea.u30_votes_up, idea.u30_votes_down


def test_a_u30_vote_counts_in_both_totals_and_retracting_removes_it_from_both():
    idea = make_idea()
    young, citizen = member(), make_user()
    set_vote(citizen, idea, VoteValue.UP)
    set_vote(young, idea, VoteValue.UP)
    db.session.commit()
    assert tallies(idea) == (2, 0, 1, 0)
    assert u30.votum(fresh(idea)).up == 1

    set_vote(young, idea, VoteValue.NONE)
    db.session.commit()
    assert tallies(idea) == (1, 0, 0, 0)
    assert recount(fix=False) == []


def test_changing_a_u30_vote_moves_it_in_both_totals():
    idea = make_idea()
    young = member()
    set_vote(young, idea, VoteValue.UP)
    db.session.commit()
    set_vote(young, idea, VoteValue.DOWN)
    db.session.commit()
    assert tallies(idea) == (0, 1, 0, 1)
    votum = u30.votum(fresh(idea))
    assert (votum.up, votum.down) == (0, 1)
    assert not votum.is_empty


def test_a_role_revoked_later_keeps_the_counters_exact():
    # The vote remembers that it was cast as a U30 member: its change and retraction
    # move the U30 tally although the person is no longer a member.
    idea = make_idea()
    young = member()
    set_vote(young, idea, VoteValue.UP)
    db.session.commit()
    roles.set_global_roles(young, set())
    db.session.commit()
    set_vote(young, idea, VoteValue.DOWN)
    db.session.commit()
    assert tallies(idea) == (0, 1, 0, 1)
    set_vote(young, idea, VoteValue.NONE)
    db.session.commit()
    assert tallies(idea) == (0, 0, 0, 0)


def test_a_role_granted_later_does_not_move_an_earlier_vote_into_the_u30_tally():
    idea = make_idea()
    person = make_user()
    set_vote(person, idea, VoteValue.UP)
    db.session.commit()
    roles.set_global_roles(person, {Role.U30})
    db.session.commit()
    set_vote(person, idea, VoteValue.DOWN)
    db.session.commit()
    assert tallies(idea) == (0, 1, 0, 0)
    assert recount(fix=False) == []


def test_u30_assessments_count_in_the_totals_and_apart_the_same_as_on_the_board():
    idea = forward(title="Glasfaser")
    set_assessment(member(), idea, 5, 2)
    set_assessment(member(), idea, 4, 3)
    set_assessment(make_user(), idea, 1, 1)
    db.session.commit()
    stored = fresh(idea)
    assert stored.assessments_count == 3
    votum = u30.votum(stored)
    assert votum.assessments == board.U30Assessments(2, 9, 5)
    assert votum.assessments.benefit_average == 4.5
    assert votum.assessments.feasibility_average == 2.5
    assert board.board_row(idea.id).u30 == votum.assessments


def test_re_rating_and_a_revoked_role_keep_the_u30_assessments_exact():
    idea = make_idea()
    young = member()
    set_assessment(young, idea, 2, 2)
    db.session.commit()
    roles.set_global_roles(young, set())
    db.session.commit()
    set_assessment(young, idea, 4, 5)
    db.session.commit()
    assert u30.votum(fresh(idea)).assessments == board.U30Assessments(1, 4, 5)


def test_an_idea_without_u30_voices_has_an_empty_votum():
    idea = make_idea()
    set_vote(make_user(), idea, VoteValue.UP)
    set_assessment(make_user(), idea, 3, 3)
    db.session.commit()
    votum = u30.votum(fresh(idea))
    assert votum.is_empty
    assert votum.assessments.benefit_average is None


# ---------------------------------------------------------------- writing


def test_a_member_writes_the_statement_and_endorses_it():
    idea = forward()
    writer = member("Lea")
    written = write(idea, writer, "Wir sind **dafür**.<script>alert(1)</script>")
    assert written.created
    statement = written.statement
    assert statement.idea_id == idea.id and statement.author_id == writer.id
    assert "<strong>dafür</strong>" in statement.body_html
    assert "<script>" not in statement.body_html
    assert statement.created_at == statement.updated_at
    assert endorser_ids(statement) == {writer.id}


@pytest.mark.parametrize("status", [S.FORWARDED, S.PRIORITISED])
def test_statements_are_taken_while_the_idea_is_before_the_board(status):
    idea = forward(status=status)
    assert write(idea, member()).created


@pytest.mark.parametrize(
    "status", [S.PUBLISHED, S.IN_REVIEW, S.IMPLEMENTED, S.DECLINED, S.MERGED, S.WITHDRAWN]
)
def test_statements_are_refused_for_ideas_not_before_the_board(status):
    idea = make_idea(status=status)
    with pytest.raises(u30.StatementClosed, match="weitergeleitet oder priorisiert"):
        u30.write(idea, member(), "Text")
    assert statements() == []


def test_statements_are_refused_for_hidden_ideas():
    idea = forward()
    idea.hidden_at = db.func.now()
    idea.hidden_reason = "Prüfung"
    db.session.commit()
    assert not u30.accepts_statements(fresh(idea))
    # A hidden idea is out of the members' sight altogether.
    with pytest.raises(NotPermitted):
        u30.write(fresh(idea), member(), "Text")
    assert statements() == []


def test_a_decision_committed_meanwhile_wins_over_a_statement(app):
    idea = forward()
    writer = member()
    stale = db.session.get(Idea, idea.id)
    with app.app_context():
        other = db.session.get(Idea, idea.id)
        other.status = S.DECLINED
        db.session.commit()
    assert stale.status is S.FORWARDED
    with pytest.raises(u30.StatementClosed):
        u30.write(stale, writer, "Text")


@pytest.mark.parametrize(
    ("role", "roles_"), [("citizen", None), ("board", {Role.BOARD}), ("admin", {Role.ADMIN})]
)
def test_only_u30_members_write(role, roles_):
    idea = forward()
    with pytest.raises(NotPermitted):
        u30.write(idea, make_user(roles_=roles_), "Text")


def test_unconfirmed_members_do_not_write():
    idea = forward()
    young = make_user(confirmed=False, roles_={Role.U30})
    with pytest.raises(NotPermitted):
        u30.write(idea, young, "Text")


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Bitte schreiben"), ("  \r\n ", "Bitte schreiben"), ("x" * 3001, "höchstens 3000")],
)
def test_empty_or_too_long_statements_are_refused(body, message):
    with pytest.raises(DomainError, match=message):
        u30.write(forward(), member(), body)
    assert statements() == []


def test_exactly_3000_characters_are_fine_and_crlf_counts_once():
    body = "a\r\n" * 1000  # 3000 characters as typed, 2000 once stored
    assert write(forward(), member(), body + "b" * 999).statement.body.count("\n") == 1000


def test_the_author_edits_and_the_others_endorsements_go():
    idea = forward()
    writer, second, third = member(), member(), member()
    statement = write(idea, writer, "Erste Fassung").statement
    u30.endorse(statement, second)
    u30.endorse(statement, third)
    db.session.commit()
    assert endorser_ids(statement) == {writer.id, second.id, third.id}

    written = write(idea, writer, "Zweite Fassung")
    assert not written.created
    assert written.endorsements_removed == 2
    stored = db.session.get(U30Statement, statement.id)
    assert stored.body == "Zweite Fassung"
    assert stored.updated_at >= stored.created_at
    assert endorser_ids(stored) == {writer.id}
    assert len(statements()) == 1


def test_sending_the_same_text_again_changes_nothing():
    idea = forward()
    writer, second = member(), member()
    statement = write(idea, writer, "Fassung").statement
    u30.endorse(statement, second)
    db.session.commit()
    written = write(idea, writer, "  Fassung \r\n")
    assert written.endorsements_removed == 0
    assert endorser_ids(statement) == {writer.id, second.id}


def test_another_member_cannot_overwrite_the_statement():
    idea = forward()
    writer, other = member(), member()
    write(idea, writer, "Unsere Sicht")
    with pytest.raises(u30.StatementTaken, match="Inzwischen hat ein anderes Mitglied"):
        u30.write(idea, other, "Meine Sicht")
    db.session.rollback()
    assert [s.body for s in statements()] == ["Unsere Sicht"]


def test_a_member_takes_over_when_the_author_left_the_beirat():
    idea = forward()
    writer, second, successor = member(), member(), member()
    statement = write(idea, writer, "Alt").statement
    u30.endorse(statement, second)
    db.session.commit()
    roles.set_global_roles(writer, set())
    db.session.commit()
    written = write(idea, successor, "Neu")
    assert written.statement.author_id == successor.id
    # The former author's endorsement belonged to the old text as well.
    assert endorser_ids(written.statement) == {successor.id}


def test_the_unique_idea_is_the_backstop_when_two_first_statements_meet(monkeypatch):
    # As if the other member's statement had been committed after this one looked.
    idea = forward()
    first, second = member(), member()
    write(idea, first, "Zuerst")
    monkeypatch.setattr(u30, "statement_of", lambda _idea: None)
    with pytest.raises(u30.StatementTaken, match="Inzwischen hat ein anderes Mitglied"):
        u30.write(idea, second, "Gleichzeitig")
    # Only the savepoint was rolled back: the session still works.
    assert db.session.scalar(db.select(db.func.count()).select_from(U30Statement)) == 1
    db.session.rollback()


def test_two_members_writing_at_the_same_moment_leave_one_statement(app):
    # On PostgreSQL the threads really overlap (the idea's row lock orders them, the unique
    # idea_id backs it up); SQLite serialises them with its write lock.
    idea = forward()
    writer_ids = [member().id for _ in range(2)]
    idea_id = idea.id
    barrier = threading.Barrier(len(writer_ids), timeout=60)
    outcomes, errors = [], []

    def attempt(user_id):
        with app.app_context():
            try:
                barrier.wait()
                user = db.session.get(User, user_id)
                target = db.session.get(Idea, idea_id)
                u30.write(target, user, f"Text von {user_id}")
                db.session.commit()
                outcomes.append("written")
            except u30.StatementTaken:
                db.session.rollback()
                outcomes.append("taken")
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in writer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["taken", "written"]
    db.session.expire_all()
    (statement,) = statements()
    assert endorser_ids(statement) == {statement.author_id}


# ---------------------------------------------------------------- endorsing


def test_endorsing_and_withdrawing_are_idempotent():
    idea = forward()
    writer, second = member(), member()
    statement = write(idea, writer).statement
    u30.endorse(statement, second)
    u30.endorse(statement, second)
    db.session.commit()
    assert endorser_ids(statement) == {writer.id, second.id}
    u30.withdraw(statement, second)
    u30.withdraw(statement, second)
    db.session.commit()
    assert endorser_ids(statement) == {writer.id}


def test_the_author_does_not_withdraw_from_their_own_statement():
    idea = forward()
    writer = member()
    statement = write(idea, writer).statement
    with pytest.raises(u30.AuthorCannotWithdraw, match="bearbeiten Sie sie"):
        u30.withdraw(statement, writer)
    db.session.rollback()
    assert endorser_ids(statement) == {writer.id}


@pytest.mark.parametrize("roles_", [None, {Role.BOARD}, {Role.ADMIN}])
def test_only_members_endorse(roles_):
    statement = write(forward(), member()).statement
    with pytest.raises(NotPermitted):
        u30.endorse(statement, make_user(roles_=roles_))


@pytest.mark.parametrize("status", [S.DECLINED, S.IMPLEMENTED, S.IN_REVIEW])
def test_after_the_board_decided_the_statement_rests(status):
    idea = forward()
    writer, second = member(), member()
    statement = write(idea, writer).statement
    u30.endorse(statement, second)
    db.session.commit()
    idea.status = status
    db.session.commit()
    with pytest.raises(u30.StatementClosed):
        u30.endorse(statement, member())
    with pytest.raises(u30.StatementClosed):
        u30.withdraw(statement, second)
    with pytest.raises(u30.StatementClosed):
        u30.write(fresh(idea), writer, "Andere Fassung")
    db.session.rollback()
    # It stays public as it was.
    shown = u30.for_idea_page(fresh(idea), make_user())
    assert shown.statement is not None and not shown.accepts_statements
    assert [person.user_id for person in shown.statement.endorsers] == [writer.id, second.id]


# ---------------------------------------------------------------- notifications


def notified(user: User) -> list[Notification]:
    return list(db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)))


def mails(user: User) -> list[OutboxMail]:
    return list(db.session.scalars(db.select(OutboxMail).where(OutboxMail.recipient == user.email)))


def test_the_first_publication_reaches_the_author_and_followers_not_the_writer():
    author = make_user(display_name="Anna Autorin")
    idea = forward(make_idea(author=author, title="Radweg Nord", status=S.FORWARDED))
    follower, daily, writer = make_user(), make_user(), member()
    follows.follow_idea(follower, idea)
    follows.follow_idea(daily, idea)
    follows.follow_idea(writer, idea)
    notifications.update_settings(daily, comments=EmailMode.DAILY, status=EmailMode.DAILY,
                                  new_ideas=EmailMode.DAILY)  # fmt: skip
    db.session.commit()

    write(idea, writer, "Wir tragen das mit.")
    for person in (author, follower, daily):
        (item,) = notified(person)
        assert item.kind is NotificationKind.ANSWER
        assert item.idea_id == idea.id
        assert item.text == "Der U30-Beirat hat zur Idee „Radweg Nord“ Stellung genommen."
    assert notified(writer) == [] and mails(writer) == []
    assert mails(daily) == []  # left to the daily digest
    (mail,) = mails(follower)
    assert mail.subject == "U30-Stellungnahme zu „Radweg Nord“"
    assert "Wir tragen das mit." in mail.body
    assert f"/ideas/{idea.id}" in mail.body
    assert len(mails(author)) == 1

    # An edit or an endorsement is no news.
    write(idea, writer, "Wir tragen das sehr gerne mit.")
    u30.endorse(db.session.scalar(db.select(U30Statement)), member())
    db.session.commit()
    assert len(notified(author)) == len(notified(follower)) == 1


# ---------------------------------------------------------------- the idea page


def test_the_idea_page_reads_everything_in_two_statements_three_for_other_members():
    idea = forward()
    writer, second, third = member("Lea"), member("Ben"), member("Cem")
    statement = write(idea, writer).statement
    u30.endorse(statement, third)
    db.session.commit()
    u30.endorse(statement, second)
    db.session.commit()
    set_vote(second, idea, VoteValue.UP)
    set_assessment(second, idea, 4, 4)
    db.session.commit()
    citizen = make_user()
    # The idea and the viewer (with their roles) as the request has loaded them.
    page_idea = fresh(idea)
    assert page_idea.u30_votes_up == 1
    viewer = db.session.get(User, third.id)
    assert Role.U30 in viewer.global_roles
    with counted_statements() as counted:
        section = u30.for_idea_page(page_idea, viewer)
    # The U30 assessments and the statement with its endorsers; a member who did not write
    # it also needs whether its author is still a member (the takeover rule): their roles.
    assert len(counted) == 3
    assert "user_role" in counted[-1]
    for someone in (db.session.get(User, writer.id), db.session.get(User, citizen.id)):
        _ = someone.global_roles
        with counted_statements() as counted:
            u30.for_idea_page(page_idea, someone)
        assert len(counted) == 2
    assert [person.name for person in section.statement.endorsers] == ["Lea", "Cem", "Ben"]
    assert section.statement.author_name == "Lea"
    assert section.votum.up == 1 and section.votum.assessments.count == 1
    assert section.has_endorsed and section.may_withdraw
    assert not section.may_endorse and not section.may_edit and not section.may_write


def test_what_each_viewer_may_do_on_the_idea_page():
    idea = forward()
    writer, other = member(), member()
    section = u30.for_idea_page(idea, other)
    assert section.may_write and not section.may_edit and section.statement is None
    statement = write(idea, writer).statement

    own = u30.for_idea_page(fresh(idea), writer)
    assert own.is_author and own.may_edit and not own.may_withdraw and not own.may_write
    theirs = u30.for_idea_page(fresh(idea), other)
    assert theirs.may_endorse and not theirs.may_edit and not theirs.may_write
    for outsider in (make_user(), make_user(roles_={Role.ADMIN}), make_user(roles_={Role.BOARD})):
        seen = u30.for_idea_page(fresh(idea), outsider)
        assert seen.statement.id == statement.id
        assert not (seen.may_write or seen.may_edit or seen.may_endorse or seen.may_withdraw)


def test_deleted_accounts_are_left_out_of_the_endorsers():
    idea = forward()
    writer, second = member("Lea"), member("Ben")
    statement = write(idea, writer).statement
    u30.endorse(statement, second)
    db.session.commit()
    second.deleted_at = db.func.now()
    writer.deleted_at = db.func.now()
    db.session.commit()
    shown = u30.for_idea_page(fresh(idea), make_user()).statement
    assert shown.endorsers == [] and shown.author_name is None


def test_an_edited_statement_says_so():
    idea = forward()
    writer = member()
    statement = write(idea, writer, "Eins").statement
    statement.created_at -= timedelta(minutes=5)
    statement.updated_at = statement.created_at
    db.session.commit()
    assert not u30.for_idea_page(fresh(idea), writer).statement.is_edited
    write(idea, writer, "Zwei")
    assert u30.for_idea_page(fresh(idea), writer).statement.is_edited


# ---------------------------------------------------------------- the demo


def test_the_demo_has_u30_voices_and_a_statement_with_two_endorsements(runner):
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    (statement,) = statements()
    idea = db.session.get(Idea, statement.idea_id)
    assert idea.title == "Glasfaser für Isselhorst und Niehorst"
    assert idea.status is S.FORWARDED
    shown = u30.for_idea_page(idea, make_user())
    assert [person.name for person in shown.statement.endorsers] == [
        "Lea Brinkmann (U30-Beirat)",
        "Deniz Kaya (U30-Beirat)",
    ]
    u30_votes = db.session.scalar(db.select(db.func.sum(Idea.u30_votes_up + Idea.u30_votes_down)))
    assert u30_votes > 0
    assert recount(fix=False) == []
