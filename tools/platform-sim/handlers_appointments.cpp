#include "appointments.h"

#include "blob_files.h"
#include "case_book.h"
#include "platform_db.h"
#include "server.h"
#include "util.h"

#include "ow/core/date.h"
#include "ow/core/ids.h"
#include "ow/core/validators.h"
#include "ow/store/db.h"

#include <httplib.h>

#include <cstdio>
#include <sstream>
#include <vector>

namespace ow::sim {

using nlohmann::json;

namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS appointments(id TEXT PRIMARY KEY, centre TEXT NOT NULL, record TEXT NOT NULL,
  status TEXT NOT NULL, version INTEGER NOT NULL, case_id TEXT NOT NULL DEFAULT '', report_id TEXT NOT NULL DEFAULT '',
  reported_by TEXT NOT NULL DEFAULT '', reported_at TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS appointments_centre ON appointments(centre, version);
)SQL";

bool is_instant(const std::string& s) {
    try {
        (void)core::parse_instant(s);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

bool is_hhmm(const std::string& s) {
    return s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) && std::isdigit(static_cast<unsigned char>(s[1])) &&
           std::isdigit(static_cast<unsigned char>(s[3])) && std::isdigit(static_cast<unsigned char>(s[4])) && s.substr(0, 2) < "24" &&
           s.substr(3, 2) < "60";
}

std::string str_of(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The appointment as the feed shows it: the ID number masked when the booking says so.
json wire_appointment(const json& record, const std::string& status) {
    json a = record;
    const bool masked = record.value("mask", false);
    a.erase("mask");
    std::string number = record["applicant"].value("doc_number", "");
    if (masked && number.size() > 8) number = number.substr(0, 4) + std::string(number.size() - 8, '*') + number.substr(number.size() - 4);
    a["applicant"]["doc_number"] = number;
    a["applicant"]["doc_number_masked"] = masked;
    a["status"] = status == "cancelled" ? "cancelled" : "booked";  // the centre's own outcome is not fed back
    return a;
}

/// UTF-16BE hex of a UTF-8 string (BMP only; other characters become '?'), for a PDF text string.
std::string utf16be_hex(const std::string& s) {
    std::string out = "FEFF";
    char buf[8];
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        unsigned cp = '?';
        std::size_t n = 1;
        if (c < 0x80) cp = c;
        else if ((c >> 5) == 6 && i + 1 < s.size()) cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu), n = 2;
        else if ((c >> 4) == 14 && i + 2 < s.size())
            cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 2]) & 0x3Fu), n = 3;
        else if ((c >> 3) == 30) n = 4;
        std::snprintf(buf, sizeof buf, "%04X", cp & 0xFFFFu);
        out += buf;
        i += n;
    }
    return out;
}

/// A one-page PDF (Helvetica; ASCII lines) with `title` (any text) in its metadata.
std::string simple_pdf(const std::vector<std::string>& lines, const std::string& title) {
    std::string content = "BT /F1 12 Tf 72 770 Td 16 TL\n";
    for (const auto& l : lines) {
        std::string esc;
        for (char ch : l) {
            if (ch == '(' || ch == ')' || ch == '\\') esc += '\\';
            esc += (static_cast<unsigned char>(ch) < 0x80) ? ch : '?';
        }
        content += "(" + esc + ") '\n";
    }
    content += "ET\n";
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
        "<< /Title <" + utf16be_hex(title) + "> /Producer (onewindow-platform-sim) >>",
    };
    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    char buf[32];
    for (auto off : offsets) {
        std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
        pdf += buf;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R /Info 6 0 R >>\nstartxref\n" + std::to_string(xref) +
           "\n%%EOF\n";
    return pdf;
}

}  // namespace

void ensure_appointment_schema(PlatformDb& pdb) { pdb.db().exec(kSchema); }

