// IntakePresenter on real encrypted stores, signed in through DeskServices as the desk does, with
// the real device plugins (idcard-sim; scanner-sane on SANE's test device): checks as typed, a
// returning applicant prefilled, the ID card read into the fields and the form, answers kept as
// typed (even invalid) and committed when valid, materials recorded and scanned, the three
// decisions (the acceptance on the demo desk sealed by the clerk's window seal), and a draft that
// comes back where it was after a crash (a new Store object on the same files).
#include <boost/test/unit_test.hpp>

#include <atomic>
#include "demo_desk_fixture.h"
#include "newborn.h"
#include "common/private_dir.h"
#include "intake/intake_presenter.h"
#include "shell/demo_desk.h"

#include "ow/plugins/host.h"
#include "ow/seal/seal.h"
#include "ow/store/demo.h"
#include "ow/store/drafts.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

using namespace ow;
using namespace ow::test;
using app::IntakePresenter;
using app::IntakeStep;
using app::StepState;

namespace {

const core::Instant kNow = core::parse_instant("2026-11-24T02:40:00Z");  // Tuesday 10:40 in China
const std::string kCardId = "11010519900307291X";                         // idcard-sim's first card: 王小测
const std::string kGtgs = "370102-SC-0001-001";                           // 个体工商户设立登记 (id_card prefill)

/// A clerk's desk over a fresh store; crash() drops everything and opens the same files again.
struct ClerkDesk {
    TempDir tmp;
    std::filesystem::path dir = tmp.path / "store";
    std::unique_ptr<app::DeskServices> services;

    ClerkDesk() {
        store::Store::init(dir, "clerk", core::Role::clerk, kPassword, fast_kdf());
        open();
    }
    /// The desk's e-licence source (the platform's in the desk; none by default here).
    std::function<std::vector<std::string>(core::DocumentType, const std::string&)> e_licences;
    void open() {
        app::DeskConfig config;
        config.e_licence_lookup = e_licences;
        config.store_dir = dir;
        config.start_sync = false;
        config.now = [] { return kNow; };
        services = std::make_unique<app::DeskServices>(config);
        services->sign_in(store::Store::open(dir, "clerk", kPassword));
    }
    /// As after a crash or a power cut: nothing of the old session is kept but the files.
    void crash() {
        services.reset();
        open();
    }
};

const StepState& state_of(const std::vector<StepState>& steps, IntakeStep s) { return steps.at(std::size_t(s)); }

/// Types `text` one keystroke at a time, as the view does.
void type(IntakePresenter& p, app::ApplicantField f, const std::string& text) {
    for (std::size_t i = 1; i <= text.size(); ++i) p.set_field(f, text.substr(0, i));
}

/// Every material that blocks acceptance, received as an original.
void receive_all(IntakePresenter& p) {
    for (const auto& m : p.materials())
        if (m.blocking) {
            auto out = p.record_material({m.code, core::MaterialStatus::original_received, std::nullopt, 0, "", ""});
            BOOST_REQUIRE_MESSAGE(out.ok(), m.code << ": " << out.code << " " << out.message);
        }
}

/// The baby's photo for the social security card (sbk.photo), scanned from SANE's test device:
/// the form's photo field takes the scan.
void scan_photo(IntakePresenter& p, app::DeskServices& services) {
    app::ScanRequest rq;
    rq.device = "test";
    rq.resolution = 50;
    auto scan = IntakePresenter::scan(services.plugins(), rq);
    BOOST_REQUIRE_MESSAGE(scan.outcome.ok(), scan.outcome.code << " " << scan.outcome.message);
    auto out = p.record_scan("sbk.photo", scan);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << " " << out.message);
}

std::string draft_body(app::DeskServices& s, const std::string& case_id) {
    auto d = store::IntakeDrafts(s.store().db()).load(case_id, s.store().user().name);
    return d ? d->body : std::string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_presenter)

// ---- checks as typed ----

BOOST_AUTO_TEST_CASE(a_resident_id_is_checked_keystroke_by_keystroke) {
    const core::Date today = core::china_date(kNow);
    using S = app::IdNumberCheck::State;
    BOOST_CHECK(app::check_id_number("", today).state == S::empty);
    for (std::size_t i = 1; i < 18; ++i)
        BOOST_CHECK_MESSAGE(app::check_id_number(kCardId.substr(0, i), today).state == S::incomplete, "prefix of " << i);
    auto ok = app::check_id_number(kCardId, today);
    BOOST_REQUIRE(ok.state == S::ok);
    BOOST_CHECK(ok.birth == core::parse_date("1990-03-07"));
    BOOST_CHECK(ok.sex == core::Sex::male);
    BOOST_CHECK(app::check_id_number("11010519900307291x", today).state == S::ok);  // lower-case x
    BOOST_CHECK(app::check_id_number("1101 0519 9003 0729 1X", today).state == S::ok);
    auto bad = app::check_id_number("110105199003072910", today);
    BOOST_CHECK(bad.state == S::bad_check_digit);
    BOOST_CHECK_EQUAL(bad.code, "id.check_digit");
    BOOST_CHECK(!bad.reason.empty());
    BOOST_CHECK(app::check_id_number("1101a", today).state == S::invalid);
    BOOST_CHECK(app::check_id_number("11010X", today).state == S::invalid);  // an X only at the end of 18
    BOOST_CHECK(app::check_id_number(kCardId + "1", today).state == S::invalid);
    BOOST_CHECK(app::check_id_number("110105199013072914", today).state == S::invalid);  // month 13
}

