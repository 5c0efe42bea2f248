#include "faults.h"

#include "util.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>

namespace ow::sim {

using nlohmann::json;

Faults::Faults(FaultConfig config) : config_(std::move(config)) {
    rng_.seed(config_.seeded ? config_.seed : std::random_device{}());
}

double Faults::next() { return double(rng_() >> 11) * (1.0 / 9007199254740992.0); }

std::uint64_t Faults::uniform(std::uint64_t n) {
    std::lock_guard<std::mutex> g(mu_);
    return n ? rng_() % n : 0;
}

FaultPlan Faults::draw(bool malformed_eligible) {
    FaultPlan p;
    std::lock_guard<std::mutex> g(mu_);
    // Always the same number of draws per request, so a seed gives the same sequence.
    const double f = next(), fkind = next(), r = next(), rwhen = next(), t = next(), m = next(), mkind = next();
    if (f < config_.fail_rate) {
        p.fail_status = fkind < 0.5 ? 503 : 500;
        p.retry_after = p.fail_status == 503 && fkind < 0.25;
        return p;
    }
    if (r < config_.reset_rate) {
        (rwhen < 0.5 ? p.reset_before : p.reset_after) = true;
        if (p.reset_before) return p;
    }
    if (t < config_.truncate_rate) p.truncate = true;
    if (malformed_eligible && m < config_.malformed_rate && !config_.malformed_kinds.empty()) {
        const auto n = config_.malformed_kinds.size();
        p.malformed = config_.malformed_kinds[std::min(n - 1, std::size_t(mkind * double(n)))];
    }
    return p;
}

namespace {

bool same_endpoint(const sockaddr_storage& a, const std::string& addr, int port) {
    char buf[INET6_ADDRSTRLEN] = "";
    int p = -1;
    if (a.ss_family == AF_INET) {
        const auto* s = reinterpret_cast<const sockaddr_in*>(&a);
        inet_ntop(AF_INET, &s->sin_addr, buf, sizeof buf);
        p = ntohs(s->sin_port);
    } else if (a.ss_family == AF_INET6) {
        const auto* s = reinterpret_cast<const sockaddr_in6*>(&a);
        inet_ntop(AF_INET6, &s->sin6_addr, buf, sizeof buf);
        p = ntohs(s->sin6_port);
    } else {
        return false;
    }
    return p == port && (addr.empty() || addr == buf);
}

template <class F>
void for_each_socket(F&& f) {
    DIR* d = opendir("/proc/self/fd");
    if (!d) return;
    std::vector<int> fds;
    while (auto* e = readdir(d)) {
        char* end = nullptr;
        const long fd = std::strtol(e->d_name, &end, 10);
        if (end && *end == '\0' && fd > 2 && fd != dirfd(d)) fds.push_back(int(fd));
    }
    closedir(d);
    for (int fd : fds) {
        sockaddr_storage local{}, peer{};
        socklen_t ll = sizeof local, lp = sizeof peer;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &ll) != 0) continue;
        if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &lp) != 0) continue;
        if (f(fd, local, peer)) break;
    }
}

}  // namespace

