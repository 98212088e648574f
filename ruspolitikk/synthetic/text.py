"""Norwegian-looking statement text, in bokmål and nynorsk, that exercises the search.

Two ingredients, both from the repository's own material:

- a word chain (order 2) trained on the real seed texts (``fixtures/sources/*.txt``): bokmål from
  every file but Senterungdommen's resolution, which is the nynorsk corpus. It gives sentences
  with the vocabulary, compounds and inflections of real party texts;
- one claim sentence per topical statement, built from a phrase per topic in both written forms
  (the seed topics' phrases contain their lexicon's stems; the extra topics carry their own
  lexicon), so search for a stem, a compound or the other written form finds them.
"""

import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

NYNORSK_SEEDS = {"senterungdommen-resolusjon-2020.txt"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MIN_SENTENCE = 40

# Per seed topic: (bokmål phrases, nynorsk phrases). Each phrase matches its topic's lexicon.
SEED_TOPIC_PHRASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "avkriminalisering": (
        (
            "avkriminalisering av brukerdoser",
            "en rusreform med hjelp i stedet for straff",
            "straffrihet for besittelse av små mengder",
        ),
        (
            "avkriminalisering av brukardosar",
            "ei rusreform med hjelp i staden for straff",
            "straffridom for besittelse av små mengder",
        ),
    ),
    "lar": (
        (
            "legemiddelassistert rehabilitering (LAR)",
            "et LAR-tilbud med metadon for flere",
            "legemiddelassistert behandling uten lange ventelister",
        ),
        (
            "legemiddelassistert rehabilitering (LAR)",
            "eit LAR-tilbod med metadon for fleire",
            "legemiddelassistert rehabilitering utan lange ventelister",
        ),
    ),
    "har": (
        (
            "heroinassistert behandling (HAR) i flere byer",
            "heroinassistert behandling for de tyngst avhengige",
        ),
        (
            "heroinassistert behandling (HAR) i fleire byar",
            "heroinassistert behandling for dei tyngst avhengige",
        ),
    ),
    "sproyterom": (
        ("sprøyterom i flere kommuner", "brukerrom med helsepersonell til stede"),
        ("sprøyterom i fleire kommunar", "brukarrom med helsepersonell til stades"),
    ),
    "forebygging": (
        (
            "forebyggende arbeid i skolen",
            "rusfrie møteplasser for ungdom",
            "folkehelsearbeid som forebygger rusbruk",
        ),
        (
            "førebyggjande arbeid i skulen",
            "rusfrie møteplasser for ungdom",
            "folkehelsearbeid som førebyggjer rusbruk",
        ),
    ),
    "skadereduksjon": (
        ("skadereduksjon for alle som bruker rusmidler", "lavterskeltilbud som reduserer skadevirkninger"),
        ("skadereduksjon for alle som bruker rusmiddel", "skadereduserande lågterskeltilbod"),
    ),
    "behandling": (
        (
            "behandling og ettervern uten ventetid",
            "et botilbud og rusomsorg i hver kommune",
            "avrusning og rehabilitering nær hjemmet",
        ),
        (
            "behandling og ettervern utan ventetid",
            "ein bustad og rusomsorg i kvar kommune",
            "avrusing og rehabilitering nær heimen",
        ),
    ),
    "regulert-salg": (
        ("legalisering av cannabis", "regulert omsetning gjennom statlige utsalgssteder"),
        ("legalisering av cannabis", "regulert omsetning gjennom statlege utsalsstader"),
    ),
    "tvang": (
        ("tvang i behandlingen når livet står på spill", "frivillig behandling som hovedregel"),
        ("tvang i behandlinga når livet står på spel", "frivillig behandling som hovudregel"),
    ),
    "overdose": (
        ("nalokson-nesespray mot overdose i alle kommuner", "en nullvisjon for overdosedødsfall"),
        ("nalokson-nasespray mot overdose i alle kommunar", "ein nullvisjon for overdosedødsfall"),
    ),
    "ungdom": (
        ("oppfølging av ungdom uten rulleblad", "ruskontrakt for mindreårige som blir tatt"),
        ("oppfølging av ungdom utan rulleblad", "ruskontrakt for mindreårige som blir tekne"),
    ),
    "politi": (
        ("et politi som prioriterer selgere framfor brukere", "politiets innsats mot omsetning"),
        ("eit politi som prioriterer seljarar framfor brukarar", "politiet sin innsats mot omsetnad"),
    ),
    "fengsel": (
        ("rusmestring i hvert fengsel", "behandling etter soning for innsatte"),
        ("rusmeistring i alle fengsel", "behandling etter soning for innsette"),
    ),
    "bolig": (
        ("Housing First og en egen bolig for rusavhengige", "et trygt botilbud etter behandling"),
        ("Housing First og ein eigen bustad for rusavhengige", "ein trygg bustad etter behandling"),
    ),
}

