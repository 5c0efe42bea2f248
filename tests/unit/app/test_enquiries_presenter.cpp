// EnquiriesPresenter on the demo desk's real encrypted store (首问负责): the clerk records an
// enquiry (and one answered at once), hands one to chief-a with a note, chief-a replies and the
// list shows who asked first, who holds it and the handover; a complaint not answered is overdue
// after its working day; an enquiry about an item becomes an intake once; bad input is refused
// with its code and nothing is recorded.
#include <boost/test/unit_test.hpp>

#include "demo_desk_fixture.h"
#include "enquiries/enquiries_presenter.h"

#include "ow/core/date.h"
#include "ow/workflow/workflow.h"

using namespace ow;

namespace {

workflow::NewEnquiry asked(const std::string& subject, const std::string& item = {}, const std::string& reply = {}) {
    workflow::NewEnquiry e;
    e.asker_name = "周红";
    e.asker_phone = "13905310011";
    e.item_code = item;
    e.subject = subject;
    e.reply = reply;
    return e;
}

const std::string kGtgs = "370102-SC-0001-001";  // 个体工商户设立登记

}  // namespace

BOOST_AUTO_TEST_SUITE(enquiries_presenter)

BOOST_AUTO_TEST_CASE(recorded_handed_over_and_replied_by_the_colleague) {
    test::DemoDeskFixture<4> d;
    app::EnquiriesPresenter p(*d.services);
    p.refresh();
    BOOST_CHECK(p.rows().empty());
    BOOST_CHECK_EQUAL(p.open_count(), 0);

    auto bad = p.record(asked("   "));
    BOOST_CHECK_EQUAL(bad.code, "enquiry.invalid");
    auto bad_phone = asked("营业时间？");
    bad_phone.asker_phone = "not a phone";
    BOOST_CHECK_EQUAL(p.record(bad_phone).code, "enquiry.invalid");

    auto first = p.record(asked("个体工商户设立需要哪些材料？", kGtgs));
    BOOST_REQUIRE_MESSAGE(first.ok(), first.code << " " << first.message);
    auto spot = p.record(asked("周六办公吗？", "", "周六上午办理不动产和社保业务。"));
    BOOST_REQUIRE(spot.ok());
    BOOST_REQUIRE_EQUAL(p.rows().size(), 1u);  // open ones only: the one answered at once is not listed
    const auto& row = p.rows()[0];
    BOOST_CHECK_EQUAL(row.id, first.id);
    BOOST_CHECK_EQUAL(row.item_name, "个体工商户设立登记");
    BOOST_CHECK_EQUAL(row.asker, "周红 139****0011");  // the phone masked
    BOOST_CHECK(row.mine);
    BOOST_CHECK(row.workable);
    BOOST_CHECK(!row.overdue);
    BOOST_CHECK_EQUAL(row.due, core::format_date(d.services->calendar().add_working_days(d.services->today(), 1)));
    p.set_filter(true, false);
    p.refresh();
    BOOST_CHECK_EQUAL(p.rows().size(), 2u);
    BOOST_CHECK_EQUAL(p.open_count(), 1);

    // Handed to chief-a: the clerk stays the first asked.
    auto colleagues = p.colleagues();
    BOOST_REQUIRE(std::any_of(colleagues.begin(), colleagues.end(), [&](const app::Colleague& c) { return c.user == d.demo.chief_a; }));
    BOOST_CHECK(std::none_of(colleagues.begin(), colleagues.end(), [&](const app::Colleague& c) { return c.user == d.demo.user; }));
    auto handed = p.hand_over(first.id, d.demo.chief_a, "涉及经营范围，请首席代表答复");
    BOOST_REQUIRE_MESSAGE(handed.ok(), handed.code << " " << handed.message);
    p.set_filter(false, true);  // only those I hold: none now
    p.refresh();
    BOOST_CHECK(p.rows().empty());

    d.sign_in(d.demo.chief_a);
    app::EnquiriesPresenter chief(*d.services);
    chief.set_filter(false, true);
    chief.refresh();
    BOOST_REQUIRE_EQUAL(chief.rows().size(), 1u);
    const auto& held = chief.rows()[0];
    BOOST_CHECK(held.workable);
    BOOST_REQUIRE_EQUAL(held.handovers.size(), 1u);
    BOOST_CHECK_EQUAL(held.handovers[0].note, "涉及经营范围，请首席代表答复");
    BOOST_CHECK(held.owner != held.holder);
    BOOST_CHECK_EQUAL(chief.reply(first.id, " ").code, "enquiry.invalid");
    auto replied = chief.reply(first.id, "请带身份证原件和经营场所使用证明。");
    BOOST_REQUIRE_MESSAGE(replied.ok(), replied.code << " " << replied.message);
    BOOST_CHECK(chief.rows().empty());  // answered: no longer open
    BOOST_CHECK_EQUAL(chief.reply(first.id, "again").code, "workflow.enquiry_closed");
    chief.set_filter(true, false);
    chief.refresh();
    const auto* done = chief.row(first.id);
    BOOST_REQUIRE(done);
    BOOST_CHECK_EQUAL(done->state, "answered");
    BOOST_CHECK_EQUAL(done->reply, "请带身份证原件和经营场所使用证明。");
    BOOST_CHECK(!done->workable);
}

BOOST_AUTO_TEST_CASE(an_enquiry_about_an_item_becomes_an_intake_once) {
    test::DemoDeskFixture<4> d;
    app::EnquiriesPresenter p(*d.services);
    auto none = p.record(asked("大厅几点开门？"));
    BOOST_REQUIRE(none.ok());
    BOOST_CHECK_EQUAL(p.to_case(none.id).code, "enquiry.no_item");
    auto about = p.record(asked("想办个体工商户营业执照", kGtgs));
    BOOST_REQUIRE(about.ok());
    auto made = p.to_case(about.id);
    BOOST_REQUIRE_MESSAGE(made.ok(), made.code << " " << made.message);
    BOOST_REQUIRE(!made.case_id.empty());
    auto c = d.services->workflow().load(*core::Uuid::parse(made.case_id));
    BOOST_CHECK(c.state == core::CaseState::draft);
    BOOST_CHECK_EQUAL(c.item_code, kGtgs);
    BOOST_CHECK_EQUAL(p.to_case(about.id).code, "workflow.enquiry_closed");
    p.set_filter(true, false);
    p.refresh();
    const auto* row = p.row(about.id);
    BOOST_REQUIRE(row);
    BOOST_CHECK_EQUAL(row->state, "case");
    BOOST_CHECK_EQUAL(row->receipt_no, c.receipt_no);
}

BOOST_AUTO_TEST_SUITE_END()
