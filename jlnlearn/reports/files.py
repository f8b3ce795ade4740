"""Writing the build's files so that an interrupted build never leaves half a file.

Every page, notebook and manifest is written to a temporary name beside its
target and renamed into place; what an interrupted build left behind is
removed at the start of the next one.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from jlnlearn.errors import UsageError


def write_atomically(target: Path, content: str | bytes) -> None:
    """Write ``content`` to a temporary file beside ``target`` and rename it into place.

    Parameters
    ----------
    target
        The file to write; its folder is created when missing.
    content
        Text (written as UTF-8) or bytes.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "page.html", "<p>hello</p>")
    >>> (folder / "page.html").read_text(), sorted(p.name for p in folder.iterdir())
    ('<p>hello</p>', ['page.html'])
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


#: The name :func:`write_atomically` gives a file while it is written: ``.<target>.<8 random>.tmp``.
TEMPORARY_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def remove_stale_temporaries(out: Path) -> None:
    """Delete the temporary files an interrupted build left behind, and nothing else.

    Called under :func:`only_build_in`, so no other build's file is in the
    middle of being written; a file the user named ``.notes.tmp`` is kept.
    """
    for stale in out.glob("**/.*.tmp"):
        if TEMPORARY_NAME.fullmatch(stale.name):
            stale.unlink(missing_ok=True)


def not_a_link(path: Path) -> Path:
    """``path``, with a symbolic link there removed first: a build's own files (its lock, its log) are
    written in its folder, never through a link to a file elsewhere.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "build.log").symlink_to(folder / "elsewhere")
    >>> not_a_link(folder / "build.log").exists(), (folder / "build.log").is_symlink()
    (False, False)
    """
    if path.is_symlink():
        path.unlink()
    return path


@contextlib.contextmanager
def only_build_in(out: Path) -> Iterator[None]:
    """Hold ``out`` for one build at a time (a lock file beside the pages).

    Raises
    ------
    UsageError
        When another build holds it, saying what to do.
    """
    lock = FileLock(not_a_link(out / ".jlnlearn-build.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UsageError(f"another jlnlearn build is writing to {out}: wait for it to finish, "
                         "or build into another --out folder") from None
    try:
        yield
    finally:
        lock.release()


def check_writable(out: Path) -> None:
    """Fail before any work if ``out`` cannot be created or written.

    Raises
    ------
    UsageError
        Naming the folder and why it cannot be written.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".write-check.", suffix=".tmp")
        probe.close()
    except OSError as error:
        raise UsageError(f"cannot write to the output folder {out}: {error.strerror or error}") from error
