#include "shell/applicant_screen.h"

#include "common/labels.h"
#include "common/progress.h"
#include "shell/desk_services.h"

#include "ow/workflow/session.h"

#include <algorithm>

#include <wx/button.h>
#include <wx/app.h>
#include <wx/display.h>
#include <wx/intl.h>
#include <wx/listbox.h>
#include <wx/log.h>
#include <wx/panel.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/timer.h>

namespace ow::app {
namespace {

wxFont big(int steps, bool bold) {
    wxFont f = wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT);
    f.SetPointSize(f.GetPointSize() * steps / 2);
    if (bold) f.SetWeight(wxFONTWEIGHT_BOLD);
    return f;
}

constexpr int kThanksMs = 5000;  // the thank-you page stays this long, then the welcome page

// The five levels' colours, best to worst (the buttons' faces, as the halls' rating devices have).
const wxColour kLevelColour[5] = {wxColour(0x1e, 0x7b, 0x3a), wxColour(0x4c, 0x9a, 0x2a), wxColour(0x8a, 0x8a, 0x2a),
                                  wxColour(0xc0, 0x6a, 0x10), wxColour(0xb0, 0x1c, 0x1c)};

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
    tasks_ = std::make_unique<TaskRunner>([](std::function<void()> f) { wxTheApp->CallAfter(std::move(f)); });
    back_timer_ = new wxTimer(this);
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { show_welcome(welcome_label_); }, back_timer_->GetId());
}

ApplicantScreen::~ApplicantScreen() {
    *alive_ = false;  // an outcome posted after this finds the window gone
    back_timer_->Stop();
    tasks_.reset();   // waits for a rating act still running (it commits or not on its own session)
    delete back_timer_;
}

