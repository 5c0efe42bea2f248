#include "ow/sync/wire.h"

#include "ow/core/json_reader.h"
#include "ow/core/validators.h"

#include <iconv.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <set>
#include <unordered_map>

namespace ow::sync {
namespace {

using core::JsonReader;
using nlohmann::json;

SyncError malformed(const std::string& what) {
    return SyncError(ErrorKind::retryable, "platform.malformed", "the platform sent an invalid response: " + what);
}

json parse_body(std::string_view body, const char* what) {
    try {
        return core::parse_json_text(body, what);
    } catch (const core::Error& e) {
        throw malformed(e.what());
    }
}

template <class F>
auto strictly(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const SyncError&) {
        throw;
    } catch (const core::Error& e) {
        throw malformed(e.what());
    }
}

bool req_bool(const JsonReader& r, const char* key) {
    if (!r.has(key) || !r.value()[key].is_boolean()) r.fail_at(key, "expected true or false");
    return r.value()[key].get<bool>();
}

std::string bounded(const JsonReader& r, const char* key, std::size_t max) {
    std::string s = r.str(key);
    if (s.size() > max) r.fail_at(key, "longer than " + std::to_string(max) + " bytes");
    return s;
}

std::string bounded_or(const JsonReader& r, const char* key, std::size_t max) {
    std::string s = r.str_or(key, "");
    if (s.size() > max) r.fail_at(key, "longer than " + std::to_string(max) + " bytes");
    return s;
}

json opt_date(const std::optional<core::Date>& d) { return d ? json(core::format_date(*d)) : json(nullptr); }
json opt_instant(const std::optional<core::Instant>& t) { return t ? json(core::format_instant(*t)) : json(nullptr); }

const char* necessity_code(core::Necessity n) {
    switch (n) {
        case core::Necessity::required: return "1";
        case core::Necessity::optional: return "2";
        case core::Necessity::deferrable: return "3";
    }
    return "1";
}

std::string doc_type_code(core::DocumentType t) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03d", core::document_type_info(t).code % 1000);
    return buf;
}

/// 评价渠道 of the 好差评 interface for our channel names.
const char* rating_channel_code(const std::string& channel) {
    static const std::pair<const char*, const char*> k[] = {{"pc", "1"},           {"mobile", "2"}, {"qr", "3"},
                                                             {"window_device", "4"}, {"hall_terminal", "5"},
                                                             {"phone", "6"},        {"sms", "7"}};
    for (const auto& [name, code] : k)
        if (channel == name) return code;
    return nullptr;
}

const std::set<std::string>& known_change_types() {
    static const std::set<std::string> k = {"review_started", "correction_requested", "approved", "denied", "result_ready",
                                            "commitment_checked"};
    return k;
}

}  // namespace

// ---- text encodings ---------------------------------------------------------------------------

namespace {
std::string convert(const std::string& in, const char* to, const char* from) {
    iconv_t cd = iconv_open(to, from);
    if (cd == iconv_t(-1)) throw SyncError(ErrorKind::config, "platform.encoding", std::string("no converter from ") + from + " to " + to);
    std::string out;
    out.resize(in.size() * 2 + 16);
    char* src = const_cast<char*>(in.data());
    std::size_t left = in.size();
    std::size_t done = 0;
    while (left > 0) {
        char* dst = out.data() + done;
        std::size_t room = out.size() - done;
        std::size_t r = iconv(cd, &src, &left, &dst, &room);
        done = std::size_t(dst - out.data());
        if (r == std::size_t(-1)) {
            if (errno == E2BIG) {
                out.resize(out.size() * 2);
                continue;
            }
            iconv_close(cd);
            throw SyncError(ErrorKind::retryable, "platform.encoding", std::string("text is not valid ") + from);
        }
    }
    iconv_close(cd);
    out.resize(done);
    return out;
}
}  // namespace

std::string encode_text(const std::string& utf8, TextEncoding enc) {
    return enc == TextEncoding::utf8 ? utf8 : convert(utf8, "GB18030", "UTF-8");
}

std::string decode_text(const std::string& bytes, TextEncoding enc) {
    return enc == TextEncoding::utf8 ? bytes : convert(bytes, "UTF-8", "GB18030");
}

Profile Profile::named(const std::string& name) {
    if (name.empty() || name == "national-v1") return Profile{};
    throw SyncError(ErrorKind::config, "config.profile", "unknown platform profile '" + name.substr(0, 40) + "'");
}

// ---- records ----------------------------------------------------------------------------------

