#include "pdf_util.h"

#include "ow/seal/errors.h"

#include <qpdf/Buffer.hh>
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/QPDFExc.hh>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>

namespace ow::seal::pdf {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }

[[noreturn]] void bad(const std::string& code, const std::string& msg) { throw SealInputError(code, msg); }

}  // namespace

Tail parse_tail(std::string_view head, std::string_view last, std::uint64_t file_size) {
    if (head.substr(0, std::min<std::size_t>(head.size(), 1024)).find("%PDF-") == std::string_view::npos)
        bad("seal.not_pdf", "not a PDF file (no %PDF- header)");
    Tail t;
    t.size = file_size;
    std::size_t end = last.size();
    while (end > 0 && is_ws(last[end - 1])) --end;
    if (end < 5 || last.substr(end - 5, 5) != "%%EOF")
        bad("seal.truncated", "the PDF is incomplete (it does not end with %%EOF); it may be truncated");
    t.ends_with_eol = !last.empty() && (last.back() == '\n' || last.back() == '\r');
    const std::size_t sx = last.rfind("startxref", end - 5);
    if (sx == std::string_view::npos) bad("seal.truncated", "the PDF has no startxref at its end; it may be truncated");
    std::size_t p = sx + 9;
    while (p < end && is_ws(last[p])) ++p;
    std::uint64_t off = 0;
    std::size_t digits = 0;
    while (p < end && std::isdigit(static_cast<unsigned char>(last[p]))) {
        off = off * 10 + std::uint64_t(last[p] - '0');
        ++p;
        ++digits;
    }
    if (!digits || off >= file_size) bad("seal.bad_pdf", "the PDF's startxref offset is invalid");
    t.startxref = off;
    return t;
}

void classify_xref(Tail& t, std::string_view at) {
    std::size_t p = 0;
    while (p < at.size() && is_ws(at[p])) ++p;
    if (at.substr(p, 4) == "xref") {
        t.xref_stream = false;
        return;
    }
    // "num gen obj" of an xref stream
    std::size_t q = p;
    auto digits = [&] {
        const std::size_t s = q;
        while (q < at.size() && std::isdigit(static_cast<unsigned char>(at[q]))) ++q;
        return q > s;
    };
    bool ok = digits();
    while (ok && q < at.size() && is_ws(at[q])) ++q;
    ok = ok && digits();
    while (ok && q < at.size() && is_ws(at[q])) ++q;
    ok = ok && at.substr(q, 3) == "obj";
    if (!ok) bad("seal.bad_pdf", "the PDF's last cross-reference section is not where startxref says");
    t.xref_stream = true;
}

Tail tail_of(std::string_view data) {
    const std::uint64_t size = data.size();
    Tail t = parse_tail(data.substr(0, 1024), data.substr(data.size() > 4096 ? data.size() - 4096 : 0), size);
    classify_xref(t, t.startxref < size ? data.substr(std::size_t(t.startxref), 64) : std::string_view());
    return t;
}

Tail read_tail(const std::filesystem::path& file) { return tail_of(read_file(file)); }

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in) bad("seal.read", "cannot read " + file.string());
    const auto size = in.tellg();
    if (size < 0) bad("seal.read", "cannot read " + file.string());
    std::string data(static_cast<std::size_t>(size), '\0');
    in.seekg(0);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    if (in.gcount() != static_cast<std::streamsize>(data.size()))
        bad("seal.read", "cannot read " + file.string() + " (it changed while it was read)");
    return data;
}

namespace {
void after_open(QPDF& q) {
    if (q.isEncrypted())
        bad("seal.encrypted", "the PDF is encrypted; decrypt it (or ask for an unencrypted copy) before sealing");
}
}  // namespace

