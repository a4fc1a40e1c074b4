/**
 * The micro cases of an app of many payload shapes, in a process of their own: plays the app
 * (`sendManyShapes`), then measures `manyShapesCases()` as the main micro run measures its cases.
 *
 * Messages out: { log } lines, then { figures }. Started by ./shapes.ts with: <JSON plan>.
 */
import type { BenchPlan } from '../options';
import { manyShapesCases, sendManyShapes } from './shapes';
import { measureCases } from './suite';

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]) as BenchPlan;
  const cases = manyShapesCases();
  sendManyShapes();
  const figures = await measureCases(cases, plan, (line) =>
    process.send!({ log: line.replace('micro:', 'micro, many shapes:') }),
  );
  process.send!({ figures }, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
