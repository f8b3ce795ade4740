"""Figures of COVID-19 financing and payment (notebook 03): the epidemic with the measures,
who did what, and documented payment rates."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from babel import dates
from plotly.subplots import make_subplots

from jlnlearn.charts.journey import add_period_spans
from jlnlearn.charts.theme import HIGHLIGHT, PALETTE, localized, percent_suffix
from jlnlearn.data.countries import CountryLike, countries, country
from jlnlearn.i18n import N_, _, joined, language, ngettext, number
from jlnlearn.lessons import covid
from jlnlearn.present import Notice, amount, date_text, escape_html, hover_lines
from jlnlearn.present.readings import named_in_sentence

#: Each lever's colour, by the lever's name (shown in the reader's language).
LEVER_COLOURS = dict(zip([N_("raising money"), N_("paying providers"), N_("covering patients"), N_("who pays"),
                          N_("lessons")],
                         [PALETTE[1], PALETTE[0], PALETTE[2], PALETTE[3], PALETTE[7]], strict=True))
REVISION = PALETTE[5]
#: The ``meta`` of the measures grid's trace: its points are cells whose value is their colour (a count).
MATRIX = "jlnlearn:matrix"
#: The colour of the reports that carry the backlog of weeks without one.
BACKLOG = "#555555"


def short_date(when: pd.Timestamp) -> str:
    """A day with its month abbreviated, in the reader's language (``19 Apr 2020``, ``19 avr. 2020``).

    >>> short_date(pd.Timestamp("2020-04-19"))
    '19 Apr 2020'
    """
    return dates.format_date(when.date(), "dd MMM y", locale=language())


def covid_timeline(query: CountryLike) -> go.Figure | Notice:
    """The country's epidemic (weekly cases, deaths, vaccination) and its measures on one timeline.

    Weeks without a WHO report are gaps, not zeros; a negative weekly count (a
    downward revision) is drawn at zero and marked with a cross whose hover
    gives the value as reported. A measure dated only by month or year spans
    that whole period, and one with an end date spans until then. Hovering
    over a measure shows it, its source and where the epidemic stood at the
    first weekly report after it.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.

    Returns
    -------
    Stacked panels sharing the date axis, or a :class:`~jlnlearn.present.Notice` when there are
    neither counts nor measures.

    Examples
    --------
    >>> covid_timeline("Philippines").layout.title.text.startswith("COVID-19 in Philippines")
    True
    >>> [panel.text for panel in covid_timeline("South Africa").layout.annotations]  # measures, no WHO counts
    ['documented measures']
    """
    subject = country(query)
    weekly = covid.weekly_epidemic(subject)
    doses = covid.vaccination(subject)
    measures = covid.align_to_epidemic(covid.country_measures(subject), weekly)
    if weekly.empty and measures.empty:
        return Notice(_("The WHO COVID-19 extract this collection uses has no weekly counts for {name}, "
                        "and no financing or payment measure is documented for it in the sources used.").format(
                            name=named_in_sentence(subject, markdown=False)))
    panels = []
    if not weekly.empty:
        panels += [("cases", _("weekly cases"), 0.3), ("deaths", _("weekly deaths"), 0.2)]
    if not doses.empty:
        panels.append(("doses", _("vaccinated, % of population"), 0.2))
    if not measures.empty:
        panels.append(("measures", _("documented measures"), 0.08 + 0.06 * measures.lever.nunique()))
    figure = make_subplots(rows=len(panels), cols=1, shared_xaxes=True, vertical_spacing=0.05,
                           row_heights=[height for *_rest, height in panels],
                           subplot_titles=[title for _name, title, _height in panels])
    rows = {name: index + 1 for index, (name, *_rest) in enumerate(panels)}
    if "cases" in rows:
        _weekly_panel(figure, weekly, "cases", "case", rows["cases"])
        _weekly_panel(figure, weekly, "deaths", "death", rows["deaths"])
    if "doses" in rows:
        _doses_panel(figure, doses, rows["doses"])
    if "measures" in rows:
        _measures_panel(figure, measures, rows["measures"])
    notes = [_("WHO weekly counts as reported; a gap is a week with no report, and a diamond the report after "
               "it, which carries its backlog."),
             _("x: a negative weekly count (a downward revision), drawn at zero."),
             _("A number in a dot: measures on the same date. Double-click the chart for 2024 onwards.")]
    if weekly.empty:
        notes[:2] = [_("The WHO COVID-19 extract this collection uses has no weekly counts for {name}.").format(
            name=named_in_sentence(subject, markdown=False))]
    if measures.empty:
        notes[-1] = _("No financing or payment measure is documented for {name} in the sources used.").format(
            name=named_in_sentence(subject, markdown=False))
    subtitle = "<br>".join(f"<span style='font-size:11px;color:#555555'>{escape_html(note)}</span>"
                           for note in notes)
    title = _("COVID-19 in {country}: the epidemic and the documented measures").format(
        country=escape_html(subject.name))
    figure.update_layout(
        title={"text": f"{title}<br>{subtitle}", "yref": "container", "y": 1, "yanchor": "top",
               "pad": {"t": 20}},
        height=240 + 170 * len(panels), hovermode="closest", margin={"t": 40 + 30 * len(notes)})
    figure.update_xaxes(range=["2019-12-01", "2024-01-31"])
    return localized(figure)


def _doses_panel(figure: go.Figure, doses: pd.DataFrame, row: int) -> None:
    # TRANSLATORS: {month} is a month and year, {share} a number (a percentage of the population).
    one_dose = _("{month}: {share}% at least one dose")
    series = [("one_dose_pct", _("at least one dose"), one_dose),
              ("complete_primary_series_pct", _("complete primary series"),
               _("{month}: {share}% complete primary series")),
              ("booster_pct", _("booster"), _("{month}: {share}% booster"))]
    for index, (column, label, hover) in enumerate(series):
        if doses[column].isna().all():
            continue
        figure.add_trace(go.Scatter(
            x=doses.date, y=doses[column], mode="lines", name=label, legendgroup="doses",
            line={"color": PALETTE[4 + index] if index < 2 else PALETTE[7], "width": 2},
            hovertemplate=hover.format(month="%{x|%b %Y}", share="%{y:.1f}") + "<extra></extra>"),
            row=row, col=1)
    figure.update_yaxes(rangemode="tozero", ticksuffix=percent_suffix(), row=row, col=1)


def _weekly_panel(figure: go.Figure, weekly: pd.DataFrame, kind: str, singular: str, row: int) -> None:
    # TRANSLATORS: {date} is the day of a weekly report, {count} a number of cases.
    cases = _("week reported {date}: {count} cases")
    words = {"cases": (_("weekly cases"), cases,
                       _("week reported {date}: {count} cases as reported (a downward revision of earlier weeks)")),
             "deaths": (_("weekly deaths"), _("week reported {date}: {count} deaths"),
                        _("week reported {date}: {count} deaths as reported "
                          "(a downward revision of earlier weeks)"))}
    name, hover, revised = words[kind]
    figure.add_trace(go.Scatter(
        x=weekly.date, y=weekly[f"{kind}_shown"], mode="lines", name=name, showlegend=False,
        connectgaps=False, line={"color": PALETTE[0] if kind == "cases" else PALETTE[7], "width": 1.5},
        hovertemplate=hover.format(date="%{x|%d %b %Y}", count="%{y:,.0f}") + "<extra></extra>"), row=row, col=1)
    revisions = weekly[weekly[f"{singular}_revision"].notna()]
    if not revisions.empty:
        figure.add_trace(go.Scatter(
            x=revisions.date, y=[0] * len(revisions), mode="markers", name=_("downward revision"),
            legendgroup="revision", showlegend=bool(kind == "cases" or weekly.case_revision.isna().all()),
            marker={"symbol": "x", "size": 10, "color": REVISION},
            customdata=revisions[f"{singular}_revision"],
            hovertemplate=revised.format(date="%{x|%d %b %Y}", count="%{customdata:,.0f}") + "<extra></extra>"),
            row=row, col=1)
    backlog = weekly[weekly.weeks_covered > 1]
    if not backlog.empty:
        # TRANSLATORS: {date} is the day of a weekly report, {count} a number, {weeks} a number of weeks.
        covering = {"cases": _("week reported {date}: {count} cases, the backlog of the {weeks} weeks since the "
                               "previous report"),
                    "deaths": _("week reported {date}: {count} deaths, the backlog of the {weeks} weeks since the "
                                "previous report")}[kind]
        figure.add_trace(go.Scatter(
            x=backlog.date, y=backlog[f"{kind}_shown"], mode="markers", name=_("report after weeks without one"),
            legendgroup="backlog", showlegend=kind == "cases",
            marker={"symbol": "diamond-open", "size": 9, "line": {"width": 2}, "color": BACKLOG}, cliponaxis=False,
            customdata=backlog.weeks_covered.astype(float).astype(int),
            hovertemplate=covering.format(date="%{x|%d %b %Y}", count="%{y:,.0f}", weeks="%{customdata}")
            + "<extra></extra>"), row=row, col=1)
    figure.update_yaxes(rangemode="tozero", row=row, col=1)


def _measure_hover(group: pd.DataFrame) -> str:
    """One hover text for the measures of a lever that share a date."""
    first = group.iloc[0]
    when = date_text(first.date, say_precision=True)
    # TRANSLATORS: {n} is a number of measures, {date} their date in words.
    heading = ngettext("{n} measure, {date}", "{n} measures, {date}", len(group)).format(
        n=number(len(group)), date=escape_html(when))
    lines = [f"<b>{heading}</b>"]
    for measure in group.itertuples():
        sources = measure.source_id + (f", {measure.more_source_ids}" if pd.notna(measure.more_source_ids) else "")
        said = [str(measure.date_note)] if pd.notna(measure.date_note) else []
        if pd.notna(measure.end_date):  # as the measures table says it
            said.insert(0, _("{start}, until {end}").format(start=date_text(measure.date),
                                                            end=date_text(measure.end_date)))
        note = f" ({joined(said)})" if said else ""
        # TRANSLATORS: {category} is a category of measure, {note} the source's note on its date, or
        # how long it lasted, in brackets (or nothing), {description} the measure, {sources} source ids.
        lines.append(_("{category}{note}: {description} [{sources}]").format(
            category=escape_html(_(str(measure.category))), note=escape_html(note),
            description=hover_lines(measure.description), sources=escape_html(sources)))
    if pd.notna(first.cumulative_cases):
        # TRANSLATORS: {date} is the day of WHO's first weekly report after the measure.
        lines.append(_("first WHO report after it ({date}): {cases} cases, {deaths} deaths so far").format(
            date=short_date(first.report), cases=number(first.cumulative_cases),
            deaths=number(first.cumulative_deaths)))
    return "<br>".join(lines)


def _measures_panel(figure: go.Figure, measures: pd.DataFrame, row: int) -> None:
    for lever, rows in measures.groupby("lever", observed=True, sort=True):
        colour = LEVER_COLOURS[str(lever)]
        label = _(str(lever))
        add_period_spans(figure, rows, label, colour, row=row, col=1)
        groups = [group for _key, group in rows.groupby(["start", "precision"], sort=True)]
        figure.add_trace(go.Scatter(
            x=[group.middle.iloc[0] for group in groups], y=[label] * len(groups),
            mode="markers+text", name=label, legendgroup="measures",
            text=[number(len(group)) if len(group) > 1 else "" for group in groups],
            textfont={"color": "white", "size": 10},
            marker={"size": [12 if len(group) == 1 else 18 for group in groups], "color": colour, "opacity": 1,
                    "line": {"width": 1, "color": "white"}},
            customdata=[_measure_hover(group) for group in groups],
            hovertemplate="%{customdata}<extra></extra>"), row=row, col=1)
    figure.update_yaxes(categoryorder="array", autorange="reversed", row=row, col=1,
                        categoryarray=[_(lever) for lever in LEVER_COLOURS if lever in set(measures.lever.astype(str))])


def measure_matrix(query: CountryLike) -> go.Figure:
    """Who did what: the collaborative's countries by category of measure, the country highlighted.

    A country outside the collaborative is added on top so it is always on the chart.

    Parameters
    ----------
    query
        The country to highlight: a code, name, alias or :class:`~jlnlearn.Country`.

    Returns
    -------
    A grid of squares, one per country and category (darker with more measures, the count written
    in it): scatter markers, which the pages' partial plotly.js draws, rather than a heatmap.

    Examples
    --------
    >>> grid = measure_matrix("Kenya").data[0]
    >>> len(set(grid.y)), grid.meta
    (20, 'jlnlearn:matrix')
    """
    subject = country(query)
    members = [c.iso3 for c in countries() if c.phc_collaborative]
    if subject.iso3 not in members:
        members.insert(0, subject.iso3)
    matrix = covid.measure_matrix(members)
    counts = matrix[covid.MEASURE_CATEGORIES]
    labels = [f"<b>{escape_html(name)} ◀</b>" if code == subject.iso3 else escape_html(name)
              for code, name in zip(matrix.iso3, matrix.country, strict=True)]
    # TRANSLATORS: {country} is a country's name, {count} a number of measures, {category} a category of measure.
    hover = _("{country}: {count} documented measure(s), {category}")
    categories = [hover_lines(_(category), 16) for category in covid.MEASURE_CATEGORIES]
    cells = [(label, escape_html(name), category, shown, int(count))
             for label, name, row in zip(labels, matrix.country, counts.to_numpy(), strict=True)
             for category, shown, count in zip(covid.MEASURE_CATEGORIES, categories, row, strict=True)]
    most = max([cell[-1] for cell in cells] + [1])
    figure = go.Figure(go.Scatter(
        x=[shown for *_rest, shown, _count in cells], y=[label for label, *_rest in cells],
        mode="markers+text", name=_("documented measures"), meta=MATRIX, showlegend=False,
        marker={"symbol": "square", "size": 22, "color": [cell[-1] for cell in cells], "cmin": 0, "cmax": most,
                "colorscale": [[0, "#FFFFFF"], [0.001, "#DCEAF5"], [1, HIGHLIGHT]],
                "line": {"width": 1, "color": "#CCCCCC"}},
        text=[str(cell[-1]) if cell[-1] else "" for cell in cells],
        textfont={"color": ["#FFFFFF" if cell[-1] > most / 2 else "#222222" for cell in cells], "size": 11},
        customdata=[hover.format(country=name, count=number(count), category=escape_html(_(category)))
                    for _label, name, category, _shown, count in cells],
        hovertemplate="%{customdata}<extra></extra>"))
    position = matrix.index[matrix.iso3 == subject.iso3][0]
    figure.add_shape(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=position - 0.5, y1=position + 0.5,
                     line={"color": PALETTE[5], "width": 2})
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=categories, showgrid=False)
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=labels, showgrid=False)
    note = escape_html(_("An empty row means the sources used document nothing, not that the country did nothing."))
    figure.update_layout(title=_("Who did what: documented COVID-19 measures by category")
                               + f"<br><span style='font-size:11px;color:#555555'>{note}</span>",
                         height=160 + 26 * len(matrix), yaxis={"autorange": "reversed"},
                         xaxis={"side": "top"}, margin={"t": 160, "b": 20})
    return localized(figure)


def covid_payment_rates(query: CountryLike) -> go.Figure | Notice:
    """Documented per-case, per-patient and per-test amounts in US$ (hover: local currency).

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.

    Returns
    -------
    A bar chart in US$, or a :class:`~jlnlearn.present.Notice` when no rate is documented.

    Examples
    --------
    >>> covid_payment_rates("Mali").text.startswith("No COVID-19 payment rate")
    True
    """
    subject = country(query)
    rows = covid.figures(subject)
    rows = rows[(rows.unit == "currency") & rows.basis.isin(["per case", "per patient", "per test"])
                & rows.amount_usd.notna()]
    if rows.empty:
        return Notice(_("No COVID-19 payment rate or cost per case is documented for {name} "
                        "in the sources used.").format(name=named_in_sentence(subject, markdown=False)))
    qualifiers = rows.qualifier.astype(object).fillna("").astype(str)
    local = [amount(value, currency, qualifier or None)
             for value, currency, qualifier in zip(rows.value, rows.currency, qualifiers, strict=True)]
    # TRANSLATORS: {year} is the year of the exchange rate used to convert an amount to US$.
    at_rate = _("at the {year} exchange rate")
    rate_years = rows.exchange_rate_year.map(lambda year: _("stated in US$") if pd.isna(year)
                                             else at_rate.format(year=int(year)))
    # TRANSLATORS: {local} is an amount in local currency, {usd} the same amount in US dollars.
    in_dollars = _("{local} (US$ {usd})")
    # TRANSLATORS: {amount} is an amount, {basis} what it is for ("per case"), {rate} how it was converted.
    hover = _("{amount} {basis} ({rate})").format(amount="%{customdata[0]}", basis="%{customdata[1]}",
                                                  rate="%{customdata[2]}")
    source = _("source {source}").format(source="%{customdata[3]}")
    figure = go.Figure(go.Bar(
        y=rows.label.map(lambda text: hover_lines(text, 40)), x=rows.amount_usd, orientation="h",
        marker_color=[LEVER_COLOURS["paying providers"]] * len(rows),
        text=[text if currency == "USD" else in_dollars.format(local=text, usd=number(usd))
              for text, currency, usd in zip(local, rows.currency, rows.amount_usd, strict=True)],
        textposition="auto",
        customdata=list(zip(local, rows.basis.map(lambda basis: _(str(basis))), rate_years, rows.source_id,
                            strict=True)),
        hovertemplate=f"{hover}<br>{source}<extra></extra>"))
    figure.update_layout(title=_("Documented COVID-19 payment rates and costs per case: {country}").format(
                             country=escape_html(subject.name)),
                         xaxis_title=_("US$ (hover for the local currency)"), yaxis={"autorange": "reversed"},
                         height=160 + 42 * len(rows), margin={"l": 280})
    return localized(figure)
