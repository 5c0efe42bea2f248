// The acts at the window (ow_workflow) on real SQLCipher stores: who may do what, nothing written
// when an act is refused, drafts held from the platform until the applicant is known, e-licences,
// decisions sealed only with an assigned seal, bad ratings' follow-ups.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/forms/definition.h"
#include "ow/notices/renderer.h"
#include "ow/seal/seal.h"
#include "ow/store/authorisations.h"
#include "ow/store/documents.h"
#include "ow/store/queues.h"
#include "ow/store/cases.h"
#include "ow/store/repositories.h"
#include "ow/store/settings_registry.h"
#include "ow/workflow/workflow.h"

#include <algorithm>
#include <fstream>

using namespace ow;
using namespace ow::test;
using nlohmann::json;

namespace {

const std::string kItem = "370102-SC-0001-001";  // 个体工商户设立登记: immediate, licensing
const std::string kId = "11010519491231002X";

struct Centre {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    core::Catalogue cat = catalogue();
    forms::FormCatalogue forms = forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    notices::NoticeRenderer renderer{notices::TemplateSet::load_directory(std::string(OW_SOURCE_DIR) + "/assets/notices")};
    std::vector<std::string> licences;  // what the fake platform holds for anyone

    Centre() {
        store::Store::init(dir, "admin", core::Role::admin, kPassword, fast_kdf());
        auto a = open("admin");
        a->set_user("clerk", core::Role::clerk, kPassword, fast_kdf());
        a->set_user("chief_a", core::Role::chief, kPassword, fast_kdf());
        a->set_user("chief_b", core::Role::chief, kPassword, fast_kdf());
        a->set_user_profile("chief_a", core::Post::A, "张首席");
        a->set_user_profile("chief_b", core::Post::B, "李首席");
    }
    std::unique_ptr<store::Store> open(const std::string& user) { return store::Store::open(dir, user, kPassword); }
    std::function<core::Instant()> clock;  // empty: the real clock
    workflow::Workflow wf(store::Store& s) {
        workflow::Environment env;
        env.now = clock;
        env.catalogue = &cat;
        env.forms = &forms;
        env.renderer = &renderer;
        env.envelope.window = "综合受理窗口";
        env.envelope.progress_url = "https://example.gov.cn/p?no={receipt_no}";
        env.e_licences = [this](core::DocumentType, const std::string&) { return licences; };
        return workflow::Workflow(s, calendar(), std::move(env));
    }
    void assign_demo_seal(const std::vector<std::string>& users = {}) {
        auto demo = seal::make_demo_seal("测试行政审批局", tmp.path / "seal");
        auto read = [](const std::filesystem::path& p) {
            std::ifstream in(p, std::ios::binary);
            return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        };
        auto a = open("admin");
        store::SealAssignment s;
        s.holder_kind = store::SealAssignment::HolderKind::post;
        s.name = "行政审批专用章";
        s.signer = "demo";
        s.p12 = read(demo.p12);
        s.pin = read(demo.pin_file);
        while (!s.pin.empty() && (s.pin.back() == '\n' || s.pin.back() == '\r')) s.pin.pop_back();
        s.image = read(demo.png);
        for (const char* post : {"A", "B"}) {
            s.holder = post;
            store::SealAssignments(a->db()).assign(s, a->actor(), core::now());
        }
        s.holder_kind = store::SealAssignment::HolderKind::user;
        for (const auto& user : users) {
            s.holder = user;
            store::SealAssignments(a->db()).assign(s, a->actor(), core::now());
        }
    }
    /// A case of kItem ready to be decided (accepted), by the clerk.
    core::Uuid accepted_case() {
        auto s = open("clerk");
        auto w = wf(*s);
        auto id = w.start_intake({kItem, ""}).case_data.id;
        w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "13800138000", "", ""});
        make_ready(w, id);
        BOOST_REQUIRE(w.accept(id).case_data.state == core::CaseState::accepted);
        return id;
    }
    /// Answers kItem's form and records its materials: nothing blocks acceptance any more.
    static void make_ready(workflow::Workflow& w, const core::Uuid& id) {
        w.answer(id, json{{"operator_name", "李红"}, {"operator_id", kId}, {"operator_phone", "13800138000"}, {"organisation", "individual"},
                          {"business_name", "李红小吃店"}, {"business_scope", "小吃服务"},
                          {"premises", {{"region", "370102"}, {"detail", "经十路2号"}}}, {"capital_fen", 5000000},
                          {"employees", 2}, {"agent_present", false}});
        for (const char* m : {"application", "operator_id", "premises"})
            w.record_material(id, {m, core::MaterialStatus::original_received, std::nullopt, std::nullopt, "", ""});
    }
};

struct Counts {
    std::int64_t history, outbox, audit, documents;
    bool operator==(const Counts&) const = default;
};
Counts counts(store::Db& db, const core::Uuid& id) {
    auto n = [&](const std::string& sql) {
        store::Stmt q(db, sql);
        q.bind(1, id.to_string());
        q.step();
        return q.int64(0);
    };
    return {n("SELECT count(*) FROM case_history WHERE case_id = ?"), n("SELECT count(*) FROM outbox WHERE case_id = ?"),
            n("SELECT count(*) FROM audit WHERE case_id = ?"), n("SELECT count(*) FROM case_documents WHERE case_id = ?")};
}

template <class F>
std::string refused_code(F&& f) {
    try {
        f();
    } catch (const workflow::Refused& e) {
        return e.code();
    }
    return "<not refused>";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(acts)

BOOST_FIXTURE_TEST_CASE(a_draft_is_held_from_the_platform_until_the_applicant_is_known, Centre) {
    auto s = open("clerk");
    auto w = wf(*s);
    auto id = w.start_intake({kItem, ""}).case_data.id;
    BOOST_CHECK_EQUAL(counts(s->db(), id).outbox, 0);  // nothing the platform would refuse
    // Only clerks take applications.
    auto chief = open("chief_a");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*chief).start_intake({kItem, ""}); }), "workflow.not_authorised");
    BOOST_CHECK_THROW(w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, "110105194912310021", "李红", "", "", ""}),
                      workflow::InvalidInput);  // a wrong check digit
    auto r = w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "", "", ""});
    BOOST_CHECK_EQUAL(r.case_data.applicant.name, "李红");
    BOOST_CHECK_EQUAL(s->db().query_text("SELECT group_concat(kind) FROM outbox WHERE case_id = '" + id.to_string() + "'").value_or(""),
                      "snapshot");  // the draft with its history, once
    BOOST_CHECK_THROW(w.answer(id, json{{"operator_name", "李红"}}), workflow::InvalidInput);  // incomplete: every problem named
}

