// UnlockPresenter: the lock screen of one store folder, free of wx. Before unlocking only
// keys.json (user names and roles) and <store>/desk.json (the last user, language, font) can be
// read: display names are inside the encrypted database, so the list shows names and roles.
//
// The view lists users(), lets the clerk type the passphrase into a store::SecretText (guarded
// memory; never a std::string or wxString kept around) and calls attempt(). On `signed_in` it
// hands the store to DeskServices::sign_in; `how` tells whether to return to the kept screen
// (the same user after an idle lock) or to drop the previous user's unsaved typing (another
// user). On `must_wait` or `wrong_passphrase` it shows a countdown from seconds_to_wait().
// Errors carry the store's stable codes; the view translates them (no English reaches the clerk).
//
// The back-off itself is the store's (store::UnlockThrottle, unlock.json): Store::open refuses
// while a user must wait without trying the password; this presenter only reports it.
#pragma once

#include "ow/core/case.h"
#include "ow/store/keys.h"
#include "ow/store/store.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ow::app {

/// One user on the lock screen.
struct UnlockUser {
    std::string name;  ///< the sign-in name (keys.json)
    core::Role role = core::Role::clerk;
    bool last = false;  ///< signed in last on this desk (listed first, preselected)
};

struct UnlockUsers {
    std::vector<UnlockUser> users;  ///< the last user first, then by name
    /// Empty when the list could be read. Otherwise a stable code (as UnlockOutcome::code) and an
    /// English detail for the log; `users` is empty then.
    std::string code, detail;
};

/// How a sign-in relates to what the desk held before the lock.
enum class SignIn {
    fresh,     ///< nobody was signed in since the desk started (or after sign_out)
    resumed,   ///< the same user as before the idle lock: return to the kept screen as it was
    switched,  ///< another user: discard the previous user's screens and unsaved typing
};

struct UnlockOutcome {
    enum class Kind {
        signed_in,         ///< `store` is open for the user
        wrong_passphrase,  ///< wrong user name or passphrase; counted for the back-off
        must_wait,         ///< refused without trying the passphrase: `wait` left
        error,             ///< see `code`
    };
    Kind kind = Kind::error;

    /// signed_in: the opened store (hand it to DeskServices::sign_in) and how it relates to the
    /// previous session.
    std::unique_ptr<store::Store> store;
    SignIn how = SignIn::fresh;

    /// wrong_passphrase: wrong passphrases in a row for this user so far (this one included).
    long long wrong_in_a_row = 0;
    /// wrong_passphrase: how long before the next attempt may be made (0: at once);
    /// must_wait: how long is left.
    std::chrono::seconds wait{0};

    /// error: a stable code the view translates —
    ///   "store.not_found"   no store in the folder (the shell offers first run instead)
    ///   "store.permission"  this account may not read or write the store
    ///   "store.read_only"   read-only media or files
    ///   "store.corrupt", "store.empty_file"  damaged or incomplete store
    ///   "store.busy"        another program holds the database
    ///   "store.io", "store.disk_full"  the disk failed
    ///   "unlock.empty_passphrase"  nothing typed (not tried, not counted)
    ///   "unlock.unexpected" anything else (see `detail`)
    /// or any other code a core::Error carries.
    std::string code;
    /// error: English, for the log only (never a passphrase).
    std::string detail;
    /// signed_in: non-empty when desk.json could not be updated with the last user (for the
    /// log; the sign-in stands).
    std::string prefs_problem;
};

class UnlockPresenter {
public:
    /// `options` as for store::Store::open: tests pin the clock (`now`) and the back-off policy;
    /// the mode is always read_write (the desk writes). One call at a time (not thread-safe).
    explicit UnlockPresenter(std::filesystem::path store_dir, store::OpenOptions options = {});

    const std::filesystem::path& store_dir() const { return dir_; }

    /// The users who may sign in, read afresh from keys.json and desk.json (cheap; call when the
    /// lock screen shows). Never throws.
    UnlockUsers users() const;

    /// Tries to open the store as `user` with `passphrase` (read in place, never copied). Never
    /// throws. On success the user becomes the last user (desk.json) and the session user.
    /// Takes the Argon2id time (0.2–0.5 s with the interactive cost): the view shows it is busy.
    UnlockOutcome attempt(const std::string& user, const store::SecretText& passphrase);

    /// Seconds `user` must still wait before a passphrase is tried (0: now). For the countdown;
    /// 0 also when the throttle file cannot be read (attempt() then reports the error). Reads
    /// unlock.json under a shared lock, so it waits while another attempt holds it.
    std::chrono::seconds seconds_to_wait(const std::string& user) const;

    /// The user whose screens the desk keeps while locked: set by every successful attempt();
    /// the shell sets it itself after a sign-in made elsewhere (first run). The next attempt()
    /// compares its user with it: the same is `resumed`, another `switched`, none `fresh`.
    void set_session_user(std::string user) { session_user_ = std::move(user); }
    const std::string& session_user() const { return session_user_; }
    /// Sign out: nothing is kept, the next sign-in is `fresh`.
    void sign_out() { session_user_.clear(); }

private:
    std::filesystem::path dir_;
    store::OpenOptions options_;
    std::string session_user_;
};

}  // namespace ow::app
