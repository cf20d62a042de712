"""The verdict on hand-written pairs: each kind of change next to its harmless look-alike.

A contradiction called a paraphrase is the worst thing crosscheck can tell an editor;
a flag on "q2" versus "second quarter" the next worst. Each case below is a plain
sentence and one rewrite of it, and says which type must fire (with the words it must
cite) or that the rewrite must come out faithful with no meaning type at all.
"""

from __future__ import annotations

import dataclasses

import pytest

import crosscheck
from crosscheck.config.settings import Settings
from crosscheck.config.verdict import VerdictSettings

WORDS = dataclasses.replace(Settings(), match=dataclasses.replace(Settings().match, semantic="off"))
MEANING = frozenset(VerdictSettings().meaning_types)


def verdict(a: str, b: str):
    return crosscheck.score(a, b, WORDS, embedder=None)


def needs(*resources: str):
    """Skip a case that needs a resource module this install lacks."""
    from crosscheck.match import resources as r

    absent = [name for name in resources if name in r.missing()]
    return pytest.mark.skipif(bool(absent), reason=f"needs {', '.join(absent)}")


# (source, rewrite, type that must fire, a word it must cite from the source or "", from the rewrite or "")
CHANGES = [
    # the hand-written pairs
    ("Sales grew by five percent last year.", "Sales shrank by five percent last year.", "negation_changed", "grew", "shrank"),
    ("The minister denied the report on Tuesday.", "The minister confirmed the report on Tuesday.", "negation_changed", "denied", "confirmed"),
    ("The protest in the capital was peaceful.", "The protest in the capital was violent.", "negation_changed", "peaceful", "violent"),
    ("The spokesman said the talks would resume.", "The president said the talks would resume.", "attribution_changed", "spokesman", "president"),
    ("Putin attended the summit in Minsk.", "Putin didn't attend the summit in Minsk.", "negation_changed", "", "n't"),
    # negation, added or dropped, and negative verbs
    ("The alliance does not intend to expand.", "The alliance does intend to expand.", "negation_changed", "not", ""),
    ("The company will never sell the plant.", "The company will sell the plant.", "negation_changed", "never", ""),
    ("The mayor agreed to meet the strikers.", "The mayor refused to meet the strikers.", "negation_changed", "agreed", "refused"),
    ("The board accepted the offer.", "The board rejected the offer.", "negation_changed", "accepted", "rejected"),
    ("Prices rose sharply in March.", "Prices fell sharply in March.", "negation_changed", "rose", "fell"),
    ("The team won the final on Sunday.", "The team lost the final on Sunday.", "negation_changed", "won", "lost"),
    ("Exports increased last quarter.", "Exports decreased last quarter.", "negation_changed", "increased", "decreased"),
    ("The witness remembered the car.", "The witness did not remember the car.", "negation_changed", "", "not"),
    # numbers in the same place
    ("The treaty was signed 30 years ago in Moscow.", "The treaty was signed 20 years ago in Moscow.", "number_changed", "30", "20"),
    ("Revenue rose to $2.5 billion.", "Revenue rose to $1.8 billion.", "number_changed", "2.5", "1.8"),
    ("Unemployment stood at 45 percent.", "Unemployment stood at 54 percent.", "number_changed", "45", "54"),
    ("The bank raised rates by 25 basis points.", "The bank raised rates by 50 basis points.", "number_changed", "25", "50"),
    ("Twelve soldiers were wounded in the attack.", "Fifteen soldiers were wounded in the attack.", "number_changed", "Twelve", "Fifteen"),
    # names put in the place of other names
    ("Merkel met Macron in Paris.", "Merkel met Johnson in Paris.", "entity_changed", "Macron", "Johnson"),
    ("The summit will be held in Geneva next month.", "The summit will be held in Vienna next month.", "entity_changed", "Geneva", "Vienna"),
    ("Toyota recalled two million cars.", "Honda recalled two million cars.", "entity_changed", "Toyota", "Honda"),
    # two places that begin alike are two places; only a derived form ("Fijian") or a
    # person's name cut short ("Pat") is the same name
    ("The plant will be built in India next year.", "The plant will be built in Indiana next year.", "entity_changed", "India", "Indiana"),
    # who speaks
    ("The prosecutor said the case was closed.", "The defendant said the case was closed.", "attribution_changed", "prosecutor", "defendant"),
    # qualifiers, the word they qualify kept
    ("There is no direct threat to Russia.", "There is no threat to Russia.", "qualifier_dropped", "direct", ""),
    ("They are merely providing medical assistance.", "They are providing medical assistance.", "qualifier_dropped", "merely", ""),
    ("The plan was approved by the council.", "The plan was only partly approved by the council.", "qualifier_added", "", "partly"),
    # modality and claim strength
    ("Moscow will respond to the deployment.", "Moscow may respond to the deployment.", "modality_changed", "will", "may"),
    ("The drug may reduce the pain of arthritis.", "The drug reduces the pain of arthritis.", "claim_strengthened", "may", ""),
    ("Coffee drinking is associated with a lower risk of diabetes.", "Coffee drinking lowers the risk of diabetes.", "claim_strengthened", "associated", "lowers"),
    ("The vaccine prevents severe illness.", "The vaccine might prevent severe illness.", "claim_weakened", "", "might"),
    ("The results suggest that the diet improves memory.", "The results show that the diet improves memory.", "claim_strengthened", "suggest", ""),
    # names and dates in the same place, by position
    ("The talks resumed in Geneva on Friday.", "The talks resumed in Geneva on Thursday.", "entity_changed", "Friday", "Thursday"),
    ("The Nasdaq Composite index rose 1 percent.", "The Standard & Poor's 500 index rose 1 percent.", "entity_changed", "Nasdaq", "Standard"),
    ("The caretaker was identified as Jorge Manzon.", "The caretaker was identified as Pedro Manzon.", "entity_changed", "Jorge", "Pedro"),
    ("Shares of Ford rose 3 percent in New York.", "Shares of Ford rose 3 percent in London.", "entity_changed", "New", "London"),
    # flips the negative verbs and directions show
    ("The officials declined to respond to the requests.", "The officials responded to the requests.", "negation_changed", "declined", ""),
    ("The index was up 2 percent on Monday.", "The index was down 2 percent on Monday.", "negation_changed", "up", "down"),
    ("In late morning trading, the Dow was up 13.88.", "In early trading, the Dow was down 39.94.", "negation_changed", "up", "down"),
    ("The Nasdaq inched down 1 point to 1,650.", "The Nasdaq inched up 3 points to 970.", "negation_changed", "down", "up"),
    ("The loonie continued to slip in early trading.", "The loonie continued to rise in early trading.", "negation_changed", "slip", "rise"),
    ("The senator supported the bill.", "The senator opposed the bill.", "negation_changed", "supported", "opposed"),
    # claim strength read whole: a cause told as a correlation outranks the hedge it drops
    ("High consumption of coffee may decrease the risk of MS.", "High consumption of coffee is linked to a lower risk of MS.", "claim_weakened", "decrease", "linked"),
    # "would" is the hypothetical: outside reported speech, or inside a quote, it is no "will"
    ("Moscow will respond to the deployment.", "Moscow would respond to the deployment.", "modality_changed", "will", "would"),
    ('"The expansion will certainly evoke a response," Putin said.', '"The expansion would certainly provoke a response," Putin said.', "modality_changed", "will", "would"),
    ("The expansion will certainly evoke a response on our part.", "“The expansion would certainly provoke a response,” Putin told the leaders.", "modality_changed", "will", "would"),
    # reported speech backshifts "will", but a stressed "will certainly" told as a bare "would" lost its certainty
    ("The expansion of military infrastructure will certainly evoke a response on our part.",
     "Putin said the expansion of military infrastructure would demand a response from Moscow.", "modality_changed", "will", "would"),
    ("The new rules would lower the price of bread.", "The new rules lower the price of bread.", "claim_strengthened", "would", ""),
    # an emphasizer inside the sentence still qualifies it; a negated question still negates
    ("The new plan is certainly legal, the lawyer said.", "The new plan is legal, the lawyer said.", "qualifier_dropped", "certainly", ""),
    ("Why did the minister sign the treaty?", "Why didn't the minister sign the treaty?", "negation_changed", "", "n't"),
    # an exclusive with no negation it renders narrows the claim; a "can" that is no existential hedges it
    ("The firm sells its products in Europe.", "The firm sells its products only in Europe.", "qualifier_added", "", "only"),
    ("Mild cases can be treated at home.", "Mild cases are treated at home.", "claim_strengthened", "can", ""),
    # a negation of something the rewrite leaves out says nothing about its exclusive
    ("The minister did not comment. The firm sells its products in Europe.",
     "The minister did not comment. The firm sells its products only in Europe.", "qualifier_added", "", "only"),
    ("The firm sells its products in Europe. The minister did not comment.",
     "The firm sells its products only in Europe.", "qualifier_added", "", "only"),
    # a headline's single curly quotes keep the speaker's tense, as double ones do
    ("The expansion will certainly evoke a response on our part.",
     "‘The expansion would certainly provoke a response,’ Putin told the leaders.", "modality_changed", "will", "would"),
]