void ApplicantScreen::show_summary(const wxString& heading, const std::vector<std::pair<wxString, wxString>>& lines) {
    back_timer_->Stop();
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

// ---- the rating ----

void ApplicantScreen::ask_rating(DeskServices& services, const std::string& case_id, RatingDone done, RatingWay way) {
    if (rating_ && committing_) {  // the previous rating is being saved: its outcome comes first
        if (done) done({RatingOutcome::Kind::invalid, "rating.busy", "the previous rating is still being saved"});
        return;
    }
    if (rating_) cancel_rating();
    auto presenter = std::make_unique<RatingPresenter>(services);
    const RatingOutcome started = presenter->start(case_id);
    if (!started.ok()) {
        if (done) done(started);
        return;
    }
    rating_ = std::move(presenter);
    rating_done_ = std::move(done);
    services_ = &services;
    welcome_label_ = u8(services.window_label());
    committing_ = false;
    reading_device_ = false;
    back_timer_->Stop();
    if (way == RatingWay::device) show_device();
    else show_levels();
    // The applicant clicks or touches this window: it takes the focus while it asks.
    if (!IsShown()) Show();
    Raise();
    SetFocus();
    if (way != RatingWay::device) return;

    plugins::PluginHost* host = nullptr;
    try {
        host = &services.plugins();
    } catch (const std::exception& e) {
        wxLogError("rating device: %s", u8(e.what()));
        show_levels();
        return;
    }
    auto read = std::make_shared<DeviceRating>();
    const RatingCase rc = rating_->rating_case();
    reading_device_ = true;
    const std::string plugin = services.device_plugin("devices.rating_device");  // the settings' choice; empty: the first
    tasks_->start([host, rc, read, plugin](Progress&) { *read = RatingPresenter::read_device(*host, rc, nullptr, plugin); },
                  [this, alive = alive_, read, id = rc.case_id](const Progress::Snapshot& snap) {
                      if (!*alive || !rating_ || rating_->rating_case().case_id != id) return;  // cancelled meanwhile
                      reading_device_ = false;
                      const RatingOutcome taken = snap.error.empty() ? rating_->take_device(*read)
                                                                     : RatingOutcome{RatingOutcome::Kind::device, "device.failed", snap.error};
                      if (taken.ok()) {
                          commit();
                          return;
                      }
                      // The device failed or gave an answer that cannot be used: the screen's buttons instead.
                      wxLogWarning("rating device: %s (%s)", u8(taken.message), u8(taken.code));
                      show_levels();
                  });
}

bool ApplicantScreen::asking_rating() const { return rating_ != nullptr; }

void ApplicantScreen::cancel_rating() {
    if (!rating_ || committing_) return;  // being saved: the act's outcome ends it
    rating_.reset();
    reading_device_ = false;
    RatingDone done = std::move(rating_done_);
    rating_done_ = nullptr;
    show_welcome(welcome_label_);
    give_focus_back();
    if (done) done({RatingOutcome::Kind::cancelled, "rating.cancelled", "the rating was not given"});
}

void ApplicantScreen::wait_tasks() { tasks_->wait_all(); }

void ApplicantScreen::clear_page(const wxString& heading) {
    back_timer_->Stop();
    lines_.clear();
    heading_->SetLabel(heading);
    body_->Clear(true);
    message_ = nullptr;
}

void ApplicantScreen::show_levels() {
    clear_page(_("Please rate our service"));
    const RatingCase& rc = rating_->rating_case();
    auto* what = new wxStaticText(panel_, wxID_ANY, u8(rc.item_name) + "  " + u8(rc.receipt_no), wxDefaultPosition, wxDefaultSize,
                                  wxALIGN_CENTRE_HORIZONTAL, "applicant.rate_case");
    what->SetFont(big(3, false));
    body_->Add(what, 0, wxEXPAND | wxBOTTOM, 24);
    // Five buttons of one width; the type shrinks until the longest label fits ("Basically
    // satisfied" in English is three times as wide as 基本满意).
    auto* row = new wxGridSizer(1, 5, 0, 0);
    const int height = std::max(120, GetClientSize().y / 4);
    const int width = std::max(80, (GetClientSize().x - 2 * 24 - 5 * 16) / 5 - 12);  // a button less its borders and padding
    wxFont face = big(4, true);
    for (bool fits = false; !fits && face.GetPointSize() > 9;) {
        fits = true;
        for (const RatingChoice& c : rating_choices())
            if (int w = 0, h = 0; GetTextExtent(wxGetTranslation(c.label), &w, &h, nullptr, nullptr, &face), w > width) fits = false;
        if (!fits) face.SetPointSize(face.GetPointSize() - 1);
    }
    int i = 0;
    for (const RatingChoice& c : rating_choices()) {
        auto* b = new wxButton(panel_, wxID_ANY, wxGetTranslation(c.label), wxDefaultPosition, wxSize(-1, height), 0, wxDefaultValidator,
                               wxString::Format("applicant.rate.%d", c.level));
        b->SetFont(face);
        b->SetMinSize(wxSize(1, height));
        b->SetForegroundColour(*wxWHITE);
        b->SetBackgroundColour(kLevelColour[i++]);
        const int level = c.level;
        b->Bind(wxEVT_BUTTON, [this, level](wxCommandEvent&) { chose(level); });
        row->Add(b, 1, wxEXPAND | wxALL, 8);
    }
    body_->Add(row, 0, wxEXPAND);
    message_ = new wxStaticText(panel_, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxALIGN_CENTRE_HORIZONTAL,
                                "applicant.rate_message");
    message_->SetFont(big(3, false));
    message_->SetForegroundColour(wxColour(0x8a, 0x1c, 0x1c));
    body_->Add(message_, 0, wxEXPAND | wxTOP, 24);
    panel_->Layout();
}

void ApplicantScreen::show_reasons() {
    clear_page(_("Please tell us what was wrong"));
    for (const RatingChoice& c : rating_choices()) {
        if (c.level != rating_->level()) continue;
        auto* chosen = new wxStaticText(panel_, wxID_ANY, wxString::Format(_("Your rating: %s"), wxGetTranslation(c.label)),
                                        wxDefaultPosition, wxDefaultSize, 0, "applicant.rate_chosen");
        chosen->SetFont(big(3, true));
        chosen->SetForegroundColour(kLevelColour[5 - c.level]);
        body_->Add(chosen, 0, wxBOTTOM, 12);
    }
    wxArrayString reasons;
    int selected = wxNOT_FOUND, n = 0;
    for (const RatingReason& r : rating_reasons()) {
        reasons.Add(wxGetTranslation(r.label));
        if (rating_->reason() == r.code) selected = n;
        ++n;
    }
    auto* list = new wxListBox(panel_, wxID_ANY, wxDefaultPosition, wxDefaultSize, reasons, wxLB_SINGLE, wxDefaultValidator,
                               "applicant.reason");
    list->SetFont(big(3, false));
    if (selected != wxNOT_FOUND) list->SetSelection(selected);
    list->Bind(wxEVT_LISTBOX, [this](wxCommandEvent& e) {
        const int k = e.GetSelection();
        if (rating_ && k >= 0 && k < int(rating_reasons().size())) rating_->set_reason(rating_reasons()[std::size_t(k)].code);
        say(wxString());
    });
    body_->Add(list, 0, wxEXPAND | wxBOTTOM, 12);
    auto* hint = new wxStaticText(panel_, wxID_ANY, _("What happened (optional):"));
    hint->SetFont(big(2, false));
    body_->Add(hint, 0, wxBOTTOM, 4);
    auto* text = new wxTextCtrl(panel_, wxID_ANY, u8(rating_->text()), wxDefaultPosition, wxSize(-1, 90), wxTE_MULTILINE,
                                wxDefaultValidator, "applicant.reason_text");
    text->SetFont(big(3, false));
    text->Bind(wxEVT_TEXT, [this, text](wxCommandEvent&) {
        if (rating_) rating_->set_text(text->GetValue().utf8_string());
    });
    body_->Add(text, 0, wxEXPAND | wxBOTTOM, 12);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* back = new wxButton(panel_, wxID_ANY, _("Back"), wxDefaultPosition, wxSize(-1, 72), 0, wxDefaultValidator, "applicant.rate_back");
    back->SetFont(big(3, false));
    back->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (rating_ && !committing_) show_levels();
    });
    auto* submit = new wxButton(panel_, wxID_ANY, _("Submit the rating"), wxDefaultPosition, wxSize(-1, 72), 0, wxDefaultValidator,
                                "applicant.rate_submit");
    submit->SetFont(big(3, true));
    submit->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { commit(); });
    buttons->Add(back, 1, wxRIGHT, 16);
    buttons->Add(submit, 2);
    body_->Add(buttons, 0, wxEXPAND);
    message_ = new wxStaticText(panel_, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "applicant.rate_message");
    message_->SetFont(big(3, false));
    message_->SetForegroundColour(wxColour(0x8a, 0x1c, 0x1c));
    body_->Add(message_, 0, wxEXPAND | wxTOP, 12);
    panel_->Layout();
}

