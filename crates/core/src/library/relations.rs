//! The relations between notices, each shown both ways although the feed
//! states it once (`_gov.relations`, docs/feed-format.md): a 解读 names its
//! original, and the original's article lists the 解读; a notice that
//! repeals another is named on the repealed one, prominently.

use crate::feed::{Item, RelationType};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

/// What another notice is to the one whose article shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelationRole {
    /// The other notice repeals this one: 本文件已被《…》废止.
    RepealedBy,
    /// The other notice amends this one: 本文件已被《…》修订.
    AmendedBy,
    /// This notice is a 解读 of the other: 原文.
    Original,
    /// The other notice is a 解读 of this one: 政策解读.
    Interpretation,
    /// This notice repeals the other: 废止《…》.
    Repeals,
    /// This notice amends the other: 修订《…》.
    Amends,
    /// 相关文件, either way.
    Related,
}

impl RelationRole {
    /// Every role, in the order an article shows them.
    pub const ALL: [RelationRole; 7] = [
        RelationRole::RepealedBy,
        RelationRole::AmendedBy,
        RelationRole::Original,
        RelationRole::Interpretation,
        RelationRole::Repeals,
        RelationRole::Amends,
        RelationRole::Related,
    ];

    /// The value written in article files.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationRole::RepealedBy => "repealed_by",
            RelationRole::AmendedBy => "amended_by",
            RelationRole::Original => "original",
            RelationRole::Interpretation => "interpretation",
            RelationRole::Repeals => "repeals",
            RelationRole::Amends => "amends",
            RelationRole::Related => "related",
        }
    }

    /// The roles a relation gives its two notices: (the stating one's view
    /// of the other, the other's view of the stating one).
    pub fn pair(kind: RelationType) -> (RelationRole, RelationRole) {
        match kind {
            RelationType::Interprets => (RelationRole::Original, RelationRole::Interpretation),
            RelationType::Amends => (RelationRole::Amends, RelationRole::AmendedBy),
            RelationType::Repeals => (RelationRole::Repeals, RelationRole::RepealedBy),
            RelationType::Related => (RelationRole::Related, RelationRole::Related),
        }
    }

    /// Whether the article says it in a prominent note above the body
    /// (this notice no longer applies as published).
    pub fn is_notice(self) -> bool {
        matches!(self, RelationRole::RepealedBy | RelationRole::AmendedBy)
    }
}

/// Error for an unknown role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown relation role {0:?}")]
pub struct UnknownRole(pub String);

impl FromStr for RelationRole {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RelationRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

impl fmt::Display for RelationRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RelationRole {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RelationRole {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Another notice as an article's 相关文件 shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedDoc {
    /// What it is to the article's notice.
    pub role: RelationRole,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// Every notice's relations seen from it, by position in `items`: each
/// relation stated in the feed appears on both notices (with the roles of
/// [`RelationRole::pair`]), once however often it is stated (`related`
/// stated on both sides is one link). A relation to an id the feed does
/// not have is left out (`gongkai check` refuses it). Each list is in
/// [`RelationRole::ALL`] order, then in the order of `rank` (the bundle's
/// order: newest first), so the result never depends on the feed's order.
pub fn closure(items: &[Item], rank: &[usize]) -> Vec<Vec<(RelationRole, usize)>> {
    let by_id: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    let mut out: Vec<Vec<(RelationRole, usize)>> = vec![Vec::new(); items.len()];
    for (i, item) in items.iter().enumerate() {
        for r in &item.gov.relations {
            let Some(&j) = by_id.get(r.id.as_str()) else {
                continue;
            };
            if i == j {
                continue;
            }
            let (here, there) = RelationRole::pair(r.kind);
            out[i].push((here, j));
            out[j].push((there, i));
        }
    }
    for links in &mut out {
        links.sort_by_key(|&(role, j)| (role, rank[j]));
        links.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::Relation;

    fn items(spec: &[(&str, &[(RelationType, &str)])]) -> Vec<Item> {
        spec.iter()
            .map(|(id, rels)| {
                let mut item: Item = serde_json::from_value(serde_json::json!({
                    "id": id, "title": format!("《{id}》"), "date_published": "2023-01-01T00:00:00Z",
                    "_gov": {"index_no": "a/2023-00001", "publisher": "p", "category": "c"}
                }))
                .unwrap();
                item.gov.relations = rels
                    .iter()
                    .map(|(kind, id)| Relation {
                        kind: *kind,
                        id: (*id).to_owned(),
                    })
                    .collect();
                item
            })
            .collect()
    }

    fn ids(items: &[Item], links: &[(RelationRole, usize)]) -> Vec<(RelationRole, String)> {
        links
            .iter()
            .map(|&(r, j)| (r, items[j].id.clone()))
            .collect()
    }

    #[test]
    fn every_relation_shows_on_both_notices() {
        use RelationRole::*;
        use RelationType as T;
        let items = items(&[
            ("banfa", &[(T::Repeals, "old"), (T::Related, "tongzhi")]),
            ("jiedu", &[(T::Interprets, "banfa")]),
            ("old", &[]),
            ("tongzhi", &[(T::Related, "banfa")]),
            ("xiuding", &[(T::Amends, "banfa"), (T::Related, "missing")]),
        ]);
        let rank = [0, 1, 2, 3, 4];
        let c = closure(&items, &rank);
        assert_eq!(
            ids(&items, &c[0]),
            [
                (AmendedBy, "xiuding".into()),
                (Interpretation, "jiedu".into()),
                (Repeals, "old".into()),
                (Related, "tongzhi".into()),
            ]
        );
        assert_eq!(ids(&items, &c[1]), [(Original, "banfa".into())]);
        assert_eq!(ids(&items, &c[2]), [(RepealedBy, "banfa".into())]);
        // Stated on both sides: one link each way.
        assert_eq!(ids(&items, &c[3]), [(Related, "banfa".into())]);
        assert_eq!(ids(&items, &c[4]), [(Amends, "banfa".into())]);
    }

    #[test]
    fn order_follows_the_bundle_not_the_feed() {
        use RelationType as T;
        let items = items(&[
            ("a", &[(T::Related, "b"), (T::Related, "c")]),
            ("b", &[]),
            ("c", &[]),
        ]);
        let c = closure(&items, &[0, 2, 1]);
        assert_eq!(c[0].iter().map(|l| l.1).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn roles_round_trip() {
        for r in RelationRole::ALL {
            assert_eq!(r.as_str().parse::<RelationRole>(), Ok(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{r}\""));
        }
        assert!("parent".parse::<RelationRole>().is_err());
        assert!(RelationRole::RepealedBy.is_notice() && !RelationRole::Repeals.is_notice());
    }
}
