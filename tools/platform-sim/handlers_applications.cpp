#include "applications.h"

#include "blob_files.h"
#include "case_book.h"
#include "platform_db.h"
#include "server.h"
#include "util.h"

#include "ow/core/date.h"
#include "ow/core/validators.h"
#include "ow/store/db.h"

#include <httplib.h>

namespace ow::sim {

using nlohmann::json;

namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS applications(id TEXT PRIMARY KEY, centre TEXT NOT NULL, record TEXT NOT NULL,
  status TEXT NOT NULL, version INTEGER NOT NULL, case_id TEXT NOT NULL DEFAULT '', taken_by TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS applications_centre ON applications(centre, version);
)SQL";

std::string str_of(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json wire_application(const json& record, const std::string& status) {
    json a = record;
    a["status"] = status;
    return a;
}

std::string media_type_of(const std::string& path) {
    auto ends = [&](const char* ext) {
        const std::string e = ext;
        return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
    };
    if (ends(".pdf") || ends(".PDF")) return "application/pdf";
    if (ends(".png") || ends(".PNG")) return "image/png";
    if (ends(".jpg") || ends(".jpeg") || ends(".JPG")) return "image/jpeg";
    return "application/octet-stream";
}

/// Stores `bytes` as a platform blob (once per content); returns its digest.
std::string store_blob(PlatformDb& pdb, const BlobFiles& files, const std::string& bytes, const std::string& media) {
    const std::string sha = sha256_hex(bytes);
    auto& st = pdb.db().cached("SELECT 1 FROM blobs WHERE sha256 = ?1");
    st.bind(1, sha);
    const bool known = st.step();
    st.reset();
    if (known) return sha;
    const std::string id = "online-" + random_hex(12);
    files.write_chunk(id, 0, bytes);
    files.sync_part(id);
    files.promote(id, sha);
    pdb.db()
        .cached("INSERT INTO blobs(sha256, size, media_type, created_ms) VALUES(?1, ?2, ?3, ?4)")
        .bind(1, sha)
        .bind(2, std::int64_t(bytes.size()))
        .bind(3, media)
        .bind(4, Clock::now_ms())
        .run();
    return sha;
}

}  // namespace

void ensure_application_schema(PlatformDb& pdb) { pdb.db().exec(kSchema); }

json add_application(PlatformDb& pdb, const BlobFiles& files, const json& in) {
    const std::string name = str_of(in, "name"), number = str_of(in, "doc_number"), item = str_of(in, "item_code"),
                      centre = str_of(in, "centre"), channel = str_of(in, "channel");
    if (name.empty() || name.size() > 200) throw InputError("--name is required (at most 200 bytes)");
    if (auto check = core::check_resident_id(number); !check.valid) throw InputError("--id-number: " + check.reason);
    if (centre.empty()) throw InputError("--centre is required");
    if (channel != "2" && channel != "3") throw InputError("--channel is an online 办理形式 code: 2 电脑端, 3 移动端");
    const json answers = in.value("answers", json::object());
    if (!answers.is_object()) throw InputError("--answers is a JSON object (the form's answers)");
    std::string item_name;
    {
        auto& st = pdb.db().cached("SELECT body FROM catalogue WHERE type = 'item' AND code = ?1");
        st.bind(1, item);
        if (st.step()) item_name = json::parse(st.text(0), nullptr, false).value("name", "");
        st.reset();
    }
    if (item_name.empty()) throw InputError("--item: the catalogue has no item '" + item + "'");
    json materials = json::array();
    for (const auto& u : in.value("uploads", json::array())) {
        const std::string code = str_of(u, "material_code"), file = str_of(u, "file");
        if (code.empty() || file.empty()) throw InputError("--uploads wants CODE=FILE[,CODE=FILE…]");
        std::string bytes;
        try {
            bytes = read_file(file);
        } catch (const std::exception&) {
            throw InputError("--uploads: cannot read " + file);
        }
        if (bytes.empty()) throw InputError("--uploads: " + file + " is empty");
        const std::string media = media_type_of(file);
        const std::string sha = store_blob(pdb, files, bytes, media);
        const auto slash = file.find_last_of('/');
        materials.push_back({{"code", code}, {"file_name", slash == std::string::npos ? file : file.substr(slash + 1)}, {"sha256", sha},
                             {"size", std::int64_t(bytes.size())}, {"media_type", media}});
    }
    const std::string id = "app-" + ulid();
    json record = {{"application_id", id},
                   {"centre", centre},
                   {"channel", channel},
                   {"applicant", {{"name", name}, {"doc_type", "111"}, {"doc_number", number}, {"phone", str_of(in, "phone")},
                                  {"address", str_of(in, "address")}}},
                   {"item", {{"code", item}, {"name", item_name}}},
                   {"form", {{"answers", answers}}},
                   {"materials", materials},
                   {"submitted_at", Clock::iso_now()}};
    pdb.bump("applications.version");
    pdb.db()
        .cached("INSERT INTO applications(id, centre, record, status, version, created_ms) VALUES(?1, ?2, ?3, 'submitted', ?4, ?5)")
        .bind(1, id)
        .bind(2, centre)
        .bind(3, dump(record))
        .bind(4, pdb.counter("applications.version"))
        .bind(5, Clock::now_ms())
        .run();
    return wire_application(record, "submitted");
}

json withdraw_application(PlatformDb& pdb, const std::string& id) {
    auto& st = pdb.db().cached("SELECT record, status FROM applications WHERE id = ?1");
    st.bind(1, id);
    if (!st.step()) {
        st.reset();
        throw InputError("no application '" + id + "'");
    }
    const json record = json::parse(st.text(0));
    const std::string status = st.text(1);
    st.reset();
    if (status != "submitted") throw InputError("application " + id + " is " + status + ": only a submitted one is withdrawn");
    pdb.bump("applications.version");
    pdb.db()
        .cached("UPDATE applications SET status = 'withdrawn', version = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, pdb.counter("applications.version"))
        .run();
    return wire_application(record, "withdrawn");
}

json list_applications(PlatformDb& pdb, const std::string& centre) {
    json out = json::array();
    auto& st = pdb.db().cached("SELECT record, status, case_id, taken_by FROM applications WHERE ?1 = '' OR centre = ?1 ORDER BY version");
    st.bind(1, centre);
    while (st.step()) {
        json a = wire_application(json::parse(st.text(0)), st.text(1));
        a["case_id"] = st.text(2);
        a["taken_by"] = st.text(3);
        out.push_back(std::move(a));
    }
    st.reset();
    return out;
}

std::optional<ApplicationRefusal> take_application(PlatformDb& pdb, const std::string& centre, const std::string& terminal,
                                                   const std::string& application_id, const std::string& case_id) {
    auto& st = pdb.db().cached("SELECT status, case_id FROM applications WHERE id = ?1 AND centre = ?2");
    st.bind(1, application_id).bind(2, centre);
    const bool found = st.step();
    const std::string status = found ? st.text(0) : "", holder = found ? st.text(1) : "";
    st.reset();
    if (!found) return ApplicationRefusal{"unknown_application", "the platform holds no application '" + application_id + "' for this centre"};
    if (holder == case_id) return std::nullopt;
    if (status != "submitted")
        return ApplicationRefusal{"conflict.application",
                                  "application " + application_id + " is " + status + (holder.empty() ? "" : " (case " + holder + ")")};
    pdb.bump("applications.version");
    pdb.db()
        .cached("UPDATE applications SET status = 'taken', case_id = ?2, taken_by = ?3, version = ?4 WHERE id = ?1")
        .bind(1, application_id)
        .bind(2, case_id)
        .bind(3, terminal)
        .bind(4, pdb.counter("applications.version"))
        .run();
    pdb.bump("applications.taken");
    return std::nullopt;
}

void register_application_routes(Routes& routes, Context& ctx) {
    routes.get("/v1/applications", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const auto limit = query_int(req, "limit", 100, 1, 1'000'000);
        if (!limit) return send_error(res, 400, "request.malformed", "limit must be a positive integer");
        const auto after = read_cursor("app", req.get_param_value("cursor"));
        if (!after) return send_error(res, 400, "cursor.invalid", "the cursor is not one of this list's");
        const int n = int(std::min<std::int64_t>(*limit, 500));
        json list = json::array();
        std::int64_t last = *after;
        bool more = false;
        {
            auto lock = ctx.pdb.lock();
            auto& st = ctx.pdb.db().cached("SELECT record, status, version FROM applications WHERE centre = ?1 AND version > ?2 "
                                           "ORDER BY version LIMIT ?3");
            st.bind(1, call.terminal.centre).bind(2, *after).bind(3, std::int64_t(n + 1));
            while (st.step()) {
                if (int(list.size()) == n) {
                    more = true;
                    break;
                }
                list.push_back(wire_application(json::parse(st.text(0)), st.text(1)));
                last = st.int64(2);
            }
            st.reset();
        }
        send_value(res, 200, {{"applications", list}, {"next_cursor", make_cursor("app", last)}, {"has_more", more}});
    });
}

}  // namespace ow::sim
