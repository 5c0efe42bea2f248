// A private scratch folder inside the store (0700, like the store): files that must pass through
// the file system (a notice PDF while ow_seal stamps it, the seal's artwork, a demo scan) live
// there, never in /tmp. Removed on every path; a process killed while it held one leaves it
// behind (tmp-act-<pid>-*, holding a notice PDF in plaintext): sweep() removes the folders whose
// process is gone, and every Workflow sweeps when it is made (the next act after a crash).
#pragma once

#include "ow/store/errors.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>

#include <filesystem>
#include <string>
#include <system_error>

namespace ow::workflow::detail {

class Scratch {
public:
    explicit Scratch(const std::filesystem::path& store_dir) {
        std::string tmpl = (store_dir / ("tmp-act-" + std::to_string(::getpid()) + "-XXXXXX")).string();
        if (!::mkdtemp(tmpl.data())) throw store::StoreError("store.io", "cannot make a scratch folder in the store");
        dir_ = tmpl;
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    std::filesystem::path operator/(const std::string& name) const { return dir_ / name; }

    /// Removes the scratch folders in `store_dir` left by processes that no longer run. Never throws.
    static void sweep(const std::filesystem::path& store_dir) {
        std::error_code ec;
        for (std::filesystem::directory_iterator it(store_dir, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.rfind("tmp-act-", 0) != 0) continue;
            long pid = std::strtol(name.c_str() + 8, nullptr, 10);
            if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)) {
                std::error_code rm;
                std::filesystem::remove_all(it->path(), rm);
            }
        }
    }
    const std::filesystem::path& path() const { return dir_; }

private:
    std::filesystem::path dir_;
};

}  // namespace ow::workflow::detail
