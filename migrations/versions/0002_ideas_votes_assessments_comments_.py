"""ideas votes assessments comments follows notifications reports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 13:35:56.667575

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # Columns added to existing tables carry a server default, so existing rows upgrade.
    op.create_table('idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'published', 'in_review', 'forwarded', 'prioritised', 'implemented', 'declined', 'rejected', 'merged', 'withdrawn', name='ideastatus', native_enum=False, length=16), nullable=False),
    sa.Column('origin', sa.Enum('online', 'forum', 'workshop', 'competition', name='ideaorigin', native_enum=False, length=16), nullable=False),
    sa.Column('origin_event', sa.String(length=140), nullable=True),
    sa.Column('participant_name', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('votes_up', sa.Integer(), nullable=False),
    sa.Column('votes_down', sa.Integer(), nullable=False),
    sa.Column('u30_votes_up', sa.Integer(), nullable=False),
    sa.Column('u30_votes_down', sa.Integer(), nullable=False),
    sa.Column('comments_count', sa.Integer(), nullable=False),
    sa.Column('assessments_count', sa.Integer(), nullable=False),
    sa.Column('benefit_sum', sa.Integer(), nullable=False),
    sa.Column('feasibility_sum', sa.Integer(), nullable=False),
    sa.Column('score_top', sa.Float(), nullable=False),
    sa.Column('score_trending', sa.Float(), nullable=False),
    sa.CheckConstraint('comments_count >= 0', name=op.f('ck_idea_comments_not_negative')),
    sa.CheckConstraint('votes_up >= 0 AND votes_down >= 0', name=op.f('ck_idea_votes_not_negative')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_idea_author_id_user')),
    sa.ForeignKeyConstraint(['group_id'], ['thematic_group.id'], name=op.f('fk_idea_group_id_thematic_group')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['idea.id'], name=op.f('fk_idea_merged_into_id_idea')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea'))
    )
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_idea_group_discussed', ['group_id', 'comments_count', 'id'], unique=False)
        batch_op.create_index('ix_idea_group_new', ['group_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_idea_group_top', ['group_id', 'score_top', 'id'], unique=False)
        batch_op.create_index('ix_idea_group_trending', ['group_id', 'score_trending', 'id'], unique=False)
        batch_op.create_index('ix_idea_new', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_status'), ['status'], unique=False)
        batch_op.create_index('ix_idea_top', ['score_top', 'id'], unique=False)

    op.create_table('assessment',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('benefit', sa.SmallInteger(), nullable=False),
    sa.Column('feasibility', sa.SmallInteger(), nullable=False),
    sa.Column('u30', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('benefit BETWEEN 1 AND 5', name=op.f('ck_assessment_benefit_range')),
    sa.CheckConstraint('feasibility BETWEEN 1 AND 5', name=op.f('ck_assessment_feasibility_range')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_assessment_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_assessment_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'idea_id', name=op.f('pk_assessment'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_idea_id'), ['idea_id'], unique=False)

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('replies_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_comment_author_id_user')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_comment_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_comment_idea_thread', ['idea_id', 'parent_id', 'id'], unique=False)

    op.create_table('follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(idea_id IS NULL) <> (group_id IS NULL)', name=op.f('ck_follow_idea_or_group')),
    sa.ForeignKeyConstraint(['group_id'], ['thematic_group.id'], name=op.f('fk_follow_group_id_thematic_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_follow_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_follow_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow')),
    sa.UniqueConstraint('user_id', 'group_id', name=op.f('uq_follow_user_id_group_id')),
    sa.UniqueConstraint('user_id', 'idea_id', name=op.f('uq_follow_user_id_idea_id'))
    )
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_idea_id'), ['idea_id'], unique=False)

    op.create_table('status_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('submitted', 'published', 'in_review', 'forwarded', 'prioritised', 'implemented', 'declined', 'rejected', 'merged', 'withdrawn', name='ideastatus', native_enum=False, length=16), nullable=True),
    sa.Column('to_status', sa.Enum('submitted', 'published', 'in_review', 'forwarded', 'prioritised', 'implemented', 'declined', 'rejected', 'merged', 'withdrawn', name='ideastatus', native_enum=False, length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_status_event_actor_id_user')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_status_event_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_event'))
    )
    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_event_idea_id'), ['idea_id'], unique=False)

    op.create_table('vote',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.Column('u30', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('value IN (-1, 1)', name=op.f('ck_vote_value_up_or_down')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_vote_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_vote_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'idea_id', name=op.f('pk_vote'))
    )
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_idea_id'), ['idea_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('comment', 'reply', 'status', 'new_idea', name='notificationkind', native_enum=False, length=16), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_notification_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_notification_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user_unread', ['user_id', 'read_at', 'id'], unique=False)

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('idea_id IS NOT NULL', name=op.f('ck_report_names_idea')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_report_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_report_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_report_reporter_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('reporter_id', 'idea_id', 'comment_id', name=op.f('uq_report_reporter_id_idea_id_comment_id'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_idea_id'), ['idea_id'], unique=False)

    with op.batch_alter_table('thematic_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('premoderation', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('ideas_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('votes_count', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_on_comments', sa.Enum('instant', 'daily', 'never', name='emailmode', native_enum=False, length=16), nullable=False, server_default='instant'))
        batch_op.add_column(sa.Column('email_on_status', sa.Enum('instant', 'daily', 'never', name='emailmode', native_enum=False, length=16), nullable=False, server_default='instant'))
        batch_op.add_column(sa.Column('email_on_new_ideas', sa.Enum('instant', 'daily', 'never', name='emailmode', native_enum=False, length=16), nullable=False, server_default='daily'))

    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email_on_new_ideas')
        batch_op.drop_column('email_on_status')
        batch_op.drop_column('email_on_comments')

    with op.batch_alter_table('thematic_group', schema=None) as batch_op:
        batch_op.drop_column('votes_count')
        batch_op.drop_column('ideas_count')
        batch_op.drop_column('premoderation')

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_idea_id'))
        batch_op.drop_index(batch_op.f('ix_report_comment_id'))

    op.drop_table('report')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_unread')

    op.drop_table('notification')
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_idea_id'))

    op.drop_table('vote')
    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_event_idea_id'))

    op.drop_table('status_event')
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_idea_id'))
        batch_op.drop_index(batch_op.f('ix_follow_group_id'))

    op.drop_table('follow')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_idea_thread')
        batch_op.drop_index(batch_op.f('ix_comment_author_id'))

    op.drop_table('comment')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_idea_id'))

    op.drop_table('assessment')
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_index('ix_idea_top')
        batch_op.drop_index(batch_op.f('ix_idea_status'))
        batch_op.drop_index('ix_idea_new')
        batch_op.drop_index('ix_idea_group_trending')
        batch_op.drop_index('ix_idea_group_top')
        batch_op.drop_index('ix_idea_group_new')
        batch_op.drop_index('ix_idea_group_discussed')
        batch_op.drop_index(batch_op.f('ix_idea_author_id'))

    op.drop_table('idea')
    # ### end Alembic commands ###
