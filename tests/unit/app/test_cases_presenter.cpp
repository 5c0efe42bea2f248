// CasesPresenter on a real encrypted store seeded through the acts (workflow::seed_demo with a
// `today`, so every queue holds cases), signed in through DeskServices as the desk does: the
// queue counts and pages agree with CaseQueues, search finds by every key, the selected case's
// timeline merges history and audit in time order with masked personal data, the acts go
// through the workflow (done / refused), and a document opens as a private PDF file.
#include <boost/test/unit_test.hpp>

#include "fixture.h"
#include "cases/cases_presenter.h"
#include "online/online_presenter.h"

#include "ow/forms/definition.h"
#include "ow/store/applications.h"
#include "ow/store/blobs.h"
#include "ow/store/queues.h"
#include "ow/store/settings_registry.h"
#include "ow/workflow/demo.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <sstream>
#include <cstdlib>
#include <thread>
#include <vector>

using namespace ow;
using namespace ow::test;
using app::CasesPresenter;
using app::SyncMark;
using app::TimelineEntry;

namespace {

const core::Date kToday = core::parse_date("2026-12-01");

/// One seeded store, made once and copied for each test (seeding takes seconds).
const std::filesystem::path& seeded_template() {
    static TempDir tmp;
    static std::filesystem::path dir = [] {
        auto d = tmp.path / "store";
        store::Store::init(d, "clerk", core::Role::clerk, kPassword, fast_kdf());
        auto s = store::Store::open(d, "clerk", kPassword);
        workflow::SeedOptions o;
        o.cases = 150;
        o.seed = 9;
        o.today = kToday;
        workflow::seed_demo(*s, catalogue(), forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog"),
                            calendar(), o);
        s->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        return d;
    }();
    return dir;
}

struct Desk {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    std::unique_ptr<app::DeskServices> services;

    Desk() {
        std::filesystem::copy(seeded_template(), dir, std::filesystem::copy_options::recursive);
        app::DeskConfig config;
        config.store_dir = dir;
        config.start_sync = false;
        // 23:00 in China on kToday: after every seeded act of that day.
        config.now = [] { return core::Instant{kToday} + std::chrono::hours{15}; };
        services = std::make_unique<app::DeskServices>(config);
        services->sign_in(store::Store::open(dir, "clerk", kPassword));
    }
    store::Db& db() { return services->store().db(); }
    std::string one(const std::string& sql) {
        auto v = db().query_text(sql);
        BOOST_REQUIRE_MESSAGE(v, "no row for " << sql);
        return *v;
    }
};

std::vector<std::string> ids_of(const std::vector<store::QueueRow>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.case_id);
    return out;
}

bool has_hit(CasesPresenter& p, const std::string& case_id) {
    for (std::int64_t i = 0; i < p.row_count(); ++i)
        if (p.row(i).case_id == case_id) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cases_presenter)

BOOST_FIXTURE_TEST_CASE(the_closing_time_list_and_who_is_on_duty, Desk) {
    CasesPresenter p(*services);
    BOOST_REQUIRE(!p.counts().empty());
    BOOST_REQUIRE(p.counts().size() >= 2);
    BOOST_CHECK(p.counts()[p.counts().size() - 4].queue == store::Queue::closing);  // then the assisted queue, the remote calls, acceptance-due
    p.select_queue(store::Queue::closing);
    BOOST_CHECK(p.selected_queue() == store::Queue::closing);
    store::CaseQueues queues(db(), services->calendar());
    BOOST_CHECK_EQUAL(p.row_count(), queues.count(store::Queue::closing, kToday));
    // A row with a limit in hours carries its promised instant (from the queue's due_at).
    for (const auto& r : queues.page(store::Queue::closing, kToday, 1000))
        if (!r.due_at.empty())
            for (std::int64_t i = 0; i < p.row_count(); ++i)
                if (p.row(i).case_id == r.case_id) BOOST_CHECK(p.row(i).due_at && core::format_instant(*p.row(i).due_at) == r.due_at);
    // The roster (hours.duty) by the day of the week: kToday is a Tuesday.
    BOOST_CHECK(p.on_duty().empty());
    store::SettingValues(services->store()).set("hours.duty", "mon-fri 王芳,李强; sat 张伟");
    BOOST_CHECK((p.on_duty() == std::vector<std::string>{"王芳", "李强"}));
    store::SettingValues(services->store()).set("hours.duty", "sat 张伟");
    BOOST_CHECK(p.on_duty().empty());
}

