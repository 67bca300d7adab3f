"""index on idea.merged_into_id: an idea's page lists the ideas merged into it

Only an index; on SQLite the `idea` table (and the FTS triggers of 0003) stays as it is.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 19:06:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_idea_merged_into_id'), 'idea', ['merged_into_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_idea_merged_into_id'), table_name='idea')
