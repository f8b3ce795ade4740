"""Lesson 07 as a reader sees it: the payment system's map, the facts beside each question and the
printable worksheet (the files a learner saves are written by :mod:`jlnlearn.present.assessment_files`).

Facts keep their sources' words; the questions, headers and categories are in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jlnlearn.data.countries import CountryLike, country
from jlnlearn.data.sources import cite, uncited
from jlnlearn.i18n import N_, _, labelled, ngettext
from jlnlearn.lessons import assessment
from jlnlearn.lessons.assessment import FUNCTIONS, LEVEL_MEANINGS, LEVELS, STEPS, Step
from jlnlearn.names import contracting
from jlnlearn.present.escape import escape_html
from jlnlearn.present.formats import number_text, percent_text
from jlnlearn.present.labels import cell_text
from jlnlearn.present.readings import listed, named_in_sentence
from jlnlearn.present.tables import fact_table, mechanism_text, mechanism_years, us_dollars

#: How each indicator an assessment quotes is named, and how its value is written.
INDICATORS = {
    "che_per_capita_usd": (N_("health spending per person"), lambda value: us_dollars(number_text(value))),
    "gov_share_che_pct": (N_("government share of health spending"), percent_text),
    "oop_share_che_pct": (N_("out-of-pocket share of health spending"), percent_text),
    "external_share_che_pct": (N_("external share of health spending"), percent_text),
    "phc_share_che_pct": (N_("primary health care share of health spending"), percent_text),
    "gov_share_phc_pct": (N_("government share of primary health care spending"), percent_text),
    "uhc_service_coverage_index": (N_("UHC service coverage index"), lambda value: number_text(value)),
    "catastrophic_oop_10_pct": (N_("people spending over 10% of their budget on health"),
                                lambda value: percent_text(value, 1)),
}
#: What the worksheet and the form say where the data hold nothing, and the heading of the functions' part.
NOTHING_DOCUMENTED, FUNCTIONS_HEADING = N_("nothing documented"), N_("The four purchasing functions")
#: How many reforms, newest first, a step shows.
REFORMS_SHOWN = 5
#: Where a learner looks for what the data do not hold (said on a sparse country's page).
WHERE_TO_LOOK = N_("the health insurer's and the health ministry's own pages and annual reports, the country's "
                   "health financing review or health system review (WHO, the World Bank, the European "
                   "Observatory), and colleagues who run the payment systems")


def steps_table() -> pd.DataFrame:
    """The parts of the assessment beside the steps of the JLN guide they condense (source J26):
    ``part, guide_steps, questions``.

    >>> steps_table().guide_steps.tolist()
    ['1-3', '4-8', '9', '10', '11']
    """
    cite_framework()
    return pd.DataFrame({"part": [_(step.title) for step in STEPS], "guide_steps": [step.guide_steps for step in STEPS],
                         "questions": [len(step.questions) for step in STEPS]})


def functions_table() -> pd.DataFrame:
    """The four purchasing functions of SPARC's framework (source D06), in our words: ``function, what it covers``."""
    cite_framework()
    return pd.DataFrame({"function": [_(function.title) for function in FUNCTIONS],
                         "what it covers": [_(function.meaning) for function in FUNCTIONS]})


def scale_table() -> pd.DataFrame:
    """The rating scale, from passive to strategic: ``rating, level, what it looks like``."""
    return pd.DataFrame({"rating": list(LEVELS), "level": [_(LEVELS[number]) for number in LEVELS],
                         "what it looks like": [_(LEVEL_MEANINGS[number]) for number in LEVELS]})


def map_takeaway(query: CountryLike) -> str:
    """The footer's line on the country's map: how many ways of paying the sources document, how many
    are in use, and which levels of care no source covers (plain text).

    >>> map_takeaway("Philippines")
    'The Philippines: 2 ways of paying providers are documented, 2 in use; not documented: outpatient specialist.'
    >>> map_takeaway("Tunisia")
    'Tunisia: no way of paying providers is documented yet; your assessment starts the map.'
    """
    subject = country(query)
    rows = assessment.payment_system_map(subject)
    name = named_in_sentence(subject, markdown=False)
    name = name[:1].upper() + name[1:]
    if rows.empty:
        return _("{name}: no way of paying providers is documented yet; your assessment starts the map.").format(
            name=name)
    in_use = int((rows.status == "in use").sum())
    # TRANSLATORS: {name} is a country's name, {n} a number of payment mechanisms, {in_use} how many are in use.
    text = ngettext("{name}: {n} way of paying providers is documented, {in_use} in use",
                    "{name}: {n} ways of paying providers are documented, {in_use} in use", len(rows)).format(
        name=name, n=len(rows), in_use=in_use)
    levels = assessment.undocumented_levels(subject)
    if levels:
        # TRANSLATORS: {levels} lists levels of care.
        text += _("; not documented: {levels}").format(levels=listed([_(level) for level in levels]))
    return text + "."


