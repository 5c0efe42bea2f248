#include "settings/settings_view.h"

#include "common/labels.h"
#include "common/remeasure.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/filedlg.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace ow::app {
namespace {

const wxColour kError(0xb0, 0x00, 0x20);
const wxColour kOk(0x1b, 0x6e, 0x20);

/// The label of a setting, in the desk's language.
wxString setting_label(const std::string& key) {
    if (key == "platform.url") return _("Platform address");
    if (key == "platform.ca_bundle") return _("CA certificates (PEM)");
    if (key == "platform.client_cert") return _("Client certificate (PEM)");
    if (key == "platform.proxy") return _("Proxy");
    if (key == "lock.idle_minutes") return _("Lock after idle (minutes)");
    if (key == "window.label") return _("Window label");
    if (key == "print.printer") return _("Printer");
    if (key == "print.paper") return _("Paper");
    if (key == "ui.language") return _("Language");
    if (key == "ui.large_font") return _("Large font");
    if (key == "devices.id_reader") return _("ID card reader");
    if (key == "devices.scanner") return _("Scanner");
    if (key == "devices.rating_device") return _("Rating device");
    if (key == "devices.signature") return _("Signature pad");
    if (key == "hours.regular") return _("Opening hours (working days)");
    if (key == "hours.extended") return _("Extended hours");
    if (key == "hours.staggered") return _("Staggered hours");
    // TRANSLATORS: who staffs this window on which days of the week (值班表).
    if (key == "hours.duty") return _("Duty roster");
    return u8(key);
}

/// A hint for a text field (an example of the format).
wxString setting_hint(const std::string& key) {
    if (key == "platform.url") return "https://";
    if (key == "platform.proxy") return _("none; e.g. http://proxy:3128");
    if (key == "print.printer") return _("the system's default printer");
    if (key == "window.label") return _("e.g. Window 3");
    if (key == "hours.regular") return "09:00-12:00,13:30-17:00";
    if (key == "hours.extended") return _("e.g. mon-fri 17:00-18:30");
    if (key == "hours.staggered") return _("e.g. mon-fri 12:00-13:30; sat 09:00-12:00");
    // TRANSLATORS: an example of the duty roster's format; the day names stay as they are (mon … sun).
    if (key == "hours.duty") return _("e.g. mon-fri Wang Fang; sat Li Qiang,Zhang Wei");
    return {};
}

/// Why a value was refused, in the desk's language.
wxString refusal_text(const std::string& code, const store::SettingDef* def) {
    if (code == "settings.empty") return _("Required.");
    if (code == "settings.too_long") return _("Too long.");
    if (code == "settings.control_character") return _("Contains characters that are not allowed.");
    if (code == "settings.not_a_number") return _("Not a whole number.");
    if (code == "settings.out_of_range" && def) return wxString::Format(_("From %ld to %ld."), def->min, def->max);
    if (code == "settings.not_a_choice" || code == "settings.not_boolean") return _("Not one of the choices.");
    if (code == "settings.bad_url") return _("Not a valid address (https://host[:port][/path]).");
    if (code == "settings.insecure_url") return _("Use https:// (http:// only for a platform on this computer).");
    if (code == "settings.bad_proxy") return _("Not a proxy address (http://, https://, socks5://).");
    if (code == "settings.bad_pem") return _("Not a PEM certificate file.");
    if (code == "settings.bad_plugin") return _("Not a plugin name.");
    if (code == "settings.bad_hours" && def && def->type == store::SettingType::windows)
        return _("Not valid hours (e.g. mon-fri 17:00-18:30).");
    if (code == "settings.bad_hours") return _("Not valid hours (e.g. 09:00-12:00,13:30-17:00).");
    if (code == "settings.bad_roster") return _("Not a duty roster (e.g. mon-fri Wang Fang; sat Li Qiang,Zhang Wei; names up to 20 characters).");
    if (code == "settings.overlap" && def && def->type == store::SettingType::roster) return _("A day is named twice.");
    if (code == "settings.overlap") return _("Two time spans overlap.");
    if (code == "settings.not_connected") return _("No platform is connected yet: enrol this terminal first.");
    if (code == "settings.read_only")
        return _("Issued to this terminal when it is enrolled and renewed at sync; it cannot be set by hand.");
    if (code == "store.not_authorised") return _("Only an administrator may change this.");
    if (code == "io.read") return _("The file cannot be read.");
    return wxString::Format(_("Not saved (%s)."), u8(code));
}

wxString language_name(const std::string& code) {
    if (code == "zh_CN") return wxString::FromUTF8("简体中文");
    if (code == "zh_TW") return wxString::FromUTF8("繁體中文");
    return "English";
}

wxString pem_state(const std::string& value) {
    if (value.empty()) return _("Not set");
    std::size_t n = 0;
    for (auto p = value.find("BEGIN CERTIFICATE"); p != std::string::npos; p = value.find("BEGIN CERTIFICATE", p + 1)) ++n;
    return wxString::Format(wxPLURAL("Set: %u certificate", "Set: %u certificates", unsigned(n)), unsigned(n));
}

}  // namespace

