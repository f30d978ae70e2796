import { Type } from 'typebox';
import { DEPARTMENT_KINDS, DEPARTMENT_LEVELS } from '@gridloop/domain';
import { Id, Nullable, PageQuery, RegionCode, Timestamp } from '../../http/schemas.ts';
import type { Department } from './department.service.ts';

const Kind = Type.Enum([...DEPARTMENT_KINDS], { description: 'government | utility | enterprise | property_manager' });
const Level = Type.Enum([...DEPARTMENT_LEVELS], { description: 'county | city' });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const NameEn = Type.String({ maxLength: 200 });

export const DepartmentBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  name_en: Nullable(Type.String()),
  kind: Kind,
  level: Level,
  region_code: Type.String(),
  created_at: Timestamp,
});

export function presentDepartment(d: Department) {
  return { id: d.id, name: d.name, name_en: d.nameEn, kind: d.kind, level: d.level, region_code: d.regionCode, created_at: d.createdAt };
}

export const CreateDepartmentRequest = Type.Object(
  {
    id: Type.Optional(Id),
    name: Name,
    name_en: Type.Optional(Nullable(NameEn)),
    kind: Kind,
    level: Level,
    region_code: RegionCode,
  },
  { additionalProperties: false },
);

export const UpdateDepartmentRequest = Type.Object(
  {
    name: Type.Optional(Name),
    name_en: Type.Optional(Nullable(NameEn)),
    kind: Type.Optional(Kind),
    level: Type.Optional(Level),
    region_code: Type.Optional(RegionCode),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DepartmentListQuery = Type.Object(
  {
    under: Type.Optional(RegionCode),
    kind: Type.Optional(Kind),
    level: Type.Optional(Level),
    ...PageQuery,
  },
  { additionalProperties: false },
);
