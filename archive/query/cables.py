"""One cable in full: finding it by id, its record, its editions, its references both ways, its versions and diffs."""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from archive.cable import classification_label, input_label
from archive.db.models import Cable, CableEdition, CableReference, CableVersion, Recipient
from archive.query import CableNotFound

IN_ARCHIVE = "in archive"
NOT_IN_ARCHIVE = "not in archive"
NOT_A_CABLE = "not a cable"


def find_cable(session: Session, reference_id: str) -> Cable:
    """The cable with this published reference id (or canonical id), in any letter case."""
    wanted = reference_id.strip()
    cable = session.scalars(select(Cable).where(Cable.reference_id == wanted)).first()
    if cable is None:
        cable = session.scalars(
            select(Cable)
            .where(
                or_(func.upper(Cable.reference_id) == wanted.upper(), func.upper(Cable.canonical_id) == wanted.upper())
            )
            .order_by(Cable.reference_id)
        ).first()
    if cable is None:
        raise CableNotFound(f"no cable {wanted!r} in the archive")
    return cable


def cable_classification(cable: Cable) -> str:
    """The Cablegate label of a stored cable: SECRET//NOFORN."""
    return classification_label(cable.level.name, [caveat.name for caveat in cable.caveats])


def reference_status(reference: CableReference) -> str:
    if reference.cited_cable_id is not None:
        return IN_ARCHIVE
    return NOT_IN_ARCHIVE if reference.kind == "cable" else NOT_A_CABLE


def cable_record(cable: Cable) -> dict[str, Any]:
    """Everything stored about ``cable`` as a JSON-ready dict: fields, recipients, tags, references, paragraphs."""
    return {
        "reference_id": cable.reference_id,
        "canonical_id": cable.canonical_id,
        "created": cable.created,
        "classification": cable_classification(cable),
        "level": cable.level.name,
        "caveats": [caveat.name for caveat in cable.caveats],
        "origin": cable.origin.name if cable.origin else None,
        "station": cable.station,
        "subject": cable.subject,
        "precedence": cable.precedence,
        "transmission_id": cable.transmission_id,
        "executive_order": cable.executive_order,
        "declassify_on": cable.declassify_on,
        "declassify_text": cable.declassify_text,
        "classified_by": cable.classified_by,
        "classified_by_title": cable.classified_by_title,
        "reasons": list(cable.reasons),
        "signers": list(cable.signers),
        "partial": cable.is_partial,
        "released": cable.released,
        "source": cable.source.name,
        "source_format": cable.source.format,
        "versions": len(cable.versions),
        "warnings": list(cable.warnings),
        "editions": cable_editions(cable),
        "tags": [link.tag.code for link in cable.tags],
        "recipients": [
            {
                "role": recipient.role,
                "name": recipient.addressee.name,
                "routing": recipient.addressee.routing,
                "precedence": recipient.precedence,
            }
            for recipient in cable.recipients
        ],
        "references": [
            {
                "letter": reference.letter,
                "kind": reference.kind,
                "text": reference.cited_text,
                "canonical_id": reference.cited_canonical_id,
                "status": reference_status(reference),
            }
            for reference in cable.references
        ],
        "paragraphs": released_paragraphs(cable),
    }


def cable_editions(cable: Cable) -> list[dict[str, Any]]:
    """Each form ``cable`` is published in, most authoritative first, with the fields that edition gives.

    ``fields`` says whether the cable's own fields are this edition's (its current version is in it).
    """
    current = {version.form for version in cable.versions if version.is_current}
    return [_edition_row(edition, edition.form in current, cable.versions) for edition in cable.editions]


def _edition_row(edition: CableEdition, gives_fields: bool, versions: list[CableVersion]) -> dict[str, Any]:
    apparatus = (edition.publisher_metadata or {}).get("apparatus") or {}
    return {
        "form": edition.form,
        "fields": "cable's" if gives_fields else "own",
        "source": input_label(edition.source.name, edition.source.location),
        "document": apparatus.get("document_id"),
        "versions": sum(version.form == edition.form for version in versions),
        "created": edition.created,
        "classification": classification_label(edition.level.name, edition.caveats) if edition.level else None,
        "origin": edition.origin.name if edition.origin else None,
        "subject": edition.subject,
        "precedence": edition.precedence,
        "signers": " ".join(edition.signers),
        "paragraphs": edition.paragraph_count,
    }


