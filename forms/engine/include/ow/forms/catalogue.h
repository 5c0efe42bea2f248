// A catalogue as both of its readers see it: ow_core's ServiceItem/Bundle model (deadlines,
// materials, checklists, notices) and the form engine's definitions (fields, rules, checks).
// The two must come from the same bodies, so they are built together here; a body one of them
// refuses makes the whole catalogue refused.
#pragma once

#include "ow/core/catalog.h"
#include "ow/forms/definition.h"

#include <string>
#include <utility>
#include <vector>

namespace ow::forms {

/// (type, body): type "item" or "bundle"; body the definition's whole JSON text, as delivered.
using CatalogueEntry = std::pair<std::string, std::string>;

struct LoadedCatalogue {
    core::Catalogue catalogue;
    FormCatalogue forms;
};

/// Parses every entry with ow_core's parser (parse_item / parse_bundle) and with the form engine
/// (FormCatalogue::from_entries). Items first, then bundles, each in the given order. Throws
/// core::InvalidData (DefinitionError for form problems) or core::ParseError naming `source`,
/// the entry's position and code, and the JSON pointer; an unknown type is InvalidData.
LoadedCatalogue load_catalogue_entries(const std::vector<CatalogueEntry>& entries, const std::string& source);

/// The catalogue shipped with the program (<data>/catalog), read by both parsers; the same
/// errors as load_catalogue_entries, naming the file.
LoadedCatalogue load_shipped_catalogue();

}  // namespace ow::forms
