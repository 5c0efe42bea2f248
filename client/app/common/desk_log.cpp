#include "common/desk_log.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <system_error>

namespace ow::app {

namespace {

constexpr std::uintmax_t kMaxBytes = 1u << 20;

const char* level_name(wxLogLevel level) {
    switch (level) {
        case wxLOG_FatalError: return "fatal";
        case wxLOG_Error: return "error";
        case wxLOG_Warning: return "warning";
        case wxLOG_Message: return "message";
        case wxLOG_Status: return "status";
        case wxLOG_Info: return "info";
        default: return "debug";
    }
}

}  // namespace

std::filesystem::path desk_log_dir() {
    if (const char* s = std::getenv("XDG_STATE_HOME"); s && *s == '/') return std::filesystem::path(s) / "onewindow";
    if (const char* h = std::getenv("HOME"); h && *h) return std::filesystem::path(h) / ".local" / "state" / "onewindow";
    return {};
}

DeskLog::DeskLog(const std::filesystem::path& dir, bool to_stderr) : to_stderr_(to_stderr) {
    if (dir.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || std::filesystem::is_symlink(dir, ec)) return;
    ::chmod(dir.c_str(), 0700);
    file_ = dir / "desk.log";
    if (std::filesystem::file_size(file_, ec) > kMaxBytes && !ec) std::filesystem::rename(file_, dir / "desk.log.1", ec);
    const mode_t old = ::umask(077);
    out_.open(file_, std::ios::app);
    ::umask(old);
    if (!out_) file_.clear();
}

void DeskLog::DoLogRecord(wxLogLevel level, const wxString& msg, const wxLogRecordInfo&) {
    if (level == wxLOG_Status) return;  // status bar texts: not ours
    char when[32] = "";
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    if (::gmtime_r(&now, &tm)) std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const std::string line = std::string(when) + " " + level_name(level) + ": " + msg.utf8_string() + "\n";
    if (out_) out_ << line << std::flush;
    if (to_stderr_) std::fputs(line.c_str(), stderr);
}

}  // namespace ow::app
