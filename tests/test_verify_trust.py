"""`attestation verify` never cries wolf (issue 13, item 9): a genuine document re-saved
by another tool, issued before a key change, scanned, or a CEAM certificate is valid;
what is forged still is not; a re-run batch keeps only files that verify."""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import person


def resave_with_pypdf(source: Path, target: Path) -> None:
    """What another PDF tool does: parse, rewrite (compressed streams, new xref)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        page.compress_content_streams()
    writer.compress_identical_objects()
    writer.write(target)


def fetch(cli, tmp_path: Path, name: str = "a.pdf") -> Path:
    path = tmp_path / name
    result = cli("attestation", "get", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def verify(cli, path: Path, *args: str):
    return cli("attestation", "verify", str(path), "--json", *args)


def keys_cache_files(user_dirs: Path) -> list[Path]:
    return list((user_dirs / "cache" / "keys").glob("*.json"))


# -- re-saved, reset, scanned -------------------------------------------------------------


def test_a_genuine_attestation_re_saved_by_another_tool_is_valid(cli, login, backend, tmp_path):
    login("css")
    original = fetch(cli, tmp_path)
    resaved = tmp_path / "resaved.pdf"
    resave_with_pypdf(original, resaved)
    assert resaved.read_bytes() != original.read_bytes()
    result = verify(cli, resaved)
    assert result.exit_code == 0, result.stdout
    assert result.json["status"] == "valid" and result.json["source"] == "pdf"
    assert result.json["layout_checked"] is True
    line = cli("attestation", "verify", str(resaved)).stdout
    assert line.startswith("valide : ") and "réenregistré par un autre outil" in line
    if shutil.which("qpdf"):
        by_qpdf = tmp_path / "qpdf.pdf"
        subprocess.run(
            ["qpdf", "--object-streams=generate", str(original), str(by_qpdf)], check=True
        )
        assert verify(cli, by_qpdf).json["status"] == "valid"


def test_forged_data_or_page_is_still_tampered_after_a_re_save(cli, login, tmp_path):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ContentStream

    login("css")
    original = fetch(cli, tmp_path)
    data = original.read_bytes()
    valid_until = verify(cli, original).json["valid_until"]
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(data.replace(valid_until.encode(), b"2039-01-01"))
    resaved = tmp_path / "forged-resaved.pdf"
    resave_with_pypdf(forged, resaved)
    for path in (forged, resaved):
        result = verify(cli, path)
        assert result.exit_code == 1
        assert (result.json["status"], result.json["reason"]) == ("tampered", "bad_signature")
    # The signed data intact, the visible page edited (a name changed), then re-saved.
    writer = PdfWriter(clone_from=PdfReader(original))
    page = writer.pages[0]
    content = ContentStream(page.get_contents(), writer)
    before = content.get_data()
    content.set_data(before.replace(b"DEMIR", b"DEMIX"))
    assert content.get_data() != before
    page.replace_contents(content)
    edited = tmp_path / "edited.pdf"
    writer.write(edited)
    result = verify(cli, edited)
    assert result.exit_code == 1, result.stdout
    assert (result.json["status"], result.json["reason"]) == ("tampered", "page_modified")


def test_an_attestation_issued_before_a_reset_still_verifies(
    cli, login, backend, user_dirs, tmp_path
):
    login("ald")
    before = fetch(cli, tmp_path)
    old_key = verify(cli, before).json["key_id"]
    reset = cli("sandbox", "reset", "--yes")
    assert reset.exit_code == 0, reset.stderr
    result = verify(cli, before)
    assert result.exit_code == 0, result.stdout
    assert result.json["status"] == "valid"
    # Another machine, no cache yet: the service still publishes the retired key.
    for path in keys_cache_files(user_dirs):
        path.unlink()
    assert verify(cli, before).json["status"] == "valid"
    login("ald")
    after = fetch(cli, tmp_path, "after.pdf")
    new = verify(cli, after)
    assert new.json["status"] == "valid" and new.json["key_id"] != old_key
    cached = json.loads(keys_cache_files(user_dirs)[0].read_text())
    by_id = {k["key_id"]: k for k in cached["keys"]}
    assert by_id[old_key]["valid_until"] is not None and by_id[old_key]["active"] is False
    assert by_id[new.json["key_id"]]["valid_until"] is None


def test_a_scan_of_the_printed_page_is_valid_from_its_qr_code(cli, login, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    from PIL import Image

    login("ij")
    pdf = fetch(cli, tmp_path)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "scan")], check=True)
    png = tmp_path / "scan-1.png"
    jpeg = tmp_path / "photo.jpg"
    Image.open(png).convert("RGB").save(jpeg, quality=85)
    for image in (png, jpeg):
        result = verify(cli, image)
        assert result.exit_code == 0, result.stdout
        assert result.json["status"] == "valid" and result.json["source"] == "qr"
        assert result.json["assure"]["last_name"] == "MARTIN"
    line = cli("attestation", "verify", str(png)).stdout
    assert line.startswith("valide : ") and "code QR" in line
    blank = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(blank)
    nothing = verify(cli, blank)
    assert nothing.exit_code == 1 and nothing.json["reason"] == "no_signed_data"


# -- keys ------------------------------------------------------------------------------------


def _sign(private_raw: bytes, document: dict) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ameli_cli.domain.attestations import canonical_json

    key = Ed25519PrivateKey.from_private_bytes(private_raw)
    return base64.urlsafe_b64encode(key.sign(canonical_json(document))).rstrip(b"=").decode()


def test_an_unknown_key_is_its_own_status_never_tampered(cli, login, tmp_path):
    from ameli_cli.render.attestation_pdf import render_attestation

    login("css")
    envelope = cli("attestation", "get", "--json").json
    envelope["signature"]["key_id"] = "ed25519-0123456789abcdef"
    envelope["signature"]["value"] = _sign(os.urandom(32), envelope["attestation"])
    other = tmp_path / "other-service.pdf"
    other.write_bytes(render_attestation(envelope))
    result = verify(cli, other)
    assert result.exit_code == 1
    assert (result.json["status"], result.json["reason"]) == ("unknown_key", "key_not_published")
    line = cli("attestation", "verify", str(other)).stdout
    assert line.startswith("clé inconnue : ") and "ne publie pas" in line
    assert "altérée" not in line


def test_a_retired_key_signing_after_its_retirement_is_reported(cli, login, user_dirs, tmp_path):
    from ameli_cli.render.attestation_pdf import render_attestation

    login("css")
    envelope = cli("attestation", "get", "--json").json
    assert cli("sandbox", "reset", "--yes").exit_code == 0
    conn = sqlite3.connect(user_dirs / "data" / "sandbox.sqlite3")
    private, retired = conn.execute(
        "SELECT private_key, retired_at FROM signing_keys WHERE key_id = ?",
        (envelope["signature"]["key_id"],),
    ).fetchone()
    conn.close()
    assert retired is not None
    # A leaked retired key signs a document dated after its retirement.
    later = (date.fromisoformat(retired[:10]) + timedelta(days=3)).isoformat()
    envelope["attestation"]["issued_at"] = later + "T10:00:00Z"
    envelope["attestation"]["issue_date"] = later
    envelope["signature"]["value"] = _sign(bytes(private), envelope["attestation"])
    late = tmp_path / "late.pdf"
    late.write_bytes(render_attestation(envelope))
    # The cache holds that key as current; a day later it asks the service again.
    (cache,) = keys_cache_files(user_dirs)
    day_ago = cache.stat().st_mtime - 2 * 24 * 3600
    os.utime(cache, (day_ago, day_ago))
    result = verify(cli, late)
    assert result.exit_code == 1
    assert result.json["status"] == "key_not_valid"
    assert cli("attestation", "verify", str(late)).stdout.startswith("clé hors validité : ")


def test_a_corrupt_keys_cache_is_one_line_then_refetched(cli, login, user_dirs, tmp_path):
    login("css")
    pdf = fetch(cli, tmp_path)
    (cache,) = keys_cache_files(user_dirs)
    for garbage in (b"{", b'{"keys": [{"key_id": 3}]}', b"\xff\xfe"):
        cache.write_bytes(garbage)
        result = cli("attestation", "verify", str(pdf))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("valide : ")
        assert result.stderr.count("\n") == 1 and str(cache) in result.stderr
        assert "Traceback" not in result.stderr
        json.loads(cache.read_text())  # repaired
    # Unreadable cache and no service to refill it: one line, exit 5.
    offline = "http://127.0.0.1:9"
    cli("--backend", offline, "attestation", "verify", str(pdf))  # makes the cache dir
    broken = user_dirs / "cache" / "keys" / "http-127-0-0-1-9.json"
    broken.write_bytes(b"not json")
    result = cli("--backend", offline, "attestation", "verify", str(pdf))
    assert result.exit_code == 5
    assert result.stderr.count("\n") == 1 and str(broken) in result.stderr


# -- CEAM ------------------------------------------------------------------------------------


def test_the_ceam_certificate_is_signed_and_verifies(cli, login, backend, tmp_path):
    login("famille")
    today = date.fromisoformat(cli("ceam", "status", "--json").json["now"][:10])
    out = tmp_path / "cpr.pdf"
    departure = (today + timedelta(days=5)).isoformat()
    ordered = cli("ceam", "order", "-b", "03", "--departure", departure, "--yes", "-o", str(out))
    assert ordered.exit_code == 0, ordered.stderr
    result = verify(cli, out)
    assert result.exit_code == 0, result.stdout
    assert result.json["status"] == "valid" and result.json["type"] == "ceam"
    assert result.json["layout_checked"] is True
    assert result.json["valid_from"] == today.isoformat()
    line = cli("attestation", "verify", str(out)).stdout
    assert line.startswith("valide : certificat provisoire de CEAM de Hugo DUPONT")
    forged = tmp_path / "forged.pdf"
    valid_until = result.json["valid_until"]
    forged.write_bytes(out.read_bytes().replace(valid_until.encode(), b"2039-01-01"))
    assert verify(cli, forged).json["status"] == "tampered"
    assert cli("sandbox", "advance", "100d").exit_code == 0
    expired = verify(cli, out)
    assert expired.exit_code == 1 and expired.json["status"] == "expired"


# -- batch re-run ----------------------------------------------------------------------------


def test_a_batch_re_run_replaces_files_that_do_not_verify(cli, login, backend, tmp_path):
    login("agent")
    nirs = [person(k).nir for k in ("famille", "ald", "css")]
    source = tmp_path / "nirs.txt"
    source.write_text("\n".join(nirs) + "\n")
    out = tmp_path / "out"
    first = cli("attestation", "batch", "--input", str(source), "--out-dir", str(out))
    assert first.exit_code == 0, first.stderr
    files = [out / f"attestation-droits-{nir}.pdf" for nir in nirs]
    # Looks whole (%PDF- … %%EOF) but is not an attestation; and another NIR's file.
    files[0].write_bytes(b"%PDF-1.7\n" + b"\0" * 4000 + b"\n%%EOF\n")
    shutil.copy(files[2], files[1])
    again = cli("attestation", "batch", "--input", str(source), "--out-dir", str(out))
    assert again.exit_code == 0, again.stderr
    rows = {r["nir"]: r for r in map(json.loads, again.stdout.splitlines())}
    assert rows[nirs[0]]["replaced"] is True and rows[nirs[0]]["skipped"] is False
    assert rows[nirs[1]]["replaced"] is True
    assert rows[nirs[2]]["skipped"] is True and "replaced" not in rows[nirs[2]]
    for nir, path in zip(nirs, files, strict=True):
        checked = verify(cli, path)
        assert checked.json["status"] == "valid" and checked.json["assure"]["nir"] == nir


def test_verified_attestation_file_is_cheap_on_our_own_files(cli, login, tmp_path, user_dirs):
    """The check reads our own file with the fast reader: pypdf is not imported."""
    import sys

    from ameli_cli.domain.attestations import load_keys, verified_attestation_file

    login("css")
    pdf = fetch(cli, tmp_path)
    (cache,) = keys_cache_files(user_dirs)
    keys = load_keys(cache)
    sys.modules.pop("pypdf", None)
    assert verified_attestation_file(pdf, keys, person("css").nir, "droits")
    assert "pypdf" not in sys.modules
    assert not verified_attestation_file(pdf, keys, person("css").nir, "ij")
    assert not verified_attestation_file(pdf, keys, person("ald").nir, "droits")
    assert not verified_attestation_file(pdf, {}, person("css").nir, "droits")
