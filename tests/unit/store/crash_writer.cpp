// Test helper: commits cases to a store as fast as it can and reports each commit on stdout
// ("C <case id>" after the transaction that created and received it returned). The crash test
// kills it with SIGKILL at random moments and checks that every reported case is complete.
#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/store/cases.h"
#include "ow/store/demo.h"
#include "ow/store/store.h"

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: store_crash_writer STORE_DIR PASSWORD SOURCE_DIR\n");
        return 2;
    }
    using namespace ow;
    try {
        auto cal = core::WorkCalendar::load_directory(std::string(argv[3]) + "/assets/calendar");
        auto cat = core::Catalogue::load_directory(std::string(argv[3]) + "/forms/catalog");
        auto s = store::Store::open(argv[1], "clerk", argv[2]);
        store::CaseStore cases(s->db(), cal);
        const core::Actor clerk{"clerk", core::Role::clerk, core::Post::none, ""};
        const auto& item = *cat.item("370102-SC-0002-001");
        for (int i = 0;; ++i) {
            core::Applicant a;
            a.name = "崩溃测试" + std::to_string(i);
            a.doc_number = store::synthetic_resident_id("370102", core::parse_date("1980-01-01"), i % 1000);
            a.phone = "13800138000";
            core::Case c = core::Case::create(item, a);
            auto t = core::now();
            cases.create(c, clerk, t, {});
            cases.commit(c.id, {core::CaseAction::receive, clerk, t, "", nlohmann::json::object()});
            std::printf("C %s\n", c.id.to_string().c_str());
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "writer: %s\n", e.what());
        return 1;
    }
}
