// Verification of every signature in a PDF (see seal.h and docs/seals.md for the rules).
#include "crypto.h"
#include "pdf_util.h"
#include "ses.h"

#include <nlohmann/json.hpp>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509_vfy.h>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>

namespace ow::seal {

bool SignatureReport::valid() const {
    return problems.empty() && (!trusted || *trusted) && (!timestamp_trusted || *timestamp_trusted);
}

bool VerifyReport::ok() const {
    if (signatures.empty()) return false;
    for (const auto& s : signatures)
        if (!s.valid()) return false;
    return true;
}

namespace {

/// "D:YYYYMMDDHHmmSS[Z|+HH'mm']" → time_t (UTC); -1 if unparseable.
std::time_t parse_pdf_date(const std::string& d) {
    std::string s = d.rfind("D:", 0) == 0 ? d.substr(2) : d;
    if (s.size() < 14) return -1;
    for (int i = 0; i < 14; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[std::size_t(i)]))) return -1;
    std::tm tm{};
    tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(s.substr(4, 2)) - 1;
    tm.tm_mday = std::stoi(s.substr(6, 2));
    tm.tm_hour = std::stoi(s.substr(8, 2));
    tm.tm_min = std::stoi(s.substr(10, 2));
    tm.tm_sec = std::stoi(s.substr(12, 2));
    std::time_t t = timegm(&tm);
    auto two_digits = [&](std::size_t at) {
        return s.size() >= at + 2 && std::isdigit(static_cast<unsigned char>(s[at])) &&
               std::isdigit(static_cast<unsigned char>(s[at + 1]));
    };
    if (s.size() >= 17 && (s[14] == '+' || s[14] == '-') && two_digits(15)) {
        const int off = std::stoi(s.substr(15, 2)) * 3600 + (two_digits(18) ? std::stoi(s.substr(18, 2)) * 60 : 0);
        t += s[14] == '+' ? -off : off;
    }
    return t;
}

