// The 预约 page (Ctrl+0): today's appointments by slot — slot, applicant (ID number and phone
// masked), item, status — with the green-channel flags to tick (老年人, 残疾人, 重点项目) and two acts:
// 到号办理 (Enter on a booked row) checks the applicant in and goes on in the intake screen with the
// new case; 未到 (Ctrl+Shift+N … the button) marks a booked appointment whose slot is over a
// no-show. A thin view over AppointmentsPresenter.
//
// Widget names (tests): appointments.title, appointments.list, appointments.green.elderly,
// appointments.green.disabled, appointments.green.key_project, appointments.check_in,
// appointments.no_show, appointments.message.
#pragma once

#include "appointments/appointments_presenter.h"
#include "shell/desk_services.h"

#include <wx/panel.h>

#include <functional>
#include <memory>
#include <string>

class wxButton;
class wxCheckBox;
class wxListCtrl;
class wxStaticText;

namespace ow::app {

class AppointmentsView : public wxPanel {
public:
    /// `intake(case_id)` opens the intake screen with the case a check-in started; `changed()`
    /// tells the shell that the desk's state may have changed.
    AppointmentsView(wxWindow* parent, DeskServices& services, std::function<void(const std::string&)> intake,
                     std::function<void()> changed);
    ~AppointmentsView() override;

    /// Reads the day's appointments again and focuses the list (the first booked row selected).
    void show();
    /// Checks in the selected row's applicant (Enter, the button).
    void check_in();
    /// Marks the selected row a no-show (the button).
    void mark_no_show();
    void locked();
    void signed_in();
    void fonts_changed();
    AppointmentsPresenter* presenter() { return presenter_.get(); }

private:
    void fill();
    long selected() const;
    void say(const wxString& text, bool error);

    DeskServices& services_;
    std::function<void(const std::string&)> intake_;
    std::function<void()> changed_;
    std::unique_ptr<AppointmentsPresenter> presenter_;
    wxStaticText* title_ = nullptr;
    wxListCtrl* list_ = nullptr;
    wxCheckBox* elderly_ = nullptr;
    wxCheckBox* disabled_ = nullptr;
    wxCheckBox* key_project_ = nullptr;
    wxButton* check_in_ = nullptr;
    wxButton* no_show_ = nullptr;
    wxStaticText* message_ = nullptr;
};

}  // namespace ow::app
