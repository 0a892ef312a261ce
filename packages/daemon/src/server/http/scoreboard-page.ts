/**
 * The projector scoreboard: one self-contained HTML page (inline CSS and JS, no external requests).
 * The page itself lives in scoreboard-page.html so it can be edited as HTML; the WebSocket path is
 * substituted when it is served.
 */
import { readFileSync } from 'node:fs';

let template: string | null = null;

export function scoreboardPageHtml(opts: { wsPath: string }): string {
  template ??= readFileSync(new URL('./scoreboard-page.html', import.meta.url), 'utf8');
  // JSON inside a <script>: escape "<" so a path can never close the script element.
  return template.replace('"__WS_PATH__"', JSON.stringify(opts.wsPath).replace(/</g, '\\u003c'));
}
