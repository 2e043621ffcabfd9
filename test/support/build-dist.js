// Jest globalSetup: tests that spawn bin/gatehouse.js run dist/, so compile the sources under test
// first (scripts/build.js, about a second); in-process tests run the TypeScript through ts-jest.
import { execFileSync } from 'node:child_process';

export default function buildDist() {
  execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
}
