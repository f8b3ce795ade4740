"""What a lesson says in words about a country or a pairing, computed from the data.

Each function returns Markdown or plain text whose parts from the data are
escaped; the numbers and facts behind them come from the topic modules.
"""

from __future__ import annotations

from collections.abc import Sequence

from jlnlearn.data.countries import CountryLike, country
from jlnlearn.data.sources import cite
from jlnlearn.lessons import covid, journey, pairing, profile
from jlnlearn.present.escape import escape_markdown
from jlnlearn.present.formats import uhc_index_text

#: How each documented Steering Group event is said.
STEERING_GROUP_WORDS = {"founding": "among its first country members (2013)",
                        "joined": "elected in March 2017",
                        "stayed": "kept its seat in the March 2017 election",
                        "left": "left in the March 2017 election"}


def headline(query: CountryLike) -> str:
    """A Markdown heading and one line of key facts about the country (text escaped).

    >>> print(headline("Laos").splitlines()[0])
    ## Lao PDR
    """
    subject = country(query)
    facts = [subject.income_group or "income group not classified",
             f"WHO region {subject.who_region}" if subject.who_region else "no WHO region",
             "JLN founding member" if subject.founding_member
             else "JLN membership not documented" if subject.membership == "not documented"
             else f"JLN {subject.membership}"]
    if subject.phc_collaborative:
        facts.append("PHC Financing and Payment collaborative")
    return f"## {escape_markdown(subject.name)}\n\n{escape_markdown(' · '.join(facts))}"


def who_pays(query: CountryLike) -> str:
    """How much of the country's domestic private health spending households pay out of pocket.

    >>> who_pays("Kosovo")
    "WHO's health spending data do not give Kosovo's private and out-of-pocket shares."
    """
    subject = country(query)
    split = profile.out_of_pocket_part(subject)
    if split.empty:
        return f"WHO's health spending data do not give {escape_markdown(subject.name)}'s private and out-of-pocket shares."
    return (f"{escape_markdown(subject.name)}, {int(split.year)}: domestic private spending was "
            f"{split.private_share:.1f}% of current health spending and out-of-pocket payments "
            f"{split.oop_share:.1f}%, so households paid {split.oop_of_private:.0f}% of private spending "
            "at the point of care (WHO Global Health Expenditure Database).")


def covid_summary(query: CountryLike) -> str:
    """One paragraph saying which COVID-19 measures are documented for the country, or that none is.

    >>> covid_summary("Ghana").startswith("No COVID-19 financing or payment measure for Ghana")
    True
    >>> covid_summary("Kenya")
    '3 measures are documented for Kenya: raising money (1), covering patients (1), who pays (1).'
    """
    subject = country(query)
    rows = covid.country_measures(subject)
    if rows.empty:
        return (f"No COVID-19 financing or payment measure for {escape_markdown(subject.name)} is documented in the "
                "sources this collection uses. That says nothing about what the country did: the "
                "epidemic and the other countries' lessons below still apply, and the exercise asks "
                "you to record your country's measures.")
    counts = rows.lever.value_counts(sort=False)
    used = ", ".join(f"{lever} ({count})" for lever, count in counts.items() if count)
    plural = "s are" if len(rows) > 1 else " is"
    return f"{len(rows)} measure{plural} documented for {escape_markdown(subject.name)}: {used}."


def steering_group_role(query: CountryLike) -> str:
    """In words, the country's documented Steering Group history (or that none is documented).

    >>> steering_group_role("Kenya")
    'Steering Group: among its first country members (2013); left in the March 2017 election.'
    """
    events = journey.steering_group_history(query)
    if not events:
        return "Steering Group: no seat documented in the sources used."
    return "Steering Group: " + "; ".join(STEERING_GROUP_WORDS[event] for event in events) + "."


def pairing_headline(countries: Sequence[CountryLike] | str, topic: str) -> str:
    """A pairing pack's Markdown heading: the countries and the topic.

    >>> pairing_headline(["GHA", "KEN"], "capitation")
    '## Ghana and Kenya: capitation for primary care'
    """
    names = [c.name for c in pairing.parse_pairing(countries)]
    cite(["S01"])  # the collaborative's pairings, which this pack prepares
    joined = " and ".join([", ".join(names[:-1]), names[-1]])
    title = pairing.topic(topic).title
    return f"## {escape_markdown(joined)}: {title[0].lower()}{title[1:]}"


def suggestions_markdown(topic: str, countries: Sequence[CountryLike] | str, limit: int = 5) -> str:
    """The suggested resource countries as a numbered Markdown list, each with the facts behind its score.

    >>> suggestions_markdown("capitation", "GHA,KEN").startswith("1. **")
    True
    """
    ranked = pairing.suggest_resource_countries(topic, countries, limit)
    if ranked.empty:
        return (f"No country has documented experience of {pairing.topic(topic).title.lower()} in the "
                "sources used yet. The pairing can still choose a resource country it knows of: record "
                "its experience so the next pairing finds it.")
    items = []
    for number, row in enumerate(ranked.itertuples(), start=1):
        inside = " (in the pairing)" if row.in_pairing else ""
        unknown = (f" (out of 100 over the criteria known; not known: {', '.join(row.not_known)})"
                   if row.not_known else "")
        reasons = "".join(f"\n    - {escape_markdown(reason)}" for reason in row.reasons)
        items.append(f"{number}. **{escape_markdown(row.country)}**{inside}: {row.score:g} points{unknown}{reasons}")
    return "\n".join(items)


#: How each headline number is written, from its value.
HEADLINE_WORDS = {"che_per_capita_usd": lambda value: f"US$ {value:,.0f} per person on health",
                  "oop_share_che_pct": lambda value: f"{value:.0f}% paid out of pocket",
                  "uhc_service_coverage_index": lambda value: f"UHC service coverage index {uhc_index_text(value)}"}


def headline_numbers(query: CountryLike) -> str:
    """The country's headline numbers in words, each with its year (plain text).

    >>> headline_numbers("Kosovo")
    'no spending or coverage data'
    >>> headline_numbers("Ghana").startswith("US$ ")
    True
    """
    latest = profile.latest_values(query)
    if latest.empty:
        return "no spending or coverage data"
    return " · ".join(f"{HEADLINE_WORDS[str(row.indicator)](row.value)} ({int(row.year)})"
                      for row in latest.itertuples())
