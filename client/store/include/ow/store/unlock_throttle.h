// Back-off after wrong passwords (等保 level 3, 登录失败处理). The count of wrong passwords in a
// row is kept per user name (and for the recovery key) in <store>/unlock.json, outside the
// encrypted database because it is needed before the store is unlocked, so it survives a restart.
// While a user must wait, the password is not even tried: the attempt is refused at once with
// TooManyAttempts (no sleep, so parallel processes cannot queue up guesses). Every attempt runs
// under an exclusive lock of the file, so parallel attempts are counted one by one.
// Figures (BackoffPolicy defaults): the first 3 wrong passwords in a row cost nothing; after the
// 4th the next attempt waits 1 s, then 2, 4, 8 … up to 300 s (5 min) per attempt; a correct
// password resets the count. Wrong passwords not yet written to the audit trail are remembered
// until a writable open (by anyone) records them.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ow::store {

struct BackoffPolicy {
    int free_failures = 3;                 ///< wrong passwords in a row that cost no wait
    std::chrono::seconds first_delay{1};   ///< wait after free_failures + 1
    std::chrono::seconds max_delay{300};   ///< the wait doubles up to this
    /// The wait before the next attempt after `failures` wrong passwords in a row.
    std::chrono::seconds delay_after(long long failures) const;
};

class UnlockThrottle {
public:
    using Clock = std::chrono::system_clock;
    static constexpr const char* kFileName = "unlock.json";

    /// `now` empty: the system clock. `writable` false (read-only media): waits are enforced
    /// from the file if it can be read, nothing is recorded.
    UnlockThrottle(std::filesystem::path dir, BackoffPolicy policy = {}, std::function<Clock::time_point()> now = {},
                   bool writable = true);

    /// Runs `attempt` for `who` (a user name, or kRecovery) under the file's lock. Throws
    /// TooManyAttempts without calling it while `who` must wait; an AuthError from `attempt` is
    /// counted and rethrown; success resets the count. StoreError when the file cannot be opened.
    void attempt(const std::string& who, const std::function<void()>& attempt);

    struct Unaudited {
        std::string who;
        long long wrong = 0;  ///< wrong passwords not yet in the audit trail
        Clock::time_point last;
    };
    /// Every name (known or not) and the recovery key with wrong passwords not yet audited.
    std::vector<Unaudited> unaudited();
    /// Forgets `count` unaudited wrong passwords of `who` once they are in the audit trail.
    void mark_audited(const std::string& who, long long count);
    /// Wrong passwords in a row so far (tests, diagnostics, the lock screen).
    long long failures(const std::string& who);
    /// How long `who` must still wait before a password is tried (0 when it may be tried now),
    /// by the same rule attempt() applies; the file is only read. For the lock screen's countdown.
    std::chrono::seconds wait(const std::string& who);

    static constexpr const char* kRecovery = "\x01recovery";  ///< `who` for the recovery key

private:
    std::filesystem::path path_;
    BackoffPolicy policy_;
    std::function<Clock::time_point()> now_;
    bool writable_;
};

}  // namespace ow::store