json WireCodec::case_record(const core::Case& c, bool with_history) const {
    json materials = json::array();
    for (const auto& e : c.checklist.entries)
        materials.push_back({{"code", e.material_code},
                             {"name", e.name},
                             {"necessity", necessity_code(e.necessity)},
                             {"status", core::to_code(e.status)},
                             {"originals", e.originals},
                             {"copies", e.copies},
                             {"promised_by", opt_date(e.promised_by)},
                             {"blob_sha256", e.blob_sha256.empty() ? json(nullptr) : json(e.blob_sha256)}});
    const auto& a = c.applicant;
    json applicant = {{"name", a.name},
                      {"subject_type", a.kind == core::ApplicantKind::person ? "1" : "2"},
                      {"doc_type", doc_type_code(a.doc_type)},
                      {"doc_number", a.doc_number},
                      {"phone", a.phone},
                      {"address", a.address},
                      {"postal_code", a.postal_code},
                      {"legal_representative", a.legal_representative},
                      {"agent_name", a.agent_name},
                      {"agent_doc_number", a.agent_doc_number}};
    if (a.has_agent()) {  // 代理人 (set_agent): the rest of the agent, when there is one
        applicant["agent_doc_type"] = doc_type_code(a.agent_doc_type);
        applicant["agent_phone"] = a.agent_phone;
        applicant["agent_relation"] = a.agent_relation;
    }
    json j = {{"case_id", c.id.to_string()},
              {"receipt_no", c.receipt_no},
              {"case_no", c.platform_case_no},
              {"item", {{"code", c.item_code}, {"name", c.item_name}, {"case_kind", profile_.case_kind[std::size_t(c.kind)]}}},
              {"bundle_code", c.bundle_code},
              {"applicant", applicant},
              {"channel", c.channel == core::Channel::pc ? "2" : c.channel == core::Channel::mobile ? "3" : "1"},
              {"state", core::to_code(c.state)},
              {"applied_at", opt_instant(c.received_at)},
              {"accepted_at", opt_instant(c.accepted_at)},
              {"due_date", opt_date(c.due_date)},
              {"time_limits", {{"legal_days", c.legal_limit_days}, {"promised_days", c.promised_limit_days}, {"unit", "working_day"}}},
              {"form", {{"version", c.form_version}, {"answers", c.answers}}},
              {"materials", materials}};
    if (!c.green_flags.empty()) {
        json g = json::array();
        for (auto f : c.green_flags) g.push_back(core::to_code(f));
        j["green_flags"] = std::move(g);
    }
    if (!c.application_id.empty()) j["application_id"] = c.application_id;  // 网上申报: the application taken
    if (c.cross_region)
        j["cross_region"] = {{"region_code", c.cross_region->region_code}, {"region", c.cross_region->region},
                             {"authority", c.cross_region->authority}};
    if (c.assistance)  // 帮办代办: who helps, how
        j["assistance"] = {{"mode", core::to_code(c.assistance->mode)}, {"helper", c.assistance->helper},
                           {"helper_name", c.assistance->helper_name}, {"note", c.assistance->note},
                           {"since", core::format_instant(c.assistance->since)}};
    if (!c.fees.empty()) {  // 收费 (GB/T 39046 支付): what is charged and how each fee stands
        json fees = json::array();
        for (const auto& f : c.fees) {
            json x = {{"item_code", f.item_code}, {"name", f.name}, {"amount_fen", f.amount_fen}, {"status", core::to_code(f.status)}};
            if (f.status == core::FeeStatus::paid) {
                x["paid_fen"] = f.paid_fen;
                x["method"] = core::to_code(f.method);
                x["payment_no"] = f.payment_no;
                x["bill_no"] = f.bill_no;
            }
            if (f.settled()) x["at"] = opt_instant(f.at);
            fees.push_back(std::move(x));
        }
        j["fees"] = std::move(fees);
    }
    if (with_history) {
        json history = json::array();
        for (const auto& h : c.history) history.push_back(event_record(core::to_json(h)));
        j["history"] = std::move(history);
    }
    return j;
}

json WireCodec::event_record(const json& h) const {
    JsonReader r(h, "outbox event");
    r.object();
    JsonReader ar = r.at("actor");
    ar.object();
    json data = r.has("data") && r.value()["data"].is_object() ? r.value()["data"] : json::object();
    std::string action = r.str("action");
    if (action == "rate") {
        auto level = r.at("data").int64("level", 1, 5);
        data.erase("level");
        data["satisfaction"] = profile_.push_satisfaction[std::size_t(level - 1)];
    }
    core::parse_instant(r.str("at"));  // checked, sent as written
    json actor = {{"user_id", ar.str("user_id")}, {"role", ar.str("role")}, {"post", ar.str_or("post", "none")}};
    if (auto af = ar.str_or("acting_for", ""); !af.empty()) actor["acting_for"] = af;  // absent when nobody is acted for
    return {{"seq", r.int64("seq", 1, 1'000'000)},
            {"action", action},
            {"from", r.str("from")},
            {"to", r.str("to")},
            {"actor", actor},
            {"at", r.str("at")},
            {"reason", r.str_or("reason", "")},
            {"data", data}};
}

