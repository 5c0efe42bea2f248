// Real notice PDFs for the page preview's tests and bench, made by the notice renderer the way
// tests/unit/notices does: the realistic case of tests/data/notices, with its catalogue item. A
// one-time notice grows by a page with each ~15 missing materials. Needs OW_SOURCE_DIR and
// OW_TEST_DATA (the test executables define them).
#pragma once

#include "ow/core/catalog.h"
#include "ow/notices/renderer.h"

#include <filesystem>
#include <stdexcept>
#include <string>

namespace ow::test {

inline const notices::NoticeRenderer& sample_renderer() {
    static const notices::NoticeRenderer r(notices::TemplateSet::load_directory(std::filesystem::path(OW_SOURCE_DIR) / "assets/notices"));
    return r;
}

/// The realistic case's notice of `kind` ("acceptance_receipt": one page) as PDF bytes. With
/// missing > 0 that many more materials are marked missing (a one_time_notice then runs longer).
inline notices::RenderedNotice sample_notice(const std::string& kind, int missing = 0) {
    static const core::Catalogue catalogue = core::Catalogue::load_directory(std::filesystem::path(OW_SOURCE_DIR) / "forms/catalog");
    notices::NoticeInput in = notices::read_notice_input(std::filesystem::path(OW_TEST_DATA) / "notices/realistic_case.json");
    const auto* item = catalogue.item(in.case_data.item_code);
    if (!item) throw std::runtime_error("the test catalogue has no item " + in.case_data.item_code);
    in.item = *item;
    for (int i = 1; i <= missing; ++i) {
        core::ChecklistEntry e;
        e.material_code = "missing" + std::to_string(i);
        e.name = "第" + std::to_string(i) + "项 证明材料（营业执照副本、法定代表人身份证明和授权委托书）";
        e.form = core::MaterialForm::copy;
        e.copies = 1;
        e.status = core::MaterialStatus::missing;
        e.note = "复印件不清晰，未加盖单位公章";
        in.case_data.checklist.entries.push_back(e);
    }
    return sample_renderer().render(kind, in);
}

}  // namespace ow::test
