#!/usr/bin/env python3
"""Delay stage of the poor-link harness (python3 standard library only).

This kernel has no netem, sch_fq or sch_etf, so no qdisc can hold a packet back for a fixed time.
The delay is added in user space, in one of two forms:

``tun``  (default, packet level) -- owns a TUN device. Policy routing sends every IP packet that
         arrives on the namespace's veth into the TUN device; this process reads it, keeps it for
         ``--delay-ms`` and writes it back, and the kernel then delivers it locally. TCP is NOT
         terminated: the client's and the server's own TCP stacks see the long RTT, the losses and
         the rate limit end to end, as on a real WAN.

``tcp``  (fallback, stream level) -- a TCP forwarder: accepts on ``--listen``, connects to
         ``--connect``, and delays every chunk it relays by ``--delay-ms`` in each direction. TCP
         is terminated here, so the hop in front of it recovers losses with its own (short) RTT.

Both forms timestamp each packet/chunk when it is read and release it at ``read time + delay``
from a FIFO per direction: order is preserved, and reading never waits for writing, so the stage
adds latency but does not limit throughput (no per-chunk sleep that serialises the flow).
"""
import argparse
import asyncio
import collections
import fcntl
import json
import os
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
# asyncio may run a timer up to the clock's resolution early; release what is due within it.
CLOCK_SLACK = time.get_clock_info("monotonic").resolution


class DelayLine:
    """FIFO of (due, item) released to ``sink`` at ``due``; one timer armed for the head only."""

    def __init__(self, loop, delay_s, sink, max_items=100_000):
        self.loop = loop
        self.delay = delay_s
        self.sink = sink
        self.max_items = max_items
        self.queue = collections.deque()
        self.timer = None
        self.stats = {"items": 0, "bytes": 0, "overflow_drops": 0, "max_queued": 0}

    def push(self, item, size):
        if len(self.queue) >= self.max_items:
            self.stats["overflow_drops"] += 1
            return
        self.queue.append((self.loop.time() + self.delay, item))
        self.stats["items"] += 1
        self.stats["bytes"] += size
        self.stats["max_queued"] = max(self.stats["max_queued"], len(self.queue))
        if self.timer is None:
            self._arm()

    def _arm(self):
        self.timer = self.loop.call_at(self.queue[0][0], self._release)

    def _release(self):
        self.timer = None
        now = self.loop.time() + CLOCK_SLACK
        while self.queue and self.queue[0][0] <= now:
            self.sink(self.queue.popleft()[1])
        if self.queue:
            self._arm()


