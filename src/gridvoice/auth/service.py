"""Users, argon2 password hashes and bearer tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridvoice.auth.models import User
from gridvoice.domain.roles import Role
from gridvoice.errors import BadInput

_hasher = PasswordHash((Argon2Hasher(),))
# verifying against a dummy hash for unknown users keeps response time from revealing which usernames exist
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MIN_PASSWORD_LENGTH = 10


class AuthError(Exception):
    pass


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, or the system itself (jobs, seeding)."""

    username: str
    role: Role
    org_code: str | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls("system", Role.ADMIN, None)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return _hasher.verify(password, password_hash)


def create_user(session: Session, username: str, role: str, org_code: str | None, password: str,
                known_org: set[str] | None = None) -> User:
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").isalnum():
        raise BadInput("username", "1-64 letters, digits, '_' or '.'")
    try:
        role_value = Role(role)
    except ValueError:
        raise BadInput("role", f"unknown role '{role}'; one of {', '.join(r.value for r in Role)}") from None
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput("password", f"at least {MIN_PASSWORD_LENGTH} characters")
    if org_code is not None and known_org is not None and org_code not in known_org:
        raise BadInput("org", f"unknown org unit '{org_code}'")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise BadInput("username", f"user '{username}' already exists")
    user = User(username=username, role=role_value.value, org_code=org_code,
                password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        verify_password(password, _DUMMY_HASH)
        raise AuthError("invalid username or password")
    if not verify_password(password, user.password_hash):
        raise AuthError("invalid username or password")
    return user


def issue_token(user: User, secret: str, minutes: int) -> str:
    now = datetime.now(UTC)
    claims = {"sub": user.username, "role": user.role, "org": user.org_code,
              "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm="HS256")


def actor_from_token(session: Session, token: str, secret: str) -> Actor:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError as exc:
        raise AuthError(f"invalid token: {exc}") from exc
    user = session.scalar(select(User).where(User.username == claims["sub"]))
    if user is None or not user.active:
        raise AuthError("user no longer active")
    # role and territory come from the store, not the token, so a change takes effect at once
    return Actor(user.username, Role(user.role), user.org_code)
