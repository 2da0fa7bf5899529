"""Issue 16: changing the password, and recovering a forgotten one, on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import person
from stdnum.fr import nir as nir_lib

NEW = "Nouveau-Secret-2027!"


def change(cli: Any, old: str, new: str, *extra: str) -> Any:
    return cli(
        "auth",
        "password",
        "change",
        "--password-stdin",
        "--new-password-stdin",
        *extra,
        input=f"{old}\n{new}\n",
    )


def sign_in(cli: Any, key: str, password: str, *extra: str) -> Any:
    return cli("login", "--nir", person(key).nir, "--password-stdin", *extra, input=password)


def test_change_ends_other_sessions_and_only_the_new_password_works(cli, login, backend):
    who = person("ij")
    login("ij")
    login("ij", "--profile", "ailleurs")
    result = change(cli, who.password, NEW)
    assert result.exit_code == 0, result.stderr
    assert "Mot de passe changé ; 1 autre session fermée, celle-ci reste ouverte." in result.stderr
    assert cli("whoami").exit_code == 0  # this session stays
    other = cli("whoami", "--profile", "ailleurs")
    assert other.exit_code == 4 and "ameli login" in other.stderr
    old = sign_in(cli, "ij", who.password)
    assert old.exit_code == 4 and "incorrect" in old.stderr
    assert sign_in(cli, "ij", NEW).exit_code == 0


def test_change_json_is_the_api_answer(cli, login, backend):
    login("css")
    result = change(cli, person("css").password, NEW, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json["sessions_ended"] == 0 and result.json["changed_at"].endswith("Z")


def test_change_from_files(cli, login, backend, tmp_path):
    login("ald")
    current, new = tmp_path / "actuel", tmp_path / "nouveau"
    current.write_text(person("ald").password + "\n")
    new.write_text(NEW + "\n")
    args = ["auth", "password", "change", "--password-file", str(current)]
    result = cli(*args, "--new-password-file", str(new))
    assert result.exit_code == 0, result.stderr
    assert sign_in(cli, "ald", NEW).exit_code == 0


@pytest.mark.parametrize(
    ("new", "said"),
    [
        ("Court-1!", "au moins 12 caractères"),
        ("toutenminuscules-2026", "une majuscule"),
        ("Sans-Chiffre-Ni-Rien", "un chiffre"),
        ("SansCaractere2026Special", "un caractère spécial"),
        ("Moi-191026912308768!", "pas le NIR"),
    ],
)
def test_weak_new_password_is_refused_before_sending(cli, login, new, said):
    login("ij")
    result = cli(
        "--verbose",
        "auth",
        "password",
        "change",
        "--password-stdin",
        "--new-password-stdin",
        input=f"{person('ij').password}\n{new}\n",
    )
    assert result.exit_code == 2
    assert said in result.stderr and "Rien n'a changé" in result.stderr
    assert "→ POST" not in result.stderr  # nothing sent


def test_the_service_enforces_the_policy_too(service_client):
    """A client that skips the check meets the same rules (the birth date here)."""
    token = service_client.sign_in("famille")
    response = service_client.post(
        "/v1/auth/password",
        headers={"Authorization": f"Bearer {token}"},
        json={"current_password": person("famille").password, "new_password": "Marie-14031984!"},
    )
    assert response.status_code == 422
    assert response.json()["rules"] == ["contains_birth_date"]


def test_wrong_current_password_counts_towards_the_lockout(cli, login, backend):
    login("ij")
    wrong = change(cli, "pas-le-bon", NEW)
    assert wrong.exit_code == 1
    assert "Mot de passe actuel incorrect (4 essai(s) avant blocage du compte)" in wrong.stderr
    for _ in range(4):
        last = change(cli, "pas-le-bon", NEW)
    assert last.exit_code == 4 and "bloqué" in last.stderr
    assert sign_in(cli, "ij", person("ij").password).exit_code == 4


def test_same_password_and_missing_sources(cli, login, backend):
    who = person("ij")
    login("ij")
    same = change(cli, who.password, who.password)
    assert same.exit_code == 2 and "l'actuel" in same.stderr
    nothing = cli("auth", "password", "change")
    assert nothing.exit_code == 2
    assert "--password-stdin" in nothing.stderr and "--password-file" in nothing.stderr


def test_an_agent_cannot_change_an_assures_password(service_client):
    agent = service_client.sign_in("agent")
    body = {"current_password": person("ij").password, "new_password": NEW}
    headers = {"Authorization": f"Bearer {agent}"}
    # `?nir=` is not in this operation's spec: refused before anything is read.
    naming = service_client.post(
        "/v1/auth/password", params={"nir": person("ij").nir}, headers=headers, json=body
    )
    assert naming.status_code == 400
    assert naming.json()["code"] == "invalid_request"
    still = service_client.post(
        "/v1/auth/login", json={"nir": person("ij").nir, "password": person("ij").password}
    )
    assert still.status_code == 200  # the old password still works


# -- reset ---------------------------------------------------------------------------


def reset(cli: Any, key: str, *extra: str, birth: str | None = None, new: str = NEW) -> Any:
    who = person(key)
    args = ["auth", "password", "reset", "--nir", who.nir, "--birth-date", birth or who.birth_date]
    return cli(*args, *extra, input=new + "\n")


def unknown_nir() -> str:
    first13 = "1850775123456"
    return first13 + nir_lib.calc_check_digits(first13)


def test_reset_asks_the_same_whether_or_not_the_account_exists(cli, backend):
    right = reset(cli, "ij")
    wrong_date = reset(cli, "ij", birth="1991-02-18")
    nobody = cli("auth", "password", "reset", "--nir", unknown_nir(), "--birth-date", "1985-07-01")
    assert right.exit_code == wrong_date.exit_code == nobody.exit_code == 0
    assert right.stderr == wrong_date.stderr == nobody.stderr
    assert "Si ce NIR et cette date de naissance correspondent" in right.stderr


def test_reset_with_the_right_code_sets_the_password(cli, login, backend):
    login("ij")
    assert reset(cli, "ij").exit_code == 0
    sent = cli("sandbox", "otp", "--nir", person("ij").nir, "--json").json
    assert sent["purpose"] == "password_reset"
    wrong = reset(
        cli,
        "ij",
        "--code",
        "000000" if sent["code"] != "000000" else "111111",
        "--new-password-stdin",
    )
    assert wrong.exit_code == 2 and "Code faux ou expiré" in wrong.stderr
    other_date = reset(
        cli, "ij", "--code", sent["code"], "--new-password-stdin", birth="1991-02-18"
    )
    assert other_date.stderr == wrong.stderr
    done = reset(cli, "ij", "--code", sent["code"], "--new-password-stdin")
    assert done.exit_code == 0, done.stderr
    assert "Mot de passe réinitialisé" in done.stderr
    assert cli("whoami").exit_code == 4  # every session ended
    assert sign_in(cli, "ij", person("ij").password).exit_code == 4
    assert sign_in(cli, "ij", NEW).exit_code == 0
    again = reset(cli, "ij", "--code", sent["code"], "--new-password-stdin")
    assert again.exit_code == 2  # a code serves once


def test_reset_code_is_burnt_after_five_wrong_tries(cli, backend):
    assert reset(cli, "css").exit_code == 0
    code = cli("sandbox", "otp", "--nir", person("css").nir).stdout.strip()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert reset(cli, "css", "--code", wrong, "--new-password-stdin").exit_code == 2
    burnt = reset(cli, "css", "--code", code, "--new-password-stdin")
    assert burnt.exit_code == 2 and "redemandez-en un" in burnt.stderr
    assert sign_in(cli, "css", person("css").password).exit_code == 0


def test_reset_requests_are_rate_limited_per_nir(cli, backend):
    for _ in range(3):
        assert reset(cli, "ald").exit_code == 0
    refused = reset(cli, "ald")
    assert refused.exit_code == 7  # retry later
    assert "Nombre maximum de demandes de code atteint" in refused.stderr
    for _ in range(3):  # an unknown NIR is limited alike: nothing tells them apart
        cli("auth", "password", "reset", "--nir", unknown_nir(), "--birth-date", "1985-07-01")
    nobody = cli("auth", "password", "reset", "--nir", unknown_nir(), "--birth-date", "1985-07-01")
    # The same sentence; only the wait may differ by a second between the two.
    assert nobody.exit_code == 7
    assert nobody.stderr.split("dans")[0] == refused.stderr.split("dans")[0]
    assert cli("sandbox", "advance", "61min").exit_code == 0
    assert reset(cli, "ald").exit_code == 0


def test_reset_lifts_a_lockout(cli, memory_keyring, backend):
    for _ in range(5):
        sign_in(cli, "alsace", "pas-le-bon")
    assert "bloqué" in sign_in(cli, "alsace", person("alsace").password).stderr
    reset(cli, "alsace", "--channel", "email")
    code = cli("sandbox", "otp", "--nir", person("alsace").nir, "--json").json
    assert code["channel"] == "email"
    assert reset(cli, "alsace", "--code", code["code"], "--new-password-stdin").exit_code == 0
    assert sign_in(cli, "alsace", NEW).exit_code == 0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--birth-date", "14/03/1984"], "--birth-date"),
        (["--birth-date", "1984-03-14", "--code", "12ab56"], "--code"),
        (["--birth-date", "1984-03-14", "--channel", "pigeon"], "--channel"),
        (["--birth-date", "1984-03-14", "--new-password-stdin"], "--code"),
    ],
)
def test_reset_bad_input_exits_2(cli, args, said):
    result = cli("auth", "password", "reset", "--nir", person("famille").nir, *args, input="x\n")
    assert result.exit_code == 2 and said in result.stderr


def test_guessing_reset_codes_meets_the_address_limit(cli, monkeypatch):
    """Sign-in and reset share one budget per address: many NIRs are no way round it."""
    monkeypatch.setenv("AMELI_SANDBOX_LOGIN_RATE", "3")
    for key in ("famille", "ald", "css"):
        assert reset(cli, key, "--code", "123456", "--new-password-stdin").exit_code == 2
    refused = reset(cli, "ij", "--code", "123456", "--new-password-stdin")
    assert refused.exit_code == 7  # retry later
    assert "réessayez dans" in refused.stderr and "Traceback" not in refused.stderr
