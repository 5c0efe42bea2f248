// The acts at the window as commands (ow_workflow): case new | applicant | answer | material |
// accept | correct | refuse | pause | resume | submit | decide | issue | rate | follow-up | documents.
// Every act takes --store DIR --password-file F [--user NAME], --json (print the case as
// `case show --json` does) and -o FILE (also write the act's notice PDF there).
// Exit codes (the issue's contract): 0 done, 1 refused (the reason on stderr, nothing written),
// 2 bad input or usage.
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/core/catalog.h"
#include "ow/core/json_reader.h"
#include "ow/core/paths.h"
#include "ow/forms/definition.h"
#include "ow/notices/renderer.h"
#include "ow/workflow/session.h"
#include "ow/store/applications.h"
#include "ow/store/repositories.h"
#include "ow/sync/client.h"
#include "ow/workflow/workflow.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

namespace ow::cli {
namespace {

using nlohmann::json;

using Session = workflow::Session;

/// Everything an act needs, opened from the command's options.
std::unique_ptr<Session> open_session(const Options& o, bool e_licences = false) {
    auto store = open_store(o);
    workflow::Environment env;
    env.envelope = default_envelope();
    if (e_licences) {
        auto cfg = store::Settings(store->db()).platform();
        if (!cfg) throw workflow::InvalidInput(tr("--e-licences needs a connected platform (platform connect)"));
        env.e_licences = [cfg = *cfg](core::DocumentType type, const std::string& number) {
            sync::PlatformClient client(cfg);
            std::vector<std::string> names;
            for (const auto& l : client.elicences(core::document_type_info(type).code, number))
                if (l.status == "valid") names.push_back(l.name);
            return names;
        };
    }
    // 信即办 asks the platform's credit service at the act (nothing else does).
    if (auto cfg = store::Settings(store->db()).platform()) {
        env.credit = [cfg = *cfg](core::DocumentType type, const std::string& number) {
            sync::PlatformClient client(cfg);
            auto r = client.credit(core::document_type_info(type).code, number);
            return workflow::CreditAnswer{r.standing, r.source, r.report_no, core::parse_instant(r.checked_at)};
        };
    }
    auto s = workflow::open_session(std::move(store), std::move(env));
    // The catalogue the platform sent (the shipped one until the first sync).
    if (!s->catalogue_problem.empty()) std::cerr << "onewindow-cli: " << subst(tr("warning: %1"), tr(s->catalogue_problem.c_str())) << "\n";
    return s;
}

const std::set<std::string> kActFlags{"--json"};

std::set<std::string> act_options(std::set<std::string> extra) {
    extra.insert("-o");
    return with_open_options(std::move(extra));
}

core::Uuid case_id(const Options& o, std::size_t positional = 1) {
    if (o.positional.size() != positional) throw UsageError{positional > 1 ? tr("expected the case ID and more (see --help)") : tr("expected the case ID")};
    auto id = core::Uuid::parse(o.positional[0]);
    if (!id) throw UsageError{subst(tr("not a case ID: %1"), o.positional[0])};
    return *id;
}

/// Prints the outcome; writes the notice with -o (atomically, 0600).
int report(const Options& o, const workflow::ActResult& r, const std::string& what) {
    if (auto out = o.get("-o")) {
        if (!r.document) {
            std::cerr << "onewindow-cli: " << subst(tr("%1 makes no notice; nothing written to %2"), tr(what.c_str()), *out) << "\n";
        } else {
            notices::write_file_atomically(*out, r.document->pdf);
            std::cerr << "onewindow-cli: " << subst(r.document->sealed ? tr("wrote %1 (%2, sealed)") : tr("wrote %1 (%2)"), *out, r.document->title) << "\n";
        }
    }
    for (const auto& n : r.notes) std::cerr << "onewindow-cli: " << tr(n.c_str()) << "\n";
    if (o.has("--json")) {
        std::cout << case_json(r.case_data).dump(2) << "\n";
    } else {
        const auto& c = r.case_data;
        std::cout << what << ": " << c.id.to_string() << " " << c.receipt_no << " " << core::to_code(c.state);
        if (c.due_date) std::cout << " due " << core::format_date(*c.due_date) << (c.promised_provisional ? " (provisional)" : "");
        if (r.document) std::cout << " notice " << r.document->kind << (r.document->sealed ? " (sealed)" : "");
        std::cout << "\n";
    }
    return kOk;
}

/// "A,B,,C" as {"A", "B", "C"} (empty parts dropped).
std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find(',', start);
        if (end == std::string::npos) end = s.size();
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

/// --missing A,B and --defective C:WHAT,D:WHAT as correction items.
std::vector<workflow::Correction::Item> correction_items(const Options& o) {
    std::vector<workflow::Correction::Item> items;
    if (auto m = o.get("--missing"))
        for (const auto& code : split_list(*m)) items.push_back({code, false, ""});
    if (auto d = o.get("--defective"))
        for (const auto& item : split_list(*d)) {
            auto colon = item.find(':');
            items.push_back({item.substr(0, colon), true, colon == std::string::npos ? "" : item.substr(colon + 1)});
        }
    return items;
}

int case_new(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--item", "--bundle"}), kActFlags);
        if (!o.positional.empty()) throw UsageError{tr("case new takes no positional arguments")};
        workflow::StartIntake cmd{o.get("--item").value_or(""), o.get("--bundle").value_or("")};
        if (cmd.item_code.empty() == cmd.bundle_code.empty()) throw UsageError{tr("give --item CODE or --bundle CODE")};
        auto s = open_session(o);
        return report(o, s->workflow->start_intake(cmd), TR_N_("started"));
    });
}

