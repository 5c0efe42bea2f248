// A test plugin whose library calls itself differently from its manifest: refused when loaded.
#include "onewindow/plugin_sdk.h"

namespace {

class Other : public ow::plugin_sdk::Plugin {
public:
    explicit Other(const nlohmann::json&) {}
    nlohmann::json call(const std::string&, const nlohmann::json&) override { return {{"loaded", true}}; }
};

}  // namespace

OW_PLUGIN_DEFINE(Other, "somebody-else", "1.0.0")