std::string iso_time(const ASN1_GENERALIZEDTIME* t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

struct CmsPtr {
    CMS_ContentInfo* p = nullptr;
    ~CmsPtr() { CMS_ContentInfo_free(p); }
};

/// The signatures of a document: signature dictionary → end of the revision it signs.
using SignatureEnds = std::map<QPDFObjGen, std::uint64_t>;

/// Allowed-change analysis between the signed revision (`old`) and the final document (`cur`),
/// pyHanko-style, reject by default. Every object whose cross-reference entry differs between the
/// two (written again, moved, or pointed at another body) and whose content differs is judged by
/// its role in the signed revision. Allowed: the catalog in /AcroForm, /DSS, /Extensions, /Metadata;
/// the AcroForm in /Fields, /SigFlags, /DR, /DA; a page in /Annots; /Fields and /Annots append only;
/// an empty signature field getting its /V and /AP; /DSS material, the document information and the
/// XMP metadata (never shown on a page). What is appended is judged too:
/// a new field must be a signature field and a new annotation a signature widget (or, under DocMDP
/// P=3, any annotation), and a widget that shows something must belong to a signature field that
/// is listed in /Fields and signed by a signature made after this one (so that signature covers
/// it). New objects no changed object refers to are never shown, so they are not judged.
class DiffCheck {
public:
    DiffCheck(QPDF& old, QPDF& cur, std::uint64_t end, const SignatureEnds& signatures)
        : old_(old), cur_(cur), end_(end), signatures_(signatures) {}

    std::vector<std::string> run() {
        docmdp_ = pdf::docmdp_level(old_);  // of the signed revision: a later one cannot change the rules
        map_roles();
        const QPDFObjGen old_root = old_.getRoot().getObjGen(), cur_root = cur_.getRoot().getObjGen();
        if (old_root != cur_root)
            report("the trailer's /Root names another catalog (object " + cur_root.unparse(' ') + ")");
        auto table = cur_.getXRefTable();
        auto old_table = old_.getXRefTable();
        auto same_entry = [&](const QPDFXRefEntry& a, const QPDFXRefEntry& b) {
            if (a.getType() != b.getType()) return false;
            if (a.getType() == 1) return a.getOffset() == b.getOffset();
            if (a.getType() != 2) return true;
            if (a.getObjStreamNumber() != b.getObjStreamNumber() || a.getObjStreamIndex() != b.getObjStreamIndex())
                return false;
            // Same place in an object stream: the same only if the object stream did not change.
            auto x = table.find(QPDFObjGen(a.getObjStreamNumber(), 0));
            auto y = old_table.find(QPDFObjGen(b.getObjStreamNumber(), 0));
            return x != table.end() && y != old_table.end() && x->second.getType() == 1 &&
                   y->second.getType() == 1 && x->second.getOffset() == y->second.getOffset();
        };
        bool any = false;
        for (const auto& [og, entry] : table) {
            auto was = old_table.find(og);
            if (was != old_table.end() && same_entry(entry, was->second)) continue;
            any = true;
            if (was != old_table.end() || referrers().count(og)) check_modified(og);
        }
        for (const auto& [og, entry] : old_table)
            if (!table.count(og)) {
                any = true;
                report("object " + og.unparse(' ') + " was deleted");
            }
        if (docmdp_ == 1 && any)
            report("the document was certified with no changes allowed (DocMDP P=1), but a later revision changed it");
        return changes_;
    }

private:
    static std::string type_of(QPDFObjectHandle o) {
        QPDFObjectHandle d = o.isStream() ? o.getDict() : o;
        if (!d.isDictionary()) return {};
        QPDFObjectHandle t = d.getKey("/Type");
        return t.isName() ? t.getName() : std::string();
    }
    static std::string what(QPDFObjectHandle o) { return "object " + o.getObjGen().unparse(' '); }

    /// An inheritable field attribute (/FT, /V), looked up the /Parent chain.
    static QPDFObjectHandle inherited(QPDFObjectHandle field, const std::string& key) {
        for (int depth = 0; depth < 32 && field.isDictionary(); ++depth) {
            if (field.hasKey(key)) return field.getKey(key);
            field = field.getKey("/Parent");
        }
        return QPDFObjectHandle::newNull();
    }
    static bool is_sig(QPDFObjectHandle field) {
        QPDFObjectHandle ft = inherited(field, "/FT");
        return ft.isName() && ft.getName() == "/Sig";
    }
    /// The field of a widget: the widget itself when merged, else its /Parent.
    static QPDFObjectHandle field_of(QPDFObjectHandle widget) {
        if (widget.hasKey("/T") || !widget.getKey("/Parent").isDictionary()) return widget;
        return widget.getKey("/Parent");
    }
    static std::string field_name(QPDFObjectHandle field) {
        QPDFObjectHandle t = field.getKey("/T");
        return t.isString() ? " '" + t.getUTF8Value() + "'" : std::string();
    }
    /// Whether an annotation can show (or print) anything: an appearance, a rectangle with an area,
    /// and not hidden (Hidden, or NoView without Print).
    static bool shows_something(QPDFObjectHandle annot) {
        QPDFObjectHandle ap = annot.getKey("/AP");
        if (!ap.isDictionary() || ap.getKeys().empty()) return false;
        QPDFObjectHandle f = annot.getKey("/F");
        const long long flags = f.isInteger() ? f.getIntValue() : 0;
        if ((flags & 2) || ((flags & 32) && !(flags & 4))) return false;
        QPDFObjectHandle r = annot.getKey("/Rect");
        std::vector<double> v;
        if (r.isArray())
            for (auto& x : r.getArrayAsVector())
                if (x.isNumber()) v.push_back(x.getNumericValue());
        if (v.size() != 4) return true;  // a viewer may still draw it somewhere
        return std::abs(v[2] - v[0]) > 1e-6 && std::abs(v[3] - v[1]) > 1e-6;
    }
    static bool same_content(QPDFObjectHandle a, QPDFObjectHandle b) {
        if (a.isStream() != b.isStream()) return false;
        if (!a.isStream()) return a.unparseResolved() == b.unparseResolved();
        if (a.getDict().unparse() != b.getDict().unparse()) return false;
        try {
            auto x = a.getRawStreamData(), y = b.getRawStreamData();
            return x->getSize() == y->getSize() && std::equal(x->getBuffer(), x->getBuffer() + x->getSize(), y->getBuffer());
        } catch (const std::exception&) {
            return false;
        }
    }

    /// Whether a dictionary entry changed. The same reference is no change here: the object it
    /// names is judged on its own when a later revision wrote it again.
    static bool changed(QPDFObjectHandle was, QPDFObjectHandle now) { return was.unparse() != now.unparse(); }

    void report(const std::string& change) {
        if (std::find(changes_.begin(), changes_.end(), change) == changes_.end()) changes_.push_back(change);
    }

    /// The roles of the signed revision's objects that a later revision may change (within limits).
    void map_roles() {
        QPDFObjectHandle root = old_.getRoot();
        for (QPDFObjectHandle page : old_.getAllPages()) {
            pages_.insert(page.getObjGen());
            QPDFObjectHandle annots = page.getKey("/Annots");
            if (annots.isIndirect()) annots_arrays_.insert(annots.getObjGen());
        }
        QPDFObjectHandle af = root.getKey("/AcroForm");
        if (af.isIndirect()) acroform_ = af.getObjGen();
        QPDFObjectHandle fields = af.isDictionary() ? af.getKey("/Fields") : QPDFObjectHandle::newNull();
        if (fields.isIndirect()) fields_array_ = fields.getObjGen();
        // Not shown on any page: /DSS material, the document information, the XMP metadata — as
        // long as nothing else refers to them (a file prepared with its /Info also an annotation
        // would otherwise have a shown object changed as "metadata").
        const QPDFObjGen trailer_og, root_og = root.getObjGen();
        auto only_from = [&](QPDFObjectHandle h, QPDFObjGen from) {
            if (!h.isIndirect()) return;
            auto by = referrers().find(h.getObjGen());
            if (by != referrers().end() && by->second.size() == 1 && by->second.count(from)) not_shown_.insert(h.getObjGen());
        };
        QPDFObjectHandle dss = root.getKey("/DSS");
        only_from(dss, root_og);
        if (dss.isDictionary() && dss.isIndirect())
            for (const auto& k : dss.getKeys()) only_from(dss.getKey(k), dss.getObjGen());
        only_from(old_.getTrailer().getKey("/Info"), trailer_og);
        only_from(root.getKey("/Metadata"), root_og);
        // Empty signature fields (and their widgets): a later signature may fill them in.
        std::set<QPDFObjGen> seen;
        std::function<void(QPDFObjectHandle, int)> walk = [&](QPDFObjectHandle f, int depth) {
            if (!f.isDictionary() || depth > 32 || (f.isIndirect() && !seen.insert(f.getObjGen()).second)) return;
            if (is_sig(f) && !inherited(f, "/V").isDictionary() && f.isIndirect()) empty_sig_fields_.insert(f.getObjGen());
            QPDFObjectHandle kids = f.getKey("/Kids");
            if (kids.isArray())
                for (auto& k : kids.getArrayAsVector()) walk(k, depth + 1);
        };
        if (fields.isArray())
            for (auto& f : fields.getArrayAsVector()) walk(f, 0);
        // The signature fields of the final document that a verifier sees (listed in /Fields).
        seen.clear();
        std::function<void(QPDFObjectHandle, int)> listed = [&](QPDFObjectHandle f, int depth) {
            if (!f.isDictionary() || depth > 32 || (f.isIndirect() && !seen.insert(f.getObjGen()).second)) return;
            if (f.isIndirect()) listed_fields_.insert(f.getObjGen());
            QPDFObjectHandle kids = f.getKey("/Kids");
            if (kids.isArray())
                for (auto& k : kids.getArrayAsVector()) listed(k, depth + 1);
        };
        QPDFObjectHandle cur_af = cur_.getRoot().getKey("/AcroForm");
        QPDFObjectHandle cur_fields = cur_af.isDictionary() ? cur_af.getKey("/Fields") : QPDFObjectHandle::newNull();
        if (cur_fields.isArray())
            for (auto& f : cur_fields.getArrayAsVector()) listed(f, 0);
    }

    void check_modified(QPDFObjGen og) {
        QPDFObjectHandle now = cur_.getObject(og), was = old_.getObject(og);
        if (same_content(was, now)) return;  // written again unchanged
        const std::string w = "object " + og.unparse(' ');
        const std::string type = type_of(was);
        if (was.isStream() && (type == "/ObjStm" || type == "/XRef")) return;  // containers: their objects are judged
        if (not_shown_.count(og)) return;
        if (og == old_.getRoot().getObjGen()) {
            check_dict(w + " (/Catalog)", was, now, {"/AcroForm", "/DSS", "/Extensions", "/Metadata"});
            if (was.isDictionary() && now.isDictionary() && changed(was.getKey("/AcroForm"), now.getKey("/AcroForm")))
                check_acroform(w + " /AcroForm", was.getKey("/AcroForm"), now.getKey("/AcroForm"));
        } else if (og == acroform_) {
            check_acroform(w + " (/AcroForm)", was, now);
        } else if (og == fields_array_) {
            check_fields(w + " (/Fields)", was, now);
        } else if (pages_.count(og)) {
            check_dict(w + " (/Page)", was, now, {"/Annots"});
            if (was.isDictionary() && now.isDictionary() && changed(was.getKey("/Annots"), now.getKey("/Annots")))
                check_annots(w + " /Annots", was.getKey("/Annots"), now.getKey("/Annots"));
        } else if (annots_arrays_.count(og)) {
            check_annots(w + " (/Annots)", was, now);
        } else if (empty_sig_fields_.count(og)) {
            check_dict(w + " (an empty signature field)", was, now, {"/V", "/AP"});
            if (now.isDictionary()) check_sig_widget(now);
        } else if (was.isNull()) {
            report(w + " was added, and the signed revision already referred to it");
        } else if (now.isStream() || was.isStream()) {
            report(w + " (a stream) was modified");
        } else if (now.isDictionary() && was.isDictionary()) {
            check_dict(w + (type.empty() ? "" : " (" + type + ")"), was, now, {});
        } else {
            report(w + " was modified");
        }
    }

    /// Who refers to whom in the signed revision (the trailer as object 0 0). A new object number
    /// that the signed revision already named (e.g. a page's /Contents pointing at nothing yet) is
    /// a change to what it signed.
    const std::map<QPDFObjGen, std::set<QPDFObjGen>>& referrers() {
        if (!referrers_) {
            referrers_.emplace();
            QPDFObjGen from;
            std::function<void(QPDFObjectHandle, int)> collect = [&](QPDFObjectHandle h, int depth) {
                if (depth > 64) return;
                if (h.isStream()) h = h.getDict();
                std::vector<QPDFObjectHandle> values;
                if (h.isDictionary())
                    for (const auto& k : h.getKeys()) values.push_back(h.getKey(k));
                else if (h.isArray())
                    values = h.getArrayAsVector();
                for (auto& v : values) {
                    if (v.isIndirect()) (*referrers_)[v.getObjGen()].insert(from);
                    else collect(v, depth + 1);
                }
            };
            collect(old_.getTrailer(), 0);
            for (auto& o : old_.getAllObjects()) {
                from = o.getObjGen();
                collect(o, 0);
            }
        }
        return *referrers_;
    }

    /// Reports every key that changed and is not in `allowed`.
    void check_dict(const std::string& w, QPDFObjectHandle was, QPDFObjectHandle now, const std::set<std::string>& allowed) {
        if (was.isStream() != now.isStream()) {
            report(w + " was replaced by an object of another kind");
            return;
        }
        if (now.isStream()) {
            report(w + " (a stream) was modified");
            return;
        }
        if (!was.isDictionary() || !now.isDictionary()) {
            if (was.unparseResolved() != now.unparseResolved()) report(w + " was modified");
            return;
        }
        std::set<std::string> keys = now.getKeys();
        for (const auto& k : was.getKeys()) keys.insert(k);
        for (const auto& k : keys)
            if (!allowed.count(k) && was.getKey(k).unparse() != now.getKey(k).unparse()) report(w + ": " + k + " changed");
    }

    /// `was` and `now` are the AcroForm itself, or the catalog's /AcroForm values (see changed()).
    void check_acroform(const std::string& w, QPDFObjectHandle was, QPDFObjectHandle now) {
        if (!now.isDictionary()) {
            if (was.isDictionary()) report(w + " was removed");
            return;
        }
        QPDFObjectHandle empty = QPDFObjectHandle::newDictionary();
        QPDFObjectHandle before = was.isDictionary() ? was : empty;
        check_dict(w, before, now, {"/Fields", "/SigFlags", "/DR", "/DA"});
        if (changed(before.getKey("/Fields"), now.getKey("/Fields")))
            check_fields(w + " /Fields", before.getKey("/Fields"), now.getKey("/Fields"));
    }

    void check_fields(const std::string& w, QPDFObjectHandle was, QPDFObjectHandle now) {
        for (auto& added : appended(w, was, now)) {
            if (!added.isDictionary()) {
                report(w + ": an entry that is not a field was added");
            } else if (!is_sig(added)) {
                report(w + ": a non-signature form field" + field_name(added) + " was added");
            } else {
                QPDFObjectHandle kids = added.getKey("/Kids");
                if (kids.isArray()) {
                    for (auto& k : kids.getArrayAsVector())
                        if (k.isDictionary()) check_sig_widget(k);
                } else {
                    check_sig_widget(added);
                }
            }
        }
    }

    void check_annots(const std::string& w, QPDFObjectHandle was, QPDFObjectHandle now) {
        for (auto& added : appended(w, was, now)) {
            if (!added.isDictionary()) {
                report(w + ": an entry that is not an annotation was added");
                continue;
            }
            QPDFObjectHandle sub = added.getKey("/Subtype");
            const std::string subtype = sub.isName() ? sub.getName() : "(untyped)";
            if (subtype == "/Widget") check_sig_widget(added);
            else if (docmdp_ != 3) report(w + ": a " + subtype + " annotation was added");
        }
    }

    /// A signature widget added (or filled in) after this signature. One that shows something
    /// must belong to a field listed in /Fields, signed by a signature made after this one.
    void check_sig_widget(QPDFObjectHandle widget) {
        if (widget.isIndirect() && !judged_.insert(widget.getObjGen()).second) return;
        const std::string w = widget.isIndirect() ? what(widget) : "a direct annotation";
        if (!is_sig(widget)) {
            report(w + ": a widget of a non-signature form field was added");
            return;
        }
        if (!shows_something(widget)) return;  // an empty signature field to sign later, or an invisible seal
        QPDFObjectHandle field = field_of(widget);
        QPDFObjectHandle v = inherited(field, "/V");
        const bool listed = field.isIndirect() && listed_fields_.count(field.getObjGen());
        auto sig = v.isIndirect() ? signatures_.find(v.getObjGen()) : signatures_.end();
        if (listed && sig != signatures_.end() && sig->second > end_) return;
        std::string why;
        if (!v.isDictionary()) why = "and no signature";
        else if (!listed) why = "that is not listed in the AcroForm's /Fields";
        else why = "whose signature was not made after this one";
        report(w + ": a signature field" + field_name(field) + " with a visible appearance " + why + " was added");
    }

    /// Entries appended to an array (the earlier ones must be unchanged); reports anything else.
    std::vector<QPDFObjectHandle> appended(const std::string& w, QPDFObjectHandle was, QPDFObjectHandle now) {
        std::vector<QPDFObjectHandle> a, b;
        if (was.isArray()) a = was.getArrayAsVector();
        if (now.isArray()) b = now.getArrayAsVector();
        else if (!now.isNull()) {
            report(w + " was replaced by something that is not an array");
            return {};
        }
        if (b.size() < a.size()) {
            report(w + ": entries were removed");
            return {};
        }
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i].unparse() != b[i].unparse()) {
                report(w + ": existing entries were changed");
                return {};
            }
        return {b.begin() + std::ptrdiff_t(a.size()), b.end()};
    }

    QPDF& old_;
    QPDF& cur_;
    std::uint64_t end_;
    const SignatureEnds& signatures_;
    int docmdp_ = 0;  // 0: no certification signature; else its /P
    std::set<QPDFObjGen> pages_, annots_arrays_, not_shown_, empty_sig_fields_, listed_fields_, judged_;
    QPDFObjGen acroform_, fields_array_;
    std::optional<std::map<QPDFObjGen, std::set<QPDFObjGen>>> referrers_;
    std::vector<std::string> changes_;
};

