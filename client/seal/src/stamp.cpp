// Stamping: one append-only incremental update per seal (see seal.h and docs/seals.md).
#include "artwork.h"
#include "crypto.h"
#include "output_file.h"
#include "pdf_util.h"
#include "ses.h"

#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>

namespace ow::seal {

namespace {

/// The artwork's PNG bytes from a file (a seal image is small; a huge file is refused, not read).
std::string read_png_file(const std::filesystem::path& file) {
    constexpr std::uintmax_t kMaxPng = std::uintmax_t(16) << 20;
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) throw SealInputError("seal.image", "cannot read the seal image: " + file.string());
    if (size > kMaxPng) throw SealInputError("seal.image", "the seal image is larger than 16 MiB: " + file.string());
    return pdf::read_file(file);
}

std::string hex_of(const der::Bytes& b, std::size_t width) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(width);
    for (auto c : b) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    out.resize(width, '0');
    return out;
}

constexpr int kByteRangeWidth = 10;

/// What goes into one signature revision.
struct Job {
    const StampOptions* options = nullptr;
    bool doc_timestamp = false;  // ETSI.RFC3161 document timestamp: invisible, no /M, /Name
    std::string signer_name;
    const EVP_MD* md = EVP_sha256();            // digest of the signed bytes
    std::string filter = "/Adobe.PPKLite", sub_filter = "/ETSI.CAdES.detached";
    std::optional<std::string> picture;         // PNG artwork when no image is given (the SES_Seal's)
    /// The /Contents for the digest of the signed bytes (a CMS SignedData or a timestamp token).
    std::function<der::Bytes(const der::Bytes& digest)> contents;
};

