"""Set-based SQL that moves one staged batch into the normalized tables.

Runs inside the batch's transaction, after ``pg_advisory_xact_lock(MERGE_LOCK)``: merges are
serialised (lookups, versions and sources need one writer at a time) while the COPYs into
the per-connection staging tables, and the search vectors computed there, run in parallel.

Editions and versions: a cable is identified by its reference id; it has one edition per form it
is published in (``archive.cable.EDITION_FORMS``: the telegram's own text, FRUS TEI, FRUS text,
scan), and each edition its versions, identified by the sha256 of their text. A text not yet
stored for the edition is a new version (numbered in load order, across the cable). The current
version is chosen by a rule that does not depend on load order (``CHOOSE_CURRENT``): the most
authoritative form first; then a truncated copy — a text that is a strict prefix of another
version's of the same edition — is never current (and is noted in the cable's warnings); then
the latest publisher release date wins (versions without one rank last), then the longer text,
then the smaller text sha256. ``cables`` and its child rows always hold the current version's
parsed fields; ``cable_editions`` holds each edition's own, from its leading version (the same
rule within the edition), and the cable's warnings say where its editions disagree
(``NOTE_DISAGREEMENTS``). A text already stored for the edition (the same cable from another
mirror, with different page bytes) adds no version: its source is linked to the existing version
in ``cable_version_sources``, and the version keeps the release date of the source that first
brought it.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import Connection
from sqlalchemy import Boolean, Column, Integer, MetaData, Table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable

from archive import __version__
from archive.db.models import SEARCH_VECTORS_GIVEN, Cable, CableEdition, CableVersion, edition_authority_sql

# Any stable 64-bit number; loaders on one database take turns merging.
MERGE_LOCK = 0x43_41_42_4C_45_4C_44  # "CABLELD"
LOADER_VERSION = f"cable-archive {__version__}"


@dataclass(frozen=True, slots=True)
class MergeCounts:
    loaded: int  # new sources stored
    duplicates: int  # staged inputs whose bytes another batch stored first
    new_cables: int
    new_versions: int


ERRORS = """
INSERT INTO load_errors (name, location, format, message, sha256, raw, loader_version)
SELECT DISTINCT ON (sha256, name, location) name, location, format, message, sha256, raw, %(version)s
FROM stage_errors ORDER BY sha256, name, location
ON CONFLICT (sha256, name, location) DO UPDATE
SET message = EXCLUDED.message, format = EXCLUDED.format, failed_at = now(), loader_version = EXCLUDED.loader_version
"""

SOURCES = """
WITH stored AS (
    INSERT INTO sources (sha256, name, location, format, size, raw, raw_encoding, loader_version)
    SELECT sha256, name, location, format, size, raw, raw_encoding, %(version)s FROM stage_cables ORDER BY seq
    ON CONFLICT (sha256) DO NOTHING
    RETURNING id, sha256
)
UPDATE stage_cables s SET source_id = stored.id FROM stored WHERE stored.sha256 = s.sha256
"""

# Inputs another batch stored meanwhile are unchanged; their staged child rows are ignored
# because every later statement joins through stage_cables.
DROP_DUPLICATES = "DELETE FROM stage_cables WHERE source_id IS NULL"

# An input that loads now is no longer a load error (it failed under an older parser).
CLEAR_ERRORS = "DELETE FROM load_errors e USING stage_cables s WHERE e.sha256 = s.sha256"

# Lookups first, in sorted order so two loaders never deadlock on each other's new keys.
LOOKUPS = (
    """
    INSERT INTO origins (name)
    SELECT DISTINCT origin FROM stage_cables s
    WHERE origin IS NOT NULL AND NOT EXISTS (SELECT FROM origins o WHERE o.name = s.origin)
    ORDER BY 1 ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO addressees (name, routing)
    SELECT DISTINCT r.name, r.routing FROM stage_recipients r JOIN stage_cables s USING (seq)
    WHERE NOT EXISTS (SELECT FROM addressees a WHERE a.name = r.name AND a.routing IS NOT DISTINCT FROM r.routing)
    ORDER BY 1, 2 ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO tags (code, kind)
    SELECT DISTINCT ON (t.code) t.code, t.kind FROM stage_tags t JOIN stage_cables s USING (seq)
    WHERE NOT EXISTS (SELECT FROM tags x WHERE x.code = t.code)
    ORDER BY t.code, t.seq, t.position ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO caveats (name)
    SELECT DISTINCT c.name FROM stage_cables s CROSS JOIN unnest(s.caveats) AS c(name)
    WHERE NOT EXISTS (SELECT FROM caveats x WHERE x.name = c.name)
    ORDER BY 1 ON CONFLICT DO NOTHING
    """,
)

# Created once per writer connection, beside the staging tables; each commit empties it. It has
# the types of the columns it stands for.
_versions, _cables = CableVersion.__table__.c, Cable.__table__.c
VERSIONS_TABLE = Table(
    "stage_versions",
    MetaData(),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("reference_id", _cables.reference_id.type, nullable=False),
    Column("form", _versions.form.type, nullable=False),
    Column("text_sha256", _versions.text_sha256.type, nullable=False),
    Column("released", _versions.released.type),
    Column("cable_id", _cables.id.type),
    Column("is_new_cable", Boolean, nullable=False),
    Column("version", _versions.version.type),
    Column("is_current", _versions.is_current.type, nullable=False, server_default=text("false")),
    # The version its edition's fields come from (CHOOSE_CURRENT's rule within the edition).
    Column("leads_edition", Boolean, nullable=False, server_default=text("false")),
    # One of the cable's versions is a truncated copy (CHOOSE_CURRENT): said in its warnings.
    Column("has_truncated", Boolean, nullable=False, server_default=text("false")),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DELETE ROWS",
)
CREATE_VERSIONS = str(CreateTable(VERSIONS_TABLE, if_not_exists=True).compile(dialect=postgresql.dialect()))

# The first input of each text not yet stored for its cable's edition becomes a new version.
NEW_VERSIONS = """
INSERT INTO stage_versions (seq, reference_id, form, text_sha256, released, cable_id, is_new_cable)
SELECT DISTINCT ON (s.reference_id, s.form, s.text_sha256)
       s.seq, s.reference_id, s.form, s.text_sha256, s.released, c.id, c.id IS NULL
