// IntakePresenter: the view model and the intents behind the desk's intake screen (F2) — six
// steps at the side (事项, 申请人, 表单, 材料, 决定, 文书), every step reachable at any time, and
// the draft of the intake saved as it is typed, so that an intake cut by a crash, an idle lock or
// a power cut comes back where it was. Free of wx: the view reads plain structs and codes from
// here (it translates the codes) and never touches the store. Every act goes through ow_workflow.
//
// The intake, step by step:
//   1. item       search() lists items AND bundles for a name, code or pinyin initials; start()
//                 starts the intake (Workflow::start_intake: a draft case with its receipt number).
//   2. applicant  typed fields checked as typed (check_id_number / check_uscc_typed /
//                 check_phone_typed: a state per keystroke); read_id_card() through the
//                 "id_reader" plugins; a returning applicant (the store knows the number) is
//                 recognised and the empty fields prefilled (prefilled()). commit_applicant()
//                 (Workflow::set_applicant) runs when the step is left with valid fields.
//   3. form       form() is the FormSession of the case's definition (the item's, or the merged
//                 form of a bundle), prefilled from the applicant and the ID card; the form view
//                 edits it and calls form_edited(). Valid answers are committed
//                 (Workflow::answer) when the step is left and before the decision; invalid
//                 answers are kept in the draft, never an error.
//   4. materials  the case's checklist as rows; record_material() (Workflow::record_material);
//                 scan() through the first "scanner" plugin (static: a worker thread may run it)
//                 and record_scan() on the desk's thread.
//   5. decision   decision_preview() (what blocks acceptance = the correction list; the promised
//                 date), summary() for the applicant's confirmation screen, then
//                 prepare_decision() on the desk's thread, run_decision() (static) on a worker
//                 session, decided() back on the desk's thread — like CasesPresenter::run_act.
//   6. document   document(): the notice of the decision (title, PDF bytes, sealed, seal name).
//
// Drafts. The case is a draft in the store from step 1 on (acts commit). What is not an act yet —
// the typed applicant fields, the form answers as typed (even invalid), the current step, the ID
// card read — is saved after every change in the store's intake_drafts table
// (store::IntakeDrafts: one UPSERT; the store is SQLCipher, so the draft is encrypted at rest),
// one row per case, per user. drafts() lists the signed-in user's unfinished intakes; resume()
// opens one where it was; a decision or discard() deletes the row. The workflow has no act that
// withdraws a draft case: discard() drops the draft row only and the case stays a draft in the
// store (the queues list it; the clerk may pick it up there).
//
// Threading: the desk's thread only, except the static functions (read_id_card(host, …), scan,
// run_decision), which touch nothing of the presenter: the view gets DeskServices::plugins() (made
// on first use) or DeskServices::worker_session() on the desk's thread and hands them to the
// worker. Every member that reads or writes the store needs the services signed in (std::logic_error otherwise, from DeskServices). Store errors
// propagate as store::StoreError (the view shows them and goes on). Refusals and bad input come
// back as IntakeOutcome (never thrown).
#pragma once

#include "intake/catalog_presenter.h"
#include "shell/desk_services.h"

#include "ow/core/case.h"
#include "ow/core/date.h"
#include "ow/core/validators.h"
#include "ow/forms/session.h"
#include "ow/workflow/workflow.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::plugins {
class PluginHost;
}

