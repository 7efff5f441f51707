//! 行政区划层级: the region tree assessment walks — parents, children, levels — indexed by a
//! dense `u32` so the value table and the target index can be plain arrays.

use std::collections::HashMap;

use minsheng_model::RegionLevel;

use crate::AssessError;

/// One region as the caller knows it. Build from a `(code, parent, level)` tuple, or fill in the
/// name and the county kind (`district`, `city`, `county`, `other`) when they are at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionInput {
    /// The 6-digit GB/T 2260 code.
    pub code: String,
    /// The parent's code; `None` for a province.
    pub parent: Option<String>,
    pub level: RegionLevel,
    /// The official name, for tables and warnings.
    pub name: Option<String>,
    /// What a county-level division is (`district`, `city`, `county`, `other`), if known.
    pub kind: Option<String>,
}

impl From<(String, Option<String>, RegionLevel)> for RegionInput {
    fn from((code, parent, level): (String, Option<String>, RegionLevel)) -> RegionInput {
        RegionInput {
            code,
            parent,
            level,
            name: None,
            kind: None,
        }
    }
}

impl From<(&str, Option<&str>, RegionLevel)> for RegionInput {
    fn from((code, parent, level): (&str, Option<&str>, RegionLevel)) -> RegionInput {
        RegionInput {
            code: code.to_string(),
            parent: parent.map(str::to_string),
            level,
            name: None,
            kind: None,
        }
    }
}

/// The region tree. Regions are numbered `0..len()` in the order given; [`Hierarchy::order`]
/// lists them depth first (each parent before its children, siblings by code), the order
/// assessments come out in.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    codes: Vec<String>,
    names: Vec<Option<String>>,
    kinds: Vec<Option<String>>,
    levels: Vec<RegionLevel>,
    parents: Vec<Option<u32>>,
    children: Vec<Vec<u32>>,
    index: HashMap<String, u32>,
    /// Depth-first order, parents first.
    order: Vec<u32>,
    /// Position of each region in `order`; its subtree is `order[pos..end]`.
    pos: Vec<u32>,
    end: Vec<u32>,
}

