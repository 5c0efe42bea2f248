// Users, posts and seals of a store: user add | list | passwd | set | absent; seal assign | assigned.
// Administrators manage users and seals (a store with no administrator lets its users add clerks
// only); everyone changes their own password and marks themself absent.
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/core/secure_file.h"
#include "ow/seal/seal.h"
#include "ow/store/documents.h"
#include "ow/store/keys.h"
#include "ow/workflow/seal_admin.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace ow::cli {
namespace {

using nlohmann::json;

core::Post parse_post(const std::string& p) {
    if (p == "A") return core::Post::A;
    if (p == "B") return core::Post::B;
    if (p == "none") return core::Post::none;
    throw UsageError{tr("--post must be A, B or none")};
}

json user_json(const store::UserInfo& u) {
    return {{"name", u.name},
            {"role", core::to_code(u.role)},
            {"post", u.post == core::Post::none ? json(nullptr) : json(core::to_code(u.post))},
            {"display_name", u.display_name},
            {"department", u.department},
            {"absent", u.absent_since.has_value()},
            {"absent_since", u.absent_since ? json(core::format_instant(*u.absent_since)) : json(nullptr)},
            {"created_at", u.created_at}};
}

int user_add(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--new-user", "--role", "--post", "--display-name", "--new-password-file", "--kdf-ops",
                                                     "--kdf-mem-mib"}));
    std::string name = o.require("--new-user");
    core::Role role = parse_role(o.require("--role"));
    core::Post post = parse_post(o.get("--post").value_or("none"));
    if (post != core::Post::none && role != core::Role::chief) throw UsageError{tr("--post A|B is for chief representatives (--role chief)")};
    auto s = open_store(o);
    Password npw(o.require("--new-password-file"));
    bool existed = store::KeyFile::load(s->dir()).has_user(name);
    s->set_user(name, role, npw.text, kdf_from(o));
    if (post != core::Post::none || o.get("--display-name")) {
        if (s->user().role == core::Role::admin) s->set_user_profile(name, post, o.get("--display-name").value_or(""));
        else std::cerr << "onewindow-cli: " << tr("the post and display name are set by an administrator (user set); not set now") << "\n";
    }
    std::cout << "user " << name << " (" << core::to_code(role) << (post != core::Post::none ? ", post " + std::string(core::to_code(post)) : "")
              << ") " << (existed ? "updated (new password)" : "added") << "\n";
    return kOk;
}

int user_list(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions, {"--json"});
    auto s = open_store(o, store::OpenMode::read_only);
    json out = json::array();
    for (const auto& u : s->users()) out.push_back(user_json(u));
    if (o.has("--json")) {
        std::cout << out.dump() << "\n";
    } else {
        for (const auto& u : out)
            std::cout << u["name"].get<std::string>() << "\t" << u["role"].get<std::string>() << "\t"
                      << (u["post"].is_null() ? "-" : u["post"].get<std::string>()) << "\t" << u["display_name"].get<std::string>()
                      << (u["absent"].get<bool>() ? "\t(absent)" : "") << "\n";
    }
    return kOk;
}

int user_passwd(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--new-password-file", "--kdf-ops", "--kdf-mem-mib"}));
    Password npw(o.require("--new-password-file"));
    auto s = open_store(o);
    s->change_password(npw.text, kdf_from(o));
    std::cout << "password of " << s->user().name << " changed\n";
    return kOk;
}

int user_set(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--name", "--post", "--display-name", "--department"}));
    std::string name = o.require("--name");
    auto s = open_store(o);
    auto u = s->user_info(name);
    if (!u) throw core::InvalidData(subst(tr("no user '%1' in this store"), name));
    core::Post post = o.get("--post") ? parse_post(*o.get("--post")) : u->post;
    if (o.get("--post") || o.get("--display-name") || !o.get("--department"))
        s->set_user_profile(name, post, o.get("--display-name").value_or(u->display_name));
    if (auto d = o.get("--department")) s->set_user_department(name, *d);
    std::cout << "user " << name << ": post " << core::to_code(post);
    if (auto d = o.get("--department")) std::cout << ", department " << (d->empty() ? "(every department)" : *d);
    std::cout << "\n";
    return kOk;
}

int user_absent(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--name"}), {"--on", "--off"});
    if (o.has("--on") == o.has("--off")) throw UsageError{tr("give --on (absent) or --off (back)")};
    auto s = open_store(o);
    std::string name = o.get("--name").value_or(s->user().name);
    s->set_absent(name, o.has("--on"));
    std::cout << name << (o.has("--on") ? " is marked absent\n" : " is back\n");
    return kOk;
}

