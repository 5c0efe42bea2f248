// Deliberately mislinked: plain libsqlite3 comes before SQLCipher on the link line, so the
// sqlite3_* symbols resolve to plain SQLite — the silent failure mode of design.md. The store
// must notice (PRAGMA cipher_version is empty) and refuse instead of writing unencrypted data.
// Exit 3 = refused as it should; 0 = it wrote a store (the guard failed); 1 = other error.
#include "ow/store/errors.h"
#include "ow/store/store.h"

#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
    if (argc != 2) return 1;
    try {
        ow::store::Store::init(argv[1], "probe", ow::core::Role::admin, "probe password", {1, std::size_t(8) << 20});
        std::puts("store written: the plain-SQLite guard did not fire");
        return 0;
    } catch (const ow::store::StoreError& e) {
        std::printf("%s [%s]\n", e.what(), e.code().c_str());
        return e.code() == "store.no_sqlcipher" ? 3 : 1;
    }
}
