"""`gridvoice seed`: build the synthetic city bureau into the current database."""

from __future__ import annotations

import json
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from gridvoice.appeals.models import Appeal, AppealEvent
from gridvoice.appeals.service import AppealService
from gridvoice.auth.models import User
from gridvoice.auth.service import hash_password
from gridvoice.domain.roles import Role
from gridvoice.errors import BadInput
from gridvoice.org.models import Customer, Feeder, OrgUnit
from gridvoice.org.service import add_units
from gridvoice.runtime import Runtime
from gridvoice.store.bulk import bulk_insert
from gridvoice.synth.appeals import AppealGenerator
from gridvoice.synth.org import build_territory, customer_rows

APPEALS_PER_MONTH = 5_000


@dataclass
class SeedReport:
    org_units: int
    customers: int
    appeals: int
    events: int
    seconds: float
    manifest: str


def build_city(runtime: Runtime, rng: random.Random, customers: int) -> list[dict[str, object]]:
    """The synthetic org tree, feeders and customers, written to the store; returns the customer rows."""
    territory = build_territory(rng)
    names = {u.code: u.name for u in territory.units}
    people = customer_rows(rng, customers, territory.transformer_areas, names)
    with runtime.writes.begin() as session:
        session.execute(insert(Feeder), territory.feeders)
        add_units(session, territory.units, synthetic=True)
        bulk_insert(session.connection(), Customer.__table__, people)
    runtime.invalidate_org()
    return people


def seed(runtime: Runtime, customers: int = 300_000, months: int = 12, seed_value: int = 42,
         appeals_per_month: int = APPEALS_PER_MONTH, log: Callable[[str], None] = lambda _m: None,
         now: datetime | None = None) -> SeedReport:
    if customers < 100:
        raise BadInput("customers", "at least 100")
    if not 1 <= months <= 60:
        raise BadInput("months", "between 1 and 60")
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    runtime.init_schema()
    with runtime.sessions() as session:
        if session.scalar(select(func.count()).select_from(OrgUnit)):
            raise BadInput("database", "it already holds an organisation; seed into an empty GRIDVOICE_HOME "
                                       "or database")
    people = build_city(runtime, random.Random(seed_value), customers)
    log(f"organisation: {len(runtime.org().units)} units; customers: {len(people)}")

    service = AppealService(runtime)
    generator = AppealGenerator(service, runtime.org(), people, seed_value, now, months)
    generated = generator.generate(appeals_per_month)
    log(f"appeals generated: {len(generated.appeals)} with {len(generated.events)} events")
    with runtime.writes.begin() as session:
        bulk_insert(session.connection(), Appeal.__table__, generated.appeals)
        bulk_insert(session.connection(), AppealEvent.__table__, generated.events)
        if runtime.engine.dialect.name == "postgresql":
            session.execute(func.setval("appeals_id_seq", select(func.max(Appeal.id)).scalar_subquery()).select())
    service.sla_check(now)
    manifest = runtime.settings.home / "synthetic-manifest.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({
        "synthetic": True, "seed": seed_value, "generated_at": now.isoformat(), "customers": len(people),
        "months": months, "appeals": len(generated.appeals), "planted": asdict(generated.planted),
    }, ensure_ascii=False, indent=2), encoding="utf-8")
    return SeedReport(len(runtime.org().units), len(people), len(generated.appeals), len(generated.events),
                      time.perf_counter() - started, str(manifest))


DEMO_USERS: list[tuple[str, Role, str | None]] = [
    ("admin", Role.ADMIN, None),
    ("agent", Role.AGENT, None),
    ("dispatcher", Role.DISPATCHER, None),
    ("duty", Role.DUTY_OFFICER, None),
    ("handler", Role.HANDLER, "GV01"),
    ("county", Role.COUNTY_MANAGER, "GV02"),
    ("city", Role.CITY_SUPERVISOR, None),
    ("analyst", Role.ANALYST, None),
]


def reset_demo_users(runtime: Runtime) -> list[tuple[str, str, str | None, str]]:
    """Create the demo users, or give them fresh passwords: each demo start prints new ones."""
    credentials = []
    with runtime.writes.begin() as session:
        for username, role, org in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                session.add(User(username=username, role=role.value, org_code=org,
                                 password_hash=hash_password(password), active=True))
            else:
                user.password_hash = hash_password(password)
            credentials.append((username, role.value, org, password))
    return credentials


def manifest_path(home: Path) -> Path:
    return home / "synthetic-manifest.json"
