"""Each lesson's charts read in sentences about the chosen country, computed from the data.

A page is about its country, not a template with a name in it: these say how
the country's numbers moved, where it stands among its peers and what its
sources document, and :func:`gaps_notice` says once what they do not.
Parts from the data are escaped for Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from jlnlearn.data.countries import CountryLike, country
from jlnlearn.data.sources import uncited
from jlnlearn.lessons import covid, journey, phc, profile
from jlnlearn.present.escape import escape_markdown
from jlnlearn.present.formats import period_text, uhc_index_text
from jlnlearn.present.tables import PRIMARY_LEVELS, Notice


def _ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``... ``11th``, ``21st``.

    >>> [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']
    """
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


#: Country names said with "the" inside a sentence.
WITH_ARTICLE = ("Philippines", "Netherlands", "Gambia", "United States", "United Kingdom")


def named_in_sentence(query: CountryLike, markdown: bool = True) -> str:
    """The country's name as said inside a sentence: ``Ghana``, ``the Philippines``; escaped for
    Markdown unless ``markdown`` is false (text that is escaped for HTML later).

    >>> named_in_sentence("PHL"), named_in_sentence("GHA")
    ('the Philippines', 'Ghana')
    """
    name = country(query).name
    written = escape_markdown(name) if markdown else name
    return f"the {written}" if name.startswith(WITH_ARTICLE) else written


