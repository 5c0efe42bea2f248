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
    // Up to 8 lines in one column of large type; more in two columns, a step smaller, so that
    // the whole summary fits without scrolling (the applicant has no keyboard).
    const bool two = lines.size() > 8;
    const int step = two ? 2 : 3;
    auto* grid = new wxFlexGridSizer(two ? 4 : 2, wxSize(two ? 16 : 24, two ? 8 : 12));
    grid->AddGrowableCol(1, 1);
    if (two) grid->AddGrowableCol(3, 1);
    const int width = GetClientSize().x;
    const int value_width = two ? width / 4 : width / 2 + width / 8;
    int i = 0;
    for (const auto& [label, value] : lines) {
        auto* l = new wxStaticText(panel_, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, 0,
                                   wxString::Format("applicant.label.%d", i));
        l->SetFont(big(step, false));
        l->SetForegroundColour(wxColour(0x55, 0x55, 0x55));
        auto* t = new wxStaticText(panel_, wxID_ANY, value, wxDefaultPosition, wxDefaultSize, 0,
                                   wxString::Format("applicant.value.%d", i));
        t->SetFont(big(step, true));
        t->Wrap(value_width);  // long values (addresses, material lists) wrap to their column
        grid->Add(l, 0, wxALIGN_TOP);
        grid->Add(t, 1, wxEXPAND);
        ++i;
    }
    body_->Add(grid, 1, wxEXPAND);
    panel_->Layout();
    if (!IsShown()) ShowWithoutActivating();
    // Once shown, the window has its real size (the window manager's): lay out again then.
    CallAfter([this] {
        panel_->Layout();
        Refresh();
    });
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
