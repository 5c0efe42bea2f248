#include "ow/catalogue/store_catalogue.h"

#include "ow/forms/catalogue.h"
#include "ow/store/repositories.h"

namespace ow::catalogue {

StoreCatalogue load_store_catalogue(store::Db& db) {
    store::CatalogCache cache(db);
    StoreCatalogue out;
    std::string version = cache.version();
    if (auto entries = cache.entries(); !entries.empty()) {
        try {
            auto loaded = forms::load_catalogue_entries(entries, "catalogue " + version);
            out.catalogue = std::move(loaded.catalogue);
            out.forms = std::move(loaded.forms);
            out.version = std::move(version);
            out.from_platform = true;
            return out;
        } catch (const core::Error& e) {
            out.problem = std::string("the platform's catalogue in this store cannot be read; the shipped one is used: ") + e.what();
        }
    }
    auto shipped = forms::load_shipped_catalogue();
    out.catalogue = std::move(shipped.catalogue);
    out.forms = std::move(shipped.forms);
    out.version = kShippedVersion;
    return out;
}

void promote_staged(store::Db& db) {
    store::CatalogCache(db).promote_staged([](const std::vector<store::CatalogCache::Entry>& entries) {
        (void)forms::load_catalogue_entries(entries, "platform catalogue");
    });
}

}  // namespace ow::catalogue
