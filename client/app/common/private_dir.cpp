#include "common/private_dir.h"

#include "ow/core/error.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace ow::app {

std::filesystem::path private_dir() {
    std::filesystem::path base;
    if (const char* x = std::getenv("XDG_RUNTIME_DIR"); x && *x && std::filesystem::is_directory(x))
        base = std::filesystem::path(x) / "onewindow";
    else
        base = "/dev/shm/onewindow-" + std::to_string(::geteuid());
    if (::mkdir(base.c_str(), 0700) != 0 && errno != EEXIST)
        throw core::Error("io.write", "cannot make the folder " + base.string() + " for opened documents");
    struct stat st {};
    if (::lstat(base.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid())
        throw core::Error("io.write", base.string() + " is not a private folder of this user");
    if ((st.st_mode & 077) != 0 && ::chmod(base.c_str(), 0700) != 0)
        throw core::Error("io.write", "cannot make " + base.string() + " private");
    return base;
}

std::size_t remove_stale(const std::string& prefix, std::chrono::seconds older_than) {
    std::size_t removed = 0;
    std::error_code ec;
    std::filesystem::path dir;
    try {
        dir = private_dir();
    } catch (const std::exception&) {
        return 0;
    }
    const auto limit = std::filesystem::file_time_type::clock::now() - older_than;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        const auto name = e.path().filename().string();
        if (name.rfind(prefix, 0) != 0 || !e.is_directory(ec) || e.is_symlink(ec)) continue;
        const auto written = std::filesystem::last_write_time(e.path(), ec);
        if (ec || written > limit) continue;
        if (std::filesystem::remove_all(e.path(), ec) != static_cast<std::uintmax_t>(-1) && !ec) ++removed;
    }
    return removed;
}

}  // namespace ow::app
