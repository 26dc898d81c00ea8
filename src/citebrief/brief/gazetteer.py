"""Actor gazetteer: countries (pycountry) with our own aliases, demonyms and capitals-as-metonyms,
international organisations, and people linked to a country by "<Demonym> <role> <Name>" phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Canonical name → extra aliases (short forms, demonyms/adjectives, capitals and seats of government
# used as metonyms). Capitals that also name an organisation's seat (Brussels) are left out.
_EXTRA: dict[str, tuple[str, ...]] = {
    "United States": ("US", "U.S.", "USA", "U.S.A.", "America", "American", "Americans", "Washington",
                      "the White House", "the Pentagon", "the State Department", "the United States of America"),
    "United Kingdom": ("UK", "U.K.", "Britain", "Great Britain", "British", "London", "Downing Street"),
    "Russia": ("Russian", "Russians", "Moscow", "the Kremlin", "Russian Federation"),
    "Ukraine": ("Ukrainian", "Ukrainians", "Kyiv", "Kiev"),
    "Germany": ("German", "Germans", "Berlin"),
    "France": ("French", "Paris", "the Elysee", "the Élysée"),
    "Hungary": ("Hungarian", "Hungarians", "Budapest"),
    "Slovakia": ("Slovak", "Slovakian", "Bratislava"),
    "Belgium": ("Belgian",),
    "Slovenia": ("Slovenian", "Slovene", "Ljubljana"),
    "Spain": ("Spanish", "Madrid"),
    "Italy": ("Italian", "Rome"),
    "Poland": ("Polish", "Warsaw", "Poles"),
    "Netherlands": ("Dutch", "The Hague", "Holland"),
    "Turkey": ("Turkish", "Ankara", "Türkiye"),
    "Greece": ("Greek", "Athens"),
    "Portugal": ("Portuguese", "Lisbon"),
    "Canada": ("Canadian", "Ottawa"),
    "Norway": ("Norwegian", "Oslo"),
    "Denmark": ("Danish", "Copenhagen"),
    "Sweden": ("Swedish", "Stockholm"),
    "Finland": ("Finnish", "Helsinki"),
    "Estonia": ("Estonian", "Tallinn"),
    "Latvia": ("Latvian", "Riga"),
    "Lithuania": ("Lithuanian", "Vilnius"),
    "Czechia": ("Czech Republic", "Czech", "Prague"),
    "Romania": ("Romanian", "Bucharest"),
    "Bulgaria": ("Bulgarian", "Sofia"),
    "Croatia": ("Croatian", "Zagreb"),
    "Albania": ("Albanian", "Tirana"),
    "North Macedonia": ("Macedonian", "Skopje"),
    "Montenegro": ("Montenegrin", "Podgorica"),
    "Luxembourg": ("Luxembourgish",),
    "Iceland": ("Icelandic", "Reykjavik"),
    "Austria": ("Austrian", "Vienna"),
    "Ireland": ("Irish", "Dublin"),
    "Switzerland": ("Swiss", "Bern"),
    "Georgia": ("Georgian", "Tbilisi"),
    "Moldova": ("Moldovan", "Chisinau"),
    "Belarus": ("Belarusian", "Minsk"),
    "China": ("Chinese", "Beijing"),
    "Japan": ("Japanese", "Tokyo"),
    "India": ("Indian", "New Delhi"),
    "Israel": ("Israeli", "Jerusalem"),
    "Iran": ("Iranian", "Tehran"),
    "Australia": ("Australian", "Canberra"),
    "Brazil": ("Brazilian", "Brasilia"),
    "Mexico": ("Mexican",),
    "South Korea": ("South Korean", "Seoul"),
    "North Korea": ("North Korean", "Pyongyang"),
}
# Capitals that are also summit or treaty names: "the Vilnius summit" is an event, not Lithuania.
_EVENT_AFTER = re.compile(r"^[\s'’s]*(model|style|-style|summit|declaration|communiqu[eé]|treaty|memorandum|format|process|"
                          r"agreement|accords?|talks|meeting|conference|charter|protocol)\b", re.I)

ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "NATO": ("NATO", "the alliance", "North Atlantic Treaty Organization", "North Atlantic Alliance"),
    "European Union": ("European Union", "EU", "E.U.", "the European Commission", "Brussels"),
    "G7": ("G7", "Group of Seven"),
    "United Nations": ("United Nations", "UN", "U.N."),
}
_ROLE = (r"(?:Prime Minister|President|Chancellor|Foreign Minister|Defen[cs]e Minister|Defen[cs]e Secretary|"
         r"Secretary of State|Minister|Secretary|Ambassador|envoy|spokes(?:person|man|woman)|Premier|"
         r"Vice President|Deputy Prime Minister|official|General)")
_NAME = r"((?:[A-Z][\w'’\-]+|[A-Z]\.)(?:\s+(?:[A-Z][\w'’\-]+|[A-Z]\.)){0,2})"


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor named in a text: canonical name, kind, and the matched span."""

    name: str
    kind: str
    start: int
    end: int
    surface: str


