// undefined. To modify, edit projenrc/vitest.ts and run "npx projen".
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    update: false,
  },
});