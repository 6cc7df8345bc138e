"""The appeal analyses written the straightforward pandas way, for comparison with the Ibis code only.

Each function computes the same intermediate tables as its Ibis counterpart in `gridvoice.analysis` (the heavy
part: filtering, grouping, windows, text matching) with pandas and Python, then hands them to the same
assembly functions (small tables: thresholds, ranking, wording), so the two give the same numbers. The data is
read from the lake's Parquet files with pandas; nothing here is used by the product.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from gridvoice.analysis import factors as fac
from gridvoice.analysis import hotspots as hot
from gridvoice.analysis import repeats as rep
from gridvoice.analysis import risk as rsk
from gridvoice.analysis import sensitive as sen
from gridvoice.analysis.common import ALL, alternation
from gridvoice.analysis.config import AnalysisConfig
from gridvoice.domain.taxonomy import Factor
from gridvoice.lake import files
from gridvoice.lake.schema import UNITS_FILE, day_from_number, day_number, month_of


class PandasLake:
    """The lake's appeals of some months as one DataFrame, and its units."""

    def __init__(self, root: Path, first: date, last: date) -> None:
        paths = [p for p in files.partition_files(root)
                 if month_of(first) <= files.month_of_partition(p) <= month_of(last)]
        # nullable dtypes: the 64-bit caller keys must not become floats
        frames = [pd.read_parquet(p, dtype_backend="numpy_nullable") for p in paths]
        self.appeals = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        self.units = pd.read_parquet(root / UNITS_FILE, dtype_backend="numpy_nullable")
        self.first_day = int(self.appeals["received_day"].min()) if len(self.appeals) else None

    def between(self, first: date, last: date) -> pd.DataFrame:
        t = self.appeals
        return t[(t["received_day"] >= day_number(first)) & (t["received_day"] <= day_number(last))]

    def names(self) -> dict[str, str]:
        return dict(zip(self.units["code"], self.units["name"], strict=True))


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _none(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _count(text: pd.Series, words: tuple[str, ...]) -> pd.Series:
    pattern = alternation(words)
    return text.fillna("").str.count(pattern) if pattern else pd.Series(0, index=text.index)


def negativity(text: pd.Series, config: AnalysisConfig) -> pd.Series:
    negative = _count(text, config.sentiment.negative).astype(float)
    positive = _count(text, config.sentiment.positive).astype(float)
    return negative / (negative + positive + 1.0)


# ---------------------------------------------------------------------------------------------- hotspots


def _tally(rows: pd.DataFrame, topic: str | None) -> pd.DataFrame:
    by_topic = rows.groupby(["unit", "topic", "p"]).size().rename("x").reset_index()
    if topic:
        return by_topic
    total = rows.groupby(["unit", "p"]).size().rename("x").reset_index().assign(topic=ALL)
    return pd.concat([by_topic, total[["unit", "topic", "p", "x"]]], ignore_index=True)


def _levels(tally: pd.DataFrame, frame: hot.Frame) -> pd.DataFrame:
    parts = []
    for k, b in enumerate(range(frame.start, frame.end + 1, frame.season)):
        known = max(0, b - max(frame.history, b - frame.warmup))
        window = tally[(tally["p"] >= b - frame.warmup) & (tally["p"] < b)]
        sums = window.groupby(["unit", "topic"])["x"].sum().reset_index()
        level = sums["x"] / max(known, 1) if known > 0 else 0.0 * sums["x"]
        parts.append(sums.assign(k=k, level=np.maximum(level, frame.floor))[["unit", "topic", "k", "level"]])
    return pd.concat(parts, ignore_index=True)


def _factors(tally: pd.DataFrame, frame: hot.Frame) -> pd.DataFrame:
    warm = tally[(tally["p"] < frame.start) & (tally["p"] >= frame.start - frame.warmup)]
    warm = warm.assign(phase=warm["p"] % frame.season)
    by_phase = warm.groupby(["topic", "phase"])["x"].sum()
    by_topic = warm.groupby("topic")["x"].sum()
    topics = tally["topic"].unique()
    grid = pd.MultiIndex.from_product([topics, range(frame.season)], names=["topic", "phase"]).to_frame(index=False)
    n = by_phase.reindex(pd.MultiIndex.from_frame(grid)).fillna(0).to_numpy(float)
    total = by_topic.reindex(grid["topic"]).fillna(0).to_numpy(float)
    m = float(frame.season)
    return grid.assign(factor=m * (n + 1.0) / (total + m))


def _charts(tally: pd.DataFrame, levels: pd.DataFrame, factors: pd.DataFrame, table: dict[int, tuple[float, float]],
            frame: hot.Frame, config: AnalysisConfig) -> pd.DataFrame:
    series = tally[["unit", "topic"]].drop_duplicates()
    periods = np.arange(frame.start, frame.end + 1)
    grid = series.merge(pd.DataFrame({"p": periods}), how="cross")
    grid = grid.merge(tally, on=["unit", "topic", "p"], how="left")
    grid["x"] = grid["x"].fillna(0).astype(float)
    grid["phase"] = grid["p"] % frame.season
    grid["k"] = (grid["p"] - frame.start) // frame.season
    grid = grid.merge(levels, on=["unit", "topic", "k"], how="left")
    grid["level"] = grid["level"].fillna(frame.floor)
    grid = grid.merge(factors, on=["topic", "phase"], how="inner")
    grid["mu"] = grid["level"] * grid["factor"]
    grid["bucket"] = np.round(np.log10(grid["level"]) * 10).astype(int)
    grid["h"] = grid["bucket"].map(lambda b: table[b][0])
    grid["limit_l"] = grid["bucket"].map(lambda b: table[b][1])
    grid = grid.sort_values(["unit", "topic", "p"], kind="stable").reset_index(drop=True)
    return _statistics(grid, frame, config)


def _running_max(values: pd.Series, keys: list[pd.Series]) -> pd.Series:
    return values.groupby(keys).cummax().groupby(keys).ffill()


def _statistics(g: pd.DataFrame, frame: hot.Frame, config: AnalysisConfig) -> pd.DataFrame:
    s, lam = config.hotspots.shift_sigmas, config.hotspots.ewma_lambda
    keys = [g["unit"], g["topic"]]
    mu1 = g["mu"] + s * np.sqrt(g["mu"])
    step = np.log(mu1 / g["mu"]) * g["x"] - (mu1 - g["mu"])
    decay = -math.log(1 - lam)
    i = (g["p"] - frame.start + 1).astype(float)
    weighted = lam * (g["x"] - g["mu"]) / np.sqrt(g["mu"]) * np.exp(i * decay)
    c = step.groupby(keys).cumsum()
    g["cusum"] = c - np.minimum(0.0, c.groupby(keys).cummin())
    g["ewma"] = weighted.groupby(keys).cumsum() * np.exp(-i * decay)
    g["ucl"] = g["limit_l"] * math.sqrt(lam / (2 - lam))
    alone = {"cusum": step >= g["h"], "ewma": lam * (g["x"] - g["mu"]) / np.sqrt(g["mu"]) >= g["ucl"]}
    for name, limit in (("cusum", "h"), ("ewma", "ucl")):
        previous = g[name].groupby(keys).shift(1).fillna(0.0)
        g[f"{name}_up"] = (g[name] >= g[limit]) & (previous < g[limit])
        rest = _running_max(g["p"].where(g[name] <= 0), keys)
        seen = _running_max(g["p"].where(g[f"{name}_up"]), keys)
        last = seen.groupby(keys).shift(1)
        g[f"{name}_new"] = (g[f"{name}_up"] & (last.isna() | (rest > last))) | alone[name]
    return g


def _alerts(chart: pd.DataFrame) -> list[dict[str, Any]]:
    fields = ["unit", "topic", "p", "x", "mu"]
    out = []
    for method, stat, limit in (("cusum", "cusum", "h"), ("ewma", "ewma", "ucl")):
        hits = chart[chart[f"{method}_new"]]
        out.append(hits[fields].assign(method=method, statistic=hits[stat], threshold=hits[limit]))
    return _records(pd.concat(out, ignore_index=True))


def _linked(rows: pd.DataFrame, alerts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = pd.DataFrame([{"unit": a["unit"], "topic": a["topic"], "p": int(a["p"])} for a in alerts]).drop_duplicates()
    exact = rows.merge(keys, on=["unit", "topic", "p"])
    every = rows.drop(columns="topic").merge(keys[keys["topic"] == ALL], on=["unit", "p"])
    joined = pd.concat([exact, every], ignore_index=True)
    grouped = joined.groupby(["unit", "topic", "p"])["id"].agg(list).reset_index()
    grouped["n"] = grouped["id"].map(len)
    return _records(grouped.rename(columns={"id": "ids"}))


def _ngrams(text: str, n: int, cjk: re.Pattern[str]) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1) if cjk.match(text[i:i + n])}


