"""Who a mention refers to: pronouns, surnames, demonyms and capitals resolved to one canonical actor.

Resolution stays inside one document, as a careful reader does: "he" is the last person named
before it, "Orbán" is the "Viktor Orbán" the article named in full, "Hungarian officials" and
"Budapest" are Hungary (through the country gazetteer, used only as an alias source).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from ..brief.gazetteer import find_mentions
from ..brief.values import MONTH_NAMES
from ..store.fts import STOPWORDS
from .claims import Holder
from .vocab import GROUP_PRONOUNS, PERSON_PRONOUNS, TITLE_WORDS, singular

_NAME_WORD = r"[A-Z][\w’'.-]*"
_TITLE_ABBREVIATIONS = {"Gov": "governor", "Sen": "senator", "Rep": "representative", "Gen": "general",
                        "Adm": "admiral", "Lt": "lieutenant", "Col": "colonel", "Cmdr": "commander",
                        "Pres": "president", "Supt": "superintendent", "Atty": "attorney"}


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved actor: canonical name, kind, the country it speaks for (if any) and its role."""

    name: str
    kind: str  # person | organisation | country | group
    country: str | None = None
    role: str = ""


def country_of(text: str) -> str | None:
    """The country a name, demonym, capital or role names ("Hungarian Prime Minister" → Hungary)."""
    mentions = [m for m in find_mentions(text) if m.kind == "country"]
    if mentions:
        return mentions[0].name
    word = text.split()[0] if text.split() else ""
    return _demonym_country(word) if word[:1].isupper() else None


# Demonym endings of English ("Syrian", "Afghan", "Jordanian", "Pakistani", "Chinese", "Turkish"):
# the country is the one whose name starts with what is left (at least four letters).
_DEMONYM_ENDINGS = ("ian", "ean", "an", "ese", "ish", "i", "n", "")


@lru_cache(maxsize=4096)
def _demonym_country(word: str) -> str | None:
    import pycountry

    names = [getattr(c, "common_name", None) or c.name for c in pycountry.countries]
    for ending in _DEMONYM_ENDINGS:
        if ending and not word.endswith(ending):
            continue
        stem = word[:len(word) - len(ending)] if ending else word
        if len(stem) < 4:
            continue
        # single-word country names only: "Western" must not become "Western Sahara"
        found = sorted({n for n in names if n.startswith(stem) and " " not in n and "," not in n}, key=len)
        if found:
            return found[0]
    return None


# words that open a headline's question or a sentence, never a first name
_NOT_FIRST_NAME = frozenset("""what why how when where who which whatever whoever whichever whenever wherever does do
    did is are was can will should the a an""".split())


def full_name(surname: str, doc_text: str) -> str:
    """The longest "First [Middle] Surname" form of a person's name in the document (titles dropped)."""
    best, doubtful = surname, ""
    # (the words of one name sit on one line: "the 16-inch MacBook Pro\n\nApple resellers …" names nobody)
    for match in re.finditer(rf"((?:{_NAME_WORD}[ \t]+){{1,3}}){re.escape(surname)}(?![\w])", doc_text):
        words = match.group(1).split()
        # the name starts after the last title: "Teachers Association President Keith Gambill" → Keith
        titles = [k for k, w in enumerate(words) if w.lower().rstrip(".") in TITLE_WORDS]
        words = words[titles[-1] + 1:] if titles else words
        if words and (words[0].lower() in _NOT_FIRST_NAME or any(w.endswith(("'s", "’s")) for w in words)):
            continue  # a headline's "What Does Stadia Cost?" or "Google's Stadia" names nobody
        # a sentence end ("Washington. Scissors") or a country ("ambassador to Britain Liu") is no first name
        ends = [k for k, w in enumerate(words) if w.endswith(".") and len(w.rstrip(".")) > 1
                and w.lower().rstrip(".") not in TITLE_WORDS]
        words = words[ends[-1] + 1:] if ends else words
        words = words[next((k + 1 for k in range(len(words) - 1, -1, -1) if country_of(words[k])), 0):]
        if words and words[-1][0].isupper() and all(w[0].isupper() for w in words):
            candidate = " ".join(words + [surname])
            at = match.start(1) + match.group(1).rfind(words[0])
            opening = re.match(r"[ \t]*(?:$|[.!?”\"\n])", doc_text[max(0, at - 3):at][::-1])
            if len(words) == 1 and words[0].endswith("ing") and opening:
                # "Hosting Cook at the conference, …": a participle opening a sentence is a first name only
                # when the page has no other
                doubtful = doubtful or candidate
            elif len(candidate) > len(best) and len(words) <= 2:
                best = candidate
    return doubtful if best == surname and doubtful else best


