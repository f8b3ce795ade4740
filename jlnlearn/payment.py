"""The provider payment calculators of notebook 02 in one namespace, with their Excel round-trip.

Every calculator of :mod:`jlnlearn.lessons.payment` (capitation, fee-for-service,
case-based, blends and the rest), and :func:`from_workbook`, which reads back a
workbook written by ``jlnlearn workbook OUT.xlsx``, checks its inputs and
computes the results with these calculators.

>>> import jlnlearn
>>> jlnlearn.payment.capitation_base_rate(1_000_000, 40_000)
25.0
"""

from jlnlearn.lessons.payment import (
    blended_payment,
    capitation_base_rate,
    case_base_rate,
    case_mix_index,
    case_payments,
    facility_payments,
    fee_for_service,
    global_budget,
    line_item_budget,
    per_diem,
    performance_bonus,
    relative_weights,
    risk_adjusted_rates,
)
from jlnlearn.lessons.workbook_reader import WorkbookResult, from_workbook

__all__ = ["WorkbookResult", "blended_payment", "capitation_base_rate", "case_base_rate", "case_mix_index",
           "case_payments", "facility_payments", "fee_for_service", "from_workbook", "global_budget",
           "line_item_budget", "per_diem", "performance_bonus", "relative_weights", "risk_adjusted_rates"]
