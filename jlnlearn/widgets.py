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
from jlnlearn.data.countries import CountryLike, country
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
