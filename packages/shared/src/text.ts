/**
 * Text a program produced (compiler output, stderr excerpts) made safe to show in a terminal or a
 * page: no terminal control sequences, no bidi overrides that reorder what the reader sees.
 */

// C0 controls but tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate marks.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Removes unsafe characters (a CR before a newline is dropped; any other CR becomes a newline) and caps the length. */
export function plainText(s: string, maxChars: number): string {
  const clean = s.replace(/\r\n/g, '\n').replace(/\r/g, '\n').replace(UNSAFE, '');
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars)}\n[... cut at ${maxChars} characters]`;
}
