"""Refresh the partial plotly.js bundle the report pages load, from plotly's own npm package.

The pages draw only bar, scatter and line charts, so they load plotly's
"basic" bundle (about 1.2 MB) instead of the full plotly.js (4.8 MB) that the
Python package carries: a quarter of the bytes on a slow connection. The
bundle must be the plotly.js version the installed Python ``plotly`` writes
figures for; this script takes that version, packs ``plotly.js-basic-dist-min``
of the same version with ``npm pack`` and writes its script and licence into
``jlnlearn/reports/vendor/``. Run it after upgrading ``plotly`` (it needs npm
and the registry; nothing at build time does).

Usage: python scripts/refresh_plotly_bundle.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from npm_files import copy_from_npm
from plotly.offline import get_plotlyjs_version

VENDOR = Path(__file__).resolve().parents[1] / "jlnlearn" / "reports" / "vendor"
PACKAGE = "plotly.js-basic-dist-min"


def main() -> int:
    version = get_plotlyjs_version()
    failed = copy_from_npm(f"{PACKAGE}@{version}", {"package/plotly-basic.min.js": VENDOR / "plotly-basic.min.js",
                                                   "package/LICENSE": VENDOR / "LICENSE-plotly.js.txt"})
    if failed:
        print(failed, file=sys.stderr)
        return 1
    print(f"wrote {VENDOR / 'plotly-basic.min.js'} (plotly.js {version}, basic bundle)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