# Topics beyond the real ones: (slug, name, bokmål phrase, nynorsk phrase, lexicon lines).
EXTRA_TOPICS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "alkohol",
        "Alkoholpolitikk",
        "en streng alkoholpolitikk med Vinmonopolet",
        "ein streng alkoholpolitikk med Vinmonopolet",
        "alkohol\nvinmonopol",
    ),
    (
        "parorende",
        "Pårørende",
        "støtte til pårørende og barn av rusavhengige",
        "støtte til pårørande og born av rusavhengige",
        "pårørende\npårørande",
    ),
    (
        "cannabis-medisin",
        "Cannabis som medisin",
        "medisinsk cannabis på resept",
        "medisinsk cannabis på resept",
        "medisinsk cannabis\nresept",
    ),
    (
        "arbeid",
        "Arbeid og aktivitet",
        "arbeidstiltak og aktivitet for rusavhengige",
        "arbeidstiltak og aktivitet for rusavhengige",
        "arbeidstiltak\naktivitet",
    ),
    (
        "psykisk-helse",
        "Psykisk helse",
        "samtidig hjelp for rus og psykiske lidelser",
        "samtidig hjelp for rus og psykiske lidingar",
        "psykisk\npsykiske",
    ),
    (
        "gambling",
        "Pengespill",
        "strengere regler for pengespill",
        "strengare reglar for pengespel",
        "pengespill\npengespel",
    ),
    (
        "tobakk",
        "Tobakk og snus",
        "en tobakksfri generasjon",
        "ein tobakksfri generasjon",
        "tobakk\nsnus\nrøyk",
    ),
    (
        "brukermedvirkning",
        "Brukermedvirkning",
        "brukermedvirkning i alle rustjenester",
        "brukarmedverknad i alle rustenester",
        "brukermedvirk\nbrukarmedverk",
    ),
    (
        "kommunal-helse",
        "Kommunale helsetjenester",
        "en kommunal helsetjeneste med nok ressurser",
        "ei kommunal helseteneste med nok ressursar",
        "helsetjeneste\nhelseteneste",
    ),
    (
        "testing",
        "Rusmiddeltesting",
        "anonym testing av rusmidler på festivaler",
        "anonym testing av rusmiddel på festivalar",
        "testing\ntesting av rusmid",
    ),
    (
        "naloksonspray",
        "Nalokson på apoteket",
        "gratis naloksonspray på apotek",
        "gratis naloksonspray på apotek",
        "naloksonspray\napotek",
    ),
    (
        "rusfri-skole",
        "Rusfri skole",
        "en rusfri skolehverdag",
        "ein rusfri skulekvardag",
        "skolehverdag\nskulekvardag",
    ),
    (
        "dopingkontroll",
        "Doping",
        "kamp mot doping i treningssentre",
        "kamp mot doping i treningssenter",
        "doping",
    ),
    (
        "narkotikaprogram",
        "Narkotikaprogram med domstolskontroll",
        "narkotikaprogram med domstolskontroll i hele landet",
        "narkotikaprogram med domstolskontroll i heile landet",
        "narkotikaprogram\ndomstolskontroll",
    ),
    (
        "utekontakt",
        "Utekontakter",
        "flere utekontakter og oppsøkende tjenester",
        "fleire utekontaktar og oppsøkjande tenester",
        "utekontakt\noppsøk",
    ),
    (
        "forskning",
        "Forskning og kunnskap",
        "mer forskning på rusfeltet",
        "meir forsking på rusfeltet",
        "forskning\nforsking",
    ),
    (
        "grensekontroll",
        "Toll og grensekontroll",
        "sterkere tollkontroll mot narkotikasmugling",
        "sterkare tollkontroll mot narkotikasmugling",
        "tollkontroll\nsmugling",
    ),
)

