// onewindow-cli, the launcher: answers --version itself and runs every command in a command
// module (a shared library beside it, ../lib/onewindow/), so that a process loads only the
// libraries its command needs. `seal …` first tries the light seal module (OpenSSL, qpdf, libpng),
// which hands back what it cannot do (kDelegate); everything else runs in the full module.
// C library only: no C++ runtime, no static initialisers (its start is the process's floor).
#include "ow/version.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

#ifndef OW_CLI_MODULE_DIR
#define OW_CLI_MODULE_DIR "../lib/onewindow"  // relative to the launcher's folder
#endif
#if defined(__APPLE__)
#define OW_MODULE_SUFFIX ".dylib"
#else
#define OW_MODULE_SUFFIX ".so"
#endif

namespace {

constexpr int kDelegate = -1;  // cli.h: a light module hands the command to the full one
constexpr int kUsage = 2;

/// The launcher's folder ("" when it cannot be found: modules are then looked up from the cwd).
void executable_dir(char* out, size_t size) {
    out[0] = '\0';
    char path[PATH_MAX];
#if defined(__APPLE__)
    uint32_t n = sizeof path;
    if (_NSGetExecutablePath(path, &n) != 0) return;
#else
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return;
    path[n] = '\0';
#endif
    char* slash = strrchr(path, '/');
    if (!slash) return;
    *slash = '\0';
    snprintf(out, size, "%s", path);
}

void say(const char* a, const char* b = "", const char* c = "") {
    fprintf(stderr, "onewindow-cli: %s%s%s\n", a, b, c);
}

/// Runs the module's entry; a module that cannot be loaded is kUsage, or kDelegate when `optional`
/// (a light module missing from an installation: the full one does everything).
int run_module(const char* dir, const char* name, int argc, char** argv, bool optional = false) {
    char file[PATH_MAX];
    if (snprintf(file, sizeof file, "%s/" OW_CLI_MODULE_DIR "/%s" OW_MODULE_SUFFIX, dir, name) >= int(sizeof file)) {
        say("the installation path is too long");
        return kUsage;
    }
    void* module = dlopen(file, RTLD_LAZY | RTLD_LOCAL);
    if (!module) {
        if (optional) return kDelegate;
        const char* why = dlerror();
        say("cannot load the command module: ", why ? why : file);
        return kUsage;
    }
    using Entry = int (*)(int, char**);
    auto entry = reinterpret_cast<Entry>(dlsym(module, "ow_cli_main"));
    if (!entry) {
        say("the command module has no entry point: ", file);
        return kUsage;
    }
    return entry(argc, argv);  // the module stays loaded until exit (its static objects live on)
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        static const char text[] = "onewindow-cli " OW_VERSION_TEXT "\n";
        return write(STDOUT_FILENO, text, sizeof text - 1) == ssize_t(sizeof text - 1) ? 0 : kUsage;
    }
    char dir[PATH_MAX];
    executable_dir(dir, sizeof dir);
    if (argc >= 3 && strcmp(argv[1], "seal") == 0) {
        const int rc = run_module(dir, "onewindow-cli-seal", argc, argv, true);
        if (rc != kDelegate) return rc;
    }
    return run_module(dir, "onewindow-cli-full", argc, argv);
}
