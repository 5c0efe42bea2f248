#include "shell/actions.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace ow::app {
namespace {

bool same_key(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool signed_in(const DeskState& s) { return s.signed_in; }

}  // namespace

void ActionRegistry::declare(ActionSpec spec) {
    if (spec.id.empty()) throw std::invalid_argument("an action needs an id");
    if (find(spec.id)) throw std::invalid_argument("action declared twice: " + spec.id);
    if (!spec.hotkey.empty())
        if (const auto* other = by_hotkey(spec.hotkey))
            throw std::invalid_argument("hotkey " + spec.hotkey + " of " + spec.id + " is taken by " + other->id);
    specs_.push_back(std::move(spec));
    commands_.emplace_back();
}

void ActionRegistry::bind(const std::string& id, std::function<void()> command) {
    for (std::size_t i = 0; i < specs_.size(); ++i)
        if (specs_[i].id == id) {
            commands_[i] = std::move(command);
            return;
        }
    throw std::invalid_argument("no such action: " + id);
}

const ActionSpec* ActionRegistry::find(std::string_view id) const {
    for (const auto& s : specs_)
        if (s.id == id) return &s;
    return nullptr;
}

const ActionSpec* ActionRegistry::by_hotkey(std::string_view hotkey) const {
    for (const auto& s : specs_)
        if (!s.hotkey.empty() && same_key(s.hotkey, hotkey)) return &s;
    return nullptr;
}

bool ActionRegistry::enabled(std::string_view id, const DeskState& state) const {
    const auto* s = find(id);
    return s && (!s->enabled_when || s->enabled_when(state));
}

bool ActionRegistry::bound(std::string_view id) const {
    for (std::size_t i = 0; i < specs_.size(); ++i)
        if (specs_[i].id == id) return bool(commands_[i]);
    return false;
}

bool ActionRegistry::run(std::string_view id, const DeskState& state) const {
    for (std::size_t i = 0; i < specs_.size(); ++i)
        if (specs_[i].id == id) {
            if (!commands_[i] || !enabled(id, state)) return false;
            commands_[i]();
            return true;
        }
    return false;
}

std::vector<std::string> ActionRegistry::unbound() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < specs_.size(); ++i)
        if (!commands_[i]) out.push_back(specs_[i].id);
    return out;
}

bool case_act_allowed(const DeskState& s, core::CaseAction act) {
    if (!s.signed_in || s.busy || !s.case_state) return false;
    // The window accepts a draft in one act (Workflow::accept receives it first).
    const bool draft_accept = act == core::CaseAction::accept && *s.case_state == core::CaseState::draft;
    if (!draft_accept && !core::CaseMachine::allowed(*s.case_state, act)) return false;
    switch (act) {
        case core::CaseAction::approve:
        case core::CaseAction::deny: return s.role == core::Role::chief || (s.role == core::Role::clerk && s.case_window_decides);
        default: return s.role != core::Role::platform;
    }
}

