"""Attestations: get (PDF drawn offline from signed data), verify, batch, audit."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import HttpServer, person
from pypdf import PdfReader


def pdf_text(path: Path | bytes) -> str:
    import io

    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    return "\n".join(page.extract_text() for page in reader.pages)


def fr(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def db_path(user_dirs: Path) -> Path:
    return user_dirs / "data" / "sandbox.sqlite3"


def shift_clock(user_dirs: Path, days: int) -> None:
    conn = sqlite3.connect(db_path(user_dirs))
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('clock_offset', ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(days * 86400),),
    )
    conn.commit()
    conn.close()


# -- get ----------------------------------------------------------------------------------


def test_get_writes_a_pdf_that_prints_every_name(cli, login, backend, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    login("alsace")
    result = cli("attestation", "get")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    today = date.today().isoformat()
    path = tmp_path / f"attestation-droits-nguyen-{today}.pdf"
    assert path.exists()
    assert f"PDF enregistré : {path.name} (attestation de droits, valable jusqu'au" in result.stderr
    reader = PdfReader(path)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    text = pdf_text(path)
    for expected in (
        "NGUYỄN Łukasz",
        "D’ARTAGNAN",
        "Œdipe",
        "1 88 06 67 482 112 14",
        "CPAM du Bas-Rhin",
        "016710000",
        "Régime général",
        "90 %",
        "05/06/1988",
        "01/12/1987",
    ):
        assert expected in text, expected
    data = cli("attestation", "get", "--json").json["attestation"]
    assert f"valable jusqu'au {fr(data['valid_until'])}" in text
    assert f"du {fr(data['rights']['start'])} au {fr(data['rights']['end'])}" in text
    meta = reader.metadata
    assert "NGUYỄN Łukasz" in meta.title
    assert "Assurance Maladie" in meta.author
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    assert list(reader.attachments) == ["attestation.json"]


def test_every_beneficiary_with_medecin_traitant_and_one_by_rank(cli, login, tmp_path):
    login("famille")
    out = tmp_path / "famille.pdf"
    assert cli("attestation", "get", "-o", str(out)).exit_code == 0
    text = pdf_text(out)
    for rank, first in (("01", "Marie Claire"), ("02", "Camille"), ("03", "Hugo"), ("04", "Léa")):
        assert f"{rank} DUPONT {first}" in text
    assert text.count("déclaré") >= 4
    one = cli("attestation", "get", "--beneficiary", "3", "-o", "-")
    assert one.exit_code == 0, one.stderr
    only = pdf_text(one.stdout_bytes)
    assert "Hugo" in only and "Camille" not in only and "Léa" not in only
    missing = cli("attestation", "get", "--beneficiary", "09")
    assert missing.exit_code == 1 and "--beneficiary" in missing.stderr


def test_ald_and_css_mentions_with_dates(cli, login):
    login("ald")
    text = pdf_text(cli("attestation", "get", "-o", "-").stdout_bytes)
    assert "ALD du 01/02/2021 au 31/01/2031 : exonération du ticket modérateur" in text
    assert "Affection de longue durée : Diabète de type 1" in text
    login("css")
    text = pdf_text(cli("attestation", "get", "-o", "-").stdout_bytes)
    assert "complémentaire santé solidaire (CSS) du 01/03/2026 au 28/02/2027" in text
    assert "sans participation financière" in text
    assert "non déclaré" in text  # no médecin traitant


def test_ij_and_fiscale_attestations(cli, login):
    login("ij")
    ij = cli("attestation", "get", "--type", "ij", "--json").json["attestation"]
    assert ij["payments"] and ij["totals"]["net_cents"] > 0
    text = pdf_text(cli("attestation", "get", "--type", "ij", "-o", "-").stdout_bytes)
    assert "Attestation de paiement des indemnités journalières" in text
    assert "MARTIN Lucas" in text and "CPAM du Rhône" in text
    year = date.today().year - 1
    fiscal = cli("attestation", "get", "--type", "fiscale", "--json").json["attestation"]
    assert fiscal["year"] == year and fiscal["taxable_total_cents"] > 0
    text = pdf_text(cli("attestation", "get", "--type", "fiscale", "-o", "-").stdout_bytes)
    euros = f"{fiscal['taxable_total_cents'] // 100:,}".replace(",", "\xa0")
    assert f"Montant imposable à déclarer pour {year} : {euros}," in text
    login("css")
    none = cli("attestation", "get", "--type", "ij")
    assert none.exit_code == 1 and "Aucune indemnité journalière" in none.stderr


def test_json_is_signed_with_the_published_key(cli, login, backend):
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    login("css")
    envelope = cli("attestation", "get", "--json").json
    assert envelope["attestation"]["assure"]["nir"] == person("css").nir
    assert envelope["signature"]["alg"] == "Ed25519"
    from ameli_cli.runtime.config import resolve_paths

    keys_file = resolve_paths().cache_dir / "keys"
    published = json.loads(next(keys_file.iterdir()).read_text())["keys"]
    key = next(k for k in published if k["key_id"] == envelope["signature"]["key_id"])

    def unb64(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    public = Ed25519PublicKey.from_public_bytes(unb64(key["public_key"]))
    canonical = json.dumps(
        envelope["attestation"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    public.verify(unb64(envelope["signature"]["value"]), canonical)  # raises if wrong


def test_same_data_same_bytes_across_processes(cli, login, user_dirs, tmp_path):
    login("alsace")
    first = tmp_path / "a.pdf"
    assert cli("attestation", "get", "-o", str(first)).exit_code == 0
    again = cli("attestation", "get", "--offline", "-o", "-").stdout_bytes
    assert hashlib.sha256(again).digest() == hashlib.sha256(first.read_bytes()).digest()
    cached = user_dirs / "cache" / "profiles" / "default" / "attestations" / "droits-all.json"
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json,sys; from ameli_cli.render.attestation_pdf import render_attestation;"
            " sys.stdout.buffer.write(render_attestation(json.load(open(sys.argv[1]))))",
            str(cached),
        ],
        capture_output=True,
        check=True,
    )
    assert other.stdout == first.read_bytes()


def test_greek_cyrillic_and_romanian_names_print(cli, login):
    """Names beyond the seeded ones: each string goes to the font cut that has it."""
    from ameli_cli.render.attestation_pdf import render_attestation

    login("famille")
    envelope = cli("attestation", "get", "--json").json
    names = [("ΠΑΠΑΔΟΠΟΥΛΟΣ", "Δημήτρης"), ("ИВАНОВА", "Мария"), ("POPESCU", "Ștefan Țugui")]
    for beneficiary, (last, first) in zip(
        envelope["attestation"]["beneficiaries"][1:], names, strict=True
    ):
        beneficiary["last_name"], beneficiary["first_names"] = last, first
    text = pdf_text(render_attestation(envelope))
    for last, first in names:
        assert f"{last} {first}" in text


def test_a_name_goes_to_the_smallest_cut_or_to_one_the_page_already_embeds():
    """fpdf2 parses and subsets each embedded font for each page: a Greek name takes
    the small `greek` cut, not the one with every script; a cut the page embeds
    already is used again when it has the characters (no second font)."""
    from ameli_cli.render.pdf_text import unicode_cut

    assert unicode_cut("ΠΑΠΑΔΟΠΟΥΛΟΣ Δημήτρης") == "greek"
    assert unicode_cut("ИВАНОВА Мария") == "cyrillic"
    assert unicode_cut("NGUYỄN Łukasz") == "latin"
    assert unicode_cut("Łukasz", ("greek", "subset")) == "subset"
    assert unicode_cut("Zoë Мария-Δήμητρα") == "subset"


FIXED_ENVELOPE = {
    "attestation": {
        "format": 1,
        "id": "att_0000000000000001",
        "type": "droits",
        "issued_at": "2026-01-05T09:30:00Z",
        "issue_date": "2026-01-05",
        "valid_until": "2026-04-06",
        "assure": {
            "nir": "284037511512331",
            "last_name": "DUPONT",
            "first_names": "Marie Claire",
            "birth_date": "1984-03-14",
        },
        "organisme": {
            "code": "017510000",
            "name": "CPAM de Paris",
            "regime": "01",
            "regime_label": "Régime général",
            "local_regime": False,
            "reimbursement_rate": 70,
            "address_lines": ["21 rue Georges Auric"],
            "postal_code": "75948",
            "city": "Paris Cedex 19",
        },
        "rights": {"start": "2025-01-01", "end": "2027-12-31"},
        "beneficiaries": [
            {
                "rank": "01",
                "last_name": "DUPONT",
                "first_names": "Marie Claire",
                "birth_date": "1984-03-14",
                "relationship": "assure",
                "medecin_traitant": True,
            }
        ],
        "mentions": [],
    },
    "signature": {"alg": "Ed25519", "key_id": "ed25519-0000000000000000", "value": "AAAA"},
}
# The bytes RENDER_VERSION 5 draws for FIXED_ENVELOPE with fpdf2 2.8.9 and zxing-cpp 3.1.1.
FIXED_PAGE_SHA256 = "fdc8017eea720e2a3733f60ae421f7e16ea56178320d55ff0aeb4d01cb445d89"


def test_the_drawing_changes_only_with_render_version():
    """`verify` compares pages byte for byte when drawn by the same RENDER_VERSION: a
    change to the drawing must bump it (then record the new hash here)."""
    from importlib.metadata import version

    from ameli_cli.render.attestation_pdf import render_attestation
    from ameli_cli.render.pdf import RENDER_VERSION

    # The dev extra pins fpdf2 (pyproject.toml), so this runs wherever the tests do.
    assert version("fpdf2") == "2.8.9", "the hash is recorded for the fpdf2 the dev extra pins"
    assert version("zxing-cpp") == "3.1.1", (
        "the hash is recorded for the zxing-cpp the dev extra pins"
    )
    page = render_attestation(FIXED_ENVELOPE)
    assert (RENDER_VERSION, hashlib.sha256(page).hexdigest()) == (5, FIXED_PAGE_SHA256), (
        "the page changed: bump RENDER_VERSION in render/pdf.py and record the new hash"
    )


def test_a_page_drawn_by_another_version_gets_its_signature_checked(cli, login, tmp_path):
    login("css")
    good = tmp_path / "good.pdf"
    assert cli("attestation", "get", "-o", str(good)).exit_code == 0
    from ameli_cli.render.pdf import RENDER_VERSION

    data = good.read_bytes()
    older = data.replace(
        f"attestation render {RENDER_VERSION},".encode(),
        f"attestation render {RENDER_VERSION - 1},".encode(),
    )
    assert older != data
    (tmp_path / "older.pdf").write_bytes(older)
    result = cli("attestation", "verify", str(tmp_path / "older.pdf"), "--json")
    assert result.exit_code == 0
    # Other bytes, but the words of the page are those of the signed data (issue 13).
    assert result.json["status"] == "valid" and result.json["layout_checked"] is True
    text = cli("attestation", "verify", str(tmp_path / "older.pdf")).stdout
    assert text.startswith("valide : ")


def test_qr_code_carries_the_signed_payload(cli, login):
    from ameli_cli.domain.attestations import envelope_from_qr
    from ameli_cli.render.attestation_pdf import attestation_document

    login("famille")
    envelope = cli("attestation", "get", "--json").json
    document = attestation_document(envelope)
    assert envelope_from_qr(document.qr_text) == envelope


@pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
    reason="needs zbarimg (zbar-tools) and pdftoppm (poppler-utils)",
)
def test_the_printed_qr_code_scans_back_to_the_signed_payload(cli, login, tmp_path):
    from ameli_cli.domain.attestations import envelope_from_qr

    login("alsace")
    envelope = cli("attestation", "get", "--json").json
    pdf = tmp_path / "a.pdf"
    assert cli("attestation", "get", "--offline", "-o", str(pdf)).exit_code == 0
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "page")], check=True)
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert envelope_from_qr(scanned) == envelope


# -- offline -------------------------------------------------------------------------------


def test_cache_is_private_and_offline_works_without_service(
    cli, memory_keyring, user_dirs, monkeypatch
):
    server = HttpServer(db_path(user_dirs))
    monkeypatch.setenv("AMELI_BACKEND", server.url)
    who = person("ij")
    try:
        login = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
        assert login.exit_code == 0, login.stderr
        fresh = cli("attestation", "get", "-o", str(user_dirs / "fresh.pdf"))
        assert fresh.exit_code == 0, fresh.stderr
    finally:
        server.stop()
    cached = user_dirs / "cache" / "profiles" / "default" / "attestations" / "droits-all.json"
    assert stat.S_IMODE(os.stat(cached).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cached.parent).st_mode) == 0o700
    # The service is gone: a warning, then the page from the cache.
    auto = cli("attestation", "get", "-o", str(user_dirs / "auto.pdf"))
    assert auto.exit_code == 0, auto.stderr
    assert "avertissement" in auto.stderr and "cache" in auto.stderr
    assert (user_dirs / "auto.pdf").read_bytes() == (user_dirs / "fresh.pdf").read_bytes()
    offline = cli("attestation", "get", "--offline", "-o", "-")
    assert offline.exit_code == 0 and offline.stdout_bytes.startswith(b"%PDF")
    # The public key was kept: verify works offline too.
    checked = cli("attestation", "verify", str(user_dirs / "auto.pdf"))
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.startswith("valide")
    # Nothing cached for this type: a clear error naming the way out.
    missing = cli("attestation", "get", "--type", "fiscale", "--offline")
    assert missing.exit_code == 1 and "sans --offline" in missing.stderr


def test_expired_cached_attestation_is_refused_and_verify_says_expired(
    cli, login, user_dirs, tmp_path
):
    login("ald")
    shift_clock(user_dirs, -200)  # issued 200 days ago: valid 3 months
    old = tmp_path / "old.pdf"
    assert cli("attestation", "get", "-o", str(old)).exit_code == 0
    shift_clock(user_dirs, 0)
    valid_until = (date.today() - timedelta(days=200) + timedelta(days=91)).strftime("%d/%m/%Y")
    refused = cli("attestation", "get", "--offline", "-o", str(tmp_path / "no.pdf"))
    assert refused.exit_code == 1
    assert f"jusqu'au {valid_until}" in refused.stderr and "expiré" in refused.stderr
    assert not (tmp_path / "no.pdf").exists()
    checked = cli("attestation", "verify", str(old), "--json")
    assert checked.exit_code == 1
    assert checked.json["status"] == "expired"
    assert cli("attestation", "verify", str(old)).stdout.startswith("expirée")


# -- verify --------------------------------------------------------------------------------


def test_verify_accepts_fresh_and_rejects_modified_files(cli, login, backend, tmp_path):
    login("famille")
    good = tmp_path / "good.pdf"
    assert cli("attestation", "get", "-o", str(good)).exit_code == 0
    ok = cli("attestation", "verify", str(good), "--json")
    assert ok.exit_code == 0, ok.stderr
    assert ok.json["status"] == "valid" and ok.json["layout_checked"] is True
    data = good.read_bytes()
    valid_until = ok.json["valid_until"]
    later = str(int(valid_until[:4]) + 5) + valid_until[4:]
    cases = {
        # the signed data edited: the signature no longer matches
        "data.pdf": data.replace(
            f'"valid_until":"{valid_until}"'.encode(), f'"valid_until":"{later}"'.encode()
        ),
        # the page edited, the signed data left alone
        "page.pdf": data.replace(b"/Lang (fr-FR)", b"/Lang (en-GB)"),
        # something appended (an incremental update)
        "appended.pdf": data + b"\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
        # not an attestation at all
        "other.pdf": b"%PDF-1.4\n%%EOF\n",
    }
    reasons = {}
    for name, content in cases.items():
        assert content != data, name
        (tmp_path / name).write_bytes(content)
        result = cli("attestation", "verify", str(tmp_path / name), "--json")
        assert result.exit_code == 1, name
        assert result.json["status"] == "tampered", name
        reasons[name] = result.json["reason"]
    assert reasons == {
        "data.pdf": "bad_signature",
        "page.pdf": "page_modified",
        "appended.pdf": "page_modified",
        "other.pdf": "no_signed_data",
    }
    text = cli("attestation", "verify", str(tmp_path / "data.pdf"))
    assert text.stdout.startswith("altérée")


def test_verify_rejects_a_signature_from_another_service(cli, login, tmp_path, user_dirs):
    """A well-formed attestation signed by a key the service never published."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ameli_cli.domain.attestations import canonical_json
    from ameli_cli.render.attestation_pdf import render_attestation

    login("css")
    envelope = cli("attestation", "get", "--json").json
    envelope["attestation"]["assure"]["last_name"] = "FAUSSAIRE"
    forged_key = Ed25519PrivateKey.generate()
    import base64

    envelope["signature"]["value"] = (
        base64.urlsafe_b64encode(forged_key.sign(canonical_json(envelope["attestation"])))
        .rstrip(b"=")
        .decode()
    )
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(render_attestation(envelope))
    result = cli("attestation", "verify", str(forged), "--json")
    assert result.exit_code == 1
    assert result.json["status"] == "tampered" and result.json["reason"] == "bad_signature"


