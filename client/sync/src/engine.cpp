#include "ow/sync/engine.h"
#include "ow/sync/client_cert.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/core/ids.h"
#include "ow/forms/catalogue.h"
#include "ow/store/applications.h"
#include "ow/store/appointments.h"
#include "ow/store/audit.h"
#include "ow/store/documents.h"
#include "ow/store/errors.h"
#include "ow/store/repositories.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <deque>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace ow::sync {

std::string round_trip_text(std::int64_t us) {
    if (us < 0) return {};
    // Milliseconds with three decimals, whatever the process's locale (the desk sets one).
    std::string frac = std::to_string(us % 1000);
    return std::to_string(us / 1000) + "." + std::string(3 - frac.size(), '0') + frac;
}

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

/// A private temporary directory (0700; in /dev/shm, memory, where there is one), removed with
/// its files: a document's plaintext exists only here, and only while it is timestamped.
struct PrivateDir {
    std::filesystem::path path;
    PrivateDir() {
        std::error_code ec;
        std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                                                    : std::filesystem::temp_directory_path();
        std::string pattern = (base / "onewindow-ts-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw store::StoreError("store.io", "cannot make a private temporary directory in " + base.string());
        path = pattern;
    }
    ~PrivateDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    PrivateDir(const PrivateDir&) = delete;
    PrivateDir& operator=(const PrivateDir&) = delete;
};

std::string now_text() { return core::format_instant(core::now()); }
std::string unix_instant(std::int64_t unix_s) { return core::format_instant(core::Instant(std::chrono::seconds(unix_s))); }

const core::Actor kPlatform{"platform", core::Role::platform, core::Post::none, ""};

struct Action {
    core::CaseAction action;
    core::CaseState target;
};

std::optional<Action> action_for(const std::string& type) {
    using A = core::CaseAction;
    using S = core::CaseState;
    if (type == "review_started") return Action{A::start_review, S::under_review};
    if (type == "correction_requested") return Action{A::request_correction, S::correction_requested};
    if (type == "approved") return Action{A::approve, S::approved};
    if (type == "denied") return Action{A::deny, S::denied};
    return std::nullopt;
}

}  // namespace

const char* to_code(Phase p) {
    switch (p) {
        case Phase::idle: return "idle";
        case Phase::connecting: return "connecting";
        case Phase::pushing: return "pushing";
        case Phase::uploading: return "uploading";
        case Phase::pulling: return "pulling";
        case Phase::resyncing: return "resyncing";
        case Phase::refreshing: return "refreshing";
        case Phase::waiting: return "waiting";
    }
    return "idle";
}

const char* to_code(Connectivity c) {
    switch (c) {
        case Connectivity::unknown: return "unknown";
        case Connectivity::online: return "online";
        case Connectivity::degraded: return "degraded";
        case Connectivity::offline: return "offline";
    }
    return "unknown";
}

SyncStatus read_status(store::Db& db) {
    SyncStatus s;
    auto cfg = store::Settings(db).platform();
    s.configured = cfg.has_value();
    if (cfg) {
        s.platform_url = cfg->url;
        s.terminal_id = cfg->terminal_id;
    }
    auto counts = store::Outbox(db).counts();
    s.queued_mutations = counts.pending;
    s.held_mutations = counts.held;
    s.quarantined = counts.quarantined;
    s.settled_total = counts.settled;
    s.queued_cases = counts.pending_cases;
    store::UploadQueue uq(db);
    s.blobs_pending = uq.pending_count();
    s.blob_bytes_pending = uq.pending_bytes();
    store::SyncIssues issues(db);
    s.conflicts_open = issues.open_count("conflict");
    s.problems_open = issues.open_count("problem");
    store::SyncLedger ledger(db);
    s.last_success = ledger.status("last_success").value_or("");
    s.last_attempt = ledger.status("last_attempt").value_or("");
    s.last_error_code = ledger.status("last_error_code").value_or("");
    s.last_error = ledger.status("last_error").value_or("");
    s.connectivity = ledger.status("connectivity").value_or("unknown");
    auto off = ledger.status("clock_offset_s").value_or("0");
    s.clock_offset_s = off.empty() ? 0 : std::stoll(off);
    s.changes_cursor = ledger.cursor("changes").value_or("");
    s.audit_anchor = ledger.status("audit_anchor").value_or("");
    const auto anchored = ledger.status("audit_anchored_seq").value_or("");
    s.audit_anchored_seq = anchored.empty() ? 0 : std::stoll(anchored);
    if (cfg && !cfg->client_cert_pem.empty()) {
        try {
            auto info = read_client_cert(cfg->client_cert_pem, cfg->client_key_pem);
            s.client_cert_not_after = unix_instant(info.not_after_s);
        } catch (const SyncError&) {
            s.client_cert_not_after = "unreadable";
        }
    }
    if (cfg) {
        wipe_secret(cfg->secret);
        wipe_secret(cfg->client_key_pem);
    }
    return s;
}

// ---- one pass ---------------------------------------------------------------------------------

struct SyncEngine::Pass {
    SyncEngine& e;
    store::Db& db;
    PlatformClient& client;
    core::WorkCalendar calendar;
    store::CaseStore cases;
    store::Outbox outbox;
    store::UploadQueue uploads;
    store::SyncLedger ledger;
    store::SyncIssues issues;
    SyncReport report;
    int failures = 0;
    std::int64_t release_generation = 0;  // see batch_key
    std::size_t rating_split = 0;  // ratings per request this pass (options; halved after a refused envelope)
    SyncProgress progress;
    Clock::time_point started = Clock::now();

    Pass(SyncEngine& engine, PlatformClient& c, core::WorkCalendar cal)
        : e(engine), db(*engine.db_), client(c), calendar(std::move(cal)), cases(db, calendar), outbox(db), uploads(db),
          ledger(db), issues(db), rating_split(std::max<std::size_t>(1, engine.opts_.ratings_per_request)) {}

    void set_connectivity(Connectivity c) {
        if (c == e.connectivity_) return;
        e.connectivity_ = c;
        ledger.set_status("connectivity", to_code(c));
        if (e.listener_) e.listener_->on_connectivity(c);
    }

    void emit(Phase phase) {
        progress.phase = phase;
        progress.bytes_up = client.stats().bytes_up;
        progress.bytes_down = client.stats().bytes_down;
        if (e.listener_) e.listener_->on_progress(progress);
    }

    /// A request succeeded: the failure streak ends.
    void succeeded() {
        failures = 0;
        e.breaker_.success();
        set_connectivity(Connectivity::online);
    }

    /// A request failed: rethrows what is not retryable or when the budget is spent; otherwise
    /// waits (backoff, at least Retry-After, and while the breaker is open) and returns.
    void failed(const SyncError& err) {
        if (!err.retryable()) throw err;
        ++failures;
        ++report.retries;
        e.breaker_.failure(Clock::now());
        set_connectivity(client.last_failure_was_connect() ? Connectivity::offline : Connectivity::degraded);
        if (failures > e.opts_.max_consecutive_failures) throw err;
        Ms wait = e.backoff_.next(failures, err.retry_after());
        wait = std::max(wait, e.breaker_.wait(Clock::now()));
        emit(Phase::waiting);
        if (!e.wait_for(wait)) throw SyncError(ErrorKind::cancelled, "sync.cancelled", "cancelled");
    }

    template <class F>
    auto retry(F&& op) -> decltype(op()) {
        for (;;) {
            if (e.cancel_) throw SyncError(ErrorKind::cancelled, "sync.cancelled", "cancelled");
            if (!e.breaker_.allow(Clock::now())) {
                if (!e.wait_for(e.breaker_.wait(Clock::now()))) throw SyncError(ErrorKind::cancelled, "sync.cancelled", "cancelled");
                continue;
            }
            try {
                auto r = op();
                succeeded();
                return r;
            } catch (const SyncError& err) {
                failed(err);
            }
        }
    }

    /// `took`: the request's time as if it had the link to itself (see Sweep::alone).
    /// `asked`: the batch size in force when it was built; a request built before the last change
    /// says nothing about the size now (three requests that landed late would otherwise halve it
    /// three times, three that landed early double it three times).
    void adapt_batch(Ms took, bool ok, int asked) {
        int& b = e.batch_;
        if (asked != b) return;
        // Grow while well under the target, shrink only when well over it (a request's time is noisy).
        if (!ok) b = std::max(1, b / 2);
        else if (took < e.opts_.target_request_time * 3 / 4) b = std::min(e.opts_.batch_max, b * 2);
        else if (took > e.opts_.target_request_time * 3 / 2) b = std::max(1, b / 2);
    }

    // -- push --

    std::string case_no_of(const std::string& case_id) {
        auto n = store::case_numbers(db, case_id);
        return n ? n->platform_case_no : std::string();
    }

    void quarantine_local(const store::OutboxEntry& entry, const std::string& why) {
        outbox.quarantine(entry, "local.unmappable", why, json{{"kind", entry.kind}}.dump(), core::now());
        ++report.quarantined;
    }