/// With roots: whether the timestamp authority that signed the token is trusted — its
/// certificate chains to the roots (with the token's certificates as intermediates) at the
/// token's time and may sign timestamps (extended key usage timeStamping, critical, as RFC 3161
/// §2.3 requires: OpenSSL's timestamp-signing purpose). Sets r.timestamp_trusted and, when not,
/// r.timestamp_trust_error.
void check_tsa_trust(SignatureReport& r, CMS_ContentInfo* cms, X509_STORE* roots, const ASN1_GENERALIZEDTIME* gen_time) {
    STACK_OF(X509)* signers = CMS_get0_signers(cms);
    if (!signers || sk_X509_num(signers) != 1) {
        sk_X509_free(signers);
        r.timestamp_trusted = false;
        r.timestamp_trust_error = "the timestamp names no certificate of its authority";
        ERR_clear_error();
        return;
    }
    X509* tsa = sk_X509_value(signers, 0);
    STACK_OF(X509)* certs = CMS_get1_certs(cms);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, roots, tsa, certs);
    X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_TIMESTAMP_SIGN);
    struct tm tm {};
    if (gen_time && ASN1_TIME_to_tm(gen_time, &tm) == 1) X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), timegm(&tm));
    const bool ok = X509_verify_cert(ctx) == 1;
    r.timestamp_trusted = ok;
    if (!ok)
        r.timestamp_trust_error = "timestamp authority " + crypto::common_name(X509_get_subject_name(tsa)) + ": " +
                                  X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(certs, X509_free);
    sk_X509_free(signers);
    ERR_clear_error();
}

