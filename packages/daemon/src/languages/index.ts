/**
 * Languages for the judge and for `judged doctor`.
 *
 *   loadLanguages(file?, opts?): Language[]   — built-ins + languages.yaml, executables resolved;
 *     a language with a missing compiler has `disabled` (why + what to do). Throws
 *     LanguagesConfigError (file:line: field: message — fix) on a bad file.
 *   checkLanguages(languages?): Promise<LanguageStatus[]>   — runs every version command.
 *   languageForFiles(languages, files): Language | undefined   — by extension and shebang (detect.ts).
 *   wireLanguage(language): the protocol's Language (what clients and the Contest API show).
 */
export { loadLanguages, languageForFiles, LanguagesConfigError, type LoadLanguagesOptions } from './load.ts';
export { checkLanguages } from './check.ts';
export { wireLanguage } from './wire.ts';
export { builtinLanguages, SANDBOX_PATH } from './defaults.ts';
export type { Language, LanguageStatus } from './types.ts';
