// The seal's artwork as a PDF image: the PNG decoded once, its colour and alpha deflated for an
// /Image XObject with an /SMask. Prepared once per artwork and kept (see prepared_artwork).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace ow::seal {

struct Artwork {
    int width = 0, height = 0;
    std::string rgb;    // deflated 8-bit RGB
    std::string alpha;  // deflated 8-bit gray (empty when opaque)
};

/// Decodes a PNG (any colour type libpng reads; 8 bits per channel out, alpha not premultiplied)
/// and deflates it. Throws SealInputError "seal.image" for bytes that are not a readable PNG.
Artwork prepare_artwork(const std::string& png, const std::string& what);

/// The prepared artwork of these PNG bytes: from this process's memory (the last few artworks,
/// keyed by the PNG's SHA-256), else from `cache_dir` when given (one file per artwork, checked by
/// its own digest; a damaged or foreign file is ignored and replaced), else prepared now and kept
/// in both. The cache only ever saves time: a cache that cannot be read or written is skipped.
std::shared_ptr<const Artwork> prepared_artwork(const std::string& png, const std::string& what,
                                                const std::optional<std::filesystem::path>& cache_dir);

/// Forgets the artworks kept in memory (tests: the next call reads the cache folder).
void forget_kept_artworks();

}  // namespace ow::seal
