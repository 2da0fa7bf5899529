"""Issue 13's sweep (scripts/hostile_sweep.py): every hostile case, 0 failing.

About 200 commands and requests in one test (30 to 60 s on a shared 2-core machine):
bad input, escape sequences from a server and from stored text, privacy, a hostile
server's answers, the contract, damaged local files and a full disk."""

from __future__ import annotations

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def test_the_hostile_sweep_finds_nothing(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    import hostile_sweep

    results = hostile_sweep.run_all()
    table = hostile_sweep.report(results)
    assert all(tried for tried, _ in results.values()), table
    assert sum(len(failing) for _, failing in results.values()) == 0, table
    assert sys.modules.get("hostile_sweep_cases") is not None
