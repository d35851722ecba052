"""record language and translations: projects.language, projects.translations (JSON)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both nullable: rows written before this revision have no language (it is detected
    # from their texts when read, see catalog.store) and no translations.
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('translations')
        batch_op.drop_column('language')
