"""Figures of PHC payment (notebook 02): capitation rates on real data and who bears the risk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from jlnlearn.charts.theme import HIGHLIGHT, PALETTE, PEER
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.lessons import phc
from jlnlearn.lessons.payment import MECHANISMS_SIMULATED
from jlnlearn.present import Notice


def capitation_rates(query: CountryLike, phc_share: float, weights: dict[str, float]) -> go.Figure | Notice:
    """Capitation per person by age band: the same for all, and adjusted by the weights."""
    subject = country(query)
    rates = phc.capitation_rates(subject, phc_share, weights)
    if rates.empty:
        return Notice(f"Capitation on real data: {subject.name} lacks population by age or "
                      "health spending in the data.")
    figure = go.Figure([
        go.Bar(x=rates.index, y=rates.flat_rate, name="same rate for everybody", marker_color=PEER,
               hovertemplate="%{x}: US$ %{y:.2f}<extra></extra>"),
        go.Bar(x=rates.index, y=rates.rate, name="adjusted by age weight", marker_color=HIGHLIGHT,
               hovertemplate="%{x}: US$ %{y:.2f}<extra></extra>"),
    ])
    figure.update_layout(title=f"Capitation per person per year, {phc_share:.0%} of health spending "
                               f"to PHC: {subject.name}", barmode="group",
                         yaxis_title="US$ per person per year", xaxis_title="age band")
    return figure


def capitation_explorer(query: CountryLike, weights: dict[str, float],
                        shares: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5)) -> go.Figure | Notice:
    """Capitation rates with a slider over PHC shares: works in a report without a kernel."""
    subject = country(query)
    scenarios = phc.rate_scenarios(subject, list(shares), weights)
    if scenarios.empty:
        return Notice(f"Capitation explorer: no population by age or health spending for {subject.name}.")
    figure = go.Figure()
    for share in shares:
        rows = scenarios[scenarios.phc_share == share]
        first = share == shares[0]
        figure.add_trace(go.Bar(x=rows.band, y=rows.flat_rate, name="same rate for everybody",
                                marker_color=PEER, visible=first))
        figure.add_trace(go.Bar(x=rows.band, y=rows.rate, name="adjusted by age weight",
                                marker_color=HIGHLIGHT, visible=first))
    steps = [{"label": f"{share:.0%}", "method": "update",
              "args": [{"visible": [i // 2 == n for i in range(2 * len(shares))]}]}
             for n, share in enumerate(shares)]
    top = float(scenarios[["rate", "flat_rate"]].max().max()) * 1.1
    figure.update_layout(title=f"Capitation per person per year: {subject.name}", barmode="group",
                         yaxis={"title": "US$ per person per year", "range": [0, top]},
                         sliders=[{"steps": steps, "currentvalue": {"prefix": "PHC share of health spending: "},
                                   "pad": {"t": 40}}])
    return figure


def risk_distributions(simulation: pd.DataFrame) -> go.Figure:
    """The provider's margin and the purchaser's spending under each mechanism, as histograms."""
    figure = go.Figure()
    views = ["margin", "spending"]
    for view in views:
        for index, mechanism in enumerate(MECHANISMS_SIMULATED):
            values = simulation[f"{view}_{mechanism}"].to_numpy()
            low, high = float(values.min()), float(values.max())
            if high - low < 1e-9:
                low, high = low - 1, high + 1
            counts, edges = np.histogram(values, bins=40, range=(low, high))
            figure.add_trace(go.Bar(
                x=(edges[:-1] + edges[1:]) / 2, y=counts / counts.sum(), width=edges[1] - edges[0],
                name=mechanism, marker_color=PALETTE[index], opacity=0.65, visible=view == "margin",
                hovertemplate=f"{mechanism}: %{{x:,.0f}}<extra></extra>"))
    buttons = [{"label": label, "method": "update",
                "args": [{"visible": [v == view for v in views for _ in MECHANISMS_SIMULATED]},
                         {"xaxis": {"title": title}}]}
               for view, label, title in [("margin", "provider's margin", "payment minus cost"),
                                          ("spending", "purchaser's spending", "payment")]]
    figure.update_layout(title=f"Who bears the risk: {len(simulation):,} simulated facility-years",
                         barmode="overlay", yaxis_title="share of facility-years",
                         xaxis_title="payment minus cost",
                         updatemenus=[{"buttons": buttons, "x": 1, "xanchor": "right", "y": 1.12,
                                       "yanchor": "bottom"}])
    return figure


#: One colour per lever of COVID-19 measures, the same in every chart.
