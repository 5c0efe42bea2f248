// The command line of onewindow-platform-sim: option parsing and the admin commands (enroll,
// enrol-code, revoke, forget, stats, blob-digests, make-certs, tsa-certificate, catalogue-revise).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace ow::sim {

/// A usage error (exit 2).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Args {
    std::map<std::string, std::string> values;
    std::set<std::string> flags;
    /// Parses `--name VALUE` options (`with_value`) and `--flag`s; anything else is a UsageError.
    static Args parse(const std::vector<std::string>& argv, const std::set<std::string>& with_value,
                      const std::set<std::string>& flag_names = {});
    std::optional<std::string> get(const std::string& name) const;
    std::string need(const std::string& name) const;
    bool has(const std::string& flag) const { return flags.count(flag) != 0; }
};

int cmd_serve(const std::vector<std::string>& argv);
int cmd_enroll(const std::vector<std::string>& argv);
int cmd_enrol_code(const std::vector<std::string>& argv);
int cmd_revoke(const std::vector<std::string>& argv);
/// revoke-cert --db FILE --terminal ID: revokes the terminal's client certificates (mTLS); its
/// signed requests over TLS are then refused (403 auth.client_cert_revoked) until it enrols again.
int cmd_revoke_cert(const std::vector<std::string>& argv);
/// terminal-ca --db FILE: the terminal CA's certificate (PEM) that signs client certificates.
int cmd_terminal_ca(const std::vector<std::string>& argv);
/// audit-alarms --db FILE: the rewritten audit trails the platform caught (JSON lines; exit 1 when none).
int cmd_audit_alarms(const std::vector<std::string>& argv);
int cmd_forget(const std::vector<std::string>& argv);
/// application-add / application-withdraw / applications: the online side (网上申报, issue 21).
int cmd_application_add(const std::vector<std::string>& argv);
int cmd_application_withdraw(const std::vector<std::string>& argv);
int cmd_applications(const std::vector<std::string>& argv);
int cmd_stats(const std::vector<std::string>& argv);
int cmd_blob_digests(const std::vector<std::string>& argv);
int cmd_make_certs(const std::vector<std::string>& argv);
int cmd_tsa_certificate(const std::vector<std::string>& argv);
int cmd_catalogue_revise(const std::vector<std::string>& argv);
/// calendar-publish --db FILE --file CALENDAR.json: publishes (adds or replaces) a working-day
/// calendar year; terminals download it at their next calendar refresh.
int cmd_calendar_publish(const std::vector<std::string>& argv);
/// `appointment-add`: books an appointment (预约) for a centre; prints it as the feed shows it.
int cmd_appointment_add(const std::vector<std::string>& argv);
/// `appointments`: every appointment with its status and the report a terminal sent (JSON lines).
int cmd_appointments(const std::vector<std::string>& argv);
/// `region-decide`: the other region decides a 通办 case now (instead of after --decide-after-s).
int cmd_region_decide(const std::vector<std::string>& argv);
int cmd_regulator_check(const std::vector<std::string>& argv);

}  // namespace ow::sim
