"""Synthetic customer-appeal texts (客户诉求工单内容) in Simplified Chinese and written Cantonese.

The texts seed the demo database and train the appeal classifier (jieba + character
n-grams), which is later judged on hand-written real-style appeals nobody here has seen.
A template per label would teach that classifier to spot template words, so every text
is composed from independently chosen parts instead:

* an opener that depends on the channel's register (an agent's formal summary, a
  transferred 12345/12398 order, a grid worker's note, a system notice, or the
  customer's own words in Mandarin, Cantonese or a mix of both);
* a situation drawn from one of several facets of the topic (each facet lists the
  business types it can serve), written with nested slots so that wording, details and
  numbers vary independently;
* optional detail, impact, background noise, emotion, a quoted customer sentence, an
  urgency cue (or, when not urgent, a harmless look-alike), an address and a closing;
* a demand phrase that carries the business type (repair, accountability, question,
  suggestion, thanks, application, urging, report), partly topic specific.

Parts are shuffled into several sentence orders, punctuation and typos are perturbed in
customer-written registers, and nothing is randomised outside the caller's
``random.Random`` so a seed reproduces a corpus exactly.

Labels follow ``shared/design/taxonomy.md``: e.g. rude staff during an outage is
STAFF_CONDUCT, a bank payment not credited is PAYMENT_TARIFF while an app payment is
DIGITAL_CHANNEL, delays inside a connection stay NEW_CONNECTION while delayed refunds,
replies, invoices and meter-test results are PROCESS_TIMELINESS, and the urgency cues are
exactly the four kinds the taxonomy names.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict

from gridvoice.domain.taxonomy import BusinessType, Channel, Topic

__all__ = [
    "BUSINESS_TYPES",
    "CHANNELS",
    "LABEL_MIX",
    "TOPICS",
    "TextContext",
    "generate_appeal_text",
    "random_context",
]

# The code lists come from the domain taxonomy so the generator can never drift from it.
BUSINESS_TYPES: tuple[str, ...] = tuple(b.value for b in BusinessType)
TOPICS: tuple[str, ...] = tuple(t.value for t in Topic)
CHANNELS: tuple[str, ...] = tuple(c.value for c in Channel)


@dataclass(frozen=True)
class TextContext:
    """Fictional facts a text may mention; the caller keeps them consistent with the record."""

    place: str  # fictional village/community/street, used in address mentions
    station_name: str  # fictional 供电所, e.g. "东坪供电所"
    person_surname: str  # fictional customer surname
    staff_surname: str  # fictional staff surname for staff-conduct texts
    phone_tail: str  # 4 digits, rarely mentioned
    amount_yuan: int  # plausible money amount for billing texts
    kwh: int  # plausible consumption
    days: int  # plausible day count ("等了3天")


def _alts(text: str) -> list[str]:
    """Split ``a|b|c`` phrase data; empty alternatives are kept on purpose (optional words)."""
    return text.split("|")


# ---------------------------------------------------------------------------------------
# Fictional names. Built from character lists so no real town or person is named; some
# characters are left out on purpose so the evaluation set's invented names cannot be
# produced by chance.
# ---------------------------------------------------------------------------------------
_SURNAMES = _alts(
    "陈|李|黄|张|王|刘|林|何|梁|郭|罗|吴|周|谢|邓|郑|冯|曾|彭|蔡|许|潘|杜|苏|叶|钟|卢|"
    "谭|莫|麦|区|关|温|邱|骆|韦|伍|江|方|余|严|赖|廖|巫|柯|邝|冼|欧阳|司徒|上官"
)
_NAME_HEAD = (
    "东西南上下大小新中前后石水山林竹松柏梅兰荷莲茶枫杏桃金银玉龙凤鹤雁燕鹿"
    "黄红青文武安平和福寿康宁德永长兴盛广宏光明华春秋云霞塘湖江河洲浦港田古高"
)
_NAME_TAIL = "头尾口边塘岭岗坡湖湾港洲田园林山峰桥亭庄冈埔围沥涌坊屯寨堡滘墩埗"
_PLACE_FORMS = _alts(
    "{a}{b}村|{a}{b}村|{a}{b}{c}村|{a}{b}社区|{a}{b}花园|{a}{b}小区|{a}{b}雅苑|{a}{b}新村|"
    "{a}{b}家园|{a}{b}街|{a}{b}路|{a}{b}里|{a}{b}工业区|{a}{b}镇{c}{d}村|{a}{b}新城|{a}{b}坊"
)
_DISTRICT_FORMS = _alts("{a}{b}区|{a}{b}镇|{a}{b}街道|{a}{b}县")


def _pick(rng: random.Random, seq: list[str] | tuple[str, ...] | str) -> str:
    # rng.random() is several times faster than rng.choice(); speed matters for corpora.
    return seq[int(rng.random() * len(seq))]


# Two-character stems the lists above could produce that are real cities, districts or
# counties; they are redrawn so no generated address points at a real place.
_REAL_STEMS = frozenset(
    _alts(
        "龙口|江口|湖口|河口|龙岗|鹤岗|东湖|西湖|南湖|金湾|龙湾|东港|福田|青田|古田|大田|玉林|石林|中山|黄山|"
        "文山|江山|南山|东山|松山|金山|龙山|青山|平山|兰山|红山|鹤山|武山|玉山|铜山|竹山|雁山|黄冈|黄埔|大埔|"
        "长岭|东洲|白云|天河|南海|花都"
    )
)


def _stem(rng: random.Random) -> str:
    while True:
        stem = _pick(rng, _NAME_HEAD) + _pick(rng, _NAME_TAIL)
        if stem not in _REAL_STEMS:
            return stem


def _fill_name(rng: random.Random, form: str) -> str:
    first, second = _stem(rng), _stem(rng)
    return form.format(a=first[0], b=first[1], c=second[0], d=second[1])


def random_context(rng: random.Random) -> TextContext:
    """Draw a fictional context; all names are compositional, all numbers plausible."""
    place = _fill_name(rng, _pick(rng, _PLACE_FORMS))
    if rng.random() < 0.18:
        place = _fill_name(rng, _pick(rng, _DISTRICT_FORMS)) + place
    station = _stem(rng) + "供电所"
    # Log-uniform: most bills are small, a few are large.
    amount = int(math.exp(rng.uniform(math.log(25), math.log(3200))))
    kwh = int(math.exp(rng.uniform(math.log(60), math.log(1600))))
    days = _pick(rng, (1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 7, 8, 10, 12, 14, 15, 20, 25, 30))
    return TextContext(
        place=place,
        station_name=station,
        person_surname=_pick(rng, _SURNAMES),
        staff_surname=_pick(rng, _SURNAMES),
        phone_tail=f"{int(rng.random() * 10000):04d}",
        amount_yuan=amount,
        kwh=kwh,
        days=days,
    )


# ---------------------------------------------------------------------------------------
# Phrase data. Every value is "alt|alt|...". "{slot}" refers to another slot, resolved in
# the same register (see _CHAINS); slots can nest. Registers:
#   agent   - 95598 agent's formal third-person summary
#   counter - service-hall agent (falls back to agent)
#   gov     - order transferred by 12345 (falls back to agent)
#   reg     - order transferred by 12398 (falls back to gov, agent)
#   field   - grid worker's note (falls back to agent)
#   sys     - system-generated proactive notice (falls back to agent)
#   plain   - the customer's own Mandarin, colloquial
#   yue     - the customer's written Cantonese (falls back to plain, so the mix is natural)
# ---------------------------------------------------------------------------------------
_LEX: dict[str, dict[str, str]] = {
    "common": {
        "hrs": "两|三|四|五|六|七八|十几|2|3|4|5|6|8|10|十来",
        "times": "两|三|四|五|好几|3|4|5|6|七八",
        "nth": "二|三|四|2|3|4|五",
        "mins": "20|30|40|50|60|90|40多|二十|三十",
        "n_hh": "三|四|五|六|七八|十来|几|3|5|6|8",
        "wd": "3|5|7|十|五|三|10",
        "clock": "3|4|5|6|四|五",
        "price": "1.2|1.5|1.8|2|1块5|一块五|1.3",
        "amount_small": "3|5|8|12|20|几|十几|二十几|6",
        "few": "两|三|两三|2|3|几|四",
    },
    "agent": {
        "cust": "客户|客户|客户|客户|客户|该客户|来电客户|{mr}",
        "home": "其家中|家中|客户家中|其住处|其住宅|该户|其家|客户家里|其居住的房屋|家里|其家里",
        "shop": "其经营的店铺|其店面|客户商铺|其厂房|其出租屋|其老家房屋|其门店|其仓库",
        "prem": "{home}|{home}|{home}|{shop}",
        "t_when": "今日上午|今天下午|今晚|今晨|昨晚|昨天傍晚|今天中午|今日凌晨|今天早上8点左右|"
        "下午3点多|晚上9点左右|昨日下午|约1小时前|今日10时许|19时左右|晚饭时|半小时前",
        "t_since": "自{t_when}起|从{t_when}开始|{t_when}开始|于{t_when}|{t_when}起",
        "t_recent": "近期|近一个月来|最近一段时间|本月以来|今年入夏以来|近半年|近两周|这段时间",
        "nopower": "停电|无电|突然停电|全部无电|突然断电|失电|一直无电|没有电|断电",
        "neighbor": "周边邻居家中有电|邻居家也无电|隔壁几户同样停电|不清楚周边是否停电|"
        "同楼其他住户用电正常|附近路灯也不亮|对面住户有电|仅其一户无电",
        "dur": "至今仍未恢复|至今未来电|已停电约{hrs}小时|持续{hrs}个多小时|到目前仍无电|"
        "目前仍未恢复供电|已经{hrs}小时",
        "spot": "村口|路边|巷子里|菜市场旁|学校门口附近|小区门口|楼道内|屋后|桥头|"
        "停车场入口|公交站旁|鱼塘边|祠堂旁|篮球场边",
        "addr": "地址：{place}|地址：{place}{num}号|地址为{place}|客户地址{place}{num}号|"
        "位于{place}|用电地址：{place}{num}号|户址{place}",
    },
    "counter": {
        "cust": "客户|客户|客户|该客户|{mr}",
    },
    "gov": {
        "cust": "市民|市民|来电人|诉求人|该市民|{mr}",
        "home": "其家中|市民家中|其住处|来电人家中|其家|家中",
        "shop": "其经营的商铺|其店面|其厂房|其出租屋",
        "addr": "地址：{district}{place}|地址：{place}{num}号|市民地址为{district}{place}|"
        "涉及地址：{place}|具体位置：{place}",
    },
    "reg": {
        "cust": "来电人|来电人|该来电人|{mr}",
        "home": "其家中|来电人家中|其住处|其家|家中",
        "addr": "地址：{district}{place}|涉及地址：{place}{num}号|来电人地址为{place}|具体位置：{place}",
    },
    "field": {
        "cust": "用户|该用户|用户|户主",
    },
    # Observation registers: the worker or the system names the premises itself.
    "field_obs": {
        "cust": "用户|该用户|户主",
        "home": "该户|用户家中|该用户家中|{place}{num}号用户|该户家中",
        "shop": "该商户|该厂房用户|该店铺",
    },
    "sys_obs": {
        "cust": "用户|客户",
        "home": "该户|该用户|户号尾号{tail}的用户|该户家中",
        "shop": "该商户|该企业用户",
    },
    "plain": {
        "cust": "我|我|本人",
        "home": "我家|家里|我们家|屋里|我这|我家里|家里面|俺家|我住的地方|我租的房子",
        "shop": "我店里|我们店|我们厂里|店面|我开的小店|工地上|仓库",
        "prem": "{home}|{home}|{home}|{shop}",
        "t_when": "今天早上|刚刚|刚才|昨晚|下午两点多|中午|晚上八点多|半夜|今天一早|傍晚|"
        "前天晚上|刚下班回来的时候|十分钟前|吃饭的时候",
        "t_since": "从{t_when}开始|{t_when}|{t_when}就|从{t_when}到现在",
        "t_recent": "最近|这段时间|这个月|今年夏天|这半年|入夏以来|这阵子|这几个礼拜",
        "nopower": "没电了|停电了|突然没电了|断电了|一点电都没有|没电|停电|全黑了|灯都不亮了|断电",
        "neighbor": "邻居家有电|隔壁也没电|对面楼有电|就我家没电|左右邻居好像也停了|不知道别人家有没有电|楼下有电",
        "dur": "到现在还没来电|已经好几个小时了|{hrs}个小时了|一直没来|等到现在|到现在都没恢复",
        "spot": "村口|路边|巷子里|菜市场旁边|学校门口|小区门口|楼道里|屋后面|桥头那里|"
        "停车场门口|鱼塘边上|公交站那|祠堂边上",
        "addr": "地址{place}|{place}这边|我在{place}|{place}{num}号|住{place}",
    },
    "yue": {
        "home": "屋企|我屋企|我哋屋企|我间屋|屋企度|我住嗰度|我租嗰间屋",
        "shop": "间铺|我间铺|铺头|厂度|我哋厂|个货仓",
        "t_when": "今朝|琴晚|头先|啱啱|下昼两点几|晏昼|夜晚八点几|半夜|今朝早|挨晚|前晚|"
        "放工返到屋企嗰阵|十分钟前|食饭嗰阵",
        "t_since": "由{t_when}开始|{t_when}|{t_when}已经|由{t_when}到而家",
        "t_recent": "最近|呢排|呢个月|今年夏天|呢半年|呢阵|呢几个礼拜",
        "nopower": "冇电|冇咗电|停咗电|突然冇电|冇晒电|成间屋冇电|啲灯全部唔着|断咗电",
        "neighbor": "隔篱屋有电|隔篱都冇电|得我一家冇电|对面楼有电喎|左右邻居都系咁|唔知人哋有冇电|楼下有电",
        "dur": "到而家都未有电|已经几个钟|{hrs}个钟头喇|一直都未嚟|等到而家|到而家都未恢复",
        "spot": "村口|路边|条巷度|街市隔篱|学校门口|小区门口|楼梯度|屋后面|桥头|停车场门口|鱼塘边|祠堂隔篱",
        "addr": "地址{place}|{place}呢边|我喺{place}|{place}{num}号|住{place}",
    },
}


class _FacetSpec(TypedDict, total=False):
    """One sub-issue of a topic; ``bts`` says which business types it can carry and how often."""

    bts: dict[str, float]
    obs: bool  # agent wording also reads well after a grid worker's "巡视发现"
    sit: dict[str, str]  # register -> situation alternatives
    det: dict[str, str]  # register -> optional extra detail
    sysobs: str  # system-notice wording (PROACTIVE), agent register otherwise
    fieldobs: str  # grid worker's own observation wording (FIELD)


# Topic-level lexical slots, merged into _LEX below.
_TOPIC_LEX: list[dict[str, dict[str, str]]] = []
_FACETS: dict[str, dict[str, _FacetSpec]] = {}

# ---- OUTAGE ---------------------------------------------------------------------------
_TOPIC_LEX.append(
    {
        "agent": {
            "freq": "本月已停电{times}次|一周内停了{times}次|几乎每天都要停一两次|每逢下雨就停电|"
            "一到用电高峰就跳闸|今年以来停电次数明显增多|晚上经常停电|每次停电{hrs}小时左右",
            "late": "迟迟未到场|超过{hrs}小时仍未到达现场|一直未到|称马上到但至今未见人|"
            "未按承诺时间到达|到场后未处理即离开",
            "row": "一排房屋|沿街几间商铺|同一单元几户|附近几户人家|同一巷子几户",
            "fast": "半小时内|不到一小时|二十多分钟|接单后很快|冒雨",
        },
        "plain": {
            "freq": "这个月都停了{times}次了|一个礼拜停{times}回|隔三差五就停|一下雨就停|天一热就停|"
            "天天停|停了来来了停|一开空调就跳",
            "late": "到现在都没人来|说好一个小时到，结果等到现在|来了看一眼就走了|一直说在路上|打电话就说在排队",
            "row": "一排|几户|一条巷子的几家|楼上楼下几家",
            "fast": "半个小时|不到一个小时|二十分钟|没多久|很快",
        },
        "yue": {
            "freq": "呢个月都停咗{times}次|一个礼拜停{times}次|隔两日就停|一落雨就停|一热就跳掣|"
            "日日都停|一开冷气就跳掣",
            "late": "到而家都未见人|话一个钟到，等到而家|嚟咗睇一眼就走咗|成日话喺路上|打去就话排紧队",
            "row": "一排屋|几户|条巷几家|楼上楼下几家",
            "fast": "半个钟|唔使一个钟|廿分钟|冇几耐|好快",
        },
    }
)
_FACETS["OUTAGE"] = {
    "now": {
        "bts": {"REPAIR": 1.0, "URGE": 0.9, "INQUIRY": 0.25, "COMPLAINT": 0.12},
        "obs": True,
        "sit": {
            "agent": "{prem}{t_since}{nopower}|{prem}{t_since}{nopower}，{neighbor}|"
            "{t_when}{prem}{nopower}，{neighbor}|{prem}{nopower}，总开关合不上|"
            "{prem}{nopower}，电表指示灯不亮|{prem}{nopower}，户内空开正常|{place}{num}号{nopower}|"
            "{prem}{t_since}{nopower}，{dur}|{prem}一半房间有电一半无电|"
            "{prem}突然跳闸后{nopower}，自行检查未发现问题|{prem}所在楼栋一个单元{nopower}|"
            "{prem}{t_since}{nopower}，已确认非欠费原因|{prem}{t_since}灯光闪了几下后{nopower}",
            "plain": "{prem}{t_since}{nopower}|{t_when}{prem}{nopower}，{neighbor}|"
            "{prem}{nopower}，闸推不上去|一回来发现{prem}{nopower}|{prem}{nopower}，看了电表也不亮|"
            "我们{place}这边{nopower}|{prem}{nopower}，灯不亮空调也停了|{prem}又停电了|{prem}{t_since}{nopower}，{dur}|"
            "{prem}有一半的插座没电|{prem}跳闸了，合上又跳，现在{nopower}|{place}{num}号{nopower}|"
            "{prem}{nopower}，电费没欠|{prem}{nopower}|{nopower}，{neighbor}",
            "yue": "{prem}{t_since}{nopower}|{t_when}返到屋企发现{nopower}|{prem}{nopower}，个总掣推唔上|"
            "我哋{place}呢边{nopower}|{prem}{nopower}，{neighbor}|{prem}{nopower}，电表都唔着灯|"
            "{prem}一半房有电一半冇电|{prem}跳咗掣，推返上去又跳，而家{nopower}|{place}{num}号{nopower}|"
            "{prem}{t_since}{nopower}，{dur}|{prem}{nopower}，电费冇欠㗎|{prem}{nopower}",
        },
        "det": {
            "agent": "{cust}已自行检查户内开关|{cust}称未使用大功率电器|{cust}表示不清楚停电原因|"
            "{cust}称天黑后出行不便|{cust}现不在家，由家人告知|{cust}称室内无异味异响|"
            "{cust}称停电前电灯闪烁",
            "plain": "自己家的闸都看过了没问题|没开什么大电器|不知道什么原因|手机也快没电了|"
            "我不在家，我妈打电话说的|也没听到什么声音|停之前灯闪了几下",
            "yue": "自己睇过个掣冇问题|冇开乜嘢大电器|唔知咩原因|部手机都就快冇电|"
            "我唔喺屋企，阿妈打电话话我知|停之前啲灯闪咗几下",
        },
        "sysobs": "用电信息采集系统显示{home}电能表{hrs}小时无电压数据，疑似停电|"
        "配电自动化系统监测到{place}台区低压出线开关跳闸，{n_hh}户失电|"
        "智能电表上报{home}失压告警，持续{mins}分钟|{home}电能表停电事件告警，尚未复电",
    },
    "frequent": {
        "bts": {"COMPLAINT": 1.0, "OPINION": 0.8, "INQUIRY": 0.35, "REPAIR": 0.2, "URGE": 0.15},
        "sit": {
            "agent": "{prem}所在区域{t_recent}频繁停电，{freq}|{place}一带{freq}，每次停电时间不等|"
            "{t_recent}{prem}已停电{times}次|{prem}{t_recent}经常无故停电，{freq}|该片区线路频繁跳闸，{freq}|"
            "{place}{t_recent}反复停电，{freq}，严重影响生活|{prem}{freq}，每次停电都没有任何说明|"
            "{place}供电可靠性差，{freq}",
            "plain": "{place}这边{freq}|我们这{freq}|{t_recent}老是停电，{freq}|{prem}{freq}，也不知道什么原因|"
            "怎么又停电了，{freq}|{prem}三天两头停电|这{t_recent}停电停得太频繁了，{freq}|{place}一到晚上就停电",
            "yue": "{place}呢度{freq}|成日停电，{freq}|我哋呢边{freq}，都唔知咩原因|点解又停电，{freq}|"
            "{t_recent}停电停到痴线，{freq}|{prem}三日两头冇电",
        },
        "det": {
            "agent": "{cust}称每次停电后都能自行恢复|{cust}称多次报修均未彻底解决|{cust}称周边住户也有同样情况|"
            "{cust}怀疑线路负荷过重|{cust}称停电多发生在晚饭时间",
            "plain": "每次停一会又来|报修过好几次都没根治|周围邻居都一样|估计是线路太老了|一般都是晚上做饭的时候停",
            "yue": "每次停一阵又有返|报过几次都冇搞掂|周围啲街坊都系咁|估计啲线太旧",
        },
        "sysobs": "系统统计{place}台区近30天停电{times}次，触发频繁停电预警|"
        "{home}近两个月停电{times}次，列入频繁停电用户",
    },
    "slow_repair": {
        "bts": {"COMPLAINT": 0.8, "URGE": 0.9, "REPAIR": 0.2},
        "sit": {
            "agent": "{prem}{t_when}停电后已报修，抢修人员{late}|停电报修后抢修人员{late}，至今仍未恢复供电|"
            "{prem}停电已{hrs}小时，抢修进度缓慢|抢修人员到场后称需等材料，{dur}|"
            "{prem}停电后多次致电{station}，对方称马上派人，但{late}|{prem}停电报修超过{hrs}小时，抢修人员{late}",
            "plain": "{t_when}停的电，报修了{late}|{prem}停电一天多了，{late}|报修之后{late}，天这么热怎么过|"
            "停电打了电话，{late}|来修的人说要等材料，{dur}|等抢修等了{hrs}个小时，{late}",
            "yue": "{t_when}停嘅电，报咗修{late}|{prem}停咗成日电，{late}|报咗修之后{late}，咁热点过啊|"
            "嚟整嘅人话要等材料，{dur}|等抢修等咗{hrs}个钟，{late}",
        },
    },
    "area": {
        "bts": {"REPAIR": 0.45, "INQUIRY": 0.3, "URGE": 0.15},
        "obs": True,
        "sit": {
            "agent": "{place}附近{n_hh}户居民{t_since}{nopower}|{place}{row}{t_since}{nopower}|"
            "{place}部分住户{nopower}，{dur}|{place}{num}号周边几户{nopower}|{place}沿街几间商铺{t_since}{nopower}",
            "plain": "我们这{row}都{nopower}|{place}这边几户都{nopower}|我们这排房子都没电|"
            "{place}巷子里几家都{nopower}|附近几家都黑了",
            "yue": "我哋呢{row}都{nopower}|{place}呢度几家都{nopower}|条巷几家都冇电|附近几间都黑晒",
        },
        "sysobs": "配电自动化系统监测到{place}{n_hh}户同时失电|{place}台区低压分支线路跳闸，影响{n_hh}户",
    },
    "q_restore": {
        "bts": {"INQUIRY": 1.0},
        "sit": {
            "agent": "询问{place}停电原因及预计复电时间|咨询{prem}停电是否为计划停电，何时恢复供电|"
            "询问本次停电是线路故障还是计划检修|想了解{place}{t_when}停电的原因|"
            "称{prem}{t_since}{nopower}，询问何时能恢复|询问{place}停电大概什么时候来电|咨询停电范围及抢修进度|"
            "称{prem}{nopower}，想知道是否正在抢修",
            "plain": "{place}怎么停电了？什么时候能来电？|停电了，大概几点能来电|想问下是不是在检修，几点恢复|"
            "停电是线路坏了还是怎么回事？要停多久|问下{place}停电要到几点|{prem}{nopower}，是你们那边的问题吗？|"
            "请问现在是在抢修吗，多久能好|现在停电是计划的还是故障啊",
            "yue": "想问下{place}点解冇电，几时有返电？|请问几点先有电啊|系咪维修紧？要停几耐|冇电喎，几时恢复啊|"
            "{prem}{nopower}，系咪你哋嗰边出问题？|而家停电系计划定系故障啊",
        },
    },
    "praised": {
        "bts": {"PRAISE": 1.0},
        "sit": {
            "agent": "{t_when}{prem}停电，抢修人员{fast}到达现场，很快恢复供电|"
            "{place}因故障停电，抢修班组连夜作业，{t_when}恢复供电|大风天气后抢修人员冒雨作业，{prem}当天就恢复了用电|"
            "{prem}停电报修后，{staff}师傅{fast}赶到并排除故障|抢修人员不仅恢复了供电，还帮忙检查了户内线路|"
            "停电期间供电所主动发短信告知抢修进度|抢修人员连夜更换故障设备，天亮前恢复供电|"
            "台风期间抢修队伍坚守一线，供电很快恢复",
            "plain": "昨晚停电，师傅们大半夜过来修，一个多钟头就来电了|{t_when}停电，报修后{fast}就有人来了，很快修好|"
            "下大雨还停电，你们的人冒雨抢修，很快就来电了|{staff}师傅来修电，态度好又专业，很快就好了|"
            "停电才报修，{fast}师傅就到了|停电的时候一直有短信告诉进度|半夜换设备，天亮前就来电了|"
            "台风天你们的人一直在外面抢修",
            "yue": "琴晚冇电，啲师傅冒雨嚟整，好快就有返电|{t_when}停电，报修之后{fast}就有人嚟，好快搞掂|"
            "{staff}师傅嚟整电，态度好又专业|落大雨都冇电，你哋啲同事冒雨抢修，好快有返电|停电嗰阵一直有短讯讲进度|"
            "半夜换设备，天光之前就有电|打风你哋啲人一直喺出面抢修",
        },
    },
    "mild": {
        "bts": {"OPINION": 0.6},
        "sit": {
            "agent": "{place}线路较为老旧，{t_recent}偶有停电|{place}供电线路负荷较重，夏季容易停电|"
            "{prem}所在片区停电时有发生|停电虽然时间不长，但每次都不清楚原因",
            "plain": "我们这{t_recent}偶尔停电，虽然时间不长|{place}线路太旧了，夏天容易停|"
            "停电倒不多，就是每次都不知道原因",
            "yue": "我哋呢度{t_recent}间中停电，虽然唔系好耐|{place}啲线太旧，夏天好易停",
        },
    },
}

# ---- VOLTAGE --------------------------------------------------------------------------
_TOPIC_LEX.append(
    {
        "agent": {
            "low_sym": "空调无法启动|灯光昏暗|冰箱无法正常制冷|热水器无法使用|电磁炉无法加热|"
            "自测电压仅{volt}伏左右|电器频繁自动关机|水泵抽不上水|日光灯启动不了",
            "t_period": "每到傍晚|每晚七点至十点|夏季用电高峰时段|{t_recent}|每天晚饭时间",
            "flicker": "灯光忽明忽暗|电器时好时坏|电视机频繁自动重启|电脑多次断电重启|变频空调频繁报故障|LED灯一直闪",
            "broken_app": "电视机|冰箱|空调外机|路由器|洗衣机主板|热水器|电饭煲|电脑电源",
        },
        "plain": {
            "low_sym": "空调开不起来|灯暗得看不清|冰箱不制冷|热水器烧不了水|电饭煲煮不熟饭|用电笔测只有{volt}伏|"
            "洗衣机转不动|水泵带不动|电视自己关机",
            "t_period": "一到晚上|晚上七八点|夏天一到|{t_recent}|每天做饭的时候",
            "flicker": "灯一会亮一会暗|电器时好时坏|电视老是自己重启|电脑经常断电|空调老报故障|眼睛都看花了",
            "broken_app": "电视|冰箱|空调|路由器|洗衣机|热水器|电饭煲|电脑",
        },
        "yue": {
            "low_sym": "冷气开唔到|啲灯暗到睇唔到嘢|雪柜唔冻|热水炉用唔到|电饭煲煲唔熟饭|量过得{volt}伏|"
            "洗衣机转唔郁|水泵抽唔到水",
            "t_period": "一到夜晚|夜晚七八点|一到夏天|{t_recent}|日日煮饭嗰阵",
            "flicker": "一阵光一阵暗|啲电器时好时唔好|部电视成日自己重启|部电脑成日断电|冷气成日报故障",
            "broken_app": "电视|雪柜|冷气|路由器|洗衣机|热水炉|电饭煲|电脑",
        },
    }
)
_FACETS["VOLTAGE"] = {
    "low": {
        "bts": {"REPAIR": 1.0, "COMPLAINT": 0.8, "URGE": 0.7, "OPINION": 0.8, "INQUIRY": 0.4},
        "obs": True,
        "sit": {
            "agent": "{prem}电压偏低，{low_sym}|{prem}{t_period}电压不足，{low_sym}|"
            "{place}一带晚间用电高峰电压偏低，{low_sym}|{prem}{t_recent}电压低，{low_sym}|"
            "{prem}使用电器时电压明显偏低，{low_sym}|{place}末端用户电压长期偏低，{low_sym}|{prem}电压过低，{low_sym}",
            "plain": "{prem}电压太低了，{low_sym}|{t_period}电压就低，{low_sym}|{prem}{t_recent}电压不够，{low_sym}|"
            "{place}这边电压低得很，{low_sym}|{prem}电不够用，{low_sym}|一到晚上{low_sym}，肯定是电压低|"
            "电压低到{volt}伏，{low_sym}",
            "yue": "{prem}电压好低，{low_sym}|{t_period}电压就唔够，{low_sym}|{place}呢度电压低到死，{low_sym}|"
            "一到夜晚{low_sym}，实系电压低|电压得{volt}伏，{low_sym}",
        },
        "det": {
            "agent": "{cust}称白天电压基本正常|{cust}已自购稳压器但效果不明显|{cust}称附近新建了不少房屋|"
            "{cust}称同一台区其他住户也有类似情况",
            "plain": "白天还好，一到晚上就不行|自己买了个稳压器也没用|附近新盖了好多房子|邻居家也一样",
            "yue": "日头仲好，一到夜晚就唔得|自己买咗个稳压器都冇用|附近起咗好多新屋|隔篱屋都系咁",
        },
        "sysobs": "电压监测系统发现{place}台区末端电压偏低，最低{volt}伏|"
        "{place}台区{days}日内电压越下限累计{hrs}小时|用电信息采集数据显示{home}电压持续低于198伏，最低{volt}伏",
    },
    "unstable": {
        "bts": {"REPAIR": 0.7, "COMPLAINT": 0.5, "INQUIRY": 0.3, "OPINION": 0.3, "URGE": 0.3},
        "obs": True,
        "sit": {
            "agent": "{prem}电压不稳，{flicker}|{prem}{t_recent}电压忽高忽低，{flicker}|{prem}灯光频繁闪烁，{flicker}|"
            "{place}电压波动较大，{flicker}",
            "plain": "家里灯一闪一闪的，{flicker}|{prem}电压不稳定，{flicker}|{t_recent}电压忽高忽低，{flicker}|"
            "灯老是闪，{flicker}",
            "yue": "屋企啲灯闪下闪下，{flicker}|{prem}电压唔稳，{flicker}|啲灯成日闪，{flicker}",
        },
        "sysobs": "监测发现{place}台区三相不平衡度超限，末端电压波动较大|{home}电压曲线波动频繁，疑似接触不良",
    },
    "high": {
        "bts": {"REPAIR": 0.5, "COMPLAINT": 0.6, "URGE": 0.2, "INQUIRY": 0.2},
        "obs": True,
        "sit": {
            "agent": "{prem}电压过高，灯泡频繁损坏|{prem}实测电压达{volt_hi}伏，多台电器损坏|"
            "{prem}{t_when}电压异常升高，{broken_app}损坏|{prem}因电压异常导致{broken_app}损坏",
            "plain": "{prem}电压太高了，灯泡老是坏|电压突然变高，{broken_app}坏了|量了一下有{volt_hi}伏，太高了|"
            "{t_when}电压不正常，把{broken_app}弄坏了",
            "yue": "{prem}电压太高，啲灯泡成日坏|电压突然升高，整坏咗部{broken_app}|量过有{volt_hi}伏，太高喇",
        },
        "sysobs": "监测发现{home}电压最高达{volt_hi}伏，超过上限",
    },
    "fixed": {
        "bts": {"PRAISE": 1.0},
        "sit": {
            "agent": "{prem}此前电压偏低，{station}改造线路后电压恢复正常|"
            "{place}台区改造后电压稳定，空调也能正常使用了|"
            "反映电压低问题后，供电所很快更换了变压器|工作人员上门实测电压并调整了接线，问题已解决|"
            "更换新变压器后，{cust}家空调终于能正常使用|台区改造后电压稳定，灯也不闪了",
            "plain": "之前电压低，你们来改了线路，现在空调都能开了|反映电压低之后很快就来处理了，现在灯也亮了|"
            "换了新变压器后电压稳多了|换了变压器，空调终于能开了|改造后灯不闪了",
            "yue": "之前电压低，你哋嚟整过条线，而家冷气开得喇|反映咗电压低之后好快有人嚟处理，而家啲灯光晒|"
            "换咗新变压器之后电压稳好多|换咗变压器，冷气终于开得|改造之后啲灯唔闪喇",
        },
    },
    "q_std": {
        "bts": {"INQUIRY": 0.8},
        "sit": {
            "agent": "咨询居民用电正常电压范围|询问{prem}实测电压{volt}伏是否正常|咨询电压偏低是否由供电公司负责处理|"
            "询问电压低导致电器损坏能否申请赔偿|询问{place}电压偏低问题是否有改造计划",
            "plain": "想问下正常电压应该是多少，{prem}只有{volt}伏正常吗？|电压低是你们管还是物业管？|"
            "电压低把电器弄坏了能赔吗|{place}电压低有没有打算改造？",
            "yue": "想问下正常电压应该几多？{prem}得{volt}伏系咪正常？|电压低系你哋管定物业管？|"
            "电压低整坏咗电器赔唔赔㗎？",
        },
    },
}

# ---- FACILITY_SAFETY ------------------------------------------------------------------
_FACETS["FACILITY_SAFETY"] = {
    "wire_low": {
        "bts": {"REPAIR": 1.0, "URGE": 0.5, "COMPLAINT": 0.4, "OPINION": 0.3},
        "obs": True,
        "sit": {
            "agent": "{place}{spot}低压线下垂，离地面较近|{spot}电线被货车挂到后松脱下垂|"
            "{place}{spot}一根导线松弛下垂，影响车辆通行|{spot}的通信线与电力线缠绕在一起，导线下垂|"
            "{place}{spot}电线垂得很低，大车经过容易挂到",
            "plain": "{place}{spot}的电线垂得很低|{spot}那根电线都快碰到头了|{spot}有根线被车挂松了，吊在半空|"
            "{spot}电线太低，货车过不去",
            "yue": "{place}{spot}啲电线吊到好低|{spot}条电线就嚟掂到个头|{spot}有条线俾车挂松咗，吊喺半空|"
            "{spot}条电线太低，货车过唔到",
        },
    },
    "pole": {
        "bts": {"REPAIR": 0.8, "URGE": 0.4, "COMPLAINT": 0.3, "OPINION": 0.2, "INQUIRY": 0.2},
        "obs": True,
        "sit": {
            "agent": "{place}{spot}有一根电杆略有倾斜|{spot}水泥电杆底部开裂|{spot}电杆拉线松脱|"
            "{place}{spot}电杆被车撞后有裂痕|{spot}一根电杆根基被雨水冲刷松动",
            "plain": "{spot}有根电线杆有点歪|{spot}电线杆底下裂开了|{spot}电线杆的拉线松了|"
            "{spot}电线杆被车撞了一下，有裂缝|下雨后{spot}电线杆底下的土被冲走了",
            "yue": "{spot}有条电线杆有啲歪|{spot}条电线杆底裂咗|{spot}条电线杆嘅拉线松咗|"
            "{spot}电线杆俾车撞咗，有条裂痕",
        },
    },
    "meterbox": {
        "bts": {"REPAIR": 0.9, "URGE": 0.4, "COMPLAINT": 0.4, "INQUIRY": 0.4, "OPINION": 0.2},
        "obs": True,
        "sit": {
            "agent": "{place}{num}号楼道表箱门损坏无法关闭|{prem}表箱锈蚀严重，箱门脱落|"
            "{spot}表箱玻璃破损，雨水可能进入|"
            "{prem}表箱门锁损坏，箱体敞开|{place}表箱被车辆撞歪，箱门变形|{prem}表箱外壳破损，内部接线杂乱",
            "plain": "{spot}表箱门坏了关不上|电表箱锈得厉害，门都掉了|表箱玻璃碎了，下雨会进水|"
            "电表箱门一直开着，锁坏了|"
            "表箱被车撞歪了",
            "yue": "{spot}个电表箱门坏咗，闩唔埋|电表箱生晒锈，道门都跌咗|表箱块玻璃烂咗，落雨会入水|"
            "电表箱度门一直开住，把锁坏咗",
        },
    },
    "tree": {
        "bts": {"REPAIR": 0.7, "OPINION": 0.3, "INQUIRY": 0.4, "COMPLAINT": 0.3, "URGE": 0.3},
        "obs": True,
        "sit": {
            "agent": "{place}{spot}树枝压在电线上|{spot}竹子长到电力线上方|{spot}大树树冠与高压线距离过近|"
            "{spot}树木长高后与导线碰触，风大时摩擦|{spot}藤蔓沿电杆爬到线路上",
            "plain": "{spot}的树枝压着电线|{spot}竹子长到电线上了|树长太高碰到电线了，风一吹就蹭|"
            "{spot}有藤缠到电线杆上去了",
            "yue": "{spot}啲树枝压住条电线|啲竹长到上电线度|棵树生得太高，掂到条电线，一有风就擦下擦下|"
            "{spot}有啲藤爬晒上电线杆",
        },
    },
    "aging": {
        "bts": {"OPINION": 0.6, "COMPLAINT": 0.5, "REPAIR": 0.4, "URGE": 0.2, "INQUIRY": 0.2},
        "obs": True,
        "sit": {
            "agent": "{place}低压线路老化，绝缘层开裂|{place}老旧小区线路老化，线路杂乱|{spot}电线外皮破损|"
            "{place}进户线老化严重，存在安全隐患|{place}架空线路乱拉乱接，如同蜘蛛网",
            "plain": "{place}的电线太老了，外皮都裂了|{spot}电线乱七八糟像蜘蛛网|进户线太旧了，看着就不安全|"
            "{spot}电线外皮破了",
            "yue": "{place}啲电线旧到甩皮|{spot}啲电线乱到似蜘蛛网|入屋条线太旧，睇住都惊|{spot}条电线外皮穿咗",
        },
        "sysobs": "在线监测发现{place}配变负载率持续超过100%|{place}台区线损异常，疑似线路老化|"
        "{place}配变油温偏高，存在过载风险",
    },
    "noise": {
        "bts": {"COMPLAINT": 0.6, "OPINION": 0.5, "REPAIR": 0.3, "URGE": 0.2},
        "obs": True,
        "sit": {
            "agent": "{place}{spot}变压器运行噪音大，夜间影响休息|小区箱变{t_recent}持续发出嗡嗡声|"
            "{prem}楼下配电房噪音较大|"
            "{spot}变压器发出异常响声",
            "plain": "{spot}的变压器嗡嗡响，晚上吵得睡不着|楼下配电房一直有噪音|变压器声音很大，吵死了|"
            "{t_recent}变压器的响声越来越大",
            "yue": "{spot}个变压器嗡嗡声，夜晚嘈到瞓唔着|楼下配电房成日好嘈|变压器啲声好大，嘈死人",
        },
    },
    "construction": {
        "bts": {"REPORT": 1.0, "INQUIRY": 0.15, "COMPLAINT": 0.15},
        "obs": True,
        "sit": {
            "agent": "{place}{spot}有工地在高压线下施工，吊车作业距离导线很近|有人在{place}电力线路下方违规搭建房屋|"
            "{spot}有人在电缆通道上方开挖|{place}有施工单位在电力线路保护区内堆放建筑材料|{spot}有人在高压线下钓鱼",
            "plain": "{spot}有个工地吊车在高压线底下干活，离线很近|有人在电线底下盖房子|"
            "{spot}有人在挖路，下面好像有电缆|"
            "有人在高压线底下放风筝",
            "yue": "{spot}个地盘架吊车喺高压线底开工，离条线好近|有人喺电线底起屋|{spot}有人挖路，下面好似有电缆|"
            "有人喺高压线底放风筝|{spot}有人喺电缆上面挖坑",
        },
    },
    "illegal_wire": {
        "bts": {"REPORT": 0.9, "COMPLAINT": 0.1},
        "obs": True,
        "sit": {
            "agent": "{place}有住户私拉电线，电线沿树枝和墙面乱拉，存在安全隐患|"
            "{spot}有人从公用线路私接电线，接头裸露缠着胶布|"
            "{place}有人私拉电线给电动车充电，电线横跨巷道|有商户私自从路灯线路接电，电线挂在树上|"
            "{place}出租屋私拉乱接电线，插排串联",
            "plain": "{place}有人私拉电线，乱七八糟挂在树上|{spot}有人从电线杆上私接电线，接头就用胶布缠着|"
            "有人拉电线横过巷子给电动车充电|有个店私接路灯的电|出租屋里插排一个接一个，电线乱拉",
            "yue": "{place}有人私拉电线，挂到周围都系|{spot}有人喺电线杆度驳线，个驳口就用胶布包住|"
            "有人拉条线过条巷畀电单车充电|有间铺私驳路灯嘅电|出租屋啲拖板一个驳一个",
        },
    },
    "pole_move": {
        "bts": {"SERVICE_REQUEST": 1.0, "INQUIRY": 0.2},
        "sit": {
            "agent": "{prem}门口有一根电杆影响车辆进出，申请迁移|{prem}扩建需要，门前低压线需改道|"
            "{prem}屋顶上方有低压线穿过，申请改线|{spot}电杆拉线影响通行，申请迁移拉线|申请对{prem}旁的表箱加装防护|"
            "{prem}院内有低压线穿过，影响加建，申请改线|{prem}门前拉线妨碍通行，申请移位|"
            "{cust}申请将外墙上的表箱移至一楼|{prem}新建围墙，需迁移门前电杆",
            "plain": "我家门口的电线杆挡着车进出，能不能移走|屋顶上面有电线经过，想申请改一下线|"
            "门口那根拉线老是绊到人，能挪一下吗|"
            "家里要扩建，门口的电线要改道|院子上面有电线，想加建，能不能改一下|外墙的表箱能不能移到一楼|"
            "要建围墙，门口电线杆要挪",
            "yue": "我屋企门口条电线杆阻住架车出入，可唔可以移走|屋顶上面有条电线经过，想申请改下|"
            "门口条拉线成日绊到人，可唔可以移开|院子上面有条电线，想加建，可唔可以改下|外墙个表箱可唔可以移落一楼|"
            "要起围墙，门口条电线杆要移",
        },
    },
    "fixed": {
        "bts": {"PRAISE": 1.0},
        "sit": {
            "agent": "反映的树线问题第二天就处理完毕|{spot}电杆倾斜问题反映后很快得到处理|"
            "表箱损坏报修后工作人员当天就更换了新表箱|"
            "巡线人员主动清理了线路下方的树枝|反映的电线下垂问题，工作人员当天就紧好了线|"
            "表箱门损坏，{station}很快派人修好并加了锁|{place}老旧线路改造后安全多了",
            "plain": "前两天说的树压电线，第二天就来剪了|表箱坏了报修后当天就换了新的|电线杆歪了，你们很快就来扶正了|"
            "电线垂下来的事，当天就来弄好了|表箱门修好了还加了锁|线路改造完安全多了",
            "yue": "前两日讲啲树压住电线，第二日就嚟剪咗|表箱坏咗报修之后即日就换咗个新嘅|"
            "电线吊低咗嘅问题，即日就嚟整好|表箱门整好仲加咗锁|啲线改造完安全好多",
        },
    },
    "q_duty": {
        "bts": {"INQUIRY": 0.8},
        "sit": {
            "agent": "询问{prem}表箱损坏应由谁负责维修|咨询线路下方的树木能否自行修剪|询问家门口电杆能否迁移及费用|"
            "咨询进户线老化更换是否收费",
            "plain": "表箱坏了是物业修还是你们修？|电线下面的树我们自己能剪吗？|进户线老化换一下要钱吗？|"
            "门口电杆能不能移走，要多少钱？",
            "yue": "表箱坏咗系物业整定系你哋整？|电线下面啲树我哋自己剪得唔得？|入屋线换一条要唔要钱？",
        },
    },
}

# ---- STAFF_CONDUCT --------------------------------------------------------------------
_TOPIC_LEX.append(
    {
        "common": {
            "fee_name": "材料费|辛苦费|加急费|安装费|工本费|跑腿费|接线费|检测费|服务费",
        },
        "agent": {
            "rude": "这不归我们管|你自己找电工吧|急也没用，慢慢排|说了你也不懂|有本事你去投诉|下班了明天再说|"
            "爱找谁找谁|没看到我在忙吗",
            "rude_act": "说话带脏字|摔门而去|对客户冷嘲热讽|拒绝解释原因|不耐烦地打断客户说话|对客户大声呵斥",
            "pass_excuse": "不是我们片区|这是物业的事|系统问题我们也没办法|领导不在|要找营销部|要等上面通知",
            "svc": "装表|换表|移表|新装|接电|过户|复电|增容",
            "staffer": "工作人员|工作人员|员工|供电所员工|供电所人员|职工|工作人员",
        },
        "plain": {
            "rude": "这不归我们管|你自己找电工吧|急也没用，慢慢排|说了你也不懂|有本事你去投诉|下班了明天再说|"
            "爱找谁找谁|没看到我在忙吗",
            "rude_act": "说话带脏字|摔门就走|阴阳怪气的|问什么都不解释|不停打断我说话|冲我大吼",
            "pass_excuse": "不是我们片区|这是物业的事|系统问题没办法|领导不在|要等上面通知",
            "svc": "装表|换表|移表|装电表|接电|过户|复电|增容",
        },
        "yue": {
            "rude": "呢啲唔关我哋事|你自己揾电工啦|急都冇用，慢慢等|讲咗你都唔明|有本事你去投诉啦|收工喇听日先讲|"
            "冇见我忙紧咩",
            "rude_act": "讲粗口|拍门就走|阴声细气|问乜都唔解释|对住我大叫",
            "pass_excuse": "唔系我哋片区|呢啲系物业嘅事|系统问题冇办法|领导唔喺度",
            "svc": "装表|换表|移表|装电表|驳电|过户|复电",
        },
    }
)
# The business that brought the customer is told too; the grievance is the staff.
_STAFF_DET: dict[str, str] = {
    "agent": "{cust}因停电报修联系{station}|{cust}因电费问题到营业厅咨询|{cust}为办理过户到营业厅|"
    "{cust}反映电压低问题后联系供电所|{cust}因电表问题联系供电所|{cust}因新装用电进度到营业厅询问",
    "plain": "我家停电打电话过去问|去营业厅问电费的事|去办过户的时候|电压低打电话反映|问电表的事|"
    "去问新装电表的进度",
    "yue": "屋企停电打去问|去营业厅问电费嘅嘢|去办过户嗰阵|问电表嘅嘢",
}
_FACETS["STAFF_CONDUCT"] = {
    "rude": {
        "bts": {"COMPLAINT": 1.0, "OPINION": 0.4, "URGE": 0.3},
        "sit": {
            "agent": "{t_when}到{station}营业厅办理业务，窗口人员态度恶劣，称“{rude}”|"
            "拨打{station}值班电话时，{staffer}语气生硬，说“{rude}”|上门的抄表人员态度蛮横，与{cust}发生争执|"
            "{staff}姓{staffer}服务态度差，对{cust}的询问不理不睬|营业厅{staffer}办理业务时一直玩手机，态度冷漠|"
            "{station}{staffer}在电话中{rude_act}|{staffer}上门服务时{rude_act}",
            "plain": "去营业厅办事，那个工作人员态度太差了，说“{rude}”|打你们供电所电话，对方说“{rude}”就挂了|"
            "你们来修电的师傅态度很差，{rude_act}|姓{staff}的那个工作人员说话很冲，问什么都不耐烦|"
            "营业厅的人一边玩手机一边给我办，爱答不理的|打电话问个事，对面凶巴巴的",
            "yue": "去营业厅办嘢，个职员态度差到极，话“{rude}”|打去供电所，对面话“{rude}”就收线|"
            "嚟整电嗰个师傅态度好差，{rude_act}|营业厅啲职员一路玩手机一路帮我办，爱理不理|姓{staff}嗰个职员讲嘢好串",
        },
        "det": _STAFF_DET,
    },
    "buckpass": {
        "bts": {"COMPLAINT": 1.0, "URGE": 0.4, "OPINION": 0.3},
        "sit": {
            "agent": "{prem}电表问题找{station}，供电所称应找物业，物业又称归供电局管，双方互相推诿|"
            "{cust}多次联系{station}，{staffer}均称不归其负责，让其拨打95598，95598又让其联系供电所|"
            "{cust}反映的问题在供电所和施工单位之间来回推诿，{days}天无人处理|"
            "供电所{staffer}以“{pass_excuse}”为由推脱，不予处理|{station}对{cust}的诉求相互推诿，至今无人负责",
            "plain": "找供电所说找物业，找物业说找供电局，踢来踢去没人管|打了好几个电话，每个都说不归他们管|"
            "供电所说“{pass_excuse}”，就是不肯处理|你们和施工队互相推，{days}天了没人管|到底谁负责？一个推一个",
            "yue": "揾供电所就话揾物业，揾物业又话揾供电局，踢嚟踢去冇人理|打咗几次电话，个个都话唔关佢哋事|"
            "你哋同施工队推嚟推去，{days}日都冇人理|供电所话“{pass_excuse}”，就系唔肯处理",
        },
        "det": _STAFF_DET,
    },
    "outage_rude": {
        # Hard case on purpose: an outage is mentioned, but the grievance is the staff.
        "bts": {"COMPLAINT": 0.9, "OPINION": 0.15},
        "sit": {
            "agent": "{prem}停电报修，抢修人员到场后不但不解释原因，还{rude_act}；供电虽已恢复，{cust}对其行为非常不满|"
            "停电期间{cust}询问复电时间，{staffer}{rude_act}，{cust}认为停电可以理解，但服务态度不能接受|"
            "抢修时{staffer}在{cust}家门口抽烟并乱丢垃圾，修完就走|"
            "停电报修后，现场人员向{cust}索要{amount}元“{fee_name}”才肯修|"
            "{t_when}停电后到{station}询问情况，值班人员称“{rude}”，{cust}表示电已经来了，但这种态度无法接受",
            "plain": "停电了我问来修的师傅什么时候好，他说“{rude}”，什么态度|"
            "电是来了，但你们那个抢修的人{rude_act}，太过分了|"
            "停电不怪你们，可是你们的人说话太难听了|昨天停电，修电的人嫌我问得多，{rude_act}",
            "yue": "停电我问师傅几时有电，佢话“{rude}”，乜嘢态度啊|电系有返，但你哋个抢修师傅{rude_act}，太过分|"
            "停电唔怪你哋，但你哋啲人讲嘢太难听",
        },
    },
    "fee": {
        "bts": {"COMPLAINT": 0.7, "REPORT": 0.6},
        "sit": {
            "agent": "{staffer}上门{svc}后收了{amount}元“{fee_name}”，没有给任何收据|"
            "{station}{staffer}办理{svc}时要求{cust}另付{amount}元，称是“{fee_name}”|"
            "{cust}办理{svc}被收取{amount}元费用，事后得知该业务不收费|供电所人员以{fee_name}名义多收{cust}{amount}元",
            "plain": "来{svc}的人收了我{amount}元“{fee_name}”，也没给收据|"
            "办个{svc}还要另外给{amount}块钱，说是{fee_name}|"
            "后来才知道{svc}是免费的，你们的人收了我{amount}元",
            "yue": "嚟{svc}嗰个人收咗我{amount}蚊“{fee_name}”，又冇收据|办个{svc}仲要另外畀{amount}蚊，话系{fee_name}|"
            "后尾先知{svc}系免费嘅，你哋啲人收咗我{amount}蚊|收咗我{amount}蚊{fee_name}，连张单都冇",
        },
    },
    "bribery": {
        "bts": {"REPORT": 1.0},
        "sit": {
            "agent": "{station}{staff}姓{staffer}暗示{cust}给{amount}元好处费即可加快{svc}|"
            "{staffer}索要红包，称不给就拖着不办|"
            "{staff}某利用职务之便，向{cust}索要购物卡|{station}有{staffer}私下接活，收钱帮人绕过审批接电|"
            "{staffer}要求{cust}请吃饭才给办理{svc}|{staff}某以帮忙少交电费为名收取现金",
            "plain": "你们{station}姓{staff}的那个人，说给他{amount}块就能快点{svc}|"
            "办{svc}的人暗示要红包，不给就一直拖|"
            "有个你们的员工私下收钱帮人接电|你们的人让我请吃饭才给办|有人说给他钱电费可以少交",
            "yue": "你哋{station}姓{staff}嗰个，话畀{amount}蚊佢就快啲帮我{svc}|办{svc}嗰个人暗示要利是，唔畀就拖住|"
            "你哋有个员工私下收钱帮人驳电|佢话请佢食餐饭就帮我快啲办{svc}|有个职员话俾钱可以少交电费",
        },
    },
    "unprof": {
        "bts": {"COMPLAINT": 0.5, "OPINION": 0.5},
        "sit": {
            "agent": "上门人员未穿工装也未出示工作证|{staffer}上门时未提前预约，直接进入{cust}院内|"
            "营业厅只开一个窗口，其他{staffer}却在聊天|{staffer}服务时使用不文明用语|抄表员翻墙进入{cust}院子抄表",
            "plain": "上门的人没穿工作服也不出示证件|你们的人来之前也不打个招呼就进院子|"
            "营业厅就开一个窗口，其他人在聊天|"
            "抄表的直接翻墙进来",
            "yue": "上门嗰啲人冇着制服又唔出示证件|你哋啲人嚟之前唔打个招呼就入嚟|营业厅得一个窗口，其他人喺度倾偈",
        },
    },
    "praise": {
        "bts": {"PRAISE": 1.0},
        "sit": {
            "agent": "{station}{staff}师傅服务耐心细致，主动帮{cust}检查线路|"
            "营业厅{staff}姓{staffer}热情周到，帮老人办理业务|"
            "抢修班组服务规范，修好后还清理了现场|{staff}师傅多次上门帮忙排查故障，没有收取任何费用|"
            "{staffer}下班后仍帮{cust}处理问题|营业厅{staffer}耐心讲解电费构成|{staff}师傅冒着大雨上门处理，毫无怨言|"
            "窗口人员主动为行动不便的{cust}上门办理业务|供电所{staff}经理多次电话跟进问题处理",
            "plain": "{staff}师傅人很好，帮我把家里线路都查了一遍|营业厅那个姓{staff}的姑娘特别耐心|"
            "你们的师傅修完还把地扫干净了|"
            "{staff}师傅来了好几次，一分钱没收|下班了还帮我弄好，真的很感谢|营业厅的姑娘给我讲电费讲得很清楚|"
            "{staff}师傅下着大雨还上门|知道我腿脚不方便，专门上门帮我办|{staff}经理一直打电话跟进",
            "yue": "{staff}师傅人好好，帮我成屋啲线都查咗一次|营业厅个{staff}小姐好有耐性|你哋啲师傅整完仲帮手扫埋地|"
            "{staff}师傅嚟咗几次，一蚊都冇收|营业厅个姑娘同我讲电费讲得好清楚|{staff}师傅落大雨都上门|"
            "知我行路唔方便，专登上门帮我办",
        },
    },
    "q_verify": {
        "bts": {"INQUIRY": 1.0},
        "sit": {
            "agent": "询问有人上门自称供电局人员要更换电表并收费，是否属实|咨询如何核实上门{staffer}身份|"
            "询问抄表员是否可以进入院内抄表|询问上门抄表人员是否需要出示证件|咨询自称供电所人员上门推销电器是否属实|"
            "询问如何查询工作人员工号|咨询工作人员上门收取检查费是否合规|询问供电所人员能否进入室内检查线路",
            "plain": "有人上门说是供电局的，要换电表收钱，是你们的人吗？|怎么核实上门的是不是你们员工？|"
            "抄表的人应该带工作证吗？|说是供电所的人来推销电器，是你们的吗？|怎么查工作人员的工号？|"
            "上门的人收检查费正常吗？|供电所的人可以进屋查线路吗？",
            "yue": "有人上门话系供电局嘅，要换电表收钱，系唔系你哋啲人？|点样核实上门嗰个系唔系你哋同事？|"
            "抄表嗰啲人使唔使出示工作证？|话系供电所嘅人上门卖电器，系唔系你哋？|点样查工作人员工号？|"
            "上门收检查费正唔正常？",
        },
    },
}

# ---- METER_READING_BILLING ------------------------------------------------------------
_FACETS["METER_READING_BILLING"] = {
    "high_bill": {
        "bts": {"INQUIRY": 1.0, "COMPLAINT": 0.8, "URGE": 0.3},
        "sit": {
            "agent": "{prem}本月电费{amount}元，比平时高出很多|"
            "{prem}本期电量{kwh}度，平时每月约{kwh_usual}度，用电习惯没有变化|"
            "{prem}{month}电费突增，账单显示用电{kwh}度|{prem}长期无人居住，每月仍有{kwh_usual}度左右电量|"
            "{prem}本期电费账单金额异常，与往月相差较大|收到{month}电费账单{amount}元，{cust}认为与实际用电不符",
            "plain": "这个月电费{amount}块，平时才{amount_usual}左右|电费怎么一下子这么多，{kwh}度？|"
            "平时一个月{kwh_usual}度，这个月{kwh}度，家里也没多用什么|房子空着没人住，怎么每个月还有电费|"
            "{month}的电费单吓我一跳|电费突然涨了好多",
            "yue": "今个月电费{amount}蚊，平时先{amount_usual}左右|电费点解一下子咁多，{kwh}度？|"
            "平时一个月{kwh_usual}度，今个月{kwh}度，屋企又冇多用乜嘢|间屋冇人住，点解个个月都有电费|电费突然贵咗好多",
        },
    },
    "estimate": {
        "bts": {"COMPLAINT": 0.8, "INQUIRY": 0.5, "OPINION": 0.3, "URGE": 0.3},
        "sit": {
            "agent": "抄表员未上门抄表，电费按估算计收|账单上的抄见读数比电表实际示数还大|"
            "{prem}电表实际读数与账单不符，怀疑估抄|"
            "抄表员连续几个月未到现场抄表",
            "plain": "根本没人来抄表，电费是估出来的吧|账单上的读数比电表上的还大|我看了电表，和账单上的数对不上|"
            "好几个月没见过抄表的",
            "yue": "根本冇人嚟抄表，啲电费估出嚟㗎？|账单上面嘅读数仲大过电表上面|我睇过个电表，同账单啲数对唔上",
        },
    },
    "missed": {
        "bts": {"COMPLAINT": 0.6, "INQUIRY": 0.5, "URGE": 0.2},
        "sit": {
            "agent": "{prem}连续{times}个月未收到电费账单，本月一次性补收{amount}元|"
            "因前期漏抄，供电所要求{cust}补交电费{amount}元|"
            "{prem}电费前几个月偏低，本月突然补收",
            "plain": "几个月没收到电费单，这个月一下要我补{amount}块|说之前漏抄了，要我补交{amount}元|"
            "前几个月电费特别少，这个月突然多出一大截",
            "yue": "几个月冇收到电费单，今个月一次过要补{amount}蚊|话之前漏抄咗，要我补{amount}蚊",
        },
    },
    "calc_err": {
        "bts": {"COMPLAINT": 0.6, "INQUIRY": 0.6, "URGE": 0.2},
        "sit": {
            "agent": "{prem}为居民用电，账单却按商业电价计费|{prem}阶梯电量计算与实际不符|"
            "{prem}本期账单起止读数重复计算|"
            "{prem}同一个月被扣了两次电费",
            "plain": "我是住家的，怎么按商业电价收费|阶梯算错了吧，我这个月没用那么多|同一个月扣了我两次电费|"
            "电费单上面的起码和上个月止码对不上",
            "yue": "我系住家嚟嘅，点解用商业电价计|阶梯计错咗啩|同一个月扣咗我两次电费",
        },
    },
    "q_bill": {
        "bts": {"INQUIRY": 0.6},
        "sit": {
            "agent": "询问退补电费的计算依据|咨询多收电费如何退还|询问账单上各项费用的含义|咨询如何核对电费账单",
            "plain": "退补的电费是怎么算的？|多收的电费怎么退？|电费单上这几项是什么意思？",
            "yue": "退补嗰啲电费点计㗎？|多收咗嘅电费点退？|电费单上面呢几项咩意思？",
        },
    },
    "bill_view": {
        "bts": {"OPINION": 0.6},
        "sit": {
            "agent": "电费账单信息过于简单，未显示起止读数|{cust}看不懂电费账单上的各项费用|"
            "抄表日期不固定，每月电量忽多忽少|电费账单发送时间不固定|账单中阶梯电量说明不清楚",
            "plain": "电费单看不懂|账单上连读数都没有|每个月抄表时间不一样，电费忽高忽低|账单每个月发的时间都不一样|"
            "阶梯电量写得看不懂",
            "yue": "电费单睇唔明|账单连读数都冇|每个月抄表日子唔同，电费忽高忽低|账单每个月发嘅时间都唔同|"
            "阶梯电量写到睇唔明",
        },
    },
}

# ---- METERING -------------------------------------------------------------------------
_FACETS["METERING"] = {
    "fast": {
        "bts": {"SERVICE_REQUEST": 1.0, "COMPLAINT": 1.0, "INQUIRY": 0.4, "URGE": 0.4},
        "sit": {
            "agent": "{prem}怀疑电表走字偏快|{prem}电器全部关闭后电表仍在走字|"
            "{prem}换表后电量明显增加，由每月{kwh_usual}度增至{kwh}度|{prem}电表计量偏快，与同户型邻居相比电量高出一倍|"
            "{prem}拉下总闸后电表指示灯仍在闪",
            "plain": "感觉电表走得太快了|电器都关了电表还在走|换了新表以后电费翻倍|和隔壁一样的房子，我家电量多一倍|"
            "总闸关了电表灯还在闪",
            "yue": "觉得个电表行得好快|啲电器全部熄晒个表都仲行紧|换咗新表之后电费多咗一倍|"
            "同楼上一样大嘅单位，我用电多成倍",
        },
    },
    "broken": {
        "bts": {"REPAIR": 1.0, "URGE": 0.5, "COMPLAINT": 0.2, "INQUIRY": 0.2},
        "obs": True,
        "sit": {
            "agent": "{prem}电表显示屏黑屏|{prem}电能表液晶屏显示乱码|{prem}电表告警灯常亮|{prem}电表外壳破裂|"
            "{prem}电表不走字，但家中正常用电|{prem}电表按键失灵，无法查看读数|{prem}电表指示灯全部熄灭|"
            "{prem}电表发出滴滴报警声|{prem}电表被雨水淋湿后显示异常|{prem}电能表屏幕闪烁，读数时有时无",
            "plain": "电表屏幕黑了什么都不显示|电表上显示一堆乱码|电表上一个红灯一直亮着|电表壳子裂了|"
            "电表不走了，家里照样有电|电表一直滴滴响|电表灯全灭了|电表淋了雨以后屏幕乱跳|"
            "电表屏幕一闪一闪的看不清读数|电表好像坏了，数字一直不动",
            "yue": "个电表黑咗屏|电表显示一堆乱码|电表有个红灯一直着住|电表个壳裂咗|个表唔行，但屋企照样有电|"
            "电表成日嘀嘀声|个表啲灯全部熄咗|电表淋咗雨之后个屏乱跳|个表啲数字一直唔郁|电表个屏闪下闪下睇唔到读数",
        },
        "sysobs": "采集系统显示{home}电能表时钟异常|{home}电能表连续{days}天采集失败|{home}电能表示值出现倒走|"
        "{home}电能表电池欠压告警",
    },
    "test": {
        "bts": {"SERVICE_REQUEST": 0.8, "INQUIRY": 0.3, "URGE": 0.3},
        "sit": {
            "agent": "{cust}对{prem}电能表准确性有疑问|{cust}希望对电表进行校验，愿意承担检测费用|"
            "{cust}要求安排校表，并希望本人在场|{prem}用电量与往年同期差别较大，{cust}想确认电表是否准确",
            "plain": "想验一下电表准不准|电表准不准能不能帮我测测|想申请校表，最好周末来|想确认一下电表有没有问题",
            "yue": "想验下个电表准唔准|可唔可以帮我测下个电表|想申请校表，最好星期六日嚟",
        },
    },
    "replace": {
        "bts": {"SERVICE_REQUEST": 0.6},
        "sit": {
            "agent": "{cust}希望将{prem}老式电表更换为智能电表|{prem}电表使用年限较长，{cust}希望更换|"
            "{prem}电表表盘模糊，{cust}希望更换新表",
            "plain": "想把老电表换成智能的|电表用了十几年了，想换个新的|电表上的数字都看不清了，想换个新的",
            "yue": "想将个旧电表换成智能表|个电表用咗十几年，想换个新嘅",
        },
    },
    "swap_issue": {
        "bts": {"COMPLAINT": 0.4, "INQUIRY": 0.4},
        "sit": {
            "agent": "{prem}电表被更换，事前未接到通知，也未告知旧表底数|{prem}换表后未收到新旧表底数确认单|"
            "{prem}换表后电表读数从零开始，{cust}不清楚旧表电量如何结算",
            "plain": "电表被换了也没人通知我，旧表读数是多少都不知道|换表的时候没给我看底数|"
            "换了新表读数从零开始，旧表的电怎么算",
            "yue": "个电表俾人换咗都冇人通知，旧表读数系几多都唔知|换表嗰阵冇俾我睇底数",
        },
    },
    "dispute": {
        "bts": {"COMPLAINT": 0.8, "URGE": 0.2},
        "sit": {
            "agent": "{prem}电表校验结果为合格，{cust}不认可，认为电量仍然异常|"
            "{cust}多次反映电表走快，供电所均答复电表正常|"
            "{cust}对校表结论有异议|校表人员未让{cust}到场见证",
            "plain": "校表说合格，我不信，电量明明不对|反映了好几次电表走快，你们每次都说正常|校表的时候都不让我在场|"
            "说表没问题，那这么多电是哪来的？",
            "yue": "校表话合格，我唔信，啲电量明明唔啱|反映咗几次电表行快，你哋次次都话正常|校表都唔俾我喺度睇",
        },
    },
    "q_meter": {
        "bts": {"INQUIRY": 1.0},
        "sit": {
            "agent": "咨询智能电表上各个读数的含义|询问如何查看电表当前读数|询问电表上的峰、谷示数如何看|"
            "咨询校表的流程和费用|询问{place}老电表何时统一更换",
            "plain": "新电表上那些数字是什么意思？|电表读数要怎么看？|电表上峰谷两个数是怎么回事|验表要钱吗？怎么申请|"
            "我们这的老电表什么时候换？",
            "yue": "新电表上面啲数字咩意思？|电表读数点睇㗎？|验表使唔使钱？点申请|我哋呢度啲旧电表几时换？",
        },
    },
    "placement": {
        "bts": {"OPINION": 0.6},
        "sit": {
            "agent": "{place}表箱安装位置过高，{cust}查看电表读数困难|电表安装在公共楼道，查看不便|"
            "表箱编号模糊，找不到自家电表|智能电表屏幕太小，老人看不清读数|表箱没有照明，晚上无法查看电表|"
            "电表与户号对应标识不清|表箱位于过道尽头，抄读不便|{place}表箱离地过高，需踩凳查看",
            "plain": "电表装得太高了，看不到读数|电表在楼道里，老人看读数很不方便|"
            "表箱上的号码都看不清，找不到自家的表|电表屏幕太小，老人看不清|表箱那里没灯，晚上看不到|"
            "表上没写户号，不知道哪个是我家的|要踩凳子才看得到电表",
            "yue": "个电表装得太高，睇唔到读数|表箱啲号码睇唔清，揾唔到自己个表|电表个屏太细，老人家睇唔清|"
            "表箱嗰度冇灯，夜晚睇唔到|表上冇写户号，唔知边个系我屋企",
        },
    },
}

# ---- PAYMENT_TARIFF -------------------------------------------------------------------
_TOPIC_LEX.append(
    {
        "agent": {
            "pay_place": "银行柜台|营业厅|邮政网点|村里的代收点|便利店代收点|农商行网点|银行自助终端",
        },
        "plain": {
            "pay_place": "银行|营业厅|邮局|村里代收点|小卖部|便利店|信用社",
        },
        "yue": {
            "pay_place": "银行|营业厅|邮局|村口代收点|士多|便利店",
        },
    }
)
_FACETS["PAYMENT_TARIFF"] = {
    "q_tier": {
        "bts": {"INQUIRY": 1.0},
        "sit": {
            "agent": "咨询居民阶梯电价的分档标准|询问阶梯电价夏季和非夏季如何划分|咨询第二档电价从多少度开始|"
            "询问{prem}本月电费为何按第三档计算|咨询多人口家庭能否申请增加阶梯基数",
            "plain": "阶梯电价是怎么算的？|第二档是从多少度开始的？|夏天的阶梯和平时不一样吗？|"
            "为什么我这个月按第三档收？|"
            "家里人多，阶梯基数能不能加？",
            "yue": "阶梯电价点计㗎？|第二档由几多度开始？|夏天嘅阶梯同平时唔同㗎？|点解我今个月按第三档收？|"
            "屋企人多，阶梯基数可唔可以加？",
        },
    },
    "tier_view": {
        "bts": {"OPINION": 0.6, "COMPLAINT": 0.3},
        "sit": {
            "agent": "阶梯电价档位设置不合理，多人口家庭负担较重|夏季用电多，电费很容易进入第三档|"
            "阶梯电价分档标准多年未调整",
            "plain": "家里人多，阶梯电价一下就到第三档了|夏天开空调电费太贵了|阶梯档位定得太低了",
            "yue": "屋企人多，一下就去到第三档|夏天开冷气电费贵到飞起|阶梯定得太低",
        },
    },
    "tou": {
        "bts": {"SERVICE_REQUEST": 0.6},
        "sit": {
            "agent": "{prem}想开通峰谷分时电价|{cust}有电动汽车，需要夜间充电，想改为峰谷电价|"
            "{prem}夜间用电较多，希望执行分时电价",
            "plain": "想开通峰谷电|家里有电动车晚上充电，想换成峰谷电价|晚上用电多，想办分时电价",
            "yue": "想开通峰谷电价|屋企有电车夜晚充电，想转峰谷电价|夜晚用电多，想办分时电价",
        },
    },
    "q_tou": {
        "bts": {"INQUIRY": 0.6},
        "sit": {
            "agent": "咨询峰谷分时电价的时段划分|询问开通峰谷电价后是否划算|咨询峰谷电价如何申请|"
            "咨询家用充电桩执行何种电价",
            "plain": "峰谷电价的时段是怎么分的？|开通峰谷电划算吗？|峰谷电怎么申请？|家里充电桩的电价多少？",
            "yue": "峰谷电价点样分时段㗎？|开峰谷电抵唔抵？|屋企充电桩电价几多？",
        },
    },
    "penalty": {
        "bts": {"COMPLAINT": 0.5, "OPINION": 0.3},
        "sit": {
            "agent": "{prem}晚交电费{days}天被收取违约金|{prem}因银行代扣失败产生违约金，{cust}认为责任不在己方|"
            "违约金收取前未收到任何提醒",
            "plain": "才晚交几天就收违约金|银行没扣成功，凭什么收我违约金|收违约金之前也没提醒一下",
            "yue": "迟咗几日交就收违约金|银行扣唔到数，点解要我畀违约金",
        },
    },
    "q_penalty": {
        "bts": {"INQUIRY": 0.7},
        "sit": {
            "agent": "咨询电费违约金的计算方法|询问逾期交费违约金从哪天开始计算|咨询违约金能否减免",
            "plain": "违约金怎么算的？|晚交几天会有违约金吗？|违约金能不能免掉？",
            "yue": "违约金点计？|迟几日交会唔会有违约金？|违约金可唔可以免？",
        },
    },
    "invoice": {
        "bts": {"SERVICE_REQUEST": 0.6},
        "sit": {
            "agent": "{prem}需要开具电费增值税专用发票|{cust}为公司用电，需要开具{month}电费发票|"
            "{cust}需补开近半年的电费发票",
            "plain": "公司报销要电费发票，想开一下|要开专票|想补开几个月的发票",
            "yue": "公司报数要电费发票，想开张|要开专票|想补开几个月嘅发票|想开张增值税专票",
        },
    },
    "q_invoice": {
        "bts": {"INQUIRY": 0.6},
        "sit": {
            "agent": "咨询电费发票如何开具|询问纸质发票在哪里领取|咨询增值税专用发票的办理资料",
            "plain": "电费发票怎么开？|纸质发票去哪里拿？|开专票要什么资料？",
            "yue": "电费发票点开？|纸质发票去边度攞？|开专票要咩资料？",
        },
    },
    "bank_credit": {
        # Paid at a bank/counter/agent and not credited: PAYMENT_TARIFF by the taxonomy rule.
        "bts": {"COMPLAINT": 0.6, "INQUIRY": 0.5, "URGE": 0.5},
        "sit": {
            "agent": "{cust}于{date}在{pay_place}交纳电费{amount}元，至今未到账|"
            "{prem}在{pay_place}交费后系统仍显示欠费|"
            "{pay_place}已收款{amount}元，但户号余额未变化|{cust}通过银行柜台交费{amount}元，电费仍显示未缴|"
            "{cust}在{pay_place}交费的收据显示已缴，但系统未入账|{cust}委托{pay_place}代缴电费{amount}元，至今未到账|"
            "{pay_place}收费后户号仍显示欠费{amount}元",
            "plain": "在{pay_place}交了{amount}块，到现在还显示欠费|{pay_place}钱收了，你们那边没到账|"
            "{date}在{pay_place}交的电费，账上没有|在{pay_place}交的钱有收据，系统就是没有|"
            "{pay_place}说钱交上去了，你们说没收到|拿着收据去问也说没到账",
            "yue": "喺{pay_place}交咗{amount}蚊，到而家仲显示欠费|{pay_place}收咗钱，你哋嗰边冇到账|"
            "喺{pay_place}交咗钱有收据，系统就系冇|{pay_place}话交咗上去，你哋话冇收到|揸住收据去问都话未到账",
        },
    },
    "channels": {
        "bts": {"OPINION": 0.6},
        "sit": {
            "agent": "{place}附近交费网点较少，老人交费不便|营业厅取消现金交费，部分老人不会使用手机|"
            "村里代收点经常关门，交费困难",
            "plain": "附近没地方交电费，老人家不会用手机|营业厅不收现金了，老人怎么办|代收点老关门",
            "yue": "附近冇地方交电费，啲老人家唔识用手机|营业厅唔收现金，老人家点算",
        },
    },
    "q_channels": {
        "bts": {"INQUIRY": 0.5},
        "sit": {
            "agent": "咨询除营业厅外还有哪些交费方式|询问能否办理银行代扣电费|咨询外地如何交纳家里的电费",
            "plain": "除了营业厅还能在哪交电费？|能不能银行自动扣电费？|人在外地怎么交家里的电费？",
            "yue": "除咗营业厅仲可以喺边度交电费？|可唔可以银行自动扣数？",
        },
    },
    "change": {
        "bts": {"SERVICE_REQUEST": 0.8},
        "sit": {
            "agent": "{prem}原为商业用电，现改为自住，申请变更为居民电价|{prem}为农业灌溉用电，申请按农业电价计费|"
            "{cust}申请办理银行代扣电费|{prem}为合表用电，申请执行居民合表电价",
            "plain": "铺面改成自己住了，想改成居民电价|抽水浇地的电能不能按农业电价|想办个银行代扣",
            "yue": "间铺改咗自己住，想转居民电价|想办银行代扣电费|间屋由铺改返住宅，想改居民电价|想开银行代扣",
        },
    },
    "q_landlord": {
        "bts": {"INQUIRY": 0.5},
        "sit": {
            "agent": "询问房东按每度{price}元收取电费是否合理|咨询出租屋电价标准|询问转供电加价是否合规",
            "plain": "房东收我{price}一度电，合理吗？|出租屋电费应该按多少钱一度？",
            "yue": "业主收我{price}蚊一度电，合唔合理㗎？|租屋啲电费应该几多钱一度？",
        },
    },
}

# ---- NEW_CONNECTION -------------------------------------------------------------------
# Delays inside a connection or account change stay here (taxonomy rule), so "delay"
# reuses the same waiting vocabulary as PROCESS_TIMELINESS on purpose.
_FACETS["NEW_CONNECTION"] = {
    "new_install": {
        "bts": {"SERVICE_REQUEST": 1.0, "URGE": 0.4},
        "sit": {
            "agent": "{prem}为新建自建房，需新装用电|{cust}新租店铺需要单独装表用电|{place}新建厂房需申请新装低压用电|"
            "{cust}新购商铺尚未通电，需办理新装|{prem}老房翻新，需要重新报装用电",
            "plain": "新盖的房子要装电表|刚租了个店面，想单独装个电表|厂房刚建好，要申请用电|新买的铺子还没通电",
            "yue": "新起嘅屋要装电表|啱啱租咗间铺，想单独装个电表|厂房啱啱起好，要申请用电|新买嘅铺仲未通电",
        },
    },
    "capacity": {
        "bts": {"SERVICE_REQUEST": 0.8},
        "sit": {
            "agent": "{prem}用电负荷增加，申请增容|{shop}生产线停产，申请减容|{shop}暂停营业半年，申请办理暂停用电|"
            "{prem}需由单相电改为三相电",
            "plain": "家里装了几台空调，电不够用，想增容|厂里停产了，想减容|想把单相电改成三相电|"
            "店要停业一段时间，能不能申请暂停",
            "yue": "屋企装多咗几部冷气，电唔够用，想增容|厂度停咗产，想减容|想将单相电改做三相电",
        },
    },
    "transfer": {
        "bts": {"SERVICE_REQUEST": 0.8, "URGE": 0.3},
        "sit": {
            "agent": "{cust}已购买二手房，申请办理电费户名过户|{prem}户名仍为原房东，申请更名|"
            "{cust}继承父母房产，需办理用电户更名|"
            "{cust}店铺转让，需要过户电表",
            "plain": "买了二手房，电表要过户到我名下|户名还是前房东的，想改成我的|店面转让了，电表要过户",
            "yue": "买咗二手楼，电表要过户落我名|户名仲系前业主，想改返我个名|间铺转咗手，电表要过户",
        },
    },
    "move_meter": {
        "bts": {"SERVICE_REQUEST": 0.6},
        "sit": {
            "agent": "{prem}装修需要将电表位置迁移|{prem}电表位于室内，申请迁至室外表箱",
            "plain": "装修想把电表挪个位置|电表在屋里，想移到外面",
            "yue": "装修想移个电表位|个电表喺屋入面，想移出去",
        },
    },
    "ev": {
        "bts": {"SERVICE_REQUEST": 0.8},
        "sit": {
            "agent": "{cust}在小区车位安装电动汽车充电桩，申请报装|{cust}购买新能源汽车，需在自家车库安装充电桩|"
            "{cust}申请充电桩用电，物业不予配合",
            "plain": "买了电车，想在车位装个充电桩|想给自家车库装充电桩|小区物业不让装充电桩",
            "yue": "买咗电车，想喺车位装个充电桩|想喺屋企车房装充电桩|管理处唔俾装充电桩",
        },
    },
    "pv": {
        "bts": {"SERVICE_REQUEST": 0.8, "URGE": 0.3},
        "sit": {
            "agent": "{cust}在{prem}屋顶安装了光伏，申请并网|{cust}屋顶光伏已安装完毕，申请并网验收|"
            "{place}厂房屋顶分布式光伏申请接入",
            "plain": "屋顶装了光伏板，想申请并网|光伏装好了，什么时候来验收并网|厂房屋顶想装光伏并网",
            "yue": "天台装咗光伏板，想申请并网|光伏装好咗，几时嚟验收并网",
        },
    },
    "delay": {
        "bts": {"COMPLAINT": 1.0, "URGE": 1.0, "OPINION": 0.2},
        "sit": {
            "agent": "{cust}{days}天前申请新装用电，至今未装表接电|"
            "{cust}已交齐资料申请过户，承诺{wd}个工作日办结，现已超期|"
            "{prem}增容申请提交后{days}天无人联系|{prem}光伏并网申请已提交{days}天，一直未安排验收|"
            "充电桩报装后迟迟未装表|"
            "{cust}申请更名已过去{days}天，户名仍未变更，影响办理银行代扣|{cust}申请三相电改造，超出承诺时限仍未完工|"
            "{cust}移表申请受理后{days}天无人上门|{cust}申请暂停用电，迟迟未办理，仍在收取基本电费|"
            "充电桩报装现场勘查后一直未出方案",
            "plain": "新装申请了{days}天了，电表还没装|资料都交齐了，说{wd}个工作日，现在早过了|"
            "增容申请了{days}天没人联系我|"
            "光伏并网报上去{days}天了，没人来验收|过户办了{days}天了还没好|移表申请了{days}天没人来|"
            "申请暂停了还在收基本电费|充电桩勘查完就没下文了|改三相电说好一周，现在还没弄",
            "yue": "申请新装{days}日，个电表都未装|啲资料交齐晒，话{wd}个工作日，而家早过咗|"
            "增容申请咗{days}日都冇人联络我|"
            "光伏并网报咗{days}日，冇人嚟验收|移表申请咗{days}日都冇人嚟|申请咗暂停仲收紧基本电费|"
            "充电桩睇完现场就冇咗下文",
        },
    },
    "q_docs": {
        "bts": {"INQUIRY": 1.0},
        "sit": {
            "agent": "咨询装表接电需要提供的材料|询问过户需要携带哪些证件|咨询充电桩报装流程|询问光伏并网需要多长时间|"
            "咨询增容的收费标准|询问办理新装需要多少个工作日|咨询租户能否以自己名义申请装表|咨询暂停用电的办理条件|"
            "询问更名是否需要原户主到场|咨询移表的费用由谁承担|询问三相电改造需要哪些手续|咨询新装是否可以线上申请",
            "plain": "装新电表要什么资料？|过户要带什么证件？|充电桩怎么报装？|光伏并网要多久？|增容收费吗？|"
            "租的房子能自己办电表吗？|暂停用电要怎么办？|改户名需要原来的房东到场吗？|移电表要钱吗？|"
            "改三相电要什么手续？|新装能不能网上办？",
            "yue": "装新电表要咩资料？|过户要带咩证件？|充电桩点样报装？|光伏并网要几耐？|租屋可唔可以自己办电表？|"
            "暂停用电点样办？|改户名使唔使原业主到场？|移电表使唔使钱？|装三相电要咩手续？|新装可唔可以网上办？",
        },
    },
    "praised": {
        "bts": {"PRAISE": 1.0},
        "sit": {
            "agent": "{cust}申请新装后，工作人员第二天就上门勘查，{few}天内完成装表|光伏并网办理顺利，工作人员全程指导|"
            "过户业务一次办结，无需多次跑腿|充电桩报装很快，工作人员主动上门服务|增容业务从申请到送电只用了{few}天|"
            "工作人员主动上门收资料，{cust}没跑一趟|移表当天就完成了",
            "plain": "新装电表很快就装好了，效率很高|光伏并网你们的人全程帮忙，很顺利|过户一次就办好了|"
            "充电桩报装比想象中快|增容几天就办好了|上门收资料，一趟都没跑|移表当天就弄好了",
            "yue": "新装电表好快就装好，效率好高|光伏并网你哋啲同事全程帮手|过户一次就搞掂|增容几日就搞掂|"
            "上门收资料，一趟都唔使行|移表即日就整好",
        },
    },
    "paperwork": {
        "bts": {"OPINION": 0.6, "COMPLAINT": 0.25},
        "sit": {
            "agent": "新装用电所需资料较多，{cust}多次补充材料|线上报装流程复杂，部分环节仍需到营业厅|"
            "充电桩报装需物业证明，办理困难",
            "plain": "办个电表要的资料太多了|网上报装还要跑营业厅|充电桩要物业盖章太难了",
            "yue": "办个电表要咁多资料|网上报装都要去营业厅|充电桩要管理处盖章好难",
        },
    },
}

# ---- OUTAGE_NOTICE --------------------------------------------------------------------
_TOPIC_LEX.append(
    {
        "agent": {"loss": "冰箱内食物变质|店铺无法营业|工厂生产线被迫停工|原定的活动被打乱|电脑资料未保存丢失"},
        "plain": {"loss": "冰箱的东西都坏了|店都开不了门|厂里停工了一天|电脑里的文件都没保存"},
        "yue": {"loss": "雪柜啲嘢都坏晒|间铺开唔到档|厂度停咗一日工"},
    }
)
# The outage itself is told too; the grievance is the information about it.
_NOTICE_DET: dict[str, str] = {
    "agent": "{prem}{t_since}{nopower}，{dur}|{prem}{t_when}开始停电，停了{hrs}个小时|当天{prem}停电约{hrs}小时|"
    "停电导致{loss}|{cust}称停电时正在做饭|停电范围包括{place}一带",
    "plain": "{prem}{t_since}{nopower}|停了{hrs}个小时|{t_when}开始停的，到现在才来电|{loss}|"
    "停电的时候正在做饭",
    "yue": "{prem}{t_since}{nopower}|停咗{hrs}个钟|{loss}",
}
_FACETS["OUTAGE_NOTICE"] = {
    "no_notice": {
        "bts": {"COMPLAINT": 1.0, "OPINION": 0.6},
        "sit": {
            "agent": "{place}{date}计划停电，{cust}未收到任何通知|"
            "{prem}{t_when}停电，事后得知是计划检修，但事前未见公告|"
            "停电公告只张贴在村委会，多数村民不知情|{cust}称停电前没有收到短信提醒，{loss}|"
            "供电所计划停电未提前告知，{loss}",
            "plain": "停电也不提前通知一下，{loss}|说是计划停电，我怎么一点都不知道|停电通知只贴在村委，谁看得到|"
            "短信也没发一条就停电了",
            "yue": "停电都唔提前通知下，{loss}|话系计划停电，我点解一啲都唔知|停电通知得村委贴咗张，边个睇到啊|"
            "短讯都冇一条就停电",
        },
        "det": _NOTICE_DET,
    },
    "inaccurate": {
        "bts": {"COMPLAINT": 0.8, "OPINION": 0.4, "INQUIRY": 0.3},
        "sit": {
            "agent": "通知停电至下午{clock}时，实际到晚上才恢复|计划停电一天，实际停了两天|停电通知上的时间与实际不符|"
            "通知{date}停电，结果提前一天就停了|预计复电时间多次推迟，且无人告知",
            "plain": "通知说停到下午{clock}点，结果晚上才来电|说停一天，结果停了两天|通知的时间和实际根本对不上|"
            "说好明天停，今天就停了",
            "yue": "通知话停到下昼{clock}点，结果夜晚先有电|话停一日，结果停咗两日|话听日先停，今日就停咗",
        },
        "det": _NOTICE_DET,
    },
    "no_restore_time": {
        "bts": {"COMPLAINT": 0.5, "INQUIRY": 0.3},
        "sit": {
            "agent": "停电后多次询问复电时间，均无人能给出答复|故障停电后未发布任何复电信息|"
            "{station}对停电原因和恢复时间均不清楚",
            "plain": "停电了问几点来电没人说得清|打电话问复电时间，一问三不知|停电原因和来电时间一个都不说",
            "yue": "停电问几点有电冇人讲得清|打去问几时复电，一问三唔知",
        },
        "det": _NOTICE_DET,
    },
    "q_schedule": {
        "bts": {"INQUIRY": 1.0},
        "sit": {
            "agent": "询问{place}{date}是否有计划停电|咨询{place}近期停电检修安排|询问小区门口张贴的停电通知是否属实|"
            "咨询如何订阅停电信息推送|询问{place}明天停电的具体时间段",
            "plain": "{place}明天是不是要停电？停到几点？|看到门口贴了停电通知，是真的吗？|哪里能查到停电安排？|"
            "停电通知能不能发短信给我？|{date}我们这停电吗",
            "yue": "{place}听日系咪停电？停到几点？|见到门口贴咗停电通知，系咪真㗎？|边度查到停电安排？",
        },
    },
}

# ---- PROCESS_TIMELINESS ---------------------------------------------------------------
_FACETS["PROCESS_TIMELINESS"] = {
    "refund": {
        "bts": {"COMPLAINT": 0.8, "URGE": 0.8, "INQUIRY": 0.3},
        "sit": {
            "agent": "{cust}申请退还多交电费{amount}元，承诺{wd}个工作日到账，{days}天后仍未到账|"
            "{cust}销户后申请退还预存电费，至今未退|"
            "退补电费审批已通过，但款项迟迟未退回|{cust}{date}申请退费，多次询问均称在走流程",
            "plain": "申请退{amount}块电费，说{wd}个工作日到账，现在{days}天了还没到|销户了预存的钱还没退|"
            "退费说批了，钱一直没到|"
            "问了几次都说在走流程",
            "yue": "申请退{amount}蚊电费，话{wd}个工作日到账，而家{days}日都未到|销咗户啲预存都未退|"
            "退费话批咗，啲钱一直未到",
        },
    },
    "reply": {
        "bts": {"COMPLAINT": 0.8, "URGE": 0.6, "OPINION": 0.3},
        "sit": {
            "agent": "{cust}{days}天前反映的问题，承诺5个工作日内答复，至今无人联系|"
            "{cust}此前的诉求已超过答复时限，仍未收到处理结果|"
            "供电所答应回电，但一直没有回复|工作人员承诺{date}上门处理，但未到也未告知",
            "plain": "上次反映的事说5个工作日答复，到现在没人联系我|说好给我回电话，一直没回|"
            "约好{date}上门，人没来电话也没一个|"
            "等答复等了{days}天",
            "yue": "上次反映嘅嘢话5个工作日覆我，到而家都冇人揾我|话好覆电话，一直都冇覆|"
            "约好{date}上门，人又唔嚟电话又冇",
        },
    },
    "invoice_delay": {
        "bts": {"COMPLAINT": 0.5, "URGE": 0.5},
        "sit": {
            "agent": "{cust}申请开具电费发票已{days}天，仍未收到|申请的增值税专用发票迟迟未开出，影响公司报销|"
            "{cust}申请补开发票，多次催问无果",
            "plain": "申请的发票{days}天了还没开出来|专票一直开不出来，公司报不了账|补开发票问了好几次都没结果",
            "yue": "申请咗张发票{days}日都未开到|专票一直开唔到，公司报唔到数",
        },
    },
    "test_result": {
        "bts": {"COMPLAINT": 0.6, "URGE": 0.6, "INQUIRY": 0.3},
        "sit": {
            "agent": "{cust}申请校表已{days}天，校验结果一直未出|电表送检后承诺5个工作日出结果，已超期|"
            "校表结果未按时告知{cust}",
            "plain": "校表都{days}天了，结果还没出来|电表拿去检测，说5个工作日出结果，早过了|验表结果到现在没人告诉我",
            "yue": "校表都{days}日，结果都未出|个电表拎咗去检测，话5个工作日有结果，早过咗",
        },
    },
    "trips": {
        "bts": {"COMPLAINT": 0.6, "OPINION": 0.5},
        "sit": {
            "agent": "为开具电费缴纳证明，{cust}已跑了{times}趟营业厅|"
            "办理业务时每次只告知缺少一项资料，{cust}来回跑了{times}次|"
            "{cust}为同一件事多次往返供电所仍未办结",
            "plain": "开个证明跑了{times}趟营业厅|每次去都说少一样资料，来回跑了{times}次|一件小事跑了好多趟还没办好",
            "yue": "开张证明行咗{times}趟营业厅|次次去都话少一样资料，来来回回行咗{times}次",
        },
    },
    "promise": {
        "bts": {"COMPLAINT": 0.5, "URGE": 0.4},
        "sit": {
            "agent": "{station}承诺{date}前处理完毕，至今未兑现|工作人员答应当天上门，{cust}等了一整天无人到场|"
            "承诺的整改措施至今未落实",
            "plain": "说好{date}之前弄好，到现在也没弄|答应今天上门，我请了假在家等了一天没人来|"
            "说要整改，到现在什么都没做",
            "yue": "话好{date}之前搞掂，到而家都冇搞|话今日上门，我请咗假喺屋企等咗成日都冇人嚟",
        },
    },
    "slow_view": {
        "bts": {"OPINION": 0.6},
        "sit": {
            "agent": "业务办理环节较多，等待时间长|营业厅办理业务需多次排队|工单答复时间较长，{cust}希望能更快|"
            "退费流程较为繁琐",
            "plain": "办事环节太多了|等答复等太久了|退个费流程太麻烦了",
            "yue": "办嘢环节太多|等覆等太耐|退个费啲流程好麻烦",
        },
    },
    "q_progress": {
        "bts": {"INQUIRY": 1.0},
        "sit": {
            "agent": "询问其退费申请的办理进度|咨询校表结果何时能出|询问此前反映问题的处理进度|"
            "咨询电费缴纳证明需要多久能开出",
            "plain": "我的退费申请到哪一步了？|校表结果什么时候出？|上次反映的问题处理得怎么样了？|开缴费证明要多久？",
            "yue": "我嗰个退费申请去到边一步？|校表结果几时出？|上次反映嗰件事搞成点？",
        },
    },
    "praised": {
        "bts": {"PRAISE": 1.0},
        "sit": {
            "agent": "{cust}申请的退费{few}天就到账了，效率很高|开具证明当天就办好了|反映的问题第二天就有人回电处理|"
            "{cust}申请的校表结果三天内就出来了|发票申请当天就开好了|工作人员主动打电话告知办理进度",
            "plain": "退费几天就到账了，效率可以|证明当天就开好了|问题反映完第二天就有人回电话|校表结果几天就出了|"
            "发票当天就开好了|还主动打电话告诉我进度",
            "yue": "退费几日就到咗账，效率唔错|张证明即日就开好|反映完第二日就有人覆电话|校表结果几日就出咗|"
            "发票即日就开好|仲主动打电话话我知进度",
        },
    },
}

# ---- REMOTE_CONTROL -------------------------------------------------------------------
# Prepaid (费控) cut-offs stay here even when phoned in as a repair (taxonomy rule), so the
# situation reuses outage words ("停电", "没电") on purpose.
_FACETS["REMOTE_CONTROL"] = {
    "cut": {
        "bts": {"REPAIR": 1.0, "COMPLAINT": 0.5, "INQUIRY": 0.5, "URGE": 0.4},
        "sit": {
            "agent": "{prem}{t_since}停电，经查为电费余额不足被远程停电|"
            "{prem}突然停电，查询后发现因欠费{amount_small}元被费控停电|"
            "{prem}费控电表余额为负，已自动断电|{prem}智能电表显示欠费，已被远程停止供电|"
            "{prem}电费余额不足，智能电表自动跳闸|{prem}预存电费用完后被自动停电|"
            "{prem}因欠费被远程停电，{cust}表示未留意余额",
            "plain": "{t_when}突然停电，一查说是欠费被停了|就欠了{amount_small}块钱就给我断电了|电表余额不足自动断电了|"
            "电表显示欠费，被远程停了|电表说余额不足跳闸了|预存的电费用完了就直接断了|充的钱用完了，电表自己断电了",
            "yue": "{t_when}突然冇电，一查话欠费俾人停咗|欠{amount_small}蚊咋就断我电|电表冇晒余额自动断咗电|"
            "电表话余额不足，跳咗闸|充值唔够，个表自己断咗电|月头未交电费，今朝就俾人停咗电|个表显示透支，冇电用",
        },
        "sysobs": "费控系统显示{home}余额为负，已执行远程停电|{home}余额不足，已连续发送{nth}次欠费提醒后停电",
    },
    "not_restored": {
        "bts": {"REPAIR": 1.0, "URGE": 0.8, "COMPLAINT": 0.6},
        "sit": {
            "agent": "{cust}已于{t_when}交纳电费{amount}元，但至今仍未复电|"
            "{prem}欠费停电后已补交电费，超过{hrs}小时仍未恢复供电|"
            "{cust}交费后电表仍显示欠费，无法恢复用电|{prem}交费后复电指令未执行，屋内仍无电|"
            "{cust}交清欠费后电表仍未恢复送电|{prem}充值{amount}元后电表仍处于断电状态|"
            "{cust}称交费已超过{hrs}小时，费控复电仍未成功",
            "plain": "钱都交了{hrs}个小时了，还没来电|交了{amount}块电费，电表还是没电|补交了电费怎么还不给送电|"
            "交完费电表还显示欠费|充了{amount}块还是没电|交了钱电表还是红灯|交费好几个小时了还没给我送电",
            "yue": "交咗钱{hrs}个钟都仲未有电|交咗{amount}蚊电费，个电表仲系冇电|补交咗电费点解仲未送电|"
            "充咗{amount}蚊都仲系冇电|交咗钱个表都仲系红灯|交费几个钟都未送电",
        },
        "sysobs": "费控系统显示{home}已交费{amount}元，但远程复电指令执行失败|"
        "{home}交费后{hrs}小时仍处于停电状态，复电失败",
    },
    "no_reminder": {
        "bts": {"COMPLAINT": 0.8, "OPINION": 0.5},
        "sit": {
            "agent": "{prem}被费控停电前未收到任何余额不足提醒|费控停电前未按规定提前通知|"
            "{cust}预留手机号未收到催费短信即被停电|"
            "{prem}在周末夜间被远程停电，{cust}认为不合理|费控余额提醒短信发送时间过晚|余额提醒只发一次，容易错过|"
            "停电前未电话通知老年用户|欠费停电金额起点过低",
            "plain": "停电前一条提醒都没收到|没通知就直接停电|手机一个短信都没有就断电|大晚上的欠费停电，太不讲理了|"
            "余额提醒发得太晚了|提醒就发一次，很容易看漏|老人不看短信，停电前应该打个电话|欠几块钱就停电太严了",
            "yue": "停电之前一条提醒都冇收到|冇通知就直接停电|半夜因为欠费停电，太冇道理|余额提醒发得太迟|"
            "提醒得一次，好易睇漏|老人家唔睇短讯，停电前应该打个电话",
        },
    },
    "q_rc": {
        "bts": {"INQUIRY": 1.0},
        "sit": {
            "agent": "询问交费后多久能恢复供电|咨询费控余额提醒的阈值如何设置|询问为何交费后仍显示欠费停电|"
            "咨询费控电表欠费停电的规则|询问复电是否需要手动操作电表|咨询费控余额不足是否会提前通知|询问费控是什么意思",
            "plain": "交了钱多久能来电？|余额提醒怎么设置？|为什么交了钱还是停电？|欠多少钱会停电？|"
            "复电要自己按电表吗？|费控是什么意思？|余额不足会提前通知吗？",
            "yue": "交咗钱几耐先有电？|余额提醒点设置？|欠几多钱会停电？|复电使唔使自己撳电表？|点解交咗钱都仲停电？|"
            "费控系咩意思？",
        },
    },
    "sr_rc": {
        "bts": {"SERVICE_REQUEST": 1.0},
        "sit": {
            "agent": "{cust}已交清欠费，申请尽快复电|{cust}希望提高余额提醒金额|{cust}申请取消费控，改为按月结算|"
            "{cust}申请修改费控短信接收手机号|{cust}申请关闭费控余额短信提醒|{cust}外出较长时间，申请暂停费控停电|"
            "{cust}申请将余额提醒改为提前三天|{cust}已补交电费，申请人工复电",
            "plain": "欠费已经交了，申请复电|想把余额提醒金额调高一点|能不能不用费控，改成月结|"
            "收余额提醒的手机号想换一个|出差一个月，能不能别欠费就停我电|想提前几天收到余额提醒|"
            "钱已经交了，麻烦帮我手动复电|余额短信太多了，想关掉",
            "yue": "欠费已经交咗，申请复电|想将余额提醒金额调高啲|可唔可以唔用费控，改月结|"
            "出差一个月，可唔可以唔好欠费就停电|想早几日收到余额提醒|钱交咗，唔该帮我手动复电|余额短讯太多，想闩咗佢",
        },
    },
}

# ---- DIGITAL_CHANNEL ------------------------------------------------------------------
_TOPIC_LEX.append(
    {
        "agent": {"app": "网上国网APP|南网在线APP|供电公司微信公众号|微信小程序|支付宝生活缴费|手机APP|供电服务APP"},
        "plain": {"app": "APP|网上国网|南网在线|公众号|小程序|支付宝|微信|手机上"},
        "yue": {"app": "APP|南网在线|公众号|小程序|支付宝|微信|手机度"},
    }
)
_FACETS["DIGITAL_CHANNEL"] = {
    "app_pay": {
        # Paid online and not credited: DIGITAL_CHANNEL by the taxonomy rule.
        "bts": {"COMPLAINT": 0.8, "INQUIRY": 0.5, "URGE": 0.5},
        "sit": {
            "agent": "{cust}通过{app}交纳电费{amount}元，扣款成功但户号未到账|"
            "{cust}在{app}交费后显示成功，电费仍为欠费状态|"
            "{cust}使用{app}为户号充值{amount}元，银行已扣款，账户余额未增加|{cust}通过{app}重复交费两次|"
            "{cust}在{app}缴费{amount}元后户号余额未更新|{cust}通过{app}预存电费，银行卡已扣款但电费仍显示未缴|"
            "{cust}在{app}交费时提示失败但已扣款",
            "plain": "在{app}上交了{amount}块，钱扣了电费没到账|{app}显示交费成功，可是还是欠费|用{app}交电费交了两次|"
            "{app}交的电费没到账|{app}交费提示失败，可是钱扣了|{app}上交的钱账上没有|银行卡扣了钱，{app}还显示没交",
            "yue": "喺{app}交咗{amount}蚊，扣咗钱但系电费冇到账|{app}显示交咗费，但系仲系欠费|用{app}交电费交咗两次|"
            "{app}交费话失败，但系扣咗钱|{app}交嘅钱账上冇|银行卡扣咗数，{app}仲显示未交",
        },
    },
    "binding": {
        "bts": {"INQUIRY": 0.6, "COMPLAINT": 0.3},
        "sit": {
            "agent": "{cust}在{app}绑定户号时提示信息不符|{cust}户号已被他人绑定，无法绑定到本人账号|"
            "{cust}更换手机后无法登录原账号",
            "plain": "{app}绑户号一直绑不上|户号被别人绑了，我绑不了|换了手机号登录不了",
            "yue": "{app}绑户号一直绑唔到|户号俾人绑咗，我绑唔到|换咗手机号登入唔到",
        },
    },
    "bug": {
        "bts": {"COMPLAINT": 0.6, "OPINION": 0.4, "INQUIRY": 0.3},
        "sit": {
            "agent": "{app}{t_recent}频繁闪退，无法查询电费|{app}登录时一直提示系统繁忙|{app}电费账单页面加载不出来|"
            "{app}上查不到历史账单|{app}验证码收不到，无法登录|{cust}在{app}上传办电资料一直失败",
            "plain": "{app}老是闪退|{app}一直转圈进不去|账单页面打不开|历史账单查不到|验证码一直收不到|"
            "网上申请办电，资料传不上去",
            "yue": "{app}成日闪退|{app}一直转圈入唔到|账单页面开唔到|收唔到验证码|网上申请办电，啲资料上传唔到",
        },
    },
    "sr_online": {
        "bts": {"SERVICE_REQUEST": 1.0},
        "sit": {
            "agent": "{cust}申请开通电子账单|{cust}申请将电费通知改为电子方式推送|{cust}申请修改{app}绑定的预留手机号|"
            "{cust}户号被他人绑定，申请解除绑定|{cust}申请在{app}上添加家人户号|{cust}申请注销{app}账号|"
            "{cust}申请开通电费扣款提醒|{cust}申请修改户号绑定的邮箱",
            "plain": "想开通电子账单|想改一下预留的手机号|户号被别人绑了，想解绑|不要纸质账单了，发电子的|"
            "想在{app}上加我爸妈的户号|想注销{app}账号|想开通扣款提醒|账单不用寄了，发邮箱",
            "yue": "想开通电子账单|想改预留手机号|户号俾人绑咗，想解绑|想喺{app}加埋阿爸阿妈个户号|想注销{app}账号|"
            "账单唔使寄，发电邮就得",
        },
    },
    "q_usage": {
        "bts": {"INQUIRY": 1.0},
        "sit": {
            "agent": "咨询{app}上日电量数据在哪里查看|询问{app}显示的用电量与电表读数不一致的原因|"
            "咨询电子发票在{app}哪里下载|"
            "询问{app}如何绑定多个户号",
            "plain": "{app}上每天用了多少电在哪看？|{app}上的电量和电表对不上是怎么回事？|电子发票在哪下载？|"
            "一个账号能绑几个户号？",
            "yue": "{app}边度睇每日用咗几多电？|{app}啲电量同电表对唔上系咩事？|电子发票喺边度下载？",
        },
    },
    "praised": {
        "bts": {"PRAISE": 1.0},
        "sit": {
            "agent": "{app}交费、查询都很方便|通过{app}线上办理过户，全程不用跑营业厅|在线客服回复及时，问题很快解决|"
            "{app}的电量查询功能很实用|通过{app}报修，很快有人联系|电子账单推送及时清晰",
            "plain": "{app}交电费很方便|线上就把过户办了，不用跑腿|在线客服回复很快|{app}查电量很方便|"
            "在{app}上报修很快就有人联系了|电子账单很清楚",
            "yue": "{app}交电费好方便|网上就办咗过户，唔使周围走|网上客服覆得好快|{app}查电量好方便|"
            "喺{app}报修好快有人联络|电子账单好清楚",
        },
    },
    "usability": {
        "bts": {"OPINION": 0.6},
        "sit": {
            "agent": "{app}操作复杂，老年人难以使用|{app}广告弹窗较多|{cust}希望{app}增加粤语语音服务|"
            "公众号菜单层级太多，找不到交费入口",
            "plain": "{app}太复杂了，老人根本不会用|{app}弹窗太多|公众号找个交费入口找半天",
            "yue": "{app}太复杂，老人家唔识用|{app}啲弹窗太多|公众号揾个交费入口揾半日",
        },
    },
}

# ---- OTHER ----------------------------------------------------------------------------
# Theft without a dangerous installation is REPORT/OTHER; dangerous wiring lives in
# FACILITY_SAFETY.illegal_wire.
_TOPIC_LEX.append(
    {
        "agent": {"nbr": "其邻居|隔壁住户|楼下商户|对面的小作坊|同村一户人家|附近一家养殖场"},
        "plain": {"nbr": "我邻居|隔壁那家|楼下那个店|对面的小作坊|村里有一家|附近那个养殖场"},
        "yue": {"nbr": "我隔篱|隔篱屋|楼下间铺|对面个小作坊|村入面有一家"},
    }
)
_FACETS["OTHER"] = {
    "theft": {
        "bts": {"REPORT": 1.0, "URGE": 0.5},
        "sit": {
            "agent": "{place}有住户绕过电表私接用电|{nbr}长期私自改动电表接线，电表几乎不走|{place}一家工厂夜间偷电|"
            "{nbr}在电表上贴磁铁，电量明显偏少|{place}有人拆掉电表封印后私自接线|"
            "{nbr}疑似窃电，用电量与电器数量明显不符|{nbr}从表前搭线用电，电表不计量|"
            "{nbr}私接一根线绕过电表给空调供电|{place}有商户晚上把线接到表前，白天拆掉|"
            "{nbr}用电量大但电表几乎不走，怀疑私接电线偷电|{nbr}从路灯线路上私接电线偷电用于养殖|"
            "{nbr}让人改了电表，每月电费只有几块钱",
            "plain": "{nbr}偷电，电表前面私接了线|{nbr}好像动了电表，电费特别少|{place}有个厂晚上偷电|"
            "有人把电表封条拆了|"
            "{nbr}用磁铁吸电表|{place}有家作坊晚上偷偷接电|{nbr}拆了电表的封条|{nbr}从电表前面接了根线偷电|"
            "{nbr}拉了根线绕开电表|{nbr}晚上接线偷电白天就拆了|{nbr}家开好几台空调电表都不怎么走，肯定在偷电|"
            "{place}有人从路灯线上接电用",
            "yue": "{nbr}偷电，喺电表前面驳咗条线|{nbr}好似郁过个电表，电费少到离谱|{place}有间厂夜晚偷电|"
            "有人拆咗个电表嘅封条|{nbr}成日夜晚开好多部冷气，但系个电表好似唔行|{nbr}喺电表度加咗啲嘢|"
            "{nbr}喺电表前面驳线偷电|{nbr}拉咗条线绕过个电表",
        },
        "sysobs": "用电信息采集系统显示{home}电量长期异常偏低，疑似窃电|"
        "线损分析发现{place}台区线损率异常，疑似存在窃电",
        "fieldobs": "{home}电表前私接电线，疑似窃电|{home}电表封印缺失，接线被改动",
    },
    "scam": {
        "bts": {"INQUIRY": 0.6, "REPORT": 0.3},
        "sit": {
            "agent": "{cust}收到自称供电局的短信，称其电费欠费需点击链接缴费|有人冒充供电所工作人员上门推销节电器|"
            "{cust}接到电话称其电表需更换，要求先转账|{cust}收到短信称有电费退款，要求填写银行卡信息",
            "plain": "收到个短信说我电费欠费，让点链接交|有人冒充你们上门卖节电器|有人打电话说要换电表，让先转账|"
            "收到短信说有电费退款，要填银行卡号",
            "yue": "收到个短讯话我欠电费，叫我撳条链接交钱|有人扮你哋上门卖慳电器|有人打电话话要换电表，叫我先过数|"
            "收到短讯叫我撳链接退电费",
        },
    },
    "damage": {
        "bts": {"COMPLAINT": 0.8, "OPINION": 0.3, "URGE": 0.3},
        "sit": {
            "agent": "电力施工后{place}路面未恢复，留下坑洼|施工车辆压坏{cust}家的农作物，至今未赔偿|"
            "架线施工砍伐了{cust}家的果树，未作补偿|电力施工占用道路数日，影响出行|"
            "电力施工挖断了{cust}家的水管，至今未修复|施工单位在{cust}门口堆放电缆盘，影响进出|"
            "电杆拉线占用{cust}家的耕地未作补偿|施工人员夜间作业噪音扰民|电力施工后{cust}家院墙出现裂缝",
            "plain": "你们施工完路面没恢复，坑坑洼洼的|施工的车把我家菜地压坏了，没人赔|架线把我家果树砍了也不说一声|"
            "施工把路占了好几天|施工把我家水管挖断了没人修|电缆盘堆在我家门口进出不了|半夜施工吵得睡不着|"
            "施工完我家院墙裂了",
            "yue": "你哋施工完条路冇整返，周围都系坑|施工车压烂咗我块菜地，冇人赔|拉线斩咗我屋企棵果树又唔讲声|"
            "施工挖断咗我屋企条水管冇人整|电缆盘堆喺我门口出入唔到|半夜施工嘈到瞓唔着",
        },
    },
    "q_hall": {
        "bts": {"INQUIRY": 0.6},
        "sit": {
            "agent": "咨询{station}营业厅的营业时间|询问周末营业厅是否上班|咨询最近的营业厅地址|"
            "咨询家庭节约用电的方法|咨询供电所值班电话|咨询夏季用电安全常识|询问营业厅能否办理充电卡",
            "plain": "营业厅周末上班吗？|最近的营业厅在哪？|营业厅几点下班？|有什么省电的办法？|供电所电话多少？|"
            "营业厅能办充电卡吗？|夏天用电要注意什么？",
            "yue": "营业厅星期六日开唔开？|最近嘅营业厅喺边？|营业厅几点收工？|有咩慳电嘅方法？|供电所电话几多号？|"
            "夏天用电要注意啲乜？",
        },
    },
    "streetlight": {
        # street lighting belongs to the municipality, not to the supply company: OTHER, however it is phrased
        "bts": {"REPAIR": 1.0, "COMPLAINT": 0.4, "INQUIRY": 0.4, "OPINION": 0.3, "URGE": 0.3},
        "sit": {
            "agent": "{place}{spot}路灯不亮已有{days}天|{place}一排路灯晚上不亮，白天反而亮着|{spot}路灯忽明忽暗|"
            "{place}新装的路灯一直没有通电|{spot}路灯灯杆被撞歪，灯不亮",
            "plain": "{spot}路灯好几天不亮了|{place}的路灯白天亮晚上不亮|{spot}的路灯一闪一闪的|路灯坏了晚上走路很黑|"
            "小区门口的路灯一直没修",
            "yue": "{spot}啲路灯几日都唔着|{place}啲路灯日头着夜晚唔着|{spot}盏路灯闪下闪下|路灯坏咗夜晚行路好黑",
        },
    },
    "property": {
        # power cut by a landlord or property manager, or their own wiring: not the supply company's doing
        "bts": {"COMPLAINT": 0.8, "INQUIRY": 0.6, "URGE": 0.2},
        "sit": {
            "agent": "物业因{cust}欠缴物业费，私自拉闸停止{cust}用电|房东因租金纠纷切断{cust}出租屋的电源|"
            "小区物业以装修违规为由停止{cust}家供电|{place}物业自管的配电房故障，物业拖延不修|"
            "房东私自在出租屋加装电表转供电",
            "plain": "物业说我没交物业费就把我家电闸拉了|房东把我租的房子的电断了|物业不让我装修就停我家电|"
            "小区配电房是物业管的，坏了一直不修|房东自己装了个小电表收电费",
            "yue": "管理处话我冇交管理费就拉咗我屋企个闸|业主断咗我租嗰间屋嘅电|小区配电房系管理处管，坏咗一直唔整",
        },
    },
    "hall_view": {
        "bts": {"OPINION": 0.5},
        "sit": {
            "agent": "营业厅停车位不足|{place}离营业厅较远，办事不便|营业厅取号机经常故障|{place}公共充电桩数量不足",
            "plain": "营业厅门口没地方停车|营业厅太远了|取号机老是坏|我们这充电桩太少了|充电桩老被油车占着",
            "yue": "营业厅门口冇位泊车|营业厅太远|我哋呢度充电桩太少|啲充电桩成日俾油车霸住",
        },
    },
}


# ---------------------------------------------------------------------------------------
# Business-type stance: openers ("open.BT"), bare subjects for verb-initial situations
# ("open_s"), demands ("ask.BT", optionally "ask.BT.TOPIC"), urging markers ("prior").
# Generic openers are mixed into every business type so the opener alone never decides.
# ---------------------------------------------------------------------------------------
_STANCE: dict[str, dict[str, str]] = {
    "agent": {
        "open_gen": "客户来电反映|客户来电称|客户来电表示|客户反映|客户称|来电客户反映|客户致电95598反映|客户来电|"
        "{mr}来电反映|{mr}来电称|{mr}来电表示",
        "open_s": "客户来电|客户|来电客户|客户致电95598|客户通过热线",
        "open.REPAIR": "{open_gen}|{open_gen}|客户来电报修：|客户报修，|客户来电报障，|客户来电报修称",
        "open.COMPLAINT": "{open_gen}|{open_gen}|客户来电投诉|客户来电投诉：|客户投诉称|客户来电表示不满，|"
        "客户情绪激动，来电反映|客户来电对以下问题表示不满：",
        "open.REPORT": "{open_gen}|客户来电举报|客户来电举报：|客户匿名举报：|来电人举报称|客户实名举报称",
        "open.OPINION": "{open_gen}|{open_gen}|客户来电建议：|客户来电提出意见，|客户来电提出建议，",
        "open.INQUIRY": "{open_gen}|客户来电：|客户来电，|客户来电询问：",
        "open.PRAISE": "{open_gen}|客户来电表扬：|客户来电表示感谢，|客户特意来电，|客户来电致谢：",
        "open.SERVICE_REQUEST": "{open_gen}|客户来电办理业务：|客户来电申请：|客户来电预约业务，",
        "open.URGE": "{open_gen}|客户再次来电反映|客户来电催办：|客户第{nth}次来电反映|客户来电催促：|客户再次致电称",
        "ask.REPAIR": "请尽快派员处理|要求尽快派人处理|请安排人员到现场处理|要求供电所尽快派人查看|"
        "请派员上门检查|请尽快安排处理|要求尽快处理|请抢修人员到场后与客户联系",
        "ask.COMPLAINT": "要求追究相关人员责任|要求给予合理解释|要求严肃处理|要求供电公司给个说法|"
        "要求对相关责任人进行处理并道歉|{cust}对此非常不满，要求核实处理|要求核实情况并整改|要求上级部门介入处理|"
        "{cust}不接受此前的答复，要求重新处理",
        "ask.REPORT": "要求供电公司查处|请核实查处|请为举报人保密|要求严肃处理|举报人不愿透露姓名|希望供电部门尽快调查|"
        "要求对相关人员进行调查",
        "ask.OPINION": "希望相关部门重视|建议予以改进|希望供电公司考虑|{cust}表示不是投诉，只是提个建议|希望能够改善|"
        "建议加强管理",
        "ask.INQUIRY": "请帮忙查询并告知客户|请回电解答|询问原因|请核实后答复客户|{cust}希望了解具体情况|请向客户解释",
        "ask.PRAISE": "特此表扬|希望对相关人员予以表扬|对其服务表示感谢|{cust}非常满意|希望公司给予表彰|"
        "{cust}表示服务很到位",
        "ask.SERVICE_REQUEST": "请安排人员联系客户办理|要求预约上门勘查|请尽快受理|{cust}询问办理流程并要求预约|"
        "请告知所需资料并安排办理|请联系客户确认办理时间|{cust}询问需要准备的资料，希望尽快办理|"
        "{cust}咨询办理流程，要求尽快受理|{cust}询问多久能办好，希望尽快安排",
        "ask.URGE": "要求尽快处理|请加快处理进度|请尽快回复客户|{cust}要求给出明确处理时间|请相关单位尽快落实|"
        "请优先处理",
        "hist": "{cust}称此前已就此事多次反映，均未得到解决|{cust}称已拨打95598{times}次，问题依旧|"
        "{cust}表示之前投诉过一次，对处理结果不满意|{cust}称上次反映后只有电话回访，问题没有实际解决|"
        "{cust}称这是其第{nth}次反映同一问题，对此前的答复不认可|{cust}称之前报修过，来人看了一下就走了|"
        "{cust}对此前的处理结果不满意",
        "prior": "{cust}已于{few}天前反映过该问题，至今未处理|此前已反映过，一直未解决|{cust}已是第{nth}次来电|"
        "原工单至今未办结|{cust}称之前已经报修过，但无人到场|前期已派单，现场至今未处理|"
        "{cust}于{date}已来电反映，至今无进展|"
        "{cust}称已多次反映，处理人员一直未联系|原诉求超时未回复",
    },
    "counter": {
        "open_gen": "客户到营业厅反映|客户至{station}营业厅称|客户在营业厅办理业务时表示|客户到厅反映|"
        "营业厅受理：客户称|客户来厅表示",
        "open_s": "客户到营业厅|客户到厅|客户在{station}营业厅|客户现场",
        "open.REPAIR": "{open_gen}",
        "open.COMPLAINT": "{open_gen}|客户到营业厅投诉|客户在营业厅情绪激动，投诉",
        "open.REPORT": "{open_gen}|客户到营业厅举报|客户到厅当面举报：",
        "open.OPINION": "{open_gen}|客户到厅提出建议：",
        "open.INQUIRY": "{open_gen}|客户到厅：",
        "open.PRAISE": "{open_gen}|客户到营业厅送来感谢信，|客户到厅当面致谢：",
        "open.SERVICE_REQUEST": "{open_gen}|客户到营业厅办理业务：|客户持资料到厅，",
        "open.URGE": "{open_gen}|客户再次到营业厅反映|客户到厅催办：",
    },
    "gov": {
        "open_gen": "市民来电反映：|市民反映：|来电人反映：|12345转办：市民来电称|市民来电诉求：|诉求人反映：|"
        "群众来电反映：|"
        "市民通过12345热线反映：",
        "open_s": "市民来电|市民|来电人|诉求人",
        "open.REPAIR": "{open_gen}",
        "open.COMPLAINT": "{open_gen}|市民来电投诉：|市民投诉：",
        "open.REPORT": "{open_gen}|市民来电举报：|群众举报：",
        "open.OPINION": "{open_gen}|市民来电建议：",
        "open.INQUIRY": "{open_gen}|市民来电咨询：",
        "open.PRAISE": "{open_gen}|市民来电表扬：",
        "open.SERVICE_REQUEST": "{open_gen}|市民来电求助：",
        "open.URGE": "{open_gen}|市民再次来电反映：|市民来电催办：",
        "hist": "{cust}称已多次向供电部门反映未果|{cust}此前已通过95598反映，未获解决|{cust}称对供电所此前的答复不满意",
        "prior": "{cust}称此前已向供电部门反映，至今未解决|{cust}已多次反映该问题|该市民此前已来电反映，问题仍未处理|"
        "原工单办结后问题依旧，{cust}再次反映",
    },
    "reg": {
        "open_gen": "12398转办：|能源监管热线转办，来电人反映：|来电人通过12398反映：|12398热线来电人称：|"
        "能源监管热线转办：来电人反映",
        "open_s": "来电人通过12398热线|12398转办：来电人|能源监管热线转办：来电人",
    },
    "field": {
        "open_gen": "台区经理走访时用户反映|网格员入户走访，用户称|现场服务时客户反映：|台区经理接到用户当面反映：|"
        "网格员转来用户诉求：|台区经理上门时用户表示",
        "open_s": "网格员走访时，用户|台区经理入户时，用户",
        "open_obs": "台区经理巡视发现|网格员巡查时发现|台区经理{staff}在{place}巡视时发现|巡线人员发现|"
        "台区经理日常巡视中发现|"
        "网格员入户走访时发现|现场人员发现|台区经理夜间巡视发现",
        "prior": "用户称此前已报修，至今未处理|用户称已反映过多次|该问题此前已登记，仍未处理",
    },
    "sys": {
        "open_gen": "主动回访中客户反映|回访时客户表示|主动服务回访，客户称|客户回访时反映",
        "open_s": "回访时客户|主动服务回访中，客户",
        "open_obs": "主动服务工单：|【主动服务】|系统自动生成：|智能监测预警：|主动服务工单，|监测预警：",
        "open_reply": "客户回复主动服务短信：|客户回复：|客户短信回复称：|主动服务短信回复：",
    },
    "plain": {
        "open.REPAIR": "|||你好，|您好，|喂，|师傅，|麻烦一下，|报修，|在吗，",
        "open.COMPLAINT": "|||我要投诉，|投诉：|你好，|我想投诉一下，|实在忍不了了，|你们管不管？",
        "open.REPORT": "||举报：|我要举报，|你好，我想反映个情况，|匿名举报，|举报一下，",
        "open.OPINION": "||提个建议，|你好，|说句实话，|给你们提点意见，|有个建议，",
        "open.INQUIRY": "||你好，|请问|想问一下，|咨询一下，|问下，|麻烦问一下，|请问一下，",
        "open.PRAISE": "||表扬一下，|必须点赞，|想表扬一下你们，|你好，|说声谢谢，",
        "open.SERVICE_REQUEST": "||你好，|想申请一下，|请问|想办个业务，|您好，",
        "open.URGE": "||又是我，|催一下，|第{nth}次了，|你好，|还是那个事，",
        "ask.REPAIR": "快点来修|麻烦派个师傅来看看|赶紧来人|请尽快处理|什么时候能来人啊|快来修吧|麻烦尽快|"
        "派人来看看吧|赶快处理一下",
        "ask.COMPLAINT": "必须给我个说法|你们要负责|要求处理相关人员|这事没完|让你们领导给个解释|不给个交代不行|"
        "必须道歉|"
        "我要一个合理的解释|你们自己看着办",
        "ask.REPORT": "你们来查一下|请不要说是我举报的|希望管一管|请严查|赶紧查查吧|别透露我的名字",
        "ask.OPINION": "希望能改进一下|建议你们重视一下|不算投诉，就是希望改改|希望能改善|提个意见，希望采纳|"
        "希望越来越好",
        "ask.INQUIRY": "谢谢|麻烦告诉一下|求解答|麻烦回复|急等回复|谢谢解答|帮忙查一下",
        "ask.PRAISE": "谢谢你们|点个赞|必须表扬|辛苦了|太感谢了|给你们点赞",
        "ask.SERVICE_REQUEST": "怎么申请|麻烦帮我办理|能不能安排一下|想预约一下|需要什么材料|什么时候可以来办|"
        "我想办，要带什么资料？|要怎么办理？我想尽快弄|能不能帮我办一下？|多久能办好？急着用|在网上能申请吗？我想今天就交",
        "ask.URGE": "到底什么时候能处理|能不能快点|别再拖了|什么时候来啊|今天能不能处理好|快点吧",
        "hist": "已经打了{times}次电话了还是这样|之前反映过好几次都没用|上次投诉了也没人管|前前后后找了你们好几回|"
        "每次打电话都说会处理，结果呢|报过修，来人看一眼就走了",
        "prior": "已经报过了|这是第{nth}次打电话了|催一下|怎么还没人来|上次说的到现在都没动静|前天就反映了|"
        "早上就打过电话了|"
        "都报了{few}天了|之前打过电话，说会处理，结果没下文|上周就说了",
    },
    "yue": {
        "open.REPAIR": "|||你好，|喂，|唔该，|师傅，|麻烦晒，",
        "open.COMPLAINT": "|||我要投诉，|投诉！|你好，我想投诉下，|真系顶唔顺，",
        "open.REPORT": "||举报：|我要举报，|你好，想反映件事，",
        "open.OPINION": "||提个建议，|你好，|老实讲，",
        "open.INQUIRY": "||你好，|想问下，|请问|问下，|唔该问下，",
        "open.PRAISE": "||表扬下，|要赞下你哋，|你好，",
        "open.SERVICE_REQUEST": "||你好，|想申请下，|请问|想办个手续，",
        "open.URGE": "||又系我，|催下，|第{nth}次喇，|你好，|都系嗰件事，",
        "ask.REPAIR": "快啲嚟整|唔该派个师傅嚟睇下|快啲派人嚟啦|几时有人嚟啊|麻烦尽快处理|唔该快啲|派个人嚟睇睇啦",
        "ask.COMPLAINT": "一定要俾个讲法我|你哋要负责|一定要有人负责|唔好再敷衍我|叫你哋领导出嚟解释|一定要道歉|"
        "唔俾个交代唔得",
        "ask.REPORT": "你哋嚟查下|唔好话系我讲嘅|希望管下|快啲查下啦|唔好透露我个名",
        "ask.OPINION": "希望可以改善下|建议你哋重视下|唔系投诉，只系想你哋改下|希望采纳下",
        "ask.INQUIRY": "唔该|麻烦答下|唔该晒|帮手查下|等紧回复",
        "ask.PRAISE": "多谢晒|辛苦晒|真系好好|赞一个|好感谢你哋",
        "ask.SERVICE_REQUEST": "点样申请啊|唔该帮我搞下|可唔可以安排下|想约个时间|要咩资料|几时可以嚟办",
        "ask.URGE": "到底几时搞掂|快啲啦|唔好再拖|几时嚟啊|今日搞唔搞得掂",
        "hist": "已经打咗{times}次电话都系咁|之前反映过几次都冇用|上次投诉咗都冇人理|次次打嚟都话会处理",
        "prior": "已经报咗|第{nth}次打嚟喇|催下你哋|点解仲未有人嚟|上次讲咗到而家都冇消息|前日已经反映咗|"
        "今朝已经打过电话|"
        "都报咗{few}日|上个礼拜已经讲咗",
    },
}

# Specific demands: "ask.BT.TOPIC" fits every facet of the topic, "ask.BT.TOPIC.FACET"
# only that facet; each is used instead of the generic demand about half of the time.
_TOPIC_ASK: dict[str, dict[str, str]] = {
    "agent": {
        "ask.REPAIR.OUTAGE": "请尽快恢复供电|要求尽快派人抢修|请抢修人员尽快到场|请尽快安排抢修",
        "ask.REPAIR.FACILITY_SAFETY": "请尽快派人处理隐患|要求尽快修复|请派人现场查看|请尽快派人消除隐患",
        "ask.REPAIR.FACILITY_SAFETY.tree": "请派人修剪树枝|请尽快清理线路通道",
        "ask.REPAIR.FACILITY_SAFETY.meterbox": "请尽快更换表箱|请派人维修表箱",
        "ask.REPAIR.FACILITY_SAFETY.pole": "请派人现场查看并加固|请尽快扶正电杆",
        "ask.REPAIR.FACILITY_SAFETY.wire_low": "请派人紧线处理|请尽快将导线升高",
        "ask.REPAIR.FACILITY_SAFETY.noise": "请派人检查变压器",
        "ask.REPAIR.FACILITY_SAFETY.aging": "请尽快更换老化线路",
        "ask.REPAIR.VOLTAGE": "要求检查线路并解决电压问题|请派员上门测量电压|请尽快调整电压",
        "ask.REPAIR.METERING": "请派员检查更换电表|要求尽快更换电能表",
        "ask.REPAIR.REMOTE_CONTROL": "请尽快远程复电|要求尽快恢复供电|请核实交费情况并复电",
        "ask.COMPLAINT.METERING": "要求说明原因并追究责任|要求给出合理解释并整改",
        "ask.COMPLAINT.METERING.fast": "要求第三方检定并退还多收电费|认为电表有问题，要求赔偿",
        "ask.COMPLAINT.METERING.dispute": "要求第三方检定并退还多收电费|要求重新检定",
        "ask.COMPLAINT.REMOTE_CONTROL": "要求说明原因并追责|要求赔偿损失",
        "ask.COMPLAINT.REMOTE_CONTROL.no_reminder": "要求解释为何未提前通知并追责",
        "ask.COMPLAINT.METER_READING_BILLING": "要求重新核算并退还多收电费|要求说明电量来源并追究抄表人员责任",
        "ask.COMPLAINT.PROCESS_TIMELINESS": "要求说明超时原因并追责|要求尽快办结并给予答复",
        "ask.COMPLAINT.NEW_CONNECTION": "要求说明超期原因，尽快办结|要求追究办理人员责任",
        "ask.COMPLAINT.STAFF_CONDUCT": "要求当事人道歉|要求严肃处理该{staffer}",
        "ask.COMPLAINT.STAFF_CONDUCT.fee": "要求退还费用并处理相关人员",
        "ask.COMPLAINT.DIGITAL_CHANNEL": "要求尽快解决并说明原因",
        "ask.COMPLAINT.DIGITAL_CHANNEL.app_pay": "要求尽快到账并说明原因|要求退回重复扣款",
        "ask.COMPLAINT.PAYMENT_TARIFF": "要求给出合理解释",
        "ask.COMPLAINT.PAYMENT_TARIFF.penalty": "要求退还违约金",
        "ask.COMPLAINT.PAYMENT_TARIFF.bank_credit": "要求核实到账情况并说明原因",
        "ask.COMPLAINT.OUTAGE_NOTICE": "要求赔偿损失|要求今后停电提前通知",
        "ask.COMPLAINT.OUTAGE": "要求说明原因并尽快整改",
        "ask.COMPLAINT.OUTAGE.frequent": "要求彻底解决频繁停电问题",
        "ask.COMPLAINT.VOLTAGE": "要求尽快解决电压问题",
        "ask.COMPLAINT.VOLTAGE.high": "要求赔偿损坏的电器",
        "ask.COMPLAINT.FACILITY_SAFETY": "要求尽快消除隐患|要求尽快整改",
        "ask.COMPLAINT.OTHER": "要求恢复原状并赔偿|要求施工单位赔偿损失",
        "ask.REPORT.FACILITY_SAFETY": "要求供电公司制止|请尽快派人制止|请依法处理",
        "ask.REPORT.STAFF_CONDUCT": "要求调查处理该{staffer}",
        "ask.REPORT.STAFF_CONDUCT.fee": "要求退还费用并查处",
        "ask.SERVICE_REQUEST.METERING": "请安排人员上门处理|请尽快安排",
        "ask.SERVICE_REQUEST.METERING.fast": "申请对电表进行校验|要求预约校表|申请现场检定电能表",
        "ask.SERVICE_REQUEST.METERING.test": "申请对电表进行校验|要求安排人员上门检测电表",
        "ask.SERVICE_REQUEST.NEW_CONNECTION": "请安排人员上门勘查|要求尽快受理并告知所需资料|请联系客户预约办理|"
        "{cust}资料已备齐，要求尽快办理",
        "ask.SERVICE_REQUEST.PAYMENT_TARIFF": "请协助办理|请告知需要的资料",
        "ask.SERVICE_REQUEST.REMOTE_CONTROL": "请尽快处理|请协助修改",
        "ask.SERVICE_REQUEST.DIGITAL_CHANNEL": "请后台协助处理|请协助办理",
        "ask.SERVICE_REQUEST.FACILITY_SAFETY": "请派人现场勘查|{cust}愿意承担相关费用",
        "ask.INQUIRY.OUTAGE": "询问何时恢复供电|询问停电原因",
        "ask.INQUIRY.NEW_CONNECTION": "请告知客户办理方式|请告知所需资料",
        "ask.INQUIRY.PAYMENT_TARIFF": "请告知客户办理方式|请向客户解释相关政策",
        "ask.INQUIRY.VOLTAGE": "询问电压是否正常|询问何时能解决",
        "ask.INQUIRY.FACILITY_SAFETY": "询问应由谁负责处理|询问是否需要客户自行处理|咨询处理流程",
        "ask.INQUIRY.METERING": "询问电表是否正常|询问是否需要校表",
        "ask.INQUIRY.METER_READING_BILLING": "询问是否抄表有误|请核实电量并告知原因|询问电费为何偏高",
        "ask.INQUIRY.PAYMENT_TARIFF.bank_credit": "询问款项去向|请核实到账情况并告知",
        "ask.INQUIRY.DIGITAL_CHANNEL": "询问如何处理|请告知解决办法",
        "ask.INQUIRY.PROCESS_TIMELINESS": "询问办理进度|询问何时能办好",
        "ask.INQUIRY.REMOTE_CONTROL": "询问为何停电|询问如何恢复供电",
        "ask.INQUIRY.OUTAGE_NOTICE": "询问具体停电安排|询问是否有停电计划",
        "ask.INQUIRY.OTHER": "询问是否属实|询问如何处理",
        "ask.OPINION.OUTAGE": "建议对线路进行升级改造|希望供电所加强线路维护|建议停电后及时说明原因",
        "ask.OPINION.VOLTAGE": "建议对台区进行增容改造|希望尽快解决末端电压偏低问题|建议加装调压设备",
        "ask.OPINION.FACILITY_SAFETY": "希望加强设施维护管理|建议尽快排查整改",
        "ask.OPINION.FACILITY_SAFETY.tree": "建议定期巡视清理",
        "ask.OPINION.FACILITY_SAFETY.aging": "希望对老旧线路进行整治",
        "ask.OPINION.FACILITY_SAFETY.noise": "建议加装隔音设施",
        "ask.OPINION.STAFF_CONDUCT": "希望加强员工服务意识培训|建议规范{staffer}言行",
        "ask.OPINION.METER_READING_BILLING": "建议账单列明起止读数|建议抄表后短信告知读数|希望每月按实际读数抄表",
        "ask.OPINION.METERING": "建议将表箱安装位置降低|建议在表箱上标清户号",
        "ask.OPINION.PAYMENT_TARIFF.channels": "建议保留现金交费渠道|建议增设代收网点",
        "ask.OPINION.PAYMENT_TARIFF.tier_view": "希望调整阶梯电价档位",
        "ask.OPINION.PAYMENT_TARIFF.penalty": "建议违约金收取前先提醒",
        "ask.OPINION.NEW_CONNECTION": "建议简化办电资料|希望实现全程线上办理",
        "ask.OPINION.OUTAGE_NOTICE": "建议停电前用短信逐户通知|希望停电通知时间更准确",
        "ask.OPINION.PROCESS_TIMELINESS": "建议一次性告知所需资料|希望提高办事效率",
        "ask.OPINION.REMOTE_CONTROL": "建议停电前多次提醒|建议夜间和节假日不执行欠费停电",
        "ask.OPINION.DIGITAL_CHANNEL": "建议简化APP操作|希望增加老年人模式",
        "ask.OPINION.OTHER.hall_view": "建议增加停车位|建议多建充电桩",
    },
    "plain": {
        "ask.REPAIR.OUTAGE": "快点来电吧|赶紧恢复供电|快点修好",
        "ask.REPAIR.FACILITY_SAFETY": "快派人来弄一下|太危险了赶紧处理|派人来看看",
        "ask.REPAIR.FACILITY_SAFETY.tree": "树要剪一剪了|派人来把树枝砍了",
        "ask.REPAIR.FACILITY_SAFETY.meterbox": "表箱换一个吧|来修一下表箱",
        "ask.REPAIR.VOLTAGE": "来测一下电压吧|把电压问题解决一下",
        "ask.REPAIR.METERING": "来换个表吧|帮忙看看电表",
        "ask.REPAIR.REMOTE_CONTROL": "赶紧给我复电|快点送电",
        "ask.COMPLAINT.METERING.fast": "必须给我换表退钱|电表肯定有问题，你们要负责",
        "ask.COMPLAINT.METERING.dispute": "必须重新检定|电表肯定有问题，你们要负责",
        "ask.COMPLAINT.METER_READING_BILLING": "多收的钱退给我|抄错了就要负责",
        "ask.COMPLAINT.STAFF_CONDUCT": "让他给我道歉|这种人就该处理",
        "ask.SERVICE_REQUEST.METERING.fast": "想申请验一下表|能不能来校一下电表",
        "ask.SERVICE_REQUEST.METERING.test": "帮我测一下电表准不准|想约个时间验表",
        "ask.SERVICE_REQUEST.NEW_CONNECTION": "麻烦安排人来看一下|要准备什么资料我去办|尽快帮我办一下",
        "ask.INQUIRY.OUTAGE": "什么时候来电？|为什么老停电？",
        "ask.INQUIRY.VOLTAGE": "这电压正常吗？|能不能解决？",
        "ask.INQUIRY.FACILITY_SAFETY": "这个归谁管？|要我们自己处理吗？|该找谁？",
        "ask.INQUIRY.METERING": "电表是不是坏了？|要不要换表？",
        "ask.INQUIRY.METER_READING_BILLING": "是不是抄错了？|帮我查查怎么回事|这电费对吗？",
        "ask.INQUIRY.PAYMENT_TARIFF.bank_credit": "钱去哪了？|帮我查一下到没到账",
        "ask.INQUIRY.DIGITAL_CHANNEL": "要怎么弄？|怎么解决？",
        "ask.INQUIRY.PROCESS_TIMELINESS": "到底什么时候能好？|现在到哪一步了？",
        "ask.INQUIRY.REMOTE_CONTROL": "怎么才能来电？|为什么会这样？",
        "ask.INQUIRY.OTHER": "是真的吗？|要怎么处理？",
        "ask.OPINION.OUTAGE": "希望能把线路改造一下|建议你们多检修检修|希望以后少停点电",
        "ask.OPINION.VOLTAGE": "希望把变压器换大一点|电压的问题早点解决吧",
        "ask.OPINION.PAYMENT_TARIFF.channels": "现金交费还是要留着|多设几个交费点吧",
        "ask.OPINION.PAYMENT_TARIFF.tier_view": "阶梯能不能调一调",
        "ask.OPINION.DIGITAL_CHANNEL": "APP做简单点吧|出个老人版吧",
        "ask.OPINION.OUTAGE_NOTICE": "停电前发个短信吧|通知时间准一点",
    },
    "yue": {
        "ask.REPAIR.OUTAGE": "快啲送返电啦|快啲整返好佢",
        "ask.REPAIR.FACILITY_SAFETY": "快啲派人嚟整下|好危险，快啲处理",
        "ask.REPAIR.FACILITY_SAFETY.tree": "啲树要剪下喇",
        "ask.REPAIR.FACILITY_SAFETY.meterbox": "换过个表箱啦",
        "ask.REPAIR.VOLTAGE": "嚟测下电压啦|整好个电压问题",
        "ask.REPAIR.METERING": "嚟换个表啦",
        "ask.REPAIR.REMOTE_CONTROL": "快啲复电啦|快啲送返电",
        "ask.COMPLAINT.METERING.fast": "一定要退返多收嘅钱|个表实有问题，你哋要负责",
        "ask.COMPLAINT.STAFF_CONDUCT": "叫佢同我道歉|呢种人要处理",
        "ask.SERVICE_REQUEST.METERING.fast": "想申请验下个表|可唔可以嚟校下个电表",
        "ask.SERVICE_REQUEST.NEW_CONNECTION": "唔该安排人嚟睇下|要准备咩资料我去办",
        "ask.INQUIRY.OUTAGE": "几时有电啊？|点解成日停电？",
        "ask.INQUIRY.FACILITY_SAFETY": "呢啲归边个管？|使唔使我哋自己搞？",
        "ask.INQUIRY.METERING": "个电表系咪坏咗？",
        "ask.INQUIRY.METER_READING_BILLING": "系咪抄错咗？|帮我查下咩事|啲电费啱唔啱㗎？",
        "ask.INQUIRY.PAYMENT_TARIFF.bank_credit": "啲钱去咗边？",
        "ask.INQUIRY.DIGITAL_CHANNEL": "点搞好？",
        "ask.INQUIRY.OTHER": "系咪真㗎？|点处理好？",
        "ask.OPINION.OUTAGE": "希望可以整下啲线|建议你哋多啲检修|希望以后少啲停电",
        "ask.OPINION.DIGITAL_CHANNEL": "APP整简单啲啦",
    },
}

# ---------------------------------------------------------------------------------------
# Colour: emotion, background noise, impact, closings. Noise mentions weather, family,
# work and past appeals so the classifier meets label-irrelevant words everywhere.
# ---------------------------------------------------------------------------------------
_COLOUR: dict[str, dict[str, str]] = {
    "agent": {
        "emo": "{cust}情绪激动|{cust}情绪较大|{cust}表示非常不满|{cust}语气急躁|{cust}表示很无奈|{cust}表示难以接受|"
        "{cust}对处理效率不满",
        "emo_pos": "{cust}表示非常感动|{cust}对此非常满意|{cust}语气愉快，连声道谢",
        "noise": "{cust}称近几天一直下雨|{cust}为外地务工人员，平时不在家|{cust}称其在外上班，家中只有孩子|"
        "{cust}称之前也反映过其他问题，已解决|{cust}称当天刚搬入新居|{cust}称家中正在装修|{cust}称其为出租屋房东|"
        "{cust}称自己不太懂用电方面的规定|{cust}表示白天上班不方便接电话|{cust}称最近工作比较忙|"
        "{cust}户号尾号{tail}|{cust}称昨天刚刮过大风|{cust}称孩子正准备考试",
        "close": "请尽快处理并回复客户|请相关单位尽快处理|请核实后回复客户|{cust}联系电话尾号{tail}|请按时限处理|"
        "请处理|"
        "请联系客户|请及时回访",
        "quote_open": "{cust}称：|{cust}原话：|{cust}表示：|{cust}在电话中说：",
    },
    "counter": {
        "close": "已告知客户处理时限|请相关部门处理后回复客户|已向客户做好解释，请跟进处理|客户留电话尾号{tail}|"
        "请后台尽快处理",
    },
    "gov": {
        "emo": "{cust}情绪较为激动|{cust}对此意见较大|{cust}表示非常不满",
        "close": "请供电公司核实处理并答复市民|请相关单位核实后答复来电人|请于规定时限内办结并回复|请核实处理|"
        "市民要求尽快处理，请核实并答复|请依法依规处理并回复市民|请承办单位核实情况，做好解释工作|"
        "请尽快处理并反馈办理结果",
        "quote_open": "{cust}称：|{cust}表示：|来电人原话：",
    },
    "reg": {
        "close": "请供电企业依法依规核实处理，并于10个工作日内答复|请核实处理并将结果报送|请按规定时限办结并反馈|"
        "请供电公司调查核实后回复来电人",
    },
    "field": {
        "close": "已登记，待班组处理|已向用户解释，需后续跟进|请{station}安排处理|已转相关专业处理|请相关专业联系用户",
        "close_obs": "已现场拍照并上报|已告知用户注意安全，需安排处理|建议尽快安排检修|已登记，待班组处理|"
        "已设置警示标识，请安排人员处理|请{station}安排处理",
        "quote_open": "用户说：|用户原话：",
    },
    "sys": {
        "close": "请{station}核实处理|请台区经理联系用户|已推送至{station}，请处理|请核查并反馈处理结果|已自动派单",
        "close_obs": "请{station}核实处理|请台区经理联系用户|请于2小时内现场核查|已推送至{station}，请处理|已自动派单",
    },
    "plain": {
        "emo": "真的很无语|太气人了|烦死了|服了|真是醉了|无语|受不了了|心累|气死我了|搞什么啊",
        "emo_pos": "真的很暖心|太感动了|这服务没得说|给你们竖大拇指",
        "noise": "今天好热|刚下班回来|我在外地打工|这几天一直下雨|老婆刚打电话说的|孩子明天要考试|我们刚搬过来不久|"
        "上次反映别的事你们处理得还行|我白天要上班|户号尾号{tail}|我不太懂这些|房子是租的|天气预报说明天还要下雨",
        "close": "谢谢|谢谢！|麻烦了|辛苦了|急|在线等|拜托了|谢谢了",
    },
    "yue": {
        "emo": "真系好嬲|激死人|顶唔顺|好鬼烦|搞到好攰|真系冇讲|痴线|搞乜鬼啊",
        "emo_pos": "真系好窝心|服务冇得弹|好感动",
        "noise": "今日好热|啱啱放工返嚟|呢几日成日落雨|我喺外地返工|老婆打电话话我知|啱啱搬过嚟冇几耐|我日头要返工|"
        "户号尾号{tail}|我唔系好识呢啲|间屋系租嘅",
        "close": "唔该|唔该晒|麻烦晒|急|等紧|多谢",
    },
}

# Background and history ("bg", "bg.TOPIC"): what makes long orders long without
# changing the label.
_BACKGROUND: dict[str, dict[str, str]] = {
    "agent": {
        "bg": "{cust}称该问题已持续一段时间|{cust}称此前曾自行联系过{station}|{cust}表示以前从未遇到过此类情况|"
        "{cust}称邻居也有类似情况|{cust}称周边正在施工|{cust}表示家中只有老两口，不会使用手机",
        "bg.OUTAGE": "{cust}称去年夏天也出现过类似情况|{cust}称附近正在修路，怀疑线路被挖断|"
        "{cust}称已找电工检查户内线路，未发现问题|{cust}表示刚更换过空气开关",
        "bg.VOLTAGE": "{cust}称附近新建了多栋厂房|{cust}称台区变压器容量偏小|{cust}已购买稳压器仍无改善",
        "bg.FACILITY_SAFETY": "{cust}称该处每天有很多学生经过|{cust}称上次大风后情况更严重|{cust}称已向村委反映过",
        "bg.METER_READING_BILLING": "{cust}称家中只有两人居住|{cust}称本月外出旅游一周|{cust}称电器使用情况与往月相同|"
        "{cust}称上月电费仅{amount_usual}元",
        "bg.METERING": "{cust}称家中电器均为节能型|{cust}称已自行关闭所有电器观察电表|{cust}称电表已使用十余年",
        "bg.NEW_CONNECTION": "{cust}称已在网上提交过申请|{cust}称房屋已办理规划许可|{cust}称店铺计划下月开业",
        "bg.PROCESS_TIMELINESS": "{cust}称每次询问都被告知在走流程|{cust}为此已请假{times}次|"
        "{cust}称承办人员电话一直无人接听",
        "bg.REMOTE_CONTROL": "{cust}称一直按时交费|{cust}称预留的手机号是其子女的|{cust}称交费后已等待较长时间",
        "bg.DIGITAL_CHANNEL": "{cust}称已尝试卸载重装|{cust}称换了手机依旧如此|{cust}称在线客服无法解决",
        "bg.PAYMENT_TARIFF": "{cust}称家中人口较多|{cust}称一直通过银行代扣交费|{cust}表示对电价政策不太了解",
        "bg.STAFF_CONDUCT": "{cust}称当时有其他客户在场|{cust}称可提供通话录音|{cust}称记得该{staffer}的工号",
        "bg.OUTAGE_NOTICE": "{cust}称所在小区公告栏未张贴通知|{cust}称手机号码一直未变更|"
        "{cust}经营冷链生意，停电影响较大",
        "bg.OTHER": "{cust}称已观察较长时间|{cust}称有照片可以提供|{cust}称施工单位为外包队伍",
    },
    "plain": {
        "bg": "这个问题好久了|以前从来没这样过|邻居也说有这个问题|附近在施工|家里就两个老的，手机都不会用|"
        "之前找过供电所",
        "bg.OUTAGE": "去年夏天也这样|附近在修路，不知道是不是挖断了线|叫电工来看过说家里线路没问题|上礼拜刚换的空开",
        "bg.VOLTAGE": "附近新开了好几个厂|变压器太小了带不动|买了稳压器也没用",
        "bg.FACILITY_SAFETY": "那里每天很多小孩经过|上次刮大风之后更严重了|跟村委说过没用",
        "bg.METER_READING_BILLING": "家里就两个人住|这个月还出去旅游了一个礼拜|电器跟以前一样用|"
        "上个月才{amount_usual}块",
        "bg.METERING": "家里都是节能电器|自己把电器都关了看过电表|电表用了十几年了",
        "bg.NEW_CONNECTION": "网上已经提交过了|房子手续都齐了|店下个月要开业",
        "bg.PROCESS_TIMELINESS": "每次问都说在走流程|为这事请了{times}次假|打经办人电话一直没人接",
        "bg.REMOTE_CONTROL": "我一直按时交的|留的是我儿子的手机号|交完钱等了好久",
        "bg.DIGITAL_CHANNEL": "卸载重装也没用|换了个手机还是一样|在线客服解决不了",
        "bg.PAYMENT_TARIFF": "家里人比较多|一直是银行扣的|电价政策不太懂",
        "bg.STAFF_CONDUCT": "当时还有别的人在|我有录音|我记得他的工号",
        "bg.OUTAGE_NOTICE": "小区公告栏什么都没贴|我手机号一直没换过|我是做冻品生意的",
        "bg.OTHER": "我观察好久了|我拍了照片|施工的是外包队",
    },
    "yue": {
        "bg": "呢个问题好耐喇|以前从来冇试过|隔篱都话有呢个问题|附近喺度施工|之前揾过供电所",
        "bg.OUTAGE": "旧年夏天都系咁|附近整紧路，唔知系咪挖断咗条线|叫过电工嚟睇话屋企啲线冇问题",
        "bg.VOLTAGE": "附近开咗好多间厂|个变压器太细带唔郁",
        "bg.FACILITY_SAFETY": "嗰度日日好多细路经过|上次打大风之后仲衰",
        "bg.METER_READING_BILLING": "屋企得两个人住|今个月仲去咗旅行一个礼拜|上个月先{amount_usual}蚊",
        "bg.METERING": "屋企啲电器都系慳电嘅|自己熄晒啲电器睇过个表",
        "bg.NEW_CONNECTION": "网上已经交咗申请|间铺下个月开张",
        "bg.PROCESS_TIMELINESS": "次次问都话喺走流程|为咗呢件事请咗{times}次假",
        "bg.REMOTE_CONTROL": "我一直准时交|留嘅系我仔嘅电话",
        "bg.DIGITAL_CHANNEL": "删咗再装都冇用|网上客服搞唔掂",
        "bg.PAYMENT_TARIFF": "屋企人多|一直系银行扣数",
        "bg.STAFF_CONDUCT": "当时仲有其他人喺度|我有录音",
        "bg.OUTAGE_NOTICE": "小区公告栏乜都冇贴|我个电话一直冇换过",
        "bg.OTHER": "我睇咗好耐|我有影相",
    },
}

# Impact per topic ("imp.TOPIC"), optional.
_IMPACT: dict[str, dict[str, str]] = {
    "agent": {
        "imp.OUTAGE": "影响正常生活|冰箱内食物可能变质|家中孩子无法写作业|店铺无法正常营业|天气炎热难以入睡|"
        "手机无法充电",
        "imp.VOLTAGE": "家电无法正常使用|{cust}担心损坏电器|夏季无法使用空调",
        "imp.FACILITY_SAFETY": "存在安全隐患|影响行人和车辆通行|附近有学校，{cust}担心安全",
        "imp.REMOTE_CONTROL": "影响正常生活|{cust}家中无法做饭",
        "imp.METER_READING_BILLING": "{cust}认为电费不合理|{cust}经济困难，难以承担",
        "imp.NEW_CONNECTION": "{cust}急需用电|影响正常生产生活|已耽误原定计划",
        "imp.PROCESS_TIMELINESS": "{cust}已多次往返|影响{cust}资金周转",
        "imp.DIGITAL_CHANNEL": "{cust}担心被重复扣费|影响正常交费",
        "imp.OUTAGE_NOTICE": "{cust}认为供电公司未尽告知义务|给生产经营造成损失",
        "imp.STAFF_CONDUCT": "{cust}认为严重损害供电公司形象|{cust}感到受到侮辱",
        "imp.METERING": "{cust}对电量数据无法信任|{cust}担心电费计算不准",
    },
    "plain": {
        "imp.OUTAGE": "热得睡不着|孩子没法写作业|店里生意做不了|冰箱的东西要坏了|手机都快没电了|饭都做不了",
        "imp.VOLTAGE": "电器都用不了|怕把电器弄坏|天热没法开空调",
        "imp.FACILITY_SAFETY": "太危险了|小孩经常在那玩|过路的人都很担心",
        "imp.REMOTE_CONTROL": "饭都做不了|晚上黑灯瞎火的",
        "imp.METER_READING_BILLING": "一个月工资才多少|这么多电费交不起",
        "imp.NEW_CONNECTION": "急着用电|耽误事了|等着用呢|一直拖着很耽误事",
        "imp.PROCESS_TIMELINESS": "耽误我好多时间|请假跑了好几次",
        "imp.DIGITAL_CHANNEL": "钱扣了又没到账很担心|交不了电费",
        "imp.OUTAGE_NOTICE": "损失谁来赔|提前说一声很难吗",
        "imp.STAFF_CONDUCT": "这种服务态度太差了|一点都不尊重人",
        "imp.METERING": "心里不踏实|不知道到底用了多少电|电费都算不清",
    },
    "yue": {
        "imp.OUTAGE": "热到瞓唔着|细路做唔到功课|间铺做唔到生意|雪柜啲嘢就快坏|煮唔到饭",
        "imp.VOLTAGE": "啲电器用唔到|惊整坏啲电器",
        "imp.FACILITY_SAFETY": "好危险|啲细路成日喺度玩",
        "imp.REMOTE_CONTROL": "煮唔到饭|夜晚乌灯黑火",
        "imp.METER_READING_BILLING": "咁多电费边度畀得起",
        "imp.NEW_CONNECTION": "急住用电|阻住晒|拖到而家好阻时间",
        "imp.PROCESS_TIMELINESS": "嘥咗我好多时间",
        "imp.DIGITAL_CHANNEL": "惊俾人扣多咗钱",
        "imp.OUTAGE_NOTICE": "损失边个赔|早啲讲声好难咩",
        "imp.STAFF_CONDUCT": "咁样嘅服务态度太差|一啲都唔尊重人",
    },
}

# ---------------------------------------------------------------------------------------
# Urgency (taxonomy): live/sparking/smoking/exploding; health depending on power; a large
# area out; an explicit threat to go to media, a regulator, 信访 or court. "look" holds
# non-urgent look-alikes (past escalation, money loss, an elderly person who is merely
# mentioned) so the cue words themselves, not their neighbours, carry urgency.
# ---------------------------------------------------------------------------------------
_URGENT: dict[str, dict[str, str]] = {
    "agent": {
        "urg.live": "现场电线断落仍在冒火花|电线接头处不断打火|表箱内冒烟并伴有焦味|变压器处有噼啪放电声并冒火光|"
        "断落的电线搭在铁栏杆上，可能带电|配电箱漏电，有路人触碰时被电到|电杆上的设备发出爆响后冒烟|线路起火，仍在燃烧|"
        "{hz_obj}{hz_act}|{hz_obj}{hz_act}|{hz_obj}{hz_act}，{hz_more}|{hz_more}，{hz_obj}{hz_act}",
        "hz_obj": "现场电线|进户线接头|表箱内|电表处|配电箱|变压器|电杆上的开关|路边电缆|墙上的电线|空开下桩头|"
        "线路接头|电缆分支箱|楼道电井内|低压刀闸",
        "hz_act": "冒烟|不断打火|冒出火花|起火燃烧|有烧焦味并冒烟|噼啪作响并冒火光|短路冒火|外壳带电|漏电，有人被电到|"
        "着火了|突然爆响后冒烟|一直冒烟，气味刺鼻|持续放电打火|冒蓝光并有火星|断线落地|断落在路面上",
        "urg.live.FACILITY_SAFETY": "{urg.live}|{urg.live}|电杆被车撞倒，导线拖地|大树倒下压断电线，电线掉在地上|"
        "高压线断线，垂落在马路中间|台风后电杆倒杆，电线拖地|路灯杆漏电，有狗被电到|铁皮棚顶带电，有人被电到",
        "hz_more": "{cust}不敢靠近|周边常有行人经过|附近有小孩玩耍|{cust}已自行拉下总闸|{cust}已让家人远离|"
        "现场无人看守",
        "urg.live.OUTAGE": "停电前听到变压器处一声爆响并冒火光|停电时电杆上有火花冒出|{urg.live}",
        "urg.live.VOLTAGE": "电压过高导致插座冒烟|电器冒烟并有焦味|{urg.live}",
        "urg.live.METERING": "电表处冒烟并有焦味|电表发出噼啪声并冒火花",
        "urg.health": "{cust}家中有老人需使用制氧机|家中有病人依靠呼吸机维持|{cust}家中有透析病人|{hl_who}{hl_need}|"
        "停电导致电梯困人，有{few}人被困在电梯里|{cust}称楼内电梯困人，里面有老人|"
        "{hl_who}{hl_need}|"
        "家中有早产婴儿需使用保温箱|"
        "家中有卧床老人需要用电维持医疗设备|家中病人的胰岛素需要冷藏|家中老人患心脏病，需用制氧机",
        "hl_who": "{cust}家中老人|{cust}母亲|{cust}父亲|家中病人|{cust}的爱人|家中卧床老人|{cust}奶奶",
        "hl_need": "需24小时使用制氧机|依靠呼吸机维持|每天需在家做腹膜透析|长期吸氧，停电后无法使用制氧设备|"
        "患有心脏病，需要在家吸氧|注射用的胰岛素需要冷藏|术后卧床，依赖电动护理床和吸氧机",
        "urg.large": "{place}整个小区停电|{place}整条村都没电|涉及约{n_many}户居民|周边几百户居民都受影响|"
        "{place}周边约{n_many}户{nopower}|{place}一带整片区域{nopower}|{place}整条街{nopower}|"
        "整条街的商铺都停电了|"
        "{place}整片区域停电",
        "urg.threat": "{cust}表示如不尽快解决将向媒体曝光|{cust}称将投诉到12398|{cust}表示将向法院起诉|"
        "{cust}表示{th_if}，将{th_do}|{cust}扬言{th_if}就{th_do}|{cust}称{th_if}，会{th_do}|"
        "{cust}称要去信访部门上访|"
        "{cust}表示会找电视台曝光|{cust}扬言要打12398投诉|{cust}表示已咨询律师，准备起诉",
        "urg.praise": "{cust}家中有老人需使用制氧机，停电时非常着急|{cust}家中有透析病人，抢修及时让其十分感动|"
        "{cust}家中有透析病人，工作人员优先处理",
        "lk_who": "{cust}称家中老人|{cust}称其母亲|{cust}称家中小孩|{cust}称其父亲|{cust}称家中孕妇|{cust}称爷爷奶奶",
        "lk_state": "年纪大了怕热|一个人在家|行动不便|晚上睡不着|在家等着来电|腿脚不好，上下楼不便|热得吃不下饭",
        "th_if": "如今天仍不解决|若再拖延|如不给合理答复|如果今晚还不来电|如再推诿|若问题得不到解决",
        "th_do": "向媒体曝光|投诉到12398|向法院起诉|找电视台曝光|到信访部门上访|委托律师起诉供电公司|在抖音上曝光|"
        "向报社反映|组织村民集体上访|通过法律途径解决",
        "look": "{cust}称家中有婴儿，天气炎热|{cust}称家中有孕妇|{cust}称周边其他住户用电正常，仅其一户无电|"
        "现场未见冒烟和火花|{cust}称现场没有冒烟|{cust}称家中有老人，希望尽快处理|{lk_who}{lk_state}|"
        "{lk_who}{lk_state}|{cust}称上次已向12398投诉过，仍未解决|未发现漏电情况|"
        "{cust}称之前已向12345反映过|{cust}表示冰箱内食物已变质，损失较大|"
        "{cust}称上个月已投诉过一次|{cust}称店铺因此无法营业，损失约{amount}元|{cust}称家中老人年纪大，怕热|"
        "{cust}称此前曾通过12398反映过类似问题|{cust}称孩子在家上网课",
    },
    "gov": {
        "urg.threat": "{cust}表示如仍不解决将向媒体反映|{cust}称将向上级部门信访|{cust}表示将通过法律途径起诉",
    },
    "field": {
        "urg.live": "现场可见导线断落仍在打火|表箱有冒烟痕迹并有焦味|现场有噼啪放电声|导线搭在铁棚上，疑似带电",
        "urg.health": "该户登记有居家制氧机用户|该户有卧床病人，依赖医疗设备用电",
        "urg.threat": "用户表示如不处理将向媒体曝光|用户称要向12398投诉",
    },
    "sys": {
        "urg.live": "现场反馈有冒烟情况|故障录波显示短路并伴有火花报告|配变温度异常并伴有焦味报告",
        "urg.health": "该户登记为居家医疗设备用电用户（制氧机）|该台区有登记的透析病人用户",
        "urg.large": "影响用户约{n_many}户|{place}整个小区失电",
        "urg.threat": "回访时客户表示将投诉到12398|回访时客户称要向媒体曝光",
    },
    "plain": {
        "urg.live": "电线在冒火花|一直在打火，很吓人|表箱冒烟了还有股焦味|听到噼啪响还有火光|{hz_obj}{hz_act}|"
        "{hz_obj}{hz_act}|{hz_obj}{hz_act}，{hz_more}|"
        "断掉的电线搭在铁门上，怕带电|"
        "摸表箱门手发麻，肯定漏电了|砰的一声爆了，还在冒烟|电线着火了",
        "urg.live.OUTAGE": "停电之前听到砰的一声，电线杆上冒火花|变压器那边爆了一下还有火光|{urg.live}",
        "urg.live.VOLTAGE": "插座都冒烟了|电器冒烟一股焦味|{urg.live}",
        "urg.live.METERING": "电表冒烟了|电表噼啪响还冒火花",
        "hz_obj": "电线|线头|表箱|电表|电箱|插座|变压器那里|电线杆上|墙上的线|总闸|楼道的电箱|门口的电缆",
        "hz_act": "冒烟了|一直打火|冒火花|着火了|烧起来了还冒烟|有股焦味还冒烟|噼啪响还有火光|漏电，摸一下手发麻|"
        "带电，很吓人|炸了一下|一直在冒烟|刚才起火了|冒蓝光还有火星|断了掉在地上|断线了",
        "urg.live.FACILITY_SAFETY": "{urg.live}|{urg.live}|电线杆被车撞倒了，电线拖在地上|"
        "树倒了把电线压断了，线掉到地上|"
        "高压线断了垂在马路上|铁门带电，小孩摸了被电到|路灯杆漏电，狗被电到了",
        "hz_more": "我都不敢过去|小孩天天从那过|已经把总闸拉了|邻居都出来看了|吓死人了",
        "urg.health": "家里老人要用制氧机|我爸靠呼吸机的，不能停电|家里有人要用呼吸机，一分钟都不能停|老人卧床离不开电|"
        "停电了有人被困在电梯里|我妈被困在电梯里出不来|"
        "{hl_who}{hl_need}|{hl_who}{hl_need}|"
        "家里有人做透析|"
        "家里有病人要用制氧机|家里病人的胰岛素要放冰箱",
        "hl_who": "家里老人|我爸|我妈|奶奶|爷爷|家里病人|我老公",
        "hl_need": "要用制氧机|靠呼吸机|每天要在家透析|离不开吸氧|要打胰岛素，药要冷藏|有心脏病，在家要吸氧|"
        "卧床要用制氧机",
        "urg.large": "整个小区都没电|全村都停了|好几百户都没电|整条街都黑了|{place}一大片都没电|"
        "附近{n_many}户都{nopower}|"
        "整个小区都{nopower}|整条街都{nopower}",
        "urg.threat": "再不解决我就找媒体曝光|我要打12398投诉你们|不行就去法院起诉|我去信访局上访|发到抖音上让大家看看|"
        "我已经找了律师|{th_if}我就{th_do}|{th_if}我就{th_do}|{th_if}，我马上就{th_do}",
        "lk_who": "家里老人|我爸|我妈|奶奶|爷爷|家里小孩|我老婆怀孕了，|孩子",
        "lk_state": "年纪大了怕热|一个人在家|腿脚不方便|晚上热得睡不着|在家等着|热得直冒汗|明天还要上学",
        "th_if": "再不解决|今天不来电|再拖下去|不给个说法|今天没人来|再推来推去",
        "th_do": "找媒体曝光|要打12398投诉|去法院告你们|找电视台|发抖音曝光|去信访局上访|请律师起诉|找记者|"
        "叫上邻居一起去上访|走法律途径",
        "urg.praise": "家里老人用制氧机，停电的时候急死了|家里有人用呼吸机，幸好你们来得快",
        "look": "家里有小孩，热得一直哭|家里有孕妇|整个小区都有电，就我家没有|{lk_who}{lk_state}|{lk_who}{lk_state}|"
        "别人家都有电|家里有老人在|之前打过12345也没用|没有冒烟，就是没电|上次投诉到12398也没用|冰箱里的肉都坏了|店里一天没法开门|上回都投诉过了|老人家在家等着|"
        "上个月就投诉过一次|孩子在家上网课",
    },
    "yue": {
        "urg.live": "条电线喺度冒火花|一路喺度打火，好恐怖|电表箱冒烟，仲有阵焦味|听到噼啪声仲有火光|{hz_obj}{hz_act}|"
        "{hz_obj}{hz_act}|"
        "断咗条电线搭住铁闸，惊佢带电|"
        "掂到表箱度门手发麻，实系漏电|嘭一声爆咗，仲冒烟",
        "urg.live.OUTAGE": "停电之前嘭一声，电线杆度冒火花|{urg.live}",
        "urg.live.VOLTAGE": "个插座冒烟|啲电器冒烟有焦味|{urg.live}",
        "urg.live.METERING": "个电表冒烟|电表噼啪声仲有火花",
        "hz_obj": "条电线|个表箱|电表|个电箱|插蘇|变压器嗰度|电线杆上面|楼梯个电箱",
        "hz_act": "冒烟|一路打火|冒火花|有阵燶味仲冒烟|噼啪声仲有火光|漏电，掂到都被电到|炸咗一下|起火",
        "urg.health": "屋企阿婆要用制氧机|屋企有人要吸氧|停电有人困喺电梯度|阿爷要用呼吸机，唔可以冇电|屋企有人要洗肾|"
        "{hl_who}{hl_need}|"
        "屋企有病人要用制氧机",
        "hl_who": "屋企阿婆|阿爷|我老豆|我阿妈|屋企病人",
        "hl_need": "要用制氧机|靠呼吸机|要洗肾|要吸氧|有心脏病，要用制氧机",
        "urg.large": "成个小区冇电|成条村都冇电|几百户都冇电|成条街都黑晒|成个小区都{nopower}|"
        "附近{n_many}户都{nopower}",
        "urg.threat": "再唔搞掂我就搵传媒曝光|我会打12398投诉你哋|冇得倾就告上法庭|我去信访办上访|放上抖音俾大家睇下|"
        "{th_if}我就{th_do}|{th_if}我就{th_do}",
        "lk_who": "屋企阿婆|阿爷|阿嫲|我老豆|阿妈|屋企啲细路|老人家",
        "lk_state": "年纪大怕热|一个人喺屋企|行路唔方便|热到瞓唔着|喺屋企等紧|热到成身汗",
        "th_if": "再唔搞掂|今日冇电|再拖落去|唔俾个讲法",
        "th_do": "搵传媒曝光|要打12398投诉|告上法庭|放上抖音曝光|去信访办上访|搵记者",
        "urg.praise": "屋企阿婆用制氧机，停电嗰阵急死|屋企有人用制氧机，好彩你哋嚟得快",
        "look": "屋企有BB，热到喊晒|成条街都有电，得我屋企冇|{lk_who}{lk_state}|{lk_who}{lk_state}|屋企有老人家|"
        "之前打过12345都冇用|冇冒烟，净系冇电|雪柜啲嘢都坏晒|间铺开唔到档|上次都投诉过|阿妈一个人喺屋企",
    },
}

# Very short customer messages ("冇电"); only for outage-like repair/urge texts.
_TINY: dict[str, dict[str, str]] = {
    "plain": {
        "tiny.OUTAGE": "没电了|停电了|家里没电|又停电|停电了快来修|没电|停电啦|家里停电了|怎么又停电",
        "tiny.REMOTE_CONTROL": "交了钱还没电|充了值还是没电|交费了没来电",
    },
    "yue": {
        "tiny.OUTAGE": "冇电|冇电呀|停电|又冇电|屋企冇电|冇咗电|停咗电喎|冇电快啲嚟整",
        "tiny.REMOTE_CONTROL": "交咗钱仲系冇电|充咗值都冇电",
    },
}


# ---------------------------------------------------------------------------------------
# Label mix: relative frequencies that look like a city bureau's appeal intake. Repairs
# (mostly outages) and inquiries dominate; praise and reports are rare.
# ---------------------------------------------------------------------------------------
LABEL_MIX: dict[tuple[str, str], float] = {
    ("REPAIR", "OUTAGE"): 20.0,
    ("REPAIR", "FACILITY_SAFETY"): 6.0,
    ("REPAIR", "VOLTAGE"): 3.5,
    ("REPAIR", "REMOTE_CONTROL"): 2.0,
    ("REPAIR", "METERING"): 1.5,
    ("INQUIRY", "OUTAGE"): 3.0,
    ("INQUIRY", "OUTAGE_NOTICE"): 3.0,
    ("INQUIRY", "METER_READING_BILLING"): 4.0,
    ("INQUIRY", "PAYMENT_TARIFF"): 4.5,
    ("INQUIRY", "NEW_CONNECTION"): 3.0,
    ("INQUIRY", "REMOTE_CONTROL"): 2.0,
    ("INQUIRY", "DIGITAL_CHANNEL"): 2.0,
    ("INQUIRY", "PROCESS_TIMELINESS"): 1.5,
    ("INQUIRY", "METERING"): 1.2,
    ("INQUIRY", "VOLTAGE"): 0.5,
    ("INQUIRY", "FACILITY_SAFETY"): 0.6,
    ("INQUIRY", "STAFF_CONDUCT"): 0.3,
    ("INQUIRY", "OTHER"): 1.0,
    ("SERVICE_REQUEST", "NEW_CONNECTION"): 6.0,
    ("SERVICE_REQUEST", "METERING"): 1.5,
    ("SERVICE_REQUEST", "PAYMENT_TARIFF"): 1.2,
    ("SERVICE_REQUEST", "REMOTE_CONTROL"): 1.0,
    ("SERVICE_REQUEST", "DIGITAL_CHANNEL"): 0.8,
    ("SERVICE_REQUEST", "FACILITY_SAFETY"): 0.5,
    ("URGE", "OUTAGE"): 3.0,
    ("URGE", "FACILITY_SAFETY"): 0.8,
    ("URGE", "VOLTAGE"): 0.5,
    ("URGE", "NEW_CONNECTION"): 1.0,
    ("URGE", "METERING"): 0.4,
    ("URGE", "PROCESS_TIMELINESS"): 0.6,
    ("URGE", "REMOTE_CONTROL"): 0.6,
    ("URGE", "METER_READING_BILLING"): 0.4,
    ("URGE", "STAFF_CONDUCT"): 0.2,
    ("URGE", "DIGITAL_CHANNEL"): 0.3,
    ("URGE", "PAYMENT_TARIFF"): 0.2,
    ("URGE", "OTHER"): 0.2,
    ("COMPLAINT", "OUTAGE"): 1.5,
    ("COMPLAINT", "VOLTAGE"): 0.6,
    ("COMPLAINT", "FACILITY_SAFETY"): 0.5,
    ("COMPLAINT", "STAFF_CONDUCT"): 1.5,
    ("COMPLAINT", "METER_READING_BILLING"): 0.8,
    ("COMPLAINT", "METERING"): 0.6,
    ("COMPLAINT", "PAYMENT_TARIFF"): 0.4,
    ("COMPLAINT", "NEW_CONNECTION"): 0.7,
    ("COMPLAINT", "OUTAGE_NOTICE"): 0.6,
    ("COMPLAINT", "PROCESS_TIMELINESS"): 0.6,
    ("COMPLAINT", "REMOTE_CONTROL"): 0.5,
    ("COMPLAINT", "DIGITAL_CHANNEL"): 0.3,
    ("COMPLAINT", "OTHER"): 0.3,
    ("OPINION", "OUTAGE"): 0.8,
    ("OPINION", "VOLTAGE"): 0.5,
    ("OPINION", "FACILITY_SAFETY"): 0.5,
    ("OPINION", "STAFF_CONDUCT"): 0.3,
    ("OPINION", "METER_READING_BILLING"): 0.3,
    ("OPINION", "METERING"): 0.2,
    ("OPINION", "PAYMENT_TARIFF"): 0.6,
    ("OPINION", "NEW_CONNECTION"): 0.3,
    ("OPINION", "OUTAGE_NOTICE"): 0.4,
    ("OPINION", "PROCESS_TIMELINESS"): 0.3,
    ("OPINION", "REMOTE_CONTROL"): 0.3,
    ("OPINION", "DIGITAL_CHANNEL"): 0.4,
    ("OPINION", "OTHER"): 0.3,
    ("PRAISE", "STAFF_CONDUCT"): 1.2,
    ("PRAISE", "OUTAGE"): 1.0,
    ("PRAISE", "FACILITY_SAFETY"): 0.3,
    ("PRAISE", "NEW_CONNECTION"): 0.3,
    ("PRAISE", "VOLTAGE"): 0.2,
    ("PRAISE", "DIGITAL_CHANNEL"): 0.2,
    ("PRAISE", "PROCESS_TIMELINESS"): 0.2,
    ("REPORT", "OTHER"): 0.8,
    ("REPAIR", "OTHER"): 0.4,
    ("REPORT", "STAFF_CONDUCT"): 0.25,
    ("REPORT", "FACILITY_SAFETY"): 0.3,
}

# Which urgency cue families fit a topic (weights); anything else gets a threat.
_URGENT_FAMILIES: dict[str, tuple[tuple[str, float], ...]] = {
    "OUTAGE": (("live", 0.15), ("health", 0.4), ("large", 0.3), ("threat", 0.15)),
    "VOLTAGE": (("live", 0.3), ("health", 0.25), ("large", 0.15), ("threat", 0.3)),
    "FACILITY_SAFETY": (("live", 0.85), ("threat", 0.15)),
    "METERING": (("live", 0.35), ("threat", 0.65)),
    "REMOTE_CONTROL": (("health", 0.6), ("threat", 0.4)),
    "OUTAGE_NOTICE": (("health", 0.35), ("large", 0.25), ("threat", 0.4)),
}
_EMOTION_RATE: dict[str, float] = {
    "COMPLAINT": 0.5,
    "URGE": 0.45,
    "REPAIR": 0.22,
    "REPORT": 0.12,
    "INQUIRY": 0.06,
    "OPINION": 0.08,
    "SERVICE_REQUEST": 0.04,
    "PRAISE": 0.35,
}


@dataclass(frozen=True)
class _Profile:
    """How much optional material a channel's texts carry (probabilities)."""

    det: float
    bg: float
    imp: float
    noise: float
    look: float
    quote: float
    addr: float
    close: float
    short: float = 0.0
    long: float = 0.0


