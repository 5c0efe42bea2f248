// The chief representative's review screen (Ctrl+D) and the result screen (Ctrl+E), driven like a
// chief and a clerk drive them: keys through XTest, the applicant's taps on their own window
// synthesized (a touch screen under Xvfb has no pointer of its own).
//
//   review/token_pin_acting_for_a   post B, acting for an absent post A, approves with the approval
//                                   seal on a SoftHSM2 token: a wrong PIN is refused and nothing is
//                                   sealed or committed; the right PIN seals the decision
//                                   (test-artefacts/gui/review/decision.pdf, verified by pdfsig) and
//                                   the history records B acting for A.
//   result/pickup_signed_good_rating  pickup signed on the signature pad (signature-sim), the receipt
//                                   printed to a PDF, a good rating on the applicant's window.
//   result/mail                     a mail handover: a bad tracking number refused, then the mail
//                                   receipt; the rating declined on the screen, then given on the
//                                   rating device (rating-sim).
#include "desk_fixture.h"
#include "gui_harness.h"

#include "../support/softhsm_token.h"

#include "common/page_viewer.h"
#include "intake/intake_view.h"
#include "rating/rating_presenter.h"
#include "result/result_view.h"
#include "review/review_view.h"
#include "shell/applicant_screen.h"

#include "ow/seal/seal.h"
#include "ow/store/documents.h"

#include <wx/button.h>
#include <wx/listbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <cstdio>
#include <fstream>

using namespace ow;
using namespace ow::guitest;

namespace {

const DemoUser kChiefA{"chief-a", "张首席", "Chief-a1"};
const DemoUser kChiefB{"chief-b", "刘首席", "Chief-b2"};

std::filesystem::path artefacts(const std::string& sub) {
    auto d = artefacts_dir() / sub;
    std::filesystem::create_directories(d);
    return d;
}

std::pair<int, std::string> run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return {-1, out};
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    return {::pclose(p), out};
}

