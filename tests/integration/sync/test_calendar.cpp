// The whole path of an official year (issue 14 item 9): a case accepted late in 2026 has a
// provisional promised date; the simulator publishes 2027 (calendar-publish); the terminal's sync
// downloads it and computes the open case again, with a history entry the platform accepts.
#include <boost/test/unit_test.hpp>

#include "live.h"

#include "ow/store/cases.h"
#include "ow/store/demo.h"

#include <fstream>

using namespace ow;
using namespace ow::live;

BOOST_AUTO_TEST_SUITE(calendar_refresh)

BOOST_AUTO_TEST_CASE(a_year_published_at_the_platform_recomputes_open_provisional_cases) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-1");
    Sim sim(db, {"--decide-after-s", "100000"});  // the back office leaves the case alone
    Terminal t;

    // 企业设立登记 (1 working day) accepted on Thu 2026-12-31: (元旦 2027, weekend) Mon 2027-01-04, provisional.
    const core::Actor clerk{"clerk", core::Role::clerk, core::Post::none, ""};
    store::CaseStore cs(t.db(), calendar());
    const auto* item = catalogue().item("370102-SC-0002-001");
    BOOST_REQUIRE(item);
    core::Applicant a;
    a.name = "钱七";
    a.doc_number = store::synthetic_resident_id("370102", core::parse_date("1979-05-06"), 11);
    a.phone = "13800138000";
    a.address = "济南市历下区泉城路1号";
    core::Case c = core::Case::create(*item, a);
    const core::Instant at = core::Instant{core::parse_date("2026-12-31")} + std::chrono::hours{1};
    cs.create(c, clerk, at, {});
    cs.commit(c, {core::CaseAction::receive, clerk, at, "", json::object()});
    std::vector<std::string> required;
    for (const auto& m : c.checklist.entries)
        if (m.necessity != core::Necessity::optional) required.push_back(m.material_code);
    for (const auto& code : required)
        cs.commit(c, {core::CaseAction::mark_material, clerk, at, "", {{"material_code", code}, {"status", "original_received"}}});
    cs.commit(c, {core::CaseAction::accept, clerk, at, "", json::object()});
    BOOST_REQUIRE_EQUAL(core::format_date(*c.due_date), "2027-01-04");
    BOOST_REQUIRE(c.promised_provisional);

    t.connect(sim.url(), cred);
    auto opts = test_options();
    opts.refresh_interval = std::chrono::seconds(0);  // refresh the calendars at every pass
    auto r = sync_until_drained(t, 3, opts);
    BOOST_REQUIRE_MESSAGE(!r.error && r.drained(), why(r));
    BOOST_CHECK(cs.load(c.id)->promised_provisional);  // 2024–2026 only: nothing changed
    const auto history_before = cs.load(c.id)->history.size();

    // The platform publishes an official 2027 in which 1–4 January are days off.
    auto file = tmp.path / "cn-2027.json";
    std::ofstream(file) << R"({"format": "onewindow-calendar", "format_version": 1, "year": 2027, "document": "TEST 2027",
        "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-04"}], "workdays": []})";
    auto pub = run({sim_binary(), "calendar-publish", "--db", db.string(), "--file", file.string()});
    BOOST_REQUIRE_MESSAGE(pub.rc == 0, pub.err);

    r = sync_until_drained(t, 4, opts);
    BOOST_REQUIRE_MESSAGE(!r.error && r.drained(), why(r));
    auto years = store::PlatformCalendars(t.db()).years();
    BOOST_REQUIRE(!years.empty());
    BOOST_CHECK_EQUAL(years.back().first, 2027);
    auto after = cs.load(c.id);
    BOOST_REQUIRE(after);
    BOOST_CHECK_EQUAL(core::format_date(*after->due_date), "2027-01-05");
    BOOST_CHECK(!after->promised_provisional);
    BOOST_REQUIRE_EQUAL(after->history.size(), history_before + 1);
    const auto& h = after->history.back();
    BOOST_CHECK(h.action == core::CaseAction::recompute_due);
    BOOST_CHECK(h.actor.role == core::Role::platform);
    BOOST_CHECK_EQUAL(h.data.value("from_due_date", ""), "2027-01-04");
    BOOST_CHECK_EQUAL(h.data.value("to_due_date", ""), "2027-01-05");
    // The platform took the event like any other (nothing refused, nothing left to send).
    BOOST_CHECK_EQUAL(t.outbox_size(), 0);
    BOOST_CHECK(sim.stats()["refused"].empty());
    BOOST_CHECK_EQUAL(t.db().query_int("SELECT count(*) FROM sync_issues WHERE resolved_at IS NULL"), 0);

    // Again: nothing more to compute.
    r = sync_until_drained(t, 2, opts);
    BOOST_REQUIRE_MESSAGE(!r.error, why(r));
    BOOST_CHECK_EQUAL(cs.load(c.id)->history.size(), history_before + 1);
}

BOOST_AUTO_TEST_SUITE_END()
