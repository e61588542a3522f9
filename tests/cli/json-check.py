# SPDX-License-Identifier: ISC
# The JSON dialect of udptool, as udptool-json(7) describes it, written
# down once so a test can hold every command's output to it.
#
# Usage: python3 json-check.py FILE...   (JSON lines; one-shot documents too)
# Prints one line per fault and exits 1 if there was any.
import json
import re
import sys

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
# host:port, [v6]:port, or an address alone (ICMP peers, local addresses).
ADDR = re.compile(r"^(\[[0-9a-fA-F:.%\w-]+\]:\d+|[^\s:\[\]]+:\d+|[0-9a-fA-F:.%\w-]+)$")

S, I, N, B = "str", "int", "num", "bool"
A, T, O, L = "addr", "time", "obj", "list"
NULLABLE = "null"

# Every event of a stream: type, time, timestamp; "target" where ping has
# several hosts.
EVENT = {"type": S, "time": T, "timestamp": N, "target": S}

DATAGRAM = {
    "from": A, "to": A, "length": I, "truncated": B, "hex": S, "text": S,
    "ttl": I, "tos": I, "reason": S,
}
ICMP = {
    "from": A, "message": S, "icmp_type": I, "icmp_code": I, "reason": S,
    "seq": I, "mtu": I,
}
SUMMARY = {
    # who
    "target": S, "address": A, "socket": S, "final": B,
    # how long
    "elapsed_s": N,
    # counts, the same names in send, ping, listen and echo-serve
    "sent": I, "sent_bytes": I, "received": I, "received_bytes": I,
    "refused": I, "unreachable": I, "icmp_other": I, "timed_out": I,
    "unanswered": I, "matched": I, "duplicates": I, "errors": I,
    "lost": I, "reordered": I, "late": I, "invalid": I, "loss_pct": N,
    "truncated": I, "senders": I, "senders_evicted": I, "dropped": I,
    "send_errors": I, "kernel_drops": I, "invalid_lines": I,
    "segmented_sends": I, "segmented_replies": I, "segmented_refused": I,
    # round trips
    "rtt_min_ms": N, "rtt_avg_ms": N, "rtt_max_ms": N, "rtt_mdev_ms": N,
    "rtt_p50_ms": N, "rtt_p90_ms": N, "rtt_p99_ms": N, "jitter_ms": N,
    # breakdowns
    "top_senders": L, "drops": O, "send_errors_by_kind": O, "peers": L,
    "histogram": L,
    # relay: its clients, the seed, and each direction apart
    "seed": I, "clients": I, "clients_active": I, "clients_expired": I,
    "clients_refused": I, "up": O, "down": O,
}
TYPES = {
    "datagram": (DATAGRAM, ["from", "length"]),
    "reply": (dict(DATAGRAM, rtt_ms=N, seq=I, duplicate=B, late=B,
                   reordered=B), ["length"]),
    "unsent": (DATAGRAM, ["to", "length"]),
    "sent": ({"to": A, "length": I}, ["to", "length"]),
    "refused": (ICMP, ["from"]),
    "unreachable": (ICMP, ["from"]),
    "icmp_error": (ICMP, ["from"]),
    "timeout": ({"seq": I}, ["seq"]),
    "outstanding": ({"seq": I}, ["seq"]),
    "kernel_drops": ({"dropped": I, "kernel_drops": I},
                     ["dropped", "kernel_drops"]),
    "stats": ({"received_per_s": N, "sent_per_s": N,
               "received_bytes_per_s": N, "received": I, "sent": I,
               "dropped": I, "send_errors": I, "up": O, "down": O,
               "clients_active": I}, ["received"]),
    "summary": (SUMMARY, []),
    "client": ({"from": A}, ["from"]),
    "client_refused": ({"from": A}, ["from"]),
    "client_expired": ({"from": A}, ["from"]),
}
TOP_SENDER = {"address": A, "received": I, "received_bytes": I, "sent": I,
              "dropped": I}
PEER = dict(SUMMARY, address=A)
# relay's "up" (client to target) and "down" in its stats and summary
RELAY_DIR = {"received": I, "received_bytes": I, "sent": I, "sent_bytes": I,
             "dropped": I, "duplicated": I, "reordered": I, "corrupted": I,
             "delayed": I, "drops": O, "received_per_s": N, "sent_per_s": N}

