// enquiry new | list | show | handover | reply | case: enquiries, complaints and suggestions at the
// window (首问负责; ow_workflow's open_enquiry …, docs/user-guide.md). Every command takes --store DIR
// --password-file F [--user NAME]; --json prints the enquiry (or the list) as JSON.
// Exit codes: 0 done; 1 refused (not the holder or owner, answered already, not a clerk), the
// reason on stderr and nothing written; 2 bad input or usage.
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/core/date.h"
#include "ow/store/enquiries.h"
#include "ow/workflow/session.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace ow::cli {
namespace {

using nlohmann::json;

json enquiry_json(const store::Enquiry& e, core::Date today) {
    json handovers = json::array();
    for (const auto& h : e.handovers) handovers.push_back({{"from", h.from}, {"to", h.to}, {"note", h.note}, {"at", h.at}});
    const auto due = core::try_parse_date(e.due);
    return {{"id", e.id},
            {"kind", e.kind},
            {"channel", e.channel},
            {"asker_name", e.asker_name},
            {"asker_phone", e.asker_phone},
            {"item", e.item_code},
            {"subject", e.subject},
            {"owner", e.owner},
            {"holder", e.holder},
            {"state", e.state},
            {"due", e.due},
            {"overdue", e.state == "open" && due && *due < today},
            {"reply", e.reply},
            {"replied_by", e.replied_by},
            {"replied_at", e.replied_at},
            {"case_id", e.case_id},
            {"handovers", handovers},
            {"created_at", e.created_at}};
}

void print(const Options& o, const store::Enquiry& e, const std::string& what) {
    if (o.has("--json")) {
        std::cout << enquiry_json(e, core::china_date(core::now())).dump(2) << "\n";
        return;
    }
    std::cout << what << ": " << e.id << " " << e.kind << " " << e.state << " due " << e.due << " held by " << e.holder << "\n";
}

std::string enquiry_id(const Options& o) {
    if (o.positional.size() != 1) throw UsageError{tr("expected the enquiry ID")};
    return o.positional[0];
}

int enquiry_new(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({"--subject", "--kind", "--channel", "--name", "--phone", "--item", "--reply"}),
                                {"--json"});
        if (!o.positional.empty()) throw UsageError{tr("enquiry new takes no positional arguments (the text goes in --subject)")};
        workflow::NewEnquiry e;
        e.subject = o.require("--subject");
        e.kind = o.get("--kind").value_or("enquiry");
        if (e.kind != "enquiry" && e.kind != "complaint" && e.kind != "suggestion")
            throw UsageError{tr("--kind is enquiry, complaint or suggestion")};
        e.channel = o.get("--channel").value_or("window");
        if (e.channel != "window" && e.channel != "phone" && e.channel != "online" && e.channel != "hotline" && e.channel != "letter")
            throw UsageError{tr("--channel is window, phone, online, hotline or letter")};
        e.asker_name = o.get("--name").value_or("");
        e.asker_phone = o.get("--phone").value_or("");
        e.item_code = o.get("--item").value_or("");
        e.reply = o.get("--reply").value_or("");
        auto s = workflow::open_session(open_store(o));
        print(o, s->workflow->open_enquiry(e), e.reply.empty() ? "recorded" : "recorded as answered");
        return kOk;
    });
}

int enquiry_list(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({}), {"--json", "--all", "--mine", "--overdue"});
        if (!o.positional.empty()) throw UsageError{tr("enquiry list takes no positional arguments")};
        auto store = open_store(o);  // read-write: an older store gains the enquiries table
        const auto today = core::china_date(core::now());
        store::EnquiryFilter f;
        f.open_only = !o.has("--all");
        if (o.has("--mine")) f.holder = store->user().name;
        if (o.has("--overdue")) f.overdue_on = today;
        f.limit = 100000;
        auto list = store::Enquiries(store->db()).list(f);
        if (o.has("--json")) {
            json a = json::array();
            for (const auto& e : list) a.push_back(enquiry_json(e, today));
            std::cout << json{{"count", list.size()}, {"enquiries", a}}.dump(2) << "\n";
        } else {
            for (const auto& e : list)
                std::cout << e.id << "\t" << e.due << "\t" << e.kind << "\t" << e.state << "\t" << e.holder << "\t" << e.subject << "\n";
        }
        return kOk;
    });
}

