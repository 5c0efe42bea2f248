// A test plugin whose manifest claims ABI 1 but whose library was "built" for ABI 99: the helper
// must refuse it when it loads it.
#include "onewindow/plugin_sdk.h"

namespace {

class Never : public ow::plugin_sdk::Plugin {
public:
    explicit Never(const nlohmann::json&) {}
    nlohmann::json call(const std::string&, const nlohmann::json&) override { return {{"loaded", true}}; }
};

}  // namespace

extern "C" OW_PLUGIN_EXPORT const OwPluginV1* ow_plugin_entry(uint32_t) {
    static const OwPluginV1 table = {99u,
                                     sizeof(OwPluginV1),
                                     "bad-abi",
                                     "1.0.0",
                                     &ow::plugin_sdk::detail::create<Never>,
                                     &ow::plugin_sdk::detail::destroy<Never>,
                                     &ow::plugin_sdk::detail::call<Never>,
                                     &ow::plugin_sdk::detail::free_string};
    return &table;
}
