/**
 * Best-effort LaTeX problem statement -> Markdown for the terminal client. Not a TeX engine: it
 * handles the subset problem statements use (sections, Input/Output environments, lists, verbatim,
 * font commands, common math macros) and drops what it does not know, keeping the text readable.
 */

/** Placeholder left where \nextsample / \remainingsamples appeared; statement.ts fills it. */
export const NEXT_SAMPLE = '\u0000NEXTSAMPLE\u0000';
export const REMAINING_SAMPLES = '\u0000REMAININGSAMPLES\u0000';

const MATH_SYMBOLS: [RegExp, string][] = [
  [/\\leq?(?![a-zA-Z])/g, '≤'],
  [/\\geq?(?![a-zA-Z])/g, '≥'],
  [/\\neq?(?![a-zA-Z])/g, '≠'],
  [/\\cdot(?![a-zA-Z])/g, '·'],
  [/\\times(?![a-zA-Z])/g, '×'],
  [/\\div(?![a-zA-Z])/g, '÷'],
  [/\\pm(?![a-zA-Z])/g, '±'],
  [/\\[lc]?dots(?![a-zA-Z])/g, '…'],
  [/\\infty(?![a-zA-Z])/g, '∞'],
  [/\\in(?![a-zA-Z])/g, '∈'],
  [/\\notin(?![a-zA-Z])/g, '∉'],
  [/\\sum(?![a-zA-Z])/g, 'Σ'],
  [/\\prod(?![a-zA-Z])/g, 'Π'],
  [/\\approx(?![a-zA-Z])/g, '≈'],
  [/\\to(?![a-zA-Z])/g, '→'],
  [/\\rightarrow(?![a-zA-Z])/g, '→'],
  [/\\leftarrow(?![a-zA-Z])/g, '←'],
  [/\\lfloor(?![a-zA-Z])/g, '⌊'],
  [/\\rfloor(?![a-zA-Z])/g, '⌋'],
  [/\\lceil(?![a-zA-Z])/g, '⌈'],
  [/\\rceil(?![a-zA-Z])/g, '⌉'],
  [/\\alpha(?![a-zA-Z])/g, 'α'],
  [/\\beta(?![a-zA-Z])/g, 'β'],
  [/\\gamma(?![a-zA-Z])/g, 'γ'],
  [/\\delta(?![a-zA-Z])/g, 'δ'],
  [/\\epsilon(?![a-zA-Z])/g, 'ε'],
  [/\\varepsilon(?![a-zA-Z])/g, 'ε'],
  [/\\lambda(?![a-zA-Z])/g, 'λ'],
  [/\\mu(?![a-zA-Z])/g, 'μ'],
  [/\\pi(?![a-zA-Z])/g, 'π'],
  [/\\sigma(?![a-zA-Z])/g, 'σ'],
  [/\\theta(?![a-zA-Z])/g, 'θ'],
  [/\\log(?![a-zA-Z])/g, 'log'],
  [/\\max(?![a-zA-Z])/g, 'max'],
  [/\\min(?![a-zA-Z])/g, 'min'],
  [/\\bmod(?![a-zA-Z])/g, 'mod'],
  [/\\mod(?![a-zA-Z])/g, 'mod'],
  [/\\left\b|\\right(?![a-zA-Z])/g, ''],
  [/\\[,;:! ]/g, ' '],
  [/\\quad\b|\\qquad(?![a-zA-Z])/g, '  '],
];

