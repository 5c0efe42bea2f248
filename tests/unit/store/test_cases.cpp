// The commit object, audit chain, search, migrations, disk full, blobs, plaintext at rest.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/core/validators.h"
#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/demo.h"  // synthetic_resident_id
#include "ow/store/errors.h"
#include "ow/store/schema.h"

#include <sqlite3.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

using namespace ow;
using namespace ow::test;
using core::CaseAction;

namespace {

core::Instant at(int day, int minute) {
    return core::Instant{core::Date{std::chrono::year{2025} / std::chrono::October / day}} + std::chrono::hours{1} +
           std::chrono::minutes{minute};
}

std::int64_t count(store::Db& db, const std::string& table) { return db.query_int("SELECT count(*) FROM " + table); }

core::Case new_case(StoreFixture& f, const std::string& name, const std::string& id, const std::string& phone) {
    const auto* item = catalogue().item("370102-SC-0002-001");  // 企业设立登记 (promised)
    BOOST_REQUIRE(item);
    core::Case c = core::Case::create(*item, applicant(name, id, phone));
    f.cases().create(c, clerk(), at(9, 0), {});
    return c;
}

const std::string kId1 = store::synthetic_resident_id("370102", core::parse_date("1985-03-07"), 123);
const std::string kId2 = store::synthetic_resident_id("110105", core::parse_date("1990-11-30"), 456);

}  // namespace

BOOST_AUTO_TEST_SUITE(commit_object)

BOOST_FIXTURE_TEST_CASE(one_commit_writes_state_history_outbox_and_audit, StoreFixture) {
    core::Case c = new_case(*this, "王小明", kId1, "13800138000");
    BOOST_CHECK(!c.receipt_no.empty());
    BOOST_CHECK(core::ReceiptNumber::parse(c.receipt_no).has_value());
    auto& db = s->db();
    BOOST_CHECK_EQUAL(count(db, "cases"), 1);
    BOOST_CHECK_EQUAL(count(db, "outbox"), 1);
    BOOST_CHECK_EQUAL(count(db, "audit"), 1);
    auto cs = cases();
    auto h = cs.commit(c.id, {CaseAction::receive, clerk(), at(9, 5), "", nlohmann::json::object()});
    BOOST_CHECK_EQUAL(h.seq, 1u);
    BOOST_CHECK_EQUAL(count(db, "case_history"), 1);
    BOOST_CHECK_EQUAL(count(db, "outbox"), 2);
    BOOST_CHECK_EQUAL(count(db, "audit"), 2);
    auto loaded = cs.load(c.id);
    BOOST_REQUIRE(loaded);
    BOOST_CHECK(loaded->state == core::CaseState::received);
    BOOST_CHECK_EQUAL(*db.query_text("SELECT state FROM cases"), "received");
    // Outbox order follows commit order; mutation ids are UUIDv7.
    store::Stmt q(db, "SELECT mutation_id, kind FROM outbox ORDER BY seq");
    BOOST_REQUIRE(q.step());
    BOOST_CHECK_EQUAL(q.text(1), "create");
    BOOST_CHECK_EQUAL(core::Uuid::parse(q.text(0))->version(), 7);
    BOOST_REQUIRE(q.step());
    BOOST_CHECK_EQUAL(q.text(1), "receive");
}

BOOST_FIXTURE_TEST_CASE(a_refused_event_writes_nothing, StoreFixture) {
    core::Case c = new_case(*this, "李四", kId1, "13800138000");
    auto cs = cases();
    cs.commit(c.id, {CaseAction::receive, clerk(), at(9, 5), "", nlohmann::json::object()});
    auto& db = s->db();
    auto before = std::make_tuple(count(db, "case_history"), count(db, "outbox"), count(db, "audit"));
    std::string body = *db.query_text("SELECT body FROM cases");
    // accept while materials are pending: InvalidData, nothing written
    BOOST_CHECK_THROW(cs.commit(c.id, {CaseAction::accept, clerk(), at(9, 6), "", nlohmann::json::object()}), core::InvalidData);
    BOOST_CHECK_THROW(cs.commit(c.id, {CaseAction::approve, clerk(), at(9, 7), "", nlohmann::json::object()}),
                      core::IllegalTransition);
    BOOST_CHECK(before == std::make_tuple(count(db, "case_history"), count(db, "outbox"), count(db, "audit")));
    BOOST_CHECK_EQUAL(*db.query_text("SELECT body FROM cases"), body);
    BOOST_CHECK(store::AuditLog(db).verify().intact);
}

