#include "ow/workflow/seal_admin.h"

#include "scratch.h"

#include "ow/core/error.h"
#include "ow/seal/seal.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

namespace ow::workflow {
namespace {

using detail::Scratch;
using HolderKind = store::SealAssignment::HolderKind;

constexpr std::size_t kMaxP12 = std::size_t(1) << 20;
constexpr std::size_t kMaxImage = std::size_t(4) << 20;

struct Wipe {
    std::string& s;
    ~Wipe() { std::fill(s.begin(), s.end(), '\0'); }
};

void write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out.flush()) throw store::StoreError("store.io", "cannot write " + p.filename().string() + " for the test signature");
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void check_holder(store::Store& s, HolderKind kind, const std::string& holder) {
    if (kind == HolderKind::post) {
        if (holder != "A" && holder != "B") throw core::InvalidData("a seal's post must be A or B, not '" + holder + "'");
    } else if (holder.empty() || !s.user_info(holder)) {
        throw core::InvalidData("no user '" + holder + "' in this store");
    }
}

}  // namespace

std::string seal_test_pdf(const std::string& text) {
    std::string safe;
    for (char c : text)
        if (c >= 0x20 && c < 0x7f && c != '(' && c != ')' && c != '\\') safe += c;
    const std::string stream = "BT /F1 18 Tf 72 760 Td (" + safe + ") Tj ET\n";
    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "endstream",
    };
    std::string pdf = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (auto off : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

store::SealAssignment assign_seal(store::Store& s, const SealAssignRequest& r, std::string_view pin, core::Instant at) {
    s.require_role(core::Role::admin, "assign seals");
    check_holder(s, r.holder_kind, r.holder);
    if (r.p12.empty() == r.pkcs11_uri.empty())
        throw core::InvalidData("give the seal's key as a PKCS#12 file or a PKCS#11 token URI (one of them)");
    if (r.p12.size() > kMaxP12) throw core::InvalidData("the PKCS#12 file is too large (over 1 MiB)");
    if (!r.image.empty() && (r.image.size() > kMaxImage || r.image.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0))
        throw core::InvalidData("the seal image must be a PNG of at most 4 MiB");
    if (r.name.empty()) throw core::InvalidData("the seal needs a name");
    store::SealAssignment a;
    a.holder_kind = r.holder_kind;
    a.holder = r.holder;
    a.name = r.name;
    a.image = r.image;
    if (!r.pkcs11_uri.empty()) {
        // A token's PIN opens the key now (to read the signer) and is never stored.
        a.pkcs11_uri = r.pkcs11_uri;
        a.pkcs11_module = r.pkcs11_module;
        a.signer = seal::SigningKey::from_pkcs11_pin(a.pkcs11_uri, pin, a.pkcs11_module).signer_name();
    } else {
        a.p12 = r.p12;
        a.pin = std::string(pin);
        a.signer = seal::SigningKey::from_pkcs12_bytes(a.p12, a.pin, "the PKCS#12 file").signer_name();
    }
    Wipe wipe{a.pin};
    store::SealAssignments(s.db()).assign(a, s.actor(), at);
    for (const auto& stored : store::SealAssignments(s.db()).list())
        if (stored.holder_kind == a.holder_kind && stored.holder == a.holder) return stored;
    throw store::StoreError("store.io", "the seal assignment was not found after it was written");
}

SealTestResult test_seal(store::Store& s, HolderKind kind, const std::string& holder, std::string_view pin, core::Instant at) {
    s.require_role(core::Role::admin, "test seals");
    check_holder(s, kind, holder);
    store::SealAssignments seals(s.db());
    // for_user looks for the user's own seal first: an empty user name finds none, so only the post's.
    std::optional<store::SealAssignment> a =
        kind == HolderKind::post ? seals.for_user("", holder == "A" ? core::Post::A : core::Post::B) : seals.for_user(holder, core::Post::none);
    if (!a) throw core::InvalidData(kind == HolderKind::post ? "no seal is assigned to post " + holder : "no seal is assigned to '" + holder + "'");
    Wipe wipe_pin{a->pin};
    if (a->on_token() && pin.empty()) throw core::InvalidData("the seal '" + a->name + "' is on a PKCS#11 token: type its PIN to test it");

    SealTestResult out;
    out.seal_name = a->name;
    out.holder = a->holder;
    out.on_token = a->on_token();
    Scratch scratch(s.dir());
    write_file(scratch / "in.pdf", seal_test_pdf("OneWindow seal test"));
    seal::StampOptions opt;
    if (!a->image.empty()) {
        opt.image_png = a->image;
    }
    opt.placement.page = 1;
    opt.placement.rect = seal::Rect{237, 361, 120, 120};
    opt.reason = "OneWindow seal test";
    opt.field_name = "SealTest";
    opt.time = std::chrono::time_point_cast<std::chrono::system_clock::duration>(at);
    {
        auto key = a->on_token() ? seal::SigningKey::from_pkcs11_pin(a->pkcs11_uri, pin, a->pkcs11_module)
                                 : seal::SigningKey::from_pkcs12_bytes(a->p12, pin.empty() ? std::string_view(a->pin) : pin,
                                                                       "the seal '" + a->name + "'");
        seal::stamp(scratch / "in.pdf", scratch / "out.pdf", key, opt);
    }
    const auto report = seal::verify(scratch / "out.pdf");
    out.pdf = read_file(scratch / "out.pdf");
    if (report.signatures.empty()) {
        out.problems.push_back("the test document has no signature after sealing");
    } else {
        const auto& sig = report.signatures.front();
        out.signer = sig.signer;
        out.signer_subject = sig.signer_subject;
        out.valid = report.ok();
        out.problems = sig.problems;
    }
    s.audit("seal.tested", nlohmann::json{{"holder_kind", kind == HolderKind::post ? "post" : "user"},
                                          {"holder", a->holder},
                                          {"name", a->name},
                                          {"key", a->on_token() ? "pkcs11" : "pkcs12"},
                                          {"signer", out.signer},
                                          {"valid", out.valid}}
                               .dump());
    return out;
}

}  // namespace ow::workflow
