#include "server.h"
#include "applications.h"
#include "appointments.h"

#include "back_office.h"
#include "platform_db.h"
#include "tsa.h"
#include "util.h"
#include "wire.h"

#include "ow/store/db_errors.h"
#include "ow/store/db.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <pthread.h>
#include <regex>
#include <thread>
#include <unistd.h>

namespace ow::sim {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxBody = 8u << 20;

/// What the pre-routing handler decided for the request being served on this thread (httplib
/// runs pre-routing, the handler and post-routing of one request on one thread).
struct RequestState {
    FaultPlan plan;
    bool reset_done = false;
    bool active = false;
    std::chrono::steady_clock::time_point start;
    std::string route;  // malformed-eligible route name, or empty
};
thread_local RequestState t_request;

void fault_count(Context& ctx, const std::string& kind) {
    auto lock = ctx.pdb.lock();
    ctx.pdb.bump("faults." + kind);
}

std::string eligible_route(const httplib::Request& req) {
    if (req.method == "GET" && req.path == "/v1/changes") return "changes";
    if (req.method == "GET" && req.path == "/v1/catalogue") return "catalogue";
    if (req.method == "POST" && req.path == "/v1/cases:push") return "push";
    return {};
}

/// --cut-uploads-at: resets a chunk's connection once per upload, when the chunk would carry the
/// upload past the fraction. True when it did.
bool cut_upload(Context& ctx, const httplib::Request& req) {
    static const std::regex kPatch(R"(/v1/blobs/uploads/([A-Za-z0-9_-]{1,64}))");
    std::smatch m;
    if (req.method != "PATCH" || !std::regex_match(req.path, m, kPatch)) return false;
    const auto offset = parse_int(req.get_header_value("Upload-Offset"), 0, INT64_MAX);
    const auto length = parse_int(req.get_header_value("Content-Length"), 1, INT64_MAX);
    if (!offset || !length) return false;
    {
        auto lock = ctx.pdb.lock();
        auto& st = ctx.pdb.db().cached("SELECT size, \"offset\", cut FROM uploads WHERE upload_id = ?1 AND status = 'open'");
        st.bind(1, m[1].str());
        if (!st.step()) {
            st.reset();
            return false;
        }
        const std::int64_t size = st.int64(0), at = st.int64(1), cut = st.int64(2);
        st.reset();
        const double threshold = ctx.options.faults.cut_uploads_at * double(size);
        if (cut || *offset != at || !(double(*offset) <= threshold && double(*offset + *length) > threshold)) return false;
        ctx.pdb.db().cached("UPDATE uploads SET cut = 1 WHERE upload_id = ?1").bind(1, m[1].str()).run();
        ctx.pdb.bump("faults.cut_upload");
    }
    reset_connection(req);
    return true;
}

httplib::Server::HandlerResponse pre_routing(Context& ctx, const httplib::Request& req, httplib::Response& res) {
    t_request = RequestState{};
    t_request.active = true;
    t_request.start = std::chrono::steady_clock::now();
    const auto& fc = ctx.options.faults;
    if (fc.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fc.latency_ms));
    const std::string route = eligible_route(req);
    t_request.route = route;
    if (fc.fail_rate > 0 || fc.reset_rate > 0 || fc.truncate_rate > 0 || fc.malformed_rate > 0) {
        const FaultPlan plan = ctx.faults.draw(!route.empty());
        // An injected 500/503 is answered by the route's guard, after the body was read: answered
        // here, the unread body would be parsed as the next request on the kept-alive connection.
        if (plan.reset_before) {
            fault_count(ctx, "reset_before");
            reset_connection(req);
            t_request.reset_done = true;
            send_error(res, 500, "server.reset", "reset");
            return httplib::Server::HandlerResponse::Handled;
        }
        t_request.plan = plan;
    }
    if (fc.cut_uploads_at >= 0 && cut_upload(ctx, req)) {
        t_request.reset_done = true;
        send_error(res, 500, "server.reset", "reset");
        return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
}

void post_routing(Context& ctx, const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-OW-Server-Time", std::to_string(Clock::now_s()));
    RequestState st = t_request;
    t_request = RequestState{};
    std::string outcome = std::to_string(res.status);
    if (st.active && !st.reset_done) {
        const auto& fc = ctx.options.faults;
        if (st.plan.reset_after) {
            // The effects are committed; the terminal never learns it and must re-send.
            fault_count(ctx, "reset_after");
            reset_connection(req);
            st.reset_done = true;
        } else {
            if (st.plan.truncate && !res.content_provider_ && res.body.size() >= 2) {
                fault_count(ctx, "truncated");
                make_streamed(res, 1 + std::size_t(ctx.faults.uniform(res.body.size() - 1)), fc.drip_bps);
            } else if (fc.drip_bps > 0 && !res.content_provider_ && !res.body.empty()) {
                make_streamed(res, res.body.size(), fc.drip_bps);
            }
        }
    }
    if (st.reset_done) outcome = "reset";
    {
        auto lock = ctx.pdb.lock();
        ctx.pdb.bump("requests." + outcome);
    }
    if (!ctx.options.quiet) {
        // The path only: queries may carry personal data (document numbers).
        const auto ms = st.active ? std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - st.start).count() : 0;
        std::fprintf(stderr, "%s %s %s %lldms\n", req.method.c_str(), req.path.c_str(), outcome.c_str(), static_cast<long long>(ms));
    }
}

}  // namespace

