"""Fallback labeller for appeals that arrive without labels.

A transparent keyword baseline with low confidence, so intake never blocks and every guess is marked for
review. The trained classifier of the analysis package (issue #4) plugs in through the same `Labeller`
protocol and replaces it when a model is installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from gridvoice.domain.taxonomy import BusinessType, Topic


@dataclass(frozen=True)
class Labels:
    business_type: BusinessType
    topic: Topic
    urgent: bool
    confidence_business_type: float
    confidence_topic: float
    source: str


class Labeller(Protocol):
    def label(self, text: str, channel: str) -> Labels: ...


def label_batch(labeller: Labeller, texts: Sequence[str], channels: Sequence[str]) -> list[Labels]:
    """Labels of many texts: in one call when the labeller can (a model predicts a batch far faster than
    row by row), else one at a time."""
    many = getattr(labeller, "label_many", None)
    if many is not None:
        return list(many(texts, channels))
    return [labeller.label(text, channel) for text, channel in zip(texts, channels, strict=True)]


_TOPIC_CUES: list[tuple[Topic, tuple[str, ...]]] = [
    (Topic.REMOTE_CONTROL, ("欠费停", "交费后", "交咗", "复电", "余额", "费控", "自动停电")),
    (Topic.STAFF_CONDUCT, ("态度", "推诿", "踢皮球", "骂", "挂电话", "不耐烦", "吃拿卡要", "收红包")),
    (Topic.OUTAGE_NOTICE, ("没通知", "未通知", "冇通知", "停电通知", "计划停电", "几点来电", "复电时间")),
    (Topic.VOLTAGE, ("电压", "灯暗", "灯光闪", "空调启动不了", "电压低", "电压高")),
    (Topic.FACILITY_SAFETY, ("断线", "电线掉", "倒杆", "电杆", "漏电", "冒烟", "起火", "火花", "表箱", "树")),
    (Topic.METER_READING_BILLING, ("电费突增", "电费高", "估抄", "抄表", "电量", "多收", "退补")),
    (Topic.METERING, ("电表", "校表", "走得快", "表计", "咪表")),
    (Topic.NEW_CONNECTION, ("新装", "报装", "增容", "过户", "移表", "充电桩", "光伏", "更名", "暂停用电")),
    (Topic.PAYMENT_TARIFF, ("交费", "缴费", "电价", "阶梯", "峰谷", "违约金", "发票")),
    (Topic.DIGITAL_CHANNEL, ("APP", "app", "公众号", "小程序", "网上国网", "南网在线", "线上", "绑定")),
    (Topic.PROCESS_TIMELINESS, ("超时", "没人处理", "没有答复", "还没办", "拖")),
    (Topic.OUTAGE, ("停电", "没电", "冇电", "无电", "跳闸", "断电")),
]
_TYPE_CUES: list[tuple[BusinessType, tuple[str, ...]]] = [
    (BusinessType.URGE, ("催", "再次来电", "第二次", "还没人来", "仲未")),
    (BusinessType.PRAISE, ("表扬", "感谢", "多谢", "赞")),
    (BusinessType.REPORT, ("举报", "窃电", "偷电")),
    (BusinessType.COMPLAINT, ("投诉", "不满", "要求处理", "追究", "道歉")),
    (BusinessType.SERVICE_REQUEST, ("申请", "办理", "想装", "要求校验")),
    (BusinessType.OPINION, ("建议", "希望", "意见")),
    (BusinessType.INQUIRY, ("咨询", "请问", "想问", "点样", "怎么", "多少", "吗", "？", "?")),
    (BusinessType.REPAIR, ("修", "停电", "没电", "冇电", "断线", "跳闸")),
]
_URGENT_CUES = ("冒烟", "起火", "着火", "火花", "爆炸", "漏电", "断线", "制氧机", "透析", "呼吸机", "整个小区",
                "整条村", "几百户", "媒体", "曝光", "记者", "起诉", "12398", "上访", "信访")


def _first_match(text: str, table: list[tuple[object, tuple[str, ...]]]) -> tuple[object | None, int]:
    best, hits = None, 0
    for code, cues in table:
        n = sum(cue in text for cue in cues)
        if n > hits:
            best, hits = code, n
    return best, hits


class KeywordLabeller:
    """Rule-of-thumb labels; confidence never exceeds 0.5 so every guess is flagged for review."""

    def label(self, text: str, channel: str) -> Labels:
        topic, topic_hits = _first_match(text, _TOPIC_CUES)  # type: ignore[arg-type]
        btype, type_hits = _first_match(text, _TYPE_CUES)  # type: ignore[arg-type]
        return Labels(
            business_type=BusinessType(btype) if btype else BusinessType.INQUIRY,
            topic=Topic(topic) if topic else Topic.OTHER,
            urgent=any(cue in text for cue in _URGENT_CUES),
            confidence_business_type=min(0.5, 0.2 + 0.1 * type_hits),
            confidence_topic=min(0.5, 0.2 + 0.1 * topic_hits),
            source="keyword",
        )