BOOST_AUTO_TEST_CASE(uscc_and_phone_are_checked_as_typed) {
    using U = app::UsccTypedCheck::State;
    std::string first17 = "91370102MA3C12345";
    std::string uscc = first17 + core::uscc_check_char(first17);
    BOOST_CHECK(app::check_uscc_typed("").state == U::empty);
    BOOST_CHECK(app::check_uscc_typed(uscc.substr(0, 10)).state == U::incomplete);
    BOOST_CHECK(app::check_uscc_typed(uscc).state == U::ok);
    std::string wrong = first17 + (uscc.back() == '0' ? '1' : '0');
    auto bad = app::check_uscc_typed(wrong);
    BOOST_CHECK(bad.state == U::bad_check_digit);
    BOOST_CHECK_EQUAL(bad.expected_check, uscc.back());
    BOOST_CHECK(app::check_uscc_typed("91I").state == U::invalid);  // I is not a USCC symbol

    using P = app::PhoneState;
    BOOST_CHECK(app::check_phone_typed("") == P::empty);
    BOOST_CHECK(app::check_phone_typed("138") == P::incomplete);
    BOOST_CHECK(app::check_phone_typed("13800138000") == P::ok);
    BOOST_CHECK(app::check_phone_typed("+86 138 0013 8000") == P::ok);
    BOOST_CHECK(app::check_phone_typed("12345678901") == P::invalid);
    BOOST_CHECK(app::check_phone_typed("138001380001") == P::invalid);
    BOOST_CHECK(app::check_phone_typed("0531-86668888") == P::ok);
    BOOST_CHECK(app::check_phone_typed("0531") == P::incomplete);
    BOOST_CHECK(app::check_phone_typed("abc") == P::invalid);
}

// ---- step 1 ----

BOOST_AUTO_TEST_CASE(search_lists_items_and_bundles_and_start_makes_a_draft) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_CHECK(!p.active());
    BOOST_CHECK(state_of(p.steps(), IntakeStep::item).status == StepState::Status::todo);
    for (const char* q : {"新生儿", "xsecs"}) {
        auto hits = p.search(q);
        BOOST_REQUIRE_MESSAGE(!hits.empty(), q);
        BOOST_CHECK(hits[0].is_bundle);
        BOOST_CHECK_EQUAL(hits[0].code, "BUNDLE-XSECS");
    }
    BOOST_CHECK(!p.search("gtgs").empty());
    BOOST_CHECK_EQUAL(p.search("").size(), p.catalog().count({}));

    auto bad = p.start("NO-SUCH-ITEM", false);
    BOOST_CHECK(bad.kind == app::IntakeOutcome::Kind::invalid);
    BOOST_CHECK(!p.active());

    auto out = p.start("BUNDLE-XSECS", true);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.message);
    BOOST_CHECK(p.active());
    BOOST_CHECK(p.case_data().state == core::CaseState::draft);
    BOOST_CHECK(!p.case_data().receipt_no.empty());
    BOOST_CHECK_EQUAL(p.title(), "新生儿出生一件事");
    BOOST_CHECK(p.step() == IntakeStep::applicant);
    BOOST_REQUIRE(p.has_form());
    BOOST_CHECK_EQUAL(p.form().definition().code(), "BUNDLE-XSECS");  // the merged form
    auto steps = p.steps();
    BOOST_CHECK(state_of(steps, IntakeStep::item).status == StepState::Status::done);
    BOOST_CHECK(state_of(steps, IntakeStep::applicant).status == StepState::Status::todo);
    BOOST_CHECK(state_of(steps, IntakeStep::materials).count > 0);  // materials to bring
    // The draft is in the store at once.
    auto rows = p.drafts();
    BOOST_REQUIRE_EQUAL(rows.size(), 1u);
    BOOST_CHECK_EQUAL(rows[0].receipt_no, p.case_data().receipt_no);
    BOOST_CHECK_EQUAL(rows[0].title, "新生儿出生一件事");
    BOOST_CHECK(rows[0].step == IntakeStep::applicant);
}

// ---- step 2 ----

