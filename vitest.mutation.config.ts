// The unit tests Stryker runs against each mutant of the flow core and the Graph planner (npm run mutation): the
// pure parts, so one run takes seconds. Not part of `npm test`; its score is reported, not gated.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/flow/**/*.test.ts', 'test/unit/graph/**/*.test.ts'],
    environment: 'node',
  },
});
