// signature-sim — stands in for the signature pad at the window (出件: the applicant signs for
// the result).
// Actions:
//   sign {"output_dir", "width"?: 100..4000 (600), "height"?: 50..2000 (200), "prompt"?,
//         "background"?: "transparent" | "white",
//         "simulate"?: {"name"?: text, "cancel"?: true, "unavailable"?: true, "timeout"?: true | ms}}
//     → {"png", "width", "height", "strokes", "points", "duration_ms", "signed_at", "device":
//        "signature-sim", "source": "simulator"}
//     The strokes follow from simulate.name, else settings.name, else a fixed hand: the same name
//     gives the same strokes. cancel: FAILED "signature.cancelled" (the applicant pressed cancel
//     on the pad); unavailable: UNAVAILABLE "no_pad"; timeout: FAILED "signature.timeout" (nobody
//     signed), after that many ms when a number. settings.delay_ms: the time the applicant takes
//     (training; 0 in tests).
//   status {"simulate"?: {"unavailable"?: true}} → {"device", "connected": true, "source"}
#include "onewindow/plugin_sdk.h"
#include "signature_ink.h"

#include <chrono>
#include <thread>

namespace {

using nlohmann::json;
namespace sdk = ow::plugin_sdk;
namespace ink = ow::signature_ink;

constexpr const char* kDevice = "signature-sim";

bool flag(const json& simulate, const char* key) {
    return simulate.is_object() && simulate.contains(key) && simulate[key] == true;
}

class SignatureSim : public sdk::Plugin {
public:
    explicit SignatureSim(const json& config) {
        const json settings = config.value("settings", json::object());
        name_ = settings.value("name", std::string());
        delay_ms_ = settings.value("delay_ms", 0);
        if (delay_ms_ < 0 || delay_ms_ > 60000) throw sdk::failed("bad_settings", "delay_ms must be 0..60000");
    }

    json call(const std::string& action, const json& request) override {
        if (action == "status") {
            if (flag(request.value("simulate", json()), "unavailable"))
                throw sdk::unavailable("no_pad", "the signature pad is not connected");
            return {{"device", kDevice}, {"connected", true}, {"source", "simulator"}};
        }
        if (action != "sign") throw sdk::unknown_action(action);
        ink::SignRequest rq = ink::parse_sign_request(request);
        const json& sim = rq.simulate;
        if (flag(sim, "unavailable")) throw sdk::unavailable("no_pad", "the signature pad is not connected");
        std::string name = name_;
        if (sim.is_object() && sim.contains("name")) {
            if (!sim["name"].is_string()) throw sdk::bad_request("simulate.name must be a string");
            name = sim["name"].get<std::string>();
        }
        if (sim.is_object() && sim.contains("timeout")) {
            const json& t = sim["timeout"];
            if (t.is_number_integer() && t.get<long long>() >= 0 && t.get<long long>() <= 600000)
                std::this_thread::sleep_for(std::chrono::milliseconds(t.get<long long>()));
            else if (t != true)
                throw sdk::bad_request("simulate.timeout must be true or 0..600000 ms");
            throw sdk::failed("signature.timeout", "nobody signed on the pad in time");
        }
        if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
        if (flag(sim, "cancel")) throw sdk::failed("signature.cancelled", "the signature was cancelled on the pad");
        ink::Ink strokes = ink::simulate(name);
        auto png = ink::write_png(strokes, rq);
        return ink::sign_answer(strokes, rq, png, kDevice, "simulator");
    }

private:
    std::string name_;
    int delay_ms_ = 0;
};

}  // namespace

OW_PLUGIN_DEFINE(SignatureSim, "signature-sim", OW_PLUGIN_VERSION)
