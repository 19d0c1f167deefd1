//! The stored and exported form of the favourites, its typed errors, and
//! the migration from older versions.
//!
//! Version 1 (current), in `localStorage` under `gongkai.favourites` and in
//! exported files (which add `exported_at`):
//!
//! ```json
//! {"v":1,"items":[{"id":"kjj1-2023-00026","title":"…","date":"2023-07-14T09:00:00+08:00",
//!   "column":"fdzdgknr","column_name":"法定主动公开内容","added_at":1700000000000}]}
//! ```
//!
//! `added_at` is Unix milliseconds; `date` and `column` may be empty when
//! unknown; `column_name` may be absent. Unknown keys are ignored, so a later
//! version that only adds keys stays readable.
//!
//! Version 0 (the prototype) stored a bare JSON array, newest first, whose
//! entries were either an id string or an object `{"id","title"}` (with
//! optional `date` and `column`). It migrates to version 1 with `added_at`
//! 0 (unknown), the array order kept, and the id standing in for a missing
//! title.

use super::{Favourite, Favourites, MergeCount};
use crate::api::is_plausible_id;
use crate::i18n::Msg;
use crate::json::{self, Json};
use gongkai_core::bundle::Variant;
use gongkai_core::date::parse_rfc3339;

/// Version of the stored value this program writes.
pub const FAVOURITES_VERSION: u64 = 1;

/// What is wrong with one field of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The entry is not a JSON object (or, in version 0, a string).
    NotAnEntry,
    /// A required field is absent.
    Missing,
    /// The field has the wrong JSON type.
    WrongType,
    /// The field's value is not acceptable (an id with `/`, a date that is
    /// not RFC 3339, an empty title).
    Invalid,
}

/// One entry that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("第 {} 条收藏的 {field}: {problem:?}", index + 1)]
pub struct EntryError {
    /// 0-based position in `items`.
    pub index: usize,
    /// The field at fault (`"entry"` when the entry itself is not an object).
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: Problem,
}

impl EntryError {
    /// The reader's message in `script`, e.g. 第 3 条收藏的“date”字段格式不对.
    pub fn describe(&self, script: Variant) -> String {
        if self.problem == Problem::NotAnEntry {
            return Msg::FavErrNotEntry.fill(script, &[&(self.index + 1)]);
        }
        let problem = match self.problem {
            Problem::Missing => Msg::FavProblemMissing,
            Problem::WrongType => Msg::FavProblemType,
            _ => Msg::FavProblemInvalid,
        };
        Msg::FavErrEntry.fill(
            script,
            &[&(self.index + 1), &self.field, &problem.get(script)],
        )
    }
}

/// Why a stored value or an imported file is not a favourites list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FavouritesError {
    /// Not JSON at all.
    #[error("not JSON (line {line}, column {column}): {message}")]
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde's description.
        message: String,
    },
    /// JSON, but neither an object nor a version-0 array.
    #[error("not a JSON object")]
    NotObject,
    /// An object without `v`: some other JSON file.
    #[error("no version `v`")]
    MissingVersion,
    /// A `v` this program does not know (a newer version, or not a number).
    #[error("unknown version {0}")]
    UnknownVersion(String),
    /// `items` is absent or not an array.
    #[error("no `items` array")]
    MissingItems,
    /// An entry could not be read (strict parsing only).
    #[error(transparent)]
    BadEntry(#[from] EntryError),
    /// An imported file larger than [`MAX_IMPORT_BYTES`], refused unread.
    #[error("{bytes} bytes, more than {MAX_IMPORT_BYTES}")]
    TooLarge {
        /// The file's size in bytes.
        bytes: u64,
    },
}

/// Largest file 导入 reads: twice the largest export of [`MAX_FAVOURITES`]
/// favourites (about 8 MB with the longest titles), so a real export
/// always fits and a stray huge file is refused before it is read.
///
/// [`MAX_FAVOURITES`]: super::MAX_FAVOURITES
pub const MAX_IMPORT_BYTES: u64 = 16 * 1024 * 1024;

