"""The topic layer: one module per lesson topic, pure functions over the data.

Each function takes a country (a code, name, alias or a resolved
:class:`~jlnlearn.Country`) and returns DataFrames, Series or numbers of raw
values, recording the sources of the rows it returns on the open page:

- :mod:`~jlnlearn.lessons.journey`: the network's milestones, partners and a country's part in them;
- :mod:`~jlnlearn.lessons.payment`: provider payment calculators (inputs checked by
  :mod:`~jlnlearn.lessons.inputs`);
- :mod:`~jlnlearn.lessons.risk`: who bears the risk of uncertain demand, simulated;
- :mod:`~jlnlearn.lessons.phc`: PHC capitation on a country's real population and spending;
- :mod:`~jlnlearn.lessons.covid`: COVID-19 financing and payment measures against the epidemic;
- :mod:`~jlnlearn.lessons.pairing`: country pairings and resource countries;
- :mod:`~jlnlearn.lessons.profile`: a country's indicators, peers, mechanisms and membership;
- :mod:`~jlnlearn.lessons.money`: amounts converted to US$ at a stated year's rate.
"""

from jlnlearn.lessons import covid, journey, money, pairing, payment, phc, profile, risk

__all__ = ["covid", "journey", "money", "pairing", "payment", "phc", "profile", "risk"]
