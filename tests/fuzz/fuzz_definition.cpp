// libFuzzer: any bytes as an item or bundle definition. Loading must either succeed or throw an
// ow::core::Error (DefinitionError, ParseError); a loaded form must validate answers without
// throwing. Anything else (a crash, another exception, a hang) is a bug.
#include "ow/core/json_reader.h"
#include "ow/forms/definition.h"
#include "ow/forms/session.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace {

const ow::forms::FormCatalogue& shipped() {
    static const auto cat = ow::forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return cat;
}

void exercise(std::shared_ptr<const ow::forms::FormDefinition> d) {
    ow::forms::FormSession s(std::move(d), ow::core::parse_date("2025-10-09"));
    s.set_answers(nlohmann::json::object());
    (void)s.validate();
    // answer every field with something of the wrong kind and then with a plausible string
    nlohmann::json a = nlohmann::json::object();
    for (const auto& f : s.definition().fields())
        if (f.parent < 0) a[f.id] = f.type == ow::forms::FieldType::repeat ? nlohmann::json::array({nlohmann::json::object()}) : nlohmann::json("1");
    s.set_answers(a);
    (void)s.validate();
    (void)s.visible_fields();
    (void)s.checklist();
    (void)s.answers_json().dump();
    (void)s.item_answers();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    nlohmann::json j;
    try {
        j = ow::core::parse_json_text(text, "fuzz.json");
    } catch (const ow::core::Error&) {
        return 0;
    }
    try {
        if (j.is_object() && j.contains("items")) {
            auto d = std::make_shared<const ow::forms::FormDefinition>(
                ow::forms::FormDefinition::from_bundle(j, "fuzz.json", shipped().items()));
            exercise(d);
        } else {
            auto d = std::make_shared<const ow::forms::FormDefinition>(ow::forms::FormDefinition::from_item(j, "fuzz.json"));
            exercise(d);
        }
    } catch (const ow::core::Error&) {
    }
    return 0;
}
