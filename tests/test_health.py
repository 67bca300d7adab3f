"""The health check and the error pages: the site answers clearly when something goes wrong."""

import pytest
from sqlalchemy.exc import OperationalError

from app.extensions import db

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/nope?connect_timeout=2",
    "sqlite": "sqlite:////nicht/vorhanden/verzeichnis/ideenwerk.sqlite",
}


def _in_layout(html: str) -> bool:
    return '<html lang="de">' in html and 'class="site-header"' in html and "<footer" in html


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"status": "ok"}


@pytest.mark.parametrize("kind", UNREACHABLE)
def test_healthz_reports_an_unreachable_database_as_503(other_app, kind):
    broken = other_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE[kind])
    with broken.app_context(), pytest.raises(OperationalError):
        db.session.execute(db.select(1))  # the database really is out of reach
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.mimetype == "application/json"
    status = response.get_json()["status"]
    assert status and status != "ok"


def test_pages_need_the_database_and_fail_with_a_german_500(other_app):
    broken = other_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE["sqlite"])
    response = broken.test_client().get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Interner Fehler" in html
    assert _in_layout(html)
    assert "Traceback" not in html and "OperationalError" not in html


def test_404_page_is_german_and_in_the_layout(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Seite nicht gefunden" in html
    assert "Fehlercode 404" in html
    assert _in_layout(html)


def test_unknown_group_is_a_404_page(client):
    response = client.get("/groups/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)


def test_405_page_is_german_and_in_the_layout(client):
    response = client.get("/account/logout")
    assert response.status_code == 405
    html = response.get_data(as_text=True)
    assert "Nicht erlaubt" in html
    assert _in_layout(html)
    assert "POST" in response.headers["Allow"]


def test_errors_are_json_for_json_clients(client):
    response = client.get("/gibt-es-nicht", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json() == {"error": "Not Found", "status": 404}
    response = client.get("/account/logout", headers={"Accept": "application/json"})
    assert response.get_json() == {"error": "Method Not Allowed", "status": 405}
    assert "POST" in response.headers["Allow"]


def _explode():
    raise RuntimeError("Absichtlicher Fehler im Test")


def test_unexpected_errors_get_a_german_500_page(other_app, caplog):
    exploding = other_app(routes={"/kaputt": _explode})
    response = exploding.test_client().get("/kaputt")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Interner Fehler" in html
    assert _in_layout(html)
    assert "Absichtlicher Fehler" not in html  # no internals shown to visitors
    # ...but they are logged for the operators.
    logged = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert [str(error) for error in logged] == ["Absichtlicher Fehler im Test"]
