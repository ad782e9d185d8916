"""How ``sources.raw`` keeps an input's exact bytes: zstd-compressed by the parse workers (migration 0024).

The server could only compress them with pglz (the embedded PostgreSQL has no lz4): 16 ms of CPU per
MB, on the cores the load is short of, keeping 0.69 of the bytes of synthetic cables. zstd at level 1
takes 4.6 ms per MB in the parse workers and keeps 0.50, and the compressed bytes are what crosses
back from the workers and into the server. ``sources.raw_encoding`` says how a row is stored:
``zstd``, or NULL for rows stored before 0024, whose bytes are as they came (the server compresses
those transparently). No reader role may read the column; the loader and the Python API decode it.
"""

from __future__ import annotations

import threading

import zstandard

ZSTD = "zstd"
_LEVEL = 1
# Compressor and decompressor objects are not to be used by two threads at once; one of each per thread.
_local = threading.local()


def pack(raw: bytes) -> bytes:
    """``raw`` as ``sources.raw`` stores it (a zstd frame that records its content size)."""
    compressor = getattr(_local, "compressor", None)
    if compressor is None:
        compressor = _local.compressor = zstandard.ZstdCompressor(level=_LEVEL)
    return compressor.compress(raw)


def unpack(stored: bytes, encoding: str | None) -> bytes:
    """The exact input bytes of a ``sources`` row from its ``raw`` and ``raw_encoding``."""
    if encoding is None:
        return bytes(stored)
    if encoding != ZSTD:
        raise ValueError(f"unknown raw_encoding {encoding!r}")
    decompressor = getattr(_local, "decompressor", None)
    if decompressor is None:
        decompressor = _local.decompressor = zstandard.ZstdDecompressor()
    return decompressor.decompress(stored)
