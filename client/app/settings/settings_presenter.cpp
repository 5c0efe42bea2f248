#include "settings/settings_presenter.h"

#include "ow/core/error.h"
#include "ow/core/i18n.h"
#include "ow/store/errors.h"
#include "ow/store/repositories.h"
#include "ow/sync/errors.h"
#include "ow/sync/signing.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ow::app {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;

/// The text of a small file, or nothing (missing, unreadable, larger than 1 MiB).
std::optional<std::string> read_small_file(const std::filesystem::path& file) {
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (ec || size > kMaxFileBytes) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return ss.str();
}

SettingApplied refused(const std::string& code, const std::string& message) {
    SettingApplied out;
    out.code = code;
    out.message = message;
    return out;
}

}  // namespace

SettingsPresenter::SettingsPresenter(DeskServices& services) : services_(services) { reload(); }

void SettingsPresenter::reload() {
    rows_.clear();
    auto& store = services_.store();
    store::SettingValues values(store);
    for (const auto& d : store::setting_defs()) {
        SettingRow r;
        r.def = &d;
        r.value = values.get(d.name);
        r.is_default = !values.is_set(d.name);
        r.may_change = store::may_change_setting(store, d);
        rows_.push_back(std::move(r));
    }
}

const SettingRow* SettingsPresenter::row(std::string_view key) const {
    for (const auto& r : rows_)
        if (r.def->name == key) return &r;
    return nullptr;
}

SettingRow* SettingsPresenter::find(std::string_view key) { return const_cast<SettingRow*>(std::as_const(*this).row(key)); }

namespace {

/// The password of a URL's user part ("http://user:pw@host" → "pw"), if it has one.
std::optional<std::pair<std::size_t, std::size_t>> password_span(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return std::nullopt;
    const auto start = scheme + 3;
    const auto at = url.find('@', start);
    const auto slash = url.find('/', start);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return std::nullopt;
    const auto colon = url.find(':', start);
    if (colon == std::string::npos || colon > at) return std::nullopt;
    return std::make_pair(colon + 1, at - colon - 1);
}

}  // namespace

std::string SettingsPresenter::keep_hidden_password(const std::string& typed, const std::string& stored) {
    // The field shows the stored proxy as user:***@host (shown_value): when the clerk edits another
    // part and leaves the stars, the stored password stays — the stars are not a new password.
    const auto t = password_span(typed);
    const auto s = password_span(stored);
    if (!t || !s || typed.compare(t->first, t->second, "***") != 0) return typed;
    return typed.substr(0, t->first) + stored.substr(s->first, s->second) + typed.substr(t->first + t->second);
}

SettingApplied SettingsPresenter::apply(const std::string& key, const std::string& text) {
    SettingRow* r = find(key);
    if (!r) return refused("settings.unknown_key", "no setting '" + key + "'");
    SettingApplied out;
    try {
        const std::string before = r->value;
        const std::string value = r->def && r->def->type == store::SettingType::proxy ? keep_hidden_password(text, before) : text;
        out.value = store::SettingValues(services_.store()).set(key, value);
        out.stored = true;
        out.language_changed = key == "ui.language" && out.value != before;
        out.font_changed = key == "ui.large_font" && out.value != before;
        r->value = out.value;
        r->is_default = false;
        r->error.clear();
        r->detail.clear();
    } catch (const core::Error& e) {  // SettingRefused, NotAuthorised, a store that cannot write
        out = refused(e.code(), e.what());
        r->error = out.code;
        r->detail = out.message;
    }
    return out;
}

SettingApplied SettingsPresenter::apply_file(const std::string& key, const std::filesystem::path& file) {
    auto text = read_small_file(file);
    if (!text) {
        auto out = refused("io.read", file.string() + ": cannot be read, or larger than 1 MiB");
        if (SettingRow* r = find(key)) {
            r->error = out.code;
            r->detail = out.message;
        }
        return out;
    }
    return apply(key, *text);
}

std::optional<plugins::Capability> SettingsPresenter::capability_of(std::string_view key) {
    if (key == "devices.id_reader") return plugins::Capability::id_reader;
    if (key == "devices.scanner") return plugins::Capability::scanner;
    if (key == "devices.rating_device") return plugins::Capability::rating_device;
    if (key == "devices.signature") return plugins::Capability::signature;
    return std::nullopt;
}