BOOST_AUTO_TEST_CASE(a_returning_applicant_is_recognised_and_prefilled) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start(kGtgs, false).ok());
    type(p, app::ApplicantField::doc_number, kCardId);
    BOOST_CHECK(!p.returning());  // nobody known yet
    p.set_field(app::ApplicantField::name, "王小测");
    p.set_field(app::ApplicantField::phone, "13800138000");
    p.set_field(app::ApplicantField::address, "济南市历下区泉城路1号");
    BOOST_CHECK(p.applicant_checks().complete);
    BOOST_CHECK(state_of(p.steps(), IntakeStep::applicant).status == StepState::Status::done);
    auto left = p.goto_step(IntakeStep::form);  // leaving the step commits the applicant
    BOOST_REQUIRE_MESSAGE(left.ok(), left.message);
    BOOST_CHECK_EQUAL(p.case_data().applicant.name, "王小测");

    // The next intake: typing the number brings the rest.
    BOOST_REQUIRE(p.start(kGtgs, false).ok());
    type(p, app::ApplicantField::doc_number, kCardId.substr(0, 17));
    BOOST_CHECK(!p.returning());
    BOOST_CHECK(p.applicant().name.empty());
    p.set_field(app::ApplicantField::doc_number, kCardId);
    BOOST_CHECK(p.returning());
    BOOST_CHECK_EQUAL(p.prefilled().size(), 3u);  // "已自动填写 3 项"
    BOOST_CHECK_EQUAL(p.applicant().name, "王小测");
    BOOST_CHECK_EQUAL(p.applicant().phone, "13800138000");
    BOOST_CHECK_EQUAL(p.applicant().address, "济南市历下区泉城路1号");
    // Typing over a filled field keeps it, and it no longer counts as filled.
    p.set_field(app::ApplicantField::phone, "13900139000");
    BOOST_CHECK_EQUAL(p.prefilled().size(), 2u);
    // Another number: what belonged to the old one goes.
    p.set_field(app::ApplicantField::doc_number, store::synthetic_resident_id("370102", core::parse_date("1985-03-07"), 7));
    BOOST_CHECK(!p.returning());
    BOOST_CHECK(p.prefilled().empty());
    BOOST_CHECK(p.applicant().name.empty());
    BOOST_CHECK(p.applicant().address.empty());
    BOOST_CHECK_EQUAL(p.applicant().phone, "13900139000");  // typed by the clerk
    // A wrong number is a problem on the side list; the applicant is not committed with it.
    p.set_field(app::ApplicantField::doc_number, "110105199003072910");
    p.set_field(app::ApplicantField::name, "某人");
    BOOST_CHECK(state_of(p.steps(), IntakeStep::applicant).status == StepState::Status::problems);
    BOOST_CHECK(p.applicant_checks().id.state == app::IdNumberCheck::State::bad_check_digit);
    auto refused = p.commit_applicant();
    BOOST_CHECK(refused.kind == app::IntakeOutcome::Kind::invalid);
    BOOST_CHECK_EQUAL(refused.code, "intake.applicant_incomplete");
    BOOST_CHECK(p.case_data().applicant.name.empty());
}

// 免证办: when a typed number becomes valid the desk asks for the applicant's e-licences in the
// background; committing the applicant marks the materials the government holds as 电子证照 — from
// the answer already there, never waiting for it. A failed look-up is asked again later.
BOOST_AUTO_TEST_CASE(e_licences_are_looked_up_in_the_background) {
    ClerkDesk d;
    std::atomic<int> asked{0};
    std::atomic<bool> fail{true};
    d.e_licences = [&](core::DocumentType type, const std::string& number) {
        ++asked;
        if (fail) throw std::runtime_error("offline");
        BOOST_CHECK(type == core::DocumentType::resident_id);
        BOOST_CHECK_EQUAL(number, kCardId);
        return std::vector<std::string>{"居民身份证", "结婚证"};
    };
    d.crash();  // opened again with the lookup
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start("BUNDLE-XSECS", true).ok());
    type(p, app::ApplicantField::doc_number, kCardId);
    d.services->wait_e_licences();
    BOOST_CHECK_EQUAL(asked.load(), 1);  // once, when the 18th character made it valid
    BOOST_CHECK(!d.services->e_licences(core::DocumentType::resident_id, kCardId));  // failed: none known
    fail = false;
    p.set_field(app::ApplicantField::doc_number, kCardId.substr(0, 17));
    p.set_field(app::ApplicantField::doc_number, kCardId);  // valid again: asked again after the failure
    d.services->wait_e_licences();
    BOOST_CHECK_EQUAL(asked.load(), 2);
    BOOST_REQUIRE(d.services->e_licences(core::DocumentType::resident_id, kCardId));
    p.set_field(app::ApplicantField::name, "王小测");
    BOOST_REQUIRE(p.commit_applicant().ok());
    std::map<std::string, core::MaterialStatus> status;
    for (const auto& m : p.materials()) status[m.code] = m.status;
    BOOST_CHECK(status.at("parent_ids") == core::MaterialStatus::e_licence);  // 居民身份证
    BOOST_CHECK(status.at("marriage") == core::MaterialStatus::e_licence);    // 结婚证
    BOOST_CHECK(status.at("hk.household_book") == core::MaterialStatus::pending);  // the applicant's own
    // Locking forgets whose licences they were.
    d.services->lock();
    BOOST_CHECK(!d.services->e_licences(core::DocumentType::resident_id, kCardId));
}

BOOST_AUTO_TEST_CASE(organisations_are_identified_by_uscc) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start(kGtgs, false).ok());
    p.set_applicant_kind(core::ApplicantKind::organisation);
    std::string first17 = "91370102MA3C12345";
    type(p, app::ApplicantField::doc_number, first17);
    BOOST_CHECK(p.applicant_checks().uscc.state == app::UsccTypedCheck::State::incomplete);
    p.set_field(app::ApplicantField::doc_number, first17 + core::uscc_check_char(first17));
    p.set_field(app::ApplicantField::name, "济南示例商贸有限公司");
    p.set_field(app::ApplicantField::legal_representative, "赵某");
    BOOST_REQUIRE(p.applicant_checks().complete);
    auto out = p.commit_applicant();
    BOOST_REQUIRE_MESSAGE(out.ok(), out.message);
    BOOST_CHECK(p.case_data().applicant.kind == core::ApplicantKind::organisation);
    BOOST_CHECK_EQUAL(p.case_data().applicant.legal_representative, "赵某");
}

