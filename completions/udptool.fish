# SPDX-License-Identifier: ISC
# fish completion for udptool.  Commands, options and the options'
# descriptions come from the binary (udptool list-commands, udptool
# list-options CMD); option values are here.

function __udptool_cmd
    for t in (commandline -opc)[2..-1]
        if not string match -q -- '-*' $t
            echo $t
            return 0
        end
    end
    return 1
end

function __udptool_opts
    set -l cmd (__udptool_cmd)
    or return
    # "--name=<tab>-n<tab>description" becomes "--name<tab>description".
    udptool list-options $cmd 2>/dev/null | string replace -r '^(--[^=\t]*)=?\t[^\t]*\t?' '$1\t'
end

function __udptool_ifaces
    ls /sys/class/net 2>/dev/null
end

function __udptool_services
    getent services 2>/dev/null | awk '$2 ~ /\/udp$/ { print $1 }'
end

function __udptool_args
    # Prints the command's arguments before the current one; returns 1
    # when the current word is the value of an option (options that take
    # one are "--name=" in list-options, with their short letters).
    set -l cmd (__udptool_cmd)
    or return 1
    set -l argopts
    for l in (udptool list-options $cmd 2>/dev/null)
        set -l f (string split \t -- $l)
        if string match -q -- '*=' $f[1]
            set -a argopts (string replace -r '=$' '' -- $f[1])
            test -n "$f[2]"; and set -a argopts $f[2]
        end
    end
    set -l seen 0
    set -l skip 0
    for t in (commandline -opc)[2..-1]
        if test $seen = 0
            string match -q -- '-*' $t; or set seen 1
            continue
        end
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case -- '--' '--*=*'
            case -- '--*'
                contains -- $t $argopts; and set skip 1
            case -- '-?*'
                contains -- -(string sub -s -1 -- $t) $argopts; and set skip 1
            case '*'
                echo $t
        end
    end
    test $skip = 0
end

function __udptool_address
    # The address argument of send, ping, listen and echo-serve: host
    # names, UDP services after "host:" or "[v6]:", and interfaces after
    # the "%" of a scoped IPv6 address.
    set -l cur (commandline -ct)
    if string match -qr -- '^\[.*\]:' $cur
        set -l pre (string replace -r -- '\]:.*' ']:' $cur)
        printf '%s\tservice\n' $pre(__udptool_services)
    else if string match -q -- '*%*' $cur
        set -l pre (string replace -r -- '%[^%]*$' '%' $cur)
        printf '%s\tinterface\n' $pre(__udptool_ifaces)
    else if string match -q -- '[*' $cur
        # The hosts file's IPv6 addresses ("getent hosts" lists IPv4 only).
        awk '$1 ~ /:/ && $1 !~ /^#/ { print "[" $1 "]:" }' /etc/hosts 2>/dev/null
    else if string match -q -- '*:*:*' $cur
        return 0
    else if string match -q -- '*:*' $cur
        set -l pre (string replace -r -- ':.*' ':' $cur)
        printf '%s\tservice\n' $pre(__udptool_services)
    else
        __fish_print_hostnames
    end
end

function __udptool_positional
    # Prints candidates for the argument under the cursor of send, ping,
    # listen, echo-serve and relay; returns 1 where they take none from here.
    contains -- (__udptool_cmd) send ping listen echo-serve relay
    or return 1
    string match -q -- '-*' (commandline -ct); and return 1
    set -l args (__udptool_args)
    or return 1
    if test (count $args) -eq 0
        __udptool_address
    else if test (__udptool_cmd) = relay
        # LISTEN, then TARGET, each one word; nothing after them.
        test (count $args) -eq 1; or return 1
        __udptool_address
    else if test (count $args) -eq 1; and test (__udptool_cmd) != ping
        # "host port" as two words; a port alone or host:port takes none.
        string match -qr -- ':|^[0-9]+$' $args[1]; and return 1
        printf "%s\tservice\n" (__udptool_services)
    else
        return 1
    end
end

function __udptool_values
    # Prints the values for the option before the cursor, if it takes listed ones.
    set -l cmd (__udptool_cmd)
    or return 1
    set -l prev (commandline -opc)[-1]
    switch "$cmd:$prev"
        case 'echo-serve:-m' 'echo-serve:--mode'
            printf '%s\n' echo upper daytime discard sockperf
        case 'relay:--delay-dist' 'relay:--up-delay-dist' 'relay:--down-delay-dist'
            printf '%s\n' uniform normal
        case 'listen:--join'
            printf '%s\n' 224.0.0.251 ff02::fb 239.255.255.250 ff02::c 224.0.0.1 ff02::1
        case 'send:--replay' 'send:--pcap' 'listen:--pcap' 'echo-serve:--pcap' 'relay:--pcap'
            # Capture files: --pcap writes one, send --replay reads one.
            __fish_complete_path (commandline -ct)
        case 'help:*'
            udptool list-commands 2>/dev/null
        case 'lookup-port:lookup-port' 'lookup-port:-j' 'lookup-port:-l' 'lookup-port:-r'
            string match -q -- '-*' (commandline -ct); and return 1
            printf '%s\n' udp tcp
        case 'lookup-port:udp' 'lookup-port:tcp'
            string match -q -- '-*' (commandline -ct); and return 1
            getent services 2>/dev/null | awk -v p="/$prev" 'index($2, p) { print $1 }'
        case 'resolve:*'
            string match -q -- '-*' (commandline -ct); and return 1
            getent hosts 2>/dev/null | awk '{ for (i = 2; i <= NF; i++) print $i }'
        case 'mask:--split'
            printf '%s\n' 8 16 24 25 26 27 28 29 30 31 32 48 56 64 96 112 127 128
        case 'mask:--contains'
            return 0
        case 'ping:-M' 'ping:--pmtudisc'
            printf '%s\n' do dont
        case 'ping:-I' 'ping:--interface'
            __udptool_ifaces
        case 'send:--frame'
            printf '%s\n' line nul whole
        case 'send:--if'
            __udptool_ifaces
        case '*'
            return 1
    end
end

complete -c udptool -f
complete -c udptool -n __fish_use_subcommand -l help -d 'show help'
complete -c udptool -n __fish_use_subcommand -l version -d 'show the version'
complete -c udptool -n __fish_use_subcommand -a '(udptool list-commands 2>/dev/null)'
complete -c udptool -n 'not __fish_use_subcommand; and __udptool_values >/dev/null' -a '(__udptool_values)'
complete -c udptool -n 'not __fish_use_subcommand; and not __udptool_values >/dev/null; and __udptool_positional >/dev/null' -a '(__udptool_positional)'
complete -c udptool -n 'not __fish_use_subcommand; and string match -q -- "-*" (commandline -ct)' -a '(__udptool_opts)'
