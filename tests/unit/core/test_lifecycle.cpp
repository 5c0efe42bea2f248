// The case lifecycle (case.h): the transition table, who may act, material rules at intake,
// deadlines in working days with pauses, the history trail and JSON round trips.
// Due dates are worked out by hand from the official 2025 schedule (domain.md):
// National Day 2025: 1–8 Oct off, Sun 28 Sep and Sat 11 Oct worked.
#include "ow/core/calendar.h"
#include "ow/core/case.h"
#include "ow/core/error.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace ow::core;
using namespace std::chrono;
using nlohmann::json;
using S = CaseState;
using A = CaseAction;

namespace {

const WorkCalendar& cal() {
    static const WorkCalendar c = WorkCalendar::load_directory(std::string(OW_SOURCE_DIR) + "/assets/calendar");
    return c;
}

Date D(int y, unsigned m, unsigned d) { return Date{year{y} / month{m} / day{d}}; }
/// An instant given in China Standard Time (UTC+8).
Instant cst(Date d, int hour, int minute = 0) { return Instant{d} + hours{hour - 8} + minutes{minute}; }
std::string S_(Date d) { return format_date(d); }
std::string S_(const std::optional<Date>& d) { return d ? format_date(*d) : std::string("<none>"); }

const std::vector<S> kAllStates{S::draft,        S::received, S::accepted, S::refused,       S::correction_requested,
                                S::under_review, S::escalated, S::approved, S::denied,       S::result_issued,
                                S::rated,        S::archived};
const std::vector<A> kAllActions{A::receive,       A::accept,          A::refuse,         A::request_correction,
                                 A::resubmit,      A::start_review,    A::escalate,       A::approve,
                                 A::deny,          A::issue_result,    A::rate,           A::archive,
                                 A::mark_material, A::defer_material,  A::fulfil_material, A::record_commitment,
                                 A::start_special_procedure, A::end_special_procedure, A::recompute_due,
                                 A::set_applicant, A::answer_form, A::countersign, A::flag_green, A::record_fee,
                                 A::set_agent,     A::assist,           A::verify_follow_up, A::verify_originals, A::urge};

// The lifecycle as specified (case.h header comment and the rule table), written out by hand.
const std::map<A, std::vector<S>> kLegal{
    {A::receive, {S::draft}},
    {A::accept, {S::received}},
    {A::refuse, {S::received, S::correction_requested}},
    {A::request_correction, {S::received, S::under_review}},
    {A::resubmit, {S::correction_requested}},
    {A::start_review, {S::accepted}},
    {A::escalate, {S::accepted, S::under_review}},
    {A::approve, {S::under_review, S::escalated}},
    {A::deny, {S::under_review, S::escalated}},
    {A::issue_result, {S::approved, S::denied}},
    {A::rate, {S::result_issued}},
    {A::archive, {S::result_issued, S::rated, S::refused}},
    {A::mark_material, {S::draft, S::received, S::correction_requested}},
    {A::defer_material, {S::draft, S::received, S::correction_requested}},
    {A::fulfil_material, {S::received, S::correction_requested, S::accepted, S::under_review, S::escalated, S::approved, S::denied}},
    {A::record_commitment, {S::draft, S::received, S::correction_requested}},
    {A::start_special_procedure, {S::accepted, S::under_review, S::escalated}},
    {A::end_special_procedure, {S::accepted, S::under_review, S::escalated}},
    {A::recompute_due, {S::accepted, S::under_review, S::escalated}},
    {A::set_applicant, {S::draft, S::received, S::correction_requested}},
    {A::answer_form, {S::draft, S::received, S::correction_requested}},
    {A::countersign, {S::under_review}},
    {A::flag_green, {S::draft, S::received, S::accepted, S::refused, S::correction_requested, S::under_review, S::escalated, S::approved,
                     S::denied, S::result_issued, S::rated}},
    {A::record_fee, {S::received, S::correction_requested, S::accepted, S::under_review, S::escalated, S::approved}},
    {A::set_agent, {S::draft, S::received, S::correction_requested}},
    {A::assist, {S::draft, S::received, S::accepted, S::correction_requested, S::under_review, S::escalated, S::approved, S::denied}},
    {A::verify_follow_up, {S::accepted, S::under_review, S::escalated, S::approved, S::denied, S::result_issued, S::rated}},
    {A::verify_originals, {S::received, S::correction_requested, S::accepted, S::under_review, S::escalated, S::approved}},
    {A::urge, {S::accepted, S::under_review, S::escalated}},
};

bool legal(S s, A a) {
    const auto& v = kLegal.at(a);
    return std::find(v.begin(), v.end(), s) != v.end();
}

/// Where a legal action leads (for a case that has not been accepted before a correction).
S expected_target(S from, A a) {
    switch (a) {
    case A::receive: return S::received;
    case A::accept: return S::accepted;
    case A::refuse: return S::refused;
    case A::request_correction: return S::correction_requested;
    case A::resubmit: return S::received;
    case A::start_review: return S::under_review;
    case A::escalate: return S::escalated;
    case A::approve: return S::approved;
    case A::deny: return S::denied;
    case A::issue_result: return S::result_issued;
    case A::rate: return S::rated;
    case A::archive: return S::archived;
    default: return from;  // events within a state
    }
}

ServiceItem test_item(ItemKind kind = ItemKind::promised, int promised = 5) {
    ServiceItem it;
    it.code = "370102-TEST-0001-001";
    it.name = "测试许可事项";
    it.department = "区行政审批服务局";
    it.kind = kind;
    it.zone = Zone::business_registration;
    it.version = "2025.1";
    it.spec.legal_limit_days = 20;
    it.spec.promised_limit_days = promised;
    auto mat = [](std::string code, std::string name, MaterialForm form, Necessity nec, MaterialSource src, bool commitment) {
        MaterialSpec m;
        m.code = std::move(code);
        m.name = std::move(name);
        m.form = form;
        m.originals = form == MaterialForm::copy ? 0 : 1;
        m.copies = form == MaterialForm::copy ? 1 : 0;
        m.necessity = nec;
        m.source = src;
        m.commitment_allowed = commitment;
        if (src == MaterialSource::government) m.e_licence_type = "居民身份证";
        return m;
    };
    it.spec.materials = {
        mat("application", "申请书", MaterialForm::original, Necessity::required, MaterialSource::online, false),
        mat("id_card", "申请人身份证明", MaterialForm::original, Necessity::required, MaterialSource::government, false),
        mat("premises", "经营场所使用证明", MaterialForm::copy, Necessity::required, MaterialSource::applicant, true),
        mat("officers", "任职文件", MaterialForm::original, Necessity::deferrable, MaterialSource::applicant, false),
        mat("photo", "照片", MaterialForm::original, Necessity::optional, MaterialSource::applicant, false),
    };
    return it;
}

Applicant person() {
    Applicant a;
    a.kind = ApplicantKind::person;
    a.name = "张三";
    a.doc_type = DocumentType::resident_id;
    a.doc_number = "11019919900307123X";  // synthetic: region 110199 does not exist
    a.phone = "13800000000";
    a.address = "济南市历下区某路1号";
    a.postal_code = "250000";
    return a;
}

Actor clerk() { return {"clerk-01", Role::clerk, Post::none, ""}; }
Actor chief_a() { return {"chief-a", Role::chief, Post::A, ""}; }
Actor chief_b(std::string acting_for = "") { return {"chief-b", Role::chief, Post::B, std::move(acting_for)}; }
Actor platform() { return {"platform-sd", Role::platform, Post::none, ""}; }
Actor admin() { return {"admin-01", Role::admin, Post::none, ""}; }

json material(const std::string& code, const std::string& status) { return {{"material_code", code}, {"status", status}}; }
json correction(const std::string& code, const std::string& status) {
    json m = material(code, status);
    m["note"] = "请补正";
    return {{"materials", json::array({m})}};
}

/// One case at a desk with a clock that moves a minute per event.
struct Desk {
    ServiceItem item;
    Case c;
    Instant t;

    explicit Desk(ServiceItem it = test_item())
        : item(std::move(it)), c(Case::create(item, person())), t(cst(D(2025, 9, 26), 9)) {}