@lru_cache(maxsize=1)
def _alias_table() -> dict[str, tuple[str, str]]:
    """surface form → (canonical name, kind), for countries and organisations."""
    import pycountry

    table: dict[str, tuple[str, str]] = {}
    for country in pycountry.countries:
        canonical = getattr(country, "common_name", None) or country.name
        for name in {country.name, canonical}:
            if "," not in name and len(name) > 3:
                table[name] = (canonical, "country")
    fixes = {"United States": "United States", "United Kingdom": "United Kingdom", "Russia": "Russian Federation",
             "Czechia": "Czechia", "Turkey": "Türkiye", "South Korea": "Korea, Republic of",
             "North Korea": "Korea, Democratic People's Republic of", "Iran": "Iran, Islamic Republic of",
             "Moldova": "Moldova, Republic of"}
    for canonical, aliases in _EXTRA.items():
        table[canonical] = (canonical, "country")
        for alias in aliases:
            table[alias] = (canonical, "country")
            if alias.startswith("the "):
                table["The " + alias[4:]] = (canonical, "country")
    for wrong in ("Russian Federation", "Türkiye"):
        table[wrong] = (next(k for k, v in fixes.items() if v == wrong), "country")
    for canonical, aliases in ORGANISATIONS.items():
        for alias in aliases:
            table[alias] = (canonical, "organisation")
            if alias.startswith("the "):
                table["The " + alias[4:]] = (canonical, "organisation")
    return table


@lru_cache(maxsize=1)
def _alias_regex() -> re.Pattern[str]:
    aliases = sorted(_alias_table(), key=len, reverse=True)
    body = "|".join(re.escape(a) for a in aliases)
    # Case-sensitive: "US" the country, not "us"; word boundaries that allow "U.S." at sentence end.
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])")


def find_mentions(text: str) -> list[Mention]:
    """Countries and organisations named in ``text`` (longest alias wins; summit names skipped)."""
    table = _alias_table()
    out = []
    for match in _alias_regex().finditer(text):
        surface = match.group(0)
        name, kind = table[surface]
        if kind == "country" and surface in _capitals() and _EVENT_AFTER.match(text[match.end():]):
            continue
        if surface == "Georgia" and re.match(r"\s*(state|governor|senator)", text[match.end():], re.I):
            continue
        out.append(Mention(name, kind, match.start(), match.end(), surface))
    return out


_CAPITALS = frozenset(
    "Washington Berlin London Moscow Kyiv Kiev Madrid Lisbon Vilnius Bucharest Budapest Warsaw Paris Rome "
    "Riga Oslo Tallinn Helsinki Stockholm Copenhagen Prague Sofia Zagreb Tirana Skopje Podgorica Reykjavik "
    "Vienna Dublin Bern Tbilisi Chisinau Minsk Beijing Tokyo Jerusalem Tehran Canberra Brasilia Seoul "
    "Pyongyang Ankara Athens Ottawa Bratislava Ljubljana".split()) | {"The Hague", "New Delhi"}


_NAMES_NOT_DEMONYMS = frozenset({"America", "Britain", "Great Britain", "Holland", "Czech Republic",
                                 "Russian Federation", "Türkiye"})


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Adjectival/people forms ("German", "Hungarians") among the aliases."""
    out = set()
    for aliases in _EXTRA.values():
        for a in aliases:
            if (" " not in a and "." not in a and not a.isupper() and a not in _CAPITALS
                    and a not in _NAMES_NOT_DEMONYMS):
                out.add(a)
    return frozenset(out)


def _capitals() -> frozenset[str]:
    return _CAPITALS


_PERSON_RE = None


def people_links(text: str) -> dict[str, str]:
    """People tied to a country in ``text``: surname → canonical country.

    From "Hungarian Prime Minister Viktor Orbán" or "Slovakia's Prime Minister Robert Fico" we learn
    that a later bare "Orbán" or "Fico" speaks for Hungary or Slovakia.
    """
    global _PERSON_RE
    if _PERSON_RE is None:
        adjectives = sorted((a for a, (_, kind) in _alias_table().items() if kind == "country"), key=len, reverse=True)
        alt = "|".join(re.escape(a) for a in adjectives)
        _PERSON_RE = re.compile(rf"(?<![\w])({alt})(?:['’]s)?\s+(?:(?:former|acting|new|then-)\s+)?{_ROLE}\s+{_NAME}")
    links: dict[str, str] = {}
    table = _alias_table()
    for match in _PERSON_RE.finditer(text):
        country = table[match.group(1)][0]
        full = match.group(2)
        surname = full.split()[-1]
        if surname[0].isupper() and len(surname) > 2 and surname not in table:
            links[surname] = country
            links[full] = country
    return links


def aliases_of(name: str) -> tuple[str, ...]:
    """Every surface form the gazetteer maps to the canonical ``name`` (demonyms, capitals, short forms)."""
    return tuple(alias for alias, (canonical, _) in _alias_table().items() if canonical == name and alias != name)
