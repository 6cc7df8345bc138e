"""Console texts: Simplified Chinese by default, English on request (per session).

The Chinese text is the key: `texts("工作台")` is "工作台", or "Workbench" in English. Codes (statuses, taxonomy,
roles, actions) have their own label functions; times are shown in Asia/Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.lifecycle import STATUS_ZH, Status
from gridvoice.domain.roles import ROLE_ZH, Role
from gridvoice.domain.taxonomy import LABELS_ZH

LANGS = ("zh", "en")

ACTION_ZH = {
    "accept": "受理", "dispatch": "派单", "receive": "接单", "arrive": "到达现场", "resolve": "办结",
    "return": "退单", "review": "审核", "callback": "回访", "reopen": "重新处理", "urge": "催办",
    "escalate": "升级督办", "suspend": "挂起", "resume": "恢复", "cancel": "撤销", "archive": "归档", "reroute": "改派",
    "recompute": "时限重算",
}
VERDICT_ZH = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}
WARNING_ZH = {"none": "正常", "yellow": "黄色预警", "red": "红色超时"}
MILESTONE_ZH = {"dispatch": "派单", "arrive": "到达现场", "restore": "恢复送电", "contact": "联系客户", "reply": "答复",
                "callback": "回访"}
OUTCOME_ZH = {"created": "新建工单", "merged_as_urge": "重复来电，已合并为催办", "existing": "已存在（重复提交）"}
LEVEL_ZH = {"city": "市公司", "county": "县公司", "station": "供电所", "transformer_area": "台区"}
AREA_ZH = {"urban": "城市", "rural": "农村", "remote": "偏远"}
LABEL_SOURCE_ZH = {"given": "人工填写", "keyword": "关键词规则", "model": "分类模型", "corrected": "人工更正"}


def _english(code: str) -> str:
    return code.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Texts:
    lang: str = "zh"

    @property
    def en(self) -> bool:
        return self.lang == "en"

    def __call__(self, text: str) -> str:
        return EN.get(text, text) if self.en else text

    def _code(self, table: dict[str, str], code: str | None) -> str:
        if code is None:
            return ""
        return _english(code) if self.en else table.get(code, code)

    def status(self, code: str | None) -> str:
        return self._code({s.value: z for s, z in STATUS_ZH.items()}, code and Status(code).value)

    def label(self, code: str | None) -> str:
        """Business types, topics, factors, channels and departments."""
        return self._code(LABELS_ZH, code)

    def role(self, role: Role | str) -> str:
        return self._code({r.value: z for r, z in ROLE_ZH.items()}, Role(role).value)

    def action(self, code: str) -> str:
        return self._code(ACTION_ZH, code)

    def verdict(self, code: str | None) -> str:
        return self._code(VERDICT_ZH, code)

    def warning(self, code: str) -> str:
        return self._code(WARNING_ZH, code)

    def milestone(self, code: str) -> str:
        return self._code(MILESTONE_ZH, code)

    def outcome(self, code: str) -> str:
        return self._code(OUTCOME_ZH, code)

    def level(self, code: str) -> str:
        return self._code(LEVEL_ZH, code)

    def area(self, code: str) -> str:
        return self._code(AREA_ZH, code)

    def label_source(self, code: str) -> str:
        return self._code(LABEL_SOURCE_ZH, code)

    def flag(self, value: bool) -> str:
        return self("是") if value else self("否")

    def remaining(self, delta: timedelta) -> str:
        """A countdown: "剩余 1小时05分" / "已超时 12分" ("1 h 05 min left" / "12 min overdue")."""
        late = delta.total_seconds() < 0
        minutes = int(abs(delta.total_seconds()) // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        if self.en:
            span = (f"{days} d " if days else "") + (f"{hours} h " if days or hours else "") + f"{mins:02d} min"
            return f"{span} overdue" if late else f"{span} left"
        span = (f"{days}天" if days else "") + (f"{hours}小时" if days or hours else "") + f"{mins:02d}分"
        return f"已超时 {span}" if late else f"剩余 {span}"


def local_time(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


EN: dict[str, str] = {
    '工作台': 'Workbench',
    '受理': 'Intake',
    '工单列表': 'Appeals',
    '督办': 'Supervision',
    '总值长': 'Duty officer',
    '配置': 'Settings',
    '全公司': 'Whole company',
    '修改密码': 'Change password',
    '退出': 'Log out',
    '无权访问': 'No access',
    '无权访问此页面': 'You may not open this page',
    '您的角色没有此页面的权限；如有需要请联系管理员。':
        'Your role does not include this page; ask an administrator if you need it.',
    '返回工作台': 'Back to the workbench',
    '未找到': 'Not found',
    '是': 'yes',
    '否': 'no',
    '刷新': 'Refresh',
    '更新于': 'Updated',
    '；': '; ',
    '、': ', ',
    '输入有误': 'Invalid input',
    '操作未执行': 'Not done',
    '无权执行此操作': 'Not allowed',
    '操作失败': 'Failed',
    '工单': 'Appeal',
    '工单编号': 'Appeal no.',
    '受理时间': 'Received',
    '状态': 'Status',
    '业务类型': 'Business type',
    '诉求主题': 'Topic',
    '责任单位': 'Responsible unit',
    '责任部门': 'Department',
    '预警': 'Warning',
    '最近时限': 'Next due',
    '诉求内容': 'Content',
    '受理渠道': 'Channel',
    '外部编号': 'External id',
    '影响因素': 'Factor',
    '标签来源': 'Label source',
    '待复核': 'Needs review',
    '催办次数': 'Urges',
    '重复来电次数': 'Repeat calls',
    '升级次数': 'Escalations',
    '重办次数': 'Re-handled',
    '回访结果': 'Callback verdict',
    '重复工单': 'Duplicate of',
    '县公司': 'County',
    '供电所': 'Station',
    '台区': 'Transformer area',
    '时限规则版本': 'SLA policy version',
    '版本': 'Version',
    '归档时间': 'Closed',
    '户号': 'Customer no.',
    '客户姓名': 'Customer name',
    '联系电话': 'Phone',
    '地址': 'Address',
    '电话': 'Phone',
    '客户': 'Customer',
    '紧急': 'Urgent',
    '合成数据': 'Synthetic',
    '登录': 'Log in',
    '用户名': 'Username',
    '密码': 'Password',
    '请输入用户名和密码': 'Enter your username and password',
    '用户名或密码错误': 'Wrong username or password',
    '供电服务指挥中心 · 客户诉求闭环管理': 'Power supply service command center · closed-loop appeal handling',
    '连续登录失败次数过多，账户已锁定至 {until}；请稍后再试或联系管理员重置密码。':
        'Too many failed logins: the account is locked until {until}. Try again later or ask an administrator'
        ' to reset the password.',
    '首次登录或密码已被管理员重置：请设置新密码后继续。':
        'First login or a password reset by an administrator: choose a new password to continue.',
    '原密码': 'Current password',
    '新密码（至少 {n} 位）': 'New password (at least {n} characters)',
    '再次输入新密码': 'New password again',
    '两次输入的新密码不一致': 'The new passwords differ',
    '密码已修改': 'Password changed',
    '原密码不正确': 'The current password is wrong',
    '新密码至少 {n} 位': 'The new password needs at least {n} characters',
    '新密码不能与原密码相同': 'The new password must differ from the current one',
    '保存': 'Save',
    '我的工作台': 'My workbench',
    '全部部门': 'All departments',
    '查看全部': 'Show all',
    '暂无工单': 'Nothing waiting',
    '待派单': 'To dispatch',
    '预警工单': 'Warned appeals',
    '待审核': 'To review',
    '已受理、待派往责任部门的工单': 'Accepted appeals waiting to be dispatched to the responsible department',
    '黄色预警与红色超时，请催办或升级督办': 'Yellow warnings and red overdue appeals: urge or escalate',
    '处理部门已办结、待审核的工单': 'Resolved by the department, waiting for review',
    '待办结（一次办结）': 'To resolve on first contact',
    '待回访': 'To call back',
    '待归档': 'To archive',
    '咨询、表扬、意见类工单可在受理时直接办结': 'Inquiries, praise and opinions can be resolved on first contact',
    '已办结、待回访客户的工单': 'Resolved, waiting for the customer callback',
    '已回访、待归档的工单': 'Called back, waiting to be archived',
    '待接单': 'To receive',
    '处理中': 'In hand',
    '已挂起': 'Suspended',
    '已派到本单位、待接单的工单': 'Dispatched to your unit, waiting to be received',
    '已接单：抢修须先到达现场再办结': 'Received: a repair records the arrival on site before it is resolved',
    '因客户原因暂停计时的工单': 'Clock paused for a customer-caused delay',
    '处理中的工单': 'Open appeals',
    '本辖区尚未办结的工单': 'Appeals of your territory not yet resolved',
    '黄色预警与红色超时': 'Yellow warnings and red overdue appeals',
    '黄色预警': 'Yellow warning',
    '红色超时': 'Red overdue',
    '诉求受理': 'Appeal intake',
    'Enter 下一项 · Shift+Enter 换行 · Ctrl+Enter 保存': 'Enter: next field · Shift+Enter: new line · Ctrl+Enter: save',
    '输入户号或电话后按 Enter，显示客户信息与历史诉求。':
        'Enter a customer number or phone and press Enter to see the customer and their appeals.',
    '紧急（未勾选时由系统按内容判断）': 'Urgent (when not ticked, the system judges from the content)',
    '补充信息（客户档案中没有时填写）': 'More (when the customer is not on file)',
    '保存 (Ctrl+Enter)': 'Save (Ctrl+Enter)',
    '重复来电': 'Repeat caller',
    '该客户有 {open} 张未办结工单，30 天内来电 {recent} 次；同主题再次来电将合并为催办。':
        'This customer has {open} open appeals and called {recent} times in 30 days; another call on the same'
        ' topic is merged into the open appeal as an urge.',
    '客户档案中未找到此户号或电话。': 'No customer on file with this number or phone.',
    '重要客户': 'Important customer',
    '敏感客户': 'Sensitive customer',
    '未办结工单': 'Open appeals',
    '历史诉求（最近 10 张）': 'History (last 10)',
    '暂无历史诉求': 'No earlier appeals',
    '业务类型与主题由系统判断': 'Business type and topic set by the system',
    '（置信度低，请复核）': ' (low confidence: please check)',
    '系统建议：{bt} · {topic}（置信度 {p:.0%} / {q:.0%}）': 'Suggested: {bt} · {topic} (confidence {p:.0%} / {q:.0%})',
    '可能紧急': 'Possibly urgent',
    '客户打分（1–10，可不填）': 'Customer scores (1–10, optional)',
    '客户意见 / 不满意原因（可选）': "Customer's comment / reason for dissatisfaction (optional)",
    '客户意见': "Customer's comment",
    '敏感客户：{level}（评分 {score:.0f}）': 'Sensitive customer: {level} (score {score:.0f})',
    '关注客户': 'Customer to watch',
    '更正标签': 'Correct labels',
    '判断依据': 'Why these labels',
    '模型判断：{bt} · {topic}': 'Model reading: {bt} · {topic}',
    '紧急线索': 'Urgency cues',
    '标签已更正，将用于下次训练': 'Labels corrected; the next training will use them',
    # 诉求分析 (web/pages/analysis.py)
    'q 值': 'q value',
    '{period} 风险排名': 'Risk ranking {period}',
    '上升': 'Rising',
    '下降': 'Falling',
    '从': 'From',
    '各单位影响因素趋势': 'Factor trends by unit',
    '各单位每月诉求量（热力图）': 'Appeals per unit and month (heat map)',
    '同一客户、电话或地址在 {d} 天内同主题诉求 ≥ {n} 次：{g} 组，{a} 张工单':
        'Same customer, phone or address with ≥ {n} appeals on one topic within {d} days: {g} groups, {a} appeals',
    '名称': 'Name',
    '基线工单': 'Baseline appeals',
    '实际': 'Observed',
    '客户以不可逆的假名标识；在工单详情中查看客户信息须说明理由并留痕。':
        'Customers are shown by irreversible pseudonyms; seeing a customer on the appeal page needs a reason '
        'and is recorded.',
    '层级': 'Level',
    '工单数': 'Appeals',
    '平均占比': 'Mean share',
    '平稳': 'Flat',
    '情绪': 'Sentiment',
    '所选期间没有结果。': 'No results for this period.',
    '投诉': 'Complaints',
    '排名': 'Rank',
    '提升': 'Lift',
    '敏感分': 'Sensitivity score',
    '数据不足': 'Too little data',
    '新出现的热词': 'Emerging terms',
    '方法': 'Method',
    '期望': 'Expected',
    '期间': 'Period',
    '每月变化（百分点）': 'Change per month (pp)',
    '每条监控线的受控平均运行长度 {arl:g} 期（约每天 {fa:.2f} 次误报）':
        'In-control average run length of each chart: {arl:g} periods (about {fa:.2f} false alarms a day)',
    '涉及的人员与营业网点': 'Staff and service outlets named',
    '激增预警': 'Surge alerts',
    '热度': 'Heat',
    '热点与激增': 'Hotspots and surges',
    '熵权：{w}': 'Entropy weights: {w}',
    '相关工单': 'Appeals',
    '等级': 'Level',
    '类别': 'Kind',
    '紧急度': 'Urgency',
    '统计量 / 阈值': 'Statistic / threshold',
    '至': 'To',
    '表扬': 'Praise',
    '识别依据': 'Matched by',
    '诉求分析': 'Appeal analysis',
    '诉求构成（按影响因素，每月）': 'Appeals by factor, per month',
    '诉求量': 'Appeals',
    '词语': 'Term',
    '趋势': 'Trend',
    '跨度（天）': 'Span (days)',
    '近期工单': 'Recent appeals',
    '重复诉求': 'Repeat appeals',
    '量变': 'Volume change',
    '风险分': 'Risk score',
    '风险等级': 'Risk level',
    '风险预警': 'Regional risk',
    '紧急工单，已提示总值长': 'Urgent: the duty officer was alerted',
    '受理日期从': 'Received from',
    '受理日期至': 'Received until',
    '关键字 / 户号 / 电话 / 工单号': 'Text / customer no. / phone / appeal no.',
    '查询': 'Search',
    '页': 'page',
    '导出 XLSX': 'Export XLSX',
    '导出 CSV': 'Export CSV',
    '共 {n} 条': '{n} appeals',
    '（超过 2,000 条，请缩小筛选范围）': ' (over 2,000: narrow the filters)',
    '工单详情': 'Appeal',
    '派单与责任': 'Routing',
    '时限': 'Due',
    '节点': 'Milestone',
    '完成时间': 'Done',
    '剩余': 'Remaining',
    '未开始': 'not started',
    '超时完成': 'done late',
    '按时完成': 'done in time',
    '操作': 'Actions',
    '当前状态下您没有可执行的操作。': 'Nothing for you to do in this status.',
    '处理记录': 'Timeline',
    '客户信息': 'Customer',
    '查看完整信息': 'Reveal',
    '查看完整的客户信息': "Reveal the customer's personal data",
    '请说明原因；查看人、时间和原因将被记录。': 'Say why: who, when and why are recorded.',
    '原因': 'Reason',
    '确定': 'OK',
    '取消': 'Cancel',
    '请填写原因': 'Give a reason',
    '已显示完整信息，查看记录已存档。': 'Personal data revealed; the access is recorded.',
    '客户评价': 'Customer verdict',
    '改派部门': 'New department',
    '改派单位': 'New unit',
    '重复的工单编号（可选）': 'Duplicate of appeal no. (optional)',
    '原因（必填）': 'Reason (required)',
    '备注（可选）': 'Note (optional)',
    '此操作必须填写原因': 'This action needs a reason',
    '已完成': 'done',
    '按县公司': 'By county',
    '按供电所': 'By station',
    '按责任单位': 'By unit',
    '单位': 'Unit',
    '代码': 'Code',
    '预警统计（按单位与部门）': 'Warnings by unit and department',
    '没有预警工单。': 'No warned appeals.',
    '超时与预警工单（最早到期在前）': 'Overdue and warned appeals (earliest due first)',
    '没有超时或预警工单。': 'No overdue or warned appeals.',
    '督办台一键{action}': '{action} from the supervision board',
    '抢修未结': 'Open repairs',
    '紧急未结': 'Urgent open',
    '激增县公司': 'Counties surging',
    '诉求激增：': 'Surge: ',
    '各县公司未结抢修工单': 'Open repairs by county',
    '没有未结的抢修工单。': 'No open repairs.',
    '近 {h} 小时诉求量与前 {d} 天同时段均值':
        'Appeals in the last {h} hours against the same hours of the previous {d} days',
    '激增：近时段量达到均值的 {f:g} 倍且不少于 {n} 件': 'Surge: at least {f:g}× the average and at least {n} appeals',
    '近 {h} 小时': 'Last {h} h',
    '同时段均值': 'Average',
    '倍数': 'Ratio',
    '激增': 'Surge',
    '紧急未结工单（最新在前）': 'Urgent open appeals (newest first)',
    '没有未结的紧急工单。': 'No urgent open appeals.',
    '用户': 'Users',
    '组织架构': 'Org tree',
    '时限规则': 'SLA policies',
    '职责矩阵': 'Responsibility matrix',
    '新建用户': 'New user',
    '角色': 'Role',
    '辖区': 'Territory',
    '创建': 'Create',
    '需改密码': 'Must change password',
    '已停用': 'deactivated',
    '已锁定': 'locked',
    '正常': 'active',
    '编辑': 'Edit',
    '停用': 'Deactivate',
    '启用': 'Activate',
    '重置密码': 'Reset password',
    '已保存': 'Saved',
    '停用用户 {u}': 'Deactivate {u}',
    '启用用户 {u}': 'Activate {u}',
    '重置 {u} 的密码': 'Reset the password of {u}',
    '已创建用户 {u}': 'User {u} created',
    '已重置 {u} 的密码': 'Password of {u} reset',
    '临时密码（只显示这一次，请当面或通过安全渠道告知；首次登录须修改）：':
        'Temporary password (shown this once: hand it over in person or over a safe channel; it must be '
        'changed at the first login):',
    '我已记下': 'Noted',
    '查找单位': 'Find a unit',
    '共 {n} 个单位': '{n} units',
    '编辑（TOML，保存为新版本）': 'Edit (TOML, saved as a new version)',
    '变更说明': 'What changed and why',
    '检查': 'Check',
    '保存并生效': 'Save and put in force',
    '已保存的版本': 'a stored version',
    '配置文件': 'the configuration file',
    '生效版本 {v}（{w}）': 'Version in force {v} ({w})',
    '规则有效：版本 {v}': 'Valid: version {v}',
    '已生效：版本 {v}；{n} 件在办工单的时限已重算并记入时间线。':
        'In force: version {v}; the deadlines of {n} open appeals were recomputed and noted in their timelines.',
    '版本 {v} · 黄色预警：已用时限的 {y:.0%} · 重复来电合并窗口 {h:g} 小时':
        'Version {v} · yellow warning at {y:.0%} of the time limit · repeat calls merged within {h:g} hours',
    '版本 {v} · 未匹配时：{d}': 'Version {v} · when no rule matches: {d}',
    '节点与时限': 'Milestones and limits',
    '须回访': 'Callback required',
    '依据': 'Source',
    '任意': 'any',
    '渠道时限上限': 'Channel caps',
    '{n:g} 个工作日': '{n:g} working days',
    '{n:g} 小时': '{n:g} h',
    '{n:g} 分钟': '{n:g} min',
    # satisfaction (满意度)
    '满意度': 'Satisfaction',
    '统计期': 'Period',
    '如 2026、2026-H1、2026-Q3、2026-07': 'e.g. 2026, 2026-H1, 2026-Q3, 2026-07',
    '回访满意度': 'Callback satisfaction',
    '满意度指数': 'Satisfaction index',
    '问卷导入': 'Survey import',
    '报告': 'Report',
    '调查': 'Survey',
    '回访率': 'Callback coverage',
    '满意率': 'Satisfaction rate',
    '十分满意率': 'Fully satisfied rate',
    '不满意': 'Dissatisfied',
    '回访次数': 'Callbacks',
    '应回访 {d} 件，已回访 {c} 件，超期未回访 {m} 件，待回访 {a} 件。':
        '{d} due for a callback, {c} called back, {m} missed, {a} not due yet.',
    '近十二个月回访满意率与回访率': 'Satisfaction rate and callback coverage, last twelve months',
    '分单位回访满意度': 'Callback satisfaction by unit',
    '受理工单': 'Appeals',
    '应回访': 'Due',
    '重办中': 'Re-handling',
    '不满意原因': 'Reasons for dissatisfaction',
    '本期没有不满意回访。': 'No dissatisfied callback in this period.',
    '（未填写原因）': '(no reason given)',
    '次数': 'Count',
    '占不满意': 'Share of dissatisfied',
    '回访评分（1–10）': 'Callback scores (1–10)',
    '{item}：平均 {mean} 分（{n} 次评分）': '{item}: mean {mean} ({n} scores)',
    '处理速度': 'Speed',
    '服务态度': 'Attitude',
    '处理结果': 'Result',
    '不满意重新处理中的工单（督办）': 'Appeals re-handled after a dissatisfied callback (supervised)',
    '没有不满意后重新处理中的工单。': 'No appeal is being re-handled after a dissatisfied callback.',
    '还没有满意度调查：请在“问卷导入”中上传答卷。': 'No survey yet: upload answers under "Survey import".',
    '此调查为合成数据（演示用）。': 'This survey is synthetic (demo data).',
    '所选单位和统计期的答卷不足以估计模型：': 'Too few answers for the unit and period to estimate the model: ',
    '有效答卷 {n} 份（已剔除直线作答 {s} 份）': '{n} answers used ({s} straight-lining answers left out)',
    '构念': 'Construct',
    '指数 (0–100)': 'Index (0–100)',
    '重要性—表现分析（IPMA）': 'Importance–performance map (IPMA)',
    '没有可分析的驱动因素。': 'No driver to analyse.',
    '重要性': 'Importance',
    '表现': 'Performance',
    '优先改进：': 'Improve first: ',
    '无': 'none',
    '分单位满意度指数': 'Satisfaction index by unit',
    '答卷': 'Answers',
    '所选单位和统计期的满意度分析报告：回访满意度及趋势、不满意原因、满意度指数（含置信区间）与改进重点。':
        'The satisfaction report of the unit and period: callback satisfaction and its trend, reasons for '
        'dissatisfaction, the satisfaction index (with confidence intervals) and what to improve first.',
    '下载 HTML 报告': 'Download the HTML report',
    '下载 PDF 报告': 'Download the PDF report',
    '请选择单位': 'choose a unit',
    '上传答卷（CSV 或 XLSX）：每行一份答卷，列为题目代码及 respondent、unit、segment、channel、period。':
        'Upload answers (CSV or XLSX): one row per respondent, columns = the item codes and respondent, unit, '
        'segment, channel, period.',
    '调查编号（可选）': 'Survey id (optional)',
    '标题（可选）': 'Title (optional)',
    '缺省统计期（可选）': 'Default period (optional)',
    '逐行导入': 'Row by row',
    '全部或不导入': 'All or nothing',
    '只检查不导入': 'Check only',
    '选择文件': 'Choose a file',
    '已导入调查 {id}': 'Survey {id} imported',
    '未保存': 'Not stored',
    '{state}：读取 {read} 行，接受 {ok} 行，拒绝 {bad} 行；缺答 {miss} 行，直线作答 {flat} 行。':
        '{state}: {read} rows read, {ok} accepted, {bad} rejected; {miss} with missing answers, {flat} '
        'straight-lining.',
    '行': 'Row',
    '列': 'Column',
}
