"""Resolve a country from its ISO3 code, name or any alias in ``countries.csv``."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jlnlearn.data.loading import PathLike, content_version, extra_folder, load
from jlnlearn.errors import UnknownCountryError
from jlnlearn.i18n import LANGUAGES, N_, _, language_set
from jlnlearn.names import country_name


@dataclass(frozen=True)
class Country:
    """One country of the data package, with its JLN membership as documented.

    ``membership`` is ``member``, ``associate`` or ``not documented``; other
    fields that no source documents are ``None``.
    """

    iso3: str
    #: The data's name (English, in the network's usage): what codes, files and lookups use.
    english_name: str
    aliases: tuple[str, ...]
    who_region: str | None
    income_group: str | None
    membership: str
    founding_member: bool
    joined_year: int | None
    member_by_year: int | None
    membership_note: str | None
    phc_collaborative: bool
    #: ISO 4217 code of the country's own currency, the one its exchange rate is for.
    currency: str

    @property
    def name(self) -> str:
        """The name in the reader's language (:func:`~jlnlearn.i18n.country_name`), as every page shows it.

        >>> from jlnlearn.i18n import language_set
        >>> senegal = country("SEN")
        >>> with language_set("fr"):
        ...     senegal.name
        'Sénégal'
        >>> senegal.name, senegal.english_name
        ('Senegal', 'Senegal')
        """
        return country_name(self.iso3, self.english_name)

    def __str__(self) -> str:
        return self.name


#: What a function that takes a country accepts: a code, name or alias, or a resolved Country.
CountryLike = str | Country


def normalise(text: str) -> str:
    """Fold case, accents, punctuation and spacing so that names compare loosely.

    >>> normalise("  Korea, Rep. ")
    'korea rep'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


def _value(value: object) -> object:
    """A cell as a plain Python value, with missing values as ``None``."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _to_country(record: pd.Series) -> Country:
    aliases = record["aliases"]
    return Country(
        iso3=record["iso3"],
        english_name=record["name"],
        aliases=tuple(a.strip() for a in aliases.split(";")) if isinstance(aliases, str) else (),
        who_region=_value(record["who_region"]),
        income_group=_value(record["income_group"]),
        membership=str(record["membership"]),
        founding_member=bool(record["founding_member"]),
        joined_year=_value(record["joined_year"]),
        member_by_year=_value(record["member_by_year"]),
        membership_note=_value(record["membership_note"]),
        phc_collaborative=bool(record["phc_collaborative"]),
        currency=str(record["currency"]),
    )


#: The WHO regions' names, by the code the data use (translated where shown).
WHO_REGIONS = {"AFR": N_("WHO African Region"), "AMR": N_("WHO Region of the Americas"),
               "SEAR": N_("WHO South-East Asia Region"), "EUR": N_("WHO European Region"),
               "EMR": N_("WHO Eastern Mediterranean Region"), "WPR": N_("WHO Western Pacific Region")}


def who_region_name(code: str) -> str:
    """A WHO region's name, in the reader's language, from its code in the data.

    >>> who_region_name("WPR")
    'WHO Western Pacific Region'
    """
    return _(WHO_REGIONS[code])


#: How countries are grouped in lists, in this order.
GROUPS = (N_("PHC Financing and Payment collaborative"), N_("other documented JLN members"),
          N_("JLN membership not documented"))


def group_of(subject: Country) -> str:
    """Which of :data:`GROUPS` a country is listed under.

    >>> group_of(country("Ghana")), group_of(country("Thailand")), group_of(country("Chile"))
    ('PHC Financing and Payment collaborative', 'other documented JLN members', 'JLN membership not documented')
    """
    if subject.phc_collaborative:
        return GROUPS[0]
    return GROUPS[2] if subject.membership == "not documented" else GROUPS[1]


def countries(extra: PathLike | None = None) -> list[Country]:
    """Every country in the data, by group (:data:`GROUPS`), in the data's order within each.

    >>> [c.iso3 for c in countries()][:3]
    ['BHR', 'BGD', 'CHN']
    """
    return list(_countries_of(content_version("countries", extra), extra_folder(extra)))


@functools.cache
def _countries_of(version: str, folder: Path | None) -> tuple[Country, ...]:
    """The countries of one version of the data (a country is immutable, so they are made once)."""
    table = load("countries", folder)
    everyone = [_to_country(record) for _, record in table.iterrows()]
    return tuple(c for group in GROUPS for c in everyone if group_of(c) == group)


@functools.cache
def _index_of(version: str, folder: Path | None) -> dict[str, Country]:
    """Every normalised code, name (the data's, and the name in each language) and alias of one
    version of the data, with its country."""
    index: dict[str, Country] = {}
    everyone = _countries_of(version, folder)
    for candidate in everyone:
        for label in (candidate.iso3, candidate.english_name, *candidate.aliases):
            index.setdefault(normalise(label), candidate)
    for code in LANGUAGES:  # "Sénégal", "Filipinas": a learner may type the name in their language
        with language_set(code):
            for candidate in everyone:
                index.setdefault(normalise(candidate.name), candidate)
    return index


def country(query: CountryLike, extra: PathLike | None = None) -> Country:
    """The country whose ISO3 code, name or alias is ``query`` (case and accents ignored).

    This is the one place a country is resolved: every public function that
    takes a country calls it first and passes the :class:`Country` on, so a
    :class:`Country` given here is returned as it is, without a lookup.

    Parameters
    ----------
    query
        An ISO3 code, a name or an alias ("Laos", "Lao PDR", "LAO"), or a
        :class:`Country` already resolved.
    extra
        A folder of extra rows whose ``countries.csv`` adds countries.

    Returns
    -------
    The :class:`Country`.

    Raises
    ------
    UnknownCountryError
        For a query that matches no country, with the closest names.

    Examples
    --------
    >>> laos = country("Laos")
    >>> laos.iso3, laos.name, country("Filipinas").iso3
    ('LAO', 'Lao PDR', 'PHL')
    >>> country(laos) is laos
    True
    """
    if isinstance(query, Country):
        return query
    index = _index_of(content_version("countries", extra), extra_folder(extra))
    found = index.get(normalise(query))
    if found is not None:
        return found
    close = difflib.get_close_matches(normalise(query), list(index), n=5, cutoff=0.6)
    suggestions = list(dict.fromkeys(f"{index[key].name} ({index[key].iso3})" for key in close))
    raise UnknownCountryError(query, suggestions[:3])
