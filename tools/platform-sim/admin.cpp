#include "admin.h"

#include "applications.h"
#include "appointments.h"

#include "auth.h"
#include "blob_files.h"
#include "case_book.h"
#include "certs.h"
#include "demo_data.h"
#include "platform_db.h"
#include "server.h"
#include "trust.h"
#include "tsa.h"
#include "util.h"

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/core/json_reader.h"
#include "ow/core/ids.h"
#include "ow/store/db.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <sstream>

namespace ow::sim {

using nlohmann::json;

Args Args::parse(const std::vector<std::string>& argv, const std::set<std::string>& with_value,
                 const std::set<std::string>& flag_names) {
    Args a;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& s = argv[i];
        if (with_value.count(s)) {
            if (i + 1 >= argv.size()) throw UsageError(s + " needs a value");
            a.values[s] = argv[++i];
        } else if (flag_names.count(s)) {
            a.flags.insert(s);
        } else {
            throw UsageError("unknown argument " + s);
        }
    }
    return a;
}

std::optional<std::string> Args::get(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

std::string Args::need(const std::string& name) const {
    auto v = get(name);
    if (!v) throw UsageError(name + " is required");
    return *v;
}

namespace {

double fraction(const Args& a, const std::string& name, double fallback) {
    const auto v = a.get(name);
    if (!v) return fallback;
    const auto f = parse_fraction(*v);
    if (!f) throw InputError(name + " wants a number between 0 and 1, not '" + *v + "'");
    return *f;
}

std::int64_t integer(const Args& a, const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
    const auto v = a.get(name);
    if (!v) return fallback;
    const auto n = parse_int(*v, min, max);
    if (!n) throw InputError(name + " wants an integer between " + std::to_string(min) + " and " + std::to_string(max) + ", not '" + *v + "'");
    return *n;
}

}  // namespace

int cmd_serve(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv,
                               {"--db", "--listen", "--tls-cert", "--tls-key", "--fail-rate", "--reset-rate", "--truncate-rate",
                                "--latency-ms", "--decide-after-s", "--drip-bps", "--clock-skew-s", "--malformed-rate",
                                "--malformed-kinds", "--cut-uploads-at", "--seed", "--port-file", "--threads", "--tsa",
                                "--client-certs", "--client-cert-valid-s"},
                               {"--quiet"});
    ServeOptions o;
    o.db = a.need("--db");
    const std::string listen = a.get("--listen").value_or("127.0.0.1:0");
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) throw InputError("--listen wants HOST:PORT, not '" + listen + "'");
    o.host = listen.substr(0, colon);
    if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') o.host = o.host.substr(1, o.host.size() - 2);
    const auto port = parse_int(listen.substr(colon + 1), 0, 65535);
    if (!port) throw InputError("--listen wants a port 0-65535, not '" + listen.substr(colon + 1) + "'");
    o.port = int(*port);
    o.tls_cert = a.get("--tls-cert").value_or("");
    o.tls_key = a.get("--tls-key").value_or("");
    if (o.tls_cert.empty() != o.tls_key.empty()) throw UsageError("--tls-cert and --tls-key go together");
    for (const auto& f : {o.tls_cert, o.tls_key})
        if (!f.empty()) (void)read_file(f);  // unreadable: InputError
    o.faults.fail_rate = fraction(a, "--fail-rate", 0);
    o.faults.reset_rate = fraction(a, "--reset-rate", 0);
    o.faults.truncate_rate = fraction(a, "--truncate-rate", 0);
    o.faults.malformed_rate = fraction(a, "--malformed-rate", 0);
    o.faults.cut_uploads_at = a.get("--cut-uploads-at") ? fraction(a, "--cut-uploads-at", 0) : -1;
    if (auto kinds = a.get("--malformed-kinds")) {
        o.faults.malformed_kinds.clear();
        std::stringstream ss(*kinds);
        std::string k;
        while (std::getline(ss, k, ',')) {
            if (k != "json" && k != "types" && k != "enum" && k != "huge")
                throw InputError("--malformed-kinds takes json, types, enum and huge, not '" + k + "'");
            o.faults.malformed_kinds.push_back(k);
        }
        if (o.faults.malformed_kinds.empty()) throw InputError("--malformed-kinds is empty");
    }
    o.faults.latency_ms = integer(a, "--latency-ms", 0, 0, 600'000);
    o.faults.drip_bps = integer(a, "--drip-bps", 0, 1, 1LL << 40);
    if (auto seed = a.get("--seed")) {
        o.faults.seed = std::uint64_t(integer(a, "--seed", 0, 0, INT64_MAX));
        o.faults.seeded = true;
    }
    o.decide_after_s = integer(a, "--decide-after-s", 60, 0, 10LL * 365 * 86400);
    o.clock_skew_s = integer(a, "--clock-skew-s", 0, -10LL * 365 * 86400, 10LL * 365 * 86400);
    o.threads = int(integer(a, "--threads", 32, 2, 1024));
    o.port_file = a.get("--port-file").value_or("");
    o.quiet = a.has("--quiet");
    o.tsa = a.get("--tsa").value_or("on");
    if (o.tsa != "on" && o.tsa != "off" && o.tsa != "failing") throw InputError("--tsa takes on, off or failing, not '" + o.tsa + "'");
    o.client_certs = client_cert_mode(a.get("--client-certs").value_or("required"));
    o.client_cert_valid_s = integer(a, "--client-cert-valid-s", o.client_cert_valid_s, 60, 10LL * 365 * 86400);
    return run_server(o);
}

