"""Loader: Documents and Cables into the normalized tables with COPY, staging and set-based merges."""

from archive.load.loader import LoadAborted, input_size, load_items, load_paths
from archive.load.summary import LoadSummary, Problem

__all__ = ["LoadAborted", "LoadSummary", "Problem", "input_size", "load_items", "load_paths"]
