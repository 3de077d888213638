"""One real ``treatykg serve`` for the web tests, on a free loopback port, with small limits so
the limits themselves can be tested: 2 s per query, 2000 rows per answer, 2 workers."""

from __future__ import annotations

import pytest

from .. import servers

TIMEOUT = 2
MAX_ROWS = 2000


@pytest.fixture(scope="session")
def server(_private_build_cache) -> str:
    with servers.treatykg("--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), "--workers", "2") as base:
        yield base