# (source, rewrite): the same statement; faithful or verbatim, and no meaning type.
LOOK_ALIKES = [
    ("He did not sign the treaty.", "He didn't sign the treaty."),
    ("They cannot accept the terms.", "They can't accept the terms."),
    ("We will not give up.", "We won't give up."),
    ("They sent 3 ships to the coast.", "They sent three ships to the coast."),
    ("Revenue rose in q2.", "Revenue rose in the second quarter."),
    ("The shares cost $3.", "The shares cost $3.00."),
    ("Profit was $0.61 a share.", "Profit was $.61 a share."),
    ("Sales in '21 were strong.", "Sales in 2021 were strong."),
    ("The firm hired 12 engineers.", "The firm hired a dozen engineers."),
    ("Revenue was $1.04 billion.", "Revenue was over $1 billion."),
    ("The city has 1,500,000 residents.", "The city has 1.5 million residents."),
    ("Turnout was 30%.", "Turnout was 30 percent."),
    ("Prices rose sharply in March.", "Prices increased sharply in March."),
    ("The board accepted the offer.", "The board agreed to the offer."),
    ("The minister confirmed the report.", "The minister affirmed the report."),
    ("The big companies opposed the rule.", "The large companies opposed the rule."),
    ("Indeed, the company made a profit.", "Still, the company made a profit."),
    ("Conversely, the shares fell.", "Therefore, the shares fell."),
    ("Emmanuel Macron met Olaf Scholz in Paris.", "Macron met Scholz in Paris."),
    ("There is no direct threat to Russia.", "There is no immediate threat to Russia."),
    ("Its influence will only grow.", "Its influence will do nothing but grow."),
    ("The drug may reduce pain.", "The drug might reduce pain."),
    ("Coffee drinking is associated with lower risk.", "Coffee drinking is linked to lower risk."),
    ("There is no threat to Russia.", "There is not any threat to Russia."),
    ("The organisation plays a stabilising role.", "The organization plays a stabilizing role."),
    ("The spokesman said the talks would resume.", "The spokesman said that the talks would resume."),
    ("The council approved the budget on Monday.", "On Monday, the council approved the budget."),
    ("Nobody was hurt in the fire.", "No one was hurt in the fire."),
    ("He refused to comment.", "He declined to comment."),
    ("The government denied the claims.", "The government rejected the claims."),
    # the same name written another way
    ("A spokesman for the U.S. Attorney's Office declined to comment.", "A spokesman for the United States Attorney's Office declined to comment."),
    ("The appeal came as NATO prepared to take command.", "The appeal came as the North Atlantic Treaty Organisation prepared to take command."),
    ("The division is based in Mountain View, California.", "The division is based in Mountain View, Calif."),
    ("Muhammad is charged in the slaying of Dean Harold Meyers.", "Muhammad is charged in the slaying of Dean H. Meyers."),
    ("The hijackers were Francisco Lamas Carón and Luis Suarez.", "The hijackers were Francisco Lamas Caron and Luis Suarez."),
    ("A Nestle spokesman said the issue was resolved.", "A Nestlé spokesman said the issue was resolved."),
    ("The caretaker was identified as Jorge Manzon.", "The caretaker was identified as Jorge Monzon."),
    # a name that lengthens a kept one, or a first name added: a detail
    ("The victim was taken to Kings County Hospital, the police said.", "The victim was taken to Kings County Hospital Center, the police said."),
    ("Meester's case will proceed to a court-martial.", "Douglas Meester's case will proceed to a court-martial."),
    # negative verbs and negations that cancel, and movements that are no negative verbs
    ("The officials declined to respond to the requests.", "The officials did not respond to the requests."),
    ("Schools that fail to meet the goals must offer transfers.", "Schools that don't meet the goals must offer transfers."),
    ("The Nasdaq declined 25 points to 1,627.", "The Nasdaq eased 25 points to 1,627."),
    ("The note slipped in price, giving a yield of 3.16 percent.", "The note slipped in price, taking its yield to 3.16 percent."),
    # a negation in a clause the other side leaves out is a detail, not a flip
    ("Reilly said he was satisfied with the payment.", "Reilly said he was satisfied with the payment, though he did not like the delay."),
    # comparisons and approximations are no hedges; a modal of a dropped clause is no change
    ("Bereaved people are at higher risk of suicide.", "Bereaved people are 65% more likely to attempt suicide."),
    ("Palm will issue about 13.9 million shares.", "Palm will issue approximately 13.9 million shares."),
    ("The commission must work out the details, but customers would save $30 a year.", "Customers would save $30 a year."),
    ("The average customer would get a savings of about $30 a year.", "The average customer could see a savings of $30 a year."),
    # indirect speech backshifts the tense: "will" reported as "would" is the same claim
    ("Russia will respond to the expansion of the alliance.", "Putin said Russia would respond to the expansion of the alliance."),
    ('"It will certainly evoke a response," he said.', "He said it would certainly evoke a response."),
    ("The expansion will certainly evoke a response on our part.", "Putin told the leaders the expansion would certainly provoke a response."),
    ("Russia will respond to the expansion, Putin said.", "Russia would respond to the expansion, Putin told reporters."),
    # "certainly" dropped while the categorical "will" stays; a sentence-opening emphasizer
    ("The expansion will certainly provoke a response on our part.", "The expansion will provoke a response on our part."),
    ("Certainly what we know suggests that we should take the threat seriously.",
     "What we know suggests that we should take the threat seriously."),
    # "would like", "would expect": the polite "would" of a wish or view, not a tentative claim
    ("I would like to inform you that Russia has no problems with these states.", "Putin said Russia has no problems with these states."),
    ("For the full year, we would expect sales growth of about 6%.", "Sales growth of about 6% is expected for the full year."),
    ("In 2022, we would expect sales growth of approximately 6%.", "Sales growth in 2022 will be about 6%."),
    # "at all" after a negation stresses it; "absolutely" and "completely" are both maximizers
    ("Problems are being created from nothing.", "Problems are being created for no reason at all."),
    ("The problem is being created in an absolutely artificial manner.", "The problem is being created completely artificially."),
    # "only" says the "nowhere else" of the source; an existential "can" says "there are"
    ("We hear people say that extremists can be found anywhere, which is true. Nowhere, though, are Nazis being glorified "
     "at the state level, and nowhere are the authorities encouraging torchlight processions.",
     "There are extremists in every country, but it is only in Ukraine where Nazis are glorified at the state level."),
    ("Extremists can be found in every country.", "There are extremists in every country."),
    # a negated question that opens with its auxiliary asks for a yes
    ("Your mother died of breast cancer.", "Didn't your mother die of breast cancer?"),
]