int cmd_enroll(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--terminal", "--centre", "--terminal-code", "--algorithm"});
    const std::string file = a.need("--db"), name = a.need("--terminal");
    PlatformDb pdb(file, true);
    auto lock = pdb.lock();
    store::Transaction tx(pdb.db());
    const Terminal t = create_terminal(pdb, name, a.get("--centre").value_or("370102A"), a.get("--terminal-code").value_or(""),
                                       a.get("--algorithm").value_or("hmac-sha256"));
    pdb.bump("terminals.enrolled");
    const std::string creds = credentials_json(pdb, t);
    tx.commit();
    std::cout << creds << "\n";
    return 0;
}

int cmd_enrol_code(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--centre", "--algorithm", "--valid-hours"});
    PlatformDb pdb(a.need("--db"), false);
    const std::string centre = a.get("--centre").value_or("370102A");
    const std::string algorithm = a.get("--algorithm").value_or("hmac-sha256");
    if (algorithm != "hmac-sha256" && algorithm != "hmac-sm3") throw InputError("the algorithm must be hmac-sha256 or hmac-sm3");
    const std::int64_t hours = integer(a, "--valid-hours", 24, 1, 24 * 366);
    const std::string raw = crockford(random_bytes(10), 16);
    const std::string code = raw.substr(0, 4) + "-" + raw.substr(4, 4) + "-" + raw.substr(8, 4) + "-" + raw.substr(12, 4);
    auto lock = pdb.lock();
    const std::int64_t now = Clock::now_ms();
    pdb.db()
        .cached("INSERT INTO enrol_codes(code, centre, algorithm, created_ms, expires_ms) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, code)
        .bind(2, centre)
        .bind(3, algorithm)
        .bind(4, now)
        .bind(5, now + hours * 3600 * 1000)
        .run();
    std::cout << code << "\n";
    return 0;
}

int cmd_revoke(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--terminal"});
    PlatformDb pdb(a.need("--db"), false);
    const std::string id = a.need("--terminal");
    auto lock = pdb.lock();
    pdb.db().cached("UPDATE terminals SET status = 'revoked', revoked_ms = ?2 WHERE id = ?1").bind(1, id).bind(2, Clock::now_ms()).run();
    if (pdb.db().changes() != 1) throw InputError("no terminal " + id);
    std::cout << dump(json{{"terminal_id", id}, {"status", "revoked"}}) << "\n";
    return 0;
}

int cmd_revoke_cert(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--terminal"});
    PlatformDb pdb(a.need("--db"), false);
    const std::string id = a.need("--terminal");
    auto lock = pdb.lock();
    const int n = revoke_client_certs(pdb, id);
    std::cout << dump(json{{"terminal_id", id}, {"certificates_revoked", n}}) << "\n";
    return 0;
}

int cmd_terminal_ca(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db"});
    PlatformDb pdb(a.need("--db"), false);
    auto lock = pdb.lock();
    std::cout << terminal_ca_pem(pdb);
    return 0;
}

int cmd_audit_alarms(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db"});
    PlatformDb pdb(a.need("--db"), false);
    auto lock = pdb.lock();
    auto& st = pdb.db().cached("SELECT terminal, at_ms, anchored_seq, anchored_hash, sent_seq, sent_hash, proof_hash, reason "
                               "FROM audit_alarms ORDER BY id");
    int n = 0;
    while (st.step()) {
        ++n;
        std::cout << dump(json{{"terminal_id", st.text(0)}, {"at", Clock::iso(st.int64(1))}, {"anchored_seq", st.int64(2)},
                               {"anchored_hash", st.text(3)}, {"sent_seq", st.int64(4)}, {"sent_hash", st.text(5)},
                               {"proof_hash", st.text(6)}, {"reason", st.text(7)}})
                  << "\n";
    }
    st.reset();
    return n ? 0 : 1;
}

int cmd_forget(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--case", "--newest"});
    if (a.get("--case").has_value() == a.get("--newest").has_value()) throw UsageError("forget wants --case ID or --newest N");
    PlatformDb pdb(a.need("--db"), false);
    if (auto n = a.get("--newest")) {
        // The platform restored from a backup taken before its newest N cases (of every terminal).
        long long count = 0;
        try {
            std::size_t used = 0;
            count = std::stoll(*n, &used);
            if (used != n->size() || count < 0) throw std::invalid_argument("negative");
        } catch (const std::exception&) {
            throw UsageError("--newest wants a number of cases (0 or more)");
        }
        auto lock = pdb.lock();
        store::Transaction tx(pdb.db());
        std::vector<std::string> ids;
        {
            auto& st = pdb.db().cached("SELECT DISTINCT case_id FROM cases WHERE id IN (SELECT id FROM cases ORDER BY id DESC LIMIT ?1)");
            st.bind(1, static_cast<std::int64_t>(count));
            while (st.step()) ids.push_back(st.text(0));
            st.reset();
        }
        CaseBook book(pdb);
        for (const auto& id : ids) book.forget(id);
        tx.commit();
        std::cout << dump(json{{"forgotten_count", ids.size()}}) << "\n";
        return 0;
    }
    const auto id = core::Uuid::parse(a.need("--case"));
    if (!id) throw InputError("--case wants a case id (UUID)");
    auto lock = pdb.lock();
    store::Transaction tx(pdb.db());
    CaseBook book(pdb);
    if (!book.forget(id->to_string())) throw InputError("the platform holds no case " + id->to_string());
    tx.commit();
    std::cout << dump(json{{"forgotten", id->to_string()}}) << "\n";
    return 0;
}

int cmd_blob_digests(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db"});
    PlatformDb pdb(a.need("--db"), false);
    BlobFiles files(pdb.blob_dir());
    auto lock = pdb.lock();
    auto& st = pdb.db().cached("SELECT sha256, size, media_type FROM blobs ORDER BY sha256");
    while (st.step()) {
        const std::string sha = st.text(0);
        const auto file = BlobFiles::hash_file(files.blob_path(sha));
        std::cout << dump(json{{"sha256", sha}, {"size", st.int64(1)}, {"media_type", st.text(2)},
                               {"file_sha256", file ? json(file->first) : json()}, {"file_size", file ? json(file->second) : json()},
                               {"ok", file && file->first == sha && file->second == st.int64(1)}})
                  << "\n";
    }
    st.reset();
    return 0;
}

int cmd_make_certs(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--dir", "--host"});
    std::cout << make_test_certs(a.need("--dir"), a.get("--host").value_or("127.0.0.1")) << "\n";
    return 0;
}

int cmd_tsa_certificate(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db"});
    PlatformDb pdb(a.need("--db"), false);
    Tsa tsa(pdb);
    std::cout << tsa.chain_pem();
    return 0;
}

int cmd_catalogue_revise(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--item", "--bundle"});
    if (a.get("--item") && a.get("--bundle")) throw UsageError("give --item FILE or --bundle FILE, not both");
    // A revised definition (or a new one): checked by ow_core as the catalogue was at install, then
    // served as written. The form engine's checks are the terminal's: a definition it refuses
    // is how a training platform shows that a terminal keeps its last good catalogue.
    std::string type, code, body;
    if (auto file = a.get("--item") ? a.get("--item") : a.get("--bundle")) {
        type = a.get("--item") ? "item" : "bundle";
        const std::string text = read_file(*file);
        try {
            const json j = core::parse_json_text(text, *file);
            code = type == "item" ? core::parse_item(j, *file).code : core::parse_bundle(j, *file).code;
            body = dump(j);
        } catch (const core::Error& e) {
            throw InputError(e.what());
        }
    }
    PlatformDb pdb(a.need("--db"), false);
    auto lock = pdb.lock();
    store::Transaction tx(pdb.db());
    if (!body.empty()) {
        auto& upd = pdb.db().cached("UPDATE catalogue SET body = ?1 WHERE type = ?2 AND code = ?3");
        upd.bind(1, body).bind(2, type).bind(3, code).run();
        if (pdb.db().changes() == 0)
            pdb.db().cached("INSERT INTO catalogue(seq, type, code, body) VALUES((SELECT coalesce(max(seq), 0) + 1 FROM catalogue), ?1, ?2, ?3)")
                .bind(1, type).bind(2, code).bind(3, body).run();
    }
    const auto rev = parse_int(pdb.meta("catalogue_revision").value_or("0"), 0, INT64_MAX).value_or(0);
    pdb.set_meta("catalogue_revision", std::to_string(rev + 1));
    const std::string version = compute_catalogue_version(pdb);
    pdb.set_meta("catalogue_version", version);
    tx.commit();
    json out{{"version", version}};
    if (!code.empty()) out[type] = code;
    std::cout << dump(out) << "\n";
    return 0;
}

int cmd_calendar_publish(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--file"});
    const std::string file = a.need("--file");
    const std::string body = read_file(file);
    core::CalendarYear year;
    try {
        year = core::CalendarYear::parse(body, file);
    } catch (const core::Error& e) {
        throw InputError(e.what());
    }
    // The revision changes with the content: terminals store each year with the revision they got.
    const std::string revision = "sim-" + sha256_hex(body).substr(0, 16);
    PlatformDb pdb(a.need("--db"), false);
    auto lock = pdb.lock();
    store::Transaction tx(pdb.db());
    pdb.db().cached("INSERT INTO calendars(year, revision, body) VALUES(?1, ?2, ?3) "
                    "ON CONFLICT(year) DO UPDATE SET revision = excluded.revision, body = excluded.body")
        .bind(1, year.year).bind(2, revision).bind(3, dump(json::parse(body)))
        .run();
    tx.commit();
    std::cout << dump(json{{"year", year.year}, {"revision", revision}}) << "\n";
    return 0;
}

int cmd_appointment_add(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--centre", "--name", "--id-number", "--phone", "--item", "--date", "--slot", "--channel"},
                               {"--mask"});
    PlatformDb pdb(a.need("--db"), false);
    const json input = {{"centre", a.get("--centre").value_or("370102A")},
                        {"name", a.need("--name")},
                        {"doc_number", a.need("--id-number")},
                        {"phone", a.get("--phone").value_or("")},
                        {"item_code", a.need("--item")},
                        {"date", a.need("--date")},
                        {"slot", a.need("--slot")},
                        {"channel", a.get("--channel").value_or("3")},
                        {"mask", a.flags.count("--mask") > 0}};
    auto lock = pdb.lock();
    store::Transaction tx(pdb.db());
    const json out = add_appointment(pdb, input);
    tx.commit();
    std::cout << dump(out) << "\n";
    return 0;
}

