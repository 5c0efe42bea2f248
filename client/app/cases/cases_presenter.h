// CasesPresenter: the view model and the intents behind the desk's main window — the work queues
// with their live counts, the virtual list of the selected queue (or of a search), the selected
// case (summary, timeline, materials, documents, the acts its state allows) and the acts the
// window offers on it (accept, submit), always through the workflow. Free of wx: the view (a
// wxListCtrl in virtual mode, which asks only for the rows it shows) reads plain structs from
// here and never touches the store.
//
// Threading: the desk's thread only (it uses the signed-in store's connection through
// DeskServices). Every call needs the services signed in (std::logic_error otherwise, from
// DeskServices). Store errors propagate as store::StoreError (the view shows them and goes on).
//
// The list. row_count() is the count the last refresh()/select_queue()/search() read; row(i)
// pages through store::CaseQueues::page (page_size rows a page, the last three pages kept), so
// scrolling a queue of 100,000 cases reads only the pages the view shows. The sync mark of a row
// (three indexed lookups) and its working days left (a walk over the calendar) are worked out on
// first use of the row, not for a whole page at once.
// Rows that vanished since the count was read (another act moved them) come back empty
// (case_id ""): the view draws a blank row until the next refresh.
#pragma once

#include "shell/actions.h"
#include "shell/desk_services.h"

#include "ow/core/case.h"
#include "ow/core/catalog.h"
#include "ow/core/date.h"
#include "ow/core/validators.h"
#include "ow/store/queues.h"

#include <cstdint>
#include <filesystem>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ow::app {

/// Where a case stands with the platform (the list's sync column), worst first.
enum class SyncMark {
    problem,  ///< a quarantined outbox row or an open sync issue: the clerk must look (sync panel)
    held,     ///< a draft kept back until its applicant is known (nothing sent yet)
    pending,  ///< changes queued for the platform (outbox rows not yet acknowledged)
    synced,   ///< nothing left to send
};

/// A queue of the left-hand list with its count. The label is the view's (translated).
struct QueueCount {
    store::Queue queue = store::Queue::today;
    std::int64_t count = 0;
};

/// One row of the case list (a queue's or a search's).
struct CaseRow {
    std::string case_id;          ///< empty: the row is gone (see the file comment)
    std::string receipt_no;
    std::string item_code;
    std::string item_name;        ///< the item's name (catalogue; the case's own when unknown)
    std::string applicant_name;
    core::CaseState state = core::CaseState::draft;
    std::optional<core::Date> promised;  ///< the promised date (empty before acceptance)
    /// Working days from today to the promised date (negative: past it), while the date still
    /// matters (not refused, decided, issued, rated or archived). Pauses that are still open are not
    /// counted: a date the machine will push back shows as it stands.
    std::optional<int> days_left;
    bool overdue = false;         ///< days_left < 0: the view shows it in red
    bool provisional = false;     ///< the date rests on a provisional calendar year (预计)
    std::optional<core::Instant> due_at;  ///< a limit in hours: the promised instant (Case::due_at)
    SyncMark sync = SyncMark::synced;
    // What the queue is about (empty / 0 elsewhere):
    std::string material_name;            ///< deferred-due: the deferred material
    std::optional<core::Date> promised_by;  ///< deferred-due: its promised delivery date
    int rating_level = 0;                 ///< follow-ups: GB/T 39046 level (4–5 bad)
    std::optional<core::Date> follow_up_due;  ///< follow-ups: the follow-up is due by then
    std::string sync_code;                ///< sync-problems: the issue's or the refusal's code
    bool green = false;  ///< a green-channel flag (绿色通道): first in its queue, marked in the list
    // acceptance-due (网上申报, 接件): the date the acceptance decision is due by; past it: late.
    std::optional<core::Date> accept_due;
    bool accept_overdue = false;
    // remote-calls (事进人不进): the department called and when its answer is due; past due: the alarm.
    std::string call_department;
    std::optional<core::Instant> call_due;
    bool call_overdue = false;
};

