#include "ow/forms/catalogue.h"

#include "ow/core/json_reader.h"

namespace ow::forms {
namespace {

/// Where an entry is, for error messages: "<source> entry <n> (<code>)".
std::string entry_source(const std::string& source, std::size_t index, const nlohmann::json& body) {
    std::string where = source + " entry " + std::to_string(index + 1);
    if (body.is_object()) {
        auto it = body.find("code");
        if (it != body.end() && it->is_string() && it->get_ref<const std::string&>().size() <= 64)
            where += " (" + it->get<std::string>() + ")";
    }
    return where;
}

nlohmann::json parse_entry(const CatalogueEntry& e, const std::string& source, std::size_t index) {
    const std::string where = source + " entry " + std::to_string(index + 1);
    if (e.second.size() > FormDefinition::kMaxFileBytes) throw DefinitionError(where + ": /: definition too large (at most 4 MiB)");
    return core::parse_json_text(e.second, where);
}

/// Calls f(type, body, where) for the items, then for the bundles (a bundle names its items).
template <class F>
void for_each_entry(const std::vector<CatalogueEntry>& entries, const std::string& source, F&& f) {
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (entries[i].first != "item" && entries[i].first != "bundle")
            throw core::InvalidData(source + " entry " + std::to_string(i + 1) + ": type must be item or bundle");
    for (const char* pass : {"item", "bundle"})
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].first != pass) continue;
            auto body = parse_entry(entries[i], source, i);
            f(entries[i].first, body, entry_source(source, i, body));
        }
}

}  // namespace

FormCatalogue FormCatalogue::from_entries(const std::vector<std::pair<std::string, std::string>>& entries,
                                          const std::string& source) {
    FormCatalogue cat;
    for_each_entry(entries, source, [&](const std::string& type, const nlohmann::json& body, const std::string& where) {
        if (type == "item") cat.add_item(body, where);
        else cat.add_bundle(body, where);
    });
    return cat;
}

LoadedCatalogue load_catalogue_entries(const std::vector<CatalogueEntry>& entries, const std::string& source) {
    LoadedCatalogue out;
    for_each_entry(entries, source, [&](const std::string& type, const nlohmann::json& body, const std::string& where) {
        if (type == "item") {
            out.catalogue.add_item(core::parse_item(body, where));
            out.forms.add_item(body, where);
        } else {
            out.catalogue.add_bundle(core::parse_bundle(body, where));
            out.forms.add_bundle(body, where);
        }
    });
    return out;
}

LoadedCatalogue load_shipped_catalogue() {
    return {core::Catalogue::load_shipped(), FormCatalogue::load_shipped()};
}

}  // namespace ow::forms
