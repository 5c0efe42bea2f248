// idcard-sim — serves synthetic test cards as an ID card reader would.
// Actions:
//   read  {"index": N} or {"id_number": "..."}  → the card (default: the first one);
//         {"simulate": "no_card" | "unavailable"} → that failure, for testing the desk's fallback.
//   list  {} → {"cards": [{"index", "name", "id_number"}]}
// The cards file is checked when the plugin starts: every card complete and every ID number valid.
#include "idcard_text.h"
#include "onewindow/plugin_sdk.h"
#include "ow/core/json_reader.h"
#include "ow/core/validators.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace {

using nlohmann::json;
namespace sdk = ow::plugin_sdk;

class IdCardSim : public sdk::Plugin {
public:
    explicit IdCardSim(const json& config) {
        std::filesystem::path dir = config.value("plugin_dir", std::string("."));
        std::filesystem::path file =
            config.value("settings", json::object()).value("cards_file", std::string("cards.json"));
        if (const char* env = std::getenv("ONEWINDOW_IDCARD_SIM_CARDS"); env && *env) file = env;
        if (file.is_relative()) file = dir / file;
        try {
            json doc = ow::core::read_json_file(file);
            ow::core::JsonReader r(doc, file.filename().string());
            auto list = r.at("cards");
            list.array();
            if (list.size() == 0) list.fail("no cards");
            for (std::size_t i = 0; i < list.size(); ++i) {
                auto c = list.at(i);
                auto card = ow::idcard::card_from_json(c);
                auto check = ow::core::check_resident_id(card.id_number);
                if (!check.valid || check.legacy)
                    c.fail_at("id_number", "not a valid 18-digit ID number: " + check.reason);
                if (check.birth && *check.birth != card.birth) c.fail_at("birth", "does not match the ID number");
                cards_.push_back(std::move(card));
            }
        } catch (const ow::core::Error& e) {
            throw sdk::failed("bad_cards_file", e.what());
        }
    }

    json call(const std::string& action, const json& request) override {
        if (action == "list") {
            json out = json::array();
            for (std::size_t i = 0; i < cards_.size(); ++i)
                out.push_back({{"index", i}, {"name", cards_[i].name}, {"id_number", cards_[i].id_number}});
            return {{"cards", out}};
        }
        if (action != "read") throw sdk::unknown_action(action);
        if (request.contains("simulate")) {
            std::string what = request["simulate"].is_string() ? request["simulate"].get<std::string>() : "";
            if (what == "no_card") throw sdk::failed("no_card", "no card on the reader");
            if (what == "unavailable") throw sdk::unavailable("no_reader", "no ID card reader is connected");
            throw sdk::bad_request("simulate must be no_card or unavailable");
        }
        std::size_t index = 0;
        if (request.contains("id_number")) {
            if (!request["id_number"].is_string()) throw sdk::bad_request("id_number must be a string");
            std::string want = request["id_number"];
            index = cards_.size();
            for (std::size_t i = 0; i < cards_.size(); ++i)
                if (cards_[i].id_number == want) index = i;
            if (index == cards_.size()) throw sdk::failed("no_card", "no test card with that ID number");
        } else if (request.contains("index")) {
            if (!request["index"].is_number_unsigned() || request["index"].get<std::size_t>() >= cards_.size())
                throw sdk::bad_request("index must be 0.." + std::to_string(cards_.size() - 1));
            index = request["index"].get<std::size_t>();
        }
        json out = ow::idcard::to_json(cards_[index], "idcard-sim");
        out["id_valid"] = true;
        return out;
    }

private:
    std::vector<ow::idcard::IdCard> cards_;
};

}  // namespace

OW_PLUGIN_DEFINE(IdCardSim, "idcard-sim", OW_PLUGIN_VERSION)
