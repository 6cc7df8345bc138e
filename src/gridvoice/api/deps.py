"""FastAPI dependencies shared by every router: the runtime, the services and the acting user."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import KEY_PREFIX, Actor, AuthError, actor_from_api_key, actor_from_token
from gridvoice.runtime import Runtime

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


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

    def forget(self, username: str) -> None:
        """Drop a user's cached actors (after a change of role, territory, activity or password)."""
        for token in [t for t, (_, a) in list(self._items.items()) if a.username == username]:
            self._items.pop(token, None)

    def put(self, token: str, actor: Actor) -> None:
        if len(self._items) >= self.size:
            self._items.clear()
        self._items[token] = (time.monotonic() + self.ttl, actor)


async def get_actor(request: Request, token: Annotated[str | None, Depends(oauth2_scheme)],
                    api_key: Annotated[str | None, Depends(api_key_header)]) -> Actor:
    """The caller, from a bearer token (people) or an `X-API-Key` header (channel integrations)."""
    unauthorized = HTTPException(status.HTTP_401_UNAUTHORIZED,
                                 "not authenticated: send a bearer token or an X-API-Key header",
                                 headers={"WWW-Authenticate": "Bearer"})
    if api_key and not token:
        token = api_key
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
        if token.startswith(KEY_PREFIX):
            return actor_from_api_key(session, token)
        return actor_from_token(session, token, runtime.settings.resolved_secret_key())


async def get_working_actor(actor: Annotated[Actor, Depends(get_actor)]) -> Actor:
    """The caller, unless an admin's password reset still waits for the user's own new password."""
    if actor.must_change_password:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "password change required: POST /api/v1/auth/password first")
    return actor


ActorDep = Annotated[Actor, Depends(get_working_actor)]
# only for changing one's own password and reading who one is
AnyActorDep = Annotated[Actor, Depends(get_actor)]
AppealsDep = Annotated[AppealService, Depends(get_appeals)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
