// Seal administration (ow/workflow/seal_admin.h): assigning a PKCS#12 seal and a SoftHSM2 token's
// key after the PIN opened it, and the test signature — a one-page PDF signed with the assigned
// key, verified by ow_seal and by Poppler's pdfsig, audited "seal.tested". A wrong PIN, a clerk,
// an unknown holder and a holder without a seal are refused with nothing written.
#include <boost/test/unit_test.hpp>

#include "fixture.h"
#include "softhsm_token.h"

#include "ow/core/error.h"
#include "ow/seal/seal.h"
#include "ow/store/audit.h"
#include "ow/workflow/seal_admin.h"

#include <cstdio>

using namespace ow;
using namespace ow::test;
using HolderKind = store::SealAssignment::HolderKind;

namespace {

struct Admin {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    const SoftHsmToken& token = SoftHsmToken::process_token();
    std::unique_ptr<store::Store> admin;
    Admin() {
        store::Store::init(dir, "admin", core::Role::admin, kPassword, fast_kdf());
        admin = store::Store::open(dir, "admin", kPassword);
        admin->set_user("clerk", core::Role::clerk, kPassword, fast_kdf());
        admin->set_user("chief_a", core::Role::chief, kPassword, fast_kdf());
        admin->set_user_profile("chief_a", core::Post::A, "张首席");
    }
    workflow::SealAssignRequest p12_request(HolderKind kind, const std::string& holder) {
        workflow::SealAssignRequest r;
        r.holder_kind = kind;
        r.holder = holder;
        r.p12 = read_file(token.demo.p12);
        r.image = read_file(token.demo.png);
        return r;
    }
    std::string p12_pin() {
        auto pin = read_file(token.demo.pin_file);
        while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r')) pin.pop_back();
        return pin;
    }
    std::int64_t audited(const std::string& action) {
        return admin->db().query_int("SELECT count(*) FROM audit WHERE action = '" + action + "'");
    }
    std::size_t assignments() { return store::SealAssignments(admin->db()).list().size(); }
};

/// pdfsig's verdict on a file (it exits 0 even on a digest mismatch: its output is read).
std::string pdfsig(const std::filesystem::path& pdf) {
    std::string out;
    if (FILE* p = ::popen(("pdfsig '" + pdf.string() + "' 2>&1").c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p)) out += buf;
        ::pclose(p);
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(seal_admin)

BOOST_AUTO_TEST_CASE(the_test_pdf_is_a_readable_pdf) {
    TempDir tmp;
    write_file(tmp.path / "t.pdf", workflow::seal_test_pdf("Hello (world)"));
    BOOST_CHECK_EQUAL(seal::verify(tmp.path / "t.pdf").signatures.size(), 0u);  // parsed by qpdf, no signature
}

BOOST_FIXTURE_TEST_CASE(a_pkcs12_seal_assigned_and_tested, Admin) {
    auto a = workflow::assign_seal(*admin, p12_request(HolderKind::post, "A"), p12_pin(), core::now());
    BOOST_CHECK_EQUAL(a.holder, "A");
    BOOST_CHECK(!a.signer.empty());
    BOOST_CHECK(a.p12.empty() && a.pin.empty());  // returned without its secrets
    BOOST_CHECK_EQUAL(audited("seal.assigned"), 1);

    auto t = workflow::test_seal(*admin, HolderKind::post, "A", "", core::now());  // the stored PIN
    BOOST_CHECK_MESSAGE(t.valid, "problems: " << (t.problems.empty() ? "" : t.problems.front()));
    BOOST_CHECK_EQUAL(t.signer, a.signer);
    BOOST_CHECK_EQUAL(t.seal_name, "行政审批专用章");
    BOOST_CHECK(!t.on_token);
    BOOST_CHECK_EQUAL(audited("seal.tested"), 1);
    write_file(tmp.path / "test.pdf", t.pdf);
    const auto sig = pdfsig(tmp.path / "test.pdf");
    BOOST_CHECK_MESSAGE(sig.find("Signature is Valid") != std::string::npos, sig);
    BOOST_CHECK(store::AuditLog(admin->db()).verify().intact);
    // The test's audit entry names the holder and says it verified.
    auto detail = nlohmann::json::parse(*admin->db().query_text("SELECT detail FROM audit WHERE action = 'seal.tested'"));
    BOOST_CHECK_EQUAL(detail["holder"], "A");
    BOOST_CHECK_EQUAL(detail["valid"], true);
}

BOOST_FIXTURE_TEST_CASE(a_token_seal_assigned_and_tested_with_its_pin, Admin) {
    workflow::SealAssignRequest r;
    r.holder_kind = HolderKind::user;
    r.holder = "chief_a";
    r.pkcs11_uri = token.uri;
    r.pkcs11_module = token.module.string();
    // A wrong PIN: refused before anything is stored.
    BOOST_CHECK_THROW(workflow::assign_seal(*admin, r, token.wrong_pin, core::now()), seal::SealInputError);
    BOOST_CHECK_EQUAL(assignments(), 0u);
    BOOST_CHECK_EQUAL(audited("seal.assigned"), 0);
    auto a = workflow::assign_seal(*admin, r, token.pin, core::now());
    BOOST_CHECK(a.on_token());
    // The token's PIN is typed for the test; without it the test is refused, with a wrong one too.
    BOOST_CHECK_THROW(workflow::test_seal(*admin, HolderKind::user, "chief_a", "", core::now()), core::InvalidData);
    BOOST_CHECK_THROW(workflow::test_seal(*admin, HolderKind::user, "chief_a", token.wrong_pin, core::now()), seal::SealInputError);
    BOOST_CHECK_EQUAL(audited("seal.tested"), 0);
    auto t = workflow::test_seal(*admin, HolderKind::user, "chief_a", token.pin, core::now());
    BOOST_CHECK(t.valid);
    BOOST_CHECK(t.on_token);
    BOOST_CHECK_EQUAL(t.signer, a.signer);
    BOOST_CHECK_EQUAL(audited("seal.tested"), 1);
    // The PIN is nowhere in the trail.
    BOOST_CHECK_EQUAL(admin->db().query_int("SELECT count(*) FROM audit WHERE detail LIKE '%" + token.pin + "%'"), 0);
}

BOOST_FIXTURE_TEST_CASE(refusals_write_nothing, Admin) {
    // A clerk may not assign or test.
    auto clerk = store::Store::open(dir, "clerk", kPassword);
    BOOST_CHECK_THROW(workflow::assign_seal(*clerk, p12_request(HolderKind::post, "A"), p12_pin(), core::now()), store::NotAuthorised);
    // Unknown holders, a bad post, no key or two keys, artwork that is not a PNG, a wrong PIN.
    BOOST_CHECK_THROW(workflow::assign_seal(*admin, p12_request(HolderKind::user, "nobody"), p12_pin(), core::now()), core::InvalidData);
    BOOST_CHECK_THROW(workflow::assign_seal(*admin, p12_request(HolderKind::post, "C"), p12_pin(), core::now()), core::InvalidData);
    auto none = p12_request(HolderKind::post, "A");
    none.p12.clear();
    BOOST_CHECK_THROW(workflow::assign_seal(*admin, none, p12_pin(), core::now()), core::InvalidData);
    auto both = p12_request(HolderKind::post, "A");
    both.pkcs11_uri = token.uri;
    BOOST_CHECK_THROW(workflow::assign_seal(*admin, both, p12_pin(), core::now()), core::InvalidData);
    auto jpeg = p12_request(HolderKind::post, "A");
    jpeg.image = "\xff\xd8\xff\xe0 not a png";
    BOOST_CHECK_THROW(workflow::assign_seal(*admin, jpeg, p12_pin(), core::now()), core::InvalidData);
    BOOST_CHECK_THROW(workflow::assign_seal(*admin, p12_request(HolderKind::post, "A"), "not the pin", core::now()), seal::SealInputError);
    BOOST_CHECK_EQUAL(assignments(), 0u);
    BOOST_CHECK_EQUAL(audited("seal.assigned"), 0);
    // Nothing to test: no seal on post B; a clerk may not test one.
    BOOST_CHECK_THROW(workflow::test_seal(*admin, HolderKind::post, "B", "", core::now()), core::InvalidData);
    workflow::assign_seal(*admin, p12_request(HolderKind::post, "A"), p12_pin(), core::now());
    BOOST_CHECK_THROW(workflow::test_seal(*clerk, HolderKind::post, "A", "", core::now()), store::NotAuthorised);
    // A user's test finds only their own seal, not their post's.
    BOOST_CHECK_THROW(workflow::test_seal(*admin, HolderKind::user, "chief_a", "", core::now()), core::InvalidData);
    BOOST_CHECK_EQUAL(audited("seal.tested"), 0);
}

BOOST_AUTO_TEST_SUITE_END()
