#!/usr/bin/env node
// `judged` as an installed command: loads the TypeScript entry through tsx (the workspace runs
// TypeScript directly; there is no build step). The sandbox supervisor is C: build it once with
// `make -C native` in this package (scripts/setup.sh does it in the workspace).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
