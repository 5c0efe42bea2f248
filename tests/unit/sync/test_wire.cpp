// The wire codec: outbox entries (core JSON) become the platform's records with the code tables
// of each interface; answers are read strictly (a malformed page is refused whole, an unknown
// change type becomes a problem record).
#include <boost/test/unit_test.hpp>

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/sync/wire.h"

using namespace ow;
using namespace ow::sync;
using nlohmann::json;

namespace {

const core::Catalogue& catalogue() {
    static core::Catalogue c = core::Catalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return c;
}

core::Case sample_case() {
    core::Applicant a;
    a.name = "𠮷野";
    a.doc_number = "110105194912310029";
    a.phone = "13800000000";
    return core::Case::create(catalogue().items().front(), a);
}

store::OutboxEntry entry(const std::string& kind, const json& payload) {
    return {1, "0190c6f2-0000-7000-8000-000000000001", "0190c6f2-0000-7000-8000-0000000000aa", kind, payload.dump(),
            "2025-10-09T00:30:00.000Z", 0};
}

json rate_payload(int level, const std::string& channel) {
    return {{"case_id", "0190c6f2-0000-7000-8000-0000000000aa"},
            {"event",
             {{"seq", 12}, {"action", "rate"}, {"from", "result_issued"}, {"to", "rated"},
              {"actor", {{"user_id", "clerk"}, {"role", "clerk"}, {"post", "none"}}},
              {"at", "2025-10-09T00:30:00.000Z"}, {"reason", level >= 4 ? "等候时间过长" : ""},
              {"data", {{"level", level}, {"channel", channel}, {"comment", "好"}}}}},
            {"state", "rated"}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wire)

BOOST_AUTO_TEST_CASE(a_create_becomes_a_case_record_with_national_codes) {
    auto c = sample_case();
    WireCodec codec;
    json rec = codec.push_record(entry("create", {{"case", core::to_json(c)}}));
    BOOST_CHECK_EQUAL(rec["kind"], "create");
    const json& w = rec["case"];
    BOOST_CHECK_EQUAL(w["case_id"], c.id.to_string());
    BOOST_CHECK_EQUAL(w["applicant"]["doc_type"], "111");
    BOOST_CHECK_EQUAL(w["applicant"]["subject_type"], "1");
    BOOST_CHECK_EQUAL(w["applicant"]["name"], "𠮷野");
    BOOST_CHECK_EQUAL(w["channel"], "1");
    std::string kind = w["item"]["case_kind"];
    BOOST_CHECK(kind == (c.kind == core::ItemKind::immediate ? "1" : c.kind == core::ItemKind::promised ? "2" : "9"));
    BOOST_REQUIRE_EQUAL(w["materials"].size(), c.checklist.entries.size());
    for (std::size_t i = 0; i < c.checklist.entries.size(); ++i) {
        std::string nec = w["materials"][i]["necessity"];
        auto n = c.checklist.entries[i].necessity;
        BOOST_CHECK_EQUAL(nec, n == core::Necessity::required ? "1" : n == core::Necessity::optional ? "2" : "3");
    }
    BOOST_CHECK(!w.contains("history"));
}

BOOST_AUTO_TEST_CASE(a_snapshot_carries_the_history) {
    auto c = sample_case();
    auto cal = core::WorkCalendar::load_directory(std::string(OW_SOURCE_DIR) + "/assets/calendar");
    core::CaseMachine::apply(c, {core::CaseAction::receive, {"clerk", core::Role::clerk, core::Post::none, ""},
                                 core::parse_instant("2025-10-09T00:30:00Z"), "", json::object()},
                             cal);
    json rec = WireCodec().push_record(entry("snapshot", {{"case", core::to_json(c)}}));
    BOOST_CHECK_EQUAL(rec["kind"], "snapshot");
    BOOST_REQUIRE_EQUAL(rec["case"]["history"].size(), 1u);
    BOOST_CHECK_EQUAL(rec["case"]["history"][0]["action"], "receive");
    BOOST_CHECK_EQUAL(rec["case"]["history"][0]["seq"], 1);
}

BOOST_AUTO_TEST_CASE(satisfaction_codes_differ_per_interface) {
    WireCodec codec;
    for (int level = 1; level <= 5; ++level) {
        json push = codec.push_record(entry("rate", rate_payload(level, "window_device")));
        BOOST_CHECK_EQUAL(push["kind"], "event");
        BOOST_CHECK_EQUAL(push["event"]["data"]["satisfaction"], std::to_string(level));  // GB/T 39046: 1 非常满意
        BOOST_CHECK(!push["event"]["data"].contains("level"));
        json rating = codec.rating_record(entry("rate", rate_payload(level, "window_device")), "370102-1");
        BOOST_CHECK_EQUAL(rating["satisfaction"], std::to_string(6 - level));  // 好差评: 5 非常满意
        BOOST_CHECK_EQUAL(rating["channel"], "4");
        BOOST_CHECK_EQUAL(rating["case_no"], "370102-1");
    }
    BOOST_CHECK_THROW(codec.rating_record(entry("rate", rate_payload(2, "carrier-pigeon")), ""), UnmappableRecord);
}

BOOST_AUTO_TEST_CASE(text_records_equal_the_tree_records) {
    WireCodec codec;
    auto c = sample_case();
    auto cal = core::WorkCalendar::load_directory(std::string(OW_SOURCE_DIR) + "/assets/calendar");
    const auto& h = core::CaseMachine::apply(c, {core::CaseAction::receive, {"clerk", core::Role::clerk, core::Post::none, ""},
                                                 core::parse_instant("2025-10-09T00:30:00Z"), "窗口 \"收件\"", {{"note", "a\\b"}}},
                                             cal);
    json payload = {{"case_id", c.id.to_string()}, {"event", core::to_json(h)}, {"state", "received"}};
    for (const auto& e : {entry("receive", payload), entry("create", {{"case", core::to_json(c)}}), entry("rate", rate_payload(4, "pc"))}) {
        std::string text;
        codec.append_push_record(text, e);
        BOOST_CHECK_EQUAL(json::parse(text), codec.push_record(e));
    }
    // The scanner finds top-level members only, and refuses broken text.
    BOOST_CHECK_EQUAL(*json_member_span(R"({"a":{"event":1},"event" : {"x":"}"} })", "event"), R"({"x":"}"})");
    BOOST_CHECK(!json_member_span(R"({"a":1})", "event"));
    BOOST_CHECK(!json_member_span(R"({"event":{"x":1})", "event"));
    BOOST_CHECK(!json_member_span("not json", "event"));
    // A payload without an event falls back to the checked path, which refuses it.
    std::string text;
    BOOST_CHECK_THROW(codec.append_push_record(text, entry("receive", {{"case_id", "x"}})), core::Error);
}