BOOST_FIXTURE_TEST_CASE(receipt_numbers_survive_restarts, StoreFixture) {
    core::Case a = new_case(*this, "甲", kId1, "13800138000");
    s->lock();
    s = store::Store::open(dir, "clerk", kPassword);
    core::Case b = new_case(*this, "乙", kId2, "13800138001");
    auto ra = core::ReceiptNumber::parse(a.receipt_no), rb = core::ReceiptNumber::parse(b.receipt_no);
    BOOST_REQUIRE(ra && rb);
    BOOST_CHECK_EQUAL(ra->sequence, 1u);
    BOOST_CHECK_EQUAL(rb->sequence, 2u);
}

BOOST_FIXTURE_TEST_CASE(a_returning_applicant_is_recognised, StoreFixture) {
    new_case(*this, "王小明", kId1, "13800138000");
    auto found = cases().find_applicant(core::DocumentType::resident_id, kId1);
    BOOST_REQUIRE(found);
    BOOST_CHECK_EQUAL(found->name, "王小明");
    BOOST_CHECK_EQUAL(found->phone, "13800138000");
    BOOST_CHECK(!cases().find_applicant(core::DocumentType::resident_id, kId2));
}

// The duplicate check at intake and acceptance reads the applicant's cases, not every case of the
// item: SQLite, left alone, walked cases_item(item_code, state), and each act grew with the store
// (a 100,000-case seed slowed from 160 to ~20 cases/s). Counted in SQLite's virtual-machine steps
// (a progress handler), which do not depend on the machine's speed.
BOOST_FIXTURE_TEST_CASE(the_duplicate_check_reads_the_applicants_cases_not_the_items, StoreFixture) {
    {
        store::Transaction tx(s->db());
        for (int i = 0; i < 1000; ++i)
            new_case(*this, "同事项" + std::to_string(i),
                     store::synthetic_resident_id("370102", core::parse_date("1980-01-01") + std::chrono::days{i}, 1 + i % 900), "13800138000");
        tx.commit();
    }
    core::Case mine = new_case(*this, "王小明", kId1, "13800138000");
    core::Case again = new_case(*this, "王小明", kId1, "13800138000");
    long ticks = 0;
    sqlite3_progress_handler(s->db().handle(), 100, [](void* n) { return ++*static_cast<long*>(n), 0; }, &ticks);
    auto hits = cases().open_duplicates(again);
    sqlite3_progress_handler(s->db().handle(), 0, nullptr, nullptr);
    BOOST_REQUIRE_EQUAL(hits.size(), 1u);
    BOOST_CHECK_EQUAL(hits[0].id, mine.id.to_string());
    // Two of the applicant's cases: under a hundred steps. Walking the item's 1,002 cases: over ten thousand.
    BOOST_CHECK_MESSAGE(ticks < 10, "the duplicate check took " << ticks * 100 << " SQLite steps for two cases of the applicant");
}

