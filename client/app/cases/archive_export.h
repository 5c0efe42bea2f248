// The desk's archive act (归档, Ctrl+Shift+E on the cases page): the selected concluded case written
// as its electronic archive package (ow_archive, docs/archive.md) — a .zip the clerk hands to the
// archive, or a folder. The package is built beside the target and checked (archive::verify) before
// it takes the target's name; nothing is left behind when that fails. Free of wx (ow_desk_logic).
#pragma once

#include "cases/cases_presenter.h"

#include "ow/workflow/session.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace ow::app {

struct ArchiveOutcome {
    /// Empty: written. Otherwise a stable code the view translates (outcome_text):
    /// "archive.unknown_case", "archive.not_concluded", "archive.output_exists", "archive.unsound"
    /// (refused by ow_archive), "archive.path_empty", "archive.no_case", "archive.write_failed"
    /// (the folder could not be made or written), "archive.failed" (anything else; see message).
    std::string code;
    std::string message;  ///< English, for the log
    std::filesystem::path path;  ///< the package written
    int files = 0;
    int documents = 0;
    int materials = 0;
    std::uintmax_t bytes = 0;
    bool audit_chain_intact = true;  ///< the store's whole audit chain verified at export
    bool ok() const { return code.empty(); }
};

/// Whether the desk offers the archive act for a case in `state` (archive::exportable: refused,
/// result issued, rated, archived).
bool archivable(core::CaseState state);

/// The package's file name for a case: "<receipt number>.zip" (the case id when it has none). Only
/// letters, digits and '-' come from the case; nothing else reaches the file system.
std::string archive_file_name(const CaseSummary& summary);

/// Writes the package of `case_id` to `path` (".zip" at the end: a zip, else a folder) on the
/// worker's session; makes the parent folder when it is missing. Never throws.
ArchiveOutcome run_archive_export(workflow::Session& session, const std::string& case_id, const std::filesystem::path& path);

}  // namespace ow::app
