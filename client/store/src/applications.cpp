#include "ow/store/applications.h"

#include "ow/core/error.h"
#include "ow/store/errors.h"

namespace ow::store {
namespace {

using nlohmann::json;

constexpr const char* kColumns = "id, channel, item_code, item_name, applicant_name, doc_number, submitted_at, status, record, case_id, "
                                 "taken_by, taken_at, updated_at";

json record_of(const OnlineApplication& a) {
    json uploads = json::array();
    for (const auto& u : a.uploads)
        uploads.push_back({{"material_code", u.material_code}, {"name", u.name}, {"sha256", u.sha256}, {"size", u.size},
                           {"media_type", u.media_type}});
    return {{"doc_type", a.doc_type}, {"phone", a.phone}, {"address", a.address}, {"answers", a.answers}, {"uploads", uploads}};
}

OnlineApplication read_row(Stmt& st) {
    OnlineApplication a;
    a.id = st.text(0);
    a.channel = st.text(1);
    a.item_code = st.text(2);
    a.item_name = st.text(3);
    a.applicant_name = st.text(4);
    a.doc_number = st.text(5);
    a.submitted_at = st.text(6);
    a.status = st.text(7);
    const json r = json::parse(st.text(8), nullptr, false);
    if (r.is_object()) {
        a.doc_type = r.value("doc_type", 111);
        a.phone = r.value("phone", "");
        a.address = r.value("address", "");
        if (r.contains("answers") && r["answers"].is_object()) a.answers = r["answers"];
        if (r.contains("uploads") && r["uploads"].is_array())
            for (const auto& u : r["uploads"])
                if (u.is_object())
                    a.uploads.push_back({u.value("material_code", ""), u.value("name", ""), u.value("sha256", ""),
                                         u.value("size", std::int64_t(0)), u.value("media_type", "")});
    }
    a.case_id = st.text(9);
    a.taken_by = st.text(10);
    a.taken_at = st.text(11);
    a.updated_at = st.text(12);
    return a;
}

bool is_sha256(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

void Applications::upsert_from_platform(const OnlineApplication& a, core::Instant at) {
    if (a.id.empty() || a.id.size() > 64) throw core::InvalidData("an application needs an id of 1-64 characters");
    const std::string what = "application " + a.id + ": ";
    if (a.status != "submitted" && a.status != "withdrawn" && a.status != "taken")
        throw core::InvalidData(what + "the platform's status is submitted, withdrawn or taken, not '" + a.status + "'");
    if (a.channel != "pc" && a.channel != "mobile") throw core::InvalidData(what + "the channel is pc or mobile, not '" + a.channel + "'");
    if (a.item_code.empty() || a.applicant_name.empty() || a.doc_number.empty())
        throw core::InvalidData(what + "the item, the applicant's name and ID number are required");
    try {
        (void)core::parse_instant(a.submitted_at);
    } catch (const core::Error&) {
        throw core::InvalidData(what + "submitted_at is not an RFC 3339 time");
    }
    if (!a.answers.is_object()) throw core::InvalidData(what + "the answers are an object");
    for (const auto& u : a.uploads)
        if (u.material_code.empty() || !is_sha256(u.sha256) || u.size < 0)
            throw core::InvalidData(what + "an upload names its material and its blob (lower-case SHA-256)");
    db_.cached("INSERT INTO online_applications(id, channel, item_code, item_name, applicant_name, doc_number, submitted_at, status, "
               "record, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
               "ON CONFLICT(id) DO UPDATE SET channel = excluded.channel, item_code = excluded.item_code, item_name = excluded.item_name, "
               "applicant_name = excluded.applicant_name, doc_number = excluded.doc_number, submitted_at = excluded.submitted_at, "
               "record = excluded.record, "
               "status = CASE WHEN online_applications.case_id = '' THEN excluded.status ELSE online_applications.status END, "
               "updated_at = excluded.updated_at")
        .bind(1, a.id).bind(2, a.channel).bind(3, a.item_code).bind(4, a.item_name).bind(5, a.applicant_name).bind(6, a.doc_number)
        .bind(7, a.submitted_at).bind(8, a.status).bind(9, record_of(a).dump()).bind(10, core::format_instant(at))
        .run();
}

std::optional<OnlineApplication> Applications::get(const std::string& id) {
    Stmt st(db_, std::string("SELECT ") + kColumns + " FROM online_applications WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_row(st);
}

std::optional<OnlineApplication> Applications::for_case(const std::string& case_id) {
    if (case_id.empty()) return std::nullopt;
    Stmt st(db_, std::string("SELECT ") + kColumns + " FROM online_applications WHERE case_id = ? ORDER BY id LIMIT 1");
    st.bind(1, case_id);
    if (!st.step()) return std::nullopt;
    return read_row(st);
}

std::vector<OnlineApplication> Applications::inbox(int limit, int offset) {
    Stmt st(db_, std::string("SELECT ") + kColumns +
                     " FROM online_applications INDEXED BY online_applications_inbox WHERE status = 'submitted' "
                     "ORDER BY submitted_at, id LIMIT ? OFFSET ?");
    st.bind(1, std::int64_t(limit)).bind(2, std::int64_t(offset));
    std::vector<OnlineApplication> out;
    while (st.step()) out.push_back(read_row(st));
    return out;
}

std::int64_t Applications::inbox_count() {
    Stmt st(db_, "SELECT count(*) FROM online_applications WHERE status = 'submitted'");
    st.step();
    return st.int64(0);
}

void Applications::mark_taken(const std::string& id, const std::string& case_id, const std::string& user, core::Instant at) {
    if (!get(id)) throw core::InvalidData("no online application '" + id + "' (sync pulls them from the platform)");
    const std::string now = core::format_instant(at);
    db_.cached("UPDATE online_applications SET status = 'taken', case_id = ?2, taken_by = ?3, taken_at = ?4, updated_at = ?4 "
               "WHERE id = ?1 AND status = 'submitted'")
        .bind(1, id).bind(2, case_id).bind(3, user).bind(4, now)
        .run();
    if (db_.changes() != 1) throw StoreError("store.conflict", "online application " + id + " is not waiting any more (withdrawn or taken)");
}

json to_json(const OnlineApplication& a) {
    json j = record_of(a);
    j["application_id"] = a.id;
    j["channel"] = a.channel;
    j["item_code"] = a.item_code;
    j["item_name"] = a.item_name;
    j["applicant_name"] = a.applicant_name;
    j["doc_number"] = a.doc_number;
    j["submitted_at"] = a.submitted_at;
    j["status"] = a.status;
    j["case_id"] = a.case_id;
    j["taken_by"] = a.taken_by;
    j["taken_at"] = a.taken_at;
    return j;
}

}  // namespace ow::store