json WireCodec::push_record(const store::OutboxEntry& e) const {
    json payload = core::parse_json_text(e.payload, "outbox entry " + e.mutation_id);
    JsonReader r(payload, "outbox entry " + e.mutation_id);
    r.object();
    json rec = {{"mutation_id", e.mutation_id}, {"case_id", e.case_id}, {"created_at", e.created_at}};
    if (e.kind == "create" || e.kind == "snapshot") {
        core::Case c = core::case_from_json(r.at("case").object().value(), "outbox entry " + e.mutation_id);
        rec["kind"] = e.kind;
        rec["case"] = case_record(c, e.kind == "snapshot");
    } else if (e.kind == "attach_blob") {
        rec["kind"] = "attach_blob";
        rec["blob"] = {{"sha256", r.str("sha256")}, {"role", r.str("role")}, {"material_code", r.str_or("material_code", "")}};
    } else {
        rec["kind"] = "event";
        rec["event"] = event_record(r.at("event").object().value());
    }
    return rec;
}

namespace {

// A minimal scanner over JSON text: positions only, no values.
struct Scan {
    std::string_view t;
    std::size_t i = 0;
    void ws() {
        while (i < t.size() && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t')) ++i;
    }
    bool string() {  // at '"'; moves past the closing quote
        if (i >= t.size() || t[i] != '"') return false;
        for (++i; i < t.size(); ++i) {
            if (t[i] == '\\') ++i;
            else if (t[i] == '"') return ++i, true;
            else if (static_cast<unsigned char>(t[i]) < 0x20) return false;
        }
        return false;
    }
    bool value() {
        ws();
        if (i >= t.size()) return false;
        char c = t[i];
        if (c == '"') return string();
        if (c == '{' || c == '[') {
            int depth = 0;
            while (i < t.size()) {
                char d = t[i];
                if (d == '"') {
                    if (!string()) return false;
                    continue;
                }
                if (d == '{' || d == '[') ++depth;
                if (d == '}' || d == ']') {
                    if (--depth == 0) return ++i, true;
                    if (depth < 0) return false;
                }
                ++i;
            }
            return false;
        }
        std::size_t start = i;
        while (i < t.size() && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\n') ++i;
        return i > start;
    }
};

}  // namespace

std::optional<std::string_view> json_member_span(std::string_view text, std::string_view key) {
    Scan sc{text};
    sc.ws();
    if (sc.i >= text.size() || text[sc.i] != '{') return std::nullopt;
    ++sc.i;
    std::optional<std::string_view> found;
    sc.ws();
    if (sc.i < text.size() && text[sc.i] == '}') return std::nullopt;  // {}
    for (;;) {
        sc.ws();
        std::size_t k0 = sc.i;
        if (!sc.string()) return std::nullopt;
        std::string_view name = text.substr(k0 + 1, sc.i - k0 - 2);
        sc.ws();
        if (sc.i >= text.size() || text[sc.i] != ':') return std::nullopt;
        ++sc.i;
        sc.ws();
        std::size_t v0 = sc.i;
        if (!sc.value()) return std::nullopt;
        if (name == key && !found) found = text.substr(v0, sc.i - v0);
        sc.ws();
        if (sc.i < text.size() && text[sc.i] == ',') {
            ++sc.i;
            continue;
        }
        if (sc.i >= text.size() || text[sc.i] != '}') return std::nullopt;
        ++sc.i;
        sc.ws();
        return sc.i == text.size() ? found : std::nullopt;  // the whole text is one object
    }
}

void WireCodec::append_push_record(std::string& out, const store::OutboxEntry& e) const {
    bool plain_event = e.kind != "create" && e.kind != "snapshot" && e.kind != "attach_blob" && e.kind != "rate" &&
                       profile_.name == "national-v1";
    if (plain_event) {
        // The stored history entry (core JSON: seq, action, from, to, actor, at, reason, data) is
        // the wire event of this profile; the platform checks it like any record.
        auto ev = json_member_span(e.payload, "event");
        if (ev && ev->size() >= 2 && ev->front() == '{' && ev->back() == '}' && e.mutation_id.size() <= 64 && e.case_id.size() <= 64 &&
            e.mutation_id.find_first_of("\"\\") == std::string::npos && e.case_id.find_first_of("\"\\") == std::string::npos &&
            e.created_at.find_first_of("\"\\") == std::string::npos) {
            out += "{\"mutation_id\":\"";
            out += e.mutation_id;
            out += "\",\"case_id\":\"";
            out += e.case_id;
            out += "\",\"created_at\":\"";
            out += e.created_at;
            out += "\",\"kind\":\"event\",\"event\":";
            out += *ev;
            out += '}';
            return;
        }
    }
    out += push_record(e).dump();
}

json WireCodec::rating_record(const store::OutboxEntry& e, const std::string& case_no) const {
    json payload = core::parse_json_text(e.payload, "outbox entry " + e.mutation_id);
    JsonReader r(payload, "outbox entry " + e.mutation_id);
    JsonReader ev = r.at("event");
    JsonReader data = ev.at("data");
    auto level = data.int64("level", 1, 5);
    std::string channel = data.str_or("channel", "window_device");
    const char* channel_code = rating_channel_code(channel);
    if (!channel_code) throw UnmappableRecord("rating channel '" + channel.substr(0, 40) + "' has no 评价渠道 code");
    return {{"mutation_id", e.mutation_id},
            {"case_id", e.case_id},
            {"case_no", case_no},
            {"satisfaction", profile_.rating_satisfaction[std::size_t(level - 1)]},
            {"channel", channel_code},
            {"reason", ev.str_or("reason", "")},
            {"comment", data.str_or("comment", "")},
            {"rated_at", ev.str("at")}};
}

// ---- answers ----------------------------------------------------------------------------------

std::vector<RecordResult> WireCodec::parse_results(std::string_view body, const std::vector<std::string>& sent_ids,
                                                   const std::vector<std::string>& sent_cases) const {
    json j = parse_body(body, "push results");
    // Checked by hand (a JsonReader per element builds pointer strings for a thousand results);
    // the messages still name the JSON pointer.
    auto fail = [](const std::string& where, const std::string& what) { return malformed("push results: " + where + ": " + what); };
    if (!j.is_object() || !j.contains("results") || !j["results"].is_array()) throw fail("/results", "expected an array");
    const json& list = j["results"];
    std::unordered_map<std::string_view, bool> sent;  // id -> answered
    sent.reserve(sent_ids.size());
    for (const auto& id : sent_ids) sent.emplace(id, false);
    std::vector<RecordResult> out;
    out.reserve(list.size());
    auto str = [&](const json& o, const char* key, std::size_t max, bool required, const std::string& where) -> std::string {
        auto it = o.find(key);
        if (it == o.end() || it->is_null()) {
            if (required) throw fail(where + "/" + key, "missing");
            return {};
        }
        if (!it->is_string()) throw fail(where + "/" + key, "expected a string");
        const auto& v = it->get_ref<const std::string&>();
        if (v.size() > max) throw fail(where + "/" + key, "longer than " + std::to_string(max) + " bytes");
        return v;
    };
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json& x = list[i];
        std::string where = "/results/" + std::to_string(i);
        if (!x.is_object()) throw fail(where, "expected an object");
        RecordResult res;
        res.mutation_id = str(x, "mutation_id", 64, true, where);
        auto it = sent.find(res.mutation_id);
        if (it == sent.end()) throw fail(where + "/mutation_id", "a result for a mutation that was not sent");
        if (it->second) throw fail(where + "/mutation_id", "a second result for the same mutation");
        it->second = true;
        std::string status = str(x, "status", 20, true, where);
        if (status == "accepted") res.status = RecordResult::Status::accepted;
        else if (status == "duplicate") res.status = RecordResult::Status::duplicate;
        else if (status == "rejected") res.status = RecordResult::Status::rejected;
        else throw fail(where + "/status", "unknown result status '" + status + "'");
        res.case_no = str(x, "case_no", 50, false, where);
        if (res.status == RecordResult::Status::rejected) {
            auto r = x.find("reason");
            if (r == x.end() || !r->is_object()) throw fail(where + "/reason", "expected an object");
            res.reason_code = str(*r, "code", 100, true, where + "/reason");
            res.reason_message = str(*r, "message", 2000, false, where + "/reason");
            res.platform_state = str(*r, "platform_state", 40, false, where + "/reason");
        }
        out.push_back(std::move(res));
    }
    auto accepted = j.find("accepted");
    if (accepted == j.end()) {
        if (out.size() != sent_ids.size())
            throw fail("/results", "has " + std::to_string(out.size()) + " results for " + std::to_string(sent_ids.size()) + " mutations");
        return out;
    }
    // The minimal form: every sent mutation not listed was accepted.
    if (!accepted->is_number_unsigned()) throw fail("/accepted", "expected a count");
    if (out.size() + accepted->get<std::uint64_t>() != sent_ids.size())
        throw fail("/accepted", "lists " + std::to_string(out.size()) + " results and " + std::to_string(accepted->get<std::uint64_t>()) +
                                    " accepted for " + std::to_string(sent_ids.size()) + " mutations");
    auto nos = j.find("case_nos");
    if (nos == j.end() || !nos->is_object()) throw fail("/case_nos", "expected an object");
    for (const auto& [case_id, no] : nos->items()) {
        if (!no.is_string()) throw fail("/case_nos/" + case_id, "expected a string");
        if (no.get_ref<const std::string&>().size() > 50) throw fail("/case_nos/" + case_id, "longer than 50 bytes");
    }
    if (!sent_cases.empty() && sent_cases.size() != sent_ids.size()) throw std::logic_error("parse_results: one case id per sent mutation");
    std::vector<RecordResult> all;
    all.reserve(sent_ids.size());
    std::unordered_map<std::string_view, std::size_t> listed;
    for (std::size_t i = 0; i < out.size(); ++i) listed.emplace(out[i].mutation_id, i);
    for (std::size_t i = 0; i < sent_ids.size(); ++i) {
        if (auto it = listed.find(sent_ids[i]); it != listed.end()) {
            all.push_back(out[it->second]);  // listed results keep their place among the sent ones
            continue;
        }
        RecordResult res;
        res.mutation_id = sent_ids[i];
        res.status = RecordResult::Status::accepted;
        if (!sent_cases.empty())
            if (auto no = nos->find(sent_cases[i]); no != nos->end()) res.case_no = no->get<std::string>();
        all.push_back(std::move(res));
    }
    return all;
}

ChangesPage WireCodec::parse_changes(std::string_view body, bool lenient) const {
    json j = parse_body(body, "change feed");
    return strictly([&] {
        JsonReader r(j, "change feed");
        r.object();
        ChangesPage page;
        page.next_cursor = bounded(r, "next_cursor", 1024);
        page.has_more = req_bool(r, "has_more");
        JsonReader list = r.at("changes");
        list.array();
        if (list.size() > 1000) list.fail("more than 1000 changes in one page");
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonReader x = list.at(i);
            Change c;
            c.raw = x.value();
            try {
                x.object();
                c.change_id = bounded(x, "change_id", 100);
                c.case_id = bounded(x, "case_id", 64);
                c.case_no = bounded_or(x, "case_no", 50);
                c.type = bounded(x, "type", 60);
                c.at = x.instant("at");
                c.department = bounded_or(x, "department", 200);
                c.officer = bounded_or(x, "officer", 100);
                c.opinion = bounded_or(x, "opinion", 4000);
                c.legal_basis = bounded_or(x, "legal_basis", 1000);
                c.known_type = known_change_types().count(c.type) != 0;
                if (!core::Uuid::parse(c.case_id)) c.problem = "case_id is not a UUID";
                if (!c.known_type) c.problem = "unknown change type '" + c.type + "'";
                if (c.type == "correction_requested") {
                    JsonReader m = x.at("materials");
                    m.array();
                    for (std::size_t k = 0; k < m.size(); ++k) {
                        JsonReader e = m.at(k);
                        e.object();
                        std::string status = e.str("status");
                        if (status != "missing" && status != "defective")
                            c.problem = "unknown material status '" + status.substr(0, 40) + "'";
                        c.materials.push_back({{"material_code", bounded(e, "material_code", 64)},
                                               {"status", status},
                                               {"note", bounded_or(e, "note", 2000)}});
                    }
                }
                if ((c.type == "approved" || c.type == "denied") && x.has("document") && !x.value()["document"].is_null()) {
                    JsonReader d = x.at("document");
                    d.object();
                    c.document_sha256 = bounded(d, "sha256", 64);
                    if (c.document_sha256.size() != 64 || c.document_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
                        d.fail_at("sha256", "is not a SHA-256 in lower-case hex");
                    c.document_size = d.int64("size", 1, 64 << 20);
                    c.document_media_type = bounded(d, "media_type", 100);
                    c.document_title = bounded_or(d, "title", 200);
                }
                if (c.type == "commitment_checked") {
                    JsonReader k = x.at("check");
                    k.object();
                    const std::int64_t n = k.int64("commitment", 1, 1000);
                    // Unknown codes make the change a problem record, like a material's status above.
                    const std::string result = bounded(k, "result", 20);
                    if (result != "fulfilled" && result != "breached") c.problem = "unknown check result '" + result + "'";
                    c.check = {{"commitment", n}, {"result", result}, {"finding", bounded(k, "finding", 2000)}};
                    if (result == "breached") {
                        const std::string outcome = bounded(k, "outcome", 20);
                        if (outcome != "revoked" && outcome != "referred") c.problem = "unknown breach outcome '" + outcome + "'";
                        c.check["outcome"] = outcome;
                    }
                }
                if (c.type == "result_ready") {
                    JsonReader res = x.at("result");
                    res.object();
                    c.result_name = bounded(res, "name", 200);
                    c.result_number = bounded(res, "number", 100);
                    c.result_ready_at = core::format_instant(res.instant("ready_at"));
                }
            } catch (const core::Error& e) {
                if (!lenient) throw;
                c.problem = e.what();
            }
            page.changes.push_back(std::move(c));
        }
        return page;
    });
}

IndexPage WireCodec::parse_index(std::string_view body) const {
    json j = parse_body(body, "case index");
    return strictly([&] {
        JsonReader r(j, "case index");
        r.object();
        IndexPage page;
        page.next_cursor = bounded(r, "next_cursor", 1024);
        page.has_more = req_bool(r, "has_more");
        page.changes_cursor = bounded_or(r, "changes_cursor", 1024);
        JsonReader list = r.at("cases");
        list.array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonReader x = list.at(i);
            x.object();
            IndexEntry e{bounded(x, "case_id", 64), bounded_or(x, "case_no", 50), bounded_or(x, "state", 40),
                         x.int64_or("last_seq", 0, 0, 1'000'000)};
            if (!core::Uuid::parse(e.case_id)) x.fail_at("case_id", "not a UUID");
            page.cases.push_back(std::move(e));
        }
        return page;
    });
}

