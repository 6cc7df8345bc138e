"""Users, argon2 password hashes, lock-out, bearer tokens and API keys; who may do what (`require`)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridvoice.auth.models import ApiKey, User
from gridvoice.domain.roles import Permission, Role, Scope, may, scopes_allow
from gridvoice.errors import BadInput, Forbidden, NotFound

_hasher = PasswordHash((Argon2Hasher(),))
# verifying against a dummy hash for unknown users keeps response time from revealing which usernames exist
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MIN_PASSWORD_LENGTH = 10


class AuthError(Exception):
    pass


class AccountLocked(AuthError):
    def __init__(self, message: str, user: User, just_locked: bool) -> None:
        super().__init__(message)
        self.user = user
        self.just_locked = just_locked


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, an API key (with scopes), or the system itself (jobs, seeding)."""

    username: str
    role: Role
    org_code: str | None = None
    scopes: frozenset[str] | None = None  # None: a person, bounded by the role; a key: its scopes too
    must_change_password: bool = False

    @classmethod
    def system(cls) -> Actor:
        return cls("system", Role.ADMIN, None)

    @property
    def is_key(self) -> bool:
        return self.scopes is not None


def allowed(actor: Actor, permission: Permission) -> bool:
    return may(actor.role, permission) and scopes_allow(actor.scopes, permission)


def require(actor: Actor, permission: Permission) -> None:
    """The one check every adapter goes through (API, console, CLI, exports)."""
    if not allowed(actor, permission):
        who = f"API key '{actor.username}'" if actor.is_key else f"role '{actor.role.value}'"
        raise Forbidden(f"{who} may not {permission.value}")


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
    check_password_rules(password)
    if org_code is not None and known_org is not None and org_code not in known_org:
        raise BadInput("org_code", f"unknown org unit '{org_code}'")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise BadInput("username", f"user '{username}' already exists")
    user = User(username=username, role=role_value.value, org_code=org_code,
                password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15


def authenticate(session: Session, username: str, password: str, policy: LockoutPolicy = LockoutPolicy(),
                 now: datetime | None = None) -> User:
    """The user, or AuthError. In a write session: failures are counted and the account locks after
    `policy.max_failures` in a row; a locked account refuses even the right password until the lock ends."""
    now = now or datetime.now(UTC)
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        verify_password(password, _DUMMY_HASH)
        raise AuthError("invalid username or password")
    locked = "account locked after repeated failed logins; try again later or ask an admin to reset it"
    if user.locked_until is not None and user.locked_until > now:
        verify_password(password, _DUMMY_HASH)
        raise AccountLocked(locked, user, just_locked=False)
    if not verify_password(password, user.password_hash):
        user.failed_logins += 1
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + timedelta(minutes=policy.lock_minutes)
            user.failed_logins = 0
            raise AccountLocked(f"invalid username or password; {locked}", user, just_locked=True)
        raise AuthError("invalid username or password")
    user.failed_logins = 0
    user.locked_until = None
    return user


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput(field, f"at least {MIN_PASSWORD_LENGTH} characters")


def change_password(session: Session, username: str, old: str, new: str) -> User:
    """A user changes their own password (the old one proves it is them)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not verify_password(old, user.password_hash):
        raise BadInput("old_password", "does not match the current password")
    check_password_rules(new, "new_password")
    if verify_password(new, user.password_hash):
        raise BadInput("new_password", "must differ from the current password")
    _set_password(user, new, must_change=False)
    return user


def reset_password(session: Session, username: str, new: str) -> User:
    """An admin sets a temporary password; the user must choose a new one at the next login."""
    user = get_user(session, username)
    check_password_rules(new)
    _set_password(user, new, must_change=True)
    user.failed_logins = 0
    user.locked_until = None
    return user


def _set_password(user: User, password: str, must_change: bool) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = datetime.now(UTC)
    user.must_change_password = must_change


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"user '{username}' not found")
    return user


def password_stamp(user: User) -> int:
    """When the password was last set, in microseconds: a token carries it and dies when it changes."""
    changed = user.password_changed_at
    return round(changed.timestamp() * 1_000_000) if changed is not None else 0


def issue_token(user: User, secret: str, minutes: int) -> str:
    now = datetime.now(UTC)
    claims = {"sub": user.username, "role": user.role, "org": user.org_code, "pwd": password_stamp(user),
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
    if claims.get("pwd", 0) != password_stamp(user):
        raise AuthError("token issued before the last password change: log in again")
    # role and territory come from the store, not the token, so a change takes effect at once
    return Actor(user.username, Role(user.role), user.org_code, must_change_password=user.must_change_password)


# ---------------------------------------------------------------------------------------------- API keys

KEY_PREFIX = "gvk_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(session: Session, name: str, scopes: list[str], role: str, org_code: str | None,
                   created_by: str, known_org: set[str] | None = None) -> tuple[ApiKey, str]:
    """A new key and its secret (shown once; only its digest is stored)."""
    if not name or len(name) > 64 or not name.replace("_", "").replace("-", "").isalnum():
        raise BadInput("name", "1-64 letters, digits, '_' or '-'")
    unknown = [s for s in scopes if s not in {x.value for x in Scope}]
    if not scopes or unknown:
        raise BadInput("scopes", f"one or more of {', '.join(x.value for x in Scope)}; unknown: {unknown}")
    try:
        Role(role)
    except ValueError:
        raise BadInput("role", f"unknown role '{role}'") from None
    if org_code is not None and known_org is not None and org_code not in known_org:
        raise BadInput("org_code", f"unknown org unit '{org_code}'")
    if session.scalar(select(ApiKey).where(ApiKey.name == name)) is not None:
        raise BadInput("name", f"an API key named '{name}' already exists")
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(name=name, prefix=prefix, key_digest=_digest(secret), scopes=sorted(set(scopes)), role=role,
                 org_code=org_code, created_by=created_by)
    session.add(key)
    session.flush()
    return key, secret


def actor_from_api_key(session: Session, secret: str) -> Actor:
    key = session.scalar(select(ApiKey).where(ApiKey.key_digest == _digest(secret)))
    if key is None or key.revoked_at is not None:
        raise AuthError("invalid or revoked API key")
    return Actor(f"key:{key.name}", Role(key.role), key.org_code, frozenset(key.scopes))