BOOST_FIXTURE_TEST_CASE(an_open_case_of_the_same_applicant_and_item_is_named_and_its_acceptance_records_it, Centre) {
    auto first = accepted_case();
    auto s = open("clerk");
    auto w = wf(*s);
    const std::string first_receipt = w.load(first).receipt_no;
    auto id = w.start_intake({kItem, ""}).case_data.id;
    BOOST_CHECK(w.open_duplicates(id).empty());  // nobody to compare with before the applicant is known
    auto r = w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "", "", ""});
    BOOST_REQUIRE_EQUAL(r.duplicates.size(), 1u);
    BOOST_CHECK_EQUAL(r.duplicates[0].id, first.to_string());
    BOOST_CHECK_EQUAL(r.duplicates[0].receipt_no, first_receipt);
    BOOST_CHECK_EQUAL(r.duplicates[0].state, "accepted");
    BOOST_CHECK(std::any_of(r.notes.begin(), r.notes.end(), [&](const std::string& n) { return n.find(first_receipt) != std::string::npos; }));
    // Both ways: the first case now has the second (a draft naming the applicant) as its duplicate.
    BOOST_REQUIRE_EQUAL(w.open_duplicates(first).size(), 1u);
    BOOST_CHECK_EQUAL(w.open_duplicates(first)[0].id, id.to_string());

    // Another applicant of the same item is no duplicate.
    auto other = w.start_intake({kItem, ""}).case_data.id;
    BOOST_CHECK(w.set_applicant(other, {core::ApplicantKind::person, core::DocumentType::resident_id, "370102198506123517", "赵明", "", "", ""})
                    .duplicates.empty());
    // A refused case is closed: no duplicate any more.
    auto refused = w.start_intake({kItem, ""}).case_data.id;
    BOOST_CHECK_EQUAL(w.set_applicant(refused, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "", "", ""})
                          .duplicates.size(), 2u);
    w.refuse(refused, {"不属于本机关职权范围", "《中华人民共和国行政许可法》第三十二条"});
    BOOST_CHECK_EQUAL(w.open_duplicates(id).size(), 1u);

    // Accepted knowingly: the acceptance's event names the other open case, and the platform gets it.
    make_ready(w, id);
    auto acc = w.accept(id);
    BOOST_CHECK(acc.case_data.state == core::CaseState::accepted);
    BOOST_REQUIRE_EQUAL(acc.duplicates.size(), 1u);
    const auto& last = acc.case_data.history.back();
    BOOST_CHECK(last.action == core::CaseAction::accept);
    BOOST_REQUIRE(last.data.contains("duplicates"));
    BOOST_CHECK_EQUAL(last.data["duplicates"][0]["id"].get<std::string>(), first.to_string());
    BOOST_CHECK_EQUAL(last.data["duplicates"][0]["receipt_no"].get<std::string>(), first_receipt);
    BOOST_CHECK_EQUAL(s->db().query_text("SELECT count(*) FROM outbox WHERE case_id = '" + id.to_string() +
                                         "' AND payload LIKE '%" + first_receipt + "%'").value_or("0"), "1");
    // The first acceptance, with no other open case then, recorded none.
    auto first_history = w.load(first).history;
    auto first_accept = std::find_if(first_history.begin(), first_history.end(), [](const auto& h) { return h.action == core::CaseAction::accept; });
    BOOST_REQUIRE(first_accept != first_history.end());
    BOOST_CHECK(!first_accept->data.contains("duplicates"));
}

BOOST_FIXTURE_TEST_CASE(a_refused_act_writes_nothing_and_says_why, Centre) {
    auto s = open("clerk");
    auto w = wf(*s);
    auto id = w.start_intake({kItem, ""}).case_data.id;
    auto before = counts(s->db(), id);
    BOOST_CHECK_EQUAL(refused_code([&] { w.accept(id); }), "workflow.no_applicant");
    w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "", "", ""});
    before = counts(s->db(), id);
    BOOST_CHECK_EQUAL(refused_code([&] { w.accept(id); }), "workflow.form_missing");
    BOOST_CHECK_THROW(w.answer(id, json{{"operator_name", 5}}), workflow::InvalidInput);
    BOOST_CHECK(counts(s->db(), id) == before);
    BOOST_CHECK_THROW(w.refuse(id, {"理由", ""}), workflow::InvalidInput);
    BOOST_CHECK(counts(s->db(), id) == before);
}

BOOST_FIXTURE_TEST_CASE(e_licences_the_government_holds_are_marked_not_asked_for, Centre) {
    licences = {"居民身份证", "结婚证"};
    auto s = open("clerk");
    auto w = wf(*s);
    auto id = w.start_intake({kItem, ""}).case_data.id;
    auto r = w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "", "", ""});
    BOOST_CHECK(r.case_data.checklist.find("operator_id")->status == core::MaterialStatus::e_licence);
    BOOST_CHECK(r.case_data.checklist.find("premises")->status == core::MaterialStatus::pending);  // the applicant's own
    BOOST_CHECK(std::any_of(r.notes.begin(), r.notes.end(), [](const std::string& n) { return n.find("e-licence") != std::string::npos; }));
}

