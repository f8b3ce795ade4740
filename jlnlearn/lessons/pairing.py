"""Country pairings (notebook 05): two or three countries side by side, and resource countries.

In 2020 (source J14) the PHC Financing and Payment collaborative began pairing
two or three countries "with a specific interest in a topic that may not
otherwise be a widely shared interest across the collaborative", so that they
could "dig deeper into the implementation experience of the resource country"
(source S01). These functions prepare
such a pairing: they check the request, put the countries side by side and rank
possible resource countries by a score whose every point is explained.

The score (0-100) weighs four criteria, each from 0 to its weight, so that depth
of documented experience outweighs likeness: a country with the full
experience ranks above one with half of it, however alike the latter is.

* experience (70): documented facts on the topic. Each purchaser's use of a
  payment mechanism counts once, however many rows describe it (Kenya's two
  NHIF capitation rows are one experience), by its furthest status: in use
  1, ended 0.75 (the country went through it), a pilot 0.5, a design 0.25;
  for the insurance topic, each reform that mentions insurance counts by its
  kind (a law, programme, institution or policy 1, a pilot or project 0.5,
  anything else 0.25). Two points or more earn the full 70.
* income group (10): the share of the other pairing countries in the same
  World Bank income group.
* region (10): the share of them in the same WHO region.
* spending profile (10): how close the country's health spending per person
  (full marks when equal, none when ten times apart, on a log scale) and
  out-of-pocket share (none when 50 points apart) are to theirs, latest years.

A criterion that cannot be judged (an income group, a region or spending
data not documented for the candidate or for all the others) earns no
points, is shown as not known rather than as a mismatch, and is left out:
the score is the points earned over the weights of the criteria known,
scaled to 100.

A pairing country is scored too (against the others in the pairing), but is
never suggested as the pairing's own resource country.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from jlnlearn.data.countries import Country, CountryLike, countries, country, who_region_name
from jlnlearn.data.loading import load
from jlnlearn.data.sources import cite
from jlnlearn.errors import PairingError, echoed
from jlnlearn.i18n import N_, _, joined, labelled, number, percent_of_100
from jlnlearn.lessons.journey import country_reforms
from jlnlearn.lessons.profile import latest_values, membership


@dataclass(frozen=True)
class Topic:
    """A pairing topic and how experience of it shows in the data (its title and questions in
    English, translated where shown)."""

    title: str
    mechanisms: tuple[str, ...] = ()
    reform_word: str | None = None
    questions: tuple[str, ...] = ()


TOPICS = {
    "capitation": Topic(
        N_("Capitation for primary care"), mechanisms=("capitation",), questions=(
            N_("How was the capitation rate set, and how often is it revised?"),
            N_("Which services and which population does the rate cover, and how are people enrolled or assigned?"),
            N_("Is the rate adjusted for age, sex, location or other risk, and with what data?"),
            N_("How are providers kept from under-serving: quality indicators, a withhold, patient choice?"),
            N_("How did providers and their associations react, and what changed as a result?"),
        )),
    "case-based": Topic(
        N_("Case-based hospital payment (DRGs)"), mechanisms=("case-based",), questions=(
            N_("Which case-mix system was used, and how were the first relative weights and base rate set?"),
            N_("Which hospitals and cases did the first phase cover?"),
            N_("How were coding and claims checked, and how was up-coding detected?"),
            N_("How is total spending kept within budget (global budget, volume caps, point values)?"),
        )),
    "performance": Topic(
        N_("Performance bonuses (pay-for-performance)"), mechanisms=("pay-for-performance",), questions=(
            N_("Which indicators earn a bonus, and who verifies them?"),
            N_("How large is the bonus against the provider's other income?"),
            N_("How are bonuses shared between the facility and its staff?"),
            N_("What happened to the indicators that were not rewarded?"),
        )),
    "global-budget": Topic(
        N_("Global budgets"), mechanisms=("global budget",), questions=(
            N_("How is each facility's budget set, and how far does it follow its activity?"),
            N_("What may the facility spend the budget on, and who decides?"),
            N_("What happens to savings and to overspending at the end of the year?"),
        )),
    "insurance": Topic(
        N_("Rolling out a health insurance scheme"), reform_word="insurance", questions=(
            N_("Which groups were enrolled first, and how were the poor and the informal sector covered?"),
            N_("How is the scheme financed: contributions, tax subsidies, earmarked revenue?"),
            N_("Which benefits came first, and how are providers contracted and paid?"),
            N_("Which institution purchases, and how independent is it from the ministry?"),
        )),
}
STATUS_WEIGHTS = {"in use": 1.0, "ended": 0.75, "pilot": 0.5, "designed": 0.25}
REFORM_WEIGHTS = {"law": 1.0, "programme": 1.0, "institution": 1.0, "policy": 1.0, "pilot": 0.5,
                  "project": 0.5}
OTHER_REFORM_WEIGHT = 0.25
#: The criteria of the score and their weights (the names in English: keys; translated where shown).
WEIGHTS = {N_("experience"): 70.0, N_("income group"): 10.0, N_("region"): 10.0, N_("spending profile"): 10.0}
FULL_EXPERIENCE = 2.0
MIN_COUNTRIES, MAX_COUNTRIES = 2, 3


def parse_pairing(spec: str | Sequence[CountryLike]) -> list[Country]:
    """The pairing's countries from ``"GHA,KEN"`` or a list; 2 or 3 different countries.

    >>> [c.iso3 for c in parse_pairing("Ghana, KEN")]
    ['GHA', 'KEN']
    >>> parse_pairing("GHA,Ghana")
    Traceback (most recent call last):
    ...
    jlnlearn.errors.PairingError: a pairing needs different countries: Ghana is given twice
    """
    parts = [p.strip() for p in spec.split(",")] if isinstance(spec, str) else \
        [p if isinstance(p, Country) else str(p).strip() for p in spec]
    parts = [p for p in parts if p]
    if not MIN_COUNTRIES <= len(parts) <= MAX_COUNTRIES:
        raise PairingError(f"a pairing needs {MIN_COUNTRIES} or {MAX_COUNTRIES} countries, "
                           f"got {len(parts)}: {echoed(', '.join(map(str, parts))) if parts else 'none'}")
    chosen: list[Country] = []
    for part in parts:
        found = country(part)
        if found in chosen:
            raise PairingError(f"a pairing needs different countries: {found.name} is given twice")
        chosen.append(found)
    return chosen


def topic(name: str) -> Topic:
    """The pairing topic called ``name``; an unknown name lists the valid ones.

    >>> topic("capitation").title
    'Capitation for primary care'
    >>> topic("drg")
    Traceback (most recent call last):
    ...
    jlnlearn.errors.PairingError: unknown topic 'drg' (valid topics: capitation, case-based, performance, global-budget, insurance)
    """
    key = str(name).strip().lower()
    if key not in TOPICS:
        raise PairingError(f"unknown topic {echoed(name)} (valid topics: {', '.join(TOPICS)})")
    return TOPICS[key]


def topic_experience(name: str) -> pd.DataFrame:
    """Each country's documented experience of the topic: ``iso3, points, facts``.

    ``facts`` lists what earned the points: one line per purchaser and
    mechanism (its levels, statuses and sources), or per reform.

    >>> experience = topic_experience("capitation").set_index("iso3")
    >>> float(experience.loc["GHA", "points"]), experience.loc["GHA", "facts"][0][:36]
    (0.75, 'capitation for primary care (ended, ')
    """
    chosen = topic(name)
    facts: dict[str, list[tuple[float, str]]] = {}
    if chosen.mechanisms:
        rows = load("payment_mechanisms")
        rows = rows[rows.mechanism.isin(chosen.mechanisms)]
        cite(rows)
        purchasers = rows.purchaser.astype(object).fillna("purchaser not stated")
        for (iso3, purchaser, mechanism), same in rows.groupby([rows.iso3, purchasers, rows.mechanism.astype(str)],
                                                             sort=False):
            weight = max(STATUS_WEIGHTS[str(status)] for status in same.status)
            levels = ", ".join(_(level) for level in dict.fromkeys(same.level_of_care.astype(str)))
            statuses = ", ".join(_(status) for status in dict.fromkeys(same.status.astype(str)))
            sources = "; ".join(dict.fromkeys(same.source_id))
            payer = _("purchaser not stated") if purchaser == "purchaser not stated" else purchaser
            # TRANSLATORS: "capitation for primary care (in use, NHIF; C-KE1)": a mechanism, the levels
            # of care it pays, its statuses, who pays with it and the sources.
            facts.setdefault(iso3, []).append((weight, _("{mechanism} for {levels} ({statuses}, {purchaser}; {sources})")
                                               .format(mechanism=_(mechanism), levels=levels, statuses=statuses,
                                                       purchaser=payer, sources=sources)))
    if chosen.reform_word:
        rows = load("reforms")
        rows = rows[rows.description.str.contains(chosen.reform_word, case=False)]
        cite(rows)
        for row in rows.itertuples():
            text = labelled(f"{_(str(row.kind))} {row.date}", f"{row.description} ({row.source_id})")
            facts.setdefault(row.iso3, []).append((REFORM_WEIGHTS.get(str(row.kind), OTHER_REFORM_WEIGHT), text))
    records = [{"iso3": iso3, "points": sum(w for w, _ in found),
                "facts": [text for _, text in sorted(found, key=lambda item: -item[0])]}
               for iso3, found in facts.items()]
    return pd.DataFrame(records, columns=["iso3", "points", "facts"])


def spending_profiles() -> pd.DataFrame:
    """Every country's income group, region, and latest health spending per person (US$) and
    out-of-pocket share: ``iso3, name, income_group, who_region, che_per_capita_usd, oop_share``."""
    table = load("indicators")
    latest = {}
    for indicator, column in [("che_per_capita_usd", "che_per_capita_usd"),
                              ("oop_share_che_pct", "oop_share")]:
        rows = table[(table.indicator == indicator) & table.value.notna()]
        rows = rows.sort_values("year").groupby("iso3").tail(1)
        cite(rows)
        latest[column] = rows.set_index("iso3")["value"]
    records = [{"iso3": c.iso3, "name": c.name, "income_group": c.income_group, "who_region": c.who_region}
               for c in countries()]
    profiles = pd.DataFrame(records).set_index("iso3")
    for column, values in latest.items():
        profiles[column] = values
    return profiles.reset_index()


def _known(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _share_alike(value: object, others: list[object]) -> float | None:
    """The share of ``others`` equal to ``value``; ``None`` when it cannot be judged."""
    known = [other for other in others if _known(other)]
    if not _known(value) or not known:
        return None
    return sum(other == value for other in known) / len(known)


def _closeness(candidate: pd.Series, others: pd.DataFrame) -> float | None:
    parts = []
    spend = others.che_per_capita_usd.dropna()
    spend = spend[spend > 0]
    if pd.notna(candidate.che_per_capita_usd) and candidate.che_per_capita_usd > 0 and len(spend):
        parts.append(sum(max(0.0, 1 - abs(math.log(candidate.che_per_capita_usd / v)) / math.log(10))
                         for v in spend) / len(spend))
    oop = others.oop_share.dropna()
    if pd.notna(candidate.oop_share) and len(oop):
        parts.append(sum(max(0.0, 1 - abs(candidate.oop_share - v) / 50) for v in oop) / len(oop))
    return sum(parts) / len(parts) if parts else None


def score_candidates(experience: pd.DataFrame, profiles: pd.DataFrame,
                     pairing: Sequence[str]) -> pd.DataFrame:
    """Score every country with experience against the pairing; best first.

    ``experience`` has ``iso3, points, facts``; ``profiles`` has ``iso3,
    income_group, who_region, che_per_capita_usd, oop_share`` (and ``name``
    for the reasons, else the code is used); ``pairing`` is ISO3 codes. Returns ``iso3, score,
    experience, income group, region, spending profile, in_pairing, not_known, reasons``: the
    parts in points, missing (never 0) for a criterion that cannot be judged, which
    ``not_known`` names; ``score`` is the points over the weights of the known criteria, out of 100.

    >>> experience = pd.DataFrame({"iso3": ["AAA"], "points": [1.0], "facts": [["capitation (X1)"]]})
    >>> profiles = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "income_group": ["Low", "Low", "Low"],
    ...     "who_region": ["AFR", "AFR", "EUR"], "che_per_capita_usd": [100.0, 100.0, 100.0],
    ...     "oop_share": [30.0, 30.0, 30.0]})
    >>> score_candidates(experience, profiles, ["BBB", "CCC"]).loc[0, ["score", "region"]].tolist()
    [60.0, 5.0]
    """
    profiles = profiles.set_index("iso3")
    records = []
    for row in experience[experience.points > 0].itertuples():
        others = [code for code in pairing if code != row.iso3]
        if not others or row.iso3 not in profiles.index:
            continue
        mine, theirs = profiles.loc[row.iso3], profiles.loc[others]
        closeness = _closeness(mine, theirs)
        shares = {
            "experience": min(row.points, FULL_EXPERIENCE) / FULL_EXPERIENCE,
            "income group": _share_alike(mine.income_group, list(theirs.income_group)),
            "region": _share_alike(mine.who_region, list(theirs.who_region)),
            "spending profile": closeness,
        }
        parts = {key: WEIGHTS[key] * share for key, share in shares.items() if share is not None}
        written = f"{row.points:g}"
        # TRANSLATORS: {points} is a number of points, {facts} the facts that earned them, separated by ";".
        reasons = [_("experience {points} point(s): {facts}").format(
            points=number(row.points, len(written.partition(".")[2])), facts=joined(row.facts))]
        names = list(theirs["name"]) if "name" in theirs else others
        reasons.append(_likeness_reason(_("income group"), mine.income_group, list(theirs.income_group), names))
        reasons.append(_likeness_reason(_("WHO region"), mine.who_region, list(theirs.who_region), names,
                                        named=who_region_name))
        reasons.append(_spending_reason(mine, theirs, names, closeness))
        judged = sum(WEIGHTS[key] for key in parts)
        records.append({"iso3": row.iso3, "score": round(100 * sum(parts.values()) / judged, 1),
                        **{key: round(parts[key], 1) if key in parts else float("nan") for key in WEIGHTS},
                        "in_pairing": row.iso3 in pairing,
                        "not_known": [key for key in WEIGHTS if key not in parts], "reasons": reasons})
    columns = ["iso3", "score", *WEIGHTS, "in_pairing", "not_known", "reasons"]
    out = pd.DataFrame(records, columns=columns)
    return out.sort_values(["score", "iso3"], ascending=[False, True]).reset_index(drop=True)


def _likeness_reason(label: str, value: object, others: list[object], names: list[str],
                     named: Callable[[str], str] | None = None) -> str:
    """How the candidate's ``value`` (a category) compares with the others'; with ``named``, the
    name ``named`` gives the value says what it is (``WHO African Region``) and stands alone."""
    if not _known(value):
        # TRANSLATORS: {label} is a criterion of the score ("income group").
        return _("{label}: not known").format(label=label)
    same = [name for name, other in zip(names, others, strict=True) if other == value]
    if named:
        written = named(str(value))
        if same:
            # TRANSLATORS: {value} is a WHO region's name ("WHO African Region").
            return _("{value}: same as {countries}").format(value=written, countries=", ".join(same))
        # TRANSLATORS: {value} is a WHO region's name ("WHO African Region").
        return _("{value}: different from the others").format(value=written)
    written = _(str(value))
    if same:
        # TRANSLATORS: {label} is a criterion ("income group"), {value} the candidate's ("Low income").
        return _("{label} {value}: same as {countries}").format(label=label, value=written, countries=", ".join(same))
    # TRANSLATORS: {label} is a criterion ("income group"), {value} the candidate's ("Low income").
    return _("{label} {value}: different from the others").format(label=label, value=written)


def _spending_reason(mine: pd.Series, theirs: pd.DataFrame, names: list[str], closeness: float | None) -> str:
    if closeness is None:
        return _("spending profile: no comparable data")
    # TRANSLATORS: {spend} is an amount in US$ ("US$ 85"), {oop} a percentage ("28%").
    each = _("{spend} per person, {oop} out of pocket")

    def text(profile: pd.Series) -> str:
        spend = "?" if pd.isna(profile.che_per_capita_usd) else f"US$ {number(profile.che_per_capita_usd)}"
        oop = "?" if pd.isna(profile.oop_share) else percent_of_100(profile.oop_share, 0)
        return each.format(spend=spend, oop=oop)
    others = joined(f"{name} {text(profile)}" for name, (_row, profile)
                    in zip(names, theirs.iterrows(), strict=True))
    # TRANSLATORS: {mine} is the candidate's spending profile, {others} those of the pairing's countries.
    return _("spending: {mine} (against {others})").format(mine=text(mine), others=others)


def suggest_resource_countries(name: str, pairing: Sequence[CountryLike] | str, limit: int = 5) -> pd.DataFrame:
    """The best resource countries for the topic and pairing, with the country name added.

    A country of the pairing is never its own resource country.

    >>> suggestions = suggest_resource_countries("capitation", "GHA,KEN")
    >>> len(suggestions), set(suggestions.iso3) & {"GHA", "KEN"}
    (5, set())
    """
    codes = [c.iso3 for c in parse_pairing(pairing)]
    ranked = score_candidates(topic_experience(name), spending_profiles(), codes)
    ranked = ranked[~ranked.in_pairing].head(limit).reset_index(drop=True)
    ranked.insert(1, "country", [country(code).name for code in ranked.iso3])
    return ranked


def mechanisms_by_level(pairing: Sequence[CountryLike] | str) -> pd.DataFrame:
    """Documented payment mechanisms by level of care, one column per country.

    A cell lists each mechanism with its status and source; an empty cell
    means nothing is documented for that level.

    >>> table = mechanisms_by_level("PHL,GHA").set_index("level of care")
    >>> table.loc["primary care", "Philippines"]
    'capitation (in use; C-PH3)'
    >>> mechanisms_by_level("KEN,GHA").set_index("level of care").loc["primary care", "Kenya"]  # once, two sources
    'capitation (in use; C-KE8, C-KE9); fee-for-service (in use; C-KE10)'
    """
    chosen = parse_pairing(pairing)
    rows = load("payment_mechanisms")
    rows = rows[rows.iso3.isin([c.iso3 for c in chosen])]
    cite(rows)
    levels = [level for level in rows.level_of_care.cat.categories if level in set(rows.level_of_care)]
    table = pd.DataFrame({"level of care": levels})
    for subject in chosen:
        own = rows[rows.iso3 == subject.iso3]
        cells = []
        for level in levels:
            ways: dict[tuple[str, str], list[str]] = {}  # a mechanism several rows describe is listed once
            for row in own[own.level_of_care == level].sort_values(["mechanism", "source_id"]).itertuples():
                ways.setdefault((_(str(row.mechanism)), _(str(row.status))), []).append(str(row.source_id))
            cells.append("; ".join(f"{mechanism} ({status}; {', '.join(dict.fromkeys(sources))})"
                                   for (mechanism, status), sources in ways.items()))
        table[subject.name] = cells
    return table


#: The financing indicators a pairing pack compares, in the order it shows them.
SIDE_BY_SIDE = ["che_per_capita_usd", "che_gdp_pct", "gov_share_che_pct", "oop_share_che_pct",
                "external_share_che_pct", "uhc_service_coverage_index", "population"]


def latest_indicators(pairing: Sequence[CountryLike] | str) -> pd.DataFrame:
    """Each pairing country's latest value of each :data:`SIDE_BY_SIDE` indicator.

    One row per indicator and country, in that order: ``indicator, iso3,
    country, year, value``; ``year`` and ``value`` are missing where the
    country has no value.

    >>> latest = latest_indicators("GHA,XKX").set_index(["indicator", "iso3"])
    >>> int(latest.loc[("population", "GHA"), "year"]) >= 2020, bool(latest.loc[("che_gdp_pct", "XKX")].isna().value)
    (True, True)
    """
    records = []
    for subject in parse_pairing(pairing):
        latest = latest_values(subject, tuple(SIDE_BY_SIDE)).set_index("indicator")
        for indicator in SIDE_BY_SIDE:
            known = indicator in latest.index
            records.append({"indicator": indicator, "iso3": subject.iso3, "country": subject.name,
                            "year": latest.loc[indicator, "year"] if known else pd.NA,
                            "value": float(latest.loc[indicator, "value"]) if known else float("nan")})
    order = {name: place for place, name in enumerate(SIDE_BY_SIDE)}
    table = pd.DataFrame(records, columns=["indicator", "iso3", "country", "year", "value"])
    return table.sort_values("indicator", key=lambda names: names.map(order), kind="stable").reset_index(drop=True)


def reforms(pairing: Sequence[CountryLike] | str) -> pd.DataFrame:
    """The pairing countries' dated reforms together, with a ``country`` column, oldest first."""
    frames = [country_reforms(c).assign(country=c.name) for c in parse_pairing(pairing)]
    return pd.concat(frames, ignore_index=True).sort_values("when").reset_index(drop=True)


