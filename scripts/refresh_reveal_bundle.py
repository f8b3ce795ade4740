"""Refresh the reveal.js files the slide decks load, from reveal.js's own npm package.

A deck must open with no network (a webinar room's link is often the first
thing to fail), so reveal.js ships with the project: its script, its base
stylesheet and its speaker-notes plugin, with its licence. The decks use no
reveal.js theme (the themes carry their fonts inline, 0.5 MB each): the
deck's look is ``jlnlearn/reports/templates/slides.css``. This script packs
the version below with ``npm pack`` and writes those files into
``jlnlearn/reports/vendor/reveal/``; it needs npm and the registry, nothing at
build time does.

Usage: python scripts/refresh_reveal_bundle.py [VERSION]
"""

from __future__ import annotations

import sys
from pathlib import Path

from npm_files import copy_from_npm

VENDOR = Path(__file__).resolve().parents[1] / "jlnlearn" / "reports" / "vendor" / "reveal"
#: The reveal.js release the decks are written for (their ``Reveal.initialize`` options).
VERSION = "6.0.2"
FILES = {"package/dist/reveal.js": "reveal.js", "package/dist/reveal.css": "reveal.css",
         "package/dist/plugin/notes.js": "notes.js", "package/LICENSE": "LICENSE-reveal.js.txt"}


def main(arguments: list[str]) -> int:
    version = arguments[0] if arguments else VERSION
    failed = copy_from_npm(f"reveal.js@{version}", {member: VENDOR / target for member, target in FILES.items()})
    if failed:
        print(failed, file=sys.stderr)
        return 1
    (VENDOR / "VERSION").write_text(version + "\n", encoding="utf-8")
    print(f"wrote reveal.js {version} into {VENDOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