/// Refuses a file of `bytes` larger than [`MAX_IMPORT_BYTES`] (checked on
/// the chosen file's size, before reading it).
pub fn check_import_size(bytes: u64) -> Result<(), FavouritesError> {
    if bytes > MAX_IMPORT_BYTES {
        Err(FavouritesError::TooLarge { bytes })
    } else {
        Ok(())
    }
}

/// Megabytes (of 1024 × 1024 bytes) with one decimal, for messages. In
/// integers: float formatting would bring its tables into the Wasm.
fn megabytes(bytes: u64) -> String {
    let tenths = (bytes.saturating_mul(10) + 512 * 1024) / (1024 * 1024);
    format!("{}.{}", tenths / 10, tenths % 10)
}

impl FavouritesError {
    /// The reader's message in `script`.
    pub fn describe(&self, script: Variant) -> String {
        match self {
            FavouritesError::NotJson { line, column, .. } => {
                Msg::FavErrNotJson.fill(script, &[line, column])
            }
            FavouritesError::NotObject => Msg::FavErrNotObject.get(script).to_owned(),
            FavouritesError::MissingVersion => Msg::FavErrNoVersion.get(script).to_owned(),
            FavouritesError::UnknownVersion(v) => {
                Msg::FavErrVersion.fill(script, &[v, &FAVOURITES_VERSION])
            }
            FavouritesError::MissingItems => Msg::FavErrNoItems.get(script).to_owned(),
            FavouritesError::BadEntry(e) => e.describe(script),
            FavouritesError::TooLarge { bytes } => Msg::FavErrTooLarge.fill(
                script,
                &[&megabytes(*bytes), &(MAX_IMPORT_BYTES / (1024 * 1024))],
            ),
        }
    }
}

/// A value read leniently: the entries that could be read, and the ones
/// that could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The readable entries, newest-added first, without repeats.
    pub favourites: Favourites,
    /// The entries left out, in order.
    pub rejected: Vec<EntryError>,
    /// The version read, if older than [`FAVOURITES_VERSION`] (it was migrated).
    pub migrated_from: Option<u64>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// New and already-present counts.
    pub count: MergeCount,
    /// Entries of the file that could not be read, and why.
    pub rejected: Vec<EntryError>,
}

fn string_field(
    object: &Json,
    index: usize,
    field: &'static str,
    required: bool,
) -> Result<String, EntryError> {
    let error = |problem| EntryError {
        index,
        field,
        problem,
    };
    match object.get(field) {
        None | Some(Json::Null) if !required => Ok(String::new()),
        None => Err(error(Problem::Missing)),
        Some(Json::String(s)) => Ok(s.clone()),
        Some(_) => Err(error(Problem::WrongType)),
    }
}

/// Reads entry `index` of a version-1 `items` array.
fn entry_v1(object: &Json, index: usize) -> Result<Favourite, EntryError> {
    let error = |field, problem| EntryError {
        index,
        field,
        problem,
    };
    if !object.is_object() {
        return Err(error("entry", Problem::NotAnEntry));
    }
    let mut entry = entry_fields(object, index, true)?;
    entry.added_at = match object.get("added_at") {
        None => return Err(error("added_at", Problem::Missing)),
        Some(n @ Json::Number(_)) => n.as_u64().ok_or(error("added_at", Problem::Invalid))?,
        Some(_) => return Err(error("added_at", Problem::WrongType)),
    };
    Ok(entry)
}

/// The fields shared by every version: `id`, `title`, `date`, `column`,
/// `column_name`. Version 0 entries may lack a title.
fn entry_fields(
    object: &Json,
    index: usize,
    title_required: bool,
) -> Result<Favourite, EntryError> {
    let error = |field, problem| EntryError {
        index,
        field,
        problem,
    };
    let id = string_field(object, index, "id", true)?;
    if !is_plausible_id(&id) {
        return Err(error("id", Problem::Invalid));
    }
    let title = string_field(object, index, "title", title_required)?;
    if title_required && title.trim().is_empty() {
        return Err(error("title", Problem::Invalid));
    }
    let date = string_field(object, index, "date", title_required)?;
    if !date.is_empty() && parse_rfc3339(&date).is_err() {
        return Err(error("date", Problem::Invalid));
    }
    let column = string_field(object, index, "column", title_required)?;
    if !column.is_empty() && !is_plausible_id(&column) {
        return Err(error("column", Problem::Invalid));
    }
    let column_name = string_field(object, index, "column_name", false)?;
    let title = if title.trim().is_empty() {
        id.clone()
    } else {
        title
    };
    Ok(Favourite::new(&id, &title, &date, &column, &column_name))
}

