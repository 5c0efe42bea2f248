// SettingsPresenter on the demo desk's real encrypted store through DeskServices: every registry
// key listed with its value; a bad platform address refused with its code and nothing stored; a
// good value stored and audited; admin-only keys read-only for a clerk; the language and font
// switches reported (and kept in desk.json); the device probes through the build tree's plugins;
// the calendar import.
#include <boost/test/unit_test.hpp>

#include "demo_desk_fixture.h"
#include "settings/settings_presenter.h"

#include "ow/store/db.h"
#include "ow/store/desk_prefs.h"
#include "ow/store/repositories.h"

using namespace ow;
using app::SettingsPresenter;

namespace {

struct SettingsDesk : test::DemoDeskFixture<4> {
    int audited(const std::string& action) {
        store::Stmt q(services->store().db(), "SELECT count(*) FROM audit WHERE action = ?");
        q.bind(1, action);
        q.step();
        return int(q.int64(0));
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(settings_presenter)

BOOST_AUTO_TEST_CASE(every_registry_key_is_a_row_with_its_value) {
    SettingsDesk d;
    d.sign_in(d.demo.admin);
    SettingsPresenter p(*d.services);
    BOOST_CHECK_EQUAL(p.rows().size(), store::setting_defs().size());
    for (const auto& r : p.rows()) BOOST_TEST_CONTEXT(r.def->name) { BOOST_CHECK(r.may_change != r.def->read_only); }  // an admin: all but the read-only
    BOOST_REQUIRE(p.row("lock.idle_minutes"));
    BOOST_CHECK_EQUAL(p.row("lock.idle_minutes")->value, "10");
    BOOST_CHECK(p.row("no.such") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_bad_platform_address_is_refused_with_its_reason_and_nothing_is_stored) {
    SettingsDesk d;
    d.sign_in(d.demo.admin);
    SettingsPresenter p(*d.services);
    const int before = d.audited("settings.changed");
    auto a = p.apply("platform.url", "http://platform.example.cn");
    BOOST_CHECK(!a.stored);
    BOOST_CHECK_EQUAL(a.code, "settings.insecure_url");
    BOOST_CHECK_EQUAL(p.row("platform.url")->error, "settings.insecure_url");
    BOOST_CHECK(!store::Settings(d.services->store().db()).platform());
    BOOST_CHECK_EQUAL(d.audited("settings.changed"), before);
    a = p.apply("platform.url", "not an address");
    BOOST_CHECK_EQUAL(a.code, "settings.bad_url");
    // A good value: stored, audited, the error gone.
    a = p.apply("lock.idle_minutes", "25");
    BOOST_CHECK(a.stored);
    BOOST_CHECK(p.row("lock.idle_minutes")->error.empty());
    BOOST_CHECK(d.services->idle_lock() == std::chrono::minutes(25));
    BOOST_CHECK_EQUAL(d.audited("settings.changed"), before + 1);
    a = p.apply("lock.idle_minutes", "0");
    BOOST_CHECK_EQUAL(a.code, "settings.out_of_range");
    BOOST_CHECK(d.services->idle_lock() == std::chrono::minutes(25));
    SettingsPresenter again(*d.services);
    BOOST_CHECK_EQUAL(again.row("lock.idle_minutes")->value, "25");
}

BOOST_AUTO_TEST_CASE(language_and_font_switches_are_reported_and_kept_for_the_lock_screen) {
    SettingsDesk d;
    d.sign_in(d.demo.user);  // a clerk: ui.* are hers to change
    SettingsPresenter p(*d.services);
    auto a = p.apply("ui.language", "en");
    BOOST_CHECK(a.stored && a.language_changed && !a.font_changed);
    BOOST_CHECK(store::load_prefs(d.demo.dir).prefs.language == store::Language::en);
    a = p.apply("ui.language", "en");
    BOOST_CHECK(a.stored && !a.language_changed);  // no change, no switch
    a = p.apply("ui.large_font", "true");
    BOOST_CHECK(a.stored && a.font_changed);
    BOOST_CHECK(store::load_prefs(d.demo.dir).prefs.large_font);
}

BOOST_AUTO_TEST_CASE(a_clerk_may_not_change_admin_settings) {
    SettingsDesk d;
    d.sign_in(d.demo.user);
    SettingsPresenter p(*d.services);
    BOOST_CHECK(!p.row("lock.idle_minutes")->may_change);
    BOOST_CHECK(p.row("print.paper")->may_change);
    auto a = p.apply("lock.idle_minutes", "60");
    BOOST_CHECK(!a.stored);
    BOOST_CHECK_EQUAL(a.code, "store.not_authorised");
    BOOST_CHECK_EQUAL(p.row("lock.idle_minutes")->value, "10");
    BOOST_CHECK(p.apply("print.paper", "A5").stored);
}

// The proxy field shows user:***@host; the clerk changes the port and leaves the stars: the stored
// password stays (it used to become "***").
BOOST_AUTO_TEST_CASE(a_proxy_edited_around_its_hidden_password_keeps_it) {
    SettingsDesk d;
    d.sign_in(d.demo.admin);
    store::PlatformConfig cfg;
    cfg.url = "https://platform.example.cn";
    cfg.terminal_id = "T-1";
    cfg.secret = "c2VjcmV0c2VjcmV0c2VjcmV0";
    store::Settings(d.services->store().db()).set_platform(cfg);
    SettingsPresenter p(*d.services);
    BOOST_REQUIRE(p.apply("platform.proxy", "http://wang:s3cret@proxy.local:3128").stored);
    BOOST_CHECK_EQUAL(store::shown_value(*p.row("platform.proxy")->def, p.row("platform.proxy")->value), "http://wang:***@proxy.local:3128");
    auto a = p.apply("platform.proxy", "http://wang:***@proxy.local:8080");
    BOOST_REQUIRE_MESSAGE(a.stored, a.code);
    BOOST_CHECK_EQUAL(store::Settings(d.services->store().db()).platform()->proxy, "http://wang:s3cret@proxy.local:8080");
    // A new password typed is the new password.
    BOOST_REQUIRE(p.apply("platform.proxy", "http://wang:n3w@proxy.local:8080").stored);
    BOOST_CHECK_EQUAL(store::Settings(d.services->store().db()).platform()->proxy, "http://wang:n3w@proxy.local:8080");
    BOOST_CHECK_EQUAL(SettingsPresenter::keep_hidden_password("http://a:***@h", "http://h"), "http://a:***@h");  // nothing stored to keep
}

BOOST_AUTO_TEST_CASE(pem_from_a_file_and_a_file_that_cannot_be_read) {
    SettingsDesk d;
    d.sign_in(d.demo.admin);
    SettingsPresenter p(*d.services);
    auto junk = d.tmp.path / "junk.pem";
    std::ofstream(junk) << "not a certificate\n";
    auto a = p.apply_file("platform.ca_bundle", junk);
    BOOST_CHECK_EQUAL(a.code, "settings.bad_pem");
    a = p.apply_file("platform.ca_bundle", d.tmp.path / "missing.pem");
    BOOST_CHECK_EQUAL(a.code, "io.read");
    BOOST_CHECK_EQUAL(p.row("platform.ca_bundle")->value, "");
    // The client certificate comes from enrolment: shown, not editable.
    BOOST_CHECK(!p.row("platform.client_cert")->may_change);
    BOOST_CHECK_EQUAL(p.apply_file("platform.client_cert", junk).code, "settings.read_only");
}

BOOST_AUTO_TEST_CASE(devices_list_their_plugins_and_a_test_calls_the_chosen_one) {
    SettingsDesk d;
    d.sign_in(d.demo.admin);
    SettingsPresenter p(*d.services);
    auto readers = p.plugins_for("devices.id_reader");
    BOOST_CHECK(std::find(readers.begin(), readers.end(), "idcard-sim") != readers.end());
    BOOST_CHECK(p.plugins_for("print.paper").empty());
    BOOST_CHECK_EQUAL(d.services->device_plugin("devices.id_reader"), "");  // the first found
    BOOST_REQUIRE(p.apply("devices.id_reader", "idcard-sim").stored);
    BOOST_CHECK_EQUAL(d.services->device_plugin("devices.id_reader"), "idcard-sim");  // what the intake asks
    auto probe = p.probe_for("devices.id_reader");
    BOOST_CHECK_EQUAL(probe.plugin, "idcard-sim");
    BOOST_CHECK_EQUAL(probe.action, "list");  // the cheap question, not a read
    auto result = SettingsPresenter::run_probe(d.services->plugins(), probe);
    BOOST_CHECK_MESSAGE(result.ok, result.code + ": " + result.detail);
    // A chosen plugin that is not installed fails the test with the host's reason.
    BOOST_REQUIRE(p.apply("devices.scanner", "no-such-scanner").stored);
    probe = p.probe_for("devices.scanner");
    BOOST_CHECK(probe.plugin.empty());
    result = SettingsPresenter::run_probe(d.services->plugins(), probe);
    BOOST_CHECK(!result.ok);
    BOOST_CHECK_EQUAL(result.code, "device.none");
    result = SettingsPresenter::run_probe(d.services->plugins(), {"devices.scanner", "no-such-scanner", "scan"});
    BOOST_CHECK(!result.ok);
    BOOST_CHECK(!result.code.empty());
}

BOOST_AUTO_TEST_CASE(the_calendar_shows_official_years_and_imports_a_file_as_administrator) {
    SettingsDesk d;
    d.sign_in(d.demo.admin);
    SettingsPresenter p(*d.services);
    auto years = p.official_years();
    BOOST_CHECK(std::find(years.begin(), years.end(), 2026) != years.end());
    auto bad = d.tmp.path / "bad.json";
    std::ofstream(bad) << "{\"year\": 2027}";
    auto a = p.import_calendar(bad);
    BOOST_CHECK(!a.stored);
    BOOST_CHECK(!a.code.empty());
    BOOST_CHECK_EQUAL(d.audited("calendar.import"), 0);
    a = p.import_calendar(std::filesystem::path(OW_SOURCE_DIR) / "assets/calendar/cn-2026.json");
    BOOST_CHECK_MESSAGE(a.stored, a.code + ": " + a.message);
    BOOST_CHECK_EQUAL(a.value, "2026");
    BOOST_CHECK_EQUAL(d.audited("calendar.import"), 1);
    // A clerk may not.
    d.sign_in(d.demo.user);
    SettingsPresenter clerk(*d.services);
    a = clerk.import_calendar(std::filesystem::path(OW_SOURCE_DIR) / "assets/calendar/cn-2026.json");
    BOOST_CHECK_EQUAL(a.code, "store.not_authorised");
}

BOOST_AUTO_TEST_SUITE_END()
