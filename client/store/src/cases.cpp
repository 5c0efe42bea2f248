#include "ow/store/cases.h"

#include "ow/core/validators.h"
#include "ow/store/audit.h"
#include "ow/store/errors.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace ow::store {
namespace {

using nlohmann::json;

std::string upper_bound_for_prefix(const std::string& prefix) {
    return prefix + "\xF4\x8F\xBF\xBF";  // U+10FFFF: above every UTF-8 continuation of the prefix
}

bool all_digits(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::uint32_t StoreSequence::next(core::Date day) {
    std::string d = core::format_date(day);
    db_.cached("INSERT INTO receipt_seq(day, last) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET last = last + 1")
        .bind(1, d)
        .run();
    auto& q = db_.cached("SELECT last FROM receipt_seq WHERE day = ?");
    q.bind(1, d);
    q.step();
    auto last = std::uint32_t(q.int64(0));
    q.reset();
    return last;
}

CaseStore::CaseStore(Db& db, const core::WorkCalendar& calendar) : db_(db), calendar_(calendar) {}

std::int64_t CaseStore::upsert_applicant(const core::Applicant& a, core::Instant at) {
    int type = core::document_type_info(a.doc_type).code;
    db_.cached("INSERT INTO applicants(kind, name, doc_type, doc_number, phone, body, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT(doc_type, doc_number) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
              "phone = excluded.phone, body = excluded.body, updated_at = excluded.updated_at")
        .bind(1, json(core::to_json(a))["kind"].get<std::string>()).bind(2, a.name).bind(3, type).bind(4, a.doc_number)
        .bind(5, a.phone).bind(6, core::to_json(a).dump()).bind(7, core::format_instant(at))
        .run();
    auto& q = db_.cached("SELECT id FROM applicants WHERE doc_type = ? AND doc_number = ?");
    q.bind(1, type).bind(2, a.doc_number);
    q.step();
    auto id = q.int64(0);
    q.reset();
    return id;
}

void CaseStore::write_case_row(const core::Case& c, std::int64_t applicant_id, bool insert, core::Instant at,
                               std::int64_t expected_version) {
    // The history lives in case_history; the body holds everything else.
    json j = core::to_json(c);
    j.erase("history");
    std::string body = j.dump();
    std::string due = c.due_date ? core::format_date(*c.due_date) : std::string();
    // The follow-up queue (deferred-due, queues.h): the earliest promised date of a deferred
    // material, or check date of a commitment (Case::next_follow_up), with what it is.
    const auto follow_up = c.next_follow_up();
    const std::string deferred = follow_up ? core::format_date(*follow_up->due) : std::string();
    const std::string follow_code = follow_up ? follow_up->code : std::string();
    const std::string follow_name = follow_up ? follow_up->name : std::string();
    // The assisted queue (queues.h): the helper while the case is open.
    const bool open = c.state != core::CaseState::archived && c.state != core::CaseState::refused &&
                      c.state != core::CaseState::result_issued && c.state != core::CaseState::rated;
    const std::string helper = c.assistance && open ? c.assistance->helper : std::string();
    // The remote-calls queue (事进人不进): the call's due instant while unanswered and the case open.
    const bool call_open = c.remote_call && !c.remote_call->answered() && open && c.state != core::CaseState::approved &&
                           c.state != core::CaseState::denied;
    const std::string call_due = call_open ? core::format_instant(c.remote_call->due_at) : std::string();
    // The acceptance-due queue (art. 32): the decision's date while the case is received.
    const std::string accept_due =
        c.state == core::CaseState::received && c.acceptance_due ? core::format_date(*c.acceptance_due) : std::string();
    if (insert) {
        db_.cached("INSERT INTO cases(id, receipt_no, platform_case_no, item_code, applicant_id, applicant_name, applicant_doc, "
                  "applicant_phone, state, due_date, version, created_at, updated_at, body, deferred_due, green, helper, follow_up_code, "
                  "follow_up_name, call_due, accept_due) "
                  "VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), NULLIF(?, ''), "
                  "NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''))")
            .bind(1, c.id.to_string()).bind(2, c.receipt_no).bind(3, c.platform_case_no).bind(4, c.item_code)
            .bind(5, applicant_id).bind(6, c.applicant.name).bind(7, c.applicant.doc_number).bind(8, c.applicant.phone)
            .bind(9, core::to_code(c.state)).bind(10, due).bind(11, std::int64_t(c.history.size()))
            .bind(12, core::format_instant(at)).bind(13, core::format_instant(at)).bind(14, body).bind(15, deferred)
            .bind(16, std::int64_t(c.green_flags.empty() ? 0 : 1)).bind(17, helper).bind(18, follow_code).bind(19, follow_name)
            .bind(20, call_due).bind(21, accept_due)
            .run();
    } else {
        db_.cached("UPDATE cases SET platform_case_no = ?, state = ?, due_date = NULLIF(?, ''), version = ?, updated_at = ?, body = ?, "
                  "applicant_id = COALESCE(NULLIF(?, 0), applicant_id), applicant_name = ?, applicant_doc = ?, applicant_phone = ?, "
                  "deferred_due = NULLIF(?, ''), green = ?, helper = NULLIF(?, ''), follow_up_code = NULLIF(?, ''), "
                  "follow_up_name = NULLIF(?, ''), call_due = NULLIF(?, ''), accept_due = NULLIF(?, '') WHERE id = ? AND version = ?")
            .bind(1, c.platform_case_no).bind(2, core::to_code(c.state)).bind(3, due).bind(4, std::int64_t(c.history.size()))
            .bind(5, core::format_instant(at)).bind(6, body).bind(7, applicant_id).bind(8, c.applicant.name)
            .bind(9, c.applicant.doc_number).bind(10, c.applicant.phone).bind(11, deferred)
            .bind(12, std::int64_t(c.green_flags.empty() ? 0 : 1)).bind(13, helper).bind(14, follow_code).bind(15, follow_name)
            .bind(16, call_due).bind(17, accept_due).bind(18, c.id.to_string()).bind(19, expected_version)
            .run();
        if (db_.changes() != 1)
            throw StoreError("store.conflict", "case " + c.id.to_string() + " was changed elsewhere: reload it and try again");
    }
    db_.cached("DELETE FROM checklist WHERE case_id = ?").bind(1, c.id.to_string()).run();
    auto& ins = db_.cached("INSERT INTO checklist(case_id, material_code, name, necessity, status, promised_by, blob_sha256) "
                  "VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, ''))");
    for (const auto& e : c.checklist.entries) {
        ins.bind(1, c.id.to_string()).bind(2, e.material_code).bind(3, e.name).bind(4, core::to_code(e.necessity))
            .bind(5, core::to_code(e.status))
            .bind(6, e.promised_by ? std::optional<std::string>(core::format_date(*e.promised_by)) : std::nullopt)
            .bind(7, e.blob_sha256);
        ins.run();
        ins.reset();
    }
}

void CaseStore::enqueue(const std::string& case_id, const std::string& kind, const std::string& payload, core::Instant at) {
    db_.cached("INSERT INTO outbox(mutation_id, case_id, kind, payload, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, (ids_ ? ids_->next_at(std::uint64_t(at.time_since_epoch().count())) : core::new_uuid_v7()).to_string())
        .bind(2, case_id).bind(3, kind).bind(4, payload)
        .bind(5, core::format_instant(at))
        .run();
}

void CaseStore::create(core::Case& c, const core::Actor& actor, core::Instant at, const TerminalIdentity& terminal) {
    if (c.state != core::CaseState::draft || !c.history.empty())
        throw core::InvalidData("only a new draft case can be created");
    if (c.applicant.name.empty() != c.applicant.doc_number.empty())
        throw core::InvalidData("the applicant needs both a name and a document number (or neither, for a draft)");
    Transaction tx(db_);
    StoreSequence seq(db_);
    core::ReceiptNumberIssuer issuer(terminal.centre, terminal.terminal, seq);
    c.receipt_no = issuer.issue(core::china_date(at)).to_string();
    // A draft started before the applicant is identified has no applicant row yet (set_applicant adds it).
    std::int64_t applicant = c.applicant.doc_number.empty() ? 0 : upsert_applicant(c.applicant, at);
    write_case_row(c, applicant, true, at);
    if (applicant) {
        json payload = {{"case", core::to_json(c)}};
        enqueue(c.id.to_string(), "create", payload.dump(), at);
    } else {
        // The platform takes no case without an applicant: the draft is held here until the
        // applicant is set, then it goes as one snapshot with its history (see commit_events).
        db_.cached("INSERT INTO held_cases(case_id) VALUES (?)").bind(1, c.id.to_string()).run();
    }
    AuditLog(db_).append(actor, at, "case.create", c.id.to_string(),
                         json{{"receipt_no", c.receipt_no}, {"item", c.item_code}}.dump());
    tx.commit();
}

core::HistoryEntry CaseStore::commit(const core::Uuid& id, const core::CaseEvent& event) {
    auto current = load(id);
    if (!current) throw core::InvalidData("no case " + id.to_string());
    return commit(*current, event);
}

core::HistoryEntry CaseStore::commit(core::Case& c, const core::CaseEvent& event) { return commit_events(c, {event}, true, {}).front(); }

std::vector<core::HistoryEntry> CaseStore::commit_all(core::Case& c, const std::vector<core::CaseEvent>& events,
                                                      const std::function<void(const core::Case&)>& within) {
    if (events.empty()) throw core::InvalidData("nothing to commit");
    return commit_events(c, events, true, within);
}

core::HistoryEntry CaseStore::apply_remote(core::Case& c, const core::CaseEvent& event) {
    if (event.actor.role != core::Role::platform)
        throw core::InvalidData("a remote event must come from the platform (role platform)");
    return commit_events(c, {event}, false, {}).front();
}

std::vector<core::HistoryEntry> CaseStore::commit_events(core::Case& c, const std::vector<core::CaseEvent>& events, bool to_platform,
                                                         const std::function<void(const core::Case&)>& within) {
    const core::Uuid id = c.id;
    Transaction tx(db_);
    core::Case next = c;
    {
        // Platform-owned fields may have arrived (sync thread) since the caller read its copy.
        auto& q = db_.cached("SELECT platform_case_no FROM cases WHERE id = ?");
        q.bind(1, id.to_string());
        if (q.step() && next.platform_case_no.empty()) next.platform_case_no = q.text(0);
        q.reset();
    }
    const bool held = is_held(id.to_string());
    std::vector<core::HistoryEntry> out;
    std::int64_t version = std::int64_t(c.history.size());
    for (const auto& event : events) {
        core::HistoryEntry h = core::CaseMachine::apply(next, event, calendar_);
        std::int64_t applicant_id = h.action == core::CaseAction::set_applicant ? upsert_applicant(next.applicant, event.at) : 0;
        write_case_row(next, applicant_id, false, event.at, version);
        version = std::int64_t(next.history.size());
        db_.cached("INSERT INTO case_history(case_id, seq, action, from_state, to_state, user_id, role, post, acting_for, at, reason, data) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, id.to_string()).bind(2, std::int64_t(h.seq)).bind(3, core::to_code(h.action)).bind(4, core::to_code(h.from))
            .bind(5, core::to_code(h.to)).bind(6, h.actor.user_id).bind(7, core::to_code(h.actor.role))
            .bind(8, core::to_code(h.actor.post)).bind(9, h.actor.acting_for).bind(10, core::format_instant(h.at))
            .bind(11, h.reason).bind(12, h.data.dump())
            .run();
        if (h.action == core::CaseAction::rate && next.rating) {
            db_.cached("INSERT INTO ratings(case_id, level, channel, reason, comment, at, follow_up_state, follow_up_due, hotline_ticket) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(case_id) DO UPDATE SET level = excluded.level, channel = excluded.channel, reason = excluded.reason, "
                      "comment = excluded.comment, at = excluded.at, follow_up_state = excluded.follow_up_state, "
                      "follow_up_due = excluded.follow_up_due, hotline_ticket = excluded.hotline_ticket")
                .bind(1, id.to_string()).bind(2, int(next.rating->level)).bind(3, next.rating->channel).bind(4, next.rating->reason)
                .bind(5, next.rating->comment).bind(6, core::format_instant(next.rating->at))
                .bind(7, next.rating->bad() ? "open" : "none")
                .bind(8, next.rating->follow_up_due ? std::optional<std::string>(core::format_date(*next.rating->follow_up_due)) : std::nullopt)
                .bind(9, next.rating->hotline_ticket)
                .run();
        }
        if (to_platform && !held) {
            json payload = {{"case_id", id.to_string()}, {"event", core::to_json(h)}, {"state", core::to_code(next.state)}};
            enqueue(id.to_string(), std::string(core::to_code(h.action)), payload.dump(), event.at);
        }
        AuditLog(db_).append(h.actor, h.at, std::string("case.") + std::string(core::to_code(h.action)), id.to_string(),
                             json{{"seq", h.seq}, {"from", core::to_code(h.from)}, {"to", core::to_code(h.to)}, {"reason", h.reason}}.dump());
        out.push_back(std::move(h));
    }
    if (within) within(next);
    if (held && !next.applicant.doc_number.empty()) {
        db_.cached("DELETE FROM held_cases WHERE case_id = ?").bind(1, id.to_string()).run();
        enqueue_snapshot(id, events.back().at);  // the draft with its history, then its attachments
    }
    tx.commit();
    c = std::move(next);
    return out;
}

int CaseStore::recompute_provisional(const core::Actor& actor, core::Instant at, const std::string& reason) {
    Transaction tx(db_);
    std::vector<std::string> ids;
    {
        Stmt q(db_, "SELECT id FROM cases WHERE state IN ('accepted', 'under_review', 'escalated') "
                    "AND json_extract(body, '$.promised_provisional') = 1 ORDER BY id");
        while (q.step()) ids.push_back(q.text(0));
    }
    int changed = 0;
    for (const auto& id_text : ids) {
        auto id = core::Uuid::parse(id_text);
        auto c = id ? load(*id) : std::nullopt;
        if (!c || !c->promised_provisional) continue;
        core::CaseEvent ev{core::CaseAction::recompute_due, actor, at, reason, json::object()};
        if (!c->history.empty() && c->history.back().at > ev.at) ev.at = c->history.back().at;
        core::Case probe = *c;
        try {
            core::CaseMachine::apply(probe, ev, calendar_);
        } catch (const StoreError&) {
            throw;
        } catch (const core::Error&) {
            continue;  // e.g. a date past 2099: the case keeps its provisional date (and says so)
        }
        if (probe.due_date == c->due_date && probe.promised_provisional == c->promised_provisional) continue;
        commit(*c, ev);
        ++changed;
    }
    tx.commit();
    return changed;
}

void CaseStore::set_platform_case_no(const core::Uuid& id, const std::string& case_no, core::Instant at) {
    if (case_no.empty() || case_no.size() > 50) throw core::InvalidData("a platform case number has 1 to 50 characters");
    Transaction tx(db_);
    // The column is the platform number's home (load() takes it from there); the body catches up
    // at the case's next commit.
    db_.cached("UPDATE cases SET platform_case_no = ? WHERE id = ? AND platform_case_no IS NOT ?")
        .bind(1, case_no).bind(2, id.to_string()).bind(3, case_no)
        .run();
    if (db_.changes() == 1)
        AuditLog(db_).append(core::Actor{"platform", core::Role::platform, core::Post::none, ""}, at, "case.platform_case_no",
                             id.to_string(), json{{"case_no", case_no}}.dump());
    tx.commit();
}

void CaseStore::enqueue_snapshot(const core::Uuid& id, core::Instant at) {
    Transaction tx(db_);
    auto c = load(id);
    if (!c) throw core::InvalidData("no case " + id.to_string());
    // The snapshot carries the whole history, so the case's unsent mutations are superseded; its
    // attachments are queued again after it, and so are its unsent ratings (they go to the rating
    // interface, not into the case record; same mutation ids, so that interface still sees each once).
    struct Rating {
        std::string mutation_id, payload, created_at;
    };
    std::vector<Rating> ratings;
    {
        Stmt q(db_, "SELECT mutation_id, payload, created_at FROM outbox WHERE case_id = ? AND kind = 'rate' AND state = 'pending' ORDER BY seq");
        q.bind(1, id.to_string());
        while (q.step()) ratings.push_back({q.text(0), q.text(1), q.text(2)});
    }
    db_.cached("DELETE FROM outbox WHERE case_id = ? AND state IN ('pending', 'quarantined')").bind(1, id.to_string()).run();
    db_.cached("UPDATE sync_issues SET resolved_at = ?, resolution = 'superseded by a snapshot' "
               "WHERE case_id = ? AND kind = 'quarantine' AND resolved_at IS NULL")
        .bind(1, core::format_instant(at)).bind(2, id.to_string())
        .run();
    enqueue(id.to_string(), "snapshot", json{{"case", core::to_json(*c)}}.dump(), at);
    Stmt links(db_, "SELECT sha256, role, material_code FROM case_blobs WHERE case_id = ? ORDER BY sha256, role, material_code");
    links.bind(1, id.to_string());
    while (links.step())
        enqueue(id.to_string(), "attach_blob",
                json{{"case_id", id.to_string()}, {"sha256", links.text(0)}, {"role", links.text(1)}, {"material_code", links.text(2)}}.dump(),
                at);
    for (const auto& r : ratings)
        db_.cached("INSERT INTO outbox(mutation_id, case_id, kind, payload, created_at) VALUES (?, ?, 'rate', ?, ?)")
            .bind(1, r.mutation_id).bind(2, id.to_string()).bind(3, r.payload).bind(4, r.created_at)
            .run();
    tx.commit();
}

bool CaseStore::is_held(const std::string& case_id) {
    auto& q = db_.cached("SELECT 1 FROM held_cases WHERE case_id = ?");
    q.bind(1, case_id);
    bool held = q.step();
    q.reset();
    return held;
}

void CaseStore::attach_blob(const core::Uuid& id, const std::string& sha256, const std::string& role,
                            const std::string& material_code, const core::Actor& actor, core::Instant at) {
    Transaction tx(db_);
    db_.cached("INSERT OR IGNORE INTO case_blobs(case_id, sha256, role, material_code) VALUES (?, ?, ?, ?)")
        .bind(1, id.to_string()).bind(2, sha256).bind(3, role).bind(4, material_code)
        .run();
    // A held draft's attachments are queued with its snapshot once the applicant is known.
    if (!is_held(id.to_string())) {
        json payload = {{"case_id", id.to_string()}, {"sha256", sha256}, {"role", role}, {"material_code", material_code}};
        enqueue(id.to_string(), "attach_blob", payload.dump(), at);
    }
    AuditLog(db_).append(actor, at, "case.attach_blob", id.to_string(), json{{"sha256", sha256}, {"role", role}}.dump());
    tx.commit();
}

std::vector<CaseAttachment> CaseStore::attachments(const core::Uuid& id) {
    std::vector<CaseAttachment> out;
    Stmt q(db_, "SELECT sha256, role, material_code FROM case_blobs WHERE case_id = ? ORDER BY role, material_code, sha256");
    q.bind(1, id.to_string());
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2)});
    return out;
}

std::optional<core::Case> CaseStore::load(const core::Uuid& id) {
    Stmt q(db_, "SELECT body, platform_case_no FROM cases WHERE id = ?");
    q.bind(1, id.to_string());
    if (!q.step()) return std::nullopt;
    json body = json::parse(q.text(0), nullptr, false);
    if (body.is_discarded() || !body.is_object()) throw CorruptStore("case " + id.to_string() + " is damaged");
    if (!q.is_null(1) && !q.text(1).empty()) body["platform_case_no"] = q.text(1);
    json history = json::array();
    Stmt h(db_, "SELECT seq, action, from_state, to_state, user_id, role, post, acting_for, at, reason, data "
                "FROM case_history WHERE case_id = ? ORDER BY seq");
    h.bind(1, id.to_string());
    while (h.step()) {
        json actor = {{"user_id", h.text(4)}, {"role", h.text(5)}, {"post", h.text(6)}};
        if (!h.text(7).empty()) actor["acting_for"] = h.text(7);
        history.push_back({{"seq", h.int64(0)}, {"action", h.text(1)}, {"from", h.text(2)}, {"to", h.text(3)},
                           {"actor", actor}, {"at", h.text(8)}, {"reason", h.text(9)},
                           {"data", json::parse(h.text(10), nullptr, false)}});
    }
    body["history"] = std::move(history);
    try {
        return core::case_from_json(body, "case " + id.to_string());
    } catch (const core::InvalidData& e) {
        throw CorruptStore("case " + id.to_string() + " is damaged: " + e.what());
    }
}

std::vector<SearchHit> CaseStore::search(const std::string& raw, int limit) {
    std::string q;
    for (char c : raw)
        if (c != ' ' && c != '\t') q.push_back(c);
    std::vector<SearchHit> hits;
    if (q.empty()) return hits;
    const char* cols = "SELECT id, receipt_no, platform_case_no, item_code, applicant_name, applicant_doc, applicant_phone, "
                       "state, COALESCE(due_date, ''), COALESCE(json_extract(body, '$.promised_provisional'), 0), green FROM cases ";
    // Exact keys list the newest case first; prefixes walk their index in key order and stop at
    // the limit, so a one-character name prefix at 1 M cases reads ~limit rows, not all matches.
    auto run = [&](const std::string& where, const std::vector<std::string>& args, const char* order = "id DESC") {
        Stmt st(db_, std::string(cols) + where + " ORDER BY " + order + " LIMIT ?");
        int i = 1;
        for (const auto& a : args) st.bind(i++, a);
        st.bind(i, limit);
        while (st.step() && int(hits.size()) < limit) {
            SearchHit h{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.text(7), st.text(8),
                        st.int64(9) != 0, st.int64(10) != 0};
            bool dup = false;
            for (const auto& e : hits) dup = dup || e.id == h.id;
            if (!dup) hits.push_back(std::move(h));
        }
    };
    std::string upper = q;
    for (auto& ch : upper) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    if (core::Uuid::parse(q)) run("WHERE id = ?", {q});
    if (upper.find('-') != std::string::npos)
        run("WHERE receipt_no >= ? AND receipt_no < ?", {upper, upper_bound_for_prefix(upper)}, "receipt_no");
    run("WHERE platform_case_no = ? AND platform_case_no <> ''", {q});  // the term lets SQLite use the partial index
    bool ascii_alnum = q.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == std::string::npos;
    if (ascii_alnum && q.size() >= 5) run("WHERE applicant_doc = ?", {upper});
    auto phone = core::check_mobile(q);
    if (phone.valid) run("WHERE applicant_phone = ?", {phone.normalized});
    if (!all_digits(q)) run("WHERE applicant_name >= ? AND applicant_name < ?", {q, upper_bound_for_prefix(q)}, "applicant_name");
    return hits;
}

std::vector<core::Uuid> CaseStore::report_candidates(core::Instant from, core::Instant to) {
    // Instants are stored in one fixed-width UTC form (format_instant), so text order is time order.
    Stmt q(db_, "SELECT id FROM cases WHERE created_at < ?1 AND (updated_at >= ?2 OR state IN "
                "('accepted', 'under_review', 'escalated', 'correction_requested')) ORDER BY id");
    q.bind(1, core::format_instant(to)).bind(2, core::format_instant(from));
    std::vector<core::Uuid> ids;
    while (q.step()) {
        auto id = core::Uuid::parse(q.text(0));
        if (!id) throw CorruptStore("a case id is damaged: " + q.text(0));
        ids.push_back(*id);
    }
    return ids;
}

std::vector<SearchHit> CaseStore::open_duplicates(const core::Case& c, int limit) {
    std::vector<SearchHit> hits;
    if (c.applicant.doc_number.empty()) return hits;
    // cases_doc narrows to the applicant's few cases; the rest is checked on those rows. The unary
    // `+` keeps SQLite off cases_item(item_code, state), which it prefers without statistics: that
    // walks every case of the item (a twentieth of the store) and grew each intake and acceptance
    // with the store's size.
    Stmt st(db_,
            "SELECT id, receipt_no, platform_case_no, item_code, applicant_name, applicant_doc, applicant_phone, state, "
            "COALESCE(due_date, ''), COALESCE(json_extract(body, '$.promised_provisional'), 0), green FROM cases "
            "WHERE applicant_doc = ? AND +item_code = ? AND id <> ? "
            "AND COALESCE(json_extract(body, '$.bundle_code'), '') = ? "
            "AND state NOT IN ('refused', 'result_issued', 'rated', 'archived') ORDER BY id DESC LIMIT ?");
    st.bind(1, c.applicant.doc_number).bind(2, c.item_code).bind(3, c.id.to_string()).bind(4, c.bundle_code).bind(5, limit);
    while (st.step())
        hits.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.text(7), st.text(8),
                        st.int64(9) != 0, st.int64(10) != 0});
    return hits;
}

