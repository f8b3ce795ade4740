"""jlnlearn: learning workbooks on how countries pay health providers on the road to UHC.

The public API, in one place:

- :func:`load` a table of the data package as a validated, typed DataFrame;
  :func:`table_names` lists the tables, :func:`fact_counts` summarises them.
- :func:`country` resolves an ISO3 code, name or alias; :func:`countries`
  lists every country, the PHC collaborative's first.
- :func:`validate` checks a data folder and returns every :class:`Problem`;
  every exception jlnlearn raises is in :mod:`jlnlearn.errors`, under
  :class:`JlnlearnError`.
- :mod:`payment` holds notebook 02's payment calculators and
  :func:`payment.from_workbook`, which reads back a workbook written by
  ``jlnlearn workbook``.
- :func:`build_reports` runs the notebooks for every country into offline HTML
  (imported on first use: ``import jlnlearn`` in a kernel stays light).
- Layers, each importing only from those before it: :mod:`jlnlearn.errors`
  and :mod:`jlnlearn.settings`; :mod:`jlnlearn.data` (schema, validation,
  loading, countries, sources); :mod:`jlnlearn.lessons` (one module per
  topic, raw values); :mod:`jlnlearn.present` (what a person reads) and
  :mod:`jlnlearn.charts` (plotly figures, one module per topic);
  :mod:`jlnlearn.widgets` and :mod:`jlnlearn.lesson`; :mod:`jlnlearn.reports`
  (the report build); :mod:`jlnlearn.cli`.

>>> import jlnlearn
>>> jlnlearn.country("Laos").iso3
'LAO'
"""

from typing import TYPE_CHECKING, Any

from jlnlearn import payment
from jlnlearn.data.countries import Country, countries, country
from jlnlearn.data.loading import fact_counts, load
from jlnlearn.data.schema import table_names
from jlnlearn.data.validation import check_rows, validate
from jlnlearn.errors import (
    DataValidationError,
    JlnlearnError,
    Problem,
    UnknownCountryError,
    UnknownTableError,
)
from jlnlearn.i18n import use_language
from jlnlearn.settings import EXTRA_DATA_ENV

if TYPE_CHECKING:
    from jlnlearn.reports import build_reports

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
    "payment",
    "table_names",
    "use_language",
    "validate",
]


def __getattr__(name: str) -> Any:
    """``jlnlearn.build_reports``, imported on first use (PEP 562): the report build brings
    nbformat, nbconvert and papermill, which a kernel's ``import jlnlearn`` does not need."""
    if name == "build_reports":
        from jlnlearn.reports import build_reports

        return build_reports
    raise AttributeError(f"module 'jlnlearn' has no attribute {name!r}")
