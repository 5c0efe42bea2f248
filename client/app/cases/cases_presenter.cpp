#include "cases/cases_presenter.h"

#include "cases/archive_export.h"
#include "common/private_dir.h"

#include "ow/core/calendar.h"
#include "ow/core/error.h"
#include "ow/core/secure_file.h"
#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/cases.h"
#include "ow/store/documents.h"
#include "ow/store/settings_registry.h"
#include "ow/store/repositories.h"
#include "ow/workflow/workflow.h"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace ow::app {
namespace {

constexpr std::size_t kPagesKept = 3;

core::CaseState state_of(const std::string& code) {
    for (int i = 0; i <= int(core::CaseState::archived); ++i)
        if (core::to_code(core::CaseState(i)) == code) return core::CaseState(i);
    return core::CaseState::draft;  // the store writes only known codes
}

/// The promised date still counts (Case::working_days_left: not after a decision or the end).
bool date_matters(core::CaseState s) {
    using S = core::CaseState;
    return s != S::refused && s != S::approved && s != S::denied && s != S::result_issued && s != S::rated &&
           s != S::archived;
}

std::string safe_name(const std::string& s) {
    std::string out;
    for (char c : s)
        out.push_back((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_' ? c : '_');
    return out;
}

}  // namespace

std::string mask_middle(const std::string& text, int keep_front, int keep_back) {
    // Split into UTF-8 code points.
    std::vector<std::string> cps;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        cps.push_back(text.substr(i, n));
        i += n;
    }
    const int len = int(cps.size());
    keep_front = std::max(0, keep_front);
    keep_back = std::max(0, keep_back);
    if (len <= keep_front + keep_back) return std::string(std::size_t(len), '*');
    std::string out;
    for (int i = 0; i < len; ++i) out += (i < keep_front || i >= len - keep_back) ? cps[std::size_t(i)] : "*";
    return out;
}

CasesPresenter::CasesPresenter(DeskServices& services, int page_size) : services_(services), page_size_(page_size) {
    if (page_size < 1 || page_size > 1000) throw std::invalid_argument("the page size must be 1-1000");
    for (auto q : store::kAllQueues) counts_.push_back({q, 0});
    counts_.push_back({store::Queue::closing, 0});  // at closing time: what can still be finished today
    counts_.push_back({store::Queue::assisted, 0});  // 帮办代办: the cases the signed-in user helps with
    counts_.push_back({store::Queue::remote_calls, 0});  // 事进人不进: calls to remote departments awaiting their answer
    counts_.push_back({store::Queue::acceptance_due, 0});  // 网上申报: received, the acceptance decision due within 5 working days
    refresh();
}

store::CaseQueues CasesPresenter::case_queues() const {
    store::CaseQueues queues(services_.store().db(), services_.calendar());
    queues.set_helper(services_.store().user().name);  // the assisted queue: the signed-in user's own
    return queues;
}

void CasesPresenter::refresh() {
    store::CaseQueues queues = case_queues();
    const auto today = services_.today();
    for (auto& c : counts_) c.count = queues.count(c.queue, today);
    late_calls_ = queues.late_calls(services_.now());
    read_count();
    if (searching_) search(search_text_);
    if (detail_) {
        const std::string id = detail_->summary.case_id;
        select(id);
    }
}

void CasesPresenter::read_count() {
    pages_.clear();
    for (const auto& c : counts_)
        if (c.queue == queue_) queue_count_ = c.count;
}

void CasesPresenter::select_queue(store::Queue q) {
    queue_ = q;
    searching_ = false;
    search_text_.clear();
    hits_ = {};
    store::CaseQueues queues = case_queues();
    const auto n = queues.count(q, services_.today());
    for (auto& c : counts_)
        if (c.queue == q) c.count = n;
    read_count();
}

std::vector<std::string> CasesPresenter::on_duty() const {
    return store::on_duty(store::parse_roster(store::SettingValues(services_.store()).get("hours.duty")), services_.today());
}

void CasesPresenter::search(const std::string& text) {
    if (text.find_first_not_of(" \t") == std::string::npos) {
        select_queue(queue_);
        return;
    }
    store::CaseStore cases(services_.store().db(), services_.calendar());
    hits_ = {};
    for (const auto& h : cases.search(text, kSearchLimit)) hits_.rows.push_back(from_hit(h));
    hits_.marked.assign(hits_.rows.size(), false);
    searching_ = true;
    search_text_ = text;
}

const CaseRow& CasesPresenter::row(std::int64_t i) {
    if (i < 0 || i >= row_count()) throw std::out_of_range("no row " + std::to_string(i) + " in the case list");
    if (searching_) return marked(hits_, std::size_t(i));
    const std::int64_t index = i / page_size_;
    auto it = std::find_if(pages_.begin(), pages_.end(), [&](const auto& p) { return p.first == index; });
    if (it == pages_.end()) {
        store::CaseQueues queues = case_queues();
        Page page;
        for (const auto& r : queues.page(queue_, services_.today(), page_size_, int(index * page_size_)))
            page.rows.push_back(from_queue_row(r));
        page.marked.assign(page.rows.size(), false);
        pages_.emplace_front(index, std::move(page));
        if (pages_.size() > kPagesKept) pages_.pop_back();
        it = pages_.begin();
    } else if (it != pages_.begin()) {
        pages_.splice(pages_.begin(), pages_, it);
        it = pages_.begin();
    }
    const auto offset = std::size_t(i - index * page_size_);
    if (offset >= it->second.rows.size()) return empty_;  // gone since the count was read
    return marked(it->second, offset);
}

const CaseRow& CasesPresenter::marked(Page& page, std::size_t i) {
    if (!page.marked[i]) {  // first shown: the sync mark and the working days (a walk over the calendar)
        auto& row = page.rows[i];
        row.sync = sync_mark(row.case_id);
        if (row.promised && date_matters(row.state)) {
            const auto today = services_.today();
            try {
                row.days_left = services_.calendar().working_days_between(today, *row.promised);
                row.overdue = today > *row.promised && *row.days_left < 0;
            } catch (const core::CalendarRangeError&) {
                // A date outside the calendar's years (2000–2099): shown without the count.
            }
        }
        page.marked[i] = true;
    }
    return page.rows[i];
}

SyncMark CasesPresenter::sync_mark(const std::string& case_id) {
    // Each EXISTS walks one index: outbox_quarantined, sync_issues_case_open, held_cases' key, outbox_case.
    auto& st = services_.store().db().cached(
        "SELECT EXISTS(SELECT 1 FROM outbox WHERE case_id = ?1 AND state = 'quarantined') "
        "OR EXISTS(SELECT 1 FROM sync_issues WHERE case_id = ?1 AND resolved_at IS NULL), "
        "EXISTS(SELECT 1 FROM held_cases WHERE case_id = ?1), EXISTS(SELECT 1 FROM outbox WHERE case_id = ?1)");
    st.bind(1, case_id);
    SyncMark m = SyncMark::synced;
    if (st.step()) m = st.int64(0) ? SyncMark::problem : st.int64(1) ? SyncMark::held : st.int64(2) ? SyncMark::pending : SyncMark::synced;
    st.reset();
    return m;
}

std::string CasesPresenter::item_name(const std::string& code, const std::string& fallback) const {
    if (const auto* item = services_.catalogue().item(code)) return item->name;
    return fallback.empty() ? code : fallback;
}

CaseRow CasesPresenter::from_queue_row(const store::QueueRow& r) const {
    CaseRow row;
    row.case_id = r.case_id;
    row.receipt_no = r.receipt_no;
    row.item_code = r.item_code;
    row.item_name = item_name(r.item_code, r.item_name);
    row.applicant_name = r.applicant_name;
    row.state = state_of(r.state);
    row.provisional = r.promised_provisional;
    row.promised = core::try_parse_date(r.due_date);
    if (!r.due_at.empty()) try {
            row.due_at = core::parse_instant(r.due_at);
        } catch (const core::ParseError&) {
        }
    row.material_name = r.material_name;
    row.promised_by = core::try_parse_date(r.promised_by);
    row.rating_level = r.rating_level;
    row.follow_up_due = core::try_parse_date(r.follow_up_due);
    row.sync_code = r.sync_code;
    row.green = r.green;
    row.accept_due = core::try_parse_date(r.accept_due);
    row.accept_overdue = row.accept_due && *row.accept_due < services_.today();
    row.call_department = r.call_department;
    if (!r.call_due.empty()) try {
            row.call_due = core::parse_instant(r.call_due);
            row.call_overdue = *row.call_due < services_.now();
        } catch (const core::ParseError&) {
        }
    return row;
}

CaseRow CasesPresenter::from_hit(const store::SearchHit& h) const {
    CaseRow row;
    row.case_id = h.id;
    row.receipt_no = h.receipt_no;
    row.item_code = h.item_code;
    row.item_name = item_name(h.item_code, "");
    row.applicant_name = h.applicant_name;
    row.state = state_of(h.state);
    row.provisional = h.promised_provisional;
    row.promised = core::try_parse_date(h.due_date);
    row.green = h.green;
    return row;
}

const CaseDetail* CasesPresenter::select(const std::string& case_id) {
    detail_.reset();
    auto id = core::Uuid::parse(case_id);
    if (!id) return nullptr;
    auto& db = services_.store().db();
    store::CaseStore cases(db, services_.calendar());
    auto c = cases.load(*id);
    if (!c) return nullptr;
    const auto today = services_.today();
    const auto& cal = services_.calendar();

    CaseDetail d;
    auto& s = d.summary;
    s.case_id = case_id;
    s.receipt_no = c->receipt_no;
    s.platform_case_no = c->platform_case_no;
    s.item_code = c->item_code;
    s.bundle_code = c->bundle_code;
    const auto* bundle = c->bundle_code.empty() ? nullptr : services_.catalogue().bundle(c->bundle_code);
    s.item_name = bundle ? bundle->name : item_name(c->item_code, c->item_name);
    s.state = c->state;
    s.applicant_name = c->applicant.name;
    s.rating = c->rating;
    s.green_flags = c->green_flags;
    s.assistance = c->assistance;
    s.agent_name = c->applicant.agent_name;
    s.agent_relation = c->applicant.agent_relation;
    s.credit = c->credit;
    s.revocation = c->revocation;
    s.remote_call = c->remote_call;
    s.channel = c->channel;
    s.application_id = c->application_id;
    s.acceptance_due = c->acceptance_due;
    s.acceptance_late = c->acceptance_due && *c->acceptance_due < services_.today();
    for (const auto* e : c->originals_to_verify())
        if (!e->original_check) s.originals_waiting.push_back(e->name);
    for (const auto* e : c->originals_mismatched()) s.originals_mismatched.push_back(e->name);
    s.urges = c->urges;
    for (const auto& e : c->checklist.entries) {
        if (e.via == core::MaterialVia::online && !e.blob_sha256.empty()) {
            CaseSummary::Upload u{e.material_code, e.name, std::nullopt, e.originals > 0};
            if (e.original_check) u.matched = e.original_check->match;
            s.uploads.push_back(std::move(u));
        }
        if (e.necessity != core::Necessity::optional && !e.satisfied() && e.status != core::MaterialStatus::deferred)
            s.awaited.emplace_back(e.material_code, e.name);
    }
    {
        const core::Instant now = services_.now();
        const bool call_late = c->remote_call && !c->remote_call->answered() && c->remote_call->due_at < now;
        s.late = call_late || (c->due_at && *c->due_at < now) || c->overdue(services_.today(), services_.calendar());
    }
    d.commitments = c->commitments;
    for (const auto& f : c->pending_follow_ups())
        d.follow_ups.push_back({f.commitment, f.commitment ? std::string() : f.code,
                                f.commitment ? c->commitments[std::size_t(f.commitment - 1)].text : f.name, f.kind, f.due});
    if (const auto* it = c->bundle_code.empty() ? services_.catalogue().item(c->item_code) : nullptr) {
        d.commitment_scheme = it->spec.commitment_scheme;
        d.window_decides = services_.store().user().role == core::Role::clerk && services_.workflow().window_may_decide(*c);
        d.credit_fast_track = it->spec.credit_fast_track;
    }
    s.doc_type = c->applicant.doc_type;
    s.doc_number_masked = c->applicant.doc_number.empty() ? "" : mask_middle(c->applicant.doc_number, 4, 4);
    s.phone_masked = c->applicant.phone.empty() ? "" : mask_middle(c->applicant.phone, 3, 4);
    s.submitted = c->received_at;
    s.accepted = c->accepted_at;
    s.promised = c->due_date;
    s.promised_at = c->due_at;
    s.provisional = c->promised_provisional;
    try {
        s.days_left = c->working_days_left(today, cal);
        s.overdue = c->overdue(today, cal);
    } catch (const core::CalendarRangeError&) {
    }

    // The timeline: the history, with the audit entries that record it folded in, and the other
    // audit entries about the case (created, scans attached, sync) between them by time.
    for (const auto& h : c->history) {
        TimelineEntry e;
        e.kind = TimelineEntry::Kind::history;
        e.at = h.at;
        e.action = std::string(core::to_code(h.action));
        e.from = h.from;
        e.to = h.to;
        e.user = h.actor.user_id;
        e.post = h.actor.post;
        e.acting_for = h.actor.acting_for;
        e.reason = h.reason;
        d.timeline.push_back(std::move(e));
    }
    const std::size_t n_history = d.timeline.size();
    std::string created_by;
    for (auto& a : store::AuditLog(db).for_case(case_id)) {
        if (a.action == "case.create") created_by = a.user_id;
        if (a.action.rfind("case.", 0) == 0) {
            auto detail = nlohmann::json::parse(a.detail, nullptr, false);
            if (detail.is_object() && detail.contains("seq") && detail["seq"].is_number_unsigned()) {
                const auto seq = detail["seq"].get<std::uint32_t>();
                if (seq >= 1 && seq <= n_history && "case." + d.timeline[seq - 1].action == a.action &&
                    c->history[seq - 1].seq == seq) {
                    d.timeline[seq - 1].audit_seq = a.seq;
                    continue;
                }
            }
        }
        TimelineEntry e;
        e.kind = TimelineEntry::Kind::audit;
        try {
            e.at = core::parse_instant(a.at);
        } catch (const core::Error&) {
            continue;  // the chain check (audit verify) reports a damaged entry; the timeline skips it
        }
        e.action = a.action;
        e.user = a.user_id;
        e.post = a.post;
        e.acting_for = a.acting_for;
        e.reason = a.detail;
        e.audit_seq = a.seq;
        d.timeline.push_back(std::move(e));
    }
    std::stable_sort(d.timeline.begin(), d.timeline.end(), [](const auto& x, const auto& y) { return x.at < y.at; });
    // Who took it: who accepted it, else who started it.
    for (const auto& h : c->history)
        if (h.action == core::CaseAction::accept) s.taken_by = h.actor.user_id;
    if (s.taken_by.empty()) s.taken_by = created_by.empty() && !c->history.empty() ? c->history.front().actor.user_id : created_by;

    for (const auto& m : c->checklist.entries)
        d.materials.push_back({m.material_code, m.name, m.necessity, m.status, m.promised_by, m.note});
    const auto* templates = &services_.renderer().templates();
    for (const auto& doc : store::CaseDocuments(db).list(case_id)) {
        DocumentRow r;
        r.seq = doc.seq;
        r.kind = doc.kind;
        const auto* t = templates->find(doc.kind);
        r.title = t ? t->title : doc.kind;
        r.sealed = doc.sealed;
        r.timestamped = doc.timestamped;
        r.created_at = doc.created_at;
        r.sha256 = doc.sha256;
        d.documents.push_back(std::move(r));
    }
    d.fees = c->fees;
    d.follow_up_open = store::Ratings(db).follow_up_open(case_id);
    detail_ = std::move(d);
    return &*detail_;
}

void CasesPresenter::fill(DeskState& state) const {
    state.case_state.reset();
    state.case_has_documents = false;
    state.case_follow_up_open = false;
    state.case_cross_region = false;
    state.case_archivable = false;
    state.case_fees_due = false;
    state.case_may_commit = false;
    state.case_follow_ups = false;
    state.case_window_decides = false;
    state.case_online = false;
    state.case_originals_waiting = false;
    state.case_late = false;
    if (!detail_) return;
    state.case_online = detail_->summary.channel != core::Channel::window;
    state.case_originals_waiting = !detail_->summary.uploads.empty();
    state.case_late = detail_->summary.late;
    state.case_window_decides = detail_->window_decides;
    state.case_may_commit = detail_->commitment_scheme || detail_->credit_fast_track;
    state.case_follow_ups = !detail_->follow_ups.empty();
    state.case_fees_due = std::any_of(detail_->fees.begin(), detail_->fees.end(), [](const core::CaseFee& f) { return !f.settled(); });
    state.case_state = detail_->summary.state;
    state.case_has_documents = !detail_->documents.empty();
    state.case_follow_up_open = detail_->follow_up_open;
    const auto* item = services_.catalogue().item(detail_->summary.item_code);
    state.case_cross_region = item && item->cross_region.has_value();
    state.case_archivable = archivable(detail_->summary.state);
}

bool CasesPresenter::allowed(core::CaseAction act) const {
    if (!detail_) return false;
    DeskState s;
    s.signed_in = services_.signed_in();
    s.has_store = services_.has_store_dir();
    const auto& user = services_.store().user();
    s.role = user.role;
    s.post = user.post;
    fill(s);
    return case_act_allowed(s, act);
}

std::filesystem::path CasesPresenter::export_document(std::size_t index) {
    if (!detail_) throw std::out_of_range("no case is selected");
    const DocumentRow& doc = detail_->documents.at(index);
    auto& st = services_.store();
    store::BlobStore blobs(st.db(), st.dir(), st.key());
    std::ostringstream pdf;
    blobs.get(doc.sha256, pdf);
    const auto path = private_dir() / (safe_name(detail_->summary.receipt_no.empty() ? detail_->summary.case_id
                                                                                       : detail_->summary.receipt_no) +
                                       "-" + std::to_string(doc.seq) + "-" + safe_name(doc.kind) + ".pdf");
    core::write_secret_file(path, pdf.str());
    return path;
}

namespace {

/// Runs an act and tells what it came to: refusals and bad input as an outcome, store errors thrown.
template <class Act>
ActOutcome guarded(Act&& act) {
    ActOutcome out;
    try {
        workflow::ActResult r = act();
        out.kind = ActOutcome::Kind::done;
        out.state = r.case_data.state;
        if (r.document) {
            DocumentRow d;
            d.seq = r.case_data.history.empty() ? 0 : r.case_data.history.back().seq;
            d.kind = r.document->kind;
            d.title = r.document->title.empty() ? r.document->kind : r.document->title;
            d.sealed = r.document->sealed;
            d.sha256 = r.document->sha256;
            out.notice = std::move(d);
        }
    } catch (const workflow::Refused& e) {
        out.kind = ActOutcome::Kind::refused;
        out.code = e.code();
        out.message = e.what();
    } catch (const core::IllegalTransition& e) {  // the machine's own refusal (state)
        out.kind = ActOutcome::Kind::refused;
        out.code = e.code();
        out.message = e.what();
    } catch (const core::NotAuthorised& e) {
        out.kind = ActOutcome::Kind::refused;
        out.code = e.code();
        out.message = e.what();
    } catch (const core::InvalidData& e) {  // workflow::InvalidInput among them
        out.kind = ActOutcome::Kind::invalid;
        out.code = e.code();
        out.message = e.what();
    }
    return out;
}

/// An act on the case `case_id` names (guarded); invalid when it names none.
template <class F>
ActOutcome on_case(const std::string& case_id, F&& act) {
    const auto id = core::Uuid::parse(case_id);
    if (!id) {
        ActOutcome out;
        out.kind = ActOutcome::Kind::invalid;
        out.message = "no case is selected";
        return out;
    }
    return guarded([&] { return act(*id); });
}

}  // namespace

ActOutcome CasesPresenter::run_act(workflow::Workflow& wf, const std::string& case_id, std::string_view act) {
    const auto id = core::Uuid::parse(case_id);
    if (!id || (act != "case.accept" && act != "case.submit" && act != "case.send_remote" && act != "case.receive" &&
                act != "case.originals" && act != "case.urge")) {
        ActOutcome out;
        out.kind = ActOutcome::Kind::invalid;
        out.message = id ? "no such act: " + std::string(act) : "no case is selected";
        return out;
    }
    return guarded([&] {
        if (act == "case.accept") return wf.accept(*id);
        if (act == "case.submit") return wf.submit(*id);
        if (act == "case.receive") return wf.receive(*id);  // 接件
        // 原件核验 at the desk: every upload still waiting, its original seen and matching (a
        // mismatch is recorded with what differs: `onewindow-cli case originals --mismatch`).
        if (act == "case.originals") return wf.verify_originals(*id, {});
        if (act == "case.urge") return wf.urge(*id, {});  // 催办: whom and why as the workflow words them
        return wf.send_cross_region(*id);
    });
}

ActOutcome CasesPresenter::run_payment(workflow::Workflow& wf, const std::string& case_id, const workflow::Payment& cmd) {
    return on_case(case_id, [&](const core::Uuid& id) { return wf.pay_fee(id, cmd); });
}

ActOutcome CasesPresenter::run_waiver(workflow::Workflow& wf, const std::string& case_id, const workflow::FeeWaiver& cmd) {
    return on_case(case_id, [&](const core::Uuid& id) { return wf.waive_fee(id, cmd); });
}

ActOutcome CasesPresenter::set_assist(const workflow::Assist& cmd) {
    auto out = on_case(detail_ ? detail_->summary.case_id : std::string(),
                       [&](const core::Uuid& id) { return services_.workflow().assist(id, cmd); });
    acted(out);
    return out;
}

ActOutcome CasesPresenter::set_agent(const workflow::SetAgent& cmd) {
    // What the desk can say in the clerk's words (the workflow checks the same, in English).
    if (!cmd.name.empty()) {
        ActOutcome bad;
        bad.kind = ActOutcome::Kind::invalid;
        if (!core::check_document_number(cmd.doc_type, cmd.doc_number).valid) {
            bad.code = "assist.agent_id";
            bad.message = "the agent's ID number does not check";
            return bad;
        }
    }
    auto out = on_case(detail_ ? detail_->summary.case_id : std::string(),
                       [&](const core::Uuid& id) { return services_.workflow().set_agent(id, cmd); });
    acted(out);
    return out;
}

ActOutcome CasesPresenter::record_commitment(const workflow::RecordCommitment& cmd) {
    auto out = on_case(detail_ ? detail_->summary.case_id : std::string(),
                       [&](const core::Uuid& id) { return services_.workflow().record_commitment(id, cmd); });
    acted(out);
    return out;
}

ActOutcome CasesPresenter::verify_originals(const workflow::OriginalsCheck& cmd) {
    auto out = on_case(detail_ ? detail_->summary.case_id : std::string(),
                       [&](const core::Uuid& id) { return services_.workflow().verify_originals(id, cmd); });
    acted(out);
    return out;
}

ActOutcome CasesPresenter::receive_by_post(const std::string& material_code, const std::string& tracking_no, const std::string& carrier) {
    workflow::RecordMaterial cmd;
    cmd.material_code = material_code;
    cmd.status = core::MaterialStatus::original_received;
    cmd.tracking_no = tracking_no;
    cmd.carrier = carrier;
    auto out = on_case(detail_ ? detail_->summary.case_id : std::string(),
                       [&](const core::Uuid& id) { return services_.workflow().record_material(id, cmd); });
    acted(out);
    return out;
}

ActOutcome CasesPresenter::verify_follow_up(const workflow::VerifyFollowUp& cmd) {
    auto out = on_case(detail_ ? detail_->summary.case_id : std::string(),
                       [&](const core::Uuid& id) { return services_.workflow().verify_follow_up(id, cmd); });
    acted(out);
    return out;
}

void CasesPresenter::prefetch_credit() {
    if (!detail_ || !detail_->credit_fast_track || detail_->summary.credit) return;
    const auto id = core::Uuid::parse(detail_->summary.case_id);
    if (!id) return;
    auto c = store::CaseStore(services_.store().db(), services_.calendar()).load(*id);
    if (!c || c->applicant.doc_number.empty()) return;
    services_.prefetch_credit(c->applicant.doc_type, c->applicant.doc_number);
}

std::vector<Helper> CasesPresenter::helpers() const {
    std::vector<Helper> out;
    for (const auto& u : services_.store().users())
        if (u.role == core::Role::clerk || u.role == core::Role::chief) out.push_back({u.name, u.display_name});
    return out;
}

ActOutcome CasesPresenter::set_green(core::GreenFlag flag, bool on) {
    const auto id = detail_ ? core::Uuid::parse(detail_->summary.case_id) : std::nullopt;
    if (!id) {
        ActOutcome out;
        out.kind = ActOutcome::Kind::invalid;
        out.message = "no case is selected";
        return out;
    }
    auto out = guarded([&] { return services_.workflow().flag_green(*id, flag, on); });
    acted(out);
    return out;
}

void CasesPresenter::acted(const ActOutcome& outcome) {
    if (outcome.kind == ActOutcome::Kind::done) refresh();  // counts, rows and the case follow the act
}

ActOutcome CasesPresenter::accept() {
    auto out = run_act(services_.workflow(), detail_ ? detail_->summary.case_id : std::string(), "case.accept");
    acted(out);
    return out;
}

ActOutcome CasesPresenter::submit() {
    auto out = run_act(services_.workflow(), detail_ ? detail_->summary.case_id : std::string(), "case.submit");
    acted(out);
    return out;
}

}  // namespace ow::app
