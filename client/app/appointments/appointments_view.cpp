#include "appointments/appointments_view.h"

#include "common/labels.h"
#include "common/remeasure.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/listctrl.h>
#include <wx/log.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace ow::app {
namespace {

wxString status_text(const std::string& s) {
    if (s == "booked") return _("Booked");
    if (s == "arrived") return _("Checked in");
    if (s == "no_show") return _("Did not come");
    if (s == "cancelled") return _("Cancelled");
    return u8(s);
}

}  // namespace

AppointmentsView::AppointmentsView(wxWindow* parent, DeskServices& services, std::function<void(const std::string&)> intake,
                                   std::function<void()> changed)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "appointments"),
      services_(services), intake_(std::move(intake)), changed_(std::move(changed)),
      presenter_(std::make_unique<AppointmentsPresenter>(services)) {
    auto* root = new wxBoxSizer(wxVERTICAL);
    title_ = new wxStaticText(this, wxID_ANY, _("Today's appointments"), wxDefaultPosition, wxDefaultSize, 0, "appointments.title");
    wxFont bold = title_->GetFont();
    bold.SetWeight(wxFONTWEIGHT_BOLD);
    title_->SetFont(bold);
    root->Add(title_, 0, wxALL, 6);
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator,
                           "appointments.list");
    list_->AppendColumn(_("Time"), wxLIST_FORMAT_LEFT, FromDIP(110));
    list_->AppendColumn(_("Applicant"), wxLIST_FORMAT_LEFT, FromDIP(110));
    list_->AppendColumn(_("ID number"), wxLIST_FORMAT_LEFT, FromDIP(170));
    list_->AppendColumn(_("Phone"), wxLIST_FORMAT_LEFT, FromDIP(110));
    list_->AppendColumn(_("Item"), wxLIST_FORMAT_LEFT, FromDIP(300));
    list_->AppendColumn(_("Status"), wxLIST_FORMAT_LEFT, FromDIP(90));
    list_->AppendColumn(_("Receipt number"), wxLIST_FORMAT_LEFT, FromDIP(230));
    root->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);

    auto* bar = new wxBoxSizer(wxHORIZONTAL);
    bar->Add(new wxStaticText(this, wxID_ANY, _("Green channel:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    elderly_ = new wxCheckBox(this, wxID_ANY, label(core::GreenFlag::elderly), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "appointments.green.elderly");
    disabled_ = new wxCheckBox(this, wxID_ANY, label(core::GreenFlag::disabled), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                               "appointments.green.disabled");
    key_project_ = new wxCheckBox(this, wxID_ANY, label(core::GreenFlag::key_project), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                                  "appointments.green.key_project");
    for (auto* c : {elderly_, disabled_, key_project_}) bar->Add(c, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 10);
    bar->AddStretchSpacer();
    check_in_ = new wxButton(this, wxID_ANY, _("Check in and start the intake (Enter)"), wxDefaultPosition, wxDefaultSize, 0,
                             wxDefaultValidator, "appointments.check_in");
    no_show_ = new wxButton(this, wxID_ANY, _("Did not come"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                            "appointments.no_show");
    bar->Add(check_in_, 0, wxRIGHT, 6);
    bar->Add(no_show_, 0);
    root->Add(bar, 0, wxEXPAND | wxALL, 6);
    message_ = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "appointments.message");
    root->Add(message_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    SetSizer(root);

    check_in_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { check_in(); });
    no_show_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { mark_no_show(); });
    // Enter on a row (or a double click) is the list's item activation: check in.
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) { check_in(); });
    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent&) {
        const long i = selected();
        const bool booked = i >= 0 && presenter_->rows()[std::size_t(i)].checkable;
        check_in_->Enable(booked);
        no_show_->Enable(booked);
    });
}

AppointmentsView::~AppointmentsView() = default;

void AppointmentsView::show() {
    fill();
    list_->SetFocus();
}

