/** fflate for the suites under test/ (which resolve packages from the repository root, not this package). */
export { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