BOOST_FIXTURE_TEST_CASE(decisions_need_a_chief_on_post_a_or_b_for_an_absent_a_and_a_seal, Centre) {
    auto id = accepted_case();
    auto clerk = open("clerk");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*clerk).decide(id, {workflow::Verdict::approve, "同意", "", "", "", "", {}}); }),
                      "workflow.not_authorised");
    auto a = open("chief_a");
    auto before = counts(a->db(), id);
    // No seal assigned yet: the decision is refused and nothing is written.
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*a).decide(id, {workflow::Verdict::approve, "同意", "", "", "", "", {}}); }), "workflow.no_seal");
    BOOST_CHECK(counts(a->db(), id) == before);
    assign_demo_seal();
    auto b = open("chief_b");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*b).decide(id, {workflow::Verdict::approve, "同意", "", "", "", "", {}}); }), "workflow.b_alone");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*b).decide(id, {workflow::Verdict::approve, "同意", "", "chief_a", "", "", {}}); }),
                      "workflow.a_present");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*a).decide(id, {workflow::Verdict::approve, "同意", "", "chief_b", "", "", {}}); }),
                      "workflow.not_authorised");  // A acts for nobody
    BOOST_CHECK(counts(a->db(), id) == before);
    a->set_absent("chief_a", true);
    auto r = wf(*b).decide(id, {workflow::Verdict::approve, "符合条件", "", "chief_a", "", "", {}});
    BOOST_CHECK(r.case_data.state == core::CaseState::approved);
    BOOST_CHECK_EQUAL(r.case_data.history.back().actor.acting_for, "chief_a");
    BOOST_REQUIRE(r.document);
    BOOST_CHECK_EQUAL(r.document->kind, "approval_decision");  // a licensing item
    BOOST_CHECK(r.document->sealed);
    // The stored PDF verifies.
    auto pdf = tmp.path / "decision.pdf";
    auto docs = wf(*b).documents(id, true);
    BOOST_REQUIRE(!docs.empty());
    std::ofstream(pdf, std::ios::binary) << docs.back().pdf;
    auto report = seal::verify(pdf);
    BOOST_CHECK(report.ok());
    BOOST_CHECK_EQUAL(store::CaseDocuments(b->db()).needing_timestamp().size(), 1u);  // B-T at the next sync
}

BOOST_FIXTURE_TEST_CASE(a_bad_rating_needs_a_reason_and_opens_a_follow_up, Centre) {
    auto id = accepted_case();
    assign_demo_seal();
    {
        auto a = open("chief_a");
        wf(*a).decide(id, {workflow::Verdict::deny, "经营场所不符合规划用途", "", "", "", "", {}});
    }
    auto s = open("clerk");
    auto w = wf(*s);
    w.issue(id, {core::ResultHandover::Mode::pickup, "", std::nullopt, "", "", ""});
    BOOST_CHECK_THROW(w.rate(id, {2, "", "", "", "window_device", 5}), workflow::InvalidInput);
    BOOST_CHECK_THROW(w.rate(id, {6, "", "", "", "window_device", 5}), workflow::InvalidInput);
    auto r = w.rate(id, {2, "slow", "排队太久", "12345-1", "window_device", 5});
    BOOST_REQUIRE(r.case_data.rating);
    BOOST_CHECK(r.case_data.rating->level == core::RatingLevel::dissatisfied);  // CLI 2 = GB/T 4 不满意
    auto today = core::china_date(core::now());
    BOOST_CHECK(r.case_data.rating->follow_up_due == calendar().add_working_days(today, 5));
    BOOST_CHECK_EQUAL(store::Ratings(s->db()).open_follow_ups().size(), 1u);
    w.close_follow_up(id, "已回访");
    BOOST_CHECK(store::Ratings(s->db()).open_follow_ups().empty());
    BOOST_CHECK_EQUAL(refused_code([&] { w.close_follow_up(id, "again"); }), "workflow.no_follow_up");
}

// A notice carries the act's date (here an act recorded on 9 October 2025, China time).
BOOST_FIXTURE_TEST_CASE(a_notice_is_dated_by_its_act, Centre) {
    clock = [] { return core::parse_instant("2025-10-09T02:00:00Z"); };
    auto id = accepted_case();
    auto s = open("clerk");
    auto docs = wf(*s).documents(id, true);
    BOOST_REQUIRE_EQUAL(docs.size(), 1u);
    BOOST_CHECK_EQUAL(docs[0].kind, "acceptance_receipt");  // an immediate item
    auto pdf = tmp.path / "receipt.pdf";
    std::ofstream(pdf, std::ios::binary) << docs[0].pdf;
    BOOST_CHECK_NO_THROW(seal::find_anchor(pdf, "2025年10月9日"));
    const std::chrono::year_month_day today{core::china_date(core::now())};  // not today's date
    const std::string today_text = std::to_string(int(today.year())) + "年" + std::to_string(unsigned(today.month())) + "月" +
                                   std::to_string(unsigned(today.day())) + "日";
    BOOST_CHECK_THROW(seal::find_anchor(pdf, today_text), seal::SealInputError);
}

// The chief returns a case for correction naming what to bring again; the notice lists it.
BOOST_FIXTURE_TEST_CASE(a_return_names_the_materials_and_makes_the_correction_notice, Centre) {
    auto id = accepted_case();
    auto a = open("chief_a");
    auto w = wf(*a);
    BOOST_CHECK_THROW(w.decide(id, {workflow::Verdict::return_for_correction, "须补充经营场所证明", "", "", "", "", {}}), workflow::InvalidInput);
    auto r = w.decide(id, {workflow::Verdict::return_for_correction, "须补充经营场所证明", "", "", "", "", {{"premises", true, "产权证明已过期"}}});
    BOOST_CHECK(r.case_data.state == core::CaseState::correction_requested);
    BOOST_REQUIRE(r.document);
    BOOST_CHECK_EQUAL(r.document->kind, "correction_notice");
    BOOST_CHECK(r.case_data.checklist.find("premises")->status == core::MaterialStatus::defective);
}

