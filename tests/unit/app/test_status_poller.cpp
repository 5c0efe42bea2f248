// SyncStatusPoller: the sync status read on its own thread and connection; the desk's thread only
// takes the latest snapshot. It follows the store, re-reads when poked, and stops at once.
#include <boost/test/unit_test.hpp>

#include "sync/status_poller.h"

#include "fixture.h"

#include "ow/store/sync_queue.h"
#include "ow/workflow/demo.h"

#include <chrono>
#include <thread>

using namespace ow;
using namespace std::chrono_literals;
using test::StoreFixture;

namespace {
template <class F>
bool eventually(F&& f) {
    for (int i = 0; i < 500; ++i) {
        if (f()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(status_poller)

BOOST_FIXTURE_TEST_CASE(reads_in_the_background_and_follows_the_store, StoreFixture) {
    workflow::SeedOptions o;
    o.cases = 3;
    o.seed = 5;
    workflow::seed_demo(*s, test::catalogue(), forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog"),
                        test::calendar(), o);
    app::SyncStatusPoller poller(s->connect(), 1h);  // only the first read and pokes
    BOOST_REQUIRE(eventually([&] { return poller.latest().has_value(); }));
    auto first = *poller.latest();
    auto direct = sync::read_status(s->db());  // what the desk's thread would have read itself
    BOOST_CHECK_GT(first.queued_mutations, 0);
    BOOST_CHECK_EQUAL(first.queued_mutations, direct.queued_mutations);
    BOOST_CHECK_EQUAL(first.queued_cases, direct.queued_cases);
    BOOST_CHECK_EQUAL(first.quarantined, 0);
    BOOST_CHECK(poller.error().empty());
    // The platform refuses a change: after a poke the snapshot shows it.
    store::Outbox ob(s->db());
    ob.quarantine(ob.next_batch(1, 1 << 20).at(0), "invalid.applicant.doc_type", "unknown code", "{}", core::now());
    long reads = poller.reads();
    poller.poke();
    BOOST_REQUIRE(eventually([&] { return poller.reads() > reads; }));
    BOOST_CHECK_EQUAL(poller.latest()->quarantined, 1);
}

// The poller sleeps an hour between reads here: its destructor must not wait that out (a poller
// that did would hang this test until ctest's timeout fails it). No clock is asserted on.
BOOST_FIXTURE_TEST_CASE(stops_without_waiting_out_its_interval, StoreFixture) {
    long reads = 0;
    {
        app::SyncStatusPoller poller(s->connect(), 1h);
        BOOST_REQUIRE(eventually([&] { return poller.reads() > 0; }));
        reads = poller.reads();
    }
    BOOST_CHECK_EQUAL(reads, 1);  // one read at start, none more within the hour
}

BOOST_AUTO_TEST_SUITE_END()
