// Users' posts, display names and absence; seal assignments; case documents (issue 15 item 2).
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/documents.h"
#include "ow/store/errors.h"
#include "ow/store/schema.h"

#include <nlohmann/json.hpp>

#include <sstream>

using namespace ow;
using namespace ow::test;

namespace {

const std::string kAdminPw = "admin password 1";
const std::string kPw = "user password 1";

struct Centre {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    Centre() {
        store::Store::init(dir, "admin", core::Role::admin, kAdminPw, fast_kdf());
        auto a = store::Store::open(dir, "admin", kAdminPw);
        a->set_user("clerk1", core::Role::clerk, kPw, fast_kdf());
        a->set_user("chief_a", core::Role::chief, kPw, fast_kdf());
        a->set_user("chief_b", core::Role::chief, kPw, fast_kdf());
    }
    std::unique_ptr<store::Store> as(const std::string& user) { return store::Store::open(dir, user, user == "admin" ? kAdminPw : kPw); }
};

std::string last_action(store::Db& db) { return db.query_text("SELECT action FROM audit ORDER BY seq DESC LIMIT 1").value_or(""); }

}  // namespace

BOOST_AUTO_TEST_SUITE(profiles)

BOOST_FIXTURE_TEST_CASE(posts_and_names_are_set_by_an_administrator_and_seen_at_sign_in, Centre) {
    {
        auto a = as("admin");
        a->set_user_profile("chief_a", core::Post::A, "张首席");
        BOOST_CHECK_EQUAL(last_action(a->db()), "user.profile_changed");
        a->set_user_profile("clerk1", core::Post::none, "李窗口");
        // Only chief representatives sit on a post.
        BOOST_CHECK_THROW(a->set_user_profile("clerk1", core::Post::B, "李窗口"), core::InvalidData);
        BOOST_CHECK_THROW(a->set_user_profile("nobody", core::Post::none, "x"), core::InvalidData);
    }
    auto c = as("chief_a");
    BOOST_CHECK(c->user().post == core::Post::A);
    BOOST_CHECK_EQUAL(c->user().display_name, "张首席");
    BOOST_CHECK(c->actor().post == core::Post::A);
    // A chief cannot change posts.
    BOOST_CHECK_THROW(c->set_user_profile("chief_b", core::Post::A, "x"), store::NotAuthorised);
    auto users = c->users();
    BOOST_REQUIRE_EQUAL(users.size(), 4u);
    BOOST_CHECK_EQUAL(users[1].name, "chief_a");
    BOOST_CHECK(users[1].role == core::Role::chief);
    BOOST_CHECK(users[3].role == core::Role::clerk);
    BOOST_CHECK_EQUAL(users[3].display_name, "李窗口");
}

BOOST_FIXTURE_TEST_CASE(absence_is_marked_by_the_user_or_an_administrator_and_audited, Centre) {
    auto a = as("chief_a");
    a->set_absent("chief_a", true);
    BOOST_CHECK_EQUAL(last_action(a->db()), "user.absent");
    BOOST_CHECK(a->user_info("chief_a")->absent_since.has_value());
    BOOST_CHECK_THROW(a->set_absent("chief_b", true), store::NotAuthorised);
    auto adm = as("admin");
    adm->set_absent("chief_a", false);
    BOOST_CHECK_EQUAL(last_action(adm->db()), "user.present");
    BOOST_CHECK(!adm->user_info("chief_a")->absent_since.has_value());
    auto n = adm->db().query_int("SELECT count(*) FROM audit");
    adm->set_absent("chief_a", false);  // already present: nothing to record
    BOOST_CHECK_EQUAL(adm->db().query_int("SELECT count(*) FROM audit"), n);
}

