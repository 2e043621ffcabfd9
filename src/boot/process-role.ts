import type { Config } from '../config/load-config.js';

/**
 * Who runs: the server, whose issuer is the one clients see, or a command (the CLI, `gatehouse
 * migrate`), whose issuer without ISSUER is only the default guessed from PORT.
 */
export type ProcessRole = 'server' | 'command';

/** Whether this process knows the issuer its server answers as (and so which API is the management API). */
export const knowsIssuer = (role: ProcessRole, config: Pick<Config, 'issuerGiven'>): boolean =>
  role === 'server' || config.issuerGiven;
