import type { Command } from '../command.js';
import { serve } from './serve.js';
import { migrate } from './migrate.js';
import { userMfaReset, userShow } from './user-mfa.js';
import { userAdd, userDelete, userDisable, userEnable, userList, userSetPassword, userUpdate } from './user.js';
import { sessionList, sessionRevoke } from './session.js';
import { audit } from './audit.js';
import { mailTest } from './mail.js';
import {
  clientAdd,
  clientUpdate,
  clientShow,
  clientGrant,
  clientList,
  clientRemove,
  clientRevokeGrant,
  clientRotateSecret,
} from './client.js';
import { keysList, keysRotate } from './keys.js';
import { resourceAdd, resourceList, resourceRemove, resourceUpdate } from './resource.js';

export const commands: readonly Command[] = [
  serve,
  migrate,
  userAdd,
  userList,
  userShow,
  userUpdate,
  userSetPassword,
  userMfaReset,
  userDisable,
  userEnable,
  userDelete,
  sessionList,
  sessionRevoke,
  audit,
  mailTest,
  clientAdd,
  clientUpdate,
  clientShow,
  clientList,
  clientGrant,
  clientRevokeGrant,
  clientRotateSecret,
  clientRemove,
  keysRotate,
  keysList,
  resourceAdd,
  resourceUpdate,
  resourceList,
  resourceRemove,
];
