// ow_workflow: the clerk's and the chief representative's acts at the window, as typed commands.
//
// Every act (start an intake, identify the applicant, answer the form, record a material, accept,
// ask for a correction, refuse, pause / resume the clock, submit for decision, decide, issue the
// result, rate, close a follow-up) is one method of Workflow. Each:
//   1. checks the command's data (InvalidInput: the caller's mistake, nothing written);
//   2. checks the act against the case machine and the acting user's role, post and absence
//      (Refused: the act is not allowed now or not for this user; nothing written);
//   3. renders the act's notice (ow_notices), seals it with the seal the store assigns to the
//      acting user where the act needs one (ow_seal: decisions need the approval seal), and writes
//      it (like a scan or a signature) as an encrypted blob file;
//   4. commits the act's events, the blobs' rows, the document row and the blob links through
//      CaseStore::commit_all in ONE transaction (state, history, outbox, audit: all of it or none
//      of it). Killed before the commit, the act left at most unreferenced blob files that nothing
//      lists, links or uploads (tests/unit/workflow/test_crash.cpp);
//   5. calls the post-commit hook (the desk wakes the sync engine with it).
// Who acts is the store's signed-in user (Store::actor(): name, role, post); B acting for A is
// explicit (Decide::acting_for) and recorded in the history. Only the demo seed and tests replace
// the acting user (Environment::act_as).
//
// Thread-compatibility: one Workflow per thread (it uses the Store's connection).
#pragma once

#include "ow/core/authorisation.h"
#include "ow/core/calendar.h"
#include "ow/core/case.h"
#include "ow/core/catalog.h"
#include "ow/core/error.h"
#include "ow/forms/definition.h"
#include "ow/notices/notice.h"
#include "ow/notices/renderer.h"
#include "ow/store/appointments.h"
#include "ow/store/blobs.h"
#include "ow/store/cases.h"
#include "ow/store/enquiries.h"
#include "ow/store/store.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::workflow {

/// The act is not allowed: the case's state, the user's role or post, a missing material, a seal
/// the user does not hold. `what()` says why in English (logs, CLI); `code()` is stable
/// ("workflow.materials_missing", "workflow.b_alone" …): the desk shows its translated message.
class Refused : public core::Error {
public:
    Refused(const std::string& code, const std::string& message) : core::Error(code, message) {}
};

/// The command's own data is wrong (a bad ID number, an unknown material, a date in the past).
class InvalidInput : public core::InvalidData {
public:
    using core::InvalidData::InvalidData;
};

// ---- commands ----

struct StartIntake {
    std::string item_code;    // one of the two
    std::string bundle_code;
};

/// Arrival check-in of an appointment (预约到号): starts the intake for the booked item.
struct CheckIn {
    std::string appointment_id;
    std::vector<core::GreenFlag> green;  // green-channel flags to set on the new case (绿色通道)
};

struct SetApplicant {
    core::ApplicantKind kind = core::ApplicantKind::person;
    core::DocumentType doc_type = core::DocumentType::resident_id;  // people
    std::string doc_number;   // resident ID number (people) or USCC (organisations)
    std::string name;         // person's or organisation's name; may be empty for a returning applicant
    std::string phone;
    std::string address;
    std::string legal_representative;
};

/// The applicant's agent (代理人 / 受托人), who files on the applicant's behalf: the case then asks for
/// the 授权委托书 and the agent's ID (core::kAgentMandateMaterial, kAgentIdMaterial).
struct SetAgent {
    std::string name;  ///< empty: the agent is cleared (the applicant came in person after all)
    core::DocumentType doc_type = core::DocumentType::resident_id;
    std::string doc_number;
    std::string phone;
    std::string relation;  ///< e.g. 亲属, 员工, 中介机构
};

/// 帮办代办: a member of staff helps with (help), handles (agency) or, for an enterprise, follows
/// (contact, 一企一员) the case. No mode: the help ends.
struct Assist {
    std::optional<core::AssistMode> mode;
    std::string helper;  ///< a user of this store (clerk or chief representative); default: the acting user
    std::string note;
};

