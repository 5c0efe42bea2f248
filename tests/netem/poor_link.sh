#!/usr/bin/env bash
# poor_link.sh — an emulated poor link (rate limit, random loss, one-way delay) between a client
# network namespace and a server network namespace, for tests and benchmarks. See docs/poor-link.md.
#
#   poor_link.sh up [--rate-kbit 256] [--loss-pct 10] [--delay-ms 150] [--queue-ms 200]
#                   [--name owlink] [--port 8080[,8443…]] [--delay-mode auto|tun|proxy] [--tcp-cc ALG]
#   poor_link.sh down [--name owlink]
#   poor_link.sh run-server [--name owlink] -- CMD…
#   poor_link.sh run-client [--name owlink] -- CMD…
#   poor_link.sh counters [--name owlink]
#   poor_link.sh info [--name owlink]
#   poor_link.sh selftest [--rate-kbit 1024] [--loss-pct 10] [--delay-ms 150] [--payload-kib 2048]
#                         [--delay-mode auto|tun|proxy] [--tcp-cc ALG]
#
# Exit codes: 0 ok, 1 failure, 2 usage error, 77 skipped (not root / no netns, tbf or nftables).
# POOR_LINK_DISABLE=tbf,loss,delay leaves steps out on purpose — only to prove the selftest fails.
set -Eeuo pipefail   # -E: the ERR trap (which command failed) also fires inside functions

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
STATE_ROOT=${POOR_LINK_STATE_DIR:-/run/poor-link}
PYTHON=${POOR_LINK_PYTHON:-python3}

# Fixed inside the namespaces: every link has its own pair, so parallel links cannot collide.
CLIENT_ADDR=127.77.0.1
SERVER_ADDR=127.77.0.2
PREFIX_LEN=30
VETH_C=wan-c          # client end of the veth pair (in <name>-c)
VETH_S=wan-s          # server end (in <name>-s)
MAC_C=02:00:7f:4d:00:01
MAC_S=02:00:7f:4d:00:02
TUN_DEV=wan-delay     # the delay line's TUN device, one in each namespace
DELAY_TABLE=100

die()  { echo "poor-link: error: $*" >&2; exit 1; }
usage_error() { echo "poor-link: usage: $*" >&2; exit 2; }
skip() { echo "poor-link: skipped: $*"; exit 77; }
warn() { echo "poor-link: warning: $*" >&2; }

# ------------------------------------------------------------------------------------------------
# options
# ------------------------------------------------------------------------------------------------
NAME=owlink RATE_KBIT=256 LOSS_PCT=10 DELAY_MS=150 QUEUE_MS=200 PORTS=8080 DELAY_MODE=auto
TCP_CC="" PAYLOAD_KIB=2048
CMD=()

