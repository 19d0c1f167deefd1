//! The reader's settings: one `Copy` struct of signals, provided above the
//! router, persisted as one versioned value.

use super::modes::{ColorScheme, ElderMode, FontStep, SpeechRate, Switch, TextZoom, Toolbar};
use super::storage::{self, Corrupt, StorageError};
use crate::json::{self, Json};
use gongkai_core::bundle::Variant;
use leptos::prelude::*;

/// Storage key of the settings (prefixed by `storage::KEY_PREFIX`).
pub const SETTINGS_KEY: &str = "settings";

/// Version of the stored settings value.
pub const SETTINGS_VERSION: u64 = 1;

/// The stored form of the settings, e.g.
/// `{"v":1,"script":"zh-Hant","zoom":150,"elder":"on","scheme":"yellow-on-black"}`.
///
/// Fields added later get defaults when absent, so a value written by an
/// older version still loads; a value this version cannot understand (not
/// JSON, a newer `v`, a wrong type or value) is rejected as a whole and set
/// aside, so the reader starts from defaults rather than half a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingsRecord {
    /// 简体 or 繁體.
    pub script: Variant,
    /// Page-wide text size.
    pub zoom: TextZoom,
    /// 长者模式.
    pub elder: ElderMode,
    /// 配色.
    pub scheme: ColorScheme,
    /// 字体 大/中/小 on articles.
    pub font: FontStep,
    /// 大鼠标.
    pub cursor: Switch,
    /// 十字线.
    pub guide: Switch,
    /// 大字幕.
    pub captions: Switch,
    /// 指读.
    pub point_read: Switch,
    /// 纯文本.
    pub textonly: Switch,
    /// Whether the 无障碍阅读 toolbar is open.
    pub toolbar: Toolbar,
    /// 语速.
    pub speech_rate: SpeechRate,
    /// Keyboard shortcuts of the toolbar (on unless the reader turns them off).
    pub shortcuts: Switch,
}

impl Default for SettingsRecord {
    fn default() -> Self {
        SettingsRecord {
            script: Variant::default(),
            zoom: TextZoom::default(),
            elder: ElderMode::default(),
            scheme: ColorScheme::default(),
            font: FontStep::default(),
            cursor: Switch::Off,
            guide: Switch::Off,
            captions: Switch::Off,
            point_read: Switch::Off,
            textonly: Switch::Off,
            toolbar: Toolbar::default(),
            speech_rate: SpeechRate::default(),
            shortcuts: Switch::On,
        }
    }
}

/// Reads field `key` of `object` with `FromStr`, keeping `current` if absent.
fn field<T: std::str::FromStr>(object: &Json, key: &str, current: T) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    match object.get(key) {
        None => Ok(current),
        // Numbers are accepted for numeric modes (`"zoom": 150`).
        Some(Json::Number(n) | Json::String(n)) => n.parse().map_err(|e| format!("{key}:{e}")),
        Some(other) => Err(format!("{key} 的值 {} 类型不对", other.to_text())),
    }
}

impl SettingsRecord {
    /// Parses a stored value.
    pub fn parse(text: &str) -> Result<Self, String> {
        let object = json::parse(text).map_err(|e| format!("不是有效的 JSON({e})"))?;
        if !object.is_object() {
            return Err("不是 JSON 对象".to_owned());
        }
        match object.get("v").and_then(Json::as_u64) {
            Some(SETTINGS_VERSION) => {}
            Some(v) => {
                return Err(format!(
                    "版本 {v} 无法识别(本程序为版本 {SETTINGS_VERSION})"
                ))
            }
            None => return Err("缺少版本号 v".to_owned()),
        }
        let d = SettingsRecord::default();
        Ok(SettingsRecord {
            script: field(&object, "script", d.script)?,
            zoom: field(&object, "zoom", d.zoom)?,
            elder: field(&object, "elder", d.elder)?,
            scheme: field(&object, "scheme", d.scheme)?,
            font: field(&object, "font", d.font)?,
            cursor: field(&object, "cursor", d.cursor)?,
            guide: field(&object, "guide", d.guide)?,
            captions: field(&object, "captions", d.captions)?,
            point_read: field(&object, "point_read", d.point_read)?,
            textonly: field(&object, "textonly", d.textonly)?,
            toolbar: field(&object, "toolbar", d.toolbar)?,
            speech_rate: field(&object, "speech_rate", d.speech_rate)?,
            shortcuts: field(&object, "shortcuts", d.shortcuts)?,
        })
    }

