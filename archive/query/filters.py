"""Filters shared by search and the API helpers: date range, origin, tags, classification ceiling."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from archive.cable import LEVEL_RANK
from archive.db.models import Cable, CableTag, ClassificationLevel, Origin, Tag
from archive.query import QueryError

# What people type for a level: the portion-mark letters as well as the names.
LEVEL_ABBREVIATIONS: dict[str, str] = {
    "TS": "TOP SECRET",
    "S": "SECRET",
    "C": "CONFIDENTIAL",
    "LOU": "LIMITED OFFICIAL USE",
    "SBU": "SENSITIVE BUT UNCLASSIFIED",
    "U": "UNCLASSIFIED",
    "UNCLAS": "UNCLASSIFIED",
}


def level_name(text: str) -> str:
    """The level named by ``text``: ``secret``, ``S``, ``sbu``, ``Top Secret`` → a name of ``LEVELS``."""
    words = " ".join(text.replace("_", " ").replace("-", " ").split()).upper()
    name = LEVEL_ABBREVIATIONS.get(words, words)
    if name not in LEVEL_RANK:
        known = ", ".join([*LEVEL_RANK, *LEVEL_ABBREVIATIONS])
        raise QueryError(f"unknown classification {text!r}; use one of {known}")
    return name


def like_pattern(text: str) -> str:
    """``%text%`` for ILIKE, with the user's own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def origin_matches(name: ColumnElement[str], wanted: str) -> ColumnElement[bool]:
    """A forgiving origin match: a substring (``berlin``) or a close spelling (``Embasy Berln``).

    The similarity test is pg_trgm's word similarity (``<%``), served by the trigram index
    on ``origins.name``.
    """
    return or_(name.ilike(like_pattern(wanted)), name.op("%>")(wanted))


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class CableFilter:
    """Which cables to consider. Every field is optional; set ones must all hold.

    ``since`` and ``until`` are inclusive days (UTC); ``origin`` matches forgivingly (see
    :func:`origin_matches`); every tag of ``tags`` must be on the cable; ``classification``
    is a ceiling: that level and the ones below it (``CONFIDENTIAL`` admits LOU, SBU and
    UNCLASSIFIED, not SECRET).
    """

    since: date | None = None
    until: date | None = None
    origin: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    classification: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.since is not None:
            conditions.append(Cable.created >= day_start(self.since))
        if self.until is not None:
            conditions.append(Cable.created < day_start(self.until + timedelta(days=1)))
        if self.origin:
            conditions.append(Cable.origin_id.in_(select(Origin.id).where(origin_matches(Origin.name, self.origin))))
        for tag in self.tags:
            conditions.append(
                exists().where(
                    CableTag.cable_id == Cable.id,
                    CableTag.tag_id == Tag.id,
                    func.upper(Tag.code) == tag.strip().upper(),
                )
            )
        if self.classification:
            ceiling = LEVEL_RANK[level_name(self.classification)]
            conditions.append(
                Cable.classification_level_id.in_(
                    select(ClassificationLevel.id).where(ClassificationLevel.rank <= ceiling)
                )
            )
        return conditions

    def apply(self, query: Select) -> Select:  # type: ignore[type-arg]
        """``query`` (selecting from ``cables``) narrowed to the cables this filter admits."""
        conditions = self.conditions()
        return query.where(and_(*conditions)) if conditions else query
