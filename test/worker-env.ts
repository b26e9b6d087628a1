import { testEnv } from './test-env';

// Each test file reads its own worker's stores (the global setup's process.env names worker 1's).
Object.assign(process.env, testEnv());
