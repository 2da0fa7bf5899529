# bash completion for ameli (generated from the ameli command tree by `python -m ameli_cli.runtime.completion_scripts`; do not edit)
_ameli_words() {
  case "$1" in
    "") echo attestation audit auth beneficiaires ceam completion config css doctor documents estimate login logout mcp medecin-traitant message organisme paiements profile releves sandbox vitale whoami --profile -p --backend --quiet -q --verbose -v --no-color --show-nir --version --help ;;
    attestation) echo batch get verify --help ;;
    'attestation batch') echo --input -i --out-dir -d --type -t --concurrency -c --json --help ;;
    'attestation get') echo --type -t --beneficiary -b --year --output -o --json --offline --force --help ;;
    'attestation verify') echo --json --help ;;
    audit) echo --json --help ;;
    auth) echo devices password token --help ;;
    'auth devices') echo list revoke --help ;;
    'auth devices list') echo --json --help ;;
    'auth devices revoke') echo --all-others --json --help ;;
    'auth password') echo change reset --help ;;
    'auth password change') echo --password-stdin --password-file --new-password-stdin --new-password-file --json --help ;;
    'auth password reset') echo --nir --birth-date --code --channel --new-password-stdin --new-password-file --json --help ;;
    'auth token') echo --help ;;
    beneficiaires) echo add confirm list --help ;;
    'beneficiaires add') echo --first-names --last-name --birth-date --birth-certificate --beneficiary -b --other-parent --json --help ;;
    'beneficiaires confirm') echo --json --help ;;
    'beneficiaires list') echo --nir --json --help ;;
    ceam) echo order status --help ;;
    'ceam order') echo --beneficiary -b --departure --yes -y --json --output -o --nir --force --help ;;
    'ceam status') echo --nir --json --help ;;
    completion) echo --help ;;
    config) echo get list paths set --help ;;
    'config get') echo --help ;;
    'config list') echo --json --help ;;
    'config paths') echo --json --help ;;
    'config set') echo --this-profile --help ;;
    css) echo request simulate status --help ;;
    'css request') echo --resources --ages --json --help ;;
    'css simulate') echo --resources --ages --alsace-moselle --json --help ;;
    'css status') echo --nir --json --help ;;
    doctor) echo --json --help ;;
    documents) echo list send sent sync --help ;;
    'documents list') echo --json --help ;;
    'documents send') echo --type --beneficiary -b --json --help ;;
    'documents sent') echo --nir --json --help ;;
    'documents sync') echo --since --kind --help ;;
    estimate) echo --list --beneficiary -b --price --quantity --secteur --hors-parcours --ald --date --json --nir --help ;;
    login) echo --nir --password-stdin --password-file --otp --otp-channel --insecure-storage --json --help ;;
    logout) echo --purge --json --help ;;
    mcp) echo --allow-writes --allow-irreversible --out-dir --list-tools --help ;;
    medecin-traitant) echo declare search show --help ;;
    'medecin-traitant declare') echo --rpps --beneficiary -b --json --help ;;
    'medecin-traitant search') echo --rpps --json --help ;;
    'medecin-traitant show') echo --nir --json --help ;;
    message) echo categories download list outbox reply send show --help ;;
    'message categories') echo --json --help ;;
    'message download') echo --out-dir -o --attachment --force --nir --json --help ;;
    'message list') echo --unread --nir --json --help ;;
    'message outbox') echo discard send --json --help ;;
    'message outbox discard') echo --help ;;
    'message outbox send') echo --json --help ;;
    'message reply') echo --body -b --body-file -F --attach -a --dry-run --json --help ;;
    'message send') echo --category -c --subject -s --body -b --body-file -F --attach -a --dry-run --json --help ;;
    'message show') echo --nir --json --help ;;
    organisme) echo --nir --json --help ;;
    paiements) echo list reconcile show summary virements --help ;;
    'paiements list') echo --since --until --beneficiary -b --kind --professional --limit -n --all --json --csv --nir --help ;;
    'paiements reconcile') echo --column --window --json --nir --help ;;
    'paiements show') echo --json --nir --help ;;
    'paiements summary') echo --by --year --json --nir --help ;;
    'paiements virements') echo --since --until --json --nir --help ;;
    profile) echo show update --help ;;
    'profile show') echo --nir --json --help ;;
    'profile update') echo --email --phone --address-line --postal-code --city --iban --iban-stdin --nir --dry-run --json --help ;;
    releves) echo get list verify --help ;;
    'releves get') echo --output -o --json --nir --force --help ;;
    'releves list') echo --json --nir --help ;;
    'releves verify') echo --json --help ;;
    sandbox) echo accounts advance otp reset serve --help ;;
    'sandbox accounts') echo --json --help ;;
    'sandbox advance') echo --json --help ;;
    'sandbox otp') echo --nir --approve --json --help ;;
    'sandbox reset') echo --yes -y --help ;;
    'sandbox serve') echo --host --port --workers --access-log --no-access-log --login-rate --graceful-timeout --help ;;
    vitale) echo declare-loss order status --help ;;
    'vitale declare-loss') echo --reason --beneficiary -b --order-replacement --photo --id-document --yes -y --dry-run --json --nir --help ;;
    'vitale order') echo --beneficiary -b --photo --id-document --dry-run --yes -y --json --nir --help ;;
    'vitale status') echo --nir --json --help ;;
    whoami) echo --json --help ;;
  esac
}
_ameli_children() {
  case "$1" in
    "") echo attestation audit auth beneficiaires ceam completion config css doctor documents estimate login logout mcp medecin-traitant message organisme paiements profile releves sandbox vitale whoami ;;
    attestation) echo batch get verify ;;
    'attestation batch') echo  ;;
    'attestation get') echo  ;;
    'attestation verify') echo  ;;
    audit) echo  ;;
    auth) echo devices password token ;;
    'auth devices') echo list revoke ;;
    'auth devices list') echo  ;;
    'auth devices revoke') echo  ;;
    'auth password') echo change reset ;;
    'auth password change') echo  ;;
    'auth password reset') echo  ;;
    'auth token') echo  ;;
    beneficiaires) echo add confirm list ;;
    'beneficiaires add') echo  ;;
    'beneficiaires confirm') echo  ;;
    'beneficiaires list') echo  ;;
    ceam) echo order status ;;
    'ceam order') echo  ;;
    'ceam status') echo  ;;
    completion) echo  ;;
    config) echo get list paths set ;;
    'config get') echo  ;;
    'config list') echo  ;;
    'config paths') echo  ;;
    'config set') echo  ;;
    css) echo request simulate status ;;
    'css request') echo  ;;
    'css simulate') echo  ;;
    'css status') echo  ;;
    doctor) echo  ;;
    documents) echo list send sent sync ;;
    'documents list') echo  ;;
    'documents send') echo  ;;
    'documents sent') echo  ;;
    'documents sync') echo  ;;
    estimate) echo  ;;
    login) echo  ;;
    logout) echo  ;;
    mcp) echo  ;;
    medecin-traitant) echo declare search show ;;
    'medecin-traitant declare') echo  ;;
    'medecin-traitant search') echo  ;;
    'medecin-traitant show') echo  ;;
    message) echo categories download list outbox reply send show ;;
    'message categories') echo  ;;
    'message download') echo  ;;
    'message list') echo  ;;
    'message outbox') echo discard send ;;
    'message outbox discard') echo  ;;
    'message outbox send') echo  ;;
    'message reply') echo  ;;
    'message send') echo  ;;
    'message show') echo  ;;
    organisme) echo  ;;
    paiements) echo list reconcile show summary virements ;;
    'paiements list') echo  ;;
    'paiements reconcile') echo  ;;
    'paiements show') echo  ;;
    'paiements summary') echo  ;;
    'paiements virements') echo  ;;
    profile) echo show update ;;
    'profile show') echo  ;;
    'profile update') echo  ;;
    releves) echo get list verify ;;
    'releves get') echo  ;;
    'releves list') echo  ;;
    'releves verify') echo  ;;
    sandbox) echo accounts advance otp reset serve ;;
    'sandbox accounts') echo  ;;
    'sandbox advance') echo  ;;
    'sandbox otp') echo  ;;
    'sandbox reset') echo  ;;
    'sandbox serve') echo  ;;
    vitale) echo declare-loss order status ;;
    'vitale declare-loss') echo  ;;
    'vitale order') echo  ;;
    'vitale status') echo  ;;
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
