# bash completion for ameli (generated from the ameli command tree by `python -m ameli_cli.completion`; do not edit)
_ameli_words() {
  case "$1" in
    "") echo auth completion config login logout sandbox whoami --profile -p --backend --quiet -q --verbose -v --no-color --show-nir --version --help ;;
    auth) echo token --help ;;
    'auth token') echo --help ;;
    completion) echo --help ;;
    config) echo get list paths set --help ;;
    'config get') echo --help ;;
    'config list') echo --json --help ;;
    'config paths') echo --json --help ;;
    'config set') echo --this-profile --help ;;
    login) echo --nir --password-stdin --password-file --otp --insecure-storage --json --help ;;
    logout) echo --json --help ;;
    sandbox) echo accounts advance otp reset serve --help ;;
    'sandbox accounts') echo --json --help ;;
    'sandbox advance') echo --json --help ;;
    'sandbox otp') echo --nir --json --help ;;
    'sandbox reset') echo --yes -y --help ;;
    'sandbox serve') echo --host --port --workers --help ;;
    whoami) echo --json --help ;;
  esac
}
_ameli_children() {
  case "$1" in
    "") echo auth completion config login logout sandbox whoami ;;
    auth) echo token ;;
    'auth token') echo  ;;
    completion) echo  ;;
    config) echo get list paths set ;;
    'config get') echo  ;;
    'config list') echo  ;;
    'config paths') echo  ;;
    'config set') echo  ;;
    login) echo  ;;
    logout) echo  ;;
    sandbox) echo accounts advance otp reset serve ;;
    'sandbox accounts') echo  ;;
    'sandbox advance') echo  ;;
    'sandbox otp') echo  ;;
    'sandbox reset') echo  ;;
    'sandbox serve') echo  ;;
    whoami) echo  ;;
  esac
}
_ameli_choices() {
  case "$1" in
  esac
}
_ameli() {
  local cur prev path word i
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    case " $(_ameli_children "$path") " in
      *" $word "*) path="${path:+$path }$word" ;;
    esac
  done
  local choices
  choices="$(_ameli_choices "${path:+$path }$prev")"
  if [[ -n "$choices" ]]; then
    COMPREPLY=($(compgen -W "$choices" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_ameli_words "$path")" -- "$cur"))
  fi
}
complete -o default -F _ameli ameli
