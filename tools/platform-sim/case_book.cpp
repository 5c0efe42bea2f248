#include "case_book.h"

#include "applications.h"

#include "platform_db.h"
#include "util.h"

#include <cstdio>
#include <map>
#include <set>

namespace ow::sim {

using nlohmann::json;

namespace {

struct Tally {
    std::int64_t applied = 0, duplicates = 0;
    std::map<std::string, std::int64_t> refused;
    void flush(PlatformDb& pdb) {
        if (applied) pdb.bump("mutations_applied", applied);
        if (duplicates) pdb.bump("duplicates_refused", duplicates);
        for (const auto& [code, n] : refused) pdb.bump("refused." + code, n);
    }
};

RecordResult rejected(const std::string& mid, const std::string& case_no, std::string code, std::string message,
                      std::string platform_state = {}) {
    return RecordResult{mid, "rejected", case_no, std::move(code), std::move(message), std::move(platform_state)};
}

}  // namespace

std::string xor_case(const std::string& state_hex, const std::string& case_id) {
    std::string state = unhex(state_hex).value_or(std::string(32, '\0'));
    if (state.size() != 32) state.assign(32, '\0');
    const std::string h = sha256_raw(case_id);
    for (std::size_t i = 0; i < 32; ++i) state[i] = char(state[i] ^ h[i]);
    return hex(state);
}

namespace {
/// A JSON string literal (quotes and escapes), without building a DOM.
void append_string(std::string& out, const std::string& s) {
    out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
void append_plain(std::string& out, std::string_view s) {  // ids, codes and case numbers we made or checked
    bool plain = true;
    for (char c : s)
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) plain = false;
    if (!plain) return append_string(out, std::string(s));
    out += '"';
    out += s;
    out += '"';
}
}  // namespace

std::string results_json(const std::vector<RecordResult>& results) {
    std::string out = "{\"results\":[";
    out.reserve(results.size() * 110 + 16);
    bool first = true;
    for (const auto& r : results) {
        out += first ? "{\"mutation_id\":" : ",{\"mutation_id\":";
        first = false;
        append_plain(out, r.mutation_id);
        out += ",\"status\":";
        append_plain(out, r.status);
        if (!r.case_no.empty()) {
            out += ",\"case_no\":";
            append_plain(out, r.case_no);
        }
        if (r.status == "rejected") {
            out += ",\"reason\":{\"code\":";
            append_plain(out, r.reason_code);
            out += ",\"message\":";
            append_string(out, r.reason_message);
            if (!r.platform_state.empty()) {
                out += ",\"platform_state\":";
                append_plain(out, r.platform_state);
            }
            out += '}';
        }
        out += '}';
    }
    out += "]}";
    return out;
}

std::string minimal_results_json(const PushBatch& batch, const std::vector<RecordResult>& results) {
    std::vector<RecordResult> listed;
    std::string case_nos;
    std::set<std::string_view> named;
    std::size_t accepted = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const RecordResult& r = results[i];
        if (r.status != "accepted") {
            listed.push_back(r);
            continue;
        }
        ++accepted;
        const WireMutation& m = batch.mutations.at(i);
        if ((m.kind == "create" || m.kind == "snapshot") && !r.case_no.empty() && named.insert(m.case_id).second) {
            case_nos += case_nos.empty() ? "" : ",";
            append_plain(case_nos, m.case_id);
            case_nos += ':';
            append_plain(case_nos, r.case_no);
        }
    }
    std::string out = results_json(listed);  // {"results":[…]}
    out.pop_back();
    out += ",\"accepted\":" + std::to_string(accepted) + ",\"case_nos\":{" + case_nos + "}}";
    return out;
}

std::string make_cursor(std::string_view kind, std::int64_t position) {
    return base64url(std::string(kind) + ":" + std::to_string(position));
}

std::optional<std::int64_t> read_cursor(std::string_view kind, std::string_view cursor) {
    if (cursor.empty()) return 0;
    if (cursor.size() > 200) return std::nullopt;
    const auto raw = unbase64url(cursor);
    if (!raw || raw->size() <= kind.size() + 1 || raw->compare(0, kind.size(), kind) != 0 || (*raw)[kind.size()] != ':')
        return std::nullopt;
    return parse_int(std::string_view(*raw).substr(kind.size() + 1), 0, INT64_MAX);
}

