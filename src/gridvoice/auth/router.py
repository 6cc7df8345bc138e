"""Auth, users and API keys under /api/v1: tokens, password changes, user and key administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import AfterValidator

from gridvoice.api.deps import ActorDep, AnyActorDep, RuntimeDep
from gridvoice.api.fields import no_nul, no_nul_field
from gridvoice.auth.admin import AccessAdmin
from gridvoice.auth.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    Me,
    PasswordChange,
    ResetIn,
    TemporaryPassword,
    Token,
    UserCreate,
    UserCreated,
    UserOut,
    UserUpdate,
)
from gridvoice.auth.service import AuthError, issue_token

router = APIRouter(tags=["auth"])
Username = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.]+$")]


async def _admin(runtime: RuntimeDep) -> AccessAdmin:
    return AccessAdmin(runtime)


AdminDep = Annotated[AccessAdmin, Depends(_admin)]


@router.post("/auth/token", response_model=Token)
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], runtime: RuntimeDep, admin: AdminDep) -> Token:
    for field, value in (("username", form.username), ("password", form.password)):
        no_nul_field(field, value)
    try:
        user = admin.login(form.username, form.password)
    except AuthError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc),
                            headers={"WWW-Authenticate": "Bearer"}) from exc
    return Token(access_token=issue_token(user, runtime.settings.resolved_secret_key(),
                                          runtime.settings.token_minutes))


@router.get("/auth/me", response_model=Me)
def me(actor: AnyActorDep) -> Me:
    return Me(username=actor.username, role=actor.role.value, org_code=actor.org_code,
              must_change_password=actor.must_change_password,
              scopes=sorted(actor.scopes) if actor.scopes is not None else None)


def _forget(request: Request, username: str) -> None:
    # cached actors would keep the old role, territory or password state for up to the cache's TTL
    request.app.state.actor_cache.forget(username)


@router.post("/auth/password", response_model=Token)
def change_password(body: PasswordChange, actor: AnyActorDep, admin: AdminDep, request: Request,
                    runtime: RuntimeDep) -> Token:
    """Change one's own password. Every token issued before stops working; the answer carries a new one."""
    if actor.is_key:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "API keys have no password")
    user = admin.change_own_password(actor, body.old_password, body.new_password)
    _forget(request, actor.username)
    return Token(access_token=issue_token(user, runtime.settings.resolved_secret_key(),
                                          runtime.settings.token_minutes))


@router.get("/users", response_model=list[UserOut], tags=["users"])
def list_users(actor: ActorDep, admin: AdminDep) -> list[UserOut]:
    return admin.list_users(actor)


@router.post("/users", response_model=UserCreated, status_code=status.HTTP_201_CREATED, tags=["users"])
def create_user(body: UserCreate, actor: ActorDep, admin: AdminDep) -> UserCreated:
    view, generated = admin.create_user(actor, body.username, body.role.value, body.org_code, body.password)
    return UserCreated(**view.model_dump(), initial_password=generated)


@router.patch("/users/{username}", response_model=UserOut, tags=["users"])
def update_user(username: Username, body: UserUpdate, actor: ActorDep, admin: AdminDep,
                request: Request) -> UserOut:
    view = admin.update_user(actor, username, role=body.role.value if body.role else None, org_code=body.org_code,
                             clear_org=body.whole_company, active=body.active, reason=body.reason)
    _forget(request, username)
    return view


@router.post("/users/{username}/reset-password", response_model=TemporaryPassword, tags=["users"])
def reset_password(username: Username, body: ResetIn, actor: ActorDep, admin: AdminDep,
                   request: Request) -> TemporaryPassword:
    temporary = admin.reset_password(actor, username, body.reason)
    _forget(request, username)
    return TemporaryPassword(username=username, temporary_password=temporary)


@router.get("/api-keys", response_model=list[ApiKeyOut], tags=["api-keys"])
def list_keys(actor: ActorDep, admin: AdminDep) -> list[ApiKeyOut]:
    return admin.list_keys(actor)


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=status.HTTP_201_CREATED, tags=["api-keys"])
def create_key(body: ApiKeyCreate, actor: ActorDep, admin: AdminDep) -> ApiKeyCreated:
    view, secret = admin.create_key(actor, body.name, [s.value for s in body.scopes], body.role.value, body.org_code)
    return ApiKeyCreated(**view.model_dump(), key=secret)


@router.delete("/api-keys/{key_id}", response_model=ApiKeyOut, tags=["api-keys"])
def revoke_key(key_id: Annotated[int, Path(ge=1, le=2**31 - 1)], actor: ActorDep, admin: AdminDep,
               request: Request, reason: Annotated[str, Query(max_length=500), AfterValidator(no_nul)] = ""
               ) -> ApiKeyOut:
    view = admin.revoke_key(actor, key_id, reason)
    _forget(request, f"key:{view.name}")  # refused at once, not when the cached actor expires
    return view
