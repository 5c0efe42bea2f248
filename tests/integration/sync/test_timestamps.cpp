// Documents sealed offline get their document timestamp (B-T) at the next sync with a TSA
// (issue 15 item 4): a case document sealed with the demo seal and recorded in the store,
// `onewindow-cli sync --once` against the simulator, then the stored document carries an
// RFC 3161 document timestamp that pdfsig and `seal verify` accept, and the platform holds the
// new blob. A platform without a TSA, or with a failing one, leaves the document as it was; a
// document that is no PDF becomes a problem record without holding the others up.
#include <boost/test/unit_test.hpp>

#include "live.h"

#include "ow/seal/seal.h"
#include "ow/store/blobs.h"
#include "ow/store/documents.h"
#include "ow/store/sync_queue.h"

#include <fstream>
#include <sstream>

using namespace ow;
using namespace ow::live;

namespace {

struct Sealed {
    std::string case_id, sha256;
};

/// A PDF sealed offline with the demo seal (no TSA), stored as a blob and recorded as the
/// acceptance receipt of the store's first case.
Sealed add_sealed_document(Terminal& t, const fs::path& work) {
    auto demo = seal::make_demo_seal("测试市政务服务中心", work / "demo-seal");
    auto key = seal::SigningKey::from_pkcs12(demo.p12, demo.pin_file);
    seal::StampOptions o;
    o.image = demo.png;
    o.placement.rect = seal::Rect{380, 80, 120, 120};
    o.reason = "受理";
    seal::stamp(fs::path(OW_SOURCE_DIR) / "tests/data/seal/cairo.pdf", work / "sealed.pdf", key, o);
    Sealed s;
    s.case_id = *t.db().query_text("SELECT id FROM cases ORDER BY id LIMIT 1");
    store::BlobStore blobs(t.db(), t.dir, t.store->key());
    s.sha256 = blobs.put_file(work / "sealed.pdf", "application/pdf");
    store::CaseDocument d;
    d.case_id = s.case_id;
    d.seq = 1;
    d.kind = "acceptance_receipt";
    d.sha256 = s.sha256;
    d.sealed = true;
    store::CaseDocuments(t.db()).add(d, core::now());
    return s;
}

json sync_once(Terminal& t) {
    auto r = run({cli_binary(), "sync", "--store", t.dir.string(), "--password-file", t.password_file.string(), "--once", "--quiet"});
    BOOST_TEST_MESSAGE("sync: rc " << r.rc << " " << r.out << r.err);
    BOOST_REQUIRE_MESSAGE(r.rc == 0, "sync --once: rc " << r.rc << ": " << r.err);
    return json::parse(r.out);
}

store::CaseDocument the_document(Terminal& t, const std::string& case_id) {
    auto list = store::CaseDocuments(t.db()).list(case_id);
    BOOST_REQUIRE_EQUAL(list.size(), 1u);
    return list.front();
}

bool platform_holds(const Sim& sim, const std::string& sha256) {
    for (const auto& b : sim.blob_digests())
        if (b.value("sha256", "") == sha256) return b.value("ok", false);
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(document_timestamps)

BOOST_AUTO_TEST_CASE(a_document_sealed_offline_is_timestamped_at_the_next_sync) {
    TempDir tmp;
    auto db = tmp.path / "sim.db";
    auto cred = enrol(db, "window-ts");
    Terminal t;
    t.seed(3, 0);
    const Sealed sealed = add_sealed_document(t, tmp.path);
    const auto blobs_before = t.db().query_int("SELECT count(*) FROM blobs");

    // A platform without a TSA, then one whose TSA is down: the document stays as it was.
    Sim sim(db, {"--decide-after-s", "100000", "--tsa", "off"});
    t.connect(sim.url(), cred);
    auto r = sync_once(t);
    BOOST_CHECK_EQUAL(r["documents_timestamped"], 0);
    BOOST_CHECK_EQUAL(r["documents_awaiting_timestamp"], 1);
    BOOST_CHECK(r["timestamp_error"].get<std::string>().find("tsa.none") != std::string::npos);
    sim.restart({"--decide-after-s", "100000", "--tsa", "failing"});
    t.connect(sim.url(), cred);
    r = sync_once(t);
    BOOST_CHECK_EQUAL(r["documents_timestamped"], 0);
    BOOST_CHECK(r["timestamp_error"].get<std::string>().find("tsa.unavailable") != std::string::npos);
    auto d = the_document(t, sealed.case_id);
    BOOST_CHECK_EQUAL(d.sha256, sealed.sha256);
    BOOST_CHECK(!d.timestamped);
    BOOST_CHECK_EQUAL(t.db().query_int("SELECT count(*) FROM blobs"), blobs_before);  // no half-made blob
    BOOST_CHECK(platform_holds(sim, sealed.sha256));  // the sealed original went up with the case

    // A "sealed" document that is no PDF: the timestamper refuses it, it becomes a problem
    // record, and the good one is not held up.
    const std::string other_case = *t.db().query_text("SELECT id FROM cases ORDER BY id DESC LIMIT 1");
    BOOST_REQUIRE_NE(other_case, sealed.case_id);
    {
        std::istringstream junk("not a PDF at all");
        store::CaseDocument bad;
        bad.case_id = other_case;
        bad.seq = 1;
        bad.kind = "acceptance_receipt";
        bad.sha256 = store::BlobStore(t.db(), t.dir, t.store->key()).put(junk, "application/pdf");
        bad.sealed = true;
        store::CaseDocuments(t.db()).add(bad, core::now() - std::chrono::hours(1));  // older: tried first
    }

    // The TSA is back: the next sync adds the document timestamp and uploads the new version.
    sim.restart({"--decide-after-s", "100000"});
    t.connect(sim.url(), cred);
    r = sync_once(t);
    BOOST_CHECK_EQUAL(r["documents_timestamped"], 1);
    BOOST_CHECK_EQUAL(r["documents_awaiting_timestamp"], 1);  // the refused one
    BOOST_CHECK_EQUAL(r["problems"], 1);
    auto problems = store::SyncIssues(t.db()).open("problem");
    BOOST_REQUIRE_EQUAL(problems.size(), 1u);
    BOOST_CHECK_EQUAL(problems[0].code, "document.timestamp_failed");
    BOOST_CHECK_EQUAL(problems[0].case_id, other_case);
    BOOST_CHECK(!the_document(t, other_case).timestamped);
    BOOST_CHECK(r["timestamp_error"].is_null());
    BOOST_CHECK_EQUAL(r["remaining_blobs"], 0);
    BOOST_CHECK_EQUAL(r["remaining_mutations"], 0);
    d = the_document(t, sealed.case_id);
    BOOST_CHECK(d.timestamped);
    BOOST_REQUIRE_NE(d.sha256, sealed.sha256);
    BOOST_CHECK(platform_holds(sim, d.sha256));
    BOOST_CHECK_EQUAL(t.db().query_int("SELECT count(*) FROM case_blobs WHERE role = 'document' AND sha256 = '" + d.sha256 + "'"), 1);

    // The stored document: the seal intact and a document timestamp after it.
    auto file = tmp.path / "stored.pdf";
    {
        std::ofstream f(file, std::ios::binary);
        store::BlobStore(t.db(), t.dir, t.store->key()).get(d.sha256, f);
    }
    auto v = run({cli_binary(), "seal", "verify", file.string(), "--json"});
    BOOST_CHECK_MESSAGE(v.rc == 0, "seal verify: " << v.out << v.err);
    auto sigs = json::parse(v.out)["signatures"];
    BOOST_REQUIRE_EQUAL(sigs.size(), 2u);
    BOOST_CHECK(!sigs[0]["doc_timestamp"].get<bool>());
    BOOST_CHECK(sigs[1]["doc_timestamp"].get<bool>());
    BOOST_CHECK_EQUAL(sigs[1]["sub_filter"], "/ETSI.RFC3161");
    BOOST_CHECK(!sigs[1]["timestamp_time"].get<std::string>().empty());
    for (const auto& s : sigs) BOOST_CHECK(s["valid"].get<bool>());
    // pdfsig (Poppler 22.12) lists both; it validates the seal and cannot validate an
    // ETSI.RFC3161 timestamp ("unknown"), so the seal must stay valid and the bytes intact.
    auto p = run({"/usr/bin/pdfsig", file.string()});
    auto count = [&](const std::string& needle) {
        int n = 0;
        for (std::size_t at = p.out.find(needle); at != std::string::npos; at = p.out.find(needle, at + 1)) ++n;
        return n;
    };
    BOOST_CHECK_MESSAGE(count("Signature #") == 2 && count("Signature is Valid") == 1, p.out);
    // The timestamp (type "unknown" to pdfsig) is the platform TSA's and covers the whole file.
    const auto ts = p.out.find("Signature #2:");
    BOOST_REQUIRE_MESSAGE(ts != std::string::npos, p.out);
    BOOST_CHECK_MESSAGE(p.out.find("训练平台时间戳服务", ts) != std::string::npos, p.out);
    BOOST_CHECK_MESSAGE(p.out.find("Total document signed", ts) != std::string::npos, p.out);
    BOOST_CHECK_MESSAGE(p.out.find("Digest Mismatch") == std::string::npos, p.out);

    // Done once: the next pass has nothing to timestamp.
    r = sync_once(t);
    BOOST_CHECK_EQUAL(r["documents_timestamped"], 0);
    BOOST_CHECK_EQUAL(the_document(t, sealed.case_id).sha256, d.sha256);
}

BOOST_AUTO_TEST_SUITE_END()
