// ReviewPresenter on the demo desk's real encrypted store, signed in as its chief representatives
// (chief-a on post A, chief-b on post B) through DeskServices as the desk does: the 待决定 case with
// its form, materials, checks and documents; the checks of a request before anything is written;
// a wrong seal PIN that seals and commits nothing; an approval sealed with the post's approval
// seal (opened with the PIN); post B acting for an absent post A, recorded in the history.
#include <boost/test/unit_test.hpp>

#include "demo_desk_fixture.h"
#include "newborn.h"
#include "review/review_presenter.h"

#include "ow/seal/seal.h"
#include "ow/store/documents.h"
#include "ow/store/queues.h"

using namespace ow;
using app::ReviewPresenter;
using app::ReviewRequest;
using workflow::Verdict;

namespace {

struct ChiefDesk : test::DemoDeskFixture<24> {
    /// The first case of the 待决定 queue.
    std::string first_awaiting() {
        store::CaseQueues q(services->store().db(), services->calendar());
        auto rows = q.page(store::Queue::awaiting_decision, services->today(), 10);
        BOOST_REQUIRE_MESSAGE(!rows.empty(), "the demo desk has no case awaiting a decision");
        return rows.front().case_id;
    }
    std::size_t history_size(const std::string& id) {
        return services->workflow().load(*core::Uuid::parse(id)).history.size();
    }
    std::size_t documents(const std::string& id) { return store::CaseDocuments(services->store().db()).list(id).size(); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(review_presenter)

BOOST_AUTO_TEST_CASE(a_case_awaiting_decision_opens_with_what_the_decision_rests_on) {
    ChiefDesk d;
    d.sign_in(d.demo.chief_a);
    ReviewPresenter p(*d.services);
    BOOST_CHECK(!p.open("not-a-case-id"));
    BOOST_CHECK(!p.open("0190a000-0000-7000-8000-000000000000"));
    BOOST_REQUIRE(p.open(d.first_awaiting()));
    const auto* c = p.current();
    BOOST_REQUIRE(c);
    BOOST_CHECK(c->state == core::CaseState::under_review);
    BOOST_CHECK(!c->receipt_no.empty());
    BOOST_CHECK(!c->applicant_name.empty());
    BOOST_CHECK(p.decidable());
    BOOST_CHECK(!p.on_post_b());
    // The form as answered, in the UI language, and the materials.
    BOOST_CHECK_GT(c->form.size(), 2u);
    for (const auto& f : c->form) BOOST_CHECK(!f.label.empty());
    BOOST_CHECK(std::any_of(c->form.begin(), c->form.end(), [](const app::ReviewField& f) { return !f.heading && !f.value.empty(); }));
    BOOST_CHECK(!c->materials.empty());
    // The desk's checks: the seed's ID numbers are valid, accepted cases have their materials.
    auto check = [&](const std::string& code) {
        for (const auto& k : c->checks)
            if (k.code == code) return &k;
        return static_cast<const app::ReviewCheck*>(nullptr);
    };
    BOOST_REQUIRE(check("materials"));
    BOOST_CHECK(check("materials")->ok);
    if (c->applicant_kind == core::ApplicantKind::person) {
        BOOST_REQUIRE(check("id_number"));
        BOOST_CHECK(check("id_number")->ok);
        BOOST_CHECK_EQUAL(check("id_number")->detail.size(), 10u);  // the birth date
    }
    // The seal the decision would carry: the post's approval seal (PKCS#12 in the store).
    auto seal = p.seal();
    BOOST_CHECK(seal.assigned);
    BOOST_CHECK_EQUAL(seal.name, "行政审批专用章");
    BOOST_CHECK(!seal.token);
    BOOST_CHECK_EQUAL(ReviewPresenter::phrases(Verdict::approve).size(), 3u);
}

BOOST_AUTO_TEST_CASE(a_request_is_checked_before_anything_is_written) {
    ChiefDesk d;
    d.sign_in(d.demo.chief_a);
    ReviewPresenter p(*d.services);
    ReviewRequest r;
    BOOST_CHECK_EQUAL(p.prepare(r).code, "review.no_case");
    const auto id = d.first_awaiting();
    BOOST_REQUIRE(p.open(id));
    r.verdict = Verdict::deny;
    BOOST_CHECK_EQUAL(p.prepare(r).code, "review.opinion_missing");
    r.opinion = "  ";
    BOOST_CHECK_EQUAL(p.prepare(r).code, "review.opinion_missing");
    r.verdict = Verdict::return_for_correction;
    r.opinion = "材料不清晰";
    BOOST_CHECK_EQUAL(p.prepare(r).code, "review.nothing_to_correct");
    r.verdict = Verdict::approve;
    r.opinion.clear();
    BOOST_CHECK_EQUAL(p.prepare(r).code, "review.pin_missing");  // the seal is applied after its PIN
    r.pin = app::kDemoSealPin;
    BOOST_CHECK(p.prepare(r).ok());
    r.verdict = Verdict::escalate;
    r.pin.clear();
    r.opinion = "报上级";
    BOOST_CHECK(p.prepare(r).ok());  // no seal, no PIN
}

BOOST_AUTO_TEST_CASE(a_wrong_pin_seals_and_commits_nothing_the_right_one_approves) {
    ChiefDesk d;
    d.sign_in(d.demo.chief_a);
    ReviewPresenter p(*d.services);
    const auto id = d.first_awaiting();
    BOOST_REQUIRE(p.open(id));
    const auto history = d.history_size(id), docs = d.documents(id);
    ReviewRequest r;
    r.verdict = Verdict::approve;
    r.opinion = ReviewPresenter::phrases(Verdict::approve).front();
    r.pin = "wrong-pin";
    BOOST_REQUIRE(p.prepare(r).ok());
    auto out = ReviewPresenter::run(d.services->workflow(), id, r);
    BOOST_CHECK(out.kind == app::ReviewOutcome::Kind::refused);
    BOOST_CHECK_EQUAL(out.code, "workflow.seal_pin_wrong");
    BOOST_CHECK(!out.document);
    BOOST_CHECK_EQUAL(d.history_size(id), history);
    BOOST_CHECK_EQUAL(d.documents(id), docs);
    p.decided(out);
    BOOST_CHECK(p.current()->state == core::CaseState::under_review);

    r.pin = app::kDemoSealPin;
    out = ReviewPresenter::run(d.services->workflow(), id, r);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK(out.state == core::CaseState::approved);
    BOOST_REQUIRE(out.document);
    BOOST_CHECK(out.document->sealed);
    BOOST_CHECK_EQUAL(out.document->seal_name, "行政审批专用章");
    BOOST_CHECK(out.document->pdf.starts_with("%PDF"));
    BOOST_CHECK_EQUAL(d.documents(id), docs + 1);
    p.decided(out);
    BOOST_CHECK(p.current()->state == core::CaseState::approved);
    BOOST_CHECK(!p.decidable());
    // The decision joins the documents the viewer shows.
    const auto& shown = p.current()->documents;
    BOOST_CHECK(std::any_of(shown.begin(), shown.end(), [&](const app::ReviewDocument& x) { return x.kind == out.document->kind && x.sealed; }));
}

BOOST_AUTO_TEST_CASE(a_return_names_the_materials_and_what_is_wrong) {
    ChiefDesk d;
    d.sign_in(d.demo.chief_a);
    ReviewPresenter p(*d.services);
    const auto id = d.first_awaiting();
    BOOST_REQUIRE(p.open(id));
    ReviewRequest r;
    r.verdict = Verdict::return_for_correction;
    r.opinion = ReviewPresenter::phrases(Verdict::return_for_correction).at(1);
    r.correct = {p.current()->materials.front().code};
    r.correct_note = "扫描件模糊，请提供清晰原件";
    BOOST_REQUIRE(p.prepare(r).ok());
    auto out = ReviewPresenter::run(d.services->workflow(), id, r);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK(out.state == core::CaseState::correction_requested);
    auto c = d.services->workflow().load(*core::Uuid::parse(id));
    const auto& m = c.history.back().data.at("materials");
    BOOST_REQUIRE_EQUAL(m.size(), 1u);
    BOOST_CHECK_EQUAL(m[0].value("material_code", ""), r.correct.front());
    BOOST_CHECK_EQUAL(m[0].value("status", ""), "defective");
    BOOST_CHECK_EQUAL(m[0].value("note", ""), r.correct_note);
    // Without a note the materials are asked for as missing.
    const auto other = d.services->store().db().query_text(
        "SELECT id FROM cases WHERE state = 'under_review' AND id <> '" + id + "' LIMIT 1");
    BOOST_REQUIRE(other);
    BOOST_REQUIRE(p.open(*other));
    r.correct = {p.current()->materials.front().code};
    r.correct_note.clear();
    out = ReviewPresenter::run(d.services->workflow(), *other, r);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    c = d.services->workflow().load(*core::Uuid::parse(*other));
    BOOST_CHECK_EQUAL(c.history.back().data.at("materials")[0].value("status", ""), "missing");
}

BOOST_AUTO_TEST_CASE(post_b_acts_for_an_absent_post_a_explicitly) {
    ChiefDesk d;
    d.sign_in(d.demo.chief_b);
    const auto id = d.first_awaiting();
    ReviewPresenter p(*d.services);
    BOOST_REQUIRE(p.open(id));
    BOOST_CHECK(p.on_post_b());
    BOOST_CHECK(p.absent_a().empty());  // A is present: B may not decide
    ReviewRequest r;
    r.verdict = Verdict::approve;
    r.pin = app::kDemoSealPin;
    BOOST_CHECK_EQUAL(p.prepare(r).code, "review.acting_for_missing");
    r.acting_for = d.demo.chief_a;
    auto out = ReviewPresenter::run(d.services->workflow(), id, r);
    BOOST_CHECK_EQUAL(out.code, "workflow.a_present");
    {
        auto admin = store::Store::open(d.demo.dir, d.demo.admin, d.demo.password);
        admin->set_absent(d.demo.chief_a, true);
    }
    auto absent = p.absent_a();
    BOOST_REQUIRE_EQUAL(absent.size(), 1u);
    BOOST_CHECK_EQUAL(absent.front().user, d.demo.chief_a);
    BOOST_CHECK(p.prepare(r).ok());
    out = ReviewPresenter::run(d.services->workflow(), id, r);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    auto c = d.services->workflow().load(*core::Uuid::parse(id));
    BOOST_REQUIRE(c.decision);
    BOOST_CHECK_EQUAL(c.decision->by.user_id, d.demo.chief_b);
    BOOST_CHECK_EQUAL(c.decision->by.acting_for, d.demo.chief_a);
    BOOST_CHECK(c.history.back().actor.post == core::Post::B);
}

BOOST_AUTO_TEST_CASE(countersigning_shows_who_has_signed_and_who_is_awaited) {
    ChiefDesk d;
    // The clerk takes the newborn bundle (four items: four parts to countersign) to the chief.
    d.sign_in(d.demo.user);
    std::string id;
    {
        auto& wf = d.services->workflow();
        const auto c = wf.start_intake({"", "BUNDLE-XSECS"}).case_data;
        id = c.id.to_string();
        wf.set_applicant(c.id, {core::ApplicantKind::person, core::DocumentType::resident_id, "11010519491231002X", "李红", "13800138000", "", ""});
        const auto photo = seal::make_demo_seal("测试", d.tmp.path / "photo").png;  // a real PNG as the scanned photo
        wf.record_material(c.id, {"sbk.photo", core::MaterialStatus::scanned, photo, std::nullopt, "", ""});
        wf.answer(c.id, test::newborn_answers());
        for (const auto& e : wf.load(c.id).checklist.entries)
            if (!e.satisfied() && e.necessity == core::Necessity::required)
                wf.record_material(c.id, {e.material_code, core::MaterialStatus::original_received, std::nullopt, std::nullopt, "", ""});
        wf.accept(c.id);
        wf.submit(c.id);
    }
    d.sign_in(d.demo.chief_a);
    ReviewPresenter p(*d.services);
    BOOST_REQUIRE(p.open(id));
    const auto* c = p.current();
    BOOST_REQUIRE_EQUAL(c->parts.size(), 4u);
    for (const auto& part : c->parts) {
        BOOST_CHECK(!part.signed_off);
        BOOST_CHECK(!part.item_name.empty());
        BOOST_CHECK(!part.department.empty());  // who is awaited
    }
    // The scanned photo is among the documents the viewer shows, as a PNG.
    BOOST_CHECK(std::any_of(c->documents.begin(), c->documents.end(),
                            [](const app::ReviewDocument& x) { return x.kind == "scan" && x.mime == "image/png"; }));
    BOOST_CHECK_EQUAL(p.open_parts().size(), 4u);
    ReviewRequest r;
    r.verdict = Verdict::approve;
    r.opinion = "材料齐全，符合条件";
    r.pin = app::kDemoSealPin;
    BOOST_CHECK_EQUAL(p.prepare(r).code, "review.part_missing");
    r.part = p.open_parts().front();
    BOOST_REQUIRE(p.prepare(r).ok());
    auto out = ReviewPresenter::run(d.services->workflow(), id, r);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK(out.part_only);
    BOOST_CHECK(!out.document);  // the decision is made with the last part
    BOOST_CHECK(out.state == core::CaseState::under_review);
    p.decided(out);
    c = p.current();
    BOOST_REQUIRE_EQUAL(c->parts.size(), 4u);
    const auto& signed_part = c->parts.front();
    BOOST_CHECK_EQUAL(signed_part.item_code, r.part);
    BOOST_CHECK(signed_part.signed_off);
    BOOST_CHECK(signed_part.approved);
    BOOST_CHECK_EQUAL(signed_part.by, "张首席（示例）");
    BOOST_CHECK(signed_part.at.has_value());
    BOOST_CHECK_EQUAL(p.open_parts().size(), 3u);
    BOOST_CHECK(std::none_of(c->parts.begin() + 1, c->parts.end(), [](const app::ReviewPart& x) { return x.signed_off; }));
}

BOOST_AUTO_TEST_SUITE_END()
