"""Plotly figures with one theme, one module per topic, mirroring :mod:`jlnlearn.lessons`.

Each chart function takes a country (or the topic's inputs) and returns a
:class:`plotly.graph_objects.Figure`, or a :class:`~jlnlearn.present.Notice`
that says what is missing, never an empty chart. Where a figure is made:

- :mod:`~jlnlearn.charts.profile`: spending, who pays, UHC coverage, population (notebooks 02, 06);
- :mod:`~jlnlearn.charts.journey`: milestones, products, partners, reforms (notebooks 01, 04);
- :mod:`~jlnlearn.charts.phc`: capitation rates and the risk simulation (notebook 02);
- :mod:`~jlnlearn.charts.covid`: the epidemic with its measures, who did what (notebook 03);
- :mod:`~jlnlearn.charts.pairing`: a pairing's trends, reforms and scores (notebook 05);
- :mod:`~jlnlearn.charts.assessment`: a payment system's map and learners' purchasing ratings (notebook 07);
- :mod:`~jlnlearn.charts.theme`: the colours and template they all share, and the reader's number
  separators (:func:`~jlnlearn.charts.theme.localized`), which every figure is returned through.
"""

from jlnlearn.charts.assessment import payment_system_map, purchasing_ratings
from jlnlearn.charts.covid import covid_payment_rates, covid_timeline, measure_matrix
from jlnlearn.charts.journey import (
    event_timeline,
    knowledge_products,
    membership_growth,
    milestone_timeline,
    partners_gantt,
    reform_timeline,
    spending_against_out_of_pocket,
)
from jlnlearn.charts.pairing import pairing_reforms, pairing_trends, resource_scores
from jlnlearn.charts.phc import (
    capitation_explorer,
    capitation_rates,
    risk_distributions,
)
from jlnlearn.charts.profile import (
    health_spending,
    population_pyramid,
    spending_sources,
    symmetric_ticks,
    trend_against_peers,
    uhc_coverage,
)
from jlnlearn.charts.theme import (
    HIGHLIGHT,
    PALETTE,
    PEER,
    TEMPLATE_NAME,
    localized,
    source_note,
)
from jlnlearn.present import Notice

__all__ = ["HIGHLIGHT", "PALETTE", "PEER", "TEMPLATE_NAME", "Notice", "capitation_explorer",
           "capitation_rates", "covid_payment_rates", "covid_timeline", "event_timeline",
           "health_spending", "knowledge_products", "localized", "measure_matrix", "membership_growth",
           "milestone_timeline", "pairing_reforms", "pairing_trends", "partners_gantt",
           "payment_system_map", "population_pyramid", "purchasing_ratings", "reform_timeline", "resource_scores",
           "risk_distributions",
           "source_note", "spending_against_out_of_pocket", "spending_sources", "symmetric_ticks",
           "trend_against_peers", "uhc_coverage"]
