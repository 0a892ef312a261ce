/**
 * patches/ink@6.8.0.patch (pnpm-workspace.yaml patchedDependencies) makes Ink's render-node-to-output
 * take a text node's width from measure-text's cache instead of string-width on every frame (a row
 * holding one →, › or │ sent its whole line through Unicode segmentation each frame: 0.31x CPU per
 * key on the rejudging review, docs/tui.md "Benchmark"). The frames are the same (the same function
 * gives the width); this checks that the Ink the client runs carries the patch, so an install that
 * lost it (a new Ink version, the patch entry dropped) fails here rather than only getting slower.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test } from 'vitest';

test('the Ink in use measures text nodes through measure-text when rendering', () => {
  const build = path.dirname(createRequire(import.meta.url).resolve('ink'));
  const src = fs.readFileSync(path.join(build, 'render-node-to-output.js'), 'utf8');
  expect(src).toContain("import measureText from './measure-text.js';");
  expect(src).toContain('const currentWidth = measureText(text).width;');
  expect(src).not.toMatch(/widestLine\(/);
});