# Claim sentences by stance value: (bokmål, nynorsk); {who} and {phrase} are filled in.
CLAIMS = {
    "for": (
        ("{who} vil innføre {phrase}.", "{who} går inn for {phrase}.", "{who} vil styrke {phrase}."),
        ("{who} vil innføre {phrase}.", "{who} går inn for {phrase}.", "{who} vil styrkje {phrase}."),
    ),
    "partly": (
        (
            "{who} vil utrede {phrase} for noen grupper.",
            "{who} er åpne for {phrase}, men bare under klare vilkår.",
        ),
        (
            "{who} vil greie ut {phrase} for nokre grupper.",
            "{who} er opne for {phrase}, men berre under klare vilkår.",
        ),
    ),
    "against": (
        ("{who} sier nei til {phrase}.", "{who} går imot {phrase}."),
        ("{who} seier nei til {phrase}.", "{who} går imot {phrase}."),
    ),
}
SUMMARIES = {
    "for": "{who} er for {phrase}.",
    "partly": "{who} er delvis for {phrase}, med vilkår.",
    "against": "{who} er mot {phrase}.",
    "none": "Tekstene til {who} sier ingenting om dette.",
}
HEADINGS = (
    ("Rus og psykisk helse", "Ruspolitikk", "Et samfunn med mindre rus", "Helse og omsorg"),
    ("Rus og psykisk helse", "Ruspolitikk", "Eit samfunn med mindre rus", "Helse og omsorg"),
)


@dataclass(frozen=True)
class SyntheticTopic:
    slug: str
    name: str
    short_name: str
    question: str
    explainer: str
    lexicon: str
    phrases: tuple[tuple[str, ...], tuple[str, ...]]  # (bokmål, nynorsk)

    @property
    def patterns(self) -> list[str]:
        return [line.strip() for line in self.lexicon.splitlines() if line.strip()]


def topics(count: int) -> list[SyntheticTopic]:
    """The real seed topics (fixtures/topics.toml) first, then extra drug-policy topics."""
    from positions.pipeline.topics import load_topics

    result = [
        SyntheticTopic(
            t.slug, t.name, t.short_name, t.question, t.explainer, t.lexicon, SEED_TOPIC_PHRASES[t.slug]
        )
        for t in load_topics(Path(settings.BASE_DIR) / "fixtures" / "topics.toml")
    ]
    for slug, name, nb, nn, lexicon in EXTRA_TOPICS:
        result.append(
            SyntheticTopic(
                slug=slug,
                name=name,
                short_name=name[:30],
                question=f"Bør partiet gå inn for {nb}?",
                explainer=f"Syntetisk tema til ytelsestester: {name.lower()}. Teksten er laget av en maskin.",
                lexicon=lexicon,
                phrases=((nb,), (nn,)),
            )
        )
    if count > len(result):
        raise ValueError(f"at most {len(result)} topics, not {count}")
    return result[:count]


def _sentences(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) >= _MIN_SENTENCE]
    return [s for line in lines for s in _SENTENCE_END.split(line) if len(s) >= _MIN_SENTENCE]


@cache
def _chains() -> dict[str, tuple[dict, tuple]]:
    """Per language, an order-2 word chain over the seed sentences and its sentence openings."""
    corpora: dict[str, list[str]] = {"nb": [], "nn": []}
    for path in sorted((Path(settings.BASE_DIR) / "fixtures" / "sources").glob("*.txt")):
        language = "nn" if path.name in NYNORSK_SEEDS else "nb"
        corpora[language].extend(_sentences(path.read_text(encoding="utf-8")))
    chains = {}
    for language, sentences in corpora.items():
        chain: dict[tuple[str, str], list[str]] = {}
        starts = []
        for sentence in sentences:
            words = sentence.split()
            if len(words) < 3:
                continue
            starts.append((words[0], words[1]))
            for a, b, c in zip(words, words[1:], words[2:] + [None], strict=False):
                chain.setdefault((a, b), []).append(c)
        chains[language] = (chain, tuple(starts))
    return chains


def seed_sentence(rng: random.Random, language: str, max_words: int = 40) -> str:
    """One sentence in the style of the seed texts of that language."""
    chain, starts = _chains()[language]
    a, b = rng.choice(starts)
    words = [a, b]
    while len(words) < max_words:
        following = chain.get((a, b))
        if not following:
            break
        c = rng.choice(following)
        if c is None:
            break
        words.append(c)
        a, b = b, c
    sentence = " ".join(words)
    return sentence if sentence[-1] in ".!?" else sentence + "."


def claim(rng: random.Random, language: str, value: str, who: str, topic: SyntheticTopic) -> str:
    index = 1 if language == "nn" else 0
    template = rng.choice(CLAIMS[value][index])
    return template.format(who=who, phrase=rng.choice(topic.phrases[index]))


def summary(value: str, who: str, topic: SyntheticTopic) -> str:
    return SUMMARIES[value].format(who=who, phrase=topic.phrases[0][0])[:300]


def heading(rng: random.Random, language: str) -> str:
    return rng.choice(HEADINGS[1 if language == "nn" else 0])
