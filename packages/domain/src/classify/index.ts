// The dispatch classifier (pure): features → softmax-regression heads → calibrated prediction.
export * from './labels.ts';
export * from './features.ts';
export * from './linear.ts';
export * from './mlp.ts';
export * from './calibration.ts';
export * from './classifier.ts';
export * from './evaluate.ts';
export * from './serialize.ts';
