// Keys, unlock, password changes, recovery, idle lock, SQLCipher settings.
#include <boost/test/unit_test.hpp>

#include "fixture.h"

#include "ow/store/errors.h"
#include "ow/store/schema.h"

using namespace ow;
using namespace ow::test;

BOOST_AUTO_TEST_SUITE(keys)

BOOST_FIXTURE_TEST_CASE(open_with_the_right_password, StoreFixture) {
    BOOST_CHECK_EQUAL(s->user().name, "clerk");
    BOOST_CHECK(s->user().role == core::Role::clerk);
    auto v = s->db().query_text("PRAGMA cipher_version");
    BOOST_REQUIRE(v);
    BOOST_CHECK_GE((*v)[0], '4');
    BOOST_CHECK_EQUAL(*s->db().query_text("PRAGMA cipher_page_size"), "4096");
    BOOST_CHECK_EQUAL(*s->db().query_text("PRAGMA cipher_hmac_algorithm"), "HMAC_SHA512");
    BOOST_CHECK_EQUAL(*s->db().query_text("PRAGMA journal_mode"), "wal");
    BOOST_CHECK_EQUAL(s->db().query_int("PRAGMA synchronous"), 2);  // FULL
    BOOST_CHECK_EQUAL(store::schema_version(s->db()), store::current_schema_version());
}

BOOST_FIXTURE_TEST_CASE(the_database_file_is_not_plain_sqlite, StoreFixture) {
    std::string head = read_file(dir / store::Store::kDbFile).substr(0, 16);
    BOOST_CHECK(head != std::string("SQLite format 3\0", 16));
}

BOOST_FIXTURE_TEST_CASE(a_wrong_password_fails_cleanly_and_changes_nothing, StoreFixture) {
    s->lock();
    std::string keys_before = read_file(dir / "keys.json"), db_before = read_file(dir / store::Store::kDbFile);
    BOOST_CHECK_THROW(store::Store::open(dir, "clerk", "wrong password"), store::AuthError);
    BOOST_CHECK_THROW(store::Store::open(dir, "nobody", kPassword), store::AuthError);
    BOOST_CHECK_THROW(store::Store::open_recovery(dir, "0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000"),
                      store::AuthError);
    BOOST_CHECK_THROW(store::Store::open_recovery(dir, "not a key"), store::AuthError);
    BOOST_CHECK(read_file(dir / "keys.json") == keys_before);
    BOOST_CHECK(read_file(dir / store::Store::kDbFile) == db_before);
}

BOOST_FIXTURE_TEST_CASE(the_recovery_key_opens_and_resets_a_password, StoreFixture) {
    s->lock();
    std::string sloppy = recovery;
    for (auto& ch : sloppy) ch = char(std::tolower(static_cast<unsigned char>(ch)));  // case and dashes ignored
    auto r = store::Store::open_recovery(dir, sloppy);
    BOOST_CHECK(r->user().role == core::Role::admin);
    r->set_user("clerk", core::Role::clerk, "a brand new password", fast_kdf());
    r->lock();
    BOOST_CHECK_THROW(store::Store::open(dir, "clerk", kPassword), store::AuthError);
    BOOST_CHECK_NO_THROW(store::Store::open(dir, "clerk", "a brand new password"));
}

BOOST_FIXTURE_TEST_CASE(a_password_change_rewraps_and_never_reencrypts, StoreFixture) {
    s->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    std::string db_before = read_file(dir / store::Store::kDbFile);
    s->change_password("another long password", fast_kdf());
    BOOST_CHECK(read_file(dir / store::Store::kDbFile) == db_before);
    s->lock();
    BOOST_CHECK_THROW(store::Store::open(dir, "clerk", kPassword), store::AuthError);
    auto again = store::Store::open(dir, "clerk", "another long password");
    BOOST_CHECK_EQUAL(again->db().query_int("SELECT count(*) FROM users"), 1);
}

