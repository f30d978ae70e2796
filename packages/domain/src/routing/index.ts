export * from './responsibility.ts';
export * from './responsibility-import.ts';
export * from './reasons.ts';
export * from './route.ts';
export * from './similarity.ts';
export * from './repeat.ts';
export * from './whistle.ts';
export * from './annotate.ts';
