import { cellWidth, truncate } from './text.ts';

/**
 * Markdown for a terminal: turns a problem statement into lines of styled segments already wrapped
 * to a width, so a scrolling view only slices an array. Covers what statements use: headings,
 * emphasis, inline and fenced code, lists, block quotes, rules, and TeX-style math made readable
 * ($x_i \le 10^9$ becomes x_i ≤ 10^9).
 */
export interface Segment {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  heading?: boolean;
  math?: boolean;
  dim?: boolean;
  /** An explicit colour (verdicts); overrides the role colours above. */
  colour?: string;
}
export type Line = Segment[];

const TEX_SYMBOLS: Record<string, string> = {
  le: '≤', leq: '≤', ge: '≥', geq: '≥', ne: '≠', neq: '≠', lt: '<', gt: '>',
  cdot: '·', times: '×', div: '÷', pm: '±', mp: '∓', infty: '∞', approx: '≈', equiv: '≡',
  ldots: '…', dots: '…', cdots: '⋯', vdots: '⋮', in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆',
  cup: '∪', cap: '∩', emptyset: '∅', forall: '∀', exists: '∃', neg: '¬', land: '∧', lor: '∨',
  oplus: '⊕', to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', iff: '⇔', mid: '|',
  sum: 'Σ', prod: 'Π', alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', Delta: 'Δ', epsilon: 'ε',
  varepsilon: 'ε', lambda: 'λ', mu: 'μ', pi: 'π', sigma: 'σ', theta: 'θ', phi: 'φ', omega: 'ω',
  lfloor: '⌊', rfloor: '⌋', lceil: '⌈', rceil: '⌉', langle: '⟨', rangle: '⟩', circ: '∘',
  quad: '  ', qquad: '    ', ',': ' ', ';': ' ', '!': '', ' ': ' ', '{': '{', '}': '}', '%': '%',
  '$': '$', '&': '&', '#': '#', '_': '_', '\\': ' ', log: 'log', ln: 'ln', max: 'max', min: 'min',
  gcd: 'gcd', bmod: 'mod', mod: 'mod', sin: 'sin', cos: 'cos', lvert: '|', rvert: '|', vert: '|',
};

/** Readable plain text for a TeX math fragment. */
export function texToText(tex: string): string {
  let s = tex;
  // Structures first, innermost-out, a few passes to unwrap nesting.
  for (let i = 0; i < 4; i++) {
    s = s
      .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, (_m, a: string, b: string) => `${paren(a)}/${paren(b)}`)
      .replace(/\\sqrt\s*\{([^{}]*)\}/g, (_m, a: string) => `√${paren(a)}`)
      .replace(/\\(?:text|textrm|textit|textbf|mathrm|mathit|mathbf|mathcal|operatorname|texttt)\s*\{([^{}]*)\}/g, '$1')
      .replace(/\\(?:left|right|big|Big|bigg|Bigg)\s*/g, '')
      .replace(/\^\{([^{}]*)\}/g, (_m, a: string) => `^${a.length > 1 ? `(${a})` : a}`)
      .replace(/_\{([^{}]*)\}/g, (_m, a: string) => `_${a.length > 1 ? `(${a})` : a}`);
  }
  s = s.replace(/\\([A-Za-z]+|.)/g, (m, name: string) => TEX_SYMBOLS[name] ?? m);
  s = s.replace(/[{}]/g, '').replace(/\s*([≤≥≠<>=])\s*/g, ' $1 ').replace(/ {2,}/g, ' ');
  return s.trim();
}

function paren(x: string): string {
  return /^[\w.]+$/.test(x) ? x : `(${x})`;
}

