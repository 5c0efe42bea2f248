// libFuzzer: any bytes as what a plugin side sends. The first byte picks the reader, the rest is
// the text:
//   0: the helper's first line (hello) as the host reads it;
//   1: the helper's answer line to a call as the host reads it;
//   2: a plugin's answer text (any status) as the helper wraps it; the wrapped line must then
//      read back in the host as an answer or a plugin error — never as garbage;
//   3: a plugin.json manifest;
//   4: the 256-byte text block of a resident ID card as a reader delivers it (zero-padded or cut
//      to 256 bytes), decoded and turned into the id_reader answer;
//   5: a card in the JSON shape of the id_reader answer (idcard-sim's cards file).
// Nothing may throw except the documented errors (PluginError for a manifest, DecodeError for a
// text block, core::InvalidData for a card); an answer always converts to JSON text.
#include "idcard_text.h"
#include "onewindow/plugin.h"
#include "ow/plugins/errors.h"
#include "ow/plugins/manifest.h"
#include "protocol.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>
#include <string_view>

namespace protocol = ow::plugins::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned selector = data[0];
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (selector % 6) {
    case 0: (void)protocol::parse_hello(text); break;
    case 1: (void)protocol::parse_answer(text, 1 + selector / 4 % 3, "read"); break;
    case 2: {
        const int status = int(selector / 4 % 8) - 1;  // kFatal … beyond OW_PLUGIN_FAILED
        const std::uint64_t id = 7;
        auto reply = protocol::reply_for(id, "scan", status, std::string(text), 4096);
        auto back = protocol::parse_answer(protocol::to_line(reply.message), id, "scan");
        if (back.kind == protocol::Answer::Kind::garbage) {
            std::fprintf(stderr, "the helper's message reads as garbage: %s\n", back.message.c_str());
            std::abort();
        }
        if (reply.fatal != (back.kind == protocol::Answer::Kind::error && back.status == protocol::kFatal)) std::abort();
        break;
    }
    case 3: {
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded()) break;
        try {
            auto m = ow::plugins::parse_manifest(j, "/plugins/fuzz/plugin.json");
            (void)ow::plugins::to_json(m).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            (void)m.library_path();
        } catch (const ow::plugins::PluginError&) {
        }
        break;
    }
    case 4: {
        std::vector<std::uint8_t> block(text.begin(), text.end());
        block.resize(ow::idcard::kTextBlockSize);
        try {
            auto card = ow::idcard::decode_text_block(block);
            (void)ow::idcard::to_json(card, "idcard-sdt").dump();
        } catch (const ow::idcard::DecodeError&) {
        }
        break;
    }
    case 5: {
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded()) break;
        try {
            auto card = ow::idcard::card_from_json(ow::core::JsonReader(j, "cards.json"));
            (void)ow::idcard::to_json(card, "idcard-sim").dump();
        } catch (const ow::core::InvalidData&) {
        }
        break;
    }
    }
    return 0;
}