BOOST_AUTO_TEST_CASE(a_damaged_outbox_payload_is_refused_locally) {
    WireCodec codec;
    BOOST_CHECK_THROW(codec.push_record(entry("create", {{"case", {{"id", "not-a-uuid"}}}})), core::Error);
    auto bad = entry("accept", json::object());
    bad.payload = "{not json";
    BOOST_CHECK_THROW(codec.push_record(bad), core::Error);
}

BOOST_AUTO_TEST_CASE(results_must_answer_every_sent_mutation_once) {
    WireCodec codec;
    std::vector<std::string> ids{"m1", "m2", "m3"};
    auto r = codec.parse_results(R"({"results":[{"mutation_id":"m1","status":"accepted","case_no":"C-1"},
        {"mutation_id":"m2","status":"duplicate"},
        {"mutation_id":"m3","status":"rejected","reason":{"code":"conflict.state","message":"decided","platform_state":"approved"}}]})",
                                 ids);
    BOOST_REQUIRE_EQUAL(r.size(), 3u);
    BOOST_CHECK(r[0].status == RecordResult::Status::accepted);
    BOOST_CHECK_EQUAL(r[0].case_no, "C-1");
    BOOST_CHECK(r[1].status == RecordResult::Status::duplicate);
    BOOST_CHECK_EQUAL(r[2].reason_code, "conflict.state");
    BOOST_CHECK_EQUAL(r[2].platform_state, "approved");
    auto bad = [&](const char* body) {
        try {
            codec.parse_results(body, ids);
        } catch (const SyncError& e) {
            return e.retryable() && e.code() == "platform.malformed";
        }
        return false;
    };
    BOOST_CHECK(bad(R"({"results":[{"mutation_id":"m1","status":"accepted"}]})"));                // missing results
    BOOST_CHECK(bad(R"({"results":[{"mutation_id":"m1","status":"accepted"},{"mutation_id":"m1","status":"accepted"},
                                    {"mutation_id":"m2","status":"accepted"}]})"));                 // doubled
    BOOST_CHECK(bad(R"({"results":[{"mutation_id":"mX","status":"accepted"},{"mutation_id":"m2","status":"accepted"},
                                    {"mutation_id":"m3","status":"accepted"}]})"));                 // not sent
    BOOST_CHECK(bad(R"({"results":[{"mutation_id":"m1","status":"maybe"},{"mutation_id":"m2","status":"accepted"},
                                    {"mutation_id":"m3","status":"accepted"}]})"));                 // unknown status
    BOOST_CHECK(bad(R"({"results":[{"mutation_id":"m1","status":"rejected"},{"mutation_id":"m2","status":"accepted"},
                                    {"mutation_id":"m3","status":"accepted"}]})"));                 // rejected without reason
    BOOST_CHECK(bad(R"({"results":"all good"})"));
    BOOST_CHECK(bad(R"({"results":[)"));
    BOOST_CHECK(bad(""));
}

