// The desk's settings: prefs before unlock in <store>/desk.json, settings inside the store, and
// the field checks shared with the first-run screen. Real stores in temporary folders.
#include <boost/test/unit_test.hpp>

#include "settings/desk_settings.h"

#include "fixture.h"

#include "ow/core/error.h"
#include "ow/store/repositories.h"

#include <sys/stat.h>

using namespace ow;
using namespace std::chrono_literals;
using app::Problem;
using test::StoreFixture;

namespace {
struct AdminStore : StoreFixture {
    AdminStore() {
        s->lock();
        std::filesystem::remove_all(dir);
        store::Store::init(dir, "admin", core::Role::admin, test::kPassword, test::fast_kdf());
        s = store::Store::open(dir, "admin", test::kPassword);
    }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(desk_prefs)

BOOST_FIXTURE_TEST_CASE(defaults_when_there_is_no_file, StoreFixture) {
    auto got = app::load_prefs(dir);
    BOOST_CHECK(got.problem.empty());
    BOOST_CHECK(got.prefs.language == app::Language::zh_CN);
    BOOST_CHECK(!got.prefs.large_font);
    BOOST_CHECK_EQUAL(got.prefs.last_user, "");
}

BOOST_FIXTURE_TEST_CASE(round_trip_owner_only, StoreFixture) {
    app::DeskPrefs p;
    p.language = app::Language::zh_TW;
    p.large_font = true;
    p.last_user = "clerk";
    app::save_prefs(dir, p);
    auto got = app::load_prefs(dir);
    BOOST_CHECK_EQUAL(got.problem, "");
    BOOST_CHECK(got.prefs.language == app::Language::zh_TW);
    BOOST_CHECK(got.prefs.large_font);
    BOOST_CHECK_EQUAL(got.prefs.last_user, "clerk");
    struct stat st{};
    BOOST_REQUIRE_EQUAL(::stat((dir / app::kPrefsFileName).c_str(), &st), 0);
    BOOST_CHECK_EQUAL(st.st_mode & 0777, 0600u);
    p.language = app::Language::en;  // replaced whole
    p.last_user = "";
    app::save_prefs(dir, p);
    got = app::load_prefs(dir);
    BOOST_CHECK(got.prefs.language == app::Language::en);
    BOOST_CHECK_EQUAL(got.prefs.last_user, "");
    // The file is what the lock screen reads before unlocking: nothing else of the store in it.
    auto text = test::read_file(dir / app::kPrefsFileName);
    BOOST_CHECK(text.find("\"format\": \"onewindow-desk\"") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_damaged_file_gives_the_defaults_and_a_reason, StoreFixture) {
    const auto file = dir / app::kPrefsFileName;
    for (const std::string& bad : {std::string("{not json"), std::string(""), std::string("[1,2]"),
                                  std::string(R"({"format":"something-else","language":"en"})"),
                                  std::string("\xff\xfe garbage")}) {
        test::write_file(file, bad);
        auto got = app::load_prefs(dir);
        BOOST_CHECK_MESSAGE(!got.problem.empty(), "no reason for: " << bad);
        BOOST_CHECK(got.prefs.language == app::Language::zh_CN);
        BOOST_CHECK_EQUAL(got.prefs.last_user, "");
    }
    // One bad field: that field's default, the others kept.
    test::write_file(file, R"({"format":"onewindow-desk","language":"fr","large_font":true,"last_user":"clerk"})");
    auto got = app::load_prefs(dir);
    BOOST_CHECK(got.problem.find("language") != std::string::npos);
    BOOST_CHECK(got.prefs.language == app::Language::zh_CN);
    BOOST_CHECK(got.prefs.large_font);
    BOOST_CHECK_EQUAL(got.prefs.last_user, "clerk");
    test::write_file(file, R"({"format":"onewindow-desk","large_font":"yes","last_user":"a b\n"})");
    got = app::load_prefs(dir);
    BOOST_CHECK(got.problem.find("large_font") != std::string::npos);
    BOOST_CHECK(got.problem.find("last_user") != std::string::npos);
    BOOST_CHECK(!got.prefs.large_font);
    BOOST_CHECK_EQUAL(got.prefs.last_user, "");
    test::write_file(file, R"({"format":"onewindow-desk","last_user":"wang fang"})");  // a name the CLI may make
    got = app::load_prefs(dir);
    BOOST_CHECK_EQUAL(got.problem, "");
    BOOST_CHECK_EQUAL(got.prefs.last_user, "wang fang");
    // Too big, a folder, a symbolic link: not read.
    test::write_file(file, std::string(70 * 1024, ' '));
    BOOST_CHECK(app::load_prefs(dir).problem.find("64 KiB") != std::string::npos);
    std::filesystem::remove(file);
    std::filesystem::create_directory(file);
    BOOST_CHECK(!app::load_prefs(dir).problem.empty());
    std::filesystem::remove(file);
    test::write_file(tmp.path / "elsewhere.json", R"({"format":"onewindow-desk","language":"en"})");
    std::filesystem::create_symlink(tmp.path / "elsewhere.json", file);
    got = app::load_prefs(dir);
    BOOST_CHECK(!got.problem.empty());
    BOOST_CHECK(got.prefs.language == app::Language::zh_CN);
    BOOST_CHECK_THROW(app::save_prefs(dir, {}), core::InvalidData);  // never written through a link
    BOOST_CHECK_EQUAL(test::read_file(tmp.path / "elsewhere.json"), R"({"format":"onewindow-desk","language":"en"})");
}

BOOST_FIXTURE_TEST_CASE(saving_needs_the_store_folder, StoreFixture) {
    BOOST_CHECK_THROW(app::save_prefs(tmp.path / "no such folder", {}), core::Error);
    BOOST_CHECK(!std::filesystem::exists(tmp.path / "no such folder"));
}

// Where notices print: the system's default printer on A4 until the settings say otherwise.
BOOST_FIXTURE_TEST_CASE(print_setup_follows_the_settings, StoreFixture) {
    BOOST_CHECK((app::print_setup(*s) == app::PrintSetup{"", "A4"}));
    store::SettingValues values(*s);
    values.set("print.paper", "A5");
    values.set("print.printer", "窗口3-HP");
    BOOST_CHECK((app::print_setup(*s) == app::PrintSetup{"窗口3-HP", "A5"}));
}

BOOST_AUTO_TEST_CASE(language_codes) {
    for (auto l : {app::Language::zh_CN, app::Language::zh_TW, app::Language::en})
        BOOST_CHECK(app::parse_language(app::to_code(l)) == l);
    BOOST_CHECK(!app::parse_language("zh_cn"));
    BOOST_CHECK(!app::parse_language(""));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(store_settings)

BOOST_FIXTURE_TEST_CASE(idle_lock_range, AdminStore) {
    BOOST_CHECK_EQUAL(app::idle_lock(*s).count(), 10);  // store::Settings' default
    for (std::chrono::minutes bad : {0min, -5min, 121min, std::chrono::minutes(24h)}) {
        BOOST_CHECK(app::set_idle_lock(*s, bad) == Problem::out_of_range);
        BOOST_CHECK_EQUAL(app::idle_lock(*s).count(), 10);  // refused: nothing written
    }
    BOOST_CHECK(app::set_idle_lock(*s, 1min) == Problem::none);
    BOOST_CHECK_EQUAL(app::idle_lock(*s).count(), 1);
    BOOST_CHECK(app::set_idle_lock(*s, 120min) == Problem::none);
    BOOST_CHECK_EQUAL(store::Settings(s->db()).idle_lock().count(), 7200);
    // Values the store allows but the desk does not offer are used clamped.
    store::Settings(s->db()).set_idle_lock(30s);
    BOOST_CHECK_EQUAL(app::idle_lock(*s).count(), 1);
    store::Settings(s->db()).set_idle_lock(90s);
    BOOST_CHECK_EQUAL(app::idle_lock(*s).count(), 2);
    store::Settings(s->db()).set_idle_lock(24h);
    BOOST_CHECK_EQUAL(app::idle_lock(*s).count(), 120);
}

BOOST_FIXTURE_TEST_CASE(window_label, AdminStore) {
    BOOST_CHECK_EQUAL(app::window_label(*s), "");
    BOOST_CHECK(app::set_window_label(*s, "  3号窗口 ") == Problem::none);
    BOOST_CHECK_EQUAL(app::window_label(*s), "3号窗口");
    s->lock();
    s = store::Store::open(dir, "admin", test::kPassword);
    BOOST_CHECK_EQUAL(app::window_label(*s), "3号窗口");  // kept in the store
    BOOST_CHECK(app::set_window_label(*s, "综合受理第十二号窗口（不动产登记专用窗口）") == Problem::too_long);  // 21 characters
    BOOST_CHECK(app::set_window_label(*s, "3号\n窗口") == Problem::control_character);
    BOOST_CHECK(app::set_window_label(*s, "\xe7\xaa") == Problem::control_character);  // cut UTF-8
    BOOST_CHECK_EQUAL(app::window_label(*s), "3号窗口");
    BOOST_CHECK(app::set_window_label(*s, "") == Problem::none);  // none: the header shows the terminal id
    BOOST_CHECK_EQUAL(app::window_label(*s), "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(field_checks)

BOOST_AUTO_TEST_CASE(passphrase_counts_characters_and_bytes) {
    BOOST_CHECK(app::check_passphrase("") == Problem::empty);
    BOOST_CHECK(app::check_passphrase("1234567") == Problem::too_short);
    BOOST_CHECK(app::check_passphrase("12345678") == Problem::none);
    BOOST_CHECK(app::check_passphrase("一二三四五六七") == Problem::too_short);  // 21 bytes, 7 characters
    BOOST_CHECK(app::check_passphrase("一二三四五六七八") == Problem::none);
    BOOST_CHECK(app::check_passphrase("pass\tword") == Problem::control_character);
    BOOST_CHECK(app::check_passphrase(std::string(1024, 'a')) == Problem::too_long);
    BOOST_CHECK(app::check_passphrase(std::string(1023, 'a')) == Problem::none);
}

BOOST_AUTO_TEST_CASE(names_and_codes) {
    BOOST_CHECK(app::check_user_name("") == Problem::empty);
    BOOST_CHECK(app::check_user_name("admin") == Problem::none);
    BOOST_CHECK(app::check_user_name("王芳") == Problem::none);
    BOOST_CHECK(app::check_user_name("wang fang") == Problem::bad_user_name);
    BOOST_CHECK(app::check_user_name("recovery") == Problem::bad_user_name);
    BOOST_CHECK(app::check_user_name(std::string(65, 'a')) == Problem::too_long);
    BOOST_CHECK(app::check_display_name("  ") == Problem::empty);
    BOOST_CHECK(app::check_display_name("王芳") == Problem::none);
    BOOST_CHECK(app::check_display_name(std::string(33, 'a')) == Problem::too_long);
    BOOST_CHECK(app::check_centre("370102A") == Problem::none);
    BOOST_CHECK(app::check_centre("37") == Problem::bad_centre);
    BOOST_CHECK(app::check_centre("") == Problem::empty);
    BOOST_CHECK(app::check_terminal("T3") == Problem::none);
    BOOST_CHECK(app::check_terminal("t3") == Problem::bad_terminal);  // normalise_code first
    BOOST_CHECK(app::check_terminal(app::normalise_code(" t3 ")) == Problem::none);
    BOOST_CHECK(app::check_terminal("T12345") == Problem::bad_terminal);
    BOOST_CHECK(app::check_terminal("3号") == Problem::bad_terminal);
    BOOST_CHECK_EQUAL(*app::utf8_length("3号窗口"), 4u);
    BOOST_CHECK(!app::utf8_length("\xc0"));
    BOOST_CHECK_EQUAL(std::string(app::to_code(Problem::too_short)), "too_short");
}

BOOST_AUTO_TEST_SUITE_END()
