import { UsageError } from '../../src/cli/command.js';
import { ConfigError } from '../../src/config/load-config.js';
import { cliExitCode } from '../../src/cli/cli-exit-code.js';
import { GatehouseError } from '../../src/kernel/gatehouse-error.js';

describe('the CLI exit code of a failure', () => {
  it('is 2 for a usage mistake', () => {
    expect(cliExitCode(new UsageError('--email is required'))).toBe(2);
  });

  it('is 1 for every other error of ours, whatever its HTTP status', () => {
    expect(cliExitCode(new ConfigError('ISSUER: required'))).toBe(1);
    expect(cliExitCode(new GatehouseError('ERR_CLIENT_NOT_FOUND', 'no client with id x'))).toBe(1);
    expect(
      cliExitCode(new GatehouseError('ERR_EMAIL_TAKEN', 'an account with email a@example.com already exists')),
    ).toBe(1);
  });

  it('is 1 for anything else (a bug), even an error that carries an ERR_ code of its own', () => {
    expect(cliExitCode(new Error('boom'))).toBe(1);
    expect(cliExitCode(Object.assign(new Error('Invalid URL'), { code: 'ERR_INVALID_URL' }))).toBe(1);
  });
});