/// --doc-type CODE (GB/T 39046), else a resident ID.
core::DocumentType doc_type_option(const Options& o) {
    auto t = o.get("--doc-type");
    if (!t) return core::DocumentType::resident_id;
    auto type = core::document_type_from_code(int(o.number("--doc-type", 111, 1, 999)));
    if (!type) throw UsageError{subst(tr("unknown --doc-type %1 (GB/T 39046 codes: 111 resident ID, 414 passport %2)"), *t, "…")};
    return *type;
}

int case_applicant(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--id-number", "--id-number-file", "--name", "--phone", "--address", "--uscc",
                                                   "--org-name", "--legal-rep", "--doc-type"}),
                                {"--json", "--e-licences"});
        auto id = case_id(o);
        workflow::SetApplicant cmd;
        if (o.get("--uscc")) {
            if (o.get("--id-number") || o.get("--id-number-file")) throw UsageError{tr("a person (--id-number) or an organisation (--uscc), not both")};
            cmd.kind = core::ApplicantKind::organisation;
            cmd.doc_number = *o.get("--uscc");
            cmd.name = o.get("--org-name").value_or("");
            cmd.legal_representative = o.get("--legal-rep").value_or("");
        } else {
            // --id-number-file F|-: the number stays out of argv and the shell history.
            if (auto f = o.get("--id-number-file")) cmd.doc_number = read_input_line(*f, "ID number");
            else if (auto n = o.get("--id-number")) cmd.doc_number = *n;
            else throw UsageError{tr("give --id-number N (or --id-number-file F) --name NAME, or --uscc C --org-name N")};
            cmd.name = o.get("--name").value_or("");
            cmd.doc_type = doc_type_option(o);
        }
        cmd.phone = o.get("--phone").value_or("");
        cmd.address = o.get("--address").value_or("");
        auto s = open_session(o, o.has("--e-licences"));
        return report(o, s->workflow->set_applicant(id, cmd), TR_N_("applicant set"));
    });
}

int case_answer(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({}), kActFlags);
        if (o.positional.size() != 2) throw UsageError{tr("expected the case ID and ANSWERS.json")};
        auto id = core::Uuid::parse(o.positional[0]);
        if (!id) throw UsageError{subst(tr("not a case ID: %1"), o.positional[0])};
        json answers = core::read_json_file(o.positional[1]);
        auto s = open_session(o);
        return report(o, s->workflow->answer(*id, answers), TR_N_("answered"));
    });
}

int case_material(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--status", "--file", "--until", "--note", "--text", "--tracking-no", "--carrier"}), kActFlags);
        if (o.positional.size() != 2) throw UsageError{tr("expected the case ID and the MATERIAL_CODE")};
        auto id = core::Uuid::parse(o.positional[0]);
        if (!id) throw UsageError{subst(tr("not a case ID: %1"), o.positional[0])};
        workflow::RecordMaterial cmd;
        cmd.material_code = o.positional[1];
        auto status = workflow::parse_recordable_status(o.require("--status"));
        if (!status)
            throw UsageError{tr("--status is original, copy, scanned, e_licence, deferred, commitment or not_applicable")};
        cmd.status = *status;
        if (auto f = o.get("--file")) cmd.file = *f;
        if (auto u = o.get("--until")) {
            cmd.until = core::try_parse_date(*u);
            if (!cmd.until) throw UsageError{tr("--until is a date, YYYY-MM-DD")};
        }
        cmd.note = o.get("--note").value_or("");
        cmd.commitment_text = o.get("--text").value_or("");
        cmd.tracking_no = o.get("--tracking-no").value_or("");
        cmd.carrier = o.get("--carrier").value_or("");
        if (!cmd.carrier.empty() && cmd.tracking_no.empty()) throw UsageError{tr("--carrier goes with --tracking-no (a material received by post)")};
        auto s = open_session(o);
        return report(o, s->workflow->record_material(*id, cmd), TR_N_("material recorded"));
    });
}

