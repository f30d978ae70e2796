import { Type } from 'typebox';
import { ROLES } from '@gridloop/domain';
import { Id, NodeCode, Nullable, PageQuery, Timestamp } from '../../http/schemas.ts';
import type { User } from './user.service.ts';

/** Request and response schemas of the people module, and its presenters. */
export const RoleSchema = Type.Enum([...ROLES], { description: 'Role 角色' });
const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$', description: 'Login name (case-insensitive)' });
const DisplayName = Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' });
const Password = Type.String({ minLength: 8, maxLength: 256 });
const Phone = Type.String({ minLength: 3, maxLength: 20, pattern: '^[0-9+() -]+$' });

export const UserBody = Type.Object({
  id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  role: RoleSchema,
  scope_code: Nullable(Type.String()),
  department_id: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  disabled: Type.Boolean(),
  created_at: Timestamp,
});

export function presentUser(user: User) {
  return {
    id: user.id,
    username: user.username,
    display_name: user.displayName,
    role: user.role,
    scope_code: user.scopeCode,
    department_id: user.departmentId,
    phone: user.phone,
    disabled: user.disabled,
    created_at: user.createdAt,
  };
}

export const LoginRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export const LoginResponse = Type.Object({ token: Type.String(), expires_at: Timestamp, user: UserBody });

export const MeResponse = Type.Object({
  user: UserBody,
  scope: Nullable(Type.Object({ code: Type.String(), level: Nullable(Type.String()), name: Nullable(Type.String()) })),
  department: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  abilities: Type.Array(Type.String(), { description: 'Policy actions this user may perform somewhere' }),
  session_expires_at: Timestamp,
});

export const CreateUserRequest = Type.Object(
  {
    username: Username,
    display_name: DisplayName,
    role: RoleSchema,
    password: Password,
    scope_code: Type.Optional(Nullable(NodeCode)),
    department_id: Type.Optional(Nullable(Id)),
    phone: Type.Optional(Nullable(Phone)),
  },
  { additionalProperties: false },
);

export const UpdateUserRequest = Type.Object(
  {
    display_name: Type.Optional(DisplayName),
    role: Type.Optional(RoleSchema),
    password: Type.Optional(Password),
    scope_code: Type.Optional(Nullable(NodeCode)),
    department_id: Type.Optional(Nullable(Id)),
    phone: Type.Optional(Nullable(Phone)),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UserListQuery = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    department_id: Type.Optional(Id),
    under: Type.Optional(NodeCode),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    include_disabled: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
