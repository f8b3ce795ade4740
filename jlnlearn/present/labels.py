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
from jlnlearn.i18n import N_, _, joined, number
from jlnlearn.lessons import covid, risk
from jlnlearn.present.formats import date_text, number_text, percent_text

#: Headers of the columns lessons compute (with their unit), by column name.
COMPUTED = {
    "years": N_("years"),
    "phc_mechanisms": N_("of which pay primary care"),
    "payment_mechanisms": N_("payment mechanisms"),
    "payment_rates": N_("payment rates"),
    "reforms": N_("reforms"),
    "covid_measures": N_("COVID-19 measures"),
    "amount_usd": N_("amount (US$)"),
    "exchange_rate": N_("exchange rate (local currency per US$)"),
    "exchange_rate_year": N_("year of the exchange rate"),
    "spending_mean": N_("purchaser's spending per facility-year, average (US$)"),
    "spending_sd": N_("purchaser's spending, spread (standard deviation, US$)"),
    "margin_mean": N_("provider's margin per facility-year, average (US$)"),
    "margin_sd": N_("provider's margin, spread (standard deviation, US$)"),
    "loss_probability": N_("years in which the provider loses money"),
    # the columns of the tables the lessons and this layer build, headed by their own name
    "calculator": N_("calculator"),
    "country": N_("country"),
    "documented measures": N_("documented measures"),
    "experience counted from": N_("experience counted from"),
    "fact": N_("fact"),
    "figure": N_("figure"),
    "headline": N_("headline"),
    "in US$": N_("in US$"),
    "item": N_("item"),
    "lesson": N_("lesson"),
    "level of care": N_("level of care"),
    "lever": N_("lever"),
    "meaning": N_("meaning"),
    "measure": N_("measure"),
    "measures": N_("measures"),
    "number": N_("number"),
    "on average": N_("on average"),
    "question": N_("question"),
    "result": N_("result"),
    "source": N_("source"),
    "what it covers": N_("what it covers"),
    "what the resource country did": N_("what the resource country did"),
    "what we will try": N_("what we will try"),
    "when": N_("when"),
    # lesson 07's tables
    "payer": N_("payer"),
    "part": N_("part"),
    "guide_steps": N_("steps of the JLN guide"),
    "questions": N_("questions"),
    "function": N_("function"),
    "rating": N_("rating"),
    "level": N_("level"),
    "what it looks like": N_("what it looks like"),
    "value": N_("value"),
    "who, by when": N_("who, by when"),
}
#: Fact counts, where zero means that no source used documents one (a pairing's COVID-19 measures by category too).
FACT_COUNTS = {"payment_mechanisms", "payment_rates", "reforms", "covid_measures", "phc_mechanisms",
               *covid.MEASURE_CATEGORIES}
#: Columns holding a share of one, shown as a percentage.
SHARES_OF_ONE = {"loss_probability"}
#: Columns of dates as the sources give them (YYYY, YYYY-MM or YYYY-MM-DD), written in words.
DATE_COLUMNS = {"date", "end_date"}
#: Columns (``table.column``) whose values are codes or numbers rather than words: never translated
#: (:mod:`jlnlearn.reports.catalogues` leaves them out of the catalogue).
CODED_COLUMNS = {"sources.kind", "countries.who_region", "indicators.indicator", "population_age_sex.age_group",
                 "population_age_sex.year"}
#: Text the collection wrote itself into the data (not a source's words), by ``table.column``, with the
#: rows it covers where not all (a column's value): translated where shown, and put in the catalogue by
#: :mod:`jlnlearn.reports.catalogues`.
OWN_WORDS = {"mechanism_types.definition": None, "mechanism_types.likely_incentives": None,
             "covid_measures.description": ("category", "case study lesson")}
#: The columns of the lessons' tables that hold :data:`OWN_WORDS`, and those that join several with "; ".
OWN_WORDS_SHOWN = {"definition", "likely_incentives", "lesson"}
JOINED_OWN_WORDS = {"lesson"}
#: The words of columns the lessons compute, which take set values too (translated where shown).
COMPUTED_CATEGORIES = {"lever": tuple(covid.LEVER_ORDER), "mechanism": risk.MECHANISMS_SIMULATED}
#: Columns the lessons name in words that hold a data column's categories.
SAME_CATEGORIES = {"level of care": "level_of_care"}


@functools.cache
def _schema_titles() -> dict[str, str]:
    """Every data column's title, by name (the first table to define a name gives its title)."""
    titles: dict[str, str] = {}
    for table in schema.table_names():
        for field in schema.fields(table):
            titles.setdefault(field["name"], field.get("title", field["name"]))
    return titles


