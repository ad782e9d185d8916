"""FRUS TEI XML: a whole volume of the *Foreign Relations of the United States*, or documents cut from one.

The Office of the Historian's masters are TEI P5: each document is a ``<div type="document">``
with a ``<head>`` (``113. Telegram From the <gloss type="from">Department of State</gloss> to …``
and the source footnote), a ``<dateline>``, paragraphs, lists and quotes, a ``<closer>`` with the
signer, and inline ``<note>`` footnotes and ``<pb/>`` page breaks (which may split a word).

A volume is split at its document divs; each one's exact bytes are its ``raw``. A file holding
document divs without the volume's root (a fragment) gets its namespaces from a root file
beside it (``frus1955-57v25-root.xml``: the ``<TEI …>`` start tag, where ``frus:`` is bound),
else from the standard TEI/FRUS namespaces. Telegrams become Documents whose text is the
document in the text edition's layout (:func:`archive.parse.frus.edition_text`), notes and
page breaks lifted out of the paragraphs; other documents (memoranda, editorial notes) are
``Skipped``, never errors.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from archive.cable import Document, PublisherMetadata, Rejection, Skipped
from archive.parse.frus import document_kind, edition_text, heading_title, is_telegram_title, volume_in_name
from archive.sources.common import BOM

FORMAT = "frus-tei"
TEI = "http://www.tei-c.org/ns/1.0"
FRUS = "http://history.state.gov/frus/ns/1.0"
_DEFAULT_ROOT = (
    b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" '
    b'xmlns:xi="http://www.w3.org/2001/XInclude">'
)
_ROOT_TAG = re.compile(rb"<TEI\b[^>]*>")
_FRUS_ROOT = re.compile(rb"<TEI\b[^>]*(?:tei-c\.org|history\.state\.gov)", re.S)
_FRAGMENT_START = re.compile(
    rb"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<div\b[^>]*\btype\s*=\s*[\"']document[\"']", re.S
)
_DIV_TAG = re.compile(rb"<div\b(?P<attributes>[^>]*)>|</div\s*>")
_DOCUMENT_TYPE = re.compile(rb"\btype\s*=\s*[\"']document[\"']")
_VOLUME_ID = re.compile(rb"\bxml:id\s*=\s*[\"'](?P<id>[^\"']+)[\"']")
_ROOT_HEAD_SIZE = 8192

# Elements whose content is a paragraph (or several) of its own, not running text.
_BLOCKS = frozenset(
    {
        "p",
        "list",
        "item",
        "table",
        "row",
        "div",
        "lg",
        "l",
        "ab",
        "attachment",
        "postscript",
        "salute",
        "trailer",
        "figure",
        "head",
        "opener",
        "closer",
        "dateline",
        "signed",
    }
)
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True, load_dtd=False
)


def looks_like(head: bytes) -> bool:
    """True for a FRUS TEI volume, its root alone, or document divs cut from one."""
    if b"<TEI" not in head and b"<div" not in head:
        return False
    return bool(_FRUS_ROOT.search(head[:_ROOT_HEAD_SIZE]) or _FRAGMENT_START.match(head.removeprefix(BOM)))


def read(name: str, raw: bytes) -> Iterator[Document | Skipped | Rejection]:
    """Every telegram of a volume (or fragment file) as a Document; other documents as Skipped."""
    root_tag = _ROOT_TAG.search(raw[:_ROOT_HEAD_SIZE])
    start = root_tag.group() if root_tag else _root_beside(name)
    volume = _volume_id(start, name)
    spans = list(_document_spans(raw))
    if not spans:
        yield Skipped(
            name, None, FORMAT, raw, "a TEI volume root without documents (it binds the namespaces of fragments)"
        )
        return
    whole = len(spans) == 1 and not root_tag
    for begin, end, number in spans:
        fragment = raw[begin:end]
        location = None if whole else f"document {number or len(spans)}"
        yield _read_document(name, location, raw if whole else fragment, fragment, start, volume)


def _read_document(
    name: str, location: str | None, raw: bytes, fragment: bytes, root_start: bytes, volume: str | None
) -> Document | Skipped | Rejection:
    try:
        tree = etree.fromstring(root_start + fragment + b"</TEI>", _PARSER)
    except etree.XMLSyntaxError as error:
        return Rejection(name, location, FORMAT, raw, f"not well-formed XML: {error.msg}")
    div = tree[0]
    head = div.find(f"{{{TEI}}}head")
    heading = _inline(head) if head is not None else ""
    number, title = heading_title(heading)
    if not is_telegram_title(title):
        return Skipped(name, location, FORMAT, raw, f"not a telegram: {document_kind(title)}")
    date = div.find(f".//{{{TEI}}}dateline//{{{TEI}}}date")
    when = (date.get("when") if date is not None else None) or div.get(f"{{{FRUS}}}doc-dateTime-min")
    apparatus = {"volume": volume, "document": div.get("n") or number, "when": when}
    text = _edition(div, heading)
    metadata = PublisherMetadata(apparatus={key: value for key, value in apparatus.items() if value})
    return Document(name=name, location=location, format=FORMAT, raw=raw, text=text, metadata=metadata)


def _edition(div: etree._Element, heading: str) -> str:
    """The document in the text edition's layout: paragraphs without notes and page breaks."""
    dateline: str | None = None
    paragraphs: list[str] = []
    signers: list[str] = []
    for child in div:
        tag = _local(child)
        if tag in ("head", "note", "pb"):
            continue
        found = child.find(f".//{{{TEI}}}dateline") if tag == "opener" else child if tag == "dateline" else None
        if found is not None and dateline is None:
            dateline = _inline(found)
            if tag == "opener":
                paragraphs += [block for c in child if _local(c) != "dateline" for block in _blocks(c)]
            continue
        if tag == "closer":
            names = [_inline(signed) for signed in child.iter(f"{{{TEI}}}signed")]
            signers += [signed for signed in names if signed] or [_inline(child)]
            continue
        paragraphs += _blocks(child)
    source = next((_inline(note) for note in div.iter(f"{{{TEI}}}note") if note.get("type") == "source"), None)
    footnotes = [
        (note.get("n") or str(i), _inline(note))
        for i, note in enumerate(div.iter(f"{{{TEI}}}note"), start=1)
        if note.get("type") != "source"
    ]
    return edition_text(heading, dateline, [p for p in paragraphs if p], [s for s in signers if s], source, footnotes)


