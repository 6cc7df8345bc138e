"""Application factory for multi-worker serving (`gridvoice serve --workers N`): each worker builds its own."""

from __future__ import annotations

from fastapi import FastAPI

from gridvoice.api.app import create_app
from gridvoice.runtime import runtime_from_env


def app_from_env() -> FastAPI:
    return create_app(runtime_from_env())
