// export_case: the package of one case, built in a temporary sibling, verified, then renamed.
#include "ow/archive/archive.h"
#include "package.h"

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/core/date.h"
#include "ow/core/validators.h"
#include "ow/notices/template.h"
#include "ow/seal/seal.h"
#include "ow/store/audit.h"
#include "ow/store/blobs.h"
#include "ow/store/cases.h"
#include "ow/store/documents.h"
#include "ow/store/store.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>

namespace ow::archive {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace detail;

bool exportable(core::CaseState s) {
    using core::CaseState;
    return s == CaseState::refused || s == CaseState::result_issued || s == CaseState::rated || s == CaseState::archived;
}

namespace {

bool ends_with_zip(const fs::path& p) {
    std::string s = p.filename().string();
    if (s.size() < 4) return false;
    std::string tail = s.substr(s.size() - 4);
    for (auto& ch : tail) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return tail == ".zip";
}

/// A file-name part from a code: letters, digits, '.', '_' and '-' kept, anything else '_'.
std::string name_part(const std::string& code) {
    std::string s;
    for (unsigned char ch : code) s.push_back(std::isalnum(ch) || ch == '.' || ch == '_' || ch == '-' ? char(ch) : '_');
    while (!s.empty() && s.front() == '.') s.erase(s.begin());
    return s.empty() ? "file" : s;
}

std::string two_digits(int n) {
    char b[16];
    std::snprintf(b, sizeof b, "%02d", n);
    return b;
}

std::string extension_of(const std::string& media_type) {
    if (media_type == "application/pdf") return ".pdf";
    if (media_type == "image/png") return ".png";
    if (media_type == "image/jpeg") return ".jpg";
    if (media_type == "image/tiff") return ".tif";
    return ".bin";
}

/// Refuses a taken output path: an empty folder (folder output) or empty file (zip) may be replaced.
void check_output(const fs::path& out, bool zip) {
    std::error_code ec;
    auto st = fs::symlink_status(out, ec);
    if (ec || !fs::exists(st)) {
        fs::path parent = out.parent_path().empty() ? fs::path(".") : out.parent_path();
        if (!fs::is_directory(parent, ec))
            throw core::Error("io.write", "the folder " + parent.string() + " does not exist (for " + out.string() + ")");
        return;
    }
    if (fs::is_symlink(st)) throw ArchiveRefused("archive.output_exists", out.string() + " exists (a symbolic link); give a new path");
    if (!zip && fs::is_directory(st) && fs::is_empty(out, ec)) return;
    if (zip && fs::is_regular_file(st) && fs::file_size(out, ec) == 0) return;
    throw ArchiveRefused("archive.output_exists", out.string() + " exists and is not empty; give a new path (nothing was written)");
}

/// Removes a temporary folder or file on scope exit unless released.
struct TempGuard {
    fs::path path;
    ~TempGuard() {
        if (path.empty()) return;
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

struct FileEntry {
    std::string path;
    std::string format;          // media type
    std::string format_version;  // "PDF 1.7" …
    Digests digests;
};

std::string attr(const char* name, const std::string& value) { return std::string(" ") + name + "=\"" + xml_escape(value) + "\""; }

std::string file_element(const FileEntry& f, const std::string& indent) {
    return indent + "<file" + attr("path", f.path) + attr("format", f.format) +
           (f.format_version.empty() ? "" : attr("format-version", f.format_version)) + attr("size", std::to_string(f.digests.size)) +
           attr("sha256", f.digests.sha256) + attr("sm3", f.digests.sm3) + "/>\n";
}

std::string element(const std::string& indent, const char* name, const std::string& text) {
    if (text.empty()) return {};
    return indent + "<" + name + ">" + xml_escape(text) + "</" + name + ">\n";
}

std::string pdf_version(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    char head[16] = {};
    in.read(head, 15);
    std::string s(head);
    if (s.rfind("%PDF-", 0) == 0 && s.size() >= 8) return "PDF " + s.substr(5, 3);
    return {};
}

/// One consistent view of the case for the whole export: a savepoint, which outside a transaction
/// begins a deferred one (in WAL mode its read snapshot holds until the release, and writers — the
/// sync thread — are not blocked), and inside the caller's transaction is just nested in it.
class ReadSnapshot {
public:
    explicit ReadSnapshot(store::Db& db) : db_(db) { db_.exec("SAVEPOINT ow_archive_read"); }
    ~ReadSnapshot() { end(); }
    void end() {
        if (done_) return;
        done_ = true;
        try {
            db_.exec("RELEASE ow_archive_read");  // nothing was written in it
        } catch (...) {
        }
    }

private:
    store::Db& db_;
    bool done_ = false;
};

std::string instant(const std::optional<core::Instant>& t) { return t ? core::format_instant(*t) : std::string(); }

}  // namespace

ExportResult export_case(store::Store& store, const core::Uuid& id, const fs::path& out, const ExportOptions& options) {
    const bool zip = ends_with_zip(out);
    ReadSnapshot snapshot(store.db());
    core::WorkCalendar calendar;  // loading a case needs no calendar
    store::CaseStore cases(store.db(), calendar);
    auto loaded = cases.load(id);
    if (!loaded) throw ArchiveRefused("archive.unknown_case", "no case " + id.to_string() + " in this store");
    const core::Case& c = *loaded;
    if (!exportable(c.state))
        throw ArchiveRefused("archive.not_concluded", "case " + id.to_string() + " is " + std::string(core::to_code(c.state)) +
                                                          ": only a concluded case (refused, result issued, rated or archived) is archived");
    if (store.read_only()) throw ArchiveRefused("archive.read_only", "an export is audited: open the store for writing");
    check_output(out, zip);

    ExportResult result;
    result.zip = zip;
    result.path = out;
    TempGuard dir_guard{make_temp_sibling_dir(out)};
    const fs::path dir = dir_guard.path;
    for (const char* sub : {"documents", "materials", "attachments", "records"}) {
        fs::create_directory(dir / sub);
        fs::permissions(dir / sub, fs::perms::owner_all, fs::perm_options::replace);
    }

    store::BlobStore blobs(store.db(), store.dir(), store.key());
    auto put_blob = [&](const std::string& sha256, const std::string& rel) {
        create_private_file(dir / rel);
        {
            std::ofstream f(dir / rel, std::ios::binary | std::ios::trunc);
            blobs.get(sha256, f);
            f.flush();
            if (!f) throw core::Error("io.write", "cannot write " + (dir / rel).string());
        }
        sync_path(dir / rel);
        Digests d = digest_file(dir / rel);
        if (d.sha256 != sha256) throw store::CorruptStore("the blob " + sha256 + " does not match its digest");
        return d;
    };

    // ---- documents (notices, decisions), with their seals as they verify now ----
    std::string documents_xml;
    int n = 0;
    for (const auto& d : store::CaseDocuments(store.db()).list(id.to_string())) {
        FileEntry f;
        f.path = "documents/" + two_digits(++n) + "-" + name_part(d.kind) + ".pdf";
        f.format = "application/pdf";
        f.digests = put_blob(d.sha256, f.path);
        f.format_version = pdf_version(dir / f.path);
        std::string title;
        if (options.templates)
            if (const auto* t = options.templates->find(d.kind)) title = t->title;
        documents_xml += "    <document" + attr("seq", std::to_string(d.seq)) + attr("kind", d.kind) +
                         (title.empty() ? "" : attr("title", title)) + attr("created", d.created_at) +
                         attr("sealed", d.sealed ? "true" : "false") + attr("timestamped", d.timestamped ? "true" : "false") + ">\n";
        documents_xml += file_element(f, "      ");
        try {
            auto report = seal::verify(dir / f.path);
            for (const auto& s : report.signatures)
                documents_xml += "      <seal" + attr("field", s.field_name) + attr("signer", s.signer) + attr("signer-subject", s.signer_subject) +
                                 attr("signing-time", s.signing_time) + attr("sub-filter", s.sub_filter) +
                                 attr("document-timestamp", s.doc_timestamp ? "true" : "false") +
                                 (s.timestamp_time.empty() ? "" : attr("timestamp-time", s.timestamp_time)) +
                                 attr("valid-at-export", s.valid() ? "true" : "false") + "/>\n";
        } catch (const core::Error&) {
            // An unreadable PDF: the check below (verify) names it and the export is refused.
        }
        documents_xml += "    </document>\n";
        ++result.documents;
    }

    // ---- scanned materials and other attachments ----
    std::map<std::string, std::vector<FileEntry>> scans_by_code;
    std::string attachments_xml;
    int m = 0, a = 0;
    for (const auto& link : cases.attachments(id)) {
        if (link.role == "document") continue;  // the documents above (older versions superseded by a timestamp are left out)
        auto info = blobs.info(link.sha256);
        FileEntry f;
        f.format = info.media_type;
        if (link.role == "material") {
            f.path = "materials/" + two_digits(++m) + "-" + name_part(link.material_code) + extension_of(info.media_type);
            f.digests = put_blob(link.sha256, f.path);
            if (f.format == "application/pdf") f.format_version = pdf_version(dir / f.path);
            scans_by_code[link.material_code].push_back(f);
            ++result.materials;
        } else {
            f.path = "attachments/" + two_digits(++a) + "-" + name_part(link.role) + extension_of(info.media_type);
            f.digests = put_blob(link.sha256, f.path);
            attachments_xml += "    <attachment" + attr("role", link.role) +
                               (link.material_code.empty() ? "" : attr("code", link.material_code)) + ">\n" + file_element(f, "      ") +
                               "    </attachment>\n";
            ++result.attachments;
        }
    }
    std::string materials_xml;
    for (const auto& e : c.checklist.entries) {
        materials_xml += "    <material" + attr("code", e.material_code) + attr("name", e.name) +
                         attr("necessity", std::string(core::to_code(e.necessity))) + attr("status", std::string(core::to_code(e.status))) +
                         attr("status-zh", std::string(core::zh_name(e.status))) + attr("originals", std::to_string(e.originals)) +
                         attr("copies", std::to_string(e.copies)) + (e.note.empty() ? "" : attr("note", e.note)) + ">\n";
        for (const auto& f : scans_by_code[e.material_code]) materials_xml += file_element(f, "      ");
        scans_by_code.erase(e.material_code);
        materials_xml += "    </material>\n";
    }
    for (const auto& [code, files] : scans_by_code) {  // a scan of a material no longer on the checklist
        materials_xml += "    <material" + attr("code", code) + attr("status", "not_on_checklist") + ">\n";
        for (const auto& f : files) materials_xml += file_element(f, "      ");
        materials_xml += "    </material>\n";
    }

    // ---- records: the case, the form, the history, this case's audit entries ----
    store::AuditLog audit(store.db());
    auto chain = audit.verify();
    result.audit_chain_intact = chain.intact;
    json history = json::array();
    for (const auto& h : c.history) history.push_back(core::to_json(h));
    json entries = json::array();
    for (const auto& e : audit.for_case_chained(id.to_string(), 1000000)) {
        entries.push_back({{"seq", e.entry.seq}, {"at", e.entry.at}, {"user_id", e.entry.user_id}, {"post", core::to_code(e.entry.post)},
                           {"acting_for", e.entry.acting_for}, {"action", e.entry.action}, {"case_id", e.entry.case_id},
                           {"detail", e.entry.detail}, {"prev_hash", e.prev_hash}, {"hash", e.hash}});
    }
    json audit_json = {{"case_id", id.to_string()},
                       {"note", "hash = SHA-256(prev_hash + \"\\n\" + JSON array [seq, at, user_id, post, acting_for, action, case_id, detail])"},
                       {"store_chain", {{"intact", chain.intact}, {"entries", chain.entries}}},
                       {"entries", entries}};
    if (!chain.intact) {
        audit_json["store_chain"]["reason"] = chain.reason;
        if (chain.first_bad) audit_json["store_chain"]["first_bad"] = *chain.first_bad;
    }
    const std::pair<const char*, json> records[] = {
        {"case", core::to_json(c)},
        {"form", json{{"form_version", c.form_version}, {"answers", c.answers}}},
        {"history", history},
        {"audit", audit_json},
    };
    std::string records_xml;
    for (const auto& [kind, value] : records) {
        FileEntry f;
        f.path = std::string("records/") + kind + ".json";
        f.format = "application/json";
        std::string text = value.dump(2) + "\n";
        write_private_file(dir / f.path, text);
        f.digests = digest_bytes(text);
        records_xml += std::string("    <record") + attr("kind", kind) + ">\n" + file_element(f, "      ") + "    </record>\n";
        ++result.records;
    }

    // ---- metadata.xml ----
    const core::ServiceItem* item = options.catalogue ? options.catalogue->item(c.item_code) : nullptr;
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x += std::string("<archive-package xmlns=\"") + kNamespace + "\" format-version=\"1\" standard=\"GB/T 42727-2023\">\n";
    x += "  <package>\n";
    x += element("    ", "id", id.to_string());
    x += element("    ", "created", core::format_instant(core::now()));
    x += element("    ", "created-by", store.user().display_name.empty() ? store.user().name : store.user().display_name);
    x += element("    ", "producer", options.producer);
    x += element("    ", "checksum-algorithms", "SHA-256 SM3");
    x += "  </package>\n";
    x += "  <case>\n";
    x += element("    ", "case-id", id.to_string());
    x += element("    ", "receipt-no", c.receipt_no);
    x += element("    ", "platform-case-no", c.platform_case_no);
    x += element("    ", "state", std::string(core::to_code(c.state)));
    x += element("    ", "state-zh", std::string(core::zh_name(c.state)));
    x += element("    ", "kind", std::string(core::to_code(c.kind)));
    x += element("    ", "legal-limit-days", std::to_string(c.legal_limit_days));
    x += element("    ", "promised-limit-days", std::to_string(c.promised_limit_days));
    x += element("    ", "created", c.history.empty() ? std::string() : core::format_instant(c.history.front().at));
    x += element("    ", "received", instant(c.received_at));
    x += element("    ", "accepted", instant(c.accepted_at));
    x += element("    ", "due-date", c.due_date ? core::format_date(*c.due_date) : std::string());
    if (c.decision) {
        x += "    <decision" + attr("result", c.decision->approved ? "approved" : "denied") + attr("at", core::format_instant(c.decision->at)) +
             attr("by", c.decision->by.user_id) + attr("post", std::string(core::to_code(c.decision->by.post))) +
             (c.decision->by.acting_for.empty() ? "" : attr("acting-for", c.decision->by.acting_for)) + ">\n";
        x += element("      ", "opinion", c.decision->opinion);
        x += element("      ", "legal-basis", c.decision->legal_basis);
        x += "    </decision>\n";
    }
    for (const auto& cs : c.countersigns)
        x += "    <countersign" + attr("item", cs.item) + attr("result", cs.approved ? "approved" : "denied") +
             attr("at", core::format_instant(cs.at)) + attr("by", cs.by.user_id) + "/>\n";
    if (c.state == core::CaseState::refused || !c.refusal_reason.empty()) {
        x += "    <refusal>\n" + element("      ", "reason", c.refusal_reason) + element("      ", "legal-basis", c.refusal_basis) + "    </refusal>\n";
    }
    if (c.handover)
        x += "    <handover" + attr("mode", c.handover->mode == core::ResultHandover::Mode::mail ? "mail" : "pickup") +
             attr("at", core::format_instant(c.handover->at)) + attr("recipient", c.handover->recipient) +
             (c.handover->carrier.empty() ? "" : attr("carrier", c.handover->carrier)) +
             (c.handover->tracking_no.empty() ? "" : attr("tracking-no", c.handover->tracking_no)) + "/>\n";
    if (c.rating)
        x += "    <rating" + attr("level", std::to_string(int(c.rating->level))) + attr("level-zh", std::string(core::zh_name(c.rating->level))) +
             attr("channel", c.rating->channel) + attr("at", core::format_instant(c.rating->at)) +
             (c.rating->reason.empty() ? "" : attr("reason", c.rating->reason)) + "/>\n";
    x += "  </case>\n";
    x += "  <item" + attr("code", c.item_code) + attr("name", c.item_name) + (c.bundle_code.empty() ? "" : attr("bundle", c.bundle_code));
    if (item) x += attr("basic-code", item->basic_code) + attr("item-type", two_digits(item->item_type)) + attr("level", std::to_string(item->level));
    x += "/>\n";
    x += "  <authority" + attr("name", item ? item->department : std::string()) + attr("uscc", item ? item->department_uscc : std::string()) + "/>\n";
    {
        const auto& ap = c.applicant;
        x += "  <applicant" + attr("kind", ap.kind == core::ApplicantKind::person ? "person" : "organisation") + attr("name", ap.name) +
             attr("doc-type", std::to_string(core::document_type_info(ap.doc_type).code)) + attr("doc-number", ap.doc_number) +
             (ap.phone.empty() ? "" : attr("phone", ap.phone)) + (ap.address.empty() ? "" : attr("address", ap.address)) +
             (ap.legal_representative.empty() ? "" : attr("legal-representative", ap.legal_representative)) +
             (ap.agent_name.empty() ? "" : attr("agent", ap.agent_name)) + "/>\n";
    }
    x += "  <documents>\n" + documents_xml + "  </documents>\n";
    x += "  <materials>\n" + materials_xml + "  </materials>\n";
    x += "  <attachments>\n" + attachments_xml + "  </attachments>\n";
    x += "  <records>\n" + records_xml + "  </records>\n";
    x += "</archive-package>\n";
    write_private_file(dir / kMetadata, x);

    // ---- manifests: every file but themselves ----
    std::map<std::string, std::string> sha, sm3;
    for (const auto& rel : list_files(dir)) {
        Digests d = digest_file(dir / rel);
        sha[rel] = d.sha256;
        sm3[rel] = d.sm3;
    }
    write_private_file(dir / kManifestSha256, format_manifest(sha));
    write_private_file(dir / kManifestSm3, format_manifest(sm3));
    for (const char* sub : {"documents", "materials", "attachments", "records"}) {
        std::error_code ec;
        if (fs::is_empty(dir / sub, ec)) fs::remove(dir / sub, ec);  // no empty folders in a package
        else sync_path(dir / sub);
    }
    sync_path(dir);

    auto files = list_files(dir);
    result.files = int(files.size());
    for (const auto& rel : files) result.bytes += fs::file_size(dir / rel);

    // ---- checked, then put in place ----
    auto refuse_unsound = [&](const VerifyReport& r) {
        std::string why;
        for (const auto& f : r.failures()) why += "\n  " + std::string(to_code(f.property)) + " " + f.file + ": " + f.message;
        throw ArchiveRefused("archive.unsound", "the package of case " + id.to_string() + " would not verify; nothing written:" + why);
    };
    std::error_code ec;
    if (zip) {
        TempGuard zip_guard{make_temp_sibling_file(out)};
        zip_folder(dir, files, zip_guard.path);
        auto report = verify(zip_guard.path);
        if (!report.sound()) refuse_unsound(report);
        result.bytes = fs::file_size(zip_guard.path);
        fs::rename(zip_guard.path, out);  // replaces an empty file
        zip_guard.path.clear();
    } else {
        auto report = verify(dir);
        if (!report.sound()) refuse_unsound(report);
        if (fs::is_directory(out, ec)) fs::remove(out, ec);  // an empty folder (checked above)
        fs::rename(dir, out);
        dir_guard.path.clear();
    }
    sync_path(out.parent_path().empty() ? fs::path(".") : out.parent_path());

    snapshot.end();
    core::Instant at = core::now();
    json detail = {{"path", fs::absolute(out).lexically_normal().string()}, {"format", zip ? "zip" : "folder"}, {"files", result.files},
                   {"documents", result.documents}, {"materials", result.materials}, {"metadata_sha256", sha[kMetadata]}};
    store::Transaction tx(store.db());
    audit.append(store.actor(), at, "archive.exported", id.to_string(), detail.dump());
    tx.commit();
    return result;
}

}  // namespace ow::archive
