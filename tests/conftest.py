"""One embedded LangGraph API server (the real in-memory one) per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lgwidget.server import LocalServer


@pytest.fixture(scope="session")
def server() -> Iterator[LocalServer]:
    pytest.importorskip(
        "langgraph_api", reason="needs the server extra: pip install lgwidget[server]"
    )
    srv = LocalServer()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def server_url(server: LocalServer) -> str:
    assert server.url is not None
    return server.url