impl Hierarchy {
    /// Builds the tree from regions in any order. Errors on a duplicate code, a parent that is
    /// not listed, or parent links that form a cycle.
    pub fn new<I, R>(regions: I) -> Result<Hierarchy, AssessError>
    where
        I: IntoIterator<Item = R>,
        R: Into<RegionInput>,
    {
        let rows: Vec<RegionInput> = regions.into_iter().map(Into::into).collect();
        let mut index = HashMap::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            if index.insert(r.code.clone(), i as u32).is_some() {
                return Err(AssessError::DuplicateRegion(r.code.clone()));
            }
        }
        let mut parents = Vec::with_capacity(rows.len());
        for r in &rows {
            let p = match &r.parent {
                Some(p) if !p.is_empty() => {
                    Some(*index.get(p).ok_or_else(|| AssessError::UnknownParent {
                        region: r.code.clone(),
                        parent: p.clone(),
                    })?)
                }
                _ => None,
            };
            parents.push(p);
        }
        let n = rows.len();
        let mut children = vec![Vec::new(); n];
        for (i, p) in parents.iter().enumerate() {
            if let Some(p) = p {
                children[*p as usize].push(i as u32);
            }
        }
        for c in &mut children {
            c.sort_by(|a, b| rows[*a as usize].code.cmp(&rows[*b as usize].code));
        }
        let mut roots: Vec<u32> = (0..n as u32)
            .filter(|i| parents[*i as usize].is_none())
            .collect();
        roots.sort_by(|a, b| rows[*a as usize].code.cmp(&rows[*b as usize].code));
        let mut order = Vec::with_capacity(n);
        let mut pos = vec![u32::MAX; n];
        let mut end = vec![0u32; n];
        // Iterative depth-first walk: (region, next child to visit).
        let mut stack: Vec<(u32, usize)> = Vec::new();
        for r in roots {
            pos[r as usize] = order.len() as u32;
            order.push(r);
            stack.push((r, 0));
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                if let Some(&child) = children[node as usize].get(*next) {
                    *next += 1;
                    pos[child as usize] = order.len() as u32;
                    order.push(child);
                    stack.push((child, 0));
                } else {
                    end[node as usize] = order.len() as u32;
                    stack.pop();
                }
            }
        }
        if order.len() < n {
            // Regions never reached from a root sit on a cycle (or hang below one).
            let stuck = (0..n).find(|i| pos[*i] == u32::MAX).unwrap_or(0);
            return Err(AssessError::Cycle(rows[stuck].code.clone()));
        }
        let mut codes = Vec::with_capacity(n);
        let mut names = Vec::with_capacity(n);
        let mut kinds = Vec::with_capacity(n);
        let mut levels = Vec::with_capacity(n);
        for r in rows {
            codes.push(r.code);
            names.push(r.name);
            kinds.push(r.kind);
            levels.push(r.level);
        }
        Ok(Hierarchy {
            codes,
            names,
            kinds,
            levels,
            parents,
            children,
            index,
            order,
            pos,
            end,
        })
    }

    /// Number of regions.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The dense index of a code.
    pub fn index_of(&self, code: &str) -> Option<u32> {
        self.index.get(code).copied()
    }

    /// The dense index of a code, or [`AssessError::UnknownRegion`].
    pub fn require(&self, code: &str) -> Result<u32, AssessError> {
        self.index_of(code)
            .ok_or_else(|| AssessError::UnknownRegion(code.to_string()))
    }

    pub fn code(&self, region: u32) -> &str {
        &self.codes[region as usize]
    }

    pub fn name(&self, region: u32) -> Option<&str> {
        self.names[region as usize].as_deref()
    }

    /// The county kind given for the region, if any.
    pub fn kind(&self, region: u32) -> Option<&str> {
        self.kinds[region as usize].as_deref()
    }

    pub fn level(&self, region: u32) -> RegionLevel {
        self.levels[region as usize]
    }

    pub fn parent(&self, region: u32) -> Option<u32> {
        self.parents[region as usize]
    }

    /// Direct children, by code.
    pub fn children(&self, region: u32) -> &[u32] {
        &self.children[region as usize]
    }

    /// True for a region without children (a county, or a prefecture with no counties).
    pub fn is_leaf(&self, region: u32) -> bool {
        self.children[region as usize].is_empty()
    }

    /// All regions, depth first: each parent before its children, siblings by code.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// The region and everything below it, depth first.
    pub fn subtree(&self, region: u32) -> &[u32] {
        &self.order[self.pos[region as usize] as usize..self.end[region as usize] as usize]
    }

    /// True when `region` is `ancestor` or lies below it.
    pub fn is_within(&self, region: u32, ancestor: u32) -> bool {
        let p = self.pos[region as usize];
        p >= self.pos[ancestor as usize] && p < self.end[ancestor as usize]
    }

    /// The parent, the parent's parent … up to the province.
    pub fn ancestors(&self, region: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(self.parent(region), move |r| self.parent(*r))
    }

    /// The leaves (regions without children) in the region's subtree, itself if it is one.
    pub fn leaves(&self, region: u32) -> impl Iterator<Item = u32> + '_ {
        self.subtree(region)
            .iter()
            .copied()
            .filter(move |r| self.is_leaf(*r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegionLevel::*;

    #[test]
    fn builds_tree_in_any_order_and_walks_it() {
        let h = Hierarchy::new(vec![
            ("532301", Some("532300"), County),
            ("530000", None, Province),
            ("532300", Some("530000"), Prefecture),
            ("530102", Some("530100"), County),
            ("530100", Some("530000"), Prefecture),
        ])
        .unwrap();
        let codes: Vec<&str> = h.order().iter().map(|r| h.code(*r)).collect();
        assert_eq!(codes, ["530000", "530100", "530102", "532300", "532301"]);
        let chuxiong = h.index_of("532301").unwrap();
        let anc: Vec<&str> = h.ancestors(chuxiong).map(|r| h.code(r)).collect();
        assert_eq!(anc, ["532300", "530000"]);
        let yn = h.index_of("530000").unwrap();
        assert!(h.is_within(chuxiong, yn));
        assert!(!h.is_within(yn, chuxiong));
        assert_eq!(h.leaves(yn).count(), 2);
    }

    #[test]
    fn rejects_bad_links() {
        let dup = Hierarchy::new(vec![("1", None, Province), ("1", None, Province)]);
        assert!(matches!(dup, Err(AssessError::DuplicateRegion(_))));
        let orphan = Hierarchy::new(vec![("2", Some("9"), County)]);
        assert!(matches!(orphan, Err(AssessError::UnknownParent { .. })));
        let cycle = Hierarchy::new(vec![("a", Some("b"), County), ("b", Some("a"), County)]);
        assert!(matches!(cycle, Err(AssessError::Cycle(_))));
    }
}