class DocumentNames:
    """Resolves holder mentions within one document, remembering the people and groups it named."""

    def __init__(self, doc_text: str) -> None:
        self.text = doc_text
        self._home: Counter[str] | None = None
        self._office_countries: dict[str, str | None] = {}  # role → the one country the page gives it
        self.last_person: Actor | None = None
        self._recent: list[Actor] = []  # people named so far, most recent first
        self._people: dict[str, Actor] = {}  # every person named so far, by surname
        self._genders: dict[str, str | None] = {}
        self._fuller_names: dict[str, str] = {}  # noun → the page's fuller name for the body (``_fuller``)
        self.last_group: Actor | None = None
        self.last_org: Actor | None = None
        self.last_statement: Actor | None = None  # who last spoke "in a statement"
        self._full: dict[str, str] = {}

    def home_country(self, excluded: set[str]) -> str | None:
        """The country the page is about: named (by name, capital or demonym) at least three times, more often
        than any other and at least twice as often as any other but ``excluded`` (lower-case: the question's own
        subject, which a page about another country names often too). None for a page about several, or about
        the excluded subject itself (its foreign minister speaks for it, not for the next country named)."""
        if self._home is None:
            self._home = Counter(m.name for m in find_mentions(self.text) if m.kind == "country")
        ranked = [(n, c) for n, c in self._home.most_common() if n.lower() not in excluded]
        if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]) \
                or ranked[0][1] < max(self._home.values()):
            return None
        return ranked[0][0]

    def country_of_role(self, role: str) -> str | None:
        """The one country the page gives an office that names none: "Interior Minister Wolfgang Peschorn" on a
        page that also says "Austria's interior minister" (or "the Austrian interior minister") → Austria."""
        if role not in self._office_countries:
            self._office_countries[role] = self._country_of_role(role)
        return self._office_countries[role]

    def _country_of_role(self, role: str) -> str | None:
        words = role.split()
        if not words or len(words) > 4:
            return None
        found = {country_of(m.group(1)) for m in re.finditer(
            r"([A-Z][\w.-]+(?:\s[A-Z][\w.-]+)?)(?:['’]s)?\s+(?i:" + r"\s+".join(map(re.escape, words)) + r")\b",
            self.text)}
        found.discard(None)
        return found.pop() if len(found) == 1 else None

    def note(self, actor: Actor) -> None:
        """Remember an actor named in the running text (for later pronouns)."""
        if actor.kind == "person":
            self.last_person = actor
            self._people.setdefault(actor.name.split()[-1], actor)
            self._recent = [actor, *[a for a in self._recent if a.name != actor.name]][:4]
        else:
            self.last_group = actor
            if actor.kind == "organisation":
                self.last_org = actor

    def person_by_surname(self, surname: str) -> Actor | None:
        """The person named before whose name ends with ``surname`` ("Braun" → Scooter Braun), if any."""
        found = self._people.get(surname)
        return found if found is not None and len(found.name.split()) > 1 else None

    def resolve(self, holder: Holder, besides: frozenset[str] = frozenset(), roled: bool = False) -> Actor | None:
        """The actor a holder mention refers to, or None (an unresolvable or non-actor mention).

        ``besides``: surnames a pronoun cannot stand for (the people its own clause names after it); ``roled``: the
        mention carries a role word ("judge Inaba"), so a one-word place may be a person's surname."""
        low = holder.text.lower()
        if holder.kind == "pronoun":
            if low in PERSON_PRONOUNS:
                # "he" is the last person named whom the article does not call "she", and vice versa
                want = "f" if low in ("she", "her", "hers") else "m"
                return next((a for a in self._recent if self._gender(a.name) in (None, want)
                             and (a.name.split() or [""])[-1].lower() not in besides), None)
            if low in GROUP_PRONOUNS:
                return self.last_group or self.last_person
            return None
        if holder.kind == "person":
            name = self.person_name(holder.text)
            return Actor(name, "person", country_of(holder.role) if holder.role else None, _clean_role(holder.role))
        if holder.kind in ("country", "group"):
            country = country_of(holder.text)
            if country:
                return Actor(country, "country", country, holder.role)
            if holder.kind == "country" and roled and " " not in holder.text \
                    and (known := self.person_by_surname(holder.text)) is not None:
                # "judge Inaba noted": a person's surname with a role on it, which the recogniser took for a place
                return Actor(known.name, "person", known.country, known.role)
            return Actor(holder.text, "group", None, holder.role) if holder.kind == "group" else \
                Actor(holder.text, "place", None, holder.role)
        if holder.kind == "name":  # a name the recogniser left unlabelled: keep it as an organisation …
            if " " not in holder.text and (known := self.person_by_surname(holder.text)) is not None:
                # … unless it is the surname of a person the page named before ("Feliciano Lopez" … "Lopez said")
                return Actor(known.name, "person", known.country, known.role)
            return Actor(holder.text, "organisation", country_of(holder.text), _clean_role(holder.role))
        if holder.kind == "organisation":
            if " " not in holder.text and holder.text[:1].isupper():
                full = full_name(holder.text, self.text)  # a surname the recogniser took for an organisation
                if full != holder.text:
                    return Actor(self.person_name(full), "person", None, holder.role)
            return Actor(holder.text, "organisation", country_of(holder.text), holder.role)
        if holder.kind == "noun":
            if low.split()[-1] in ("statement", "release") and len(low.split()) <= 3:
                return self.last_statement  # "the statement said": whoever spoke in a statement before
            titled = self._titled_person(holder)
            if titled is None and self.last_org is not None and \
                    re.sub(r"^(the|this)\s+", "", low) in DEFINITE_ORGS:  # "the company" → the one last named
                return self.last_org
            found = titled or _noun_actor(holder)
            if found is not None and found.kind == "group" and " " not in found.name:
                # "the commission said" after "the regional health commission": the body as the page first named it
                fuller = self._fuller(found.name)
                found = replace(found, name=fuller) if fuller else found
            return found
        return None

    def _fuller(self, noun: str) -> str:
        """The longest way the page names a body by this singular noun with lower-case words before it ("the
        regional health commission" for "commission"; not "the point that experts"), or ""."""
        if noun.lower().endswith("s"):
            return ""
        if noun in self._fuller_names:
            return self._fuller_names[noun]
        found = [m.group(1) + noun for m in re.finditer(
            rf"\b(?:the|a|an)\s+((?:[a-z][\w-]*\s+){{1,3}}){re.escape(noun)}\b", self.text)
                 if not set(m.group(1).split()) & _NOT_MODIFIERS]
        longest = max(found, key=len, default="")
        # (two bodies of one kind, "a legal expert" and "a tax expert": "the expert" may be either)
        self._fuller_names[noun] = longest if all(longest.endswith(f) for f in found) else ""
        return self._fuller_names[noun]

    def _gender(self, name: str) -> str | None:
        """"f" or "m" when the pronouns that follow the person's surname in this article agree, else None."""
        surname = name.split()[-1] if name.split() else name
        if surname not in self._genders:
            votes = {"f": 0, "m": 0}
            # the first pronoun after the name within its own clause ("Omar asked …, saying she …")
            for match in re.finditer(rf"\b{re.escape(surname)}\b(?!['’]s)([^.;:!?“”\"]{{0,120}})", self.text):
                first = re.search(r"\b(she|her|hers|he|him|his)\b", match.group(1), re.I)
                if first:
                    votes["f" if first.group(1).lower() in ("she", "her", "hers") else "m"] += 1
            # a word of kinship or a title before the name, or after it in apposition, says it outright ("her
            # husband Ted Danson", "Ms. Alvarez", "Kate Moss, his sister"): worth more than a pronoun nearby
            # ("My husband [actor Ted Danson]": an editor's brackets and a role word may come between)
            for match in re.finditer(rf"\b({_GENDERED})\.?\s+[\[(]?(?:[\w'’.-]+\s+){{0,2}}{re.escape(surname)}\b|"
                                     rf"\b{re.escape(surname)},\s+(?:his|her|their|the)\s+({_GENDERED})\b",
                                     self.text, re.I):
                word = (match.group(1) or match.group(2)).lower()
                votes["f" if word in _FEMALE else "m"] += 3
            # … or what the name is said to be ("Omar is one of the first two Muslim women elected to Congress")
            for match in re.finditer(rf"\b{re.escape(surname)}\s+(?:is|was)\s+(?:(?:a|an|the|one|of)\s+)+"
                                     rf"(?:[\w'’-]+\s+){{0,3}}?({_GENDERED}|{_SEXED})\b", self.text):
                word = match.group(1).lower()
                votes["f" if word in _FEMALE or word in _SEXED_FEMALE else "m"] += 3
            # … or the pronoun that opens the next sentence ("Carlineo faces ten years. He was arrested …")
            for match in re.finditer(rf"(?:^|[.!?]\s+){re.escape(surname)}\b[^.!?]{{0,200}}[.!?]\s+(He|She)\b",
                                     self.text):
                votes["f" if match.group(1) == "She" else "m"] += 1
            self._genders[surname] = None if votes["f"] == votes["m"] else max(votes, key=votes.get)
        return self._genders[surname]

    def _titled_person(self, holder: Holder) -> Actor | None:
        """"The governor" → the person the document calls "Gov. Eric Holcomb" or "Governor Eric Holcomb"."""
        words = holder.text.lower().split()
        if not words or len(words) > 3 or (len(words) > 1 and words[0] not in ("the", "a")):
            return None
        title = words[-1]
        if title not in TITLE_WORDS:  # "the governor" names a person; "teachers" does not
            return None
        forms = [title.capitalize()] + [abbr for abbr, full in _TITLE_ABBREVIATIONS.items() if full == title]
        pattern = rf"\b(?:{'|'.join(re.escape(f) for f in forms)})\.?\s+((?:{_NAME_WORD}\s+){{0,2}}{_NAME_WORD})"
        match = re.search(pattern, self.text)
        if match is None:
            return None
        return Actor(self.person_name(match.group(1)), "person", None, title)

    def person_name(self, name: str) -> str:
        """A person's name as the document gives it in full, role words and titles dropped."""
        name = re.sub(r"['’]s$", "", name)  # "President Trump’s tendency": Trump
        words = _name_words(name.split())
        # "House Brian Bosma", "Gov. Eric Holcomb": role words the recogniser kept in the name
        while len(words) > 2 and (words[0].lower().rstrip(".") in TITLE_WORDS or words[0].lower() in _ROLE_WORDS):
            words = words[1:]
        # (a title of rank that is part of the name the person is known by stays: "Queen Ingrid", "Pope Linus")
        while words and words[0].lower().rstrip(".") in TITLE_WORDS and not (
                words[0].lower() in STYLED and len(words) >= 2):
            words = words[1:]
        name = " ".join(words) or name
        if len(words) == 1:
            if name not in self._full:
                self._full[name] = full_name(name, self.text)
            return self._full[name]
        return name


