#include "ow/store/unlock_throttle.h"

#include "ow/store/errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

namespace ow::store {
namespace {

constexpr std::size_t kMaxEntries = 256;  // unknown names are counted too; the oldest go first
constexpr std::size_t kMaxFileBytes = 1 << 20;

struct Entry {
    long long failures = 0, unaudited = 0, last = 0;  // last: seconds since the epoch
};

using Entries = std::map<std::string, Entry>;

/// The file's entries; a damaged file counts as `damaged` = true (the caller treats every
/// user as having used the free attempts, and rewrites it).
Entries parse(const std::string& text, bool& damaged) {
    Entries out;
    damaged = false;
    if (text.empty()) return out;
    try {
        auto doc = nlohmann::json::parse(text);
        if (doc.value("format", "") != "onewindow-unlock") throw std::runtime_error("format");
        for (const auto& [who, e] : doc.at("entries").items()) {
            Entry x{e.at("failures").get<long long>(), e.at("unaudited").get<long long>(), e.at("last").get<long long>()};
            if (x.failures < 0 || x.unaudited < 0) throw std::runtime_error("negative");
            out[who] = x;
        }
    } catch (const std::exception&) {
        damaged = true;
        out.clear();
    }
    return out;
}

std::string serialise(const Entries& entries) {
    nlohmann::json e = nlohmann::json::object();
    for (const auto& [who, x] : entries)
        if (x.failures > 0 || x.unaudited > 0) e[who] = {{"failures", x.failures}, {"unaudited", x.unaudited}, {"last", x.last}};
    return nlohmann::json({{"format", "onewindow-unlock"}, {"format_version", 1}, {"entries", e}}).dump() + "\n";
}

#if !defined(_WIN32)
class LockedFile {
public:
    LockedFile(const std::filesystem::path& path, bool writable) {
        if (writable) {
            fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (fd_ < 0 && (errno == EROFS || errno == EACCES)) writable = false;
            else if (fd_ < 0) throw StoreError("store.io", "cannot open " + path.string() + ": " + std::strerror(errno));
        }
        if (!writable) {
            fd_ = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            if (fd_ < 0) return;  // nothing recorded on read-only media: no wait either
        }
        writable_ = writable;
        if (::flock(fd_, writable ? LOCK_EX : LOCK_SH) != 0)
            throw StoreError("store.io", "cannot lock " + path.string() + ": " + std::strerror(errno));
    }
    ~LockedFile() {
        if (fd_ >= 0) ::close(fd_);  // releases the lock
    }
    std::string read() const {
        std::string text;
        if (fd_ < 0) return text;
        char buf[4096];
        off_t off = 0;
        for (;;) {
            ssize_t n = ::pread(fd_, buf, sizeof buf, off);
            if (n <= 0 || text.size() > kMaxFileBytes) break;
            text.append(buf, std::size_t(n));
            off += n;
        }
        return text;
    }
    /// Rewrites in place (the lock is on this inode, so no rename). False when it could not.
    bool write(const std::string& text) const {
        if (fd_ < 0 || !writable_) return false;
        return ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, text.data(), text.size(), 0) == ssize_t(text.size()) &&
               ::fsync(fd_) == 0;
    }

private:
    int fd_ = -1;
    bool writable_ = false;
};
#else
class LockedFile {  // Windows: not yet (the desk's Windows build has no back-off file)
public:
    LockedFile(const std::filesystem::path&, bool) {}
    std::string read() const { return {}; }
    bool write(const std::string&) const { return false; }
};
#endif

long long seconds_since_epoch(UnlockThrottle::Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void trim(Entries& entries) {
    while (entries.size() > kMaxEntries) {
        auto oldest = entries.begin();
        for (auto it = entries.begin(); it != entries.end(); ++it)
            if (it->second.last < oldest->second.last) oldest = it;
        entries.erase(oldest);
    }
}

/// Seconds `e` must still wait at `now` (0: may try). A clock set back does not lengthen the wait
/// beyond one delay.
long long wait_for(const BackoffPolicy& policy, const Entry& e, long long now) {
    long long delay = policy.delay_after(e.failures).count();
    if (delay <= 0) return 0;
    return std::max(0LL, std::min(delay, e.last + delay - now));
}

}  // namespace

std::chrono::seconds BackoffPolicy::delay_after(long long failures) const {
    if (failures <= free_failures) return std::chrono::seconds(0);
    long long d = first_delay.count();
    for (long long i = free_failures + 1; i < failures && d < max_delay.count(); ++i) d *= 2;
    return std::chrono::seconds(std::min(d, static_cast<long long>(max_delay.count())));
}

UnlockThrottle::UnlockThrottle(std::filesystem::path dir, BackoffPolicy policy, std::function<Clock::time_point()> now,
                               bool writable)
    : path_(std::move(dir) / kFileName), policy_(policy), now_(now ? std::move(now) : [] { return Clock::now(); }),
      writable_(writable) {}

void UnlockThrottle::attempt(const std::string& who, const std::function<void()>& attempt) {
    LockedFile file(path_, writable_);
    bool damaged = false;
    Entries entries = parse(file.read(), damaged);
    Entry& e = entries[who];
    if (damaged) e.failures = policy_.free_failures;  // a damaged file gives no free attempts
    long long now = seconds_since_epoch(now_());
    if (long long wait = wait_for(policy_, e, now); wait > 0) {
        std::string name = who == kRecovery ? std::string("the recovery key") : "user '" + who + "'";
        throw TooManyAttempts("too many wrong passwords in a row for " + name + ": try again in " + std::to_string(wait) +
                                  " s",
                              wait);
    }
    try {
        attempt();
    } catch (const AuthError&) {
        ++e.failures;
        ++e.unaudited;
        e.last = now;
        trim(entries);
        file.write(serialise(entries));  // a full disk loses this count; the AuthError still stands
        throw;
    }
    if (e.failures != 0 || damaged) {
        e.failures = 0;
        file.write(serialise(entries));
    }
}

std::vector<UnlockThrottle::Unaudited> UnlockThrottle::unaudited() {
    LockedFile file(path_, false);
    bool damaged = false;
    std::vector<Unaudited> out;
    for (const auto& [who, e] : parse(file.read(), damaged))
        if (e.unaudited > 0) out.push_back({who, e.unaudited, Clock::time_point(std::chrono::seconds(e.last))});
    return out;
}

void UnlockThrottle::mark_audited(const std::string& who, long long count) {
    if (count <= 0) return;
    LockedFile file(path_, writable_);
    bool damaged = false;
    Entries entries = parse(file.read(), damaged);
    auto it = entries.find(who);
    if (damaged || it == entries.end()) return;
    it->second.unaudited = std::max(0LL, it->second.unaudited - count);
    file.write(serialise(entries));
}

long long UnlockThrottle::failures(const std::string& who) {
    LockedFile file(path_, false);
    bool damaged = false;
    Entries entries = parse(file.read(), damaged);
    auto it = entries.find(who);
    return it == entries.end() ? 0 : it->second.failures;
}

std::chrono::seconds UnlockThrottle::wait(const std::string& who) {
    LockedFile file(path_, false);
    bool damaged = false;
    Entries entries = parse(file.read(), damaged);
    Entry e;
    if (auto it = entries.find(who); it != entries.end()) e = it->second;
    if (damaged) e.failures = policy_.free_failures;  // as attempt(): no free attempts, but no wait yet
    return std::chrono::seconds(wait_for(policy_, e, seconds_since_epoch(now_())));
}

}  // namespace ow::store