void send_json(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.headers.erase("Content-Type");
    res.set_content(body, "application/json");
}

void send_value(httplib::Response& res, int status, const json& body) { send_json(res, status, dump(body)); }

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message, const json& extra) {
    json err = {{"code", code}, {"message", message}};
    json body = json::object();
    for (const auto& [k, v] : extra.items()) {
        err[k] = v;
        body[k] = v;
    }
    body["error"] = std::move(err);
    send_value(res, status, body);
}

std::optional<std::int64_t> query_int(const httplib::Request& req, const char* name, std::int64_t fallback,
                                      std::int64_t min, std::int64_t max) {
    if (!req.has_param(name)) return fallback;
    return parse_int(req.get_param_value(name), min, max);
}

PlainHandler Routes::guard(PlainHandler h) {
    Context& ctx = ctx_;
    return [&ctx, h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
        try {
            if (req.body.size() > kMaxBody)
                return send_error(res, 413, "request.too_large", "the body is larger than 8 MiB after decompression");
            if (const RequestState& pre = t_request; pre.active && pre.plan.fail_status) {
                const int s = pre.plan.fail_status;
                fault_count(ctx, s == 503 ? "unavailable_503" : "error_500");
                if (pre.plan.retry_after) res.set_header("Retry-After", "1");
                return send_error(res, s, s == 503 ? "server.unavailable" : "server.error",
                                  s == 503 ? "the platform is overloaded (injected fault)" : "the platform failed (injected fault)");
            }
            h(req, res);
            // A malformed answer replaces the handler's (its effects are committed); done here,
            // before httplib sets the length and compresses.
            const RequestState& st = t_request;
            if (st.active && !st.plan.malformed.empty() && res.status == 200 && !st.route.empty()) {
                fault_count(ctx, "malformed_" + st.plan.malformed);
                make_malformed(res, st.plan.malformed, st.route, ctx.faults);
            }
        } catch (const EnvelopeError& e) {
            send_error(res, e.status, e.code, e.message);
        } catch (const store::StoreError& e) {
            std::fprintf(stderr, "storage error: %s\n", e.what());
            send_error(res, 500, "server.storage", "the platform's database failed");
        } catch (const std::exception& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            send_error(res, 500, "server.error", "the platform failed");
        }
    };
}

