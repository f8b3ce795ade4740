"""Quiz questions about the chosen country, one per lesson, from the data.

Each function returns a :class:`~jlnlearn.lesson.Quiz` whose answer is
computed from the country's sourced data, or ``None`` (nothing shown) where
the data hold nothing to ask about: the page's notice already says what is
missing, and the lesson's other questions are general. A question never asks
about another country as if it were the learner's.
"""

from __future__ import annotations

from jlnlearn.data.countries import CountryLike, country
from jlnlearn.lesson import Quiz, multiple, number, single
from jlnlearn.lessons import covid, journey, phc, profile
from jlnlearn.present import period_text
from jlnlearn.present.readings import named_in_sentence, possessive
from jlnlearn.present.sentences import STEERING_GROUP_WORDS
from jlnlearn.present.tables import PRIMARY_LEVELS


def primary_care_question(query: CountryLike) -> Quiz | None:
    """Which mechanisms the sources say pay the country's primary care (notebook 01).

    >>> quiz = primary_care_question("Thailand")
    >>> quiz.correct
    ['capitation']
    >>> primary_care_question("Morocco") is None  # no source says how Morocco pays primary care
    True
    """
    subject = country(query)
    mechanisms = profile.payment_mechanisms(subject)
    primary = mechanisms[mechanisms.level_of_care.isin(PRIMARY_LEVELS)]
    if primary.empty:
        return None
    documented = {}
    for row in primary.itertuples():
        documented.setdefault(str(row.mechanism), []).append(
            f"{period_text(row.since_year, row.until_year, row.as_of_year)} (source {row.source_id})")
    options = {}
    for mechanism in profile.mechanism_types().mechanism.astype(str):
        if mechanism in documented:
            options[mechanism] = f"Yes: the sources document it, {'; '.join(documented[mechanism])}."
        else:
            options[mechanism] = f"No source in the data documents it for {possessive(named_in_sentence(subject, markdown=False))} primary care."
    for mechanism, periods in documented.items():  # a documented mechanism outside the basic types
        options.setdefault(mechanism, f"Yes: the sources document it, {'; '.join(periods)}.")
    question = (f"How do the sources say {named_in_sentence(subject, markdown=False)} pays its primary care providers?"
                if len(documented) == 1 else
                f"Which ways of paying primary care providers do the sources document for {named_in_sentence(subject, markdown=False)}?")
    return multiple(question, options, list(documented)) if len(documented) > 1 \
        else single(question, options, next(iter(documented)))


def capitation_question(query: CountryLike, phc_share: float) -> Quiz | None:
    """The flat capitation rate per person for the lesson's PHC share (notebook 02).

    >>> quiz = capitation_question("Ghana", 0.3)
    >>> round(quiz.number, 2), quiz.unit
    (24.7, 'US$ per person per year')
    """
    subject = country(query)
    budget = phc.phc_budget(subject, phc_share)
    if budget.empty:
        return None
    per_person = float(budget.che_per_capita_usd)
    return number(
        f"With {phc_share:.0%} of {possessive(named_in_sentence(subject, markdown=False))} health spending for primary care, what flat capitation "
        "rate per person per year does the budget give?",
        answer=round(phc_share * per_person, 2), tolerance=0.5, unit="US$ per person per year",
        explanation=(f"The budget divided by the people it covers is the share of spending per person: "
                     f"{phc_share:.0%} x US$ {per_person:,.2f} (WHO GHED, {int(budget.spending_year)}) "
                     f"= US$ {phc_share * per_person:,.2f}. The population cancels out."))


def measures_question(query: CountryLike) -> Quiz | None:
    """How many COVID-19 financing or payment measures the data document (notebook 03).

    >>> measures_question("Kenya").number
    3.0
    """
    subject = country(query)
    measures = covid.country_measures(subject)
    if measures.empty:
        return None
    counts = measures.lever.value_counts(sort=False)
    used = ", ".join(f"{lever} ({count})" for lever, count in counts.items() if count)
    return number(f"How many COVID-19 financing or payment measures does the data document for {named_in_sentence(subject, markdown=False)}?",
                  answer=len(measures), unit="measures",
                  explanation=f"By lever: {used}. See the table of measures above.")


#: The answers about a Steering Group seat, each with what it means.
SEAT_OPTIONS = {
    "among its first country members (2013)": "founding",
    "elected in March 2017": "joined",
    "no seat is documented": "",
}


def steering_group_question(query: CountryLike) -> Quiz:
    """Whether the sources show the country on the JLN Steering Group (notebook 04).

    >>> steering_group_question("Kenya").correct
    ['among its first country members (2013)']
    >>> steering_group_question("Mali").correct
    ['no seat is documented']
    """
    subject = country(query)
    events = journey.steering_group_history(subject)
    correct = [option for option, event in SEAT_OPTIONS.items() if event in events]
    if "stayed" in events and "among its first country members (2013)" not in correct:
        correct.append("among its first country members (2013)")
    if not correct:
        correct = ["no seat is documented"]
    said = "; ".join(STEERING_GROUP_WORDS[event] for event in events) or "no seat in the sources used"
    options = {option: (f"Right for {named_in_sentence(subject, markdown=False)}: {said} (source J21)." if option in correct
                        else f"Not what the sources show for {named_in_sentence(subject, markdown=False)}: {said}.")
               for option in SEAT_OPTIONS}
    return multiple(f"What do the sources show about {named_in_sentence(subject, markdown=False)} on the JLN Steering Group?", options, correct) \
        if len(correct) > 1 else single(f"What do the sources show about {named_in_sentence(subject, markdown=False)} on the JLN Steering Group?",
                                        options, correct[0])


def out_of_pocket_question(query: CountryLike) -> Quiz | None:
    """The country's latest out-of-pocket share of health spending (notebook 06).

    >>> quiz = out_of_pocket_question("Thailand")
    >>> quiz.number, quiz.tolerance
    (9.0, 1.0)
    """
    subject = country(query)
    latest = profile.latest_values(subject, ("oop_share_che_pct",))
    if latest.empty:
        return None
    value, year = float(latest.value.iloc[0]), int(latest.year.iloc[0])
    return number(f"In {year}, what share of {possessive(named_in_sentence(subject, markdown=False))} current health spending did households pay "
                  "out of pocket (to the nearest whole percent)?",
                  answer=round(value), tolerance=1.0, unit="%",
                  explanation=f"WHO GHED gives {value:.1f}% for {year} (the 'who pays' chart above).")