SettingsView::SettingsView(wxWindow* parent, DeskServices& services, TaskRunner& tasks, std::function<void(const std::string&)> changed)
    : wxScrolledWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL | wxVSCROLL, "settings"),
      services_(services), tasks_(tasks), changed_(std::move(changed)), presenter_(std::make_unique<SettingsPresenter>(services)) {
    SetScrollRate(0, FromDIP(12));
    build();
    reload();
}

SettingsView::~SettingsView() { *alive_ = false; }

void SettingsView::build() {
    // Two columns, so that a 1366×768 desk shows every setting at once.
    auto* outer = new wxBoxSizer(wxHORIZONTAL);
    wxBoxSizer* columns[2] = {new wxBoxSizer(wxVERTICAL), new wxBoxSizer(wxVERTICAL)};
    outer->Add(columns[0], 1, wxEXPAND);
    outer->Add(columns[1], 1, wxEXPAND);
    int group_index = 0;
    struct Group {
        wxString title;
        const char* prefix;
    };
    const Group groups[] = {{_("Platform"), "platform."},     {_("Lock and window"), "lock.|window."}, {_("Printing"), "print."},
                            {_("Display"), "ui."},            {_("Devices"), "devices."},             {_("Working hours"), "hours."}};
    auto in_group = [](const std::string& key, const std::string& prefixes) {
        std::size_t start = 0;
        while (start <= prefixes.size()) {
            auto bar = prefixes.find('|', start);
            auto p = prefixes.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
            if (key.rfind(p, 0) == 0) return true;
            if (bar == std::string::npos) break;
            start = bar + 1;
        }
        return false;
    };
    for (const auto& g : groups) {
        auto* box = new wxStaticBoxSizer(wxVERTICAL, this, g.title);
        auto* parent = box->GetStaticBox();
        auto* grid = new wxFlexGridSizer(2, FromDIP(6), FromDIP(10));
        grid->AddGrowableCol(1);
        for (const auto& row : presenter_->rows()) {
            const auto& d = *row.def;
            if (!in_group(d.name, g.prefix)) continue;
            const wxString name = u8("settings." + d.name);
            grid->Add(new wxStaticText(parent, wxID_ANY, setting_label(d.name)), 0, wxALIGN_CENTER_VERTICAL);
            wxWindow* field = nullptr;
            auto* cell = new wxBoxSizer(wxHORIZONTAL);
            switch (d.type) {
            case store::SettingType::boolean: {
                auto* c = new wxCheckBox(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, name);
                c->Bind(wxEVT_CHECKBOX, [this, key = d.name](wxCommandEvent&) { apply(key); });
                field = c;
                break;
            }
            case store::SettingType::choice:
            case store::SettingType::plugin: {
                auto* c = new wxChoice(parent, wxID_ANY, wxDefaultPosition, wxSize(FromDIP(200), -1), 0, nullptr, 0, wxDefaultValidator, name);
                c->Bind(wxEVT_CHOICE, [this, key = d.name](wxCommandEvent&) { apply(key); });
                field = c;
                break;
            }
            case store::SettingType::pem: {
                auto* t = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(120), -1), 0, name);
                field = t;
                auto* choose = new wxButton(parent, wxID_ANY, _("Choose file..."), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                                            name + ".choose");
                auto* clear = new wxButton(parent, wxID_ANY, _("Clear"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, name + ".clear");
                choose->Bind(wxEVT_BUTTON, [this, key = d.name](wxCommandEvent&) {
                    wxFileDialog dlg(this, _("Choose a PEM certificate file"), wxString(), wxString(),
                                     _("Certificates (*.pem;*.crt)|*.pem;*.crt|All files|*"), wxFD_OPEN | wxFD_FILE_MUST_EXIST);
                    if (dlg.ShowModal() != wxID_OK) return;
                    auto a = presenter_->apply_file(key, std::filesystem::path(dlg.GetPath().utf8_string()));
                    if (a.stored) changed_(key);
                    show_row(key);
                });
                clear->Bind(wxEVT_BUTTON, [this, key = d.name](wxCommandEvent&) {
                    if (presenter_->apply(key, "").stored) changed_(key);
                    show_row(key);
                });
                cell->Add(t, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(6));
                cell->Add(choose, 0, wxRIGHT, FromDIP(4));
                cell->Add(clear, 0);
                choose->Enable(row.may_change);
                clear->Enable(row.may_change);
                break;
            }
            default: {
                const bool wide = d.type == store::SettingType::url || d.type == store::SettingType::proxy ||
                                  d.type == store::SettingType::hours || d.type == store::SettingType::windows ||
                                  d.type == store::SettingType::roster;
                auto* t = new wxTextCtrl(parent, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(wide ? 330 : 200), -1),
                                         wxTE_PROCESS_ENTER, wxDefaultValidator, name);
                t->SetHint(setting_hint(d.name));
                t->Bind(wxEVT_TEXT_ENTER, [this, key = d.name](wxCommandEvent&) { apply(key); });
                t->Bind(wxEVT_KILL_FOCUS, [this, key = d.name](wxFocusEvent& e) {
                    e.Skip();
                    CallAfter([this, key] { apply(key); });
                });
                field = t;
                break;
            }
            }
            if (d.type != store::SettingType::pem) cell->Add(field, 0, wxALIGN_CENTER_VERTICAL);
            if (SettingsPresenter::capability_of(d.name)) {
                auto* test = new wxButton(parent, wxID_ANY, _("Test"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, name + ".test");
                test->Bind(wxEVT_BUTTON, [this, key = d.name](wxCommandEvent&) { test_device(key); });
                cell->Add(test, 0, wxLEFT, FromDIP(6));
                auto* result = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, name + ".result");
                cell->Add(result, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, FromDIP(6));
                results_[d.name] = result;
            }
            if (!row.may_change && d.type != store::SettingType::pem) field->Enable(false);
            // The reason of a refusal below the field (hidden while there is none).
            auto* err = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, name + ".error");
            err->SetForegroundColour(kError);
            err->Hide();
            auto* right = new wxBoxSizer(wxVERTICAL);
            right->Add(cell, 0, wxEXPAND);
            right->Add(err, 0, wxTOP, FromDIP(2));
            grid->Add(right, 0, wxEXPAND);
            fields_[d.name] = field;
            errors_[d.name] = err;
        }
        box->Add(grid, 0, wxEXPAND | wxALL, FromDIP(6));
        columns[group_index++ < 3 ? 0 : 1]->Add(box, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, FromDIP(8));
        if (group_index == 1) build_enrolment(columns[0]);  // under the platform's settings
    }
    // The working-day calendar: the official years and the import of a calendar file.
    auto* box = new wxStaticBoxSizer(wxVERTICAL, this, _("Working-day calendar"));
    auto* parent = box->GetStaticBox();
    years_ = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "settings.calendar.years");
    box->Add(years_, 0, wxALL, FromDIP(6));
    auto* line = new wxBoxSizer(wxHORIZONTAL);
    auto* import = new wxButton(parent, wxID_ANY, _("Import a calendar file..."), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                                "settings.calendar.import");
    import->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { import_calendar(); });
    import->Enable(services_.store().user().role == core::Role::admin);
    line->Add(import, 0);
    calendar_result_ = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "settings.calendar.result");
    line->Add(calendar_result_, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, FromDIP(8));
    box->Add(line, 0, wxALL, FromDIP(6));
    columns[1]->Add(box, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, FromDIP(8));
    SetSizer(outer);
}

