// The demo data a new platform database starts with (all of it training data): the shipped
// catalogue (entries as the platform serves them, version derived from their content), the
// shipped working-day calendars, the TSA's key and certificates, and deterministic e-licences
// derived from the document number (every valid resident ID has a 居民身份证, some also a
// 营业执照, a 结婚证 or a 不动产权证书; a unified social credit code has a 营业执照).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace ow::sim {

class PlatformDb;

/// Fills a freshly created database (inside its creating transaction).
void install_demo_data(PlatformDb& pdb);

/// The catalogue version: the entries' highest own version plus a digest of all entry bodies
/// (and of the revision counter that `catalogue-revise` bumps).
std::string compute_catalogue_version(PlatformDb& pdb);

/// What the back office needs to know about an item (from the catalogue table).
struct ItemInfo {
    std::string name;
    std::string department;
    std::string result_name;
    std::string legal_basis;
};
std::map<std::string, ItemInfo> load_item_info(PlatformDb& pdb);

/// `{"licences": [...], "training": true}` for a document (empty list when none).
nlohmann::json demo_elicences(const std::string& doc_type, const std::string& doc_number);

}  // namespace ow::sim