# Words of kinship and titles that say whether a person is a woman or a man (general English).
_FEMALE = frozenset("""wife mother daughter sister girlfriend actress queen princess duchess mrs ms miss
    grandmother aunt niece widow""".split())
_MALE = frozenset("""husband father son brother boyfriend king prince duke mr grandfather uncle nephew
    widower""".split())
_GENDERED = "|".join(sorted(_FEMALE | _MALE))
# words that do not qualify a noun before it ("the point that experts", "a few thousand teachers")
_NOT_MODIFIERS = STOPWORDS | frozenset("that which who whom whose few many several some most other thousand thousands "
                                       "hundred hundreds dozen dozens million millions".split())
# what a sentence may call a person it links a name to ("… is a woman", "… was one of the men")
_SEXED_FEMALE = frozenset("woman women girl girls lady".split())
_SEXED = "|".join(sorted(_SEXED_FEMALE | {"man", "men", "boy", "boys"}))

# Words a recogniser glues to the front of a name that are not part of it: a weekday or month from the
# sentence before ("Monday. Patrick Carlineo"), a country abbreviation ("U.S. Rep. Ilhan Omar").
CALENDAR_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split()) | frozenset(MONTH_NAMES)
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_OPENERS = frozenset("""and but or so because as while when if then also yet though although within without across
    during inside outside beyond among amid despite throughout upon onto into toward towards against along around
    behind below beneath beside between""".split())  # (a sentence's opening preposition: "Within Delhi")


