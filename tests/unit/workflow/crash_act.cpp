// Test helper for the kill -9 test (test_crash.cpp): performs ONE act of the workflow on a real
// SQLCipher store, signed in as a real user, with the notices rendered and sealed, and, when asked,
// kills itself with SIGKILL in the middle of it: just before its N-th write-like system call
// (write, writev, pwrite, pwrite64, fsync, fdatasync, rename) on a file, counted from the start of
// the act. Every file the act touches goes through these calls (SQLite's WAL frames and syncs,
// the blob files, their renames), so N = 1 … count + 1 stops the act at each of its steps on disk.
//
// usage: workflow_crash_act STORE USER PASSWORD SOURCE_DIR KILL_AT ACT [CASE_ID] [ARG]
//   KILL_AT 0: no kill. ACT: new ITEM | applicant ID DOC_NUMBER | answer ID ANSWERS.json |
//   scan ID MATERIAL FILE | material ID MATERIAL | correct ID | accept ID | refuse ID | submit ID |
//   decide ID | issue ID SIGNATURE.png | rate ID | follow-up ID
// Prints "WRITES <n>" (the calls counted during the act) and "CASE <id>" when the act returned.
// Exit 0 done, 3 the act failed (the reason on stderr), 2 usage.
#include "ow/core/catalog.h"
#include "ow/core/json_reader.h"
#include "ow/forms/definition.h"
#include "ow/notices/renderer.h"
#include "ow/store/repositories.h"
#include "ow/store/store.h"
#include "ow/workflow/workflow.h"

#include <dlfcn.h>
#include <sys/uio.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

long g_count = 0;
long g_kill_at = 0;
bool g_armed = false;

void tick(int fd) {
    if (!g_armed || (fd >= 0 && fd <= 2)) return;  // stdout / stderr are not the store
    if (++g_count == g_kill_at) ::raise(SIGKILL);
}

template <class F>
F real(const char* name) {
    return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

// Interposed system calls (the executable exports them, so SQLite's and libstdc++'s calls land here).
extern "C" {
ssize_t write(int fd, const void* buf, size_t n) {
    static auto f = real<ssize_t (*)(int, const void*, size_t)>("write");
    tick(fd);
    return f(fd, buf, n);
}
ssize_t writev(int fd, const struct iovec* iov, int n) {
    static auto f = real<ssize_t (*)(int, const struct iovec*, int)>("writev");
    tick(fd);
    return f(fd, iov, n);
}
ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
    static auto f = real<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
    tick(fd);
    return f(fd, buf, n, off);
}
ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t off) {
    static auto f = real<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
    tick(fd);
    return f(fd, buf, n, off);
}
int fsync(int fd) {
    static auto f = real<int (*)(int)>("fsync");
    tick(fd);
    return f(fd);
}
int fdatasync(int fd) {
    static auto f = real<int (*)(int)>("fdatasync");
    tick(fd);
    return f(fd);
}
int rename(const char* from, const char* to) {
    static auto f = real<int (*)(const char*, const char*)>("rename");
    tick(-1);
    return f(from, to);
}
}

int main(int argc, char** argv) {
    using namespace ow;
    if (argc < 7) {
        std::fprintf(stderr, "usage: workflow_crash_act STORE USER PASSWORD SOURCE_DIR KILL_AT ACT [CASE_ID] [ARG…]\n");
        return 2;
    }
    const std::string src = argv[4], act = argv[6];
    g_kill_at = std::atol(argv[5]);
    auto arg = [&](int i) { return i < argc ? std::string(argv[i]) : std::string(); };
    try {
        auto store = store::Store::open(argv[1], argv[2], argv[3]);
        auto calendar = store::PlatformCalendars(store->db()).calendar();
        auto catalogue = core::Catalogue::load_directory(src + "/forms/catalog");
        auto forms = forms::FormCatalogue::load_directory(src + "/forms/catalog");
        notices::NoticeRenderer renderer(notices::TemplateSet::load_directory(src + "/assets/notices"));
        workflow::Environment env;
        env.catalogue = &catalogue;
        env.forms = &forms;
        env.renderer = &renderer;
        env.envelope = notices::envelope_from_json(core::read_json_file(src + "/assets/notices/envelope/default.json"), "default.json");
        workflow::Workflow wf(*store, calendar, std::move(env));
        core::Uuid id;
        if (act != "new") {
            auto parsed = core::Uuid::parse(arg(7));
            if (!parsed) throw std::invalid_argument("not a case id: " + arg(7));
            id = *parsed;
        }
        workflow::ActResult r;
        g_armed = true;
        if (act == "new") {
            r = wf.start_intake({arg(7), ""});
        } else if (act == "applicant") {
            workflow::SetApplicant a;
            a.doc_number = arg(8);
            a.name = "欧阳𠮷";
            a.phone = "13800138000";
            a.address = "济南市历下区泉城路1号";
            r = wf.set_applicant(id, a);
        } else if (act == "answer") {
            r = wf.answer(id, core::read_json_file(arg(8)));
        } else if (act == "scan" || act == "material") {
            workflow::RecordMaterial m;
            m.material_code = arg(8);
            m.status = act == "scan" ? core::MaterialStatus::scanned : core::MaterialStatus::original_received;
            if (act == "scan") m.file = arg(9);
            r = wf.record_material(id, m);
        } else if (act == "correct") {
            r = wf.request_correction(id, {});
        } else if (act == "accept") {
            r = wf.accept(id);
        } else if (act == "refuse") {
            r = wf.refuse(id, {"申请事项不属于本机关职权范围", "《中华人民共和国行政许可法》第三十二条"});
        } else if (act == "submit") {
            r = wf.submit(id);
        } else if (act == "decide") {
            workflow::Decide d;
            d.opinion = "材料齐全，符合法定条件";
            r = wf.decide(id, d);
        } else if (act == "issue") {
            workflow::IssueResult i;
            i.signature_png = arg(8);
            r = wf.issue(id, i);
        } else if (act == "rate") {
            workflow::Rate rt;
            rt.level = 2;
            rt.reason = "slow";
            rt.text = "排队太久";
            r = wf.rate(id, rt);
        } else if (act == "follow-up") {
            r = wf.close_follow_up(id, "已电话回访并致歉");
        } else {
            g_armed = false;
            std::fprintf(stderr, "unknown act %s\n", act.c_str());
            return 2;
        }
        g_armed = false;
        std::printf("WRITES %ld\nCASE %s\n", g_count, r.case_data.id.to_string().c_str());
        std::fflush(stdout);
        return 0;
    } catch (const std::exception& e) {
        g_armed = false;
        std::fprintf(stderr, "act %s failed: %s\n", act.c_str(), e.what());
        return 3;
    }
}
