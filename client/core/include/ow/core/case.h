// A case (办件) and its lifecycle, as an explicit state machine.
//
//   draft → received → accepted | refused | correction_requested
//   correction_requested → received (the applicant returns; or back to under_review when the
//                          correction was asked for after acceptance)
//   accepted → under_review | escalated;  under_review → approved | denied | escalated |
//   correction_requested;  escalated → approved | denied
//   approved | denied → result_issued → rated → archived;  result_issued | refused → archived
//
// Besides state changes, events record deferred materials (容缺) and their fulfilment,
// commitments (告知承诺), material checks at intake, and special procedures that pause the clock.
// Every event records its actor (user id, post A/B, acting-for), time and reason in the history.
// An event that is not allowed in the current state throws IllegalTransition; one the actor may
// not perform throws NotAuthorised; bad event data throws InvalidData. A failed event leaves the
// case unchanged (strong guarantee).
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/core/date.h"
#include "ow/core/error.h"
#include "ow/core/ids.h"
#include "ow/core/validators.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::core {

enum class CaseState {
    draft, received, accepted, refused, correction_requested, under_review, escalated,
    approved, denied, result_issued, rated, archived,
};

enum class CaseAction {
    // state changes
    receive, accept, refuse, request_correction, resubmit, start_review, escalate,
    approve, deny, issue_result, rate, archive,
    // events within a state
    mark_material, defer_material, fulfil_material, record_commitment,
    start_special_procedure, end_special_procedure,
    // the promised date computed again (an official calendar year replaced a provisional one)
    recompute_due,
    // intake: the applicant identified; the form answered (with the checklist its answers call for)
    set_applicant, answer_form,
    // one part's decision of a case that needs several (联合审批会签: a bundle's items)
    countersign,
    // a green-channel flag (绿色通道: elderly, disabled, key project) set or cleared
    flag_green,
    // a fee of the case paid or waived (收费 / 减免; GB/T 39046 支付)
    record_fee,
    // 帮办代办: the applicant's agent (代理人, with the 委托书) set or cleared; a staff helper
    // (帮办 / 代办 / the enterprise's contact clerk, 一企一员) assigned or ended
    set_agent, assist,
    // 事中事后核查: a commitment (告知承诺 / 信即办) or a deferred material (容缺) followed up —
    // fulfilled or breached (then the approval revoked, or the matter referred), at the window or
    // by the regulator (审管联动: its finding arrives through the platform)
    verify_follow_up,
    // 原件核验: an online application's originals compared with the uploads when the applicant comes
    verify_originals,
    // 催办: the window urges the back office (or a remote department) on a late case
    urge,
};

/// Green-channel flags (绿色通道): 老年人, 残疾人, 重点项目, and for the applicants the policy papers
/// name beside them (老弱病残孕): 伤病 (ill or frail), 孕妇 (pregnant). A flagged case comes first in
/// every work queue it is in, and its notices say so.
enum class GreenFlag { elderly, disabled, key_project, ill, pregnant };

enum class Role { clerk, chief, admin, platform };
/// 首席代表 A岗 / B岗; none for other staff.
enum class Post { none, A, B };

struct Actor {
    std::string user_id;
    Role role = Role::clerk;
    Post post = Post::none;
    std::string acting_for;  // when a B post acts while A is absent: A's user id
    bool operator==(const Actor&) const = default;
};

enum class MaterialStatus {
    pending,            // not yet checked
    original_received,  // 原件已收
    copy_received,      // 复印件已收
    scanned,            // 已扫描
    e_licence,          // 电子证照 fetched
    deferred,           // 容缺, to be delivered by promised_by
    commitment,         // 告知承诺 instead of the material
    not_applicable,     // 不适用 (its condition does not hold)
    missing,            // 缺
    defective,          // 有误 / 不符合要求
};

/// 核查 of a commitment or a deferred material: kept, or broken — then the approval revoked
/// (撤销, a chief representative or the platform) or the matter referred (移送: to the regulator's
/// enforcement and the credit record).
enum class FollowUpResult { fulfilled, breached };
enum class BreachOutcome { none, revoked, referred };

