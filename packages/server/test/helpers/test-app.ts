/** The test server with a small territory, departments and users: see app.ts. */
export * from './app.ts';
