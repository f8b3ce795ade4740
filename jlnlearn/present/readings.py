"""Each lesson's charts read in sentences about the chosen country, computed from the data.

A page is about its country, not a template with a name in it: these say how
the country's numbers moved, where it stands among its peers and what its
sources document, and :func:`gaps_notice` says once what they do not.
Parts from the data are escaped for Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from jlnlearn.data.countries import Country, CountryLike, country
from jlnlearn.data.sources import uncited
from jlnlearn.i18n import DEFAULT_LANGUAGE, N_, _, language, ngettext
from jlnlearn.lessons import covid, journey, phc, profile
from jlnlearn.names import contracting, in_sentence
from jlnlearn.present.escape import escape_markdown
from jlnlearn.present.formats import (
    number_text,
    percent_text,
    uhc_index_text,
)
from jlnlearn.present.tables import Notice, ways_of_paying

#: How a rank is written by the ending English gives it (a language may write all of them alike: ``{n}e``).
ORDINALS = {"st": N_("{n}st"), "nd": N_("{n}nd"), "rd": N_("{n}rd"), "th": N_("{n}th")}


def _ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``... ``11th``, ``21st``.

    >>> [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']
    """
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return _(ORDINALS[suffix]).format(n=number)


#: Country names said with "the" inside a sentence.
WITH_ARTICLE = ("Philippines", "Netherlands", "Gambia", "United States", "United Kingdom")


def named_in_sentence(query: CountryLike, markdown: bool = True) -> str:
    """The country's name as said inside a sentence, in the reader's language: ``Ghana``, ``the
    Philippines``, in French ``le Sénégal`` (see :func:`~jlnlearn.i18n.in_sentence`); escaped for
    Markdown unless ``markdown`` is false (text that is escaped for HTML later).

    >>> named_in_sentence("PHL"), named_in_sentence("GHA")
    ('the Philippines', 'Ghana')
    """
    subject = country(query)
    written = escape_markdown(subject.name) if markdown else subject.name
    if language() != DEFAULT_LANGUAGE:
        return in_sentence(subject.iso3, written)
    # TRANSLATORS: {name} is a country's name said with "the" in English ("the Philippines"); where the
    # sentences around it read better without an article, translate this as "{name}".
    return _("the {name}").format(name=written) if subject.english_name.startswith(WITH_ARTICLE) else written


