"""Amounts in local currency converted to US$, with the exchange-rate year kept.

The rate is the World Bank's official exchange rate (local currency units per
US$, period average) from the ``indicators`` table.
"""

from __future__ import annotations

import pandas as pd

from jlnlearn.data.countries import CountryLike, country
from jlnlearn.data.loading import load
from jlnlearn.data.sources import cite

US_DOLLAR = "USD"


def exchange_rates(query: CountryLike) -> pd.Series:
    """The World Bank's official exchange rates of the country's currency (units per US$), by year.

    >>> round(float(exchange_rates("Ghana")[2022]), 2)
    8.27
    """
    indicators = load("indicators")
    rates = indicators[(indicators.iso3 == country(query).iso3)
                       & (indicators.indicator == "exchange_rate_lcu_per_usd")]
    return rates.set_index("year")["value"].sort_index()


def local_amount(amount_usd: float, query: CountryLike, year: int) -> pd.Series:
    """A US$ amount in the country's own currency at the exchange rate of ``year`` (or of the latest
    earlier year with a rate): ``amount``, ``currency`` (ISO 4217), ``rate`` and ``rate_year``. Empty
    where the country's currency is the US$, or no rate that early is in the data: never guessed.

    >>> cedis = local_amount(10.0, "Ghana", 2022)
    >>> round(float(cedis.amount), 2), cedis.currency, int(cedis.rate_year)
    (82.72, 'GHS', 2022)
    """
    subject = country(query)
    earlier = exchange_rates(subject).loc[:year]
    if subject.currency in (None, "", US_DOLLAR) or pd.isna(subject.currency) or earlier.empty:
        return pd.Series(dtype=object)
    cite(["DS-WB-WDI"])
    rate = float(earlier.iloc[-1])
    return pd.Series({"amount": amount_usd * rate, "currency": subject.currency, "rate": rate,
                      "rate_year": int(earlier.index[-1])})


def in_us_dollars(rows: pd.DataFrame, query: CountryLike, amount: str = "amount",
                  currency: str = "currency", year: str = "year") -> pd.DataFrame:
    """``rows`` with ``amount_usd``, ``exchange_rate`` and ``exchange_rate_year`` added.

    Amounts already in US$ are kept (rate 1, no rate year). An amount in the
    country's own currency is divided by the exchange rate of its year, or of
    the latest earlier year with a rate. Rows without a currency, in another
    currency (euros in Moldova), without a year, or before the first rate get
    no US$ value, so no conversion is ever guessed.

    >>> rows = pd.DataFrame({"amount": [43997, 1500000, 67, 100], "currency": ["PHP", "USD", None, "EUR"],
    ...                      "year": [2020, 2020, 2020, 2020]})
    >>> converted = in_us_dollars(rows, "PHL")
    >>> converted.amount_usd.tolist(), converted.exchange_rate_year.tolist()
    ([886.61, 1500000.0, nan, nan], [2020.0, nan, nan, nan])
    """
    subject = country(query)
    rates = exchange_rates(subject)
    out = rows.copy()
    rate_years, rate_values = [], []
    for money, when in zip(out[currency], out[year], strict=True):
        earlier = rates[rates.index <= when] if pd.notna(when) else rates.iloc[:0]
        if pd.notna(money) and money == US_DOLLAR:
            rate_years.append(float("nan"))
            rate_values.append(1.0)
        elif pd.isna(money) or money != subject.currency or earlier.empty:
            rate_years.append(float("nan"))
            rate_values.append(float("nan"))
        else:
            rate_years.append(float(earlier.index[-1]))
            rate_values.append(float(earlier.iloc[-1]))
    out["exchange_rate"] = rate_values
    out["exchange_rate_year"] = rate_years
    out["amount_usd"] = (out[amount].astype(float) / out["exchange_rate"]).round(2)
    if out.exchange_rate_year.notna().any():
        cite(["DS-WB-WDI"])
    return out
