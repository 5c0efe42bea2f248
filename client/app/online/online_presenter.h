// The online inbox (网上申报) — a view model over store::Applications and the workflow's
// take_application, for the 网上申报 page (Ctrl+Shift+O). The sync pass pulls the centre's
// applications and downloads their uploads; here a clerk sees those waiting, oldest first, and
// takes one for 预审 (pre-check): a draft case with the applicant, the answers and the uploads,
// which the desk then shows in the case list (接件 Ctrl+Shift+I, the one-time notice online, or
// acceptance follow there). Free of wx (ow_desk_logic).
#pragma once

#include "shell/desk_services.h"

#include <string>
#include <vector>

namespace ow::app {

struct ApplicationRow {
    std::string id;
    std::string submitted;       ///< China time, "2026-12-07 09:30"
    std::string applicant_name;
    std::string doc_number;      ///< masked for the screen
    std::string phone;           ///< masked
    std::string item_name;       ///< the catalogue's name (the application's when unknown)
    std::string channel;         ///< pc | mobile
    int uploads = 0;             ///< files uploaded
    int uploads_here = 0;        ///< …of which the sync downloaded
};

struct ApplicationOutcome {
    std::string code;     ///< empty: done. Else "workflow.*" (the workflow's refusals), "application.invalid",
                          ///< "application.changed" (withdrawn or taken meanwhile), "application.failed"
    std::string message;  ///< English, for the log
    std::string case_id;  ///< the draft made for 预审
    std::vector<std::string> notes;  ///< what the act did besides (a step not taken over …)
    bool ok() const { return code.empty(); }
};

class OnlinePresenter {
public:
    /// `services` signed in; outlives the presenter.
    explicit OnlinePresenter(DeskServices& services) : services_(services) {}

    /// Reads the inbox again. Store errors propagate.
    void refresh();
    const std::vector<ApplicationRow>& rows() const { return rows_; }
    /// Takes row `id` for 预审. Reads the rows again when it was done (or changed meanwhile).
    ApplicationOutcome take(const std::string& id);

private:
    DeskServices& services_;
    std::vector<ApplicationRow> rows_;
};

}  // namespace ow::app