/// A timestamp token (CMS SignedData over a TSTInfo): its signature verifies and its imprint
/// equals `digest` (SHA-256). Sets `r.timestamp_time` from the token; with roots, judges the
/// authority's certificate too (check_tsa_trust).
bool check_token(SignatureReport& r, const std::string& token, const std::string& digest, X509_STORE* roots) {
    std::string& time = r.timestamp_time;
    const auto* p = reinterpret_cast<const unsigned char*>(token.data());
    CmsPtr cms;
    cms.p = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(token.size()));
    if (!cms.p) return false;
    BIO* content = BIO_new(BIO_s_mem());
    const bool sig_ok = CMS_verify(cms.p, nullptr, nullptr, nullptr, content, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1;
    char* data = nullptr;
    const long n = BIO_get_mem_data(content, &data);
    const auto* tp = reinterpret_cast<const unsigned char*>(data);
    TS_TST_INFO* tst = n > 0 ? d2i_TS_TST_INFO(nullptr, &tp, n) : nullptr;
    bool imprint_ok = false;
    if (tst) {
        TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(tst);
        const ASN1_OBJECT* obj = nullptr;
        X509_ALGOR_get0(&obj, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(imprint));
        ASN1_OCTET_STRING* value = TS_MSG_IMPRINT_get_msg(imprint);
        imprint_ok = OBJ_obj2nid(obj) == NID_sha256 &&
                     std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                                 std::size_t(ASN1_STRING_length(value))) == digest;
        time = iso_time(TS_TST_INFO_get_time(tst));
        if (roots && sig_ok) check_tsa_trust(r, cms.p, roots, TS_TST_INFO_get_time(tst));
        TS_TST_INFO_free(tst);
    }
    BIO_free(content);
    ERR_clear_error();
    return sig_ok && imprint_ok;
}