void write(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string label_of(Desk& d, const std::string& name) { return utf8(d.get<wxStaticText>(name)->GetLabel()); }

/// The chiefs on posts A (marked absent) and B, and the approval seal of post A on a SoftHSM2 token.
void chiefs_and_token_seal(const DemoStore& demo) {
    auto admin = store::Store::open(demo.dir, demo.admin.name, demo.admin.password);
    const store::KdfParams fast{1, std::size_t(8) << 20};
    for (const auto* c : {&kChiefA, &kChiefB}) {
        admin->set_user(c->name, core::Role::chief, c->password, fast);
        admin->set_user_profile(c->name, c == &kChiefA ? core::Post::A : core::Post::B, c->display_name);
    }
    admin->set_absent(kChiefA.name, true);
    const auto& token = test::SoftHsmToken::process_token();
    store::SealAssignment s;
    s.holder_kind = store::SealAssignment::HolderKind::post;
    s.holder = "A";
    s.name = "行政审批专用章";
    s.pkcs11_uri = token.uri;
    s.pkcs11_module = token.module.string();
    s.signer = seal::SigningKey::from_pkcs11_pin(token.uri, token.pin, token.module).signer_name();
    std::ifstream png(token.demo.png, std::ios::binary);
    s.image.assign(std::istreambuf_iterator<char>(png), std::istreambuf_iterator<char>());
    store::SealAssignments(admin->db()).assign(s, admin->actor(), core::now());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review_gui)

BOOST_AUTO_TEST_CASE(token_pin_acting_for_a) {
    Desk d(60, chiefs_and_token_seal);
    d.unlock(kChiefB);
    // Ctrl+D: the review screen with the first case awaiting decision.
    xtest_key(d.find("cases.search"), 'D', wxMOD_CONTROL);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(d.find("review.queue")); }, 5s), "Ctrl+D did not show the review screen");
    auto* review = d.frame->review();
    BOOST_REQUIRE(review);
    auto* queue = d.get<wxListBox>("review.queue");
    BOOST_REQUIRE_MESSAGE(queue->GetCount() > 0, "no case awaiting decision in the demo store");
    const auto* c = review->presenter().current();
    BOOST_REQUIRE_MESSAGE(c, "no case opened");
    const std::string case_id = c->case_id;
    BOOST_CHECK(c->state == core::CaseState::under_review);
    BOOST_CHECK_GT(d.get<wxListCtrl>("review.data")->GetItemCount(), 5);
    // The viewer holds the case's documents, and the checks are shown.
    BOOST_CHECK_EQUAL(review->viewer()->model().document_count(), c->documents.size());
    BOOST_CHECK(label_of(d, "review.checks").find("✓") != std::string::npos);
    // Acting for A is explicit: A's name is offered; the seal is on the token.
    auto* acting = d.get<wxChoice>("review.acting_for");
    BOOST_REQUIRE_EQUAL(acting->GetCount(), 1u);
    BOOST_CHECK_EQUAL(utf8(acting->GetString(0)), kChiefA.display_name);
    BOOST_CHECK_MESSAGE(label_of(d, "review.seal") == "行政审批专用章（安全令牌）", label_of(d, "review.seal"));

    // 准予 (the first verdict), Enter to the opinion, a common phrase added from the list.
    auto* verdict = d.get<wxListBox>("review.verdict");
    BOOST_CHECK_EQUAL(verdict->GetSelection(), 0);
    xtest_key(verdict, WXK_RETURN);
    auto* opinion = d.get<wxTextCtrl>("review.opinion");
    BOOST_REQUIRE(wait_until([&] { return wxWindow::FindFocus() == opinion; }, 2s));
    auto* phrases = d.get<wxListBox>("review.phrases");
    xtest_key(phrases, WXK_DOWN);
    xtest_key(phrases, WXK_RETURN);
    BOOST_REQUIRE(wait_until([&] { return !opinion->GetValue().empty(); }, 2s));

    // A wrong PIN: refused, nothing sealed, nothing committed.
    auto before = d.demo.open_as_clerk();
    const auto history = before->db().query_text("SELECT count(*) FROM case_history WHERE case_id = '" + case_id + "'").value_or("?");
    const auto docs = store::CaseDocuments(before->db()).list(case_id).size();
    before.reset();
    const auto& token = test::SoftHsmToken::process_token();
    auto* pin = d.get<wxTextCtrl>("review.pin");
    xtest_type(pin, token.wrong_pin);
    xtest_key(pin, WXK_RETURN);
    BOOST_REQUIRE(wait_until([&] { return !review->busy() && !label_of(d, "review.message").empty(); }, 20s));
    const auto refused = label_of(d, "review.message");
    BOOST_CHECK_MESSAGE(refused.find("PIN") != std::string::npos, "message after a wrong PIN: " << refused);
    BOOST_CHECK(review->presenter().current()->state == core::CaseState::under_review);
    BOOST_CHECK(pin->GetValue().empty());
    {
        auto s = d.demo.open_as_clerk();
        BOOST_CHECK_EQUAL(s->db().query_text("SELECT count(*) FROM case_history WHERE case_id = '" + case_id + "'").value_or("?"), history);
        BOOST_CHECK_EQUAL(store::CaseDocuments(s->db()).list(case_id).size(), docs);
    }

    // The right PIN: decided, sealed on the token.
    xtest_type(pin, token.pin);
    xtest_key(pin, WXK_RETURN);
    BOOST_REQUIRE(wait_until([&] { return !review->busy() && review->presenter().current()->state == core::CaseState::approved; }, 30s));
    const auto* done = review->presenter().current();
    const app::ReviewDocument* decision = nullptr;
    for (const auto& x : done->documents)
        if (x.kind == "approval_decision" || x.kind == "approval_result") decision = &x;
    BOOST_REQUIRE_MESSAGE(decision, "no approval decision among the case's documents");
    BOOST_CHECK(decision->sealed);
    const auto pdf = artefacts("review") / "decision.pdf";
    write(pdf, decision->bytes);
    auto [rc, sig] = run("pdfsig '" + pdf.string() + "' 2>&1");
    BOOST_CHECK_MESSAGE(rc == 0 && sig.find("Signature is Valid") != std::string::npos, "pdfsig: " << sig);
    {
        auto s = d.demo.open_as_clerk();
        auto who = s->db().query_text("SELECT user_id || '/' || post || '/' || acting_for FROM case_history WHERE case_id = '" + case_id +
                                      "' ORDER BY seq DESC LIMIT 1");
        BOOST_CHECK_MESSAGE(who && *who == kChiefB.name + "/B/" + kChiefA.name,
                            "the decision's actor does not record B acting for A: " << who.value_or("(none)"));
    }
    BOOST_CHECK_MESSAGE(label_of(d, "review.message").find("行政审批专用章") != std::string::npos, label_of(d, "review.message"));
    pump_for(500ms);  // the decision's page renders off the UI thread
    wxWindow* w = d.frame;
    ShotOnExit shot("review/decided", &w);
    shot.finish();
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// The applicant taps a button on their own window (synthesized: a touch, not the clerk's keys).
void tap(wxWindow* top, const std::string& name) {
    auto* b = widget<wxButton>(top, name);
    BOOST_REQUIRE_MESSAGE(b->IsEnabled() && on_screen(b), name << " is not shown enabled on the applicant's window");
    wxCommandEvent ev(wxEVT_BUTTON, b->GetId());
    ev.SetEventObject(b);
    b->GetEventHandler()->ProcessEvent(ev);
}

