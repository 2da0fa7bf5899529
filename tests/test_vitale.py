"""Carte Vitale and CEAM: status, order, declare-loss, ceam order/status, on both backends."""

from __future__ import annotations

import io
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import person

FAMILLE = person("famille")


# -- fixtures: real files, made here ---------------------------------------------------


def image(path: Path, size: tuple[int, int] = (413, 531), kind: str = "JPEG") -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (205, 215, 225)).save(buffer, kind)
    path.write_bytes(buffer.getvalue())
    return path


def pdf(path: Path) -> Path:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Carte nationale d'identite")
    path.write_bytes(bytes(document.output()))
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "photo": image(tmp_path / "photo.jpg"),
        "photo_png": image(tmp_path / "photo.png", kind="PNG"),
        "small": image(tmp_path / "petite.jpg", (300, 400)),
        "id": pdf(tmp_path / "cni.pdf"),
        "id_png": image(tmp_path / "cni.png", (800, 500), "PNG"),
    }


def db_count(sql: str, *args: object) -> int:
    from ameli_cli.runtime.config import resolve_paths

    conn = sqlite3.connect(resolve_paths().sandbox_db)
    try:
        return int(conn.execute(sql, args).fetchone()[0])
    finally:
        conn.close()


def status(cli, rank: str, *, noun: str = "vitale") -> dict:
    result = cli(noun, "status", "--json")
    assert result.exit_code == 0, result.stderr
    return next(b for b in result.json["beneficiaries"] if b["rank"] == rank)


def service_today(cli) -> date:
    return date.fromisoformat(cli("ceam", "status", "--json").json["now"][:10])


def advance(cli, login, days: int) -> None:
    assert cli("sandbox", "advance", f"{days}d").exit_code == 0
    login("famille")  # a session lasts 8 hours of service time


def order_args(files: dict[str, Path], rank: str = "03") -> list[str]:
    return [
        "--beneficiary",
        rank,
        "--photo",
        str(files["photo"]),
        "--id-document",
        str(files["id"]),
    ]


def nothing_sent(result) -> bool:
    return "→ POST" not in result.stderr


# -- vitale status ---------------------------------------------------------------------


def test_status_lists_each_beneficiary_card(cli, login, backend):
    login("famille")
    table = cli("vitale", "status")
    assert table.exit_code == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["rang", "bénéficiaire", "âge", "carte"]
    assert lines[1].startswith("────")  # the one table style: a rule under the header
    assert "Marie Claire DUPONT" in lines[2] and "active" in lines[2]
    assert "Hugo DUPONT" in lines[4] and "aucune" in lines[4]
    assert "Léa : commande possible à partir du 02/05/2028 (12 ans)." in table.stdout
    data = cli("vitale", "status", "--json").json
    states = {b["rank"]: b["card_state"] for b in data["beneficiaries"]}
    assert states == {"01": "active", "02": "active", "03": "none", "04": "none"}
    assert data["beneficiaries"][0]["card"]["with_photo"] is True


def test_status_shows_a_blocked_card_and_a_card_without_photo(cli, login, backend):
    login("alsace")
    spouse = status(cli, "02")
    assert spouse["card_state"] == "blocked_stolen"
    text = cli("vitale", "status").stdout
    assert "bloquée (volée)" in text and "ameli attestation get droits" in text
    login("ald")
    assert status(cli, "01")["card"]["with_photo"] is False


# -- vitale order ----------------------------------------------------------------------


def test_order_for_a_child_of_13_then_a_second_order_returns_the_pending_one(
    cli, login, backend, files
):
    login("famille")
    first = cli("vitale", "order", *order_args(files), "--yes", "--json")
    assert first.exit_code == 0, first.stderr
    assert first.json["status"] == "created"
    order = first.json["order"]
    assert order["status"] == "received" and order["kind"] == "first"
    assert order["photo"]["media_type"] == "image/jpeg"
    assert (order["photo"]["width"], order["photo"]["height"]) == (413, 531)
    assert order["id_document"]["media_type"] == "application/pdf"
    created = date.fromisoformat(order["created_at"][:10])
    assert date.fromisoformat(order["expected_delivery"]) == created + timedelta(days=16)

    again = cli("vitale", "order", *order_args(files), "--json")  # no --yes needed: nothing new
    assert again.exit_code == 0, again.stderr
    assert again.json["status"] == "already_pending"
    assert again.json["order"]["id"] == order["id"]
    human = cli("vitale", "order", *order_args(files))
    assert human.exit_code == 0
    assert "déjà en cours" in human.stdout and order["id"] in human.stdout
    assert db_count("SELECT COUNT(*) FROM vitale_orders") == 1
    assert status(cli, "03")["pending_order"]["id"] == order["id"]


