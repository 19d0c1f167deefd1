//! One enum per display mode. Each has `as_str()` (the value of its data
//! attribute on the app root and of its stored form) and a `FromStr` that
//! round-trips it, so no mode is ever a loose bool or string.

use std::fmt;
use std::str::FromStr;

/// A mode value that is not one of its enum's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: unknown value {value:?}, expected one of {expected}")]
pub struct UnknownMode {
    /// Which mode.
    pub kind: &'static str,
    /// The value found.
    pub value: String,
    /// The accepted values, comma-separated.
    pub expected: String,
}

macro_rules! mode_enum {
    (
        $(#[$meta:meta])*
        $name:ident : $kind:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
        default $default:ident
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The attribute / stored value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::$default
            }
        }

        impl FromStr for $name {
            type Err = UnknownMode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownMode {
                        kind: $kind,
                        value: s.to_owned(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

mode_enum! {
    /// Page-wide text size (无障碍阅读 放大 / 缩小), in per cent.
    TextZoom: "zoom" {
        /// 100 %.
        Z100 => "100",
        /// 125 %.
        Z125 => "125",
        /// 150 %.
        Z150 => "150",
        /// 175 %.
        Z175 => "175",
        /// 200 %.
        Z200 => "200",
    }
    default Z100
}

impl TextZoom {
    /// One step larger, saturating at 200 %.
    pub fn larger(self) -> Self {
        let i = Self::ALL.iter().position(|z| *z == self).unwrap_or(0);
        Self::ALL[(i + 1).min(Self::ALL.len() - 1)]
    }

    /// One step smaller, saturating at 100 %.
    pub fn smaller(self) -> Self {
        let i = Self::ALL.iter().position(|z| *z == self).unwrap_or(0);
        Self::ALL[i.saturating_sub(1)]
    }
}

mode_enum! {
    /// 长者模式.
    ElderMode: "elder" {
        /// Off.
        Off => "off",
        /// On: larger text and targets, single column, no motion.
        On => "on",
    }
    default Off
}

mode_enum! {
    /// 配色: the colour scheme.
    ColorScheme: "scheme" {
        /// The site's own colours.
        Default => "default",
        /// 黑底黄字.
        YellowOnBlack => "yellow-on-black",
        /// 黑底白字.
        WhiteOnBlack => "white-on-black",
        /// 白底黑字.
        BlackOnWhite => "black-on-white",
        /// 蓝底白字.
        WhiteOnBlue => "white-on-blue",
    }
    default Default
}

impl ColorScheme {
    /// The next scheme, for the shortcut that cycles through them.
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

mode_enum! {
    /// 字体 大 / 中 / 小: the article text size.
    FontStep: "font" {
        /// 小.
        Small => "small",
        /// 中.
        Medium => "medium",
        /// 大.
        Large => "large",
    }
    default Medium
}

mode_enum! {
    /// An aid that is on or off (大鼠标, 十字线, 大字幕, 指读, 纯文本, 快捷键).
    Switch: "switch" {
        /// Off.
        Off => "off",
        /// On.
        On => "on",
    }
    default Off
}

impl Switch {
    /// Whether it is on.
    pub fn is_on(self) -> bool {
        self == Switch::On
    }

    /// The other value.
    pub fn toggled(self) -> Self {
        match self {
            Switch::Off => Switch::On,
            Switch::On => Switch::Off,
        }
    }

    /// `"true"` / `"false"` for `aria-pressed`.
    pub fn pressed(self) -> &'static str {
        if self.is_on() {
            "true"
        } else {
            "false"
        }
    }
}

impl ElderMode {
    /// `"true"` / `"false"` for `aria-pressed`.
    pub fn pressed(self) -> &'static str {
        if self == ElderMode::On {
            "true"
        } else {
            "false"
        }
    }

    /// The other value.
    pub fn toggled(self) -> Self {
        match self {
            ElderMode::Off => ElderMode::On,
            ElderMode::On => ElderMode::Off,
        }
    }
}

mode_enum! {
    /// Whether the 无障碍阅读 toolbar is open.
    Toolbar: "toolbar" {
        /// Closed.
        Closed => "closed",
        /// Open.
        Open => "open",
    }
    default Closed
}

mode_enum! {
    /// 语速: the speech rate.
    SpeechRate: "speech_rate" {
        /// 慢.
        Slow => "slow",
        /// 正常.
        Normal => "normal",
        /// 快.
        Fast => "fast",
    }
    default Normal
}

impl SpeechRate {
    /// The Web Speech API `rate`.
    pub fn rate(self) -> f32 {
        match self {
            SpeechRate::Slow => 0.7,
            SpeechRate::Normal => 1.0,
            SpeechRate::Fast => 1.4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: Copy + PartialEq + fmt::Debug + FromStr + fmt::Display>(all: &[T]) {
        for v in all {
            let parsed: Result<T, _> = v.to_string().parse();
            assert!(matches!(parsed, Ok(p) if p == *v), "{v:?}");
        }
    }

    #[test]
    fn every_mode_round_trips() {
        round_trips(TextZoom::ALL);
        round_trips(ElderMode::ALL);
        round_trips(ColorScheme::ALL);
        round_trips(FontStep::ALL);
        round_trips(Switch::ALL);
        round_trips(Toolbar::ALL);
        round_trips(SpeechRate::ALL);
    }

    #[test]
    fn unknown_values_name_the_mode_and_the_choices() {
        let err = "huge".parse::<FontStep>().unwrap_err();
        assert_eq!(err.kind, "font");
        assert_eq!(err.expected, "small, medium, large");
    }

    #[test]
    fn zoom_steps_saturate() {
        assert_eq!(TextZoom::Z100.smaller(), TextZoom::Z100);
        assert_eq!(TextZoom::Z100.larger(), TextZoom::Z125);
        assert_eq!(TextZoom::Z200.larger(), TextZoom::Z200);
        let mut z = TextZoom::Z100;
        for _ in 0..4 {
            z = z.larger();
        }
        assert_eq!(z, TextZoom::Z200);
    }

    #[test]
    fn schemes_cycle() {
        let mut s = ColorScheme::Default;
        for _ in 0..ColorScheme::ALL.len() {
            s = s.next();
        }
        assert_eq!(s, ColorScheme::Default);
    }
}
