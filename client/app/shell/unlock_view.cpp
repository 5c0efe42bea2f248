#include "shell/unlock_view.h"

#include "common/labels.h"
#include "settings/desk_settings.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/log.h>
#include <wx/utils.h>
#include <wx/msgdlg.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace ow::app {
namespace {

const wxColour kError(0xb0, 0x1c, 0x1c);

wxString role_label(core::Role r) {
    switch (r) {
        case core::Role::clerk: return _("Window clerk");
        case core::Role::chief: return _("Chief representative");
        case core::Role::admin: return _("Administrator");
        case core::Role::platform: return _("Platform");
    }
    return wxString();
}

/// The store's and the lock screen's error codes, for the clerk.
wxString error_text(const std::string& code) {
    if (code == "store.not_found") return _("There is no store in this folder.");
    if (code == "store.permission") return _("This account may not open the store. Ask the administrator.");
    if (code == "store.read_only") return _("The store is on read-only media or its files are read-only.");
    if (code == "store.corrupt" || code == "store.empty_file") return _("The store is damaged. Ask the administrator to restore it.");
    if (code == "store.busy") return _("Another program is using the store. Close it and try again.");
    if (code == "store.io" || code == "store.disk_full") return _("The disk could not be read or written. Ask the administrator.");
    if (code == "unlock.empty_passphrase") return _("Type your passphrase.");
    return _("The store could not be opened. Ask the administrator.");
}

/// Moves the control's text into guarded memory and clears the control.
void take_secret(wxTextCtrl* ctrl, store::SecretText& out) {
    out.clear();
    {
        wxString v = ctrl->GetValue();
        auto utf8 = v.utf8_str();
        out.append(std::string_view(utf8.data(), utf8.length()));
        // wx keeps its own copies briefly (wxString, the GTK entry buffer); overwrite ours.
        v.assign(v.length(), wxUniChar('*'));
    }
    ctrl->ChangeValue(wxString());
}

wxStaticText* error_label(wxWindow* parent, const char* name) {
    auto* t = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, name);
    t->SetForegroundColour(kError);
    return t;
}

}  // namespace

UnlockView::UnlockView(wxWindow* parent, DeskServices& services, std::function<void(bool)> on_signed_in)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "unlock"),
      services_(services), on_signed_in_(std::move(on_signed_in)), presenter_(services.config().store_dir) {
    auto* box = new wxBoxSizer(wxVERTICAL);
    auto* title = new wxStaticText(this, wxID_ANY, _("The desk is locked. Sign in to continue."));
    wxFont f = title->GetFont();
    f.SetPointSize(f.GetPointSize() + 4);
    title->SetFont(f);
    box->Add(title, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, 20);
    auto* grid = new wxFlexGridSizer(2, 10, 10);
    grid->AddGrowableCol(1);
    grid->Add(new wxStaticText(this, wxID_ANY, _("&User")), 0, wxALIGN_CENTER_VERTICAL);
    user_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxSize(FromDIP(280), -1), 0, nullptr, 0, wxDefaultValidator, "unlock.user");
    grid->Add(user_, 1, wxEXPAND);
    grid->Add(new wxStaticText(this, wxID_ANY, _("&Passphrase")), 0, wxALIGN_CENTER_VERTICAL);
    password_ = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(280), -1),
                               wxTE_PASSWORD | wxTE_PROCESS_ENTER, wxDefaultValidator, "unlock.password");
    grid->Add(password_, 1, wxEXPAND);
    box->Add(grid, 0, wxALIGN_CENTER_HORIZONTAL);
    submit_ = new wxButton(this, wxID_ANY, _("&Sign in"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "unlock.submit");
    box->Add(submit_, 0, wxALIGN_CENTER_HORIZONTAL | wxTOP, 14);
    message_ = error_label(this, "unlock.message");
    box->Add(message_, 0, wxALIGN_CENTER_HORIZONTAL | wxTOP, 10);
    auto* hint = new wxStaticText(this, wxID_ANY, _("Forgot your passphrase? The administrator can reset it."));
    hint->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
    box->Add(hint, 0, wxALIGN_CENTER_HORIZONTAL | wxTOP, 16);

    auto* outer = new wxBoxSizer(wxVERTICAL);
    outer->AddStretchSpacer(1);
    outer->Add(box, 0, wxALIGN_CENTER_HORIZONTAL | wxALL, 20);
    outer->AddStretchSpacer(2);
    SetSizer(outer);

    submit_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { submit(); });
    password_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { submit(); });
    user_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        error_.clear();
        update_wait();
        password_->SetFocus();
    });
}

