"""statistics indexes: a unit's dossiers received in a period

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 14:00:00

A manager's statistics counted the unit's dossiers of the period through an index on the workspace
and status, reading every dossier of the workspace (200,000 on the ``load`` world): a unit leader's
figures took 30 ms warm and 300 ms from a cold cache, 8 ms and 140 ms with these.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index("ix_dossiers_received_in", ["workspace_id", "receiving_agency_id", "submitted_at"])
        batch_op.create_index("ix_dossiers_decided_in", ["workspace_id", "deciding_agency_id", "submitted_at"])


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_decided_in")
        batch_op.drop_index("ix_dossiers_received_in")