std::vector<std::string> SettingsPresenter::plugins_for(std::string_view key) {
    std::vector<std::string> out;
    auto cap = capability_of(key);
    if (!cap) return out;
    for (const auto& m : services_.plugins().discovery().plugins)
        if (std::find(m.capabilities.begin(), m.capabilities.end(), *cap) != m.capabilities.end()) out.push_back(m.name);
    std::sort(out.begin(), out.end());
    return out;
}

DeviceProbe SettingsPresenter::probe_for(std::string_view key) {
    DeviceProbe p;
    p.key = std::string(key);
    auto cap = capability_of(key);
    if (!cap) return p;
    const SettingRow* r = row(key);
    std::string chosen = r ? r->value : std::string();
    const plugins::Manifest* found = nullptr;
    for (const auto& m : services_.plugins().discovery().plugins) {
        if (std::find(m.capabilities.begin(), m.capabilities.end(), *cap) == m.capabilities.end()) continue;
        if (chosen.empty() ? (!found || m.name < found->name) : m.name == chosen) found = &m;
    }
    if (!found) return p;
    p.plugin = found->name;
    // A cheap question first (a device's state or list), else the capability's own action.
    for (const char* a : {"status", "devices", "list"})
        if (found->has_action(a)) {
            p.action = a;
            return p;
        }
    const char* main = *cap == plugins::Capability::id_reader ? "read"
                       : *cap == plugins::Capability::scanner ? "scan"
                       : *cap == plugins::Capability::rating_device ? "rate"
                                                                    : "sign";
    p.action = found->has_action(main) ? main : (found->actions.empty() ? main : found->actions.front().c_str());
    return p;
}

DeviceTestResult SettingsPresenter::run_probe(plugins::PluginHost& host, const DeviceProbe& probe, std::chrono::milliseconds timeout) {
    DeviceTestResult out;
    if (probe.plugin.empty()) {
        out.code = "device.none";
        out.detail = "no plugin with this capability was found";
        return out;
    }
    try {
        auto answer = host.call(probe.plugin, probe.action, nlohmann::json::object(), timeout);
        out.ok = true;
        out.detail = answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        if (out.detail.size() > 200) out.detail = out.detail.substr(0, 200) + "…";
    } catch (const core::Error& e) {  // the plugin host's errors: not found, refused, unavailable, failed
        out.code = e.code();
        out.detail = e.what();
    }
    return out;
}

std::vector<int> SettingsPresenter::official_years() const {
    // Read from the store (not the session's calendar) so that an import shows at once.
    return store::PlatformCalendars(services_.store().db()).calendar().years();
}

SettingApplied SettingsPresenter::import_calendar(const std::filesystem::path& file) {
    auto text = read_small_file(file);
    if (!text) return refused("io.read", file.string() + ": cannot be read, or larger than 1 MiB");
    try {
        auto done = store::import_calendar(services_.store(), *text, file.filename().string());
        SettingApplied out;
        out.stored = true;
        out.value = std::to_string(done.year);
        return out;
    } catch (const core::Error& e) {
        return refused(e.code(), e.what());
    }
}

EnrolForm SettingsPresenter::enrol_form() {
    EnrolForm f;
    auto& store = services_.store();
    f.may_enrol = store::may_administer(store);
    store::SettingValues values(store);
    f.url = values.get("platform.url");
    f.connected = !f.url.empty();
    if (f.url.empty()) f.url = kTrainingPlatformUrl;
    f.name = values.get("window.label");
    return f;
}

