"""full-text search over idea titles and bodies

PostgreSQL: a generated tsvector column `idea.search_vector` (german configuration, the
title weighted A, the body B) with a GIN index. SQLite: the FTS5 table `idea_fts` with
the idea table as external content, kept in sync by three triggers.

Neither object is in the models: the database keeps them up to date by itself, and the
application reads them only in app/services/search.py. `include_name` there keeps them
out of the schema comparison (migrations/env.py, tests/test_migrations.py).

A later migration that rebuilds the idea table on SQLite (batch mode "move and copy")
drops the triggers with the old table: it must create them again (SQLITE_TRIGGERS below)
and rebuild the index (`INSERT INTO idea_fts(idea_fts) VALUES ('rebuild')`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 15:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


PG_SEARCH_VECTOR = (
    "setweight(to_tsvector('german', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('german', coalesce(body, '')), 'B')"
)

# Only changes of title or body touch the index: votes update the idea row all the time.
SQLITE_TRIGGERS = {
    "idea_fts_after_insert": """
        CREATE TRIGGER idea_fts_after_insert AFTER INSERT ON idea BEGIN
            INSERT INTO idea_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END""",
    "idea_fts_after_delete": """
        CREATE TRIGGER idea_fts_after_delete AFTER DELETE ON idea BEGIN
            INSERT INTO idea_fts (idea_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END""",
    "idea_fts_after_update": """
        CREATE TRIGGER idea_fts_after_update AFTER UPDATE OF title, body ON idea BEGIN
            INSERT INTO idea_fts (idea_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO idea_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END""",
}


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        # Existing rows get their vector when the column is added (a table rewrite).
        op.execute(
            f"ALTER TABLE idea ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({PG_SEARCH_VECTOR}) STORED"
        )
        op.execute("CREATE INDEX ix_idea_search_vector ON idea USING gin (search_vector)")
    elif dialect == 'sqlite':
        # unicode61, not porter: porter stems English. German word forms are met at query
        # time instead (a light suffix stripping and prefix queries, see services/search).
        # A leftover of a schema dropped table by table, not downgraded, would block this.
        op.execute("DROP TABLE IF EXISTS idea_fts")
        op.execute(
            "CREATE VIRTUAL TABLE idea_fts USING fts5("
            "title, body, content='idea', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
        op.execute("INSERT INTO idea_fts (idea_fts) VALUES ('rebuild')")
    else:
        raise NotImplementedError(f"full-text search is not built for {dialect}")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_idea_search_vector")
        op.execute("ALTER TABLE idea DROP COLUMN IF EXISTS search_vector")
    elif dialect == 'sqlite':
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS idea_fts")
