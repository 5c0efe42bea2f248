// The seal's artwork as a PDF image, prepared once per PNG and kept in memory and in a cache folder.
#include "artwork.h"

#include "ow/seal/seal.h"

#include "fixture.h"

#include <boost/test/unit_test.hpp>
#include <png.h>
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/Pl_Flate.hh>

#include <cstring>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ow::seal;
using namespace ow::seal::test;

namespace {

void spit(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string inflate(const std::string& data) {
    Pl_Buffer buffer("inflated");
    Pl_Flate flate("inflate", &buffer, Pl_Flate::a_inflate);
    flate.write(reinterpret_cast<const unsigned char*>(data.data()), data.size());
    flate.finish();
    auto buf = buffer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
}

/// A PNG made with libpng's writer from 8-bit pixels (RGBA when `alpha`, else RGB).
std::string png_of(int w, int h, const std::string& pixels, bool alpha) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = png_uint_32(w);
    image.height = png_uint_32(h);
    image.format = alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    BOOST_REQUIRE(png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr));
    std::string out(size, '\0');
    BOOST_REQUIRE(png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, nullptr));
    out.resize(size);
    return out;
}

bool same(const Artwork& a, const Artwork& b) {
    return a.width == b.width && a.height == b.height && a.rgb == b.rgb && a.alpha == b.alpha;
}

