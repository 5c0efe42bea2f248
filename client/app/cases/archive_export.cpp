#include "cases/archive_export.h"

#include "ow/archive/archive.h"
#include "ow/core/error.h"

#include <system_error>

namespace ow::app {

bool archivable(core::CaseState state) { return archive::exportable(state); }

std::string archive_file_name(const CaseSummary& summary) {
    auto clean = [](const std::string& s) {
        std::string out;
        for (char c : s)
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') out += c;
        return out;
    };
    std::string name = clean(summary.receipt_no);
    if (name.empty()) name = clean(summary.case_id);
    if (name.empty()) name = "case";
    return name + ".zip";
}

ArchiveOutcome run_archive_export(workflow::Session& session, const std::string& case_id, const std::filesystem::path& path) {
    ArchiveOutcome o;
    auto fail = [&](std::string code, std::string message) {
        o.code = std::move(code);
        o.message = std::move(message);
        return o;
    };
    const auto id = core::Uuid::parse(case_id);
    if (!id) return fail("archive.no_case", "no case is selected");
    if (path.empty()) return fail("archive.path_empty", "no path for the package");
    try {
        if (path.has_parent_path()) {
            std::error_code ec;
            std::filesystem::create_directories(path.parent_path(), ec);
            if (ec) return fail("archive.write_failed", "cannot make " + path.parent_path().string() + ": " + ec.message());
        }
        archive::ExportOptions eo;
        eo.catalogue = &session.catalogue;
        if (session.renderer) eo.templates = &session.renderer->templates();
        eo.producer = "OneWindow " OW_VERSION;
        const auto r = archive::export_case(*session.store, *id, path, eo);
        o.path = r.path;
        o.files = r.files;
        o.documents = r.documents;
        o.materials = r.materials;
        o.bytes = r.bytes;
        o.audit_chain_intact = r.audit_chain_intact;
        return o;
    } catch (const archive::ArchiveRefused& e) {
        return fail(e.code(), e.what());
    } catch (const core::Error& e) {
        return fail(e.code() == "io.write" ? "archive.write_failed" : "archive.failed", e.what());
    } catch (const std::exception& e) {
        return fail("archive.failed", e.what());
    }
}

}  // namespace ow::app
