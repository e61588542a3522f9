#!/bin/sh
# SPDX-License-Identifier: ISC
# lookup-port: agreement with getent services for every udp and tcp entry,
# both directions, aliases, labels, errors, JSON, and the built-in table.
set -eu
. "$(dirname "$0")/lib.sh"
t_need getent

# Prints udptool's text answers as getent prints them: name port/proto aliases.
as_getent() {
	awk '{ line = $1 " " $2; a = 0
		for (i = 3; i <= NF; i++) {
			if (a) line = line " " $i
			if ($i == "aliases:") a = 1
		}
		print line }'
}

getent services >"$T_TMP/all"
for proto in udp tcp; do
	# Every name and alias, and every port, of this protocol.
	awk -v p="$proto" '{ split($2, pp, "/"); if (pp[2] != p) next
		for (i = 1; i <= NF; i++) if (i != 2) print $i }' "$T_TMP/all" |
	    sort -u >"$T_TMP/names.$proto"
	awk -v p="$proto" '{ split($2, pp, "/"); if (pp[2] == p) print pp[1] }' \
	    "$T_TMP/all" | sort -un >"$T_TMP/ports.$proto"
	n=$(wc -l <"$T_TMP/names.$proto" | tr -d ' ')
	m=$(wc -l <"$T_TMP/ports.$proto" | tr -d ' ')
	if [ "$n" -eq 0 ]; then
		t_skip "getent services agreement for $proto" "no $proto services in the database"
		continue
	fi
	for kind in names ports; do
		: >"$T_TMP/want"
		while read -r q; do
			getent services "$q/$proto" | awk '{ $1 = $1; print }' >>"$T_TMP/want"
		done <"$T_TMP/$kind.$proto"
		# One invocation answers them all, in argument order.
		# shellcheck disable=SC2046
		t_run "$UDPTOOL" lookup-port "$proto" $(cat "$T_TMP/$kind.$proto")
		t_check "lookup-port answers all $(wc -l <"$T_TMP/$kind.$proto" | tr -d ' ') $proto $kind (exit 0)" test "$T_RC" -eq 0
		printf '%s\n' "$T_OUT" | as_getent >"$T_TMP/got"
		if cmp -s "$T_TMP/want" "$T_TMP/got"; then
			t_ok "every $proto $kind agrees with getent services ($n names, $m ports)"
		else
			t_fail "every $proto $kind agrees with getent services" \
			    "$(diff "$T_TMP/want" "$T_TMP/got" | head -n 10)"
		fi
	done
done

# --list is the whole database for the protocol, in its order.
for proto in udp tcp; do
	t_run "$UDPTOOL" lookup-port -l "$proto"
	printf '%s\n' "$T_OUT" | as_getent >"$T_TMP/got"
	awk -v p="/$proto" 'index($2, p) { $1 = $1; print }' "$T_TMP/all" >"$T_TMP/want"
	t_check "--list $proto is getent services' $proto entries" cmp -s "$T_TMP/want" "$T_TMP/got"
done
if command -v python3 >/dev/null 2>&1; then
	t_run "$UDPTOOL" lookup-port -l -j tcp
	t_check "--list -j is valid JSON with every tcp entry" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["protocol"] == "tcp" and d["database"] == "system"
assert len(d["services"]) == int(sys.argv[2]), len(d["services"])
assert all(s["found"] and s["protocol"] == "tcp" for s in d["services"])
' "$T_OUT" "$(awk 'index($2, "/tcp")' "$T_TMP/all" | wc -l)"
else
	t_skip "--list -j is valid JSON" "python3 is not installed"
fi

