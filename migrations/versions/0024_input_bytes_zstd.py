"""An input's bytes are stored zstd-compressed by the parse workers: ``sources.raw_encoding``.

``sources.raw`` held the exact input bytes, compressed by pglz in the loader's staging COPY
(0014): 16 ms of server CPU per MB, on the cores a load is short of, keeping 0.69 of the bytes of
synthetic cables. The parse workers now compress them with zstd at level 1 (4.6 ms per MB, 0.50 of
the bytes), and the server stores the frame as it is. ``raw_encoding`` says how a row's ``raw``
is stored: ``zstd``, or NULL for the rows stored before, which keep their bytes as they came;
``size`` stays the size of the input, so its check holds only for those. Readers of the column
(no reader role may read it) decode it with ``archive.db.input_bytes.unpack``.

The downgrade decodes every zstd row back into plain bytes.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 15:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import zstandard
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ZSTD_ROWS = "SELECT id, raw FROM sources WHERE raw_encoding = 'zstd' AND id > :after ORDER BY id LIMIT 1000"
DECODED = "UPDATE sources SET raw = :raw, raw_encoding = NULL WHERE id = :id"


def upgrade() -> None:
    op.add_column("sources", sa.Column("raw_encoding", sa.Text(), nullable=True))
    op.create_check_constraint(op.f("ck_sources_raw_encoding_known"), "sources", "raw_encoding IN ('zstd')")
    op.drop_constraint(op.f("ck_sources_size_matches_raw"), "sources", type_="check")
    op.create_check_constraint(
        op.f("ck_sources_size_matches_raw"), "sources", "raw_encoding IS NOT NULL OR size = octet_length(raw)"
    )


def downgrade() -> None:
    connection = op.get_bind()
    decompressor = zstandard.ZstdDecompressor()
    after = 0
    while rows := connection.execute(sa.text(ZSTD_ROWS), {"after": after}).fetchall():
        decoded = [{"raw": decompressor.decompress(raw), "id": source_id} for source_id, raw in rows]
        connection.execute(sa.text(DECODED), decoded)  # one executemany a thousand rows, not a statement each
        after = rows[-1][0]
    op.drop_constraint(op.f("ck_sources_size_matches_raw"), "sources", type_="check")
    op.create_check_constraint(op.f("ck_sources_size_matches_raw"), "sources", "size = octet_length(raw)")
    op.drop_constraint(op.f("ck_sources_raw_encoding_known"), "sources", type_="check")
    op.drop_column("sources", "raw_encoding")