/// The selected case's head: who, what, when.
struct CaseSummary {
    std::string case_id;
    std::string receipt_no;
    std::string platform_case_no;  ///< 办件编号, once the platform gave one
    std::string item_code;
    std::string item_name;         ///< or the bundle's name for a case filed as a bundle
    std::string bundle_code;
    core::CaseState state = core::CaseState::draft;
    std::string applicant_name;
    core::DocumentType doc_type = core::DocumentType::resident_id;
    std::string doc_number_masked;  ///< e.g. 3701**********1234 (see mask_middle)
    std::string phone_masked;       ///< e.g. 138****8000
    std::optional<core::Instant> submitted;  ///< received at the window (the draft handed in)
    std::optional<core::Instant> accepted;
    std::optional<core::Date> promised;
    std::optional<core::Instant> promised_at;  ///< a limit in hours: the promised instant (Case::due_at)
    std::optional<int> days_left;   ///< as CaseRow::days_left (Case::working_days_left)
    bool overdue = false;
    bool provisional = false;
    std::string taken_by;           ///< the user who took the application (its first act)
    std::optional<core::Rating> rating;  ///< the applicant's rating, once rated (GB/T 39046 level)
    std::vector<core::GreenFlag> green_flags;  ///< 绿色通道 (老年人, 残疾人, 重点项目, 伤病体弱, 孕妇), in enum order
    std::optional<core::Assistance> assistance;  ///< 帮办代办: the helper, while one helps
    std::string agent_name, agent_relation;      ///< the applicant's agent (代理人), when one files
    std::optional<core::CreditCheck> credit;     ///< 信即办: the credit standing the commitment rests on
    std::optional<core::Revocation> revocation;  ///< the approval revoked after a breached commitment
    std::optional<core::RemoteCall> remote_call;  ///< 事进人不进: the call to the department with no one in the hall
    // 网上申报: how the application came, the application, the acceptance decision's date (接件
    // without a decision yet), the uploads whose originals wait for 原件核验 (names), those whose
    // original did not match, and the 催办 made.
    core::Channel channel = core::Channel::window;
    std::string application_id;
    std::optional<core::Date> acceptance_due;
    bool acceptance_late = false;  ///< the acceptance decision's date has passed
    std::vector<std::string> originals_waiting, originals_mismatched;
    std::vector<core::Urge> urges;
    /// The materials uploaded online (原件核验 compares each with its original), in checklist order.
    struct Upload {
        std::string material_code, name;
        std::optional<bool> matched;  ///< none: not compared yet (or uploaded again since)
        bool original_asked = false;  ///< the item asks for the original (originals > 0)
    };
    std::vector<Upload> uploads;
    /// Materials still to come (not satisfied, not deferred-and-waiting): what a parcel may bring (邮寄).
    std::vector<std::pair<std::string, std::string>> awaited;  ///< (code, name)
    bool late = false;  ///< past its promised date or instant, or its remote call unanswered past due: 催办 may be made
};

/// What the follow-up (事中事后核查) of the selected case can be about: a commitment not yet
/// verified (its number) or a deferred material not delivered (its code).
struct FollowUpTarget {
    int commitment = 0;         ///< 1, 2, … (0: a material)
    std::string material_code;  ///< a deferred material (容缺)
    std::string name;           ///< the material's name; for a commitment its text
    core::CommitmentKind kind = core::CommitmentKind::material;
    std::optional<core::Date> due;  ///< the check date, or the promised delivery date
};

/// A member of staff who may help applicants (帮办代办): a clerk or chief representative.
struct Helper {
    std::string user;
    std::string display_name;
};

/// One line of the timeline: a history entry of the case, or an audit entry about the case that
/// is not one of its history entries (the store audits every history entry as "case.<action>"
/// with its seq: those are folded into the history line, which keeps the audit seq).
struct TimelineEntry {
    enum class Kind { history, audit } kind = Kind::history;
    core::Instant at{};
    std::string action;        ///< history: the CaseAction code (accept …); audit: its action (case.create …)
    std::optional<core::CaseState> from, to;  ///< history only
    std::string user;
    core::Post post = core::Post::none;
    std::string acting_for;
    std::string reason;        ///< history: the reason given; audit: the detail JSON text
    std::int64_t audit_seq = 0;  ///< the audit entry (0: none found)
};

struct MaterialRow {
    std::string code;
    std::string name;
    core::Necessity necessity = core::Necessity::required;
    core::MaterialStatus status = core::MaterialStatus::pending;
    std::optional<core::Date> promised_by;  ///< deferred (容缺)
    std::string note;
};

struct DocumentRow {
    std::uint32_t seq = 0;   ///< the history entry of the act that made it
    std::string kind;        ///< notice kind (acceptance_notice …)
    std::string title;       ///< 受理通知书 … (the template's), else the kind
    bool sealed = false;
    bool timestamped = false;
    std::string created_at;  ///< RFC 3339 UTC
    std::string sha256;      ///< the PDF's blob (content address; see export_document)
};

