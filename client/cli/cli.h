// onewindow-cli: the capabilities of the desk from a terminal, for scripts, tests and benchmarks.
// Exit codes (a contract): 0 = yes / ok, 1 = no / invalid input, 2 = usage or other error.
// Machine output goes to stdout, the same in every language; messages to stderr and --help in the
// language of the environment (zh_CN, zh_TW, else English: i18n.h), the English unchanged.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace ow::cli {

enum Exit : int { kOk = 0, kNo = 1, kUsage = 2, kDelegate = -1 /* a light module to the launcher only */ };

/// Thrown by a light module's handler, before it has done anything, for what only the full module
/// can do (e.g. a stamp placed by anchor text needs Poppler): the launcher runs the full module.
struct Delegate {};

/// Thrown by handlers for a usage error (exit 2, the message and the group's usage on stderr).
struct UsageError {
    std::string message;
};

struct Command {
    std::string group;     // e.g. "calendar"
    std::string name;      // e.g. "add"; empty for a group that is one command
    std::string synopsis;  // arguments, e.g. "YYYY-MM-DD N"
    std::string summary;
    std::function<int(const std::vector<std::string>& args)> run;
    /// The summary's %1, %2 …: the Chinese terms in it (受理, 出件), kept out of the msgid, which is
    /// ASCII (the summary is a msgid: marked TR_N_, shown translated, see i18n.h).
    std::vector<std::string> summary_args = {};
};

/// Every command group registers itself here (see the register_* functions).
std::vector<Command>& commands();

/// A command module: a shared library the launcher (onewindow-cli) loads, which exports
/// `extern "C" int ow_cli_main(int argc, char** argv)`. The full module holds every command; a
/// light one holds a few with fewer libraries (quick to load) and returns kDelegate for the rest.
struct Module {
    bool light = false;
    void (*register_commands)() = nullptr;
};

/// Runs the command named by argv (argv[0] is the program) from the module's commands.
int run_commands(int argc, char** argv, const Module& module);

void register_validate_commands();
void register_calendar_commands();
void register_store_commands();
void register_queue_commands();
void register_notice_commands();
void register_plugins_commands();
void register_seal_commands();
void register_authz_commands();
void register_forms_commands();
void register_sync_commands();
void register_audit_commands();
void register_case_commands();
void register_user_commands();
void register_archive_commands();
void register_settings_commands();
void register_report_commands();
void register_enquiry_commands();

}  // namespace ow::cli
