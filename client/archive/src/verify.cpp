// verify: the four-property check of a package (DA/T 70: 真实性, 完整性, 可用性, 安全性), on its own.
#include "ow/archive/archive.h"
#include "package.h"

#include "ow/seal/seal.h"
#include "ow/store/audit.h"

#include <cairo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <nlohmann/json.hpp>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

namespace ow::archive {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace detail;

const char* to_code(Property p) {
    switch (p) {
    case Property::authenticity: return "authenticity";
    case Property::integrity: return "integrity";
    case Property::usability: return "usability";
    case Property::security: return "security";
    }
    return "?";
}

bool VerifyReport::sound() const {
    return !checks.empty() && std::none_of(checks.begin(), checks.end(), [](const Check& c) { return !c.ok; });
}

std::vector<Check> VerifyReport::failures() const {
    std::vector<Check> out;
    for (const auto& c : checks)
        if (!c.ok) out.push_back(c);
    return out;
}

std::string to_json(const VerifyReport& r) {
    json checks = json::array();
    int failures = 0;
    for (const auto& c : r.checks) {
        checks.push_back({{"property", to_code(c.property)}, {"file", c.file}, {"ok", c.ok}, {"code", c.code}, {"message", c.message}});
        failures += c.ok ? 0 : 1;
    }
    json j = {{"package", r.path.string()}, {"format", r.zip ? "zip" : "folder"}, {"sound", r.sound()}, {"files", r.files},
              {"failures", failures}, {"checks", checks}};
    return j.dump(2);
}

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string lower_ext(const std::string& path) {
    auto dot = path.rfind('.');
    auto slash = path.rfind('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
    std::string e = path.substr(dot);
    for (auto& ch : e) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return e;
}

/// What metadata.xml says about one file.
struct Described {
    std::string sha256, sm3, size, format;
};
struct DocumentInfo {
    bool sealed = false;
    std::vector<std::pair<std::string, std::string>> seals;  // field, signer
};
struct Metadata {
    bool read = false;
    std::string case_id;
    std::map<std::string, Described> files;
    std::map<std::string, DocumentInfo> documents;  // by file path
};

std::string prop(xmlNode* n, const char* name) {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    if (!v) return {};
    std::string s(reinterpret_cast<const char*>(v));
    xmlFree(v);
    return s;
}

std::string text_of(xmlNode* n) {
    xmlChar* v = xmlNodeGetContent(n);
    if (!v) return {};
    std::string s(reinterpret_cast<const char*>(v));
    xmlFree(v);
    return s;
}

bool is(xmlNode* n, const char* name) { return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0; }

struct Checker {
    fs::path dir;
    const VerifyOptions& options;
    VerifyReport& report;

    void add(Property p, const std::string& file, bool ok, const std::string& code, const std::string& message) {
        report.checks.push_back({p, file, ok, code, message});
    }
    void fail(Property p, const std::string& file, const std::string& code, const std::string& message) { add(p, file, false, code, message); }
    void pass(Property p, const std::string& file, const std::string& code, const std::string& message) { add(p, file, true, code, message); }

    // ---- metadata.xml ----
    Metadata read_metadata() {
        Metadata m;
        const fs::path p = dir / kMetadata;
        if (!fs::exists(p)) return m;  // named as missing by the integrity check
        std::string bytes = read_file(p);
        // No network, no entity substitution, no DTD loading: a package refers to nothing outside it.
        xmlDoc* doc = xmlReadMemory(bytes.data(), int(bytes.size()), kMetadata, nullptr,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc) {
            const xmlError* e = xmlGetLastError();
            fail(Property::usability, kMetadata, "xml_unreadable",
                 std::string("the XML does not parse") + (e && e->message ? ": " + std::string(e->message) : std::string()));
            return m;
        }
        struct DocFree {
            xmlDoc* d;
            ~DocFree() { xmlFreeDoc(d); }
        } free_doc{doc};
        pass(Property::usability, kMetadata, "xml_parses", "the XML parses");
        if (doc->intSubset || doc->extSubset)
            fail(Property::security, kMetadata, "xml_doctype", "the XML has a DOCTYPE (entities or external references)");
        else
            pass(Property::security, kMetadata, "xml_no_doctype", "no DOCTYPE, entities or external references");
        xmlNode* root = xmlDocGetRootElement(doc);
        if (!root || !is(root, "archive-package") || !root->ns ||
            xmlStrcmp(root->ns->href, reinterpret_cast<const xmlChar*>(kNamespace)) != 0) {
            fail(Property::usability, kMetadata, "xml_not_a_package", std::string("the root element is not <archive-package xmlns=\"") + kNamespace + "\">");
            return m;
        }
        m.read = true;
        std::string receipt, state;
        bool applicant = false, item = false;
        for (xmlNode* sec = root->children; sec; sec = sec->next) {
            if (is(sec, "case")) {
                for (xmlNode* f = sec->children; f; f = f->next) {
                    if (is(f, "case-id")) m.case_id = text_of(f);
                    if (is(f, "receipt-no")) receipt = text_of(f);
                    if (is(f, "state")) state = text_of(f);
                }
            }
            if (is(sec, "applicant")) applicant = !prop(sec, "name").empty() || !prop(sec, "doc-number").empty();
            if (is(sec, "item")) item = !prop(sec, "code").empty();
            if (!(is(sec, "documents") || is(sec, "materials") || is(sec, "attachments") || is(sec, "records"))) continue;
            for (xmlNode* el = sec->children; el; el = el->next) {
                if (el->type != XML_ELEMENT_NODE) continue;
                DocumentInfo info;
                info.sealed = prop(el, "sealed") == "true";
                std::vector<std::string> paths;
                for (xmlNode* f = el->children; f; f = f->next) {
                    if (is(f, "seal")) info.seals.emplace_back(prop(f, "field"), prop(f, "signer"));
                    if (!is(f, "file")) continue;
                    std::string path = prop(f, "path"), why;
                    if (!safe_relative_path(path, &why)) {
                        fail(Property::security, kMetadata, "unsafe_path", "a <file> path " + path + " " + why);
                        continue;
                    }
                    if (m.files.count(path)) fail(Property::integrity, kMetadata, "described_twice", path + " is described twice");
                    m.files[path] = {prop(f, "sha256"), prop(f, "sm3"), prop(f, "size"), prop(f, "format")};
                    paths.push_back(path);
                }
                if (is(sec, "documents")) {
                    if (paths.size() != 1) fail(Property::integrity, kMetadata, "document_without_file", "a <document> does not name exactly one file");
                    for (const auto& p2 : paths) m.documents[p2] = info;
                }
            }
        }
        std::vector<std::string> missing;
        if (m.case_id.empty()) missing.push_back("case-id");
        if (receipt.empty()) missing.push_back("receipt-no");
        if (state.empty()) missing.push_back("state");
        if (!applicant) missing.push_back("applicant");
        if (!item) missing.push_back("item");
        if (!missing.empty()) {
            std::string list;
            for (const auto& s : missing) list += (list.empty() ? "" : ", ") + s;
            fail(Property::integrity, kMetadata, "metadata_incomplete", "the metadata lacks " + list);
        } else {
            pass(Property::integrity, kMetadata, "metadata_complete", "case, item, applicant and files described");
        }
        return m;
    }

    // ---- the manifests ----
    std::optional<Manifest> read_manifest(const char* name) {
        const fs::path p = dir / name;
        if (!fs::exists(p)) return std::nullopt;  // named as missing below
        Manifest man = parse_manifest(read_file(p));
        for (const auto& problem : man.problems) fail(Property::integrity, name, "manifest_malformed", problem);
        if (man.problems.empty()) pass(Property::usability, name, "manifest_parses", "every line is \"HEX  PATH\"");
        return man;
    }

    // ---- the files by format ----
    void check_pdf(const std::string& rel, const Metadata& meta) {
        const fs::path p = dir / rel;
        QPDF q;
        q.setSuppressWarnings(true);
        q.setAttemptRecovery(false);
        try {
            q.processFile(p.string().c_str());
            if (q.isEncrypted()) {
                fail(Property::security, rel, "pdf_encrypted", "the PDF is encrypted");
                return;
            }
            auto pages = q.getAllPages();
            if (pages.empty()) {
                fail(Property::usability, rel, "pdf_no_pages", "the PDF has no page");
                return;
            }
            // Decode every stream: damaged compressed data shows here.
            std::set<std::string> found;
            for (auto& o : q.getAllObjects()) {
                QPDFObjectHandle d = o.isStream() ? o.getDict() : o;
                if (o.isStream()) {
                    try {
                        o.getStreamData(qpdf_dl_generalized);
                    } catch (const std::exception& e) {
                        fail(Property::usability, rel, "pdf_stream_damaged", std::string("a stream does not decode: ") + e.what());
                        return;
                    }
                }
                if (!d.isDictionary()) continue;
                for (const char* key : {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA", "/Launch"})
                    if (d.hasKey(key)) found.insert(key);
                for (const char* key : {"/S", "/Type", "/Subtype"}) {
                    auto v = d.getKey(key);
                    if (!v.isName()) continue;
                    std::string n = v.getName();
                    if (n == "/JavaScript" || n == "/Launch" || n == "/URI" || n == "/GoToR" || n == "/GoToE" || n == "/SubmitForm" ||
                        n == "/ImportData" || n == "/EmbeddedFile" || n == "/Rendition" || n == "/Movie" || n == "/Sound" || n == "/RichMedia")
                        found.insert(n);
                }
            }
            if (q.anyWarnings()) {
                fail(Property::usability, rel, "pdf_damaged", "the PDF reads only with repairs (qpdf warnings)");
                return;
            }
            pass(Property::usability, rel, "pdf_parses", "the PDF parses (" + std::to_string(pages.size()) + " pages, every stream decodes)");
            if (found.empty()) {
                pass(Property::security, rel, "pdf_no_active_content", "no encryption, JavaScript, actions, external references or embedded files");
            } else {
                std::string list;
                for (const auto& f : found) list += (list.empty() ? "" : " ") + f;
                fail(Property::security, rel, "pdf_active_content", "the PDF has active or external content: " + list);
            }
        } catch (const QPDFExc& e) {
            if (e.getErrorCode() == qpdf_e_password) fail(Property::security, rel, "pdf_encrypted", "the PDF is encrypted with a password");
            else fail(Property::usability, rel, "pdf_unreadable", std::string("the PDF does not parse: ") + e.getMessageDetail());
            return;
        } catch (const std::exception& e) {
            fail(Property::usability, rel, "pdf_unreadable", std::string("the PDF does not parse: ") + e.what());
            return;
        }

        // Seals: every signature must verify; a document the metadata calls sealed must carry its seals.
        auto doc = meta.documents.find(rel);
        try {
            seal::VerifyOptions vo;
            vo.roots = options.roots;
            auto r = seal::verify(p, vo);
            bool any_bad = false;
            for (const auto& s : r.signatures) {
                if (s.valid()) continue;
                any_bad = true;
                std::string why;
                for (const auto& pr : s.problems) why += (why.empty() ? "" : "; ") + pr;
                for (const auto& ch : s.changes) why += (why.empty() ? "" : "; ") + ch;
                fail(Property::authenticity, rel, "seal_invalid", "the seal " + s.field_name + " (" + s.signer + ") does not verify: " + why);
            }
            if (doc != meta.documents.end()) {
                if (doc->second.sealed && r.signatures.empty()) {
                    fail(Property::authenticity, rel, "seal_missing", "the metadata says sealed, the PDF has no seal");
                    any_bad = true;
                }
                for (const auto& [field, signer] : doc->second.seals) {
                    auto it = std::find_if(r.signatures.begin(), r.signatures.end(), [&](const seal::SignatureReport& s) { return s.field_name == field; });
                    if (it == r.signatures.end() || it->signer != signer) {
                        fail(Property::authenticity, rel, "seal_not_as_described",
                             "the metadata's seal " + field + " by " + signer + " is not in the PDF as described");
                        any_bad = true;
                    }
                }
            }
            if (!any_bad && !r.signatures.empty())
                pass(Property::authenticity, rel, "seal_valid", std::to_string(r.signatures.size()) + " seal(s) verify");
        } catch (const core::Error& e) {
            fail(Property::authenticity, rel, "seal_unreadable", std::string("the seals cannot be checked: ") + e.what());
        }
    }

    void check_json(const std::string& rel, const Metadata& meta) {
        json j;
        try {
            j = json::parse(read_file(dir / rel));
        } catch (const std::exception& e) {
            fail(Property::usability, rel, "json_unreadable", std::string("the JSON does not parse: ") + e.what());
            return;
        }
        pass(Property::usability, rel, "json_parses", "the JSON parses");
        if (rel == "records/case.json") {
            std::string id = j.is_object() && j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : "";
            if (meta.read && id != meta.case_id) fail(Property::authenticity, rel, "case_mismatch", "the case's id " + id + " is not the metadata's " + meta.case_id);
            else if (meta.read) pass(Property::authenticity, rel, "case_matches", "the case is the metadata's");
        }
        if (rel == "records/audit.json") check_audit(rel, j, meta);
    }

    /// Each audit entry hashes to its recorded hash over its recorded predecessor; consecutive
    /// entries link; every entry is about this case.
    void check_audit(const std::string& rel, const json& j, const Metadata& meta) {
        if (!j.is_object() || !j.contains("entries") || !j["entries"].is_array()) {
            fail(Property::usability, rel, "audit_shape", "no \"entries\" array");
            return;
        }
        int bad = 0;
        std::int64_t prev_seq = 0;
        std::string prev_hash;
        for (const auto& e : j["entries"]) {
            try {
                store::AuditEntry a;
                a.seq = e.at("seq").get<std::int64_t>();
                a.at = e.at("at").get<std::string>();
                a.user_id = e.at("user_id").get<std::string>();
                std::string post = e.at("post").get<std::string>();
                a.post = post == "A" ? core::Post::A : post == "B" ? core::Post::B : core::Post::none;
                a.acting_for = e.at("acting_for").get<std::string>();
                a.action = e.at("action").get<std::string>();
                a.case_id = e.at("case_id").get<std::string>();
                a.detail = e.at("detail").get<std::string>();
                std::string ph = e.at("prev_hash").get<std::string>(), h = e.at("hash").get<std::string>();
                std::string where = "audit entry " + std::to_string(a.seq);
                if (store::AuditLog::entry_hash(ph, a) != h) {
                    fail(Property::authenticity, rel, "audit_entry_altered", where + " does not hash to its recorded hash");
                    ++bad;
                } else if (a.seq == prev_seq + 1 && !prev_hash.empty() && ph != prev_hash) {
                    fail(Property::authenticity, rel, "audit_chain_broken", where + " does not follow entry " + std::to_string(prev_seq));
                    ++bad;
                } else if (a.seq <= prev_seq) {
                    fail(Property::authenticity, rel, "audit_order", where + " is out of order");
                    ++bad;
                }
                if (meta.read && a.case_id != meta.case_id) {
                    fail(Property::authenticity, rel, "audit_other_case", where + " is about another case");
                    ++bad;
                }
                prev_seq = a.seq;
                prev_hash = h;
            } catch (const std::exception& ex) {
                fail(Property::usability, rel, "audit_shape", std::string("an entry lacks a field: ") + ex.what());
                ++bad;
            }
        }
        if (!bad) pass(Property::authenticity, rel, "audit_hashes", std::to_string(j["entries"].size()) + " audit entries hash and link as recorded");
    }

    void check_png(const std::string& rel) {
        cairo_surface_t* s = cairo_image_surface_create_from_png((dir / rel).c_str());
        cairo_status_t st = cairo_surface_status(s);
        int w = st == CAIRO_STATUS_SUCCESS ? cairo_image_surface_get_width(s) : 0;
        cairo_surface_destroy(s);
        if (st != CAIRO_STATUS_SUCCESS || w <= 0)
            fail(Property::usability, rel, "image_unreadable", std::string("the PNG does not decode: ") + cairo_status_to_string(st));
        else
            pass(Property::usability, rel, "image_decodes", "the PNG decodes");
    }

    /// JPEG: the segments from SOI to the start of scan are well formed and the file ends with EOI.
    void check_jpeg(const std::string& rel) {
        std::string b = read_file(dir / rel);
        auto u = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
        bool ok = b.size() > 4 && u(0) == 0xFF && u(1) == 0xD8 && u(b.size() - 2) == 0xFF && u(b.size() - 1) == 0xD9;
        std::size_t i = 2;
        while (ok) {
            if (i + 4 > b.size() || u(i) != 0xFF) {
                ok = false;
                break;
            }
            unsigned marker = u(i + 1);
            if (marker == 0xDA) break;  // start of scan: entropy-coded data follows
            std::size_t len = (std::size_t(u(i + 2)) << 8) | u(i + 3);
            if (len < 2) ok = false;
            i += 2 + len;
        }
        if (ok) pass(Property::usability, rel, "image_structure", "the JPEG's segments are well formed (not decoded)");
        else fail(Property::usability, rel, "image_unreadable", "the JPEG's segments are not well formed");
    }

    void check_tiff(const std::string& rel) {
        std::string b = read_file(dir / rel);
        bool ok = b.size() > 8 && (b.compare(0, 4, std::string("II*\0", 4)) == 0 || b.compare(0, 4, std::string("MM\0*", 4)) == 0);
        if (ok) pass(Property::usability, rel, "image_sniffed", "a TIFF header (not decoded)");
        else fail(Property::usability, rel, "image_unreadable", "not a TIFF file");
    }

    void check_format(const std::string& rel, const Metadata& meta) {
        std::string ext = lower_ext(rel);
        if (ext == ".pdf") check_pdf(rel, meta);
        else if (ext == ".json") check_json(rel, meta);
        else if (ext == ".png") check_png(rel);
        else if (ext == ".jpg" || ext == ".jpeg") check_jpeg(rel);
        else if (ext == ".tif" || ext == ".tiff") check_tiff(rel);
        else if (rel == kMetadata || rel == kManifestSha256 || rel == kManifestSm3) {
        }  // checked above
        else fail(Property::usability, rel, "unknown_format", "not a format a package holds (PDF, PNG, JPEG, TIFF, JSON, XML)");
    }

    void run() {
        std::vector<std::pair<std::string, std::string>> odd;
        auto files = list_files(dir, &odd);
        report.files = int(files.size());
        for (const auto& [rel, what] : odd) {
            if (what.find("symbolic link") != std::string::npos) fail(Property::security, rel, "symbolic_link", "the package holds a symbolic link");
            else fail(Property::integrity, rel, "unlisted", "the package holds something not listed: " + rel + " " + what);
        }
        std::set<std::string> present(files.begin(), files.end());
        for (const auto& rel : files) {
            std::string why;
            if (!safe_relative_path(rel, &why)) fail(Property::security, rel, "unsafe_path", "the file name " + why);
        }

        Metadata meta = read_metadata();
        auto sha = read_manifest(kManifestSha256);
        auto sm3 = read_manifest(kManifestSm3);
        for (const char* must : {kMetadata, kManifestSha256, kManifestSm3})
            if (!present.count(must)) fail(Property::integrity, must, "missing", std::string(must) + " is missing");

        // Every file against the three records of it: an agreeing record proves the file intact
        // (its digest matches) and puts the fault on the records that disagree; no agreeing
        // record puts it on the file.
        std::set<std::string> all;
        for (const auto& f : files)
            if (f != kManifestSha256 && f != kManifestSm3) all.insert(f);
        if (sha) for (const auto& [p, h] : sha->entries) all.insert(p);
        if (sm3) for (const auto& [p, h] : sm3->entries) all.insert(p);
        for (const auto& [p, d] : meta.files) all.insert(p);
        for (const auto& rel : all) {
            const bool expect_meta = meta.read && rel != kMetadata;
            struct Source {
                std::string name;
                bool lists = false;
                bool agrees = false;
            };
            std::vector<Source> sources;
            Digests d;
            const bool exists = present.count(rel) != 0;
            if (exists) d = digest_file(dir / rel);
            if (sha) {
                auto it = sha->entries.find(rel);
                sources.push_back({kManifestSha256, it != sha->entries.end(), it != sha->entries.end() && exists && it->second == d.sha256});
            }
            if (sm3) {
                auto it = sm3->entries.find(rel);
                sources.push_back({kManifestSm3, it != sm3->entries.end(), it != sm3->entries.end() && exists && it->second == d.sm3});
            }
            if (expect_meta || (meta.read && meta.files.count(rel))) {
                auto it = meta.files.find(rel);
                bool lists = it != meta.files.end();
                sources.push_back({kMetadata, lists,
                                   lists && exists && it->second.sha256 == d.sha256 && it->second.sm3 == d.sm3 &&
                                       it->second.size == std::to_string(d.size)});
            }
            int listing = 0, agreeing = 0;
            for (const auto& s : sources) {
                listing += s.lists;
                agreeing += s.agrees;
            }
            if (!exists) {
                if (listing >= 2) {
                    fail(Property::integrity, rel, "missing", "listed but not in the package");
                } else {
                    for (const auto& s : sources)
                        if (s.lists) fail(Property::integrity, s.name, "lists_absent_file", "lists " + rel + ", which is in no other record and not in the package");
                }
                continue;
            }
            if (listing == 0) {
                fail(Property::integrity, rel, "unlisted", "in the package but in no manifest and not in the metadata");
                continue;
            }
            if (agreeing == 0) {
                std::string which;
                for (const auto& s : sources)
                    if (s.lists) which += (which.empty() ? "" : ", ") + s.name;
                fail(Property::integrity, rel, "hash_mismatch", "the file does not match its digests in " + which + " (changed or damaged)");
                if (rel != kMetadata && meta.read && meta.files.count(rel))
                    fail(Property::authenticity, rel, "metadata_checksum", "the file is not the one the metadata describes");
            } else {
                pass(Property::integrity, rel, "hash_ok", "SHA-256 and SM3 as recorded");
                for (const auto& s : sources) {
                    if (!s.lists) fail(Property::integrity, s.name, "does_not_list", "does not list " + rel + " (which the other records confirm)");
                    else if (!s.agrees)
                        fail(Property::integrity, s.name, "entry_mismatch", "its entry for " + rel + " does not match the file (which the other records confirm)");
                }
                if (rel != kMetadata && meta.read && meta.files.count(rel))
                    pass(Property::authenticity, rel, "metadata_checksum", "the file is the one the metadata describes");
            }
        }

        for (const auto& rel : files) check_format(rel, meta);
        if (report.checks.empty()) fail(Property::integrity, "", "empty", "the package is empty");
    }
};

bool looks_like_zip(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    char head[4] = {};
    in.read(head, 4);
    return in.gcount() == 4 && std::string(head, 4) == std::string("PK\x03\x04", 4);
}

}  // namespace

VerifyReport verify(const fs::path& package, const VerifyOptions& options) {
    std::error_code ec;
    auto st = fs::symlink_status(package, ec);
    if (ec || !fs::exists(st)) throw core::Error("archive.not_found", "no package at " + package.string());
    VerifyReport report;
    report.path = package;
    if (fs::is_directory(st)) {
        Checker{package, options, report}.run();
        return report;
    }
    report.zip = true;
    if (!fs::is_regular_file(st) || !looks_like_zip(package)) {
        report.checks.push_back({Property::usability, "", false, "not_a_package", "not a folder and not a zip file"});
        return report;
    }
    // Extracted (safely) into a private temporary folder, then checked as a folder.
    std::string t = (fs::temp_directory_path() / "ow-archive-verify-XXXXXX").string();
    if (!::mkdtemp(t.data())) throw core::Error("io.write", "cannot make a temporary folder to extract " + package.string());
    struct Cleanup {
        fs::path p;
        ~Cleanup() {
            std::error_code e;
            fs::remove_all(p, e);
        }
    } cleanup{t};
    int entries = 0;
    report.checks = unzip_to(package, t, &entries);
    for (const auto& c : report.checks)
        if (c.code == "zip_unreadable") return report;
    Checker{t, options, report}.run();
    return report;
}

}  // namespace ow::archive