struct CaseDetail {
    CaseSummary summary;
    std::vector<TimelineEntry> timeline;  ///< oldest first
    std::vector<MaterialRow> materials;
    std::vector<DocumentRow> documents;
    std::vector<core::CaseFee> fees;  ///< 收费: what the case is charged and how each stands (empty: free)
    bool follow_up_open = false;  ///< a bad rating's follow-up is still open (store::Ratings)
    std::vector<core::Commitment> commitments;  ///< 告知承诺 / 信即办, in the order recorded (numbers 1, 2, …)
    std::vector<FollowUpTarget> follow_ups;     ///< what still awaits its follow-up, earliest first
    bool window_decides = false;      ///< the signed-in clerk may decide it on the spot (马上办, the authorisation matrix)
    bool commitment_scheme = false;   ///< the item allows a commitment on its conditions (告知承诺制)
    bool credit_fast_track = false;   ///< the item is on the 信即办 list
};

/// What an act came to, for the view to show.
struct ActOutcome {
    enum class Kind { done, refused, invalid } kind = Kind::done;
    core::CaseState state = core::CaseState::draft;  ///< done: the case's new state
    std::optional<DocumentRow> notice;  ///< done: the notice the act made, if any
    std::string code;     ///< refused: workflow::Refused::code() (the view translates by code)
    std::string message;  ///< refused / invalid: the English message (logs; invalid: shown)
};

/// "3701**********1234": keeps the first `keep_front` and last `keep_back` characters (code
/// points, so Chinese text is masked whole characters) and stars the rest. Text too short to hide
/// anything comes back all stars.
std::string mask_middle(const std::string& text, int keep_front, int keep_back);

class CasesPresenter {
public:
    static constexpr int kDefaultPageSize = 200;
    static constexpr int kSearchLimit = 200;  ///< hits a search lists at most

    /// `services` must be signed in and outlive the presenter. `page_size` 1–1000
    /// (std::invalid_argument otherwise). Reads the counts and selects the first queue (today).
    explicit CasesPresenter(DeskServices& services, int page_size = kDefaultPageSize);

    // ---- queues ----
    /// Every queue of store::kAllQueues, in that order, then the closing-time list
    /// (store::Queue::closing: what can still be finished today), with the count of the last refresh().
    const std::vector<QueueCount>& counts() const { return counts_; }
    /// 事进人不进: the remote calls past their answer time, as of the last refresh (the alarm).
    std::int64_t late_calls() const { return late_calls_; }
    /// Reads the counts again (on a timer, after an act, when sync passed), drops the page cache
    /// (the list's rows and row_count() follow), and reloads the selected case if one is selected.
    void refresh();
    /// Lists the queue (leaves a search). Reads its count; the rows are read as row() asks.
    void select_queue(store::Queue q);
    store::Queue selected_queue() const { return queue_; }
    /// Who is on duty today at this window (the hours.duty roster, by the day of the week): the
    /// closing-time list names them. Empty when the roster names nobody for today.
    std::vector<std::string> on_duty() const;

    // ---- the list ----
    /// Lists the hits of CaseStore::search (receipt number or its prefix, ID number, phone, name
    /// prefix; at most kSearchLimit), in the same row shape. Empty or blank text: back to the
    /// selected queue.
    void search(const std::string& text);
    bool searching() const { return searching_; }
    const std::string& search_text() const { return search_text_; }
    /// Rows in the list (the queue's count as last read, or the number of hits).
    std::int64_t row_count() const { return searching_ ? std::int64_t(hits_.rows.size()) : queue_count_; }
    /// Row `i` (0 ≤ i < row_count(); std::out_of_range otherwise). The reference stays valid
    /// until the next call of any non-const member.
    const CaseRow& row(std::int64_t i);

    // ---- the selected case ----
    /// Selects a case by id and reads its detail. Nothing (and no selection) when there is no
    /// such case.
    const CaseDetail* select(const std::string& case_id);
    const CaseDetail* selected() const { return detail_ ? &*detail_ : nullptr; }
    void clear_selection() { detail_.reset(); }
    /// Fills the case part of the shell's DeskState (case_state, case_has_documents,
    /// case_follow_up_open, case_fees_due …) from the selection (all cleared when nothing is selected).
    void fill(DeskState& state) const;
    /// Whether the act is allowed on the selected case for the signed-in user (the action
    /// table's rule, ow::app::case_act_allowed). False without a selection.
    bool allowed(core::CaseAction act) const;
    /// Writes the selected case's document `index` (into detail().documents) as a PDF into a
    /// private folder ($XDG_RUNTIME_DIR/onewindow, else /dev/shm/onewindow-<uid>; 0700), as a
    /// 0600 file written atomically, and returns its path (for the PDF viewer). The blob is
    /// decrypted and checked (store::CorruptStore when damaged). std::out_of_range for a bad
    /// index or no selection; core::Error("io.write") when the folder is unusable.
    std::filesystem::path export_document(std::size_t index);