StampResult write_revision(const std::filesystem::path& in, const std::filesystem::path& out, const Job& job) {
    std::error_code ec;
    if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(in, out, ec))
        throw SealInputError("seal.same_file", "the output file must differ from the input file");
    const StampOptions& options = *job.options;
    // The input is read once: qpdf parses these bytes, and the same bytes are hashed and copied.
    const std::string data = pdf::read_file(in);
    pdf::Tail tail = pdf::tail_of(data);
    QPDF q;
    pdf::open_strict_memory(q, in.string(), data, true);

    // Where the seal goes.
    auto pages = QPDFPageDocumentHelper(q).getAllPages();
    int page_no = options.placement.page;
    Rect rect;
    if (job.doc_timestamp) {
        page_no = 1;
        rect = {0, 0, 0, 0};
    } else if (!options.placement.anchor.empty()) {
        const AnchorHit hit = find_anchor(in, options.placement.anchor);
        page_no = hit.page;
        const double size = options.placement.anchor_size > 0 ? options.placement.anchor_size : 120.0;
        rect = {hit.box.x + hit.box.w / 2 - size / 2, hit.box.y + hit.box.h / 2 - size / 2, size, size};
    } else if (options.placement.rect) {
        rect = *options.placement.rect;
    } else {
        throw SealInputError("seal.placement", "a page and rectangle, or an anchor text, is needed");
    }
    if (page_no < 1 || std::size_t(page_no) > pages.size())
        throw SealInputError("seal.page", "page " + std::to_string(page_no) + " does not exist (the PDF has " +
                                              std::to_string(pages.size()) + " pages)");
    if (!job.doc_timestamp && !(rect.w > 0 && rect.h > 0)) 
        throw SealInputError("seal.rect", "the seal rectangle needs a positive width and height");
    if ( !std::isfinite(rect.x) || !std::isfinite(rect.y))
        throw SealInputError("seal.rect", "the seal rectangle needs a positive width and height");
    QPDFObjectHandle page = pages[std::size_t(page_no) - 1].getObjectHandle();
    if (!page.isIndirect()) throw SealInputError("seal.bad_pdf", "the page object is not an indirect object");

    // The artwork, prepared once per PNG (artwork.h): decoding and deflating it is most of a stamp.
    std::shared_ptr<const Artwork> art;
    if (!job.doc_timestamp) {
        if (options.image_png) art = prepared_artwork(*options.image_png, "the seal image", options.appearance_cache);
        else if (options.image) art = prepared_artwork(read_png_file(*options.image), options.image->string(), options.appearance_cache);
        else if (job.picture) art = prepared_artwork(*job.picture, "the SES_Seal picture", options.appearance_cache);
    }

    // Object numbers continue after the previous /Size (and after every object that exists), in
    // 64 bits, and stay within what a PDF may hold: a /Size beyond it is a damaged file, refused.
    QPDFObjectHandle trailer = q.getTrailer();
    std::int64_t next = 0;
    if (QPDFObjectHandle size = trailer.getKey("/Size"); size.isInteger()) {
        next = size.getIntValue();
        if (next < 1)
            throw SealInputError("seal.bad_pdf", "the PDF's trailer /Size " + std::to_string(next) +
                                                     " is not a valid object count; the file is damaged");
    }
    for (const auto& [og, entry] : q.getXRefTable()) next = std::max<std::int64_t>(next, std::int64_t(og.getObj()) + 1);
    constexpr std::int64_t kObjectsWeAdd = 16;  // at most 8 today; room to spare
    if (next > pdf::kMaxObjectNumber - kObjectsWeAdd)
        throw SealInputError("seal.bad_pdf", "the PDF's trailer /Size (or highest object number) " + std::to_string(next) +
                                                 " is beyond the largest object number a PDF may have (" +
                                                 std::to_string(pdf::kMaxObjectNumber) + "); the file is damaged");
    pdf::Revision rev(next);

    // A certified document that allows no changes cannot take another signature; a certification
    // signature must be the first one.
    if (pdf::docmdp_level(q) == 1)
        throw SealRefused("seal.certified_no_changes",
                          "the document is certified with no changes allowed (DocMDP P=1); another seal would invalidate it");
    QPDFAcroFormDocumentHelper afdh(q);
    if (options.certify) {
        if (options.certify < 1 || options.certify > 3)
            throw SealInputError("seal.certify", "a certification seal's DocMDP level is 1, 2 or 3");
        for (auto& f : afdh.getFormFields())
            if (f.getFieldType() == "/Sig" && f.getValue().isDictionary())
                throw SealInputError("seal.certify_not_first", "a certification seal must be the document's first signature");
    }

    // Unique field name.
    std::set<std::string> names;
    for (auto& f : afdh.getFormFields()) names.insert(f.getFullyQualifiedName());
    std::string field_name = options.field_name;
    if (field_name.empty())
        for (int i = 1; field_name.empty() || names.count(field_name); ++i)
            field_name = (job.doc_timestamp ? "DocTimeStamp" : "Seal") + std::to_string(i);
    else if (names.count(field_name))
        throw SealInputError("seal.field_exists", "a form field named '" + field_name + "' already exists");

    const auto now = options.time.value_or(std::chrono::system_clock::now());
    const auto unix_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();

    // Reserve /Contents from a dry run (same key and certificates) plus a margin.
    const der::Bytes dry = job.contents(der::Bytes(std::size_t(EVP_MD_get_size(job.md)), 0));
    const std::size_t reserved = dry.size() + 2048;
    const std::size_t hex_width = reserved * 2;

    const std::int64_t sig_num = rev.reserve();
    const std::int64_t widget_num = rev.reserve();
    const std::int64_t form_num = rev.reserve();
    std::string sig = std::string("<< /Type ") + (job.doc_timestamp ? "/DocTimeStamp" : "/Sig") + " /Filter " +
                      job.filter + " /SubFilter " + (job.doc_timestamp ? "/ETSI.RFC3161" : job.sub_filter) +
                      " /ByteRange [0 " +
                      std::string(kByteRangeWidth * 3 + 2, ' ') + "] /Contents <" + std::string(hex_width, '0') + ">";
    if (!job.doc_timestamp) {
        sig += " /M " + pdf::text_string(pdf::pdf_date(unix_s)) + " /Name " + pdf::text_string(job.signer_name);
        if (!options.reason.empty()) sig += " /Reason " + pdf::text_string(options.reason);
        if (!options.location.empty()) sig += " /Location " + pdf::text_string(options.location);
    }
    if (options.certify)
        sig += " /Reference [ << /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P " +
               std::to_string(options.certify) + " /V /1.2 >> >> ]";
    sig += " /Prop_Build << /App << /Name /OneWindow >> >> >>";
    rev.put(sig_num, 0, sig);

    // Appearance: the artwork fitted into the rectangle, centred, aspect kept, and upright as the
    // page is displayed: on a page with /Rotate the form is counter-rotated with its /Matrix.
    int rotate = 0;
    {
        QPDFObjectHandle r = pages[std::size_t(page_no) - 1].getAttribute("/Rotate", false);
        if (r.isInteger()) rotate = static_cast<int>(((r.getIntValue() % 360) + 360) % 360);
        if (rotate % 90 != 0) rotate = 0;
    }
    const bool sideways = rotate == 90 || rotate == 270;
    const double box_w = sideways ? rect.h : rect.w, box_h = sideways ? rect.w : rect.h;
    std::string matrix;
    if (rotate == 90) matrix = " /Matrix [0 1 -1 0 0 0]";
    else if (rotate == 180) matrix = " /Matrix [-1 0 0 -1 0 0]";
    else if (rotate == 270) matrix = " /Matrix [0 -1 1 0 0 0]";
    std::string content, resources = "<< >>";
    if (art) {
        const std::int64_t img_num = rev.reserve();
        std::string img = "/Type /XObject /Subtype /Image /Width " + std::to_string(art->width) + " /Height " +
                          std::to_string(art->height) +
                          " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode";
        if (!art->alpha.empty()) {
            const std::int64_t mask_num = rev.reserve();
            rev.put_stream(mask_num, 0,
                           "/Type /XObject /Subtype /Image /Width " + std::to_string(art->width) + " /Height " +
                               std::to_string(art->height) +
                               " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                           art->alpha);
            img += " /SMask " + pdf::ref(mask_num);
        }
        rev.put_stream(img_num, 0, img, art->rgb);
        const double scale = std::min(box_w / art->width, box_h / art->height);
        const double dw = art->width * scale, dh = art->height * scale;
        content = "q " + pdf::number(dw) + " 0 0 " + pdf::number(dh) + " " + pdf::number((box_w - dw) / 2) + " " +
                  pdf::number((box_h - dh) / 2) + " cm /Im0 Do Q\n";
        resources = "<< /XObject << /Im0 " + pdf::ref(img_num) + " >> >>";
    }
    rev.put_stream(form_num, 0,
                   "/Type /XObject /Subtype /Form /BBox [0 0 " + pdf::number(box_w) + " " + pdf::number(box_h) + "]" +
                       matrix + " /Resources " + resources,
                   content);
    const QPDFObjGen page_og = page.getObjGen();
    rev.put(widget_num, 0,
            "<< /Type /Annot /Subtype /Widget /FT /Sig /T " + pdf::text_string(field_name) + " /V " +
                pdf::ref(sig_num) + " /F 132 /P " + pdf::ref(page_og.getObj(), page_og.getGen()) + " /Rect [" +
                pdf::number(rect.x) + " " + pdf::number(rect.y) + " " + pdf::number(rect.x + rect.w) + " " +
                pdf::number(rect.y + rect.h) + "] /AP << /N " + pdf::ref(form_num) + " >> >>");
    const std::string widget_ref = pdf::ref(widget_num);

    // The page's /Annots gets the widget.
    QPDFObjectHandle annots = page.getKey("/Annots");
    if (annots.isArray() && annots.isIndirect()) {
        rev.put(annots.getObjGen().getObj(), annots.getObjGen().getGen(), pdf::array_with_appended(annots, {widget_ref}));
    } else {
        rev.put(page_og.getObj(), page_og.getGen(),
                pdf::dict_with(page, {{"/Annots", pdf::array_with_appended(annots, {widget_ref})}}));
    }

    // The AcroForm lists the field; /SigFlags 3; everything else (/DR …) kept.
    QPDFObjectHandle root = q.getRoot();
    QPDFObjectHandle acroform = root.getKey("/AcroForm");
    auto updated_acroform = [&](QPDFObjectHandle af) {
        QPDFObjectHandle fields = af.getKey("/Fields");
        std::string fields_text;
        if (fields.isArray() && fields.isIndirect()) {
            rev.put(fields.getObjGen().getObj(), fields.getObjGen().getGen(),
                    pdf::array_with_appended(fields, {widget_ref}));
            fields_text = fields.unparse();
        } else {
            fields_text = pdf::array_with_appended(fields, {widget_ref});
        }
        return pdf::dict_with(af, {{"/Fields", fields_text}, {"/SigFlags", "3"}});
    };
    const QPDFObjGen root_og = root.getObjGen();
    std::map<std::string, std::string> root_changes;
    if (acroform.isDictionary() && acroform.isIndirect()) {
        rev.put(acroform.getObjGen().getObj(), acroform.getObjGen().getGen(), updated_acroform(acroform));
    } else if (acroform.isDictionary()) {
        root_changes["/AcroForm"] = updated_acroform(acroform);
    } else {
        const std::int64_t af_num = rev.reserve();
        rev.put(af_num, 0, "<< /Fields [ " + widget_ref + " ] /SigFlags 3 >>");
        root_changes["/AcroForm"] = pdf::ref(af_num);
    }
    // A certification signature: the catalog's /Perms names it as the DocMDP signature.
    if (options.certify) {
        QPDFObjectHandle perms = root.getKey("/Perms");
        root_changes["/Perms"] = perms.isDictionary() && !perms.isIndirect()
                                     ? pdf::dict_with(perms, {{"/DocMDP", pdf::ref(sig_num)}})
                                     : "<< /DocMDP " + pdf::ref(sig_num) + " >>";
    }
    if (!root_changes.empty()) rev.put(root_og.getObj(), root_og.getGen(), pdf::dict_with(root, root_changes));

    // Trailer: /ID keeps its first element; the second changes with every revision.
    pdf::Revision::Trailer tr;
    tr.root = pdf::ref(root_og.getObj(), root_og.getGen());
    if (trailer.getKey("/Info").isIndirect()) tr.info = trailer.getKey("/Info").unparse();
    std::string new_id;
    {
        crypto::Sha256 h;
        h.update(&unix_s, sizeof unix_s);
        h.update(field_name.data(), field_name.size());
        const auto tail_size = tail.size;
        h.update(&tail_size, sizeof tail_size);
        const der::Bytes d = h.finish();
        new_id.assign(d.begin(), d.begin() + 16);
    }
    QPDFObjectHandle id = trailer.getKey("/ID");
    const std::string first_id =
        id.isArray() && id.getArrayNItems() >= 1 && id.getArrayItem(0).isString() ? id.getArrayItem(0).getStringValue() : new_id;
    tr.id = "[" + pdf::hex_string(first_id) + " " + pdf::hex_string(new_id) + "]";
    tr.prev = tail.startxref;
    tr.xref_stream = tail.xref_stream;

    // Without recovery qpdf still reads a damaged object (e.g. one that is not at its
    // cross-reference offset) as null, with a warning; sealing on that reading would rebuild the
    // form without the fields it could not see. A damaged file is an error, not silently repaired.
    if (q.anyWarnings()) {
        const auto warnings = q.getWarnings();
        throw SealInputError("seal.bad_pdf", "the PDF is damaged: " + std::string(warnings.front().what()));
    }

    const bool add_eol = !tail.ends_with_eol;
    // The section starts right after the previous bytes; the EOL it may prepend is part of it.
    std::string section = rev.assemble(tail.size, add_eol, tr);

    // ByteRange: [0 lt gt rest], the gap being exactly the <…> of /Contents.
    const std::size_t sig_at = rev.offset_of(sig_num);
    const std::size_t lt_local = section.find("/Contents <", sig_at) + 10;
    const std::size_t br_local = section.find("/ByteRange [0 ", sig_at) + 14;
    const std::uint64_t lt = tail.size + lt_local;
    const std::uint64_t gt = lt + hex_width + 2;
    const std::uint64_t total = tail.size + section.size();
    {
        char br[64];
        std::snprintf(br, sizeof br, "%-*llu %-*llu %-*llu", kByteRangeWidth, static_cast<unsigned long long>(lt),
                      kByteRangeWidth, static_cast<unsigned long long>(gt), kByteRangeWidth,
                      static_cast<unsigned long long>(total - gt));
        if (std::strlen(br) != std::size_t(kByteRangeWidth * 3 + 2))
            throw SealInputError("seal.too_large", "the PDF is too large to seal");
        section.replace(br_local, std::strlen(br), br);
    }

    // Copy the previous bytes untouched and hash them; then sign and write our revision.
    OutputFile tmp(out);
    crypto::Sha256 hash(job.md);
    hash.update(data.data(), data.size());
    tmp.write(data.data(), data.size());
    hash.update(section.data(), lt_local);
    hash.update(section.data() + lt_local + hex_width + 2, section.size() - (lt_local + hex_width + 2));
    const der::Bytes cms = job.contents(hash.finish());
    if (cms.size() > reserved) throw std::logic_error("CMS larger than its reservation");
    const std::string hex = hex_of(cms, hex_width);
    section.replace(lt_local + 1, hex_width, hex);
    tmp.write(section.data(), section.size());
    // Read the result back before it takes the output's name: a writer bug or a hostile input
    // that slipped through becomes an error, never a corrupt file reported as sealed.
    WrittenRevision expected;
    expected.file_size = total;
    expected.previous_size = tail.size;
    expected.root = root_og;
    expected.pages = pages.size();
    expected.size = rev.size();
    expected.field_name = field_name;
    expected.byte_range = {0, lt, gt, total - gt};
    check_written(tmp.fd(), expected);
    tmp.commit();

    StampResult r;
    r.field_name = field_name;
    r.page = page_no;
    r.rect = rect;
    r.bytes_added = section.size();
    r.contents_reserved = reserved;
    r.cms_size = cms.size();
    return r;
}

}  // namespace