BOOST_FIXTURE_TEST_CASE(counts_and_pages_agree_with_the_queues, Desk) {
    CasesPresenter p(*services, 7);  // small pages: the list crosses many page boundaries
    store::CaseQueues queues(db(), services->calendar());
    // kAllQueues, then the closing-time list, the cases the user assists and the remote calls (issue 21).
    std::vector<store::Queue> listed(store::kAllQueues.begin(), store::kAllQueues.end());
    listed.push_back(store::Queue::closing);
    listed.push_back(store::Queue::assisted);
    listed.push_back(store::Queue::remote_calls);
    listed.push_back(store::Queue::acceptance_due);
    BOOST_REQUIRE_EQUAL(p.counts().size(), listed.size());
    for (std::size_t k = 0; k < listed.size(); ++k) {
        const auto q = listed[k];
        BOOST_CHECK(p.counts()[k].queue == q);
        BOOST_CHECK_EQUAL(p.counts()[k].count, queues.count(q, kToday));
        // (This seed assists nobody, calls no remote department and receives nothing online:
        // help_and_agent_on_the_selected_case, remote_calls_and_the_window_decision and
        // online_application_received fill those queues.)
        if (q != store::Queue::assisted && q != store::Queue::remote_calls && q != store::Queue::acceptance_due) BOOST_CHECK_MESSAGE(p.counts()[k].count > 0, store::to_code(q) << " is empty");
        p.select_queue(q);
        BOOST_CHECK_EQUAL(p.row_count(), p.counts()[k].count);
        // Every row, read through 7-row pages, in the queue's order.
        const auto want = queues.page(q, kToday, 1000, 0);
        std::vector<std::string> got;
        for (std::int64_t i = 0; i < p.row_count(); ++i) got.push_back(p.row(i).case_id);
        BOOST_CHECK_MESSAGE(got == ids_of(want), "the rows of " << store::to_code(q) << " differ from CaseQueues::page");
        // Backwards too (pages evicted and read again).
        for (std::int64_t i = p.row_count() - 1; i >= 0; --i) BOOST_CHECK_EQUAL(p.row(i).case_id, want[std::size_t(i)].case_id);
        BOOST_CHECK_THROW(p.row(p.row_count()), std::out_of_range);
        BOOST_CHECK_THROW(p.row(-1), std::out_of_range);
    }
    // What the rows say.
    p.select_queue(store::Queue::overdue);
    const auto& late = p.row(0);
    BOOST_REQUIRE(late.days_left && late.promised);
    BOOST_CHECK_LT(*late.days_left, 0);
    BOOST_CHECK(late.overdue);
    BOOST_CHECK(*late.promised < kToday);
    BOOST_CHECK(!late.item_name.empty() && late.item_name != late.item_code);
    BOOST_CHECK(late.sync == SyncMark::pending);  // nothing was ever sent
    p.select_queue(store::Queue::due_soon);
    BOOST_REQUIRE(p.row(0).days_left);
    BOOST_CHECK(*p.row(0).days_left >= 0 && *p.row(0).days_left <= 2);
    BOOST_CHECK(!p.row(0).overdue);
    p.select_queue(store::Queue::sync_problems);
    BOOST_CHECK(p.row(0).sync == SyncMark::problem);
    BOOST_CHECK_EQUAL(p.row(0).sync_code, "invalid.applicant.phone");
    p.select_queue(store::Queue::deferred_due);
    BOOST_CHECK(!p.row(0).material_name.empty() && p.row(0).promised_by);
    p.select_queue(store::Queue::follow_ups);
    BOOST_CHECK_GE(p.row(0).rating_level, 4);
    BOOST_CHECK(p.row(0).follow_up_due);

    // A draft started without an applicant is held back from the platform: marked held.
    auto r = services->workflow().start_intake({p.row(0).item_code, ""});
    p.refresh();
    p.search(r.case_data.receipt_no);
    BOOST_REQUIRE(p.searching());
    BOOST_REQUIRE_EQUAL(p.row_count(), 1);
    BOOST_CHECK(p.row(0).sync == SyncMark::held);
    BOOST_CHECK(p.row(0).state == core::CaseState::draft);
    BOOST_CHECK(!p.row(0).days_left);
    // The new draft was touched today: the refreshed today count has it.
    BOOST_CHECK_EQUAL(p.counts()[0].count, queues.count(store::Queue::today, kToday));
}

BOOST_FIXTURE_TEST_CASE(search_by_id_name_phone_and_receipt_prefix, Desk) {
    CasesPresenter p(*services);
    const std::string id = one("SELECT id FROM cases WHERE state = 'accepted' ORDER BY id LIMIT 1");
    const std::string doc = one("SELECT applicant_doc FROM cases WHERE id = '" + id + "'");
    const std::string name = one("SELECT applicant_name FROM cases WHERE id = '" + id + "'");
    const std::string phone = one("SELECT applicant_phone FROM cases WHERE id = '" + id + "'");
    const std::string receipt = one("SELECT receipt_no FROM cases WHERE id = '" + id + "'");

    p.search(doc);
    BOOST_CHECK(p.searching());
    BOOST_CHECK(has_hit(p, id));
    for (std::int64_t i = 0; i < p.row_count(); ++i) BOOST_CHECK_EQUAL(one("SELECT applicant_doc FROM cases WHERE id = '" + p.row(i).case_id + "'"), doc);
    p.search(phone);
    BOOST_CHECK(has_hit(p, id));
    p.search(name.substr(0, name.size() - 3));  // a prefix: the name without its last (3-byte) character
    BOOST_CHECK(has_hit(p, id));
    const std::string prefix = receipt.substr(0, receipt.size() - 2);
    p.search(prefix);
    BOOST_CHECK(has_hit(p, id));
    for (std::int64_t i = 0; i < p.row_count(); ++i) BOOST_CHECK(p.row(i).receipt_no.rfind(prefix, 0) == 0);
    // The same row shape as a queue's: item name from the catalogue, the date and days left.
    p.search(receipt);
    BOOST_REQUIRE_EQUAL(p.row_count(), 1);
    const auto& hit = p.row(0);
    BOOST_CHECK_EQUAL(hit.item_name, catalogue().item(hit.item_code)->name);
    BOOST_CHECK(hit.state == core::CaseState::accepted);
    BOOST_CHECK(hit.promised && hit.days_left);
    BOOST_CHECK(hit.sync == SyncMark::pending);
    // Nothing found; then back to the queue with empty text.
    p.search("不存在的名字");
    BOOST_CHECK_EQUAL(p.row_count(), 0);
    p.select_queue(store::Queue::overdue);
    p.search("  ");
    BOOST_CHECK(!p.searching());
    BOOST_CHECK(p.selected_queue() == store::Queue::overdue);
    BOOST_CHECK_EQUAL(p.row_count(), store::CaseQueues(db(), services->calendar()).count(store::Queue::overdue, kToday));
}

