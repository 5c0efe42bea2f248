#include "ow/core/secure_file.h"

#include "ow/core/error.h"

#include <cerrno>
#include <cstring>
#include <random>
#include <string>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ow::core {
namespace {

[[noreturn]] void write_failed(const std::filesystem::path& path, int err) {
    throw Error("io.write", "cannot write " + path.string() + ": " + std::strerror(err));
}

std::string random_suffix() {
    static constexpr char k[] = "0123456789abcdef";
    std::random_device rd;
    std::string s;
    for (int i = 0; i < 12; ++i) s.push_back(k[rd() & 0xF]);
    return s;
}

}  // namespace

void write_secret_file(const std::filesystem::path& path, std::string_view bytes) {
    struct stat st{};
    if (::lstat(path.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode))
            throw InvalidData(path.string() + " is a symbolic link; a secret is not written through a link");
        if (S_ISDIR(st.st_mode)) throw InvalidData(path.string() + " is a directory");
    }
    std::filesystem::path tmp;
    int fd = -1;
    for (int attempt = 0; fd < 0; ++attempt) {
        tmp = path;
        tmp += ".tmp-" + random_suffix();
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && (errno != EEXIST || attempt > 8)) write_failed(path, errno);
    }
    auto fail = [&](int err) {
        ::close(fd);
        ::unlink(tmp.c_str());
        write_failed(path, err);
    };
    // The mode given to open() is reduced by the umask; never widened. Make it exactly 0600.
    if (::fchmod(fd, 0600) != 0) fail(errno);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(errno);
        }
        done += std::size_t(n);
    }
    if (::fsync(fd) != 0) fail(errno);
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        write_failed(path, e);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        write_failed(path, e);
    }
    auto dir = path.parent_path();
    if (dir.empty()) dir = ".";
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)::fsync(dfd);
        ::close(dfd);
    }
}

bool disable_core_dumps() noexcept {
    const rlimit none{0, 0};
    const bool limit_ok = ::setrlimit(RLIMIT_CORE, &none) == 0;
    const bool dumpable_ok = ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
    return limit_ok && dumpable_ok;
}

bool process_dumpable() noexcept { return ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1; }

}  // namespace ow::core
