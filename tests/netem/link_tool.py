#!/usr/bin/env python3
"""Helpers of poor_link.sh (python3 standard library only).

  counters  --state-dir D                     JSON counters of a link that is up (run as root)
  serve     --listen HOST:PORT [--ready-file F]   probe HTTP server (GET /ping, POST /upload)
  client    --connect HOST:PORT --payload-bytes N [--pings N] [--dev VETH]   probe client, JSON
  evaluate  --up F --client F --counters F    selftest verdict: JSON report, exit 0/1
"""
import argparse
import hashlib
import http.client
import http.server
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import time


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else None


# --------------------------------------------------------------------------------------------
# counters
# --------------------------------------------------------------------------------------------
def link_stats(ns, dev):
    data = run_json(["ip", "-n", ns, "-s", "-j", "link", "show", "dev", dev])[0]
    stats = data.get("stats64") or data["stats"]
    return stats["tx"], stats["rx"]


def nft_counters(ns):
    data = run_json(["ip", "netns", "exec", ns, "nft", "-j", "list", "counters", "table", "netdev",
                     "poorlink"])
    out = {}
    for item in data["nftables"]:
        c = item.get("counter")
        if c:
            out[c["name"]] = {"packets": c["packets"], "bytes": c["bytes"]}
    return out


def tbf_stats(ns, dev):
    for q in run_json(["tc", "-n", ns, "-s", "-j", "qdisc", "show", "dev", dev]) or []:
        if q.get("kind") == "tbf":
            return {k: q.get(k, 0) for k in ("bytes", "packets", "drops", "overlimits", "backlog")}
    return None  # no tbf: the rate limit is not applied


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def pid_alive(state_dir, role):
    try:
        with open(os.path.join(state_dir, f"pid-{role}"), encoding="utf-8") as f:
            pid = int(f.read().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"delay_proxy.py" in f.read()
    except (OSError, ValueError):
        return False


def cmd_counters(args):
    info = read_json(os.path.join(args.state_dir, "info.json"))
    if info is None:
        sys.exit("link_tool: no info.json in the state dir (is the link up?)")
    c_tx, c_rx = link_stats(info["client_ns"], info["client_dev"])
    s_tx, s_rx = link_stats(info["server_ns"], info["server_dev"])
    nft_c = nft_counters(info["client_ns"])  # counts what ARRIVES in the client namespace
    nft_s = nft_counters(info["server_ns"])
    stages = {}
    for fname in sorted(os.listdir(args.state_dir)):
        if fname.startswith("stats-") and fname.endswith(".json"):
            role = fname[len("stats-"):-len(".json")]
            stages[role] = read_json(os.path.join(args.state_dir, fname)) or {}
            stages[role]["alive"] = pid_alive(args.state_dir, role)

    def direction(tx, rx, nft, tbf):
        return {
            "wire_bytes": tx["bytes"], "wire_packets": tx["packets"],   # sent onto the veth (L2)
            "received_bytes": rx["bytes"], "received_packets": rx["packets"],
            "ipv4_arrived_packets": nft["arrived"]["packets"],
            "ipv4_arrived_bytes": nft["arrived"]["bytes"],               # L3 bytes
            "lost_packets": nft["lost"]["packets"], "lost_bytes": nft["lost"]["bytes"],
            "tbf": tbf,                                                  # bottleneck queue
        }

    out = {
        "name": info["name"], "time": time.time(), "delay_mode": info["delay_mode"],
        "client_to_server": direction(c_tx, s_rx, nft_s, tbf_stats(info["client_ns"], info["client_dev"])),
        "server_to_client": direction(s_tx, c_rx, nft_c, tbf_stats(info["server_ns"], info["server_dev"])),
        "delay_stages": stages,
    }
    json.dump(out, sys.stdout, indent=1)
    print()


# --------------------------------------------------------------------------------------------
# probe server
# --------------------------------------------------------------------------------------------
class ProbeHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *_):
        pass

    def _reply(self, body, ctype="application/json"):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != "/ping":
            self.send_error(404)
            return
        self._reply(b"pong", "text/plain")

    def do_POST(self):
        if self.path != "/upload":
            self.send_error(404)
            return
        remaining = int(self.headers.get("Content-Length", "0"))
        digest = hashlib.sha256()
        total = 0
        first = last = None
        while remaining > 0:
            chunk = self.rfile.read1(min(remaining, 65536))
            if not chunk:
                break
            now = time.monotonic()
            if first is None:
                first = now
            last = now
            digest.update(chunk)
            total += len(chunk)
            remaining -= len(chunk)
        self._reply(json.dumps({"bytes": total, "sha256": digest.hexdigest(),
                                "first_to_last_s": (last - first) if first else 0.0}).encode())