    /// Applies a batch's results in one transaction. Returns the cases with an entry that was
    /// refused or held (their later entries must not go this sweep).
    std::set<std::string> apply_results(const std::vector<store::OutboxEntry>& sent, const std::vector<RecordResult>& results) {
        std::unordered_map<std::string, const store::OutboxEntry*> by_id;
        for (const auto& s : sent) by_id[s.mutation_id] = &s;
        std::set<std::string> stopped;
        store::Transaction tx(db);
        std::vector<std::string> settle;
        std::vector<std::pair<std::string, std::string>> acknowledge;  // the cases the platform now holds
        for (const auto& r : results) {
            const store::OutboxEntry& entry = *by_id.at(r.mutation_id);
            if (r.status == RecordResult::Status::rejected) stopped.insert(entry.case_id);
            if (r.status == RecordResult::Status::rejected && r.reason_code == "held") continue;  // stays queued
            if (r.status == RecordResult::Status::rejected) {
                json detail = {{"kind", entry.kind}, {"platform_state", r.platform_state}};
                outbox.quarantine(entry, r.reason_code, r.reason_message, detail.dump(), core::now());
                ++report.quarantined;
                if (r.reason_code.rfind("conflict.", 0) == 0) ++report.conflicts;
                continue;
            }
            if (r.status == RecordResult::Status::duplicate) ++report.duplicates;
            settle.push_back(r.mutation_id);
            if (entry.kind == "create" || entry.kind == "snapshot") {
                acknowledge.emplace_back(entry.case_id, r.case_no);
                auto id = core::Uuid::parse(entry.case_id);
                if (id && !r.case_no.empty() && r.case_no.size() <= 50) cases.set_platform_case_no(*id, r.case_no, core::now());
            }
        }
        ledger.acknowledge_cases(acknowledge, core::now());
        outbox.settle(settle);
        report.settled += std::int64_t(settle.size());
        tx.commit();
        return stopped;
    }

    /// The same entries give the same key (a retry after a lost answer is answered from the
    /// platform's memory), until a clerk releases a quarantined mutation: then the refusal the
    /// platform remembers for that batch must not come back, so the key changes.
    std::string batch_key(bool ratings, const std::vector<std::string>& ids) const {
        std::string all;
        for (const auto& id : ids) all += id;
        if (release_generation > 0) all += "#" + std::to_string(release_generation);
        return (ratings ? "ratings-" : "push-") + sha256_hex(all);
    }

    /// A batch on its way: its entries stay pending until its answer is applied.
    struct Flight {
        Transport::Ticket ticket = 0;
        bool ratings = false;
        std::vector<store::OutboxEntry> entries;
        std::vector<std::string> ids;
        std::vector<std::string> case_of;  // each entry's case id, as ids
        std::set<std::string> cases;
        Clock::time_point started;
        double shared_at_start = 0;  // Sweep::shared when it started
        int asked = 0;               // the batch size in force when it was built
    };

    /// What a sweep of the outbox keeps track of.
    struct Sweep {
        std::int64_t after = 0;
        std::set<std::string> waiting;  // cases whose later entries wait for the next sweep
        std::set<std::string> flying;   // cases of batches in flight
        std::deque<Flight> flights;
        std::vector<store::OutboxEntry> rating_entries;
        json rating_records = json::array();
        bool skipped = false;
        bool exhausted = false;
        int landed = 0;  // requests landed since the sweep began
        /// The integral of the number of requests in flight over time (seconds): a request's
        /// time divided by the average number in flight with it (itself included) is what it
        /// would have taken alone. Requests in flight share the link, so on a slow link each
        /// takes `depth` times longer; judged by its own time a batch would shrink the more
        /// connections carry it.
        double shared = 0;
        Clock::time_point shared_at = Clock::now();
        void account(Clock::time_point now) {
            shared += double(flights.size()) * std::chrono::duration<double>(now - shared_at).count();
            shared_at = now;
        }
        /// `f`'s time alone (it has just landed: account() was called).
        Ms alone(const Flight& f, Clock::time_point now) const {
            const double took = std::chrono::duration<double>(now - f.started).count();
            const double in_flight = took > 0 ? std::max(1.0, (shared - f.shared_at_start) / took) : 1.0;
            return std::chrono::duration_cast<Ms>(std::chrono::duration<double>(took / in_flight));
        }
    };

    template <class Records>
    void launch(Sweep& sw, bool ratings, const Records& records, std::vector<store::OutboxEntry> entries) {
        Flight f;
        f.ratings = ratings;
        f.entries = std::move(entries);
        for (const auto& x : f.entries) {
            f.ids.push_back(x.mutation_id);
            f.case_of.push_back(x.case_id);
            f.cases.insert(x.case_id);
        }
        f.asked = e.batch_;
        f.started = Clock::now();
        sw.account(f.started);
        f.shared_at_start = sw.shared;
        f.ticket = client.start_push(ratings, records, batch_key(ratings, f.ids));
        for (const auto& c : f.cases) sw.flying.insert(c);
        sw.flights.push_back(std::move(f));
    }

    /// Waits for one request in flight and applies its answer: a batch (true) or a blob the push
    /// started on a free connection (false). A failed batch stays queued: its cases (and ratings
    /// gathered for them) wait for the next sweep.
    bool land(Sweep& sw) {
        auto done = client.wait();
        if (is_put(done.ticket)) {
            land_put(done, false);
            return false;
        }
        const auto landed = Clock::now();
        sw.account(landed);  // before the flight leaves the count
        auto it = std::find_if(sw.flights.begin(), sw.flights.end(), [&](const Flight& f) { return f.ticket == done.ticket; });
        Flight f = std::move(*it);
        sw.flights.erase(it);
        for (const auto& c : f.cases) sw.flying.erase(c);
        auto hold = [&](const std::set<std::string>& held) {
            if (held.empty()) return;
            for (const auto& c : held) sw.waiting.insert(c);
            sw.skipped = true;
            for (std::size_t i = sw.rating_entries.size(); i-- > 0;)
                if (held.count(sw.rating_entries[i].case_id)) {
                    sw.rating_entries.erase(sw.rating_entries.begin() + std::ptrdiff_t(i));
                    sw.rating_records.erase(i);
                }
        };
        try {
            auto results = client.push_answer(done, f.ids, f.case_of);
            succeeded();
            if (auto handshake = measured_round_trip()) compress_for(*handshake);  // the link may not be the one remembered
            if (!f.ratings) adapt_batch(sw.alone(f, landed), true, f.asked);
            auto moved_before = report.settled + report.quarantined;
            hold(apply_results(f.entries, results));
            progress.items_done += std::int64_t(f.entries.size());
            if (report.settled + report.quarantined == moved_before && !f.entries.empty())
                throw SyncError(ErrorKind::retryable, "platform.no_progress", "the platform settled none of the records sent");
        } catch (const SyncError& err) {
            hold(f.cases);
            if (err.kind() == ErrorKind::rejected && (err.http_status() == 400 || err.http_status() == 413 || err.http_status() == 422)) {
                // The envelope was refused: halve until the single bad record is found.
                if (f.entries.size() == 1) {
                    outbox.quarantine(f.entries[0], err.code(), err.what(), json{{"kind", f.entries[0].kind}}.dump(), core::now());
                    ++report.quarantined;
                } else if (!f.ratings) {
                    e.batch_ = std::max(1, int(f.entries.size() / 2));
                } else {
                    rating_split = std::max<std::size_t>(1, f.entries.size() / 2);
                }
                return true;
            }
            if (!err.retryable()) throw;
            outbox.record_attempt(f.ids, err.code());
            if (!f.ratings) adapt_batch(Ms(0), false, f.asked);
            failed(err);
        }
        emit(Phase::pushing);
        return true;
    }

    /// Waits for every batch in flight (also when the pass ends with an error: their answers are
    /// real and are applied; the transport is left idle for the next pass).
    void drain(Sweep& sw) {
        std::optional<SyncError> first;
        while (!sw.flights.empty()) {  // (blobs in flight are left for upload_all)
            try {
                land(sw);
            } catch (const SyncError& err) {
                if (!first) first = err;
            }
        }
        if (first) throw *first;
    }

