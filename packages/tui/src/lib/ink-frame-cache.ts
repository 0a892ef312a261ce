/**
 * Ink 6.8 builds every frame from scratch: for each text line it tokenizes the ANSI string into styled
 * characters (one object per cell), lays them into a fresh grid of width x height cell objects, and
 * turns each grid row back into a string by diffing the styles of neighbouring cells. Its caches live
 * in one frame's `Output`, so a key that moves the selection by one row pays for all 50 rows of a
 * 160x50 screen again: 60-80 % of the client's CPU per key (bench/tui, docs/tui.md "Benchmark").
 *
 * This replaces `Output.prototype.get` of the Ink in use (ink/build/output.js, not part of Ink's
 * public exports, reached through its resolved path) with the same algorithm and caches kept across
 * frames: the styled characters and widths of the lines seen in recent frames and their cuts to a
 * horizontal clip, one shared blank cell instead of width x height new ones, and each grid row's
 * string keyed by what was written into it
 * (so a row seen lately, at any height, costs one lookup: scrolling a list moves every row, and
 * Ink's per-cell style diff was most of a scrolled frame). The frame it produces is the same string
 * Ink's own `get` makes (ink-frame-cache.test.ts compares them on every screen); nothing else of
 * Ink changes.
 *
 * Ink is pinned (package.json: 6.8.0). If its output module ever does not have the shape this was
 * written against, `install` leaves Ink alone and reports why (the test fails, the client still works).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface StyledChar {
  type: 'char';
  value: string;
  fullWidth: boolean;
  styles: unknown[];
}
type Transformer = (line: string, index: number) => string;
type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] } | { type: 'clip'; clip: Clip } | { type: 'unclip' };
interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  get(): { output: string; height: number };
}

/**
 * A map of two generations: a lookup promotes an entry of the old one into the new one, and when the
 * new one holds `limit` entries the old one is dropped. What recent frames used stays (also the two
 * screens a user switches between), and memory stays bounded (about two 160x50 screens' lines when
 * `limit` is 512).
 */
class TwoGenerationCache<V> {
  private cur = new Map<string, V>();
  private prev = new Map<string, V>();
  constructor(private limit: number) {}
  get(key: string, make: (k: string) => V): V {
    let v = this.cur.get(key);
    if (v !== undefined) return v;
    v = this.prev.get(key);
    if (v === undefined) v = make(key);
    if (this.cur.size >= this.limit) {
      this.prev = this.cur;
      this.cur = new Map();
    }
    this.cur.set(key, v);
    return v;
  }
}

const BLANK: StyledChar = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) as unknown as unknown[] }) as StyledChar;

export interface FrameCacheStatus {
  installed: boolean;
  /** Why it is not installed (Ink's output module has another shape), else null. */
  reason: string | null;
  /** Ink's own `Output.prototype.get`, for the equivalence test. */
  original: (() => { output: string; height: number }) | null;
  Output: (new (o: { width: number; height: number }) => InkOutput) | null;
}

export const frameCache: FrameCacheStatus = { installed: false, reason: 'not tried', original: null, Output: null };

/**
 * The ESM entry of a package as Ink itself imports it (its own dependency, not ours): the first
 * node_modules on Ink's lookup path that holds it, then its package.json `exports` (these are
 * import-only packages, which require.resolve refuses).
 */
function entryFromInk(inkEntry: string, name: string): string {
  const fromInk = createRequire(inkEntry);
  for (const dir of fromInk.resolve.paths(name) ?? []) {
    const pkgFile = path.join(dir, name, 'package.json');
    if (!fs.existsSync(pkgFile)) continue;
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { exports?: unknown; main?: string };
    const pick = (e: unknown): string | undefined =>
      typeof e === 'string' ? e : e && typeof e === 'object' ? pick((e as Record<string, unknown>)['.'] ?? (e as Record<string, unknown>).import ?? (e as Record<string, unknown>).default) : undefined;
    const rel = pick(pkg.exports) ?? pkg.main ?? 'index.js';
    return path.join(dir, name, rel);
  }
  throw new Error(`cannot find ${name} from ${inkEntry}`);
}