IDENTICAL = [
    "The alliance does not intend to strengthen its military component.",
    "Prices fell 5% in q2, not the 3% analysts expected.",
    "Putin never said the war might end soon.",
]


@pytest.mark.parametrize("source,rewrite,kind,src_word,rw_word", CHANGES, ids=[c[1][:40] for c in CHANGES])
def test_a_change_is_named_cites_its_words_and_is_never_faithful(source, rewrite, kind, src_word, rw_word):
    s = verdict(source, rewrite)
    found = {d.type: d for d in s.types}
    assert kind in found, f"{kind} missing: {s.relation} {[(d.type, d.source_words, d.rewrite_words) for d in s.types]}"
    if src_word:
        assert any(src_word in w for w in found[kind].source_words), found[kind]
    if rw_word:
        assert any(rw_word in w for w in found[kind].rewrite_words), found[kind]
    assert s.relation == "divergent"


@pytest.mark.parametrize("source,rewrite", LOOK_ALIKES, ids=[c[1][:40] for c in LOOK_ALIKES])
def test_a_harmless_look_alike_is_faithful_with_no_meaning_type(source, rewrite):
    s = verdict(source, rewrite)
    moved = [(d.type, d.source_words, d.rewrite_words) for d in s.types if d.type in MEANING]
    assert not moved, moved
    assert s.relation in ("verbatim", "faithful_paraphrase")


