"""The learning pieces every notebook uses: header, quizzes, footer.

Everything a learner reads (objectives, questions, feedback, takeaways) is
written in the notebook as arguments of these calls; this module only lays it
out. Quizzes are plain HTML: each answer opens on click to show its feedback,
so they work the same in JupyterLab and in an HTML report with no kernel.

Cells of an exercise's solution are tagged ``solution`` and facilitator notes
``facilitator``; see :mod:`jlnlearn.teaching` for the learner copy and the
facilitator guide that use those tags.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from jlnlearn.data import sources
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.errors import LessonError
from jlnlearn.i18n import N_, _, ngettext
from jlnlearn.lessons.assessment_file import DOWNLOAD_NAME as ASSESSMENT_DOWNLOAD
from jlnlearn.lessons.workbook import DOWNLOAD_NAME
from jlnlearn.names import contracted
from jlnlearn.present import escape_html
from jlnlearn.present.formats import short_number
from jlnlearn.present.readings import named_in_sentence, possessive
from jlnlearn.settings import STATIC_OUTPUT_ENV

#: The streams a lesson belongs to (in English: notebooks pass these keys; shown translated).
STREAMS = (N_("strategic purchasing"), N_("service delivery"))


def _items(values: Sequence[str]) -> str:
    return "".join(f"<li>{escape_html(value)}</li>" for value in values)


@dataclass
class Header:
    """A lesson's opening: objectives, time needed, stream and prerequisites.

    The title is the notebook's first Markdown heading, so JupyterLab, the
    reports and the facilitator guide all show the same one. ``sources`` are
    the page's citations: what the lesson shows after its header is listed
    by its footer.
    """

    objectives: Sequence[str]
    minutes: int
    stream: str
    prerequisites: Sequence[str] = ()
    sources: sources.Citations = field(default_factory=sources.Citations, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.stream not in STREAMS:
            raise LessonError(f"stream {self.stream!r} is not one of {', '.join(STREAMS)}")
        if not self.objectives:
            raise LessonError("a lesson needs at least one learning objective")
        if self.minutes <= 0:
            raise LessonError(f"minutes must be positive, got {self.minutes}")

    def _repr_html_(self) -> str:
        needs = _items(self.prerequisites or [_("none")])
        time, stream = escape_html(_("Time:")), escape_html(_("Stream:"))
        minutes = escape_html(ngettext("{n} minute", "{n} minutes", self.minutes).format(n=self.minutes))
        objectives, before = escape_html(_("By the end you will be able to:")), escape_html(_("Before you start:"))
        return (f'<div class="jlnlearn-lesson">'
                f"<p><b>{time}</b> {minutes} · <b>{stream}</b> {escape_html(_(self.stream))}</p>"
                f"<p><b>{objectives}</b></p><ul>{_items(self.objectives)}</ul>"
                f"<p><b>{before}</b></p><ul>{needs}</ul></div>")


def header(objectives: Sequence[str], minutes: int, stream: str,
           prerequisites: Sequence[str] = ()) -> Header:
    """Open a lesson: its page, and the citations of what it shows from here on.

    Parameters
    ----------
    objectives
        What the learner will be able to do, one sentence each (at least one).
    minutes
        Time the lesson needs.
    stream
        One of :data:`STREAMS`.
    prerequisites
        Lessons or knowledge to have first.

    Returns
    -------
    The :class:`Header`, shown as the lesson's opening; it keeps the page's
    :class:`~jlnlearn.data.sources.Citations`.

    Raises
    ------
    LessonError
        For an unknown stream, no objective or a time that is not positive.

    Examples
    --------
    >>> h = header(["Explain capitation"], 45, "strategic purchasing")
    >>> "45 minutes" in h._repr_html_()
    True
    """
    opened = Header(list(objectives), minutes, stream, list(prerequisites))
    opened.sources = sources.open_page()
    return opened


@dataclass
class Quiz:
    """A check-your-understanding question whose answers reveal feedback on click."""

    question: str
    options: Mapping[str, str] = field(default_factory=dict)
    correct: Sequence[str] = ()
    number: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    explanation: str = ""

    def is_correct(self, answer: str | float | Sequence[str]) -> bool:
        """Whether ``answer`` is right: an option, a set of options, or a number within tolerance.

        >>> single("2 + 2?", {"4": "Yes.", "5": "No."}, "4").is_correct("4")
        True
        """
        if self.number is not None:
            return isinstance(answer, int | float) and math.isclose(
                float(answer), self.number, abs_tol=self.tolerance)
        if isinstance(answer, str):
            return [answer] == list(self.correct)
        return set(answer) == set(self.correct)

    def check(self, answer: str | float | Sequence[str]) -> str:
        """Feedback for a learner's answer, for use in a live kernel."""
        verdict = _("Correct.") if self.is_correct(answer) else _("Not quite.")
        return f"{verdict} {self.explanation}".strip()

    def _repr_html_(self) -> str:
        check = escape_html(_("Check your understanding."))
        parts = [f'<div class="jlnlearn-quiz"><p><b>{check}</b> {escape_html(self.question)}</p>']
        if self.number is not None:
            around = f" ± {short_number(self.tolerance)}" if self.tolerance else ""
            show = escape_html(_("Show the answer"))
            value = " ".join(filter(None, [f"{short_number(self.number)}{around}", escape_html(self.unit)]))
            parts.append(f'<details class="answer"><summary>{show}</summary>'
                         f"<p>{value}. {escape_html(self.explanation)}</p></details>")
        else:
            many = len(self.correct) > 1
            if many:
                several = escape_html(_("More than one answer is right: open each one."))
                parts.append(f'<p class="quiz-hint"><i>{several}</i></p>')
            for option, feedback in self.options.items():
                verdict = _("Right.") if option in self.correct else _("Not right.")
                parts.append(f'<details class="{"right" if option in self.correct else "wrong"}">'
                             f"<summary>{escape_html(option)}</summary>"
                             f"<p><b>{escape_html(verdict)}</b> {escape_html(feedback)}</p></details>")
        parts.append("</div>")
        return "".join(parts)


