// A private scratch folder (0700) for files that must pass through the file system: the notice PDF
// (personal data, in clear) and the seal's artwork while ow_seal stamps (it works on files), a demo
// scan, the demo seal while it is assigned. In memory (/dev/shm) where there is one, else in the
// store's own folder (0700), never in /tmp. Removed on every path; a process killed while it held
// one leaves it behind (ow-act-<pid>-*): sweep() removes this user's folders whose process is gone
// (or, for a name without a process id, that are older than ten minutes), and every Workflow
// sweeps when it is made (the next act after a crash).
#pragma once

#include "ow/store/errors.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>

namespace ow::workflow::detail {

inline constexpr const char* kScratchPrefix = "ow-act-";

inline std::filesystem::path scratch_parent(const std::filesystem::path& store_dir) {
    std::error_code ec;
    if (std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) return "/dev/shm";
    return store_dir;
}

class Scratch {
public:
    explicit Scratch(const std::filesystem::path& store_dir) {
        std::string tmpl = (scratch_parent(store_dir) / (kScratchPrefix + std::to_string(::getpid()) + "-XXXXXX")).string();
        if (!::mkdtemp(tmpl.data())) throw store::StoreError("store.io", "cannot make a private scratch folder for sealing");
        dir_ = tmpl;
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    std::filesystem::path operator/(const std::string& name) const { return dir_ / name; }
    const std::filesystem::path& path() const { return dir_; }

    /// Removes this user's scratch folders left by processes that no longer run. Never throws.
    static void sweep(const std::filesystem::path& store_dir) {
        std::error_code ec;
        const auto now = std::filesystem::file_time_type::clock::now();
        for (const auto& parent : {scratch_parent(store_dir), store_dir}) {
            for (std::filesystem::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
                const std::string name = it->path().filename().string();
                if (name.rfind(kScratchPrefix, 0) != 0 || !it->is_directory(ec)) continue;
                struct stat st {};
                if (::stat(it->path().c_str(), &st) != 0 || st.st_uid != ::getuid()) continue;
                char* end_of_pid = nullptr;
                const long pid = std::strtol(name.c_str() + std::char_traits<char>::length(kScratchPrefix), &end_of_pid, 10);
                const bool named = pid > 0 && end_of_pid && *end_of_pid == '-';
                const bool gone = named ? ::kill(pid_t(pid), 0) != 0 && errno == ESRCH
                                        : now - it->last_write_time(ec) >= std::chrono::minutes(10);
                if (!gone) continue;
                std::error_code rm;
                std::filesystem::remove_all(it->path(), rm);
            }
        }
    }

private:
    std::filesystem::path dir_;
};

}  // namespace ow::workflow::detail