int case_accept(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({}), kActFlags);
        auto id = case_id(o);
        auto s = open_session(o);
        return report(o, s->workflow->accept(id), TR_N_("accepted"));
    });
}

int case_receive(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({}), kActFlags);
        auto id = case_id(o);
        auto s = open_session(o);
        return report(o, s->workflow->receive(id), TR_N_("received"));
    });
}

/// --match A,B and --mismatch C:WHAT,D:WHAT as the originals compared (none: every upload waiting, matching).
int case_originals(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--match", "--mismatch"}), kActFlags);
        auto id = case_id(o);
        workflow::OriginalsCheck cmd;
        if (auto m = o.get("--match"))
            for (const auto& code : split_list(*m)) cmd.materials.push_back({code, true, ""});
        if (auto m = o.get("--mismatch"))
            for (const auto& x : split_list(*m)) {
                auto colon = x.find(':');
                if (colon == std::string::npos || colon == 0 || colon + 1 == x.size())
                    throw UsageError{tr("--mismatch wants CODE:WHAT (what differs from the upload)")};
                cmd.materials.push_back({x.substr(0, colon), false, x.substr(colon + 1)});
            }
        auto s = open_session(o);
        return report(o, s->workflow->verify_originals(id, cmd), TR_N_("originals verified"));
    });
}

int case_urge(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--to", "--reason"}), kActFlags);
        auto id = case_id(o);
        workflow::Urging cmd{o.get("--to").value_or(""), o.get("--reason").value_or("")};
        auto s = open_session(o);
        return report(o, s->workflow->urge(id, cmd), TR_N_("urged"));
    });
}

json application_json(const store::OnlineApplication& a) {
    json j = store::to_json(a);
    j.erase("answers");
    return j;
}

int online_list(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({}), {"--json", "--all"});
        if (!o.positional.empty()) throw UsageError{tr("online list takes no arguments")};
        auto store = open_store(o);
        store::Applications book(store->db());
        const auto inbox = book.inbox();
        if (o.has("--json")) {
            json list = json::array();
            for (const auto& a : inbox) list.push_back(application_json(a));
            std::cout << json{{"count", book.inbox_count()}, {"applications", list}}.dump() << "\n";
            return kOk;
        }
        if (inbox.empty()) std::cout << tr("the online inbox is empty (sync pulls applications from the platform)") << "\n";
        for (const auto& a : inbox)
            std::cout << a.id << "  " << core::format_china_minute(core::parse_instant(a.submitted_at)) << "  " << a.applicant_name << "  "
                      << a.item_name << "  " << a.uploads.size() << " " << tr("uploads") << "\n";
        return kOk;
    });
}

int online_show(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({}), {"--json"});
        if (o.positional.size() != 1) throw UsageError{tr("expected the APPLICATION_ID")};
        auto store = open_store(o);
        auto a = store::Applications(store->db()).get(o.positional[0]);
        if (!a) throw workflow::InvalidInput(subst(tr("no online application '%1' (sync pulls them from the platform)"), o.positional[0]));
        std::cout << store::to_json(*a).dump(o.has("--json") ? -1 : 2) << "\n";
        return kOk;
    });
}

int online_take(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({}), kActFlags);
        if (o.positional.size() != 1) throw UsageError{tr("expected the APPLICATION_ID")};
        auto s = open_session(o);
        return report(o, s->workflow->take_application(o.positional[0]), TR_N_("taken for pre-check"));
    });
}

int case_correct(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--missing", "--defective", "--reason", "--days"}), kActFlags);
        auto id = case_id(o);
        workflow::Correction cmd;
        // --missing A,B and --defective C:what is wrong — default: everything that blocks acceptance.
        cmd.materials = correction_items(o);
        cmd.reason = o.get("--reason").value_or("");
        cmd.correction_days = int(o.number("--days", 5, 1, 60));
        auto s = open_session(o);
        return report(o, s->workflow->request_correction(id, cmd), TR_N_("correction requested"));
    });
}

int case_refuse(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--reason", "--basis"}), kActFlags);
        auto id = case_id(o);
        workflow::Refusal cmd{o.require("--reason"), o.require("--basis")};
        auto s = open_session(o);
        return report(o, s->workflow->refuse(id, cmd), TR_N_("refused"));
    });
}

