//! What a base image already holds and what an install adds: the package sets of each base,
//! and Debian dependency closures, memoised per estimate run.

use super::{kb, BaseImage, Suite, ALPINE_322_PACKAGES};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

/// The installed package sets (Debian, Alpine) of a base image, as [`base_packages`] gives
/// them. Computed once per package spec and kept: the answer depends only on the compiled-in
/// knowledge base, so a file with a thousand `FROM python:3.12-slim` pays the Depends closure
/// once (the number of specs is bounded by the knowledge base).
pub fn base_package_sets(base: &BaseImage) -> PackageSets {
    static CACHE: OnceLock<Mutex<HashMap<String, PackageSets>>> = OnceLock::new();
    let key = base.packages.clone().unwrap_or_default();
    let cache = CACHE.get_or_init(Default::default);
    if let Some((debs, apks)) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return (Arc::clone(debs), Arc::clone(apks));
    }
    let (debs, apks) = base_packages(base);
    let sets: PackageSets = (
        Arc::new(debs.into_iter().collect()),
        Arc::new(apks.into_iter().collect()),
    );
    // Before the package tables are there (see `tables`), the answer is not kept.
    if !super::tables::ready() {
        return sets;
    }
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, (Arc::clone(&sets.0), Arc::clone(&sets.1)));
    sets
}

/// Installed Debian and Alpine package names, shared (copied on the first change).
pub type PackageSets = (Arc<BTreeSet<String>>, Arc<BTreeSet<String>>);

/// The installed package set of a base image: its list reference expanded (Debian: plus the
/// Depends closure of the added packages).
pub fn base_packages(base: &BaseImage) -> (Vec<String>, Vec<String>) {
    let kb = kb();
    let mut debs = Vec::new();
    let mut apks = Vec::new();
    let Some(spec) = base.packages.as_deref() else {
        return (debs, apks);
    };
    let (list, extra) = match spec.split_once('+') {
        Some((l, e)) => (l, Some(e)),
        None => (spec, None),
    };
    let suite = list
        .strip_prefix("@debian-")
        .and_then(|l| l.strip_suffix("-slim"))
        .and_then(Suite::from_codename);
    if let Some(suite) = suite {
        debs.extend(kb.debian_slim_packages(suite).iter().cloned());
        if let Some(extra) = extra {
            let mut installed: std::collections::BTreeSet<String> = debs.iter().cloned().collect();
            let wanted: Vec<String> = extra.split_whitespace().map(str::to_string).collect();
            let (new, _) = deb_closure_in(suite, &wanted, false, &installed);
            installed.extend(new);
            debs = installed.into_iter().collect();
        }
    } else if list == "@alpine-3.22" {
        apks.extend(ALPINE_322_PACKAGES.iter().map(|s| s.to_string()));
    }
    (debs, apks)
}

/// [`deb_closure_in`] answers remembered for one estimate run, keyed by the installed set's
/// address: every set used as a key is kept alive here, so its contents can no longer change
/// (`Arc::make_mut` copies a shared set) and the address cannot be reused. A thousand stages
/// installing the same packages on the same base pay the closure once.
#[derive(Default)]
pub struct ClosureMemo {
    answers: RefCell<HashMap<ClosureKey, Closure>>,
    keep: RefCell<Vec<Arc<BTreeSet<String>>>>,
}

type ClosureKey = (usize, Vec<String>, bool, Suite);

/// A [`deb_closure_in`] answer: (new packages in install order, names not in the index).
pub type Closure = Rc<(Vec<String>, Vec<String>)>;

impl ClosureMemo {
    /// [`deb_closure_in`], remembered.
    pub fn deb_closure_in(
        &self,
        suite: Suite,
        wanted: &[String],
        recommends: bool,
        installed: &Arc<BTreeSet<String>>,
    ) -> Closure {
        let key = (
            Arc::as_ptr(installed) as usize,
            wanted.to_vec(),
            recommends,
            suite,
        );
        if let Some(hit) = self.answers.borrow().get(&key) {
            return Rc::clone(hit);
        }
        let answer = Rc::new(deb_closure_in(suite, wanted, recommends, installed));
        self.keep.borrow_mut().push(Arc::clone(installed));
        self.answers.borrow_mut().insert(key, Rc::clone(&answer));
        answer
    }
}

/// The packages apt would newly install for `wanted` given `installed`: Depends and Pre-Depends
/// (and Recommends when `recommends`), first alternative unless one is already installed.
/// Returns (new packages in install order, names not in the index).
pub fn deb_closure_in(
    suite: Suite,
    wanted: &[String],
    recommends: bool,
    installed: &std::collections::BTreeSet<String>,
) -> (Vec<String>, Vec<String>) {
    let index = kb().debian_index(suite);
    // Installed or newly added (the installed set is not copied: it can be large).
    let mut added: std::collections::HashSet<String> = std::collections::HashSet::new();
    let seen = |added: &std::collections::HashSet<String>, n: &str| {
        installed.contains(n) || added.contains(n)
    };
    let mut new = Vec::new();
    let mut missing = Vec::new();
    let mut queue: std::collections::VecDeque<String> = wanted.iter().cloned().collect();
    while let Some(name) = queue.pop_front() {
        if seen(&added, &name) {
            continue;
        }
        let Some(pkg) = index.get(&name) else {
            if !missing.contains(&name) {
                missing.push(name);
            }
            continue;
        };
        added.insert(name.clone());
        new.push(name);
        let groups = pkg.depends.iter().chain(if recommends {
            pkg.recommends.iter()
        } else {
            [].iter()
        });
        for group in groups {
            if group.iter().any(|alt| seen(&added, alt)) {
                continue;
            }
            if let Some(first) = group
                .iter()
                .find(|alt| index.contains_key(*alt))
                .or(group.first())
            {
                queue.push_back(first.clone());
            }
        }
    }
    (new, missing)
}
