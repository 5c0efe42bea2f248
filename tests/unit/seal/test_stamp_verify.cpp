// The library end to end, in process: demo seal → stamp → verify, and the refusals.
#include "ow/seal/seal.h"

#include "pdf_util.h"

#include "fixture.h"

#include <boost/test/unit_test.hpp>
#include <qpdf/QPDF.hh>

#include <fstream>
#include <iterator>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ow::seal;
using namespace ow::seal::test;

namespace {

struct Fixture {
    TempDir dir;
    DemoSeal demo = make_demo_seal("单元测试局", dir.path / "demo");
    SigningKey key = SigningKey::from_pkcs12(demo.p12, demo.pin_file);
    fs::path data = fs::path(OW_TEST_DATA) / "seal";
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(stamp_and_verify, Fixture)

BOOST_AUTO_TEST_CASE(three_seals_stay_valid_and_trusted) {
    StampOptions opt;
    opt.image = demo.png;
    opt.placement.rect = Rect{40, 40, 100, 100};
    fs::path in = data / "gs.pdf";
    for (int i = 1; i <= 3; ++i) {
        const fs::path out = dir.path / ("s" + std::to_string(i) + ".pdf");
        const auto r = stamp(in, out, key, opt);
        BOOST_TEST(r.field_name == "Seal" + std::to_string(i));
        BOOST_TEST(r.cms_size < r.contents_reserved);
        BOOST_TEST(r.bytes_added < fs::file_size(demo.png) + 30 * 1024);
        const std::string before = slurp(in), after = slurp(out);
        BOOST_TEST(after.compare(0, before.size(), before) == 0);
        in = out;
    }
    VerifyOptions vo;
    vo.roots = demo.ca_pem;
    const auto report = verify(in, vo);
    BOOST_TEST(report.ok());
    BOOST_REQUIRE(report.signatures.size() == 3u);
    for (const auto& s : report.signatures) {
        BOOST_TEST(s.valid());
        BOOST_TEST(s.signer == "单元测试局 样章 DEMO seal");
        BOOST_TEST(s.sub_filter == "/ETSI.CAdES.detached");
        BOOST_TEST(s.changes.empty());
    }
    BOOST_TEST(report.signatures.back().covers_whole_file);
    BOOST_TEST(!report.signatures.front().covers_whole_file);
    BOOST_TEST(to_json(report).find("\"ok\": true") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(anchor_is_found_in_cjk_text) {
    const AnchorHit hit = find_anchor(data / "cairo.pdf", "（盖章）");
    BOOST_TEST(hit.page == 1);
    BOOST_TEST(hit.box.w > 20);
    BOOST_TEST(hit.box.h > 5);
    BOOST_CHECK_THROW(find_anchor(data / "cairo.pdf", "不存在的文字"), SealInputError);
}

BOOST_AUTO_TEST_CASE(refusals_leave_no_file) {
    StampOptions opt;
    opt.placement.rect = Rect{40, 40, 100, 100};
    const fs::path out = dir.path / "out.pdf";
    const auto expired = SigningKey::from_pkcs12(data / "expired.p12", data / "expired.pin");
    BOOST_CHECK_THROW(stamp(data / "gs.pdf", out, expired, opt), SealRefused);
    BOOST_TEST(!fs::exists(out));
    opt.placement.page = 7;
    BOOST_CHECK_THROW(stamp(data / "gs.pdf", out, key, opt), SealInputError);
    BOOST_TEST(!fs::exists(out));
    BOOST_CHECK_THROW(stamp(data / "gs.pdf", data / "gs.pdf", key, opt), SealInputError);
    std::ofstream(dir.path / "pin") << "nope\n";
    BOOST_CHECK_THROW(SigningKey::from_pkcs12(demo.p12, dir.path / "pin"), SealInputError);
    for (const auto& e : fs::directory_iterator(dir.path))
        BOOST_TEST(e.path().filename().string().find(".tmp-") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(unsigned_pdf_is_not_ok) {
    const auto report = verify(data / "gs.pdf");
    BOOST_TEST(report.signatures.empty());
    BOOST_TEST(!report.ok());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(sm2_profile, Fixture)

BOOST_AUTO_TEST_CASE(ses_signature_round_trip_and_tamper) {
    const auto sm2 = SigningKey::from_pkcs12(demo.sm2_p12, demo.pin_file);
    StampOptions opt;
    opt.profile = Profile::sm2;
    opt.ses_seal = demo.ses_seal;
    opt.placement.rect = Rect{40, 40, 100, 100};
    const fs::path out = dir.path / "sm2.pdf";
    stamp(data / "objstm.pdf", out, sm2, opt);
    VerifyOptions vo;
    vo.roots = demo.sm2_ca_pem;
    auto report = verify(out, vo);
    BOOST_REQUIRE(report.signatures.size() == 1u);
    BOOST_TEST(report.signatures[0].sub_filter == "/GBT38540.SES_Signature");
    BOOST_TEST(report.signatures[0].valid());
    BOOST_TEST(report.ok());

    std::string bytes = slurp(out);
    bytes[100] = static_cast<char>(bytes[100] ^ 1);
    std::ofstream(dir.path / "bad.pdf", std::ios::binary) << bytes;
    report = verify(dir.path / "bad.pdf");
    BOOST_TEST(!report.ok());
    BOOST_TEST(!report.signatures.at(0).digest_ok);
}

BOOST_AUTO_TEST_CASE(rsa_key_cannot_use_sm2_profile) {
    StampOptions opt;
    opt.profile = Profile::sm2;
    opt.ses_seal = demo.ses_seal;
    opt.placement.rect = Rect{40, 40, 100, 100};
    BOOST_CHECK_THROW(stamp(data / "gs.pdf", dir.path / "x.pdf", key, opt), SealInputError);
    BOOST_TEST(!fs::exists(dir.path / "x.pdf"));
}

BOOST_AUTO_TEST_SUITE_END()

// A forged page after a seal, built in process with our own incremental writer: what an attacker
// appends (a shadow widget covering the page, or an ordinary annotation) must be named.
namespace {

enum class Forgery { shadow_widget, free_text, empty_field };

void forge(const fs::path& sealed, const fs::path& out, Forgery kind) {
    QPDF q;
    q.processFile(sealed.string().c_str());
    const pdf::Tail tail = pdf::read_tail(sealed);
    QPDFObjectHandle page = q.getAllPages().at(0);
    QPDFObjectHandle acroform = q.getRoot().getKey("/AcroForm");
    BOOST_REQUIRE(acroform.isIndirect());
    pdf::Revision rev(q.getTrailer().getKey("/Size").getIntValue());
    const std::string cover = "q 1 1 1 rg 0 0 595 842 re f Q BT /F1 28 Tf 72 700 Td (REFUSED) Tj ET";
    const std::int64_t font = rev.reserve(), form = rev.reserve(), annot = rev.reserve();
    rev.put(font, 0, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    rev.put_stream(form, 0, "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 " +
                                pdf::ref(font) + " >> >>", cover);
    const std::string ap = " /AP << /N " + pdf::ref(form) + " >>";
    if (kind == Forgery::free_text)
        rev.put(annot, 0, "<< /Type /Annot /Subtype /FreeText /F 4 /Rect [0 0 595 842] /Contents (REFUSED)" + ap + " >>");
    else
        rev.put(annot, 0, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Forged) /F 4 /Rect " +
                              std::string(kind == Forgery::empty_field ? "[0 0 0 0]" : "[0 0 595 842]" + ap) + " >>");
    rev.put(page.getObjectID(), page.getGeneration(),
            pdf::dict_with(page, {{"/Annots", pdf::array_with_appended(page.getKey("/Annots"), {pdf::ref(annot)})}}));
    if (kind != Forgery::free_text)
        rev.put(acroform.getObjectID(), acroform.getGeneration(),
                pdf::dict_with(acroform, {{"/Fields", pdf::array_with_appended(acroform.getKey("/Fields"), {pdf::ref(annot)})}}));
    pdf::Revision::Trailer tr{q.getTrailer().getKey("/Root").unparse(), "", q.getTrailer().getKey("/ID").unparse(),
                              tail.startxref, tail.xref_stream};
    std::ofstream(out, std::ios::binary) << slurp(sealed) << rev.assemble(tail.size, !tail.ends_with_eol, tr);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(later_revisions, Fixture)

BOOST_AUTO_TEST_CASE(a_forged_page_is_named_and_a_later_seal_is_not) {
    StampOptions opt;
    opt.image = demo.png;
    opt.placement.rect = Rect{40, 40, 100, 100};
    for (const char* input : {"gs.pdf", "objstm.pdf"}) {  // after an xref table and after an xref stream
        BOOST_TEST_CONTEXT(input) {
            const fs::path sealed = dir.path / "sealed.pdf", forged = dir.path / "forged.pdf";
            stamp(data / input, sealed, key, opt);
            BOOST_REQUIRE(verify(sealed).ok());

            forge(sealed, forged, Forgery::shadow_widget);
            auto report = verify(forged);
            BOOST_TEST(!report.ok());
            BOOST_REQUIRE(report.signatures.size() == 1u);
            BOOST_REQUIRE(report.signatures[0].changes.size() == 1u);
            BOOST_TEST(report.signatures[0].changes[0].find("'Forged' with a visible appearance and no signature") !=
                       std::string::npos);
            BOOST_TEST(report.signatures[0].digest_ok);  // the signed bytes are intact: only the diff tells

            forge(sealed, forged, Forgery::free_text);
            report = verify(forged);
            BOOST_TEST(!report.ok());
            BOOST_TEST(report.signatures.at(0).changes.at(0).find("a /FreeText annotation was added") != std::string::npos);

            forge(sealed, forged, Forgery::empty_field);  // an empty signature field: allowed
            BOOST_TEST(verify(forged).ok());

            const fs::path twice = dir.path / "twice.pdf";  // a second seal: allowed
            opt.placement.rect = Rect{200, 40, 100, 100};
            stamp(sealed, twice, key, opt);
            report = verify(twice);
            BOOST_TEST(report.ok());
            BOOST_TEST(report.signatures.at(0).changes.empty());
            opt.placement.rect = Rect{40, 40, 100, 100};
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
