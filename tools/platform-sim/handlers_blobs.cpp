// Content-addressed, resumable blob uploads: create by digest (a known digest is complete at
// once), offset query, chunk PATCH (whole or nothing, at the platform's offset), finalize with the
// SHA-256 check (a mismatch discards the upload), and the blob's metadata.
#include "platform_db.h"
#include "server.h"
#include "util.h"

#include "ow/store/db.h"

#include <httplib.h>

#include <mutex>
#include <set>

namespace ow::sim {

using nlohmann::json;

namespace {

constexpr std::int64_t kChunkMax = 4 << 20;
constexpr std::int64_t kBlobMax = 4LL << 30;

struct Upload {
    std::string sha256, media_type, status, terminal;
    std::int64_t size = 0, offset = 0;
};

std::optional<Upload> find_upload(store::Db& db, const std::string& id) {
    auto& st = db.cached("SELECT sha256, media_type, status, terminal, size, \"offset\" FROM uploads WHERE upload_id = ?1");
    st.bind(1, id);
    std::optional<Upload> u;
    if (st.step()) u = Upload{st.text(0), st.text(1), st.text(2), st.text(3), st.int64(4), st.int64(5)};
    st.reset();
    return u;
}

/// Uploads with a chunk write or a finalize in progress (outside the database lock).
class BusyUploads {
public:
    bool claim(const std::string& id) {
        std::lock_guard<std::mutex> g(mu_);
        return busy_.insert(id).second;
    }
    void release(const std::string& id) {
        std::lock_guard<std::mutex> g(mu_);
        busy_.erase(id);
    }

private:
    std::mutex mu_;
    std::set<std::string> busy_;
};

struct Claim {
    BusyUploads& b;
    std::string id;
    ~Claim() { b.release(id); }
};

BusyUploads& busy() {
    static BusyUploads b;
    return b;
}

json open_answer(const std::string& id, std::int64_t offset) {
    return {{"status", "open"}, {"upload_id", id}, {"offset", offset}, {"chunk_max", kChunkMax}};
}

}  // namespace

void register_blob_routes(Routes& routes, Context& ctx) {
    // Idempotent by the digest: always the current state (an Idempotency-Key is accepted and not
    // replayed, so a retry after a discarded upload gets a new upload, not the dead one).
    routes.post("/v1/blobs", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const json j = json::parse(req.body, nullptr, false);
        if (!j.is_object()) return send_error(res, 400, "request.malformed", "the body must be a JSON object");
        const auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
        const std::string sha = str("sha256"), media = str("media_type");
        if (!is_lower_hex(sha, 64)) return send_error(res, 422, "invalid.sha256", "/sha256: is not a lower-case hex SHA-256");
        if (!j.contains("size") || !j["size"].is_number_integer() || j["size"].get<std::int64_t>() < 0)
            return send_error(res, 422, "invalid.size", "/size: must be a non-negative integer");
        const std::int64_t size = j["size"].get<std::int64_t>();
        if (size > kBlobMax) return send_error(res, 413, "blob.too_large", "a blob is at most 4 GiB");
        if (media.empty() || media.size() > 128) return send_error(res, 422, "invalid.media_type", "/media_type: must be a media type");

        auto lock = ctx.pdb.lock();
        auto& db = ctx.pdb.db();
        store::Transaction tx(db);
        {
            auto& st = db.cached("SELECT 1 FROM blobs WHERE sha256 = ?1");
            st.bind(1, sha);
            const bool known = st.step();
            st.reset();
            if (known) {
                ctx.pdb.bump("blobs.known_digest");
                tx.commit();
                return send_value(res, 200, {{"status", "complete"}, {"sha256", sha}});
            }
        }
        {
            auto& st = db.cached("SELECT upload_id, \"offset\", size FROM uploads WHERE sha256 = ?1 AND status = 'open' "
                                 "AND terminal = ?2 ORDER BY created_ms DESC LIMIT 1");
            st.bind(1, sha).bind(2, call.terminal.id);
            if (st.step()) {
                const std::string id = st.text(0);
                const std::int64_t offset = st.int64(1), old_size = st.int64(2);
                st.reset();
                if (old_size == size) {
                    tx.commit();
                    return send_value(res, 201, open_answer(id, offset));
                }
                db.cached("UPDATE uploads SET status = 'discarded' WHERE upload_id = ?1").bind(1, id).run();
                ctx.blobs.discard(id);
            } else {
                st.reset();
            }
        }
        const std::string id = "upl-" + random_hex(12);
        db.cached("INSERT INTO uploads(upload_id, sha256, size, media_type, terminal, created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(1, id)
            .bind(2, sha)
            .bind(3, size)
            .bind(4, media)
            .bind(5, call.terminal.id)
            .bind(6, Clock::now_ms())
            .run();
        ctx.pdb.bump("uploads.created");
        tx.commit();
        send_value(res, 201, open_answer(id, 0));
    });

    routes.get(R"(/v1/blobs/uploads/([A-Za-z0-9_-]{1,64}))", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const std::string id = req.matches[1];
        std::optional<Upload> u;
        {
            auto lock = ctx.pdb.lock();
            u = find_upload(ctx.pdb.db(), id);
        }
        if (!u || u->status != "open" || u->terminal != call.terminal.id)
            return send_error(res, 404, "upload.unknown", "no such upload (create it again)");
        res.set_header("Upload-Offset", std::to_string(u->offset));
        send_value(res, 200, {{"upload_id", id}, {"sha256", u->sha256}, {"size", u->size}, {"offset", u->offset}});
    });