// 收费 (issue 21 part 5): the item's fees go onto the case; the result of an approved case goes out
// only when each is paid (the 收费凭证 printed, the payment synced) or waived by a chief.
BOOST_FIXTURE_TEST_CASE(fees_are_paid_or_waived_before_the_result_goes_out, Centre) {
    {  // kItem with two fees (the shipped one is free of charge)
        core::Catalogue charged;
        for (auto it : cat.items()) {
            if (it.code == kItem) it.spec.fees = {{"工本费", 1000, "证照工本费收费标准"}, {"登记费", 8000, "登记收费标准"}};
            charged.add_item(std::move(it));
        }
        for (const auto& b : cat.bundles()) charged.add_bundle(b);
        cat = std::move(charged);
    }
    auto id = accepted_case();
    assign_demo_seal();
    {
        auto a = open("chief_a");
        BOOST_REQUIRE(wf(*a).decide(id, {workflow::Verdict::approve, "符合条件", "", "", "", "", {}}).case_data.state ==
                      core::CaseState::approved);
    }
    auto s = open("clerk");
    auto w = wf(*s);
    BOOST_CHECK_EQUAL(w.load(id).fees.size(), 2u);
    auto before = counts(s->db(), id);
    const workflow::IssueResult pickup{core::ResultHandover::Mode::pickup, "", std::nullopt, "", "", ""};
    BOOST_CHECK_EQUAL(refused_code([&] { w.issue(id, pickup); }), "workflow.fees_unpaid");
    workflow::Payment pay;
    BOOST_CHECK_THROW(w.pay_fee(id, pay), workflow::InvalidInput);  // two are due: which one?
    pay.fee = "押金";
    BOOST_CHECK_THROW(w.pay_fee(id, pay), workflow::InvalidInput);
    pay.fee = "工本费";
    pay.method = core::PaymentMethod::wechat;
    BOOST_CHECK_THROW(w.pay_fee(id, pay), workflow::InvalidInput);  // no transaction number
    pay.payment_no = "4200001234567";
    pay.amount_fen = 500;
    BOOST_CHECK_THROW(w.pay_fee(id, pay), workflow::InvalidInput);  // another amount, no reason
    BOOST_CHECK(counts(s->db(), id) == before);

    pay.amount_fen.reset();
    auto r = w.pay_fee(id, pay);
    BOOST_REQUIRE(r.document);
    BOOST_CHECK_EQUAL(r.document->kind, "fee_receipt");
    BOOST_CHECK_EQUAL(r.document->title, "收费凭证");
    BOOST_CHECK(r.case_data.fees[0].status == core::FeeStatus::paid);
    BOOST_CHECK_EQUAL(r.case_data.fees[0].payer, "李红");
    auto after = counts(s->db(), id);
    BOOST_CHECK_EQUAL(after.history, before.history + 1);
    BOOST_CHECK_EQUAL(after.outbox, before.outbox + 2);  // the event and the receipt's PDF for the platform
    BOOST_CHECK_EQUAL(after.documents, before.documents + 1);
    BOOST_CHECK_EQUAL(s->db().query_text("SELECT count(*) FROM outbox WHERE case_id = '" + id.to_string() +
                                         "' AND payload LIKE '%record_fee%' AND payload LIKE '%4200001234567%'").value_or("0"), "1");
    BOOST_CHECK_EQUAL(refused_code([&] { w.pay_fee(id, pay); }), "workflow.fee_settled");
    BOOST_CHECK_EQUAL(refused_code([&] { w.issue(id, pickup); }), "workflow.fees_unpaid");  // 登记费 still due

    // A waiver is a chief representative's, with the reason.
    BOOST_CHECK_EQUAL(refused_code([&] { w.waive_fee(id, {"登记费", "", "低保对象", ""}); }), "workflow.not_authorised");
    auto a = open("chief_a");
    BOOST_CHECK_THROW(wf(*a).waive_fee(id, {"登记费", "", " ", ""}), workflow::InvalidInput);
    auto waived = wf(*a).waive_fee(id, {"", "", "申请人为最低生活保障对象", "财税〔2016〕79号"});  // the only one left
    BOOST_CHECK(waived.case_data.fees[1].status == core::FeeStatus::waived);
    BOOST_REQUIRE(waived.document);
    BOOST_CHECK_EQUAL(waived.document->kind, "fee_receipt");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*a).waive_fee(id, {"", "", "再次", ""}); }), "workflow.fee_settled");

    auto issued = w.issue(id, pickup);
    BOOST_CHECK(issued.case_data.state == core::CaseState::result_issued);
    auto docs = w.documents(id);
    BOOST_CHECK_EQUAL(std::count_if(docs.begin(), docs.end(), [](const auto& d) { return d.kind == "fee_receipt"; }), 2);
    // A free item's case has nothing to pay.
    auto free_case = w.start_intake({"370102-ZR-0031-002", ""}).case_data;  // 不动产抵押注销登记: free of charge
    BOOST_CHECK(free_case.fees.empty());
    BOOST_CHECK_THROW(w.pay_fee(free_case.id, {}), workflow::InvalidInput);
}

BOOST_AUTO_TEST_SUITE_END()

// 首问负责: an enquiry (not a case) is owned by the first clerk asked, handed over with a record,
// replied to by its holder within one working day, and turned into a case when it was an
// application — each change audited, nothing written by a refused one.
BOOST_AUTO_TEST_SUITE(enquiries)

