"""Async HTTP client for the LangGraph API server: threads, runs and their SSE streams.

Only what the timeline needs, on httpx and lgwidget's own SSE parser
(:mod:`lgwidget.client.sse`), not httpx-sse: measured on httpx-sse 0.4.3, that one
yields an extra empty event at every blank line ending a block without data
(each heartbeat) once an ``id:`` has been seen, keeps a leading byte order
mark, and decodes by the response's charset where SSE is always UTF-8; the
project's parser was also 1.4-2.0x faster (``docs/sse-parser.md``). Every
failure becomes an :class:`~lgwidget.errors.LGWidgetError` whose message names
the URL.
"""

from __future__ import annotations

import functools
import os
import ssl
import urllib.request
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

import httpx

from ..errors import LGWidgetConnectionError, LGWidgetHTTPError, LGWidgetStreamError
from .sse import SSEDecoder, SSEMessage

#: A run's status as the LangGraph API server reports it (langgraph-sdk's ``RunStatus``).
RunStatus = Literal["pending", "running", "error", "success", "timeout", "interrupted"]
#: The run statuses of a run that has not ended.
LIVE_RUN_STATUSES: frozenset[RunStatus] = frozenset({"pending", "running"})

#: Seconds without a single byte (heartbeats included) after which a stream
#: counts as dead. The server sends a heartbeat comment every 5 s, so 30 s is
#: six missed heartbeats; ``stream(..., idle_timeout=...)`` changes it.
DEFAULT_IDLE_TIMEOUT = 30.0
#: Seconds to connect (and to write a request) before the URL counts as unreachable.
DEFAULT_CONNECT_TIMEOUT = 10.0


def client_timeout(
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT, connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
) -> httpx.Timeout:
    """httpx timeouts: connecting must fail fast; httpx's read timeout applies
    to each read from the socket, so it is exactly "no bytes for that long"."""
    return httpx.Timeout(connect_timeout, read=idle_timeout)


DEFAULT_TIMEOUT = client_timeout()


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """The one verifying SSL context of every client in the process, made on
    first use as httpx makes its default. httpx would otherwise build one per
    client, reading the CA bundle each time (about 20 ms of CPU and 0.6 MiB
    per client, even for http:// URLs), and a run makes a client or two."""
    return httpx.create_ssl_context()


@functools.cache
def _no_ca_context() -> ssl.SSLContext:
    # Verifying, with no CA loaded: any TLS handshake with it fails.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def ssl_context_for(url: str) -> ssl.SSLContext:
    """The SSL context of a client of ``url``.

    An ``http://`` server (a local ``langgraph dev``) needs none: it gets a
    context that loads no CA bundle, so it costs nothing, and that fails
    closed should a request ever need TLS (the client follows no
    redirects). ``https://``, or any proxy set in the environment (which may
    be reached over TLS), gets the shared verifying context."""
    if httpx.URL(url).scheme == "http" and not urllib.request.getproxies():
        return _no_ca_context()
    return shared_ssl_context()


def auth_headers(api_key: str | None, headers: Mapping[str, str] | None) -> dict[str, str]:
    """``x-api-key`` from ``api_key``, else LANGGRAPH_API_KEY, else LANGSMITH_API_KEY;
    ``headers`` are merged last so they can override anything."""
    key = api_key or os.environ.get("LANGGRAPH_API_KEY") or os.environ.get("LANGSMITH_API_KEY")
    merged = {"x-api-key": key} if key else {}
    merged.update(headers or {})
    return merged