/// 告知承诺 on the item's conditions (告知承诺制 items), or 信即办: a written credit commitment in
/// place of the applicant's materials still to come, for an applicant in good credit standing.
struct RecordCommitment {
    enum class Kind { item, credit } kind = Kind::item;
    std::string text;  ///< what the applicant commits to; empty: the standard wording
};

/// 事中事后核查 of a commitment (its number, 1, 2, …) or of a deferred material (容缺) not delivered.
struct VerifyFollowUp {
    int commitment = 0;
    std::string material_code;
    core::FollowUpResult result = core::FollowUpResult::fulfilled;
    core::BreachOutcome outcome = core::BreachOutcome::none;  ///< a breach: revoked or referred
    std::string finding;                                       ///< what was found
};

/// The applicant's credit standing as the platform's credit service answers it.
struct CreditAnswer {
    std::string standing;   ///< good | ordinary | poor | dishonest
    std::string source;     ///< who answers, e.g. 信用中国（训练平台）
    std::string report_no;  ///< the answer's reference
    core::Instant checked_at{};
};

struct RecordMaterial {
    std::string material_code;
    core::MaterialStatus status = core::MaterialStatus::original_received;  // not pending / missing / defective
    std::optional<std::filesystem::path> file;  // scanned: the scan (stored as a blob)
    std::optional<core::Date> until;            // deferred (容缺): delivery promised by
    std::string note;
    std::string commitment_text;                // commitment (告知承诺): what the applicant promises
    /// Received by post (邮寄, for an online application): the waybill number (then the material
    /// is logged as come by post) and the carrier. Original, copy or scanned only.
    std::string tracking_no = {};
    std::string carrier = {};
};

/// 原件核验: the originals the applicant of an online application brought, compared with the uploads.
struct OriginalsCheck {
    struct Item {
        std::string material_code;
        bool match = true;
        std::string note;  ///< what differs (required when it does not match)
    };
    std::vector<Item> materials;  ///< empty: every upload still to verify, as matching
};

/// 催办: the window urges whoever holds a late case.
struct Urging {
    std::string to;      ///< default: the remote department called (when late), else the item's department
    std::string reason;  ///< default: says what is late
};

struct Correction {
    /// Materials to list as missing or defective with what is wrong; when empty, every material
    /// that blocks acceptance is listed as missing ("一次清": the notice names exactly what is missing).
    struct Item {
        std::string material_code;
        bool defective = false;
        std::string note;
    };
    std::vector<Item> materials;
    std::string reason;
    int correction_days = 5;  // 补正期限, working days
};

struct Refusal {
    std::string reason;
    std::string legal_basis;
};

struct Pause {
    core::SpecialProcedureKind kind = core::SpecialProcedureKind::other;
    std::string reason;
};

enum class Verdict { approve, deny, return_for_correction, escalate };

struct Decide {
    Verdict verdict = Verdict::approve;
    std::string opinion;
    std::string legal_basis;  // default: the item's
    std::string acting_for;   // post B acting for post A (who must be marked absent)
    std::string item;         // a case with several parts: the part decided (default: the only one left)
    std::string escalate_to;  // escalate: the higher level
    /// return: the materials to bring again (missing, or defective with what is wrong); at least one
    /// — the correction notice lists exactly these.
    std::vector<Correction::Item> correct;
    /// The decision seal's PIN as its holder typed it (empty: none given). A seal on a PKCS#11
    /// token needs it (Refused "workflow.seal_pin_needed" otherwise; the token's PIN is never
    /// stored); a PKCS#12 seal kept in the store opens with it when given, else with its stored
    /// PIN. A PIN the key refuses is Refused "workflow.seal_pin_wrong" and NOTHING is written
    /// (no history entry, document or blob; the case stays as it was). decide() copies it only
    /// into the seal library's buffer, cleansed after the key is opened; the caller owns this
    /// string and wipes it after the act (e.g. OPENSSL_cleanse / std::fill, then clear()), also
    /// when the act threw. Used by the verdicts that make a notice: approve and deny (the sealed
    /// decision) and return (the correction notice, sealed when the chief holds a seal). The
    /// other acts take no PIN: a token seal assigned to a clerk makes their sealed notices
    /// Refused "workflow.seal_pin_needed" — tokens are for the chief representatives' seals.
    std::string seal_pin = {};  // (an initializer: the aggregate initializations that end before it stay warning-free)
};

