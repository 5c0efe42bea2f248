// Output files: never half-written (O_TMPFILE, stale temporaries), and read back before they count.
#include "output_file.h"

#include "ow/seal/seal.h"

#include "fixture.h"

#include <boost/test/unit_test.hpp>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

namespace fs = std::filesystem;
using namespace ow::seal;
using namespace ow::seal::test;

namespace {

void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

/// What check_written expects, read from a file stamped by us.
WrittenRevision expected_of(const fs::path& file, const std::string& field) {
    QPDF q;
    q.processFile(file.string().c_str());
    WrittenRevision e;
    e.file_size = fs::file_size(file);
    e.previous_size = fs::file_size(fs::path(OW_TEST_DATA) / "seal" / "gs.pdf");
    e.root = q.getRoot().getObjGen();
    e.pages = q.getAllPages().size();
    e.size = q.getTrailer().getKey("/Size").getIntValue();
    e.field_name = field;
    for (auto& f : QPDFAcroFormDocumentHelper(q).getFormFields())
        if (f.getFullyQualifiedName() == field)
            for (int i = 0; i < 4; ++i)
                e.byte_range[std::size_t(i)] = std::uint64_t(f.getValue().getKey("/ByteRange").getArrayItem(i).getIntValue());
    return e;
}

void check_file(const fs::path& file, const WrittenRevision& e) {
    const int fd = ::open(file.c_str(), O_RDONLY);
    BOOST_REQUIRE(fd >= 0);
    struct Close {
        int fd;
        ~Close() { ::close(fd); }
    } closer{fd};
    check_written(fd, e);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(output_file)

BOOST_AUTO_TEST_CASE(unnamed_until_committed) {
    TempDir dir;
    const fs::path target = dir.path / "out.pdf";
    {
        OutputFile f(target);
        f.write("half", 4);
        // O_TMPFILE works on this machine's filesystems (ext4, tmpfs): nothing has a name yet.
        BOOST_TEST(f.anonymous());
        BOOST_TEST(dir.entries() == 0u);
    }
    BOOST_TEST(dir.entries() == 0u);  // not committed: gone
    {
        OutputFile f(target);
        f.write("%PDF-1.7 whole", 14);
        f.commit();
    }
    BOOST_TEST(slurp(target) == "%PDF-1.7 whole");
    BOOST_TEST(dir.entries() == 1u);
    struct stat st {};
    BOOST_REQUIRE(::stat(target.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0644u);
    {
        OutputFile f(target);  // replaces an existing output atomically
        f.write("%PDF-1.7 again", 14);
        f.commit();
    }
    BOOST_TEST(slurp(target) == "%PDF-1.7 again");
    BOOST_TEST(dir.entries() == 1u);
}

BOOST_AUTO_TEST_CASE(stale_temporaries_of_dead_writers_are_removed) {
    TempDir dir;
    const fs::path target = dir.path / "out.pdf";
    spit(dir.path / "out.pdf.tmp-Ab12Cd", "left by a killed stamp");
    spit(dir.path / "out.pdf.tmp-LiveOn", "being written by a live stamp");
    spit(dir.path / "other.pdf.tmp-Ab12Cd", "another target's");
    spit(dir.path / "out.pdf.tmp-notours", "not our pattern");
    const int live = ::open((dir.path / "out.pdf.tmp-LiveOn").c_str(), O_RDONLY);
    BOOST_REQUIRE(live >= 0);
    BOOST_REQUIRE(::flock(live, LOCK_EX) == 0);  // as a live writer holds it
    BOOST_TEST(OutputFile::remove_stale(target) == 1);
    BOOST_TEST(!fs::exists(dir.path / "out.pdf.tmp-Ab12Cd"));
    BOOST_TEST(fs::exists(dir.path / "out.pdf.tmp-LiveOn"));
    BOOST_TEST(fs::exists(dir.path / "other.pdf.tmp-Ab12Cd"));
    BOOST_TEST(fs::exists(dir.path / "out.pdf.tmp-notours"));
    ::close(live);
    // Opening an output file cleans up too, once the writer is gone.
    { OutputFile f(target); }
    BOOST_TEST(!fs::exists(dir.path / "out.pdf.tmp-LiveOn"));
}

BOOST_AUTO_TEST_CASE(outputs_are_read_back_before_they_count) {
    TempDir dir;
    const DemoSeal demo = make_demo_seal("回读测试局", dir.path / "demo");
    const SigningKey key = SigningKey::from_pkcs12(demo.p12, demo.pin_file);
    StampOptions opt;
    opt.placement.rect = Rect{40, 40, 100, 100};
    const fs::path good = dir.path / "good.pdf";
    const auto r = stamp(fs::path(OW_TEST_DATA) / "seal" / "gs.pdf", good, key, opt);
    const WrittenRevision e = expected_of(good, r.field_name);
    BOOST_CHECK_NO_THROW(check_file(good, e));

    const std::string bytes = slurp(good);
    auto rejected = [&](const std::string& what, const std::string& corrupt, const WrittenRevision& want) {
        const fs::path bad = dir.path / "bad.pdf";
        spit(bad, corrupt);
        try {
            check_file(bad, want);
            BOOST_ERROR(what + ": accepted");
        } catch (const SealInputError& x) {
            BOOST_TEST(x.code() == "seal.write_check", what);
        }
    };
    // The signature's object header with a negative number (as a wrapped 32-bit /Size once
    // wrote), same length so that every offset stays right.
    std::string negative = bytes;
    const std::size_t sig = negative.rfind("/Type /Sig");
    const std::size_t obj = negative.rfind(" 0 obj", sig);
    const std::size_t num = negative.rfind('\n', obj) + 1;
    BOOST_REQUIRE(obj - num >= 2);
    negative[num] = '-';
    rejected("negative object number", negative, e);
    rejected("one byte short", bytes.substr(0, bytes.size() - 1), e);
    WrittenRevision other = e;
    other.size += 1;
    rejected("another /Size", bytes, other);
    other = e;
    other.byte_range[3] += 1;
    rejected("another /ByteRange", bytes, other);
    other = e;
    other.field_name = "Seal9";
    rejected("no such field", bytes, other);
}

BOOST_AUTO_TEST_SUITE_END()