void UnlockView::reset() {
    auto list = presenter_.users();
    std::string keep = selected_user();
    users_ = std::move(list.users);
    user_->Clear();
    int sel = 0;
    for (std::size_t i = 0; i < users_.size(); ++i) {
        user_->Append(wxString::Format("%s (%s)", u8(users_[i].name), role_label(users_[i].role)));
        if (users_[i].name == keep) sel = int(i);
    }
    if (!users_.empty()) user_->SetSelection(sel);
    password_->ChangeValue(wxString());
    error_ = list.code.empty() ? wxString() : error_text(list.code);
    if (!list.code.empty()) wxLogError("lock screen: %s", u8(list.detail));
    update_wait();
    password_->SetFocus();
}

void UnlockView::set_user(const std::string& user) {
    for (std::size_t i = 0; i < users_.size(); ++i)
        if (users_[i].name == user) user_->SetSelection(int(i));
}

void UnlockView::choose_other_user() {
    presenter_.sign_out();
    reset();
    user_->SetFocus();
}

std::string UnlockView::selected_user() const {
    int sel = user_ ? user_->GetSelection() : wxNOT_FOUND;
    return sel >= 0 && std::size_t(sel) < users_.size() ? users_[std::size_t(sel)].name : std::string();
}

void UnlockView::submit() {
    std::string user = selected_user();
    if (user.empty()) return;
    store::SecretText pw(kMaxPassphraseBytes + 1);
    try {
        take_secret(password_, pw);
    } catch (const std::exception&) {  // longer than any passphrase can be
        message_->SetLabel(_("Wrong passphrase."));
        return;
    }
    sign_in_with(user, pw);
}

bool UnlockView::sign_in_with(const std::string& user, const store::SecretText& passphrase) {
    wxBusyCursor busy;  // Argon2id takes a moment
    auto outcome = presenter_.attempt(user, passphrase);
    if (outcome.kind == UnlockOutcome::Kind::signed_in) {
        if (!outcome.prefs_problem.empty()) wxLogWarning("%s", u8(outcome.prefs_problem));
        bool same = outcome.how == SignIn::resumed;
        try {
            services_.sign_in(std::move(outcome.store));
        } catch (const std::exception& e) {
            wxLogError("cannot open the desk's session: %s", u8(e.what()));
            error_ = _("The store opened, but the desk could not start. Ask the administrator.");
            update_wait();
            return false;
        }
        error_.clear();
        message_->SetLabel(wxString());
        on_signed_in_(same);
        return true;
    }
    show_outcome(outcome);
    return false;
}

void UnlockView::show_outcome(const UnlockOutcome& o) {
    switch (o.kind) {
        case UnlockOutcome::Kind::wrong_passphrase:
            error_ = wxString::Format(wxPLURAL("Wrong passphrase (%lld time in a row).", "Wrong passphrase (%lld times in a row).",
                                               unsigned(o.wrong_in_a_row)),
                                      o.wrong_in_a_row);
            break;
        case UnlockOutcome::Kind::must_wait: error_ = _("Too many wrong passphrases."); break;
        case UnlockOutcome::Kind::error:
            error_ = error_text(o.code);
            if (!o.detail.empty()) wxLogError("sign-in: %s", u8(o.detail));
            break;
        case UnlockOutcome::Kind::signed_in: break;
    }
    update_wait();
    password_->SetFocus();
}