StampResult stamp(const std::filesystem::path& in, const std::filesystem::path& out, const SigningKey& key,
                  const StampOptions& options_in) {
    crypto::check_usable_for_signing(key.impl().cert);
    StampOptions options = options_in;
    if (!options.time) options.time = std::chrono::system_clock::now();
    Job job;
    job.options = &options;
    job.signer_name = key.signer_name();
    der::Bytes ses_seal;
    if (options.profile == Profile::sm2) {
        if (!ses::is_sm2(key.impl().key)) throw SealInputError("seal.key_type", "the SM2 profile needs an SM2 key");
        if (!options.ses_seal) throw SealInputError("seal.ses_seal", "the SM2 profile needs the seal's SES_Seal file");
        std::ifstream f(*options.ses_seal, std::ios::binary);
        if (!f) throw SealInputError("seal.ses_seal", "cannot read " + options.ses_seal->string());
        ses_seal.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
        const auto when = std::chrono::duration_cast<std::chrono::seconds>(options.time->time_since_epoch()).count();
        // Check the seal before writing anything: made by its maker, for this certificate, valid now.
        const der::Bytes zero(32, 0);
        const der::Bytes trial = ses::make_signature(ses_seal, key.impl().key, key.impl().cert, zero, when, "trial");
        const ses::Checked c = ses::check(std::string_view(reinterpret_cast<const char*>(trial.data()), trial.size()), zero);
        X509_free(c.signer);
        if (!c.parsed || !c.seal_ok) throw SealInputError("seal.ses_seal", "the SES_Seal is malformed or its maker's signature does not verify");
        if (!c.cert_in_seal) throw SealRefused("seal.not_authorised", "the key's certificate is not one of this seal's certificates");
        if (!c.time_in_validity) throw SealRefused("seal.seal_expired", "the seal is outside its validity period");
        job.md = EVP_sm3();
        job.filter = ses::kFilter;
        job.sub_filter = ses::kSubFilter;
        if (!options.image && !options.image_png) job.picture = ses::seal_picture(ses_seal);
        job.contents = [&, when](const der::Bytes& digest) {
            return ses::make_signature(ses_seal, key.impl().key, key.impl().cert, digest, when, "application/pdf; ByteRange; SM3");
        };
        if (options.tsa) throw SealInputError("seal.tsa", "--tsa is not available with the SM2 profile yet");
    } else {
        job.contents = [&](const der::Bytes& digest) {
            return crypto::build_cades_signed_data(key.impl(), digest, options.tsa);
        };
    }
    return write_revision(in, out, job);
}

StampResult timestamp_document(const std::filesystem::path& in, const std::filesystem::path& out,
                               const TsaClient& tsa) {
    if (!tsa) throw SealInputError("seal.tsa", "a timestamp authority is needed");
    StampOptions options;
    Job job;
    job.options = &options;
    job.doc_timestamp = true;
    job.contents = [&](const der::Bytes& digest) { return crypto::timestamp_token(tsa, digest); };
    return write_revision(in, out, job);
}

}  // namespace ow::seal