_PROFILES: dict[str, _Profile] = {
    "HOTLINE_95598": _Profile(
        det=0.5, bg=0.3, imp=0.35, noise=0.15, look=0.18, quote=0.18, addr=0.25, close=0.5, long=0.15
    ),
    "COUNTER": _Profile(det=0.35, bg=0.15, imp=0.2, noise=0.1, look=0.14, quote=0.08, addr=0.12, close=0.45),
    "GOV_12345": _Profile(det=0.7, bg=0.55, imp=0.55, noise=0.2, look=0.18, quote=0.2, addr=0.65, close=0.97, long=0.4),
    "REGULATOR_12398": _Profile(
        det=0.65, bg=0.5, imp=0.5, noise=0.15, look=0.15, quote=0.12, addr=0.5, close=0.97, long=0.3
    ),
    "APP": _Profile(
        det=0.3, bg=0.15, imp=0.25, noise=0.15, look=0.12, quote=0.0, addr=0.07, close=0.25, short=0.1, long=0.2
    ),
    "WECHAT": _Profile(
        det=0.35, bg=0.18, imp=0.3, noise=0.18, look=0.12, quote=0.0, addr=0.07, close=0.25, short=0.06, long=0.22
    ),
    "SMS": _Profile(det=0.12, bg=0.04, imp=0.08, noise=0.05, look=0.06, quote=0.0, addr=0.05, close=0.15, short=0.42),
    "FIELD": _Profile(det=0.3, bg=0.1, imp=0.3, noise=0.05, look=0.05, quote=0.05, addr=0.3, close=0.8),
    "PROACTIVE": _Profile(det=0.2, bg=0.05, imp=0.15, noise=0.03, look=0.03, quote=0.0, addr=0.15, close=0.75),
}