def cmd_serve(args):
    host, port = split_hostport(args.listen)
    server = http.server.ThreadingHTTPServer((host, port), ProbeHandler)
    server.daemon_threads = True
    if args.ready_file:
        with open(args.ready_file + ".tmp", "w", encoding="utf-8") as f:
            json.dump({"pid": os.getpid(), "listen": args.listen}, f)
        os.replace(args.ready_file + ".tmp", args.ready_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


# --------------------------------------------------------------------------------------------
# probe client
# --------------------------------------------------------------------------------------------
def dev_counters(dev):
    base = f"/sys/class/net/{dev}/statistics/"
    try:
        with open(base + "tx_bytes") as tx, open(base + "rx_bytes") as rx:
            return int(tx.read()), int(rx.read())
    except OSError:
        return None


def tcp_info(sock):
    """A few fields of Linux struct tcp_info (stable ABI; offsets from <linux/tcp.h>)."""
    try:
        raw = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    except OSError:
        return {}
    u32 = lambda off: struct.unpack_from("I", raw, off)[0] if len(raw) >= off + 4 else None
    u64 = lambda off: struct.unpack_from("Q", raw, off)[0] if len(raw) >= off + 8 else None
    info = {"srtt_ms": u32(68) / 1000.0, "total_retrans_segments": u32(100),
            "snd_cwnd": u32(80), "min_rtt_ms": None, "bytes_sent": None, "bytes_retrans": None}
    if u32(148) is not None:
        info["min_rtt_ms"] = u32(148) / 1000.0
    info["bytes_acked"] = u64(120)
    info["bytes_sent"] = u64(200)
    info["bytes_retrans"] = u64(208)
    return info


def cmd_client(args):
    host, port = split_hostport(args.connect)
    deadline = time.monotonic() + args.deadline_s
    result = {"connect": args.connect, "payload_bytes": args.payload_bytes}
    t0 = time.monotonic()
    conn = http.client.HTTPConnection(host, port, timeout=max(5.0, args.deadline_s))
    if args.tcp_cc:  # per socket, before connect (root may use any available algorithm)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, args.tcp_cc.encode())
        sock.settimeout(conn.timeout)
        sock.connect((host, port))
        conn.sock = sock
    else:
        conn.connect()
    result["tcp_cc"] = conn.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16) \
        .split(b"\0", 1)[0].decode()
    result["tcp_connect_ms"] = (time.monotonic() - t0) * 1000.0
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    rtts = []
    for _ in range(args.pings):
        t = time.monotonic()
        conn.request("GET", "/ping")
        body = conn.getresponse().read()
        if body != b"pong":
            sys.exit(f"link_tool: bad ping reply {body!r}")
        rtts.append((time.monotonic() - t) * 1000.0)
        if time.monotonic() > deadline:
            sys.exit("link_tool: deadline passed during pings")
    result["rtt_ms"] = {"samples": [round(r, 2) for r in rtts], "min": min(rtts),
                        "median": statistics.median(rtts), "max": max(rtts)}

    payload = os.urandom(args.payload_bytes)
    expect = hashlib.sha256(payload).hexdigest()
    before = dev_counters(args.dev) if args.dev else None
    info_before = tcp_info(conn.sock)
    conn.sock.settimeout(max(1.0, deadline - time.monotonic()))
    t = time.monotonic()
    try:
        conn.request("POST", "/upload", body=payload,
                     headers={"Content-Type": "application/octet-stream"})
        reply = json.loads(conn.getresponse().read())
    except (TimeoutError, socket.timeout) as exc:
        # Report how far it got (bytes the peer acknowledged) rather than a bare traceback.
        info_now = tcp_info(conn.sock)
        acked = None
        if info_now.get("bytes_acked") is not None and info_before.get("bytes_acked") is not None:
            acked = info_now["bytes_acked"] - info_before["bytes_acked"]
        elapsed = time.monotonic() - t
        result["upload"] = {"completed": False, "error": f"timed out after {elapsed:.1f} s ({exc})",
                            "elapsed_s": elapsed, "bytes_acked": acked,
                            "goodput_kbit_so_far": acked * 8 / elapsed / 1000 if acked else None}
        result["tcp_info"] = info_now
        json.dump(result, sys.stdout, indent=1)
        print()
        return 3
    elapsed = time.monotonic() - t
    after = dev_counters(args.dev) if args.dev else None
    info_after = tcp_info(conn.sock)
    conn.close()
    result["upload"] = {
        "completed": True,
        "elapsed_s": elapsed,
        "server_first_to_last_s": reply["first_to_last_s"],
        "received_bytes": reply["bytes"],
        "intact": reply["bytes"] == args.payload_bytes and reply["sha256"] == expect,
    }
    if before and after:
        result["upload"]["dev_tx_bytes"] = after[0] - before[0]
        result["upload"]["dev_rx_bytes"] = after[1] - before[1]
    result["tcp_info"] = info_after
    if info_before.get("total_retrans_segments") is not None:
        result["upload"]["retrans_segments"] = (info_after["total_retrans_segments"]
                                                - info_before["total_retrans_segments"])
    if info_before.get("bytes_retrans") is not None and info_after.get("bytes_retrans") is not None:
        result["upload"]["retrans_bytes"] = info_after["bytes_retrans"] - info_before["bytes_retrans"]
    json.dump(result, sys.stdout, indent=1)
    print()