def terms(lake: PandasLake, query: hot.HotspotQuery, config: AnalysisConfig) -> hot.TermFindings:
    window = hot.TermFindings.window(query, config.hotspots)
    docs = lake.between(window.baseline_first, window.last)[["id", "content", "received_day"]]
    recent = docs["received_day"] >= day_number(window.recent_first)
    n_recent, n_base = int(recent.sum()), int((~recent).sum())
    if n_recent == 0:
        return window
    cjk = re.compile(hot.CJK_ONLY)
    rows = []
    for appeal_id, text, is_recent in zip(docs["id"], docs["content"].fillna(""), recent, strict=True):
        grams: set[str] = set()
        for n in config.hotspots.term_lengths:
            grams |= _ngrams(text, n, cjk)
        rows += [(appeal_id, is_recent, g) for g in grams]
    pairs = pd.DataFrame(rows, columns=["id", "recent", "term"])
    stats = pairs.groupby("term")["recent"].agg(recent="sum", total="size").reset_index()
    stats["baseline"] = stats["total"] - stats["recent"]
    stats = stats[stats["recent"] >= config.hotspots.term_min_docs]
    chosen = hot.choose_terms(_records(stats[["term", "recent", "baseline"]]), n_recent, n_base, config.hotspots)
    if not chosen:
        return window
    wanted = {c["term"] for c in chosen}
    hits = pairs[pairs["recent"] & pairs["term"].isin(wanted)]
    linked = _records(hits.groupby("term")["id"].agg(list).rename("ids").reset_index())
    window.terms = hot.term_results(chosen, linked, n_recent, n_base, config.hotspots)
    return window