/// The case state as the store has it (a second connection).
std::string stored_state(Desk& d, const std::string& case_id) {
    auto s = d.demo.open_as_clerk();
    return s->db().query_text("SELECT state FROM cases WHERE id = '" + case_id + "'").value_or("?");
}

/// Ctrl+E from the case list: the result screen with the first case to hand out.
app::ResultView* open_result(Desk& d) {
    xtest_key(d.find("cases.search"), 'E', wxMOD_CONTROL);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(d.find("result.queue")); }, 5s), "Ctrl+E did not show the result screen");
    auto* result = d.frame->result();
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(d.get<wxListBox>("result.queue")->GetCount() > 0, "no case to hand out in the demo store");
    BOOST_REQUIRE(result->presenter().current());
    BOOST_REQUIRE_MESSAGE(result->presenter().issuable(), "the first case to issue is not decided: " << label_of(d, "result.title"));
    return result;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(result_gui)

BOOST_AUTO_TEST_CASE(pickup_signed_good_rating) {
    Desk d;
    d.unlock(d.demo.clerk);
    auto* result = open_result(d);
    const std::string case_id = result->presenter().current()->case_id;
    // The first way: pickup signed on the pad. Enter on it asks the pad (signature-sim).
    auto* mode = d.get<wxListBox>("result.mode");
    BOOST_CHECK_EQUAL(mode->GetSelection(), 0);
    xtest_key(mode, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return !result->busy() && label_of(d, "result.message").find("Ctrl+Enter") != std::string::npos; }, 20s),
                          "no signature from the pad: " << label_of(d, "result.message"));
    // The simulator's signature is said to be one (a made-up signature must not pass for the applicant's).
    BOOST_CHECK_MESSAGE(label_of(d, "result.message").find("模拟") != std::string::npos, label_of(d, "result.message"));
    // Ctrl+Enter hands it out; the receipt is made, and the applicant is asked to rate.
    xtest_key(d.find("result.commit"), WXK_RETURN, wxMOD_CONTROL);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return !result->busy() && result->presenter().current()->receipt; }, 30s),
                          "not handed out: " << label_of(d, "result.message"));
    BOOST_CHECK_EQUAL(result->presenter().current()->receipt->kind, "pickup_receipt");
    BOOST_CHECK_EQUAL(stored_state(d, case_id), "result_issued");
    {
        auto s = d.demo.open_as_clerk();
        auto sig = s->db().query_text("SELECT count(*) FROM case_blobs WHERE case_id = '" + case_id + "' AND role = 'signature'");
        BOOST_CHECK_MESSAGE(sig && *sig == "1", "the signature is not stored with the case");
    }
    const auto printed = artefacts("result") / "pickup_receipt.pdf";
    BOOST_REQUIRE(result->print_to_file(printed));
    auto [rc, info] = run("pdfinfo '" + printed.string() + "' 2>&1");
    BOOST_CHECK_MESSAGE(rc == 0 && info.find("Pages:") != std::string::npos, "pdfinfo: " << info);

    // The applicant's window asks for the rating: five large buttons.
    auto* screen = d.frame->intake()->applicant_screen();
    BOOST_REQUIRE(wait_until([&] { return screen->asking_rating() && on_screen(wait_for_window(screen, "applicant.rate.5", 0ms)); }, 5s));
    {
        wxWindow* w = screen;
        ShotOnExit shot("result/applicant-rating", &w);
        shot.finish();
    }
    tap(screen, "applicant.rate.5");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return stored_state(d, case_id) == "rated"; }, 20s), "the rating was not committed");
    BOOST_REQUIRE(wait_until([&] { return label_of(d, "result.message").find("Thank") != std::string::npos ||
                                          label_of(d, "result.message").find("谢谢") != std::string::npos; }, 5s));
}

