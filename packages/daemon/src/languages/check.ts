/**
 * Language checks for `judged doctor`: runs each language's version command on the host (the same
 * executable the sandbox will run, already resolved by the loader) and reports the first line.
 */
import { execFile } from 'node:child_process';
import { loadLanguages } from './load.ts';
import type { Language, LanguageStatus } from './types.ts';

function versionOf(lang: Language): Promise<LanguageStatus> {
  return new Promise((resolve) => {
    const [exe, ...args] = lang.version;
    execFile(exe!, args, { timeout: 20_000, encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...lang.env } }, (err, stdout, stderr) => {
      // java -version and some compilers print to stderr.
      const text = `${stdout}\n${stderr}`.split('\n').map((s) => s.trim()).find((s) => s.length > 0) ?? '';
      if (err && !text) {
        resolve({ language: lang, available: false, detail: `${lang.version.join(' ')} failed: ${err.message} — reinstall ${lang.name} or fix its commands in languages.yaml` });
      } else if (err) {
        resolve({ language: lang, available: false, detail: `${lang.version.join(' ')} failed: ${text} — reinstall ${lang.name} or fix its commands in languages.yaml` });
      } else {
        resolve({ language: lang, available: true, detail: text });
      }
    });
  });
}

/** One status per language, in the order given (default: the built-in languages, no config file). */
export async function checkLanguages(languages?: Language[]): Promise<LanguageStatus[]> {
  const langs = languages ?? loadLanguages();
  return Promise.all(
    langs.map((l) => (l.disabled ? Promise.resolve({ language: l, available: false, detail: `disabled: ${l.disabled}` }) : versionOf(l))),
  );
}