def _linked(title: object, url: object) -> str:
    """A source's title, linked to its first address when it has one (both escaped).

    >>> _linked("WHO <GHED>", "https://apps.who.int/nha/database ; https://example.org")
    '<a href="https://apps.who.int/nha/database">WHO &lt;GHED&gt;</a>'
    """
    text = escape_html(str(title))
    if url is None or pd.isna(url) or not str(url).strip():
        return text
    return f'<a href="{escape_html(str(url).split(" ; ")[0])}">{text}</a>'


def _check_options(options: Mapping[str, str], correct: Sequence[str]) -> None:
    if len(options) < 2:
        raise LessonError("a quiz needs at least two options")
    unknown = [answer for answer in correct if answer not in options]
    if unknown or not correct:
        raise LessonError(f"correct answers {list(correct)!r} must be among the options {list(options)!r}")


def single(question: str, options: Mapping[str, str], answer: str, explanation: str = "") -> Quiz:
    """A question with one right option; ``options`` maps each option to its feedback."""
    _check_options(options, [answer])
    return Quiz(question, dict(options), [answer], explanation=explanation)


def multiple(question: str, options: Mapping[str, str], answers: Sequence[str],
             explanation: str = "") -> Quiz:
    """A question with several right options."""
    _check_options(options, list(answers))
    return Quiz(question, dict(options), list(answers), explanation=explanation)


def number(question: str, answer: float, tolerance: float = 0.0, unit: str = "",
           explanation: str = "") -> Quiz:
    """A question answered by a number, right within ``tolerance``.

    >>> number("Per person?", 50, tolerance=0.5).is_correct(50.4)
    True
    """
    if tolerance < 0:
        raise LessonError(f"tolerance must not be negative, got {tolerance}")
    return Quiz(question, number=float(answer), tolerance=tolerance, unit=unit,
                explanation=explanation)


#: The class of a footer's list of takeaways, by which a build finds them in a page (for handouts).
TAKEAWAYS_CLASS = "jlnlearn-takeaways"
#: The list of the sources a lesson cited, in its footer and in a page's sources so far.
CITED_CLASS = "jlnlearn-cited"


def _cited_items() -> str:
    """The sources cited on the open page so far, as HTML list items (one saying so when none are)."""
    used = sources.used()
    return "".join(
        f"<li>[{escape_html(row.source_id)}] {_linked(row.title, row.url)}. "
        f"{escape_html(str(row.publisher))}"
        f"{'' if pd.isna(row.year) else f', {row.year}'}.</li>"
        for row in used.itertuples()) or _items([_("No sourced data were shown.")])


