import { spawn } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Apache and module directory (.ci/run installs apache2 and libapache2-mod-auth-openidc). */
const APACHE = process.env.APACHE_PATH ?? '/usr/sbin/apache2';
const MODULES = process.env.APACHE_MODULES ?? '/usr/lib/apache2/modules';
const NEEDED = "Debian's apache2 and libapache2-mod-auth-openidc (.ci/run installs them)";

export interface ApacheSettings {
  /** Gatehouse's issuer; discovery is read from its /.well-known/openid-configuration. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The port to listen on (on 127.0.0.1); its redirect URI is http://localhost:PORT/protected/redirect_uri. */
  readonly port: number;
  /** `OIDCPKCEMethod`; left out when not given, which in 2.4.12 means no PKCE. */
  readonly pkceMethod?: 'S256';
}

export interface ApacheRelyingParty {
  readonly clientId: string;
  /** The protected page: it shows the signed-in person's `sub` and `email` claims. */
  readonly protectedUrl: string;
  readonly redirectUri: string;
  /** Apache's error log so far (mod_auth_openidc logs at info). */
  errorLog(): Promise<string>;
  /** Runs `steps`; when they fail, the error carries Apache's error log. */
  explainFailure<T>(steps: () => Promise<T>): Promise<T>;
  /** Stops Apache and removes its directory. */
  stop(): Promise<void>;
}

/** The redirect URI mod_auth_openidc is configured with on `port` (register it with Gatehouse first). */
export const apacheRedirectUri = (port: number) => `http://localhost:${port}/protected/redirect_uri`;

/**
 * A private Apache httpd with mod_auth_openidc as a real relying party: its own configuration, page
 * and logs in a temporary directory, in the foreground on 127.0.0.1:`port`. `/protected/` needs a
 * sign-in at the issuer; the page it guards echoes the claims mod_auth_openidc puts in the
 * environment (`OIDC_CLAIM_*`) through server-side includes, so no CGI is needed.
 */
export async function startApacheRelyingParty(settings: ApacheSettings): Promise<ApacheRelyingParty> {
  for (const file of [APACHE, join(MODULES, 'mod_auth_openidc.so')]) {
    await access(file).catch(() => {
      throw new Error(`${file} is missing: the Apache tests need ${NEEDED}`);
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-apache-'));
  // Started as root, Apache serves from children that drop to www-data (as Debian's does): they
  // must be able to read the page. Started as anyone else, it keeps that user.
  await chmod(dir, 0o755);
  await mkdir(join(dir, 'htdocs', 'protected'), { recursive: true, mode: 0o755 });
  await writeFile(
    join(dir, 'htdocs', 'protected', 'index.html'),
    'sub=<!--#echo var="OIDC_CLAIM_sub" --> email=<!--#echo var="OIDC_CLAIM_email" -->\n',
    { mode: 0o644 },
  );
  const conf = join(dir, 'httpd.conf');
  await writeFile(conf, httpdConf(dir, settings));
  const errorLogFile = join(dir, 'error.log');
  const errorLog = () => readFile(errorLogFile, 'utf8').catch(() => '(no error log)');

  const child = spawn(APACHE, ['-f', conf, '-DFOREGROUND'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.once('error', (error) => {
    output += `${error.message} (${NEEDED})\n`;
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPidFile(join(dir, 'httpd.pid'), child.pid, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error) {
    const log = await errorLog();
    await stop();
    throw new Error(`Apache did not start on port ${settings.port}: ${(error as Error).message}\n${output}\n${log}`);
  }
  return {
    clientId: settings.clientId,
    protectedUrl: `http://localhost:${settings.port}/protected/`,
    redirectUri: apacheRedirectUri(settings.port),
    errorLog,
    async explainFailure(steps) {
      try {
        return await steps();
      } catch (error) {
        if (error instanceof Error) {
          // Jest prints the stack, whose first lines are the message as it was when the error was made.
          error.stack = error.stack?.replace(
            error.message,
            `${error.message}\n\nApache's error log:\n${await errorLog()}`,
          );
        }
        throw error;
      }
    },
    stop,
  };
}

/** Only the modules needed: an MPM, authorization for `Require valid-user`, includes, and the RP. */
function httpdConf(dir: string, s: ApacheSettings): string {
  const modules = ['mpm_event', 'authn_core', 'authz_core', 'authz_user', 'dir', 'include', 'auth_openidc'];
  const asRoot = process.getuid?.() === 0;
  return [
    `ServerRoot "${dir}"`,
    `DefaultRuntimeDir "${dir}"`,
    `PidFile "${join(dir, 'httpd.pid')}"`,
    `Listen 127.0.0.1:${s.port}`,
    'ServerName localhost',
    ...(asRoot ? ['User www-data', 'Group www-data'] : []),
    `ErrorLog "${join(dir, 'error.log')}"`,
    'LogLevel warn auth_openidc:info',
    ...modules.map((m) => `LoadModule ${m}_module "${join(MODULES, `mod_${m}.so`)}"`),
    `DocumentRoot "${join(dir, 'htdocs')}"`,
    'DirectoryIndex index.html',
    '',
    `OIDCProviderMetadataURL ${s.issuer}/.well-known/openid-configuration`,
    `OIDCClientID ${s.clientId}`,
    `OIDCClientSecret ${s.clientSecret}`,
    `OIDCRedirectURI ${apacheRedirectUri(s.port)}`,
    'OIDCCryptoPassphrase a-passphrase-only-this-test-knows',
    'OIDCScope "openid email"',
    ...(s.pkceMethod ? [`OIDCPKCEMethod ${s.pkceMethod}`] : []),
    '',
    '<Location /protected/>',
    '  AuthType openid-connect',
    '  Require valid-user',
    '  Options +Includes',
    '  SetOutputFilter INCLUDES',
    '</Location>',
    '',
  ].join('\n');
}

/**
 * Resolves once Apache wrote its own pid to its PidFile, which it does after binding its Listen
 * address (a port taken by something else makes it exit instead; something else answering on
 * the port proves nothing). Gives up when `gone()` or after 30 s.
 */
async function waitForPidFile(file: string, pid: number | undefined, gone: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const written = await readFile(file, 'utf8').catch(() => '');
    if (pid !== undefined && written.trim() === String(pid)) return;
    if (gone() || pid === undefined) throw new Error('it exited');
    if (Date.now() > deadline) throw new Error(`no pid in ${file} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
