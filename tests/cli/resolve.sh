#!/bin/sh
# SPDX-License-Identifier: ISC
# resolve: agreement with getent ahosts, canonical names, reverse names,
# host:port, de-duplication, not found and temporary failure, bad input.
#
# The test brings its own resolver answers: it runs itself again in private
# mount and network namespaces, with its own /etc/hosts, and with DNS sent to
# a small responder on the namespace's loopback, so no query leaves the host.
set -eu
if [ -z "${UDPTOOL_RESOLVE_NS:-}" ] && command -v unshare >/dev/null 2>&1 &&
    unshare -m -n true 2>/dev/null; then
	UDPTOOL_RESOLVE_NS=1
	export UDPTOOL_RESOLVE_NS
	exec unshare -m -n sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
t_need getent

# Addresses (the lines "  ADDRESS  FAMILY ...") of resolve's text output.
addrs() {
	printf '%s\n' "$1" | awk '/^  / { print $1 }'
}

# getent ahosts NAME, DGRAM lines, first of each address.
ahosts() {
	getent "${2:-ahosts}" "$1" | awk '$2 == "DGRAM" && !seen[$1]++ { print $1 }'
}

# Checks resolve's addresses and canonical name against getent for NAME.
agree() {
	name=$1
	t_run "$UDPTOOL" resolve "$name"
	want=$(ahosts "$name")
	got=$(addrs "$T_OUT")
	t_check "resolve $name: same addresses in the same order as getent ahosts" \
	    test "$got" = "$want"
	want=$(getent ahosts "$name" | awk 'NR == 1 { print $3 }')
	t_run "$UDPTOOL" resolve --canonical "$name"
	t_check "resolve $name: canonical name '$want' as getent ahosts" \
	    test "$T_OUT" = "$want"
}

# Bad input: exit 2, one line on stderr naming the value, nothing on stdout.
bad() {
	t_expect_rc "bad input '$*' exits 2" 2 "$UDPTOOL" resolve "$@"
	t_check "bad input '$*' is one line" test "$(t_lines "$T_ERR")" -eq 1
	t_check "bad input '$*' prints nothing" test -z "$T_OUT"
}

bad "localhost:99999"
t_check "the bad port is named" t_contains "$T_ERR" "invalid port '99999'"
bad "local host"
bad "[::1"
bad "localhost:"
bad ":53"
bad -4 ::1
t_check "the family conflict is named" t_contains "$T_ERR" "'::1' is an IPv6 address, but -4 asks for IPv4"
bad -6 127.0.0.1
bad localhost -r
t_check "a misplaced option is named" t_contains "$T_ERR" "invalid name '-r' (options go before names)"
bad ::1:53
t_check "::1:53 is ambiguous, as in send and ping -u" t_contains "$T_ERR" \
    "ambiguous address '::1:53': write [::1]:53 for port 53, or [::1:53] for the address"
t_expect_rc "no argument is a usage error" 2 "$UDPTOOL" resolve
t_check "usage error shows usage" t_contains "$T_ERR" "usage: udptool resolve"

if [ -z "${UDPTOOL_RESOLVE_NS:-}" ]; then
	# No namespaces: only what /etc/hosts answers without any name server.
	if awk '$1 == "127.0.0.1" { for (i = 2; i <= NF; i++) if ($i == "localhost") f = 1 }
	    END { exit !f }' /etc/hosts &&
	    grep -Eq '^hosts:[[:space:]]+files' /etc/nsswitch.conf 2>/dev/null; then
		agree localhost
	else
		t_skip "resolve localhost" "localhost is not answered by /etc/hosts here"
	fi
	t_skip "resolve with the test's own names" "unshare -m -n is not permitted here"
	t_done
	exit
fi