/** Converts the inside of $...$ to readable plain text: 1 \le n \le 10^{5} -> 1 ≤ n ≤ 10^5. */
export function mathToText(src: string): string {
  // Escaped braces are set literally; keep them apart from grouping braces, which are dropped.
  let s = src.replace(/\\\{/g, '\u0002').replace(/\\\}/g, '\u0003');
  for (let i = 0; i < 4; i++) {
    s = s.replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, (_m, a: string, b: string) => `${wrap(a)}/${wrap(b)}`);
    s = s.replace(/\\sqrt\s*\{([^{}]*)\}/g, '√($1)');
    s = s.replace(/\\(?:text|mathrm|mathit|mathbf|textrm|operatorname|mbox)\s*\{([^{}]*)\}/g, '$1');
  }
  s = s.replace(/\\pmod\s*\{([^{}]*)\}/g, '(mod $1)');
  for (const [re, rep] of MATH_SYMBOLS) s = s.replace(re, rep);
  s = s.replace(/\\([{}%$&#_])/g, '$1');
  // Keep braces that group a sub/superscript of more than one character: 10^{18} -> 10^18, a_{i+1} -> a_(i+1).
  s = s.replace(/([_^])\{([^{}]*)\}/g, (_m, op: string, body: string) => (/^[\w.]+$/.test(body) ? `${op}${body}` : `${op}(${body})`));
  s = s.replace(/\\[a-zA-Z]+\s*/g, '');
  s = s.replace(/[{}]/g, '').replace(/\u0002/g, '{').replace(/\u0003/g, '}');
  return s.replace(/\s+/g, ' ').trim();
}

function wrap(x: string): string {
  const t = x.trim();
  return /^[\w.]+$/.test(t) ? t : `(${t})`;
}

/**
 * Markdown statements keep their structure, but a terminal cannot typeset $...$: the math is turned
 * into the same readable text as in LaTeX statements, outside code spans and fenced blocks.
 */
export function markdownMathToText(md: string): string {
  return md
    .split(/(```[\s\S]*?```|`[^`\n]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/\$\$([\s\S]*?)\$\$/g, (_m, m: string) => `\n\n    ${mathToText(m)}\n\n`)
            .replace(/(^|[^\\])\$((?:[^$\\\n]|\\.)+)\$/g, (_m, pre: string, m: string) => pre + mathToText(m)),
    )
    .join('')
    .replace(/\n{3,}/g, '\n\n');
}

export interface TexConversion {
  markdown: string;
  /** \problemname{...} argument, as plain text, if present. */
  problemName?: string;
  /** `%% plainproblemname: ...` comment, if present. */
  plainProblemName?: string;
}

export function texToMarkdown(tex: string): TexConversion {
  const plain = /^%%\s*plainproblemname:\s*(.+)$/m.exec(tex)?.[1]?.trim();
  // Keep verbatim blocks away from every other rule.
  const verbatim: string[] = [];
  let s = tex.replace(/\r\n/g, '\n').replace(/\\begin\{(verbatim|lstlisting)\}(?:\[[^\]]*\])?\n?([\s\S]*?)\\end\{\1\}/g, (_m, _env, body: string) => {
    verbatim.push('```\n' + body.replace(/\n$/, '') + '\n```');
    return `\u0001${verbatim.length - 1}\u0001`;
  });
  s = s.replace(/(^|[^\\])%.*$/gm, '$1'); // comments
  let problemName: string | undefined;
  s = s.replace(/\\problemname\s*\{((?:[^{}]|\{[^{}]*\})*)\}/, (_m, n: string) => {
    problemName = inline(n.replace(/\$([^$]*)\$/g, (_x, m: string) => mathToText(m))).trim();
    return '';
  });
  s = s.replace(/\\nextsample\b/g, `\n\n${NEXT_SAMPLE}\n\n`).replace(/\\remainingsamples\b/g, `\n\n${REMAINING_SAMPLES}\n\n`);
  s = s.replace(/\\begin\{(Input|Output|Interaction)\}/g, '\n\n## $1\n\n').replace(/\\end\{(Input|Output|Interaction)\}/g, '\n\n');
  s = s.replace(/\\section\*?\s*\{([^{}]*)\}/g, '\n\n## $1\n\n').replace(/\\subsection\*?\s*\{([^{}]*)\}/g, '\n\n### $1\n\n');
  s = s.replace(/\\(?:sub)*paragraph\*?\s*\{([^{}]*)\}/g, '\n\n**$1** ');
  s = s.replace(/\\illustration\s*\{[^{}]*\}\s*\{([^{}]*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g, (_m, file: string, cap: string) => `\n\n[Illustration: ${cap.trim()} (${file})]\n\n`);
  s = s.replace(/\\includegraphics\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}/g, '[image: $1]');
  s = convertLists(s);
  s = s.replace(/\\begin\{tabular\}\s*\{[^{}]*\}([\s\S]*?)\\end\{tabular\}/g, (_m, body: string) =>
    '\n\n' +
    body
      .replace(/\\hline|\\cline\s*\{[^{}]*\}/g, '')
      .split(/\\\\/)
      .map((row) => row.trim())
      .filter(Boolean)
      .map((row, i) => {
        const cells = row.split('&').map((c) => c.trim());
        const line = '| ' + cells.join(' | ') + ' |';
        // The first row is the header: Markdown needs a separator line under it.
        return i === 0 ? `${line}\n|${cells.map(() => ' \u0004 |').join('')}` : line;
      })
      .join('\n') +
      '\n\n',
  );
  s = s.replace(/\\(?:begin|end)\s*\{[^{}]*\}(?:\{[^{}]*\})?/g, '\n');
  s = s.replace(/\$\$([\s\S]*?)\$\$|\\\[([\s\S]*?)\\\]/g, (_m, a?: string, b?: string) => `\n\n    ${mathToText(a ?? b ?? '')}\n\n`);
  s = s.replace(/(^|[^\\])\$((?:[^$\\]|\\.)+)\$/g, (_m, pre: string, m: string) => pre + mathToText(m));
  s = s.replace(/\\\(([\s\S]*?)\\\)/g, (_m, m: string) => mathToText(m));
  s = inline(s);
  s = s.replace(/\u0001(\d+)\u0001/g, (_m, i: string) => `\n\n${verbatim[Number(i)]}\n\n`).replace(/\u0004/g, '---');
  s = s
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/g, ''))
    .join('\n')
    .replace(/[ \t]{2,}(?=\S)/g, (m, off: number, all: string) => (off === 0 || all[off - 1] === '\n' ? m : ' '))
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^([ \t]*(?:-|\d+\.) .*)\n\n+(?=[ \t]*(?:-|\d+\.) )/gm, '$1\n')
    .trim();
  return { markdown: s + '\n', problemName, plainProblemName: plain };
}

