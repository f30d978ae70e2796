/** Roles 角色. Staff are scoped to a territory node (region, grid) or to a department. */
export const ROLES = [
  'citizen', // 群众
  'grid_worker', // 全科网格员
  'grid_leader', // 网格长
  'grid_assistant', // 网格辅助员
  'micro_grid_leader', // 微网格长
  'volunteer', // 网格志愿者
  'dispatcher', // 调度员 (综治中心 / 12345)
  'department_staff', // 部门工作人员
  'department_head', // 部门负责人
  'supervisor', // 督办人员 (信访, 纪委)
  'leader', // 领导 (per level: city, county, township, village secretaries)
  'admin', // 系统管理员
] as const;
export type Role = (typeof ROLES)[number];

export const GRID_SIDE_ROLES: readonly Role[] = ['grid_worker', 'grid_leader', 'grid_assistant', 'micro_grid_leader', 'volunteer'];
export const DEPARTMENT_ROLES: readonly Role[] = ['department_staff', 'department_head'];
export const TERRITORY_ROLES: readonly Role[] = [...GRID_SIDE_ROLES, 'dispatcher', 'supervisor', 'leader'];

/** The person acting: what every policy check and transition receives. */
export interface Actor {
  userId: string;
  role: Role;
  /** Territory node code (region or grid) for territory-scoped staff. */
  scopeCode: string | null;
  /** Department id for department staff. */
  departmentId: string | null;
}

export const DEPARTMENT_LEVELS = ['county', 'city'] as const;
export type DepartmentLevel = (typeof DEPARTMENT_LEVELS)[number];
/** Responsible units include non-government bodies that 12345 centres dispatch to. */
export const DEPARTMENT_KINDS = ['government', 'utility', 'enterprise', 'property_manager'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