# Inside the namespaces: loopback up, the test's hosts file and resolver.
t_need ip python3
ip link set lo up
cat >"$T_TMP/hosts" <<'EOF'
127.0.0.1 localhost
::1 localhost ip6-localhost
192.0.2.10 dual.test dual alias-one
2001:db8::10 dual.test dual
192.0.2.11 v4only.test v4only
2001:db8::11 v6only.test v6only
192.0.2.12 multi.test multi
192.0.2.13 multi.test multi
192.0.2.12 multi.test multi
EOF
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$T_TMP/resolv.conf"
printf 'hosts: files dns\nservices: files\n' >"$T_TMP/nsswitch.conf"
printf 'hosts: files\nservices: files\n' >"$T_TMP/nsswitch.files"
# The bind mounts pin their source files; undo them before lib.sh's
# cleanup removes the files (the namespace ends with the test anyway).
ns_cleanup() {
	for m in /etc/nsswitch.conf /etc/nsswitch.conf /etc/resolv.conf /etc/hosts; do
		umount "$m" 2>/dev/null || true
	done
}
trap 'ns_cleanup; t_cleanup' EXIT
mount --bind "$T_TMP/hosts" /etc/hosts
mount --bind "$T_TMP/resolv.conf" /etc/resolv.conf
mount --bind "$T_TMP/nsswitch.conf" /etc/nsswitch.conf

# A DNS responder for the names below the hosts file: a CNAME, an address
# with a PTR record, SERVFAIL and silence (temporary failures), and NXDOMAIN
# for the rest.
cat >"$T_TMP/dns.py" <<'EOF'
import signal, socket, struct, sys

# Background jobs start with SIGINT ignored; t_stop sends SIGINT.
signal.signal(signal.SIGINT, signal.SIG_DFL)