int enquiry_show(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({}), {"--json"});
        const auto id = enquiry_id(o);
        auto store = open_store(o);  // read-write: an older store gains the enquiries table
        auto e = store::Enquiries(store->db()).get(id);
        if (!e) throw core::InvalidData("no enquiry '" + id + "'");
        std::cout << enquiry_json(*e, core::china_date(core::now())).dump(2) << "\n";
        return kOk;
    });
}

int enquiry_handover(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({"--to", "--note"}), {"--json"});
        const auto id = enquiry_id(o);
        auto s = workflow::open_session(open_store(o));
        print(o, s->workflow->hand_over_enquiry(id, o.require("--to"), o.get("--note").value_or("")), "handed over");
        return kOk;
    });
}

int enquiry_reply(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({"--text"}), {"--json"});
        const auto id = enquiry_id(o);
        auto s = workflow::open_session(open_store(o));
        print(o, s->workflow->reply_enquiry(id, o.require("--text")), "replied");
        return kOk;
    });
}

int enquiry_case(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({"--item", "--bundle"}), {"--json"});
        const auto id = enquiry_id(o);
        if (o.get("--item") && o.get("--bundle")) throw UsageError{tr("give --item CODE or --bundle CODE, not both")};
        auto s = workflow::open_session(open_store(o));
        workflow::StartIntake cmd;
        if (auto i = o.get("--item")) cmd.item_code = *i;
        else if (auto b = o.get("--bundle")) cmd.bundle_code = *b;
        else {  // the item the enquiry was about
            auto e = store::Enquiries(s->store->db()).get(id);
            if (!e) throw core::InvalidData("no enquiry '" + id + "'");
            if (e->item_code.empty()) throw UsageError{tr("the enquiry names no item: give --item CODE or --bundle CODE")};
            (s->catalogue.bundle(e->item_code) ? cmd.bundle_code : cmd.item_code) = e->item_code;
        }
        auto r = s->workflow->enquiry_to_case(id, cmd);
        if (o.has("--json")) std::cout << case_json(r.case_data).dump(2) << "\n";
        else std::cout << "became case: " << r.case_data.id.to_string() << " " << r.case_data.receipt_no << "\n";
        return kOk;
    });
}

}  // namespace

void register_enquiry_commands() {
    auto& c = commands();
    const std::string open = "--store DIR --password-file F [--user NAME] [--json]";
    c.push_back({"enquiry", "new",
                 "--subject TEXT [--kind enquiry|complaint|suggestion] [--channel window|phone|online|hotline|letter] [--name N] "
                 "[--phone P] [--item CODE] [--reply TEXT] " + open,
                 TR_N_("record an enquiry, complaint or suggestion (%1: yours to answer within a working day; --reply: answered at once)"),
                 enquiry_new, {"首问"}});
    c.push_back({"enquiry", "list", "[--all] [--mine] [--overdue] " + open, TR_N_("open enquiries by due date (--all: every one, newest first)"),
                 enquiry_list});
    c.push_back({"enquiry", "show", "ID " + open, TR_N_("one enquiry with its handovers and reply (JSON)"), enquiry_show});
    c.push_back({"enquiry", "handover", "ID --to USER [--note TEXT] " + open, TR_N_("hand an open enquiry to a colleague (you stay the first asked)"),
                 enquiry_handover});
    c.push_back({"enquiry", "reply", "ID --text TEXT " + open, TR_N_("answer an open enquiry you hold or own"), enquiry_reply});
    c.push_back({"enquiry", "case", "ID [--item CODE | --bundle CODE] " + open,
                 TR_N_("the enquiry was an application: start the intake (default: the item it was about)"), enquiry_case});
}

}  // namespace ow::cli