std::string read_file_bytes(const std::string& path, std::size_t limit, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::InvalidData("cannot read the " + what + " " + path);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.empty() || data.size() > limit) throw core::InvalidData("the " + what + " " + path + " is empty or too large");
    return data;
}

int seal_assign(const std::vector<std::string>& args) {
    // Here --user names the holder (the contract: seal assign --user N | --post A|B); the signed-in
    // administrator is --as NAME (default: the store's first user).
    auto o = Options::parse(args, {"--store", "--password-file", "--as", "--user", "--post", "--p12", "--pin-file", "--image", "--name",
                                   "--pkcs11-uri", "--pkcs11-module"});
    auto holder_user = o.get("--user");
    auto holder_post = o.get("--post");
    if (holder_user.has_value() == holder_post.has_value()) throw UsageError{tr("give --user NAME or --post A|B (the holder)")};
    const auto p12_file = o.get("--p12");
    const auto uri = o.get("--pkcs11-uri");
    if (p12_file.has_value() == uri.has_value()) throw UsageError{tr("give the seal's key with --p12 FILE or --pkcs11-uri URI (one of them)")};
    if (o.get("--pkcs11-module") && !uri) throw UsageError{tr("--pkcs11-module goes with --pkcs11-uri")};
    workflow::SealAssignRequest r;
    if (holder_post) {
        if (*holder_post != "A" && *holder_post != "B") throw UsageError{tr("--post must be A or B")};
        r.holder_kind = store::SealAssignment::HolderKind::post;
        r.holder = *holder_post;
    } else {
        r.holder = *holder_user;
    }
    // The PIN (one line of the file, or of stdin with --pin-file -) opens the key before anything
    // is stored (workflow::assign_seal). A PKCS#12's PIN is kept with it; a token's is used only
    // now (to read the signer) and never stored: its holder types it at every decision.
    if (o.require("--pin-file") == "-" && o.get("--password-file").value_or("-") == "-")
        throw UsageError{tr("stdin can carry the password or the PIN, not both: give --password-file F")};
    std::string pin = read_input_line(o.require("--pin-file"), "PIN");
    struct Wipe {
        std::string& s;
        ~Wipe() { std::fill(s.begin(), s.end(), '\0'); }
    } wipe{pin};
    if (uri) {
        const char* env_module = std::getenv("OW_PKCS11_MODULE");
        r.pkcs11_uri = *uri;
        r.pkcs11_module = o.get("--pkcs11-module").value_or(env_module ? env_module : "");
    } else {
        r.p12 = read_file_bytes(*p12_file, 1 << 20, "PKCS#12 file");
    }
    if (auto img = o.get("--image")) r.image = read_file_bytes(*img, 4 << 20, "seal image");
    r.name = o.get("--name").value_or("行政审批专用章");
    auto s = open_store(o.require("--store"), o.get("--password-file").value_or("-"), o.get("--as").value_or(""));
    const auto a = workflow::assign_seal(*s, r, pin, core::now());
    std::cout << "seal '" << a.name << "' (" << a.signer << (a.on_token() ? ", on a PKCS#11 token" : "") << ") assigned to "
              << (holder_post ? "post " + *holder_post : "user " + a.holder) << "\n";
    return kOk;
}

int seal_test(const std::vector<std::string>& args) {
    // As for seal assign: --user / --post name the holder, --as the signed-in administrator.
    auto o = Options::parse(args, {"--store", "--password-file", "--as", "--user", "--post", "--pin-file", "-o"}, {"--json"});
    auto holder_user = o.get("--user");
    auto holder_post = o.get("--post");
    if (holder_user.has_value() == holder_post.has_value()) throw UsageError{tr("give --user NAME or --post A|B (the seal's holder)")};
    if (holder_post && *holder_post != "A" && *holder_post != "B") throw UsageError{tr("--post must be A or B")};
    if (o.get("--pin-file").value_or("") == "-" && o.get("--password-file").value_or("-") == "-")
        throw UsageError{tr("stdin can carry the password or the PIN, not both: give --password-file F")};
    std::string pin = o.get("--pin-file") ? read_input_line(*o.get("--pin-file"), "PIN") : std::string();
    struct Wipe {
        std::string& s;
        ~Wipe() { std::fill(s.begin(), s.end(), '\0'); }
    } wipe{pin};
    auto s = open_store(o.require("--store"), o.get("--password-file").value_or("-"), o.get("--as").value_or(""));
    const auto kind = holder_post ? store::SealAssignment::HolderKind::post : store::SealAssignment::HolderKind::user;
    const auto t = workflow::test_seal(*s, kind, holder_post ? *holder_post : *holder_user, pin, core::now());
    if (auto out = o.get("-o")) core::write_secret_file(*out, t.pdf);
    if (o.has("--json")) {
        std::cout << json{{"holder_kind", holder_post ? "post" : "user"}, {"holder", t.holder}, {"name", t.seal_name},
                          {"kind", t.on_token ? "pkcs11" : "pkcs12"}, {"signer", t.signer}, {"subject", t.signer_subject},
                          {"valid", t.valid}, {"problems", t.problems}}
                         .dump()
                  << "\n";
    } else {
        std::cout << "seal '" << t.seal_name << "' of " << (holder_post ? "post " : "user ") << t.holder << ": test signature "
                  << (t.valid ? "VALID" : "INVALID") << ", signer " << t.signer << "\n";
        for (const auto& p : t.problems) std::cout << "  problem: " << p << "\n";
    }
    return t.valid ? kOk : kNo;
}

