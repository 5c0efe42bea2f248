// libFuzzer: any bytes as a PDF to verify (the signatures of a document someone hands in). verify()
// either reports on every signature or throws core::Error (SealInputError for what is not a
// readable PDF); the report always converts to JSON. With and without trusted roots.
#include "fuzz_files.h"
#include "ow/seal/seal.h"

#include <cstddef>
#include <cstdint>

namespace {

struct Fixture {
    ow::fuzz::ScratchDir dir;
    ow::seal::DemoSeal demo = ow::seal::make_demo_seal("模糊测试中心", dir.path() / "demo");
    std::filesystem::path input = dir.path() / "in.pdf";
};

}  // namespace

// fontconfig (reached through pango when the demo seal is drawn, once) keeps its caches to the end.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Fixture f;
    ow::fuzz::write_input(f.input, data, size);
    try {
        auto report = ow::seal::verify(f.input);
        (void)ow::seal::to_json(report);
        if (!report.signatures.empty()) {
            auto trusted = ow::seal::verify(f.input, {.roots = f.demo.ca_pem});
            (void)ow::seal::to_json(trusted);
            (void)trusted.ok();
        }
    } catch (const ow::core::Error&) {
    }
    return 0;
}
