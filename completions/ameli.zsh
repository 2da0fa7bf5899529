#compdef ameli
# zsh completion for ameli (generated from the ameli command tree by `python -m ameli_cli.runtime.completion_scripts`; do not edit)
_ameli_words() {
  case "$1" in
    "") echo attestation audit auth beneficiaires ceam completion config css doctor documents estimate help login logout mcp medecin-traitant message organisme paiements profile releves sandbox version vitale whoami --profile -p --backend --quiet -q --verbose -v --no-color --show-nir --wide --version --help ;;
    attestation) echo batch get verify --help ;;
    'attestation batch') echo --input -i --out-dir -d --type -t --concurrency -c --workers -w --json --help ;;
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
    help) echo --help ;;
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
    'sandbox reset') echo --yes -y --today --help ;;
    'sandbox serve') echo --host --port --workers --access-log --no-access-log --login-rate --graceful-timeout --trust-proxy --help ;;
    version) echo --help ;;
    vitale) echo declare-loss order status --help ;;
    'vitale declare-loss') echo --reason --beneficiary -b --order-replacement --photo --id-document --yes -y --dry-run --json --nir --help ;;
    'vitale order') echo --beneficiary -b --photo --id-document --dry-run --yes -y --json --nir --help ;;
    'vitale status') echo --nir --json --help ;;
    whoami) echo --json --help ;;
  esac
}
_ameli_children() {
  case "$1" in
    "") echo attestation audit auth beneficiaires ceam completion config css doctor documents estimate help login logout mcp medecin-traitant message organisme paiements profile releves sandbox version vitale whoami ;;
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
    help) echo  ;;
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
    version) echo  ;;
    vitale) echo declare-loss order status ;;
    'vitale declare-loss') echo  ;;
    'vitale order') echo  ;;
    'vitale status') echo  ;;
    whoami) echo  ;;
  esac
}
_ameli_choices() {
  case "$1" in
    'attestation batch --type') echo 'droits ij fiscale' ;;
    'attestation batch -t') echo 'droits ij fiscale' ;;
    'attestation get --type') echo 'droits ij fiscale' ;;
    'attestation get -t') echo 'droits ij fiscale' ;;
    'paiements list --kind') echo 'soins pharmacie biologie paramedical dentaire hopital ij' ;;
    'paiements summary --by') echo 'month beneficiary professional kind' ;;
  esac
}
_ameli_kind() {
  case "$1" in
    --profile) echo value ;;
    -p) echo value ;;
    --backend) echo value ;;
    'attestation batch --input') echo file ;;
    'attestation batch -i') echo file ;;
    'attestation batch --out-dir') echo file ;;
    'attestation batch -d') echo file ;;
    'attestation batch --type') echo choices ;;
    'attestation batch -t') echo choices ;;
    'attestation batch --concurrency') echo value ;;
    'attestation batch -c') echo value ;;
    'attestation batch --workers') echo value ;;
    'attestation batch -w') echo value ;;
    'attestation get --type') echo choices ;;
    'attestation get -t') echo choices ;;
    'attestation get --beneficiary') echo value ;;
    'attestation get -b') echo value ;;
    'attestation get --year') echo value ;;
    'attestation get --output') echo file ;;
    'attestation get -o') echo file ;;
    'attestation get') echo choices ;;
    'attestation verify') echo file ;;
    'auth devices revoke') echo value ;;
    'auth password change --password-file') echo file ;;
    'auth password change --new-password-file') echo file ;;
    'auth password reset --nir') echo value ;;
    'auth password reset --birth-date') echo value ;;
    'auth password reset --code') echo value ;;
    'auth password reset --channel') echo value ;;
    'auth password reset --new-password-file') echo file ;;
    'beneficiaires add --first-names') echo value ;;
    'beneficiaires add --last-name') echo value ;;
    'beneficiaires add --birth-date') echo value ;;
    'beneficiaires add --birth-certificate') echo file ;;
    'beneficiaires add --beneficiary') echo value ;;
    'beneficiaires add -b') echo value ;;
    'beneficiaires add --other-parent') echo value ;;
    'beneficiaires confirm') echo value ;;
    'beneficiaires list --nir') echo value ;;
    'ceam order --beneficiary') echo value ;;
    'ceam order -b') echo value ;;
    'ceam order --departure') echo value ;;
    'ceam order --output') echo file ;;
    'ceam order -o') echo file ;;
    'ceam order --nir') echo value ;;
    'ceam status --nir') echo value ;;
    completion) echo choices ;;
    'config get') echo value ;;
    'config set') echo value ;;
    'css request --resources') echo value ;;
    'css request --ages') echo value ;;
    'css request') echo file ;;
    'css simulate --resources') echo value ;;
    'css simulate --ages') echo value ;;
    'css status --nir') echo value ;;
    'documents send --type') echo value ;;
    'documents send --beneficiary') echo value ;;
    'documents send -b') echo value ;;
    'documents send') echo file ;;
    'documents sent --nir') echo value ;;
    'documents sync --since') echo value ;;
    'documents sync --kind') echo value ;;
    'documents sync') echo file ;;
    'estimate --beneficiary') echo value ;;
    'estimate -b') echo value ;;
    'estimate --price') echo value ;;
    'estimate --quantity') echo value ;;
    'estimate --secteur') echo value ;;
    'estimate --date') echo value ;;
    'estimate --nir') echo value ;;
    estimate) echo value ;;
    help) echo value ;;
    'login --nir') echo value ;;
    'login --password-file') echo file ;;
    'login --otp') echo value ;;
    'login --otp-channel') echo value ;;
    'mcp --out-dir') echo file ;;
    'medecin-traitant declare --rpps') echo value ;;
    'medecin-traitant declare --beneficiary') echo value ;;
    'medecin-traitant declare -b') echo value ;;
    'medecin-traitant search --rpps') echo value ;;
    'medecin-traitant search') echo value ;;
    'medecin-traitant show --nir') echo value ;;
    'message download --out-dir') echo file ;;
    'message download -o') echo file ;;
    'message download --attachment') echo value ;;
    'message download --nir') echo value ;;
    'message download') echo value ;;
    'message list --nir') echo value ;;
    'message outbox discard') echo value ;;
    'message reply --body') echo value ;;
    'message reply -b') echo value ;;
    'message reply --body-file') echo file ;;
    'message reply -F') echo file ;;
    'message reply --attach') echo file ;;
    'message reply -a') echo file ;;
    'message reply') echo value ;;
    'message send --category') echo value ;;
    'message send -c') echo value ;;
    'message send --subject') echo value ;;
    'message send -s') echo value ;;
    'message send --body') echo value ;;
    'message send -b') echo value ;;
    'message send --body-file') echo file ;;
    'message send -F') echo file ;;
    'message send --attach') echo file ;;
    'message send -a') echo file ;;
    'message show --nir') echo value ;;
    'message show') echo value ;;
    'organisme --nir') echo value ;;
    'paiements list --since') echo value ;;
    'paiements list --until') echo value ;;
    'paiements list --beneficiary') echo value ;;
    'paiements list -b') echo value ;;
    'paiements list --kind') echo choices ;;
    'paiements list --professional') echo value ;;
    'paiements list --limit') echo value ;;
    'paiements list -n') echo value ;;
    'paiements list --nir') echo value ;;
    'paiements reconcile --column') echo value ;;
    'paiements reconcile --window') echo value ;;
    'paiements reconcile --nir') echo value ;;
    'paiements reconcile') echo file ;;
    'paiements show --nir') echo value ;;
    'paiements show') echo value ;;
    'paiements summary --by') echo choices ;;
    'paiements summary --year') echo value ;;
    'paiements summary --nir') echo value ;;
    'paiements virements --since') echo value ;;
    'paiements virements --until') echo value ;;
    'paiements virements --nir') echo value ;;
    'profile show --nir') echo value ;;
    'profile update --email') echo value ;;
    'profile update --phone') echo value ;;
    'profile update --address-line') echo value ;;
    'profile update --postal-code') echo value ;;
    'profile update --city') echo value ;;
    'profile update --iban') echo value ;;
    'profile update --nir') echo value ;;
    'releves get --output') echo file ;;
    'releves get -o') echo file ;;
    'releves get --nir') echo value ;;
    'releves get') echo value ;;
    'releves list --nir') echo value ;;
    'releves verify') echo file ;;
    'sandbox advance') echo value ;;
    'sandbox otp --nir') echo value ;;
    'sandbox reset --today') echo value ;;
    'sandbox serve --host') echo value ;;
    'sandbox serve --port') echo value ;;
    'sandbox serve --workers') echo value ;;
    'sandbox serve --login-rate') echo value ;;
    'sandbox serve --graceful-timeout') echo value ;;
    'sandbox serve --trust-proxy') echo value ;;
    'vitale declare-loss --reason') echo value ;;
    'vitale declare-loss --beneficiary') echo value ;;
    'vitale declare-loss -b') echo value ;;
    'vitale declare-loss --photo') echo file ;;
    'vitale declare-loss --id-document') echo file ;;
    'vitale declare-loss --nir') echo value ;;
    'vitale order --beneficiary') echo value ;;
    'vitale order -b') echo value ;;
    'vitale order --photo') echo file ;;
    'vitale order --id-document') echo file ;;
    'vitale order --nir') echo value ;;
    'vitale status --nir') echo value ;;
  esac
}
_ameli_argument_choices() {
  case "$1" in
    'attestation get') echo 'droits ij fiscale' ;;
    completion) echo 'bash zsh fish' ;;
  esac
}
_ameli() {
  local cmdpath="" word kind prev="${words[CURRENT-1]}"
  for word in ${words[2,CURRENT-1]}; do
    if (( ${${(z)$(_ameli_children "$cmdpath")}[(Ie)$word]} )); then
      cmdpath="${cmdpath:+$cmdpath }$word"
    fi
  done
  kind=""
  [[ "$prev" == -* ]] && kind="$(_ameli_kind "${cmdpath:+$cmdpath }$prev")"
  if [[ -z "$kind" && "$PREFIX" != -* ]]; then
    kind="$(_ameli_kind "$cmdpath")"
    [[ "$kind" == choices ]] && kind=argument
  fi
  case "$kind" in
    choices) compadd -- ${(z)$(_ameli_choices "${cmdpath:+$cmdpath }$prev")} ;;
    argument) compadd -- ${(z)$(_ameli_argument_choices "$cmdpath")} ;;
    file) _files ;;
    value) _message 'valeur' ;;
    *) compadd -- ${(z)$(_ameli_words "$cmdpath")} ;;
  esac
}
compdef _ameli ameli
