// Fault injection, only with the fault flags. Every request draws its faults from one RNG
// (--seed): a 503 (half of them with Retry-After: 1) or 500 before anything is done; a TCP reset
// (a real RST) before the request is read or after its effects were committed; a truncated body
// (full Content-Length, part of the body, then close); a malformed 200 body (cut JSON, wrong
// types, unknown enum codes, 64 MiB) on the feed, the catalogue and push answers; a slow drip of
// every body; a delay before every answer. Effects are committed in transactions before any
// post-commit fault, so a fault never leaves the database half-written.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace ow::sim {

struct FaultConfig {
    double fail_rate = 0, reset_rate = 0, truncate_rate = 0, malformed_rate = 0;
    std::vector<std::string> malformed_kinds{"json", "types", "enum", "huge"};
    std::int64_t latency_ms = 0;
    std::int64_t drip_bps = 0;
    double cut_uploads_at = -1;  // < 0: off
    std::uint64_t seed = 0;
    bool seeded = false;
};

struct FaultPlan {
    int fail_status = 0;  // 503 or 500
    bool retry_after = false;
    bool reset_before = false, reset_after = false;
    bool truncate = false;
    std::string malformed;  // kind, or empty
};

class Faults {
public:
    explicit Faults(FaultConfig config);
    const FaultConfig& config() const { return config_; }
    /// The faults of one request (`malformed_eligible`: a feed, catalogue or push request).
    FaultPlan draw(bool malformed_eligible);
    /// A uniform number in [0, n).
    std::uint64_t uniform(std::uint64_t n);

private:
    double next();
    FaultConfig config_;
    std::mutex mu_;
    std::mt19937_64 rng_;
};

/// Resets the request's TCP connection now (RST, no FIN): finds the socket by the request's
/// local and remote address, sets SO_LINGER {1, 0} and disconnects it. False if not found.
bool reset_connection(const httplib::Request& req);

/// Shuts down every accepted connection of the listening port (a quick stop: idle keep-alive
/// connections end at once instead of after their timeout).
void shutdown_connections(int local_port);

/// Replaces a 200 JSON body by a malformed one of `kind` for `route` ("changes", "catalogue",
/// "push"). `pick` draws random numbers.
void make_malformed(httplib::Response& res, const std::string& kind, const std::string& route, Faults& faults);

/// Sends the body through a provider: at most `limit` bytes (then the connection fails: a
/// truncated body) and, when `drip_bps` > 0, in small pieces at that rate.
void make_streamed(httplib::Response& res, std::size_t limit, std::int64_t drip_bps);

}  // namespace ow::sim
