// The administration screen (管理, Ctrl+Shift+A), driven as an administrator drives it: keys and
// ASCII text through XTest, Chinese names committed with WriteText (no input method under Xvfb).
//
//   admin_gui/add_a_clerk          the users tab: a password typed twice that differs is refused and
//                                  nothing is added; then a clerk is added, listed with the role
//                                  窗口人员, and signs in to the store with that password.
//   admin_gui/assign_and_test_seal the seals tab: the demo PKCS#12 seal (seal::make_demo_seal) assigned
//                                  to post A with a wrong PIN (refused, nothing assigned), then with
//                                  its PIN; the test signature signs and verifies (signer shown), the
//                                  test is in the audit trail.
//   admin_gui/posts_and_acting     the posts tab: post A marked absent with the keys, the line says
//                                  post B acts for them (the store has the absence, audited); back
//                                  present; post B's chief moved to post A.
//   admin_gui/tampered_audit_row   the audit tab: an intact trail verifies; a row rewritten in the
//                                  SQLCipher database (through a second connection of the store,
//                                  the append-only trigger dropped as an attacker would) is named
//                                  "第 N 条记录被改动"; the trail is exported to a CSV file.
//   admin_gui/authorisation_tab   the authorisation tab (Alt+5, 授权与备案): 区市场监督管理局 lets the window
//                                  decide and seal its immediate items (rows chosen with the keys, Set
//                                  pressed with Space; the rule column says 本部门、本类型); the
//                                  department marked not in the hall (事进人不进) with 30 minutes; a chief
//                                  representative made its own; the staff list exported — the store and
//                                  the CSV file checked.
//   admin_gui/remote_call_and_window_decision
//                                  as the clerk: a case of that department accepted calls it; an hour
//                                  later Ctrl+Shift+J shows it late (已超时) in red; Ctrl+D opens it for
//                                  the clerk to decide on the spot (马上办: the decision bar enabled).
// Screenshots: test-artefacts/gui/admin/*.png.
#include "desk_fixture.h"
#include "gui_harness.h"

#include "admin/admin_view.h"

#include "ow/seal/seal.h"
#include "ow/store/audit.h"
#include "ow/store/authorisations.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/listbox.h>
#include <wx/choice.h>
#include <wx/listctrl.h>
#include <wx/notebook.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <fstream>

using namespace ow;
using namespace ow::guitest;

namespace {

std::filesystem::path artefacts(const std::string& sub) {
    auto d = artefacts_dir() / sub;
    std::filesystem::create_directories(d);
    return d;
}

std::string label_of(Desk& d, const std::string& name) { return utf8(d.get<wxStaticText>(name)->GetLabel()); }

/// Signs the administrator in and opens the administration screen with Ctrl+Shift+A.
app::AdminView* open_admin(Desk& d) {
    d.unlock(d.demo.admin);
    BOOST_REQUIRE_MESSAGE(!d.frame->actions().enabled("admin.show", app::DeskState{}), "administration enabled while signed out");
    xtest_key(d.find("cases.search"), 'A', wxMOD_CONTROL | wxMOD_SHIFT);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(d.find("admin.users")); }, 5s), "Ctrl+Shift+A did not show the administration screen");
    BOOST_REQUIRE(d.frame->admin());
    BOOST_CHECK(d.frame->page() == app::MainFrame::Page::admin);
    return d.frame->admin();
}

/// Moves to a tab of the administration screen with its key (Alt+1 … Alt+4, XTest).
void go_to_tab(Desk& d, int index) {
    auto* tabs = d.get<wxNotebook>("admin.tabs");
    xtest_key(d.find("admin.users"), '1' + index, wxMOD_ALT);  // (from the users tab, where the screen opens)
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return tabs->GetSelection() == index; }, 2s),
                          "Alt+" << index + 1 << " did not show tab " << index << " (at " << tabs->GetSelection() << ")");
}

/// Presses a button with Space (XTest), as a keyboard user does.
void press(Desk& d, const std::string& name) {
    auto* b = d.get<wxButton>(name);
    BOOST_REQUIRE_MESSAGE(on_screen(b) && b->IsEnabled(), name << " is not shown enabled");
    xtest_key(b, WXK_SPACE);
}

