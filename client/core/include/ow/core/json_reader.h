// Strict reading of JSON documents with errors that name the source and the JSON pointer
// (RFC 6901) of the offending value, e.g. "items/gtgs.json: /spec/materials/2/necessity: unknown
// code 'maybe'". Used for every JSON the core accepts (catalogue, calendar, case data).
#pragma once

#include "ow/core/date.h"
#include "ow/core/error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <system_error>
#include <optional>
#include <string>
#include <vector>

namespace ow::core {

class JsonReader {
public:
    JsonReader(const nlohmann::json& value, std::string source, std::string pointer = "")
        : v_(value), source_(std::move(source)), ptr_(std::move(pointer)) {}

    const nlohmann::json& value() const { return v_; }
    const std::string& pointer() const { return ptr_; }
    [[noreturn]] void fail(const std::string& what) const;
    [[noreturn]] void fail_at(const std::string& key, const std::string& what) const;

    /// Requires an object / array here.
    const JsonReader& object() const;
    const JsonReader& array() const;
    bool has(const char* key) const;
    /// A member (must exist; use has() for optional ones).
    JsonReader at(const char* key) const;
    /// An array element.
    JsonReader at(std::size_t index) const;
    std::size_t size() const { return v_.size(); }

    std::string str(const char* key) const;                        // required string
    std::string str_or(const char* key, std::string fallback) const;  // optional string
    std::int64_t int64(const char* key, std::int64_t min, std::int64_t max) const;
    std::int64_t int64_or(const char* key, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
    bool boolean_or(const char* key, bool fallback) const;
    Date date(const char* key) const;
    std::optional<Date> date_opt(const char* key) const;
    std::optional<Instant> instant_opt(const char* key) const;
    Instant instant(const char* key) const;
    std::vector<std::string> strings_or_empty(const char* key) const;

    /// Max length of any accepted string (bytes) — bad input must not exhaust memory downstream.
    static constexpr std::size_t kMaxString = 64 * 1024;

private:
    const nlohmann::json& v_;
    std::string source_;
    std::string ptr_;
};

/// Escapes one reference token for a JSON pointer.
std::string json_pointer_token(const std::string& key);

/// Parses text as JSON; ParseError naming `source` when it is not.
nlohmann::json parse_json_text(std::string_view text, const std::string& source);
/// The *.json files directly in `dir`, sorted by name (data files load in a stable order).
/// `ec` is set when the directory cannot be read; a missing directory gives no files and sets it.
std::vector<std::filesystem::path> json_files_in(const std::filesystem::path& dir, std::error_code& ec);

/// Reads and parses a JSON file; ParseError / InvalidData naming the file.
nlohmann::json read_json_file(const std::filesystem::path& file);

}  // namespace ow::core
