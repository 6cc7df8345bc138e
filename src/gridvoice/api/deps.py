"""FastAPI dependencies shared by every router: the runtime, the services and the acting user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor, AuthError, actor_from_token
from gridvoice.runtime import Runtime

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def get_appeals(request: Request) -> AppealService:
    return request.app.state.appeals


def get_actor(request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Actor:
    unauthorized = HTTPException(status.HTTP_401_UNAUTHORIZED, "not authenticated: send a bearer token",
                                 headers={"WWW-Authenticate": "Bearer"})
    if not token:
        raise unauthorized
    runtime: Runtime = request.app.state.runtime
    try:
        with runtime.sessions() as session:
            return actor_from_token(session, token, runtime.settings.resolved_secret_key())
    except AuthError as exc:
        unauthorized.detail = str(exc)
        raise unauthorized from exc


ActorDep = Annotated[Actor, Depends(get_actor)]
AppealsDep = Annotated[AppealService, Depends(get_appeals)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