def possessive(name: str) -> str:
    """``Ghana's``, ``the Philippines'`` (English: a sentence that uses it also gives a translator the name alone).

    >>> possessive("Ghana"), possessive("the Philippines")
    ("Ghana's", "the Philippines'")
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _place(rank: int, count: int, direction: str) -> str:
    """``the lowest``, ``the 3rd lowest`` (``direction`` is ``lowest`` or ``highest``).

    >>> _place(1, 5, "lowest"), _place(3, 5, "highest")
    ('the lowest', 'the 3rd highest')
    """
    if rank == 1:
        return _("the lowest") if direction == "lowest" else _("the highest")
    if direction == "lowest":
        # TRANSLATORS: {ordinal} is a rank such as "3rd": "the 3rd lowest (of 12 countries)".
        return _("the {ordinal} lowest").format(ordinal=_ordinal(rank))
    # TRANSLATORS: {ordinal} is a rank such as "3rd": "the 3rd highest (of 12 countries)".
    return _("the {ordinal} highest").format(ordinal=_ordinal(rank))


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


@contracting
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
    words = {"name": name, "share": percent_text(float(last.value)), "year": int(last.year),
             "points": number_text(abs(change)), "first_year": int(first.year),
             "first_share": percent_text(float(first.value))}
    if len(series) == 1:
        # TRANSLATORS: {share} is a percentage, {year} a year.
        text = _("Households in {name} paid {share} of current health spending out of pocket in {year}, "
                 "the only year WHO's data give.").format(**words)
    elif abs(change) < 1:
        text = _("Households in {name} paid {share} of current health spending out of pocket in {year}, "
                 "about the same.").format(**words)
    elif change > 0:
        # TRANSLATORS: {points} is a number of percentage points, {first_share} the share in {first_year}.
        text = _("Households in {name} paid {share} of current health spending out of pocket in {year}, "
                 "{points} points more than in {first_year} ({first_share}).").format(**words)
    else:
        # TRANSLATORS: {points} is a number of percentage points, {first_share} the share in {first_year}.
        text = _("Households in {name} paid {share} of current health spending out of pocket in {year}, "
                 "{points} points less than in {first_year} ({first_share}).").format(**words)
    ranked = among_peers(subject, "oop_share_che_pct")
    if ranked and ranked[1] > 1:
        rank, count = ranked[0], ranked[1]
        # TRANSLATORS: {place} is "the lowest" or "the 3rd lowest"; {peers} a group ("low income countries").
        text += " " + _("That is {place} of {count} {peers} in the data (each in its latest year).").format(
            place=_place(rank, count, "lowest"), count=count, peers=escape_markdown(profile.peer_basis(subject)))
    return text


@contracting
def primary_care_reading(query: CountryLike) -> str:
    """How the sources say the country pays primary care, and since when; pilots, designs and ended
    schemes are named as such and never as the country's way of paying.

    >>> primary_care_reading("Philippines")  # doctest: +ELLIPSIS
    'The sources document how the Philippines pays for primary care: capitation (PhilHealth), ...'
    >>> primary_care_reading("Senegal")  # doctest: +ELLIPSIS
    'No source in the data documents a way Senegal pays for primary care nationally; they document only a pay-for-performance pilot, paid by ..., begun in 2015.'
    """
    subject = country(query)
    primary = profile.primary_care_mechanisms(subject)
    name = named_in_sentence(subject)
    if primary.empty:
        return _("No source in the data says how {name} pays for primary care.").format(name=name)

    def ways(rows: pd.DataFrame) -> str:
        return escape_markdown(ways_of_paying(rows))

    national, others = primary[primary.in_use], primary[~primary.in_use]
    if national.empty:
        # TRANSLATORS: {ways} lists pilots, designs or ended schemes with their years, separated by ";".
        return _("No source in the data documents a way {name} pays for primary care nationally; they "
                 "document only a {ways}.").format(name=name, ways=ways(others))
    # TRANSLATORS: {ways} lists payment mechanisms with their payers and years, separated by ";".
    text = _("The sources document how {name} pays for primary care: {ways}.").format(name=name, ways=ways(national))
    if not others.empty:
        # TRANSLATORS: {ways} lists pilots, designs or ended schemes with their years, separated by ";".
        text += " " + _("They also document, not as national practice: {ways}.").format(ways=ways(others))
    return text


@contracting
def reforms_reading(query: CountryLike) -> str:
    """How many dated reforms the data hold for the country, and over which years.

    >>> reforms_reading("Kosovo")
    'The data hold 2 dated reforms of Kosovo, from 2007 to 2014: law (1), project (1).'
    """
    subject = country(query)
    reforms = journey.country_reforms(subject)
    name = named_in_sentence(subject)
    if reforms.empty:
        return _("No dated reform of {name} is in the data.").format(name=name)
    first, last = int(reforms.year.min()), int(reforms.year.max())
    kinds = counted(reforms.kind.value_counts())
    words = {"n": len(reforms), "name": name, "first": first, "last": last, "kinds": escape_markdown(kinds)}
    if first == last:
        # TRANSLATORS: {kinds} counts the reforms by kind: "law (1), project (1)"; {first} is a year.
        return ngettext("The data hold {n} dated reform of {name}, in {first}: {kinds}.",
                        "The data hold {n} dated reforms of {name}, in {first}: {kinds}.", len(reforms)).format(**words)
    # TRANSLATORS: {kinds} counts the reforms by kind: "law (1), project (1)"; {first} and {last} are years.
    return ngettext("The data hold {n} dated reform of {name}, from {first} to {last}: {kinds}.",
                    "The data hold {n} dated reforms of {name}, from {first} to {last}: {kinds}.",
                    len(reforms)).format(**words)


@contracting
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
    words = {"possessive": possessive(name), "name": name, "index": uhc_index_text(value), "year": year,
             "count": count}
    if count > 1:
        # TRANSLATORS: {possessive} is the country's name with "'s" ("Ghana's"), {name} the name alone;
        # {place} is "the highest" or "the 3rd highest"; {peers} a group ("low income countries").
        text = _("{possessive} UHC service coverage index was {index} in {year}, {place} of {count} {peers} "
                 "in the data.").format(place=_place(count - rank + 1, count, "highest"),
                                        peers=escape_markdown(profile.peer_basis(subject)), **words)
    else:
        # TRANSLATORS: {possessive} is the country's name with "'s" ("Ghana's"), {name} the name alone.
        text = _("{possessive} UHC service coverage index was {index} in {year}.").format(**words)
    return text[0].upper() + text[1:]


@contracting
def participation_reading(query: CountryLike) -> str:
    """How many network events the sources record the country in, and of which kinds; empty where
    they record none (the page's :func:`gaps_notice` says so once).

    >>> participation_reading("Laos"), participation_reading("Tunisia")
    ('The sources record Lao PDR in 1 network event, in 2018: membership (1).', '')
    """
    subject = country(query)
    events = journey.country_participation(subject)
    name = named_in_sentence(subject)
    if events.empty:
        return ""
    years = events.date.astype(str).str[:4].astype(int)
    kinds = counted(events.category.value_counts())
    words = {"n": len(events), "name": name, "first": int(years.min()), "last": int(years.max()),
             "kinds": escape_markdown(kinds)}
    if years.min() == years.max():
        # TRANSLATORS: {kinds} counts the events by kind: "membership (1)"; {first} is a year.
        return ngettext("The sources record {name} in {n} network event, in {first}: {kinds}.",
                        "The sources record {name} in {n} network events, in {first}: {kinds}.",
                        len(events)).format(**words)
    # TRANSLATORS: {kinds} counts the events by kind: "membership (1)"; {first} and {last} are years.
    return ngettext("The sources record {name} in {n} network event, from {first} to {last}: {kinds}.",
                    "The sources record {name} in {n} network events, from {first} to {last}: {kinds}.",
                    len(events)).format(**words)


@contracting
def country_takeaway(query: CountryLike, notebook: str) -> str:
    """A key takeaway about the country itself from its data, for the footer of lesson ``notebook``
    (``01`` to ``04``) and so for its handout: plain text (the footer escapes it).

    >>> country_takeaway("Senegal", "01")  # doctest: +ELLIPSIS
    'Senegal: no national way of paying primary care is documented, only a pay-for-performance pilot, paid by ..., begun in 2015.'
    >>> country_takeaway("Ghana", "02")
    'Ghana: WHO puts primary health care at 65% of current health spending in 2022, US$ 53.58 per person: the most a capitation pool could draw on.'
    >>> country_takeaway("Kenya", "03")
    'Kenya: 3 COVID-19 measures are documented: raising money (1), covering patients (1), who pays (1).'
    >>> country_takeaway("Philippines", "04")
    'The Philippines took part in 7 documented network events, from 2010 to 2025.'

    The sentence, not the name, is capitalised: a translation may put the name after a preposition
    ("de le Kenya", which a French page writes "du Kenya").
    """
    subject = country(query)
    sentence = _takeaway_sentence(subject, named_in_sentence(subject, markdown=False), notebook)
    return sentence[:1].upper() + sentence[1:]


def _takeaway_sentence(subject: Country, name: str, notebook: str) -> str:
    """:func:`country_takeaway`'s sentence about ``subject``, called ``name``, as it is before it is capitalised."""
    if notebook == "01":
        primary = profile.primary_care_mechanisms(subject)
        ways = ways_of_paying(primary)
        if primary.empty:
            return _("{name}: no source in the data says yet how it pays primary care, a gap worth filling.").format(
                name=name)
        if not primary.in_use.any():
            # TRANSLATORS: {ways} lists pilots, designs or ended schemes with their years.
            return _("{name}: no national way of paying primary care is documented, only a {ways}.").format(
                name=name, ways=ways)
        national = ways_of_paying(primary[primary.in_use])
        # TRANSLATORS: {ways} lists payment mechanisms in use with their payers and years.
        return _("{name} pays primary care by {ways}, as the sources document it.").format(name=name, ways=national)
    if notebook == "02":
        who = phc.who_phc_share(subject)
        if who.empty:
            return _("{name}: WHO gives no primary health care spending, so the lesson's 30% is an assumption to "
                     "test against the country's health accounts.").format(name=name)
        # TRANSLATORS: {share} is a percentage, {year} a year, {amount} an amount in US$ per person.
        return _("{name}: WHO puts primary health care at {share} of current health spending in {year}, US$ "
                 "{amount} per person: the most a capitation pool could draw on.").format(
            name=name, share=percent_text(float(who.share) * 100), year=int(who.year),
            amount=number_text(float(who.per_person_usd), 2))
    if notebook == "03":
        rows = covid.country_measures(subject)
        if rows.empty:
            return _("{name}: no COVID-19 financing or payment measure is documented yet; recording one is how "
                     "the network learns.").format(name=name)
        # TRANSLATORS: {levers} counts the measures by lever: "raising money (1), who pays (2)".
        return ngettext("{name}: {n} COVID-19 measure is documented: {levers}.",
                        "{name}: {n} COVID-19 measures are documented: {levers}.", len(rows)).format(
            name=name, n=len(rows), levers=counted(rows.lever.value_counts(sort=False)))
    events = journey.country_participation(subject)
    if events.empty:
        return _("{name}: no network event of the country is recorded in the sources used yet.").format(name=name)
    years = events.date.astype(str).str[:4].astype(int)
    if years.min() == years.max():
        # TRANSLATORS: {n} is a number of network events, {first} a year.
        return ngettext("{name} took part in {n} documented network event, in {first}.",
                        "{name} took part in {n} documented network events, in {first}.",
                        len(events)).format(name=name, n=len(events), first=int(years.min()))
    # TRANSLATORS: {n} is a number of network events, {first} and {last} years.
    return ngettext("{name} took part in {n} documented network event, from {first} to {last}.",
                    "{name} took part in {n} documented network events, from {first} to {last}.",
                    len(events)).format(name=name, n=len(events), first=int(years.min()), last=int(years.max()))


#: What each kind of fact a lesson uses is called (in English: notebooks pass these keys; shown
#: translated), and how to tell whether the country has one.
DOCUMENTED = {
    N_("payment mechanisms"): lambda subject: not profile.payment_mechanisms(subject).empty,
    N_("payment rates"): lambda subject: not phc.documented_rates(subject).empty,
    N_("reforms"): lambda subject: not journey.country_reforms(subject).empty,
    N_("COVID-19 measures"): lambda subject: not covid.country_measures(subject).empty,
    N_("network events"): lambda subject: not journey.country_participation(subject).empty,
}


def counted(counts: pd.Series) -> str:
    """Counts of categories (a ``value_counts()``) in the reader's words, in their order:
    ``law (2), pilot (1)`` (categories counted zero left out).

    >>> counted(pd.Series(["law", "pilot", "law"]).value_counts())
    'law (2), pilot (1)'
    """
    return ", ".join(f"{_(str(value))} ({count})" for value, count in counts.items() if count)


def listed(items: Sequence[str]) -> str:
    """Items in a sentence: ``a``, ``a and b``, ``a, b and c``.

    >>> listed(["reforms"]), listed(["a", "b", "c"])
    ('reforms', 'a, b and c')
    """
    if len(items) == 1:
        return items[0]
    # TRANSLATORS: {items} are the first things of a list, separated by commas; {last} is the last one.
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def gaps_notice(query: CountryLike, kinds: Sequence[str]) -> Notice | None:
    """One short notice naming which of ``kinds`` (keys of :data:`DOCUMENTED`) the data hold
    nothing of for the country, what that means and what the learner can do; ``None``
    (nothing shown) when every kind is documented.

    >>> gaps_notice("Philippines", ["payment mechanisms"]) is None
    True
    >>> print(gaps_notice("Tunisia", ["payment mechanisms", "payment rates", "reforms"]).text)  # doctest: +ELLIPSIS
    Not documented for Tunisia in the sources this collection uses: payment mechanisms and payment rates. ...
    """
    subject = country(query)
    with uncited():  # only checked, not shown
        missing = [kind for kind in kinds if not DOCUMENTED[kind](subject)]
    if not missing:
        return None
    name = named_in_sentence(subject, markdown=False)
    # TRANSLATORS: {kinds} lists kinds of facts ("payment mechanisms and payment rates").
    return Notice(_("Not documented for {name} in the sources this collection uses: {kinds}. That is a gap "
                    "in the data, not a finding about the country. If you know one, note it with its source and the "
                    "source's own words: a facilitator can add it for everyone.").format(
        name=name, kinds=listed([_(kind) for kind in missing])))