parse_opts() {
  local sub=$1; shift
  while (($#)); do
    local opt=$1 val=""
    if [[ $opt == --*=* ]]; then val=${opt#*=}; opt=${opt%%=*}; set -- "$opt" "$val" "${@:2}"; fi
    case $opt in
      --) shift; CMD=("$@"); break ;;
      --name|--rate-kbit|--loss-pct|--delay-ms|--queue-ms|--port|--delay-mode|--tcp-cc|--payload-kib)
        (($# >= 2)) || usage_error "$sub: $opt needs a value"
        val=$2; shift 2 ;;
      *) usage_error "$sub: unknown argument '$opt' (see the header of $SELF)" ;;
    esac
    case $opt in
      --name) NAME=$val ;;
      --rate-kbit) RATE_KBIT=$val ;;
      --loss-pct) LOSS_PCT=$val ;;
      --delay-ms) DELAY_MS=$val ;;
      --queue-ms) QUEUE_MS=$val ;;
      --port) PORTS=$val ;;
      --delay-mode) DELAY_MODE=$val ;;
      --tcp-cc) TCP_CC=$val ;;
      --payload-kib) PAYLOAD_KIB=$val ;;
    esac
  done
  [[ $NAME =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$ ]] || usage_error "--name: 1-24 of [A-Za-z0-9_-], got '$NAME'"
  int_in "$RATE_KBIT" 8 10000000 || usage_error "--rate-kbit: an integer 8..10000000, got '$RATE_KBIT'"
  [[ $LOSS_PCT =~ ^[0-9]{1,3}(\.[0-9]{1,2})?$ ]] || usage_error "--loss-pct: 0..100 (2 decimals), got '$LOSS_PCT'"
  LOSS_BP=$(loss_basis_points "$LOSS_PCT")
  ((LOSS_BP <= 10000)) || usage_error "--loss-pct: 0..100, got '$LOSS_PCT'"
  int_in "$DELAY_MS" 0 10000 || usage_error "--delay-ms: an integer 0..10000, got '$DELAY_MS'"
  int_in "$QUEUE_MS" 1 10000 || usage_error "--queue-ms: an integer 1..10000, got '$QUEUE_MS'"
  [[ $PORTS =~ ^[0-9]+(,[0-9]+)*$ ]] || usage_error "--port: PORT[,PORT…], got '$PORTS'"
  local p; for p in ${PORTS//,/ }; do int_in "$p" 1 65535 || usage_error "--port: bad port $p"; done
  [[ $DELAY_MODE =~ ^(auto|tun|proxy)$ ]] || usage_error "--delay-mode: auto, tun or proxy, got '$DELAY_MODE'"
  [[ -z $TCP_CC || $TCP_CC =~ ^[a-z0-9_]+$ ]] || usage_error "--tcp-cc: an algorithm name, got '$TCP_CC'"
  int_in "$PAYLOAD_KIB" 1 1048576 || usage_error "--payload-kib: an integer 1..1048576, got '$PAYLOAD_KIB'"
  NS_C="$NAME-c" NS_S="$NAME-s" STATE="$STATE_ROOT/$NAME"
}