struct FollowUpFinding {
    FollowUpResult result = FollowUpResult::fulfilled;
    BreachOutcome outcome = BreachOutcome::none;
    std::string finding;    // what was found (现场核查 …)
    std::string source;     // "window" or "regulator" (审管联动, through the platform)
    std::string regulator;  // the regulating body, when the regulator found it
    Actor by;
    Instant at{};
};

/// How a material reached the case: at the window, uploaded with an online application (网上申报),
/// or by post (邮寄, logged with the carrier's tracking number).
enum class MaterialVia { window, online, post };

/// 原件核验: the original the applicant brought compared with the electronic copy uploaded online.
struct OriginalCheck {
    bool match = true;
    std::string note;  // what differs (required for a mismatch)
    Actor by;
    Instant at{};
};

struct ChecklistEntry {
    std::string material_code;
    std::string name;
    Necessity necessity = Necessity::required;
    MaterialForm form = MaterialForm::original;
    int originals = 0;
    int copies = 0;
    MaterialSource source = MaterialSource::applicant;
    bool commitment_allowed = false;
    std::vector<std::string> serves_items;  // item codes (for bundles)
    MaterialStatus status = MaterialStatus::pending;
    std::optional<Date> promised_by;        // deferred: promised delivery date
    std::optional<Instant> fulfilled_at;    // deferred: when it was delivered
    std::string note;                       // what is wrong / what to bring
    std::string blob_sha256;                // a scan, content-addressed
    /// deferred and not delivered: the follow-up that found it breached (the material is then missing)
    std::optional<FollowUpFinding> breach;
    MaterialVia via = MaterialVia::window;  // how it came (mark_material / fulfil_material data.via)
    std::string carrier;                    // post: the carrier (EMS, 顺丰 …)
    std::string tracking_no;                // post: the waybill number
    /// An online upload's original compared (verify_originals); the last comparison counts.
    std::optional<OriginalCheck> original_check;

    /// Counts as present for acceptance (received, e-licence, commitment, or not applicable).
    bool satisfied() const;
};

struct Checklist {
    std::vector<ChecklistEntry> entries;

    /// Every material of the item, pending.
    static Checklist from_item(const ServiceItem& item);
    ChecklistEntry* find(std::string_view code);
    const ChecklistEntry* find(std::string_view code) const;
    /// Materials that block acceptance: required / deferrable ones neither satisfied nor deferred
    /// (deferrable only). Optional materials never block.
    std::vector<const ChecklistEntry*> blocking() const;
    /// Deferred materials not yet delivered.
    std::vector<const ChecklistEntry*> outstanding_deferred() const;
};

/// How a fee of the case stands (收费): due until it is paid, or waived (减免) by a chief representative.
enum class FeeStatus { due, paid, waived };

/// GB/T 39046 支付方式, as the window records it (the platform's codes are mapped in sync): cash,
/// a bank card at the POS, WeChat Pay, Alipay, UnionPay QR (云闪付), a bank transfer, the platform's
/// unified online payment (统一公共支付平台), other.
enum class PaymentMethod { cash, bank_card, wechat, alipay, unionpay, transfer, online, other };

/// One fee the case is charged (the item's 收费 from the catalogue, copied when the case is made:
/// the fee in force when the application was taken). A bundle's case carries every part's fees.
struct CaseFee {
    std::string item_code;        // the item that charges it; with `name`, the fee's key on the case
    std::string name;             // 收费项目名称 (the catalogue's)
    std::int64_t amount_fen = 0;  // as charged by the catalogue, in fen
    std::string basis;            // 收费依据
    FeeStatus status = FeeStatus::due;
    // paid / waived:
    std::int64_t paid_fen = 0;    // paid: the amount collected (differs from amount_fen only with a reason)
    PaymentMethod method = PaymentMethod::cash;
    std::string payment_no;       // paid: 支付编号 (the terminal's or platform's transaction number; none for cash)
    std::string bill_no;          // paid: 票据号 of the 非税收入 bill, when one was issued
    std::string payer;            // paid: who paid (default: the applicant)
    std::string reason;           // waived: why; paid: why the amount differs from the catalogue's
    std::string waiver_basis;     // waived: the legal basis or document of the waiver
    std::optional<Instant> at;    // when it was paid or waived
    Actor by;                     // who recorded it
    bool settled() const { return status != FeeStatus::due; }
    /// A catalogue fee of `item_code`, due.
    static CaseFee charged(const std::string& item_code, const Fee& fee);
};

