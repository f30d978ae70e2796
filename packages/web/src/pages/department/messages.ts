import { addMessages } from '../../shared/i18n.ts';

addMessages({
  'department.title': { zh: '部门工作台', en: 'Department console' },
  'department.loginHint': { zh: '部门工作人员请登录', en: 'Department staff: log in' },
  'department.tabNew': { zh: '待接单', en: 'To take' },
  'department.tabWorking': { zh: '办理中', en: 'In progress' },
  'department.tabChecking': { zh: '待核查/评价', en: 'Being verified' },
  'department.tabClosed': { zh: '已结案', en: 'Closed' },
  'department.tabAll': { zh: '全部', en: 'All' },
  'department.of': { zh: '{name}', en: '{name}' },
  'department.reportIn': { zh: '请及时“接单办理”（报到），不属于本单位职责的请“退单”并说明原因。', en: 'Take the case promptly (report in); send back what is not yours, with the reason.' },
});

addMessages({
  'department.summons': { zh: '吹哨召集：{n} 件待报到', en: 'Summoned: {n} to report in' },
  'department.dueBy': { zh: '请于 {time} 前报到', en: 'report in by {time}' },
  'department.reportInNow': { zh: '报到', en: 'Report in' },
});