FROM stage_cables s LEFT JOIN cables c ON c.reference_id = s.reference_id
WHERE NOT EXISTS (
    SELECT FROM cable_versions v WHERE v.cable_id = c.id AND v.form = s.form AND v.text_sha256 = s.text_sha256
)
ORDER BY s.reference_id, s.form, s.text_sha256, s.seq
"""

NUMBER_VERSIONS = """
WITH ranked AS (SELECT seq, row_number() OVER (PARTITION BY reference_id ORDER BY seq) AS n FROM stage_versions)
UPDATE stage_versions sv
SET version = ranked.n + coalesce((SELECT max(v.version) FROM cable_versions v WHERE v.cable_id = sv.cable_id), 0)
FROM ranked WHERE ranked.seq = sv.seq
"""

# The current version of each touched cable, among its current stored one and the new ones, by a
# rule that does not depend on load order: the most authoritative form; then a text that is a strict
# prefix of another version's text of the same edition (a truncated copy) never wins; then the latest
# release date (none ranks last), the longer text (in bytes: read from the TOAST header, never from
# the text), the smaller text sha256. The same rule within each edition, among its leading stored
# version and the new ones, picks the version the edition's fields come from. Texts are compared
# only for editions with more than one candidate.
CHOOSE_CURRENT = f"""
WITH stored AS (
    SELECT sv.reference_id, v.form, v.released, v.text_sha256, v.is_current, v.source_id = e.source_id AS leads,
           v.header, v.body
    FROM (SELECT DISTINCT reference_id, cable_id FROM stage_versions WHERE cable_id IS NOT NULL) sv
    JOIN cable_versions v ON v.cable_id = sv.cable_id
    JOIN cable_editions e ON e.cable_id = v.cable_id AND e.form = v.form
), candidates AS (
    SELECT sv.reference_id, sv.form, sv.seq, sv.released, sv.text_sha256, true AS eligible, true AS may_lead,
           s.header, s.body
    FROM stage_versions sv JOIN stage_cables s ON s.seq = sv.seq
    UNION ALL
    SELECT reference_id, form, NULL, released, text_sha256, is_current, leads, header, body FROM stored
), compared AS (
    SELECT c.*, c.header || E'\\n\\n' || c.body AS text FROM candidates c
    WHERE (c.reference_id, c.form) IN (SELECT reference_id, form FROM candidates GROUP BY 1, 2 HAVING count(*) > 1)
), truncated AS (
    SELECT DISTINCT c.reference_id, c.form, c.text_sha256 FROM compared c
    JOIN compared o ON o.reference_id = c.reference_id AND o.form = c.form
        AND length(o.text) > length(c.text) AND starts_with(o.text, c.text)
), ranked AS (
    SELECT c.reference_id, c.form, c.seq, c.eligible, c.may_lead, {edition_authority_sql("c.form")} AS authority,
           t.reference_id IS NOT NULL AS is_truncated, c.released,
           octet_length(c.header) + octet_length(c.body) AS size, c.text_sha256
    FROM candidates c
    LEFT JOIN truncated t ON t.reference_id = c.reference_id AND t.form = c.form AND t.text_sha256 = c.text_sha256
), leaders AS (
    SELECT DISTINCT ON (reference_id, form) seq FROM ranked WHERE may_lead
    ORDER BY reference_id, form, is_truncated, released DESC NULLS LAST, size DESC, text_sha256
), chosen AS (
    SELECT DISTINCT ON (reference_id) seq FROM ranked WHERE eligible
    ORDER BY reference_id, authority, is_truncated, released DESC NULLS LAST, size DESC, text_sha256
)
UPDATE stage_versions sv
SET is_current = sv.seq IN (SELECT seq FROM chosen WHERE seq IS NOT NULL),
    leads_edition = sv.seq IN (SELECT seq FROM leaders WHERE seq IS NOT NULL),
    has_truncated = sv.reference_id IN (SELECT reference_id FROM truncated)