void check_cms(SignatureReport& r, const std::string& data, const std::vector<std::int64_t>& br,
               const std::string& contents, X509_STORE* roots) {
    // The signed bytes' digest; the CMS tells which algorithm.
    CmsPtr cms;
    const auto* p = reinterpret_cast<const unsigned char*>(contents.data());
    cms.p = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(contents.size()));
    if (!cms.p) {
        ERR_clear_error();
        r.problems.push_back("/Contents is not a CMS structure");
        return;
    }
    auto digest_of = [&](const EVP_MD* md) {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        EVP_DigestInit_ex(ctx, md, nullptr);
        EVP_DigestUpdate(ctx, data.data(), std::size_t(br[1]));
        EVP_DigestUpdate(ctx, data.data() + br[2], std::size_t(br[3]));
        std::string out(std::size_t(EVP_MD_get_size(md)), '\0');
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), &n);
        EVP_MD_CTX_free(ctx);
        return out;
    };

    if (r.doc_timestamp) {
        // The token's TSTInfo imprint is the SHA-256 of the signed bytes.
        r.digest_ok = check_token(r, contents, digest_of(EVP_sha256()), roots);
        r.signature_ok = r.digest_ok;
        if (!r.digest_ok) r.problems.push_back("the document timestamp does not verify or does not match the signed bytes");
    }

    STACK_OF(CMS_SignerInfo)* sis = CMS_get0_SignerInfos(cms.p);
    if (!sis || sk_CMS_SignerInfo_num(sis) != 1) {
        r.problems.push_back("the CMS must hold exactly one SignerInfo");
        return;
    }
    CMS_set1_signers_certs(cms.p, nullptr, 0);
    ERR_clear_error();
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(sis, 0);
    EVP_PKEY* pk = nullptr;
    X509* signer = nullptr;
    X509_ALGOR* digalg = nullptr;
    X509_ALGOR* sigalg = nullptr;
    CMS_SignerInfo_get0_algs(si, &pk, &signer, &digalg, &sigalg);
    if (!signer) {
        r.problems.push_back("the signer's certificate is not in the signature");
        return;
    }
    r.signer = crypto::common_name(X509_get_subject_name(signer));
    r.signer_subject = crypto::one_line(X509_get_subject_name(signer));
    if (!r.doc_timestamp) {
        const ASN1_OBJECT* dobj = nullptr;
        X509_ALGOR_get0(&dobj, nullptr, nullptr, digalg);
        const EVP_MD* md = EVP_get_digestbyobj(dobj);
        const auto* signed_md = static_cast<ASN1_OCTET_STRING*>(
            CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING));
        if (!md) r.problems.push_back("unsupported digest algorithm");
        else if (!signed_md) r.problems.push_back("the signature has no message-digest attribute");
        else {
            r.digest_ok = digest_of(md) == std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(signed_md)),
                                                       std::size_t(ASN1_STRING_length(signed_md)));
            if (!r.digest_ok) r.problems.push_back("the signed bytes were changed (digest mismatch)");
        }
        r.signature_ok = CMS_SignerInfo_verify(si) == 1;
        ERR_clear_error();
        if (!r.signature_ok) r.problems.push_back("the CMS signature does not verify");
        if (r.sub_filter == "/ETSI.CAdES.detached") {
            if (CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) >= 0)
                r.problems.push_back("PAdES: a signing-time attribute is present");
            if (CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) < 0 &&
                CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificate, -1) < 0)
                r.problems.push_back("PAdES: no signing-certificate attribute");
        }
        // Signature timestamp (B-T), if any: a token over the signature value.
        const int ts_idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
        if (ts_idx >= 0) {
            X509_ATTRIBUTE* attr = CMS_unsigned_get_attr(si, ts_idx);
            ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(attr, 0);
            bool ts_ok = false;
            if (t && t->type == V_ASN1_SEQUENCE) {
                const std::string token(reinterpret_cast<const char*>(t->value.sequence->data),
                                        std::size_t(t->value.sequence->length));
                const ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
                crypto::Sha256 h;
                h.update(ASN1_STRING_get0_data(sig), std::size_t(ASN1_STRING_length(sig)));
                const der::Bytes d = h.finish();
                ts_ok = check_token(r, token, std::string(d.begin(), d.end()), roots);
            }
            if (!ts_ok) r.problems.push_back("the signature timestamp does not verify or is not over this signature");
            ERR_clear_error();
        }
    }
    if (roots) {
        X509_STORE_CTX* ctx = X509_STORE_CTX_new();
        STACK_OF(X509)* certs = CMS_get1_certs(cms.p);
        X509_STORE_CTX_init(ctx, roots, signer, certs);
        // The validation time: the timestamp's (B-T) when there is one, else the claimed /M.
        std::time_t when = parse_pdf_date(r.signing_time);
        if (r.timestamp_time.size() >= 19) {
            std::string t = r.timestamp_time;  // YYYY-MM-DDTHH:MM:SSZ
            t.erase(std::remove_if(t.begin(), t.end(), [](char ch) { return ch == '-' || ch == ':' || ch == 'T'; }),
                    t.end());
            if (const std::time_t ts = parse_pdf_date(t); ts > 0) when = ts;
        }
        if (when > 0) X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), when);
        const bool ok = X509_verify_cert(ctx) == 1;
        r.trusted = ok;
        if (!ok) r.trust_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
        X509_STORE_CTX_free(ctx);
        sk_X509_pop_free(certs, X509_free);
        ERR_clear_error();
    }
}