BOOST_AUTO_TEST_CASE(the_id_card_fills_the_applicant_and_the_form) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start(kGtgs, false).ok());
    p.set_field(app::ApplicantField::name, "typed before the card");
    auto read = p.read_id_card();
    BOOST_REQUIRE_MESSAGE(read.ok(), read.code << " " << read.message);
    BOOST_CHECK_EQUAL(p.applicant().doc_number, kCardId);
    BOOST_CHECK_EQUAL(p.applicant().name, "王小测");  // the card's value replaces the typed one
    BOOST_CHECK_EQUAL(p.applicant().address, "北京市朝阳区培训路1号测试小区2号楼301室");
    BOOST_CHECK_EQUAL(p.prefilled().size(), 3u);  // number, name, address
    BOOST_CHECK(p.applicant_checks().id.state == app::IdNumberCheck::State::ok);
    // The form's id_card fields are filled from the card at once.
    BOOST_CHECK_EQUAL(p.form().raw_answers().value("operator_name", ""), "王小测");
    BOOST_CHECK_EQUAL(p.form().raw_answers().value("operator_id", ""), kCardId);
    BOOST_CHECK((p.form_prefilled() == std::vector<std::string>{"/operator_name", "/operator_id"}));
    // The applicant's phone reaches the form once the applicant is committed.
    p.set_field(app::ApplicantField::phone, "13800138000");
    BOOST_REQUIRE(p.commit_applicant().ok());
    BOOST_CHECK_EQUAL(p.form().raw_answers().value("operator_phone", ""), "13800138000");
    BOOST_CHECK_EQUAL(p.form_prefilled().size(), 3u);  // with the 3 fields above: "已自动填写 6 项"

    // No card, no reader: a clear outcome, nothing changes.
    auto none = p.read_id_card({{"simulate", "no_card"}});
    BOOST_CHECK(none.kind == app::IntakeOutcome::Kind::device);
    BOOST_CHECK_EQUAL(none.code, "device.no_card");
    auto gone = p.read_id_card({{"simulate", "unavailable"}});
    BOOST_CHECK_EQUAL(gone.code, "device.unavailable");
    BOOST_CHECK_EQUAL(p.applicant().name, "王小测");
    // Static, on its own (a worker thread's call): the plugin that answered is named.
    auto direct = IntakePresenter::read_id_card(d.services->plugins(), {{"index", 1}});
    BOOST_REQUIRE(direct.outcome.ok());
    BOOST_CHECK_EQUAL(direct.plugin, "idcard-sim");
    BOOST_CHECK(direct.card["id_number"].is_string());
    auto missing = IntakePresenter::read_id_card(d.services->plugins(), {}, "no-such-reader");
    BOOST_CHECK_EQUAL(missing.outcome.code, "device.none");
}

// ---- step 3 ----

BOOST_AUTO_TEST_CASE(invalid_answers_stay_in_the_draft_and_valid_ones_are_committed) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start("BUNDLE-XSECS", true).ok());
    p.goto_step(IntakeStep::form);
    BOOST_CHECK(state_of(p.steps(), IntakeStep::form).status == StepState::Status::todo);
    BOOST_CHECK_GT(state_of(p.steps(), IntakeStep::form).count, 0);  // required fields to fill
    p.form().set_answer("/baby_name", 5);  // wrong type
    p.form_edited();
    BOOST_CHECK(state_of(p.steps(), IntakeStep::form).status == StepState::Status::problems);
    auto left = p.goto_step(IntakeStep::materials);
    BOOST_CHECK(left.ok());  // not an error for a draft
    BOOST_CHECK(p.case_data().answers.empty());  // nothing committed
    BOOST_CHECK_NE(draft_body(*d.services, p.case_id()).find("\"baby_name\":5"), std::string::npos);

    p.form().set_answers(newborn_answers());
    p.form_edited();
    BOOST_CHECK(!p.form().validate().valid);  // the photo is missing
    scan_photo(p, *d.services);               // scanned on the materials step: the form has it
    p.goto_step(IntakeStep::form);
    BOOST_REQUIRE_MESSAGE(p.form().validate().valid, nlohmann::json(forms::to_json(p.form().validate())).dump());
    BOOST_CHECK(state_of(p.steps(), IntakeStep::form).status == StepState::Status::done);
    BOOST_REQUIRE(p.goto_step(IntakeStep::materials).ok());
    BOOST_CHECK_EQUAL(p.case_data().answers.value("baby_name", ""), "王小宝");
    // The checklist follows the answers: the materials the form calls for now.
    std::vector<std::string> want, have;
    for (const auto& e : p.form().checklist().entries) want.push_back(e.material_code);
    for (const auto& e : p.case_data().checklist.entries) have.push_back(e.material_code);
    BOOST_CHECK(want == have);
}

// ---- step 4 ----