def write_json_atomic(path, data):
    if not path:
        return
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------------
# tun: packet-level delay line
# --------------------------------------------------------------------------------------------
async def run_tun(args):
    loop = asyncio.get_running_loop()
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", args.dev.encode(), IFF_TUN | IFF_NO_PI))
    stats = {"mode": "tun", "dev": args.dev, "delay_ms": args.delay_ms, "write_errors": 0}

    def sink(packet):
        try:
            os.write(fd, packet)
        except OSError:
            stats["write_errors"] += 1

    line = DelayLine(loop, args.delay_ms / 1000.0, sink)

    def on_readable():
        for _ in range(256):  # bounded batch, then let timers run
            try:
                packet = os.read(fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                return
            line.push(packet, len(packet))

    loop.add_reader(fd, on_readable)
    write_json_atomic(args.ready_file, {"pid": os.getpid(), "dev": args.dev})
    await publish_stats_until_stopped(args, lambda: {**stats, **line.stats,
                                                     "queued_now": len(line.queue)})
    loop.remove_reader(fd)
    os.close(fd)


# --------------------------------------------------------------------------------------------
# tcp: stream-level delay proxy
# --------------------------------------------------------------------------------------------
QUEUE_HIGH_WATER = 8 * 1024 * 1024  # stop reading a direction when this much is in flight


async def relay(reader, writer, delay_s, counters):
    """One direction: read chunks as they come, release each at read time + delay."""
    loop = asyncio.get_running_loop()
    queue = collections.deque()
    have_item = asyncio.Event()
    room = asyncio.Event()
    room.set()
    queued = 0

    async def read_side():
        nonlocal queued
        try:
            while True:
                await room.wait()
                chunk = await reader.read(65536)
                queue.append((loop.time() + delay_s, chunk))
                have_item.set()
                if not chunk:
                    return
                counters["bytes"] += len(chunk)
                counters["chunks"] += 1
                queued += len(chunk)
                if queued > QUEUE_HIGH_WATER:
                    room.clear()
        except (ConnectionError, OSError):
            queue.append((loop.time() + delay_s, None))  # reset: propagate after the delay
            have_item.set()

    async def write_side():
        nonlocal queued
        while True:
            if not queue:
                have_item.clear()
                await have_item.wait()
            due, chunk = queue[0]
            wait = due - loop.time()
            if wait > CLOCK_SLACK:
                await asyncio.sleep(wait)  # until an absolute deadline; reading goes on meanwhile
            queue.popleft()
            if chunk is None:  # the other side was reset: reset this one too (RST, not FIN)
                sock = writer.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            if not chunk:  # EOF: half-close, the other direction goes on
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(chunk)
            queued -= len(chunk)
            if queued <= QUEUE_HIGH_WATER:
                room.set()
            await writer.drain()

    reader_task = asyncio.ensure_future(read_side())
    try:
        await write_side()
    except (ConnectionError, OSError):
        pass
    finally:
        reader_task.cancel()


async def run_tcp(args):
    listen_host, listen_port = split_hostport(args.listen)
    connect_host, connect_port = split_hostport(args.connect)
    delay_s = args.delay_ms / 1000.0
    stats = {"mode": "tcp", "listen": args.listen, "connect": args.connect,
             "delay_ms": args.delay_ms, "connections": 0, "connect_errors": 0,
             "up": {"bytes": 0, "chunks": 0}, "down": {"bytes": 0, "chunks": 0}}

    async def handle(client_reader, client_writer):
        stats["connections"] += 1
        try:
            server_reader, server_writer = await asyncio.open_connection(connect_host, connect_port)
        except OSError:
            stats["connect_errors"] += 1
            client_writer.transport.abort()
            return
        for w in (client_writer, server_writer):
            sock = w.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            await asyncio.gather(relay(client_reader, server_writer, delay_s, stats["up"]),
                                 relay(server_reader, client_writer, delay_s, stats["down"]))
        finally:
            for w in (client_writer, server_writer):
                w.close()

    server = await asyncio.start_server(handle, listen_host, listen_port, reuse_address=True)
    write_json_atomic(args.ready_file, {"pid": os.getpid(), "listen": args.listen})
    async with server:
        await publish_stats_until_stopped(args, lambda: stats)


def split_hostport(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"delay_proxy: expected HOST:PORT, got {text!r}")
    return host, int(port)


async def publish_stats_until_stopped(args, snapshot):
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    while not stop.is_set():
        write_json_atomic(args.stats_file, snapshot())
        try:
            await asyncio.wait_for(stop.wait(), timeout=0.5)
        except asyncio.TimeoutError:
            pass
    write_json_atomic(args.stats_file, snapshot())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    tun = sub.add_parser("tun", help="packet-level delay line on a TUN device")
    tun.add_argument("--dev", required=True)
    tcp = sub.add_parser("tcp", help="stream-level delay proxy")
    tcp.add_argument("--listen", required=True, help="HOST:PORT to accept on")
    tcp.add_argument("--connect", required=True, help="HOST:PORT to forward to")
    for p in (tun, tcp):
        p.add_argument("--delay-ms", type=float, required=True, help="one-way delay added")
        p.add_argument("--ready-file", help="written (JSON) once the stage is in place")
        p.add_argument("--stats-file", help="JSON statistics, refreshed every 0.5 s")
    args = parser.parse_args()
    if args.delay_ms < 0:
        parser.error("--delay-ms must be >= 0")
    try:
        asyncio.run(run_tun(args) if args.mode == "tun" else run_tcp(args))
    except OSError as exc:
        print(f"delay_proxy: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
