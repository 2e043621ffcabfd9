import type { AuditService } from '../audit/audit-service.js';
import type { Actor } from '../sessions/session-service.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { operatorEvent } from './operator-event.js';
import type { GroupQueries, GroupRow } from './group-queries.js';
import { checkDescription, checkName, isUniqueViolation } from './directory-names.js';

export interface Group {
  readonly name: string;
  readonly description: string;
  readonly members: number;
  readonly createdAt: string;
}

const toGroup = (row: GroupRow): Group => ({ ...row, createdAt: row.createdAt.toISOString() });

/** Groups: flat, named sets of people, released in the `groups` claim; they permit nothing. */
export function createGroupService({ queries, audit }: { queries: GroupQueries; audit: Pick<AuditService, 'record'> }) {
  return {
    async add(input: { name: string; description?: string }, actor: Actor = { by: 'admin' }): Promise<Group> {
      const name = checkName('group', input.name, 'ERR_GROUP_INVALID');
      const description = checkDescription(input.description, 'ERR_GROUP_INVALID');
      let row: GroupRow;
      try {
        row = await queries.insert({ name, description });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new GatehouseError('ERR_GROUP_EXISTS', `a group named ${name} already exists`);
        throw error;
      }
      await audit.record({
        type: 'admin.group.added',
        ...operatorEvent(actor, { group: name }),
      });
      return toGroup(row);
    },

    async list(): Promise<Group[]> {
      return (await queries.list()).map(toGroup);
    },

    /** Removes the group and every membership of it. */
    async remove(name: string, actor: Actor = { by: 'admin' }): Promise<{ name: string; members: number }> {
      const removed = await queries.delete(name);
      if (!removed) throw new GatehouseError('ERR_GROUP_NOT_FOUND', `no group named ${name}`);
      await audit.record({
        type: 'admin.group.removed',
        ...operatorEvent(actor, { group: name, members: removed.members }),
      });
      return { name, members: removed.members };
    },
  };
}

export type GroupService = ReturnType<typeof createGroupService>;
