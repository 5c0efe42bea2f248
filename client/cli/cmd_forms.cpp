// onewindow-cli forms list [--json] | validate PATH… | check CODE ANSWERS.json [--today YYYY-MM-DD]
// list and check read the shipped catalogue, or with --store DIR --password-file F [--user N] the
// store's catalogue (the platform's once a sync has delivered it; ow_catalogue).
#include "cli.h"
#include "i18n.h"
#include "store_access.h"

#include "ow/catalogue/store_catalogue.h"
#include "ow/core/json_reader.h"
#include "ow/core/date.h"
#include "ow/core/error.h"
#include "ow/forms/definition.h"
#include "ow/forms/session.h"

#include <algorithm>
#include <map>
#include <filesystem>
#include <optional>
#include <iostream>

namespace ow::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// --store DIR, --password-file F, --user NAME: which store's catalogue to read.
struct CatalogueSource {
    std::map<std::string, std::string> open;  // the options as given
    /// Takes args[i] (and its value) when it is one of the store options; UsageError without a value.
    bool take(const std::vector<std::string>& args, std::size_t& i) {
        if (!kOpenOptions.count(args[i])) return false;
        if (i + 1 >= args.size()) throw UsageError{subst(tr("%1 needs a value"), args[i])};
        open[args[i]] = args[i + 1];
        ++i;
        return true;
    }
    /// The store's catalogue with --store, the shipped one without.
    forms::FormCatalogue load() const {
        if (!open.count("--store")) {
            if (!open.empty()) throw UsageError{tr("--password-file and --user go with --store DIR")};
            return forms::FormCatalogue::load_shipped();
        }
        Options o;
        o.values = open;
        auto s = open_store(o, store::OpenMode::read_only);
        auto cat = catalogue::load_store_catalogue(s->db());
        if (!cat.problem.empty()) std::cerr << "onewindow-cli: " << tr(cat.problem.c_str()) << "\n";
        return std::move(cat.forms);
    }
};

int list(const std::vector<std::string>& args) {
    bool as_json = false;
    CatalogueSource source;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--json") as_json = true;
        else if (!source.take(args, i)) throw UsageError{subst(tr("unexpected argument '%1'"), args[i])};
    }
    auto cat = source.load();
    json out = json::array();
    for (const auto& d : cat.all()) {
        json o{{"code", d->code()}, {"name", d->name()}, {"name_en", d->name_en()},
               {"type", d->is_bundle() ? "bundle" : "item"}, {"version", d->version()}};
        if (d->item()) o["kind"] = core::to_code(d->item()->kind);
        if (d->bundle()) o["items"] = d->bundle()->items;
        out.push_back(std::move(o));
    }
    if (as_json) {
        std::cout << out.dump(2) << "\n";
        return kOk;
    }
    for (const auto& o : out)
        std::cout << o["code"].get<std::string>() << "\t" << o["type"].get<std::string>() << "\t"
                  << (o.contains("kind") ? o["kind"].get<std::string>() : "-") << "\t" << o["name"].get<std::string>() << "\n";
    return kOk;
}

/// Validates one definition file; bundles are checked against the items beside them
/// (../items) or, failing that, the shipped catalogue. Returns the number of definitions.
std::size_t validate_file(const fs::path& file) {
    json j = forms::read_definition_file(file);
    if (j.is_object() && j.contains("items") && j["items"].is_array()) {
        fs::path items_dir = file.parent_path().parent_path() / "items";
        forms::FormCatalogue cat;
        if (fs::is_directory(items_dir) && fs::exists(file.parent_path().parent_path() / "bundles")) {
            cat = forms::FormCatalogue::load_directory(file.parent_path().parent_path());
        } else {
            cat = forms::FormCatalogue::load_shipped();
        }
        forms::FormDefinition::from_bundle(j, file.string(), cat.items());
        return 1;
    }
    forms::FormDefinition::from_item(j, file.string());
    return 1;
}

int validate(const std::vector<std::string>& args) {
    if (args.empty()) throw UsageError{tr("expected definition files or directories")};
    int rc = kOk;
    for (const auto& a : args) {
        fs::path p(a);
        std::error_code ec;
        if (!fs::exists(p, ec)) {
            std::cerr << "onewindow-cli: " << subst(tr("%1: no such file or directory"), a) << "\n";
            rc = std::max(rc, int(kUsage));
            continue;
        }
        try {
            std::size_t n = 0;
            if (fs::is_directory(p / "items")) {
                n = forms::FormCatalogue::load_directory(p).all().size();
            } else if (fs::is_directory(p)) {
                auto files = core::json_files_in(p, ec);
                if (ec) throw core::InvalidData(subst(tr("%1: cannot be read: %2"), p.string(), ec.message()));
                for (const auto& f : files) n += validate_file(f);
            } else {
                n = validate_file(p);
            }
            std::cout << "ok " << a << " (" << n << (n == 1 ? " definition)\n" : " definitions)\n");
        } catch (const core::Error& e) {
            std::cerr << subst(tr("invalid: %1"), error_text(e)) << "\n";
            if (rc == kOk) rc = kNo;
        }
    }
    return rc;
}

int check(const std::vector<std::string>& args) {
    std::vector<std::string> pos;
    std::optional<core::Date> today;
    CatalogueSource source;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (source.take(args, i)) continue;
        if (args[i] == "--today") {
            if (i + 1 >= args.size()) throw UsageError{tr("--today needs a date")};
            auto d = core::try_parse_date(args[++i]);
            if (!d) throw UsageError{tr("--today: not a date (YYYY-MM-DD)")};
            today = d;
        } else {
            pos.push_back(args[i]);
        }
    }
    if (pos.size() != 2) throw UsageError{tr("expected ITEM_OR_BUNDLE_CODE ANSWERS.json")};
    auto cat = source.load();
    auto def = cat.find(pos[0]);
    if (!def) {
        std::cerr << "onewindow-cli: " << subst(tr("no item or bundle with code '%1' (see: forms list)"), pos[0]) << "\n";
        return kUsage;
    }
    json answers = forms::read_definition_file(pos[1]);  // size-limited read; ParseError → exit 1
    forms::FormSession session(def, today);
    session.set_answers(answers);
    auto result = session.validate();
    json out = to_json(result);
    out["form"] = def->code();
    out["version"] = def->version();
    json checklist = json::array();
    for (const auto& e : session.checklist().entries) checklist.push_back(forms::to_json(e));
    out["checklist"] = std::move(checklist);
    out["answers"] = session.answers_json();
    if (def->is_bundle()) out["item_answers"] = session.item_answers();
    std::cout << out.dump(2) << "\n";
    return result.valid ? kOk : kNo;
}

}  // namespace

void register_forms_commands() {
    commands().push_back({"forms", "list", "[--json] [--store DIR --password-file F [--user NAME]]",
                          TR_N_("list the service items and bundles of the catalogue (--json: code, name, type, kind); "
                          "with --store the store's catalogue (the platform's once synced), else the shipped one"),
                          run_guarded<list>});
    commands().push_back({"forms", "validate", "PATH…",
                          TR_N_("check form definition files or catalogue directories; errors name the file and JSON pointer"),
                          validate});
    commands().push_back({"forms", "check", "ITEM_OR_BUNDLE_CODE ANSWERS.json [--today YYYY-MM-DD] [--store DIR --password-file F [--user NAME]]",
                          TR_N_("validate answers against a form: prints {valid, errors, checklist, answers}; exit 1 when invalid; "
                          "with --store the store's catalogue"),
                          run_guarded<check>});
}

}  // namespace ow::cli
