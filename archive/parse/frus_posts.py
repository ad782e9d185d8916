"""FRUS post names → telegram stations: ``Embassy in the Soviet Union`` → ``AMEMBASSY MOSCOW``.

FRUS headings name posts by country (``Embassy in Vietnam``, ``Legation in Hungary``), by
city (``Consulate General at Munich``) or by what they are (``the Department of State``,
``Mission at the United Nations``); source notes list the other addressees by city
(``Repeated to Moscow and Paris``). A ``Post`` is one of them as the telegram system names it:
its station (the part of a cable id: ``MOSCOW``, ``STATE``, ``USUN NEW YORK``), its address
(``AMEMBASSY MOSCOW``) and the library's origin name (``Embassy Moscow``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from archive.parse.origins import CONSULATE_STATIONS, origin_from_fm, title_case

DEPARTMENT = "SECSTATE WASHDC"
# The address prefix of each kind of post.
_PREFIXES = {
    "embassy": "AMEMBASSY",
    "legation": "AMLEGATION",
    "consulate": "AMCONSUL",
    "mission": "USMISSION",
    "interests": "USINT",
    "liaison": "USLO",
}
_POST_WORDS = re.compile(
    r"^(?:the\s+)?(?:(?:U\.?S\.?|United States|American)\s+)?"
    r"(?P<kind>Embass(?:y|ies)(?:\s+Office)?|Legations?|Consulates?(?:\s+General)?|Missions?|"
    r"Interests\s+Section|Liaison\s+Office|Delegations?|Office)"
    r"(?:\s+(?:in|at|to)\s+(?P<where>.+))?$",
    re.IGNORECASE,
)
# "All Diplomatic and Consular Posts", "all NATO capitals": one collective addressee.
_COLLECTIVE = re.compile(r"^(?:the\s+)?All\b", re.IGNORECASE)
# Where a list of addressees ends: "to Athens for Secretary Rusk who …", "to the Department as telegram 981, which …".
_LIST_END = re.compile(r",?\s+(?:for|as|which|who|with|by|in\s+telegram|under|except)\b")
# A chief of mission named for the post: "the Ambassador to Vietnam (Bunker)", "the Chargé in the Soviet Union".
_ENVOY = re.compile(
    r"^(?:the\s+)?(?:U\.?S\.?\s+|American\s+)?(?P<title>Ambassador|Charg[ée](?:\s+d[’']Affaires)?|Minister|Consul\s+General|Consul)"
    r"\s+(?:to|in|at)\s+(?P<where>[^(]+?)\s*(?:\(.*\))?$",
    re.IGNORECASE,
)
_DEPARTMENT = re.compile(
    r"^(?:the\s+)?(?:Department(?:\s+of\s+State)?|(?:Acting\s+)?Secretary\s+of\s+State\b.*|Secstate)$", re.IGNORECASE
)
# Organisations with a mission of their own, by a word of their name.
_ORGANISATIONS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"United Nations|\bUN\b|\bUSUN\b", re.I), "USUN NEW YORK", "USMISSION USUN NEW YORK"),
    (re.compile(r"\bNATO\b|North Atlantic|\bUSNATO\b", re.I), "USNATO", "USMISSION USNATO"),
    (re.compile(r"European Communit|\bUSEU\b", re.I), "USEU BRUSSELS", "USEU BRUSSELS"),
    (re.compile(r"Organization of American States|\bOAS\b", re.I), "USOAS", "USMISSION USOAS"),
)

# Capitals of the countries FRUS names posts by; where the post moved, (first year, city) pairs.
_CAPITALS: dict[str, str | tuple[tuple[int, str], ...]] = {
    "afghanistan": "KABUL", "albania": "TIRANA", "algeria": "ALGIERS", "angola": "LUANDA",
    "argentina": "BUENOS AIRES", "australia": "CANBERRA", "austria": "VIENNA", "bahamas": "NASSAU",
    "bahrain": "MANAMA", "bangladesh": ((0, "DACCA"), (1983, "DHAKA")), "barbados": "BRIDGETOWN",
    "belgium": "BRUSSELS", "bolivia": "LA PAZ", "botswana": "GABORONE",
    "brazil": ((0, "RIO DE JANEIRO"), (1971, "BRASILIA")), "bulgaria": "SOFIA", "burma": "RANGOON",
    "burundi": "BUJUMBURA", "cambodia": "PHNOM PENH", "khmer republic": "PHNOM PENH", "cameroon": "YAOUNDE",
    "canada": "OTTAWA", "central african republic": "BANGUI", "ceylon": "COLOMBO", "sri lanka": "COLOMBO",
    "chad": ((0, "FORT LAMY"), (1973, "NDJAMENA")), "chile": "SANTIAGO",
    "china": ((0, "TAIPEI"), (1979, "BEIJING")), "republic of china": "TAIPEI",
    "people's republic of china": "BEIJING", "colombia": "BOGOTA", "costa rica": "SAN JOSE",
    "congo": ((0, "LEOPOLDVILLE"), (1966, "KINSHASA")), "congo (leopoldville)": "LEOPOLDVILLE",
    "congo (brazzaville)": "BRAZZAVILLE", "zaire": "KINSHASA", "cuba": "HAVANA", "cyprus": "NICOSIA",
    "czechoslovakia": "PRAGUE", "dahomey": "COTONOU", "benin": "COTONOU", "denmark": "COPENHAGEN",
    "dominican republic": ((0, "CIUDAD TRUJILLO"), (1961, "SANTO DOMINGO")), "ecuador": "QUITO",
    "egypt": "CAIRO", "united arab republic": "CAIRO", "el salvador": "SAN SALVADOR", "ethiopia": "ADDIS ABABA",
    "finland": "HELSINKI", "france": "PARIS", "gabon": "LIBREVILLE", "gambia": "BANJUL",
    "germany": "BONN", "federal republic of germany": "BONN", "german democratic republic": "BERLIN",
    "ghana": "ACCRA", "greece": "ATHENS", "guatemala": "GUATEMALA", "guinea": "CONAKRY", "guyana": "GEORGETOWN",
    "haiti": "PORT AU PRINCE", "honduras": "TEGUCIGALPA", "hungary": "BUDAPEST", "iceland": "REYKJAVIK",
    "india": "NEW DELHI", "indonesia": ((0, "DJAKARTA"), (1973, "JAKARTA")), "iran": "TEHRAN", "iraq": "BAGHDAD",
    "ireland": "DUBLIN", "israel": "TEL AVIV", "italy": "ROME", "ivory coast": "ABIDJAN", "jamaica": "KINGSTON",
    "japan": "TOKYO", "jordan": "AMMAN", "kenya": "NAIROBI", "korea": "SEOUL", "republic of korea": "SEOUL",
    "kuwait": "KUWAIT", "laos": "VIENTIANE", "lebanon": "BEIRUT", "lesotho": "MASERU", "liberia": "MONROVIA",
    "libya": "TRIPOLI", "luxembourg": "LUXEMBOURG", "malagasy republic": "TANANARIVE", "madagascar": "TANANARIVE",
    "malawi": "ZOMBA", "malaysia": "KUALA LUMPUR", "mali": "BAMAKO", "malta": "VALLETTA",
    "mauritania": "NOUAKCHOTT", "mauritius": "PORT LOUIS", "mexico": "MEXICO", "mongolia": "ULAANBAATAR",
    "morocco": "RABAT", "mozambique": "MAPUTO", "nepal": "KATHMANDU", "netherlands": "THE HAGUE",
    "new zealand": "WELLINGTON", "nicaragua": "MANAGUA", "niger": "NIAMEY", "nigeria": "LAGOS", "norway": "OSLO",
    "oman": "MUSCAT", "pakistan": ((0, "KARACHI"), (1966, "RAWALPINDI"), (1973, "ISLAMABAD")), "panama": "PANAMA",
    "paraguay": "ASUNCION", "peru": "LIMA", "philippines": "MANILA", "poland": "WARSAW", "portugal": "LISBON",
    "qatar": "DOHA", "romania": "BUCHAREST", "rumania": "BUCHAREST", "rwanda": "KIGALI",
    "saudi arabia": ((0, "JIDDA"), (1985, "RIYADH")), "senegal": "DAKAR", "sierra leone": "FREETOWN",
    "singapore": "SINGAPORE", "somalia": "MOGADISCIO", "somali republic": "MOGADISCIO",
    "south africa": "PRETORIA", "union of south africa": "PRETORIA", "soviet union": "MOSCOW", "ussr": "MOSCOW",
    "russia": "MOSCOW", "spain": "MADRID", "sudan": "KHARTOUM", "sweden": "STOCKHOLM", "switzerland": "BERN",
    "syria": "DAMASCUS", "syrian arab republic": "DAMASCUS", "tanganyika": "DAR ES SALAAM",
    "tanzania": "DAR ES SALAAM", "thailand": "BANGKOK", "togo": "LOME", "trinidad and tobago": "PORT OF SPAIN",
    "tunisia": "TUNIS", "turkey": "ANKARA", "uganda": "KAMPALA", "ukraine": "KIEV", "united kingdom": "LONDON",
    "great britain": "LONDON", "upper volta": "OUAGADOUGOU", "uruguay": "MONTEVIDEO", "vatican": "VATICAN",
    "holy see": "VATICAN", "venezuela": "CARACAS", "vietnam": ((0, "SAIGON"), (1976, "HANOI")),
    "viet-nam": "SAIGON", "republic of vietnam": "SAIGON", "south vietnam": "SAIGON", "yemen": "TAIZ",
    "yugoslavia": "BELGRADE", "zambia": "LUSAKA", "zimbabwe": "HARARE",
}  # fmt: skip
_CITIES = (
    frozenset(
        name
        for value in _CAPITALS.values()
        for name in ([value] if isinstance(value, str) else [city for _, city in value])
    )
    | CONSULATE_STATIONS
)


@dataclass(frozen=True, slots=True)
class Post:
    """A sending or receiving post as the telegram system names it."""

    kind: str  # embassy, legation, consulate, mission, department, delegation, other
    station: str | None  # as in cable ids: "MOSCOW", "STATE", "USUN NEW YORK"; None for collectives
    address: str  # "AMEMBASSY MOSCOW", "SECSTATE WASHDC", "ALL DIPLOMATIC MISSIONS"
    needs_place: bool = False  # named by country or kind only: the dateline's place is more exact
    printed: str | None = None  # a sender that is no post, as printed: "Commander in Chief, Pacific (Sharp)"

    @property
    def origin(self) -> str:
        """The library's name: ``Embassy Moscow``, ``Secretary of State``, ``Legation Budapest``."""
        if self.kind == "other" and self.printed:
            return self.printed
        if self.kind == "legation" and self.station:
            return f"Legation {title_case(self.station)}"
        return origin_from_fm(self.address) or self.address

    def at(self, place: str) -> Post:
        """The same post, placed at the dateline's city (``Washington`` is the Department)."""
        city = " ".join(place.upper().replace(".", "").split())
        if self.kind == "other":  # a commander, a person: the place gives the id's station only
            # From Washington a numbered telegram went through the Department's channel.
            return Post(self.kind, "STATE" if city == "WASHINGTON" else city, self.address, printed=self.printed)
        if city == "WASHINGTON":
            return department()
        return Post(self.kind, city, _address(self.kind, city))