    CaseEvent ev(A a, Actor who, std::string reason = {}, json data = json::object()) {
        t += minutes{1};
        return CaseEvent{a, std::move(who), t, std::move(reason), std::move(data)};
    }
    const HistoryEntry& apply(const CaseEvent& e) { return CaseMachine::apply(c, e, cal()); }
    const HistoryEntry& run(A a, Actor who, std::string reason = {}, json data = json::object()) {
        return apply(ev(a, std::move(who), std::move(reason), std::move(data)));
    }
    std::string snapshot() const { return to_json(c).dump(); }
};

/// Checks every material so that the case can be accepted; `defer`: officers is 容缺 instead.
void prepare_materials(Desk& d, bool defer) {
    d.run(A::mark_material, clerk(), "", material("application", "original_received"));
    d.run(A::mark_material, clerk(), "", material("id_card", "e_licence"));
    d.run(A::record_commitment, clerk(), "", {{"material_code", "premises"}, {"text", "本人承诺经营场所合法有效"}});
    if (defer)
        d.run(A::defer_material, clerk(), "", {{"material_code", "officers"}, {"promised_by", "2025-10-20"}});
    else
        d.run(A::mark_material, clerk(), "", material("officers", "original_received"));
}

/// A case brought to `target` by legal events only (accepted on Fri 26 Sep 2025).
Desk reach(S target, bool defer = false) {
    Desk d;
    auto done = [&] {
        BOOST_REQUIRE_MESSAGE(d.c.state == target, "reached " << to_code(d.c.state) << " instead of " << to_code(target));
        return d;
    };
    if (target == S::draft) return done();
    prepare_materials(d, defer);
    d.run(A::receive, clerk());
    if (target == S::received) return done();
    if (target == S::refused) {
        d.run(A::refuse, clerk(), "申请事项不属于本机关职权范围");
        return done();
    }
    if (target == S::correction_requested) {
        d.run(A::request_correction, clerk(), "", correction("application", "defective"));
        return done();
    }
    d.run(A::accept, clerk());
    if (target == S::accepted) return done();
    if (target == S::escalated) {
        d.run(A::escalate, chief_a(), "须报市级审批", {{"to", "市行政审批服务局"}});
        return done();
    }
    d.run(A::start_review, clerk());
    if (target == S::under_review) return done();
    if (target == S::denied) {
        d.run(A::deny, chief_a(), "不符合法定条件");
        return done();
    }
    d.run(A::approve, chief_a(), "符合法定条件");
    if (target == S::approved) return done();
    if (defer) d.run(A::fulfil_material, clerk(), "", material("officers", "original_received"));
    d.run(A::issue_result, clerk(), "", {{"mode", "pickup"}, {"recipient", "张三"}});
    if (target == S::result_issued) return done();
    d.run(A::rate, clerk(), "", {{"level", 1}, {"channel", "window_device"}});
    if (target == S::rated) return done();
    d.run(A::archive, clerk());
    return done();
}

/// A plausible, well-formed event for `a` from state `from` (no preparation).
CaseEvent event_for(Desk& d, S from, A a) {
    switch (a) {
    case A::receive: return d.ev(a, clerk());
    case A::accept: return d.ev(a, clerk());
    case A::refuse: return d.ev(a, clerk(), "申请事项不属于本机关职权范围", {{"legal_basis", "《行政许可法》第三十二条"}});
    case A::request_correction:
        if (from == S::under_review) return d.ev(a, chief_a(), "须补充检测报告");
        return d.ev(a, clerk(), "", correction("application", "defective"));
    case A::resubmit: return d.ev(a, clerk());
    case A::start_review: return d.ev(a, clerk());
    case A::escalate: return d.ev(a, chief_a(), "须报市级审批", {{"to", "市行政审批服务局"}});
    case A::approve: return d.ev(a, from == S::escalated ? platform() : chief_a(), "符合法定条件");
    case A::deny: return d.ev(a, from == S::escalated ? platform() : chief_a(), "不符合法定条件");
    case A::issue_result: return d.ev(a, clerk(), "", {{"mode", "pickup"}, {"recipient", "张三"}});
    case A::rate: return d.ev(a, clerk(), "", {{"level", 2}, {"channel", "qr"}});
    case A::archive: return d.ev(a, clerk());
    case A::mark_material: return d.ev(a, clerk(), "", material("photo", "scanned"));
    case A::defer_material: return d.ev(a, clerk(), "", {{"material_code", "officers"}, {"promised_by", "2025-10-20"}});
    case A::fulfil_material: return d.ev(a, clerk(), "", material("officers", "original_received"));
    case A::record_commitment: return d.ev(a, clerk(), "", {{"material_code", "premises"}, {"text", "本人承诺"}});
    case A::start_special_procedure: return d.ev(a, chief_a(), "现场核查", {{"kind", "inspection"}});
    case A::end_special_procedure: return d.ev(a, chief_a(), "", {{"result", "核查通过"}});
    case A::recompute_due: return d.ev(a, clerk());
    case A::set_applicant: {
        Applicant p = person();
        p.doc_number = "11010519491231002X";  // a valid check digit (the fixture's person has none)
        return d.ev(a, clerk(), "", {{"applicant", to_json(p)}});
    }
    case A::answer_form: return d.ev(a, clerk(), "", {{"answers", json::object()}, {"form_version", "2025.1"}});
    case A::countersign: return d.ev(a, chief_a(), "同意", {{"item", "370102-TEST-0001-001"}, {"approved", true}});
    case A::flag_green: return d.ev(a, clerk(), "", {{"flag", "elderly"}, {"on", true}});
    case A::record_fee:
        return d.ev(a, clerk(), "", {{"fee", "工本费"}, {"outcome", "paid"}, {"amount_fen", 1000}, {"method", "cash"}});
    case A::set_agent: return d.ev(a, clerk(), "", {{"name", "李四"}, {"doc_number", "11010519491231002X"}, {"relation", "亲属"}});
    case A::assist: return d.ev(a, clerk(), "", {{"mode", "help"}, {"helper", "clerk-02"}, {"helper_name", "赵帮办"}});
    case A::verify_follow_up: return d.ev(a, clerk(), "", {{"commitment", 1}, {"result", "fulfilled"}, {"finding", "核查属实"}});
    case A::verify_originals: return d.ev(a, clerk(), "", {{"materials", json::array({{{"material_code", "photo"}, {"match", true}}})}});
    case A::urge: return d.ev(a, clerk(), "已超过承诺办结时限", {{"to", "后台审批"}});
    }
    BOOST_FAIL("unknown action");
    return d.ev(a, clerk());
}

template <class E>
std::string message_of(Desk& d, const CaseEvent& e) {
    try {
        d.apply(e);
    } catch (const E& ex) {
        return ex.what();
    }
    return "<no exception>";
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(lifecycle_table)

BOOST_AUTO_TEST_CASE(create_makes_a_draft_with_the_checklist) {
    Desk d;
    const Case& c = d.c;
    BOOST_CHECK(c.state == S::draft);
    BOOST_CHECK_EQUAL(c.id.version(), 7);
    BOOST_CHECK_EQUAL(c.item_code, "370102-TEST-0001-001");
    BOOST_CHECK_EQUAL(c.item_name, "测试许可事项");
    BOOST_CHECK(c.kind == ItemKind::promised);
    BOOST_CHECK_EQUAL(c.promised_limit_days, 5);
    BOOST_CHECK_EQUAL(c.legal_limit_days, 20);
    BOOST_CHECK_EQUAL(c.form_version, "2025.1");
    BOOST_CHECK_EQUAL(c.applicant.name, "张三");
    BOOST_CHECK(c.history.empty());
    BOOST_CHECK(!c.due_date);
    BOOST_REQUIRE_EQUAL(c.checklist.entries.size(), 5u);
    for (const auto& e : c.checklist.entries) {
        BOOST_CHECK(e.status == MaterialStatus::pending);
        BOOST_CHECK((e.serves_items == std::vector<std::string>{"370102-TEST-0001-001"}));
    }
    BOOST_REQUIRE(c.checklist.find("premises"));
    BOOST_CHECK(c.checklist.find("premises")->commitment_allowed);
    BOOST_CHECK(c.checklist.find("id_card")->source == MaterialSource::government);
    // Blocking at intake: the four required / deferrable materials, not the optional photo.
    BOOST_CHECK_EQUAL(c.checklist.blocking().size(), 4u);

    auto id = Uuid::parse("0199c696-ddc0-7abc-8def-0123456789ab");
    BOOST_REQUIRE(id);
    Case fixed = Case::create(d.item, person(), *id);
    BOOST_CHECK(fixed.id == *id);
    BOOST_CHECK(Case::create(d.item, person()).id != Case::create(d.item, person()).id);
}

BOOST_AUTO_TEST_CASE(allowed_matches_the_specified_table) {
    int legal_pairs = 0;
    for (S s : kAllStates) {
        std::vector<A> expected;
        for (A a : kAllActions) {
            BOOST_TEST_CONTEXT(to_code(s) << " / " << to_code(a)) { BOOST_CHECK_EQUAL(CaseMachine::allowed(s, a), legal(s, a)); }
            if (legal(s, a)) {
                expected.push_back(a);
                ++legal_pairs;
            }
        }
        BOOST_TEST_CONTEXT(to_code(s)) { BOOST_CHECK((CaseMachine::allowed_actions(s) == expected)); }
    }
    BOOST_CHECK_EQUAL(legal_pairs, 96);
    BOOST_CHECK(CaseMachine::allowed_actions(S::archived).empty());
}

BOOST_AUTO_TEST_CASE(every_legal_transition) {
    int applied = 0;
    for (A a : kAllActions) {
        for (S from : kLegal.at(a)) {
            BOOST_TEST_CONTEXT(to_code(from) << " --" << to_code(a) << "-->") {
                // fulfil_material needs an outstanding material: reach the state with one deferred.
                Desk d = reach(from, a == A::fulfil_material);
                if (a == A::end_special_procedure) d.run(A::start_special_procedure, chief_a(), "现场核查", {{"kind", "inspection"}});
                if (a == A::countersign) d.c.countersign_items = {"370102-TEST-0001-001", "370102-TEST-0002-001"};
                if (a == A::record_fee) d.c.fees = {CaseFee::charged(d.item.code, Fee{"工本费", 1000, "收费标准"})};
                if (a == A::verify_originals) {  // an upload of an online application to compare with
                    ChecklistEntry* photo = d.c.checklist.find("photo");
                    photo->status = MaterialStatus::scanned;
                    photo->via = MaterialVia::online;
                    photo->blob_sha256 = std::string(64, 'a');
                }
                std::size_t before = d.c.history.size();
                CaseEvent e = event_for(d, from, a);
                const HistoryEntry& h = d.apply(e);
                S want = expected_target(from, a);
                BOOST_CHECK_EQUAL(to_code(d.c.state), to_code(want));
                BOOST_CHECK(h.action == a);
                BOOST_CHECK(h.from == from);
                BOOST_CHECK(h.to == want);
                BOOST_CHECK_EQUAL(d.c.history.size(), before + 1);
                BOOST_CHECK_EQUAL(h.seq, before + 1);
                ++applied;
            }
        }
    }
    BOOST_CHECK_EQUAL(applied, 96);
}

BOOST_AUTO_TEST_CASE(every_illegal_pair_throws_and_changes_nothing) {
    int refused = 0;
    for (S from : kAllStates) {
        Desk d = reach(from);
        for (A a : kAllActions) {
            if (legal(from, a)) continue;
            BOOST_TEST_CONTEXT(to_code(from) << " / " << to_code(a)) {
                const std::string before = d.snapshot();
                CaseEvent e = event_for(d, from, a);
                try {
                    d.apply(e);
                    BOOST_ERROR("no exception");
                } catch (const IllegalTransition& ex) {
                    BOOST_CHECK(ex.from == from);
                    BOOST_CHECK(ex.action == a);
                    BOOST_CHECK_EQUAL(ex.code(), "case.illegal_transition");
                    ++refused;
                } catch (const std::exception& ex) {
                    BOOST_ERROR("wrong exception: " << ex.what());
                }
                BOOST_CHECK_EQUAL(d.snapshot(), before);
            }
        }
    }
    BOOST_CHECK_EQUAL(refused, 12 * 29 - 96);
}

BOOST_AUTO_TEST_CASE(correction_after_acceptance_returns_to_review) {
    Desk d = reach(S::under_review);
    d.run(A::request_correction, chief_a(), "须补充检测报告");
    BOOST_CHECK(d.c.state == S::correction_requested);
    BOOST_CHECK(CaseMachine::target(S::correction_requested, A::resubmit, d.c) == S::under_review);
    const HistoryEntry& h = d.run(A::resubmit, clerk());
    BOOST_CHECK(d.c.state == S::under_review);
    BOOST_CHECK(h.to == S::under_review);

    Desk r = reach(S::correction_requested);
    BOOST_CHECK(CaseMachine::target(S::correction_requested, A::resubmit, r.c) == S::received);
}

BOOST_AUTO_TEST_CASE(an_accepted_case_cannot_be_refused_during_a_review_correction) {
    Desk d = reach(S::under_review);
    d.run(A::request_correction, chief_a(), "须补充检测报告");
    std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.run(A::refuse, clerk(), "材料不全"), IllegalTransition);
    BOOST_CHECK_EQUAL(d.snapshot(), before);

    Desk r = reach(S::correction_requested);  // never accepted: refusal is the window's decision
    r.run(A::refuse, clerk(), "逾期未补正");
    BOOST_CHECK(r.c.state == S::refused);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifecycle_materials)

BOOST_AUTO_TEST_CASE(accept_blocked_while_a_required_material_is_pending) {
    Desk d;
    d.run(A::mark_material, clerk(), "", material("application", "original_received"));
    d.run(A::record_commitment, clerk(), "", {{"material_code", "premises"}, {"text", "本人承诺"}});
    d.run(A::mark_material, clerk(), "", material("officers", "copy_received"));
    d.run(A::receive, clerk());
    // id_card is still pending.
    const std::string before = d.snapshot();
    auto msg = message_of<InvalidData>(d, d.ev(A::accept, clerk()));
    BOOST_TEST_INFO(msg);
    BOOST_CHECK(contains(msg, "申请人身份证明"));
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    BOOST_CHECK(d.c.state == S::received);

    // A missing required material blocks as well.
    d.run(A::mark_material, clerk(), "", material("id_card", "missing"));
    BOOST_CHECK_THROW(d.apply(d.ev(A::accept, clerk())), InvalidData);
    // Fetched as e-licence: accepted. The optional photo never blocks.
    d.run(A::mark_material, clerk(), "", material("id_card", "e_licence"));
    d.run(A::accept, clerk());
    BOOST_CHECK(d.c.state == S::accepted);
    BOOST_CHECK(d.c.checklist.find("photo")->status == MaterialStatus::pending);
}

BOOST_AUTO_TEST_CASE(a_deferrable_material_blocks_unless_deferred) {
    Desk d;
    d.run(A::mark_material, clerk(), "", material("application", "original_received"));
    d.run(A::mark_material, clerk(), "", material("id_card", "original_received"));
    d.run(A::record_commitment, clerk(), "", {{"material_code", "premises"}, {"text", "本人承诺"}});
    d.run(A::receive, clerk());
    BOOST_CHECK_THROW(d.apply(d.ev(A::accept, clerk())), InvalidData);  // officers pending, not deferred
    d.run(A::defer_material, clerk(), "", {{"material_code", "officers"}, {"promised_by", "2025-10-20"}});
    BOOST_CHECK_NO_THROW(d.run(A::accept, clerk()));
}

BOOST_AUTO_TEST_CASE(accept_with_a_deferred_material_then_fulfil) {
    Desk d;
    prepare_materials(d, true);
    const ChecklistEntry* officers = d.c.checklist.find("officers");
    BOOST_REQUIRE(officers);
    BOOST_CHECK(officers->status == MaterialStatus::deferred);
    BOOST_REQUIRE(officers->promised_by);
    BOOST_CHECK_EQUAL(S_(*officers->promised_by), "2025-10-20");
    d.run(A::receive, clerk());
    d.run(A::accept, clerk());
    BOOST_CHECK(d.c.state == S::accepted);
    BOOST_CHECK_EQUAL(d.c.checklist.outstanding_deferred().size(), 1u);
    d.run(A::start_review, clerk());
    d.run(A::approve, chief_a(), "符合法定条件");

    // The result is not handed out while the deferred material is outstanding.
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::issue_result, clerk(), "", {{"mode", "pickup"}, {"recipient", "张三"}})), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    BOOST_CHECK(d.c.state == S::approved);

    d.t = cst(D(2025, 10, 9), 10);
    d.run(A::fulfil_material, clerk(), "", {{"material_code", "officers"}, {"status", "original_received"}, {"blob_sha256", "ab12"}});
    officers = d.c.checklist.find("officers");
    BOOST_CHECK(officers->status == MaterialStatus::original_received);
    BOOST_REQUIRE(officers->fulfilled_at);
    BOOST_CHECK(*officers->fulfilled_at == d.t);
    BOOST_CHECK_EQUAL(officers->blob_sha256, "ab12");
    BOOST_CHECK(d.c.checklist.outstanding_deferred().empty());
    d.run(A::issue_result, clerk(), "", {{"mode", "pickup"}, {"recipient", "张三"}});
    BOOST_CHECK(d.c.state == S::result_issued);
    BOOST_REQUIRE(d.c.handover);
    BOOST_CHECK_EQUAL(d.c.handover->recipient, "张三");
}

BOOST_AUTO_TEST_CASE(defer_rules) {
    Desk d;
    const std::string before = d.snapshot();
    // A required material may not be missing at intake.
    BOOST_CHECK_THROW(d.apply(d.ev(A::defer_material, clerk(), "", {{"material_code", "application"}, {"promised_by", "2025-10-20"}})),
                      InvalidData);
    // The promised date must be after today (26 Sep) and a real date.
    BOOST_CHECK_THROW(d.apply(d.ev(A::defer_material, clerk(), "", {{"material_code", "officers"}, {"promised_by", "2025-09-26"}})),
                      InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::defer_material, clerk(), "", {{"material_code", "officers"}, {"promised_by", "2025-09-01"}})),
                      InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::defer_material, clerk(), "", {{"material_code", "officers"}, {"promised_by", "2025-09-31"}})),
                      InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::defer_material, clerk(), "", {{"material_code", "officers"}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::defer_material, clerk(), "", {{"material_code", "nope"}, {"promised_by", "2025-10-20"}})),
                      InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    BOOST_CHECK_NO_THROW(d.run(A::defer_material, clerk(), "", {{"material_code", "officers"}, {"promised_by", "2025-09-27"}}));
}

BOOST_AUTO_TEST_CASE(fulfil_rules) {
    Desk d = reach(S::accepted, true);
    const std::string before = d.snapshot();
    // Only outstanding materials can be delivered, and only as received / scanned / e-licence.
    BOOST_CHECK_THROW(d.apply(d.ev(A::fulfil_material, clerk(), "", material("application", "original_received"))), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::fulfil_material, clerk(), "", material("officers", "pending"))), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::fulfil_material, clerk(), "", material("officers", "commitment"))), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::fulfil_material, clerk(), "", material("officers", "bogus"))), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    d.run(A::fulfil_material, clerk(), "", material("officers", "scanned"));
    BOOST_CHECK(d.c.checklist.find("officers")->status == MaterialStatus::scanned);
    // Delivered once: not again.
    BOOST_CHECK_THROW(d.apply(d.ev(A::fulfil_material, clerk(), "", material("officers", "original_received"))), InvalidData);
}

BOOST_AUTO_TEST_CASE(commitment_only_where_allowed) {
    Desk d;
    const std::string before = d.snapshot();
    auto msg = message_of<InvalidData>(d, d.ev(A::record_commitment, clerk(), "", {{"material_code", "application"}, {"text", "本人承诺"}}));
    BOOST_TEST_INFO(msg);
    BOOST_CHECK(contains(msg, "申请书"));
    BOOST_CHECK_THROW(d.apply(d.ev(A::record_commitment, clerk(), "", {{"material_code", "officers"}, {"text", "本人承诺"}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::record_commitment, clerk(), "", {{"material_code", "premises"}})), InvalidData);  // no text
    BOOST_CHECK_EQUAL(d.snapshot(), before);

    d.run(A::record_commitment, clerk(), "", {{"material_code", "premises"}, {"text", "本人承诺经营场所合法有效"}});
    BOOST_CHECK(d.c.checklist.find("premises")->status == MaterialStatus::commitment);
    BOOST_CHECK(d.c.checklist.find("premises")->satisfied());
    BOOST_REQUIRE_EQUAL(d.c.commitments.size(), 1u);
    BOOST_CHECK_EQUAL(d.c.commitments[0].material_code, "premises");
    BOOST_CHECK_EQUAL(d.c.commitments[0].text, "本人承诺经营场所合法有效");
    BOOST_CHECK(d.c.commitments[0].at == d.t);
    // A commitment on the conditions of the whole item names no material.
    d.run(A::record_commitment, clerk(), "", {{"text", "本人承诺符合受理条件"}});
    BOOST_CHECK_EQUAL(d.c.commitments.size(), 2u);
    BOOST_CHECK_EQUAL(d.c.commitments[1].material_code, "");
    // mark_material cannot set the commitment or deferred status on its own.
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", material("application", "commitment"))), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", material("officers", "deferred"))), InvalidData);
}

