"""TAGS codes: reading a TAGS block and telling the kind of each code.

Two letters name a country (``KV``), four letters a subject (``PREL``), ``K…`` a program
(``KPKO``); organisations (``NATO``, ``ZANU-PF``) are named by their acronym, and people by
name in brackets (``(CLINTON, HILLARY)``).
"""

from __future__ import annotations

import functools
import re

from archive.cable import Tag

# Organisation and party tags of the TAGS system (acronyms that are neither countries nor
# four-letter subject codes of the P/E/M/S/O/A/C/T/K families).
ORGANISATION_WORDS = """
    NATO OSCE EUN UNSC UNGA UNHRC UNHCR UNESCO UNICEF UNDP UNEP UNODC UNAMA UNAMI UNMIK UNIFIL UNMIS
    UNAMID UNMIT UNMIL UNOCI MONUC MINUSTAH UNFICYP UNDOF UNTSO UNRWA UNCHR UNCND IAEA OPEC OAS
    ASEAN APEC WTO WHO ICRC ICJ ICC ICTY ICTR IMF IBRD IDB ADB AFDB EBRD OECD G8 G20 G7 ECOWAS SADC
    MERCOSUR CARICOM GCC SCO CSTO CIS NAM OIC OPCW INTERPOL IOM ILO FAO WFP ISAF KFOR SFOR EUFOR
    IGAD PIF SAARC ARF ANDEAN CAN SICA ALBA UNASUR CELAC BRIC EFTA COE PACE NAFTA CAFTA FTAA HAMAS
    HIZBALLAH FARC ELN AUC ETA PKK LTTE PLO ZANU-PF MDC ANC FMLN SPLM NPT CTBT CWC BWC MTCR NSG PSI
    WIPO ITU ICAO IMO UPU UNIDO IFAD WMO UNWTO CERN ESA
"""
ORGANISATIONS: frozenset[str] = frozenset(ORGANISATION_WORDS.split())
# Common subject and program codes of the TAGS system; codes printed without a space between
# them (``EINDETRD``, ``ITPHUM``) are split only into codes named here (or countries), so that
# ordinary words typed on a TAGS line (``POLITICS``, ``BRUSSELS``) stay whole.
SUBJECT_CODE_WORDS = """
    PREL PGOV PHUM PTER PINR PINS PARM PREF PBTS POL PMIL PHSA POGOV PROP PTERM PGOVT PECON
    MARR MOPS MASS MNUC MCAP MTCR MPOS ECON EFIN ETRD EINV EAID ENRG EPET ELAB EAGR ECPS EIND EAIR
    EWWT ETTC EMIN EFIS ELTN ECIN EUN SENV SOCI SCUL SMIG SNAR SHUM SCRM SENVKGHG TBIO TSPL TRGY
    TNGD TSPA TINT TPHY KNNP KCRM KCOR KDEM KJUS KTIP KWMN KIPR KPKO KTFN KFRD KOLY KSUM KSPR KISL
    KPAL KHIV KGHG KMDR KPAO KHLS KFLU KAWC KCIP KSCA KMCA KRVC KGIC KRAD KSTC KVPR KFLO KHDP
    KTDB KPRP KMPI KBCT KUNR KNAR KCFE KACT KSEP KPOW KRIM KGHA KBIO KCRS KDRG KMIG KSAF KTEX
    KWBG KZOR KHUM KPLS KIRF KLIG KOMC KNEI KREC KRFD KTER KWWW KLFU KPIR KVIR KWAC
    OVIP OREP OTRA OEXC OIIP OPRC OPDC OFDP OSCI OAIS CVIS CASC CMGT CJUS CPAS AMGT ASEC APER
    ABUD AFIN AEMR AORC ACOA ADCO AFSI AFSN ASCH ASIG
"""
SUBJECT_CODES: frozenset[str] = frozenset(SUBJECT_CODE_WORDS.split())
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SUBJECT = re.compile(r"^[A-Z]{4}$")
_PERSON = re.compile(r"^\(?[^()]+,[^()]+\)?$")
# One code in a TAGS list: a bracketed name, or a run of letters, digits and hyphens.
# A code, or a free-text word as some posts typed them ("WOMEN'S", "BA'ATH", "INDIA_IRAN", "UNGA/C-5").
_TOKEN = re.compile(r"\([^()]*\)?|[A-Za-z0-9](?:[A-Za-z0-9-]|['_/](?=[A-Za-z0-9]))*")


def tag_kind(code: str) -> str:
    """The kind of a TAGS code: country, subject, program, organisation, person or other."""
    if "," in code or code.startswith("("):
        return "person" if _PERSON.match(code) else "other"
    if code in ORGANISATIONS:
        return "organisation"
    if _COUNTRY.match(code):
        return "country"
    if _SUBJECT.match(code):
        return "program" if code.startswith("K") else "subject"
    return "other"


def is_tag_token(token: str) -> bool:
    """Could ``token`` (upper case) be one TAGS code on a continuation line?"""
    return token in ORGANISATIONS or bool(_COUNTRY.match(token)) or bool(_SUBJECT.match(token)) or token.startswith("(")


def looks_like_tags(line: str) -> bool:
    """Is ``line`` a continuation of a TAGS list (only codes, commas and person tags)?"""
    tokens = _TOKEN.findall(line.strip().upper())
    return bool(tokens) and all(is_tag_token(token) for token in tokens)


def parse_tags(text: str) -> tuple[tuple[Tag, ...], tuple[str, ...]]:
    """The tags of a TAGS block (the text after ``TAGS``) and warnings about odd codes."""
    warnings: list[str] = []
    codes: list[str] = []
    for token in _TOKEN.findall(text):
        if token.startswith("("):
            name = re.sub(r"\s+", " ", token.strip("() ")).upper()
            if name:
                codes.append(name)
            continue
        code = token.upper().strip("-")
        if not code:
            continue
        codes.extend(_unglue(code, warnings))
    tags = tuple(map(_tag, dict.fromkeys(codes)))
    for tag in tags:
        if tag.kind == "other":
            warnings.append(f"unusual TAGS code {tag.code!r}")
    return tags, tuple(warnings)


@functools.lru_cache(maxsize=4096)  # a few thousand codes, met again and again: one (frozen) Tag each
def _tag(code: str) -> Tag:
    return Tag(code=code, kind=tag_kind(code))


def _unglue(code: str, warnings: list[str]) -> list[str]:
    """Split codes printed without a space: ``EINDETRD`` → EIND ETRD, ``ITPHUM`` → IT PHUM."""
    if code in ORGANISATIONS or code in SUBJECT_CODES or not code.isalpha() or len(code) not in (6, 8):
        return [code]
    for parts in ((code[:4], code[4:]), (code[:2], code[2:])):
        if all(part in SUBJECT_CODES or (len(part) == 2 and part not in ("EN",)) for part in parts) and any(
            part in SUBJECT_CODES for part in parts
        ):
            warnings.append(f"TAGS code {code!r} read as {' '.join(parts)}")
            return list(parts)
    return [code]