namespace ow::app {

// ---- steps ----

enum class IntakeStep { item, applicant, form, materials, decision, document };
inline constexpr std::array<IntakeStep, 6> kIntakeSteps{IntakeStep::item,      IntakeStep::applicant,
                                                        IntakeStep::form,      IntakeStep::materials,
                                                        IntakeStep::decision,  IntakeStep::document};
/// "item", "applicant", "form", "materials", "decision", "document" (stored in drafts).
std::string_view to_code(IntakeStep s);
std::optional<IntakeStep> parse_intake_step(std::string_view code);

/// A step's line in the side list.
struct StepState {
    IntakeStep step = IntakeStep::item;
    enum class Status {
        todo,      ///< not done yet; `count` says how many things are left when known (0: unknown)
        done,      ///< nothing left to do on this step
        problems,  ///< something typed is wrong; `count` problems (the view shows them in red)
    } status = Status::todo;
    int count = 0;
};

/// What an intent came to. Never thrown: refusals, bad input and device trouble come back here.
struct IntakeOutcome {
    enum class Kind {
        done,
        refused,  ///< workflow::Refused: `code` is its code() ("workflow.materials_missing" …)
        invalid,  ///< bad input (workflow::InvalidInput, a required field missing …): `code` says
                  ///< which ("intake.refusal_reason_missing" …; the exception's code() for the
                  ///< workflow's own), `message` is English (logs; shown when no translation)
        device,   ///< a device plugin failed: "device.no_card", "device.unavailable", "device.failed",
                  ///< "device.none" (no plugin with the capability), "device.bad_answer"
    } kind = Kind::done;
    std::string code;
    std::string message;
    bool ok() const { return kind == Kind::done; }
};

// ---- step 2: the applicant ----

/// The state of a typed resident ID number, keystroke by keystroke.
struct IdNumberCheck {
    enum class State {
        empty,            ///< nothing typed
        incomplete,       ///< digits so far fit, fewer than 18 (the view shows a neutral hint)
        bad_check_digit,  ///< 18 characters, the GB 11643 check character is wrong
        invalid,          ///< something else is wrong (a letter, a bad birth date, too long …): `code`
        ok,               ///< valid: `birth` and `sex` from the number
    } state = State::empty;
    std::string code;        ///< core::check_resident_id's code when invalid / bad_check_digit
    std::string normalized;  ///< upper-case X, no spaces
    std::optional<core::Date> birth;
    std::optional<core::Sex> sex;
    std::string reason;      ///< the code's English reason (OW_N_-marked in ow_core: the view translates it)
};
/// Checks a resident ID as typed (pure; `today` bounds the birth date).
IdNumberCheck check_id_number(std::string_view text, core::Date today);

/// The state of a typed unified social credit code (organisations).
struct UsccTypedCheck {
    enum class State { empty, incomplete, bad_check_digit, invalid, ok } state = State::empty;
    std::string code;        ///< core::check_uscc's code when not ok
    std::string normalized;
    char expected_check = 0;  ///< bad_check_digit: the check character the first 17 call for
    std::string reason;      ///< the code's English reason (OW_N_-marked)
};
UsccTypedCheck check_uscc_typed(std::string_view text);

/// The state of a typed phone number: a mainland mobile (checked) or a landline (digits, '-',
/// '+', spaces; at most 20 characters), as Workflow::set_applicant takes it.
enum class PhoneState { empty, incomplete, invalid, ok };
PhoneState check_phone_typed(std::string_view text);

enum class ApplicantField { doc_number, name, phone, address, legal_representative };

/// The applicant as typed on the step (not yet committed).
struct ApplicantFields {
    core::ApplicantKind kind = core::ApplicantKind::person;
    core::DocumentType doc_type = core::DocumentType::resident_id;  ///< people; organisations: USCC
    std::string doc_number;  ///< resident ID (people) or USCC (organisations)
    std::string name;
    std::string phone;
    std::string address;
    std::string legal_representative;  ///< organisations
};

/// The checks of the typed applicant, for inline messages beside the fields.
struct ApplicantChecks {
    IdNumberCheck id;       ///< people with a resident ID
    UsccTypedCheck uscc;    ///< organisations
    /// Other document types (passport …): core::check_document_number's verdict.
    bool other_doc_ok = false;
    PhoneState phone = PhoneState::empty;
    bool name_missing = true;
    /// All is well for Workflow::set_applicant (a number that checks, a name, a phone that checks
    /// or none).
    bool complete = false;
    /// Fields typed wrong (the side list's problem count).
    int problems = 0;
};

/// What an ID card reader answered, mapped (see read_id_card).
struct IdCardRead {
    IntakeOutcome outcome;         ///< device errors here; `card` is empty then
    nlohmann::json card = nlohmann::json::object();  ///< the plugin's answer (name, id_number, address, sex, birth …)
    std::string plugin;            ///< the plugin that answered (or failed last)
};

// ---- step 4: materials ----

struct MaterialLine {
    std::string code;
    std::string name;
    core::Necessity necessity = core::Necessity::required;
    std::vector<std::string> serves_items;  ///< item codes (bundles; empty for a single item)
    std::vector<std::string> serves_names;  ///< their names (catalogue), same order
    core::MaterialStatus status = core::MaterialStatus::pending;
    std::optional<core::Date> promised_by;  ///< deferred (容缺)
    std::string note;
    bool has_scan = false;          ///< a scan is attached (blob)
    bool blocking = false;          ///< blocks acceptance now (Checklist::blocking)
    bool commitment_allowed = false;  ///< 告知承诺 may replace it
};

/// A material status to record (Workflow::record_material).
struct MaterialRecord {
    std::string material_code;
    /// original_received, copy_received, scanned (needs `file`), e_licence, deferred (needs
    /// `deferred_days`), commitment (needs `commitment_text`), not_applicable.
    core::MaterialStatus status = core::MaterialStatus::original_received;
    std::optional<std::filesystem::path> file;
    int deferred_days = 0;  ///< deferred: delivery promised within this many working days (≥ 1)
    std::string note;
    std::string commitment_text;
};

/// How the desk asks the scanner for a page.
struct ScanRequest {
    /// The SANE device; empty: the plugin's own setting (plugin.json settings.device), else the
    /// first device SANE finds. Tests use "test" (SANE's test backend).
    std::string device;
    int resolution = 150;
    int pages = 1;
    std::filesystem::path output_dir;  ///< empty: a new folder inside the desk's private folder
    /// The scanner plugin; empty: the first discovered plugin with capability "scanner".
    std::string plugin;
};

struct ScanResult {
    IntakeOutcome outcome;
    std::filesystem::path file;  ///< the multi-page PDF (else the first page's PNG)
    std::vector<std::filesystem::path> pages;  ///< per page PNGs (thumbnails), when made
    std::string device;
    /// The folder the scan was written to (a new one inside the desk's private folder,
    /// common/private_dir.h, unless the request named one); record_scan / discard_scan remove it.
    std::filesystem::path output_dir;
};

// ---- step 5: the decision ----

enum class IntakeDecision {
    accept,      ///< 受理 (Workflow::accept)
    correction,  ///< 一次性告知补正 (Workflow::request_correction, the missing list generated)
    refuse,      ///< 不予受理 (Workflow::refuse; reason and legal basis required)
};

struct DecisionRequest {
    IntakeDecision decision = IntakeDecision::accept;
    std::string reason;       ///< refuse (required); correction (optional)
    std::string legal_basis;  ///< refuse (required)
    int correction_days = 5;  ///< correction: 补正期限 in working days
};

/// What the decision step shows before anything is committed.
struct DecisionPreview {
    /// What blocks acceptance (required materials neither satisfied nor deferred): exactly the
    /// list the correction notice will name.
    std::vector<MaterialLine> missing;
    bool applicant_complete = false;  ///< the applicant is committed (the case knows them)
    int form_errors = 0;              ///< errors left in the form (0: the answers can be committed)
    bool can_accept = false;          ///< nothing blocks: no missing material, applicant, valid form
    /// The promised date if accepted today (working days from the calendar; empty when the item
    /// has no promised limit).
    std::optional<core::Date> promised;
    int promised_days = 0;            ///< the promised limit in working days
    bool promised_provisional = false;  ///< counted on a provisional calendar year (预计)
    /// The applicant's other open cases of the same item (不得两头受理): shown as a warning; an
    /// acceptance needs them confirmed once (prepare_decision: "intake.duplicate_unconfirmed").
    std::vector<store::SearchHit> duplicates;
};

/// One plain line of the summary shown to the applicant for confirmation.
struct SummaryLine {
    /// What the line is: "item", "receipt_no", "applicant", "doc_number" (masked), "phone"
    /// (masked), "answer" (a key answer: `label` is the field's label), "material" (`label` the
    /// material's name, `value` its status code), "promised" (`value` a date). The view
    /// translates the kind into a heading.
    std::string kind;
    std::string label;     ///< zh_CN (the definition's or the catalogue's text)
    std::string value;
    std::string label_en;  ///< en where the definition has it, else empty
};

/// What a decision came to (run_decision → decided).
struct DecisionOutcome {
    IntakeOutcome outcome;
    std::string case_id;
    core::CaseState state = core::CaseState::draft;  ///< done: the case's new state
    std::optional<workflow::Document> document;      ///< done: the notice (with its PDF bytes)
};

// ---- drafts ----

/// One of the user's unfinished intakes (the "resume" list).
struct IntakeDraftRow {
    std::string case_id;
    std::string receipt_no;
    std::string title;           ///< the item's or bundle's name (catalogue; else its code)
    std::string applicant_name;  ///< as typed, else the case's
    IntakeStep step = IntakeStep::item;
    std::string updated_at;      ///< RFC 3339 UTC
};

class IntakePresenter {
public:
    static constexpr int kSearchLimit = 200;

