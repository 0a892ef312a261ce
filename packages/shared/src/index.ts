export * from './verdict.ts';
export * from './problem.ts';
export * from './protocol.ts';
export * from './scoring.ts';
