// Opening a store: each failure its own error (issue 14 item 5), read-only opens, file modes
// (item 8), and secrets in memory (item 4): guarded, locked, not dumped, no copy left behind.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/errors.h"

#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

using namespace ow;
using namespace ow::test;

namespace {

bool is_root() { return ::geteuid() == 0; }

template <class E>
std::string code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const E& e) {
        return e.code();
    }
    return "(no error)";
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st{};
    ::lstat(p.c_str(), &st);
    return st.st_mode & 07777;
}

struct TmpfsMount {
    std::filesystem::path path;
    explicit TmpfsMount(const std::filesystem::path& p) : path(p) {
        std::filesystem::create_directories(p);
        BOOST_REQUIRE_EQUAL(::mount("tmpfs", p.c_str(), "tmpfs", 0, "size=32m"), 0);
    }
    void read_only() { BOOST_REQUIRE_EQUAL(::mount("tmpfs", path.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=32m"), 0); }
    ~TmpfsMount() { ::umount2(path.c_str(), MNT_DETACH); }
};

/// Writable, readable memory of this process: (start, length). Mappings over 1 GiB are left out:
/// they are address space reserved by a sanitizer (AddressSanitizer's shadow is terabytes), not
/// the heap or stacks where a copy of a secret would be left.
std::vector<std::pair<std::uintptr_t, std::size_t>> writable_regions() {
    std::vector<std::pair<std::uintptr_t, std::size_t>> out;
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        std::uintptr_t a = 0, b = 0;
        char perms[5] = {};
        if (std::sscanf(line.c_str(), "%lx-%lx %4s", &a, &b, perms) != 3) continue;
        if (perms[0] != 'r' || perms[1] != 'w') continue;
        if (line.find("[vvar]") != std::string::npos || line.find("[vsyscall]") != std::string::npos) continue;
        if (b - a > (std::uintptr_t(1) << 30)) continue;
        out.push_back({a, b - a});
    }
    return out;
}

/// How many places of this process's writable memory match `len` bytes for which `at(buf, i)`
/// says the pattern starts at buf[i] (`first` is the pattern's first byte).
int count_in_memory(std::size_t len, unsigned char first, const std::function<bool(const unsigned char*)>& at) {
    int mem = ::open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    BOOST_REQUIRE(mem >= 0);
    constexpr std::size_t kChunk = 1 << 20;
    const std::size_t n = (len + 1) / 2;  // the buffer keeps 2n bytes of overlap
    // The scan buffer is mapped apart and left out of the scan (it holds copies of what it reads).
    auto* buf = static_cast<unsigned char*>(::mmap(nullptr, kChunk + 2 * n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    BOOST_REQUIRE(buf != MAP_FAILED);
    auto self = reinterpret_cast<std::uintptr_t>(buf);
    int found = 0;
    for (auto [start, size] : writable_regions()) {
        if (start == self) continue;
        for (std::size_t off = 0; off < size; off += kChunk) {
            std::size_t want = std::min(kChunk + 2 * n, size - off);
            ssize_t got = ::pread(mem, buf, want, off_t(start + off));
            if (got <= 0) break;
            std::size_t limit = std::min<std::size_t>(std::size_t(got), kChunk + 2 * n);
            for (std::size_t i = 0; i + len <= limit && i < kChunk; ++i)
                if (buf[i] == first && at(buf + i)) ++found;
        }
    }
    ::munmap(buf, kChunk + 2 * n);
    ::close(mem);
    return found;
}

/// Places holding `n` bytes of `key` in lower-case hex (as in SQLCipher's x'…' key text). No hex
/// copy of the key is made to search for it.
int count_hex_copies(const unsigned char* key, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    return count_in_memory(2 * n, static_cast<unsigned char>(kHex[key[0] >> 4]), [&](const unsigned char* p) {
        for (std::size_t k = 0; k < n; ++k)
            if (p[2 * k] != kHex[key[k] >> 4] || p[2 * k + 1] != kHex[key[k] & 0xF]) return false;
        return true;
    });
}

/// Places holding the text whose bytes XOR 0x5A are `masked` (the test never holds it in clear).
int count_masked_copies(const std::string& masked) {
    return count_in_memory(masked.size(), static_cast<unsigned char>(masked[0] ^ 0x5A), [&](const unsigned char* p) {
        for (std::size_t k = 0; k < masked.size(); ++k)
            if (p[k] != static_cast<unsigned char>(masked[k] ^ 0x5A)) return false;
        return true;
    });
}

/// VmFlags of the mapping that holds `p` (/proc/self/smaps), e.g. "rd wr mr mw me lo dd".
std::string vm_flags_of(const void* p) {
    auto addr = reinterpret_cast<std::uintptr_t>(p);
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        std::uintptr_t a = 0, b = 0;
        if (std::sscanf(line.c_str(), "%lx-%lx ", &a, &b) == 2)  // a mapping's first line (no smaps key parses so)
            inside = addr >= a && addr < b;
        if (inside && line.rfind("VmFlags:", 0) == 0) return line.substr(8);
    }
    return "";
}

bool has_flag(const std::string& flags, const std::string& f) { return (" " + flags + " ").find(" " + f + " ") != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(open_failures)

BOOST_AUTO_TEST_CASE(missing_empty_and_half_stores_each_say_what_is_wrong) {
    TempDir t;
    auto open = [&](const std::filesystem::path& d) { return [d] { store::Store::open(d, "clerk", kPassword); }; };
    BOOST_CHECK_EQUAL(code_of<store::StoreUnavailable>(open(t.path / "nowhere")), "store.not_found");
    BOOST_CHECK_EQUAL(code_of<store::StoreUnavailable>(open(t.path)), "store.not_found");  // an empty folder
    auto dir = t.path / "s";
    store::Store::init(dir, "clerk", core::Role::clerk, kPassword, fast_kdf());
    std::string db = read_file(dir / store::Store::kDbFile), keys = read_file(dir / "keys.json");

    write_file(dir / store::Store::kDbFile, "");
    try {
        store::Store::open(dir, "clerk", kPassword);
        BOOST_ERROR("an empty database opened");
    } catch (const store::CorruptStore& e) {
        BOOST_CHECK_EQUAL(e.code(), "store.empty_file");
        BOOST_CHECK(std::string(e.what()).find("0 bytes") != std::string::npos);
        BOOST_CHECK(std::string(e.what()).find("wrong key") == std::string::npos);
    }
    write_file(dir / "keys.json", "");
    BOOST_CHECK_EQUAL(code_of<store::CorruptStore>(open(dir)), "store.empty_file");
    write_file(dir / "keys.json", keys);
    std::filesystem::remove(dir / store::Store::kDbFile);
    try {
        store::Store::open(dir, "clerk", kPassword);
        BOOST_ERROR("no database opened");
    } catch (const store::CorruptStore& e) {
        BOOST_CHECK(std::string(e.what()).find("store.db is missing") != std::string::npos);
    }
    write_file(dir / store::Store::kDbFile, db);
    std::filesystem::remove(dir / "keys.json");
    try {
        store::Store::open(dir, "clerk", kPassword);
        BOOST_ERROR("no key file opened");
    } catch (const store::CorruptStore& e) {
        BOOST_CHECK(std::string(e.what()).find("keys.json is missing") != std::string::npos);
    }
    write_file(dir / "keys.json", keys);
    BOOST_CHECK_NO_THROW(store::Store::open(dir, "clerk", kPassword));
}

// One of three parallel syncs failed with "wrong key or the file is damaged" while another
// process wrote: a held lock now waits (busy timeout, set before the first read) and, if it is
// held longer, says the store is busy.
BOOST_FIXTURE_TEST_CASE(a_writer_holding_the_lock_is_waited_for_then_reported_as_busy, StoreFixture) {
    auto writer = store::open_connection(dir / store::Store::kDbFile, s->key(), false);
    s->lock();
    writer->exec("PRAGMA locking_mode = EXCLUSIVE");
    writer->exec("BEGIN EXCLUSIVE");
    writer->exec("INSERT INTO settings(key, value) VALUES ('x', 'y')");
    writer->exec("COMMIT");  // exclusive locking mode: the lock stays until the connection closes
    auto t0 = std::chrono::steady_clock::now();
    BOOST_CHECK_EQUAL(code_of<store::StoreBusy>([&] { store::Store::open(dir, "clerk", kPassword); }), "store.busy");
    BOOST_CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::seconds(4));  // it waited
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        writer.reset();
    });
    BOOST_CHECK_NO_THROW(store::Store::open(dir, "clerk", kPassword));  // waits for the writer
    release.join();
}

BOOST_AUTO_TEST_CASE(read_only_media_is_named_and_can_still_be_read) {
    if (!is_root()) {
        BOOST_TEST_MESSAGE("skipped: mounting needs root");
        return;
    }
    TempDir t;
    TmpfsMount m(t.path / "mnt");
    auto dir = m.path / "s";
    store::Store::init(dir, "clerk", core::Role::clerk, kPassword, fast_kdf());
    { store::Store::open(dir, "clerk", kPassword); }
    std::string db = read_file(dir / store::Store::kDbFile);
    m.read_only();
    try {
        store::Store::open(dir, "clerk", kPassword);
        BOOST_ERROR("a read-write open on read-only media");
    } catch (const store::StoreUnavailable& e) {
        BOOST_CHECK_EQUAL(e.code(), "store.read_only");
        BOOST_CHECK(std::string(e.what()).find("read-only media") != std::string::npos);
    }
    store::OpenOptions ro;
    ro.mode = store::OpenMode::read_only;
    auto s = store::Store::open(dir, "clerk", kPassword, ro);
    BOOST_CHECK(s->read_only());
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM users"), 1);
    BOOST_CHECK_EQUAL(s->db().query_text("PRAGMA cipher_integrity_check").value_or(""), "");
    BOOST_CHECK_THROW(s->db().exec("INSERT INTO settings(key, value) VALUES ('a', 'b')"), store::StoreError);
    s.reset();
    BOOST_CHECK(read_file(dir / store::Store::kDbFile) == db);
}

BOOST_FIXTURE_TEST_CASE(a_read_only_open_writes_nothing, StoreFixture) {
    s->lock();
    std::string db = read_file(dir / store::Store::kDbFile);
    std::string keys = read_file(dir / "keys.json");
    store::OpenOptions ro;
    ro.mode = store::OpenMode::read_only;
    {
        auto r = store::Store::open(dir, "clerk", kPassword, ro);
        BOOST_CHECK_THROW(r->set_user("x", core::Role::clerk, "password 1234", fast_kdf()), std::exception);
    }
    BOOST_CHECK(read_file(dir / store::Store::kDbFile) == db);
    BOOST_CHECK(read_file(dir / "keys.json") == keys);
    BOOST_CHECK(!std::filesystem::exists(dir / "store.db-wal") || std::filesystem::file_size(dir / "store.db-wal") == 0);
}

BOOST_FIXTURE_TEST_CASE(another_account_gets_permission_denied, StoreFixture) {
    if (!is_root()) {
        BOOST_TEST_MESSAGE("skipped: switching to another account needs root");
        return;
    }
    s->lock();
    std::filesystem::permissions(tmp.path, std::filesystem::perms::all, std::filesystem::perm_options::replace);  // the parent is open
    pid_t pid = ::fork();
    if (pid == 0) {
        int rc = 3;
        if (::setgid(65534) == 0 && ::setuid(65534) == 0) {
            try {
                store::Store::open(dir, "clerk", kPassword);
                rc = 4;
            } catch (const store::StoreUnavailable& e) {
                rc = e.code() == "store.permission" && std::string(e.what()).find("permission denied") != std::string::npos ? 0 : 5;
            } catch (...) {
                rc = 6;
            }
        }
        ::_exit(rc);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    BOOST_CHECK(WIFEXITED(status));
    BOOST_CHECK_EQUAL(WEXITSTATUS(status), 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(file_modes)

BOOST_FIXTURE_TEST_CASE(the_folder_is_0700_and_every_file_0600, StoreFixture) {
    {
        store::BlobStore blobs(s->db(), dir, s->key());
        std::istringstream in("a scan");
        blobs.put(in, "image/png");
    }
    BOOST_CHECK_EQUAL(mode_of(dir), 0700u);
    for (auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        unsigned want = e.is_directory() ? 0700u : 0600u;
        BOOST_CHECK_MESSAGE(mode_of(e.path()) == want, e.path().string() << " is " << std::oct << mode_of(e.path()));
    }
    BOOST_CHECK(std::filesystem::exists(dir / "store.db-wal"));
}

BOOST_FIXTURE_TEST_CASE(an_older_open_store_is_tightened_on_open, StoreFixture) {
    s->lock();
    std::filesystem::permissions(dir, std::filesystem::perms(0755), std::filesystem::perm_options::replace);
    std::filesystem::permissions(dir / "keys.json", std::filesystem::perms(0644), std::filesystem::perm_options::replace);
    std::filesystem::permissions(dir / store::Store::kDbFile, std::filesystem::perms(0644), std::filesystem::perm_options::replace);
    store::Store::open(dir, "clerk", kPassword);
    BOOST_CHECK_EQUAL(mode_of(dir), 0700u);
    BOOST_CHECK_EQUAL(mode_of(dir / "keys.json"), 0600u);
    BOOST_CHECK_EQUAL(mode_of(dir / store::Store::kDbFile), 0600u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(secrets_in_memory)

BOOST_AUTO_TEST_CASE(secret_text_is_guarded_locked_and_not_dumped) {
    store::SecretText t(16);
    t.append("0123456789abcdef");
    BOOST_CHECK_THROW(t.push_back('x'), core::InvalidData);  // fixed capacity: never reallocates
    BOOST_CHECK_EQUAL(t.view(), "0123456789abcdef");
    auto flags = vm_flags_of(t.data());
    BOOST_CHECK_MESSAGE(has_flag(flags, "dd"), "not excluded from core dumps: " << flags);  // MADV_DONTDUMP
#ifndef __SANITIZE_ADDRESS__  // AddressSanitizer turns mlock into a no-op
    BOOST_CHECK_MESSAGE(has_flag(flags, "lo"), "not locked in memory: " << flags);          // mlock
#endif
    store::SecretText moved = std::move(t);
    BOOST_CHECK_EQUAL(moved.size(), 16u);
    BOOST_CHECK_EQUAL(t.size(), 0u);
    const char* p = moved.data();
    moved.clear();
    BOOST_CHECK(std::all_of(p, p + 16, [](char c) { return c == 0; }));
    store::SecretKey k;
    BOOST_CHECK(has_flag(vm_flags_of(k.data()), "dd"));
}

BOOST_AUTO_TEST_CASE(a_password_file_is_read_into_guarded_memory) {
    TempDir t;
    write_file(t.path / "pw", "line one is the password\r\nsecond line\n");
    auto pw = store::read_password((t.path / "pw").string());
    BOOST_CHECK_EQUAL(pw.view(), "line one is the password");
    BOOST_CHECK(has_flag(vm_flags_of(pw.data()), "dd"));
    write_file(t.path / "long", std::string(2000, 'a'));
    BOOST_CHECK_THROW(store::read_password((t.path / "long").string()), core::InvalidData);
    write_file(t.path / "empty", "\n");
    BOOST_CHECK_THROW(store::read_password((t.path / "empty").string()), core::InvalidData);
    BOOST_CHECK_THROW(store::read_password((t.path / "none").string()), core::InvalidData);
}

// The hex text of the store key (x'…', built to key SQLCipher) leaves no copy in the process's
// memory once the store is locked: not in freed heap (the old std::string grew by reallocation
// and left prefixes behind), not on the stack.
BOOST_FIXTURE_TEST_CASE(no_hex_copy_of_the_key_is_left_in_memory, StoreFixture) {
    store::SecretKey key;  // a copy of the key, in guarded memory, to search with
    std::memcpy(key.data(), s->key().data(), store::SecretKey::kSize);
    auto second = s->connect();  // one more connection keyed and closed
    second.reset();
    // Bytes 8..23: a freed heap chunk's first 16 bytes are overwritten by the allocator's own
    // pointers, so a leftover copy is looked for in the middle of the key.
    int while_open = count_hex_copies(key.data() + 8, 16);
    BOOST_TEST_MESSAGE("hex copies of the key (bytes 8-23) while open (SQLCipher's own, wiped on close): " << while_open);
    s->lock();
    s.reset();
    BOOST_CHECK_EQUAL(count_hex_copies(key.data() + 8, 16), 0);
}

// A password read from a file, used to create and open a store, leaves no copy once it is
// wiped: read(2) straight into guarded memory, no stream buffer (the old std::ifstream + getline
// left the file's text in a freed 8 KiB buffer).
BOOST_AUTO_TEST_CASE(no_copy_of_a_password_from_a_file_is_left_in_memory) {
    TempDir t;
    std::string masked = "Qz7-unique-window-pass-4921";  // masked below: the clear text exists only in the file
    for (auto& c : masked) c = char(c ^ 0x5A);
    {
        int fd = ::open((t.path / "pw").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        for (char c : masked) {
            char clear = char(c ^ 0x5A);
            BOOST_REQUIRE_EQUAL(::write(fd, &clear, 1), 1);
        }
        BOOST_REQUIRE_EQUAL(::write(fd, "\n", 1), 1);
        ::close(fd);
    }
    {
        auto pw = store::read_password((t.path / "pw").string());
        BOOST_CHECK_EQUAL(count_masked_copies(masked), 1);  // the guarded buffer itself
    }
    BOOST_CHECK_EQUAL(count_masked_copies(masked), 0);  // nothing left by reading it
    {
        auto pw = store::read_password((t.path / "pw").string());
        store::Store::init(t.path / "s", "clerk", core::Role::clerk, pw, fast_kdf());
        auto s = store::Store::open(t.path / "s", "clerk", pw);
        BOOST_CHECK_EQUAL(count_masked_copies(masked), 1);  // the guarded buffer itself
    }
    BOOST_CHECK_EQUAL(count_masked_copies(masked), 0);
}

// another(): the same store and user over a new connection with its own key (the desk's worker
// acts with it); its writes are seen here, and a locked store gives none.
BOOST_FIXTURE_TEST_CASE(another_is_the_same_store_and_user_on_a_new_connection, StoreFixture) {
    auto worker = s->another();
    BOOST_CHECK(&worker->db() != &s->db());
    BOOST_CHECK_EQUAL(worker->user().name, s->user().name);
    BOOST_CHECK(worker->user().role == s->user().role);
    worker->audit("test.from_worker", "{}");
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM audit WHERE action = 'test.from_worker'"), 1);
    worker.reset();  // its key copy is wiped with it; this store goes on
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM audit WHERE action = 'test.from_worker'"), 1);
    s->lock();
    BOOST_CHECK_THROW(s->another(), store::StoreError);
}

BOOST_AUTO_TEST_SUITE_END()
