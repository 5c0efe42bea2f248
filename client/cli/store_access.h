// Opening the encrypted store from a command: --store DIR, --password-file F (or one line on
// stdin; passwords never come from argv), --user NAME (default: the store's first user). Shared
// by every command group that opens a store.
#pragma once

#include "cli.h"
#include "i18n.h"
#include "options.h"

#include "ow/notices/notice.h"
#include "ow/store/errors.h"
#include "ow/store/store.h"
#include "ow/workflow/workflow.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <string>

namespace ow::cli {

extern const std::set<std::string> kOpenOptions;

/// --role clerk|chief|admin (UsageError otherwise).
core::Role parse_role(const std::string& r);
/// Argon2id parameters from --kdf-ops / --kdf-mem-mib (tests use cheap ones), else the defaults.
store::KdfParams kdf_from(const Options& o);

/// A case as `case show --json` and every act's --json print it: core's JSON plus the names of the
/// contract ("promised_date", the promised date; "item" or "bundle", the code).
nlohmann::json case_json(const core::Case& c);  // --store, --password-file, --user

/// The shipped notice envelope (data/notices/envelope/default.json): issuing body, window, progress
/// URL. Used by the case acts and `demo seed --notices` (defined in cmd_case.cpp).
notices::NoticeEnvelope default_envelope();

/// kOpenOptions plus the command's own options that take a value.
std::set<std::string> with_open_options(std::set<std::string> extra);

/// The password, in guarded memory (see store::SecretText), wiped when it goes out of scope.
struct Password {
    store::SecretText text;
    explicit Password(const std::string& source);
};

std::unique_ptr<store::Store> open_store(const std::filesystem::path& dir, const std::string& password_file,
                                         const std::string& user, store::OpenMode mode = store::OpenMode::read_write);
std::unique_ptr<store::Store> open_store(const Options& o, store::OpenMode mode = store::OpenMode::read_write);

/// Store errors that a user causes (wrong password, back-off, damaged or unavailable store, an
/// act their role does not allow) map to exit 1 with the message.
template <class F>
int guarded(F&& f) {
    try {
        return f();
    } catch (const store::AuthError& e) {
        std::cerr << "onewindow-cli: " << error_text(e) << "\n";
        return kNo;
    } catch (const store::CorruptStore& e) {
        std::cerr << "onewindow-cli: " << error_text(e) << "\n";
        return kNo;
    } catch (const store::StoreUnavailable& e) {
        std::cerr << "onewindow-cli: " << error_text(e) << "\n";
        return kNo;
    } catch (const store::NotAuthorised& e) {
        std::cerr << "onewindow-cli: " << subst(tr("refused: %1"), error_text(e)) << "\n";
        return kNo;
    }
}

/// Runs a workflow act with the contract's exit codes: 1 refused (the reason on stderr, nothing
/// written), 2 invalid input; the store's errors as guarded() maps them.
template <class F>
int act(F&& f) {
    try {
        return guarded(std::forward<F>(f));
    } catch (const workflow::Refused& e) {
        std::cerr << "onewindow-cli: " << subst(tr("refused: %1"), error_text(e)) << "\n";
        return kNo;
    } catch (const core::InvalidData& e) {
        std::cerr << "onewindow-cli: " << subst(tr("invalid input: %1"), error_text(e)) << "\n";
        return kUsage;
    } catch (const core::ParseError& e) {
        std::cerr << "onewindow-cli: " << subst(tr("invalid input: %1"), error_text(e)) << "\n";
        return kUsage;
    }
}

template <int (*F)(const std::vector<std::string>&)>
int run_guarded(const std::vector<std::string>& args) {
    return guarded([&] { return F(args); });
}

}  // namespace ow::cli
