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
