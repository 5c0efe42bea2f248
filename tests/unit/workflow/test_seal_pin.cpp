// The decision seal on a PKCS#11 token (a real SoftHSM2 token, through libp11) and the PIN typed
// by its holder: approved with the PIN → the decision sealed by the token's key and verified by
// ow_seal and Poppler's pdfsig; a wrong PIN refused with nothing written (history, outbox, audit,
// documents, blob rows and blob files as before); no PIN → refused; B acting for an absent A with
// B's PIN, recorded; a return's correction notice sealed with the PIN too; a PKCS#12 seal opened with the PIN typed instead of the stored one; what
// decision_seal() tells the desk before it asks.
#include <boost/test/unit_test.hpp>

#include "fixture.h"
#include "softhsm_token.h"

#include "ow/forms/definition.h"
#include "ow/notices/renderer.h"
#include "ow/seal/seal.h"
#include "ow/store/documents.h"
#include "ow/store/repositories.h"
#include "ow/workflow/workflow.h"

#include <cstdio>
#include <fstream>

using namespace ow;
using namespace ow::test;
using nlohmann::json;

namespace {

const std::string kItem = "370102-SC-0001-001";  // 个体工商户设立登记: immediate, licensing
const std::string kId = "11010519491231002X";

struct TokenCentre {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    core::Catalogue cat = catalogue();
    forms::FormCatalogue forms = forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    notices::NoticeRenderer renderer{notices::TemplateSet::load_directory(std::string(OW_SOURCE_DIR) + "/assets/notices")};
    const SoftHsmToken& token = SoftHsmToken::process_token();
    const seal::DemoSeal& demo = token.demo;

