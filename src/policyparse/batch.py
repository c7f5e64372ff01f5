"""Batch runs: extract each input (found by ``inputs.discover``) on a pool of
long-lived worker processes, hand the results back in input order.

A file that fails becomes an error record (``models.ErrorRecord``) and the run
goes on; a worker that hangs past ``--timeout`` or dies is replaced, and its
file reported, so every input is accounted for.

    >>> out = failed(0, "a.txt", ("not-found", "no such file"), Style())
    >>> out.ok, '"error":{"code":"not-found","message":"no such file"}' in out.text
    (False, True)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .errors import PolicyparseError
from .inputs import Input, read_input
from .output import Spool, Style, read_spool, remove_quietly, render_error, write_document
from .readers import sniff

DEFAULT_TIMEOUT = 600.0  # seconds per document; generous: a 50 MB notice takes far less
_TICK = 0.2  # seconds between progress refreshes while waiting on workers
_GRACE = 5.0  # a worker still silent this long after its timeout is killed
_RECYCLE_KB = 1_024_000  # a worker whose peak RSS passed this is replaced after its file
_WINDOW = 16  # results held back per worker while an earlier file is still running


@dataclass(frozen=True)
class Job:
    """What every worker needs to process an input: how to read it and render it."""

    style: Style = field(default_factory=Style)
    encoding: str | None = None
    rules_dir: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    spool_dir: str | None = None  # where a long result is spilled (``output.Spool``); None = keep in memory


@dataclass
class Outcome:
    """The result of one input: the rendered text (document or error record) and counts.

    A long result is not in ``text`` but in the file ``spool`` (see ``pieces``).
    """

    index: int
    path: str
    text: str = ""
    error: tuple[str, str] | None = None  # (code, message)
    measures: int = 0
    targets: int = 0
    warnings: list = field(default_factory=list)  # (code, message, line)
    rss_kb: int = 0  # the worker's peak resident memory so far
    spool: str | None = None  # the file holding the rendered text, when it was too long to keep

    @property
    def ok(self) -> bool:
        return self.error is None

    def pieces(self) -> Iterator[str]:
        """The rendered text, in order: from memory, or read from the spool file."""
        if self.spool is None:
            yield self.text
        else:
            yield from read_spool(self.spool)

    def release(self) -> None:
        """Remove the spool file once the text has been written out."""
        if self.spool is not None:
            remove_quietly(self.spool)


class DocumentTimeout(BaseException):
    """Raised inside a worker when a document runs past ``--timeout``.

    A BaseException, so that no ``except Exception`` in the pipeline swallows it.
    """


# ---- one input ------------------------------------------------------------------


def process(index: int, inp: Input, job: Job) -> Outcome:
    """Read, extract and render one input; every failure becomes an error record.

    The document streams from the pipeline into a ``Spool`` measure by measure,
    so memory does not grow with the size of the output.
    """
    data = known = None
    spool = Spool(job.spool_dir)
    try:
        # a module that prints must not corrupt the JSON on stdout
        with _deadline(job.timeout), contextlib.redirect_stdout(sys.stderr):
            from .pipeline import stream  # lazy (a pool parent never needs it); a broken module is an error record

            if inp.error:
                raise PolicyparseError(*inp.error, inp.path)
            data = inp.data if inp.data is not None else read_input(inp.path)
            # what an error record needs to know of the input, so that the pipeline can
            # hold the only reference to its bytes and free them once decoded
            known = _source_of(inp.path, sniff(data), hashlib.sha256(data).hexdigest())
            handed, data = [data], None
            run = stream(handed.pop(), encoding=job.encoding, rules_dir=job.rules_dir, name=inp.path)
            counts = [0, len(run.head.preamble.targets)]  # measures, targets
            write_document(run.head, _counted(run.measures, counts), run.warnings, job.style, spool.write)
            text, spilled = spool.close()
    except PolicyparseError as exc:
        error = (exc.code, exc.message)
    except DocumentTimeout:
        error = ("timeout", f"took longer than {job.timeout:g} s (--timeout)")
    except MemoryError:
        error = ("too-large", "ran out of memory")
    except RecursionError:
        error = ("internal", "recursion too deep")
    except Exception as exc:  # a bug: report it on this file's line, go on with the rest
        error = ("internal", f"{type(exc).__name__}: {exc}")
    else:
        warns = [(w.code, w.message, w.line) for w in run.warnings]
        return Outcome(index, inp.path, text, None, counts[0], counts[1], warns, spool=spilled)
    spool.discard()
    return failed(index, inp.path, error, job.style, data, known)


def _counted(measures, counts: list[int]) -> Iterator:
    """``measures`` passed through, counted (``counts``: measures, targets)."""
    for m in measures:
        counts[0] += 1
        counts[1] += len(m.targets)
        yield m


def failed(index: int, path: str, error: tuple[str, str], style: Style, data: bytes | None = None, source=None) -> Outcome:
    """The outcome of an input that failed: its rendered error record.

    ``source``: the record's source when already known (else made from ``data``).
    """
    from .models import ErrorInfo, ErrorRecord, Source

    src = Source(path=path)
    if source is not None:
        src = source
    elif data is not None:
        src = _source_of(path, sniff(data), hashlib.sha256(data).hexdigest())
    elif path.lower().endswith(".pdf"):
        src = Source(path=path, format="pdf")
    record = ErrorRecord(source=src, error=ErrorInfo(code=error[0], message=error[1]))
    return Outcome(index, path, render_error(record, style), error)


def _source_of(path: str, kind: str, sha256: str | None):
    """An error record's source: the input's kind (``sniff``) and digest."""
    from .models import Source

    return Source(path=path, format="txt" if kind == "text" else kind, sha256=sha256)


@contextlib.contextmanager
def _deadline(seconds: float | None):
    """Raise DocumentTimeout in the block after ``seconds`` (main thread only)."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def fire(signum, frame):
        raise DocumentTimeout

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ---- the pool ---------------------------------------------------------------------