def hotspots(lake: PandasLake, query: hot.HotspotQuery, config: AnalysisConfig,
             cache: hot.spc.ThresholdCache | None = None) -> hot.HotspotResult:
    frame = hot.Frame.of(query, config.hotspots, lake.first_day)
    t = lake.between(query.first - timedelta(days=7 * frame.weeks), query.last)
    t = t[t[query.level].notna()]
    if query.topic:
        t = t[t["topic"] == query.topic]
    period = t["received_day"].astype("int64") * frame.per_day
    if frame.per_day == 24:
        period = period + t["received_hour"].astype("int64")
    rows = pd.DataFrame({"id": t["id"].to_numpy(), "unit": t[query.level].to_numpy(), "topic": t["topic"].to_numpy(),
                         "p": period.to_numpy()})
    tally = _tally(rows, query.topic)
    levels = _levels(tally, frame)
    n_series = len(tally[["unit", "topic"]].drop_duplicates())
    buckets = set(np.round(np.log10(levels["level"]) * 10).astype(int).tolist())
    target, table = hot.thresholds(sorted({*buckets, hot.spc.bucket_of(frame.floor)}), n_series, frame,
                                   config.hotspots, cache)
    alerts: list[dict[str, Any]] = []
    linked: list[dict[str, Any]] = []
    if n_series:
        chart = _charts(tally, levels, _factors(tally, frame), table, frame, config)
        alerts = hot.select_alerts(_alerts(chart), query.limit)
        if alerts:
            linked = _linked(rows, alerts)
    found = terms(lake, query, config) if query.terms else hot.TermFindings.empty(query, config.hotspots)
    return hot.assemble(query, config.hotspots, frame, n_series, target, alerts, linked, found, lake.names())


