// archive export | verify: the electronic archive package of a case (ow_archive, docs/archive.md).
// export: 0 written; 1 refused (unknown or unconcluded case, PATH taken, the package would not
// verify; nothing written); 2 usage or other error. verify: 0 sound; 1 not sound (every failure
// named, file and property); 2 usage or no package at PATH.
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/archive/archive.h"
#include "ow/workflow/session.h"

#include <iostream>

namespace ow::cli {
namespace {

int archive_export(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--case", "-o"}), {"--json"});
    if (!o.positional.empty()) throw UsageError{tr("archive export takes no positional arguments")};
    auto id = core::Uuid::parse(o.require("--case"));
    if (!id) throw UsageError{subst(tr("not a case ID: %1"), *o.get("--case"))};
    const std::string out = o.require("-o");
    return guarded([&] {
        try {
            auto session = workflow::open_session(open_store(o));
            archive::ExportOptions eo;
            eo.catalogue = &session->catalogue;
            if (session->renderer) eo.templates = &session->renderer->templates();
            eo.producer = "OneWindow onewindow-cli " OW_VERSION;
            auto r = archive::export_case(*session->store, *id, out, eo);
            if (!r.audit_chain_intact)
                std::cerr << "onewindow-cli: " << tr("warning: the store's audit trail does not verify (recorded in records/audit.json)") << "\n";
            if (o.has("--json")) {
                nlohmann::json j = {{"path", r.path.string()}, {"format", r.zip ? "zip" : "folder"}, {"documents", r.documents},
                                    {"materials", r.materials}, {"attachments", r.attachments}, {"records", r.records},
                                    {"files", r.files}, {"bytes", r.bytes}, {"audit_chain_intact", r.audit_chain_intact}};
                std::cout << j.dump(2) << "\n";
            } else {
                std::cout << "archived " << id->to_string() << " to " << r.path.string() << " (" << r.files << " files: " << r.documents
                          << " documents, " << r.materials << " scans, " << r.attachments << " other attachments, " << r.records
                          << " records)\n";
            }
            return int(kOk);
        } catch (const archive::ArchiveRefused& e) {
            std::cerr << "onewindow-cli: " << subst(tr("refused: %1"), error_text(e)) << "\n";
            return int(kNo);
        }
    });
}

int archive_verify(const std::vector<std::string>& args) {
    auto o = Options::parse(args, {"--roots"}, {"--json"});
    if (o.positional.size() != 1) throw UsageError{tr("expected the package: a folder or a .zip")};
    archive::VerifyOptions vo;
    if (auto r = o.get("--roots")) vo.roots = *r;
    archive::VerifyReport report;
    try {
        report = archive::verify(o.positional[0], vo);
    } catch (const core::Error& e) {
        std::cerr << "onewindow-cli: " << error_text(e) << "\n";
        return kUsage;
    }
    auto failures = report.failures();
    if (o.has("--json")) {
        std::cout << archive::to_json(report) << "\n";
    } else {
        for (const auto& f : failures)
            std::cout << "FAIL " << archive::to_code(f.property) << " " << (f.file.empty() ? "(package)" : f.file) << ": " << f.message
                      << " [" << f.code << "]\n";
        std::cout << (report.sound() ? "sound" : "not sound") << ": " << report.files << " files, " << report.checks.size() << " checks, "
                  << failures.size() << " failed\n";
    }
    return report.sound() ? kOk : kNo;
}

}  // namespace

void register_archive_commands() {
    auto& c = commands();
    c.push_back({"archive", "export", "--case ID -o PATH --store DIR --password-file F [--user NAME] [--json]",
                 TR_N_("write the case's archive package (GB/T 42727): a folder, or a zip when PATH ends in .zip; only a concluded "
                 "case; PATH must be new (or an empty folder); nothing is left behind on failure"),
                 archive_export});
    c.push_back({"archive", "verify", "PATH [--roots PEM] [--json]",
                 TR_N_("check a package on its own (no store): authenticity, integrity, usability, security (DA/T 70); "
                 "exit 1 names every failure"),
                 archive_verify});
}

}  // namespace ow::cli
