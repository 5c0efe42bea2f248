#include "options.h"

#include "i18n.h"

#include "ow/core/error.h"

#include <charconv>
#include <fstream>
#include <iostream>

namespace ow::cli {

Options Options::parse(const std::vector<std::string>& args, const std::set<std::string>& with_value,
                       const std::set<std::string>& flag_names) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() > 2 && a.rfind("--", 0) == 0) {
            std::string name = a, value;
            auto eq = a.find('=');
            bool inline_value = eq != std::string::npos;
            if (inline_value) {
                name = a.substr(0, eq);
                value = a.substr(eq + 1);
            }
            if (with_value.count(name)) {
                if (!inline_value) {
                    if (i + 1 >= args.size()) throw UsageError{subst(tr("%1 needs a value"), name)};
                    value = args[++i];
                }
                o.values[name] = value;
            } else if (flag_names.count(name) && !inline_value) {
                o.flags.insert(name);
            } else {
                throw UsageError{subst(tr("unknown option %1"), name)};
            }
        } else if (a == "-o" && with_value.count("-o")) {
            if (i + 1 >= args.size()) throw UsageError{tr("-o needs a value")};
            o.values["-o"] = args[++i];
        } else {
            o.positional.push_back(a);
        }
    }
    return o;
}

std::optional<std::string> Options::get(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

std::string Options::require(const std::string& name) const {
    auto v = get(name);
    if (!v || v->empty()) throw UsageError{subst(tr("%1 is required"), name)};
    return *v;
}

long Options::number(const std::string& name, long fallback, long min, long max) const {
    auto v = get(name);
    if (!v) return fallback;
    long n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || p != v->data() + v->size() || n < min || n > max)
        throw UsageError{subst(tr("%1 must be a number between %2 and %3"), name, std::to_string(min), std::to_string(max))};
    return n;
}

std::string read_input_line(const std::string& source, const std::string& what) {
    constexpr std::size_t kMax = 4096;
    std::ifstream file;
    if (source != "-") {
        file.open(source, std::ios::binary);
        if (!file) throw core::InvalidData("cannot read the " + what + " file " + source);
    }
    std::istream& in = source == "-" ? std::cin : file;
    std::string line;
    for (char c; in.get(c) && c != '\n';) {
        if (line.size() == kMax) throw core::InvalidData("the " + what + " is longer than 4 KiB");
        line.push_back(c);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw core::InvalidData("no " + what + " in " + (source == "-" ? std::string("stdin") : source));
    return line;
}

}  // namespace ow::cli
