"""Live controls for JupyterLab (ipywidgets); each has a static twin in :mod:`jlnlearn.charts`.

In an HTML report there is no kernel: the report build sets
``JLNLEARN_STATIC_OUTPUT`` and each control then shows its static twin (a
plotly figure with its own slider) or a line saying where to use it, instead
of live widgets, which a headless run cannot use.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import ipywidgets as widgets
import plotly.graph_objects as go
from IPython.display import display

from jlnlearn import charts
from jlnlearn.data import schema
from jlnlearn.data.countries import Country, CountryLike, country
from jlnlearn.data.extra import append_row, form_row, unsaveable
from jlnlearn.data.validation import check_rows
from jlnlearn.errors import DataValidationError, Problem, WorkbookError
from jlnlearn.i18n import _, percent
from jlnlearn.lessons import phc
from jlnlearn.lessons.assessment import FUNCTIONS, LEVELS, STEPS, Function, Step
from jlnlearn.lessons.assessment_file import FILE_NAME, Assessment, merge_assessments, safe_name, side_by_side
from jlnlearn.present import Notice, escape_html, fact_table
from jlnlearn.present.assessment import (
    FUNCTIONS_HEADING,
    NOTHING_DOCUMENTED,
    Worksheet,
    facts_html,
    function_evidence,
    step_evidence,
    step_heading,
    worksheet,
)
from jlnlearn.present.assessment_files import assessment_csv, assessment_xlsx, comparison_table
from jlnlearn.present.formats import number_text
from jlnlearn.settings import STATIC_OUTPUT_ENV


def capitation_controls(query: CountryLike, weights: dict[str, float],
                        phc_share: float = 0.3) -> widgets.VBox | go.Figure | Notice:
    """Sliders for the PHC share and the weights of the youngest and oldest; the chart updates.

    The line above the chart states the flat and the oldest band's rate, so a
    change is visible at once. In a report, where no kernel answers a slider,
    it is the chart with its own slider for the share instead
    (:func:`~jlnlearn.charts.capitation_explorer`): one chart and one share
    slider either way.
    """
    if os.environ.get(STATIC_OUTPUT_ENV):
        return charts.capitation_explorer(query, weights, phc_share)
    subject = country(query)
    share = widgets.SelectionSlider(options=[(percent(step, 0), step) for step in share_steps(phc_share)],
                                    value=phc_share, description=_("PHC share"),
                                    style={"description_width": "initial"})
    # TRANSLATORS: {band} is an age band, e.g. "0-4" or "65+".
    weight = _("weight {band}")
    young = widgets.FloatSlider(value=weights["0-4"], min=0.2, max=4.0, step=0.1,
                                description=weight.format(band="0-4"), style={"description_width": "initial"})
    old = widgets.FloatSlider(value=weights["65+"], min=0.2, max=4.0, step=0.1,
                              description=weight.format(band="65+"), style={"description_width": "initial"})
    summary = widgets.HTML()
    output = widgets.Output()

    def redraw(*_changes: object) -> None:
        chosen = {**weights, "0-4": young.value, "65+": old.value}
        rates = phc.capitation_rates(subject, share.value, chosen)
        if rates.empty:
            missing = escape_html(_("No population by age or health spending for this country."))
            summary.value = f"<i>{missing}</i>"
        else:
            # TRANSLATORS: {flat}, {old} and {young} are amounts in US$.
            summary.value = escape_html(_(
                "Same rate for everybody: US$ {flat}; age 65+: US$ {old}; age 0-4: US$ {young} per person per year"
            ).format(flat=number_text(rates.flat_rate.iloc[0], 2), old=number_text(rates.loc["65+", "rate"], 2),
                     young=number_text(rates.loc["0-4", "rate"], 2)))
        output.clear_output(wait=True)
        with output:
            display(charts.capitation_rates(subject, share.value, chosen))

    for control in (share, young, old):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([share, young, old]), summary, output])


def share_steps(phc_share: float) -> list[float]:
    """The PHC shares the slider offers: 5% to 80% by 5 points, with ``phc_share`` itself in place of
    the step it is nearest (a WHO share such as 65.09% is kept as it is, shown as 65%). The slider
    reads them out the reader's way (``65 %`` in French), which a number slider's format cannot.

    >>> share_steps(0.6509)[11:14], len(share_steps(0.3))
    ([0.6, 0.6509, 0.7], 16)
    """
    steps = [round(0.05 * n, 2) for n in range(1, 17)]
    return sorted({*(step for step in steps if abs(step - phc_share) >= 0.025), phc_share})


#: Free-text columns long enough to get a text box of several lines.
LONG_TEXT = {"description", "detail", "quote", "role", "event", "definition", "likely_incentives"}


#: Set by BinderHub in every session it starts (its spawner passes the repository's address).
BINDER_VARIABLES = ("BINDER_REPO_URL", "BINDER_LAUNCH_HOST")


def on_binder() -> bool:
    """Whether this kernel runs in a Binder session, which is deleted when the learner leaves it.

    >>> import os
    >>> on_binder() == any(name in os.environ for name in BINDER_VARIABLES)
    True
    """
    return any(os.environ.get(name) for name in BINDER_VARIABLES)


#: The media type of each kind of file a form saves, for its download link.
MEDIA_TYPES = {".csv": "text/csv;charset=utf-8",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def download_link(path: Path) -> str:
    """A paragraph that says a Binder session is thrown away and offers the saved file, whole, as a
    download (its content in the link: nothing is asked of the server).

    >>> import tempfile
    >>> saved = Path(tempfile.mkdtemp()) / "reforms.csv"
    >>> _ = saved.write_text("reform_id", encoding="utf-8")
    >>> print(download_link(saved))  # doctest: +ELLIPSIS
    <p><b>On Binder, this session and its files are deleted when you leave it.</b> ... <a download="reforms.csv" href="data:text/csv;charset=utf-8;base64,cmVmb3JtX2lk">Download reforms.csv</a></p>
    """
    content = base64.b64encode(path.read_bytes()).decode("ascii")
    media = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    # TRANSLATORS: {name} is a file's name ("payment_mechanisms.csv").
    keep = _("Keep your work: download {name} now, or right-click it in the file browser and choose "
             "Download.").format(name=path.name)
    warning = _("On Binder, this session and its files are deleted when you leave it.")
    # TRANSLATORS: {name} is a file's name ("payment_mechanisms.csv").
    label = _("Download {name}").format(name=path.name)
    return (f"<p><b>{escape_html(warning)}</b> {escape_html(keep)} <a download=\"{escape_html(path.name)}\" "
            f"href=\"data:{media};base64,{content}\">{escape_html(label)}</a></p>")


def fact_form(table: str, folder: str | os.PathLike[str] = "my-data") -> widgets.VBox | Notice:
    """A form to record one fact of ``table`` without writing Python: one field per column of the
    data package (a list to choose from where the column takes set values), the row checked with
    :func:`~jlnlearn.check_rows` as it is filled in, and saved to ``folder/<table>.csv``, the
    participant's own extra-data folder.

    Build the pages with those rows added with ``JLNLEARN_EXTRA_DATA=<folder> jlnlearn reports``.
    In a report build (``JLNLEARN_STATIC_OUTPUT`` set) it returns a notice saying what the form
    does in JupyterLab instead.
    """
    columns = schema.fields(table)
    if os.environ.get(STATIC_OUTPUT_ENV):
        # TRANSLATORS: {table} is the name of a data table ("payment_mechanisms"), {folder} a folder's name.
        return Notice(_("In JupyterLab this cell shows a form for one row of {table}: fill it in, see it "
                        "checked as you type, and save it to your own folder ({folder}/{table}.csv).").format(
            table=table, folder=folder))
    inputs = {column["name"]: _field_input(column) for column in columns}
    status, result = widgets.HTML(), widgets.HTML()
    # TRANSLATORS: {path} is a file's path ("my-data/payment_mechanisms.csv").
    tooltip = _("add the row to {path}").format(path=f"{folder}/{table}.csv")
    save = widgets.Button(description=_("Save the row"), button_style="primary", disabled=True, tooltip=tooltip)

    def entries() -> dict[str, object]:
        return form_row(table, {name: control.value for name, control in inputs.items()})

    def recheck(*_changes: object) -> None:
        row = entries()
        problems = (unsaveable(table, row) or check_rows(table, [row])) if row else []
        save.disabled = not row or bool(problems)
        if not row:
            status.value = "<i>{}</i>".format(escape_html(_("Fill in the fields marked *; the row is checked as you go.")))
        elif problems:
            status.value = "<b>{}</b>".format(escape_html(_("Not yet:"))) + _problem_list(table, problems)
        else:
            # TRANSLATORS: {table} is the name of a data table ("payment_mechanisms").
            fits = escape_html(_("This row fits the {table} table.").format(table=table))
            status.value = "<b>{}</b> {}".format(fits, escape_html(_("Save it when you are done.")))

    def store(_click: object) -> None:
        try:
            path = append_row(folder, table, entries())
        except DataValidationError as error:
            result.value = "<b>{}</b>".format(escape_html(_("Not saved:"))) + _problem_list(table, error.problems)
            return
        except OSError as error:  # a folder that cannot be written: said in the form, not in a log
            # TRANSLATORS: {folder} is a folder's name, {reason} why it cannot be written ("Permission denied").
            result.value = "<b>{}</b> {}".format(escape_html(_("Not saved:")), escape_html(_(
                "the folder {folder} cannot be written ({reason}); choose another folder for the form").format(
                folder=folder, reason=error.strerror or error)))
            return
        save.disabled = True  # saved once: a second click does not save the row twice
        # TRANSLATORS: {path} is a file's path; keep the command after the colon as it is.
        result.value = escape_html(_("Saved to {path}. Build the pages with it added: "
                                     "JLNLEARN_EXTRA_DATA={folder} jlnlearn reports").format(path=path, folder=folder))
        if on_binder():
            result.value += download_link(Path(path))

    for control in inputs.values():
        control.observe(recheck, names="value")
    save.on_click(store)
    recheck()
    # TRANSLATORS: {table} is the name of a data table ("payment_mechanisms").
    record = escape_html(_("Record a row of {table}").format(table=table))
    required = escape_html(_("(fields marked * are required)"))
    intro = widgets.HTML(f"<b>{record}</b> {required}")
    return widgets.VBox([intro, *inputs.values(), status, save, result])


def _field_input(column: dict) -> widgets.Widget:
    """The input of one column: a list of its set values, yes/no, or a text box."""
    constraints = column.get("constraints", {})
    title = _(column["title"]) if column.get("title") else column["name"]
    label = f"{title}{' *' if constraints.get('required') else ''}"
    common = {"description": label, "style": {"description_width": "12rem"},
              "layout": widgets.Layout(width="95%"), "description_allow_html": False}
    if "enum" in constraints:  # each set value shown in the reader's language, kept in English
        values = ["", *constraints["enum"]]
        labelled = [(_(value) if isinstance(value, str) and value else str(value), value) for value in values]
        shown = values if all(label == str(value) for label, value in labelled) else labelled
        return widgets.Dropdown(options=shown, value="", **common)
    if column.get("type") == "boolean":
        return widgets.Dropdown(options=[("", ""), (_("yes"), True), (_("no"), False)], value="", **common)
    kind = widgets.Textarea if column["name"] in LONG_TEXT else widgets.Text
    hint = _(column["description"]) if column.get("description") else ""
    return kind(placeholder=hint, continuous_update=False, **common)


def _problem_list(table: str, problems: list[Problem]) -> str:
    """Problems as an HTML list without the ``your rows:2:`` place (the form has one row), each named
    by its column's label in the form."""
    titles = {column["name"]: _(column["title"]) for column in schema.fields(table) if column.get("title")}
    # TRANSLATORS: {column} is a column's label in the form, {problem} what is wrong with its value.
    said = _("{column}: {problem}")
    items = "".join("<li>{}</li>".format(escape_html(said.format(
        column=titles.get(problem.column, problem.column),
        problem=f"{problem.message} ({problem.valid})" if problem.valid else problem.message))) for problem in problems)
    return f"<ul>{items}</ul>"