def _name_words(words: list[str]) -> list[str]:
    """Name words without leading abbreviations ("U.S.", "D-Minn."), dates, sentence ends or a sentence's
    opening conjunction ("And Taylor Swift", "Because Google"), nor trailing punctuation ("Kim Kardashian -")."""
    while words and not any(ch.isalnum() for ch in words[-1]):
        words = words[:-1]
    while len(words) > 1:
        first = words[0].lower().rstrip(".,")
        if first in CALENDAR_WORDS or first in _OPENERS or words[0].count(".") >= 2 or (
                words[0].endswith(".") and len(first) > 1 and first not in TITLE_WORDS
                and first.capitalize() not in _TITLE_ABBREVIATIONS):
            words = words[1:]
        else:
            break
    return words


def clean_person_name(name: str) -> str:
    """A name without the abbreviations, dates, titles or role words a recogniser glued to its front
    ("U.S. Rep. Ilhan Omar", "House Speaker Brian Bosma" → "Ilhan Omar", "Brian Bosma")."""
    words = _name_words(name.split())
    # "Apple CEO Tim Cook", "Salesforce co-founder Marc Benioff": what follows the last title, when it is a name
    last = max((k for k, w in enumerate(words[:-2]) if w.lower().rstrip(".") in TITLE_WORDS), default=None)
    if last is not None and len(words) - last - 1 <= 3 and all(w[:1].isupper() for w in words[last + 1:]):
        words = words[last + 1:]
    while len(words) > 2 and (words[0].lower().rstrip(".") in TITLE_WORDS or words[0].lower() in _ROLE_WORDS):
        words = words[1:]
    return " ".join(words) or name