BOOST_FIXTURE_TEST_CASE(detail_merges_history_and_audit_in_time_order_and_masks, Desk) {
    CasesPresenter p(*services);
    const std::string id = one("SELECT id FROM cases WHERE state = 'rated' ORDER BY id LIMIT 1");
    const auto* d = p.select(id);
    BOOST_REQUIRE(d);
    BOOST_CHECK(p.selected() == d);
    const auto stored = store::CaseStore(db(), services->calendar()).load(*core::Uuid::parse(id));
    BOOST_REQUIRE(stored);
    int history = 0, audit = 0;
    for (const auto& e : d->timeline) {
        if (e.kind == TimelineEntry::Kind::history) {
            ++history;
            BOOST_CHECK_MESSAGE(e.audit_seq > 0, "history entry " << e.action << " has no audit entry");
        } else {
            ++audit;
        }
    }
    BOOST_CHECK_EQUAL(history, int(stored->history.size()));
    BOOST_CHECK_GE(audit, 1);  // case.create is not a history entry
    BOOST_CHECK(std::is_sorted(d->timeline.begin(), d->timeline.end(), [](const auto& a, const auto& b) { return a.at < b.at; }));
    BOOST_CHECK_EQUAL(d->timeline.front().action, "case.create");
    BOOST_CHECK(d->timeline.back().kind == TimelineEntry::Kind::history);
    BOOST_CHECK_EQUAL(d->timeline.back().action, "rate");
    // Every audit entry of the case appears once: folded into its history line or on its own.
    BOOST_CHECK_EQUAL(history + audit, int(db().query_int("SELECT count(*) FROM audit WHERE case_id = '" + id + "'")));

    const auto& s = d->summary;
    BOOST_CHECK(s.state == core::CaseState::rated);
    BOOST_CHECK_EQUAL(s.receipt_no, stored->receipt_no);
    BOOST_CHECK_EQUAL(s.applicant_name, stored->applicant.name);
    const std::string doc = stored->applicant.doc_number;
    BOOST_REQUIRE_EQUAL(doc.size(), 18u);
    BOOST_CHECK_EQUAL(s.doc_number_masked, doc.substr(0, 4) + "**********" + doc.substr(14));
    BOOST_CHECK(s.doc_number_masked.find(doc.substr(4, 10)) == std::string::npos);
    BOOST_CHECK_EQUAL(s.phone_masked, stored->applicant.phone.substr(0, 3) + "****" + stored->applicant.phone.substr(7));
    BOOST_CHECK(s.submitted && s.accepted && s.promised);
    BOOST_CHECK(!s.days_left);  // decided: the date no longer counts down
    BOOST_CHECK_EQUAL(s.taken_by, "clerk-demo");
    BOOST_CHECK_EQUAL(d->materials.size(), std::size_t(db().query_int("SELECT count(*) FROM checklist WHERE case_id = '" + id + "'")));
    BOOST_CHECK(d->documents.empty());  // the seed without notices makes none

    app::DeskState state;
    p.fill(state);
    BOOST_CHECK(state.case_state == core::CaseState::rated);
    BOOST_CHECK(!state.case_has_documents);
    BOOST_CHECK(!p.allowed(core::CaseAction::accept));
    BOOST_CHECK(!p.select("0190f0e0-0000-7000-8000-000000000000"));
    BOOST_CHECK(!p.selected());
    p.fill(state);
    BOOST_CHECK(!state.case_state);
}

BOOST_AUTO_TEST_CASE(masking_keeps_the_ends_in_whole_characters) {
    BOOST_CHECK_EQUAL(app::mask_middle("370102198503071234", 4, 4), "3701**********1234");
    BOOST_CHECK_EQUAL(app::mask_middle("13800138000", 3, 4), "138****8000");
    BOOST_CHECK_EQUAL(app::mask_middle("王小明先生", 1, 1), "王***生");
    BOOST_CHECK_EQUAL(app::mask_middle("1234", 2, 2), "****");
    BOOST_CHECK_EQUAL(app::mask_middle("", 4, 4), "");
}

BOOST_FIXTURE_TEST_CASE(accept_and_submit_go_through_the_workflow, Desk) {
    TempDir runtime;
    ::setenv("XDG_RUNTIME_DIR", runtime.path.c_str(), 1);
    CasesPresenter p(*services);
    // Nothing selected: invalid, nothing done.
    BOOST_CHECK(p.accept().kind == app::ActOutcome::Kind::invalid);

    // A case waiting for a correction, its material still missing: refused by the workflow.
    const std::string short_id = one("SELECT c.id FROM cases c WHERE c.state = 'correction_requested' AND EXISTS "
                                     "(SELECT 1 FROM checklist k WHERE k.case_id = c.id AND k.status = 'missing') ORDER BY c.id LIMIT 1");
    BOOST_REQUIRE(p.select(short_id));
    auto refused = p.accept();
    BOOST_CHECK(refused.kind == app::ActOutcome::Kind::refused);
    BOOST_CHECK_EQUAL(refused.code, "workflow.materials_missing");
    BOOST_CHECK(!refused.message.empty());
    BOOST_CHECK_EQUAL(one("SELECT state FROM cases WHERE id = '" + short_id + "'"), "correction_requested");

    // A complete draft (handed in before today): received and accepted in one act, with its notice.
    const std::string id = one("SELECT id FROM cases WHERE state = 'draft' AND applicant_doc <> '' AND updated_at < '2026-11' ORDER BY id LIMIT 1");
    BOOST_REQUIRE(p.select(id));
    const auto today_before = p.counts()[0].count;
    auto done = p.accept();
    BOOST_REQUIRE_MESSAGE(done.kind == app::ActOutcome::Kind::done, done.code << ": " << done.message);
    BOOST_CHECK(done.state == core::CaseState::accepted);
    BOOST_REQUIRE(done.notice);
    BOOST_CHECK(!done.notice->title.empty());
    BOOST_CHECK_EQUAL(one("SELECT state FROM cases WHERE id = '" + id + "'"), "accepted");
    // The counts and the case followed the act.
    BOOST_CHECK_EQUAL(p.counts()[0].count, today_before + 1);
    BOOST_REQUIRE(p.selected());
    BOOST_CHECK(p.selected()->summary.state == core::CaseState::accepted);
    BOOST_CHECK(p.selected()->summary.accepted);
    BOOST_CHECK_EQUAL(p.selected()->summary.taken_by, "clerk");
    BOOST_REQUIRE_EQUAL(p.selected()->documents.size(), 1u);
    BOOST_CHECK_EQUAL(p.selected()->documents[0].kind, done.notice->kind);
    app::DeskState state;
    p.fill(state);
    BOOST_CHECK(state.case_has_documents);
    BOOST_CHECK(p.allowed(core::CaseAction::start_review));

    // The notice opens as a private PDF file.
    auto path = p.export_document(0);
    BOOST_CHECK(path.parent_path() == runtime.path / "onewindow");
    const std::string bytes = read_file(path);
    BOOST_CHECK_EQUAL(bytes.substr(0, 5), "%PDF-");
    struct stat st {};
    BOOST_REQUIRE_EQUAL(::stat(path.c_str(), &st), 0);
    BOOST_CHECK_EQUAL(st.st_mode & 0777, 0600u);
    BOOST_REQUIRE_EQUAL(::stat(path.parent_path().c_str(), &st), 0);
    BOOST_CHECK_EQUAL(st.st_mode & 0777, 0700u);
    BOOST_CHECK_THROW(p.export_document(1), std::out_of_range);
    // A folder that is a link (someone else's trap) is refused, nothing written through it.
    TempDir elsewhere;
    std::filesystem::remove_all(runtime.path / "onewindow");
    std::filesystem::create_directory_symlink(elsewhere.path, runtime.path / "onewindow");
    BOOST_CHECK_THROW(p.export_document(0), core::Error);
    BOOST_CHECK(std::filesystem::is_empty(elsewhere.path));

    // Submit for decision: under review, in the awaiting-decision queue.
    const auto waiting = p.counts()[5].count;
    BOOST_CHECK(p.counts()[5].queue == store::Queue::awaiting_decision);
    auto submitted = p.submit();
    BOOST_REQUIRE_MESSAGE(submitted.kind == app::ActOutcome::Kind::done, submitted.code << ": " << submitted.message);
    BOOST_CHECK(submitted.state == core::CaseState::under_review);
    BOOST_CHECK_EQUAL(p.counts()[5].count, waiting + 1);
    // Submitting again: the case machine refuses (already under review).
    auto again = p.submit();
    BOOST_CHECK(again.kind == app::ActOutcome::Kind::refused);
    BOOST_CHECK(!again.code.empty());
    ::unsetenv("XDG_RUNTIME_DIR");
}


