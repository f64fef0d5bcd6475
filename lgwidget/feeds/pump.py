"""Read a sync or async iterable without blocking the kernel's loop: :class:`Pump`."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterable, Callable, Iterable, Iterator
from typing import Any

#: How often a feed waiting for its source looks at the Stop button.
POLL_SECONDS = 0.1


class Pump:
    """The items of a sync or async iterable, through a queue.

    An async iterable is read by a task, a sync one by a worker thread, so
    that the reader can wait with a timeout (and look at the Stop button)
    without ever cancelling the source mid-item. ``convert`` is applied to
    each item where it is read, before the source goes on: a graph mutates
    objects it already yielded (the message reducer gives messages their
    ids), and the server serializes each chunk as it comes too.
    :meth:`aclose` stops the reading: it cancels the task (closing an async
    generator), or tells the thread to stop and close the iterator at its
    next item.
    """

    def __init__(
        self,
        source: Iterable[Any] | AsyncIterable[Any],
        convert: Callable[[Any], Any] | None = None,
    ) -> None:
        self._source = source
        self._convert = convert or (lambda item: item)
        self._queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._stop = threading.Event()

    def start(self) -> Pump:
        if isinstance(self._source, AsyncIterable):
            self._task = asyncio.get_running_loop().create_task(self._read_async(self._source))
        elif isinstance(self._source, Iterable):
            loop = asyncio.get_running_loop()
            reader = self._read_sync
            threading.Thread(target=reader, args=(self._source, loop), daemon=True).start()
        else:
            raise TypeError(
                f"cannot watch a {type(self._source).__name__}: expected an iterable or an "
                "async iterable (an SDK stream, graph.astream(...), graph.stream(...), "
                "(event, data) pairs)"
            )
        return self

    async def _read_async(self, source: AsyncIterable[Any]) -> None:
        iterator = aiter(source)
        try:
            async for item in iterator:
                self._queue.put_nowait(("item", self._convert(item)))
        except Exception as exc:
            self._queue.put_nowait(("error", exc))
        finally:
            self._queue.put_nowait(("end", None))
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):  # closing must not hide what was read
                    await aclose()

    def _read_sync(self, source: Iterable[Any], loop: asyncio.AbstractEventLoop) -> None:
        def put(kind: str, value: Any) -> None:
            try:
                loop.call_soon_threadsafe(self._queue.put_nowait, (kind, value))
            except RuntimeError:  # the loop is closed: nobody reads any more
                self._stop.set()

        iterator: Iterator[Any] = iter(source)
        try:
            for item in iterator:
                if self._stop.is_set():
                    break
                put("item", self._convert(item))
        except BaseException as exc:
            put("error", exc)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    close()
            put("end", None)

    async def get(self, timeout: float | None = None) -> tuple[str, Any] | None:
        """The next ``("item", x)``, ``("error", exc)`` or ``("end", None)``;
        None when nothing came within ``timeout`` seconds."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except asyncio.TimeoutError:
            return None

    async def aclose(self) -> None:
        self._stop.set()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
