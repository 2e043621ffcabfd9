import { readFileSync } from 'node:fs';
import { composeConfig, composeConfigError, composeSecrets } from '../support/compose-config.js';
import { envSchema } from '../../src/config/env-schema.js';
import { loadConfig } from '../../src/config/load-config.js';

const dockerfile = readFileSync('Dockerfile', 'utf8');
/** The last stage: what the image runs. */
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
const known = new Set(Object.keys(envSchema.shape));
const GATEHOUSE_SERVICES = ['migrate', 'gatehouse-1', 'gatehouse-2'];

describe('docker-compose.yml (validated by Debian docker-compose 1.29)', () => {
  it('is a valid compose file: PostgreSQL with a health check and a volume, migrations once, two replicas after them, Caddy in front after they are healthy', async () => {
    const { services } = await composeConfig();
    expect(Object.keys(services).sort()).toEqual([
      'gatehouse-1',
      'gatehouse-2',
      'mailpit',
      'migrate',
      'postgres',
      'proxy',
    ]);
    expect(services.postgres?.healthcheck?.test?.join(' ')).toMatch(/pg_isready/);
    expect(JSON.stringify(services.postgres?.volumes)).toMatch(/\/var\/lib\/postgresql\/data/);
    expect(services.migrate?.command).toEqual(['migrate']);
    expect(services.migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const replica of ['gatehouse-1', 'gatehouse-2']) {
      expect(services[replica]?.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
      expect(services[replica]?.stop_signal).toBe('SIGTERM');
    }
    expect(services.proxy?.image).toMatch(/^caddy:/);
    expect(services.proxy?.depends_on).toEqual({
      'gatehouse-1': { condition: 'service_healthy' },
      'gatehouse-2': { condition: 'service_healthy' },
    });
    expect(JSON.stringify(services.proxy?.volumes)).toMatch(/deploy\/Caddyfile:\/etc\/caddy\/Caddyfile/);
    // Only the proxy is published; Gatehouse and its metrics stay inside the compose network.
    for (const name of [...GATEHOUSE_SERVICES, 'postgres']) expect(services[name]?.ports).toBeUndefined();
  });

  it('refuses to start without the secrets it needs (the KEK, the database password)', async () => {
    expect(await composeConfigError({ ...composeSecrets, GATEHOUSE_KEK: '' })).toMatch(/set GATEHOUSE_KEK/);
    expect(await composeConfigError({ ...composeSecrets, POSTGRES_PASSWORD: '' })).toMatch(/set POSTGRES_PASSWORD/);
  });

  it('sets only variables the configuration schema knows, and a configuration Gatehouse accepts for production: PostgreSQL, an https issuer, TRUST_PROXY behind the proxy, a KEK', async () => {
    const { services } = await composeConfig();
    for (const name of GATEHOUSE_SERVICES) {
      const environment = services[name]?.environment ?? {};
      expect(Object.keys(environment).filter((variable) => !known.has(variable))).toEqual([]);
      const config = loadConfig(environment);
      expect(config).toMatchObject({
        store: 'postgresql',
        trustProxy: true,
        proxyHops: 1,
        issuer: 'https://localhost',
      });
      expect(config.kek?.toString('base64')).toBe(composeSecrets.GATEHOUSE_KEK);
      expect(config.metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    }
  });

  it('health checks, the proxy upstreams and the ports agree with PORT', async () => {
    const { services } = await composeConfig();
    const port = services['gatehouse-1']?.environment?.PORT;
    for (const replica of ['gatehouse-1', 'gatehouse-2']) {
      expect(services[replica]?.healthcheck?.test?.join(' ')).toContain(`http://127.0.0.1:${port}/readyz`);
      expect(services.proxy?.environment?.GATEHOUSE_UPSTREAMS?.split(' ')).toContain(`${replica}:${port}`);
    }
    expect(services.proxy?.environment?.GATEHOUSE_HOST).toBe(
      new URL(services['gatehouse-1']?.environment?.ISSUER ?? '').hostname,
    );
  });
});

describe('Dockerfile', () => {
  it('builds in stages from Node 22 slim and runs the compiled build with production dependencies only, as a non-root user', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map(([, image]) => image);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const image of stages) expect(image).toMatch(/^node:22-\w+-slim$/);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \S* ?\/app\/dist \.\/dist/);
    expect(runtime).not.toMatch(/npm ci(?! --omit=dev)/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "bin\/gatehouse\.js"\]$/m);
    expect(runtime).toMatch(/^CMD \["serve"\]$/m);
    // What the package's own start script runs.
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.start).toBe('node bin/gatehouse.js serve');
  });

  it('sets only known variables; keeps data in the /data volume; health-checks /healthz on PORT; exposes PORT and the metrics port; stops on SIGTERM', async () => {
    const env = Object.fromEntries(
      [...runtime.matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$/gm)].map(([, name, value]) => [name, value]),
    );
    expect(Object.keys(env).filter((name) => name !== 'NODE_ENV' && !known.has(name))).toEqual([]);
    const config = loadConfig(env);
    expect(config.databaseUrl).toBe('file:/data/gatehouse.db');
    expect(config.kekFile).toBe('/data/gatehouse.kek');
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).toMatch(/HEALTHCHECK [^\n]*\\\n\s+CMD .*\/healthz/);
    expect(runtime).toMatch(/process\.env\.PORT\|\|3000/);
    expect(config.port).toBe(3000);
    const exposed = /^EXPOSE (.+)$/m.exec(runtime)?.[1]?.split(/\s+/).map(Number) ?? [];
    const { services } = await composeConfig();
    expect(exposed).toEqual(
      expect.arrayContaining([config.port, Number(services['gatehouse-1']?.environment?.METRICS_PORT)]),
    );
    expect(runtime).toMatch(/^STOPSIGNAL SIGTERM$/m);
  });

  it('.dockerignore keeps secrets, data, dependencies and build output out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', 'data', '*.db', '*.kek', '.env']));
  });
});
