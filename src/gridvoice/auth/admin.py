"""Administration of users and API keys, and self-service password changes; every change is audited."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import select

from gridvoice.audit.service import record
from gridvoice.auth.models import ApiKey, User
from gridvoice.auth.schemas import ApiKeyOut, UserOut
from gridvoice.auth.service import (
    AccountLocked,
    Actor,
    AuthError,
    LockoutPolicy,
    authenticate,
    change_password,
    create_api_key,
    create_user,
    get_user,
    require,
    reset_password,
)
from gridvoice.domain.roles import Permission, Role
from gridvoice.errors import BadInput, NotFound
from gridvoice.runtime import Runtime


def _user_view(user: User, now: datetime) -> UserOut:
    return UserOut(username=user.username, role=user.role, org_code=user.org_code, active=user.active,
                   locked=user.locked_until is not None and user.locked_until > now,
                   must_change_password=user.must_change_password)


def _key_view(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(id=key.id, name=key.name, prefix=key.prefix, scopes=list(key.scopes), role=key.role,
                     org_code=key.org_code, created_by=key.created_by, created_at=key.created_at,
                     revoked=key.revoked_at is not None)


class AccessAdmin:
    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime

    @property
    def lockout(self) -> LockoutPolicy:
        s = self.rt.settings
        return LockoutPolicy(s.login_max_failures, s.login_lock_minutes)

    def login(self, username: str, password: str) -> User:
        """Check a password; failures are counted (and a lock-out audited) even though the login fails."""
        with self.rt.writes() as session:
            try:
                user = authenticate(session, username, password, self.lockout)
            except AccountLocked as exc:
                if exc.just_locked:
                    until = exc.user.locked_until.isoformat() if exc.user.locked_until else None
                    record(session, Actor(username, Role(exc.user.role), exc.user.org_code), "user.locked_out",
                           "user", username, details={"until": until})
                session.commit()
                raise
            except AuthError:
                session.commit()  # the counted failure
                raise
            session.commit()
            return user

    def change_own_password(self, actor: Actor, old: str, new: str) -> User:
        with self.rt.writes.begin() as session:
            user = change_password(session, actor.username, old, new)
            record(session, actor, "user.password_change", "user", actor.username)
            return user

    def list_users(self, actor: Actor) -> list[UserOut]:
        require(actor, Permission.MANAGE_USERS)
        now = datetime.now(UTC)
        with self.rt.sessions() as session:
            return [_user_view(u, now) for u in session.scalars(select(User).order_by(User.username))]

    def create_user(self, actor: Actor, username: str, role: str, org_code: str | None,
                    password: str | None = None) -> tuple[UserOut, str | None]:
        """The new user, and the generated first password when none was given (shown once)."""
        require(actor, Permission.MANAGE_USERS)
        generated = None if password else secrets.token_urlsafe(12)
        with self.rt.writes.begin() as session:
            user = create_user(session, username, role, org_code, password or generated or "",
                               known_org=set(self.rt.org().units))
            user.must_change_password = generated is not None
            record(session, actor, "user.create", "user", username, details={"role": role, "org": org_code})
            return _user_view(user, datetime.now(UTC)), generated

    def update_user(self, actor: Actor, username: str, role: str | None = None, org_code: str | None = None,
                    clear_org: bool = False, active: bool | None = None, reason: str = "") -> UserOut:
        require(actor, Permission.MANAGE_USERS)
        if username == actor.username and (active is False or (role is not None and role != Role.ADMIN)):
            raise BadInput("username", "admins cannot deactivate or demote themselves; ask another admin")
        with self.rt.writes.begin() as session:
            user = get_user(session, username)
            before = {"role": user.role, "org": user.org_code, "active": user.active}
            if role is not None:
                try:
                    user.role = Role(role).value
                except ValueError:
                    raise BadInput("role", f"unknown role '{role}'") from None
            if clear_org:
                user.org_code = None
            elif org_code is not None:
                if org_code not in self.rt.org():
                    raise BadInput("org_code", f"unknown org unit '{org_code}'")
                user.org_code = org_code
            if active is not None:
                user.active = active
            after = {"role": user.role, "org": user.org_code, "active": user.active}
            record(session, actor, "user.update", "user", username, reason,
                   details={"before": before, "after": after})
            return _user_view(user, datetime.now(UTC))

    def reset_password(self, actor: Actor, username: str, reason: str = "") -> str:
        """A generated temporary password (shown once to the admin); the user must change it at next login."""
        require(actor, Permission.MANAGE_USERS)
        temporary = secrets.token_urlsafe(12)
        with self.rt.writes.begin() as session:
            reset_password(session, username, temporary)
            record(session, actor, "user.password_reset", "user", username, reason)
        return temporary

    def list_keys(self, actor: Actor) -> list[ApiKeyOut]:
        require(actor, Permission.MANAGE_API_KEYS)
        with self.rt.sessions() as session:
            return [_key_view(k) for k in session.scalars(select(ApiKey).order_by(ApiKey.name))]

    def create_key(self, actor: Actor, name: str, scopes: list[str], role: str, org_code: str | None
                   ) -> tuple[ApiKeyOut, str]:
        require(actor, Permission.MANAGE_API_KEYS)
        with self.rt.writes.begin() as session:
            key, secret = create_api_key(session, name, scopes, role, org_code, actor.username,
                                         known_org=set(self.rt.org().units))
            record(session, actor, "api_key.create", "api_key", name,
                   details={"scopes": key.scopes, "role": role, "org": org_code})
            return _key_view(key), secret

    def revoke_key(self, actor: Actor, key_id: int, reason: str = "") -> ApiKeyOut:
        require(actor, Permission.MANAGE_API_KEYS)
        with self.rt.writes.begin() as session:
            key = session.get(ApiKey, key_id)
            if key is None:
                raise NotFound(f"API key {key_id} not found")
            if key.revoked_at is None:
                key.revoked_at = datetime.now(UTC)
                record(session, actor, "api_key.revoke", "api_key", key.name, reason)
            return _key_view(key)