/// What the acting user's decision seal is, for the desk to know before the decision whether to
/// ask for a PIN (Workflow::decision_seal). No secret in it.
struct SealInfo {
    enum class Kind { pkcs12, pkcs11 };
    Kind kind = Kind::pkcs12;
    std::string name;           // 行政审批专用章 …
    std::string signer;         // the certificate's subject CN
    std::string holder;         // the assignment's holder: a user name, or the post "A" / "B"
    bool for_post = false;      // assigned to a post (holder "A"/"B") rather than to a user
    bool pin_required = false;  // the holder types the PIN (a token's; Decide::seal_pin)
    bool visible = false;       // has artwork
};

struct IssueResult {
    core::ResultHandover::Mode mode = core::ResultHandover::Mode::pickup;
    std::string recipient;    // default: the applicant
    std::optional<std::filesystem::path> signature_png;  // pickup: the recipient's signature (signature pad)
    std::string address, carrier, tracking_no;           // mail
};

/// A fee of the case paid at the window (收费; GB/T 39046 支付).
struct Payment {
    std::string fee;        ///< the fee's name as on the case; empty: the only fee still due
    std::string item_code;  ///< a bundle's case: the part that charges it, when two parts name the same fee
    std::optional<std::int64_t> amount_fen;  ///< the amount collected; default: the fee's (another needs `reason`)
    core::PaymentMethod method = core::PaymentMethod::cash;
    std::string payment_no;  ///< the POS / QR / platform transaction number (required but for cash and other)
    std::string bill_no;     ///< 票据号 of the 非税收入 bill, when one was issued
    std::string payer;       ///< default: the applicant
    std::string reason;      ///< why the amount differs from the catalogue's (e.g. 按当地标准)
};

/// A fee waived (减免): a chief representative's act, with the reason and its basis.
struct FeeWaiver {
    std::string fee;        ///< as Payment::fee
    std::string item_code;
    std::string reason;     ///< required
    std::string basis;      ///< the legal basis or document of the waiver
};

/// The national five levels as the applicant sees them: 5 非常满意 … 1 非常不满意. Levels 1–2 need a
/// reason and open a follow-up due in `follow_up_days` working days.
struct Rate {
    int level = 5;
    std::string reason;  // slow, attitude, unclear, repeat_visits, other
    std::string text;
    std::string hotline_ticket;  // 12345
    std::string channel = "window_device";
    int follow_up_days = 5;
};

/// An enquiry, complaint or suggestion as told at the window (首问负责). `reply` non-empty: answered
/// on the spot (一口清).
struct NewEnquiry {
    std::string kind = "enquiry";    // enquiry | complaint | suggestion
    std::string channel = "window";  // window | phone | online | hotline | letter
    std::string asker_name, asker_phone;
    std::string item_code;           // the item asked about (must be in the catalogue); empty: none
    std::string subject;
    std::string reply;
};

// ---- results ----

struct Document {
    std::string kind;   // notice kind (acceptance_notice …)
    std::string title;  // 受理通知书 …
    std::string sha256; // the PDF's blob
    bool sealed = false;
    std::string seal_name;
    std::string pdf;    // the bytes (to print or write out)
};

struct ActResult {
    core::Case case_data;
    std::optional<Document> document;
    std::vector<std::string> notes;  // what the act did besides the obvious, e.g. prefilled fields
    /// set_applicant and accept: the applicant's other open cases of the same item (不得两头受理):
    /// a warning, with a note each; accept records them in its event (data.duplicates).
    std::vector<store::SearchHit> duplicates;
};