enum class ApplicantKind { person, organisation };

struct Applicant {
    ApplicantKind kind = ApplicantKind::person;
    std::string name;
    DocumentType doc_type = DocumentType::resident_id;
    std::string doc_number;  // resident ID, passport …; USCC for organisations
    std::string phone;
    std::string address;
    std::string postal_code;
    std::string legal_representative;  // organisations
    // 代理人 (受托人), when someone files on the applicant's behalf (set_agent): the agent's ID, phone,
    // and relation to the applicant (e.g. 亲属, 员工, 中介机构). The case then asks for the 授权委托书
    // and the agent's ID as materials (kAgentMandateMaterial, kAgentIdMaterial).
    std::string agent_name;
    std::string agent_doc_number;
    DocumentType agent_doc_type = DocumentType::resident_id;
    std::string agent_phone;
    std::string agent_relation;
    bool has_agent() const { return !agent_name.empty(); }
};

/// The materials a case with an agent asks for, besides the item's: 授权委托书 (the power of
/// attorney, signed by the applicant) and 受托人身份证件 (the agent's ID, shown in original).
inline constexpr const char* kAgentMandateMaterial = "AGENT-MANDATE";
inline constexpr const char* kAgentIdMaterial = "AGENT-ID";

/// 帮办代办: how a member of staff helps the applicant. help — 帮办, helps at the window (fills in the
/// forms, explains); agency — 代办, handles the case on the applicant's behalf to the end (全程代办);
/// contact — the enterprise's contact clerk (一企一员), who follows every case of that enterprise.
/// Free of charge in every mode.
enum class AssistMode { help, agency, contact };

/// The helper of a case (assist event): a user of this terminal's store.
struct Assistance {
    AssistMode mode = AssistMode::help;
    std::string helper;       // user id
    std::string helper_name;  // display name at the time
    std::string note;
    Actor by;                 // who assigned the helper
    Instant since{};
};

enum class SpecialProcedureKind { extension, hearing, inspection, appraisal, expert_review, other };

struct SpecialProcedure {
    SpecialProcedureKind kind = SpecialProcedureKind::other;
    std::string reason;
    Date started{};
    std::optional<Date> ended;
    std::string result;
};

/// 告知承诺 instead of a material (material_code), on the item's conditions (告知承诺制 items), or
/// 信即办's written credit commitment in place of the applicant's materials (credit).
enum class CommitmentKind { material, item, credit };

struct Commitment {
    std::string material_code;  // empty: a commitment on the conditions of the whole item, or credit
    std::string text;
    Instant at{};
    CommitmentKind kind = CommitmentKind::material;
    std::optional<Date> check_due;          // verified (事中事后核查) by then; none for old records
    std::optional<FollowUpFinding> finding;  // none: pending
};

/// The applicant's credit standing as the platform's credit service answered it for 信即办.
struct CreditCheck {
    std::string standing;   // good | ordinary | poor | dishonest (信用良好 / 一般 / 较差 / 失信)
    std::string source;     // e.g. 信用中国（训练平台）
    std::string report_no;  // the answer's reference
    Instant checked_at{};
};

/// 催办: the window urged whoever holds a late case (the back office, a remote department).
struct Urge {
    std::string to;      // whom: a department, 后台审批 …
    std::string reason;  // why (e.g. 已超承诺时限)
    Actor by;
    Instant at{};
};

/// 行政许可法 art. 32: an application received (接件, not on the spot) is accepted, refused or
/// answered with the one-time notice within 5 days (working days here) of its receipt.
inline constexpr int kAcceptanceDecisionDays = 5;

