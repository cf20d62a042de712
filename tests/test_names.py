"""Names put in the place of other names (``entity_changed``), on real news sentences.

Most pairs come from ETPC (MRPC sentence pairs, ``../shared/dev/etpc_train.jsonl``),
shortened where the rest of the sentence is beside the point; each change sits next
to its harmless look-alike: a title for the name of whoever holds it, a name only one
side has, two names that merely stand side by side.
"""

from __future__ import annotations

import dataclasses

import pytest

import crosscheck
from crosscheck.config.settings import Settings
from crosscheck.match import resources

WORDS = dataclasses.replace(Settings(), match=dataclasses.replace(Settings().match, semantic="off"))


def entity_changes(a: str, b: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    s = crosscheck.score(a, b, WORDS, embedder=None)
    return [(d.source_words, d.rewrite_words) for d in s.types if d.type == "entity_changed"]


def needs_wordnet():
    return pytest.mark.skipif("wordnet" in resources.missing(), reason="needs WordNet")


# (source, rewrite, a name the type must cite from the source, one from the rewrite)
SWAPS = [
    # ETPC 2844: the two names stand in one place ("the ... 's"), though the aligner puts
    # them in different changed stretches
    ("Altria shares fell $1.17 to $42.51 and were the Dow's biggest percent loser.",
     "Its shares fell $1.17 to $42.51, ranking as the NYSE's most-active issue and its biggest percentage loser.",
     "Dow", "NYSE"),
    # ETPC 935: a town put for a street, after two prepositions of place ("in", "on")
    ("The man, who entered the post office in Lakeside shortly before 3 p.m., gave up to deputies about 6:30 p.m.",
     "The man had entered the post office on Woodside Avenue at Maine Avenue shortly before 3 p.m.", "Lakeside", "Woodside"),
    # an organisation put for another after a kept "the" that only the source's name span takes in
    ("The loan was approved by the World Bank on Friday.", "The loan was approved by the IMF on Friday.", "World", "IMF"),
    ("The agency will report to the World Health Organization on Friday.", "The agency will report to the IMF on Friday.",
     "Organization", "IMF"),
    # one speaker put for another
    ("The panel offers a maximum resolution of 1,440 by 900 pixels, Toshiba said.",
     "The panel offers a maximum resolution of 1,440 by 900 pixels, Apple said.", "Toshiba", "Apple"),
    # two given names, neither a familiar form of the other
    ("Robert Schindler said the family would appeal.", "William Schindler said the family would appeal.", "Robert", "William"),
    # two names, each given with its acronym
    ("The International Monetary Fund (IMF) approved the loan.", "The World Bank (WB) approved the loan.", "Monetary", "Bank"),
    # ETPC 2953: a date put for a date, whichever time label the recognizer gives each
    ("He was arrested Tuesday night at a northwest Atlanta tire shop after a national manhunt.",
     "He was arrested in Atlanta, Georgia, on Monday night by police acting on a tip-off.", "Tuesday", "Monday"),
    # ETPC 1462: "In New York, Vivendi" names two things; New York does not lengthen Vivendi
    ("Vivendi shares closed 1.9 percent at 15.80 euros in Paris.", "In New York, Vivendi shares closed 1.9 percent at 15.80 euros.",
     "Paris", "New"),
    # ETPC 3926: a person for a person, though the recognizer calls one an organisation
    ("Britz earned $3.77 million in salary and bonus.", "Johnston earned $3.77 million in salary and bonus.", "Britz", "Johnston"),
    # a title both keep, the holder changed
    ("Prime Minister Tony Blair met Mugabe in Abuja.", "Prime Minister Gordon Brown met Mugabe in Abuja.", "Blair", "Brown"),
    # names that begin alike are not one name cut short unless one begins the other
    ("The team flew to Austria on Monday.", "The team flew to Australia on Monday.", "Austria", "Australia"),
    ("Shares of Mitsubishi rose 2 percent.", "Shares of Mitsui rose 2 percent.", "Mitsubishi", "Mitsui"),
    ("The deal was signed by Patricia Anderson.", "The deal was signed by Pamela Anderson.", "Patricia", "Pamela"),
    # a statement about a country narrowed to one of its states covers less than it did
    ("In the United States, 20.7 percent of all women smoke.", "In Nevada, 20.7 percent of all women smoke.", "United", "Nevada"),
    # ETPC 978: one currency put for another, where no figure carries it
    ("Around 9:00 a.m. EDT, the euro was at $1.1566 against the dollar, up 0.07 percent on the day.",
     "Against the Swiss franc the dollar was at 1.3289 francs, up 0.5 percent on the day.", "euro", "franc"),
    ("The euro rose against the dollar on Monday.", "The euro rose against the yen on Monday.", "dollar", "yen"),
]

# (source, rewrite): no name was swapped
SAME = [
    # ETPC 712: a title for the name of whoever holds it
    ("Tony Blair has taken a hardline stance arguing nothing should be done to lessen the pressure on Mugabe.",
     "The Prime Minister has taken a hardline stance arguing nothing should be done to lessen the pressure on Mugabe."),
    # ETPC 2824: one title for another, and the first names left out, before a kept name
    ("Last week, Prime Minister Atal Bihari Vajpayee ended an 18-month chill in relations with Pakistan.",
     "Last week, Mr Vajpayee ended an 18-month chill in relations with Pakistan."),
    # ETPC 2615: a title written out and a first name added
    ("PowderJect is roughly 20 percent owned by CEO Drayson and his family.",
     "PowderJect is roughly 20 percent owned by Chief Executive Paul Drayson and his family."),
    # the same place moved to the other end of the sentence
    ("In Paris, Vivendi shares closed 1.9 percent at 15.80 euros.", "Vivendi shares closed 1.9 percent at 15.80 euros in Paris."),
    # a time of day added to a kept date
    ("The talks resumed in Geneva on Friday.", "The talks resumed in Geneva on Friday night."),
    # ETPC 3915, 3921, 463: a name cut short, a place and its adjective, two letters swapped
    ("Attorney Patricia Anderson, who represents the Schindlers, declined to comment on the case.",
     "Pat Anderson, the lawyer representing the Schindlers, declined to comment on the case."),
    ("The Fiji military installed an all-indigenous government led by Qarase.",
     "The Fijian military installed an all-indigenous government led by Qarase."),
    ("In November, former Chief Executive Jeffrey Barbakow said the company used aggressive pricing.",
     "In November, Jeffrey Brabakow, the chief executive at the time, said the company used aggressive pricing."),
    # ETPC 396, 2662, 2438: the place that holds the source's, or the one name of the
    # source's run the rewrite keeps, says less but nothing else
    ("SARS has killed about 800 people since being detected in China in November.",
     "SARS has killed about 800 people, mostly in Asia."),
    ("Washington, however, said more was needed to prevent complaints being filed in the first place.",
     "But the US insisted it wanted more done to prevent complaints being filed in the first place."),
    ("EMC will operate Legato as a software division of EMC headquartered in Mountain View, Calif.",
     "EMC will operate Legato as a software division of EMC from its base in California."),
    # a capital named for its country's government, either way round
    ("Russia will respond to the deployment.", "Moscow will respond to the deployment."),
    # a synonym of a currency, and currencies written with their figures (the numbers' to compare)
    ("The greenback rose against the yen.", "The dollar rose against the yen."),
    ("Vivendi shares closed at 15.80 euros in Paris.", "Vivendi shares closed at $18.29 in Paris."),
    # csto en/15: two names that merely end the passages ("post-Soviet space" / "said the
    # Russian president"), in a long rewritten stretch, stand in no one place
    ("Evidence was obtained that components of biological weapons were developed near our borders, which "
     "violates the Biological and Toxin Weapons Convention, and possible methods and mechanisms were worked out "
     "to destabilise the epidemiological situation in the post-Soviet space.",
     '"Evidence was obtained that components of biological weapons were created near our borders," '
     "said the Russian president."),
    # an organisation's acronym after a kept "the"
    ("The agency will report to the World Health Organization on Friday.", "The agency will report to the WHO on Friday."),
    # ETPC 1354: an acronym its own passage spells out ("Hardware Compatibility List (HCL)")
    ("Sun Microsystems Inc. on Thursday said it had added 100 new third-party systems and 100 new components to its "
     "Hardware Compatibility List for the Solaris x86 operating system Platform Edition.",
     "The vendor has added 100 new third-party systems and 100 new components to the operating system's "
     "Hardware Compatibility List (HCL)."),
    # ETPC 2971, 3237: a given name and its familiar form
    ("Bob Schindler: That's correct, and the strategy behind that is, we wanted to kind of smoke him out.",
     '"We wanted to kind of smoke him out," said Robert Schindler.'),
    ("Jim Eisenbrandt, Wittig's attorney, also was not available for comment immediately.",
     "James Eisenbrandt, Wittig's attorney, could not be reached for comment."),
    # ETPC 1926, 779: a name that says who speaks and one that says what is spoken of
    ("The Satellite's 17-inch panel offers a maximum resolution of 1,440 by 900 pixels, Toshiba said.",
     "The new P25-S507 sports a 17-inch display with a resolution of 1,440 pixels by 900 pixels the same as Apples PowerBook."),
    ("A woman was listed in good condition at Memorial's HealthPark campus, he said.",
     "His injured co-worker, a woman, was hospitalized as well but listed in good condition, Reichert said."),
    # ETPC 2314, 1726: names after two different prepositions play different parts (the
    # opponent and the broadcaster; the role and the show)
    ('Klitschko said: "I\'m excited to box in Los Angeles first and then against Lennox Lewis.',
     '"I am excited to be fighting in Los Angeles and on HBO," Klitschko said.'),
    ("Marissa Jaret Winokur, as Tracy, won for best actress in a musical.",
     'Newcomer Marissa Jaret Winokur in "Hairspray" bested Broadway veteran Bernadette Peters in "Gypsy" for best actress in a musical.'),
    # ETPC 2685: a lower-case word the recognizer took into a title's span is no name
    ('"This is not a scaled-down version of the Oracle Enterprise Edition or Standard Edition [database].',
     "The Standard Edition One is a single processor version of the Oracle Standard Edition Database."),
]


@needs_wordnet()  # the currency swaps read WordNet's monetary units
@pytest.mark.parametrize("source,rewrite,src_name,rw_name", SWAPS, ids=[c[2] + "-" + c[3] for c in SWAPS])
def test_a_name_put_for_another_is_an_entity_change_citing_both(source, rewrite, src_name, rw_name):
    found = entity_changes(source, rewrite)
    assert found, "entity_changed missing"
    assert any(src_name in a and rw_name in b for a, b in found), found


@needs_wordnet()
@pytest.mark.parametrize("source,rewrite", SAME, ids=[c[1][:40] for c in SAME])
def test_a_title_a_moved_name_or_an_added_time_is_no_entity_change(source, rewrite):
    assert entity_changes(source, rewrite) == []


@needs_wordnet()
def test_titles_are_kinds_of_person_or_forms_of_address_and_names_are_not():
    from crosscheck.match import wordnet

    kinds = ("person", "form_of_address")
    assert wordnet.is_a("prime minister", kinds) and wordnet.is_a("Mr", kinds) and wordnet.is_a("CEO", kinds)
    assert not wordnet.is_a("Blair", kinds) and not wordnet.is_a("Congress", kinds) and not wordnet.is_a("Tuesday", kinds)


@needs_wordnet()
def test_places_know_what_holds_them_and_capitals_are_seats_of_government():
    from crosscheck.match import wordnet

    assert wordnet.part_of("Moscow", "Russia") and wordnet.part_of("China", "Asia") and wordnet.part_of("Washington", "U.S.")
    assert not wordnet.part_of("Russia", "Moscow") and not wordnet.part_of("Geneva", "Vienna")
    assert wordnet.instance_of("Moscow", ("national_capital",)) and not wordnet.instance_of("Nevada", ("national_capital",))
    assert wordnet.is_a("euro", ("monetary_unit",)) and not wordnet.is_a("share", ("monetary_unit",))


# (source, rewrite, source words, rewrite words): two names or nouns trade places around a
# verb both keep; every word is kept, and the statement says the opposite
ROLE_SWAPS = [
    ("The euro rose against the dollar.", "The dollar rose against the euro.", ("euro", "dollar"), ("dollar", "euro")),
    ("The euro rose 0.4 percent against the dollar on Monday.", "On Monday, the dollar rose 0.4 percent against the euro.",
     ("euro", "dollar"), ("dollar", "euro")),
    ("Russia attacked Ukraine in February.", "Ukraine attacked Russia in February.", ("Russia", "Ukraine"), ("Ukraine", "Russia")),
    ("The bank bought the insurer for $2 billion.", "The insurer bought the bank for $2 billion.", ("bank", "insurer"), ("insurer", "bank")),
    # both passive: the agent is still the other one
    ("Ukraine was attacked by Russia in February.", "Russia was attacked by Ukraine in February.",
     ("Ukraine", "Russia"), ("Russia", "Ukraine")),
]

# (source, rewrite): the same names in another order, and the same statement
ROLE_SAME = [
    # two names side by side: no verb between them
    ("Sweden and Finland applied to join the alliance.", "Finland and Sweden applied to join the alliance."),
    # a symmetric relation (Levin's reciprocal verbs)
    ("Merkel met Macron in Paris.", "Macron met Merkel in Paris."),
    ("Exxon merged with Mobil in 1999.", "Mobil merged with Exxon in 1999."),
    # the passive: the same roles in the other order
    ("Russia attacked Ukraine in February.", "Ukraine was attacked by Russia in February."),
    ("The committee approved the plan on Friday.", "The plan was approved by the committee on Friday."),
    # a date moved to the front is no party to the verb
    ("The euro rose against the dollar on Monday.", "On Monday, the euro rose against the dollar."),
]


@pytest.mark.parametrize("source,rewrite,src_words,rw_words", ROLE_SWAPS, ids=[c[1][:40] for c in ROLE_SWAPS])
def test_two_names_trading_places_around_a_kept_verb_are_an_entity_change(source, rewrite, src_words, rw_words):
    assert entity_changes(source, rewrite) == [(src_words, rw_words)]
    assert crosscheck.score(source, rewrite, WORDS, embedder=None).relation == "divergent"


@pytest.mark.parametrize("source,rewrite", ROLE_SAME, ids=[c[1][:40] for c in ROLE_SAME])
def test_names_reordered_in_a_list_a_symmetric_relation_or_the_passive_are_no_entity_change(source, rewrite):
    assert entity_changes(source, rewrite) == []
