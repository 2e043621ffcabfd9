import { z } from 'zod';

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

const databaseUrl = z
  .string()
  .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
    message: 'must be a SQLite URL (file:./data/gatehouse.db) or a PostgreSQL URL (postgresql://user@host/db)',
  });

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://id.example.com' });

const kek = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, {
    message: 'must be 32 random bytes in base64 (make one with `openssl rand -base64 32`)',
  });

/** Every setting Gatehouse reads from the environment, with its default. */
export const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  ISSUER: httpUrl.optional(),
  DATABASE_URL: databaseUrl.default('file:./data/gatehouse.db'),
  TRUST_PROXY: flag.default(false),
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEHOUSE_KEK: kek.optional(),
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(10, 'must be at least 10').default(300),
}).superRefine((env, ctx) => {
  if (Boolean(env.TLS_CERT) !== Boolean(env.TLS_KEY)) {
    ctx.addIssue({ code: 'custom', path: [env.TLS_CERT ? 'TLS_KEY' : 'TLS_CERT'], message: 'TLS_CERT and TLS_KEY must be set together' });
  }
});

export type Env = z.infer<typeof envSchema>;