# Directions, aliases, the seed's argument order, --raw.
t_expect_rc "domain resolves" 0 "$UDPTOOL" lookup-port domain
t_check "domain is 53/udp, well-known" sh -c 'printf "%s\n" "$1" | grep -Eq "^domain +53/udp +well-known$"' sh "$T_OUT"
t_expect_rc "the seed's order 'udp domain'" 0 "$UDPTOOL" lookup-port -r udp domain
t_check "udp domain is 53" test "$T_OUT" = 53
t_expect_rc "the seed's 'tcp telnet'" 0 "$UDPTOOL" lookup-port -r tcp telnet
t_check "tcp telnet is 23" test "$T_OUT" = 23
t_expect_rc "53/tcp names a service" 0 "$UDPTOOL" lookup-port -r 53/tcp
t_check "53/tcp is domain" test "$T_OUT" = domain
t_expect_rc "an alias finds its service" 0 "$UDPTOOL" lookup-port tcp www
t_check "www is http 80/tcp with its alias" sh -c 'printf "%s\n" "$1" | grep -Eq "^http +80/tcp +well-known +aliases: www$"' sh "$T_OUT"
t_expect_rc "/proto overrides the first argument" 0 "$UDPTOOL" lookup-port -r tcp ntp/udp
t_check "ntp/udp is 123" test "$T_OUT" = 123
t_expect_rc "a TCP-only service is not found for udp" 1 "$UDPTOOL" lookup-port ssh
t_check "ssh/udp is reported" t_contains "$T_ERR" "unknown udp service 'ssh'"

# Not found: exit 1, the others still answered.
t_expect_rc "an unknown name exits 1" 1 "$UDPTOOL" lookup-port domain no-such-service-here ntp
t_check "the unknown name is named on stderr" test "$T_ERR" = "udptool: lookup-port: unknown udp service 'no-such-service-here'"
t_check "the known ones are answered" test "$(t_lines "$T_OUT")" -eq 2

# Labels: IANA ranges and this host's ephemeral range.
label() {
	"$UDPTOOL" lookup-port -j "$1" 2>/dev/null | sed -n 's/.*"range":"\([a-z-]*\)".*/\1/p'
}
for pair in 0:well-known 1023:well-known 1024:registered 49151:registered \
    49152:dynamic 65535:dynamic; do
	p=${pair%%:*}
	t_check "port $p is ${pair#*:}" test "$(label "$p")" = "${pair#*:}"
done
if range=$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null); then
	# shellcheck disable=SC2086
	set -- $range
	lo=$1 hi=$2
	eph() {
		"$UDPTOOL" lookup-port -j "$1" 2>/dev/null | sed -n 's/.*"ephemeral":\([a-z]*\).*/\1/p'
	}
	t_check "low end $lo is ephemeral" test "$(eph "$lo")" = true
	t_check "high end $hi is ephemeral" test "$(eph "$hi")" = true
	[ "$lo" -gt 0 ] && t_check "$((lo - 1)) is not ephemeral" test "$(eph $((lo - 1)))" = false
	[ "$hi" -lt 65535 ] && t_check "$((hi + 1)) is not ephemeral" test "$(eph $((hi + 1)))" = false
	t_run "$UDPTOOL" lookup-port "$lo"
	t_check "text marks ephemeral ports" t_contains "$T_OUT" " ephemeral"
	t_expect_rc "JSON shape" 1 "$UDPTOOL" lookup-port -j domain 53/tcp "$lo" no-such-service-here
	want='{"protocol":"udp","database":"system","ephemeral_range":{"low":'$lo',"high":'$hi'},"services":['
	want=$want'{"query":"domain","found":true,"name":"domain","port":53,"protocol":"udp","range":"well-known","ephemeral":false,"aliases":[]},'
	want=$want'{"query":"53/tcp","found":true,"name":"domain","port":53,"protocol":"tcp","range":"well-known","ephemeral":false,"aliases":[]},'
	if lname=$(getent services "$lo/udp" | awk '{ print $1 }') && [ -n "$lname" ]; then
		t_skip "JSON shape is exact" "port $lo has a service name here"
	else
		want=$want'{"query":"'$lo'","found":false,"name":null,"port":'$lo',"protocol":"udp","range":"'$(label "$lo")'","ephemeral":true,"aliases":[],"other_protocol":null},'
		want=$want'{"query":"no-such-service-here","found":false,"protocol":"udp","other_protocol":null}]}'
		t_check "JSON shape is exact" test "$T_OUT" = "$want"
	fi
