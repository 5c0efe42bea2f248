// The answers of the newborn bundle (新生儿出生一件事) shared by the desk's presenter tests.
#pragma once

#include <nlohmann/json.hpp>

namespace ow::test {

/// The answers of `onewindow-cli case answer` for 新生儿出生一件事 (tests/integration/cli_workflow.sh),
/// born five days before the demo desk's day.
inline nlohmann::json newborn_answers() {
    return nlohmann::json::parse(R"({"baby_name": "王小宝", "baby_sex": "male", "birth_date": "2026-11-19",
 "mother": {"name": "李红", "doc_type": 111, "doc_number": "11010519491231002X"}, "father_known": false,
 "birth_certificate_no": "Q123456789", "contact_phone": "13800138000",
 "cs_birth_place": {"region": "370102", "detail": "经十路1号"}, "cs_hospital": "济南市妇幼保健院", "cs_weight_g": 3300, "cs_gestation_weeks": 39,
 "hk_ethnicity": "汉族", "hk_register_with": "mother", "hk_household_head": "李红",
 "yb_category": "newborn", "yb_household_outside": false, "yb_insurance_year": 2026,
 "sbk_guardian": {"name": "李红", "doc_type": 111, "doc_number": "11010519491231002X"}, "sbk_bank": "icbc", "sbk_mail": false})");
}

}  // namespace ow::test
