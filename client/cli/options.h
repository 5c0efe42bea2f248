// Tiny option parsing shared by the command groups: --name VALUE options and positionals.
#pragma once

#include "cli.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ow::cli {

struct Options {
    std::map<std::string, std::string> values;  // "--store" -> "DIR"
    std::set<std::string> flags;                // "--json"
    std::vector<std::string> positional;

    /// Parses args; `with_value` lists options that take a value, `flag_names` those that do not.
    /// Unknown options are a UsageError.
    static Options parse(const std::vector<std::string>& args, const std::set<std::string>& with_value,
                         const std::set<std::string>& flag_names = {});
    std::optional<std::string> get(const std::string& name) const;
    std::string require(const std::string& name) const;
    bool has(const std::string& flag) const { return flags.count(flag) != 0; }
    long number(const std::string& name, long fallback, long min, long max) const;
};

}  // namespace ow::cli
