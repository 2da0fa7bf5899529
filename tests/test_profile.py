"""Issue 7: `profile show`, `profile update`, `organisme`, and health data kept private
on disk (file modes, `logout --purge`, NIR masking, nothing secret in --verbose)."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import person
from stdnum import iban as iban_lib

from ameli_sandbox.people import french_iban

IJ = person("ij")
IJ_MASKED_NIR = "1 91 ** ** *** *** 68"
IJ_SPACED_NIR = "1 91 02 69 123 087 68"


def _masked(iban: str) -> str:
    return f"{iban[:4]} **** **** **** **** ***{iban[-4]} {iban[-3:]}"


def _spaced(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


IJ_IBAN_MASKED = _masked(IJ.iban or "")
# A French IBAN whose RIB key and IBAN key are both right (computed, not typed).
NEW_IBAN_COMPACT = french_iban("300040082000098765432")
NEW_IBAN = _spaced(NEW_IBAN_COMPACT)
NEW_IBAN_MASKED = _masked(NEW_IBAN_COMPACT)
# IBAN check digits right, French RIB key wrong.
_WRONG_RIB_BBAN = "30004008200009876543200"
WRONG_RIB_IBAN = "FR" + iban_lib.calc_check_digits("FR00" + _WRONG_RIB_BBAN) + _WRONG_RIB_BBAN


def _show(cli, *extra: str) -> dict:
    result = cli("profile", "show", "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return result.json


# -- profile show ----------------------------------------------------------------------


def test_show_for_a_person_masks_nir_and_iban(cli, login, backend):
    login("ij")
    result = cli("profile", "show")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "Lucas MARTIN"
    assert IJ_MASKED_NIR in out and IJ.nir not in out and IJ_SPACED_NIR not in out
    assert "45 rue Garibaldi" in out and "69006 Lyon" in out
    assert "lucas.martin@example.fr" in out
    assert "06 78 90 12 34" in out
    assert IJ_IBAN_MASKED in out and IJ.iban not in out
    assert "CPAM du Rhône (016910000)" in out
    assert result.stderr == ""


def test_show_nir_flag_shows_the_whole_nir(cli, login, backend):
    login("ij")
    out = cli("profile", "show", "--show-nir").stdout
    assert IJ_SPACED_NIR in out


def test_show_json_is_the_api_record_and_never_the_whole_iban(cli, login, backend):
    login("ij")
    profile = _show(cli)
    assert profile["nir"] == IJ.nir
    assert profile["email"] == IJ.email
    assert profile["phone"] == "0678901234"
    assert (profile["address_line"], profile["postal_code"], profile["city"]) == (
        "45 rue Garibaldi",
        "69006",
        "Lyon",
    )
    assert profile["iban_masked"] == IJ_IBAN_MASKED
    assert "iban" not in profile
    assert IJ.iban not in str(profile)
    assert profile["caisse"]["code"] == "016910000"
    assert profile["changes"] == []


# -- profile update: each field --------------------------------------------------------

VALID = [
    ("--email", "lucas.m@example.org", "email", "lucas.m@example.org"),
    ("--phone", "+33 6 98 76 54 32", "phone", "0698765432"),
    ("--phone", "0033 1 44 55 66 77", "phone", "0144556677"),
    ("--phone", "07.56.78.12.34", "phone", "0756781234"),
    ("--address-line", "  5  rue des Lilas ", "address_line", "5 rue des Lilas"),
    ("--postal-code", "69003", "postal_code", "69003"),
    ("--city", "Lyon 3e", "city", "Lyon 3e"),
    ("--iban", NEW_IBAN, "iban_masked", NEW_IBAN_MASKED),
]


@pytest.mark.parametrize(("flag", "value", "field", "stored"), VALID)
def test_update_each_field_is_saved_and_recorded_with_its_date(
    cli, login, backend, flag, value, field, stored
):
    login("ij")
    before = _show(cli)
    result = cli("profile", "update", flag, value)
    assert result.exit_code == 0, result.stderr
    assert "Profil mis à jour" in result.stderr
    after = _show(cli)
    assert after[field] == stored
    api_field = "iban" if field == "iban_masked" else field
    assert [c["field"] for c in after["changes"]] == [api_field]
    change = after["changes"][0]
    assert change["changed_by"] == "assure"
    assert change["changed_at"][:10] == datetime.now(UTC).date().isoformat()
    # The other fields did not move.
    for other in ("email", "phone", "address_line", "postal_code", "city", "iban_masked"):
        if other != field:
            assert after[other] == before[other]
    # The human view shows the change, and the IBAN only masked.
    shown = cli("profile", "show").stdout
    assert "modifications" in shown
    if field == "iban_masked":
        assert NEW_IBAN_MASKED in shown and NEW_IBAN not in shown and NEW_IBAN_COMPACT not in shown
        assert NEW_IBAN_COMPACT not in result.stdout and NEW_IBAN not in result.stdout


def test_update_several_fields_at_once_and_json_output(cli, login, backend):
    login("ij")
    result = cli(
        "profile",
        "update",
        "--email",
        "l.martin@example.net",
        "--phone",
        "06 11 22 33 44",
        "--iban",
        NEW_IBAN,
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    body = result.json
    assert sorted(body["changed_fields"]) == ["email", "iban", "phone"]
    assert body["iban_masked"] == NEW_IBAN_MASKED
    assert NEW_IBAN_COMPACT not in result.stdout
    times = {c["changed_at"] for c in body["changes"]}
    assert len(times) == 1  # one change, one date
    # Giving the same values again changes nothing and records nothing.
    again = cli("profile", "update", "--email", "l.martin@example.net", "--json")
    assert again.exit_code == 0
    assert again.json["changed_fields"] == []
    assert len(again.json["changes"]) == 3


# -- profile update: each bad input ----------------------------------------------------

INVALID = {
    "--email": ["lucas.martin", "a@b", "a b@example.fr", "a@@example.fr", "a..b@example.fr"],
    "--phone": ["12345", "06 12 34 56", "08 00 12 34 56", "+44 7911 123456", "06123456789"],
    "--postal-code": ["7500", "750011", "75O15", "00123"],
    "--address-line": ["", "   ", "x" * 101],
    "--city": ["", "y" * 61],
    "--iban": [
        "FR1420041010050500013M02607",  # IBAN key wrong
        "FR76 3000 4008 2000 0123 4567 8",  # too short
        WRONG_RIB_IBAN,  # IBAN key right, French RIB key wrong
        "ZZ76 3000 4008 2000 0123 4567 864",  # no such country
    ],
}


@pytest.mark.parametrize("flag", list(INVALID))
def test_each_bad_input_exits_2_naming_the_flag_and_nothing_changes(cli, login, backend, flag):
    login("ij")
    before = _show(cli)
    # A valid field alongside: all fields or none.
    partner = ["--city", "Villeurbanne"] if flag != "--city" else ["--email", "x@example.fr"]
    for bad in INVALID[flag]:
        result = cli("--verbose", "profile", "update", *partner, flag, bad)
        assert result.exit_code == 2, (flag, bad, result.stderr)
        assert flag in result.stderr, (flag, bad)
        assert "rien n'a été modifié" in result.stderr
        assert "→" not in result.stderr  # nothing was sent
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert result.stdout == ""
    assert _show(cli) == before


def test_rib_key_is_checked_beyond_the_iban_key(cli, login, backend):
    login("ij")
    result = cli("profile", "update", "--iban", WRONG_RIB_IBAN)
    assert result.exit_code == 2
    assert "clé RIB" in result.stderr


def test_update_without_any_field_names_the_flags(cli, login, backend):
    login("ij")
    result = cli("profile", "update")
    assert result.exit_code == 2
    for flag in ("--email", "--phone", "--address-line", "--postal-code", "--city", "--iban"):
        assert flag in result.stderr


def test_dry_run_shows_the_change_and_sends_nothing(cli, login, backend):
    login("ij")
    result = cli(
        "--verbose",
        "profile",
        "update",
        "--phone",
        "06 98 76 54 32",
        "--city",
        "Lyon",
        "--iban",
        NEW_IBAN,
        "--dry-run",
    )
    assert result.exit_code == 0, result.stderr
    assert "06 78 90 12 34 → 06 98 76 54 32" in result.stdout
    assert "Lyon → Lyon  (inchangé)" in result.stdout
    assert f"{IJ_IBAN_MASKED} → {NEW_IBAN_MASKED}" in result.stdout
    assert "PATCH" not in result.stderr and "rien n'a été envoyé" in result.stderr
    as_json = cli("profile", "update", "--phone", "0698765432", "--dry-run", "--json").json
    assert as_json == {
        "dry_run": True,
        "changes": [
            {"field": "phone", "from": "0678901234", "to": "0698765432", "will_change": True}
        ],
    }
    assert _show(cli)["changes"] == []


def test_the_service_refuses_bad_fields_on_its_own_all_or_none(cli, login, backend):
    """A client that skips our checks still cannot store a bad value."""
    from ameli_cli.api.client import AmeliClient
    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.runtime.config import resolve_paths
    from ameli_cli.runtime.errors import ApiError

    login("ij")
    token = cli("auth", "token").stdout.strip()
    if backend == "sandbox":
        client = AmeliClient(
            "http://sandbox.invalid",
            token=token,
            transport=EmbeddedTransport(resolve_paths().sandbox_db),
        )
    else:
        client = AmeliClient(backend, token=token)
    with client:
        with pytest.raises(ApiError) as bad:
            client.update_profile(
                {
                    "email": "ok@example.fr",
                    "postal_code": "7501",
                    "iban": WRONG_RIB_IBAN,
                    "phone": "1",
                }
            )
        assert bad.value.status == 422 and bad.value.code == "invalid_profile"
        fields = sorted(e["field"] for e in bad.value.problem["errors"])
        assert fields == ["iban", "phone", "postal_code"]
        with pytest.raises(ApiError) as unknown:
            client.update_profile({"nir": "284037511512331"})
        assert unknown.value.status == 400
        profile = client.fetch_profile()
    assert profile["email"] == IJ.email and profile["changes"] == []


# -- agents ----------------------------------------------------------------------------


def test_agent_updates_an_assure_and_the_assure_sees_who(cli, login, backend):
    login("agent", "--profile", "agent")
    missing = cli("profile", "show", "--profile", "agent")
    assert missing.exit_code == 2 and "--nir" in missing.stderr
    shown = cli("profile", "show", "--profile", "agent", "--nir", IJ.nir)
    assert shown.exit_code == 0, shown.stderr
    assert "Lucas MARTIN" in shown.stdout and IJ_MASKED_NIR in shown.stdout
    assert IJ.nir not in shown.stdout
    verbose = cli(
        "--verbose", "profile", "update", "--profile", "agent", "--nir", IJ.nir, "--city", "Bron"
    )
    assert verbose.exit_code == 0, verbose.stderr
    assert IJ.nir not in verbose.stderr  # the request log never shows the NIR
    login("ij")
    profile = _show(cli)
    assert profile["city"] == "Bron"
    assert profile["changes"][0]["changed_by"] == "agent"
    assert "(par un agent)" in cli("profile", "show").stdout


def test_an_assure_cannot_reach_another_profile(cli, login, backend):
    login("ij")
    result = cli("profile", "show", "--nir", person("css").nir)
    assert result.exit_code == 1
    assert "DEMIR" not in result.stdout


# -- organisme -------------------------------------------------------------------------


def test_organisme_shows_the_caisse_and_its_reminders(cli, login, backend):
    login("ij")
    result = cli("organisme")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "CPAM du Rhône"
    assert "016910000 (régime général)" in out
    assert "276 cours Émile Zola" in out and "69907 Lyon Cedex 20" in out
    assert "3646" in out
    assert "8 h 30" in out
    assert "Le 3646 est le seul numéro" in out
    assert "ne vous demande jamais vos coordonnées bancaires par téléphone ni par e-mail" in out
    assert "Alsace" not in out


def test_organisme_json(cli, login, backend):
    login("alsace")
    caisse = cli("organisme", "--json").json
    assert caisse["code"] == "016710000"
    assert caisse["name"] == "CPAM du Bas-Rhin"
    assert caisse["address_lines"] == ["16 rue de Lausanne"]
    assert (caisse["postal_code"], caisse["city"]) == ("67090", "Strasbourg Cedex")
    assert caisse["phone"] == "3646"
    assert caisse["hours"].startswith("Lundi au vendredi")
    assert caisse["local_regime"] is True
    assert [r["code"] for r in caisse["reminders"]] == [
        "single_phone_number",
        "no_bank_details_by_phone_or_email",
    ]
    assert "Alsace-Moselle" in cli("organisme").stdout


def test_agent_sees_the_caisse_of_the_assure_named(cli, login, backend):
    login("agent")
    caisse = cli("organisme", "--json", "--nir", person("ald").nir).json
    assert caisse["name"] == "CPAM de la Corse-du-Sud"


def test_responses_match_the_openapi_document(cli, login, backend):
    import jsonschema

    login("ij")
    spec = _spec()

    def check(data: dict, name: str) -> None:
        jsonschema.validate(
            data, {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
        )

    check(_show(cli), "Profile")
    check(cli("organisme", "--json").json, "Organisme")
    check(cli("profile", "update", "--city", "Lyon 6e", "--json").json, "ProfileUpdated")


def _spec() -> dict:
    from ameli_sandbox.app import openapi_document

    return openapi_document()


# -- privacy ---------------------------------------------------------------------------


def test_verbose_never_prints_token_password_or_request_body(cli, memory_keyring, backend):
    login = cli("--verbose", "login", "--nir", IJ.nir, "--password-stdin", input=IJ.password)
    assert login.exit_code == 0
    token = cli("auth", "token").stdout.strip()
    result = cli(
        "--verbose",
        "profile",
        "update",
        "--iban",
        NEW_IBAN,
        "--email",
        "secret.mail@example.org",
        "--phone",
        "06 98 76 54 32",
        "--address-line",
        "7 impasse Cachée",
    )
    assert result.exit_code == 0, result.stderr
    assert "→ PATCH" in result.stderr
    shown = cli("--verbose", "profile", "show")
    org = cli("--verbose", "organisme")
    for output in (login.stderr, result.stderr, shown.stderr, org.stderr):
        for secret in (
            token,
            IJ.password,
            NEW_IBAN,
            NEW_IBAN_COMPACT,
            "secret.mail@example.org",
            "0698765432",
            "06 98 76 54 32",
            "impasse",
            IJ.nir,
        ):
            assert secret not in output


def test_nir_is_masked_in_every_human_output_of_these_commands(cli, login, backend):
    login("ij")
    outputs = [
        cli("profile", "show"),
        cli("profile", "update", "--city", "Lyon 7e"),
        cli("profile", "update", "--city", "Lyon 8e", "--dry-run"),
        cli("organisme"),
        cli("whoami"),
    ]
    for result in outputs:
        assert result.exit_code == 0, result.stderr
        for text in (result.stdout, result.stderr):
            assert IJ.nir not in text and IJ_SPACED_NIR not in text


def _private_problems(roots: list[Path]) -> list[str]:
    """Every file and dir under `roots` (and the roots) readable or writable by others."""
    problems = []
    for root in roots:
        if not root.exists():
            continue
        for path in [root, *root.rglob("*")]:
            mode = stat.S_IMODE(path.lstat().st_mode)
            if mode & 0o077:
                problems.append(f"{oct(mode)} {path}")
    return problems


def _files(roots: list[Path]) -> set[str]:
    return {
        str(p.relative_to(root.parent))
        for root in roots
        if root.exists()
        for p in root.rglob("*")
        if p.is_file()
    }


def _roots(user_dirs: Path) -> list[Path]:
    return [user_dirs / "config", user_dirs / "data", user_dirs / "cache"]


def test_logout_purge_erases_credential_caches_and_outbox_and_says_so(
    cli, login, user_dirs, backend
):
    from ameli_cli.runtime.config import resolve_paths
    from ameli_cli.runtime.private_files import write_atomic

    login("ij", "--insecure-storage")
    login("css", "--profile", "autre")
    paths = resolve_paths()
    # What issues 3 and 6 keep there (written the same way): an attestation, an outbox.
    cached = paths.profile_cache_dir("default") / "attestations" / "droits.json"
    queued = paths.profile_data_dir("default") / "outbox" / "msg-1.json"
    write_atomic(cached, b"{}")
    write_atomic(cached.with_name("ij.json"), b"{}")
    write_atomic(queued, b"{}")
    other = write_atomic(paths.profile_cache_dir("autre") / "attestations" / "a.json", b"{}")

    result = cli("logout", "--purge")
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert "Déconnecté" in err and "Effacé de cette machine" in err
    assert str(paths.sessions_dir() / "default.json") in err
    assert f"{cached.parent} (2 fichiers)" in err
    assert f"{queued.parent} (1 fichier)" in err
    assert not paths.profile_cache_dir("default").exists()
    assert not paths.profile_data_dir("default").exists()
    assert not (paths.sessions_dir() / "default.json").exists()
    # Another profile keeps its own.
    assert other.exists()
    assert cli("whoami", "--profile", "autre").exit_code == 0
    assert cli("whoami").exit_code == 4
    # Nothing left: says so.
    again = cli("logout", "--purge")
    assert again.exit_code == 0 and "Rien à effacer" in again.stderr


def test_logout_purge_json_lists_what_was_erased(cli, login, user_dirs, backend, memory_keyring):
    from ameli_cli.runtime.config import resolve_paths
    from ameli_cli.runtime.private_files import write_atomic

    login("ij")
    paths = resolve_paths()
    write_atomic(paths.profile_cache_dir("default") / "x" / "1.json", b"{}")
    result = cli("logout", "--purge", "--json")
    assert result.exit_code == 0
    body = result.json
    assert body["revoked"] is True
    assert "jeton dans le trousseau" in body["erased"]
    assert memory_keyring.store == {}
    assert body["purged"] == [
        {"path": str(paths.profile_cache_dir("default") / "x"), "files": 1, "is_dir": True}
    ]
    assert result.stderr == ""


def test_private_dirs_even_when_created_many_levels_deep(user_dirs):
    from ameli_cli.runtime.private_files import write_atomic

    target = user_dirs / "cache" / "a" / "b" / "c" / "f.bin"
    write_atomic(target, b"x")
    assert _private_problems([user_dirs / "cache"]) == []


def _has_command(cli, *words: str) -> bool:
    return cli(*words, "--help").exit_code == 0


def test_a_full_session_leaves_only_private_files_and_purge_leaves_none(
    cli, user_dirs, monkeypatch, tmp_path
):
    """Login, profile, caisse, and whichever of attestation, payments and messages
    exist: every file under the user dirs is 0600 and every dir 0700; after
    `logout --purge` only the device id and the embedded service's database stay."""
    roots = _roots(user_dirs)
    login = cli(
        "login", "--nir", IJ.nir, "--password-stdin", "--insecure-storage", input=IJ.password
    )
    assert login.exit_code == 0, login.stderr
    token = cli("auth", "token").stdout.strip()
    logs: list[str] = []  # what --verbose printed during the session

    def verbose(*args: str, **kwargs: Any) -> Any:
        result = cli("--verbose", *args, **kwargs)
        logs.append(result.stderr)
        return result

    assert verbose("profile", "update", "--phone", "06 98 76 54 32").exit_code == 0
    assert verbose("organisme").exit_code == 0
    covered = ["login", "profile", "organisme"]
    if _has_command(cli, "attestation"):
        saved = tmp_path / "mine" / "attestation.pdf"
        saved.parent.mkdir()
        got = verbose("attestation", "get", "-o", str(saved))
        assert got.exit_code == 0, got.stderr
        assert cli("attestation", "get", "--json").exit_code == 0
        # A file the user named keeps the user's umask, not 0600.
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE(saved.stat().st_mode) == 0o666 & ~umask
        covered.append("attestation")
    if _has_command(cli, "paiements"):
        assert verbose("paiements", "list", "--all").exit_code == 0
        covered.append("paiements")
    if _has_command(cli, "message"):
        body = "Bonjour, mon fils est suivi pour un asthme sévère."
        sent = verbose("message", "send", "-c", "autre", "-s", "Question", "-b", body)
        assert sent.exit_code == 0, sent.stderr
        assert "→ POST" in sent.stderr
        assert all(body not in log for log in logs)  # a body with health data
        # The service does not answer: the message waits in the outbox, on disk.
        queued = cli(
            "--backend",
            "http://127.0.0.1:9",
            "message",
            "send",
            "-c",
            "autre",
            "-s",
            "Attente",
            "-b",
            "Bonjour.",
            env={"AMELI_TOKEN": token},
        )
        monkeypatch.delenv("AMELI_TOKEN", raising=False)
        assert queued.exit_code == 5, queued.stderr
        assert any("outbox" in f for f in _files(roots))
        covered.append("message")
    print("covered:", ", ".join(covered))
    for log in logs:
        assert token not in log and IJ.password not in log and IJ.nir not in log
    assert "config/sessions/default.json" in _files(roots)
    assert _private_problems(roots) == []

    purge = cli("logout", "--purge")
    assert purge.exit_code == 0, purge.stderr
    left = {f for f in _files(roots) if not f.startswith("cache/keys/")}  # services' public keys
    assert left <= {
        "config/device-id",
        "data/sandbox.sqlite3",
        "data/sandbox.sqlite3-wal",
        "data/sandbox.sqlite3-shm",
    }
    assert _private_problems(roots) == []


