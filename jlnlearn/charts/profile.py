"""Figures of a country's health financing profile: spending, who pays, coverage, population.

Each takes a country and returns a figure, or a :class:`~jlnlearn.present.Notice`
when the data hold nothing to draw.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from jlnlearn.charts.theme import HIGHLIGHT, PALETTE, PEER, source_note
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.i18n import N_, _, number
from jlnlearn.lessons import profile
from jlnlearn.present import Notice, escape_html
from jlnlearn.present.readings import named_in_sentence


def trend_against_peers(query: CountryLike, indicator: str, title: str, y_title: str,
                        source: str) -> go.Figure | Notice:
    """An indicator over time: the country in colour, each peer as a grey line.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.
    indicator
        An ``indicator`` of the indicators table.
    title
        What the chart shows, in the reader's language; the country's name is added.
    y_title
        The y axis title, with the unit, in the reader's language.
    source
        The dataset, named in the source line and in the notice.

    Returns
    -------
    A line chart, the country in colour and its peers in grey, or a
    :class:`~jlnlearn.present.Notice` when the country has no value.

    Examples
    --------
    >>> trend_against_peers("Ghana", "che_gdp_pct", "Health spending", "% of GDP", "WHO GHED").layout.title.text
    'Health spending: Ghana'
    """
    subject = country(query)
    series = profile.indicator_series(subject, indicator, with_peers=True)
    if not series.is_subject.any():
        said = named_in_sentence(subject, markdown=False)
        # TRANSLATORS: {title} is what a chart shows, {country} a country's name, {source} a dataset.
        return Notice(_("{title}: no data for {country} in {source}.").format(title=title, country=said,
                                                                             source=source))
    figure = go.Figure()
    for (iso3, name), rows in series.groupby(["iso3", "name"], sort=False):
        is_subject = iso3 == subject.iso3
        figure.add_trace(go.Scatter(
            x=rows.year, y=rows.value, name=escape_html(name), mode="lines+markers" if is_subject else "lines",
            line={"color": HIGHLIGHT if is_subject else PEER, "width": 3 if is_subject else 1},
            showlegend=is_subject, legendgroup="subject" if is_subject else "peers",
            hovertemplate=f"{escape_html(name)} %{{x}}: %{{y:,.1f}}<extra></extra>"))
    # TRANSLATORS: {group} says what the peers share ("lower middle income countries").
    peers = _("peers: {group}").format(group=profile.peer_basis(subject))
    figure.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=peers, line={"color": PEER}))
    # TRANSLATORS: a chart's title: {title} is what it shows, {country} the country's name.
    figure.update_layout(title=_("{title}: {country}").format(title=title, country=escape_html(subject.name)),
                         yaxis_title=y_title, xaxis_title=None)
    # TRANSLATORS: {source} is the name of a dataset or a source id.
    return source_note(figure, _("Source: {source}").format(source=source))


def health_spending(query: CountryLike) -> go.Figure | Notice:
    """Current health spending per person (PPP) over time, against peers.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.

    Returns
    -------
    A line chart, or a :class:`~jlnlearn.present.Notice` when the country has no value.

    Examples
    --------
    >>> health_spending("Ghana").layout.title.text
    'Health spending per person: Ghana'
    >>> health_spending("Kosovo").text.startswith("Health spending per person: no data for Kosovo")
    True
    """
    return trend_against_peers(query, "che_per_capita_ppp", _("Health spending per person"),
                               _("current international $ (PPP)"),
                               _("WHO Global Health Expenditure Database via World Bank WDI"))


def uhc_coverage(query: CountryLike) -> go.Figure | Notice:
    """The UHC service coverage index over time, against peers.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.

    Returns
    -------
    A line chart, or a :class:`~jlnlearn.present.Notice` when the country has no value.

    Examples
    --------
    >>> uhc_coverage("Ghana").layout.title.text
    'UHC service coverage index: Ghana'
    """
    return trend_against_peers(query, "uhc_service_coverage_index", _("UHC service coverage index"),
                               _("index (0-100; WHO reports 80 or more as 80)"),
                               _("WHO Global Health Observatory (2025)"))


#: The two parts of domestic private spending the chart of who pays shows (translated where shown).
OUT_OF_POCKET, OTHER_PRIVATE = N_("Out of pocket (households)"), N_("Other private (domestic)")


def spending_sources(query: CountryLike) -> go.Figure | Notice:
    """Stacked shares of health spending by source (government, private, external).

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.

    Returns
    -------
    A stacked area chart (government, out of pocket, other private, external: every band a share
    of its own, adding up to 100), or a :class:`~jlnlearn.present.Notice`.

    Examples
    --------
    >>> spending_sources("Ghana").layout.title.text
    'Who pays for health care: Ghana'
    >>> spending_sources("Kosovo")
    Notice('Sources of health spending: no WHO data for Kosovo.')
    """
    subject = country(query)
    shares = profile.spending_by_source(subject)
    if shares.empty:
        return Notice(_("Sources of health spending: no WHO data for {name}.").format(
            name=named_in_sentence(subject, markdown=False)))
    private = profile.SPENDING_SOURCES["private_share_che_pct"]
    oop = profile.indicator_series(subject, "oop_share_che_pct").set_index("year").value
    bands = {column: shares[column] for column in profile.SPENDING_SOURCES.values()}
    if shares.year.isin(oop.index).all():  # the private band split: out of pocket, and the rest of it
        paid = shares.year.map(oop).astype(float).clip(upper=shares[private])
        bands = {profile.SPENDING_SOURCES["gov_share_che_pct"]: bands[profile.SPENDING_SOURCES["gov_share_che_pct"]],
                 OUT_OF_POCKET: paid, OTHER_PRIVATE: shares[private] - paid,
                 profile.SPENDING_SOURCES["external_share_che_pct"]:
                     bands[profile.SPENDING_SOURCES["external_share_che_pct"]]}
    figure = go.Figure()
    # TRANSLATORS: {source} is who pays ("Government (domestic)"), {year} a year, {share} a number.
    hover = _("{source} {year}: {share}%")
    colours = dict(zip(profile.SPENDING_SOURCES.values(), PALETTE, strict=False)) | {
        OUT_OF_POCKET: PALETTE[5], OTHER_PRIVATE: PALETTE[1]}
    for column, values in bands.items():
        label = _(column)
        figure.add_trace(go.Scatter(
            x=shares.year, y=values, name=label, stackgroup="share", mode="lines",
            line={"width": 0.5, "color": colours[column]},
            hovertemplate=hover.format(source=label, year="%{x}", share="%{y:.1f}") + "<extra></extra>"))
    figure.update_layout(title=_("Who pays for health care: {country}").format(country=escape_html(subject.name)),
                         yaxis_title=_("% of current health spending"), yaxis_range=[0, 100])
    return source_note(figure, _("Source: {source}").format(source=_("WHO Global Health Expenditure Database")))


def symmetric_ticks(largest: float, per_side: int = 2) -> list[float]:
    """Round tick positions from ``-largest`` to ``largest``, for a two-sided bar chart.

    Parameters
    ----------
    largest
        The largest value either side of 0.
    per_side
        About how many ticks each side.

    Returns
    -------
    Tick positions from ``-largest`` to ``largest``, symmetric around 0.

    Examples
    --------
    >>> symmetric_ticks(2_340_000)
    [-2000000.0, -1000000.0, 0.0, 1000000.0, 2000000.0]
    """
    if largest <= 0:
        return [0.0]
    raw = largest / per_side
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (5, 2, 1) if m * magnitude <= raw)
    count = int(largest // step)
    return [float(i * step) for i in range(-count, count + 1)]


#: A trace drawn leftwards (negative) whose values are counts: its data and table give them positive.
MIRRORED = "jlnlearn:mirrored"


def population_pyramid(query: CountryLike, year: int | None = None) -> go.Figure | Notice:
    """Population by five-year age group and sex, men to the left.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.
    year
        The year; default, the latest estimate (2025 or before).

    Returns
    -------
    A two-sided bar chart, or a :class:`~jlnlearn.present.Notice` when the country is not in UN
    WPP 2019.

    Examples
    --------
    >>> population_pyramid("Ghana").layout.title.text
    'Population by age and sex, 2025: Ghana'
    """
    subject = country(query)
    pyramid = profile.population_pyramid(subject, year)
    if pyramid.empty:
        return Notice(_("Population by age and sex: the UN World Population Prospects 2019 extract this "
                        "collection uses has no rows for {name}.").format(
            name=named_in_sentence(subject, markdown=False)))
    chosen = int(pyramid.year.iloc[0])
    ticks = symmetric_ticks(float(max(pyramid.male.max(), pyramid.female.max())))
    # TRANSLATORS: {age} is an age group ("15-19"), {count} a number of people.
    men = _("Men {age}: {count}").format(age="%{y}", count="%{customdata:,}")
    women = _("Women {age}: {count}").format(age="%{y}", count="%{x:,}")
    figure = go.Figure([
        go.Bar(y=pyramid.age_group.astype(str), x=-pyramid.male, name=_("Men"), orientation="h",
               marker_color=PALETTE[0], customdata=pyramid.male, hovertemplate=men + "<extra></extra>",
               meta=MIRRORED),
        go.Bar(y=pyramid.age_group.astype(str), x=pyramid.female, name=_("Women"), orientation="h",
               marker_color=PALETTE[1], hovertemplate=women + "<extra></extra>"),
    ])
    # TRANSLATORS: {year} is a year, {country} a country's name.
    title = _("Population by age and sex, {year}: {country}").format(year=chosen, country=escape_html(subject.name))
    figure.update_layout(title=title, barmode="overlay", bargap=0.05, xaxis_title=_("persons"),
                         yaxis_title=_("age group"),
                         xaxis={"tickvals": ticks, "ticktext": [number(abs(t)) for t in ticks]})
    return source_note(figure, _("Source: UN WPP 2019 age-sex shares scaled to the World Bank total"))
