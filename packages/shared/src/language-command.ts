/**
 * Expands a language command's placeholders ({progdir}, {binary}, {files}, {main}, {mainclass},
 * {memlimit_mb}, {stack_kib}) into an argv: one rule for the judge's sandboxed commands and the
 * client's local `judge test`, so both run a submission the same way.
 */
export interface CommandVars {
  /** The program's directory (inside the sandbox when the judge runs it). */
  progdir: string;
  /** Source files of the language, relative to progdir (compile only). */
  files: string[];
  main: string;
  mainclass: string;
  memlimitMiB: number;
  stackKiB: number;
}

export function expandCommand(cmd: readonly string[], v: CommandVars): string[] {
  const out: string[] = [];
  for (const arg of cmd) {
    if (arg === '{files}') {
      out.push(...v.files);
      continue;
    }
    out.push(
      arg.replace(/\{(progdir|binary|main|mainclass|memlimit_mb|stack_kib)\}/g, (_, name: string) => {
        switch (name) {
          case 'progdir':
            return v.progdir;
          case 'binary':
            return `${v.progdir}/a.out`;
          case 'main':
            return v.main;
          case 'mainclass':
            return v.mainclass;
          case 'memlimit_mb':
            return String(v.memlimitMiB);
          default:
            return String(v.stackKiB);
        }
      }),
    );
  }
  return out;
}