# --------------------------------------------------------------------------------------------
# evaluate
# --------------------------------------------------------------------------------------------
RATE_TOLERANCE = 0.05   # measured rates may exceed the configured one by this fraction at most


def cmd_evaluate(args):
    up = read_json(args.up)
    client = read_json(args.client)
    counters = read_json(args.counters)
    if not (up and client and counters):
        sys.exit("link_tool: evaluate: missing or unreadable input")
    rate = up["rate_kbit"]
    delay = up["delay_ms"]
    loss_on = float(up["loss_pct"]) > 0
    upl = client["upload"]
    payload = client["payload_bytes"]
    goodput = payload * 8 / upl["elapsed_s"] / 1000.0
    server_s = upl["server_first_to_last_s"]
    goodput_server = payload * 8 / server_s / 1000.0 if server_s > 0 else float("inf")
    wire = upl.get("dev_tx_bytes")
    wire_kbit = wire * 8 / upl["elapsed_s"] / 1000.0 if wire is not None else None
    c2s, s2c = counters["client_to_server"], counters["server_to_client"]

    report = {
        "config": {**{k: up[k] for k in ("delay_mode", "rate_kbit", "loss_pct", "delay_ms", "queue_ms",
                                         "tbf_burst_bytes", "tbf_limit_bytes", "disabled")},
                   "tcp_cc_namespace_default": up["tcp_cc"], "tcp_cc_probe_socket": client.get("tcp_cc")},
        "payload_bytes": payload,
        "upload_s": round(upl["elapsed_s"], 3),
        "goodput_kbit": round(goodput, 1),
        "goodput_fraction_of_rate": round(goodput / rate, 4),
        "goodput_receiver_kbit": round(goodput_server, 1),
        "wire_bytes_client_to_server_during_upload": wire,
        "wire_kbit_during_upload": round(wire_kbit, 1) if wire_kbit is not None else None,
        "wire_fraction_of_rate": round(wire_kbit / rate, 4) if wire_kbit is not None else None,
        "wire_bytes_per_payload_byte": round(wire / payload, 4) if wire else None,
        "wire_bytes_server_to_client_during_upload": upl.get("dev_rx_bytes"),
        "tcp_retrans_segments_during_upload": upl.get("retrans_segments"),
        "tcp_retrans_bytes_during_upload": upl.get("retrans_bytes"),
        "tcp_min_rtt_ms_seen_by_client_stack": client["tcp_info"].get("min_rtt_ms"),
        "tcp_connect_ms": round(client["tcp_connect_ms"], 1),
        "rtt_ms": {k: round(client["rtt_ms"][k], 1) for k in ("min", "median", "max")},
        "lost_packets": {"client_to_server": c2s["lost_packets"], "server_to_client": s2c["lost_packets"]},
        "arrived_packets": {"client_to_server": c2s["ipv4_arrived_packets"],
                            "server_to_client": s2c["ipv4_arrived_packets"]},
        "loss_fraction_measured": {
            d: round(x["lost_packets"] / x["ipv4_arrived_packets"], 4) if x["ipv4_arrived_packets"] else 0.0
            for d, x in (("client_to_server", c2s), ("server_to_client", s2c))},
        "tbf_drops": {"client_to_server": (c2s["tbf"] or {}).get("drops"),
                      "server_to_client": (s2c["tbf"] or {}).get("drops")},
        "delay_stages_alive": all(s.get("alive") for s in counters["delay_stages"].values()),
    }
    checks = {}
    limit = rate * (1 + RATE_TOLERANCE)
    measured = [goodput, goodput_server] + ([wire_kbit] if wire_kbit is not None else [])
    checks["rate_limited"] = {
        "ok": bool(c2s["tbf"] and s2c["tbf"]) and max(measured) <= limit,
        "why": f"max(goodput, receiver goodput, wire rate) = {max(measured):.1f} kbit/s "
               f"must be <= {limit:.1f} (rate {rate} + {RATE_TOLERANCE:.0%}); tbf present both ways: "
               f"{bool(c2s['tbf'] and s2c['tbf'])}"}
    checks["delay_present"] = {
        "ok": client["rtt_ms"]["min"] >= 2 * delay,
        "why": f"min RTT {client['rtt_ms']['min']:.1f} ms must be >= 2 x {delay} ms"}
    if loss_on:
        ok = c2s["lost_packets"] > 0 and s2c["lost_packets"] > 0
        why = "the loss rule must have dropped packets in both directions"
    else:
        ok = c2s["lost_packets"] == 0 and s2c["lost_packets"] == 0
        why = "loss is off: nothing may have been dropped by the loss rule"
    checks["loss_applied"] = {"ok": ok, "why": why}
    checks["payload_intact"] = {"ok": bool(upl["intact"]), "why": "server got every byte, same SHA-256"}
    checks["delay_stages_alive"] = {"ok": report["delay_stages_alive"], "why": "delay processes still running"}
    report["checks"] = checks
    report["passed"] = all(c["ok"] for c in checks.values())
    json.dump(report, sys.stdout, indent=1)
    print()
    if not report["passed"]:
        failed = ", ".join(k for k, c in checks.items() if not c["ok"])
        print(f"poor-link: selftest FAILED: {failed}", file=sys.stderr)
        return 1
    return 0


def split_hostport(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"link_tool: expected HOST:PORT, got {text!r}")
    return host, int(port)


def main():
    parser = argparse.ArgumentParser(description="helpers of poor_link.sh")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("counters")
    p.add_argument("--state-dir", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--listen", required=True)
    p.add_argument("--ready-file")
    p = sub.add_parser("client")
    p.add_argument("--connect", required=True)
    p.add_argument("--payload-bytes", type=int, default=2 * 1024 * 1024)
    p.add_argument("--pings", type=int, default=10)
    p.add_argument("--dev", help="veth whose sysfs counters bracket the upload")
    p.add_argument("--deadline-s", type=float, default=50.0)
    p.add_argument("--tcp-cc", help="congestion control of the probe socket (TCP_CONGESTION)")
    p = sub.add_parser("evaluate")
    p.add_argument("--up", required=True)
    p.add_argument("--client", required=True)
    p.add_argument("--counters", required=True)
    args = parser.parse_args()
    return {"counters": cmd_counters, "serve": cmd_serve, "client": cmd_client,
            "evaluate": cmd_evaluate}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
