// onewindow-plugin-host — runs one plugin on behalf of PluginHost, in a process of its own, so that
// a plugin that crashes, hangs or scribbles cannot take the desk down with it.
//
// usage: onewindow-plugin-host [--max-message BYTES] PLUGIN_DIR | --version
// Speaks the line protocol of src/protocol.h on stdin/stdout. The plugin never sees the protocol
// pipes: its stdout goes to stderr and its stdin is /dev/null.
#include "onewindow/plugin.h"
#include "ow/plugins/errors.h"
#include "ow/core/secure_file.h"
#include "ow/plugins/manifest.h"
#include "ow/version.h"
#include "protocol.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

namespace {

using nlohmann::json;
namespace protocol = ow::plugins::protocol;

int g_out = -1;

void send(const json& msg) {
    std::string line = protocol::to_line(msg) + "\n";
    std::size_t done = 0;
    while (done < line.size()) {
        ssize_t n = ::write(g_out, line.data() + done, line.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::_Exit(1);  // the host is gone
        }
        done += static_cast<std::size_t>(n);
    }
}

[[noreturn]] void refuse(const std::string& code, const std::string& message) {
    send({{"ready", false}, {"code", code}, {"message", message}});
    std::_Exit(protocol::kExitRefused);
}

// Moves the protocol to private descriptors; the plugin's stdio goes elsewhere.
FILE* take_protocol_pipes() {
    int in = ::fcntl(0, F_DUPFD_CLOEXEC, 3);
    g_out = ::fcntl(1, F_DUPFD_CLOEXEC, 3);
    if (in < 0 || g_out < 0) std::_Exit(1);
    int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) {
        ::dup2(null_fd, 0);
        ::close(null_fd);
    }
    ::dup2(2, 1);
    return ::fdopen(in, "r");
}

bool read_line(FILE* in, std::string& line) {
    line.clear();
    for (int c; (c = std::fgetc(in)) != EOF;) {
        if (c == '\n') return true;
        line.push_back(static_cast<char>(c));
    }
    return !line.empty();
}

}  // namespace

int main(int argc, char** argv) {
    // Plugins read ID cards and scan documents: personal data must not end up in a core file.
    (void)ow::core::disable_core_dumps();
    std::size_t max_message = 8 * 1024 * 1024;
    std::string dir;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--version") {
            std::printf("onewindow-plugin-host %s\n", OW_VERSION_TEXT);
            return 0;
        }
        if (a == "--max-message" && i + 1 < argc) {
            max_message = std::strtoull(argv[++i], nullptr, 10);
        } else if (a.rfind("--", 0) == 0 || !dir.empty()) {
            std::fprintf(stderr, "usage: onewindow-plugin-host [--max-message BYTES] PLUGIN_DIR | --version\n");
            return 2;
        } else {
            dir = a;
        }
    }
    if (dir.empty()) {
        std::fprintf(stderr, "usage: onewindow-plugin-host [--max-message BYTES] PLUGIN_DIR | --version\n");
        return 2;
    }
    FILE* in = take_protocol_pipes();
    if (!in) return 1;

    // The manifest again: the helper trusts nothing it did not check itself.
    ow::plugins::Manifest m;
    try {
        m = ow::plugins::read_manifest(std::filesystem::path(dir) / "plugin.json");
    } catch (const ow::plugins::PluginError& e) {
        refuse(e.code(), e.what());
    }
    const std::string who = "plugin '" + m.name + "' " + m.version;
    if (m.abi_version != OW_PLUGIN_ABI_VERSION)
        refuse("plugin.abi_mismatch", who + " was built for plugin ABI " + std::to_string(m.abi_version) +
                                          "; this OneWindow speaks ABI " + std::to_string(OW_PLUGIN_ABI_VERSION));

    void* lib = ::dlopen(m.library_path().c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char* err = ::dlerror();
        refuse("plugin.load_failed", who + ": cannot load " + m.library_path().string() + ": " + (err ? err : "?"));
    }
    auto entry = reinterpret_cast<OwPluginEntryFn>(::dlsym(lib, OW_PLUGIN_ENTRY_SYMBOL));
    if (!entry) refuse("plugin.load_failed", who + ": the library has no " OW_PLUGIN_ENTRY_SYMBOL " function");
    const OwPluginV1* api = entry(OW_PLUGIN_ABI_VERSION);
    if (!api) refuse("plugin.load_failed", who + ": " OW_PLUGIN_ENTRY_SYMBOL " returned nothing");
    if (api->abi_version != OW_PLUGIN_ABI_VERSION)
        refuse("plugin.abi_mismatch", who + ": the library was built for plugin ABI " +
                                          std::to_string(api->abi_version) + " but this OneWindow speaks ABI " +
                                          std::to_string(OW_PLUGIN_ABI_VERSION) +
                                          " (manifest and library disagree; rebuild the plugin)");
    if (api->struct_size < sizeof(OwPluginV1) || !api->create || !api->destroy || !api->call || !api->free_string)
        refuse("plugin.abi_mismatch", who + ": the library's function table is incomplete");
    if (!api->name || m.name != api->name)
        refuse("plugin.invalid_manifest", who + ": the library calls itself '" +
                                              std::string(api->name ? api->name : "") + "', not '" + m.name + "'");
    if (!api->version || m.version != api->version)
        refuse("plugin.invalid_manifest", who + ": the library is version " +
                                              std::string(api->version ? api->version : "?") + ", the manifest says " +
                                              m.version);

    json config = {{"plugin_dir", m.dir.string()}, {"settings", m.settings}};
    void* instance = nullptr;
    char* error = nullptr;
    int rc = api->create(config.dump().c_str(), &instance, &error);
    if (rc != OW_PLUGIN_OK) {
        std::string message = "could not be started";
        if (error) {
            auto e = json::parse(error, nullptr, false);
            if (e.is_object() && e.contains("message") && e["message"].is_string()) message = e["message"];
            api->free_string(error);
        }
        refuse(rc == OW_PLUGIN_UNAVAILABLE ? "plugin.unavailable" : "plugin.load_failed", who + ": " + message);
    }
    send({{"ready", true}, {"name", m.name}, {"version", m.version}});

    std::string line;
    while (read_line(in, line)) {
        json req = json::parse(line, nullptr, false);
        if (!req.is_object() || !req.contains("id") || !req.contains("action") || !req["action"].is_string()) {
            send({{"id", nullptr},
                  {"status", protocol::kFatal},
                  {"code", "plugin.protocol"},
                  {"message", "the helper received a message it does not understand"}});
            std::_Exit(protocol::kExitFatal);
        }
        const json& id = req["id"];
        std::string action = req["action"];
        std::string request = req.contains("request") ? req["request"].dump() : "{}";
        char* answer = nullptr;
        int status = api->call(instance, action.c_str(), request.c_str(), &answer);
        std::string text = answer ? answer : "";
        if (answer) api->free_string(answer);

        auto reply = protocol::reply_for(id, action, status, text, max_message);
        send(reply.message);
        if (reply.fatal) std::_Exit(protocol::kExitFatal);
    }
    api->destroy(instance);
    // The library stays loaded: some vendor libraries crash when unloaded.
    return 0;
}
