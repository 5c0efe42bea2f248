// ResultPresenter on the demo desk's real encrypted store, signed in as its window clerk through
// DeskServices: a decided case of the 待出件 queue with its sealed decision; the checks of a
// handover before anything is written; pickup signed on the pad (signature-sim through the plugin
// host, the PNG stored with the case and its file removed), signed on paper, and mail — each with
// its receipt.
#include <boost/test/unit_test.hpp>

#include "common/signature_pad.h"
#include "demo_desk_fixture.h"
#include "result/result_presenter.h"

#include "ow/store/queues.h"

using namespace ow;
using app::HandoverMode;
using app::HandoverRequest;
using app::ResultPresenter;

namespace {

struct ClerkDesk : test::DemoDeskFixture<24> {
    std::vector<std::string> to_issue() {
        store::CaseQueues q(services->store().db(), services->calendar());
        std::vector<std::string> out;
        for (const auto& r : q.page(store::Queue::to_issue, services->today(), 20))
            if (r.state == "approved" || r.state == "denied") out.push_back(r.case_id);
        BOOST_REQUIRE_MESSAGE(out.size() >= 3, "the demo desk has fewer than 3 decided cases to issue");
        return out;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(result_presenter)

BOOST_AUTO_TEST_CASE(a_handover_is_checked_before_anything_is_written) {
    ClerkDesk d;
    ResultPresenter p(*d.services);
    HandoverRequest r;
    BOOST_CHECK_EQUAL(p.prepare(r).code, "result.no_case");
    BOOST_REQUIRE(p.open(d.to_issue().front()));
    BOOST_CHECK(p.issuable());
    BOOST_CHECK(!p.ratable());
    BOOST_CHECK(!p.current()->applicant_name.empty());
    BOOST_CHECK_EQUAL(p.prepare(r).code, "result.signature_missing");
    r.mode = HandoverMode::pickup_paper;
    BOOST_CHECK(p.prepare(r).ok());
    r.mode = HandoverMode::mail;
    BOOST_CHECK_EQUAL(p.prepare(r).code, "result.address_missing");
    r.address = "济南市历下区经十路1号";
    r.carrier = "";
    BOOST_CHECK_EQUAL(p.prepare(r).code, "result.carrier_missing");
    r.carrier = ResultPresenter::carriers().front();
    BOOST_CHECK_EQUAL(p.prepare(r).code, "result.tracking_missing");
    for (const char* bad : {"1234567", "EMS 1234 5678", "1234567890123456789012345678901", "单号12345678"}) {
        r.tracking_no = bad;
        BOOST_CHECK_MESSAGE(p.prepare(r).code == "result.tracking_format", bad);
    }
    r.tracking_no = "EA123456789CN";
    BOOST_CHECK(p.prepare(r).ok());
}

BOOST_AUTO_TEST_CASE(pickup_signed_on_the_pad_on_paper_and_mail_each_make_their_receipt) {
    ClerkDesk d;
    const auto ids = d.to_issue();
    ResultPresenter p(*d.services);

    // Signed on the pad: the simulator's PNG goes with the case; the file is gone afterwards.
    auto sig = app::capture_signature(d.services->plugins());
    BOOST_REQUIRE_MESSAGE(sig.ok(), sig.code << ": " << sig.message);
    BOOST_REQUIRE(std::filesystem::exists(sig.png));
    BOOST_REQUIRE(p.open(ids[0]));
    BOOST_REQUIRE(p.current()->decision);
    BOOST_CHECK(p.current()->decision->pdf.starts_with("%PDF"));
    HandoverRequest r;
    r.signature_png = sig.png;
    BOOST_REQUIRE(p.prepare(r).ok());
    auto out = ResultPresenter::run(d.services->workflow(), ids[0], r);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK(!std::filesystem::exists(sig.png));
    app::discard_signature(sig);
    BOOST_CHECK(out.state == core::CaseState::result_issued);
    BOOST_REQUIRE(out.receipt);
    BOOST_CHECK_EQUAL(out.receipt->kind, "pickup_receipt");
    p.issued(out);
    BOOST_CHECK(p.current()->receipt);
    BOOST_CHECK(!p.issuable());
    BOOST_CHECK(p.ratable());
    auto c = d.services->workflow().load(*core::Uuid::parse(ids[0]));
    BOOST_REQUIRE(c.handover);
    BOOST_CHECK_EQUAL(c.history.back().data.value("signature_sha256", "").size(), 64u);
    // Handed out already: a second handover is refused before anything is written.
    BOOST_CHECK_EQUAL(p.prepare(r).code, "result.not_decided");

    // Signed on paper.
    BOOST_REQUIRE(p.open(ids[1]));
    r = {};
    r.mode = HandoverMode::pickup_paper;
    r.recipient = "代领人 张三";
    out = ResultPresenter::run(d.services->workflow(), ids[1], r);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK_EQUAL(out.receipt->kind, "pickup_receipt");
    c = d.services->workflow().load(*core::Uuid::parse(ids[1]));
    BOOST_CHECK_EQUAL(c.handover->recipient, "代领人 张三");
    BOOST_CHECK(!c.history.back().data.contains("signature_sha256"));

    // By mail.
    BOOST_REQUIRE(p.open(ids[2]));
    r = {};
    r.mode = HandoverMode::mail;
    r.address = "济南市历下区经十路1号";
    r.carrier = "顺丰速运";
    r.tracking_no = "SF1234567890123";
    out = ResultPresenter::run(d.services->workflow(), ids[2], r);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK_EQUAL(out.receipt->kind, "mail_receipt");
    c = d.services->workflow().load(*core::Uuid::parse(ids[2]));
    BOOST_REQUIRE(c.handover);
    BOOST_CHECK(c.handover->mode == core::ResultHandover::Mode::mail);
    BOOST_CHECK_EQUAL(c.handover->tracking_no, "SF1234567890123");
}

BOOST_AUTO_TEST_SUITE_END()