PlainHandler Routes::wrap(SignedHandler h) {
    Context& ctx = ctx_;
    return guard([&ctx, h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
        Call call;
        call.body_sha256 = sha256_hex(req.body);
        if (auto failure = verify_request(ctx.pdb, req, call.body_sha256, call.terminal))
            return send_error(res, failure->status, failure->code, failure->message);
        if (auto failure = check_client_cert(ctx.pdb, req.ssl, call.terminal.id, ctx.options.client_certs))
            return send_error(res, failure->status, failure->code, failure->message);
        h(req, res, call);
    });
}

namespace {

enum class BodyRead { ok, too_large, malformed };

/// Reads the body through httplib's reader (which inflates gzip and deflate piece by piece) and
/// stops at kMaxBody bytes of inflated data.
BodyRead read_body(const httplib::ContentReader& reader, std::string& body) {
    bool too_large = false;
    const bool ok = reader([&](const char* data, std::size_t n) {
        if (body.size() + n > kMaxBody) {
            too_large = true;
            return false;
        }
        body.append(data, n);
        return true;
    });
    if (too_large) return BodyRead::too_large;
    return ok ? BodyRead::ok : BodyRead::malformed;
}

/// Answers without reading (the rest of) the body: the connection is closed after the answer, so
/// the unread bytes are never taken for the next request.
void refuse_unread(httplib::Response& res, int status, const std::string& code, const std::string& message) {
    send_error(res, status, code, message);
    res.set_header("Connection", "close");
}

/// Reads the body into a copy of the request; false when it was refused (answered in `res`).
bool take_body(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader, httplib::Request& full) {
    std::string body;
    switch (read_body(reader, body)) {
    case BodyRead::too_large:
        refuse_unread(res, 413, "request.too_large", "the body is larger than 8 MiB after decompression");
        return false;
    case BodyRead::malformed:
        refuse_unread(res, 400, "request.malformed", "the body could not be read or decompressed");
        return false;
    case BodyRead::ok:
        break;
    }
    full = req;
    full.body = std::move(body);
    return true;
}

}  // namespace

Routes::ReaderHandler Routes::with_body(SignedHandler h) {
    Context& ctx = ctx_;
    PlainHandler inner = guard([&ctx, h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
        // The headers were authenticated before the body was read (below); the body must be the
        // one they vouch for.
        Call call;
        call.body_sha256 = sha256_hex(req.body);
        if (call.body_sha256 != req.get_header_value("X-OW-Content-SHA256"))
            return send_error(res, 401, "auth.bad_signature", "X-OW-Content-SHA256 does not match the body");
        {
            auto lock = ctx.pdb.lock();
            auto t = find_terminal(ctx.pdb.db(), req.get_header_value("X-OW-Terminal"));
            if (!t) return send_error(res, 401, "auth.unknown_terminal", "the terminal is not known to the platform");
            call.terminal = std::move(*t);
        }
        h(req, res, call);
    });
    return [&ctx, inner = std::move(inner)](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        try {
            Terminal terminal;
            if (auto failure = verify_request(ctx.pdb, req, req.get_header_value("X-OW-Content-SHA256"), terminal))
                return refuse_unread(res, failure->status, failure->code, failure->message);
            if (auto failure = check_client_cert(ctx.pdb, req.ssl, terminal.id, ctx.options.client_certs))
                return refuse_unread(res, failure->status, failure->code, failure->message);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            return refuse_unread(res, 500, "server.error", "the platform failed");
        }
        httplib::Request full;
        if (take_body(req, res, reader, full)) inner(full, res);
    };
}

Routes::ReaderHandler Routes::with_body_unsigned(PlainHandler h) {
    return [inner = guard(std::move(h))](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        httplib::Request full;
        if (take_body(req, res, reader, full)) inner(full, res);
    };
}

