"""`ameli medecin-traitant show|declare|search`: RPPS keys, the 16-year rule, the
declaration recorded on the sandbox clock, agents read but do not declare."""

from __future__ import annotations

import sqlite3

from conftest import person

BENSAID = "10004128764"  # Dr Karim BENSAÏD, Montreuil (seeded directory)
ROUSSEAU = "10002744158"  # Dr Antoine ROUSSEAU, pédiatre, Paris


def advance(cli, login, key: str, days: int) -> None:
    assert cli("sandbox", "advance", f"{days}d").exit_code == 0
    login(key)  # a session lasts 8 hours of service time


def test_show_says_who_is_declared_and_what_none_costs(cli, login, backend):
    login("css")
    shown = cli("medecin-traitant", "show")
    assert shown.exit_code == 0, shown.stderr
    assert "Aylin DEMIR" in shown.stdout and "aucun" in shown.stdout
    assert "30 % au lieu de 70 %" in shown.stdout
    login("famille")
    data = cli("medecin-traitant", "show", "--json").json
    marie = data["beneficiaries"][0]
    assert marie["declared"] and marie["doctor"]["name"] == "Dr Hélène GARNIER"
    assert marie["since"] == "2018-09-03"


def test_search_the_directory_by_name_accents_ignored(cli, login, backend):
    login("css")
    found = cli("medecin-traitant", "search", "bensaid")
    assert found.exit_code == 0 and BENSAID in found.stdout and "Montreuil" in found.stdout
    by_number = cli("medecin-traitant", "search", "--rpps", BENSAID, "--json").json
    assert [d["name"] for d in by_number["items"]] == ["Dr Karim BENSAÏD"]
    assert cli("medecin-traitant", "search", "--rpps", "10004128765").exit_code == 2
    none = cli("medecin-traitant", "search", "nobody")
    assert none.exit_code == 0 and "Aucun médecin" in none.stderr


def test_declare_then_recorded_a_week_later_and_the_rate_follows(cli, login, backend):
    login("css")
    assert cli("estimate", "G", "--json").json["rate"] == 30
    sent = cli("medecin-traitant", "declare", "--rpps", BENSAID)
    assert sent.exit_code == 0, sent.stderr
    assert "Déclaration envoyée" in sent.stdout and "Dr Karim BENSAÏD" in sent.stdout
    again = cli("medecin-traitant", "declare", "--rpps", BENSAID, "--json").json
    assert again["status"] == "already_pending"
    pending = cli("medecin-traitant", "show")
    assert "en cours" in pending.stdout
    advance(cli, login, "css", 8)
    data = cli("medecin-traitant", "show", "--json").json["beneficiaries"][0]
    assert data["declared"] and data["doctor"]["rpps"] == BENSAID and data["pending"] is None
    assert cli("estimate", "G", "--json").json["rate"] == 70


def test_wrong_rpps_key_is_refused_before_sending(cli, login, backend, user_dirs):
    login("css")
    wrong = cli("medecin-traitant", "declare", "--rpps", "10004128765")
    assert wrong.exit_code == 2 and "clé de Luhn" in wrong.stderr
    short = cli("medecin-traitant", "declare", "--rpps", "1000412876")
    assert short.exit_code == 2 and "11 chiffres" in short.stderr
    unknown = cli("medecin-traitant", "declare", "--rpps", "10000000009")
    assert unknown.exit_code == 2 and "annuaire" in unknown.stderr
    conn = sqlite3.connect(user_dirs / "data" / "sandbox.sqlite3")
    assert (
        conn.execute("SELECT count(*) FROM mt_declarations WHERE status = 'en_cours'").fetchone()[0]
        == 0
    )


def test_a_parent_declares_for_a_child_under_16_only(cli, login, backend):
    login("famille")
    camille = cli("medecin-traitant", "declare", "--beneficiary", "02", "--rpps", ROUSSEAU)
    assert camille.exit_code == 2 and "16 ans" in camille.stderr  # Camille is 17
    hugo = cli("medecin-traitant", "declare", "--beneficiary", "03", "--rpps", ROUSSEAU, "--json")
    assert hugo.exit_code == 0 and hugo.json["status"] == "en_cours"
    assert (
        cli("medecin-traitant", "declare", "--beneficiary", "09", "--rpps", ROUSSEAU).exit_code == 2
    )


def test_agents_read_but_declare_nothing(cli, login, backend):
    login("agent")
    nir = person("css").nir
    shown = cli("medecin-traitant", "show", "--nir", nir, "--json")
    assert shown.exit_code == 0 and shown.json["beneficiaries"][0]["name"] == "Aylin DEMIR"
    refused = cli("medecin-traitant", "declare", "--rpps", BENSAID)
    assert refused.exit_code == 1 and "n'envoie rien en son nom" in refused.stderr


def test_the_assure_sees_the_agents_reading_in_the_audit_log(cli, login):
    login("agent")
    assert cli("medecin-traitant", "show", "--nir", person("ij").nir).exit_code == 0
    assert cli("documents", "sent", "--nir", person("ij").nir).exit_code == 0
    login("ij")
    log = cli("audit")
    assert log.exit_code == 0
    assert "médecin traitant" in log.stdout and "documents envoyés" in log.stdout