    /// The stored form.
    pub fn to_json(self) -> String {
        let text = |s: &str| Json::String(s.to_owned());
        Json::Object(
            [
                ("v", Json::from(SETTINGS_VERSION)),
                ("script", text(self.script.as_str())),
                // A number, as public/gk-boot.js and older versions read it.
                ("zoom", Json::Number(self.zoom.as_str().to_owned())),
                ("elder", text(self.elder.as_str())),
                ("scheme", text(self.scheme.as_str())),
                ("font", text(self.font.as_str())),
                ("cursor", text(self.cursor.as_str())),
                ("guide", text(self.guide.as_str())),
                ("captions", text(self.captions.as_str())),
                ("point_read", text(self.point_read.as_str())),
                ("textonly", text(self.textonly.as_str())),
                ("toolbar", text(self.toolbar.as_str())),
                ("speech_rate", text(self.speech_rate.as_str())),
                ("shortcuts", text(self.shortcuts.as_str())),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        )
        .to_text()
    }

    /// 重置: every display aid back to its default; the script, the
    /// toolbar (the reader is using it) and the shortcut preference stay.
    pub fn reset(self) -> Self {
        SettingsRecord {
            script: self.script,
            toolbar: self.toolbar,
            shortcuts: self.shortcuts,
            ..SettingsRecord::default()
        }
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
    /// Page-wide text size.
    pub zoom: RwSignal<TextZoom>,
    /// 长者模式.
    pub elder: RwSignal<ElderMode>,
    /// 配色.
    pub scheme: RwSignal<ColorScheme>,
    /// 字体 on articles.
    pub font: RwSignal<FontStep>,
    /// 大鼠标.
    pub cursor: RwSignal<Switch>,
    /// 十字线.
    pub guide: RwSignal<Switch>,
    /// 大字幕.
    pub captions: RwSignal<Switch>,
    /// 指读.
    pub point_read: RwSignal<Switch>,
    /// 纯文本.
    pub textonly: RwSignal<Switch>,
    /// The 无障碍阅读 toolbar.
    pub toolbar: RwSignal<Toolbar>,
    /// 语速.
    pub speech_rate: RwSignal<SpeechRate>,
    /// Toolbar keyboard shortcuts.
    pub shortcuts: RwSignal<Switch>,
    /// A message about the settings themselves (storage problems), shown
    /// under the top bar until dismissed.
    pub notice: RwSignal<Option<String>>,
}

impl Settings {
    /// Signals holding `record`.
    pub fn new(record: SettingsRecord) -> Self {
        Settings {
            script: RwSignal::new(record.script),
            zoom: RwSignal::new(record.zoom),
            elder: RwSignal::new(record.elder),
            scheme: RwSignal::new(record.scheme),
            font: RwSignal::new(record.font),
            cursor: RwSignal::new(record.cursor),
            guide: RwSignal::new(record.guide),
            captions: RwSignal::new(record.captions),
            point_read: RwSignal::new(record.point_read),
            textonly: RwSignal::new(record.textonly),
            toolbar: RwSignal::new(record.toolbar),
            speech_rate: RwSignal::new(record.speech_rate),
            shortcuts: RwSignal::new(record.shortcuts),
            notice: RwSignal::new(None),
        }
    }

    /// Settings from storage, with a notice if the stored value was corrupt.
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
        let settings = Settings::new(record);
        settings.notice.set(notice);
        settings
    }

    /// The current settings as a record, tracking every signal (so an
    /// effect that calls it re-runs on any change).
    pub fn record(&self) -> SettingsRecord {
        SettingsRecord {
            script: self.script.get(),
            zoom: self.zoom.get(),
            elder: self.elder.get(),
            scheme: self.scheme.get(),
            font: self.font.get(),
            cursor: self.cursor.get(),
            guide: self.guide.get(),
            captions: self.captions.get(),
            point_read: self.point_read.get(),
            textonly: self.textonly.get(),
            toolbar: self.toolbar.get(),
            speech_rate: self.speech_rate.get(),
            shortcuts: self.shortcuts.get(),
        }
    }

    /// The current settings as a record, without tracking.
    pub fn record_untracked(&self) -> SettingsRecord {
        untrack(|| self.record())
    }

    /// Sets every signal from `record`.
    pub fn apply(&self, record: SettingsRecord) {
        self.script.set(record.script);
        self.zoom.set(record.zoom);
        self.elder.set(record.elder);
        self.scheme.set(record.scheme);
        self.font.set(record.font);
        self.cursor.set(record.cursor);
        self.guide.set(record.guide);
        self.captions.set(record.captions);
        self.point_read.set(record.point_read);
        self.textonly.set(record.textonly);
        self.toolbar.set(record.toolbar);
        self.speech_rate.set(record.speech_rate);
        self.shortcuts.set(record.shortcuts);
    }

    /// Reads the stored settings again: public/gk-boot.js stored a press of
    /// the static page's buttons made after this app had read them. The
    /// script stays (the URL decides it, and a press of 简体/繁體 loads
    /// another page); an unreadable value changes nothing.
    pub fn reload(&self) {
        if let Loaded::Ok(record) = load() {
            self.apply(SettingsRecord {
                script: self.script.get_untracked(),
                ..record
            });
        }
    }

    /// Saves `record`; a failed write is reported in `notice`.
    pub fn save(&self, record: SettingsRecord) {
        if let Err(e) = storage::write(SETTINGS_KEY, &record.to_json()) {
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
        let all = SettingsRecord {
            script: Variant::Hant,
            zoom: TextZoom::Z175,
            elder: ElderMode::On,
            scheme: ColorScheme::WhiteOnBlue,
            font: FontStep::Large,
            cursor: Switch::On,
            guide: Switch::On,
            captions: Switch::On,
            point_read: Switch::On,
            textonly: Switch::On,
            toolbar: Toolbar::Open,
            speech_rate: SpeechRate::Fast,
            shortcuts: Switch::Off,
        };
        for r in [SettingsRecord::default(), all] {
            assert_eq!(SettingsRecord::parse(&r.to_json()), Ok(r));
        }
    }

    #[test]
    fn zoom_is_stored_as_a_number_and_read_from_either_form() {
        let r = SettingsRecord::parse(r#"{"v":1,"zoom":150}"#).unwrap();
        assert_eq!(r.zoom, TextZoom::Z150);
        let r = SettingsRecord::parse(r#"{"v":1,"zoom":"200"}"#).unwrap();
        assert_eq!(r.zoom, TextZoom::Z200);
        assert!(SettingsRecord::default()
            .to_json()
            .contains(r#""zoom":100"#));
    }

    #[test]
    fn reset_keeps_script_toolbar_and_shortcut_choice() {
        let r = SettingsRecord {
            script: Variant::Hant,
            elder: ElderMode::On,
            zoom: TextZoom::Z200,
            toolbar: Toolbar::Open,
            shortcuts: Switch::Off,
            ..SettingsRecord::default()
        }
        .reset();
        assert_eq!(r.script, Variant::Hant);
        assert_eq!(r.toolbar, Toolbar::Open);
        assert_eq!(r.shortcuts, Switch::Off);
        assert_eq!(r.elder, ElderMode::Off);
        assert_eq!(r.zoom, TextZoom::Z100);
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
            (r#"{"v":1,"script":7}"#, "script"),
            (r#"{"v":1,"script":"zh-TW"}"#, "zh-TW"),
            (r#"{"v":1,"zoom":300}"#, "zoom"),
            (r#"{"v":1,"elder":true}"#, "elder"),
            (r#"{"v":1,"scheme":"pink"}"#, "pink"),
            (r#"{"v":1,"font":null}"#, "font"),
        ];
        for (input, needle) in cases {
            let err = SettingsRecord::parse(input).expect_err(input);
            assert!(err.contains(needle), "{input:?}: {err:?} lacks {needle:?}");
        }
    }
}