void SettingsView::reload() {
    presenter_->reload();
    for (const auto& row : presenter_->rows()) show_row(row.def->name);
    show_years();
    show_enrolment_form();
    Layout();
    FitInside();
}

void SettingsView::show_row(const std::string& key) {
    const SettingRow* row = presenter_->row(key);
    auto it = fields_.find(key);
    if (!row || it == fields_.end()) return;
    showing_ = true;
    const auto& d = *row->def;
    wxWindow* field = it->second;
    if (auto* t = wxDynamicCast(field, wxTextCtrl)) {
        // A refused text stays for correcting; a proxy's password is not shown (type it whole to change it).
        if (row->error.empty()) t->ChangeValue(u8(store::shown_value(d, row->value)));
    } else if (auto* c = wxDynamicCast(field, wxCheckBox)) {
        c->SetValue(row->value == "true");
    } else if (auto* ch = wxDynamicCast(field, wxChoice)) {
        ch->Clear();
        if (d.type == store::SettingType::plugin) {
            ch->Append(_("Automatic (the first found)"), new wxStringClientData(wxString()));
            auto names = presenter_->plugins_for(key);
            if (!row->value.empty() && std::find(names.begin(), names.end(), row->value) == names.end()) names.push_back(row->value);
            for (const auto& n : names) ch->Append(plugin_label(n), new wxStringClientData(u8(n)));
        } else {
            for (const auto& value : d.choices)
                ch->Append(d.name == "ui.language" ? language_name(value) : u8(value), new wxStringClientData(u8(value)));
        }
        for (unsigned i = 0; i < ch->GetCount(); ++i)
            if (static_cast<wxStringClientData*>(ch->GetClientObject(i))->GetData().utf8_string() == row->value) ch->SetSelection(int(i));
    } else if (auto* st = wxDynamicCast(field, wxStaticText)) {
        st->SetLabel(pem_state(row->value));
    }
    show_error(key, row->error);
    showing_ = false;
}

