#include "ow/workflow/workflow.h"

#include "scratch.h"

#include "ow/core/validators.h"
#include "ow/forms/session.h"
#include "ow/seal/policy.h"
#include "ow/seal/seal.h"
#include "ow/store/applications.h"
#include "ow/store/audit.h"
#include "ow/store/authorisations.h"
#include "ow/store/blobs.h"
#include "ow/store/documents.h"
#include "ow/store/errors.h"
#include "ow/store/repositories.h"
#include "ow/store/settings_registry.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace ow::workflow {
namespace {

using nlohmann::json;
using core::CaseAction;
using core::CaseState;
using core::MaterialStatus;

using detail::Scratch;

void write_bytes(const std::filesystem::path& p, std::string_view bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out.flush()) throw store::StoreError("store.io", "cannot write " + p.filename().string());
}

std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw InvalidInput("cannot read " + p.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string media_type_of(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    if (ext == ".pdf") return "application/pdf";
    if (ext == ".png") return "image/png";
    if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
    if (ext == ".tif" || ext == ".tiff") return "image/tiff";
    throw InvalidInput("a scan is a PDF, PNG, JPEG or TIFF file: " + p.string());
}

/// The first bytes say what the file is (a renamed file is not a scan).
void check_magic(const std::string& bytes, const std::string& media_type, const std::string& what) {
    auto starts = [&](std::string_view m) { return bytes.compare(0, m.size(), m) == 0; };
    bool ok = (media_type == "application/pdf" && starts("%PDF-")) || (media_type == "image/png" && starts("\x89PNG\r\n\x1a\n")) ||
              (media_type == "image/jpeg" && starts("\xFF\xD8\xFF")) ||
              (media_type == "image/tiff" && (starts("II*\0") || starts("MM\0*")));
    if (!ok) throw InvalidInput(what + " is not a " + media_type + " file");
}

Refused refused_from(const core::Error& e) {
    if (dynamic_cast<const core::IllegalTransition*>(&e))
        return Refused("workflow.not_now", e.what());
    if (dynamic_cast<const core::NotAuthorised*>(&e) || dynamic_cast<const store::NotAuthorised*>(&e))
        return Refused("workflow.not_authorised", e.what());
    return Refused("workflow.refused", e.what());
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

/// A mobile number (checked) or a landline: digits, '-', '+', spaces; at most 20 characters.
bool phone_number(const std::string& p) {
    return core::check_mobile(p).valid || (p.size() <= 20 && p.find_first_not_of("0123456789-+ ") == std::string::npos);
}

bool is_bad_rating_reason(const std::string& r) {
    return r == "slow" || r == "attitude" || r == "unclear" || r == "repeat_visits" || r == "other";
}

}  // namespace

std::optional<Verdict> parse_verdict(std::string_view code) {
    if (code == "approve") return Verdict::approve;
    if (code == "deny") return Verdict::deny;
    if (code == "return") return Verdict::return_for_correction;
    if (code == "escalate") return Verdict::escalate;
    return std::nullopt;
}

std::optional<core::MaterialStatus> parse_recordable_status(std::string_view code) {
    for (auto s : {MaterialStatus::original_received, MaterialStatus::copy_received, MaterialStatus::scanned, MaterialStatus::e_licence,
                   MaterialStatus::deferred, MaterialStatus::commitment, MaterialStatus::not_applicable})
        if (core::to_code(s) == code) return s;
    // The CLI's short names.
    if (code == "original") return MaterialStatus::original_received;
    if (code == "copy") return MaterialStatus::copy_received;
    return std::nullopt;
}

Workflow::Workflow(store::Store& store, const core::WorkCalendar& calendar, Environment env)
    : store_(store), calendar_(calendar), env_(std::move(env)), cases_(store.db(), calendar) {
    if (!env_.catalogue || !env_.forms) throw std::invalid_argument("a workflow needs a catalogue and forms");
    if (env_.ids) cases_.set_id_generator(env_.ids);
    Scratch::sweep(store_.dir());  // what a killed act left (see scratch.h)
}

core::Instant Workflow::now() const {
    auto t = env_.now ? env_.now() : core::now();
    return t;
}

core::Actor Workflow::actor() const { return env_.act_as ? env_.act_as() : store_.actor(); }

core::Uuid Workflow::new_id() const {
    return env_.ids ? env_.ids->next_at(std::uint64_t(now().time_since_epoch().count())) : core::new_uuid_v7();
}

core::CaseEvent Workflow::event(core::CaseAction a, core::Instant at, std::string reason, json data) const {
    return core::CaseEvent{a, actor(), at, std::move(reason), std::move(data)};
}

core::Case Workflow::load(const core::Uuid& id) {
    // The case this workflow committed last, while the store still holds that version (nothing
    // else changed it: every change of a case's body or history bumps its version; the platform's
    // case number is a column of its own, read here). Saves parsing the case and its history at
    // every act of a case done in a row (the desk's, the seed's).
    if (last_ && last_->id == id) {
        auto& q = store_.db().cached("SELECT version, platform_case_no FROM cases WHERE id = ?");
        q.bind(1, id.to_string());
        const bool same = q.step() && q.int64(0) == std::int64_t(last_->history.size());
        const std::string case_no = same && !q.is_null(1) ? q.text(1) : std::string();
        q.reset();
        if (same) {
            core::Case c = *last_;
            if (!case_no.empty()) c.platform_case_no = case_no;
            return c;
        }
    }
    auto c = cases_.load(id);
    if (!c) throw InvalidInput("no case " + id.to_string() + " in this store");
    return *c;
}

std::shared_ptr<const forms::FormDefinition> Workflow::definition_of(const core::Case& c) const {
    return env_.forms->find(c.bundle_code.empty() ? c.item_code : c.bundle_code);
}

const core::ServiceItem* Workflow::item_of(const core::Case& c) const {
    return c.bundle_code.empty() ? env_.catalogue->item(c.item_code) : nullptr;
}

std::string Workflow::department_of(const std::string& item_code) const {
    const auto* item = env_.catalogue->item(item_code);
    return item ? item->department : std::string();
}

std::vector<std::pair<std::string, std::string>> Workflow::parts_of(const core::Case& c) const {
    std::vector<std::pair<std::string, std::string>> parts;
    if (c.bundle_code.empty()) {
        parts.emplace_back(c.item_code, department_of(c.item_code));
    } else if (const auto* bundle = env_.catalogue->bundle(c.bundle_code)) {
        for (const auto& code : bundle->items) parts.emplace_back(code, department_of(code));
    }
    return parts;
}

Workflow::Authority Workflow::authority(const core::Actor& who) const {
    Authority a{store::AuthorisationBook(store_).load(), who, {}};
    if (who.role == core::Role::chief)
        if (auto u = store_.user_info(who.user_id)) a.user_department = u->department;
    return a;
}

void Workflow::Authority::check(core::Power power, const std::string& department, core::ItemKind kind) const {
    if (matrix.may(who.role, user_department, department, kind, power)) return;
    const unsigned g = matrix.grantees(department, kind, power);
    const std::string dept = department.empty() ? std::string("(no department)") : department;
    const std::string what = std::string(core::to_code(power)) + " for its " + std::string(core::to_code(kind)) + " items";
    if (who.role == core::Role::chief && (g & core::kChief))
        throw Refused("workflow.not_granted", "'" + who.user_id + "' represents " + user_department + ", not " + dept + " (" + what + ")");
    throw Refused("workflow.not_granted", dept + " has not authorised " +
                                              (who.role == core::Role::clerk ? std::string("the comprehensive window") : std::string("its chief representatives")) +
                                              " to " + what + " (authorisation matrix: " + core::grantees_code(g) + ")");
}

bool Workflow::window_decides(const core::Authorisations& matrix, const core::Actor& who, const core::Case& c) const {
    if (who.role != core::Role::clerk || c.kind != core::ItemKind::immediate) return false;
    auto parts = parts_of(c);
    if (parts.empty()) return false;
    for (const auto& part : parts)
        if (!matrix.may(who.role, "", part.second, c.kind, core::Power::decide) ||
            !matrix.may(who.role, "", part.second, c.kind, core::Power::hold_seal))
            return false;
    return true;
}

bool Workflow::window_may_decide(const core::Case& c) const {
    const core::Actor who = actor();
    return who.role == core::Role::clerk && window_decides(store::AuthorisationBook(store_).load(), who, c);
}

// ---- documents ----

std::optional<Document> Workflow::render(const core::Case& after, const std::string& kind, bool seal_required, core::Instant at,
                                         const core::Actor& by, store::StagedBlob& staged, std::string_view seal_pin) {
    const auto* tmpl = env_.renderer->templates().find(kind);
    if (!tmpl) throw std::logic_error("no notice template '" + kind + "'");
    notices::NoticeInput input;
    input.case_data = after;
    input.envelope = env_.envelope;
    input.envelope.issued_on = core::china_date(at);
    for (std::string key = "{receipt_no}"; input.envelope.progress_url.find(key) != std::string::npos;)
        input.envelope.progress_url.replace(input.envelope.progress_url.find(key), key.size(), after.receipt_no);
    auto who = store_.user_info(by.user_id);
    input.envelope.clerk = who && !who->display_name.empty() ? who->display_name : by.user_id;
    input.envelope.licensing = false;  // 行政许可 wording only for licensing items (and bundles of them)
    if (const auto* item = item_of(after)) {
        input.item = *item;
        input.envelope.licensing = item->item_type == 1;
        if (input.envelope.issuing_body.empty()) input.envelope.issuing_body = item->department;
    } else if (const auto* bundle = env_.catalogue->bundle(after.bundle_code)) {
        if (input.envelope.issuing_body.empty()) input.envelope.issuing_body = env_.centre_name;
        std::vector<std::string> results;
        input.envelope.licensing = !bundle->items.empty();
        for (const auto& code : bundle->items) {
            const auto* it = env_.catalogue->item(code);
            input.envelope.licensing = input.envelope.licensing && it && it->item_type == 1;
            if (it && !it->spec.result_name.empty()) results.push_back(it->spec.result_name);
        }
        if (input.envelope.result_name.empty()) input.envelope.result_name = join(results, "、");
        if (input.envelope.pickup.empty()) input.envelope.pickup = "综合窗口出件（" + input.envelope.window + "）";
    }
    if (input.envelope.issuing_body.empty()) input.envelope.issuing_body = env_.centre_name;

    Document doc;
    doc.kind = kind;
    doc.title = tmpl->title;
    notices::RenderedNotice rendered;
    try {
        rendered = env_.renderer->render(kind, input);
    } catch (const notices::NoticeDataError& e) {
        throw Refused("workflow.notice_data", "the " + tmpl->title_en + " cannot be made: " + e.what());
    }
    doc.pdf = std::move(rendered.pdf);

    // The seal: the acting user's (their own, else their post's); B acting for A may use A's.
    std::optional<store::SealAssignment> seal;
    store::SealAssignments seals(store_.db());
    if (tmpl->sealed) {
        seal = seals.for_user(by.user_id, by.post);
        if (!seal && !by.acting_for.empty()) seal = seals.for_user(by.acting_for, core::Post::A);
    }
    if (!seal && seal_required)
        throw Refused("workflow.no_seal",
                      "no seal is assigned to '" + by.user_id + "'" + (by.post != core::Post::none ? " or post " + std::string(core::to_code(by.post)) : "") +
                          ": an administrator assigns one with `seal assign`");
    if (seal) {
        // Who may apply it: the assignment's holders (a post's seal: every chief on that post).
        seal::SealPolicy policy;
        policy.name = seal->name;
        if (seal->holder_kind == store::SealAssignment::HolderKind::user) {
            auto u = store_.user_info(seal->holder);
            policy.holders.push_back({seal->holder, u ? u->post : core::Post::none});
        } else {
            for (const auto& u : store_.users())
                if (u.role == core::Role::chief && u.post != core::Post::none) policy.holders.push_back({u.name, u.post});
        }
        try {
            seal::check_may_use(policy, by);
        } catch (const seal::SealRefused& e) {
            throw Refused("workflow.seal_refused", e.what());
        }
        // A token's PIN is typed by its holder at every act; it is never stored.
        if (seal->on_token() && seal_pin.empty())
            throw Refused("workflow.seal_pin_needed", "the seal '" + seal->name + "' is on a PKCS#11 token: its holder types the PIN");
        Scratch scratch(store_.dir());
        write_bytes(scratch / "in.pdf", doc.pdf);
        seal::StampOptions opt;
        if (!seal->image.empty()) opt.image_png = seal->image;  // prepared once per artwork (kept in memory)
        opt.placement.anchor = "（盖章）";
        opt.reason = tmpl->title;
        opt.location = input.envelope.issuing_body;
        opt.time = std::chrono::time_point_cast<std::chrono::system_clock::duration>(at);
        try {
            // The PIN typed by the holder wins over a stored one (a PKCS#12's); the stored PIN is
            // wiped either way once the key is open.
            struct Wipe {
                std::string& s;
                ~Wipe() { std::fill(s.begin(), s.end(), '\0'); }
            } wipe{seal->pin};
            auto key = seal->on_token()
                           ? seal::SigningKey::from_pkcs11_pin(seal->pkcs11_uri, seal_pin, seal->pkcs11_module)
                           : seal::SigningKey::from_pkcs12_bytes(seal->p12, seal_pin.empty() ? std::string_view(seal->pin) : seal_pin,
                                                                 "the seal '" + seal->name + "'");
            seal::stamp(scratch / "in.pdf", scratch / "out.pdf", key, opt);
        } catch (const seal::SealInputError& e) {
            if (e.code() == "seal.wrong_pin")
                throw Refused("workflow.seal_pin_wrong", "the PIN of the seal '" + seal->name + "' is wrong: nothing was sealed or written");
            throw Refused("workflow.seal_failed", std::string("the seal could not be applied: ") + e.what());
        }
        doc.pdf = read_bytes(scratch / "out.pdf");
        doc.sealed = true;
        doc.seal_name = seal->name;
    }
    // The file now; its row with the act (commit), so a crash in between leaves no blob behind
    // that anything lists, links or uploads.
    store::BlobStore blobs(store_.db(), store_.dir(), store_.key());
    std::istringstream in(doc.pdf);
    staged = blobs.stage(in, "application/pdf");
    doc.sha256 = staged.sha256;
    return doc;
}

void Workflow::record_blob(const store::StagedBlob& blob) { store::BlobStore(store_.db(), store_.dir(), store_.key()).record(blob); }

ActResult Workflow::commit(core::Case& c, std::vector<core::CaseEvent> events, const std::string& notice_kind, bool seal_required,
                           const std::function<void(const core::Case&)>& extra, std::string_view seal_pin) {
    // Check and preview on a copy: the notice shows the case as the act leaves it.
    core::Case after = c;
    try {
        for (const auto& e : events) core::CaseMachine::apply(after, e, calendar_);
    } catch (const InvalidInput&) {
        throw;
    } catch (const store::StoreError&) {
        throw;
    } catch (const core::Error& e) {
        throw refused_from(e);
    }
    ActResult r;
    store::StagedBlob staged;
    if (!notice_kind.empty() && env_.renderer)
        r.document = render(after, notice_kind, seal_required, events.back().at, events.back().actor, staged, seal_pin);
    try {
        cases_.commit_all(c, events, [&](const core::Case& done) {
            if (r.document) record_blob(staged);
            if (r.document)
                store::CaseDocuments(store_.db()).add({done.id.to_string(), done.history.back().seq, r.document->kind, r.document->sha256,
                                                       r.document->sealed, false, ""},
                                                      events.back().at);
            if (extra) extra(done);
        });
    } catch (const store::StoreError&) {
        throw;
    } catch (const InvalidInput&) {
        throw;
    } catch (const core::Error& e) {
        throw refused_from(e);
    }
    r.case_data = c;
    last_ = c;
    if (env_.after_commit) env_.after_commit(c);
    return r;
}

std::vector<Document> Workflow::documents(const core::Uuid& id, bool with_pdf) {
    std::vector<Document> out;
    store::BlobStore blobs(store_.db(), store_.dir(), store_.key());
    for (const auto& d : store::CaseDocuments(store_.db()).list(id.to_string())) {
        Document doc;
        doc.kind = d.kind;
        if (const auto* t = env_.renderer ? env_.renderer->templates().find(d.kind) : nullptr) doc.title = t->title;
        if (d.kind == store::kRemoteDecisionKind) doc.title = "异地办理决定书（通办）";
        doc.sha256 = d.sha256;
        doc.sealed = d.sealed;
        if (with_pdf) {
            std::ostringstream pdf;
            blobs.get(d.sha256, pdf);
            doc.pdf = pdf.str();
        }
        out.push_back(std::move(doc));
    }
    return out;
}

// ---- the acts ----

void Workflow::require_clerk(const core::Actor& who) const {
    if (who.role != core::Role::clerk)
        throw Refused("workflow.not_authorised", "only window clerks take applications ('" + who.user_id + "' is " +
                                                     std::string(core::to_code(who.role)) + ")");
}

core::Case Workflow::new_draft(const StartIntake& cmd) const {
    core::Case c;
    if (!cmd.item_code.empty()) {
        const auto* item = env_.catalogue->item(cmd.item_code);
        if (!item) throw InvalidInput("no item '" + cmd.item_code + "' in the catalogue (see: forms list)");
        c = core::Case::create(*item, core::Applicant{}, new_id());
        c.applicant.name.clear();
    } else {
        const auto* bundle = env_.catalogue->bundle(cmd.bundle_code);
        auto def = env_.forms->find(cmd.bundle_code);
        if (!bundle || !def) throw InvalidInput("no bundle '" + cmd.bundle_code + "' in the catalogue (see: forms list)");
        c.id = new_id();
        c.item_code = bundle->code;
        c.item_name = bundle->name;
        c.bundle_code = bundle->code;
        c.form_version = def->version();
        c.promised_limit_days = bundle->promised_limit_days;
        bool all_immediate = true;
        for (const auto& code : bundle->items) {
            const auto* it = env_.catalogue->item(code);
            if (!it) throw InvalidInput("the bundle names an unknown item '" + code + "'");
            all_immediate = all_immediate && it->kind == core::ItemKind::immediate;
            c.legal_limit_days = std::max(c.legal_limit_days, it->spec.legal_limit_days);
            for (const auto& f : it->spec.fees) c.fees.push_back(core::CaseFee::charged(it->code, f));
            if (!c.promised_limit_days) c.promised_limit_days = std::max(c.promised_limit_days, it->spec.promised_limit_days);
        }
        c.kind = all_immediate ? core::ItemKind::immediate : core::ItemKind::promised;
        if (bundle->items.size() > 1) c.countersign_items = bundle->items;  // 会签: each item's department decides
        c.checklist = forms::FormSession(def).checklist();
    }
    return c;
}

ActResult Workflow::start_intake(const StartIntake& cmd) {
    if (cmd.item_code.empty() == cmd.bundle_code.empty()) throw InvalidInput("start an intake with an item or a bundle (one of them)");
    core::Actor who = actor();
    require_clerk(who);
    core::Case c = new_draft(cmd);
    core::Instant at = now();
    try {
        cases_.create(c, who, at, env_.terminal);
    } catch (const store::StoreError&) {
        throw;
    } catch (const core::Error& e) {
        throw refused_from(e);
    }
    ActResult r;
    r.case_data = c;
    last_ = c;
    if (env_.after_commit) env_.after_commit(c);
    return r;
}

ActResult Workflow::check_in(const CheckIn& cmd) {
    core::Actor who = actor();
    store::Appointments book(store_.db());
    auto a = book.get(cmd.appointment_id);
    if (!a) throw InvalidInput("no appointment '" + cmd.appointment_id + "' (sync pulls the appointments from the platform)");
    require_clerk(who);
    if (a->status != "booked")
        throw Refused("workflow.appointment_not_booked", "appointment " + a->id + " is " + a->status + ", not booked");
    core::Instant at = now();
    const std::string today = core::format_date(core::china_date(at));
    if (a->day != today)
        throw Refused("workflow.appointment_not_today", "appointment " + a->id + " is for " + a->day + ", not today (" + today + ")");
    core::Case c = new_draft(StartIntake{a->item_code, ""});
    try {
        store::Transaction tx(store_.db());
        cases_.create(c, who, at, env_.terminal);
        for (auto flag : cmd.green) cases_.commit(c, event(core::CaseAction::flag_green, at, "", {{"flag", core::to_code(flag)}, {"on", true}}));
        book.record_outcome(a->id, "arrived", c.id.to_string(), new_id().to_string(), at);
        store::AuditLog(store_.db()).append(who, at, "appointment.arrived", c.id.to_string(),
                                            json{{"appointment_id", a->id}, {"slot", a->slot_start + "-" + a->slot_end}}.dump());
        tx.commit();
    } catch (const store::StoreError&) {
        throw;
    } catch (const InvalidInput&) {
        throw;
    } catch (const core::Error& e) {
        throw refused_from(e);
    }
    last_ = c;
    if (env_.after_commit) env_.after_commit(c);
    ActResult r;
    r.case_data = c;
    r.notes.push_back("appointment " + a->id + " (" + a->day + " " + a->slot_start + "-" + a->slot_end + ") checked in");
    if (a->doc_masked) {
        r.notes.push_back("the appointment's ID number is masked: read the applicant's ID card (name and phone are in the appointment)");
        return r;
    }
    SetApplicant sa;
    if (auto type = core::document_type_from_code(a->doc_type)) sa.doc_type = *type;
    sa.doc_number = a->doc_number;
    sa.name = a->applicant_name;
    sa.phone = a->phone;
    try {
        ActResult done = set_applicant(c.id, sa);
        done.notes.insert(done.notes.begin(), r.notes.begin(), r.notes.end());
        done.notes.push_back("applicant prefilled from the appointment");
        return done;
    } catch (const store::StoreError&) {
        throw;
    } catch (const core::Error& e) {
        r.notes.push_back(std::string("the appointment's applicant could not be set (identify the applicant at the window): ") + e.what());
        return r;
    }
}

store::Appointment Workflow::mark_no_show(const std::string& appointment_id) {
    core::Actor who = actor();
    store::Appointments book(store_.db());
    auto a = book.get(appointment_id);
    if (!a) throw InvalidInput("no appointment '" + appointment_id + "' (sync pulls the appointments from the platform)");
    require_clerk(who);
    if (a->status != "booked") throw Refused("workflow.appointment_not_booked", "appointment " + a->id + " is " + a->status + ", not booked");
    core::Instant at = now();
    // The slot's end on China wall-clock time, as a UTC instant.
    core::Instant end = core::Instant{core::parse_date(a->day)} + std::chrono::hours{std::stoi(a->slot_end.substr(0, 2)) - 8} +
                        std::chrono::minutes{std::stoi(a->slot_end.substr(3, 2))};
    if (at < end)
        throw Refused("workflow.appointment_slot_not_over",
                      "appointment " + a->id + " runs until " + a->day + " " + a->slot_end + ": a no-show is marked after the slot");
    store::Transaction tx(store_.db());
    book.record_outcome(a->id, "no_show", "", new_id().to_string(), at);
    store::AuditLog(store_.db()).append(who, at, "appointment.no_show", "",
                                        json{{"appointment_id", a->id}, {"slot", a->day + " " + a->slot_start + "-" + a->slot_end}}.dump());
    tx.commit();
    return *book.get(a->id);
}

ActResult Workflow::flag_green(const core::Uuid& id, core::GreenFlag flag, bool on) {
    core::Case c = load(id);
    return commit(c, {event(core::CaseAction::flag_green, now(), "", {{"flag", core::to_code(flag)}, {"on", on}})}, "", false);
}

ActResult Workflow::take_application(const std::string& application_id) {
    core::Actor who = actor();
    store::Applications book(store_.db());
    auto a = book.get(application_id);
    if (!a) throw InvalidInput("no online application '" + application_id + "' (sync pulls them from the platform)");
    require_clerk(who);
    if (a->status != "submitted")
        throw Refused("workflow.application_not_waiting", "online application " + a->id + " is " + a->status + ", not waiting in the inbox");
    core::Case c = new_draft(StartIntake{a->item_code, ""});
    c.channel = core::parse_channel(a->channel).value_or(core::Channel::pc);
    c.application_id = a->id;
    core::Instant at = now();
    try {
        store::Transaction tx(store_.db());
        cases_.create(c, who, at, env_.terminal);
        book.mark_taken(a->id, c.id.to_string(), who.user_id, at);
        store::AuditLog(store_.db()).append(who, at, "application.taken", c.id.to_string(),
                                            json{{"application_id", a->id}, {"item_code", a->item_code}}.dump());
        tx.commit();
    } catch (const store::StoreError&) {
        throw;
    } catch (const InvalidInput&) {
        throw;
    } catch (const core::Error& e) {
        throw refused_from(e);
    }
    last_ = c;
    if (env_.after_commit) env_.after_commit(c);
    ActResult r;
    r.case_data = c;
    r.notes.push_back("online application " + a->id + " taken for pre-check (预审)");
    // The rest as the clerk would do it: each step on its own, a failure noted, the draft kept.
    auto step = [&](const char* what, const std::function<ActResult()>& act) {
        try {
            ActResult done = act();
            r.case_data = done.case_data;
            for (auto& n : done.notes) r.notes.push_back(std::move(n));
            if (!done.duplicates.empty()) r.duplicates = std::move(done.duplicates);
        } catch (const store::StoreError&) {
            throw;
        } catch (const core::Error& e) {
            r.notes.push_back(std::string(what) + " not taken over (do it at the window): " + e.what());
        }
    };
    SetApplicant sa;
    if (auto type = core::document_type_from_code(a->doc_type)) sa.doc_type = *type;
    sa.doc_number = a->doc_number;
    sa.name = a->applicant_name;
    sa.phone = a->phone;
    sa.address = a->address;
    step("the applicant", [&] { return set_applicant(c.id, sa); });
    // Each upload the sync downloaded: the material scanned, via online — before the answers (an
    // attachment field of the form takes the material's scan), and again after them for the
    // materials the answers called for.
    store::BlobStore blobs(store_.db(), store_.dir(), store_.key());
    std::set<std::size_t> done_uploads;
    auto record_uploads = [&](bool last_pass) {
        const core::Case cur = load(c.id);
        std::vector<core::CaseEvent> events;
        std::vector<std::pair<std::string, std::string>> links;  // (sha256, material)
        for (std::size_t i = 0; i < a->uploads.size(); ++i) {
            const auto& u = a->uploads[i];
            if (done_uploads.count(i)) continue;
            if (!cur.checklist.find(u.material_code)) {
                if (last_pass) r.notes.push_back("upload '" + u.name + "' is for material " + u.material_code + ", which this case does not ask for");
                continue;
            }
            done_uploads.insert(i);
            if (!blobs.has(u.sha256)) {
                r.notes.push_back("upload '" + u.name + "' (" + u.material_code + ") is not downloaded yet: sync, or ask the applicant");
                continue;
            }
            json data = {{"material_code", u.material_code}, {"status", "scanned"}, {"blob_sha256", u.sha256}, {"via", "online"}};
            if (!u.name.empty()) data["note"] = "网上提交：" + u.name;
            events.push_back(event(CaseAction::mark_material, now(), "", std::move(data)));
            links.emplace_back(u.sha256, u.material_code);
        }
        if (events.empty()) return;
        step("the uploads", [&] {
            core::Case before = load(c.id);
            const core::Actor by = actor();
            const core::Instant at = now();
            return commit(before, std::move(events), "", false, [&](const core::Case& done) {
                for (const auto& [sha, material] : links) cases_.attach_blob(done.id, sha, "material", material, by, at);
            });
        });
    };
    record_uploads(false);
    if (a->answers.is_object() && !a->answers.empty()) step("the form's answers", [&] { return answer(c.id, a->answers); });
    record_uploads(true);
    return r;
}

ActResult Workflow::receive(const core::Uuid& id) {
    core::Case c = load(id);
    if (c.applicant.doc_number.empty())
        throw Refused("workflow.no_applicant", "the applicant is not identified yet (case applicant)");
    return commit(c, {event(CaseAction::receive, now())}, "", false);
}

ActResult Workflow::verify_originals(const core::Uuid& id, const OriginalsCheck& cmd) {
    core::Case c = load(id);
    json list = json::array();
    if (cmd.materials.empty()) {
        for (const auto* e : c.originals_to_verify()) list.push_back({{"material_code", e->material_code}, {"match", true}});
        if (list.empty()) throw InvalidInput("no original is waiting to be compared with an upload (name the materials)");
    }
    for (const auto& m : cmd.materials) {
        const core::ChecklistEntry* e = c.checklist.find(m.material_code);
        if (!e) throw InvalidInput("no material '" + m.material_code + "' on this case's checklist");
        if (e->via != core::MaterialVia::online) throw InvalidInput("'" + e->name + "' was not uploaded online: there is nothing to compare");
        if (!m.match && m.note.empty()) throw InvalidInput("an original that does not match the upload needs a note saying what differs");
        json x = {{"material_code", m.material_code}, {"match", m.match}};
        if (!m.note.empty()) x["note"] = m.note;
        list.push_back(std::move(x));
    }
    return commit(c, {event(CaseAction::verify_originals, now(), "", {{"materials", list}})}, "", false);
}

ActResult Workflow::urge(const core::Uuid& id, const Urging& cmd) {
    core::Case c = load(id);
    const core::Instant at = now();
    const core::Date today = core::china_date(at);
    const bool call_late = c.remote_call && !c.remote_call->answered() && c.remote_call->due_at < at;
    const bool hours_late = c.due_at && *c.due_at < at;
    const bool days_late = c.overdue(today, calendar_);
    if (!call_late && !hours_late && !days_late)
        throw Refused("workflow.not_late", "the case is within its time (" +
                                               (c.due_date ? "due " + core::format_date(*c.due_date) : std::string("no promised date")) +
                                               "): 催办 is for a late case");
    std::string to = cmd.to;
    if (to.empty()) to = call_late ? c.remote_call->department : department_of(c.item_code);
    if (to.empty()) to = "后台审批";
    std::string reason = cmd.reason;
    if (reason.empty())
        reason = call_late ? "事进人不进：部门首席代表未在约定时间内响应" : "已超过承诺办结时限" + (c.due_date ? "（" + core::format_date(*c.due_date) + "）" : std::string());
    return commit(c, {event(CaseAction::urge, at, reason, {{"to", to}})}, "", false);
}

ActResult Workflow::set_agent(const core::Uuid& id, const SetAgent& cmd) {
    core::Case c = load(id);
    json data = json::object();
    if (!blank(cmd.name)) {
        auto chk = core::check_document_number(cmd.doc_type, cmd.doc_number);
        if (!chk.valid) throw InvalidInput("not a valid document number for the agent: " + chk.reason);
        const std::string number = chk.normalized.empty() ? cmd.doc_number : chk.normalized;
        if (c.applicant.kind == core::ApplicantKind::person && c.applicant.doc_type == cmd.doc_type && c.applicant.doc_number == number)
            throw InvalidInput("the agent is the applicant: an applicant in person needs no agent");
        if (!cmd.phone.empty() && !phone_number(cmd.phone))
            throw InvalidInput("not a phone number: " + cmd.phone);
        if (cmd.name.size() > 200 || cmd.relation.size() > 100) throw InvalidInput("the agent's name or relation is too long");
        data = {{"name", cmd.name},
                {"doc_type", core::document_type_info(cmd.doc_type).code},
                {"doc_number", number},
                {"phone", cmd.phone},
                {"relation", cmd.relation}};
    } else if (!c.applicant.has_agent()) {
        throw InvalidInput("the case has no agent to clear");
    }
    return commit(c, {event(CaseAction::set_agent, now(), "", std::move(data))}, "", false);
}

ActResult Workflow::assist(const core::Uuid& id, const Assist& cmd) {
    core::Case c = load(id);
    if (!cmd.mode) {
        if (!c.assistance) throw InvalidInput("the case has no helper");
        return commit(c, {event(CaseAction::assist, now(), "", {{"mode", "none"}})}, "", false);
    }
    const std::string helper = cmd.helper.empty() ? actor().user_id : cmd.helper;
    auto info = store_.user_info(helper);
    if (!info || (info->role != core::Role::clerk && info->role != core::Role::chief))
        throw InvalidInput("'" + helper + "' is not a window clerk or chief representative of this store: only they help applicants");
    if (*cmd.mode == core::AssistMode::contact && c.applicant.kind != core::ApplicantKind::organisation)
        throw InvalidInput("a contact clerk (一企一员) follows an enterprise; this applicant is a person");
    if (cmd.note.size() > 500) throw InvalidInput("the note has at most 500 characters");
    if (c.assistance && c.assistance->mode == *cmd.mode && c.assistance->helper == helper && c.assistance->note == cmd.note)
        throw Refused("workflow.assist_same", "the case already has " + helper + " as its helper so");
    json data = {{"mode", core::to_code(*cmd.mode)}, {"helper", helper}, {"helper_name", info->display_name}, {"note", cmd.note}};
    return commit(c, {event(CaseAction::assist, now(), "", std::move(data))}, "", false);
}

std::string Workflow::check_due(const core::Case& c, core::Instant at) const {
    // The item's days to verify a commitment in (a bundle: the catalogue's default).
    const auto* item = item_of(c);
    const int days = item ? item->spec.commitment_check_days : core::ItemSpec{}.commitment_check_days;
    return core::format_date(calendar_.add_working_days(core::china_date(at), days));
}

ActResult Workflow::record_commitment(const core::Uuid& id, const RecordCommitment& cmd) {
    core::Case c = load(id);
    const core::ServiceItem* item = item_of(c);
    const core::Instant at = now();
    if (c.applicant.doc_number.empty())
        throw Refused("workflow.no_applicant", "the applicant is not identified yet (case applicant)");
    if (cmd.text.size() > 4000) throw InvalidInput("the commitment has at most 4000 bytes");
    json data = json::object();
    std::string text = cmd.text;
    if (cmd.kind == RecordCommitment::Kind::item) {
        if (!item || !item->spec.commitment_scheme)
            throw Refused("workflow.not_eligible", "'" + c.item_name + "' is not an item of the 告知承诺制 (the catalogue's commitment_scheme)");
        data["kind"] = "item";
        if (blank(text)) text = "申请人承诺已经符合" + c.item_name + "事项的条件、标准和要求，愿意承担不实承诺的法律责任。";
    } else {
        if (!item || !item->spec.credit_fast_track)
            throw Refused("workflow.not_eligible", "'" + c.item_name + "' is not on the 信即办 list (the catalogue's credit_fast_track)");
        if (c.credit) throw Refused("workflow.credit_already", "the case already has a credit commitment (信即办)");
        if (!env_.credit)
            throw Refused("workflow.credit_unavailable", "the credit standing cannot be checked without the platform: 信即办 needs its answer");
        CreditAnswer answer;
        try {
            answer = env_.credit(c.applicant.doc_type, c.applicant.doc_number);
        } catch (const std::exception& e) {
            throw Refused("workflow.credit_unavailable", std::string("the platform's credit service did not answer: ") + e.what());
        }
        if (answer.standing != "good")
            throw Refused("workflow.credit_not_good", "信即办 is for applicants in good credit standing; the platform answers '" +
                                                          answer.standing + "' for " + c.applicant.name);
        data["kind"] = "credit";
        data["credit"] = {{"standing", answer.standing}, {"source", answer.source}, {"report_no", answer.report_no},
                          {"checked_at", core::format_instant(answer.checked_at)}};
        if (blank(text))
            text = "申请人信用状况良好，承诺所提交的信息真实有效，以书面信用承诺替代尚未提交的申请材料，并在规定期限内补齐、接受核查；"
                   "如有不实或未履行承诺，愿意承担撤销审批决定等法律责任并接受失信惩戒。";
    }
    data["text"] = text;
    data["check_due"] = check_due(c, at);
    return commit(c, {event(CaseAction::record_commitment, at, "", std::move(data))}, "notification_commitment", false);
}

ActResult Workflow::verify_follow_up(const core::Uuid& id, const VerifyFollowUp& cmd) {
    core::Case c = load(id);
    if (blank(cmd.finding)) throw InvalidInput("write what the check found (the finding)");
    if (cmd.finding.size() > 2000) throw InvalidInput("the finding has at most 2000 bytes");
    json data = {{"result", core::to_code(cmd.result)}, {"finding", cmd.finding}, {"source", "window"}};
    if (cmd.result == core::FollowUpResult::breached && cmd.outcome == core::BreachOutcome::none)
        throw InvalidInput("a breach is acted on: the approval revoked, or the matter referred");
    if (cmd.result == core::FollowUpResult::fulfilled && cmd.outcome != core::BreachOutcome::none)
        throw InvalidInput("a commitment kept is not revoked or referred");
    if (cmd.outcome != core::BreachOutcome::none) data["outcome"] = core::to_code(cmd.outcome);
    if (cmd.commitment > 0) {
        if (std::size_t(cmd.commitment) > c.commitments.size())
            throw InvalidInput("the case has " + std::to_string(c.commitments.size()) + " commitment(s), not " + std::to_string(cmd.commitment));
        if (c.commitments[std::size_t(cmd.commitment - 1)].finding)
            throw InvalidInput("commitment " + std::to_string(cmd.commitment) + " is already verified");
        data["commitment"] = cmd.commitment;
    } else {
        const core::ChecklistEntry* entry = c.checklist.find(cmd.material_code);
        if (!entry) throw InvalidInput("name a commitment (1, 2, …) or a deferred material of the case's checklist");
        if (entry->status != core::MaterialStatus::deferred)
            throw InvalidInput("'" + entry->name + "' is not deferred (容缺): nothing to follow up");
        if (cmd.result != core::FollowUpResult::breached)
            throw InvalidInput("a deferred material that arrived is recorded as delivered (case material)");
        data["material_code"] = cmd.material_code;
    }
    return commit(c, {event(CaseAction::verify_follow_up, now(), "", std::move(data))}, "", false);
}

ActResult Workflow::send_cross_region(const core::Uuid& id) {
    core::Case c = load(id);
    const auto* item = item_of(c);
    if (!item || !item->cross_region)
        throw Refused("workflow.not_cross_region", "'" + c.item_name + "' is decided here, not by another region (no 通办 in the catalogue)");
    const auto& cr = *item->cross_region;
    json data = {{"to", cr.authority},
                 {"cross_region", {{"region_code", cr.region_code}, {"region", cr.region}, {"authority", cr.authority}}}};
    return commit(c, {event(core::CaseAction::escalate, now(), "通办：由" + cr.region + cr.authority + "办理", std::move(data))}, "", false);
}

namespace {

/// One note per open duplicate (the CLI prints them; the desk shows ActResult::duplicates).
void note_duplicates(ActResult& r) {
    for (const auto& d : r.duplicates)
        r.notes.push_back("warning: the applicant has another open case of this item: " +
                          (d.receipt_no.empty() ? d.id : d.receipt_no) + " (" + d.state +
                          ") — check it before taking the same matter twice (两头受理)");
}

}  // namespace

// ---- enquiries ----

store::Enquiry Workflow::open_enquiry(const NewEnquiry& cmd) {
    core::Actor who = actor();
    if (who.role != core::Role::clerk && who.role != core::Role::chief)
        throw Refused("workflow.not_authorised", "enquiries are taken by window clerks and chief representatives ('" + who.user_id + "' is " +
                                                     std::string(core::to_code(who.role)) + ")");
    if (!cmd.item_code.empty() && !env_.catalogue->item(cmd.item_code) && !env_.catalogue->bundle(cmd.item_code))
        throw InvalidInput("no item '" + cmd.item_code + "' in the catalogue");
    if (!cmd.asker_phone.empty() && !phone_number(cmd.asker_phone))
        throw InvalidInput("not a phone number: " + cmd.asker_phone);
    core::Instant at = now();
    store::Enquiry e;
    e.id = new_id().to_string();
    e.kind = cmd.kind;
    e.channel = cmd.channel;
    e.asker_name = cmd.asker_name;
    e.asker_phone = cmd.asker_phone;
    e.item_code = cmd.item_code;
    e.subject = cmd.subject;
    e.owner = e.holder = who.user_id;
    // Answered within one working day: by the end of the next working day after today.
    e.due = core::format_date(calendar_.add_working_days(core::china_date(at), 1));
    e.created_at = e.updated_at = core::format_instant(at);
    if (cmd.reply.find_first_not_of(" \t\r\n") != std::string::npos) {
        e.state = "answered";
        e.reply = cmd.reply;
        e.replied_by = who.user_id;
        e.replied_at = e.created_at;
    }
    store::Transaction tx(store_.db());
    try {
        store::Enquiries(store_.db()).insert(e);
    } catch (const core::InvalidData& bad) {
        throw InvalidInput(bad.what());
    }
    store::AuditLog(store_.db()).append(who, at, "enquiry.opened", "",
                                        json{{"enquiry_id", e.id}, {"kind", e.kind}, {"channel", e.channel}, {"answered", e.state == "answered"}}.dump());
    tx.commit();
    return e;
}

store::Enquiry Workflow::open_enquiry_of(const std::string& id, const core::Actor& who) {
    auto e = store::Enquiries(store_.db()).get(id);
    if (!e) throw InvalidInput("no enquiry '" + id + "'");
    if (e->state != "open") throw Refused("workflow.enquiry_closed", "enquiry " + id + " is " + e->state + ", not open");
    if (who.user_id != e->holder && who.user_id != e->owner)
        throw Refused("workflow.not_authorised", "enquiry " + id + " is held by '" + e->holder + "' (first asked: '" + e->owner + "')");
    return *e;
}

store::Enquiry Workflow::hand_over_enquiry(const std::string& id, const std::string& to_user, const std::string& note) {
    core::Actor who = actor();
    auto e = open_enquiry_of(id, who);
    if (to_user == e.holder) throw InvalidInput("enquiry " + id + " is held by '" + to_user + "' already");
    auto users = store_.users();
    auto to = std::find_if(users.begin(), users.end(), [&](const store::UserInfo& u) { return u.name == to_user; });
    if (to == users.end()) throw InvalidInput("no user '" + to_user + "'");
    if (to->role != core::Role::clerk && to->role != core::Role::chief)
        throw InvalidInput("'" + to_user + "' is " + std::string(core::to_code(to->role)) + ": enquiries go to clerks and chief representatives");
    core::Instant at = now();
    e.handovers.push_back({e.holder, to_user, note, core::format_instant(at)});
    e.holder = to_user;
    e.updated_at = core::format_instant(at);
    store::Transaction tx(store_.db());
    store::Enquiries(store_.db()).update(e);
    store::AuditLog(store_.db()).append(who, at, "enquiry.handed_over", "",
                                        json{{"enquiry_id", e.id}, {"from", e.handovers.back().from}, {"to", to_user}}.dump());
    tx.commit();
    return e;
}

store::Enquiry Workflow::reply_enquiry(const std::string& id, const std::string& reply) {
    core::Actor who = actor();
    auto e = open_enquiry_of(id, who);
    if (reply.find_first_not_of(" \t\r\n") == std::string::npos) throw InvalidInput("the reply is empty");
    core::Instant at = now();
    e.state = "answered";
    e.reply = reply;
    e.replied_by = who.user_id;
    e.replied_at = e.updated_at = core::format_instant(at);
    store::Transaction tx(store_.db());
    store::Enquiries(store_.db()).update(e);
    store::AuditLog(store_.db()).append(who, at, "enquiry.replied", "",
                                        json{{"enquiry_id", e.id}, {"late", core::china_date(at) > core::parse_date(e.due)}}.dump());
    tx.commit();
    return e;
}

ActResult Workflow::enquiry_to_case(const std::string& id, const StartIntake& cmd) {
    core::Actor who = actor();
    store::Enquiries book(store_.db());
    auto e = book.get(id);
    if (!e) throw InvalidInput("no enquiry '" + id + "'");
    if (e->state == "case") throw Refused("workflow.enquiry_closed", "enquiry " + id + " became case " + e->case_id + " already");
    store::Transaction tx(store_.db());
    ActResult r = start_intake(cmd);  // a clerk's act: refused for others, nothing written
    core::Instant at = now();
    e->state = "case";
    e->case_id = r.case_data.id.to_string();
    e->updated_at = core::format_instant(at);
    book.update(*e);
    store::AuditLog(store_.db()).append(who, at, "enquiry.to_case", e->case_id, json{{"enquiry_id", e->id}}.dump());
    tx.commit();
    r.notes.push_back("enquiry " + e->id + " became this case");
    return r;
}

std::vector<store::SearchHit> Workflow::open_duplicates(const core::Uuid& id) { return cases_.open_duplicates(load(id)); }

ActResult Workflow::set_applicant(const core::Uuid& id, const SetApplicant& cmd) {
    core::Case c = load(id);
    core::Applicant a;
    a.kind = cmd.kind;
    if (cmd.kind == core::ApplicantKind::organisation) {
        auto u = core::check_uscc(cmd.doc_number);
        if (u.status != core::UsccStatus::valid) throw InvalidInput("not a valid unified social credit code: " + u.reason);
        a.doc_type = core::DocumentType::other;
        a.doc_number = u.normalized;
    } else {
        auto chk = core::check_document_number(cmd.doc_type, cmd.doc_number);
        if (!chk.valid) throw InvalidInput("not a valid document number: " + chk.reason);
        a.doc_type = cmd.doc_type;
        a.doc_number = chk.normalized.empty() ? cmd.doc_number : chk.normalized;
    }
    ActResult r;
    // A returning applicant: what the store knows fills what the clerk left empty.
    std::vector<std::string> filled;
    if (auto known = cases_.find_applicant(a.doc_type, a.doc_number)) {
        a = *known;
        a.kind = cmd.kind;
        if (!cmd.name.empty() && cmd.name != a.name) a.name = cmd.name;
        else filled.push_back("name");
        if (!cmd.phone.empty()) a.phone = cmd.phone;
        else if (!a.phone.empty()) filled.push_back("phone");
        if (!cmd.address.empty()) a.address = cmd.address;
        else if (!a.address.empty()) filled.push_back("address");
        if (!cmd.legal_representative.empty()) a.legal_representative = cmd.legal_representative;
        r.notes.push_back("returning applicant: prefilled " + (filled.empty() ? std::string("nothing") : join(filled, ", ")));
    } else {
        a.name = cmd.name;
        a.phone = cmd.phone;
        a.address = cmd.address;
        a.legal_representative = cmd.legal_representative;
    }
    if (a.name.empty()) throw InvalidInput("the applicant's name is needed (not known from an earlier case)");
    if (!a.phone.empty() && !phone_number(a.phone))
        throw InvalidInput("not a phone number: " + a.phone);
    core::Instant at = now();
    std::vector<core::CaseEvent> events{event(CaseAction::set_applicant, at, "", {{"applicant", core::to_json(a)}})};
    // 免证办: a material the government already issued is fetched, not asked for.
    std::vector<std::string> licences;
    if (env_.e_licences) {
        try {
            licences = env_.e_licences(a.doc_type, a.doc_number);
        } catch (const std::exception& e) {
            r.notes.push_back(std::string("e-licences not looked up: ") + e.what());
        }
    }
    if (!licences.empty()) {
        auto def = definition_of(c);
        for (const auto& entry : c.checklist.entries) {
            if (entry.status != MaterialStatus::pending || entry.source != core::MaterialSource::government || !def) continue;
            for (const auto& rule : def->materials()) {
                if (rule.code != entry.material_code || rule.spec.e_licence_type.empty()) continue;
                std::stringstream types(rule.spec.e_licence_type);
                for (std::string t; std::getline(types, t, '/');)
                    if (std::find(licences.begin(), licences.end(), t) != licences.end()) {
                        events.push_back(event(CaseAction::mark_material, at, "",
                                               {{"material_code", entry.material_code}, {"status", "e_licence"}, {"note", "电子证照：" + t}}));
                        r.notes.push_back("e-licence: " + entry.material_code + " (" + t + ")");
                        break;
                    }
            }
        }
    }
    // 一企一员: an enterprise with a contact clerk gets them as the case's helper.
    if (a.kind == core::ApplicantKind::organisation && !c.assistance)
        if (auto clerk = cases_.contact_clerk(a.doc_number)) {
            auto info = store_.user_info(*clerk);
            if (info && (info->role == core::Role::clerk || info->role == core::Role::chief)) {
                events.push_back(event(CaseAction::assist, at, "",
                                       {{"mode", "contact"}, {"helper", *clerk}, {"helper_name", info->display_name}}));
                r.notes.push_back("the enterprise's contact clerk (一企一员) follows the case: " + *clerk);
            }
        }
    auto done = commit(c, std::move(events), "", false);
    done.notes = std::move(r.notes);
    done.duplicates = cases_.open_duplicates(done.case_data);
    note_duplicates(done);
    return done;
}

ActResult Workflow::answer(const core::Uuid& id, const json& answers) {
    core::Case c = load(id);
    auto def = definition_of(c);
    if (!def) throw Refused("workflow.no_form", "the item of this case is no longer in the catalogue");
    core::Instant at = now();
    forms::FormSession session(def, core::china_date(at));
    session.set_answers(answers);
    forms::PrefillData pre;
    pre.applicant = core::to_json(c.applicant);
    ActResult r;
    auto filled = session.prefill(pre);
    // A material already scanned is not asked again: an attachment field bound to it gets the scan.
    store::BlobStore blobs(store_.db(), store_.dir(), store_.key());
    for (int root : def->roots()) {
        const forms::Field& f = def->fields()[std::size_t(root)];
        if (f.type != forms::FieldType::attachment || f.material.empty()) continue;
        std::string path = "/" + f.id;
        json given = answers.is_object() && answers.contains("answers") && answers["answers"].is_object() ? answers["answers"] : answers;
        const core::ChecklistEntry* entry = c.checklist.find(f.material);
        if (!entry && !f.item.empty())
            for (const auto& part : def->parts())
                if (part.item == f.item && !entry) entry = c.checklist.find(part.alias + "." + f.material);
        if (given.is_object() && given.contains(f.id)) {
            // A scan named in the answers must be one this store holds (recorded with case material --file).
            const json& a = given[f.id];
            if (a.is_object() && a.contains("sha256") && a["sha256"].is_string() && !blobs.has(a["sha256"].get<std::string>()))
                throw InvalidInput(path + ": the attachment " + a["sha256"].get<std::string>() +
                                   " is not in this store: scan the material first (case material ID CODE --status scanned --file F)");
            continue;
        }
        if (entry && !entry->blob_sha256.empty()) {
            session.set_answer(path, {{"sha256", entry->blob_sha256}});
            filled.push_back(path);
        }
    }
    if (!filled.empty()) r.notes.push_back("prefilled from the applicant: " + join(filled, ", "));
    auto v = session.validate();
    if (!v.valid) {
        std::vector<std::string> problems;
        for (const auto& i : v.issues)
            if (i.severity == forms::Severity::error && problems.size() < 10) problems.push_back(i.path + ": " + i.message_en);
        throw InvalidInput("the answers have " + std::to_string(v.errors()) + " problem(s): " + join(problems, "; "));
    }
    core::Case shape;
    shape.checklist = session.checklist();
    json data = {{"answers", session.answers_json()["answers"]}, {"form_version", def->version()},
                 {"checklist", core::to_json(shape)["checklist"]}};
    auto done = commit(c, {event(CaseAction::answer_form, at, "", std::move(data))}, "", false);
    done.notes = std::move(r.notes);
    return done;
}

ActResult Workflow::record_material(const core::Uuid& id, const RecordMaterial& cmd) {
    core::Case c = load(id);
    const core::ChecklistEntry* entry = c.checklist.find(cmd.material_code);
    if (!entry) {
        std::vector<std::string> codes;
        for (const auto& e : c.checklist.entries) codes.push_back(e.material_code);
        throw InvalidInput("no material '" + cmd.material_code + "' on this case's checklist (" + join(codes, ", ") + ")");
    }
    core::Instant at = now();
    json data = {{"material_code", cmd.material_code}};
    std::string blob;
    store::StagedBlob scan;
    std::string notice;
    CaseAction action = CaseAction::mark_material;
    switch (cmd.status) {
    case MaterialStatus::deferred: {
        if (!cmd.until) throw InvalidInput("a deferred material (容缺) needs the date it will be delivered (--until)");
        if (*cmd.until <= core::china_date(at)) throw InvalidInput("the promised delivery date must be after today");
        action = CaseAction::defer_material;
        data["promised_by"] = core::format_date(*cmd.until);
        notice = "deferred_commitment";
        break;
    }
    case MaterialStatus::commitment:
        action = CaseAction::record_commitment;
        data["check_due"] = check_due(c, at);
        data["text"] = cmd.commitment_text.empty() ? "申请人承诺所提供信息真实、有效，以告知承诺方式替代" + entry->name + "，如有不实愿承担相应法律责任。"
                                                   : cmd.commitment_text;
        notice = "notification_commitment";
        break;
    case MaterialStatus::scanned: {
        if (!cmd.file) throw InvalidInput("a scanned material needs the scan (--file)");
        std::string media = media_type_of(*cmd.file);
        std::string bytes = read_bytes(*cmd.file);
        if (bytes.empty()) throw InvalidInput("the scan " + cmd.file->string() + " is empty");
        check_magic(bytes, media, cmd.file->string());
        store::BlobStore blobs(store_.db(), store_.dir(), store_.key());
        std::istringstream in(bytes);
        scan = blobs.stage(in, media);  // listed with the act (see render)
        blob = scan.sha256;
        data["blob_sha256"] = blob;
        [[fallthrough]];
    }
    case MaterialStatus::original_received:
    case MaterialStatus::copy_received:
    case MaterialStatus::e_licence:
    case MaterialStatus::not_applicable: {
        bool outstanding = entry->status == MaterialStatus::deferred || entry->status == MaterialStatus::missing ||
                           entry->status == MaterialStatus::defective;
        // A material brought later (容缺, or after a correction notice) is delivered, not checked at intake.
        if (outstanding && cmd.status != MaterialStatus::not_applicable && c.state != CaseState::draft)
            action = CaseAction::fulfil_material;
        data["status"] = core::to_code(cmd.status);
        if (!cmd.note.empty()) data["note"] = cmd.note;
        break;
    }
    default:
        throw InvalidInput("a material is recorded as original, copy, scanned, e_licence, deferred, commitment or not_applicable");
    }
    if (!cmd.tracking_no.empty() || !cmd.carrier.empty()) {
        if (cmd.tracking_no.empty()) throw InvalidInput("a material received by post is logged with its tracking number");
        if (cmd.status != MaterialStatus::original_received && cmd.status != MaterialStatus::copy_received &&
            cmd.status != MaterialStatus::scanned)
            throw InvalidInput("a material received by post is an original, a copy or scanned");
        data["via"] = "post";
        data["tracking_no"] = cmd.tracking_no;
        data["carrier"] = cmd.carrier;
    }
    std::vector<core::CaseEvent> events{event(action, at, "", std::move(data))};
    auto link = [&](const core::Case& done) {
        if (blob.empty()) return;
        record_blob(scan);
        cases_.attach_blob(done.id, blob, "material", cmd.material_code, actor(), at);
    };
    // A material may only be recorded with a notice once the applicant is known (the notice names them).
    if (!notice.empty() && c.applicant.doc_number.empty()) notice.clear();
    return commit(c, std::move(events), notice, false, link);
}

ActResult Workflow::accept(const core::Uuid& id) {
    core::Case c = load(id);
    core::Instant at = now();
    if (c.applicant.doc_number.empty())
        throw Refused("workflow.no_applicant", "the applicant is not identified yet (case applicant)");
    if (auto def = definition_of(c); def && !def->fields().empty() && c.answers.empty())
        throw Refused("workflow.form_missing", "the application form is not filled in yet (case answer)");
    if (auto blocking = c.checklist.blocking(); !blocking.empty()) {
        std::vector<std::string> names;
        for (const auto* b : blocking) names.push_back(b->name + " (" + b->material_code + ")");
        throw Refused("workflow.materials_missing", "materials still missing: " + join(names, ", ") +
                                                        " — record them, defer them (容缺) or ask for a correction");
    }
    std::vector<core::CaseEvent> events;
    if (c.state == CaseState::draft) events.push_back(event(CaseAction::receive, at));
    if (c.state == CaseState::correction_requested) {
        events.push_back(event(CaseAction::resubmit, at));
        if (c.accepted_at) return commit(c, std::move(events), "", false);  // back under review, the clock runs again
    }
    // 授权清单: each part's department must let the window accept its items of this kind.
    const auto parts = parts_of(c);
    const Authority auth = authority(actor());
    const auto& matrix = auth.matrix;
    for (const auto& part : parts) auth.check(core::Power::accept, part.second, c.kind);
    // Taken knowingly: the applicant's other open cases of the item go into the acceptance's record
    // (and to the platform with it), so supervision sees a matter accepted twice (两头受理).
    auto duplicates = cases_.open_duplicates(c);
    json data = json::object();
    // 事进人不进: a department with no one in the hall is called now; its chief representative
    // must take the case up within the department's answer time (the remote-calls queue's alarm).
    for (const auto& part : parts)
        if (const auto* policy = matrix.department(part.second); policy && policy->remote) {
            data["remote_call"] = {{"department", policy->department},
                                   {"contact", policy->contact},
                                   {"due_at", core::format_instant(at + std::chrono::minutes{policy->answer_minutes})}};
            break;
        }
    if (!duplicates.empty()) {
        json list = json::array();
        for (const auto& d : duplicates) list.push_back({{"id", d.id}, {"receipt_no", d.receipt_no}, {"state", d.state}});
        data["duplicates"] = std::move(list);
    }
    // A limit in hours runs over the opening hours in force now (the hours.regular setting); the
    // case keeps them, so a later change of the setting moves no promise already made.
    if (c.promised_limit_minutes > 0) data["opening_hours"] = store::SettingValues(store_).get("hours.regular");
    events.push_back(event(CaseAction::accept, at, "", std::move(data)));
    auto done = commit(c, std::move(events), c.kind == core::ItemKind::immediate ? "acceptance_receipt" : "acceptance_notice", false);
    done.duplicates = std::move(duplicates);
    note_duplicates(done);
    return done;
}

ActResult Workflow::request_correction(const core::Uuid& id, const Correction& cmd) {
    core::Case c = load(id);
    core::Instant at = now();
    json materials = json::array();
    if (cmd.materials.empty()) {
        for (const auto* b : c.checklist.blocking())
            materials.push_back({{"material_code", b->material_code}, {"status", "missing"}, {"note", b->note}});
    } else {
        for (const auto& m : cmd.materials) {
            if (!c.checklist.find(m.material_code)) throw InvalidInput("no material '" + m.material_code + "' on this case's checklist");
            materials.push_back({{"material_code", m.material_code}, {"status", m.defective ? "defective" : "missing"}, {"note", m.note}});
        }
    }
    if (materials.empty() && c.state != CaseState::under_review)
        throw Refused("workflow.nothing_missing", "nothing is missing: accept the application instead");
    std::vector<core::CaseEvent> events;
    if (c.state == CaseState::draft) {
        if (c.applicant.doc_number.empty())
            throw Refused("workflow.no_applicant", "the applicant is not identified yet (case applicant)");
        events.push_back(event(CaseAction::receive, at));
    }
    json data = {{"materials", materials}};
    // An online application's one-time notice goes to the applicant through the platform (网上告知).
    if (c.channel != core::Channel::window) data["delivery"] = "online";
    events.push_back(event(CaseAction::request_correction, at, cmd.reason, std::move(data)));
    auto saved = env_.envelope.correction_days;
    env_.envelope.correction_days = cmd.correction_days;
    try {
        auto r = commit(c, std::move(events), c.state == CaseState::under_review ? "correction_notice" : "one_time_notice", false);
        env_.envelope.correction_days = saved;
        return r;
    } catch (...) {
        env_.envelope.correction_days = saved;
        throw;
    }
}

ActResult Workflow::refuse(const core::Uuid& id, const Refusal& cmd) {
    if (cmd.reason.empty() || cmd.legal_basis.empty()) throw InvalidInput("a refusal needs the reason and the legal basis");
    core::Case c = load(id);
    core::Instant at = now();
    std::vector<core::CaseEvent> events;
    if (c.state == CaseState::draft) {
        if (c.applicant.doc_number.empty())
            throw Refused("workflow.no_applicant", "the applicant is not identified yet (case applicant)");
        events.push_back(event(CaseAction::receive, at));
    }
    events.push_back(event(CaseAction::refuse, at, cmd.reason, {{"legal_basis", cmd.legal_basis}}));
    return commit(c, std::move(events), "refusal_notice", false);
}

ActResult Workflow::pause(const core::Uuid& id, const Pause& cmd) {
    if (cmd.reason.empty()) throw InvalidInput("pausing the clock needs the reason (the special procedure)");
    core::Case c = load(id);
    return commit(c, {event(CaseAction::start_special_procedure, now(), cmd.reason, {{"kind", core::to_code(cmd.kind)}})}, "", false);
}

ActResult Workflow::resume(const core::Uuid& id, const std::string& result) {
    core::Case c = load(id);
    return commit(c, {event(CaseAction::end_special_procedure, now(), "", {{"result", result}})}, "", false);
}

/// 通办: the other region decides (Workflow::send_cross_region); nothing here does.
static void refuse_if_cross_region(const core::Case& c, const core::ServiceItem* item) {
    const core::CrossRegion* cr = c.cross_region ? &*c.cross_region : item && item->cross_region ? &*item->cross_region : nullptr;
    if (cr)
        throw Refused("workflow.cross_region", "'" + c.item_name + "' is a cross-region (通办) item decided by " + cr->region + cr->authority +
                                                   ": send it there (case send-remote); its decision comes back through the platform");
}

ActResult Workflow::submit(const core::Uuid& id) {
    core::Case c = load(id);
    refuse_if_cross_region(c, item_of(c));
    return commit(c, {event(CaseAction::start_review, now())}, "", false);
}

ActResult Workflow::decide(const core::Uuid& id, const Decide& cmd) {
    core::Actor who = actor();
    // 马上办: a window clerk decides an immediate case on the spot where its department authorised
    // the window to (decide and hold_seal for immediate items; the events say so: authority window).
    const bool at_window = who.role == core::Role::clerk;
    if (at_window) {
        if (!cmd.acting_for.empty()) throw Refused("workflow.not_authorised", "only post B acts for post A");
        if (cmd.verdict == Verdict::escalate)
            throw Refused("workflow.not_authorised", "a chief representative escalates a case, not the window");
    } else if (who.role != core::Role::chief) {
        throw Refused("workflow.not_authorised",
                      "only a chief representative decides ('" + who.user_id + "' is " + std::string(core::to_code(who.role)) + ")");
    } else if (who.post == core::Post::none)
        throw Refused("workflow.no_post", "'" + who.user_id + "' sits on no post (A/B): an administrator sets it with `user set`");
    if (!cmd.acting_for.empty()) {
        if (who.post != core::Post::B) throw Refused("workflow.not_authorised", "only post B acts for post A");
        auto a = store_.user_info(cmd.acting_for);
        if (!a || a->role != core::Role::chief || a->post != core::Post::A)
            throw Refused("workflow.acting_for", "'" + cmd.acting_for + "' is not a chief representative on post A");
        if (!a->absent_since)
            throw Refused("workflow.a_present", "'" + cmd.acting_for + "' (post A) is not marked absent: B may act only while A is absent");
        if (auto b = store_.user_info(who.user_id); b && !b->department.empty() && !a->department.empty() && b->department != a->department)
            throw Refused("workflow.acting_for", "'" + cmd.acting_for + "' (post A) represents " + a->department + ", '" + who.user_id +
                                                     "' " + b->department + ": B acts only for the A of its own department");
        who.acting_for = cmd.acting_for;
    } else if (!at_window && who.post == core::Post::B) {
        throw Refused("workflow.b_alone", "post B decides only while acting for an absent post A (--acting-for USER)");
    }
    if ((cmd.verdict == Verdict::deny || cmd.verdict == Verdict::return_for_correction || cmd.verdict == Verdict::escalate) &&
        cmd.opinion.empty())
        throw InvalidInput("this decision needs the opinion (the reasons)");
    core::Case c = load(id);
    refuse_if_cross_region(c, item_of(c));
    // 授权清单: the power the verdict needs, for each part's department (a joint approval: the
    // part being countersigned, below); a sealed decision needs hold_seal too.
    const auto parts = parts_of(c);
    const bool joint = !c.countersign_items.empty();
    const Authority auth = authority(who);
    // A clerk whom no grant lets decide is refused as before the matrix: a chief representative decides.
    if (at_window && (joint || !window_decides(auth.matrix, who, c)))
        throw Refused("workflow.not_authorised",
                      "only a chief representative decides ('" + who.user_id + "' is a clerk): the window decides on the spot (马上办) only "
                      "immediate items whose department gave it decide and hold_seal in the authorisation matrix" +
                          std::string(joint ? "; a joint approval (会签) is countersigned by the departments' chief representatives" : ""));
    const bool sealed = cmd.verdict == Verdict::approve || cmd.verdict == Verdict::deny;
    if (cmd.verdict == Verdict::escalate) {
        for (const auto& part : parts) auth.check(core::Power::escalate, part.second, c.kind);
    } else if (joint && cmd.verdict == Verdict::return_for_correction) {
        // Any of the departments countersigning may send the joint case back.
        std::optional<Refused> first;
        bool ok = false;
        for (const auto& part : parts) try {
                auth.check(core::Power::countersign, part.second, c.kind);
                ok = true;
                break;
            } catch (const Refused& e) {
                if (!first) first = e;
            }
        if (!ok && first) throw *first;
    } else if (!joint) {
        for (const auto& part : parts) {
            auth.check(core::Power::decide, part.second, c.kind);
            if (sealed) auth.check(core::Power::hold_seal, part.second, c.kind);
        }
    }
    core::Instant at = now();
    auto ev = [&](CaseAction a, std::string reason, json data = json::object()) {
        return core::CaseEvent{a, who, at, std::move(reason), std::move(data)};
    };
    std::vector<core::CaseEvent> events;
    // An immediate case is decided on the spot: accepted → under review → decided in one act.
    if (c.state == CaseState::accepted && cmd.verdict != Verdict::escalate) events.push_back(ev(CaseAction::start_review, ""));
    const core::ServiceItem* item = item_of(c);
    std::string basis = !cmd.legal_basis.empty() ? cmd.legal_basis : item ? item->spec.legal_basis : std::string();
    bool licensing = item && item->item_type == 1;  // 行政许可: 准予 / 不予行政许可决定书
    switch (cmd.verdict) {
    case Verdict::escalate:
        events.push_back(ev(CaseAction::escalate, cmd.opinion, {{"to", cmd.escalate_to.empty() ? "上级审批机关" : cmd.escalate_to}}));
        return commit(c, std::move(events), "", false);
    case Verdict::return_for_correction: {
        if (cmd.correct.empty())
            throw InvalidInput("a return names the materials to bring again (--missing CODE,… or --defective CODE:WHAT)");
        json materials = json::array();
        for (const auto& m : cmd.correct) {
            if (!c.checklist.find(m.material_code)) throw InvalidInput("no material '" + m.material_code + "' on this case's checklist");
            materials.push_back({{"material_code", m.material_code}, {"status", m.defective ? "defective" : "missing"}, {"note", m.note}});
        }
        events.push_back(ev(CaseAction::request_correction, cmd.opinion, {{"materials", materials}}));
        return commit(c, std::move(events), "correction_notice", false, {}, cmd.seal_pin);
    }
    case Verdict::approve:
    case Verdict::deny: {
        bool approve = cmd.verdict == Verdict::approve;
        if (!c.countersign_items.empty()) {
            std::vector<std::string> open;
            for (const auto& part : c.countersign_items)
                if (std::none_of(c.countersigns.begin(), c.countersigns.end(), [&](const core::Countersign& x) { return x.item == part; }))
                    open.push_back(part);
            std::string part = cmd.item;
            if (part.empty()) {
                if (open.size() != 1)
                    throw InvalidInput("this case needs a decision per part (会签): name the part with --item (open: " + join(open, ", ") + ")");
                part = open.front();
            }
            auth.check(core::Power::countersign, department_of(part), c.kind);
            events.push_back(ev(CaseAction::countersign, cmd.opinion, {{"item", part}, {"approved", approve}}));
            bool last = open.size() == 1 && open.front() == part;
            if (last || !approve) auth.check(core::Power::hold_seal, department_of(part), c.kind);
            if (approve && !last) return commit(c, std::move(events), "", false);  // more parts to countersign
        }
        json data = {{"legal_basis", basis}};
        if (at_window) data["authority"] = "window";
        events.push_back(ev(approve ? CaseAction::approve : CaseAction::deny, cmd.opinion, std::move(data)));
        std::string kind = approve ? (licensing ? "approval_decision" : "approval_result") : (licensing ? "denial_decision" : "denial_result");
        return commit(c, std::move(events), kind, true, {}, cmd.seal_pin);
    }
    }
    throw std::logic_error("unknown verdict");
}

std::optional<SealInfo> Workflow::decision_seal(const std::string& acting_for) {
    const core::Actor who = actor();
    store::SealAssignments seals(store_.db());
    // As render() finds it: the user's own, else their post's; B acting for A may use A's.
    auto seal = seals.for_user(who.user_id, who.post, false);
    if (!seal && !acting_for.empty()) seal = seals.for_user(acting_for, core::Post::A, false);
    if (!seal) return std::nullopt;
    SealInfo info;
    info.kind = seal->on_token() ? SealInfo::Kind::pkcs11 : SealInfo::Kind::pkcs12;
    info.name = seal->name;
    info.signer = seal->signer;
    info.holder = seal->holder;
    info.for_post = seal->holder_kind == store::SealAssignment::HolderKind::post;
    info.pin_required = seal->on_token();
    info.visible = !seal->image.empty();
    return info;
}

ActResult Workflow::issue(const core::Uuid& id, const IssueResult& cmd) {
    core::Case c = load(id);
    if (c.state == core::CaseState::approved && !c.fees_due().empty()) {
        std::vector<std::string> names;
        for (const auto* f : c.fees_due()) names.push_back(f->name + " (" + core::format_yuan(f->amount_fen) + " yuan)");
        throw Refused("workflow.fees_unpaid", "fees still due: " + join(names, ", ") +
                                                  " — record the payment (case pay) or the waiver (case waive) first");
    }
    core::Instant at = now();
    json data = {{"mode", cmd.mode == core::ResultHandover::Mode::mail ? "mail" : "pickup"},
                 {"recipient", cmd.recipient.empty() ? c.applicant.name : cmd.recipient}};
    std::string signature;
    store::StagedBlob staged;
    if (cmd.mode == core::ResultHandover::Mode::mail) {
        if (cmd.address.empty() || cmd.carrier.empty() || cmd.tracking_no.empty())
            throw InvalidInput("mailing the result needs the address, the carrier and the tracking number");
        data["address"] = cmd.address;
        data["carrier"] = cmd.carrier;
        data["tracking_no"] = cmd.tracking_no;
    } else if (cmd.signature_png) {
        std::string bytes = read_bytes(*cmd.signature_png);
        check_magic(bytes, "image/png", cmd.signature_png->string());
        store::BlobStore blobs(store_.db(), store_.dir(), store_.key());
        std::istringstream in(bytes);
        staged = blobs.stage(in, "image/png");  // listed with the act (see render)
        signature = staged.sha256;
        data["signature_sha256"] = signature;
    }
    auto link = [&](const core::Case& done) {
        if (signature.empty()) return;
        record_blob(staged);
        cases_.attach_blob(done.id, signature, "signature", "", actor(), at);
    };
    return commit(c, {event(CaseAction::issue_result, at, "", std::move(data))},
                  cmd.mode == core::ResultHandover::Mode::mail ? "mail_receipt" : "pickup_receipt", false, link);
}

const core::CaseFee& Workflow::fee_named(const core::Case& c, const std::string& fee, const std::string& item_code) const {
    if (c.fees.empty()) throw InvalidInput("the case is free of charge: '" + c.item_name + "' has no fee in the catalogue");
    const core::CaseFee* found = nullptr;
    if (fee.empty()) {
        auto due = c.fees_due();
        if (due.size() == 1 && (item_code.empty() || due.front()->item_code == item_code)) return *due.front();
        if (due.empty()) throw Refused("workflow.fee_settled", "every fee of the case is paid or waived already");
        throw InvalidInput("several fees are due: name the fee (" + std::to_string(due.size()) + " due)");
    }
    for (const auto& f : c.fees)
        if (f.name == fee && (item_code.empty() || f.item_code == item_code)) {
            if (found) throw InvalidInput("two parts of the case charge '" + fee + "': give the item code");
            found = &f;
        }
    if (!found) throw InvalidInput("the case is not charged a fee '" + fee + "'");
    if (found->settled())
        throw Refused("workflow.fee_settled", "the fee '" + fee + "' is " + std::string(core::to_code(found->status)) + " already");
    return *found;
}

ActResult Workflow::pay_fee(const core::Uuid& id, const Payment& cmd) {
    core::Case c = load(id);
    const core::CaseFee& fee = fee_named(c, cmd.fee, cmd.item_code);
    authority(actor()).check(core::Power::collect_fee, department_of(fee.item_code.empty() ? c.item_code : fee.item_code), c.kind);
    const std::int64_t amount = cmd.amount_fen.value_or(fee.amount_fen);
    if (amount <= 0) throw InvalidInput("the amount paid must be more than 0 yuan");
    if (amount > 10'000'000'000LL) throw InvalidInput("the amount paid is more than 100,000,000 yuan");
    if (amount != fee.amount_fen && blank(cmd.reason))
        throw InvalidInput("the catalogue charges " + core::format_yuan(fee.amount_fen) + " yuan for '" + fee.name +
                           "': another amount needs the reason (e.g. the local standard)");
    if (cmd.method != core::PaymentMethod::cash && cmd.method != core::PaymentMethod::other && blank(cmd.payment_no))
        throw InvalidInput("a payment by " + std::string(core::to_code(cmd.method)) + " needs its transaction number");
    if (cmd.payment_no.size() > 64 || cmd.bill_no.size() > 64) throw InvalidInput("transaction and bill numbers have at most 64 characters");
    json data = {{"item_code", fee.item_code}, {"fee", fee.name},       {"outcome", "paid"},        {"amount_fen", amount},
                 {"method", core::to_code(cmd.method)}, {"payment_no", cmd.payment_no}, {"bill_no", cmd.bill_no},
                 {"payer", cmd.payer.empty() ? c.applicant.name : cmd.payer}};
    return commit(c, {event(CaseAction::record_fee, now(), amount != fee.amount_fen ? cmd.reason : "", std::move(data))}, "fee_receipt", false);
}

ActResult Workflow::waive_fee(const core::Uuid& id, const FeeWaiver& cmd) {
    if (blank(cmd.reason)) throw InvalidInput("a waiver needs the reason");
    core::Case c = load(id);
    const core::CaseFee& fee = fee_named(c, cmd.fee, cmd.item_code);
    authority(actor()).check(core::Power::collect_fee, department_of(fee.item_code.empty() ? c.item_code : fee.item_code), c.kind);
    json data = {{"item_code", fee.item_code}, {"fee", fee.name}, {"outcome", "waived"}, {"basis", cmd.basis}};
    return commit(c, {event(CaseAction::record_fee, now(), cmd.reason, std::move(data))}, "fee_receipt", false);
}

ActResult Workflow::rate(const core::Uuid& id, const Rate& cmd) {
    if (cmd.level < 1 || cmd.level > 5) throw InvalidInput("a rating is 1 (非常不满意) … 5 (非常满意)");
    bool bad = cmd.level <= 2;
    if (bad && !is_bad_rating_reason(cmd.reason))
        throw InvalidInput("a rating of 1 or 2 needs the reason: slow, attitude, unclear, repeat_visits or other");
    if (!cmd.reason.empty() && !is_bad_rating_reason(cmd.reason)) throw InvalidInput("unknown reason '" + cmd.reason + "'");
    if (cmd.follow_up_days < 1 || cmd.follow_up_days > 30) throw InvalidInput("a follow-up is due in 1 to 30 working days");
    core::Case c = load(id);
    core::Instant at = now();
    json data = {{"level", 6 - cmd.level}, {"channel", cmd.channel}, {"comment", cmd.text}};
    if (bad) data["follow_up_due"] = core::format_date(calendar_.add_working_days(core::china_date(at), cmd.follow_up_days));
    if (!cmd.hotline_ticket.empty()) data["hotline_ticket"] = cmd.hotline_ticket;
    return commit(c, {event(CaseAction::rate, at, cmd.reason, std::move(data))}, "", false);
}

ActResult Workflow::close_follow_up(const core::Uuid& id, const std::string& note) {
    core::Case c = load(id);
    if (note.empty()) throw InvalidInput("closing a follow-up needs a note of what was done");
    try {
        store::Ratings(store_.db()).close_follow_up(id.to_string(), note, actor(), now());
    } catch (const store::StoreError&) {
        throw;
    } catch (const core::InvalidData& e) {
        throw Refused("workflow.no_follow_up", e.what());
    }
    ActResult r;
    r.case_data = c;
    if (env_.after_commit) env_.after_commit(c);
    return r;
}

}  // namespace ow::workflow