/// What an act needs besides the store.
struct Environment {
    const core::Catalogue* catalogue = nullptr;       // required
    const forms::FormCatalogue* forms = nullptr;      // required
    /// The notices. Null: the acts make NO notice (no PDF, no seal, no document row) and decisions
    /// need no seal. Only the demo seed without --notices (and tests) leave it null, to seed many
    /// cases fast; the desk and the CLI always give one.
    const notices::NoticeRenderer* renderer = nullptr;
    notices::NoticeEnvelope envelope;  // issuing body, window, progress URL ({receipt_no} replaced)
    std::string centre_name = "政务服务中心";  // issues a bundle's notices when the envelope names no body
    store::TerminalIdentity terminal;
    /// The electronic licences the government holds for a person / organisation (platform, online);
    /// empty function or an exception: none known (offline).
    std::function<std::vector<std::string>(core::DocumentType, const std::string&)> e_licences;
    /// The applicant's credit standing (the platform's credit service), asked by 信即办 only, at the
    /// moment of the act. Empty: no platform (信即办 is refused); an exception: not reachable.
    std::function<CreditAnswer(core::DocumentType, const std::string&)> credit;
    std::function<core::Instant()> now;  // default: the clock
    /// After every committed act (wake the sync engine).
    std::function<void(const core::Case&)> after_commit;
    /// ONLY the demo seed and tests set this: the acts are done as this (synthetic) user instead of
    /// the store's signed-in one (Store::actor()), e.g. a clerk, then a chief representative on post
    /// A, in one run without signing in as them. Role, post and absence are checked against the
    /// actor it returns, exactly as for a signed-in user. The desk and the CLI never set it.
    std::function<core::Actor()> act_as;
    /// ONLY the demo seed sets this: new case ids and the outbox's mutation ids come from this
    /// generator (next_at the act's time), so a seed gives the same ids every time. Default: fresh
    /// UUIDv7s.
    core::UuidV7Generator* ids = nullptr;
};

class Workflow {
public:
    /// Throws std::invalid_argument when a required part of `env` is missing.
    Workflow(store::Store& store, const core::WorkCalendar& calendar, Environment env);

    ActResult start_intake(const StartIntake& cmd);
    /// Identifies the applicant; a returning applicant's known data fills what the command leaves
    /// empty; materials the government holds as e-licences are marked 电子证照.
    ActResult set_applicant(const core::Uuid& id, const SetApplicant& cmd);
    /// Answers as `forms check` takes them; the checklist follows the answers. Invalid answers are
    /// InvalidInput listing the problems.
    ActResult answer(const core::Uuid& id, const nlohmann::json& answers);
    ActResult record_material(const core::Uuid& id, const RecordMaterial& cmd);
    /// Receives (if still a draft) and accepts in one act; the acceptance notice.
    ActResult accept(const core::Uuid& id);
    /// The one-time notice (before acceptance) listing exactly what is missing.
    ActResult request_correction(const core::Uuid& id, const Correction& cmd);
    ActResult refuse(const core::Uuid& id, const Refusal& cmd);
    ActResult pause(const core::Uuid& id, const Pause& cmd);
    ActResult resume(const core::Uuid& id, const std::string& result);
    /// Hands an accepted case to the chief representative (under review).
    ActResult submit(const core::Uuid& id);
    ActResult decide(const core::Uuid& id, const Decide& cmd);
    /// The seal an approve / deny by the acting user would apply (acting_for: B acting for that A,
    /// whose seal B uses when B has none of their own), as decide() finds it: the user's own
    /// assignment, else their post's. Nothing when none is assigned (decide() would be Refused
    /// "workflow.no_seal"). One small query; opens no key and checks neither role nor absence
    /// (decide() does). Throws store errors only.
    std::optional<SealInfo> decision_seal(const std::string& acting_for = {});
    /// May the signed-in window clerk decide this case on the spot (马上办: an immediate case, one
    /// decision, and every part's department gave the window decide and hold_seal)? False for
    /// other roles. The desk enables its decision for a clerk by it; decide() checks it again.
    bool window_may_decide(const core::Case& c) const;
    /// Hands the result out. An approved case's fees must each be paid or waived first
    /// (Refused "workflow.fees_unpaid" naming them); deferred materials delivered.
    ActResult issue(const core::Uuid& id, const IssueResult& cmd);
    /// Records a fee paid (a record_fee event, synced and audited) and prints the 收费凭证
    /// (fee_receipt). Clerks and chief representatives, from the application's receipt until the
    /// result is handed out (not after a refusal or a denial). InvalidInput: no such fee on the
    /// case (or several of that name without item_code), no fee named while several are due, an
    /// amount of 0 or less, an amount other than the catalogue's without reason, no transaction
    /// number for a card / QR / transfer / online payment. Refused "workflow.fee_settled" when
    /// the fee is paid or waived already; the machine's refusals ("workflow.not_now" …).
    ActResult pay_fee(const core::Uuid& id, const Payment& cmd);
    /// Waives a fee (减免) with the reason: chief representatives only ("workflow.not_authorised"
    /// for a clerk); the 收费凭证 shows it. Otherwise as pay_fee.
    ActResult waive_fee(const core::Uuid& id, const FeeWaiver& cmd);
    ActResult rate(const core::Uuid& id, const Rate& cmd);
    ActResult close_follow_up(const core::Uuid& id, const std::string& note);