    routes.patch(R"(/v1/blobs/uploads/([A-Za-z0-9_-]{1,64}))", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const std::string id = req.matches[1];
        const auto offset = parse_int(req.get_header_value("Upload-Offset"), 0, INT64_MAX);
        if (!offset) return send_error(res, 400, "request.malformed", "Upload-Offset must be a non-negative integer");
        const std::string type = req.get_header_value("Content-Type");
        if (type.rfind("application/offset+octet-stream", 0) != 0)
            return send_error(res, 415, "request.content_type", "a chunk is application/offset+octet-stream");
        const auto len = std::int64_t(req.body.size());
        if (len > kChunkMax) return send_error(res, 413, "upload.chunk_too_large", "a chunk is at most 4 MiB");
        if (!busy().claim(id)) {
            auto lock = ctx.pdb.lock();
            const auto u = find_upload(ctx.pdb.db(), id);
            return send_error(res, 409, "upload.offset_mismatch", "another chunk of this upload is being written",
                              {{"offset", u ? u->offset : 0}});
        }
        Claim claim{busy(), id};
        std::optional<Upload> u;
        {
            auto lock = ctx.pdb.lock();
            u = find_upload(ctx.pdb.db(), id);
        }
        if (!u || u->status != "open" || u->terminal != call.terminal.id)
            return send_error(res, 404, "upload.unknown", "no such upload (create it again)");
        if (*offset != u->offset) {
            res.set_header("Upload-Offset", std::to_string(u->offset));
            return send_error(res, 409, "upload.offset_mismatch", "the platform has " + std::to_string(u->offset) + " bytes",
                              {{"offset", u->offset}});
        }
        if (u->offset + len > u->size) return send_error(res, 413, "upload.past_size", "the chunk goes past the blob's size");
        if (len > 0) ctx.blobs.write_chunk(id, u->offset, req.body);  // before the database says so
        {
            auto lock = ctx.pdb.lock();
            store::Transaction tx(ctx.pdb.db());
            ctx.pdb.db().cached("UPDATE uploads SET \"offset\" = ?2 WHERE upload_id = ?1").bind(1, id).bind(2, u->offset + len).run();
            ctx.pdb.bump("upload_bytes_received", len);
            ctx.pdb.bump("upload_chunks");
            tx.commit();
        }
        res.status = 204;
        res.set_header("Upload-Offset", std::to_string(u->offset + len));
    });

    routes.post(R"(/v1/blobs/uploads/([A-Za-z0-9_-]{1,64}):finalize)", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const std::string id = req.matches[1];
        if (!busy().claim(id)) return send_error(res, 409, "upload.incomplete", "a chunk of this upload is being written");
        Claim claim{busy(), id};
        std::optional<Upload> u;
        {
            auto lock = ctx.pdb.lock();
            u = find_upload(ctx.pdb.db(), id);
        }
        if (!u || u->terminal != call.terminal.id) return send_error(res, 404, "upload.unknown", "no such upload");
        // Finalizing again gives the same answer (a lost answer is retried safely).
        if (u->status == "complete") return send_value(res, 201, {{"status", "complete"}, {"sha256", u->sha256}});
        if (u->status == "discarded")
            return send_error(res, 422, "blob.digest_mismatch", "the bytes did not match the digest; the upload was discarded");
        if (u->offset < u->size)
            return send_error(res, 409, "upload.incomplete", "the platform has " + std::to_string(u->offset) + " of " +
                                                                 std::to_string(u->size) + " bytes",
                              {{"offset", u->offset}});
        const auto digest = ctx.blobs.hash_part(id, u->size);
        if (digest && *digest == u->sha256) ctx.blobs.sync_part(id);
        auto lock = ctx.pdb.lock();
        auto& db = ctx.pdb.db();
        store::Transaction tx(db);
        if (!digest || *digest != u->sha256) {
            db.cached("UPDATE uploads SET status = 'discarded' WHERE upload_id = ?1").bind(1, id).run();
            ctx.pdb.bump("blobs.digest_mismatch");
            ctx.blobs.discard(id);
            tx.commit();
            return send_error(res, 422, "blob.digest_mismatch", "the bytes do not match the digest; the upload was discarded");
        }
        auto& st = db.cached("SELECT 1 FROM blobs WHERE sha256 = ?1");
        st.bind(1, u->sha256);
        const bool known = st.step();
        st.reset();
        if (known) {
            ctx.blobs.discard(id);
        } else {
            ctx.blobs.promote(id, u->sha256);
            db.cached("INSERT INTO blobs(sha256, size, media_type, created_ms) VALUES(?1, ?2, ?3, ?4)")
                .bind(1, u->sha256)
                .bind(2, u->size)
                .bind(3, u->media_type)
                .bind(4, Clock::now_ms())
                .run();
            ctx.pdb.bump("blobs.stored");
        }
        db.cached("UPDATE uploads SET status = 'complete' WHERE upload_id = ?1").bind(1, id).run();
        tx.commit();
        send_value(res, 201, {{"status", "complete"}, {"sha256", u->sha256}});
    });

    // A small blob in one request (at most one chunk): no upload to open, offset to keep or finalize.
    // Idempotent by the digest; the bytes are checked against it before anything is kept.
    routes.put(R"(/v1/blobs/([0-9a-f]{64}))", [&ctx](const httplib::Request& req, httplib::Response& res, Call& call) {
        const std::string sha = req.matches[1];
        const std::string media = req.get_header_value("Content-Type");
        if (media.empty() || media.size() > 128) return send_error(res, 415, "request.content_type", "the blob's media type is needed");
        const auto len = std::int64_t(req.body.size());
        if (len > kChunkMax) return send_error(res, 413, "upload.chunk_too_large", "a blob in one request is at most 4 MiB");
        {
            auto lock = ctx.pdb.lock();
            auto& st = ctx.pdb.db().cached("SELECT 1 FROM blobs WHERE sha256 = ?1");
            st.bind(1, sha);
            const bool known = st.step();
            st.reset();
            if (known) {
                ctx.pdb.bump("blobs.known_digest");
                return send_value(res, 200, {{"status", "complete"}, {"sha256", sha}});
            }
        }
        const std::string id = "put-" + random_hex(12);
        ctx.blobs.write_chunk(id, 0, req.body);
        const auto digest = ctx.blobs.hash_part(id, len);
        if (!digest || *digest != sha) {
            ctx.blobs.discard(id);
            auto lock = ctx.pdb.lock();
            ctx.pdb.bump("blobs.digest_mismatch");
            return send_error(res, 422, "blob.digest_mismatch", "the bytes do not match the digest");
        }
        ctx.blobs.sync_part(id);
        auto lock = ctx.pdb.lock();
        auto& db = ctx.pdb.db();
        store::Transaction tx(db);
        auto& st = db.cached("SELECT 1 FROM blobs WHERE sha256 = ?1");
        st.bind(1, sha);
        const bool known = st.step();
        st.reset();
        if (known) {
            ctx.blobs.discard(id);  // another request stored it meanwhile
        } else {
            ctx.blobs.promote(id, sha);
            db.cached("INSERT INTO blobs(sha256, size, media_type, created_ms) VALUES(?1, ?2, ?3, ?4)")
                .bind(1, sha)
                .bind(2, len)
                .bind(3, media)
                .bind(4, Clock::now_ms())
                .run();
            ctx.pdb.bump("blobs.stored");
            ctx.pdb.bump("blobs.one_request");
        }
        ctx.pdb.bump("upload_bytes_received", len);
        (void)call;
        tx.commit();
        send_value(res, 201, {{"status", "complete"}, {"sha256", sha}});
    });

    routes.get(R"(/v1/blobs/([0-9a-f]{64}))", [&ctx](const httplib::Request& req, httplib::Response& res, Call&) {
        const std::string sha = req.matches[1];
        auto lock = ctx.pdb.lock();
        auto& st = ctx.pdb.db().cached("SELECT size, media_type FROM blobs WHERE sha256 = ?1");
        st.bind(1, sha);
        if (!st.step()) {
            st.reset();
            lock.unlock();
            return send_error(res, 404, "blob.unknown", "the platform does not hold this blob");
        }
        const json body = {{"sha256", sha}, {"size", st.int64(0)}, {"media_type", st.text(1)}};
        st.reset();
        lock.unlock();
        send_value(res, 200, body);
    });
}

}  // namespace ow::sim
