"""Full-text search and similar ideas, on SQLite (FTS5) and PostgreSQL (tsvector)."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, update

from app.extensions import db
from app.models import Idea, IdeaStatus, ThematicGroup, User
from app.models.base import utcnow
from app.services import ideas, search
from app.services.search import fts5_query, search_ideas, similar_ideas
from tests.factories import make_group, make_idea, make_user

S = IdeaStatus


@pytest.fixture
def group():
    return make_group("Mobilität", "mobilitaet")


@pytest.fixture
def author():
    return make_user()


def _ids(result) -> list[int]:
    items = result.items if isinstance(result, search.SearchPage) else result
    return [idea.id for idea in items]


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def test_finds_a_word_in_title_or_body(group, author):
    in_title = make_idea(group, author, title="Glasfaser für alle Ortsteile", body="Schnell.")
    in_body = make_idea(group, author, title="Schnelles Netz", body="Mehr **Glasfaser** bitte.")
    make_idea(group, author, title="Bänke im Park", body="Zum Ausruhen.")
    assert set(_ids(search_ideas("Glasfaser"))) == {in_title.id, in_body.id}


def test_german_word_forms_match(group, author):
    idea = make_idea(group, author, title="Ein sicherer Radweg zur Schule", body="Entlang der B61.")
    assert _ids(search_ideas("Radwege")) == [idea.id]
    assert _ids(search_ideas("Radweg")) == [idea.id]
    assert _ids(search_ideas("Schulen")) == [idea.id]


def test_prefixes_match(group, author):
    # SQLite matches every word as a prefix; PostgreSQL's stemming meets the same need.
    idea = make_idea(group, author, title="Sensoren für die Luftqualität", body="Messstationen.")
    assert _ids(search_ideas("Sensor")) == [idea.id]
    if not _postgresql():
        assert _ids(search_ideas("Luftqual")) == [idea.id]


def test_diacritics_and_case_do_not_matter(group, author):
    idea = make_idea(group, author, title="Online-Bürgeramt", body="Termine online buchen.")
    assert _ids(search_ideas("bürgeramt")) == [idea.id]
    assert _ids(search_ideas("BÜRGERAMT")) == [idea.id]


def test_all_words_are_required(group, author):
    both = make_idea(group, author, title="Freies WLAN am Bahnhof", body="Für Pendler.")
    make_idea(group, author, title="Freies WLAN in der Bücherei", body="Für alle.")
    assert _ids(search_ideas("WLAN Bahnhof")) == [both.id]


def test_title_matches_rank_before_body_matches(group, author):
    body_only = make_idea(
        group,
        author,
        title="Ein Portal für offene Daten",
        body="Telemedizin, Telemedizin und noch einmal Telemedizin für die Praxen der Stadt.",
    )
    in_title = make_idea(
        group, author, title="Telemedizin für Pflegeheime", body="Videosprechstunde."
    )
    assert _ids(search_ideas("Telemedizin")) == [in_title.id, body_only.id]


@pytest.mark.parametrize(
    "status", [S.SUBMITTED, S.REJECTED, S.MERGED, S.WITHDRAWN], ids=lambda status: status.value
)
def test_unlisted_ideas_are_not_found_by_default(group, author, status):
    make_idea(group, author, title="Smart Parking am Rathaus", status=status)
    assert _ids(search_ideas("Parking")) == []


def test_hidden_ideas_are_never_found(group, author):
    idea = make_idea(group, author, title="Smart Parking am Rathaus")
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(hidden_at=utcnow()))
    db.session.commit()
    assert _ids(search_ideas("Parking")) == []
    assert _ids(search_ideas("Parking", status=S.PUBLISHED)) == []
    assert similar_ideas("Smart Parking") == []


@pytest.mark.parametrize("status", [S.SUBMITTED, S.REJECTED], ids=lambda status: status.value)
def test_a_status_filter_never_reaches_unpublished_ideas(group, author, status):
    make_idea(group, author, title="Smart Parking am Rathaus", status=status)
    assert _ids(search_ideas("Parking", status=status)) == []


def test_status_filter(group, author):
    published = make_idea(group, author, title="Open-Data-Portal")
    implemented = make_idea(
        group, author, title="Open-Data-Portal, zweiter Teil", status=S.IMPLEMENTED
    )
    merged = make_idea(group, author, title="Open-Data-Portal, doppelt", status=S.MERGED)
    assert set(_ids(search_ideas("Portal"))) == {published.id, implemented.id}
    assert _ids(search_ideas("Portal", status=S.IMPLEMENTED)) == [implemented.id]
    assert _ids(search_ideas("Portal", status=S.MERGED)) == [merged.id]


def test_group_filter(group, author):
    other = make_group("Verwaltung", "verwaltung")
    here = make_idea(group, author, title="Digitale Fahrplanauskunft")
    there = make_idea(other, author, title="Digitale Bauakte")
    assert set(_ids(search_ideas("digitale"))) == {here.id, there.id}
    assert _ids(search_ideas("digitale", group_id=other.id)) == [there.id]


def test_pages(group, author):
    made = [make_idea(group, author, title=f"Ladesäule Nummer {n}") for n in range(5)]
    first = search_ideas("Ladesäule", per_page=2)
    second = search_ideas("Ladesäule", per_page=2, page=2)
    third = search_ideas("Ladesäule", per_page=2, page=3)
    assert (first.has_next, second.has_next, third.has_next) == (True, True, False)
    found = _ids(first) + _ids(second) + _ids(third)
    assert sorted(found) == sorted(idea.id for idea in made)
    assert _ids(search_ideas("Ladesäule", per_page=2, page=4)) == []


def test_pages_stop_at_the_cap(group, author, monkeypatch):
    monkeypatch.setattr(search, "MAX_PAGE", 2)
    for n in range(5):
        make_idea(group, author, title=f"Ladesäule Nummer {n}")
    last = search_ideas("Ladesäule", per_page=1, page=9)
    assert last.page == 2
    assert len(last.items) == 1
    assert last.has_next is False


def test_only_the_newest_candidates_are_ranked(group, author, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    made = [make_idea(group, author, title=f"Ladesäule Nummer {n}") for n in range(5)]
    found = search_ideas("Ladesäule")
    assert sorted(_ids(found)) == sorted(idea.id for idea in made[-3:])
    assert found.has_next is False


def test_an_edited_idea_is_found_by_its_new_words(group, author):
    idea = make_idea(group, author, title="Ratsinformationssystem", body="Alte Fassung.")
    ideas.edit_idea(idea, "Ratsinformationssystem mit Livestream", "Neue Fassung.")
    db.session.commit()
    assert _ids(search_ideas("Livestream")) == [idea.id]
    assert _ids(search_ideas("Fassung")) == [idea.id]
    assert _ids(search_ideas("Alte")) == []


def test_a_deleted_idea_leaves_the_index(group, author):
    idea = make_idea(group, author, title="Telemedizin im Quartier")
    db.session.delete(idea)
    db.session.commit()
    assert _ids(search_ideas("Telemedizin")) == []
    make_idea(group, author, title="Telemedizin im Quartier")
    assert len(_ids(search_ideas("Telemedizin"))) == 1


INJECTIONS = [
    '"',
    '""',
    '"Glasfaser',
    "*",
    "Glas*",
    "NEAR(",
    "NEAR(Glasfaser WLAN, 2)",
    "OR",
    "Glasfaser OR",
    "AND NOT",
    "-",
    "-Glasfaser",
    ":",
    "title:Glasfaser",
    "body:",
    "^Glasfaser",
    "(",
    ")",
    "{title body}: x",
    "Glasfaser & | ! <-> :*",
    "'; DROP TABLE idea; --",
    "\\",
    "\x00",
    "😀",
    "a" * 500,
]


@pytest.mark.parametrize("query", INJECTIONS)
def test_query_syntax_in_user_text_never_errors(group, author, query):
    idea = make_idea(group, author, title="Glasfaser und WLAN", body="Ausbau.")
    found = _ids(search_ideas(query))
    assert found in ([], [idea.id])
    assert _ids(similar_ideas(query)) in ([], [idea.id])


@pytest.mark.parametrize("query", ["", "   ", "!!!", "--", '"*"', "?"])
def test_a_query_without_words_finds_nothing(group, author, query):
    make_idea(group, author, title="Glasfaser und WLAN")
    result = search_ideas(query)
    assert result.items == [] and result.has_next is False


def test_fts5_query_quotes_every_word():
    assert fts5_query('Radwege "NEAR( OR') == '"radweg"* "near"* "or"*'
    assert fts5_query("Schulen Tablets", any_word=True) == '"schul"* OR "tablet"*'
    assert fts5_query("WLAN am Rathaus") == '"wlan"* "rathau"*'
    assert fts5_query("und oder") == '"und"* "oder"*'
    assert fts5_query("!!!") == ""


# ---------------------------------------------------------------- similar ideas


def test_significant_words_drop_stop_words():
    words = search.significant_words("Die Idee: ein freies WLAN für die Stadt und den Bahnhof!")
    assert set(words) == {"freies", "wlan", "bahnhof"}
    assert words[0] == "bahnhof"  # the longest first
    assert search.significant_words("und die der 2024") == []


def test_similar_ideas_share_any_significant_word(group, author):
    wlan = make_idea(group, author, title="Freies WLAN in der Innenstadt")
    station = make_idea(group, author, title="Digitale Anzeigen am Bahnhof")
    make_idea(group, author, title="Bänke im Park")
    found = _ids(similar_ideas("WLAN am Bahnhof"))
    assert set(found) == {wlan.id, station.id}


def test_similar_ideas_put_the_closest_first(group, author):
    one_word = make_idea(group, author, title="Tablets für die Verwaltung")
    two_words = make_idea(group, author, title="Tablets für alle Schulen")
    assert _ids(similar_ideas("Tablets in den Schulen")) == [two_words.id, one_word.id]


def test_similar_ideas_limit_and_exclusion(group, author):
    made = [make_idea(group, author, title=f"Glasfaser in Ortsteil {n}") for n in range(7)]
    assert len(similar_ideas("Glasfaser")) == 5
    assert len(similar_ideas("Glasfaser", limit=2)) == 2
    found = _ids(similar_ideas("Glasfaser", limit=10, exclude_id=made[0].id))
    assert sorted(found) == sorted(idea.id for idea in made[1:])


def test_similar_ideas_only_listed_ones(group, author):
    make_idea(group, author, title="Glasfaser Süd", status=S.SUBMITTED)
    make_idea(group, author, title="Glasfaser Nord", status=S.WITHDRAWN)
    declined = make_idea(group, author, title="Glasfaser West", status=S.DECLINED)
    assert _ids(similar_ideas("Glasfaser")) == [declined.id]


def test_similar_ideas_for_text_of_only_stop_words(group, author):
    make_idea(group, author, title="Die Idee für die Stadt")
    assert similar_ideas("die idee für die stadt") == []
    assert similar_ideas("") == []


# ---------------------------------------------------------------- migration 0003


def _search_objects() -> set[str]:
    inspector = inspect(db.engine)
    found = {name for name in inspector.get_table_names() if name.startswith("idea_fts")}
    found |= {f"idea.{col['name']}" for col in inspector.get_columns("idea")} & {
        "idea.search_vector"
    }
    found |= {index["name"] for index in inspector.get_indexes("idea")} & {"ix_idea_search_vector"}
    return found


def test_migration_0003_downgrades_and_indexes_existing_ideas_on_upgrade(group, author):
    before_id = make_idea(
        group, author, title="Telemedizin für Pflegeheime", body="Videosprechstunde."
    ).id
    group_id, author_id = group.id, author.id
    expected = (
        {"idea.search_vector", "ix_idea_search_vector"}
        if _postgresql()
        else {"idea_fts", "idea_fts_config", "idea_fts_data", "idea_fts_docsize", "idea_fts_idx"}
    )
    db.session.remove()
    assert _search_objects() == expected
    try:
        downgrade(revision="0002")
        assert _search_objects() == set()
        # An idea written while there is no index, as on a database older than 0003.
        with db.engine.begin() as connection:
            connection.execute(
                update(Idea).where(Idea.id == before_id).values(title="Telemedizin im Quartier")
            )
    finally:
        upgrade()
    assert _search_objects() == expected
    assert _ids(search_ideas("Quartier")) == [before_id]
    assert _ids(search_ideas("Videosprechstunde")) == [before_id]
    group, author = db.session.get(ThematicGroup, group_id), db.session.get(User, author_id)
    later = make_idea(group, author, title="Telemedizin im Rathaus")
    assert set(_ids(search_ideas("Telemedizin"))) == {before_id, later.id}


def test_similar_ideas_keep_the_title_words_when_the_body_is_long():
    existing = make_idea(title="Kostenloses WLAN in der Stadtbibliothek", body="Text.")
    body = (
        "Worum geht es? Ich möchte gerne, dass alle Menschen überall Zugang bekommen, "
        "und dass Nachmittagsbesucherinnen, Schülerinnen und Seniorinnen profitieren."
    )
    found = similar_ideas("Freies WLAN in allen Stadtbüchereien", body=body)
    assert existing.id in [idea.id for idea in found]
