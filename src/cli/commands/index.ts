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
import { roleAdd, roleList, rolePermit, roleRemove, roleShow, roleUnpermit, roleUpdate } from './role.js';
import { groupAdd, groupList, groupRemove } from './group.js';
import { attributeAdd, attributeList, attributeRemove } from './attribute.js';
import { scopeAdd, scopeList, scopeRemove } from './scope.js';
import { registrationTokenCreate } from './registration.js';
import { connectionAdd, connectionList, connectionRemove, connectionUpdate } from './connection.js';

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
  roleAdd,
  roleList,
  roleShow,
  roleUpdate,
  roleRemove,
  rolePermit,
  roleUnpermit,
  groupAdd,
  groupList,
  groupRemove,
  attributeAdd,
  attributeList,
  attributeRemove,
  scopeAdd,
  scopeList,
  scopeRemove,
  registrationTokenCreate,
  connectionAdd,
  connectionUpdate,
  connectionList,
  connectionRemove,
];