def department() -> Post:
    return Post("department", "STATE", DEPARTMENT)


def sender_post(phrase: str, year: int | None) -> Post | None:
    """The post that sent a telegram, from the heading's ``From …`` phrase."""
    post = _named_post(phrase, year)
    if post is None:
        return None
    if post.kind in ("delegation", "other") or ("Secretary of State" in phrase and post.kind == "department"):
        # A delegation, the Secretary travelling, a person: the dateline's place says where from.
        return dataclasses.replace(post, needs_place=True)
    return post


def addressee_posts(phrase: str, year: int | None) -> list[Post]:
    """The posts a heading's ``to …`` phrase names: ``the Embassies in France and Italy`` is two."""
    phrase = phrase.strip().rstrip(".")
    if _COLLECTIVE.match(phrase):
        return [Post("collective", None, phrase.upper())]
    plural = re.match(
        r"^(?:the\s+)?(?P<kind>Embassies|Legations|Consulates(?:\s+General)?|Missions)\s+(?:in|at|to)\s+(?P<rest>.+)$",
        phrase,
        re.I,
    )
    if plural:
        singular = {"embassies": "Embassy", "legations": "Legation", "missions": "Mission"}.get(
            plural["kind"].lower(), "Consulate"
        )
        parts = [f"{singular} in {place}" for place in _list_items(plural["rest"])]
    else:
        parts = re.split(r",?\s+and\s+(?=(?:the\s+)?[A-Z])|,\s+(?=the\s+[A-Z])", phrase)
    posts = [_named_post(part, year, bare_cities=False) for part in parts]
    return [post for post in posts if post is not None]


