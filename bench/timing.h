// Small timing helpers shared by the bench executables (bench_queues, bench_desk): milliseconds
// since a point, and p50/p95/max of a sample as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

namespace ow::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

inline nlohmann::json percentiles(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double p) { return v.empty() ? 0.0 : v[std::min(v.size() - 1, std::size_t(p * double(v.size())))]; };
    return {{"n", v.size()}, {"p50_ms", at(0.50)}, {"p95_ms", at(0.95)}, {"max_ms", v.empty() ? 0.0 : v.back()}};
}

}  // namespace ow::bench
