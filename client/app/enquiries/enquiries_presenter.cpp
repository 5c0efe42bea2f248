#include "enquiries/enquiries_presenter.h"

#include "cases/cases_presenter.h"

#include "ow/store/errors.h"
#include "ow/workflow/workflow.h"

#include <algorithm>
#include <map>

namespace ow::app {

void EnquiriesPresenter::set_filter(bool all, bool mine) {
    all_ = all;
    mine_ = mine;
}

void EnquiriesPresenter::refresh() {
    rows_.clear();
    auto& store = services_.store();
    auto& db = store.db();
    const auto today = services_.today();
    const std::string me = store.user().name;
    std::map<std::string, std::string> names;
    for (const auto& u : store.users()) names[u.name] = u.display_name.empty() ? u.name : u.display_name;
    auto name_of = [&](const std::string& user) {
        auto it = names.find(user);
        return it == names.end() ? user : it->second;
    };
    store::Enquiries book(db);
    store::EnquiryFilter f;
    f.open_only = !all_;
    if (mine_) f.holder = me;
    const auto& catalogue = services_.catalogue();
    for (auto& e : book.list(f)) {
        EnquiryRow r;
        r.id = e.id;
        r.kind = e.kind;
        r.channel = e.channel;
        r.asker = e.asker_name;
        if (!e.asker_phone.empty()) r.asker += (r.asker.empty() ? "" : " ") + mask_middle(e.asker_phone, 3, 4);
        r.subject = e.subject;
        if (!e.item_code.empty()) {
            if (const auto* item = catalogue.item(e.item_code)) r.item_name = item->name;
            else if (const auto* b = catalogue.bundle(e.item_code)) r.item_name = b->name;
            else r.item_name = e.item_code;
        }
        r.owner = name_of(e.owner);
        r.holder = name_of(e.holder);
        r.state = e.state;
        r.due = e.due;
        r.overdue = e.state == "open" && core::try_parse_date(e.due) && *core::try_parse_date(e.due) < today;
        r.mine = e.holder == me;
        r.workable = e.state == "open" && (e.holder == me || e.owner == me);
        r.reply = e.reply;
        if (!e.case_id.empty()) {
            store::Stmt st(db, "SELECT receipt_no FROM cases WHERE id = ?1");
            st.bind(1, e.case_id);
            if (st.step()) r.receipt_no = st.text(0);
        }
        for (auto h : e.handovers) {
            h.from = name_of(h.from);
            h.to = name_of(h.to);
            r.handovers.push_back(std::move(h));
        }
        rows_.push_back(std::move(r));
    }
    open_count_ = db.query_int("SELECT count(*) FROM enquiries WHERE state = 'open'");
    overdue_count_ = book.count_overdue(today);
}

const EnquiryRow* EnquiriesPresenter::row(const std::string& id) const {
    auto it = std::find_if(rows_.begin(), rows_.end(), [&](const EnquiryRow& r) { return r.id == id; });
    return it == rows_.end() ? nullptr : &*it;
}

std::vector<std::pair<std::string, std::string>> EnquiriesPresenter::items() const {
    std::vector<std::pair<std::string, std::string>> out;
    const auto& catalogue = services_.catalogue();
    for (const auto& i : catalogue.items()) out.emplace_back(i.code, i.name);
    for (const auto& b : catalogue.bundles()) out.emplace_back(b.code, b.name);
    return out;
}

std::vector<Colleague> EnquiriesPresenter::colleagues() {
    std::vector<Colleague> out;
    const std::string me = services_.store().user().name;
    for (const auto& u : services_.store().users()) {
        if (u.name == me || (u.role != core::Role::clerk && u.role != core::Role::chief)) continue;
        out.push_back({u.name, u.display_name.empty() ? u.name : u.display_name + " (" + u.name + ")", u.role});
    }
    return out;
}

template <class F>
EnquiryOutcome EnquiriesPresenter::guarded(F&& f) {
    EnquiryOutcome o;
    try {
        f(o);
    } catch (const workflow::Refused& e) {
        o.code = e.code();
        o.message = e.what();
    } catch (const core::InvalidData& e) {  // workflow::InvalidInput among them
        o.code = "enquiry.invalid";
        o.message = e.what();
    } catch (const std::exception& e) {
        o.code = "enquiry.failed";
        o.message = e.what();
    }
    if (o.ok()) {
        try {
            refresh();
        } catch (const std::exception&) {  // done; the list is read again at the next show
        }
    }
    return o;
}

EnquiryOutcome EnquiriesPresenter::record(const workflow::NewEnquiry& e) {
    return guarded([&](EnquiryOutcome& o) { o.id = services_.workflow().open_enquiry(e).id; });
}

EnquiryOutcome EnquiriesPresenter::reply(const std::string& id, const std::string& text) {
    return guarded([&](EnquiryOutcome& o) {
        o.id = id;
        services_.workflow().reply_enquiry(id, text);
    });
}

EnquiryOutcome EnquiriesPresenter::hand_over(const std::string& id, const std::string& to_user, const std::string& note) {
    return guarded([&](EnquiryOutcome& o) {
        o.id = id;
        services_.workflow().hand_over_enquiry(id, to_user, note);
    });
}

EnquiryOutcome EnquiriesPresenter::to_case(const std::string& id) {
    return guarded([&](EnquiryOutcome& o) {
        o.id = id;
        auto e = store::Enquiries(services_.store().db()).get(id);
        if (!e) throw core::InvalidData("no enquiry '" + id + "'");
        if (e->item_code.empty()) {
            o.code = "enquiry.no_item";
            o.message = "the enquiry names no item: record the item first";
            return;
        }
        workflow::StartIntake cmd;
        if (services_.catalogue().bundle(e->item_code)) cmd.bundle_code = e->item_code;
        else cmd.item_code = e->item_code;
        o.case_id = services_.workflow().enquiry_to_case(id, cmd).case_data.id.to_string();
        services_.wake_sync();
    });
}

}  // namespace ow::app
