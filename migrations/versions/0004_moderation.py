"""moderation: reason templates, audit log, blocks, official answers, notes, forwarding

New tables only, plus `status_event.from_group_id` (a timeline entry for an idea moved
between groups). On SQLite that column's foreign key rebuilds `status_event` in batch
mode; the `idea` table (and with it the FTS triggers of 0003) is not touched.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 15:02:13.047866

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('moderation_reason',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_reason'))
    )
    op.create_table('group_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('until', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_group_block_created_by_id_user')),
    sa.ForeignKeyConstraint(['group_id'], ['thematic_group.id'], name=op.f('fk_group_block_group_id_thematic_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_group_block_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_block'))
    )
    with op.batch_alter_table('group_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_block_group_id'), ['group_id'], unique=False)
        batch_op.create_index('ix_group_block_user', ['user_id', 'group_id'], unique=False)

    op.create_table('forwarding',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('rationale_html', sa.Text(), nullable=False),
    sa.Column('forwarded_by_id', sa.Integer(), nullable=True),
    sa.Column('forwarded_at', sa.DateTime(), nullable=False),
    sa.Column('returned_at', sa.DateTime(), nullable=True),
    sa.Column('return_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['forwarded_by_id'], ['user.id'], name=op.f('fk_forwarding_forwarded_by_id_user')),
    sa.ForeignKeyConstraint(['group_id'], ['thematic_group.id'], name=op.f('fk_forwarding_group_id_thematic_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_forwarding_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idea_id', name=op.f('pk_forwarding'))
    )
    with op.batch_alter_table('forwarding', schema=None) as batch_op:
        batch_op.create_index('ix_forwarding_group_rank', ['group_id', 'rank'], unique=False)

    op.create_table('internal_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_internal_note_author_id_user')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_internal_note_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internal_note'))
    )
    with op.batch_alter_table('internal_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_internal_note_idea_id'), ['idea_id'], unique=False)

    op.create_table('official_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_official_answer_author_id_user')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_official_answer_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_official_answer')),
    sa.UniqueConstraint('idea_id', 'version', name=op.f('uq_official_answer_idea_id_version'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('hide_idea', 'restore_idea', 'hide_comment', 'restore_comment', 'auto_hide_idea', 'auto_hide_comment', 'dismiss_report', 'block_user', 'unblock_user', 'status', 'merge', 'move', 'answer', 'note', 'offline_idea', 'forward', 'reorder', 'return', name='auditaction', native_enum=False, length=24), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('reason_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_entry_actor_id_user')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_audit_entry_comment_id_comment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['thematic_group.id'], name=op.f('fk_audit_entry_group_id_thematic_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_audit_entry_idea_id_idea'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reason_id'], ['moderation_reason.id'], name=op.f('fk_audit_entry_reason_id_moderation_reason'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subject_id'], ['user.id'], name=op.f('fk_audit_entry_subject_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_group', ['group_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_idea_id'), ['idea_id'], unique=False)

    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_group_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_status_event_from_group_id_thematic_group'), 'thematic_group', ['from_group_id'], ['id'])


def downgrade():
    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_status_event_from_group_id_thematic_group'), type_='foreignkey')
        batch_op.drop_column('from_group_id')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_idea_id'))
        batch_op.drop_index('ix_audit_entry_group')

    op.drop_table('audit_entry')
    op.drop_table('official_answer')
    with op.batch_alter_table('internal_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_internal_note_idea_id'))

    op.drop_table('internal_note')
    with op.batch_alter_table('forwarding', schema=None) as batch_op:
        batch_op.drop_index('ix_forwarding_group_rank')

    op.drop_table('forwarding')
    with op.batch_alter_table('group_block', schema=None) as batch_op:
        batch_op.drop_index('ix_group_block_user')
        batch_op.drop_index(batch_op.f('ix_group_block_group_id'))

    op.drop_table('group_block')
    op.drop_table('moderation_reason')