void check_trust(SignatureReport& r, X509* signer, STACK_OF(X509)* untrusted, X509_STORE* roots, std::time_t when) {
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, roots, signer, untrusted);
    if (when > 0) X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), when);
    const bool ok = X509_verify_cert(ctx) == 1;
    r.trusted = ok;
    if (!ok) r.trust_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    X509_STORE_CTX_free(ctx);
    ERR_clear_error();
}

/// The SM2 profile: /Contents is a GB/T 38540 SES_Signature over the SM3 of the byte ranges.
void check_ses(SignatureReport& r, const std::string& data, const std::vector<std::int64_t>& br,
               const std::string& contents, X509_STORE* roots) {
    crypto::Sha256 h(EVP_sm3());
    h.update(data.data(), std::size_t(br[1]));
    h.update(data.data() + br[2], std::size_t(br[3]));
    // The hex is zero-padded: the DER's own length tells where it ends.
    ses::Checked c = ses::check(contents, h.finish());
    if (!c.parsed) {
        r.problems.push_back("/Contents is not a GB/T 38540 SES_Signature");
        return;
    }
    r.digest_ok = c.digest_ok;
    r.signature_ok = c.signature_ok && c.seal_ok;
    r.signing_time = "D:" + c.time;
    if (c.signer) {
        r.signer = crypto::common_name(X509_get_subject_name(c.signer));
        r.signer_subject = crypto::one_line(X509_get_subject_name(c.signer));
    }
    if (!c.digest_ok) r.problems.push_back("the signed bytes were changed (digest mismatch)");
    if (!c.signature_ok) r.problems.push_back("the SM2 signature does not verify");
    if (!c.seal_ok) r.problems.push_back("the seal maker's signature over the SES_Seal does not verify");
    if (!c.cert_in_seal) r.problems.push_back("the signer's certificate is not one of the seal's certificates");
    if (!c.time_in_validity) r.problems.push_back("signed outside the seal's validity period");
    if (roots && c.signer) {
        // OpenSSL 3.0 checks an SM2 certificate's signature only with its distinguishing id set.
        ASN1_OCTET_STRING* id = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(id, reinterpret_cast<const unsigned char*>("1234567812345678"), 16);
        X509_set0_distinguishing_id(c.signer, id);
        check_trust(r, c.signer, nullptr, roots, std::time_t(c.unix_time));
    }
    X509_free(c.signer);
}

}  // namespace

