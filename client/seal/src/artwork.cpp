// The seal's artwork: PNG → deflated RGB + alpha, prepared once per artwork (artwork.h).
#include "artwork.h"

#include "crypto.h"
#include "pdf_util.h"

#include "ow/core/error.h"
#include "ow/core/secure_file.h"
#include "ow/seal/errors.h"

#include <png.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <list>
#include <mutex>
#include <system_error>
#include <utility>


namespace ow::seal {

Artwork prepare_artwork(const std::string& png, const std::string& what) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, png.data(), png.size()))
        throw SealInputError("seal.image", "cannot read the seal image (PNG expected): " + what);
    struct Free {
        png_image* i;
        ~Free() { png_image_free(i); }
    } free_on_exit{&image};
    // The image's size decides what we allocate: a seal is a few hundred pixels a side.
    constexpr png_uint_32 kMaxSide = 8192;
    if (image.width == 0 || image.height == 0 || image.width > kMaxSide || image.height > kMaxSide)
        throw SealInputError("seal.image", "the seal image's size is out of range (1–8192 pixels a side): " + what);
    image.format = PNG_FORMAT_RGBA;  // 8 bits per channel, alpha not premultiplied
    std::string rgba(PNG_IMAGE_SIZE(image), '\0');
    if (!png_image_finish_read(&image, nullptr, rgba.data(), 0, nullptr))
        throw SealInputError("seal.image", "cannot read the seal image (" + std::string(image.message) + "): " + what);
    Artwork a;
    a.width = int(image.width);
    a.height = int(image.height);
    const std::size_t pixels = std::size_t(image.width) * image.height;
    std::string rgb(pixels * 3, '\0'), alpha(pixels, '\0');
    bool translucent = false;
    for (std::size_t i = 0; i < pixels; ++i) {
        const unsigned char al = static_cast<unsigned char>(rgba[4 * i + 3]);
        // A fully transparent pixel's colour is never seen: black, as before (cairo's premultiplied zero).
        for (int c = 0; c < 3; ++c) rgb[3 * i + std::size_t(c)] = al == 0 ? '\0' : rgba[4 * i + std::size_t(c)];
        alpha[i] = static_cast<char>(al);
        if (al != 0xFF) translucent = true;
    }
    a.rgb = pdf::deflate(rgb);
    if (translucent) a.alpha = pdf::deflate(alpha);
    return a;
}

namespace {

constexpr char kMagic[] = "OWSA1\n";  // OneWindow seal artwork, format 1
constexpr std::size_t kMagicSize = sizeof kMagic - 1;
constexpr std::size_t kKept = 8;  // artworks kept in memory (a centre has a handful of seals)

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint64_t get_u64(const std::string& in, std::size_t at) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[at + std::size_t(i)]);
    return v;
}

std::string digest_of(const std::string& a, const std::string& b = {}) {
    crypto::Sha256 h;
    h.update(a.data(), a.size());
    h.update(b.data(), b.size());
    const der::Bytes d = h.finish();
    return std::string(d.begin(), d.end());
}

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

/// The file: magic, width, height, |rgb|, |alpha|, rgb, alpha, SHA-256(png digest ‖ all before).
std::string serialise(const Artwork& a, const std::string& key) {
    std::string out(kMagic, kMagicSize);
    put_u64(out, std::uint64_t(a.width));
    put_u64(out, std::uint64_t(a.height));
    put_u64(out, a.rgb.size());
    put_u64(out, a.alpha.size());
    out += a.rgb;
    out += a.alpha;
    out += digest_of(key, out);
    return out;
}

std::optional<Artwork> deserialise(const std::string& in, const std::string& key) {
    constexpr std::size_t head = kMagicSize + 4 * 8, tail = 32;
    if (in.size() < head + tail || in.compare(0, kMagicSize, kMagic) != 0) return std::nullopt;
    const std::uint64_t w = get_u64(in, kMagicSize), h = get_u64(in, kMagicSize + 8);
    const std::uint64_t nrgb = get_u64(in, kMagicSize + 16), nalpha = get_u64(in, kMagicSize + 24);
    if (w == 0 || h == 0 || w > 8192 || h > 8192 || nrgb > in.size() || nalpha > in.size() ||
        head + nrgb + nalpha + tail != in.size())
        return std::nullopt;
    if (digest_of(key, in.substr(0, in.size() - tail)) != in.substr(in.size() - tail)) return std::nullopt;
    Artwork a;
    a.width = int(w);
    a.height = int(h);
    a.rgb = in.substr(head, nrgb);
    a.alpha = in.substr(head + nrgb, nalpha);
    return a;
}

std::optional<Artwork> read_cached(const std::filesystem::path& file, const std::string& key) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    try {
        return deserialise(pdf::read_file(file), key);
    } catch (const SealInputError&) {
        return std::nullopt;  // unreadable: prepared again
    }
}

/// Written whole (core::write_secret_file: a temporary renamed over the name, 0600, no symlink
/// followed): a reader sees the old file or the new one. Any failure only costs time.
void write_cached(const std::filesystem::path& dir, const std::filesystem::path& file, const std::string& bytes) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return;
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    try {
        core::write_secret_file(file, bytes);
    } catch (const core::Error&) {
        // not cached: prepared again next time
    }
}

struct Kept {
    std::mutex mutex;
    std::list<std::pair<std::string, std::shared_ptr<const Artwork>>> artworks;  // most recent first
};

Kept& kept_artworks() {
    static Kept k;
    return k;
}

}  // namespace

void forget_kept_artworks() {
    Kept& k = kept_artworks();
    std::lock_guard lock(k.mutex);
    k.artworks.clear();
}

std::shared_ptr<const Artwork> prepared_artwork(const std::string& png, const std::string& what,
                                                const std::optional<std::filesystem::path>& cache_dir) {
    Kept& k = kept_artworks();
    auto& mutex = k.mutex;
    auto& kept = k.artworks;
    const std::string key = digest_of(png);
    {
        std::lock_guard lock(mutex);
        for (auto it = kept.begin(); it != kept.end(); ++it)
            if (it->first == key) {
                kept.splice(kept.begin(), kept, it);
                return kept.front().second;
            }
    }
    std::shared_ptr<const Artwork> art;
    std::filesystem::path file;
    if (cache_dir) {
        file = *cache_dir / (hex(key) + ".art");
        if (auto a = read_cached(file, key)) art = std::make_shared<const Artwork>(std::move(*a));
    }
    if (!art) {
        art = std::make_shared<const Artwork>(prepare_artwork(png, what));
        if (cache_dir) write_cached(*cache_dir, file, serialise(*art, key));
    }
    std::lock_guard lock(mutex);
    kept.emplace_front(key, art);
    if (kept.size() > kKept) kept.pop_back();
    return art;
}

}  // namespace ow::seal
