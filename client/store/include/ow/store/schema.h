// Schema versions and forward-only migrations (see src/schema.cpp for the DDL).
#pragma once

#include "ow/store/db.h"

namespace ow::store {

int current_schema_version();
int schema_version(Db& db);
/// Applies every migration after the database's version up to `target` (0 = current), each in
/// its own transaction. StoreError("store.too_new") when the database is newer than this build.
void migrate(Db& db, int target = 0);

}  // namespace ow::store