std::optional<CaseBook::CaseRow> CaseBook::find_case(const std::string& case_id) {
    auto& st = pdb_.db().cached("SELECT id, terminal, case_no, state, last_seq FROM cases WHERE case_id = ?1 LIMIT 1");
    st.bind(1, case_id);
    std::optional<CaseRow> r;
    if (st.step()) r = CaseRow{st.int64(0), st.text(1), st.text(2), st.text(3), st.int64(4)};
    st.reset();
    return r;
}

bool CaseBook::mutation_applied(const std::string& mutation_id) {
    auto& st = pdb_.db().cached("SELECT 1 FROM mutations WHERE mutation_id = ?1 LIMIT 1");
    st.bind(1, mutation_id);
    const bool found = st.step();
    st.reset();
    return found;
}

void CaseBook::record_applied(const std::string& mutation_id, const std::string& terminal, const std::string& case_id,
                              const std::string& kind, std::int64_t now) {
    pdb_.db()
        .cached("INSERT INTO mutations(mutation_id, terminal, case_id, kind, applied_ms) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, mutation_id)
        .bind(2, terminal)
        .bind(3, case_id)
        .bind(4, kind)
        .bind(5, now)
        .run();
}

std::string CaseBook::assign_case_no(const std::string& centre, std::int64_t now) {
    const std::string prefix = centre + "-" + Clock::china_day(now);
    auto it = case_no_seq_.find(prefix);
    if (it == case_no_seq_.end()) {
        auto& st = pdb_.db().cached("SELECT last FROM case_no_seq WHERE prefix = ?1");
        st.bind(1, prefix);
        const std::int64_t last = st.step() ? st.int64(0) : 0;
        st.reset();
        it = case_no_seq_.emplace(prefix, std::make_pair(last, false)).first;
    }
    const std::int64_t n = ++it->second.first;
    it->second.second = true;
    char buf[32];
    std::snprintf(buf, sizeof buf, "-%06lld", static_cast<long long>(n));
    return prefix + buf;
}

void CaseBook::flush_case_nos() {
    for (auto& [prefix, v] : case_no_seq_) {
        if (!v.second) continue;
        pdb_.db()
            .cached("INSERT INTO case_no_seq(prefix, last) VALUES(?1, ?2) ON CONFLICT(prefix) DO UPDATE SET last = excluded.last")
            .bind(1, prefix)
            .bind(2, v.first)
            .run();
        v.second = false;
    }
}

void CaseBook::insert_events(const std::string& case_id, const std::vector<WireEvent>& events, const std::string& mutation_id) {
    auto& st = pdb_.db().cached("INSERT INTO case_events(case_id, seq, mutation_id, action, from_state, to_state, record) "
                                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (const auto& e : events) {
        st.bind(1, case_id).bind(2, e.seq).bind(3, mutation_id).bind(4, e.action).bind(5, e.from).bind(6, e.to).bind(7, e.record);
        st.run();
        st.reset();
    }
}

std::vector<RecordResult> CaseBook::apply_push(const Terminal& t, const PushBatch& batch) {
    auto& db = pdb_.db();
    const std::int64_t now = Clock::now_ms();
    std::vector<RecordResult> results;
    results.reserve(batch.mutations.size());
    Tally tally;

    // The terminal's checksum, current as of this transaction.
    std::int64_t count = 0;
    std::string state_xor;
    {
        auto& st = db.cached("SELECT state_count, state_xor FROM terminals WHERE id = ?1");
        st.bind(1, t.id);
        if (st.step()) {
            count = st.int64(0);
            state_xor = st.text(1);
        }
        st.reset();
    }
    const std::int64_t count_before = count;
    const std::string xor_before = state_xor;

    // Cases with a rejected mutation in this batch: their later mutations are not applied ("held").
    std::set<std::string> stopped;
    for (const WireMutation& m : batch.mutations) {
        const std::string& mid = m.mutation_id;
        if (!mid.empty() && mutation_applied(mid)) {
            const auto c = m.case_id.empty() ? std::nullopt : find_case(m.case_id);
            results.push_back({mid, "duplicate", c ? c->case_no : std::string(), {}, {}, {}});
            ++tally.duplicates;
            continue;
        }
        if (!m.case_id.empty() && stopped.count(m.case_id)) {
            results.push_back(rejected(mid, {}, "held", "an earlier mutation of this case in the batch was rejected"));
            continue;
        }
        if (!m.valid()) {
            const std::string code = "invalid." + m.invalid_field;
            results.push_back(rejected(mid, {}, code, m.invalid_message));
            ++tally.refused[code];
            if (!m.case_id.empty()) stopped.insert(m.case_id);
            continue;
        }
        auto c = find_case(m.case_id);
        const bool mine = c && c->terminal == t.id;
        auto refuse = [&](const std::string& code, const std::string& message, const std::string& ps = {}) {
            results.push_back(rejected(mid, mine ? c->case_no : std::string(), code, message, ps));
            ++tally.refused[code];
            stopped.insert(m.case_id);
        };

        std::string case_no;
        if (m.kind == "create") {
            if (c) {
                refuse("conflict.exists", "the platform already holds this case");
                continue;
            }
            if (!m.application_id.empty()) {  // 网上申报: the first case to name the application takes it
                if (auto no = take_application(pdb_, t.centre, t.id, m.application_id, m.case_id)) {
                    refuse(no->code, no->message);
                    continue;
                }
            }
            case_no = assign_case_no(t.centre, now);
            db.cached("INSERT INTO cases(case_id, terminal, case_no, state, case_kind, item_code, last_seq, record, "
                      "created_ms, updated_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?8)")
                .bind(1, m.case_id)
                .bind(2, t.id)
                .bind(3, case_no)
                .bind(4, m.state)
                .bind(5, m.case_kind)
                .bind(6, m.item_code)
                .bind(7, m.record)
                .bind(8, now)
                .run();
            ++count;
            state_xor = xor_case(state_xor, m.case_id);
        } else if (m.kind == "snapshot") {
            if (c && !mine) {
                refuse("conflict.exists", "another terminal's case has this id");
                continue;
            }
            if (!m.application_id.empty()) {  // 网上申报 (a snapshot stands for the create of a case never sent)
                if (auto no = take_application(pdb_, t.centre, t.id, m.application_id, m.case_id)) {
                    refuse(no->code, no->message);
                    continue;
                }
            }
            const std::int64_t last_seq = m.history.empty() ? 0 : m.history.back().seq;
            if (c) {
                case_no = c->case_no;
                db.cached("UPDATE cases SET state = ?2, case_kind = ?3, item_code = ?4, last_seq = ?5, record = ?6, "
                          "updated_ms = ?7, bo_stage = 0 WHERE case_id = ?1")
                    .bind(1, m.case_id)
                    .bind(2, m.state)
                    .bind(3, m.case_kind)
                    .bind(4, m.item_code)
                    .bind(5, last_seq)
                    .bind(6, m.record)
                    .bind(7, now)
                    .run();
                db.cached("DELETE FROM case_events WHERE case_id = ?1").bind(1, m.case_id).run();
            } else {
                case_no = m.case_no.empty() ? assign_case_no(t.centre, now) : m.case_no;
                db.cached("INSERT INTO cases(case_id, terminal, case_no, state, case_kind, item_code, last_seq, record, "
                          "created_ms, updated_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)")
                    .bind(1, m.case_id)
                    .bind(2, t.id)
                    .bind(3, case_no)
                    .bind(4, m.state)
                    .bind(5, m.case_kind)
                    .bind(6, m.item_code)
                    .bind(7, last_seq)
                    .bind(8, m.record)
                    .bind(9, now)
                    .run();
                ++count;
                state_xor = xor_case(state_xor, m.case_id);
            }
            insert_events(m.case_id, m.history, mid);
        } else {
            if (!mine) {
                refuse("unknown_case", "the platform does not hold this case");
                continue;
            }
            case_no = c->case_no;
            if (m.kind == "event") {
                const WireEvent& e = m.event;
                auto& st = db.cached("SELECT 1 FROM case_events WHERE case_id = ?1 AND seq = ?2");
                st.bind(1, m.case_id).bind(2, e.seq);
                const bool seq_taken = st.step();
                st.reset();
                if (seq_taken) {
                    refuse("conflict.duplicate_event", "the platform holds event " + std::to_string(e.seq) + " of this case");
                    continue;
                }
                if (e.from != c->state) {
                    refuse("conflict.state", "the case is " + c->state + " on the platform", c->state);
                    continue;
                }
                insert_events(m.case_id, {e}, mid);
                db.cached("UPDATE cases SET state = ?2, last_seq = max(last_seq, ?3), updated_ms = ?4, "
                          "bo_stage = CASE WHEN state = ?2 THEN bo_stage WHEN bo_stage = 4 AND ?2 = 'under_review' THEN 1 ELSE 0 END "
                          "WHERE id = ?1")
                    .bind(1, c->id)
                    .bind(2, e.to)
                    .bind(3, e.seq)
                    .bind(4, now)
                    .run();
            } else {  // attach_blob
                db.cached("INSERT INTO case_blobs(case_id, sha256, role, material_code, mutation_id) VALUES(?1, ?2, ?3, ?4, ?5)")
                    .bind(1, m.case_id)
                    .bind(2, m.blob_sha256)
                    .bind(3, m.blob_role)
                    .bind(4, m.blob_material)
                    .bind(5, mid)
                    .run();
                db.cached("UPDATE cases SET updated_ms = ?2 WHERE id = ?1").bind(1, c->id).bind(2, now).run();
            }
        }
        record_applied(mid, t.id, m.case_id, m.kind, now);
        ++tally.applied;
        results.push_back({mid, "accepted", case_no, {}, {}, {}});
    }

    flush_case_nos();
    if (count != count_before || state_xor != xor_before)
        db.cached("UPDATE terminals SET state_count = ?2, state_xor = ?3 WHERE id = ?1")
            .bind(1, t.id)
            .bind(2, count)
            .bind(3, state_xor)
            .run();
    tally.flush(pdb_);
    return results;
}

std::vector<RecordResult> CaseBook::apply_ratings(const Terminal& t, const std::vector<WireRating>& ratings) {
    auto& db = pdb_.db();
    const std::int64_t now = Clock::now_ms();
    std::vector<RecordResult> results;
    Tally tally;
    for (const WireRating& r : ratings) {
        if (!r.mutation_id.empty() && mutation_applied(r.mutation_id)) {
            const auto c = r.case_id.empty() ? std::nullopt : find_case(r.case_id);
            results.push_back({r.mutation_id, "duplicate", c ? c->case_no : std::string(), {}, {}, {}});
            ++tally.duplicates;
            continue;
        }
        if (!r.valid()) {
            const std::string code = "invalid." + r.invalid_field;
            results.push_back(rejected(r.mutation_id, {}, code, r.invalid_message));
            ++tally.refused[code];
            continue;
        }
        const auto c = find_case(r.case_id);
        if (!c || c->terminal != t.id) {
            results.push_back(rejected(r.mutation_id, {}, "unknown_case", "the platform does not hold this case"));
            ++tally.refused["unknown_case"];
            continue;
        }
        db.cached("INSERT INTO ratings(mutation_id, terminal, case_id, case_no, satisfaction, level, channel, reason, "
                  "comment, rated_at, applied_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
            .bind(1, r.mutation_id)
            .bind(2, t.id)
            .bind(3, r.case_id)
            .bind(4, c->case_no)
            .bind(5, r.satisfaction)
            .bind(6, r.gb_level)
            .bind(7, r.channel)
            .bind(8, r.reason)
            .bind(9, r.comment)
            .bind(10, r.rated_at)
            .bind(11, now)
            .run();
        // The rating is the case's `rate` step: result_issued → rated on the platform too.
        db.cached("UPDATE cases SET state = CASE WHEN state = 'result_issued' THEN 'rated' ELSE state END, "
                  "updated_ms = ?2 WHERE id = ?1")
            .bind(1, c->id)
            .bind(2, now)
            .run();
        record_applied(r.mutation_id, t.id, r.case_id, "rate", now);
        ++tally.applied;
        results.push_back({r.mutation_id, "accepted", c->case_no, {}, {}, {}});
    }
    tally.flush(pdb_);
    return results;
}

std::string CaseBook::platform_state(const std::string& terminal_id) {
    auto& st = pdb_.db().cached("SELECT state_count, state_xor FROM terminals WHERE id = ?1");
    st.bind(1, terminal_id);
    std::string out = "0:" + std::string(64, '0');
    if (st.step()) out = std::to_string(st.int64(0)) + ":" + st.text(1);
    st.reset();
    return out;
}

std::string CaseBook::changes_page(const std::string& terminal_id, std::int64_t after_seq, int limit) {
    auto& st = pdb_.db().cached("SELECT seq, record FROM changes WHERE terminal = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
    st.bind(1, terminal_id).bind(2, after_seq).bind(3, limit + 1);
    std::string body = "{\"changes\":[";
    int n = 0;
    std::int64_t last = after_seq;
    bool more = false;
    while (st.step()) {
        if (n == limit) {
            more = true;
            break;
        }
        if (n++) body += ',';
        body += st.text(1);
        last = st.int64(0);
    }
    st.reset();
    body += "],\"next_cursor\":\"" + make_cursor("chg", last) + "\",\"has_more\":" + (more ? "true" : "false") + "}";
    return body;
}

std::string CaseBook::index_page(const std::string& terminal_id, std::int64_t after_id, int limit, bool first) {
    auto& db = pdb_.db();
    json cases = json::array();
    std::int64_t last = after_id;
    bool more = false;
    {
        auto& st = db.cached("SELECT id, case_id, case_no, state, last_seq FROM cases WHERE terminal = ?1 AND id > ?2 "
                             "ORDER BY id LIMIT ?3");
        st.bind(1, terminal_id).bind(2, after_id).bind(3, limit + 1);
        while (st.step()) {
            if (int(cases.size()) == limit) {
                more = true;
                break;
            }
            last = st.int64(0);
            cases.push_back({{"case_id", st.text(1)}, {"case_no", st.text(2)}, {"state", st.text(3)}, {"last_seq", st.int64(4)}});
        }
        st.reset();
    }
    json out = {{"cases", std::move(cases)}, {"next_cursor", more ? make_cursor("idx", last) : std::string()}, {"has_more", more}};
    if (first) {
        auto& st = db.cached("SELECT coalesce(max(seq), 0) FROM changes WHERE terminal = ?1");
        st.bind(1, terminal_id);
        const std::int64_t pos = st.step() ? st.int64(0) : 0;
        st.reset();
        out["changes_cursor"] = make_cursor("chg", pos);
        out["platform_state"] = platform_state(terminal_id);
    }
    return dump(out);
}

std::int64_t CaseBook::add_change(const std::string& terminal_id, const std::string& case_id, const std::string& case_no,
                                  const std::string& type, json record, std::int64_t at_ms) {
    auto& db = pdb_.db();
    db.cached("INSERT INTO changes(terminal, case_id, type, record, at_ms) VALUES(?1, ?2, ?3, '{}', ?4)")
        .bind(1, terminal_id)
        .bind(2, case_id)
        .bind(3, type)
        .bind(4, at_ms)
        .run();
    const std::int64_t seq = db.last_insert_rowid();
    char id[32];
    std::snprintf(id, sizeof id, "chg-%06lld", static_cast<long long>(seq));
    json full = {{"change_id", id}, {"case_id", case_id}, {"case_no", case_no}, {"type", type}, {"at", Clock::iso(at_ms)}};
    for (auto& [k, v] : record.items()) full[k] = v;
    db.cached("UPDATE changes SET record = ?2 WHERE seq = ?1").bind(1, seq).bind(2, dump(full)).run();
    pdb_.bump("changes." + type);
    return seq;
}

bool CaseBook::forget(const std::string& case_id) {
    auto& db = pdb_.db();
    std::vector<std::string> owners;
    {
        auto& st = db.cached("SELECT terminal FROM cases WHERE case_id = ?1");
        st.bind(1, case_id);
        while (st.step()) owners.push_back(st.text(0));
        st.reset();
    }
    if (owners.empty()) return false;
    for (const auto& owner : owners) {
        auto& st = db.cached("SELECT state_count, state_xor FROM terminals WHERE id = ?1");
        st.bind(1, owner);
        if (st.step()) {
            const std::int64_t count = st.int64(0) - 1;
            const std::string x = xor_case(st.text(1), case_id);
            st.reset();
            db.cached("UPDATE terminals SET state_count = ?2, state_xor = ?3 WHERE id = ?1").bind(1, owner).bind(2, count).bind(3, x).run();
        } else {
            st.reset();
        }
    }
    db.cached("DELETE FROM cases WHERE case_id = ?1").bind(1, case_id).run();
    db.cached("DELETE FROM case_events WHERE case_id = ?1").bind(1, case_id).run();
    db.cached("DELETE FROM case_blobs WHERE case_id = ?1").bind(1, case_id).run();
    pdb_.bump("cases_forgotten");
    return true;
}

}  // namespace ow::sim
