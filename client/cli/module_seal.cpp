// The light seal module (onewindow-cli-seal): `seal stamp` and `seal verify` with OpenSSL, qpdf
// and libpng only (ow_seal_lite). A stamp placed by anchor text (Poppler) or timestamped by an
// authority (libcurl), `seal demo` (pango), `seal timestamp` and every --help go to the full module.
#include "cli.h"

extern "C" __attribute__((visibility("default"))) int ow_cli_main(int argc, char** argv) {
    return ow::cli::run_commands(argc, argv, {true, ow::cli::register_seal_commands});
}
