// The lock screen (sign in, wrong-passphrase back-off with a countdown, switch user) and the
// first-run screen (the administrator and this window). Thin views over UnlockPresenter and
// FirstRunPresenter: the passphrase goes from the text control into guarded memory and the
// control is cleared at once.
#pragma once

#include "admin/first_run_presenter.h"
#include "shell/desk_services.h"
#include "shell/unlock_presenter.h"

#include <wx/panel.h>

#include <functional>
#include <string>

class wxButton;
class wxChoice;
class wxStaticText;
class wxTextCtrl;

namespace ow::app {

class UnlockView : public wxPanel {
public:
    /// `on_signed_in(same_user)` runs after DeskServices::sign_in succeeded: same_user is true when
    /// the user who signed in is the one whose screens the desk kept while locked.
    UnlockView(wxWindow* parent, DeskServices& services, std::function<void(bool same_user)> on_signed_in);

    /// Reads the user list again, clears the passphrase and focuses it.
    void reset();
    /// Preselects this user (the one who was signed in before the lock).
    void set_user(const std::string& user);
    /// "Switch user": the next sign-in starts afresh whoever it is; focuses the user list.
    void choose_other_user();
    /// The shell's session user after a sign-in made elsewhere (first run, --password-file).
    void set_session_user(const std::string& user) { presenter_.set_session_user(user); }
    /// Signs in with a passphrase from a file (--password-file: demo, training); the outcome is
    /// shown like a typed one. True when signed in.
    bool sign_in_with(const std::string& user, const store::SecretText& passphrase);
    /// Once a second: the countdown of a back-off.
    void tick();

private:
    void submit();
    void show_outcome(const UnlockOutcome& o);
    void update_wait();
    std::string selected_user() const;

    DeskServices& services_;
    std::function<void(bool)> on_signed_in_;
    UnlockPresenter presenter_;
    std::vector<UnlockUser> users_;
    wxChoice* user_ = nullptr;
    wxTextCtrl* password_ = nullptr;
    wxButton* submit_ = nullptr;
    wxStaticText* message_ = nullptr;
    wxString error_;  // the last error shown (kept while a countdown runs)
};

class FirstRunView : public wxPanel {
public:
    /// `on_done(false)` after the store was made and signed in (the recovery key shown).
    FirstRunView(wxWindow* parent, DeskServices& services, std::function<void(bool)> on_done);
    void focus_first();
    /// The user created (after on_done).
    const std::string& created_user() const { return created_user_; }

private:
    void validate(bool all);
    void submit();

    DeskServices& services_;
    std::function<void(bool)> on_done_;
    FirstRunPresenter presenter_;
    std::string created_user_;
    wxTextCtrl *user_ = nullptr, *display_ = nullptr, *password_ = nullptr, *repeat_ = nullptr, *centre_ = nullptr,
               *terminal_ = nullptr, *window_ = nullptr;
    wxStaticText *user_err_ = nullptr, *display_err_ = nullptr, *password_err_ = nullptr, *repeat_err_ = nullptr,
                 *centre_err_ = nullptr, *terminal_err_ = nullptr, *window_err_ = nullptr, *message_ = nullptr;
    wxButton* submit_ = nullptr;
};

}  // namespace ow::app
