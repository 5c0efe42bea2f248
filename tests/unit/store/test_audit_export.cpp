// The audit trail's export (store::export_audit) and range (AuditLog::range): entries within a
// range by time, JSON and CSV files that parse and carry each entry's hash, administrators only,
// the export recorded after it was written, a tampered trail exported with its verdict, bad bounds
// refused with nothing written; and the kind of fault verify() reports.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/core/error.h"
#include "ow/store/audit.h"

#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace ow;
using namespace ow::test;

namespace {

struct Trail {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    std::unique_ptr<store::Store> admin;
    Trail() {
        store::Store::init(dir, "admin", core::Role::admin, kPassword, fast_kdf());
        admin = store::Store::open(dir, "admin", kPassword);
        // Entries at known times, one a day from 2026-12-01, one with a comma and a quote.
        store::AuditLog log(admin->db());
        for (int d = 1; d <= 5; ++d)
            log.append(admin->actor(), core::parse_instant("2026-12-0" + std::to_string(d) + "T09:30:00Z"), "test.day",
                       "", nlohmann::json{{"day", d}, {"note", d == 3 ? "a, \"quoted\" note" : "plain"}}.dump());
    }
    std::int64_t count(const std::string& action) {
        return admin->db().query_int("SELECT count(*) FROM audit WHERE action = '" + action + "'");
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_export)

BOOST_FIXTURE_TEST_CASE(range_by_dates_and_instants, Trail) {
    store::AuditLog log(admin->db());
    auto days = [&](const std::string& from, const std::string& to) {
        std::vector<int> out;
        for (const auto& e : log.range(from, to))
            if (e.action == "test.day") out.push_back(nlohmann::json::parse(e.detail)["day"].get<int>());
        return out;
    };
    BOOST_CHECK((days("2026-12-02", "2026-12-04") == std::vector<int>{2, 3, 4}));  // `to` takes in its whole day
    BOOST_CHECK((days("", "2026-12-01") == std::vector<int>{1}));
    BOOST_CHECK((days("2026-12-05", "") == std::vector<int>{5}));
    BOOST_CHECK((days("2026-12-03T09:30:00.000Z", "2026-12-03T09:30:00.000Z") == std::vector<int>{3}));
    BOOST_CHECK(days("2026-12-06", "").empty());
    BOOST_CHECK_THROW(log.range("yesterday", ""), core::InvalidData);
    BOOST_CHECK_THROW(log.range("", "2026-12-01' OR 1=1 --"), core::InvalidData);
}

BOOST_FIXTURE_TEST_CASE(json_export_with_hashes_then_audited, Trail) {
    const auto out = tmp.path / "trail.json";
    const auto before = admin->db().query_int("SELECT count(*) FROM audit");
    auto r = store::export_audit(*admin, out, store::AuditExportFormat::json, "2026-12-02", "2026-12-03");
    BOOST_CHECK_EQUAL(r.entries, 2);
    BOOST_CHECK(r.verdict.intact);
    auto j = nlohmann::json::parse(read_file(out));
    BOOST_REQUIRE_EQUAL(j.size(), 2u);
    BOOST_CHECK_EQUAL(j[0]["action"], "test.day");
    BOOST_CHECK_EQUAL(j[0]["detail"]["day"], 2);
    BOOST_CHECK_EQUAL(j[1]["detail"]["note"], "a, \"quoted\" note");
    // The hash is the trail's own for that entry.
    const auto seq = j[0]["seq"].get<std::int64_t>();
    BOOST_CHECK_EQUAL(j[0]["hash"].get<std::string>(), *admin->db().query_text("SELECT hash FROM audit WHERE seq = " + std::to_string(seq)));
    struct stat st {};
    BOOST_REQUIRE_EQUAL(::stat(out.c_str(), &st), 0);
    BOOST_CHECK_EQUAL(st.st_mode & 0777, 0600u);
    // Recorded once, after the file was written (so the file does not hold it).
    BOOST_CHECK_EQUAL(admin->db().query_int("SELECT count(*) FROM audit"), before + 1);
    BOOST_CHECK_EQUAL(count("audit.exported"), 1);
    BOOST_CHECK(store::AuditLog(admin->db()).verify().intact);
}

BOOST_FIXTURE_TEST_CASE(csv_export_quotes_fields, Trail) {
    const auto out = tmp.path / "trail.csv";
    auto r = store::export_audit(*admin, out, store::AuditExportFormat::csv);
    const std::string text = read_file(out);
    BOOST_CHECK_EQUAL(text.substr(0, text.find("\r\n")), "seq,at,user,post,acting_for,action,case_id,detail,hash");
    std::size_t lines = 0;
    for (std::size_t p = 0; (p = text.find("\r\n", p)) != std::string::npos; p += 2) ++lines;
    BOOST_CHECK_EQUAL(lines, std::size_t(r.entries) + 1);
    // The detail with a comma and quotes is one quoted field with doubled quotes.
    BOOST_CHECK_MESSAGE(text.find(R"("{""day"":3,""note"":""a, \""quoted\"" note""}")") != std::string::npos, text);
}

BOOST_FIXTURE_TEST_CASE(only_administrators_export, Trail) {
    admin->set_user("clerk", core::Role::clerk, kPassword, fast_kdf());
    auto clerk = store::Store::open(dir, "clerk", kPassword);
    const auto out = tmp.path / "x.json";
    BOOST_CHECK_THROW(store::export_audit(*clerk, out, store::AuditExportFormat::json), store::NotAuthorised);
    BOOST_CHECK(!std::filesystem::exists(out));
    BOOST_CHECK_EQUAL(count("audit.exported"), 0);
}

BOOST_FIXTURE_TEST_CASE(a_bad_bound_or_path_writes_nothing, Trail) {
    BOOST_CHECK_THROW(store::export_audit(*admin, tmp.path / "x.json", store::AuditExportFormat::json, "12/01/2026"), core::InvalidData);
    BOOST_CHECK(!std::filesystem::exists(tmp.path / "x.json"));
    BOOST_CHECK_THROW(store::export_audit(*admin, tmp.path / "no-such-dir" / "x.json", store::AuditExportFormat::json), store::StoreError);
    BOOST_CHECK_EQUAL(count("audit.exported"), 0);
}

BOOST_FIXTURE_TEST_CASE(a_tampered_trail_is_exported_with_its_verdict, Trail) {
    admin->db().exec("DROP TRIGGER audit_no_update;");  // what an attacker would do
    admin->db().exec("UPDATE audit SET detail = '{\"day\":9}' WHERE action = 'test.day' AND detail LIKE '{\"day\":4,%'");
    const auto bad = admin->db().query_int("SELECT seq FROM audit WHERE detail = '{\"day\":9}'");
    auto r = store::export_audit(*admin, tmp.path / "t.json", store::AuditExportFormat::json);
    BOOST_CHECK(!r.verdict.intact);
    BOOST_REQUIRE(r.verdict.first_bad);
    BOOST_CHECK_EQUAL(*r.verdict.first_bad, bad);
    BOOST_CHECK(r.verdict.fault == store::AuditFault::changed);
}

BOOST_FIXTURE_TEST_CASE(verify_names_the_kind_of_fault, Trail) {
    BOOST_CHECK(store::AuditLog(admin->db()).verify().fault == store::AuditFault::none);
    admin->db().exec("UPDATE meta SET value = '1:" + std::string(64, 'f') + "' WHERE key = 'audit_head'");
    auto v = store::AuditLog(admin->db()).verify();
    BOOST_CHECK(!v.intact);
    BOOST_CHECK(v.fault == store::AuditFault::head);
    BOOST_CHECK(!v.first_bad);
}

BOOST_AUTO_TEST_SUITE_END()