void Routes::get(const std::string& p, SignedHandler h) { server_.Get(p, wrap(std::move(h))); }
void Routes::post(const std::string& p, SignedHandler h) { server_.Post(p, with_body(std::move(h))); }
void Routes::patch(const std::string& p, SignedHandler h) { server_.Patch(p, with_body(std::move(h))); }
void Routes::put(const std::string& p, SignedHandler h) { server_.Put(p, with_body(std::move(h))); }
void Routes::get_unsigned(const std::string& p, PlainHandler h) { server_.Get(p, guard(std::move(h))); }
void Routes::post_unsigned(const std::string& p, PlainHandler h) { server_.Post(p, with_body_unsigned(std::move(h))); }

void idempotent(Context& ctx, const httplib::Request& req, httplib::Response& res, const std::string& body_sha256,
                const std::string& scope, const std::function<std::pair<int, std::string>()>& produce) {
    const std::string key = req.get_header_value("Idempotency-Key");
    if (key.size() > 200) return send_error(res, 400, "request.malformed", "the Idempotency-Key is longer than 200 characters");
    const std::string digest = sha256_hex(req.method + " " + req.path + "\n" + body_sha256);
    int status = 0;
    std::string body;
    bool replayed = false;
    {
        auto lock = ctx.pdb.lock();
        store::Transaction tx(ctx.pdb.db());
        if (!key.empty()) {
            auto& st = ctx.pdb.db().cached("SELECT request_sha256, status, body FROM idempotency WHERE scope = ?1 AND key = ?2");
            st.bind(1, scope).bind(2, key);
            if (st.step()) {
                const std::string stored = st.text(0);
                status = int(st.int64(1));
                const auto raw = st.blob(2);
                body.assign(raw.begin(), raw.end());
                st.reset();
                if (stored != digest) {
                    ctx.pdb.bump("idempotency.key_reused");
                    tx.commit();
                    lock.unlock();
                    return send_error(res, 422, "idempotency.key_reused", "this Idempotency-Key was used for another request");
                }
                replayed = true;
                ctx.pdb.bump("idempotency.replayed");
            } else {
                st.reset();
            }
        }
        if (!replayed) {
            std::tie(status, body) = produce();
            if (!key.empty() && status < 500)
                ctx.pdb.db()
                    .cached("INSERT INTO idempotency(scope, key, request_sha256, status, content_type, body, created_s) "
                            "VALUES(?1, ?2, ?3, ?4, 'application/json', ?5, ?6)")
                    .bind(1, scope)
                    .bind(2, key)
                    .bind(3, digest)
                    .bind(4, status)
                    .bind_blob(5, body.data(), body.size())
                    .bind(6, Clock::now_s())
                    .run();
        }
        tx.commit();
    }
    if (replayed) res.set_header("Idempotent-Replayed", "true");
    send_json(res, status, body);
}