int case_pause(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--reason", "--kind"}), kActFlags);
        auto id = case_id(o);
        workflow::Pause cmd;
        cmd.reason = o.require("--reason");
        std::string kind = o.get("--kind").value_or("other");
        bool known = false;
        for (auto k : {core::SpecialProcedureKind::extension, core::SpecialProcedureKind::hearing, core::SpecialProcedureKind::inspection,
                       core::SpecialProcedureKind::appraisal, core::SpecialProcedureKind::expert_review, core::SpecialProcedureKind::other})
            if (core::to_code(k) == kind) {
                cmd.kind = k;
                known = true;
            }
        if (!known) throw UsageError{tr("--kind is extension, hearing, inspection, appraisal, expert_review or other")};
        auto s = open_session(o);
        return report(o, s->workflow->pause(id, cmd), TR_N_("clock paused"));
    });
}

int case_resume(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--result"}), kActFlags);
        auto id = case_id(o);
        auto s = open_session(o);
        return report(o, s->workflow->resume(id, o.get("--result").value_or("")), TR_N_("clock resumed"));
    });
}

int case_submit(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({}), kActFlags);
        auto id = case_id(o);
        auto s = open_session(o);
        return report(o, s->workflow->submit(id), TR_N_("submitted for decision"));
    });
}

int case_decide(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--decision", "--opinion", "--basis", "--acting-for", "--item", "--to", "--missing", "--defective",
                                                   "--pin-file"}),
                                kActFlags);
        auto id = case_id(o);
        workflow::Decide cmd;
        auto v = workflow::parse_verdict(o.require("--decision"));
        if (!v) throw UsageError{tr("--decision is approve, deny, return or escalate")};
        cmd.verdict = *v;
        cmd.opinion = o.require("--opinion");
        cmd.legal_basis = o.get("--basis").value_or("");
        cmd.acting_for = o.get("--acting-for").value_or("");
        cmd.item = o.get("--item").value_or("");
        cmd.escalate_to = o.get("--to").value_or("");
        cmd.correct = correction_items(o);
        if (!cmd.correct.empty() && cmd.verdict != workflow::Verdict::return_for_correction)
            throw UsageError{tr("--missing / --defective go with --decision return")};
        // The seal's PIN (needed for a seal on a PKCS#11 token; a PKCS#12 seal opens with its
        // stored PIN without it): one line of the file, or of stdin with --pin-file -.
        struct Wipe {
            std::string& s;
            ~Wipe() { std::fill(s.begin(), s.end(), '\0'); }
        } wipe{cmd.seal_pin};
        if (auto f = o.get("--pin-file")) {
            if (*f == "-" && o.get("--password-file").value_or("-") == "-")
                throw UsageError{tr("stdin can carry the password or the PIN, not both: give --password-file F")};
            cmd.seal_pin = read_input_line(*f, "PIN");
        }
        auto s = open_session(o);
        return report(o, s->workflow->decide(id, cmd), TR_N_("decided"));
    });
}

int case_issue(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--signature", "--address", "--carrier", "--tracking", "--recipient"}),
                                {"--json", "--pickup", "--mail"});
        auto id = case_id(o);
        if (o.has("--pickup") == o.has("--mail")) throw UsageError{tr("give --pickup or --mail")};
        workflow::IssueResult cmd;
        cmd.recipient = o.get("--recipient").value_or("");
        if (o.has("--mail")) {
            cmd.mode = core::ResultHandover::Mode::mail;
            cmd.address = o.require("--address");
            cmd.carrier = o.require("--carrier");
            cmd.tracking_no = o.require("--tracking");
        } else if (auto sig = o.get("--signature")) {
            cmd.signature_png = *sig;
        }
        auto s = open_session(o);
        return report(o, s->workflow->issue(id, cmd), TR_N_("result issued"));
    });
}

int case_rate(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--level", "--reason", "--text", "--hotline-ticket", "--channel", "--follow-up-days"}),
                                kActFlags);
        auto id = case_id(o);
        workflow::Rate cmd;
        auto level = o.require("--level");
        if (level.size() != 1 || level[0] < '1' || level[0] > '5') throw UsageError{subst(tr("--level is 1 (%1) %2 5 (%3)"), "非常不满意", "…", "非常满意")};
        cmd.level = level[0] - '0';
        cmd.reason = o.get("--reason").value_or("");
        cmd.text = o.get("--text").value_or("");
        cmd.hotline_ticket = o.get("--hotline-ticket").value_or("");
        cmd.channel = o.get("--channel").value_or("window_device");
        cmd.follow_up_days = int(o.number("--follow-up-days", 5, 1, 30));
        auto s = open_session(o);
        return report(o, s->workflow->rate(id, cmd), TR_N_("rated"));
    });
}

int case_follow_up(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--note"}), {"--json", "--close"});
        auto id = case_id(o);
        if (!o.has("--close")) throw UsageError{tr("case follow-up ID --close --note TEXT")};
        auto s = open_session(o);
        return report(o, s->workflow->close_follow_up(id, o.require("--note")), TR_N_("follow-up closed"));
    });
}

