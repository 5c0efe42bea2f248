// Appointments (预约) as the platform sends them, and what happened to them at this window.
//
// The sync engine pulls a centre's appointments (docs/platform-api.md, "Appointments") into the
// appointments table (schema migration 9); the clerk checks an arriving applicant in (the workflow
// starts the intake and marks the appointment arrived) or marks a no-show after the slot; each of
// those is queued as a report for the platform (report_state 'pending') and sent at the next sync.
// The queue `appointments` (queues.h) lists a day's appointments by slot.
#pragma once

#include "ow/core/date.h"
#include "ow/store/db.h"

#include <optional>
#include <string>
#include <vector>

namespace ow::store {

struct Appointment {
    std::string id;              // the platform's appointment id
    std::string applicant_name;
    int doc_type = 111;          // GA/T 2000.156 证件类型
    std::string doc_number;      // as the platform sent it: whole, or masked (e.g. 3701**********002X)
    bool doc_masked = false;     // the number is masked: the ID card is read at check-in
    std::string phone;
    std::string item_code;
    std::string item_name;
    std::string day;             // YYYY-MM-DD (China date)
    std::string slot_start;      // HH:MM
    std::string slot_end;        // HH:MM
    std::string channel;         // how it was booked: the interface's 办理形式 code (2 电脑端, 3 移动端 …)
    std::string status = "booked";  // booked | cancelled (by the platform) | arrived | no_show (here)
    std::string case_id;         // the intake started at check-in
    std::string status_at;       // RFC 3339 UTC: when arrived / no_show was recorded
    std::string report_state = "none";  // none | pending (to send) | sent
    std::string report_id;       // the report's id (UUIDv7; the platform dedups by it)
    std::string updated_at;
};

/// The appointments table over one connection. Writes run in the caller's transaction, if any.
class Appointments {
public:
    explicit Appointments(Db& db) : db_(db) {}

    /// Stores an appointment from the platform, or updates a known one. A local outcome (arrived,
    /// no_show) is never overwritten; the platform may cancel an appointment still booked here.
    /// core::InvalidData for a malformed one (empty id, bad day or slot, unknown status).
    void upsert_from_platform(const Appointment& a, core::Instant at);
    std::optional<Appointment> get(const std::string& id);
    /// The appointment whose check-in started this case, if any.
    std::optional<Appointment> for_case(const std::string& case_id);
    /// A day's appointments by slot (then id): at most `limit` after `offset`.
    std::vector<Appointment> for_day(core::Date day, int limit = 1000, int offset = 0);
    /// Records an outcome (arrived with the case started for it, or no_show) of a booked
    /// appointment and queues its report (`report_id`). core::InvalidData for an unknown one or
    /// another status; StoreError("store.conflict") when it is not booked any more.
    void record_outcome(const std::string& id, const std::string& status, const std::string& case_id,
                        const std::string& report_id, core::Instant at);
    /// Reports still to send, oldest first.
    std::vector<Appointment> pending_reports(int limit = 500);
    /// The platform took these reports (accepted or duplicate).
    void reports_sent(const std::vector<std::string>& ids);

private:
    Db& db_;
};

}  // namespace ow::store
