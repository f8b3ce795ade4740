"""What a person sees: escaping, column labels, number and amount formats, tables and sentences.

Topic modules return raw values; everything that turns them into text for a
page goes through this layer, and nothing outside it escapes HTML by hand.

>>> from jlnlearn import present
>>> present.amount(8000, "USD", "about")
'about USD 8,000'
"""

from jlnlearn.present.capitation import (
    budget_table,
    capitation_reading,
    facility_reading,
    money_text,
    phc_share_reading,
    risk_table,
)
from jlnlearn.present.escape import escape_html, escape_markdown, hover_lines
from jlnlearn.present.formats import amount, date_text, period_text, sources_text
from jlnlearn.present.labels import cell_text, column_label, readable
from jlnlearn.present.readings import (
    country_takeaway,
    coverage_reading,
    gaps_notice,
    out_of_pocket_reading,
    participation_reading,
    primary_care_reading,
    reforms_reading,
)
from jlnlearn.present.sentences import (
    covid_summary,
    headline,
    pairing_headline,
    steering_group_role,
    suggestions_markdown,
    who_pays,
)
from jlnlearn.present.tables import (
    Notice,
    brief_table,
    fact_table,
    figures_table,
    indicators_table,
    measures_table,
    mechanisms_table,
    reforms_table,
)
from jlnlearn.present.workbook import workbook_results

__all__ = [
    "Notice",
    "amount",
    "brief_table",
    "budget_table",
    "capitation_reading",
    "cell_text",
    "column_label",
    "country_takeaway",
    "coverage_reading",
    "covid_summary",
    "date_text",
    "escape_html",
    "escape_markdown",
    "facility_reading",
    "fact_table",
    "figures_table",
    "gaps_notice",
    "headline",
    "hover_lines",
    "indicators_table",
    "measures_table",
    "mechanisms_table",
    "money_text",
    "out_of_pocket_reading",
    "pairing_headline",
    "participation_reading",
    "period_text",
    "phc_share_reading",
    "primary_care_reading",
    "readable",
    "reforms_reading",
    "reforms_table",
    "risk_table",
    "sources_text",
    "steering_group_role",
    "suggestions_markdown",
    "who_pays",
    "workbook_results",
]
