// Shared fixtures for the store tests: a fresh store in a temporary directory with cheap Argon2id
// parameters (the real ones are measured in bench/), helpers to build cases and to read raw files.
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/store/cases.h"
#include "ow/store/store.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace ow::test {

inline store::KdfParams fast_kdf() { return {1, std::size_t(8) << 20}; }

inline const core::WorkCalendar& calendar() {
    static core::WorkCalendar c = core::WorkCalendar::load_directory(std::string(OW_SOURCE_DIR) + "/assets/calendar");
    return c;
}

inline const core::Catalogue& catalogue() {
    static core::Catalogue c = core::Catalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return c;
}

/// The shipped catalogue as (type, body text) entries, bodies exactly as in the files (items,
/// then bundles, by file name): what the platform delivers and the catalogue cache keeps.
inline std::vector<std::pair<std::string, std::string>> catalogue_entries() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const char* kind : {"item", "bundle"}) {
        std::vector<std::filesystem::path> files;
        for (const auto& f : std::filesystem::directory_iterator(std::string(OW_SOURCE_DIR) + "/forms/catalog/" + kind + "s"))
            if (f.path().extension() == ".json") files.push_back(f.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            out.emplace_back(kind, text.str());
        }
    }
    return out;
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("ow-store-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

inline const std::string kPassword = "correct horse battery";

struct StoreFixture {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    std::string recovery;
    std::unique_ptr<store::Store> s;

    StoreFixture() {
        recovery = store::Store::init(dir, "clerk", core::Role::clerk, kPassword, fast_kdf());
        s = store::Store::open(dir, "clerk", kPassword);
    }
    store::CaseStore cases() { return store::CaseStore(s->db(), calendar()); }
};

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << data;
}

inline core::Actor clerk() { return {"clerk", core::Role::clerk, core::Post::none, ""}; }

inline core::Applicant applicant(const std::string& name, const std::string& id, const std::string& phone) {
    core::Applicant a;
    a.name = name;
    a.doc_number = id;
    a.phone = phone;
    a.address = "济南市历下区泉城路1号";
    return a;
}

}  // namespace ow::test