    /// `services` must outlive the presenter. Nothing is read until an intent needs it.
    explicit IntakePresenter(DeskServices& services);
    ~IntakePresenter();
    IntakePresenter(const IntakePresenter&) = delete;
    IntakePresenter& operator=(const IntakePresenter&) = delete;

    // ---- steps ----
    IntakeStep step() const { return step_; }
    /// The six steps' states, in order.
    std::vector<StepState> steps() const;
    /// Goes to a step (always allowed). Leaving the applicant step commits the applicant when it
    /// is complete and changed; leaving the form step commits valid answers. Returns what such a
    /// commit came to (done when there was none); the step changes whatever it returns. Saved.
    IntakeOutcome goto_step(IntakeStep s);
    /// True once start() or resume() opened an intake (a case).
    bool active() const { return case_.has_value(); }
    /// The open case (std::logic_error when none).
    const core::Case& case_data() const;
    std::string case_id() const;  ///< "" when none
    /// The title of the open intake: the bundle's or item's name.
    std::string title() const;
    /// Forgets the open intake (the screen is cleared for the next applicant). The draft row stays
    /// unless the intake was decided or discarded.
    void close();

    // ---- step 1: the item ----
    /// Items AND bundles whose name, code or pinyin initials match (bundles first); at most
    /// kSearchLimit. Empty query: everything.
    std::vector<CatalogRow> search(const std::string& query) const;
    /// For the guide beside the list (item_guide / bundle_guide in the view): over the catalogue
    /// in force (the store's once signed in).
    CatalogPresenter catalog() const { return CatalogPresenter(services_.catalogue()); }
    /// Starts the intake of an item or a bundle (Workflow::start_intake): a draft case with its
    /// receipt number; the form session for its definition; the step moves to the applicant.
    /// Invalid for an unknown code; closes any open intake first.
    IntakeOutcome start(const std::string& code, bool is_bundle);

