"""Number look-alikes and changes found on ECTSum bullets and ETPC pairs: figure by figure,
and in the verdict on whole sentences (split from test_numbers.py)."""

from __future__ import annotations

import pytest

from crosscheck.match.numbers import consistent, quantities, unmatched

from test_numbers import one




# -- look-alikes and changes found on ECTSum and ETPC ------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("range from about $0.05 to about $0.20", "about $0.05 to $0.20"),  # one range either way
        ("$2.67 billion to $2.70 billion", "$2.7 billion"),  # a figure inside the range
        ("0.44 percent", "0.4%"),  # rates are reported rounded
        ("fell 6.6 percent", "decreased 7%"),
        ("about 100", "95"),  # a round figure with "about" allows a tenth either side
        ("over $1 billion", "$1.04 billion"),
        ("a dozen", "12"),
    ],
)
def test_more_look_alikes_agree(a, b):
    assert consistent(one(a), one(b)), (a, b)
    assert consistent(one(b), one(a)), (b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        ("$0.03 to $3.06", "$3.00 to $3.06"),  # overlapping ranges whose low ends differ
        ("about $5,247", "$4,794"),  # a precise figure after "about" is not 10% wide
        ("1.6%", "2%"),  # rounding a rate only so far
        ("rose 5%", "rose 7%"),
    ],
)
def test_more_changes_disagree(a, b):
    assert not consistent(one(a), one(b)), (a, b)
    assert not consistent(one(b), one(a)), (b, a)


def test_a_change_and_the_level_reached_are_two_figures_not_a_range():
    assert [q.text for q in quantities("Altria shares fell $1.17 to $42.51 on Monday")] == ["$1.17", "$42.51"]
    assert [q.text for q in quantities("up 15 cents to $13.51")] == ["15 cents", "$13.51"]
    # Close ends after a change verb are still a guidance range.
    assert one("sees revenue up 19 to 20 percent").is_range
    changed, _, _ = unmatched(quantities("fell $1.17 to $42.51"), quantities("fell $9.61 to $50.26"))
    assert len(changed) == 2


def test_abbreviated_month_with_its_dot_is_a_date():
    assert one("call members back Dec. 8 for a vote").kind == "date"
    assert one("the Nov. 5 issue").value == 1105.0
    # so a date never pairs with a count of something else
    changed, _, _ = unmatched(quantities("in the next two months"), quantities("back Dec. 8"))
    assert changed == ()


def test_the_quarter_of_a_figure_is_a_period_and_a_quarter_of_one_a_fraction():
    assert [q.kind for q in quantities("net sales in the quarter of $1.1 billion")] == ["money"]
    assert one("a quarter of the vote").kind == "fraction"


def test_a_count_with_a_thousands_separator_never_pairs_with_a_year():
    changed, only_a, only_b = unmatched(quantities("delivered 3,112 homes"), quantities("in 2021 it grew"))
    assert changed == () and [q.text for q in only_a] == ["3,112"] and [q.text for q in only_b] == ["2021"]
    assert consistent(one("sent 2000 troops"), one("2,000 troops"))  # a year-like count still agrees


def test_about_narrows_with_the_digits_shown():
    assert one("about 100").low == pytest.approx(90.0)
    wide = one("about $5,247")
    assert 5200 < wide.low < 5247 < wide.high < 5300


# -- the verdict on whole sentences: a look-alike is no change, a changed figure is one --------


def _types(a: str, b: str) -> dict:
    import crosscheck
    from crosscheck.config.settings import Settings

    settings = Settings().with_values({"match.semantic": "off"})
    return {d.type: d for d in crosscheck.score(a, b, settings, embedder=None).types}


@pytest.mark.parametrize(
    "a, b",
    [
        ("Earnings per share were $0.61 in the second quarter.", "Q2 earnings per share were $.61."),
        ("Full year '21 cash flow was $22.3 billion.", "Full year 2021 cash flow was $22.3 billion."),
        ("The dividend is $3.00 per share.", "The dividend is $3 per share."),
        ("A dozen stores opened.", "12 stores opened."),
        ("Revenue was over $1 billion.", "Revenue was $1.04 billion."),
        ("Earnings per share was $0.47 on approximately 194 million shares.", "Earnings per share was $0.47."),
    ],
)
def test_a_look_alike_figure_is_no_changed_number_and_no_claim_change(a, b):
    found = _types(a, b)
    assert "number_changed" not in found, found
    assert not {"claim_strengthened", "claim_weakened"} & set(found), found


def test_a_changed_rate_is_a_changed_number_citing_both():
    found = _types("Sales rose 5% in March.", "Sales rose 7% in March.")
    assert found["number_changed"].source_words == ("5%",) and found["number_changed"].rewrite_words == ("7%",)


