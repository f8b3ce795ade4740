"""Notebook 02's calculators as a spreadsheet: each sheet's layout, and the results for its inputs.

A calculator's sheet has rows of inputs (column A the label, B the unit, C the
value, D whether it is a fact with its source or an assumption), a blank row,
then rows of results written as Excel formulas (:data:`SHEETS`). The same
layout tells ``jlnlearn workbook`` where to write and
:func:`~jlnlearn.lessons.workbook_reader.from_workbook` where to read; the
results here (:func:`results_for`) are computed with
:mod:`jlnlearn.lessons.payment`, so a test can hold the formulas to them.

>>> [sheet.name for sheet in SHEETS]
['Capitation', 'Fee-for-service', 'Case-based', 'Blend']
>>> SHEETS[0].address("phc_share"), SHEETS[0].address("budget")
('C5', 'C19')
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

import pandas as pd

from jlnlearn.i18n import N_, _, every_spelling
from jlnlearn.lessons import payment, phc, risk

#: The workbook a report build writes beside each country's lesson 02 page, for its download link.
DOWNLOAD_NAME = "payment-calculators-{iso3}.xlsx"
#: The columns of a calculator's sheet.
LABEL, UNIT, VALUE, BASIS = "A", "B", "C", "D"
#: The row of the column headers and the first input row below it.
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
#: The age bands of the capitation sheet and the case groups of the case-based one.
BANDS = tuple(phc.AGE_BANDS)
CASE_GROUPS = ("A", "B", "C")
#: What each input may hold: a test and the words that say what would be valid.
RULES = {
    "amount": (lambda value: value >= 0, "a number of 0 or more"),
    "positive": (lambda value: value > 0, "a number above 0"),
    "share": (lambda value: 0 <= value <= 1, "a share from 0 to 1, e.g. 0.3 or 30%"),
}
#: The case-based sheet's starting assumptions: illustrative, not data about any country.
CASE_BASED_ASSUMPTIONS = {"hospital_share": 0.4, "admissions": 50.0,
                          "share A": 0.6, "share B": 0.3, "share C": 0.1,
                          "weight A": 0.6, "weight B": 1.2, "weight C": 3.0}
#: The blend sheet's starting shares: the blend of notebook 02's risk simulation.
_BLEND_CAPITATION = inspect.signature(risk.simulate_risk).parameters["capitation_share"].default
BLEND_ASSUMPTIONS = {"capitation_share": _BLEND_CAPITATION, "ffs_share": round(1 - _BLEND_CAPITATION, 10)}


@dataclass(frozen=True)
class Row:
    """One row of a sheet: an input (with a ``rule``) or a result (with an Excel ``formula``).

    ``text`` is the label in English, a message of the catalogue whose
    placeholders ``fill`` gives (``People aged {band}``); the workbook writes it
    in the reader's language and the reader finds it in any (:meth:`spellings`).
    In a formula, ``{key}`` stands for the value cell of that row of the same
    sheet and ``{Sheet:key}`` for one of another sheet.
    """

    key: str
    text: str
    unit: str
    rule: str = ""
    formula: str = ""
    fill: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """The label in English: ``People aged 0-4``."""
        return self.text.format(**dict(self.fill))

    def shown(self) -> str:
        """The label in the reader's language."""
        return _(self.text).format(**dict(self.fill))

    def spellings(self) -> set[str]:
        """The label in every language the collection has (a workbook may be written in any)."""
        return {text.format(**dict(self.fill)) for text in every_spelling(self.text)}