"""

# A cable with a truncated copy among its versions says so, once, whatever the order they came in.
TRUNCATED_NOTE = "a truncated copy of this cable (its text a strict prefix of another version's) is never current"
FLAG_TRUNCATED = """
UPDATE cables c SET warnings = c.warnings || %(note)s::text
FROM stage_versions sv
WHERE sv.has_truncated AND c.id = sv.cable_id AND NOT %(note)s = ANY(c.warnings)
"""

# Every column of cables but its keys, those the database computes (id_status, year, month) and the
# version count (counted at the end of the load: count_versions), from the staged cable; the
# lookups from their joins below.
CABLE_COLUMNS = [
    column.name
    for column in Cable.__table__.c
    if column.name not in ("id", "reference_id", "version_count") and column.computed is None
]
# The clearance a reader needs for the cable's fields is its banner's (archive.db.clearance); each
# paragraph's marking is kept as a label for `show` to print where it withholds the paragraph.
# Each staged version's paragraphs, aggregated once per batch and joined on seq as pf (labels, top level,
# count) and pc (caveats): a subquery per cable would scan the unindexed staging table once per cable,
# quadratic in the batch.
PARAGRAPH_FACTS = """
LEFT JOIN (
    SELECT p.seq,
           array_agg(p.level || CASE WHEN p.caveats = '{}' THEN '' ELSE '//' || array_to_string(p.caveats, '/') END
                     ORDER BY p.position) AS classifications,
           max(pl.rank) AS top_rank,
           count(*) AS paragraphs
    FROM stage_paragraphs p LEFT JOIN classification_levels pl ON pl.name = p.level
    GROUP BY p.seq
) pf ON pf.seq = s.seq"""
PARAGRAPH_CAVEATS = """
LEFT JOIN (
    SELECT p.seq, array_agg(DISTINCT caveat) AS caveats
    FROM stage_paragraphs p CROSS JOIN LATERAL unnest(p.caveats) AS caveat
    GROUP BY p.seq
) pc ON pc.seq = s.seq"""
_FROM_LOOKUPS = {
    "classification_level_id": "l.id",
    "origin_id": "o.id",
    "clearance_rank": "l.rank",
    "clearance_caveats": "s.caveats",
    "paragraph_classifications": "coalesce(pf.classifications, '{}')",
}
_STAGED_CABLE = ", ".join(_FROM_LOOKUPS.get(column, f"s.{column}") for column in CABLE_COLUMNS)

UPSERT_CABLES = f"""
WITH upserted AS (
    INSERT INTO cables (reference_id, {", ".join(CABLE_COLUMNS)})
    SELECT s.reference_id, {_STAGED_CABLE}
    FROM stage_versions sv
    JOIN stage_cables s ON s.seq = sv.seq
    JOIN classification_levels l ON l.name = s.level
    LEFT JOIN origins o ON o.name = s.origin{PARAGRAPH_FACTS}
    WHERE sv.is_current
    ORDER BY sv.seq
    ON CONFLICT (reference_id) DO UPDATE SET ({", ".join(CABLE_COLUMNS)}) = ROW({
    ", ".join(f"EXCLUDED.{column}" for column in CABLE_COLUMNS)
})
    RETURNING id, reference_id
)
UPDATE stage_versions sv SET cable_id = upserted.id FROM upserted WHERE upserted.reference_id = sv.reference_id
"""

# A stored cable whose current version changed gets the new version's child rows, and its old current
# version is current no more. Neither concerns a cable new in this batch: a batch of new cables only (every
# batch of a load into an empty archive) skips these statements, two of which would read a whole table.
CHILD_TABLES = ("recipients", "cable_tags", "cable_references", "paragraphs", "cable_caveats")
DELETE_CHILDREN = tuple(
    f"DELETE FROM {table} t USING stage_versions sv "
    f"WHERE sv.is_current AND NOT sv.is_new_cable AND t.cable_id = sv.cable_id"
    for table in CHILD_TABLES
)
RETIRE_CURRENT = """
UPDATE cable_versions v SET is_current = false FROM stage_versions sv
WHERE sv.is_current AND NOT sv.is_new_cable AND v.cable_id = sv.cable_id AND v.is_current
"""

# Every column of cable_editions but its keys and the computed authority; the fields an edition gives.
EDITION_COLUMNS = [
    column.name
    for column in CableEdition.__table__.c
    if column.name not in ("cable_id", "form") and column.computed is None
]
_STAGED_EDITION = {
    "classification_level_id": "l.id",
    "origin_id": "o.id",
    "paragraph_count": "coalesce(pf.paragraphs, 0)",
}
UPSERT_EDITIONS = f"""
INSERT INTO cable_editions (cable_id, form, {", ".join(EDITION_COLUMNS)})
SELECT sv.cable_id, sv.form, {", ".join(_STAGED_EDITION.get(column, f"s.{column}") for column in EDITION_COLUMNS)}
FROM stage_versions sv
JOIN stage_cables s ON s.seq = sv.seq
JOIN classification_levels l ON l.name = s.level
LEFT JOIN origins o ON o.name = s.origin{PARAGRAPH_FACTS}
WHERE sv.leads_edition
ORDER BY sv.cable_id, sv.form
ON CONFLICT (cable_id, form) DO UPDATE SET ({", ".join(EDITION_COLUMNS)}) = ROW({
    ", ".join(f"EXCLUDED.{column}" for column in EDITION_COLUMNS)
})
"""

VERSIONS = (
    UPSERT_EDITIONS,
    """
    INSERT INTO cable_versions (cable_id, version, form, text_sha256, source_id, released, header, body, is_current,
                                clearance_rank, clearance_caveats)
    SELECT sv.cable_id, sv.version, sv.form, sv.text_sha256, s.source_id, sv.released, s.header, s.body, sv.is_current,
           -- the clearance its whole text needs: the banner's and every paragraph marking's
           greatest(l.rank, pf.top_rank), s.caveats || coalesce(pc.caveats, '{}')
    FROM stage_versions sv JOIN stage_cables s ON s.seq = sv.seq JOIN classification_levels l ON l.name = s.level
    """
    + PARAGRAPH_FACTS
    + PARAGRAPH_CAVEATS
    + """
    ORDER BY sv.cable_id, sv.version
    """,
    """
    INSERT INTO cable_version_sources (source_id, cable_id, version)
    SELECT s.source_id, v.cable_id, v.version
    FROM stage_cables s
    JOIN cables c ON c.reference_id = s.reference_id
    JOIN cable_versions v ON v.cable_id = c.id AND v.form = s.form AND v.text_sha256 = s.text_sha256
    """,
)

# Where a cable's editions disagree, its warnings say so: one note per field and edition, each
# comparing the edition the cable's fields come from with another. Notes are made again for every
# cable a batch touched, so they do not depend on the order the editions came in. A date is
# compared on the day (UTC), one day apart allowed where either edition gives a day only (a FRUS
# dateline without a zone: the local date); a subject on its letters and digits, a prefix agreeing
# (one edition may cut it short); signers in any letter case.
DISAGREE = "editions disagree on "
_DAY = "(({0}.created AT TIME ZONE 'UTC')::date)"
_DAY_ONLY = "(({0}.created AT TIME ZONE 'UTC')::time = '00:00')"
_LETTERS = "regexp_replace(upper({0}.subject), '[^A-Z0-9]', '', 'g')"
_DISAGREEMENTS = {
    "date": (
        "to_char({0}.created AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')",
        f"abs({_DAY.format('p')} - {_DAY.format('o')}) > "
        f"CASE WHEN {_DAY_ONLY.format('p')} OR {_DAY_ONLY.format('o')} THEN 1 ELSE 0 END",
    ),
    "classification": (
        "(SELECT name FROM classification_levels WHERE id = {0}.classification_level_id)",
        "p.classification_level_id <> o.classification_level_id",
    ),
    "origin": ("(SELECT name FROM origins WHERE id = {0}.origin_id)", "p.origin_id <> o.origin_id"),
    "precedence": ("{0}.precedence", "p.precedence <> o.precedence"),
    "subject": (
        "{0}.subject",
        f"NOT (starts_with({_LETTERS.format('p')}, {_LETTERS.format('o')}) "
        f"OR starts_with({_LETTERS.format('o')}, {_LETTERS.format('p')}))",
    ),
    "signers": (
        "array_to_string({0}.signers, ' ')",
        "cardinality(p.signers) > 0 AND cardinality(o.signers) > 0 AND upper(p.signers::text) <> upper(o.signers::text)",
    ),
}
_FIELD_ROWS = ",\n        ".join(
    f"('{name}', {shown.format('p')}, {shown.format('o')}, {differs})"
    for name, (shown, differs) in _DISAGREEMENTS.items()
)


def note_disagreements_sql(touched: str) -> str:
    """SQL that notes, in the warnings of the cables ``touched`` (a query of cable ids), where their editions disagree."""
    return f"""