void UnlockView::update_wait() {
    auto wait = presenter_.seconds_to_wait(selected_user());
    bool waiting = wait.count() > 0;
    wxString text = error_;
    if (waiting) {
        if (!text.empty()) text += " ";
        text += wxString::Format(wxPLURAL("Try again in %lld second.", "Try again in %lld seconds.", unsigned(wait.count())),
                                 static_cast<long long>(wait.count()));
    }
    message_->SetLabel(text);
    password_->Enable(!waiting);
    submit_->Enable(!waiting);
    Layout();
}

void UnlockView::tick() {
    if (!submit_->IsEnabled() || presenter_.seconds_to_wait(selected_user()).count() > 0) {
        update_wait();
        if (password_->IsEnabled()) password_->SetFocus();
    }
}

// ---- first run ----

namespace {

wxString problem_text(Problem p) {
    switch (p) {
        case Problem::none: return wxString();
        case Problem::empty: return _("Required.");
        case Problem::too_long: return _("Too long.");
        case Problem::control_character: return _("Contains characters that are not allowed.");
        case Problem::mismatch: return _("The two passphrases differ.");
        case Problem::too_short: return wxString::Format(_("At least %zu characters."), kMinPassphraseChars);
        case Problem::bad_user_name: return _("No spaces; not \"recovery\".");
        case Problem::bad_centre: return _("4 to 12 letters or digits.");
        case Problem::bad_terminal: return _("1 to 4 letters or digits, e.g. T3.");
        case Problem::out_of_range: return _("Out of range.");
    }
    return wxString();
}

}  // namespace

FirstRunView::FirstRunView(wxWindow* parent, DeskServices& services, std::function<void(bool)> on_done)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL, "firstrun"),
      services_(services), on_done_(std::move(on_done)), presenter_(services.config().store_dir) {
    auto* box = new wxBoxSizer(wxVERTICAL);
    auto* title = new wxStaticText(this, wxID_ANY, _("First start: set up this desk"));
    wxFont f = title->GetFont();
    f.SetPointSize(f.GetPointSize() + 4);
    title->SetFont(f);
    box->Add(title, 0, wxBOTTOM, 6);
    box->Add(new wxStaticText(this, wxID_ANY, _("Create the administrator of this desk's encrypted store and name this window.")), 0,
             wxBOTTOM, 14);
    auto* grid = new wxFlexGridSizer(3, 8, 10);
    grid->AddGrowableCol(1);
    auto row = [&](const wxString& label, const char* name, long style, wxStaticText*& err) {
        grid->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
        auto* t = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(260), -1), style | wxTE_PROCESS_ENTER,
                                 wxDefaultValidator, name);
        grid->Add(t, 1, wxEXPAND);
        err = error_label(this, (std::string(name) + ".error").c_str());
        grid->Add(err, 0, wxALIGN_CENTER_VERTICAL);
        t->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
            if (auto* next = FindFocus()) next->Navigate();
        });
        return t;
    };
    user_ = row(_("Administrator's user name"), "firstrun.user", 0, user_err_);
    display_ = row(_("Display name (on notices)"), "firstrun.display_name", 0, display_err_);
    password_ = row(_("Passphrase"), "firstrun.password", wxTE_PASSWORD, password_err_);
    repeat_ = row(_("Passphrase again"), "firstrun.password2", wxTE_PASSWORD, repeat_err_);
    centre_ = row(_("Centre code"), "firstrun.centre", 0, centre_err_);
    terminal_ = row(_("Terminal id (in receipt numbers)"), "firstrun.terminal", 0, terminal_err_);
    window_ = row(_("Window label"), "firstrun.window", 0, window_err_);
    window_->SetHint(_("e.g. Window 3"));
    box->Add(grid, 0, wxEXPAND);
    submit_ = new wxButton(this, wxID_ANY, _("&Create and sign in"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                           "firstrun.submit");
    box->Add(submit_, 0, wxTOP, 14);
    message_ = error_label(this, "firstrun.message");
    box->Add(message_, 0, wxTOP, 8);
    auto* outer = new wxBoxSizer(wxVERTICAL);
    outer->AddStretchSpacer(1);
    outer->Add(box, 0, wxALIGN_CENTER_HORIZONTAL | wxALL, 20);
    outer->AddStretchSpacer(2);
    SetSizer(outer);
    for (auto* t : {user_, display_, password_, repeat_, centre_, terminal_, window_})
        t->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { validate(false); });
    window_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { submit(); });
    submit_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { submit(); });
}

