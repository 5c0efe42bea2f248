#include "store_access.h"

#include "i18n.h"

#include "ow/store/keys.h"

namespace ow::cli {

const std::set<std::string> kOpenOptions = {"--store", "--password-file", "--user"};

core::Role parse_role(const std::string& r) {
    if (r == "admin") return core::Role::admin;
    if (r == "clerk") return core::Role::clerk;
    if (r == "chief") return core::Role::chief;
    throw UsageError{tr("--role must be clerk, chief or admin")};
}

store::KdfParams kdf_from(const Options& o) {
    store::KdfParams k;
    k.ops = std::uint64_t(o.number("--kdf-ops", long(k.ops), 1, 100));
    k.mem_bytes = std::size_t(o.number("--kdf-mem-mib", long(k.mem_bytes >> 20), 8, 4096)) << 20;
    return k;
}

nlohmann::json case_json(const core::Case& c) {
    nlohmann::json j = core::to_json(c);
    j["promised_date"] = j["due_date"];
    if (c.bundle_code.empty()) j["item"] = c.item_code;
    else j["bundle"] = c.bundle_code;
    // 通办 (issue 19): sent to the other region and not decided yet.
    j["with_other_region"] = c.cross_region.has_value() && c.state == core::CaseState::escalated;
    return j;
}

std::set<std::string> with_open_options(std::set<std::string> extra) {
    extra.insert(kOpenOptions.begin(), kOpenOptions.end());
    return extra;
}

Password::Password(const std::string& source) : text(store::read_password(source)) {}

std::unique_ptr<store::Store> open_store(const std::filesystem::path& dir, const std::string& password_file,
                                         const std::string& user_name, store::OpenMode mode) {
    Password pw(password_file.empty() ? "-" : password_file);
    std::string user = user_name;
    if (std::error_code ec; user.empty() && std::filesystem::exists(dir / store::KeyFile::kFileName, ec)) {
        auto kf = store::KeyFile::load(dir);  // default: the store's first user (the one made at init)
        if (kf.users().empty()) throw store::CorruptStore(tr("the key file lists no user"));
        user = kf.users().front().user;
    }
    store::OpenOptions options;
    options.mode = mode;
    return store::Store::open(dir, user, pw.text, options);
}

std::unique_ptr<store::Store> open_store(const Options& o, store::OpenMode mode) {
    return open_store(o.require("--store"), o.get("--password-file").value_or("-"), o.get("--user").value_or(""), mode);
}

}  // namespace ow::cli
