import { processStdin } from './cli-stdin.js';
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  stdin: processStdin(),
});
if (code !== 0) process.exitCode = code;