def participation(pairing: Sequence[CountryLike] | str) -> pd.DataFrame:
    """Each country's JLN membership and participation facts: ``country, date, fact, source_id``."""
    frames = [membership(c).assign(country=c.name) for c in parse_pairing(pairing)]
    return pd.concat(frames, ignore_index=True)[["country", "date", "fact", "source_id"]]


def learning_questions(name: str) -> pd.DataFrame:
    """The topic's starting questions (in the reader's language), with empty columns for the pairing to fill in."""
    chosen = topic(name)
    return pd.DataFrame({"question": [_(question) for question in chosen.questions], "what the resource country did": "",
                         "what we will try": "", "who, by when": ""})


def topics_table() -> pd.DataFrame:
    """The pairing topics: the name to pass as ``topic``, what it covers, and what counts as experience.

    >>> topics_table().topic.tolist()
    ['capitation', 'case-based', 'performance', 'global-budget', 'insurance']
    """
    rows = []
    for name, entry in TOPICS.items():
        # TRANSLATORS: {mechanisms} lists payment mechanisms.
        evidence = (_("payment mechanisms: {mechanisms}").format(mechanisms=", ".join(_(m) for m in entry.mechanisms))
                    if entry.mechanisms
                    # TRANSLATORS: {word} is the English word the reforms' descriptions (in English) are searched for.
                    else _("reforms that mention '{word}'").format(word=entry.reform_word))
        rows.append({"topic": name, "what it covers": _(entry.title), "experience counted from": evidence})
    return pd.DataFrame(rows)
