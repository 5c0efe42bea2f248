// libFuzzer: any bytes as the answers to shipped forms (an item with a repeat and a bundle).
// Whatever the answers, the session reports issues and never throws or crashes.
#include "ow/core/json_reader.h"
#include "ow/forms/definition.h"
#include "ow/forms/session.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

const ow::forms::FormCatalogue& shipped() {
    static const auto cat = ow::forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return cat;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    nlohmann::json answers;
    try {
        answers = ow::core::parse_json_text(text, "answers.json");
    } catch (const ow::core::Error&) {
        return 0;
    }
    for (const char* code : {"370102-SC-0002-001", "BUNDLE-QYKB", "BUNDLE-XSECS"}) {
        ow::forms::FormSession s(shipped().find(code), ow::core::parse_date("2025-10-09"));
        s.set_answers(answers);
        auto r = s.validate();
        (void)ow::forms::to_json(r).dump();
        (void)s.visible_fields();
        (void)s.checklist();
        (void)s.answers_json().dump();
        for (const auto& [item, env] : s.item_answers()) (void)env.dump();
        ow::forms::PrefillData p;
        p.applicant = answers;
        p.earlier = answers;
        (void)s.prefill(p);
        (void)s.validate();
    }
    return 0;
}