    /// Builds the next batch of the sweep and sends it, `free` connections being free. False when
    /// the outbox has nothing more.
    bool fill(Sweep& sw, std::size_t free) {
        std::size_t want = std::size_t(std::max(1, e.batch_));
        // At a sweep's start what is left is shared between the free connections: a day's work
        // smaller than a batch goes over three connections instead of one (on a slow link one
        // request alone cannot fill it), but not in requests of fewer than kMinShare mutations.
        // (Sharing the end of every sweep the same way was tried: the last requests got small,
        // each still paying a round trip and its losses' recovery, and the run was no faster.)
        constexpr std::size_t kMinShare = 100;
        if (free > 1 && want > kMinShare) {
            const auto left = std::size_t(outbox.pending_after(sw.after, std::int64_t(want * free)));
            want = std::clamp((left + free - 1) / free, kMinShare, want);
        }
        auto entries = outbox.next_batch(int(want), e.opts_.batch_max_bytes, sw.after);
        if (entries.empty()) return false;
        // A batch cut by its size ends before its last case rather than across it, when that keeps
        // three quarters of it: a case split over two requests waits for the next sweep with its
        // second part, and the platform may act on the first part alone in between (its back
        // office takes a case as soon as it sees it accepted).
        if (entries.size() == want && want >= 4) {
            const std::string& last = entries.back().case_id;
            std::size_t start = entries.size();
            while (start > 0 && entries[start - 1].case_id == last) --start;
            bool earlier = false;
            for (std::size_t i = 0; i < start && !earlier; ++i) earlier = entries[i].case_id == last;
            if (!earlier && start > 0 && start >= want * 3 / 4) entries.resize(start);
        }
        std::string records = "[";
        std::vector<store::OutboxEntry> batch;
        for (const auto& entry : entries) {
            sw.after = entry.seq;
            if (sw.waiting.count(entry.case_id) || sw.flying.count(entry.case_id)) {
                // Its case has an earlier entry in flight (or held back): this one and every later
                // one of the case wait for the next sweep, or they could overtake it.
                sw.waiting.insert(entry.case_id);
                sw.skipped = true;
                continue;
            }
            try {
                if (entry.kind == "rate") {
                    sw.rating_records.push_back(client.codec().rating_record(entry, std::string()));  // case_no when sent
                    sw.rating_entries.push_back(entry);
                    sw.waiting.insert(entry.case_id);
                } else {
                    std::size_t mark = records.size();
                    if (!batch.empty()) records += ',';
                    try {
                        client.codec().append_push_record(records, entry);
                    } catch (...) {
                        records.resize(mark);
                        throw;
                    }
                    batch.push_back(entry);
                }
            } catch (const SyncError&) {
                throw;
            } catch (const core::Error& err) {
                quarantine_local(entry, err.what());
                sw.waiting.insert(entry.case_id);
            }
        }
        records += ']';
        if (!batch.empty()) launch(sw, false, records, std::move(batch));
        return true;
    }

    /// Sends gathered ratings whose cases have nothing in flight (their earlier entries are settled
    /// then, or their ratings were dropped for the next sweep), up to `rating_split` a request, while
    /// a connection is free: once a request's worth is ready, or whatever is ready when the sweep has
    /// nothing else to send (`all`). Ratings share the connections with the case batches instead of
    /// waiting for every batch to land: on a long link a drain leaves the link idle for a round trip.
    void launch_ratings(Sweep& sw, std::size_t depth, bool all) {
        while (sw.flights.size() + put_flights.size() < depth && !sw.rating_entries.empty()) {
            std::size_t ready = 0;
            for (const auto& entry : sw.rating_entries)
                if (!sw.flying.count(entry.case_id) && ++ready >= rating_split) break;
            if (ready == 0 || (!all && ready < rating_split)) return;
            std::vector<store::OutboxEntry> part, rest;
            json records = json::array(), rest_records = json::array();
            for (std::size_t i = 0; i < sw.rating_entries.size(); ++i) {
                auto& entry = sw.rating_entries[i];
                if (part.size() < ready && !sw.flying.count(entry.case_id)) {
                    json r = std::move(sw.rating_records[i]);
                    r["case_no"] = case_no_of(entry.case_id);  // its create may have landed since it was gathered
                    records.push_back(std::move(r));
                    part.push_back(std::move(entry));
                } else {
                    rest_records.push_back(std::move(sw.rating_records[i]));
                    rest.push_back(std::move(entry));
                }
            }
            sw.rating_entries = std::move(rest);
            sw.rating_records = std::move(rest_records);
            launch(sw, true, records, std::move(part));
        }
    }

    /// Sends the outbox in commit order, up to `pipeline_depth` batches at a time on their own
    /// connections. Batches in flight never share a case, so every case's order holds. Ratings go
    /// to the 好差评 interface in their own batches, gathered over a sweep of the outbox (on a
    /// long link each request costs a round trip) and sent on the same connections once their
    /// cases have nothing in flight; a case's entries after its rating, or after a batch of it that
    /// failed, wait for the next sweep.
    void push_all() {
        emit(Phase::pushing);
        progress.items_total = outbox.totals().pending;
        progress.items_done = 0;
        const std::size_t depth = std::size_t(std::max(1, e.opts_.pipeline_depth));
        release_generation = outbox.release_generation();
        Sweep sw;
        try {
            for (;;) {
                if (e.cancel_) throw SyncError(ErrorKind::cancelled, "sync.cancelled", "cancelled");
                if (!e.breaker_.allow(Clock::now()) && !e.wait_for(e.breaker_.wait(Clock::now())))
                    throw SyncError(ErrorKind::cancelled, "sync.cancelled", "cancelled");
                const auto busy = [&] { return sw.flights.size() + put_flights.size(); };
                launch_ratings(sw, depth, sw.exhausted);
                while (!sw.exhausted && busy() < depth) sw.exhausted = !fill(sw, depth - busy());
                if (sw.exhausted) launch_ratings(sw, depth, true);
                if (sw.flights.empty() && !sw.skipped) break;
                // The whole outbox read and a connection free: the small blobs start on it (what is
                // left of the push is a few requests whose cases wait for an answer).
                if (sw.exhausted) {
                    prime_puts();
                    start_puts(depth, busy());
                }
                // What waited (behind a rating, a batch in flight, a refusal or a failed batch) goes
                // in another sweep of the outbox. It starts as soon as this one has read everything
                // and a request has landed since it began, without waiting for the rest in flight:
                // on a slow link the last requests of a sweep would otherwise run with the link
                // half idle.
                if (sw.exhausted && sw.skipped && sw.flights.size() < depth && (sw.landed > 0 || sw.flights.empty())) {
                    emit(Phase::pushing);
                    sw = next_sweep(std::move(sw));
                    continue;
                }
                if (land(sw)) ++sw.landed;
            }
        } catch (...) {
            try {
                drain(sw);
            } catch (const SyncError&) {
                // the first error is the one reported
            }
            abandon_puts();  // the blobs it started: their answers are real too
            throw;
        }
        emit(Phase::pushing);
    }

    /// A new sweep from the start of the outbox that keeps the requests in flight and the ratings
    /// gathered but not sent (their cases wait, so they are not read again).
    static Sweep next_sweep(Sweep&& old) {
        Sweep n;
        n.flights = std::move(old.flights);
        n.flying = std::move(old.flying);
        n.rating_entries = std::move(old.rating_entries);
        n.rating_records = std::move(old.rating_records);
        for (const auto& r : n.rating_entries) n.waiting.insert(r.case_id);
        n.shared = old.shared;
        n.shared_at = old.shared_at;
        return n;
    }

    // -- upload --

    bool fits_one_request(const store::PendingBlob& b) const {
        return !e.no_put_ && b.upload_id.empty() &&
               b.size <= std::int64_t(std::clamp(e.chunk_, e.opts_.chunk_min, e.opts_.chunk_max));
    }

    /// A small blob's bytes, checked against its digest while read.
    std::string read_whole(const store::PendingBlob& b) {
        std::string data(std::size_t(b.size), '\0');
        store::BlobReader reader(*e.blobs_, b.sha256);
        if (reader.read(data.data(), data.size()) != data.size()) throw store::CorruptStore("blob " + b.sha256 + " is shorter than recorded");
        char probe;
        if (reader.read(&probe, 1) != 0) throw store::CorruptStore("blob " + b.sha256 + " is longer than recorded");  // also checks the digest
        return data;
    }

    // Blobs no larger than one chunk go up in one request each (no upload to open or finalize: two
    // round trips fewer, which is most of the time on a slow, long link), several at
    // once (`put_depth`), the largest first (the last requests of a pass are then the shortest, and
    // end nearly together). They start while the push ends when its sweep leaves connections free.
    struct PutFlight {
        Transport::Ticket ticket;
        store::PendingBlob blob;
    };
    std::deque<store::PendingBlob> put_queue;
    std::deque<PutFlight> put_flights;
    std::vector<store::PendingBlob> put_rest;  // for the resumable path (no PUT, or the bytes did not match)
    std::set<std::string> put_seen;            // digests queued this pass
    bool put_primed = false;

    void queue_puts(std::vector<store::PendingBlob> blobs) {
        std::stable_sort(blobs.begin(), blobs.end(), [](const store::PendingBlob& a, const store::PendingBlob& b) { return a.size > b.size; });
        for (auto& b : blobs)
            if (put_seen.insert(b.sha256).second) put_queue.push_back(std::move(b));
    }

    /// Starts queued blobs while fewer than `depth` requests (of any kind: `busy`) are in flight.
    void start_puts(std::size_t depth, std::size_t busy) {
        while (!put_queue.empty() && busy < depth && !e.no_put_) {
            store::PendingBlob b = std::move(put_queue.front());
            put_queue.pop_front();
            std::string data;
            try {
                data = read_whole(b);
            } catch (const store::CorruptStore& err) {
                damaged_blob(b, err);
                continue;
            }
            put_flights.push_back({client.start_put(b.sha256, b.media_type, data), std::move(b)});
            ++busy;
        }
    }

    bool is_put(Transport::Ticket t) const {
        return std::any_of(put_flights.begin(), put_flights.end(), [&](const PutFlight& f) { return f.ticket == t; });
    }

