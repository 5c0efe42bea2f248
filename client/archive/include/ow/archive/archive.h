// ow_archive: the electronic archive package of one case (电子归档, after GB/T 42727-2023
// 政务服务事项电子文件归档规范), and its check in the manner of DA/T 70 (真实性, 完整性, 可用性, 安全性).
//
// A package is a folder (or the same tree in a .zip) that needs no OneWindow to be read:
//   metadata.xml            what the package holds: case, item, applicant, authority, dates, and every
//                           file below with its format, size, SHA-256 and SM3 (documents with their seals)
//   documents/NN-KIND.pdf   the notices and decisions as the store holds them (seals intact)
//   materials/NN-CODE.EXT   the scanned materials
//   attachments/NN-ROLE.EXT other files linked to the case (the applicant's signature at pickup)
//   records/case.json, form.json, history.json, audit.json
//                           the case, the form's answers, the history and this case's audit entries
//   manifest-sha256.txt, manifest-sm3.txt
//                           "HEX  PATH" per file (sha256sum -c reads the first), every file but these two
// See docs/archive.md for the layout, the metadata and the checks.
//
// GUI-free: no wx. Thread-compatible (one call per thread at a time on a Store).
#pragma once

#include "ow/core/case.h"
#include "ow/core/error.h"
#include "ow/core/ids.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ow::core {
class Catalogue;
}
namespace ow::notices {
class TemplateSet;
}
namespace ow::store {
class Store;
}

namespace ow::archive {

/// The case cannot be archived now (not concluded, unknown), or the output path is taken.
/// The CLI maps it to exit 1; nothing was written.
class ArchiveRefused : public core::Error {
public:
    ArchiveRefused(std::string code, const std::string& message) : Error(std::move(code), message) {}
};

/// States in which a case is concluded and may be archived: refused, result_issued, rated, archived.
bool exportable(core::CaseState state);

struct ExportOptions {
    /// For the item's department (实施主体), its type and level. Null: only what the case holds.
    const core::Catalogue* catalogue = nullptr;
    /// For the documents' titles (受理通知书 …). Null: the titles are left out.
    const notices::TemplateSet* templates = nullptr;
    /// Written as the package's producer, e.g. "OneWindow 0.1.0".
    std::string producer = "OneWindow";
};

struct ExportResult {
    std::filesystem::path path;  ///< the package written (folder or .zip)
    bool zip = false;
    int documents = 0;           ///< notices and decisions
    int materials = 0;           ///< scanned materials
    int attachments = 0;         ///< other linked files (signatures)
    int records = 0;             ///< JSON records
    int files = 0;               ///< every file in the package, metadata and manifests included
    std::uintmax_t bytes = 0;    ///< their total size (for a zip: the zip file's size)
    bool audit_chain_intact = true;  ///< the store's whole audit chain verified at export
};

/// Writes the package of case `id` from the signed-in `store` to `out`: a folder, or a zip file
/// when `out` ends in ".zip" (any case). It is built in a temporary sibling (0700 folder, 0600
/// files), checked with verify() and only then renamed to `out`: on any failure nothing is left
/// at `out`. An existing empty folder (or empty file for a zip) is replaced; anything else at
/// `out` is refused. The export is audited ("archive.exported") after the rename.
/// Throws ArchiveRefused ("archive.unknown_case", "archive.not_concluded", "archive.output_exists",
/// "archive.unsound" when the package would not verify, e.g. a stored seal that no longer checks
/// out); store errors (StoreError, CorruptStore for a damaged blob); core::Error("io.write") when
/// the output cannot be written.
ExportResult export_case(store::Store& store, const core::Uuid& id, const std::filesystem::path& out,
                         const ExportOptions& options = {});

/// The four properties of DA/T 70.
enum class Property { authenticity, integrity, usability, security };
/// "authenticity", "integrity", "usability", "security".
const char* to_code(Property p);

/// One check of one file (or of the package, file empty).
struct Check {
    Property property = Property::integrity;
    std::string file;     ///< path inside the package ("documents/01-acceptance_receipt.pdf")
    bool ok = true;
    std::string code;     ///< stable, e.g. "hash_mismatch", "seal_invalid", "missing", "unlisted"
    std::string message;  ///< English
};

struct VerifyOptions {
    /// PEM roots the seals must chain to (ow::seal::VerifyOptions::roots). None: chains are not
    /// checked, only the signatures themselves.
    std::optional<std::filesystem::path> roots;
};

struct VerifyReport {
    std::filesystem::path path;
    bool zip = false;
    std::vector<Check> checks;  ///< passed and failed, by file
    int files = 0;              ///< files found in the package
    bool sound() const;         ///< no failed check (and at least one check)
    std::vector<Check> failures() const;
};

/// Checks a package (folder or .zip) on its own, without a store. Never throws for a bad package
/// (every problem is a failed check naming the file and the property); throws core::Error
/// ("archive.not_found") when `package` does not exist, and core::Error for an I/O failure of
/// this machine (e.g. no room for extracting a zip).
VerifyReport verify(const std::filesystem::path& package, const VerifyOptions& options = {});

/// The report as JSON text:
/// {"package":P,"format":"folder"|"zip","sound":B,"files":N,"failures":N,
///  "checks":[{"property":"integrity","file":"…","ok":false,"code":"…","message":"…"},…]}
std::string to_json(const VerifyReport& report);

}  // namespace ow::archive
