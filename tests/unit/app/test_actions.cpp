// The action table: declared once, every hotkey unique, enabled-when follows the desk's state and
// the case machine, and run() refuses a disabled or unbound action.
#include <boost/test/unit_test.hpp>

#include "shell/actions.h"

#include <set>

using namespace ow;
using app::DeskState;

BOOST_AUTO_TEST_SUITE(actions)

BOOST_AUTO_TEST_CASE(the_desk_table_is_sound) {
    auto r = app::desk_actions();
    std::set<std::string> ids, keys;
    for (const auto& a : r.actions()) {
        BOOST_CHECK_MESSAGE(ids.insert(a.id).second, "duplicate id " << a.id);
        if (!a.hotkey.empty()) BOOST_CHECK_MESSAGE(keys.insert(a.hotkey).second, "duplicate key " << a.hotkey);
        BOOST_CHECK_MESSAGE(a.label && *a.label, a.id << " has no label");
        BOOST_CHECK_MESSAGE(a.help && *a.help, a.id << " has no help (tooltip, F1 list)");
    }
    // The keys the desk promises (desk-ui.md, the user guide).
    for (const auto& [id, key] : std::vector<std::pair<std::string, std::string>>{
             {"cases.search", "Ctrl+F"}, {"sync.panel", "F8"}, {"sync.now", "F9"}, {"help.keys", "F1"}, {"queue.1", "Ctrl+1"},
             {"queue.9", "Ctrl+9"}, {"queue.10", "Ctrl+Shift+T"}, {"catalogue.show", "F3"}}) {
        const auto* a = r.find(id);
        BOOST_REQUIRE_MESSAGE(a, "no action " << id);
        BOOST_CHECK_EQUAL(a->hotkey, key);
        BOOST_CHECK(r.by_hotkey(key) == a);
    }
    BOOST_CHECK(r.by_hotkey("ctrl+f") == r.find("cases.search"));  // keys compare without case
    // Every action is unbound until the shell binds it; the shell checks unbound() is empty.
    BOOST_CHECK_EQUAL(r.unbound().size(), r.actions().size());
}

BOOST_AUTO_TEST_CASE(administration_is_for_administrators_only) {
    auto r = app::desk_actions();
    const auto* a = r.find("admin.show");
    BOOST_REQUIRE(a);
    BOOST_CHECK_EQUAL(a->hotkey, "Ctrl+Shift+A");
    DeskState s;
    s.signed_in = s.has_store = true;
    for (auto role : {core::Role::clerk, core::Role::chief, core::Role::platform}) {
        s.role = role;
        BOOST_CHECK(!r.enabled("admin.show", s));
    }
    s.role = core::Role::admin;
    BOOST_CHECK(r.enabled("admin.show", s));
    s.signed_in = false;  // never over the lock screen
    BOOST_CHECK(!r.enabled("admin.show", s));
}

BOOST_AUTO_TEST_CASE(declare_refuses_duplicates) {
    app::ActionRegistry r;
    r.declare({"a", "A", "a", "F2", app::Menu::file, false, false, {}});
    BOOST_CHECK_THROW(r.declare({"a", "B", "b", "", app::Menu::file, false, false, {}}), std::invalid_argument);
    BOOST_CHECK_THROW(r.declare({"b", "B", "b", "f2", app::Menu::file, false, false, {}}), std::invalid_argument);
    BOOST_CHECK_THROW(r.bind("nope", [] {}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(enabled_when_follows_state_and_case_machine) {
    auto r = app::desk_actions();
    DeskState locked;
    locked.has_store = true;
    BOOST_CHECK(!r.enabled("cases.search", locked));
    BOOST_CHECK(!r.enabled("catalogue.show", locked));  // nothing of the desk shows over the lock screen
    BOOST_CHECK(r.enabled("help.keys", locked));
    DeskState catalogue_only;  // no store at all: the catalogue is the desk
    BOOST_CHECK(r.enabled("catalogue.show", catalogue_only));

    DeskState s;
    s.signed_in = s.has_store = true;
    BOOST_CHECK(r.enabled("cases.search", s));
    BOOST_CHECK(!r.enabled("case.accept", s));  // no case selected
    s.case_state = core::CaseState::draft;      // accepted at the window in one act
    BOOST_CHECK(r.enabled("case.accept", s));
    s.case_state = core::CaseState::received;
    BOOST_CHECK(r.enabled("case.accept", s));
    BOOST_CHECK(!r.enabled("case.submit", s));
    s.case_state = core::CaseState::accepted;
    BOOST_CHECK(!r.enabled("case.accept", s));
    BOOST_CHECK(r.enabled("case.submit", s));
    s.busy = true;  // long work running: acts wait
    BOOST_CHECK(!r.enabled("case.submit", s));
    s.busy = false;
    BOOST_CHECK(!r.enabled("case.open_notice", s));
    s.case_has_documents = true;
    BOOST_CHECK(r.enabled("case.open_notice", s));
    // Decisions are the chief representative's.
    s.case_state = core::CaseState::under_review;
    BOOST_CHECK(!app::case_act_allowed(s, core::CaseAction::approve));
    s.role = core::Role::chief;
    BOOST_CHECK(app::case_act_allowed(s, core::CaseAction::approve));
    // The green channel: clerks and chief representatives, not on an archived case.
    BOOST_CHECK(r.enabled("case.green", s));
    s.role = core::Role::admin;
    BOOST_CHECK(!r.enabled("case.green", s));
    s.role = core::Role::clerk;
    s.case_state = core::CaseState::archived;
    BOOST_CHECK(!r.enabled("case.green", s));
    // The archive package: a concluded case (the presenter tells, DeskState::case_archivable).
    BOOST_CHECK(!r.enabled("case.archive", s));
    s.case_archivable = true;
    BOOST_CHECK(r.enabled("case.archive", s));
}

BOOST_AUTO_TEST_CASE(run_only_what_is_enabled_and_bound) {
    auto r = app::desk_actions();
    int ran = 0;
    r.bind("case.accept", [&] { ++ran; });
    DeskState s;
    s.signed_in = s.has_store = true;
    BOOST_CHECK(!r.run("case.accept", s));  // disabled: no case
    s.case_state = core::CaseState::received;
    BOOST_CHECK(r.run("case.accept", s));
    BOOST_CHECK_EQUAL(ran, 1);
    BOOST_CHECK(!r.run("case.submit", s));  // not bound
    BOOST_CHECK(!r.run("no.such", s));
    BOOST_CHECK(r.bound("case.accept"));
    BOOST_CHECK(!r.bound("case.submit"));
}

BOOST_AUTO_TEST_SUITE_END()