async function install(): Promise<void> {
  const inkEntry = createRequire(import.meta.url).resolve('ink');
  const inkDir = path.dirname(inkEntry);
  const imp = async (p: string) => import(pathToFileURL(fs.realpathSync(p)).href);
  const version = (JSON.parse(fs.readFileSync(path.join(inkDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const Output = (await imp(path.join(inkDir, 'output.js'))).default as FrameCacheStatus['Output'];
  const tokenizer = await imp(entryFromInk(inkEntry, '@alcalzone/ansi-tokenize'));
  const sliceAnsi = (await imp(entryFromInk(inkEntry, 'slice-ansi'))).default as (s: string, from: number, to: number) => string;
  const stringWidth = (await imp(entryFromInk(inkEntry, 'string-width'))).default as (s: string) => number;
  const { tokenize, styledCharsFromTokens, styledCharsToString } = tokenizer as {
    tokenize: (s: string) => unknown[];
    styledCharsFromTokens: (t: unknown[]) => StyledChar[];
    styledCharsToString: (c: StyledChar[]) => string;
  };
  if (!version.startsWith('6.8.')) throw new Error(`written for Ink 6.8, found ${version}`);
  if (typeof Output !== 'function' || typeof Output.prototype.get !== 'function') throw new Error('ink/build/output.js has no Output class with get()');
  if (typeof tokenize !== 'function' || typeof styledCharsFromTokens !== 'function' || typeof styledCharsToString !== 'function') throw new Error('@alcalzone/ansi-tokenize has another shape');
  const probe = new Output({ width: 2, height: 1 }) as InkOutput & { caches?: unknown };
  if (!Array.isArray(probe.operations) || probe.width !== 2 || probe.height !== 1 || !probe.caches) throw new Error('Output has other fields');

  const styled = new TwoGenerationCache<StyledChar[]>(512);
  const widths = new TwoGenerationCache<number>(4096);
  const widest = new TwoGenerationCache<number>(512);
  const width = (s: string) => widths.get(s, stringWidth);
  /** A line cut to a horizontal clip (a list row's box): the same lines are cut the same way every frame. */
  const sliced = new TwoGenerationCache<string>(1024);
  const widestLine = (text: string) =>
    widest.get(text, (t) => {
      let w = 0;
      for (const line of t.split('\n')) w = Math.max(w, width(line));
      return w;
    });
  /**
   * Each grid row's string by what was written into it: the row's width and its writes in order
   * (column and line, after transformers and clipping). A row is a pure function of these, so a row
   * seen in a recent frame, at any height (a list scrolled by one line moves every row), costs a
   * key and one lookup instead of its cells and Ink's style diff.
   */
  const rowText = new TwoGenerationCache<string>(1024);

  const original = Output.prototype.get;
  Output.prototype.get = function get(this: InkOutput) {
    const { width: gridWidth, height } = this;
    /** Per row: column, line, column, line… in the order Ink writes them. */
    const writes: (number | string)[][] = Array.from({ length: height }, () => []);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type !== 'write') continue;
      const { text, transformers } = operation;
      let { x, y } = operation;
      let lines = text.split('\n');
      const clip = clips.at(-1);
      if (clip) {
        const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        if (clipHorizontally) {
          const w = widestLine(text);
          if (x + w < clip.x1! || x > clip.x2!) continue;
        }
        if (clipVertically) {
          if (y + lines.length < clip.y1! || y > clip.y2!) continue;
        }
        if (clipHorizontally) {
          lines = lines.map((line) => {
            const from = x < clip.x1! ? clip.x1! - x : 0;
            const w = width(line);
            const to = x + w > clip.x2! ? clip.x2! - x : w;
            return sliced.get(`${from}\u0000${to}\u0000${line}`, () => sliceAnsi(line, from, to));
          });
          if (x < clip.x1!) x = clip.x1!;
        }
        if (clipVertically) {
          const from = y < clip.y1! ? clip.y1! - y : 0;
          const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
          lines = lines.slice(from, to);
          if (y < clip.y1!) y = clip.y1!;
        }
      }
      let offsetY = 0;
      for (let [index, line] of lines.entries()) {
        // As Ink: a line outside the grid is skipped and does not advance the row (nor will any after it).
        const row = writes[y + offsetY];
        if (!row) continue;
        for (const transformer of transformers) line = transformer(line, index);
        row.push(x, line);
        offsetY++;
      }
    }
    const texts = writes.map((row) => {
      if (row.length === 0) return '';
      let key = String(gridWidth);
      // Length-prefixed, so no line's content can make two different rows share a key.
      for (let i = 0; i < row.length; i += 2) key += `\u0000${row[i]},${(row[i + 1] as string).length}\u0000${row[i + 1]}`;
      return rowText.get(key, () => buildRow(gridWidth, row));
    });
    return { output: texts.join('\n'), height };
  };

  /** One grid row as Ink builds it: blank cells, each write's styled characters laid in, the styles diffed. */
  function buildRow(gridWidth: number, row: (number | string)[]): string {
    const cells = new Array<StyledChar>(gridWidth).fill(BLANK);
    for (let i = 0; i < row.length; i += 2) {
      const characters = styled.get(row[i + 1] as string, (l) => styledCharsFromTokens(tokenize(l)));
      let offsetX = row[i] as number;
      for (const character of characters) {
        cells[offsetX] = character;
        const characterWidth = Math.max(1, width(character.value));
        if (characterWidth > 1) {
          for (let j = 1; j < characterWidth; j++) cells[offsetX + j] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
        }
        offsetX += characterWidth;
      }
    }
    return styledCharsToString(cells.filter((item) => item !== undefined)).trimEnd();
  }
  Object.assign(frameCache, { installed: true, reason: null, original, Output });
}

try {
  await install();
} catch (err) {
  frameCache.reason = (err as Error).message;
}
