// Enquiries, complaints and suggestions (首问负责; the 乐意听 window) — a view model over
// store::Enquiries and the workflow's open_enquiry / reply_enquiry / hand_over_enquiry /
// enquiry_to_case, for the 咨询投诉 page (F11). The clerk first asked records what was asked (and
// the answer, when it is answered on the spot: 一口清); one not answered at once is owned by them,
// due by the end of the next working day, and may be handed to a colleague who knows (the handover
// is kept); an enquiry that was an application becomes an intake. Free of wx (ow_desk_logic).
#pragma once

#include "shell/desk_services.h"

#include "ow/store/enquiries.h"

#include <string>
#include <vector>

namespace ow::app {

struct EnquiryRow {
    std::string id;
    std::string kind;         ///< enquiry | complaint | suggestion
    std::string channel;      ///< window | phone | online | hotline | letter
    std::string asker;        ///< name, and the phone masked, as known
    std::string subject;
    std::string item_name;    ///< the catalogue's name of the item asked about; empty: none
    std::string owner, holder;  ///< display names (else user names)
    std::string state;        ///< open | answered | case
    std::string due;          ///< YYYY-MM-DD
    bool overdue = false;     ///< open past its due date
    bool mine = false;        ///< held by the signed-in user
    bool workable = false;    ///< open and held or owned by the signed-in user: reply, hand over
    std::string reply;
    std::string receipt_no;   ///< state case: the intake's receipt number
    std::vector<store::EnquiryHandover> handovers;
};

struct EnquiryOutcome {
    std::string code;     ///< empty: done. Else "workflow.*" (the workflow's refusals),
                          ///< "enquiry.invalid" (bad input), "enquiry.failed" (the store)
    std::string message;  ///< English, for the log
    std::string id;       ///< the enquiry acted on
    std::string case_id;  ///< to_case: the intake started
    bool ok() const { return code.empty(); }
};

/// Someone an enquiry may be handed to.
struct Colleague {
    std::string user;
    std::string label;  ///< display name (user name), role
    core::Role role = core::Role::clerk;
};

class EnquiriesPresenter {
public:
    /// `services` signed in; outlives the presenter.
    explicit EnquiriesPresenter(DeskServices& services) : services_(services) {}

    /// Reads the list again: open ones by due date, or every one newest first (`all`); only the
    /// signed-in user's (`mine`). At most 500. Store errors propagate.
    void refresh();
    void set_filter(bool all, bool mine);
    bool all() const { return all_; }
    bool mine() const { return mine_; }
    const std::vector<EnquiryRow>& rows() const { return rows_; }
    const EnquiryRow* row(const std::string& id) const;
    /// Counts over the whole store for the title: open, overdue today.
    std::int64_t open_count() const { return open_count_; }
    std::int64_t overdue_count() const { return overdue_count_; }

    /// The items one may be asked about, by name (code, name), for the form's choice.
    std::vector<std::pair<std::string, std::string>> items() const;
    /// Clerks and chief representatives other than the signed-in user.
    std::vector<Colleague> colleagues();

    EnquiryOutcome record(const workflow::NewEnquiry& e);
    EnquiryOutcome reply(const std::string& id, const std::string& text);
    EnquiryOutcome hand_over(const std::string& id, const std::string& to_user, const std::string& note);
    /// Starts the intake of the enquiry's item (refused as "enquiry.no_item" when it names none).
    EnquiryOutcome to_case(const std::string& id);

private:
    template <class F>
    EnquiryOutcome guarded(F&& f);

    DeskServices& services_;
    bool all_ = false, mine_ = false;
    std::vector<EnquiryRow> rows_;
    std::int64_t open_count_ = 0, overdue_count_ = 0;
};

}  // namespace ow::app
