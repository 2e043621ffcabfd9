#!/usr/bin/env node
// The `gatehouse` command. Gatehouse runs its TypeScript sources through tsx's loader: one path
// for `npm start`, `npx gatehouse` and development, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
