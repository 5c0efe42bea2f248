#include "wire.h"

#include "util.h"

#include "ow/core/case.h"
#include "ow/core/date.h"
#include "ow/core/ids.h"
#include "ow/core/json_reader.h"
#include "ow/core/validators.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <cstdint>
#include <map>
#include <memory>
#include <initializer_list>
#include <set>

namespace ow::sim {

namespace {

/// The parsed body lives in a per-request arena (the DOM of a 1,000-case batch is a few hundred
/// thousand small allocations; bump allocation and one release at the end roughly halve the
/// parse). Only wire.cpp uses these types, and only inside an ArenaScope.
class Arena {
public:
    void* allocate(std::size_t n, std::size_t align) {
        std::size_t pad = (align - (reinterpret_cast<std::uintptr_t>(cur_) & (align - 1))) & (align - 1);
        if (n + pad > left_) {
            next_block(n + align);
            pad = (align - (reinterpret_cast<std::uintptr_t>(cur_) & (align - 1))) & (align - 1);
        }
        cur_ += pad;
        void* p = cur_;
        cur_ += n;
        left_ -= n + pad;
        return p;
    }
    /// Forgets every allocation; keeps up to 16 MiB of blocks for the thread's next request (fresh
    /// blocks would be fresh pages: a page fault per 4 KiB).
    void reset() {
        std::size_t kept = 0;
        std::vector<Block> keep;
        for (auto& b : blocks_)
            if (b.size == kBlock && kept + b.size <= (16u << 20)) {
                kept += b.size;
                keep.push_back(std::move(b));
            }
        blocks_ = std::move(keep);
        used_ = 0;
        cur_ = nullptr;
        left_ = 0;
    }

private:
    static constexpr std::size_t kBlock = std::size_t(1) << 20;
    struct Block {
        std::unique_ptr<char[]> data;
        std::size_t size;
    };
    void next_block(std::size_t at_least) {
        if (at_least <= kBlock && used_ < blocks_.size() && blocks_[used_].size == kBlock) {
            cur_ = blocks_[used_++].data.get();
            left_ = kBlock;
            return;
        }
        const std::size_t size = std::max(at_least, kBlock);
        blocks_.insert(blocks_.begin() + std::ptrdiff_t(used_), Block{std::unique_ptr<char[]>(new char[size]), size});
        cur_ = blocks_[used_++].data.get();
        left_ = size;
    }
    std::vector<Block> blocks_;
    std::size_t used_ = 0;  // blocks_[0, used_) are in use
    char* cur_ = nullptr;
    std::size_t left_ = 0;
};

thread_local Arena* t_arena = nullptr;

/// Makes the thread's arena current for a parse; everything allocated in it is forgotten at the
/// end of the scope (declare the scope before the document). Scopes do not nest.
struct ArenaScope {
    ArenaScope() {
        if (t_arena) throw std::logic_error("nested wire arenas");
        t_arena = &arena();
    }
    ~ArenaScope() {
        arena().reset();
        t_arena = nullptr;
    }
    static Arena& arena() {
        static thread_local Arena a;
        return a;
    }
    ArenaScope(const ArenaScope&) = delete;
    ArenaScope& operator=(const ArenaScope&) = delete;
};

template <class T>
struct ArenaAllocator {
    using value_type = T;
    ArenaAllocator() = default;
    template <class U>
    ArenaAllocator(const ArenaAllocator<U>&) {}
    T* allocate(std::size_t n) {
        if (!t_arena) throw std::logic_error("a wire document outside its arena");
        return static_cast<T*>(t_arena->allocate(n * sizeof(T), alignof(T)));
    }
    void deallocate(T*, std::size_t) {}  // released with the arena
    template <class U>
    bool operator==(const ArenaAllocator<U>&) const { return true; }
    template <class U>
    bool operator!=(const ArenaAllocator<U>&) const { return false; }
};

using ArenaString = std::basic_string<char, std::char_traits<char>, ArenaAllocator<char>>;
using json = nlohmann::basic_json<std::map, std::vector, ArenaString, bool, std::int64_t, std::uint64_t, double, ArenaAllocator>;
using jstr = json::string_t;

std::string to_std(const jstr& s) { return std::string(s.data(), s.size()); }
std::string dump_doc(const json& j) { return to_std(j.dump(-1, ' ', false, json::error_handler_t::replace)); }

/// The byte ranges of each element of the body's list and of its "case" / "event" member, so
/// records are stored as they arrived (one parse of the body, no re-serialisation). Runs on text
/// that nlohmann already accepted as JSON; a key with an escape makes that record fall back to a
/// dump (`found` stays false). Duplicate keys: the last one wins, as in the parsed document.
struct RawRecord {
    std::string_view case_text, event_text;
    bool found = false;
};

class RawScanner {
public:
    explicit RawScanner(std::string_view s) : s_(s) {}

