"""Files taken from an npm package, for the refresh scripts of the vendored JavaScript.

``npm pack`` downloads a package's published archive without installing it;
:func:`copy_from_npm` writes the members asked for where they go. It needs
npm and the registry; nothing at build time does.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path


def copy_from_npm(spec: str, members: dict[str, Path]) -> str | None:
    """Write each member of the npm package ``spec`` (``name@version``) to its path; ``None`` when done,
    else why ``npm pack`` failed."""
    with tempfile.TemporaryDirectory() as scratch:
        packed = subprocess.run(["npm", "pack", spec, "--silent"], cwd=scratch, check=False,
                                capture_output=True, text=True)
        if packed.returncode != 0:
            return f"npm pack {spec} failed: {packed.stderr.strip()}"
        with tarfile.open(Path(scratch) / packed.stdout.strip().splitlines()[-1]) as archive:
            for member, target in members.items():
                source = archive.extractfile(member)
                assert source is not None, member
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read())
    return None
