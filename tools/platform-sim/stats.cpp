// `stats --db FILE`: what the platform holds and did, counted honestly (rows, not intentions), so
// that a doubled case or a mutation applied twice shows. Works while `serve` runs (WAL).
#include "admin.h"
#include "blob_files.h"
#include "platform_db.h"
#include "util.h"

#include "ow/store/db.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace ow::sim {

using nlohmann::json;

int cmd_stats(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db"}, {"--no-verify"});
    PlatformDb pdb(a.need("--db"), false);
    auto& db = pdb.db();
    auto lock = pdb.lock();
    store::Transaction tx(db);  // one consistent snapshot
    const auto count = [&](const char* sql) { return db.query_int(sql); };
    json out;
    out["cases"] = count("SELECT count(*) FROM cases");
    out["distinct_cases"] = count("SELECT count(DISTINCT case_id) FROM cases");
    out["events"] = count("SELECT count(*) FROM case_events");
    out["blob_links"] = count("SELECT count(*) FROM case_blobs");
    out["mutations_applied"] = pdb.counter("mutations_applied");
    out["mutations_rows"] = count("SELECT count(*) FROM mutations");
    out["mutations_distinct"] = count("SELECT count(DISTINCT mutation_id) FROM mutations");
    out["duplicates_refused"] = pdb.counter("duplicates_refused");
    out["blobs"] = count("SELECT count(*) FROM blobs");
    out["uploads_open"] = count("SELECT count(*) FROM uploads WHERE status = 'open'");
    out["upload_bytes_received"] = pdb.counter("upload_bytes_received");
    out["changes"] = count("SELECT count(*) FROM changes");
    out["ratings"] = count("SELECT count(*) FROM ratings");
    out["terminals"] = count("SELECT count(*) FROM terminals");
    out["terminals_revoked"] = count("SELECT count(*) FROM terminals WHERE status = 'revoked'");
    out["client_certs"] = count("SELECT count(*) FROM client_certs");
    out["client_certs_revoked"] = count("SELECT count(*) FROM client_certs WHERE revoked_ms IS NOT NULL");
    out["audit_anchors"] = count("SELECT count(*) FROM audit_anchors");
    out["audit_alarms"] = count("SELECT count(*) FROM audit_alarms");
    out["catalogue_version"] = pdb.meta("catalogue_version").value_or("");
    out["training_data"] = true;

    json refused = json::object(), faults = json::object(), requests = json::object(), changes = json::object(), other = json::object();
    {
        auto& st = db.cached("SELECT name, value FROM counters ORDER BY name");
        while (st.step()) {
            const std::string name = st.text(0);
            const std::int64_t v = st.int64(1);
            const auto starts = [&](const char* p) { return name.rfind(p, 0) == 0; };
            if (starts("refused.")) refused[name.substr(8)] = v;
            else if (starts("faults.")) faults[name.substr(7)] = v;
            else if (starts("requests.")) requests[name.substr(9)] = v;
            else if (starts("changes.")) changes[name.substr(8)] = v;
            else if (name != "mutations_applied" && name != "duplicates_refused" && name != "upload_bytes_received") other[name] = v;
        }
        st.reset();
    }
    out["refused"] = refused;
    out["faults"] = faults;
    out["requests"] = requests;
    out["changes_by_type"] = changes;
    out["counters"] = other;

    json by_state = json::object();
    {
        auto& st = db.cached("SELECT state, count(*) FROM cases GROUP BY state ORDER BY state");
        while (st.step()) by_state[st.text(0)] = st.int64(1);
        st.reset();
    }
    out["cases_by_state"] = by_state;
    json by_level = json::object(), by_sat = json::object();
    {
        auto& st = db.cached("SELECT level, satisfaction, count(*) FROM ratings GROUP BY level, satisfaction ORDER BY level");
        while (st.step()) {
            by_level[std::to_string(st.int64(0))] = st.int64(2);
            by_sat[st.text(1)] = st.int64(2);
        }
        st.reset();
    }
    out["ratings_by_gb_level"] = by_level;               // GB/T 39046 order: 1 very satisfied … 5
    out["ratings_by_provincial_satisfaction"] = by_sat;  // the interface's order: 5 very satisfied … 1

    std::vector<std::pair<std::string, std::int64_t>> blobs;
    if (!a.has("--no-verify")) {
        auto& st = db.cached("SELECT sha256, size FROM blobs");
        while (st.step()) blobs.emplace_back(st.text(0), st.int64(1));
        st.reset();
    }
    tx.commit();
    lock.unlock();
    if (!a.has("--no-verify")) {
        BlobFiles files(pdb.blob_dir());
        std::int64_t corrupt = 0;
        for (const auto& [sha, size] : blobs) {
            const auto f = BlobFiles::hash_file(files.blob_path(sha));
            if (!f || f->first != sha || f->second != size) ++corrupt;
        }
        out["blobs_corrupt"] = corrupt;
    }
    std::cout << dump(out) << "\n";
    return 0;
}

}  // namespace ow::sim
