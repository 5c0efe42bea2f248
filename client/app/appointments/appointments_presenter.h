// The day's appointments (预约) at the window — a view model over store::Appointments and the
// workflow's check_in / mark_no_show, for the 预约 page (Ctrl+0). The sync pass pulls the centre's
// appointments from the platform; here the clerk sees today's by slot and, when an applicant comes,
// checks them in: the intake starts for the booked item (applicant prefilled when the platform sent
// the whole ID number) with the green-channel flags the clerk ticks (老年人, 残疾人, 重点项目), and
// the desk goes on in the intake screen. After a slot has ended, a booked appointment may be marked
// a no-show. Both are reported to the platform at the next sync. Free of wx (ow_desk_logic).
#pragma once

#include "shell/desk_services.h"

#include "ow/core/case.h"

#include <string>
#include <vector>

namespace ow::app {

struct AppointmentRow {
    std::string id;
    std::string slot;            ///< "09:00–09:30"
    std::string applicant_name;
    std::string doc_number;      ///< masked for the screen (as the case list masks it)
    std::string phone;           ///< masked
    std::string item_name;       ///< the catalogue's name (the appointment's when unknown)
    std::string status;          ///< booked | arrived | no_show | cancelled
    std::string case_id;         ///< arrived: the intake started for it
    std::string receipt_no;      ///< arrived: the case's receipt number, when it has one
    bool checkable = false;      ///< booked: may be checked in now
};

struct AppointmentOutcome {
    std::string code;     ///< empty: done. Else "workflow.*" (the workflow's refusals),
                          ///< "appointment.unknown", "appointment.invalid", "appointment.failed"
    std::string message;  ///< English, for the log
    std::string case_id;  ///< check-in: the new intake
    std::vector<std::string> notes;  ///< check-in: what the act did besides (e.g. the applicant set)
    bool ok() const { return code.empty(); }
};

class AppointmentsPresenter {
public:
    /// `services` signed in; outlives the presenter.
    explicit AppointmentsPresenter(DeskServices& services) : services_(services) {}

    /// Reads today's appointments (China date) again. Store errors propagate.
    void refresh();
    const std::vector<AppointmentRow>& rows() const { return rows_; }
    /// Counts for the page's title: booked (still to come), arrived.
    int booked() const;
    int arrived() const;

    /// Checks in row `id`'s applicant with `green` flags: the intake starts (a draft case).
    /// Reads the rows again when it was done.
    AppointmentOutcome check_in(const std::string& id, const std::vector<core::GreenFlag>& green);
    /// Marks a booked appointment whose slot is over a no-show. Reads the rows again when done.
    AppointmentOutcome mark_no_show(const std::string& id);

private:
    template <class F>
    AppointmentOutcome guarded(F&& f);

    DeskServices& services_;
    std::vector<AppointmentRow> rows_;
};

}  // namespace ow::app
