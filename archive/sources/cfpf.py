"""Central Foreign Policy File bodies (1973–79) as research groups publish them: id only in the file name.

NARA's Access to Archival Databases holds the State Department's electronic telegrams of 1973–79;
research copies (History Lab's NER gold, ``history-lab/historylab-parser``) keep only the body,
named by the AAD message record number: ``1976STATE012708.txt`` — four-digit year, the station
cut to at most six letters (``KHARTO``, ``USUNN``, ``NEWDE``), the serial zero-padded. That file
name is the form's convention for the id, so the reader takes the id from it (and from nowhere
else): ``76STATE12708``, the station spelled out as in Cablegate ids where the cut name is one
known post (``KHARTO`` → ``KHARTOUM``, ``USUNN`` → ``USUNNEWYORK``). It becomes the document's
publisher id; the AAD number is kept in the publisher's apparatus.

The body opens with a numbered list of annotated entities (``3. IRAN  GPE.SPECIAL``) and a line
``@@@``; every annotated mention is wrapped as ``[[TEXT || n]]`` (nested brackets occur). Both are
removed, so the text is the telegram's. A file whose name holds no AAD number is rejected: it has
no id and no date at all.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from archive.cable import Document, InputError, PublisherMetadata
from archive.parse.ids import canonical_id
from archive.sources.common import decode_text, normalize_newlines

FORMAT = "cfpf"

_SEPARATOR = re.compile(r"^@@@[ \t]*$", re.M)
_MENTION = re.compile(r"\[\[((?:(?!\[\[|\]\]|\|\|).)*?)\s*(?:\|\|\s*)+\d+\s*\]\]", re.S)
# Mentions whose markup the annotators damaged: "[[X || 15]", "[ILC || 8 ]]", "[[X | 3]]", "X || 2]]",
# "[[X || 9|| …" and a lone "[[".
_DAMAGED_MENTION = re.compile(
    r"\[{1,2}\s*([^\[\]|\n]+?)\s*\|{1,2}\s*\d+\s*(?:\]{1,2}|\|{1,2})?|[ \t]*\|{1,2}[ \t]*\d+[ \t]*(?:\]{1,2}|\|{1,2})|\[\["
)
_ENTITY_LINE = re.compile(r"^\s*\d+\.\s+\S.*?\s(?:PER|GPE|ORG|LOC|NORP|MISC|EVENT|FAC)\b[.\w]*\s*$")
_AAD_ID = re.compile(r"(?P<year>19[5-9]\d|20[01]\d)(?P<station>[A-Z]{2,6})(?P<serial>\d{4,6})$")

# AAD cuts station names: the posts whose cut name stands for one longer Cablegate station name.
AAD_STATIONS: dict[str, str] = {
    "USUNN": "USUNNEWYORK", "NEWDE": "NEWDELHI", "TELAV": "TELAVIV", "ADDIS": "ADDISABABA",
    "ABIDJA": "ABIDJAN", "ABUDHA": "ABUDHABI", "ADDISA": "ADDISABABA", "ALGIER": "ALGIERS",
    "ALEXAN": "ALEXANDRIA", "ANTANA": "ANTANANARIVO", "ASUNCI": "ASUNCION", "AUCKLA": "AUCKLAND",
    "BAGHDA": "BAGHDAD", "BANGKO": "BANGKOK", "BARCEL": "BARCELONA", "BELGRA": "BELGRADE",
    "BORDEA": "BORDEAUX", "BRASIL": "BRASILIA", "BRAZZA": "BRAZZAVILLE", "BRIDGE": "BRIDGETOWN",
    "BRUSSE": "BRUSSELS", "BUCHAR": "BUCHAREST", "BUDAPE": "BUDAPEST", "BUENOS": "BUENOSAIRES",
    "BUJUMB": "BUJUMBURA", "CALCUT": "CALCUTTA", "CANBER": "CANBERRA", "CARACA": "CARACAS",
    "CASABL": "CASABLANCA", "COLOMB": "COLOMBO", "CONAKR": "CONAKRY", "COPENH": "COPENHAGEN",
    "COTONO": "COTONOU", "DAMASC": "DAMASCUS", "DARESS": "DARESSALAAM", "DHAHRA": "DHAHRAN",
    "DUSSEL": "DUSSELDORF", "FLOREN": "FLORENCE", "FRANKF": "FRANKFURT", "FREETO": "FREETOWN",
    "GABORO": "GABORONE", "GEORGE": "GEORGETOWN", "GUADAL": "GUADALAJARA", "GUATEM": "GUATEMALA",
    "GUAYAQ": "GUAYAQUIL", "HAMBUR": "HAMBURG", "HELSIN": "HELSINKI", "HERMOS": "HERMOSILLO",
    "HONGKO": "HONGKONG", "ISLAMA": "ISLAMABAD", "ISTANB": "ISTANBUL", "JAKART": "JAKARTA",
    "JERUSA": "JERUSALEM", "KARACH": "KARACHI", "KATHMA": "KATHMANDU", "KHARTO": "KHARTOUM",
    "KINGST": "KINGSTON", "KINSHA": "KINSHASA", "KUALAL": "KUALALUMPUR", "LENING": "LENINGRAD",
    "LIBREV": "LIBREVILLE", "LILONG": "LILONGWE", "LUXEMB": "LUXEMBOURG", "MANAGU": "MANAGUA",
    "MARSEI": "MARSEILLE", "MATAMO": "MATAMOROS", "MELBOU": "MELBOURNE", "MOGADI": "MOGADISCIO",
    "MONROV": "MONROVIA", "MONTER": "MONTERREY", "MONTEV": "MONTEVIDEO", "MONTRE": "MONTREAL",
    "NAIROB": "NAIROBI", "NDJAME": "NDJAMENA", "NICOSI": "NICOSIA", "NOUAKC": "NOUAKCHOTT",
    "OUAGAD": "OUAGADOUGOU", "PARAMA": "PARAMARIBO", "PESHAW": "PESHAWAR", "PHNOMP": "PHNOMPENH",
    "PORTAU": "PORTAUPRINCE", "PORTLO": "PORTLOUIS", "PORTOF": "PORTOFSPAIN", "PRETOR": "PRETORIA",
    "RANGOO": "RANGOON", "REYKJA": "REYKJAVIK", "RIODEJ": "RIODEJANEIRO", "SALISB": "SALISBURY",
    "SANJOS": "SANJOSE", "SANSAL": "SANSALVADOR", "SANTIA": "SANTIAGO", "SANTOD": "SANTODOMINGO",
    "SAOPAU": "SAOPAULO", "SAPPOR": "SAPPORO", "SINGAP": "SINGAPORE", "STOCKH": "STOCKHOLM",
    "STRASB": "STRASBOURG", "STUTTG": "STUTTGART", "TEGUCI": "TEGUCIGALPA", "THEHAG": "THEHAGUE",
    "THESSA": "THESSALONIKI", "TORONT": "TORONTO", "TRIPOL": "TRIPOLI", "VALLET": "VALLETTA",
    "VANCOU": "VANCOUVER", "VIENTI": "VIENTIANE", "WELLIN": "WELLINGTON", "YAOUND": "YAOUNDE",
}  # fmt: skip


def looks_like(text: str) -> bool:
    """True for an annotated CFPF body: the ``@@@`` separator, or several ``[[TEXT || n]]`` mentions."""
    return _SEPARATOR.search(text) is not None or len(_MENTION.findall(text[:20000])) >= 3


def read(name: str, raw: bytes) -> Document:
    """One CFPF body as a ``Document`` whose publisher id comes from the file name."""
    aad = _AAD_ID.search(PurePath(name).stem.upper())
    if aad is None:
        raise InputError(
            "a CFPF body names its telegram only in the file name (1976STATE012708.txt); this one does not"
        )
    text, damaged = strip_annotations(normalize_newlines(decode_text(raw)))
    if not text.strip():
        raise InputError("empty CFPF body: only the entity list")
    station = AAD_STATIONS.get(aad["station"], aad["station"])
    reference_id = canonical_id(station, aad["serial"], int(aad["year"]))
    metadata = PublisherMetadata(reference_id=reference_id, apparatus={"aad_message_record_number": aad[0]})
    warnings = (f"annotation markup damaged in the source: {damaged} mentions unwrapped by a looser reading",)
    return Document(
        name=name,
        location=None,
        format=FORMAT,
        raw=raw,
        text=text,
        metadata=metadata,
        warnings=warnings if damaged else (),
    )


def strip_annotations(text: str) -> tuple[str, int]:
    """The body without the entity list, the ``@@@`` line and the ``[[TEXT || n]]`` wrapping, and
    how many damaged mentions were unwrapped."""
    separator = _SEPARATOR.search(text)
    if separator:
        text = text[separator.end() :]
    else:
        lines = text.split("\n")
        while lines and (not lines[0].strip() or _ENTITY_LINE.match(lines[0])):
            lines.pop(0)
        text = "\n".join(lines)
    while True:
        unwrapped = _MENTION.sub(r"\1", text)
        if unwrapped == text:
            break
        text = unwrapped
    text, damaged = _DAMAGED_MENTION.subn(lambda match: match[1] or "", text)
    return text.strip("\n"), damaged
