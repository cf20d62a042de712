"""The one settings section the verdict reads: every lexicon and constant behind a type.

Kept in its own module so that ``settings.py`` stays readable; ``Settings.verdict``
holds it and ``config.yaml`` documents it like every other section.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class VerdictSettings:
    verbatim_threshold: float = 0.93
    """Least word-level similarity (difflib ratio of folded words) for a link with no
    meaning change to be called verbatim."""

    faithful_threshold: float = 0.33
    """Least similarity for a link with no meaning change to count as a faithful
    paraphrase rather than a partial one."""

    partial_longer: float = 2.0
    """A rewrite with more than this many times the source's words carries more than
    the source: partial (when nothing moved)."""

    partial_share: float = 0.3
    """A rewrite of several source sentences that keeps less than this share of their
    content words carries only part of them: partial (when nothing moved)."""

    summary_ratio: float = 0.7
    """A rewrite of several source sentences in fewer sentences and under this share of
    their words is a ``summary``."""

    summary_ratio_single: float = 0.5
    """A rewrite under this share of its source's words is a ``summary`` however many
    sentences it has."""

    max_substitution_words: int = 4
    """Longest stretch (words, each side) read as words swapped in one place; longer
    changed stretches are rewritten clauses, where no name or number is paired."""

    clause_share: float = 0.5
    """A negation one side lacks flips the statement only when at least this share of
    the content words of its clause is kept: a negated clause the rewrite leaves out is
    a dropped detail, not a flip."""

    directions: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "up": ("up", "rise", "increase", "gain", "climb", "grow", "jump", "advance", "rally",
                   "surge", "soar", "higher", "raise", "add", "improve", "expand"),
            "down": ("down", "fall", "decrease", "lose", "drop", "decline", "shrink", "dip", "slip",
                     "sink", "slide", "ease", "shed", "lower", "cut", "retreat", "tumble", "plunge",
                     "worsen", "contract"),
        }
    )
    """Words (lemmas) of a quantity going up and of one going down: one of each class in
    one changed stretch says the rewrite reversed the movement (``negation_changed``)."""

    light_verbs: tuple[str, ...] = ("give", "take", "make", "get", "have", "do", "go", "come", "put", "set", "keep")
    """Verbs (lemmas) that carry little meaning of their own ("giving a yield of",
    "taking its yield to"): never read as antonyms of each other, nor as the verb a
    negative verb replaced."""

    max_name_substitution_words: int = 8
    """Longest changed stretch (words, each side) read word for word: synonyms and
    opposites are looked for only in stretches this short, and two names both at the
    passage's edge stand in one place only inside one."""

    name_anchor_gap: int = 2
    """Two names are in the same place when the nearest word kept on both sides before
    them (or after them) is at most this many other words away on each side."""

    name_variant_length: int = 5
    """Least letters of a one-word name for a one-letter variant of it ("Manzon",
    "Monzon") to be read as the same name spelled another way, not another name."""

    name_short_form_length: int = 3
    """Least letters of a name word that begins another name word in the other passage
    for the two to be one name cut short or derived ("Pat" / "Patricia", "Fiji" /
    "Fijian"), not two names. Cut short only for a person's name; derived only by one of
    ``name_derivation_suffixes`` ("India" / "Indiana", "Mali" / "Malaysia" are two places)."""

    name_derivation_suffixes: tuple[str, ...] = (
        "n", "an", "ian", "ean", "ese", "ish", "i", "ic", "ite", "er", "s", "es",
    )
    """Suffixes that derive a word from a name without naming something else: English
    demonyms and relational adjectives (Quirk et al., Appendix I.28-35: "Fijian",
    "Russian", "Chinese", "Polish", "Israeli", "Democratic", "Muscovite", "New Yorker")
    and the plural."""

    given_name_lexicon: str = "given_name_forms.txt"
    """Lexicon (``match/lexicons/``) of given names and their familiar forms ("Robert",
    "Bob"): the two are one name, never a swap."""

    place_part_hops: int = 3
    """A rewrite that names the place holding the source's ("China" -> "Asia", "Washington"
    -> "the US", a city for its country's government) says less, not something else: no
    ``entity_changed`` when WordNet's part-of links lead from the source's place to the
    rewrite's in at most this many steps. The other way ("the United States" -> "Nevada")
    narrows what the statement covers and is still a change."""

    seats_of_government: tuple[str, ...] = ("national_capital",)
    """WordNet kinds of a place named for the government that sits there ("Moscow will
    respond" for "Russia will respond"): such a place and the country holding it are one
    actor either way round."""

    currency_kinds: tuple[str, ...] = ("monetary_unit",)
    """WordNet nouns whose kinds are currencies: "the dollar" put for "the euro" changes
    what a statement is about as a name does, so a currency word not written with a
    figure (which the numbers module reads) swaps like a name, only for another currency."""

    currency_senses: int = 2
    """How many of a noun's commonest WordNet senses may make it a currency ("yen" is a
    yearning first, the Japanese unit second)."""

    place_prepositions: tuple[str, ...] = ("in", "on", "at")
    """Prepositions of place and time, which differ only with the size of the place or the
    stretch (Quirk et al. 1985, 9.15-9.17: "in Lakeside", "on Woodside Avenue", "at 3 p.m."):
    two names after two of them may stand in one place. Two names after two other,
    different prepositions ("against Lennox Lewis", "on HBO") play different parts and
    are never a swap."""

    reciprocal_verb_lexicon: str = "reciprocal_verbs.txt"
    """Lexicon (``match/lexicons/``) of verbs of a symmetric relation (meet, marry, merge):
    two names or nouns that trade places around a verb both passages keep ("The euro rose
    against the dollar" -> "The dollar rose against the euro") are ``entity_changed``
    unless the verb is one of these ("Merkel met Macron" is "Macron met Merkel")."""

    passive_auxiliaries: tuple[str, ...] = ("be", "get")
    """Lemmas of the auxiliaries of a passive: with one before the verb and "by" after it,
    the subject and object trade places without changing roles ("Russia attacked Ukraine"
    -> "Ukraine was attacked by Russia"), so only two passages in the same voice are read
    for a swap of roles."""

    title_kinds: tuple[str, ...] = ("person", "form_of_address")
    """WordNet nouns (first sense) whose kinds are titles, not names: a capitalised word
    the recognizer gives no name label that is a kind of person or a form of address
    ("Prime Minister", "Mr", "CEO") stands for whoever holds it and swaps no name."""

    head_reach: int = 3
    """Content words after a negation, qualifier or modal that count as what it
    modifies; the cue matters only when one of them is kept in the other passage."""

    detail_min_words: int = 2
    """Least content words of a stretch only one side has for it to be a
    ``detail_added`` / ``detail_dropped`` clause (a figure or a name is one word)."""

    use_wordnet: bool = True
    """Match synonyms and find antonyms with WordNet when it is installed."""

    antonym_senses: int = 2
    """Antonyms are looked for among this many of each word's commonest WordNet senses
    (0: all); rarer senses make nearly any two verbs opposites somewhere."""

    use_claim_model: bool = True
    """Compare the claim strength of the two passages (no claim / correlational /
    conditional causal / direct causal) with the claim classifier when installed."""

    negations: tuple[str, ...] = (
            "not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "nowhere",
            "n't", "cannot", "without", "no one", "by no means", "in no way",
        )
    """Words that negate what follows; one that only one side has, while the word it
    negates is kept, flips the statement: ``negation_changed``."""

    negative_verb_lexicon: str = "negative_verbs.txt"
    """Lexicon (``match/lexicons/``) of verbs that say "not" (deny, refuse, fail): put in
    the place of a verb that does not, they flip the statement (confirmed → denied)."""

    reporting_verbs: tuple[str, ...] = (
            "say", "tell", "state", "announce", "claim", "add", "note", "stress", "declare",
            "confirm", "write", "report", "explain", "insist", "warn", "according",
        )
    """Verbs (lemmas) that report speech: the words swapped just before one kept in both
    passages name who speaks, so their change is ``attribution_changed``; and a name right
    before one says who speaks, so it never swaps with a name that does not."""

    qualifiers: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "directness": ("direct", "directly", "immediate", "immediately"),
            "restriction": ("merely", "only", "solely", "exclusively", "purely", "nothing but",
                            "no more than", "simply"),
            "certainty": ("certainly", "definitely", "surely", "undoubtedly", "of course",
                          "inevitably", "clearly", "unquestionably"),
            "degree": ("almost", "nearly", "partly", "partially", "largely", "mainly", "mostly",
                       "somewhat", "slightly", "virtually", "practically"),
            "totality": ("at all", "entirely", "completely", "totally", "wholly", "absolutely", "utterly"),
            "frequency": ("always", "often", "sometimes", "rarely", "usually", "occasionally",
                          "constantly", "repeatedly"),
        }
    )
    """Words that narrow or strengthen a claim, in groups of near-equivalents ("only" and
    "nothing but" say the same). A group one side has and the other lacks, while the
    word it qualifies is kept, is ``qualifier_dropped`` / ``qualifier_added``. The
    totality group holds Quirk et al.'s maximizers ("absolutely artificial" is
    "completely artificial"); the certainty group their emphasizers. "at all" after a
    negation in its clause only stresses the negation ("no reason at all"): no qualifier."""

    hedge_lexicon: str = "hedges.txt"
    """Lexicon of hedges (Hyland's metadiscourse list); one dropped while the claim it
    softens is kept makes the claim stronger (``claim_strengthened``), one added weaker.
    Words of a qualifier group are read as qualifiers instead."""

    comparative_words: tuple[str, ...] = ("more", "less", "most", "least", "as", "equally")
    """Before "likely"/"unlikely" these make a comparison ("65% more likely to attempt"),
    which states a difference, not a doubt: such a "likely" is no hedge and no modal."""

    hedges: tuple[str, ...] = ("i believe", "we believe", "i think")
    """Hedges besides the lexicon's."""

    claim_cue_lexicon: str = "claim_cues.txt"
    """Lexicon of correlational ("is associated with") and causal ("lowers", "leads to")
    cue phrases: a correlational cue replaced by a causal one in its place is
    ``claim_strengthened``; the reverse, ``claim_weakened``."""

    modals: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "obligation": ("will have to", "would have to", "must", "have to", "has to",
                           "had to", "need to", "needs to", "should", "ought to",
                           "required to", "obliged to", "forced to"),
            "certainty": ("will", "shall", "wo", "is bound to", "are bound to"),
            "possibility": ("may", "might", "could", "can", "ca", "likely to", "would"),
            "attitude": ("would like", "would love", "would prefer", "would rather", "'d like", "'d rather",
                         "would expect", "would think", "would say", "would hope", "would imagine",
                         "would anticipate"),
        }
    )
    """Modal expressions grouped by what they assert; a rewrite that replaces one group
    with another is ``modality_changed`` (will evoke → will have to react). "would" is the
    hypothetical, which allows a claim without asserting it (reported speech aside, see
    ``reported_modals``); the tentative "would" of a wish or view ("would like to inform",
    "we would expect growth") is politeness (Quirk et al. 4.60) and modalises no claim."""

    claimless_modals: tuple[str, ...] = ("attitude",)
    """Modal groups that modalise no claim: listed so that their "would" is not read as
    the hypothetical, and compared with no other group ("we would expect" → "will be")."""

    reported_modals: dict[str, str] = field(default_factory=lambda: {"would": "certainty"})
    """Modals that indirect speech puts for another group's by backshifting the tense ("we
    will respond" → "he said Russia would respond"): outside quotation marks in a sentence
    with a reporting verb, such a modal is read as that group."""

    emphasizers: str = "certainty"
    """The qualifier group whose words stress a modal ("will certainly evoke"): dropped
    while the modal's group is kept ("will cause"), no qualifier changed; a reported
    modal (``reported_modals``) without such stress does not render a stressed one."""

    exclusives: str = "restriction"
    """The qualifier group of exclusive focus words ("only", "solely"): "only in Ukraine"
    says "nowhere else", so one put where the other passage has a negation it does not
    keep ("nowhere are Nazis glorified") renders that negation, no qualifier added."""

    negative_polarity_items: tuple[str, ...] = ("at all",)
    """Qualifiers that, after a negation in their clause, only stress it ("for no reason
    at all", "not at all clear"): negative-polarity items (Quirk et al.'s "non-assertive"
    forms), which qualify no word of the claim."""

    existential_verbs: tuple[str, ...] = ("find", "see", "meet", "encounter", "observe")
    """Verbs (lemmas) that, passive after "can" ("extremists can be found anywhere"), say
    that a thing exists (Leech's existential "can"): such a "can" hedges nothing."""

    weak_modals: tuple[str, ...] = ("possibility",)
    """Modal groups that only allow a claim: dropped with the claim kept, the claim is
    strengthened ("may lower" → "lowers"); added, weakened."""

    framing: tuple[str, ...] = (
            "point the finger", "pointed the finger", "points the finger", "took advantage",
            "takes advantage", "so-called", "slammed", "slams", "blasted", "blasts",
            "lashed out", "lashes out", "propaganda", "regime", "boasted", "boasts",
            "admitted", "admits", "denounced", "notorious", "infamous", "bizarre",
            "outrageous", "shocking", "baseless", "falsely", "ranted", "rants", "fumed",
            "bowed to", "caved", "backtracked", "backs down",
            "claimed without evidence", "doubled down", "tirade", "threatened",
        )
    """Editorial words and phrases; one the rewrite has and the source lacks is
    ``tone_or_framing_added``."""

    meaning_types: tuple[str, ...] = (
            "negation_changed", "number_changed", "entity_changed", "attribution_changed",
            "quote_altered", "qualifier_dropped", "qualifier_added", "modality_changed",
            "claim_strengthened", "claim_weakened",
        )
    """Types that say the meaning moved: any of them makes a link divergent. The others
    (framing, details, summary) describe a faithful or partial rendering."""

    type_weights: dict[str, float] = field(
        default_factory=lambda: {
            "negation_changed": 0.55, "number_changed": 0.45, "attribution_changed": 0.45,
            "qualifier_dropped": 0.4, "qualifier_added": 0.35, "modality_changed": 0.35,
            "claim_strengthened": 0.4, "claim_weakened": 0.3, "entity_changed": 0.3,
            "quote_altered": 0.3, "detail_added": 0.2, "tone_or_framing_added": 0.2,
            "detail_dropped": 0.1, "summary": 0.1,
        }
    )
    """How much each type moves a statement, for the 0..1 divergence score."""

    wording_weight: float = 0.35
    """Share of the divergence score that comes from dissimilar wording alone."""
