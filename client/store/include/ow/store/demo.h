// Realistic synthetic demo data for training, tests and benchmarks: cases spread across the
// lifecycle, applicants (common and rare surnames, some returning), checklists, decisions and
// ratings, written through CaseStore (the same command path as real work), so every seeded case
// and scan is queued for sync. Synthetic ID numbers with valid check digits; never real people.
// Deterministic for a given seed.
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/store/cases.h"
#include "ow/store/store.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace ow::store {

struct SeedOptions {
    int cases = 100;
    int scans = 0;          // exactly this many distinct synthetic scans are attached
    std::uint64_t seed = 1;
    TerminalIdentity terminal;
    /// Called every 1,000 cases with the number done (progress for long seeds).
    std::function<void(int)> progress;
};

struct SeedReport {
    int cases = 0;
    int scans = 0;
    std::map<std::string, int> by_state;
};

SeedReport seed_demo(Store& store, const core::Catalogue& catalogue, const core::WorkCalendar& calendar,
                     const SeedOptions& options);

/// A synthetic resident ID number with a valid check digit for a region, birth date and sequence.
std::string synthetic_resident_id(const std::string& region6, core::Date birth, int sequence3);

}  // namespace ow::store