/// Reads entry `index` of a version-0 array: an id or `{"id","title"}`.
fn entry_v0(value: &Json, index: usize) -> Result<Favourite, EntryError> {
    match value {
        Json::String(id) if is_plausible_id(id) => Ok(Favourite::new(id, id, "", "", "")),
        Json::String(_) => Err(EntryError {
            index,
            field: "id",
            problem: Problem::Invalid,
        }),
        Json::Object(_) => entry_fields(value, index, false),
        _ => Err(EntryError {
            index,
            field: "entry",
            problem: Problem::NotAnEntry,
        }),
    }
}

fn collect(
    values: &[Json],
    read: fn(&Json, usize) -> Result<Favourite, EntryError>,
) -> (Vec<Favourite>, Vec<EntryError>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (index, value) in values.iter().enumerate() {
        match read(value, index) {
            Ok(f) => good.push(f),
            Err(e) => bad.push(e),
        }
    }
    (good, bad)
}

impl Favourites {
    /// Reads a stored value or an exported file, any version, keeping the
    /// readable entries and listing the others. Fails only when the value
    /// as a whole is not a favourites list.
    pub fn parse_lenient(text: &str) -> Result<Parsed, FavouritesError> {
        let value = json::parse(text).map_err(|e| FavouritesError::NotJson {
            line: e.line,
            column: e.column,
            message: e.to_string(),
        })?;
        let (items, rejected, migrated_from) = match &value {
            Json::Array(values) => {
                let (good, bad) = collect(values, entry_v0);
                (good, bad, Some(0))
            }
            Json::Object(_) => {
                match value.get("v") {
                    None => return Err(FavouritesError::MissingVersion),
                    Some(v) if v.as_u64() == Some(FAVOURITES_VERSION) => {}
                    Some(other) => return Err(FavouritesError::UnknownVersion(other.to_text())),
                }
                let values = value
                    .get("items")
                    .and_then(Json::as_array)
                    .ok_or(FavouritesError::MissingItems)?;
                let (good, bad) = collect(values, entry_v1);
                (good, bad, None)
            }
            _ => return Err(FavouritesError::NotObject),
        };
        Ok(Parsed {
            favourites: Favourites::from_items(items),
            rejected,
            migrated_from,
        })
    }

    /// Reads a value strictly: the first unreadable entry fails it all.
    pub fn parse(text: &str) -> Result<Favourites, FavouritesError> {
        let parsed = Favourites::parse_lenient(text)?;
        match parsed.rejected.into_iter().next() {
            Some(e) => Err(e.into()),
            None => Ok(parsed.favourites),
        }
    }

    fn items_json(&self) -> Json {
        Json::Array(self.items().iter().map(Favourite::json).collect())
    }

    /// The stored form (current version).
    pub fn to_json(&self) -> String {
        Json::Object(vec![
            ("v".into(), FAVOURITES_VERSION.into()),
            ("items".into(), self.items_json()),
        ])
        .to_text()
    }

    /// The exported file: the stored form with `exported_at` (RFC 3339),
    /// pretty-printed so that a reader can look inside.
    pub fn export_json(&self, exported_at: &str) -> String {
        Json::Object(vec![
            ("v".into(), FAVOURITES_VERSION.into()),
            ("exported_at".into(), exported_at.into()),
            ("items".into(), self.items_json()),
        ])
        .to_pretty_text()
    }