# Customer-written typos: homophones and common slips (在/再, 的/得, 已经/以经 ...).
_TYPOS: tuple[tuple[str, str], ...] = (
    ("在", "再"),
    ("再", "在"),
    ("的", "得"),
    ("得", "的"),
    ("已经", "以经"),
    ("那", "哪"),
    ("账", "帐"),
    ("像", "象"),
    ("吗", "嘛"),
    ("登录", "登陆"),
    ("一直", "一至"),
    ("怎么", "咋"),
    ("什么", "啥"),
    ("做", "作"),
    ("交费", "缴费"),
    ("电费", "电费费"),
    ("没有", "木有"),
    ("知道", "知到"),
    ("部", "步"),
    ("就", "旧"),
)
_YUE_VARIANTS: tuple[tuple[str, str], ...] = (("系", "係"), ("俾", "畀"), ("咗", "左"), ("嘅", "既"), ("啲", "D"))

# Agent-written situations that start with a verb need a bare subject opener ("客户来电询问…").
_VERB_START: tuple[str, ...] = ("询问", "咨询", "想了解", "称", "申请")
_CUSTOMER_REGISTERS = frozenset({"plain", "yue", "mix"})

_CHAINS: dict[str, tuple[str, ...]] = {
    "agent": ("agent",),
    "counter": ("counter", "agent"),
    "gov": ("gov", "agent"),
    "reg": ("reg", "gov", "agent"),
    "field": ("field", "agent"),
    "field_obs": ("field_obs", "field", "agent"),
    "sys": ("sys", "agent"),
    "sys_obs": ("sys_obs", "sys", "agent"),
    "plain": ("plain",),
    "yue": ("yue", "plain"),
}

