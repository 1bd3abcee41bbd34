# SPDX-License-Identifier: GPL-2.0-only
# bash completion for btfenc.
#
# Nothing here is a copy of the option table: options come from
# `btfenc [SUBCOMMAND] --help` (the lines "  -X, --name[=ARG]  help"),
# subcommands from its Usage lines, and the --btf_features names from
# `btfenc --supported_btf_features`, so the completion follows the
# program it completes. Needs only bash (bash-completion's helpers are not
# used).

# _btfenc_help CMD [SUB]: the --help text of CMD (or of CMD SUB).
_btfenc_help()
{
	LC_ALL=C "$@" --help 2>/dev/null
}

# _btfenc_subcommands CMD: the words after CMD in the Usage lines.
_btfenc_subcommands()
{
	_btfenc_help "$1" | sed -n -E '/^Usage:/,/^$/ s/^(Usage:)? +[^ ]+ ([a-z][a-z0-9_-]*)( .*)?$/\2/p' | sort -u
}

# _btfenc_options CMD [SUB]: every option --help lists, long ones with a
# trailing = when they take an argument.
_btfenc_options()
{
	_btfenc_help "$@" | sed -n -E '/^Options:/,/^$/ {
		s/^  +(-[A-Za-z0-9]), (--[a-z0-9_-]+)(\[?=)?.*/\1 \2\3/p
		s/^  +(--[a-z0-9_-]+)(\[?=)?.*/\1\2/p
	}' | tr ' ' '\n' | sed 's/\[=$/=/'
}

_btfenc()
{
	local cur prev cmd sub="" i word opts
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]:-}
	cmd=${COMP_WORDS[0]}
	command -v "$cmd" >/dev/null 2>&1 || cmd=btfenc

	# "--opt=VALUE" may come split on '=' (COMP_WORDBREAKS): put it back.
	if [ "$cur" = "=" ]; then
		prev="$prev="
		cur=""
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
		prev="${COMP_WORDS[COMP_CWORD - 2]}="
	elif [[ $cur == --*=* ]]; then
		prev="${cur%%=*}="
		cur=${cur#*=}
	fi

	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		if [[ $word != -* && $word != "=" ]]; then
			if _btfenc_subcommands "$cmd" | grep -qx -- "$word"; then
				sub=$word
			fi
			break
		fi
	done

	case $prev in
	--btf_features= | --btf_features_strict= | --btf_features | --btf_features_strict)
		local done_part="" last=$cur
		if [[ $cur == *,* ]]; then
			done_part=${cur%,*},
			last=${cur##*,}
		fi
		mapfile -t COMPREPLY < <(compgen -P "$done_part" -W \
			"default $("$cmd" --supported_btf_features 2>/dev/null | sed 's/ .*//')" -- "$last")
		compopt -o nospace 2>/dev/null || true
		return 0
		;;
	-F | --format_path= | --format_path)
		mapfile -t COMPREPLY < <(compgen -W "dwarf btf" -- "$cur")
		return 0
		;;
	--format= | --format)
		mapfile -t COMPREPLY < <(compgen -W "layout c raw json" -- "$cur")
		return 0
		;;
	--lang_exclude= | --lang_exclude)
		mapfile -t COMPREPLY < <(compgen -W "c c++ rust asm fortran ada go" -- "$cur")
		return 0
		;;
	-C | --class_name= | --class_name | -j | --jobs=)
		return 0
		;;
	*=)
		# Any other option argument is a file.
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	esac

	if [[ $cur == -* ]]; then
		if [ -n "$sub" ]; then
			opts=$(_btfenc_options "$cmd" "$sub")
		else
			opts=$(_btfenc_options "$cmd")
		fi
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
			compopt -o nospace 2>/dev/null || true
		fi
		return 0
	fi
	if [ -z "$sub" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_btfenc_subcommands "$cmd")" -- "$cur")
	fi
	mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
	return 0
}

complete -F _btfenc btfenc
