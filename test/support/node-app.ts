import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Runs a JavaScript app in its own Node process (as its developers would), with `env` (and `cwd`), and resolves
 * once it prints `listening`. Its other output is kept for the failure message.
 */
export async function startNodeApp(
  file: string | URL,
  env: Record<string, string>,
  cwd?: string,
): Promise<{ output(): string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [file instanceof URL ? file.pathname : file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code}:\n${output}`));
    });
  });
  return {
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