@pytest.mark.parametrize("text", IDENTICAL)
def test_an_identical_sentence_is_verbatim_with_no_type(text):
    s = verdict(text, text)
    assert s.relation == "verbatim" and s.types == () and s.divergence == 0.0


def test_a_figure_only_the_rewrite_states_is_a_detail_not_a_changed_number():
    s = verdict("Quarterly revenue rose to $5 billion.", "Quarterly revenue rose to $5 billion and ARPU was $11.15.")
    kinds = {d.type: d for d in s.types}
    assert "number_changed" not in kinds
    assert "$11.15" in " ".join(kinds["detail_added"].rewrite_words)


def test_a_short_quote_cut_from_a_long_sentence_is_faithful_with_a_dropped_detail():
    s = verdict(
        "The minister said on Tuesday that the new bridge over the river would open in the spring after long delays.",
        "The new bridge over the river would open in the spring.",
    )
    assert s.relation == "faithful_paraphrase"
    assert "detail_dropped" in {d.type for d in s.types}


def test_a_name_only_one_side_has_is_a_detail_not_a_changed_entity():
    s = verdict("The talks resumed on Monday.", "The talks in Geneva resumed on Monday.")
    kinds = {d.type for d in s.types}
    assert "entity_changed" not in kinds and "detail_added" in kinds
    assert s.relation == "faithful_paraphrase"