namespace {

VerifyReport verify_pdf(const std::filesystem::path& file, const VerifyOptions& options) {
    const std::string data = pdf::read_file(file);
    const pdf::Tail tail =
        pdf::parse_tail(std::string_view(data).substr(0, 1024),
                        std::string_view(data).substr(data.size() > 4096 ? data.size() - 4096 : 0), data.size());
    QPDF q;
    pdf::open_strict_memory(q, file.string(), data);

    X509_STORE* roots = nullptr;
    if (options.roots) {
        roots = X509_STORE_new();
        if (X509_STORE_load_file(roots, options.roots->string().c_str()) != 1) {
            X509_STORE_free(roots);
            ERR_clear_error();
            throw SealInputError("seal.roots", "cannot read the root certificates in " + options.roots->string());
        }
    }
    struct StoreGuard {
        X509_STORE* s;
        ~StoreGuard() { X509_STORE_free(s); }
    } guard{roots};

    VerifyReport report;
    report.file_size = data.size();
    SignatureEnds ends;               // every signature dictionary → the end of its revision
    std::vector<std::size_t> later;   // signatures followed by later revisions
    QPDFAcroFormDocumentHelper afdh(q);
    for (auto& field : afdh.getFormFields()) {
        if (field.getFieldType() != "/Sig") continue;
        QPDFObjectHandle v = field.getValue();
        if (!v.isDictionary()) continue;  // an empty signature field
        SignatureReport r;
        r.field_name = field.getFullyQualifiedName();
        QPDFObjectHandle sf = v.getKey("/SubFilter");
        r.sub_filter = sf.isName() ? sf.getName() : "";
        r.doc_timestamp = r.sub_filter == "/ETSI.RFC3161";
        if (v.getKey("/M").isString()) r.signing_time = v.getKey("/M").getUTF8Value();
        QPDFObjectHandle bro = v.getKey("/ByteRange");
        QPDFObjectHandle contents = v.getKey("/Contents");
        std::vector<std::int64_t> br;
        if (bro.isArray())
            for (auto& x : bro.getArrayAsVector())
                if (x.isInteger()) br.push_back(x.getIntValue());
        const auto size = std::int64_t(data.size());
        if (br.size() != 4 || br[0] != 0 || br[1] <= 0 || br[2] <= br[1] || br[3] < 0 || br[2] + br[3] > size ||
            !contents.isString()) {
            r.problems.push_back("the /ByteRange is malformed");
            report.signatures.push_back(r);
            continue;
        }
        bool gap_ok = data[std::size_t(br[1])] == '<' && data[std::size_t(br[2] - 1)] == '>';
        for (std::int64_t i = br[1] + 1; gap_ok && i < br[2] - 1; ++i)
            gap_ok = std::isxdigit(static_cast<unsigned char>(data[std::size_t(i)])) != 0;
        r.byte_range_ok = gap_ok;
        if (!gap_ok) r.problems.push_back("the /ByteRange gap is not exactly the /Contents string");
        r.revision_end = std::size_t(br[2] + br[3]);
        r.covers_whole_file = br[2] + br[3] == size;
        if (r.sub_filter == ses::kSubFilter) {
            check_ses(r, data, br, contents.getStringValue(), roots);
        } else if (r.sub_filter != "/ETSI.CAdES.detached" && r.sub_filter != "/adbe.pkcs7.detached" && !r.doc_timestamp) {
            r.problems.push_back("unsupported /SubFilter " + r.sub_filter);
        } else {
            check_cms(r, data, br, contents.getStringValue(), roots);
        }
        if (!r.covers_whole_file && tail.startxref < r.revision_end)
            r.problems.push_back("bytes were appended after the signed revision without a new cross-reference section");
        else if (!r.covers_whole_file)
            later.push_back(report.signatures.size());
        if (v.isIndirect()) ends[v.getObjGen()] = r.revision_end;
        report.signatures.push_back(std::move(r));
    }
    // What later revisions changed, judged once every signature's revision is known (a widget
    // added after one signature is allowed only as part of a later one).
    for (const std::size_t i : later) {
        SignatureReport& r = report.signatures[i];
        const std::string signed_revision = data.substr(0, r.revision_end);  // qpdf reads it in place
        QPDF old;
        try {
            pdf::open_strict_memory(old, "signed revision", signed_revision);
        } catch (const core::Error&) {
            r.problems.push_back("the signed revision cannot be read on its own");
            continue;
        }
        try {
            r.changes = DiffCheck(old, q, r.revision_end, ends).run();
        } catch (const std::exception& e) {
            r.problems.push_back(std::string("the later revisions cannot be read: ") + e.what());
        }
        for (const auto& c : r.changes) r.problems.push_back("later revision: " + c);
    }
    std::sort(report.signatures.begin(), report.signatures.end(),
              [](const SignatureReport& a, const SignatureReport& b) { return a.revision_end < b.revision_end; });
    return report;
}

}  // namespace

