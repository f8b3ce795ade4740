"""Live controls for JupyterLab (ipywidgets); each has a static twin in :mod:`jlnlearn.charts`.

In an HTML report there is no kernel: the report build sets
``JLNLEARN_STATIC_OUTPUT`` and each control then shows a line pointing to its
static twin (a plotly figure with its own slider) instead of live widgets,
which a headless run cannot use.
"""

from __future__ import annotations

import os

import ipywidgets as widgets
from IPython.display import display

from jlnlearn import charts
from jlnlearn.data import schema
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.data.extra import append_row, form_row
from jlnlearn.data.validation import check_rows
from jlnlearn.errors import DataValidationError, Problem
from jlnlearn.lessons import phc
from jlnlearn.present import Notice, escape_html
from jlnlearn.settings import STATIC_OUTPUT_ENV


def capitation_controls(query: CountryLike, weights: dict[str, float],
                        phc_share: float = 0.3) -> widgets.VBox | Notice:
    """Sliders for the PHC share and the weights of the youngest and oldest; the chart updates.

    The line above the chart states the flat and the oldest band's rate, so a
    change is visible at once. In a report build (``JLNLEARN_STATIC_OUTPUT``
    set) it returns a notice pointing to the static twin instead.
    """
    if os.environ.get(STATIC_OUTPUT_ENV):
        return Notice("The live sliders work in JupyterLab; in this page, use the slider "
                             "under the next chart to choose the PHC share.")
    subject = country(query)
    share = widgets.FloatSlider(value=phc_share, min=0.05, max=0.8, step=0.05,
                                description="PHC share", readout_format=".0%",
                                style={"description_width": "initial"})
    young = widgets.FloatSlider(value=weights["0-4"], min=0.2, max=4.0, step=0.1,
                                description="weight 0-4", style={"description_width": "initial"})
    old = widgets.FloatSlider(value=weights["65+"], min=0.2, max=4.0, step=0.1,
                              description="weight 65+", style={"description_width": "initial"})
    summary = widgets.HTML()
    output = widgets.Output()

    def redraw(*_: object) -> None:
        chosen = {**weights, "0-4": young.value, "65+": old.value}
        rates = phc.capitation_rates(subject, share.value, chosen)
        if rates.empty:
            summary.value = "<i>No population by age or health spending for this country.</i>"
        else:
            summary.value = escape_html(
                f"Same rate for everybody: US$ {rates.flat_rate.iloc[0]:.2f}; "
                f"age 65+: US$ {rates.loc['65+', 'rate']:.2f}; "
                f"age 0-4: US$ {rates.loc['0-4', 'rate']:.2f} per person per year")
        output.clear_output(wait=True)
        with output:
            display(charts.capitation_rates(subject, share.value, chosen))

    for control in (share, young, old):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([share, young, old]), summary, output])


#: Free-text columns long enough to get a text box of several lines.
LONG_TEXT = {"description", "detail", "quote", "role", "event", "definition", "likely_incentives"}


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
        return Notice(f"In JupyterLab this cell shows a form for one row of {table}: fill it in, see it "
                      f"checked as you type, and save it to your own folder ({folder}/{table}.csv).")
    inputs = {column["name"]: _field_input(column) for column in columns}
    status, result = widgets.HTML(), widgets.HTML()
    save = widgets.Button(description="Save the row", button_style="primary", disabled=True,
                          tooltip=f"add the row to {folder}/{table}.csv")

    def entries() -> dict[str, object]:
        return form_row(table, {name: control.value for name, control in inputs.items()})

    def recheck(*_: object) -> None:
        row = entries()
        problems = check_rows(table, [row]) if row else []
        save.disabled = not row or bool(problems)
        if not row:
            status.value = "<i>Fill in the fields marked *; the row is checked as you go.</i>"
        elif problems:
            status.value = "<b>Not yet:</b>" + _problem_list(problems)
        else:
            status.value = f"<b>This row fits the {escape_html(table)} table.</b> Save it when you are done."

    def store(_: object) -> None:
        try:
            path = append_row(folder, table, entries())
        except DataValidationError as error:
            result.value = "<b>Not saved:</b>" + _problem_list(error.problems)
            return
        result.value = escape_html(f"Saved to {path}. Build the pages with it added: "
                                   f"JLNLEARN_EXTRA_DATA={folder} jlnlearn reports")

    for control in inputs.values():
        control.observe(recheck, names="value")
    save.on_click(store)
    recheck()
    intro = widgets.HTML(f"<b>Record a row of {escape_html(table)}</b> (fields marked * are required)")
    return widgets.VBox([intro, *inputs.values(), status, save, result])


def _field_input(column: dict) -> widgets.Widget:
    """The input of one column: a list of its set values, yes/no, or a text box."""
    constraints = column.get("constraints", {})
    label = f"{column.get('title', column['name'])}{' *' if constraints.get('required') else ''}"
    common = {"description": label, "style": {"description_width": "12rem"},
              "layout": widgets.Layout(width="95%"), "description_allow_html": False}
    if "enum" in constraints:
        return widgets.Dropdown(options=["", *constraints["enum"]], value="", **common)
    if column.get("type") == "boolean":
        return widgets.Dropdown(options=[("", ""), ("yes", True), ("no", False)], value="", **common)
    kind = widgets.Textarea if column["name"] in LONG_TEXT else widgets.Text
    return kind(placeholder=column.get("description", ""), continuous_update=False, **common)


def _problem_list(problems: list[Problem]) -> str:
    """Problems as an HTML list without the ``your rows:2:`` place (the form has one row)."""
    items = "".join(f"<li>{escape_html(problem.column)}: {escape_html(problem.message)}"
                    f"{escape_html(f' ({problem.valid})') if problem.valid else ''}</li>" for problem in problems)
    return f"<ul>{items}</ul>"