BOOST_AUTO_TEST_CASE(e_licence_only_for_government_materials) {
    Desk d;
    const std::string before = d.snapshot();
    auto msg = message_of<InvalidData>(d, d.ev(A::mark_material, clerk(), "", material("premises", "e_licence")));
    BOOST_TEST_INFO(msg);
    BOOST_CHECK(contains(msg, "经营场所使用证明"));
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", material("application", "e_licence"))), InvalidData);  // online
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    d.run(A::mark_material, clerk(), "", material("id_card", "e_licence"));
    BOOST_CHECK(d.c.checklist.find("id_card")->status == MaterialStatus::e_licence);
    BOOST_CHECK(d.c.checklist.find("id_card")->satisfied());
}

BOOST_AUTO_TEST_CASE(mark_material_data_is_checked) {
    Desk d;
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", material("nope", "scanned"))), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", material("photo", "lost"))), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", {{"material_code", "photo"}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", {{"material_code", 7}, {"status", "scanned"}})), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    d.run(A::mark_material, clerk(), "", {{"material_code", "photo"}, {"status", "defective"}, {"note", "照片模糊"}});
    BOOST_CHECK(d.c.checklist.find("photo")->status == MaterialStatus::defective);
    BOOST_CHECK_EQUAL(d.c.checklist.find("photo")->note, "照片模糊");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifecycle_correction)

BOOST_AUTO_TEST_CASE(request_correction_from_received_needs_a_gap) {
    Desk d = reach(S::received);
    const std::string before = d.snapshot();
    // Nothing is marked missing or defective: a one-time notice would be empty.
    BOOST_CHECK_THROW(d.apply(d.ev(A::request_correction, clerk())), InvalidData);
    // A correction names materials as missing or defective, not anything else.
    BOOST_CHECK_THROW(d.apply(d.ev(A::request_correction, clerk(), "", correction("application", "scanned"))), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::request_correction, clerk(), "", correction("nope", "missing"))), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::request_correction, clerk(), "", {{"materials", "application"}})), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);

    d.run(A::mark_material, clerk(), "", material("premises", "missing"));
    d.run(A::request_correction, clerk());
    BOOST_CHECK(d.c.state == S::correction_requested);
}

BOOST_AUTO_TEST_CASE(request_correction_with_a_malformed_status_is_invalid_data) {
    // Bad event data must surface as InvalidData (case.h), not as a JSON library exception.
    Desk d = reach(S::received);
    const std::string before = d.snapshot();
    json m = {{"material_code", "application"}, {"status", 3}};
    BOOST_CHECK_THROW(d.apply(d.ev(A::request_correction, clerk(), "", {{"materials", json::array({m})}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::request_correction, clerk(), "", {{"materials", json::array({"application"})}})), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
}

BOOST_AUTO_TEST_CASE(request_correction_marks_the_named_materials) {
    Desk d = reach(S::received);
    json data = {{"materials", json::array({json{{"material_code", "application"}, {"status", "defective"}, {"note", "缺少签字"}},
                                            json{{"material_code", "photo"}}})}};
    d.run(A::request_correction, clerk(), "", data);
    BOOST_CHECK(d.c.checklist.find("application")->status == MaterialStatus::defective);
    BOOST_CHECK_EQUAL(d.c.checklist.find("application")->note, "缺少签字");
    BOOST_CHECK(d.c.checklist.find("photo")->status == MaterialStatus::missing);  // missing by default
}

BOOST_AUTO_TEST_CASE(resubmit_before_acceptance_goes_back_to_received) {
    Desk d = reach(S::correction_requested);
    d.t = cst(D(2025, 9, 30), 10);
    d.run(A::fulfil_material, clerk(), "", material("application", "original_received"));
    const HistoryEntry& h = d.run(A::resubmit, clerk());
    BOOST_CHECK(h.from == S::correction_requested);
    BOOST_CHECK(h.to == S::received);
    BOOST_CHECK(d.c.state == S::received);
    BOOST_CHECK(d.c.pauses.empty());  // the clock had not started
    BOOST_CHECK(!d.c.due_date);
    // Accepted on Tue 30 Sep: + 5 working days = Thu 9, Fri 10, Sat 11 (worked), Mon 13, Tue 14 Oct.
    d.run(A::accept, clerk());
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-14");
}

BOOST_AUTO_TEST_CASE(correction_during_review_pauses_the_clock) {
    Desk d = reach(S::under_review);
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-10");
    d.t = cst(D(2025, 9, 29), 10);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::request_correction, chief_a())), InvalidData);  // during review: reason needed
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    d.run(A::request_correction, chief_a(), "须补充检测报告", correction("officers", "defective"));
    BOOST_CHECK(d.c.state == S::correction_requested);
    BOOST_CHECK(!d.c.clock_running());

    d.t = cst(D(2025, 10, 10), 9);
    d.run(A::resubmit, clerk());
    BOOST_CHECK(d.c.state == S::under_review);
    // Requested Mon 29 Sep (counted), resubmitted Fri 10 Oct: 30 Sep … 10 Oct do not count.
    BOOST_REQUIRE_EQUAL(d.c.pauses.size(), 1u);
    BOOST_CHECK_EQUAL(S_(d.c.pauses[0].from), "2025-09-30");
    BOOST_CHECK_EQUAL(S_(d.c.pauses[0].to), "2025-10-10");
    // 26 Sep + 5: Sun 28, Mon 29, (paused to 10 Oct), Sat 11, Mon 13, Tue 14 Oct.
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-14");
    BOOST_CHECK(d.c.clock_running());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifecycle_deadlines)

BOOST_AUTO_TEST_CASE(due_date_at_acceptance) {
    Desk d = reach(S::accepted);
    // Fri 26 Sep 2025 + 5 working days: Sun 28 (worked), Mon 29, Tue 30, (1–8 Oct off), Thu 9, Fri 10.
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-10");
    BOOST_REQUIRE(d.c.accepted_at);
    BOOST_CHECK_EQUAL(S_(china_date(*d.c.accepted_at)), "2025-09-26");
    BOOST_CHECK(d.c.clock_running());
}

BOOST_AUTO_TEST_CASE(acceptance_late_in_the_evening_counts_in_china_time) {
    Desk d;
    prepare_materials(d, false);
    d.run(A::receive, clerk());
    // 00:30 on Wed 1 Oct in China is still 30 Sep in UTC: the day that counts is China's.
    d.t = cst(D(2025, 10, 1), 0, 29);
    d.run(A::accept, clerk());
    // Accepted on 1 Oct (China), a holiday: counted as accepted on Thu 9 Oct, the next working
    // day (docs/calendar.md, "Acceptance on a rest day"): + 5 = Fri 10, Sat 11, Mon 13, Tue 14, Wed 15.
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-15");
}

BOOST_AUTO_TEST_CASE(acceptance_on_a_rest_day_starts_the_clock_on_the_next_working_day) {
    auto due_when_accepted = [](Date day, int hour) {
        Desk d;
        prepare_materials(d, false);
        d.t = cst(day, hour);
        d.run(A::receive, clerk());
        d.run(A::accept, clerk());
        return S_(d.c.due_date);
    };
    // Sunday 12 Oct 2025 (延时/周末服务): as if accepted Mon 13; + 5 = 14, 15, 16, 17, 20.
    BOOST_CHECK_EQUAL(due_when_accepted(D(2025, 10, 12), 10), "2025-10-20");
    // The worked Saturday 11 Oct is a working day: + 5 = 13, 14, 15, 16, 17.
    BOOST_CHECK_EQUAL(due_when_accepted(D(2025, 10, 11), 10), "2025-10-17");
    // A weekday is as before: Mon 13 + 5 = 14, 15, 16, 17, 20.
    BOOST_CHECK_EQUAL(due_when_accepted(D(2025, 10, 13), 10), "2025-10-20");
}

BOOST_AUTO_TEST_CASE(immediate_items_are_due_the_day_they_are_accepted) {
    Desk d(test_item(ItemKind::immediate, 0));
    prepare_materials(d, false);
    d.t = cst(D(2025, 10, 11), 9);  // the worked Saturday
    d.run(A::receive, clerk());
    d.run(A::accept, clerk());
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-11");

    Desk h(test_item(ItemKind::immediate, 0));
    prepare_materials(h, false);
    h.t = cst(D(2025, 10, 3), 9);  // accepted during the holiday (e.g. a service at the applicant's premises)
    h.run(A::receive, clerk());
    h.run(A::accept, clerk());
    BOOST_CHECK_EQUAL(S_(h.c.due_date), "2025-10-09");
}

BOOST_AUTO_TEST_CASE(special_procedures_pause_the_clock_and_push_the_due_date) {
    Desk d = reach(S::under_review);
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-10");

    d.t = cst(D(2025, 9, 29), 10);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::start_special_procedure, chief_a(), "", {{"kind", "expert_review"}})), InvalidData);  // reason
    BOOST_CHECK_THROW(d.apply(d.ev(A::start_special_procedure, chief_a(), "专家评审", {{"kind", "party"}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::start_special_procedure, clerk(), "专家评审", {{"kind", "expert_review"}})), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::end_special_procedure, chief_a())), InvalidData);  // none running
    BOOST_CHECK_EQUAL(d.snapshot(), before);

    d.run(A::start_special_procedure, chief_a(), "组织专家评审", {{"kind", "expert_review"}});
    BOOST_REQUIRE_EQUAL(d.c.special_procedures.size(), 1u);
    BOOST_CHECK(d.c.special_procedures[0].kind == SpecialProcedureKind::expert_review);
    BOOST_CHECK_EQUAL(S_(d.c.special_procedures[0].started), "2025-09-29");
    BOOST_CHECK(!d.c.special_procedures[0].ended);
    BOOST_CHECK(!d.c.clock_running());
    BOOST_CHECK(d.c.state == S::under_review);
    // No decision and no second procedure while one is running.
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, chief_a(), "符合法定条件")), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::start_special_procedure, chief_a(), "听证", {{"kind", "hearing"}})), InvalidData);

    d.t = cst(D(2025, 10, 9), 16);
    d.run(A::end_special_procedure, chief_a(), "", {{"result", "评审通过"}});
    BOOST_CHECK(d.c.clock_running());
    BOOST_REQUIRE(d.c.special_procedures[0].ended);
    BOOST_CHECK_EQUAL(S_(*d.c.special_procedures[0].ended), "2025-10-09");
    BOOST_CHECK_EQUAL(d.c.special_procedures[0].result, "评审通过");
    BOOST_REQUIRE_EQUAL(d.c.pauses.size(), 1u);
    BOOST_CHECK_EQUAL(S_(d.c.pauses[0].from), "2025-09-30");
    BOOST_CHECK_EQUAL(S_(d.c.pauses[0].to), "2025-10-09");
    // 26 Sep + 5: Sun 28, Mon 29, (30 Sep–9 Oct paused or off), Fri 10, Sat 11 (worked), Mon 13.
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-13");

    // A second procedure, Fri 10 → Mon 13 Oct: 11–13 Oct paused.
    d.t = cst(D(2025, 10, 10), 9);
    d.run(A::start_special_procedure, chief_a(), "听证", {{"kind", "hearing"}});
    d.t = cst(D(2025, 10, 13), 17);
    d.run(A::end_special_procedure, chief_a());
    BOOST_REQUIRE_EQUAL(d.c.pauses.size(), 2u);
    BOOST_CHECK_EQUAL(S_(d.c.pauses[1].from), "2025-10-11");
    BOOST_CHECK_EQUAL(S_(d.c.pauses[1].to), "2025-10-13");
    // Sun 28, Mon 29, Fri 10, (11–13 paused), Tue 14, Wed 15.
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-15");

    // A procedure that ends the day it starts pauses nothing.
    d.t = cst(D(2025, 10, 14), 9);
    d.run(A::start_special_procedure, chief_a(), "检验", {{"kind", "inspection"}});
    d.t = cst(D(2025, 10, 14), 15);
    d.run(A::end_special_procedure, chief_a());
    BOOST_CHECK_EQUAL(d.c.pauses.size(), 2u);
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-15");

    d.run(A::approve, chief_a(), "符合法定条件");
    BOOST_CHECK(d.c.state == S::approved);
}

BOOST_AUTO_TEST_CASE(working_days_left_and_overdue) {
    Desk draft;
    BOOST_CHECK(!draft.c.working_days_left(D(2025, 9, 26), cal()));
    BOOST_CHECK(!draft.c.overdue(D(2026, 1, 5), cal()));

    Desk d = reach(S::accepted);  // due Fri 10 Oct 2025
    BOOST_CHECK_EQUAL(d.c.working_days_left(D(2025, 9, 26), cal()).value_or(-99), 5);
    BOOST_CHECK_EQUAL(d.c.working_days_left(D(2025, 9, 30), cal()).value_or(-99), 2);   // Thu 9, Fri 10
    BOOST_CHECK_EQUAL(d.c.working_days_left(D(2025, 10, 5), cal()).value_or(-99), 2);
    BOOST_CHECK_EQUAL(d.c.working_days_left(D(2025, 10, 10), cal()).value_or(-99), 0);
    BOOST_CHECK_EQUAL(d.c.working_days_left(D(2025, 10, 11), cal()).value_or(-99), -1);  // worked Saturday
    BOOST_CHECK_EQUAL(d.c.working_days_left(D(2025, 10, 12), cal()).value_or(-99), -1);
    BOOST_CHECK_EQUAL(d.c.working_days_left(D(2025, 10, 13), cal()).value_or(-99), -2);
    BOOST_CHECK(!d.c.overdue(D(2025, 9, 30), cal()));
    BOOST_CHECK(!d.c.overdue(D(2025, 10, 10), cal()));
    BOOST_CHECK(d.c.overdue(D(2025, 10, 11), cal()));
    BOOST_CHECK(d.c.overdue(D(2025, 10, 13), cal()));

    // Decided: no longer counted, never overdue.
    d.run(A::start_review, clerk());
    d.run(A::approve, chief_a(), "符合法定条件");
    BOOST_CHECK(!d.c.working_days_left(D(2025, 10, 13), cal()));
    BOOST_CHECK(!d.c.overdue(D(2025, 10, 13), cal()));
    BOOST_CHECK(!d.c.clock_running());

    Desk refused = reach(S::refused);
    BOOST_CHECK(!refused.c.working_days_left(D(2025, 10, 13), cal()));
}