ActionRegistry desk_actions() {
    ActionRegistry r;
    auto with_store = [](const DeskState& s) { return s.signed_in && s.has_store; };
    // File
    r.declare({"sync.panel", N_("Sync &records..."), N_("The sync queues, refused changes and conflicts"), "F8", Menu::file, false, false, with_store});
    // TRANSLATORS: menu item that starts a sync pass with the platform at once
    r.declare({"sync.now", N_("&Sync now"), N_("Send and fetch changes with the platform now"), "F9", Menu::file, true, false, with_store});
    r.declare({"desk.lock", N_("&Lock the desk"), N_("Lock now; what you typed is kept"), "Ctrl+Shift+L", Menu::file, true, false, signed_in});
    r.declare({"desk.switch_user", N_("S&witch user..."), N_("Sign out and let another user sign in"), "Ctrl+Shift+U", Menu::file, false, false, signed_in});
    // The administration screen (users, posts, seals, audit): administrators only.
    r.declare({"admin.show", N_("&Administration"), N_("Users, posts A/B, seals and the audit trail"), "Ctrl+Shift+A", Menu::file, false,
               false, [](const DeskState& s) { return s.signed_in && s.has_store && s.role == core::Role::admin; }});
    // Issue 21: the centre's figures per month (administrators and chief representatives).
    r.declare({"report.show", N_("Centre's &figures"), N_("This month's figures per window, clerk and department, with charts"), "Ctrl+Shift+M",
               Menu::file, false, false,
               [](const DeskState& s) { return s.signed_in && s.has_store && (s.role == core::Role::admin || s.role == core::Role::chief); }});
    // Issue 19: the settings screen (every setting of the registry; admin-only ones read-only for others).
    r.declare({"desk.settings", N_("Se&ttings..."), N_("Platform, lock, printing, language, devices, hours, calendar"), "F10",
               Menu::file, false, false, signed_in});
    r.declare({"app.exit", N_("E&xit"), N_("Close OneWindow"), "Ctrl+Q", Menu::file, false, false, {}});
    // Cases
    r.declare({"cases.search", N_("&Find a case"), N_("Receipt number, ID number, name or phone"), "Ctrl+F", Menu::cases, false, false, signed_in});
    r.declare({"cases.refresh", N_("&Refresh"), N_("Read the queues again"), "Ctrl+R", Menu::cases, false, false, signed_in});
    // Not over the lock screen: the desk's pages behind it stay hidden until someone signs in.
    r.declare({"catalogue.show", N_("Service &catalogue"), N_("Items and bundles with their guide"), "F3", Menu::cases, true, false,
               [](const DeskState& s) { return s.signed_in || !s.has_store; }});
    r.declare({"case.accept", N_("&Accept"), N_("Accept the case and print the acceptance receipt"), "F6", Menu::cases, false, true,
               [](const DeskState& s) { return case_act_allowed(s, core::CaseAction::accept); }});
    r.declare({"case.submit", N_("Submit for &decision"), N_("Send the case to the chief representative"), "F7", Menu::cases, false, true,
               [](const DeskState& s) { return case_act_allowed(s, core::CaseAction::start_review); }});
    // 通办: an accepted case of an item another region decides goes there through the platform.
    r.declare({"case.send_remote", N_("Send to the other &region"), N_("Cross-region service: the accepted case goes through the platform to the region that decides it"),
               "Ctrl+Shift+R", Menu::cases, false, true,
               [](const DeskState& s) { return s.case_cross_region && s.case_state == core::CaseState::accepted && case_act_allowed(s, core::CaseAction::escalate); }});
    // 网上申报: 接件 of an online application after 预审, 原件核验 when the applicant comes, 催办 of a late case.
    r.declare({"case.receive", N_("Rece&ive the application"), N_("Online application: receive it after the pre-check; the acceptance decision is due within 5 working days"),
               "Ctrl+Shift+I", Menu::cases, false, true,
               [](const DeskState& s) { return s.role == core::Role::clerk && s.case_online && case_act_allowed(s, core::CaseAction::receive); }});
    r.declare({"case.originals", N_("Originals and &post..."),
               N_("Online application: compare the originals with the uploads, log a material received by post"),
               "Ctrl+Shift+V", Menu::cases, false, true,
               [](const DeskState& s) {
                   return (s.role == core::Role::clerk || s.role == core::Role::chief) && s.case_online && !s.busy &&
                          ((s.case_originals_waiting && case_act_allowed(s, core::CaseAction::verify_originals)) ||
                           (s.role == core::Role::clerk && (case_act_allowed(s, core::CaseAction::mark_material) ||
                                                            case_act_allowed(s, core::CaseAction::fulfil_material))));
               }});
    r.declare({"case.urge", N_("&Urge the department"), N_("The case is late: urge the back office or the remote department (recorded, sent to the platform)"),
               "Ctrl+Shift+G", Menu::cases, false, true,
               [](const DeskState& s) { return s.case_late && case_act_allowed(s, core::CaseAction::urge); }});
    // 绿色通道: the case's flags (elderly, disabled, key project) put it first in its queues.
    r.declare({"case.green", N_("&Green channel..."), N_("Mark or clear the case's green channel (elderly, disabled, key project): first in every queue"),
               "Ctrl+G", Menu::cases, false, true,
               [](const DeskState& s) { return (s.role == core::Role::clerk || s.role == core::Role::chief) && case_act_allowed(s, core::CaseAction::flag_green); }});
    // 收费: a fee paid at the window (the receipt prints) or, by a chief representative, waived.
    r.declare({"case.fee", N_("Fee&s..."), N_("Record a fee paid (its receipt prints) or, as a chief representative, waive it"),
               "Ctrl+Shift+Y", Menu::cases, false, true,
               [](const DeskState& s) {
                   return (s.role == core::Role::clerk || s.role == core::Role::chief) && s.case_fees_due && !s.busy &&
                          case_act_allowed(s, core::CaseAction::record_fee);
               }});
    // 帮办代办: the case's helper (帮办, 代办, an enterprise's contact clerk) and the applicant's agent.
    r.declare({"case.assist", N_("&Help and agent..."), N_("Assign a helper to the case (help, agency, an enterprise's contact clerk) or record the applicant's agent"),
               "Ctrl+Shift+H", Menu::cases, false, true,
               [](const DeskState& s) {
                   return (s.role == core::Role::clerk || s.role == core::Role::chief) && !s.busy &&
                          (case_act_allowed(s, core::CaseAction::assist) || case_act_allowed(s, core::CaseAction::set_agent));
               }});
    // 告知承诺制 / 信即办 at intake; the follow-up (事中事后核查) of commitments and deferred materials.
    r.declare({"case.commit", N_("Commitments and chec&ks..."),
               N_("A commitment on the item's conditions or on good credit at intake; later, the check of each commitment and deferred material"),
               "Ctrl+Shift+K", Menu::cases, false, true,
               [](const DeskState& s) {
                   return (s.role == core::Role::clerk || s.role == core::Role::chief) && !s.busy &&
                          ((s.role == core::Role::clerk && s.case_may_commit && case_act_allowed(s, core::CaseAction::record_commitment)) ||
                           (s.case_follow_ups && case_act_allowed(s, core::CaseAction::verify_follow_up)));
               }});
    // The chief representative's review and decision, and handing out the result.
    r.declare({"case.review", N_("Re&view and decide"), N_("The cases awaiting decision: materials, form, checks, the sealed decision"),
               "Ctrl+D", Menu::cases, true, true,
               [](const DeskState& s) {
                   // A clerk decides on the spot the case the authorisation matrix lets the window decide (马上办).
                   return s.signed_in && s.has_store && (s.role == core::Role::chief || (s.role == core::Role::clerk && s.case_window_decides));
               }});
    r.declare({"case.issue", N_("&Hand out the result"), N_("Pickup with the signature, or mail; the receipt; the applicant's rating"),
               "Ctrl+E", Menu::cases, true, true,
               [](const DeskState& s) { return s.signed_in && s.has_store && (s.role == core::Role::clerk || s.role == core::Role::chief); }});
    r.declare({"case.open_notice", N_("&Open the latest notice"), N_("Open the case's latest notice (PDF)"), "Ctrl+O", Menu::cases, false, true,
               [](const DeskState& s) { return s.signed_in && s.case_state && s.case_has_documents; }});
    r.declare({"case.close_follow_up", N_("Close the follow-&up..."), N_("Record what was done about the applicant's bad rating"),
               "Ctrl+Shift+F", Menu::cases, false, true,
               [](const DeskState& s) { return s.signed_in && s.case_state && s.case_follow_up_open && !s.busy; }});
    // The electronic archive package of a concluded case (ow_archive, docs/archive.md).
    r.declare({"case.archive", N_("E&xport the archive package..."), N_("The concluded case as its archive package (GB/T 42727), checked"),
               "Ctrl+Shift+E", Menu::cases, false, true,
               [](const DeskState& s) { return s.signed_in && s.has_store && s.case_archivable && !s.busy; }});
    // Intake (F2): one screen, six steps; every step reachable at any time (Alt+1 … Alt+6).
    auto intake = [](const DeskState& s) { return s.signed_in && s.intake_shown; };
    auto intake_case = [](const DeskState& s) { return s.signed_in && s.intake_shown && s.intake_has_case && !s.busy; };
    r.declare({"intake.new", N_("&New intake"), N_("Take a case at the window: item, applicant, form, materials, decision, notice"), "F2",
               Menu::intake, true, false, [](const DeskState& s) { return s.signed_in && s.has_store; }});
    r.declare({"intake.resume", N_("&Resume an intake..."), N_("Intakes not finished yet, where they were left"), "Shift+F2", Menu::intake,
               false, false, [](const DeskState& s) { return s.signed_in && s.has_store; }});
    r.declare({"intake.read_id", N_("Read the &ID card"), N_("Fill in the applicant from the ID card reader"), "F4", Menu::intake, false,
               false, intake_case});
    r.declare({"intake.scan", N_("&Scan into the material"), N_("Scan the selected material of the checklist"), "F5", Menu::intake, false,
               false, intake_case});
    r.declare({"intake.print", N_("&Print the notice..."), N_("Print preview of the notice or receipt on show, then print"), "Ctrl+P",
               Menu::intake, false, false, [](const DeskState& s) {
                   return s.signed_in && !s.busy && ((s.intake_shown && s.intake_has_document) || (s.result_shown && s.result_has_receipt));
               }});
    r.declare({"intake.next", N_("Ne&xt step"), N_("The next step of the intake"), "Ctrl+PgDn", Menu::intake, false, false, intake});
    r.declare({"intake.back", N_("Pre&vious step"), N_("The previous step of the intake"), "Ctrl+PgUp", Menu::intake, false, false, intake});
    auto step = [&](int n, const char* label, const char* help) {
        r.declare({"intake.step." + std::to_string(n), label, help, "Alt+" + std::to_string(n), Menu::intake, false, false, intake});
    };
    step(1, N_("1 Item"), N_("Choose the item or bundle; its guide"));
    step(2, N_("2 Applicant"), N_("Who applies: ID card, person or organisation"));
    step(3, N_("3 Form"), N_("The application form"));
    step(4, N_("4 Materials"), N_("The checklist of materials"));
    step(5, N_("5 Decision"), N_("Accept, ask for a correction, or refuse"));
    step(6, N_("6 Notice"), N_("The notice: preview, seal, print"));
    // Today's appointments (预约) from the platform: check-in starts the intake (clerks).
    r.declare({"appointments.show", N_("Today's &appointments"), N_("Appointments booked on the platform: check in, start the intake"),
               "Ctrl+0", Menu::queues, true, false,
               [](const DeskState& s) { return s.signed_in && s.has_store && s.role == core::Role::clerk; }});
    // 网上申报: the online inbox; 预审 takes an application into a draft (clerks).
    r.declare({"online.show", N_("&Online applications"), N_("Applications made online: take one for pre-check, then receive or accept it"),
               "Ctrl+Shift+O", Menu::queues, false, false,  // not on the toolbar: the page's tab is there
               [](const DeskState& s) { return s.signed_in && s.has_store && s.role == core::Role::clerk; }});
    // Enquiries, complaints and suggestions (首问负责): clerks and chief representatives.
    r.declare({"enquiries.show", N_("&Enquiries and complaints"), N_("Record what was asked, reply within a working day, hand over, or start the intake"),
               "F11", Menu::queues, true, false,
               [](const DeskState& s) { return s.signed_in && s.has_store && (s.role == core::Role::clerk || s.role == core::Role::chief); }});
    // Queues: Ctrl+1 … Ctrl+9 in store::kAllQueues order (the cases view maps "queue.N" to its queue).
    auto queue = [&](int n, const char* label, const char* help) {
        r.declare({"queue." + std::to_string(n), label, help, "Ctrl+" + std::to_string(n), Menu::queues, false, false, signed_in});
    };
    queue(1, N_("Today's cases"), N_("Cases touched today"));
    queue(2, N_("Due soon"), N_("Promised within 2 working days"));
    queue(3, N_("Overdue"), N_("Past the promised date"));
    queue(4, N_("Awaiting correction"), N_("Waiting for the applicant's corrected materials"));
    queue(5, N_("Deferred materials due"), N_("Deferred materials due within 2 working days"));
    queue(6, N_("Awaiting decision"), N_("For the chief representative's decision"));
    queue(7, N_("To issue"), N_("Decided; the result is to be handed out"));
    queue(8, N_("Follow-ups"), N_("Bad ratings to follow up"));
    queue(9, N_("Sync problems"), N_("Cases the platform refused or disagrees on"));
    // The closing-time list (store::Queue::closing), after the nine: no Ctrl+10, so its own key.
    r.declare({"queue.10", N_("Finishable today"), N_("At closing time: open cases that can still be finished today"), "Ctrl+Shift+T",
               Menu::queues, false, false, signed_in});
    // 帮办代办 (store::Queue::assisted): the open cases the signed-in user helps with.
    r.declare({"queue.11", N_("Assisted by me"), N_("The open cases you help with or handle for the applicant"), "Ctrl+Shift+B",
               Menu::queues, false, false, signed_in});
    // 事进人不进 (store::Queue::remote_calls): accepted cases whose remote department has not answered yet.
    r.declare({"queue.12", N_("Awaiting departments"), N_("Cases of departments with no one in the hall: their answer is due within the hour"),
               "Ctrl+Shift+J", Menu::queues, false, false, signed_in});
    // 网上申报 (store::Queue::acceptance_due): received applications awaiting the acceptance decision.
    r.declare({"queue.13", N_("Awaiting acceptance"), N_("Applications received: accept, refuse or send the one-time notice within 5 working days"),
               "Ctrl+Shift+W", Menu::queues, false, false, signed_in});
    // View
    r.declare({"view.large_font", N_("&Large font"), N_("Larger text for the whole desk"), "Ctrl+L", Menu::view, false, false, {}});
    // Help
    r.declare({"help.keys", N_("&Keyboard shortcuts"), N_("Every action and its key"), "F1", Menu::help, false, false, {}});
    r.declare({"help.about", N_("&About OneWindow"), N_("Version and licence"), "", Menu::help, false, false, {}});
    return r;
}

}  // namespace ow::app