def test_a_comparison_quarter_the_rewrite_leaves_out_is_no_changed_quarter():
    found = _types("Our earnings per share of $1.56 is up significantly from Q2's $0.21.",
                   "Q3 non-GAAP earnings per share $1.56.")
    assert "number_changed" not in found, found


def test_a_stock_move_changed_in_both_figures_is_a_changed_number():
    found = _types("Oracle shares fell 27 cents to $13.09.", "Oracle shares fell 15 cents to $13.51.")
    assert set(found["number_changed"].rewrite_words) == {"15 cents", "$13.51"}


def test_a_changed_date_in_its_place_is_a_changed_number():
    found = _types("On Jan. 10, the woman was found in her apartment.", "On Jan. 1, the woman was found in her apartment.")
    assert found["number_changed"].source_words == ("Jan. 10",)


def test_rates_far_apart_are_still_one_changed_rate():
    found = _types("The blaze was only 5 percent contained early Monday.", "The blaze is considered 95 percent contained.")
    assert found["number_changed"].rewrite_words == ("95 percent",)
    # amounts that far apart stay two details
    found = _types("There were 88 abortions last year.", "There were 11,844 abortions last year.")
    assert "number_changed" not in found


def test_a_season_across_two_years_is_one_year_not_a_year_and_a_count():
    # ETPC 62: "1974-75" was a year and a count of 75, which then paired with "24 years"
    assert [(q.text, q.kind, q.value) for q in quantities("in 1974-75 and the 2003-04 season")] == [
        ("1974-75", "year", 1974.0), ("2003-04", "year", 2003.0)]
    # two full years, or a second year that does not follow, stay two figures
    assert [q.text for q in quantities("from 2001-2002")] == ["2001", "2002"]
    assert [q.text for q in quantities("from 1990-95")] == ["1990", "95"]
    found = _types("The women had follow-up examinations after five, 12 and 24 years.",
                   "The women had follow-up examinations in 1974-75, 1980-81 and 1992-93.")
    assert "number_changed" not in found, found


def test_a_money_amount_and_a_plain_count_pair_only_where_they_stand():
    # ETPC 3278: a book's price is not Harry's age, anywhere in the sentence
    found = _types("Harry Potter and the Order of the Phoenix, by J.K. Rowling, 870 pages, $29.99.",
                   "In The Order of the Phoenix, Harry is 15, and fully a teenager at last.")
    assert "number_changed" not in found, found
    # in the same place, a price whose sign the rewrite leaves out is still a changed figure
    found = _types("The shares closed at $29.99.", "The shares closed at 25.")
    assert found["number_changed"].source_words == ("$29.99",)
    found = _types("Revenue rose to $2.5 billion.", "Revenue rose to 1.8 billion.")
    assert found["number_changed"].rewrite_words == ("1.8 billion",)


def test_a_hyphened_rising_pair_is_a_range_and_a_falling_one_a_ratio():
    # ETPC 1384: "people 18 to 24" against "people 18-to-64" is a changed age range
    assert [(q.low, q.high, q.is_range) for q in quantities("people 18-to-64")] == [(18.0, 64.0, True)]
    assert not consistent(one("people 18 to 24"), one("people 18-to-64"))
    # "a 4-to-3 ratio", "a 2-to-1 margin" compare two counts; they are no range
    assert [q.text for q in quantities("by a 4-to-3 ratio")] == ["4", "3"]


def test_a_figure_hyphened_to_a_noun_is_a_property_not_a_count():
    # ETPC 2364: the size of the House is not the government's majority
    assert [(q.text, q.measures) for q in quantities("in the 659-seat House")] == [("659", "seat")]
    found = _types("The government defeated the rebel motion by 297 votes to 117 in the 659-seat House of Commons.",
                   "It was defeated by 297 votes to 117, a Government majority of 180.")
    assert "number_changed" not in found, found
    # the same property changed is still a changed figure
    found = _types("The 30-year bond rose 1 point.", "The 10-year bond rose 1 point.")
    assert found["number_changed"].source_words == ("30",)


def test_a_length_converted_to_other_units_is_the_same_length():
    # ETPC 3682: "about 30 miles" is "about 48km"
    assert consistent(one("about 30 miles"), one("about 48km"))
    assert consistent(one("6 feet"), one("1.83 metres"))
    assert not consistent(one("30 miles"), one("50 km"))
    found = _types("The injured were taken to Columbia, a college town about 30 miles to the north.",
                   "The injured were taken to Columbia, about 48km north.")
    assert "number_changed" not in found, found
    # a length is never a bare count ("24 yards" against "67 interceptions")
    assert not consistent(one("24 yards"), one("24"))
