#!/usr/bin/env zsh
# What zsh's completion system offers for a command line: zsh-complete.zsh SCRIPT LINE prints one
# candidate per line (a candidate offered twice is printed twice). In an interactive `zsh -f` on a
# pseudo-terminal (zsh/zpty), SCRIPT (a completion script) is sourced after compinit, or, when
# named _name, found by compinit in $fpath; LINE is typed there followed by Tab. compadd is
# wrapped to print what it is asked to add as it adds it (after zsh-capture-completion).
if [[ $1 == --init ]]; then
  PROMPT=''
  # A script named _name is loaded from $fpath by compinit (its #compdef line); others are sourced.
  if [[ ${2:t} == _* ]]; then
    fpath=(${2:h} $fpath)
    autoload -Uz compinit && compinit -u -D
  else
    autoload -Uz compinit && compinit -u -D
    source $2
  fi
  bindkey '^I' complete-word
  zle_null_line() { echo -E - $'\0' }
  compprefuncs=(zle_null_line)
  comppostfuncs=(zle_null_line exit)
  zstyle ':completion:*' list-grouped false
  zstyle ':completion:*' insert-tab false
  compadd() {
    # Calls that only ask for matches (-O, -A, -D) go through as they are.
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
      builtin compadd "$@"
      return $?
    fi
    local -a __hits
    builtin compadd -A __hits "$@"
    local hit
    for hit in $__hits; do echo -E - "$hit"; done
    # Added for real too: zsh then sees the matches and does not fall back to other tags.
    builtin compadd "$@"
  }
  echo ready
  return
fi
zmodload zsh/zpty || exit 2
zpty z zsh -f -i
zpty -w z "source ${(q)0:A} --init ${(q)1:A}"
local line
integer tries=0
until [[ $line == ready* ]]; do
  zpty -r z line || exit 3
  (( ++tries > 50 )) && exit 4
done
zpty -w -n z "$2"$'\t'
integer seen=0
while zpty -r z line; do
  if [[ $line == *$'\0'* ]]; then
    (( seen++ )) && break
    continue
  fi
  (( seen )) && echo -E - ${line%$'\r'*}
done
zpty -d z