std::size_t files_in(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(artwork)

BOOST_AUTO_TEST_CASE(colour_and_alpha_are_split_without_premultiplying) {
    // 2×1: an opaque orange pixel and a half-transparent blue one; then the same as RGB only.
    const std::string rgba = std::string("\xC8\x64\x32\xFF", 4) + std::string("\x10\x20\xF0\x80", 4);
    const Artwork a = prepare_artwork(png_of(2, 1, rgba, true), "test");
    BOOST_TEST(a.width == 2);
    BOOST_TEST(a.height == 1);
    BOOST_TEST(inflate(a.rgb) == std::string("\xC8\x64\x32\x10\x20\xF0", 6));
    BOOST_TEST(inflate(a.alpha) == std::string("\xFF\x80", 2));

    const Artwork opaque = prepare_artwork(png_of(2, 1, std::string("\xC8\x64\x32\x10\x20\xF0", 6), false), "test");
    BOOST_TEST(inflate(opaque.rgb) == std::string("\xC8\x64\x32\x10\x20\xF0", 6));
    BOOST_TEST(opaque.alpha.empty());  // no /SMask for an opaque seal

    // A fully transparent pixel's colour is dropped (black), its alpha kept.
    const Artwork clear = prepare_artwork(png_of(1, 1, std::string("\x11\x22\x33\x00", 4), true), "test");
    BOOST_TEST(inflate(clear.rgb) == std::string(3, '\0'));
    BOOST_TEST(inflate(clear.alpha) == std::string(1, '\0'));
}

BOOST_AUTO_TEST_CASE(what_is_not_a_png_is_a_clear_error) {
    for (const std::string& bad : {std::string(), std::string("GIF89a not a png"), std::string("\x89PNG\r\n\x1a\n", 8)}) {
        try {
            prepare_artwork(bad, "bad.png");
            BOOST_FAIL("accepted a file that is not a PNG");
        } catch (const SealInputError& e) {
            BOOST_TEST(e.code() == "seal.image");
            BOOST_TEST(std::string(e.what()).find("bad.png") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(prepared_once_then_kept_in_memory_and_in_the_cache_folder) {
    TempDir dir;
    const fs::path cache = dir.path / "cache" / "seal-appearance";
    const std::string png = png_of(2, 2, std::string(16, '\x7F'), true);
    const Artwork fresh = prepare_artwork(png, "test");
    forget_kept_artworks();

    const auto first = prepared_artwork(png, "test", cache);
    BOOST_TEST(same(*first, fresh));
    BOOST_REQUIRE(files_in(cache) == 1u);  // one file, no temporary left behind
    const fs::path file = fs::directory_iterator(cache)->path();
    BOOST_TEST(file.extension() == ".art");
    BOOST_TEST(file.stem().string().size() == 64u);  // the PNG's SHA-256 in hex
    BOOST_TEST(((fs::status(cache).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none));
    const std::string written = slurp(file);

    // Within the process: the same prepared artwork, the folder not even read.
    fs::remove(file);
    BOOST_TEST(prepared_artwork(png, "test", cache).get() == first.get());
    BOOST_TEST(files_in(cache) == 0u);
    spit(file, written);

    // A new process (memory forgotten) reads the folder: the same artwork.
    forget_kept_artworks();
    const auto again = prepared_artwork(png, "test", cache);
    BOOST_TEST(again.get() != first.get());
    BOOST_TEST(same(*again, fresh));

    // A damaged file, a truncated one and another artwork's file under this name are ignored and
    // replaced by the right one.
    std::string flipped = written;
    flipped[written.size() - 40] = static_cast<char>(flipped[written.size() - 40] ^ 0x5A);
    for (const std::string& damaged : {flipped, written.substr(0, written.size() / 2), std::string("OWSA1\n")}) {
        spit(file, damaged);
        forget_kept_artworks();
        BOOST_TEST(same(*prepared_artwork(png, "test", cache), fresh));
        BOOST_TEST(slurp(file) == written);
    }
    const std::string png2 = png_of(1, 1, std::string("\x01\x02\x03\xFF", 4), true);
    forget_kept_artworks();
    prepared_artwork(png2, "test", cache);
    const fs::path file2 = [&] {
        for (const auto& e : fs::directory_iterator(cache))
            if (e.path() != file) return e.path();
        return fs::path();
    }();
    BOOST_REQUIRE(!file2.empty());
    spit(file, slurp(file2));  // the other artwork's (valid) file under this PNG's name
    forget_kept_artworks();
    BOOST_TEST(same(*prepared_artwork(png, "test", cache), fresh));

    // A cache folder that cannot be made only costs time.
    spit(dir.path / "a-file", "x");
    forget_kept_artworks();
    BOOST_TEST(same(*prepared_artwork(png, "test", dir.path / "a-file" / "cache"), fresh));
}

BOOST_AUTO_TEST_CASE(a_stamp_takes_the_png_as_bytes_or_as_a_file_alike) {
    TempDir dir;
    const DemoSeal demo = make_demo_seal("缓存测试局", dir.path / "demo", {}, DemoKey::ec_p256);
    const SigningKey key = SigningKey::from_pkcs12(demo.p12, demo.pin_file);
    const fs::path in = fs::path(OW_TEST_DATA) / "seal" / "gs.pdf";
    StampOptions opt;
    opt.placement.rect = Rect{40, 40, 100, 100};
    opt.appearance_cache = dir.path / "cache";
    opt.image = demo.png;
    const auto by_file = stamp(in, dir.path / "file.pdf", key, opt);
    opt.image.reset();
    opt.image_png = slurp(demo.png);
    const auto by_bytes = stamp(in, dir.path / "bytes.pdf", key, opt);
    // Both carry the prepared artwork's streams, byte for byte.
    const auto art = prepared_artwork(slurp(demo.png), "test", std::nullopt);
    for (const char* f : {"file.pdf", "bytes.pdf"}) {
        BOOST_TEST(slurp(dir.path / f).find(art->rgb) != std::string::npos);
        BOOST_TEST(slurp(dir.path / f).find(art->alpha) != std::string::npos);
    }
    BOOST_TEST(by_file.bytes_added > art->rgb.size() + art->alpha.size());
    BOOST_TEST(by_bytes.bytes_added > art->rgb.size() + art->alpha.size());
    BOOST_TEST(files_in(dir.path / "cache") == 1u);
    VerifyOptions vo;
    vo.roots = demo.ca_pem;
    for (const char* f : {"file.pdf", "bytes.pdf"}) BOOST_TEST(verify(dir.path / f, vo).ok());
    // Not a PNG: refused before anything is written.
    opt.image_png = std::string("not a png");
    BOOST_CHECK_THROW(stamp(in, dir.path / "bad.pdf", key, opt), SealInputError);
    BOOST_TEST(!fs::exists(dir.path / "bad.pdf"));
}

BOOST_AUTO_TEST_SUITE_END()