BOOST_FIXTURE_TEST_CASE(a_seal_goes_to_a_user_or_a_post_and_its_secrets_stay_out_of_lists_and_audit, Centre) {
    auto a = as("admin");
    store::SealAssignments seals(a->db());
    store::SealAssignment s;
    s.holder_kind = store::SealAssignment::HolderKind::post;
    s.holder = "A";
    s.name = "行政审批专用章";
    s.signer = "Demo";
    s.p12 = std::string("\x30\x82\x01\x02 not really a p12", 22);
    s.pin = "123456 secret pin";
    s.image = "PNGDATA";
    seals.assign(s, a->actor(), core::now());
    BOOST_CHECK_EQUAL(last_action(a->db()), "seal.assigned");
    auto detail = a->db().query_text("SELECT detail FROM audit ORDER BY seq DESC LIMIT 1").value_or("");
    BOOST_CHECK(detail.find("secret pin") == std::string::npos);
    auto found = seals.for_user("chief_a", core::Post::A);
    BOOST_REQUIRE(found);
    BOOST_CHECK_EQUAL(found->pin, s.pin);
    BOOST_CHECK_EQUAL(found->p12, s.p12);
    BOOST_CHECK(!seals.for_user("chief_b", core::Post::B));
    BOOST_CHECK(!seals.for_user("clerk1", core::Post::none));
    // A user's own seal comes before the post's.
    s.holder_kind = store::SealAssignment::HolderKind::user;
    s.holder = "chief_a";
    s.name = "个人章";
    seals.assign(s, a->actor(), core::now());
    BOOST_CHECK_EQUAL(seals.for_user("chief_a", core::Post::A)->name, "个人章");
    auto all = seals.list();
    BOOST_REQUIRE_EQUAL(all.size(), 2u);
    for (const auto& x : all) BOOST_CHECK(x.pin.empty() && x.p12.empty());
    s.holder_kind = store::SealAssignment::HolderKind::post;
    s.holder = "C";
    BOOST_CHECK_THROW(seals.assign(s, a->actor(), core::now()), core::InvalidData);
}

// A seal on a PKCS#11 token: its URI and module, never a PIN; a replaced assignment changes kind.
BOOST_FIXTURE_TEST_CASE(a_token_seal_keeps_its_uri_and_module_and_no_pin, Centre) {
    auto a = as("admin");
    store::SealAssignments seals(a->db());
    store::SealAssignment s;
    s.holder_kind = store::SealAssignment::HolderKind::post;
    s.holder = "A";
    s.name = "行政审批专用章";
    s.signer = "Demo";
    s.pkcs11_uri = "pkcs11:token=ow-seal;object=seal;type=private";
    s.pkcs11_module = "/usr/lib/softhsm/libsofthsm2.so";
    s.pin = "4321";
    BOOST_CHECK_THROW(seals.assign(s, a->actor(), core::now()), core::InvalidData);  // a token's PIN is never stored
    s.pin.clear();
    s.p12 = "p12 bytes";
    BOOST_CHECK_THROW(seals.assign(s, a->actor(), core::now()), core::InvalidData);  // two keys
    s.p12.clear();
    s.pkcs11_uri.clear();
    BOOST_CHECK_THROW(seals.assign(s, a->actor(), core::now()), core::InvalidData);  // a module without a URI (and no key)
    BOOST_CHECK_EQUAL(a->db().query_int("SELECT count(*) FROM seals"), 0);
    s.pkcs11_uri = "pkcs11:token=ow-seal;object=seal;type=private";
    seals.assign(s, a->actor(), core::now());
    auto found = seals.for_user("chief_a", core::Post::A);
    BOOST_REQUIRE(found);
    BOOST_CHECK(found->on_token());
    BOOST_CHECK_EQUAL(found->pkcs11_uri, s.pkcs11_uri);
    BOOST_CHECK_EQUAL(found->pkcs11_module, s.pkcs11_module);
    BOOST_CHECK(found->pin.empty() && found->p12.empty());
    auto detail = nlohmann::json::parse(a->db().query_text("SELECT detail FROM audit ORDER BY seq DESC LIMIT 1").value_or("{}"));
    BOOST_CHECK_EQUAL(detail.value("key", ""), "pkcs11");
    BOOST_CHECK_EQUAL(detail.value("pkcs11_uri", ""), s.pkcs11_uri);
    // Replaced by a PKCS#12 seal: the token's URI and module go.
    s.pkcs11_uri.clear();
    s.pkcs11_module.clear();
    s.p12 = "p12 bytes";
    s.pin = "123456";
    seals.assign(s, a->actor(), core::now());
    found = seals.for_user("chief_a", core::Post::A);
    BOOST_REQUIRE(found);
    BOOST_CHECK(!found->on_token() && found->pkcs11_module.empty() && found->p12 == "p12 bytes");
    detail = nlohmann::json::parse(a->db().query_text("SELECT detail FROM audit ORDER BY seq DESC LIMIT 1").value_or("{}"));
    BOOST_CHECK_EQUAL(detail.value("key", ""), "pkcs12");
    BOOST_CHECK(!detail.contains("pkcs11_uri"));
}

