// Synthetic identities for demo data and tests (never real people). The demo seed itself makes
// cases through the clerk's acts and lives in ow_workflow (ow/workflow/demo.h).
#pragma once

#include "ow/core/date.h"

#include <string>

namespace ow::store {

/// A synthetic resident ID number with a valid check digit for a region, birth date and sequence.
std::string synthetic_resident_id(const std::string& region6, core::Date birth, int sequence3);

}  // namespace ow::store