    // ---- appointments, green channel, 通办 (issue 19) ----

    /// Checks an arriving applicant in: a booked appointment of today (China date) becomes a draft
    /// case for its item, linked to it, with the green flags of `cmd`; the appointment is marked
    /// arrived and its report queued for the platform — all in ONE transaction (audited
    /// "appointment.arrived"). Then, when the platform sent the whole ID number, the applicant is
    /// set from the appointment (a second act, like `case applicant`; a number the check refuses
    /// leaves the draft without applicant, with a note). With a masked number, the name and phone
    /// are in the appointment (Appointments::for_case) for the clerk to read the ID card.
    /// InvalidInput: unknown appointment, item not in the catalogue. Refused: not a clerk
    /// ("workflow.not_authorised"), not booked ("workflow.appointment_not_booked"), another day
    /// ("workflow.appointment_not_today").
    ActResult check_in(const CheckIn& cmd);
    /// Marks a booked appointment a no-show once its slot has ended (China time); the report is
    /// queued for the platform; audited ("appointment.no_show"). Returns the appointment as stored.
    /// InvalidInput: unknown appointment. Refused: not a clerk, not booked, the slot not over
    /// ("workflow.appointment_slot_not_over").
    store::Appointment mark_no_show(const std::string& appointment_id);
    /// Sets (`on`) or clears a green-channel flag (绿色通道) of a case: one flag_green event (history,
    /// outbox, audit). Clerks and chief representatives. Refused when the flag is already so or the
    /// case is archived.
    ActResult flag_green(const core::Uuid& id, core::GreenFlag flag, bool on);

    // ---- online applications (网上申报, issue 21) ----

    /// 预审 starts: takes an online application of the inbox (store::Applications, pulled by sync)
    /// into a draft case of its item — channel pc / mobile, the application named, marked taken
    /// in the same transaction (audited "application.taken"). Then, as further acts, like a
    /// check-in: the applicant from the application (real-name authenticated online), the form's
    /// answers, and each upload the sync downloaded as the material scanned, via online. A step
    /// that fails leaves a note and the draft for the clerk. Clerks. InvalidInput: unknown
    /// application, item not in the catalogue. Refused "workflow.application_not_waiting"
    /// (withdrawn, or taken already).
    ActResult take_application(const std::string& application_id);
    /// 接件: the application is received (draft → received) and the acceptance decision falls due
    /// kAcceptanceDecisionDays working days on (Case::acceptance_due; the acceptance-due queue).
    /// Clerks. Refused "workflow.no_applicant"; the machine's refusals.
    ActResult receive(const core::Uuid& id);
    /// 原件核验: records the originals compared with the uploads (a mismatch before acceptance
    /// makes the material defective; after it, the result is not handed out until a later
    /// comparison matches). InvalidInput: a material not uploaded online, a mismatch without a
    /// note, nothing to verify. Clerks and chief representatives.
    ActResult verify_originals(const core::Uuid& id, const OriginalsCheck& cmd);
    /// 催办: urges the back office or the remote department on a late case — past its promised
    /// date or instant, or its remote call unanswered past due — recorded on the case (an urge
    /// event, sent to the platform). Refused "workflow.not_late" otherwise; the machine's refusals.
    ActResult urge(const core::Uuid& id, const Urging& cmd);

