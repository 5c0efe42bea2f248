#include "ow/store/demo.h"

#include "ow/core/validators.h"

#include <cstdio>

namespace ow::store {

std::string synthetic_resident_id(const std::string& region6, core::Date birth, int sequence3) {
    char first17[24];
    std::chrono::year_month_day ymd{birth};
    std::snprintf(first17, sizeof first17, "%s%04d%02u%02u%03d", region6.c_str(), int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), sequence3 % 1000);
    return std::string(first17) + core::resident_id_check_char(first17);
}

}  // namespace ow::store
