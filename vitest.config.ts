import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    projects: [
      {test: {name: 'unit', include: ['tests/*.test.ts'], testTimeout: 60_000}},
      // Books written as an attacker would: the real command, epubcheck on what it builds.
      {test: {name: 'hostile', include: ['tests/hostile/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000}},
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/setup/global.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000
        }
      }
    ]
  }
})
