// onewindow-cli audit list | export: the audit trail's entries as JSON lines, or to a file (JSON or CSV) (`audit verify` lives with
// the store commands). Reading needs the store's password like every other command.
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/store/audit.h"
#include "ow/store/db.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <limits>

namespace ow::cli {
namespace {

using nlohmann::json;

int audit_list(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--action", "--case", "--after", "--limit"}));
    const std::string action = o.get("--action").value_or("");
    const std::string case_id = o.get("--case").value_or("");
    const long after = o.number("--after", 0, 0, std::numeric_limits<long>::max());
    const long limit = o.number("--limit", 1000, 1, 1000000);
    auto s = open_store(o);
    // --action matches the whole action or a prefix ending in '.' ("platform." for every platform entry).
    store::Stmt q(s->db(),
                  "SELECT seq, at, user_id, post, acting_for, action, case_id, detail FROM audit WHERE seq > ?1 "
                  "AND (?2 = '' OR action = ?2 OR (substr(?2, -1) = '.' AND substr(action, 1, length(?2)) = ?2)) "
                  "AND (?3 = '' OR case_id = ?3) ORDER BY seq LIMIT ?4");
    q.bind(1, std::int64_t(after)).bind(2, action).bind(3, case_id).bind(4, std::int64_t(limit));
    int n = 0;
    while (q.step()) {
        ++n;
        json detail = json::parse(q.text(7), nullptr, false);
        if (detail.is_discarded()) detail = q.text(7);  // not JSON (an edited entry): shown as text
        std::cout << json{{"seq", q.int64(0)},
                          {"at", q.text(1)},
                          {"user", q.text(2)},
                          {"post", q.text(3)},
                          {"acting_for", q.text(4)},
                          {"action", q.text(5)},
                          {"case_id", q.text(6)},
                          {"detail", detail}}
                         .dump()
                  << "\n";
    }
    return n ? kOk : kNo;
}

int audit_export(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"-o", "--from", "--to"}), {"--json", "--csv"});
    if (o.has("--json") && o.has("--csv")) throw UsageError{tr("give --json or --csv, not both")};
    const auto out = o.get("-o");
    if (!out) throw UsageError{tr("-o FILE is required (the export is written to a file, 0600)")};
    // The form: --csv, --json, else from the file's name (.csv), else JSON.
    const bool csv = o.has("--csv") || (!o.has("--json") && std::filesystem::path(*out).extension() == ".csv");
    auto s = open_store(o);
    const auto r = store::export_audit(*s, *out, csv ? store::AuditExportFormat::csv : store::AuditExportFormat::json,
                                       o.get("--from").value_or(""), o.get("--to").value_or(""));
    std::cout << "exported " << r.entries << " entries to " << *out << (csv ? " (CSV)" : " (JSON)") << "\n";
    if (!r.verdict.intact)
        std::cerr << "onewindow-cli: "
                  << (r.verdict.first_bad ? subst(tr("warning: the audit trail does not verify (first bad entry %1): %2"),
                                                  std::to_string(*r.verdict.first_bad), tr(r.verdict.reason.c_str()))
                                          : subst(tr("warning: the audit trail does not verify: %1"), tr(r.verdict.reason.c_str())))
                  << "\n";
    return kOk;
}

}  // namespace

void register_audit_commands() {
    commands().push_back({"audit", "list", "--store DIR --password-file F [--action A|PREFIX.] [--case ID] [--after SEQ] [--limit N]",
                          TR_N_("the audit trail's entries, oldest first (JSON lines; exit 1 when none match)"),
                          run_guarded<audit_list>});
    commands().push_back({"audit", "export", "--store DIR --password-file F -o FILE [--from DATE|TIME] [--to DATE|TIME] [--json|--csv]",
                          TR_N_("write the audit trail's entries (a range by time; with their hashes) to a file, JSON or CSV (.csv or --csv); "
                          "administrators; audited \"audit.exported\"; warns when the trail does not verify"),
                          run_guarded<audit_export>});
}

}  // namespace ow::cli