def person_key(name: str) -> str:
    """What two spellings of one person share: first name and surname, lowercased, without middle
    initials, suffixes or titles ("James P. Kennedy Jr." and "James Kennedy" → "james kennedy")."""
    words = [w.lower().strip(".,") for w in _name_words(name.split())]
    words = [w for w in words if w and w not in _SUFFIXES and w not in TITLE_WORDS]
    words = [w for k, w in enumerate(words) if not (0 < k < len(words) - 1 and len(w) <= 1)]
    if len(words) > 2:
        words = [words[0], words[-1]]
    return " ".join(words)


DEFINITE_ORGS = frozenset("""company firm group carrier manufacturer maker retailer bank agency organisation
    organization office ministry department regulator airline insurer publisher developer""".split())


_HONORIFICS = frozenset("dr mr mrs ms miss prof professor rev sir dame".split())
# titles of rank that people are known by with their name: "Queen Ingrid", "Prince Tomas", "Pope Linus"
STYLED = frozenset("king queen prince princess pope sheikh emir sultan emperor empress duke duchess".split())


def _clean_role(role: str) -> str:
    """'The neurologist' → 'neurologist'; a bare title ('Dr.', 'Rep.') is no role, nor an age ("Singh
    Jabarjung, 24, said")."""
    role = re.sub(r"^(the|a|an)\s+", "", role.strip(), flags=re.I)
    # an age is no part of a role: "the nearly 60-year-old younger brother of …" → "younger brother of …"
    role = re.sub(r"^(?:(?:nearly|almost|about|some)\s+)?\d{1,3}-year-old\s+(?=\w)", "", role, flags=re.I)
    # a role the parse cut short ("vice president, Sales at") does not end on a word that needs what follows
    role = re.sub(r"(?:[\s,]+(?:at|of|for|in|on|with|from|by|and|or|the|a|an))+$", "", role, flags=re.I)
    if re.fullmatch(r"\d{1,3}(?:-year-old)?", role):
        return ""
    # an honorific that ends the role belongs to the name after it ("Senior author Dr. Silvia Martins": "Senior
    # author"; "Interior Minister" is a role)
    words = role.split()
    while len(words) > 1 and words[-1].lower().rstrip(".") in _HONORIFICS:
        words.pop()
    role = " ".join(words)
    return "" if all(w.lower().rstrip(".") in TITLE_WORDS for w in role.split()) else role