// 绿色通道 on a case already in a queue: flagged, it goes first in its queue, the summary names the
// flag, the act is history (synced) and audited; the same flag again is refused with nothing
// written; cleared, the case is back among the others.
BOOST_FIXTURE_TEST_CASE(a_green_flag_puts_the_case_first_and_can_be_cleared, Desk) {
    CasesPresenter p(*services);
    BOOST_CHECK(p.set_green(core::GreenFlag::elderly, true).kind == app::ActOutcome::Kind::invalid);  // nothing selected
    p.select_queue(store::Queue::overdue);
    BOOST_REQUIRE_GT(p.row_count(), 2);
    const std::string first = p.row(0).case_id;
    const std::string id = p.row(p.row_count() - 1).case_id;  // the last of the queue
    BOOST_REQUIRE(!p.row(p.row_count() - 1).green);
    BOOST_REQUIRE(p.select(id));
    BOOST_CHECK(p.selected()->summary.green_flags.empty());
    BOOST_CHECK(p.allowed(core::CaseAction::flag_green));
    const std::string history_before = one("SELECT count(*) FROM case_history WHERE case_id = '" + id + "'");
    const std::string outbox_before = one("SELECT count(*) FROM outbox");

    auto on = p.set_green(core::GreenFlag::elderly, true);
    BOOST_REQUIRE_MESSAGE(on.kind == app::ActOutcome::Kind::done, on.code << ": " << on.message);
    BOOST_CHECK_EQUAL(p.row(0).case_id, id);  // first in its queue now (the list was read again)
    BOOST_CHECK(p.row(0).green);
    BOOST_REQUIRE(p.selected());
    BOOST_REQUIRE_EQUAL(p.selected()->summary.green_flags.size(), 1u);
    BOOST_CHECK(p.selected()->summary.green_flags[0] == core::GreenFlag::elderly);
    BOOST_CHECK_EQUAL(std::stoi(one("SELECT count(*) FROM case_history WHERE case_id = '" + id + "'")), std::stoi(history_before) + 1);
    BOOST_CHECK_GT(std::stoi(one("SELECT count(*) FROM outbox")), std::stoi(outbox_before));
    BOOST_CHECK_EQUAL(one("SELECT count(*) FROM audit WHERE action = 'case.flag_green' AND case_id = '" + id + "'"), "1");
    // A search lists it with the mark too.
    p.search(p.selected()->summary.receipt_no);
    BOOST_REQUIRE_GE(p.row_count(), 1);
    BOOST_CHECK_EQUAL(p.row(0).case_id, id);
    BOOST_CHECK(p.row(0).green);
    p.select_queue(store::Queue::overdue);

    // The same flag again: refused, nothing written.
    auto again = p.set_green(core::GreenFlag::elderly, true);
    BOOST_CHECK(again.kind == app::ActOutcome::Kind::refused);
    BOOST_CHECK_EQUAL(again.code, "workflow.refused");
    BOOST_CHECK_EQUAL(one("SELECT count(*) FROM audit WHERE action = 'case.flag_green' AND case_id = '" + id + "'"), "1");

    // A second flag, then both cleared: back among the others.
    BOOST_REQUIRE(p.set_green(core::GreenFlag::key_project, true).kind == app::ActOutcome::Kind::done);
    BOOST_CHECK_EQUAL(p.selected()->summary.green_flags.size(), 2u);
    BOOST_REQUIRE(p.set_green(core::GreenFlag::elderly, false).kind == app::ActOutcome::Kind::done);
    BOOST_REQUIRE(p.set_green(core::GreenFlag::key_project, false).kind == app::ActOutcome::Kind::done);
    BOOST_CHECK(p.selected()->summary.green_flags.empty());
    BOOST_CHECK_EQUAL(p.row(0).case_id, first);
    BOOST_CHECK(!p.row(0).green);
}

