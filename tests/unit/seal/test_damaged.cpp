// Signed PDFs damaged in ways fuzz_pdf_verify and fuzz_pdf_stamp found (reproducers kept in
// tests/fuzz/corpus/pdf_*/regression-*): verify() reports on them instead of throwing, the report
// converts to JSON, and stamp() refuses what qpdf can only read by dropping objects.
#include "ow/seal/seal.h"

#include "fixture.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ow::seal;
using namespace ow::seal::test;

namespace {

struct DamagedFixture {
    fs::path dir;
    DemoSeal demo;
    StampOptions opt;
    fs::path sealed;
    std::string bytes;
    DamagedFixture() {
        std::string t = (fs::temp_directory_path() / "ow-seal-damaged-XXXXXX").string();
        dir = mkdtemp(t.data());
        demo = make_demo_seal("单元测试局", dir / "demo");
        opt.placement.rect = Rect{40, 40, 100, 100};
        opt.time = std::chrono::system_clock::time_point(std::chrono::seconds(1764547200));  // 2025-12-01
        sealed = dir / "sealed.pdf";
        stamp(fs::path(OW_TEST_DATA) / "seal" / "gs.pdf", sealed, SigningKey::from_pkcs12(demo.p12, demo.pin_file), opt);
        bytes = slurp(sealed);
    }
    ~DamagedFixture() { fs::remove_all(dir); }
    /// The sealed file with `from` replaced by `to` (same length: the offsets stay right).
    fs::path damaged(const std::string& from, const std::string& to) {
        BOOST_REQUIRE_EQUAL(from.size(), to.size());
        auto at = bytes.find(from);
        BOOST_REQUIRE(at != std::string::npos);
        std::string copy = bytes;
        copy.replace(at, from.size(), to);
        const fs::path p = dir / "damaged.pdf";
        std::ofstream(p, std::ios::binary | std::ios::trunc) << copy;
        return p;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(damaged_pdfs, DamagedFixture)

// Was: std::invalid_argument ("stoi") out of verify() when checking trust, from a /M whose UTC
// offset is not digits.
BOOST_AUTO_TEST_CASE(a_signing_time_with_a_bad_offset_is_reported) {
    const auto p = damaged("> /M (D:20251201000000Z) /Name", ">/M(D:20251201000000+ab) /Name");
    VerifyOptions vo;
    vo.roots = demo.ca_pem;
    VerifyReport r;
    BOOST_REQUIRE_NO_THROW(r = verify(p, vo));
    BOOST_REQUIRE_EQUAL(r.signatures.size(), 1u);
    BOOST_TEST(r.signatures[0].signing_time == "D:20251201000000+ab");
    BOOST_TEST(!r.ok());  // the signed bytes changed
    BOOST_CHECK_NO_THROW((void)to_json(r));
}

// Was: nlohmann::json::type_error (invalid UTF-8) out of to_json() for a /SubFilter name with
// a byte that is not UTF-8 (the name is quoted in the problem).
BOOST_AUTO_TEST_CASE(a_name_that_is_not_utf8_is_quoted_in_json) {
    const auto p = damaged("/SubFilter /ETSI.CAdES.detached", "/SubFilter /ETSI.CAdES.detac#FF");
    const auto r = verify(p);
    BOOST_REQUIRE_EQUAL(r.signatures.size(), 1u);
    BOOST_TEST(!r.signatures[0].valid());
    std::string json;
    BOOST_REQUIRE_NO_THROW(json = to_json(r));
    BOOST_TEST(json.find("unsupported /SubFilter /ETSI.CAdES.detac\xEF\xBF\xBD") != std::string::npos);
}

// Was: QPDFExc ("Loop detected in /Pages structure") out of verify(): qpdf meets the loop only
// when the form is read, after the file was opened.
BOOST_AUTO_TEST_CASE(a_page_tree_with_a_loop_is_a_bad_pdf) {
    const auto p = damaged("/Type /Pages /Kids [\n4 0 R", "/Type /Pages /Kids [\n3 0 R");
    auto bad_pdf = [](const SealInputError& e) { return e.code() == "seal.bad_pdf"; };
    BOOST_CHECK_EXCEPTION(verify(p), SealInputError, bad_pdf);
    BOOST_CHECK_EXCEPTION(stamp(p, dir / "out.pdf", SigningKey::from_pkcs12(demo.p12, demo.pin_file), opt), SealInputError,
                          bad_pdf);
    BOOST_TEST(!fs::exists(dir / "out.pdf"));
}

// Was: a second seal on a file whose /AcroForm object is not at its cross-reference offset was
// written with a new /AcroForm listing only the new field (qpdf had read the old one as null): the
// earlier seal left the form, and the new field took its name "Seal1".
BOOST_AUTO_TEST_CASE(a_form_that_cannot_be_read_is_refused_not_rebuilt) {
    const fs::path twice = dir / "twice.pdf";
    const auto key = SigningKey::from_pkcs12(demo.p12, demo.pin_file);
    stamp(sealed, twice, key, opt);
    std::string b = slurp(twice);
    // The /AcroForm of the last revision, and its entry in the last cross-reference table.
    const auto form = b.rfind(" 0 obj\n<< /Fields");
    BOOST_REQUIRE(form != std::string::npos);
    const std::size_t start = b.rfind('\n', form) + 1;
    char entry[32], wrong[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n", start);
    std::snprintf(wrong, sizeof wrong, "%010zu 00000 n", start - 20);
    const auto at = b.find(entry, b.rfind("\nxref\n"));
    BOOST_REQUIRE(at != std::string::npos);
    b.replace(at, std::strlen(wrong), wrong);
    const fs::path damaged = dir / "damaged-form.pdf", out = dir / "third.pdf";
    std::ofstream(damaged, std::ios::binary) << b;
    BOOST_CHECK_EXCEPTION(stamp(damaged, out, key, opt), SealInputError,
                          [](const SealInputError& e) { return e.code() == "seal.bad_pdf"; });
    BOOST_TEST(!fs::exists(out));
    BOOST_CHECK_NO_THROW(stamp(twice, out, key, opt));  // the undamaged file still takes a third seal
}

BOOST_AUTO_TEST_SUITE_END()
