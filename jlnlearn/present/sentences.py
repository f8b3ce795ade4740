"""What a lesson says in words about a country or a pairing, computed from the data.

Each function returns Markdown or plain text whose parts from the data are
escaped; the numbers and facts behind them come from the topic modules.
"""

from __future__ import annotations

from collections.abc import Sequence

from jlnlearn.data.countries import CountryLike, country, who_region_name
from jlnlearn.data.sources import cite
from jlnlearn.i18n import N_, _, joined, ngettext, number
from jlnlearn.lessons import covid, journey, pairing, profile
from jlnlearn.names import contracting
from jlnlearn.present.escape import escape_markdown
from jlnlearn.present.formats import number_text, percent_text, uhc_index_text
from jlnlearn.present.readings import counted, listed, named_in_sentence

#: How each documented Steering Group event is said (in English; translated where shown).
STEERING_GROUP_WORDS = {"founding": N_("among its first country members (2013)"),
                        "joined": N_("elected in March 2017"),
                        "stayed": N_("kept its seat in the March 2017 election"),
                        "left": N_("left in the March 2017 election")}


@contracting
def headline(query: CountryLike) -> str:
    """A Markdown heading and one line of key facts about the country (text escaped).

    >>> print(headline("Laos").splitlines()[0])
    ## Lao PDR
    """
    subject = country(query)
    facts = [_(subject.income_group) if subject.income_group else _("income group not classified"),
             who_region_name(subject.who_region) if subject.who_region else _("no WHO region"),
             _("JLN founding member") if subject.founding_member
             else _("JLN membership not documented") if subject.membership == "not documented"
             # TRANSLATORS: {membership} is a kind of JLN membership: "member" or "associate".
             else _("JLN {membership}").format(membership=_(str(subject.membership)))]
    if subject.phc_collaborative:
        facts.append(_("PHC Financing and Payment collaborative"))
    return f"## {escape_markdown(subject.name)}\n\n{escape_markdown(' · '.join(facts))}"


@contracting
def who_pays(query: CountryLike) -> str:
    """How much of the country's domestic private health spending households pay out of pocket.

    >>> who_pays("Kosovo")
    "WHO's health spending data do not give Kosovo's private and out-of-pocket shares."
    """
    subject = country(query)
    split = profile.out_of_pocket_part(subject)
    name = escape_markdown(subject.name)
    if split.empty:
        return _("WHO's health spending data do not give {name}'s private and out-of-pocket shares.").format(name=name)
    # TRANSLATORS: {private}, {oop} and {of_private} are percentages; "WHO Global Health Expenditure
    # Database" is the name of the source.
    return _("{name}, {year}: domestic private spending was {private} of current health spending and "
             "out-of-pocket payments {oop}, so households paid {of_private} of private spending at the point "
             "of care (WHO Global Health Expenditure Database).").format(
        name=name, year=int(split.year), private=percent_text(split.private_share, 1),
        oop=percent_text(split.oop_share, 1), of_private=percent_text(split.oop_of_private))


@contracting
def covid_summary(query: CountryLike) -> str:
    """One paragraph saying which COVID-19 measures are documented for the country, or that none is.

    >>> covid_summary("Ghana").startswith("No COVID-19 financing or payment measure for Ghana")
    True
    >>> covid_summary("Kenya")
    '3 measures are documented for Kenya: raising money (1), covering patients (1), who pays (1).'
    """
    subject = country(query)
    rows = covid.country_measures(subject)
    name = named_in_sentence(subject)
    if rows.empty:
        return _("No COVID-19 financing or payment measure for {name} is documented in the sources this "
                 "collection uses. That says nothing about what the country did: the epidemic and the other "
                 "countries' lessons below still apply, and the exercise asks you to record your country's "
                 "measures.").format(name=name)
    used = counted(rows.lever.value_counts(sort=False))
    # TRANSLATORS: {levers} counts the measures by lever: "raising money (1), who pays (2)".
    return ngettext("{n} measure is documented for {name}: {levers}.",
                    "{n} measures are documented for {name}: {levers}.", len(rows)).format(
        n=len(rows), name=name, levers=used)