/// How the application came (GB/T 39046 办理形式): at the window, or online (PC, mobile).
enum class Channel { window, pc, mobile };

/// The approval revoked after a breach (撤销准予许可决定).
struct Revocation {
    std::string reason;
    Actor by;
    Instant at{};
};

/// 事进人不进: the item's department has no one in the hall, so acceptance called its chief
/// representative (accept's data.remote_call {department, contact, due_at}), who must take the case
/// up by due_at. Answered by the first act of a chief representative or the platform after the
/// call (review started, a decision, a countersignature, an escalation, a correction asked, a
/// special procedure).
struct RemoteCall {
    std::string department;
    std::string contact;
    Instant called_at{};
    Instant due_at{};
    std::optional<Instant> answered_at;
    Actor answered_by;
    bool answered() const { return answered_at.has_value(); }
};

/// GB/T 39046 满意度 order: 1 非常满意 … 5 非常不满意 (provincial interfaces may reverse it: map in sync).
enum class RatingLevel { very_satisfied = 1, satisfied = 2, basically_satisfied = 3, dissatisfied = 4, very_dissatisfied = 5 };

struct Rating {
    RatingLevel level = RatingLevel::satisfied;
    std::string channel;  // window_device, pc, mobile, qr, phone, sms …
    std::string comment;
    std::string reason;   // required for a bad rating
    Instant at{};
    std::optional<Date> follow_up_due;  // a bad rating's follow-up (回访整改) is due by then
    std::string hotline_ticket;         // 12345 hotline ticket number, when the complaint came that way
    bool bad() const { return level == RatingLevel::dissatisfied || level == RatingLevel::very_dissatisfied; }
};

struct Decision {
    bool approved = false;
    std::string opinion;
    std::string legal_basis;
    Actor by;
    Instant at{};
};

/// One part's decision when a case needs several (a bundle: one per item, 会签).
struct Countersign {
    std::string item;  // the part's item code
    bool approved = false;
    std::string opinion;
    Actor by;
    Instant at{};
};

struct ResultHandover {
    enum class Mode { pickup, mail } mode = Mode::pickup;
    std::string recipient;
    std::string address;
    std::string carrier;
    std::string tracking_no;
    Instant at{};
};

/// One event as requested. `data` holds action-specific fields (see docs/architecture.md, "Case
/// events"): e.g. mark_material {material_code, status, note}, defer_material {material_code,
/// promised_by}, issue_result {mode, recipient, carrier, tracking_no}, rate {level, channel, reason},
/// set_applicant {applicant}, answer_form {form_version, answers, checklist?}, countersign {item,
/// approved}. Callers outside ow_core build events through ow_workflow's typed commands.
struct CaseEvent {
    CaseAction action;
    Actor actor;
    Instant at{};
    std::string reason;
    nlohmann::json data = nlohmann::json::object();
};

struct HistoryEntry {
    std::uint32_t seq = 0;  // 1, 2, … within the case
    CaseAction action;
    CaseState from;
    CaseState to;
    Actor actor;
    Instant at{};
    std::string reason;
    nlohmann::json data;
};

