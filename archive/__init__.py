"""Cable Archive: a relational archive of diplomatic cables."""

__version__ = "0.1.0"
