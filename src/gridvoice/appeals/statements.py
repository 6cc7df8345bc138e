"""The statements of intake, built once (constructing a statement costs more than running it).

Intake is written as a plan of `Step`s (`gridvoice.store.plans`) so that one piece of logic runs on a
synchronous SQLAlchemy connection (CLI, SQLite, tests) or an asynchronous psycopg pool (the API on
PostgreSQL, without a thread hop per request).

Look-up in one round trip: the appeal a channel's call already produced, and the caller's customer
record by 户号.

Intake in one round trip on PostgreSQL: the repeat-call check, the new appeal and its intake event
travel as one statement (data-modifying CTEs) run in autocommit. One statement is one transaction, so
BEGIN and COMMIT cost no extra round trips and nothing is ever half-written. When the caller has an open
appeal on the same topic, nothing is inserted and the service takes the transactional path that merges
the call into that appeal under a row lock. SQLite has no data-modifying CTEs; there the service always
takes the transactional path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, bindparam, literal, or_, select, text

from gridvoice.appeals.models import Appeal, MergedCall
from gridvoice.domain import lifecycle
from gridvoice.org.models import Customer
from gridvoice.org.service import BY_PHONE, CUSTOMER_FIELDS
from gridvoice.store.plans import Step

OPEN_STATUSES = tuple(s.value for s in lifecycle.OPEN)


EXISTING_CALL = (
    select(Appeal.id).where(Appeal.channel == bindparam("channel"), Appeal.external_id == bindparam("external_id"))
    .union_all(select(MergedCall.appeal_id).where(MergedCall.channel == bindparam("channel"),
                                                  MergedCall.external_id == bindparam("external_id")))
    .limit(1))

_ONE = select(literal(1).label("one")).subquery("one")
LOOKUP = (select(EXISTING_CALL.scalar_subquery().label("existing_id"), *CUSTOMER_FIELDS)
          .select_from(_ONE.outerjoin(Customer, Customer.customer_no == bindparam("customer_no"))))


def lookup(channel: str, external_id: str | None, customer_no: str | None) -> Step:
    return Step(LOOKUP, {"channel": channel, "external_id": external_id, "customer_no": customer_no})


def existing_call(channel: str, external_id: str) -> Step:
    return Step(EXISTING_CALL, {"channel": channel, "external_id": external_id})


def customer_by_phone(phone: str) -> Step:
    return Step(BY_PHONE, {"phone": phone})


def repeat_filter(customer_no: str | None, phone: str | None, window_start: Any, any_topic: bool,
                  topic: str) -> list[Any]:
    """WHERE terms finding the open appeal a new call repeats (empty when the caller is unknown).

    A 催办 (`any_topic`) attaches to any open appeal of the caller; anything else only to one on the same
    topic received within the window.
    """
    who = []
    if customer_no is not None:
        who.append(Appeal.customer_no == customer_no)
    if phone is not None:
        who.append(Appeal.phone == phone)
    if not who:
        return []
    terms = [or_(*who), Appeal.status.in_(OPEN_STATUSES)]
    if not any_topic:
        terms += [Appeal.topic == topic, Appeal.received_at >= window_start]
    return terms


def _json_row(row: Mapping[str, Any]) -> str:
    def encode(value: Any) -> Any:
        if isinstance(value, datetime):
            if value.tzinfo is None:  # the same rule as the UtcDateTime column type
                raise ValueError("naive datetime given to a UTC column")
            return value.isoformat()
        raise TypeError(f"cannot store {type(value).__name__} in a row")
    return json.dumps(row, default=encode, ensure_ascii=False)


def _columns(keys: tuple[str, ...]) -> str:
    return ", ".join(f'"{key}"' for key in keys)


@lru_cache(maxsize=32)
def _statement(appeal_keys: tuple[str, ...], event_keys: tuple[str, ...], by_customer_no: bool,
               by_phone: bool, any_topic: bool) -> TextClause:
    # Each row travels as one JSON parameter expanded by jsonb_populate_record: a handful of parameters
    # instead of fifty keeps the statement within psycopg's cache of converted queries.
    appeal_columns, event_columns = _columns(appeal_keys), _columns(event_keys)
    created = (f"INSERT INTO appeals ({appeal_columns}) SELECT {appeal_columns} "
               "FROM jsonb_populate_record(NULL::appeals, CAST(:appeal AS jsonb))")
    original_id = "NULL"
    ctes = []
    who = [term for term, wanted in (("customer_no = :customer_no", by_customer_no), ("phone = :phone", by_phone))
           if wanted]
    if who:
        same_topic = "" if any_topic else " AND topic = :topic AND received_at >= :window_start"
        ctes.append(f"original AS (SELECT id FROM appeals WHERE ({' OR '.join(who)}) "
                    f"AND status = ANY(:open_statuses){same_topic} ORDER BY received_at LIMIT 1)")
        created += " WHERE NOT EXISTS (SELECT 1 FROM original)"
        original_id = "(SELECT id FROM original)"
    ctes.append(f"created AS ({created} RETURNING id)")
    ctes.append(f"intake_event AS (INSERT INTO appeal_events (appeal_id, {event_columns}) "
                f"SELECT created.id, {', '.join(f'e.{c}' for c in event_columns.split(', '))} FROM created, "
                "jsonb_populate_record(NULL::appeal_events, CAST(:event AS jsonb)) AS e)")
    return text(f"WITH {', '.join(ctes)} SELECT {original_id} AS original_id, "
                "(SELECT id FROM created) AS created_id")


def insert_unless_repeat(values: Mapping[str, Any], event: Mapping[str, Any], window_start: datetime,
                         any_topic: bool) -> Step:
    """Answers (id of the open appeal this call repeats, None) or (None, id of the appeal just created)."""
    statement = _statement(tuple(values), tuple(event), bool(values["customer_no"]), bool(values["phone"]),
                           any_topic)
    params = {"appeal": _json_row(values), "event": _json_row(event), "customer_no": values["customer_no"],
              "phone": values["phone"], "topic": values["topic"], "window_start": window_start,
              "open_statuses": list(OPEN_STATUSES)}
    return Step(statement, params)