void AppointmentsView::fill() {
    const std::string keep = selected() >= 0 ? presenter_->rows()[std::size_t(selected())].id : std::string();
    try {
        presenter_->refresh();
    } catch (const std::exception& e) {
        wxLogError("appointments: %s", e.what());
        say(_("The appointments could not be read. Try again or ask the administrator."), true);
    }
    list_->DeleteAllItems();
    long select = -1;
    const auto& rows = presenter_->rows();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const long at = list_->InsertItem(long(i), u8(r.slot));
        list_->SetItem(at, 1, u8(r.applicant_name));
        list_->SetItem(at, 2, u8(r.doc_number));
        list_->SetItem(at, 3, u8(r.phone));
        list_->SetItem(at, 4, u8(r.item_name));
        list_->SetItem(at, 5, status_text(r.status));
        list_->SetItem(at, 6, u8(r.receipt_no));
        if (!r.checkable) list_->SetItemTextColour(at, wxColour(0x70, 0x70, 0x70));
        if (r.id == keep || (keep.empty() && select < 0 && r.checkable)) select = at;
    }
    if (select >= 0) {
        list_->SetItemState(select, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
        list_->EnsureVisible(select);
    }
    const bool booked = select >= 0 && rows[std::size_t(select)].checkable;
    check_in_->Enable(booked);
    no_show_->Enable(booked);
    title_->SetLabel(wxString::Format(_("Today's appointments: %d to come, %d checked in"), presenter_->booked(), presenter_->arrived()));
    if (rows.empty()) say(_("No appointments today (they come from the platform at each sync)."), false);
    Layout();
}

long AppointmentsView::selected() const { return list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED); }

void AppointmentsView::check_in() {
    const long i = selected();
    if (i < 0 || std::size_t(i) >= presenter_->rows().size()) return;
    const auto row = presenter_->rows()[std::size_t(i)];
    if (!row.checkable) {
        say(_("Only a booked appointment can be checked in."), true);
        return;
    }
    std::vector<core::GreenFlag> green;
    if (elderly_->GetValue()) green.push_back(core::GreenFlag::elderly);
    if (disabled_->GetValue()) green.push_back(core::GreenFlag::disabled);
    if (key_project_->GetValue()) green.push_back(core::GreenFlag::key_project);
    const auto o = presenter_->check_in(row.id, green);
    if (!o.ok()) {
        wxLogMessage("appointment check-in: %s (%s)", u8(o.message), u8(o.code));
        say(o.code == "appointment.changed" ? _("The appointment changed meanwhile: the list was read again.") : outcome_text(o.code), true);
        fill();
        return;
    }
    for (auto* c : {elderly_, disabled_, key_project_}) c->SetValue(false);
    fill();
    say(wxString::Format(_("%s checked in: the intake is started."), u8(row.applicant_name)), false);
    changed_();
    if (intake_) intake_(o.case_id);
}

void AppointmentsView::mark_no_show() {
    const long i = selected();
    if (i < 0 || std::size_t(i) >= presenter_->rows().size()) return;
    const auto row = presenter_->rows()[std::size_t(i)];
    const auto o = presenter_->mark_no_show(row.id);
    if (!o.ok()) {
        wxLogMessage("appointment no-show: %s (%s)", u8(o.message), u8(o.code));
        say(o.code == "workflow.appointment_slot_not_over" ? _("The slot is not over yet.") : outcome_text(o.code), true);
        return;
    }
    fill();
    say(wxString::Format(_("%s marked as not come."), u8(row.applicant_name)), false);
    changed_();
}

void AppointmentsView::locked() {
    presenter_ = std::make_unique<AppointmentsPresenter>(services_);  // nothing of the store kept
    list_->DeleteAllItems();
}

void AppointmentsView::signed_in() { fill(); }

void AppointmentsView::fonts_changed() {
    remeasure_labels(this, [this](wxStaticText* t) { return t == title_ || t == message_; });
    Layout();
}

void AppointmentsView::say(const wxString& text, bool error) {
    message_->SetForegroundColour(error ? wxColour(0xb0, 0x1c, 0x1c) : wxColour(0x1c, 0x6c, 0x2c));
    message_->SetLabel(text);
    Layout();
}

}  // namespace ow::app