BlobOpen WireCodec::parse_blob_open(std::string_view body) const {
    json j = parse_body(body, "blob upload");
    return strictly([&] {
        JsonReader r(j, "blob upload");
        r.object();
        BlobOpen b;
        std::string status = r.str("status");
        if (status == "complete") {
            b.complete = true;
            return b;
        }
        if (status != "open") r.fail_at("status", "unknown upload status '" + status.substr(0, 40) + "'");
        b.upload_id = bounded(r, "upload_id", 200);
        b.offset = r.int64("offset", 0, std::int64_t(1) << 40);
        b.chunk_max = r.int64_or("chunk_max", 4 << 20, 1024, std::int64_t(1) << 30);
        return b;
    });
}

std::int64_t WireCodec::parse_offset(std::string_view body) const {
    json j = parse_body(body, "upload offset");
    return strictly([&] {
        JsonReader r(j, "upload offset");
        r.object();
        return r.int64("offset", 0, std::int64_t(1) << 40);
    });
}

CataloguePage WireCodec::parse_catalogue(std::string_view body) const {
    json j = parse_body(body, "catalogue");
    return strictly([&] {
        JsonReader r(j, "catalogue");
        r.object();
        CataloguePage p;
        p.version = bounded(r, "version", 100);
        p.unchanged = r.boolean_or("unchanged", false);
        p.has_more = req_bool(r, "has_more");
        p.next_cursor = bounded_or(r, "next_cursor", 1024);
        JsonReader list = r.at("entries");
        list.array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonReader x = list.at(i);
            x.object();
            std::string type = x.str("type");
            if (type != "item" && type != "bundle") x.fail_at("type", "must be item or bundle");
            p.entries.emplace_back(type, x.at("body").object().value().dump());
        }
        return p;
    });
}