namespace {

EnrolOutcome enrol_refused(const std::string& code, const std::string& message) {
    EnrolOutcome out;
    out.code = code;
    out.message = message;
    return out;
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

EnrolJob SettingsPresenter::prepare_enrolment(const std::string& url, const std::string& name, std::string& code) {
    struct Wipe {
        std::string& s;
        ~Wipe() { sync::wipe_secret(s); }
    } wipe_code{code};
    EnrolJob job;
    auto& store = services_.store();
    if (!store::may_administer(store)) {
        job.refused = enrol_refused("store.not_authorised", "only an administrator may enrol this terminal; " + store.user().name +
                                                                " is a " + std::string(core::to_code(store.user().role)));
        return job;
    }
    try {
        job.request.url = store::check_setting(*store::find_setting("platform.url"), url);
        if (job.request.url.empty()) throw store::SettingRefused("empty", "platform.url: an address is needed to enrol");
    } catch (const store::SettingRefused& e) {
        job.refused = enrol_refused(e.code(), e.what());
        return job;
    }
    job.request.code = trimmed(code);
    if (job.request.code.empty()) {
        job.refused = enrol_refused("enrol.empty_code", "no enrolment code was typed");
        return job;
    }
    const std::string n = trimmed(name);
    if (!n.empty()) job.request.name = n;
    if (auto cfg = store::Settings(store.db()).platform()) {  // enrolled again: the same CA, pin and proxy
        job.request.transport.ca_pem = cfg->ca_pem;
        job.request.transport.pin = cfg->pin;
        job.request.transport.proxy = cfg->proxy;
        sync::wipe_secret(cfg->secret);
        sync::wipe_secret(cfg->client_key_pem);
    }
    job.store = store.another();
    return job;
}

EnrolOutcome SettingsPresenter::run_enrolment(EnrolJob& job) {
    if (job.refused) return *job.refused;
    EnrolOutcome out;
    sync::Enrolled enrolled;
    try {
        enrolled = sync::enrol_terminal(job.request);
        std::vector<sync::EnrolWarning> warnings;
        auto cfg = sync::enrolled_config(enrolled, job.request.url, job.request.transport, warnings);
        auto saved = sync::save_connection(*job.store, std::move(cfg), true, "platform.enrol");
        for (const auto& w : warnings) out.warnings.push_back(w.code);
        for (const auto& w : saved.warnings) out.warnings.push_back(w.code);
        out.ok = true;
        out.platform = saved.platform_name;
        out.centre = saved.centre;
        out.terminal_code = saved.terminal_code;
    } catch (const sync::SyncError& e) {
        out = enrol_refused(e.code(), e.what());
        out.kind = sync::to_code(e.kind());
    } catch (const core::Error& e) {  // NotAuthorised, a store that cannot write
        out = enrol_refused(e.code(), e.what());
    }
    sync::wipe_secret(enrolled.credentials.secret);
    sync::wipe_secret(enrolled.client_key_pem);
    return out;
}

void SettingsPresenter::enrolment_done(const EnrolOutcome& outcome) {
    if (!outcome.ok) return;
    reload();
    services_.wake_sync();  // the engine reads the connection at each pass: the next one uses it
}

std::vector<EnrolText> SettingsPresenter::enrol_text(const EnrolOutcome& o) {
    std::vector<EnrolText> out;
    if (o.ok) {
        out.push_back({OW_N_("Connected: %s, centre %s, terminal %s."), {o.platform, o.centre, o.terminal_code}});
        for (const auto& w : o.warnings)
            out.push_back({w == "enrol.no_client_cert" ? OW_N_("The platform issued no client certificate.")
                                                       : OW_N_("Its terminal code cannot be used in receipt numbers."),
                           {}});
        return out;
    }
    const auto& c = o.code;
    const char* text = c == "enrol.code_unknown"     ? OW_N_("The platform does not know this code: check it and type it again.")
                       : c == "enrol.code_used"      ? OW_N_("This code has been used already: ask the platform's administrator for a new one.")
                       : c == "enrol.code_expired"   ? OW_N_("This code has expired: ask the platform's administrator for a new one.")
                       : c == "enrol.empty_code"     ? OW_N_("Type the one-time code.")
                       : c == "invalid.enrolment_code" ? OW_N_("Not an enrolment code.")
                       : c == "invalid.name"         ? OW_N_("The platform does not accept this terminal name.")
                       : c == "store.not_authorised" ? OW_N_("Only an administrator may enrol this terminal.")
                       : c == "config.client_cert"
                           ? OW_N_("The platform's client certificate does not fit this terminal's key: nothing was saved.")
                       : c == "settings.insecure_url" ? OW_N_("Use https:// (http:// only for a platform on this computer).")
                       : c == "settings.bad_url" || c == "settings.empty" ? OW_N_("Not a valid address (https://host[:port][/path]).")
                       : o.kind == "retryable"
                           ? OW_N_("The platform cannot be reached: check the address and the network, then try again.")
                       : o.kind == "tls" ? OW_N_("The platform's certificate is not trusted: check the address (or the CA certificates).")
                       : o.kind == "auth"   ? OW_N_("The platform refused this terminal.")
                       : o.kind == "config" ? OW_N_("This platform address cannot be used.")
                                            : nullptr;
    if (text) out.push_back({text, {}});
    else if (o.kind == "rejected") out.push_back({OW_N_("The platform refused the enrolment (%s)."), {c}});
    else out.push_back({OW_N_("Not saved (%s)."), {c}});
    return out;
}

EnrolOutcome SettingsPresenter::enrol(const std::string& url, const std::string& name, std::string& code) {
    auto job = prepare_enrolment(url, name, code);
    auto out = run_enrolment(job);
    job.store.reset();
    enrolment_done(out);
    return out;
}

}  // namespace ow::app
