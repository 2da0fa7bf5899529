# fish completion for ameli (generated from the ameli command tree by `python -m ameli_cli.runtime.completion_scripts`; do not edit)
complete -c ameli -f
complete -c ameli -n __fish_use_subcommand -a attestation -d 'Attestations : de droits, de paiement des indemnités journalières, relevé...'
complete -c ameli -n __fish_use_subcommand -a audit -d 'Journal des accès : quel agent de la caisse a consulté vos données...'
complete -c ameli -n __fish_use_subcommand -a auth -d 'Le compte : mot de passe (changer, réinitialiser), appareils de confiance,...'
complete -c ameli -n __fish_use_subcommand -a beneficiaires -d 'Bénéficiaires (ayants droit) : la liste, ajouter un enfant, le rattacher...'
complete -c ameli -n __fish_use_subcommand -a ceam -d 'Carte européenne d'"'"'assurance maladie (CEAM) : commande et suivi.'
complete -c ameli -n __fish_use_subcommand -a completion -d 'Afficher le script de complétion pour bash, zsh ou fish (à charger dans le...'
complete -c ameli -n __fish_use_subcommand -a config -d 'Réglages (fichier config.toml) et emplacement des fichiers.'
complete -c ameli -n __fish_use_subcommand -a css -d 'Complémentaire santé solidaire (CSS) : simuler, demander, suivre la demande.'
complete -c ameli -n __fish_use_subcommand -a doctor -d 'Diagnostiquer l'"'"'installation : service, connexion, trousseau, droits des...'
complete -c ameli -n __fish_use_subcommand -a documents -d 'Tous les documents du compte (attestations, relevés, CEAM, pièces jointes) :...'
complete -c ameli -n __fish_use_subcommand -a estimate -d 'Estimer le remboursement d'"'"'un acte et le reste à charge avant mutuelle, aux...'
complete -c ameli -n __fish_use_subcommand -a help -d 'Afficher l'"'"'aide d'"'"'une commande : ameli help paiements list.'
complete -c ameli -n __fish_use_subcommand -a login -d 'Se connecter avec son NIR et son mot de passe.'
complete -c ameli -n __fish_use_subcommand -a logout -d 'Se déconnecter : le jeton est révoqué par le service et effacé d'"'"'ici.'
complete -c ameli -n __fish_use_subcommand -a mcp -d 'Serveur MCP (stdio) pour les assistants IA : les commandes de lecture comme...'
complete -c ameli -n __fish_use_subcommand -a medecin-traitant -d 'Médecin traitant : voir celui de chaque bénéficiaire, en déclarer un,...'
complete -c ameli -n __fish_use_subcommand -a message -d 'Messagerie avec votre caisse : écrire, répondre, lire, télécharger les pièces...'
complete -c ameli -n __fish_use_subcommand -a organisme -d 'Votre caisse (CPAM) : nom, code organisme, adresse postale, téléphone (3646)...'
complete -c ameli -n __fish_use_subcommand -a paiements -d 'Vos remboursements ligne par ligne : dates, bénéficiaire, professionnel,...'
complete -c ameli -n __fish_use_subcommand -a profile -d 'Vos coordonnées : adresse, e-mail, téléphone et IBAN (voir, modifier).'
complete -c ameli -n __fish_use_subcommand -a releves -d 'Relevés mensuels de paiements : les 27 derniers mois clos, en PDF signé,...'
complete -c ameli -n __fish_use_subcommand -a sandbox -d 'Le service de référence intégré : comptes de démonstration, remise à zéro,...'
complete -c ameli -n __fish_use_subcommand -a version -d 'Afficher la version de ameli et de l'"'"'API qu'"'"'il parle.'
complete -c ameli -n __fish_use_subcommand -a vitale -d 'Carte Vitale : état des cartes, commande, déclaration de perte, de vol ou de...'
complete -c ameli -n __fish_use_subcommand -a whoami -d 'Qui est connecté : NIR, nom, rôle, caisse, bénéficiaires, où est le jeton.'
complete -c ameli -n __fish_use_subcommand -l profile -x -d 'Profil (compte) à utiliser ; aussi AMELI_PROFILE. Défaut : default.'
complete -c ameli -n __fish_use_subcommand -s p -x -d 'Profil (compte) à utiliser ; aussi AMELI_PROFILE. Défaut : default.'
complete -c ameli -n __fish_use_subcommand -l backend -x -d 'Service : « sandbox » (intégré, par défaut), une URL http(s)://HÔTE:PORT ou le n'
complete -c ameli -n __fish_use_subcommand -l quiet -d 'Taire les messages de suivi.'
complete -c ameli -n __fish_use_subcommand -s q -d 'Taire les messages de suivi.'
complete -c ameli -n __fish_use_subcommand -l verbose -d 'Afficher les requêtes sur stderr (jamais de jeton ni de mot de passe).'
complete -c ameli -n __fish_use_subcommand -s v -d 'Afficher les requêtes sur stderr (jamais de jeton ni de mot de passe).'
complete -c ameli -n __fish_use_subcommand -l no-color -d 'Pas de couleur (aussi NO_COLOR).'
complete -c ameli -n __fish_use_subcommand -l show-nir -d 'Afficher le NIR en entier (masqué par défaut).'
complete -c ameli -n __fish_use_subcommand -l wide -d 'Tableaux : toutes les colonnes, quelle que soit la largeur du terminal.'
complete -c ameli -n __fish_use_subcommand -l version -d 'Afficher la version.'
complete -c ameli -n __fish_use_subcommand -l help
complete -c ameli -n '__fish_seen_subcommand_from attestation; and not __fish_seen_subcommand_from batch get verify' -a batch -d 'Agents : une attestation PDF par NIR (un NIR par ligne, ou un CSV avec une...'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and not __fish_seen_subcommand_from batch get verify' -a get -d 'Obtenir une attestation en PDF (dessinée ici à partir des données signées par...'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and not __fish_seen_subcommand_from batch get verify' -a verify -d 'Vérifier une attestation PDF (ou un certificat provisoire de CEAM, ou le scan...'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and not __fish_seen_subcommand_from batch get verify' -l help
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -l input -rF -d 'Liste des NIR (« - » : entrée standard).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -s i -rF -d 'Liste des NIR (« - » : entrée standard).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -l out-dir -rF -d 'Dossier des PDF (créé au besoin).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -s d -rF -d 'Dossier des PDF (créé au besoin).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -l type -xa 'droits ij fiscale' -d 'Type d'"'"'attestation.'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -s t -xa 'droits ij fiscale' -d 'Type d'"'"'attestation.'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -l concurrency -x -d 'Requêtes simultanées (1 à 64).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -s c -x -d 'Requêtes simultanées (1 à 64).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -l workers -x -d 'Processus qui dessinent les pages (0 à 64 ; 0 : dans le processus du lot). Par d'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -s w -x -d 'Processus qui dessinent les pages (0 à 64 ; 0 : dans le processus du lot). Par d'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -l json -d 'Sortie NDJSON (c'"'"'est déjà le format de la sortie standard).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from batch' -l help
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -a 'droits ij fiscale'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -l type -xa 'droits ij fiscale' -d 'Type d'"'"'attestation (défaut : droits).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -s t -xa 'droits ij fiscale' -d 'Type d'"'"'attestation (défaut : droits).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -l beneficiary -x -d 'Bénéficiaire (rang 01, 02…) ou all pour tous (défaut).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -s b -x -d 'Bénéficiaire (rang 01, 02…) ou all pour tous (défaut).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -l year -x -d 'Année (ij et fiscale ; fiscale : l'"'"'an dernier par défaut).'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -l output -rF -d 'Fichier PDF (ou dossier) ; « - » pour écrire le PDF sur la sortie standard.'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -s o -rF -d 'Fichier PDF (ou dossier) ; « - » pour écrire le PDF sur la sortie standard.'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -l json -d 'Afficher les données signées (JSON) au lieu du PDF.'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -l offline -d 'Ne pas contacter le service : redessiner depuis le cache.'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -l force -d 'Remplacer le fichier s'"'"'il existe déjà.'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from get' -l help
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from verify' -F
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from verify' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from attestation; and __fish_seen_subcommand_from verify' -l help
complete -c ameli -n '__fish_seen_subcommand_from audit' -l json -d 'Sortie JSON (liste).'
complete -c ameli -n '__fish_seen_subcommand_from audit' -l help
complete -c ameli -n '__fish_seen_subcommand_from auth; and not __fish_seen_subcommand_from devices password token' -a devices -d 'Appareils de confiance : ceux qui se connectent sans code à usage unique...'
complete -c ameli -n '__fish_seen_subcommand_from auth; and not __fish_seen_subcommand_from devices password token' -a password -d 'Mot de passe : le changer, ou le réinitialiser s'"'"'il est oublié.'
complete -c ameli -n '__fish_seen_subcommand_from auth; and not __fish_seen_subcommand_from devices password token' -a token -d 'Afficher le jeton de connexion du profil (pour un script : il donne accès au...'
complete -c ameli -n '__fish_seen_subcommand_from auth; and not __fish_seen_subcommand_from devices password token' -l help
complete -c ameli -n '__fish_seen_subcommand_from auth; and __fish_seen_subcommand_from devices; and not __fish_seen_subcommand_from list revoke' -a list -d 'Lister les appareils de confiance du compte ; « * » marque celui-ci.'
complete -c ameli -n '__fish_seen_subcommand_from auth; and __fish_seen_subcommand_from devices; and not __fish_seen_subcommand_from list revoke' -a revoke -d 'Retirer la confiance à un appareil (ou à tous les autres avec --all-others) :...'
complete -c ameli -n '__fish_seen_subcommand_from auth; and __fish_seen_subcommand_from devices; and not __fish_seen_subcommand_from list revoke' -l help
complete -c ameli -n '__fish_seen_subcommand_from devices; and __fish_seen_subcommand_from list' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from devices; and __fish_seen_subcommand_from list' -l help
complete -c ameli -n '__fish_seen_subcommand_from devices; and __fish_seen_subcommand_from revoke' -l all-others -d 'Tous les appareils sauf celui-ci.'
complete -c ameli -n '__fish_seen_subcommand_from devices; and __fish_seen_subcommand_from revoke' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from devices; and __fish_seen_subcommand_from revoke' -l help
complete -c ameli -n '__fish_seen_subcommand_from auth; and __fish_seen_subcommand_from password; and not __fish_seen_subcommand_from change reset' -a change -d 'Changer le mot de passe.'
complete -c ameli -n '__fish_seen_subcommand_from auth; and __fish_seen_subcommand_from password; and not __fish_seen_subcommand_from change reset' -a reset -d 'Mot de passe oublié.'
complete -c ameli -n '__fish_seen_subcommand_from auth; and __fish_seen_subcommand_from password; and not __fish_seen_subcommand_from change reset' -l help
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from change' -l password-stdin -d 'Lire le mot de passe actuel sur l'"'"'entrée standard (première ligne).'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from change' -l password-file -rF -d 'Lire le mot de passe actuel dans ce fichier (première ligne).'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from change' -l new-password-stdin -d 'Lire le nouveau mot de passe sur l'"'"'entrée standard (ligne suivante si le mot de '
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from change' -l new-password-file -rF -d 'Lire le nouveau mot de passe dans ce fichier (première ligne).'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from change' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from change' -l help
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from reset' -l nir -x -d 'NIR du compte.'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from reset' -l birth-date -x -d 'Date de naissance de l'"'"'assuré.'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from reset' -l code -x -d 'Le code à 6 chiffres reçu par SMS ou e-mail.'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from reset' -l channel -x -d 'Recevoir le code par e-mail ou par SMS (par défaut : SMS si le compte en a un).'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from reset' -l new-password-stdin -d 'Lire le nouveau mot de passe sur l'"'"'entrée standard (ligne suivante si le mot de '
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from reset' -l new-password-file -rF -d 'Lire le nouveau mot de passe dans ce fichier (première ligne).'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from reset' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from password; and __fish_seen_subcommand_from reset' -l help
complete -c ameli -n '__fish_seen_subcommand_from auth; and __fish_seen_subcommand_from token' -l help
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and not __fish_seen_subcommand_from add confirm list' -a add -d 'Ajouter un enfant (nom, prénoms, date de naissance, acte de naissance), ou...'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and not __fish_seen_subcommand_from add confirm list' -a confirm -d 'Confirmer, depuis son propre compte, le rattachement demandé par l'"'"'autre parent.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and not __fish_seen_subcommand_from add confirm list' -a list -d 'Les bénéficiaires du compte (rang, nom, naissance, lien, rattachement à...'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and not __fish_seen_subcommand_from add confirm list' -l help
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from add' -l first-names -x -d 'Prénoms de l'"'"'enfant.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from add' -l last-name -x -d 'Nom de l'"'"'enfant.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from add' -l birth-date -x -d 'Date de naissance.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from add' -l birth-certificate -rF -d 'Acte de naissance (PDF, JPEG ou PNG).'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from add' -l beneficiary -x -d 'Rattachement : rang de l'"'"'enfant sur ce compte.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from add' -s b -x -d 'Rattachement : rang de l'"'"'enfant sur ce compte.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from add' -l other-parent -x -d 'Rattachement : NIR de l'"'"'autre parent.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from add' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from add' -l help
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from confirm' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from confirm' -l help
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from list' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from list' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from beneficiaires; and __fish_seen_subcommand_from list' -l help
complete -c ameli -n '__fish_seen_subcommand_from ceam; and not __fish_seen_subcommand_from order status' -a order -d 'Commander une CEAM (gratuite, valable 2 ans, environ 10 jours de délai).'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and not __fish_seen_subcommand_from order status' -a status -d 'La CEAM de chaque bénéficiaire, les commandes en cours et les certificats...'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and not __fish_seen_subcommand_from order status' -l help
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -l beneficiary -x -d 'Rang du bénéficiaire (01 l'"'"'assuré, 02… les ayants droit). Défaut : 01.'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -s b -x -d 'Rang du bénéficiaire (01 l'"'"'assuré, 02… les ayants droit). Défaut : 01.'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -l departure -x -d 'Date de départ à l'"'"'étranger.'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -l yes -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -s y -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -l output -rF -d 'Où écrire le certificat provisoire (PDF), s'"'"'il y en a un. Défaut : le dossier de'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -s o -rF -d 'Où écrire le certificat provisoire (PDF), s'"'"'il y en a un. Défaut : le dossier de'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -l force -d 'Remplacer le fichier de --output s'"'"'il existe déjà.'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from order' -l help
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from status' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from status' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from ceam; and __fish_seen_subcommand_from status' -l help
complete -c ameli -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'
complete -c ameli -n '__fish_seen_subcommand_from completion' -l help
complete -c ameli -n '__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from get list paths set' -a get -d 'Lire la valeur effective d'"'"'un réglage (sur stdout) et d'"'"'où elle vient (sur...'
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
complete -c ameli -n '__fish_seen_subcommand_from css; and not __fish_seen_subcommand_from request simulate status' -a request -d 'Demander la CSS avec ses justificatifs ; la réponse arrive sous deux mois au...'
complete -c ameli -n '__fish_seen_subcommand_from css; and not __fish_seen_subcommand_from request simulate status' -a simulate -d 'Simuler la CSS : gratuite, avec une participation mensuelle selon l'"'"'âge, ou...'
complete -c ameli -n '__fish_seen_subcommand_from css; and not __fish_seen_subcommand_from request simulate status' -a status -d 'Les demandes de CSS et leur réponse.'
complete -c ameli -n '__fish_seen_subcommand_from css; and not __fish_seen_subcommand_from request simulate status' -l help
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from request' -F
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from request' -l resources -x -d 'Ressources du foyer sur 12 mois, en euros.'
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from request' -l ages -x -d 'L'"'"'âge de chaque membre du foyer, séparés par des virgules (34,8).'
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from request' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from request' -l help
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from simulate' -l resources -x -d 'Ressources du foyer sur 12 mois, en euros.'
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from simulate' -l ages -x -d 'L'"'"'âge de chaque membre du foyer, séparés par des virgules (34,8).'
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from simulate' -l alsace-moselle -d 'Régime local d'"'"'Alsace-Moselle (participation réduite).'
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from simulate' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from simulate' -l help
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from status' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from status' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from css; and __fish_seen_subcommand_from status' -l help
complete -c ameli -n '__fish_seen_subcommand_from doctor' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from doctor' -l help
complete -c ameli -n '__fish_seen_subcommand_from documents; and not __fish_seen_subcommand_from list send sent sync' -a list -d 'Lister tous les documents du compte : attestations de droits (une par...'
complete -c ameli -n '__fish_seen_subcommand_from documents; and not __fish_seen_subcommand_from list send sent sync' -a send -d 'Envoyer une feuille de soins, un arrêt de travail ou un justificatif (PDF,...'
complete -c ameli -n '__fish_seen_subcommand_from documents; and not __fish_seen_subcommand_from list send sent sync' -a sent -d 'Les documents envoyés : type, date, statut ; une feuille de soins traitée...'
complete -c ameli -n '__fish_seen_subcommand_from documents; and not __fish_seen_subcommand_from list send sent sync' -a sync -d 'Copier tous les documents du compte dans DOSSIER, sous des noms stables, avec...'
complete -c ameli -n '__fish_seen_subcommand_from documents; and not __fish_seen_subcommand_from list send sent sync' -l help
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from list' -l json -d 'Sortie JSON (une liste).'
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from list' -l help
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from send' -F
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from send' -l type -x -d 'Feuille de soins, arrêt de travail ou justificatif.'
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from send' -l beneficiary -x -d 'Rang du bénéficiaire (défaut 01).'
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from send' -s b -x -d 'Rang du bénéficiaire (défaut 01).'
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from send' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from send' -l help
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from sent' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from sent' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from sent' -l help
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from sync' -F
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from sync' -l since -x -d 'Seulement les documents datés depuis (AAAA-MM-JJ, 6m…).'
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from sync' -l kind -x -d 'Seulement cette nature (répétable ; voir documents list).'
complete -c ameli -n '__fish_seen_subcommand_from documents; and __fish_seen_subcommand_from sync' -l help
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l list -d 'Lister les actes connus.'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l beneficiary -x -d 'Rang du bénéficiaire (défaut 01).'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -s b -x -d 'Rang du bénéficiaire (défaut 01).'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l price -x -d 'Prix payé (défaut : le tarif).'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l quantity -x -d 'Boîtes de médicaments ou séances (défaut 1).'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l secteur -x -d 'Secteur du médecin : 1 (tarif) ou 2.'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l hors-parcours -d 'Hors parcours de soins (sans passer par le médecin traitant).'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l ald -d 'Soins liés à l'"'"'affection de longue durée.'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l date -x -d 'Date des soins (défaut : aujourd'"'"'hui).'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from estimate' -l help
complete -c ameli -n '__fish_seen_subcommand_from help' -l help
complete -c ameli -n '__fish_seen_subcommand_from login' -l nir -x -d 'Numéro de sécurité sociale (13 ou 15 caractères, espaces permis).'
complete -c ameli -n '__fish_seen_subcommand_from login' -l password-stdin -d 'Lire le mot de passe sur l'"'"'entrée standard.'
complete -c ameli -n '__fish_seen_subcommand_from login' -l password-file -rF -d 'Lire le mot de passe dans ce fichier (première ligne).'
complete -c ameli -n '__fish_seen_subcommand_from login' -l otp -x -d 'Code à 6 chiffres reçu par e-mail ou SMS (nouvel appareil ; ou AMELI_OTP).'
complete -c ameli -n '__fish_seen_subcommand_from login' -l otp-channel -x -d 'Comment recevoir le code d'"'"'un nouvel appareil (par défaut : le choix du compte) '
complete -c ameli -n '__fish_seen_subcommand_from login' -l insecure-storage -d 'Garder le jeton dans un fichier privé (0600) plutôt que le trousseau.'
complete -c ameli -n '__fish_seen_subcommand_from login' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from login' -l help
complete -c ameli -n '__fish_seen_subcommand_from logout' -l purge -d 'Effacer aussi les données du profil sur cette machine (cache, messages).'
complete -c ameli -n '__fish_seen_subcommand_from logout' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from logout' -l help
complete -c ameli -n '__fish_seen_subcommand_from mcp' -l allow-writes -d 'Exposer aussi les écritures : message send, vitale order, ceam order, profile up'
complete -c ameli -n '__fish_seen_subcommand_from mcp' -l allow-irreversible -d 'Avec --allow-writes : exposer aussi vitale declare-loss (blocage définitif de la'
complete -c ameli -n '__fish_seen_subcommand_from mcp' -l out-dir -rF -d 'Où l'"'"'outil attestation_get écrit les PDF. Défaut : le dossier de données du prof'
complete -c ameli -n '__fish_seen_subcommand_from mcp' -l list-tools -d 'Lister les outils exposés (nom et accès), sans démarrer le serveur.'
complete -c ameli -n '__fish_seen_subcommand_from mcp' -l help
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and not __fish_seen_subcommand_from declare search show' -a declare -d 'Déclarer un médecin traitant (numéro RPPS vérifié par sa clé).'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and not __fish_seen_subcommand_from declare search show' -a search -d 'Chercher un médecin dans l'"'"'annuaire du service, par nom, ville ou numéro RPPS.'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and not __fish_seen_subcommand_from declare search show' -a show -d 'Le médecin traitant de chaque bénéficiaire, depuis quand, ou aucun.'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and not __fish_seen_subcommand_from declare search show' -l help
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from declare' -l rpps -x -d 'Numéro RPPS du médecin (11 chiffres).'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from declare' -l beneficiary -x -d 'Rang du bénéficiaire (défaut 01).'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from declare' -s b -x -d 'Rang du bénéficiaire (défaut 01).'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from declare' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from declare' -l help
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from search' -l rpps -x -d 'Numéro RPPS.'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from search' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from search' -l help
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from show' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from show' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from medecin-traitant; and __fish_seen_subcommand_from show' -l help
complete -c ameli -n '__fish_seen_subcommand_from message; and not __fish_seen_subcommand_from categories download list outbox reply send show' -a categories -d 'Lister les catégories de message et les limites des pièces jointes.'
complete -c ameli -n '__fish_seen_subcommand_from message; and not __fish_seen_subcommand_from categories download list outbox reply send show' -a download -d 'Télécharger les pièces jointes d'"'"'une conversation.'
complete -c ameli -n '__fish_seen_subcommand_from message; and not __fish_seen_subcommand_from categories download list outbox reply send show' -a list -d 'Lister les conversations, les plus récentes d'"'"'abord.'
complete -c ameli -n '__fish_seen_subcommand_from message; and not __fish_seen_subcommand_from categories download list outbox reply send show' -a outbox -d 'Boîte d'"'"'envoi : les messages que le service n'"'"'a pas confirmés (service...'
complete -c ameli -n '__fish_seen_subcommand_from message; and not __fish_seen_subcommand_from categories download list outbox reply send show' -a reply -d 'Répondre dans une conversation (mêmes options de texte et de pièces jointes).'
complete -c ameli -n '__fish_seen_subcommand_from message; and not __fish_seen_subcommand_from categories download list outbox reply send show' -a send -d 'Écrire à votre caisse.'
complete -c ameli -n '__fish_seen_subcommand_from message; and not __fish_seen_subcommand_from categories download list outbox reply send show' -a show -d 'Lire une conversation (la marque comme lue).'
complete -c ameli -n '__fish_seen_subcommand_from message; and not __fish_seen_subcommand_from categories download list outbox reply send show' -l help
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from categories' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from categories' -l help
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from download' -l out-dir -rF -d 'Où écrire (défaut : ici).'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from download' -s o -rF -d 'Où écrire (défaut : ici).'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from download' -l attachment -x -d 'Seulement cette pièce jointe.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from download' -l force -d 'Écraser les fichiers existants.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from download' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from download' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from download' -l help
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from list' -l unread -d 'Seulement celles avec du non lu.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from list' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from list' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from list' -l help
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from outbox; and not __fish_seen_subcommand_from discard send' -a discard -d 'Retirer un message de la boîte d'"'"'envoi sans l'"'"'envoyer.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from outbox; and not __fish_seen_subcommand_from discard send' -a send -d 'Renvoyer les messages de la boîte d'"'"'envoi, avec leur clé d'"'"'origine : un...'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from outbox; and not __fish_seen_subcommand_from discard send' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from outbox; and not __fish_seen_subcommand_from discard send' -l help
complete -c ameli -n '__fish_seen_subcommand_from outbox; and __fish_seen_subcommand_from discard' -l help
complete -c ameli -n '__fish_seen_subcommand_from outbox; and __fish_seen_subcommand_from send' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from outbox; and __fish_seen_subcommand_from send' -l help
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from reply' -l body -x -d 'Texte du message (sinon --body-file, l'"'"'entrée standard, ou $EDITOR sur un termin'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from reply' -s b -x -d 'Texte du message (sinon --body-file, l'"'"'entrée standard, ou $EDITOR sur un termin'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from reply' -l body-file -rF -d 'Lire le texte dans ce fichier (UTF-8) ; « - » pour l'"'"'entrée standard.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from reply' -s F -rF -d 'Lire le texte dans ce fichier (UTF-8) ; « - » pour l'"'"'entrée standard.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from reply' -l attach -rF -d 'Joindre un fichier PDF, JPEG ou PNG (5 au plus, 5 Mo chacun) ; répétable.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from reply' -s a -rF -d 'Joindre un fichier PDF, JPEG ou PNG (5 au plus, 5 Mo chacun) ; répétable.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from reply' -l dry-run -d 'Tout vérifier et montrer ce qui serait envoyé, sans rien envoyer.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from reply' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from reply' -l help
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -l category -x -d 'Catégorie (ameli message categories).'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -s c -x -d 'Catégorie (ameli message categories).'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -l subject -x -d 'Sujet (120 caractères au plus).'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -s s -x -d 'Sujet (120 caractères au plus).'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -l body -x -d 'Texte du message (sinon --body-file, l'"'"'entrée standard, ou $EDITOR sur un termin'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -s b -x -d 'Texte du message (sinon --body-file, l'"'"'entrée standard, ou $EDITOR sur un termin'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -l body-file -rF -d 'Lire le texte dans ce fichier (UTF-8) ; « - » pour l'"'"'entrée standard.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -s F -rF -d 'Lire le texte dans ce fichier (UTF-8) ; « - » pour l'"'"'entrée standard.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -l attach -rF -d 'Joindre un fichier PDF, JPEG ou PNG (5 au plus, 5 Mo chacun) ; répétable.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -s a -rF -d 'Joindre un fichier PDF, JPEG ou PNG (5 au plus, 5 Mo chacun) ; répétable.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -l dry-run -d 'Tout vérifier et montrer ce qui serait envoyé, sans rien envoyer.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from send' -l help
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from show' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from show' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from message; and __fish_seen_subcommand_from show' -l help
complete -c ameli -n '__fish_seen_subcommand_from organisme' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from organisme' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from organisme' -l help
complete -c ameli -n '__fish_seen_subcommand_from paiements; and not __fish_seen_subcommand_from list reconcile show summary virements' -a list -d 'Lister les paiements, du plus récent au plus ancien (par défaut les 6...'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and not __fish_seen_subcommand_from list reconcile show summary virements' -a reconcile -d 'Rapprocher les virements de la caisse d'"'"'un relevé bancaire (OFX 1.x/2.x, CSV...'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and not __fish_seen_subcommand_from list reconcile show summary virements' -a show -d 'Afficher tous les champs d'"'"'un paiement (son id est dans « paiements list »).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and not __fish_seen_subcommand_from list reconcile show summary virements' -a summary -d 'Totaux d'"'"'une année de paiements par mois, bénéficiaire, professionnel ou...'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and not __fish_seen_subcommand_from list reconcile show summary virements' -a virements -d 'Lister les virements de la caisse, du plus récent au plus ancien (par défaut...'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and not __fish_seen_subcommand_from list reconcile show summary virements' -l help
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l since -x -d 'Payés depuis cette date (incluse) ; défaut : 6mo (6 mois).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l until -x -d 'Payés jusqu'"'"'à cette date (incluse).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l beneficiary -x -d 'Rang du bénéficiaire : 01 l'"'"'assuré, 02… les ayants droit (ameli whoami).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -s b -x -d 'Rang du bénéficiaire : 01 l'"'"'assuré, 02… les ayants droit (ameli whoami).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l kind -xa 'soins pharmacie biologie paramedical dentaire hopital ij' -d 'Nature : soins, pharmacie, biologie, paramedical, dentaire, hopital, ij.'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l professional -x -d 'Professionnel dont le nom ou la spécialité contient ce texte.'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l limit -x -d 'Au plus N lignes (défaut : 50).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -s n -x -d 'Au plus N lignes (défaut : 50).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l all -d 'Toutes les lignes de la période.'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l json -d 'Sortie JSON (une liste).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l csv -d 'Sortie CSV (RFC 4180, en-tête, montants en centimes).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from list' -l help
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from reconcile' -F
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from reconcile' -l column -x -d 'CSV : colonne à lire pour date, label, amount, credit ou debit (répétable).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from reconcile' -l window -x -d 'Jours entre le virement et le crédit (5).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from reconcile' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from reconcile' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from reconcile' -l help
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from show' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from show' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from show' -l help
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from summary' -l by -xa 'month beneficiary professional kind' -d Regroupement.
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from summary' -l year -x -d 'Année des paiements ; défaut : l'"'"'année en cours.'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from summary' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from summary' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from summary' -l help
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from virements' -l since -x -d 'Payés depuis cette date (incluse) ; défaut : 6mo.'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from virements' -l until -x -d 'Payés jusqu'"'"'à cette date (incluse).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from virements' -l json -d 'Sortie JSON (une liste).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from virements' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from paiements; and __fish_seen_subcommand_from virements' -l help
complete -c ameli -n '__fish_seen_subcommand_from profile; and not __fish_seen_subcommand_from show update' -a show -d 'Afficher vos coordonnées (adresse, e-mail, téléphone, IBAN masqué) et...'
complete -c ameli -n '__fish_seen_subcommand_from profile; and not __fish_seen_subcommand_from show update' -a update -d 'Modifier vos coordonnées.'
complete -c ameli -n '__fish_seen_subcommand_from profile; and not __fish_seen_subcommand_from show update' -l help
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from show' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from show' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from show' -l help
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l email -x -d 'Adresse e-mail.'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l phone -x -d 'Téléphone français (06 12 34 56 78, +33 6…).'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l address-line -x -d 'Numéro et voie (une ligne).'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l postal-code -x -d 'Code postal (5 chiffres).'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l city -x -d Commune.
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l iban -x -d 'IBAN du compte où recevoir les remboursements.'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l iban-stdin -d 'Lire l'"'"'IBAN sur l'"'"'entrée standard (il ne reste pas dans l'"'"'historique du shell).'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l dry-run -d 'Vérifier et montrer ce qui changerait, sans rien envoyer.'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from profile; and __fish_seen_subcommand_from update' -l help
complete -c ameli -n '__fish_seen_subcommand_from releves; and not __fish_seen_subcommand_from get list verify' -a get -d 'Télécharger le relevé mensuel d'"'"'un mois clos (AAAA-MM) en PDF signé, dessiné...'
complete -c ameli -n '__fish_seen_subcommand_from releves; and not __fish_seen_subcommand_from get list verify' -a list -d 'Les relevés mensuels que garde le compte (les 27 derniers mois clos), du plus...'
complete -c ameli -n '__fish_seen_subcommand_from releves; and not __fish_seen_subcommand_from get list verify' -a verify -d 'Vérifier un relevé mensuel PDF : signature du service et page intacte.'
complete -c ameli -n '__fish_seen_subcommand_from releves; and not __fish_seen_subcommand_from get list verify' -l help
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from get' -l output -rF -d 'Fichier PDF (« - » : sortie standard).'
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from get' -s o -rF -d 'Fichier PDF (« - » : sortie standard).'
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from get' -l json -d 'Les données signées, en JSON.'
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from get' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from get' -l force -d 'Remplacer le fichier s'"'"'il existe déjà.'
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from get' -l help
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from list' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from list' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from list' -l help
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from verify' -F
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from verify' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from releves; and __fish_seen_subcommand_from verify' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a accounts -d 'Lister les comptes de démonstration avec leurs mots de passe (fictifs).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a advance -d 'Avancer l'"'"'horloge du bac à sable (livraisons, expirations).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a otp -d 'Montrer le dernier code « envoyé » à ce NIR (connexion par e-mail ou SMS, ou...'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a reset -d 'Effacer les données du bac à sable et les recréer (comptes, historiques).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -a serve -d 'Servir le service de référence en HTTP (pour une équipe, des agents, des tests).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and not __fish_seen_subcommand_from accounts advance otp reset serve' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from accounts' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from accounts' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from advance' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from advance' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from otp' -l nir -x -d 'NIR du compte.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from otp' -l approve -d 'Valider la connexion en attente dans l'"'"'application.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from otp' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from otp' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from reset' -l yes -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from reset' -s y -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from reset' -l today -x -d 'Arrêter l'"'"'horloge du bac à sable à ce jour (9 h UTC) : historiques, montants et '
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from reset' -l help
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l host -x -d 'Adresse d'"'"'écoute.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l port -x -d 'Port d'"'"'écoute.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l workers -x -d 'Processus serveurs.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l access-log -d 'Une ligne par requête sur stderr (sans jeton ni NIR).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l no-access-log -d 'Une ligne par requête sur stderr (sans jeton ni NIR).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l login-rate -x -d 'Tentatives de connexion par minute et par adresse (0 : sans limite).'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l graceful-timeout -x -d 'Secondes laissées aux requêtes en cours à l'"'"'arrêt.'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l trust-proxy -x -d 'Réseau du mandataire inverse dont on croit X-Forwarded-For (ex. 10.0.0.0/8) ; pa'
complete -c ameli -n '__fish_seen_subcommand_from sandbox; and __fish_seen_subcommand_from serve' -l help
complete -c ameli -n '__fish_seen_subcommand_from version' -l help
complete -c ameli -n '__fish_seen_subcommand_from vitale; and not __fish_seen_subcommand_from declare-loss order status' -a declare-loss -d 'Déclarer une carte Vitale perdue, volée ou défectueuse : elle est bloquée...'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and not __fish_seen_subcommand_from declare-loss order status' -a order -d 'Commander une carte Vitale (photo d'"'"'identité JPEG ou PNG et pièce d'"'"'identité...'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and not __fish_seen_subcommand_from declare-loss order status' -a status -d 'La carte Vitale de chaque bénéficiaire et toute commande en cours.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and not __fish_seen_subcommand_from declare-loss order status' -l help
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l reason -x -d 'Perte, vol ou panne.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l beneficiary -x -d 'Rang du bénéficiaire (01 l'"'"'assuré, 02… les ayants droit). Défaut : 01.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -s b -x -d 'Rang du bénéficiaire (01 l'"'"'assuré, 02… les ayants droit). Défaut : 01.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l order-replacement -d 'Commander aussitôt une nouvelle carte (avec --photo et --id-document).'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l photo -rF -d 'Photo d'"'"'identité pour la nouvelle carte.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l id-document -rF -d 'Pièce d'"'"'identité : JPEG, PNG ou PDF.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l yes -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -s y -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l dry-run -d 'Montrer ce qui serait fait, sans rien envoyer.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from declare-loss' -l help
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -l beneficiary -x -d 'Rang du bénéficiaire (01 l'"'"'assuré, 02… les ayants droit). Défaut : 01.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -s b -x -d 'Rang du bénéficiaire (01 l'"'"'assuré, 02… les ayants droit). Défaut : 01.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -l photo -rF -d 'Photo d'"'"'identité, JPEG ou PNG, 350×450 px au moins.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -l id-document -rF -d 'Pièce d'"'"'identité : JPEG, PNG ou PDF.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -l dry-run -d 'Montrer ce qui serait envoyé, sans rien envoyer.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -l yes -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -s y -d 'Ne pas demander confirmation.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from order' -l help
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from status' -l nir -x -d 'Agents : NIR de l'"'"'assuré concerné (13 ou 15 caractères).'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from status' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from vitale; and __fish_seen_subcommand_from status' -l help
complete -c ameli -n '__fish_seen_subcommand_from whoami' -l json -d 'Sortie JSON.'
complete -c ameli -n '__fish_seen_subcommand_from whoami' -l help
