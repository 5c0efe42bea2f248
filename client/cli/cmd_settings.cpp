// onewindow-cli settings list|get|set — the terminal's settings through the settings registry
// (ow/store/settings_registry.h), the same table the desk's settings screen uses. Exit 0 ok;
// 1 refused (a bad value, with the reason on stderr; an unknown key; a key the user's role may
// not change); 2 usage. A proxy's password is never printed (shown_value).
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/store/settings_registry.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace ow::cli {
namespace {

using ordered_json = nlohmann::ordered_json;

const char* home_code(store::SettingHome h) {
    switch (h) {
    case store::SettingHome::store: return "store";
    case store::SettingHome::platform: return "platform";
    case store::SettingHome::desk_prefs: return "desk_prefs";
    }
    return "store";
}

ordered_json setting_json(const store::SettingDef& d, store::SettingValues& values, const store::Store& s) {
    ordered_json j = {{"key", d.name},
                      {"type", store::to_code(d.type)},
                      {"value", store::shown_value(d, values.get(d.name))},
                      {"default", d.default_value},
                      {"is_default", !values.is_set(d.name)},
                      {"admin_only", d.admin_only},
                      {"may_change", store::may_change_setting(s, d)},
                      {"where", home_code(d.home)},
                      {"description", d.description}};
    if (d.type == store::SettingType::integer) j["range"] = {d.min, d.max};
    if (d.type == store::SettingType::choice) j["choices"] = d.choices;
    return j;
}

/// A refusal: the reason on stderr, exit 1.
int refused(const core::Error& e) {
    std::cerr << "onewindow-cli: " << subst(tr("refused: %1"), coded_text(e)) << "\n";
    return kNo;
}

int settings_list(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions, {"--json"});
    if (!o.positional.empty()) throw UsageError{tr("settings list takes no arguments")};
    auto s = open_store(o, store::OpenMode::read_only);
    store::SettingValues values(*s);
    if (o.has("--json")) {
        ordered_json out = ordered_json::array();
        for (const auto& d : store::setting_defs()) out.push_back(setting_json(d, values, *s));
        std::cout << out.dump(2) << "\n";
        return kOk;
    }
    for (const auto& d : store::setting_defs()) {
        std::string v = store::shown_value(d, values.get(d.name));
        if (d.type == store::SettingType::pem && !v.empty()) v = "(PEM, " + std::to_string(v.size()) + " bytes)";
        std::cout << d.name << " = " << v << (values.is_set(d.name) ? "" : "  (default)") << (d.admin_only ? "  [admin]" : "")
                  << "\n";
    }
    return kOk;
}

int settings_get(const std::vector<std::string>& args) {
    auto o = Options::parse(args, kOpenOptions, {"--json"});
    if (o.positional.size() != 1) throw UsageError{tr("expected one KEY")};
    const auto* def = store::find_setting(o.positional[0]);
    if (!def) return refused(store::SettingRefused("unknown_key", subst(tr("no setting '%1' (see settings list)"), o.positional[0])));
    auto s = open_store(o, store::OpenMode::read_only);
    store::SettingValues values(*s);
    if (o.has("--json")) std::cout << setting_json(*def, values, *s).dump(2) << "\n";
    else {
        std::string v = store::shown_value(*def, values.get(def->name));
        std::cout << v << (v.empty() || v.back() != '\n' ? "\n" : "");
    }
    return kOk;
}

std::string read_value_file(const std::string& source) {
    std::string text;
    if (source == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        std::ifstream in(source, std::ios::binary);
        if (!in) throw core::InvalidData(subst(tr("cannot read the value file %1"), source));
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    if (text.size() > (std::size_t(1) << 20)) throw core::InvalidData(tr("the value file is larger than 1 MiB"));
    return text;
}

int settings_set(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--value-file"}), {"--json"});
    const auto file = o.get("--value-file");
    if (o.positional.size() != (file ? 1u : 2u))
        throw UsageError{file ? tr("expected KEY with --value-file") : tr("expected KEY VALUE (or KEY --value-file F|-)")};
    if (file && *file == "-" && o.get("--password-file").value_or("-") == "-")
        throw UsageError{tr("--value-file - and the password cannot both come from stdin: give --password-file F")};
    const std::string key = o.positional[0];
    const auto* def = store::find_setting(key);
    if (!def) return refused(store::SettingRefused("unknown_key", subst(tr("no setting '%1' (see settings list)"), key)));
    const std::string text = file ? read_value_file(*file) : o.positional[1];
    try {
        (void)store::check_setting(*def, text);  // a bad value is refused before the store is opened
        auto s = open_store(o);
        store::SettingValues values(*s);
        std::string stored = values.set(key, text);
        if (o.has("--json")) std::cout << setting_json(*def, values, *s).dump(2) << "\n";
        else if (def->type != store::SettingType::pem) std::cout << key << " = " << store::shown_value(*def, stored) << "\n";
        else std::cout << key << " = (PEM, " << stored.size() << " bytes)\n";
        return kOk;
    } catch (const store::SettingRefused& e) {
        return refused(e);
    }
}

}  // namespace

void register_settings_commands() {
    const std::string open = "--store DIR --password-file F [--user U]";
    commands().push_back({"settings", "list", open + " [--json]",
                          TR_N_("every setting of the terminal with its value (or default), type and whether only an "
                          "administrator may change it"),
                          run_guarded<settings_list>});
    commands().push_back({"settings", "get", "KEY " + open + " [--json]", TR_N_("one setting's value"), run_guarded<settings_get>});
    commands().push_back({"settings", "set", "KEY VALUE|--value-file F|- " + open + " [--json]",
                          TR_N_("change a setting (audited); a bad value is refused with the reason (exit 1) and nothing is "
                          "stored"),
                          run_guarded<settings_set>});
}

}  // namespace ow::cli
