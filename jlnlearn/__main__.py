"""``python -m jlnlearn`` runs the command line."""

import sys

from jlnlearn.cli import main

sys.exit(main())