HUMAN_VIEWS = [
    ("whoami",),
    ("profile", "show"),
    ("organisme",),
    ("paiements", "list"),
    ("message", "list"),
    ("vitale", "status"),
    ("ceam", "status"),
    ("attestation", "get", "-o", "attestation.pdf"),
]


def test_no_human_output_shows_the_whole_nir_unless_asked(cli, login, tmp_path, monkeypatch):
    """Every read command there is, as a person sees it on a terminal: the NIR masked."""
    monkeypatch.chdir(tmp_path)
    login("ij")
    seen = 0
    for args in HUMAN_VIEWS:
        if not _has_command(cli, args[0]):
            continue
        result = cli(*args, env={"AMELI_FORCE_TTY": "1", "NO_COLOR": "1"})
        assert result.exit_code == 0, (args, result.stderr)
        for text in (result.stdout, result.stderr):
            assert IJ.nir not in text and IJ_SPACED_NIR not in text, args
        seen += 1
    assert seen >= 3
    shown = cli("--show-nir", "whoami", env={"AMELI_FORCE_TTY": "1"})
    assert IJ_SPACED_NIR in shown.stdout


def test_logout_purge_finds_a_token_left_in_the_keyring_without_its_record(
    cli, memory_keyring, user_dirs
):
    login = cli("login", "--nir", IJ.nir, "--password-stdin", input=IJ.password)
    assert login.exit_code == 0 and memory_keyring.store
    (user_dirs / "config" / "sessions" / "default.json").unlink()  # the record is lost
    result = cli("logout", "--purge")
    assert result.exit_code == 0, result.stderr
    assert "jeton dans le trousseau" in result.stderr
    assert memory_keyring.store == {}


def test_iban_from_stdin_stays_out_of_the_command_line(cli, login, backend):
    login("ij")
    result = cli("profile", "update", "--iban-stdin", "--json", input=NEW_IBAN + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.json["iban_masked"] == NEW_IBAN_MASKED
    both = cli("profile", "update", "--iban", NEW_IBAN_COMPACT, "--iban-stdin", input="x")
    assert both.exit_code == 2 and "--iban-stdin" in both.stderr
    bad = cli("profile", "update", "--iban-stdin", input=WRONG_RIB_IBAN + "\n")
    assert bad.exit_code == 2 and "--iban" in bad.stderr