void open_strict_memory(QPDF& q, const std::string& description, const std::string& data, bool pages) {
    q.setSuppressWarnings(true);
    q.setAttemptRecovery(false);
    try {
        q.processMemoryFile(description.c_str(), data.data(), data.size());
        q.getRoot();
        if (pages) q.getAllPages();
    } catch (const QPDFExc& e) {
        if (e.getErrorCode() == qpdf_e_password) bad("seal.encrypted", "the PDF is encrypted with a password");
        bad("seal.bad_pdf", std::string("the PDF cannot be read: ") + e.getMessageDetail());
    } catch (const std::exception& e) {
        bad("seal.bad_pdf", std::string("the PDF cannot be read: ") + e.what());
    }
    after_open(q);
}

int docmdp_level(QPDF& q) {
    QPDFObjectHandle sig = q.getRoot().getKey("/Perms");
    if (!sig.isDictionary()) return 0;
    sig = sig.getKey("/DocMDP");
    if (!sig.isDictionary()) return 0;
    int level = 2;
    QPDFObjectHandle refs = sig.getKey("/Reference");
    if (refs.isArray())
        for (auto& r : refs.getArrayAsVector()) {
            QPDFObjectHandle method = r.isDictionary() ? r.getKey("/TransformMethod") : QPDFObjectHandle::newNull();
            if (!method.isName() || method.getName() != "/DocMDP") continue;
            QPDFObjectHandle params = r.getKey("/TransformParams");
            if (params.isDictionary() && params.getKey("/P").isInteger()) {
                const long long p = params.getKey("/P").getIntValue();
                level = p >= 1 && p <= 3 ? int(p) : 1;
            }
        }
    return level;
}

std::string hex_string(const std::string& bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string out = "<";
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out + ">";
}

std::string text_string(const std::string& utf8) {
    bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    if (ascii) {
        std::string out = "(";
        for (char c : utf8) {
            if (c == '(' || c == ')' || c == '\\') out += '\\';
            out += c;
        }
        return out + ")";
    }
    // UTF-8 → UTF-16BE with a byte order mark
    std::string u16 = "\xFE\xFF";
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        std::uint32_t cp = 0xFFFD;
        std::size_t len = 1;
        if (c < 0x80) cp = c;
        else if ((c >> 5) == 6 && i + 1 < utf8.size()) { cp = ((c & 0x1Fu) << 6) | (utf8[i + 1] & 0x3Fu); len = 2; }
        else if ((c >> 4) == 14 && i + 2 < utf8.size()) {
            cp = ((c & 0x0Fu) << 12) | ((utf8[i + 1] & 0x3Fu) << 6) | (utf8[i + 2] & 0x3Fu);
            len = 3;
        } else if ((c >> 3) == 30 && i + 3 < utf8.size()) {
            cp = ((c & 0x07u) << 18) | ((utf8[i + 1] & 0x3Fu) << 12) | ((utf8[i + 2] & 0x3Fu) << 6) | (utf8[i + 3] & 0x3Fu);
            len = 4;
        }
        i += len;
        auto put16 = [&](std::uint32_t u) {
            u16 += static_cast<char>((u >> 8) & 0xFF);
            u16 += static_cast<char>(u & 0xFF);
        };
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put16(0xD800 + (cp >> 10));
            put16(0xDC00 + (cp & 0x3FF));
        } else {
            put16(cp);
        }
    }
    return hex_string(u16);
}

std::string name(const std::string& key) { return QPDFObjectHandle::newName(key).unparse(); }

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

std::string ref(std::int64_t num, int gen) { return std::to_string(num) + " " + std::to_string(gen) + " R"; }

std::string pdf_date(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%SZ", &tm);
    return buf;
}

std::string dict_with(QPDFObjectHandle dict, const std::map<std::string, std::string>& replace) {
    std::string out = "<<";
    for (const auto& key : dict.getKeys()) {
        if (replace.count(key)) continue;
        out += " " + name(key) + " " + dict.getKey(key).unparse();
    }
    for (const auto& [key, value] : replace)
        if (!value.empty()) out += " " + name(key) + " " + value;
    return out + " >>";
}

