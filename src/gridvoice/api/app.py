"""The FastAPI application: API under /api/v1, health and metrics, the web console at /, the SLA job."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from apscheduler.schedulers.background import BackgroundScheduler
from fastapi import APIRouter, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import ValidationError
from sqlalchemy import text

from gridvoice import __version__
from gridvoice.analysis.router import router as analysis_router
from gridvoice.api.deps import ActorCache
from gridvoice.appeals.router import router as appeals_router
from gridvoice.appeals.service import AppealService
from gridvoice.audit.router import router as audit_router
from gridvoice.auth.router import router as auth_router
from gridvoice.classifier.router import router as classifier_router
from gridvoice.errors import BadInput, Conflict, GridvoiceError
from gridvoice.ops.metrics import Metrics, route_template
from gridvoice.org.router import router as org_router
from gridvoice.rulesets.router import router as rules_router
from gridvoice.runtime import Runtime
from gridvoice.satisfaction.router import router as satisfaction_router
from gridvoice.web.console import mount_console

log = logging.getLogger("gridvoice.api")
API_PREFIX = "/api/v1"


def _error_body(exc: GridvoiceError) -> dict[str, Any]:
    if isinstance(exc, BadInput):
        return {"detail": [{"loc": ["body", exc.field], "msg": exc.reason, "type": "value_error"}]}
    body: dict[str, Any] = {"detail": str(exc)}
    if isinstance(exc, Conflict) and exc.current_version is not None:
        body["current_version"] = exc.current_version
    return body


def _start_scheduler(runtime: Runtime, appeals: AppealService) -> BackgroundScheduler | None:
    if not runtime.settings.scheduler:
        return None
    scheduler = BackgroundScheduler(timezone="UTC")

    def job() -> None:
        result = appeals.sla_check()
        log.info("sla check", extra={"turned_yellow": result.turned_yellow, "turned_red": result.turned_red})

    scheduler.add_job(job, "interval", seconds=runtime.settings.sla_check_seconds, id="sla-check",
                      max_instances=1, coalesce=True)
    scheduler.start()
    return scheduler


async def _open_async_pool(runtime: Runtime) -> None:
    """On PostgreSQL the hot path (intake) runs on an asynchronous pool in the server's event loop."""
    if runtime.engine.dialect.name != "postgresql":
        return
    from gridvoice.store.pgasync import AsyncPostgres

    pool = AsyncPostgres(runtime.engine, max_size=runtime.settings.async_pool_size)
    await pool.open()
    runtime.async_pool = pool


class ObserveMiddleware:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware): request metrics, request id, crash guard."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        request_id = (headers.get(b"x-request-id") or uuid.uuid4().hex[:16].encode())[:64]
        status_code = 500
        response_started = False

        async def send_wrapper(message: dict[str, Any]) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                status_code = message["status"]
                response_started = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id)]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            log.exception("unhandled error", extra={"path": scope.get("path"), "request_id": request_id.decode()})
            if not response_started:
                body = JSONResponse({"detail": "internal error", "request_id": request_id.decode()},
                                    status_code=500)
                await body(scope, receive, send_wrapper)
        finally:
            self.metrics.observe(scope["method"], route_template(scope), status_code, time.perf_counter() - started)


def create_app(runtime: Runtime) -> FastAPI:
    appeals = AppealService(runtime)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Few request threads per worker: the work is CPU in Python, and many threads only fight over the
        # GIL (ADR 0006: on PostgreSQL with 2 workers, 40 threads 241-273 appeals/s, 4 threads 261-329/s)
        anyio.to_thread.current_default_thread_limiter().total_tokens = runtime.settings.request_threads
        runtime.init_schema()
        await _open_async_pool(runtime)
        scheduler = _start_scheduler(runtime, appeals)
        log.info("gridvoice started", extra={"version": __version__})
        yield
        # uvicorn has already drained in-flight requests when the lifespan ends
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        if runtime.async_pool is not None:
            await runtime.async_pool.close()
            runtime.async_pool = None
        runtime.dispose()
        log.info("gridvoice stopped")

    app = FastAPI(title="gridvoice 电网之声", version=__version__, lifespan=lifespan,
                  openapi_url=f"{API_PREFIX}/openapi.json", docs_url=f"{API_PREFIX}/docs", redoc_url=None)
    app.state.runtime = runtime
    app.state.appeals = appeals
    app.state.actor_cache = ActorCache()
    metrics = Metrics(appeals.counts_by_status_warning)
    app.state.metrics = metrics

    @app.exception_handler(ValidationError)
    async def _validation_error(_request: Request, exc: ValidationError) -> JSONResponse:
        # a model built inside a dependency or service (not FastAPI's own parsing) still answers 422
        return JSONResponse({"detail": jsonable_encoder(exc.errors(include_url=False, include_input=False))},
                            status_code=422)

    @app.exception_handler(GridvoiceError)
    async def _domain_error(_request: Request, exc: GridvoiceError) -> JSONResponse:
        return JSONResponse(_error_body(exc), status_code=exc.http_status)

    app.add_middleware(ObserveMiddleware, metrics=metrics)

    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth_router)
    api.include_router(org_router)
    api.include_router(appeals_router)
    api.include_router(audit_router)
    api.include_router(rules_router)
    api.include_router(classifier_router)
    api.include_router(analysis_router)
    api.include_router(satisfaction_router)
    if runtime.settings.debug_endpoints:
        @api.get("/_debug/sleep", include_in_schema=False)
        async def _sleep(seconds: float = 1.0) -> dict[str, float]:
            await asyncio.sleep(min(seconds, 30.0))
            return {"slept": seconds}
    app.include_router(api)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> JSONResponse:
        try:
            with runtime.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # the probe must answer, whatever broke
            return JSONResponse({"status": "fail", "database": str(exc)[:200]}, status_code=503)
        return JSONResponse({"status": "ok", "version": __version__,
                             "database": runtime.engine.dialect.name})

    @app.get("/metrics", tags=["ops"], response_class=PlainTextResponse)
    def prometheus() -> PlainTextResponse:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    # the web console at "/" (last: its mount takes every path the API and ops routes leave)
    mount_console(app, runtime, appeals)
    return app
