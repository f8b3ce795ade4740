"""Lesson 07: a country's payment system mapped, and the questions of a self-assessment.

The assessment follows the steps of the JLN's guide to assessing provider
payment systems (source J26), shrunk to one learner and one country: goals,
the payment systems in place, how they serve the goals, capacity, and
options (:data:`STEPS`). The self-rating uses the four core purchasing
functions of SPARC's progress tracking framework (source D06), each rated on
our own four-level scale from passive to strategic (:data:`FUNCTIONS`,
:data:`LEVELS`). Every question is the collection's own wording.

The functions here return raw values; :mod:`jlnlearn.present.assessment`
writes them for a reader.

>>> [step.key for step in STEPS]
['goals', 'current', 'against_goals', 'capacity', 'options']
>>> [function.key for function in FUNCTIONS]
['benefits', 'contracting', 'payment', 'monitoring']
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jlnlearn.data import schema
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.data.loading import load
from jlnlearn.data.sources import cite, uncited
from jlnlearn.i18n import N_
from jlnlearn.lessons import phc, profile

#: The source of the assessment's steps (the JLN guide) and of the purchasing functions (SPARC).
GUIDE_SOURCE, FRAMEWORK_SOURCE = "J26", "D06"


@dataclass(frozen=True)
class Step:
    """One part of the assessment: the guide's steps it condenses, its questions, and the kinds of
    documented facts that help answer them (keys of :data:`EVIDENCE_KINDS`)."""

    key: str
    title: str
    guide_steps: str
    questions: tuple[str, ...]
    evidence: tuple[str, ...]


STEPS = (
    Step("goals", N_("Goals and what payment should achieve"), "1-3", (
        N_("Which two or three goals matter most for your health system now: access, financial protection, "
           "quality, efficiency, equity?"),
        N_("What should a change in the way providers are paid do for those goals, and for which services?"),
        N_("Which purchasers, providers and levels of care does your assessment cover, and which does it leave out?"),
    ), ("spending", "coverage")),
    Step("current", N_("The payment systems in place"), "4-8", (
        N_("For each way of paying on the map: what is paid for (a person, a service, a case, a budget line), "
           "and how is the amount set and updated?"),
        N_("What stands around each one: a contract, reporting rules, an information system, the provider's "
           "own financial management?"),
        N_("What does the map leave out that you know of, and who could confirm it?"),
    ), ("mechanisms", "rates")),
    Step("against_goals", N_("How the payment systems serve the goals"), "9", (
        N_("For each goal: does each way of paying push providers towards it, leave it alone or push against it? "
           "What shows it?"),
        N_("Where do two ways of paying send the same provider opposite signals?"),
    ), ("mechanisms", "findings")),
    Step("capacity", N_("Capacity of purchasers and providers"), "10", (
        N_("Can each purchaser run its way of paying: data, information systems, skilled staff, and enough of "
           "the money to matter?"),
        N_("Can providers respond: do they decide how to use the money they receive, and can they account for it?"),
    ), ("purchasers", "funds")),
    Step("options", N_("Options for refinement or reform"), "11", (
        N_("Which one change to how providers are paid would do most for your goals, and what would it need "
           "first?"),
        N_("What would you watch to see whether it works, including effects nobody intended?"),
    ), ("reforms",)),
)


@dataclass(frozen=True)
class Function:
    """One core purchasing function: what it covers, and the question a learner rates it by."""

    key: str
    title: str
    meaning: str
    question: str


FUNCTIONS = (
    Function("benefits", N_("benefits specification"),
             N_("deciding which services, medicines and populations the money pays for, and on what terms"),
             N_("Is what the purchaser pays for written down, costed and matched to the money and to people's needs?")),
    Function("contracting", N_("contracting arrangements"),
             N_("choosing which providers are paid and agreeing with them what they deliver"),
             N_("Does the purchaser choose providers and hold them to what a contract asks?")),
    Function("payment", N_("provider payment"),
             N_("the ways providers are paid, and how rates are set and adjusted"),
             N_("Do the ways of paying reward the services and results the goals need?")),
    Function("monitoring", N_("performance monitoring"),
             N_("watching what providers deliver, its quality and its cost, and acting on what is found"),
             N_("Does the purchaser use data on what providers deliver to change what it pays or to whom?")),
)

#: The self-rating scale: from a purchaser that passes money on to one that steers with it (our words).
LEVELS = {
    1: N_("passive"),
    2: N_("first steps"),
    3: N_("partly strategic"),
    4: N_("strategic"),
}
#: What each level means, for any function (our words, after SPARC's continuum).
LEVEL_MEANINGS = {
    1: N_("money follows budgets or bills as they come; little is chosen or checked"),
    2: N_("some rules link money to needs or results, in a few places or schemes"),
    3: N_("information on needs and performance steers much of the money, not yet all"),
    4: N_("the purchaser uses this function deliberately and routinely to direct money to priorities"),
}

#: The kinds of documented facts an assessment step draws on.
EVIDENCE_KINDS = ("spending", "coverage", "mechanisms", "rates", "findings", "purchasers", "funds", "reforms")
#: The numbers that describe the money a payment system moves.
SPENDING_INDICATORS = ("che_per_capita_usd", "gov_share_che_pct", "oop_share_che_pct", "external_share_che_pct",
                       "phc_share_che_pct", "gov_share_phc_pct")
COVERAGE_INDICATORS = ("uhc_service_coverage_index", "catastrophic_oop_10_pct")
#: Who holds the money: what share the government, households and external funders pay.
FUNDS_INDICATORS = ("gov_share_che_pct", "oop_share_che_pct", "external_share_che_pct")
#: The kinds of reform that report how a payment system works (the others change it).
FINDING_KINDS = ("finding", "assessment")


def levels_of_care() -> list[str]:
    """The levels of care a payment mechanism can pay for, as the data package lists them, without
    ``not specified``.

    >>> levels_of_care()
    ['primary care', 'outpatient specialist', 'inpatient/hospital', 'all levels']
    """
    column = next(field for field in schema.fields("payment_mechanisms") if field["name"] == "level_of_care")
    return [level for level in column["constraints"]["enum"] if level != "not specified"]


def payment_system_map(query: CountryLike) -> pd.DataFrame:
    """Who pays which level of care, and how: one row per documented mechanism, ordered by payer and
    level of care.

    Columns: ``payer`` (the purchaser, or the scheme where no purchaser is named), ``purchaser``, ``scheme``,
    ``level_of_care``, ``mechanism``, ``status``, ``since_year``, ``until_year``, ``as_of_year``,
    ``detail``, ``source_id``.

    >>> philippines = payment_system_map("Philippines")
    >>> philippines[["payer", "level_of_care", "mechanism"]].values.tolist()
    [['PhilHealth', 'primary care', 'capitation'], ['PhilHealth', 'inpatient/hospital', 'case-based']]
    >>> payment_system_map("Tunisia").empty
    True
    """
    rows = profile.payment_mechanisms(query)
    payer = rows.purchaser.astype("string").fillna(rows.scheme.astype("string")).fillna("")
    order = {level: place for place, level in enumerate(levels_of_care())}
    rows = rows.assign(payer=payer, place=rows.level_of_care.astype(str).map(order).fillna(len(order)))
    rows = rows.sort_values(["payer", "place"], kind="stable")
    return rows[["payer", "purchaser", "scheme", "level_of_care", "mechanism", "status", "since_year", "until_year",
                 "as_of_year", "detail", "source_id"]].reset_index(drop=True)


def undocumented_levels(query: CountryLike) -> list[str]:
    """The levels of care no documented mechanism pays (``all levels`` counts for every level).

    >>> undocumented_levels("Philippines")
    ['outpatient specialist']
    >>> undocumented_levels("Tunisia")
    ['primary care', 'outpatient specialist', 'inpatient/hospital']
    """
    levels = set(payment_system_map(query).level_of_care.astype(str))
    if "all levels" in levels:
        return []
    return [level for level in levels_of_care() if level != "all levels" and level not in levels]


def latest_indicators(query: CountryLike, indicators: tuple[str, ...]) -> pd.DataFrame:
    """The latest value of each of ``indicators`` the country has: ``indicator, year, value, source_id``."""
    return profile.latest_values(query, indicators)


def reforms(query: CountryLike, findings: bool | None = None, limit: int | None = None) -> pd.DataFrame:
    """The country's dated reforms, newest first: ``date, kind, description, source_id``; only the
    findings and assessments (:data:`FINDING_KINDS`) with ``findings=True``, only the others with
    ``False``; the ``limit`` newest where given (only those are cited).

    >>> reforms("Ghana", findings=True).kind.unique().tolist()
    ['assessment', 'finding']
    """
    subject = country(query)
    table = load("reforms")
    rows = table[table.iso3 == subject.iso3].sort_values("date", ascending=False, kind="stable")
    if findings is not None:
        rows = rows[rows.kind.astype(str).isin(FINDING_KINDS) == findings]
    rows = rows.head(limit) if limit is not None else rows
    cite(rows)
    return rows[["date", "kind", "description", "source_id"]].reset_index(drop=True)


#: Words that tie a reform to a purchasing function (the reforms' descriptions are in English, as sourced);
#: provider payment draws on the documented mechanisms and rates instead.
FUNCTION_WORDS = {
    "benefits": ("benefit", "package", "entitle"),
    "contracting": ("contract", "accredit", "empanel"),
    "monitoring": ("perform", "result", "monitor", "quality", "audit"),
}


def reforms_naming(query: CountryLike, function: str) -> pd.DataFrame:
    """The country's reforms whose description names a purchasing function (:data:`FUNCTION_WORDS`),
    newest first: leads to read, not a judgement.

    >>> found = reforms_naming("Philippines", "benefits")
    >>> len(found) > 0, bool(found.description.str.contains("benefit|package", case=False).all())
    (True, True)
    """
    pattern = "|".join(FUNCTION_WORDS.get(function, ()))
    with uncited():  # only the reforms that match are shown
        rows = reforms(query)
    found = rows[rows.description.str.contains(pattern, case=False)] if pattern else rows.iloc[:0]
    cite(found)
    return found.reset_index(drop=True)


def rates(query: CountryLike) -> pd.DataFrame:
    """The country's documented payment rates (see :func:`jlnlearn.lessons.phc.documented_rates`)."""
    return phc.documented_rates(query)


def purchasers(query: CountryLike) -> pd.DataFrame:
    """Each payer on the map with the mechanisms it uses and how many are in use:
    ``payer, mechanisms, in_use, source_id`` (the first source of its rows).

    >>> purchasers("Philippines").values.tolist()
    [['PhilHealth', 'capitation, case-based', 2, 'C-PH3']]
    """
    rows = payment_system_map(query)
    grouped = rows.groupby("payer", sort=False)
    table = pd.DataFrame({
        "mechanisms": grouped.mechanism.agg(lambda values: ", ".join(dict.fromkeys(map(str, values)))),
        "in_use": grouped.status.agg(lambda values: int((values == profile.IN_USE).sum())),
        "source_id": grouped.source_id.first(),
    })
    return table.reset_index()[["payer", "mechanisms", "in_use", "source_id"]]
