"""Stations: one name for a post or agency, whether it sends a cable (origin) or receives one (addressee).

Origins are named as the library names them (``Embassy Belgrade``, ``Secretary of State``) and
addressees as printed (``AMEMBASSY BELGRADE``, ``SECSTATE WASHDC``, ``SECDEF WASHINGTON DC//USDP//``),
so the two never met. :func:`station_of` is the one rule that names the station of either:

1. the printed form is cleaned: routing indicator, channel number, stray spacing
   (``archive.parse.origins.clean_station``) and the office after ``//`` go;
2. a name the library already gives (mixed case: an origin) is its own station;
3. the post rules of the FM line (``archive.parse.origins.origin_from_fm``: post types such as
   AMEMBASSY, AMCONSUL, USMISSION, and the posts the library names irregularly) name posts;
4. Washington agencies are named by :data:`AGENCIES` (printed with or without ``WASHDC`` or
   ``WASHINGTON DC``);
5. any other station keeps its cleaned printed form, with ``WASHDC`` and ``WASHINGTON DC`` spelled
   one way, so ``NRC WASHDC`` and ``NRC WASHINGTON DC`` are one station.

:func:`assign_stations` names the station of every origin and addressee at the end of each load
(a few thousand names, so all of them: a new rule applies to what is already stored).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from psycopg import Connection

from archive.parse.origins import clean_station, origin_from_fm

# The office of an addressee within its station: "JOINT STAFF WASHINGTON DC//J5/RUE//".
_OFFICE = re.compile(r"\s*//.*$")
_WASHINGTON = re.compile(r"\s+(?:WASHDC|WSHDC|WASH DC|WASHINGTON DC|WASHINGTON D C)$")
WASHINGTON = "WASHINGTON DC"

# Washington agencies, as addressed, and their names (the agencies the corpus addresses most; the
# others keep their printed form). Spelled without the WASHDC / WASHINGTON DC the address may carry.
AGENCIES: dict[str, str] = {
    "SECDEF": "Secretary of Defense",
    "OSD": "Secretary of Defense",
    "JOINT STAFF": "Joint Staff",
    "JCS": "Joint Staff",
    "CJCS": "Chairman of the Joint Chiefs of Staff",
    "NSC": "National Security Council",
    "NATIONAL SECURITY COUNCIL": "National Security Council",
    "WHITE HOUSE NSC": "National Security Council",
    "WHITE HOUSE NATIONAL SECURITY COUNCIL": "National Security Council",
    "WHITE HOUSE": "White House",
    "THE WHITE HOUSE": "White House",
    "WHITEHOUSE": "White House",
    "CIA": "Central Intelligence Agency",
    "DIA": "Defense Intelligence Agency",
    "FBI": "Federal Bureau of Investigation",
    "DEA": "Drug Enforcement Administration",
    "DEA HQS": "Drug Enforcement Administration",
    "DRUG ENFORCEMENT ADMIN HQ": "Drug Enforcement Administration",
    "DEPT OF JUSTICE": "Department of Justice",
    "DEPARTMENT OF JUSTICE": "Department of Justice",
    "DOJ": "Department of Justice",
    "DEPT OF TREASURY": "Department of the Treasury",
    "DEPARTMENT OF TREASURY": "Department of the Treasury",
    "TREASURY DEPT": "Department of the Treasury",
    "DEPTTREAS": "Department of the Treasury",
    "DEPT OF COMMERCE": "Department of Commerce",
    "USDOC": "Department of Commerce",
    "DEPT OF HOMELAND SECURITY": "Department of Homeland Security",
    "DEPT OF ENERGY": "Department of Energy",
    "DOE": "Department of Energy",
    "DEPT OF AGRICULTURE": "Department of Agriculture",
    "USDA": "Department of Agriculture",
    "DEPT OF LABOR": "Department of Labor",
    "DEPARTMENT OF LABOR": "Department of Labor",
    "DEPT OF INTERIOR": "Department of the Interior",
    "DOI": "Department of the Interior",
    "DEPT OF HHS": "Department of Health and Human Services",
}


class Station(NamedTuple):
    name: str
    rule: str  # one of archive.db.models.STATION_RULES


def station_of(name: str) -> Station:
    """The station of an origin or a printed addressee: ``AMEMBASSY BELGRADE`` → ``Embassy Belgrade`` (post)."""
    if name != name.upper():
        return Station(name, "post")  # a library name: what the rules below give
    text = _OFFICE.sub("", clean_station(name))
    library = origin_from_fm(text)
    if library is not None and library != text:
        return Station(library, "post")
    agency = _WASHINGTON.sub("", text)
    if agency in AGENCIES:
        return Station(AGENCIES[agency], "agency")
    if agency != text:
        return Station(f"{agency} {WASHINGTON}", "printed")
    return Station(text or name, "printed")


NAMED = ("origins", "addressees")
# The rule that wins when two names give one station under different rules.
_RULE_ORDER = {"post": 0, "agency": 1, "printed": 2}


def assign_stations(connection: Connection) -> None:
    """Point every origin and addressee at its station (created as needed); stations no one names go."""
    rows = connection.execute(" UNION ALL ".join(f"SELECT '{table}', id, name FROM {table}" for table in NAMED))
    named = [(table, row_id, station_of(name)) for table, row_id, name in rows]
    stations: dict[str, str] = {}
    for _, _, station in named:
        known = stations.get(station.name)
        if known is None or _RULE_ORDER[station.rule] < _RULE_ORDER[known]:
            stations[station.name] = station.rule
    connection.execute(
        "INSERT INTO stations (name, rule) SELECT * FROM unnest(%s::text[], %s::text[]) ORDER BY 1 "
        "ON CONFLICT (name) DO UPDATE SET rule = EXCLUDED.rule WHERE stations.rule <> EXCLUDED.rule",
        (list(stations), list(stations.values())),
    )
    for table in NAMED:
        ids = [row_id for kind, row_id, _ in named if kind == table]
        names = [station.name for kind, _, station in named if kind == table]
        connection.execute(
            f"UPDATE {table} t SET station_id = s.id FROM unnest(%s::bigint[], %s::text[]) AS m(id, station) "
            "JOIN stations s ON s.name = m.station WHERE t.id = m.id AND t.station_id IS DISTINCT FROM s.id",
            (ids, names),
        )
    connection.execute(
        "DELETE FROM stations s WHERE "
        + " AND ".join(f"NOT EXISTS (SELECT FROM {table} t WHERE t.station_id = s.id)" for table in NAMED)
    )
