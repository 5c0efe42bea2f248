// find_anchor for ow_seal_lite (no PDF text search, hence no Poppler): an anchor is refused. The
// light command-line module (client/cli) hands a stamp with --anchor to the full module instead.
#include "ow/seal/seal.h"

namespace ow::seal {

AnchorHit find_anchor(const std::filesystem::path&, const std::string&) {
    throw SealInputError("seal.anchor_unavailable",
                         "this build of the seal library has no PDF text search: place the seal with a page and a rectangle");
}

}  // namespace ow::seal