    // ---- 帮办代办 (issue 21) ----

    /// Records (or clears, `cmd.name` empty) the applicant's agent at intake (draft, received,
    /// awaiting correction): a set_agent event; the checklist gains the 授权委托书 and the agent's ID,
    /// which block acceptance until recorded. Window clerks. InvalidInput: an ID number the check
    /// refuses, the applicant as their own agent, a bad phone; Refused by the machine otherwise.
    ActResult set_agent(const core::Uuid& id, const SetAgent& cmd);
    /// Assigns a helper to an open case (or ends the help): an assist event, free of charge. Clerks,
    /// chief representatives and administrators. InvalidInput: the helper is not a clerk or chief
    /// representative of this store; contact mode for a person. Refused "workflow.assist_same" when
    /// the case already has this helper so; the machine's refusals (result handed out…).
    ActResult assist(const core::Uuid& id, const Assist& cmd);
    /// 通办: sends an accepted case of a cross-region item (ServiceItem::cross_region) through the
    /// platform to the other region's authority — an escalate event with data.cross_region; the
    /// case is escalated ("with the other region") until the platform's decision arrives at sync
    /// (with the decision document), and its result is then issued here (issue()). Refused:
    /// "workflow.not_cross_region" for an item decided here; the machine's refusals (not accepted).
    ActResult send_cross_region(const core::Uuid& id);
    /// 告知承诺制 / 信即办 (at intake, before acceptance; window clerks): a record_commitment event
    /// with its check date (the item's commitment_check_days working days on) and the 告知承诺书.
    /// Refused: "workflow.no_applicant"; "workflow.not_eligible" when the catalogue does not
    /// list the item for it; for 信即办 "workflow.credit_unavailable" (no platform, or it did not
    /// answer), "workflow.credit_not_good" (the standing is not good), "workflow.credit_already".
    /// A credit commitment marks the applicant's materials still to come as 告知承诺.
    ActResult record_commitment(const core::Uuid& id, const RecordCommitment& cmd);
    /// 事中事后核查 at the window (source "window"): a commitment kept or breached, or a deferred
    /// material never delivered (breached: it becomes missing). A breach is acted on: the approval
    /// revoked (chief representatives) or the matter referred. InvalidInput: no finding, no
    /// such commitment or material, a kept one with an outcome; Refused by the machine otherwise.
    ActResult verify_follow_up(const core::Uuid& id, const VerifyFollowUp& cmd);

    // ---- enquiries, complaints, suggestions (首问负责, issue 21) ----

    /// Records one, owned and held by the acting clerk or chief representative (the first asked),
    /// the reply due by the end of the next working day; answered at once when `reply` is given.
    /// Audited "enquiry.opened". InvalidInput: nothing asked, unknown kind / channel / item, a bad
    /// phone. Refused "workflow.not_authorised" for other roles.
    store::Enquiry open_enquiry(const NewEnquiry& cmd);
    /// Hands an open one to another clerk or chief representative (the owner stays the first asked;
    /// the handover is kept with it). Its holder or owner only. Audited "enquiry.handed_over".
    /// InvalidInput: unknown enquiry or user, to oneself. Refused "workflow.enquiry_closed" (not
    /// open), "workflow.not_authorised".
    store::Enquiry hand_over_enquiry(const std::string& id, const std::string& to_user, const std::string& note);
    /// The reply: an open one becomes answered. Its holder or owner only. Audited "enquiry.replied".
    store::Enquiry reply_enquiry(const std::string& id, const std::string& reply);
    /// The enquiry was an application: starts the intake of `cmd` (a clerk's act, like
    /// start_intake) and links the draft to it (state case) in ONE transaction. Audited
    /// "enquiry.to_case". Refused "workflow.enquiry_closed" when it became a case already.
    ActResult enquiry_to_case(const std::string& id, const StartIntake& cmd);