BOOST_AUTO_TEST_CASE(working_days_left_respects_pauses) {
    Desk d = reach(S::under_review);
    d.t = cst(D(2025, 9, 29), 10);
    d.run(A::start_special_procedure, chief_a(), "组织专家评审", {{"kind", "expert_review"}});
    d.t = cst(D(2025, 10, 9), 16);
    d.run(A::end_special_procedure, chief_a());
    BOOST_REQUIRE_EQUAL(S_(d.c.due_date), "2025-10-13");
    // (29 Sep, 13 Oct] without the paused days: Fri 10, Sat 11, Mon 13.
    BOOST_CHECK_EQUAL(d.c.working_days_left(D(2025, 9, 29), cal()).value_or(-99), 3);
    BOOST_CHECK_EQUAL(d.c.working_days_left(D(2025, 10, 10), cal()).value_or(-99), 2);
    BOOST_CHECK(!d.c.overdue(D(2025, 10, 13), cal()));
    BOOST_CHECK(d.c.overdue(D(2025, 10, 14), cal()));
}

BOOST_AUTO_TEST_CASE(due_date_past_the_published_calendar_is_provisional) {
    Desk d;
    prepare_materials(d, false);
    d.t = cst(D(2026, 12, 28), 9);
    d.run(A::receive, clerk());
    // Mon 28 Dec 2026 + 5 runs into 2027, not published: the provisional calendar counts it
    // (29, 30, 31 Dec, 1 Jan 元旦, Mon 4, Tue 5 Jan) and the case says so. Intake is never refused.
    d.run(A::accept, clerk());
    BOOST_CHECK(d.c.state == S::accepted);
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2027-01-05");
    BOOST_CHECK(d.c.promised_provisional);
    BOOST_CHECK_EQUAL(to_json(d.c)["promised_provisional"], true);
    BOOST_CHECK(case_from_json(to_json(d.c), "case.json").promised_provisional);
    // Within the published years: not provisional.
    Desk early;
    prepare_materials(early, false);
    early.run(A::receive, clerk());
    early.run(A::accept, clerk());
    BOOST_CHECK(!early.c.promised_provisional);
}

BOOST_AUTO_TEST_CASE(recompute_due_with_an_official_year) {
    Desk d;
    prepare_materials(d, false);
    d.t = cst(D(2026, 12, 28), 9);
    d.run(A::receive, clerk());
    d.run(A::accept, clerk());
    d.run(A::start_review, clerk());
    WorkCalendar official = cal();
    // An official 2027 with 4 January off as well.
    official.add_year(CalendarYear::parse(R"({"format": "onewindow-calendar", "format_version": 1, "year": 2027,
        "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-04"}], "workdays": []})", "cn-2027.json"));
    const std::string before = d.snapshot();
    const auto& h = CaseMachine::apply(d.c, d.ev(A::recompute_due, clerk(), "", {{"ignored", 1}}), official);
    BOOST_CHECK(h.action == A::recompute_due);
    BOOST_CHECK(h.from == S::under_review && h.to == S::under_review);
    BOOST_CHECK_EQUAL(h.data.dump(), R"({"from_due_date":"2027-01-05","from_provisional":true,"to_due_date":"2027-01-06","to_provisional":false})");
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2027-01-06");
    BOOST_CHECK(!d.c.promised_provisional);
    BOOST_CHECK(before != d.snapshot());
    // Not before acceptance, not after a decision.
    Desk r;
    prepare_materials(r, false);
    r.run(A::receive, clerk());
    BOOST_CHECK_THROW(r.run(A::recompute_due, clerk()), IllegalTransition);
    Desk x = reach(S::approved);
    BOOST_CHECK_THROW(x.run(A::recompute_due, clerk()), IllegalTransition);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifecycle_authorisation)

BOOST_AUTO_TEST_CASE(approve_by_post) {
    Desk d = reach(S::under_review);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, clerk(), "符合法定条件")), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, admin(), "符合法定条件")), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, chief_b(), "符合法定条件")), NotAuthorised);  // B without acting_for
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, Actor{"chief-x", Role::chief, Post::none, ""}, "符合法定条件")), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, Actor{"", Role::chief, Post::A, ""}, "符合法定条件")), NotAuthorised);
    BOOST_CHECK_EQUAL(d.snapshot(), before);

    Desk a = reach(S::under_review);
    a.run(A::approve, chief_a(), "符合法定条件", {{"legal_basis", "《行政许可法》第三十八条"}});
    BOOST_CHECK(a.c.state == S::approved);
    BOOST_REQUIRE(a.c.decision);
    BOOST_CHECK(a.c.decision->approved);
    BOOST_CHECK(a.c.decision->by == chief_a());
    BOOST_CHECK_EQUAL(a.c.decision->legal_basis, "《行政许可法》第三十八条");
    BOOST_CHECK_EQUAL(a.c.decision->opinion, "符合法定条件");
}

BOOST_AUTO_TEST_CASE(the_window_decides_only_immediate_items_under_the_window_s_authority) {
    // Issue 21 part 4 (马上办): a clerk's approve / deny says it acts under the window's grant, and
    // only an immediate case may be decided so; ow_workflow checks the grant itself.
    Desk p = reach(S::under_review);  // a promised item
    const std::string before = p.snapshot();
    BOOST_CHECK_THROW(p.apply(p.ev(A::approve, clerk(), "符合条件", {{"authority", "window"}})), NotAuthorised);
    BOOST_CHECK_EQUAL(p.snapshot(), before);
    Desk d(test_item(ItemKind::immediate));
    prepare_materials(d, false);
    d.run(A::receive, clerk());
    d.run(A::accept, clerk());
    d.run(A::start_review, clerk());
    const std::string review = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, clerk(), "符合条件")), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::deny, clerk(), "不符合", {{"authority", 1}})), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, clerk(), "符合条件", {{"authority", "chief"}})), NotAuthorised);
    BOOST_CHECK_EQUAL(d.snapshot(), review);
    d.run(A::approve, clerk(), "符合条件", {{"authority", "window"}});
    BOOST_CHECK(d.c.state == S::approved);
    BOOST_CHECK(d.c.decision->by.role == Role::clerk);
}

BOOST_AUTO_TEST_CASE(a_remote_call_is_made_at_acceptance_and_answered_by_the_department) {
    // 事进人不进: accept's data.remote_call; the department's first act answers it, the window's do not.
    Desk d;
    prepare_materials(d, false);
    d.run(A::receive, clerk());
    const std::string received = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::accept, clerk(), "", {{"remote_call", {{"department", "区行政审批服务局"}}}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::accept, clerk(), "", {{"remote_call", {{"department", "区行政审批服务局"}, {"due_at", "2020-01-01T00:00:00Z"}}}})),
                      InvalidData);  // due before the call
    BOOST_CHECK_EQUAL(d.snapshot(), received);
    const auto& acc = d.run(A::accept, clerk(), "", {{"remote_call", {{"department", "区行政审批服务局"}, {"contact", "王局长"},
                                                                      {"due_at", "2025-09-26T02:00:00Z"}}}});
    BOOST_REQUIRE(d.c.remote_call);
    BOOST_CHECK(d.c.remote_call->called_at == acc.at);
    BOOST_CHECK(d.c.remote_call->due_at == parse_instant("2025-09-26T02:00:00Z"));
    d.run(A::start_review, clerk());
    BOOST_CHECK(!d.c.remote_call->answered());
    d.run(A::approve, chief_a(), "符合条件");
    BOOST_REQUIRE(d.c.remote_call->answered());
    BOOST_CHECK(d.c.remote_call->answered_by == chief_a());
    // It survives the JSON round trip.
    Case back = case_from_json(to_json(d.c), "test");
    BOOST_REQUIRE(back.remote_call);
    BOOST_CHECK_EQUAL(back.remote_call->contact, "王局长");
    BOOST_CHECK(back.remote_call->answered_at == d.c.remote_call->answered_at);
}

BOOST_AUTO_TEST_CASE(post_b_acting_for_a_is_recorded) {
    Desk d = reach(S::under_review);
    const HistoryEntry& h = d.run(A::approve, chief_b("chief-a"), "符合法定条件");
    BOOST_CHECK(d.c.state == S::approved);
    BOOST_CHECK_EQUAL(h.actor.user_id, "chief-b");
    BOOST_CHECK(h.actor.post == Post::B);
    BOOST_CHECK_EQUAL(h.actor.acting_for, "chief-a");
    BOOST_REQUIRE(d.c.decision);
    BOOST_CHECK_EQUAL(d.c.decision->by.acting_for, "chief-a");
    json j = to_json(h);
    BOOST_CHECK_EQUAL(j["actor"]["acting_for"], "chief-a");
    BOOST_CHECK_EQUAL(j["actor"]["post"], "B");
    BOOST_CHECK_EQUAL(to_json(d.c)["decision"]["by"]["acting_for"], "chief-a");
}

BOOST_AUTO_TEST_CASE(only_post_b_acts_for_someone) {
    Desk d = reach(S::received);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::accept, Actor{"clerk-01", Role::clerk, Post::none, "clerk-02"})), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::accept, admin())), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::accept, platform())), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::accept, Actor{"", Role::clerk, Post::none, ""})), NotAuthorised);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    Desk e = reach(S::under_review);
    const std::string review = e.snapshot();
    // Post A acts as itself; a clerk has no post to act on.
    BOOST_CHECK_THROW(e.apply(e.ev(A::approve, Actor{"chief-a", Role::chief, Post::A, "chief-c"}, "符合法定条件")), NotAuthorised);
    BOOST_CHECK_THROW(e.apply(e.ev(A::request_correction, Actor{"clerk-01", Role::clerk, Post::B, "clerk-02"}, "补正")), NotAuthorised);
    BOOST_CHECK_EQUAL(e.snapshot(), review);
}

BOOST_AUTO_TEST_CASE(escalated_case_is_decided_by_the_platform) {
    Desk d = reach(S::escalated);
    BOOST_CHECK_EQUAL(d.c.escalated_to, "市行政审批服务局");
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, chief_a(), "符合法定条件")), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, chief_b("chief-a"), "符合法定条件")), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::deny, chief_a(), "不符合法定条件")), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, clerk(), "符合法定条件")), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::deny, platform())), InvalidData);  // a denial needs the reason
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    d.run(A::approve, platform(), "市级审批通过");
    BOOST_CHECK(d.c.state == S::approved);
    BOOST_CHECK(d.c.decision->by.role == Role::platform);

    Desk n = reach(S::escalated);
    n.run(A::deny, platform(), "不符合法定条件");
    BOOST_CHECK(n.c.state == S::denied);
    BOOST_CHECK(!n.c.decision->approved);
}

BOOST_AUTO_TEST_CASE(escalation_needs_chief_reason_and_target) {
    Desk d = reach(S::accepted);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::escalate, clerk(), "须报市级审批", {{"to", "市局"}})), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::escalate, chief_a(), "", {{"to", "市局"}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::escalate, chief_a(), "须报市级审批")), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
}