def repeated_posts(listed: str, year: int | None) -> list[Post]:
    """The posts of a source note's ``Repeated to …`` list: ``London, Paris, and Bonn, and to Athens for …``."""
    posts = []
    listed = _LIST_END.split(listed, maxsplit=1)[0]
    if _COLLECTIVE.match(listed.strip()):
        return [Post("collective", None, listed.strip().upper())]
    for item in _list_items(listed):
        post = _named_post(item, year)
        if post is not None:
            posts.append(post)
    return posts


def _list_items(text: str) -> list[str]:
    items = re.split(r",\s*(?:and\s+)?(?:to\s+)?|\s+and\s+(?:to\s+)?", text.strip().rstrip("."))
    return [item.strip() for item in items if item.strip()]


def _named_post(phrase: str, year: int | None, bare_cities: bool = True) -> Post | None:
    """The post a phrase names; ``bare_cities``: a capitalised name is a city (``Repeated to Moscow``)."""
    text = " ".join(phrase.replace("’", "'").split()).strip(" ,.;")
    if not text:
        return None
    if _DEPARTMENT.match(text):
        return department()
    for pattern, station, address in _ORGANISATIONS:
        if pattern.search(text):
            return Post("mission", station, address)
    envoy = _ENVOY.match(text)
    if envoy:  # "the Ambassador to Vietnam (Bunker)": the embassy
        kind = "consulate" if envoy["title"].lower().startswith("consul") else "embassy"
        return _post_of_kind(kind, envoy["where"], year)
    words = _POST_WORDS.match(text)
    if words:
        return _post_of_kind(words["kind"], words["where"], year)
    if text.upper() in _CITIES or (bare_cities and re.fullmatch(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}", text)):
        return _city_post(text)
    printed = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return Post("other", None, printed.upper(), printed=printed)


def _post_of_kind(kind_words: str, where: str | None, year: int | None) -> Post:
    kind_words = kind_words.lower()
    kind = next(
        (
            k
            for k in ("embass", "legation", "consulate", "mission", "interests", "liaison", "delegation")
            if kind_words.startswith(k)
        ),
        "other",
    )
    kind = {"embass": "embassy"}.get(kind, kind)
    if where is None:
        return Post(kind, None, kind_words.upper(), needs_place=True)
    place = re.sub(r"^the\s+", "", where.strip(), flags=re.I)
    city = _capital(place, year)
    if city is None and kind in ("embassy", "legation"):
        # "Embassy in Paris" happens too; otherwise keep the country as printed.
        city = place.upper() if place.upper() in _CITIES else None
    if city is None:
        city = place.upper()
        return Post(kind, city, _address(kind, city), needs_place=True)
    return Post(kind, city, _address(kind, city), needs_place=kind in ("embassy", "legation"))


def _address(kind: str, city: str) -> str:
    """The telegram address of a post of ``kind`` at ``city``: ``AMEMBASSY MOSCOW``, ``USMISSION GENEVA``."""
    prefix = _PREFIXES.get(kind)
    return f"{prefix} {city}" if prefix else city


def _capital(country: str, year: int | None) -> str | None:
    capital = _CAPITALS.get(country.lower().strip())
    if capital is None or isinstance(capital, str):
        return capital
    chosen = capital[0][1]
    for since, city in capital:
        if year is None or year >= since:
            chosen = city
    return chosen


def _city_post(city: str) -> Post:
    name = city.upper()
    if name in CONSULATE_STATIONS:
        return Post("consulate", name, f"AMCONSUL {name}")
    return Post("embassy", name, f"AMEMBASSY {name}")
