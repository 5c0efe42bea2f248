#include "common/signature_pad.h"

#include "common/private_dir.h"

#include "ow/core/error.h"
#include "ow/plugins/host.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace ow::app {

using nlohmann::json;
using Kind = SignatureResult::Kind;

namespace {

void fail(SignatureResult& out, Kind kind, std::string code, std::string message) {
    out.kind = kind;
    out.code = std::move(code);
    out.message = std::move(message);
}

/// Maps a plugin error. The host ends a plugin's own failure message with its code
/// ("… (signature.cancelled)").
void fail(SignatureResult& out, const plugins::PluginError& e) {
    const std::string what = e.what();
    if (dynamic_cast<const plugins::DeviceUnavailable*>(&e)) return fail(out, Kind::unavailable, "device.unavailable", what);
    if (what.ends_with("(signature.cancelled)")) return fail(out, Kind::cancelled, "device.cancelled", what);
    if (what.ends_with("(signature.timeout)") || e.code() == "plugin.timeout")
        return fail(out, Kind::failed, "device.timeout", what);
    fail(out, Kind::failed, "device.failed", what);
}

int int_of(const json& a, const char* key) {
    return a.contains(key) && a[key].is_number_integer() ? a[key].get<int>() : 0;
}

/// One plugin's answer → out; false (with out.kind set) when it does not hold a PNG in the folder.
bool take_answer(SignatureResult& out, const json& a) {
    if (!a.is_object() || !a.contains("png") || !a["png"].is_string()) {
        fail(out, Kind::failed, "device.bad_answer", "plugin '" + out.plugin + "': the signature answer names no PNG");
        return false;
    }
    std::filesystem::path png = a["png"].get<std::string>();
    std::error_code ec;
    auto canon_dir = std::filesystem::weakly_canonical(out.output_dir, ec);
    auto canon_png = std::filesystem::weakly_canonical(png, ec);
    if (ec || canon_png.parent_path() != canon_dir || !std::filesystem::is_regular_file(canon_png, ec)) {
        fail(out, Kind::failed, "device.bad_answer",
             "plugin '" + out.plugin + "': the signature PNG is not a file in the folder asked for");
        return false;
    }
    out.png = png;
    out.width = int_of(a, "width");
    out.height = int_of(a, "height");
    out.strokes = int_of(a, "strokes");
    out.points = int_of(a, "points");
    out.source = a.contains("source") && a["source"].is_string() ? a["source"].get<std::string>() : std::string();
    out.kind = Kind::signed_;
    out.code.clear();
    out.message.clear();
    return true;
}

}  // namespace

SignatureResult capture_signature(plugins::PluginHost& host, const SignatureRequest& request) {
    SignatureResult out;
    std::vector<std::string> names;
    if (!request.plugin.empty()) {
        names.push_back(request.plugin);
    } else {
        for (const auto& m : host.discovery().plugins)  // discovery order is name order
            if (std::find(m.capabilities.begin(), m.capabilities.end(), plugins::Capability::signature) != m.capabilities.end())
                names.push_back(m.name);
    }
    if (names.empty()) {
        fail(out, Kind::unavailable, "device.none", "no signature pad plugin is installed");
        return out;
    }
    try {
        if (request.output_dir.empty()) {
            remove_stale("signature-", std::chrono::hours(1));  // left by a desk killed while the applicant signed
            std::string tmpl = (private_dir() / "signature-XXXXXX").string();
            if (!::mkdtemp(tmpl.data())) {
                fail(out, Kind::failed, "device.failed", "cannot make a private folder for the signature");
                return out;
            }
            out.output_dir = tmpl;
            out.own_dir = true;
        } else {
            out.output_dir = request.output_dir;
        }
    } catch (const core::Error& e) {  // the private folder
        fail(out, Kind::failed, "device.failed", e.what());
        return out;
    }

    json rq = {{"output_dir", out.output_dir.string()}};
    if (request.width > 0) rq["width"] = request.width;
    if (request.height > 0) rq["height"] = request.height;
    if (!request.prompt.empty()) rq["prompt"] = request.prompt;
    if (request.simulate.is_object()) rq["simulate"] = request.simulate;

    for (const auto& name : names) {
        out.plugin = name;
        try {
            if (take_answer(out, host.call(name, "sign", rq, request.timeout))) return out;
            break;  // a pad answered, wrongly: its answer stands
        } catch (const plugins::PluginNotFound& e) {
            fail(out, Kind::unavailable, "device.none", e.what());
            break;
        } catch (const plugins::PluginRefused& e) {  // e.g. bad settings: this pad cannot start, try the next
            fail(out, Kind::failed, "device.failed", e.what());
        } catch (const plugins::PluginError& e) {
            fail(out, e);
            if (out.kind != Kind::unavailable) break;  // a pad is there: its answer stands
        }
    }
    discard_signature(out);
    out.png.clear();
    return out;
}

void discard_signature(const SignatureResult& result) {
    if (!result.own_dir || result.output_dir.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(result.output_dir, ec);
}

}  // namespace ow::app