    /// The applicant's other open cases of the same item and bundle (CaseStore::open_duplicates):
    /// what the desk shows before acceptance. InvalidInput for an unknown case.
    std::vector<store::SearchHit> open_duplicates(const core::Uuid& id);

    /// The case, or InvalidInput when there is none.
    core::Case load(const core::Uuid& id);
    /// The stored documents of a case.
    std::vector<Document> documents(const core::Uuid& id, bool with_pdf = false);

private:
    struct Act;
    core::Instant now() const;
    core::Actor actor() const;
    core::Uuid new_id() const;
    /// The new draft case of an intake (not stored); InvalidInput for an unknown item or bundle.
    core::Case new_draft(const StartIntake& cmd) const;
    void require_clerk(const core::Actor& who) const;
    /// The fee of `c` a pay / waive command names (see pay_fee); InvalidInput otherwise.
    const core::CaseFee& fee_named(const core::Case& c, const std::string& fee, const std::string& item_code) const;
    /// The stored enquiry the acting user may work on (its holder or owner, open); see hand_over_enquiry.
    store::Enquiry open_enquiry_of(const std::string& id, const core::Actor& who);
    std::shared_ptr<const forms::FormDefinition> definition_of(const core::Case& c) const;
    /// When a commitment recorded at `at` is to be verified: the item's commitment_check_days on.
    std::string check_due(const core::Case& c, core::Instant at) const;
    const core::ServiceItem* item_of(const core::Case& c) const;
    /// The case's parts as (item code, department): the item, or each item of a bundle.
    std::vector<std::pair<std::string, std::string>> parts_of(const core::Case& c) const;
    /// The department of one item of the catalogue ('' when unknown).
    std::string department_of(const std::string& item_code) const;
    /// The authorisation matrix (store::AuthorisationBook) and the acting user's department, read
    /// once per act; check() is Refused "workflow.not_granted" unless the matrix lets the user
    /// exercise `power` for the department's items of `kind`.
    struct Authority {
        core::Authorisations matrix;
        core::Actor who;
        std::string user_department;  ///< a chief representative's ('' = every department)
        void check(core::Power power, const std::string& department, core::ItemKind kind) const;
    };
    Authority authority(const core::Actor& who) const;
    /// May `who` (a window clerk) decide the case on the spot (马上办: the window's decide and
    /// hold_seal for every part of an immediate case)?
    bool window_decides(const core::Authorisations& matrix, const core::Actor& who, const core::Case& c) const;
    core::CaseEvent event(core::CaseAction a, core::Instant at, std::string reason = {}, nlohmann::json data = nlohmann::json::object()) const;
    ActResult commit(core::Case& c, std::vector<core::CaseEvent> events, const std::string& notice_kind,
                     bool seal_required, const std::function<void(const core::Case&)>& extra = {}, std::string_view seal_pin = {});
    /// The notice as a PDF (sealed where needed); its blob staged in `staged` (recorded by commit).
    /// `seal_pin`: the holder's PIN for the seal (empty: none given; see Decide::seal_pin).
    std::optional<Document> render(const core::Case& after, const std::string& kind, bool seal_required, core::Instant at,
                                   const core::Actor& by, store::StagedBlob& staged, std::string_view seal_pin = {});
    void record_blob(const store::StagedBlob& blob);

    store::Store& store_;
    const core::WorkCalendar& calendar_;
    Environment env_;
    store::CaseStore cases_;
    std::optional<core::Case> last_;  ///< the case as this workflow last committed it (see load())
};

/// Code names of the CLI and docs.
std::optional<Verdict> parse_verdict(std::string_view code);
std::optional<core::MaterialStatus> parse_recordable_status(std::string_view code);

}  // namespace ow::workflow
