"""whom a region asks about reuse: projects.contact (the SPEC's record field)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 19:58:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('contact')
