"""The environment variables jlnlearn reads, named once.

>>> EXTRA_DATA_ENV
'JLNLEARN_EXTRA_DATA'
"""

#: A folder of extra rows (a facilitator's own facts) merged into every load.
EXTRA_DATA_ENV = "JLNLEARN_EXTRA_DATA"
#: Where successful validations are remembered (default: the user's cache folder).
CACHE_DIR_ENV = "JLNLEARN_CACHE_DIR"
#: Set by the report build: live widgets point to their static twin instead.
STATIC_OUTPUT_ENV = "JLNLEARN_STATIC_OUTPUT"
#: The Chromium that prints a build's PDFs (default: chromium, chromium-browser or google-chrome on PATH).
CHROMIUM_ENV = "JLNLEARN_CHROMIUM"
#: The language pages are written in (en, fr, es, pt; default en): set, for the time it runs, from the
#: language of the report task a worker runs (``jlnlearn reports --lang``).
LANG_ENV = "JLNLEARN_LANG"
