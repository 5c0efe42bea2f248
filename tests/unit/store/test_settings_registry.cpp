// The settings registry (issue 19): every key has a default, takes a good value (stored, read back
// in canonical form, audited) and refuses a bad one with its reason (nothing stored, nothing
// audited); admin-only keys; platform.* on a connected terminal; ui.* in desk.json.
#include "fixture.h"
#include "ow/core/calendar.h"

#include "ow/store/audit.h"
#include "ow/store/db.h"
#include "ow/store/desk_prefs.h"
#include "ow/store/errors.h"
#include "ow/store/repositories.h"
#include "ow/store/settings_registry.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

using namespace ow;
using namespace ow::test;

namespace {

// A self-signed P-256 certificate (openssl req -x509, CN=OneWindow settings test, no key kept); test data only.
const std::string kCert = R"(-----BEGIN CERTIFICATE-----
MIIBmDCCAT+gAwIBAgIULVRSzxSR+jj5SYFmQzbtHe73uQQwCgYIKoZIzj0EAwIw
IjEgMB4GA1UEAwwXT25lV2luZG93IHNldHRpbmdzIHRlc3QwHhcNMjYxMjA2MDgy
NzE4WhcNMzYxMjAzMDgyNzE4WjAiMSAwHgYDVQQDDBdPbmVXaW5kb3cgc2V0dGlu
Z3MgdGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABHjDKGLYVfefQ6bk0d6c
qHKnPHAfoIlvTsx43rfc3k3pGlQqhzIQcPudRL9ygpLpBDX+n5IQx7KkxKbW5SjU
nMSjUzBRMB0GA1UdDgQWBBSfbHDw4jlXvqCWxCEUeBsVRhZMbjAfBgNVHSMEGDAW
gBSfbHDw4jlXvqCWxCEUeBsVRhZMbjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49
BAMCA0cAMEQCIEKcq4UP2LmzH5tkWlUzqUy3hVIA6IN8lPeLDSb8WYObAiBMZST6
DZ54iXohsv79V2EnY3/aMjo/26oH5NNLmvzkuA==
-----END CERTIFICATE-----
)";

/// A good value (input → canonical) and a bad value (input → reason) for every key.
struct Case {
    std::string good, canonical, bad, reason;
};
const std::map<std::string, Case> kCases = {
    {"platform.url", {"HTTPS://Platform.Example.cn:8443/api/", "https://platform.example.cn:8443/api", "http://platform.example.cn", "insecure_url"}},
    {"platform.ca_bundle", {kCert, kCert, "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n", "bad_pem"}},
    {"platform.proxy", {"socks5h://proxy.local:1080", "socks5h://proxy.local:1080", "gopher://proxy.local", "bad_proxy"}},
    {"lock.idle_minutes", {" 30 ", "30", "121", "out_of_range"}},
    {"window.label", {" 3号窗口 ", "3号窗口", "一二三四五六七八九十一二三四五六七八九十一", "too_long"}},
    {"print.printer", {"HP LaserJet 1020", "HP LaserJet 1020", "HP\tLaserJet", "control_character"}},
    {"print.paper", {"a5", "A5", "A9", "not_a_choice"}},
    {"ui.language", {"zh_tw", "zh_TW", "fr", "not_a_choice"}},
    {"ui.large_font", {"yes", "true", "maybe", "not_boolean"}},
    {"devices.id_reader", {"IDcard-Sim", "idcard-sim", "id card", "bad_plugin"}},
    {"devices.scanner", {"scanner-sane", "scanner-sane", "../evil", "bad_plugin"}},
    {"devices.rating_device", {"rating-sim", "rating-sim", "-x", "bad_plugin"}},
    {"devices.signature", {"signature-evdev", "signature-evdev", "sig/pad", "bad_plugin"}},
    {"hours.regular", {"8:30-12:00, 14:00-17:30", "08:30-12:00,14:00-17:30", "09:00-12:00,11:30-13:00", "overlap"}},
    {"hours.extended", {"Mon-Fri 17:00-19:00", "mon-fri 17:00-19:00", "mon-fri 19:00-17:00", "bad_hours"}},
    {"hours.staggered", {"sat,sun 09:00-12:00; mon-fri 12:00-13:30", "sat,sun 09:00-12:00; mon-fri 12:00-13:30", "someday 12:00-13:00",
                         "bad_hours"}},
    {"hours.duty", {"Mon-Fri 王芳 ; sat 李强, 张伟", "mon-fri 王芳; sat 李强,张伟", "mon-fri 王芳; fri 李强", "overlap"}},
};