// The desk runs acts on a worker thread with a session of its own (Store::another): the act is
// committed there while this thread's presenter keeps its connection; acted() brings it up to date.
// 收费 (issue 21 part 5): the selected case's fees, paid on the worker with the 收费凭证; a clerk
// may not waive one; the desk state follows (case_fees_due).
BOOST_FIXTURE_TEST_CASE(a_fee_is_paid_on_the_worker_and_the_case_follows, Desk) {
    CasesPresenter p(*services);
    BOOST_CHECK(CasesPresenter::run_payment(services->workflow(), "", {}).kind == app::ActOutcome::Kind::invalid);
    std::vector<std::string> open;
    {  // (the statement closed before any act: an open read would keep this connection's snapshot)
        store::Stmt q(db(), "SELECT id FROM cases WHERE state IN ('received', 'accepted', 'under_review', 'approved') ORDER BY id");
        while (q.step()) open.push_back(q.text(0));
    }
    std::string id;
    for (std::size_t i = 0; i < open.size() && id.empty(); ++i) {
        const auto* d = p.select(open[i]);
        if (d && std::any_of(d->fees.begin(), d->fees.end(), [](const core::CaseFee& f) { return !f.settled(); })) id = open[i];
    }
    BOOST_REQUIRE_MESSAGE(!id.empty(), "the seed has an open case of an item with a fee");
    BOOST_REQUIRE(p.select(id));
    app::DeskState state;
    p.fill(state);
    BOOST_CHECK(state.case_fees_due);
    const core::CaseFee fee = *std::find_if(p.selected()->fees.begin(), p.selected()->fees.end(), [](const core::CaseFee& f) { return !f.settled(); });
    const auto documents = p.selected()->documents.size();

    auto session = services->worker_session();
    workflow::Payment pay;
    pay.fee = fee.name;
    pay.item_code = fee.item_code;
    pay.method = core::PaymentMethod::alipay;  // no transaction number: invalid, nothing written
    BOOST_CHECK(CasesPresenter::run_payment(*session->workflow, id, pay).kind == app::ActOutcome::Kind::invalid);
    auto waived = CasesPresenter::run_waiver(*session->workflow, id, {fee.name, fee.item_code, "困难群众", ""});
    BOOST_CHECK(waived.kind == app::ActOutcome::Kind::refused);
    BOOST_CHECK_EQUAL(waived.code, "workflow.not_authorised");  // a clerk does not waive
    pay.payment_no = "2026120122001400001";
    app::ActOutcome out;
    std::thread worker([&] { out = CasesPresenter::run_payment(*session->workflow, id, pay); });
    worker.join();
    BOOST_REQUIRE_MESSAGE(out.kind == app::ActOutcome::Kind::done, out.code << ": " << out.message);
    BOOST_REQUIRE(out.notice);
    BOOST_CHECK_EQUAL(out.notice->kind, "fee_receipt");
    p.acted(out);
    const auto& after = p.selected()->fees;
    auto paid = std::find_if(after.begin(), after.end(), [&](const core::CaseFee& f) { return f.name == fee.name && f.item_code == fee.item_code; });
    BOOST_REQUIRE(paid != after.end());
    BOOST_CHECK(paid->status == core::FeeStatus::paid);
    BOOST_CHECK(paid->method == core::PaymentMethod::alipay);
    BOOST_CHECK_EQUAL(p.selected()->documents.size(), documents + 1);
    p.fill(state);
    BOOST_CHECK_EQUAL(state.case_fees_due, std::any_of(after.begin(), after.end(), [](const core::CaseFee& f) { return !f.settled(); }));
    auto again = CasesPresenter::run_payment(*session->workflow, id, pay);
    BOOST_CHECK(again.kind == app::ActOutcome::Kind::refused);
    BOOST_CHECK_EQUAL(again.code, "workflow.fee_settled");
}

// 帮办代办 (issue 21 part 2): the helpers offered are the store's clerks and chiefs; assigning the
// signed-in user puts the case in their assisted queue (the presenter's, which is the user's own)
// and in the summary; an agent's bad ID number is stopped with its own code, a good one adds the
// 委托书 to the materials; ending the help empties the queue.
BOOST_FIXTURE_TEST_CASE(help_and_agent_on_the_selected_case, Desk) {
    CasesPresenter p(*services);
    const auto helpers = p.helpers();
    BOOST_REQUIRE(!helpers.empty());
    for (const auto& h : helpers) {
        const auto info = services->store().user_info(h.user);
        BOOST_REQUIRE(info);
        BOOST_CHECK_MESSAGE(info->role == core::Role::clerk || info->role == core::Role::chief, h.user);
    }
    const std::string me = services->store().user().name;
    BOOST_CHECK(std::any_of(helpers.begin(), helpers.end(), [&](const app::Helper& h) { return h.user == me; }));
    auto assisted = [&] {
        for (const auto& c : p.counts())
            if (c.queue == store::Queue::assisted) return c.count;
        return std::int64_t(-1);
    };
    BOOST_CHECK_EQUAL(assisted(), 0);
    const std::string id = one("SELECT id FROM cases WHERE state = 'draft' AND applicant_doc <> '' ORDER BY id LIMIT 1");
    BOOST_REQUIRE(p.select(id));
    BOOST_CHECK(p.set_assist(workflow::Assist{}).kind == app::ActOutcome::Kind::invalid);  // no help to end
    workflow::Assist help;
    help.mode = core::AssistMode::help;
    help.note = "协助填表";
    auto out = p.set_assist(help);
    BOOST_REQUIRE_MESSAGE(out.kind == app::ActOutcome::Kind::done, out.code << ": " << out.message);
    BOOST_REQUIRE(p.selected()->summary.assistance);
    BOOST_CHECK_EQUAL(p.selected()->summary.assistance->helper, me);
    BOOST_CHECK_EQUAL(assisted(), 1);
    p.select_queue(store::Queue::assisted);
    BOOST_REQUIRE_EQUAL(p.row_count(), 1);
    BOOST_CHECK_EQUAL(p.row(0).case_id, id);
    BOOST_CHECK_EQUAL(p.set_assist(help).code, "workflow.assist_same");

    workflow::SetAgent agent;
    agent.name = "王五";
    agent.doc_number = "370102198001010016";  // the check digit is wrong
    auto bad = p.set_agent(agent);
    BOOST_CHECK(bad.kind == app::ActOutcome::Kind::invalid);
    BOOST_CHECK_EQUAL(bad.code, "assist.agent_id");
    agent.doc_number = "370102198001010015";
    agent.relation = "亲属";
    out = p.set_agent(agent);
    BOOST_REQUIRE_MESSAGE(out.kind == app::ActOutcome::Kind::done, out.code << ": " << out.message);
    BOOST_CHECK_EQUAL(p.selected()->summary.agent_name, "王五");
    const auto& m = p.selected()->materials;
    BOOST_CHECK(std::any_of(m.begin(), m.end(), [](const app::MaterialRow& r) { return r.name == "授权委托书"; }));

    BOOST_REQUIRE(p.set_assist(workflow::Assist{}).kind == app::ActOutcome::Kind::done);
    BOOST_CHECK(!p.selected()->summary.assistance);
    BOOST_CHECK_EQUAL(assisted(), 0);
}

BOOST_FIXTURE_TEST_CASE(an_act_on_a_worker_session, Desk) {
    CasesPresenter p(*services);
    const std::string id = one("SELECT id FROM cases WHERE state = 'draft' AND applicant_doc <> '' AND updated_at < '2026-11' ORDER BY id LIMIT 1");
    BOOST_REQUIRE(p.select(id));
    const auto today_before = p.counts()[0].count;
    std::shared_ptr<workflow::Session> session = services->worker_session();
    BOOST_CHECK(&session->store->db() != &services->store().db());  // a connection of its own
    app::ActOutcome out;
    std::thread worker([&] { out = CasesPresenter::run_act(*session->workflow, id, "case.accept"); });
    worker.join();
    BOOST_REQUIRE_MESSAGE(out.kind == app::ActOutcome::Kind::done, out.code << ": " << out.message);
    BOOST_CHECK(p.selected()->summary.state == core::CaseState::draft);  // not read again yet
    p.acted(out);
    BOOST_CHECK(p.selected()->summary.state == core::CaseState::accepted);
    BOOST_CHECK_EQUAL(p.counts()[0].count, today_before + 1);
    // The worker's audit entries name the signed-in user, like the desk's own.
    BOOST_CHECK_EQUAL(p.selected()->summary.taken_by, services->store().user().name);
    BOOST_CHECK(CasesPresenter::run_act(*session->workflow, id, "case.nonsense").kind == app::ActOutcome::Kind::invalid);
    // After a lock no further worker session is made.
    session.reset();
    services->lock();
    BOOST_CHECK_THROW(services->worker_session(), std::logic_error);
}