@dataclass(frozen=True)
class Sheet:
    """One calculator: its sheet's name and title (in English, written in the reader's language), its
    input rows and its result rows."""

    name: str
    title: str
    inputs: tuple[Row, ...]
    results: tuple[Row, ...]

    @property
    def results_header_row(self) -> int:
        """The row that heads the results, after the inputs and a blank row."""
        return FIRST_ROW + len(self.inputs) + 1

    def row_of(self, key: str) -> int:
        """The row a key is written in."""
        inputs = [row.key for row in self.inputs]
        if key in inputs:
            return FIRST_ROW + inputs.index(key)
        return self.results_header_row + 1 + [row.key for row in self.results].index(key)

    def address(self, key: str) -> str:
        """The value cell of a key, e.g. ``C5``."""
        return f"{VALUE}{self.row_of(key)}"

    def formula(self, row: Row) -> str:
        """A result's formula with its placeholders turned into cell addresses."""
        def cell(match: re.Match[str]) -> str:
            sheet_name, _colon, key = match[1].rpartition(":")
            if not sheet_name:
                return self.address(key)
            other = sheet_named(sheet_name)
            quoted = _(other.name).replace("'", "''")  # a quote in a sheet's name is doubled in a reference
            return f"'{quoted}'!{other.address(key)}"
        return re.sub(r"\{([^{}]+)\}", cell, row.formula)


def span(prefix: str, labels: tuple[str, ...]) -> str:
    """The placeholder range from the first to the last of a repeated row, e.g. ``{people 0-4}:{people 65+}``."""
    return f"{{{prefix} {labels[0]}}}:{{{prefix} {labels[-1]}}}"


def capitation_sheet() -> Sheet:
    people, weights = span("people", BANDS), span("weight", BANDS)
    return Sheet(N_("Capitation"), N_("Capitation with age weights"), (
        Row("spending", N_("Health spending per person"), N_("US$ per person per year"), "amount"),
        Row("phc_share", N_("Share of health spending for primary health care"), N_("share (0 to 1)"), "share"),
        *[Row(f"people {band}", N_("People aged {band}"), N_("people"), "amount", fill=(("band", band),))
          for band in BANDS],
        *[Row(f"weight {band}", N_("Weight of age {band}"), N_("relative cost (1 = average)"), "amount",
              fill=(("band", band),)) for band in BANDS],
    ), (
        Row("people", N_("People in all age bands"), N_("people"), formula=f"=SUM({people})"),
        Row("budget", N_("PHC budget"), N_("US$ per year"), formula="={spending}*{phc_share}*{people}"),
        Row("flat_rate", N_("Same rate for everybody"), N_("US$ per person per year"), formula="={budget}/{people}"),
        Row("weighted_people", N_("People counted by their weight"), N_("people"),
            formula=f"=SUMPRODUCT({people},{weights})"),
        Row("base_rate", N_("Rate for a weight of 1"), N_("US$ per person per year"),
            formula="={budget}/{weighted_people}"),
        *[Row(f"rate {band}", N_("Rate for age {band}"), N_("US$ per person per year"),
              formula=f"={{base_rate}}*{{weight {band}}}", fill=(("band", band),)) for band in BANDS],
        *[Row(f"payment {band}", N_("Paid for age {band}"), N_("US$ per year"),
              formula=f"={{rate {band}}}*{{people {band}}}", fill=(("band", band),)) for band in BANDS],
        Row("paid", N_("Paid for all age bands (the budget)"), N_("US$ per year"),
            formula=f"=SUM({span('payment', BANDS)})"),
    ))


def fee_for_service_sheet() -> Sheet:
    return Sheet(N_("Fee-for-service"), N_("Fee-for-service: a fee for every visit"), (
        Row("people", N_("People covered"), N_("people"), "positive"),
        Row("visits_per_person", N_("Primary care visits per person"), N_("visits per person per year"), "amount"),
        Row("fee", N_("Fee per visit"), N_("US$ per visit"), "amount"),
    ), (
        Row("visits", N_("Visits in the year"), N_("visits per year"), formula="={people}*{visits_per_person}"),
        Row("payment", N_("Paid for all visits"), N_("US$ per year"), formula="={fee}*{visits}"),
        Row("per_person", N_("Paid per person"), N_("US$ per person per year"), formula="={payment}/{people}"),
    ))


