import { ThrottledError } from '../../src/accounts/password-check.js';
import { GateFullError } from '../../src/accounts/concurrency-gate.js';
import { UsageError } from '../../src/cli/command.js';
import { ConfigError } from '../../src/config/load-config.js';
import { DatabaseUnavailableError } from '../../src/db/database-unavailable.js';
import { ERROR_CODES, type ErrorCode } from '../../src/kernel/error-codes.js';
import { GatehouseError } from '../../src/kernel/gatehouse-error.js';

describe('a Gatehouse error', () => {
  it('carries its code, the status the registry gives that code, and its message', () => {
    const error = new GatehouseError('ERR_RESOURCE_EXISTS', 'a resource with identifier https://api.example exists');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'ERR_RESOURCE_EXISTS',
      status: 409,
      message: 'a resource with identifier https://api.example exists',
    });
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it('exposes every 4xx and hides every 5xx, except the two whose message is written for people', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const { status } = new GatehouseError(code, 'message');
      const expected = status < 500 || code === 'ERR_BUSY' || code === 'ERR_DATABASE_UNAVAILABLE';
      expect([code, new GatehouseError(code, 'message').expose]).toEqual([code, expected]);
    }
  });

  it('says when to come back when it is given a time, and keeps what caused it', () => {
    const cause = new Error('connect ECONNREFUSED');
    const error = new GatehouseError('ERR_MFA_THROTTLED', 'Too many wrong codes.', { retryAfterSeconds: 30, cause });
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.cause).toBe(cause);
  });

  it('is the base of the errors that fix their own code', () => {
    const cases: [GatehouseError, ErrorCode, number][] = [
      [new ThrottledError(120), 'ERR_THROTTLED', 429],
      [new GateFullError(), 'ERR_BUSY', 503],
      [new UsageError('--email is required'), 'ERR_USAGE', 400],
      [new ConfigError('ISSUER: required'), 'ERR_CONFIG', 500],
      [new DatabaseUnavailableError(new Error('down')), 'ERR_DATABASE_UNAVAILABLE', 503],
    ];
    for (const [error, code, status] of cases) {
      expect(error).toBeInstanceOf(GatehouseError);
      expect({ code: error.code, status: error.status }).toEqual({ code, status });
    }
    expect(new ThrottledError(120)).toMatchObject({
      message: 'Too many failed attempts. Try again in 2 minutes.',
      retryAfterSeconds: 120,
    });
    expect(new GateFullError().retryAfterSeconds).toBe(1);
  });
});
