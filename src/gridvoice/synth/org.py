"""A fictional city bureau: counties, supply stations, feeders, transformer areas and customers.

All names are invented from character lists; phone numbers start with 100, which no Chinese mobile or
landline number does, so a synthetic number can never reach a real person. Every row is flagged synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from gridvoice.org.service import UnitSpec

_CITY_NAMES = ("青禾", "澄江", "榕川", "霞屿", "松陵")
_PLACE_FIRST = tuple("东西南北上下新旧大小金银石水山河湖塘坑岭坪岗围洲湾沙田龙凤桂榕松柏梅竹")
_PLACE_SECOND = tuple("坪岭湖田塘溪村围洲湾沙坑岗头尾口背角埔坝墩寮厝")
_SURNAMES = tuple("陈李黄张林王刘吴郑梁何罗谢叶周邓曾钟赖杨蔡徐彭卢朱温邱廖何潘冯苏")
_GIVEN = tuple("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文玲德福海荣")
_TRADES = ("五金", "食品", "塑料", "纺织", "物流", "酒店", "家具", "陶瓷")
_ROADS = ("路", "街", "巷", "大道", "新村", "花园", "小区", "苑")
COUNTY_SUFFIX = ("区", "县", "县", "县", "市")  # the first county is the city's urban district


@dataclass(frozen=True)
class Territory:
    units: list[UnitSpec]
    feeders: list[dict[str, object]]
    transformer_areas: list[str]
    city_name: str


def place_name(rng: random.Random, taken: set[str]) -> str:
    for _ in range(1000):
        name = rng.choice(_PLACE_FIRST) + rng.choice(_PLACE_SECOND)
        if name not in taken:
            taken.add(name)
            return name
    name = f"{rng.choice(_PLACE_FIRST)}{rng.choice(_PLACE_SECOND)}{len(taken)}"
    taken.add(name)
    return name


def person_name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def build_territory(rng: random.Random, counties: int = 5, stations: int = 30,
                    transformer_areas: int = 2000) -> Territory:
    city_name = rng.choice(_CITY_NAMES)
    city = UnitSpec("GV", f"{city_name}市供电局", "city", None, "urban")
    units = [city]
    feeders: list[dict[str, object]] = []
    tas: list[str] = []
    taken: set[str] = set()
    station_codes: list[tuple[str, str]] = []
    for c in range(1, counties + 1):
        county_code = f"GV{c:02d}"
        suffix = COUNTY_SUFFIX[(c - 1) % len(COUNTY_SUFFIX)]
        county_class = "urban" if c == 1 else "rural"
        units.append(UnitSpec(county_code, f"{place_name(rng, taken)}{suffix}供电公司", "county", "GV",
                              county_class))
        per_county = stations // counties + (1 if c <= stations % counties else 0)
        for s in range(1, per_county + 1):
            code = f"{county_code}{s:02d}"
            if county_class == "urban":
                area = "urban" if s <= per_county - 1 else "rural"
            else:
                area = "urban" if s == 1 else ("remote" if rng.random() < 0.25 else "rural")
            units.append(UnitSpec(code, f"{place_name(rng, taken)}供电所", "station", county_code, area))
            station_codes.append((code, area))
    per_station = transformer_areas // len(station_codes)
    extra = transformer_areas % len(station_codes)
    for i, (station, area) in enumerate(station_codes):
        n_feeders = rng.randint(3, 6)
        station_feeders = [f"F{station}{k}" for k in range(1, n_feeders + 1)]
        for code in station_feeders:
            feeders.append({"code": code, "name": f"10kV{place_name(rng, taken)}线", "station": station,
                            "voltage_kv": 10, "synthetic": True})
        for t in range(1, per_station + (1 if i < extra else 0) + 1):
            code = f"{station}{t:03d}"
            units.append(UnitSpec(code, f"{place_name(rng, taken)}{t}号台区", "transformer_area", station, area,
                                  feeder=rng.choice(station_feeders)))
            tas.append(code)
    return Territory(units, feeders, tas, city_name)


def customer_rows(rng: random.Random, n: int, tas: list[str], ta_names: dict[str, str],
                  important_share: float = 0.002, sensitive_share: float = 0.004) -> list[dict[str, object]]:
    """Customers spread over transformer areas (uneven sizes, as in reality)."""
    weights = [rng.lognormvariate(0, 0.5) for _ in tas]
    chosen = rng.choices(tas, weights=weights, k=n)
    rows = []
    for i, ta in enumerate(chosen, start=1):
        residential = rng.random() < 0.9
        rows.append({
            "customer_no": f"03{i:08d}",
            "name": person_name(rng) if residential else f"{ta_names[ta][:2]}{rng.choice(_TRADES)}有限公司",
            "category": "residential" if residential else "non_residential",
            "important": (not residential) and rng.random() < important_share * 20,
            "sensitive": rng.random() < sensitive_share,
            "voltage_level": "220V" if residential else rng.choice(("380V", "380V", "10kV")),
            "transformer_area": ta,
            "address": f"{ta_names[ta][:2]}{rng.choice(_ROADS)}{rng.randint(1, 300)}号",
            "phone": f"100{rng.randint(0, 99_999_999):08d}",
            "synthetic": True,
        })
    return rows
