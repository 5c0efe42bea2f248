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

/// One line of text from a file, or from stdin when `source` is "-": for values that must not
/// appear in argv or the shell history (an enrolment code, an ID number, a search query). The
/// line ends at the first newline (a trailing CR is dropped). InvalidData (exit 1) when the file
/// cannot be read, the line is empty or longer than 4 KiB. The caller wipes secrets it reads.
std::string read_input_line(const std::string& source, const std::string& what);

}  // namespace ow::cli
