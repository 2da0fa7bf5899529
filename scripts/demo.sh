#!/usr/bin/env bash
# The README's first command runs this: sign in to a seeded family account on the
# embedded sandbox, show who you are, and list the commands.
set -euo pipefail

show() { printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; }

# A sandbox made for the demo has its clock pinned (the README's figures); an existing
# one is kept as it is.
if [[ ! -e "$(ameli config paths --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["sandbox_db"])')" ]]; then
  show ameli sandbox reset --yes --today 2026-11-30
  ameli sandbox reset --yes --today 2026-11-30
fi

show ameli sandbox accounts
ameli sandbox accounts

account=$(ameli sandbox accounts --json | python3 -c 'import json, sys; a = json.load(sys.stdin)[0]; print(a["nir"], a["password"])')
nir=${account% *}
password=${account#* }

show "ameli login --nir $nir --password-stdin   # mot de passe : $password"
if ! printf '%s\n' "$password" | ameli login --nir "$nir" --password-stdin 2>/dev/null; then
  # A new device: the service "e-mails" a one-time code; the sandbox shows it.
  printf 'Nouvel appareil : le service a envoyé un code à usage unique par e-mail ; le bac à sable le montre.\n' >&2
  show ameli sandbox otp --nir "$nir"
  code=$(ameli sandbox otp --nir "$nir")
  echo "$code"
  show "ameli login --nir $nir --password-stdin --otp $code"
  printf '%s\n' "$password" | ameli login --nir "$nir" --password-stdin --otp "$code"
fi

show ameli whoami
ameli whoami

show ameli --help
ameli --help

printf '\nConnecté au bac à sable intégré. Essayez : .venv/bin/ameli whoami --json\n' >&2
