import { Subject } from 'rxjs';
import { run, bench, summary, do_not_optimize } from 'mitata';
import { Signal } from '../lib';
const sender = {};
for (const n of [0, 1, 10]) {
  const s = new Signal<{ n: number }>('q' + n);
  const sub = new Subject<{ n: number }>();
  let acc = 0;
  for (let i = 0; i < n; i++) { s.connect((e) => { acc += e.n; }); sub.subscribe((e) => { acc += e.n; }); }
  summary(() => {
    bench(`signal.send ${n}`, () => do_not_optimize(s.send(sender, { n: 1 })));
    bench(`subject.next ${n}`, () => sub.next({ n: 1 }));
  });
}
const s = new Signal<{ n: number }, object>('bysender');
const senders = Array.from({ length: 1000 }, () => ({}));
let acc = 0;
for (const x of senders) s.connect(() => { acc++; }, { sender: x });
bench('1000 bound, send from one', () => do_not_optimize(s.send(senders[500], { n: 1 })));
run();
