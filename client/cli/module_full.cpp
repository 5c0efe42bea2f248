// The full command module (onewindow-cli-full): every command group.
#include "cli.h"

namespace {

void register_all() {
    using namespace ow::cli;
    register_validate_commands();
    register_calendar_commands();
    register_store_commands();
    register_queue_commands();
    register_case_commands();
    register_user_commands();
    register_notice_commands();
    register_plugins_commands();
    register_seal_commands();
    register_forms_commands();
    register_sync_commands();
    register_audit_commands();
    register_archive_commands();
    register_settings_commands();
    register_report_commands();
    register_enquiry_commands();
    register_authz_commands();
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int ow_cli_main(int argc, char** argv) {
    return ow::cli::run_commands(argc, argv, {false, register_all});
}