struct Case {
    Uuid id;
    std::string receipt_no;        // local printable receipt number
    std::string platform_case_no;  // 办件编号, once the platform assigned one
    std::string item_code;
    std::string item_name;
    std::string bundle_code;       // when filed as part of a bundle
    ItemKind kind = ItemKind::promised;
    int legal_limit_days = 0;
    int promised_limit_days = 0;
    /// The item's limit in hours of opening time, in minutes (ItemSpec::promised_limit_minutes); 0: none.
    int promised_limit_minutes = 0;
    std::string form_version;      // definition version the answers were given against
    nlohmann::json answers = nlohmann::json::object();
    Applicant applicant;
    CaseState state = CaseState::draft;
    Checklist checklist;
    std::vector<Commitment> commitments;
    std::vector<SpecialProcedure> special_procedures;
    std::vector<DateInterval> pauses;  // days not counted (correction after acceptance, procedures)
    std::optional<Instant> received_at;
    std::optional<Instant> accepted_at;
    std::optional<Date> due_date;      // promised date, kept current as pauses close
    bool promised_provisional = false; // due_date rests on a provisional calendar year (预计)
    /// The opening hours in force when the case was accepted ("09:00-12:00,13:30-17:00", from the
    /// accept event's data.opening_hours), kept for computing due_at again; empty without an hours limit.
    std::string opening_hours;
    /// The promised instant of a limit in hours: promised_limit_minutes of opening_hours after
    /// acceptance (WorkCalendar::add_working_minutes). None without an hours limit, when the accept
    /// event carried no opening hours, and once the clock stopped (a correction asked after
    /// acceptance, a special procedure): the case then keeps to due_date, its limit in days.
    std::optional<Instant> due_at;
    std::string refusal_reason;
    std::string refusal_basis;
    std::string escalated_to;
    std::optional<Decision> decision;
    std::vector<std::string> countersign_items;  // parts that each need a decision (bundles); empty: one decision
    std::vector<Countersign> countersigns;
    std::optional<ResultHandover> handover;
    std::optional<Rating> rating;
    std::vector<GreenFlag> green_flags;       // 绿色通道, in enum order, each at most once
    /// 帮办代办: the member of staff who helps with or handles the case, while one does.
    std::optional<Assistance> assistance;
    /// 收费: the fees charged (the item's, or every part's for a bundle); empty: free of charge.
    /// An approved case's result is issued only when each is paid or waived.
    std::vector<CaseFee> fees;
    /// 通办: the case was sent through the platform to the authority of another region, which
    /// decides it (set by an escalate event carrying data.cross_region).
    std::optional<CrossRegion> cross_region;
    /// 信即办: the credit standing the applicant's commitment rests on.
    std::optional<CreditCheck> credit;
    /// The approval revoked after a breached commitment.
    std::optional<Revocation> revocation;
    /// 事进人不进: the call to the department's remote chief representative, made at acceptance.
    std::optional<RemoteCall> remote_call;
    /// 网上申报: how the application came, and the platform's application it was taken from.
    Channel channel = Channel::window;
    std::string application_id;
    /// Received (接件) but not yet accepted, refused or answered with the one-time notice: the
    /// window decides by this date (kAcceptanceDecisionDays working days after the receipt; a
    /// receipt on a rest day counts from the next working day). Set by receive and by a
    /// resubmission before acceptance; cleared when the case leaves `received`.
    std::optional<Date> acceptance_due;
    /// 催办 recorded on the case, oldest first.
    std::vector<Urge> urges;
    std::vector<HistoryEntry> history;

    /// A new draft for an item, with its checklist. `id` defaults to a fresh UUIDv7.
    static Case create(const ServiceItem& item, const Applicant& applicant, std::optional<Uuid> id = std::nullopt);

    /// Working days left until the due date, counted from `today` (negative: overdue).
    /// Nothing before acceptance or after a decision.
    std::optional<int> working_days_left(Date today, const WorkCalendar& cal) const;
    bool overdue(Date today, const WorkCalendar& cal) const;
    bool clock_running() const;
    /// The fees still due (neither paid nor waived).
    std::vector<const CaseFee*> fees_due() const;
    /// Their sum, in fen.
    std::int64_t fees_due_fen() const;
    /// What awaits its follow-up (事中事后核查): the deferred materials not delivered and the
    /// commitments not verified, earliest date first (undated last). Nothing once the case is
    /// refused, denied or archived.
    struct FollowUp {
        std::optional<Date> due;  ///< a material's promised date, a commitment's check date
        std::string code;         ///< the material's code, or "commitment:N"
        std::string name;         ///< the material's name, or 告知承诺 / 信用承诺
        int commitment = 0;       ///< N (1, 2, …) for a commitment; 0 for a material
        CommitmentKind kind = CommitmentKind::material;
    };
    std::vector<FollowUp> pending_follow_ups() const;
    /// 原件核验 still to do: materials uploaded online whose item asks for the original (originals >
    /// 0), not yet compared — or compared and found not to match (the result is not handed out).
    std::vector<const ChecklistEntry*> originals_to_verify() const;
    /// Materials whose original did not match the upload at the last comparison.
    std::vector<const ChecklistEntry*> originals_mismatched() const;
    /// The follow-up queue's next date: the first of pending_follow_ups() that has one.
    std::optional<FollowUp> next_follow_up() const;
};