int case_documents(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({"--write-dir"}), {"--json"});
        auto id = case_id(o);
        auto s = open_session(o);
        auto docs = s->workflow->documents(id, o.get("--write-dir").has_value());
        json out = json::array();
        int n = 0;
        for (const auto& d : docs) {
            json j = {{"kind", d.kind}, {"title", d.title}, {"sha256", d.sha256}, {"sealed", d.sealed}};
            if (auto dir = o.get("--write-dir")) {
                auto path = std::filesystem::path(*dir) / (std::to_string(++n) + "-" + d.kind + ".pdf");
                notices::write_file_atomically(path, d.pdf);
                j["file"] = path.string();
            }
            out.push_back(std::move(j));
        }
        std::cout << out.dump(o.has("--json") ? -1 : 2) << "\n";
        return kOk;
    });
}

/// --green elderly,disabled,key_project as flags (each once).
std::vector<core::GreenFlag> green_flags(const std::string& list) {
    std::vector<core::GreenFlag> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        std::string code = list.substr(start, end - start);
        auto f = core::parse_green_flag(code);
        if (!f) throw UsageError{subst(tr("--green is elderly, disabled or key_project (comma-separated), not '%1'"), code)};
        if (std::find(out.begin(), out.end(), *f) == out.end()) out.push_back(*f);
        start = end + 1;
    }
    return out;
}

int case_check_in(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--green"}), kActFlags);
        if (o.positional.size() != 1) throw UsageError{tr("expected the APPOINTMENT_ID")};
        workflow::CheckIn cmd{o.positional[0], {}};
        if (auto g = o.get("--green")) cmd.green = green_flags(*g);
        auto s = open_session(o);
        return report(o, s->workflow->check_in(cmd), TR_N_("checked in"));
    });
}

int case_no_show(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({}), {"--json"});
        if (o.positional.size() != 1) throw UsageError{tr("expected the APPOINTMENT_ID")};
        auto s = open_session(o);
        auto a = s->workflow->mark_no_show(o.positional[0]);
        if (o.has("--json"))
            std::cout << json{{"appointment_id", a.id}, {"status", a.status}, {"status_at", a.status_at}, {"report_state", a.report_state}}.dump()
                      << "\n";
        else
            std::cout << "no-show: " << a.id << " " << a.day << " " << a.slot_start << "-" << a.slot_end << "\n";
        return kOk;
    });
}

int case_flag(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--green"}), {"--json", "--off"});
        auto id = case_id(o);
        auto flag = core::parse_green_flag(o.require("--green"));
        if (!flag) throw UsageError{tr("--green is elderly, disabled, key_project, ill or pregnant")};
        auto s = open_session(o);
        return report(o, s->workflow->flag_green(id, *flag, !o.has("--off")), o.has("--off") ? TR_N_("green flag cleared") : TR_N_("green flag set"));
    });
}

int case_agent(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--name", "--id-number", "--id-number-file", "--doc-type", "--phone", "--relation"}),
                                {"--json", "--clear"});
        auto id = case_id(o);
        workflow::SetAgent cmd;
        if (o.has("--clear")) {
            if (o.get("--name") || o.get("--id-number") || o.get("--id-number-file"))
                throw UsageError{tr("--clear takes no agent (--name, --id-number)")};
        } else {
            cmd.name = o.require("--name");
            if (auto f = o.get("--id-number-file")) cmd.doc_number = read_input_line(*f, "ID number");
            else cmd.doc_number = o.require("--id-number");
            cmd.doc_type = doc_type_option(o);
            cmd.phone = o.get("--phone").value_or("");
            cmd.relation = o.get("--relation").value_or("");
        }
        auto s = open_session(o);
        return report(o, s->workflow->set_agent(id, cmd), o.has("--clear") ? TR_N_("agent cleared") : TR_N_("agent recorded"));
    });
}

int case_assist(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--mode", "--helper", "--note"}), {"--json", "--end"});
        auto id = case_id(o);
        workflow::Assist cmd;
        if (o.has("--end")) {
            if (o.get("--mode") || o.get("--helper")) throw UsageError{tr("--end takes no --mode or --helper")};
        } else {
            cmd.mode = core::parse_assist_mode(o.get("--mode").value_or("help"));
            if (!cmd.mode) throw UsageError{tr("--mode is help, agency or contact")};
            cmd.helper = o.get("--helper").value_or("");
            cmd.note = o.get("--note").value_or("");
        }
        auto s = open_session(o);
        return report(o, s->workflow->assist(id, cmd), o.has("--end") ? TR_N_("help ended") : TR_N_("helper assigned"));
    });
}

