"""An asynchronous PostgreSQL pool for the API's hot path (intake).

A synchronous endpoint costs a hand-off to a worker thread per request, and SQLAlchemy's own asyncio layer
adds more per statement than the query itself costs. The hot path therefore runs its plan of round trips
(`gridvoice.store.plans`) on psycopg's asynchronous connections directly, in autocommit. The
statements are the same SQLAlchemy statements, compiled once for PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Engine, Executable
from sqlalchemy.exc import IntegrityError

from gridvoice.store.plans import Plan


class AsyncPostgres:
    """A pool of autocommit connections that runs plans of `Step`s."""

    def __init__(self, engine: Engine, max_size: int = 10) -> None:
        self.dialect = engine.dialect
        conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.pool = AsyncConnectionPool(conninfo, min_size=1, max_size=max_size, open=False,
                                        kwargs={"autocommit": True, "row_factory": namedtuple_row})
        self._compiled: dict[int, tuple[Executable, str, dict[str, Any]]] = {}

    async def open(self) -> None:
        await self.pool.open(wait=True, timeout=30)

    async def close(self) -> None:
        await self.pool.close()

    def _sql(self, statement: Executable) -> tuple[str, dict[str, Any]]:
        # keyed by identity: plans use statements built once (the entry keeps the statement alive)
        hit = self._compiled.get(id(statement))
        if hit is None:
            compiled = statement.compile(dialect=self.dialect)  # type: ignore[attr-defined]
            hit = (statement, str(compiled), dict(compiled.params))
            self._compiled[id(statement)] = hit
        return hit[1], hit[2]

    async def run(self, plan: Plan) -> Any:
        """Drive a plan on one connection: each step's first row goes back into the plan."""
        async with self.pool.connection() as conn:
            try:
                step = next(plan)
                while True:
                    sql, defaults = self._sql(step.statement)
                    try:
                        cursor = await conn.execute(sql, {**defaults, **step.params})  # type: ignore[arg-type]
                    except psycopg.IntegrityError as exc:  # the same exception as on the synchronous path
                        raise IntegrityError(sql, step.params, exc) from exc
                    step = plan.send(await cursor.fetchone())
            except StopIteration as done:
                return done.value
