"""Rendered idea lists are cached until their group changes, and never served stale after."""

from app.extensions import db
from app.models import Idea
from app.services import ideas, list_cache
from app.services.votes import VoteValue, set_vote
from tests.factories import make_group, make_idea, make_user


def group_page(client, group):
    return client.get(f"/groups/{group.slug}").get_data(as_text=True)


def test_list_is_rendered_once_and_reused(client):
    group = make_group()
    idea = make_idea(group, title="Freies WLAN am Bahnhof")
    assert "Freies WLAN am Bahnhof" in group_page(client, group)
    # A change that bypasses the services (no group marked as changed) is not seen...
    db.session.execute(db.update(Idea).where(Idea.id == idea.id).values(title="Verdeckt"))
    db.session.commit()
    assert "Freies WLAN am Bahnhof" in group_page(client, group)
    # ...until the group changes through a service: then the list is rendered anew.
    set_vote(make_user(), idea, VoteValue.UP)
    db.session.commit()
    page = group_page(client, group)
    assert "Verdeckt" in page and "Freies WLAN am Bahnhof" not in page


def test_new_idea_shows_at_once_on_group_and_home_pages(client):
    group = make_group()
    make_idea(group, title="Erste Idee")
    assert "Erste Idee" in group_page(client, group)
    assert "Erste Idee" in client.get("/").get_data(as_text=True)
    make_idea(group, title="Zweite Idee")
    assert "Zweite Idee" in group_page(client, group)
    assert "Zweite Idee" in client.get("/").get_data(as_text=True)


def test_a_rolled_back_change_renews_nothing(app):
    group = make_group()
    with app.test_request_context():
        calls = []
        list_cache.cached(group.id, ("x",), lambda: calls.append(1) or "eins")
        ideas.create_idea(group, make_user(), "Verworfen", "Text")
        db.session.rollback()
        assert list_cache.cached(group.id, ("x",), lambda: "zwei") == "eins"
        ideas.create_idea(group, make_user(), "Bleibt", "Text")
        db.session.commit()
        assert list_cache.cached(group.id, ("x",), lambda: "drei") == "drei"
    assert calls == [1]


def test_other_groups_keep_their_cached_lists(app):
    first, second = make_group(), make_group()
    with app.test_request_context():
        list_cache.cached(second.id, ("x",), lambda: "zweite Gruppe")
        make_idea(first)
        assert list_cache.cached(second.id, ("x",), lambda: "neu") == "zweite Gruppe"
        assert list_cache.cached(list_cache.ALL, ("x",), lambda: "alle neu") == "alle neu"
