// Missing or invalid data: a clear error naming the field, and no output file.
#include "fixtures.h"

#include "ow/core/json_reader.h"

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace ow::notices;
using namespace ow::notices::test;
namespace fs = std::filesystem;

namespace {

// Renders to a file, expecting a NoticeDataError for `field`; checks nothing was left behind.
void expect_missing(const std::string& kind, const NoticeInput& in, const std::string& field) {
    NoticeRenderer renderer(shipped_templates());
    TempDir dir;
    auto out = dir.path / "out.pdf";
    BOOST_TEST_CONTEXT(kind << " without " << field) {
        try {
            renderer.render_to_file(kind, in, out);
            BOOST_ERROR("no error");
        } catch (const NoticeDataError& e) {
            BOOST_TEST(e.field() == field);
            BOOST_TEST(std::string(e.what()).find(field) != std::string::npos);
        }
        BOOST_TEST(fs::is_empty(dir.path));  // neither the PDF nor a temporary file
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(missing_fields_are_named) {
    {
        auto in = realistic("acceptance_receipt");
        in.case_data.applicant.name.clear();
        expect_missing("acceptance_receipt", in, "/case/applicant/name");
    }
    {
        auto in = realistic("acceptance_receipt");
        in.envelope.progress_url.clear();
        expect_missing("acceptance_receipt", in, "/notice/progress_url");
    }
    {
        auto in = realistic("acceptance_receipt");
        in.case_data.accepted_at.reset();
        expect_missing("acceptance_receipt", in, "/case/accepted_at");
    }
    {
        auto in = realistic("acceptance_receipt");
        in.envelope.pickup.clear();
        in.item.reset();
        expect_missing("acceptance_receipt", in, "/notice/pickup");
    }
    {
        auto in = realistic("refusal_notice");
        in.case_data.refusal_basis.clear();
        expect_missing("refusal_notice", in, "/case/refusal_basis");
    }
    {
        auto in = realistic("one_time_notice");
        for (auto& e : in.case_data.checklist.entries) e.status = ow::core::MaterialStatus::original_received;
        expect_missing("one_time_notice", in, "/case/checklist");
    }
    {
        auto in = realistic("deferred_commitment");
        for (auto& e : in.case_data.checklist.entries)
            if (e.status == ow::core::MaterialStatus::deferred) e.status = ow::core::MaterialStatus::copy_received;
        expect_missing("deferred_commitment", in, "/case/checklist");
    }
    {
        auto in = realistic("notification_commitment");
        in.case_data.commitments.clear();
        expect_missing("notification_commitment", in, "/case/commitments");
    }
    {
        auto in = realistic("approval_decision");
        in.case_data.decision.reset();
        expect_missing("approval_decision", in, "/case/decision");
    }
    {
        auto in = realistic("approval_decision");
        in.case_data.decision->approved = false;
        expect_missing("approval_decision", in, "/case/decision/approved");
    }
    {
        auto in = realistic("pickup_receipt");
        in.case_data.handover->mode = ow::core::ResultHandover::Mode::mail;
        expect_missing("pickup_receipt", in, "/case/handover/mode");
    }
    {
        auto in = realistic("mail_receipt");
        in.case_data.handover->tracking_no.clear();
        expect_missing("mail_receipt", in, "/case/handover/tracking_no");
    }
    {
        auto in = realistic("approval_decision");
        in.envelope.issuing_body.clear();
        expect_missing("approval_decision", in, "/notice/issuing_body");
    }
}

BOOST_AUTO_TEST_CASE(an_existing_file_survives_a_failed_render) {
    NoticeRenderer renderer(shipped_templates());
    TempDir dir;
    auto out = dir.path / "keep.pdf";
    std::ofstream(out) << "old";
    auto in = realistic("acceptance_receipt");
    in.case_data.receipt_no.clear();
    BOOST_CHECK_THROW(renderer.render_to_file("acceptance_receipt", in, out), NoticeDataError);
    std::ifstream f(out);
    std::string s((std::istreambuf_iterator<char>(f)), {});
    BOOST_TEST(s == "old");
}

BOOST_AUTO_TEST_CASE(input_document_errors_name_the_member) {
    using nlohmann::json;
    auto field_of = [](const json& j) -> std::string {
        try {
            notice_input_from_json(j, "t.json");
        } catch (const NoticeDataError& e) {
            return e.field() + " | " + e.what();
        }
        return "no error";
    };
    BOOST_TEST(field_of(json::object()).starts_with("/case |"));
    json base = json::parse(std::ifstream(fs::path(OW_TEST_DATA) / "notices/realistic_case.json"));
    json j = base;
    j.erase("notice");
    BOOST_TEST(field_of(j).starts_with("/notice |"));
    j = base;
    j["case"]["applicant"].erase("name");
    auto r = field_of(j);
    BOOST_TEST(r == "/case/applicant/name | t.json: /case/applicant/name: missing");
    j = base;
    j["notice"]["issued_on"] = "2025-13-40";
    BOOST_TEST(field_of(j).starts_with("/notice/issued_on | t.json: /notice/issued_on: not a date"));
    j = base;
    j["case"]["checklist"][1]["status"] = "lost";
    BOOST_TEST(field_of(j).starts_with("/case/checklist/1/status | t.json: /case/checklist/1/status: unknown code 'lost'"));
    BOOST_TEST(field_of(json::array()).starts_with("/ |"));
}

BOOST_AUTO_TEST_CASE(unknown_kind_and_unwritable_output) {
    NoticeRenderer renderer(shipped_templates());
    BOOST_CHECK_THROW(renderer.render("no_such_kind", realistic("acceptance_receipt")), TemplateError);
    TempDir dir;
    BOOST_CHECK_THROW(renderer.render_to_file("acceptance_receipt", realistic("acceptance_receipt"), dir.path / "no/such/dir/x.pdf"),
                      RenderError);
}

BOOST_AUTO_TEST_SUITE_END()
