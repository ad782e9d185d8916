"""The time budget of one input: reading or parsing it may take at most so many seconds.

A crafted or damaged input can make a reader or the parser slow (a long run of one character
before a regular expression that backtracks, a PDF whose objects loop). ``time_budget`` bounds
each input instead of trusting every code path to be linear:

- it arms a one-shot ``ITIMER_PROF`` timer (CPU seconds of the process, so time spent waiting —
  for a slow pipe, for a busy machine's other processes — does not count) whose ``SIGPROF``
  handler raises ``InputTimeout`` in the code that is running. Python runs signal handlers between bytecodes
  and the ``re`` engine checks for them while it matches, so a backtracking regular expression,
  the parser's Python loops and pypdf are all interrupted; one C call that never returns to
  Python (none known: lxml's HTML parser is linear) would end the budget only when it returns;
- ``InputTimeout`` derives from ``BaseException``, so the ``except Exception`` of a library
  (pypdf has many) cannot swallow it; the code that set the budget catches it and rejects the
  input. Raised inside a finalizer it cannot reach that code: it is kept quiet there and the
  timer goes off again 50 ms later;
- signal handlers run in a process's main thread only, so the budget holds in the loader's parse
  worker processes (each parses in its main thread) and in the loading process itself (reading
  always, parsing with ``--workers 1``) when the load runs in the main thread, as ``archive``
  does. Called from another thread it does nothing: the input runs without a budget. In the
  loading process the CPU time of its writer threads counts too (they mostly wait for the
  server), which can only make the budget stricter there.

The default is ``DEFAULT_INPUT_TIMEOUT`` seconds, or ``$ARCHIVE_INPUT_TIMEOUT``; 0 turns it off.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import FrameType

# The slowest input of the corpus (00HANOI686.pdf) takes 0.85 CPU seconds to read, parsing any takes
# under 0.01: five seconds leaves room for larger real inputs and slower machines.
DEFAULT_INPUT_TIMEOUT = 5.0
INPUT_TIMEOUT_ENV = "ARCHIVE_INPUT_TIMEOUT"
_REPEAT = 0.05


class InputTimeout(BaseException):
    """Reading or parsing one input took longer than its budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than the time budget of {seconds:g} s per input (--input-timeout)")
        self.message = str(self)


def default_input_timeout() -> float:
    """``$ARCHIVE_INPUT_TIMEOUT`` when set (seconds, 0 = no budget), else ``DEFAULT_INPUT_TIMEOUT``."""
    value = os.environ.get(INPUT_TIMEOUT_ENV, "").strip()
    if not value:
        return DEFAULT_INPUT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"${INPUT_TIMEOUT_ENV} must be a number of seconds, not {value!r}") from None
    if seconds < 0:
        raise ValueError(f"${INPUT_TIMEOUT_ENV} must be 0 (no budget) or more seconds, not {value!r}")
    return seconds


def _in_main_thread() -> bool:
    """Signal handlers run in a process's main thread only: elsewhere a budget does nothing."""
    return threading.current_thread() is threading.main_thread()


class _Held:
    """How many ``held_handler`` scopes are open (the handler stays installed while any is), and the
    seconds of the budget armed now (0: none; a late signal is then ignored)."""

    depth = 0
    seconds = 0.0


def _expire(signum: int, frame: FrameType | None) -> None:
    if _Held.seconds:
        raise InputTimeout(_Held.seconds)


def _quiet_timeouts(hook: Callable[[sys.UnraisableHookArgs], object]) -> Callable[[sys.UnraisableHookArgs], None]:
    """``hook`` but for ``InputTimeout``: a signal handled inside a finalizer (a weakref callback during
    garbage collection) cannot raise into the code that runs, and Python would print it as "Exception
    ignored in". It is kept quiet, and the timer goes off again every 50 ms until the next one raises."""

    def unraisable(report: sys.UnraisableHookArgs) -> None:
        if not isinstance(report.exc_value, InputTimeout):
            hook(report)

    return unraisable


def _install() -> Callable[[], None]:
    """Install the budget's handler; the function that puts back what was there before."""
    previous = signal.signal(signal.SIGPROF, _expire)
    hook = sys.unraisablehook
    sys.unraisablehook = _quiet_timeouts(hook)

    def restore() -> None:
        signal.signal(signal.SIGPROF, previous)
        sys.unraisablehook = hook

    return restore


@contextmanager
def held_handler() -> Iterator[None]:
    """Keep ``time_budget``'s ``SIGPROF`` handler installed while many inputs are read or parsed one by one.

    Installing and restoring a handler costs about 15 µs (``signal.signal`` converts handlers to and
    from enums), several times the budget's own work; under this, each budget only arms and disarms
    the timer. Outside the main thread it does nothing, as ``time_budget``.
    """
    if not _in_main_thread():
        yield
        return
    restore = _install() if not _Held.depth else None
    _Held.depth += 1
    try:
        yield
    finally:
        _Held.depth -= 1
        if restore is not None:
            restore()


class _Budget:
    """``time_budget``'s context manager (a class: a generator's costs more than the budget's own work)."""

    __slots__ = ("restore", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds if seconds and _in_main_thread() else 0.0
        self.restore: Callable[[], None] | None = None

    def __enter__(self) -> None:
        if not self.seconds:
            return
        if not _Held.depth:
            self.restore = _install()
        _Held.seconds = self.seconds
        signal.setitimer(signal.ITIMER_PROF, self.seconds, _REPEAT)

    def __exit__(self, *exc_info: object) -> None:
        if not self.seconds:
            return
        _Held.seconds = 0.0
        signal.setitimer(signal.ITIMER_PROF, 0)
        if self.restore is not None:
            self.restore()


def time_budget(seconds: float | None) -> AbstractContextManager[None]:
    """Raise ``InputTimeout`` in the body once it has run ``seconds`` (None or 0: no budget).

    Put the ``with`` inside the ``try`` that catches ``InputTimeout``: a signal that arrives as
    the body ends is raised from here.
    """
    return _Budget(seconds)


def failure_message(stage: str, error: BaseException) -> str:
    """One line for an exception a reader or the parser raised on one input, or for its time budget."""
    if isinstance(error, InputTimeout):
        return f"{stage}: {error.message}"
    first_line = (str(error).splitlines() or [""])[0]
    return f"{stage} failed on this input (a bug, the input is kept): {type(error).__name__}: {first_line}"
