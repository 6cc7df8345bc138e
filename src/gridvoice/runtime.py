"""Wires settings, the store and the configured rules together for every adapter (API, CLI, jobs)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gridvoice.classifier.labeller import ModelLabeller
from gridvoice.config import Settings, load_settings
from gridvoice.domain.labelling import Labeller
from gridvoice.domain.routing import ResponsibilityMatrix
from gridvoice.domain.sla import SlaConfig
from gridvoice.org.service import OrgDirectory
from gridvoice.rulesets.service import RuleCache
from gridvoice.store.db import autocommit_engine, make_engine, make_session_factory, write_engine
from gridvoice.store.migrate import upgrade

if TYPE_CHECKING:
    from gridvoice.store.pgasync import AsyncPostgres


@dataclass
class Runtime:
    settings: Settings
    # the installed classifier (GRIDVOICE_HOME/models), else the keyword fallback; set in __post_init__
    labeller: Labeller = None  # type: ignore[assignment]
    # set by the API server while it runs on PostgreSQL: the asynchronous pool of the hot path
    async_pool: AsyncPostgres | None = field(default=None, repr=False)
    _org: OrgDirectory | None = field(default=None, repr=False)
    _org_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.labeller is None:
            self.labeller = ModelLabeller(self.settings.home)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.resolved_database_url())

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Read sessions (never wait for writers on SQLite WAL)."""
        return make_session_factory(self.engine)

    @cached_property
    def writes(self) -> sessionmaker[Session]:
        """Sessions for units of work that write: `with runtime.writes.begin() as session: ...`."""
        return make_session_factory(self.engine, write=True)

    @cached_property
    def autocommit(self) -> Engine:
        """Connections for reads (and one-statement writes) with no transaction round trips on PostgreSQL."""
        return autocommit_engine(self.engine)

    @cached_property
    def write_engine(self) -> Engine:
        return write_engine(self.engine)

    @cached_property
    def rules(self) -> RuleCache:
        """SLA policies and responsibility matrix in force: the files until an admin stores a version."""
        return RuleCache(self.sessions, lambda: (self.settings.sla, self.settings.matrix))

    @property
    def sla(self) -> SlaConfig:
        return self.rules.get().sla

    @property
    def matrix(self) -> ResponsibilityMatrix:
        return self.rules.get().matrix

    def init_schema(self) -> None:
        upgrade(self.engine)

    def org(self) -> OrgDirectory:
        """The org tree, loaded once; call `invalidate_org` after changing it."""
        org = self._org
        if org is None:
            with self._org_lock:  # the first requests after start must not all load it at once
                if self._org is None:
                    with self.sessions() as session:
                        self._org = OrgDirectory.load(session)
                org = self._org
        return org

    def invalidate_org(self) -> None:
        self._org = None

    def has_synthetic_data(self) -> bool:
        """True when the org tree was generated (the demo): the UI then shows the synthetic banner."""
        org = self.org()
        return bool(org.root and org.units[org.root].synthetic)

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def runtime_from_env() -> Runtime:
    return Runtime(load_settings())
