"""Quiz questions about the chosen country, one per lesson, from the data.

Each function returns a :class:`~jlnlearn.lesson.Quiz` whose answer is
computed from the country's sourced data, or ``None`` (nothing shown) where
the data hold nothing to ask about: the page's notice already says what is
missing, and the lesson's other questions are general. A question never asks
about another country as if it were the learner's.
"""

from __future__ import annotations

from jlnlearn.data.countries import CountryLike, country
from jlnlearn.i18n import N_, _, joined
from jlnlearn.lesson import Quiz, multiple, number, single
from jlnlearn.lessons import covid, journey, phc, profile
from jlnlearn.present import period_text
from jlnlearn.present.formats import number_text, percent_text
from jlnlearn.present.readings import counted, named_in_sentence, possessive
from jlnlearn.present.sentences import STEERING_GROUP_WORDS
from jlnlearn.present.tables import mechanism_text, mechanism_years


def primary_care_question(query: CountryLike) -> Quiz | None:
    """Which mechanisms the sources say pay the country's primary care (notebook 01).

    >>> quiz = primary_care_question("Thailand")
    >>> quiz.correct
    ['capitation']
    >>> primary_care_question("Tunisia") is None  # no source says how Tunisia pays primary care
    True
    >>> primary_care_question("Senegal") is None  # only a pilot is documented
    True
    >>> primary_care_question("Burkina Faso").options["pay-for-performance"]  # doctest: +ELLIPSIS
    'No: the sources document only a pay-for-performance pilot, paid by ..., begun in 2011 (source ...), not national practice.'

    """
    subject = country(query)
    primary = profile.primary_care_mechanisms(subject)
    if not primary.in_use.any():  # a pilot, a design or an ended scheme is not how the country pays
        return None
    name = named_in_sentence(subject, markdown=False)
    documented: dict[str, list[str]] = {}
    for row in primary[primary.in_use].itertuples():
        # TRANSLATORS: {years} says since when ("since 2014"), {source} is a source id such as "C-PH3".
        documented.setdefault(str(row.mechanism), []).append(_("{years} (source {source})").format(
            years=period_text(row.since_year, row.until_year, row.as_of_year), source=row.source_id))
    # TRANSLATORS: {way} is a pilot, design or ended scheme in words with its years, {source} a source id.
    tried = {str(row.mechanism): _("No: the sources document only a {way}, {years} (source {source}), not "
                                   "national practice.").format(way=mechanism_text(row), years=mechanism_years(row),
                                                                source=row.source_id)
             for row in primary[~primary.in_use].itertuples() if row.mechanism not in documented}
    # TRANSLATORS: {periods} lists when and where the sources document a mechanism, separated by ";".
    said = _("Yes: the sources document it, {periods}.")
    # TRANSLATORS: {possessive} is the country's name with "'s" ("Ghana's"), {name} the name alone.
    not_said = _("No source in the data documents it for {possessive} primary care.").format(
        possessive=possessive(name), name=name)
    options = {}
    for mechanism in profile.mechanism_types().mechanism.astype(str):
        options[mechanism] = said.format(periods=joined(documented[mechanism])) if mechanism in documented \
            else tried.get(mechanism, not_said)
    for mechanism, periods in documented.items():  # a documented mechanism outside the basic types
        options.setdefault(mechanism, said.format(periods=joined(periods)))
    for mechanism, feedback in tried.items():  # a pilot's mechanism is a good wrong answer
        options.setdefault(mechanism, feedback)
    question = (_("How do the sources say {name} pays its primary care providers?").format(name=name)
                if len(documented) == 1 else
                _("Which ways of paying primary care providers do the sources document for {name}?").format(name=name))
    shown = {_(mechanism): feedback for mechanism, feedback in options.items()}  # the options are categories
    right = [_(mechanism) for mechanism in documented]
    return multiple(question, shown, right) if len(right) > 1 else single(question, shown, right[0])


