// Fails CI when the PostgreSQL or Redis suites did not run or any test was skipped: a green run
// must mean the real-server paths were exercised.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tests = report.testResults.flatMap((file) => file.assertionResults);
const postgres = tests.filter((t) => / on postgres\b/.test(t.fullName));
const redis = tests.filter((t) => / on redis\b/.test(t.fullName));
const skipped = tests.filter((t) => t.status !== 'passed' && t.status !== 'failed');
console.log(`tests: ${tests.length}, on postgres: ${postgres.length}, on redis: ${redis.length}, skipped: ${skipped.length}`);
if (postgres.length === 0 || postgres.some((t) => t.status !== 'passed')) {
  console.error('PostgreSQL suites did not all run and pass');
  process.exit(1);
}
if (redis.length === 0 || redis.some((t) => t.status !== 'passed')) {
  console.error('Redis suites did not all run and pass');
  process.exit(1);
}
if (skipped.length > 0) {
  console.error(`Skipped tests: ${skipped.map((t) => t.fullName).join('; ')}`);
  process.exit(1);
}