CalendarsPage WireCodec::parse_calendars(std::string_view body) const {
    json j = parse_body(body, "calendars");
    return strictly([&] {
        JsonReader r(j, "calendars");
        r.object();
        CalendarsPage p;
        p.has_more = req_bool(r, "has_more");
        p.next_cursor = bounded_or(r, "next_cursor", 1024);
        JsonReader list = r.at("calendars");
        list.array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonReader x = list.at(i);
            x.object();
            p.calendars.push_back({int(x.int64("year", 2000, 2200)), bounded_or(x, "revision", 200), x.at("body").object().value().dump()});
        }
        return p;
    });
}

std::vector<ELicence> WireCodec::parse_elicences(std::string_view body) const {
    json j = parse_body(body, "e-licences");
    return strictly([&] {
        JsonReader r(j, "e-licences");
        r.object();
        JsonReader list = r.at("licences");
        list.array();
        std::vector<ELicence> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonReader x = list.at(i);
            x.object();
            out.push_back({bounded_or(x, "type_code", 40), bounded(x, "name", 200), bounded(x, "number", 100),
                           bounded_or(x, "issuer", 200), bounded_or(x, "holder_name", 200), bounded_or(x, "valid_from", 20),
                           bounded_or(x, "valid_to", 20), bounded_or(x, "status", 20)});
        }
        return out;
    });
}