BOOST_AUTO_TEST_CASE(mail) {
    Desk d;
    d.unlock(d.demo.clerk);
    auto* result = open_result(d);
    const std::string case_id = result->presenter().current()->case_id;
    auto* mode = d.get<wxListBox>("result.mode");
    xtest_key(mode, WXK_DOWN);
    xtest_key(mode, WXK_DOWN);
    BOOST_REQUIRE(wait_until([&] { return mode->GetSelection() == 2; }, 2s));
    xtest_key(mode, WXK_RETURN);
    auto* address = d.get<wxTextCtrl>("result.address");
    BOOST_REQUIRE(wait_until([&] { return wxWindow::FindFocus() == address; }, 2s));
    // The applicant's address is offered; a new one is typed (Chinese: synthesized as an input method commits it).
    address->SelectAll();
    address->WriteText(wxString::FromUTF8("济南市历下区经十路88号"));
    xtest_key(address, WXK_RETURN);
    auto* tracking = d.get<wxTextCtrl>("result.tracking");
    BOOST_REQUIRE(wait_until([&] { return wxWindow::FindFocus() != address; }, 2s));
    xtest_type(tracking, "EA12");
    xtest_key(tracking, WXK_RETURN);
    BOOST_REQUIRE(wait_until([&] { return !label_of(d, "result.message").empty(); }, 2s));
    BOOST_CHECK_EQUAL(stored_state(d, case_id), result->presenter().current()->approved ? "approved" : "denied");
    BOOST_CHECK(wxWindow::FindFocus() == tracking);
    xtest_type(tracking, "EA123456789CN");  // over the wrong number, which the screen selected
    xtest_key(tracking, WXK_RETURN);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return !result->busy() && result->presenter().current()->receipt; }, 30s),
                          "not handed out: " << label_of(d, "result.message"));
    BOOST_CHECK_EQUAL(result->presenter().current()->receipt->kind, "mail_receipt");
    {
        auto s = d.demo.open_as_clerk();
        auto data = s->db().query_text("SELECT data FROM case_history WHERE case_id = '" + case_id + "' AND action = 'issue_result'");
        BOOST_REQUIRE(data);
        BOOST_CHECK_MESSAGE(data->find("EA123456789CN") != std::string::npos && data->find("经十路88号") != std::string::npos, *data);
    }
    // The applicant walks away without rating: the case stays handed out, ratable later.
    auto* screen = d.frame->intake()->applicant_screen();
    BOOST_REQUIRE(wait_until([&] { return screen->asking_rating(); }, 5s));
    screen->cancel_rating();
    BOOST_REQUIRE(wait_until([&] { return !screen->asking_rating(); }, 5s));
    BOOST_CHECK_EQUAL(stored_state(d, case_id), "result_issued");
    BOOST_CHECK(result->presenter().ratable());
    // Later, on the rating device (rating-sim): the other way in.
    auto* device = d.get<wxButton>("result.rate_device");
    BOOST_REQUIRE(device->IsEnabled());
    xtest_key(device, WXK_SPACE);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return stored_state(d, case_id) == "rated"; }, 20s),
                          "the rating device's rating was not committed: " << label_of(d, "result.message"));
    auto s = d.demo.open_as_clerk();
    auto data = s->db().query_text("SELECT data FROM case_history WHERE case_id = '" + case_id + "' AND action = 'rate'");
    BOOST_CHECK_MESSAGE(data && data->find("window_device") != std::string::npos, data.value_or("(no rate event)"));
}

BOOST_AUTO_TEST_SUITE_END()
