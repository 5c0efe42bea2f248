#!/usr/bin/env python3
"""Prints the store benchmark as a Markdown table: SQLCipher vs plain SQLite, and the ratios."""
import json
import sys

c, p = (json.load(open(f)) for f in sys.argv[1:3])
rows = [
    ("seed: cases", c["seed"]["cases"], p["seed"]["cases"], None),
    ("seed: history rows", c["seed"]["history_rows"], p["seed"]["history_rows"], None),
    ("seed: seconds", c["seed"]["seconds"], p["seed"]["seconds"], True),
    ("seed: cases/s", c["seed"]["cases_per_second"], p["seed"]["cases_per_second"], None),
    ("database size (GB)", c["seed"]["db_bytes"] / 1e9, p["seed"]["db_bytes"] / 1e9, True),
    ("bytes per case", c["seed"]["bytes_per_case"], p["seed"]["bytes_per_case"], None),
]
for key, label in (("search_id_number", "ID number"), ("search_name_prefix", "name prefix"),
                   ("search_receipt_no", "receipt number")):
    rows.append((f"search by {label}: p50 ms", c[key]["p50_ms"], p[key]["p50_ms"], True))
    rows.append((f"search by {label}: p95 ms", c[key]["p95_ms"], p[key]["p95_ms"], True))
rows.append(("unlock (Argon2id + open): p50 ms", c["unlock"]["p50_ms"], p["unlock"]["p50_ms"], None))
print("| measure | SQLCipher | plain SQLite | ratio |")
print("|---|---|---|---|")
for name, a, b, ratio in rows:
    fmt = (lambda v: f"{v:,.0f}") if isinstance(a, int) or a >= 100 else (lambda v: f"{v:.3f}")
    r = f"{a / b:.2f}" if ratio and b else ""
    print(f"| {name} | {fmt(a)} | {fmt(b)} | {r} |")