int_in() { [[ $1 =~ ^[0-9]{1,9}$ ]] && ((10#$1 >= $2 && 10#$1 <= $3)); }

loss_basis_points() {   # "10" -> 1000, "2.5" -> 250, "0.25" -> 25
  local int=${1%%.*} frac=""
  [[ $1 == *.* ]] && frac=${1#*.}
  frac=${frac}00; frac=${frac:0:2}
  echo $((10#$int * 100 + 10#$frac))
}

# ------------------------------------------------------------------------------------------------
# preflight: one clear "skipped" line when this machine cannot run the harness
# ------------------------------------------------------------------------------------------------
preflight() {
  [[ $(id -u) -eq 0 ]] || skip "needs root (network namespaces, tc and nftables); run as root"
  local tool
  for tool in ip tc nft "$PYTHON"; do
    command -v "$tool" >/dev/null 2>&1 || skip "'$tool' not found (Debian: iproute2, nftables, python3)"
  done
  mkdir -p "$STATE_ROOT" 2>/dev/null || skip "cannot create $STATE_ROOT"
  local boot cache
  boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
  cache="$STATE_ROOT/.probe-$boot"
  if [[ ! -f $cache ]]; then
    probe_kernel >"$cache.tmp.$$" 2>/dev/null || true
    mv -f "$cache.tmp.$$" "$cache"
  fi
  local verdict
  verdict=$(head -n1 "$cache")
  [[ $verdict == ok* ]] || { rm -f "$cache"; skip "${verdict#skip: }"; }
  TUN_OK=0; [[ $verdict == "ok tun" ]] && TUN_OK=1
  return 0
}

# Prints "ok tun", "ok" (no TUN: the proxy fallback) or "skip: <reason>". Leaves nothing behind.
probe_kernel() {
  local ns="owprobe-$$"
  # shellcheck disable=SC2064  # expand now: the name is fixed
  trap "ip netns del $ns 2>/dev/null || true" RETURN
  ip netns add "$ns" 2>/dev/null || { echo "skip: cannot create network namespaces (ip netns add failed)"; return; }
  ip -n "$ns" link set lo up
  ip -n "$ns" link add p0 type veth peer name p1 2>/dev/null || { echo "skip: no veth support in this kernel"; return; }
  tc -n "$ns" qdisc add dev p0 root tbf rate 256kbit burst 3200 limit 10000 2>/dev/null \
    || { echo "skip: tc qdisc tbf is not available (sch_tbf)"; return; }
  # The same rule shapes as cmd_up uses; the skip line carries nft's own first error line.
  local err
  err=$(ip netns exec "$ns" nft -f - 2>&1 <<'EOF'
table netdev probe {
  chain c {
    type filter hook ingress device "p1" priority 0; policy accept;
    numgen random mod 10000 < 1000 counter drop
  }
}
table ip probe {
  chain r {
    type filter hook prerouting priority raw; policy accept;
    notrack
  }
  chain n {
    type nat hook prerouting priority dstnat; policy accept;
    ip daddr 127.77.0.2 dnat to 127.0.0.1
  }
}
EOF
) || { echo "skip: nftables (netdev ingress, numgen, notrack, dnat) unusable: ${err%%$'\n'*}"; return; }
  if ip netns exec "$ns" "$PYTHON" -c '
import fcntl, os, struct
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", b"probetun", 0x1001))' 2>/dev/null; then
    echo "ok tun"
  else
    echo "ok"
  fi
}

link_exists() { ip netns list 2>/dev/null | grep -Eq "^($NS_C|$NS_S)( |$)"; }
require_link() {
  if ! link_exists || [[ ! -f $STATE/info.json ]]; then
    die "link '$NAME' is not up (run: $SELF up --name $NAME)"
  fi
}
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# ------------------------------------------------------------------------------------------------
# up
# ------------------------------------------------------------------------------------------------
UP_DONE=0
up_exit() {   # EXIT trap of up: a half-built link is removed again
  local rc=$?
  ((UP_DONE)) || teardown >/dev/null 2>&1 || true
  exit "$rc"
}

cmd_up() {
  parse_opts up "$@"
  preflight
  if link_exists || [[ -e $STATE ]]; then
    die "link '$NAME' is already up or half-down (run: $SELF down --name $NAME)"
  fi
  local disabled=",${POOR_LINK_DISABLE:-},"
  local step
  for step in tbf loss delay; do
    [[ $disabled == *",$step,"* ]] && warn "the $step step is DISABLED (POOR_LINK_DISABLE) — for testing the selftest only"
  done
  local mode=$DELAY_MODE
  if [[ $mode == auto ]]; then mode=proxy; ((TUN_OK)) && mode=tun; fi
  [[ $mode == tun ]] && ((!TUN_OK)) && die "--delay-mode tun: /dev/net/tun is not usable here (use --delay-mode proxy)"
  if [[ -n $TCP_CC ]]; then
    # A namespace may only default to an algorithm the host namespace allows (the kernel's rule).
    local allowed
    allowed=$(cat /proc/sys/net/ipv4/tcp_allowed_congestion_control)
    [[ " $allowed " == *" $TCP_CC "* ]] || die "--tcp-cc $TCP_CC: a namespace may only default to one of" \
      "'$allowed' (net.ipv4.tcp_allowed_congestion_control of the host); set TCP_CONGESTION per socket instead"
  fi

  # mkdir is the lock: of two concurrent "up --name X", exactly one proceeds.
  mkdir "$STATE" 2>/dev/null || die "link '$NAME' is being set up by another run (or $STATE is stale)"
  trap up_exit EXIT
  trap 'exit 130' INT TERM

  ip netns add "$NS_C"
  ip netns add "$NS_S"
  local ns
  for ns in "$NS_C" "$NS_S"; do
    ip -n "$ns" link set lo up
    # 127/8 off the loopback device: without route_localnet the kernel refuses to route it (EINVAL on
    # connect, martian drops on receive, no ARP). IPv6 stays on lo but off the new devices, so the
    # counters see only the traffic under test.
    nsx "$ns" sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.default.route_localnet=1 \
      net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.default.disable_ipv6=1
    [[ -n $TCP_CC ]] && nsx "$ns" sysctl -qw "net.ipv4.tcp_congestion_control=$TCP_CC"
  done
  ip link add "$VETH_C" address "$MAC_C" netns "$NS_C" type veth peer name "$VETH_S" address "$MAC_S" netns "$NS_S"
  ip -n "$NS_C" addr add "$CLIENT_ADDR/$PREFIX_LEN" scope global dev "$VETH_C"
  ip -n "$NS_S" addr add "$SERVER_ADDR/$PREFIX_LEN" scope global dev "$VETH_S"
  ip -n "$NS_C" link set "$VETH_C" up
  ip -n "$NS_S" link set "$VETH_S" up
  # Routing rules: the local table moves from pref 0 to 1000, so that (a) the peer's address is looked
  # up in main first (pref 50) -- the local table's "local 127.0.0.0/8 dev lo" would otherwise swallow
  # it -- and (b) the delay steering (pref 100, tun mode) comes before local delivery.
  for ns in "$NS_C" "$NS_S"; do
    ip -n "$ns" rule add pref 1000 lookup local
    ip -n "$ns" rule del pref 0 lookup local
  done
  ip -n "$NS_C" rule add pref 50 to "$SERVER_ADDR/32" lookup main
  ip -n "$NS_S" rule add pref 50 to "$CLIENT_ADDR/32" lookup main
  # Static neighbours: no ARP on the lossy wire (and ARP cannot work with the delay routing below).
  ip -n "$NS_C" neigh replace "$SERVER_ADDR" lladdr "$MAC_S" dev "$VETH_C" nud permanent
  ip -n "$NS_S" neigh replace "$CLIENT_ADDR" lladdr "$MAC_C" dev "$VETH_S" nud permanent

  # Rate: tbf on the egress of each veth end = the bottleneck queue of each direction.
  local rate_bps=$((RATE_KBIT * 125))                      # bytes/s (tc kbit = 1000 bit/s)
  local burst=$((rate_bps / 100)); ((burst < 3200)) && burst=3200   # ≥ 2 full frames, ~10 ms at high rates
  local limit=$((rate_bps * QUEUE_MS / 1000)); ((limit < 3 * 1514)) && limit=$((3 * 1514))
  limit=$((limit + burst))
  if [[ $disabled != *",tbf,"* ]]; then
    tc -n "$NS_C" qdisc replace dev "$VETH_C" root tbf rate "${RATE_KBIT}kbit" burst "$burst" limit "$limit"
    tc -n "$NS_S" qdisc replace dev "$VETH_S" root tbf rate "${RATE_KBIT}kbit" burst "$burst" limit "$limit"
  fi

  # Loss: at the ingress of the receiving end, so a lost packet has used its share of the rate
  # (it was sent on the wire and counted by both veth ends), like a packet lost in transit.
  local drop_rule=""
  if ((LOSS_BP > 0)) && [[ $disabled != *",loss,"* ]]; then
    drop_rule="numgen random mod 10000 < $LOSS_BP counter name \"lost\" drop"
  fi
  local dev
  for ns in "$NS_C" "$NS_S"; do
    dev=$VETH_C; [[ $ns == "$NS_S" ]] && dev=$VETH_S
    nsx "$ns" nft -f - <<EOF
table netdev poorlink {
  counter arrived {}
  counter lost {}
  chain ingress {
    type filter hook ingress device "$dev" priority 0; policy accept;
    meta protocol != ip accept
    counter name "arrived"
    $drop_rule
  }
}
EOF
  done

  # Delay.
  local delay=$DELAY_MS
  [[ $disabled == *",delay,"* ]] && delay=0
  if [[ $mode == tun ]]; then
    setup_tun_delay "$NS_C" "$VETH_C" client "$delay"
    setup_tun_delay "$NS_S" "$VETH_S" server "$delay"
    # A server on 127.0.0.1:PORT (or 0.0.0.0:PORT) in the server namespace is reached at
    # SERVER_ADDR:PORT: DNAT after the delay line. The first pass (veth -> TUN) is not tracked, so
    # conntrack sees each packet once, when it comes out of the delay line.
    nsx "$NS_S" nft -f - <<EOF
table ip poorlink_nat {
  chain raw {
    type filter hook prerouting priority raw; policy accept;
    iifname "$VETH_S" notrack
  }
  chain pre {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "$TUN_DEV" ip daddr $SERVER_ADDR dnat to 127.0.0.1
  }
}
EOF
  else
    local port
    for port in ${PORTS//,/ }; do
      start_helper "$NS_S" "proxy-$port" tcp --listen "$SERVER_ADDR:$port" --connect "127.0.0.1:$port" --delay-ms "$delay"
    done
  fi

  local ports_json=${PORTS//,/, } first_port=${PORTS%%,*}
  cat >"$STATE/info.json" <<EOF
{"name": "$NAME", "client_ns": "$NS_C", "server_ns": "$NS_S",
 "client_addr": "$CLIENT_ADDR", "server_addr": "$SERVER_ADDR", "prefix_len": $PREFIX_LEN,
 "client_dev": "$VETH_C", "server_dev": "$VETH_S",
 "connect": "$SERVER_ADDR:$first_port", "server_listen": "127.0.0.1:$first_port", "ports": [$ports_json],
 "delay_mode": "$mode", "rate_kbit": $RATE_KBIT, "loss_pct": $LOSS_PCT, "delay_ms": $DELAY_MS,
 "queue_ms": $QUEUE_MS, "tbf_burst_bytes": $burst, "tbf_limit_bytes": $limit,
 "tcp_cc": "$(nsx "$NS_C" sysctl -n net.ipv4.tcp_congestion_control)",
 "disabled": "${POOR_LINK_DISABLE:-}", "state_dir": "$STATE"}
EOF
  UP_DONE=1
  cat "$STATE/info.json"
}

# Start a delay_proxy.py stage inside a namespace, detached, and wait until it is in place.
start_helper() {
  local ns=$1 role=$2; shift 2
  local ready="$STATE/ready-$role.json"
  rm -f "$ready"
  nsx "$ns" setsid "$PYTHON" "$HERE/delay_proxy.py" "$@" --ready-file "$ready" \
    --stats-file "$STATE/stats-$role.json" </dev/null >>"$STATE/$role.log" 2>&1 &
  local pid=$! i
  echo "$pid" >"$STATE/pid-$role"
  for ((i = 0; i < 100; i++)); do
    if [[ -s $ready ]]; then
      # the stage's own pid (launchers such as a pyenv shim may fork on the way)
      sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$ready" >"$STATE/pid-$role"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "delay stage '$role' exited: $(tail -n3 "$STATE/$role.log" 2>/dev/null)"
    sleep 0.05
  done
  die "delay stage '$role' did not come up within 5 s"
}

# Packet-level delay for the traffic ARRIVING in this namespace: veth -> TUN (delay_proxy.py tun)
# -> local delivery. Policy routing does the steering (the local table is already behind pref 100).
setup_tun_delay() {
  local ns=$1 veth=$2 side=$3 delay=$4
  # ip_forward: veth -> TUN is a forward. Early demux must be off: it attaches the local socket to
  # an arriving packet before routing, and ip_forward() silently drops any packet with a socket
  # attached -- every packet of a flow after the first would vanish.
  nsx "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.ip_early_demux=0
  start_helper "$ns" "delay-$side" tun --dev "$TUN_DEV" --delay-ms "$delay"
  ip -n "$ns" link set "$TUN_DEV" up
  ip -n "$ns" rule add pref 100 iif "$veth" lookup "$DELAY_TABLE"
  ip -n "$ns" route add table "$DELAY_TABLE" default dev "$TUN_DEV"
  # If the delay line dies its device and route vanish: drop traffic rather than pass it undelayed.
  ip -n "$ns" route add table "$DELAY_TABLE" blackhole default metric 4000
}

# ------------------------------------------------------------------------------------------------
# down (idempotent; also the failure path of up and selftest)
# ------------------------------------------------------------------------------------------------
cmd_down() {
  parse_opts down "$@"
  [[ $(id -u) -eq 0 ]] || skip "needs root (network namespaces, tc and nftables); run as root"
  teardown
}

teardown() {
  local f pid ns i
  # 1. our delay stages, by the pids we recorded (checked to still be ours)
  for f in "$STATE"/pid-*; do
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    if [[ $pid =~ ^[0-9]+$ ]] && grep -qa delay_proxy.py "/proc/$pid/cmdline" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  # 2. anything still running inside the link's namespaces (servers/clients started with run-*)
  for ns in "$NS_C" "$NS_S"; do
    ip netns list 2>/dev/null | grep -Eq "^$ns( |$)" || continue
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
      local pids
      pids=$(ip netns pids "$ns" 2>/dev/null || true)
      [[ -z $pids ]] && break
      # shellcheck disable=SC2086  # a list of pids
      if ((i == 1)); then kill -TERM $pids 2>/dev/null || true
      elif ((i == 15)); then kill -KILL $pids 2>/dev/null || true; fi
      sleep 0.1
    done
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$STATE"
}

# ------------------------------------------------------------------------------------------------
# run-server / run-client / counters / info
# ------------------------------------------------------------------------------------------------
cmd_run() {
  local side=$1; shift
  parse_opts "run-$side" "$@"
  preflight
  ((${#CMD[@]})) || usage_error "run-$side [--name N] -- CMD…"
  require_link
  local ns=$NS_C; [[ $side == server ]] && ns=$NS_S
  local connect first_port=${PORTS%%,*}
  connect=$(sed -n 's/.*"connect": "\([^"]*\)".*/\1/p' "$STATE/info.json")
  exec ip netns exec "$ns" env POOR_LINK_NAME="$NAME" POOR_LINK_SIDE="$side" \
    POOR_LINK_CLIENT_ADDR="$CLIENT_ADDR" POOR_LINK_SERVER_ADDR="$SERVER_ADDR" \
    POOR_LINK_CONNECT="${connect:-$SERVER_ADDR:$first_port}" POOR_LINK_DEV="$([[ $side == server ]] && echo $VETH_S || echo $VETH_C)" \
    "${CMD[@]}"
}

cmd_counters() {
  parse_opts counters "$@"
  preflight
  require_link
  "$PYTHON" "$HERE/link_tool.py" counters --state-dir "$STATE"
}

cmd_info() {
  parse_opts info "$@"
  preflight
  require_link
  cat "$STATE/info.json"
}

# ------------------------------------------------------------------------------------------------
# selftest: prove rate, delay and loss are really there, with our own traffic
# ------------------------------------------------------------------------------------------------
cmd_selftest() {
  NAME="owst$$" RATE_KBIT=1024
  parse_opts selftest "$@"
  preflight
  reap_stale_selftests
  local work port=18080
  work=$(mktemp -d "/tmp/poor-link-selftest.$$.XXXXXX")
  # shellcheck disable=SC2064  # expand now
  trap "'$SELF' down --name '$NAME' >/dev/null 2>&1 || true; rm -rf '$work'" EXIT
  trap 'exit 130' INT TERM
  local common=(--name "$NAME" --rate-kbit "$RATE_KBIT" --loss-pct "$LOSS_PCT" --delay-ms "$DELAY_MS"
                --queue-ms "$QUEUE_MS" --port "$port" --delay-mode "$DELAY_MODE")
  "$SELF" up "${common[@]}" >"$work/up.json" || die "selftest: up failed"
  # The probe socket's congestion control (per socket: any available algorithm). BBR by default,
  # so the run fits its time budget at 10 % loss; a loss-based CUBIC needs minutes (see the docs).
  local cc=$TCP_CC cc_opt=()
  if [[ -z $cc ]] && grep -qw bbr /proc/sys/net/ipv4/tcp_available_congestion_control 2>/dev/null; then cc=bbr; fi
  [[ -n $cc ]] && cc_opt=(--tcp-cc "$cc")

  "$SELF" run-server --name "$NAME" -- "$PYTHON" "$HERE/link_tool.py" serve \
    --listen "127.0.0.1:$port" --ready-file "$work/server.ready" >"$work/server.log" 2>&1 &
  local i
  for ((i = 0; i < 100; i++)); do [[ -s $work/server.ready ]] && break; sleep 0.05; done
  [[ -s $work/server.ready ]] || die "selftest: probe server did not start: $(cat "$work/server.log")"

  local rc=0
  "$SELF" run-client --name "$NAME" -- "$PYTHON" "$HERE/link_tool.py" client \
    --connect "$SERVER_ADDR:$port" --payload-bytes $((PAYLOAD_KIB * 1024)) --pings 10 \
    --dev "$VETH_C" --deadline-s 50 "${cc_opt[@]}" >"$work/client.json" || rc=$?
  "$SELF" counters --name "$NAME" >"$work/counters.json" || die "selftest: counters failed"
  if ((rc != 0)); then
    cat "$work/client.json" >&2 || true
    die "selftest: probe client failed (rc $rc; 3 = upload did not finish within its deadline)"
  fi
  # the verdict is the exit status (its reason is already on stderr)
  "$PYTHON" "$HERE/link_tool.py" evaluate --up "$work/up.json" --client "$work/client.json" \
    --counters "$work/counters.json" || exit 1
}

# A selftest killed with SIGKILL (e.g. a CTest timeout) cannot run its trap. Its link is named
# owst<pid>, its work dir /tmp/poor-link-selftest.<pid>.*: remove those whose pid is gone.
reap_stale_selftests() {
  local ns pid dir
  for dir in /tmp/poor-link-selftest.*.*; do
    [[ -d $dir && $dir =~ ^/tmp/poor-link-selftest\.([0-9]+)\. ]] || continue
    [[ -d /proc/${BASH_REMATCH[1]} ]] || rm -rf "$dir"
  done
  while read -r ns _; do
    [[ $ns =~ ^owst([0-9]+)-c$ ]] || continue
    pid=${BASH_REMATCH[1]}
    [[ -d /proc/$pid ]] && continue
    warn "removing the link of a selftest that died without cleaning up: owst$pid"
    (parse_opts down --name "owst$pid" && teardown) || true
  done < <(ip netns list 2>/dev/null)
}

main() {
  trap 'echo "poor-link: error: line $LINENO: $BASH_COMMAND failed" >&2' ERR
  (($#)) || usage_error "$SELF up|down|run-server|run-client|counters|info|selftest [options]"
  local sub=$1; shift
  case $sub in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    run-server) cmd_run server "$@" ;;
    run-client) cmd_run client "$@" ;;
    counters) cmd_counters "$@" ;;
    info) cmd_info "$@" ;;
    selftest) cmd_selftest "$@" ;;
    -h|--help|help) sed -n '2,20p' "$SELF" | sed 's/^# \{0,1\}//' ;;
    *) usage_error "unknown subcommand '$sub' (up, down, run-server, run-client, counters, info, selftest)" ;;
  esac
}

main "$@"
