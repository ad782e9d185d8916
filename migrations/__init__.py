"""The Alembic migrations; installed as ``archive.migrations``, so a wheel can build its own schema."""
