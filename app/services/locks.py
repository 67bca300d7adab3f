"""Row locks held until commit, taken the same way on PostgreSQL and SQLite."""

from sqlalchemy import update
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db


def lock_row(model: type[db.Model], row_id: int, written: InstrumentedAttribute) -> None:
    """Take the row lock of `model` `row_id` until commit, so that changes to it run in turn.

    PostgreSQL: SELECT … FOR UPDATE. SQLite has no row locks: a no-op UPDATE takes the
    database's write lock instead (SQLite serialises writers anyway; this makes the read
    that follows safe). It sets `written`, a plain column of the row, to itself and never
    the key: rewriting `id` would make SQLite check the foreign keys of every table that
    refers to the row (measured for ideas: 140 ms of 150 ms a vote at 1 000 000 votes).
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.select(model.id).where(model.id == row_id).with_for_update())
    else:
        db.session.execute(
            update(model)
            .where(model.id == row_id)
            .values({written: written})
            .execution_options(synchronize_session=False)
        )