CreditReport WireCodec::parse_credit(std::string_view body) const {
    json j = parse_body(body, "credit");
    return strictly([&] {
        JsonReader r(j, "credit");
        r.object();
        CreditReport out{bounded(r, "standing", 20), bounded_or(r, "source", 200), bounded(r, "report_no", 100), bounded(r, "checked_at", 40)};
        if (r.has("records")) {
            JsonReader list = r.at("records");
            list.array();
            out.records = int(list.size());
        }
        return out;
    });
}

namespace {

/// An applicant's GA/T 2000.156 证件类型 (`doc_type`, three digits) as its code; an unknown one fails.
int doc_type_of(JsonReader& ap) {
    const std::string doc_type = bounded(ap, "doc_type", 3);
    auto type = core::document_type_from_code(std::atoi(doc_type.c_str()));
    if (!type) ap.fail_at("doc_type", "unknown code '" + doc_type + "'");
    return core::document_type_info(*type).code;
}

}  // namespace

AppointmentsPage WireCodec::parse_appointments(std::string_view body) const {
    json j = parse_body(body, "appointments");
    return strictly([&] {
        JsonReader r(j, "appointments");
        r.object();
        AppointmentsPage page;
        page.next_cursor = bounded(r, "next_cursor", 1024);
        page.has_more = req_bool(r, "has_more");
        JsonReader list = r.at("appointments");
        list.array();
        if (list.size() > 1000) list.fail("more than 1000 appointments in one page");
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonReader x = list.at(i);
            try {
                x.object();
                store::Appointment a;
                a.id = bounded(x, "appointment_id", 64);
                JsonReader ap = x.at("applicant");
                ap.object();
                a.applicant_name = bounded(ap, "name", 200);
                a.doc_type = doc_type_of(ap);
                a.doc_number = bounded(ap, "doc_number", 40);
                a.doc_masked = ap.has("doc_number_masked") && ap.value()["doc_number_masked"].is_boolean() &&
                               ap.value()["doc_number_masked"].get<bool>();
                a.phone = bounded_or(ap, "phone", 40);
                JsonReader item = x.at("item");
                item.object();
                a.item_code = bounded(item, "code", 64);
                a.item_name = bounded_or(item, "name", 600);
                a.day = bounded(x, "date", 10);
                JsonReader slot = x.at("slot");
                slot.object();
                a.slot_start = bounded(slot, "start", 5);
                a.slot_end = bounded(slot, "end", 5);
                a.channel = bounded_or(x, "channel", 4);
                a.status = bounded(x, "status", 20);
                page.appointments.push_back(std::move(a));
            } catch (const core::Error& e) {
                page.problems.push_back(e.what());
            }
        }
        return page;
    });
}