BOOST_FIXTURE_TEST_CASE(an_enquiry_is_owned_by_the_first_asked_handed_over_and_replied_to, Centre) {
    clock = [] { return core::parse_instant("2026-11-27T02:00:00Z"); };  // Friday 10:00 in China
    auto s = open("clerk");
    auto w = wf(*s);
    auto audit = [&] {
        return s->db().query_text("SELECT group_concat(action, ',') FROM (SELECT action FROM audit WHERE action LIKE 'enquiry.%' ORDER BY seq)").value_or("");
    };
    workflow::NewEnquiry q;
    q.subject = "个体工商户设立登记需要带哪些材料？";
    q.asker_name = "赵明";
    q.asker_phone = "13800138000";
    q.item_code = kItem;
    auto e = w.open_enquiry(q);
    BOOST_CHECK_EQUAL(e.owner, "clerk");
    BOOST_CHECK_EQUAL(e.holder, "clerk");
    BOOST_CHECK_EQUAL(e.state, "open");
    BOOST_CHECK_EQUAL(e.due, "2026-11-30");  // asked on a Friday: due by the end of Monday
    BOOST_CHECK_EQUAL(audit(), "enquiry.opened");

    // Bad input and other roles: refused, nothing written.
    workflow::NewEnquiry empty = q;
    empty.subject = "  ";
    BOOST_CHECK_THROW(w.open_enquiry(empty), workflow::InvalidInput);
    workflow::NewEnquiry unknown = q;
    unknown.item_code = "NO-SUCH-ITEM";
    BOOST_CHECK_THROW(w.open_enquiry(unknown), workflow::InvalidInput);
    workflow::NewEnquiry kind = q;
    kind.kind = "praise";
    BOOST_CHECK_THROW(w.open_enquiry(kind), workflow::InvalidInput);
    auto admin = open("admin");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*admin).open_enquiry(q); }), "workflow.not_authorised");
    BOOST_CHECK_THROW(w.hand_over_enquiry(e.id, "nobody", ""), workflow::InvalidInput);
    BOOST_CHECK_THROW(w.hand_over_enquiry(e.id, "admin", ""), workflow::InvalidInput);
    BOOST_CHECK_THROW(w.hand_over_enquiry(e.id, "clerk", ""), workflow::InvalidInput);  // held by the clerk already
    BOOST_CHECK_EQUAL(audit(), "enquiry.opened");

    // Handed to the chief on post A: the owner stays the first asked.
    auto h = w.hand_over_enquiry(e.id, "chief_a", "涉及审批标准，请首席代表答复");
    BOOST_CHECK_EQUAL(h.holder, "chief_a");
    BOOST_CHECK_EQUAL(h.owner, "clerk");
    BOOST_REQUIRE_EQUAL(h.handovers.size(), 1u);
    BOOST_CHECK_EQUAL(h.handovers[0].from, "clerk");
    BOOST_CHECK_EQUAL(h.handovers[0].to, "chief_a");
    BOOST_CHECK_EQUAL(h.handovers[0].note, "涉及审批标准，请首席代表答复");
    // Neither holder nor owner: refused.
    auto b = open("chief_b");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*b).reply_enquiry(e.id, "答复"); }), "workflow.not_authorised");
    auto a = open("chief_a");
    BOOST_CHECK_THROW(wf(*a).reply_enquiry(e.id, " "), workflow::InvalidInput);
    auto r = wf(*a).reply_enquiry(e.id, "请携带身份证原件、经营场所证明。");
    BOOST_CHECK_EQUAL(r.state, "answered");
    BOOST_CHECK_EQUAL(r.replied_by, "chief_a");
    BOOST_CHECK_EQUAL(refused_code([&] { w.reply_enquiry(e.id, "again"); }), "workflow.enquiry_closed");
    BOOST_CHECK_EQUAL(audit(), "enquiry.opened,enquiry.handed_over,enquiry.replied");
    // As stored, read back on another connection.
    auto stored = store::Enquiries(a->db()).get(e.id);
    BOOST_REQUIRE(stored);
    BOOST_CHECK_EQUAL(stored->reply, "请携带身份证原件、经营场所证明。");
    BOOST_CHECK_EQUAL(stored->handovers.size(), 1u);
    BOOST_CHECK_EQUAL(stored->subject, q.subject);
}

BOOST_FIXTURE_TEST_CASE(answered_on_the_spot_or_overdue_after_a_working_day, Centre) {
    core::Instant t = core::parse_instant("2026-11-24T02:00:00Z");  // Tuesday
    clock = [&] { return t; };
    auto s = open("clerk");
    auto w = wf(*s);
    workflow::NewEnquiry q;
    q.kind = "complaint";
    q.channel = "phone";
    q.subject = "窗口排队时间过长";
    auto open_one = w.open_enquiry(q);
    BOOST_CHECK_EQUAL(open_one.due, "2026-11-25");
    q.kind = "enquiry";
    q.subject = "营业时间？";
    q.reply = "工作日 9:00-17:00";
    auto spot = w.open_enquiry(q);
    BOOST_CHECK_EQUAL(spot.state, "answered");  // 一口清
    BOOST_CHECK_EQUAL(spot.replied_by, "clerk");
    store::Enquiries book(s->db());
    BOOST_CHECK_EQUAL(book.count_overdue(core::parse_date("2026-11-25")), 0);  // due by the end of that day
    BOOST_CHECK_EQUAL(book.count_overdue(core::parse_date("2026-11-26")), 1);
    store::EnquiryFilter overdue;
    overdue.overdue_on = core::parse_date("2026-11-26");
    auto late = book.list(overdue);
    BOOST_REQUIRE_EQUAL(late.size(), 1u);
    BOOST_CHECK_EQUAL(late[0].id, open_one.id);
    store::EnquiryFilter all;
    all.open_only = false;
    BOOST_CHECK_EQUAL(book.list(all).size(), 2u);
    store::EnquiryFilter mine;
    mine.holder = "chief_a";
    BOOST_CHECK(book.list(mine).empty());
}

BOOST_FIXTURE_TEST_CASE(an_enquiry_that_was_an_application_becomes_a_case_once, Centre) {
    auto s = open("clerk");
    auto w = wf(*s);
    workflow::NewEnquiry q;
    q.subject = "想办个体工商户营业执照";
    q.asker_name = "赵明";
    auto e = w.open_enquiry(q);
    w.hand_over_enquiry(e.id, "chief_a", "");
    // A chief representative takes no applications: refused, and the enquiry is as it was.
    auto a = open("chief_a");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*a).enquiry_to_case(e.id, {kItem, ""}); }), "workflow.not_authorised");
    BOOST_CHECK_EQUAL(store::Enquiries(s->db()).get(e.id)->state, "open");
    BOOST_CHECK_EQUAL(s->db().query_text("SELECT count(*) FROM cases").value_or(""), "0");
    // An unknown item: nothing written either.
    BOOST_CHECK_THROW(w.enquiry_to_case(e.id, {"NO-SUCH-ITEM", ""}), workflow::InvalidInput);
    BOOST_CHECK_EQUAL(s->db().query_text("SELECT count(*) FROM cases").value_or(""), "0");

    auto r = w.enquiry_to_case(e.id, {kItem, ""});
    BOOST_CHECK(r.case_data.state == core::CaseState::draft);
    auto stored = store::Enquiries(s->db()).get(e.id);
    BOOST_CHECK_EQUAL(stored->state, "case");
    BOOST_CHECK_EQUAL(stored->case_id, r.case_data.id.to_string());
    BOOST_CHECK_EQUAL(s->db().query_text("SELECT case_id FROM audit WHERE action = 'enquiry.to_case'").value_or(""), r.case_data.id.to_string());
    BOOST_CHECK_EQUAL(refused_code([&] { w.enquiry_to_case(e.id, {kItem, ""}); }), "workflow.enquiry_closed");
    BOOST_CHECK_EQUAL(s->db().query_text("SELECT count(*) FROM cases").value_or(""), "1");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(limits_in_hours)

