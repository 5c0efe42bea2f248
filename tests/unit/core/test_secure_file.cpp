// core::write_secret_file (0600 whatever the umask, links refused, nothing half-written or left
// behind) and core::disable_core_dumps (checked in a child process, so the test runner keeps its
// own settings).
#include <boost/test/unit_test.hpp>

#include "ow/core/error.h"
#include "ow/core/secure_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ow;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/ow-secure-file-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

mode_t mode_of(const fs::path& p) {
    struct stat st{};
    ::stat(p.c_str(), &st);
    return st.st_mode & 07777;
}

std::size_t entries(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(secure_file)

BOOST_AUTO_TEST_CASE(a_secret_file_is_0600_whatever_the_umask_and_replaces_the_old_one) {
    TempDir d;
    const mode_t old = ::umask(022);
    core::write_secret_file(d.path / "cred.json", "first");
    BOOST_CHECK_EQUAL(mode_of(d.path / "cred.json"), mode_t(0600));
    // An existing world-readable file is replaced by a 0600 one, not rewritten in place.
    { std::ofstream(d.path / "old.key") << "old"; }
    ::chmod((d.path / "old.key").c_str(), 0644);
    core::write_secret_file(d.path / "old.key", std::string(100000, 'k'));
    ::umask(old);
    BOOST_CHECK_EQUAL(mode_of(d.path / "old.key"), mode_t(0600));
    BOOST_CHECK_EQUAL(slurp(d.path / "old.key"), std::string(100000, 'k'));
    BOOST_CHECK_EQUAL(slurp(d.path / "cred.json"), "first");
    BOOST_CHECK_EQUAL(entries(d.path), 2u);  // no temporary left
}

BOOST_AUTO_TEST_CASE(a_symlink_or_a_directory_is_refused_and_nothing_is_written) {
    TempDir d;
    fs::create_symlink(d.path / "target", d.path / "link");
    BOOST_CHECK_THROW(core::write_secret_file(d.path / "link", "secret"), core::InvalidData);
    BOOST_CHECK(!fs::exists(d.path / "target"));
    BOOST_CHECK(fs::is_symlink(d.path / "link"));
    fs::create_directory(d.path / "dir");
    BOOST_CHECK_THROW(core::write_secret_file(d.path / "dir", "secret"), core::InvalidData);
    BOOST_CHECK_THROW(core::write_secret_file(d.path / "missing" / "f", "secret"), core::Error);
    BOOST_CHECK_EQUAL(entries(d.path), 2u);
}

BOOST_AUTO_TEST_CASE(core_dumps_are_turned_off_in_the_calling_process) {
    const pid_t child = ::fork();
    BOOST_REQUIRE(child >= 0);
    if (child == 0) {
        int code = 0;
        if (!core::process_dumpable()) code |= 1;  // dumpable to begin with
        if (!core::disable_core_dumps()) code |= 2;
        if (core::process_dumpable()) code |= 4;
        rlimit lim{};
        ::getrlimit(RLIMIT_CORE, &lim);
        if (lim.rlim_cur != 0 || lim.rlim_max != 0) code |= 8;
        ::_exit(code);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    BOOST_REQUIRE(WIFEXITED(status));
    BOOST_CHECK_EQUAL(WEXITSTATUS(status), 0);
}

BOOST_AUTO_TEST_SUITE_END()
