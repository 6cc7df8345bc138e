"""Plans of round trips: use-case logic written once, run on a synchronous or an asynchronous connection.

A plan is a generator that yields `Step`s (a statement and its parameters) and receives each step's first
row (or None); its return value is the plan's result. `run_plan` drives one on a SQLAlchemy connection;
`gridvoice.store.pgasync.AsyncPostgres.run` drives the same plan on asynchronous psycopg connections.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Executable


@dataclass(frozen=True)
class Step:
    """One round trip of a plan: the first row it returns (or None) is sent back into the plan."""

    statement: Executable
    params: dict[str, Any]


Plan = Generator[Step, Any, Any]


def run_plan(conn: Connection, plan: Plan) -> Any:
    """Drive a plan on a synchronous connection."""
    try:
        step = next(plan)
        while True:
            step = plan.send(conn.execute(step.statement, step.params).first())
    except StopIteration as done:
        return done.value


def first_value(step: Step) -> Plan:
    """A one-step plan answering the first column of the first row (or None)."""
    row = yield step
    return None if row is None else row[0]