    // ---- acts on the selected case (through the workflow) ----
    /// Receives (if a draft) and accepts the selected case.
    ActOutcome accept();
    /// Hands the selected (accepted) case to the chief representative.
    ActOutcome submit();
    /// The same acts ("case.accept", "case.submit") for the desk's worker thread: on a workflow of
    /// the worker's own (DeskServices::worker_session), touching nothing of the presenter, so the
    /// desk's thread goes on drawing while the notice is rendered and sealed. Never throws for
    /// refusals or bad input (see ActOutcome); store errors propagate.
    static ActOutcome run_act(workflow::Workflow& wf, const std::string& case_id, std::string_view act);
    /// Sets (`on`) or clears a green-channel flag of the selected case (Workflow::flag_green: a
    /// history entry, synced and audited; no notice, so on the desk's thread). Refused (see
    /// ActOutcome) when the flag is already so, for a role other than clerk or chief
    /// representative, or without a selection; the counts, list and case are read again when done.
    ActOutcome set_green(core::GreenFlag flag, bool on);
    /// 帮办代办 on the selected case (Workflow::assist / set_agent: history, synced, audited; no
    /// notice, so on the desk's thread). Refused or invalid as ActOutcome says; the counts, list
    /// and case are read again when done.
    ActOutcome set_assist(const workflow::Assist& cmd);
    ActOutcome set_agent(const workflow::SetAgent& cmd);
    /// Who may be a case's helper: the store's clerks and chief representatives, by name.
    std::vector<Helper> helpers() const;
    /// 告知承诺制 / 信即办 and the follow-up on the selected case (Workflow::record_commitment /
    /// verify_follow_up; the 告知承诺书 of a commitment is rendered on the desk's thread, like a
    /// material's). Refused or invalid as ActOutcome says; the counts, list and case are read again.
    ActOutcome record_commitment(const workflow::RecordCommitment& cmd);
    ActOutcome verify_follow_up(const workflow::VerifyFollowUp& cmd);
    /// 网上申报 on the selected case: 原件核验 of one upload (or of every upload waiting), and a
    /// material received by post logged with its waybill (recorded as an original). Refused or
    /// invalid as ActOutcome says; the counts, list and case are read again.
    ActOutcome verify_originals(const workflow::OriginalsCheck& cmd);
    ActOutcome receive_by_post(const std::string& material_code, const std::string& tracking_no, const std::string& carrier);
    /// Asks the platform for the selected case's applicant's credit standing in the background
    /// (DeskServices::prefetch_credit) when the item is on the 信即办 list and the applicant is known.
    void prefetch_credit();
    /// The fee acts (收费 / 减免, "case.fee") for the worker thread, like run_act: Workflow::pay_fee /
    /// waive_fee on the case, which print the 收费凭证. Never throw for refusals or bad input.
    static ActOutcome run_payment(workflow::Workflow& wf, const std::string& case_id, const workflow::Payment& cmd);
    static ActOutcome run_waiver(workflow::Workflow& wf, const std::string& case_id, const workflow::FeeWaiver& cmd);
    /// Back on the desk's thread after run_act: the counts, the list and the case are read again
    /// when the act was done.
    void acted(const ActOutcome& outcome);

private:
    struct Page {
        std::vector<CaseRow> rows;
        std::vector<bool> marked;  ///< the row's sync mark and days left were worked out
    };
    void read_count();
    store::CaseQueues case_queues() const;
    CaseRow from_queue_row(const store::QueueRow& r) const;
    CaseRow from_hit(const store::SearchHit& h) const;
    const CaseRow& marked(Page& page, std::size_t i);
    SyncMark sync_mark(const std::string& case_id);
    std::string item_name(const std::string& code, const std::string& fallback) const;

    DeskServices& services_;
    int page_size_;
    std::vector<QueueCount> counts_;
    std::int64_t late_calls_ = 0;
    store::Queue queue_ = store::Queue::today;
    std::int64_t queue_count_ = 0;
    std::list<std::pair<std::int64_t, Page>> pages_;  ///< page index → rows, most recent first
    bool searching_ = false;
    std::string search_text_;
    Page hits_;
    CaseRow empty_;
    std::optional<CaseDetail> detail_;
};

}  // namespace ow::app