// Migration 8: a PKCS#12 seal assigned before it stays a PKCS#12 seal.
BOOST_AUTO_TEST_CASE(migration_8_keeps_the_pkcs12_seals_assigned_before_it) {
    TempDir t;
    auto key = store::SecretKey::random();
    auto path = t.path / "m.db";
    {
        auto db = store::open_connection(path, *key, true);
        store::migrate(*db, 7);
        db->exec("INSERT INTO seals(holder_kind, holder, name, signer, p12, pin, image, assigned_by, assigned_at) "
                 "VALUES ('post', 'A', '行政审批专用章', 'Demo', x'3082', '123456', NULL, 'admin', '2026-01-01T00:00:00Z')");
    }
    auto db = store::open_connection(path, *key, false);
    store::migrate(*db);
    BOOST_REQUIRE_EQUAL(store::schema_version(*db), store::current_schema_version());
    auto found = store::SealAssignments(*db).for_user("chief_a", core::Post::A);
    BOOST_REQUIRE(found);
    BOOST_CHECK(!found->on_token());
    BOOST_CHECK(found->pkcs11_module.empty());
    BOOST_CHECK_EQUAL(found->pin, "123456");
    BOOST_CHECK_EQUAL(found->p12, std::string("\x30\x82", 2));
}

BOOST_FIXTURE_TEST_CASE(a_case_document_is_linked_queued_and_found_until_timestamped, Centre) {
    auto a = as("clerk1");
    auto cal = core::WorkCalendar::load_shipped();
    store::CaseStore cases(a->db(), cal);
    auto cat = core::Catalogue::load_shipped();
    core::Applicant app;
    app.name = "王小明";
    app.doc_number = "11010519491231002X";
    auto c = core::Case::create(cat.items().front(), app);
    cases.create(c, a->actor(), core::now(), {});
    store::BlobStore blobs(a->db(), a->dir(), a->key());
    std::istringstream pdf1("%PDF-1.7 one"), pdf2("%PDF-1.7 two");
    auto sha1 = blobs.put(pdf1, "application/pdf");
    auto sha2 = blobs.put(pdf2, "application/pdf");
    store::CaseDocuments docs(a->db());
    auto outbox_before = a->db().query_int("SELECT count(*) FROM outbox");
    docs.add({c.id.to_string(), 1, "approval_decision", sha1, true, false, ""}, core::now());
    BOOST_CHECK_EQUAL(a->db().query_int("SELECT count(*) FROM outbox"), outbox_before + 1);
    BOOST_CHECK_EQUAL(a->db().query_int("SELECT count(*) FROM case_blobs WHERE role = 'document'"), 1);
    BOOST_REQUIRE_EQUAL(docs.needing_timestamp().size(), 1u);
    docs.mark_timestamped(c.id.to_string(), 1, "approval_decision", sha2, core::now());
    BOOST_CHECK(docs.needing_timestamp().empty());
    auto list = docs.list(c.id.to_string());
    BOOST_REQUIRE_EQUAL(list.size(), 1u);
    BOOST_CHECK_EQUAL(list[0].sha256, sha2);
    BOOST_CHECK(list[0].timestamped);
    BOOST_CHECK_EQUAL(a->db().query_int("SELECT count(*) FROM case_blobs WHERE role = 'document'"), 2);
    BOOST_CHECK_THROW(docs.mark_timestamped(c.id.to_string(), 9, "approval_decision", sha2, core::now()), core::InvalidData);
}

// A store with no administrator at all (one clerk's laptop): its users add colleagues as clerks,
// and nothing more (no chief, no administrator, no change to an existing user).
BOOST_AUTO_TEST_CASE(a_store_without_an_administrator_lets_its_users_add_clerks_only) {
    TempDir tmp;
    auto dir = tmp.path / "store";
    store::Store::init(dir, "clerk", core::Role::clerk, kPw, fast_kdf());
    auto s = store::Store::open(dir, "clerk", kPw);
    s->set_user("clerk2", core::Role::clerk, kPw, fast_kdf());
    BOOST_CHECK_EQUAL(last_action(s->db()), "user.added");
    BOOST_CHECK_THROW(s->set_user("chief", core::Role::chief, kPw, fast_kdf()), store::NotAuthorised);
    BOOST_CHECK_THROW(s->set_user("boss", core::Role::admin, kPw, fast_kdf()), store::NotAuthorised);
    BOOST_CHECK_THROW(s->set_user("clerk2", core::Role::clerk, "another password 1", fast_kdf()), store::NotAuthorised);  // a reset
    BOOST_CHECK_EQUAL(s->users().size(), 2u);
}

BOOST_AUTO_TEST_SUITE_END()
