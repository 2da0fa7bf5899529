"""The app factory uvicorn imports in each worker: the database path comes from the
environment, since workers are separate processes."""

from __future__ import annotations

import os

from starlette.applications import Starlette

from ameli_cli.sandbox.app import create_app

DB_ENV = "AMELI_SANDBOX_DB"


def app_from_env() -> Starlette:
    return create_app(os.environ[DB_ENV])
