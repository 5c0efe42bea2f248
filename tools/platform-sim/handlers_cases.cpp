// Case push, ratings, the change feed (with the state checksum check) and the case index.
#include "case_book.h"
#include "platform_db.h"
#include "server.h"
#include "util.h"
#include "wire.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>

namespace ow::sim {

namespace {

int page_limit(const httplib::Request& req, httplib::Response& res, int fallback) {
    const auto limit = query_int(req, "limit", fallback, 1, 1'000'000);
    if (!limit) {
        send_error(res, 400, "request.malformed", "limit must be a positive integer");
        return 0;
    }
    return int(std::min<std::int64_t>(*limit, 500));
}

/// Whether a Prefer header (RFC 7240: comma-separated preferences, each with optional
/// parameters after ';') asks for return=minimal.
bool prefers_minimal(std::string value) {
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    std::size_t start = 0;
    while (start <= value.size()) {
        std::size_t end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        std::string pref = value.substr(start, end - start);
        pref = pref.substr(0, pref.find(';'));
        pref.erase(std::remove_if(pref.begin(), pref.end(), [](unsigned char c) { return std::isspace(c); }), pref.end());
        if (pref == "return=minimal" || pref == "return=\"minimal\"") return true;
        start = end + 1;
    }
    return false;
}

}  // namespace

void register_case_routes(Routes& routes, Context& ctx) {
    routes.post("/v1/cases:push", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const PushBatch batch = parse_push(req.body);  // the one parse of the body, before the lock
        // RFC 7240: a terminal that asks for it gets only what it cannot take for granted.
        const bool minimal = prefers_minimal(req.get_header_value("Prefer"));
        idempotent(ctx, req, res, call.body_sha256, call.terminal.id, [&] {
            CaseBook book(ctx.pdb);
            const auto results = book.apply_push(call.terminal, batch);
            if (minimal) res.set_header("Preference-Applied", "return=minimal");  // not on errors, nor on a replay (its form is the first answer's)
            return std::make_pair(200, minimal ? minimal_results_json(batch, results) : results_json(results));
        });
    });

    routes.post("/v1/ratings", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const auto ratings = parse_ratings(req.body);
        idempotent(ctx, req, res, call.body_sha256, call.terminal.id, [&] {
            CaseBook book(ctx.pdb);
            return std::make_pair(200, results_json(book.apply_ratings(call.terminal, ratings)));
        });
    });

    routes.get("/v1/changes", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const int limit = page_limit(req, res, 100);
        if (!limit) return;
        const auto after = read_cursor("chg", req.get_param_value("cursor"));
        if (!after) return send_error(res, 400, "cursor.invalid", "the cursor is not one of this feed's");
        std::string claimed;
        if (req.has_header("X-OW-State")) {
            claimed = req.get_header_value("X-OW-State");
            std::transform(claimed.begin(), claimed.end(), claimed.begin(), [](unsigned char c) { return char(std::tolower(c)); });
            const auto colon = claimed.find(':');
            if (colon == std::string::npos || !parse_int(std::string_view(claimed).substr(0, colon), 0, INT64_MAX) ||
                !is_lower_hex(std::string_view(claimed).substr(colon + 1), 64))
                return send_error(res, 400, "request.malformed", "X-OW-State must be <count>:<64 hex digits>");
        }
        std::string body, state;
        {
            auto lock = ctx.pdb.lock();
            CaseBook book(ctx.pdb);
            if (!claimed.empty()) state = book.platform_state(call.terminal.id);
            if (claimed.empty() || claimed == state) body = book.changes_page(call.terminal.id, *after, limit);
        }
        if (body.empty()) {
            {
                auto lock = ctx.pdb.lock();
                ctx.pdb.bump("resync_required");
            }
            return send_error(res, 412, "sync.resync_required", "the platform holds other cases for this terminal",
                              {{"platform_state", state}});
        }
        send_json(res, 200, body);
    });

    routes.get("/v1/cases:index", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const int limit = page_limit(req, res, 500);
        if (!limit) return;
        const std::string cursor = req.get_param_value("cursor");
        const auto after = read_cursor("idx", cursor);
        if (!after) return send_error(res, 400, "cursor.invalid", "the cursor is not one of this index's");
        std::string body;
        {
            auto lock = ctx.pdb.lock();
            CaseBook book(ctx.pdb);
            body = book.index_page(call.terminal.id, *after, limit, cursor.empty());
        }
        send_json(res, 200, body);
    });
}

}  // namespace ow::sim