void ApplicantScreen::show_device() {
    clear_page(_("Please rate our service"));
    auto* line = new wxStaticText(panel_, wxID_ANY, _("Please press one of the keys of the rating device in front of you."),
                                  wxDefaultPosition, wxDefaultSize, wxALIGN_CENTRE_HORIZONTAL, "applicant.rate_device");
    line->SetFont(big(3, false));
    body_->Add(line, 0, wxEXPAND);
    panel_->Layout();
}

void ApplicantScreen::show_end(const wxString& heading, const wxString& line) {
    clear_page(heading);
    auto* t = new wxStaticText(panel_, wxID_ANY, line, wxDefaultPosition, wxDefaultSize, wxALIGN_CENTRE_HORIZONTAL, "applicant.rate_end");
    t->SetFont(big(3, false));
    t->Wrap(GetClientSize().x * 3 / 4);
    body_->Add(t, 0, wxEXPAND);
    panel_->Layout();
    back_timer_->StartOnce(kThanksMs);
}

void ApplicantScreen::say(const wxString& text) {
    if (!message_) return;
    message_->SetLabel(text);
    panel_->Layout();
}

void ApplicantScreen::chose(int level) {
    if (!rating_ || committing_ || reading_device_) return;
    if (const auto o = rating_->choose(level); !o.ok()) {
        say(outcome_text(o.code));
        return;
    }
    if (rating_->needs_reason()) show_reasons();
    else commit();  // a good level needs nothing more
}

void ApplicantScreen::commit() {
    if (!rating_ || committing_) return;
    reading_device_ = false;
    if (const auto c = rating_->check(); !c.ok()) {
        say(c.code == "rating.reason_needed" ? _("Please choose a reason from the list.") : outcome_text(c.code));
        return;
    }
    std::shared_ptr<workflow::Session> session;
    try {
        session = services_->worker_session();
    } catch (const std::exception& e) {
        wxLogError("rating: %s", u8(e.what()));
        finish({RatingOutcome::Kind::refused, "rating.not_saved", e.what()});
        return;
    }
    committing_ = true;
    say(_("Saving..."));
    const std::string id = rating_->rating_case().case_id;
    const workflow::Rate cmd = rating_->command();
    auto out = std::make_shared<RatingOutcome>();
    tasks_->start([session, id, cmd, out](Progress&) { *out = RatingPresenter::run_rate(*session->workflow, id, cmd); },
                  [this, alive = alive_, out](const Progress::Snapshot& done) {
                      if (!*alive) return;  // the window went: the act stands or not, nothing to show
                      committing_ = false;
                      if (!done.error.empty()) {  // a store error: nothing was committed
                          wxLogError("rating: %s", u8(done.error));
                          *out = {RatingOutcome::Kind::refused, "rating.not_saved", done.error};
                      }
                      finish(*out);
                  });
}

void ApplicantScreen::finish(const RatingOutcome& outcome) {
    if (!rating_) return;  // cancelled while the act ran: done was told then
    if (outcome.ok()) {
        rating_->rated(outcome);
        if (services_ && services_->signed_in()) services_->wake_sync();
        show_end(_("Thank you for your rating"), outcome.follow_up
                                                     ? _("We are sorry. We will contact you about it and tell you what we did.")
                                                     : _("Your rating has been recorded."));
    } else {
        show_end(_("The rating could not be saved"), _("Please tell the clerk at the window."));
    }
    rating_.reset();
    RatingDone done = std::move(rating_done_);
    rating_done_ = nullptr;
    give_focus_back();
    if (done) done(outcome);
}

void ApplicantScreen::give_focus_back() {
    if (!owner_) return;
    owner_->Raise();
    owner_->SetFocus();
}

}  // namespace ow::app