/// Selects a row of a report list with the keyboard (Home, then Down `row` times; Space when GTK
/// only moved its cursor).
void select_row(wxListCtrl* list, long row) {
    auto selected = [&] { return list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED); };
    focus(list);
    xtest_key(list, WXK_HOME);
    for (long i = 0; i < row; ++i) xtest_key(list, WXK_DOWN);
    if (!wait_until([&] { return selected() == row; }, 1s)) xtest_key(list, WXK_SPACE);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return selected() == row; }, 2s), "row " << row << " not selected (at " << selected() << ")");
}

/// Waits for the screen's message line to change from `before`; returns it.
std::string next_message(Desk& d, const std::string& before, std::chrono::milliseconds timeout = 20s) {
    wait_until([&] { return label_of(d, "admin.message") != before; }, timeout);
    return label_of(d, "admin.message");
}

/// Chooses the entry of a wxChoice whose text is `text`, synthesized (SetSelection + wxEVT_CHOICE):
/// GTK's combo box pops up a menu XTest cannot address by row.
void choose(Desk& d, const std::string& name, const std::string& text) {
    auto* c = d.get<wxChoice>(name);
    const int index = c->FindString(wxString::FromUTF8(text));
    BOOST_REQUIRE_MESSAGE(index != wxNOT_FOUND, name << " has no entry " << text);
    c->SetSelection(index);
    wxCommandEvent ev(wxEVT_CHOICE, c->GetId());
    ev.SetEventObject(c);
    ev.SetInt(index);
    c->GetEventHandler()->ProcessEvent(ev);
}