_SLOT_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
_Template = tuple[str, ...]  # alternating literal, slot name, literal, ...


def _compile(text: str) -> _Template:
    return tuple(_SLOT_RE.split(text))


def _build_sources() -> dict[str, dict[str, list[str]]]:
    src: dict[str, dict[str, list[str]]] = {name: {} for name in ("common", *_CHAINS)}

    def add(register: str, slot: str, alts: str) -> None:
        if slot in src[register]:
            raise ValueError(f"phrase slot defined twice: {register}/{slot}")
        src[register][slot] = _alts(alts)

    for block in (_LEX, *_TOPIC_LEX, _STANCE, _TOPIC_ASK, _COLOUR, _BACKGROUND, _IMPACT, _URGENT, _TINY):
        for register, slots in block.items():
            for slot, alts in slots.items():
                add(register, slot, alts)
    for topic, facets in _FACETS.items():
        for name, spec in facets.items():
            key = f"{topic}.{name}"
            for register, alts in spec["sit"].items():
                add(register, key + ".sit", alts)
            for register, alts in spec.get("det", {}).items():
                add(register, key + ".det", alts)
            if "sysobs" in spec:
                add("sys_obs", key + ".obs", spec["sysobs"])
            if "fieldobs" in spec:
                add("field_obs", key + ".obs", spec["fieldobs"])
    # Grid workers, system notices and 12398 orders use the same openers for every type.
    for register in ("field", "sys", "reg"):
        for bt in BUSINESS_TYPES:
            src[register].setdefault(f"open.{bt}", ["{open_gen}"])
    return src