def possessive(name: str) -> str:
    """``Ghana's``, ``the Philippines'``.

    >>> possessive("Ghana"), possessive("the Philippines")
    ("Ghana's", "the Philippines'")
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _place(rank: int, count: int, direction: str) -> str:
    """``the lowest``, ``the 3rd lowest``.

    >>> _place(1, 5, "lowest"), _place(3, 5, "highest")
    ('the lowest', 'the 3rd highest')
    """
    return f"the {direction}" if rank == 1 else f"the {_ordinal(rank)} {direction}"


def among_peers(query: CountryLike, indicator: str) -> tuple[int, int, float, int] | None:
    """Where the country's latest value of ``indicator`` ranks among its peers' latest values,
    lowest first: ``(rank, countries ranked, value, year)``, or ``None`` without a value.

    >>> rank, ranked, value, year = among_peers("Ghana", "oop_share_che_pct")
    >>> 1 <= rank <= ranked, year
    (True, 2022)
    """
    series = profile.indicator_series(query, indicator, with_peers=True).dropna(subset=["value"])
    latest = series.sort_values("year").groupby("iso3").tail(1)
    own = latest[latest.is_subject]
    if own.empty:
        return None
    value = float(own.value.iloc[0])
    rank = int((latest.value < value).sum()) + 1
    return rank, len(latest), value, int(own.year.iloc[0])


def out_of_pocket_reading(query: CountryLike) -> str:
    """How the country's out-of-pocket share moved from its first to its last year, and where
    it stands among its peers; empty when WHO gives no share (the chart already says so).

    >>> out_of_pocket_reading("Kosovo")
    ''
    >>> out_of_pocket_reading("Thailand").startswith("Households in Thailand paid ")
    True
    """
    subject = country(query)
    series = profile.indicator_series(subject, "oop_share_che_pct").dropna(subset=["value"])
    name = named_in_sentence(subject)
    if series.empty:
        return ""
    first, last = series.iloc[0], series.iloc[-1]
    change = float(last.value) - float(first.value)
    moved = ("about the same" if abs(change) < 1 else
             f"{abs(change):.0f} points {'more' if change > 0 else 'less'} than in {int(first.year)} "
             f"({float(first.value):.0f}%)")
    text = (f"Households in {name} paid {float(last.value):.0f}% of current health spending out of pocket "
            f"in {int(last.year)}, {moved}.")
    if len(series) == 1:
        text = (f"Households in {name} paid {float(last.value):.0f}% of current health spending out of "
                f"pocket in {int(last.year)}, the only year WHO's data give.")
    ranked = among_peers(subject, "oop_share_che_pct")
    if ranked and ranked[1] > 1:
        rank, count, _, _ = ranked
        text += (f" That is {_place(rank, count, 'lowest')} of {count} {escape_markdown(profile.peer_basis(subject))} "
                 "in the data (each in its latest year).")
    return text


def primary_care_reading(query: CountryLike) -> str:
    """How the sources say the country pays primary care, and since when.

    >>> primary_care_reading("Philippines")  # doctest: +ELLIPSIS
    'The sources document how the Philippines pays for primary care: capitation (PhilHealth), ...'
    """
    subject = country(query)
    mechanisms = profile.payment_mechanisms(subject)
    primary = mechanisms[mechanisms.level_of_care.isin(PRIMARY_LEVELS)]
    name = named_in_sentence(subject)
    if primary.empty:
        return f"No source in the data says how {name} pays for primary care."
    ways = []
    for row in primary.itertuples():
        payer = next((str(value) for value in (row.purchaser, row.scheme) if pd.notna(value)), "")
        ways.append(f"{row.mechanism}{f' ({payer})' if payer else ''}, "
                    f"{period_text(row.since_year, row.until_year, row.as_of_year)}")
    return (f"The sources document how {name} pays for primary care: "
            f"{escape_markdown('; '.join(ways))}.")


def reforms_reading(query: CountryLike) -> str:
    """How many dated reforms the data hold for the country, and over which years.

    >>> reforms_reading("Kosovo")
    'The data hold 2 dated reforms of Kosovo, from 2007 to 2014: law (1), project (1).'
    """
    subject = country(query)
    reforms = journey.country_reforms(subject)
    name = named_in_sentence(subject)
    if reforms.empty:
        return f"No dated reform of {name} is in the data."
    first, last = int(reforms.year.min()), int(reforms.year.max())
    kinds = ", ".join(f"{kind} ({count})" for kind, count in reforms.kind.value_counts().items() if count)
    span = f"in {first}" if first == last else f"from {first} to {last}"
    plural = "s" if len(reforms) > 1 else ""
    return f"The data hold {len(reforms)} dated reform{plural} of {name}, {span}: {escape_markdown(kinds)}."


def capitation_reading(query: CountryLike, phc_share: float) -> str:
    """What the lesson's PHC share means for the country: its budget and the flat rate per person.

    >>> capitation_reading("Ghana", 0.3)  # doctest: +ELLIPSIS
    'With 30% of its health spending for primary care, Ghana would have US$ 866... million a year...'
    """
    subject = country(query)
    budget = phc.phc_budget(subject, phc_share)
    name = named_in_sentence(subject)
    if budget.empty:
        return f"The data lack {possessive(name)} health spending or population, so its budget cannot be worked out."
    rate = phc_share * float(budget.che_per_capita_usd)
    return (f"With {phc_share:.0%} of its health spending for primary care, {name} would have "
            f"US$ {float(budget.budget) / 1e6:,.1f} million a year: US$ {rate:,.2f} per person for "
            f"{float(budget.population):,.0f} people ({int(budget.population_year)}), from spending of "
            f"US$ {float(budget.che_per_capita_usd):,.2f} per person in {int(budget.spending_year)}.")


def coverage_reading(query: CountryLike) -> str:
    """The country's latest UHC service coverage index and where it stands among its peers;
    empty when WHO gives none (the chart already says so).

    >>> coverage_reading("Kosovo")
    ''
    """
    subject = country(query)
    name = named_in_sentence(subject)
    ranked = among_peers(subject, "uhc_service_coverage_index")
    if ranked is None:
        return ""
    rank, count, value, year = ranked
    text = f"{possessive(name)} UHC service coverage index was {uhc_index_text(value)} in {year}"
    text = text[0].upper() + text[1:]
    if count > 1:
        text += (f", {_place(count - rank + 1, count, 'highest')} of {count} "
                 f"{escape_markdown(profile.peer_basis(subject))} in the data")
    return text + "."


def participation_reading(query: CountryLike) -> str:
    """How many network events the sources record the country in, and of which kinds.

    >>> participation_reading("Laos")
    'The sources record Lao PDR in 1 network event, in 2018: membership (1).'
    """
    subject = country(query)
    events = journey.country_participation(subject)
    name = named_in_sentence(subject)
    if events.empty:
        return f"No source in the data records {name} in a network event."
    years = events.date.astype(str).str[:4].astype(int)
    span = f"in {years.min()}" if years.min() == years.max() else f"from {years.min()} to {years.max()}"
    kinds = ", ".join(f"{kind} ({count})" for kind, count in events.category.value_counts().items() if count)
    plural = "s" if len(events) > 1 else ""
    return f"The sources record {name} in {len(events)} network event{plural}, {span}: {escape_markdown(kinds)}."


#: What each kind of fact a lesson uses is called, and how to tell whether the country has one.
DOCUMENTED = {
    "payment mechanisms": lambda subject: not profile.payment_mechanisms(subject).empty,
    "payment rates": lambda subject: not phc.documented_rates(subject).empty,
    "reforms": lambda subject: not journey.country_reforms(subject).empty,
    "COVID-19 measures": lambda subject: not covid.country_measures(subject).empty,
    "network events": lambda subject: not journey.country_participation(subject).empty,
}


def gaps_notice(query: CountryLike, kinds: Sequence[str]) -> Notice | None:
    """One short notice naming which of ``kinds`` (keys of :data:`DOCUMENTED`) the data hold
    nothing of for the country, what that means and what the learner can do; ``None``
    (nothing shown) when every kind is documented.

    >>> gaps_notice("Philippines", ["payment mechanisms"]) is None
    True
    >>> print(gaps_notice("Morocco", ["payment mechanisms", "payment rates", "reforms"]).text)  # doctest: +ELLIPSIS
    Not documented for Morocco in the sources this collection uses: payment mechanisms and payment rates. ...
    """
    subject = country(query)
    with uncited():  # only checked, not shown
        missing = [kind for kind in kinds if not DOCUMENTED[kind](subject)]
    if not missing:
        return None
    listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
    name = named_in_sentence(subject, markdown=False)
    return Notice(f"Not documented for {name} in the sources this collection uses: {listed}. That is a gap "
                  "in the data, not a finding about the country. If you know one and its source, write it "
                  "as a row and check it with jlnlearn.check_rows (the exercise shows how); a facilitator "
                  "can then add it for everyone.")
