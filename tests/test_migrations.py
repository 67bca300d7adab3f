"""The migrations build exactly the models' schema, are reversible and keep existing data."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db
from app.models import User
from app.services.search import include_name, is_search_index_object
from tests.factories import make_user


def _schema_differences() -> list:
    with db.engine.connect() as connection:
        # The full-text index of migration 0003 lives beside the models, not in them.
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": include_name,
            },
        )
        return compare_metadata(context, db.metadata)


def _script() -> ScriptDirectory:
    migrate = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))


def _current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _tables() -> set[str]:
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if not is_search_index_object(name, "table", {})}


@pytest.fixture
def at_head():
    """Whatever a test does to the schema, the database is back at head afterwards."""
    db.session.remove()
    yield
    db.session.remove()
    if _current_revision() != _script().get_current_head() or _schema_differences():
        # A test that failed half-way: rebuild the schema from nothing through the migrations.
        db.metadata.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            connection.execute(db.text("DROP TABLE IF EXISTS idea_fts"))  # SQLite's FTS5
        upgrade()
    assert _current_revision() == _script().get_current_head()
    assert _schema_differences() == []


def test_database_is_at_the_single_head():
    script = _script()
    assert len(script.get_heads()) == 1, "migrations have branched; merge them"
    assert _current_revision() == script.get_current_head()


def test_migrated_schema_matches_the_models():
    assert _schema_differences() == []
    assert _tables() == set(db.metadata.tables)


def test_schema_comparison_would_notice_a_difference(at_head):
    # Guard for the test above: a table missing from the database must show up.
    db.session.remove()
    with db.engine.begin() as connection:
        db.metadata.tables["site_setting"].drop(connection)
    differences = _schema_differences()
    assert [d[0] for d in differences] == ["add_table"]
    assert differences[0][1].name == "site_setting"
    with db.engine.begin() as connection:
        db.metadata.tables["site_setting"].create(connection)
    assert _schema_differences() == []


def test_every_migration_downgrades_and_upgrades_again(at_head):
    revisions = list(reversed(list(_script().walk_revisions())))
    assert revisions, "no migrations found"
    downgrade(revision="base")
    assert _tables() == set()
    assert _current_revision() is None
    for revision in revisions:
        upgrade(revision=revision.revision)
        after_upgrade = _tables()
        downgrade(revision=revision.down_revision or "base")
        upgrade(revision=revision.revision)
        assert _tables() == after_upgrade
        assert _current_revision() == revision.revision
    assert _tables() == set(db.metadata.tables)
    assert _schema_differences() == []


def test_upgrading_an_upgraded_database_keeps_its_data(at_head):
    user = make_user("bleibt@example.org", display_name="Bleibt Erhalten")
    user_id = user.id
    db.session.remove()
    upgrade()
    assert _current_revision() == _script().get_current_head()
    kept = db.session.get(User, user_id)
    assert (kept.email, kept.display_name) == ("bleibt@example.org", "Bleibt Erhalten")
