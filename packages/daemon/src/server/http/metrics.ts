/**
 * Prometheus text exposition format (version 0.0.4): # HELP and # TYPE lines, then one sample per line.
 */
import type { MetricFamily } from './deps.ts';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Renders families; a family or label with an invalid name is an error in the caller, so it throws. */
export function renderPrometheus(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  const names = new Set<string>();
  for (const f of families) {
    if (!NAME.test(f.name)) throw new Error(`metric name '${f.name}' is not a valid Prometheus name`);
    if (names.has(f.name)) throw new Error(`metric '${f.name}' is given twice`);
    names.add(f.name);
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {});
      for (const [k] of labels) if (!LABEL.test(k)) throw new Error(`metric '${f.name}': label '${k}' is not a valid name`);
      const l = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
      lines.push(`${f.name}${l} ${formatValue(s.value)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Counts HTTP requests by route and status, exported as judged_http_requests_total. */
export class HttpCounters {
  private readonly counts = new Map<string, { route: string; status: string; n: number }>();

  add(route: string, status: number): void {
    const key = `${route} ${status}`;
    const c = this.counts.get(key);
    if (c) c.n++;
    else this.counts.set(key, { route, status: String(status), n: 1 });
  }

  family(): MetricFamily {
    return {
      name: 'judged_http_requests_total',
      help: 'HTTP requests answered by the public HTTP side, by route and status.',
      type: 'counter',
      samples: [...this.counts.values()].map((c) => ({ labels: { route: c.route, status: c.status }, value: c.n })),
    };
  }
}
