//! Related articles by what they say, computed when articles are written and stored, so the
//! article page reads them in one indexed query.
//!
//! Each article gets a vector of its salient words: jieba's words (the title's counted
//! three times), weighted by TF-IDF, the strongest [`VECTOR_TERMS`] kept as a unit vector.
//! Two articles' similarity is the dot product of their vectors, plus a little for each
//! shared tag and for the same category, so three shared tags count for more than one but
//! never outweigh the text. Candidates are the articles each of the article's strongest
//! words matters most to ([`CHAMPIONS`] per word), and, of each of its tags, those
//! published nearest before and after it ([`TAG_NEIGHBOURS`]); the similarity is
//! symmetric, so a write also offers the article to its candidates' lists. Editors' pinned
//! articles come first, in their order.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::types::ArticleText;
use crate::content::changes::{self, ChangeKey};
use crate::db::schema::{
    article_related, article_tags, article_terms, article_words, articles, word_counts,
};
use crate::db::AnyConnection;

/// Inserts many rows in one statement: multi-row inserts need the concrete backend.
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            AnyConnection::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c),
            AnyConnection::Postgresql(c) => diesel::insert_into($table).values($rows).execute(c),
        }
    };
}

/// Computed related articles kept per article (the page shows the first visible six).
pub const KEPT: usize = 12;
/// Words kept in an article's vector.
const VECTOR_TERMS: usize = 24;
/// The strongest words used to find candidates.
const SEED_TERMS: usize = 8;
/// Per seed word, the articles it weighs most in.
const CHAMPIONS: i64 = 150;
/// Per tag, the articles carrying it published nearest before an article, and as many
/// nearest after it. Not the newest of the tag: where the text tells little apart, those
/// would head every list of the tag, and a write to one of them would re-score (and drop
/// from the response cache) tens of thousands of pages.
const TAG_NEIGHBOURS: usize = 10;
/// The title's words count this many times.
const TITLE_WEIGHT: usize = 3;
/// Ten-thousandths: the scale of weights and scores.
const SCALE: f64 = 10_000.0;
/// Added per shared tag (at most three count), and for the same category.
const TAG_BONUS: i64 = 600;
const MAX_TAGS_COUNTED: i64 = 3;
const CATEGORY_BONUS: i64 = 400;
/// Below this an article is not related, whatever else is missing.
const MIN_SCORE: i64 = 500;
/// A word in more than this share of the articles cannot tell them apart (once there are
/// enough articles to say so).
const MAX_DOCUMENT_SHARE: f64 = 0.25;
const MIN_ARTICLES_FOR_SHARE: i64 = 40;
/// Pinned articles' score: this minus their position, above any computed one.
pub const PINNED_SCORE: i64 = 1_000_000;

/// The words of an article, the title's repeated.
fn words_of(text: &ArticleText) -> Vec<String> {
    let title = crate::terms::words(&text.title);
    let mut words = Vec::with_capacity(title.len() * TITLE_WEIGHT);
    for _ in 0..TITLE_WEIGHT {
        words.extend(title.iter().cloned());
    }
    words.extend(crate::terms::words(&text.body));
    words
}

/// The unit TF-IDF vector of `words`, strongest [`VECTOR_TERMS`], in ten-thousandths.
fn vector(words: &[String], df: &HashMap<String, i64>, articles: i64) -> Vec<(String, i64)> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for word in words {
        *counts.entry(word.as_str()).or_default() += 1;
    }
    let n = articles.max(1) as f64;
    let mut weighted: Vec<(&str, f64)> = counts
        .into_iter()
        .filter_map(|(word, tf)| {
            let seen = df.get(word).copied().unwrap_or(1).max(1) as f64;
            if articles >= MIN_ARTICLES_FOR_SHARE && seen > n * MAX_DOCUMENT_SHARE {
                return None;
            }
            let idf = ((n + 1.0) / (seen + 0.5)).ln().max(0.0);
            Some((word, (1.0 + f64::from(tf).ln()) * idf))
        })
        .filter(|(_, weight)| *weight > 0.0)
        .collect();
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    weighted.truncate(VECTOR_TERMS);
    let norm = weighted.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm == 0.0 {
        return Vec::new();
    }
    weighted
        .into_iter()
        .map(|(word, weight)| (word.to_owned(), (weight / norm * SCALE).round() as i64))
        .filter(|(_, weight)| *weight > 0)
        .collect()
}

