// kill -9 during each act (issue 15). A helper process (crash_act.cpp) does one act of the
// workflow on a real SQLCipher store, with its notice rendered and sealed, and SIGKILLs itself
// just before its N-th write-like system call on a file (WAL frames, syncs, blob files, renames),
// for N spread over every such call the act makes. After each kill the store is opened again:
//   - the act is wholly done or not at all: the store is exactly as before the act or exactly as
//     after it (every case's state, history, checklist and follow-up; the counts of history,
//     outbox, audit, documents, blob links, blobs, held drafts and ratings);
//   - the database pages (HMAC), its structure, every listed blob and the audit chain verify;
//   - no blob is listed that no case links (a blob written before the kill is at most an
//     unreferenced file, never uploaded), and no scratch folder is left once the store is used;
//   - the case (a draft too) can be continued: when the act was undone, doing it again succeeds
//     and gives exactly the "after" store.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/demo.h"
#include "ow/store/errors.h"
#include "ow/workflow/demo.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

extern char** environ;

using namespace ow;
using namespace ow::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Run {
    pid_t pid = 0;
    int status = 0;
    std::string out, err;
    bool killed() const { return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL; }
    bool ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }
    long writes() const {
        auto p = out.find("WRITES ");
        return p == std::string::npos ? -1 : std::atol(out.c_str() + p + 7);
    }
    std::string case_id() const {
        auto p = out.find("CASE ");
        return p == std::string::npos ? std::string() : out.substr(p + 5, 36);
    }
};

std::string slurp(int fd) {
    std::string text;
    char buf[4096];
    ssize_t n = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) text.append(buf, std::size_t(n));
    close(fd);
    return text;
}

/// Runs the helper: one act by `user` on the store in `dir`, killed before its `kill_at`-th write (0: not killed).
Run act(const fs::path& dir, const std::string& user, long kill_at, const std::vector<std::string>& what) {
    std::vector<std::string> args{OW_CRASH_ACT, dir.string(), user, kPassword, OW_SOURCE_DIR, std::to_string(kill_at)};
    args.insert(args.end(), what.begin(), what.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2], err[2];
    BOOST_REQUIRE(pipe(out) == 0 && pipe(err) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, err[0]);
    pid_t pid = 0;
    BOOST_REQUIRE(posix_spawn(&pid, OW_CRASH_ACT, &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    Run r;
    r.pid = pid;
    r.err = slurp(err[0]);  // small: the helper writes at most a line there
    r.out = slurp(out[0]);
    waitpid(pid, &r.status, 0);
    return r;
}

/// What the act may change, without ids or times (they differ from run to run).
std::string fingerprint(store::Db& db) {
    std::string fp;
    store::Stmt q(db, "SELECT c.receipt_no, c.state, c.version, c.body, (SELECT follow_up_state FROM ratings r WHERE r.case_id = c.id) "
                      "FROM cases c ORDER BY c.receipt_no");
    while (q.step()) {
        fp += q.text(0) + " " + q.text(1) + " v" + std::to_string(q.int64(2)) + " [";
        auto body = json::parse(q.text(3));
        for (const auto& e : body.value("checklist", json::array())) fp += e.value("material_code", "") + "=" + e.value("status", "") + " ";
        fp += "] follow-up " + (q.is_null(4) ? std::string("-") : q.text(4)) + "\n";
    }
    for (const char* t : {"case_history", "outbox", "audit", "case_documents", "case_blobs", "blobs", "held_cases", "ratings"})
        fp += std::string(t) + "=" + std::to_string(db.query_int(std::string("SELECT count(*) FROM ") + t)) + " ";
    return fp;
}

std::string fingerprint(const fs::path& dir) {
    auto s = store::Store::open(dir, "admin", kPassword);
    return fingerprint(s->db());
}

/// The store after a kill: intact, nothing half-written, nothing orphaned that anything would use.
void check_intact(const fs::path& dir, const std::string& what) {
    auto s = store::Store::open(dir, "admin", kPassword);
    auto& db = s->db();
    BOOST_CHECK_MESSAGE(*db.query_text("PRAGMA integrity_check") == "ok", what << ": integrity_check");
    BOOST_CHECK_MESSAGE(!db.query_text("PRAGMA cipher_integrity_check"), what << ": cipher_integrity_check");
    auto v = store::AuditLog(db).verify();
    BOOST_CHECK_MESSAGE(v.intact, what << ": audit " << v.reason);
    BOOST_CHECK_MESSAGE(store::BlobStore(db, dir, s->key()).verify_all().empty(), what << ": a listed blob is damaged");
    BOOST_CHECK_MESSAGE(db.query_int("SELECT count(*) FROM cases c WHERE version <> (SELECT count(*) FROM case_history h WHERE h.case_id = c.id)") == 0,
                        what << ": a case's version and history disagree");
    // A blob the killed act wrote is not listed, linked or queued.
    BOOST_CHECK_MESSAGE(db.query_int("SELECT count(*) FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM case_blobs l WHERE l.sha256 = b.sha256)") == 0,
                        what << ": a blob is listed (and would be uploaded) that no case links");
    BOOST_CHECK_MESSAGE(db.query_int("SELECT count(*) FROM case_documents d WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256)") == 0,
                        what << ": a document without its blob");
    BOOST_CHECK_MESSAGE(db.query_int("SELECT count(*) FROM outbox o WHERE o.kind = 'attach_blob' AND NOT EXISTS "
                                     "(SELECT 1 FROM blobs b WHERE b.sha256 = json_extract(o.payload, '$.sha256'))") == 0,
                        what << ": an upload queued for a blob the store does not list");
}

/// Scratch folders (the unsealed notice in clear) that the process `pid` left, in memory or in the store.
int scratch_folders(const fs::path& store_dir, pid_t pid) {
    int n = 0;
    const std::string prefix = "ow-act-" + std::to_string(pid) + "-";
    for (const fs::path& parent : {fs::path("/dev/shm"), store_dir}) {
        std::error_code ec;
        for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec))
            n += it->path().filename().string().rfind(prefix, 0) == 0;
    }
    return n;
}

