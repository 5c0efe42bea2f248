#include "shell/applicant_screen.h"

#include <wx/display.h>
#include <wx/intl.h>
#include <wx/panel.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace ow::app {
namespace {

wxFont big(int steps, bool bold) {
    wxFont f = wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT);
    f.SetPointSize(f.GetPointSize() * steps / 2);
    if (bold) f.SetWeight(wxFONTWEIGHT_BOLD);
    return f;
}

}  // namespace

ApplicantScreen::ApplicantScreen(wxWindow* owner)
    : wxFrame(owner, wxID_ANY, _("For the applicant"), wxDefaultPosition, wxSize(900, 640),
              wxCAPTION | wxRESIZE_BORDER | wxFRAME_NO_TASKBAR | wxFRAME_FLOAT_ON_PARENT, "applicant.screen"),
      owner_(owner) {
    panel_ = new wxPanel(this);
    panel_->SetBackgroundColour(wxColour(0xfb, 0xf8, 0xf1));
    auto* v = new wxBoxSizer(wxVERTICAL);
    heading_ = new wxStaticText(panel_, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxALIGN_CENTRE_HORIZONTAL,
                                "applicant.heading");
    heading_->SetFont(big(5, true));
    heading_->SetForegroundColour(wxColour(0x8a, 0x1c, 0x1c));
    v->Add(heading_, 0, wxEXPAND | wxALL, 24);
    body_ = new wxBoxSizer(wxVERTICAL);
    v->Add(body_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 32);
    panel_->SetSizer(v);
}

void ApplicantScreen::show_summary(const wxString& heading, const std::vector<std::pair<wxString, wxString>>& lines) {
    lines_ = lines;
    heading_->SetLabel(heading);
    body_->Clear(true);
    auto* grid = new wxFlexGridSizer(2, wxSize(24, 12));
    grid->AddGrowableCol(1, 1);
    int i = 0;
    for (const auto& [label, value] : lines) {
        auto* l = new wxStaticText(panel_, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, 0,
                                   wxString::Format("applicant.label.%d", i));
        l->SetFont(big(3, false));
        l->SetForegroundColour(wxColour(0x55, 0x55, 0x55));
        auto* t = new wxStaticText(panel_, wxID_ANY, value, wxDefaultPosition, wxDefaultSize, 0,
                                   wxString::Format("applicant.value.%d", i));
        t->SetFont(big(3, true));
        grid->Add(l, 0, wxALIGN_TOP);
        grid->Add(t, 1, wxEXPAND);
        ++i;
    }
    body_->Add(grid, 1, wxEXPAND);
    panel_->Layout();
    // Wrap long values (addresses, material lists) to the window.
    const int width = GetClientSize().x / 2 + GetClientSize().x / 4;
    for (int k = 0; k < i; ++k)
        if (auto* t = wxDynamicCast(panel_->FindWindow(wxString::Format("applicant.value.%d", k)), wxStaticText)) t->Wrap(width);
    panel_->Layout();
    if (!IsShown()) ShowWithoutActivating();
}

void ApplicantScreen::show_welcome(const wxString& window_label) {
    show_summary(window_label.empty() ? _("Welcome") : wxString::Format(_("Welcome to %s"), window_label), {});
}

void ApplicantScreen::place() {
    const unsigned n = wxDisplay::GetCount();
    if (n > 1) {
        const int mine = owner_ ? wxDisplay::GetFromWindow(owner_) : 0;
        for (unsigned d = 0; d < n; ++d) {
            if (int(d) == mine) continue;
            SetSize(wxDisplay(d).GetClientArea());
            return;
        }
    }
    // One screen: beside the desk's window, as large as fits (the hall's PC mirrors it to a
    // customer-facing screen, or the clerk turns the monitor).
    wxRect area = wxDisplay(0u).GetClientArea();
    SetSize(wxRect(area.x + area.width / 3, area.y + area.height / 8, area.width * 2 / 3, area.height * 3 / 4));
}

}  // namespace ow::app
