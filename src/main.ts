// `npm run dev` entry: the same as `gatehouse serve`.
import { runCli } from './cli/run-cli.js';

process.exitCode = await runCli(['serve', ...process.argv.slice(2)], {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
});
