"""Make the environment Binder would make, in a process of its own: ``python tests/prepare_binder.py FOLDER``.

A fresh virtual environment in ``FOLDER/venv`` with environment.yml's packages,
installed with pip (Binder solves them with mamba), then postBuild run from the
repository with that environment's pip first on the PATH, as Binder runs it.
The test run starts it first (see ``binder_python`` in ``conftest.py``), so it
installs while the other tests run. Byte-compiling is left to the first import.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.test_environment import requirement  # noqa: E402  (after the repository is importable)


def main(folder: Path) -> None:
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    listed = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
    packages = [spec for spec in listed if isinstance(spec, str) and requirement(spec)[0] not in ("python", "pip")]
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-compile",
                    "--disable-pip-version-check", *packages], check=True, timeout=1200)
    environment = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    subprocess.run(["bash", "postBuild"], cwd=REPO, env=environment, check=True, timeout=600)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