int run_server(const ServeOptions& options) {
    // SIGTERM/SIGINT are taken by one thread with sigwait; every other thread has them blocked.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    Clock::set_skew_s(options.clock_skew_s);

    PlatformDb pdb(options.db, true);
    Tsa tsa(pdb);
    Faults faults(options.faults);
    Context ctx{pdb, tsa, faults, options, BlobFiles(pdb.blob_dir()), {}};
    {
        auto lock = pdb.lock();
        ctx.items = load_item_info(pdb);
    }

    std::unique_ptr<httplib::Server> server;
    if (!options.tls_cert.empty()) {
        std::string terminal_ca;
        {
            auto lock = pdb.lock();
            terminal_ca = terminal_ca_pem(pdb);
        }
        auto tls = std::make_unique<httplib::SSLServer>([&](SSL_CTX& c) {
            return setup_server_tls(c, options.tls_cert, options.tls_key, terminal_ca, options.client_certs);
        });
        if (!tls->is_valid()) throw InputError("cannot use the TLS certificate or key (" + options.tls_cert + ")");
        server = std::move(tls);
    } else {
        server = std::make_unique<httplib::Server>();
    }
    httplib::Server& svr = *server;
    const int threads = options.threads;
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(std::size_t(threads)); };
    svr.set_keep_alive_max_count(10000);
    svr.set_keep_alive_timeout(10);
    svr.set_read_timeout(30, 0);
    svr.set_write_timeout(60, 0);
    svr.set_payload_max_length(kMaxBody + (64u << 10));
    svr.set_tcp_nodelay(true);
    // The fault and bookkeeping hooks never take a request down with them: a failure there (the
    // database busy beyond its timeout, say) is logged and the request goes on without it.
    svr.set_pre_routing_handler([&ctx](const httplib::Request& req, httplib::Response& res) {
        try {
            return pre_routing(ctx, req, res);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "pre-routing: %s\n", e.what());
            return httplib::Server::HandlerResponse::Unhandled;
        }
    });
    svr.set_post_routing_handler([&ctx](const httplib::Request& req, httplib::Response& res) {
        try {
            post_routing(ctx, req, res);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "post-routing: %s\n", e.what());
        }
    });
    svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_error(res, 500, "server.error", "the platform failed");
    });
    svr.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || res.content_provider_) return httplib::Server::HandlerResponse::Unhandled;
        const int s = res.status;
        send_error(res, s,
                   s == 404 ? "not_found" : s == 413 ? "request.too_large" : s == 415 ? "request.encoding" : "request.malformed",
                   s == 404 ? "no such resource" : s == 413 ? "the body is too large" : "the request is malformed");
        return httplib::Server::HandlerResponse::Handled;
    }));

    Routes routes(svr, ctx);
    register_misc_routes(routes, ctx);
    register_case_routes(routes, ctx);
    register_blob_routes(routes, ctx);
    register_appointment_routes(routes, ctx);
    register_application_routes(routes, ctx);
    register_trust_routes(routes, ctx);
    // Any other request with a body is answered before its body is read: httplib would otherwise
    // read (and inflate) it in full just to answer 404.
    const auto no_route = [](const httplib::Request&, httplib::Response& res, const httplib::ContentReader&) {
        refuse_unread(res, 404, "not_found", "no such resource");
    };
    svr.Post(".*", no_route);
    svr.Put(".*", no_route);
    svr.Patch(".*", no_route);
    svr.Delete(".*", no_route);

    int port = options.port;
    if (port == 0) {
        port = svr.bind_to_any_port(options.host);
        if (port <= 0) throw InputError("cannot listen on " + options.host + ":0");
    } else if (!svr.bind_to_port(options.host, port)) {
        throw InputError("cannot listen on " + options.host + ":" + std::to_string(port));
    }
    if (!options.port_file.empty()) write_file_atomic(options.port_file, std::to_string(port) + "\n");

    BackOffice back_office(ctx, options.decide_after_s);
    back_office.start();
    // A signal may come before listen_after_bind() has marked the server running, when stop()
    // would do nothing: the stopper waits for it to run, stops it once, and keeps closing idle
    // keep-alive connections until the server has returned.
    std::atomic<bool> served{false};
    std::thread stopper([&svr, &served, port, stop_signals] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        bool stopped = false;
        while (!served) {
            if (!stopped && svr.is_running()) {
                svr.stop();
                stopped = true;
            }
            if (stopped) shutdown_connections(port);
            std::this_thread::sleep_for(std::chrono::milliseconds(stopped ? 50 : 2));
        }
    });
    std::printf("listening on %s://%s:%d\n", options.tls_cert.empty() ? "http" : "https", options.host.c_str(), port);
    std::fflush(stdout);
    const bool ok = svr.listen_after_bind();
    served = true;
    kill(getpid(), SIGTERM);  // wakes the stopper if the server ended on its own
    stopper.join();
    back_office.stop();
    {
        auto lock = pdb.lock();
        pdb.db().exec("PRAGMA wal_checkpoint(PASSIVE)");
    }
    if (!options.quiet) std::fprintf(stderr, "stopped\n");
    return ok ? 0 : 2;
}

}  // namespace ow::sim