// 告知承诺制 / 信即办 and the follow-up (issue 21 part 7): the commit action follows the item's
// eligibility; 信即办 waits for the credit answer the presenter asked in the background (refused
// "workflow.credit_unavailable" before it came, "workflow.credit_not_good" for a poor one), then
// puts the materials still to come under the commitment; the follow-up lists the commitment with its
// check date; a window clerk does not revoke.
BOOST_AUTO_TEST_CASE(commitments_credit_and_the_follow_up) {
    TempDir tmp;
    const auto dir = tmp.path / "store";
    std::filesystem::copy(seeded_template(), dir, std::filesystem::copy_options::recursive);
    std::map<std::string, std::string> standing{{"11010519491231002X", "good"}, {"370102198001010015", "poor"}};
    std::atomic<int> asked{0};
    app::DeskConfig config;
    config.store_dir = dir;
    config.start_sync = false;
    config.now = [] { return core::Instant{kToday} + std::chrono::hours{15}; };
    config.credit_lookup = [&](core::DocumentType, const std::string& number) {
        ++asked;
        return workflow::CreditAnswer{standing.at(number), "信用中国（测试）", "XY-TEST", core::Instant{kToday} + std::chrono::hours{15}};
    };
    app::DeskServices services(config);
    services.sign_in(store::Store::open(dir, "clerk", kPassword));
    CasesPresenter p(services);
    auto start = [&](const std::string& item, const std::string& number, const std::string& name) {
        auto r = services.workflow().start_intake({item, ""});
        workflow::SetApplicant a;
        a.doc_number = number;
        a.name = name;
        a.phone = "13800138000";
        services.workflow().set_applicant(r.case_data.id, a);
        return r.case_data.id.to_string();
    };
    auto state_of = [&] {
        app::DeskState s;
        s.signed_in = true;
        s.has_store = true;
        s.role = core::Role::clerk;
        p.fill(s);
        return s;
    };
    const auto actions = app::desk_actions();
    BOOST_REQUIRE(actions.find("case.commit"));

    // Not an eligible item: no commitment line.
    const std::string other = start("370102-RS-0211-001", "11010519491231002X", "李红");
    BOOST_REQUIRE(p.select(other));
    BOOST_CHECK(!p.selected()->commitment_scheme && !p.selected()->credit_fast_track);
    BOOST_CHECK(!actions.enabled("case.commit", state_of()));

    const std::string id = start("370102-SC-0001-001", "11010519491231002X", "李红");
    BOOST_REQUIRE(p.select(id));
    BOOST_CHECK(p.selected()->credit_fast_track && !p.selected()->commitment_scheme);
    BOOST_CHECK(actions.enabled("case.commit", state_of()));
    workflow::RecordCommitment credit;
    credit.kind = workflow::RecordCommitment::Kind::credit;
    auto out = p.record_commitment(credit);  // nothing asked yet
    BOOST_CHECK(out.kind == app::ActOutcome::Kind::refused);
    BOOST_CHECK_EQUAL(out.code, "workflow.credit_unavailable");
    BOOST_CHECK(p.selected()->commitments.empty());
    p.prefetch_credit();
    services.wait_credit();
    BOOST_CHECK_EQUAL(asked.load(), 1);
    BOOST_CHECK_EQUAL(p.record_commitment(workflow::RecordCommitment{}).code, "workflow.not_eligible");  // not of the 告知承诺制
    out = p.record_commitment(credit);
    BOOST_REQUIRE_MESSAGE(out.kind == app::ActOutcome::Kind::done, out.code << ": " << out.message);
    BOOST_REQUIRE(out.notice);
    BOOST_CHECK_EQUAL(out.notice->kind, "notification_commitment");
    const auto* d = p.selected();
    BOOST_REQUIRE(d && d->summary.credit);
    BOOST_CHECK_EQUAL(d->summary.credit->report_no, "XY-TEST");
    BOOST_REQUIRE_EQUAL(d->commitments.size(), 1u);
    BOOST_CHECK(d->commitments[0].kind == core::CommitmentKind::credit);
    const auto premises = std::find_if(d->materials.begin(), d->materials.end(), [](const app::MaterialRow& m) { return m.code == "premises"; });
    BOOST_REQUIRE(premises != d->materials.end());
    BOOST_CHECK(premises->status == core::MaterialStatus::commitment);
    // At intake the commitment awaits its check (listed), but the check comes after acceptance.
    BOOST_REQUIRE_EQUAL(d->follow_ups.size(), 1u);
    BOOST_CHECK_EQUAL(d->follow_ups[0].commitment, 1);
    BOOST_CHECK(d->follow_ups[0].due && *d->follow_ups[0].due > kToday);
    BOOST_CHECK(!p.allowed(core::CaseAction::verify_follow_up));
    BOOST_CHECK_EQUAL(p.record_commitment(credit).code, "workflow.credit_already");

    // Accepted (the form answered, the application and the ID as papers), then checked at the window.
    services.workflow().answer(core::Uuid::parse(id).value(), nlohmann::json::parse(R"({"operator_name":"李红","operator_id":"11010519491231002X",
        "operator_phone":"13800138000","organisation":"individual","business_name":"李红小吃店","business_scope":"小吃服务",
        "premises":{"region":"370102","detail":"经十路2号"},"capital_fen":5000000,"employees":2,"agent_present":false})"));
    for (const char* m : {"application", "operator_id"}) {
        workflow::RecordMaterial rm;
        rm.material_code = m;
        services.workflow().record_material(core::Uuid::parse(id).value(), rm);
    }
    BOOST_REQUIRE(p.select(id));
    out = p.accept();
    BOOST_REQUIRE_MESSAGE(out.kind == app::ActOutcome::Kind::done, "accepted on the credit commitment: " << out.code << " " << out.message);
    BOOST_CHECK(p.allowed(core::CaseAction::verify_follow_up));
    workflow::VerifyFollowUp check;
    check.commitment = 1;
    check.result = core::FollowUpResult::breached;
    check.outcome = core::BreachOutcome::revoked;
    check.finding = "经营场所不实";
    out = p.verify_follow_up(check);  // a clerk does not revoke (and nothing is approved yet)
    BOOST_CHECK(out.kind != app::ActOutcome::Kind::done);
    check.outcome = core::BreachOutcome::referred;
    out = p.verify_follow_up(check);
    BOOST_REQUIRE_MESSAGE(out.kind == app::ActOutcome::Kind::done, out.code << ": " << out.message);
    BOOST_CHECK(p.selected()->follow_ups.empty());
    BOOST_REQUIRE(p.selected()->commitments[0].finding);
    BOOST_CHECK(p.selected()->commitments[0].finding->outcome == core::BreachOutcome::referred);
    BOOST_CHECK(!state_of().case_follow_ups);

    // A poor standing: refused with its own code.
    const std::string poor = start("370102-SC-0001-001", "370102198001010015", "王五");
    BOOST_REQUIRE(p.select(poor));
    p.prefetch_credit();
    services.wait_credit();
    BOOST_CHECK_EQUAL(p.record_commitment(credit).code, "workflow.credit_not_good");
}

