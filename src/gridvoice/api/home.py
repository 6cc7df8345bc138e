"""GET / — the server's front page until the console lands: live counts and where to go next."""

from __future__ import annotations

from html import escape

from gridvoice.domain.lifecycle import STATUS_ZH, Status

_WARNING_ZH = {"none": "正常", "yellow": "黄色预警", "red": "红色超时"}


def render_home(counts: list[tuple[str, str, int]], synthetic: bool, version: str) -> str:
    by_status: dict[str, int] = {}
    by_warning: dict[str, int] = {}
    for status, warning, n in counts:
        by_status[status] = by_status.get(status, 0) + n
        by_warning[warning] = by_warning.get(warning, 0) + n
    status_rows = "".join(
        f"<tr><td>{escape(STATUS_ZH.get(Status(s), s))}</td><td>{s}</td><td class=n>{n:,}</td></tr>"
        for s, n in sorted(by_status.items(), key=lambda kv: -kv[1]))
    warning_rows = "".join(
        f"<tr class={w}><td>{_WARNING_ZH.get(w, w)}</td><td>{w}</td><td class=n>{by_warning.get(w, 0):,}</td></tr>"
        for w in ("red", "yellow", "none"))
    banner = ("<p class=banner>演示数据均为合成数据 · all data here is SYNTHETIC</p>" if synthetic else "")
    return f"""<!doctype html><html lang=zh-CN><head><meta charset=utf-8>
<title>gridvoice 电网之声</title><meta name=viewport content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem auto;max-width:56rem;color:#1d2733}}
.banner{{background:#fff3cd;border:1px solid #e0c36c;padding:.5rem 1rem;border-radius:6px}}
table{{border-collapse:collapse;margin:1rem 2rem 1rem 0;display:inline-table;vertical-align:top}}
td,th{{padding:.3rem .8rem;border-bottom:1px solid #dde3ea}}.n{{text-align:right}}
.red td{{color:#b42318}}.yellow td{{color:#8a6100}}a{{color:#1f5fa8}}</style></head><body>
<h1>gridvoice 电网之声 <small>v{escape(version)}</small></h1>{banner}
<p>供电服务指挥中心 · 客户诉求闭环管理。工单与时限的实时统计：</p>
<table><tr><th>状态</th><th>status</th><th>工单数</th></tr>{status_rows}</table>
<table><tr><th>时限预警</th><th>warning</th><th>工单数</th></tr>{warning_rows}</table>
<p><a href="/api/v1/docs">API 文档 (OpenAPI)</a> · <a href="/api/v1/openapi.json">openapi.json</a> ·
<a href="/healthz">健康检查</a> · <a href="/metrics">Prometheus 指标</a></p>
</body></html>"""
