import type { Role } from '../db/schema.js';

/** DESIGN §3: what each team role may do. Token scopes narrow this; they never widen it. */
export const ROLE_PERMISSIONS = {
  'team:view': ['owner', 'admin', 'editor', 'viewer'],
  'team:update-defaults': ['owner', 'admin'],
  'site:view': ['owner', 'admin', 'editor', 'viewer'],
  'site:create': ['owner', 'admin', 'editor'],
  'site:update': ['owner', 'admin', 'editor'],
  'site:delete': ['owner', 'admin'],
  'check:view': ['owner', 'admin', 'editor', 'viewer'],
  'check:run': ['owner', 'admin', 'editor'],
  'check:delete': ['owner', 'admin'],
  'issue:view': ['owner', 'admin', 'editor', 'viewer'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ROLE_PERMISSIONS;

export function roleAllows(role: Role, permission: Permission): boolean {
  return (ROLE_PERMISSIONS[permission] as readonly Role[]).includes(role);
}
