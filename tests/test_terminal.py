"""Issue 14, a tool for a person at a terminal: tables that fit, help that finds you,
one duration grammar, hints that work, second chances, colour, cancel = exit 3.
Each test is one case of the issue's first list, tried the way a person meets it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import person
from terminal import Terminal

from ameli_cli.render.tables import cell_width

HEAVY_BOX = set("┏┓┗┛┃━┳┻╋┡┩│┼")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# -- 1. tables that fit the terminal ----------------------------------------------------


LISTS = {
    "paiements": (["paiements", "list", "--since", "1y", "-n", "8"], "id"),
    "accounts": (["sandbox", "accounts"], "nir"),
    "vitale": (["vitale", "status"], None),
    "ceam": (["ceam", "status"], None),
    "messages": (["message", "list"], "id"),
}


@pytest.mark.parametrize("columns", [80, 120, 200])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_list_fits_the_width_and_never_cuts_an_id(cli, login, name, columns):
    login("famille")
    args, key = LISTS[name]
    result = cli(*args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    lines = _table_lines(result.stdout)
    assert lines, result.stderr
    assert max(cell_width(line) for line in lines) <= columns, result.stdout
    assert not HEAVY_BOX & set(result.stdout), "one plain style: no box tables"
    assert any(line.startswith("─") for line in lines[1:4]), "a rule under the header"
    if key:
        records = cli(*args, "--json").json
        records = records if isinstance(records, list) else records.get("items", records)
        for record in records:
            assert record[key] in result.stdout, f"{record[key]} cut at {columns} columns"


def test_paiements_show_more_columns_when_wider_and_all_with_wide(cli, login):
    login("famille")
    args = ["paiements", "list", "--since", "1y", "-n", "5"]
    narrow = cli(*args, env={"COLUMNS": "80"})
    wide = cli(*args, env={"COLUMNS": "200"})
    every = cli(*args, "--wide", env={"COLUMNS": "80"})  # a global flag, for every table
    assert "masquées" in narrow.stderr and "--wide" in narrow.stderr
    for header in ("taux", "versé à", "soins le"):
        assert header not in narrow.stdout.splitlines()[0]
        assert header in wide.stdout.splitlines()[0]
        assert header in every.stdout.splitlines()[0]
    # dates and amounts whole at 80 columns
    items = cli(*args, "--json").json
    day = items[0]["payment_date"]
    assert f"{day[8:10]}/{day[5:7]}/{day[:4]}" in narrow.stdout


def test_notes_wrap_at_whole_words_on_a_terminal_and_stay_whole_in_a_pipe(cli, login):
    login("famille")
    args = ["paiements", "list", "--since", "1y", "-n", "5"]
    on_terminal = cli(*args, env={"COLUMNS": "80", "AMELI_FORCE_TTY": "1", "NO_COLOR": "1"})
    notes = [line for line in on_terminal.stderr.splitlines() if line.strip()]
    assert any("masquées" in line for line in notes) and any("--all" in line for line in notes)
    assert max(len(line) for line in notes) <= 80, on_terminal.stderr
    words = " ".join(notes).split()
    assert "dépense," in words and "--since" in words  # no word cut by the width
    piped = cli(*args, env={"COLUMNS": "80"})
    assert any(len(line) > 80 for line in piped.stderr.splitlines()), "a pipe gets whole lines"


# -- 3. help that finds you -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (["whoam"], "whoami"),
        (["attestaton", "get"], "attestation"),
        (["messages", "list"], "message"),
        (["paiement", "list"], "paiements"),
        (["paiements", "lis"], "list"),
    ],
)
def test_typos_get_a_suggestion_in_french(cli, typed, meant):
    result = cli(*typed)
    assert result.exit_code == 2
    assert f"vouliez-vous dire « {meant} »" in result.stderr
    assert "Did you mean" not in result.stderr


def test_help_and_version_commands(cli):
    helped = cli("help", "paiements", "list")
    assert helped.exit_code == 0
    assert helped.stdout == cli("paiements", "list", "--help").stdout
    assert cli("help").stdout == cli("--help").stdout
    unknown = cli("help", "paiement")
    assert unknown.exit_code == 2 and "« paiements »" in unknown.stderr
    version = cli("version")
    assert version.exit_code == 0 and version.stdout.startswith("ameli ")


# -- 9. one duration grammar ------------------------------------------------------------


def test_one_duration_grammar_and_a_bare_m_refused(cli, login):
    login("ij")
    assert cli("sandbox", "advance", "30min").exit_code == 0
    assert cli("paiements", "list", "--since", "6mo", "--json").exit_code == 0
    for args in (["sandbox", "advance", "30m"], ["paiements", "list", "--since", "6m"]):
        result = cli(*args)
        assert result.exit_code == 2
        assert "ambigu" in result.stderr and "min (minutes) ou " in result.stderr


def test_relative_dates_go_back_on_the_calendar():
    from datetime import date, timedelta

    from ameli_cli.domain.durations import parse_date, parse_duration

    today = date(2026, 11, 30)
    assert parse_date("6mo", option="--since", today=today) == date(2026, 5, 30)
    assert parse_date("1y", option="--since", today=today) == date(2025, 11, 30)
    assert parse_date("2w", option="--since", today=today) == date(2026, 11, 16)
    assert parse_duration("12h", option="D") == timedelta(hours=12)
    assert parse_duration("30min", option="D") == timedelta(minutes=30)


# -- 8. config get, sandbox advance, serve, filters, ranks ------------------------------


def test_config_get_prints_the_effective_value_and_its_source(cli):
    result = cli("config", "get", "backend")
    assert (result.exit_code, result.stdout) == (0, "sandbox\n")
    assert "défaut" in result.stderr
    assert cli("config", "get", "timeout").stdout == "10.0\n"
    flagged = cli("--backend", "http://127.0.0.1:9", "config", "get", "backend")
    assert flagged.stdout == "http://127.0.0.1:9\n" and "--backend" in flagged.stderr


def test_advance_names_every_profile_whose_session_it_ended(cli, login):
    login("ij")
    login("css", "--profile", "equipe")
    result = cli("sandbox", "advance", "9h")
    assert result.exit_code == 0
    assert "« default »" in result.stderr and "« equipe »" in result.stderr
    assert "ameli login -p equipe" in result.stderr


def _serve(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ameli_cli", "sandbox", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )


def test_serve_on_a_busy_port_is_one_line_and_a_documented_code(user_dirs):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _serve(["--port", str(port)])
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "déjà pris" in result.stderr
    assert "Errno" not in result.stderr and "Service de référence sur" not in result.stderr
    bad_host = _serve(["--host", "no.such.host.invalid"])
    assert bad_host.returncode == 2 and "--host" in bad_host.stderr
    port_range = _serve(["--port", "99999"])
    assert port_range.returncode == 2
    assert "99999 n'est pas dans les bornes (de 0 à 65535)" in port_range.stderr


def test_text_filters_ignore_case_and_accents_and_unknown_ranks_are_refused(cli, login):
    login("famille")
    base = ["paiements", "list", "--since", "2y", "--all", "--json"]
    upper = cli(*base, "--professional", "PÉDIATRE").json
    lower = cli(*base, "--professional", "pediatre").json
    assert upper and upper == lower
    refused = cli("paiements", "list", "--beneficiary", "9")
    assert refused.exit_code == 2
    assert "01, 02, 03, 04" in refused.stderr and "Aucun paiement" not in refused.stderr


# -- 5. hints that work -----------------------------------------------------------------


def test_hints_keep_the_profile_and_backend_given(cli, backend):
    given = ["-p", "equipe"] + (["--backend", backend] if backend != "sandbox" else [])
    result = cli(*given, "whoami")
    assert result.exit_code == 4
    assert "Lancez : ameli login " + " ".join(given) in result.stderr


# -- 6. second chances, cancel, Ctrl-C, Ctrl-D (a real terminal) -------------------------


def test_login_asks_again_for_a_mistyped_nir_and_a_wrong_code(user_dirs):
    famille = person("famille")
    term = Terminal(["login", "--insecure-storage"], dict(os.environ))
    term.expect("NIR : ")
    term.send(famille.nir[:-2] + "00\r")
    term.expect("essai 1 sur 3")
    term.send(famille.nir + "\r")
    term.expect("Mot de passe : ")
    term.send(famille.password + "\r")
    term.expect("Code reçu : ")
    term.send("000000\r")
    term.expect("Code faux ou expiré")
    from ameli_cli.runtime.config import resolve_paths
    from ameli_sandbox.app import open_database

    conn = open_database(resolve_paths().sandbox_db)
    code = conn.execute(
        "SELECT code FROM otp_codes o JOIN accounts a ON a.id = o.account_id"
        " WHERE a.nir = ? ORDER BY o.id DESC LIMIT 1",
        (famille.nir,),
    ).fetchone()["code"]
    conn.close()
    term.send(code + "\r")
    assert term.wait() == 0, term.text
    assert "Connecté : Marie Claire DUPONT" in term.text
    assert "--otp" not in term.text


def test_ctrl_d_at_a_prompt_cancels_and_ctrl_c_ends_on_a_new_line(user_dirs):
    cancelled = Terminal(["login"], dict(os.environ))
    cancelled.expect("NIR : ")
    cancelled.send("\x04")
    assert cancelled.wait() == 3
    assert "abandonné : rien n'a été envoyé" in cancelled.text
    assert "erreur" not in cancelled.text
    interrupted = Terminal(["login"], dict(os.environ))
    interrupted.expect("NIR : ")
    interrupted.send("\x03")
    assert interrupted.wait() == 130
    assert re.search(r"\n\r?interrompu", interrupted.text), repr(interrupted.text)


def test_declining_a_confirmation_exits_3_without_erreur(user_dirs):
    term = Terminal(["sandbox", "reset"], dict(os.environ))
    term.expect("[o/N]")
    term.send("n\r")
    assert term.wait() == 3
    assert "rien n'a été effacé" in term.text and "erreur" not in term.text


# -- 7. colour on a terminal, never in a pipe or under NO_COLOR -------------------------


def test_colour_on_a_terminal_only(cli, user_dirs):
    on_tty = Terminal(["paiements", "list", "--limit", "abc"], dict(os.environ))
    assert on_tty.wait() == 2
    assert "\x1b[1;31merreur :\x1b[0m" in on_tty.text
    no_color = Terminal(["paiements", "list", "--limit", "abc"], {**os.environ, "NO_COLOR": "1"})
    assert no_color.wait() == 2
    assert "\x1b[" not in no_color.text and "erreur :" in no_color.text
    doctor = Terminal(["doctor"], dict(os.environ))
    doctor.wait()
    assert "\x1b[32m" in doctor.text and "\x1b[33m" in doctor.text  # ok green, warn yellow
    piped = cli("doctor")
    assert "\x1b[" not in piped.stdout + piped.stderr


# -- 10. the batch table for a person masks every NIR -----------------------------------


def test_batch_on_a_terminal_masks_every_nir_and_speaks_french(cli, login, tmp_path: Path):
    login("agent")
    mistyped = person("ij").nir[:-1] + "9"
    nirs = tmp_path / "nirs.txt"
    nirs.write_text(f"{person('ij').nir}\n{mistyped}\n", "utf-8")
    out = tmp_path / "pdf"
    result = cli(
        "attestation", "batch", "-i", str(nirs), "-d", str(out), env={"AMELI_FORCE_TTY": "1"}
    )
    assert result.exit_code == 6
    shown = result.stdout + result.stderr  # above the progress bar, on the terminal
    assert person("ij").nir not in shown and mistyped not in shown
    assert "NIR invalide" in shown and "invalid NIR" not in shown
    assert "NDJSON" not in shown


# -- message and vitale at a terminal ---------------------------------------------------


def test_message_categories_show_the_attachment_limits(cli, login):
    login("ij")
    result = cli("message", "categories")
    assert result.exit_code == 0
    assert "Pièces jointes : 5 fichiers au plus par message" in result.stdout
    assert "PDF, JPEG, PNG" in result.stdout


def test_a_failing_editor_is_one_clear_line(cli, login):
    login("ij", "--insecure-storage")
    env = {**os.environ, "EDITOR": "false", "VISUAL": ""}
    term = Terminal(["message", "send", "--category", "autre", "--subject", "Essai"], env)
    assert term.wait() == 2
    assert "l'éditeur « false » n'a pas pu s'ouvrir ou a échoué" in term.text
    assert "erreur interne" not in term.text and "ClickException" not in term.text


def test_a_mistyped_first_name_cancels_the_declaration_with_exit_3(cli, login):
    login("famille", "--insecure-storage")
    term = Terminal(["vitale", "declare-loss", "--reason", "lost", "-b", "02"], dict(os.environ))
    term.expect("tapez le prénom du bénéficiaire (Camille) : ")
    term.send("Camile\r")
    assert term.wait() == 3
    assert "rien n'a été déclaré" in term.text and "erreur" not in term.text
    card = cli("vitale", "status", "--json").json["beneficiaries"][1]["card"]
    assert card["state"] == "active"