BOOST_AUTO_TEST_CASE(green_flags_are_set_and_cleared_by_events) {
    // Issue 19: 绿色通道 flags change only through flag_green, each once, in enum order.
    Desk d = reach(S::accepted);
    d.run(A::flag_green, clerk(), "", {{"flag", "key_project"}, {"on", true}});
    d.run(A::flag_green, chief_a(), "", {{"flag", "elderly"}, {"on", true}});
    BOOST_REQUIRE_EQUAL(d.c.green_flags.size(), 2u);
    BOOST_CHECK(d.c.green_flags[0] == GreenFlag::elderly && d.c.green_flags[1] == GreenFlag::key_project);
    BOOST_CHECK(d.c.state == S::accepted);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::flag_green, clerk(), "", {{"flag", "elderly"}, {"on", true}})), InvalidData);   // already set
    BOOST_CHECK_THROW(d.apply(d.ev(A::flag_green, clerk(), "", {{"flag", "disabled"}, {"on", false}})), InvalidData); // not set
    BOOST_CHECK_THROW(d.apply(d.ev(A::flag_green, clerk(), "", {{"flag", "vip"}, {"on", true}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::flag_green, clerk(), "", {{"flag", "disabled"}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::flag_green, admin(), "", {{"flag", "disabled"}, {"on", true}})), NotAuthorised);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    Case back = case_from_json(to_json(d.c), "round trip");
    BOOST_CHECK(back.green_flags == d.c.green_flags);
    d.run(A::flag_green, clerk(), "", {{"flag", "elderly"}, {"on", false}});
    BOOST_REQUIRE_EQUAL(d.c.green_flags.size(), 1u);
    BOOST_CHECK(d.c.green_flags[0] == GreenFlag::key_project);
    BOOST_CHECK(parse_green_flag("disabled") == GreenFlag::disabled);
    BOOST_CHECK(!parse_green_flag("Disabled"));
    BOOST_CHECK_EQUAL(zh_name(GreenFlag::elderly), "老年人");
}

BOOST_AUTO_TEST_CASE(the_vulnerable_applicants_flags) {
    // Issue 21 part 2: 老弱病残孕 — ill (伤病体弱) and pregnant (孕妇) beside elderly and disabled.
    Desk d;
    d.run(A::flag_green, clerk(), "", {{"flag", "pregnant"}, {"on", true}});
    d.run(A::flag_green, clerk(), "", {{"flag", "ill"}, {"on", true}});
    d.run(A::flag_green, clerk(), "", {{"flag", "elderly"}, {"on", true}});
    BOOST_REQUIRE_EQUAL(d.c.green_flags.size(), 3u);
    BOOST_CHECK(d.c.green_flags[0] == GreenFlag::elderly && d.c.green_flags[1] == GreenFlag::ill &&
                d.c.green_flags[2] == GreenFlag::pregnant);
    BOOST_CHECK(case_from_json(to_json(d.c), "round trip").green_flags == d.c.green_flags);
    BOOST_CHECK_EQUAL(zh_name(GreenFlag::pregnant), "孕妇");
    BOOST_CHECK_EQUAL(zh_name(GreenFlag::ill), "伤病体弱");
}

BOOST_AUTO_TEST_CASE(an_agent_brings_the_power_of_attorney_and_an_id) {
    // Issue 21 part 2 (帮办代办): an agent adds the 委托书 and the agent's ID to the checklist; they
    // block acceptance like any required material, survive a new form answer, and leave with the agent.
    Desk d;
    const std::size_t items = d.c.checklist.entries.size();
    d.run(A::set_agent, clerk(), "", {{"name", "李四"}, {"doc_number", "11010519491231002X"}, {"phone", "13900000000"}, {"relation", "亲属"}});
    BOOST_CHECK_EQUAL(d.c.applicant.agent_name, "李四");
    BOOST_CHECK_EQUAL(d.c.applicant.agent_relation, "亲属");
    BOOST_CHECK(d.c.applicant.agent_doc_type == DocumentType::resident_id);
    BOOST_REQUIRE_EQUAL(d.c.checklist.entries.size(), items + 2);
    const ChecklistEntry* mandate = d.c.checklist.find(kAgentMandateMaterial);
    BOOST_REQUIRE(mandate);
    BOOST_CHECK_EQUAL(mandate->name, "授权委托书");
    BOOST_CHECK(mandate->necessity == Necessity::required);
    BOOST_REQUIRE(d.c.checklist.find(kAgentIdMaterial));
    prepare_materials(d, false);
    d.run(A::receive, clerk());
    // Not yet accepted: the mandate and the agent's ID are missing.
    try {
        d.run(A::accept, clerk());
        BOOST_ERROR("accepted without the power of attorney");
    } catch (const InvalidData& e) {
        BOOST_CHECK(contains(e.what(), "授权委托书") && contains(e.what(), "受托人身份证件"));
    }
    d.run(A::mark_material, clerk(), "", material(kAgentMandateMaterial, "original_received"));
    // A new answer of the form keeps the agent's materials and what was recorded for them.
    d.run(A::answer_form, clerk(), "", {{"answers", json::object()}, {"form_version", "2025.1"},
                                        {"checklist", json::array({{{"material_code", "application"}, {"name", "申请书"}}})}});
    BOOST_REQUIRE(d.c.checklist.find(kAgentMandateMaterial));
    BOOST_CHECK(d.c.checklist.find(kAgentMandateMaterial)->status == MaterialStatus::original_received);
    BOOST_CHECK(d.c.checklist.find(kAgentIdMaterial)->status == MaterialStatus::pending);
    d.run(A::mark_material, clerk(), "", material(kAgentIdMaterial, "original_received"));
    d.run(A::accept, clerk());
    BOOST_CHECK(d.c.state == S::accepted);
    Case back = case_from_json(to_json(d.c), "round trip");
    BOOST_CHECK_EQUAL(back.applicant.agent_phone, "13900000000");
    BOOST_CHECK_EQUAL(to_json(back).dump(), to_json(d.c).dump());

    // Bad agents change nothing: an invalid ID number, the applicant themselves, nothing to clear.
    Desk b;
    const std::string before = b.snapshot();
    BOOST_CHECK_THROW(b.apply(b.ev(A::set_agent, clerk(), "", {{"name", "李四"}, {"doc_number", "110105194912310021"}})), InvalidData);
    BOOST_CHECK_THROW(b.apply(b.ev(A::set_agent, clerk(), "", {{"name", "李四"}})), InvalidData);
    BOOST_CHECK_THROW(b.apply(b.ev(A::set_agent, clerk(), "", {{"name", "张三"}, {"doc_number", person().doc_number}})), InvalidData);
    BOOST_CHECK_THROW(b.apply(b.ev(A::set_agent, clerk(), "", {{"name", "李四"}, {"doc_type", 999}, {"doc_number", "X1"}})), InvalidData);
    BOOST_CHECK_THROW(b.apply(b.ev(A::set_agent, clerk())), InvalidData);  // no agent to clear
    BOOST_CHECK_THROW(b.apply(b.ev(A::set_agent, chief_a(), "", {{"name", "李四"}, {"doc_number", "11010519491231002X"}})), NotAuthorised);
    BOOST_CHECK_EQUAL(b.snapshot(), before);
    // Cleared: the applicant came after all; the materials go.
    b.run(A::set_agent, clerk(), "", {{"name", "李四"}, {"doc_number", "11010519491231002X"}});
    b.run(A::set_agent, clerk());
    BOOST_CHECK(!b.c.applicant.has_agent());
    BOOST_CHECK(!b.c.checklist.find(kAgentMandateMaterial) && !b.c.checklist.find(kAgentIdMaterial));
    // Once accepted, the agent stays as recorded.
    Desk a = reach(S::accepted);
    BOOST_CHECK_THROW(a.apply(a.ev(A::set_agent, clerk(), "", {{"name", "李四"}, {"doc_number", "11010519491231002X"}})), IllegalTransition);
}

BOOST_AUTO_TEST_CASE(a_helper_is_assigned_changed_and_ended) {
    // Issue 21 part 2: 帮办 / 代办 / 一企一员 — one helper at a time, by clerk, chief or administrator.
    Desk d = reach(S::accepted);
    d.run(A::assist, clerk(), "", {{"mode", "agency"}, {"helper", "clerk-02"}, {"helper_name", "赵代办"}, {"note", "行动不便，全程代办"}});
    BOOST_REQUIRE(d.c.assistance);
    BOOST_CHECK(d.c.assistance->mode == AssistMode::agency);
    BOOST_CHECK_EQUAL(d.c.assistance->helper, "clerk-02");
    BOOST_CHECK(d.c.assistance->by == clerk());
    BOOST_CHECK(d.c.assistance->since == d.t);
    BOOST_CHECK(d.c.state == S::accepted);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::assist, clerk(), "", {{"mode", "agency"}, {"helper", "clerk-02"}, {"note", "行动不便，全程代办"}})),
                      InvalidData);  // the same again
    BOOST_CHECK_THROW(d.apply(d.ev(A::assist, clerk(), "", {{"mode", "lead"}, {"helper", "clerk-02"}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::assist, clerk(), "", {{"mode", "help"}})), InvalidData);  // who helps?
    BOOST_CHECK_THROW(d.apply(d.ev(A::assist, clerk(), "", {{"mode", "contact"}, {"helper", "clerk-03"}})), InvalidData);  // a person
    BOOST_CHECK_THROW(d.apply(d.ev(A::assist, platform(), "", {{"mode", "help"}, {"helper", "clerk-03"}})), NotAuthorised);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    Case back = case_from_json(to_json(d.c), "round trip");
    BOOST_REQUIRE(back.assistance);
    BOOST_CHECK_EQUAL(back.assistance->note, "行动不便，全程代办");
    BOOST_CHECK_EQUAL(to_json(back).dump(), to_json(d.c).dump());
    d.run(A::assist, admin(), "", {{"mode", "help"}, {"helper", "clerk-03"}});
    BOOST_CHECK_EQUAL(d.c.assistance->helper, "clerk-03");
    d.run(A::assist, chief_a(), "", {{"mode", "none"}});
    BOOST_CHECK(!d.c.assistance);
    BOOST_CHECK_THROW(d.apply(d.ev(A::assist, clerk(), "", {{"mode", "none"}})), InvalidData);
    BOOST_CHECK(parse_assist_mode("contact") == AssistMode::contact);
    BOOST_CHECK_EQUAL(zh_name(AssistMode::agency), "代办");

    // An enterprise may have its contact clerk (一企一员).
    Desk e;
    Applicant org;
    org.kind = ApplicantKind::organisation;
    org.name = "济南某某科技有限公司";
    org.doc_number = "91370102MA3C8XXX0X";
    e.c.applicant = org;
    e.run(A::assist, clerk(), "", {{"mode", "contact"}, {"helper", "clerk-02"}});
    BOOST_CHECK(e.c.assistance && e.c.assistance->mode == AssistMode::contact);
    // Once the result is out, nobody is assigned any more.
    Desk r = reach(S::result_issued);
    BOOST_CHECK_THROW(r.apply(r.ev(A::assist, clerk(), "", {{"mode", "help"}, {"helper", "clerk-02"}})), IllegalTransition);
}

BOOST_AUTO_TEST_CASE(commitments_credit_and_their_follow_up) {
    // Issue 21 part 7: 告知承诺 on the conditions, 信即办 on good credit, a check date each, and the
    // follow-up: kept, or breached and revoked (chief) or referred; a deferred material never delivered.
    const json good = {{"standing", "good"}, {"source", "信用中国（训练平台）"}, {"report_no", "XY1"}, {"checked_at", "2025-09-26T01:00:00Z"}};
    Desk d;
    const std::string before = d.snapshot();
    json poor = good;
    poor["standing"] = "poor";
    BOOST_CHECK_THROW(d.run(A::record_commitment, clerk(), "", {{"kind", "credit"}, {"text", "信用承诺"}, {"credit", poor}}), InvalidData);
    json stale = good;
    stale["checked_at"] = "2025-09-24T01:00:00Z";  // not today
    BOOST_CHECK_THROW(d.run(A::record_commitment, clerk(), "", {{"kind", "credit"}, {"text", "信用承诺"}, {"credit", stale}}), InvalidData);
    BOOST_CHECK_THROW(d.run(A::record_commitment, clerk(), "", {{"kind", "credit"}, {"text", "信用承诺"}}), InvalidData);
    BOOST_CHECK_THROW(d.run(A::record_commitment, clerk(), "", {{"text", "x"}, {"check_due", "2025-09-26"}}), InvalidData);  // not after today
    BOOST_CHECK_THROW(d.run(A::record_commitment, clerk(), "", {{"kind", "item"}, {"material_code", "premises"}, {"text", "x"}}), InvalidData);
    BOOST_CHECK_THROW(d.run(A::record_commitment, clerk(), "", {{"kind", "other"}, {"text", "x"}}), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);

    d.run(A::mark_material, clerk(), "", material("application", "original_received"));
    d.run(A::record_commitment, clerk(), "", {{"kind", "credit"}, {"text", "信用承诺"}, {"credit", good}, {"check_due", "2025-10-31"}});
    BOOST_REQUIRE(d.c.credit);
    BOOST_CHECK_EQUAL(d.c.credit->report_no, "XY1");
    BOOST_REQUIRE_EQUAL(d.c.commitments.size(), 1u);
    BOOST_CHECK(d.c.commitments[0].kind == CommitmentKind::credit);
    // The applicant's own required materials still to come are now 告知承诺; what was received stays,
    // the government's (an e-licence) and the optional photo are not touched.
    BOOST_CHECK(d.c.checklist.find("application")->status == MaterialStatus::original_received);
    BOOST_CHECK(d.c.checklist.find("premises")->status == MaterialStatus::commitment);
    BOOST_CHECK(d.c.checklist.find("officers")->status == MaterialStatus::commitment);
    BOOST_CHECK(d.c.checklist.find("id_card")->status == MaterialStatus::pending);
    BOOST_CHECK(d.c.checklist.find("photo")->status == MaterialStatus::pending);
    BOOST_CHECK_THROW(d.run(A::record_commitment, clerk(), "", {{"kind", "credit"}, {"text", "again"}, {"credit", good}}), InvalidData);
    d.run(A::record_commitment, clerk(), "", {{"text", "承诺符合条件"}, {"check_due", "2025-10-24"}});  // on the conditions
    BOOST_CHECK(d.c.commitments[1].kind == CommitmentKind::item);
    // The follow-up's next date: the earlier check.
    auto next = d.c.next_follow_up();
    BOOST_REQUIRE(next);
    BOOST_CHECK_EQUAL(format_date(*next->due), "2025-10-24");
    BOOST_CHECK_EQUAL(next->code, "commitment:2");
    const auto pending = d.c.pending_follow_ups();
    BOOST_REQUIRE_EQUAL(pending.size(), 2u);  // the earlier check first
    BOOST_CHECK_EQUAL(pending[0].commitment, 2);
    BOOST_CHECK_EQUAL(pending[1].commitment, 1);
    BOOST_CHECK(pending[1].kind == CommitmentKind::credit);
    BOOST_CHECK_EQUAL(to_json(case_from_json(to_json(d.c), "round trip")).dump(), d.snapshot());

    // Approved, then followed up.
    Desk a = reach(S::result_issued);
    BOOST_REQUIRE_EQUAL(a.c.commitments.size(), 1u);  // premises (prepare_materials)
    BOOST_CHECK_THROW(a.run(A::verify_follow_up, clerk(), "", {{"commitment", 1}, {"result", "breached"}, {"finding", "不符"}}),
                      InvalidData);  // a breach is acted on
    BOOST_CHECK_THROW(a.run(A::verify_follow_up, clerk(), "", {{"commitment", 2}, {"result", "fulfilled"}, {"finding", "x"}}), InvalidData);
    BOOST_CHECK_THROW(a.run(A::verify_follow_up, clerk(), "", {{"result", "fulfilled"}, {"finding", "x"}}), InvalidData);
    BOOST_CHECK_THROW(a.run(A::verify_follow_up, clerk(), "", {{"commitment", 1}, {"result", "breached"}, {"outcome", "revoked"}, {"finding", "不符"}}),
                      NotAuthorised);  // a clerk does not revoke
    BOOST_CHECK_THROW(a.run(A::verify_follow_up, platform(), "", {{"commitment", 1}, {"result", "fulfilled"}, {"finding", "属实"}, {"source", "regulator"}}),
                      InvalidData);  // the regulator is named
    BOOST_CHECK(!a.c.revocation && !a.c.commitments[0].finding);
    a.run(A::verify_follow_up, chief_a(), "", {{"commitment", 1}, {"result", "breached"}, {"outcome", "revoked"}, {"finding", "经营场所不实"}});
    BOOST_REQUIRE(a.c.commitments[0].finding);
    BOOST_CHECK(a.c.commitments[0].finding->outcome == BreachOutcome::revoked);
    BOOST_REQUIRE(a.c.revocation);
    BOOST_CHECK_EQUAL(a.c.revocation->reason, "经营场所不实");
    BOOST_CHECK(a.c.state == S::result_issued);
    BOOST_CHECK_THROW(a.run(A::verify_follow_up, chief_a(), "", {{"commitment", 1}, {"result", "fulfilled"}, {"finding", "x"}}), InvalidData);
    BOOST_CHECK(!a.c.next_follow_up());
    BOOST_CHECK_EQUAL(to_json(case_from_json(to_json(a.c), "round trip")).dump(), a.snapshot());

    // Not approved: nothing to revoke; the regulator's finding that a commitment was kept.
    Desk u = reach(S::under_review);
    BOOST_CHECK_THROW(u.run(A::verify_follow_up, chief_a(), "", {{"commitment", 1}, {"result", "breached"}, {"outcome", "revoked"}, {"finding", "x"}}),
                      InvalidData);
    u.run(A::verify_follow_up, platform(), "", {{"commitment", 1}, {"result", "fulfilled"}, {"finding", "现场核查属实"}, {"source", "regulator"},
                                                 {"regulator", "历下区市场监督管理局"}});
    BOOST_CHECK_EQUAL(u.c.commitments[0].finding->regulator, "历下区市场监督管理局");

    // 容缺 never delivered: breached and referred; the material is missing again.
    Desk m = reach(S::accepted, true);
    BOOST_REQUIRE(m.c.next_follow_up());
    BOOST_CHECK_EQUAL(m.c.next_follow_up()->code, "officers");
    BOOST_CHECK_THROW(m.run(A::verify_follow_up, clerk(), "", {{"material_code", "officers"}, {"result", "fulfilled"}, {"finding", "x"}}), InvalidData);
    BOOST_CHECK_THROW(m.run(A::verify_follow_up, clerk(), "", {{"material_code", "application"}, {"result", "breached"}, {"outcome", "referred"}, {"finding", "x"}}),
                      InvalidData);  // not deferred
    m.run(A::verify_follow_up, clerk(), "", {{"material_code", "officers"}, {"result", "breached"}, {"outcome", "referred"}, {"finding", "逾期未补交"}});
    BOOST_CHECK(m.c.checklist.find("officers")->status == MaterialStatus::missing);
    BOOST_REQUIRE(m.c.checklist.find("officers")->breach);
    BOOST_CHECK(m.c.checklist.find("officers")->breach->outcome == BreachOutcome::referred);
    BOOST_CHECK_EQUAL(to_json(case_from_json(to_json(m.c), "round trip")).dump(), m.snapshot());
    BOOST_CHECK_EQUAL(zh_name(BreachOutcome::revoked), "撤销审批决定");
}