def test_order_status_follows_the_service_clock_to_delivery(cli, login, backend, files):
    login("famille")
    placed = cli("vitale", "order", *order_args(files), "--yes", "--json").json["order"]
    seen = []
    for days in (3, 7, 7):
        advance(cli, login, days)
        pending = status(cli, "03")["pending_order"]
        seen.append(pending["status"] if pending else "delivered")
    assert seen == ["in_production", "shipped", "delivered"]
    hugo = status(cli, "03")
    assert hugo["card_state"] == "active"
    assert hugo["card"]["issued_on"] == placed["expected_delivery"]
    # Hugo now has an active card: a new order is refused.
    refused = cli("vitale", "order", *order_args(files), "--yes")
    assert refused.exit_code == 1 and "declare-loss" in refused.stderr


def test_child_under_12_is_refused_with_the_rule(cli, login, backend, files):
    login("famille")
    result = cli("--verbose", "vitale", "order", *order_args(files, "04"), "--yes")
    assert result.exit_code == 2
    assert "Léa DUPONT a 10 ans" in result.stderr
    assert "à partir de 12 ans" in result.stderr and "02/05/2028" in result.stderr
    assert nothing_sent(result)


def test_child_of_16_or_more_is_told_the_caisse_sends_one_but_may_order(cli, login, backend, files):
    login("famille")
    blocked = cli("vitale", "declare-loss", "--reason", "defective", "-b", "02", "--yes")
    assert blocked.exit_code == 0, blocked.stderr
    result = cli("vitale", "order", *order_args(files, "02"), "--yes")
    assert result.exit_code == 0, result.stderr
    assert "à partir de 16 ans, la caisse envoie d'elle-même une carte" in result.stderr
    assert "Commande n° vo_" in result.stdout
    assert status(cli, "02")["pending_order"]["kind"] == "replacement"


def test_active_card_must_be_declared_first(cli, login, backend, files):
    login("famille")
    result = cli("--verbose", "vitale", "order", *order_args(files, "01"), "--yes")
    assert result.exit_code == 1
    assert "carte Vitale active" in result.stderr
    assert "ameli vitale declare-loss --beneficiary 01" in result.stderr
    assert nothing_sent(result)


def test_without_a_terminal_yes_is_required(cli, login, backend, files):
    login("famille")
    result = cli("--verbose", "vitale", "order", *order_args(files))
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert nothing_sent(result)
    assert status(cli, "03")["pending_order"] is None