namespace {

/// A 企业设立登记 case (promised in 1 working day and 4 hours) accepted by the clerk at `at`.
core::Case accept_company(Centre& c, core::Instant at) {
    c.clock = [at] { return at; };
    auto s = c.open("clerk");
    auto w = c.wf(*s);
    auto id = w.start_intake({"370102-SC-0002-001", ""}).case_data.id;
    w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "13800138000", "", ""});
    w.answer(id, json{{"company_name", "济南示例科技有限公司"}, {"company_type", "llc"}, {"domicile", {{"region", "370102"}, {"detail", "经十路1号"}}},
                      {"registered_capital_fen", 5000000}, {"legal_rep_name", "李红"}, {"legal_rep_id", kId}, {"contact_phone", "13800138000"},
                      {"business_scope", "软件开发"}, {"employees_expected", 1},
                      {"shareholders", json::array({{{"holder_name", "李红"}, {"holder_kind", "natural"}, {"contribution_fen", 5000000},
                                                     {"contribution_date", "2027-10-01"}, {"holder_id", kId}}})},
                      {"agent_present", false}});
    for (const char* m : {"application", "articles", "shareholder_ids", "officers", "domicile"})
        w.record_material(id, {m, core::MaterialStatus::original_received, std::nullopt, std::nullopt, "", ""});
    auto r = w.accept(id);
    BOOST_REQUIRE(r.case_data.state == core::CaseState::accepted);
    return r.case_data;
}

std::string china_minute(const std::optional<core::Instant>& t) { return t ? core::format_china_minute(*t) : std::string("<none>"); }

}  // namespace

BOOST_FIXTURE_TEST_CASE(acceptance_promises_hours_over_the_opening_hours_setting, Centre) {
    // Mon 7 Dec 2026 10:00: 2 hours to noon, lunch, 2 hours from 13:30 (hours.regular's default).
    auto c = accept_company(*this, core::parse_instant("2026-12-07T10:00:00+08:00"));
    BOOST_CHECK_EQUAL(china_minute(c.due_at), "2026-12-07 15:30");
    BOOST_CHECK_EQUAL(core::format_date(*c.due_date), "2026-12-08");
    BOOST_CHECK_EQUAL(c.opening_hours, "09:00-12:00,13:30-17:00");
    // The acceptance's record carries the hours it was counted over (and the platform gets them).
    BOOST_CHECK_EQUAL(c.history.back().data.value("opening_hours", ""), "09:00-12:00,13:30-17:00");
    // The store keeps the instant.
    auto s = open("clerk");
    BOOST_CHECK_EQUAL(china_minute(store::CaseStore(s->db(), calendar()).load(c.id)->due_at), "2026-12-07 15:30");

    // The centre changes its hours: the next acceptance counts over the new ones, the first keeps its promise.
    store::SettingValues(*open("admin")).set("hours.regular", "08:30-12:00,14:00-17:30");
    auto d = accept_company(*this, core::parse_instant("2026-12-07T11:00:00+08:00"));
    BOOST_CHECK_EQUAL(china_minute(d.due_at), "2026-12-07 17:00");  // 1 hour, then 14:00 + 3 hours
    BOOST_CHECK_EQUAL(china_minute(store::CaseStore(s->db(), calendar()).load(c.id)->due_at), "2026-12-07 15:30");
}

BOOST_FIXTURE_TEST_CASE(a_case_accepted_on_a_rest_day_starts_its_clock_on_the_next_working_day, Centre) {
    // Saturday 12 Dec 2026 (周末服务): the hours run from Monday's opening, the day limit counts
    // Monday as the day of acceptance.
    auto c = accept_company(*this, core::parse_instant("2026-12-12T10:00:00+08:00"));
    BOOST_CHECK_EQUAL(china_minute(c.due_at), "2026-12-14 14:30");
    BOOST_CHECK_EQUAL(core::format_date(*c.due_date), "2026-12-15");
}

BOOST_AUTO_TEST_SUITE_END()


// 授权清单 (issue 21 part 4): the matrix per department and item kind, enforced at every act.
BOOST_AUTO_TEST_SUITE(authorisation)

const std::string kDept = "区市场监督管理局";  // kItem's department

workflow::Decide verdict(workflow::Verdict v, const std::string& opinion) {
    workflow::Decide d;
    d.verdict = v;
    d.opinion = opinion;
    return d;
}

core::Grant grant(const std::string& dept, std::optional<core::ItemKind> kind, core::Power power, unsigned who) {
    core::Grant g;
    g.department = dept;
    g.kind = kind;
    g.power = power;
    g.grantees = who;
    return g;
}

BOOST_FIXTURE_TEST_CASE(a_chief_decides_for_their_own_department_only, Centre) {
    assign_demo_seal();
    auto id = accepted_case();
    auto admin = open("admin");
    admin->set_user_department("chief_a", "区卫生健康局（助产机构签发）");
    BOOST_CHECK_THROW(admin->set_user_department("clerk", kDept), core::InvalidData);  // clerks represent no department
    auto chief = open("chief_a");
    const auto before = counts(chief->db(), id);
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*chief).decide(id, verdict(workflow::Verdict::approve, "符合条件")); }), "workflow.not_granted");
    BOOST_CHECK(counts(chief->db(), id) == before);
    // Its own department: decided (and the change is audited).
    admin->set_user_department("chief_a", kDept);
    auto done = wf(*chief).decide(id, verdict(workflow::Verdict::approve, "符合条件"));
    BOOST_CHECK(done.case_data.state == core::CaseState::approved);
    store::Stmt q(admin->db(), "SELECT count(*) FROM audit WHERE action = 'user.department_changed'");
    q.step();
    BOOST_CHECK_EQUAL(q.int64(0), 2);
}

BOOST_FIXTURE_TEST_CASE(post_b_acts_only_for_the_a_of_its_own_department, Centre) {
    assign_demo_seal();
    auto id = accepted_case();
    auto admin = open("admin");
    admin->set_user_department("chief_a", "区医疗保障局");
    admin->set_user_department("chief_b", kDept);
    admin->set_absent("chief_a", true);
    auto b = open("chief_b");
    workflow::Decide d = verdict(workflow::Verdict::approve, "符合条件");
    d.acting_for = "chief_a";
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*b).decide(id, d); }), "workflow.acting_for");
    admin->set_user_department("chief_a", kDept);
    BOOST_CHECK(wf(*b).decide(id, d).case_data.state == core::CaseState::approved);
}

