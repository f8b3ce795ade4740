"""Figures of a country pairing (notebook 05): trends, reforms and resource-country scores."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from jlnlearn.charts.journey import event_timeline
from jlnlearn.charts.theme import PALETTE, source_note
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.lessons import pairing, profile
from jlnlearn.present import Notice, escape_html


def pairing_trends(codes: list[CountryLike], indicator: str, title: str, y_title: str) -> go.Figure | Notice:
    """One line per pairing country for an indicator over the years.

    Parameters
    ----------
    codes
        The pairing's countries.
    indicator
        An ``indicator`` of the indicators table.
    title
        The chart's title.
    y_title
        The y axis title, with the unit.

    Returns
    -------
    A line chart, one line per country with data, or a :class:`~jlnlearn.present.Notice`.

    Examples
    --------
    >>> chart = pairing_trends(["GHA", "KEN"], "che_per_capita_usd", "Health spending per person", "US$")
    >>> [trace.name for trace in chart.data]
    ['Ghana', 'Kenya']
    """
    chosen = [country(code) for code in codes]
    rows = pd.concat([profile.indicator_series(c.iso3, indicator) for c in chosen], ignore_index=True)
    rows = rows[rows.value.notna()]
    if rows.empty:
        return Notice(f"{title}: no data for {', '.join(c.name for c in chosen)}.")
    figure = go.Figure()
    for index, subject in enumerate(chosen):
        own = rows[rows.iso3 == subject.iso3]
        if own.empty:
            continue
        figure.add_trace(go.Scatter(x=own.year, y=own.value, mode="lines+markers", name=escape_html(subject.name),
                                    line={"color": PALETTE[index], "width": 2}, marker={"size": 5},
                                    hovertemplate=f"{escape_html(subject.name)} %{{x}}: %{{y:,.1f}}<extra></extra>"))
    figure.update_layout(title=title, yaxis_title=y_title, yaxis_rangemode="tozero")
    missing = [c.name for c in chosen if c.iso3 not in set(rows.iso3)]
    note = f" ({', '.join(missing)}: no data)" if missing else ""
    return source_note(figure, f"Source: {', '.join(sorted(set(rows.source_id)))}{note}")


def pairing_reforms(codes: list[CountryLike]) -> go.Figure | Notice:
    """The pairing countries' dated reforms on one timeline, one row per country.

    Parameters
    ----------
    codes
        The pairing's countries.

    Returns
    -------
    A timeline, one row per country, or a :class:`~jlnlearn.present.Notice`.

    Examples
    --------
    >>> [trace.name for trace in pairing_reforms(["GHA", "KEN"]).data if trace.mode == "markers"]
    ['Ghana', 'Kenya']
    """
    events = pairing.reforms(codes)
    if events.empty:
        return Notice("No dated reform is documented for these countries in the sources used yet.")
    figure = event_timeline(events, "country", "description")
    figure.update_layout(title="Reforms on the road to UHC", showlegend=False,
                         height=max(260, 80 * events.country.nunique() + 120))
    return figure


def resource_scores(suggestions: pd.DataFrame) -> go.Figure | Notice:
    """Each suggested resource country's score as stacked parts, so the ranking explains itself.

    Parameters
    ----------
    suggestions
        The result of :func:`jlnlearn.lessons.pairing.suggest_resource_countries`.

    Returns
    -------
    A stacked bar chart, one bar per country, or a :class:`~jlnlearn.present.Notice` when there
    is none.

    Examples
    --------
    >>> from jlnlearn.lessons.pairing import suggest_resource_countries
    >>> resource_scores(suggest_resource_countries("capitation", "GHA,KEN")).layout.barmode
    'stack'
    """
    if suggestions.empty:
        return Notice("No country has documented experience of this topic in the sources used yet.")
    labels = [escape_html(f"{name} (in the pairing)" if inside else name)
              for name, inside in zip(suggestions.country, suggestions.in_pairing, strict=True)]
    figure = go.Figure()
    for index, part in enumerate(pairing.WEIGHTS):
        figure.add_trace(go.Bar(
            y=labels, x=suggestions[part], name=f"{part} (up to {pairing.WEIGHTS[part]:g})", orientation="h",
            marker_color=PALETTE[index],
            hovertemplate=f"%{{y}}: %{{x:.1f}} points for {part}<extra></extra>"))
    figure.update_layout(title="Possible resource countries: score out of 100, by part", barmode="stack",
                         xaxis={"title": "points", "range": [0, 100]}, yaxis={"autorange": "reversed"},
                         height=200 + 45 * len(suggestions), legend={"traceorder": "normal"})
    return figure