bool reset_connection(const httplib::Request& req) {
    bool done = false;
    for_each_socket([&](int fd, const sockaddr_storage& local, const sockaddr_storage& peer) {
        if (!same_endpoint(local, req.local_addr, req.local_port) || !same_endpoint(peer, req.remote_addr, req.remote_port))
            return false;
        linger l{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        // Disconnecting a connected TCP socket (AF_UNSPEC) sends a RST at once, without a FIN first;
        // httplib's own write then fails and it closes the (now unconnected) descriptor.
        sockaddr sa{};
        sa.sa_family = AF_UNSPEC;
        (void)::connect(fd, &sa, sizeof sa);
        done = true;
        return true;
    });
    return done;
}

void shutdown_connections(int local_port) {
    for_each_socket([&](int fd, const sockaddr_storage& local, const sockaddr_storage&) {
        if (same_endpoint(local, "", local_port)) ::shutdown(fd, SHUT_RDWR);
        return false;
    });
}

namespace {

/// A 64 MiB body that is valid JSON in shape but far too large for a terminal to accept.
void make_huge(httplib::Response& res, const std::string& route) {
    constexpr std::size_t kSize = 64u << 20;
    auto head = std::make_shared<std::string>(route == "push" ? "{\"results\":[],\"padding\":\""
                                              : route == "changes" ? "{\"changes\":[],\"next_cursor\":\"\",\"has_more\":false,\"padding\":\""
                                                                   : "{\"version\":\"x\",\"unchanged\":true,\"entries\":[],\"has_more\":false,\"padding\":\"");
    res.body.clear();
    res.headers.erase("Content-Type");
    res.set_content_provider(kSize, "application/json", [head](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::string piece;
        const std::size_t n = std::min<std::size_t>(length, 64 * 1024);
        piece.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t at = offset + i;
            if (at < head->size()) piece.push_back((*head)[at]);
            else if (at == kSize - 2) piece.push_back('"');
            else if (at == kSize - 1) piece.push_back('}');
            else piece.push_back('x');
        }
        return sink.write(piece.data(), piece.size());
    });
}

}  // namespace

void make_malformed(httplib::Response& res, const std::string& kind, const std::string& route, Faults& faults) {
    if (kind == "huge") return make_huge(res, route);
    if (kind == "json") {
        const std::size_t n = res.body.size();
        res.body.resize(n > 1 ? 1 + std::size_t(faults.uniform(n - 1)) : 0);
        return;
    }
    json j = json::parse(res.body, nullptr, false);
    if (!j.is_object()) return;
    if (kind == "types") {
        if (route == "push") {
            if (j["results"].is_array() && !j["results"].empty()) j["results"][0]["status"] = 1;
            else j["results"] = "none";
        } else if (route == "changes") {
            if (j["changes"].is_array() && !j["changes"].empty()) j["changes"][0]["at"] = 12345;
            else j["has_more"] = "false";
        } else {
            if (j["entries"].is_array() && !j["entries"].empty()) j["entries"][0]["body"] = "item";
            else j["unchanged"] = "yes";
        }
    } else {  // enum
        if (route == "push") {
            if (j["results"].is_array() && !j["results"].empty()) j["results"][0]["status"] = "postponed";
            else j["results"] = json::array({{{"mutation_id", ""}, {"status", "postponed"}}});
        } else if (route == "changes") {
            // An extra change of a type no terminal knows (kept by the terminal as a problem record).
            j["changes"].push_back({{"change_id", "chg-fault-" + random_hex(4)}, {"case_id", "00000000-0000-7000-8000-000000000000"},
                                    {"case_no", ""}, {"type", "teleported"}, {"at", Clock::iso_now()}});
        } else {
            j["entries"].push_back({{"type", "widget"}, {"body", json::object()}});
        }
    }
    res.body = dump(j);
}

void make_streamed(httplib::Response& res, std::size_t limit, std::int64_t drip_bps) {
    auto body = std::make_shared<std::string>(std::move(res.body));
    res.body.clear();
    std::string type = res.get_header_value("Content-Type");
    if (type.empty()) type = "application/json";
    res.headers.erase("Content-Type");
    const std::size_t piece = drip_bps > 0 ? std::size_t(std::max<std::int64_t>(1, drip_bps / 20)) : std::size_t(64 * 1024);
    res.set_content_provider(body->size(), type, [body, limit, piece, drip_bps](std::size_t offset, std::size_t, httplib::DataSink& sink) {
        if (offset >= limit) return false;  // the rest never comes: the connection is closed
        const std::size_t n = std::min({piece, limit - offset, body->size() - offset});
        if (drip_bps > 0)
            std::this_thread::sleep_for(std::chrono::microseconds(std::int64_t(n) * 1'000'000 / drip_bps));
        return sink.write(body->data() + offset, n);
    });
}

}  // namespace ow::sim
