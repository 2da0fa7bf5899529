"""Keep the English catalogue in step with the code.

    python scripts/i18n.py update    # extract _() strings, merge into en.po (new ones empty)
    python scripts/i18n.py compile   # en.po -> en.mo (shipped in the package)
    python scripts/i18n.py missing   # list strings without an English translation
    python scripts/i18n.py export F  # write the untranslated strings to F.json ({id: ""})
    python scripts/i18n.py import F  # fill empty translations from F.json, then compile

Message ids are the French text (the default language); `en.po` maps them to
English. tests/test_i18n.py fails when a string is missing or the .mo is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ameli_cli"
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "ameli.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    catalog = Catalog(project="ameli-cli", locale="fr", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("i18n:",),
    ):
        catalog.add(
            message,
            None,
            [(f"ameli_cli/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def load_po() -> Catalog:
    if not PO.exists():
        return Catalog(locale="en", charset="utf-8")
    with PO.open("rb") as handle:
        return read_po(handle, locale="en")


def update() -> None:
    template = extract()
    catalog = load_po()
    catalog.update(template, no_fuzzy_matching=True)
    # Drop obsolete entries: the code no longer says them.
    catalog.obsolete.clear()
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as handle:
        write_po(
            handle, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False
        )
    print(f"{PO.relative_to(ROOT)}: {len(catalog)} strings, {len(missing(catalog))} untranslated")


def missing(catalog: Catalog) -> list[str]:
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def compile_mo() -> None:
    catalog = load_po()
    with MO.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)
    print(f"{MO.relative_to(ROOT)} written")


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "compile":
        compile_mo()
    elif command == "export":
        import json

        catalog = load_po()
        Path(sys.argv[2]).write_text(
            json.dumps({m: "" for m in missing(catalog)}, ensure_ascii=False, indent=1), "utf-8"
        )
    elif command == "import":
        import json

        translations = json.loads(Path(sys.argv[2]).read_text("utf-8"))
        catalog = load_po()
        filled = 0
        for message in catalog:
            text = translations.get(message.id) if isinstance(message.id, str) else None
            if text and (not message.string or message.fuzzy):
                message.string = text
                message.flags.discard("fuzzy")
                filled += 1
        with PO.open("wb") as handle:
            write_po(handle, catalog, width=100, include_lineno=False)
        print(f"{filled} translations filled")
        compile_mo()
    elif command == "missing":
        for message_id in missing(load_po()):
            print(repr(message_id))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
