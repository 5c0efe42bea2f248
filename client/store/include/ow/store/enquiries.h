// Enquiries, complaints and suggestions at the window (首问负责; the 乐意听 window): records that are
// not cases. The first clerk asked owns one for good (owner); whoever answers it now is the holder,
// changed by handovers that are kept with it; the reply is due by the end of the next working day
// (网上咨询 1 个工作日内答复, Binhai). An enquiry that turns out to be an application becomes a case
// (the draft's id is kept on it). The workflow (ow/workflow/workflow.h) checks who may do what and
// audits each change; this table only stores (schema migration 10).
#pragma once

#include "ow/core/date.h"
#include "ow/store/db.h"

#include <optional>
#include <string>
#include <vector>

namespace ow::store {

struct EnquiryHandover {
    std::string from, to, note;
    std::string at;  ///< RFC 3339 UTC
};

struct Enquiry {
    std::string id;                  ///< UUIDv7
    std::string kind = "enquiry";    ///< enquiry (咨询) | complaint (投诉) | suggestion (建议)
    std::string channel = "window";  ///< window | phone | online | hotline (12345) | letter
    std::string asker_name, asker_phone;
    std::string item_code;           ///< the item asked about; empty: none
    std::string subject;             ///< what was asked, complained of or suggested, as told
    std::string owner;               ///< 首问: the user first asked; never changes
    std::string holder;              ///< who answers it now: the owner until a handover
    std::string state = "open";      ///< open | answered | case (turned into a case)
    std::string due;                 ///< YYYY-MM-DD: the reply is due by the end of this working day
    std::string reply, replied_by, replied_at;
    std::string case_id;             ///< state case: the intake it became
    std::vector<EnquiryHandover> handovers;
    std::string created_at, updated_at;
};

struct EnquiryFilter {
    bool open_only = true;           ///< state open only (else every state)
    std::string holder;              ///< only those this user holds; empty: anyone's
    std::optional<core::Date> overdue_on;  ///< only those open past their due date on this day
    int limit = 500;
    int offset = 0;
};

/// The enquiries table over one connection. Writes run in the caller's transaction, if any.
class Enquiries {
public:
    explicit Enquiries(Db& db) : db_(db) {}

    /// core::InvalidData for an unknown kind, channel or state, or an empty subject.
    void insert(const Enquiry& e);
    /// Writes the changeable parts (holder, state, reply, case, handovers, updated_at) of a stored one.
    void update(const Enquiry& e);
    std::optional<Enquiry> get(const std::string& id);
    /// Newest first; open ones by due date first when open_only.
    std::vector<Enquiry> list(const EnquiryFilter& f);
    /// Open enquiries whose reply is overdue on `day` (due before it).
    std::int64_t count_overdue(core::Date day);

private:
    Db& db_;
};

}  // namespace ow::store