void SettingsView::show_error(const std::string& key, const std::string& code) {
    auto it = errors_.find(key);
    if (it == errors_.end()) return;
    const SettingRow* row = presenter_->row(key);
    it->second->SetLabel(code.empty() ? wxString() : refusal_text(code, row ? row->def : nullptr));
    it->second->Show(!code.empty());
    it->second->SetToolTip(row && !row->detail.empty() ? u8(row->detail) : wxString());
    if (!code.empty() && row) wxLogDebug("settings: %s refused: %s", u8(key), u8(row->detail));
    Layout();
    FitInside();
}

bool SettingsView::apply(const std::string& key) {
    if (showing_) return false;
    auto it = fields_.find(key);
    const SettingRow* row = presenter_->row(key);
    if (it == fields_.end() || !row || !row->may_change) return false;
    std::string text;
    if (auto* t = wxDynamicCast(it->second, wxTextCtrl)) text = t->GetValue().utf8_string();
    else if (auto* c = wxDynamicCast(it->second, wxCheckBox)) text = c->GetValue() ? "true" : "false";
    else if (auto* ch = wxDynamicCast(it->second, wxChoice)) {
        int sel = ch->GetSelection();
        if (sel == wxNOT_FOUND) return false;
        text = static_cast<wxStringClientData*>(ch->GetClientObject(unsigned(sel)))->GetData().utf8_string();
    } else {
        return false;
    }
    if (text == store::shown_value(*row->def, row->value) && row->error.empty()) return true;  // unchanged: nothing stored or audited
    auto a = presenter_->apply(key, text);
    if (a.stored) {
        show_row(key);
        changed_(key);  // may rebuild the desk (a language switch): this view may be gone after it
        return true;
    }
    show_error(key, a.code);
    return false;
}