    /// Reads an exported file (any version) and merges its readable entries,
    /// up to [`MAX_FAVOURITES`](super::MAX_FAVOURITES) in all (the report
    /// counts the entries left out). A file that is not a favourites list,
    /// or is larger than [`MAX_IMPORT_BYTES`], changes nothing.
    pub fn import(&mut self, text: &str) -> Result<ImportReport, FavouritesError> {
        check_import_size(text.len() as u64)?;
        let parsed = Favourites::parse_lenient(text)?;
        let count = self.merge(parsed.favourites);
        Ok(ImportReport {
            count,
            rejected: parsed.rejected,
        })
    }
}

impl Favourite {
    /// The entry as it is stored in `items`.
    fn json(&self) -> Json {
        Json::Object(vec![
            ("id".into(), self.id.as_str().into()),
            ("title".into(), self.title.as_str().into()),
            ("date".into(), self.date.as_str().into()),
            ("column".into(), self.column.as_str().into()),
            ("column_name".into(), self.column_name.as_str().into()),
            ("added_at".into(), self.added_at.into()),
        ])
    }

    /// The entry in its stored form, for the static page's 收藏 buttons
    /// (`data-gk-fav`): public/gk-boot.js adds it to the stored list as it
    /// is, with `added_at` set, when pressed before the app has started.
    pub fn entry_json(&self) -> String {
        self.json().to_text()
    }
}

