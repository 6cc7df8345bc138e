"""Prometheus metrics: HTTP requests and latencies, appeals by status and warning."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector


class AppealGaugeCollector(Collector):
    """Counts read from the store at scrape time, cached briefly so scrapes stay cheap."""

    def __init__(self, source: Callable[[], Sequence[tuple[str, str, int]]], ttl_seconds: float = 15) -> None:
        self.source = source
        self.ttl = ttl_seconds
        self._cached: tuple[float, Sequence[tuple[str, str, int]]] | None = None

    def collect(self) -> Iterable[Metric]:
        now = time.monotonic()
        if self._cached is None or now - self._cached[0] > self.ttl:
            self._cached = (now, self.source())
        gauge = GaugeMetricFamily("gridvoice_appeals", "Appeals in the store by status and warning level",
                                  labels=["status", "warning"])
        for status, warning, count in self._cached[1]:
            gauge.add_metric([status, warning], count)
        yield gauge


class Metrics:
    def __init__(self, appeal_counts: Callable[[], Sequence[tuple[str, str, int]]]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("gridvoice_http_requests_total", "HTTP requests",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("gridvoice_http_request_seconds", "HTTP request latency",
                                 ["method", "route"], registry=self.registry,
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
        self.registry.register(AppealGaugeCollector(appeal_counts))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def route_template(scope: dict[str, Any]) -> str:
    """The matched route as a template with its mount prefix ('/api/v1/appeals/{appeal_id}'), so metrics have
    one series per route rather than per URL."""
    route = scope.get("route")
    template = getattr(route, "path_format", None)
    if template is None:
        return "unmatched"
    path = scope.get("path", "")
    try:
        rendered = template.format(**scope.get("path_params", {}))
    except (KeyError, IndexError, ValueError):
        return template
    return path[: len(path) - len(rendered)] + template if path.endswith(rendered) else template
