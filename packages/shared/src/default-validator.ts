/**
 * The default output validator (the Kattis "beefed-up diff"), streaming: team output and judge
 * answer are read in chunks and compared in lockstep, so a 100 MB output costs two 1 MiB buffers,
 * never a string of the whole file.
 *
 * Rules (problem package format, default output validator):
 * - Both files are sequences of tokens separated by whitespace (space, \t, \n, \v, \f, \r).
 * - Tokens compare case-insensitively unless case_sensitive (ASCII letters only, as problemtools).
 * - Any run of whitespace equals any other unless space_change_sensitive, where whitespace must be
 *   byte-identical, trailing whitespace included.
 * - With float_absolute_tolerance / float_relative_tolerance (float_tolerance sets both), a judge token
 *   that is a decimal number accepts a team number within either tolerance:
 *   |team - judge| <= abs  or  |team - judge| <= rel * |judge|. Other tokens compare as strings.
 * - Missing tokens and any trailing non-whitespace output are wrong answers.
 *
 * It lives in shared because the judge (judging/compare.ts, files) and the client's `judge test`
 * (samples in memory) must give the same answer.
 *
 * Speed: identical stretches (the common case) are compared 64 KiB at a time with Buffer.compare
 * (memcmp); only a window that differs is walked byte by byte, and only a differing token is
 * materialised.
 */
/** The default validator's flags, as the problem package gives them (validator_flags / comparison). */
export interface CompareFlags {
  caseSensitive: boolean;
  spaceChangeSensitive: boolean;
  floatAbsoluteTolerance?: number;
  floatRelativeTolerance?: number;
}

export interface CompareResult {
  verdict: 'AC' | 'WA';
  /** Why, for the jury (judgemessage); empty on AC. */
  message: string;
}

export interface CompareOptions {
  /** Read size; tests use tiny chunks to cross every boundary. Default 1 MiB. */
  chunkBytes?: number;
}

const EOF = -1;
const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]) WS[c] = 1;
const FOLD_NONE = new Uint8Array(256).map((_, i) => i);
const FOLD_CASE = new Uint8Array(256).map((_, i) => (i >= 0x41 && i <= 0x5a ? i + 32 : i));
/** Tokens longer than this cannot be numbers worth parsing and are not kept in full. */
const TOKEN_CAP = 4096;
const WINDOW = 64 * 1024;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A source of bytes: a file read in chunks, or (tests) an in-memory list of chunks. */
export interface ByteSource {
  /** Fills `buf` from the start; returns the byte count, 0 at the end. */
  read(buf: Buffer): Promise<number>;
  close(): Promise<void>;
}

class Reader {
  readonly buf: Buffer;
  pos = 0;
  end = 0;
  /** Bytes consumed before buf[0]: offset of buf[pos] in the stream is base + pos. */
  base = 0;
  done = false;
  /** Start of the current token inside buf (valid while the lockstep is inside a token). */
  tokStart = 0;
  /** Parts of the current token from earlier chunks (copies), capped at TOKEN_CAP bytes. */
  carry: Buffer[] = [];
  carryLen = 0;

