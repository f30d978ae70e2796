/**
 * Chinese first, English switchable 中文优先，可切换英文. `t()` reads the reactive locale, so a
 * template that calls it re-renders when the switch flips. Each page adds its own messages.
 */
import { ref, watch } from 'vue';

export type Locale = 'zh' | 'en';
export type Messages = Record<string, { zh: string; en: string }>;

const LOCALE_KEY = 'gridloop.locale';

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LOCALE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* storage blocked: default */
  }
  return 'zh';
}

export const locale = ref<Locale>(initialLocale());

watch(
  locale,
  (l) => {
    try {
      localStorage.setItem(LOCALE_KEY, l);
    } catch {
      /* ignore */
    }
    if (typeof document !== 'undefined') document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  },
  { immediate: true },
);

export function toggleLocale(): void {
  locale.value = locale.value === 'zh' ? 'en' : 'zh';
}

const table: Messages = {};

/** Adds a page's messages (later keys win). */
export function addMessages(messages: Messages): void {
  Object.assign(table, messages);
}

/** The message `key` in the current locale, with `{name}` placeholders filled. */
export function t(key: string, params?: Record<string, string | number | null | undefined>): string {
  const entry = table[key];
  let text = entry ? entry[locale.value] : key;
  if (params) text = text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? ''));
  return text;
}

/** Picks the Chinese or English of a pair the API sends (categories: zh/en, departments: name/name_en). */
export function pick(zh: string, en: string | null | undefined): string {
  return locale.value === 'en' && en ? en : zh;
}

const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }),
  en: new Intl.DateTimeFormat('en-GB', { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }),
};

/** A timestamp in China time, short. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormats[locale.value].format(d);
}

/** The server error's message in the current locale. */
export function errorText(error: unknown): string {
  const e = error as { message?: string; message_zh?: string };
  if (locale.value === 'zh' && e?.message_zh) return e.message_zh;
  return e?.message ?? String(error);
}

addMessages({
  'app.name': { zh: '网格治理', en: 'gridloop' },
  'common.lang': { zh: 'English', en: '中文' },
  'common.langLabel': { zh: '切换到英文', en: 'Switch to Chinese' },
  'login.username': { zh: '用户名', en: 'Username' },
  'login.password': { zh: '密码', en: 'Password' },
  'common.skip': { zh: '跳到正文', en: 'Skip to content' },
  'common.logout': { zh: '退出', en: 'Log out' },
  'common.login': { zh: '登录', en: 'Log in' },
  'common.loading': { zh: '加载中…', en: 'Loading…' },
  'common.retry': { zh: '重试', en: 'Retry' },
  'common.refresh': { zh: '刷新', en: 'Refresh' },
  'common.submit': { zh: '提交', en: 'Submit' },
  'common.cancel': { zh: '取消', en: 'Cancel' },
  'common.confirm': { zh: '确定', en: 'Confirm' },
  'common.back': { zh: '返回', en: 'Back' },
  'common.save': { zh: '保存', en: 'Save' },
  'common.empty': { zh: '暂无数据', en: 'Nothing here' },
  'common.none': { zh: '无', en: 'None' },
  'common.total': { zh: '共 {n} 条', en: '{n} in total' },
  'common.more': { zh: '加载更多', en: 'Load more' },
  'common.required': { zh: '必填', en: 'required' },
  'common.optional': { zh: '选填', en: 'optional' },
  'common.offline': { zh: '网络已断开', en: 'Offline' },
  'common.online': { zh: '在线', en: 'Online' },
  'mode.label': { zh: '运行模式', en: 'Operation mode' },
  'mode.until': { zh: '至 {time}', en: 'until {time}' },
  'mode.tighter': { zh: '时限与提级按此模式执行', en: 'time limits and escalation follow this mode' },
  'common.notAllowed': { zh: '该案件不存在或不在您的管辖范围内', en: 'This case does not exist or is outside your scope' },
  'common.sessionEnded': { zh: '登录已失效，请重新登录', en: 'Your session ended: log in again' },
  'case.number': { zh: '案件编号', en: 'Case no.' },
  'case.status': { zh: '状态', en: 'Status' },
  'case.category': { zh: '事项类别', en: 'Category' },
  'case.source': { zh: '来源', en: 'Source' },
  'case.priority': { zh: '紧急程度', en: 'Priority' },
  'case.description': { zh: '问题描述', en: 'Description' },
  'case.address': { zh: '地址', en: 'Address' },
  'case.location': { zh: '位置', en: 'Location' },
  'case.reporter': { zh: '反映人', en: 'Reporter' },
  'case.department': { zh: '承办单位', en: 'Department' },
  'case.createdAt': { zh: '上报时间', en: 'Reported' },
  'case.updatedAt': { zh: '更新时间', en: 'Updated' },
  'case.history': { zh: '办理记录', en: 'History' },
  'case.photos': { zh: '照片', en: 'Photos' },
  'case.outcome': { zh: '办结方式', en: 'Outcome' },
  'case.rating': { zh: '评价', en: 'Rating' },
  'case.node': { zh: '所属辖区', en: 'Territory node' },
  'case.actions': { zh: '可执行操作', en: 'Actions' },
  'case.reopened': { zh: '重办 {n} 次', en: 'Reopened {n}×' },
  'case.returned': { zh: '退单 {n} 次', en: 'Returned {n}×' },
  'case.pendingExtension': { zh: '待审批延期：至 {until}（{reason}）', en: 'Extension pending: until {until} ({reason})' },
  'case.pendingDeferral': { zh: '待审批挂账：{reason}（{note}）', en: 'Deferral pending: {reason} ({note})' },
});