    TokenCentre() {
        store::Store::init(dir, "admin", core::Role::admin, kPassword, fast_kdf());
        auto a = open("admin");
        a->set_user("clerk", core::Role::clerk, kPassword, fast_kdf());
        a->set_user("chief_a", core::Role::chief, kPassword, fast_kdf());
        a->set_user("chief_b", core::Role::chief, kPassword, fast_kdf());
        a->set_user_profile("chief_a", core::Post::A, "张首席");
        a->set_user_profile("chief_b", core::Post::B, "李首席");
    }
    std::unique_ptr<store::Store> open(const std::string& user) { return store::Store::open(dir, user, kPassword); }
    workflow::Workflow wf(store::Store& s) {
        workflow::Environment env;
        env.catalogue = &cat;
        env.forms = &forms;
        env.renderer = &renderer;
        env.envelope.window = "综合受理窗口";
        env.envelope.progress_url = "https://example.gov.cn/p?no={receipt_no}";
        return workflow::Workflow(s, calendar(), std::move(env));
    }
    store::SealAssignment token_seal(const std::string& post) {
        store::SealAssignment s;
        s.holder_kind = store::SealAssignment::HolderKind::post;
        s.holder = post;
        s.name = "行政审批专用章";
        s.signer = seal::SigningKey::from_pkcs11_pin(token.uri, token.pin, token.module).signer_name();
        s.pkcs11_uri = token.uri;
        s.pkcs11_module = token.module.string();
        s.image = read_file(demo.png);
        return s;
    }
    void assign(const store::SealAssignment& s) {
        auto a = open("admin");
        store::SealAssignments(a->db()).assign(s, a->actor(), core::now());
    }
    /// A case of kItem ready to be decided (accepted), by the clerk.
    core::Uuid accepted_case() {
        auto s = open("clerk");
        auto w = wf(*s);
        auto id = w.start_intake({kItem, ""}).case_data.id;
        w.set_applicant(id, {core::ApplicantKind::person, core::DocumentType::resident_id, kId, "李红", "13800138000", "", ""});
        w.answer(id, json{{"operator_name", "李红"}, {"operator_id", kId}, {"operator_phone", "13800138000"}, {"organisation", "individual"},
                          {"business_name", "李红小吃店"}, {"business_scope", "小吃服务"},
                          {"premises", {{"region", "370102"}, {"detail", "经十路2号"}}}, {"capital_fen", 5000000},
                          {"employees", 2}, {"agent_present", false}});
        for (const char* m : {"application", "operator_id", "premises"})
            w.record_material(id, {m, core::MaterialStatus::original_received, std::nullopt, std::nullopt, "", ""});
        BOOST_REQUIRE(w.accept(id).case_data.state == core::CaseState::accepted);
        return id;
    }
    /// Everything an act could have written, for the case and the store.
    struct Written {
        std::int64_t history, outbox, audit, documents, blob_rows, case_blobs, blob_files, version;
        std::string state;
        bool operator==(const Written&) const = default;
    };
    Written written(store::Db& db, const core::Uuid& id) {
        auto n = [&](const std::string& sql) {
            store::Stmt q(db, sql);
            if (sql.find('?') != std::string::npos) q.bind(1, id.to_string());
            q.step();
            return q.int64(0);
        };
        std::int64_t files = 0;
        if (std::filesystem::exists(dir / "blobs"))
            for (const auto& f : std::filesystem::recursive_directory_iterator(dir / "blobs"))
                if (f.is_regular_file()) ++files;
        return {n("SELECT count(*) FROM case_history WHERE case_id = ?"), n("SELECT count(*) FROM outbox WHERE case_id = ?"),
                n("SELECT count(*) FROM audit"), n("SELECT count(*) FROM case_documents WHERE case_id = ?"),
                n("SELECT count(*) FROM blobs"), n("SELECT count(*) FROM case_blobs WHERE case_id = ?"), files,
                n("SELECT version FROM cases WHERE id = ?"),
                db.query_text("SELECT state FROM cases WHERE id = '" + id.to_string() + "'").value_or("")};
    }
};

template <class F>
std::string refused_code(F&& f) {
    try {
        f();
    } catch (const workflow::Refused& e) {
        return e.code();
    }
    return "<not refused>";
}

workflow::Decide approve(std::string pin, std::string acting_for = {}) {
    workflow::Decide d;
    d.verdict = workflow::Verdict::approve;
    d.opinion = "符合条件，准予登记";
    d.acting_for = std::move(acting_for);
    d.seal_pin = std::move(pin);
    return d;
}

std::string pdfsig(const std::filesystem::path& pdf) {
    const std::string cmd = "pdfsig '" + pdf.string() + "' 2>&1";
    std::string said;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, f)) said += buf;
        ::pclose(f);
    }
    return said;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(seal_pin)

BOOST_FIXTURE_TEST_CASE(a_token_seal_is_applied_with_its_holders_pin_and_a_wrong_pin_writes_nothing, TokenCentre) {
    auto id = accepted_case();
    assign(token_seal("A"));
    auto a = open("chief_a");
    auto w = wf(*a);
    // What the desk learns before it asks.
    auto info = w.decision_seal();
    BOOST_REQUIRE(info);
    BOOST_CHECK(info->kind == workflow::SealInfo::Kind::pkcs11);
    BOOST_CHECK(info->pin_required);
    BOOST_CHECK_EQUAL(info->name, "行政审批专用章");
    BOOST_CHECK(!info->signer.empty());
    BOOST_CHECK(info->for_post);
    BOOST_CHECK_EQUAL(info->holder, "A");

    const auto before = written(a->db(), id);
    BOOST_CHECK_EQUAL(refused_code([&] { w.decide(id, approve("")); }), "workflow.seal_pin_needed");
    BOOST_CHECK(written(a->db(), id) == before);
    BOOST_CHECK_EQUAL(refused_code([&] { w.decide(id, approve(token.wrong_pin)); }), "workflow.seal_pin_wrong");
    BOOST_CHECK(written(a->db(), id) == before);  // no history entry, document, blob row or file; still accepted
    BOOST_CHECK_EQUAL(before.state, "accepted");
    // The PIN is never stored: no column, no audit entry holds it.
    BOOST_CHECK_EQUAL(a->db().query_int("SELECT count(*) FROM seals WHERE pin <> '' OR length(p12) > 0"), 0);
    BOOST_CHECK_EQUAL(a->db().query_int("SELECT count(*) FROM audit WHERE detail LIKE '%" + token.pin + "%'"), 0);

    auto r = w.decide(id, approve(token.pin));
    BOOST_CHECK(r.case_data.state == core::CaseState::approved);
    BOOST_REQUIRE(r.document);
    BOOST_CHECK_EQUAL(r.document->kind, "approval_decision");
    BOOST_CHECK(r.document->sealed);
    auto docs = w.documents(id, true);
    BOOST_REQUIRE(!docs.empty());
    auto pdf = tmp.path / "decision.pdf";
    std::ofstream(pdf, std::ios::binary) << docs.back().pdf;
    auto report = seal::verify(pdf, {demo.ca_pem});
    BOOST_CHECK(report.ok());  // trusted: the token's key is the demo CA's seal key
    BOOST_REQUIRE_EQUAL(report.signatures.size(), 1u);
    BOOST_CHECK_EQUAL(report.signatures[0].signer, info->signer);
    const std::string said = pdfsig(pdf);
    BOOST_CHECK_MESSAGE(said.find("Signature is Valid") != std::string::npos, "pdfsig says: " << said);
}

