"""netstore's alembic migrations (installed as ``netstore._migrations``)."""