# -- usage errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("--type", "carte"), "--type"),
        (("--beneficiary", "abc"), "--beneficiary"),
        (("--type", "ij", "--beneficiary", "02"), "--beneficiary"),
        (("--year", "2020"), "--year"),
        (("--type", "fiscale", "--year", "1999"), "--year"),
    ],
)
def test_bad_flags_exit_2_before_any_request(cli, login, args, flag):
    login("ij")
    result = cli("--verbose", "attestation", "get", *args)
    assert result.exit_code == 2
    assert flag in result.stderr
    assert "→" not in result.stderr
    assert "Traceback" not in result.stderr


def test_pdf_to_a_terminal_is_refused(cli, login):
    login("ij")
    result = cli("attestation", "get", "-o", "-", env={"AMELI_FORCE_TTY": "1"})
    assert result.exit_code == 2 and "-o" in result.stderr


# -- batch -----------------------------------------------------------------------------------


def ndjson(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_batch_mixes_good_wrong_key_and_unknown_nirs(cli, login, backend, tmp_path):
    login("agent")
    unknown = "285017500000130"
    lines = [
        "nir;commentaire",
        f"{person('famille').nir};famille",
        "191026912308769;clé fausse",
        f"{person('ald').nir};ald",
        f"{unknown};inconnu",
        "pas un nir;texte",
        f"{person('alsace').nir[:13]};13 caractères",
        f"{person('famille').nir};doublon",
    ]
    source = tmp_path / "nirs.csv"
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = cli("attestation", "batch", "--input", str(source), "--out-dir", str(out))
    assert result.exit_code == 6, result.stderr
    rows = ndjson(result.stdout)
    assert len(rows) == 7
    by_line = {r["line"]: r for r in rows}
    assert [by_line[n]["status"] for n in range(2, 9)] == [
        "ok",
        "invalid_nir",
        "ok",
        "not_found",
        "invalid_nir",
        "ok",
        "ok",
    ]
    assert "key" in by_line[3]["error"]
    assert by_line[7]["nir"] == person("alsace").nir
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(
        f"attestation-droits-{person(k).nir}.pdf" for k in ("famille", "ald", "alsace")
    )
    assert "NGUYỄN Łukasz" in pdf_text(out / f"attestation-droits-{person('alsace').nir}.pdf")
    checked = cli("attestation", "verify", by_line[4]["file"])
    assert checked.exit_code == 0, checked.stdout


def test_batch_from_stdin_one_nir_per_line_all_good_exits_0(cli, login, tmp_path):
    login("agent")
    text = f"# liste\n{person('css').nir}\n\n{person('ij').nir}\n"
    result = cli("attestation", "batch", "--input", "-", "--out-dir", str(tmp_path), input=text)
    assert result.exit_code == 0, result.stderr
    assert [r["status"] for r in ndjson(result.stdout)] == ["ok", "ok"]


def test_batch_refuses_an_assure_with_403(cli, login, tmp_path):
    login("css")
    source = tmp_path / "nirs.txt"
    source.write_text(f"{person('famille').nir}\n{person('ald').nir}\n")
    result = cli("attestation", "batch", "--input", str(source), "--out-dir", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "403" in result.stderr and "agent" in result.stderr
    assert not list((tmp_path / "o").glob("*.pdf"))


def test_batch_bad_input_exits_2(cli, login, tmp_path):
    login("agent")
    csv = tmp_path / "x.csv"
    csv.write_text("numero,nom\n1,a\n")
    no_column = cli("attestation", "batch", "--input", str(csv), "--out-dir", str(tmp_path))
    assert no_column.exit_code == 2 and "nir" in no_column.stderr
    zero = cli("attestation", "batch", "--input", str(csv), "--out-dir", str(tmp_path), "-c", "0")
    assert zero.exit_code == 2 and "--concurrency" in zero.stderr


def test_batch_killed_halfway_then_rerun_makes_every_file_once(cli, login, user_dirs, tmp_path):
    from ameli_sandbox.features.attestations import add_synthetic_assures

    conn = sqlite3.connect(db_path(user_dirs), isolation_level=None)
    conn.row_factory = sqlite3.Row
    nirs = add_synthetic_assures(conn, 80)
    conn.close()
    login("agent")
    source = tmp_path / "nirs.txt"
    source.write_text("\n".join(nirs) + "\n")
    out = tmp_path / "out"
    server = HttpServer(db_path(user_dirs))
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ameli_cli",
                "--backend",
                server.url,
                "attestation",
                "batch",
                "--input",
                str(source),
                "--out-dir",
                str(out),
                "--concurrency",
                "4",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "AMELI_TOKEN": cli("auth", "token").stdout.strip()},
        )
        assert process.stdout is not None
        for _ in range(10):
            assert process.stdout.readline()
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        server.stop()
    first_run = len(list(out.glob("*.pdf")))
    assert 10 <= first_run < 80
    (out / ".attestation-droits-x.pdf.abc.tmp").write_bytes(b"%PDF-half")  # a torn write
    again = cli("attestation", "batch", "--input", str(source), "--out-dir", str(out))
    assert again.exit_code == 0, again.stderr
    rows = ndjson(again.stdout)
    assert len(rows) == 80 and {r["status"] for r in rows} == {"ok"}
    assert sum(r["skipped"] for r in rows) == first_run
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"attestation-droits-{n}.pdf" for n in nirs)
    for path in out.iterdir():
        assert path.read_bytes().rstrip().endswith(b"%%EOF")


