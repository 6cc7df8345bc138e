"""配置: users (through AccessAdmin: every change audited), the org tree, and read-only views of the SLA
policies and the responsibility matrix in force."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from nicegui import ui

from gridvoice.api.fields import no_nul_field
from gridvoice.auth.schemas import UserOut
from gridvoice.domain.clock import ClockKind
from gridvoice.domain.roles import Permission, Role
from gridvoice.domain.sla import AreaClass, MilestoneRule
from gridvoice.rulesets.admin import RuleSetAdmin
from gridvoice.runtime import Runtime
from gridvoice.web.i18n import Texts
from gridvoice.web.layout import attempt, frame
from gridvoice.web.queries import org_options
from gridvoice.web.session import PageContext, console_page, io

WHOLE_COMPANY = "__all__"


class UsersTab:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx, self.t = ctx, ctx.texts
        t = self.t
        self.roles = {r.value: t.role(r) for r in Role}
        self.orgs = {WHOLE_COMPANY: t("全公司")} | org_options(ctx.console.runtime, None)
        with ui.card().classes("w-full"):
            ui.label(t("新建用户")).classes("text-h6")
            with ui.row().classes("items-end gap-2"):
                self.username = ui.input(t("用户名")).mark("new-username")
                self.role = ui.select(self.roles, label=t("角色"), value=Role.AGENT.value).classes("min-w-32").mark(
                    "new-role")
                self.org = ui.select(self.orgs, label=t("辖区"), value=WHOLE_COMPANY, with_input=True).classes(
                    "min-w-64").mark("new-org")
                ui.button(t("创建"), icon="person_add", on_click=self.create).props("color=primary").mark(
                    "create-user")
        self.list = ui.column().classes("w-full")
        self.dialogs = ui.element()  # dialogs opened from other dialogs must not live inside them

    async def show(self) -> None:
        async def work() -> None:
            users = await io(self.ctx.console.admin.list_users, self.ctx.actor)
            self.list.clear()
            with self.list:
                self._table(users)
        await attempt(self.t, work)

    def _table(self, users: list[UserOut]) -> None:
        t = self.t
        with ui.grid(columns="auto auto auto auto auto 1fr").classes("items-center gap-x-4 gap-y-1 w-full"):
            for head in ("用户名", "角色", "辖区", "状态", "需改密码", "操作"):
                ui.label(t(head)).classes("text-caption text-grey-7")
            for u in users:
                ui.label(u.username).mark(f"user-{u.username}")
                ui.label(t.role(u.role))
                ui.label(self.orgs.get(u.org_code or WHOLE_COMPANY, u.org_code or ""))
                state = t("已停用") if not u.active else (t("已锁定") if u.locked else t("正常"))
                ui.label(state).classes("" if u.active and not u.locked else "text-negative")
                ui.label(t.flag(u.must_change_password))
                with ui.row().classes("gap-1"):
                    ui.button(t("编辑"), on_click=lambda x=u: self.edit(x)).props("dense flat").mark(
                        f"edit-{u.username}")
                    label = t("停用") if u.active else t("启用")
                    ui.button(label, on_click=lambda x=u: self.toggle(x)).props("dense flat").mark(
                        f"toggle-{u.username}")
                    ui.button(t("重置密码"), on_click=lambda x=u: self.reset(x)).props("dense flat").mark(
                        f"reset-{u.username}")

    async def create(self) -> None:
        t = self.t

        async def work() -> None:
            org = None if self.org.value == WHOLE_COMPANY else self.org.value
            user, password = await io(self.ctx.console.admin.create_user, self.ctx.actor,
                                      (self.username.value or "").strip(), self.role.value, org)
            self.username.value = ""
            _show_password(self.dialogs, t, t("已创建用户 {u}").format(u=user.username), password or "")
            await self.show()
        await attempt(t, work)

    def edit(self, user: UserOut) -> None:
        t = self.t
        self.dialogs.clear()
        with self.dialogs, ui.dialog() as dialog, ui.card().classes("w-96").mark("edit-dialog"):
            ui.label(f"{t('编辑')} {user.username}").classes("text-h6")
            role = ui.select(self.roles, label=t("角色"), value=user.role).classes("w-full").mark("edit-role")
            org = ui.select(self.orgs, label=t("辖区"), value=user.org_code or WHOLE_COMPANY, with_input=True
                            ).classes("w-full").mark("edit-org")
            reason = ui.input(t("原因")).classes("w-full").mark("edit-reason")

            async def save() -> None:
                async def work() -> None:
                    no_nul_field("reason", reason.value)
                    whole = org.value == WHOLE_COMPANY
                    await io(self.ctx.console.admin.update_user, self.ctx.actor, user.username, role=role.value,
                             org_code=None if whole else org.value, clear_org=whole, reason=reason.value or "")
                    dialog.close()
                    ui.notify(t("已保存"), type="positive")
                    await self.show()
                await attempt(t, work)

            with ui.row():
                ui.button(t("保存"), on_click=save).props("color=primary").mark("edit-save")
                ui.button(t("取消"), on_click=dialog.close).props("flat")
        dialog.open()

    def toggle(self, user: UserOut) -> None:
        t = self.t
        title = (t("停用用户 {u}") if user.active else t("启用用户 {u}")).format(u=user.username)

        async def run(reason: str) -> None:
            await io(self.ctx.console.admin.update_user, self.ctx.actor, user.username, active=not user.active,
                     reason=reason)
            ui.notify(t("已保存"), type="positive")
            await self.show()

        _ask_reason(self.dialogs, t, title, run)

    def reset(self, user: UserOut) -> None:
        t = self.t

        async def run(reason: str) -> None:
            password = await io(self.ctx.console.admin.reset_password, self.ctx.actor, user.username, reason)
            _show_password(self.dialogs, t, t("已重置 {u} 的密码").format(u=user.username), password)
            await self.show()

        _ask_reason(self.dialogs, t, t("重置 {u} 的密码").format(u=user.username), run)


def _ask_reason(anchor: ui.element, t: Texts, title: str, run: Any) -> None:
    anchor.clear()
    with anchor, ui.dialog() as dialog, ui.card().classes("w-96").mark("reason-dialog"):
        ui.label(title).classes("text-h6")
        reason = ui.input(t("原因")).props("autofocus").classes("w-full").mark("reason")

        async def confirm() -> None:
            dialog.close()

            async def work() -> None:
                no_nul_field("reason", reason.value)
                await run(reason.value or "")
            await attempt(t, work)

        with ui.row():
            ui.button(t("确定"), on_click=confirm).props("color=primary").mark("reason-confirm")
            ui.button(t("取消"), on_click=dialog.close).props("flat")
    dialog.open()


def _show_password(anchor: ui.element, t: Texts, title: str, password: str) -> None:
    anchor.clear()
    with anchor, ui.dialog().props("persistent") as dialog, ui.card().classes("w-96").mark("password-dialog"):
        ui.label(title).classes("text-h6")
        ui.label(t("临时密码（只显示这一次，请当面或通过安全渠道告知；首次登录须修改）：")).classes("text-caption")
        ui.label(password).classes("text-h6 font-mono select-all").mark("generated-password")
        ui.button(t("我已记下"), on_click=dialog.close).props("color=primary").mark("password-done")
    dialog.open()


def _org_tree(runtime: Runtime, t: Texts) -> None:
    org = runtime.org()
    children: dict[str | None, list[str]] = {}
    for code, unit in org.units.items():
        children.setdefault(unit.parent, []).append(code)

    def node(code: str) -> dict[str, Any]:
        unit = org.units[code]
        label = f"{unit.name} ({code}) · {t.level(unit.level)} · {t.area(unit.area_class)}"
        return {"id": code, "label": label, "children": [node(c) for c in sorted(children.get(code, []))]}

    roots = sorted(children.get(None, []))
    search = ui.input(t("查找单位")).props("clearable").classes("w-64").mark("org-search")
    tree = ui.tree([node(r) for r in roots], label_key="label").mark("org-tree")
    tree.expand(roots)
    search.bind_value_to(tree, "filter")
    ui.label(t("共 {n} 个单位").format(n=len(org.units))).classes("text-caption text-grey-7")


def _limit(t: Texts, rule: MilestoneRule) -> str:
    values = [rule.minutes_by_area[a] for a in AreaClass]

    def one(minutes: float) -> str:
        if rule.clock == ClockKind.WORKDAY:
            return t("{n:g} 个工作日").format(n=minutes / 1440)
        return t("{n:g} 小时").format(n=minutes / 60) if minutes >= 60 else t("{n:g} 分钟").format(n=minutes)

    if len(set(values)) == 1:
        return one(values[0])
    return " / ".join(f"{t.area(a.value)} {one(m)}" for a, m in zip(AreaClass, values, strict=True))


def _any(t: Texts, code: str) -> str:
    return t("任意") if code == "*" else t.label(code)


def _sla(runtime: Runtime, t: Texts) -> None:
    sla = runtime.sla  # the rules in force (a stored version, else the shipped or configured file)
    ui.label(t("版本 {v} · 黄色预警：已用时限的 {y:.0%} · 重复来电合并窗口 {h:g} 小时").format(
        v=sla.version, y=sla.yellow_share, h=sla.duplicate_window_hours)).mark("sla-version")
    columns = [{"name": n, "label": t(label), "field": n, "align": "left"} for n, label in (
        ("business_type", "业务类型"), ("topic", "诉求主题"), ("channel", "受理渠道"), ("milestones", "节点与时限"),
        ("callback", "须回访"), ("source", "依据"))]
    rows = [{"id": i, "business_type": _any(t, p.business_type), "topic": _any(t, p.topic),
             "channel": _any(t, p.channel), "callback": t.flag(p.callback_required), "source": p.source,
             "milestones": "；".join(f"{t.milestone(m.name)} {_limit(t, m)}" for m in p.milestones)}
            for i, p in enumerate(sla.policies)]
    ui.table(columns=columns, rows=rows, row_key="id").props("dense flat bordered wrap-cells").classes(
        "w-full").mark("sla-table")
    if sla.channel_limits:
        ui.label(t("渠道时限上限")).classes("text-subtitle1")
        for limit in sla.channel_limits:
            rule = MilestoneRule(limit.milestone, frozenset(), "", limit.clock,
                                 dict.fromkeys(AreaClass, limit.minutes))
            ui.label(f"{t.label(limit.channel)} · {t.milestone(limit.milestone)} ≤ {_limit(t, rule)}")


def _matrix(runtime: Runtime, t: Texts) -> None:
    matrix = runtime.matrix
    ui.label(t("版本 {v} · 未匹配时：{d}").format(v=matrix.version, d=t.label(matrix.default_department))).mark(
        "matrix-version")
    columns = [{"name": n, "label": t(label), "field": n, "align": "left"} for n, label in (
        ("business_type", "业务类型"), ("topic", "诉求主题"), ("department", "责任部门"))]
    rows = [{"id": i, "business_type": _any(t, r.business_type), "topic": _any(t, r.topic),
             "department": t.label(r.department)} for i, r in enumerate(matrix.rules)]
    ui.table(columns=columns, rows=rows, row_key="id").props("dense flat bordered").classes("w-full").mark(
        "matrix-table")


class RuleEditor:
    """Edit the rules in force as TOML: check, then save as a new version (SLA: open clocks are recomputed)."""

    def __init__(self, ctx: PageContext, kind: str) -> None:
        self.ctx, self.kind, t = ctx, kind, ctx.texts
        self.rules = RuleSetAdmin(ctx.console.runtime, ctx.console.appeals)
        with ui.expansion(t("编辑（TOML，保存为新版本）"), icon="edit").classes("w-full").mark(f"{kind}-editor"):
            self.source = ui.label().classes("text-caption text-grey-7").mark(f"{kind}-source")
            self.text = ui.textarea().props("outlined autogrow").classes("w-full font-mono").mark(f"{kind}-text")
            self.note = ui.input(t("变更说明")).classes("w-full").mark(f"{kind}-note")
            with ui.row():
                ui.button(t("检查"), on_click=self.check).props("outline").mark(f"{kind}-check")
                ui.button(t("保存并生效"), on_click=self.save).props("color=primary").mark(f"{kind}-save")

    async def load(self) -> None:
        current = await io(self.rules.current, self.ctx.actor, self.kind)
        self.text.value = current.text
        where = self.ctx.texts("已保存的版本") if current.source == "store" else self.ctx.texts("配置文件")
        self.source.text = self.ctx.texts("生效版本 {v}（{w}）").format(v=current.version, w=where)

    async def check(self) -> None:
        t = self.ctx.texts

        async def work() -> None:
            version = await io(self.rules.check, self.ctx.actor, self.kind, self.text.value or "")
            ui.notify(t("规则有效：版本 {v}").format(v=version), type="positive")
        await attempt(t, work)

    async def save(self) -> None:
        t = self.ctx.texts

        async def work() -> None:
            actor = await self.ctx.refresh_actor()
            no_nul_field("note", self.note.value)
            change = await io(self.rules.apply, actor, self.kind, self.text.value or "", self.note.value or "")
            ui.notify(t("已生效：版本 {v}；{n} 件在办工单的时限已重算并记入时间线。").format(
                v=change.version, n=change.recomputed), type="positive", multi_line=True, timeout=10000)
            ui.navigate.reload()
        await attempt(t, work)


@console_page("/admin", Permission.MANAGE_USERS)
async def admin_page(ctx: PageContext) -> Response | None:
    t = ctx.texts
    frame(ctx, "配置")
    runtime = ctx.console.runtime
    with ui.tabs().classes("w-full") as tabs:
        users_tab = ui.tab(t("用户")).mark("tab-users")
        org_tab = ui.tab(t("组织架构")).mark("tab-org")
        sla_tab = ui.tab(t("时限规则")).mark("tab-sla")
        matrix_tab = ui.tab(t("职责矩阵")).mark("tab-matrix")
    with ui.tab_panels(tabs, value=users_tab).classes("w-full"):
        with ui.tab_panel(users_tab):
            users = UsersTab(ctx)
        with ui.tab_panel(org_tab):
            _org_tree(runtime, t)
        with ui.tab_panel(sla_tab):
            ui.label(t("时限规则")).classes("text-h6")
            _sla(runtime, t)
            sla_editor = RuleEditor(ctx, "sla")
        with ui.tab_panel(matrix_tab):
            ui.label(t("职责矩阵")).classes("text-h6")
            _matrix(runtime, t)
            matrix_editor = RuleEditor(ctx, "responsibility")
    await users.show()
    await sla_editor.load()
    await matrix_editor.load()
    return None
