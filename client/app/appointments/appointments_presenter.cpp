#include "appointments/appointments_presenter.h"

#include "cases/cases_presenter.h"

#include "ow/store/appointments.h"
#include "ow/store/errors.h"
#include "ow/workflow/workflow.h"

#include <algorithm>

namespace ow::app {

void AppointmentsPresenter::refresh() {
    rows_.clear();
    auto& db = services_.store().db();
    store::Appointments appointments(db);
    const auto& catalogue = services_.catalogue();
    for (const auto& a : appointments.for_day(services_.today())) {
        AppointmentRow r;
        r.id = a.id;
        r.slot = a.slot_start + "\u2013" + a.slot_end;
        r.applicant_name = a.applicant_name;
        // A masked number stays as the platform masked it; a whole one is masked here.
        r.doc_number = a.doc_masked ? a.doc_number : mask_middle(a.doc_number, 4, 4);
        r.phone = a.phone.empty() ? std::string() : mask_middle(a.phone, 3, 4);
        const auto* item = catalogue.item(a.item_code);
        r.item_name = item ? item->name : a.item_name;
        r.status = a.status;
        r.case_id = a.case_id;
        if (!a.case_id.empty()) {
            store::Stmt st(db, "SELECT receipt_no FROM cases WHERE id = ?1");
            st.bind(1, a.case_id);
            if (st.step()) r.receipt_no = st.text(0);
        }
        r.checkable = a.status == "booked";
        rows_.push_back(std::move(r));
    }
}

int AppointmentsPresenter::booked() const {
    return int(std::count_if(rows_.begin(), rows_.end(), [](const AppointmentRow& r) { return r.status == "booked"; }));
}

int AppointmentsPresenter::arrived() const {
    return int(std::count_if(rows_.begin(), rows_.end(), [](const AppointmentRow& r) { return r.status == "arrived"; }));
}

template <class F>
AppointmentOutcome AppointmentsPresenter::guarded(F&& f) {
    AppointmentOutcome o;
    try {
        f(o);
    } catch (const workflow::Refused& e) {
        o.code = e.code();
        o.message = e.what();
    } catch (const workflow::InvalidInput& e) {
        o.code = "appointment.invalid";
        o.message = e.what();
    } catch (const store::StoreError& e) {
        o.code = e.code() == "store.conflict" ? "appointment.changed" : "appointment.failed";
        o.message = e.what();
    } catch (const std::exception& e) {
        o.code = "appointment.failed";
        o.message = e.what();
    }
    if (o.ok()) {
        try {
            refresh();
        } catch (const std::exception&) {  // the act is done; the list is read again at the next show
        }
    }
    return o;
}

AppointmentOutcome AppointmentsPresenter::check_in(const std::string& id, const std::vector<core::GreenFlag>& green) {
    return guarded([&](AppointmentOutcome& o) {
        workflow::CheckIn cmd;
        cmd.appointment_id = id;
        cmd.green = green;
        auto r = services_.workflow().check_in(cmd);
        o.case_id = r.case_data.id.to_string();
        o.notes = r.notes;
    });
}

AppointmentOutcome AppointmentsPresenter::mark_no_show(const std::string& id) {
    return guarded([&](AppointmentOutcome&) { services_.workflow().mark_no_show(id); });
}

}  // namespace ow::app
