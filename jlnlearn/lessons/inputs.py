"""Checks of a calculator's inputs, each naming the parameter and what would be valid.

>>> non_negative("budget", 1200)
1200.0
>>> positive("enrolled population", 0)
Traceback (most recent call last):
...
jlnlearn.errors.PaymentInputError: enrolled population must be a number above 0, got 0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jlnlearn.errors import PaymentInputError


def non_negative(name: str, value: float) -> float:
    """``value`` as a float, if it is a finite number of 0 or more."""
    if not np.isfinite(value) or value < 0:
        raise PaymentInputError(f"{name} must be a number of 0 or more, got {value!r}", name)
    return float(value)


def positive(name: str, value: float) -> float:
    """``value`` as a float, if it is a finite number above 0."""
    if not np.isfinite(value) or value <= 0:
        raise PaymentInputError(f"{name} must be a number above 0, got {value!r}", name)
    return float(value)


def share_of_one(name: str, value: float) -> float:
    """``value`` as a float, if it is a share from 0 to 1."""
    if not 0 <= value <= 1:
        raise PaymentInputError(f"{name} must be a share between 0 and 1, got {value!r}", name)
    return float(value)


def matching(name: str, values: pd.Series, index: pd.Index, what: str) -> pd.Series:
    """``values`` for every label of ``index``, or an error listing the missing ones."""
    missing = [label for label in index if label not in values.index]
    if missing:
        raise PaymentInputError(f"{name} has no value for {what} {', '.join(map(str, missing))} "
                                f"(give one for each of: {', '.join(map(str, index))})", name)
    chosen = values.reindex(index).astype(float)
    if (chosen < 0).any() or chosen.isna().any():
        raise PaymentInputError(f"{name} must be 0 or more for every {what}", name)
    return chosen