addMessages({
  'field.note': { zh: '备注', en: 'Note' },
  'field.reason': { zh: '原因', en: 'Reason' },
  'field.departmentId': { zh: '承办（牵头）部门', en: 'Lead department' },
  'field.cooperatingDepartmentIds': { zh: '配合部门', en: 'Cooperating departments' },
  'field.workerId': { zh: '或派给网格员', en: 'Or a grid worker' },
  'field.mergedIntoId': { zh: '合并到案件', en: 'Merge into case' },
  'field.outcome': { zh: '办结方式', en: 'Outcome' },
  'field.outcomeNote': { zh: '解释说明', en: 'Explanation' },
  'field.referredTo': { zh: '转交单位', en: 'Referred to' },
  'field.feedback': { zh: '办理情况反馈', en: 'Feedback' },
  'field.attachments': { zh: '现场照片', en: 'Photos' },
  'field.rating': { zh: '您对办理结果是否满意', en: 'Are you satisfied with the result?' },
  'field.comment': { zh: '评价意见', en: 'Comment' },
  'field.until': { zh: '延期至', en: 'Extend until' },
  'field.deferralReason': { zh: '挂账原因', en: 'Deferral reason' },
  'field.reviewAt': { zh: '下次复核时间', en: 'Next review' },
  'field.choose': { zh: '请选择', en: 'Choose' },
  'field.missing': { zh: '请填写：{fields}', en: 'Please fill in: {fields}' },
  'action.done': { zh: '已{action}', en: '{action}: done' },
});

addMessages({
  'photo.label': { zh: '照片', en: 'Photos' },
  'photo.limit': { zh: '（最多 {n} 张）', en: '(up to {n})' },
  'photo.camera': { zh: '拍照', en: 'Camera' },
  'photo.album': { zh: '相册', en: 'Album' },
  'photo.resizing': { zh: '正在压缩照片…', en: 'Shrinking the photo…' },
  'photo.nth': { zh: '第 {n} 张照片', en: 'Photo {n}' },
  'photo.remove': { zh: '删除第 {n} 张照片', en: 'Remove photo {n}' },
});

addMessages({
  'map.path': { zh: '地图层级', en: 'Map level' },
  'map.tapHint': { zh: '点击地图放置位置标记', en: 'Tap the map to place the pin' },
  'map.noShapes': { zh: '该区域暂无地图边界', en: 'No map shapes for this area' },
  'map.inArea': { zh: '位于：{name}', en: 'In: {name}' },
  'map.zoomIn': { zh: '放大此区域', en: 'Zoom into this area' },
  'map.orChoose': { zh: '或选择所在区域', en: 'Or choose the area' },
});

addMessages({
  'queue.search': { zh: '搜索编号、描述或地址', en: 'Search number, text or address' },
  'queue.select': { zh: '选择案件 {number}', en: 'Select case {number}' },
  'queue.pick': { zh: '从左侧队列选择一个案件', en: 'Pick a case from the queue' },
});

addMessages({
  'deadline.flagged': { zh: '挂牌督办', en: 'Flagged' },
  'deadline.level': { zh: '办理层级', en: 'Handling level' },
  'deadline.urged': { zh: '已催办 {n} 次', en: 'urged {n}×' },
});

addMessages({
  'supervision.title': { zh: '督办', en: 'Supervision' },
  'supervision.level': { zh: '提级到', en: 'Escalate to' },
  'supervision.oneUp': { zh: '上一级（默认）', en: 'One level up (default)' },
});