int cmd_appointments(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--centre"});
    PlatformDb pdb(a.need("--db"), false);
    auto lock = pdb.lock();
    for (const auto& x : list_appointments(pdb, a.get("--centre").value_or(""))) std::cout << dump(x) << "\n";
    return 0;
}

int cmd_application_add(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--centre", "--name", "--id-number", "--phone", "--address", "--item", "--channel",
                                      "--answers", "--uploads"});
    PlatformDb pdb(a.need("--db"), false);
    json answers = json::object();
    if (auto text = a.get("--answers")) {
        answers = json::parse(*text, nullptr, false);
        if (!answers.is_object()) throw InputError("--answers is a JSON object (the form's answers)");
    }
    json uploads = json::array();
    if (auto list = a.get("--uploads")) {
        std::stringstream in(*list);
        for (std::string one; std::getline(in, one, ',');) {
            const auto eq = one.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == one.size()) throw InputError("--uploads wants CODE=FILE[,CODE=FILE…]");
            uploads.push_back({{"material_code", one.substr(0, eq)}, {"file", one.substr(eq + 1)}});
        }
    }
    const json input = {{"centre", a.get("--centre").value_or("370102A")},
                        {"name", a.need("--name")},
                        {"doc_number", a.need("--id-number")},
                        {"phone", a.get("--phone").value_or("")},
                        {"address", a.get("--address").value_or("")},
                        {"item_code", a.need("--item")},
                        {"channel", a.get("--channel").value_or("2")},
                        {"answers", answers},
                        {"uploads", uploads}};
    BlobFiles files(pdb.blob_dir());
    auto lock = pdb.lock();
    store::Transaction tx(pdb.db());
    const json out = add_application(pdb, files, input);
    tx.commit();
    std::cout << dump(out) << "\n";
    return 0;
}