def test_batch_fetches_a_nir_listed_many_times_once(cli, login, tmp_path):
    """Repeats far apart (beyond a request's chunk of 25, so the first is long done)
    and close together: each gets the first one's outcome, and the service is asked
    once (one entry in the assuré's audit trail)."""
    login("agent")
    famille, unknown = person("famille").nir, "285017500000130"
    filler = [person(k).nir for k in ("css", "ij", "ald", "alsace")] * 8
    lines = [famille, unknown, famille, *filler, famille, unknown, famille]
    source = tmp_path / "nirs.txt"
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = cli("attestation", "batch", "-i", str(source), "-d", str(out), "-c", "2")
    assert result.exit_code == 6, result.stderr  # the unknown NIR
    rows = {r["line"]: r for r in ndjson(result.stdout)}
    assert len(rows) == len(lines)
    wanted_file = str(out / f"attestation-droits-{famille}.pdf")
    for line, nir in enumerate(lines, start=1):
        if nir == famille:
            assert (rows[line]["status"], rows[line]["file"]) == ("ok", wanted_file)
        elif nir == unknown:
            assert (rows[line]["status"], rows[line]["file"]) == ("not_found", None)
    repeats = [rows[n]["skipped"] for n, nir in enumerate(lines, 1) if nir in (famille, unknown)]
    assert repeats == [False, False, True, True, True, True]
    assert cli("attestation", "verify", wanted_file).exit_code == 0
    login("famille", "--profile", "famille")
    trail = cli("audit", "--json", "--profile", "famille").json
    assert [e["action"] for e in trail].count("attestation.droits") == 1