    /// Applies a finished PUT. `show`: the upload's progress is shown (not while the push runs).
    void land_put(Transport::Completion& done, bool show) {
        auto it = std::find_if(put_flights.begin(), put_flights.end(), [&](const PutFlight& f) { return f.ticket == done.ticket; });
        store::PendingBlob b = std::move(it->blob);
        put_flights.erase(it);
        report.upload_bytes_sent += std::int64_t(done.body_bytes_up);
        try {
            auto result = client.put_answer(done);
            succeeded();
            if (result == PlatformClient::PutResult::unsupported) e.no_put_ = true;
            if (result != PlatformClient::PutResult::complete) {
                put_rest.push_back(std::move(b));
                return;
            }
            uploads.mark_uploaded(b.sha256);
            ++report.blobs_uploaded;
            if (show) {
                ++progress.items_done;
                emit(Phase::uploading);
            }
        } catch (const SyncError& err) {
            if (err.kind() == ErrorKind::rejected) {
                refused_blob(b, err);
                return;
            }
            if (!err.retryable()) throw;
            put_queue.push_back(std::move(b));  // idempotent by the digest: send it again
            failed(err);
        }
    }

    /// The push's sweep has read the whole outbox: the small blobs to upload start on the
    /// connections it leaves free (once a pass; what a push queues later goes in upload_all).
    void prime_puts() {
        if (put_primed || !e.opts_.upload || e.no_put_) return;
        put_primed = true;
        std::vector<store::PendingBlob> small;
        for (auto& b : uploads.pending(100))
            if (fits_one_request(b)) small.push_back(std::move(b));
        queue_puts(std::move(small));
    }

    /// Waits for the blobs in flight (before a request that needs the transport to itself).
    void finish_puts_in_flight() {
        while (!put_flights.empty()) {
            auto done = client.wait();
            if (is_put(done.ticket)) land_put(done, false);
        }
    }

    /// The same while an error is already on its way: their answers are applied, their own
    /// errors dropped (the first error is the one reported).
    void abandon_puts() {
        while (!put_flights.empty()) {
            try {
                auto done = client.wait();
                if (is_put(done.ticket)) land_put(done, false);
            } catch (const SyncError&) {
            } catch (const std::exception&) {
                put_flights.clear();  // the transport itself failed: nothing more will land
            }
        }
    }

    /// Sends the queued small blobs and waits for every one in flight. Returns the blobs that must
    /// take the resumable path.
    std::vector<store::PendingBlob> run_puts() {
        const std::size_t depth = std::size_t(std::max(1, e.opts_.put_depth));
        try {
            while (!put_queue.empty() || !put_flights.empty()) {
                if (e.cancel_) throw SyncError(ErrorKind::cancelled, "sync.cancelled", "cancelled");
                start_puts(depth, put_flights.size());
                if (put_flights.empty()) break;
                auto done = client.wait();
                land_put(done, true);
            }
        } catch (...) {
            abandon_puts();
            throw;
        }
        std::vector<store::PendingBlob> rest = std::move(put_rest);
        put_rest.clear();
        for (auto& b : put_queue) rest.push_back(std::move(b));  // the platform stopped taking them in one request
        put_queue.clear();
        return rest;
    }

    /// The platform refused a blob (4xx): a problem record for the clerk (once, not on every
    /// pass); the blob stays queued and the other blobs go on.
    void refused_blob(const store::PendingBlob& b, const SyncError& err) {
        issues.add_once("problem", "", "", "blob.refused", "the platform refused blob " + b.sha256 + ": " + err.what(),
                        json{{"sha256", b.sha256}, {"code", err.code()}}.dump(), core::now());
        ++report.problems;
    }

    void damaged_blob(const store::PendingBlob& b, const store::CorruptStore& err) {
        issues.add_once("problem", "", "", "blob.damaged", err.what(), json{{"sha256", b.sha256}}.dump(), core::now());
        ++report.problems;
    }

    bool upload_one(const store::PendingBlob& b) {
        std::vector<char> buf;
        for (int restarts = 0; restarts < 3; ++restarts) {
            BlobOpen open = retry([&] { return client.open_blob(b.sha256, b.size, b.media_type); });
            if (open.complete) {
                uploads.mark_uploaded(b.sha256);
                return true;
            }
            if (open.offset < 0 || open.offset > b.size)
                throw SyncError(ErrorKind::retryable, "platform.malformed", "the platform reported an upload offset outside the blob");
            std::int64_t offset = open.offset;
            int stuck = 0;  // failed or refused chunks since the offset last moved
            uploads.save_progress(b.sha256, open.upload_id, offset, b.size);
            auto reader = std::make_unique<store::BlobReader>(*e.blobs_, b.sha256);
            reader->skip(std::uint64_t(offset));
            bool reopen = false;
            while (offset < b.size && !reopen) {
                std::size_t limit = std::min<std::size_t>(e.opts_.chunk_max, std::size_t(std::max<std::int64_t>(open.chunk_max, 1024)));
                std::size_t n = std::size_t(std::min<std::int64_t>(std::int64_t(std::clamp(e.chunk_, e.opts_.chunk_min, limit)), b.size - offset));
                buf.resize(n);
                if (reader->read(buf.data(), n) != n) throw store::CorruptStore("blob " + b.sha256 + " is shorter than recorded");
                auto t0 = Clock::now();
                auto wire0 = client.stats().body_bytes_up;
                PlatformClient::AppendResult r;
                bool errored = false;  // the request failed (already counted and waited for)
                try {
                    if (!e.breaker_.allow(Clock::now()) && !e.wait_for(e.breaker_.wait(Clock::now())))
                        throw SyncError(ErrorKind::cancelled, "sync.cancelled", "cancelled");
                    r = client.append(open.upload_id, offset, buf.data(), n, [&](std::uint64_t up, std::uint64_t, std::uint64_t) {
                        progress.bytes_done = offset + std::int64_t(up);
                    });
                    succeeded();
                    report.upload_bytes_sent += std::int64_t(client.stats().body_bytes_up - wire0);
                } catch (const SyncError& err) {
                    report.upload_bytes_sent += std::int64_t(client.stats().body_bytes_up - wire0);
                    if (!err.retryable()) throw;
                    // The chunk may or may not have arrived: ask the platform where it stands. The
                    // streak counts chunks that failed at this offset (a successful offset query
                    // must not reset it, or a chunk that always fails would be sent for ever).
                    failures = std::max(failures, stuck);
                    failed(err);
                    stuck = failures;
                    errored = true;
                    e.chunk_ = std::max(e.opts_.chunk_min, e.chunk_ / 2);
                    auto at = retry([&] { return client.upload_offset(open.upload_id); });
                    if (!at) {
                        reopen = true;
                        break;
                    }
                    r.offset = *at;
                }
                if (r.unknown_upload) {
                    reopen = true;
                    break;
                }
                if (r.ok) {
                    auto took = std::chrono::duration_cast<Ms>(Clock::now() - t0);
                    if (took < e.opts_.target_request_time / 2) e.chunk_ = std::min(e.opts_.chunk_max, e.chunk_ * 2);
                    else if (took > e.opts_.target_request_time) e.chunk_ = std::max(e.opts_.chunk_min, e.chunk_ / 2);
                }
                if (r.offset > offset) {
                    stuck = 0;
                } else {
                    if (!errored) ++stuck;  // refused (409) at this offset, or the platform went back
                    if (stuck > e.opts_.max_consecutive_failures)
                        throw SyncError(ErrorKind::retryable, "upload.no_progress",
                                        "the platform takes no more of blob " + b.sha256 + " (offset " + std::to_string(offset) + ")");
                    if (!errored) {
                        failures = std::max(failures, stuck - 1);
                        failed(SyncError(ErrorKind::retryable, "upload.no_progress", "the platform holds an earlier offset for blob " + b.sha256));
                    }
                }
                if (r.offset != offset + std::int64_t(n)) {
                    // Resume from the platform's acknowledged offset (a reader only moves forward).
                    if (r.offset < 0 || r.offset > b.size) throw SyncError(ErrorKind::retryable, "platform.malformed", "upload offset out of range");
                    reader = std::make_unique<store::BlobReader>(*e.blobs_, b.sha256);
                    reader->skip(std::uint64_t(r.offset));
                }
                offset = r.offset;
                uploads.save_progress(b.sha256, open.upload_id, offset, b.size);
                progress.bytes_done = offset;
                emit(Phase::uploading);
            }
            if (reopen) {
                uploads.reset(b.sha256);
                continue;
            }
            auto fin = retry([&] { return client.finalize(open.upload_id); });
            if (fin == PlatformClient::Finalize::complete) {
                uploads.mark_uploaded(b.sha256);
                ++report.blobs_uploaded;
                return true;
            }
            uploads.reset(b.sha256);  // mismatch or unknown: start the upload again
        }
        issues.add_once("problem", "", "", "blob.upload_failed", "the platform did not accept blob " + b.sha256 + " after three uploads",
                        json{{"sha256", b.sha256}}.dump(), core::now());
        ++report.problems;
        return false;
    }

    // -- document timestamps --

