"""Inputs and outputs of auth, users and API keys (API and services)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from gridvoice.api.fields import no_nul
from gridvoice.domain.roles import Role, Scope

OrgCode = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
Reason = Annotated[str, Field(max_length=500), AfterValidator(no_nul)]


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    username: str
    role: str
    org_code: str | None
    must_change_password: bool = False
    scopes: list[str] | None = None


class PasswordChange(BaseModel):
    old_password: Annotated[str, Field(min_length=1, max_length=200)]
    new_password: Annotated[str, Field(min_length=1, max_length=200)]


class UserOut(BaseModel):
    """A user as administrators see it (never the password hash)."""

    username: str
    role: str
    org_code: str | None
    active: bool
    locked: bool
    must_change_password: bool


class UserCreate(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.]+$")]
    role: Role
    org_code: OrgCode | None = None
    password: Annotated[str, Field(min_length=10, max_length=200)] | None = None


class UserCreated(UserOut):
    initial_password: str | None = None  # generated when none was given; shown once


class UserUpdate(BaseModel):
    role: Role | None = None
    org_code: OrgCode | None = None
    whole_company: bool = False  # True: remove the territory binding (sees the whole company)
    active: bool | None = None
    reason: Reason = ""


class ResetIn(BaseModel):
    reason: Reason = ""


class TemporaryPassword(BaseModel):
    username: str
    temporary_password: str


class ApiKeyCreate(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=len(Scope))]
    role: Role = Role.AGENT
    org_code: OrgCode | None = None


class ApiKeyOut(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    role: str
    org_code: str | None
    created_by: str
    created_at: datetime
    revoked: bool


class ApiKeyCreated(ApiKeyOut):
    key: str  # the secret, shown once