# ---------------------------------------------------------------------------------------------- repeats


def repeats(lake: PandasLake, query: rep.RepeatQuery, config: AnalysisConfig) -> rep.RepeatResult:
    t = lake.between(query.first, query.last)
    parts = []
    for rank, kind in enumerate(config.repeats.keys):
        column = rep.KEY_COLUMNS[kind]
        k = t[t[column].notna()]
        if query.topic:
            k = k[k["topic"] == query.topic]
        k = k.sort_values([column, "topic", "received_at", "id"], kind="stable")
        gap = k["received_day"] - k.groupby([column, "topic"])["received_day"].shift(1)
        new = (gap.isna() | (gap > config.repeats.window_days)).astype(int)
        k = k.assign(episode=new.groupby([k[column], k["topic"]]).cumsum())
        groups = k.groupby([column, "topic", "episode"]).agg(
            n=("id", "size"), first_at=("received_at", "min"), last_at=("received_at", "max"),
            first_day=("received_day", "min"), last_day=("received_day", "max"), unit=(query.level, "max"),
            ids=("id", lambda ids: tuple(sorted(ids)))).reset_index()
        groups = groups[groups["n"] >= config.repeats.min_appeals]
        parts.append(groups.rename(columns={column: "key"}).assign(kind=kind, rank=rank))
    union = pd.concat(parts, ignore_index=True)
    union = union.sort_values("rank", kind="stable")
    same = union.groupby(["topic", "ids"]).agg(
        kinds=("kind", list), key=("key", "first"), n=("n", "max"), first_at=("first_at", "min"),
        last_at=("last_at", "max"), first_day=("first_day", "min"), last_day=("last_day", "max"),
        unit=("unit", "max")).reset_index()
    table = pa.table({
        "topic": pa.array(same["topic"].astype(object), pa.string()),
        "ids": pa.array([list(i) for i in same["ids"]], pa.list_(pa.int64())),
        "kinds": pa.array(same["kinds"], pa.list_(pa.string())),
        "key": pa.array(same["key"].astype("int64"), pa.int64()),
        "n": pa.array(same["n"].astype("int64"), pa.int64()),
        "first_at": pa.array(same["first_at"]).cast(pa.timestamp("us", tz="UTC")),
        "last_at": pa.array(same["last_at"]).cast(pa.timestamp("us", tz="UTC")),
        "first_day": pa.array(same["first_day"].astype("int64"), pa.int64()),
        "last_day": pa.array(same["last_day"].astype("int64"), pa.int64()),
        "unit": pa.array([_none(u) for u in same["unit"]], pa.string()),
    })
    return rep.assemble(table, query, config.repeats, lake.names())


# ---------------------------------------------------------------------------------------------- sensitive