    /// Sealed case documents without a document timestamp (sealed offline) get one from the
    /// platform's TSA, through the caller's timestamper (seal::timestamp_document). One attempt,
    /// no backoff: when the TSA is missing or fails, every document stays as it was (its blob and
    /// flags untouched) for the next pass, and the pass goes on. A document the timestamper
    /// refuses (not a PDF it can extend) or whose blob is damaged becomes a problem record and the
    /// others go on. A done one is stored as a new blob and marked in one transaction (linked to
    /// its case: queued for upload, and an attach_blob mutation for the push). Returns how many
    /// were timestamped.
    int timestamp_documents() {
        if (!e.opts_.timestamp_document) return 0;
        store::CaseDocuments docs(db);
        auto todo = docs.needing_timestamp(e.opts_.timestamps_per_pass);
        if (todo.empty()) return 0;
        finish_puts_in_flight();
        PrivateDir tmp;
        const auto in = tmp.path / "in.pdf", out = tmp.path / "out.pdf";
        int done = 0;
        for (const auto& d : todo) {
            if (e.cancel_) break;
            try {
                std::ofstream f(in, std::ios::binary | std::ios::trunc);
                e.blobs_->get(d.sha256, f);
                f.close();
                if (!f) throw store::StoreError("store.io", "cannot write a temporary copy of a case document");
            } catch (const store::CorruptStore& err) {  // this document's blob, not the store: the others go on
                issues.add_once("problem", d.case_id, "", "document.timestamp_failed",
                                "the document could not be read: " + std::string(err.what()),
                                json{{"seq", d.seq}, {"kind", d.kind}, {"sha256", d.sha256}, {"error", err.code()}}.dump(), core::now());
                ++report.problems;
                continue;
            }
            bool no_tsa = false;
            auto tsa = [&](const std::string& request_der) {
                auto reply = client.timestamp(request_der);
                if (!reply) {
                    no_tsa = true;
                    throw SyncError(ErrorKind::rejected, "tsa.none", "the platform offers no timestamp authority");
                }
                return std::move(*reply);
            };
            try {
                e.opts_.timestamp_document(in, out, tsa);
            } catch (const store::StoreError&) {
                throw;
            } catch (const core::Error& err) {
                const std::string code = err.code();
                bool tsa_failed = no_tsa || dynamic_cast<const SyncError*>(&err) || code.rfind("seal.tsa", 0) == 0;
                if (tsa_failed) {  // the TSA's fault, not the document's: all wait for the next pass
                    report.timestamp_error = std::string(err.what()) + " [" + code + "]";
                    break;
                }
                issues.add_once("problem", d.case_id, "", "document.timestamp_failed",
                                "the document could not be timestamped: " + std::string(err.what()),
                                json{{"seq", d.seq}, {"kind", d.kind}, {"sha256", d.sha256}, {"error", code}}.dump(), core::now());
                ++report.problems;
                continue;
            }
            store::Transaction tx(db);
            std::string sha = e.blobs_->put_file(out, "application/pdf");
            docs.mark_timestamped(d.case_id, d.seq, d.kind, sha, core::now());
            tx.commit();
            std::filesystem::remove(out);
            ++done;
        }
        report.documents_timestamped += done;
        return done;
    }

    void upload_all() {
        emit(Phase::uploading);
        std::set<std::string> tried(put_seen.begin(), put_seen.end());
        progress.items_total = uploads.pending_count() + std::int64_t(put_flights.size());
        progress.items_done = 0;
        // The blobs the push started (and those it queued) first.
        upload_large(run_puts(), tried);
        for (;;) {
            auto pending = uploads.pending(100 + int(std::min<std::size_t>(tried.size(), 100000)));  // past the ones tried
            std::vector<store::PendingBlob> todo;
            for (auto& b : pending)
                if (!tried.count(b.sha256)) todo.push_back(std::move(b));
            if (todo.empty()) break;
            progress.items_total = uploads.pending_count();
            std::vector<store::PendingBlob> small, large;
            for (auto& b : todo) {
                tried.insert(b.sha256);
                (fits_one_request(b) ? small : large).push_back(std::move(b));
            }
            queue_puts(std::move(small));
            for (auto& b : run_puts()) large.push_back(std::move(b));
            upload_large(large, tried);
        }
    }

    /// The resumable path, one blob after the other.
    void upload_large(const std::vector<store::PendingBlob>& large, std::set<std::string>& tried) {
        for (const auto& b : large) {
            tried.insert(b.sha256);
            progress.bytes_total = b.size;
            progress.bytes_done = b.acked_offset;
            try {
                upload_one(b);
            } catch (const store::CorruptStore& err) {
                damaged_blob(b, err);
            } catch (const SyncError& err) {
                if (err.kind() != ErrorKind::rejected) throw;
                refused_blob(b, err);
            }
            ++progress.items_done;
        }
    }

    // -- pull --

    void apply_change(const Change& c) {
        if (!c.problem.empty()) {
            issues.add("problem", c.case_id, "", c.known_type ? "change.unusable" : "change.unknown_type", c.problem,
                       c.raw.dump(), core::now());
            ++report.problems;
            return;
        }
        auto id = core::Uuid::parse(c.case_id);
        auto local = cases.load(*id);
        if (!local) {
            issues.add("problem", c.case_id, "", "change.unknown_case", "the platform sent a change for a case this terminal does not hold",
                       c.raw.dump(), core::now());
            ++report.problems;
            return;
        }
        if (!c.case_no.empty() && c.case_no != local->platform_case_no) {
            cases.set_platform_case_no(*id, c.case_no, core::now());
            local->platform_case_no = c.case_no;
        }
        if (c.type == "result_ready") {
            store::record_platform_result(db, {c.case_id, c.result_name, c.result_number, c.result_ready_at});
            store::AuditLog(db).append(kPlatform, core::now(), "sync.result_ready", c.case_id,
                                       json{{"change_id", c.change_id}, {"number", c.result_number}}.dump());
            ++report.changes_applied;
            return;
        }
        core::Actor actor = kPlatform;
        if (!c.officer.empty()) actor.user_id = "platform:" + c.officer;
        auto converged = [&] {  // already so here (e.g. decided at the window too): the trail records that they agree
            store::AuditLog(db).append(actor, core::now(), "sync.change_converged", c.case_id,
                                       json{{"change_id", c.change_id}, {"type", c.type}}.dump());
        };
        core::CaseEvent ev;
        if (c.type == "commitment_checked") {
            // 审管联动: the regulator's finding on a commitment, as a verify_follow_up event.
            const auto n = c.check.value("commitment", std::int64_t(0));
            if (n >= 1 && std::size_t(n) <= local->commitments.size() && local->commitments[std::size_t(n - 1)].finding) return converged();
            ev = core::CaseEvent{core::CaseAction::verify_follow_up, actor, c.at, "", c.check};
            ev.data["source"] = "regulator";
            ev.data["regulator"] = c.department.empty() ? std::string("监管部门") : c.department;
        } else {
            auto act = action_for(c.type);
            if (local->state == act->target) return converged();
            ev = core::CaseEvent{act->action, actor, c.at, c.opinion, json::object()};
            if (!c.legal_basis.empty()) ev.data["legal_basis"] = c.legal_basis;
            if (act->action == core::CaseAction::request_correction) ev.data["materials"] = c.materials;
        }
        try {
            store::Transaction tx(db);
            cases.apply_remote(*local, ev);
            if (auto doc = documents.find(c.change_id); doc != documents.end()) {
                // 通办: the other region's decision document, downloaded before this page's transaction.
                e.blobs_->record(doc->second);
                store::CaseDocuments(db).add({c.case_id, local->history.back().seq, store::kRemoteDecisionKind, doc->second.sha256, false, false, ""},
                                             core::now());
                uploads.mark_uploaded(doc->second.sha256);  // the platform made it: nothing to upload
                ++report.remote_documents;
            }
            tx.commit();
            ++report.changes_applied;
        } catch (const store::StoreError&) {
            throw;
        } catch (const core::Error& err) {
            issues.add("conflict", c.case_id, "", "conflict.local_state",
                       "the platform reports '" + c.type + "' but the case is " + std::string(core::to_code(local->state)) +
                           " here: " + err.what(),
                       json{{"change", c.raw}, {"local_state", core::to_code(local->state)}}.dump(), core::now());
            ++report.conflicts;
        }
    }

    /// The decision documents of a page's changes (通办: approved / denied by the other region),
    /// by change id: downloaded, checked and written as encrypted blob files BEFORE the page's
    /// transaction (no lock is held during a download); apply_change lists and links them. A
    /// document the platform does not hold (404) is a problem record; the change applies without it.
    std::map<std::string, store::StagedBlob> documents;
    void fetch_documents(const ChangesPage& page) {
        documents.clear();
        for (const auto& c : page.changes) {
            if (c.document_sha256.empty() || !c.problem.empty()) continue;
            try {
                auto bytes = retry([&] { return client.blob_content(c.document_sha256, c.document_size); });
                std::istringstream in(bytes);
                documents[c.change_id] = e.blobs_->stage(in, c.document_media_type);
            } catch (const SyncError& err) {
                if (err.kind() != ErrorKind::rejected) throw;
                issues.add_once("problem", c.case_id, "", "change.document_unavailable",
                           "the platform did not send the decision document " + c.document_sha256 + ": " + err.what(), c.raw.dump(), core::now());
                ++report.problems;
            }
        }
    }

