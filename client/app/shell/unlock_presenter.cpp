#include "shell/unlock_presenter.h"

#include "settings/desk_settings.h"

#include "ow/core/error.h"
#include "ow/store/errors.h"

#include <algorithm>

namespace ow::app {
namespace {

bool store_absent(const std::filesystem::path& dir) {
    std::error_code ec;
    return !std::filesystem::exists(dir / store::KeyFile::kFileName, ec) &&
           !std::filesystem::exists(dir / store::Store::kDbFile, ec);
}

}  // namespace

UnlockPresenter::UnlockPresenter(std::filesystem::path store_dir, store::OpenOptions options)
    : dir_(std::move(store_dir)), options_(std::move(options)) {
    options_.mode = store::OpenMode::read_write;
}

UnlockUsers UnlockPresenter::users() const {
    UnlockUsers out;
    if (store_absent(dir_)) {
        out.code = "store.not_found";
        out.detail = "no store in " + dir_.string();
        return out;
    }
    try {
        auto keys = store::KeyFile::load(dir_);
        const std::string last = load_prefs(dir_).prefs.last_user;
        for (const auto& w : keys.users()) out.users.push_back({w.user, w.role, w.user == last});
        std::sort(out.users.begin(), out.users.end(), [](const UnlockUser& a, const UnlockUser& b) {
            return a.last != b.last ? a.last : a.name < b.name;
        });
    } catch (const core::Error& e) {
        out.users.clear();
        out.code = e.code();
        out.detail = e.what();
    } catch (const std::exception& e) {
        out.users.clear();
        out.code = "unlock.unexpected";
        out.detail = e.what();
    }
    return out;
}

UnlockOutcome UnlockPresenter::attempt(const std::string& user, const store::SecretText& passphrase) {
    UnlockOutcome out;
    if (passphrase.empty()) {
        out.code = "unlock.empty_passphrase";
        out.detail = "no passphrase typed";
        return out;
    }
    try {
        out.store = store::Store::open(dir_, user, passphrase.view(), options_);
        out.kind = UnlockOutcome::Kind::signed_in;
        out.how = session_user_.empty() ? SignIn::fresh : session_user_ == user ? SignIn::resumed : SignIn::switched;
        session_user_ = user;
        try {
            auto prefs = load_prefs(dir_);  // read-modify-write: keep the language and font as they are
            if (prefs.prefs.last_user != user) {
                prefs.prefs.last_user = user;
                save_prefs(dir_, prefs.prefs);
            }
        } catch (const std::exception& e) {
            out.prefs_problem = std::string("cannot record the last user: ") + e.what();
        }
    } catch (const store::TooManyAttempts& e) {
        out.kind = UnlockOutcome::Kind::must_wait;
        out.wait = std::chrono::seconds(e.retry_after_seconds());
    } catch (const store::AuthError& e) {
        out.kind = UnlockOutcome::Kind::wrong_passphrase;
        try {
            store::UnlockThrottle throttle(dir_, options_.backoff, options_.now, false);
            out.wrong_in_a_row = throttle.failures(user);
            out.wait = throttle.wait(user);
        } catch (const std::exception&) {
            // the count could not be read back: report the wrong passphrase without figures
        }
    } catch (const core::Error& e) {
        out.kind = UnlockOutcome::Kind::error;
        out.code = e.code();
        out.detail = e.what();
    } catch (const std::exception& e) {
        out.kind = UnlockOutcome::Kind::error;
        out.code = "unlock.unexpected";
        out.detail = e.what();
    }
    return out;
}

std::chrono::seconds UnlockPresenter::seconds_to_wait(const std::string& user) const {
    try {
        return store::UnlockThrottle(dir_, options_.backoff, options_.now, false).wait(user);
    } catch (const std::exception&) {
        return std::chrono::seconds(0);
    }
}

}  // namespace ow::app