int case_commit(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--text"}), {"--json", "--item", "--credit"});
        auto id = case_id(o);
        if (o.has("--item") == o.has("--credit")) throw UsageError{tr("give one of --item (on the item's conditions) or --credit (on good credit standing)")};
        workflow::RecordCommitment cmd;
        cmd.kind = o.has("--credit") ? workflow::RecordCommitment::Kind::credit : workflow::RecordCommitment::Kind::item;
        cmd.text = o.get("--text").value_or("");
        auto s = open_session(o);
        return report(o, s->workflow->record_commitment(id, cmd), TR_N_("commitment recorded"));
    });
}

int case_verify(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--commitment", "--material", "--result", "--outcome", "--finding"}), kActFlags);
        auto id = case_id(o);
        workflow::VerifyFollowUp cmd;
        if (o.get("--commitment").has_value() == o.get("--material").has_value())
            throw UsageError{tr("give one of --commitment N or --material CODE")};
        if (o.get("--commitment")) cmd.commitment = int(o.number("--commitment", 0, 1, 1000));
        cmd.material_code = o.get("--material").value_or("");
        const std::string result = o.require("--result");
        if (result == "fulfilled") cmd.result = core::FollowUpResult::fulfilled;
        else if (result == "breached") cmd.result = core::FollowUpResult::breached;
        else throw UsageError{tr("--result is fulfilled or breached")};
        if (auto out = o.get("--outcome")) {
            if (*out == "revoked") cmd.outcome = core::BreachOutcome::revoked;
            else if (*out == "referred") cmd.outcome = core::BreachOutcome::referred;
            else throw UsageError{tr("--outcome is revoked or referred")};
        }
        cmd.finding = o.require("--finding");
        auto s = open_session(o);
        return report(o, s->workflow->verify_follow_up(id, cmd), TR_N_("follow-up recorded"));
    });
}

int case_send_remote(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({}), kActFlags);
        auto id = case_id(o);
        auto s = open_session(o);
        return report(o, s->workflow->send_cross_region(id), TR_N_("sent to the other region"));
    });
}

std::string fee_option(const Options& o) { return o.get("--fee").value_or(""); }

int case_pay(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--fee", "--item", "--amount", "--method", "--payment-no", "--bill-no", "--payer", "--reason"}),
                                kActFlags);
        auto id = case_id(o);
        workflow::Payment cmd;
        cmd.fee = fee_option(o);
        cmd.item_code = o.get("--item").value_or("");
        if (auto a = o.get("--amount")) {
            cmd.amount_fen = core::parse_yuan(*a);
            if (!cmd.amount_fen) throw UsageError{subst(tr("--amount is yuan with at most two decimals (e.g. 80 or 12.50), not '%1'"), *a)};
        }
        auto method = core::parse_payment_method(o.get("--method").value_or("cash"));
        if (!method) throw UsageError{tr("--method is cash, bank_card, wechat, alipay, unionpay, transfer, online or other")};
        cmd.method = *method;
        cmd.payment_no = o.get("--payment-no").value_or("");
        cmd.bill_no = o.get("--bill-no").value_or("");
        cmd.payer = o.get("--payer").value_or("");
        cmd.reason = o.get("--reason").value_or("");
        auto s = open_session(o);
        return report(o, s->workflow->pay_fee(id, cmd), TR_N_("fee paid"));
    });
}

int case_waive(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, act_options({"--fee", "--item", "--reason", "--basis"}), kActFlags);
        auto id = case_id(o);
        workflow::FeeWaiver cmd{fee_option(o), o.get("--item").value_or(""), o.require("--reason"), o.get("--basis").value_or("")};
        auto s = open_session(o);
        return report(o, s->workflow->waive_fee(id, cmd), TR_N_("fee waived"));
    });
}

int case_fees(const std::vector<std::string>& args) {
    return act([&] {
        auto o = Options::parse(args, with_open_options({}), {"--json"});
        auto id = case_id(o);
        auto s = open_session(o);
        const core::Case c = s->workflow->load(id);
        std::int64_t total = 0, paid = 0, waived = 0;
        for (const auto& f : c.fees) {
            total += f.amount_fen;
            if (f.status == core::FeeStatus::paid) paid += f.paid_fen;
            if (f.status == core::FeeStatus::waived) waived += f.amount_fen;
        }
        const json fees = core::to_json(c).value("fees", json::array());  // the case's own shape
        if (o.has("--json")) {
            std::cout << json{{"case_id", c.id.to_string()}, {"receipt_no", c.receipt_no}, {"total_fen", total}, {"paid_fen", paid},
                              {"waived_fen", waived}, {"due_fen", c.fees_due_fen()}, {"fees", fees}}
                             .dump(2)
                      << "\n";
            return kOk;
        }
        if (c.fees.empty()) {
            std::cout << c.receipt_no << ": " << tr("free of charge") << "\n";
            return kOk;
        }
        for (const auto& f : c.fees) {
            std::cout << core::to_code(f.status) << "\t" << core::format_yuan(f.amount_fen) << "\t" << f.name;
            if (f.status == core::FeeStatus::paid)
                std::cout << "\t" << core::format_yuan(f.paid_fen) << " " << core::to_code(f.method) << (f.payment_no.empty() ? "" : " " + f.payment_no);
            if (f.status == core::FeeStatus::waived) std::cout << "\t" << f.reason;
            std::cout << "\n";
        }
        std::cout << subst(tr("total %1, paid %2, waived %3, due %4 (yuan)"), core::format_yuan(total), core::format_yuan(paid),
                           core::format_yuan(waived), core::format_yuan(c.fees_due_fen()))
                  << "\n";
        return kOk;
    });
}

}  // namespace

