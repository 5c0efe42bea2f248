// Internal: a table mapping an enum to its JSON code and its Chinese display name.
#pragma once

#include "ow/core/error.h"

#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace ow::core::detail {

template <class E, std::size_t N>
using EnumTable = std::array<std::pair<E, std::array<std::string_view, 2>>, N>;  // enum -> {code, zh}

template <class E, std::size_t N>
std::string_view enum_name(const EnumTable<E, N>& t, E v, int col) {
    for (const auto& [e, names] : t)
        if (e == v) return names[std::size_t(col)];
    return "?";
}

template <class E, std::size_t N>
E enum_parse(const EnumTable<E, N>& t, std::string_view code) {
    for (const auto& [e, names] : t)
        if (names[0] == code) return e;
    std::string allowed;
    for (const auto& [e, names] : t) allowed += (allowed.empty() ? "" : ", ") + std::string(names[0]);
    throw InvalidData("unknown code '" + std::string(code.substr(0, 40)) + "' (allowed: " + allowed + ")");
}

}  // namespace ow::core::detail

#include "ow/core/json_reader.h"

#include <optional>

namespace ow::core::detail {

/// Reads member `key` of r as an enum code of table t; `fallback` when absent (else "missing").
template <class E, std::size_t N>
E read_enum(const JsonReader& r, const char* key, const EnumTable<E, N>& t, std::optional<E> fallback = std::nullopt) {
    if (!r.has(key)) {
        if (fallback) return *fallback;
        r.fail_at(key, "missing");
    }
    try {
        return enum_parse(t, r.str(key));
    } catch (const InvalidData& e) {
        r.fail_at(key, e.what());
    }
}

}  // namespace ow::core::detail
