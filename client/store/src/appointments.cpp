#include "ow/store/appointments.h"

#include "ow/core/error.h"
#include "ow/store/errors.h"

#include <cctype>

namespace ow::store {
namespace {

constexpr const char* kColumns =
    "id, applicant_name, doc_type, doc_number, doc_masked, phone, item_code, item_name, day, slot_start, slot_end, channel, "
    "status, case_id, status_at, report_state, report_id, updated_at";

Appointment read_row(Stmt& st) {
    Appointment a;
    a.id = st.text(0);
    a.applicant_name = st.text(1);
    a.doc_type = int(st.int64(2));
    a.doc_number = st.text(3);
    a.doc_masked = st.int64(4) != 0;
    a.phone = st.text(5);
    a.item_code = st.text(6);
    a.item_name = st.text(7);
    a.day = st.text(8);
    a.slot_start = st.text(9);
    a.slot_end = st.text(10);
    a.channel = st.text(11);
    a.status = st.text(12);
    a.case_id = st.text(13);
    a.status_at = st.text(14);
    a.report_state = st.text(15);
    a.report_id = st.text(16);
    a.updated_at = st.text(17);
    return a;
}

bool is_hhmm(const std::string& s) {
    return s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) && std::isdigit(static_cast<unsigned char>(s[1])) &&
           std::isdigit(static_cast<unsigned char>(s[3])) && std::isdigit(static_cast<unsigned char>(s[4])) && s.substr(0, 2) < "24" &&
           s.substr(3, 2) < "60";
}

}  // namespace

void Appointments::upsert_from_platform(const Appointment& a, core::Instant at) {
    if (a.id.empty() || a.id.size() > 64) throw core::InvalidData("an appointment needs an id of 1-64 characters");
    if (!core::try_parse_date(a.day)) throw core::InvalidData("appointment " + a.id + ": the day is not a date (YYYY-MM-DD)");
    if (!is_hhmm(a.slot_start) || !is_hhmm(a.slot_end) || a.slot_end <= a.slot_start)
        throw core::InvalidData("appointment " + a.id + ": the slot is not HH:MM-HH:MM");
    if (a.status != "booked" && a.status != "cancelled")
        throw core::InvalidData("appointment " + a.id + ": the platform's status is booked or cancelled, not '" + a.status + "'");
    if (a.applicant_name.empty() || a.item_code.empty()) throw core::InvalidData("appointment " + a.id + ": applicant name and item are required");
    const std::string now = core::format_instant(at);
    db_.cached("INSERT INTO appointments(id, applicant_name, doc_type, doc_number, doc_masked, phone, item_code, item_name, day, "
               "slot_start, slot_end, channel, status, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
               "ON CONFLICT(id) DO UPDATE SET applicant_name = excluded.applicant_name, doc_type = excluded.doc_type, "
               "doc_number = excluded.doc_number, doc_masked = excluded.doc_masked, phone = excluded.phone, "
               "item_code = excluded.item_code, item_name = excluded.item_name, day = excluded.day, slot_start = excluded.slot_start, "
               "slot_end = excluded.slot_end, channel = excluded.channel, "
               "status = CASE WHEN appointments.status IN ('booked', 'cancelled') THEN excluded.status ELSE appointments.status END, "
               "updated_at = excluded.updated_at")
        .bind(1, a.id).bind(2, a.applicant_name).bind(3, std::int64_t(a.doc_type)).bind(4, a.doc_number)
        .bind(5, std::int64_t(a.doc_masked ? 1 : 0)).bind(6, a.phone).bind(7, a.item_code).bind(8, a.item_name).bind(9, a.day)
        .bind(10, a.slot_start).bind(11, a.slot_end).bind(12, a.channel).bind(13, a.status).bind(14, now)
        .run();
}

std::optional<Appointment> Appointments::get(const std::string& id) {
    Stmt st(db_, std::string("SELECT ") + kColumns + " FROM appointments WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_row(st);
}

std::optional<Appointment> Appointments::for_case(const std::string& case_id) {
    if (case_id.empty()) return std::nullopt;
    Stmt st(db_, std::string("SELECT ") + kColumns + " FROM appointments WHERE case_id = ? ORDER BY id LIMIT 1");
    st.bind(1, case_id);
    if (!st.step()) return std::nullopt;
    return read_row(st);
}

std::vector<Appointment> Appointments::for_day(core::Date day, int limit, int offset) {
    Stmt st(db_, std::string("SELECT ") + kColumns + " FROM appointments WHERE day = ? ORDER BY slot_start, id LIMIT ? OFFSET ?");
    st.bind(1, core::format_date(day)).bind(2, std::int64_t(limit)).bind(3, std::int64_t(offset));
    std::vector<Appointment> out;
    while (st.step()) out.push_back(read_row(st));
    return out;
}

void Appointments::record_outcome(const std::string& id, const std::string& status, const std::string& case_id,
                                  const std::string& report_id, core::Instant at) {
    if (status != "arrived" && status != "no_show") throw core::InvalidData("an appointment's outcome is arrived or no_show");
    if (!get(id)) throw core::InvalidData("no appointment '" + id + "' (sync pulls them from the platform)");
    db_.cached("UPDATE appointments SET status = ?2, case_id = ?3, status_at = ?4, report_state = 'pending', report_id = ?5, "
               "updated_at = ?4 WHERE id = ?1 AND status = 'booked'")
        .bind(1, id).bind(2, status).bind(3, case_id).bind(4, core::format_instant(at)).bind(5, report_id)
        .run();
    if (db_.changes() != 1) throw StoreError("store.conflict", "appointment " + id + " is not booked any more");
}

std::vector<Appointment> Appointments::pending_reports(int limit) {
    Stmt st(db_, std::string("SELECT ") + kColumns + " FROM appointments WHERE report_state = 'pending' ORDER BY status_at, id LIMIT ?");
    st.bind(1, std::int64_t(limit));
    std::vector<Appointment> out;
    while (st.step()) out.push_back(read_row(st));
    return out;
}

void Appointments::reports_sent(const std::vector<std::string>& ids) {
    Transaction tx(db_);
    for (const auto& id : ids) db_.cached("UPDATE appointments SET report_state = 'sent' WHERE id = ? AND report_state = 'pending'").bind(1, id).run();
    tx.commit();
}

}  // namespace ow::store