faults = []


def fault(where, msg):
    faults.append("%s: %s" % (where, msg))


def check_value(where, key, kind, v):
    if v is None:
        return
    ok = {
        S: isinstance(v, str),
        I: isinstance(v, int) and not isinstance(v, bool),
        N: isinstance(v, (int, float)) and not isinstance(v, bool),
        B: isinstance(v, bool),
        A: isinstance(v, str) and ADDR.match(v) is not None,
        T: isinstance(v, str) and TIME.match(v) is not None,
        O: isinstance(v, dict),
        L: isinstance(v, list),
    }[kind]
    if not ok:
        fault(where, "%r is %r, not a %s" % (key, v, kind))


def check_obj(where, d, allowed, required):
    for k in required:
        if k not in d:
            fault(where, "%r is missing" % k)
    for k, v in d.items():
        if k not in allowed:
            fault(where, "%r is not in the schema" % k)
            continue
        check_value(where, k, allowed[k], v)


def check_event(where, d):
    t = d.get("type")
    if t not in TYPES:
        fault(where, "unknown type %r" % t)
        return
    allowed, required = TYPES[t]
    check_obj(where, d, dict(EVENT, **allowed),
              ["type", "time", "timestamp"] + required)
    for i, s in enumerate(d.get("top_senders") or []):
        check_obj("%s top_senders[%d]" % (where, i), s, TOP_SENDER,
                  ["address", "received"])
    for i, p in enumerate(d.get("peers") or []):
        check_obj("%s peers[%d]" % (where, i), p, PEER, ["address", "sent"])
    for k in ("drops", "send_errors_by_kind"):
        for r, n in (d.get(k) or {}).items():
            check_value(where, "%s.%s" % (k, r), I, n)
    for k in ("up", "down"):
        if isinstance(d.get(k), dict):
            check_obj("%s %s" % (where, k), d[k], RELAY_DIR,
                      ["received", "sent", "dropped"])
            for r, n in (d[k].get("drops") or {}).items():
                check_value(where, "%s.drops.%s" % (k, r), I, n)


def check_family(where, d):
    """family is spelt ipv4 or ipv6 wherever it appears."""
    if isinstance(d, dict):
        for k, v in d.items():
            if k == "family" and v not in ("ipv4", "ipv6"):
                fault(where, "family %r (ipv4 or ipv6)" % v)
            check_family(where, v)
    elif isinstance(d, list):
        for v in d:
            check_family(where, v)


def check_document(where, d):
    """One-shot answers: resolve, lookup-port, mask."""
    if "error" in d:
        check_obj(where, d, {"error": S}, ["error"])
    elif "results" in d:
        for i, r in enumerate(d["results"]):
            w = "%s results[%d]" % (where, i)
            check_obj(w, r, {"query": S, "host": S, "port": I,
                             "is_address": B, "status": S,
                             "canonical_name": S, "addresses": L,
                             "error": S}, ["query", "status"])
            for j, a in enumerate(r.get("addresses") or []):
                check_obj("%s addresses[%d]" % (w, j), a,
                          {"address": A, "port": I, "family": S,
                           "reverse": S, "reverse_status": S},
                          ["address", "family"])
    elif "services" in d:
        check_obj(where, d, {"protocol": S, "database": S,
                             "ephemeral_range": O, "services": L},
                  ["protocol", "services"])
    elif "family" in d or "network" in d:
        pass  # mask: its fields are listed in udptool-mask(1)
    else:
        fault(where, "neither an event nor a known document")
    check_family(where, d)


def main():
    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as fp:
            for n, line in enumerate(fp, 1):
                where = "%s:%d" % (name, n)
                try:
                    d = json.loads(line)
                except ValueError as e:
                    fault(where, "not JSON (%s): %r" % (e, line[:80]))
                    continue
                if not isinstance(d, dict):
                    fault(where, "not an object")
                elif "type" in d:
                    check_event(where, d)
                    check_family(where, d)
                else:
                    check_document(where, d)
    for f in faults:
        print(f)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