    // -- appointments (预约, issue 19) --

    /// Pulls the centre's appointments (new and changed since the cursor) into the store.
    void pull_appointments() {
        std::string cursor = ledger.cursor("appointments").value_or("");
        for (;;) {
            auto page = retry([&] { return client.appointments(cursor, 200); });
            if (!page) return;  // the platform offers no appointments
            store::Transaction tx(db);
            store::Appointments book(db);
            for (const auto& a : page->appointments) {
                try {
                    book.upsert_from_platform(a, core::now());
                    ++report.appointments_pulled;
                } catch (const store::StoreError&) {
                    throw;
                } catch (const core::Error& err) {
                    issues.add("problem", "", "", "appointment.invalid", err.what(), "{}", core::now());
                    ++report.problems;
                }
            }
            for (const auto& p : page->problems) {
                issues.add("problem", "", "", "appointment.unusable", p, "{}", core::now());
                ++report.problems;
            }
            ledger.set_cursor("appointments", page->next_cursor, core::now());
            tx.commit();
            if (!page->has_more || page->next_cursor == cursor) return;
            cursor = page->next_cursor;
        }
    }

    // -- online applications (网上申报, issue 21) --

    /// Pulls the centre's online applications into the inbox, with their uploads: each upload not
    /// held here is downloaded (before the page's transaction; no lock during a download), checked
    /// against its digest and size, and stored as an encrypted blob that needs no upload. An
    /// upload the platform does not send is a problem record; the application comes in without it.
    void pull_applications() {
        std::string cursor = ledger.cursor("applications").value_or("");
        for (;;) {
            auto page = retry([&] { return client.applications(cursor, 200); });
            if (!page) return;  // the platform offers no online applications
            std::vector<store::StagedBlob> staged;
            std::set<std::string> fetched;  // one download per content in a page
            for (const auto& a : page->applications) {
                if (a.status != "submitted") continue;
                for (const auto& u : a.uploads) {
                    if (e.blobs_->has(u.sha256) || !fetched.insert(u.sha256).second) continue;
                    try {
                        auto bytes = retry([&] { return client.blob_content(u.sha256, u.size); });
                        std::istringstream in(bytes);
                        staged.push_back(e.blobs_->stage(in, u.media_type.empty() ? "application/octet-stream" : u.media_type));
                    } catch (const SyncError& err) {
                        if (err.kind() != ErrorKind::rejected) throw;
                        issues.add_once("problem", "", "", "application.upload_unavailable",
                                        "the platform did not send upload " + u.sha256 + " of application " + a.id + ": " + err.what(),
                                        json{{"application_id", a.id}, {"material_code", u.material_code}}.dump(), core::now());
                        ++report.problems;
                    }
                }
            }
            store::Transaction tx(db);
            store::Applications book(db);
            for (const auto& s : staged) {
                e.blobs_->record(s);
                uploads.mark_uploaded(s.sha256);  // the platform holds it: nothing to upload
            }
            for (const auto& a : page->applications) {
                try {
                    book.upsert_from_platform(a, core::now());
                    ++report.applications_pulled;
                } catch (const store::StoreError&) {
                    throw;
                } catch (const core::Error& err) {
                    issues.add("problem", "", "", "application.invalid", err.what(), "{}", core::now());
                    ++report.problems;
                }
            }
            for (const auto& p : page->problems) {
                issues.add("problem", "", "", "application.unusable", p, "{}", core::now());
                ++report.problems;
            }
            ledger.set_cursor("applications", page->next_cursor, core::now());
            tx.commit();
            if (!page->has_more || page->next_cursor == cursor) return;
            cursor = page->next_cursor;
        }
    }

    /// Sends the arrivals and no-shows recorded here. A report the platform refuses (e.g. the
    /// appointment was cancelled there) is not sent again: it becomes a problem record.
    void report_appointments() {
        store::Appointments book(db);
        for (;;) {
            auto pending = book.pending_reports(200);
            if (pending.empty()) return;
            finish_puts_in_flight();
            json records = json::array();
            std::vector<std::string> ids;
            std::string all;
            std::map<std::string, const store::Appointment*> by_report;
            for (const auto& a : pending) {
                records.push_back(WireCodec::appointment_report(a));
                ids.push_back(a.report_id);
                all += a.report_id;
                by_report[a.report_id] = &a;
            }
            auto results = retry([&] { return client.report_appointments(records, ids, "appointments-" + sha256_hex(all)); });
            store::Transaction tx(db);
            std::vector<std::string> done;
            for (const auto& r : results) {
                const auto* a = by_report.at(r.report_id);
                done.push_back(a->id);
                if (r.status == "rejected") {
                    issues.add("problem", a->case_id, "", "appointment." + r.reason_code,
                               "the platform refused the " + a->status + " report of appointment " + a->id + ": " + r.reason_message,
                               json{{"appointment_id", a->id}, {"report_id", a->report_id}}.dump(), core::now());
                    ++report.problems;
                } else {
                    ++report.appointments_reported;
                }
            }
            book.reports_sent(done);
            tx.commit();
            if (pending.size() < 200) return;
        }
    }

    /// Returns true when it ran a full resync (snapshots may be queued). When the platform asks
    /// for one, the feed is first read to its end without the checksum (the changes after this
    /// terminal's cursor are applied, not skipped), then the index rebuilds the checksum and the
    /// feed goes on from where it is.
    bool pull_all() {
        emit(Phase::pulling);
        bool resynced = false, resync_due = false;
        for (;;) {
            std::string cursor = ledger.cursor("changes").value_or("");
            bool lenient = ledger.status("feed_fail_cursor").value_or("\x01") == cursor &&
                           std::stoi(ledger.status("feed_fail_count").value_or("0")) >= 5;
            std::optional<std::string> state;
            if (!resync_due && !outbox.has_unsettled_creates()) state = ledger.state();
            ChangesPage page;
            try {
                page = client.changes(cursor, e.opts_.page_size, state, lenient);
                succeeded();
            } catch (const SyncError& err) {
                if (err.kind() == ErrorKind::resync && !resynced) {
                    resynced = resync_due = true;
                    continue;
                }
                if (resync_due && err.kind() == ErrorKind::rejected) {
                    // The platform no longer knows this cursor (e.g. restored from a backup): the
                    // index's feed position is the one to go on from.
                    resync_due = false;
                    resync(true);
                    continue;
                }
                if (err.code() == "platform.malformed") {
                    int n = ledger.status("feed_fail_cursor").value_or("\x01") == cursor
                                ? std::stoi(ledger.status("feed_fail_count").value_or("0")) : 0;
                    ledger.set_status("feed_fail_cursor", cursor);
                    ledger.set_status("feed_fail_count", std::to_string(n + 1));
                }
                failed(err);
                continue;
            }
            fetch_documents(page);
            {
                store::Transaction tx(db);
                for (const auto& c : page.changes) apply_change(c);
                ledger.set_cursor("changes", page.next_cursor, core::now());
                tx.commit();
            }
            documents.clear();
            progress.items_done += std::int64_t(page.changes.size());
            emit(Phase::pulling);
            if (!page.has_more) {
                if (resync_due) {
                    resync_due = false;
                    resync(false);
                    continue;  // once more with the rebuilt checksum
                }
                report.feed_complete = true;
                return resynced;
            }
            if (page.next_cursor == cursor && page.changes.empty())
                throw SyncError(ErrorKind::retryable, "platform.malformed", "the change feed does not advance");
        }
    }

    /// Rebuilds the checksum from the platform's case index and queues a snapshot of each case the
    /// platform lost. `take_feed_position`: go on with the feed from the index's position (this
    /// terminal's cursor is not valid any more).
    void resync(bool take_feed_position) {
        emit(Phase::resyncing);
        ++report.resyncs;
        std::map<std::string, IndexEntry> platform;
        std::string cursor, changes_cursor;
        bool first = true;
        for (;;) {
            auto page = retry([&] { return client.case_index(cursor, 1000); });
            if (first) changes_cursor = page.changes_cursor;
            first = false;
            for (auto& c : page.cases) platform[c.case_id] = std::move(c);
            if (!page.has_more) break;
            if (page.next_cursor == cursor) throw SyncError(ErrorKind::retryable, "platform.malformed", "the case index does not advance");
            cursor = page.next_cursor;
        }
        auto held = ledger.held_cases();
        std::unordered_set<std::string> local_held(held.begin(), held.end());
        store::Transaction tx(db);
        auto now = core::now();
        // Each case here with the last own event the platform should hold, read in one pass: the
        // index is compared with it in memory, not case by case against the store.
        const auto local = ledger.settled_client_seqs();
        std::vector<std::string> gone;
        std::vector<core::Uuid> resend;
        for (const auto& id : held) {
            if (platform.count(id)) continue;
            gone.push_back(id);
            if (auto uuid = core::Uuid::parse(id); uuid && local.count(id)) resend.push_back(*uuid);
        }
        ledger.forget_cases(gone);
        std::vector<std::pair<std::string, std::string>> acknowledge;
        for (const auto& [id, entry] : platform) {
            // The checksum is the platform's view: every case the index lists counts, known here or not.
            if (!local_held.count(id)) acknowledge.emplace_back(id, entry.case_no);
            auto here = local.find(id);
            auto uuid = core::Uuid::parse(id);
            if (here == local.end() || !uuid) {
                issues.add_once("problem", id, "", "resync.unknown_case", "the platform holds a case of this terminal that is not in this store",
                                json{{"case_no", entry.case_no}, {"state", entry.state}}.dump(), now);
                ++report.problems;
                continue;
            }
            if (entry.last_seq < here->second) resend.push_back(*uuid);
        }
        ledger.acknowledge_cases(acknowledge, now);
        for (const auto& uuid : resend) cases.enqueue_snapshot(uuid, now);
        if (take_feed_position) ledger.set_cursor("changes", changes_cursor, now);
        tx.commit();
        emit(Phase::pulling);
    }

