#!/usr/bin/env node
// `judge` as an installed command: loads the TypeScript entry through tsx (the workspace runs
// TypeScript directly; there is no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
