"""Query the archive from Python: SQLAlchemy sessions, typed ORM models and a few helpers.

Get a session on the configured database (``$ARCHIVE_DATABASE_URL``, else the embedded
server, started if needed) with :func:`session_scope`; pass a URL to use another::

    from archive.query.api import cables_by_tag, session_scope

    with session_scope() as session:
        for cable in cables_by_tag(session, "PREL"):
            print(cable.reference_id, cable.created, cable.level.name, cable.subject)

The models (from :mod:`archive.db.models`, re-exported here) and their relationships:

- :class:`Cable` — one row per reference id, its current version's fields: ``reference_id``,
  ``created`` (UTC), ``subject``, ``body``, ``declassify_on``…; ``level``
  (:class:`ClassificationLevel`, with ``name`` and ``rank``), ``caveats`` (:class:`Caveat`),
  ``origin`` (:class:`Origin`), ``recipients`` (:class:`Recipient` → ``addressee``),
  ``tags`` (:class:`CableTag` → ``tag``), ``references`` (:class:`CableReference`, what it
  cites, → ``cited_cable`` when in the archive), ``cited_by`` (the references to it),
  ``paragraphs`` (:class:`Paragraph`: ``number``, ``marking``, ``level``, ``text``),
  ``versions`` (:class:`CableVersion`, every distinct text loaded), ``editions``
  (:class:`CableEdition`, one per form it is published in, with the fields each gives) and ``source``
  (:class:`Source`, the exact input bytes).

The helpers take the session first and return ORM objects, ordered by date then reference id.
Anything else is a SQLAlchemy ``select()`` away; :class:`CableFilter` narrows your own
queries the way the helpers do. Sessions are read-write: these helpers only read.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import (
    Addressee,
    Cable,
    CableReference,
    CableTag,
    CableVersion,
    Caveat,
    ClassificationLevel,
    LoadError,
    Origin,
    Paragraph,
    Recipient,
    Source,
    Tag,
)
from archive.db.session import make_engine, session_scope
from archive.query import CableNotFound, QueryError
from archive.query.cables import find_cable as get_cable
from archive.query.filters import CableFilter
from archive.query.readonly import QueryResult, run_readonly
from archive.query.reports import available_reports, run_report
from archive.query.search import ParagraphHit, SearchHit, search

__all__ = [
    "Addressee",
    "Cable",
    "CableFilter",
    "CableNotFound",
    "CableReference",
    "CableTag",
    "CableVersion",
    "Caveat",
    "ClassificationLevel",
    "LoadError",
    "Origin",
    "Paragraph",
    "ParagraphHit",
    "QueryError",
    "QueryResult",
    "Recipient",
    "SearchHit",
    "Source",
    "Tag",
    "available_reports",
    "cables",
    "cables_between",
    "cables_by_origin",
    "cables_by_tag",
    "cables_classified_at_most",
    "cited_cables",
    "citing_cables",
    "get_cable",
    "make_engine",
    "run_readonly",
    "run_report",
    "search",
    "session_scope",
]


def cables(session: Session, where: CableFilter | None = None, limit: int | None = None) -> list[Cable]:
    """The cables ``where`` admits (all of them without it), oldest first."""
    query = (where or CableFilter()).apply(select(Cable)).order_by(Cable.created.nulls_last(), Cable.reference_id)
    return list(session.scalars(query.limit(limit)))


def cables_by_tag(session: Session, tag: str) -> list[Cable]:
    """Cables carrying ``tag`` (any letter case): ``cables_by_tag(session, "PREL")``."""
    return cables(session, CableFilter(tags=(tag,)))


def cables_by_origin(session: Session, origin: str) -> list[Cable]:
    """Cables from origins matching ``origin`` forgivingly: ``"berlin"`` finds Embassy Berlin."""
    return cables(session, CableFilter(origin=origin))


def cables_between(session: Session, since: date | None, until: date | None) -> list[Cable]:
    """Cables sent from ``since`` to ``until``, both days included (UTC); None leaves that end open."""
    return cables(session, CableFilter(since=since, until=until))


def cables_classified_at_most(session: Session, level: str) -> list[Cable]:
    """Cables classified ``level`` or lower: ``"CONFIDENTIAL"`` (or ``"C"``) leaves out SECRET and TOP SECRET."""
    return cables(session, CableFilter(classification=level))


def cited_cables(session: Session, cable: Cable) -> list[Cable]:
    """The cables ``cable`` cites that are in the archive, in the order of its REF line."""
    query = (
        select(Cable)
        .join(CableReference, CableReference.cited_cable_id == Cable.id)
        .where(CableReference.cable_id == cable.id)
        .order_by(CableReference.position)
    )
    return list(dict.fromkeys(session.scalars(query)))


def citing_cables(session: Session, cable: Cable) -> list[Cable]:
    """The cables in the archive that cite ``cable``, oldest first."""
    query = (
        select(Cable)
        .where(Cable.id.in_(select(CableReference.cable_id).where(CableReference.cited_cable_id == cable.id)))
        .order_by(Cable.created.nulls_last(), Cable.reference_id)
    )
    return list(session.scalars(query))