    /// One pass over the body: every byte is looked at once (strings are skipped with memchr).
    std::vector<RawRecord> records(std::string_view list_key) {
        std::vector<RawRecord> out;
        std::size_t i = ws(0);
        if (i >= s_.size() || s_[i] != '{') return {};
        // The root's members, up to the list (a later duplicate of the list key is not expected
        // from a terminal; if there is one, the record texts may belong to the first: give up).
        i = ws(i + 1);
        std::size_t list_at = std::string_view::npos;
        while (i < s_.size() && s_[i] == '"') {
            const std::size_t kend = string_end(i);
            const std::string_view key = s_.substr(i + 1, kend - i - 2);
            i = ws(kend);
            if (i >= s_.size() || s_[i] != ':') return {};
            i = ws(i + 1);
            if (key.find('\\') != std::string_view::npos) return {};
            if (key == list_key) {
                if (list_at != std::string_view::npos) return {};
                list_at = i;
            }
            i = ws(value_end(i));
            if (i < s_.size() && s_[i] == ',') i = ws(i + 1);
            else break;
        }
        if (list_at == std::string_view::npos || s_[list_at] != '[') return {};
        std::size_t j = ws(list_at + 1);
        if (j < s_.size() && s_[j] == ']') return out;
        while (j < s_.size()) {
            RawRecord r;
            std::size_t end;
            if (s_[j] == '{') {
                bool escaped = false;
                end = members(j, [&](std::string_view key, std::size_t b, std::size_t e) {
                    if (key.find('\\') != std::string_view::npos) escaped = true;
                    else if (key == "case") r.case_text = s_.substr(b, e - b);
                    else if (key == "event") r.event_text = s_.substr(b, e - b);
                });
                r.found = !escaped && end != std::string_view::npos;
                if (end == std::string_view::npos) return {};
            } else {
                end = value_end(j);
            }
            out.push_back(r);
            j = ws(end);
            if (j >= s_.size() || s_[j] != ',') break;
            j = ws(j + 1);
        }
        return out;
    }

private:
    std::size_t ws(std::size_t i) const {
        while (i < s_.size() && (s_[i] == ' ' || s_[i] == '\t' || s_[i] == '\n' || s_[i] == '\r')) ++i;
        return i;
    }
    /// s_[i] == '"': the position after the closing quote.
    std::size_t string_end(std::size_t i) const {
        const char* base = s_.data();
        std::size_t at = i + 1;
        while (true) {
            const void* q = std::memchr(base + at, '"', s_.size() - at);
            if (!q) return s_.size();
            const std::size_t pos = std::size_t(static_cast<const char*>(q) - base);
            std::size_t backslashes = 0;
            while (pos - backslashes > i + 1 && base[pos - backslashes - 1] == '\\') ++backslashes;
            if (backslashes % 2 == 0) return pos + 1;
            at = pos + 1;
        }
    }
    std::size_t value_end(std::size_t i) const {
        if (i >= s_.size()) return i;
        if (s_[i] == '"') return string_end(i);
        if (s_[i] == '{' || s_[i] == '[') {
            int depth = 0;
            while (i < s_.size()) {
                const char c = s_[i];
                if (c == '"') {
                    i = string_end(i);
                    continue;
                }
                if (c == '{' || c == '[') ++depth;
                else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
                ++i;
            }
            return s_.size();
        }
        while (i < s_.size() && s_[i] != ',' && s_[i] != '}' && s_[i] != ']' && s_[i] != ' ' && s_[i] != '\t' &&
               s_[i] != '\n' && s_[i] != '\r')
            ++i;
        return i;
    }
    /// Walks the members of the object at i (s_[i] == '{'), calling f(key, value begin, value
    /// end); returns the position after the closing brace (npos when malformed).
    template <class F>
    std::size_t members(std::size_t i, F&& f) const {
        i = ws(i + 1);
        if (i < s_.size() && s_[i] == '}') return i + 1;
        while (i < s_.size() && s_[i] == '"') {
            const std::size_t kend = string_end(i);
            const std::string_view key = s_.substr(i + 1, kend - i - 2);
            i = ws(kend);
            if (i >= s_.size() || s_[i] != ':') return std::string_view::npos;
            const std::size_t vb = ws(i + 1), ve = value_end(vb);
            f(key, vb, ve);
            i = ws(ve);
            if (i < s_.size() && s_[i] == ',') {
                i = ws(i + 1);
                continue;
            }
            return i < s_.size() && s_[i] == '}' ? i + 1 : std::string_view::npos;
        }
        return std::string_view::npos;
    }
    std::string_view s_;
};

/// A position in the body: built without allocating; the pointer and the field name are made
/// only when something is wrong.
struct Node {
    const json* v = nullptr;  // null: the member is missing
    const Node* parent = nullptr;
    const char* key = nullptr;  // member name, or null for an array element
    std::size_t index = 0;
    bool root = false;  // a record root: `invalid.<field>` paths start below it

