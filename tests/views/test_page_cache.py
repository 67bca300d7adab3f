"""Group pages and the home page, served to visitors from the cache (services/page_cache.py).

What a visitor sees must be what a fresh rendering would show: their own CSRF token, every
change at once, their language; what signed-in people and flashed messages see is never
stored for others.
"""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, update

from app.extensions import cache, db
from app.models import Idea, IdeaStatus, TandemSide
from app.services import accounts, answers, comments, groups, ideas, moderation, votes
from tests.conftest import CSRF_PATTERN
from tests.factories import make_comment, make_group, make_idea, make_user

GROUP_PAGE = "/groups/mobilitaet"


@pytest.fixture
def group():
    return make_group("Mobilität", "mobilitaet", "Wege durch die Stadt.")


@pytest.fixture
def idea(group):
    return make_idea(group, title="Radweg an der Ringstraße")


@contextmanager
def statements():
    """The SQL statements run inside the block (a page from the cache runs none)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def token_of(page: str) -> str:
    match = CSRF_PATTERN.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def page(client, path: str = GROUP_PAGE) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def stored_pages() -> list[bytes]:
    """The bodies of every page in the shared cache."""
    keys = [key for key in cache.cache._cache if key.startswith("page:")]
    return [cache.get(key).body for key in keys]


def test_a_visitor_gets_the_stored_page_with_a_token_of_their_own(app, idea):
    first, second = app.test_client(), app.test_client()
    first_page = page(first)
    with statements() as seen:
        second_page = page(second)
    assert seen == []  # from the cache: no query at all
    assert second_page.replace(token_of(second_page), "") == first_page.replace(
        token_of(first_page), ""
    )
    assert token_of(first_page) != token_of(second_page)
    # The token works in the language form of the page it came with.
    response = second.post(
        "/language", data={"lang": "en", "next": GROUP_PAGE, "csrf_token": token_of(second_page)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == GROUP_PAGE
    assert '<html lang="en">' in page(second)


def test_no_token_of_one_visitor_reaches_another(app, idea):
    visitors = [app.test_client() for _ in range(3)]
    tokens = [token_of(page(client)) for client in visitors]
    assert len(set(tokens)) == 3
    for body in stored_pages():
        assert not any(token.encode() in body for token in tokens)
        assert b'name="csrf_token" value=""' not in body
    # A token is only good for the session it was made for.
    response = visitors[1].post("/language", data={"lang": "en", "csrf_token": tokens[0]})
    assert response.status_code == 400


def test_the_home_page_is_stored_too_and_shows_a_new_idea_at_once(app, idea, group):
    visitor = app.test_client()
    assert "Radweg an der Ringstraße" in page(visitor, "/")
    with statements() as seen:
        page(app.test_client(), "/")
    assert seen == []
    make_idea(group, title="Trinkbrunnen am Markt")
    assert "Trinkbrunnen am Markt" in page(visitor, "/")
    assert "Trinkbrunnen am Markt" in page(visitor)


def test_a_new_vote_shows_at_once(app, idea, login_as):
    visitor = app.test_client()
    assert "0 dafür" in page(visitor)
    citizen = login_as(make_user())
    response = citizen.submit(f"/ideas/{idea.id}/vote", {"value": "up"}, page=GROUP_PAGE)
    assert response.status_code == 302
    assert "1 dafür" in page(visitor)
    assert "1 Stimme" in page(visitor, "/")


def test_a_new_comment_shows_at_once(app, idea):
    visitor = app.test_client()
    assert "0 Kommentare" in page(visitor)
    make_comment(idea)
    assert "1 Kommentar<" in page(visitor)


def test_a_status_change_shows_at_once(app, idea):
    visitor = app.test_client()
    badge = 'status-in_review">In Prüfung</span>'
    assert badge not in page(visitor)
    ideas.transition(idea, IdeaStatus.IN_REVIEW, actor=None)
    db.session.commit()
    assert badge in page(visitor)


def test_a_hidden_idea_disappears_at_once(app, idea, group):
    visitor = app.test_client()
    assert "Radweg an der Ringstraße" in page(visitor)
    lead = make_user(lead_of=group)
    moderation.hide_idea(lead, db.session.get(Idea, idea.id), text="Werbung")
    db.session.commit()
    assert "Radweg an der Ringstraße" not in page(visitor)
    assert "Radweg an der Ringstraße" not in page(visitor, "/")


def test_changes_to_the_group_and_its_tandem_show_at_once(app, group):
    visitor = app.test_client()
    assert "noch nicht besetzt" in page(visitor)
    lead = make_user(display_name="Lea Lenz")
    groups.set_tandem_lead(group, TandemSide.CIVIC, lead)
    db.session.commit()
    assert "Lea Lenz" in page(visitor)
    # A new name of a person shown on the page, and of the group itself.
    accounts.change_display_name(lead, "Lea Lorenz")
    db.session.commit()
    assert "Lea Lorenz" in page(visitor)
    groups.update_group(group, "Mobilität und Verkehr", "Wege durch die Stadt.")
    db.session.commit()
    assert "Mobilität und Verkehr" in page(visitor)
    assert "Mobilität und Verkehr" in page(visitor, "/")


def test_an_unmarked_change_is_not_seen_until_the_group_changes(app, idea, group):
    # The proof that the page really comes from the cache: a change behind the services'
    # back (plain SQL, no group marked) stays unseen until the next marked change.
    visitor = app.test_client()
    page(visitor)
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(title="Verdeckt"))
    db.session.commit()
    assert "Radweg an der Ringstraße" in page(visitor)
    make_idea(group)
    assert "Verdeckt" in page(visitor)


def test_signed_in_people_get_their_own_page_and_it_is_not_stored(app, idea, login_as):
    citizen = login_as(make_user(display_name="Clara Citrin"))
    visitor = app.test_client()
    page(visitor)  # stored
    own = page(citizen)
    assert "Abmelden" in own and "Themengruppe folgen" in own
    # The visitor's stored page is not what the citizen gets, nor the other way round.
    assert "Abmelden" not in page(visitor)
    assert not any(b"Abmelden" in body for body in stored_pages())
    with statements() as seen:
        page(citizen)
    assert seen  # rendered afresh


def test_a_waiting_message_is_shown_once_and_never_stored(app, idea):
    visitor, other = app.test_client(), app.test_client()
    page(visitor)  # stored without a message
    with visitor.session_transaction() as session:
        session["_flashes"] = [("success", "Nur für diesen Besuch")]
    assert "Nur für diesen Besuch" in page(visitor)
    assert "Nur für diesen Besuch" not in page(visitor)
    assert "Nur für diesen Besuch" not in page(other)
    assert not any("Nur für diesen Besuch".encode() in body for body in stored_pages())


def test_english_and_german_are_stored_apart(app, idea):
    english = app.test_client()
    english.submit("/language", {"lang": "en"}, page=GROUP_PAGE)
    english_page = page(english)
    german_page = page(app.test_client())
    assert '<html lang="en">' in english_page and "Sort by" in english_page
    assert '<html lang="de">' in german_page and "Sortieren:" in german_page
    # Both are stored now, and each language keeps getting its own.
    assert len(stored_pages()) == 2
    assert '<html lang="en">' in page(english)
    assert '<html lang="de">' in page(app.test_client())


def test_each_query_string_is_a_page_of_its_own(app, group):
    old = make_idea(group, title="Ältere Idee")
    db.session.execute(update(Idea).where(Idea.id == old.id).values(score_top=0.9))
    db.session.commit()
    make_idea(group, title="Neuere Idee")
    visitor = app.test_client()
    titles = re.compile(r'<h3 id="idee-\d+-titel"><a href="/ideas/\d+">(.*?)</a></h3>')
    assert titles.findall(page(visitor, GROUP_PAGE + "?sort=top")) == ["Ältere Idee", "Neuere Idee"]
    assert titles.findall(page(visitor, GROUP_PAGE + "?sort=new")) == ["Neuere Idee", "Ältere Idee"]
    assert titles.findall(page(visitor, GROUP_PAGE + "?sort=top")) == ["Ältere Idee", "Neuere Idee"]
    new_page = page(visitor, GROUP_PAGE + "?sort=new")
    assert f'name="next" value="{GROUP_PAGE}?sort=new"' in new_page
    assert len(stored_pages()) == 2


@pytest.mark.parametrize(
    "query", ["?sort=top&sort=new", "?utm_source=zeitung", "?page=0001", "?sort=bad"]
)
def test_other_queries_are_answered_but_not_stored(app, idea, query):
    response = app.test_client().get(GROUP_PAGE + query)
    assert response.status_code in (200, 400)
    assert stored_pages() == []


def test_errors_are_not_stored(app, idea):
    assert app.test_client().get("/groups/gibt-es-nicht").status_code == 404
    assert app.test_client().get(GROUP_PAGE + "?page=7").status_code == 404
    assert stored_pages() == []


def test_a_stored_page_has_the_headers_of_a_fresh_one(app, idea):
    fresh = app.test_client().get(GROUP_PAGE)
    stored = app.test_client().get(GROUP_PAGE)
    names = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
             "Referrer-Policy", "Content-Type", "Vary")  # fmt: skip
    for name in names:
        assert stored.headers.get(name) == fresh.headers.get(name), name
    assert "Cookie" in stored.headers["Vary"]
    assert "Cache-Control" not in stored.headers
    assert "session=" in stored.headers["Set-Cookie"]  # the visitor's token lives there


def test_head_requests_and_other_methods_are_not_served_from_it(app, idea):
    assert app.test_client().head(GROUP_PAGE).status_code == 200
    assert stored_pages() == []


def test_with_a_cache_that_keeps_nothing_every_page_is_fresh(other_app, idea):
    # CACHE_TYPE=NullCache turns caching off: no generation can be kept, so no page is
    # served from a process's memory either.
    quiet = other_app(CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True, SERVER_NAME="localhost")
    visitor = quiet.test_client()
    assert "Radweg an der Ringstraße" in page(visitor)
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(title="Sofort sichtbar"))
    db.session.commit()
    assert "Sofort sichtbar" in page(visitor)


# ---------------------------------------------------------------- idea pages


def idea_page(client, idea) -> str:
    return page(client, f"/ideas/{idea.id}")


def test_an_idea_page_is_stored_for_visitors(app, idea):
    first_page = idea_page(app.test_client(), idea)
    second = app.test_client()
    with statements() as seen:
        second_page = idea_page(second, idea)
    assert seen == []
    assert second_page.replace(token_of(second_page), "") == first_page.replace(
        token_of(first_page), ""
    )


def test_a_vote_elsewhere_in_the_group_leaves_the_idea_page_stored(app, idea, group):
    other = make_idea(group, title="Trinkbrunnen am Markt")
    path, other_id = f"/ideas/{idea.id}", other.id
    visitor = app.test_client()
    page(visitor, path)
    votes.set_vote(make_user(), db.session.get(Idea, other_id), votes.VoteValue.UP)
    db.session.commit()
    with statements() as seen:
        page(visitor, path)
    assert seen == []
    votes.set_vote(make_user(), db.session.get(Idea, idea.id), votes.VoteValue.UP)
    db.session.commit()
    with statements() as seen:
        page(visitor, path)
    assert seen != []


def test_what_happens_to_an_idea_shows_on_its_page_at_once(app, idea, group):
    visitor = app.test_client()
    lead = make_user(lead_of=group)
    voter = make_user()

    def current() -> Idea:
        return db.session.get(Idea, idea.id)

    votes_up = re.compile(r'data-vote-count="up"[^>]*>\s*(\d+)')
    assert votes_up.search(idea_page(visitor, idea)).group(1) == "0"
    votes.set_vote(voter, current(), votes.VoteValue.UP)
    db.session.commit()
    assert votes_up.search(idea_page(visitor, idea)).group(1) == "1"
    votes.set_assessment(voter, current(), 5, 4)
    db.session.commit()
    assert "5,0" in idea_page(visitor, idea)
    comment = make_comment(current(), body="Sehr gute Idee, unbedingt umsetzen!")
    assert "Sehr gute Idee, unbedingt umsetzen!" in idea_page(visitor, idea)
    comments.edit_comment(db.session.get(type(comment), comment.id), comment.author, "Geändert!")
    db.session.commit()
    assert "Geändert!" in idea_page(visitor, idea)
    answers.post_answer(current(), actor=lead, body="Die Stadt prüft das bis März.")
    db.session.commit()
    assert "Die Stadt prüft das bis März." in idea_page(visitor, idea)
    ideas.transition(current(), IdeaStatus.IN_REVIEW, actor=lead, note="Wird geprüft.")
    db.session.commit()
    assert "Wird geprüft." in idea_page(visitor, idea)
    groups.update_group(group, "Mobilität und Verkehr", "Wege durch die Stadt.")
    db.session.commit()
    assert "Mobilität und Verkehr" in idea_page(visitor, idea)
    moderation.hide_idea(lead, current(), text="Werbung")
    db.session.commit()
    assert visitor.get(f"/ideas/{idea.id}").status_code == 404


def test_an_unmarked_change_to_an_idea_is_not_seen_until_the_idea_changes(app, idea):
    visitor = app.test_client()
    idea_page(visitor, idea)
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(title="Verdeckt"))
    db.session.commit()
    assert "Radweg an der Ringstraße" in idea_page(visitor, idea)
    make_comment(db.session.get(Idea, idea.id))
    assert "Verdeckt" in idea_page(visitor, idea)


def test_comment_pages_of_an_idea_are_stored_apart_and_other_queries_not(app, idea):
    visitor = app.test_client()
    idea_page(visitor, idea)
    page(visitor, f"/ideas/{idea.id}?comments_page=2")
    page(visitor, f"/ideas/{idea.id}?foo=bar")
    keys = sorted(key for key in cache.cache._cache if key.startswith("page:"))
    assert [key.split(":", 2)[2] for key in keys] == [
        f"/ideas/{idea.id}?",
        f"/ideas/{idea.id}?comments_page=2",
    ]