def sensitive(lake: PandasLake, query: sen.SensitiveQuery, config: AnalysisConfig) -> sen.SensitiveResult:
    cfg = config.sensitive
    t = lake.between(query.first(cfg), query.last)
    ident = t["customer_key"].fillna(t["phone_key"])
    t = t.assign(ident=ident, by_customer=t["customer_key"].notna().astype(int), unit=t[query.level])
    t = t[t["ident"].notna()]
    cues = alternation(cfg.escalation_cues)
    t = t.assign(
        frequency=1 + t["repeat_call_count"].fillna(0),
        complaints=t["business_type"].isin(cfg.complaint_types).astype(int),
        escalations=(t["content"].fillna("").str.contains(cues) | (t["escalate_count"].fillna(0) > 0)).astype(int),
        gov_hotline=t["channel"].isin(cfg.gov_channels).astype(int),
        dissatisfied=((t["verdict"].fillna("") == "dissatisfied") | (t["rehandle_count"].fillna(0) > 0)).astype(int))
    agg = t.groupby("ident").agg(by_customer=("by_customer", "max"), appeals=("id", "size"),
                                 last_at=("received_at", "max"), **{c: (c, "sum") for c in sen.COMPONENTS})
    agg = agg.reset_index()
    agg["score"] = 100.0 * sum(cfg.weights[c] * np.minimum(1.0, agg[c].astype(float) / cfg.caps[c])
                               for c in sen.COMPONENTS)
    minimum = cfg.watch if query.min_score is None else query.min_score
    kept = agg[agg["score"] >= minimum]
    top = kept.sort_values(["score", "appeals", "ident"], ascending=[False, False, True]).head(query.limit)
    rows = _records(top)
    for row in rows:
        row["last_at"] = row["last_at"].to_pydatetime()
    linked = t[t["ident"].isin(set(top["ident"]))].groupby("ident").agg(ids=("id", list), unit=("unit", "max"))
    linked = linked.reset_index()
    return sen.assemble(len(kept), rows, _records(linked), query, cfg, lake.names())


# ---------------------------------------------------------------------------------------------- risk


def risk(lake: PandasLake, query: rsk.RiskQuery, config: AnalysisConfig) -> rsk.RiskResult:
    periods = rsk.Periods.of(query, config.risk)
    t = lake.between(periods.start_day, query.last)
    t = t[t[query.level].notna()]
    if periods.kind == "month":
        received = pd.to_datetime(t["received_date"])
        period = received.dt.year * 12 + received.dt.month - 1
    else:
        period = (t["received_day"].astype("int64") - 4) // 7
    cues = alternation(config.sensitive.escalation_cues)
    urgent = t["urgent"].fillna(False) | t["content"].fillna("").str.contains(cues) | (
        t["escalate_count"].fillna(0) > 0)
    frame = pd.DataFrame({"unit": t[query.level].to_numpy(), "period": period.to_numpy(),
                          "urgent": urgent.astype(int).to_numpy(), "negative": negativity(t["content"], config)})
    tally = frame.groupby(["unit", "period"]).agg(n=("urgent", "size"), u=("urgent", "sum"), s=("negative", "sum"))
    units = lake.units[lake.units["level"] == query.level][["code", "customers"]].rename(columns={"code": "unit"})
    extra = sorted(set(tally.index.get_level_values("unit")) - set(units["unit"]))
    regions = pd.concat([units, pd.DataFrame({"unit": extra, "customers": [None] * len(extra)})], ignore_index=True)
    history = day_from_number(lake.first_day) if lake.first_day is not None else None
    index = list(range(periods.first - periods.baseline, periods.last + 1))
    calendar = pd.DataFrame({"period": index, "days": [float(periods.days(i, query, history)) for i in index]})
    grid = regions.merge(calendar, how="cross").merge(tally.reset_index(), on=["unit", "period"], how="left")
    grid[["n", "u", "s"]] = grid[["n", "u", "s"]].fillna(0).astype(float)
    grid = grid.sort_values(["unit", "period"], kind="stable").reset_index(drop=True)
    for column, target in (("n", "base_n"), ("days", "base_days")):
        grid[target] = grid.groupby("unit")[column].transform(
            lambda s: s.shift(1).rolling(periods.baseline, min_periods=1).sum()).fillna(0.0)
    for column in ("n", "u", "s"):
        grid[f"all_{column}"] = grid.groupby("period")[column].transform("sum")
    rows = _records(grid[grid["period"] >= periods.first])
    return rsk.assemble(periods, rows, query, config.risk, lake.names())


# ---------------------------------------------------------------------------------------------- factors


