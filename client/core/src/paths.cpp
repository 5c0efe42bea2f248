#include "ow/core/paths.h"

#include <cstdlib>
#include <system_error>

#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

namespace ow::core {

std::filesystem::path executable_dir() {
#if defined(_WIN32)
    wchar_t buf[32768];
    DWORD n = GetModuleFileNameW(nullptr, buf, DWORD(std::size(buf)));
    return std::filesystem::path(std::wstring(buf, n)).parent_path();
#elif defined(__APPLE__)
    char buf[4096];
    uint32_t size = sizeof buf;
    if (_NSGetExecutablePath(buf, &size) == 0) return std::filesystem::weakly_canonical(buf).parent_path();
    return std::filesystem::current_path();
#else
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::current_path() : p.parent_path();
#endif
}

std::filesystem::path data_dir() {
    if (const char* env = std::getenv("ONEWINDOW_DATA_DIR"); env && *env) return env;
    return executable_dir().parent_path() / "share" / "onewindow";
}

std::filesystem::path locale_dir() { return executable_dir().parent_path() / "share" / "locale"; }

std::optional<std::filesystem::path> cache_dir() {
    auto env = [](const char* name) -> const char* {
        const char* v = std::getenv(name);
        return v && *v ? v : nullptr;
    };
    if (const char* v = env("ONEWINDOW_CACHE_DIR")) return std::filesystem::path(v);
#if defined(_WIN32)
    if (const char* v = env("LOCALAPPDATA")) return std::filesystem::path(v) / "OneWindow" / "cache";
#else
    if (const char* v = env("XDG_CACHE_HOME")) return std::filesystem::path(v) / "onewindow";
    if (const char* v = env("HOME")) return std::filesystem::path(v) / ".cache" / "onewindow";
#endif
    return std::nullopt;
}

}  // namespace ow::core