    // -- catalogue and calendars --

    void refresh() {
        auto last = ledger.status("refreshed_at");
        if (last) {
            auto age = core::now() - core::parse_instant(*last);
            if (age < e.opts_.refresh_interval) return;
        }
        emit(Phase::refreshing);
        store::CatalogCache cache(db);
        std::string since = cache.version();
        try {
            (void)forms::load_catalogue_entries(cache.entries(), "catalogue cache");
        } catch (const store::StoreError&) {
            throw;
        } catch (const core::Error&) {
            since.clear();  // a cached catalogue this build cannot read is downloaded again whole
        }
        for (int restart = 0; restart < 2; ++restart) {
            std::string cursor = ledger.cursor("catalogue").value_or("");
            bool finished = false;
            try {
                for (;;) {
                    auto page = retry([&] { return client.catalogue(since, cursor, 200); });
                    if (page.unchanged) {
                        finished = true;
                        break;
                    }
                    store::Transaction tx(db);
                    cache.stage(page.version, page.entries);
                    ledger.set_cursor("catalogue", page.next_cursor, core::now());
                    tx.commit();
                    if (!page.has_more) {
                        try {
                            catalogue::promote_staged(db);  // ow_core and the form engine check every entry
                        } catch (const store::StoreError&) {
                            throw;
                        } catch (const core::Error& err) {
                            cache.clear_staging();
                            issues.add("problem", "", "", "catalogue.invalid", err.what(), "{}", core::now());
                            ++report.problems;
                        }
                        ledger.clear_cursor("catalogue");
                        finished = true;
                        break;
                    }
                    cursor = page.next_cursor;
                }
            } catch (const SyncError& err) {
                if (err.kind() != ErrorKind::rejected || err.http_status() != 409) throw;
                cache.clear_staging();  // the catalogue changed while paging: start again
                ledger.clear_cursor("catalogue");
            }
            if (finished) break;
        }
        std::string cursor = ledger.cursor("calendars").value_or("");
        for (;;) {
            auto page = retry([&] { return client.calendars(cursor); });
            store::Transaction tx(db);
            store::PlatformCalendars cals(db);
            for (const auto& c : page.calendars) {
                try {
                    cals.put(c.revision, c.body);
                } catch (const store::StoreError&) {
                    throw;
                } catch (const core::Error& err) {
                    issues.add("problem", "", "", "calendar.invalid", "calendar " + std::to_string(c.year) + ": " + err.what(), "{}", core::now());
                    ++report.problems;
                }
            }
            ledger.set_cursor("calendars", page.next_cursor, core::now());
            tx.commit();
            if (!page.has_more || page.next_cursor == cursor) break;
            cursor = page.next_cursor;
        }
        // An official year may have replaced a provisional one: the open cases whose promised date
        // was provisional are computed again (each with a recompute_due event; none when unchanged).
        calendar = store::PlatformCalendars(db).calendar();
        cases.recompute_provisional(kPlatform, core::now(), "official working-day calendar from the platform");
        ledger.set_status("refreshed_at", now_text());
    }

    /// The round trip remembered from the last contact with the platform, if any.
    std::optional<Clock::duration> remembered_round_trip() {
        const std::string text = ledger.status(kRoundTripStatus).value_or("");
        double ms = -1;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);  // locale-independent
        if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !(ms >= 0) || ms > 3'600'000) return std::nullopt;
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(ms));
    }

    /// The transport's handshakes measured a round trip (one per new connection, the shortest kept).
    std::optional<Clock::duration> measured_round_trip() const {
        const auto us = client.stats().round_trip_us;
        if (us < 0) return std::nullopt;
        return std::chrono::microseconds(us);
    }

    /// A platform within 2 ms is on this machine or its LAN: there the CPU is the limit and bodies
    /// go uncompressed; over any real link the bytes are, and gzip pays for itself.
    void compress_for(Clock::duration rtt) { client.set_compression_level(rtt < std::chrono::milliseconds(2) ? 0 : 6); }

    void run() {
        emit(Phase::connecting);
        // The link's round trip is remembered from the last contact (a pass, or `platform connect`
        // verifying the connection), so a pass starts sending at once; a ping measures it only when
        // nothing is remembered (on a township link a ping costs two round trips, more with a lost
        // SYN: 0.6–2 s of an idle link). Each pass measures it again from its own handshakes.
        auto rtt = remembered_round_trip();
        if (!rtt) {
            auto t0 = Clock::now();
            retry([&] { return client.ping(); });
            rtt = Clock::now() - t0;
            if (auto handshake = measured_round_trip()) rtt = std::min(*rtt, *handshake);  // a ping on a new connection takes two
            // A near answer is asked twice more (a busy platform can be slow once); a far one is not.
            for (int i = 0; i < 2 && *rtt < std::chrono::milliseconds(20) && *rtt >= std::chrono::milliseconds(2); ++i) {
                auto t1 = Clock::now();
                retry([&] { return client.ping(); });
                rtt = std::min<Clock::duration>(*rtt, Clock::now() - t1);
            }
        }
        compress_for(*rtt);
        // A far platform (a township link) starts with full batches: at a round trip of 100 ms and
        // more, a small request spends much of its time waiting for the answer, and three of them
        // grow slowly. A link too slow for that halves it on the first requests.
        if (!e.batch_adapted_ && *rtt >= std::chrono::milliseconds(100)) e.batch_ = std::max(e.batch_, e.opts_.batch_max);
        e.batch_adapted_ = true;
        try {
            run_steps();
        } catch (...) {
            remember_round_trip();
            abandon_puts();  // the transport is left idle for the next pass
            throw;
        }
        remember_round_trip();
    }

    /// Keeps this pass's measured round trip for the next (nothing when it opened no connection).
    void remember_round_trip() {
        try {
            if (auto us = client.stats().round_trip_us; us >= 0) ledger.set_status(kRoundTripStatus, round_trip_text(us));
        } catch (const std::exception&) {
            // a hint only: the next pass pings when it cannot be kept
        }
    }

    void run_steps() {
        renew_certificate_if_due();
        if (e.opts_.push) {
            push_all();
            if (timestamp_documents() > 0) push_all();  // the timestamped documents' attach_blob mutations
        }
        if (e.opts_.push) report_appointments();
        if (e.opts_.upload) upload_all();
        if (e.opts_.pull && pull_all() && e.opts_.push) {
            push_all();  // the snapshots a resync queued
            if (e.opts_.upload) upload_all();
        }
        // A decision document recorded by the pull is linked to its case by an attach_blob
        // mutation: it goes up in this pass too.
        if (e.opts_.push && report.remote_documents > 0) push_all();
        if (e.opts_.pull) pull_appointments();
        if (e.opts_.pull) pull_applications();
        if (e.opts_.refresh) refresh();
        if (e.opts_.anchor_audit) anchor_audit();
    }

    // ---- trust chain (docs/security-model.md and docs/platform-api.md, "Trust chain") ----

    /// The hash of the local audit entry at `seq` ("" when there is none).
    std::string audit_hash_at(std::int64_t seq) {
        auto& st = db.cached("SELECT hash FROM audit WHERE seq = ?1");
        st.bind(1, seq);
        std::string h = st.step() ? st.text(0) : std::string();
        st.reset();
        return h;
    }

    /// Sends the audit head; proves, when the platform asks, that it extends the head anchored
    /// before. A trail the platform finds rewritten is recorded (status, a problem for the clerk)
    /// and ends the pass with the error audit.rewritten.
    void anchor_audit() {
        std::int64_t seq = 0;
        std::string hash;
        {
            auto& st = db.cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
            if (st.step()) {
                seq = st.int64(0);
                hash = st.text(1);
            }
            st.reset();
        }
        std::optional<PlatformClient::AuditProof> proof;
        const std::string known = ledger.status("audit_anchored_seq").value_or("");
        if (!known.empty() && known.find_first_not_of("0123456789") == std::string::npos && known.size() < 19) {
            const std::int64_t at = std::stoll(known);
            proof = PlatformClient::AuditProof{at, audit_hash_at(at)};
        }
        using Status = PlatformClient::AnchorAnswer::Status;
        auto answer = retry([&] { return client.anchor_audit(seq, hash, proof); });
        if (answer.status == Status::proof_needed) {
            proof = PlatformClient::AuditProof{answer.anchored_seq, audit_hash_at(answer.anchored_seq)};
            answer = retry([&] { return client.anchor_audit(seq, hash, proof); });
            if (answer.status == Status::proof_needed)
                throw SyncError(ErrorKind::retryable, "platform.malformed", "the platform asked twice for the audit proof it was sent");
        }
        report.audit_anchored_seq = answer.anchored_seq;
        switch (answer.status) {
            case Status::anchored:
                report.audit_anchor = "anchored";
                ledger.set_status("audit_anchor", "anchored");
                ledger.set_status("audit_anchored_seq", std::to_string(answer.anchored_seq));
                ledger.set_status("audit_anchored_at", now_text());
                return;
            case Status::unsupported:
                report.audit_anchor = "unsupported";
                ledger.set_status("audit_anchor", "unsupported");
                return;
            case Status::rewritten:
            case Status::proof_needed:
                break;
        }
        report.audit_anchor = "rewritten";
        const std::string message = "the platform reports that this terminal's audit trail was rewritten: it no longer extends "
                                    "the head anchored at entry " + std::to_string(answer.anchored_seq) +
                                    " (the platform said: " + answer.message + "). Tell the centre's administrator";
        ledger.set_status("audit_anchor", "rewritten");
        // One open problem per anchored head, not one per pass.
        const auto open_before = issues.open_count("problem");
        issues.add_once("problem", "", "", "audit.rewritten", message, nlohmann::json{{"anchored_seq", answer.anchored_seq}}.dump(),
                        core::now());
        if (issues.open_count("problem") > open_before) ++report.problems;
        throw SyncError(ErrorKind::auth, "audit.rewritten", message, 409);
    }

    /// Asks the platform for a new client certificate (with a new key made here) when less than
    /// a third of the current one's lifetime is left; stores both and audits it.
    void renew_certificate_if_due() {
        auto cfg = store::Settings(db).platform();
        if (!cfg) return;
        struct Wipe {
            store::PlatformConfig& c;
            ~Wipe() {
                wipe_secret(c.secret);
                wipe_secret(c.client_key_pem);
            }
        } wipe{*cfg};
        if (cfg->client_cert_pem.empty() || cfg->url.rfind("https://", 0) != 0) return;
        const auto info = read_client_cert(cfg->client_cert_pem, cfg->client_key_pem);
        const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        if (!needs_renewal(info, now_s)) return;
        auto fresh = make_client_key(cfg->terminal_id);
        struct WipeKey {
            std::string& k;
            ~WipeKey() { wipe_secret(k); }
        } wipe_key{fresh.key_pem};
        const std::string cert = retry([&] { return client.renew_certificate(fresh.csr_pem); });
        const auto issued = read_client_cert(cert, fresh.key_pem);  // the platform certified this key
        store::Transaction tx(db);
        cfg->client_cert_pem = cert;
        cfg->client_key_pem = fresh.key_pem;
        store::Settings(db).set_platform(*cfg);
        store::AuditLog(db).append(kPlatform, core::now(), "platform.cert_renewed", "",
                                   nlohmann::json{{"serial", issued.serial}, {"previous_serial", info.serial},
                                                  {"not_after", unix_instant(issued.not_after_s)}}
                                       .dump());
        tx.commit();
        report.certificate_renewed = true;
    }
};

