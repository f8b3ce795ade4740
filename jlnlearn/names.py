"""Country names as the reader's language says them: CLDR's territory names through Babel, and in
French the article a name takes inside a sentence, contracted with the word before it.

>>> from jlnlearn.i18n import language_set
>>> with language_set("fr"):
...     contracted("les dépenses de " + in_sentence("SEN", country_name("SEN", "Senegal")))
'les dépenses du Sénégal'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import ParamSpec

from babel.core import get_global

from jlnlearn.i18n import DEFAULT_LANGUAGE, _locale, language

Arguments = ParamSpec("Arguments")

#: Where the network's usage differs from CLDR's territory name, its name in every language (by ISO3 code).
NETWORK_NAMES = {"MMR": "Myanmar"}
#: ISO3 codes that CLDR does not map to a territory of its own.
TERRITORIES = {"XKX": "XK"}


def country_name(iso3: str, english: str) -> str:
    """A country's name in the reader's language: the data's own name in English, and in the other
    languages CLDR's territory name through Babel (the network's usage where it differs,
    :data:`NETWORK_NAMES`; the data's name where CLDR has none).

    >>> country_name("SEN", "Senegal"), country_name("LAO", "Lao PDR")
    ('Senegal', 'Lao PDR')
    >>> from jlnlearn.i18n import language_set
    >>> with language_set("fr"):
    ...     country_name("SEN", "Senegal"), country_name("XKX", "Kosovo"), country_name("MMR", "Myanmar")
    ('Sénégal', 'Kosovo', 'Myanmar')
    """
    if language() == DEFAULT_LANGUAGE:
        return english
    if iso3 in NETWORK_NAMES:
        return NETWORK_NAMES[iso3]
    territory = TERRITORIES.get(iso3) or next(iter(get_global("territory_aliases").get(iso3, ())), None)
    return _locale().territories.get(territory, english) if territory else english


#: The article a country's French name takes inside a sentence ("" for none: "à Bahreïn"), by ISO3 code.
FRENCH_ARTICLES = {
    "le": ("BGD", "GHA", "KEN", "LAO", "LBN", "LBR", "MLI", "MMR", "NGA", "VNM", "SEN", "SDN", "MAR", "JPN",
           "MEX", "XKX", "BWA", "BFA", "CHL", "PER", "BRA", "LKA", "PAK", "KHM", "RWA"),
    "la": ("CHN", "MYS", "MDA", "MNG", "KOR", "THA", "NAM", "COL", "TUR", "TZA", "ZMB", "JOR", "TUN"),
    "les": ("PHL",),
    "l'": ("EGY", "ETH", "IDN", "IND", "ZAF", "UGA", "IRQ"),
}
#: French contractions of a preposition with the article of a country's name ("de le Mali" is "du Mali").
FRENCH_CONTRACTIONS = {"de le": "du", "de les": "des", "à le": "au", "à les": "aux"}


def in_sentence(iso3: str, name: str) -> str:
    """A country's name as a sentence in the reader's language says it: in French with its article
    ("le Sénégal", "l'Inde", "les Philippines"), which :func:`contracted` joins to the word before it.

    >>> from jlnlearn.i18n import language_set
    >>> with language_set("fr"):
    ...     in_sentence("SEN", "Sénégal"), in_sentence("IND", "Inde"), in_sentence("BHR", "Bahreïn")
    ('le Sénégal', "l'Inde", 'Bahreïn')
    >>> in_sentence("SEN", "Senegal")
    'Senegal'
    """
    if language() != "fr":
        return name
    article = next((article for article, codes in FRENCH_ARTICLES.items() if iso3 in codes), "")
    return f"{article}{name}" if article.endswith("'") or not article else f"{article} {name}"


def contracted(text: str) -> str:
    """French text with a preposition and a country's article contracted the way French writes them
    ("de le Sénégal" is "du Sénégal", "à les Philippines" "aux Philippines"), and a name that opens a
    sentence with its article capitalised; other languages' text as it is.

    >>> from jlnlearn.i18n import language_set
    >>> with language_set("fr"):
    ...     contracted("les dépenses de le Sénégal et de les Philippines; le Mali paie. le Mali aussi")
    'les dépenses du Sénégal et des Philippines; le Mali paie. Le Mali aussi'
    """
    if language() != "fr":
        return text
    named = {country_name(code, code) for codes in FRENCH_ARTICLES.values() for code in codes}
    names = "|".join(re.escape(name) for name in sorted(named, key=len, reverse=True))
    for joined, short in FRENCH_CONTRACTIONS.items():
        preposition, article = joined.split(" ")
        text = re.sub(rf"\b{preposition} {article} (?=(?:{names})\b)", f"{short} ", text)
        text = re.sub(rf"\b{preposition.capitalize()} {article} (?=(?:{names})\b)", f"{short.capitalize()} ", text)
    return re.sub(rf"(^|[.!?]\s+|>\s*)(le|la|les|l')(\s?)(?=(?:{names})\b)",
                  lambda found: found.group(1) + found.group(2).capitalize() + found.group(3), text)


def contracting(write: Callable[Arguments, str]) -> Callable[Arguments, str]:
    """``write``, whose text is :func:`contracted`: for a function that puts a country's name in a
    sentence a notebook shows as it is (in JupyterLab no page contracts it afterwards).

    >>> from jlnlearn.i18n import language_set
    >>> @contracting
    ... def spending(name: str) -> str:
    ...     return f"les dépenses de {name}"
    >>> with language_set("fr"):
    ...     spending("le Sénégal")
    'les dépenses du Sénégal'
    """

    @functools.wraps(write)
    def written(*args: Arguments.args, **kwargs: Arguments.kwargs) -> str:
        return contracted(write(*args, **kwargs))

    return written