@contracting
def steering_group_role(query: CountryLike) -> str:
    """In words, the country's documented Steering Group history (or that none is documented).

    >>> steering_group_role("Kenya")
    'Steering Group: among its first country members (2013); left in the March 2017 election.'
    """
    events = journey.steering_group_history(query)
    if not events:
        return _("Steering Group: no seat documented in the sources used.")
    # TRANSLATORS: {events} lists a country's Steering Group events, separated by ";".
    return _("Steering Group: {events}.").format(events=joined(_(STEERING_GROUP_WORDS[event]) for event in events))


@contracting
def pairing_headline(countries: Sequence[CountryLike] | str, topic: str) -> str:
    """A pairing pack's Markdown heading: the countries and the topic.

    >>> pairing_headline(["GHA", "KEN"], "capitation")
    '## Ghana and Kenya: capitation for primary care'
    """
    names = [c.name for c in pairing.parse_pairing(countries)]
    cite(["S01"])  # the collaborative's pairings, which this pack prepares
    title = _(pairing.topic(topic).title)
    # TRANSLATORS: {countries} are the pairing's countries ("Ghana and Kenya"), {topic} its topic.
    heading = _("{countries}: {topic}").format(countries=escape_markdown(listed(names)),
                                               topic=f"{title[0].lower()}{title[1:]}")
    return f"## {heading}"


@contracting
def suggestions_markdown(topic: str, countries: Sequence[CountryLike] | str, limit: int = 5) -> str:
    """The suggested resource countries as a numbered Markdown list, each with the facts behind its score.

    >>> suggestions_markdown("capitation", "GHA,KEN").startswith("1. **")
    True
    """
    ranked = pairing.suggest_resource_countries(topic, countries, limit)
    if ranked.empty:
        # TRANSLATORS: {topic} is a pairing topic in lower case ("capitation for primary care").
        return _("No country has documented experience of {topic} in the sources used yet. The pairing can "
                 "still choose a resource country it knows of: record its experience so the next pairing "
                 "finds it.").format(topic=_(pairing.topic(topic).title).lower())
    items = []
    for place, row in enumerate(ranked.itertuples(), start=1):
        named = f"**{escape_markdown(row.country)}**"
        score = number(row.score, 0 if float(row.score).is_integer() else 1)
        if row.not_known:
            # TRANSLATORS: {score} is a score out of 100; {unknown} lists the parts of it not known
            # ("income group, region").
            line = _("{country}: {score} points (out of 100 over the criteria known; not known: {unknown})").format(
                country=named, score=score, unknown=", ".join(_(part) for part in row.not_known))
        else:
            # TRANSLATORS: {score} is a score out of 100.
            line = _("{country}: {score} points").format(country=named, score=score)
        reasons = "".join(f"\n    - {escape_markdown(reason)}" for reason in row.reasons)
        items.append(f"{place}. {line}{reasons}")
    return "\n".join(items)


#: How each headline number is written, from its value (in the reader's language when called).
HEADLINE_WORDS = {
    "che_per_capita_usd": lambda value: _("US$ {amount} per person on health").format(amount=number_text(value)),
    "oop_share_che_pct": lambda value: _("{share} paid out of pocket").format(share=percent_text(value)),
    "uhc_service_coverage_index": lambda value: _("UHC service coverage index {index}").format(
        index=uhc_index_text(value)),
}


@contracting
def headline_numbers(query: CountryLike) -> str:
    """The country's headline numbers in words, each with its year (plain text).

    >>> headline_numbers("Kosovo")
    'no spending or coverage data'
    >>> headline_numbers("Ghana").startswith("US$ ")
    True
    """
    latest = profile.latest_values(query)
    if latest.empty:
        return _("no spending or coverage data")
    return " · ".join(f"{HEADLINE_WORDS[str(row.indicator)](row.value)} ({int(row.year)})"
                      for row in latest.itertuples())