def case_based_sheet() -> Sheet:
    cases, weights = span("cases", CASE_GROUPS), span("weight", CASE_GROUPS)
    return Sheet(N_("Case-based"), N_("Case-based payment with relative weights"), (
        Row("spending", N_("Health spending per person"), N_("US$ per person per year"), "amount"),
        Row("people", N_("People covered"), N_("people"), "positive"),
        Row("hospital_share", N_("Share of health spending for hospital cases"), N_("share (0 to 1)"), "share"),
        Row("admissions", N_("Hospital admissions per 1,000 people"), N_("admissions per 1,000 people per year"),
            "positive"),
        *[Row(f"share {group}", N_("Share of admissions in case group {group}"), N_("share (0 to 1)"), "share",
              fill=(("group", group),)) for group in CASE_GROUPS],
        *[Row(f"weight {group}", N_("Relative weight of case group {group}"), N_("relative cost (1 = average case)"),
              "amount", fill=(("group", group),)) for group in CASE_GROUPS],
    ), (
        Row("budget", N_("Budget for hospital cases"), N_("US$ per year"),
            formula="={spending}*{hospital_share}*{people}"),
        Row("cases", N_("Expected cases"), N_("cases per year"), formula="={people}*{admissions}/1000"),
        *[Row(f"cases {group}", N_("Expected cases in group {group}"), N_("cases per year"),
              formula=f"={{cases}}*{{share {group}}}", fill=(("group", group),)) for group in CASE_GROUPS],
        Row("case_mix_index", N_("Case-mix index"), N_("average relative weight"),
            formula=f"=SUMPRODUCT({cases},{weights})/SUM({cases})"),
        Row("base_rate", N_("Base rate (a case of weight 1)"), N_("US$ per case"),
            formula=f"={{budget}}/({{case_mix_index}}*SUM({cases}))"),
        *[Row(f"per_case {group}", N_("Paid per case in group {group}"), N_("US$ per case"),
              formula=f"={{base_rate}}*{{weight {group}}}", fill=(("group", group),)) for group in CASE_GROUPS],
        Row("paid", N_("Paid for all expected cases (the budget)"), N_("US$ per year"),
            formula=f"=SUMPRODUCT({cases},{span('per_case', CASE_GROUPS)})"),
    ))


def blend_sheet() -> Sheet:
    return Sheet(N_("Blend"), N_("A blend of capitation and fee-for-service"), (
        Row("capitation_share", N_("Share paid by capitation"), N_("share (0 to 1)"), "share"),
        Row("ffs_share", N_("Share paid by fee-for-service"), N_("share (0 to 1)"), "share"),
    ), (
        Row("capitation", N_("Capitation alone (the PHC budget)"), N_("US$ per year"), formula="={Capitation:budget}"),
        Row("fee_for_service", N_("Fee-for-service alone"), N_("US$ per year"), formula="={Fee-for-service:payment}"),
        Row("blended", N_("Paid by the blend"), N_("US$ per year"),
            formula="={capitation_share}*{capitation}+{ffs_share}*{fee_for_service}"),
        Row("shares", N_("Shares added up (must be 1)"), N_("share"), formula="={capitation_share}+{ffs_share}"),
    ))


SHEETS = (capitation_sheet(), fee_for_service_sheet(), case_based_sheet(), blend_sheet())


def sheet_named(name: str) -> Sheet:
    """The calculator sheet called ``name``."""
    return next(sheet for sheet in SHEETS if sheet.name == name)


Inputs = dict[str, dict[str, float]]


def capitation_results(given: dict[str, float]) -> tuple[dict[str, float], pd.DataFrame]:
    """The capitation sheet's results, and the rates per band as :func:`~jlnlearn.lessons.phc.capitation_rates` gives them."""
    people = pd.Series({band: given[f"people {band}"] for band in BANDS}, name="population")
    weights = pd.Series({band: given[f"weight {band}"] for band in BANDS})
    budget = given["spending"] * given["phc_share"] * float(people.sum())
    rates = payment.risk_adjusted_rates(budget, people, weights)
    rates["flat_rate"] = payment.capitation_base_rate(budget, float(people.sum()))
    weighted = float((people * weights).sum())
    found = {"people": float(people.sum()), "budget": budget, "flat_rate": float(rates.flat_rate.iloc[0]),
             "weighted_people": weighted, "base_rate": payment.capitation_base_rate(budget, weighted),
             "paid": float(rates.payment.sum())}
    for band in BANDS:
        found[f"rate {band}"], found[f"payment {band}"] = rates.rate[band], rates.payment[band]
    return found, rates