def factors(lake: PandasLake, query: fac.FactorQuery, config: AnalysisConfig) -> fac.FactorResult:
    t = lake.between(query.first, query.last)
    received = pd.to_datetime(t["received_date"])
    t = t.assign(unit=t[query.level], month=received.dt.year * 12 + received.dt.month - 1)
    placed = t[t["unit"].notna()]
    by_unit = placed.groupby(["unit", "month", "factor", "topic"]).size().rename("n").reset_index()
    everywhere = t.groupby(["month", "factor", "topic"]).size().rename("n").reset_index().assign(unit=ALL)
    shares = pd.concat([by_unit, everywhere], ignore_index=True)
    shares["total"] = shares.groupby(["unit", "month"])["n"].transform("sum")
    unit_months = placed.groupby(["unit", "month"]).size().rename("total").reset_index()
    counted = placed.groupby(["unit", "month", "factor"]).size().rename("n").reset_index()
    grid = unit_months.merge(pd.DataFrame({"factor": [f.value for f in Factor]}), how="cross")
    grid = grid.merge(counted, on=["unit", "month", "factor"], how="left")
    grid["share"] = grid["n"].fillna(0) / grid["total"]
    grid["month"] = grid["month"].astype(float)
    trends = grid.groupby(["unit", "factor"]).apply(_trend, include_groups=False).reset_index()
    outlets = _outlet_names(lake)
    data = {"shares": _records(shares), "trends": _records(trends),
            "attributions": _attributions(t, outlets, config), "outlets": [outlets]}
    return fac.assemble(data, query, config, lake.names())


def _trend(group: pd.DataFrame) -> pd.Series:
    n = len(group)
    return pd.Series({"months": n, "mean_share": group["share"].mean(),
                      "cov": group["share"].cov(group["month"]) if n > 1 else None,
                      "var": group["month"].var() if n > 1 else None,
                      "share_var": group["share"].var() if n > 1 else None})


def _outlet_names(lake: PandasLake) -> dict[str, str]:
    names: dict[str, str] = {}
    for level in ("county", "station"):
        units = lake.units[lake.units["level"] == level]
        for code, name in zip(units["code"], units["name"], strict=True):
            if name and len(name) >= 3:
                names[name] = code
    return names


def _attributions(t: pd.DataFrame, outlets: dict[str, str], config: AnalysisConfig) -> list[dict[str, Any]]:
    surnames = f"[{config.surnames}]"
    content = t["content"].fillna("")
    found = {"staff_name": content.str.extract(f"({surnames})师傅", expand=False) + "师傅",
             "staff_surname": content.str.extract(f"姓({surnames})", expand=False) + "(姓)",
             "staff_id": content.str.extract(fac.STAFF_ID, expand=False),
             "handler": t["handler"]}
    if outlets:
        found["outlet"] = content.str.extract(f"({alternation(outlets)})", expand=False)
    common = pd.DataFrame({
        "unit": t["unit"], "id": t["id"], "staff": t["topic"].isin(config.factors.staff_topics).astype(int),
        "complaint": (t["business_type"] == "COMPLAINT").astype(int),
        "dissatisfied": ((t["verdict"].fillna("") == "dissatisfied") | (t["rehandle_count"].fillna(0) > 0))
        .astype(int), "praise": (t["business_type"] == "PRAISE").astype(int)})
    parts = []
    for kind, name in found.items():
        part = common.assign(kind="staff_name" if kind == "staff_surname" else kind, name=name)
        parts.append(part[part["name"].notna() & (part["name"].str.len() > 0)])
    union = pd.concat(parts, ignore_index=True)
    grouped = union.groupby(["kind", "name", "unit"], dropna=False).agg(
        appeals=("id", "size"), staff_topics=("staff", "sum"), complaints=("complaint", "sum"),
        dissatisfied=("dissatisfied", "sum"), praise=("praise", "sum"),
        ids=("id", lambda ids: [-i for i in sorted(ids, reverse=True)[:config.factors.max_linked_appeals]]))
    return _records(grouped.reset_index())