def test_without_the_nlp_pipeline_the_verdict_still_works_and_says_what_is_missing():
    from crosscheck.report.comparison_text import mode_line
    from crosscheck.text import nlp

    nlp.use_fallback(True)
    try:
        assert nlp.missing() == "NLP pipeline missing: pip install 'crosscheck[nlp]'"
        s = verdict("The alliance does not intend to expand.", "The alliance does intend to expand.")
        assert s.relation == "divergent" and {d.type for d in s.types} == {"negation_changed"}
        assert verdict("He did not sign the treaty.", "He didn't sign the treaty.").relation == "verbatim"
        c = crosscheck.compare("The talks will resume in May.", "The talks will resume in May.", WORDS, embedder=None)
        assert "NLP pipeline missing: pip install 'crosscheck[nlp]'" in mode_line(c)
    finally:
        nlp.use_fallback(False)


COUNCIL = ("The regional council met on Monday in the old town hall to discuss the long delayed budget for the city "
           "schools, the new library and the harbour repairs. The mayor promised a public hearing.")


def test_a_rewrite_that_renders_one_linked_sentence_whole_is_faithful_not_partial():
    s = verdict(COUNCIL, "The mayor promised them a public hearing.")
    assert s.relation == "faithful_paraphrase", [(d.type, d.source_words, d.rewrite_words) for d in s.types]


def test_a_rewrite_that_keeps_a_little_of_each_linked_sentence_or_mixes_in_a_figure_is_partial():
    assert verdict(COUNCIL, "The council met on Monday; the mayor spoke.").relation == "partial"
    s = verdict(COUNCIL, "The mayor promised a public hearing with 300 residents.")
    assert s.relation == "partial" and "detail_added" in {d.type for d in s.types}