class IllegalTransition : public Error {
public:
    IllegalTransition(CaseState from, CaseAction action);
    CaseState from;
    CaseAction action;
};

class NotAuthorised : public Error {
public:
    explicit NotAuthorised(const std::string& message) : Error("case.not_authorised", message) {}
};

/// The lifecycle rules.
class CaseMachine {
public:
    /// True when `action` is allowed in `state` (ignoring who acts and the event's data).
    static bool allowed(CaseState state, CaseAction action);
    /// Actions allowed in the case's current state, in declaration order.
    static std::vector<CaseAction> allowed_actions(CaseState state);
    /// The state an allowed action leads to from `state` (the same state for non-state events).
    static CaseState target(CaseState state, CaseAction action, const Case& c);

    /// Applies one event: checks, changes the case, appends and returns the history entry.
    /// The calendar computes the due date (accept, end_special_procedure, resubmit, recompute_due)
    /// and whether it is provisional (WorkCalendar::due_date_answer: an acceptance on a rest day
    /// counts from the next working day). An accept event's data may carry "opening_hours" (the
    /// hours setting's text) for an item with a limit in hours: then due_at is computed too. recompute_due (accepted, under_review, escalated; a case
    /// waiting for a correction gets its date at resubmit) ignores the event's data and records
    /// {from_due_date, to_due_date, from_provisional, to_provisional} in the history entry.
    static const HistoryEntry& apply(Case& c, const CaseEvent& event, const WorkCalendar& calendar);
};

std::string_view to_code(CaseState v);
std::string_view to_code(CaseAction v);
std::string_view to_code(Role v);
std::string_view to_code(Post v);
std::string_view to_code(MaterialStatus v);
std::string_view to_code(SpecialProcedureKind v);
std::string_view to_code(GreenFlag v);
std::optional<GreenFlag> parse_green_flag(std::string_view code);
std::string_view zh_name(CaseState v);
std::string_view zh_name(MaterialStatus v);
std::string_view zh_name(GreenFlag v);
std::string_view to_code(FeeStatus v);
std::string_view zh_name(FeeStatus v);
std::string_view to_code(PaymentMethod v);
std::optional<PaymentMethod> parse_payment_method(std::string_view code);
std::string_view zh_name(PaymentMethod v);
std::string_view zh_name(RatingLevel v);
std::string_view to_code(AssistMode v);
std::optional<AssistMode> parse_assist_mode(std::string_view code);
std::string_view zh_name(AssistMode v);
std::string_view to_code(FollowUpResult v);
std::string_view to_code(BreachOutcome v);
std::string_view to_code(CommitmentKind v);
std::string_view zh_name(FollowUpResult v);
std::string_view zh_name(BreachOutcome v);
std::string_view zh_name(CommitmentKind v);
std::string_view to_code(MaterialVia v);
std::optional<MaterialVia> parse_material_via(std::string_view code);
std::string_view zh_name(MaterialVia v);
std::string_view to_code(Channel v);
std::optional<Channel> parse_channel(std::string_view code);
std::string_view zh_name(Channel v);

nlohmann::json to_json(const Case& c);
nlohmann::json to_json(const HistoryEntry& h);
nlohmann::json to_json(const Actor& a);
nlohmann::json to_json(const Applicant& a);
/// Reads a case written by to_json. Throws InvalidData naming the JSON pointer.
Case case_from_json(const nlohmann::json& j, const std::string& source);
Applicant applicant_from_json(const nlohmann::json& j, const std::string& source);
Actor actor_from_json(const nlohmann::json& j, const std::string& source);

}  // namespace ow::core
