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

}  // namespace ow::app
