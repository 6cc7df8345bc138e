"""POST /api/v1/auth/token — OAuth2 password flow returning a bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from gridvoice.api.deps import ActorDep, RuntimeDep
from gridvoice.auth.service import AuthError, authenticate, issue_token

router = APIRouter(tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    username: str
    role: str
    org_code: str | None


@router.post("/auth/token", response_model=Token)
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], runtime: RuntimeDep) -> Token:
    try:
        with runtime.sessions() as session:
            user = authenticate(session, form.username, form.password)
            access = issue_token(user, runtime.settings.resolved_secret_key(), runtime.settings.token_minutes)
    except AuthError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc),
                            headers={"WWW-Authenticate": "Bearer"}) from exc
    return Token(access_token=access)


@router.get("/auth/me", response_model=Me)
def me(actor: ActorDep) -> Me:
    return Me(username=actor.username, role=actor.role.value, org_code=actor.org_code)