def enc(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"

def rr(name, rtype, rdata):
    return enc(name) + struct.pack("!HHIH", rtype, 1, 60, len(rdata)) + rdata

A, PTR, CNAME = 1, 12, 5
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
print("listening on 127.0.0.1:53", file=sys.stderr, flush=True)
while True:
    data, peer = s.recvfrom(4096)
    if len(data) < 17:
        continue
    qid, flags = struct.unpack("!HH", data[:4])
    off, labels = 12, []
    while off < len(data) and data[off] != 0:
        n = data[off]
        labels.append(data[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n
    off += 1
    qtype = struct.unpack("!H", data[off:off + 2])[0]
    question = data[12:off + 4]
    name = ".".join(labels).lower()
    rcode, answers = 0, []
    if name == "quiet.test":
        continue
    if name == "servfail.test":
        rcode = 2
    elif name == "alias.test":
        answers.append(rr(name, CNAME, enc("target.test")))
        if qtype == A:
            answers.append(rr("target.test", A, bytes([192, 0, 2, 50])))
    elif name == "target.test":
        if qtype == A:
            answers.append(rr(name, A, bytes([192, 0, 2, 50])))
    elif name == "50.2.0.192.in-addr.arpa":
        if qtype == PTR:
            answers.append(rr(name, PTR, enc("target.test")))
    else:
        rcode = 3
    flags = 0x8000 | 0x0400 | (flags & 0x0100) | 0x0080 | rcode
    s.sendto(struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, 0) +
             question + b"".join(answers), peer)
EOF
if ! t_server dns python3 "$T_TMP/dns.py"; then
	t_fail "the test's DNS responder starts" "$(cat "$T_TMP/dns.err")"
	t_done
	exit
fi
dns_pid=$T_PID

# Agreement with getent ahosts, hosts file and DNS alike.
for n in localhost dual alias-one v4only v6only multi alias.test target.test; do
	agree "$n"
done
t_run "$UDPTOOL" resolve --canonical alias.test
t_check "a CNAME gives the canonical name" test "$T_OUT" = target.test
t_run "$UDPTOOL" resolve alias.test
t_check "the CNAME header names the canonical name" \
    test "$(printf '%s\n' "$T_OUT" | head -n 1)" = "alias.test: canonical name target.test"
# (getent ahostsv4 and ahostsv6 pass AI_ADDRCONFIG, which finds no
# configured address in this namespace; compare with ahosts by family.)
for n in dual localhost v6only; do
	t_run "$UDPTOOL" resolve -4 "$n"
	t_check "resolve -4 $n agrees with getent ahosts' IPv4 addresses" \
	    test "$(addrs "$T_OUT")" = "$(ahosts "$n" | grep -v :)"
	t_run "$UDPTOOL" resolve -6 "$n"
	t_check "resolve -6 $n agrees with getent ahosts' IPv6 addresses" \
	    test "$(addrs "$T_OUT")" = "$(ahosts "$n" | grep :)"
done
t_expect_rc "-6 for an IPv4-only name exits 1" 1 "$UDPTOOL" resolve -6 v4only
t_check "it says why" t_contains "$T_ERR" "v4only: not found:"

# Family, once each, in order; the first address is what connect() tries first.
t_run "$UDPTOOL" resolve multi
t_check "duplicates in /etc/hosts are shown once" test "$(addrs "$T_OUT" | wc -l)" -eq 2
t_check "getent does list the duplicate" test "$(getent ahosts multi | grep -c DGRAM)" -eq 3
t_run "$UDPTOOL" resolve dual
t_check "each address has its family" sh -c 'printf "%s\n" "$1" | grep -Eq "^  2001:db8::10 +IPv6$" && printf "%s\n" "$1" | grep -Eq "^  192\.0\.2\.10 +IPv4$"' sh "$T_OUT"
t_expect_rc "--first exits 0" 0 "$UDPTOOL" resolve --first dual
t_check "--first is getent's first address" test "$(printf '%s\n' "$T_OUT" | awk '{ print $1 }')" = "$(ahosts dual | head -n 1)"
t_check "--first prints one line" test "$(t_lines "$T_OUT")" -eq 1

# host:port resolves the port too, by number or by service name.
t_expect_rc "host:port exits 0" 0 "$UDPTOOL" resolve dual:5300 v4only:domain
t_check "IPv6 with a port is bracketed" t_contains "$T_OUT" "  [2001:db8::10]:5300"
t_check "IPv4 with a port" t_contains "$T_OUT" "  192.0.2.10:5300 "
t_check "a service name is a port" t_contains "$T_OUT" "  192.0.2.11:53 "
t_expect_rc "an unknown service exits 1" 1 "$UDPTOOL" resolve v4only:no-such-service
t_check "the unknown service is named" t_contains "$T_ERR" "unknown service 'no-such-service' for udp"

# Reverse names, from /etc/hosts and from DNS.
t_expect_rc "an address is reverse-resolved" 0 "$UDPTOOL" resolve 192.0.2.11
want=$(getent hosts 192.0.2.11 | awk '{ print $2 }')
t_check "its name is getent's ($want)" sh -c 'printf "%s\n" "$1" | grep -Eq "^  192\.0\.2\.11 +IPv4 +$2$"' sh "$T_OUT" "$want"
t_expect_rc "an IPv6 address with a port" 0 "$UDPTOOL" resolve '[2001:db8::11]:53'
t_check "its name and port" sh -c 'printf "%s\n" "$1" | grep -Eq "^  \[2001:db8::11\]:53 +IPv6 +v6only\.test$"' sh "$T_OUT"
t_expect_rc "a PTR record from DNS" 0 "$UDPTOOL" resolve 192.0.2.50
t_check "names target.test" t_contains "$T_OUT" "IPv4  target.test"
t_expect_rc "-r adds reverse names" 0 "$UDPTOOL" resolve -r dual alias.test
t_check "-r on dual" sh -c 'printf "%s\n" "$1" | grep -Eq "^  192\.0\.2\.10 +IPv4 +dual\.test$"' sh "$T_OUT"
t_check "-r on a CNAME's address" sh -c 'printf "%s\n" "$1" | grep -Eq "^  192\.0\.2\.50 +IPv4 +target\.test$"' sh "$T_OUT"
t_expect_rc "an address without a reverse name exits 1" 1 "$UDPTOOL" resolve 192.0.2.99
t_check "it says so" test "$T_ERR" = "udptool: resolve: 192.0.2.99: no reverse name: Name or service not known"
t_expect_rc "a scoped address" 1 "$UDPTOOL" resolve fe80::1%lo
t_check "keeps its scope" sh -c 'printf "%s\n" "$1" | grep -Eq "^  fe80::1%lo +IPv6 +-$"' sh "$T_OUT"

# Not found and temporary failure are told apart, in text and in JSON.
t_expect_rc "NXDOMAIN exits 1" 1 "$UDPTOOL" resolve nxdomain.test
t_check "NXDOMAIN is 'not found' with the resolver's reason" \
    test "$T_ERR" = "udptool: resolve: nxdomain.test: not found: Name or service not known"
t_expect_rc "SERVFAIL exits 1" 1 "$UDPTOOL" resolve servfail.test
t_check "SERVFAIL is a temporary failure" \
    t_contains "$T_ERR" "servfail.test: temporary failure, no answer from the name servers (the name may exist; try again): Temporary failure in name resolution"
t_expect_rc "a silent name server exits 1" 1 "$UDPTOOL" resolve quiet.test
t_check "silence is a temporary failure (after resolv.conf's timeout:1)" \
    t_contains "$T_ERR" "quiet.test: temporary failure"
t_expect_rc "JSON for both" 1 "$UDPTOOL" resolve -j nxdomain.test servfail.test
t_check "JSON tells them apart" t_contains "$T_OUT" '"status":"not_found","error":"Name or service not known"},{"query":"servfail.test","host":"servfail.test","port":null,"is_address":false,"status":"temporary_failure","error":"Temporary failure in name resolution"}'

# Several names: each answered, exit 1 if any is not found; one JSON document.
t_expect_rc "a mix exits 1" 1 "$UDPTOOL" resolve dual nxdomain.test v4only
t_check "the found names are answered" test "$(addrs "$T_OUT" | wc -l)" -eq 3
t_check "only the missing one is reported" test "$(t_lines "$T_ERR")" -eq 1
t_expect_rc "JSON document" 1 "$UDPTOOL" resolve -j v4only:53 192.0.2.11 nxdomain.test
want='{"results":[{"query":"v4only:53","host":"v4only","port":53,"is_address":false,"status":"ok","canonical_name":"v4only.test","addresses":[{"address":"192.0.2.11","port":53,"family":"ipv4"}]},'
want=$want'{"query":"192.0.2.11","host":"192.0.2.11","port":null,"is_address":true,"status":"ok","canonical_name":"192.0.2.11","addresses":[{"address":"192.0.2.11","family":"ipv4","reverse":"v4only.test","reverse_status":"ok"}]},'
want=$want'{"query":"nxdomain.test","host":"nxdomain.test","port":null,"is_address":false,"status":"not_found","error":"Name or service not known"}]}'
t_check "JSON shape is exact" test "$T_OUT" = "$want"
t_check "JSON is one line" test "$(t_lines "$T_OUT")" -eq 1
t_run "$UDPTOOL" resolve -j -r --first dual alias.test 192.0.2.99 servfail.test
t_check "JSON is valid, one result per argument" python3 -c '
import json, sys
r = json.loads(sys.argv[1])["results"]
assert [x["status"] for x in r] == ["ok", "ok", "ok", "temporary_failure"], r
assert [len(x.get("addresses", [])) for x in r] == [1, 1, 1, 0], r
assert r[1]["canonical_name"] == "target.test"
assert r[2]["addresses"][0]["reverse"] is None
assert r[2]["addresses"][0]["reverse_status"] == "not_found"
' "$T_OUT"
t_expect_rc "all found exits 0" 0 "$UDPTOOL" resolve dual v4only 127.0.0.1

# No name server answering at all: a temporary failure, not "no such name".
t_stop "$dns_pid"
t_expect_rc "no DNS server exits 1" 1 "$UDPTOOL" resolve nxdomain.test
t_check "no DNS server is a temporary failure" t_contains "$T_ERR" "nxdomain.test: temporary failure"
t_check "getent fails too" sh -c '! getent ahosts nxdomain.test'
t_run "$UDPTOOL" resolve -j nxdomain.test
t_check "JSON says temporary_failure" t_contains "$T_OUT" '"status":"temporary_failure"'
t_expect_rc "/etc/hosts still answers" 0 "$UDPTOOL" resolve dual

# Without DNS in nsswitch.conf a missing name is simply not found.
mount --bind "$T_TMP/nsswitch.files" /etc/nsswitch.conf
t_expect_rc "files only: not found exits 1" 1 "$UDPTOOL" resolve nxdomain.test
t_check "files only: not found" t_contains "$T_ERR" "nxdomain.test: not found:"

t_done