struct Step {
    std::string name;
    std::string user;
    std::vector<std::string> args;  // after the act name; "@" is replaced by the case id
};

}  // namespace

BOOST_AUTO_TEST_SUITE(crash)

BOOST_AUTO_TEST_CASE(kill_9_during_each_act_leaves_it_wholly_done_or_not_at_all) {
    TempDir t;
    fs::path stage = t.path / "stage";
    {
        store::Store::init(stage, "admin", core::Role::admin, kPassword, fast_kdf());
        auto admin = store::Store::open(stage, "admin", kPassword);
        admin->set_user("clerk", core::Role::clerk, kPassword, fast_kdf());
        admin->set_user("chief-a", core::Role::chief, kPassword, fast_kdf());
        admin->set_user_profile("chief-a", core::Post::A, "张首席");
        workflow::prepare_notice_users(*admin);  // the demo seal on posts A and B (and chief-b)
    }
    const std::string id_number = store::synthetic_resident_id("370102", core::parse_date("1985-03-07"), 17);
    const auto today = core::china_date(core::now());
    json answers = {{"company_name", "济南示例科技有限公司"}, {"company_type", "llc"}, {"domicile", {{"region", "370102"}, {"detail", "经十路1号"}}},
                    {"registered_capital_fen", 5000000}, {"legal_rep_name", "欧阳𠮷"}, {"legal_rep_id", id_number},
                    {"contact_phone", "13800138000"}, {"business_scope", "软件开发"}, {"employees_expected", 3},
                    {"shareholders", json::array({{{"holder_name", "欧阳𠮷"}, {"holder_kind", "natural"}, {"holder_id", id_number},
                                                   {"contribution_fen", 5000000},
                                                   {"contribution_date", core::format_date(today + std::chrono::days{300})}}})},
                    {"agent_present", false}};
    std::ofstream(t.path / "answers.json") << answers.dump();
    // A real PNG (1×1) for the scan and the recipient's signature.
    const unsigned char png[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
                                 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
                                 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01,
                                 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
    std::ofstream(t.path / "scan.png", std::ios::binary).write(reinterpret_cast<const char*>(png), sizeof png);
    std::ofstream(t.path / "signature.png", std::ios::binary).write(reinterpret_cast<const char*>(png), sizeof png);
    const std::string scan = (t.path / "scan.png").string(), sig = (t.path / "signature.png").string();
    const std::string item = "370102-SC-0002-001";  // 企业设立登记: a promised licensing item (sealed 准予行政许可决定书)

    // The case's way, each act crash-tested (`true`) or just done.
    const std::vector<std::pair<Step, bool>> steps = {
        {{"new", "clerk", {item}}, true},
        {{"applicant", "clerk", {"@", id_number}}, true},
        {{"scan", "clerk", {"@", "articles", scan}}, true},
        {{"answer", "clerk", {"@", (t.path / "answers.json").string()}}, true},
        {{"material", "clerk", {"@", "application"}}, true},
        {{"correct", "clerk", {"@"}}, true},  // the one-time notice: shareholder_ids, officers, domicile missing
        {{"material", "clerk", {"@", "shareholder_ids"}}, false},
        {{"material", "clerk", {"@", "officers"}}, false},
        {{"material", "clerk", {"@", "domicile"}}, false},
        {{"accept", "clerk", {"@"}}, true},
        {{"submit", "clerk", {"@"}}, true},
        {{"decide", "chief-a", {"@"}}, true},  // sealed with post A's seal
        {{"issue", "clerk", {"@", sig}}, true},
        {{"rate", "clerk", {"@"}}, true},
        {{"follow-up", "clerk", {"@"}}, true},
        {{"new", "clerk", {item}}, false},
        {{"applicant", "clerk", {"@", store::synthetic_resident_id("110105", core::parse_date("1990-11-30"), 5)}}, false},
        {{"refuse", "clerk", {"@"}}, true},
    };
    const int kPoints = 9;  // kill points per act, spread over its writes
    std::string case_id;
    int kills = 0, undone = 0, done = 0;
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const auto& [step, crash] = steps[k];
        std::vector<std::string> what{step.name};
        for (auto a : step.args) what.push_back(a == "@" ? case_id : a);
        const std::string label = "act " + std::to_string(k) + " " + step.name;
        const std::string before = fingerprint(stage);
        // The reference run (not killed) on a copy: how many writes, and the store after.
        fs::path ref = t.path / ("ref-" + std::to_string(k));
        fs::copy(stage, ref, fs::copy_options::recursive);
        Run r = act(ref, step.user, 0, what);
        BOOST_REQUIRE_MESSAGE(r.ok(), label << " failed: " << r.err);
        const std::string after = fingerprint(ref);
        BOOST_REQUIRE_MESSAGE(after != before, label << " changed nothing");
        const long writes = r.writes();
        BOOST_REQUIRE_GT(writes, 0);
        if (crash) {
            std::set<long> points;
            for (int i = 0; i < kPoints; ++i) points.insert(1 + (writes - 1) * i / (kPoints - 1));
            for (long n : points) {
                const std::string at = label + " killed before write " + std::to_string(n) + "/" + std::to_string(writes);
                fs::path work = t.path / "work";
                fs::remove_all(work);
                fs::copy(stage, work, fs::copy_options::recursive);
                Run killed = act(work, step.user, n, what);
                BOOST_CHECK_MESSAGE(killed.killed(), at << ": the helper was not killed (" << killed.err << ")");
                kills += killed.killed();
                check_intact(work, at);
                const std::string now = fingerprint(work);
                BOOST_CHECK_MESSAGE(now == before || now == after,
                                    at << ": half done\nbefore: " << before << "\nafter:  " << after << "\nfound:  " << now);
                if (now == before) {
                    ++undone;
                    // Nothing was done: the case (a draft too) is there as it was, and the act can be done now.
                    std::string again_id = case_id;
                    Run again = act(work, step.user, 0, what);
                    BOOST_CHECK_MESSAGE(again.ok(), at << ": doing the act again failed: " << again.err);
                    BOOST_CHECK_MESSAGE(fingerprint(work) == after, at << ": the act done again differs from the reference");
                    BOOST_CHECK_MESSAGE(scratch_folders(work, killed.pid) == 0, at << ": the killed act's scratch folder is left after the store was used again");
                } else {
                    ++done;
                }
                check_intact(work, at + " (then continued)");
            }
        }
        // The next act starts from the reference store.
        if (step.name == "new") case_id = r.case_id();
        fs::remove_all(stage);
        fs::rename(ref, stage);
    }
    BOOST_TEST_MESSAGE(kills << " kills: " << undone << " acts undone, " << done << " acts done");
    BOOST_CHECK_GE(kills, 13 * 5);
    BOOST_CHECK_GT(undone, 0);
    BOOST_CHECK_GT(done, 0);
}

BOOST_AUTO_TEST_SUITE_END()
