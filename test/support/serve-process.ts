import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';

export interface ServeProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it logged so far (one JSON record a line). */
  readonly log: { text: string };
  readonly exited: Promise<number | null>;
  /** Resolves once a log line contains `text`; rejects after `timeoutMs`. */
  waitForLog(text: string, timeoutMs?: number): Promise<void>;
}

/** Starts `gatehouse serve` as a real process with `env` (plus PATH) and waits until it listens. */
export async function startServeProcess(env: Record<string, string>): Promise<ServeProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const child = spawn(process.execPath, ['bin/gatehouse.js', 'serve'], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = { text: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    log.text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log.text += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitForLog = async (text: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!log.text.includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`no "${text}" in the log within ${timeoutMs} ms:\n${log.text}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await waitForLog('gatehouse listening');
  return { port, child, log, exited, waitForLog };
}
