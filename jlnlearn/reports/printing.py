"""Printing pages to PDF with one headless Chromium, driven over the DevTools protocol.

Starting Chromium costs about a second, printing a page a fraction of that:
so a build starts one browser and prints every page through it, a few tabs at
a time. The browser is the Chromium already on the machine
(:func:`find_chromium`); the build speaks to it over a pair of pipes
(``--remote-debugging-pipe``: JSON messages ended by a NUL byte, the way
Puppeteer and Playwright drive it), so nothing listens on a network port and
no browser driver is needed.

For each page a new tab is opened as wide as the paper's printable width (so
the charts are drawn for it), the page is loaded, printed with
``Page.printToPDF`` (which fires the page's ``beforeprint`` handlers, as the
browser's own printing does) and the tab is closed. A page that takes longer
than the time limit fails alone; a browser that dies fails what it was
printing, saying how it ended.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jlnlearn.errors import UsageError
from jlnlearn.settings import CHROMIUM_ENV

#: Looked for on PATH, in this order, when ``JLNLEARN_CHROMIUM`` is not set: first the headless shells (built
#: to run without a screen, they print a brief for about 0.8x the CPU time of the full browser:
#: ``benchmarks/bench_headless_shell.py``), then the full browsers.
CHROMIUM_NAMES = ("chromium-headless-shell", "chrome-headless-shell", "chromium", "chromium-browser",
                  "google-chrome")
#: Paper sizes, width and height in millimetres, by the name ``--paper`` takes.
PAPERS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
#: The margin the pages' print CSS gives every side of the paper, in millimetres.
MARGIN_MM = 14
#: The longest one page may take to print before it is reported failed.
PRINT_SECONDS = 120
#: The switches every Chromium of a build starts with: headless, quiet, nothing fetched for itself.
SWITCHES = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-sync", "--disable-background-networking", "--disable-component-update",
            "--no-default-browser-check", "--remote-debugging-pipe")
#: The descriptors Chromium reads commands from and writes answers to with ``--remote-debugging-pipe``.
COMMANDS_FD, ANSWERS_FD = 3, 4


def find_chromium() -> str:
    """The Chromium that prints the PDFs: ``$JLNLEARN_CHROMIUM``, else the first of
    :data:`CHROMIUM_NAMES` on PATH.

    Raises
    ------
    UsageError
        In one line, naming the option and how to get a Chromium, when there is none.
    """
    given = os.environ.get(CHROMIUM_ENV)
    if given:
        found = shutil.which(given)
        if found is None:
            raise UsageError(f"--pdf: {CHROMIUM_ENV}={given!r} is not an executable file: set it to "
                             "Chromium's path, or unset it to use chromium from PATH")
        return found
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    raise UsageError(f"--pdf prints the pages with Chromium, and none was found ({', '.join(CHROMIUM_NAMES)} "
                     f"on PATH): install it (apt-get install chromium-headless-shell, or chromium) or set "
                     f"{CHROMIUM_ENV} to its path")


def paper_named(name: str) -> str:
    """The paper ``name`` stands for, in any case.

    >>> paper_named("letter")
    'Letter'

    Raises
    ------
    UsageError
        For a paper that is not one of :data:`PAPERS`.
    """
    for paper in PAPERS:
        if paper.lower() == name.strip().lower():
            return paper
    raise UsageError(f"unknown paper {name!r} (valid: {', '.join(PAPERS)})")


def window_width(paper: str) -> int:
    """The window's width in CSS pixels that gives a page's content the paper's printable width
    (the screen style pads the body by 1rem each side).

    >>> window_width("A4"), window_width("Letter")
    (720, 742)
    """
    return round((PAPERS[paper][0] - 2 * MARGIN_MM) / 25.4 * 96) + 32


class PrintError(Exception):
    """A page could not be printed; the message says why, for the list of failures."""


def high_descriptor(descriptor: int) -> int:
    """A copy of ``descriptor`` numbered above Chromium's two pipe numbers (the original is closed),
    so that placing the pipes at 3 and 4 in the child cannot overwrite one with the other."""
    moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(descriptor)
    return moved


@dataclass
class Waiting:
    """What the reader thread has received that someone may be waiting for."""

    answers: dict[int, dict[str, Any]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    ended: str | None = None


class Chromium:
    """One headless Chromium spoken to over the DevTools protocol; :meth:`print_pdf` is safe to call
    from several threads at once (each page has a tab of its own).

    Raises
    ------
    PrintError
        From :meth:`print_pdf`, when the page cannot be printed or the browser has ended.
    """

    def __init__(self, executable: str, seconds: float = PRINT_SECONDS) -> None:
        self.seconds = seconds
        self.profile = tempfile.mkdtemp(prefix="jlnlearn-chromium-")
        self.errors = tempfile.TemporaryFile()
        theirs_in, ours_out = (high_descriptor(fd) for fd in os.pipe())
        ours_in, theirs_out = (high_descriptor(fd) for fd in os.pipe())
        actions = [(os.POSIX_SPAWN_DUP2, theirs_in, COMMANDS_FD), (os.POSIX_SPAWN_DUP2, theirs_out, ANSWERS_FD),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_DUP2, self.errors.fileno(), 2)]
        arguments = [executable, *SWITCHES, f"--user-data-dir={self.profile}", "about:blank"]
        try:  # a session of its own, so that its helper processes stop with it
            self.pid = os.posix_spawn(executable, arguments, dict(os.environ), file_actions=actions, setsid=True)
        finally:
            os.close(theirs_in)
            os.close(theirs_out)
        self.sending, self.reading = os.fdopen(ours_out, "wb", buffering=0), os.fdopen(ours_in, "rb", buffering=0)
        self.lock, self.changed = threading.Lock(), threading.Condition()
        self.waiting, self.next_id = Waiting(), 0
        self.exit_code: int | None = None
        self.reader = threading.Thread(target=self.read_messages, name="jlnlearn-chromium", daemon=True)
        self.reader.start()
        try:
            self.call("Browser.getVersion", timeout=self.seconds)
        except PrintError:
            self.close()
            raise

    # -- the protocol ---------------------------------------------------------------------

    def read_messages(self) -> None:
        """Receive every message until the browser closes its end; file answers and events."""
        pending = b""
        while True:
            chunk = self.reading.read(1 << 16)
            if not chunk:
                break
            pending += chunk
            *messages, pending = pending.split(b"\0")
            with self.changed:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self.waiting.answers[message["id"]] = message
                    else:
                        self.waiting.events.append(message)
                self.changed.notify_all()
        with self.changed:
            self.waiting.ended = self.how_it_ended()
            self.changed.notify_all()

    def how_it_ended(self) -> str:
        """Why the browser stopped answering: its exit code and the last line it wrote to stderr."""
        deadline = time.monotonic() + 5
        while self.exit_code is None and time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.exit_code = os.waitstatus_to_exitcode(status)
            else:
                time.sleep(0.05)
        self.errors.seek(0)
        lines = [line.strip() for line in self.errors.read().decode("utf-8", "replace").splitlines() if line.strip()]
        last = lines[-1] if lines else "no message"
        if self.exit_code is None:
            return f"Chromium closed its pipe: {last}"
        return f"Chromium exited with code {self.exit_code}: {last}"

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float | None = None) -> dict[str, Any]:
        """Send one command and wait for its answer; its ``result``."""
        with self.lock:
            self.next_id += 1
            number = self.next_id
            message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            try:
                self.sending.write(json.dumps(message).encode("utf-8") + b"\0")
            except OSError:
                pass  # the browser has gone: the wait below says how
        deadline = time.monotonic() + (self.seconds if timeout is None else timeout)
        with self.changed:
            while number not in self.waiting.answers:
                if self.waiting.ended is not None:
                    raise PrintError(self.waiting.ended)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PrintError(f"Chromium took more than {self.seconds:.0f} s")
                self.changed.wait(left)
            answer = self.waiting.answers.pop(number)
        if "error" in answer:
            raise PrintError(f"Chromium refused {method}: {answer['error'].get('message', answer['error'])}")
        return answer.get("result", {})

    def wait_for(self, method: str, session: str, deadline: float, **params: Any) -> None:
        """Wait until the tab of ``session`` sends the event ``method`` with ``params`` among its
        parameters (or has sent it already)."""
        with self.changed:
            while True:
                for index, event in enumerate(self.waiting.events):
                    if (event.get("method") == method and event.get("sessionId") == session
                            and params.items() <= event.get("params", {}).items()):
                        del self.waiting.events[index]
                        return
                if self.waiting.ended is not None:
                    raise PrintError(self.waiting.ended)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PrintError(f"Chromium took more than {self.seconds:.0f} s")
                self.changed.wait(left)

    # -- printing ---------------------------------------------------------------------------

    def print_pdf(self, page: Path, paper: str) -> bytes:
        """The PDF of the page file ``page`` on ``paper``, drawn in a window as wide as the paper's
        printable width."""
        deadline = time.monotonic() + self.seconds
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = None
        try:
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self.call("Page.enable", session=session)
            self.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session)
            self.call("Emulation.setDeviceMetricsOverride", {"width": window_width(paper), "height": 1000,
                                                              "deviceScaleFactor": 1, "mobile": False}, session)
            loader = self.call("Page.navigate", {"url": page.resolve().as_uri()}, session)["loaderId"]
            self.wait_for("Page.lifecycleEvent", session, deadline, name="load", loaderId=loader)
            width, height = (size / 25.4 for size in PAPERS[paper])
            printed = self.call("Page.printToPDF", {"paperWidth": width, "paperHeight": height,
                                                    "preferCSSPageSize": True, "displayHeaderFooter": False},
                                session, timeout=max(0.0, deadline - time.monotonic()))
        finally:
            with self.changed:  # this tab's events, and the browser's, are not waited for; other tabs' may be
                self.waiting.events = [e for e in self.waiting.events if e.get("sessionId") not in (session, None)]
            if self.waiting.ended is None:
                try:
                    self.call("Target.closeTarget", {"targetId": target}, timeout=5)
                except PrintError:
                    pass
        data = base64.b64decode(printed["data"])
        if data[:5] != b"%PDF-":
            raise PrintError("Chromium wrote no PDF")
        return data

    def close(self) -> None:
        """Stop the browser and its helpers at once, and remove its profile."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.reader.join(10)  # it sees the pipe close, and reaps the browser
        for stream in (self.sending, self.reading):
            stream.close()
        self.errors.close()
        shutil.rmtree(self.profile, ignore_errors=True)