long row_of(wxListCtrl* list, const std::string& first_column) {
    for (long i = 0; i < list->GetItemCount(); ++i)
        if (utf8(list->GetItemText(i, 0)) == first_column) return i;
    return -1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(admin_gui)

BOOST_AUTO_TEST_CASE(add_a_clerk) {
    Desk d(20);
    open_admin(d);
    auto* users = d.get<wxListCtrl>("admin.users");
    BOOST_CHECK_EQUAL(users->GetItemCount(), 2);  // the demo store's administrator and clerk
    const long admin_row = row_of(users, d.demo.admin.name);
    BOOST_REQUIRE(admin_row >= 0);
    BOOST_CHECK_EQUAL(utf8(users->GetItemText(admin_row, 2)), "管理员");

    auto* name = d.get<wxTextCtrl>("admin.user.name");
    xtest_type(name, "wang");
    text_entry(d.find("admin.user.display"))->WriteText(wxString::FromUTF8("王晓梅"));  // Chinese: an input method's commit
    BOOST_CHECK_EQUAL(d.get<wxChoice>("admin.user.role")->GetSelection(), 0);  // 窗口人员
    auto* pw = d.get<wxTextCtrl>("admin.user.password");
    auto* repeat = d.get<wxTextCtrl>("admin.user.repeat");
    BOOST_REQUIRE(pw->HasFlag(wxTE_PASSWORD) && repeat->HasFlag(wxTE_PASSWORD));
    // Typed twice, differently: refused, nothing added, the fields cleared.
    xtest_type(pw, "Window-pw7");
    xtest_type(repeat, "Window-pw8");
    press(d, "admin.user.add");
    auto msg = next_message(d, "");
    BOOST_CHECK_MESSAGE(msg == "两次输入的口令不一致。", "message after a mismatch: " << msg);
    BOOST_CHECK_EQUAL(users->GetItemCount(), 2);
    BOOST_CHECK(pw->IsEmpty() && repeat->IsEmpty());
    // Typed twice, the same: added and listed.
    xtest_type(pw, "Window-pw7");
    xtest_type(repeat, "Window-pw7");
    press(d, "admin.user.add");
    msg = next_message(d, msg);
    BOOST_CHECK_MESSAGE(msg == "已添加用户。", "message after adding: " << msg);
    BOOST_REQUIRE_EQUAL(users->GetItemCount(), 3);
    const long row = row_of(users, "wang");
    BOOST_REQUIRE(row >= 0);
    BOOST_CHECK_EQUAL(utf8(users->GetItemText(row, 1)), "王晓梅");
    BOOST_CHECK_EQUAL(utf8(users->GetItemText(row, 2)), "窗口人员");
    // In the store: the new clerk signs in with that password.
    auto s = store::Store::open(d.demo.dir, "wang", "Window-pw7");
    BOOST_CHECK(s->user().role == core::Role::clerk);
    BOOST_CHECK_EQUAL(s->user().display_name, "王晓梅");
    wxWindow* w = d.frame;
    ShotOnExit shot("admin/users", &w);
    shot.finish();
}

BOOST_AUTO_TEST_CASE(assign_and_test_seal) {
    Desk d(20);
    const auto seal_dir = d.demo.root / "demo-seal";
    const auto demo = seal::make_demo_seal("测试行政审批局", seal_dir, "135790");
    open_admin(d);
    go_to_tab(d, 2);
    BOOST_REQUIRE(on_screen(d.find("admin.seals")));
    auto* seals = d.get<wxListCtrl>("admin.seals");
    BOOST_CHECK_EQUAL(seals->GetItemCount(), 0);
    auto* holder = d.get<wxChoice>("admin.seal.holder");
    BOOST_CHECK_EQUAL(utf8(holder->GetString(0)), "A岗");
    BOOST_CHECK_EQUAL(holder->GetSelection(), 0);
    xtest_type(d.find("admin.seal.p12"), demo.p12.string());
    xtest_type(d.find("admin.seal.image"), demo.png.string());
    auto* pin = d.get<wxTextCtrl>("admin.seal.pin");
    // A wrong PIN: refused, nothing assigned.
    xtest_type(pin, "000000");
    press(d, "admin.seal.assign");
    auto msg = next_message(d, "");
    BOOST_CHECK_MESSAGE(msg.find("PIN") != std::string::npos && msg.find("错误") != std::string::npos, "after a wrong PIN: " << msg);
    BOOST_CHECK_EQUAL(seals->GetItemCount(), 0);
    // The right PIN: assigned to post A, listed with the certificate's signer.
    xtest_type(pin, "135790");
    press(d, "admin.seal.assign");
    msg = next_message(d, msg);
    BOOST_CHECK_MESSAGE(msg == "印章已分配。", "after assigning: " << msg);
    BOOST_REQUIRE_EQUAL(seals->GetItemCount(), 1);
    BOOST_CHECK_EQUAL(utf8(seals->GetItemText(0, 0)), "A岗");
    const std::string signer = utf8(seals->GetItemText(0, 2));
    BOOST_CHECK_MESSAGE(signer.find("样章") != std::string::npos, "signer column: " << signer);
    // The test signature of the selected seal.
    select_row(seals, 0);
    press(d, "admin.seal.test");
    BOOST_REQUIRE(wait_until([&] { return !label_of(d, "admin.seal.result").empty(); }, 20s));
    const auto result = label_of(d, "admin.seal.result");
    BOOST_CHECK_MESSAGE(result.find("有效") != std::string::npos && result.find(signer) != std::string::npos, "test signature: " << result);
    {
        auto s = store::Store::open(d.demo.dir, d.demo.admin.name, d.demo.admin.password);
        BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM audit WHERE action = 'seal.tested' AND detail LIKE '%\"valid\":true%'"), 1);
        BOOST_CHECK_EQUAL(store::SealAssignments(s->db()).list().size(), 1u);
    }
    wxWindow* w = d.frame;
    ShotOnExit shot("admin/seals", &w);
    shot.finish();
}

BOOST_AUTO_TEST_CASE(tampered_audit_row) {
    Desk d(20);
    open_admin(d);
    go_to_tab(d, 3);
    press(d, "admin.audit.verify");
    BOOST_REQUIRE(wait_until([&] { return !label_of(d, "admin.audit.result").empty(); }, 10s));
    BOOST_CHECK_MESSAGE(label_of(d, "admin.audit.result").find("完整") != std::string::npos, label_of(d, "admin.audit.result"));
    // Someone with the store key rewrites entry 7 (the trigger that keeps the trail append-only dropped first).
    {
        auto s = store::Store::open(d.demo.dir, d.demo.admin.name, d.demo.admin.password);
        s->db().exec("DROP TRIGGER audit_no_update; UPDATE audit SET user_id = 'intruder' WHERE seq = 7;");
    }
    press(d, "admin.audit.verify");
    BOOST_REQUIRE(wait_until([&] { return label_of(d, "admin.audit.result").find("完整") == std::string::npos; }, 10s));
    const auto verdict = label_of(d, "admin.audit.result");
    BOOST_CHECK_MESSAGE(verdict == "第 7 条记录在写入后被改动。", "verdict: " << verdict);
    // Exported to a CSV file: every entry, and the message says the trail does not verify.
    const auto out = artefacts("admin") / "audit.csv";
    std::filesystem::remove(out);
    xtest_type(d.find("admin.audit.path"), out.string());
    const auto before = label_of(d, "admin.message");
    press(d, "admin.audit.export");
    const auto msg = next_message(d, before);
    BOOST_CHECK_MESSAGE(msg.find("已导出") != std::string::npos && msg.find("未通过校验") != std::string::npos, "after the export: " << msg);
    BOOST_REQUIRE(std::filesystem::exists(out));
    std::ifstream in(out);
    std::string header;
    std::getline(in, header);
    BOOST_CHECK_EQUAL(header, "seq,at,user,post,acting_for,action,case_id,detail,hash\r");
    std::string line;
    bool intruder = false;
    while (std::getline(in, line)) intruder = intruder || (line.rfind("7,", 0) == 0 && line.find("intruder") != std::string::npos);
    BOOST_CHECK_MESSAGE(intruder, "the export does not hold entry 7 as the database has it");
    wxWindow* w = d.frame;
    ShotOnExit shot("admin/audit", &w);
    shot.finish();
}

BOOST_AUTO_TEST_CASE(posts_and_acting) {
    // Two chiefs, on posts A and B, as an administrator set them up from the CLI.
    Desk d(20, [](const DemoStore& demo) {
        auto admin = store::Store::open(demo.dir, demo.admin.name, demo.admin.password);
        const store::KdfParams fast{1, std::size_t(8) << 20};
        admin->set_user("chief-a", core::Role::chief, "Chief-a1x", fast);
        admin->set_user("chief-b", core::Role::chief, "Chief-b2x", fast);
        admin->set_user_profile("chief-a", core::Post::A, "张首席");
        admin->set_user_profile("chief-b", core::Post::B, "刘首席");
    });
    open_admin(d);
    go_to_tab(d, 1);
    auto* chiefs = d.get<wxListCtrl>("admin.chiefs");
    BOOST_REQUIRE_EQUAL(chiefs->GetItemCount(), 2);
    BOOST_CHECK_MESSAGE(label_of(d, "admin.acting") == "无人缺席：A岗、B岗各自决定。", label_of(d, "admin.acting"));
    // chief-a (post A) marked absent: post B acts for them.
    const long a = row_of(chiefs, "张首席");
    BOOST_REQUIRE(a >= 0);
    select_row(chiefs, a);
    press(d, "admin.post.absent");
    BOOST_REQUIRE(wait_until([&] { return label_of(d, "admin.acting").find("代") != std::string::npos; }, 5s));
    BOOST_CHECK_MESSAGE(label_of(d, "admin.acting") == "刘首席（B岗）代 张首席（A岗，缺席）决定。", label_of(d, "admin.acting"));
    BOOST_CHECK_EQUAL(utf8(chiefs->GetItemText(row_of(chiefs, "张首席"), 3)), "缺席");
    {
        auto s = store::Store::open(d.demo.dir, d.demo.admin.name, d.demo.admin.password);
        BOOST_CHECK(s->user_info("chief-a")->absent_since.has_value());
        BOOST_CHECK_EQUAL(s->db().query_int("SELECT count(*) FROM audit WHERE action = 'user.absent'"), 1);
    }
    // Back: nobody acts for anybody.
    select_row(chiefs, row_of(chiefs, "张首席"));
    press(d, "admin.post.present");
    BOOST_REQUIRE(wait_until([&] { return label_of(d, "admin.acting").find("无人缺席") != std::string::npos; }, 5s));
    // Swap the posts: chief-b to post A.
    select_row(chiefs, row_of(chiefs, "刘首席"));
    press(d, "admin.post.a");
    BOOST_REQUIRE(wait_until([&] { return utf8(chiefs->GetItemText(row_of(chiefs, "刘首席"), 2)) == "A岗"; }, 5s));
    auto s = store::Store::open(d.demo.dir, d.demo.admin.name, d.demo.admin.password);
    BOOST_CHECK(s->user_info("chief-b")->post == core::Post::A);
}

BOOST_AUTO_TEST_CASE(authorisation_tab) {
    const std::string dept = "区市场监督管理局";
    Desk d(20, [](const DemoStore& demo) {
        auto admin = store::Store::open(demo.dir, demo.admin.name, demo.admin.password);
        admin->set_user("chief-a", core::Role::chief, "Chief-a1x", store::KdfParams{1, std::size_t(8) << 20});
        admin->set_user_profile("chief-a", core::Post::A, "张首席");
    });
    open_admin(d);
    go_to_tab(d, 4);
    choose(d, "admin.authz.department", dept);
    auto* grid = d.get<wxListCtrl>("admin.authz.grid");
    BOOST_REQUIRE_EQUAL(grid->GetItemCount(), 6);
    BOOST_CHECK_EQUAL(utf8(grid->GetItemText(1, 1)), "首席代表");  // decide: the built-in default
    BOOST_CHECK_EQUAL(utf8(grid->GetItemText(1, 2)), "默认");
    // decide (row 1) and use the seal (row 5): the window and the chief representatives.
    for (long row : {1L, 5L}) {
        select_row(grid, row);
        choose(d, "admin.authz.grantees", "综合窗口和首席代表");
        const auto before = label_of(d, "admin.message");
        press(d, "admin.authz.grant");
        BOOST_CHECK_EQUAL(next_message(d, before == "授权已设置。" ? std::string() : before), "授权已设置。");
        BOOST_REQUIRE(wait_until([&] { return utf8(grid->GetItemText(row, 2)) == "本部门、本类型"; }, 5s));
        BOOST_CHECK_EQUAL(utf8(grid->GetItemText(row, 1)), "综合窗口和首席代表");
    }
    // Countersigning is never the window's: refused, nothing stored.
    select_row(grid, 2);
    choose(d, "admin.authz.grantees", "综合窗口");
    press(d, "admin.authz.grant");
    BOOST_CHECK(next_message(d, "授权已设置。").find("不可设置") != std::string::npos);
    // 事进人不进: 30 minutes to answer.
    auto* remote = d.get<wxCheckBox>("admin.authz.remote");
    focus(remote);
    xtest_key(remote, WXK_SPACE);
    BOOST_REQUIRE(wait_until([&] { return remote->GetValue(); }, 2s));
    auto* minutes = d.get<wxTextCtrl>("admin.authz.minutes");
    minutes->Clear();
    xtest_type(minutes, "30");
    text_entry(d.find("admin.authz.contact"))->WriteText(wxString::FromUTF8("王科长"));
    press(d, "admin.authz.save_department");
    BOOST_CHECK_EQUAL(next_message(d, label_of(d, "admin.message")), "部门设置已保存。");
    // chief-a represents the department.
    choose(d, "admin.authz.chief", "张首席 · chief-a — 全部部门");
    press(d, "admin.authz.set_chief");
    BOOST_CHECK_EQUAL(next_message(d, "部门设置已保存。"), "首席代表所属部门已设置。");
    // The staff list for filing.
    const auto csv = d.demo.root / "staff.csv";
    text_entry(d.find("admin.authz.path"))->WriteText(wxString::FromUTF8(csv.string()));
    press(d, "admin.authz.export");
    BOOST_CHECK_EQUAL(next_message(d, "首席代表所属部门已设置。"), "人员备案表已导出。");

    auto s = store::Store::open(d.demo.dir, d.demo.admin.name, d.demo.admin.password);
    const auto m = store::AuthorisationBook(*s).load();
    BOOST_CHECK_EQUAL(m.grants.size(), 2u);
    BOOST_CHECK(m.may(core::Role::clerk, "", dept, core::ItemKind::immediate, core::Power::decide));
    BOOST_CHECK(m.may(core::Role::clerk, "", dept, core::ItemKind::immediate, core::Power::hold_seal));
    BOOST_CHECK(!m.may(core::Role::clerk, "", dept, core::ItemKind::immediate, core::Power::countersign));
    BOOST_REQUIRE(m.department(dept));
    BOOST_CHECK(m.department(dept)->remote);
    BOOST_CHECK_EQUAL(m.department(dept)->answer_minutes, 30);
    BOOST_CHECK_EQUAL(m.department(dept)->contact, "王科长");
    BOOST_CHECK_EQUAL(s->user_info("chief-a")->department, dept);
    std::ifstream in(csv);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_CHECK(text.find("clerk," + d.demo.clerk.display_name + ",clerk,,,false," + dept + ",immediate,accept;decide;collect_fee;hold_seal") !=
                std::string::npos);
    BOOST_CHECK(text.find("chief-a,张首席,chief,A," + dept + ",false," + dept + ",immediate,") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(remote_call_and_window_decision) {
    const std::string dept = "区市场监督管理局";
    auto later = std::make_shared<core::Instant::duration>(0);  // moves the desk's clock on
    Desk d(
        20,
        [&](const DemoStore& demo) {
            auto admin = store::Store::open(demo.dir, demo.admin.name, demo.admin.password);
            store::AuthorisationBook book(*admin);
            for (auto power : {core::Power::decide, core::Power::hold_seal}) {
                core::Grant g;
                g.department = dept;
                g.kind = core::ItemKind::immediate;
                g.power = power;
                g.grantees = core::kWindow | core::kChief;
                book.grant(g, demo.latest);
            }
            core::DepartmentPolicy p;
            p.department = dept;
            p.remote = true;
            book.set_department(p, demo.latest);
        },
        [later](app::DeskConfig& c) { c.now = [base = c.now, later] { return base() + *later; }; });
    d.unlock(d.demo.clerk);
    std::string receipt;
    {  // A case of 个体工商户设立登记 accepted: the department is called.
        auto& wf = d.services.workflow();
        const auto id = wf.start_intake({"370102-SC-0001-001", ""}).case_data.id;
        workflow::SetApplicant who;
        who.doc_number = "11010519491231002X";
        who.name = "李红";
        who.phone = "13800138000";
        wf.set_applicant(id, who);
        wf.answer(id, nlohmann::json{{"operator_name", "李红"}, {"operator_id", "11010519491231002X"}, {"operator_phone", "13800138000"},
                                     {"organisation", "individual"}, {"business_name", "李红小吃店"}, {"business_scope", "小吃服务"},
                                     {"premises", {{"region", "370102"}, {"detail", "经十路2号"}}}, {"capital_fen", 5000000},
                                     {"employees", 2}, {"agent_present", false}});
        for (const char* m : {"application", "operator_id", "premises"})
            wf.record_material(id, {m, core::MaterialStatus::original_received, std::nullopt, std::nullopt, "", ""});
        auto done = wf.accept(id);
        BOOST_REQUIRE(done.case_data.remote_call);
        receipt = done.case_data.receipt_no;
    }
    *later = std::chrono::minutes{61};  // nobody answered within the hour
    auto* search = d.find("cases.search");
    xtest_key(search, 'R', wxMOD_CONTROL);
    xtest_key(search, 'J', wxMOD_CONTROL | wxMOD_SHIFT);
    auto* queues = d.get<wxListBox>("cases.queues");
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return utf8(queues->GetStringSelection()).rfind("待部门响应", 0) == 0; }, 5s),
                          "Ctrl+Shift+J did not select the remote calls: " << utf8(queues->GetStringSelection()));
    auto* list = d.get<wxListCtrl>("cases.list");
    BOOST_REQUIRE(wait_until([&] { return list->GetItemCount() == 1; }, 5s));
    BOOST_CHECK_EQUAL(utf8(list->GetItemText(0, 0)), receipt);
    const std::string about = utf8(list->GetItemText(0, 7));
    BOOST_CHECK_MESSAGE(about.rfind(dept + "：须于 ", 0) == 0 && about.find("（已超时）") != std::string::npos, about);
    // The alarm in the status bar, whatever queue is shown.
    BOOST_CHECK(wait_until([&] { return utf8(d.frame->GetStatusBar()->GetStatusText(0)).find("1 个部门响应超时") != std::string::npos; }, 3s));
    // The clerk decides it on the spot: Ctrl+D opens it with the decision bar enabled.
    select_row(list, 0);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return d.frame->state().case_window_decides; }, 5s), "the window may not decide the case");
    xtest_key(list, 'D', wxMOD_CONTROL);
    BOOST_REQUIRE_MESSAGE(wait_until([&] { return on_screen(wait_for_window(d.frame, "review.bar", 0ms)); }, 5s), "Ctrl+D did not open the review");
    BOOST_CHECK(wait_until([&] { return utf8(d.get<wxStaticText>("review.title")->GetLabel()).find(receipt) != std::string::npos; }, 5s));
    BOOST_CHECK(d.find("review.bar")->IsEnabled());
    // The window decides but never escalates: 准予, 不予, 退回补正 only.
    BOOST_CHECK_EQUAL(d.get<wxListBox>("review.verdict")->GetCount(), 3u);
    d.shot_window = d.frame;
}

BOOST_AUTO_TEST_SUITE_END()