    Node at(const char* k, bool record_root = false) const {
        const json* child = nullptr;
        if (v && v->is_object()) {
            auto it = v->find(k);
            if (it != v->end()) child = &*it;
        }
        return Node{child, this, k, 0, record_root};
    }
    Node at(std::size_t i, bool record_root = false) const {
        return Node{v && v->is_array() && i < v->size() ? &(*v)[i] : nullptr, this, nullptr, i, record_root};
    }
    bool missing() const { return v == nullptr; }
    bool null_or_missing() const { return v == nullptr || v->is_null(); }

    std::string pointer() const {
        std::vector<const Node*> chain;
        for (const Node* n = this; n; n = n->parent) chain.push_back(n);
        std::string p;
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
            const Node* n = *it;
            if (!n->parent) continue;
            p += '/';
            p += n->key ? core::json_pointer_token(n->key) : std::to_string(n->index);
        }
        return p.empty() ? "/" : p;
    }
    std::string field() const {
        std::vector<const char*> keys;
        const Node* n = this;
        if (n->root) {
            if (n->key) keys.push_back(n->key);
        } else {
            for (; n && !n->root; n = n->parent)
                if (n->key) keys.push_back(n->key);
        }
        std::string f;
        for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
            if (!f.empty()) f += '.';
            f += *it;
        }
        return f.empty() ? "record" : f;
    }
};

struct Invalid {
    std::string field, message;
};

[[noreturn]] void bad(const Node& n, const std::string& what) { throw Invalid{n.field(), n.pointer() + ": " + what}; }

const json& need(const Node& n) {
    if (n.missing()) bad(n, "missing");
    return *n.v;
}

std::string_view need_string(const Node& n, std::size_t max = core::JsonReader::kMaxString, bool nonempty = false) {
    const json& v = need(n);
    if (!v.is_string()) bad(n, "must be a string");
    const auto& s = v.get_ref<const jstr&>();
    if (s.size() > max) bad(n, "is longer than " + std::to_string(max) + " bytes");
    if (nonempty && s.empty()) bad(n, "must not be empty");
    return std::string_view(s.data(), s.size());
}

std::string opt_string(const Node& n, std::size_t max = core::JsonReader::kMaxString) {
    if (n.null_or_missing()) return {};
    return std::string(need_string(n, max));
}