def _build_tables() -> dict[str, dict[str, tuple[_Template, ...]]]:
    src = _build_sources()
    tables: dict[str, dict[str, tuple[_Template, ...]]] = {}
    for register, chain in _CHAINS.items():
        names: set[str] = set(src["common"])
        for link in chain:
            names.update(src[link])
        table: dict[str, tuple[_Template, ...]] = {}
        for name in sorted(names):
            base: list[str] = next((src[link][name] for link in chain if name in src[link]), [])
            alts = base + src["common"].get(name, [])
            table[name] = tuple(_compile(a) for a in alts)
        tables[register] = table
    return tables


_TABLES = _build_tables()

_DynamicFn = Callable[[random.Random, dict[str, str]], str]
_N_MANY_WORDS = _alts("两百多|三百多|四百多|五百来|上千|近千|三百余|六七百")


def _district(rng: random.Random, ctxv: dict[str, str]) -> str:
    # The place may already carry a district; never print two.
    if any(mark in ctxv["place"][:6] for mark in ("区", "镇", "县", "街道")):
        return ""
    return _fill_name(rng, _pick(rng, _DISTRICT_FORMS))


def _month(rng: random.Random, _ctxv: dict[str, str]) -> str:
    return f"{int(rng.random() * 12) + 1}月" if rng.random() < 0.7 else _pick(rng, ("上个月", "本月", "这个月"))