class AssessmentForm(widgets.VBox):
    """Lesson 07's form: an answer per step beside the facts the sources document, a rating and a
    reason per purchasing function with their chart, and a button that saves it all as Excel and CSV.

    Its fields are attributes (``learner``, ``answers``, ``ratings``, ``reasons``, ``save``), so a
    script or a test fills it the way a learner does.
    """

    def __init__(self, query: CountryLike, folder: str | os.PathLike[str] = "my-assessment") -> None:
        self.subject = country(query)
        self.folder = Path(folder)
        box = widgets.Layout(width="95%", height="7rem")
        self.learner = widgets.Text(description=_("Your name"), style={"description_width": "initial"},
                                    placeholder=_("so that a facilitator can tell the files apart"))
        self.answers = {step.key: widgets.Textarea(placeholder=_("Your answer"), layout=box) for step in STEPS}
        choices = [(_("not rated"), None), *[(f"{number} {_(LEVELS[number])}", number) for number in LEVELS]]
        self.ratings = {function.key: widgets.Dropdown(options=choices, value=None, description=_(function.title),
                                                       style={"description_width": "14rem"},
                                                       layout=widgets.Layout(width="95%"))
                        for function in FUNCTIONS}
        self.reasons = {function.key: widgets.Textarea(placeholder=_("Why: what you know that shows it"),
                                                       layout=widgets.Layout(width="95%", height="4rem"))
                        for function in FUNCTIONS}
        self.chart = widgets.Output()
        self.figure: go.Figure | Notice = Notice("")
        self.save = widgets.Button(description=_("Save as Excel and CSV"), button_style="primary",
                                   tooltip=str(self.folder))
        self.result = widgets.HTML()
        parts: list[widgets.Widget] = [self.learner]
        for step in STEPS:
            parts += [widgets.HTML(step_html(self.subject, step)), self.answers[step.key]]
        parts.append(widgets.HTML(f"<h3>{escape_html(_(FUNCTIONS_HEADING))}</h3>"))
        for function in FUNCTIONS:
            parts += [widgets.HTML(function_html(self.subject, function)), self.ratings[function.key],
                      self.reasons[function.key]]
        parts += [self.chart, self.save, self.result]
        super().__init__(parts)
        for control in self.ratings.values():
            control.observe(self.redraw, names="value")
        self.save.on_click(self.store)
        self.redraw()

    def assessment(self) -> Assessment:
        """What the form holds now."""
        return Assessment(self.subject.iso3, self.learner.value.strip(),
                          {key: box.value.strip() for key, box in self.answers.items()},
                          {key: control.value for key, control in self.ratings.items()},
                          {key: box.value.strip() for key, box in self.reasons.items()})

    def redraw(self, *_changes: object) -> None:
        """Draw the chart of the ratings chosen so far."""
        self.figure = charts.purchasing_ratings(side_by_side([self.assessment()]).ratings)
        self.chart.clear_output(wait=True)
        with self.chart:
            display(self.figure)

    def store(self, _click: object = None) -> list[Path]:
        """Save the assessment as ``.xlsx`` and ``.csv`` in the folder, say where, and return the paths."""
        answers = self.assessment()
        stem = FILE_NAME.format(iso3=answers.iso3, learner=safe_name(answers.learner))
        try:
            saved = [write_file(self.folder / f"{stem}.xlsx", assessment_xlsx(answers)),
                     write_file(self.folder / f"{stem}.csv", assessment_csv(answers))]
        except OSError as error:
            # TRANSLATORS: {folder} is a folder's name, {reason} why it cannot be written ("Permission denied").
            self.result.value = "<b>{}</b> {}".format(escape_html(_("Not saved:")), escape_html(_(
                "the folder {folder} cannot be written ({reason}); choose another folder for the form").format(
                folder=self.folder, reason=error.strerror or error)))
            return []
        # TRANSLATORS: {files} are the saved files' paths.
        self.result.value = escape_html(_("Saved: {files}. Open the Excel file to go on writing, or send it to "
                                          "your facilitator.").format(files=", ".join(map(str, saved))))
        if on_binder():
            self.result.value += "".join(download_link(path) for path in saved)
        return saved