/// `gongkai-favourites-YYYYMMDD.json` for a download at Unix ms `now`, the
/// date in Beijing time.
pub fn export_file_name(now_ms: u64) -> String {
    let iso = gongkai_core::date::format_rfc3339_utc((now_ms / 1000) as i64);
    let day = crate::format::display_date(&iso).replace('-', "");
    format!("gongkai-favourites-{day}.json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const DATE: &str = "2023-07-14T09:00:00+08:00";

    fn fav(id: &str, at: u64) -> Favourite {
        let mut f = Favourite::new(
            id,
            &format!("标题{id}"),
            DATE,
            "fdzdgknr",
            "法定主动公开内容",
        );
        f.added_at = at;
        f
    }

    fn list(entries: &[(&str, u64)]) -> Favourites {
        Favourites::from_items(entries.iter().map(|(id, at)| fav(id, *at)).collect())
    }

    #[test]
    fn round_trip_through_the_stored_form() {
        let favs = list(&[("a", 3), ("b-2", 2), ("c.3", 1)]);
        assert_eq!(Favourites::parse(&favs.to_json()), Ok(favs.clone()));
        assert_eq!(
            Favourites::parse(&Favourites::default().to_json()),
            Ok(Favourites::default())
        );
    }

    #[test]
    fn an_entry_of_a_static_button_is_an_item_of_the_stored_form() {
        // gk-boot.js puts `data-gk-fav` into `items` as it is, `added_at`
        // set: the app must read that list back to the same favourites.
        let mut entry = fav("kjj1-2023-00026", 0);
        entry.title = "含\"引号\"与\\和\n的标题".into();
        let mut value: Value = serde_json::from_str(&entry.entry_json()).unwrap();
        value["added_at"] = json!(1_700_000_000_000u64);
        let stored = json!({"v": 1, "items": [value, serde_json::from_str::<Value>(&fav("b", 5).entry_json()).unwrap()]});
        let read = Favourites::parse(&stored.to_string()).unwrap();
        entry.added_at = 1_700_000_000_000;
        assert_eq!(read.items(), [entry, fav("b", 5)]);
    }

    #[test]
    fn export_then_import_into_an_empty_list_gives_the_same_list() {
        let favs = list(&[("a", 3), ("b", 2)]);
        let file = favs.export_json("2024-01-02T03:04:05Z");
        assert!(file.contains("\"exported_at\""));
        let mut fresh = Favourites::default();
        let report = fresh.import(&file).unwrap();
        assert_eq!(
            report.count,
            MergeCount {
                added: 2,
                already: 0,
                over_limit: 0
            }
        );
        assert!(report.rejected.is_empty());
        assert_eq!(fresh, favs);
        // Importing again adds nothing.
        let again = fresh.import(&file).unwrap();
        assert_eq!(
            again.count,
            MergeCount {
                added: 0,
                already: 2,
                over_limit: 0
            }
        );
    }

    #[test]
    fn a_favourite_is_a_few_hundred_bytes() {
        let f = Favourite::new(
            "kjj1-2023-00026",
            "武山县科学技术局关于印发《武山县科技计划项目管理暂行办法》的通知",
            DATE,
            "fdzdgknr",
            "法定主动公开内容",
        );
        let one = Favourites::from_items(vec![f]).to_json().len();
        let none = Favourites::default().to_json().len();
        assert!(one - none < 400, "{} bytes", one - none);
        // Even the longest title stays well under a kilobyte.
        let long = Favourite::new("a", &"长".repeat(1000), DATE, "fdzdgknr", &"名".repeat(100));
        let size = Favourites::from_items(vec![long]).to_json().len() - none;
        assert!(size < 700, "{size} bytes");
    }

    #[test]
    fn version_0_arrays_migrate() {
        let v0 = r#"["kjj1-2023-00026", {"id":"b","title":"乙"}, {"id":"c","title":"丙","date":"2023-07-14T09:00:00+08:00","column":"gzdt"}]"#;
        let parsed = Favourites::parse_lenient(v0).unwrap();
        assert_eq!(parsed.migrated_from, Some(0));
        assert!(parsed.rejected.is_empty());
        let items = parsed.favourites.items();
        let ids: Vec<&str> = items.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["kjj1-2023-00026", "b", "c"], "array order kept");
        assert_eq!(
            items[0].title, "kjj1-2023-00026",
            "id stands in for the title"
        );
        assert_eq!(items[1].title, "乙");
        assert_eq!(items[2].date, DATE);
        assert_eq!(items[2].column, "gzdt");
        assert!(items.iter().all(|f| f.added_at == 0));
        // Once migrated, it is written as version 1 and reads back the same.
        let v1 = parsed.favourites.to_json();
        assert!(v1.starts_with(r#"{"items""#) || v1.contains(r#""v":1"#));
        assert_eq!(Favourites::parse(&v1), Ok(parsed.favourites));
    }

    #[test]
    fn version_0_bad_entries_are_reported() {
        let parsed = Favourites::parse_lenient(r#"["a", 7, "../x", {"title":"无编号"}]"#).unwrap();
        assert_eq!(parsed.favourites.len(), 1);
        let got: Vec<(usize, &str, Problem)> = parsed
            .rejected
            .iter()
            .map(|e| (e.index, e.field, e.problem))
            .collect();
        assert_eq!(
            got,
            [
                (1, "entry", Problem::NotAnEntry),
                (2, "id", Problem::Invalid),
                (3, "id", Problem::Missing)
            ]
        );
    }

    #[test]
    fn repeated_ids_in_a_value_are_kept_once() {
        let text = r#"{"v":1,"items":[
            {"id":"a","title":"甲","date":"","column":"","added_at":5},
            {"id":"a","title":"甲2","date":"","column":"","added_at":9}]}"#;
        let favs = Favourites::parse(text).unwrap();
        assert_eq!(favs.len(), 1);
        assert_eq!(favs.items()[0].title, "甲");
    }

    #[test]
    fn unknown_keys_are_ignored() {
        let text = r#"{"v":1,"exported_at":"x","future":true,"items":[
            {"id":"a","title":"甲","date":"","column":"","added_at":5,"note":"新字段"}]}"#;
        assert_eq!(Favourites::parse(text).unwrap().len(), 1);
    }

    #[test]
    fn malformed_values_are_rejected_with_a_typed_error() {
        use FavouritesError as E;
        let entry = |index, field, problem| {
            E::BadEntry(EntryError {
                index,
                field,
                problem,
            })
        };
        const OK: &str = r#""id":"a","title":"甲","date":"2023-07-14T09:00:00+08:00","column":"c""#;
        let not_json = |line, column| move |e: &E| matches!(e, E::NotJson { line: l, column: c, .. } if *l == line && *c == column);
        type Check = Box<dyn Fn(&E) -> bool>;
        let cases: Vec<(String, Check)> = vec![
            ("".into(), Box::new(not_json(1, 0))),
            ("{".into(), Box::new(not_json(1, 1))),
            ("{\n\"v\":1,".into(), Box::new(not_json(2, 6))),
            ("<html>".into(), Box::new(not_json(1, 1))),
            ("null".into(), Box::new(|e| *e == E::NotObject)),
            ("42".into(), Box::new(|e| *e == E::NotObject)),
            ("\"a\"".into(), Box::new(|e| *e == E::NotObject)),
            (r#"{"items":[]}"#.into(), Box::new(|e| *e == E::MissingVersion)),
            (r#"{"version":"1.1","items":[]}"#.into(), Box::new(|e| *e == E::MissingVersion)),
            (r#"{"v":2,"items":[]}"#.into(), Box::new(|e| *e == E::UnknownVersion("2".into()))),
            (r#"{"v":"1","items":[]}"#.into(), Box::new(|e| *e == E::UnknownVersion("\"1\"".into()))),
            (r#"{"v":1.5,"items":[]}"#.into(), Box::new(|e| *e == E::UnknownVersion("1.5".into()))),
            (r#"{"v":1}"#.into(), Box::new(|e| *e == E::MissingItems)),
            (r#"{"v":1,"items":{}}"#.into(), Box::new(|e| *e == E::MissingItems)),
            (r#"{"v":1,"items":[1]}"#.into(), Box::new(move |e| *e == entry(0, "entry", Problem::NotAnEntry))),
            (format!(r#"{{"v":1,"items":[{{{OK},"added_at":1}},{{"title":"乙","added_at":1}}]}}"#), Box::new(move |e| *e == entry(1, "id", Problem::Missing))),
            (r#"{"v":1,"items":[{"id":7,"title":"甲","date":"","column":"","added_at":1}]}"#.into(), Box::new(move |e| *e == entry(0, "id", Problem::WrongType))),
            (r#"{"v":1,"items":[{"id":"a/b","title":"甲","date":"","column":"","added_at":1}]}"#.into(), Box::new(move |e| *e == entry(0, "id", Problem::Invalid))),
            (r#"{"v":1,"items":[{"id":"a","date":"","column":"","added_at":1}]}"#.into(), Box::new(move |e| *e == entry(0, "title", Problem::Missing))),
            (r#"{"v":1,"items":[{"id":"a","title":" ","date":"","column":"","added_at":1}]}"#.into(), Box::new(move |e| *e == entry(0, "title", Problem::Invalid))),
            (r#"{"v":1,"items":[{"id":"a","title":"甲","date":"2023-07-14","column":"","added_at":1}]}"#.into(), Box::new(move |e| *e == entry(0, "date", Problem::Invalid))),
            (r#"{"v":1,"items":[{"id":"a","title":"甲","date":20230714,"column":"","added_at":1}]}"#.into(), Box::new(move |e| *e == entry(0, "date", Problem::WrongType))),
            (r#"{"v":1,"items":[{"id":"a","title":"甲","date":"","column":"栏目","added_at":1}]}"#.into(), Box::new(move |e| *e == entry(0, "column", Problem::Invalid))),
            (format!(r#"{{"v":1,"items":[{{{OK}}}]}}"#), Box::new(move |e| *e == entry(0, "added_at", Problem::Missing))),
            (format!(r#"{{"v":1,"items":[{{{OK},"added_at":-1}}]}}"#), Box::new(move |e| *e == entry(0, "added_at", Problem::Invalid))),
            (format!(r#"{{"v":1,"items":[{{{OK},"added_at":"2024-01-01"}}]}}"#), Box::new(move |e| *e == entry(0, "added_at", Problem::WrongType))),
            (format!(r#"{{"v":1,"items":[{{{OK},"column_name":3,"added_at":1}}]}}"#), Box::new(move |e| *e == entry(0, "column_name", Problem::WrongType))),
        ];
        for (input, expected) in cases {
            let err = Favourites::parse(&input).expect_err(&input);
            assert!(expected(&err), "{input:?} gave {err:?}");
            // Every error has a message for the reader in both scripts.
            for script in [Variant::Hans, Variant::Hant] {
                let text = err.describe(script);
                assert!(
                    !text.is_empty() && !text.contains("{}"),
                    "{input:?}: {text:?}"
                );
            }
        }
    }

    #[test]
    fn error_messages_name_the_entry_and_field() {
        let err = Favourites::parse(
            r#"{"v":1,"items":[{"id":"a","title":"甲","date":"昨天","column":"","added_at":1}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.describe(Variant::Hans),
            "第 1 条收藏的“date”字段格式不对"
        );
        assert_eq!(
            Favourites::parse(r#"{"v":3,"items":[]}"#)
                .unwrap_err()
                .describe(Variant::Hans),
            "收藏文件的版本 3 无法识别(本程序读取版本 1)"
        );
    }

    #[test]
    fn import_keeps_good_entries_and_reports_the_bad_ones() {
        let mut favs = list(&[("a", 10)]);
        let file = r#"{"v":1,"items":[
            {"id":"a","title":"甲","date":"","column":"","added_at":1},
            {"id":"b","title":"乙","date":"","column":"","added_at":2},
            {"id":"c","title":"丙","date":"bad","column":"","added_at":3}]}"#;
        let report = favs.import(file).unwrap();
        assert_eq!(
            report.count,
            MergeCount {
                added: 1,
                already: 1,
                over_limit: 0
            }
        );
        assert_eq!(report.rejected.len(), 1);
        assert_eq!(report.rejected[0].index, 2);
        assert_eq!(favs.len(), 2);
        // A wrong file changes nothing.
        let before = favs.clone();
        assert_eq!(favs.import("{}"), Err(FavouritesError::MissingVersion));
        assert_eq!(favs, before);
    }

    // Issue 15, fault 7: an import of 20,000 favourites took them all (and
    // froze the tab); now the newest 10,000 are taken and the rest counted.
    #[test]
    fn an_import_of_20000_takes_the_newest_10000_and_says_so() {
        let items: Vec<Value> = (0..20_000u64)
            .map(|i| {
                json!({"id": format!("n-{i}"), "title": "标题", "date": DATE,
                       "column": "gzdt", "added_at": i + 1})
            })
            .collect();
        let file = json!({"v": 1, "items": items}).to_string();
        let mut favs = list(&[("n-19999", 0), ("mine", 5)]);
        let report = favs.import(&file).unwrap();
        assert_eq!(
            report.count,
            MergeCount {
                added: super::super::MAX_FAVOURITES - 2,
                already: 1,
                over_limit: 20_000 - super::super::MAX_FAVOURITES + 1
            }
        );
        assert_eq!(favs.len(), super::super::MAX_FAVOURITES);
        assert!(favs.contains("mine") && favs.contains("n-19998"));
        assert!(favs.contains("n-10001") && !favs.contains("n-10000"));
        assert!(favs.is_full());
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_and_named() {
        assert_eq!(check_import_size(MAX_IMPORT_BYTES), Ok(()));
        let bytes = 40 * 1024 * 1024;
        let error = check_import_size(bytes).unwrap_err();
        assert_eq!(error, FavouritesError::TooLarge { bytes });
        assert_eq!(
            error.describe(Variant::Hans),
            "文件太大(40.0 MB),收藏文件最大 16 MB"
        );
        let mut favs = list(&[("a", 1)]);
        let huge = " ".repeat(MAX_IMPORT_BYTES as usize + 1);
        assert_eq!(
            favs.import(&huge),
            Err(FavouritesError::TooLarge {
                bytes: MAX_IMPORT_BYTES + 1
            })
        );
        assert_eq!(favs.len(), 1);
    }

    #[test]
    fn export_file_name_uses_the_beijing_date() {
        // 2024-01-01T17:00:00Z is 2 January in Beijing.
        assert_eq!(
            export_file_name(1_704_128_400_000),
            "gongkai-favourites-20240102.json"
        );
    }
}
