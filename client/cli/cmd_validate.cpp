// onewindow-cli validate id|uscc|phone|postcode VALUE
#include "cli.h"
#include "i18n.h"
#include "options.h"

#include "ow/core/validators.h"

#include <iostream>

namespace ow::cli {
namespace {

const std::string& one_arg(const std::vector<std::string>& args, const char* what) {
    if (args.size() != 1) throw UsageError{subst(tr("expected exactly one %1"), tr(what))};
    return args[0];
}

int report(bool ok, const std::string& normalized, const std::string& reason, const std::string& extra = {}) {
    if (ok) {
        std::cout << "valid " << normalized << extra << "\n";
        return kOk;
    }
    std::cout << "invalid: " << reason << "\n";
    return kNo;
}

/// The ID number from the one positional argument, or from `--file F|-` (so it need not appear in
/// argv or the shell history).
std::string id_number(const std::vector<std::string>& args) {
    if (args.size() == 2 && args[0] == "--file") return read_input_line(args[1], "ID number");
    if (args.size() == 1 && args[0].rfind("--file=", 0) == 0) return read_input_line(args[0].substr(7), "ID number");
    return one_arg(args, TR_N_("ID number (or --file F|-)"));
}

}  // namespace

void register_validate_commands() {
    commands().push_back({"validate", "id", "NUMBER | --file F|-",
                          TR_N_("check a resident ID number (GB 11643; 15-digit legacy numbers are reported as legacy)"),
                          [](const std::vector<std::string>& args) {
                              auto r = core::check_resident_id(id_number(args));
                              std::string extra;
                              if (r.valid) {
                                  extra = " birth=" + core::format_date(*r.birth) +
                                          " sex=" + (r.sex == core::Sex::male ? "male" : "female");
                                  if (r.legacy) extra += " legacy";
                              }
                              return report(r.valid, r.normalized, r.reason, extra);
                          }});
    commands().push_back({"validate", "uscc", "CODE",
                          TR_N_("check a unified social credit code (GB 32100); a wrong check character exits 1 and says "
                          "that a clerk may override it with a recorded reason"),
                          [](const std::vector<std::string>& args) {
                              auto r = core::check_uscc(one_arg(args, TR_N_("code")));
                              if (r.status == core::UsccStatus::bad_check_digit) {
                                  std::cout << "invalid: " << r.reason << " (expected check character "
                                            << r.expected_check << ")\n";
                                  return int(kNo);
                              }
                              return report(r.status == core::UsccStatus::valid, r.normalized, r.reason);
                          }});
    commands().push_back({"validate", "phone", "NUMBER", TR_N_("check a mainland mobile number"),
                          [](const std::vector<std::string>& args) {
                              auto r = core::check_mobile(one_arg(args, TR_N_("number")));
                              return report(r.valid, r.normalized, r.reason);
                          }});
    commands().push_back({"validate", "postcode", "CODE", TR_N_("check a postal code"),
                          [](const std::vector<std::string>& args) {
                              auto r = core::check_postal_code(one_arg(args, TR_N_("code")));
                              return report(r.valid, r.normalized, r.reason);
                          }});
}

}  // namespace ow::cli
