export * from './verdict.ts';
export * from './problem.ts';
export * from './protocol.ts';
export * from './scoring.ts';
// protocol.ts has a type alias of the same name; from the package root it means the scoring class.
export { Scoreboard } from './scoring.ts';
export * from './visibility.ts';
