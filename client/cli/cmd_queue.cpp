// `case queue NAME`: a work queue of the store (ow/store/queues.h) — its count and one page of
// cases, as JSON ({"queue", "count", "cases": […]}) or a readable table. `closing` (the
// closing-time list) adds "kind" and "due_at" to each case and "on_duty" (hours.duty) to the object;
// `assisted` (帮办代办, [--helper USER]: one helper's) adds "helper", "assist_mode" and "agent_name".
// `remote-calls` (事进人不进) adds "call_department", "call_due" and "call_overdue" (the alarm);
// `acceptance-due` (网上申报, 接件) adds "accept_due" and "accept_overdue".
// Exit codes: 0 ok (also for an empty queue), 1 store refused (wrong password, damaged store),
// 2 usage (unknown queue name, bad --today/--limit/--offset).
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/core/date.h"
#include "ow/store/queues.h"
#include "ow/store/repositories.h"
#include "ow/store/settings_registry.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace ow::cli {
namespace {

using json = nlohmann::ordered_json;  // keys in the order of the contract

std::string queue_names() {
    std::string names;
    for (auto q : store::kAllQueues) names += (names.empty() ? "" : ", ") + std::string(store::to_code(q));
    for (auto q : {store::Queue::appointments, store::Queue::closing, store::Queue::assisted, store::Queue::remote_calls,
                   store::Queue::acceptance_due})
        names += ", " + std::string(store::to_code(q));
    return names;
}

json row_json(store::Queue q, const store::QueueRow& r, core::Date today) {
    if (q == store::Queue::appointments)
        return {{"appointment_id", r.appointment_id}, {"slot_start", r.slot_start}, {"slot_end", r.slot_end},
                {"status", r.appointment_status}, {"applicant_name", r.applicant_name}, {"item_code", r.item_code},
                {"item_name", r.item_name}, {"case_id", r.case_id}, {"receipt_no", r.receipt_no}, {"state", r.state},
                {"green", r.green}};
    json j = {{"id", r.case_id},
              {"receipt_no", r.receipt_no},
              {"item_code", r.item_code},
              {"item_name", r.item_name},
              {"applicant_name", r.applicant_name},
              {"state", r.state},
              {"due_date", r.due_date},
              {"promised_provisional", r.promised_provisional},
              {"updated_at", r.updated_at},
              {"green", r.green}};
    switch (q) {
        case store::Queue::deferred_due:
            j["material_code"] = r.material_code;
            j["material_name"] = r.material_name;
            j["promised_by"] = r.promised_by;
            break;
        case store::Queue::follow_ups:
            j["rating_level"] = r.rating_level;
            j["rated_at"] = r.rated_at;
            j["follow_up_due"] = r.follow_up_due;
            break;
        case store::Queue::sync_problems: j["sync_code"] = r.sync_code; break;
        case store::Queue::closing:
            j["kind"] = r.kind;
            j["due_at"] = r.due_at;
            break;
        case store::Queue::assisted:
            j["helper"] = r.helper;
            j["assist_mode"] = r.assist_mode;
            j["agent_name"] = r.agent_name;
            break;
        case store::Queue::remote_calls:
            j["call_department"] = r.call_department;
            j["call_due"] = r.call_due;
            j["call_overdue"] = !r.call_due.empty() && core::parse_instant(r.call_due) < core::now();
            break;
        case store::Queue::acceptance_due:
            j["accept_due"] = r.accept_due;
            j["accept_overdue"] = !r.accept_due.empty() && r.accept_due < core::format_date(today);
            break;
        default: break;
    }
    return j;
}

/// What the queue is about, for the table's last column.
std::string about(store::Queue q, const store::QueueRow& r, core::Date today) {
    switch (q) {
        case store::Queue::deferred_due: return r.material_name + " by " + r.promised_by;
        case store::Queue::follow_ups:
            return "rating " + std::to_string(r.rating_level) + (r.follow_up_due.empty() ? "" : ", follow up by " + r.follow_up_due);
        case store::Queue::sync_problems: return r.sync_code;
        case store::Queue::today: return r.updated_at;
        case store::Queue::appointments: return r.appointment_id + " " + r.appointment_status;
        case store::Queue::assisted:
            return r.assist_mode + " by " + r.helper + (r.agent_name.empty() ? "" : ", agent " + r.agent_name);
        case store::Queue::remote_calls:
            return r.call_department + ", answer due " + core::format_china_minute(core::parse_instant(r.call_due)) +
                   (core::parse_instant(r.call_due) < core::now() ? " (OVERDUE)" : "");
        case store::Queue::acceptance_due:
            return "decide acceptance by " + r.accept_due + (r.accept_due < core::format_date(today) ? " (OVERDUE)" : "");
        case store::Queue::closing:
            if (!r.due_at.empty()) return "due " + core::format_china_minute(core::parse_instant(r.due_at));
            if (r.kind == "immediate") return "immediate";
            return r.due_date.empty() ? "" : "due " + r.due_date;
        default: return r.promised_provisional ? "due date provisional" : "";
    }
}

int case_queue(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({"--limit", "--offset", "--today", "--helper"}), {"--json"});
    if (o.positional.size() != 1) throw UsageError{subst(tr("expected one queue NAME: %1"), queue_names())};
    auto queue = store::parse_queue(o.positional[0]);
    if (!queue) throw UsageError{subst(tr("unknown queue '%1'; queues: %2"), o.positional[0], queue_names())};
    const int limit = int(o.number("--limit", 50, 1, 1000));
    const int offset = int(o.number("--offset", 0, 0, 1'000'000'000));
    core::Date today = core::china_date(core::now());
    if (auto t = o.get("--today")) {
        auto d = core::try_parse_date(*t);
        if (!d || core::year_of(*d) < 2000 || core::year_of(*d) > 2099)
            throw UsageError{tr("--today must be a date YYYY-MM-DD in 2000-2099")};
        today = *d;
    }
    auto s = open_store(o);
    auto cal = store::PlatformCalendars(s->db()).calendar();
    store::CaseQueues queues(s->db(), cal);
    if (auto h = o.get("--helper")) {
        if (*queue != store::Queue::assisted) throw UsageError{tr("--helper goes with the assisted queue")};
        queues.set_helper(*h);
    }
    const auto count = queues.count(*queue, today);
    const auto rows = queues.page(*queue, today, limit, offset);
    // The closing-time list names who is on duty today (hours.duty), to finish the cases with.
    std::vector<std::string> on_duty;
    if (*queue == store::Queue::closing) on_duty = store::on_duty(store::parse_roster(store::SettingValues(*s).get("hours.duty")), today);
    if (o.has("--json")) {
        json cases = json::array();
        for (const auto& r : rows) cases.push_back(row_json(*queue, r, today));
        json out{{"queue", store::to_code(*queue)}, {"count", count}, {*queue == store::Queue::appointments ? "appointments" : "cases", cases}};
        if (*queue == store::Queue::closing) out["on_duty"] = on_duty;
        std::cout << out.dump() << "\n";
        return kOk;
    }
    if (*queue == store::Queue::closing && !on_duty.empty()) {
        std::string names;
        for (const auto& n : on_duty) names += (names.empty() ? "" : ", ") + n;
        std::cout << "on duty: " << names << "\n";
    }
    std::cout << store::to_code(*queue) << " on " << core::format_date(today) << ": " << count << " case"
              << (count == 1 ? "" : "s");
    if (!rows.empty()) std::cout << " (" << offset + 1 << "-" << offset + int(rows.size()) << " shown)";
    std::cout << "\n";
    if (*queue == store::Queue::appointments) {
        for (const auto& r : rows)
            std::cout << r.slot_start << "-" << r.slot_end << "  " << std::left << std::setw(10) << r.appointment_status << " "
                      << r.applicant_name << "  " << r.item_name << "  [" << r.appointment_id << (r.case_id.empty() ? "" : " → " + r.receipt_no)
                      << "]\n";
        return kOk;
    }
    for (const auto& r : rows)
        std::cout << (r.green ? "[green] " : "") << std::left << std::setw(26) << r.receipt_no << " " << std::setw(20) << r.state << " " << std::setw(10)
                  << (r.due_date.empty() ? "-" : r.due_date) << "  " << r.applicant_name << "  " << r.item_name
                  << (about(*queue, r, today).empty() ? "" : "  [" + about(*queue, r, today) + "]") << "\n";
    return kOk;
}

}  // namespace

void register_queue_commands() {
    commands().push_back({"case", "queue",
                          "NAME --store DIR --password-file F [--user NAME] [--json] [--limit N] [--offset N] [--today YYYY-MM-DD] [--helper USER]",
                          TR_N_("a work queue's count and a page of its cases (NAME: today, due-soon, overdue, awaiting-correction, "
                          "deferred-due, awaiting-decision, to-issue, follow-ups, sync-problems; green-channel cases first; appointments: "
                          "the day's appointments by slot; closing: the open cases that can still be finished today, and who is on duty; "
                          "assisted: the open cases a helper assists (%1), of one helper with --helper; remote-calls: the remote "
                          "departments called and not yet answered (%2); acceptance-due: the applications received and awaiting the "
                          "acceptance decision, by its due date (%3))"),
                          run_guarded<case_queue>, {"帮办代办", "事进人不进", "接件"}});
}

}  // namespace ow::cli
