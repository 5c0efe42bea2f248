// The command modules' common entry: picks the command from the arguments and runs it, mapping
// errors to the exit-code contract. Each module (onewindow-cli-full, onewindow-cli-seal) is loaded
// by the launcher (launcher.cpp) and calls run_commands with the groups it holds.
#include "cli.h"
#include "i18n.h"

#include "ow/core/error.h"
#include "ow/core/secure_file.h"
#include "ow/version.h"

#include <cstdio>
#include <exception>
#include <iostream>
#include <set>

#ifndef OW_VERSION
#define OW_VERSION "0.0.0"
#endif

namespace ow::cli {

std::vector<Command>& commands() {
    static std::vector<Command> all;
    return all;
}

namespace {

void print_usage(std::ostream& out, const std::string& only_group = {}) {
    if (only_group.empty()) {
        // TRANSLATORS: %1 is 一窗通, the product's Chinese name
        out << "onewindow-cli " OW_VERSION " — " << subst(tr("OneWindow (%1) from a terminal"), "一窗通") << "\n\n"
            << tr("usage:") << " onewindow-cli GROUP COMMAND [ARGS…]\n"
               "       onewindow-cli --version | --help\n\n"
            << tr("commands:") << "\n";
    } else {
        out << tr("usage:") << "\n";
    }
    for (const auto& c : commands()) {
        if (!only_group.empty() && c.group != only_group) continue;
        std::string head = "  onewindow-cli " + c.group + (c.name.empty() ? "" : " " + c.name) + " " + c.synopsis;
        out << head << "\n      " << subst(tr(c.summary.c_str()), c.summary_args) << "\n";
    }
    if (only_group.empty())
        out << "\n" << tr("exit status: 0 yes/ok, 1 no/invalid input, 2 usage or other error") << "\n";
}

}  // namespace

int run_commands(int argc, char** argv, const Module& module) {
    // A light module answers only what it holds; everything else (help, usage errors, a command or
    // an option it lacks) goes to the full module, which prints exactly what it always printed.
    const bool light = module.light;
    init_language();  // before any message
    // Commands hold the store key, the terminal secret and applicants' data: no core dumps.
    if (!ow::core::disable_core_dumps()) std::cerr << "onewindow-cli: " << tr("warning: core dumps could not be turned off") << "\n";
    module.register_commands();

    std::vector<std::string> args(argv + 1, argv + argc);
    if (light) {
        if (args.size() < 2) return kDelegate;
        for (const auto& a : args)
            if (a == "--help" || a == "-h" || a == "help" || a == "--version") return kDelegate;
    }
    if (args.empty()) {
        print_usage(std::cerr);
        return kUsage;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_usage(std::cout);
        return kOk;
    }
    if (args[0] == "--version") {
        std::cout << "onewindow-cli " OW_VERSION_TEXT "\n";
        return kOk;
    }
    const std::string& group = args[0];
    std::set<std::string> groups;
    for (const auto& c : commands()) groups.insert(c.group);
    if (!groups.count(group)) {
        if (light) return kDelegate;
        std::cerr << "onewindow-cli: " << subst(tr("unknown command '%1' (see --help)"), group) << "\n";
        return kUsage;
    }
    if (args.size() > 1 && (args[1] == "--help" || args[1] == "-h" || args[1] == "help")) {
        print_usage(std::cout, group);  // `onewindow-cli GROUP --help`
        return kOk;
    }
    const Command* cmd = nullptr;
    std::size_t consumed = 1;
    for (const auto& c : commands()) {
        if (c.group != group) continue;
        if (c.name.empty()) {
            cmd = &c;
            break;
        }
        if (args.size() > 1 && args[1] == c.name) {
            cmd = &c;
            consumed = 2;
            break;
        }
    }
    if (!cmd) {
        if (light) return kDelegate;
        std::cerr << "onewindow-cli: " << group << ": "
                  << (args.size() > 1 ? subst(tr("unknown subcommand '%1'"), args[1]) : std::string(tr("a subcommand is needed"))) << "\n";
        print_usage(std::cerr, group);
        return kUsage;
    }
    std::vector<std::string> rest(args.begin() + std::ptrdiff_t(consumed), args.end());
    for (const auto& a : rest)
        if (a == "--help" || a == "-h") {
            print_usage(std::cout, group);
            return kOk;
        }
    try {
        return cmd->run(rest);
    } catch (const Delegate&) {
        return kDelegate;
    } catch (const UsageError& e) {
        if (light) return kDelegate;
        std::cerr << "onewindow-cli: " << e.message << "\n";
        print_usage(std::cerr, group);
        return kUsage;
    } catch (const ow::core::InvalidData& e) {
        std::cerr << "onewindow-cli: " << subst(tr("invalid input: %1"), error_text(e)) << "\n";
        return kNo;
    } catch (const ow::core::ParseError& e) {
        std::cerr << "onewindow-cli: " << subst(tr("invalid input: %1"), error_text(e)) << "\n";
        return kNo;
    } catch (const ow::core::Error& e) {
        std::cerr << "onewindow-cli: " << coded_text(e) << "\n";
        return kUsage;
    } catch (const std::exception& e) {
        std::cerr << "onewindow-cli: " << subst(tr("error: %1"), e.what()) << "\n";
        return kUsage;
    }
}

}  // namespace ow::cli