def map_table(query: CountryLike) -> pd.DataFrame:
    """The payment system as a table: one row per documented mechanism, then one per level of care that
    no source documents (``not documented``).

    Columns: ``payer, level_of_care, mechanism, status, years, scheme, detail, source_id``.

    >>> table = map_table("Philippines")
    >>> table[["level_of_care", "mechanism", "status"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['primary care', 'capitation', 'in use'], ['inpatient/hospital', 'case-based', 'in use'],
     ['outpatient specialist', 'not documented', '']]
    """
    rows = assessment.payment_system_map(query)
    table = pd.DataFrame({
        "payer": rows.payer, "level_of_care": rows.level_of_care.astype(str), "mechanism": rows.mechanism.astype(str),
        "status": rows.status.astype(str), "years": [mechanism_years(row) for row in rows.itertuples()],
        "scheme": rows.scheme, "detail": rows.detail, "source_id": rows.source_id})
    missing = pd.DataFrame({"payer": "", "level_of_care": assessment.undocumented_levels(query),
                            "mechanism": _("not documented"), "status": "", "years": "", "scheme": "", "detail": "",
                            "source_id": ""})
    return pd.concat([table, missing], ignore_index=True) if not missing.empty else table


def indicator_rows(query: CountryLike, names: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """``(fact, value, year, source)`` for the latest value of each indicator the country has."""
    latest = assessment.latest_indicators(query, names)
    return [(_(INDICATORS[row.indicator][0]), INDICATORS[row.indicator][1](row.value), str(int(row.year)),
             row.source_id) for row in latest.itertuples()]


def evidence(query: CountryLike, kind: str) -> list[tuple[str, str, str, str]]:
    """What the data document of one kind (:data:`~jlnlearn.lessons.assessment.EVIDENCE_KINDS`), as
    ``(fact, value, year, source)``.

    >>> evidence("Philippines", "mechanisms")[0][:3]
    ('primary care', 'capitation (PhilHealth)', 'as of 2024')
    """
    if kind == "spending":
        return indicator_rows(query, assessment.SPENDING_INDICATORS)
    if kind == "coverage":
        return indicator_rows(query, assessment.COVERAGE_INDICATORS)
    if kind == "mechanisms":
        return [(cell_text(str(row.level_of_care), "level_of_care"), mechanism_text(row), mechanism_years(row),
                 row.source_id) for row in assessment.payment_system_map(query).itertuples()]
    if kind == "rates":
        return [(str(row.description), f"{number_text(row.amount)} {row.currency} {row.unit}",
                 "" if pd.isna(row.year) else str(int(row.year)), row.source_id)
                for row in assessment.rates(query).itertuples()]
    if kind == "funds":
        return indicator_rows(query, assessment.FUNDS_INDICATORS)
    if kind in ("reforms", "findings"):
        rows = assessment.reforms(query, findings=kind == "findings", limit=REFORMS_SHOWN)
        return [(cell_text(str(row.kind), "kind"), str(row.description), cell_text(str(row.date), "date"),
                 row.source_id) for row in rows.itertuples()]
    if kind == "purchasers":
        return [(str(row.payer), row.mechanisms, _("{count} in use").format(count=row.in_use), row.source_id)
                for row in assessment.purchasers(query).itertuples()]
    raise ValueError(f"unknown kind of evidence {kind!r} (valid: {', '.join(assessment.EVIDENCE_KINDS)})")


def step_evidence(query: CountryLike, step: Step) -> pd.DataFrame:
    """The facts beside one step's questions: ``fact, value, when, source_id``, kind by kind."""
    rows = [row for kind in step.evidence for row in evidence(query, kind)]
    return pd.DataFrame(rows, columns=["fact", "value", "when", "source_id"])


def function_evidence(query: CountryLike, key: str) -> list[str]:
    """What the data document that bears on one purchasing function, each line with its source:
    the documented mechanisms and rates for provider payment; for the others, the reforms whose
    words name the function (:data:`~jlnlearn.lessons.assessment.FUNCTION_WORDS`)."""
    if key == "payment":
        rows = evidence(query, "mechanisms") + evidence(query, "rates")
        return [labelled(fact, f"{value} [{source}]") for fact, value, _when, source in rows]
    return [labelled(cell_text(str(row.date), "date"), f"{row.description} [{row.source_id}]")
            for row in assessment.reforms_naming(query, key).itertuples()]


@contracting
def gaps_reading(query: CountryLike) -> str:
    """What the data leave out for the country's assessment and where to look for it (Markdown);
    for a country with every kind documented, a line saying what the map holds.

    >>> print(gaps_reading("Tunisia"))  # doctest: +ELLIPSIS
    **What the sources do not document for Tunisia:** how any level of care is paid, payment rates. ...
    """
    subject = country(query)
    name = named_in_sentence(subject)
    missing = []
    with uncited():  # only checked here; the tables around it show and cite the facts
        levels = assessment.undocumented_levels(subject)
        no_rates = assessment.rates(subject).empty
        no_reforms = assessment.reforms(subject, findings=False).empty
        no_findings = assessment.reforms(subject, findings=True).empty
    if len(levels) == len(assessment.levels_of_care()) - 1:
        missing.append(_("how any level of care is paid"))
    elif levels:
        # TRANSLATORS: {levels} lists levels of care ("outpatient specialist and inpatient/hospital").
        missing.append(_("how these levels of care are paid: {levels}").format(
            levels=listed([_(level) for level in levels])))
    if no_rates:
        missing.append(_("payment rates"))
    if no_reforms:
        missing.append(_("reforms"))
    if no_findings:
        missing.append(_("findings on how the payment systems work"))
    if not missing:
        # TRANSLATORS: {name} is a country's name.
        return _("The sources document how {name} pays every level of care, its payment rates and its "
                 "reforms: start from them, and add what they leave out.").format(name=name)
    # TRANSLATORS: {name} is a country's name, {missing} lists what is not documented, {where} where to look.
    return _("**What the sources do not document for {name}:** {missing}. That is a gap in the data, not a "
             "finding: your own answers fill it. Look in {where}; note each fact with its source.").format(
        name=name, missing=", ".join(missing), where=_(WHERE_TO_LOOK))


@dataclass
class Worksheet:
    """The assessment on paper: each step's questions, the documented facts and space to write; the
    four functions with boxes to tick. Shown on a report page, where there is no form."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


def step_heading(step: Step) -> str:
    """A part's heading with the guide's steps it condenses.

    >>> step_heading(STEPS[0])
    'Steps 1-3 of the guide: Goals and what payment should achieve'
    >>> step_heading(STEPS[2])
    'Step 9 of the guide: How the payment systems serve the goals'
    """
    if "-" in step.guide_steps:
        # TRANSLATORS: {steps} are step numbers of the JLN guide ("1-3"), {title} the part's title.
        return _("Steps {steps} of the guide: {title}").format(steps=step.guide_steps, title=_(step.title))
    # TRANSLATORS: {step} is a step number of the JLN guide ("9"), {title} the part's title.
    return _("Step {step} of the guide: {title}").format(step=step.guide_steps, title=_(step.title))


def facts_html(frame: pd.DataFrame) -> str:
    """A table of facts as HTML, or a line saying none is documented."""
    if frame.empty:
        nothing = escape_html(_("Nothing is documented yet."))
        return f'<p class="jlnlearn-notice">{nothing}</p>'
    return fact_table(frame).to_html()


def worksheet(query: CountryLike) -> Worksheet:
    """The printable worksheet of a country's assessment.

    >>> html = worksheet("Zambia")._repr_html_()
    >>> html.count('class="jlnlearn-write"'), html.count("\\u2610")
    (9, 16)
    """
    subject = country(query)
    parts = ['<div class="jlnlearn-worksheet">']
    yours = escape_html(_("Your answer"))
    for step in STEPS:
        heading = step_heading(step)
        questions = "".join(f"<li>{escape_html(_(question))}</li>" for question in step.questions)
        parts.append(f'<div class="jlnlearn-step"><h3>{escape_html(heading)}</h3><ol>{questions}</ol>'
                     f"{facts_html(step_evidence(subject, step))}"
                     f'<div class="jlnlearn-write" role="note" aria-label="{yours}">{yours}</div></div>')
    scale = "".join(f"<li><b>{number} {escape_html(_(LEVELS[number]))}</b>: {escape_html(_(LEVEL_MEANINGS[number]))}"
                    "</li>" for number in LEVELS)
    rows = []
    for function in FUNCTIONS:
        facts = function_evidence(subject, function.key)
        listed_facts = "".join(f"<li>{escape_html(fact)}</li>" for fact in facts) or \
            f"<li>{escape_html(_(NOTHING_DOCUMENTED))}</li>"
        boxes = " ".join(f"\u2610\u00a0{number}" for number in LEVELS)
        rows.append(f"<tr><th scope=\"row\">{escape_html(_(function.title))}<br><small>"
                    f"{escape_html(_(function.question))}</small></th><td><ul>{listed_facts}</ul></td>"
                    f'<td class="jlnlearn-boxes">{boxes}</td>'
                    f'<td class="jlnlearn-write" aria-label="{yours}"></td></tr>')
    headers = "".join(f"<th>{escape_html(text)}</th>" for text in (
        _("function"), _("what the sources document"), _("your rating"), _("why")))
    parts.append(f'<div class="jlnlearn-step"><h3>{escape_html(_(FUNCTIONS_HEADING))}</h3>'
                 f"<ol class=\"jlnlearn-scale\">{scale}</ol><table><thead><tr>{headers}</tr></thead>"
                 f"<tbody>{''.join(rows)}</tbody></table></div></div>")
    return Worksheet("".join(parts))


def cite_framework() -> None:
    """Cite the guide and the framework the lesson's questions and functions follow."""
    cite([assessment.GUIDE_SOURCE, assessment.FRAMEWORK_SOURCE])
