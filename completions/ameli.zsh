#compdef ameli
# zsh completion for ameli (generated from the ameli command tree by `python -m ameli_cli.completion`; do not edit)
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
  local cmdpath="" word choices
  for word in ${words[2,CURRENT-1]}; do
    if (( ${${(z)$(_ameli_children "$cmdpath")}[(Ie)$word]} )); then
      cmdpath="${cmdpath:+$cmdpath }$word"
    fi
  done
  choices="$(_ameli_choices "${cmdpath:+$cmdpath }${words[CURRENT-1]}")"
  if [[ -n "$choices" ]]; then
    compadd -- ${(z)choices}
  else
    compadd -- ${(z)$(_ameli_words "$cmdpath")}
  fi
}
compdef _ameli ameli