BOOST_AUTO_TEST_CASE(a_clerk_sends_a_cross_region_case_to_the_other_region) {
    // Issue 19 (通办): the clerk escalates only with data.cross_region, and only an accepted case.
    const json cross = {{"to", "烟台市行政审批服务局"},
                        {"cross_region", {{"region_code", "370600"}, {"region", "烟台市"}, {"authority", "烟台市行政审批服务局"}}}};
    Desk d = reach(S::accepted);
    d.run(A::escalate, clerk(), "通办：由烟台市行政审批服务局办理", cross);
    BOOST_CHECK(d.c.state == S::escalated);
    BOOST_REQUIRE(d.c.cross_region);
    BOOST_CHECK_EQUAL(d.c.cross_region->region_code, "370600");
    BOOST_CHECK_EQUAL(d.c.cross_region->authority, "烟台市行政审批服务局");
    Case back = case_from_json(to_json(d.c), "round trip");
    BOOST_CHECK(back.cross_region == d.c.cross_region);
    // Decided by the other region through the platform only.
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, chief_a(), "同意")), NotAuthorised);
    d.run(A::approve, platform(), "经烟台市审查，准予");
    BOOST_CHECK(d.c.state == S::approved);

    Desk r = reach(S::under_review);
    BOOST_CHECK_THROW(r.apply(r.ev(A::escalate, chief_a(), "通办", cross)), InvalidData);  // once accepted, not from review
    Desk n = reach(S::accepted);
    json bad = cross;
    bad["cross_region"]["authority"] = "";
    BOOST_CHECK_THROW(n.apply(n.ev(A::escalate, clerk(), "通办", bad)), InvalidData);
}

BOOST_AUTO_TEST_CASE(archive_by_admin) {
    Desk d = reach(S::refused);
    d.run(A::archive, admin());
    BOOST_CHECK(d.c.state == S::archived);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifecycle_reasons_and_rating)

BOOST_AUTO_TEST_CASE(refuse_needs_a_reason) {
    Desk d = reach(S::received);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::refuse, clerk())), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::refuse, clerk(), "  \n\t")), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    d.run(A::refuse, clerk(), "申请事项不属于本机关职权范围", {{"legal_basis", "《行政许可法》第三十二条"}});
    BOOST_CHECK_EQUAL(d.c.refusal_reason, "申请事项不属于本机关职权范围");
    BOOST_CHECK_EQUAL(d.c.refusal_basis, "《行政许可法》第三十二条");
    BOOST_CHECK(!d.c.working_days_left(D(2025, 9, 29), cal()));

    Desk c = reach(S::correction_requested);
    BOOST_CHECK_THROW(c.apply(c.ev(A::refuse, clerk())), InvalidData);
    c.run(A::refuse, clerk(), "逾期未补正");
    BOOST_CHECK(c.c.state == S::refused);
}

BOOST_AUTO_TEST_CASE(deny_needs_a_reason) {
    Desk d = reach(S::under_review);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::deny, chief_a())), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::deny, chief_a(), " ")), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    d.run(A::deny, chief_a(), "不符合法定条件");
    BOOST_REQUIRE(d.c.decision);
    BOOST_CHECK(!d.c.decision->approved);
    BOOST_CHECK_EQUAL(d.c.decision->opinion, "不符合法定条件");
}

BOOST_AUTO_TEST_CASE(bad_rating_needs_a_reason) {
    for (int level : {4, 5}) {
        Desk d = reach(S::result_issued);
        const std::string before = d.snapshot();
        BOOST_CHECK_THROW(d.apply(d.ev(A::rate, clerk(), "", {{"level", level}, {"channel", "pc"}})), InvalidData);
        BOOST_CHECK_EQUAL(d.snapshot(), before);
        d.run(A::rate, platform(), "等待时间过长", {{"level", level}, {"channel", "mobile"}, {"comment", "排队一小时"}});
        BOOST_REQUIRE(d.c.rating);
        BOOST_CHECK(d.c.rating->bad());
        BOOST_CHECK_EQUAL(int(d.c.rating->level), level);
        BOOST_CHECK_EQUAL(d.c.rating->reason, "等待时间过长");
        BOOST_CHECK_EQUAL(d.c.rating->comment, "排队一小时");
        BOOST_CHECK_EQUAL(d.c.rating->channel, "mobile");
    }
    for (int level : {1, 2, 3}) {
        Desk d = reach(S::result_issued);
        d.run(A::rate, clerk(), "", {{"level", level}});
        BOOST_REQUIRE(d.c.rating);
        BOOST_CHECK(!d.c.rating->bad());
        BOOST_CHECK(d.c.state == S::rated);
    }
}

BOOST_AUTO_TEST_CASE(rating_level_out_of_range) {
    Desk d = reach(S::result_issued);
    const std::string before = d.snapshot();
    for (json level : {json(0), json(6), json(-1), json(3.0), json("3"), json(nullptr), json(4294967298ULL), json(-4294967294LL)}) {
        BOOST_TEST_CONTEXT("level " << level.dump()) {
            BOOST_CHECK_THROW(d.apply(d.ev(A::rate, clerk(), "理由", {{"level", level}})), InvalidData);
            BOOST_CHECK_EQUAL(d.snapshot(), before);
        }
    }
    BOOST_CHECK_THROW(d.apply(d.ev(A::rate, clerk(), "理由")), InvalidData);  // no level at all
    BOOST_CHECK_EQUAL(zh_name(RatingLevel::very_satisfied), "非常满意");
    BOOST_CHECK_EQUAL(zh_name(RatingLevel::very_dissatisfied), "非常不满意");
}

BOOST_AUTO_TEST_CASE(mail_handover_needs_the_address) {
    Desk d = reach(S::approved);
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.apply(d.ev(A::issue_result, clerk(), "", {{"mode", "mail"}, {"recipient", "张三"}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::issue_result, clerk(), "", {{"mode", "drone"}, {"recipient", "张三"}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::issue_result, clerk(), "", {{"mode", "pickup"}})), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    d.run(A::issue_result, clerk(), "",
          {{"mode", "mail"}, {"recipient", "张三"}, {"address", "济南市历下区某路1号"}, {"carrier", "EMS"}, {"tracking_no", "1100000000000"}});
    BOOST_REQUIRE(d.c.handover);
    BOOST_CHECK(d.c.handover->mode == ResultHandover::Mode::mail);
    BOOST_CHECK_EQUAL(d.c.handover->carrier, "EMS");
    BOOST_CHECK_EQUAL(d.c.handover->tracking_no, "1100000000000");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifecycle_history)

BOOST_AUTO_TEST_CASE(entries_record_actor_time_reason_and_states) {
    Desk d;
    std::vector<CaseEvent> events;
    auto run = [&](CaseEvent e) {
        events.push_back(e);
        d.apply(e);
    };
    run(d.ev(A::mark_material, clerk(), "", material("application", "original_received")));
    run(d.ev(A::mark_material, clerk(), "", material("id_card", "e_licence")));
    run(d.ev(A::record_commitment, clerk(), "", {{"material_code", "premises"}, {"text", "本人承诺"}}));
    run(d.ev(A::defer_material, clerk(), "", {{"material_code", "officers"}, {"promised_by", "2025-10-20"}}));
    run(d.ev(A::receive, clerk(), "窗口收件"));
    run(d.ev(A::accept, clerk()));
    run(d.ev(A::start_review, chief_a()));
    run(d.ev(A::approve, chief_b("chief-a"), "符合法定条件"));
    run(d.ev(A::fulfil_material, clerk(), "", material("officers", "scanned")));
    run(d.ev(A::issue_result, clerk(), "", {{"mode", "pickup"}, {"recipient", "张三"}}));
    run(d.ev(A::rate, platform(), "", {{"level", 2}, {"channel", "qr"}}));
    run(d.ev(A::archive, admin()));

    const std::vector<S> to{S::draft,        S::draft,    S::draft,    S::draft,         S::received, S::accepted,
                            S::under_review, S::approved, S::approved, S::result_issued, S::rated,    S::archived};
    BOOST_REQUIRE_EQUAL(d.c.history.size(), events.size());
    S prev = S::draft;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const HistoryEntry& h = d.c.history[i];
        BOOST_TEST_CONTEXT("entry " << i) {
            BOOST_CHECK_EQUAL(h.seq, i + 1);
            BOOST_CHECK(h.action == events[i].action);
            BOOST_CHECK(h.actor == events[i].actor);
            BOOST_CHECK(h.at == events[i].at);
            BOOST_CHECK_EQUAL(h.reason, events[i].reason);
            BOOST_CHECK_EQUAL(h.data.dump(), events[i].data.dump());
            BOOST_CHECK_EQUAL(to_code(h.from), to_code(prev));
            BOOST_CHECK_EQUAL(to_code(h.to), to_code(to[i]));
            prev = h.to;
        }
    }
    BOOST_CHECK_EQUAL(d.c.history[4].reason, "窗口收件");
    BOOST_CHECK_EQUAL(d.c.history[7].actor.acting_for, "chief-a");
    BOOST_REQUIRE(d.c.received_at);
    BOOST_CHECK(*d.c.received_at == events[4].at);
    BOOST_REQUIRE(d.c.accepted_at);
    BOOST_CHECK(*d.c.accepted_at == events[5].at);
    json hj = to_json(d.c.history[7]);
    BOOST_CHECK_EQUAL(hj["seq"], 8);
    BOOST_CHECK_EQUAL(hj["action"], "approve");
    BOOST_CHECK_EQUAL(hj["from"], "under_review");
    BOOST_CHECK_EQUAL(hj["to"], "approved");
    BOOST_CHECK_EQUAL(hj["reason"], "符合法定条件");
    BOOST_CHECK_EQUAL(hj["at"], format_instant(events[7].at));
}

BOOST_AUTO_TEST_CASE(events_older_than_the_last_are_refused) {
    Desk d = reach(S::received);
    Instant last = d.c.history.back().at;
    const std::string before = d.snapshot();
    CaseEvent e{A::accept, clerk(), last - milliseconds{1}, "", json::object()};
    BOOST_CHECK_THROW(d.apply(e), InvalidData);
    e.at = last - hours{24};
    BOOST_CHECK_THROW(d.apply(e), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    // The same instant is not older: accepted.
    e.at = last;
    d.apply(e);
    BOOST_CHECK(d.c.state == S::accepted);
    // Nor does a failed event move the clock: a later event still goes through.
    CaseEvent review{A::start_review, clerk(), last, "", json::object()};
    BOOST_CHECK_NO_THROW(d.apply(review));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifecycle_json)

Desk rich_case() {
    Desk d;
    d.c.receipt_no = "370102A-20250926-T07-00042-X";
    d.c.platform_case_no = "11370102MB28560000C20250926000001";
    d.c.bundle_code = "BUNDLE-QYKB";
    d.c.answers = {{"agent_present", false}, {"business_scope", "日用百货零售"}, {"capital_fen", 10000000}};
    d.c.applicant.agent_name = "李四";
    d.c.applicant.agent_doc_number = "110199198501011234";
    d.run(A::mark_material, clerk(), "", {{"material_code", "application"}, {"status", "scanned"}, {"blob_sha256", "9f86d081884c7d65"}});
    d.run(A::mark_material, clerk(), "", material("id_card", "e_licence"));
    d.run(A::record_commitment, clerk(), "", {{"material_code", "premises"}, {"text", "本人承诺经营场所合法有效"}});
    d.run(A::defer_material, clerk(), "", {{"material_code", "officers"}, {"promised_by", "2025-10-20"}});
    d.run(A::mark_material, clerk(), "", {{"material_code", "photo"}, {"status", "not_applicable"}, {"note", "无需照片"}});
    d.run(A::receive, clerk());
    d.run(A::accept, clerk());
    d.run(A::start_review, clerk());
    d.t = cst(D(2025, 9, 29), 10);
    d.run(A::start_special_procedure, chief_b("chief-a"), "组织专家评审", {{"kind", "expert_review"}});
    d.t = cst(D(2025, 10, 9), 16, 30) + milliseconds{123};
    d.run(A::end_special_procedure, chief_b("chief-a"), "", {{"result", "评审通过"}});
    d.run(A::approve, chief_b("chief-a"), "符合法定条件", {{"legal_basis", "《行政许可法》第三十八条"}});
    d.run(A::fulfil_material, clerk(), "", material("officers", "original_received"));
    d.run(A::issue_result, clerk(), "",
          {{"mode", "mail"}, {"recipient", "张三"}, {"address", "济南市历下区某路1号"}, {"carrier", "EMS"}, {"tracking_no", "1100000000000"}});
    d.run(A::rate, platform(), "等待时间过长", {{"level", 4}, {"channel", "mobile"}, {"comment", "排队"}});
    return d;
}

BOOST_AUTO_TEST_CASE(fees_are_paid_or_waived_before_the_result) {
    // Issue 21 part 5: the item's fees are copied onto the case; an approved case's result goes out
    // only when each is paid (clerk or chief) or waived (chief only, with the reason).
    ServiceItem item = test_item();
    item.spec.fees = {{"工本费", 1000, "证照工本费标准"}, {"登记费", 8000, "登记收费标准"}};
    Desk d(item);
    BOOST_REQUIRE_EQUAL(d.c.fees.size(), 2u);
    BOOST_CHECK_EQUAL(d.c.fees[0].item_code, item.code);
    BOOST_CHECK(d.c.fees[1].status == FeeStatus::due);
    BOOST_CHECK_EQUAL(d.c.fees_due_fen(), 9000);
    prepare_materials(d, false);
    d.run(A::receive, clerk());
    d.run(A::accept, clerk());
    d.run(A::start_review, clerk());
    d.run(A::approve, chief_a(), "符合法定条件");
    const json pickup = {{"mode", "pickup"}, {"recipient", "张三"}};
    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::issue_result, clerk(), "", pickup)), "工本费, 登记费"));

    auto pay = [](json extra) {
        json j = {{"fee", "工本费"}, {"outcome", "paid"}, {"amount_fen", 1000}, {"method", "cash"}};
        j.update(extra);
        return j;
    };
    const std::string before = d.snapshot();
    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::record_fee, clerk(), "", pay({{"fee", "押金"}}))), "not charged"));
    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::record_fee, clerk(), "", pay({{"amount_fen", 0}}))), "amount_fen"));
    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::record_fee, clerk(), "", pay({{"amount_fen", 500}}))), "reason"));
    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::record_fee, clerk(), "", pay({{"method", "wechat"}}))), "payment_no"));
    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::record_fee, clerk(), "", pay({{"method", "cheque"}}))), "'method'"));
    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::record_fee, clerk(), "", pay({{"outcome", "refunded"}}))), "'outcome'"));
    BOOST_CHECK(contains(message_of<NotAuthorised>(d, d.ev(A::record_fee, clerk(), "特殊困难", pay({{"outcome", "waived"}}))), "chief"));
    BOOST_CHECK_THROW(d.apply(d.ev(A::record_fee, admin(), "", pay(json::object()))), NotAuthorised);
    BOOST_CHECK_EQUAL(d.snapshot(), before);

    d.run(A::record_fee, clerk(), "", pay({{"method", "wechat"}, {"payment_no", "4200001234"}, {"bill_no", "鲁财非税0001"}}));
    const CaseFee& paid = d.c.fees[0];
    BOOST_CHECK(paid.status == FeeStatus::paid);
    BOOST_CHECK_EQUAL(paid.paid_fen, 1000);
    BOOST_CHECK(paid.method == PaymentMethod::wechat);
    BOOST_CHECK_EQUAL(paid.payment_no, "4200001234");
    BOOST_CHECK_EQUAL(paid.payer, "张三");  // the applicant, when nobody else is named
    BOOST_CHECK(paid.by == clerk());
    BOOST_CHECK(paid.at && *paid.at == d.t);
    BOOST_CHECK(d.c.state == S::approved);
    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::record_fee, clerk(), "", pay(json::object()))), "already paid"));
    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::issue_result, clerk(), "", pickup)), "登记费"));

    BOOST_CHECK(contains(message_of<InvalidData>(d, d.ev(A::record_fee, chief_a(), " ", {{"fee", "登记费"}, {"outcome", "waived"}})), "reason"));
    d.run(A::record_fee, chief_a(), "申请人为低保对象", {{"fee", "登记费"}, {"outcome", "waived"}, {"basis", "财税〔2016〕79号"}});
    BOOST_CHECK(d.c.fees[1].status == FeeStatus::waived);
    BOOST_CHECK_EQUAL(d.c.fees[1].reason, "申请人为低保对象");
    BOOST_CHECK_EQUAL(d.c.fees[1].waiver_basis, "财税〔2016〕79号");
    BOOST_CHECK(d.c.fees_due().empty());
    BOOST_CHECK_EQUAL(d.c.fees_due_fen(), 0);

    const json j = to_json(d.c);
    BOOST_CHECK_EQUAL(to_json(case_from_json(j, "case.json")).dump(), j.dump());
    BOOST_CHECK_EQUAL(j["fees"][0]["method"], "wechat");
    BOOST_CHECK_EQUAL(j["fees"][1]["status"], "waived");
    d.run(A::issue_result, clerk(), "", pickup);
    BOOST_CHECK(d.c.state == S::result_issued);
    BOOST_CHECK(parse_payment_method("unionpay") == PaymentMethod::unionpay);
    BOOST_CHECK(!parse_payment_method("UnionPay"));
    BOOST_CHECK_EQUAL(zh_name(PaymentMethod::alipay), "支付宝");
    BOOST_CHECK_EQUAL(zh_name(FeeStatus::waived), "减免");
}

