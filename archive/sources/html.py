"""Cablegate site pages (.html): the metadata table, the ``<h3>`` subject, TAGS links and the telegram.

Every layout the site used (Dec-2010, early-2011, spring-2011 with linked TAGS, the Aug-2011
torrent; mirrors that rewrote links to relative ones) has the same skeleton:

- ``<h3>Viewing cable <ID>, <subject></h3>``;
- ``<table class='cable'>`` with a header row (Reference ID, Created, Released, Classification,
  Origin) and a row of cells whose anchor *text* is the value (the ``title=`` attribute is wrong);
- two ``<pre>`` elements, the routing header and the body. Newlines are ``&#x000A;`` entities,
  TAGS codes may be links, and paragraphs open with an anchor ``<a id='par1' href='#par1'>¶</a>``
  that the site added: it is removed, everything else of the telegram is kept as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from archive.cable import Document, InputError, PublisherMetadata
from archive.sources.common import METADATA_LABELS, decode_text, join_telegram, labelled_metadata, normalize_newlines

FORMAT = "html"

_PARSER = lxml_html.HTMLParser(encoding="utf-8")
_HTML_START = re.compile(rb"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_HTML_END = re.compile(rb"</html\s*>\s*\Z", re.I)
_VIEWING = re.compile(r"^\s*Viewing cable\s+([^\s,]+)\s*,?[ \t]*(.*?)\s*$", re.S)


@dataclass(frozen=True, slots=True)
class Page:
    """What a cablegate page holds: the two telegram parts and the publisher's metadata."""

    header: str
    body: str
    metadata: PublisherMetadata

    @property
    def text(self) -> str:
        """Header and body separated by a blank line, as one telegram text."""
        return join_telegram(self.header, self.body)


def looks_like(head: bytes) -> bool:
    """True when ``head`` starts like an HTML document."""
    return _HTML_START.match(head) is not None


def read(name: str, raw: bytes) -> Document:
    """One cablegate page as a ``Document``; raises ``InputError`` when it is not one."""
    page = parse_page(raw)
    return Document(name=name, location=None, format=FORMAT, raw=raw, text=page.text, metadata=page.metadata)


def parse_page(raw: bytes, paragraph_signs: bool = False) -> Page:
    """Split a cablegate page into header, body and metadata.

    With ``paragraph_signs`` the site's paragraph anchors are kept as the ``¶`` sign they show
    (which is how the bulk dump and the .txt exports print them) instead of being removed.
    """
    if not _HTML_END.search(raw[-512:]):
        raise InputError("truncated HTML: the page ends before </html>")
    text = decode_text(raw)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"unreadable HTML: {error}") from None
    tables = root.xpath("//table[@class='cable']")
    if not tables:
        raise InputError("not a cablegate cable page: no <table class='cable'> with the cable's metadata")
    pres = root.xpath("//pre")
    if not pres:
        raise InputError("no telegram text: the page has no <pre> block")
    fields = _table_fields(tables[0])
    reference_id, subject = _viewing_heading(root)
    body_pre = pres[-1]
    tags = tuple(
        anchor.text_content().strip()
        for anchor in body_pre.xpath(".//a[contains(@href, 'tag/')]")
        if anchor.text_content().strip()
    )
    if reference_id and not fields.get("reference_id"):
        fields["reference_id"] = reference_id
    metadata = labelled_metadata(fields, subject, tags)
    parts = [_pre_text(pre, paragraph_signs) for pre in pres[-2:]]
    header, body = ("", parts[0]) if len(parts) == 1 else parts
    return Page(header=header, body=body, metadata=metadata)


def _pre_text(pre: lxml_html.HtmlElement, paragraph_signs: bool) -> str:
    """The text of a ``<pre>``, its paragraph anchors shown as ``¶`` or removed.

    The tree is only ever given empty text: lxml refuses to store a string holding a control
    character (U+0001, U+FFFE, ...) that its parser let through, so moving an anchor's tail
    (what ``drop_tree`` does) would fail on a page with one right after an anchor.
    """
    if not paragraph_signs:
        for anchor in pre.xpath(".//a[starts-with(@id, 'par')]"):
            if anchor.text_content().strip() == "¶":
                _clear_text(anchor)  # keeps the text after the anchor (its tail)
    return normalize_newlines(pre.text_content())


def _clear_text(element: lxml_html.HtmlElement) -> None:
    """Remove the text inside ``element`` (its own and its descendants'), keeping its tail."""
    for node in element.iter():
        node.text = None
        if node is not element:
            node.tail = None


def _table_fields(table: lxml_html.HtmlElement) -> dict[str, str]:
    """Column name → value of the metadata table, by the header row's names (order-proof)."""
    rows = table.xpath("./tr | ./tbody/tr | ./thead/tr")
    if len(rows) < 2:
        return {}
    names = [METADATA_LABELS.get(cell.text_content().strip().lower()) for cell in rows[0].xpath("./th | ./td")]
    fields: dict[str, str] = {}
    for key, cell in zip(names, rows[1].xpath("./td"), strict=False):
        if key is None:
            continue
        anchors = cell.xpath(".//a")
        value = (anchors[0] if anchors else cell).text_content().strip()
        if value:
            fields[key] = value
    return fields


def _viewing_heading(root: lxml_html.HtmlElement) -> tuple[str | None, str | None]:
    """Reference id and subject from ``<h3>Viewing cable ID, subject</h3>`` ("" = no subject)."""
    for heading in root.xpath("//h3"):
        match = _VIEWING.match(heading.text_content())
        if match:
            return match.group(1), " ".join(match.group(2).split())
    return None, None
