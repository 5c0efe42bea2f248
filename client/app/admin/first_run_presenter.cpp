#include "admin/first_run_presenter.h"

#include "ow/core/error.h"
#include "ow/store/repositories.h"
#include "ow/store/unlock_throttle.h"
#include "ow/sync/signing.h"

namespace ow::app {
namespace {

/// Removes what Store::init made in `dir` (and what opening it added), nothing else: the folder
/// may hold other files, and blobs/ goes only when empty.
void remove_new_store(const std::filesystem::path& dir) {
    std::error_code ec;
    for (const char* f : {store::KeyFile::kFileName, store::KeyFile::kStagedName, store::Store::kDbFile, "store.db-wal",
                          "store.db-shm", store::UnlockThrottle::kFileName})
        std::filesystem::remove(dir / f, ec);
    std::filesystem::remove(dir / "blobs", ec);  // only when empty
}

}  // namespace

bool FirstRunProblems::ok() const {
    for (Problem p : {user, display_name, passphrase, repeat, centre, terminal, window_label})
        if (p != Problem::none) return false;
    return true;
}

FirstRunPresenter::FirstRunPresenter(std::filesystem::path store_dir, Options options)
    : dir_(std::move(store_dir)), options_(std::move(options)) {}

bool FirstRunPresenter::needed(const std::filesystem::path& store_dir) {
    std::error_code ec;
    return !std::filesystem::exists(store_dir / store::KeyFile::kFileName, ec) &&
           !std::filesystem::exists(store_dir / store::Store::kDbFile, ec);
}

FirstRunProblems FirstRunPresenter::validate(const FirstRunForm& form) const {
    FirstRunProblems p;
    p.user = check_user_name(form.user);
    p.display_name = check_display_name(form.display_name);
    p.passphrase = check_passphrase(form.passphrase.view());
    if (p.passphrase == Problem::none && form.repeat.view() != form.passphrase.view())
        p.repeat = form.repeat.empty() ? Problem::empty : Problem::mismatch;
    p.centre = check_centre(normalise_code(form.centre));
    p.terminal = check_terminal(normalise_code(form.terminal));
    p.window_label = check_window_label(form.window_label);
    return p;
}

FirstRunResult FirstRunPresenter::create(const FirstRunForm& form) {
    FirstRunResult out;
    out.problems = validate(form);
    if (!out.problems.ok()) {
        out.kind = FirstRunResult::Kind::invalid;
        return out;
    }
    bool made = false;
    try {
        std::string recovery = store::Store::init(dir_, form.user, core::Role::admin, form.passphrase.view(), options_.kdf);
        made = true;
        out.recovery_key.append(recovery);
        sync::wipe_secret(recovery);
        if (options_.after_init) options_.after_init();
        auto s = store::Store::open(dir_, form.user, form.passphrase.view());
        store::Settings settings(s->db());
        settings.set_terminal({normalise_code(form.centre), normalise_code(form.terminal)});
        if (set_window_label(*s, form.window_label) != Problem::none)  // validated above: cannot happen
            throw core::InvalidData("the window label was refused");
        s->set_user_profile(form.user, core::Post::none, std::string(trim(form.display_name)));
        out.store = std::move(s);
        out.kind = FirstRunResult::Kind::created;
    } catch (const std::exception& e) {
        auto* ce = dynamic_cast<const core::Error*>(&e);
        out.kind = FirstRunResult::Kind::error;
        out.code = ce ? ce->code() : "first_run.unexpected";
        out.detail = e.what();
        out.recovery_key.clear();
        if (made) remove_new_store(dir_);
        return out;
    }
    try {
        auto prefs = load_prefs(dir_);  // the view may have saved the language already
        prefs.prefs.last_user = form.user;
        save_prefs(dir_, prefs.prefs);
    } catch (const std::exception& e) {
        out.prefs_problem = std::string("cannot record the last user: ") + e.what();
    }
    return out;
}

}  // namespace ow::app
