"""Column headers and cell values as a reader sees them: the one labels and formats layer.

A column of the data is headed by its ``title`` in ``data/datapackage.json``;
a column a lesson computes is headed by :data:`COMPUTED`. Values are written
by what they are: yes or no for a boolean, a year without a thousands
separator, counts and amounts with one, a probability as a percentage, and
"not documented" for a fact count of zero. :func:`readable` does all of it
for a table, and :func:`~jlnlearn.present.fact_table` calls it, so no raw
column name or ``True``/``False`` reaches a page.
"""

from __future__ import annotations

import functools
import math

import pandas as pd

from jlnlearn.data import schema
from jlnlearn.present.formats import date_text

#: Headers of the columns lessons compute (with their unit), by column name.
COMPUTED = {
    "years": "years",
    "phc_mechanisms": "of which pay primary care",
    "payment_mechanisms": "payment mechanisms",
    "payment_rates": "payment rates",
    "reforms": "reforms",
    "covid_measures": "COVID-19 measures",
    "amount_usd": "amount (US$)",
    "exchange_rate": "exchange rate (local currency per US$)",
    "exchange_rate_year": "year of the exchange rate",
    "spending_mean": "purchaser's spending per facility-year, average (US$)",
    "spending_sd": "purchaser's spending, spread (standard deviation, US$)",
    "margin_mean": "provider's margin per facility-year, average (US$)",
    "margin_sd": "provider's margin, spread (standard deviation, US$)",
    "loss_probability": "years in which the provider loses money",
}
#: Fact counts, where zero means that no source used documents one.
FACT_COUNTS = {"payment_mechanisms", "payment_rates", "reforms", "covid_measures", "phc_mechanisms"}
#: Columns holding a share of one, shown as a percentage.
SHARES_OF_ONE = {"loss_probability"}
#: Columns of dates as the sources give them (YYYY, YYYY-MM or YYYY-MM-DD), written in words.
DATE_COLUMNS = {"date", "end_date"}


@functools.cache
def _schema_titles() -> dict[str, str]:
    """Every data column's title, by name (the first table to define a name gives its title)."""
    titles: dict[str, str] = {}
    for table in schema.table_names():
        for field in schema.fields(table):
            titles.setdefault(field["name"], field.get("title", field["name"]))
    return titles


def column_label(name: object) -> str:
    """The header a reader sees for column ``name``.

    >>> column_label("likely_incentives"), column_label("amount_usd"), column_label("what it covers")
    ('likely incentives', 'amount (US$)', 'what it covers')
    """
    text = str(name)
    return COMPUTED.get(text) or _schema_titles().get(text) or text.replace("_", " ")


def is_year_column(name: object) -> bool:
    """Whether a column holds years, written without a thousands separator.

    >>> is_year_column("since_year"), is_year_column("year"), is_year_column("population")
    (True, True, False)
    """
    text = str(name)
    return text == "year" or text.endswith("_year")


def cell_text(value: object, column: object) -> object:
    """``value`` written for column ``column``; text and categories are left as they are.

    >>> cell_text(True, "phc_collaborative"), cell_text(2019.0, "since_year"), cell_text(0, "reforms")
    ('yes', '2019', 'not documented')
    >>> cell_text("2016-02", "date"), cell_text("2016-02-08", "end_date")
    ('February 2016', '8 February 2016')
    >>> cell_text(1234567.891, "spending_mean"), cell_text(0.0312, "loss_probability"), cell_text(2.5, "margin_sd")
    ('1,234,568', '3.1%', '2.50')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    name = str(column)
    if name in DATE_COLUMNS and isinstance(value, str):
        return date_text(value)
    if not isinstance(value, int | float):
        return value
    if is_year_column(name):
        return f"{int(value)}"
    if name in SHARES_OF_ONE:
        return f"{value:.1%}"
    if name in FACT_COUNTS and value == 0:
        return "not documented"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with human headers and every value written as a reader would.

    >>> table = readable(pd.DataFrame({"since_year": [2012], "phc_collaborative": [False]}))
    >>> table.columns.tolist(), table.iloc[0].tolist()
    (['since', 'in the PHC collaborative'], ['2012', 'no'])
    """
    shown = pd.DataFrame({column: [cell_text(value, column) for value in frame[column].tolist()]
                          for column in frame.columns}, index=frame.index)
    return shown.rename(columns=column_label)
