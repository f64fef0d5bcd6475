"""The HTTP client: auth, body pass-through, paths, and named errors."""

from __future__ import annotations

import json
import ssl

import httpx
import pytest

from lgwidget.client.http import LangGraphClient, auth_headers, shared_ssl_context, ssl_context_for
from lgwidget.errors import LGWidgetConnectionError, LGWidgetHTTPError, LGWidgetStreamError

SSE = {"content-type": "text/event-stream; charset=utf-8"}


def test_api_key_argument_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGGRAPH_API_KEY", "lg")
    monkeypatch.setenv("LANGSMITH_API_KEY", "ls")
    assert auth_headers("arg", None) == {"x-api-key": "arg"}
    assert auth_headers(None, None) == {"x-api-key": "lg"}
    monkeypatch.delenv("LANGGRAPH_API_KEY")
    assert auth_headers(None, None) == {"x-api-key": "ls"}
    monkeypatch.delenv("LANGSMITH_API_KEY")
    assert auth_headers(None, None) == {}


def test_extra_headers_are_merged_last(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGGRAPH_API_KEY", "lg")
    assert auth_headers(None, {"x-api-key": "override", "x-tenant": "t"}) == {
        "x-api-key": "override",
        "x-tenant": "t",
    }


class Recorder:
    def __init__(self, response: httpx.Response) -> None:
        self.requests: list[httpx.Request] = []
        self.response = response

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.response


async def test_run_body_headers_and_run_id_reach_the_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LANGGRAPH_API_KEY", raising=False)
    monkeypatch.delenv("LANGSMITH_API_KEY", raising=False)
    recorder = Recorder(
        httpx.Response(200, content=b"", headers={**SSE, "content-location": "/threads/t1/runs/r9"})
    )
    body = {
        "assistant_id": "agent",
        "input": {"x": 1},
        "config": {"configurable": {"k": "v"}},
        "interrupt_before": ["action"],
        "multitask_strategy": "enqueue",
        "metadata": {"who": "test"},
    }
    async with (
        LangGraphClient(
            "http://lg.test/",
            api_key="secret",
            headers={"x-extra": "1"},
            transport=httpx.MockTransport(recorder),
        ) as client,
        client.stream_run("t1", body) as run,
    ):
        assert run.run_id == "r9"
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == "http://lg.test/threads/t1/runs/stream"
    assert json.loads(request.content) == body
    assert request.headers["x-api-key"] == "secret"
    assert request.headers["x-extra"] == "1"


async def test_thread_less_runs_use_runs_stream() -> None:
    recorder = Recorder(httpx.Response(200, content=b"", headers=SSE))
    async with (
        LangGraphClient("http://lg.test", transport=httpx.MockTransport(recorder)) as client,
        client.stream_run(None, {"assistant_id": "a"}) as run,
    ):
        assert run.run_id is None
    assert recorder.requests[0].url.path == "/runs/stream"


async def test_http_errors_carry_status_and_the_servers_detail() -> None:
    recorder = Recorder(httpx.Response(404, json={"detail": "Thread not found"}))
    async with LangGraphClient("http://lg.test", transport=httpx.MockTransport(recorder)) as client:
        with pytest.raises(LGWidgetHTTPError) as caught:
            async with client.stream_run("nope", {"assistant_id": "a"}):
                pass
    assert caught.value.status == 404
    assert caught.value.detail == "Thread not found"
    assert "http://lg.test/threads/nope/runs/stream" in str(caught.value)


async def test_a_non_sse_answer_is_a_named_stream_error() -> None:
    recorder = Recorder(
        httpx.Response(200, text="<html>hi</html>", headers={"content-type": "text/html"})
    )
    async with LangGraphClient("http://lg.test", transport=httpx.MockTransport(recorder)) as client:
        with pytest.raises(LGWidgetStreamError, match=r"http://lg.test/runs/stream.*text/html"):
            async with client.stream_run(None, {"assistant_id": "a"}):
                pass


async def test_connection_refused_names_the_url() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused", request=request)

    async with LangGraphClient("http://lg.test", transport=httpx.MockTransport(refuse)) as client:
        with pytest.raises(
            LGWidgetConnectionError, match=r"POST http://lg.test/threads: cannot connect"
        ):
            await client.create_thread()


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)


def test_https_clients_share_one_verifying_ssl_context(
    monkeypatch: pytest.MonkeyPatch, no_proxies: None
) -> None:
    # httpx would build (and load the CA bundle into) one per client.
    made: list[object] = []
    real = httpx.create_ssl_context
    monkeypatch.setattr(httpx, "create_ssl_context", lambda: made.append(1) or real())
    shared_ssl_context.cache_clear()
    try:
        LangGraphClient("https://a.example")
        LangGraphClient("https://b.example")
        LangGraphClient("http://c.example")
        LangGraphClient("https://d.example", transport=httpx.MockTransport(httpx.Response))
        assert len(made) == 1
        assert ssl_context_for("https://a.example") is shared_ssl_context()
        assert shared_ssl_context().cert_store_stats()["x509_ca"] > 0
    finally:
        shared_ssl_context.cache_clear()


def test_an_http_server_costs_no_ca_bundle_and_tls_fails_closed(no_proxies: None) -> None:
    context = ssl_context_for("http://127.0.0.1:2024")
    assert context.cert_store_stats()["x509_ca"] == 0
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


def test_with_a_proxy_in_the_environment_an_http_server_gets_the_verifying_context(
    monkeypatch: pytest.MonkeyPatch, no_proxies: None
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "https://proxy.example:8443")
    assert ssl_context_for("http://127.0.0.1:2024") is shared_ssl_context()
