//! What changed in the content, by key. Database triggers bump the content version on every
//! change and record, per key, the version it last changed at (`content_change_keys`,
//! migration `…000009`): the response cache keeps an answer while none of the keys it shows
//! changed after it was made, whoever wrote and on whichever instance. Changes the
//! triggers do not see (other articles' related lists, index rebuilds) are recorded here.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::schema::{content_change_keys, content_changes};
use crate::db::AnyConnection;

/// One thing an answer may show. The names are the ones the triggers write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKey {
    /// The article's row, tags or pictures.
    Article(i64),
    /// The article's stored related list (only its own page shows it).
    RelatedList(i64),
    /// Which articles are public in the category (`None`: uncategorised), in which
    /// publication order.
    Category(Option<i64>),
    /// The same for a tag.
    Tag(i64),
    /// Site-wide content (site, categories, tags, media, pages, issues, menus) or all
    /// articles at once: every answer may show it.
    Everything,
}

impl ChangeKey {
    pub fn name(self) -> String {
        match self {
            Self::Article(id) => format!("article:{id}"),
            Self::RelatedList(id) => format!("related:{id}"),
            Self::Category(Some(id)) => format!("category:{id}"),
            Self::Category(None) => "category:none".to_owned(),
            Self::Tag(id) => format!("tag:{id}"),
            Self::Everything => EVERYTHING.to_owned(),
        }
    }

    /// The key a name stands for; `None` for a name this build does not know (written by
    /// a newer one), which the caller must take as a change to everything.
    pub fn parse(name: &str) -> Option<Self> {
        if name == EVERYTHING {
            return Some(Self::Everything);
        }
        let (kind, id) = name.split_once(':')?;
        match (kind, id) {
            ("category", "none") => Some(Self::Category(None)),
            ("article", id) => id.parse().ok().map(Self::Article),
            ("related", id) => id.parse().ok().map(Self::RelatedList),
            ("category", id) => id.parse().ok().map(|id| Self::Category(Some(id))),
            ("tag", id) => id.parse().ok().map(Self::Tag),
            _ => None,
        }
    }
}

/// A [`ChangeKey`] in eight bytes (its kind in the top bits, its id below), the form the
/// response cache keeps keys in: an article page shows about twenty, and at 50,000 cached
/// answers the enum's 24 bytes a key came to a fifth of the cache's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PackedKey(u64);

const KIND_SHIFT: u32 = 60;

impl ChangeKey {
    /// The key packed; `None` for an id outside `0..2^60` (no row has one), which the
    /// caller must not take as "unchanged".
    pub fn pack(self) -> Option<PackedKey> {
        let (kind, id): (u64, i64) = match self {
            Self::Article(id) => (1, id),
            Self::RelatedList(id) => (2, id),
            Self::Category(Some(id)) => (3, id),
            Self::Category(None) => (4, 0),
            Self::Tag(id) => (5, id),
            Self::Everything => (6, 0),
        };
        let id = u64::try_from(id).ok().filter(|id| *id < 1 << KIND_SHIFT)?;
        Some(PackedKey(kind << KIND_SHIFT | id))
    }
}

/// The name of [`ChangeKey::Everything`].
pub const EVERYTHING: &str = "*";

/// The content version: a counter every change to the content increments. Equal versions
/// mean equal content.
pub fn version(conn: &mut AnyConnection) -> QueryResult<i64> {
    content_changes::table
        .filter(content_changes::id.eq(1))
        .select(content_changes::version)
        .first(conn)
}

/// Records a change to `keys` in the caller's transaction, as the triggers do: the version
/// is bumped first (which locks its row until the transaction ends, so versions commit in
/// order) and the keys take the bumped value.
pub fn record(conn: &mut AnyConnection, keys: &[ChangeKey]) -> QueryResult<()> {
    diesel::update(content_changes::table.filter(content_changes::id.eq(1)))
        .set(content_changes::version.eq(content_changes::version + 1))
        .execute(conn)?;
    let at = version(conn)?;
    let names: BTreeSet<String> = keys.iter().map(|key| key.name()).collect();
    for name in names {
        let row = (
            content_change_keys::name.eq(name),
            content_change_keys::version.eq(at),
        );
        // Upserts are written per backend: the two-backend connection type has none.
        match conn {
            AnyConnection::Sqlite(c) => diesel::insert_into(content_change_keys::table)
                .values(row)
                .on_conflict(content_change_keys::name)
                .do_update()
                .set(content_change_keys::version.eq(excluded(content_change_keys::version)))
                .execute(c)?,
            AnyConnection::Postgresql(c) => diesel::insert_into(content_change_keys::table)
                .values(row)
                .on_conflict(content_change_keys::name)
                .do_update()
                .set(content_change_keys::version.eq(excluded(content_change_keys::version)))
                .execute(c)?,
        };
    }
    Ok(())
}

/// The keys that changed after version `after`, oldest change first, at most `limit`.
pub fn since(conn: &mut AnyConnection, after: i64, limit: i64) -> QueryResult<Vec<(String, i64)>> {
    content_change_keys::table
        .filter(content_change_keys::version.gt(after))
        .order(content_change_keys::version.asc())
        .select((content_change_keys::name, content_change_keys::version))
        .limit(limit)
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::ChangeKey;

    #[test]
    fn every_key_name_parses_back_and_unknown_names_do_not() {
        for key in [
            ChangeKey::Article(7),
            ChangeKey::RelatedList(8),
            ChangeKey::Category(Some(9)),
            ChangeKey::Category(None),
            ChangeKey::Tag(10),
            ChangeKey::Everything,
        ] {
            assert_eq!(ChangeKey::parse(&key.name()), Some(key));
        }
        for unknown in ["article", "article:x", "menu:3", "", "tag:"] {
            assert_eq!(ChangeKey::parse(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn keys_pack_apart_and_an_id_out_of_range_does_not_pack() {
        let mut keys = vec![ChangeKey::Category(None), ChangeKey::Everything];
        for id in [0, 1, 2, 1 << 40, (1 << 60) - 1] {
            keys.extend([
                ChangeKey::Article(id),
                ChangeKey::RelatedList(id),
                ChangeKey::Category(Some(id)),
                ChangeKey::Tag(id),
            ]);
        }
        let packed: std::collections::HashSet<_> =
            keys.iter().map(|key| key.pack().expect("packs")).collect();
        assert_eq!(packed.len(), keys.len());
        for id in [-1, 1 << 60, i64::MAX] {
            assert_eq!(ChangeKey::Article(id).pack(), None, "{id}");
            assert_eq!(ChangeKey::Category(Some(id)).pack(), None, "{id}");
        }
    }
}