# -- audit -----------------------------------------------------------------------------------


def test_agent_fetches_are_in_the_assure_audit_trail(cli, login, backend, tmp_path):
    login("agent")
    source = tmp_path / "n.txt"
    source.write_text(person("ald").nir + "\n")
    started = time.time()
    assert (
        cli("attestation", "batch", "--input", str(source), "--out-dir", str(tmp_path)).exit_code
        == 0
    )
    login("ald", "--profile", "ald")
    trail = cli("audit", "--json", "--profile", "ald")
    assert trail.exit_code == 0, trail.stderr
    entry = trail.json[0]
    assert entry["action"] == "attestation.droits"
    assert entry["subject_nir"] == person("ald").nir
    assert (entry["actor"]["last_name"], entry["actor"]["role"]) == ("LEROY", "agent")
    assert entry["actor"]["caisse"]["name"] == "CPAM de la Seine-Saint-Denis"
    from datetime import datetime

    at = datetime.fromisoformat(entry["at"].replace("Z", "+00:00")).timestamp()
    assert abs(at - started) < 120
    table = cli("audit", "--profile", "ald")
    assert "Sophie LEROY" in table.stdout and "attestation de droits" in table.stdout
    # Another assuré's trail is empty.
    login("css", "--profile", "css")
    assert cli("audit", "--json", "--profile", "css").json == []


