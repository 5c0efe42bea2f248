// onewindow-cli plugins list|call — window devices through the plugin host (ow_plugins).
// Plugins run in onewindow-plugin-host helper processes; this command never loads plugin code.
#include "cli.h"
#include "i18n.h"

#include "ow/plugins/host.h"

#include <charconv>
#include <iomanip>
#include <iostream>

namespace ow::cli {
namespace {

std::string capabilities_text(const plugins::Manifest& m) {
    std::string out;
    for (auto c : m.capabilities)
        out += (out.empty() ? "" : ",") + std::string(plugins::capability_name(c));
    return out.empty() ? "-" : out;
}

int list(const std::vector<std::string>& args) {
    bool as_json = false;
    for (const auto& a : args) {
        if (a == "--json")
            as_json = true;
        else
            throw UsageError{subst(tr("unexpected argument %1"), a)};
    }
    auto found = plugins::discover(plugins::default_search_path());
    if (as_json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& m : found.plugins) {
            auto j = plugins::to_json(m);
            j["status"] = "ok";
            out.push_back(j);
        }
        for (const auto& r : found.refused)
            out.push_back({{"name", r.name},
                           {"path", r.path.string()},
                           {"status", "refused"},
                           {"code", r.code},
                           {"reason", r.reason}});
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return kOk;
    }
    for (const auto& m : found.plugins) {
        std::string actions;
        for (const auto& a : m.actions)
            actions += (actions.empty() ? "" : ",") + a;
        std::cout << std::left << std::setw(14) << m.name << " " << std::setw(8) << m.version << " " << std::setw(16)
                  << capabilities_text(m) << " " << actions << (m.test_only ? "  (test only)" : "") << "\n";
    }
    if (!found.refused.empty()) {
        std::cout << "refused:\n";
        for (const auto& r : found.refused)
            std::cout << "  " << r.name << ": " << r.reason << "\n";
    }
    return kOk;
}

int call(const std::vector<std::string>& args) {
    std::vector<std::string> pos;
    std::optional<std::chrono::milliseconds> timeout;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--timeout") {
            if (i + 1 >= args.size()) throw UsageError{tr("--timeout needs milliseconds")};
            const std::string& s = args[++i];
            long ms = 0;
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), ms);
            if (ec != std::errc() || p != s.data() + s.size() || ms < 1 || ms > 3600000)
                throw UsageError{tr("--timeout needs 1..3600000 milliseconds")};
            timeout = std::chrono::milliseconds(ms);
        } else if (args[i].rfind("--", 0) == 0) {
            throw UsageError{subst(tr("unknown option %1"), args[i])};
        } else {
            pos.push_back(args[i]);
        }
    }
    if (pos.size() < 2 || pos.size() > 3) throw UsageError{tr("expected NAME ACTION [JSON]")};
    nlohmann::json request = nlohmann::json::object();
    if (pos.size() == 3) {
        request = nlohmann::json::parse(pos[2], nullptr, false);
        if (request.is_discarded() || !request.is_object()) throw UsageError{tr("the request must be a JSON object")};
    }
    plugins::PluginHost host;
    try {
        auto answer = host.call(pos[0], pos[1], request, timeout);
        std::cout << answer.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return kOk;
    } catch (const plugins::DeviceUnavailable& e) {
        std::cerr << "onewindow-cli: " << coded_text(e) << "\n";
        return kNo;
    } catch (const plugins::PluginFailed& e) {
        std::cerr << "onewindow-cli: " << coded_text(e) << "\n";
        return kNo;
    } catch (const plugins::PluginRefused& e) {
        std::cerr << "onewindow-cli: " << subst(tr("plugin refused: %1"), coded_text(e)) << "\n";
        return kNo;
    } catch (const plugins::PluginError& e) {  // not found, unknown action, bad request
        std::cerr << "onewindow-cli: " << coded_text(e) << "\n";
        return kUsage;
    }
}

}  // namespace

void register_plugins_commands() {
    commands().push_back({"plugins", "list", "[--json]",
                          TR_N_("list the device plugins found (install, per-user and build-tree directories) and the "
                          "ones refused, with the reason"),
                          list});
    commands().push_back({"plugins", "call", "NAME ACTION [JSON] [--timeout MS]",
                          TR_N_("call a plugin's action (id readers: read, scanners: scan, rating devices: rate) and "
                          "print its JSON answer; exit 1 when the device is unavailable or the plugin failed"),
                          call});
}

}  // namespace ow::cli
