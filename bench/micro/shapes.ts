import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { Signal } from '../../lib';
import type { BenchPlan } from '../options';
import { peerCases, type MicroCase } from './cases';
import { SHAPES_PREFIX, type MicroFigure } from './figures';

/** The payload shapes, receivers and subscribers of the app {@link sendManyShapes} plays. */
const SHAPES = 12;
const SENDS_PER_SHAPE = 20_000;

/**
 * The sends to nobody and to one receiver, and `Subject.next` to one subscriber, in a process
 * that first played an app of many signals (see {@link sendManyShapes}); measured in a child
 * process, each figure's id is its peer case's id after `shapes/`.
 *
 * Why: V8 keeps one feedback record per function for the whole process, so what `send` costs
 * depends on what every other send of the app did before. The main micro cases send one payload
 * shape; an app sends many.
 *
 * @example
 * const figures = await measureInManyShapesApp(plan, console.log);
 * figures.find((figure) => figure.id === 'shapes/peer/rx-signals send/0')?.nsPerOp; // 8.0 (ns)
 */
export function measureInManyShapesApp(plan: BenchPlan, log: (line: string) => void): Promise<MicroFigure[]> {
  const child = fork(join(__dirname, 'shapes-process.js'), [JSON.stringify(plan)], {
    execArgv: ['--expose-gc'],
    serialization: 'advanced', // NaN bytes (not measured) cross as NaN
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.on('message', (message: { log?: string; figures?: MicroFigure[] }) => {
      if (message.log !== undefined) log(message.log);
      if (message.figures !== undefined) resolve(message.figures);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`the many-shapes bench process exited with ${code} before its figures`)),
    );
  });
}

/**
 * The cases measured after {@link sendManyShapes}: the same closures as the main micro run's.
 *
 * @example
 * manyShapesCases().map((microCase) => microCase.id); // ['shapes/peer/rx-signals send/0', ...]
 */
export function manyShapesCases(): MicroCase[] {
  const wanted = ['peer/rx-signals send/0', 'peer/rx-signals send/1', 'peer/Subject.next/1'];
  return [...peerCases(0), ...peerCases(1)]
    .filter((microCase) => wanted.includes(microCase.id))
    .map((microCase) => ({
      ...microCase,
      id: `${SHAPES_PREFIX}${microCase.id}`,
      label: `${microCase.label}, ${microCase.receivers} receiver${microCase.receivers === 1 ? '' : 's'}`,
    }));
}

/**
 * Plays what an app of many signals leaves in V8's feedback: args of {@link SHAPES} shapes sent
 * to signals with one receiver each (every receiver its own function) and to signals with none,
 * and the same values pushed through as many Subjects with one subscriber each.
 *
 * @example
 * sendManyShapes(); // then time the cases of manyShapesCases()
 */
export function sendManyShapes(): void {
  const sender = { name: 'many-shapes-app' };
  const plays = Array.from({ length: SHAPES }, (_, shape) => {
    const args: Record<string, number> = { common: shape };
    args[`field${shape}`] = shape;
    const listened = new Signal<Record<string, number>>(`shape${shape}`);
    listened.connect((event) => event[`field${shape}`]);
    const subject = new Subject<Record<string, number>>();
    subject.subscribe((value) => value[`field${shape}`]);
    return { args, listened, unheard: new Signal<Record<string, number>>(`unheard${shape}`), subject };
  });
  for (let send = 0; send < SENDS_PER_SHAPE; send++) {
    for (const { args, listened, unheard, subject } of plays) {
      listened.send(sender, args);
      unheard.send(sender, args);
      subject.next(args);
    }
  }
}