def test_batch_refuses_envelopes_the_published_key_does_not_sign(cli, login, user_dirs, tmp_path):
    """The batch checks each signature against /v1/keys before drawing: a service that
    publishes another key than the one it signs with gets error lines, and no file."""
    login("agent")
    conn = sqlite3.connect(db_path(user_dirs), isolation_level=None)
    other = conn.execute("SELECT public_key FROM signing_keys").fetchone()[0]
    conn.execute("UPDATE signing_keys SET public_key = ?", (other[::-1],))
    conn.close()
    source = tmp_path / "nirs.txt"
    source.write_text(f"{person('famille').nir}\n{person('ald').nir}\n")
    out = tmp_path / "out"
    result = cli("attestation", "batch", "--input", str(source), "--out-dir", str(out), "-w", "1")
    assert result.exit_code == 6, result.stderr
    rows = ndjson(result.stdout)
    assert [r["status"] for r in rows] == ["error", "error"]
    assert all("signature invalid" in r["error"] for r in rows)
    assert not list(out.glob("*.pdf"))


def test_batch_workers_flag_draws_in_processes_or_in_the_batch(cli, login, tmp_path):
    login("agent")
    source = tmp_path / "nirs.txt"
    source.write_text(f"{person('famille').nir}\n{person('alsace').nir}\n")
    for workers in ("0", "2"):
        out = tmp_path / workers
        result = cli("attestation", "batch", "-i", str(source), "-d", str(out), "-w", workers)
        assert result.exit_code == 0, result.stderr
        assert [r["status"] for r in ndjson(result.stdout)] == ["ok", "ok"]
        for row in ndjson(result.stdout):
            assert cli("attestation", "verify", row["file"]).exit_code == 0
    bad = cli("attestation", "batch", "-i", str(source), "-d", str(tmp_path), "-w", "65")
    assert bad.exit_code == 2 and "--workers" in bad.stderr


def test_batch_falls_back_to_one_request_a_nir_without_the_batch_endpoint(
    cli, login, monkeypatch, tmp_path
):
    """A service without `POST /v1/attestations/batch` (405 there): one GET a NIR, the
    same lines."""
    from ameli_sandbox.features import attestations_batch
    from ameli_sandbox.http import Response

    async def absent(request):
        (tmp_path / "asked").write_text("x")
        return Response(status_code=405, headers={"Allow": "GET"})

    monkeypatch.setattr(attestations_batch, "post_batch", absent)
    login("agent")
    source = tmp_path / "nirs.txt"
    source.write_text(f"{person('famille').nir}\n285017500000130\n{person('ald').nir}\n")
    result = cli("attestation", "batch", "-i", str(source), "-d", str(tmp_path / "o"))
    assert result.exit_code == 6, result.stderr
    by_line = {r["line"]: r for r in ndjson(result.stdout)}
    assert [by_line[n]["status"] for n in (1, 2, 3)] == ["ok", "not_found", "ok"]
    assert cli("attestation", "verify", by_line[3]["file"]).exit_code == 0
    assert (tmp_path / "asked").exists()  # the batch endpoint was tried first
