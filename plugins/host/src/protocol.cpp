#include "protocol.h"

#include "onewindow/plugin.h"

namespace ow::plugins::protocol {

using nlohmann::json;

namespace {
// A string member of a message, or `fallback` when it is missing or not a string.
std::string text_or(const json& j, const char* key, const char* fallback) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
}
}  // namespace

Hello parse_hello(std::string_view line) {
    Hello h;
    json hello = json::parse(line, nullptr, false);
    if (hello.is_discarded()) {
        h.message = "the plugin helper sent garbage while loading";
        return h;
    }
    if (!hello.is_object() || !hello.contains("ready") || !hello["ready"].is_boolean()) {
        h.message = "the plugin helper sent an unexpected message while loading";
        return h;
    }
    if (hello["ready"].get<bool>()) {
        h.kind = Hello::Kind::ready;
        return h;
    }
    h.kind = Hello::Kind::refused;
    h.code = text_or(hello, "code", "plugin.load_failed");
    h.message = text_or(hello, "message", "the plugin could not be loaded");
    return h;
}

Answer parse_answer(std::string_view line, std::uint64_t id, const std::string& action) {
    Answer a;
    json answer = json::parse(line, nullptr, false);
    if (answer.is_discarded()) {
        a.message = "answered '" + action + "' with garbage (not JSON); the helper was stopped";
        return a;
    }
    if (!answer.is_object() || !answer.contains("id") || answer["id"] != id || !answer.contains("status") ||
        !answer["status"].is_number_integer()) {
        a.message = "answered '" + action + "' with a message that is not an answer; the helper was stopped";
        return a;
    }
    int status = answer["status"].get<int>();
    switch (status) {
    case OW_PLUGIN_OK: {
        auto it = answer.find("answer");
        if (it == answer.end() || !it->is_object()) {
            a.message = "answered '" + action + "' without an answer object; the helper was stopped";
            return a;
        }
        a.kind = Answer::Kind::ok;
        a.answer = std::move(*it);
        return a;
    }
    case kFatal:
    case OW_PLUGIN_UNAVAILABLE:
    case OW_PLUGIN_BAD_REQUEST:
    case OW_PLUGIN_UNKNOWN_ACTION:
    case OW_PLUGIN_FAILED:
        a.kind = Answer::Kind::error;
        a.status = status;
        a.code = text_or(answer, "code", "failed");
        a.message = text_or(answer, "message", "no reason given");
        return a;
    default:
        a.message = "answered with an unknown status " + std::to_string(status) + "; the helper was stopped";
        return a;
    }
}

Reply reply_for(const json& id, const std::string& action, int status, const std::string& text, std::size_t max_message) {
    if (text.size() > max_message)
        return {{{"id", id},
                 {"status", kFatal},
                 {"code", "plugin.too_large"},
                 {"message", "answered '" + action + "' with " + std::to_string(text.size()) +
                                 " bytes, more than the limit of " + std::to_string(max_message) +
                                 "; the helper was stopped"}},
                true};
    json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return {{{"id", id},
                 {"status", kFatal},
                 {"code", "plugin.garbage"},
                 {"message", "answered '" + action + "' with garbage (not a JSON object); the helper was stopped"}},
                true};
    if (status == OW_PLUGIN_OK) return {{{"id", id}, {"status", status}, {"answer", std::move(parsed)}}, false};
    std::string code =
        parsed.contains("code") && parsed["code"].is_string() ? parsed["code"].get<std::string>() : "failed";
    std::string message =
        parsed.contains("message") && parsed["message"].is_string() ? parsed["message"].get<std::string>() : "no reason given";
    int st = (status >= OW_PLUGIN_UNAVAILABLE && status <= OW_PLUGIN_FAILED) ? status : OW_PLUGIN_FAILED;
    return {{{"id", id}, {"status", st}, {"code", code}, {"message", message}}, false};
}

std::string to_line(const json& message) {
    return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace ow::plugins::protocol
