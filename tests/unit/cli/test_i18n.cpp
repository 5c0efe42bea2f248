// The CLI's language from the environment (the gettext way, without depending on generated
// locales), positional substitution, and error texts in English exactly as before.
#include "i18n.h"

#include "ow/core/messages.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace ow::cli;

BOOST_AUTO_TEST_SUITE(cli_language)

BOOST_AUTO_TEST_CASE(nothing_set_c_and_posix_are_english) {
    BOOST_TEST(pick_language(nullptr, nullptr, nullptr, nullptr) == "en");
    BOOST_TEST(pick_language("", "", "", "") == "en");
    BOOST_TEST(pick_language(nullptr, nullptr, nullptr, "C") == "en");
    BOOST_TEST(pick_language(nullptr, nullptr, nullptr, "C.UTF-8") == "en");
    BOOST_TEST(pick_language(nullptr, "POSIX", nullptr, "zh_CN.UTF-8") == "en");
    BOOST_TEST(pick_language(nullptr, nullptr, nullptr, "en_GB.UTF-8") == "en");
    BOOST_TEST(pick_language(nullptr, nullptr, nullptr, "fr_FR.UTF-8") == "en");
    BOOST_TEST(pick_language(nullptr, nullptr, nullptr, "zhx_XX") == "en");
}

BOOST_AUTO_TEST_CASE(simplified_and_traditional) {
    for (const char* l : {"zh_CN.UTF-8", "zh_SG", "zh_Hans", "zh", "zh-Hans-CN", "zh_CN.GB18030", "zh_CN@pinyin"})
        BOOST_TEST(pick_language(nullptr, nullptr, nullptr, l) == "zh_CN", l);
    for (const char* l : {"zh_TW.UTF-8", "zh_HK", "zh_MO.UTF-8", "zh_Hant", "zh-Hant-TW", "zh_TW.Big5"})
        BOOST_TEST(pick_language(nullptr, nullptr, nullptr, l) == "zh_TW", l);
}

BOOST_AUTO_TEST_CASE(lc_all_then_lc_messages_then_lang) {
    BOOST_TEST(pick_language(nullptr, "zh_TW.UTF-8", "en_US.UTF-8", "zh_CN.UTF-8") == "zh_TW");
    BOOST_TEST(pick_language(nullptr, nullptr, "zh_HK.UTF-8", "C.UTF-8") == "zh_TW");
    BOOST_TEST(pick_language(nullptr, "", "", "zh_CN.UTF-8") == "zh_CN");
}

BOOST_AUTO_TEST_CASE(language_list_unless_the_locale_is_c) {
    BOOST_TEST(pick_language("zh_CN", nullptr, nullptr, "C.UTF-8") == "zh_CN");    // CI's locale
    BOOST_TEST(pick_language("zh_TW:zh_CN", nullptr, nullptr, "en_US.UTF-8") == "zh_TW");
    BOOST_TEST(pick_language("fr:de:zh_CN", nullptr, nullptr, "fr_FR.UTF-8") == "zh_CN");
    BOOST_TEST(pick_language("en:zh_CN", nullptr, nullptr, "zh_CN.UTF-8") == "en");
    BOOST_TEST(pick_language("fr", nullptr, nullptr, "zh_CN.UTF-8") == "en");  // as gettext: no fr catalogue
    // gettext ignores LANGUAGE in the C locale: `LC_ALL=C cmd` stays English.
    BOOST_TEST(pick_language("zh_CN", "C", nullptr, "zh_CN.UTF-8") == "en");
    BOOST_TEST(pick_language("zh_CN", nullptr, nullptr, nullptr) == "en");
    BOOST_TEST(pick_language("zh_CN", nullptr, "POSIX", nullptr) == "en");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_messages)

BOOST_AUTO_TEST_CASE(positional_substitution) {
    BOOST_TEST(subst("wrote %1 (%2 pages)", "a.pdf", std::to_string(3)) == "wrote a.pdf (3 pages)");
    BOOST_TEST(subst("%2 中没有办件 %1", std::string("ID"), "S") == "S 中没有办件 ID");  // reordered
    BOOST_TEST(subst("100%% %1 %3", "x", "y") == "100% x %3");                       // unknown stays
    BOOST_TEST(subst("%1%1", "ab") == "abab");
    BOOST_TEST(subst("trailing %", "x") == "trailing %");
}

BOOST_AUTO_TEST_CASE(english_is_untouched_before_and_without_init) {
    BOOST_TEST(language() == "en");
    const char* text = "refused: %1";
    BOOST_TEST(tr(text) == text);  // the same pointer: nothing looked up
    const ow::core::Error known("workflow.no_applicant", "the applicant is not identified yet (case applicant)");
    BOOST_TEST(error_text(known) == "the applicant is not identified yet (case applicant)");
    BOOST_TEST(coded_text(known) == "the applicant is not identified yet (case applicant) [workflow.no_applicant]");
}

BOOST_AUTO_TEST_CASE(one_table_of_codes) {
    BOOST_TEST(std::string(ow::core::outcome_message("workflow.materials_missing")) ==
               "Required materials are missing: the case cannot be accepted yet.");
    BOOST_TEST(ow::core::outcome_message("workflow.no_form") == ow::core::outcome_message("workflow.form_missing"));
    BOOST_TEST(ow::core::outcome_message("no.such.code") == nullptr);
    BOOST_TEST(ow::core::outcome_message("") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
