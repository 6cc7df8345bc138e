"""FastAPI dependencies shared by every router: the runtime, the services and the acting user."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer

from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor, AuthError, actor_from_token
from gridvoice.runtime import Runtime

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


# Dependencies are `async def`: FastAPI runs plain functions in a worker thread, a hand-off per request.

async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


async def get_appeals(request: Request) -> AppealService:
    return request.app.state.appeals


class ActorCache:
    """Recently verified tokens → actors, so a burst of requests does not query the user table each time.

    A deactivated user or a changed role takes effect within `ttl` seconds.
    """

    def __init__(self, ttl: float = 30.0, size: int = 10_000) -> None:
        self.ttl = ttl
        self.size = size
        self._items: dict[str, tuple[float, Actor]] = {}

    def get(self, token: str) -> Actor | None:
        hit = self._items.get(token)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, token: str, actor: Actor) -> None:
        if len(self._items) >= self.size:
            self._items.clear()
        self._items[token] = (time.monotonic() + self.ttl, actor)


async def get_actor(request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Actor:
    unauthorized = HTTPException(status.HTTP_401_UNAUTHORIZED, "not authenticated: send a bearer token",
                                 headers={"WWW-Authenticate": "Bearer"})
    if not token:
        raise unauthorized
    cache: ActorCache = request.app.state.actor_cache
    cached = cache.get(token)
    if cached is not None:
        return cached
    runtime: Runtime = request.app.state.runtime
    try:
        actor = await run_in_threadpool(_verify, runtime, token)
    except AuthError as exc:
        unauthorized.detail = str(exc)
        raise unauthorized from exc
    cache.put(token, actor)
    return actor


def _verify(runtime: Runtime, token: str) -> Actor:
    with runtime.sessions() as session:
        return actor_from_token(session, token, runtime.settings.resolved_secret_key())


ActorDep = Annotated[Actor, Depends(get_actor)]
AppealsDep = Annotated[AppealService, Depends(get_appeals)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
