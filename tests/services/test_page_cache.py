"""The generations that stored pages hang on, and the two places pages are kept.

services/page_cache.py keeps pages in each process's memory and in the shared cache; both
are served only while their scope's generation (services/list_cache.py) is unchanged.
"""

import pytest

from app.extensions import cache, db
from app.models import TandemSide
from app.services import accounts, groups, list_cache, page_cache
from tests.factories import make_group, make_idea, make_user


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield


def test_a_generation_is_random_from_the_start_and_stays_until_a_change(request_context):
    group = make_group()
    first = list_cache.generation(group.id)
    assert first != "0.0" and "0" not in first.split(".")
    assert list_cache.generation(group.id) == first
    make_idea(group)
    assert list_cache.generation(group.id) != first


def test_an_emptied_cache_starts_new_generations_not_old_ones(request_context):
    # A page kept in a process's memory must not match again after Redis was emptied.
    group = make_group()
    before = list_cache.generation(group.id)
    cache.clear()
    assert list_cache.generation(group.id) != before


def test_a_rolled_back_change_renews_nothing(request_context):
    group = make_group()
    before = list_cache.generation(group.id)
    groups.update_group(group, "Anders", "")
    db.session.rollback()
    assert list_cache.generation(group.id) == before


def test_changes_made_through_the_orm_renew_their_group(request_context):
    first, second = make_group(), make_group()
    idea = make_idea(first)
    other = list_cache.generation(second.id)

    def renewed(change) -> bool:
        before = list_cache.generation(first.id)
        change()
        db.session.commit()
        return list_cache.generation(first.id) != before

    # No service marked these: the flush did.
    assert renewed(lambda: setattr(idea, "title", "Neuer Titel"))
    assert renewed(lambda: setattr(first, "description", "Neu beschrieben"))
    assert renewed(lambda: groups.set_tandem_lead(first, TandemSide.CIVIC, make_user()))
    assert list_cache.generation(second.id) == other
    # A new name of anyone may be on any page: every scope is renewed.
    person = make_user()
    before = list_cache.generation(second.id)
    accounts.change_display_name(person, "Ganz Neu")
    db.session.commit()
    assert list_cache.generation(second.id) != before
    # So may a group's name: its ideas' pages show it.
    before = list_cache.generation(list_cache.idea_scope(idea.id))
    first.name = "Ganz neuer Name"
    db.session.commit()
    assert list_cache.generation(list_cache.idea_scope(idea.id)) != before


def test_an_idea_moved_between_groups_renews_both(request_context):
    first, second = make_group(), make_group()
    idea = make_idea(first)
    before = list_cache.generation(first.id), list_cache.generation(second.id)
    idea.group_id = second.id  # through the ORM, without a service marking anything
    db.session.commit()
    after = list_cache.generation(first.id), list_cache.generation(second.id)
    assert before[0] != after[0] and before[1] != after[1]


def test_a_login_renews_nothing(request_context):
    group = make_group()
    person = make_user()
    before = list_cache.generation(group.id)
    person.email = "anders@example.org"
    db.session.commit()
    assert list_cache.generation(group.id) == before


def store(key: str, scope, body: bytes) -> page_cache.Entry:
    entry = page_cache.Entry(scope, list_cache.generation(scope), body)
    cache.set(key, entry)
    return entry


def test_a_page_another_process_stored_is_used_and_kept_here(app, request_context):
    group = make_group()
    store("page:de:/x?", group.id, b"von nebenan")
    assert page_cache._current_page("page:de:/x?") == b"von nebenan"
    assert page_cache._recent().get("page:de:/x?").body == b"von nebenan"


def test_an_outdated_page_here_gives_way_to_a_current_one_from_another_process(
    app, request_context
):
    group = make_group()
    page_cache._recent().set("page:de:/x?", store("page:de:/x?", group.id, b"alt"))
    make_idea(group)
    assert page_cache._current_page("page:de:/x?") is None
    store("page:de:/x?", group.id, b"neu")
    assert page_cache._current_page("page:de:/x?") == b"neu"


def test_pages_of_other_groups_stay(app, request_context):
    first, second = make_group(), make_group()
    store("page:de:/eins?", first.id, b"eins")
    store("page:de:/alle?", list_cache.ALL, b"alle")
    make_idea(second)
    assert page_cache._current_page("page:de:/eins?") == b"eins"
    assert page_cache._current_page("page:de:/alle?") is None


def test_the_token_marker_depends_on_the_secret_key():
    one, two = page_cache._marker_for("eins"), page_cache._marker_for("zwei")
    assert one != two
    assert b"eins" not in one and len(one) > 40