void FirstRunView::focus_first() { user_->SetFocus(); }

namespace {
void fill_form(FirstRunForm& form, wxTextCtrl* user, wxTextCtrl* display, wxTextCtrl* pw, wxTextCtrl* repeat, wxTextCtrl* centre,
               wxTextCtrl* terminal, wxTextCtrl* window) {
    form.user = user->GetValue().utf8_string();
    form.display_name = display->GetValue().utf8_string();
    auto p = pw->GetValue().utf8_str();
    form.passphrase.clear();
    form.passphrase.append(std::string_view(p.data(), std::min<std::size_t>(p.length(), kMaxPassphraseBytes)));
    auto r = repeat->GetValue().utf8_str();
    form.repeat.clear();
    form.repeat.append(std::string_view(r.data(), std::min<std::size_t>(r.length(), kMaxPassphraseBytes)));
    form.centre = centre->GetValue().utf8_string();
    form.terminal = terminal->GetValue().utf8_string();
    form.window_label = window->GetValue().utf8_string();
}
}  // namespace

void FirstRunView::validate(bool all) {
    FirstRunForm form;
    fill_form(form, user_, display_, password_, repeat_, centre_, terminal_, window_);
    auto pr = presenter_.validate(form);
    // Beside each field, once something was typed in it (or on submit: all of them).
    auto show = [all](wxStaticText* err, wxTextCtrl* field, Problem p) { err->SetLabel(all || !field->IsEmpty() ? problem_text(p) : wxString()); };
    show(user_err_, user_, pr.user);
    show(display_err_, display_, pr.display_name);
    show(password_err_, password_, pr.passphrase);
    show(repeat_err_, repeat_, pr.repeat);
    show(centre_err_, centre_, pr.centre);
    show(terminal_err_, terminal_, pr.terminal);
    show(window_err_, window_, pr.window_label);
    Layout();
}

void FirstRunView::submit() {
    FirstRunForm form;
    fill_form(form, user_, display_, password_, repeat_, centre_, terminal_, window_);
    validate(true);
    wxBusyCursor busy;
    auto result = presenter_.create(form);
    switch (result.kind) {
        case FirstRunResult::Kind::invalid: message_->SetLabel(_("Please correct the fields marked in red.")); return;
        case FirstRunResult::Kind::error:
            wxLogError("first run: %s", u8(result.detail));
            message_->SetLabel(error_text(result.code));
            return;
        case FirstRunResult::Kind::created: break;
    }
    password_->ChangeValue(wxString());
    repeat_->ChangeValue(wxString());
    if (!result.prefs_problem.empty()) wxLogWarning("%s", u8(result.prefs_problem));
    // The recovery key, once: it opens the store when every administrator forgot their passphrase.
    wxMessageBox(_("Write down the recovery key and keep it in a safe place. It is shown only this once:") + "\n\n" +
                     u8(std::string(result.recovery_key.view())),
                 _("Recovery key"), wxOK | wxICON_INFORMATION, this);
    created_user_ = form.user;
    try {
        services_.sign_in(std::move(result.store));
    } catch (const std::exception& e) {
        wxLogError("cannot open the desk's session: %s", u8(e.what()));
        message_->SetLabel(_("The store was created, but the desk could not start. Ask the administrator."));
        return;
    }
    on_done_(false);
}

}  // namespace ow::app
