"""A synthetic lake written straight to the Parquet layout, vectorised (numpy, pyarrow), seeded.

For the analysis benchmark (ten million appeals in minutes, without the operational store) and for tests
that need a lake of a given size. Every row is marked `synthetic`. The volumes follow a week and a day, the
callers a heavy tail (a few call often), the texts are assembled from phrases per topic with escalation
threats, staff mentions and sentiment words at plausible rates. Planted on purpose (`Planted`): a surge of
outage appeals in one county on one day, repeat callers, and a county whose last month is riskier.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gridvoice.lake import files
from gridvoice.lake.schema import APPEALS_SCHEMA, UNITS_FILE, UNITS_SCHEMA, day_from_number, day_number, month_of

TOPICS = ("OUTAGE", "VOLTAGE", "FACILITY_SAFETY", "STAFF_CONDUCT", "METER_READING_BILLING", "METERING",
          "PAYMENT_TARIFF", "NEW_CONNECTION", "OUTAGE_NOTICE", "PROCESS_TIMELINESS", "REMOTE_CONTROL",
          "DIGITAL_CHANNEL", "OTHER")
TOPIC_SHARE = np.array([26, 7, 6, 4, 8, 5, 10, 8, 4, 5, 5, 5, 3], dtype=float)
FACTORS = ("POWER_QUALITY", "POWER_QUALITY", "POWER_QUALITY", "STAFF", "STAFF", "COMMITMENT", "COMMITMENT",
           "COMMITMENT", "COMMITMENT", "COMMITMENT", "SMART_SERVICE", "SMART_SERVICE", "OTHER")
BUSINESS = ("REPAIR", "COMPLAINT", "INQUIRY", "SERVICE_REQUEST", "OPINION", "REPORT", "PRAISE", "URGE")
# business type given the topic's family: power (repairs), staff (complaints), the rest (inquiries, requests)
BUSINESS_MIX = {
    "power": np.array([70, 10, 10, 0, 4, 2, 2, 2], dtype=float),
    "staff": np.array([0, 60, 10, 0, 12, 6, 10, 2], dtype=float),
    "other": np.array([3, 12, 45, 22, 8, 2, 3, 5], dtype=float),
}
CHANNELS = ("HOTLINE_95598", "APP", "WECHAT", "COUNTER", "GOV_12345", "REGULATOR_12398", "SMS", "FIELD")
CHANNEL_SHARE = np.array([48, 15, 16, 8, 7, 2, 2, 2], dtype=float)
WEEKDAY = np.array([1.1, 1.05, 1.0, 1.0, 1.05, 0.85, 0.8])
HOURS = np.array([1.5, 1, 0.7, 0.5, 0.5, 0.8, 1.5, 3, 6, 8, 8, 7, 5, 6, 7, 7, 6.5, 6, 5, 4.5, 4, 3, 2.5, 2])
PHRASES = {
    "OUTAGE": ("家里突然停电了", "整栋楼都没电", "小区停电好几个小时", "停电了什么时候来电", "琴晚冇电到依家"),
    "VOLTAGE": ("电压太低空调开不了", "灯一闪一闪的电压不稳", "电压低冰箱启动不了"),
    "FACILITY_SAFETY": ("路边电线断了掉在地上", "电线杆歪了快倒了", "表箱冒烟有火花", "树枝压着电线"),
    "STAFF_CONDUCT": ("工作人员态度很差", "营业厅窗口人员爱答不理", "抢修师傅说话很冲", "员工推诿不给办"),
    "METER_READING_BILLING": ("这个月电费突然翻倍", "抄表员估抄电量不对", "电量比平时多了很多"),
    "METERING": ("电表走得太快", "申请校验电表", "电表显示不正常"),
    "PAYMENT_TARIFF": ("咨询阶梯电价怎么算", "交了电费发票怎么开", "违约金是怎么回事"),
    "NEW_CONNECTION": ("新房申请装表一直没人来", "申请增容进度怎么样", "充电桩报装多久能好", "光伏并网怎么办理"),
    "OUTAGE_NOTICE": ("计划停电没有提前通知", "停电时间和通知的不一样", "复电时间没人告知"),
    "PROCESS_TIMELINESS": ("退费申请一个月了还没办", "承诺三天答复到现在没消息", "多次跑营业厅还办不下来"),
    "REMOTE_CONTROL": ("交了费还没恢复供电", "欠费自动停电没提醒", "余额提醒短信没收到"),
    "DIGITAL_CHANNEL": ("网上国网交费失败", "APP查不到电量", "电子账单收不到"),
    "OTHER": ("有人偷电", "咨询其他问题", "反映一个情况"),
}
CUES = ("，再不解决就找媒体曝光", "，我要打12398投诉", "，准备去法院起诉", "，不行就越级上访")
NEGATIVE = ("，太差劲了", "，真的很气愤", "，一拖再拖", "，没人管")
POSITIVE = ("，谢谢", "，感谢师傅及时处理", "，很满意")
STAFF = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵")


@dataclass(frozen=True)
class Planted:
    surge_county: str
    surge_day: date
    surge_topic: str
    repeat_customer: int  # the caller index with the most repeat appeals (its key is `customer_keys[i]`)
    risky_county: str
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class SyntheticLake:
    appeals: int
    seed: int = 7
    days: int = 365
    last: date = date(2026, 11, 30)
    counties: int = 8
    stations_per_county: int = 8
    areas_per_station: int = 20
    customers: int = 0  # default: appeals / 2

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        self.first = self.last - timedelta(days=self.days - 1)
        self.n_customers = self.customers or max(1000, self.appeals // 2)
        self._org()
        self._callers()
        self.planted = Planted(
            surge_county=self.county_codes[0], surge_day=self.last - timedelta(days=10), surge_topic="OUTAGE",
            repeat_customer=0, risky_county=self.county_codes[-1],
            notes={"surge": "outage appeals ×8 in the county that day", "repeat": "caller 0 appeals monthly on "
                   "METERING", "risky": "last 30 days: twice the volume, urgent and angry"})

    # ------------------------------------------------------------------------------------------ org, callers

    def _org(self) -> None:
        c, s, a = self.counties, self.stations_per_county, self.areas_per_station
        self.county_codes = [f"C{i + 1:02d}" for i in range(c)]
        self.station_codes = [f"{cc}S{j + 1:02d}" for cc in self.county_codes for j in range(s)]
        self.area_codes = [f"{sc}T{k + 1:03d}" for sc in self.station_codes for k in range(a)]
        self.area_station = np.repeat(np.arange(c * s), a)
        self.area_county = self.area_station // s
        # unit sizes vary (heavy tail): some areas have many more customers, hence appeals
        weight = self.rng.pareto(2.5, len(self.area_codes)) + 1.0
        self.area_weight = weight / weight.sum()

    def _callers(self) -> None:
        n = self.n_customers
        self.customer_area = self.rng.choice(len(self.area_codes), n, p=self.area_weight)
        keys = self.rng.integers(-(2**62), 2**62, size=(3, n), dtype=np.int64)
        self.customer_keys, self.phone_keys, self.address_keys = keys
        propensity = self.rng.lognormal(0.0, 0.7, n)  # a few callers call again and again
        self.caller_weight = propensity / propensity.sum()

    def units(self) -> pa.Table:
        codes = ["GV", *self.county_codes, *self.station_codes, *self.area_codes]
        levels = (["city"] + ["county"] * len(self.county_codes) + ["station"] * len(self.station_codes)
                  + ["transformer_area"] * len(self.area_codes))
        parents = [None, *["GV"] * len(self.county_codes),
                   *[self.county_codes[i // self.stations_per_county] for i in range(len(self.station_codes))],
                   *[self.station_codes[i] for i in self.area_station]]
        path_of = {"GV": "/GV/"}
        for code, parent in zip(codes[1:], parents[1:], strict=True):
            path_of[code] = f"{path_of[parent]}{code}/"
        per_area = np.bincount(self.customer_area, minlength=len(self.area_codes))
        customers = {code: int(n) for code, n in zip(self.area_codes, per_area, strict=True)}
        for i, code in enumerate(self.station_codes):
            customers[code] = int(per_area[self.area_station == i].sum())
        for i, code in enumerate(self.county_codes):
            customers[code] = int(per_area[self.area_county == i].sum())
        customers["GV"] = int(per_area.sum())
        names = {"GV": "青禾市供电局", **{c: f"{c}县供电公司" for c in self.county_codes},
                 **{s: f"{s}供电所" for s in self.station_codes}, **{a: f"{a}台区" for a in self.area_codes}}
        return pa.table({"code": codes, "name": [names[c] for c in codes], "level": levels, "parent": parents,
                         "path": [path_of[c] for c in codes], "area_class": ["urban"] * len(codes),
                         "customers": [customers[c] for c in codes]}, schema=UNITS_SCHEMA)

    # ------------------------------------------------------------------------------------------ appeals

    def _day_counts(self) -> np.ndarray:
        days = np.arange(day_number(self.first), day_number(self.last) + 1)
        weekday = WEEKDAY[(days - 4) % 7]  # 1970-01-05 (day 4) was a Monday
        season = 1 + 0.3 * np.sin(2 * np.pi * (days - days[0]) / 365.25)
        expected = weekday * season
        return self.rng.multinomial(self.appeals, expected / expected.sum())

    def batches(self) -> Iterator[pa.Table]:
        """One table per month, in order; ids ascend with time."""
        counts = self._day_counts()
        days = np.arange(day_number(self.first), day_number(self.last) + 1)
        months = np.array([month_of(day_from_number(int(d))) for d in days])
        next_id = 1
        for month in dict.fromkeys(months):
            pick = months == month
            table = self._month(np.repeat(days[pick], counts[pick]), next_id)
            next_id += table.num_rows
            yield table

    def _month(self, day: np.ndarray, first_id: int) -> pa.Table:
        rng, n = self.rng, day.size
        hour = rng.choice(24, n, p=HOURS / HOURS.sum())
        topic = rng.choice(len(TOPICS), n, p=TOPIC_SHARE / TOPIC_SHARE.sum())
        caller = rng.choice(self.n_customers, n, p=self.caller_weight)
        area = np.where(rng.random(n) < 0.9, self.customer_area[caller], rng.choice(len(self.area_codes), n))
        day, hour, topic, caller, area = self._plant(day, hour, topic, caller, area)
        n = day.size
        order = np.lexsort((rng.random(n), hour, day))
        day, hour, topic, caller, area = day[order], hour[order], topic[order], caller[order], area[order]
        return self._table(first_id, day, hour, topic, caller, area)

    def _plant(self, day: np.ndarray, hour: np.ndarray, topic: np.ndarray, caller: np.ndarray,
               area: np.ndarray) -> tuple[np.ndarray, ...]:
        """Extra rows of the planted patterns that fall in these days."""
        rng, extra = self.rng, []
        p = self.planted
        county_areas = {i: np.flatnonzero(self.area_county == i) for i in range(self.counties)}
        surge_day = day_number(p.surge_day)
        if np.any(day == surge_day):
            base = int(np.sum((day == surge_day) & (topic == 0) & (self.area_county[area] == 0)))
            k = max(30, 7 * base)
            extra.append((np.full(k, surge_day), rng.choice(24, k), np.zeros(k, int), rng.choice(self.n_customers, k),
                          rng.choice(county_areas[0], k)))
        first, last = int(day.min()), int(day.max())
        repeat_days = np.arange(first + 3, last + 1, 11)  # the repeat caller: every 11 days, on METERING
        if repeat_days.size:
            k = repeat_days.size
            extra.append((repeat_days, np.full(k, 10), np.full(k, 5), np.zeros(k, int),
                          np.full(k, self.customer_area[0])))
        risky_from = day_number(self.last) - 29
        risky = county_areas[self.counties - 1]
        recent = day[(day >= risky_from)]
        if recent.size:
            k = int(np.sum(np.isin(area[day >= risky_from], risky)))
            extra.append((rng.choice(recent, k), rng.choice(24, k), rng.choice(len(TOPICS), k),
                          rng.choice(self.n_customers, k), rng.choice(risky, k)))
        if not extra:
            return day, hour, topic, caller, area
        parts = list(zip(*extra, strict=True))
        return tuple(np.concatenate([base, *more]) for base, more in zip((day, hour, topic, caller, area), parts,
                                                                          strict=True))

    def _table(self, first_id: int, day: np.ndarray, hour: np.ndarray, topic: np.ndarray, caller: np.ndarray,
               area: np.ndarray) -> pa.Table:
        rng, n = self.rng, day.size
        risky = (self.area_county[area] == self.counties - 1) & (day >= day_number(self.last) - 29)
        family = np.where(topic < 3, 0, np.where((topic == 3) | (topic == 4), 1, 2))
        business = np.empty(n, dtype=np.int64)
        for code, mix in enumerate(BUSINESS_MIX.values()):
            rows = family == code
            business[rows] = rng.choice(len(BUSINESS), rows.sum(), p=mix / mix.sum())
        business[caller == 0] = 1  # the repeat caller complains
        channel = rng.choice(len(CHANNELS), n, p=CHANNEL_SHARE / CHANNEL_SHARE.sum())
        urgent = rng.random(n) < np.where(topic == 2, 0.4, 0.03) * np.where(risky, 3, 1)
        anonymous = rng.random(n) < 0.12
        received = ((day.astype(np.int64) * 24 + hour - 8) * 3600 + rng.integers(0, 3600, n)) * 1_000_000
        station = self.area_station[area]
        county = self.area_county[area]
        arrays = {
            "id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
            "received_at": pa.array(received, type=pa.timestamp("us", tz="UTC")),
            "received_date": pa.array(day.astype(np.int32), type=pa.int32()).cast(pa.date32()),
            "received_day": pa.array(day.astype(np.int32)),
            "received_hour": pa.array(hour.astype(np.int32)),
            "channel": _codes(CHANNELS, channel), "business_type": _codes(BUSINESS, business),
            "topic": _codes(TOPICS, topic), "factor": _codes(FACTORS, topic),
            "urgent": pa.array(urgent), "status": _codes(("archived", "dispatched"), (rng.random(n) < 0.05)),
            "department": _codes(("OPERATIONS", "MARKETING"), (family != 0).astype(np.int64)),
            "org_unit": _codes(self.area_codes, area),
            "org_path": pc.binary_join_element_wise(
                "/GV/", _codes(self.county_codes, county), "/", _codes(self.station_codes, station), "/",
                _codes(self.area_codes, area), "/", ""),
            "county": _codes(self.county_codes, county), "station": _codes(self.station_codes, station),
            "transformer_area": _codes(self.area_codes, area),
            "verdict": _codes(("satisfied", "basically_satisfied", "dissatisfied"),
                              rng.choice(3, n, p=[0.85, 0.1, 0.05]), null=rng.random(n) < 0.3),
            "urge_count": pa.array(rng.poisson(0.15, n).astype(np.int32)),
            "repeat_call_count": pa.array(rng.poisson(0.05, n).astype(np.int32)),
            "escalate_count": pa.array((rng.random(n) < np.where(business == 1, 0.08, 0.005)).astype(np.int32)),
            "rehandle_count": pa.array((rng.random(n) < 0.04).astype(np.int32)),
            "handler": pc.binary_join_element_wise("handler_", _codes(self.station_codes, station), ""),
            "customer_key": pa.array(self.customer_keys[caller], mask=anonymous),
            "phone_key": pa.array(np.where(anonymous, rng.integers(-(2**62), 2**62, n), self.phone_keys[caller])),
            "address_key": pa.array(self.address_keys[caller], mask=anonymous | (rng.random(n) < 0.3)),
            "content": self._texts(topic, business, station, risky, caller),
            "version": pa.array(rng.integers(3, 12, n).astype(np.int32)),
            "synthetic": pa.array(np.ones(n, dtype=bool)),
        }
        return pa.table([arrays[f.name] for f in APPEALS_SCHEMA], schema=APPEALS_SCHEMA)

    def _texts(self, topic: np.ndarray, business: np.ndarray, station: np.ndarray, risky: np.ndarray,
               caller: np.ndarray) -> pa.Array:
        rng, n = self.rng, topic.size
        phrase_list = [p for t in TOPICS for p in PHRASES[t]]
        offsets = np.cumsum([0] + [len(PHRASES[t]) for t in TOPICS])
        sizes = np.diff(offsets)
        phrase = offsets[topic] + (rng.random(n) * sizes[topic]).astype(np.int64)
        angry = (business == 1) | risky | (caller == 0)
        cue = np.where(rng.random(n) < np.where(angry, 0.25, 0.01), rng.integers(0, len(CUES), n), -1)
        mood = rng.random(n)
        tone = np.where(mood < np.where(angry, 0.6, 0.1), rng.integers(0, len(NEGATIVE), n), -1)
        praise = np.where((business == 6) | (mood > 0.93), rng.integers(0, len(POSITIVE), n), -1)
        staff_topic = (topic == 3) | (business == 6)
        staff = np.where(staff_topic & (rng.random(n) < 0.5), rng.integers(0, len(STAFF), n), -1)
        outlet = np.where(staff_topic & (rng.random(n) < 0.4), station, -1)
        return pc.binary_join_element_wise(
            _optional(self.station_codes, outlet, "到", "供电所营业厅，"),
            _optional(STAFF, staff, "", "师傅那边，"),
            _codes(tuple(phrase_list), phrase), _optional(NEGATIVE, tone), _optional(POSITIVE, praise),
            _optional(CUES, cue), "。", "")

    def write(self, root: Path) -> int:
        """Write the lake at `root` (replacing what was there); returns the number of appeals."""
        root = Path(root)
        total = 0
        for table in self.batches():
            month = month_of(day_from_number(int(pc.min(table["received_day"]).as_py())))
            files.write_atomic_parquet(files.partition_file(root, month), table)
            total += table.num_rows
        files.write_atomic_parquet(root / UNITS_FILE, self.units())
        return total


def _codes(values: tuple[str, ...] | list[str], index: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """Strings by index into `values`, built by Arrow (no Python string per row)."""
    indices = pa.array(np.asarray(index, dtype=np.int32), mask=null)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(values), pa.string())).cast(pa.string())


def _optional(values: tuple[str, ...] | list[str], index: np.ndarray, before: str = "", after: str = "") -> pa.Array:
    """values[index] wrapped in before/after where index ≥ 0, else an empty string."""
    texts = [f"{before}{v}{after}" for v in values] + [""]
    return _codes(texts, np.where(index >= 0, index, len(values)))