BOOST_FIXTURE_TEST_CASE(users_and_roles, StoreFixture) {
    BOOST_CHECK_THROW(s->set_user("chief-a", core::Role::chief, "chief password", fast_kdf()), core::Error);  // a clerk may not
    s->lock();
    auto admin = store::Store::open_recovery(dir, recovery);
    admin->set_user("chief-a", core::Role::chief, "chief password", fast_kdf());
    admin->lock();
    auto chief = store::Store::open(dir, "chief-a", "chief password");
    BOOST_CHECK(chief->user().role == core::Role::chief);
    chief->lock();
    BOOST_CHECK_NO_THROW(store::Store::open(dir, "clerk", kPassword));
    BOOST_CHECK_THROW(store::KeyFile::load(dir).set_user(store::SecretKey(), "x", core::Role::clerk, "short", fast_kdf()),
                      core::InvalidData);
}

BOOST_FIXTURE_TEST_CASE(an_edited_role_in_the_key_file_does_not_unlock, StoreFixture) {
    s->lock();
    std::string k = read_file(dir / "keys.json");
    auto pos = k.find("\"role\": \"clerk\"");
    BOOST_REQUIRE(pos != std::string::npos);
    k.replace(pos, 15, "\"role\": \"admin\"");
    write_file(dir / "keys.json", k);
    BOOST_CHECK_THROW(store::Store::open(dir, "clerk", kPassword), store::AuthError);
}

BOOST_FIXTURE_TEST_CASE(idle_lock_wipes_the_key, StoreFixture) {
    auto t = store::IdleLock::Clock::now();
    store::IdleLock idle(*s, std::chrono::seconds(300), [&t] { return t; });
    t += std::chrono::seconds(200);
    BOOST_CHECK(!idle.check());
    idle.touch();
    t += std::chrono::seconds(200);
    BOOST_CHECK(!idle.check());
    BOOST_CHECK(!s->locked());
    t += std::chrono::seconds(101);
    BOOST_CHECK(idle.check());
    BOOST_CHECK(s->locked());
    BOOST_CHECK_THROW(s->db(), store::StoreError);
    BOOST_CHECK_THROW(s->key(), store::StoreError);
}

BOOST_AUTO_TEST_CASE(init_refuses_an_existing_store) {
    TempDir t;
    store::Store::init(t.path / "s", "a", core::Role::admin, kPassword, fast_kdf());
    BOOST_CHECK_THROW(store::Store::init(t.path / "s", "a", core::Role::admin, kPassword, fast_kdf()), store::StoreError);
}

BOOST_AUTO_TEST_CASE(not_a_store_truncated_or_damaged_is_a_clear_error) {
    TempDir t;
    BOOST_CHECK_THROW(store::Store::open(t.path, "clerk", kPassword), store::StoreUnavailable);  // empty directory
    write_file(t.path / "keys.json", "{\"format\": \"something else\"}");
    BOOST_CHECK_THROW(store::Store::open(t.path, "clerk", kPassword), store::CorruptStore);
    write_file(t.path / "keys.json", "{ not json");
    BOOST_CHECK_THROW(store::Store::open(t.path, "clerk", kPassword), store::CorruptStore);

    // A real store whose database is replaced by garbage or cut short.
    auto dir = t.path / "real";
    store::Store::init(dir, "clerk", core::Role::clerk, kPassword, fast_kdf());
    {
        auto s = store::Store::open(dir, "clerk", kPassword);
        s->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::string db = read_file(dir / store::Store::kDbFile);
    write_file(dir / store::Store::kDbFile, std::string(db.size(), 'x'));
    try {
        store::Store::open(dir, "clerk", kPassword);
        BOOST_ERROR("garbage opened");
    } catch (const store::CorruptStore& e) {
        BOOST_CHECK(std::string(e.what()).find(store::Store::kDbFile) != std::string::npos);  // names the file
    }
    write_file(dir / store::Store::kDbFile, db.substr(0, 2000));
    BOOST_CHECK_THROW(store::Store::open(dir, "clerk", kPassword), store::CorruptStore);
    write_file(dir / store::Store::kDbFile, db);
    BOOST_CHECK_NO_THROW(store::Store::open(dir, "clerk", kPassword));
}

BOOST_AUTO_TEST_SUITE_END()