/// The similarity of two articles, in ten-thousandths.
fn score(dot: i64, shared_tags: i64, same_category: bool) -> i64 {
    dot / SCALE as i64
        + TAG_BONUS * shared_tags.min(MAX_TAGS_COUNTED)
        + if same_category { CATEGORY_BONUS } else { 0 }
}

/// Brings one article's words, vector and related list up to date, and offers it to the
/// lists of the articles it is similar to; in the transaction that wrote it.
pub fn update(conn: &mut AnyConnection, id: i64, text: &ArticleText) -> QueryResult<()> {
    let words = words_of(text);
    let distinct: BTreeSet<String> = words.iter().cloned().collect();
    count_words(conn, id, &distinct)?;
    let articles: i64 = article_words::table.count().get_result(conn)?;
    let mut df = HashMap::new();
    let list: Vec<&String> = distinct.iter().collect();
    for chunk in list.chunks(500) {
        let rows: Vec<(String, i64)> = word_counts::table
            .filter(word_counts::term.eq_any(chunk))
            .select((word_counts::term, word_counts::articles))
            .load(conn)?;
        df.extend(rows);
    }
    let vector = vector(&words, &df, articles);
    diesel::delete(article_terms::table.filter(article_terms::article_id.eq(id))).execute(conn)?;
    if !vector.is_empty() {
        let rows: Vec<_> = vector
            .iter()
            .map(|(term, weight)| {
                (
                    article_terms::article_id.eq(id),
                    article_terms::term.eq(term),
                    article_terms::weight.eq(*weight as i32),
                )
            })
            .collect();
        for chunk in rows.chunks(200) {
            insert_all!(conn, article_terms::table, chunk)?;
        }
    }
    relate(conn, id, &vector)
}

