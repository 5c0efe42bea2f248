// AppointmentsPresenter on the demo desk's real encrypted store, signed in as its window clerk:
// today's appointments (as the sync pass stores them from the platform) listed by slot with the ID
// number and phone masked; a check-in starts the intake (a draft of the booked item with the
// applicant from the appointment and the ticked green flags) and the row says so; a second check-in
// of the same row is refused; a no-show is refused before the slot is over and recorded after it;
// another day's appointment is not listed.
#include <boost/test/unit_test.hpp>

#include "appointments/appointments_presenter.h"
#include "demo_desk_fixture.h"

#include "ow/core/date.h"
#include "ow/store/appointments.h"

using namespace ow;

namespace {

struct AppointmentDesk : test::DemoDeskFixture<12> {
    /// An appointment as the sync pass stores it from the platform.
    void book(const std::string& id, core::Date day, const std::string& start, const std::string& end, bool masked) {
        store::Appointment a;
        a.id = id;
        a.applicant_name = "王芳";
        a.doc_number = masked ? "1101**********002X" : "11010519491231002X";
        a.doc_masked = masked;
        a.phone = "13800138000";
        a.item_code = "370102-RS-0211-001";  // 社会保障卡申领 (promised)
        a.item_name = "社会保障卡申领";
        a.day = core::format_date(day);
        a.slot_start = start;
        a.slot_end = end;
        a.channel = "3";
        store::Appointments(services->store().db()).upsert_from_platform(a, demo.now);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(appointments_presenter)

BOOST_AUTO_TEST_CASE(a_check_in_starts_the_intake_with_the_green_flags) {
    AppointmentDesk d;
    const auto today = d.services->today();
    d.book("apt-late", today, "23:58", "23:59", false);
    d.book("apt-early", today, "00:00", "00:01", true);
    d.book("apt-tomorrow", today + std::chrono::days(1), "09:00", "09:30", false);
    app::AppointmentsPresenter p(*d.services);
    p.refresh();
    BOOST_REQUIRE_EQUAL(p.rows().size(), 2u);  // not tomorrow's
    BOOST_CHECK_EQUAL(p.rows()[0].id, "apt-early");  // by slot
    BOOST_CHECK_EQUAL(p.rows()[1].slot, "23:58\u201323:59");
    BOOST_CHECK_EQUAL(p.rows()[1].doc_number, "1101**********002X");  // a whole number masked for the screen
    BOOST_CHECK_EQUAL(p.rows()[1].phone, "138****8000");
    BOOST_CHECK_EQUAL(p.rows()[1].item_name, "社会保障卡申领");
    BOOST_CHECK_EQUAL(p.booked(), 2);
    BOOST_CHECK(p.rows()[1].checkable);

    // A no-show before the slot is over: refused.
    auto o = p.mark_no_show("apt-late");
    BOOST_CHECK_EQUAL(o.code, "workflow.appointment_slot_not_over");

    o = p.check_in("apt-late", {core::GreenFlag::elderly});
    BOOST_REQUIRE_MESSAGE(o.ok(), o.code << ": " << o.message);
    BOOST_REQUIRE(!o.case_id.empty());
    auto& db = d.services->store().db();
    BOOST_CHECK_EQUAL(db.query_text("SELECT state FROM cases WHERE id = '" + o.case_id + "'").value_or(""), "draft");
    BOOST_CHECK_EQUAL(db.query_text("SELECT item_code FROM cases WHERE id = '" + o.case_id + "'").value_or(""), "370102-RS-0211-001");
    BOOST_CHECK_EQUAL(db.query_int("SELECT green FROM cases WHERE id = '" + o.case_id + "'"), 1);
    BOOST_CHECK_EQUAL(db.query_text("SELECT applicant_doc FROM cases WHERE id = '" + o.case_id + "'").value_or(""), "11010519491231002X");
    // The row says so (the presenter read the rows again).
    BOOST_CHECK_EQUAL(p.rows()[1].status, "arrived");
    BOOST_CHECK_EQUAL(p.rows()[1].case_id, o.case_id);
    BOOST_CHECK(!p.rows()[1].checkable);
    BOOST_CHECK_EQUAL(p.arrived(), 1);
    // Twice: refused, nothing more started.
    const auto cases = db.query_int("SELECT count(*) FROM cases");
    BOOST_CHECK_EQUAL(p.check_in("apt-late", {}).code, "workflow.appointment_not_booked");
    BOOST_CHECK_EQUAL(db.query_int("SELECT count(*) FROM cases"), cases);

    // The early slot is over: a no-show, reported at the next sync.
    o = p.mark_no_show("apt-early");
    BOOST_REQUIRE_MESSAGE(o.ok(), o.code << ": " << o.message);
    BOOST_CHECK_EQUAL(p.rows()[0].status, "no_show");
    BOOST_CHECK_EQUAL(store::Appointments(db).pending_reports().size(), 2u);
    BOOST_CHECK_EQUAL(p.check_in("no-such-appointment", {}).code, "appointment.invalid");
}

BOOST_AUTO_TEST_SUITE_END()