_ROLE_WORDS = frozenset("house senate state federal deputy vice acting former chief executive".split())
# Common nouns for a body or for people by their role, in the singular (a plural is matched by its
# singular: "experts", "traders", "authorities", "witnesses"). General English, no domain's own words.
_BODY_NOUNS = frozenset("""court judge jury board committee council commission union company firm government
    administration ministry department agency regulator police military army navy prosecutor lawmaker legislator
    senator congress parliament senate house party opposition shareholder investor analyst economist scientist
    researcher expert doctor physician nurse teacher worker resident protester activist official leader critic
    supporter opponent employee voter farmer student parent lawyer attorney governor mayor president minister
    spokesman spokeswoman spokesperson chairman chairwoman ceo executive manager association federation society
    institute coalition alliance group charity foundation network lobby industry chamber authority utility
    airline manufacturer operator insurer bank club league team trader strategist aide adviser advisor reviewer
    commentator observer diplomat witness consumer customer user fan player coach owner professor academic
    scholar campaigner advocate sceptic skeptic banker broker founder director editor columnist
    organiser organizer attendee delegate negotiator envoy""".split())


def names_a_body(word: str) -> bool:
    """Whether a common noun names a body or people by their role ("protesters", "the council", "an expert")."""
    head = word.lower()
    return head in _BODY_NOUNS or singular(head) in _BODY_NOUNS


def _noun_actor(holder: Holder) -> Actor | None:
    """A common-noun holder counts when its head names a body or a group of people."""
    head = holder.text.split()[-1].lower()
    if not names_a_body(head):
        return None
    country = country_of(holder.role or holder.text)
    if country and head in ("officials", "government", "administration", "ministry", "ministries", "leaders",
                            "diplomats", "military", "army", "forces", "authorities"):
        return Actor(country, "country", country, holder.text)
    # (and a possessive pronoun, which the table cannot resolve: "his doctors" are "doctors")
    text = re.sub(r"^(?:(?:the|a|an|one|two|three|some|many|several|most|other|more|than|about|nearly|at|least|dozens?|"
                  r"hundreds?|thousands?|his|her|their|its|our|my|your|[\d,]+)\s+)+", "", holder.text, flags=re.I)
    return Actor(text, "group", country, holder.role)