    // ---- step 2: the applicant ----
    const ApplicantFields& applicant() const { return applicant_; }
    const ApplicantChecks& applicant_checks() const { return checks_; }
    /// Person or organisation (clears the number's checks). Saved.
    void set_applicant_kind(core::ApplicantKind kind);
    /// The document type of a person (resident ID by default). Saved.
    void set_doc_type(core::DocumentType type);
    /// One field as typed (every keystroke): checked, saved. When the number becomes valid and
    /// the store knows the applicant, the empty fields are prefilled (prefilled()).
    void set_field(ApplicantField f, const std::string& value);
    /// The fields filled from a returning applicant or the ID card since the number last changed
    /// ("已自动填写 N 项": prefilled().size()).
    const std::vector<ApplicantField>& prefilled() const { return prefilled_; }
    /// A returning applicant was recognised by the number.
    bool returning() const { return returning_; }
    /// The form's fields (JSON pointers) filled from the applicant or the ID card in this intake,
    /// in the order they were filled — with prefilled(), what "已自动填写 N 项" can count.
    const std::vector<std::string>& form_prefilled() const { return form_prefilled_; }
    /// Reads the ID card (action "read" with `request`) with the plugin named `plugin`, or when
    /// empty with the discovered plugins of capability "id_reader" in discovery (name) order: the
    /// first one whose device is there answers — one that reports its device unavailable (e.g.
    /// idcard-sdt without its vendor library) passes to the next (e.g. idcard-sim, the training
    /// and test reader). Static: the view may run it on a worker (the host serialises calls to
    /// one plugin). Never throws: "device.none" (no such plugin), "device.no_card",
    /// "device.unavailable" (every reader), "device.failed", "device.bad_answer".
    static IdCardRead read_id_card(plugins::PluginHost& host, const nlohmann::json& request = nlohmann::json::object(),
                                   const std::string& plugin = {});
    /// Takes a card read: a person with a resident ID; fills number, name and address (the card's
    /// values replace typed ones), keeps the card for the form's prefill. Returns the read's
    /// outcome (nothing changes on an error). Saved.
    IntakeOutcome apply_id_card(const IdCardRead& read);
    /// Both on the desk's thread (DeskServices::plugins()).
    IntakeOutcome read_id_card(const nlohmann::json& request = nlohmann::json::object());
    /// Identifies the applicant (Workflow::set_applicant; e-licence materials marked 电子证照
    /// when a source is configured). Invalid ("intake.applicant_incomplete") while the checks are
    /// not complete. The form is prefilled from the committed applicant.
    IntakeOutcome commit_applicant();