WITH touched AS ({touched}),
notes AS (
    SELECT p.cable_id, array_agg(
        '{DISAGREE}' || f.field || ': ' || p.form || ' ' || coalesce(f.ours, '(none)')
        || ', ' || o.form || ' ' || coalesce(f.theirs, '(none)') ORDER BY o.authority, f.field
    ) AS notes
    FROM cable_editions p
    JOIN cable_versions v ON v.cable_id = p.cable_id AND v.form = p.form AND v.is_current
    JOIN cable_editions o ON o.cable_id = p.cable_id AND o.form <> p.form
    CROSS JOIN LATERAL (VALUES
        {_FIELD_ROWS}
    ) AS f(field, ours, theirs, differs)
    WHERE p.cable_id IN (SELECT cable_id FROM touched) AND f.differs
    GROUP BY p.cable_id
)
UPDATE cables c
SET warnings = ARRAY(SELECT w FROM unnest(c.warnings) AS w WHERE NOT starts_with(w, '{DISAGREE}'))
    || coalesce(n.notes, '{{}}')
FROM touched t LEFT JOIN notes n ON n.cable_id = t.cable_id
WHERE c.id = t.cable_id
  AND (n.notes IS NOT NULL OR EXISTS (SELECT FROM unnest(c.warnings) AS w WHERE starts_with(w, '{DISAGREE}')))