def step_html(subject: Country, step: Step) -> str:
    """One step of the form: its heading, questions and the documented facts."""
    heading = step_heading(step)
    questions = "".join(f"<li>{escape_html(_(question))}</li>" for question in step.questions)
    return f"<h3>{escape_html(heading)}</h3><ol>{questions}</ol>{facts_html(step_evidence(subject, step))}"


def function_html(subject: Country, function: Function) -> str:
    """One purchasing function of the form: its question and the documented facts that bear on it."""
    facts = "".join(f"<li>{escape_html(fact)}</li>" for fact in function_evidence(subject, function.key))
    return (f"<p><b>{escape_html(_(function.title))}</b>: {escape_html(_(function.question))}</p>"
            f"<ul>{facts or '<li>' + escape_html(_(NOTHING_DOCUMENTED)) + '</li>'}</ul>")


def write_file(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` whole or not at all (through a temporary file beside it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(content)
    temporary.replace(path)
    return path


def assessment_form(query: CountryLike, folder: str | os.PathLike[str] = "my-assessment") -> AssessmentForm | Worksheet:
    """Lesson 07's assessment of a country: in JupyterLab a form saved to ``folder`` as Excel and CSV
    (:class:`AssessmentForm`); on a report page (``JLNLEARN_STATIC_OUTPUT`` set), the printable
    worksheet with the same questions and facts and space to write
    (:func:`jlnlearn.present.assessment.worksheet`)."""
    if os.environ.get(STATIC_OUTPUT_ENV):
        return worksheet(query)
    return AssessmentForm(query, folder)


def compare_assessments(files: str | os.PathLike[str] | list[str | os.PathLike[str]] = "my-assessment"
                        ) -> widgets.VBox | Notice:
    """Several learners' saved assessments side by side: their answers in one table and their ratings
    in one chart. ``files`` is a folder (every ``assessment-*.xlsx`` in it) or a list of files.

    Every file's problems are said at once, by file, sheet and cell; in a report build, where no
    learner has saved a file, a line says what the cell does in JupyterLab.
    """
    if os.environ.get(STATIC_OUTPUT_ENV):
        return Notice(_("In JupyterLab this cell puts several learners' saved assessments side by side."))
    if isinstance(files, list):
        paths = [Path(file) for file in files]
    else:
        paths = sorted(Path(files).glob("assessment-*.xlsx"))
    if not paths:
        # TRANSLATORS: {folder} is a folder's name.
        return Notice(_("No saved assessment in {folder} yet: save yours with the form above, and put your "
                        "partners' files beside it.").format(folder=files))
    try:
        comparison = merge_assessments(paths)
    except WorkbookError as error:
        return Notice(str(error))
    table, chart = widgets.Output(), widgets.Output()
    with table:
        display(fact_table(comparison_table(comparison.answers)))
    with chart:
        display(charts.purchasing_ratings(comparison.ratings))
    return widgets.VBox([chart, table])