BOOST_FIXTURE_TEST_CASE(b_acting_for_an_absent_a_seals_with_bs_token_and_pin, TokenCentre) {
    auto id = accepted_case();
    assign(token_seal("B"));
    auto admin = open("admin");
    admin->set_absent("chief_a", true);
    auto b = open("chief_b");
    auto w = wf(*b);
    auto info = w.decision_seal("chief_a");
    BOOST_REQUIRE(info);
    BOOST_CHECK(info->pin_required);
    BOOST_CHECK_EQUAL(info->holder, "B");
    const auto before = written(b->db(), id);
    BOOST_CHECK_EQUAL(refused_code([&] { w.decide(id, approve(token.wrong_pin, "chief_a")); }), "workflow.seal_pin_wrong");
    BOOST_CHECK(written(b->db(), id) == before);
    auto r = w.decide(id, approve(token.pin, "chief_a"));
    BOOST_CHECK(r.case_data.state == core::CaseState::approved);
    BOOST_CHECK_EQUAL(r.case_data.history.back().actor.user_id, "chief_b");
    BOOST_CHECK_EQUAL(r.case_data.history.back().actor.acting_for, "chief_a");
    BOOST_REQUIRE(r.document && r.document->sealed);
    auto pdf = tmp.path / "decision-b.pdf";
    std::ofstream(pdf, std::ios::binary) << w.documents(id, true).back().pdf;
    BOOST_CHECK(seal::verify(pdf).ok());
}

BOOST_FIXTURE_TEST_CASE(a_return_for_correction_seals_its_notice_with_the_token_too, TokenCentre) {
    auto id = accepted_case();
    assign(token_seal("A"));
    auto a = open("chief_a");
    auto w = wf(*a);
    workflow::Decide d;
    d.verdict = workflow::Verdict::return_for_correction;
    d.opinion = "须补充经营场所证明";
    d.correct = {{"premises", true, "产权证明已过期"}};
    const auto before = written(a->db(), id);
    BOOST_CHECK_EQUAL(refused_code([&] { w.decide(id, d); }), "workflow.seal_pin_needed");
    BOOST_CHECK(written(a->db(), id) == before);
    d.seal_pin = token.pin;
    auto r = w.decide(id, d);
    BOOST_CHECK(r.case_data.state == core::CaseState::correction_requested);
    BOOST_REQUIRE(r.document);
    BOOST_CHECK(r.document->sealed);
}