json add_appointment(PlatformDb& pdb, const json& in) {
    const std::string name = str_of(in, "name"), number = str_of(in, "doc_number"), item = str_of(in, "item_code"),
                      date = str_of(in, "date"), slot = str_of(in, "slot"), centre = str_of(in, "centre"), channel = str_of(in, "channel");
    if (name.empty() || name.size() > 200) throw InputError("--name is required (at most 200 bytes)");
    if (auto check = core::check_resident_id(number); !check.valid) throw InputError("--id-number: " + check.reason);
    if (centre.empty()) throw InputError("--centre is required");
    const auto day = core::try_parse_date(date);
    if (!day) throw InputError("--date wants YYYY-MM-DD, not '" + date + "'");
    const auto dash = slot.find('-');
    const std::string start = dash == std::string::npos ? "" : slot.substr(0, dash), end = dash == std::string::npos ? "" : slot.substr(dash + 1);
    if (!is_hhmm(start) || !is_hhmm(end) || end <= start) throw InputError("--slot wants HH:MM-HH:MM, not '" + slot + "'");
    if (channel != "1" && channel != "2" && channel != "3" && channel != "9")
        throw InputError("--channel is an 办理形式 code: 1 窗口, 2 电脑端, 3 移动端, 9 其他");
    std::string item_name;
    {
        auto& st = pdb.db().cached("SELECT body FROM catalogue WHERE type = 'item' AND code = ?1");
        st.bind(1, item);
        if (st.step()) item_name = json::parse(st.text(0), nullptr, false).value("name", "");
        st.reset();
    }
    if (item_name.empty()) throw InputError("--item: the catalogue has no item '" + item + "'");
    const std::string id = "apt-" + ulid();
    json record = {{"appointment_id", id},
                   {"centre", centre},
                   {"applicant", {{"name", name}, {"doc_type", "111"}, {"doc_number", number}, {"phone", str_of(in, "phone")}}},
                   {"mask", in.value("mask", false)},
                   {"item", {{"code", item}, {"name", item_name}}},
                   {"date", date},
                   {"slot", {{"start", start}, {"end", end}}},
                   {"channel", channel},
                   {"booked_at", Clock::iso_now()}};
    pdb.bump("appointments.version");
    pdb.db().cached("INSERT INTO appointments(id, centre, record, status, version, created_ms) VALUES(?1, ?2, ?3, 'booked', ?4, ?5)")
        .bind(1, id)
        .bind(2, centre)
        .bind(3, dump(record))
        .bind(4, pdb.counter("appointments.version"))
        .bind(5, Clock::now_ms())
        .run();
    return wire_appointment(record, "booked");
}

json list_appointments(PlatformDb& pdb, const std::string& centre) {
    json out = json::array();
    auto& st = pdb.db().cached("SELECT record, status, case_id, report_id, reported_by, reported_at FROM appointments "
                               "WHERE ?1 = '' OR centre = ?1 ORDER BY version");
    st.bind(1, centre);
    while (st.step()) {
        json a = wire_appointment(json::parse(st.text(0)), st.text(1));
        a["status"] = st.text(1);
        a["case_id"] = st.text(2);
        a["report_id"] = st.text(3);
        a["reported_by"] = st.text(4);
        a["reported_at"] = st.text(5);
        out.push_back(std::move(a));
    }
    st.reset();
    return out;
}