int cmd_application_withdraw(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--id"});
    PlatformDb pdb(a.need("--db"), false);
    auto lock = pdb.lock();
    store::Transaction tx(pdb.db());
    const json out = withdraw_application(pdb, a.need("--id"));
    tx.commit();
    std::cout << dump(out) << "\n";
    return 0;
}

int cmd_applications(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--centre"});
    PlatformDb pdb(a.need("--db"), false);
    auto lock = pdb.lock();
    for (const auto& x : list_applications(pdb, a.get("--centre").value_or(""))) std::cout << dump(x) << "\n";
    return 0;
}

int cmd_region_decide(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--case", "--opinion"}, {"--deny"});
    PlatformDb pdb(a.need("--db"), false);
    const auto id = core::Uuid::parse(a.need("--case"));
    if (!id) throw InputError("--case wants a case id (UUID)");
    BlobFiles files(pdb.blob_dir());
    auto lock = pdb.lock();
    store::Transaction tx(pdb.db());
    const json change = decide_cross_region(pdb, files, id->to_string(), a.flags.count("--deny") == 0, a.get("--opinion").value_or(""),
                                            Clock::now_ms());
    tx.commit();
    std::cout << dump(change) << "\n";
    return 0;
}

// 审管联动: the regulator's finding on a commitment of a case (its number among the case's
// record_commitment events, in order), as a change in the owning terminal's feed; a breach is
// referred and counts against the applicant's credit (GET /v1/credit).
int cmd_regulator_check(const std::vector<std::string>& argv) {
    const Args a = Args::parse(argv, {"--db", "--case", "--commitment", "--finding", "--regulator"}, {"--breach"});
    PlatformDb pdb(a.need("--db"), false);
    const auto id = core::Uuid::parse(a.need("--case"));
    if (!id) throw InputError("--case wants a case id (UUID)");
    const std::string case_id = id->to_string();
    const std::string n_text = a.need("--commitment");
    if (n_text.empty() || n_text.size() > 4 || n_text.find_first_not_of("0123456789") != std::string::npos || std::stoi(n_text) < 1)
        throw InputError("--commitment wants the commitment's number (1, 2, …)");
    const int n = std::stoi(n_text);
    const bool breach = a.flags.count("--breach") != 0;
    auto lock = pdb.lock();
    auto& db = pdb.db();
    store::Transaction tx(db);
    std::string terminal, case_no;
    {
        auto& st = db.cached("SELECT terminal, case_no FROM cases WHERE case_id = ?1 ORDER BY id DESC LIMIT 1");
        st.bind(1, case_id);
        if (st.step()) {
            terminal = st.text(0);
            case_no = st.text(1);
        }
        st.reset();
    }
    if (terminal.empty()) throw InputError("no case " + case_id + " on the platform");
    std::int64_t commitments = 0;
    {
        auto& st = db.cached("SELECT count(*) FROM case_events WHERE case_id = ?1 AND action = 'record_commitment'");
        st.bind(1, case_id);
        if (st.step()) commitments = st.int64(0);
        st.reset();
    }
    if (n > commitments) throw InputError("the case has " + std::to_string(commitments) + " commitment(s) on the platform, not " + n_text);
    json check = {{"commitment", n}, {"result", breach ? "breached" : "fulfilled"},
                  {"finding", a.get("--finding").value_or(breach ? "经现场核查，申请人未履行承诺（训练数据）" : "经现场核查，承诺内容属实（训练数据）")}};
    if (breach) check["outcome"] = "referred";
    json record = {{"department", a.get("--regulator").value_or("历下区市场监督管理局（训练）")}, {"officer", "regulator-01"}, {"check", check}};
    CaseBook(pdb).add_change(terminal, case_id, case_no, "commitment_checked", record, Clock::now_ms());
    tx.commit();
    std::cout << dump(json{{"case_id", case_id}, {"check", check}}) << "\n";
    return 0;
}

}  // namespace ow::sim
