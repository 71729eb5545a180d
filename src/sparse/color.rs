//! Column colouring of a sparsity pattern (Curtis, Powell and Reid's compression).
//!
//! Two columns may share a colour when no row holds both, i.e. a colouring of the
//! column intersection graph (distance-2 colouring of the bipartite row/column graph).
//! Greedy first-fit colouring is run in several vertex orders: natural, largest-first
//! (Welsh-Powell), smallest-last (Matula-Beck) and incidence-degree (Coleman-More), and
//! DSATUR (Brelaz), which alone reaches the optimum 5 on a 5-point stencil of 10 x 10
//! or more (the static orders give 7); the best result is then improved by iterated
//! greedy (Culberson): recolouring the vertices class by class never needs more
//! colours, and often fewer. Last, a tabu search (TabuCol) looks for a colouring with
//! one colour fewer, again and again, within a fixed budget of work (brusselator: 9
//! colours after greedy, 8 after tabu). The search stops early at the lower bound,
//! the most nonzeros in a row (those columns are pairwise adjacent).

/// A column colouring: `colors[j]` in `0..count`.
#[derive(Clone, Debug)]
pub(crate) struct Coloring {
    pub colors: Vec<usize>,
    pub count: usize,
}

/// The column intersection graph as adjacency lists (CSR), without self loops.
struct Graph {
    ptr: Vec<usize>,
    adj: Vec<usize>,
}

impl Graph {
    fn build(m: usize, row_ptr: &[usize], col_idx: &[usize]) -> Graph {
        // Columns to rows (CSC).
        let mut col_ptr = vec![0usize; m + 1];
        for &j in col_idx {
            col_ptr[j + 1] += 1;
        }
        for j in 0..m {
            col_ptr[j + 1] += col_ptr[j];
        }
        let mut rows = vec![0usize; col_idx.len()];
        let mut next = col_ptr.clone();
        for i in 0..row_ptr.len() - 1 {
            for &j in &col_idx[row_ptr[i]..row_ptr[i + 1]] {
                rows[next[j]] = i;
                next[j] += 1;
            }
        }
        let mut stamp = vec![usize::MAX; m];
        let mut ptr = Vec::with_capacity(m + 1);
        ptr.push(0);
        let mut adj = Vec::new();
        for j in 0..m {
            stamp[j] = j;
            for &i in &rows[col_ptr[j]..col_ptr[j + 1]] {
                for &k in &col_idx[row_ptr[i]..row_ptr[i + 1]] {
                    if stamp[k] != j {
                        stamp[k] = j;
                        adj.push(k);
                    }
                }
            }
            ptr.push(adj.len());
        }
        Graph { ptr, adj }
    }

    fn len(&self) -> usize {
        self.ptr.len() - 1
    }

    fn neighbours(&self, v: usize) -> &[usize] {
        &self.adj[self.ptr[v]..self.ptr[v + 1]]
    }

    fn degree(&self, v: usize) -> usize {
        self.ptr[v + 1] - self.ptr[v]
    }

    /// First-fit colouring in `order`.
    fn greedy(&self, order: &[usize]) -> Coloring {
        let m = self.len();
        let mut colors = vec![usize::MAX; m];
        // forbidden[c] == v: colour c is taken by a neighbour of v.
        let mut forbidden = vec![usize::MAX; m + 1];
        let mut count = 0;
        for &v in order {
            for &u in self.neighbours(v) {
                if colors[u] != usize::MAX {
                    forbidden[colors[u]] = v;
                }
            }
            let c = (0..).find(|&c| forbidden[c] != v).unwrap_or(0);
            colors[v] = c;
            count = count.max(c + 1);
        }
        Coloring { colors, count }
    }

    /// Largest degree first, ties by index.
    fn largest_first(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by_key(|&v| core::cmp::Reverse(self.degree(v)));
        order
    }

