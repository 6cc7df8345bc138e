"""Fixed label codes of `shared/design/taxonomy.md`: the stable identifiers of the whole product.

Codes are English identifiers; Chinese labels are translations shown to users.
"""

from __future__ import annotations

from enum import StrEnum


class BusinessType(StrEnum):
    REPAIR = "REPAIR"
    COMPLAINT = "COMPLAINT"
    REPORT = "REPORT"
    OPINION = "OPINION"
    INQUIRY = "INQUIRY"
    PRAISE = "PRAISE"
    SERVICE_REQUEST = "SERVICE_REQUEST"
    URGE = "URGE"


class Factor(StrEnum):
    POWER_QUALITY = "POWER_QUALITY"
    STAFF = "STAFF"
    COMMITMENT = "COMMITMENT"
    SMART_SERVICE = "SMART_SERVICE"
    OTHER = "OTHER"


class Topic(StrEnum):
    OUTAGE = "OUTAGE"
    VOLTAGE = "VOLTAGE"
    FACILITY_SAFETY = "FACILITY_SAFETY"
    STAFF_CONDUCT = "STAFF_CONDUCT"
    METER_READING_BILLING = "METER_READING_BILLING"
    METERING = "METERING"
    PAYMENT_TARIFF = "PAYMENT_TARIFF"
    NEW_CONNECTION = "NEW_CONNECTION"
    OUTAGE_NOTICE = "OUTAGE_NOTICE"
    PROCESS_TIMELINESS = "PROCESS_TIMELINESS"
    REMOTE_CONTROL = "REMOTE_CONTROL"
    DIGITAL_CHANNEL = "DIGITAL_CHANNEL"
    OTHER = "OTHER"


class Channel(StrEnum):
    HOTLINE_95598 = "HOTLINE_95598"
    APP = "APP"
    WECHAT = "WECHAT"
    COUNTER = "COUNTER"
    GOV_12345 = "GOV_12345"
    REGULATOR_12398 = "REGULATOR_12398"
    SMS = "SMS"
    FIELD = "FIELD"
    PROACTIVE = "PROACTIVE"


class Department(StrEnum):
    """Professional departments that own the business (管专业必须管服务) and the command center."""

    MARKETING = "MARKETING"
    OPERATIONS = "OPERATIONS"
    DISPATCH = "DISPATCH"
    COMMAND_CENTER = "COMMAND_CENTER"


FACTOR_OF_TOPIC: dict[Topic, Factor] = {
    Topic.OUTAGE: Factor.POWER_QUALITY,
    Topic.VOLTAGE: Factor.POWER_QUALITY,
    Topic.FACILITY_SAFETY: Factor.POWER_QUALITY,
    Topic.STAFF_CONDUCT: Factor.STAFF,
    Topic.METER_READING_BILLING: Factor.STAFF,
    Topic.METERING: Factor.COMMITMENT,
    Topic.PAYMENT_TARIFF: Factor.COMMITMENT,
    Topic.NEW_CONNECTION: Factor.COMMITMENT,
    Topic.OUTAGE_NOTICE: Factor.COMMITMENT,
    Topic.PROCESS_TIMELINESS: Factor.COMMITMENT,
    Topic.REMOTE_CONTROL: Factor.SMART_SERVICE,
    Topic.DIGITAL_CHANNEL: Factor.SMART_SERVICE,
    Topic.OTHER: Factor.OTHER,
}

LABELS_ZH: dict[str, str] = {
    # business types
    "REPAIR": "故障报修", "COMPLAINT": "投诉", "REPORT": "举报", "OPINION": "意见建议",
    "INQUIRY": "咨询查询", "PRAISE": "表扬", "SERVICE_REQUEST": "业务申请", "URGE": "催办",
    # topics
    "OUTAGE": "停电", "VOLTAGE": "电压质量", "FACILITY_SAFETY": "供电设施与安全隐患",
    "STAFF_CONDUCT": "员工服务态度与行为", "METER_READING_BILLING": "抄表核算差错", "METERING": "计量装置",
    "PAYMENT_TARIFF": "交费与电价政策", "NEW_CONNECTION": "业扩报装与用电变更",
    "OUTAGE_NOTICE": "停电信息告知", "PROCESS_TIMELINESS": "办事程序与承诺时限",
    "REMOTE_CONTROL": "费控与远程停复电", "DIGITAL_CHANNEL": "线上渠道与智能服务", "OTHER": "其他",
    # factors
    "POWER_QUALITY": "电能和电压质量", "STAFF": "员工服务技能和素质", "COMMITMENT": "承诺履行与办事程序",
    "SMART_SERVICE": "智能服务",
    # channels
    "HOTLINE_95598": "95598热线", "APP": "手机APP", "WECHAT": "微信", "COUNTER": "营业厅",
    "GOV_12345": "12345政务热线", "REGULATOR_12398": "12398能源监管热线", "SMS": "短信",
    "FIELD": "现场", "PROACTIVE": "主动服务",
    # departments
    "MARKETING": "营销", "OPERATIONS": "运检", "DISPATCH": "调控", "COMMAND_CENTER": "供指中心",
}


def factor_of(topic: Topic | str) -> Factor:
    return FACTOR_OF_TOPIC[Topic(topic)]


def label_zh(code: str) -> str:
    return LABELS_ZH.get(code, code)