/// Records the article's distinct words and moves the counts of the words it gained or lost.
fn count_words(conn: &mut AnyConnection, id: i64, words: &BTreeSet<String>) -> QueryResult<()> {
    let before: BTreeSet<String> = article_words::table
        .filter(article_words::article_id.eq(id))
        .select(article_words::words)
        .first::<String>(conn)
        .optional()?
        .map(|words| {
            words
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let gained: Vec<&String> = words.difference(&before).collect();
    let lost: Vec<&String> = before.difference(words).collect();
    for chunk in lost.chunks(500) {
        diesel::update(word_counts::table.filter(word_counts::term.eq_any(chunk)))
            .set(word_counts::articles.eq(word_counts::articles - 1))
            .execute(conn)?;
    }
    // One upsert per 300 words: an article brings a few hundred words, one statement each
    // would be as many round trips.
    for chunk in gained.chunks(300) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|word| (word_counts::term.eq(*word), word_counts::articles.eq(1i64)))
            .collect();
        match conn {
            AnyConnection::Sqlite(c) => {
                for row in rows {
                    diesel::insert_into(word_counts::table)
                        .values(row)
                        .on_conflict(word_counts::term)
                        .do_update()
                        .set(word_counts::articles.eq(word_counts::articles + 1))
                        .execute(c)?;
                }
            }
            AnyConnection::Postgresql(c) => {
                diesel::insert_into(word_counts::table)
                    .values(&rows)
                    .on_conflict(word_counts::term)
                    .do_update()
                    .set(word_counts::articles.eq(word_counts::articles + 1))
                    .execute(c)?;
            }
        }
    }
    let joined = words.iter().cloned().collect::<Vec<_>>().join(" ");
    let updated = diesel::update(article_words::table.filter(article_words::article_id.eq(id)))
        .set(article_words::words.eq(&joined))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(article_words::table)
            .values((
                article_words::article_id.eq(id),
                article_words::words.eq(&joined),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Forgets an article's words before it is deleted (its rows go with it; the counts must
/// be told).
pub fn forget(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
    count_words(conn, id, &BTreeSet::new())?;
    diesel::delete(article_words::table.filter(article_words::article_id.eq(id))).execute(conn)?;
    Ok(())
}

/// The candidates of an article: the articles its strongest words weigh most in, and those
/// published nearest it among the articles sharing a tag.
fn candidates(
    conn: &mut AnyConnection,
    id: i64,
    vector: &[(String, i64)],
    tags: &[i64],
) -> QueryResult<HashSet<i64>> {
    let mut found: HashSet<i64> = HashSet::new();
    for (term, _) in vector.iter().take(SEED_TERMS) {
        let ids: Vec<i64> = article_terms::table
            .filter(article_terms::term.eq(term))
            .filter(article_terms::article_id.ne(id))
            .order(article_terms::weight.desc())
            .select(article_terms::article_id)
            .limit(CHAMPIONS)
            .load(conn)?;
        found.extend(ids);
    }
    if tags.is_empty() {
        return Ok(found);
    }
    let at: Option<NaiveDateTime> = articles::table
        .filter(articles::id.eq(id))
        .select(articles::published_at)
        .first::<Option<NaiveDateTime>>(conn)?;
    for tag in tags {
        found.extend(tag_neighbours(conn, *tag, id, at, false)?);
        found.extend(tag_neighbours(conn, *tag, id, at, true)?);
    }
    Ok(found)
}

/// Up to [`TAG_NEIGHBOURS`] articles carrying `tag` published just before the article `id`
/// published `at`, or just after (`later`), by (time, id). `at` is the article's own
/// `published_at` whatever its status (a dated draft sits at its date; `rebuild` places it
/// the same way); without one it comes after every published article. The neighbours are
/// published: `article_tags.published_at` is set only while its article is, and the range
/// is one index range.
fn tag_neighbours(
    conn: &mut AnyConnection,
    tag: i64,
    id: i64,
    at: Option<NaiveDateTime>,
    later: bool,
) -> QueryResult<Vec<i64>> {
    use article_tags::{article_id, published_at};
    let query = article_tags::table
        .filter(article_tags::tag_id.eq(tag))
        .filter(published_at.is_not_null())
        .filter(article_id.ne(id))
        .select(article_id)
        .limit(TAG_NEIGHBOURS as i64)
        .into_boxed();
    // The bound alone is the index range; the other condition sorts out equal times.
    let query = match (at, later) {
        (None, true) => return Ok(Vec::new()),
        (None, false) => query,
        (Some(at), false) => query
            .filter(published_at.le(at))
            .filter(published_at.lt(at).or(article_id.lt(id))),
        (Some(at), true) => query
            .filter(published_at.ge(at))
            .filter(published_at.gt(at).or(article_id.gt(id))),
    };
    if later {
        query
            .order((published_at.asc(), article_id.asc()))
            .load(conn)
    } else {
        query
            .order((published_at.desc(), article_id.desc()))
            .load(conn)
    }
}

/// Some articles' similarity to one, those related enough, best first.
fn scored(
    conn: &mut AnyConnection,
    id: i64,
    vector: &[(String, i64)],
    tags: &[i64],
    others: HashSet<i64>,
) -> QueryResult<Vec<(i64, i64)>> {
    if others.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = others.into_iter().collect();
    let mine: HashMap<&str, i64> = vector.iter().map(|(t, w)| (t.as_str(), *w)).collect();
    let terms: Vec<&str> = mine.keys().copied().collect();
    let mut dots: HashMap<i64, i64> = HashMap::new();
    let mut shared: HashMap<i64, i64> = HashMap::new();
    let mut category: HashMap<i64, Option<i64>> = HashMap::new();
    let own_category: Option<i64> = articles::table
        .filter(articles::id.eq(id))
        .select(articles::category_id)
        .first(conn)?;
    for chunk in ids.chunks(500) {
        if !terms.is_empty() {
            let rows: Vec<(i64, String, i32)> = article_terms::table
                .filter(article_terms::article_id.eq_any(chunk))
                .filter(article_terms::term.eq_any(&terms))
                .select((
                    article_terms::article_id,
                    article_terms::term,
                    article_terms::weight,
                ))
                .load(conn)?;
            for (other, term, weight) in rows {
                *dots.entry(other).or_default() += mine[term.as_str()] * i64::from(weight);
            }
        }
        if !tags.is_empty() {
            let rows: Vec<i64> = article_tags::table
                .filter(article_tags::article_id.eq_any(chunk))
                .filter(article_tags::tag_id.eq_any(tags))
                .select(article_tags::article_id)
                .load(conn)?;
            for other in rows {
                *shared.entry(other).or_default() += 1;
            }
        }
        let rows: Vec<(i64, Option<i64>)> = articles::table
            .filter(articles::id.eq_any(chunk))
            .select((articles::id, articles::category_id))
            .load(conn)?;
        category.extend(rows);
    }
    let mut scored: Vec<(i64, i64)> = ids
        .into_iter()
        .map(|other| {
            let same =
                own_category.is_some() && category.get(&other).copied().flatten() == own_category;
            let s = score(
                dots.get(&other).copied().unwrap_or(0),
                shared.get(&other).copied().unwrap_or(0),
                same,
            );
            (other, s)
        })
        .filter(|(_, s)| *s >= MIN_SCORE)
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    Ok(scored)
}

/// Writes an article's computed list and offers it to its candidates' lists.
fn relate(conn: &mut AnyConnection, id: i64, vector: &[(String, i64)]) -> QueryResult<()> {
    // The lists that hold it count as candidates too, with its similarity measured again:
    // it was put there as another article's candidate (the relation is not symmetric), and
    // an edit that changes little must leave it where it was. Taken from its own candidates
    // only, it left the ~400 lists a rebuild had put a widely shared article in for ~20.
    let tags: Vec<i64> = article_tags::table
        .filter(article_tags::article_id.eq(id))
        .select(article_tags::tag_id)
        .load(conn)?;
    let mut others = candidates(conn, id, vector, &tags)?;
    others.extend(
        article_related::table
            .filter(article_related::related_id.eq(id))
            .filter(article_related::pinned.eq(false))
            .select(article_related::article_id)
            .load::<i64>(conn)?,
    );
    others.remove(&id);
    let scored = scored(conn, id, vector, &tags, others)?;
    // Its own list: the best, after what editors pinned.
    let pinned: HashSet<i64> = article_related::table
        .filter(article_related::article_id.eq(id))
        .filter(article_related::pinned.eq(true))
        .select(article_related::related_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    diesel::delete(
        article_related::table
            .filter(article_related::article_id.eq(id))
            .filter(article_related::pinned.eq(false)),
    )
    .execute(conn)?;
    let own: Vec<_> = scored
        .iter()
        .filter(|(other, _)| !pinned.contains(other))
        .take(KEPT)
        .map(|(other, s)| computed_row(id, *other, *s))
        .collect();
    if !own.is_empty() {
        insert_all!(conn, article_related::table, &own)?;
    }
    // Its place in others' lists: taken out everywhere, then offered where it now belongs.
    diesel::delete(
        article_related::table
            .filter(article_related::related_id.eq(id))
            .filter(article_related::pinned.eq(false)),
    )
    .execute(conn)?;
    let others: Vec<i64> = scored.iter().map(|(other, _)| *other).collect();
    // Its list and the lists it joins change those pages; the triggers see no list row.
    // The lists it leaves need no key: a page shows `article:<id>` for every stored
    // candidate, and every caller writes the article's row in this same transaction.
    let mut joined = vec![ChangeKey::RelatedList(id)];
    let mut lists: HashMap<i64, Vec<(i64, i64, bool)>> = HashMap::new();
    for chunk in others.chunks(500) {
        let rows: Vec<(i64, i64, i32, bool)> = article_related::table
            .filter(article_related::article_id.eq_any(chunk))
            .select((
                article_related::article_id,
                article_related::related_id,
                article_related::score,
                article_related::pinned,
            ))
            .load(conn)?;
        for (article, related, score, pinned) in rows {
            lists
                .entry(article)
                .or_default()
                .push((related, i64::from(score), pinned));
        }
    }
    for (other, s) in scored {
        let list = lists.remove(&other).unwrap_or_default();
        if list.iter().any(|(related, _, _)| *related == id) {
            continue;
        }
        let computed: Vec<&(i64, i64, bool)> =
            list.iter().filter(|(_, _, pinned)| !pinned).collect();
        let weakest = computed
            .iter()
            .min_by_key(|(related, score, _)| (*score, -*related));
        if computed.len() >= KEPT {
            match weakest {
                Some((related, score, _)) if *score < s => {
                    diesel::delete(
                        article_related::table
                            .filter(article_related::article_id.eq(other))
                            .filter(article_related::related_id.eq(*related)),
                    )
                    .execute(conn)?;
                }
                _ => continue,
            }
        }
        diesel::insert_into(article_related::table)
            .values(computed_row(other, id, s))
            .execute(conn)?;
        joined.push(ChangeKey::RelatedList(other));
    }
    changes::record(conn, &joined)
}

#[allow(clippy::type_complexity)]
fn computed_row(
    article: i64,
    related: i64,
    score: i64,
) -> (
    diesel::dsl::Eq<article_related::article_id, i64>,
    diesel::dsl::Eq<article_related::related_id, i64>,
    diesel::dsl::Eq<article_related::pinned, bool>,
    diesel::dsl::Eq<article_related::score, i32>,
) {
    (
        article_related::article_id.eq(article),
        article_related::related_id.eq(related),
        article_related::pinned.eq(false),
        article_related::score.eq(score.min(i64::from(i32::MAX)) as i32),
    )
}

/// The articles editors pinned as related to `id`, in their order, published or not.
pub fn pinned(conn: &mut AnyConnection, id: i64) -> QueryResult<Vec<i64>> {
    article_related::table
        .filter(article_related::article_id.eq(id))
        .filter(article_related::pinned.eq(true))
        .order(article_related::score.desc())
        .select(article_related::related_id)
        .load(conn)
}

/// Sets the articles an editor pinned, in their order (an empty list unpins all).
pub fn pin(conn: &mut AnyConnection, id: i64, related: &[i64]) -> QueryResult<()> {
    diesel::delete(
        article_related::table
            .filter(article_related::article_id.eq(id))
            .filter(
                article_related::pinned
                    .eq(true)
                    .or(article_related::related_id.eq_any(related)),
            ),
    )
    .execute(conn)?;
    let rows: Vec<_> = related
        .iter()
        .enumerate()
        .map(|(position, other)| {
            (
                article_related::article_id.eq(id),
                article_related::related_id.eq(*other),
                article_related::pinned.eq(true),
                article_related::score.eq((PINNED_SCORE - position as i64) as i32),
            )
        })
        .collect();
    if !rows.is_empty() {
        insert_all!(conn, article_related::table, &rows)?;
    }
    changes::record(conn, &[ChangeKey::RelatedList(id)])
}

/// Every article's words, vector and related list again, from scratch (pinned articles are
/// kept): in memory, two passes over the articles, so its cost is the articles' text once
/// segmented twice, not one query per pair.
pub fn rebuild(conn: &mut AnyConnection) -> QueryResult<()> {
    diesel::delete(word_counts::table).execute(conn)?;
    diesel::delete(article_words::table).execute(conn)?;
    diesel::delete(article_terms::table).execute(conn)?;
    diesel::delete(article_related::table.filter(article_related::pinned.eq(false)))
        .execute(conn)?;
    let ids: Vec<i64> = articles::table
        .order(articles::id.asc())
        .select(articles::id)
        .load(conn)?;
    // Pass 1: document frequencies.
    let mut df: HashMap<String, i64> = HashMap::new();
    for_each_text(conn, &ids, |conn, id, text| {
        let distinct: BTreeSet<String> = words_of(text).into_iter().collect();
        let joined = distinct.iter().cloned().collect::<Vec<_>>().join(" ");
        for word in distinct {
            *df.entry(word).or_default() += 1;
        }
        diesel::insert_into(article_words::table)
            .values((
                article_words::article_id.eq(id),
                article_words::words.eq(joined),
            ))
            .execute(conn)
            .map(|_| ())
    })?;
    let counts: Vec<_> = df
        .iter()
        .map(|(term, count)| (word_counts::term.eq(term), word_counts::articles.eq(*count)))
        .collect();
    for chunk in counts.chunks(300) {
        insert_all!(conn, word_counts::table, chunk)?;
    }
    // Pass 2: vectors, kept in memory with interned words.
    let articles_count = ids.len() as i64;
    let mut interned: HashMap<String, u32> = HashMap::new();
    let mut vectors: HashMap<i64, Vec<(u32, i64)>> = HashMap::new();
    for_each_text(conn, &ids, |conn, id, text| {
        let vector = vector(&words_of(text), &df, articles_count);
        let rows: Vec<_> = vector
            .iter()
            .map(|(term, weight)| {
                (
                    article_terms::article_id.eq(id),
                    article_terms::term.eq(term.clone()),
                    article_terms::weight.eq(*weight as i32),
                )
            })
            .collect();
        if !rows.is_empty() {
            insert_all!(conn, article_terms::table, &rows)?;
        }
        let ids: Vec<(u32, i64)> = vector
            .into_iter()
            .map(|(term, weight)| {
                let next = interned.len() as u32;
                (*interned.entry(term).or_insert(next), weight)
            })
            .collect();
        vectors.insert(id, ids);
        Ok(())
    })?;
    drop(df);
    // Champion lists: per word, the articles it weighs most in.
    let mut champions: HashMap<u32, Vec<(i64, i64)>> = HashMap::new();
    for (id, vector) in &vectors {
        for (term, weight) in vector {
            champions.entry(*term).or_default().push((*weight, *id));
        }
    }
    for list in champions.values_mut() {
        list.sort_unstable_by(|a, b| b.cmp(a));
        list.truncate(CHAMPIONS as usize);
    }
    let tags: Vec<(i64, i64, Option<NaiveDateTime>)> = article_tags::table
        .select((
            article_tags::article_id,
            article_tags::tag_id,
            article_tags::published_at,
        ))
        .load(conn)?;
    let mut tags_of: HashMap<i64, Vec<i64>> = HashMap::new();
    // Per tag, its published articles by (time, id), as `candidates` walks them.
    let mut published_by_tag: HashMap<i64, Vec<(NaiveDateTime, i64)>> = HashMap::new();
    for (article, tag, published_at) in tags {
        tags_of.entry(article).or_default().push(tag);
        if let Some(at) = published_at {
            published_by_tag.entry(tag).or_default().push((at, article));
        }
    }
    for list in published_by_tag.values_mut() {
        list.sort_unstable();
    }
    let mut published_at: HashMap<i64, Option<NaiveDateTime>> = HashMap::new();
    let mut category_of: HashMap<i64, Option<i64>> = HashMap::new();
    let rows: Vec<(i64, Option<i64>, Option<NaiveDateTime>)> = articles::table
        .select((articles::id, articles::category_id, articles::published_at))
        .load(conn)?;
    for (id, category, at) in rows {
        category_of.insert(id, category);
        published_at.insert(id, at);
    }
    let pinned: HashSet<(i64, i64)> = article_related::table
        .select((article_related::article_id, article_related::related_id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let no_tags = Vec::new();
    // Each list: the best of the article's candidates and of the articles that have it
    // among theirs (a write offers an article to its candidates' lists: the same lists).
    let mut lists: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for id in &ids {
        let vector = &vectors[id];
        let mine: HashMap<u32, i64> = vector.iter().copied().collect();
        let own_tags = tags_of.get(id).unwrap_or(&no_tags);
        let mut found: HashSet<i64> = HashSet::new();
        for (term, _) in vector.iter().take(SEED_TERMS) {
            found.extend(champions[term].iter().map(|(_, other)| *other));
        }
        let at = published_at.get(id).copied().flatten();
        for tag in own_tags {
            if let Some(list) = published_by_tag.get(tag) {
                found.extend(nearest(list, at, *id));
            }
        }
        found.remove(id);
        let own_category = category_of.get(id).copied().flatten();
        let scored = found
            .into_iter()
            .map(|other| {
                let dot: i64 = vectors[&other]
                    .iter()
                    .filter_map(|(term, weight)| mine.get(term).map(|w| w * weight))
                    .sum();
                let shared = tags_of.get(&other).map_or(0, |theirs| {
                    theirs.iter().filter(|t| own_tags.contains(t)).count() as i64
                });
                let same = own_category.is_some()
                    && category_of.get(&other).copied().flatten() == own_category;
                (other, score(dot, shared, same))
            })
            .filter(|(_, s)| *s >= MIN_SCORE);
        for (other, s) in scored {
            if !pinned.contains(&(*id, other)) {
                keep_best(lists.entry(*id).or_default(), other, s);
            }
            if !pinned.contains(&(other, *id)) {
                keep_best(lists.entry(other).or_default(), *id, s);
            }
        }
    }
    for id in &ids {
        let Some(list) = lists.remove(id) else {
            continue;
        };
        let rows: Vec<_> = list
            .into_iter()
            .map(|(other, s)| computed_row(*id, other, s))
            .collect();
        insert_all!(conn, article_related::table, &rows)?;
    }
    Ok(())
}

/// The articles of `list` (a tag's published articles by time and id) nearest before and
/// after the article `id` published `at` ([`TAG_NEIGHBOURS`] each side), as `candidates`
/// reads them from the index; unpublished, the newest.
fn nearest(
    list: &[(NaiveDateTime, i64)],
    at: Option<NaiveDateTime>,
    id: i64,
) -> impl Iterator<Item = i64> + '_ {
    let (split, after) = match at {
        Some(at) => {
            let split = list.partition_point(|entry| *entry < (at, id));
            let start = if list.get(split) == Some(&(at, id)) {
                split + 1
            } else {
                split
            };
            (
                split,
                &list[start..(start + TAG_NEIGHBOURS).min(list.len())],
            )
        }
        None => (list.len(), &list[list.len()..]),
    };
    let before = &list[split.saturating_sub(TAG_NEIGHBOURS)..split];
    before.iter().chain(after).map(|(_, other)| *other)
}

/// Puts an article in a list of the best [`KEPT`], best first (the higher id first at equal
/// scores), unless it is there already.
fn keep_best(list: &mut Vec<(i64, i64)>, other: i64, s: i64) {
    if list.iter().any(|(related, _)| *related == other) {
        return;
    }
    let at = list
        .iter()
        .position(|(related, score)| (s, other) > (*score, *related))
        .unwrap_or(list.len());
    if at < KEPT {
        list.insert(at, (other, s));
        list.truncate(KEPT);
    }
}

/// Calls `each` with every article's text, 500 articles a query.
pub(super) fn for_each_text(
    conn: &mut AnyConnection,
    ids: &[i64],
    mut each: impl FnMut(&mut AnyConnection, i64, &ArticleText) -> QueryResult<()>,
) -> QueryResult<()> {
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, Option<String>, String, String)> = articles::table
            .filter(articles::id.eq_any(chunk))
            .order(articles::id.asc())
            .select((
                articles::id,
                articles::title,
                articles::subtitle,
                articles::summary,
                articles::body_html,
            ))
            .load(conn)?;
        for (id, title, subtitle, summary, body) in rows {
            let text = ArticleText::of(&title, subtitle.as_deref(), &summary, &body);
            each(conn, id, &text)?;
        }
    }
    Ok(())
}