_DYNAMIC: dict[str, _DynamicFn] = {
    "volt": lambda rng, _c: str(150 + int(rng.random() * 46)),
    "volt_hi": lambda rng, _c: str(245 + int(rng.random() * 31)),
    "num": lambda rng, _c: str(1 + int(rng.random() ** 2 * 198)),
    "n_many": lambda rng, _c: str(120 + int(rng.random() * 680)) if rng.random() < 0.5 else _pick(rng, _N_MANY_WORDS),
    "date": lambda rng, _c: f"{int(rng.random() * 12) + 1}月{int(rng.random() * 28) + 1}日",
    "month": _month,
    "kwh_usual": lambda rng, c: str(max(20, int(c["kwh"]) // (2 + int(rng.random() * 3)))),
    "amount_usual": lambda rng, c: str(max(10, int(c["amount"]) // (2 + int(rng.random() * 3)))),
    "district": _district,
}


def _check_references() -> None:
    """Fail at import, not mid-corpus, if phrase data names a slot that does not exist."""
    fixed = {"place", "station", "surname", "mr", "staff", "tail", "amount", "kwh", "days", *_DYNAMIC}
    for register, table in _TABLES.items():
        for name, alts in table.items():
            for tpl in alts:
                for ref in tpl[1::2]:
                    if ref not in fixed and ref not in table:
                        raise ValueError(f"slot {{{ref}}} used by {register}/{name} is not defined")


_check_references()


def _pair_facets() -> dict[tuple[str, str], tuple[tuple[str, ...], tuple[float, ...]]]:
    pairs: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
    for topic, facets in _FACETS.items():
        for name, spec in facets.items():
            for bt, weight in spec["bts"].items():
                names, cum = pairs.setdefault((bt, topic), ([], []))
                names.append(name)
                cum.append((cum[-1] if cum else 0.0) + weight)
    missing = [pair for pair in LABEL_MIX if pair not in pairs]
    if missing:
        raise ValueError(f"LABEL_MIX pairs without phrase data: {missing}")
    return {pair: (tuple(names), tuple(cum)) for pair, (names, cum) in pairs.items() if pair in LABEL_MIX}


_PAIR_FACETS = _pair_facets()


# ---------------------------------------------------------------------------------------
# Composition
# ---------------------------------------------------------------------------------------
_Table = dict[str, tuple[_Template, ...]]
_NO_SEP_AFTER = frozenset("，。！？：；、,.!?:;")
# Drop order when a text gets too long: the first listed goes first.
_DROP_ORDER: tuple[str, ...] = ("noise", "look", "bg", "sit2", "hist", "imp", "quote", "det", "emo", "addr", "close")
# complaints often recount earlier calls too, so a history is not a sign of urging by itself
_HISTORY_RATE: dict[str, float] = {"COMPLAINT": 0.3, "OPINION": 0.08, "REPORT": 0.08}
_MAX_LEN = 250
# Parts that may open a text before the situation ("今天好热，家里没电了").
_MAY_LEAD = frozenset({"noise", "urgent", "prior", "look", "det", "bg"})
_SPEECH_VERBS: tuple[str, ...] = ("称", "表示", "反映", "认为", "说", "原话", "情绪", "语气", "对", "扬言")
_MULTI_ISSUE_TYPES = frozenset({"COMPLAINT", "INQUIRY", "OPINION"})
# Non-urgent look-alikes (an elderly relative, spoiled food, a past 12345 call) belong to
# people waiting for something, not to praise or reports.
_LOOKALIKE_TYPES = frozenset({"REPAIR", "COMPLAINT", "URGE", "INQUIRY", "OPINION", "SERVICE_REQUEST"})
# Only these business types are raised by a worker's or a system's own observation.
_OBSERVED_TYPES = frozenset({"REPAIR", "REPORT"})
# Subjects an agent would not repeat right after "客户称".
_SUBJECTS: tuple[str, ...] = ("该客户", "来电客户", "客户", "该市民", "市民", "来电人", "诉求人", "该用户", "用户")


class _Expander:
    """Fills templates for one register (or, for mixed Cantonese-Mandarin, two)."""

    __slots__ = ("ctxv", "rng", "tables")

    def __init__(self, rng: random.Random, ctxv: dict[str, str], tables: tuple[_Table, ...]) -> None:
        self.rng = rng
        self.ctxv = ctxv
        self.tables = tables

    def has(self, name: str) -> bool:
        return any(name in table for table in self.tables)

    def slot(self, name: str) -> str:
        value = self.ctxv.get(name)
        if value is not None:
            return value
        dynamic = _DYNAMIC.get(name)
        if dynamic is not None:
            return dynamic(self.rng, self.ctxv)
        tables = self.tables
        table = tables[0] if len(tables) == 1 else tables[int(self.rng.random() * len(tables))]
        alts = table.get(name) or next(t[name] for t in tables if name in t)
        return self.fill(alts[int(self.rng.random() * len(alts))])

    def fill(self, tpl: _Template) -> str:
        if len(tpl) == 1:
            return tpl[0]
        out = [tpl[0]]
        for i in range(1, len(tpl), 2):
            out.append(self.slot(tpl[i]))
            out.append(tpl[i + 1])
        return "".join(out)

    def maybe(self, name: str) -> str:
        return self.slot(name) if self.has(name) else ""


def _customer_tables(rng: random.Random) -> tuple[str, tuple[_Table, ...]]:
    # Guangdong: roughly half of self-typed messages carry written Cantonese.
    r = rng.random()
    if r < 0.38:
        return "yue", (_TABLES["yue"],)
    if r < 0.54:
        return "mix", (_TABLES["yue"], _TABLES["plain"])
    return "plain", (_TABLES["plain"],)


class _Composer:
    """Builds one text; holds the per-call choices so helpers stay small."""

    def __init__(
        self,
        rng: random.Random,
        bt: str,
        topic: str,
        channel: str,
        urgent: bool,
        ctx: TextContext,
        facet: str,
        sibling: str | None,
    ) -> None:
        self.rng = rng
        self.bt = bt
        self.topic = topic
        self.channel = channel
        self.urgent = urgent
        self.key = f"{topic}.{facet}"
        # Another facet of the same label, for long texts that tell two related things.
        self.sibling_key = f"{topic}.{sibling}" if sibling else None
        self.spec = _FACETS[topic][facet]
        self.profile = _PROFILES[channel]
        self.ctxv = {
            "place": ctx.place,
            "station": ctx.station_name,
            "surname": ctx.person_surname,
            "staff": ctx.staff_surname,
            "tail": ctx.phone_tail,
            "amount": str(ctx.amount_yuan),
            "kwh": str(ctx.kwh),
            "days": str(ctx.days),
            "mr": ctx.person_surname + ("先生" if rng.random() < 0.5 else "女士"),
        }

    # -- helpers ------------------------------------------------------------------------
    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _ask(self, ex: _Expander) -> str:
        topical = f"ask.{self.bt}.{self.topic}"
        facet = f"{topical}.{self.key.rpartition('.')[2]}"
        if ex.has(facet) and self._chance(0.6):
            return ex.slot(facet)
        if ex.has(topical) and self._chance(0.5):
            return ex.slot(topical)
        return ex.slot(f"ask.{self.bt}")

    def _sibling(self, ex: _Expander, scale: float) -> list[tuple[str, str]]:
        # Two grievances or questions in one appeal are common; two unrelated repair jobs,
        # applications or urged orders in one text are not (outage stories are the exception).
        coherent = self.bt in _MULTI_ISSUE_TYPES or (self.bt in ("REPAIR", "URGE") and self.topic == "OUTAGE")
        if self.sibling_key is None or scale == 1.0 or not coherent or not self._chance(0.6):
            return []
        return [("sit2", ex.slot(self.sibling_key + ".sit"))]

    def _history(self, ex: _Expander) -> list[tuple[str, str]]:
        if ex.has("hist") and self._chance(_HISTORY_RATE.get(self.bt, 0.0)):
            return [("hist", ex.slot("hist"))]
        return []

    def _background(self, ex: _Expander) -> str:
        topical = f"bg.{self.topic}"
        return ex.slot(topical if ex.has(topical) and self._chance(0.65) else "bg")

    def _urgent_cue(self, ex: _Expander) -> str:
        if self.bt == "PRAISE" and ex.has("urg.praise"):
            return ex.slot("urg.praise")
        families = _URGENT_FAMILIES.get(self.topic, (("threat", 1.0),))
        r = self.rng.random() * sum(w for _, w in families)
        family = families[-1][0]
        for name, weight in families:
            r -= weight
            if r < 0:
                family = name
                break
        specific = f"urg.{family}.{self.topic}"
        return ex.slot(specific if ex.has(specific) else f"urg.{family}")

    def _emotion(self, ex: _Expander) -> str:
        if not self._chance(_EMOTION_RATE[self.bt]):
            return ""
        return ex.maybe("emo_pos" if self.bt == "PRAISE" else "emo")

    # -- entry --------------------------------------------------------------------------
    def build(self) -> str:
        channel = self.channel
        if channel in ("APP", "WECHAT", "SMS"):
            return self._customer()
        observable = self.bt in _OBSERVED_TYPES
        if channel == "FIELD":
            can_observe = self.spec.get("obs", False) or "fieldobs" in self.spec
            if observable and can_observe and self._chance(0.7):
                return self._observed("field_obs")
            return self._agent("field")
        if channel == "PROACTIVE":
            if observable and "sysobs" in self.spec and self._chance(0.75):
                return self._observed("sys_obs")
            if self._chance(0.35):
                ex = _Expander(self.rng, self.ctxv, (_TABLES["sys"],))
                return self._customer(prefix=ex.slot("open_reply"))
            return self._agent("sys")
        register = {
            "HOTLINE_95598": "agent",
            "COUNTER": "counter",
            "GOV_12345": "gov",
            "REGULATOR_12398": "reg",
        }[channel]
        return self._agent(register)

    # -- grid worker / system observation -------------------------------------------------
    def _observed(self, register: str) -> str:
        ex = _Expander(self.rng, self.ctxv, (_TABLES[register],))
        obs_slot = self.key + ".obs"
        if ex.has(obs_slot) and (register == "sys_obs" or not self.spec.get("obs") or self._chance(0.5)):
            sit = ex.slot(obs_slot)
        else:
            sit = ex.slot(self.key + ".sit")
        parts: list[tuple[str, str]] = [("sit", sit)]
        if self.bt == "URGE":
            parts.append(("prior", ex.slot("prior")))
        if self.urgent:
            parts.append(("urgent", self._urgent_cue(ex)))
        if self._chance(0.45):
            parts.append(("ask", self._ask(ex)))
        if self._chance(self.profile.close):
            parts.append(("close", ex.slot("close_obs")))
        return self._finish_formal(ex.slot("open_obs"), parts)

    # -- agents, transferred orders, relayed notes -----------------------------------------
    def _agent(self, register: str) -> str:
        rng = self.rng
        prof = self.profile
        ex = _Expander(rng, self.ctxv, (_TABLES[register],))
        sit = ex.slot(self.key + ".sit")
        verb_first = sit.startswith(_VERB_START)
        is_question = verb_first and self.bt == "INQUIRY"

        scale = 2.0 if self._chance(prof.long) else 1.0
        extras: list[tuple[str, str]] = []
        if self._chance(prof.det * scale) and ex.has(self.key + ".det"):
            extras.append(("det", ex.slot(self.key + ".det")))
        if self.bt != "PRAISE" and self._chance(prof.bg * scale):
            extras.append(("bg", self._background(ex)))
        if self.bt not in ("PRAISE", "INQUIRY") and self._chance(prof.imp * scale) and ex.has(f"imp.{self.topic}"):
            extras.append(("imp", ex.slot(f"imp.{self.topic}")))
        if self._chance(prof.noise * scale):
            extras.append(("noise", ex.slot("noise")))
        if self.urgent:
            extras.append(("urgent", self._urgent_cue(ex)))
        elif self.bt in _LOOKALIKE_TYPES and self._chance(prof.look * scale):
            extras.append(("look", ex.slot("look")))
        emo = self._emotion(ex)
        if emo:
            extras.append(("emo", emo))
        if self._chance(prof.quote * scale):
            extras.append(("quote", self._quote(ex)))
        extras += self._sibling(ex, scale)
        extras += self._history(ex)
        rng.shuffle(extras)
        if self.bt == "URGE":
            # The urging marker usually comes early: "客户再次来电反映…已报修…".
            extras.insert(0 if self._chance(0.5) else min(1, len(extras)), ("prior", ex.slot("prior")))

        body: list[tuple[str, str]] = [("sit", sit), *extras]
        if not verb_first and extras and extras[0][0] in _MAY_LEAD and self._chance(0.2):
            body.insert(0, body.pop(1))  # e.g. background or the urging marker first
        if not is_question or self._chance(0.35):
            ask = ("ask", self._ask(ex))
            if len(body) > 2 and self._chance(0.15):
                body.insert(len(body) - 1, ask)
            else:
                body.append(ask)
        if self._chance(prof.addr):
            body.append(("addr", ex.slot("addr")))
        if self._chance(prof.close):
            body.append(("close", ex.slot("close")))

        opener = ex.slot("open_s") if verb_first and body[0][0] == "sit" else ex.slot(f"open.{self.bt}")
        if opener.endswith(("称", "表示", "反映", "投诉", "举报")):
            # "客户称客户已交费…" reads badly; agents drop the repeated subject, but keep it
            # before a verb ("客户称客户称…" would become "客户称称…").
            kind, first = body[0]
            for subject in _SUBJECTS:
                rest = first[len(subject) :]
                if first.startswith(subject) and len(rest) > 2 and not rest.startswith(_SPEECH_VERBS):
                    body[0] = (kind, rest)
                    break
        return self._finish_formal(opener, body)

    def _quote(self, ex: _Expander) -> str:
        # Agents quote the customer's own words, in Cantonese about a third of the time.
        rng = self.rng
        tables = (_TABLES["yue"],) if rng.random() < 0.35 else (_TABLES["plain"],)
        cx = _Expander(rng, self.ctxv, tables)
        r = rng.random()
        if self.bt not in ("COMPLAINT", "URGE", "REPAIR", "PRAISE"):
            r *= 0.75  # no outburst quoted for calm business
        if r < 0.5:
            words = cx.slot(self.key + ".sit")
        elif r < 0.75:
            words = self._ask(cx)
        else:
            words = cx.slot("emo_pos" if self.bt == "PRAISE" else "emo")
        return f"{ex.slot('quote_open')}“{words}”"

    def _finish_formal(self, opener: str, parts: list[tuple[str, str]]) -> str:
        rng = self.rng
        kept = list(parts)
        while True:
            pieces: list[str] = []
            for kind, text in kept:
                # an agent does not write "客户情绪激动" twice, even when opener and colour both say it
                if not text or text in opener or (kind != "sit" and text in "".join(pieces)):
                    continue
                if pieces:
                    prev = pieces[-1]
                    if prev[-1] not in _NO_SEP_AFTER:
                        if kind in ("close", "addr"):
                            pieces.append("。")
                        else:
                            r = rng.random()
                            pieces.append("，" if r < 0.72 else ("。" if r < 0.97 else "；"))
                pieces.append(text)
            body = "".join(pieces)
            text = opener + body
            if len(text) <= _MAX_LEN or not self._drop_one(kept):
                break
        if text[-1] not in "。！？":
            text += "。"
        return text

    @staticmethod
    def _drop_one(parts: list[tuple[str, str]]) -> bool:
        for kind in _DROP_ORDER:
            for i, (k, _) in enumerate(parts):
                if k == kind:
                    del parts[i]
                    return True
        return False

    # -- customer's own words --------------------------------------------------------------
    def _customer(self, prefix: str = "") -> str:
        rng = self.rng
        prof = self.profile
        variety, tables = _customer_tables(rng)
        ex = _Expander(rng, self.ctxv, tables)

        if self._chance(prof.short):
            return self._short(ex, variety, prefix)

        scale = 2.5 if self._chance(prof.long) else 1.0
        sit = ex.slot(self.key + ".sit")
        extras: list[tuple[str, str]] = []
        if self._chance(prof.det * scale) and ex.has(self.key + ".det"):
            extras.append(("det", ex.slot(self.key + ".det")))
        if self.bt != "PRAISE" and self._chance(prof.bg * scale * 1.5):
            extras.append(("bg", self._background(ex)))
        if self.bt != "PRAISE" and self._chance(prof.imp * scale) and ex.has(f"imp.{self.topic}"):
            extras.append(("imp", ex.slot(f"imp.{self.topic}")))
        if self._chance(prof.noise * scale):
            extras.append(("noise", ex.slot("noise")))
        if self.urgent:
            extras.append(("urgent", self._urgent_cue(ex)))
        elif self.bt in _LOOKALIKE_TYPES and self._chance(prof.look * scale):
            extras.append(("look", ex.slot("look")))
        emo = self._emotion(ex)
        if emo:
            extras.append(("emo", emo))
        extras += self._sibling(ex, scale)
        extras += self._history(ex)
        rng.shuffle(extras)
        if self.bt == "URGE":
            extras.insert(0 if self._chance(0.4) else len(extras), ("prior", ex.slot("prior")))

        body: list[tuple[str, str]] = [("sit", sit), *extras]
        if extras and extras[0][0] in _MAY_LEAD and self._chance(0.3):
            body.insert(0, body.pop(1))
        question = sit.endswith("？") or sit.endswith("吗") or sit.endswith("啊")
        if not (self.bt == "INQUIRY" and question) or self._chance(0.3):
            body.append(("ask", self._ask(ex)))
        if self._chance(prof.addr):
            body.append(("addr", ex.slot("addr")))
        if self._chance(prof.close):
            body.append(("close", ex.slot("close")))
        opener = prefix or ex.slot(f"open.{self.bt}")
        return self._finish_customer(opener, body, variety)

    def _short(self, ex: _Expander, variety: str, prefix: str) -> str:
        tiny = f"tiny.{self.topic}"
        if self.bt in ("REPAIR", "URGE") and ex.has(tiny) and self._chance(0.55):
            core = ex.slot(tiny)
        else:
            core = ex.slot(self.key + ".sit")
        parts: list[tuple[str, str]] = [("sit", core)]
        if self.bt == "URGE":
            parts.insert(0 if self._chance(0.5) else 1, ("prior", ex.slot("prior")))
        if self.urgent:
            parts.append(("urgent", self._urgent_cue(ex)))
        if self._chance(0.3):
            parts.append(("ask", self._ask(ex)))
        return self._finish_customer(prefix, parts, variety)

    def _finish_customer(self, opener: str, parts: list[tuple[str, str]], variety: str) -> str:
        rng = self.rng
        kept = list(parts)
        while True:
            pieces: list[str] = []
            for _kind, text in kept:
                if not text:
                    continue
                if pieces and pieces[-1][-1] not in _NO_SEP_AFTER:
                    r = rng.random()
                    if r < 0.56:
                        pieces.append("，")
                    elif r < 0.72:
                        pieces.append(" ")
                    elif r < 0.8:
                        pass  # run-on, no punctuation at all
                    elif r < 0.94:
                        pieces.append("。")
                    else:
                        pieces.append("！")
                pieces.append(text)
            text = opener + "".join(pieces)
            if len(text) <= _MAX_LEN or not self._drop_one(kept):
                break
        text = self._end_customer(text)
        return self._roughen(text, variety)

    def _end_customer(self, text: str) -> str:
        if text[-1] in _NO_SEP_AFTER:
            return text
        r = self.rng.random()
        if self.bt == "INQUIRY" and r < 0.3:
            return text + "？"
        if r < 0.45:
            return text
        if r < 0.72:
            return text + "。"
        if r < 0.85:
            return text + "！"
        if r < 0.91:
            return text + "！！"
        if r < 0.97:
            return text + "。。。"
        return text + "？"

    def _roughen(self, text: str, variety: str) -> str:
        """Typos, homophones, dropped punctuation and Cantonese spelling variants."""
        rng = self.rng
        if rng.random() < (0.15 if variety == "yue" else 0.3):
            for _ in range(1 + int(rng.random() < 0.35)):
                wrong, right = _TYPOS[int(rng.random() * len(_TYPOS))]
                text = text.replace(wrong, right, 1)
        if variety != "plain" and rng.random() < 0.25:
            old, new = _YUE_VARIANTS[int(rng.random() * len(_YUE_VARIANTS))]
            text = text.replace(old, new)
        r = rng.random()
        if r < 0.08:
            text = text.replace("，", " ").replace("。", " ").strip()
        elif r < 0.12:
            text = text.replace("，", "").replace("。", "")
        return text


def generate_appeal_text(
    rng: random.Random, business_type: str, topic: str, channel: str, urgent: bool, ctx: TextContext
) -> str:
    """Compose one appeal text for the given labels; all randomness comes from ``rng``.

    ``(business_type, topic)`` must be a key of :data:`LABEL_MIX`. When ``urgent`` is true
    the text carries exactly the kind of cue the taxonomy calls urgent; when false it
    carries none (but may carry harmless look-alikes).
    """
    if channel not in _PROFILES:
        raise ValueError(f"channel: unknown code {channel!r}")
    facets = _PAIR_FACETS.get((business_type, topic))
    if facets is None:
        raise ValueError(f"(business_type, topic): unsupported pair {(business_type, topic)!r}; see LABEL_MIX")
    names, cum = facets
    r = rng.random() * cum[-1]
    index = 0
    while cum[index] <= r:
        index += 1
    sibling = None
    if len(names) > 1:
        other = int(rng.random() * (len(names) - 1))
        sibling = names[other if other < index else other + 1]
    return _Composer(rng, business_type, topic, channel, urgent, ctx, names[index], sibling).build()
