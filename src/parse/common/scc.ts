/** Strongly connected components, iteratively (Tarjan with an explicit stack: no recursion). */

/**
 * The components of the graph 0..n-1, in Tarjan's order: a component comes after every
 * component it reaches (sinks first). Roots are tried in index order and successors in the
 * order `succ` returns them; `succ` is called once per vertex.
 */
export function stronglyConnected(n: number, succ: (v: number) => readonly number[]): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const sccs: number[][] = [];
  let counter = 0;
  const work: Array<{ v: number; next: readonly number[]; i: number }> = [];
  const visit = (v: number): void => {
    index[v] = counter;
    low[v] = counter;
    counter++;
    stack.push(v);
    onStack[v] = 1;
    work.push({ v, next: succ(v), i: 0 });
  };
  for (let root = 0; root < n; root++) {
    if (index[root]! >= 0) continue;
    visit(root);
    while (work.length > 0) {
      const f = work[work.length - 1]!;
      if (f.i < f.next.length) {
        const w = f.next[f.i++]!;
        if (index[w]! < 0) visit(w);
        else if (onStack[w]) low[f.v] = Math.min(low[f.v]!, index[w]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v]!, low[f.v]!);
      if (low[f.v] === index[f.v]) {
        const comp: number[] = [];
        for (;;) {
          const x = stack.pop()!;
          onStack[x] = 0;
          comp.push(x);
          if (x === f.v) break;
        }
        sccs.push(comp);
      }
    }
  }
  return sccs;
}
