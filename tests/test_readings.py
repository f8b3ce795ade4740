"""Each lesson's sentences and country question, checked against values read by hand in data/."""

import pytest

from jlnlearn import countries, present, questions
from jlnlearn.lesson import Quiz


def test_out_of_pocket_reading_says_how_the_share_moved_and_where_it_ranks():
    # data/indicators.csv: THA oop_share_che_pct 34.1856 in 2000, 9.2116 in 2022
    text = present.out_of_pocket_reading("Thailand")
    assert text.startswith("Households in Thailand paid 9% of current health spending out of pocket in 2022, "
                           "25 points less than in 2000 (34%).")
    assert "of 14 upper middle income countries in the data" in text


def test_capitation_reading_by_hand():
    # 82.3211 US$ per person (GHED 2022) x 0.3 = 24.70; x 35,064,272 people (2025) = 866.0 million
    assert present.capitation_reading("Ghana", 0.3) == (
        "With 30% of its health spending for primary care, Ghana would have US$ 866.0 million a year: "
        "US$ 24.70 per person for 35,064,272 people (2025), from spending of US$ 82.32 per person in 2022.")


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
