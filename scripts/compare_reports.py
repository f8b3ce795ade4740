"""Compare two report folders page by page, ignoring what differs on every build.

Pandas tables get a random id on each run (``T_1a2b3``), and the index shows
each page's build time; everything else on a page comes from the notebook,
the data and the package. Use it to check that a change of code leaves the
pages as they were:

    git stash && jlnlearn reports --countries PHL,MLI,THA --out /tmp/before && git stash pop
    jlnlearn reports --countries PHL,MLI,THA --out /tmp/after
    python scripts/compare_reports.py /tmp/before /tmp/after

Exit code 0 when every page is the same, 1 when any differs or is missing.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

#: What changes from one build to the next without a change of input.
VOLATILE = [
    (re.compile(r"\bT_[0-9a-f]{5}"), "T_ID"),  # pandas Styler table ids
    (re.compile(r"<small>[0-9.,]+ s</small>"), "<small>T s</small>"),  # build times in the index (1.5 s, 1,5 s)
]


def steady(text: str) -> str:
    """``text`` with what changes on every build replaced by placeholders.

    >>> steady('<table id="T_3f9a1"><td><small>2.7 s</small></td>')
    '<table id="T_ID"><td><small>T s</small></td>'
    """
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    return text


def compare(before: Path, after: Path) -> list[str]:
    """The pages (``*.html``) that differ or exist in one folder only, with the first changed line."""
    names = sorted({p.relative_to(before) for p in before.rglob("*.html")}
                   | {p.relative_to(after) for p in after.rglob("*.html")})
    differences = []
    for name in names:
        old, new = before / name, after / name
        if not (old.is_file() and new.is_file()):
            differences.append(f"{name}: only in {before if old.is_file() else after}")
            continue
        old_lines = steady(old.read_text(encoding="utf-8")).splitlines()
        new_lines = steady(new.read_text(encoding="utf-8")).splitlines()
        if old_lines != new_lines:
            changed = next(line for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0)
                           if line[:1] in "+-" and not line.startswith(("+++", "---")))
            differences.append(f"{name}: {changed[:160]}")
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="a report folder")
    parser.add_argument("after", type=Path, help="another report folder")
    args = parser.parse_args(argv)
    for folder in (args.before, args.after):
        if not folder.is_dir():
            parser.error(f"not a folder: {folder}")
    differences = compare(args.before, args.after)
    pages = len({p.relative_to(args.before) for p in args.before.rglob("*.html")})
    for line in differences:
        print(line)
    print(f"{pages - len(differences)} of {pages} pages the same, {len(differences)} different")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