    /// Smallest-last: repeatedly remove a vertex of least remaining degree; colour in
    /// the reverse order of removal.
    fn smallest_last(&self) -> Vec<usize> {
        let m = self.len();
        let mut degree: Vec<usize> = (0..m).map(|v| self.degree(v)).collect();
        let max = degree.iter().copied().max().unwrap_or(0);
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); max + 1];
        for v in (0..m).rev() {
            buckets[degree[v]].push(v);
        }
        let mut removed = vec![false; m];
        let mut order = Vec::with_capacity(m);
        let mut low = 0;
        while order.len() < m {
            // Entries may be stale (the vertex moved to a lower bucket or was removed).
            let Some(v) = buckets[low].pop() else {
                low += 1;
                continue;
            };
            if removed[v] || degree[v] != low {
                continue;
            }
            removed[v] = true;
            order.push(v);
            for &u in self.neighbours(v) {
                if !removed[u] {
                    degree[u] -= 1;
                    buckets[degree[u]].push(u);
                }
            }
            low = low.saturating_sub(1);
        }
        order.reverse();
        order
    }

    /// Incidence degree: next the vertex with the most already-ordered neighbours
    /// (ties: larger degree, then smaller index).
    fn incidence_degree(&self) -> Vec<usize> {
        let m = self.len();
        let mut incidence = vec![0usize; m];
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); m + 1];
        // Within a bucket pop takes the last: push by increasing degree so the largest
        // degree comes out first.
        let mut by_degree: Vec<usize> = (0..m).collect();
        by_degree.sort_by_key(|&v| (self.degree(v), core::cmp::Reverse(v)));
        buckets[0].extend(by_degree);
        let mut done = vec![false; m];
        let mut order = Vec::with_capacity(m);
        let mut high = 0;
        while order.len() < m {
            let Some(v) = buckets[high].pop() else {
                if high == 0 {
                    break;
                }
                high -= 1;
                continue;
            };
            if done[v] || incidence[v] != high {
                continue;
            }
            done[v] = true;
            order.push(v);
            for &u in self.neighbours(v) {
                if !done[u] {
                    incidence[u] += 1;
                    buckets[incidence[u]].push(u);
                    high = high.max(incidence[u]);
                }
            }
        }
        order
    }

    /// DSATUR (Brelaz): next the uncoloured vertex whose neighbours use the most
    /// distinct colours (ties: most uncoloured neighbours, then smaller index), given
    /// the smallest colour free at it.
    fn dsatur(&self) -> Coloring {
        use std::collections::BinaryHeap;
        let m = self.len();
        let mut colors = vec![usize::MAX; m];
        let mut saturation = vec![0usize; m];
        // Bit c of seen[v]: a neighbour of v has colour c.
        let mut seen: Vec<Vec<u64>> = vec![Vec::new(); m];
        let mut open: Vec<usize> = (0..m).map(|v| self.degree(v)).collect();
        let mut heap: BinaryHeap<(usize, usize, core::cmp::Reverse<usize>)> = (0..m)
            .map(|v| (0, open[v], core::cmp::Reverse(v)))
            .collect();
        let mut count = 0;
        while let Some((s, d, core::cmp::Reverse(v))) = heap.pop() {
            // Entries go stale when v is coloured or its keys change; a fresh one was
            // pushed then.
            if colors[v] != usize::MAX || s != saturation[v] || d != open[v] {
                continue;
            }
            let words = &seen[v];
            let c = (0..)
                .find(|&c| {
                    words
                        .get(c / 64)
                        .is_none_or(|w| w & (1u64 << (c % 64)) == 0)
                })
                .unwrap_or(0);
            colors[v] = c;
            count = count.max(c + 1);
            for &u in self.neighbours(v) {
                if colors[u] == usize::MAX {
                    open[u] -= 1;
                    let bits = &mut seen[u];
                    if bits.len() <= c / 64 {
                        bits.resize(c / 64 + 1, 0);
                    }
                    if bits[c / 64] & (1u64 << (c % 64)) == 0 {
                        bits[c / 64] |= 1u64 << (c % 64);
                        saturation[u] += 1;
                    }
                    heap.push((saturation[u], open[u], core::cmp::Reverse(u)));
                }
            }
        }
        Coloring { colors, count }
    }

    /// Tabu search for a proper colouring with `k` colours (TabuCol, Hertz and de
    /// Werra, with the conflict-dependent tabu tenure of Galinier and Hao), starting
    /// from `start` with its colours `>= k` moved to the least conflicting colour below
    /// `k`. A move recolours one vertex that shares its colour with a neighbour; the
    /// best move by change in conflicting edges is taken unless it undoes a recent one
    /// (unless it beats the best state so far). Deterministic: ties are broken by a
    /// fixed-seed generator. `None` when the `work` budget (candidate moves examined,
    /// decreased as they are) ran out first.
    fn tabu(&self, start: &[usize], k: usize, work: &mut usize) -> Option<Vec<usize>> {
        let m = self.len();
        let mut colors = start.to_vec();
        // gamma[v * k + c]: neighbours of v with colour c (c < k).
        let mut gamma = vec![0u32; m * k];
        for v in 0..m {
            if colors[v] >= k {
                // Colour it later, once the others are counted.
                continue;
            }
            for &u in self.neighbours(v) {
                gamma[u * k + colors[v]] += 1;
            }
        }
        for v in 0..m {
            if colors[v] >= k {
                let row = &gamma[v * k..(v + 1) * k];
                let c = (0..k).min_by_key(|&c| row[c]).unwrap_or(0);
                colors[v] = c;
                for &u in self.neighbours(v) {
                    gamma[u * k + c] += 1;
                }
            }
        }
        // The vertices in conflict, with their positions in that list.
        let mut conflicted: Vec<usize> = Vec::new();
        let mut position = vec![usize::MAX; m];
        let mut conflicts: usize = 0;
        for v in 0..m {
            let g = gamma[v * k + colors[v]] as usize;
            conflicts += g;
            if g > 0 {
                position[v] = conflicted.len();
                conflicted.push(v);
            }
        }
        conflicts /= 2;
        let mut best_conflicts = conflicts;
        let mut tabu_until = vec![0usize; m * k];
        let mut state = 0x5EED_C01Du64;
        let mut random = move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        for iteration in 1.. {
            if conflicts == 0 {
                return Some(colors);
            }
            let scan = conflicted.len() * k;
            if scan > *work {
                return None;
            }
            *work -= scan;
            // The best move (v, c): least delta, ties uniformly at random.
            let (mut best, mut best_delta, mut ties) = (None, i64::MAX, 0u64);
            for &v in &conflicted {
                let row = &gamma[v * k..(v + 1) * k];
                let own = row[colors[v]] as i64;
                for c in 0..k {
                    if c == colors[v] {
                        continue;
                    }
                    let delta = row[c] as i64 - own;
                    let allowed = tabu_until[v * k + c] < iteration
                        || (conflicts as i64 + delta) < best_conflicts as i64;
                    if !allowed || delta > best_delta {
                        continue;
                    }
                    if delta < best_delta {
                        (best, best_delta, ties) = (Some((v, c)), delta, 1);
                    } else {
                        ties += 1;
                        if random() % ties == 0 {
                            best = Some((v, c));
                        }
                    }
                }
            }
            let Some((v, c)) = best else {
                // Every move tabu: wait for the tenures to run out.
                continue;
            };
            let old = colors[v];
            colors[v] = c;
            conflicts = (conflicts as i64 + best_delta) as usize;
            best_conflicts = best_conflicts.min(conflicts);
            let tenure = (random() % 10) as usize + (6 * conflicted.len()).div_ceil(10);
            tabu_until[v * k + old] = iteration + tenure;
            // Update the counts and the conflict list of v and its neighbours.
            let mut touch = |w: usize, colors: &[usize], gamma: &[u32]| {
                let in_conflict = gamma[w * k + colors[w]] > 0;
                match (in_conflict, position[w] != usize::MAX) {
                    (true, false) => {
                        position[w] = conflicted.len();
                        conflicted.push(w);
                    }
                    (false, true) => {
                        let at = position[w];
                        let moved = *conflicted.last().expect("w is listed");
                        conflicted.swap_remove(at);
                        if moved != w {
                            position[moved] = at;
                        }
                        position[w] = usize::MAX;
                    }
                    _ => {}
                }
            };
            for &u in self.neighbours(v) {
                gamma[u * k + old] -= 1;
                gamma[u * k + c] += 1;
            }
            touch(v, &colors, &gamma);
            for &u in self.neighbours(v) {
                touch(u, &colors, &gamma);
            }
        }
        unreachable!("the loop returns")
    }

    /// Orders the vertices class by class (classes in `class_order`), for iterated
    /// greedy.
    fn by_classes(&self, coloring: &Coloring, class_order: &[usize]) -> Vec<usize> {
        let mut start = vec![0usize; coloring.count + 1];
        for &c in &coloring.colors {
            start[c + 1] += 1;
        }
        for c in 0..coloring.count {
            start[c + 1] += start[c];
        }
        let mut members = vec![0usize; self.len()];
        let mut next = start.clone();
        for (v, &c) in coloring.colors.iter().enumerate() {
            members[next[c]] = v;
            next[c] += 1;
        }
        class_order
            .iter()
            .flat_map(|&c| members[start[c]..start[c + 1]].iter().copied())
            .collect()
    }
}

