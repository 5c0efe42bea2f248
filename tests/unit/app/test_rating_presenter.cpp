// RatingPresenter on a real encrypted store seeded through the acts (workflow::seed_demo), signed
// in through DeskServices as the desk does: a good rating is committed; a bad one without a
// reason is refused with its code and commits nothing; a bad one with its reason puts the case
// in the follow-ups queue, and closing the follow-up with a note takes it out; the rating device
// (rating-sim of the build tree) answers on GB/T 39046's scale and is converted.
#include <boost/test/unit_test.hpp>

#include "fixture.h"
#include "cases/cases_presenter.h"
#include "rating/rating_presenter.h"

#include "ow/forms/definition.h"
#include "ow/store/cases.h"
#include "ow/store/queues.h"
#include "ow/workflow/demo.h"

using namespace ow;
using namespace ow::test;
using app::RatingOutcome;
using app::RatingPresenter;

namespace {

const std::filesystem::path& rating_template() {
    static TempDir tmp;
    static std::filesystem::path dir = [] {
        auto d = tmp.path / "store";
        store::Store::init(d, "clerk", core::Role::clerk, kPassword, fast_kdf());
        auto s = store::Store::open(d, "clerk", kPassword);
        workflow::SeedOptions o;
        o.cases = 40;
        o.seed = 18;
        workflow::seed_demo(*s, catalogue(), forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog"),
                            calendar(), o);
        s->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        return d;
    }();
    return dir;
}

struct RatingDesk {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    std::unique_ptr<app::DeskServices> services;

