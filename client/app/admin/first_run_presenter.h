// FirstRunPresenter: the desk's first start on a folder without a store, free of wx. The view asks
// for the administrator (sign-in name, display name, passphrase typed twice), the centre code and
// this window (terminal id "T3" — it goes into every receipt number — and a label "3号窗口"),
// shows validate()'s problems inline as they type, then calls create(), shows the recovery key
// ONCE and hands the opened store to DeskServices::sign_in (and its user to
// UnlockPresenter::set_session_user). The language picked on this screen is saved by the view
// with save_prefs once create() has made the folder; create() keeps what desk.json already holds.
#pragma once

#include "settings/desk_settings.h"

#include "ow/store/keys.h"
#include "ow/store/store.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace ow::app {

/// What the clerk typed. The passphrases go straight into guarded memory (the view appends each
/// key press; never a std::string or wxString kept around).
struct FirstRunForm {
    std::string user;          ///< the administrator's sign-in name, e.g. "admin"
    std::string display_name;  ///< e.g. "王芳" (shown on the desk and on notices)
    store::SecretText passphrase{kMaxPassphraseBytes};
    store::SecretText repeat{kMaxPassphraseBytes};
    std::string centre;        ///< centre code, e.g. "370102A" (typed case and spaces are forgiven)
    std::string terminal;      ///< terminal id, e.g. "T3" (typed case and spaces are forgiven)
    std::string window_label;  ///< e.g. "3号窗口"; may be empty
};

/// One Problem per field (Problem::none where it is fine).
struct FirstRunProblems {
    Problem user = Problem::none, display_name = Problem::none, passphrase = Problem::none,
            repeat = Problem::none, centre = Problem::none, terminal = Problem::none, window_label = Problem::none;
    bool ok() const;
};

struct FirstRunResult {
    enum class Kind {
        created,  ///< `store` is open as the administrator; show `recovery_key` once
        invalid,  ///< a field is wrong (`problems`); nothing was written
        error,    ///< see `code`; nothing is left behind in the folder
    };
    Kind kind = Kind::error;
    FirstRunProblems problems;
    std::unique_ptr<store::Store> store;
    /// The recovery key in display form (XXXX-XXXX-…), in guarded memory: show it once, let the
    /// clerk write it down, then drop it. It is not stored anywhere.
    store::SecretText recovery_key{128};
    /// error: a stable code the view translates — "store.exists" (a store appeared in the folder
    /// meanwhile: go to the lock screen), "store.io", "store.disk_full", "store.permission",
    /// "first_run.unexpected" — and an English detail for the log.
    std::string code, detail;
    /// created: non-empty when desk.json could not record the last user (for the log).
    std::string prefs_problem;
};

class FirstRunPresenter {
public:
    struct Options {
        /// Argon2id cost of the administrator's wrap (tests pass a fast one).
        store::KdfParams kdf = store::KdfParams::interactive();
        /// Tests only: called after the store was made and before it is set up, to make that
        /// step fail (the store must then be removed again).
        std::function<void()> after_init;
    };

    explicit FirstRunPresenter(std::filesystem::path store_dir) : FirstRunPresenter(std::move(store_dir), Options{}) {}
    FirstRunPresenter(std::filesystem::path store_dir, Options options);

    /// True when `store_dir` holds no store (neither keys.json nor store.db; the folder may be
    /// missing): the desk starts with this screen instead of the lock screen. A folder with one
    /// of the two files is a damaged store, not a first run (the lock screen says so).
    static bool needed(const std::filesystem::path& store_dir);

    /// Checks every field (desk_settings.h's checks; centre and terminal after normalise_code);
    /// `repeat` is mismatch when it differs from a valid passphrase.
    FirstRunProblems validate(const FirstRunForm& form) const;

    /// Validates, then makes the store (Store::init with the administrator), signs in, records
    /// the terminal identity, the administrator's display name and the window label, and makes
    /// the administrator the last user in desk.json. When a step after Store::init fails, the
    /// files it made are removed again, so the next start is a first run again. Never throws.
    FirstRunResult create(const FirstRunForm& form);

private:
    std::filesystem::path dir_;
    Options options_;
};

}  // namespace ow::app
