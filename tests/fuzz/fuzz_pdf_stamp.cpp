// libFuzzer: any bytes as a PDF to seal (the document someone hands in), with a demo key made once
// per process: PAdES for inputs of even size, the SM2 profile for odd. stamp() either writes the
// sealed copy or throws core::Error and leaves no output; a sealed copy verifies: its new
// signature is intact (ByteRange, digest, signature) as verify() reads it.
#include "fuzz_files.h"
#include "ow/seal/seal.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

struct Fixture {
    ow::fuzz::ScratchDir dir;
    ow::seal::DemoSeal demo = ow::seal::make_demo_seal("模糊测试中心", dir.path() / "demo");
    ow::seal::SigningKey pades = ow::seal::SigningKey::from_pkcs12(demo.p12, demo.pin_file);
    ow::seal::SigningKey sm2 = ow::seal::SigningKey::from_pkcs12(demo.sm2_p12, demo.pin_file);
    std::filesystem::path input = dir.path() / "in.pdf";
    std::filesystem::path output = dir.path() / "out.pdf";
};

[[noreturn]] void broken(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_pdf_stamp: %s: %s\n", what, detail.c_str());
    std::abort();
}

}  // namespace

// fontconfig (reached through pango when the demo seal is drawn, once) keeps its caches to the end.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Fixture f;
    ow::fuzz::write_input(f.input, data, size);
    std::error_code ec;
    std::filesystem::remove(f.output, ec);

    ow::seal::StampOptions o;
    const bool sm2 = size % 2 == 1;
    if (sm2) {
        o.profile = ow::seal::Profile::sm2;
        o.ses_seal = f.demo.ses_seal;
    }
    o.placement.page = 1;
    o.placement.rect = ow::seal::Rect{36, 36, 90, 90};
    o.reason = "模糊测试";
    o.time = std::chrono::system_clock::time_point(std::chrono::seconds(1764547200));
    ow::seal::StampResult r;
    try {
        r = ow::seal::stamp(f.input, f.output, sm2 ? f.sm2 : f.pades, o);
    } catch (const ow::core::Error&) {
        if (std::filesystem::exists(f.output)) broken("stamp failed but left an output", "");
        return 0;
    }
    ow::seal::VerifyReport v;
    try {
        v = ow::seal::verify(f.output);
    } catch (const ow::core::Error& e) {
        broken("the sealed copy cannot be verified", e.what());
    }
    for (const auto& s : v.signatures) {
        if (s.field_name != r.field_name) continue;
        if (!s.byte_range_ok || !s.digest_ok || !s.signature_ok || !s.covers_whole_file)
            broken("the new seal does not verify", ow::seal::to_json(v));
        return 0;
    }
    broken("the new seal is not found by verify()", ow::seal::to_json(v));
}