BOOST_AUTO_TEST_CASE(the_minimal_answer_names_only_what_was_not_accepted_and_the_new_case_numbers) {
    WireCodec codec;
    // m1 and m2 create cases A and B, m3 is an event of A, m4 an event of C (held back).
    std::vector<std::string> ids{"m1", "m2", "m3", "m4"}, cases{"A", "B", "A", "C"};
    auto r = codec.parse_results(R"({"results":[{"mutation_id":"m4","status":"rejected","reason":{"code":"unknown_case","message":"no"}}],
        "accepted":3,"case_nos":{"A":"N-A","B":"N-B"}})",
                                 ids, cases);
    BOOST_REQUIRE_EQUAL(r.size(), 4u);
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_CHECK_EQUAL(r[i].mutation_id, ids[i]);  // in the order sent
        BOOST_CHECK(r[i].status == RecordResult::Status::accepted);
    }
    BOOST_CHECK_EQUAL(r[0].case_no, "N-A");
    BOOST_CHECK_EQUAL(r[1].case_no, "N-B");
    BOOST_CHECK_EQUAL(r[2].case_no, "N-A");
    BOOST_CHECK_EQUAL(r[3].mutation_id, "m4");
    BOOST_CHECK(r[3].status == RecordResult::Status::rejected);
    BOOST_CHECK_EQUAL(r[3].reason_code, "unknown_case");
    // A duplicate is listed with its case number, like in the full form.
    auto d = codec.parse_results(R"({"results":[{"mutation_id":"m2","status":"duplicate","case_no":"N-B"}],"accepted":3,"case_nos":{}})", ids, cases);
    BOOST_CHECK(d[1].status == RecordResult::Status::duplicate);
    BOOST_CHECK_EQUAL(d[1].case_no, "N-B");
    BOOST_CHECK_EQUAL(d[0].case_no, "");  // no number named for A
    auto bad = [&](const char* body) {
        try {
            codec.parse_results(body, ids, cases);
        } catch (const SyncError& e) {
            return e.retryable() && e.code() == "platform.malformed";
        }
        return false;
    };
    BOOST_CHECK(bad(R"({"results":[],"accepted":3,"case_nos":{}})"));                          // one mutation unanswered
    BOOST_CHECK(bad(R"({"results":[],"accepted":5,"case_nos":{}})"));                          // more than were sent
    BOOST_CHECK(bad(R"({"results":[],"accepted":-4,"case_nos":{}})"));
    BOOST_CHECK(bad(R"({"results":[],"accepted":"4","case_nos":{}})"));
    BOOST_CHECK(bad(R"({"results":[],"accepted":4})"));                                        // no case numbers
    BOOST_CHECK(bad(R"({"results":[],"accepted":4,"case_nos":{"A":7}})"));
    BOOST_CHECK(bad(R"({"results":[{"mutation_id":"mX","status":"duplicate"}],"accepted":3,"case_nos":{}})"));  // not sent
}