    // ---- step 3: the form ----
    /// The case's item or bundle has a form definition (every shipped one has).
    bool has_form() const { return form_ != nullptr; }
    /// The form of the case (std::logic_error when no intake is open or it has no form). Edited
    /// by the form view.
    forms::FormSession& form();
    /// The form view changed an answer: the draft is saved (the answers as typed).
    void form_edited();
    /// Commits the answers when valid and changed since the last commit (Workflow::answer);
    /// invalid answers are not an error (done, nothing committed). The checklist follows.
    IntakeOutcome commit_answers();

    // ---- step 4: materials ----
    /// The case's checklist, in order.
    std::vector<MaterialLine> materials() const;
    /// Records a material's status (Workflow::record_material). The deferred date is today plus
    /// `deferred_days` working days (calendar). A scanned material fills the form's attachment
    /// field bound to it (as Workflow::answer does), so the form does not ask for it again.
    IntakeOutcome record_material(const MaterialRecord& r);
    /// Scans with the first discovered plugin with capability "scanner" (action "scan"). Static:
    /// the view runs it on a worker. Never throws (device errors in the outcome).
    static ScanResult scan(plugins::PluginHost& host, const ScanRequest& request);
    /// Records a scan as the material's (status scanned, the file stored as a blob, then the
    /// scan's folder removed). The scan result's own error comes back unchanged.
    IntakeOutcome record_scan(const std::string& material_code, const ScanResult& scan);
    /// Removes a scan's folder without recording it (the clerk scanned again). Never throws.
    static void discard_scan(const ScanResult& scan);
    /// Today plus `days` working days (the calendar's answer; deferred and correction dates).
    core::Date working_days_from_today(int days) const;