def _blocks(element: etree._Element) -> list[str]:
    """The paragraphs of a block element: running text, nested blocks, list items with their labels."""
    if _local(element) == "list":
        return _list_items(element)
    paragraphs: list[str] = []
    running: list[str] = [element.text or ""]
    for child in element:
        tag = _local(child)
        if tag in _BLOCKS or (tag == "quote" and _has_blocks(child)):
            paragraphs.append(_squeeze("".join(running)))
            paragraphs += _blocks(child)
            running = []
        elif tag not in ("note", "pb"):
            running.append(_inline(child, squeeze=False))
        running.append(child.tail or "")
    paragraphs.append(_squeeze("".join(running)))
    return [p for p in paragraphs if p]


def _list_items(element: etree._Element) -> list[str]:
    paragraphs: list[str] = []
    label = ""
    for child in element:
        tag = _local(child)
        if tag == "label":
            label = _inline(child)
        elif tag == "item":
            blocks = _blocks(child) or [""]
            blocks[0] = f"{label} {blocks[0]}".strip()
            paragraphs += blocks
            label = ""
        elif tag in ("head",) or tag in _BLOCKS:
            paragraphs += _blocks(child)
    return [p for p in paragraphs if p]


def _has_blocks(element: etree._Element) -> bool:
    return any(_local(child) in _BLOCKS for child in element)


def _inline(element: etree._Element, squeeze: bool = True) -> str:
    """The running text of ``element``: notes lifted out, page breaks removed (``under<pb/>stood``)."""
    parts = [element.text or ""]
    for child in element:
        tag = _local(child)
        if tag == "lb":
            parts.append(" ")
        elif tag not in ("note", "pb"):
            parts.append(_inline(child, squeeze=False))
        parts.append(child.tail or "")
    text = "".join(parts)
    return _squeeze(text) if squeeze else text


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _document_spans(raw: bytes) -> Iterator[tuple[int, int, str | None]]:
    """Start and end offsets (and ``n``) of every ``<div type="document">`` in ``raw``."""
    depth = 0
    open_document: tuple[int, int, str | None] | None = None  # start, depth, n
    for tag in _DIV_TAG.finditer(raw):
        attributes = tag["attributes"]
        if attributes is not None and attributes.rstrip().endswith(b"/"):
            continue  # <div/>
        if attributes is not None:
            depth += 1
            if open_document is None and _DOCUMENT_TYPE.search(attributes):
                number = re.search(rb"\bn\s*=\s*[\"']([^\"']*)[\"']", attributes)
                open_document = (tag.start(), depth, number[1].decode("ascii", "replace") if number else None)
            continue
        if open_document is not None and depth == open_document[1]:
            yield open_document[0], tag.end(), open_document[2]
            open_document = None
        depth -= 1


def _root_beside(name: str) -> bytes:
    """The ``<TEI …>`` start tag of the volume root beside a fragment file, or the standard one."""
    path = Path(name)
    if name == "-" or not path.parent.is_dir():
        return _DEFAULT_ROOT
    roots = _roots_in(str(path.parent.resolve()))
    if not roots:
        return _DEFAULT_ROOT
    # The root whose file name shares the longest start with the fragment's: frus1955-57v25-root.xml.
    best = max(roots, key=lambda root: len(_common_start(root[0], path.name)))
    return best[1]


@functools.lru_cache(maxsize=64)
def _roots_in(folder: str) -> tuple[tuple[str, bytes], ...]:
    roots: list[tuple[str, bytes]] = []
    for file in sorted(Path(folder).glob("*.xml")):
        try:
            with open(file, "rb") as stream:
                head = stream.read(_ROOT_HEAD_SIZE)
        except OSError:
            continue
        tag = _ROOT_TAG.search(head)
        if tag and _FRUS_ROOT.search(tag.group()):
            roots.append((file.name, tag.group()))
    return tuple(roots)


def _common_start(a: str, b: str) -> str:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return a[:length]


def _volume_id(root_start: bytes, name: str) -> str | None:
    """The volume's id (``frus1955-57v25``): the root's ``xml:id``, else the file name's start."""
    found = _VOLUME_ID.search(root_start)
    if found:
        return found["id"].decode("utf-8", "replace")
    return volume_in_name(name)
