//! Stable sorting through one shared sort of indices: the engine's and the app's sorts.
//!
//! The standard library's stable sort (`slice::sort_by`, `sort_by_key`, `sort`) is compiled
//! again for each element type and each comparison closure it is called with, some 4 KB of
//! wasm every time; thirty such copies were the largest family of repeated code in the bundle.
//! These functions sort a list of indices instead, once, with the comparison behind a `dyn`
//! reference, then move the elements into that order. The result is the standard stable
//! sort's: elements that compare equal keep their order. Only `permute` is generic, and it is
//! small.

use std::cmp::Ordering;

/// Sorts `items` by `cmp`, stably, as `slice::sort_by` does.
pub fn sort_by<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &|a, b| cmp(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` by the key `key` gives, stably, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their order, stably, as `slice::sort` does.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The indices `0..len` in the order `cmp` (which compares the elements at two indices) puts
/// them, equal ones in index order. The one compiled copy of the stable sort.
#[inline(never)]
fn stable_order(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Rearranges `items` so that position `i` holds what was at `order[i]` (`order` is a
/// permutation of `0..items.len()`), one cycle at a time.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = std::mem::replace(&mut order[at], DONE);
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), for lists with many equal keys.
    fn numbers(seed: u64, n: usize, modulo: u64) -> Vec<u64> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % modulo
            })
            .collect()
    }

    #[test]
    fn same_order_as_the_standard_stable_sort() {
        for (seed, n, modulo) in [(1, 0, 1), (2, 1, 5), (3, 7, 3), (4, 100, 10), (5, 1000, 50)] {
            // (key, original position): equal keys must keep their positions' order.
            let list: Vec<(u64, usize)> = numbers(seed, n, modulo)
                .into_iter()
                .enumerate()
                .map(|(i, k)| (k, i))
                .collect();
            let mut ours = list.clone();
            let mut std_sorted = list.clone();
            sort_by_key(&mut ours, |p| p.0);
            std_sorted.sort_by_key(|p| p.0);
            assert_eq!(ours, std_sorted, "seed {seed}");

            let mut ours = list.clone();
            let mut std_sorted = list.clone();
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            std_sorted.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(ours, std_sorted, "seed {seed}, reversed");

            let mut ours = list.clone();
            let mut std_sorted = list;
            sort(&mut ours);
            std_sorted.sort();
            assert_eq!(ours, std_sorted, "seed {seed}, whole");
        }
    }

    #[test]
    fn moves_owned_values() {
        let mut words: Vec<String> = ["pear", "fig", "apple", "fig", "kiwi"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sort(&mut words);
        assert_eq!(words, ["apple", "fig", "fig", "kiwi", "pear"]);
        sort_by_key(&mut words, |w| std::cmp::Reverse(w.len()));
        assert_eq!(words, ["apple", "kiwi", "pear", "fig", "fig"]);
    }
}
