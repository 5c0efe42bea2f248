// faulty — misbehaves on request, so the tests can prove that the host survives it.
//   ok       {} → {"ok": true, "pid": <helper pid>}
//   crash    dies of SIGSEGV
//   hang     never answers
//   garbage  prints noise to its stdout and answers text that is not JSON
//   huge     answers a JSON string of {"bytes": N} bytes (default 32 MiB)
//   fail     reports a failure of its own (status FAILED)
//   noise    prints noise to stdout and stderr, then answers normally
#include "onewindow/plugin_sdk.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <unistd.h>

namespace {

using nlohmann::json;
namespace sdk = ow::plugin_sdk;

class Faulty : public sdk::Plugin {
public:
    explicit Faulty(const json&) {}

    json call(const std::string& action, const json& request) override {
        if (action == "ok") return {{"ok", true}, {"pid", static_cast<long>(::getpid())}};
        if (action == "crash") {
            std::raise(SIGSEGV);
            std::abort();
        }
        if (action == "hang")
            for (;;)
                std::this_thread::sleep_for(std::chrono::seconds(1));
        if (action == "garbage") {
            std::printf("\x01\x02 this is not the protocol {\"id\": 99}\n");
            std::fflush(stdout);
            throw GarbageAnswer{};
        }
        if (action == "huge") {
            std::size_t bytes = request.value("bytes", std::size_t{32} * 1024 * 1024);
            return {{"blob", std::string(bytes, 'x')}};
        }
        if (action == "fail") throw sdk::failed("device_error", "the device reported an error");
        if (action == "noise") {
            std::printf("noise on stdout\n");
            std::fflush(stdout);
            std::fprintf(stderr, "noise on stderr\n");
            return {{"ok", true}};
        }
        throw sdk::unknown_action(action);
    }

    struct GarbageAnswer {};
};

// The SDK always answers JSON; this plugin's call() bypasses it for "garbage".
int call_raw(void* instance, const char* action, const char* request, char** answer) noexcept {
    try {
        if (action && std::strcmp(action, "garbage") == 0) {
            static_cast<Faulty*>(instance)->call(action, json::object());
        }
    } catch (const Faulty::GarbageAnswer&) {
        const char* text = "\x7f\x45LF garbage, not JSON at all";
        *answer = static_cast<char*>(std::malloc(std::strlen(text) + 1));
        std::strcpy(*answer, text);
        return OW_PLUGIN_OK;
    }
    return sdk::detail::call<Faulty>(instance, action, request, answer);
}

}  // namespace

extern "C" OW_PLUGIN_EXPORT const OwPluginV1* ow_plugin_entry(uint32_t) {
    static const OwPluginV1 table = {OW_PLUGIN_ABI_VERSION,
                                     sizeof(OwPluginV1),
                                     "faulty",
                                     OW_PLUGIN_VERSION,
                                     &sdk::detail::create<Faulty>,
                                     &sdk::detail::destroy<Faulty>,
                                     &call_raw,
                                     &sdk::detail::free_string};
    return &table;
}
