"""jlnlearn: learning workbooks on how countries pay health providers on the road to UHC.

The public API, in one place:

- :func:`load` a table of the data package as a validated, typed DataFrame;
  :func:`table_names` lists the tables, :func:`fact_counts` summarises them.
- :func:`country` resolves an ISO3 code, name or alias; :func:`countries`
  lists every country, the PHC collaborative's first.
- :func:`validate` checks a data folder and returns every :class:`Problem`.
- :func:`build_reports` runs the notebooks for every country into offline HTML.
- Submodules: :mod:`jlnlearn.profile` (a country's facts as DataFrames) and
  :mod:`jlnlearn.charts` (plotly figures with one theme).

>>> import jlnlearn
>>> jlnlearn.country("Laos").iso3
'LAO'
"""

from jlnlearn.countries import Country, countries, country
from jlnlearn.data import EXTRA_DATA_ENV, fact_counts, load
from jlnlearn.errors import (
    DataValidationError,
    JlnlearnError,
    UnknownCountryError,
    UnknownTableError,
)
from jlnlearn.reports import build_reports
from jlnlearn.schema import table_names
from jlnlearn.validation import Problem, check_rows, validate

__version__ = "0.1.0"

__all__ = [
    "EXTRA_DATA_ENV",
    "Country",
    "DataValidationError",
    "JlnlearnError",
    "Problem",
    "UnknownCountryError",
    "UnknownTableError",
    "__version__",
    "build_reports",
    "check_rows",
    "countries",
    "country",
    "fact_counts",
    "load",
    "table_names",
    "validate",
]