BOOST_AUTO_TEST_CASE(materials_are_recorded_deferred_committed_and_scanned) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start("BUNDLE-XSECS", true).ok());
    auto rows = p.materials();
    BOOST_REQUIRE(!rows.empty());
    bool served = false;
    for (const auto& m : rows) served = served || (!m.serves_items.empty() && m.serves_names.size() == m.serves_items.size());
    BOOST_CHECK(served);  // a bundle says which items a material serves

    const auto& first = rows.front();
    auto out = p.record_material({first.code, core::MaterialStatus::copy_received, std::nullopt, 0, "", ""});
    BOOST_REQUIRE_MESSAGE(out.ok(), out.message);
    BOOST_CHECK(p.materials().front().status == core::MaterialStatus::copy_received);

    // 容缺: the date in working days from the calendar.
    const app::MaterialLine* deferrable = nullptr;
    for (const auto& m : rows)
        if (m.necessity == core::Necessity::deferrable) deferrable = &m;
    if (deferrable) {
        auto bad = p.record_material({deferrable->code, core::MaterialStatus::deferred, std::nullopt, 0, "", ""});
        BOOST_CHECK_EQUAL(bad.code, "intake.deferred_days");
        BOOST_REQUIRE(p.record_material({deferrable->code, core::MaterialStatus::deferred, std::nullopt, 5, "", ""}).ok());
        for (const auto& m : p.materials())
            if (m.code == deferrable->code) {
                BOOST_CHECK(m.status == core::MaterialStatus::deferred);
                BOOST_CHECK(m.promised_by == d.services->calendar().add_working_days(core::china_date(kNow), 5));
            }
    }
    // 告知承诺 needs its text.
    for (const auto& m : rows)
        if (m.commitment_allowed) {
            BOOST_CHECK_EQUAL(p.record_material({m.code, core::MaterialStatus::commitment, std::nullopt, 0, "", " "}).code,
                              "intake.commitment_text_missing");
            break;
        }
    // An unknown material is the workflow's bad input, never a crash.
    auto unknown = p.record_material({"no-such-material", core::MaterialStatus::original_received, std::nullopt, 0, "", ""});
    BOOST_CHECK(unknown.kind == app::IntakeOutcome::Kind::invalid);

    // F5: a page from SANE's test device into a row; the scan's folder goes once it is stored.
    app::ScanRequest rq;
    rq.device = "test";
    rq.resolution = 50;
    auto scan = IntakePresenter::scan(d.services->plugins(), rq);
    BOOST_REQUIRE_MESSAGE(scan.outcome.ok(), scan.outcome.code << " " << scan.outcome.message);
    BOOST_CHECK(std::filesystem::is_regular_file(scan.file));
    BOOST_CHECK_EQUAL(scan.pages.size(), 1u);
    const std::string code = rows.back().code;
    auto recorded = p.record_scan(code, scan);
    BOOST_REQUIRE_MESSAGE(recorded.ok(), recorded.message);
    BOOST_CHECK(!std::filesystem::exists(scan.output_dir));
    for (const auto& m : p.materials())
        if (m.code == code) {
            BOOST_CHECK(m.status == core::MaterialStatus::scanned);
            BOOST_CHECK(m.has_scan);
        }
    // A scanner that is not there: a clear outcome.
    rq.device = "no-such-scanner:0";
    auto none = IntakePresenter::scan(d.services->plugins(), rq);
    BOOST_CHECK_EQUAL(none.outcome.code, "device.unavailable");
    BOOST_CHECK(p.record_scan(code, none).kind == app::IntakeOutcome::Kind::device);
}

// A commitment (告知承诺) recorded once the applicant is known makes its letter, which the
// document step lists (and prints) before the decision's notice.
BOOST_AUTO_TEST_CASE(a_commitment_letter_is_among_the_documents) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start(kGtgs, false).ok());
    BOOST_CHECK(p.documents().empty());
    type(p, app::ApplicantField::doc_number, kCardId);
    p.set_field(app::ApplicantField::name, "王小测");
    p.set_field(app::ApplicantField::phone, "13800138000");
    BOOST_REQUIRE(p.commit_applicant().ok());
    const app::MaterialLine* line = nullptr;
    const auto rows = p.materials();
    for (const auto& m : rows)
        if (m.commitment_allowed) line = &m;
    BOOST_REQUIRE_MESSAGE(line, "个体工商户设立登记 has no material that a commitment may replace");
    auto out = p.record_material({line->code, core::MaterialStatus::commitment, std::nullopt, 0, "", "经营场所合法、真实，承诺属实"});
    BOOST_REQUIRE_MESSAGE(out.ok(), out.code << " " << out.message);
    const auto docs = p.documents();
    BOOST_REQUIRE_EQUAL(docs.size(), 1u);
    BOOST_CHECK_EQUAL(docs[0].kind, "notification_commitment");
    BOOST_CHECK(docs[0].pdf.rfind("%PDF", 0) == 0);
    BOOST_CHECK(!p.document());  // not the decision's notice
}

