"""label corrections

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('label_corrections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('business_type', sa.String(length=20), nullable=False),
    sa.Column('topic', sa.String(length=30), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('previous', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('corrected_by', sa.String(length=64), nullable=False),
    sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_label_corrections_appeal_id_appeals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_label_corrections'))
    )
    with op.batch_alter_table('label_corrections', schema=None) as batch_op:
        batch_op.create_index('ix_label_corrections_appeal_id', ['appeal_id'], unique=False)
        batch_op.create_index('ix_label_corrections_corrected_at', ['corrected_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('label_corrections', schema=None) as batch_op:
        batch_op.drop_index('ix_label_corrections_corrected_at')
        batch_op.drop_index('ix_label_corrections_appeal_id')

    op.drop_table('label_corrections')
