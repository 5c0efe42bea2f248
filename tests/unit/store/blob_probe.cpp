// Test helper: streams a 50 MB pseudo-random blob into a store and back out, and prints its own
// peak resident memory before and after ("<before KiB> <after KiB>"). A fresh process, so the
// peak reflects this work only.
#include "ow/store/blobs.h"
#include "ow/store/store.h"

#include <sys/resource.h>

#include <cstdio>
#include <random>
#include <streambuf>

namespace {

class RandomBuf : public std::streambuf {
public:
    explicit RandomBuf(std::size_t size) : left_(size), buf_(64 * 1024) {}

protected:
    int_type underflow() override {
        if (left_ == 0) return traits_type::eof();
        std::size_t n = std::min(left_, buf_.size());
        for (std::size_t i = 0; i < n; ++i) buf_[i] = char(rng_() & 0xFF);
        left_ -= n;
        setg(buf_.data(), buf_.data(), buf_.data() + n);
        return traits_type::to_int_type(buf_[0]);
    }

private:
    std::size_t left_;
    std::mt19937 rng_{7};
    std::vector<char> buf_;
};

struct Sink : std::streambuf {
    std::size_t n = 0;
    std::streamsize xsputn(const char*, std::streamsize k) override {
        n += std::size_t(k);
        return k;
    }
    int_type overflow(int_type c) override {
        ++n;
        return c;
    }
};

long peak_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    long before = peak_kib();  // before anything (the unlock's Argon2id memory counts too)
    try {
        auto s = ow::store::Store::open(argv[1], "clerk", argv[2]);
        ow::store::BlobStore b(s->db(), s->dir(), s->key());
        const std::size_t size = std::size_t(50) << 20;
        RandomBuf src(size);
        std::istream in(&src);
        std::string sha = b.put(in, "application/pdf");
        Sink sink;
        std::ostream out(&sink);
        b.get(sha, out);
        if (sink.n != size) return 3;
        std::printf("%ld %ld\n", before, peak_kib());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