std::optional<core::Applicant> CaseStore::find_applicant(core::DocumentType type, const std::string& number) {
    Stmt q(db_, "SELECT body FROM applicants WHERE doc_type = ? AND doc_number = ?");
    q.bind(1, core::document_type_info(type).code).bind(2, number);
    if (!q.step()) return std::nullopt;
    return core::applicant_from_json(json::parse(q.text(0)), "applicant");
}

std::optional<std::string> CaseStore::contact_clerk(const std::string& uscc) {
    if (uscc.empty()) return std::nullopt;
    // cases_doc narrows to the enterprise's cases.
    Stmt q(db_, "SELECT json_extract(body, '$.assistance.helper') FROM cases WHERE applicant_doc = ? "
                "AND json_extract(body, '$.assistance.mode') = 'contact' ORDER BY updated_at DESC, rowid DESC LIMIT 1");
    q.bind(1, uscc);
    if (!q.step() || q.text(0).empty()) return std::nullopt;
    return q.text(0);
}

StoreStats CaseStore::stats() {
    StoreStats s;
    s.cases = db_.query_int("SELECT count(*) FROM cases");
    s.history = db_.query_int("SELECT count(*) FROM case_history");
    s.applicants = db_.query_int("SELECT count(*) FROM applicants");
    s.outbox_pending = db_.query_int("SELECT count(*) FROM outbox WHERE state = 'pending'");
    s.outbox_quarantined = db_.query_int("SELECT count(*) FROM outbox WHERE state = 'quarantined'");
    s.blobs = db_.query_int("SELECT count(*) FROM blobs");
    s.blobs_pending = db_.query_int("SELECT count(*) FROM blobs WHERE uploaded = 0");
    s.blob_bytes = db_.query_int("SELECT COALESCE(sum(size), 0) FROM blobs");
    s.audit_entries = db_.query_int("SELECT count(*) FROM audit");
    s.users = db_.query_int("SELECT count(*) FROM users");
    s.schema_version = int(db_.query_int("PRAGMA user_version"));
    s.cipher_version = db_.query_text("PRAGMA cipher_version").value_or("");
    return s;
}

}  // namespace ow::store
