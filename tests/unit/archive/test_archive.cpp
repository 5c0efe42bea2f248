// ow_archive: the manifest format and safe paths; export_case and verify on a real seeded store
// (cases made through the acts, scans kept encrypted): a concluded case exports and verifies, an
// open one is refused with nothing written, a taken path is refused, and verify puts a fault on the
// record that is wrong (a manifest line) rather than on the file it describes.
#include <boost/test/unit_test.hpp>

#include "fixture.h"
#include "package.h"

#include "ow/archive/archive.h"
#include "ow/forms/definition.h"
#include "ow/store/audit.h"
#include "ow/workflow/demo.h"

#include <fstream>

using namespace ow;
using namespace ow::test;
namespace fs = std::filesystem;

namespace {

const forms::FormCatalogue& form_catalogue() {
    static forms::FormCatalogue f = forms::FormCatalogue::load_directory(std::string(OW_SOURCE_DIR) + "/forms/catalog");
    return f;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary | std::ios::trunc) << s; }

bool names(const archive::VerifyReport& r, const std::string& file, archive::Property p) {
    for (const auto& c : r.failures())
        if (c.file == file && c.property == p) return true;
    return false;
}

/// A seeded store (no notices, TIFF scans) and the id of a concluded case with a scan, and of an open one.
struct Seeded : StoreFixture {
    core::Uuid concluded, open;
    Seeded() {
        workflow::SeedOptions o;
        o.cases = 60;
        o.scans = 20;
        o.seed = 5;
        workflow::seed_demo(*s, catalogue(), form_catalogue(), calendar(), o);
        auto pick = [&](const std::string& sql) {
            auto id = s->db().query_text(sql);
            BOOST_REQUIRE(id);
            return *core::Uuid::parse(*id);
        };
        concluded = pick("SELECT c.id FROM cases c JOIN case_blobs b ON b.case_id = c.id AND b.role = 'material' "
                         "WHERE c.state IN ('rated', 'result_issued', 'refused') ORDER BY c.id LIMIT 1");
        open = pick("SELECT id FROM cases WHERE state IN ('accepted', 'under_review', 'draft', 'received') ORDER BY id LIMIT 1");
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(package_parts)

BOOST_AUTO_TEST_CASE(manifest_lines_are_hex_two_spaces_and_a_safe_path) {
    const std::string h(64, 'a');
    auto ok = archive::detail::parse_manifest(h + "  metadata.xml\n" + h + "  documents/01-x.pdf\n");
    BOOST_CHECK(ok.problems.empty());
    BOOST_CHECK_EQUAL(ok.entries.size(), 2u);
    BOOST_CHECK_EQUAL(ok.entries.at("documents/01-x.pdf"), h);
    // Each malformed line is a problem of its own, with its number.
    auto bad = archive::detail::parse_manifest(h + " one-space\n" + std::string(64, 'A') + "  upper.pdf\n" + h + "  ../up.pdf\n" + h +
                                               "  /abs.pdf\n" + h + "  dup\n" + h + "  dup\n" + h + "  no-newline");
    BOOST_CHECK_EQUAL(bad.problems.size(), 6u);
    BOOST_CHECK(bad.problems[0].rfind("line 1", 0) == 0);
    BOOST_CHECK_EQUAL(bad.entries.size(), 2u);  // dup (once) and no-newline
    BOOST_CHECK_EQUAL(archive::detail::format_manifest({{"b", h}, {"a", h}}), h + "  a\n" + h + "  b\n");
}

BOOST_AUTO_TEST_CASE(paths_stay_inside_the_package) {
    using archive::detail::safe_relative_path;
    BOOST_CHECK(safe_relative_path("documents/01-acceptance_receipt.pdf"));
    for (const char* bad : {"", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a\\b", "a\nb", "a/"}) BOOST_CHECK_MESSAGE(!safe_relative_path(bad), bad);
    BOOST_CHECK_EQUAL(archive::detail::xml_escape("a<b>&\"'\x01\n"), "a&lt;b&gt;&amp;&quot;&apos;&#10;");
}

BOOST_AUTO_TEST_CASE(digests_are_sha256_and_sm3) {
    auto d = archive::detail::digest_bytes("abc");
    BOOST_CHECK_EQUAL(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_CHECK_EQUAL(d.sm3, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");  // GB/T 32905 example
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(export_and_verify, Seeded)

BOOST_AUTO_TEST_CASE(a_concluded_case_exports_and_verifies_with_its_scans) {
    const fs::path out = tmp.path / "pkg";
    const auto before = store::AuditLog(s->db()).for_case(concluded.to_string()).size();
    auto r = archive::export_case(*s, concluded, out);
    BOOST_CHECK(r.path == out);
    BOOST_CHECK_GE(r.materials, 1);
    BOOST_CHECK_EQUAL(r.records, 4);
    BOOST_CHECK_EQUAL(r.documents, 0);  // seeded without notices
    BOOST_CHECK(r.audit_chain_intact);
    auto v = archive::verify(out);
    BOOST_CHECK_MESSAGE(v.sound(), archive::to_json(v));
    BOOST_CHECK_EQUAL(v.files, r.files);
    // The seed's scans are TIFF: sniffed, and named in the metadata.
    BOOST_CHECK(slurp(out / "metadata.xml").find("format=\"image/tiff\"") != std::string::npos);
    BOOST_CHECK(fs::exists(out / "materials"));
    // Nothing left beside it; the export is audited on the case.
    for (const auto& e : fs::directory_iterator(tmp.path)) BOOST_CHECK(e.path().filename().string().find("partial") == std::string::npos);
    auto after = store::AuditLog(s->db()).for_case(concluded.to_string());
    BOOST_REQUIRE_EQUAL(after.size(), before + 1);
    BOOST_CHECK_EQUAL(after.back().action, "archive.exported");
    BOOST_CHECK(store::AuditLog(s->db()).verify().intact);
}

BOOST_AUTO_TEST_CASE(an_open_case_is_refused_and_nothing_is_written) {
    const fs::path out = tmp.path / "open";
    try {
        archive::export_case(*s, open, out);
        BOOST_FAIL("an open case was exported");
    } catch (const archive::ArchiveRefused& e) {
        BOOST_CHECK_EQUAL(e.code(), "archive.not_concluded");
    }
    BOOST_CHECK(!fs::exists(out));
    for (const auto& e : fs::directory_iterator(tmp.path)) BOOST_CHECK(e.path().filename().string().find("partial") == std::string::npos);
    BOOST_CHECK_THROW(archive::export_case(*s, *core::Uuid::parse("01a24a77-216d-7146-bb75-365bf8d3b55a"), out), archive::ArchiveRefused);
}

BOOST_AUTO_TEST_CASE(a_taken_path_is_refused) {
    const fs::path out = tmp.path / "taken";
    fs::create_directories(out);
    spit(out / "keep.txt", "mine");
    try {
        archive::export_case(*s, concluded, out);
        BOOST_FAIL("a non-empty folder was overwritten");
    } catch (const archive::ArchiveRefused& e) {
        BOOST_CHECK_EQUAL(e.code(), "archive.output_exists");
    }
    BOOST_CHECK_EQUAL(slurp(out / "keep.txt"), "mine");
    spit(tmp.path / "taken.zip", "x");
    BOOST_CHECK_THROW(archive::export_case(*s, concluded, tmp.path / "taken.zip"), archive::ArchiveRefused);
    BOOST_CHECK_EQUAL(slurp(tmp.path / "taken.zip"), "x");
}

BOOST_AUTO_TEST_CASE(a_zip_holds_the_same_package) {
    const fs::path out = tmp.path / "pkg.ZIP";  // the extension in any case
    auto r = archive::export_case(*s, concluded, out);
    BOOST_CHECK(r.zip);
    BOOST_CHECK_EQUAL(slurp(out).substr(0, 4), std::string("PK\x03\x04", 4));
    auto v = archive::verify(out);
    BOOST_CHECK(v.zip);
    BOOST_CHECK_MESSAGE(v.sound(), archive::to_json(v));
}

BOOST_AUTO_TEST_CASE(the_fault_goes_to_the_record_that_is_wrong) {
    const fs::path out = tmp.path / "pkg";
    archive::export_case(*s, concluded, out);
    // The SM3 manifest's entry for the case record altered: the file is intact (its SHA-256 and
    // the metadata agree), the manifest is named, the file is not.
    std::string m = slurp(out / "manifest-sm3.txt");
    auto at = m.find("  records/case.json");
    BOOST_REQUIRE(at != std::string::npos && at >= 64);
    m[at - 1] = m[at - 1] == '0' ? '1' : '0';
    spit(out / "manifest-sm3.txt", m);
    auto v = archive::verify(out);
    BOOST_CHECK(!v.sound());
    BOOST_CHECK(names(v, "manifest-sm3.txt", archive::Property::integrity));
    for (const auto& f : v.failures()) BOOST_CHECK_MESSAGE(f.file != "records/case.json", f.message);

    // A scan with one flipped byte: the scan is named (integrity, and its metadata checksum).
    fs::remove_all(out);
    archive::export_case(*s, concluded, out);
    fs::path scan;
    for (const auto& e : fs::directory_iterator(out / "materials")) scan = e.path();
    std::string b = slurp(scan);
    b[b.size() / 2] ^= 0x01;
    spit(scan, b);
    std::string rel = "materials/" + scan.filename().string();
    auto v2 = archive::verify(out);
    BOOST_CHECK(names(v2, rel, archive::Property::integrity));
    BOOST_CHECK(names(v2, rel, archive::Property::authenticity));
    BOOST_CHECK_EQUAL(v2.failures().size(), 2u);  // nothing else is blamed
}

BOOST_AUTO_TEST_SUITE_END()