def test_on_a_terminal_the_order_is_confirmed(cli, login, files, monkeypatch):
    login("famille")
    monkeypatch.setattr("ameli_cli.runtime.iostreams._isatty", lambda stream: True)
    declined = cli("vitale", "order", *order_args(files), input="n\n")
    assert declined.exit_code == 3  # cancelled by the user: nothing sent
    assert "erreur" not in declined.stderr
    assert "Commander une carte Vitale pour Hugo DUPONT (rang 03) ? [o/N]" in declined.stderr
    assert "rien n'a été envoyé" in declined.stderr
    assert status(cli, "03")["pending_order"] is None
    accepted = cli("vitale", "order", *order_args(files), input="oui\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert status(cli, "03")["pending_order"]["status"] == "received"


def test_dry_run_prints_the_request_and_sends_nothing(cli, login, backend, files):
    login("famille")
    human = cli("--verbose", "vitale", "order", *order_args(files), "--dry-run")
    assert human.exit_code == 0, human.stderr
    assert "rien n'a été envoyé" in human.stdout
    assert "photo.jpg (JPEG, 413×531 px" in human.stdout and "cni.pdf (PDF" in human.stdout
    assert nothing_sent(human)
    plan = cli("vitale", "order", *order_args(files), "--dry-run", "--json").json
    assert plan["dry_run"] is True
    assert plan["request"]["path"] == "/v1/vitale/orders"
    assert plan["request"]["photo"]["media_type"] == "image/jpeg"
    assert status(cli, "03")["pending_order"] is None


def test_file_types_come_from_content_not_extension(cli, login, backend, files, tmp_path):
    login("famille")
    png_named_txt = tmp_path / "photo.txt"
    png_named_txt.write_bytes(files["photo_png"].read_bytes())
    result = cli(
        "vitale",
        "order",
        "-b",
        "3",
        "--photo",
        str(png_named_txt),
        "--id-document",
        str(files["id_png"]),
        "--yes",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    assert result.json["order"]["photo"]["media_type"] == "image/png"
    assert result.json["order"]["id_document"]["media_type"] == "image/png"


def test_bad_input_exits_2_naming_the_flag_and_sends_nothing(cli, login, backend, files, tmp_path):
    login("famille")
    pdf_as_jpg = tmp_path / "faux.jpg"
    pdf_as_jpg.write_bytes(files["id"].read_bytes())
    text = tmp_path / "cni.pdf.txt"
    text.write_text("pas une pièce d'identité")
    huge = tmp_path / "enorme.png"
    huge.write_bytes(files["photo_png"].read_bytes() + b"\0" * (5 * 1024 * 1024))
    empty = tmp_path / "vide.jpg"
    empty.write_bytes(b"")
    photo, doc = str(files["photo"]), str(files["id"])
    cases = [
        (["--photo", str(pdf_as_jpg), "--id-document", doc], "--photo", "contenu : PDF"),
        (["--photo", str(files["small"]), "--id-document", doc], "--photo", "350×450"),
        (["--photo", str(huge), "--id-document", doc], "--photo", "le maximum est 5,0 Mo"),
        (["--photo", str(empty), "--id-document", doc], "--photo", "vide"),
        (["--photo", str(tmp_path / "absente.jpg"), "--id-document", doc], "--photo", "n'existe"),
        (["--photo", photo, "--id-document", str(text)], "--id-document", "ni un JPEG"),
        (["--id-document", doc], "--photo", "manquant"),
        (["--photo", photo], "--id-document", "manquant"),
    ]
    for args, flag, words in cases:
        result = cli("--verbose", "vitale", "order", "-b", "03", *args, "--yes")
        assert result.exit_code == 2, (args, result.stderr)
        assert flag in result.stderr and words in result.stderr, result.stderr
        assert "→" not in result.stderr, args  # checked before any request
        assert "Traceback" not in result.stderr
    for rank, words in (
        ("x", "n'est pas un rang"),
        ("20", "n'est pas un rang"),
        ("09", "01, 02, 03, 04"),
    ):
        result = cli(
            "--verbose",
            "vitale",
            "order",
            "-b",
            rank,
            "--photo",
            photo,
            "--id-document",
            doc,
            "--yes",
        )
        assert result.exit_code == 2 and "--beneficiary" in result.stderr and words in result.stderr
        assert nothing_sent(result)
    assert db_count("SELECT COUNT(*) FROM vitale_orders") == 0


def test_service_enforces_the_rules_for_any_client(cli, login, files):
    """The service, not only the CLI, refuses: another client gets the same answers."""
    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.api.httpx_without_cli import httpx
    from ameli_cli.runtime.config import resolve_paths

    login("famille")
    token = cli("auth", "token").stdout.strip()
    parts = {
        "photo": ("p.jpg", files["photo"].read_bytes(), "image/jpeg"),
        "id_document": ("i.pdf", files["id"].read_bytes(), "application/pdf"),
    }
    with httpx.Client(
        transport=EmbeddedTransport(resolve_paths().sandbox_db),
        base_url="http://sandbox.invalid",
        headers={"Authorization": f"Bearer {token}"},
    ) as client:

        def post(rank: str, **override: tuple[str, bytes, str]) -> httpx.Response:
            return client.post(
                "/v1/vitale/orders", data={"beneficiary_rank": rank}, files={**parts, **override}
            )

        young = post("04")
        assert young.status_code == 422 and young.json()["code"] == "beneficiary_too_young"
        assert young.json()["orderable_from"] == "2028-05-02"
        active = post("01")
        assert active.status_code == 409 and active.json()["code"] == "active_card_exists"
        small = post("03", photo=("p.jpg", files["small"].read_bytes(), "image/jpeg"))
        assert small.status_code == 422 and small.json()["code"] == "photo_too_small"
        wrong = post("03", photo=("p.jpg", files["id"].read_bytes(), "image/jpeg"))
        assert wrong.status_code == 415 and wrong.json()["code"] == "unsupported_photo_type"
        text = post("03", id_document=("i.pdf", b"hello", "application/pdf"))
        assert text.status_code == 415
        json_body = client.post("/v1/vitale/orders", json={"beneficiary_rank": "03"})
        assert json_body.status_code == 415 and json_body.json()["code"] == "multipart_required"
        unknown = post("07")
        assert unknown.status_code == 404 and unknown.json()["ranks"] == ["01", "02", "03", "04"]
    assert db_count("SELECT COUNT(*) FROM vitale_orders") == 0


def test_a_lost_answer_is_retried_with_the_same_idempotency_key(cli, login, files, monkeypatch):
    """The order reaches the service but the answer is lost: the CLI sends it again
    with the same key, and the service replays its answer instead of ordering twice."""
    from ameli_cli.api.embedded import EmbeddedExchange
    from ameli_cli.api.exchange import NoAnswer

    login("famille")
    keys: list[str] = []
    replays: list[str | None] = []
    original = EmbeddedExchange.exchange

    def flaky(self, method, raw_path, query, headers, body):  # type: ignore[no-untyped-def]
        answer = original(self, method, raw_path, query, headers, body)
        if method == "POST" and raw_path == b"/v1/vitale/orders":
            keys.append(dict(headers)[b"Idempotency-Key"].decode())
            replays.append(answer.headers.get("idempotent-replayed"))
            if len(keys) == 1:
                raise NoAnswer("ReadTimeout", sent=True)  # what httpx's timeout becomes
        return answer

    monkeypatch.setattr(EmbeddedExchange, "exchange", flaky)
    result = cli("vitale", "order", *order_args(files), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert len(keys) == 2 and keys[0] == keys[1]
    assert replays == [None, "true"]
    assert result.json["status"] == "created"
    assert db_count("SELECT COUNT(*) FROM vitale_orders") == 1


def test_an_agent_acts_for_an_assure_by_nir(cli, login, backend):
    login("agent")
    result = cli("vitale", "status", "--nir", FAMILLE.nir, "--json")
    assert result.exit_code == 0, result.stderr
    assert len(result.json["beneficiaries"]) == 4
    assert cli("vitale", "status").exit_code == 2  # an agent must name the assuré
    declared = cli(
        "vitale", "declare-loss", "--nir", FAMILLE.nir, "-b", "02", "--reason", "stolen", "--yes"
    )
    assert declared.exit_code == 0, declared.stderr
    assert "Camille DUPONT bloquée (vol)" in declared.stdout
    assert db_count("SELECT COUNT(*) FROM audit WHERE action = 'vitale.declare'") == 1
    login("ij")
    assert cli("vitale", "status", "--nir", FAMILLE.nir).exit_code == 1  # forbidden


# -- vitale declare-loss ---------------------------------------------------------------


def test_declare_loss_blocks_the_card_and_points_to_the_attestation(cli, login, backend):
    login("famille")
    serial = status(cli, "01")["card"]["serial"]
    result = cli("vitale", "declare-loss", "--reason", "lost", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"Carte Vitale n° {serial} de Marie Claire DUPONT bloquée (perte)" in result.stdout
    assert "attestation de droits" in result.stdout
    assert "ameli attestation get droits" in result.stdout
    assert "ameli vitale order --beneficiary 01" in result.stdout
    assert status(cli, "01")["card_state"] == "blocked_lost"
    # Safe to repeat: the same declaration changes nothing.
    again = cli("vitale", "declare-loss", "--reason", "lost", "--json")
    assert again.exit_code == 0, again.stderr
    assert again.json["status"] == "already_declared"
    other = cli("vitale", "declare-loss", "--reason", "stolen", "--yes")
    assert other.exit_code == 1 and "déjà bloquée (perdue)" in other.stderr
    assert db_count("SELECT COUNT(*) FROM vitale_declarations") == 1


def test_declare_loss_with_a_replacement_order_then_the_new_card_arrives(
    cli, login, backend, files
):
    login("famille")
    args = ["--reason", "stolen", "--order-replacement", "--photo", str(files["photo"])]
    args += ["--id-document", str(files["id"]), "--yes"]
    result = cli("vitale", "declare-loss", *args, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json["card"]["state"] == "blocked_stolen"
    replacement = result.json["replacement"]
    assert replacement["status"] == "created" and replacement["order"]["kind"] == "replacement"
    rerun = cli("vitale", "declare-loss", *args)
    assert rerun.exit_code == 0, rerun.stderr
    assert "déjà bloquée" in rerun.stdout and "déjà en cours" in rerun.stdout
    assert db_count("SELECT COUNT(*) FROM vitale_orders") == 1
    advance(cli, login, 17)
    marie = status(cli, "01")
    assert marie["card_state"] == "active" and marie["pending_order"] is None
    assert marie["card"]["serial"] != result.json["card"]["serial"]


def test_declare_loss_on_a_terminal_asks_for_the_first_name(cli, login, monkeypatch):
    login("famille")
    monkeypatch.setattr("ameli_cli.runtime.iostreams._isatty", lambda stream: True)
    wrong = cli("vitale", "declare-loss", "--reason", "lost", "-b", "02", input="Hugo\n")
    assert wrong.exit_code == 3  # cancelled: nothing declared
    assert "tapez le prénom du bénéficiaire (Camille)" in wrong.stderr
    assert "rien n'a été déclaré" in wrong.stderr
    assert status(cli, "02")["card_state"] == "active"
    right = cli("vitale", "declare-loss", "--reason", "lost", "-b", "02", input="camille\n")
    assert right.exit_code == 0, right.stderr
    assert status(cli, "02")["card_state"] == "blocked_lost"


def test_declare_loss_without_terminal_needs_yes_and_dry_run_sends_nothing(
    cli, login, backend, files
):
    login("famille")
    refused = cli("--verbose", "vitale", "declare-loss", "--reason", "lost")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert nothing_sent(refused)
    dry = cli(
        "--verbose",
        "vitale",
        "declare-loss",
        "--reason",
        "lost",
        "--order-replacement",
        "--photo",
        str(files["photo"]),
        "--id-document",
        str(files["id"]),
        "--dry-run",
    )
    assert dry.exit_code == 0, dry.stderr
    assert "rien n'a été envoyé" in dry.stdout and "serait bloquée (perte)" in dry.stdout
    assert nothing_sent(dry)
    assert status(cli, "01")["card_state"] == "active"


def test_declare_loss_bad_input(cli, login, backend, files):
    login("famille")
    cases = [
        (["--reason", "perdue"], 2, "--reason"),
        (["--reason", "lost", "--photo", str(files["photo"])], 2, "--order-replacement"),
        (["--reason", "lost", "--order-replacement"], 2, "--photo"),
        (["--reason", "lost", "-b", "03"], 1, "n'a pas de carte Vitale"),
        (["--reason", "lost", "-b", "3x"], 2, "--beneficiary"),
    ]
    for args, code, words in cases:
        result = cli("--verbose", "vitale", "declare-loss", *args, "--yes")
        assert result.exit_code == code, (args, result.stderr)
        assert words in result.stderr
        assert nothing_sent(result)
    missing = cli("vitale", "declare-loss", "--yes")
    assert missing.exit_code == 2 and "--reason" in missing.stderr


# -- CEAM ------------------------------------------------------------------------------


def test_ceam_order_then_status_then_delivery(cli, login, backend):
    login("famille")
    today = service_today(cli)
    departure = (today + timedelta(days=60)).isoformat()
    result = cli("ceam", "order", "-b", "02", "--departure", departure, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json["status"] == "created"
    assert result.json["provisional_certificate"] is None
    order = result.json["order"]
    assert order["expected_delivery"] == (today + timedelta(days=10)).isoformat()
    again = cli("ceam", "order", "-b", "02", "--json")
    assert again.exit_code == 0 and again.json["status"] == "already_pending"
    assert again.json["order"]["id"] == order["id"]
    table = cli("ceam", "status").stdout
    assert "Camille DUPONT" in table and "reçue, livraison prévue le" in table
    assert status(cli, "01", noun="ceam")["card"]["state"] == "valid"
    advance(cli, login, 11)
    camille = status(cli, "02", noun="ceam")
    assert camille["pending_order"] is None
    assert camille["card"]["state"] == "valid"
    issued = date.fromisoformat(camille["card"]["issued_on"])
    assert camille["card"]["valid_until"] == issued.replace(year=issued.year + 2).isoformat()


def test_ceam_departure_within_15_days_gives_a_provisional_certificate_pdf(
    cli, login, backend, tmp_path
):
    from pypdf import PdfReader

    login("famille")
    today = service_today(cli)
    out = tmp_path / "cpr.pdf"
    departure = (today + timedelta(days=5)).isoformat()
    result = cli("ceam", "order", "-b", "03", "--departure", departure, "--yes", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "certificat provisoire de remplacement" in result.stdout and str(out) in result.stdout
    certificate = status(cli, "03", noun="ceam")["certificate"]
    assert certificate["valid_from"] == today.isoformat()
    months_later = date.fromisoformat(certificate["valid_until"])
    assert 89 <= (months_later - today).days <= 92
    text = PdfReader(out).pages[0].extract_text()
    assert "Certificat provisoire de remplacement" in text
    assert "DUPONT" in text and "Hugo" in text and "CPAM de Paris" in text
    assert f"{months_later:%d/%m/%Y}" in text
    # Without -o the PDF goes, private, under the profile's data dir.
    json_run = cli("ceam", "order", "-b", "01", "--departure", departure, "--yes", "--json")
    assert json_run.exit_code == 0, json_run.stderr
    assert "Marie Claire DUPONT a déjà une CEAM valable jusqu'au" in json_run.stderr
    saved = Path(json_run.stderr.split("Certificat provisoire : ")[1].strip())
    assert saved.read_bytes().startswith(b"%PDF") and saved.stat().st_mode & 0o777 == 0o600


def test_ceam_bad_input(cli, login, backend):
    login("famille")
    today = service_today(cli)
    past = (today - timedelta(days=1)).isoformat()
    cases = [
        (["--departure", "14/07/2027", "--yes"], "--departure", "AAAA-MM-JJ"),
        (["--departure", past, "--yes"], "--departure", "est passé"),
        (["-b", "12", "--yes"], "--beneficiary", "rang 12"),
        ([], "--yes", "terminal"),
    ]
    for args, flag, words in cases:
        result = cli("--verbose", "ceam", "order", *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert flag in result.stderr and words in result.stderr
        assert nothing_sent(result)
    assert db_count("SELECT COUNT(*) FROM ceam_orders") == 0


# -- the published contract ------------------------------------------------------------


def test_responses_match_the_openapi_document(cli, login, files):
    import jsonschema

    from ameli_sandbox.app import openapi_document

    spec = openapi_document()

    def check(data: dict, name: str) -> None:
        jsonschema.validate(
            data, {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
        )

    login("famille")
    check(cli("vitale", "status", "--json").json, "VitaleStatus")
    check(cli("vitale", "order", *order_args(files), "--yes", "--json").json, "VitaleOrderResult")
    declared = cli("vitale", "declare-loss", "--reason", "lost", "--yes", "--json").json
    check(declared, "VitaleDeclarationResult")
    check(cli("vitale", "status", "--json").json, "VitaleStatus")
    soon = (service_today(cli) + timedelta(days=3)).isoformat()
    check(cli("ceam", "order", "--departure", soon, "--yes", "--json").json, "CeamOrderResult")
    check(cli("ceam", "order", "-b", "02", "--yes", "--json").json, "CeamOrderResult")
    check(cli("ceam", "status", "--json").json, "CeamStatus")

    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.api.httpx_without_cli import httpx
    from ameli_cli.runtime.config import resolve_paths

    token = cli("auth", "token").stdout.strip()
    with httpx.Client(
        transport=EmbeddedTransport(resolve_paths().sandbox_db),
        base_url="http://sandbox.invalid",
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        for path, name, count in (
            ("/v1/vitale/orders", "VitaleOrderList", 1),
            ("/v1/ceam/orders", "CeamOrderList", 2),
        ):
            first = client.get(path, params={"limit": 1}).json()
            check(first, name)
            assert len(first["items"]) == 1
            seen = [first["items"][0]["id"]]
            cursor = first["next_cursor"]
            while cursor:
                following = client.get(path, params={"limit": 1, "cursor": cursor}).json()
                seen += [item["id"] for item in following["items"]]
                cursor = following["next_cursor"]
            assert len(set(seen)) == count
            assert client.get(path, params={"limit": 0}).status_code == 400