"""


NOTE_DISAGREEMENTS = note_disagreements_sql("SELECT DISTINCT cable_id FROM stage_versions")

CHILDREN = (
    """
    INSERT INTO cable_caveats (cable_id, caveat_id)
    SELECT DISTINCT sv.cable_id, cv.id
    FROM stage_versions sv JOIN stage_cables s ON s.seq = sv.seq
    CROSS JOIN unnest(s.caveats) AS c(name) JOIN caveats cv ON cv.name = c.name
    WHERE sv.is_current
    """,
    """
    INSERT INTO recipients (cable_id, position, role, addressee_id, precedence, channel)
    SELECT sv.cable_id, r.position, r.role, a.id, r.precedence, r.channel
    FROM stage_recipients r
    JOIN stage_versions sv ON sv.seq = r.seq AND sv.is_current
    JOIN addressees a ON a.name = r.name AND coalesce(a.routing, '') = coalesce(r.routing, '')
    """,
    """
    INSERT INTO cable_tags (cable_id, position, tag_id)
    SELECT sv.cable_id, t.position, x.id
    FROM stage_tags t JOIN stage_versions sv ON sv.seq = t.seq AND sv.is_current JOIN tags x ON x.code = t.code
    """,
    """
    INSERT INTO cable_references (cable_id, position, letter, kind, cited_text, cited_canonical_id)
    SELECT sv.cable_id, r.position, r.letter, r.kind, r.cited_text, r.cited_canonical_id
    FROM stage_references r JOIN stage_versions sv ON sv.seq = r.seq AND sv.is_current
    """,
    """
    INSERT INTO paragraphs (cable_id, position, number, number_printed, marking, classification_level_id,
                            caveats, section, text, clearance_rank, clearance_caveats)
    SELECT sv.cable_id, p.position, p.number, p.number_printed, p.marking, l.id, p.caveats, p.section, p.text,
           greatest(l.rank, banner.rank), s.caveats || p.caveats  -- its marking's and the banner's
    FROM stage_paragraphs p
    JOIN stage_versions sv ON sv.seq = p.seq AND sv.is_current
    JOIN stage_cables s ON s.seq = p.seq
    JOIN classification_levels banner ON banner.name = s.level
    LEFT JOIN classification_levels l ON l.name = p.level
    """,
)

COUNT_VERSIONS = """
SELECT count(*), count(DISTINCT reference_id) FILTER (WHERE is_new_cable), count(*) FILTER (WHERE NOT is_new_cable)
FROM stage_versions
"""

# Each REF item citing a cable points at it once it is in the archive, whichever load brought
# it; a canonical id shared by several cables resolves to the one published under that id.
RESOLVE_REFERENCES = """
UPDATE cable_references r SET cited_cable_id = target.id
FROM (
    SELECT DISTINCT ON (canonical_id) canonical_id, id FROM cables
    ORDER BY canonical_id, reference_id <> canonical_id, id
) target
WHERE r.cited_canonical_id = target.canonical_id AND r.cited_cable_id IS DISTINCT FROM target.id
"""

# Versions are added by batches and moved by provisional merges; the count is taken once, over all.
STORE_VERSION_COUNTS = """
UPDATE cables c SET version_count = v.versions
FROM (SELECT cable_id, count(*) AS versions FROM cable_versions GROUP BY cable_id) v
WHERE v.cable_id = c.id AND c.version_count <> v.versions
"""


# New sources undo the end-of-load work (references, reporting): its marker goes in the same transaction.
CLEAR_LOAD_STATE = "DELETE FROM load_state"
FINISHED = "references_and_reporting"
# Set with the references, replaced by FINISHED with the reporting: gone if a batch was stored in between.
REFERENCES_RESOLVED = "references"


def finished_since_last_store(connection: Connection) -> bool:
    """True when references and reporting were finished after the last batch that stored new sources."""
    return connection.execute("SELECT FROM load_state WHERE name = %s", (FINISHED,)).fetchone() is not None


def wait_for_merges(connection: Connection) -> None:
    """Take the merge lock for the rest of the transaction: no batch is merged meanwhile (another loader's)."""
    connection.execute("SELECT pg_advisory_xact_lock(%s)", (MERGE_LOCK,))


def mark_references_resolved(connection: Connection) -> None:
    """Record that references are resolved (in the transaction that resolved them, after ``wait_for_merges``)."""
    connection.execute("INSERT INTO load_state (name) VALUES (%s) ON CONFLICT DO NOTHING", (REFERENCES_RESOLVED,))


def mark_finished(connection: Connection) -> None:
    """Record that references and reporting are finished (in the transaction that refreshed the reporting,
    after ``wait_for_merges``) — unless a batch was stored since the references were resolved: another
    loader stored it, and its own end of load resolves and refreshes again."""
    resolved = connection.execute("DELETE FROM load_state WHERE name = %s", (REFERENCES_RESOLVED,)).rowcount
    if resolved:
        connection.execute(
            "INSERT INTO load_state (name) VALUES (%s) ON CONFLICT (name) DO UPDATE SET done_at = now()", (FINISHED,)
        )


def merge_staged(connection: Connection) -> MergeCounts:
    """Move the staged batch into the normalized tables; the caller commits."""
    cursor = connection.cursor()
    wait_for_merges(connection)
    cursor.execute(f"SET LOCAL {SEARCH_VECTORS_GIVEN} = on")  # staged with every cable: no trigger computes one
    if _may_skip_triggers(connection):
        # Every key the merge writes comes from a join with the row it points to, so the
        # per-row foreign-key triggers only re-check what holds by construction (and the
        # search-vector trigger has nothing to do: the vectors come ready-made).
        cursor.execute("SET LOCAL session_replication_role = replica")
    parameters = {"version": LOADER_VERSION}
    cursor.execute(ERRORS, parameters)
    cursor.execute(SOURCES, parameters)
    loaded = cursor.rowcount
    cursor.execute(DROP_DUPLICATES)
    duplicates = cursor.rowcount
    if loaded == 0:
        return MergeCounts(0, duplicates, 0, 0)
    cursor.execute(CLEAR_LOAD_STATE)
    cursor.execute(CLEAR_ERRORS)
    for statement in LOOKUPS:
        cursor.execute(statement)
    cursor.execute(NEW_VERSIONS)
    cursor.execute(NUMBER_VERSIONS)
    cursor.execute(CHOOSE_CURRENT)
    cursor.execute(COUNT_VERSIONS)
    versions, new_cables, of_stored_cables = cursor.fetchone() or (0, 0, 0)
    cursor.execute(UPSERT_CABLES)
    cursor.execute(FLAG_TRUNCATED, {"note": TRUNCATED_NOTE})
    replacing = (*DELETE_CHILDREN, RETIRE_CURRENT) if of_stored_cables else ()
    for statement in (*replacing, *VERSIONS, *CHILDREN, NOTE_DISAGREEMENTS):
        cursor.execute(statement)
    return MergeCounts(loaded, duplicates, new_cables, versions - new_cables)


def _may_skip_triggers(connection: Connection) -> bool:
    """Whether this role may switch triggers off: a superuser, or the embedded server's owner, which is
    granted SET on ``session_replication_role`` for this (elsewhere the merge runs with the triggers)."""
    row = connection.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')").fetchone()
    return row == (True,)


def resolve_references(connection: Connection) -> int:
    """Point every cable reference at its cited cable when that is in the archive; returns rows changed."""
    cursor = connection.execute(RESOLVE_REFERENCES)
    return cursor.rowcount


def count_versions(connection: Connection) -> None:
    """Store each cable's number of versions (``cables.version_count``) once a load's versions are in place."""
    connection.execute(STORE_VERSION_COUNTS)