BOOST_FIXTURE_TEST_CASE(the_window_accepts_only_what_the_department_lets_it, Centre) {
    auto admin = open("admin");
    store::AuthorisationBook book(*admin);
    book.grant(grant(kDept, core::ItemKind::immediate, core::Power::accept, core::kNobody), core::now());
    auto s = open("clerk");
    auto w = wf(*s);
    auto id = w.start_intake({kItem, ""}).case_data.id;
    w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "13800138000", "", ""});
    make_ready(w, id);
    const auto before = counts(s->db(), id);
    BOOST_CHECK_EQUAL(refused_code([&] { w.accept(id); }), "workflow.not_granted");
    BOOST_CHECK(counts(s->db(), id) == before);
    // A grant for every kind of the department is less specific than the one for immediate items.
    book.grant(grant(kDept, std::nullopt, core::Power::accept, core::kWindow), core::now());
    BOOST_CHECK_EQUAL(refused_code([&] { w.accept(id); }), "workflow.not_granted");
    BOOST_CHECK(book.clear(kDept, core::ItemKind::immediate, core::Power::accept, core::now()));
    BOOST_CHECK(!book.clear(kDept, core::ItemKind::immediate, core::Power::accept, core::now()));
    BOOST_CHECK(w.accept(id).case_data.state == core::CaseState::accepted);
    // Only administrators change the matrix; the window is never given what only chiefs may do.
    BOOST_CHECK_THROW(store::AuthorisationBook(*s).grant(grant(kDept, std::nullopt, core::Power::accept, core::kWindow), core::now()),
                      store::NotAuthorised);
    BOOST_CHECK_THROW(book.grant(grant(kDept, std::nullopt, core::Power::decide, core::kWindow), core::now()), core::InvalidData);
    BOOST_CHECK_THROW(book.grant(grant(kDept, core::ItemKind::immediate, core::Power::countersign, core::kWindow), core::now()),
                      core::InvalidData);
    BOOST_CHECK_THROW(book.grant(grant(kDept, std::nullopt, core::Power::accept, core::kChief), core::now()), core::InvalidData);
    store::Stmt q(admin->db(), "SELECT count(*) FROM audit WHERE action IN ('authorisation.granted', 'authorisation.cleared')");
    q.step();
    BOOST_CHECK_EQUAL(q.int64(0), 3);
}

BOOST_FIXTURE_TEST_CASE(the_window_decides_an_immediate_item_on_the_spot_where_authorised, Centre) {
    assign_demo_seal({"clerk"});
    auto id = accepted_case();
    auto s = open("clerk");
    // Not authorised by default: decisions are the chief representatives'.
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*s).decide(id, verdict(workflow::Verdict::approve, "符合条件")); }), "workflow.not_authorised");
    auto admin = open("admin");
    store::AuthorisationBook book(*admin);
    book.grant(grant(kDept, core::ItemKind::immediate, core::Power::decide, core::kWindow | core::kChief), core::now());
    // decide without hold_seal: the decision cannot be sealed at the window.
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*s).decide(id, verdict(workflow::Verdict::approve, "符合条件")); }), "workflow.not_authorised");
    book.grant(grant(kDept, core::ItemKind::immediate, core::Power::hold_seal, core::kWindow | core::kChief), core::now());
    workflow::Decide esc = verdict(workflow::Verdict::escalate, "须报上级");
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*s).decide(id, esc); }), "workflow.not_authorised");
    auto done = wf(*s).decide(id, verdict(workflow::Verdict::approve, "符合条件"));
    BOOST_CHECK(done.case_data.state == core::CaseState::approved);
    BOOST_REQUIRE(done.case_data.decision);
    BOOST_CHECK(done.case_data.decision->by.role == core::Role::clerk);
    BOOST_CHECK_EQUAL(done.case_data.history.back().data.value("authority", ""), "window");
    BOOST_REQUIRE(done.document);
    BOOST_CHECK(done.document->sealed);
    // A promised item stays the chief representatives' whatever the window was given.
    BOOST_CHECK_THROW(book.grant(grant(kDept, core::ItemKind::promised, core::Power::decide, core::kWindow), core::now()), core::InvalidData);
}

BOOST_FIXTURE_TEST_CASE(fees_are_collected_by_whom_the_department_names, Centre) {
    auto admin = open("admin");
    store::AuthorisationBook(*admin).grant(grant("", std::nullopt, core::Power::collect_fee, core::kChief), core::now());
    auto m = store::AuthorisationBook(*admin).load();
    BOOST_CHECK(!m.may(core::Role::clerk, "", kDept, core::ItemKind::immediate, core::Power::collect_fee));
    BOOST_CHECK(m.may(core::Role::chief, "", kDept, core::ItemKind::immediate, core::Power::collect_fee));
    BOOST_CHECK(m.may(core::Role::chief, kDept, kDept, core::ItemKind::promised, core::Power::collect_fee));
    BOOST_CHECK(!m.may(core::Role::chief, "区医疗保障局", kDept, core::ItemKind::promised, core::Power::collect_fee));
    BOOST_CHECK(m.may(core::Role::chief, "", kDept, core::ItemKind::promised, core::Power::decide));  // the built-in default
    BOOST_CHECK(!m.may(core::Role::clerk, "", kDept, core::ItemKind::immediate, core::Power::decide));
}