@functools.cache
def _categories(column: str) -> frozenset[str]:
    """The set values (in English) a column called ``column`` takes, in any table: the words
    of the data's categories, and those of :data:`COMPUTED_CATEGORIES`; codes left out.

    >>> sorted(_categories("status"))
    ['designed', 'ended', 'in use', 'pilot']
    """
    name = SAME_CATEGORIES.get(column, column)
    values = set(COMPUTED_CATEGORIES.get(column, ()))
    for table in schema.table_names():
        for field in schema.fields(table):
            if field["name"] == name and f"{table}.{name}" not in CODED_COLUMNS:
                values.update(value for value in field.get("constraints", {}).get("enum", [])
                              if isinstance(value, str))
    return frozenset(values)


@functools.cache
def _every_category() -> frozenset[str]:
    """Every set value (in English) of every data column that takes words."""
    names = {field["name"] for table in schema.table_names() for field in schema.fields(table)}
    return frozenset().union(*(_categories(name) for name in names | set(COMPUTED_CATEGORIES)))


def column_label(name: object) -> str:
    """The header a reader sees for column ``name``, in the reader's language: a column a lesson
    computes, a data column's title, or a category (a table of counts by category).

    >>> column_label("likely_incentives"), column_label("amount_usd"), column_label("what it covers")
    ('likely incentives', 'amount (US$)', 'what it covers')
    """
    text = str(name)
    title = COMPUTED.get(text) or _schema_titles().get(text)
    if title:
        return _(title)
    return _(text) if text in _every_category() else text.replace("_", " ")


def is_year_column(name: object) -> bool:
    """Whether a column holds years, written without a thousands separator.

    >>> is_year_column("since_year"), is_year_column("year"), is_year_column("population")
    (True, True, False)
    """
    text = str(name)
    return text == "year" or text.endswith("_year")


def cell_text(value: object, column: object) -> object:
    """``value`` written for column ``column``, in the reader's language: a category the data (or
    a lesson) sets is translated, other text is left as it is.

    >>> cell_text(True, "phc_collaborative"), cell_text(2019.0, "since_year"), cell_text(0, "reforms")
    ('yes', '2019', 'not documented')
    >>> cell_text("2016-02", "date"), cell_text("2016-02-08", "end_date")
    ('February 2016', '8 February 2016')
    >>> cell_text(1234567.891, "spending_mean"), cell_text(0.0312, "loss_probability"), cell_text(2.5, "margin_sd")
    ('1,234,568', '3.1%', '2.50')
    >>> cell_text("in use", "status"), cell_text("Ashanti pilot", "detail")
    ('in use', 'Ashanti pilot')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    name = str(column)
    if name in DATE_COLUMNS and isinstance(value, str):
        return date_text(value)
    if isinstance(value, str) and name in OWN_WORDS_SHOWN:
        return own_words(value, several=name in JOINED_OWN_WORDS)
    if isinstance(value, str):
        return _(value) if value in _categories(name) else value
    if not isinstance(value, int | float):
        return value
    if is_year_column(name):
        return f"{int(value)}"
    if name in SHARES_OF_ONE:
        return percent_text(value * 100, 1)
    if name in FACT_COUNTS and value == 0:
        return _("not documented")
    if float(value).is_integer() and abs(value) < 1e15:
        return number(int(value))
    return number_text(value, 0) if abs(value) >= 100 else number_text(value, 2)


def own_words(text: str, several: bool = False) -> str:
    """Text the collection wrote itself (:data:`OWN_WORDS`) in the reader's language; with ``several``,
    several texts joined by "; ", each translated and joined the reader's way.

    >>> from jlnlearn.i18n import language_set
    >>> with language_set("fr"):
    ...     print(own_words("A fixed amount per inpatient day"))
    Un montant fixe par journée d'hospitalisation
    """
    if not several:
        return _(text)
    return joined(_(part) for part in text.split("; "))


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with human headers and every value written as a reader would.

    >>> table = readable(pd.DataFrame({"since_year": [2012], "phc_collaborative": [False]}))
    >>> table.columns.tolist(), table.iloc[0].tolist()
    (['since', 'in the PHC collaborative'], ['2012', 'no'])
    """
    shown = pd.DataFrame({column: [cell_text(value, column) for value in frame[column].tolist()]
                          for column in frame.columns}, index=frame.index)
    return shown.rename(columns=column_label)