// 事进人不进 and 马上办 (issue 21 part 4): a remote department is called at acceptance and waits in
// the remote-calls queue, late once its answer time is past; the window may decide the immediate
// items the department authorised it to, and the desk enables the decision for them only.
BOOST_AUTO_TEST_CASE(remote_calls_and_the_window_decision) {
    TempDir tmp;
    const auto dir = tmp.path / "store";
    std::filesystem::copy(seeded_template(), dir, std::filesystem::copy_options::recursive);
    core::Instant t = core::Instant{kToday} + std::chrono::hours{2};  // 10:00 in China
    app::DeskConfig config;
    config.store_dir = dir;
    config.start_sync = false;
    config.now = [&] { return t; };
    app::DeskServices services(config);
    services.sign_in(store::Store::open(dir, "clerk", kPassword));
    // The seeded store has no administrator: the rows an administrator's AuthorisationBook writes.
    const std::string dept = "区市场监督管理局";
    for (const char* power : {"decide", "hold_seal"})
        services.store().db().exec("INSERT INTO authorisations VALUES ('" + dept + "', 'immediate', '" + power +
                                   "', 'window,chief', 'admin', '2026-01-01T00:00:00Z')");
    services.store().db().exec("INSERT INTO department_policies VALUES ('" + dept + "', 1, 60, '王科长', 'admin', '2026-01-01T00:00:00Z')");
    CasesPresenter p(services);
    auto& wf = services.workflow();
    const auto id = wf.start_intake({"370102-SC-0001-001", ""}).case_data.id;
    workflow::SetApplicant a;
    a.doc_number = "11010519491231002X";
    a.name = "李红";
    a.phone = "13800138000";
    wf.set_applicant(id, a);
    wf.answer(id, nlohmann::json{{"operator_name", "李红"}, {"operator_id", "11010519491231002X"}, {"operator_phone", "13800138000"},
                                 {"organisation", "individual"}, {"business_name", "李红小吃店"}, {"business_scope", "小吃服务"},
                                 {"premises", {{"region", "370102"}, {"detail", "经十路2号"}}}, {"capital_fen", 5000000},
                                 {"employees", 2}, {"agent_present", false}});
    for (const char* m : {"application", "operator_id", "premises"})
        wf.record_material(id, {m, core::MaterialStatus::original_received, std::nullopt, std::nullopt, "", ""});
    BOOST_REQUIRE(wf.accept(id).case_data.remote_call);

    p.refresh();
    p.select_queue(store::Queue::remote_calls);
    BOOST_REQUIRE_EQUAL(p.row_count(), 1);
    BOOST_CHECK_EQUAL(p.row(0).case_id, id.to_string());
    BOOST_CHECK_EQUAL(p.row(0).call_department, dept);
    BOOST_REQUIRE(p.row(0).call_due);
    BOOST_CHECK(*p.row(0).call_due == t + std::chrono::minutes{60});
    BOOST_CHECK(!p.row(0).call_overdue);
    BOOST_CHECK_EQUAL(p.late_calls(), 0);
    t += std::chrono::minutes{61};  // the hour is past: the alarm
    p.refresh();
    p.select_queue(store::Queue::remote_calls);
    BOOST_REQUIRE_EQUAL(p.row_count(), 1);
    BOOST_CHECK(p.row(0).call_overdue);
    BOOST_CHECK_EQUAL(p.late_calls(), 1);

    // The window decides it on the spot: the desk enables the review for this case.
    auto state_of = [&] {
        app::DeskState s;
        s.signed_in = true;
        s.has_store = true;
        s.role = core::Role::clerk;
        p.fill(s);
        return s;
    };
    const auto actions = app::desk_actions();
    BOOST_REQUIRE(p.select(id.to_string()));
    BOOST_CHECK(p.selected()->window_decides);
    BOOST_CHECK(state_of().case_window_decides);
    BOOST_CHECK(actions.enabled("case.review", state_of()));
    // The department is late: 催办 is offered, and recorded to it.
    BOOST_REQUIRE(p.select(id.to_string()));
    BOOST_CHECK(p.selected()->summary.late);
    BOOST_CHECK(actions.enabled("case.urge", state_of()));
    const auto urged = CasesPresenter::run_act(wf, id.to_string(), "case.urge");
    BOOST_REQUIRE_MESSAGE(urged.kind == app::ActOutcome::Kind::done, urged.message);
    p.acted(urged);
    BOOST_REQUIRE_EQUAL(p.selected()->summary.urges.size(), 1u);
    BOOST_CHECK_EQUAL(p.selected()->summary.urges[0].to, dept);
    // Another department's promised item: not the window's to decide, nor late.
    const auto other = wf.start_intake({"370102-RS-0211-001", ""}).case_data.id;
    wf.set_applicant(other, a);
    BOOST_REQUIRE(p.select(other.to_string()));
    BOOST_CHECK(!p.selected()->window_decides);
    BOOST_CHECK(!actions.enabled("case.review", state_of()));
    BOOST_CHECK(!actions.enabled("case.urge", state_of()));
    BOOST_CHECK(!actions.enabled("case.receive", state_of()));  // a window draft: accepted in one act
}