/** Inline markdown (emphasis, code, math, links) to styled segments. */
export function parseInline(src: string, base: Segment = { text: '' }): Segment[] {
  const out: Segment[] = [];
  const re = /(\*\*|__)(.+?)\1|(\*|_)(?![\s*_])(.+?)\3(?![\w])|`([^`]+)`|\$\$([^$]+)\$\$|\$([^$]+)\$|\[([^\]]+)\]\(([^)]+)\)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const push = (seg: Segment) => {
    if (seg.text !== '') out.push(seg);
  };
  while ((m = re.exec(src)) !== null) {
    push({ ...base, text: src.slice(last, m.index) });
    if (m[2] !== undefined) out.push(...parseInline(m[2], { ...base, bold: true }));
    else if (m[4] !== undefined) out.push(...parseInline(m[4], { ...base, italic: true }));
    else if (m[5] !== undefined) push({ ...base, text: m[5], code: true });
    else if (m[6] !== undefined) push({ ...base, text: texToText(m[6]), math: true });
    else if (m[7] !== undefined) push({ ...base, text: texToText(m[7]), math: true });
    else if (m[8] !== undefined) push({ ...base, text: `${m[8]} <${m[9]}>` });
    last = m.index + m[0].length;
  }
  push({ ...base, text: src.slice(last) });
  return out;
}

/** Word-wrap styled segments to `width` cells; `indent` prefixes continuation lines. */
export function wrapSegments(segs: Segment[], width: number, first: Segment[] = [], indent = ''): Line[] {
  const lines: Line[] = [];
  let line: Segment[] = [...first];
  let used = first.reduce((n, s) => n + cellWidth(s.text), 0);
  const startW = used;
  const flush = () => {
    lines.push(line);
    line = indent ? [{ text: indent }] : [];
    used = cellWidth(indent);
  };
  for (const seg of segs) {
    for (const piece of seg.text.split(/(\s+)/)) {
      if (piece === '') continue;
      const space = /^\s+$/.test(piece);
      const w = space ? 1 : cellWidth(piece);
      if (space) {
        if (used > startW && used + 1 <= width) {
          line.push({ ...seg, text: ' ' });
          used += 1;
        }
        continue;
      }
      if (used + w > width && used > cellWidth(indent)) {
        // drop a trailing space before breaking
        const tail = line[line.length - 1];
        if (tail && tail.text === ' ') line.pop();
        flush();
      }
      let rest = piece;
      while (cellWidth(rest) > width - used && width - used > 0 && cellWidth(rest) > width - cellWidth(indent)) {
        const room = width - used;
        let chunk = '';
        let cw = 0;
        for (const ch of rest) {
          const chw = cellWidth(ch);
          if (cw + chw > room) break;
          chunk += ch;
          cw += chw;
        }
        if (chunk === '') break;
        line.push({ ...seg, text: chunk });
        rest = rest.slice(chunk.length);
        flush();
      }
      line.push({ ...seg, text: rest });
      used += cellWidth(rest);
    }
  }
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

/** Render a markdown document to lines no wider than `width`. */
export function renderMarkdown(md: string, width: number): Line[] {
  const w = Math.max(10, width);
  const out: Line[] = [];
  const src = md.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  const blank = () => {
    if (out.length > 0 && out[out.length - 1]!.length > 0) out.push([]);
  };
  const flushPara = () => {
    if (para.length === 0) return;
    out.push(...wrapSegments(parseInline(para.join(' ')), w));
    para = [];
    out.push([]);
  };
  for (let i = 0; i < src.length; i++) {
    const raw = src[i]!;
    const fence = raw.match(/^\s*(```|~~~)/);
    if (fence) {
      flushPara();
      const code: string[] = [];
      i++;
      while (i < src.length && !src[i]!.trim().startsWith(fence[1]!)) code.push(src[i++]!);
      for (const c of code) out.push([{ text: '  ' }, { text: truncate(c.replace(/\t/g, '    '), w - 2), code: true }]);
      out.push([]);
      continue;
    }
    if (raw.trim() === '$$') {
      flushPara();
      const math: string[] = [];
      i++;
      while (i < src.length && src[i]!.trim() !== '$$') math.push(src[i++]!);
      out.push(...wrapSegments([{ text: texToText(math.join(' ')), math: true }], w, [{ text: '    ' }], '    '));
      out.push([]);
      continue;
    }
    // Indented code block (4 spaces or a tab), only where a paragraph could start.
    if (para.length === 0 && /^( {4}|\t)\S/.test(raw)) {
      const code: string[] = [];
      while (i < src.length && (/^( {4}|\t)/.test(src[i]!) || (src[i]!.trim() === '' && i + 1 < src.length && /^( {4}|\t)\S/.test(src[i + 1]!)))) {
        code.push(src[i]!.replace(/^( {4}|\t)/, ''));
        i++;
      }
      i--;
      for (const c of code) out.push([{ text: '  ' }, { text: truncate(c.replace(/\t/g, '    '), w - 2), code: true }]);
      out.push([]);
      continue;
    }
    // Table: a header row, a |---| separator, body rows.
    if (/^\s*\|.*\|\s*$/.test(raw) && i + 1 < src.length && /^\s*\|?\s*:?-{2,}/.test(src[i + 1]!)) {
      flushPara();
      const rows: string[][] = [];
      const cells = (l: string) => l.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
      rows.push(cells(raw));
      i += 2;
      while (i < src.length && /^\s*\|/.test(src[i]!)) rows.push(cells(src[i++]!));
      i--;
      out.push(...tableLines(rows, w));
      out.push([]);
      continue;
    }
    const h = raw.match(/^(#{1,6})\s+(.*)$/);
    if (h) {
      flushPara();
      blank();
      const level = h[1]!.length;
      const segs = parseInline(h[2]!.replace(/\s+#+\s*$/, ''), { text: '', bold: true, heading: true });
      const lines = wrapSegments(segs, w);
      out.push(...lines);
      if (level <= 2) {
        const len = Math.min(w, Math.max(...lines.map((l) => l.reduce((n, s) => n + cellWidth(s.text), 0))));
        out.push([{ text: (level === 1 ? '═' : '─').repeat(len), dim: true }]);
      }
      out.push([]);
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(raw)) {
      flushPara();
      out.push([{ text: '─'.repeat(w), dim: true }]);
      continue;
    }
    const li = raw.match(/^(\s*)([-*+]|\d+[.)])\s+(.*)$/);
    if (li) {
      flushPara();
      const depth = Math.min(4, Math.floor(li[1]!.length / 2));
      const bullet = /\d/.test(li[2]!) ? li[2]! : depth % 2 === 0 ? '•' : '◦';
      let text = li[3]!;
      // continuation lines of the item
      while (i + 1 < src.length && /^\s{2,}\S/.test(src[i + 1]!) && !/^\s*([-*+]|\d+[.)])\s+/.test(src[i + 1]!)) {
        text += ' ' + src[++i]!.trim();
      }
      const pad = '  '.repeat(depth);
      const prefix = `${pad}${bullet} `;
      out.push(...wrapSegments(parseInline(text), w, [{ text: prefix }], ' '.repeat(cellWidth(prefix))));
      if (!(i + 1 < src.length && /^(\s*)([-*+]|\d+[.)])\s+/.test(src[i + 1]!))) out.push([]);
      continue;
    }
    const q = raw.match(/^\s*>\s?(.*)$/);
    if (q) {
      flushPara();
      out.push(...wrapSegments(parseInline(q[1]!, { text: '', italic: true }), w, [{ text: '│ ', dim: true }], '│ '));
      continue;
    }
    if (raw.trim() === '') {
      flushPara();
      continue;
    }
    para.push(raw.trim());
  }
  flushPara();
  while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
  return out;
}