BOOST_FIXTURE_TEST_CASE(two_connections_do_not_lose_updates, StoreFixture) {
    // The desk and the sync thread each have a connection; both commit to different cases.
    std::vector<core::Case> made;
    for (int i = 0; i < 20; ++i) made.push_back(new_case(*this, "并发" + std::to_string(i), kId1, "13800138000"));
    auto other = s->connect();
    std::thread t([&] {
        store::CaseStore cs(*other, calendar());
        for (int i = 0; i < 20; i += 2) cs.commit(made[std::size_t(i)].id, {CaseAction::receive, clerk(), at(9, 10), "", {}});
    });
    auto cs = cases();
    for (int i = 1; i < 20; i += 2) cs.commit(made[std::size_t(i)].id, {CaseAction::receive, clerk(), at(9, 10), "", {}});
    t.join();
    BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM cases WHERE state = 'received'"), 20);
    BOOST_CHECK_EQUAL(count(s->db(), "audit"), 40);
    BOOST_CHECK(store::AuditLog(s->db()).verify().intact);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(audit_chain)

// A case's audit entries, oldest first, through the index (the desk's timeline reads them).
BOOST_FIXTURE_TEST_CASE(entries_of_one_case_in_order, StoreFixture) {
    core::Case a = new_case(*this, "王小明", kId1, "13800138000");
    core::Case b = new_case(*this, "李四", kId2, "13912345678");
    auto cs = cases();
    cs.commit(a.id, {CaseAction::receive, clerk(), at(9, 5), "", nlohmann::json::object()});
    cs.commit(b.id, {CaseAction::receive, clerk(), at(9, 6), "", nlohmann::json::object()});
    s->audit("store.note", "{}");  // about no case
    auto entries = store::AuditLog(s->db()).for_case(a.id.to_string());
    BOOST_REQUIRE_EQUAL(entries.size(), 2u);
    BOOST_CHECK_EQUAL(entries[0].action, "case.create");
    BOOST_CHECK_EQUAL(entries[1].action, "case.receive");
    BOOST_CHECK_LT(entries[0].seq, entries[1].seq);
    BOOST_CHECK_EQUAL(entries[1].case_id, a.id.to_string());
    BOOST_CHECK_EQUAL(entries[1].at, core::format_instant(at(9, 5)));
    BOOST_CHECK_EQUAL(store::AuditLog(s->db()).for_case(a.id.to_string(), 1).size(), 1u);
    BOOST_CHECK(store::AuditLog(s->db()).for_case("").empty());
    // Read through the index, not a scan of the whole trail.
    store::Stmt q(s->db(), "EXPLAIN QUERY PLAN SELECT seq FROM audit WHERE case_id = ? ORDER BY seq LIMIT ?");
    std::string details;
    while (q.step()) details += q.text(3) + "\n";
    BOOST_CHECK_MESSAGE(details.find("audit_case") != std::string::npos, details);
}

// The same extract with each entry's links (an archive package carries them): every entry hashes
// to its hash over its prev_hash, so the extract can be checked without the store.
BOOST_FIXTURE_TEST_CASE(entries_of_one_case_with_their_links, StoreFixture) {
    core::Case a = new_case(*this, "王小明", kId1, "13800138000");
    core::Case b = new_case(*this, "李四", kId2, "13912345678");
    cases().commit(a.id, {CaseAction::receive, clerk(), at(9, 5), "", nlohmann::json::object()});
    cases().commit(b.id, {CaseAction::receive, clerk(), at(9, 6), "", nlohmann::json::object()});
    auto plain = store::AuditLog(s->db()).for_case(a.id.to_string());
    auto chained = store::AuditLog(s->db()).for_case_chained(a.id.to_string());
    BOOST_REQUIRE_EQUAL(chained.size(), plain.size());
    BOOST_REQUIRE_EQUAL(chained.size(), 2u);
    for (std::size_t i = 0; i < chained.size(); ++i) {
        BOOST_CHECK_EQUAL(chained[i].entry.seq, plain[i].seq);
        BOOST_CHECK_EQUAL(chained[i].hash.size(), 64u);
        BOOST_CHECK_EQUAL(store::AuditLog::entry_hash(chained[i].prev_hash, chained[i].entry), chained[i].hash);
    }
    // b's creation sits between a's entries: a's second entry does not link to its first.
    BOOST_CHECK_NE(chained[1].prev_hash, chained[0].hash);
    BOOST_CHECK(store::AuditLog(s->db()).for_case_chained("").empty());
}

// The blobs linked to a case, by role and material code (an archive package lists them).
BOOST_FIXTURE_TEST_CASE(attachments_of_one_case, StoreFixture) {
    core::Case a = new_case(*this, "王小明", kId1, "13800138000");
    core::Case b = new_case(*this, "李四", kId2, "13912345678");
    store::BlobStore blobs(s->db(), s->dir(), s->key());
    std::istringstream scan("scan bytes"), sig("signature bytes");
    auto s1 = blobs.put(scan, "image/png");
    auto s2 = blobs.put(sig, "image/png");
    cases().attach_blob(a.id, s1, "material", "M1", clerk(), at(9, 7));
    cases().attach_blob(a.id, s2, "signature", "", clerk(), at(9, 8));
    cases().attach_blob(b.id, s1, "material", "M2", clerk(), at(9, 9));
    auto links = cases().attachments(a.id);
    BOOST_REQUIRE_EQUAL(links.size(), 2u);
    BOOST_CHECK_EQUAL(links[0].role, "material");
    BOOST_CHECK_EQUAL(links[0].material_code, "M1");
    BOOST_CHECK_EQUAL(links[0].sha256, s1);
    BOOST_CHECK_EQUAL(links[1].role, "signature");
    BOOST_CHECK_EQUAL(links[1].sha256, s2);
    BOOST_CHECK_EQUAL(cases().attachments(b.id).size(), 1u);
}

struct Seeded : StoreFixture {
    Seeded() {
        for (int i = 0; i < 5; ++i) {
            core::Case c = new_case(*this, "审计" + std::to_string(i), kId1, "13800138000");
            cases().commit(c.id, {CaseAction::receive, clerk(), at(9, 5 + i), "", {}});
        }
        s->db().exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");  // what an attacker would do
    }
};

BOOST_FIXTURE_TEST_CASE(append_only_triggers, StoreFixture) {
    new_case(*this, "甲", kId1, "13800138000");
    BOOST_CHECK_THROW(s->db().exec("UPDATE audit SET action = 'x'"), store::StoreError);
    BOOST_CHECK_THROW(s->db().exec("DELETE FROM audit"), store::StoreError);
}

BOOST_FIXTURE_TEST_CASE(intact_chain_verifies, Seeded) {
    auto v = store::AuditLog(s->db()).verify();
    BOOST_CHECK(v.intact);
    BOOST_CHECK_EQUAL(v.entries, 10);
}

BOOST_FIXTURE_TEST_CASE(an_edited_entry_is_named, Seeded) {
    s->db().exec("UPDATE audit SET user_id = 'someone-else' WHERE seq = 4");
    auto v = store::AuditLog(s->db()).verify();
    BOOST_CHECK(!v.intact);
    BOOST_CHECK_EQUAL(*v.first_bad, 4);
}

BOOST_FIXTURE_TEST_CASE(an_edit_with_a_recomputed_hash_breaks_the_next_link, Seeded) {
    // Recompute entry 4's own hash after editing it: the link from entry 5 still breaks.
    auto& db = s->db();
    store::Stmt q(db, "SELECT seq, at, user_id, post, acting_for, action, case_id, detail, prev_hash FROM audit WHERE seq = 4");
    BOOST_REQUIRE(q.step());
    store::AuditEntry e{q.int64(0), q.text(1), "forger", core::Post::none, q.text(4), q.text(5), q.text(6), q.text(7)};
    std::string h = store::AuditLog::entry_hash(q.text(8), e);
    store::Stmt(db, "UPDATE audit SET user_id = 'forger', hash = ? WHERE seq = 4").bind(1, h).run();
    auto v = store::AuditLog(db).verify();
    BOOST_CHECK(!v.intact);
    BOOST_CHECK_EQUAL(*v.first_bad, 5);
}

BOOST_FIXTURE_TEST_CASE(a_removed_entry_is_named, Seeded) {
    s->db().exec("DELETE FROM audit WHERE seq = 6");
    auto v = store::AuditLog(s->db()).verify();
    BOOST_CHECK(!v.intact);
    BOOST_CHECK_EQUAL(*v.first_bad, 6);
}

BOOST_FIXTURE_TEST_CASE(reordered_entries_are_found, Seeded) {
    auto& db = s->db();
    db.exec("UPDATE audit SET seq = 100 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 7; UPDATE audit SET seq = 7 WHERE seq = 100;");
    auto v = store::AuditLog(db).verify();
    BOOST_CHECK(!v.intact);
    BOOST_CHECK_EQUAL(*v.first_bad, 3);
}

// An edited head used to be reported as "first bad entry 11" of a 10-entry trail.
BOOST_FIXTURE_TEST_CASE(an_altered_head_is_named_as_such_not_as_a_missing_entry, Seeded) {
    auto& db = s->db();
    db.exec("UPDATE meta SET value = '3:" + std::string(64, 'a') + "' WHERE key = 'audit_head'");
    auto v = store::AuditLog(db).verify();
    BOOST_CHECK(!v.intact);
    BOOST_CHECK(!v.first_bad);
    BOOST_CHECK(v.reason.find("the head was altered") != std::string::npos);
    db.exec("UPDATE meta SET value = 'nonsense' WHERE key = 'audit_head'");
    v = store::AuditLog(db).verify();
    BOOST_CHECK(!v.intact && !v.first_bad && v.reason.find("the head was altered") != std::string::npos);
    db.exec("DELETE FROM meta WHERE key = 'audit_head'");
    v = store::AuditLog(db).verify();
    BOOST_CHECK(!v.intact && !v.first_bad && v.reason.find("the head was removed") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_head_moved_back_to_a_real_entry_names_the_next_one, Seeded) {
    auto& db = s->db();
    auto h = db.query_text("SELECT hash FROM audit WHERE seq = 6");
    BOOST_REQUIRE(h);
    db.exec("UPDATE meta SET value = '6:" + *h + "' WHERE key = 'audit_head'");
    auto v = store::AuditLog(db).verify();
    BOOST_CHECK(!v.intact);
    BOOST_REQUIRE(v.first_bad);
    BOOST_CHECK_EQUAL(*v.first_bad, 7);
}

BOOST_FIXTURE_TEST_CASE(entries_cut_from_the_end_are_found, Seeded) {
    s->db().exec("DELETE FROM audit WHERE seq >= 9");
    auto v = store::AuditLog(s->db()).verify();
    BOOST_CHECK(!v.intact);
    BOOST_CHECK_EQUAL(*v.first_bad, 9);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(search)

BOOST_FIXTURE_TEST_CASE(by_every_key, StoreFixture) {
    core::Case a = new_case(*this, "𠮷祥", kId1, "13912345678");
    core::Case b = new_case(*this, "王小明", kId2, "13800138000");
    auto cs = cases();
    s->db().exec("UPDATE cases SET platform_case_no = '37010220251009000123' WHERE id = '" + b.id.to_string() + "'");
    auto only = [&](const std::string& q, const core::Case& want) {
        auto hits = cs.search(q);
        BOOST_REQUIRE_MESSAGE(hits.size() == 1, "query " << q << " found " << hits.size());
        BOOST_CHECK_EQUAL(hits[0].id, want.id.to_string());
    };
    only(a.id.to_string(), a);
    only(a.receipt_no, a);
    only(kId1, a);
    only("13912345678", a);
    only("𠮷", a);   // name prefix with a character outside the BMP
    only("王小", b);
    only("37010220251009000123", b);
    BOOST_CHECK_EQUAL(cs.search(a.receipt_no.substr(0, 15)).size(), 2u);  // receipt prefix: both today
    BOOST_CHECK(cs.search("钱").empty());
    BOOST_CHECK(cs.search("").empty());
    // An ID number typed with a lower-case x finds the stored upper-case X.
    std::string with_x;
    for (int seq = 1; seq < 1000 && with_x.empty(); ++seq) {
        auto id = store::synthetic_resident_id("440304", core::parse_date("1979-05-04"), seq);
        if (id.back() == 'X') with_x = id;
    }
    BOOST_REQUIRE(!with_x.empty());
    core::Case x = new_case(*this, "赵乙", with_x, "13700000000");
    std::string lower = with_x;
    lower.back() = 'x';
    auto hits = cs.search(lower);
    BOOST_REQUIRE_EQUAL(hits.size(), 1u);
    BOOST_CHECK_EQUAL(hits[0].id, x.id.to_string());
}

// A hit says whether its promised date is provisional (预计), as the queues' rows do.
BOOST_FIXTURE_TEST_CASE(hits_carry_the_provisional_flag, StoreFixture) {
    core::Case a = new_case(*this, "王小明", kId1, "13800138000");
    auto cs = cases();
    BOOST_CHECK(!cs.search(kId1).at(0).promised_provisional);
    s->db().exec("UPDATE cases SET body = json_set(body, '$.promised_provisional', json('true')) WHERE id = '" + a.id.to_string() + "'");
    BOOST_CHECK(cs.search(kId1).at(0).promised_provisional);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schema)

BOOST_AUTO_TEST_CASE(migrates_from_every_earlier_version) {
    for (int from = 0; from < store::current_schema_version(); ++from) {
        TempDir t;
        auto key = store::SecretKey::random();
        auto path = t.path / "m.db";
        {
            auto db = store::open_connection(path, *key, true);
            if (from > 0) store::migrate(*db, from);
            BOOST_CHECK_EQUAL(store::schema_version(*db), from);
            if (from >= 1)
                db->exec("INSERT INTO settings(key, value) VALUES ('marker', 'from " + std::to_string(from) + "')");
        }
        auto db = store::open_connection(path, *key, false);
        store::migrate(*db);
        BOOST_CHECK_EQUAL(store::schema_version(*db), store::current_schema_version());
        if (from >= 1) BOOST_CHECK_EQUAL(*db->query_text("SELECT value FROM settings WHERE key = 'marker'"), "from " + std::to_string(from));
        BOOST_CHECK_EQUAL(db->query_int("SELECT count(*) FROM sqlite_master WHERE name = 'ratings'"), 1);
        store::migrate(*db);  // idempotent
        BOOST_CHECK_EQUAL(store::schema_version(*db), store::current_schema_version());
    }
}

BOOST_AUTO_TEST_CASE(a_newer_store_is_refused) {
    TempDir t;
    auto key = store::SecretKey::random();
    auto db = store::open_connection(t.path / "n.db", *key, true);
    db->exec("PRAGMA user_version = 99");
    BOOST_CHECK_THROW(store::migrate(*db), store::StoreError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(faults)

BOOST_FIXTURE_TEST_CASE(disk_full_fails_cleanly_and_recovers, StoreFixture) {
    auto& db = s->db();
    int made = 0;
    std::int64_t pages = db.query_int("PRAGMA page_count");
    db.exec("PRAGMA max_page_count = " + std::to_string(pages + 40));
    bool full = false;
    std::vector<core::Case> ok;
    for (int i = 0; i < 2000 && !full; ++i) {
        try {
            ok.push_back(new_case(*this, "满" + std::to_string(i) + std::string(300, 'x'), kId1, "13800138000"));
            ++made;
        } catch (const store::DiskFull&) {
            full = true;
        }
    }
    BOOST_REQUIRE(full);
    BOOST_CHECK_EQUAL(count(db, "cases"), made);  // the failed transaction left nothing behind
    BOOST_CHECK_EQUAL(count(db, "audit"), made);
    BOOST_CHECK_EQUAL(count(db, "outbox"), made);
    BOOST_CHECK(store::AuditLog(db).verify().intact);
    db.exec("PRAGMA max_page_count = 1073741823");
    BOOST_CHECK_NO_THROW(new_case(*this, "恢复", kId2, "13800138001"));
    BOOST_CHECK_EQUAL(count(db, "cases"), made + 1);
    BOOST_CHECK_EQUAL(*db.query_text("PRAGMA integrity_check"), "ok");
}

BOOST_FIXTURE_TEST_CASE(a_flipped_byte_is_detected, StoreFixture) {
    for (int i = 0; i < 30; ++i) new_case(*this, "翻转" + std::to_string(i), kId1, "13800138000");
    s->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    s->lock();
    auto file = dir / store::Store::kDbFile;
    std::string db = read_file(file);
    BOOST_REQUIRE_GT(db.size(), 4096u * 6);
    db[4096 * 5 + 700] = char(db[4096 * 5 + 700] ^ 0x01);  // one bit, in page 6
    write_file(file, db);
    bool detected = false;
    try {
        auto again = store::Store::open(dir, "clerk", kPassword);
        store::Stmt pages(again->db(), "PRAGMA cipher_integrity_check");
        while (pages.step()) {  // each row names a failing page
            BOOST_TEST_MESSAGE("cipher_integrity_check: " << pages.text(0));
            detected = true;
        }
        if (!detected) again->db().query_int("SELECT count(*) FROM cases WHERE body LIKE '%翻转%'");
    } catch (const store::CorruptStore& e) {
        BOOST_TEST_MESSAGE("open refused: " << e.what());
        detected = std::string(e.what()).find(file.string()) != std::string::npos;  // names the file
    }
    BOOST_CHECK(detected);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(blobs)

BOOST_FIXTURE_TEST_CASE(round_trip_and_dedup, StoreFixture) {
    store::BlobStore b(s->db(), dir, s->key());
    std::string content = "扫描件 " + std::string(200000, 'a') + " end";
    std::istringstream in1(content), in2(content);
    std::string sha = b.put(in1, "image/png");
    BOOST_CHECK_EQUAL(sha, store::sha256_hex(content));
    BOOST_CHECK_EQUAL(b.put(in2, "image/png"), sha);
    BOOST_CHECK_EQUAL(count(s->db(), "blobs"), 1);
    std::size_t files = 0;
    for (auto& e : std::filesystem::recursive_directory_iterator(dir / "blobs")) files += e.is_regular_file();
    BOOST_CHECK_EQUAL(files, 1u);
    std::ostringstream out;
    b.get(sha, out);
    BOOST_CHECK(out.str() == content);
    std::istringstream empty("");
    std::string e = b.put(empty, "application/octet-stream");
    std::ostringstream eout;
    b.get(e, eout);
    BOOST_CHECK(eout.str().empty());
    BOOST_CHECK(b.verify_all().empty());
}

BOOST_FIXTURE_TEST_CASE(a_50_mb_scan_streams_in_little_memory, StoreFixture) {
    // A fresh process (store_blob_probe) streams 50 MB in and out and reports its peak memory.
    s->lock();
    std::string cmd = std::string(OW_BLOB_PROBE) + " '" + dir.string() + "' '" + kPassword + "'";
    FILE* p = popen(cmd.c_str(), "r");
    BOOST_REQUIRE(p);
    long before = -1, after = -1;
    int n = std::fscanf(p, "%ld %ld", &before, &after);
    int rc = pclose(p);
    BOOST_REQUIRE_EQUAL(n, 2);
    BOOST_REQUIRE_EQUAL(rc, 0);
    long grown_kib = after - before;
    BOOST_TEST_MESSAGE("peak memory growth for a 50 MB blob in and out: " << grown_kib << " KiB");
#if defined(__SANITIZE_ADDRESS__)
    BOOST_CHECK_LT(grown_kib, 64 * 1024);  // ASan keeps freed memory in quarantine
#else
    BOOST_CHECK_LT(grown_kib, 20 * 1024);
#endif
}

BOOST_FIXTURE_TEST_CASE(damaged_blobs_are_detected, StoreFixture) {
    store::BlobStore b(s->db(), dir, s->key());
    std::string content(300000, 'z');
    std::istringstream in(content);
    std::string sha = b.put(in, "image/png");
    auto file = b.file_of(sha);
    std::string raw = read_file(file);
    std::string flipped = raw;
    flipped[raw.size() / 2] = char(flipped[raw.size() / 2] ^ 0x40);
    write_file(file, flipped);
    std::ostringstream out;
    BOOST_CHECK_THROW(b.get(sha, out), store::CorruptStore);
    BOOST_CHECK_EQUAL(b.verify_all().size(), 1u);
    write_file(file, raw.substr(0, raw.size() - 70000));  // truncated at a chunk boundary region
    BOOST_CHECK_THROW(b.get(sha, out), store::CorruptStore);
    write_file(file, raw.substr(0, 4 + 32 + 24 + 65536 + 17));  // exactly the first chunk: no FINAL tag
    BOOST_CHECK_THROW(b.get(sha, out), store::CorruptStore);
    std::filesystem::remove(file);
    BOOST_CHECK_THROW(b.get(sha, out), store::CorruptStore);
    write_file(file, raw);
    BOOST_CHECK(b.verify_all().empty());
}

BOOST_AUTO_TEST_SUITE_END()
