// onewindow-cli notice kinds|render — notices and receipts as PDF (ow_notices).
//   notice kinds                         one kind code per line, a tab, its Chinese title
//   notice render --kind KIND --data CASE.json -o OUT.pdf
//   notice render --kind KIND --case ID --store DIR --password-file F [--notice ENVELOPE.json] -o OUT.pdf
// Both take --templates DIR to use other template files than the shipped ones. A case from the
// store has no envelope: it comes from --notice (the "notice" member's format, docs/notices.md)
// over the shipped defaults (<data dir>/notices/envelope/default.json).
// Exit: 0 written; 1 missing or invalid data (the message names the field); 2 usage or other.
// On failure no output file is left behind (the PDF is written to a temporary file and renamed).
#include "cli.h"
#include "i18n.h"
#include "store_access.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/core/catalog.h"
#include "ow/core/json_reader.h"
#include "ow/core/paths.h"
#include "ow/notices/renderer.h"
#include "ow/store/cases.h"
#include "ow/store/errors.h"
#include "ow/store/repositories.h"
#include "ow/store/store.h"

#include <algorithm>
#include <iostream>
#include <optional>

namespace ow::cli {
namespace {

struct NoticeArgs {
    std::string kind, data, case_id, store, password_file, user, notice, out, templates;
};

NoticeArgs parse(const std::vector<std::string>& args) {
    NoticeArgs a;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto value = [&](std::string& into) {
            if (i + 1 >= args.size()) throw UsageError{subst(tr("%1 needs a value"), args[i])};
            into = args[++i];
        };
        const std::string& o = args[i];
        if (o == "--kind") value(a.kind);
        else if (o == "--data") value(a.data);
        else if (o == "--case") value(a.case_id);
        else if (o == "--store") value(a.store);
        else if (o == "--password-file") value(a.password_file);
        else if (o == "--user") value(a.user);
        else if (o == "--notice") value(a.notice);
        else if (o == "-o" || o == "--output") value(a.out);
        else if (o == "--templates") value(a.templates);
        else throw UsageError{subst(tr("unexpected argument %1"), o)};
    }
    return a;
}

notices::TemplateSet load_templates(const std::string& dir) {
    return dir.empty() ? notices::TemplateSet::load_shipped() : notices::TemplateSet::load_directory(dir);
}

int kinds(const std::vector<std::string>& args) {
    auto a = parse(args);
    if (!a.kind.empty() || !a.data.empty() || !a.case_id.empty() || !a.out.empty())
        throw UsageError{tr("notice kinds takes only --templates DIR")};
    const auto templates = load_templates(a.templates);
    for (const auto& t : templates.all()) std::cout << t.kind << '\t' << t.title << '\n';
    return kOk;
}

// The envelope for a stored case: --notice FILE over the shipped defaults.
notices::NoticeEnvelope envelope_for(const NoticeArgs& a, const core::Case& c) {
    nlohmann::json merged = nlohmann::json::object();
    auto defaults = core::data_dir() / "notices" / "envelope" / "default.json";
    if (std::filesystem::exists(defaults)) merged = core::read_json_file(defaults);
    if (!a.notice.empty()) {
        auto given = core::read_json_file(a.notice);
        if (!given.is_object()) throw notices::NoticeDataError("/", subst(tr("%1: must be an object (the notice envelope)"), a.notice));
        for (const auto& [k, v] : given.items()) merged[k] = v;
    }
    auto e = notices::envelope_from_json(merged, a.notice.empty() ? defaults.string() : a.notice);
    for (std::string key = "{receipt_no}"; e.progress_url.find(key) != std::string::npos;)
        e.progress_url.replace(e.progress_url.find(key), key.size(), c.receipt_no);
    return e;
}

// A case from the encrypted store (as `case show` prints it).
notices::NoticeInput from_store(const NoticeArgs& a) {
    if (a.store.empty()) throw UsageError{tr("--case needs --store DIR (and --password-file F)")};
    auto id = core::Uuid::parse(a.case_id);
    if (!id) throw UsageError{subst(tr("not a case ID: %1"), a.case_id)};
    auto s = open_store(a.store, a.password_file, a.user);
    auto calendar = store::PlatformCalendars(s->db()).calendar();
    auto c = store::CaseStore(s->db(), calendar).load(*id);
    if (!c) throw notices::NoticeDataError("/case", subst(tr("no case %1 in %2"), a.case_id, a.store));
    notices::NoticeInput input;
    input.envelope = envelope_for(a, *c);
    // The item as this store knows it (the platform's catalogue once synced, else the shipped one);
    // a catalogue that cannot be read only loses the hints.
    try {
        auto cat = catalogue::load_store_catalogue(s->db());
        if (const auto* item = cat.catalogue.item(c->item_code)) input.item = *item;
    } catch (const store::StoreError&) {
        throw;
    } catch (const core::Error&) {
    }
    input.case_data = std::move(*c);
    return input;
}

int render_checked(const std::vector<std::string>& args) {
    auto a = parse(args);
    if (a.kind.empty()) throw UsageError{tr("--kind KIND is needed (see: notice kinds)")};
    if (a.out.empty()) throw UsageError{tr("-o OUT.pdf is needed")};
    if (a.data.empty() == a.case_id.empty()) throw UsageError{tr("give either --data CASE.json or --case ID --store DIR")};
    notices::NoticeRenderer renderer(load_templates(a.templates));
    if (!renderer.templates().find(a.kind)) throw UsageError{subst(tr("unknown notice kind '%1' (see: notice kinds)"), a.kind)};
    if (!a.data.empty() && (!a.store.empty() || !a.notice.empty())) throw UsageError{tr("--data carries the whole input: no --store or --notice")};
    notices::NoticeInput input = a.case_id.empty() ? notices::read_notice_input(a.data) : from_store(a);
    if (!input.item) {
        // Hints for the one-time notice (issuer, pickup, conditions) come from the shipped
        // catalogue when the data does not carry the item (a stored case has the store's, above);
        // a catalogue that cannot be read only loses the hints.
        try {
            auto catalogue = core::Catalogue::load_shipped();
            if (const auto* item = catalogue.item(input.case_data.item_code)) input.item = *item;
        } catch (const core::Error&) {
        }
    }
    if (input.envelope.issuing_body.empty() && input.item && !a.case_id.empty())
        input.envelope.issuing_body = input.item->department;  // the implementing department issues it
    try {
        auto r = renderer.render_to_file(a.kind, input, a.out);
        std::cerr << "onewindow-cli: " << subst(r.pages == 1 ? tr("wrote %1 (%2 page)") : tr("wrote %1 (%2 pages)"), a.out, std::to_string(r.pages)) << "\n";
        return kOk;
    } catch (const notices::NoticeDataError& e) {
        std::cerr << "onewindow-cli: " << subst(tr("missing or invalid data: %1"), error_text(e)) << "\n";
        return kNo;
    }
}

int render(const std::vector<std::string>& args) {
    // A wrong password, back-off, a damaged or unavailable store: the user's input (exit 1).
    return guarded([&] { return render_checked(args); });
}

}  // namespace

void register_notice_commands() {
    commands().push_back({"notice", "kinds", "[--templates DIR]",
                          TR_N_("print the notice kinds, one per line: code, a tab, the Chinese title"), kinds});
    commands().push_back({"notice", "render",
                          "--kind KIND (--data INPUT.json | --case ID --store DIR --password-file F [--notice ENVELOPE.json]) "
                          "-o OUT.pdf [--templates DIR]",
                          TR_N_("render a notice or receipt as an A4 PDF (exit 1: missing or invalid data, the field named; "
                          "no output file on failure)"),
                          render});
}

}  // namespace ow::cli
