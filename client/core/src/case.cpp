#include "ow/core/case.h"

#include "ow/core/i18n.h"
#include "ow/core/json_reader.h"
#include "ow/core/validators.h"
#include "enum_table.h"

#include <algorithm>

namespace ow::core {
namespace {

using detail::EnumTable;
using nlohmann::json;

constexpr EnumTable<CaseState, 12> kStates{{
    {CaseState::draft, {"draft", "草稿"}},
    {CaseState::received, {"received", "已收件"}},
    {CaseState::accepted, {"accepted", "已受理"}},
    {CaseState::refused, {"refused", "不予受理"}},
    {CaseState::correction_requested, {"correction_requested", "待补正"}},
    {CaseState::under_review, {"under_review", "审查中"}},
    {CaseState::escalated, {"escalated", "已上报"}},
    {CaseState::approved, {"approved", "准予许可"}},
    {CaseState::denied, {"denied", "不予许可"}},
    {CaseState::result_issued, {"result_issued", "已出件"}},
    {CaseState::rated, {"rated", "已评价"}},
    {CaseState::archived, {"archived", "已归档"}},
}};

constexpr EnumTable<CaseAction, 29> kActions{{
    {CaseAction::receive, {"receive", "收件"}},
    {CaseAction::accept, {"accept", "受理"}},
    {CaseAction::refuse, {"refuse", "不予受理"}},
    {CaseAction::request_correction, {"request_correction", "一次性告知补正"}},
    {CaseAction::resubmit, {"resubmit", "补正后重新提交"}},
    {CaseAction::start_review, {"start_review", "开始审查"}},
    {CaseAction::escalate, {"escalate", "上报"}},
    {CaseAction::approve, {"approve", "准予"}},
    {CaseAction::deny, {"deny", "不予"}},
    {CaseAction::issue_result, {"issue_result", "出件"}},
    {CaseAction::rate, {"rate", "评价"}},
    {CaseAction::archive, {"archive", "归档"}},
    {CaseAction::mark_material, {"mark_material", "核验材料"}},
    {CaseAction::defer_material, {"defer_material", "容缺受理"}},
    {CaseAction::fulfil_material, {"fulfil_material", "补交材料"}},
    {CaseAction::record_commitment, {"record_commitment", "告知承诺"}},
    {CaseAction::start_special_procedure, {"start_special_procedure", "特别程序开始"}},
    {CaseAction::end_special_procedure, {"end_special_procedure", "特别程序结束"}},
    {CaseAction::recompute_due, {"recompute_due", "重新计算承诺办结日期"}},
    {CaseAction::set_applicant, {"set_applicant", "登记申请人"}},
    {CaseAction::answer_form, {"answer_form", "填写申请表"}},
    {CaseAction::countersign, {"countersign", "会签"}},
    {CaseAction::flag_green, {"flag_green", "绿色通道标记"}},
    {CaseAction::record_fee, {"record_fee", "收费"}},
    {CaseAction::set_agent, {"set_agent", "登记代理人"}},
    {CaseAction::assist, {"assist", "帮办代办"}},
    {CaseAction::verify_follow_up, {"verify_follow_up", "核查承诺"}},
    {CaseAction::verify_originals, {"verify_originals", "原件核验"}},
    {CaseAction::urge, {"urge", "催办"}},
}};

constexpr EnumTable<FollowUpResult, 2> kFollowUpResults{{
    {FollowUpResult::fulfilled, {"fulfilled", "已履行"}},
    {FollowUpResult::breached, {"breached", "未履行"}},
}};

constexpr EnumTable<BreachOutcome, 3> kBreachOutcomes{{
    {BreachOutcome::none, {"none", "无"}},
    {BreachOutcome::revoked, {"revoked", "撤销审批决定"}},
    {BreachOutcome::referred, {"referred", "移送处理"}},
}};

constexpr EnumTable<CommitmentKind, 3> kCommitmentKinds{{
    {CommitmentKind::material, {"material", "告知承诺（材料）"}},
    {CommitmentKind::item, {"item", "告知承诺（条件）"}},
    {CommitmentKind::credit, {"credit", "信用承诺（信即办）"}},
}};

constexpr EnumTable<AssistMode, 3> kAssistModes{{
    {AssistMode::help, {"help", "帮办"}},
    {AssistMode::agency, {"agency", "代办"}},
    {AssistMode::contact, {"contact", "企业联络员"}},
}};

constexpr EnumTable<MaterialVia, 3> kMaterialVia{{
    {MaterialVia::window, {"window", "窗口"}},
    {MaterialVia::online, {"online", "网上提交"}},
    {MaterialVia::post, {"post", "邮寄"}},
}};

constexpr EnumTable<Channel, 3> kChannels{{
    {Channel::window, {"window", "窗口"}},
    {Channel::pc, {"pc", "网上（电脑端）"}},
    {Channel::mobile, {"mobile", "网上（移动端）"}},
}};

constexpr EnumTable<FeeStatus, 3> kFeeStatus{{
    {FeeStatus::due, {"due", "待缴"}},
    {FeeStatus::paid, {"paid", "已缴"}},
    {FeeStatus::waived, {"waived", "减免"}},
}};

constexpr EnumTable<PaymentMethod, 8> kPaymentMethods{{
    {PaymentMethod::cash, {"cash", "现金"}},
    {PaymentMethod::bank_card, {"bank_card", "银行卡"}},
    {PaymentMethod::wechat, {"wechat", "微信支付"}},
    {PaymentMethod::alipay, {"alipay", "支付宝"}},
    {PaymentMethod::unionpay, {"unionpay", "云闪付"}},
    {PaymentMethod::transfer, {"transfer", "银行转账"}},
    {PaymentMethod::online, {"online", "网上缴费"}},
    {PaymentMethod::other, {"other", "其他"}},
}};

constexpr EnumTable<GreenFlag, 5> kGreenFlags{{
    {GreenFlag::elderly, {"elderly", "老年人"}},
    {GreenFlag::disabled, {"disabled", "残疾人"}},
    {GreenFlag::key_project, {"key_project", "重点项目"}},
    {GreenFlag::ill, {"ill", "伤病体弱"}},
    {GreenFlag::pregnant, {"pregnant", "孕妇"}},
}};

constexpr EnumTable<Role, 4> kRoles{{{Role::clerk, {"clerk", "窗口人员"}},
                                     {Role::chief, {"chief", "首席代表"}},
                                     {Role::admin, {"admin", "管理员"}},
                                     {Role::platform, {"platform", "平台"}}}};
constexpr EnumTable<Post, 3> kPosts{{{Post::none, {"none", ""}}, {Post::A, {"A", "A岗"}}, {Post::B, {"B", "B岗"}}}};

constexpr EnumTable<MaterialStatus, 10> kMaterialStatus{{
    {MaterialStatus::pending, {"pending", "待核验"}},
    {MaterialStatus::original_received, {"original_received", "原件已收"}},
    {MaterialStatus::copy_received, {"copy_received", "复印件已收"}},
    {MaterialStatus::scanned, {"scanned", "已扫描"}},
    {MaterialStatus::e_licence, {"e_licence", "电子证照"}},
    {MaterialStatus::deferred, {"deferred", "容缺待补交"}},
    {MaterialStatus::commitment, {"commitment", "告知承诺"}},
    {MaterialStatus::not_applicable, {"not_applicable", "不适用"}},
    {MaterialStatus::missing, {"missing", "缺少"}},
    {MaterialStatus::defective, {"defective", "不符合要求"}},
}};

constexpr EnumTable<SpecialProcedureKind, 6> kProcedures{{
    {SpecialProcedureKind::extension, {"extension", "延长审批"}},
    {SpecialProcedureKind::hearing, {"hearing", "听证"}},
    {SpecialProcedureKind::inspection, {"inspection", "检验检测"}},
    {SpecialProcedureKind::appraisal, {"appraisal", "鉴定"}},
    {SpecialProcedureKind::expert_review, {"expert_review", "专家评审"}},
    {SpecialProcedureKind::other, {"other", "其他"}},
}};

constexpr EnumTable<ApplicantKind, 2> kApplicantKinds{{{ApplicantKind::person, {"person", "自然人"}},
                                                       {ApplicantKind::organisation, {"organisation", "法人"}}}};
constexpr EnumTable<ResultHandover::Mode, 2> kHandover{{{ResultHandover::Mode::pickup, {"pickup", "窗口领取"}},
                                                        {ResultHandover::Mode::mail, {"mail", "邮寄"}}}};

using S = CaseState;
using A = CaseAction;

struct Rule {
    A action;
    std::vector<S> from;
    S to;  // for non-state events: ignored (the state stays)
    bool changes_state;
    std::vector<Role> roles;
};

const std::vector<Rule>& rules() {
    static const std::vector<Rule> r = {
        {A::receive, {S::draft}, S::received, true, {Role::clerk}},
        {A::accept, {S::received}, S::accepted, true, {Role::clerk}},
        {A::refuse, {S::received, S::correction_requested}, S::refused, true, {Role::clerk}},
        {A::request_correction, {S::received, S::under_review}, S::correction_requested, true, {Role::clerk, Role::chief, Role::platform}},
        {A::resubmit, {S::correction_requested}, S::received /* or under_review */, true, {Role::clerk}},
        {A::start_review, {S::accepted}, S::under_review, true, {Role::clerk, Role::chief, Role::platform}},
        // A clerk escalates only to send a 通办 case to the other region (data.cross_region; check_actor).
        {A::escalate, {S::accepted, S::under_review}, S::escalated, true, {Role::clerk, Role::chief, Role::platform}},
        // A window clerk decides only an immediate item the department authorised the window to
        // decide (马上办, data.authority "window"; check_actor; the matrix: ow/core/authorisation.h).
        {A::approve, {S::under_review, S::escalated}, S::approved, true, {Role::clerk, Role::chief, Role::platform}},
        {A::deny, {S::under_review, S::escalated}, S::denied, true, {Role::clerk, Role::chief, Role::platform}},
        {A::issue_result, {S::approved, S::denied}, S::result_issued, true, {Role::clerk}},
        {A::rate, {S::result_issued}, S::rated, true, {Role::clerk, Role::platform}},
        {A::archive, {S::result_issued, S::rated, S::refused}, S::archived, true, {Role::clerk, Role::admin, Role::platform}},
        {A::mark_material, {S::draft, S::received, S::correction_requested}, S::draft, false, {Role::clerk}},
        {A::defer_material, {S::draft, S::received, S::correction_requested}, S::draft, false, {Role::clerk}},
        {A::fulfil_material,
         {S::received, S::correction_requested, S::accepted, S::under_review, S::escalated, S::approved, S::denied},
         S::draft, false, {Role::clerk}},
        {A::record_commitment, {S::draft, S::received, S::correction_requested}, S::draft, false, {Role::clerk}},
        {A::start_special_procedure, {S::accepted, S::under_review, S::escalated}, S::draft, false, {Role::chief, Role::platform}},
        {A::end_special_procedure, {S::accepted, S::under_review, S::escalated}, S::draft, false, {Role::chief, Role::platform}},
        {A::recompute_due, {S::accepted, S::under_review, S::escalated}, S::draft, false,
         {Role::clerk, Role::chief, Role::admin, Role::platform}},
        {A::set_applicant, {S::draft, S::received, S::correction_requested}, S::draft, false, {Role::clerk}},
        {A::answer_form, {S::draft, S::received, S::correction_requested}, S::draft, false, {Role::clerk}},
        {A::countersign, {S::under_review}, S::draft, false, {Role::chief, Role::platform}},
        {A::flag_green,
         {S::draft, S::received, S::accepted, S::refused, S::correction_requested, S::under_review, S::escalated, S::approved,
          S::denied, S::result_issued, S::rated},
         S::draft, false, {Role::clerk, Role::chief}},
        // Fees are collected from the application on, until the result is handed out (a waiver:
        // chief representatives only, check_actor). Not after a denial or a refusal: nothing is charged.
        {A::record_fee, {S::received, S::correction_requested, S::accepted, S::under_review, S::escalated, S::approved},
         S::draft, false, {Role::clerk, Role::chief, Role::platform}},
        // The agent is named at intake, with the applicant.
        {A::set_agent, {S::draft, S::received, S::correction_requested}, S::draft, false, {Role::clerk}},
        // A helper may be assigned (or the help end) while the case is open, until the result is out.
        {A::assist,
         {S::draft, S::received, S::accepted, S::correction_requested, S::under_review, S::escalated, S::approved, S::denied},
         S::draft, false, {Role::clerk, Role::chief, Role::admin}},
        // 事中事后核查: from acceptance on, after the result too (the regulator's check comes
        // weeks later), until the case is archived (final); revoking an approval: a chief
        // representative or the platform.
        {A::verify_follow_up,
         {S::accepted, S::under_review, S::escalated, S::approved, S::denied, S::result_issued, S::rated},
         S::draft, false, {Role::clerk, Role::chief, Role::platform}},
        // 原件核验: when the applicant of an online application comes — before acceptance, or later,
        // at the latest when the result is handed out.
        {A::verify_originals,
         {S::received, S::correction_requested, S::accepted, S::under_review, S::escalated, S::approved},
         S::draft, false, {Role::clerk, Role::chief}},
        // 催办: the window urges whoever holds an accepted case that is late (the workflow checks it is).
        {A::urge, {S::accepted, S::under_review, S::escalated}, S::draft, false, {Role::clerk, Role::chief, Role::admin}},
    };
    return r;
}

const Rule& rule_for(A action) {
    for (const auto& r : rules())
        if (r.action == action) return r;
    throw InvalidData("unknown case action");
}

[[noreturn]] void bad_event(CaseAction a, const std::string& what) {
    throw InvalidData(std::string(to_code(a)) + ": " + what);
}

std::string data_str(const CaseEvent& e, const char* key, bool required) {
    auto it = e.data.find(key);
    if (it == e.data.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
        if (required) bad_event(e.action, std::string("'") + key + "' is required");
        return {};
    }
    if (!it->is_string()) bad_event(e.action, std::string("'") + key + "' must be a string");
    if (it->get_ref<const std::string&>().size() > JsonReader::kMaxString) bad_event(e.action, std::string("'") + key + "' is too long");
    return it->get<std::string>();
}

void require_reason(const CaseEvent& e, const char* what) {
    if (std::all_of(e.reason.begin(), e.reason.end(), [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n'; }))
        bad_event(e.action, what);
}

ChecklistEntry& entry_for(Case& c, const CaseEvent& e) {
    std::string code = data_str(e, "material_code", true);
    ChecklistEntry* entry = c.checklist.find(code);
    if (!entry) bad_event(e.action, "no material '" + code + "' on this case's checklist");
    return *entry;
}

/// mark_material / fulfil_material: how the material came (data.via: window, online, post; post
/// with data.tracking_no and data.carrier; online with the upload's blob_sha256).
void read_via(ChecklistEntry& entry, const CaseEvent& e) {
    const std::string via = data_str(e, "via", false);
    auto v = via.empty() ? std::optional<MaterialVia>(MaterialVia::window) : parse_material_via(via);
    if (!v) bad_event(e.action, "'via' is window, online or post");
    std::string carrier = data_str(e, "carrier", false), tracking = data_str(e, "tracking_no", false);
    if (*v == MaterialVia::post) {
        if (tracking.empty()) bad_event(e.action, "a material received by post is logged with the tracking number ('tracking_no')");
        if (tracking.size() > 40 || carrier.size() > 100) bad_event(e.action, "'tracking_no' has at most 40 bytes, 'carrier' at most 100");
    } else if (!carrier.empty() || !tracking.empty()) {
        bad_event(e.action, "'carrier' and 'tracking_no' are for a material received by post");
    }
    if (*v == MaterialVia::online && (entry.status != MaterialStatus::scanned || entry.blob_sha256.empty()))
        bad_event(e.action, "an online upload is recorded as scanned, with its blob_sha256");
    entry.via = *v;
    entry.carrier = std::move(carrier);
    entry.tracking_no = std::move(tracking);
    entry.original_check.reset();  // a material recorded again (a new upload) is compared again
}

void add_pause(Case& c, Date start, Date end) {
    // The day the clock stops has been counted; counting resumes the day after `end`.
    Date from = start + std::chrono::days{1};
    if (end >= from) c.pauses.push_back({from, end});
}

/// True while a limit in hours still holds: the item has one, the case was accepted with opening
/// hours, and its clock never stopped (no special procedure, no correction asked after acceptance).
bool hours_limit_holds(const Case& c) {
    if (c.promised_limit_minutes <= 0 || c.opening_hours.empty() || !c.special_procedures.empty()) return false;
    return std::none_of(c.history.begin(), c.history.end(), [](const HistoryEntry& h) {
        return h.action == A::request_correction && h.from != S::received;
    });
}

void recompute_due(Case& c, const WorkCalendar& cal) {
    if (!c.accepted_at) return;
    auto due = cal.due_date_answer(china_date(*c.accepted_at), c.promised_limit_days, c.pauses);
    c.due_date = due.value;
    c.promised_provisional = due.provisional;
    c.due_at.reset();
    if (hours_limit_holds(c)) {
        auto at = cal.add_working_minutes_answer(*c.accepted_at, c.promised_limit_minutes, OpeningHours::parse(c.opening_hours));
        c.due_at = at.value;
        c.promised_provisional = c.promised_provisional || at.provisional;
    }
}

void check_actor(const Rule& r, const CaseEvent& e, const Case& c) {
    const Actor& a = e.actor;
    if (a.user_id.empty()) throw NotAuthorised(OW_N_("Every case event needs the acting user"));
    if (std::find(r.roles.begin(), r.roles.end(), a.role) == r.roles.end())
        throw NotAuthorised(std::string("role '") + std::string(to_code(a.role)) + "' may not " + std::string(to_code(e.action)));
    if (a.role == Role::chief) {
        if (a.post == Post::none) throw NotAuthorised(OW_N_("A chief representative acts on post A or B"));
        if (a.post == Post::B && a.acting_for.empty())
            throw NotAuthorised(OW_N_("Post B may act only for post A while A is absent (acting-for is required)"));
    }
    if (!a.acting_for.empty() && !(a.role == Role::chief && a.post == Post::B))
        throw NotAuthorised(OW_N_("Only post B acts for someone else"));
    if ((e.action == A::approve || e.action == A::deny) && c.state == S::escalated && a.role != Role::platform)
        throw NotAuthorised(OW_N_("An escalated case is decided by the higher level, through the platform"));
    if ((e.action == A::approve || e.action == A::deny) && a.role == Role::clerk &&
        (c.kind != ItemKind::immediate || !e.data.is_object() || !e.data.contains("authority") || e.data["authority"] != "window"))
        throw NotAuthorised(OW_N_("A window clerk decides only immediate items the department authorised the window to decide"));
    if (e.action == A::record_fee && a.role == Role::clerk && e.data.is_object() && e.data.contains("outcome") &&
        e.data["outcome"] == "waived")
        throw NotAuthorised(OW_N_("A fee is waived by a chief representative, not at the window"));
    if (e.action == A::verify_follow_up && a.role == Role::clerk && e.data.is_object() && e.data.contains("outcome") &&
        e.data["outcome"] == "revoked")
        throw NotAuthorised(OW_N_("An approval is revoked by a chief representative, not at the window"));
    if (e.action == A::escalate && a.role == Role::clerk && !e.data.contains("cross_region"))
        throw NotAuthorised(OW_N_("A window clerk escalates a case only to send it to the authority of another region; a chief representative escalates otherwise"));
}

/// A case with an agent asks for the 委托书 and the agent's ID (added pending when missing); without
/// one, neither (removed unless something was recorded for them, which the history keeps anyway).
void sync_agent_materials(Case& c) {
    auto& entries = c.checklist.entries;
    const std::pair<const char*, const char*> materials[] = {{kAgentMandateMaterial, "授权委托书"},
                                                              {kAgentIdMaterial, "受托人身份证件"}};
    for (const auto& material : materials) {
        const char* code = material.first;
        const char* name = material.second;
        auto it = std::find_if(entries.begin(), entries.end(), [code](const ChecklistEntry& x) { return x.material_code == code; });
        if (c.applicant.has_agent() && it == entries.end()) {
            ChecklistEntry m;
            m.material_code = code;
            m.name = name;
            m.necessity = Necessity::required;
            m.form = MaterialForm::original;
            m.originals = 1;
            m.copies = std::string_view(code) == kAgentIdMaterial ? 1 : 0;
            m.source = MaterialSource::applicant;
            entries.push_back(std::move(m));
        } else if (!c.applicant.has_agent() && it != entries.end()) {
            entries.erase(it);
        }
    }
}

/// 事进人不进: the department's first act on the case after the call answers it.
void answer_remote_call(Case& c, const CaseEvent& e) {
    if (!c.remote_call || c.remote_call->answered()) return;
    if (e.actor.role != Role::chief && e.actor.role != Role::platform) return;
    switch (e.action) {
    case A::start_review:
    case A::approve:
    case A::deny:
    case A::countersign:
    case A::escalate:
    case A::request_correction:
    case A::start_special_procedure:
        c.remote_call->answered_at = e.at;
        c.remote_call->answered_by = e.actor;
        break;
    default: break;
    }
}

void apply_effects(Case& c, const CaseEvent& e, const WorkCalendar& cal) {
    Date today = china_date(e.at);
    switch (e.action) {
    case A::receive:
        if (c.applicant.name.empty() || c.applicant.doc_number.empty())
            bad_event(e.action, "the applicant is not identified yet (name and ID number or USCC)");
        c.received_at = e.at;
        c.acceptance_due = cal.due_date_answer(today, kAcceptanceDecisionDays).value;
        break;
    case A::accept: {
        auto blocking = c.checklist.blocking();
        if (!blocking.empty()) {
            std::string names;
            for (const auto* b : blocking) names += (names.empty() ? "" : ", ") + b->name;
            bad_event(e.action, "materials still missing: " + names);
        }
        for (const auto* d : c.checklist.outstanding_deferred())
            if (!d->promised_by) bad_event(e.action, "deferred material '" + d->name + "' has no promised date");
        c.accepted_at = e.at;
        if (auto h = e.data.find("opening_hours"); h != e.data.end() && c.promised_limit_minutes > 0) {
            if (!h->is_string()) bad_event(e.action, "'opening_hours' must be a string (e.g. 09:00-12:00,13:30-17:00)");
            try {
                c.opening_hours = OpeningHours::parse(h->get<std::string>()).text();
            } catch (const InvalidData& x) {
                bad_event(e.action, x.what());
            }
        }
        recompute_due(c, cal);
        if (auto rc = e.data.find("remote_call"); rc != e.data.end()) {
            if (!rc->is_object() || !rc->contains("department") || !(*rc)["department"].is_string() || !rc->contains("due_at") ||
                !(*rc)["due_at"].is_string())
                bad_event(e.action, "'remote_call' needs the department and due_at");
            RemoteCall call;
            call.department = (*rc)["department"].get<std::string>();
            if (auto ct = rc->find("contact"); ct != rc->end() && ct->is_string()) call.contact = ct->get<std::string>();
            call.called_at = e.at;
            try {
                call.due_at = parse_instant((*rc)["due_at"].get<std::string>());
            } catch (const InvalidData& x) {
                bad_event(e.action, std::string("remote_call.due_at: ") + x.what());
            }
            if (call.due_at <= e.at) bad_event(e.action, "the remote call's answer is due after the call");
            c.remote_call = std::move(call);
        }
        break;
    }
    case A::refuse:
        require_reason(e, "a refusal needs the reason");
        c.refusal_reason = e.reason;
        c.refusal_basis = data_str(e, "legal_basis", false);
        break;
    case A::request_correction: {
        if (auto it = e.data.find("materials"); it != e.data.end()) {
            if (!it->is_array()) bad_event(e.action, "'materials' must be an array");
            for (const auto& m : *it) {
                if (!m.is_object() || !m.contains("material_code") || !m["material_code"].is_string())
                    bad_event(e.action, "each of 'materials' needs a material_code");
                ChecklistEntry* entry = c.checklist.find(m["material_code"].get<std::string>());
                if (!entry) bad_event(e.action, "no material '" + m["material_code"].get<std::string>() + "' on the checklist");
                std::string st = "missing";
                if (auto s = m.find("status"); s != m.end()) {
                    if (!s->is_string()) bad_event(e.action, "the 'status' of each of 'materials' must be a string");
                    st = s->get<std::string>();
                }
                entry->status = detail::enum_parse(kMaterialStatus, st);
                if (entry->status != MaterialStatus::missing && entry->status != MaterialStatus::defective)
                    bad_event(e.action, "a correction names materials as missing or defective");
                if (m.contains("note") && m["note"].is_string()) entry->note = m["note"].get<std::string>();
            }
        }
        bool names_gap = std::any_of(c.checklist.entries.begin(), c.checklist.entries.end(), [](const ChecklistEntry& x) {
            return x.status == MaterialStatus::missing || x.status == MaterialStatus::defective;
        });
        if (c.state == S::received && !names_gap)
            bad_event(e.action, "a one-time notice must name every missing or defective material; none is marked");
        if (c.state == S::under_review) require_reason(e, "a correction asked during review needs the reason");
        if (c.accepted_at) c.due_at.reset();  // the clock stops: the limit in days holds from now on
        break;
    }
    case A::resubmit: {
        if (!c.accepted_at) c.acceptance_due = cal.due_date_answer(today, kAcceptanceDecisionDays).value;
        if (c.accepted_at) {
            // Correction asked after acceptance: the clock stood still since the request.
            auto req = std::find_if(c.history.rbegin(), c.history.rend(),
                                    [](const HistoryEntry& h) { return h.action == A::request_correction; });
            if (req != c.history.rend()) add_pause(c, china_date(req->at), today);
            recompute_due(c, cal);
        }
        break;
    }
    case A::start_review:
        break;
    case A::escalate:
        require_reason(e, "escalation needs the reason");
        c.escalated_to = data_str(e, "to", true);
        if (auto it = e.data.find("cross_region"); it != e.data.end()) {
            if (c.state != S::accepted) bad_event(e.action, "a cross-region case goes to the other region once accepted");
            if (!it->is_object()) bad_event(e.action, "'cross_region' must be an object");
            JsonReader x(*it, "/data/cross_region");
            CrossRegion cr{x.str("region_code"), x.str("region"), x.str("authority")};
            if (cr.region_code.empty() || cr.authority.empty()) bad_event(e.action, "'cross_region' names the region code and the authority");
            c.cross_region = std::move(cr);
        }
        break;
    case A::approve:
    case A::deny: {
        if (std::any_of(c.special_procedures.begin(), c.special_procedures.end(), [](const SpecialProcedure& p) { return !p.ended; }))
            bad_event(e.action, "a special procedure is still running");
        if (!c.countersign_items.empty() && e.actor.role != Role::platform) {
            bool any_denied = std::any_of(c.countersigns.begin(), c.countersigns.end(), [](const Countersign& x) { return !x.approved; });
            if (e.action == A::approve && (any_denied || c.countersigns.size() < c.countersign_items.size()))
                bad_event(e.action, "every part of the case must be countersigned as approved first (" +
                                        std::to_string(c.countersigns.size()) + " of " + std::to_string(c.countersign_items.size()) + ")");
            if (e.action == A::deny && !any_denied) bad_event(e.action, "a part must be countersigned as denied first");
        }
        if (e.action == A::deny) require_reason(e, "a denial needs the reason");
        Decision d;
        d.approved = e.action == A::approve;
        d.opinion = e.reason;
        d.legal_basis = data_str(e, "legal_basis", false);
        d.by = e.actor;
        d.at = e.at;
        c.decision = d;
        break;
    }
    case A::issue_result: {
        if (c.state == S::approved && !c.originals_mismatched().empty()) {
            std::string names;
            for (const auto* m : c.originals_mismatched()) names += (names.empty() ? "" : ", ") + m->name;
            bad_event(e.action, "the originals did not match the uploads (原件核验): " + names);
        }
        if (c.state == S::approved && !c.checklist.outstanding_deferred().empty())
            bad_event(e.action, "deferred materials must be delivered before the result is handed out");
        if (c.state == S::approved && !c.fees_due().empty()) {
            std::string names;
            for (const auto* f : c.fees_due()) names += (names.empty() ? "" : ", ") + f->name;
            bad_event(e.action, "fees must be paid or waived before the result is handed out: " + names);
        }
        ResultHandover h;
        h.mode = detail::enum_parse(kHandover, data_str(e, "mode", true));
        h.recipient = data_str(e, "recipient", true);
        if (h.mode == ResultHandover::Mode::mail) {
            h.address = data_str(e, "address", true);
            h.carrier = data_str(e, "carrier", true);
            h.tracking_no = data_str(e, "tracking_no", true);
        }
        h.at = e.at;
        c.handover = h;
        break;
    }
    case A::rate: {
        auto it = e.data.find("level");
        // Compare as 64-bit: get<int>() would wrap a huge number (e.g. 2^32 + 2) into range.
        if (it == e.data.end() || !it->is_number_integer() || (it->is_number_unsigned() && it->get<std::uint64_t>() > 5) ||
            it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 5)
            bad_event(e.action, "'level' must be 1 (very satisfied) … 5 (very dissatisfied)");
        Rating r;
        r.level = RatingLevel(int(it->get<std::int64_t>()));
        r.channel = data_str(e, "channel", false);
        r.comment = data_str(e, "comment", false);
        r.reason = e.reason;
        if (r.bad()) require_reason(e, "a bad rating needs a reason");
        r.at = e.at;
        if (auto due = data_str(e, "follow_up_due", false); !due.empty()) {
            r.follow_up_due = try_parse_date(due);
            if (!r.follow_up_due || *r.follow_up_due < today) bad_event(e.action, "'follow_up_due' must be a date from today on");
        }
        r.hotline_ticket = data_str(e, "hotline_ticket", false);
        if (r.hotline_ticket.size() > 40) bad_event(e.action, "'hotline_ticket' has at most 40 characters");
        c.rating = r;
        break;
    }
    case A::archive:
        break;
    case A::mark_material: {
        ChecklistEntry& entry = entry_for(c, e);
        MaterialStatus st = detail::enum_parse(kMaterialStatus, data_str(e, "status", true));
        if (st == MaterialStatus::deferred || st == MaterialStatus::commitment)
            bad_event(e.action, "use defer_material / record_commitment for this status");
        if (st == MaterialStatus::e_licence && entry.source != MaterialSource::government)
            bad_event(e.action, "'" + entry.name + "' is not issued by a government department, so there is no e-licence");
        entry.status = st;
        entry.note = data_str(e, "note", false);
        if (auto sha = data_str(e, "blob_sha256", false); !sha.empty()) entry.blob_sha256 = sha;
        read_via(entry, e);
        break;
    }
    case A::defer_material: {
        ChecklistEntry& entry = entry_for(c, e);
        if (entry.necessity != Necessity::deferrable)
            bad_event(e.action, "'" + entry.name + "' may not be missing at intake (not marked 容缺)");
        auto d = try_parse_date(data_str(e, "promised_by", true));
        if (!d) bad_event(e.action, "'promised_by' must be a date (YYYY-MM-DD)");
        if (*d <= today) bad_event(e.action, "the promised date must be after today");
        entry.status = MaterialStatus::deferred;
        entry.promised_by = d;
        entry.fulfilled_at.reset();
        break;
    }
    case A::fulfil_material: {
        ChecklistEntry& entry = entry_for(c, e);
        MaterialStatus st = detail::enum_parse(kMaterialStatus, data_str(e, "status", true));
        if (st != MaterialStatus::original_received && st != MaterialStatus::copy_received && st != MaterialStatus::scanned &&
            st != MaterialStatus::e_licence)
            bad_event(e.action, "a delivered material is received, scanned or fetched as e-licence");
        if (entry.status != MaterialStatus::deferred && entry.status != MaterialStatus::missing &&
            entry.status != MaterialStatus::defective)
            bad_event(e.action, "'" + entry.name + "' is not outstanding");
        entry.status = st;
        entry.fulfilled_at = e.at;
        if (auto sha = data_str(e, "blob_sha256", false); !sha.empty()) entry.blob_sha256 = sha;
        read_via(entry, e);
        break;
    }
    case A::record_commitment: {
        // Which items allow a commitment on their conditions, or 信即办, is catalogue data the
        // workflow checks; here: the material's own permission and the credit standing.
        Commitment cm;
        cm.material_code = data_str(e, "material_code", false);
        cm.text = data_str(e, "text", true);
        cm.at = e.at;
        if (auto due = data_str(e, "check_due", false); !due.empty()) {
            cm.check_due = try_parse_date(due);
            if (!cm.check_due || *cm.check_due <= today) bad_event(e.action, "'check_due' must be a date after today");
        }
        const std::string kind = data_str(e, "kind", false);
        if (kind == "credit") {
            if (!cm.material_code.empty()) bad_event(e.action, "a credit commitment replaces the applicant's materials, not one of them");
            if (c.credit) bad_event(e.action, "the case already has a credit commitment");
            auto cr = e.data.find("credit");
            if (cr == e.data.end() || !cr->is_object()) bad_event(e.action, "'credit' (the credit standing) is required");
            CreditCheck check;
            for (auto [key, field] : {std::pair{"standing", &check.standing}, {"source", &check.source}, {"report_no", &check.report_no}}) {
                auto v = cr->find(key);
                if (v == cr->end() || !v->is_string() || v->get_ref<const std::string&>().empty() || v->get_ref<const std::string&>().size() > 200)
                    bad_event(e.action, std::string("'credit.") + key + "' is required (at most 200 bytes)");
                *field = v->get<std::string>();
            }
            auto at = cr->find("checked_at");
            if (at == cr->end() || !at->is_string()) bad_event(e.action, "'credit.checked_at' is required");
            try {
                check.checked_at = parse_instant(at->get<std::string>());
            } catch (const std::exception&) {
                bad_event(e.action, "'credit.checked_at' is not an instant");
            }
            if (china_date(check.checked_at) != today) bad_event(e.action, "the credit standing must be checked today");
            if (check.standing != "good")
                bad_event(e.action, "信即办 is only for an applicant in good credit standing (the platform answered '" + check.standing + "')");
            cm.kind = CommitmentKind::credit;
            // The written credit commitment stands for the applicant's own materials still to
            // come (not an agent's mandate or ID, nor what a department issues).
            for (auto& entry : c.checklist.entries) {
                if (entry.source != MaterialSource::applicant || entry.necessity == Necessity::optional) continue;
                if (entry.material_code == kAgentMandateMaterial || entry.material_code == kAgentIdMaterial) continue;
                if (entry.satisfied()) continue;
                entry.status = MaterialStatus::commitment;
                entry.promised_by.reset();
            }
            c.credit = std::move(check);
        } else if (kind.empty() || kind == "material" || kind == "item") {
            if (cm.material_code.empty()) {
                if (kind == "material") bad_event(e.action, "'material_code' is required");
                cm.kind = CommitmentKind::item;
            } else {
                if (kind == "item") bad_event(e.action, "a commitment on the item's conditions names no material");
                ChecklistEntry& entry = entry_for(c, e);
                if (!entry.commitment_allowed)
                    bad_event(e.action, "'" + entry.name + "' cannot be replaced by a commitment");
                entry.status = MaterialStatus::commitment;
                entry.promised_by.reset();
            }
        } else {
            bad_event(e.action, "'kind' is material, item or credit");
        }
        c.commitments.push_back(std::move(cm));
        break;
    }
    case A::verify_follow_up: {
        FollowUpFinding f;
        auto result = detail::enum_parse(kFollowUpResults, data_str(e, "result", true));
        f.result = result;
        const std::string outcome = data_str(e, "outcome", false);
        f.outcome = outcome.empty() ? BreachOutcome::none : detail::enum_parse(kBreachOutcomes, outcome);
        if (f.result == FollowUpResult::breached && f.outcome == BreachOutcome::none)
            bad_event(e.action, "a breach is acted on: 'outcome' is revoked or referred");
        if (f.result == FollowUpResult::fulfilled && f.outcome != BreachOutcome::none)
            bad_event(e.action, "a commitment kept has no outcome");
        f.finding = data_str(e, "finding", true);
        if (f.finding.size() > 2000) bad_event(e.action, "'finding' has at most 2000 bytes");
        f.source = data_str(e, "source", false);
        if (f.source.empty()) f.source = "window";
        if (f.source != "window" && f.source != "regulator") bad_event(e.action, "'source' is window or regulator");
        f.regulator = data_str(e, "regulator", false);
        if (f.regulator.size() > 200) bad_event(e.action, "'regulator' has at most 200 bytes");
        if (f.source == "regulator" && f.regulator.empty()) bad_event(e.action, "a regulator's finding names the regulator");
        f.by = e.actor;
        f.at = e.at;
        if (f.outcome == BreachOutcome::revoked) {
            if (!c.decision || !c.decision->approved) bad_event(e.action, "only an approval can be revoked: the case is not approved");
            if (c.revocation) bad_event(e.action, "the approval is already revoked");
        }
        auto no = e.data.find("commitment");
        if (no != e.data.end() && !no->is_null()) {
            if (!no->is_number_integer()) bad_event(e.action, "'commitment' is the commitment's number (1, 2, …)");
            const auto n = no->get<std::int64_t>();
            if (n < 1 || n > std::int64_t(c.commitments.size()))
                bad_event(e.action, "the case has no commitment " + std::to_string(n));
            Commitment& cm = c.commitments[std::size_t(n - 1)];
            if (cm.finding) bad_event(e.action, "commitment " + std::to_string(n) + " is already verified");
            cm.finding = f;
        } else {
            if (data_str(e, "material_code", false).empty()) bad_event(e.action, "'commitment' or 'material_code' is required");
            ChecklistEntry& entry = entry_for(c, e);
            if (entry.status != MaterialStatus::deferred) bad_event(e.action, "'" + entry.name + "' is not deferred (容缺)");
            if (f.result != FollowUpResult::breached)
                bad_event(e.action, "a deferred material delivered is recorded as delivered (fulfil_material)");
            entry.status = MaterialStatus::missing;
            entry.breach = f;
        }
        if (f.outcome == BreachOutcome::revoked) c.revocation = Revocation{f.finding, e.actor, e.at};
        break;
    }
    case A::verify_originals: {
        auto it = e.data.find("materials");
        if (it == e.data.end() || !it->is_array() || it->empty()) bad_event(e.action, "'materials' lists the originals compared");
        for (const auto& m : *it) {
            if (!m.is_object() || !m.contains("material_code") || !m["material_code"].is_string())
                bad_event(e.action, "each of 'materials' needs a material_code");
            ChecklistEntry* entry = c.checklist.find(m["material_code"].get<std::string>());
            if (!entry) bad_event(e.action, "no material '" + m["material_code"].get<std::string>() + "' on the checklist");
            if (entry->via != MaterialVia::online || entry->blob_sha256.empty())
                bad_event(e.action, "'" + entry->name + "' was not uploaded online: there is nothing to compare its original with");
            auto match = m.find("match");
            if (match == m.end() || !match->is_boolean()) bad_event(e.action, "each of 'materials' says whether the original matches ('match')");
            OriginalCheck check;
            check.match = match->get<bool>();
            if (auto n = m.find("note"); n != m.end()) {
                if (!n->is_string() || n->get_ref<const std::string&>().size() > 500) bad_event(e.action, "'note' is text of at most 500 bytes");
                check.note = n->get<std::string>();
            }
            if (!check.match && check.note.empty()) bad_event(e.action, "an original that does not match needs a note saying what differs");
            check.by = e.actor;
            check.at = e.at;
            // Before acceptance a mismatch makes the material defective (the one-time notice names it);
            // compared again and matching (the applicant brought the right original), it is the upload again.
            if (!check.match && !c.accepted_at) {
                entry->status = MaterialStatus::defective;
                entry->note = check.note;
            } else if (check.match && entry->status == MaterialStatus::defective && entry->original_check && !entry->original_check->match) {
                entry->status = MaterialStatus::scanned;
                entry->note.clear();
            }
            entry->original_check = std::move(check);
        }
        break;
    }
    case A::urge: {
        require_reason(e, "催办 needs the reason (e.g. the promised date has passed)");
        Urge u;
        u.to = data_str(e, "to", true);
        if (u.to.size() > 200 || e.reason.size() > 2000) bad_event(e.action, "'to' has at most 200 bytes, the reason at most 2000");
        u.reason = e.reason;
        u.by = e.actor;
        u.at = e.at;
        c.urges.push_back(std::move(u));
        break;
    }
    case A::start_special_procedure: {
        require_reason(e, "a special procedure needs the reason");
        if (std::any_of(c.special_procedures.begin(), c.special_procedures.end(), [](const SpecialProcedure& p) { return !p.ended; }))
            bad_event(e.action, "another special procedure is still running");
        SpecialProcedure p;
        p.kind = detail::enum_parse(kProcedures, data_str(e, "kind", true));
        p.reason = e.reason;
        p.started = today;
        c.special_procedures.push_back(std::move(p));
        c.due_at.reset();  // the clock stops: the limit in days holds from now on
        break;
    }
    case A::end_special_procedure: {
        auto it = std::find_if(c.special_procedures.begin(), c.special_procedures.end(),
                               [](const SpecialProcedure& p) { return !p.ended; });
        if (it == c.special_procedures.end()) bad_event(e.action, "no special procedure is running");
        it->ended = today;
        it->result = data_str(e, "result", false);
        add_pause(c, it->started, today);
        recompute_due(c, cal);
        break;
    }
    case A::recompute_due:
        if (!c.accepted_at || c.decision) bad_event(e.action, "the case has no promised date to compute");
        recompute_due(c, cal);
        break;
    case A::set_applicant: {
        auto it = e.data.find("applicant");
        if (it == e.data.end() || !it->is_object()) bad_event(e.action, "'applicant' must be an object");
        Applicant a = applicant_from_json(*it, "/data/applicant");
        if (a.name.empty()) bad_event(e.action, "the applicant's name is required");
        if (a.kind == ApplicantKind::organisation) {
            auto u = check_uscc(a.doc_number);
            if (u.status != UsccStatus::valid) bad_event(e.action, "the organisation's USCC is not valid: " + u.reason);
        } else {
            auto check = check_document_number(a.doc_type, a.doc_number);
            if (!check.valid) bad_event(e.action, "the applicant's document number is not valid: " + check.reason);
        }
        // The agent is the case's, set by set_agent only (with its materials): an applicant record
        // from an earlier case does not bring one along.
        a.agent_name = c.applicant.agent_name;
        a.agent_doc_type = c.applicant.agent_doc_type;
        a.agent_doc_number = c.applicant.agent_doc_number;
        a.agent_phone = c.applicant.agent_phone;
        a.agent_relation = c.applicant.agent_relation;
        c.applicant = std::move(a);
        break;
    }
    case A::answer_form: {
        auto ans = e.data.find("answers");
        if (ans == e.data.end() || !ans->is_object()) bad_event(e.action, "'answers' must be an object");
        c.answers = *ans;
        c.form_version = data_str(e, "form_version", false);
        if (auto cl = e.data.find("checklist"); cl != e.data.end()) {
            // The materials the answers call for: kept entries keep what was recorded, new ones are
            // pending, and ones no longer called for leave the checklist.
            if (!cl->is_array()) bad_event(e.action, "'checklist' must be an array");
            json doc = {{"id", c.id.to_string()}, {"item_code", c.item_code}, {"applicant", to_json(c.applicant)}, {"checklist", *cl}};
            std::vector<ChecklistEntry> keep_agent;
            for (const auto& x : c.checklist.entries)
                if (x.material_code == kAgentMandateMaterial || x.material_code == kAgentIdMaterial) keep_agent.push_back(x);
            Checklist next = case_from_json(doc, "/data").checklist;
            for (auto& entry : next.entries)
                if (const ChecklistEntry* old = c.checklist.find(entry.material_code);
                    old && (entry.status == MaterialStatus::pending || old->status != MaterialStatus::pending)) {
                    entry.status = old->status;
                    entry.promised_by = old->promised_by;
                    entry.fulfilled_at = old->fulfilled_at;
                    entry.note = old->note;
                    entry.blob_sha256 = old->blob_sha256;
                    entry.breach = old->breach;
                    entry.via = old->via;
                    entry.carrier = old->carrier;
                    entry.tracking_no = old->tracking_no;
                    entry.original_check = old->original_check;
                }
            c.checklist = std::move(next);
            // The agent's materials are the case's, not the form's: kept as they were.
            for (const auto& old : keep_agent) c.checklist.entries.push_back(old);
        }
        break;
    }
    case A::countersign: {
        std::string item = data_str(e, "item", true);
        if (std::find(c.countersign_items.begin(), c.countersign_items.end(), item) == c.countersign_items.end())
            bad_event(e.action, "'" + item + "' is not a part of this case that needs a decision");
        if (std::any_of(c.countersigns.begin(), c.countersigns.end(), [&](const Countersign& x) { return x.item == item; }))
            bad_event(e.action, "'" + item + "' is already decided");
        auto ap = e.data.find("approved");
        if (ap == e.data.end() || !ap->is_boolean()) bad_event(e.action, "'approved' must be true or false");
        if (!ap->get<bool>()) require_reason(e, "a denial needs the reason");
        c.countersigns.push_back({item, ap->get<bool>(), e.reason, e.actor, e.at});
        break;
    }
    case A::record_fee: {
        const std::string item = data_str(e, "item_code", false);
        const std::string name = data_str(e, "fee", true);
        CaseFee* fee = nullptr;
        for (auto& f : c.fees)
            if (f.name == name && (item.empty() || f.item_code == item)) {
                if (fee) bad_event(e.action, "several fees are named '" + name + "': give the item_code");
                fee = &f;
            }
        if (!fee) bad_event(e.action, "the case is not charged a fee '" + name + "'");
        if (fee->settled())
            bad_event(e.action, "the fee '" + name + "' is already " + std::string(to_code(fee->status)));
        const std::string outcome = data_str(e, "outcome", true);
        CaseFee next = *fee;
        next.at = e.at;
        next.by = e.actor;
        next.reason = e.reason;
        if (outcome == "paid") {
            auto amount = e.data.find("amount_fen");
            if (amount == e.data.end() || !amount->is_number_integer() || (amount->is_number_unsigned() && amount->get<std::uint64_t>() > 10'000'000'000ULL) ||
                amount->get<std::int64_t>() <= 0 || amount->get<std::int64_t>() > 10'000'000'000LL)
                bad_event(e.action, "'amount_fen' must be the amount paid in fen (1 … 10,000,000,000)");
            next.paid_fen = amount->get<std::int64_t>();
            if (next.paid_fen != fee->amount_fen)
                require_reason(e, "an amount other than the catalogue's needs the reason (e.g. the local standard)");
            auto method = parse_payment_method(data_str(e, "method", true));
            if (!method) bad_event(e.action, "'method' is cash, bank_card, wechat, alipay, unionpay, transfer, online or other");
            next.method = *method;
            next.payment_no = data_str(e, "payment_no", false);
            if (next.method != PaymentMethod::cash && next.method != PaymentMethod::other && next.payment_no.empty())
                bad_event(e.action, "a payment by " + std::string(to_code(next.method)) + " needs its transaction number ('payment_no')");
            next.bill_no = data_str(e, "bill_no", false);
            next.payer = data_str(e, "payer", false);
            if (next.payer.empty()) next.payer = c.applicant.name;
            for (const auto* s : {&next.payment_no, &next.bill_no})
                if (s->size() > 64) bad_event(e.action, "'payment_no' and 'bill_no' have at most 64 characters");
            next.status = FeeStatus::paid;
        } else if (outcome == "waived") {
            require_reason(e, "a waiver needs the reason");
            next.waiver_basis = data_str(e, "basis", false);
            next.status = FeeStatus::waived;
        } else {
            bad_event(e.action, "'outcome' is paid or waived");
        }
        *fee = std::move(next);
        break;
    }
    case A::set_agent: {
        Applicant& a = c.applicant;
        const std::string name = data_str(e, "name", false);
        if (name.empty()) {  // cleared: the applicant comes in person after all
            if (!a.has_agent()) bad_event(e.action, "the case has no agent to clear");
            a.agent_name.clear();
            a.agent_doc_number.clear();
            a.agent_phone.clear();
            a.agent_relation.clear();
            a.agent_doc_type = DocumentType::resident_id;
        } else {
            auto dt = DocumentType::resident_id;
            if (auto t = e.data.find("doc_type"); t != e.data.end() && !t->is_null()) {
                if (!t->is_number_integer()) bad_event(e.action, "'doc_type' is a GB/T 39046 document type code");
                auto d = document_type_from_code(int(t->get<std::int64_t>()));
                if (!d) bad_event(e.action, "'doc_type' is not a known document type code");
                dt = *d;
            }
            const std::string number = data_str(e, "doc_number", true);
            auto check = check_document_number(dt, number);
            if (!check.valid) bad_event(e.action, "the agent's document number is not valid: " + check.reason);
            if (c.applicant.kind == ApplicantKind::person && dt == c.applicant.doc_type && number == c.applicant.doc_number)
                bad_event(e.action, "the agent is the applicant: an applicant in person needs no agent");
            const std::string phone = data_str(e, "phone", false), relation = data_str(e, "relation", false);
            if (name.size() > 200 || phone.size() > 40 || relation.size() > 100)
                bad_event(e.action, "the agent's name, phone or relation is too long");
            a.agent_name = name;
            a.agent_doc_type = dt;
            a.agent_doc_number = number;
            a.agent_phone = phone;
            a.agent_relation = relation;
        }
        sync_agent_materials(c);
        break;
    }
    case A::assist: {
        const std::string mode = data_str(e, "mode", true);
        if (mode == "none") {  // the help ends
            if (!c.assistance) bad_event(e.action, "the case has no helper");
            c.assistance.reset();
            break;
        }
        auto m = parse_assist_mode(mode);
        if (!m) bad_event(e.action, "'mode' is help, agency, contact or none");
        Assistance as;
        as.mode = *m;
        as.helper = data_str(e, "helper", true);
        as.helper_name = data_str(e, "helper_name", false);
        as.note = data_str(e, "note", false);
        if (as.helper.size() > 64 || as.helper_name.size() > 100 || as.note.size() > 500)
            bad_event(e.action, "the helper, the helper's name or the note is too long");
        if (c.assistance && c.assistance->mode == as.mode && c.assistance->helper == as.helper && c.assistance->note == as.note)
            bad_event(e.action, "the case already has this helper");
        if (as.mode == AssistMode::contact && c.applicant.kind != ApplicantKind::organisation)
            bad_event(e.action, "a contact clerk (一企一员) follows an enterprise: the applicant is a person");
        as.by = e.actor;
        as.since = e.at;
        c.assistance = std::move(as);
        break;
    }
    case A::flag_green: {
        auto flag = parse_green_flag(data_str(e, "flag", true));
        if (!flag) bad_event(e.action, "'flag' is elderly, disabled, key_project, ill or pregnant");
        auto on = e.data.find("on");
        if (on == e.data.end() || !on->is_boolean()) bad_event(e.action, "'on' must be true or false");
        auto& f = c.green_flags;
        bool has = std::find(f.begin(), f.end(), *flag) != f.end();
        if (has == on->get<bool>()) bad_event(e.action, std::string("the flag '") + std::string(to_code(*flag)) + "' is already " + (has ? "set" : "off"));
        if (has) f.erase(std::remove(f.begin(), f.end(), *flag), f.end());
        else f.push_back(*flag);
        std::sort(f.begin(), f.end());
        break;
    }
    }
}

json opt_instant(const std::optional<Instant>& t) { return t ? json(format_instant(*t)) : json(nullptr); }
json opt_date(const std::optional<Date>& d) { return d ? json(format_date(*d)) : json(nullptr); }

}  // namespace

std::string_view to_code(CaseState v) { return detail::enum_name(kStates, v, 0); }
std::string_view to_code(CaseAction v) { return detail::enum_name(kActions, v, 0); }
std::string_view to_code(Role v) { return detail::enum_name(kRoles, v, 0); }
std::string_view to_code(Post v) { return detail::enum_name(kPosts, v, 0); }
std::string_view to_code(MaterialStatus v) { return detail::enum_name(kMaterialStatus, v, 0); }
std::string_view to_code(SpecialProcedureKind v) { return detail::enum_name(kProcedures, v, 0); }
std::string_view to_code(GreenFlag v) { return detail::enum_name(kGreenFlags, v, 0); }
std::optional<GreenFlag> parse_green_flag(std::string_view code) {
    for (const auto& [v, names] : kGreenFlags)
        if (names[0] == code) return v;
    return std::nullopt;
}
std::string_view zh_name(GreenFlag v) { return detail::enum_name(kGreenFlags, v, 1); }
std::string_view to_code(AssistMode v) { return detail::enum_name(kAssistModes, v, 0); }
std::string_view zh_name(AssistMode v) { return detail::enum_name(kAssistModes, v, 1); }
std::optional<AssistMode> parse_assist_mode(std::string_view code) {
    for (const auto& [v, names] : kAssistModes)
        if (names[0] == code) return v;
    return std::nullopt;
}
std::string_view to_code(FollowUpResult v) { return detail::enum_name(kFollowUpResults, v, 0); }
std::string_view to_code(BreachOutcome v) { return detail::enum_name(kBreachOutcomes, v, 0); }
std::string_view to_code(CommitmentKind v) { return detail::enum_name(kCommitmentKinds, v, 0); }
std::string_view zh_name(FollowUpResult v) { return detail::enum_name(kFollowUpResults, v, 1); }
std::string_view zh_name(BreachOutcome v) { return detail::enum_name(kBreachOutcomes, v, 1); }
std::string_view zh_name(CommitmentKind v) { return detail::enum_name(kCommitmentKinds, v, 1); }
std::string_view to_code(MaterialVia v) { return detail::enum_name(kMaterialVia, v, 0); }
std::string_view zh_name(MaterialVia v) { return detail::enum_name(kMaterialVia, v, 1); }
std::optional<MaterialVia> parse_material_via(std::string_view code) {
    for (const auto& [v, names] : kMaterialVia)
        if (names[0] == code) return v;
    return std::nullopt;
}
std::string_view to_code(Channel v) { return detail::enum_name(kChannels, v, 0); }
std::string_view zh_name(Channel v) { return detail::enum_name(kChannels, v, 1); }
std::optional<Channel> parse_channel(std::string_view code) {
    for (const auto& [v, names] : kChannels)
        if (names[0] == code) return v;
    return std::nullopt;
}
std::string_view to_code(FeeStatus v) { return detail::enum_name(kFeeStatus, v, 0); }
std::string_view zh_name(FeeStatus v) { return detail::enum_name(kFeeStatus, v, 1); }
std::string_view to_code(PaymentMethod v) { return detail::enum_name(kPaymentMethods, v, 0); }
std::string_view zh_name(PaymentMethod v) { return detail::enum_name(kPaymentMethods, v, 1); }
std::optional<PaymentMethod> parse_payment_method(std::string_view code) {
    for (const auto& [v, names] : kPaymentMethods)
        if (names[0] == code) return v;
    return std::nullopt;
}
std::string_view zh_name(CaseState v) { return detail::enum_name(kStates, v, 1); }
std::string_view zh_name(MaterialStatus v) { return detail::enum_name(kMaterialStatus, v, 1); }
std::string_view zh_name(RatingLevel v) {
    static constexpr std::string_view names[] = {"非常满意", "满意", "基本满意", "不满意", "非常不满意"};
    int i = int(v);
    return i >= 1 && i <= 5 ? names[i - 1] : "?";
}

std::vector<const ChecklistEntry*> Case::originals_to_verify() const {
    std::vector<const ChecklistEntry*> out;
    for (const auto& e : checklist.entries)
        if (e.via == MaterialVia::online && e.originals > 0 && (!e.original_check || !e.original_check->match)) out.push_back(&e);
    return out;
}

std::vector<const ChecklistEntry*> Case::originals_mismatched() const {
    std::vector<const ChecklistEntry*> out;
    for (const auto& e : checklist.entries)
        if (e.original_check && !e.original_check->match) out.push_back(&e);
    return out;
}

bool ChecklistEntry::satisfied() const {
    switch (status) {
    case MaterialStatus::original_received:
    case MaterialStatus::copy_received:
    case MaterialStatus::scanned:
    case MaterialStatus::e_licence:
    case MaterialStatus::commitment:
    case MaterialStatus::not_applicable:
        return true;
    default:
        return false;
    }
}

Checklist Checklist::from_item(const ServiceItem& item) {
    Checklist cl;
    for (const auto& m : item.spec.materials) {
        ChecklistEntry e;
        e.material_code = m.code;
        e.name = m.name;
        e.necessity = m.necessity;
        e.form = m.form;
        e.originals = m.originals;
        e.copies = m.copies;
        e.source = m.source;
        e.commitment_allowed = m.commitment_allowed;
        e.serves_items = {item.code};
        cl.entries.push_back(std::move(e));
    }
    return cl;
}

ChecklistEntry* Checklist::find(std::string_view code) {
    for (auto& e : entries)
        if (e.material_code == code) return &e;
    return nullptr;
}

const ChecklistEntry* Checklist::find(std::string_view code) const {
    return const_cast<Checklist*>(this)->find(code);
}

std::vector<const ChecklistEntry*> Checklist::blocking() const {
    std::vector<const ChecklistEntry*> out;
    for (const auto& e : entries) {
        if (e.necessity == Necessity::optional || e.satisfied()) continue;
        if (e.necessity == Necessity::deferrable && e.status == MaterialStatus::deferred) continue;
        out.push_back(&e);
    }
    return out;
}

std::vector<const ChecklistEntry*> Checklist::outstanding_deferred() const {
    std::vector<const ChecklistEntry*> out;
    for (const auto& e : entries)
        if (e.status == MaterialStatus::deferred) out.push_back(&e);
    return out;
}

Case Case::create(const ServiceItem& item, const Applicant& applicant, std::optional<Uuid> id) {
    Case c;
    c.id = id.value_or(new_uuid_v7());
    c.item_code = item.code;
    c.item_name = item.name;
    c.kind = item.kind;
    c.legal_limit_days = item.spec.legal_limit_days;
    c.promised_limit_days = item.spec.promised_limit_days;
    c.promised_limit_minutes = item.spec.promised_limit_minutes;
    c.form_version = item.version;
    c.applicant = applicant;
    c.checklist = Checklist::from_item(item);
    for (const auto& f : item.spec.fees) c.fees.push_back(CaseFee::charged(item.code, f));
    return c;
}

CaseFee CaseFee::charged(const std::string& item_code, const Fee& fee) {
    CaseFee f;
    f.item_code = item_code;
    f.name = fee.name;
    f.amount_fen = fee.amount_fen;
    f.basis = fee.basis;
    return f;
}

std::vector<const CaseFee*> Case::fees_due() const {
    std::vector<const CaseFee*> out;
    for (const auto& f : fees)
        if (!f.settled()) out.push_back(&f);
    return out;
}

std::int64_t Case::fees_due_fen() const {
    std::int64_t sum = 0;
    for (const auto* f : fees_due()) sum += f->amount_fen;
    return sum;
}

std::vector<Case::FollowUp> Case::pending_follow_ups() const {
    std::vector<FollowUp> out;
    // Nothing to follow up once nothing was granted (refused, denied), nor in the archive (final).
    if (state == S::refused || state == S::archived || (decision && !decision->approved)) return out;
    for (const auto& e : checklist.entries)
        if (e.status == MaterialStatus::deferred) out.push_back({e.promised_by, e.material_code, e.name, 0, CommitmentKind::material});
    for (std::size_t i = 0; i < commitments.size(); ++i) {
        const auto& cm = commitments[i];
        if (cm.finding) continue;
        out.push_back({cm.check_due, "commitment:" + std::to_string(i + 1), cm.kind == CommitmentKind::credit ? "信用承诺" : "告知承诺",
                       int(i + 1), cm.kind});
    }
    std::stable_sort(out.begin(), out.end(), [](const FollowUp& a, const FollowUp& b) { return a.due && (!b.due || *a.due < *b.due); });
    return out;
}

std::optional<Case::FollowUp> Case::next_follow_up() const {
    auto pending = pending_follow_ups();
    if (pending.empty() || !pending.front().due) return std::nullopt;
    return pending.front();
}

bool Case::clock_running() const {
    if (!accepted_at || decision) return false;
    if (state != S::accepted && state != S::under_review && state != S::escalated) return false;
    return std::none_of(special_procedures.begin(), special_procedures.end(), [](const SpecialProcedure& p) { return !p.ended; });
}

std::optional<int> Case::working_days_left(Date today, const WorkCalendar& cal) const {
    if (!due_date || decision || state == S::refused || state == S::archived) return std::nullopt;
    return cal.working_days_between(today, *due_date, pauses);
}

bool Case::overdue(Date today, const WorkCalendar& cal) const {
    auto left = working_days_left(today, cal);
    return left && today > *due_date && *left < 0;
}

IllegalTransition::IllegalTransition(CaseState f, CaseAction a)
    : Error("case.illegal_transition",
            std::string("action '") + std::string(to_code(a)) + "' is not allowed in state '" + std::string(to_code(f)) + "'"),
      from(f), action(a) {}

bool CaseMachine::allowed(CaseState state, CaseAction action) {
    const Rule& r = rule_for(action);
    return std::find(r.from.begin(), r.from.end(), state) != r.from.end();
}

std::vector<CaseAction> CaseMachine::allowed_actions(CaseState state) {
    std::vector<CaseAction> out;
    for (const auto& r : rules())
        if (std::find(r.from.begin(), r.from.end(), state) != r.from.end()) out.push_back(r.action);
    return out;
}

CaseState CaseMachine::target(CaseState state, CaseAction action, const Case& c) {
    const Rule& r = rule_for(action);
    if (!r.changes_state) return state;
    if (action == A::resubmit && c.accepted_at) return S::under_review;
    return r.to;
}

const HistoryEntry& CaseMachine::apply(Case& c, const CaseEvent& e, const WorkCalendar& cal) {
    if (!allowed(c.state, e.action)) throw IllegalTransition(c.state, e.action);
    // Refusal (不予受理) is a window decision before acceptance; an accepted case is denied instead.
    if (e.action == A::refuse && c.accepted_at) throw IllegalTransition(c.state, e.action);
    const Rule& r = rule_for(e.action);
    check_actor(r, e, c);
    if (!c.history.empty() && e.at < c.history.back().at)
        bad_event(e.action, "the event is older than the case's last event");

    Case next = c;  // strong guarantee: change a copy, commit by move
    apply_effects(next, e, cal);
    answer_remote_call(next, e);
    HistoryEntry h;
    h.seq = std::uint32_t(c.history.size() + 1);
    h.action = e.action;
    h.from = c.state;
    h.to = target(c.state, e.action, c);
    h.actor = e.actor;
    h.at = e.at;
    h.reason = e.reason;
    h.data = e.data;
    if (e.action == A::recompute_due)
        h.data = {{"from_due_date", opt_date(c.due_date)},
                  {"to_due_date", opt_date(next.due_date)},
                  {"from_provisional", c.promised_provisional},
                  {"to_provisional", next.promised_provisional}};
    next.state = h.to;
    if (next.state != S::received) next.acceptance_due.reset();  // the acceptance decision is made (or not due yet)
    next.history.push_back(std::move(h));
    c = std::move(next);
    return c.history.back();
}

// ---- JSON ----

json to_json(const Actor& a) {
    json j = {{"user_id", a.user_id}, {"role", to_code(a.role)}, {"post", to_code(a.post)}};
    if (!a.acting_for.empty()) j["acting_for"] = a.acting_for;
    return j;
}

json to_json(const Applicant& a) {
    return {{"kind", detail::enum_name(kApplicantKinds, a.kind, 0)},
            {"name", a.name},
            {"doc_type", document_type_info(a.doc_type).code},
            {"doc_number", a.doc_number},
            {"phone", a.phone},
            {"address", a.address},
            {"postal_code", a.postal_code},
            {"legal_representative", a.legal_representative},
            {"agent_name", a.agent_name},
            {"agent_doc_number", a.agent_doc_number},
            {"agent_doc_type", document_type_info(a.agent_doc_type).code},
            {"agent_phone", a.agent_phone},
            {"agent_relation", a.agent_relation}};
}

namespace {
json finding_json(const FollowUpFinding& f) {
    return {{"result", to_code(f.result)}, {"outcome", to_code(f.outcome)}, {"finding", f.finding}, {"source", f.source},
            {"regulator", f.regulator}, {"by", to_json(f.by)}, {"at", format_instant(f.at)}};
}
}  // namespace

json to_json(const HistoryEntry& h) {
    return {{"seq", h.seq},         {"action", to_code(h.action)}, {"from", to_code(h.from)}, {"to", to_code(h.to)},
            {"actor", to_json(h.actor)}, {"at", format_instant(h.at)}, {"reason", h.reason},    {"data", h.data}};
}

json to_json(const Case& c) {
    json checklist = json::array();
    for (const auto& e : c.checklist.entries) {
        json j = {{"material_code", e.material_code},
                  {"name", e.name},
                  {"necessity", to_code(e.necessity)},
                  {"form", to_code(e.form)},
                  {"originals", e.originals},
                  {"copies", e.copies},
                  {"source", to_code(e.source)},
                  {"commitment_allowed", e.commitment_allowed},
                  {"serves_items", e.serves_items},
                  {"status", to_code(e.status)},
                  {"promised_by", opt_date(e.promised_by)},
                  {"fulfilled_at", opt_instant(e.fulfilled_at)},
                  {"note", e.note}};
        if (!e.blob_sha256.empty()) j["blob_sha256"] = e.blob_sha256;
        if (e.breach) j["breach"] = finding_json(*e.breach);
        if (e.via != MaterialVia::window) j["via"] = to_code(e.via);
        if (!e.tracking_no.empty()) {
            j["carrier"] = e.carrier;
            j["tracking_no"] = e.tracking_no;
        }
        if (e.original_check)
            j["original_check"] = {{"match", e.original_check->match}, {"note", e.original_check->note},
                                   {"by", to_json(e.original_check->by)}, {"at", format_instant(e.original_check->at)}};
        checklist.push_back(std::move(j));
    }
    json commitments = json::array();
    for (const auto& cm : c.commitments) {
        json x = {{"material_code", cm.material_code}, {"text", cm.text}, {"at", format_instant(cm.at)},
                  {"kind", to_code(cm.kind)}, {"check_due", opt_date(cm.check_due)}};
        if (cm.finding) x["finding"] = finding_json(*cm.finding);
        commitments.push_back(std::move(x));
    }
    json procedures = json::array();
    for (const auto& p : c.special_procedures)
        procedures.push_back({{"kind", to_code(p.kind)}, {"reason", p.reason}, {"started", format_date(p.started)},
                              {"ended", opt_date(p.ended)}, {"result", p.result}});
    json pauses = json::array();
    for (const auto& p : c.pauses) pauses.push_back({{"from", format_date(p.from)}, {"to", format_date(p.to)}});
    json history = json::array();
    for (const auto& h : c.history) history.push_back(to_json(h));

    json j = {{"id", c.id.to_string()},
              {"receipt_no", c.receipt_no},
              {"platform_case_no", c.platform_case_no},
              {"item_code", c.item_code},
              {"item_name", c.item_name},
              {"bundle_code", c.bundle_code},
              {"kind", to_code(c.kind)},
              {"legal_limit_days", c.legal_limit_days},
              {"promised_limit_days", c.promised_limit_days},
              {"form_version", c.form_version},
              {"answers", c.answers},
              {"applicant", to_json(c.applicant)},
              {"state", to_code(c.state)},
              {"checklist", checklist},
              {"commitments", commitments},
              {"special_procedures", procedures},
              {"pauses", pauses},
              {"received_at", opt_instant(c.received_at)},
              {"accepted_at", opt_instant(c.accepted_at)},
              {"due_date", opt_date(c.due_date)},
              {"promised_provisional", c.promised_provisional},
              {"refusal_reason", c.refusal_reason},
              {"refusal_basis", c.refusal_basis},
              {"escalated_to", c.escalated_to},
              {"decision", nullptr},
              {"handover", nullptr},
              {"rating", nullptr},
              {"history", history}};
    if (!c.countersign_items.empty()) {
        json cs = json::array();
        for (const auto& x : c.countersigns)
            cs.push_back({{"item", x.item}, {"approved", x.approved}, {"opinion", x.opinion}, {"by", to_json(x.by)}, {"at", format_instant(x.at)}});
        j["countersign_items"] = c.countersign_items;
        j["countersigns"] = cs;
    }
    if (c.decision)
        j["decision"] = {{"approved", c.decision->approved}, {"opinion", c.decision->opinion},
                         {"legal_basis", c.decision->legal_basis}, {"by", to_json(c.decision->by)},
                         {"at", format_instant(c.decision->at)}};
    if (c.handover)
        j["handover"] = {{"mode", detail::enum_name(kHandover, c.handover->mode, 0)}, {"recipient", c.handover->recipient},
                         {"address", c.handover->address}, {"carrier", c.handover->carrier},
                         {"tracking_no", c.handover->tracking_no}, {"at", format_instant(c.handover->at)}};
    // Limits in hours (issue 21): written only when present, so other cases keep their shape.
    if (c.promised_limit_minutes > 0) j["promised_limit_minutes"] = c.promised_limit_minutes;
    if (!c.opening_hours.empty()) j["opening_hours"] = c.opening_hours;
    if (c.due_at) j["due_at"] = format_instant(*c.due_at);
    if (!c.green_flags.empty()) {
        json g = json::array();
        for (auto f : c.green_flags) g.push_back(to_code(f));
        j["green_flags"] = g;
    }
    if (c.cross_region)
        j["cross_region"] = {{"region_code", c.cross_region->region_code}, {"region", c.cross_region->region},
                             {"authority", c.cross_region->authority}};
    if (c.credit)
        j["credit"] = {{"standing", c.credit->standing}, {"source", c.credit->source}, {"report_no", c.credit->report_no},
                       {"checked_at", format_instant(c.credit->checked_at)}};
    if (c.revocation)
        j["revocation"] = {{"reason", c.revocation->reason}, {"by", to_json(c.revocation->by)}, {"at", format_instant(c.revocation->at)}};
    if (c.channel != Channel::window) j["channel"] = to_code(c.channel);
    if (!c.application_id.empty()) j["application_id"] = c.application_id;
    if (c.acceptance_due) j["acceptance_due"] = format_date(*c.acceptance_due);
    if (!c.urges.empty()) {
        json us = json::array();
        for (const auto& u : c.urges)
            us.push_back({{"to", u.to}, {"reason", u.reason}, {"by", to_json(u.by)}, {"at", format_instant(u.at)}});
        j["urges"] = us;
    }
    if (c.remote_call) {
        json rc = {{"department", c.remote_call->department}, {"contact", c.remote_call->contact},
                   {"called_at", format_instant(c.remote_call->called_at)}, {"due_at", format_instant(c.remote_call->due_at)}};
        if (c.remote_call->answered_at) {
            rc["answered_at"] = format_instant(*c.remote_call->answered_at);
            rc["answered_by"] = to_json(c.remote_call->answered_by);
        }
        j["remote_call"] = rc;
    }
    if (c.assistance)
        j["assistance"] = {{"mode", to_code(c.assistance->mode)}, {"helper", c.assistance->helper},
                           {"helper_name", c.assistance->helper_name}, {"note", c.assistance->note},
                           {"by", to_json(c.assistance->by)}, {"since", format_instant(c.assistance->since)}};
    if (!c.fees.empty()) {
        json fees = json::array();
        for (const auto& f : c.fees) {
            json x = {{"item_code", f.item_code}, {"name", f.name}, {"amount_fen", f.amount_fen}, {"basis", f.basis},
                      {"status", to_code(f.status)}};
            if (f.settled()) {
                x["at"] = opt_instant(f.at);
                x["by"] = to_json(f.by);
                x["reason"] = f.reason;
            }
            if (f.status == FeeStatus::paid) {
                x["paid_fen"] = f.paid_fen;
                x["method"] = to_code(f.method);
                x["payment_no"] = f.payment_no;
                x["bill_no"] = f.bill_no;
                x["payer"] = f.payer;
            }
            if (f.status == FeeStatus::waived) x["waiver_basis"] = f.waiver_basis;
            fees.push_back(std::move(x));
        }
        j["fees"] = std::move(fees);
    }
    if (c.rating)
        j["rating"] = {{"level", int(c.rating->level)}, {"channel", c.rating->channel}, {"comment", c.rating->comment},
                       {"reason", c.rating->reason}, {"at", format_instant(c.rating->at)},
                       {"follow_up_due", opt_date(c.rating->follow_up_due)}, {"hotline_ticket", c.rating->hotline_ticket}};
    return j;
}

namespace {

// Readers of nested objects take the parent's JsonReader so that errors carry the full JSON
// pointer (e.g. "/history/3/actor/role"), not a pointer relative to the nested object.
Actor read_actor(const JsonReader& r) {
    r.object();
    Actor a;
    a.user_id = r.str("user_id");
    a.role = detail::read_enum(r, "role", kRoles);
    a.post = detail::read_enum(r, "post", kPosts, std::optional<Post>(Post::none));
    a.acting_for = r.str_or("acting_for", "");
    return a;
}

FollowUpFinding read_finding(const JsonReader& r) {
    r.object();
    FollowUpFinding f;
    f.result = detail::read_enum(r, "result", kFollowUpResults);
    f.outcome = detail::read_enum(r, "outcome", kBreachOutcomes, std::optional<BreachOutcome>(BreachOutcome::none));
    f.finding = r.str_or("finding", "");
    f.source = r.str_or("source", "window");
    f.regulator = r.str_or("regulator", "");
    f.by = read_actor(r.at("by"));
    f.at = r.instant("at");
    return f;
}

Applicant read_applicant(const JsonReader& r) {
    r.object();
    Applicant a;
    a.kind = detail::read_enum(r, "kind", kApplicantKinds, std::optional<ApplicantKind>(ApplicantKind::person));
    a.name = r.str("name");
    auto dt = document_type_from_code(int(r.int64_or("doc_type", 111, 0, 999)));
    if (!dt) r.fail_at("doc_type", "unknown document type code");
    a.doc_type = *dt;
    a.doc_number = r.str_or("doc_number", "");
    a.phone = r.str_or("phone", "");
    a.address = r.str_or("address", "");
    a.postal_code = r.str_or("postal_code", "");
    a.legal_representative = r.str_or("legal_representative", "");
    a.agent_name = r.str_or("agent_name", "");
    a.agent_doc_number = r.str_or("agent_doc_number", "");
    auto adt = document_type_from_code(int(r.int64_or("agent_doc_type", 111, 0, 999)));
    if (!adt) r.fail_at("agent_doc_type", "unknown document type code");
    a.agent_doc_type = *adt;
    a.agent_phone = r.str_or("agent_phone", "");
    a.agent_relation = r.str_or("agent_relation", "");
    return a;
}

/// An optional catalogue enum code (fallback when absent); errors name the member.
template <class E>
E read_code(const JsonReader& r, const char* key, const char* fallback) {
    std::string code = r.str_or(key, fallback);
    try {
        return from_code<E>(code);
    } catch (const InvalidData& e) {
        r.fail_at(key, e.what());
    }
}

}  // namespace

Actor actor_from_json(const json& j, const std::string& source) { return read_actor(JsonReader(j, source)); }

Applicant applicant_from_json(const json& j, const std::string& source) { return read_applicant(JsonReader(j, source)); }

Case case_from_json(const json& j, const std::string& source) {
    JsonReader r(j, source);
    r.object();
    Case c;
    auto id = Uuid::parse(r.str("id"));
    if (!id) r.fail_at("id", "not a UUID");
    c.id = *id;
    c.receipt_no = r.str_or("receipt_no", "");
    c.platform_case_no = r.str_or("platform_case_no", "");
    c.item_code = r.str("item_code");
    c.item_name = r.str_or("item_name", "");
    c.bundle_code = r.str_or("bundle_code", "");
    try {
        c.kind = from_code<ItemKind>(r.str_or("kind", "promised"));
    } catch (const InvalidData& e) {
        r.fail_at("kind", e.what());
    }
    c.legal_limit_days = int(r.int64_or("legal_limit_days", 0, 0, 3650));
    c.promised_limit_days = int(r.int64_or("promised_limit_days", 0, 0, 3650));
    c.form_version = r.str_or("form_version", "");
    if (r.has("answers")) c.answers = r.at("answers").object().value();
    c.applicant = read_applicant(r.at("applicant"));
    c.state = detail::read_enum(r, "state", kStates, std::optional<CaseState>(CaseState::draft));

    if (r.has("checklist")) {
        JsonReader cl = r.at("checklist");
        cl.array();
        for (std::size_t i = 0; i < cl.size(); ++i) {
            JsonReader m = cl.at(i);
            m.object();
            ChecklistEntry e;
            e.material_code = m.str("material_code");
            e.name = m.str("name");
            e.necessity = read_code<Necessity>(m, "necessity", "required");
            e.form = read_code<MaterialForm>(m, "form", "original");
            e.source = read_code<MaterialSource>(m, "source", "applicant");
            e.originals = int(m.int64_or("originals", 0, 0, 99));
            e.copies = int(m.int64_or("copies", 0, 0, 99));
            e.commitment_allowed = m.boolean_or("commitment_allowed", false);
            e.serves_items = m.strings_or_empty("serves_items");
            e.status = detail::read_enum(m, "status", kMaterialStatus, std::optional<MaterialStatus>(MaterialStatus::pending));
            e.promised_by = m.date_opt("promised_by");
            e.fulfilled_at = m.instant_opt("fulfilled_at");
            e.note = m.str_or("note", "");
            e.blob_sha256 = m.str_or("blob_sha256", "");
            if (m.has("breach")) e.breach = read_finding(m.at("breach"));
            e.via = detail::read_enum(m, "via", kMaterialVia, std::optional<MaterialVia>(MaterialVia::window));
            e.carrier = m.str_or("carrier", "");
            e.tracking_no = m.str_or("tracking_no", "");
            if (m.has("original_check")) {
                JsonReader oc = m.at("original_check");
                oc.object();
                e.original_check = OriginalCheck{oc.boolean_or("match", false), oc.str_or("note", ""), read_actor(oc.at("by")), oc.instant("at")};
            }
            c.checklist.entries.push_back(std::move(e));
        }
    }
    if (r.has("fees")) {
        JsonReader fs = r.at("fees");
        fs.array();
        for (std::size_t i = 0; i < fs.size(); ++i) {
            JsonReader m = fs.at(i);
            m.object();
            CaseFee f;
            f.item_code = m.str_or("item_code", "");
            f.name = m.str("name");
            f.amount_fen = m.int64_or("amount_fen", 0, 0, 10'000'000'000LL);
            f.basis = m.str_or("basis", "");
            f.status = detail::read_enum(m, "status", kFeeStatus, std::optional<FeeStatus>(FeeStatus::due));
            if (f.settled()) {
                f.at = m.instant_opt("at");
                if (m.has("by")) f.by = read_actor(m.at("by"));
                f.reason = m.str_or("reason", "");
            }
            if (f.status == FeeStatus::paid) {
                f.paid_fen = m.int64_or("paid_fen", 0, 0, 10'000'000'000LL);
                f.method = detail::read_enum(m, "method", kPaymentMethods, std::optional<PaymentMethod>(PaymentMethod::other));
                f.payment_no = m.str_or("payment_no", "");
                f.bill_no = m.str_or("bill_no", "");
                f.payer = m.str_or("payer", "");
            }
            if (f.status == FeeStatus::waived) f.waiver_basis = m.str_or("waiver_basis", "");
            c.fees.push_back(std::move(f));
        }
    }
    if (r.has("commitments")) {
        JsonReader cs = r.at("commitments");
        cs.array();
        for (std::size_t i = 0; i < cs.size(); ++i) {
            JsonReader m = cs.at(i);
            m.object();
            Commitment cm;
            cm.material_code = m.str_or("material_code", "");
            cm.text = m.str("text");
            cm.at = m.instant("at");
            cm.kind = detail::read_enum(m, "kind", kCommitmentKinds,
                                        std::optional<CommitmentKind>(cm.material_code.empty() ? CommitmentKind::item : CommitmentKind::material));
            cm.check_due = m.date_opt("check_due");
            if (m.has("finding")) cm.finding = read_finding(m.at("finding"));
            c.commitments.push_back(std::move(cm));
        }
    }
    if (r.has("special_procedures")) {
        JsonReader ps = r.at("special_procedures");
        ps.array();
        for (std::size_t i = 0; i < ps.size(); ++i) {
            JsonReader m = ps.at(i);
            m.object();
            SpecialProcedure p;
            p.kind = detail::read_enum(m, "kind", kProcedures);
            p.reason = m.str_or("reason", "");
            p.started = m.date("started");
            p.ended = m.date_opt("ended");
            p.result = m.str_or("result", "");
            c.special_procedures.push_back(std::move(p));
        }
    }
    if (r.has("pauses")) {
        JsonReader ps = r.at("pauses");
        ps.array();
        for (std::size_t i = 0; i < ps.size(); ++i) {
            JsonReader m = ps.at(i);
            m.object();
            c.pauses.push_back({m.date("from"), m.date("to")});
        }
    }
    c.received_at = r.instant_opt("received_at");
    c.accepted_at = r.instant_opt("accepted_at");
    c.due_date = r.date_opt("due_date");
    c.promised_provisional = r.boolean_or("promised_provisional", false);
    c.promised_limit_minutes = int(r.int64_or("promised_limit_minutes", 0, 0, 24 * 60));
    c.opening_hours = r.str_or("opening_hours", "");
    if (!c.opening_hours.empty()) try {
            c.opening_hours = OpeningHours::parse(c.opening_hours).text();
        } catch (const InvalidData& x) {
            r.fail_at("opening_hours", x.what());
        }
    c.due_at = r.instant_opt("due_at");
    c.refusal_reason = r.str_or("refusal_reason", "");
    c.refusal_basis = r.str_or("refusal_basis", "");
    c.escalated_to = r.str_or("escalated_to", "");
    if (r.has("decision")) {
        JsonReader d = r.at("decision");
        d.object();
        Decision dec;
        dec.approved = d.boolean_or("approved", false);
        dec.opinion = d.str_or("opinion", "");
        dec.legal_basis = d.str_or("legal_basis", "");
        dec.by = read_actor(d.at("by"));
        dec.at = d.instant("at");
        c.decision = dec;
    }
    for (const auto& g : r.strings_or_empty("green_flags")) {
        auto f = parse_green_flag(g);
        if (!f) r.fail_at("green_flags", "unknown flag '" + g + "'");
        c.green_flags.push_back(*f);
    }
    if (r.has("cross_region")) {
        JsonReader x = r.at("cross_region");
        x.object();
        c.cross_region = CrossRegion{x.str("region_code"), x.str("region"), x.str("authority")};
    }
    if (r.has("credit")) {
        JsonReader x = r.at("credit");
        x.object();
        c.credit = CreditCheck{x.str("standing"), x.str_or("source", ""), x.str_or("report_no", ""), x.instant("checked_at")};
    }
    if (r.has("revocation")) {
        JsonReader x = r.at("revocation");
        x.object();
        c.revocation = Revocation{x.str_or("reason", ""), read_actor(x.at("by")), x.instant("at")};
    }
    c.channel = detail::read_enum(r, "channel", kChannels, std::optional<Channel>(Channel::window));
    c.application_id = r.str_or("application_id", "");
    c.acceptance_due = r.date_opt("acceptance_due");
    if (r.has("urges")) {
        JsonReader us = r.at("urges");
        us.array();
        for (std::size_t i = 0; i < us.size(); ++i) {
            JsonReader u = us.at(i);
            u.object();
            c.urges.push_back(Urge{u.str("to"), u.str_or("reason", ""), read_actor(u.at("by")), u.instant("at")});
        }
    }
    if (r.has("remote_call")) {
        JsonReader x = r.at("remote_call");
        x.object();
        RemoteCall call;
        call.department = x.str("department");
        call.contact = x.str_or("contact", "");
        call.called_at = x.instant("called_at");
        call.due_at = x.instant("due_at");
        if (x.has("answered_at")) {
            call.answered_at = x.instant("answered_at");
            call.answered_by = read_actor(x.at("answered_by"));
        }
        c.remote_call = std::move(call);
    }
    if (r.has("assistance")) {
        JsonReader x = r.at("assistance");
        x.object();
        Assistance as;
        as.mode = detail::read_enum(x, "mode", kAssistModes);
        as.helper = x.str("helper");
        as.helper_name = x.str_or("helper_name", "");
        as.note = x.str_or("note", "");
        as.by = read_actor(x.at("by"));
        as.since = x.instant("since");
        c.assistance = std::move(as);
    }
    c.countersign_items = r.strings_or_empty("countersign_items");
    if (r.has("countersigns")) {
        JsonReader cs = r.at("countersigns");
        cs.array();
        for (std::size_t i = 0; i < cs.size(); ++i) {
            JsonReader m = cs.at(i);
            m.object();
            c.countersigns.push_back({m.str("item"), m.boolean_or("approved", false), m.str_or("opinion", ""), read_actor(m.at("by")), m.instant("at")});
        }
    }
    if (r.has("handover")) {
        JsonReader h = r.at("handover");
        h.object();
        ResultHandover ho;
        ho.mode = detail::read_enum(h, "mode", kHandover);
        ho.recipient = h.str_or("recipient", "");
        ho.address = h.str_or("address", "");
        ho.carrier = h.str_or("carrier", "");
        ho.tracking_no = h.str_or("tracking_no", "");
        ho.at = h.instant("at");
        c.handover = ho;
    }
    if (r.has("rating")) {
        JsonReader rt = r.at("rating");
        rt.object();
        Rating ra;
        ra.level = RatingLevel(rt.int64("level", 1, 5));
        ra.channel = rt.str_or("channel", "");
        ra.comment = rt.str_or("comment", "");
        ra.reason = rt.str_or("reason", "");
        ra.at = rt.instant("at");
        ra.follow_up_due = rt.date_opt("follow_up_due");
        ra.hotline_ticket = rt.str_or("hotline_ticket", "");
        c.rating = ra;
    }
    if (r.has("history")) {
        JsonReader hs = r.at("history");
        hs.array();
        for (std::size_t i = 0; i < hs.size(); ++i) {
            JsonReader m = hs.at(i);
            m.object();
            HistoryEntry h;
            h.seq = std::uint32_t(m.int64("seq", 1, 1'000'000));
            h.action = detail::read_enum(m, "action", kActions);
            h.from = detail::read_enum(m, "from", kStates);
            h.to = detail::read_enum(m, "to", kStates);
            h.actor = read_actor(m.at("actor"));
            h.at = m.instant("at");
            h.reason = m.str_or("reason", "");
            if (m.has("data")) h.data = m.at("data").value();
            c.history.push_back(std::move(h));
        }
    }
    return c;
}

}  // namespace ow::core
