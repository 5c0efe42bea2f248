// The line protocol between PluginHost and onewindow-plugin-host (internal; see docs/plugins.md).
// Each message is one JSON object on one line (JSON text never holds a raw newline).
//   helper → host, once:  {"ready":true,"name":N,"version":V}
//                     or  {"ready":false,"code":C,"message":M}      (then the helper exits)
//   host → helper:        {"id":I,"action":A,"request":{...}}
//   helper → host:        {"id":I,"status":0,"answer":{...}}
//                     or  {"id":I,"status":S,"code":C,"message":M}  (S = OwPluginStatus)
//                     or  {"id":I,"status":-1,"code":C,"message":M} (fatal: the helper exits after it)
// The host closes the helper's stdin to stop it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ow::plugins::protocol {

inline constexpr int kFatal = -1;
/// Exit status of a helper that refused to load its plugin.
inline constexpr int kExitRefused = 3;
/// Exit status of a helper that stopped after a fatal answer (garbage, too large).
inline constexpr int kExitFatal = 4;

/// The helper's first line, as the host reads it. Never throws.
struct Hello {
    enum class Kind { ready, refused, garbage };
    Kind kind = Kind::garbage;
    std::string code, message;  // refused: as sent (defaults filled in); garbage: why, for the error
};
Hello parse_hello(std::string_view line);

/// The helper's answer line to call `id`, as the host reads it. Never throws.
struct Answer {
    enum class Kind { ok, error, garbage };
    Kind kind = Kind::garbage;
    int status = 0;              // error: the OwPluginStatus or kFatal as sent
    std::string code, message;   // error: as sent (defaults filled in); garbage: why, for the error
    nlohmann::json answer;       // ok: the answer object
};
Answer parse_answer(std::string_view line, std::uint64_t id, const std::string& action);

/// What the helper sends for a plugin's answer `text` with status `status` to call `id`/`action`
/// (the plugin's text is outside input: anything that is not a JSON object, or is larger than
/// `max_message` bytes, becomes a fatal message). `fatal`: the helper must exit after sending it.
struct Reply {
    nlohmann::json message;
    bool fatal = false;
};
Reply reply_for(const nlohmann::json& id, const std::string& action, int status, const std::string& text,
                std::size_t max_message);

/// One protocol line (no newline; invalid UTF-8 is replaced).
std::string to_line(const nlohmann::json& message);

}  // namespace ow::plugins::protocol