def _detail(response: httpx.Response) -> Any:
    """The server's error ``detail`` (FastAPI/Starlette style), else the body text."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip() or response.reason_phrase
    if isinstance(body, dict) and "detail" in body:
        return body["detail"]
    return body


@contextmanager
def _named_errors(method: str, url: str, timeout: httpx.Timeout) -> Iterator[None]:
    """Turn httpx transport errors into lgwidget errors that name the URL."""
    try:
        yield
    except httpx.ConnectTimeout as exc:
        raise LGWidgetConnectionError(
            f"{method} {url}: no connection within {timeout.connect} s", url=url
        ) from exc
    except httpx.ReadTimeout as exc:
        raise LGWidgetStreamError(
            f"{method} {url}: no data from {url} for {timeout.read:g} s", url=url
        ) from exc
    except httpx.ConnectError as exc:
        raise LGWidgetConnectionError(f"{method} {url}: cannot connect ({exc})", url=url) from exc
    except httpx.TransportError as exc:
        raise LGWidgetStreamError(
            f"{method} {url}: connection failed ({type(exc).__name__}: {exc})", url=url
        ) from exc


@dataclass
class RunStream:
    """An open run stream: the run id (known from the response headers, before
    any event) and the SSE messages as they arrive (see :mod:`lgwidget.client.sse`)."""

    url: str
    run_id: str | None
    response: httpx.Response
    timeout: httpx.Timeout

    async def events(self) -> AsyncIterator[SSEMessage]:
        """The stream's events; a transport failure or a silence longer than
        the read timeout raises :class:`~lgwidget.LGWidgetStreamError`."""
        decoder = SSEDecoder()
        with _named_errors("stream", self.url, self.timeout):
            async for chunk in self.response.aiter_bytes():
                for message in decoder.feed(chunk):
                    yield message
        for message in decoder.close():
            yield message


class LangGraphClient:
    """A small async client for one LangGraph API server at ``url``."""

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._http = httpx.AsyncClient(
            base_url=self.url,
            headers=auth_headers(api_key, headers),
            timeout=timeout,
            transport=transport,
            # A given transport does its own TLS: no context to build then.
            verify=ssl_context_for(self.url) if transport is None else True,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> LangGraphClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _request(self, method: str, path: str, body: Any = None) -> Any:
        url = self.url + path
        with _named_errors(method, url, self.timeout):
            response = await self._http.request(method, path, json=body)
        if response.is_error:
            raise LGWidgetHTTPError(response.status_code, _detail(response), url=url, method=method)
        return response.json() if response.content else None

    async def create_thread(self, body: Mapping[str, Any] | None = None) -> str:
        """``POST /threads``; returns the new thread id."""
        thread = await self._request("POST", "/threads", dict(body or {}))
        return str(thread["thread_id"])

    async def get_thread(self, thread_id: str) -> dict[str, Any]:
        """``GET /threads/{thread_id}`` (its ``status`` says whether it is interrupted)."""
        thread: dict[str, Any] = await self._request("GET", f"/threads/{thread_id}")
        return thread

    async def get_thread_state(self, thread_id: str) -> dict[str, Any]:
        """``GET /threads/{thread_id}/state``: ``values``, ``next`` (the nodes that
        run on resume) and the pending ``interrupts``."""
        state: dict[str, Any] = await self._request("GET", f"/threads/{thread_id}/state")
        return state

    async def cancel_run(self, thread_id: str, run_id: str) -> None:
        """``POST /threads/{thread_id}/runs/{run_id}/cancel``."""
        await self._request("POST", f"/threads/{thread_id}/runs/{run_id}/cancel")

    async def get_run(self, thread_id: str, run_id: str) -> dict[str, Any]:
        """``GET /threads/{thread_id}/runs/{run_id}`` (its ``status``, ``metadata``, ...)."""
        run: dict[str, Any] = await self._request("GET", f"/threads/{thread_id}/runs/{run_id}")
        return run

    async def get_assistant_graph(self, assistant_id: str, *, xray: bool | int = True) -> Any:
        """``GET /assistants/{assistant_id}/graph``: the graph's drawable JSON
        (``{"nodes", "edges"}``). ``assistant_id`` is an assistant UUID or a
        graph name; ``xray`` (True or a depth) includes the subgraphs' nodes."""
        value = str(xray).lower() if isinstance(xray, bool) else str(xray)
        return await self._request(
            "GET", f"/assistants/{quote(assistant_id, safe='')}/graph?xray={value}"
        )

    async def thread_history(
        self, thread_id: str, limit: int = 100, *, before: str | None = None
    ) -> list[dict[str, Any]]:
        """``POST /threads/{thread_id}/history``: the thread's checkpoints,
        newest first; ``before`` a checkpoint id: only those older than it."""
        body: dict[str, Any] = {"limit": limit}
        if before is not None:
            body["before"] = {"configurable": {"checkpoint_id": before}}
        states: list[dict[str, Any]] = await self._request(
            "POST", f"/threads/{thread_id}/history", body
        )
        return states

    async def list_runs(self, thread_id: str, *, limit: int = 10) -> list[dict[str, Any]]:
        """``GET /threads/{thread_id}/runs``: the thread's runs, newest first."""
        runs = await self._request("GET", f"/threads/{thread_id}/runs?limit={limit}")
        return list(runs or ())

    async def send_command(self, thread_id: str, command: Mapping[str, Any]) -> Any:
        """``POST /threads/{thread_id}/commands``: a command of the thread event
        stream (``run.start``, ``input.respond``); returns the server's answer."""
        return await self._request("POST", f"/threads/{thread_id}/commands", dict(command))

    def thread_events(
        self, thread_id: str, subscribe: Mapping[str, Any]
    ) -> AbstractAsyncContextManager[RunStream]:
        """Open the thread event stream: ``POST /threads/{thread_id}/stream/events``
        with the ``channels`` to receive (see :mod:`lgwidget.feeds.thread_stream`)."""
        return self._open_stream(
            "POST", f"/threads/{thread_id}/stream/events", json=dict(subscribe)
        )

    def stream_run(
        self, thread_id: str | None, body: Mapping[str, Any]
    ) -> AbstractAsyncContextManager[RunStream]:
        """Start a run and open its SSE stream.

        ``POST /threads/{thread_id}/runs/stream``, or the thread-less
        ``POST /runs/stream`` when ``thread_id`` is None. ``body`` is the
        run-create body as the server takes it (assistant_id, input,
        stream_mode, config, ...), sent unchanged.
        """
        path = f"/threads/{thread_id}/runs/stream" if thread_id else "/runs/stream"
        return self._open_stream("POST", path, json=dict(body))

    def join_stream(
        self,
        thread_id: str,
        run_id: str,
        *,
        last_event_id: str | None = None,
        stream_mode: str | list[str] | None = None,
    ) -> AbstractAsyncContextManager[RunStream]:
        """Open the stream of a run already started: ``GET
        /threads/{thread_id}/runs/{run_id}/stream``. With ``last_event_id`` a
        resumable run replays the events after that id (``"-1"``: all of them);
        ``stream_mode`` must be a subset of the run's modes."""
        headers = {"Last-Event-ID": last_event_id} if last_event_id is not None else {}
        params = {"stream_mode": stream_mode} if stream_mode is not None else None
        path = f"/threads/{thread_id}/runs/{run_id}/stream"
        return self._open_stream("GET", path, headers=headers, params=params)

    @asynccontextmanager
    async def _open_stream(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[RunStream]:
        url = self.url + path
        with _named_errors(method, url, self.timeout):
            request = self._http.build_request(
                method,
                path,
                json=json,
                params=params,
                headers={"Accept": "text/event-stream", **(headers or {})},
            )
            response = await self._http.send(request, stream=True)
        try:
            if response.is_error:
                with _named_errors(method, url, self.timeout):
                    await response.aread()
                raise LGWidgetHTTPError(
                    response.status_code, _detail(response), url=url, method=method
                )
            content_type = response.headers.get("content-type", "")
            if not content_type.startswith("text/event-stream"):
                raise LGWidgetStreamError(
                    f"{method} {url} answered {content_type or 'no content type'}, "
                    "not an SSE stream (text/event-stream); is this a LangGraph API server?",
                    url=url,
                )
            yield RunStream(url, _run_id(response), response, self.timeout)
        finally:
            await response.aclose()


def _run_id(response: httpx.Response) -> str | None:
    """The run id from ``content-location: /threads/{tid}/runs/{rid}``."""
    location = response.headers.get("content-location", "")
    parts = location.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] == "runs":
        return str(parts[-1])
    return None
