# fish completion for ameli (generated from the ameli command tree by `python -m ameli_cli.completion`; do not edit)
complete -c ameli -f
complete -c ameli -n __fish_use_subcommand -a auth -d 'Jeton de connexion (pour les scripts).'
complete -c ameli -n __fish_use_subcommand -a completion -d 'Afficher le script de complétion pour bash, zsh ou fish (à charger dans le...'
complete -c ameli -n __fish_use_subcommand -a config -d 'Réglages (fichier config.toml) et emplacement des fichiers.'
complete -c ameli -n __fish_use_subcommand -a login -d 'Se connecter avec son NIR et son mot de passe.'
complete -c ameli -n __fish_use_subcommand -a logout -d 'Se déconnecter : le jeton est révoqué par le service et effacé d'"'"'ici.'
complete -c ameli -n __fish_use_subcommand -a sandbox -d 'Le service de référence intégré : comptes de démonstration, remise à zéro,...'
complete -c ameli -n __fish_use_subcommand -a whoami -d 'Qui est connecté : NIR, nom, rôle, caisse, bénéficiaires, où est le jeton.'
complete -c ameli -n __fish_use_subcommand -l profile -d 'Profil (compte) à utiliser ; aussi AMELI_PROFILE. Défaut : default.'
complete -c ameli -n __fish_use_subcommand -s p -d 'Profil (compte) à utiliser ; aussi AMELI_PROFILE. Défaut : default.'
complete -c ameli -n __fish_use_subcommand -l backend -d 'Service : « sandbox » (intégré, par défaut) ou une URL http(s)://HÔTE:PORT ; aus'
complete -c ameli -n __fish_use_subcommand -l quiet -d 'Taire les messages de suivi.'
complete -c ameli -n __fish_use_subcommand -s q -d 'Taire les messages de suivi.'
complete -c ameli -n __fish_use_subcommand -l verbose -d 'Afficher les requêtes sur stderr (jamais de jeton ni de mot de passe).'
complete -c ameli -n __fish_use_subcommand -s v -d 'Afficher les requêtes sur stderr (jamais de jeton ni de mot de passe).'
complete -c ameli -n __fish_use_subcommand -l no-color -d 'Pas de couleur (aussi NO_COLOR).'
complete -c ameli -n __fish_use_subcommand -l show-nir -d 'Afficher le NIR en entier (masqué par défaut).'
complete -c ameli -n __fish_use_subcommand -l version -d 'Afficher la version.'
complete -c ameli -n __fish_use_subcommand -l help
complete -c ameli -n '__fish_seen_subcommand_from auth; and not __fish_seen_subcommand_from token' -a token -d 'Afficher le jeton de connexion du profil (pour un script : il donne accès au...'
complete -c ameli -n '__fish_seen_subcommand_from auth; and not __fish_seen_subcommand_from token' -l help
complete -c ameli -n '__fish_seen_subcommand_from auth; and __fish_seen_subcommand_from token' -l help
complete -c ameli -n '__fish_seen_subcommand_from completion' -l help
complete -c ameli -n '__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from get list paths set' -a get -d 'Lire un réglage (celui du profil, sinon le réglage général).'
complete -c ameli -n '__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from get list paths set' -a list -d 'Afficher les réglages effectifs du profil.'
complete -c ameli -n '__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from get list paths set' -a paths -d 'Où vivent les fichiers (réglages, données, cache).'
complete -c ameli -n '__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from get list paths set' -a set -d 'Écrire un réglage, pour tous les profils ou pour --profile seul.'
complete -c ameli -n '__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from get list paths set' -l help
complete -c ameli -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from get' -l help
complete -c ameli -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from list' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from list' -l help
complete -c ameli -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from paths' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from paths' -l help
complete -c ameli -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from set' -l this-profile -d 'Pour le profil courant seulement.'
complete -c ameli -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from set' -l help
complete -c ameli -n '__fish_seen_subcommand_from login' -l nir -d 'Numéro de sécurité sociale (13 ou 15 caractères, espaces permis).'
complete -c ameli -n '__fish_seen_subcommand_from login' -l password-stdin -d 'Lire le mot de passe sur l'"'"'entrée standard.'
complete -c ameli -n '__fish_seen_subcommand_from login' -l password-file -d 'Lire le mot de passe dans ce fichier (première ligne).'
complete -c ameli -n '__fish_seen_subcommand_from login' -l otp -d 'Code à 6 chiffres reçu par e-mail (nouvel appareil).'
complete -c ameli -n '__fish_seen_subcommand_from login' -l insecure-storage -d 'Garder le jeton dans un fichier privé (0600) plutôt que le trousseau.'
complete -c ameli -n '__fish_seen_subcommand_from login' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from login' -l help
complete -c ameli -n '__fish_seen_subcommand_from logout' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from logout' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a accounts -d 'Lister les comptes de démonstration avec leurs mots de passe (fictifs).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a advance -d 'Avancer l'"'"'horloge du bac à sable (livraisons, expirations).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a otp -d 'Montrer le dernier code à usage unique « envoyé par e-mail » à ce NIR.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a reset -d 'Effacer les données du bac à sable et les recréer (comptes, historiques).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a serve -d 'Servir le service de référence en HTTP (pour une équipe, des agents, des tests).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from accounts' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from accounts' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from advance' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from advance' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from otp' -l nir -d 'NIR du compte.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from otp' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from otp' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from reset' -l yes -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from reset' -s y -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from reset' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l host -d 'Adresse d'"'"'écoute.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l port -d 'Port d'"'"'écoute.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l workers -d 'Processus serveurs.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l help
complete -c ameli -n '__fish_seen_subcommand_from whoami' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from whoami' -l help
