//! `manifest.json`, read with the app's small JSON reader ([`crate::json`])
//! rather than serde: the manifest is read at every start, so its reader
//! is in the main module, and serde_json's would cost it about 15 KB of
//! brotli wasm (docs/performance.md). The result is the same `Manifest`
//! serde reads (a native test compares the two on every kind of field).

use crate::api::AppError;
use crate::json::{self, Json};
use gongkai_core::bundle::{ColumnInfo, Manifest, SiteText};

/// Parses `text`, fetched from `url`, as the manifest: the fields serde
/// requires are required, `home_page_url` and `localized` may be absent,
/// unknown fields are ignored. A field of the wrong shape is named in the
/// error (its path, e.g. `columns[2].count`); JSON syntax errors keep
/// their line and column.
pub fn parse_manifest(url: &str, text: &str) -> Result<Manifest, AppError> {
    let value = json::parse(text).map_err(|e| AppError::Parse {
        url: url.to_owned(),
        line: e.line,
        column: e.column,
        message: e.message.to_owned(),
    })?;
    manifest(&value).map_err(|message| AppError::Parse {
        url: url.to_owned(),
        line: 0,
        column: 0,
        message,
    })
}

/// Field `key` of `object`, required.
fn field<'a>(object: &'a Json, path: &str, key: &str) -> Result<&'a Json, String> {
    if !object.is_object() {
        return Err(format!("{path}: expected an object"));
    }
    object
        .get(key)
        .ok_or_else(|| format!("{path}: missing field `{key}`"))
}

fn string(object: &Json, path: &str, key: &str) -> Result<String, String> {
    field(object, path, key)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{path}.{key}: expected a string"))
}

fn number<T: TryFrom<u64>>(object: &Json, path: &str, key: &str) -> Result<T, String> {
    field(object, path, key)?
        .as_u64()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("{path}.{key}: expected a whole number"))
}

fn array<'a>(object: &'a Json, path: &str, key: &str) -> Result<&'a [Json], String> {
    field(object, path, key)?
        .as_array()
        .ok_or_else(|| format!("{path}.{key}: expected an array"))
}

fn strings(object: &Json, path: &str, key: &str) -> Result<Vec<String>, String> {
    array(object, path, key)?
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{path}.{key}[{i}]: expected a string"))
        })
        .collect()
}

fn manifest(m: &Json) -> Result<Manifest, String> {
    let p = "manifest";
    let columns = array(m, p, "columns")?
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let p = format!("columns[{i}]");
            Ok(ColumnInfo {
                id: string(c, &p, "id")?,
                name: string(c, &p, "name")?,
                count: number(c, &p, "count")?,
                pages: number(c, &p, "pages")?,
            })
        })
        .collect::<Result<_, String>>()?;
    let home_page_url = match m.get("home_page_url") {
        None | Some(Json::Null) => None,
        Some(_) => Some(string(m, p, "home_page_url")?),
    };
    let localized = match m.get("localized") {
        None => Default::default(),
        Some(Json::Object(variants)) => variants
            .iter()
            .map(|(variant, text)| {
                let p = format!("localized.{variant}");
                Ok((
                    variant.clone(),
                    SiteText {
                        title: string(text, &p, "title")?,
                        site_name: string(text, &p, "site_name")?,
                        department: string(text, &p, "department")?,
                        section: string(text, &p, "section")?,
                        columns: strings(text, &p, "columns")?,
                    },
                ))
            })
            .collect::<Result<_, String>>()?,
        Some(_) => return Err(format!("{p}.localized: expected an object")),
    };
    Ok(Manifest {
        format: number(m, p, "format")?,
        title: string(m, p, "title")?,
        site_name: string(m, p, "site_name")?,
        department: string(m, p, "department")?,
        section: string(m, p, "section")?,
        login_url: string(m, p, "login_url")?,
        register_url: string(m, p, "register_url")?,
        home_page_url,
        columns,
        item_count: number(m, p, "item_count")?,
        pages: number(m, p, "pages")?,
        page_size: number(m, p, "page_size")?,
        variants: strings(m, p, "variants")?,
        built_at: string(m, p, "built_at")?,
        content_hash: string(m, p, "content_hash")?,
        localized,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> serde_json::Value {
        json!({
            "format": 1, "title": "政府信息公开", "site_name": "甘肃政务服务网-武山",
            "department": "科技局", "section": "政府信息公开",
            "login_url": "https://x/login", "register_url": "https://x/reg",
            "home_page_url": "https://x/",
            "columns": [
                {"id": "gzdt", "name": "工作动态", "count": 21, "pages": 2},
                {"id": "tzgg", "name": "通知公告", "count": 0, "pages": 1}
            ],
            "item_count": 21, "pages": 2, "page_size": 20, "variants": ["zh-Hans", "zh-Hant"],
            "built_at": "2026-12-01T00:00:00Z", "content_hash": "abc123",
            "localized": {"zh-Hant": {"title": "政府信息公開", "site_name": "甘肅政務服務網-武山",
                "department": "科技局", "section": "政府信息公開", "columns": ["工作動態", "通知公告"]}},
            "a_field_of_a_later_version": [1, {"x": null}]
        })
    }

    #[test]
    fn reads_what_serde_reads() {
        let mut value = sample();
        let ours = parse_manifest("u", &value.to_string()).unwrap();
        let theirs: Manifest = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.localized["zh-Hant"].columns[0], "工作動態");
        // The optional fields absent, and null.
        let object = value.as_object_mut().unwrap();
        object.remove("localized");
        object.insert("home_page_url".into(), serde_json::Value::Null);
        let ours = parse_manifest("u", &value.to_string()).unwrap();
        let theirs: Manifest = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(ours, theirs);
        assert!(ours.home_page_url.is_none() && ours.localized.is_empty());
    }

    #[test]
    fn wrong_shapes_are_named_by_their_path() {
        let cases = [
            (
                "/columns/1/count",
                json!(-1),
                "columns[1].count: expected a whole number",
            ),
            (
                "/columns/0/name",
                json!(7),
                "columns[0].name: expected a string",
            ),
            (
                "/variants",
                json!("zh-Hans"),
                "manifest.variants: expected an array",
            ),
            (
                "/localized/zh-Hant/columns/1",
                json!(null),
                "localized.zh-Hant.columns[1]: expected a string",
            ),
            (
                "/format",
                json!(1.5),
                "manifest.format: expected a whole number",
            ),
        ];
        for (pointer, bad, expected) in cases {
            let mut value = sample();
            *value.pointer_mut(pointer).unwrap() = bad;
            let err = parse_manifest("u", &value.to_string()).unwrap_err();
            assert!(
                serde_json::from_value::<Manifest>(value).is_err(),
                "{pointer}: serde refuses it too"
            );
            match err {
                AppError::Parse { message, url, .. } => {
                    assert_eq!(message, expected);
                    assert_eq!(url, "u");
                }
                other => panic!("{pointer}: expected a parse error, got {other:?}"),
            }
        }
        let mut value = sample();
        value.as_object_mut().unwrap().remove("content_hash");
        let err = parse_manifest("u", &value.to_string()).unwrap_err();
        assert!(
            err.to_string().contains("missing field `content_hash`"),
            "{err}"
        );
    }

    #[test]
    fn syntax_errors_keep_their_position() {
        match parse_manifest("u", "{\n  \"format\": 1,").unwrap_err() {
            AppError::Parse { line, column, .. } => assert_eq!((line, column), (2, 14)),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }
}
