// npm run routes: every route of src/routes.ts with its guard, one line each (what a newcomer looks for first).
import { ROUTES } from '../src/routes';

const rows = ROUTES.map((r) => [r.method, r.path, r.guard ? r.guard.name : '-', r.summary]);
const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of [['METHOD', 'PATH', 'GUARD', 'SUMMARY'], ...rows]) {
  console.log(row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('  '));
}
