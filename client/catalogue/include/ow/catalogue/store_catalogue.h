// The catalogue of a store: what every consumer (desk, CLI, demo seeding, workflow) calls to get
// the service items and bundles it works with.
//
//   auto cat = ow::catalogue::load_store_catalogue(store.db());
//   cat.catalogue  // ow_core's model: materials, deadlines, checklists, notices
//   cat.forms      // the form engine's definitions (fields, rules) from the same bodies
//   cat.version    // the platform's catalogue version, or "shipped"
//
// The platform's catalogue, once a sync has delivered one, is the one used: the sync engine stages
// the pages of a download and calls promote_staged(), which lets a catalogue into the store's
// cache (store::CatalogCache, bodies kept verbatim) only when ow_core's parser AND the form engine
// accept every entry. Until then (a new store, a store never synced) the catalogue shipped with
// the program is used; it is read from the installation at each call, never copied into the
// cache, so the first download is a full one and the cache only ever holds what the platform sent.
#pragma once

#include "ow/core/catalog.h"
#include "ow/forms/definition.h"
#include "ow/store/db.h"

#include <string>

namespace ow::catalogue {

/// The version reported for the shipped catalogue.
inline constexpr const char* kShippedVersion = "shipped";

struct StoreCatalogue {
    core::Catalogue catalogue;
    forms::FormCatalogue forms;
    std::string version;         // the platform's version, or kShippedVersion
    bool from_platform = false;  // false: the shipped catalogue
    /// Set when the store holds a platform catalogue that this build cannot read (e.g. an older
    /// build opening a store synced by a newer one): the shipped catalogue is used instead, and
    /// the next sync downloads the platform's catalogue whole. Empty otherwise.
    std::string problem;
};

/// The catalogue of the store behind `db`: the cached platform catalogue, or the shipped one when
/// the cache is empty (or cannot be read, see `problem`). Throws core::Error when the shipped
/// catalogue is needed and does not load (a broken installation), store::StoreError on a
/// database failure.
StoreCatalogue load_store_catalogue(store::Db& db);

/// Moves the staged download (store::CatalogCache::stage) into the cache after checking every
/// entry with ow_core's parser and the form engine, in one transaction. Throws core::Error
/// (InvalidData, forms::DefinitionError or ParseError naming the entry and the JSON pointer) when
/// any entry is refused; the cache and the staging are then unchanged.
void promote_staged(store::Db& db);

}  // namespace ow::catalogue
