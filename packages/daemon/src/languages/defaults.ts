/**
 * The built-in languages. Commands name executables by bare name; the loader resolves them against
 * the directories the sandbox mounts (SANDBOX_PATH), never the host's PATH, because a pyenv shim
 * or a rustup proxy under /root works on the host but does not exist inside the sandbox.
 *
 * Choices a contestant can feel, written down once here:
 * - C and C++ link statically: the binary needs no libraries at run time and starts the same way in
 *   every slot.
 * - Python and JavaScript get a syntax check as their compile step, so a syntax error is CE as for
 *   compiled languages rather than an RTE on the first test.
 * - Java: -Xmx is the problem's memory limit (the heap a contestant was promised) and the sandbox
 *   allows memoryOverheadMiB more for the JVM itself; one GC thread, one visible CPU, no perf file.
 *   -XX:+ExitOnOutOfMemoryError makes a heap overflow end the run at once (reported as MLE).
 */
import type { Language } from './types.ts';

/** Directories the sandbox mounts read-only; a bare command name must resolve to one of these. */
export const SANDBOX_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];

const PY_COMPILE = 'import py_compile, sys\nfor f in sys.argv[1:]:\n    py_compile.compile(f, doraise=True)';

export function builtinLanguages(): Language[] {
  return [
    {
      id: 'c',
      name: 'C',
      extensions: ['c'],
      compile: ['gcc', '-x', 'c', '-O2', '-std=gnu17', '-static', '-pipe', '-o', '{binary}', '{files}', '-lm'],
      run: ['{binary}'],
      version: ['gcc', '--version'],
      processes: 16,
      memoryOverheadMiB: 0,
      memoryErrorPatterns: [],
      multiFile: true,
      priority: 950,
    },
    {
      id: 'cpp',
      name: 'C++',
      extensions: ['cpp', 'cc', 'cxx', 'c++', 'C'],
      compile: ['g++', '-x', 'c++', '-O2', '-std=gnu++20', '-static', '-pipe', '-o', '{binary}', '{files}'],
      run: ['{binary}'],
      version: ['g++', '--version'],
      processes: 16,
      memoryOverheadMiB: 0,
      memoryErrorPatterns: ['std::bad_alloc'],
      multiFile: true,
      priority: 1000,
    },
    {
      // Detected as problemtools does: a .py file whose first line names python2 (or a .py2 file).
      // Usually not installed: then unavailable (verify skips it, submit refuses it by name).
      id: 'python2',
      name: 'Python 2',
      extensions: ['py', 'py2'],
      compile: ['python2', '-c', PY_COMPILE, '{files}'],
      run: ['python2', '{progdir}/{main}'],
      version: ['python2', '--version'],
      processes: 16,
      memoryOverheadMiB: 0,
      memoryErrorPatterns: ['^MemoryError'],
      multiFile: true,
      priority: 860,
      shebang: { extensions: ['py'], pattern: '^#!.*python2\\b' },
    },
    {
      id: 'python3',
      name: 'Python 3',
      extensions: ['py', 'py3'],
      // -I: isolated mode, no cwd (the submission's own files) on sys.path and no PYTHON* variables,
      // so a submitted py_compile.py cannot run at compile time.
      compile: ['python3', '-I', '-c', PY_COMPILE, '{files}'],
      run: ['python3', '{progdir}/{main}'],
      version: ['python3', '--version'],
      processes: 16,
      memoryOverheadMiB: 0,
      memoryErrorPatterns: ['^MemoryError'],
      multiFile: true,
      priority: 850,
    },
    {
      id: 'java',
      name: 'Java',
      extensions: ['java'],
      compile: [
        'javac',
        '-encoding',
        'UTF-8',
        '-J-Xmx1024m',
        '-J-XX:+UseSerialGC',
        '-J-XX:ActiveProcessorCount=1',
        '-J-XX:-UsePerfData',
        // No annotation processing: a processor found on the class path would be code of the
        // submission running at compile time.
        '-proc:none',
        '-d',
        '.',
        '{files}',
      ],
      run: [
        'java',
        '-Xmx{memlimit_mb}m',
        '-Xss64m',
        '-XX:+UseSerialGC',
        '-XX:ActiveProcessorCount=1',
        '-XX:-UsePerfData',
        '-XX:+ExitOnOutOfMemoryError',
        '-cp',
        '{progdir}',
        '{mainclass}',
      ],
      version: ['java', '-version'],
      processes: 128,
      memoryOverheadMiB: 192,
      memoryErrorPatterns: ['java\\.lang\\.OutOfMemoryError'],
      multiFile: true,
      priority: 800,
    },
    {
      id: 'javascript',
      name: 'JavaScript (Node.js)',
      extensions: ['js'],
      compile: ['node', '--check', '{main}'],
      run: ['node', '--max-old-space-size={memlimit_mb}', '--stack-size={stack_kib}', '{progdir}/{main}'],
      version: ['node', '--version'],
      processes: 32,
      memoryOverheadMiB: 64,
      memoryErrorPatterns: ['JavaScript heap out of memory'],
      multiFile: false,
      priority: 500,
    },
    {
      id: 'rust',
      name: 'Rust',
      extensions: ['rs'],
      compile: ['rustc', '--edition=2021', '-O', '-C', 'codegen-units=1', '-o', '{binary}', '{main}'],
      run: ['{binary}'],
      version: ['rustc', '--version'],
      processes: 16,
      memoryOverheadMiB: 0,
      memoryErrorPatterns: ['memory allocation of \\d+ bytes failed'],
      multiFile: true,
      priority: 575,
    },
  ];
}
