#include "plugin_process.h"

#include "onewindow/plugin.h"
#include "ow/plugins/errors.h"
#include "protocol.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ow::plugins {
namespace {

using namespace std::chrono_literals;

std::string signal_text(int sig) {
    const char* s = ::strsignal(sig);
    return "signal " + std::to_string(sig) + (s ? std::string(" (") + s + ")" : std::string());
}

}  // namespace

PluginProcess::PluginProcess(Manifest manifest, std::filesystem::path helper, std::size_t max_message_bytes,
                             bool pass_stderr)
    : manifest_(std::move(manifest)),
      helper_(std::move(helper)),
      max_message_bytes_(max_message_bytes),
      pass_stderr_(pass_stderr) {}

PluginProcess::~PluginProcess() {
    stop();
}

void PluginProcess::close_fds() {
    if (to_child_ >= 0) ::close(to_child_);
    if (from_child_ >= 0) ::close(from_child_);
    to_child_ = from_child_ = -1;
    buffer_.clear();
}

void PluginProcess::start(std::chrono::milliseconds timeout) {
    if (pid_ > 0) kill();
    int in_pipe[2], out_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) != 0)
        throw PluginFailed("plugin.start_failed", manifest_.name,
                           "cannot create a pipe: " + std::string(std::strerror(errno)));
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        int err = errno;
        ::close(in_pipe[0]);
        ::close(in_pipe[1]);
        throw PluginFailed("plugin.start_failed", manifest_.name,
                           "cannot create a pipe: " + std::string(std::strerror(err)));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    if (!pass_stderr_) posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);  // its own process group: kill() takes its children too
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

    std::string exe = helper_.string();
    std::string dir = manifest_.dir.string();
    std::string max = std::to_string(max_message_bytes_);
    std::vector<char*> argv = {exe.data(), const_cast<char*>("--max-message"), max.data(), dir.data(), nullptr};
    pid_t pid = 0;
    int rc = ::posix_spawn(&pid, exe.c_str(), &fa, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    if (rc != 0) {
        ::close(in_pipe[1]);
        ::close(out_pipe[0]);
        throw PluginFailed("plugin.start_failed", manifest_.name,
                           "cannot start the plugin helper " + exe + ": " + std::strerror(rc));
    }
    pid_ = pid;
    reaped_ = false;
    to_child_ = in_pipe[1];
    from_child_ = out_pipe[0];
    buffer_.clear();

    std::string line = read_line(Clock::now() + timeout, "while loading");
    auto hello = protocol::parse_hello(line);
    if (hello.kind == protocol::Hello::Kind::garbage) fail("plugin.garbage", hello.message);
    if (hello.kind == protocol::Hello::Kind::refused) {
        kill();
        if (hello.code == "plugin.unavailable") throw DeviceUnavailable(hello.code, manifest_.name, hello.message);
        throw PluginRefused(hello.code, manifest_.name, hello.message);
    }
}

bool PluginProcess::running() {
    if (pid_ <= 0 || reaped_) return false;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        exit_status_ = status;
        reaped_ = true;
        close_fds();
        return false;
    }
    return true;
}

std::string PluginProcess::describe_exit() {
    if (!reaped_ && pid_ > 0) {
        // It closed its end; give it a moment to finish dying, then make sure.
        for (int i = 0; i < 200; ++i) {
            int status = 0;
            pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                exit_status_ = status;
                reaped_ = true;
                break;
            }
            std::this_thread::sleep_for(10ms);
        }
        if (!reaped_) {
            kill();
            return "crashed (closed its output)";
        }
    }
    if (WIFSIGNALED(exit_status_)) return "crashed (" + signal_text(WTERMSIG(exit_status_)) + ")";
    if (WIFEXITED(exit_status_))
        return "crashed (exited with status " + std::to_string(WEXITSTATUS(exit_status_)) + ")";
    return "crashed";
}

void PluginProcess::fail(const std::string& code, const std::string& what) {
    kill();
    throw PluginFailed(code, manifest_.name, "plugin '" + manifest_.name + "': " + what);
}