BOOST_FIXTURE_TEST_CASE(a_pkcs12_seal_opens_with_the_pin_typed_or_else_the_stored_one, TokenCentre) {
    // The stored PKCS#12 seal as before; a PIN typed by the holder is used instead of the stored one.
    store::SealAssignment s;
    s.holder_kind = store::SealAssignment::HolderKind::post;
    s.holder = "A";
    s.name = "行政审批专用章";
    s.signer = "demo";
    s.p12 = read_file(demo.p12);
    s.pin = read_file(demo.pin_file);
    while (!s.pin.empty() && (s.pin.back() == '\n' || s.pin.back() == '\r')) s.pin.pop_back();
    const std::string right = s.pin;
    assign(s);
    auto a = open("chief_a");
    auto w = wf(*a);
    auto info = w.decision_seal();
    BOOST_REQUIRE(info);
    BOOST_CHECK(info->kind == workflow::SealInfo::Kind::pkcs12);
    BOOST_CHECK(!info->pin_required);
    BOOST_CHECK(!wf(*open("chief_b")).decision_seal());  // nothing for post B: decide() would say no_seal

    auto id = accepted_case();
    const auto before = written(a->db(), id);
    BOOST_CHECK_EQUAL(refused_code([&] { w.decide(id, approve("not-the-pin")); }), "workflow.seal_pin_wrong");
    BOOST_CHECK(written(a->db(), id) == before);
    BOOST_CHECK(w.decide(id, approve(right)).document->sealed);
    auto id2 = accepted_case();
    BOOST_CHECK(w.decide(id2, approve("")).document->sealed);  // the stored PIN (the CLI without --pin-file)
}

BOOST_FIXTURE_TEST_CASE(a_token_assignment_keeps_no_pin_and_says_its_kind_in_the_audit, TokenCentre) {
    auto s = token_seal("A");
    s.pin = token.pin;
    BOOST_CHECK_THROW(assign(s), core::InvalidData);  // a token's PIN is not stored
    s.pin.clear();
    s.p12 = "x";
    BOOST_CHECK_THROW(assign(s), core::InvalidData);  // one key only
    s.p12.clear();
    assign(s);
    auto a = open("admin");
    auto list = store::SealAssignments(a->db()).list();
    BOOST_REQUIRE_EQUAL(list.size(), 1u);
    BOOST_CHECK(list[0].on_token());
    BOOST_CHECK_EQUAL(list[0].pkcs11_uri, token.uri);
    BOOST_CHECK_EQUAL(list[0].pkcs11_module, token.module.string());
    auto detail = json::parse(a->db().query_text("SELECT detail FROM audit WHERE action = 'seal.assigned'").value_or("{}"));
    BOOST_CHECK_EQUAL(detail.value("key", ""), "pkcs11");
    BOOST_CHECK_EQUAL(detail.value("pkcs11_uri", ""), token.uri);
}

BOOST_FIXTURE_TEST_CASE(the_seal_library_tells_a_wrong_pin_from_a_missing_key, TokenCentre) {
    auto code = [&](const std::string& uri, const std::string& pin) {
        try {
            seal::SigningKey::from_pkcs11_pin(uri, pin, token.module);
        } catch (const seal::SealInputError& e) {
            return e.code();
        }
        return std::string("<opened>");
    };
    BOOST_CHECK_EQUAL(code(token.uri, token.wrong_pin), "seal.wrong_pin");
    BOOST_CHECK_EQUAL(code(token.uri, token.pin), "<opened>");
    // Opened once, the token is not left logged in for the rest of the process (the desk's).
    BOOST_CHECK_EQUAL(code(token.uri, token.wrong_pin), "seal.wrong_pin");
    BOOST_CHECK_EQUAL(code(token.uri, ""), "seal.wrong_pin");
    BOOST_CHECK_EQUAL(code("pkcs11:token=" + token.label + ";object=no-such-key;type=private", token.pin), "seal.pkcs11");
    BOOST_CHECK_EQUAL(code(token.uri + "?pin-value=" + token.pin, token.pin), "seal.pkcs11_pin_in_uri");
}

BOOST_AUTO_TEST_SUITE_END()
