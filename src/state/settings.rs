//! The reader's settings: one `Copy` struct of signals, provided above the
//! router, persisted as one versioned value.

use super::storage::{self, Corrupt, StorageError};
use gongkai_core::bundle::Variant;
use leptos::prelude::*;
use serde_json::{json, Map, Value};

/// Storage key of the settings (prefixed by `storage::KEY_PREFIX`).
pub const SETTINGS_KEY: &str = "settings";

/// Version of the stored settings value.
pub const SETTINGS_VERSION: u64 = 1;

/// The stored form of the settings: `{"v":1,"script":"zh-Hant"}`.
///
/// Fields added later get defaults when absent, so a value written by an
/// older version still loads; a value this version cannot understand (not
/// JSON, a newer `v`, a wrong type) is rejected as a whole and set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SettingsRecord {
    /// 简体 or 繁體.
    pub script: Variant,
}

impl SettingsRecord {
    /// Parses a stored value.
    pub fn parse(text: &str) -> Result<Self, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("不是有效的 JSON({e})"))?;
        let object: &Map<String, Value> = value.as_object().ok_or("不是 JSON 对象")?;
        match object.get("v").and_then(Value::as_u64) {
            Some(SETTINGS_VERSION) => {}
            Some(v) => {
                return Err(format!(
                    "版本 {v} 无法识别(本程序为版本 {SETTINGS_VERSION})"
                ))
            }
            None => return Err("缺少版本号 v".to_owned()),
        }
        let mut record = SettingsRecord::default();
        if let Some(script) = object.get("script") {
            let s = script.as_str().ok_or("script 不是字符串")?;
            record.script = s.parse().map_err(|e| format!("{e}"))?;
        }
        Ok(record)
    }

    /// The stored form.
    pub fn to_json(self) -> String {
        json!({ "v": SETTINGS_VERSION, "script": self.script.as_str() }).to_string()
    }
}

/// What loading the stored settings found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// A value was read (or there was none and defaults apply).
    Ok(SettingsRecord),
    /// The value was unreadable, set aside, and defaults apply.
    Corrupt(Corrupt),
    /// Storage cannot be used; settings last for this visit only.
    Unavailable(StorageError),
}

/// Reads the stored settings, setting aside a value that cannot be read.
pub fn load() -> Loaded {
    match storage::read(SETTINGS_KEY) {
        Ok(None) => Loaded::Ok(SettingsRecord::default()),
        Ok(Some(text)) => match SettingsRecord::parse(&text) {
            Ok(record) => Loaded::Ok(record),
            Err(reason) => {
                // Keep the bad value for inspection; if even that fails the
                // defaults still apply and the message says so.
                let _ = storage::set_aside(SETTINGS_KEY, &text);
                Loaded::Corrupt(Corrupt {
                    key: format!("{}{SETTINGS_KEY}", storage::KEY_PREFIX),
                    reason,
                })
            }
        },
        Err(e) => Loaded::Unavailable(e),
    }
}

/// App-wide settings as signals. `Copy`, so every component can take it from
/// context; only the controls that change a setting write to it.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// 简体 or 繁體.
    pub script: RwSignal<Variant>,
    /// A message about the settings themselves (storage problems), shown
    /// once under the top bar until dismissed.
    pub notice: RwSignal<Option<String>>,
}

impl Settings {
    /// Settings from storage, with a notice if storage was unusable or corrupt.
    pub fn from_storage() -> Self {
        let (record, notice) = match load() {
            Loaded::Ok(r) => (r, None),
            Loaded::Corrupt(c) => (
                SettingsRecord::default(),
                Some(format!(
                    "保存的显示设置无法读取,已恢复默认设置;原值已另存为 {}.corrupt。({})",
                    c.key, c.reason
                )),
            ),
            // Storage blocked (private mode, sandboxed frame) is common and
            // harmless for settings: they simply last for this visit.
            Loaded::Unavailable(_) => (SettingsRecord::default(), None),
        };
        Settings {
            script: RwSignal::new(record.script),
            notice: RwSignal::new(notice),
        }
    }

    /// The current settings as a record.
    pub fn record_untracked(&self) -> SettingsRecord {
        SettingsRecord {
            script: self.script.get_untracked(),
        }
    }

    /// Saves the settings; a failure is reported in `notice`.
    pub fn save(&self) {
        if let Err(e) = storage::write(SETTINGS_KEY, &self.record_untracked().to_json()) {
            if !matches!(e, StorageError::Unavailable(_)) {
                self.notice
                    .set(Some(format!("显示设置未能保存,仅本次访问有效:{e}")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for script in [Variant::Hans, Variant::Hant] {
            let r = SettingsRecord { script };
            assert_eq!(SettingsRecord::parse(&r.to_json()), Ok(r));
        }
    }

    #[test]
    fn missing_fields_take_defaults() {
        assert_eq!(
            SettingsRecord::parse(r#"{"v":1}"#),
            Ok(SettingsRecord::default())
        );
    }

    #[test]
    fn malformed_values_are_rejected_with_a_reason() {
        let cases = [
            ("", "JSON"),
            ("{", "JSON"),
            ("null", "对象"),
            ("[1]", "对象"),
            (r#"{"script":"zh-Hant"}"#, "版本"),
            (r#"{"v":"1"}"#, "版本"),
            (r#"{"v":2,"script":"zh-Hant"}"#, "版本 2"),
            (r#"{"v":1,"script":7}"#, "字符串"),
            (r#"{"v":1,"script":"zh-TW"}"#, "zh-TW"),
        ];
        for (input, needle) in cases {
            let err = SettingsRecord::parse(input).expect_err(input);
            assert!(err.contains(needle), "{input:?}: {err:?} lacks {needle:?}");
        }
    }
}
