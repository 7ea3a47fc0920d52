"""Hypothesis settings of the tests whose every example makes a database of its own (``new_db_url()``)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# new_db_url is a function-scoped fixture used in every example on purpose; the profile's relaxed checks stay relaxed
ONE_DATABASE_PER_EXAMPLE = [*settings().suppress_health_check, HealthCheck.function_scoped_fixture]