BOOST_AUTO_TEST_CASE(a_denied_case_is_charged_nothing_and_goes_out) {
    // Fees are for what is granted: a denial's result goes out with fees still due, and none can be
    // recorded after it (the table: record_fee is not allowed in denied).
    ServiceItem item = test_item();
    item.spec.fees = {{"工本费", 1000, ""}};
    Desk d(item);
    prepare_materials(d, false);
    d.run(A::receive, clerk());
    d.run(A::accept, clerk());
    d.run(A::start_review, clerk());
    d.run(A::deny, chief_a(), "不符合法定条件");
    d.run(A::issue_result, clerk(), "", {{"mode", "pickup"}, {"recipient", "张三"}});
    BOOST_CHECK(d.c.state == S::result_issued);
    BOOST_CHECK_THROW(d.apply(d.ev(A::record_fee, clerk(), "", {{"fee", "工本费"}, {"outcome", "paid"}, {"amount_fen", 1000}, {"method", "cash"}})),
                      IllegalTransition);
}

BOOST_AUTO_TEST_CASE(yuan_are_formatted_and_parsed_exactly) {
    BOOST_CHECK_EQUAL(format_yuan(38000), "380.00");
    BOOST_CHECK_EQUAL(format_yuan(5), "0.05");
    BOOST_CHECK_EQUAL(format_yuan(-1234), "-12.34");
    BOOST_CHECK_EQUAL(format_yuan(std::numeric_limits<std::int64_t>::min()), "-92233720368547758.08");
    BOOST_CHECK(parse_yuan("380") == 38000);
    BOOST_CHECK(parse_yuan("1,234.5") == 123450);
    BOOST_CHECK(parse_yuan("¥12元") == 1200);
    BOOST_CHECK(parse_yuan(" 0.05 ") == 5);
    BOOST_CHECK(parse_yuan(".5") == 50);
    BOOST_CHECK(parse_yuan("-3") == -300);
    BOOST_CHECK_EQUAL(capital_yuan(38000), "叁佰捌拾元整");
    BOOST_CHECK_EQUAL(capital_yuan(1205), "壹拾贰元零伍分");
    BOOST_CHECK_EQUAL(capital_yuan(1250), "壹拾贰元伍角整");
    BOOST_CHECK_EQUAL(capital_yuan(101000), "壹仟零壹拾元整");
    BOOST_CHECK_EQUAL(capital_yuan(10000500), "壹拾万零伍元整");
    BOOST_CHECK_EQUAL(capital_yuan(10001000000LL), "壹亿零壹万元整");
    BOOST_CHECK_EQUAL(capital_yuan(10000000000LL), "壹亿元整");
    BOOST_CHECK_EQUAL(capital_yuan(50), "伍角整");
    BOOST_CHECK_EQUAL(capital_yuan(5), "伍分");
    BOOST_CHECK_EQUAL(capital_yuan(0), "零元整");
    BOOST_CHECK_EQUAL(capital_yuan(-800), "负捌元整");
    for (const char* bad : {"", ".", "1.234", "12a", "1e3", "--1", "99999999999999999999"})
        BOOST_TEST_CONTEXT(bad) { BOOST_CHECK(!parse_yuan(bad)); }
}

BOOST_AUTO_TEST_CASE(round_trip_of_a_full_case) {
    Desk d = rich_case();
    json j = to_json(d.c);
    Case back = case_from_json(j, "case.json");
    BOOST_CHECK_EQUAL(to_json(back).dump(), j.dump());
    BOOST_CHECK(back.id == d.c.id);
    BOOST_CHECK(back.state == S::rated);
    BOOST_CHECK_EQUAL(back.history.size(), d.c.history.size());
    BOOST_CHECK_EQUAL(S_(back.due_date), "2025-10-13");
    BOOST_REQUIRE_EQUAL(back.pauses.size(), 1u);
    BOOST_CHECK(back.pauses[0] == d.c.pauses[0]);
    BOOST_REQUIRE(back.decision);
    BOOST_CHECK(back.decision->by == chief_b("chief-a"));
    BOOST_REQUIRE(back.rating);
    BOOST_CHECK(back.rating->level == RatingLevel::dissatisfied);
    BOOST_REQUIRE(back.handover);
    BOOST_CHECK(back.handover->mode == ResultHandover::Mode::mail);
    BOOST_CHECK(back.history[9].at == d.c.history[9].at);  // milliseconds survive
    BOOST_CHECK_EQUAL(back.checklist.find("application")->blob_sha256, "9f86d081884c7d65");
    BOOST_CHECK_EQUAL(back.answers["business_scope"], "日用百货零售");
    // The restored case goes on like the original.
    CaseEvent archive{A::archive, clerk(), d.t + minutes{1}, "", json::object()};
    CaseMachine::apply(back, archive, cal());
    CaseMachine::apply(d.c, archive, cal());
    BOOST_CHECK_EQUAL(to_json(back).dump(), to_json(d.c).dump());
}

BOOST_AUTO_TEST_CASE(round_trip_in_every_state) {
    for (S s : kAllStates) {
        for (bool defer : {false, true}) {
            Desk d = reach(s, defer);
            json j = to_json(d.c);
            BOOST_TEST_CONTEXT(to_code(s) << (defer ? " (deferred)" : "")) {
                BOOST_CHECK_EQUAL(to_json(case_from_json(j, "case.json")).dump(), j.dump());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(wrong_types_name_the_json_pointer) {
    const json good = to_json(rich_case().c);
    BOOST_REQUIRE_NO_THROW(case_from_json(good, "case.json"));
    struct Bad {
        json::json_pointer at;
        json value;
        const char* pointer;
    };
    const std::vector<Bad> cases{
        {json::json_pointer("/id"), "not-a-uuid", "/id"},
        {json::json_pointer("/item_code"), 17, "/item_code"},
        {json::json_pointer("/legal_limit_days"), "20", "/legal_limit_days"},
        {json::json_pointer("/state"), "flying", "/state"},
        {json::json_pointer("/kind"), "urgent", "/kind"},
        {json::json_pointer("/answers"), json::array(), "/answers"},
        {json::json_pointer("/checklist/1/status"), 3, "/checklist/1/status"},
        {json::json_pointer("/checklist/0/necessity"), "maybe", "/checklist/0/necessity"},
        {json::json_pointer("/checklist/2/source"), "friend", "/checklist/2/source"},
        {json::json_pointer("/checklist/3/promised_by"), "2025-13-01", "/checklist/3/promised_by"},
        {json::json_pointer("/checklist/0/commitment_allowed"), "no", "/checklist/0/commitment_allowed"},
        {json::json_pointer("/commitments/0/at"), "yesterday", "/commitments/0/at"},
        {json::json_pointer("/special_procedures/0/kind"), "party", "/special_procedures/0/kind"},
        {json::json_pointer("/pauses/0/from"), 20250930, "/pauses/0/from"},
        {json::json_pointer("/accepted_at"), "2025-09-26 9am", "/accepted_at"},
        {json::json_pointer("/due_date"), true, "/due_date"},
        {json::json_pointer("/rating/level"), 9, "/rating/level"},
        {json::json_pointer("/handover/mode"), "drone", "/handover/mode"},
        {json::json_pointer("/history/2/at"), 12345, "/history/2/at"},
        {json::json_pointer("/history/0/action"), "teleport", "/history/0/action"},
        {json::json_pointer("/history/1/seq"), "two", "/history/1/seq"},
        {json::json_pointer("/applicant/name"), 42, "/applicant/name"},
        {json::json_pointer("/applicant/doc_type"), 112, "/applicant/doc_type"},
        {json::json_pointer("/history/0/actor/role"), "boss", "/history/0/actor/role"},
        {json::json_pointer("/decision/by/user_id"), false, "/decision/by/user_id"},
        {json::json_pointer("/history"), json::object(), "/history"},
    };
    for (const auto& c : cases) {
        json j = good;
        j[c.at] = c.value;
        std::string msg = "<no InvalidData>";
        try {
            case_from_json(j, "case.json");
        } catch (const InvalidData& e) {
            msg = e.what();
        }
        BOOST_TEST_CONTEXT(c.at.to_string() << " = " << c.value.dump() << " -> " << msg) {
            BOOST_CHECK(contains(msg, c.pointer));
            BOOST_CHECK(contains(msg, "case.json"));
        }
    }
    BOOST_CHECK_THROW(case_from_json(json::array(), "case.json"), InvalidData);
    json no_applicant = good;
    no_applicant.erase("applicant");
    BOOST_CHECK_THROW(case_from_json(no_applicant, "case.json"), InvalidData);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lifecycle_countersign)

// A case with several parts (a bundle's items) is approved only when every part is countersigned
// as approved, and denied only after a part was denied.
BOOST_AUTO_TEST_CASE(every_part_is_countersigned_before_the_decision) {
    Desk d = reach(S::under_review);
    d.c.countersign_items = {"370102-TEST-0001-001", "370102-TEST-0002-001"};
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, chief_a(), "符合法定条件")), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::deny, chief_a(), "不符合")), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::countersign, clerk(), "同意", {{"item", "370102-TEST-0001-001"}, {"approved", true}})), NotAuthorised);
    BOOST_CHECK_THROW(d.apply(d.ev(A::countersign, chief_a(), "同意", {{"item", "other"}, {"approved", true}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::countersign, chief_a(), "", {{"item", "370102-TEST-0001-001"}, {"approved", false}})), InvalidData);
    d.run(A::countersign, chief_a(), "同意", {{"item", "370102-TEST-0001-001"}, {"approved", true}});
    BOOST_CHECK_THROW(d.apply(d.ev(A::countersign, chief_a(), "同意", {{"item", "370102-TEST-0001-001"}, {"approved", true}})), InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::approve, chief_a(), "符合法定条件")), InvalidData);  // one part still open
    d.run(A::countersign, chief_a(), "同意", {{"item", "370102-TEST-0002-001"}, {"approved", true}});
    d.run(A::approve, chief_a(), "符合法定条件");
    BOOST_CHECK(d.c.state == S::approved);
    BOOST_CHECK_EQUAL(d.c.countersigns.size(), 2u);
    // The countersigns survive the JSON round trip.
    auto back = case_from_json(to_json(d.c), "test");
    BOOST_CHECK_EQUAL(back.countersigns.size(), 2u);
    BOOST_CHECK_EQUAL(back.countersign_items.size(), 2u);
    BOOST_CHECK_EQUAL(back.countersigns[1].item, "370102-TEST-0002-001");
}

BOOST_AUTO_TEST_SUITE_END()

// Limits in hours (issue 21): 企业开办 in 4 hours over the opening hours 09:00-12:00,13:30-17:00.
BOOST_AUTO_TEST_SUITE(lifecycle_hours)

namespace {

ServiceItem hours_item(int minutes = 240) {
    ServiceItem it = test_item(ItemKind::promised, 1);
    it.spec.promised_limit_minutes = minutes;
    return it;
}

const json kHours = {{"opening_hours", "13:30-17:00, 09:00-12:00"}};

/// An hours item received and accepted at `at` (China time) with the regular opening hours.
Desk accepted_hours_case(Instant at, json data = kHours) {
    Desk d(hours_item());
    prepare_materials(d, false);
    d.run(A::receive, clerk());
    d.t = at - minutes{1};
    d.run(A::accept, clerk(), "", std::move(data));
    return d;
}

std::string M(const std::optional<Instant>& t) { return t ? format_china_minute(*t) : std::string("<none>"); }

}  // namespace

