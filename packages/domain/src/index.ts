export * from './result.ts';
export * from './ports.ts';
export * from './territory/territory.ts';
export * from './people/roles.ts';
export * from './case/case.ts';
export * from './case/transitions.ts';
export * from './case/state-machine.ts';
export * from './policy/policy.ts';