def capitation_question(query: CountryLike, phc_share: float | None) -> Quiz | None:
    """The flat capitation rate per person for the lesson's PHC share (notebook 02); ``None``: the share
    the lesson takes when none is set (:func:`jlnlearn.lessons.phc.chosen_share`).

    >>> quiz = capitation_question("Ghana", 0.3)
    >>> round(quiz.number, 2), quiz.unit
    (24.7, 'US$ per person per year')
    >>> capitation_question("Ghana", None).number == capitation_question("Ghana", phc.chosen_share("Ghana", None)).number
    True
    """
    subject = country(query)
    phc_share = phc.chosen_share(subject, phc_share)
    budget = phc.phc_budget(subject, phc_share)
    if budget.empty:
        return None
    per_person = float(budget.che_per_capita_usd)
    name = named_in_sentence(subject, markdown=False)
    share = percent_text(phc_share * 100)
    # TRANSLATORS: {share} is a percentage; {possessive} is the country's name with "'s" ("Ghana's"),
    # {name} the name alone.
    question = _("With {share} of {possessive} health spending for primary care, what flat capitation rate per "
                 "person per year does the budget give?").format(share=share, possessive=possessive(name), name=name)
    # TRANSLATORS: {share} is a percentage, {spending} and {rate} amounts, {year} a year; "x" means "multiplied by".
    explanation = _("The budget divided by the people it covers is the share of spending per person: {share} x "
                    "US$ {spending} (WHO GHED, {year}) = US$ {rate}. The population cancels out.").format(
        share=share, spending=number_text(per_person, 2), year=int(budget.spending_year),
        rate=number_text(phc_share * per_person, 2))
    return number(question, answer=round(phc_share * per_person, 2), tolerance=0.5,
                  unit=_("US$ per person per year"), explanation=explanation)


def measures_question(query: CountryLike) -> Quiz | None:
    """How many COVID-19 financing or payment measures the data document (notebook 03).

    >>> measures_question("Kenya").number
    3.0
    """
    subject = country(query)
    measures = covid.country_measures(subject)
    if measures.empty:
        return None
    used = counted(measures.lever.value_counts(sort=False))
    question = _("How many COVID-19 financing or payment measures does the data document for {name}?").format(
        name=named_in_sentence(subject, markdown=False))
    # TRANSLATORS: {levers} counts the measures by lever: "raising money (1), who pays (2)".
    explanation = _("By lever: {levers}. See the table of measures above.").format(levers=used)
    return number(question, answer=len(measures), unit=_("measures"),
                  explanation=explanation)


#: The answers about a Steering Group seat (in English; translated where shown), each with what it means.
SEAT_OPTIONS = {
    N_("among its first country members (2013)"): "founding",
    N_("elected in March 2017"): "joined",
    N_("no seat is documented"): "",
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
    name = named_in_sentence(subject, markdown=False)
    said = "; ".join(_(STEERING_GROUP_WORDS[event]) for event in events) or _("no seat in the sources used")
    # TRANSLATORS: {said} is the country's Steering Group history ("elected in March 2017").
    right = _("Right for {name}: {said} (source J21).").format(name=name, said=said)
    # TRANSLATORS: {said} is the country's Steering Group history ("elected in March 2017").
    wrong = _("Not what the sources show for {name}: {said}.").format(name=name, said=said)
    options = {_(option): right if option in correct else wrong for option in SEAT_OPTIONS}
    question = _("What do the sources show about {name} on the JLN Steering Group?").format(name=name)
    shown = [_(option) for option in correct]
    return multiple(question, options, shown) if len(shown) > 1 else single(question, options, shown[0])


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
    name = named_in_sentence(subject, markdown=False)
    # TRANSLATORS: {possessive} is the country's name with "'s" ("Ghana's"), {name} the name alone.
    question = _("In {year}, what share of {possessive} current health spending did households pay out of pocket "
                 "(to the nearest whole percent)?").format(year=year, possessive=possessive(name), name=name)
    # TRANSLATORS: {share} is a percentage; 'who pays' names the chart "Who pays for health care".
    explanation = _("WHO GHED gives {share} for {year} (the 'who pays' chart above).").format(
        share=percent_text(value, 1), year=year)
    return number(question, answer=round(value), tolerance=1.0, unit="%", explanation=explanation)
