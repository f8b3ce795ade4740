"""Build the pages many tests read, in a process of its own: ``python tests/build_collection.py OUT``.

The test run starts it first (see ``collection`` in ``conftest.py``), so it builds
on one core while the tests that need no pages use the other. It writes
``OUT/builds.json``: each build's results, in order.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from jlnlearn.build import build_reports

#: (countries, notebooks, pairing) of each build, in order; the first is every country's lessons.
BUILDS = [("all", "01,02,03,04", None), ("PHL,Kosovo,Myanmar,Mali", "00,06", None), (None, None, "PHL,GHA,KEN")]


def main(out: Path) -> None:
    builds = []
    for countries, notebooks, pairing in BUILDS:
        if pairing:
            build = build_reports(out=out, jobs=1, pairing=pairing, topic="capitation")
        else:
            build = build_reports(countries, notebooks, out, jobs=1)
        builds.append([asdict(result) for result in build.results])
    (out / "builds.json").write_text(json.dumps(builds), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