function convertLists(src: string): string {
  const lines = src.split('\n');
  const stack: ('itemize' | 'enumerate')[] = [];
  const counters: number[] = [];
  const out: string[] = [];
  for (const raw of lines) {
    let line = raw;
    const parts = line.split(/(\\begin\{(?:itemize|enumerate)\}|\\end\{(?:itemize|enumerate)\}|\\item\b(?:\[[^\]]*\])?)/);
    let acc = '';
    for (const p of parts) {
      const begin = /^\\begin\{(itemize|enumerate)\}$/.exec(p);
      if (begin) {
        stack.push(begin[1] as 'itemize' | 'enumerate');
        counters.push(0);
        acc += '\n';
      } else if (/^\\end\{(itemize|enumerate)\}$/.test(p)) {
        stack.pop();
        counters.pop();
        acc += '\n';
      } else if (p.startsWith('\\item')) {
        const depth = Math.max(0, stack.length - 1);
        const label = /^\\item\[([^\]]*)\]/.exec(p)?.[1];
        let bullet = '-';
        if (stack[stack.length - 1] === 'enumerate') {
          counters[counters.length - 1] = (counters[counters.length - 1] ?? 0) + 1;
          bullet = `${counters[counters.length - 1]}.`;
        }
        acc += `\n${'  '.repeat(depth)}${bullet} ${label ? `**${label}** ` : ''}`;
      } else {
        acc += p;
      }
    }
    line = acc;
    out.push(line);
  }
  return out.join('\n');
}

/** Text-mode commands and typography. */
function inline(src: string): string {
  let s = src;
  for (let i = 0; i < 3; i++) {
    s = s.replace(/\\textbf\s*\{([^{}]*)\}|\{\\bf\s+([^{}]*)\}/g, (_m, a?: string, b?: string) => `**${a ?? b}**`);
    s = s.replace(/\\(?:emph|textit|textsl)\s*\{([^{}]*)\}|\{\\(?:it|em)\s+([^{}]*)\}/g, (_m, a?: string, b?: string) => `*${a ?? b}*`);
    s = s.replace(/\\(?:texttt|verb)\s*\{([^{}]*)\}|\{\\tt\s+([^{}]*)\}/g, (_m, a?: string, b?: string) => `\`${a ?? b}\``);
    s = s.replace(/\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '$2 ($1)');
    s = s.replace(/\\(?:url|underline|textsc|textrm|textsf|mbox|text|sout|constant)\s*\{([^{}]*)\}/g, '$1');
  }
  s = s.replace(/\\verb([^a-zA-Z\s])(.*?)\1/g, '`$2`');
  s = s
    .replace(/\\\\(\[[^\]]*\])?/g, '\n')
    .replace(/\\(?:noindent|medskip|bigskip|smallskip|newline|par|centering|clearpage|newpage|hfill|vfill|tiny|scriptsize|small|normalsize|large|Large|LARGE|huge|Huge)\b\s*/g, '')
    .replace(/\\(?:vspace|hspace)\*?\s*\{[^{}]*\}/g, '')
    .replace(/\\(?:ldots|textellipsis|dots)\b\s?/g, '…')
    .replace(/---/g, '—')
    .replace(/--/g, '–')
    .replace(/``|''/g, '"')
    .replace(/<<|>>/g, '"')
    .replace(/(^|[^\\])~/g, '$1 ')
    .replace(/\\([%$&#_{}])/g, '$1')
    .replace(/\\[a-zA-Z]+\*?\s*\{([^{}]*)\}/g, '$1')
    .replace(/\\[a-zA-Z]+\*?/g, '')
    .replace(/(^|[^\\])[{}]/g, '$1');
  return s;
}
