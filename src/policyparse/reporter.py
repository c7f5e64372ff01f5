"""What a run says on stderr: a progress bar, a line per failed file, a summary.

    >>> r = Reporter(2, quiet=True)
    >>> r.skip(); r.skip(); r.skipped
    2
"""

from __future__ import annotations


class Reporter:
    """Everything a run says on stderr: a progress bar (only on a terminal), one
    line per failed file, and a one-line summary at the end."""

    def __init__(self, total: int, *, quiet: bool = False, batch: bool = True):
        import sys
        import time

        self.total, self.quiet, self.batch = total, quiet, batch
        self.ok = self.failed = self.skipped = self.measures = self.targets = 0
        self.started = time.monotonic()
        self._clock = time.monotonic
        self._stderr = sys.stderr
        self.progress = None
        if batch and not quiet and total > 1 and sys.stderr.isatty():
            self._start_progress()

    def _start_progress(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True, highlight=False)
        self.progress = Progress(
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} files/s"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failures]}"),
            console=console,
            auto_refresh=False,  # no refresh thread: worker processes are forked
            transient=True,
            redirect_stdout=False,  # stdout is the JSON stream, never the terminal's
            redirect_stderr=False,
        )
        self.task = self.progress.add_task("extract", total=self.total, rate="-", failures="")
        self.progress.start()

    def line(self, text: str) -> None:
        """One line on stderr (above the progress bar when there is one)."""
        if self.progress is not None:
            self.progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            self._stderr.write(text + "\n")
            self._stderr.flush()

    def done(self, outcome) -> None:
        """Count one finished input; name it on stderr if it failed."""
        if outcome.ok:
            self.ok += 1
            self.measures += outcome.measures
            self.targets += outcome.targets
        else:
            self.failed += 1
            code, message = outcome.error
            self.line(f"error: {outcome.path}: {message} [{code}]")
        self.tick(advance=1)

    def skip(self) -> None:
        self.skipped += 1
        self.tick(advance=1)

    def tick(self, advance: int = 0) -> None:
        """Refresh the progress bar (called as files finish and while waiting)."""
        if self.progress is None:
            return
        finished = self.ok + self.failed + self.skipped
        elapsed = max(self._clock() - self.started, 1e-6)
        failures = f"{self.failed} failed" if self.failed else ""
        self.progress.update(self.task, completed=finished, rate=f"{finished / elapsed:.1f}", failures=failures)
        self.progress.refresh()

    def warnings(self, outcome) -> None:
        if self.quiet:
            return
        for code, message, line in outcome.warnings:
            where = f"line {line}: " if line else ""
            self.line(f"warning: {outcome.path}: {where}{message} [{code}]")

    def close(self, interrupted: bool = False) -> None:
        """Stop the progress bar and print the summary (batch runs, unless --quiet)."""
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
        if self.quiet or not (self.batch or interrupted):
            return
        seconds = self._clock() - self.started
        finished = self.ok + self.failed + self.skipped
        files = f"{self.total} file{'' if self.total == 1 else 's'}"
        head = f"interrupted after {finished} of {files}" if interrupted else files
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        self.line(
            f"policyparse: {head}: {self.ok} ok, {self.failed} failed{skipped}; "
            f"{self.measures} measures, {self.targets} targets; {seconds:.1f} s"
        )
