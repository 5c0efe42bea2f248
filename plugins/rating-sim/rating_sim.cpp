// rating-sim — stands in for the rating device at the window.
// Action rate: {"case": {"id": "...", "item_name": "...", "clerk": "..."}, "simulate"?: {"level": 1..5,
// "reason"?: "..."}} → {"case_id", "level", "label", "reason"?, "channel": "window_device"}.
// Levels follow GB/T 39046: 1 very satisfied … 5 very dissatisfied; 4 and 5 always carry a reason.
// Without "simulate" the level follows from the case id (deterministic, mostly satisfied), or
// from settings.fixed_level when set.
#include "onewindow/plugin_sdk.h"

#include <array>
#include <cstdint>

namespace {

using nlohmann::json;
namespace sdk = ow::plugin_sdk;

constexpr std::array<const char*, 5> kLabels = {"very_satisfied", "satisfied", "basically_satisfied", "dissatisfied",
                                                "very_dissatisfied"};
constexpr std::array<const char*, 4> kReasons = {"等候时间过长", "材料要求未一次性告知", "工作人员解释不清楚",
                                                 "办理时限过长"};

std::uint32_t fnv1a(const std::string& s) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

class RatingSim : public sdk::Plugin {
public:
    explicit RatingSim(const json& config) {
        const json settings = config.value("settings", json::object());
        if (settings.contains("fixed_level")) fixed_level_ = settings["fixed_level"].get<int>();
        if (fixed_level_ < 0 || fixed_level_ > 5) throw sdk::failed("bad_settings", "fixed_level must be 1..5");
    }

    json call(const std::string& action, const json& request) override {
        if (action != "rate") throw sdk::unknown_action(action);
        if (!request.contains("case") || !request["case"].is_object())
            throw sdk::bad_request("rate needs the case context: {\"case\": {\"id\": ...}}");
        const json& c = request["case"];
        if (!c.contains("id") || !c["id"].is_string() || c["id"].get<std::string>().empty())
            throw sdk::bad_request("the case context needs an id");
        std::string id = c["id"];
        std::uint32_t h = fnv1a(id);
        int level = fixed_level_;
        std::string reason;
        if (request.contains("simulate")) {
            const json& s = request["simulate"];
            if (!s.is_object() || !s.contains("level") || !s["level"].is_number_integer())
                throw sdk::bad_request("simulate needs {\"level\": 1..5}");
            level = s["level"].get<int>();
            if (s.contains("reason") && s["reason"].is_string()) reason = s["reason"];
        }
        if (level == 0) {
            std::uint32_t bucket = h % 100;
            level = bucket < 60 ? 1 : bucket < 85 ? 2 : bucket < 93 ? 3 : bucket < 98 ? 4 : 5;
        }
        if (level < 1 || level > 5) throw sdk::bad_request("level must be 1..5");
        json out = {{"case_id", id},
                    {"level", level},
                    {"label", kLabels[static_cast<std::size_t>(level - 1)]},
                    {"channel", "window_device"}};
        if (level >= 4) {
            if (reason.empty()) reason = kReasons[(h >> 8) % kReasons.size()];
            out["reason"] = reason;
        }
        return out;
    }

private:
    int fixed_level_ = 0;
};

}  // namespace

OW_PLUGIN_DEFINE(RatingSim, "rating-sim", OW_PLUGIN_VERSION)
