"""What every source needs: bytes to text, line ends, binary detection, publisher timestamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from archive.cable import InputError, PublisherMetadata

BOM = b"\xef\xbb\xbf"
UNRELATED_TEXT = "unrelated text: no telegram lines (date-time group, FM/TO, TAGS, SUBJECT, classification) found"
# The publisher's metadata labels (cablegate table columns, web-page text labels), lower case.
METADATA_LABELS = {
    "identifier": "reference_id",
    "reference id": "reference_id",
    "created": "created",
    "released": "released",
    "classification": "classification",
    "origin": "origin",
}
# Control characters that never occur in text (tab, line feed, form feed, carriage return do).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def looks_binary(head: bytes) -> bool:
    """True when ``head`` (the first few KB of an input) is binary data rather than text."""
    if b"\x00" in head:
        return True
    return len(_CONTROL.findall(head)) > max(8, len(head) // 100)


def decode_text(raw: bytes) -> str:
    """The text of ``raw``: UTF-8 (with or without BOM), else Windows-1252.

    Cables saved from the Cablegate dump as ISO-8859-1 text (``¶`` as byte B6) are common;
    Windows-1252 reads them and also the curly quotes some converters produce.
    """
    raw = raw.removeprefix(BOM)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(f"undecodable: not UTF-8 (byte {utf8_error.start}) nor Windows-1252 text") from None


def normalize_newlines(text: str) -> str:
    """Line ends as ``\\n`` (CRLF and lone CR converted)."""
    if "\r" not in text:  # a one-character scan; replacing a two-character pattern scans slowly even when absent
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def join_telegram(header: str, body: str) -> str:
    """Routing header and body as one telegram text, separated by a blank line (either may be empty)."""
    return "\n\n".join(part for part in (header, body) if part)


def labelled_metadata(fields: dict[str, str], subject: str | None, tags: tuple[str, ...]) -> PublisherMetadata:
    """Publisher metadata from ``METADATA_LABELS`` fields (timestamps as printed), a subject and TAGS."""
    return PublisherMetadata(
        reference_id=fields.get("reference_id"),
        created=parse_timestamp(fields.get("created")),
        released=parse_timestamp(fields.get("released")),
        classification=fields.get("classification"),
        origin=fields.get("origin"),
        subject=subject,
        tags=tags,
    )


def parse_timestamp(value: str | None) -> datetime | None:
    """A publisher's ``2009-05-23 00:19[:00]`` or ``2009-05-23`` as a UTC datetime; None if unreadable."""
    if not value:
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None