BOOST_AUTO_TEST_CASE(change_pages_are_strict_but_unknown_types_become_problems) {
    WireCodec codec;
    const char* good = R"({"changes":[
        {"change_id":"c1","case_id":"0190c6f2-0000-7000-8000-0000000000aa","case_no":"N1","type":"approved",
         "at":"2025-10-10T02:00:00.000Z","officer":"bo-1","opinion":"同意","legal_basis":"第三十八条"},
        {"change_id":"c2","case_id":"0190c6f2-0000-7000-8000-0000000000aa","type":"teleported","at":"2025-10-10T02:00:00Z"},
        {"change_id":"c3","case_id":"0190c6f2-0000-7000-8000-0000000000aa","type":"correction_requested","at":"2025-10-10T02:00:00Z",
         "materials":[{"material_code":"M1","status":"lost","note":""}]},
        {"change_id":"c4","case_id":"0190c6f2-0000-7000-8000-0000000000aa","type":"result_ready","at":"2025-10-10T02:00:00Z",
         "result":{"name":"营业执照","number":"9137","ready_at":"2025-10-10T03:00:00Z"}},
        {"change_id":"c5","case_id":"0190c6f2-0000-7000-8000-0000000000aa","type":"commitment_checked","at":"2025-10-10T02:00:00Z",
         "department":"历下区市场监督管理局","check":{"commitment":2,"result":"breached","outcome":"referred","finding":"未履行"}},
        {"change_id":"c6","case_id":"0190c6f2-0000-7000-8000-0000000000aa","type":"commitment_checked","at":"2025-10-10T02:00:00Z",
         "check":{"commitment":1,"result":"breached","outcome":"fined","finding":"x"}}],
        "next_cursor":"v1.4","has_more":false})";
    auto page = codec.parse_changes(good, false);
    BOOST_REQUIRE_EQUAL(page.changes.size(), 6u);
    // 审管联动 (issue 21): the regulator's finding; an unknown outcome is a problem record.
    BOOST_CHECK(page.changes[4].known_type && page.changes[4].problem.empty());
    BOOST_CHECK_EQUAL(page.changes[4].check.value("commitment", 0), 2);
    BOOST_CHECK_EQUAL(page.changes[4].check.value("outcome", ""), "referred");
    BOOST_CHECK_EQUAL(page.changes[4].department, "历下区市场监督管理局");
    BOOST_CHECK(page.changes[5].problem.find("fined") != std::string::npos);
    BOOST_CHECK_THROW(codec.parse_changes(R"({"changes":[{"change_id":"c7","case_id":"0190c6f2-0000-7000-8000-0000000000aa",
        "type":"commitment_checked","at":"2025-10-10T02:00:00Z","check":{"commitment":0,"result":"fulfilled","finding":"x"}}],
        "next_cursor":"v","has_more":false})", false), SyncError);  // no commitment 0
    BOOST_CHECK_EQUAL(page.next_cursor, "v1.4");
    BOOST_CHECK(page.changes[0].known_type && page.changes[0].problem.empty());
    BOOST_CHECK_EQUAL(page.changes[0].opinion, "同意");
    BOOST_CHECK(!page.changes[1].known_type);
    BOOST_CHECK(page.changes[1].problem.find("teleported") != std::string::npos);
    BOOST_CHECK(page.changes[2].problem.find("lost") != std::string::npos);  // unknown enum code
    BOOST_CHECK_EQUAL(page.changes[3].result_number, "9137");

    const char* wrong_type = R"({"changes":[{"change_id":7,"case_id":"0190c6f2-0000-7000-8000-0000000000aa","type":"approved",
        "at":"2025-10-10T02:00:00Z"}],"next_cursor":"v1.1","has_more":false})";
    BOOST_CHECK_THROW(codec.parse_changes(wrong_type, false), SyncError);
    auto lenient = codec.parse_changes(wrong_type, true);
    BOOST_REQUIRE_EQUAL(lenient.changes.size(), 1u);
    BOOST_CHECK(!lenient.changes[0].problem.empty());
    BOOST_CHECK_THROW(codec.parse_changes(R"({"changes":[],"next_cursor":"x","has_more":"no"})", true), SyncError);
    BOOST_CHECK_THROW(codec.parse_changes(R"({"changes":[],"has_more":false})", true), SyncError);
    BOOST_CHECK_THROW(codec.parse_changes(R"({"changes":[{"chan)", true), SyncError);
}