void register_appointment_routes(Routes& routes, Context& ctx) {
    routes.get("/v1/appointments", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const auto limit = query_int(req, "limit", 100, 1, 1'000'000);
        if (!limit) return send_error(res, 400, "request.malformed", "limit must be a positive integer");
        const auto after = read_cursor("apt", req.get_param_value("cursor"));
        if (!after) return send_error(res, 400, "cursor.invalid", "the cursor is not one of this list's");
        const int n = int(std::min<std::int64_t>(*limit, 500));
        json list = json::array();
        std::int64_t last = *after;
        bool more = false;
        {
            auto lock = ctx.pdb.lock();
            auto& st = ctx.pdb.db().cached("SELECT record, status, version FROM appointments WHERE centre = ?1 AND version > ?2 "
                                           "ORDER BY version LIMIT ?3");
            st.bind(1, call.terminal.centre).bind(2, *after).bind(3, std::int64_t(n + 1));
            while (st.step()) {
                if (int(list.size()) == n) {
                    more = true;
                    break;
                }
                list.push_back(wire_appointment(json::parse(st.text(0)), st.text(1)));
                last = st.int64(2);
            }
            st.reset();
        }
        send_value(res, 200, {{"appointments", list}, {"next_cursor", make_cursor("apt", last)}, {"has_more", more}});
    });

    routes.post("/v1/appointments:report", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const json body = json::parse(req.body, nullptr, false);
        if (!body.is_object() || !body.contains("reports") || !body["reports"].is_array())
            return send_error(res, 400, "request.malformed", "the body is {\"reports\": [...]}");
        if (body["reports"].size() > 1000) return send_error(res, 413, "request.too_large", "at most 1000 reports per request");
        idempotent(ctx, req, res, call.body_sha256, call.terminal.id, [&] {
            json results = json::array();
            for (const auto& r : body["reports"]) {
                const std::string report_id = r.is_object() ? str_of(r, "report_id") : "";
                json result = {{"report_id", report_id}};
                auto reject = [&](const std::string& code, const std::string& message) {
                    result["status"] = "rejected";
                    result["reason"] = {{"code", code}, {"message", message}};
                };
                const std::string id = r.is_object() ? str_of(r, "appointment_id") : "";
                const std::string status = r.is_object() ? str_of(r, "status") : "";
                const std::string case_id = r.is_object() ? str_of(r, "case_id") : "";
                const std::string at = r.is_object() ? str_of(r, "at") : "";
                if (!r.is_object()) reject("invalid.record", "a report is an object");
                else if (!core::Uuid::parse(report_id)) reject("invalid.report_id", "report_id is a UUID");
                else if (status != "arrived" && status != "no_show") reject("invalid.status", "status is arrived or no_show");
                else if (status == "arrived" && !core::Uuid::parse(case_id)) reject("invalid.case_id", "an arrival names the case started (UUID)");
                else if (!is_instant(at)) reject("invalid.at", "at is an RFC 3339 time");
                else {
                    auto& st = ctx.pdb.db().cached("SELECT status, report_id FROM appointments WHERE id = ?1 AND centre = ?2");
                    st.bind(1, id).bind(2, call.terminal.centre);
                    const bool found = st.step();
                    const std::string now_status = found ? st.text(0) : "", now_report = found ? st.text(1) : "";
                    st.reset();
                    if (!found) reject("unknown_appointment", "the platform holds no appointment '" + id + "' for this centre");
                    else if (now_report == report_id) result["status"] = "duplicate";
                    else if (now_status != "booked")
                        reject("conflict.status", "the appointment is " + now_status + " on the platform"), result["reason"]["platform_status"] = now_status;
                    else {
                        ctx.pdb.bump("appointments.version");
                        ctx.pdb.db()
                            .cached("UPDATE appointments SET status = ?2, case_id = ?3, report_id = ?4, reported_by = ?5, reported_at = ?6, "
                                    "version = ?7 WHERE id = ?1")
                            .bind(1, id)
                            .bind(2, status)
                            .bind(3, case_id)
                            .bind(4, report_id)
                            .bind(5, call.terminal.id)
                            .bind(6, at)
                            .bind(7, ctx.pdb.counter("appointments.version"))
                            .run();
                        ctx.pdb.bump("appointments." + status);
                        result["status"] = "accepted";
                    }
                }
                results.push_back(std::move(result));
            }
            return std::make_pair(200, dump(json{{"results", results}}));
        });
    });

    // The decision documents of 通办 cases (and any blob the platform holds) for the terminal to keep.
    // Only a blob of the terminal's own cases, one its change feed names, or an upload of an online
    // application to its centre: a digest learnt elsewhere does not open another terminal's scans.
    routes.get(R"(/v1/blobs/([0-9a-f]{64})/content)", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const std::string sha = req.matches[1];
        std::string media;
        {
            auto lock = ctx.pdb.lock();
            auto& st = ctx.pdb.db().cached(
                "SELECT b.media_type FROM blobs b WHERE b.sha256 = ?1 AND ("
                "EXISTS (SELECT 1 FROM case_blobs l JOIN cases c ON c.case_id = l.case_id WHERE l.sha256 = ?1 AND c.terminal = ?2) "
                "OR EXISTS (SELECT 1 FROM changes g WHERE g.terminal = ?2 AND instr(g.record, ?1) > 0) "
                "OR EXISTS (SELECT 1 FROM applications a WHERE a.centre = ?3 AND instr(a.record, ?1) > 0))");
            st.bind(1, sha).bind(2, call.terminal.id).bind(3, call.terminal.centre);
            if (st.step()) media = st.text(0);
            st.reset();
        }
        if (media.empty()) return send_error(res, 404, "blob.unknown", "the platform does not hold this blob");
        std::string bytes;
        try {
            bytes = read_file(ctx.blobs.blob_path(sha));
        } catch (const std::exception&) {
            return send_error(res, 500, "server.storage", "the blob's file cannot be read");
        }
        res.status = 200;
        res.set_content(bytes, media.c_str());
    });
}