void SettingsView::test_device(const std::string& key) {
    auto it = results_.find(key);
    if (it == results_.end()) return;
    wxStaticText* result = it->second;
    result->SetForegroundColour(GetForegroundColour());
    result->SetLabel(_("Testing..."));
    auto probe = presenter_->probe_for(key);
    auto outcome = std::make_shared<DeviceTestResult>();
    auto& host = services_.plugins();  // made on the desk's thread; its calls are thread-safe
    tasks_.start([&host, probe, outcome](Progress&) { *outcome = SettingsPresenter::run_probe(host, probe); },
                 [self = this, alive = alive_, result, outcome, probe](const Progress::Snapshot&) {
                     if (!*alive) return;  // the page was rebuilt (a language switch) meanwhile
                     if (outcome->ok) {
                         result->SetForegroundColour(kOk);
                         result->SetLabel(wxString::Format(_("OK (%s)"), plugin_label(probe.plugin)));
                     } else {
                         result->SetForegroundColour(kError);
                         result->SetLabel(outcome->code == "device.none" ? _("No plugin for this device.")
                                                                          : wxString::Format(_("Failed: %s"), outcome_text(outcome->code)));
                     }
                     result->SetToolTip(u8(outcome->detail));
                     self->Layout();
                 });
}

void SettingsView::show_years() {
    wxString years;
    for (int y : presenter_->official_years()) years += (years.empty() ? "" : ", ") + wxString::Format("%d", y);
    years_->SetLabel(wxString::Format(_("Official years: %s."), years.empty() ? _("none") : years) + "\n" +
                     _("Other years are provisional (statutory holidays, no make-up workdays)."));
}

void SettingsView::import_calendar() {
    wxFileDialog dlg(this, _("Choose a working-day calendar file"), wxString(), wxString(), _("Calendar files (*.json)|*.json"),
                     wxFD_OPEN | wxFD_FILE_MUST_EXIST);
    if (dlg.ShowModal() != wxID_OK) return;
    auto a = presenter_->import_calendar(std::filesystem::path(dlg.GetPath().utf8_string()));
    calendar_result_->SetForegroundColour(a.stored ? kOk : kError);
    calendar_result_->SetLabel(a.stored ? wxString::Format(_("Calendar %s imported."), u8(a.value))
                               : a.code == "store.not_authorised" ? _("Only an administrator may change this.")
                               : a.code == "io.read"              ? _("The file cannot be read.")
                                                                  : _("Not a working-day calendar file."));
    calendar_result_->SetToolTip(u8(a.message));
    show_years();
    Layout();
}

void SettingsView::build_enrolment(wxSizer* column) {
    auto* box = new wxStaticBoxSizer(wxVERTICAL, this, _("Enrol at the platform"));
    auto* parent = box->GetStaticBox();
    auto* grid = new wxFlexGridSizer(2, FromDIP(6), FromDIP(10));
    grid->AddGrowableCol(1);
    auto text = [&](const wxString& label, const char* name, long style) {
        grid->Add(new wxStaticText(parent, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
        auto* t = new wxTextCtrl(parent, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(330), -1), style | wxTE_PROCESS_ENTER,
                                 wxDefaultValidator, name);
        t->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { enrol(); });
        grid->Add(t, 0, wxALIGN_CENTER_VERTICAL);
        return t;
    };
    enrol_.url = text(_("Platform address"), "settings.enrol.url", 0);
    enrol_.url->SetHint("https://");
    enrol_.name = text(_("Terminal name"), "settings.enrol.name", 0);
    enrol_.name->SetHint(_("e.g. Window 3"));
    enrol_.code = text(_("One-time code"), "settings.enrol.code", wxTE_PASSWORD);
    enrol_.code->SetHint(_("from the platform's administrator"));
    grid->AddSpacer(0);
    auto* line = new wxBoxSizer(wxHORIZONTAL);
    enrol_.button = new wxButton(parent, wxID_ANY, _("Enrol"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "settings.enrol.button");
    enrol_.button->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { enrol(); });
    line->Add(enrol_.button, 0, wxALIGN_CENTER_VERTICAL);
    enrol_.result = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, 0, "settings.enrol.result");
    line->Add(enrol_.result, 1, wxALIGN_CENTER_VERTICAL | wxLEFT, FromDIP(8));
    grid->Add(line, 0, wxEXPAND);
    box->Add(grid, 0, wxEXPAND | wxALL, FromDIP(6));
    column->Add(box, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, FromDIP(8));
}

void SettingsView::show_enrolment_form() {
    if (!enrol_.url) return;
    const auto form = presenter_->enrol_form();
    enrol_.url->ChangeValue(u8(form.url));
    enrol_.name->ChangeValue(u8(form.name));
    enrol_.code->Clear();
    for (wxWindow* w : std::initializer_list<wxWindow*>{enrol_.url, enrol_.name, enrol_.code, enrol_.button})
        w->Enable(form.may_enrol && !enrol_.running);
    if (!form.may_enrol) {
        enrol_.result->SetForegroundColour(GetForegroundColour());
        enrol_.result->SetLabel(_("Only an administrator may enrol this terminal."));
    }
}