// A scan folder left by a desk killed between scanning and recording goes when the next intake
// screen is made (an hour old); one of a scan running now stays.
BOOST_AUTO_TEST_CASE(stale_scan_folders_are_swept) {
    const auto base = app::private_dir();
    const auto stale = base / "scan-stale-test-sweep";
    const auto fresh = base / "scan-fresh-test-sweep";
    std::filesystem::create_directories(stale);
    std::filesystem::create_directories(fresh);
    std::ofstream(stale / "page1.png") << "left behind";
    std::filesystem::last_write_time(stale, std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_CHECK(!std::filesystem::exists(stale));
    BOOST_CHECK(std::filesystem::exists(fresh));
    std::filesystem::remove_all(fresh);
}

// ---- step 5 ----

BOOST_AUTO_TEST_CASE(a_correction_lists_what_blocks_acceptance) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start("BUNDLE-XSECS", true).ok());
    type(p, app::ApplicantField::doc_number, "11010519491231002X");
    p.set_field(app::ApplicantField::name, "李红");
    p.set_field(app::ApplicantField::phone, "13800138000");
    p.form().set_answers(newborn_answers());
    p.form_edited();
    scan_photo(p, *d.services);
    auto preview = p.decision_preview();
    BOOST_CHECK(!preview.can_accept);
    BOOST_REQUIRE(!preview.missing.empty());
    const auto promised = d.services->calendar().add_working_days(core::china_date(kNow), p.case_data().promised_limit_days);
    BOOST_CHECK(preview.promised == promised);

    // Accepting now is refused by the workflow, with its code kept for the view.
    auto refused = p.decide({app::IntakeDecision::accept, "", "", 5});
    BOOST_CHECK(refused.outcome.kind == app::IntakeOutcome::Kind::refused);
    BOOST_CHECK_EQUAL(refused.outcome.code, "workflow.materials_missing");
    BOOST_CHECK(!p.is_decided());
    // prepare_decision committed what was ready: the applicant and the answers.
    BOOST_CHECK_EQUAL(p.case_data().applicant.name, "李红");
    BOOST_CHECK(p.decision_preview().applicant_complete);

    auto out = p.decide({app::IntakeDecision::correction, "材料不全", "", 5});
    BOOST_REQUIRE_MESSAGE(out.outcome.ok(), out.outcome.code << " " << out.outcome.message);
    BOOST_CHECK(out.state == core::CaseState::correction_requested);
    BOOST_REQUIRE(p.document());
    BOOST_CHECK(!p.document()->pdf.empty());
    BOOST_CHECK(p.step() == IntakeStep::document);
    BOOST_CHECK(p.is_decided());
    BOOST_CHECK(state_of(p.steps(), IntakeStep::document).status == StepState::Status::done);
    // The notice names exactly what blocked acceptance.
    for (const auto& m : preview.missing) {
        const auto* e = p.case_data().checklist.find(m.code);
        BOOST_REQUIRE(e);
        BOOST_CHECK_MESSAGE(e->status == core::MaterialStatus::missing, m.code);
    }
    BOOST_CHECK(p.drafts().empty());  // decided: the draft row is gone
}

BOOST_AUTO_TEST_CASE(a_refusal_needs_reason_and_legal_basis) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start(kGtgs, false).ok());
    type(p, app::ApplicantField::doc_number, kCardId);
    p.set_field(app::ApplicantField::name, "王小测");
    auto no_reason = p.decide({app::IntakeDecision::refuse, "", "《中华人民共和国行政许可法》第三十二条", 5});
    BOOST_CHECK_EQUAL(no_reason.outcome.code, "intake.refusal_reason_missing");
    auto no_basis = p.decide({app::IntakeDecision::refuse, "不属于本机关职权范围", " ", 5});
    BOOST_CHECK_EQUAL(no_basis.outcome.code, "intake.legal_basis_missing");
    BOOST_CHECK(p.case_data().state == core::CaseState::draft);
    auto out = p.decide({app::IntakeDecision::refuse, "不属于本机关职权范围", "《中华人民共和国行政许可法》第三十二条", 5});
    BOOST_REQUIRE_MESSAGE(out.outcome.ok(), out.outcome.code << " " << out.outcome.message);
    BOOST_CHECK(p.case_data().state == core::CaseState::refused);
    BOOST_CHECK_EQUAL(p.case_data().refusal_reason, "不属于本机关职权范围");
    BOOST_REQUIRE(p.document());
}

// 不得两头受理: the applicant's other open case of the item is named before the decision, and an
// acceptance is stopped once so the clerk looks; a resumed draft finds it again.
BOOST_AUTO_TEST_CASE(another_open_case_of_the_applicant_and_item_is_named_and_stops_acceptance_once) {
    ClerkDesk d;
    std::string first_receipt, second_id;
    {
        IntakePresenter p(*d.services);
        BOOST_REQUIRE(p.start(kGtgs, false).ok());
        type(p, app::ApplicantField::doc_number, kCardId);
        p.set_field(app::ApplicantField::name, "王小测");
        p.set_field(app::ApplicantField::phone, "13800138000");
        BOOST_REQUIRE(p.goto_step(IntakeStep::form).ok());  // leaving the step commits the applicant
        BOOST_CHECK(p.decision_preview().duplicates.empty());
        first_receipt = p.case_data().receipt_no;

        // The same person for the same item again: the draft above is an open case of theirs.
        BOOST_REQUIRE(p.start(kGtgs, false).ok());
        type(p, app::ApplicantField::doc_number, kCardId);
        p.set_field(app::ApplicantField::name, "王小测");
        p.set_field(app::ApplicantField::phone, "13800138000");
        BOOST_REQUIRE(p.goto_step(IntakeStep::form).ok());
        second_id = p.case_id();
        auto preview = p.decision_preview();
        BOOST_REQUIRE_EQUAL(preview.duplicates.size(), 1u);
        BOOST_CHECK_EQUAL(preview.duplicates[0].receipt_no, first_receipt);
        BOOST_CHECK_EQUAL(preview.duplicates[0].state, "draft");

        // Accepting is stopped once; deciding again goes on to the workflow (which wants the form).
        auto once = p.decide({app::IntakeDecision::accept, "", "", 5});
        BOOST_CHECK_EQUAL(once.outcome.code, "intake.duplicate_unconfirmed");
        BOOST_CHECK(p.case_data().state == core::CaseState::draft);
        auto again = p.decide({app::IntakeDecision::accept, "", "", 5});
        BOOST_CHECK_EQUAL(again.outcome.code, "workflow.form_missing");
    }
    // After a crash the resumed draft names the other case again, and asks once again.
    d.crash();
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.resume(second_id).ok());
    BOOST_REQUIRE_EQUAL(p.decision_preview().duplicates.size(), 1u);
    BOOST_CHECK_EQUAL(p.decide({app::IntakeDecision::accept, "", "", 5}).outcome.code, "intake.duplicate_unconfirmed");
    // Another applicant: nothing to warn about.
    BOOST_REQUIRE(p.start(kGtgs, false).ok());
    type(p, app::ApplicantField::doc_number, "11010519491231002X");
    p.set_field(app::ApplicantField::name, "李红");
    p.set_field(app::ApplicantField::phone, "13800138000");
    BOOST_REQUIRE(p.goto_step(IntakeStep::form).ok());
    BOOST_CHECK(p.decision_preview().duplicates.empty());
    BOOST_CHECK_EQUAL(p.decide({app::IntakeDecision::accept, "", "", 5}).outcome.code, "workflow.form_missing");
}