VerifyReport verify(const std::filesystem::path& file, const VerifyOptions& options) {
    // qpdf reads objects when they are first used: damage met then (a loop in the page tree, an
    // object that does not parse) comes as QPDFExc or another std::exception, not as ours.
    try {
        return verify_pdf(file, options);
    } catch (const core::Error&) {
        throw;
    } catch (const std::exception& e) {
        throw SealInputError("seal.bad_pdf", std::string("the PDF cannot be read: ") + e.what());
    }
}

std::string to_json(const VerifyReport& report) {
    nlohmann::json out;
    out["ok"] = report.ok();
    out["file_size"] = report.file_size;
    out["signatures"] = nlohmann::json::array();
    for (const auto& s : report.signatures) {
        nlohmann::json j;
        j["field"] = s.field_name;
        j["sub_filter"] = s.sub_filter;
        j["doc_timestamp"] = s.doc_timestamp;
        j["signer"] = s.signer;
        j["signer_subject"] = s.signer_subject;
        j["signing_time"] = s.signing_time;
        j["timestamp_time"] = s.timestamp_time.empty() ? nlohmann::json() : nlohmann::json(s.timestamp_time);
        j["byte_range_ok"] = s.byte_range_ok;
        j["digest_ok"] = s.digest_ok;
        j["signature_ok"] = s.signature_ok;
        j["trusted"] = s.trusted ? nlohmann::json(*s.trusted) : nlohmann::json();
        if (!s.trust_error.empty()) j["trust_error"] = s.trust_error;
        j["timestamp_trusted"] = s.timestamp_trusted ? nlohmann::json(*s.timestamp_trusted) : nlohmann::json();
        if (!s.timestamp_trust_error.empty()) j["timestamp_trust_error"] = s.timestamp_trust_error;
        j["covers_whole_file"] = s.covers_whole_file;
        j["revision_end"] = s.revision_end;
        j["later_changes"] = s.changes;
        j["problems"] = s.problems;
        j["valid"] = s.valid();
        out["signatures"].push_back(j);
    }
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);  // names may hold any bytes
}

}  // namespace ow::seal