else
	t_skip "ephemeral labels" "no /proc/sys/net/ipv4/ip_local_port_range"
fi
t_expect_rc "JSON with aliases" 0 "$UDPTOOL" lookup-port -j tcp www
t_check "aliases are a JSON array" t_contains "$T_OUT" '"name":"http","port":80,"protocol":"tcp","range":"well-known","ephemeral":false,"aliases":["www"]}'

# Bad input: exit 2, one line naming the value, nothing on stdout.
for bad in 65536 99999 -1 +53 53x 53/sctp /udp "do main"; do
	t_expect_rc "'$bad' exits 2" 2 "$UDPTOOL" lookup-port domain "$bad"
	t_check "'$bad' is one line naming it" sh -c '[ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ] && printf "%s\n" "$1" | grep -qF -- "$2"' sh "$T_ERR" "'${bad%/*}"
	t_check "'$bad' prints nothing" test -z "$T_OUT"
done
# Another IP protocol in the protocol's place is a usage error, not a name.
for p in sctp dccp udplite; do
	t_expect_rc "'$p domain' exits 2" 2 "$UDPTOOL" lookup-port "$p" domain
	t_check "'$p domain' names the protocol in one line" sh -c \
	    '[ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ] && printf "%s\n" "$1" | grep -qF -- "invalid protocol '"'"'$2'"'"' (udp or tcp)"' sh "$T_ERR" "$p"
	t_check "'$p domain' prints nothing" test -z "$T_OUT"
done
t_expect_rc "a lone 'sctp' is a service name: not found, exit 1" 1 "$UDPTOOL" lookup-port sctp
t_expect_rc "a service name first is still a service" 0 "$UDPTOOL" lookup-port -r echo domain
t_check "both services answered" test "$(echo $T_OUT)" = "7 53"
t_expect_rc "no service is a usage error" 2 "$UDPTOOL" lookup-port tcp
t_check "usage error shows usage" t_contains "$T_ERR" "usage: udptool lookup-port"

# The built-in table, where /etc/services is missing or empty: a private
# mount namespace hides the file behind an empty one.
: >"$T_TMP/empty"
if unshare -m sh -c 'mount --bind "$1" /etc/services' sh "$T_TMP/empty" 2>/dev/null; then
	# A command (t_run runs commands, not functions) that runs the rest of
	# its arguments without a services database.
	cat >"$T_TMP/nosvc" <<EOF