def released_paragraphs(cable: Cable) -> list[dict[str, Any]]:
    """The paragraphs of ``cable`` the session's role may read, and a "withheld" line in place of each other one.

    Row-level security leaves out the paragraphs above the role's clearance; the cable's own
    ``paragraph_classifications`` (one label per paragraph, by position) says what they were.
    """
    released = {
        paragraph.position: {
            "number": paragraph.number,
            "number_printed": paragraph.number_printed,
            "marking": paragraph.marking,
            "section": paragraph.section,
            "text": paragraph.text,
        }
        for paragraph in cable.paragraphs
    }
    for position, label in enumerate(cable.paragraph_classifications or [], start=1):
        if position not in released:
            withheld = f"[paragraph withheld: {label}]" if label else "[paragraph withheld]"
            released[position] = {
                "number": None,
                "number_printed": None,
                "marking": None,
                "section": None,
                "text": withheld,
            }
    return [released[position] for position in sorted(released)]


def load_cable(session: Session, reference_id: str) -> Cable:
    """:func:`find_cable` with its rows loaded in a few queries (for printing all of it)."""
    cable = find_cable(session, reference_id)
    session.scalars(
        select(Cable)
        .where(Cable.id == cable.id)
        .options(
            selectinload(Cable.caveats),
            selectinload(Cable.tags),
            selectinload(Cable.recipients).joinedload(Recipient.addressee),
            selectinload(Cable.references),
            selectinload(Cable.paragraphs),
            selectinload(Cable.versions).joinedload(CableVersion.source),
            selectinload(Cable.editions).joinedload(CableEdition.source),
        )
    ).one()
    return cable


def references_both_ways(session: Session, cable: Cable) -> list[dict[str, Any]]:
    """What ``cable`` cites (in REF order) and then what cites it, each with its resolution status."""
    rows: list[dict[str, Any]] = []
    for reference in cable.references:
        cited = reference.cited_cable
        rows.append(
            {
                "direction": "cites",
                "letter": reference.letter,
                "kind": reference.kind,
                "text": reference.cited_text,
                "reference_id": cited.reference_id if cited else reference.cited_canonical_id,
                "status": reference_status(reference),
                "created": cited.created if cited else None,
                "subject": cited.subject if cited else None,
            }
        )
    citing = session.execute(
        select(CableReference, Cable)
        .join(Cable, Cable.id == CableReference.cable_id)
        .where(CableReference.cited_cable_id == cable.id)
        .order_by(Cable.created, Cable.reference_id, CableReference.position)
    ).all()
    for reference, citer in citing:
        rows.append(
            {
                "direction": "cited by",
                "letter": reference.letter,
                "kind": reference.kind,
                "text": reference.cited_text,
                "reference_id": citer.reference_id,
                "status": IN_ARCHIVE,
                "created": citer.created,
                "subject": citer.subject,
            }
        )
    return rows


def version_text(version: CableVersion) -> list[str]:
    return [*version.header.splitlines(), "", *version.body.splitlines()]


def version_history(cable: Cable, context: int = 2) -> list[dict[str, Any]]:
    """Every stored version of ``cable``, oldest first, each with a unified diff from the one before."""
    rows: list[dict[str, Any]] = []
    previous: CableVersion | None = None
    for version in cable.versions:
        changes = ""
        if previous is not None:
            changes = "\n".join(
                difflib.unified_diff(
                    version_text(previous),
                    version_text(version),
                    fromfile=f"{cable.reference_id} version {previous.version} ({previous.source.name})",
                    tofile=f"{cable.reference_id} version {version.version} ({version.source.name})",
                    lineterm="",
                    n=context,
                )
            )
        rows.append(
            {
                "version": version.version,
                "current": version.is_current,
                "released": version.released,
                "source": version.source.name,
                "format": version.source.format,
                "loaded_at": version.source.loaded_at,
                "characters": len(version.body),
                "changes": changes,
            }
        )
        previous = version
    return rows
