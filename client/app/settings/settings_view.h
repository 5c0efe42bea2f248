// The desk's settings screen (设置, F10): a page of the desk listing every setting of the registry
// by group — platform, lock and window, printing, display, devices, working hours, calendar — as a
// thin view over SettingsPresenter. A value is stored when Enter is pressed in its field, the
// field is left, or a choice / check box changes; a refused value shows the reason beside the
// field in the desk's language and nothing is stored. Settings the user may not change are shown
// read-only. Each device has a test button (the plugin's probe, on a worker); the calendar lists
// the official years and imports a calendar file. The enrolment block (接入平台, administrators, or
// anyone on a store without one) redeems a one-time code at the platform on a worker and says
// the outcome in the desk's language; others see it read only with the reason.
//
// Widget names (tests): settings.<key> (the field: wxTextCtrl, wxChoice or wxCheckBox; PEM keys a
// wxStaticText with settings.<key>.choose and settings.<key>.clear buttons), settings.<key>.error,
// settings.<key>.test and settings.<key>.result (devices), settings.calendar.years,
// settings.calendar.import, settings.calendar.result; the enrolment block settings.enrol.url,
// settings.enrol.name, settings.enrol.code (masked), settings.enrol.button, settings.enrol.result.
#pragma once

#include "common/progress.h"
#include "settings/settings_presenter.h"
#include "shell/desk_services.h"

#include <wx/scrolwin.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

class wxButton;
class wxStaticText;
class wxTextCtrl;
class wxWindow;

namespace ow::app {

class SettingsView : public wxScrolledWindow {
public:
    /// `changed` is called with the key after a value was stored (the main frame applies the
    /// language, the font, the idle lock and the window label), and with "platform.enrol" after
    /// the terminal was enrolled.
    SettingsView(wxWindow* parent, DeskServices& services, TaskRunner& tasks, std::function<void(const std::string&)> changed);
    ~SettingsView() override;

    /// Reads every value again and shows it (errors cleared).
    void reload();
    /// Stores what a field holds now (Enter, leaving it, the tests); false when refused.
    bool apply(const std::string& key);
    SettingsPresenter& presenter() { return *presenter_; }
    void fonts_changed();

private:
    void build();
    void show_row(const std::string& key);
    void show_error(const std::string& key, const std::string& code);
    void test_device(const std::string& key);
    void import_calendar();
    void show_years();
    void build_enrolment(wxSizer* column);
    void show_enrolment_form();
    void enrol();
    void enrolled(const EnrolOutcome& outcome);

    DeskServices& services_;
    TaskRunner& tasks_;
    std::function<void(const std::string&)> changed_;
    std::unique_ptr<SettingsPresenter> presenter_;
    std::map<std::string, wxWindow*> fields_;
    std::map<std::string, wxStaticText*> errors_;
    std::map<std::string, wxStaticText*> results_;
    wxStaticText* years_ = nullptr;
    wxStaticText* calendar_result_ = nullptr;
    struct Enrolment {
        wxTextCtrl *url = nullptr, *name = nullptr, *code = nullptr;
        wxButton* button = nullptr;
        wxStaticText* result = nullptr;
        bool running = false;
    } enrol_;
    bool showing_ = false;  // filling the fields: their events store nothing
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // false once destroyed (for the device tests' answers)
};

}  // namespace ow::app