BOOST_FIXTURE_TEST_CASE(a_remote_department_is_called_at_acceptance_and_answers_by_acting, Centre) {
    assign_demo_seal();
    core::Instant t = core::parse_instant("2026-11-27T02:00:00Z");  // Friday 10:00 in China
    clock = [&] { return t; };
    auto admin = open("admin");
    core::DepartmentPolicy p;
    p.department = kDept;
    p.remote = true;
    p.answer_minutes = 60;
    p.contact = "王局长 0531-12345678";
    store::AuthorisationBook(*admin).set_department(p, t);
    BOOST_CHECK_THROW(store::AuthorisationBook(*admin).set_department(core::DepartmentPolicy{kDept, true, 0, "", "", {}}, t), core::InvalidData);
    auto id = accepted_case();
    auto s = open("clerk");
    auto c = *store::CaseStore(s->db(), calendar()).load(id);
    BOOST_REQUIRE(c.remote_call);
    BOOST_CHECK_EQUAL(c.remote_call->department, kDept);
    BOOST_CHECK_EQUAL(c.remote_call->contact, "王局长 0531-12345678");
    BOOST_CHECK(c.remote_call->due_at == t + std::chrono::minutes{60});
    BOOST_CHECK(!c.remote_call->answered());
    auto cal = calendar();
    store::CaseQueues queues(s->db(), cal);
    const auto today = core::china_date(t);
    BOOST_REQUIRE_EQUAL(queues.count(store::Queue::remote_calls, today), 1);
    auto rows = queues.page(store::Queue::remote_calls, today, 10);
    BOOST_CHECK_EQUAL(rows[0].call_department, kDept);
    BOOST_CHECK(core::parse_instant(rows[0].call_due) == t + std::chrono::minutes{60});
    // The window's own acts do not answer the call: only the department's.
    t += std::chrono::minutes{70};
    wf(*s).submit(id);
    BOOST_CHECK_EQUAL(queues.count(store::Queue::remote_calls, today), 1);
    auto chief = open("chief_a");
    auto done = wf(*chief).decide(id, verdict(workflow::Verdict::approve, "符合条件"));
    BOOST_REQUIRE(done.case_data.remote_call && done.case_data.remote_call->answered());
    BOOST_CHECK(*done.case_data.remote_call->answered_at == t);
    BOOST_CHECK_EQUAL(done.case_data.remote_call->answered_by.user_id, "chief_a");
    BOOST_CHECK_EQUAL(queues.count(store::Queue::remote_calls, today), 0);
    // A stationed department again: the next case is not called.
    p.remote = false;
    store::AuthorisationBook(*admin).set_department(p, t);
    BOOST_CHECK(!store::CaseStore(s->db(), calendar()).load(accepted_case())->remote_call);
}

BOOST_AUTO_TEST_SUITE_END()


// 网上申报 (issue 21 part 1): 接件 and the acceptance decision's date, 催办 of a late case.
BOOST_AUTO_TEST_SUITE(online)

const std::string kDept = "区市场监督管理局";  // kItem's department

BOOST_FIXTURE_TEST_CASE(a_received_application_waits_for_its_acceptance_decision_in_a_queue, Centre) {
    core::Instant t = core::parse_instant("2026-11-27T02:00:00Z");  // Friday 10:00 in China
    clock = [&] { return t; };
    auto s = open("clerk");
    auto w = wf(*s);
    auto id = w.start_intake({kItem, ""}).case_data.id;
    BOOST_CHECK_EQUAL(refused_code([&] { w.receive(id); }), "workflow.no_applicant");
    w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "13800138000", "", ""});
    auto done = w.receive(id);
    BOOST_CHECK(done.case_data.state == core::CaseState::received);
    BOOST_REQUIRE(done.case_data.acceptance_due);
    BOOST_CHECK_EQUAL(core::format_date(*done.case_data.acceptance_due), "2026-12-04");  // 30 Nov – 4 Dec
    auto cal = calendar();
    store::CaseQueues queues(s->db(), cal);
    const auto today = core::china_date(t);
    BOOST_REQUIRE_EQUAL(queues.count(store::Queue::acceptance_due, today), 1);
    BOOST_CHECK_EQUAL(queues.page(store::Queue::acceptance_due, today, 10)[0].accept_due, "2026-12-04");
    BOOST_CHECK_EQUAL(queues.late_acceptances(today), 0);
    BOOST_CHECK_EQUAL(queues.late_acceptances(core::parse_date("2026-12-07")), 1);
    make_ready(w, id);
    w.accept(id);
    BOOST_CHECK_EQUAL(queues.count(store::Queue::acceptance_due, today), 0);
    BOOST_CHECK_EQUAL(queues.late_acceptances(core::parse_date("2026-12-07")), 0);
}

BOOST_FIXTURE_TEST_CASE(a_late_case_is_urged_and_a_timely_one_is_not, Centre) {
    assign_demo_seal();
    core::Instant t = core::parse_instant("2026-11-27T02:00:00Z");  // Friday 10:00 in China
    clock = [&] { return t; };
    auto admin = open("admin");
    core::DepartmentPolicy p;
    p.department = kDept;
    p.remote = true;
    p.answer_minutes = 30;
    store::AuthorisationBook(*admin).set_department(p, t);
    auto id = accepted_case();
    auto s = open("clerk");
    const auto before = counts(s->db(), id);
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*s).urge(id, {}); }), "workflow.not_late");
    BOOST_CHECK(counts(s->db(), id) == before);
    // The remote department has not answered in 30 minutes: the window urges it.
    t += std::chrono::minutes{31};
    auto done = wf(*s).urge(id, {});
    BOOST_REQUIRE_EQUAL(done.case_data.urges.size(), 1u);
    BOOST_CHECK_EQUAL(done.case_data.urges[0].to, kDept);
    BOOST_CHECK(done.case_data.urges[0].reason.find("事进人不进") != std::string::npos);
    BOOST_CHECK(!done.case_data.remote_call->answered());  // urging is not answering
    BOOST_CHECK_EQUAL(done.case_data.history.back().actor.user_id, "clerk");
    // The department answers; the case later passes its promised date: urged again, by name.
    auto chief = open("chief_a");
    wf(*chief).submit(id);
    auto c = wf(*s).load(id);
    BOOST_REQUIRE(c.due_date);
    BOOST_CHECK_EQUAL(refused_code([&] { wf(*s).urge(id, {}); }), "workflow.not_late");
    t = core::Instant{*c.due_date} + std::chrono::hours{3 * 24 + 2};  // the next working day after it (Monday), 10:00 in China
    auto again = wf(*s).urge(id, {"后台审批科", "申请人多次来电询问"});
    BOOST_REQUIRE_EQUAL(again.case_data.urges.size(), 2u);
    BOOST_CHECK_EQUAL(again.case_data.urges[1].to, "后台审批科");
    BOOST_CHECK_EQUAL(again.case_data.urges[1].reason, "申请人多次来电询问");
    // It goes to the platform with the case's other events.
    store::Stmt q(s->db(), "SELECT count(*) FROM outbox WHERE case_id = ? AND payload LIKE '%\"urge\"%'");
    q.bind(1, id.to_string());
    q.step();
    BOOST_CHECK_EQUAL(q.int64(0), 2);
}

BOOST_AUTO_TEST_SUITE_END()