    // ---- step 5: the decision ----
    DecisionPreview decision_preview() const;
    /// Plain lines for the applicant's confirmation screen.
    std::vector<SummaryLine> summary() const;
    /// On the desk's thread before run_decision: checks the request (refusal reason and basis
    /// required: "intake.refusal_reason_missing", "intake.legal_basis_missing"), commits the
    /// applicant and the answers when they are ready. Done: run the decision. An acceptance while
    /// the applicant has another open case of the item is stopped ONCE ("intake.duplicate_unconfirmed":
    /// the view names the cases and the clerk decides again to accept anyway; the acceptance's
    /// record names them, Workflow::accept).
    IntakeOutcome prepare_decision(const DecisionRequest& r);
    /// The act on a worker's workflow (DeskServices::worker_session), touching nothing of the
    /// presenter: renders and seals the notice. Never throws for refusals or bad input; store
    /// errors propagate.
    static DecisionOutcome run_decision(workflow::Workflow& wf, const std::string& case_id, const DecisionRequest& r);
    /// Back on the desk's thread: when done, the case's draft row is deleted; if that intake is
    /// still the open one, the case is read again and, when done, the document kept and the step
    /// moved to the document.
    void decided(const DecisionOutcome& outcome);
    /// Convenience on the desk's thread: prepare_decision + run_decision on the desk's workflow +
    /// decided (tests; the view runs the act on a worker).
    DecisionOutcome decide(const DecisionRequest& r);
    /// The intake was decided (accepted, correction asked for or refused).
    bool is_decided() const { return decided_; }

    // ---- step 6: the document ----
    /// The notice of the decision (title, PDF bytes, sealed, seal name); empty before it.
    const std::optional<workflow::Document>& document() const { return document_; }
    /// Every notice of the open intake so far, oldest first, with its PDF: a deferred material's
    /// 容缺 notice or a commitment letter (告知承诺书) made on the materials step, then the decision's.
    /// Empty when no intake is open.
    std::vector<workflow::Document> documents();

    // ---- drafts ----
    /// The signed-in user's unfinished intakes (their case still a draft), newest first.
    std::vector<IntakeDraftRow> drafts();
    /// Opens a draft where it was: the case, the typed fields, the answers as typed, the step.
    /// A draft case this screen has no draft of (started by an appointment's check-in) is opened
    /// from the case: its item, and its applicant when the act set one (then at the form step).
    /// Invalid ("intake.no_draft") for a bad id, "intake.not_a_draft" for a case taken further.
    IntakeOutcome resume(const std::string& case_id);
    /// Drops the open intake's draft row and closes it. The case stays a draft in the store (the
    /// workflow cannot withdraw a case).
    void discard();

private:
    void save_draft();
    void recheck();
    IntakeOutcome adopt(const core::Uuid& id);  ///< resume() of a draft case this screen has no draft of
    void look_up_returning();
    void prefill_form();
    void attach_scans();
    void open_form(const nlohmann::json& raw_answers);
    IntakeOutcome commit_if_leaving(IntakeStep from);
    void take(const workflow::ActResult& r);

    DeskServices& services_;
    IntakeStep step_ = IntakeStep::item;
    std::optional<core::Case> case_;
    ApplicantFields applicant_;
    ApplicantChecks checks_;
    std::vector<ApplicantField> prefilled_;
    std::vector<std::string> form_prefilled_;
    bool returning_ = false;
    std::vector<store::SearchHit> duplicates_;  ///< open cases of the applicant and item (两头受理)
    bool duplicates_confirmed_ = false;         ///< the clerk was told once and decided again
    /// duplicates_ from the store (a resumed or adopted draft); a failure leaves none (a warning only).
    void refresh_duplicates();
    nlohmann::json id_card_ = nlohmann::json::object();
    std::unique_ptr<forms::FormSession> form_;
    std::string committed_answers_;    ///< the answers last committed (JSON text)
    std::string committed_applicant_;  ///< the applicant last committed (JSON text)
    std::optional<workflow::Document> document_;
    bool decided_ = false;
};

}  // namespace ow::app