std::string array_with_appended(QPDFObjectHandle array, const std::vector<std::string>& extra) {
    std::string out = "[";
    if (array.isArray())
        for (auto& item : array.getArrayAsVector()) out += " " + item.unparse();
    for (const auto& e : extra) out += " " + e;
    return out + " ]";
}

void Revision::put(std::int64_t num, int gen, std::string body) {
    objs_.push_back({num, gen, std::to_string(num) + " " + std::to_string(gen) + " obj\n" + body + "\nendobj\n"});
}

void Revision::put_stream(std::int64_t num, int gen, const std::string& dict_entries, const std::string& data) {
    put(num, gen, "<< " + dict_entries + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream");
}

std::string Revision::assemble(std::uint64_t base, bool prepend_eol, const Trailer& tr) {
    std::string out;
    if (prepend_eol) out += "\n";
    std::map<std::int64_t, std::pair<std::uint64_t, int>> entries;  // num → (offset, gen)
    for (const auto& o : objs_) {
        local_offsets_[o.num] = out.size();
        entries[o.num] = {base + out.size(), o.gen};
        out += o.text;
    }
    const std::string common = " /Root " + tr.root + (tr.info.empty() ? "" : " /Info " + tr.info) + " /ID " + tr.id +
                               " /Prev " + std::to_string(tr.prev);
    // Runs of consecutive object numbers (subsections).
    auto runs = [](const std::map<std::int64_t, std::pair<std::uint64_t, int>>& e) {
        std::vector<std::pair<std::int64_t, std::int64_t>> r;  // first, count
        for (const auto& [num, _] : e) {
            if (!r.empty() && r.back().first + r.back().second == num) ++r.back().second;
            else r.push_back({num, 1});
        }
        return r;
    };
    if (!tr.xref_stream) {
        const std::uint64_t xref_at = base + out.size();
        out += "xref\n";
        for (const auto& [first, count] : runs(entries)) {
            out += std::to_string(first) + " " + std::to_string(count) + "\n";
            for (std::int64_t n = first; n < first + count; ++n) {
                char line[32];
                std::snprintf(line, sizeof line, "%010llu %05d n \n", static_cast<unsigned long long>(entries[n].first),
                              entries[n].second);
                out += line;
            }
        }
        out += "trailer\n<< /Size " + std::to_string(next_) + common + " >>\nstartxref\n" + std::to_string(xref_at) +
               "\n%%EOF\n";
        return out;
    }
    const std::int64_t xref_num = next_++;
    const std::uint64_t xref_at = base + out.size();
    entries[xref_num] = {xref_at, 0};
    int width = 4;
    if (xref_at > 0xFFFFFFFFull) width = 8;
    std::string data;
    std::string index;
    for (const auto& [first, count] : runs(entries)) {
        index += " " + std::to_string(first) + " " + std::to_string(count);
        for (std::int64_t n = first; n < first + count; ++n) {
            data += '\x01';
            for (int b = width - 1; b >= 0; --b) data += static_cast<char>((entries[n].first >> (8 * b)) & 0xFF);
            data += static_cast<char>((entries[n].second >> 8) & 0xFF);
            data += static_cast<char>(entries[n].second & 0xFF);
        }
    }
    local_offsets_[xref_num] = out.size();
    out += std::to_string(xref_num) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(next_) + " /Index [" + index +
           " ] /W [ 1 " + std::to_string(width) + " 2 ]" + common + " /Length " + std::to_string(data.size()) +
           " >>\nstream\n" + data + "\nendstream\nendobj\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
    return out;
}

std::string deflate(const std::string& data) {
    Pl_Buffer buffer("deflated");
    Pl_Flate flate("deflate", &buffer, Pl_Flate::a_deflate);
    flate.write(reinterpret_cast<unsigned char const*>(data.data()), data.size());
    flate.finish();
    auto buf = buffer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
}

}  // namespace ow::seal::pdf