notices::NoticeEnvelope default_envelope() { return workflow::default_envelope(); }

void register_case_commands() {
    auto& c = commands();
    const std::string common = "--store DIR --password-file F [--user NAME] [--json] [-o NOTICE.pdf]";
    c.push_back({"case", "new", "(--item CODE | --bundle CODE) " + common, TR_N_("start an intake (a draft that survives a crash)"), case_new});
    c.push_back({"case", "applicant",
                 "ID (--id-number N | --id-number-file F) [--name NAME] [--phone P] [--address A] | --uscc C [--org-name N] "
                 "[--legal-rep R]) [--e-licences] " + common,
                 TR_N_("identify the applicant (a returning applicant is prefilled; --e-licences marks materials the platform holds)"),
                 case_applicant});
    c.push_back({"case", "answer", "ID ANSWERS.json " + common, TR_N_("answer the form (as `forms check` takes answers); the checklist follows"),
                 case_answer});
    c.push_back({"case", "material",
                 "ID MATERIAL_CODE --status original|copy|scanned|e_licence|deferred|commitment|not_applicable [--file SCAN] "
                 "[--until YYYY-MM-DD] [--note T] [--text COMMITMENT] [--tracking-no N [--carrier C]] " + common,
                 TR_N_("record a material (scanned: the file is kept encrypted; deferred %1: until a date; commitment %2; "
                       "--tracking-no: received by post)"),
                 case_material, {"容缺", "告知承诺"}});
    c.push_back({"case", "accept", "ID " + common, TR_N_("accept the application (%1; refused while materials are missing)"), case_accept, {"受理"}});
    c.push_back({"case", "correct", "ID [--missing A,B] [--defective C:WHAT] [--reason T] [--days N] " + common,
                 TR_N_("one-time notice (%1) listing exactly what is missing (default: everything that blocks acceptance)"),
                 case_correct, {"一次性告知"}});
    c.push_back({"case", "refuse", "ID --reason T --basis T " + common, TR_N_("refuse the application (%1) with the legal basis"), case_refuse, {"不予受理"}});
    c.push_back({"case", "pause", "ID --reason T [--kind extension|hearing|inspection|appraisal|expert_review|other] " + common,
                 TR_N_("stop the clock for a special procedure (chief representatives)"), case_pause});
    c.push_back({"case", "resume", "ID [--result T] " + common, TR_N_("end the special procedure; the promised date moves"), case_resume});
    c.push_back({"case", "submit", "ID " + common, TR_N_("hand an accepted case to the chief representative for decision"), case_submit});
    c.push_back({"case", "decide",
                 "ID --decision approve|deny|return|escalate --opinion T [--basis T] [--acting-for USER] [--item CODE] [--to BODY] "
                     "[--missing A,B --defective C:WHAT (return)] [--pin-file P|-] " +
                     common,
                 TR_N_("decide (chief representative on post A, or B acting for an absent A); approve/deny make the sealed decision "
                 "(--pin-file: the seal's PIN, required for a seal on a PKCS#11 token; a wrong PIN is refused, exit 1, nothing written)"),
                 case_decide});
    c.push_back({"case", "issue", "ID (--pickup [--signature PNG] | --mail --address T --carrier C --tracking N) [--recipient NAME] " + common,
                 TR_N_("hand out the result (%1) at the window or by mail"), case_issue, {"出件"}});
    c.push_back({"case", "pay",
                 "ID [--fee NAME] [--item CODE] [--amount YUAN] [--method cash|bank_card|wechat|alipay|unionpay|transfer|online|other] "
                 "[--payment-no N] [--bill-no N] [--payer NAME] [--reason T] " + common,
                 TR_N_("record a fee paid (%1; default: the only fee due, its catalogue amount, cash) and print the receipt; "
                       "card, QR, transfer and online payments need --payment-no"),
                 case_pay, {"收费"}});
    c.push_back({"case", "waive", "ID [--fee NAME] [--item CODE] --reason T [--basis T] " + common,
                 TR_N_("waive a fee (%1) with the reason (chief representatives)"), case_waive, {"减免"}});
    c.push_back({"case", "fees", "ID --store DIR --password-file F [--user NAME] [--json]",
                 TR_N_("the case's fees and how each stands: due, paid or waived"), case_fees});
    c.push_back({"case", "rate",
                 "ID --level 1..5 [--reason slow|attitude|unclear|repeat_visits|other --text T] [--hotline-ticket N] " + common,
                 TR_N_("the applicant's rating (5 %1 %2 1 %3); 1%42 open a follow-up"), case_rate, {"非常满意", "…", "非常不满意", "–"}});
    c.push_back({"case", "follow-up", "ID --close --note T " + common, TR_N_("close a bad rating's follow-up"), case_follow_up});
    c.push_back({"case", "check-in", "APPOINTMENT_ID [--green elderly,disabled,key_project] " + common,
                 TR_N_("check an arriving applicant in (%1): a draft for the booked item, the applicant prefilled, the appointment "
                 "marked arrived (reported at the next sync); today's appointments only"),
                 case_check_in, {"预约到号"}});
    c.push_back({"case", "no-show", "APPOINTMENT_ID --store DIR --password-file F [--user NAME] [--json]",
                 TR_N_("mark a booked appointment a no-show once its slot is over (reported at the next sync)"), case_no_show});
    c.push_back({"case", "agent",
                 "ID (--name NAME (--id-number N | --id-number-file F) [--doc-type CODE] [--phone P] [--relation R] | --clear) " + common,
                 TR_N_("record the applicant's agent (%1): the power of attorney and the agent's ID become materials of the case"),
                 case_agent, {"代理人"}});
    c.push_back({"case", "assist", "ID ([--mode help|agency|contact] [--helper USER] [--note T] | --end) " + common,
                 TR_N_("assign a helper to the case (%1: help, agency, an enterprise's contact clerk; default: yourself), or end the help"),
                 case_assist, {"帮办代办"}});
    c.push_back({"case", "flag", "ID --green elderly|disabled|key_project|ill|pregnant [--off] " + common,
                 TR_N_("set or clear a green-channel flag (%1): the case comes first in its queues and its notices say so"), case_flag, {"绿色通道"}});
    c.push_back({"case", "commit", "ID (--item | --credit) [--text T] " + common,
                 TR_N_("the applicant's commitment (%1): on the item's conditions (--item), or on good credit standing in place of the materials still to come (--credit, asks the platform)"),
                 case_commit, {"告知承诺制 / 信即办"}});
    c.push_back({"case", "verify", "ID (--commitment N | --material CODE) --result fulfilled|breached [--outcome revoked|referred] --finding T " + common,
                 TR_N_("follow up a commitment or a deferred material (%1): kept, or breached and the approval revoked or the matter referred"),
                 case_verify, {"事中事后核查"}});
    c.push_back({"case", "send-remote", "ID " + common,
                 TR_N_("send an accepted cross-region (%1) case through the platform to the other region, which decides it"), case_send_remote, {"通办"}});
    c.push_back({"case", "receive", "ID " + common,
                 TR_N_("receive an application (%1): the acceptance decision is due within 5 working days (the acceptance-due queue)"),
                 case_receive, {"接件"}});
    c.push_back({"case", "originals", "ID [--match A,B] [--mismatch C:WHAT] " + common,
                 TR_N_("compare the originals with the online uploads (%1; default: every upload waiting, as matching)"), case_originals,
                 {"原件核验"}});
    c.push_back({"case", "urge", "ID [--to BODY] [--reason T] " + common,
                 TR_N_("urge the back office or the remote department on a late case (%1), recorded and sent to the platform"), case_urge,
                 {"催办"}});
    c.push_back({"online", "list", "--store DIR --password-file F [--user NAME] [--json]",
                 TR_N_("the online inbox (%1): applications from the platform waiting for pre-check, oldest first"), online_list, {"网上申报"}});
    c.push_back({"online", "show", "APPLICATION_ID --store DIR --password-file F [--user NAME] [--json]",
                 TR_N_("one online application as the platform sent it, with its uploads"), online_show});
    c.push_back({"online", "take", "APPLICATION_ID " + common,
                 TR_N_("take an online application for pre-check (%1): a draft case with the applicant, the answers and the uploads"),
                 online_take, {"预审"}});
    c.push_back({"case", "documents", "ID --store DIR --password-file F [--write-dir DIR] [--json]",
                 TR_N_("the notices made for a case (JSON); --write-dir writes the PDFs"), case_documents});
}

}  // namespace ow::cli
