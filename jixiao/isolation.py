"""Work done in a process of its own: the start method for workers, and a run bounded in time and memory.

:func:`run_bounded` runs a function in a child process that is stopped after a number of seconds
and, where the system allows it (Linux and other POSIX systems with ``RLIMIT_AS``), may not grow
beyond a memory allowance. What the function cannot finish comes back as :class:`Overrun`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from jixiao.errors import InputError


class Overrun(Exception):
    """Raised when a bounded run took too long ("time"), too much memory ("memory") or died ("crash")."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind, self.detail = kind, detail


def mp_context() -> Any:
    """Return the multiprocessing context for workers: fork where it is the safe default (Linux,
    Python ≤ 3.11), else forkserver, else spawn (Windows, macOS).

    From Python 3.12 on, forking a process that runs threads (as ProcessPoolExecutor's manager
    thread) is deprecated and warns; a fork server forks from a clean single-threaded process.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if sys.version_info < (3, 12) and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_bounded(function: Callable[..., Any], args: tuple[Any, ...], *, seconds: float, memory: int) -> Any:
    """Return ``function(*args)`` run in a child process; raise Overrun when it does not finish in
    ``seconds`` or needs more than ``memory`` bytes beyond what the child starts with.

    An InputError in the child is raised again here; any other exception is an Overrun "error".
    ``function`` must be defined at module level (a spawned child imports it).
    """
    context = mp_context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, function, args, memory), daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise Overrun("time")
        kind, payload = receive.recv()
    except (EOFError, OSError):
        raise Overrun("crash") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()
    if kind == "ok":
        return payload
    if kind == "input":
        raise InputError(payload[0], place=payload[1])
    raise Overrun(kind, payload)


def _child(send: Any, function: Callable[..., Any], args: tuple[Any, ...], memory: int) -> None:
    """Run ``function(*args)`` under the memory allowance and send (kind, payload) back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _limit_memory(memory)
    try:
        result: tuple[str, Any] = ("ok", function(*args))
    except InputError as exc:
        result = ("input", (exc.reason, exc.place))
    except MemoryError:
        result = ("memory", "")
    except Exception as exc:  # the parent reports it; the child only ends
        result = ("error", f"{type(exc).__name__}：{exc}")
    try:
        send.send(result)
    except MemoryError:
        send.send(("memory", ""))
    send.close()


def _limit_memory(memory: int) -> None:
    """Let this process grow by at most ``memory`` bytes of address space (where the system can say so)."""
    try:
        import resource
    except ImportError:  # Windows: the time bound alone holds
        return
    if not hasattr(resource, "RLIMIT_AS"):
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # no way to know the start; better no limit than one that breaks the child
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + memory
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):  # not allowed here: the time bound alone holds
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
