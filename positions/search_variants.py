"""Word lists for statement search: bokmål ↔ nynorsk variants, synonyms, suffixes and stop words.

Kept apart from ``positions.search`` so an editor can extend them without reading query code.
Everything here is lower-case. See ``positions.search`` for how each list is used.
"""

# Spelling differences inside words, bokmål first, nynorsk second. Applied in both directions
# anywhere in a query word, so compounds follow: "brukerdose" -> "brukardose",
# "helsetjeneste" -> "helseteneste", "boligtilbud" -> "bustadtilbod".
INFIXES: tuple[tuple[str, str], ...] = (
    ("forebygg", "førebygg"),
    ("bruker", "brukar"),
    ("tjenest", "tenest"),
    ("tilbud", "tilbod"),
    ("bolig", "bustad"),
    ("midler", "middel"),  # rusmidler / rusmiddel, legemidler / legemiddel
    ("behandl", "handsam"),
    ("sykehus", "sjukehus"),
    ("sykdom", "sjukdom"),
    ("skole", "skule"),
    ("hjem", "heim"),
    ("avrusning", "avrusing"),
    ("holdning", "haldning"),
    ("virkemid", "verkemid"),
    ("utenfor", "utanfor"),
    ("ungdomm", "ungdom"),  # ungdommen / ungdomen
    ("ighet", "igheit"),  # avhengighet / avhengigheit
)

# Differences at the end of a word only (a rule anywhere else would turn "bolig" into "boleg").
SUFFIXES_NB_NN: tuple[tuple[str, str], ...] = (
    ("elig", "eleg"),  # tilgjengelig / tilgjengeleg
    ("nlig", "nleg"),  # vanlig / vanleg
    ("tlig", "tleg"),  # tydelig / tydeleg
    ("het", "heit"),  # sikkerhet / sikkerheit
    ("heten", "heita"),
)

# Letters people type without when their keyboard has none: ø as o or oe, å as a or aa, æ as ae.
# A query word is widened to these spellings both ways ("sproyterom" and "sproeyterom" find
# "sprøyterom", and "sprøyterom" finds "sproeyterom"); see ``positions.search.spellings``.
FOLDED_LETTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ø", ("o", "oe")),
    ("å", ("a", "aa")),
    ("æ", ("ae",)),
)
# At most this many ASCII-to-letter spellings per query word (a word with many o's and a's would
# otherwise give 2ⁿ), fewest replacements first: the one-letter slip is the common one.
MAX_SPELLINGS = 8

# Acronyms and what they stand for. A query word counts as an acronym when it is written in
# capitals ("LAR") or is the whole query ("lar"): in running text "lar" and "har" are verbs.
ACRONYMS: dict[str, str] = {
    "lar": "legemiddelassistert",
    "har": "heroinassistert",
}

# Words that mean the same here, whole words.
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"sprøyterom", "brukerrom", "brukarrom", "injeksjonsrom", "inntaksrom", "konsumrom"}),
    frozenset({"salg", "sal"}),
    frozenset({"barn", "born"}),
    frozenset({"bedre", "betre"}),
    frozenset({"frihet", "fridom"}),
)

# Inflectional and common derivational endings of bokmål and nynorsk, longest first. A query
# word is cut at the longest one that leaves at least ``MIN_ROOT`` letters; the rest is
# matched as a prefix ("behandling" -> "behandl…" finds "behandlast", "behandles").
_ENDINGS_TEXT = """
    ingane ingene ingar inger ingen inga ing  elsen elser else  heita heiter heten heter heit het
    ende ande erte ert ere  ene ane ast est ar er en et es a e
"""
ENDINGS: tuple[str, ...] = tuple(
    sorted(set(_ENDINGS_TEXT.split()), key=lambda ending: (-len(ending), ending))
)
MIN_ROOT = 4

# PostgreSQL's Snowball stop-word list for the "norwegian" configuration
# (/usr/share/postgresql/15/tsearch_data/norwegian.stop), copied so the SQLite fallback drops
# the same words. "har" is on it, so the acronym HAR in a text is never indexed; a search for
# HAR finds "heroinassistert" instead.
_STOP_WORDS_TEXT = """
    og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men ett
    har om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor
    eller hva skal selv sjøl her alle vil bli ble blei blitt kunne inn når være kom noen noe ville
    dere deres kun ja etter ned skulle denne for deg si sine sitt mot å meget hvorfor dette disse
    uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom vår hver hvem vors hvis
    både bare enn fordi før mange også slik vært båe begge siden dykk dykkar dei deira deires
    deim di då eg ein eit eitt elles honom hjå ho hoe henne hennar hennes hoss hossen ingi inkje
    korleis korso kva kvar kvarhelst kven kvi kvifor me medan mi mine mykje no nokon noka nokor
    noko nokre sia sidan so somt somme um upp vere vore verte vort varte vart
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())
