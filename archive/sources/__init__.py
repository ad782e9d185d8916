"""Input formats → ``Document``: one module per format, each yielding the telegram text
and any publisher metadata together with the exact input bytes."""
