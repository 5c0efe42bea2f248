// Workflow::load keeps the case it committed last and reuses it only while the store holds that
// same version: a change made elsewhere (another connection: the sync thread, another program)
// is always seen.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/forms/definition.h"
#include "ow/store/demo.h"
#include "ow/workflow/workflow.h"

using namespace ow;
using namespace ow::test;

BOOST_AUTO_TEST_SUITE(workflow_load)

BOOST_FIXTURE_TEST_CASE(a_change_made_elsewhere_is_seen_by_the_next_act, StoreFixture) {
    static const auto forms = forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    workflow::Environment env;
    env.catalogue = &catalogue();
    env.forms = &forms;
    env.act_as = [] { return core::Actor{"clerk", core::Role::clerk, core::Post::none, ""}; };
    workflow::Workflow wf(*s, calendar(), env);
    auto id = wf.start_intake({"370102-SC-0002-001", ""}).case_data.id;
    workflow::SetApplicant a;
    a.doc_number = store::synthetic_resident_id("370102", core::parse_date("1985-03-07"), 3);
    a.name = "上官𠮷";
    wf.set_applicant(id, a);
    BOOST_CHECK_EQUAL(wf.load(id).applicant.name, "上官𠮷");  // the kept copy
    BOOST_CHECK_EQUAL(wf.load(id).history.size(), 1u);

    // Another connection (as the sync thread has) records the platform's case number and a
    // remote event; then the clerk's next act starts from what the store holds.
    auto other = s->connect();
    store::CaseStore cs(*other, calendar());
    cs.set_platform_case_no(id, "370102-20251009-000042", core::now());
    BOOST_CHECK_EQUAL(wf.load(id).platform_case_no, "370102-20251009-000042");
    auto c = *cs.load(id);
    cs.commit(c, {core::CaseAction::mark_material, {"clerk2", core::Role::clerk, core::Post::none, ""}, core::now(), "",
                  {{"material_code", "articles"}, {"status", "original_received"}}});
    auto seen = wf.load(id);
    BOOST_CHECK_EQUAL(seen.history.size(), 2u);
    BOOST_CHECK(seen.checklist.find("articles")->status == core::MaterialStatus::original_received);
    // And an act on it commits on top of that change (no conflict with a stale copy).
    workflow::RecordMaterial m;
    m.material_code = "application";
    auto r = wf.record_material(id, m);
    BOOST_CHECK_EQUAL(r.case_data.history.size(), 3u);
    BOOST_CHECK(r.case_data.checklist.find("articles")->status == core::MaterialStatus::original_received);
    BOOST_CHECK_EQUAL(cs.load(id)->history.size(), 3u);
}

BOOST_AUTO_TEST_SUITE_END()