BOOST_AUTO_TEST_CASE(appointments_and_decision_documents_are_read_strictly) {
    // Issue 19: an unreadable appointment is named and skipped; the page around it must be sound.
    WireCodec codec;
    const char* page_text = R"({"appointments":[
        {"appointment_id":"apt-1","centre":"370102A","applicant":{"name":"王芳","doc_type":"111","doc_number":"3701**********0015",
         "doc_number_masked":true,"phone":"138"},"item":{"code":"370102-RS-0211-001","name":"社会保障卡申领"},
         "date":"2026-12-06","slot":{"start":"09:00","end":"09:30"},"channel":"3","status":"booked"},
        {"appointment_id":"apt-2","applicant":{"name":"李强","doc_type":"112","doc_number":"x"},"item":{"code":"C"},
         "date":"2026-12-06","slot":{"start":"10:00","end":"10:30"},"status":"booked"},
        {"appointment_id":"apt-3","applicant":"nobody"}],
        "next_cursor":"a1","has_more":false})";
    auto page = codec.parse_appointments(page_text);
    BOOST_REQUIRE_EQUAL(page.appointments.size(), 1u);
    BOOST_CHECK_EQUAL(page.problems.size(), 2u);  // an unknown doc_type code, an applicant that is no object
    const auto& a = page.appointments[0];
    BOOST_CHECK_EQUAL(a.id, "apt-1");
    BOOST_CHECK(a.doc_masked);
    BOOST_CHECK_EQUAL(a.doc_type, 111);
    BOOST_CHECK_EQUAL(a.slot_end, "09:30");
    BOOST_CHECK_EQUAL(page.next_cursor, "a1");
    BOOST_CHECK_THROW(codec.parse_appointments(R"({"appointments":{},"next_cursor":"","has_more":false})"), SyncError);
    BOOST_CHECK_THROW(codec.parse_appointments(R"({"appointments":[]})"), SyncError);

    // Report results: exactly one per report sent.
    auto r = WireCodec::parse_report_results(R"({"results":[{"report_id":"r1","status":"accepted"},
        {"report_id":"r2","status":"rejected","reason":{"code":"conflict.status","message":"no_show"}}]})", {"r1", "r2"});
    BOOST_REQUIRE_EQUAL(r.size(), 2u);
    BOOST_CHECK_EQUAL(r[1].reason_code, "conflict.status");
    BOOST_CHECK_THROW(WireCodec::parse_report_results(R"({"results":[{"report_id":"r1","status":"accepted"}]})", {"r1", "r2"}), SyncError);
    BOOST_CHECK_THROW(WireCodec::parse_report_results(R"({"results":[{"report_id":"r9","status":"accepted"}]})", {"r9", "r1"}), SyncError);
    BOOST_CHECK_THROW(WireCodec::parse_report_results(R"({"results":[{"report_id":"r1","status":"maybe"}]})", {"r1"}), SyncError);

    // A decision with its document; a malformed digest makes the change a problem (lenient) or the page malformed.
    const std::string sha(64, 'a');
    std::string with_doc = R"({"changes":[{"change_id":"c1","case_id":"0190c6f2-0000-7000-8000-0000000000aa","type":"approved",
        "at":"2025-10-10T02:00:00Z","department":"烟台市行政审批服务局","document":{"sha256":")" + sha +
                           R"(","size":1234,"media_type":"application/pdf","title":"准予"}}],"next_cursor":"x","has_more":false})";
    auto changes = codec.parse_changes(with_doc, false);
    BOOST_REQUIRE_EQUAL(changes.changes.size(), 1u);
    BOOST_CHECK_EQUAL(changes.changes[0].document_sha256, sha);
    BOOST_CHECK_EQUAL(changes.changes[0].document_size, 1234);
    std::string bad_doc = with_doc;
    bad_doc.replace(bad_doc.find(sha), 64, std::string(64, 'Z'));
    BOOST_CHECK_THROW(codec.parse_changes(bad_doc, false), SyncError);
    auto lenient = codec.parse_changes(bad_doc, true);
    BOOST_REQUIRE_EQUAL(lenient.changes.size(), 1u);
    BOOST_CHECK(!lenient.changes[0].problem.empty());
}

