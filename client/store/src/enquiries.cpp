#include "ow/store/enquiries.h"

#include "ow/core/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace ow::store {
namespace {

using nlohmann::json;

constexpr std::array kKinds{"enquiry", "complaint", "suggestion"};
constexpr std::array kChannels{"window", "phone", "online", "hotline", "letter"};
constexpr std::array kStates{"open", "answered", "case"};

template <class A>
bool one_of(const A& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

constexpr const char* kColumns =
    "id, kind, channel, asker_name, asker_phone, item_code, subject, owner, holder, state, due, reply, replied_by, replied_at, "
    "case_id, handovers, created_at, updated_at";

std::string handovers_text(const std::vector<EnquiryHandover>& hs) {
    json a = json::array();
    for (const auto& h : hs) a.push_back({{"from", h.from}, {"to", h.to}, {"note", h.note}, {"at", h.at}});
    return a.dump();
}

Enquiry read_row(Stmt& st) {
    Enquiry e;
    e.id = st.text(0);
    e.kind = st.text(1);
    e.channel = st.text(2);
    e.asker_name = st.text(3);
    e.asker_phone = st.text(4);
    e.item_code = st.text(5);
    e.subject = st.text(6);
    e.owner = st.text(7);
    e.holder = st.text(8);
    e.state = st.text(9);
    e.due = st.text(10);
    e.reply = st.text(11);
    e.replied_by = st.text(12);
    e.replied_at = st.text(13);
    e.case_id = st.text(14);
    auto hs = json::parse(st.text(15), nullptr, false);
    if (hs.is_array())
        for (const auto& h : hs)
            if (h.is_object())
                e.handovers.push_back({h.value("from", ""), h.value("to", ""), h.value("note", ""), h.value("at", "")});
    e.created_at = st.text(16);
    e.updated_at = st.text(17);
    return e;
}

void check(const Enquiry& e) {
    if (!one_of(kKinds, e.kind)) throw core::InvalidData("an enquiry's kind is enquiry, complaint or suggestion, not '" + e.kind + "'");
    if (!one_of(kChannels, e.channel))
        throw core::InvalidData("an enquiry's channel is window, phone, online, hotline or letter, not '" + e.channel + "'");
    if (!one_of(kStates, e.state)) throw core::InvalidData("an enquiry's state is open, answered or case, not '" + e.state + "'");
    if (e.subject.find_first_not_of(" \t\r\n") == std::string::npos) throw core::InvalidData("an enquiry needs what was asked");
    if (!core::try_parse_date(e.due)) throw core::InvalidData("an enquiry's due date is YYYY-MM-DD, not '" + e.due + "'");
}

}  // namespace

void Enquiries::insert(const Enquiry& e) {
    check(e);
    db_.cached(std::string("INSERT INTO enquiries(") + kColumns +
               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)")
        .bind(1, e.id).bind(2, e.kind).bind(3, e.channel).bind(4, e.asker_name).bind(5, e.asker_phone).bind(6, e.item_code)
        .bind(7, e.subject).bind(8, e.owner).bind(9, e.holder).bind(10, e.state).bind(11, e.due).bind(12, e.reply)
        .bind(13, e.replied_by).bind(14, e.replied_at).bind(15, e.case_id).bind(16, handovers_text(e.handovers))
        .bind(17, e.created_at).bind(18, e.updated_at)
        .run();
}

void Enquiries::update(const Enquiry& e) {
    check(e);
    db_.cached("UPDATE enquiries SET holder = ?2, state = ?3, reply = ?4, replied_by = ?5, replied_at = ?6, case_id = ?7, "
               "handovers = ?8, updated_at = ?9 WHERE id = ?1")
        .bind(1, e.id).bind(2, e.holder).bind(3, e.state).bind(4, e.reply).bind(5, e.replied_by).bind(6, e.replied_at)
        .bind(7, e.case_id).bind(8, handovers_text(e.handovers)).bind(9, e.updated_at)
        .run();
    if (db_.changes() != 1) throw core::InvalidData("no enquiry '" + e.id + "'");
}

std::optional<Enquiry> Enquiries::get(const std::string& id) {
    Stmt st(db_, std::string("SELECT ") + kColumns + " FROM enquiries WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_row(st);
}

std::vector<Enquiry> Enquiries::list(const EnquiryFilter& f) {
    std::string sql = std::string("SELECT ") + kColumns + " FROM enquiries WHERE 1";
    if (f.open_only || f.overdue_on) sql += " AND state = 'open'";
    if (!f.holder.empty()) sql += " AND holder = ?1";
    if (f.overdue_on) sql += " AND due < ?2";
    sql += f.open_only || f.overdue_on ? " ORDER BY due, id" : " ORDER BY id DESC";
    sql += " LIMIT ?3 OFFSET ?4";
    Stmt st(db_, sql);
    if (!f.holder.empty()) st.bind(1, f.holder);
    if (f.overdue_on) st.bind(2, core::format_date(*f.overdue_on));
    st.bind(3, f.limit).bind(4, f.offset);
    std::vector<Enquiry> out;
    while (st.step()) out.push_back(read_row(st));
    return out;
}

std::int64_t Enquiries::count_overdue(core::Date day) {
    Stmt st(db_, "SELECT count(*) FROM enquiries WHERE state = 'open' AND due < ?");
    st.bind(1, core::format_date(day));
    st.step();
    return st.int64(0);
}

}  // namespace ow::store