std::string reason_of(const store::SettingDef& d, const std::string& text) {
    try {
        (void)store::check_setting(d, text);
    } catch (const store::SettingRefused& e) {
        BOOST_TEST_INFO(e.what());
        BOOST_CHECK(std::string(e.what()).find(d.name) != std::string::npos);  // the message names the key
        return e.code();
    }
    return "accepted";
}

std::vector<std::string> audit_details(store::Db& db, const std::string& action) {
    std::vector<std::string> out;
    store::Stmt q(db, "SELECT detail FROM audit WHERE action = ? ORDER BY seq");
    q.bind(1, action);
    while (q.step()) out.push_back(q.text(0));
    return out;
}
int audit_count(store::Db& db, const std::string& action) { return int(audit_details(db, action).size()); }

/// A connected terminal (what `platform connect --offline` stores), so platform.* can change.
void connect(store::Store& s) {
    store::PlatformConfig p;
    p.url = "https://platform.example.cn";
    p.terminal_id = "T-1";
    p.secret = "c2VjcmV0";
    store::Settings(s.db()).set_platform(p);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(settings_registry)

BOOST_AUTO_TEST_CASE(every_key_has_a_case_a_description_and_a_default_that_passes_its_own_check) {
    std::set<std::string> names;
    for (const auto& d : store::setting_defs()) {
        BOOST_TEST_CONTEXT(d.name) {
            BOOST_CHECK(names.insert(d.name).second);  // one row per key
            BOOST_CHECK(kCases.count(d.name) || d.read_only);  // this test covers it (read-only keys below)
            BOOST_CHECK(!d.description.empty());
            if (d.type != store::SettingType::url) BOOST_CHECK_EQUAL(store::check_setting(d, d.default_value), d.default_value);
            BOOST_CHECK(store::find_setting(d.name) == &d);
        }
    }
    BOOST_CHECK_EQUAL(names.size(), kCases.size() + 1);  // + platform.client_cert (read only)
    BOOST_CHECK(store::find_setting("no.such.key") == nullptr);
}

BOOST_FIXTURE_TEST_CASE(a_new_store_reads_every_default, StoreFixture) {
    store::SettingValues v(*s);
    for (const auto& d : store::setting_defs()) {
        BOOST_TEST_CONTEXT(d.name) {
            BOOST_CHECK_EQUAL(v.get(d.name), d.default_value);
            BOOST_CHECK(!v.is_set(d.name));
        }
    }
    BOOST_CHECK_EQUAL(v.get("lock.idle_minutes"), "10");
    BOOST_CHECK_EQUAL(v.get("print.paper"), "A4");
    BOOST_CHECK_EQUAL(v.get("ui.language"), "zh_CN");
    BOOST_CHECK_EQUAL(v.get("hours.regular"), "09:00-12:00,13:30-17:00");
    BOOST_CHECK_THROW(v.get("no.such.key"), store::SettingRefused);
}

BOOST_FIXTURE_TEST_CASE(every_key_stores_a_good_value_and_refuses_a_bad_one_with_its_reason, StoreFixture) {
    connect(*s);
    store::SettingValues v(*s);
    int audited = audit_count(s->db(), "settings.changed");
    for (const auto& d : store::setting_defs()) {
        if (d.read_only) continue;  // below
        const Case& c = kCases.at(d.name);
        BOOST_TEST_CONTEXT(d.name) {
            BOOST_CHECK_EQUAL(reason_of(d, c.bad), "settings." + c.reason);
            BOOST_CHECK_THROW(v.set(d.name, c.bad), store::SettingRefused);
            BOOST_CHECK_EQUAL(audit_count(s->db(), "settings.changed"), audited);  // nothing audited
            BOOST_CHECK(!v.is_set(d.name) || d.home == store::SettingHome::platform);  // nothing stored
            BOOST_CHECK_EQUAL(v.set(d.name, c.good), c.canonical);
            BOOST_CHECK_EQUAL(v.get(d.name), c.canonical);
            BOOST_CHECK_EQUAL(audit_count(s->db(), "settings.changed"), ++audited);
            BOOST_CHECK_THROW(v.set(d.name, c.bad), store::SettingRefused);
            BOOST_CHECK_EQUAL(v.get(d.name), c.canonical);  // the good value stays
        }
    }
    // They survive closing and opening the store again.
    s.reset();
    s = store::Store::open(dir, "clerk", kPassword);
    store::SettingValues again(*s);
    for (const auto& [name, c] : kCases) BOOST_TEST_CONTEXT(name) { BOOST_CHECK_EQUAL(again.get(name), c.canonical); }
    // Typed readers see the same values.
    BOOST_CHECK(store::Settings(s->db()).idle_lock() == std::chrono::minutes(30));
    BOOST_CHECK_EQUAL(store::Settings(s->db()).window_label(), "3号窗口");
    BOOST_CHECK_EQUAL(store::Settings(s->db()).platform()->url, "https://platform.example.cn:8443/api");
    BOOST_CHECK_EQUAL(store::Settings(s->db()).platform()->secret, "c2VjcmV0");  // the credentials stay
    BOOST_CHECK(store::load_prefs(dir).prefs.language == store::Language::zh_TW);
    BOOST_CHECK(store::load_prefs(dir).prefs.large_font);
}

BOOST_FIXTURE_TEST_CASE(the_audit_entry_keeps_no_certificate_or_proxy_password, StoreFixture) {
    connect(*s);
    store::SettingValues v(*s);
    v.set("platform.proxy", "http://wang:s3cret@proxy.local:3128");
    v.set("platform.ca_bundle", kCert);
    BOOST_CHECK_EQUAL(v.get("platform.proxy"), "http://wang:s3cret@proxy.local:3128");  // the store keeps it
    std::string details;
    for (const auto& d : audit_details(s->db(), "settings.changed")) details += d;
    BOOST_CHECK(details.find("s3cret") == std::string::npos);
    BOOST_CHECK(details.find("wang:***@proxy.local") != std::string::npos);
    BOOST_CHECK(details.find("BEGIN CERTIFICATE") == std::string::npos);
    BOOST_CHECK(details.find("sha256:" + store::sha256_hex(kCert)) != std::string::npos);
}

// The terminal's client certificate comes with its key from enrolment (and renewal at sync): shown
// from the platform connection, never set by hand — a certificate without its key would break
// every request to the platform.
BOOST_FIXTURE_TEST_CASE(the_client_certificate_is_read_only, StoreFixture) {
    connect(*s);
    auto p = *store::Settings(s->db()).platform();
    p.client_cert_pem = kCert;
    p.client_key_pem = "-----BEGIN PRIVATE KEY-----\nnot used here\n-----END PRIVATE KEY-----\n";
    store::Settings(s->db()).set_platform(p);
    store::SettingValues v(*s);
    BOOST_CHECK_EQUAL(v.get("platform.client_cert"), kCert);
    BOOST_CHECK(!store::may_change_setting(*s, *store::find_setting("platform.client_cert")));
    const int audited = audit_count(s->db(), "settings.changed");
    try {
        v.set("platform.client_cert", kCert);
        BOOST_FAIL("a client certificate was set by hand");
    } catch (const store::SettingRefused& e) {
        BOOST_CHECK_EQUAL(e.code(), "settings.read_only");
    }
    BOOST_CHECK_EQUAL(audit_count(s->db(), "settings.changed"), audited);
    BOOST_CHECK_EQUAL(store::Settings(s->db()).platform()->client_key_pem, p.client_key_pem);  // the key stays
}

BOOST_FIXTURE_TEST_CASE(platform_keys_need_a_connected_terminal, StoreFixture) {
    store::SettingValues v(*s);
    try {
        v.set("platform.url", "https://platform.example.cn");
        BOOST_FAIL("stored without a platform");
    } catch (const store::SettingRefused& e) {
        BOOST_CHECK_EQUAL(e.code(), "settings.not_connected");
    }
    BOOST_CHECK(!store::Settings(s->db()).platform());
    BOOST_CHECK_EQUAL(audit_count(s->db(), "settings.changed"), 0);
}

BOOST_AUTO_TEST_CASE(urls_and_hours_edge_cases) {
    const auto& url = *store::find_setting("platform.url");
    BOOST_CHECK_EQUAL(store::check_setting(url, "http://localhost:8080/"), "http://localhost:8080");
    BOOST_CHECK_EQUAL(store::check_setting(url, "http://[::1]:9/p"), "http://[::1]:9/p");
    BOOST_CHECK_EQUAL(reason_of(url, ""), "settings.empty");
    BOOST_CHECK_EQUAL(reason_of(url, "platform.example.cn"), "settings.bad_url");
    BOOST_CHECK_EQUAL(reason_of(url, "https://user:pw@platform.example.cn"), "settings.bad_url");
    BOOST_CHECK_EQUAL(reason_of(url, "https://platform.example.cn:99999"), "settings.bad_url");
    BOOST_CHECK_EQUAL(reason_of(url, "https://plat form.cn"), "settings.bad_url");
    BOOST_CHECK_EQUAL(reason_of(url, "https://platform.cn/?x=1"), "settings.bad_url");
    const auto& idle = *store::find_setting("lock.idle_minutes");
    BOOST_CHECK_EQUAL(reason_of(idle, "0"), "settings.out_of_range");
    BOOST_CHECK_EQUAL(reason_of(idle, "1.5"), "settings.not_a_number");
    BOOST_CHECK_EQUAL(store::check_setting(idle, "1"), "1");
    BOOST_CHECK_EQUAL(store::check_setting(idle, "120"), "120");
    auto w = store::parse_windows("mon-wed,fri 17:00-19:00; sat 09:00-12:00");
    BOOST_REQUIRE_EQUAL(w.size(), 2u);
    BOOST_CHECK((w[0].days == std::array<bool, 7>{true, true, true, false, true, false, false}));
    BOOST_CHECK((w[0].span == store::TimeSpan{17 * 60, 19 * 60}));
    BOOST_CHECK_EQUAL(store::check_setting(*store::find_setting("hours.extended"), "mon-wed,fri 17:00-19:00"), "mon-wed,fri 17:00-19:00");
    BOOST_CHECK_EQUAL(store::check_setting(*store::find_setting("hours.extended"), "mon,tue 17:00-19:00"), "mon,tue 17:00-19:00");
    BOOST_CHECK_EQUAL(reason_of(*store::find_setting("hours.extended"), "mon-fri 17:00-19:00; fri 18:00-20:00"), "settings.overlap");
    BOOST_CHECK_EQUAL(store::check_setting(*store::find_setting("hours.extended"), ""), "");
    BOOST_CHECK_EQUAL(reason_of(*store::find_setting("hours.regular"), "24:30-25:00"), "settings.bad_hours");
    BOOST_CHECK_EQUAL(reason_of(*store::find_setting("hours.regular"), ""), "settings.empty");
    BOOST_CHECK(store::parse_hours("09:00-24:00")[0] == (store::TimeSpan{540, 1440}));
}

BOOST_AUTO_TEST_CASE(the_duty_roster) {
    const auto& duty = *store::find_setting("hours.duty");
    BOOST_CHECK_EQUAL(store::check_setting(duty, ""), "");
    BOOST_CHECK_EQUAL(store::check_setting(duty, "mon,wed,fri 王芳;tue,thu 李强"), "mon,wed,fri 王芳; tue,thu 李强");
    BOOST_CHECK_EQUAL(reason_of(duty, "王芳"), "settings.bad_roster");              // no days
    BOOST_CHECK_EQUAL(reason_of(duty, "someday 王芳"), "settings.bad_roster");      // not a day
    BOOST_CHECK_EQUAL(reason_of(duty, "fri-mon 王芳"), "settings.bad_roster");      // backwards
    BOOST_CHECK_EQUAL(reason_of(duty, "mon 王芳,,李强"), "settings.bad_roster");    // an empty name
    BOOST_CHECK_EQUAL(reason_of(duty, "mon 一二三四五六七八九十一二三四五六七八九十一"), "settings.bad_roster");  // 21 characters
    BOOST_CHECK_EQUAL(reason_of(duty, "mon a,b,c,d,e,f,g,h,i,j,k"), "settings.bad_roster");  // 11 names
    BOOST_CHECK_EQUAL(reason_of(duty, "mon-fri 王芳; sun 李强; wed 张伟"), "settings.overlap");
    auto r = store::parse_roster("mon-fri 王芳; sat 李强,张伟");
    BOOST_REQUIRE_EQUAL(r.size(), 2u);
    BOOST_CHECK((r[1].names == std::vector<std::string>{"李强", "张伟"}));
    // By the day of the week: Sat 11 Oct 2025 (a make-up workday) is a Saturday; Sunday has nobody.
    BOOST_CHECK((store::on_duty(r, core::parse_date("2025-10-11")) == std::vector<std::string>{"李强", "张伟"}));
    BOOST_CHECK((store::on_duty(r, core::parse_date("2025-10-13")) == std::vector<std::string>{"王芳"}));
    BOOST_CHECK(store::on_duty(r, core::parse_date("2025-10-12")).empty());
}

BOOST_AUTO_TEST_CASE(the_opening_hours_setting_is_what_the_case_clock_reads) {
    // The workflow passes hours.regular's canonical text to the case (core::OpeningHours): every
    // value the setting accepts reads the same there.
    const auto& regular = *store::find_setting("hours.regular");
    for (const char* v : {"09:00-12:00,13:30-17:00", "8:30-12:00, 14:00-17:30", "13:30-17:00,09:00-12:00", "00:00-24:00"}) {
        const std::string canonical = store::check_setting(regular, v);
        BOOST_CHECK_EQUAL(core::OpeningHours::parse(canonical).text(), canonical);
    }
}

BOOST_AUTO_TEST_CASE(admin_only_keys_are_refused_for_a_clerk_when_the_store_has_an_administrator) {
    TempDir tmp;
    auto dir = tmp.path / "store";
    store::Store::init(dir, "admin", core::Role::admin, kPassword, fast_kdf());
    store::Store::open(dir, "admin", kPassword)->set_user("clerk1", core::Role::clerk, kPassword, fast_kdf());
    auto clerk = store::Store::open(dir, "clerk1", kPassword);
    store::SettingValues v(*clerk);
    BOOST_CHECK(!store::may_administer(*clerk));
    BOOST_CHECK_THROW(v.set("lock.idle_minutes", "60"), store::NotAuthorised);
    BOOST_CHECK_EQUAL(v.get("lock.idle_minutes"), "10");
    BOOST_CHECK_EQUAL(v.set("print.paper", "A5"), "A5");  // not admin-only
    BOOST_CHECK_EQUAL(v.set("ui.language", "en"), "en");
    auto admin = store::Store::open(dir, "admin", kPassword);
    BOOST_CHECK_EQUAL(store::SettingValues(*admin).set("lock.idle_minutes", "60"), "60");
}

BOOST_AUTO_TEST_SUITE_END()
