#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# A UDP peer for the send tests: records every datagram it receives as one
# line "HEX SOURCEPORT TTL TOS" on stdout (so boundaries, empty datagrams
# and NUL bytes show), and answers according to --mode.
import argparse
import socket
import sys
import threading

ap = argparse.ArgumentParser()
ap.add_argument("--bind", default="127.0.0.1")
ap.add_argument("--mode", default="echo",
                choices=["echo", "upper", "record", "late", "other", "twice"])
ap.add_argument("--delay", type=float, default=1.0)
args = ap.parse_args()

fam = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
if "%" in args.bind:
    addr, scope = args.bind.split("%", 1)
    s.bind((addr, 0, 0, socket.if_nametoindex(scope)))
else:
    s.bind((args.bind, 0))
# Linux values; older Pythons lack some of the names.
IP_TOS, IP_TTL, IP_RECVTTL, IP_RECVTOS = 1, 2, 12, 13
IPV6_RECVHOPLIMIT, IPV6_HOPLIMIT, IPV6_RECVTCLASS, IPV6_TCLASS = 51, 52, 66, 67
if fam == socket.AF_INET:
    s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
    s.setsockopt(socket.IPPROTO_IP, IP_RECVTOS, 1)
else:
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVTCLASS, 1)
other = None
if args.mode == "other":
    # Replies come from a second socket, as from a server with another address.
    other = socket.socket(fam, socket.SOCK_DGRAM)
    other.bind((args.bind, 0))
host, port = s.getsockname()[:2]
shown = "[%s]" % host if fam == socket.AF_INET6 else host
print("listening on %s:%d" % (shown, port), file=sys.stderr, flush=True)
if other is not None:
    print("other port %d" % other.getsockname()[1], file=sys.stderr, flush=True)

while True:
    data, anc, _, peer = s.recvmsg(65536, 256)
    ttl = tos = -1
    for level, kind, value in anc:
        if level == socket.IPPROTO_IP and kind == IP_TTL:
            ttl = int.from_bytes(value[:4], sys.byteorder)
        elif level == socket.IPPROTO_IP and kind == IP_TOS:
            tos = value[0]
        elif level == socket.IPPROTO_IPV6 and kind == IPV6_HOPLIMIT:
            ttl = int.from_bytes(value[:4], sys.byteorder)
        elif level == socket.IPPROTO_IPV6 and kind == IPV6_TCLASS:
            tos = int.from_bytes(value[:4], sys.byteorder)
    print("%s %d %d %d" % (data.hex(), peer[1], ttl, tos), flush=True)
    if args.mode == "echo":
        s.sendto(data, peer)
    elif args.mode == "upper":
        s.sendto(data.upper(), peer)
    elif args.mode == "twice":
        s.sendto(data, peer)
        s.sendto(data, peer)
    elif args.mode == "other":
        other.sendto(data, peer)
    elif args.mode == "late":
        threading.Timer(args.delay, s.sendto, (b"late:" + data, peer)).start()