std::int64_t need_int(const Node& n, std::int64_t min, std::int64_t max) {
    const json& v = need(n);
    if (!v.is_number_integer()) bad(n, "must be an integer");
    const std::int64_t x = v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(INT64_MAX) ? INT64_MAX : v.get<std::int64_t>();
    if (x < min || x > max) bad(n, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return x;
}

const json& need_object(const Node& n) {
    const json& v = need(n);
    if (!v.is_object()) bad(n, "must be an object");
    return v;
}

const json& need_array(const Node& n, std::size_t max) {
    const json& v = need(n);
    if (!v.is_array()) bad(n, "must be an array");
    if (v.size() > max) bad(n, "has more than " + std::to_string(max) + " elements");
    return v;
}

std::string need_code(const Node& n, std::initializer_list<std::string_view> codes) {
    const std::string s(need_string(n, 64));
    if (std::find(codes.begin(), codes.end(), s) == codes.end()) bad(n, "unknown code '" + s + "'");
    return s;
}

std::string need_code(const Node& n, const std::set<std::string, std::less<>>& codes) {
    const std::string s(need_string(n, 64));
    if (!codes.count(s)) bad(n, "unknown code '" + s + "'");
    return s;
}

std::string need_uuid(const Node& n) {
    const std::string_view s = need_string(n, 64);
    const auto u = core::Uuid::parse(s);
    if (!u) bad(n, "is not a UUID");
    return u->to_string();
}

std::string need_instant(const Node& n) {
    const std::string_view s = need_string(n, 64);
    try {
        (void)core::parse_instant(s);
    } catch (const core::Error&) {
        bad(n, "is not an RFC 3339 time");
    }
    return std::string(s);
}

void opt_instant(const Node& n) {
    if (n.null_or_missing() || (n.v->is_string() && n.v->get_ref<const jstr&>().empty())) return;
    need_instant(n);
}

void opt_date(const Node& n) {
    if (n.null_or_missing() || (n.v->is_string() && n.v->get_ref<const jstr&>().empty())) return;
    const std::string_view s = need_string(n, 16);
    if (!core::try_parse_date(s)) bad(n, "is not a date (YYYY-MM-DD)");
}

void opt_sha256(const Node& n) {
    if (n.null_or_missing() || (n.v->is_string() && n.v->get_ref<const jstr&>().empty())) return;
    if (!is_lower_hex(need_string(n, 64), 64)) bad(n, "is not a lower-case hex SHA-256");
}

template <class E>
std::set<std::string, std::less<>> codes_of(E last) {
    std::set<std::string, std::less<>> s;
    for (int i = 0; i <= int(last); ++i) s.emplace(core::to_code(static_cast<E>(i)));
    return s;
}

const std::set<std::string, std::less<>>& state_codes() {
    static const auto s = codes_of(core::CaseState::archived);
    return s;
}
const std::set<std::string, std::less<>>& action_codes() {
    static const auto s = codes_of(core::CaseAction::urge);
    return s;
}
const std::set<std::string, std::less<>>& role_codes() {
    static const auto s = codes_of(core::Role::platform);
    return s;
}
const std::set<std::string, std::less<>>& post_codes() {
    static const auto s = codes_of(core::Post::B);
    return s;
}
const std::set<std::string, std::less<>>& material_status_codes() {
    static const auto s = codes_of(core::MaterialStatus::defective);
    return s;
}
const std::set<std::string, std::less<>>& doc_type_codes() {
    static const auto s = [] {
        std::set<std::string, std::less<>> out;
        for (const auto& t : core::document_types()) out.insert(std::to_string(t.code));
        return out;
    }();
    return s;
}

template <class E>
std::optional<E> enum_of(std::string_view code, E last) {
    for (int i = 0; i <= int(last); ++i)
        if (core::to_code(static_cast<E>(i)) == code) return static_cast<E>(i);
    return std::nullopt;
}

WireEvent check_event(const Node& e) {
    need_object(e);
    WireEvent out;
    out.seq = need_int(e.at("seq"), 1, 1'000'000'000);
    out.action = need_code(e.at("action"), action_codes());
    out.from = need_code(e.at("from"), state_codes());
    out.to = need_code(e.at("to"), state_codes());
    const auto from = enum_of(out.from, core::CaseState::archived);
    const auto action = enum_of(out.action, core::CaseAction::urge);
    if (!core::CaseMachine::allowed(*from, *action))
        bad(e.at("action"), "'" + out.action + "' is not allowed in state '" + out.from + "'");
    if (*action == core::CaseAction::resubmit) {
        if (out.to != "received" && out.to != "under_review") bad(e.at("to"), "a resubmission leads to received or under_review");
    } else {
        static const core::Case no_case{};
        const auto target = core::CaseMachine::target(*from, *action, no_case);
        if (core::to_code(target) != out.to)
            bad(e.at("to"), "'" + out.action + "' from '" + out.from + "' leads to '" + std::string(core::to_code(target)) + "'");
    }
    const Node actor = e.at("actor");
    need_object(actor);
    need_string(actor.at("user_id"), 128, true);
    need_code(actor.at("role"), role_codes());
    if (!actor.at("post").null_or_missing()) need_code(actor.at("post"), post_codes());
    opt_string(actor.at("acting_for"), 128);
    need_instant(e.at("at"));
    opt_string(e.at("reason"));
    const Node data = e.at("data");
    if (!data.null_or_missing()) need_object(data);
    if (out.action == "rate") need_code(data.at("satisfaction"), {"1", "2", "3", "4", "5"});
    if (out.action == "record_fee") {  // 收费 / 减免 (GB/T 39046 支付)
        need_string(data.at("fee"), 400, true);
        opt_string(data.at("item_code"), 64);
        if (need_code(data.at("outcome"), {"paid", "waived"}) == "paid") {
            need_int(data.at("amount_fen"), 1, 10'000'000'000LL);
            need_code(data.at("method"), {"cash", "bank_card", "wechat", "alipay", "unionpay", "transfer", "online", "other"});
            opt_string(data.at("payment_no"), 64);
            opt_string(data.at("bill_no"), 64);
        }
    }
    if (out.action == "set_agent" && !data.at("name").null_or_missing()) {  // 代理人 (受托人)
        need_string(data.at("name"), 200, true);
        need_string(data.at("doc_number"), 64, true);
        if (!data.at("doc_type").null_or_missing()) need_int(data.at("doc_type"), 1, 999);  // GB/T 39046 code, as a number
        opt_string(data.at("phone"), 40);
        opt_string(data.at("relation"), 100);
    }
    if (out.action == "assist") {  // 帮办代办: the helper is the terminal's user
        if (need_code(data.at("mode"), {"help", "agency", "contact", "none"}) != "none") need_string(data.at("helper"), 64, true);
        opt_string(data.at("helper_name"), 100);
        opt_string(data.at("note"), 500);
    }
    if (out.action == "record_commitment") {  // 告知承诺 / 信即办 (the credit standing the platform answered)
        need_string(data.at("text"), 4000, true);
        opt_string(data.at("material_code"), 64);
        if (!data.at("kind").null_or_missing() && need_code(data.at("kind"), {"material", "item", "credit"}) == "credit") {
            const Node cr = data.at("credit");
            need_object(cr);
            need_code(cr.at("standing"), {"good"});
            need_string(cr.at("report_no"), 200, true);
            need_instant(cr.at("checked_at"));
        }
        opt_date(data.at("check_due"));
    }
    if (out.action == "accept" && !data.at("remote_call").null_or_missing()) {  // 事进人不进: the remote department called
        const Node rc = data.at("remote_call");
        need_object(rc);
        need_string(rc.at("department"), 200, true);
        opt_string(rc.at("contact"), 200);
        need_instant(rc.at("due_at"));
    }
    if ((out.action == "approve" || out.action == "deny") && !data.at("authority").null_or_missing())  // 马上办 at the window
        need_code(data.at("authority"), {"window"});
    if (out.action == "urge") {  // 催办
        need_string(data.at("to"), 200, true);
        need_string(e.at("reason"), 2000, true);
    }
    if (out.action == "verify_originals") {  // 原件核验
        const Node list = data.at("materials");
        const json& ml = need_array(list, 1000);
        if (ml.empty()) bad(list, "names the originals compared");
        for (std::size_t i = 0; i < ml.size(); ++i) {
            const Node m = list.at(i);
            need_object(m);
            need_string(m.at("material_code"), 64, true);
            if (!need(m.at("match")).is_boolean()) bad(m.at("match"), "must be true or false");
            opt_string(m.at("note"), 500);
        }
    }
    if (out.action == "verify_follow_up") {  // 事中事后核查
        const std::string result = need_code(data.at("result"), {"fulfilled", "breached"});
        if (result == "breached") need_code(data.at("outcome"), {"revoked", "referred"});
        need_string(data.at("finding"), 2000, true);
        if (data.at("commitment").null_or_missing()) need_string(data.at("material_code"), 64, true);
        else need_int(data.at("commitment"), 1, 1000);
        if (!data.at("source").null_or_missing()) need_code(data.at("source"), {"window", "regulator"});
        opt_string(data.at("regulator"), 200);
    }
    return out;
}

void check_case(const Node& c, const std::string& case_id, WireMutation& m, bool snapshot, std::string_view raw) {
    need_object(c);
    if (need_uuid(c.at("case_id")) != case_id) bad(c.at("case_id"), "is not the mutation's case_id");
    const std::string_view receipt = need_string(c.at("receipt_no"), 64);
    if (!receipt.empty() && !core::ReceiptNumber::parse(receipt)) bad(c.at("receipt_no"), "is not a valid receipt number");
    m.case_no = opt_string(c.at("case_no"), 64);
    const Node item = c.at("item");
    need_object(item);
    m.item_code = std::string(need_string(item.at("code"), 64, true));
    need_string(item.at("name"), 400);
    m.case_kind = need_code(item.at("case_kind"), {"1", "2", "9"});
    opt_string(c.at("bundle_code"), 64);
    m.application_id = opt_string(c.at("application_id"), 64);

    const Node ap = c.at("applicant");
    need_object(ap);
    need_string(ap.at("name"), 400, true);
    const std::string subject = need_code(ap.at("subject_type"), {"1", "2", "3", "4", "5", "6"});
    const std::string doc_type = need_code(ap.at("doc_type"), doc_type_codes());
    const std::string_view doc_number = need_string(ap.at("doc_number"), 64, true);
    if (subject == "1" && doc_type == "111") {
        const auto chk = core::check_resident_id(doc_number);
        if (!chk.valid) bad(ap.at("doc_number"), "is not a valid resident ID number (" + chk.code + ")");
    } else if (subject != "1") {
        if (core::check_uscc(doc_number).status == core::UsccStatus::invalid)
            bad(ap.at("doc_number"), "is not a unified social credit code");
    }
    for (const char* k : {"phone", "address", "postal_code", "legal_representative", "agent_name", "agent_doc_number"})
        opt_string(ap.at(k), 400);

    if (!c.at("fees").null_or_missing()) {  // 收费: optional
        const json& fl = need_array(c.at("fees"), 100);
        for (std::size_t i = 0; i < fl.size(); ++i) {
            const Node f = c.at("fees").at(i);
            need_object(f);
            need_string(f.at("name"), 400, true);
            need_int(f.at("amount_fen"), 0, 10'000'000'000LL);
            need_code(f.at("status"), {"due", "paid", "waived"});
        }
    }
    need_code(c.at("channel"), {"1", "2", "3", "4", "9"});
    m.state = need_code(c.at("state"), state_codes());
    opt_instant(c.at("applied_at"));
    opt_instant(c.at("accepted_at"));
    opt_date(c.at("due_date"));
    const Node tl = c.at("time_limits");
    need_object(tl);
    need_int(tl.at("legal_days"), 0, 3650);
    need_int(tl.at("promised_days"), 0, 3650);
    need_code(tl.at("unit"), {"working_day", "natural_day"});
    const Node form = c.at("form");
    need_object(form);
    need_string(form.at("version"), 64);
    if (!need(form.at("answers")).is_object()) bad(form.at("answers"), "must be an object");
    const Node mats = c.at("materials");
    const json& ml = need_array(mats, 1000);
    for (std::size_t i = 0; i < ml.size(); ++i) {
        const Node mt = mats.at(i);
        need_object(mt);
        need_string(mt.at("code"), 64, true);
        need_string(mt.at("name"), 400);
        need_code(mt.at("necessity"), {"1", "2", "3"});
        need_code(mt.at("status"), material_status_codes());
        need_int(mt.at("originals"), 0, 999);
        need_int(mt.at("copies"), 0, 999);
        opt_date(mt.at("promised_by"));
        opt_sha256(mt.at("blob_sha256"));
    }
    if (snapshot) {
        const Node hist = c.at("history");
        const json& hl = need_array(hist, 100000);
        std::int64_t last = 0;
        for (std::size_t i = 0; i < hl.size(); ++i) {
            const Node ev = hist.at(i);
            WireEvent we = check_event(ev);
            if (we.seq <= last) bad(ev.at("seq"), "must increase along the history");
            last = we.seq;
            we.record = dump_doc(*ev.v);
            m.history.push_back(std::move(we));
        }
        json copy = *c.v;
        copy.erase("history");
        m.record = dump_doc(copy);
    } else {
        m.record = raw.empty() ? dump_doc(*c.v) : std::string(raw);
    }
}

void check_mutation(const Node& mn, WireMutation& m, const RawRecord& raw) {
    need_object(mn);
    m.mutation_id = need_uuid(mn.at("mutation_id"));
    m.case_id = need_uuid(mn.at("case_id"));
    m.kind = need_code(mn.at("kind"), {"create", "event", "attach_blob", "snapshot"});
    need_instant(mn.at("created_at"));
    if (m.kind == "create" || m.kind == "snapshot") {
        check_case(mn.at("case", true), m.case_id, m, m.kind == "snapshot", raw.found ? raw.case_text : std::string_view());
    } else if (m.kind == "event") {
        const Node ev = mn.at("event", true);
        m.event = check_event(ev);
        m.event.record = raw.found && !raw.event_text.empty() ? std::string(raw.event_text) : dump_doc(*ev.v);
    } else {
        const Node b = mn.at("blob", true);
        need_object(b);
        m.blob_sha256 = std::string(need_string(b.at("sha256"), 64));
        if (!is_lower_hex(m.blob_sha256, 64)) bad(b.at("sha256"), "is not a lower-case hex SHA-256");
        m.blob_role = std::string(need_string(b.at("role"), 64, true));
        m.blob_material = opt_string(b.at("material_code"), 64);
    }
}

json parse_envelope(std::string_view body, const char* list, std::size_t max) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded()) throw EnvelopeError{400, "request.malformed", "the body is not JSON"};
    if (!j.is_object()) throw EnvelopeError{400, "request.malformed", "the body must be a JSON object"};
    auto it = j.find(list);
    if (it == j.end() || !it->is_array())
        throw EnvelopeError{400, "request.malformed", std::string("/") + list + " must be an array"};
    if (it->size() > max)
        throw EnvelopeError{413, "request.too_large", std::string("at most ") + std::to_string(max) + " records per request"};
    return j;
}

}  // namespace

PushBatch parse_push(std::string_view body) {
    const ArenaScope arena;  // declared first: the document below goes before it
    const json j = parse_envelope(body, "mutations", kMaxBatch);
    PushBatch out;
    if (auto it = j.find("batch_id"); it != j.end()) {
        if (!it->is_string()) throw EnvelopeError{400, "request.malformed", "/batch_id must be a string"};
        out.batch_id = to_std(it->get_ref<const jstr&>());
    }
    const Node root{&j};
    const Node list = root.at("mutations");
    const std::size_t n = list.v->size();
    out.mutations.resize(n);
    auto raw = RawScanner(body).records("mutations");
    if (raw.size() != n) raw.assign(n, RawRecord{});  // cannot happen for valid JSON; dump instead
    for (std::size_t i = 0; i < n; ++i) {
        WireMutation& m = out.mutations[i];
        const Node mn = list.at(i, true);
        try {
            check_mutation(mn, m, raw[i]);
        } catch (const Invalid& e) {
            m.invalid_field = e.field;
            m.invalid_message = e.message;
            if (m.mutation_id.empty() && mn.v->is_object()) {
                auto it = mn.v->find("mutation_id");
                if (it != mn.v->end() && it->is_string()) {
                    const auto u = core::Uuid::parse(it->get_ref<const jstr&>());
                    m.mutation_id = u ? u->to_string() : to_std(it->get_ref<const jstr&>()).substr(0, 64);
                }
            }
        }
    }
    return out;
}

std::vector<WireRating> parse_ratings(std::string_view body) {
    const ArenaScope arena;
    const json j = parse_envelope(body, "ratings", kMaxBatch);
    const Node root{&j};
    const Node list = root.at("ratings");
    std::vector<WireRating> out(list.v->size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        WireRating& r = out[i];
        const Node rn = list.at(i, true);
        try {
            need_object(rn);
            r.mutation_id = need_uuid(rn.at("mutation_id"));
            r.case_id = need_uuid(rn.at("case_id"));
            r.case_no = opt_string(rn.at("case_no"), 64);
            r.satisfaction = need_code(rn.at("satisfaction"), {"1", "2", "3", "4", "5"});
            r.gb_level = 6 - (r.satisfaction[0] - '0');
            r.channel = need_code(rn.at("channel"), {"1", "2", "3", "4", "5", "6", "7"});
            r.reason = opt_string(rn.at("reason"), 4000);
            r.comment = opt_string(rn.at("comment"), 4000);
            r.rated_at = need_instant(rn.at("rated_at"));
            if ((r.satisfaction == "1" || r.satisfaction == "2") && r.reason.empty())
                bad(rn.at("reason"), "a bad rating (1 or 2) needs a reason");
        } catch (const Invalid& e) {
            r.invalid_field = e.field;
            r.invalid_message = e.message;
            if (r.mutation_id.empty() && rn.v->is_object()) {
                auto it = rn.v->find("mutation_id");
                if (it != rn.v->end() && it->is_string()) r.mutation_id = to_std(it->get_ref<const jstr&>()).substr(0, 64);
            }
        }
    }
    return out;
}

}  // namespace ow::sim
