/**
 * Loaded before every test file (see the test script in package.json). Locally,
 * property tests explore new inputs on every run; under CI they replay one seed,
 * so a red build is reproducible and never depends on luck. FC_SEED=<n> replays
 * the seed fast-check printed for a failure.
 */
import fc from 'fast-check';

const seed = process.env['FC_SEED'] ? Number(process.env['FC_SEED']) : process.env['CI'] ? 20261124 : undefined;
if (seed !== undefined) fc.configureGlobal({ seed });