std::optional<json> cross_region_of(PlatformDb& pdb, const std::string& case_id) {
    auto& st = pdb.db().cached("SELECT record FROM case_events WHERE case_id = ?1 AND action = 'escalate' ORDER BY seq DESC LIMIT 1");
    st.bind(1, case_id);
    std::optional<json> out;
    if (st.step()) {
        const json e = json::parse(st.text(0), nullptr, false);
        if (e.is_object() && e.contains("data") && e["data"].is_object() && e["data"].contains("cross_region") &&
            e["data"]["cross_region"].is_object())
            out = e["data"]["cross_region"];
    }
    st.reset();
    return out;
}

json decide_cross_region(PlatformDb& pdb, const BlobFiles& files, const std::string& case_id, bool approve, const std::string& opinion,
                         std::int64_t now_ms) {
    auto& db = pdb.db();
    std::int64_t row = 0;
    std::string terminal, case_no, state, item_code;
    {
        auto& st = db.cached("SELECT id, terminal, case_no, state, item_code FROM cases WHERE case_id = ?1 ORDER BY id LIMIT 1");
        st.bind(1, case_id);
        if (st.step()) row = st.int64(0), terminal = st.text(1), case_no = st.text(2), state = st.text(3), item_code = st.text(4);
        st.reset();
    }
    if (!row) throw InputError("the platform holds no case " + case_id);
    const auto cr = cross_region_of(pdb, case_id);
    if (!cr) throw InputError("case " + case_id + " was not sent to another region (通办)");
    if (state != "escalated") throw InputError("case " + case_id + " is " + state + ", not with the other region");
    const std::string authority = cr->value("authority", ""), region = cr->value("region", ""), region_code = cr->value("region_code", "");
    const std::string title = std::string(approve ? "准予" : "不予") + "办理决定书（通办，" + region + authority + "）";
    const std::string pdf = simple_pdf({"Cross-region decision (tongban) - training platform",
                                        "Deciding region: " + region_code,
                                        "Case no: " + case_no,
                                        "Case id: " + case_id,
                                        "Item: " + item_code,
                                        std::string("Decision: ") + (approve ? "APPROVED" : "DENIED"),
                                        "Decided at: " + Clock::iso(now_ms)},
                                       title);
    const std::string sha = sha256_hex(pdf);
    {
        auto& st = db.cached("SELECT 1 FROM blobs WHERE sha256 = ?1");
        st.bind(1, sha);
        const bool known = st.step();
        st.reset();
        if (!known) {
            const std::string id = "region-" + random_hex(12);
            files.write_chunk(id, 0, pdf);
            files.sync_part(id);
            files.promote(id, sha);
            db.cached("INSERT INTO blobs(sha256, size, media_type, created_ms) VALUES(?1, ?2, 'application/pdf', ?3)")
                .bind(1, sha)
                .bind(2, std::int64_t(pdf.size()))
                .bind(3, now_ms)
                .run();
        }
    }
    json record = {{"department", authority},
                   {"officer", "region-" + region_code},
                   {"opinion", opinion.empty() ? (approve ? "经" + region + authority + "审查，准予办理（训练数据）"
                                                          : "经" + region + authority + "审查，不符合法定条件（训练数据）")
                                               : opinion},
                   {"legal_basis", ""},
                   {"cross_region", *cr},
                   {"document", {{"sha256", sha}, {"size", std::int64_t(pdf.size())}, {"media_type", "application/pdf"}, {"title", title}}}};
    CaseBook(pdb).add_change(terminal, case_id, case_no, approve ? "approved" : "denied", record, now_ms);
    db.cached("UPDATE cases SET state = ?2, bo_stage = 3, bo_ms = ?3 WHERE id = ?1")
        .bind(1, row)
        .bind(2, approve ? "approved" : "denied")
        .bind(3, now_ms)
        .run();
    pdb.bump("cross_region.decided");
    return record;
}

}  // namespace ow::sim
