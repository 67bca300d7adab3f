"""The search page /search and the suggestions for drafts /ideas/similar."""

import html

import pytest

from app.models import IdeaStatus
from tests.factories import make_group, make_idea, make_user

S = IdeaStatus


@pytest.fixture
def groups_and_ideas():
    mobility = make_group("Bau, Energie und Mobilität", "mobilitaet")
    admin = make_group("Digitale Verwaltung", "verwaltung")
    author = make_user()
    ideas = {
        "radweg": make_idea(
            mobility,
            author,
            title="Sicherer Radweg zur Gesamtschule",
            body="Ein **geschützter** Radweg entlang der Hauptstraße & ein Zebrastreifen.",
        ),
        "parken": make_idea(mobility, author, title="Smart Parking in der Innenstadt"),
        "buergeramt": make_idea(
            admin, author, title="Online-Bürgeramt", body="Termine und Anträge online."
        ),
        "umgesetzt": make_idea(
            admin, author, title="Radweg-Karte im Open-Data-Portal", status=S.IMPLEMENTED
        ),
        "eingereicht": make_idea(mobility, author, title="Radweg geheim", status=S.SUBMITTED),
    }
    return {"mobility": mobility, "admin": admin, **ideas}


def page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_empty_search_shows_the_form_only(client, groups_and_ideas):
    text = page(client.get("/search"))
    assert '<input type="search" id="q" name="q" value=""' in text
    assert '<label for="q">Suchbegriffe</label>' in text
    assert '<label for="group">Themengruppe</label>' in text
    assert '<label for="status">Status</label>' in text
    assert "Treffer für" not in text and "Keine Treffer" not in text
    assert "Bau, Energie und Mobilität" in text  # the group choices


def test_results_show_title_link_group_status_excerpt_and_votes(client, groups_and_ideas):
    radweg = groups_and_ideas["radweg"]
    text = page(client.get("/search?q=Radwege"))
    assert 'value="Radwege"' in text  # the query stays in the field
    assert "Treffer für „Radwege“" in text
    assert f'<a href="/ideas/{radweg.id}">Sicherer Radweg zur Gesamtschule</a>' in text
    assert "Bau, Energie und Mobilität" in text
    assert ">Veröffentlicht</span>" in text
    assert "Ein geschützter Radweg entlang der Hauptstraße & ein Zebrastreifen." in text
    assert "0 dafür" in text and "0 dagegen" in text and "0 Kommentare" in text
    assert "<strong>" not in text.split("Treffer für", 1)[1]  # the excerpt is plain text
    assert ">Umgesetzt</span>" in text
    assert "Radweg geheim" not in text


def test_query_is_escaped_in_the_page(client, groups_and_ideas):
    response = client.get("/search", query_string={"q": '<script>alert(1)</script>"'})
    raw = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)" not in raw
    assert "&lt;script&gt;" in raw


def test_no_hits(client, groups_and_ideas):
    text = page(client.get("/search?q=Seilbahn"))
    assert "Keine Treffer" in text
    assert 'value="Seilbahn"' in text


def test_group_and_status_filters(client, groups_and_ideas):
    text = page(client.get("/search?q=Radweg&group=verwaltung"))
    assert "Radweg-Karte im Open-Data-Portal" in text
    assert "Sicherer Radweg" not in text
    assert '<option value="verwaltung" selected>' in text

    text = page(client.get("/search?q=Radweg&status=implemented"))
    assert "Radweg-Karte im Open-Data-Portal" in text
    assert "Sicherer Radweg" not in text
    assert '<option value="implemented" selected>' in text


@pytest.mark.parametrize(
    "query",
    [
        "q=Radweg&group=gibt-es-nicht",
        "q=Radweg&status=quatsch",
        "q=Radweg&status=submitted",
        "q=Radweg&status=rejected",
        "q=Radweg&group=&status=",
        "q=Radweg&page=abc",
        "q=Radweg&page=-3",
        "q=Radweg&page=0",
    ],
)
def test_unknown_filters_and_pages_are_ignored(client, groups_and_ideas, query):
    text = page(client.get("/search?" + query))
    assert "Sicherer Radweg zur Gesamtschule" in text
    assert "Radweg-Karte im Open-Data-Portal" in text
    assert "Radweg geheim" not in text
    assert " selected>" not in text


def test_status_choices_never_offer_unpublished_states(client):
    text = page(client.get("/search"))
    assert 'value="submitted"' not in text and 'value="rejected"' not in text
    assert '<option value="merged">Zusammengeführt</option>' in text


def test_pages_link_to_each_other_and_keep_the_filters(client):
    group = make_group("Mobilität", "mobilitaet")
    author = make_user()
    for n in range(25):
        make_idea(group, author, title=f"Ladesäule Nummer {n}")
    first = page(client.get("/search?q=Ladesäule&group=mobilitaet"))
    assert first.count('class="idea-card"') == 20
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert "/search?page=2&q=Lades%C3%A4ule&group=mobilitaet" in first
    second = page(client.get("/search?q=Ladesäule&group=mobilitaet&page=2"))
    assert second.count('class="idea-card"') == 5
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert "Seite 2" in second
    beyond = page(client.get("/search?q=Ladesäule&page=7"))
    assert "Keine Treffer" in beyond


def test_page_numbers_are_capped(client, groups_and_ideas):
    text = page(client.get("/search?q=Radweg&page=99999999999999999999"))
    assert "Seite 50" in text


@pytest.mark.parametrize("query", ['"', "NEAR(", "*", "OR", "-", ":", "title:x", "(", "\\"])
def test_query_syntax_never_errors(client, groups_and_ideas, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


# ---------------------------------------------------------------- /ideas/similar


def test_similar_answers_json(client, groups_and_ideas):
    response = client.get("/ideas/similar?q=Radweg zur Schule")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    found = response.get_json()
    radweg = groups_and_ideas["radweg"]
    assert found[0] == {
        "id": radweg.id,
        "title": "Sicherer Radweg zur Gesamtschule",
        "url": f"/ideas/{radweg.id}",
    }
    titles = {item["title"] for item in found}
    assert "Radweg geheim" not in titles


@pytest.mark.parametrize("query", ["", "q=", "q=ab", "q=%20%20ab%20", "q=der%20die"])
def test_similar_is_empty_for_short_or_empty_drafts(client, groups_and_ideas, query):
    response = client.get("/ideas/similar?" + query)
    assert response.status_code == 200
    assert response.get_json() == []


def test_similar_returns_at_most_five(client):
    group = make_group()
    author = make_user()
    for n in range(8):
        make_idea(group, author, title=f"Glasfaser für Ortsteil {n}")
    assert len(client.get("/ideas/similar?q=Glasfaser").get_json()) == 5