void SettingsView::enrol() {
    if (enrol_.running) return;
    std::string code = enrol_.code->GetValue().utf8_string();
    enrol_.code->Clear();  // cleared after each try, whatever comes of it
    auto job = std::make_shared<EnrolJob>(presenter_->prepare_enrolment(enrol_.url->GetValue().utf8_string(),
                                                                        enrol_.name->GetValue().utf8_string(), code));
    if (job->refused) {
        enrolled(*job->refused);
        return;
    }
    enrol_.running = true;
    enrol_.button->Enable(false);
    enrol_.result->SetForegroundColour(GetForegroundColour());
    enrol_.result->SetLabel(_("Enrolling..."));
    Layout();
    auto outcome = std::make_shared<EnrolOutcome>();
    tasks_.start(
        [job, outcome](Progress&) {
            *outcome = SettingsPresenter::run_enrolment(*job);
            job->store.reset();  // its connection closes on the worker, before the desk may lock
        },
        [self = this, alive = alive_, outcome](const Progress::Snapshot& snap) {
            if (!*alive) return;  // the page was rebuilt (a language switch) meanwhile: it reads the store anew
            if (!snap.error.empty() && outcome->code.empty() && !outcome->ok) outcome->code = "enrol.failed";
            self->enrolled(*outcome);
        });
}

void SettingsView::enrolled(const EnrolOutcome& o) {
    enrol_.running = false;
    presenter_->enrolment_done(o);
    if (o.ok) reload();  // the platform's rows (address, certificate) and the block show the new connection
    else show_enrolment_form();
    // The presenter's sentences (English msgids), in the desk's language, %s filled afterwards.
    wxString text;
    for (const auto& line : SettingsPresenter::enrol_text(o)) {
        const wxString t = wxGetTranslation(u8(line.msgid));
        wxString filled;
        std::size_t next = 0, at = 0;
        for (std::size_t p = t.find("%s"); p != wxString::npos; p = t.find("%s", at)) {
            filled += t.substr(at, p - at) + (next < line.args.size() ? u8(line.args[next++]) : wxString());
            at = p + 2;
        }
        text += (text.empty() ? "" : " ") + filled + t.substr(at);
    }
    if (!o.ok) wxLogDebug("settings: enrolment refused: %s (%s)", u8(o.code), u8(o.message));
    enrol_.result->SetForegroundColour(o.ok ? kOk : kError);
    enrol_.result->SetLabel(text);
    enrol_.result->SetToolTip(o.ok ? wxString() : u8(o.code));
    enrol_.result->Wrap(FromDIP(420));
    Layout();
    FitInside();
    if (o.ok) changed_("platform.enrol");  // the header's terminal code (the main frame does not rebuild this page for it)
}

void SettingsView::fonts_changed() {
    // The labels whose text changes later (errors, device results, the years) are measured then.
    remeasure_labels(this, [this](wxStaticText* t) {
        for (const auto& m : {errors_, results_})
            for (const auto& [key, label] : m)
                if (label == t) return true;
        return t == years_ || t == calendar_result_ || t == enrol_.result;
    });
    // GTK keeps an entry's old height: one line of the new font and its frame.
    auto entry_height = [this](wxTextCtrl* t) { t->SetMinSize(wxSize(t->GetMinSize().x, t->GetCharHeight() + FromDIP(14))); };
    for (auto& [key, field] : fields_) {
        if (auto* ch = wxDynamicCast(field, wxChoice)) {
            ch->InvalidateBestSize();
            ch->SetMinSize(wxSize(std::max(FromDIP(200), ch->GetBestSize().x), -1));
        } else if (auto* t = wxDynamicCast(field, wxTextCtrl)) {
            entry_height(t);
        }
    }
    for (auto* t : {enrol_.url, enrol_.name, enrol_.code})  // the enrolment block's own fields
        if (t) entry_height(t);
    show_years();  // wrapped again in the new font
    Layout();
    FitInside();
}

}  // namespace ow::app