Processor = Callable[[int, Input, Job], Outcome]


def run(inputs: list[Input], job: Job, workers: int = 1, *, fn: Processor = process, tick: Callable[[], None] | None = None) -> Iterator[Outcome]:
    """Outcomes of ``inputs`` in input order, each as soon as it and those before it are done.

    ``workers`` > 1 starts that many long-lived processes (each loads rules and
    dictionaries once, on first use); 1 runs in this process.  ``tick`` is
    called a few times a second while waiting (to refresh a progress bar).
    """
    if workers <= 1 or len(inputs) <= 1:
        for i, inp in enumerate(inputs):
            yield fn(i, inp, job)
        return
    pool = _Pool(min(workers, len(inputs)), job, fn)
    try:
        yield from pool.map(inputs, tick)
    except BaseException:
        pool.close(force=True)
        raise
    pool.close()


@dataclass
class _Worker:
    proc: object
    conn: object


class _Pool:
    """Worker processes fed one input at a time over a pipe each."""

    def __init__(self, n: int, job: Job, fn: Processor):
        import multiprocessing as mp

        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.ctx = mp.get_context(method)
        self.job, self.fn = job, fn
        self.workers = [self._spawn() for _ in range(n)]

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_serve, args=(child, self.job, self.fn), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _replace(self, w: _Worker) -> _Worker:
        self._stop(w, force=True)
        fresh = self._spawn()
        self.workers[self.workers.index(w)] = fresh
        return fresh

    def map(self, inputs: list[Input], tick) -> Iterator[Outcome]:
        from multiprocessing.connection import wait

        todo = deque(enumerate(inputs))
        done: dict[int, Outcome] = {}
        busy: dict[int, tuple[_Worker, float]] = {}  # input index -> (worker, started)
        idle = list(self.workers)
        nxt, window = 0, _WINDOW * len(self.workers)
        timeout = self.job.timeout
        while nxt < len(inputs):
            while idle and todo and todo[0][0] < nxt + window:
                i, inp = todo.popleft()
                w = idle.pop()
                try:
                    w.conn.send((i, inp))
                except (BrokenPipeError, OSError):  # died while idle: replace, retry
                    todo.appendleft((i, inp))
                    idle.append(self._replace(w))
                    continue
                busy[i] = (w, time.monotonic())
            ready = set(wait([w.conn for w, _ in busy.values()] + [w.proc.sentinel for w, _ in busy.values()], _TICK))
            for i, (w, started) in list(busy.items()):
                if w.conn in ready:
                    try:
                        out = w.conn.recv()
                    except (EOFError, OSError):
                        out = self._died(i, inputs[i], w)
                        w = self._replace(w)
                    else:
                        if out.rss_kb > _RECYCLE_KB:
                            w = self._replace(w)
                elif w.proc.sentinel in ready:
                    out = self._died(i, inputs[i], w)
                    w = self._replace(w)
                elif timeout and time.monotonic() - started > timeout + _GRACE:
                    out = failed(i, inputs[i].path, ("timeout", f"took longer than {timeout:g} s (--timeout); worker stopped"), self.job.style)
                    w = self._replace(w)
                else:
                    continue
                del busy[i]
                done[i] = out
                idle.append(w)
            if tick:
                tick()
            while nxt in done:
                yield done.pop(nxt)
                nxt += 1

    def _died(self, i: int, inp: Input, w: _Worker) -> Outcome:
        w.proc.join(1)
        code = w.proc.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return failed(i, inp.path, ("internal", f"worker process died ({how}) on this file"), self.job.style)

    def _stop(self, w: _Worker, force: bool) -> None:
        if not force:
            with contextlib.suppress(OSError):
                w.conn.send(None)
            w.proc.join(2)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join(2)
        w.conn.close()

    def close(self, force: bool = False) -> None:
        for w in self.workers:
            self._stop(w, force)


def _serve(conn, job: Job, fn: Processor) -> None:
    """A worker's loop: receive (index, input), send back its Outcome, until None."""
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    os.dup2(2, 1)  # nothing a worker prints may reach the parent's stdout
    sys.stdout = sys.stderr
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, inp = msg
        try:
            out = fn(index, inp, job)
        except DocumentTimeout:
            out = failed(index, inp.path, ("timeout", f"took longer than {job.timeout:g} s (--timeout)"), job.style)
        except Exception as exc:  # a processor that let an error escape
            out = failed(index, inp.path, ("internal", f"{type(exc).__name__}: {exc}"), job.style)
        out.rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            conn.send(out)
        except (BrokenPipeError, OSError):
            return
