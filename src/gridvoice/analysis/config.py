"""Settings of the appeal analyses, with documented defaults; a deployment overrides them in a TOML file.

The file is `$GRIDVOICE_HOME/analysis.toml` when present (or the path given to the CLI with `--config`), with
one table per analysis, e.g.::

    [hotspots]
    false_alarms_per_day = 0.1
    [sensitive.weights]
    complaints = 0.3

Every value is checked (type and range); an unknown key is refused with its dotted name. None of the defaults
was fitted to any data set: each is a rule of thumb stated where it is defined (see ADR 0013 too).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from gridvoice.errors import BadInput

CONFIG_FILE = "analysis.toml"
URGENCY_LEXICON = "urgency_lexicon.toml"

# Threats to go to a hotline: bare numbers are left out on purpose, "12398转办：" heads every order the regulator's
# hotline transfers (the channel counts those) and "之前打过12345" is a past call, not a threat.
HOTLINE_THREATS = ("打12398", "向12398", "到12398", "12398投诉", "打12345", "向12345", "到12345", "12345投诉")
# Threats to escalate: to the media, a regulator, petition offices (信访) or court (used when the classifier's
# urgency lexicon is not installed).
ESCALATION_CUES = (
    "越级", "媒体", "曝光", "起诉", "法院", "律师", "法律途径", "上访", "信访", "电视台", "记者", "报社", "传媒",
    "找政府", "市长热线", "告你", "越級", "傳媒", "電視台", "記者", "報紙", "上訪", "信訪", *HOTLINE_THREATS,
)
NEGATIVE_WORDS = (
    "不满", "投诉", "气愤", "愤怒", "生气", "恼火", "太差", "很差", "差劲", "恶劣", "态度差", "不耐烦", "推诿",
    "扯皮", "敷衍", "踢皮球", "不作为", "没人管", "没人理", "不理不睬", "爱答不理", "忍无可忍", "受不了",
    "无法忍受", "失望", "离谱", "过分", "乱收费", "坑人", "骗人", "糊弄", "拖延", "一拖再拖", "多次反映",
    "一直没", "至今", "还没解决", "没有解决", "赔偿", "损失", "严重影响", "太慢", "凭什么", "什么态度",
    "好嬲", "激死", "好差", "冇人理", "冇人管", "乜嘢态度", "唔理", "求其", "拖拖拉拉", "投訴", "態度差",
    "不滿", "憤怒",
)
POSITIVE_WORDS = (
    "感谢", "谢谢", "满意", "表扬", "点赞", "好评", "辛苦", "耐心", "热情", "及时", "专业", "周到", "负责",
    "多谢", "唔该", "感謝", "滿意", "讚",
)
# the hundred commonest surnames (and their traditional forms): "王师傅", "姓李的工作人员"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "張劉陳楊黃趙吳周孫馬鄭謝許韓馮鄧蕭葉蘇魏呂蔣盧鍾譚陸範賈韋鄒熊邱薛閆雷龍賀顧龔萬錢嚴湯"
)


@dataclass(frozen=True)
class HotspotConfig:
    # baseline: the series' mean over the previous weeks times the weekday (hour-of-week) factor of its topic
    baseline_weeks: int = 4
    # the surge a chart is designed to catch: μ1 = μ0 + shift_sigmas·√μ0 (methods.md §7.1 suggests 1–2)
    shift_sigmas: float = 1.5
    # target false alarms per day over all the charts of one run (one level, one territory); each chart's
    # in-control ARL is the number of charts divided by this rate, and its threshold is computed from that ARL
    false_alarms_per_day: float = 0.2
    ewma_lambda: float = 0.2
    max_linked_appeals: int = 50
    # emerging terms: the last term_recent_days against the term_baseline_days before them
    term_recent_days: int = 7
    term_baseline_days: int = 28
    term_lengths: tuple[int, ...] = (2, 3)
    term_min_docs: int = 5  # recent appeals that must contain a term before it is tested
    term_fdr: float = 0.01  # Benjamini–Hochberg false discovery rate over the tested terms
    term_min_lift: float = 2.0  # recent share at least this many times the baseline share
    term_max: int = 30


@dataclass(frozen=True)
class RepeatConfig:
    window_days: int = 30  # a repeat: the same caller and topic again within this many days
    min_appeals: int = 2
    keys: tuple[str, ...] = ("customer", "phone", "address")


@dataclass(frozen=True)
class SensitiveConfig:
    lookback_days: int = 365
    # each component scores min(1, count / cap); the score is 100 × Σ weight × that (weights sum to 1)
    weights: dict[str, float] = field(default_factory=lambda: {
        "frequency": 0.25, "complaints": 0.25, "escalations": 0.25, "gov_hotline": 0.15, "dissatisfied": 0.10})
    caps: dict[str, float] = field(default_factory=lambda: {
        "frequency": 6, "complaints": 3, "escalations": 2, "gov_hotline": 2, "dissatisfied": 2})
    high: float = 60.0  # 敏感客户
    watch: float = 35.0  # 关注客户
    gov_channels: tuple[str, ...] = ("GOV_12345", "REGULATOR_12398")
    complaint_types: tuple[str, ...] = ("COMPLAINT",)
    escalation_cues: tuple[str, ...] = ESCALATION_CUES


@dataclass(frozen=True)
class RiskConfig:
    period: str = "month"  # month | week
    baseline_periods: int = 3  # the volume-change index compares with the mean of this many previous periods
    # urgency and sentiment shares are shrunk toward the period's overall share with this many pseudo-appeals,
    # so a region with two appeals, one urgent, does not read as 50 % urgent
    prior_appeals: float = 10.0
    per_customers: int = 10_000
    red: float = 75.0
    orange: float = 60.0
    yellow: float = 45.0
    reason_min: float = 0.5  # a sub-index is named as a reason when its normalised value reaches this


@dataclass(frozen=True)
class FactorConfig:
    trend_alpha: float = 0.05  # a share's monthly trend is called rising or falling below this p-value
    staff_topics: tuple[str, ...] = ("STAFF_CONDUCT", "METER_READING_BILLING")
    max_linked_appeals: int = 20


@dataclass(frozen=True)
class SentimentConfig:
    negative: tuple[str, ...] = NEGATIVE_WORDS
    positive: tuple[str, ...] = POSITIVE_WORDS


@dataclass(frozen=True)
class AnalysisConfig:
    hotspots: HotspotConfig = field(default_factory=HotspotConfig)
    repeats: RepeatConfig = field(default_factory=RepeatConfig)
    sensitive: SensitiveConfig = field(default_factory=SensitiveConfig)
    risk: RiskConfig = field(default_factory=RiskConfig)
    factors: FactorConfig = field(default_factory=FactorConfig)
    sentiment: SentimentConfig = field(default_factory=SentimentConfig)
    surnames: str = SURNAMES


def load_config(home: Path | None = None, path: Path | None = None) -> AnalysisConfig:
    """Defaults, the escalation cues of the shipped urgency lexicon when there is one, then the deployment's
    file (`path`, else `home/analysis.toml` when present)."""
    config = AnalysisConfig()
    cues = _lexicon_cues()
    if cues:
        config = replace(config, sensitive=replace(config.sensitive, escalation_cues=cues))
    source = path if path is not None else (home / CONFIG_FILE if home is not None else None)
    if source is None or (path is None and not source.exists()):
        return config
    try:
        data = tomllib.loads(Path(source).read_text("utf-8"))
    except OSError as exc:
        raise BadInput("config", f"{source}: cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise BadInput("config", f"{source}: {exc}") from exc
    config = _merge(config, data, str(source), "")
    validate(config, str(source))
    return config


def _lexicon_cues() -> tuple[str, ...]:
    """Escalation cues of `gridvoice/defaults/urgency_lexicon.toml` (the classifier's lexicon) when it exists —
    the `cues` of its category whose code mentions escalation — plus the hotline threats (the lexicon keeps
    hotline numbers as cues that need a future marker, which a word list cannot express)."""
    try:
        text = resources.files("gridvoice.defaults").joinpath(URGENCY_LEXICON).read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError):
        return ()
    words: list[str] = []
    _collect_cues(data, words)
    if not words:
        return ()
    return tuple(dict.fromkeys([*(w for w in words if w), *HOTLINE_THREATS]))


def _collect_cues(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        label = f"{node.get('code', '')} {node.get('name', '')}".lower()
        if "escalat" in label and isinstance(node.get("cues"), list):
            out.extend(str(w) for w in node["cues"] if isinstance(w, str))
        for value in node.values():
            _collect_cues(value, out)
    elif isinstance(node, list):
        for item in node:
            _collect_cues(item, out)


def _merge(obj: Any, data: dict[str, Any], source: str, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise BadInput(prefix.rstrip(".") or "config", f"{source}: expected a table")
    known = {f.name: f for f in fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key not in known:
            raise BadInput(name, f"{source}: unknown setting")
        current = getattr(obj, key)
        if is_dataclass(current):
            changes[key] = _merge(current, value, source, f"{name}.")
        else:
            changes[key] = _cast(current, value, source, name)
    return replace(obj, **changes)


def _cast(current: Any, value: Any, source: str, name: str) -> Any:
    def bad(expected: str) -> BadInput:
        return BadInput(name, f"{source}: expected {expected}, got {value!r}")

    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("an integer")
        return value
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad("a number")
        return float(value)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise bad("text")
        return value
    if isinstance(current, tuple):
        if not isinstance(value, list) or any(type(v) is not type(current[0]) for v in value if current):
            raise bad("a list like the default")
        return tuple(value)
    if isinstance(current, dict):
        return _cast_mapping(current, value, source, name)
    raise bad("a value like the default")


def _cast_mapping(current: dict[str, float], value: Any, source: str, name: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise BadInput(name, f"{source}: expected a table")
    merged = dict(current)
    for key, number in value.items():
        if key not in current:
            raise BadInput(f"{name}.{key}", f"{source}: unknown component; one of {', '.join(current)}")
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise BadInput(f"{name}.{key}", f"{source}: expected a number, got {number!r}")
        merged[key] = float(number)
    return merged


def validate(config: AnalysisConfig, source: str = "config") -> None:
    """Ranges that the formulas need; a violation names the setting."""
    h, r, s, k = config.hotspots, config.repeats, config.sensitive, config.risk
    checks: list[tuple[bool, str, str]] = [
        (h.baseline_weeks >= 1, "hotspots.baseline_weeks", "at least 1"),
        (h.shift_sigmas > 0, "hotspots.shift_sigmas", "more than 0"),
        (h.false_alarms_per_day > 0, "hotspots.false_alarms_per_day", "more than 0"),
        (0 < h.ewma_lambda < 1, "hotspots.ewma_lambda", "between 0 and 1 (exclusive)"),
        (h.term_recent_days >= 1 and h.term_baseline_days >= 1, "hotspots.term_recent_days", "at least 1 day"),
        (all(1 <= n <= 6 for n in h.term_lengths) and bool(h.term_lengths), "hotspots.term_lengths",
         "lengths from 1 to 6"),
        (0 < h.term_fdr < 1, "hotspots.term_fdr", "between 0 and 1"),
        (r.window_days >= 1, "repeats.window_days", "at least 1"),
        (r.min_appeals >= 2, "repeats.min_appeals", "at least 2"),
        (bool(r.keys) and set(r.keys) <= {"customer", "phone", "address"}, "repeats.keys",
         "customer, phone and/or address"),
        (abs(sum(s.weights.values()) - 1) < 1e-6, "sensitive.weights", "weights summing to 1"),
        (all(c > 0 for c in s.caps.values()), "sensitive.caps", "caps above 0"),
        (0 <= s.watch <= s.high <= 100, "sensitive.watch", "0 ≤ watch ≤ high ≤ 100"),
        (k.period in ("month", "week"), "risk.period", "month or week"),
        (k.baseline_periods >= 1, "risk.baseline_periods", "at least 1"),
        (0 <= k.yellow <= k.orange <= k.red <= 100, "risk.yellow", "0 ≤ yellow ≤ orange ≤ red ≤ 100"),
        (k.prior_appeals >= 0, "risk.prior_appeals", "0 or more"),
    ]
    for ok, name, reason in checks:
        if not ok:
            raise BadInput(name, f"{source}: must be {reason}")