ApplicationsPage WireCodec::parse_applications(std::string_view body) const {
    json j = parse_body(body, "applications");
    return strictly([&] {
        JsonReader r(j, "applications");
        r.object();
        ApplicationsPage page;
        page.next_cursor = bounded(r, "next_cursor", 1024);
        page.has_more = req_bool(r, "has_more");
        JsonReader list = r.at("applications");
        list.array();
        if (list.size() > 1000) list.fail("more than 1000 applications in one page");
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonReader x = list.at(i);
            try {
                x.object();
                store::OnlineApplication a;
                a.id = bounded(x, "application_id", 64);
                const std::string channel = bounded(x, "channel", 4);
                if (channel == "2") a.channel = "pc";
                else if (channel == "3") a.channel = "mobile";
                else x.fail_at("channel", "an online application comes by 2 (电脑端) or 3 (移动端), not '" + channel + "'");
                JsonReader ap = x.at("applicant");
                ap.object();
                a.applicant_name = bounded(ap, "name", 200);
                a.doc_type = doc_type_of(ap);
                a.doc_number = bounded(ap, "doc_number", 40);
                a.phone = bounded_or(ap, "phone", 40);
                a.address = bounded_or(ap, "address", 400);
                JsonReader item = x.at("item");
                item.object();
                a.item_code = bounded(item, "code", 64);
                a.item_name = bounded_or(item, "name", 600);
                if (x.has("form")) {
                    JsonReader form = x.at("form");
                    form.object();
                    if (form.has("answers")) {
                        JsonReader answers = form.at("answers");
                        answers.object();
                        a.answers = answers.value();
                    }
                }
                if (x.has("materials")) {
                    JsonReader ms = x.at("materials");
                    ms.array();
                    if (ms.size() > 200) ms.fail("more than 200 uploads");
                    for (std::size_t k = 0; k < ms.size(); ++k) {
                        JsonReader m = ms.at(k);
                        m.object();
                        store::ApplicationUpload u;
                        u.material_code = bounded(m, "code", 64);
                        u.name = bounded_or(m, "file_name", 200);
                        u.sha256 = bounded(m, "sha256", 64);
                        u.size = m.int64_or("size", 0, 0, std::int64_t(4) << 30);
                        u.media_type = bounded_or(m, "media_type", 100);
                        a.uploads.push_back(std::move(u));
                    }
                }
                a.submitted_at = bounded(x, "submitted_at", 40);
                a.status = bounded(x, "status", 20);
                page.applications.push_back(std::move(a));
            } catch (const core::Error& e) {
                page.problems.push_back(e.what());
            }
        }
        return page;
    });
}

