#include "ow/core/json_reader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ow::core {

std::string json_pointer_token(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out.push_back(c);
    }
    return out;
}

void JsonReader::fail(const std::string& what) const {
    throw InvalidData(source_ + ": " + (ptr_.empty() ? std::string("/") : ptr_) + ": " + what);
}

void JsonReader::fail_at(const std::string& key, const std::string& what) const {
    throw InvalidData(source_ + ": " + ptr_ + "/" + json_pointer_token(key) + ": " + what);
}

const JsonReader& JsonReader::object() const {
    if (!v_.is_object()) fail("must be an object");
    return *this;
}

const JsonReader& JsonReader::array() const {
    if (!v_.is_array()) fail("must be an array");
    return *this;
}

bool JsonReader::has(const char* key) const { return v_.is_object() && v_.contains(key) && !v_.at(key).is_null(); }

JsonReader JsonReader::at(const char* key) const {
    object();
    auto it = v_.find(key);
    if (it == v_.end()) fail_at(key, "missing");
    return JsonReader(*it, source_, ptr_ + "/" + json_pointer_token(key));
}

JsonReader JsonReader::at(std::size_t index) const {
    array();
    if (index >= v_.size()) fail("index " + std::to_string(index) + " out of range");
    return JsonReader(v_[index], source_, ptr_ + "/" + std::to_string(index));
}

std::string JsonReader::str(const char* key) const {
    JsonReader r = at(key);
    if (!r.v_.is_string()) r.fail("must be a string");
    const auto& s = r.v_.get_ref<const std::string&>();
    if (s.size() > kMaxString) r.fail("string too long");
    return s;
}

std::string JsonReader::str_or(const char* key, std::string fallback) const {
    return has(key) ? str(key) : fallback;
}

std::int64_t JsonReader::int64(const char* key, std::int64_t min, std::int64_t max) const {
    JsonReader r = at(key);
    if (!r.v_.is_number_integer()) r.fail("must be an integer");
    auto v = r.v_.get<std::int64_t>();
    if (r.v_.is_number_unsigned() && r.v_.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) r.fail("out of range");
    if (v < min || v > max) r.fail("must be between " + std::to_string(min) + " and " + std::to_string(max));
    return v;
}

std::int64_t JsonReader::int64_or(const char* key, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
    return has(key) ? int64(key, min, max) : fallback;
}

bool JsonReader::boolean_or(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    JsonReader r = at(key);
    if (!r.v_.is_boolean()) r.fail("must be true or false");
    return r.v_.get<bool>();
}

Date JsonReader::date(const char* key) const {
    auto s = str(key);
    auto d = try_parse_date(s);
    if (!d) fail_at(key, "not a date (YYYY-MM-DD): " + s.substr(0, 40));
    return *d;
}

std::optional<Date> JsonReader::date_opt(const char* key) const {
    if (!has(key)) return std::nullopt;
    return date(key);
}

Instant JsonReader::instant(const char* key) const {
    auto s = str(key);
    try {
        return parse_instant(s);
    } catch (const ParseError&) {
        fail_at(key, "not an RFC 3339 time: " + s.substr(0, 40));
    }
}

std::optional<Instant> JsonReader::instant_opt(const char* key) const {
    if (!has(key)) return std::nullopt;
    return instant(key);
}

std::vector<std::string> JsonReader::strings_or_empty(const char* key) const {
    std::vector<std::string> out;
    if (!has(key)) return out;
    JsonReader arr = at(key);
    arr.array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        JsonReader e = arr.at(i);
        if (!e.v_.is_string()) e.fail("must be a string");
        out.push_back(e.v_.get<std::string>());
    }
    return out;
}

nlohmann::json parse_json_text(std::string_view text, const std::string& source) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw ParseError("json.syntax", source + ": not valid JSON: " + e.what());
    } catch (const nlohmann::json::exception& e) {
        // e.g. out_of_range 406: a number too large for a double (found by fuzz_definition)
        throw ParseError("json.syntax", source + ": not valid JSON: " + e.what());
    }
}

std::vector<std::filesystem::path> json_files_in(const std::filesystem::path& dir, std::error_code& ec) {
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json") files.push_back(it->path());
    std::sort(files.begin(), files.end());
    return files;
}

nlohmann::json read_json_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InvalidData(file.string() + ": cannot be opened");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_json_text(ss.str(), file.string());
}

}  // namespace ow::core
