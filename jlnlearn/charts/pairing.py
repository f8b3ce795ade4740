"""Figures of a country pairing (notebook 05): trends, reforms and resource-country scores."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from jlnlearn.charts.journey import event_timeline
from jlnlearn.charts.theme import PALETTE, localized, source_note
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.i18n import _, number
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
        The chart's title, in the reader's language.
    y_title
        The y axis title, with the unit, in the reader's language.

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
        # TRANSLATORS: {title} is what a chart shows, {countries} the names of the pairing's countries.
        return Notice(_("{title}: no data for {countries}.").format(title=title,
                                                                    countries=", ".join(c.name for c in chosen)))
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
    sources = ", ".join(sorted(set(rows.source_id)))
    if not missing:
        return source_note(figure, _("Source: {source}").format(source=sources))
    # TRANSLATORS: {source} is a list of source ids, {countries} the countries without data.
    return source_note(figure, _("Source: {source} ({countries}: no data)").format(
        source=sources, countries=", ".join(missing)))


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
        return Notice(_("No dated reform is documented for these countries in the sources used yet."))
    figure = event_timeline(events, "country", "description", categories=False)
    figure.update_layout(title=_("Reforms on the road to UHC"), showlegend=False,
                         height=max(260, 80 * events.country.nunique() + 120))
    return localized(figure)


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
        return Notice(_("No country has documented experience of this topic in the sources used yet."))
    labels = [escape_html(name) for name in suggestions.country]
    # TRANSLATORS: {part} is a part of a score ("income group"), {points} the most points it gives.
    up_to = _("{part} (up to {points})")
    # TRANSLATORS: {country} is a country's name, {points} a number of points, {part} a part of the score.
    hover = _("{country}: {points} points for {part}")
    figure = go.Figure()
    for index, part in enumerate(pairing.WEIGHTS):
        shown = _(part)
        figure.add_trace(go.Bar(
            y=labels, x=suggestions[part], name=up_to.format(part=shown, points=number(pairing.WEIGHTS[part])),
            orientation="h", marker_color=PALETTE[index],
            hovertemplate=hover.format(country="%{y}", points="%{x:.1f}", part=shown) + "<extra></extra>"))
    figure.update_layout(title=_("Possible resource countries: score out of 100, by part"), barmode="stack",
                         xaxis={"title": _("points"), "range": [0, 100]}, yaxis={"autorange": "reversed"},
                         height=200 + 45 * len(suggestions), legend={"traceorder": "normal"})
    return localized(figure)
