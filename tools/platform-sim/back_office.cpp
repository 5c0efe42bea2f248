#include "back_office.h"

#include "appointments.h"
#include "auth.h"
#include "case_book.h"
#include "platform_db.h"
#include "server.h"
#include "util.h"

#include "ow/core/validators.h"
#include "ow/store/db.h"
#include "ow/store/db_errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace ow::sim {

using nlohmann::json;

namespace {

struct Due {
    std::int64_t id;
    std::string case_id, terminal, case_no, state, item_code, record;
    std::int64_t stage;
};

std::uint64_t case_hash(const std::string& case_id) {
    const std::string d = sha256_raw("back-office:" + case_id);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(d[std::size_t(i)]);
    return v;
}

std::string result_number(const std::string& result_name, const std::string& item_code, std::uint64_t h, std::int64_t now) {
    if (result_name == "营业执照") {
        static constexpr char kSym[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        std::string s = "92370102";
        for (int i = 0; i < 9; ++i) {
            s.push_back(kSym[h % 31]);
            h /= 31;
        }
        s.push_back(core::uscc_check_char(s));
        return s;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06llu", static_cast<unsigned long long>(h % 1000000));
    return item_code + "-" + Clock::china_day(now) + "-" + buf;
}

}  // namespace

void BackOffice::start() {
    stop_ = false;
    thread_ = std::thread([this] { run(); });
}

void BackOffice::stop() {
    {
        std::lock_guard<std::mutex> g(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void BackOffice::run() {
    const auto tick = std::chrono::milliseconds(std::clamp<std::int64_t>(after_ms_ / 4, 100, 1000));
    auto last_prune = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lk(mu_);
    while (!stop_) {
        cv_.wait_for(lk, tick, [this] { return stop_; });
        if (stop_) break;
        lk.unlock();
        try {
            while (step() > 0) {
                std::lock_guard<std::mutex> g(mu_);
                if (stop_) break;
            }
            if (std::chrono::steady_clock::now() - last_prune > std::chrono::seconds(60)) {
                auto lock = ctx_.pdb.lock();
                prune_auth_state(ctx_.pdb);
                last_prune = std::chrono::steady_clock::now();
            }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "back office: %s\n", e.what());
        }
        lk.lock();
    }
}

int BackOffice::step() {
    auto lock = ctx_.pdb.lock();
    auto& db = ctx_.pdb.db();
    store::Transaction tx(db);
    const std::int64_t now = Clock::now_ms();
    const std::int64_t cutoff = now - after_ms_;
    std::vector<Due> due;
    {
        auto& st = db.cached(
            "SELECT id, case_id, terminal, case_no, state, item_code, record, bo_stage FROM cases "
            "WHERE ((state IN ('accepted', 'escalated') AND bo_stage = 0) OR (state = 'under_review' AND bo_stage = 1) "
            "OR (state = 'approved' AND bo_stage = 2)) AND updated_ms <= ?1 AND bo_ms <= ?1 "
            // An immediate case is decided at the window, unless its department has no one in the hall
            // (事进人不进: the acceptance called it); then the department decides it from here.
            "AND (case_kind != '1' OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.case_id AND e.action = 'accept' "
            "AND json_extract(e.record, '$.data.remote_call.department') IS NOT NULL)) "
            "ORDER BY updated_ms LIMIT 200");
        st.bind(1, cutoff);
        while (st.step())
            due.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.int64(7)});
        st.reset();
    }
    CaseBook book(ctx_.pdb);
    int changes = 0;
    for (const Due& c : due) {
        const std::uint64_t h = case_hash(c.case_id);
        const auto it = ctx_.items.find(c.item_code);
        const ItemInfo info = it != ctx_.items.end() ? it->second : ItemInfo{};
        char officer[32];
        std::snprintf(officer, sizeof officer, "back-office-%02u", unsigned(h % 20 + 1));
        const std::string department = info.department.empty() ? "审批部门（训练）" : info.department;
        json base = {{"department", department}, {"officer", officer}, {"opinion", ""}, {"legal_basis", info.legal_basis}};
        if (c.state == "escalated" && cross_region_of(ctx_.pdb, c.case_id)) {
            // 通办: the other region decides, with its decision document (appointments.h).
            decide_cross_region(ctx_.pdb, ctx_.blobs, c.case_id, h % 10 != 0, "", now);
            ++changes;
            continue;
        }

        std::string type, new_state;
        std::int64_t new_stage = 0;
        if (c.state == "accepted") {
            type = "review_started";
            new_state = "under_review";
            new_stage = 1;
            base["opinion"] = "后台已受理，正在审查";
        } else if (c.state == "approved") {
            type = "result_ready";
            new_state = "approved";
            new_stage = 3;
            base["opinion"] = "审批结果已制作，可到窗口领取";
            base["result"] = {{"name", info.result_name.empty() ? "审批结果" : info.result_name},
                              {"number", result_number(info.result_name, c.item_code, h >> 8, now)},
                              {"ready_at", Clock::iso(now)}};
        } else {
            const auto roll = h % 10;
            json materials = json::array();
            if (c.state == "under_review" && roll == 1) {
                const json record = json::parse(c.record, nullptr, false);
                if (record.is_object() && record.contains("materials") && record["materials"].is_array()) {
                    for (const auto& m : record["materials"]) {
                        if (!m.is_object() || !m.contains("code") || !m["code"].is_string()) continue;
                        materials.push_back({{"material_code", m["code"]},
                                             {"status", materials.empty() ? "defective" : "missing"},
                                             {"note", materials.empty() ? "复印件不清晰，请提交清晰的复印件（训练数据）"
                                                                        : "缺少该材料，请补交（训练数据）"}});
                        if (materials.size() == 2) break;
                    }
                }
            }
            if (!materials.empty()) {
                type = "correction_requested";
                new_state = "correction_requested";
                new_stage = 4;
                base["opinion"] = "申请材料需补正，请按一次性告知书补齐";
                base["materials"] = std::move(materials);
            } else if (roll == 0) {
                type = "denied";
                new_state = "denied";
                new_stage = 3;
                base["opinion"] = "不符合法定条件，不予许可（训练数据）";
            } else {
                type = "approved";
                new_state = "approved";
                new_stage = 2;
                base["opinion"] = "材料齐全，符合法定条件，准予许可";
            }
        }
        book.add_change(c.terminal, c.case_id, c.case_no, type, std::move(base), now);
        db.cached("UPDATE cases SET state = ?2, bo_stage = ?3, bo_ms = ?4 WHERE id = ?1")
            .bind(1, c.id)
            .bind(2, new_state)
            .bind(3, new_stage)
            .bind(4, now)
            .run();
        ++changes;
    }
    tx.commit();
    return changes;
}

}  // namespace ow::sim