def case_based_results(given: dict[str, float]) -> tuple[dict[str, float], pd.DataFrame]:
    """The case-based sheet's results, and per group: cases, relative weight, payment per case and in all."""
    budget = given["spending"] * given["hospital_share"] * given["people"]
    cases = given["people"] * given["admissions"] / 1000
    per_group = pd.Series({group: cases * given[f"share {group}"] for group in CASE_GROUPS})
    weights = pd.Series({group: given[f"weight {group}"] for group in CASE_GROUPS})
    base_rate = payment.case_base_rate(budget, per_group, weights)
    per_case = payment.case_payments(base_rate, weights)
    table = pd.DataFrame({"cases": per_group, "relative_weight": weights, "payment_per_case": per_case,
                          "payment": per_group * per_case}).rename_axis("case group")
    found = {"budget": budget, "cases": cases, "case_mix_index": payment.case_mix_index(per_group, weights),
             "base_rate": base_rate, "paid": float(table.payment.sum())}
    for group in CASE_GROUPS:
        found[f"cases {group}"], found[f"per_case {group}"] = per_group[group], per_case[group]
    return found, table


def results_for(inputs: Inputs) -> tuple[Inputs, pd.DataFrame, pd.DataFrame]:
    """Every result row of every sheet for ``inputs`` (by sheet, then key), with the capitation
    rates per band and the case-based payments per group.

    >>> inputs = {"Capitation": {"spending": 100.0, "phc_share": 0.5,
    ...           **{f"people {band}": 10.0 for band in BANDS}, **{f"weight {band}": 1.0 for band in BANDS}},
    ...           "Fee-for-service": {"people": 50.0, "visits_per_person": 2.0, "fee": 3.0},
    ...           "Case-based": {"spending": 100.0, "people": 50.0, "hospital_share": 0.4, "admissions": 100.0,
    ...                          "share A": 1.0, "share B": 0.0, "share C": 0.0,
    ...                          "weight A": 1.0, "weight B": 1.0, "weight C": 1.0},
    ...           "Blend": {"capitation_share": 0.5, "ffs_share": 0.5}}
    >>> found, rates, cases = results_for(inputs)
    >>> found["Capitation"]["budget"], found["Fee-for-service"]["payment"], found["Blend"]["blended"]
    (2500.0, 300.0, 1400.0)
    >>> found["Case-based"]["base_rate"]
    400.0
    """
    capitation, rates = capitation_results(inputs["Capitation"])
    visits = inputs["Fee-for-service"]
    fee = payment.fee_for_service(pd.Series({"visit": visits["fee"]}),
                                  pd.Series({"visit": visits["people"] * visits["visits_per_person"]}))
    fee_results = {"visits": visits["people"] * visits["visits_per_person"], "payment": fee,
                   "per_person": fee / visits["people"]}
    case_based, cases = case_based_results(inputs["Case-based"])
    shares = pd.Series({"capitation": inputs["Blend"]["capitation_share"],
                        "fee-for-service": inputs["Blend"]["ffs_share"]})
    blended = payment.blended_payment(shares, pd.Series({"capitation": capitation["budget"],
                                                         "fee-for-service": fee}))
    blend = {"capitation": capitation["budget"], "fee_for_service": fee, "blended": blended,
             "shares": float(shares.sum())}
    return ({"Capitation": capitation, "Fee-for-service": fee_results, "Case-based": case_based,
             "Blend": blend}, rates, cases)