// ---- engine -----------------------------------------------------------------------------------

SyncEngine::SyncEngine(store::Store& store, SyncOptions options)
    : store_(store), opts_(std::move(options)), db_(store.connect()),
      blobs_(std::make_unique<store::BlobStore>(*db_, store.dir(), store.key())),
      backoff_(opts_.backoff_base, opts_.backoff_cap, opts_.seed ? opts_.seed : std::random_device{}()),
      breaker_(opts_.breaker_threshold, opts_.breaker_cool_down), chunk_(opts_.chunk_start), batch_(opts_.batch_start) {
    // Everything this connection writes can be done again after a power cut: a lost "settled"
    // re-sends mutations the platform answers as duplicates, a lost feed page (applied with its
    // cursor) is pulled again. So it need not wait for the disk at each commit, unlike the desk's
    // commits (synchronous=FULL). WAL with NORMAL still never corrupts the database.
    db_->exec("PRAGMA synchronous = NORMAL");
}

SyncEngine::~SyncEngine() { stop(); }

bool SyncEngine::wait_for(Ms d) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, d, [&] { return cancel_.load() || stopping_.load(); });
    return !cancel_ && !stopping_;
}

SyncReport SyncEngine::run_once() {
    {
        std::lock_guard lock(mu_);
        if (!stopping_) cancel_ = false;  // a stop() that came first stays in force
    }
    SyncReport report;
    store::SyncLedger ledger(*db_);
    try {
        auto cfg = store::Settings(*db_).platform();
        if (!cfg)
            throw SyncError(ErrorKind::config, "config.no_platform",
                            "no platform is connected (run: onewindow-cli platform connect --store DIR --url URL --credentials FILE)");
        // The client is made again when the configuration changed; what it was made for is kept
        // as a digest, and the secret's copies read from the store are wiped at once (the Signer
        // holds it in guarded memory).
        std::string key = cfg->url + "\n" + cfg->terminal_id + "\n" + cfg->secret + "\n" + cfg->ca_pem + "\n" + cfg->pin + "\n" + cfg->proxy +
                          "\n" + cfg->client_cert_pem + "\n" + cfg->client_key_pem;
        std::string digest = sha256_hex(key);
        wipe_secret(key);
        if (!client_ || digest != client_key_) {
            try {
                client_ = std::make_unique<PlatformClient>(*cfg, &cancel_, opts_.transport);
            } catch (...) {
                wipe_secret(cfg->secret);
                wipe_secret(cfg->client_key_pem);
                throw;
            }
            client_key_ = digest;
        }
        wipe_secret(cfg->secret);
        wipe_secret(cfg->client_key_pem);
        auto before = client_->stats();
        Pass pass(*this, *client_, store::PlatformCalendars(*db_).calendar());
        ledger.set_status("last_attempt", now_text());
        try {
            pass.run();
            ledger.set_status("last_success", now_text());
            ledger.set_status("last_error_code", "");
            ledger.set_status("last_error", "");
        } catch (const SyncError& err) {
            pass.report.error = err;
        } catch (const std::exception& err) {
            // The store (disk full, write lock busy) or a bug: the pass ends, the thread lives on.
            pass.report.error = SyncError(ErrorKind::retryable, "local.error", err.what());
        }
        report = pass.report;
        auto after = client_->stats();
        report.requests = after.requests - before.requests;
        report.bytes_up = after.bytes_up - before.bytes_up;
        report.bytes_down = after.bytes_down - before.bytes_down;
        report.body_bytes_up = after.body_bytes_up - before.body_bytes_up;
        ledger.set_status("clock_offset_s", std::to_string(client_->clock_offset().count()));
    } catch (const SyncError& err) {
        report.error = err;
    } catch (const std::exception& err) {
        report.error = SyncError(ErrorKind::retryable, "local.error", err.what());
    }
    if (report.error) {
        ledger.set_status("last_error_code", report.error->code());
        ledger.set_status("last_error", report.error->what());
        if (report.error->code() == "platform.clock_offset") {
            // The clerk must see it (sync panel, `sync issues`): one open record, not one per pass.
            try {
                store::SyncIssues(*db_).add_once("problem", "", "", report.error->code(), report.error->what(), "{}", core::now());
                ++report.problems;
            } catch (const std::exception&) {
                // The store is unusable right now: the status above still names the error.
            }
        }
    }
    auto counts = store::Outbox(*db_).totals();
    report.remaining_mutations = counts.pending;
    report.quarantined_total = counts.quarantined;
    report.remaining_blobs = store::UploadQueue(*db_).pending_count();
    if (opts_.timestamp_document) report.documents_awaiting_timestamp = store::CaseDocuments(*db_).needing_timestamp_count();
    if (listener_) listener_->on_pass(report);
    return report;
}

void SyncEngine::start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    store::SyncLedger(*db_).set_status("connectivity", to_code(Connectivity::unknown));  // nothing heard yet this session
    thread_ = std::thread([this] { loop(); });
}

void SyncEngine::loop() {
    while (!stopping_) {
        SyncReport report;
        try {
            report = run_once();
        } catch (const std::exception& err) {
            // Even recording the pass failed (the store is unusable right now): try again later.
            report.error = SyncError(ErrorKind::retryable, "local.error", err.what());
        }
        Ms wait = opts_.watch_interval;
        if (report.error && report.error->retryable()) wait = std::max(Ms(1000), breaker_.wait(Clock::now()));
        // Straight on while the last pass moved something and more is queued; a quarantined or held
        // mutation, or a blob the platform refuses, waits for the interval (or a wake-up).
        bool moved = report.settled + report.quarantined + report.blobs_uploaded > 0;
        if (!report.drained() && !report.error && moved) wait = Ms(0);
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, wait, [&] { return stopping_.load() || woken_; });
        woken_ = false;
    }
}

void SyncEngine::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        cancel_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SyncEngine::wake() {
    {
        std::lock_guard lock(mu_);
        woken_ = true;
    }
    cv_.notify_all();
}

void SyncEngine::cancel() {
    {
        std::lock_guard lock(mu_);
        cancel_ = true;
    }
    cv_.notify_all();
}

}  // namespace ow::sync
