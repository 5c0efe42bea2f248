// onewindow-platform-sim: the provincial platform for development, tests and clerk training.
// Exit status: 0 ok, 1 invalid input (bad flag values, unreadable database), 2 usage or other error.
#include "admin.h"
#include "util.h"
#include "ow/version.h"

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#ifndef OW_VERSION
#define OW_VERSION "0.0.0"
#endif

namespace {

constexpr const char* kUsage = R"(onewindow-platform-sim )" OW_VERSION R"( — the provincial platform for development, tests and training

usage:
  onewindow-platform-sim serve --db FILE [--listen HOST:PORT] [--tls-cert PEM --tls-key PEM]
        [--fail-rate F] [--reset-rate F] [--truncate-rate F] [--malformed-rate F]
        [--malformed-kinds json,types,enum,huge] [--latency-ms N] [--drip-bps N]
        [--clock-skew-s N] [--cut-uploads-at F] [--decide-after-s N] [--seed N]
        [--port-file FILE] [--threads N] [--tsa on|off|failing] [--quiet]
        [--client-certs required|optional|off] [--client-cert-valid-s N]
  onewindow-platform-sim enroll --db FILE --terminal NAME [--centre C] [--terminal-code T03]
        [--algorithm hmac-sha256|hmac-sm3]
  onewindow-platform-sim enrol-code --db FILE [--centre C] [--algorithm A] [--valid-hours N]
  onewindow-platform-sim revoke --db FILE --terminal ID
  onewindow-platform-sim revoke-cert --db FILE --terminal ID
  onewindow-platform-sim terminal-ca --db FILE
  onewindow-platform-sim audit-alarms --db FILE
  onewindow-platform-sim forget --db FILE (--case ID | --newest N)
  onewindow-platform-sim stats --db FILE [--no-verify]
  onewindow-platform-sim blob-digests --db FILE
  onewindow-platform-sim make-certs --dir DIR [--host 127.0.0.1]
  onewindow-platform-sim tsa-certificate --db FILE
  onewindow-platform-sim catalogue-revise --db FILE [--item FILE | --bundle FILE]
  onewindow-platform-sim calendar-publish --db FILE --file CALENDAR.json
  onewindow-platform-sim appointment-add --db FILE --name NAME --id-number N [--mask] [--phone P]
        --item CODE --date YYYY-MM-DD --slot HH:MM-HH:MM [--channel 1|2|3|9] [--centre C]
  onewindow-platform-sim appointments --db FILE [--centre C]
  onewindow-platform-sim application-add --db FILE --name NAME --id-number N --item CODE [--phone P]
        [--address A] [--channel 2|3] [--answers JSON] [--uploads CODE=FILE[,CODE=FILE...]] [--centre C]
  onewindow-platform-sim application-withdraw --db FILE --id APPLICATION
  onewindow-platform-sim applications --db FILE [--centre C]
  onewindow-platform-sim region-decide --db FILE --case ID [--deny] [--opinion TEXT]
  onewindow-platform-sim regulator-check --db FILE --case ID --commitment N [--breach] [--finding TEXT]
        [--regulator NAME]
  onewindow-platform-sim --version | --help

exit status: 0 ok, 1 invalid input, 2 usage or other error
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace ow::sim;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string cmd = args[0];
    args.erase(args.begin());
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (cmd == "--version") {
        std::cout << "onewindow-platform-sim " OW_VERSION_TEXT "\n";
        return 0;
    }
    try {
        if (cmd == "serve") return cmd_serve(args);
        if (cmd == "enroll") return cmd_enroll(args);
        if (cmd == "enrol-code") return cmd_enrol_code(args);
        if (cmd == "revoke") return cmd_revoke(args);
        if (cmd == "revoke-cert") return cmd_revoke_cert(args);
        if (cmd == "terminal-ca") return cmd_terminal_ca(args);
        if (cmd == "audit-alarms") return cmd_audit_alarms(args);
        if (cmd == "forget") return cmd_forget(args);
        if (cmd == "stats") return cmd_stats(args);
        if (cmd == "blob-digests") return cmd_blob_digests(args);
        if (cmd == "make-certs") return cmd_make_certs(args);
        if (cmd == "tsa-certificate") return cmd_tsa_certificate(args);
        if (cmd == "catalogue-revise") return cmd_catalogue_revise(args);
        if (cmd == "calendar-publish") return cmd_calendar_publish(args);
        if (cmd == "appointment-add") return cmd_appointment_add(args);
        if (cmd == "appointments") return cmd_appointments(args);
        if (cmd == "application-add") return cmd_application_add(args);
        if (cmd == "application-withdraw") return cmd_application_withdraw(args);
        if (cmd == "applications") return cmd_applications(args);
        if (cmd == "region-decide") return cmd_region_decide(args);
        if (cmd == "regulator-check") return cmd_regulator_check(args);
        std::cerr << "onewindow-platform-sim: unknown command " << cmd << "\n" << kUsage;
        return 2;
    } catch (const UsageError& e) {
        std::cerr << "onewindow-platform-sim: " << e.what() << "\n";
        return 2;
    } catch (const InputError& e) {
        std::cerr << "onewindow-platform-sim: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "onewindow-platform-sim: " << e.what() << "\n";
        return 2;
    }
}
