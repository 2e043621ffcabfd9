import type { Command } from '../command.js';
import { serve } from './serve.js';
import { migrate } from './migrate.js';
import { userAdd, userList } from './user.js';
import { clientAdd, clientList, clientRemove } from './client.js';
import { keysList, keysRotate } from './keys.js';
import { resourceAdd, resourceList, resourceRemove } from './resource.js';

export const commands: readonly Command[] = [
  serve, migrate,
  userAdd, userList,
  clientAdd, clientList, clientRemove,
  keysRotate, keysList,
  resourceAdd, resourceList, resourceRemove,
];
