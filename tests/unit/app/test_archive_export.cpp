// The desk's archive act (cases/archive_export.h) on the demo desk's real encrypted store, through a
// worker session as the cases page runs it: a concluded case's package written and sound by
// archive::verify (a zip and a folder, the parent folder made); an open case refused with nothing
// written; a taken path refused and left as it was; the package's file name from the receipt number.
#include <boost/test/unit_test.hpp>

#include "cases/archive_export.h"
#include "demo_desk_fixture.h"

#include "ow/archive/archive.h"

#include <fstream>

using namespace ow;

namespace {

struct ArchiveDesk : test::DemoDeskFixture<24> {
    /// A case in one of `states`, one with notices first (the demo seeds notices for a few).
    std::string case_in(const std::string& states) {
        auto id = services->store().db().query_text(
            "SELECT id FROM cases WHERE state IN (" + states +
            ") ORDER BY (SELECT count(*) FROM case_documents WHERE case_id = cases.id) DESC, id LIMIT 1");
        BOOST_REQUIRE_MESSAGE(id, "the demo desk has no case in " << states);
        return *id;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(archive_export)

BOOST_AUTO_TEST_CASE(a_concluded_case_is_written_as_a_sound_package) {
    ArchiveDesk d;
    const auto id = d.case_in("'rated', 'result_issued'");
    auto session = d.services->worker_session();
    const auto zip = d.tmp.path / "out" / "new folder" / "case.zip";  // the parent folders are made
    const auto o = app::run_archive_export(*session, id, zip);
    BOOST_REQUIRE_MESSAGE(o.ok(), o.code << ": " << o.message);
    BOOST_CHECK(std::filesystem::is_regular_file(zip));
    BOOST_CHECK_EQUAL(o.path, zip);
    BOOST_CHECK_GE(o.documents, 1);
    BOOST_CHECK_GT(o.files, o.documents);
    BOOST_CHECK_EQUAL(o.bytes, std::filesystem::file_size(zip));
    const auto report = archive::verify(zip);
    BOOST_CHECK_MESSAGE(report.sound(), archive::to_json(report));
    // The export is in the case's trail.
    BOOST_CHECK_GE(d.services->store().db().query_int("SELECT count(*) FROM audit WHERE action = 'archive.exported' AND case_id = '" + id + "'"), 1);

    const auto folder = d.tmp.path / "out" / "folder";
    const auto f = app::run_archive_export(*session, id, folder);
    BOOST_REQUIRE_MESSAGE(f.ok(), f.code << ": " << f.message);
    BOOST_CHECK(std::filesystem::is_regular_file(folder / "metadata.xml"));
    BOOST_CHECK(archive::verify(folder).sound());
}

BOOST_AUTO_TEST_CASE(an_open_case_or_a_taken_path_is_refused_with_nothing_written) {
    ArchiveDesk d;
    auto session = d.services->worker_session();
    const auto open = d.case_in("'accepted', 'under_review'");
    const auto out = d.tmp.path / "open.zip";
    auto o = app::run_archive_export(*session, open, out);
    BOOST_CHECK_EQUAL(o.code, "archive.not_concluded");
    BOOST_CHECK(!std::filesystem::exists(out));
    BOOST_CHECK(!app::archivable(core::CaseState::accepted));
    BOOST_CHECK(app::archivable(core::CaseState::rated));

    const auto taken = d.tmp.path / "taken.zip";
    std::ofstream(taken) << "someone else's file";
    o = app::run_archive_export(*session, d.case_in("'rated', 'result_issued'"), taken);
    BOOST_CHECK_EQUAL(o.code, "archive.output_exists");
    std::ifstream in(taken);
    std::string kept((std::istreambuf_iterator<char>(in)), {});
    BOOST_CHECK_EQUAL(kept, "someone else's file");

    BOOST_CHECK_EQUAL(app::run_archive_export(*session, "not-a-case", out).code, "archive.no_case");
    BOOST_CHECK_EQUAL(app::run_archive_export(*session, open, {}).code, "archive.path_empty");
}

BOOST_AUTO_TEST_CASE(the_file_name_comes_from_the_receipt_number) {
    app::CaseSummary s;
    s.case_id = "0b5e2a9c-1111-4222-8333-444455556666";
    s.receipt_no = "JN0102-20261124-T3-00004-H";
    BOOST_CHECK_EQUAL(app::archive_file_name(s), "JN0102-20261124-T3-00004-H.zip");
    s.receipt_no = "../../etc/passwd";  // nothing but letters, digits and '-' reaches the file system
    BOOST_CHECK_EQUAL(app::archive_file_name(s), "etcpasswd.zip");
    s.receipt_no.clear();
    BOOST_CHECK_EQUAL(app::archive_file_name(s), "0b5e2a9c-1111-4222-8333-444455556666.zip");
}

BOOST_AUTO_TEST_SUITE_END()
