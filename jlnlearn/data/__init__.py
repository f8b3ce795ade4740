"""The data layer: the schema, validation, typed loading, countries and the sources cited.

Everything above it reads the data package through this layer only.
"""

from jlnlearn.data.countries import Country, CountryLike, countries, country
from jlnlearn.data.loading import extra_folder, fact_counts, load
from jlnlearn.data.schema import table_names
from jlnlearn.data.sources import cite
from jlnlearn.data.validation import check_rows, validate

__all__ = ["Country", "CountryLike", "check_rows", "cite", "countries", "country", "extra_folder",
           "fact_counts", "load", "table_names", "validate"]
