"""Each lesson's sentences and country question, checked against values read by hand in data/."""

import pytest

from jlnlearn import countries, present, questions
from jlnlearn.lesson import Quiz
from jlnlearn.lessons import phc


def test_out_of_pocket_reading_says_how_the_share_moved_and_where_it_ranks():
    # data/indicators.csv: THA oop_share_che_pct 34.1856 in 2000, 9.2116 in 2022
    text = present.out_of_pocket_reading("Thailand")
    assert text.startswith("Households in Thailand paid 9% of current health spending out of pocket in 2022, "
                           "25 points less than in 2000 (34%).")
    assert "of 14 upper middle income countries in the data" in text


def test_capitation_reading_by_hand():
    # 82.3211 US$ per person (GHED 2022) x 0.3 = 24.70; x 33,149,152 people (World Bank, the same year 2022)
    # = 818.7 million
    assert present.capitation_reading("Ghana", 0.3) == (
        "With 30% of its health spending for primary care, Ghana would have US$ 818.7 million a year: "
        "US$ 24.70 per person for 33,149,152 people (2022), from spending of US$ 82.32 per person in 2022.")


def test_the_phc_share_starts_from_whos_figure_and_says_so():
    # ghed_phc_expenditure.csv, Ghana 2022: PHC 65.0892% of current health spending, US$ 53.58213 per person
    share = phc.chosen_share("Ghana", None)
    assert share == pytest.approx(0.650892)
    assert present.phc_share_reading("Ghana", share) == (
        "WHO puts primary health care at 65% of Ghana's current health spending in 2022 (US$ 53.58 per person). "
        "WHO counts first-contact care, prevention and part of medicines and administration, more than a "
        "capitation package pays for: read it as an upper bound.")
    assert present.budget_table("Ghana", share).set_index("item").loc["Share for primary health care"].tolist() == [
        "65%", "WHO GHED, 2022 (broad definition: an upper bound)"]
    # Zambia: WHO's only year is 2016 (78.52347%); the Philippines: none, so the lesson's 30%, said to be assumed
    assert phc.who_phc_share("Zambia").year == 2016 and phc.chosen_share("Zambia", None) == pytest.approx(0.7852347)
    assert phc.chosen_share("Philippines", None) == 0.3
    assert present.phc_share_reading("Philippines", 0.3) == (
        "WHO's spending data give no primary health care figure for the Philippines: this lesson assumes 30%, "
        "an assumption to discuss, not data.")
    assert present.phc_share_reading("Ghana", 0.4).endswith("The figures below use 40%, your own assumption.")


def test_readings_name_the_country_as_a_sentence_does():
    assert present.primary_care_reading("PHL") == (
        "The sources document how the Philippines pays for primary care: capitation (PhilHealth), as of 2024.")
    assert present.coverage_reading("PHL").startswith("The Philippines' UHC service coverage index was 58 in 2021")
    assert present.participation_reading("Laos") == "The sources record Lao PDR in 1 network event, in 2018: membership (1)."


def test_one_notice_names_everything_missing_and_none_shows_when_nothing_is():
    assert present.gaps_notice("Philippines", ["payment mechanisms", "payment rates", "reforms"]) is None
    notice = present.gaps_notice("Morocco", ["payment mechanisms", "network events", "reforms"])
    assert notice.text.startswith("Not documented for Morocco in the sources this collection uses: "
                                  "payment mechanisms and network events. That is a gap in the data")
    assert notice.text.endswith("If you know one, note it with its source and the source's own words: a "
                                "facilitator can add it for everyone.")  # what a reader can do, no code


def test_country_questions_have_answers_from_the_data():
    capitation = questions.capitation_question("Ghana", 0.3)
    assert capitation.number == pytest.approx(24.70) and capitation.is_correct(24.5)
    assert "Ghana's health spending" in capitation.question
    assert questions.out_of_pocket_question("Thailand").number == 9
    assert questions.measures_question("Kenya").number == 3  # data/covid_measures.csv: three KEN rows
    assert questions.primary_care_question("Thailand").is_correct("capitation")
    assert not questions.primary_care_question("Thailand").is_correct("fee-for-service")
    assert questions.steering_group_question("Mali").is_correct("no seat is documented")
    assert questions.steering_group_question("Kenya").is_correct("among its first country members (2013)")


def test_where_the_data_allow_a_question_is_about_the_country_and_names_it():
    asked = 0
    for subject in countries():
        for quiz in (questions.primary_care_question(subject), questions.capitation_question(subject, 0.3),
                     questions.measures_question(subject), questions.steering_group_question(subject),
                     questions.out_of_pocket_question(subject)):
            if quiz is None:
                continue
            assert isinstance(quiz, Quiz)
            assert subject.name in quiz.question, quiz.question
            asked += 1
    # a steering group question for every country; the rest wherever the data hold the fact
    assert asked > 3 * len(countries())
    assert questions.primary_care_question("Morocco") is None  # no source says how Morocco pays primary care
    assert questions.measures_question("Ghana") is None
