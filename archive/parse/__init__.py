"""Telegram text → ``Cable``: pure functions of the text, no database.

``parse(document)`` splits the telegram into routing header and body
(:mod:`archive.parse.header`, :mod:`archive.parse.body`) and assembles the ``Cable``.
"""
