// Administrative division codes (GB/T 2260): every province-level code, the prefecture-level
// codes the catalogue needs, and a few county-level codes seen in the catalogue and tests.
#pragma once

#include <span>
#include <string_view>

namespace ow::forms {

struct Region {
    const char* code;  // 6 digits
    const char* name;  // zh_CN
};

/// The shipped table, in code order.
std::span<const Region> regions();
/// The region with this exact code, or nullptr.
const Region* find_region(std::string_view code);
/// True when `code` is a shipped code, or a 6-digit county-level code whose prefecture is
/// shipped (county-level codes are not all shipped, so those cannot be checked further).
bool region_code_plausible(std::string_view code);

}  // namespace ow::forms