BOOST_AUTO_TEST_CASE(acceptance_records_the_due_instant) {
    // Fri 26 Sep 2025 16:00: 1 hour on Friday; Sun 28 Sep is worked (国庆 调休): 09:00 + 3 hours.
    Desk d = accepted_hours_case(cst(D(2025, 9, 26), 16));
    BOOST_CHECK_EQUAL(d.c.promised_limit_minutes, 240);
    BOOST_CHECK_EQUAL(d.c.opening_hours, "09:00-12:00,13:30-17:00");
    BOOST_CHECK_EQUAL(M(d.c.due_at), "2025-09-28 12:00");
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-09-28");  // the limit in days (1) is kept beside it
    BOOST_CHECK(!d.c.promised_provisional);

    // At 10:00 on a Monday: across lunch, 15:30 the same day.
    Desk m = accepted_hours_case(cst(D(2025, 10, 13), 10));
    BOOST_CHECK_EQUAL(M(m.c.due_at), "2025-10-13 15:30");
    // Accepted during the holiday (Sat 4 Oct): counted from Thu 9 Oct's opening.
    Desk h = accepted_hours_case(cst(D(2025, 10, 4), 10));
    BOOST_CHECK_EQUAL(M(h.c.due_at), "2025-10-09 14:30");
    BOOST_CHECK_EQUAL(S_(h.c.due_date), "2025-10-10");
}

BOOST_AUTO_TEST_CASE(without_opening_hours_or_without_a_limit_in_hours_there_is_no_instant) {
    Desk d = accepted_hours_case(cst(D(2025, 10, 13), 10), json::object());
    BOOST_CHECK(!d.c.due_at);
    BOOST_CHECK(d.c.opening_hours.empty());
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-14");

    Desk plain;  // a 5-day item: opening hours in the event are ignored
    prepare_materials(plain, false);
    plain.run(A::receive, clerk());
    plain.run(A::accept, clerk(), "", kHours);
    BOOST_CHECK(!plain.c.due_at);
    BOOST_CHECK(plain.c.opening_hours.empty());
    BOOST_CHECK(!to_json(plain.c).contains("due_at"));
}

BOOST_AUTO_TEST_CASE(bad_opening_hours_are_refused_and_change_nothing) {
    Desk d(hours_item());
    prepare_materials(d, false);
    d.run(A::receive, clerk());
    const std::string before = d.snapshot();
    BOOST_CHECK_THROW(d.run(A::accept, clerk(), "", {{"opening_hours", "12:00-09:00"}}), InvalidData);
    BOOST_CHECK_THROW(d.run(A::accept, clerk(), "", {{"opening_hours", 9}}), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
}

BOOST_AUTO_TEST_CASE(a_stopped_clock_falls_back_to_the_limit_in_days) {
    Desk d = accepted_hours_case(cst(D(2025, 10, 13), 10));
    d.run(A::start_review, clerk());
    BOOST_CHECK(d.c.due_at);
    d.run(A::request_correction, chief_a(), "须补充检测报告", correction("officers", "defective"));
    BOOST_CHECK(!d.c.due_at);
    d.t = cst(D(2025, 10, 14), 9);
    d.run(A::resubmit, clerk());
    BOOST_CHECK(!d.c.due_at);
    // Accepted Mon 13 + 1 day, 14 Oct paused from the request (13 Oct, counted) to the resubmission: Wed 15.
    BOOST_CHECK_EQUAL(S_(d.c.due_date), "2025-10-15");
    d.run(A::recompute_due, clerk());
    BOOST_CHECK(!d.c.due_at);

    Desk p = accepted_hours_case(cst(D(2025, 10, 13), 10));
    p.run(A::start_special_procedure, chief_a(), "现场核查", {{"kind", "inspection"}});
    BOOST_CHECK(!p.c.due_at);
    p.run(A::end_special_procedure, chief_a());
    BOOST_CHECK(!p.c.due_at);
}

BOOST_AUTO_TEST_CASE(recompute_due_keeps_the_instant) {
    Desk d = accepted_hours_case(cst(D(2025, 10, 13), 10));
    d.run(A::recompute_due, clerk());
    BOOST_CHECK_EQUAL(M(d.c.due_at), "2025-10-13 15:30");
}

BOOST_AUTO_TEST_CASE(json_round_trip_and_old_cases) {
    Desk d = accepted_hours_case(cst(D(2025, 10, 13), 10));
    json j = to_json(d.c);
    BOOST_CHECK_EQUAL(j["due_at"], "2025-10-13T07:30:00.000Z");
    BOOST_CHECK_EQUAL(j["opening_hours"], "09:00-12:00,13:30-17:00");
    BOOST_CHECK_EQUAL(j["promised_limit_minutes"], 240);
    Case back = case_from_json(j, "test");
    BOOST_CHECK_EQUAL(to_json(back).dump(), j.dump());
    // A case written before limits in hours loads without them.
    j.erase("due_at");
    j.erase("opening_hours");
    j.erase("promised_limit_minutes");
    Case old = case_from_json(j, "old");
    BOOST_CHECK(!old.due_at);
    BOOST_CHECK_EQUAL(old.promised_limit_minutes, 0);
    // A damaged value names its pointer.
    j["opening_hours"] = "noon";
    BOOST_CHECK_THROW(case_from_json(j, "bad"), InvalidData);
}

BOOST_AUTO_TEST_SUITE_END()


BOOST_AUTO_TEST_SUITE(online_applications)

/// A draft of an online application: the 任职文件 (an original is asked for) uploaded online.
Desk online_desk() {
    Desk d;
    d.c.channel = Channel::mobile;
    d.c.application_id = "app-01TEST";
    d.run(A::mark_material, clerk(), "",
          {{"material_code", "officers"}, {"status", "scanned"}, {"blob_sha256", std::string(64, 'b')}, {"via", "online"}});
    return d;
}

BOOST_AUTO_TEST_CASE(receiving_sets_the_acceptance_decision_due_in_five_working_days) {
    // 行政许可法 art. 32. Received Fri 26 Sep 2025: Sun 28 Sep is a working day (调休), 1–8 Oct the
    // National Day holiday — the five working days are 28, 29, 30 Sep, 9 and 10 Oct.
    Desk d = online_desk();
    prepare_materials(d, false);
    d.run(A::receive, clerk());
    BOOST_REQUIRE(d.c.acceptance_due);
    BOOST_CHECK_EQUAL(format_date(*d.c.acceptance_due), "2025-10-10");
    // Answered with the one-time notice: not due any more; the resubmission starts it again.
    d.run(A::request_correction, clerk(), "", correction("application", "defective"));
    BOOST_CHECK(!d.c.acceptance_due);
    d.t = cst(D(2025, 10, 11), 9);  // Sat 11 Oct 2025 is a working day (调休)
    d.run(A::mark_material, clerk(), "", material("application", "original_received"));
    d.run(A::resubmit, clerk());
    BOOST_REQUIRE(d.c.acceptance_due);
    BOOST_CHECK_EQUAL(format_date(*d.c.acceptance_due), "2025-10-17");  // 13–17 Oct
    Case back = case_from_json(to_json(d.c), "test");
    BOOST_CHECK(back.acceptance_due == d.c.acceptance_due);
    BOOST_CHECK(back.channel == Channel::mobile);
    BOOST_CHECK_EQUAL(back.application_id, "app-01TEST");
    d.run(A::accept, clerk());
    BOOST_CHECK(!d.c.acceptance_due);
}

BOOST_AUTO_TEST_CASE(materials_by_post_and_online_are_logged_as_such) {
    Desk d = online_desk();
    const std::string before = d.snapshot();
    // By post: the tracking number is required; carrier and tracking only by post.
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", {{"material_code", "application"}, {"status", "original_received"}, {"via", "post"}})),
                      InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", {{"material_code", "application"}, {"status", "original_received"},
                                                                    {"tracking_no", "EMS1"}})),
                      InvalidData);
    // Online: only as scanned with the upload's blob.
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", {{"material_code", "application"}, {"status", "original_received"}, {"via", "online"}})),
                      InvalidData);
    BOOST_CHECK_THROW(d.apply(d.ev(A::mark_material, clerk(), "", {{"material_code", "application"}, {"status", "scanned"}, {"via", "train"}})),
                      InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), before);
    d.run(A::mark_material, clerk(), "",
          {{"material_code", "application"}, {"status", "original_received"}, {"via", "post"}, {"carrier", "EMS"}, {"tracking_no", "1190000000001"}});
    const ChecklistEntry* app = d.c.checklist.find("application");
    BOOST_CHECK(app->via == MaterialVia::post);
    BOOST_CHECK_EQUAL(app->tracking_no, "1190000000001");
    Case back = case_from_json(to_json(d.c), "test");
    BOOST_CHECK(back.checklist.find("application")->via == MaterialVia::post);
    BOOST_CHECK_EQUAL(back.checklist.find("application")->carrier, "EMS");
    BOOST_CHECK(back.checklist.find("officers")->via == MaterialVia::online);
    // The 任职文件 asks for an original: it waits for 原件核验.
    BOOST_REQUIRE_EQUAL(d.c.originals_to_verify().size(), 1u);
    BOOST_CHECK_EQUAL(d.c.originals_to_verify()[0]->material_code, "officers");
}

BOOST_AUTO_TEST_CASE(originals_are_compared_with_the_uploads) {
    Desk d = online_desk();
    d.run(A::mark_material, clerk(), "", material("application", "original_received"));
    d.run(A::mark_material, clerk(), "", material("id_card", "e_licence"));
    d.run(A::record_commitment, clerk(), "", {{"material_code", "premises"}, {"text", "本人承诺经营场所合法有效"}});
    d.run(A::receive, clerk());
    const std::string received = d.snapshot();
    auto check = [](const std::string& code, bool match, const std::string& note = {}) {
        json m = {{"material_code", code}, {"match", match}};
        if (!note.empty()) m["note"] = note;
        return json{{"materials", json::array({m})}};
    };
    BOOST_CHECK_THROW(d.apply(d.ev(A::verify_originals, clerk(), "", check("application", true))), InvalidData);  // not uploaded
    BOOST_CHECK_THROW(d.apply(d.ev(A::verify_originals, clerk(), "", check("officers", false))), InvalidData);       // no note
    BOOST_CHECK_THROW(d.apply(d.ev(A::verify_originals, clerk(), "", {{"materials", json::array()}})), InvalidData);
    BOOST_CHECK_EQUAL(d.snapshot(), received);
    // Before acceptance a mismatch makes the material defective: acceptance waits for it.
    d.run(A::verify_originals, clerk(), "", check("officers", false, "任职文件与上传件不一致"));
    BOOST_CHECK(d.c.checklist.find("officers")->status == MaterialStatus::defective);
    BOOST_CHECK_THROW(d.apply(d.ev(A::accept, clerk())), InvalidData);
    // Compared again and matching (the right original brought): the upload stands again.
    d.run(A::verify_originals, clerk(), "", check("officers", true));
    BOOST_CHECK(d.c.checklist.find("officers")->status == MaterialStatus::scanned);
    BOOST_CHECK(d.c.checklist.find("officers")->note.empty());
    d.run(A::verify_originals, clerk(), "", check("officers", false, "任职文件与上传件不一致"));
    BOOST_CHECK(d.c.checklist.find("officers")->status == MaterialStatus::defective);
    // The right file uploaded again, its original matches: accepted, decided, handed out.
    d.run(A::mark_material, clerk(), "",
          {{"material_code", "officers"}, {"status", "scanned"}, {"blob_sha256", std::string(64, 'c')}, {"via", "online"}});
    BOOST_CHECK(!d.c.checklist.find("officers")->original_check);  // a new upload: compared again
    d.run(A::verify_originals, clerk(), "", check("officers", true));
    BOOST_CHECK(d.c.originals_to_verify().empty());
    d.run(A::accept, clerk());
    d.run(A::start_review, clerk());
    d.run(A::approve, chief_a(), "符合法定条件");
    // After acceptance a mismatch holds the result back until a later comparison matches.
    d.run(A::verify_originals, chief_a(), "", check("officers", false, "原件有涂改"));
    BOOST_CHECK(d.c.checklist.find("officers")->status == MaterialStatus::scanned);  // recorded, not reopened
    BOOST_CHECK_EQUAL(d.c.originals_mismatched().size(), 1u);
    BOOST_CHECK_THROW(d.apply(d.ev(A::issue_result, clerk(), "", {{"mode", "pickup"}, {"recipient", "张三"}})), InvalidData);
    d.run(A::verify_originals, clerk(), "", check("officers", true));
    d.run(A::issue_result, clerk(), "", {{"mode", "pickup"}, {"recipient", "张三"}});
    BOOST_CHECK(d.c.state == S::result_issued);
    Case back = case_from_json(to_json(d.c), "test");
    BOOST_REQUIRE(back.checklist.find("officers")->original_check);
    BOOST_CHECK(back.checklist.find("officers")->original_check->match);
    BOOST_CHECK(back.checklist.find("officers")->original_check->by == clerk());
}

BOOST_AUTO_TEST_CASE(urging_is_recorded_with_whom_and_why) {
    Desk d = reach(S::under_review);
    BOOST_CHECK_THROW(d.apply(d.ev(A::urge, clerk(), "", {{"to", "后台审批"}})), InvalidData);  // no reason
    BOOST_CHECK_THROW(d.apply(d.ev(A::urge, clerk(), "已超时")), InvalidData);                   // to whom
    BOOST_CHECK_THROW(d.apply(d.ev(A::urge, platform(), "已超时", {{"to", "后台审批"}})), NotAuthorised);
    d.run(A::urge, clerk(), "已超过承诺办结时限", {{"to", "区市场监督管理局"}});
    d.run(A::urge, admin(), "再次催办", {{"to", "区市场监督管理局"}});
    BOOST_REQUIRE_EQUAL(d.c.urges.size(), 2u);
    BOOST_CHECK_EQUAL(d.c.urges[0].to, "区市场监督管理局");
    BOOST_CHECK(d.c.urges[1].by == admin());
    BOOST_CHECK(d.c.state == S::under_review);
    BOOST_CHECK(!d.c.remote_call);  // the window's urging answers nothing
    Case back = case_from_json(to_json(d.c), "test");
    BOOST_REQUIRE_EQUAL(back.urges.size(), 2u);
    BOOST_CHECK_EQUAL(back.urges[1].reason, "再次催办");
}

BOOST_AUTO_TEST_SUITE_END()