// The clerk went on to the next applicant while the act ran: the outcome leaves the open intake
// alone, and the decided intake's draft is gone all the same.
BOOST_AUTO_TEST_CASE(an_outcome_for_an_intake_no_longer_open) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start(kGtgs, false).ok());
    type(p, app::ApplicantField::doc_number, kCardId);
    p.set_field(app::ApplicantField::name, "王小测");
    const app::DecisionRequest refuse{app::IntakeDecision::refuse, "不属于本机关职权范围", "《中华人民共和国行政许可法》第三十二条", 5};
    BOOST_REQUIRE(p.prepare_decision(refuse).ok());
    const std::string first = p.case_id();
    auto session = d.services->worker_session();
    auto out = IntakePresenter::run_decision(*session->workflow, first, refuse);
    session.reset();
    BOOST_REQUIRE(p.start("BUNDLE-XSECS", true).ok());
    p.decided(out);
    BOOST_REQUIRE(out.outcome.ok());
    BOOST_CHECK_NE(p.case_id(), first);
    BOOST_CHECK(!p.is_decided());
    BOOST_CHECK(p.step() == IntakeStep::applicant);
    auto rows = p.drafts();
    BOOST_REQUIRE_EQUAL(rows.size(), 1u);
    BOOST_CHECK_EQUAL(rows[0].case_id, p.case_id());
    BOOST_CHECK(!store::IntakeDrafts(d.services->store().db()).load(first, "clerk"));
}

// The demo desk's clerk holds a window seal: the bundle accepted on a worker session gives a
// sealed acceptance notice that verifies (ow_seal and Poppler's pdfsig).
BOOST_AUTO_TEST_CASE(an_intake_accepted_on_the_demo_desk_is_sealed) {
    TempDir tmp;
    auto demo = test::demo_desk_copy(tmp.path / "store", 12);
    app::DeskConfig config;
    config.store_dir = demo.dir;
    config.start_sync = false;
    config.now = [&] { return demo.now; };
    app::DeskServices services(config);
    services.sign_in(store::Store::open(demo.dir, demo.user, demo.password));
    BOOST_CHECK(services.who().role == core::Role::clerk);
    IntakePresenter p(services);
    BOOST_REQUIRE(p.start(p.search("xsecs").at(0).code, true).ok());
    type(p, app::ApplicantField::doc_number, "11010519491231002X");
    p.set_field(app::ApplicantField::name, "李红");
    p.set_field(app::ApplicantField::phone, "13800138000");
    BOOST_REQUIRE(p.goto_step(IntakeStep::form).ok());
    p.form().set_answers(newborn_answers());
    p.form_edited();
    scan_photo(p, services);
    auto committed = p.goto_step(IntakeStep::materials);
    BOOST_REQUIRE_MESSAGE(committed.ok(), committed.code << " " << committed.message);
    receive_all(p);
    auto preview = p.decision_preview();
    BOOST_CHECK(preview.can_accept);
    BOOST_REQUIRE(preview.promised);
    BOOST_CHECK(*preview.promised > core::china_date(demo.now));

    // The confirmation screen's lines.
    auto lines = p.summary();
    auto has = [&](const std::string& kind, const std::string& value) {
        for (const auto& l : lines)
            if (l.kind == kind && (value.empty() || l.value == value)) return true;
        return false;
    };
    BOOST_CHECK(has("item", "新生儿出生一件事"));
    BOOST_CHECK(has("applicant", "李红"));
    BOOST_CHECK(has("doc_number", "1101**********002X"));
    BOOST_CHECK(has("answer", "王小宝"));
    // numbers in the answers are masked as the applicant's own (the hall sees that screen)
    for (const auto& l : lines) BOOST_CHECK_MESSAGE(l.value.find("13800138000") == std::string::npos, l.kind << " " << l.label << " shows the phone");
    BOOST_CHECK(has("material", ""));
    BOOST_CHECK(has("promised", core::format_date(*preview.promised)));

    // As the view does: prepare on the desk's thread, the act on a worker session, back.
    const app::DecisionRequest accept{app::IntakeDecision::accept, "", "", 5};
    BOOST_REQUIRE(p.prepare_decision(accept).ok());
    app::DecisionOutcome out;
    std::thread worker([&, id = p.case_id()] {
        auto session = services.worker_session();
        out = IntakePresenter::run_decision(*session->workflow, id, accept);
    });
    worker.join();
    p.decided(out);
    BOOST_REQUIRE_MESSAGE(out.outcome.ok(), out.outcome.code << " " << out.outcome.message);
    BOOST_CHECK(p.case_data().state == core::CaseState::accepted);
    BOOST_REQUIRE(p.document());
    const auto& doc = *p.document();
    BOOST_CHECK_EQUAL(doc.kind, "acceptance_notice");
    BOOST_CHECK(doc.sealed);
    BOOST_CHECK_EQUAL(doc.seal_name, "窗口受理专用章");
    BOOST_CHECK(p.case_data().due_date == preview.promised);
    auto pdf = tmp.path / "receipt.pdf";
    std::ofstream(pdf, std::ios::binary) << doc.pdf;
    BOOST_CHECK(seal::verify(pdf).ok());
    const std::string cmd = "pdfsig '" + pdf.string() + "' 2>&1";
    std::string said;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, f)) said += buf;
        ::pclose(f);
    }
    BOOST_CHECK_MESSAGE(said.find("Signature is Valid") != std::string::npos, "pdfsig says: " << said);
    BOOST_CHECK(p.drafts().empty());
}