@dataclass
class Footer:
    """A lesson's close: key takeaways, discussion prompts and the sources it used."""

    takeaways: Sequence[str]
    prompts: Sequence[str]

    def _repr_html_(self) -> str:
        takeaways, discussion = escape_html(_("Key takeaways")), escape_html(_("For discussion in the webinar"))
        cited = escape_html(_("Sources used in this lesson"))
        return (f'<div class="jlnlearn-footer"><h2>{takeaways}</h2>'
                f'<ul class="{TAKEAWAYS_CLASS}">{_items(self.takeaways)}</ul>'
                f"<h2>{discussion}</h2><ul>{_items(self.prompts)}</ul>"
                f"<h2>{cited}</h2><ul class=\"{CITED_CLASS}\">{_cited_items()}</ul></div>")


def footer(takeaways: Sequence[str], prompts: Sequence[str]) -> Footer:
    """Close a lesson; the sources listed are those of the data the lesson showed."""
    return Footer(list(takeaways), list(prompts))


@dataclass
class SourcesSoFar:
    """The sources of what a page has shown up to where it is displayed, under a heading."""

    heading: str

    def _repr_html_(self) -> str:
        return (f'<div class="jlnlearn-sources"><h2>{escape_html(self.heading)}</h2>'
                f'<ul class="{CITED_CLASS}">{_cited_items()}</ul></div>')


def sources_so_far(heading: str | None = None) -> SourcesSoFar:
    """List the sources of the data shown since the lesson's header, for a page that ends early
    in print (a one-page brief) or has no footer; under ``heading`` (by default, "Sources").

    >>> _ = header(["Read a brief"], 10, "strategic purchasing")
    >>> sources.cite(["J02"])
    >>> text = sources_so_far("Sources of this brief")._repr_html_()
    >>> "<h2>Sources of this brief</h2>" in text, "[J02]" in text
    (True, True)
    """
    return SourcesSoFar(_("Sources") if heading is None else heading)


@dataclass
class Download:
    """A link to a file a report build writes beside the page (``file``), with what it holds."""

    file: str
    link: str
    about: str

    def _repr_html_(self) -> str:
        return (f'<p class="jlnlearn-download"><a href="{escape_html(self.file)}" download>{escape_html(self.link)}'
                f"</a> ({escape_html(self.about)})</p>")


def workbook_download(query: CountryLike) -> Download | None:
    """On a report page, a link to the country's workbook of lesson 02's calculators, which the build
    writes beside the page; in JupyterLab nothing (the notebook says how to write one).

    >>> workbook_download("Ghana") is None  # in a kernel, as here
    True
    >>> os.environ[STATIC_OUTPUT_ENV] = "1"  # on a report page
    >>> html = workbook_download("Ghana")._repr_html_()
    >>> 'href="payment-calculators-GHA.xlsx" download>Download the calculators for Ghana' in html
    True
    >>> del os.environ[STATIC_OUTPUT_ENV]
    """
    subject = country(query)
    if not os.environ.get(STATIC_OUTPUT_ENV):
        return None
    name = named_in_sentence(subject, markdown=False)
    # TRANSLATORS: {name} is a country's name.
    link = _("Download the calculators for {name} as an Excel workbook").format(name=name)
    # TRANSLATORS: {possessive} is the country's name with "'s" ("Ghana's"), {name} the name alone.
    about = contracted(_("capitation, fee-for-service, case-based payment and a blend, started from {possessive} "
                         "figures: change its yellow cells to try your own numbers.").format(
        possessive=possessive(name), name=name))
    return Download(DOWNLOAD_NAME.format(iso3=subject.iso3), link, about)


def assessment_download(query: CountryLike) -> Download | None:
    """On a report page, a link to the country's lesson 07 assessment file, which the build writes
    beside the page; in JupyterLab nothing (the form saves one).

    >>> assessment_download("Ghana") is None  # in a kernel, as here
    True
    >>> os.environ[STATIC_OUTPUT_ENV] = "1"  # on a report page
    >>> 'href="assessment-GHA.xlsx" download>' in assessment_download("Ghana")._repr_html_()
    True
    >>> del os.environ[STATIC_OUTPUT_ENV]
    """
    subject = country(query)
    if not os.environ.get(STATIC_OUTPUT_ENV):
        return None
    # TRANSLATORS: {name} is a country's name.
    link = _("Download the assessment for {name} as an Excel file").format(
        name=named_in_sentence(subject, markdown=False))
    about = _("the questions and the documented facts, with yellow cells for your answers and ratings; "
              "a facilitator can read it back and compare several.")
    return Download(ASSESSMENT_DOWNLOAD.format(iso3=subject.iso3), link, about)