/** A Markdown table as aligned columns; cells keep inline styling, columns shrink to fit `width`. */
function tableLines(rows: string[][], width: number): Line[] {
  const n = Math.max(...rows.map((r) => r.length));
  const plain = rows.map((r) => Array.from({ length: n }, (_, j) => parseInline(r[j] ?? '')));
  const text = (segs: Segment[]) => segs.map((x) => x.text).join('');
  const colW = Array.from({ length: n }, (_, j) => Math.max(1, ...plain.map((r) => cellWidth(text(r[j]!)))));
  // Shrink the widest column until the table fits (3 cells of separator per column).
  while (colW.reduce((a, b) => a + b, 0) + 3 * n + 1 > width && Math.max(...colW) > 3) {
    colW[colW.indexOf(Math.max(...colW))]!--;
  }
  const out: Line[] = [];
  const rule = (l: string, m: string, r: string) => [{ text: l + colW.map((c) => '─'.repeat(c + 2)).join(m) + r, dim: true }];
  out.push(rule('┌', '┬', '┐'));
  plain.forEach((r, ri) => {
    const line: Segment[] = [{ text: '│', dim: true }];
    r.forEach((segs, j) => {
      const t = truncate(text(segs), colW[j]!);
      line.push({ text: ' ' + t + ' '.repeat(colW[j]! - cellWidth(t)) + ' ', bold: ri === 0, ...(segs.some((x) => x.math) ? { math: true } : {}) });
      line.push({ text: '│', dim: true });
    });
    out.push(line);
    if (ri === 0) out.push(rule('├', '┼', '┤'));
  });
  out.push(rule('└', '┴', '┘'));
  return out;
}

/** A sample shown in a box: title line, then the content, each line fitted to `width`. */
export function boxLines(title: string, body: string, width: number): string[] {
  const inner = Math.max(4, width - 4);
  const top = `┌─ ${truncate(title, inner - 2)} `;
  const lines = [top + '─'.repeat(Math.max(0, width - cellWidth(top) - 1)) + '┐'];
  const content = body.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  for (const c of content) {
    const t = truncate(c.replace(/\t/g, '    '), inner);
    lines.push(`│ ${t}${' '.repeat(Math.max(0, inner - cellWidth(t)))} │`);
  }
  lines.push('└' + '─'.repeat(Math.max(0, width - 2)) + '┘');
  return lines;
}
