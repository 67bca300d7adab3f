"""The group page (sorting, filters, pages) and the home page's groups and idea lists."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import Idea, IdeaOrigin, IdeaStatus
from app.models.base import utcnow
from app.services import groups, listing
from app.services.votes import VoteValue, set_vote
from tests.factories import make_group, make_idea, make_user

S = IdeaStatus


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def card_titles(page: str) -> list[str]:
    return re.findall(r'<h3 id="idee-\d+-titel"><a href="/ideas/\d+">(.*?)</a></h3>', page)


def set_columns(idea: Idea, **values) -> None:
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(**values))
    db.session.commit()


@pytest.fixture
def group():
    return make_group("Mobilität", "mobilitaet", "Wege durch die Stadt.")


@pytest.fixture
def ranked(group):
    """Three ideas whose order differs in every sort."""
    author = make_user()
    now = utcnow()
    a = make_idea(group, author, title="Anna")
    b = make_idea(group, author, title="Bert")
    c = make_idea(group, author, title="Cleo")
    set_columns(a, score_top=0.9, score_trending=1.0, created_at=now - timedelta(days=1),
                comments_count=5)  # fmt: skip
    set_columns(b, score_top=0.5, score_trending=3.0, created_at=now - timedelta(days=3),
                comments_count=9)  # fmt: skip
    set_columns(c, score_top=0.1, score_trending=2.0, created_at=now, comments_count=0)
    return a, b, c


@pytest.mark.parametrize(
    ("query", "titles", "current"),
    [
        ("", ["Anna", "Bert", "Cleo"], "Beste"),
        ("?sort=top", ["Anna", "Bert", "Cleo"], "Beste"),
        ("?sort=trending", ["Bert", "Cleo", "Anna"], "Im Trend"),
        ("?sort=new", ["Cleo", "Anna", "Bert"], "Neueste"),
        ("?sort=discussed", ["Bert", "Anna", "Cleo"], "Meistdiskutiert"),
    ],
)
def test_each_sort_order(client, ranked, query, titles, current):
    response = client.get(f"/groups/mobilitaet{query}")
    assert response.status_code == 200
    page = text_of(response)
    assert card_titles(page) == titles
    marked = re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', page)
    assert current in marked
    assert 'href="/hilfe/sortierung"' in page


def test_sort_links_keep_the_filters_and_filters_keep_the_sort(client, ranked):
    raw = client.get("/groups/mobilitaet?sort=new&status=published&origin=online").get_data(
        as_text=True
    )
    assert 'href="/groups/mobilitaet?status=published&amp;origin=online&amp;sort=trending"' in raw
    assert '<input type="hidden" name="sort" value="new">' in raw
    assert re.search(
        r'<option[^>]*selected[^>]*value="published"|value="published"[^>]*selected', raw
    )


def test_cards_show_what_a_list_needs(client, group):
    author = make_user(display_name="Frida Vogel")
    idea = make_idea(group, author, title="Radweg", body="## Kopf\n\nEin *sicherer* Weg.")
    set_vote(make_user(), idea, VoteValue.UP)
    set_vote(make_user(), idea, VoteValue.DOWN)
    set_vote(make_user(), idea, VoteValue.UP)
    db.session.commit()
    page = text_of(client.get("/groups/mobilitaet"))
    card = page[page.index('<li class="idea-card">') :]
    card = card[: card.index("</li>")]
    assert "Radweg" in card and "Kopf Ein sicherer Weg." in card
    assert "Frida Vogel" in card and "Veröffentlicht" in card
    assert "2 dafür" in card and "1 dagegen" in card and "0 Kommentare" in card
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[\d:]+Z">\d+\. \w+ \d{4}</time>', card)
    assert "<em>" not in card


def test_offline_ideas_show_their_origin_and_participant(client, group):
    idea = make_idea(group, title="Aus dem Forum")
    set_columns(idea, origin=IdeaOrigin.FORUM, participant_name="Herr B.")
    page = text_of(client.get("/groups/mobilitaet"))
    assert "Digitales Forum" in page and "Herr B." in page
    assert card_titles(text_of(client.get("/groups/mobilitaet?origin=forum"))) == ["Aus dem Forum"]
    assert card_titles(text_of(client.get("/groups/mobilitaet?origin=online"))) == []


def test_status_filter(client, group):
    make_idea(group, title="Offen")
    make_idea(group, title="Zusammen", status=S.MERGED)
    make_idea(group, title="Weg", status=S.WITHDRAWN)
    make_idea(group, title="Wartet", status=S.SUBMITTED)
    make_idea(group, title="Umgesetzt", status=S.IMPLEMENTED)
    assert sorted(card_titles(text_of(client.get("/groups/mobilitaet")))) == [
        "Offen",
        "Umgesetzt",
    ]
    for status, titles in [("merged", ["Zusammen"]), ("withdrawn", ["Weg"]), ("", None)]:
        page = text_of(client.get(f"/groups/mobilitaet?status={status}"))
        if titles:
            assert card_titles(page) == titles
    page = text_of(client.get("/groups/mobilitaet?status=declined"))
    assert card_titles(page) == []
    assert "Keine Ideen passen zu diesem Filter." in page


@pytest.mark.parametrize(
    "query",
    [
        "sort=beliebt",
        "sort=",
        "status=submitted",
        "status=rejected",
        "status=unbekannt",
        "origin=brief",
        "page=0",
        "page=-1",
        "page=zwei",
        "page=",
        f"page={listing.MAX_PAGE + 1}",
    ],
)
def test_bad_parameters_are_refused(client, group, query):
    response = client.get(f"/groups/mobilitaet?{query}")
    assert response.status_code == 400
    assert "Ungültige Anfrage" in text_of(response)


def test_a_page_after_the_last_is_not_found_but_an_empty_first_page_is_fine(client, group):
    assert client.get("/groups/mobilitaet").status_code == 200
    assert "noch keine Ideen" in text_of(client.get("/groups/mobilitaet"))
    assert client.get("/groups/mobilitaet?page=2").status_code == 404


def test_pagination_links(client, group, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    author = make_user()
    for number in range(5):
        make_idea(group, author, title=f"Idee {number}")
    raw = client.get("/groups/mobilitaet?sort=new&origin=online").get_data(as_text=True)
    assert card_titles(raw) == ["Idee 4", "Idee 3"]
    assert 'href="/groups/mobilitaet?origin=online&amp;sort=new&amp;page=2" rel="next"' in raw
    assert 'rel="prev"' not in raw

    raw = client.get("/groups/mobilitaet?sort=new&origin=online&page=2").get_data(as_text=True)
    assert card_titles(raw) == ["Idee 2", "Idee 1"]
    assert 'href="/groups/mobilitaet?origin=online&amp;sort=new" rel="prev"' in raw
    assert 'page=3" rel="next"' in raw
    assert "Seite 2" in raw

    raw = client.get("/groups/mobilitaet?sort=new&origin=online&page=3").get_data(as_text=True)
    assert card_titles(raw) == ["Idee 0"]
    assert 'rel="next"' not in raw and 'page=2" rel="prev"' in raw


def test_unknown_groups_are_not_found(client):
    assert client.get("/groups/gibt-es-nicht").status_code == 404


def test_an_archived_group_stays_readable(client_for, people):
    make_idea(people["alpha"], title="Alte Idee")
    groups.set_archived(people["alpha"], True)
    db.session.commit()
    for role in ("visitor", "citizen"):
        response = client_for(role).get("/groups/alpha")
        assert response.status_code == 200
        page = text_of(response)
        assert "archiviert" in page and "Alte Idee" in page
        assert "Idee einreichen" not in page


def test_the_group_page_invites_to_post(client_for, people):
    assert 'href="/ideas/new?group=alpha"' in client_for("citizen").get("/groups/alpha").text
    visitor = client_for("visitor").get("/groups/alpha").text
    assert 'href="/account/login?next=/ideas/new?group%3Dalpha"' in visitor
    assert "/ideas/new" not in client_for("unconfirmed").get("/groups/alpha").text


def test_the_home_page_counts_match_the_groups(client, people):
    alpha, beta = people["alpha"], people["beta"]
    ideas = [make_idea(alpha, title=f"A{number}") for number in range(3)]
    make_idea(beta, title="B0")
    make_idea(alpha, title="Zurückgezogen", status=S.WITHDRAWN)
    for voter in (make_user(), make_user()):
        set_vote(voter, ideas[0], VoteValue.UP)
    set_vote(make_user(), ideas[1], VoteValue.DOWN)
    db.session.commit()
    db.session.expire_all()
    assert (alpha.ideas_count, alpha.votes_count) == (3, 3)
    assert (beta.ideas_count, beta.votes_count) == (1, 0)

    page = text_of(client.get("/"))
    alpha_card = page[page.index('href="/groups/alpha"') :]
    alpha_card = alpha_card[: alpha_card.index("</li>")]
    assert "3 Ideen" in alpha_card and "3 Stimmen" in alpha_card
    beta_card = page[page.index('href="/groups/beta"') :]
    beta_card = beta_card[: beta_card.index("</li>")]
    assert "1 Idee<" in beta_card and "0 Stimmen" in beta_card


def test_the_home_page_lists_the_best_and_the_newest_ideas(client, people):
    author = make_user()
    made = [make_idea(people["alpha"], author, title=f"Idee {number}") for number in range(7)]
    set_columns(made[2], score_top=0.8)
    make_idea(people["beta"], author, title="Versteckt", status=S.SUBMITTED)
    page = text_of(client.get("/"))
    best = page[page.index("Die besten Ideen") : page.index("Die neuesten Ideen")]
    newest = page[page.index("Die neuesten Ideen") :]
    assert card_titles(best) == ["Idee 2", "Idee 6", "Idee 5", "Idee 4", "Idee 3"]
    assert card_titles(newest) == ["Idee 6", "Idee 5", "Idee 4", "Idee 3", "Idee 2"]
    assert "Versteckt" not in page
    assert 'href="/groups/alpha">Alpha</a>' in best  # the cards name their group


def test_the_home_page_runs_a_fixed_number_of_queries(client, people):
    from sqlalchemy import event

    for number in range(8):
        make_idea(people["alpha" if number % 2 else "beta"], make_user(), title=f"I{number}")

    def pages_queries(url: str) -> int:
        statements = []
        listener = lambda *_args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    few = pages_queries("/")
    group_few = pages_queries("/groups/alpha")
    for number in range(10):
        make_idea(people["alpha"], make_user(), title=f"J{number}")
    assert pages_queries("/") == few
    assert pages_queries("/groups/alpha") == group_few