#!/bin/sh
exec unshare -m sh -c 'mount --bind "\$1" /etc/services && shift && exec "\$@"' sh "$T_TMP/empty" "\$@"
EOF
	chmod +x "$T_TMP/nosvc"
	nosvc=$T_TMP/nosvc
	t_expect_rc "the built-in table answers domain" 0 "$nosvc" "$UDPTOOL" lookup-port -r domain
	t_check "built-in domain is 53" test "$T_OUT" = 53
	t_check "the fallback is said on stderr" test "$T_ERR" = "udptool: lookup-port: no services database (/etc/services is missing or empty); using the built-in table of well-known services"
	t_expect_rc "getent sees no services there" 2 "$nosvc" getent services domain/udp
	t_expect_rc "built-in reverse and aliases" 0 "$nosvc" "$UDPTOOL" lookup-port -j tcp 80 krb5/udp
	t_check "JSON names the built-in database" t_contains "$T_OUT" '"database":"built-in"'
	t_check "built-in 80/tcp is http with www" t_contains "$T_OUT" '"query":"80","found":true,"name":"http","port":80,"protocol":"tcp","range":"well-known","ephemeral":false,"aliases":["www"]}'
	t_check "built-in krb5/udp is kerberos 88" t_contains "$T_OUT" '"name":"kerberos","port":88,"protocol":"udp"'
	t_expect_rc "unknown in the built-in table exits 1" 1 "$nosvc" "$UDPTOOL" lookup-port no-such-service-here
	# Every built-in entry says what the real database says.
	for proto in udp tcp; do
		"$nosvc" "$UDPTOOL" lookup-port -l "$proto" 2>/dev/null | as_getent >"$T_TMP/builtin.$proto"
		n=$(wc -l <"$T_TMP/builtin.$proto" | tr -d ' ')
		t_check "the built-in table has $proto entries" test "$n" -gt 10
		: >"$T_TMP/want"
		while read -r name pp rest; do
			getent services "$name/$proto" | awk '{ $1 = $1; print }' >>"$T_TMP/want"
		done <"$T_TMP/builtin.$proto"
		if cmp -s "$T_TMP/want" "$T_TMP/builtin.$proto"; then
			t_ok "all $n built-in $proto entries agree with /etc/services"
		else
			t_fail "built-in $proto entries agree with /etc/services" \
			    "$(diff "$T_TMP/want" "$T_TMP/builtin.$proto" | head -n 10)"
		fi
	done
	# A private services database: what one protocol lacks, the other has.
	printf '%s\n' 'domain 53/udp' 'domain 53/tcp' 'http 80/tcp www' \
	    'onlyudp 4999/udp ou' >"$T_TMP/services"
	printf '%s\n' '#!/bin/sh' \
	    "exec unshare -m sh -c 'mount --bind \"\$1\" /etc/services && shift && exec \"\$@\"' sh \"$T_TMP/services\" \"\$@\"" \
	    >"$T_TMP/mysvc"
	chmod +x "$T_TMP/mysvc"
	mysvc=$T_TMP/mysvc
	t_expect_rc "http over udp is not found" 1 "$mysvc" "$UDPTOOL" lookup-port http
	t_check "the miss names 80/tcp" test "$T_ERR" = \
	    "udptool: lookup-port: unknown udp service 'http' (it exists as 80/tcp)"
	t_expect_rc "tcp onlyudp is not found" 1 "$mysvc" "$UDPTOOL" lookup-port tcp ou
	t_check "the miss names 4999/udp, through the alias" test "$T_ERR" = \
	    "udptool: lookup-port: unknown tcp service 'ou' (it exists as 4999/udp)"
	t_expect_rc "port 80 over udp" 1 "$mysvc" "$UDPTOOL" lookup-port 80
	t_check "the miss says tcp has http" t_contains "$T_ERR" "no udp service on port 80 (tcp has http)"
	t_expect_rc "a name neither has" 1 "$mysvc" "$UDPTOOL" lookup-port ssh
	t_check "no hint when neither protocol has it" test "$T_ERR" = \
	    "udptool: lookup-port: unknown udp service 'ssh'"
	t_expect_rc "-j with misses" 1 "$mysvc" "$UDPTOOL" lookup-port -j http 80 ssh
	t_check "-j names the other protocol's entry" t_contains "$T_OUT" \
	    '{"query":"http","found":false,"protocol":"udp","other_protocol":{"name":"http","port":80,"protocol":"tcp"}}'
	t_check "-j: port 80 has tcp's http" t_contains "$T_OUT" \
	    '"aliases":[],"other_protocol":{"name":"http","port":80,"protocol":"tcp"}}'
	t_check "-j: null when neither has it" t_contains "$T_OUT" \
	    '{"query":"ssh","found":false,"protocol":"udp","other_protocol":null}'
	# -r: one line per query, empty for a miss.
	"$mysvc" "$UDPTOOL" lookup-port -r http domain 53 ssh 4999 9 onlyudp >"$T_TMP/raw" 2>/dev/null || :
	t_check "-r prints one line per query, empty ones for misses" test \
	    "$(tr '\n' , <"$T_TMP/raw")" = ",53,domain,,onlyudp,,4999,"
	t_check "-r: seven queries, seven lines" test "$(wc -l <"$T_TMP/raw" | tr -d ' ')" = 7
else
	t_skip "built-in table" "cannot bind-mount over /etc/services (unshare -m needs privileges)"
fi

t_done
