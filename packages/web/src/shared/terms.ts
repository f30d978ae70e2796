/**
 * The glossary's terms (docs/glossary.md): one name per thing. Identifiers are what the API sends;
 * the pages show the Chinese term, or the English one after the switch.
 */
import { locale } from './i18n.ts';

type Pair = readonly [zh: string, en: string];
type Table = Readonly<Record<string, Pair>>;

export const STATUS: Table = {
  reported: ['已上报', 'Reported'],
  accepted: ['已受理', 'Accepted'],
  rejected: ['不予受理', 'Rejected'],
  merged: ['已合并（重复件）', 'Merged (duplicate)'],
  dispatched: ['已派单', 'Dispatched'],
  returned: ['已退单', 'Returned'],
  in_progress: ['办理中', 'In progress'],
  handled: ['已办结待核查', 'Handled, to verify'],
  verified: ['已核查待评价', 'Verified, to rate'],
  suspended: ['已挂起', 'Suspended'],
  deferred: ['已挂账', 'Deferred'],
  closed: ['已结案', 'Closed'],
};

export const ACTION: Table = {
  report: ['上报', 'Report'],
  accept: ['受理（收单）', 'Accept'],
  reject: ['不予受理', 'Reject'],
  merge: ['合并重复件', 'Merge duplicate'],
  dispatch: ['派单', 'Dispatch'],
  start: ['接单办理', 'Start'],
  return: ['退单', 'Return'],
  handle: ['办结反馈', 'Handle'],
  resolve_on_spot: ['就地处置', 'Resolve on the spot'],
  verify: ['核查通过', 'Verify'],
  verify_fail: ['核查不通过', 'Verification failed'],
  rate: ['群众评价（签单）', 'Rate'],
  close: ['结案', 'Close'],
  request_extension: ['申请延期', 'Request extension'],
  approve_extension: ['批准延期', 'Approve extension'],
  refuse_extension: ['驳回延期', 'Refuse extension'],
  suspend: ['挂起', 'Suspend'],
  resume: ['恢复', 'Resume'],
  request_deferral: ['申请挂账', 'Request deferral'],
  approve_deferral: ['批准挂账', 'Approve deferral'],
  refuse_deferral: ['驳回挂账', 'Refuse deferral'],
  review_deferral: ['挂账定期复核', 'Review deferral'],
  reactivate: ['重启办理', 'Reactivate'],
  escalate: ['提级办理', 'Escalate'],
  send_down: ['下沉发回', 'Send down'],
  urge: ['催办', 'Urge'],
  flag: ['挂牌督办', 'Flag for supervision'],
  unflag: ['摘牌', 'Lift the flag'],
};

export const DEADLINE_STATE: Table = {
  ok: ['正常', 'On time'],
  yellow: ['预警', 'Due soon'],
  red: ['超期', 'Overdue'],
  stopped: ['计时暂停', 'Clock stopped'],
  deferred: ['已挂账', 'Deferred'],
  done: ['已办结', 'Done'],
};

export const STAGE: Table = {
  accept: ['受理时限', 'Acceptance due'],
  handle: ['办结时限', 'Handling due'],
  verify: ['核查时限', 'Verification due'],
};

export const SOURCE: Table = {
  citizen_app: ['随手拍', 'Snap and report'],
  hotline_12345: ['12345热线', '12345 hotline'],
  grid_patrol: ['网格巡查', 'Grid patrol'],
  household_visit: ['入户走访', 'Household visit'],
  drone: ['无人机', 'Drone'],
  camera: ['视频/传感器', 'Camera / sensor'],
  petition: ['信访', 'Petition'],
  police_110: ['110警情', '110 police'],
  court: ['法院案情', 'Court'],
  public_opinion: ['舆情', 'Public opinion'],
  meeting: ['会议问题清单', 'Meeting list'],
  suggestion: ['人民建议', 'Suggestion'],
};

export const PRIORITY: Table = {
  normal: ['一般', 'Normal'],
  urgent: ['紧急', 'Urgent'],
  emergency: ['特急', 'Emergency'],
};

export const OUTCOME: Table = {
  solved: ['已解决', 'Solved'],
  explained: ['解释说明', 'Explained'],
  not_our_responsibility: ['非职责范围（转交）', 'Not our responsibility (referred)'],
  duplicate: ['重复件', 'Duplicate'],
  no_further_action: ['无需处理', 'No further action'],
};

export const RATING: Table = {
  satisfied: ['满意', 'Satisfied'],
  basically_satisfied: ['基本满意', 'Basically satisfied'],
  unsatisfied: ['不满意', 'Unsatisfied'],
};

export const ROLE: Table = {
  citizen: ['群众', 'Citizen'],
  grid_worker: ['全科网格员', 'Grid worker'],
  grid_leader: ['网格长', 'Grid leader'],
  grid_assistant: ['网格辅助员', 'Grid assistant'],
  micro_grid_leader: ['微网格长', 'Micro-grid leader'],
  volunteer: ['网格志愿者', 'Volunteer'],
  dispatcher: ['调度员', 'Dispatcher'],
  department_staff: ['部门工作人员', 'Department staff'],
  department_head: ['部门负责人', 'Department head'],
  supervisor: ['督办人员', 'Supervisor'],
  leader: ['领导', 'Leader'],
  admin: ['系统管理员', 'Administrator'],
};

export const LEVEL: Table = {
  province: ['省', 'Province'],
  city: ['市', 'City'],
  county: ['区县', 'County'],
  township: ['乡镇（街道）', 'Township'],
  village: ['村（社区）', 'Village'],
  grid: ['网格', 'Grid'],
  micro_grid: ['微网格', 'Micro-grid'],
};

export const GRID_KIND: Table = {
  rural: ['农村网格', 'Rural grid'],
  community: ['社区网格', 'Community grid'],
  dedicated: ['专属网格', 'Dedicated grid'],
};

export const DEPARTMENT_KIND: Table = {
  government: ['政府部门', 'Government'],
  utility: ['公用事业企业', 'Utility'],
  enterprise: ['企业', 'Enterprise'],
  property_manager: ['物业', 'Property manager'],
};

export const DEFERRAL_REASON: Table = {
  budget: ['缺少资金', 'Budget'],
  planning: ['待规划', 'Planning'],
  court: ['司法程序中', 'In court'],
  other: ['其他', 'Other'],
};

export const MODE: Table = {
  daily: ['日常', 'Daily'],
  major_holiday: ['重大节假日', 'Major holiday'],
  major_task: ['重大任务', 'Major task'],
  emergency: ['应急', 'Emergency'],
};

/** The term for `id` in `table`, in the current locale; the identifier itself when unknown. */
export function term(table: Table, id: string | null | undefined): string {
  if (!id) return '';
  const pair = table[id];
  if (!pair) return id;
  return locale.value === 'en' ? pair[1] : pair[0];
}

/** Status colour family for badges: open work, waiting, done, stopped. */
export function statusTone(status: string): 'new' | 'work' | 'wait' | 'done' | 'stop' {
  switch (status) {
    case 'reported':
    case 'accepted':
    case 'returned':
      return 'new';
    case 'dispatched':
    case 'in_progress':
      return 'work';
    case 'handled':
    case 'verified':
      return 'wait';
    case 'closed':
      return 'done';
    default:
      return 'stop';
  }
}

export const OPEN_STATUSES = ['reported', 'accepted', 'dispatched', 'returned', 'in_progress', 'handled', 'verified', 'suspended'] as const;
