// IntakeDrafts: the intake screen's drafts, one row per case, in the encrypted store. A draft
// saved before a crash is there when the store is opened again; only its user sees it; it leaves
// the resume list once its case is no longer a draft.
#include <boost/test/unit_test.hpp>

#include "ow/store/demo.h"
#include "ow/store/drafts.h"

#include "fixture.h"

using namespace ow;
using namespace ow::test;

namespace {

core::Instant at(int minute) { return core::parse_instant("2026-11-24T02:00:00Z") + std::chrono::minutes(minute); }

core::Case new_case(StoreFixture& f, int n) {
    const auto* item = catalogue().item("370102-SC-0002-001");
    BOOST_REQUIRE(item);
    core::Case c = core::Case::create(
        *item, applicant("申请人" + std::to_string(n), store::synthetic_resident_id("370102", core::parse_date("1985-03-07"), n), "13800138000"));
    f.cases().create(c, clerk(), at(0), {});
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_drafts)

BOOST_AUTO_TEST_CASE(save_upserts_and_survives_reopening) {
    StoreFixture f;
    auto c1 = new_case(f, 1);
    auto c2 = new_case(f, 2);
    {
        store::IntakeDrafts d(f.s->db());
        d.save(c1.id.to_string(), "clerk", "applicant", R"({"name":"张"})", at(1));
        d.save(c1.id.to_string(), "clerk", "form", R"({"name":"张三"})", at(2));  // the same row, replaced
        d.save(c2.id.to_string(), "clerk", "item", "{}", at(3));
    }
    // As after a crash: a new Store object on the same files.
    f.s.reset();
    f.s = store::Store::open(f.dir, "clerk", kPassword);
    store::IntakeDrafts d(f.s->db());
    auto one = d.load(c1.id.to_string(), "clerk");
    BOOST_REQUIRE(one);
    BOOST_CHECK_EQUAL(one->step, "form");
    BOOST_CHECK_EQUAL(one->body, R"({"name":"张三"})");
    BOOST_CHECK_EQUAL(one->updated_at, core::format_instant(at(2)));
    BOOST_CHECK(!d.load(c1.id.to_string(), "someone-else"));
    auto rows = d.list("clerk");
    BOOST_REQUIRE_EQUAL(rows.size(), 2u);
    BOOST_CHECK_EQUAL(rows[0].draft.case_id, c2.id.to_string());  // newest first
    BOOST_CHECK_EQUAL(rows[1].receipt_no, c1.receipt_no);
    BOOST_CHECK_EQUAL(rows[1].item_code, "370102-SC-0002-001");
    BOOST_CHECK_EQUAL(rows[1].applicant_name, "申请人1");
    BOOST_CHECK(d.list("someone-else").empty());
    BOOST_CHECK(d.remove(c2.id.to_string()));
    BOOST_CHECK(!d.remove(c2.id.to_string()));
    BOOST_CHECK_EQUAL(d.list("clerk").size(), 1u);
    // The draft is inside the encrypted database: its text is nowhere in the files.
    for (const auto& e : std::filesystem::directory_iterator(f.dir))
        if (e.is_regular_file()) BOOST_CHECK(read_file(e.path()).find("张三") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_case_no_longer_a_draft_leaves_the_list) {
    StoreFixture f;
    auto c = new_case(f, 3);
    store::IntakeDrafts d(f.s->db());
    d.save(c.id.to_string(), "clerk", "decision", "{}", at(1));
    BOOST_CHECK_EQUAL(d.list("clerk").size(), 1u);
    core::CaseEvent receive{core::CaseAction::receive, clerk(), at(2), "", nlohmann::json::object()};
    f.cases().commit(c, receive);
    BOOST_CHECK(d.list("clerk").empty());
}

BOOST_AUTO_TEST_CASE(bad_drafts_are_refused) {
    StoreFixture f;
    auto c = new_case(f, 4);
    store::IntakeDrafts d(f.s->db());
    BOOST_CHECK_THROW(d.save(c.id.to_string(), "clerk", "form", "[1, 2]", at(1)), core::InvalidData);
    BOOST_CHECK_THROW(d.save(c.id.to_string(), "clerk", "form", "{not json", at(1)), core::InvalidData);
    BOOST_CHECK_THROW(d.save(c.id.to_string(), "clerk", "", "{}", at(1)), core::InvalidData);
    BOOST_CHECK_THROW(d.save("", "clerk", "form", "{}", at(1)), core::InvalidData);
    BOOST_CHECK_THROW(d.save(c.id.to_string(), "clerk", "form", std::string(store::IntakeDrafts::kMaxBodyBytes + 1, ' '), at(1)),
                      core::InvalidData);
    // The row references its case.
    BOOST_CHECK_THROW(d.save("00000000-0000-7000-8000-000000000000", "clerk", "form", "{}", at(1)), store::StoreError);
    BOOST_CHECK(d.list("clerk").empty());
}

BOOST_AUTO_TEST_SUITE_END()