/// Rounds of iterated greedy after the best ordering.
const ITERATED_ROUNDS: usize = 24;
/// The tabu search's budget: candidate moves examined in all, this many plus
/// `TABU_WORK_PER_EDGE` per edge of the column graph. On brusselator's graph that is
/// about 0.2 ms: going from greedy's 9 colours to 8 took 31 moves, the rest of the
/// budget goes to not finding 7.
const TABU_WORK: usize = 40_000;
const TABU_WORK_PER_EDGE: usize = 10;

/// A column colouring of the pattern (m columns, CSR rows) with as few colours as the
/// heuristics find, and the lower bound max_i nnz(row i).
pub(crate) fn color_columns(m: usize, row_ptr: &[usize], col_idx: &[usize]) -> (Coloring, usize) {
    let lower = row_ptr.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    if col_idx.is_empty() {
        // No entries: nothing to compute, no colour needed.
        return (
            Coloring {
                colors: vec![0; m],
                count: 0,
            },
            lower,
        );
    }
    let graph = Graph::build(m, row_ptr, col_idx);
    let natural: Vec<usize> = (0..m).collect();
    let mut best = graph.greedy(&natural);
    let lower_bound = lower.max(1);
    for order in [
        graph.smallest_last(),
        graph.incidence_degree(),
        graph.largest_first(),
    ] {
        if best.count <= lower_bound {
            break;
        }
        let coloring = graph.greedy(&order);
        if coloring.count < best.count {
            best = coloring;
        }
    }
    if best.count > lower_bound {
        let coloring = graph.dsatur();
        if coloring.count < best.count {
            best = coloring;
        }
    }
    // Iterated greedy: classes in reverse order, then largest class first, then
    // smallest first, round by round; keeps any colouring with fewer colours.
    let mut current = best.clone();
    for round in 0..ITERATED_ROUNDS {
        if best.count <= lower_bound {
            break;
        }
        let mut classes: Vec<usize> = (0..current.count).collect();
        let mut sizes = vec![0usize; current.count];
        for &c in &current.colors {
            sizes[c] += 1;
        }
        match round % 3 {
            0 => classes.reverse(),
            1 => classes.sort_by_key(|&c| (core::cmp::Reverse(sizes[c]), c)),
            _ => classes.sort_by_key(|&c| (sizes[c], c)),
        }
        let order = graph.by_classes(&current, &classes);
        current = graph.greedy(&order);
        if current.count < best.count {
            best = current.clone();
        }
    }
    // Tabu search for one colour fewer, while it succeeds within its budget.
    let mut work = TABU_WORK + TABU_WORK_PER_EDGE * graph.adj.len();
    while best.count > lower_bound {
        let k = best.count - 1;
        match graph.tabu(&best.colors, k, &mut work) {
            Some(colors) => best = Coloring { colors, count: k },
            None => break,
        }
    }
    (best, lower)
}
