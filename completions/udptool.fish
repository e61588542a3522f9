# SPDX-License-Identifier: ISC
# fish completion for udptool.  Commands and options come from the binary
# (udptool list-commands, udptool list-options CMD); option values are here.

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
    udptool list-options $cmd 2>/dev/null | string replace -r '^(--[^\t]*)(\t.*)?$' '$1'
end

function __udptool_values
    # Prints the values for the option before the cursor, if it takes listed ones.
    set -l cmd (__udptool_cmd)
    or return 1
    set -l prev (commandline -opc)[-1]
    switch "$cmd:$prev"
        case 'echo-serve:-m' 'echo-serve:--mode'
            printf '%s\n' echo upper daytime discard
        case 'listen:--join'
            printf '%s\n' 224.0.0.251 ff02::fb 239.255.255.250 ff02::c 224.0.0.1 ff02::1
        case 'help:*'
            udptool list-commands 2>/dev/null | string replace -r '\t.*' ''
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
        case 'send:--frame'
            printf '%s\n' line nul whole
        case 'send:--if'
            ls /sys/class/net 2>/dev/null
        case '*'
            return 1
    end
end

complete -c udptool -f
complete -c udptool -n __fish_use_subcommand -l help -d 'show help'
complete -c udptool -n __fish_use_subcommand -l version -d 'show the version'
complete -c udptool -n __fish_use_subcommand -a '(udptool list-commands 2>/dev/null)'
complete -c udptool -n 'not __fish_use_subcommand; and __udptool_values >/dev/null' -a '(__udptool_values)'
complete -c udptool -n 'not __fish_use_subcommand; and string match -q -- "-*" (commandline -ct)' -a '(__udptool_opts)'
