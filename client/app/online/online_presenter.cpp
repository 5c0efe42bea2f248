#include "online/online_presenter.h"

#include "cases/cases_presenter.h"

#include "ow/store/applications.h"
#include "ow/store/blobs.h"
#include "ow/store/errors.h"
#include "ow/workflow/workflow.h"

namespace ow::app {

void OnlinePresenter::refresh() {
    rows_.clear();
    auto& st = services_.store();
    store::Applications book(st.db());
    store::BlobStore blobs(st.db(), st.dir(), st.key());
    const auto& catalogue = services_.catalogue();
    for (const auto& a : book.inbox()) {
        ApplicationRow r;
        r.id = a.id;
        try {
            r.submitted = core::format_china_minute(core::parse_instant(a.submitted_at));
        } catch (const core::Error&) {
            r.submitted = a.submitted_at;
        }
        r.applicant_name = a.applicant_name;
        r.doc_number = mask_middle(a.doc_number, 4, 4);
        r.phone = a.phone.empty() ? std::string() : mask_middle(a.phone, 3, 4);
        const auto* item = catalogue.item(a.item_code);
        r.item_name = item ? item->name : a.item_name;
        r.channel = a.channel;
        r.uploads = int(a.uploads.size());
        for (const auto& u : a.uploads) r.uploads_here += blobs.has(u.sha256) ? 1 : 0;
        rows_.push_back(std::move(r));
    }
}

ApplicationOutcome OnlinePresenter::take(const std::string& id) {
    ApplicationOutcome o;
    try {
        auto r = services_.workflow().take_application(id);
        o.case_id = r.case_data.id.to_string();
        o.notes = r.notes;
    } catch (const workflow::Refused& e) {
        o.code = e.code() == "workflow.application_not_waiting" ? "application.changed" : e.code();
        o.message = e.what();
    } catch (const workflow::InvalidInput& e) {
        o.code = "application.invalid";
        o.message = e.what();
    } catch (const store::StoreError& e) {
        o.code = e.code() == "store.conflict" ? "application.changed" : "application.failed";
        o.message = e.what();
    } catch (const std::exception& e) {
        o.code = "application.failed";
        o.message = e.what();
    }
    if (o.ok() || o.code == "application.changed") {
        try {
            refresh();
        } catch (const std::exception&) {  // read again at the next show
        }
    }
    return o;
}

}  // namespace ow::app