int seal_assigned(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions, {"--json"});
    auto s = open_store(o, store::OpenMode::read_only);
    json out = json::array();
    for (const auto& a : store::SealAssignments(s->db()).list())
        out.push_back({{"holder_kind", a.holder_kind == store::SealAssignment::HolderKind::user ? "user" : "post"},
                       {"holder", a.holder},
                       {"name", a.name},
                       {"signer", a.signer},
                       {"visible", !a.image.empty()},
                       {"kind", a.on_token() ? "pkcs11" : "pkcs12"},
                       {"pkcs11_uri", a.on_token() ? json(a.pkcs11_uri) : json(nullptr)},
                       {"assigned_by", a.assigned_by},
                       {"assigned_at", a.assigned_at}});
    std::cout << out.dump(o.has("--json") ? -1 : 2) << "\n";
    return kOk;
}

}  // namespace

void register_user_commands() {
    auto& c = commands();
    c.push_back({"user", "add",
                 "--store DIR --password-file F [--user NAME] --new-user N --role clerk|chief|admin [--post A|B] [--display-name T] "
                 "--new-password-file F2",
                 TR_N_("add a user (administrators; audited)"), run_guarded<user_add>});
    c.push_back({"user", "list", "--store DIR --password-file F [--user NAME] [--json]",
                 TR_N_("the store's users: name, role, post, display name, absence"), run_guarded<user_list>});
    c.push_back({"user", "passwd", "--store DIR --password-file F [--user NAME] --new-password-file F2", TR_N_("change your own password"),
                 run_guarded<user_passwd>});
    c.push_back({"user", "set", "--store DIR --password-file F [--user NAME] --name N [--post A|B|none] [--display-name T] [--department D]",
                 TR_N_("set a user's post, display name and (chief representatives) the department they represent, empty for every "
                       "department (administrators; audited)"),
                 run_guarded<user_set>});
    c.push_back({"user", "absent", "--store DIR --password-file F [--user NAME] [--name N] --on|--off",
                 TR_N_("mark a user absent or back (yourself, or anyone as administrator); B acts for an absent A"),
                 run_guarded<user_absent>});
    c.push_back({"seal", "assign",
                 "--store DIR --password-file F [--as ADMIN] (--user N | --post A|B) (--p12 F | --pkcs11-uri URI [--pkcs11-module SO]) "
                 "--pin-file P [--image PNG] [--name T]",
                 TR_N_("give a seal to a user or post (administrators; audited): a PKCS#12 kept with its PIN in the encrypted store, or a key "
                 "on a PKCS#11 token (the PIN opens it once to read the signer and is not stored: the holder gives it at each decision, "
                 "case decide --pin-file)"),
                 run_guarded<seal_assign>});
    c.push_back({"seal", "test", "--store DIR --password-file F [--as ADMIN] (--user N | --post A|B) [--pin-file P] [-o OUT.pdf] [--json]",
                 TR_N_("sign a one-page test PDF with an assigned seal and verify it (administrators; audited \"seal.tested\"): exit 0 valid, "
                 "1 invalid or refused; a token's seal needs its PIN (--pin-file), a PKCS#12 seal opens with its stored PIN"),
                 run_guarded<seal_test>});
    c.push_back({"seal", "assigned", "--store DIR --password-file F [--user NAME] [--json]",
                 TR_N_("the seals assigned (no keys or PINs; kind pkcs12|pkcs11, a token's URI)"), run_guarded<seal_assigned>});
}

}  // namespace ow::cli
