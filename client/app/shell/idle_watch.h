// IdleWatch: when the desk should lock for want of input (the idle lock), free of wx so tests
// drive it with their own clock. The view calls touch() on every key and mouse event and polls
// due() from a timer (about once a second); when due() says so, the shell locks (DeskServices::
// lock, the lock screen over the kept screen) and calls locked(); after the next sign-in it calls
// unlocked(). The idle time comes from settings/desk_settings.h (idle_lock); store::IdleLock is
// the CLI-side cousin that locks a bare Store, the desk needs more than that on lock.
#pragma once

#include <chrono>
#include <functional>

namespace ow::app {

class IdleWatch {
public:
    using Clock = std::chrono::steady_clock;

    /// `idle`: how long without input before due(); zero or less: never (screenshots, tests —
    /// the settings offer no "never", see kIdleLockMin). `now` empty: the steady clock. Starts
    /// unlocked, counting from now.
    explicit IdleWatch(std::chrono::seconds idle, std::function<Clock::time_point()> now = {});

    /// Input happened: the idle time starts again (while locked it changes nothing that shows:
    /// unlocked() starts afresh anyway).
    void touch();
    /// True once the idle time has passed since the last input (or since unlocked()), until
    /// locked() is called; false while locked or when disabled.
    bool due() const;
    /// Time left before due(), rounded up to a second (zero once due); for a warning before the
    /// lock. Zero while locked or disabled.
    std::chrono::seconds remaining() const;
    /// The desk is locked now: due() stays false until unlocked().
    void locked();
    /// Signed in again: counting starts afresh from now.
    void unlocked();
    /// A new idle time (the settings changed): counting starts afresh from now.
    void set_idle(std::chrono::seconds idle);

    bool is_locked() const { return locked_; }
    bool enabled() const { return idle_.count() > 0; }
    std::chrono::seconds idle() const { return idle_; }

private:
    std::chrono::seconds idle_;
    std::function<Clock::time_point()> now_;
    Clock::time_point last_;
    bool locked_ = false;
};

}  // namespace ow::app