BOOST_AUTO_TEST_CASE(error_bodies_and_credentials) {
    auto e = WireCodec::parse_error(R"({"error":{"code":"upload.offset_mismatch","message":"at 100"},"offset":100})");
    BOOST_CHECK_EQUAL(e.code, "upload.offset_mismatch");
    BOOST_REQUIRE(e.offset);
    BOOST_CHECK_EQUAL(*e.offset, 100);
    BOOST_CHECK_EQUAL(WireCodec::parse_error("<html>").code, "");
    auto c = Credentials::parse(R"({"terminal_id":"trm-1","secret":"c2VjcmV0LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OQ==",
        "algorithm":"hmac-sm3","centre":"370102A","terminal_code":"T03"})", "cred");
    BOOST_CHECK_EQUAL(c.algorithm, "hmac-sm3");
    BOOST_CHECK_THROW(Credentials::parse(R"({"terminal_id":"trm-1","secret":"short"})", "cred"), core::InvalidData);
    BOOST_CHECK_THROW(Credentials::parse(R"({"terminal_id":"trm-1","secret":"c2VjcmV0LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OQ==","algorithm":"md5"})",
                                         "cred"),
                      core::InvalidData);
    BOOST_CHECK_THROW(Credentials::parse("[]", "cred"), core::InvalidData);
}

// Found by fuzz_platform_wire: a member of another type than string made json::value() throw
// json::type_error, which is no SyncError (not retried; the sync round stopped with a JSON library
// message). Now the answer is malformed (retryable) or the member is read as absent.
BOOST_AUTO_TEST_CASE(small_answers_with_members_of_the_wrong_type_are_malformed_not_exceptions) {
    auto malformed = [](const SyncError& e) { return e.code() == "platform.malformed" && e.kind() == ErrorKind::retryable; };
    BOOST_CHECK_EQUAL(WireCodec::parse_ping(R"({"status":"ok","platform":"sim","server_time":"t"})").platform, "sim");
    BOOST_CHECK_EXCEPTION(WireCodec::parse_ping(R"({"status":1})"), SyncError, malformed);
    BOOST_CHECK_EQUAL(WireCodec::parse_ping(R"({"status":"ok","platform":7})").platform, "");
    auto t = WireCodec::parse_terminal(R"({"terminal_id":"trm-1","centre":["370102A"],"status":null})");
    BOOST_CHECK_EQUAL(t.terminal_id, "trm-1");
    BOOST_CHECK_EQUAL(t.centre, "");
    BOOST_CHECK_NO_THROW(WireCodec::expect_complete(R"({"status":"complete"})", "not complete"));
    BOOST_CHECK_EXCEPTION(WireCodec::expect_complete(R"({"status":{"done":true}})", "not complete"), SyncError, malformed);
    BOOST_CHECK_EXCEPTION(WireCodec::expect_complete("[]", "not complete"), SyncError, malformed);
}

BOOST_AUTO_TEST_CASE(gb18030_round_trips_rare_characters) {
    std::string text = "𠮷 䶮 王芳 abc";
    std::string gb = encode_text(text, TextEncoding::gb18030);
    BOOST_CHECK_NE(gb, text);
    BOOST_CHECK_EQUAL(decode_text(gb, TextEncoding::gb18030), text);
    BOOST_CHECK_EQUAL(encode_text(text, TextEncoding::utf8), text);
    BOOST_CHECK_THROW(encode_text("\xff\xfe", TextEncoding::gb18030), SyncError);
}

BOOST_AUTO_TEST_SUITE_END()