// ---- drafts ----

BOOST_AUTO_TEST_CASE(a_draft_comes_back_where_it_was_after_a_crash) {
    ClerkDesk d;
    std::string case_id, receipt;
    {
        IntakePresenter p(*d.services);
        BOOST_REQUIRE(p.start(kGtgs, false).ok());
        case_id = p.case_id();
        receipt = p.case_data().receipt_no;
        BOOST_REQUIRE(p.read_id_card().ok());
        p.set_field(app::ApplicantField::phone, "1380013");  // half typed
        p.goto_step(IntakeStep::form);
        p.form().set_answer("/operator_name", 12345);  // invalid, kept as typed
        p.form_edited();
        p.goto_step(IntakeStep::materials);
    }
    d.crash();  // a new Store object on the same files
    IntakePresenter p(*d.services);
    BOOST_CHECK(!p.active());
    auto rows = p.drafts();
    BOOST_REQUIRE_EQUAL(rows.size(), 1u);
    BOOST_CHECK_EQUAL(rows[0].case_id, case_id);
    BOOST_CHECK_EQUAL(rows[0].receipt_no, receipt);
    BOOST_CHECK_EQUAL(rows[0].title, "个体工商户设立登记");
    BOOST_CHECK_EQUAL(rows[0].applicant_name, "王小测");
    BOOST_CHECK(rows[0].step == IntakeStep::materials);
    auto out = p.resume(case_id);
    BOOST_REQUIRE_MESSAGE(out.ok(), out.message);
    BOOST_CHECK(p.step() == IntakeStep::materials);
    BOOST_CHECK_EQUAL(p.case_data().receipt_no, receipt);
    BOOST_CHECK_EQUAL(p.applicant().doc_number, kCardId);
    BOOST_CHECK_EQUAL(p.applicant().name, "王小测");
    BOOST_CHECK_EQUAL(p.applicant().phone, "1380013");
    BOOST_CHECK(p.applicant_checks().phone == app::PhoneState::incomplete);
    BOOST_CHECK_EQUAL(p.prefilled().size(), 3u);
    BOOST_CHECK_EQUAL(p.form_prefilled().size(), 2u);
    BOOST_CHECK_EQUAL(p.form().raw_answers().value("operator_name", nlohmann::json()), 12345);
    BOOST_CHECK_EQUAL(p.form().raw_answers().value("operator_id", ""), kCardId);
    // Going on from there: the phone completed, the applicant committed.
    p.set_field(app::ApplicantField::phone, "13800138000");
    BOOST_REQUIRE(p.commit_applicant().ok());

    // A resume of a case without a draft is a clear no.
    BOOST_CHECK_EQUAL(p.resume("00000000-0000-7000-8000-000000000000").code, "intake.no_draft");

    // Discard: the draft row goes; the workflow cannot withdraw a case, so the case stays a draft.
    BOOST_REQUIRE(p.resume(case_id).ok());
    p.discard();
    BOOST_CHECK(!p.active());
    BOOST_CHECK(p.drafts().empty());
    store::CaseStore cases(d.services->store().db(), d.services->calendar());
    auto c = cases.load(*core::Uuid::parse(case_id));
    BOOST_REQUIRE(c);
    BOOST_CHECK(c->state == core::CaseState::draft);
}

BOOST_AUTO_TEST_CASE(a_draft_survives_the_idle_lock) {
    ClerkDesk d;
    IntakePresenter p(*d.services);
    BOOST_REQUIRE(p.start(kGtgs, false).ok());
    type(p, app::ApplicantField::doc_number, "1101051990");
    const std::string id = p.case_id();
    d.services->lock();  // the idle lock: the session and the key go
    d.services->sign_in(store::Store::open(d.dir, "clerk", kPassword));
    IntakePresenter again(*d.services);
    BOOST_REQUIRE(again.resume(id).ok());
    BOOST_CHECK_EQUAL(again.applicant().doc_number, "1101051990");
    BOOST_CHECK(again.step() == IntakeStep::applicant);
}

BOOST_AUTO_TEST_SUITE_END()
