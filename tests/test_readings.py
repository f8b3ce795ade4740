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
    # in cedis at the World Bank's 2022 rate, 8.2724 GHS per US$: 6,772.3 million, 204.30 and 680.99
    assert present.capitation_reading("Ghana", 0.3) == (
        "With 30% of its health spending for primary care, Ghana would have US$ 818.7 million (GHS 6,772.3 million) "
        "a year: US$ 24.70 (GHS 204.30) per person for 33,149,152 people (2022), from spending of US$ 82.32 "
        "(GHS 680.99) per person in 2022.")
    assert present.budget_table("Ghana", 0.3).set_index("item").loc["Exchange rate"].tolist() == [
        "GHS 8.27 per US$", "World Bank, 2022"]


def test_a_documented_capitation_rate_is_set_beside_the_computed_one():
    # Konsulta: PHP 1,700 (2024) / 57.2907 PHP per US$ (2024) = US$ 29.67; the Philippines' 2022 spending,
    # US$ 182.93 per person x 30% = US$ 54.88 of PHC spending per person; 29.67 / 54.88 = 54%
    reading = present.capitation_reading("Philippines", 0.3)
    assert reading.endswith(
        "\n\nDocumented beside it: PhilHealth Konsulta, Capitation for the Konsulta primary care package (raised in "
        "March 2024): PHP 1,700 per patient seen per year (2024), US$ 29.67 at that year's exchange rate, 54% of the "
        "primary care spending per person computed above (US$ 54.88, 2022).")
    assert "Documented beside it" not in present.capitation_reading("Zambia", 0.3)  # no rate documented


def test_the_risk_facility_is_the_countrys_own_or_said_to_be_illustrative():
    # Ghana at WHO's 65.0892%: 0.650892 x 82.3211 = US$ 53.58 per person a year; 3 visits: US$ 17.86 a visit
    ghana = phc.example_facility("Ghana", phc.chosen_share("Ghana", None), 3.0)
    assert (ghana.basis, round(ghana.capitation_rate, 2), round(ghana.cost_per_visit, 2)) == ("country", 53.58, 17.86)
    assert present.facility_reading("Ghana", ghana) == (
        "The example facility has 10,000 enrolled people and Ghana's flat rate from above, US$ 53.58 (GHS 443.25) "
        "per person a year (2022). At 3.0 visits per person a year (an assumption), a visit costs it US$ 17.86 "
        "(GHS 147.75).")
    # two countries, two facilities: the rates follow each country's spending
    assert phc.example_facility("Senegal", 0.3, 3.0).capitation_rate != ghana.capitation_rate
    # Kosovo has no health spending in the data: the facility is illustrative, and the page says so
    kosovo = phc.example_facility("Kosovo", 0.3, 3.0)
    assert (kosovo.basis, kosovo.capitation_rate) == ("illustrative", 12.0)
    assert present.facility_reading("Kosovo", kosovo).startswith(
        "The data lack Kosovo's health spending, so this is an illustrative facility, not one scaled to Kosovo")


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
    notice = present.gaps_notice("Tunisia", ["payment mechanisms", "network events", "reforms"])
    assert notice.text.startswith("Not documented for Tunisia in the sources this collection uses: "
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
    assert questions.primary_care_question("Tunisia") is None  # no source says how Tunisia pays primary care
    assert questions.primary_care_question("Morocco").is_correct("fee-for-service")  # CNSS, per act
    assert questions.measures_question("Ghana") is None
