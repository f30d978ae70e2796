export * from './types.ts';
export * from './pip.ts';
export * from './measure.ts';
export * from './clip.ts';
export * from './split.ts';
export * from './flat.ts';
export * from './geo-index.ts';
export * from './validate.ts';