// 网上申报 (issue 21 part 1): the inbox lists a waiting application; 预审 takes it into an online
// draft (and out of the inbox: a second take is "changed"); 接件 is offered for it, the received
// case waits in acceptance-due — late after its date — and 原件核验 is offered once an upload asks
// for an original.
BOOST_AUTO_TEST_CASE(online_application_received) {
    TempDir tmp;
    const auto dir = tmp.path / "store";
    std::filesystem::copy(seeded_template(), dir, std::filesystem::copy_options::recursive);
    core::Instant t = core::Instant{kToday} + std::chrono::hours{2};  // 10:00 in China
    app::DeskConfig config;
    config.store_dir = dir;
    config.start_sync = false;
    config.now = [&] { return t; };
    app::DeskServices services(config);
    services.sign_in(store::Store::open(dir, "clerk", kPassword));
    std::string sha;
    {
        store::BlobStore blobs(services.store().db(), services.store().dir(), services.store().key());
        std::istringstream in(std::string("\x89PNG\r\n\x1a\n", 8) + "an upload");
        sha = blobs.put(in, "image/png");
        store::OnlineApplication a;
        a.id = "app-1";
        a.channel = "pc";
        a.item_code = "370102-SC-0001-001";  // 个体工商户设立登记: the operator's ID asks for an original
        a.applicant_name = "李红";
        a.doc_number = "11010519491231002X";
        a.phone = "13800138000";
        a.submitted_at = core::format_instant(t - std::chrono::hours{20});
        a.uploads.push_back({"operator_id", "身份证.png", sha, 17, "image/png"});
        a.uploads.push_back({"nothing", "多余.png", sha, 17, "image/png"});  // no such material: a note
        store::Applications(services.store().db()).upsert_from_platform(a, t);
    }
    app::OnlinePresenter inbox(services);
    inbox.refresh();
    BOOST_REQUIRE_EQUAL(inbox.rows().size(), 1u);
    BOOST_CHECK_EQUAL(inbox.rows()[0].doc_number, "1101**********002X");
    BOOST_CHECK_EQUAL(inbox.rows()[0].uploads, 2);
    BOOST_CHECK_EQUAL(inbox.rows()[0].uploads_here, 2);
    const auto taken = inbox.take("app-1");
    BOOST_REQUIRE_MESSAGE(taken.ok(), taken.message);
    BOOST_CHECK(inbox.rows().empty());
    BOOST_CHECK(std::any_of(taken.notes.begin(), taken.notes.end(), [](const std::string& n) { return n.find("nothing") != std::string::npos; }));
    BOOST_CHECK_EQUAL(inbox.take("app-1").code, "application.changed");

    CasesPresenter p(services);
    auto state_of = [&] {
        app::DeskState s;
        s.signed_in = true;
        s.has_store = true;
        s.role = core::Role::clerk;
        p.fill(s);
        return s;
    };
    const auto actions = app::desk_actions();
    BOOST_REQUIRE(p.select(taken.case_id));
    BOOST_CHECK(p.selected()->summary.channel == core::Channel::pc);
    BOOST_CHECK_EQUAL(p.selected()->summary.application_id, "app-1");
    BOOST_REQUIRE_EQUAL(p.selected()->summary.originals_waiting.size(), 1u);  // the operator's ID
    BOOST_CHECK(state_of().case_online);
    BOOST_CHECK(actions.enabled("case.receive", state_of()));
    BOOST_CHECK(!state_of().case_late);
    BOOST_CHECK(actions.enabled("case.originals", state_of()));  // the line: a material may come by post before the receipt
    auto& wf = services.workflow();
    const auto received = CasesPresenter::run_act(wf, taken.case_id, "case.receive");
    BOOST_REQUIRE_MESSAGE(received.kind == app::ActOutcome::Kind::done, received.message);
    p.acted(received);
    BOOST_CHECK(!actions.enabled("case.receive", state_of()));
    BOOST_CHECK(actions.enabled("case.originals", state_of()));
    p.refresh();
    p.select_queue(store::Queue::acceptance_due);
    BOOST_REQUIRE_EQUAL(p.row_count(), 1);
    BOOST_REQUIRE(p.row(0).accept_due);
    BOOST_CHECK(!p.row(0).accept_overdue);
    t += std::chrono::hours{24 * 10};  // ten days on: past the five working days
    p.refresh();
    p.select_queue(store::Queue::acceptance_due);
    BOOST_REQUIRE_EQUAL(p.row_count(), 1);
    BOOST_CHECK(p.row(0).accept_overdue);
    // 原件核验 at the desk: the waiting original matches.
    BOOST_REQUIRE(p.select(taken.case_id));
    const auto verified = CasesPresenter::run_act(wf, taken.case_id, "case.originals");
    BOOST_REQUIRE_MESSAGE(verified.kind == app::ActOutcome::Kind::done, verified.message);
    p.acted(verified);
    BOOST_CHECK(p.selected()->summary.originals_waiting.empty());
    BOOST_REQUIRE_EQUAL(p.selected()->summary.uploads.size(), 1u);
    BOOST_CHECK(p.selected()->summary.uploads[0].matched == std::optional<bool>(true));
    // A parcel brings the application's original: logged with its waybill.
    const auto posted = p.receive_by_post("application", "EMS0001", "EMS");
    BOOST_REQUIRE_MESSAGE(posted.kind == app::ActOutcome::Kind::done, posted.message);
    const auto c = wf.load(*core::Uuid::parse(taken.case_id));
    BOOST_CHECK(c.checklist.find("application")->via == core::MaterialVia::post);
    BOOST_CHECK_EQUAL(c.checklist.find("application")->tracking_no, "EMS0001");
    // The desk's 原件核验 with what differs: a mismatch (before acceptance the material is defective).
    const auto mismatch = p.verify_originals({{{"operator_id", false, "照片与本人不符"}}});
    BOOST_REQUIRE_MESSAGE(mismatch.kind == app::ActOutcome::Kind::done, mismatch.message);
    BOOST_CHECK(p.selected()->summary.uploads[0].matched == std::optional<bool>(false));
    BOOST_CHECK_EQUAL(p.selected()->summary.originals_mismatched.size(), 1u);
    BOOST_CHECK(p.verify_originals({{{"operator_id", false, ""}}}).kind == app::ActOutcome::Kind::invalid);  // no note
}

BOOST_AUTO_TEST_SUITE_END()