json WireCodec::appointment_report(const store::Appointment& a) {
    return {{"report_id", a.report_id}, {"appointment_id", a.id}, {"status", a.status}, {"case_id", a.case_id}, {"at", a.status_at}};
}

std::vector<ReportResult> WireCodec::parse_report_results(std::string_view body, const std::vector<std::string>& sent_ids) {
    json j = parse_body(body, "appointment report results");
    return strictly([&] {
        JsonReader r(j, "appointment report results");
        r.object();
        JsonReader list = r.at("results");
        list.array();
        std::set<std::string> pending(sent_ids.begin(), sent_ids.end());
        std::vector<ReportResult> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonReader x = list.at(i);
            x.object();
            ReportResult res;
            res.report_id = bounded(x, "report_id", 64);
            if (!pending.erase(res.report_id)) x.fail_at("report_id", "a result for a report that was not sent (or a second one)");
            res.status = bounded(x, "status", 20);
            if (res.status != "accepted" && res.status != "duplicate" && res.status != "rejected")
                x.fail_at("status", "unknown result status '" + res.status + "'");
            if (res.status == "rejected") {
                JsonReader reason = x.at("reason");
                reason.object();
                res.reason_code = bounded(reason, "code", 100);
                res.reason_message = bounded_or(reason, "message", 2000);
            }
            out.push_back(std::move(res));
        }
        if (!pending.empty()) list.fail("no result for " + std::to_string(pending.size()) + " of the reports sent");
        return out;
    });
}

namespace {
// A string member of an answer object; "" when it is missing or not a string (json::value() would
// throw json::type_error, which is no SyncError, for a member of another type).
std::string text_member(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

PingInfo WireCodec::parse_ping(std::string_view body) {
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (!j.is_object() || text_member(j, "status") != "ok") throw SyncError(ErrorKind::retryable, "platform.malformed", "the platform's ping answer is not ok");
    return {text_member(j, "platform"), text_member(j, "server_time")};
}

TerminalInfo WireCodec::parse_terminal(std::string_view body) {
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (!j.is_object() || !j.contains("terminal_id") || !j["terminal_id"].is_string())
        throw SyncError(ErrorKind::retryable, "platform.malformed", "the platform's terminal answer has no terminal_id");
    return {j["terminal_id"].get<std::string>(), text_member(j, "centre"), text_member(j, "terminal_code"),
            text_member(j, "platform"), text_member(j, "status")};
}

void WireCodec::expect_complete(std::string_view body, const char* what_not) {
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (!j.is_object() || text_member(j, "status") != "complete")
        throw SyncError(ErrorKind::retryable, "platform.malformed", what_not);
}

PlatformErrorBody WireCodec::parse_error(std::string_view body) {
    PlatformErrorBody e;
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return e;
    const json& x = j["error"];
    if (x.contains("code") && x["code"].is_string()) e.code = x["code"].get<std::string>().substr(0, 100);
    if (x.contains("message") && x["message"].is_string()) e.message = x["message"].get<std::string>().substr(0, 2000);
    for (const json* src : std::initializer_list<const json*>{&x, &j}) {
        if (src->contains("offset") && (*src)["offset"].is_number_integer()) e.offset = (*src)["offset"].get<std::int64_t>();
        if (src->contains("platform_state") && (*src)["platform_state"].is_string())
            e.platform_state = (*src)["platform_state"].get<std::string>().substr(0, 200);
    }
    return e;
}

Credentials Credentials::parse(std::string_view text, const std::string& source) {
    json j = core::parse_json_text(text, source);
    JsonReader r(j, source);
    r.object();
    Credentials c;
    c.terminal_id = r.str("terminal_id");
    c.secret = r.str("secret");
    c.algorithm = r.str_or("algorithm", c.algorithm);
    c.centre = r.str_or("centre", "");
    c.terminal_code = r.str_or("terminal_code", "");
    c.platform = r.str_or("platform", "");
    c.client_certificate = r.str_or("client_certificate", "");
    c.client_ca = r.str_or("client_ca", "");
    if (c.terminal_id.empty() || c.terminal_id.size() > 100) r.fail_at("terminal_id", "must have 1 to 100 characters");
    try {
        std::string raw = base64_decode(c.secret);
        const bool too_short = raw.size() < 16;
        wipe_secret(raw);
        if (too_short) r.fail_at("secret", "shorter than 16 bytes");
        parse_sign_algorithm(c.algorithm);
    } catch (const SyncError& e) {
        r.fail_at(c.algorithm.empty() ? "secret" : (e.code() == "config.algorithm" ? "algorithm" : "secret"), e.what());
    }
    // The parsed document's copy of the secret is wiped; the caller owns (and wipes) c.secret.
    if (auto it = j.find("secret"); it != j.end() && it->is_string()) wipe_secret(it->get_ref<std::string&>());
    return c;
}

}  // namespace ow::sync