    RatingDesk() {
        std::filesystem::copy(rating_template(), dir, std::filesystem::copy_options::recursive);
        app::DeskConfig config;
        config.store_dir = dir;
        config.start_sync = false;
        services = std::make_unique<app::DeskServices>(config);
        services->sign_in(store::Store::open(dir, "clerk", kPassword));
    }
    store::Db& db() { return services->store().db(); }
    /// The n-th case (by id) whose result was issued.
    std::string issued(int n = 0) {
        auto v = db().query_text("SELECT id FROM cases WHERE state = 'result_issued' ORDER BY id LIMIT 1 OFFSET " + std::to_string(n));
        BOOST_REQUIRE_MESSAGE(v, "the seed has no case with its result issued (#" << n << ")");
        return *v;
    }
    core::Case load(const std::string& id) {
        auto c = store::CaseStore(db(), services->calendar()).load(*core::Uuid::parse(id));
        BOOST_REQUIRE(c);
        return *c;
    }
    std::int64_t follow_up_rows(const std::string& id) {
        return db().query_int("SELECT count(*) FROM ratings WHERE case_id = '" + id + "' AND follow_up_state = 'open'");
    }
    bool in_follow_ups(const std::string& id) {
        app::CasesPresenter cases(*services);
        cases.select_queue(store::Queue::follow_ups);
        for (std::int64_t i = 0; i < cases.row_count(); ++i)
            if (cases.row(i).case_id == id) return true;
        return false;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(rating_presenter)

BOOST_AUTO_TEST_CASE(levels_reasons_and_the_scales) {
    const auto& c = app::rating_choices();
    BOOST_CHECK_EQUAL(c.front().level, 5);
    BOOST_CHECK_EQUAL(c.back().level, 1);
    for (const auto& x : c) BOOST_CHECK_EQUAL(x.bad, x.level <= 2);
    BOOST_CHECK_EQUAL(std::string(app::rating_reasons().back().code), "other");
    // GB/T 39046: 1 very satisfied … 5 very dissatisfied.
    BOOST_CHECK_EQUAL(app::national_from_gbt(1), 5);
    BOOST_CHECK_EQUAL(app::national_from_gbt(4), 2);
    BOOST_CHECK_EQUAL(app::national_from_gbt(5), 1);
    BOOST_CHECK_EQUAL(app::national_from_gbt(0), 0);
    BOOST_CHECK_EQUAL(app::national_from_gbt(6), 0);
}

BOOST_FIXTURE_TEST_CASE(good_rating_is_committed, RatingDesk) {
    const std::string id = issued();
    RatingPresenter p(*services);
    BOOST_REQUIRE(p.start(id).ok());
    BOOST_CHECK(!p.rating_case().item_name.empty());
    BOOST_CHECK_EQUAL(p.rating_case().receipt_no, load(id).receipt_no);
    BOOST_CHECK_EQUAL(p.check().code, "rating.no_level");
    BOOST_CHECK_EQUAL(p.choose(0).code, "rating.bad_level");
    BOOST_CHECK_EQUAL(p.choose(6).code, "rating.bad_level");
    BOOST_REQUIRE(p.choose(4).ok());
    BOOST_CHECK(!p.needs_reason());
    p.set_text("  很快  ");
    auto out = p.submit();
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK_EQUAL(out.level, 4);
    BOOST_CHECK(!out.follow_up);
    BOOST_CHECK(!p.started());
    const auto c = load(id);
    BOOST_CHECK(c.state == core::CaseState::rated);
    BOOST_REQUIRE(c.rating);
    BOOST_CHECK_EQUAL(int(c.rating->level), 2);  // GB/T 39046 order in the event and the store: 满意 = 2
    BOOST_CHECK_EQUAL(c.rating->channel, "window_device");
    BOOST_CHECK_EQUAL(follow_up_rows(id), 0);
    // The change waits in the outbox for the platform.
    BOOST_CHECK_EQUAL(db().query_int("SELECT count(*) FROM outbox WHERE kind = 'rate' AND case_id = '" + id + "'"), 1);
    // Rated once: it cannot be rated again.
    BOOST_CHECK_EQUAL(p.start(id).code, "rating.not_ratable");
}

BOOST_FIXTURE_TEST_CASE(bad_rating_without_reason_is_refused_and_commits_nothing, RatingDesk) {
    const std::string id = issued();
    RatingPresenter p(*services);
    BOOST_REQUIRE(p.start(id).ok());
    BOOST_REQUIRE(p.choose(2).ok());
    BOOST_CHECK(p.needs_reason());
    auto out = p.submit();
    BOOST_CHECK(out.kind == RatingOutcome::Kind::invalid);
    BOOST_CHECK_EQUAL(out.code, "rating.reason_needed");
    BOOST_CHECK_EQUAL(p.set_reason("bored").code, "rating.unknown_reason");
    BOOST_CHECK_EQUAL(p.submit().code, "rating.reason_needed");
    BOOST_CHECK(p.started());  // still asking
    BOOST_CHECK(load(id).state == core::CaseState::result_issued);
    // The workflow refuses the same command on its own (the worker's path skips check()).
    auto direct = RatingPresenter::run_rate(services->workflow(), id, p.command());
    BOOST_CHECK(direct.kind == RatingOutcome::Kind::invalid);
    BOOST_CHECK(load(id).state == core::CaseState::result_issued);
    // A good level drops the reason.
    BOOST_REQUIRE(p.set_reason("slow").ok());
    BOOST_REQUIRE(p.choose(5).ok());
    BOOST_CHECK(p.reason().empty());
    BOOST_CHECK(p.command().reason.empty());
}

BOOST_FIXTURE_TEST_CASE(bad_rating_opens_a_follow_up_that_the_desk_closes, RatingDesk) {
    const std::string id = issued();
    BOOST_CHECK(!in_follow_ups(id));
    RatingPresenter p(*services);
    BOOST_REQUIRE(p.start(id).ok());
    BOOST_REQUIRE(p.choose(1).ok());
    BOOST_REQUIRE(p.set_reason("repeat_visits").ok());
    p.set_text("跑了三次");
    auto out = p.submit();
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK(out.follow_up);
    const auto c = load(id);
    BOOST_REQUIRE(c.rating);
    BOOST_CHECK_EQUAL(int(c.rating->level), 5);
    BOOST_CHECK_EQUAL(c.rating->reason, "repeat_visits");
    BOOST_CHECK(c.rating->follow_up_due);
    BOOST_CHECK(in_follow_ups(id));

    // The cases view offers the close when the selected case's follow-up is open.
    app::CasesPresenter cases(*services);
    BOOST_REQUIRE(cases.select(id));
    app::DeskState state;
    cases.fill(state);
    BOOST_CHECK(state.case_follow_up_open);
    state.signed_in = true;
    const auto table = app::desk_actions();
    BOOST_CHECK(table.enabled("case.close_follow_up", state));

    auto blank = RatingPresenter::run_close_follow_up(services->workflow(), id, "  \n");
    BOOST_CHECK_EQUAL(blank.code, "follow_up.note_needed");
    // Longer than the store keeps: said as such (the store's own refusal reads "no open follow-up").
    std::string essay;
    while (essay.size() <= RatingPresenter::kMaxFollowUpNote) essay += "已回访。";
    auto too_long = RatingPresenter::run_close_follow_up(services->workflow(), id, essay);
    BOOST_CHECK_EQUAL(too_long.code, "follow_up.note_too_long");
    BOOST_CHECK(in_follow_ups(id));
    auto closed = RatingPresenter::run_close_follow_up(services->workflow(), id, "电话回访，已致歉并说明材料清单");
    BOOST_REQUIRE_MESSAGE(closed.ok(), closed.code << ": " << closed.message);
    BOOST_CHECK(!in_follow_ups(id));
    BOOST_CHECK_EQUAL(db().query_int("SELECT count(*) FROM audit WHERE case_id = '" + id + "' AND action = 'case.follow_up_closed'"), 1);
    cases.refresh();
    cases.fill(state);
    BOOST_CHECK(!state.case_follow_up_open);
    BOOST_CHECK(!table.enabled("case.close_follow_up", state));
    auto again = RatingPresenter::run_close_follow_up(services->workflow(), id, "再次关闭");
    BOOST_CHECK(again.kind == RatingOutcome::Kind::refused);
    BOOST_CHECK_EQUAL(again.code, "workflow.no_follow_up");
}

BOOST_FIXTURE_TEST_CASE(only_an_issued_result_is_rated, RatingDesk) {
    RatingPresenter p(*services);
    const auto accepted = db().query_text("SELECT id FROM cases WHERE state = 'accepted' LIMIT 1");
    BOOST_REQUIRE(accepted);
    auto out = p.start(*accepted);
    BOOST_CHECK(out.kind == RatingOutcome::Kind::invalid);
    BOOST_CHECK_EQUAL(out.code, "rating.not_ratable");
    BOOST_CHECK(!p.started());
    BOOST_CHECK_EQUAL(p.start("not-a-uuid").code, "rating.no_case");
    BOOST_CHECK_EQUAL(p.start("0190f0e0-0000-7000-8000-000000000000").code, "rating.no_case");
    // The worker's path: the workflow's own refusal comes back as an outcome, not thrown.
    workflow::Rate r;
    r.level = 5;
    auto direct = RatingPresenter::run_rate(services->workflow(), *accepted, r);
    BOOST_CHECK(direct.kind == RatingOutcome::Kind::refused);
    BOOST_CHECK(!direct.code.empty());
}

BOOST_FIXTURE_TEST_CASE(device_rating_is_converted_from_gbt, RatingDesk) {
    const std::string good = issued(0), bad = issued(1);
    RatingPresenter p(*services);
    BOOST_REQUIRE(p.start(good).ok());
    // rating-sim answers on GB/T 39046: 2 = 满意 → national 4.
    auto d = RatingPresenter::read_device(services->plugins(), p.rating_case(), {{"level", 2}});
    BOOST_REQUIRE_MESSAGE(d.outcome.ok(), d.outcome.code << ": " << d.outcome.message);
    BOOST_CHECK_EQUAL(d.plugin, "rating-sim");
    BOOST_CHECK_EQUAL(d.rate.level, 4);
    BOOST_REQUIRE(p.take_device(d).ok());
    auto out = p.submit();
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK_EQUAL(int(load(good).rating->level), 2);  // stored as the device said
    BOOST_CHECK(!in_follow_ups(good));

    // GB/T 5 (非常不满意) with the device's own phrase → national 1, a reason code, the phrase kept.
    BOOST_REQUIRE(p.start(bad).ok());
    auto b = RatingPresenter::read_device(services->plugins(), p.rating_case(), {{"level", 5}, {"reason", "等候时间过长"}});
    BOOST_REQUIRE_MESSAGE(b.outcome.ok(), b.outcome.code << ": " << b.outcome.message);
    BOOST_CHECK_EQUAL(b.rate.level, 1);
    BOOST_CHECK_EQUAL(b.rate.reason, "slow");
    BOOST_CHECK_EQUAL(b.rate.text, "等候时间过长");
    BOOST_REQUIRE(p.take_device(b).ok());
    out = p.submit();
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << ": " << out.message);
    BOOST_CHECK(out.follow_up);
    const auto c = load(bad);
    BOOST_CHECK_EQUAL(int(c.rating->level), 5);
    BOOST_CHECK_EQUAL(c.rating->reason, "slow");
    BOOST_CHECK(in_follow_ups(bad));

    // A device that fails: its code, nothing chosen.
    auto e = RatingPresenter::read_device(services->plugins(), p.rating_case(), {{"level", 9}});
    BOOST_CHECK(e.outcome.kind == RatingOutcome::Kind::device);
    BOOST_CHECK_EQUAL(e.outcome.code, "device.failed");

    // The settings' choice (devices.rating_device): only that plugin is asked.
    app::RatingCase asked;
    asked.case_id = bad;
    auto chosen = RatingPresenter::read_device(services->plugins(), asked, {{"level", 1}}, "rating-sim");
    BOOST_CHECK_MESSAGE(chosen.outcome.ok(), chosen.outcome.code << ": " << chosen.outcome.message);
    BOOST_CHECK_EQUAL(chosen.plugin, "rating-sim");
    auto missing = RatingPresenter::read_device(services->plugins(), asked, {{"level", 1}}, "no-such-device");
    BOOST_CHECK_EQUAL(missing.outcome.code, "device.none");
}

BOOST_AUTO_TEST_SUITE_END()