  constructor(
    private readonly src: ByteSource,
    chunkBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Makes buf[pos] available; false at end of stream. Keeps the current token's prefix when asked. */
  async fill(keepToken: boolean): Promise<boolean> {
    if (this.pos < this.end) return true;
    if (this.done) return false;
    if (keepToken) this.saveToken(this.end);
    this.base += this.end;
    this.end = await this.src.read(this.buf);
    this.pos = 0;
    this.tokStart = 0;
    if (this.end === 0) this.done = true;
    return this.end > 0;
  }

  private saveToken(upTo: number): void {
    if (this.carryLen >= TOKEN_CAP || upTo <= this.tokStart) return;
    const take = Math.min(upTo - this.tokStart, TOKEN_CAP - this.carryLen);
    this.carry.push(Buffer.from(this.buf.subarray(this.tokStart, this.tokStart + take)));
    this.carryLen += take;
  }

  startToken(): void {
    this.tokStart = this.pos;
    // Called once per token on the byte-walk path: no allocation unless a token crossed a chunk.
    if (this.carryLen > 0) {
      this.carry = [];
      this.carryLen = 0;
    }
  }

  /** Skips whitespace inside the current buffer; true when it stopped at a non-space byte. */
  skipSpaceHere(): boolean {
    const buf = this.buf;
    let p = this.pos;
    const end = this.end;
    while (p < end && WS[buf[p]!]) p++;
    this.pos = p;
    return p < end;
  }

  /** The current token's bytes from its start up to pos (capped). */
  prefix(): Buffer {
    this.saveToken(this.pos);
    const out = Buffer.concat(this.carry);
    this.carry = [out];
    this.tokStart = this.pos;
    return out;
  }

  async peek(): Promise<number> {
    return this.pos < this.end || (await this.fill(false)) ? this.buf[this.pos]! : EOF;
  }

  /** Reads the rest of a token (until whitespace or end), capped; `long` when bytes were dropped. */
  async restOfToken(prefix: Buffer): Promise<{ token: Buffer; long: boolean }> {
    const parts = [prefix];
    let len = prefix.length;
    let long = prefix.length >= TOKEN_CAP;
    while (this.pos < this.end || (await this.fill(false))) {
      const start = this.pos;
      while (this.pos < this.end && !WS[this.buf[this.pos]!]) this.pos++;
      const n = this.pos - start;
      if (len < TOKEN_CAP) {
        const take = Math.min(n, TOKEN_CAP - len);
        parts.push(Buffer.from(this.buf.subarray(start, start + take)));
        len += take;
        if (take < n) long = true;
      } else if (n > 0) long = true;
      if (this.pos < this.end) break;
    }
    return { token: Buffer.concat(parts), long };
  }

  /** Skips whitespace; returns the number of bytes skipped. */
  async skipSpace(): Promise<number> {
    let n = 0;
    while (this.pos < this.end || (await this.fill(false))) {
      const start = this.pos;
      while (this.pos < this.end && WS[this.buf[this.pos]!]) this.pos++;
      n += this.pos - start;
      if (this.pos < this.end) break;
    }
    return n;
  }

  offset(): number {
    return this.base + this.pos;
  }
}

function show(token: Buffer, long: boolean): string {
  const s = token.subarray(0, 60).toString('latin1');
  return JSON.stringify(long || token.length > 60 ? `${s}...` : s);
}

function showByte(c: number): string {
  return c === EOF ? 'end of output' : JSON.stringify(String.fromCharCode(c));
}

function parseFloatToken(token: Buffer, long: boolean): number | undefined {
  if (long) return undefined;
  const s = token.toString('latin1');
  return FLOAT_RE.test(s) ? Number(s) : undefined;
}

/**
 * Compares two byte sources. `team` is the submission's output, `judge` the answer file. Returns WA
 * with a message naming the byte offset in the team output; lineOfOffset() turns it into a line.
 */
export async function compareSources(team: ByteSource, judge: ByteSource, flags: CompareFlags, opts: CompareOptions = {}): Promise<CompareResult & { teamOffset?: number }> {
  const chunk = Math.max(1, opts.chunkBytes ?? 1 << 20);
  const a = new Reader(team, chunk);
  const b = new Reader(judge, chunk);
  const fold = flags.caseSensitive ? FOLD_NONE : FOLD_CASE;
  const abs = flags.floatAbsoluteTolerance;
  const rel = flags.floatRelativeTolerance;
  const floats = abs !== undefined || rel !== undefined;
  const strictSpace = flags.spaceChangeSensitive;
  let inTok = false;
  // Bytes to walk before trying memcmp windows again after a difference: where differences are
  // dense (every line), a failed 64 KiB compare per difference would cost more than the walk.
  let cooldown = 0;

  const wa = (message: string): CompareResult & { teamOffset: number } => ({ verdict: 'WA', message, teamOffset: a.offset() });

  for (;;) {
    // Checked inline first: an await per byte would cost more than the comparison itself.
    const moreA = a.pos < a.end || (await a.fill(inTok));
    const moreB = b.pos < b.end || (await b.fill(inTok));
    if (!moreA && !moreB) return { verdict: 'AC', message: '' };
    if (moreA && moreB) {
      const A = a.buf;
      const B = b.buf;
      const n = Math.min(a.end - a.pos, b.end - b.pos);
      const w = Math.min(n, WINDOW);
      if (cooldown <= 0 && w >= 64 && A.compare(B, b.pos, b.pos + w, a.pos, a.pos + w) === 0) {
        // Identical window: only where the last token starts matters.
        let k = w - 1;
        while (k >= 0 && !WS[A[a.pos + k]!]) k--;
        if (k === w - 1) inTok = false;
        else if (k >= 0) {
          a.pos += k + 1;
          b.pos += k + 1;
          a.startToken();
          b.startToken();
          inTok = true;
          k = w - k - 1; // the rest of the window, inside the new token
          a.pos += k;
          b.pos += k;
          continue;
        } else if (!inTok) {
          a.startToken();
          b.startToken();
          inTok = true;
        }
        a.pos += w;
        b.pos += w;
        continue;
      }
      let i = a.pos;
      let j = b.pos;
      const i0 = i;
      const stop = i + w;
      while (i < stop) {
        const c = A[i]!;
        if (fold[c] !== fold[B[j]!]) break;
        if (WS[c]) inTok = false;
        else if (!inTok) {
          a.pos = i;
          b.pos = j;
          a.startToken();
          b.startToken();
          inTok = true;
        }
        i++;
        j++;
      }
      cooldown -= i - i0;
      a.pos = i;
      b.pos = j;
      if (i >= stop) continue;
      cooldown = 4096;
    }

    // The streams differ at a.pos / b.pos (or one has ended).
    const ca = moreA ? a.buf[a.pos]! : EOF;
    const cb = moreB ? b.buf[b.pos]! : EOF;
    const tokA = ca !== EOF && !WS[ca];
    const tokB = cb !== EOF && !WS[cb];
    if ((tokA && tokB) || (inTok && (tokA || tokB))) {
      const pa = inTok ? a.prefix() : Buffer.alloc(0);
      const pb = inTok ? b.prefix() : Buffer.alloc(0);
      const offset = a.offset() - pa.length;
      const ta = await a.restOfToken(pa);
      const tb = await b.restOfToken(pb);
      inTok = false;
      if (floats && ta.token.length > 0 && tb.token.length > 0) {
        const judgeVal = parseFloatToken(tb.token, tb.long);
        if (judgeVal !== undefined) {
          const teamVal = parseFloatToken(ta.token, ta.long);
          if (teamVal === undefined) {
            return { verdict: 'WA', teamOffset: offset, message: `expected the number ${show(tb.token, tb.long)}, got ${show(ta.token, ta.long)}` };
          }
          const diff = Math.abs(teamVal - judgeVal);
          if ((abs !== undefined && diff <= abs) || (rel !== undefined && diff <= rel * Math.abs(judgeVal))) continue;
          const relErr = judgeVal === 0 ? Infinity : diff / Math.abs(judgeVal);
          return {
            verdict: 'WA',
            teamOffset: offset,
            message: `expected ${show(tb.token, false)}, got ${show(ta.token, false)}: absolute error ${diff.toExponential(3)} (tolerance ${abs ?? 'none'}), relative error ${relErr.toExponential(3)} (tolerance ${rel ?? 'none'})`,
          };
        }
      }
      return { verdict: 'WA', teamOffset: offset, message: `expected ${show(tb.token, tb.long)}, got ${show(ta.token, ta.long)}` };
    }
    // A whitespace difference (or one side ended at a token boundary).
    if (strictSpace) return wa(`whitespace differs: expected ${showByte(cb)}, got ${showByte(ca)}`);
    inTok = false;
    // Synchronous while the data is in the buffers: this branch runs once per whitespace difference,
    // which can be every line of a 100 MB output.
    if (!a.skipSpaceHere()) await a.skipSpace();
    if (!b.skipSpaceHere()) await b.skipSpace();
    const na = a.pos < a.end ? a.buf[a.pos]! : await a.peek();
    const nb = b.pos < b.end ? b.buf[b.pos]! : await b.peek();
    if (na === EOF && nb === EOF) return { verdict: 'AC', message: '' };
    if (na === EOF) {
      const t = await b.restOfToken(Buffer.alloc(0));
      return wa(`output ended early: expected ${show(t.token, t.long)}`);
    }
    if (nb === EOF) {
      const off = a.offset();
      const t = await a.restOfToken(Buffer.alloc(0));
      return { verdict: 'WA', teamOffset: off, message: `trailing output: ${show(t.token, t.long)} after the last expected token` };
    }
  }
}