std::string PluginProcess::read_line(Clock::time_point deadline, const char* during) {
    char chunk[65536];
    for (;;) {
        if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        if (buffer_.size() > max_message_bytes_)
            fail("plugin.too_large", std::string("answer larger than ") + std::to_string(max_message_bytes_) +
                                         " bytes " + during + "; the helper was stopped");
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left <= 0ms)
            fail("plugin.timeout",
                 std::string("no answer within the time limit ") + during + "; the helper was stopped");
        pollfd p{from_child_, POLLIN, 0};
        int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000 * 60 * 60)));
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("plugin.failed", std::string("cannot wait for the helper: ") + std::strerror(errno));
        }
        if (n == 0) continue;  // the deadline check above ends the wait
        ssize_t got = ::read(from_child_, chunk, sizeof chunk);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            fail("plugin.failed", std::string("cannot read from the helper: ") + std::strerror(errno));
        }
        if (got == 0) {
            std::string how = describe_exit();
            kill();
            throw PluginFailed("plugin.crashed", manifest_.name,
                               "plugin '" + manifest_.name + "' " + how + " " + during + "; it will be restarted");
        }
        buffer_.append(chunk, static_cast<std::size_t>(got));
    }
}

void PluginProcess::write_line(const std::string& line) {
    // A helper that died makes write() raise SIGPIPE, which would kill the caller: block it for
    // this thread and swallow a pending one.
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    std::string data = line + "\n";
    std::size_t done = 0;
    int err = 0;
    while (done < data.size()) {
        ssize_t n = ::write(to_child_, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    if (err == EPIPE) {
        timespec zero{0, 0};
        sigset_t pending;
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE)) sigtimedwait(&pipe_set, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (err != 0) {
        std::string how = err == EPIPE ? describe_exit() : std::string("cannot be written to: ") + std::strerror(err);
        kill();
        throw PluginFailed("plugin.crashed", manifest_.name,
                           "plugin '" + manifest_.name + "' " + how + "; it will be restarted");
    }
}

nlohmann::json PluginProcess::call(const std::string& action, const nlohmann::json& request,
                                   std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    std::uint64_t id = next_id_++;
    nlohmann::json msg = {{"id", id}, {"action", action}, {"request", request}};
    write_line(protocol::to_line(msg));
    std::string line = read_line(deadline, ("during '" + action + "'").c_str());
    auto answer = protocol::parse_answer(line, id, action);
    if (answer.kind == protocol::Answer::Kind::garbage) fail("plugin.garbage", answer.message);
    if (answer.kind == protocol::Answer::Kind::ok) return std::move(answer.answer);
    const std::string& code = answer.code;
    const std::string& message = answer.message;
    std::string prefix = "plugin '" + manifest_.name + "': ";
    switch (answer.status) {
    case protocol::kFatal:
        kill();
        throw PluginFailed(code.rfind("plugin.", 0) == 0 ? code : "plugin.failed", manifest_.name, prefix + message);
    case OW_PLUGIN_UNAVAILABLE:
        throw DeviceUnavailable("plugin.unavailable", manifest_.name, prefix + "device unavailable: " + message);
    case OW_PLUGIN_BAD_REQUEST:
        throw PluginRequestError("plugin.bad_request", manifest_.name, prefix + "bad request: " + message);
    case OW_PLUGIN_UNKNOWN_ACTION:
        throw PluginRequestError("plugin.unknown_action", manifest_.name, prefix + message);
    default:  // OW_PLUGIN_FAILED (parse_answer lets no other status through)
        throw PluginFailed("plugin.failed", manifest_.name, prefix + message + " (" + code + ")");
    }
}

void PluginProcess::kill() {
    if (pid_ > 0 && !reaped_) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        exit_status_ = status;
        reaped_ = true;
    }
    close_fds();
    pid_ = 0;
}

void PluginProcess::stop() {
    if (pid_ <= 0) {
        close_fds();
        return;
    }
    if (to_child_ >= 0) {
        ::close(to_child_);
        to_child_ = -1;
    }
    for (int i = 0; i < 100 && !reaped_; ++i) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exit_status_ = status;
            reaped_ = true;
            break;
        }
        std::this_thread::sleep_for(10ms);
    }
    kill();
}

}  // namespace ow::plugins
