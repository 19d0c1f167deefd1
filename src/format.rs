//! Pure formatting helpers for the views, tested natively.

use crate::i18n::Msg;
use gongkai_core::bundle::Variant;
use gongkai_core::date::parse_rfc3339;

/// `YYYY-MM-DD` in Beijing time for an RFC 3339 timestamp. A value the
/// builder let through is always valid; should one not be, the first ten
/// characters are shown rather than nothing.
pub fn display_date(rfc3339: &str) -> String {
    match parse_rfc3339(rfc3339) {
        Ok(dt) => dt.beijing_date(),
        Err(_) => rfc3339.chars().take(10).collect(),
    }
}

/// A short, familiar label for a MIME type: `PDF`, `Word`, `Excel`, …
pub fn mime_label(mime: &str, script: Variant) -> String {
    let mime = mime.split(';').next().unwrap_or("").trim();
    let label = match mime {
        "application/pdf" => "PDF",
        "application/msword"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "Word",
        "application/vnd.ms-excel"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "Excel",
        "application/vnd.ms-powerpoint"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "PPT",
        "application/zip" | "application/x-zip-compressed" => "ZIP",
        "application/vnd.ofd" | "application/ofd" => "OFD",
        "text/plain" => "TXT",
        _ => "",
    };
    if !label.is_empty() {
        return label.to_owned();
    }
    match mime.split_once('/') {
        Some(("image", sub)) => format!("{} {}", Msg::Image.get(script), sub.to_uppercase()),
        Some((_, sub)) if !sub.is_empty() => sub.to_uppercase(),
        _ => Msg::File.get(script).to_owned(),
    }
}

/// A file size as readers expect it: `980 B`, `12.3 KB`, `4.5 MB`.
pub fn display_size(bytes: u64) -> String {
    // Integer arithmetic, rounding half up to one decimal: formatting an
    // `f64` with a precision pulls core's exact float printer (about 10 KB)
    // into the wasm for this one line.
    let (unit, name) = match bytes {
        0..=1023 => return format!("{bytes} B"),
        1024..=0xF_FFFF => (1u128 << 10, "KB"),
        0x10_0000..=0x3FFF_FFFF => (1 << 20, "MB"),
        _ => (1 << 30, "GB"),
    };
    let tenths = (u128::from(bytes) * 10 + unit / 2) / unit;
    format!("{}.{} {name}", tenths / 10, tenths % 10)
}

/// The page number from a `?page=` value: absent means 1; anything that is
/// not a positive integer is `None` (the route answers 404).
pub fn parse_page(value: Option<&str>) -> Option<usize> {
    match value {
        None => Some(1),
        Some(v) => v.parse::<usize>().ok().filter(|&n| n >= 1),
    }
}

/// The window of page numbers to show in a pager: at most `width` numbers
/// centred on `current`, always within `1..=pages`.
pub fn page_window(current: usize, pages: usize, width: usize) -> std::ops::RangeInclusive<usize> {
    let pages = pages.max(1);
    let width = width.clamp(1, pages);
    let half = width / 2;
    let start = current.saturating_sub(half).max(1).min(pages + 1 - width);
    start..=start + width - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_beijing_time() {
        assert_eq!(display_date("2023-07-14T09:30:00+08:00"), "2023-07-14");
        // 20:00 UTC is 04:00 the next day in Beijing.
        assert_eq!(display_date("2023-07-13T20:00:00Z"), "2023-07-14");
        assert_eq!(display_date("garbage-value"), "garbage-va");
    }

    #[test]
    fn mime_labels() {
        assert_eq!(mime_label("application/pdf", Variant::Hans), "PDF");
        assert_eq!(
            mime_label(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                Variant::Hans
            ),
            "Word"
        );
        assert_eq!(
            mime_label("application/vnd.ms-excel", Variant::Hans),
            "Excel"
        );
        assert_eq!(mime_label("image/png", Variant::Hans), "图片 PNG");
        assert_eq!(mime_label("application/x-foo", Variant::Hans), "X-FOO");
        assert_eq!(mime_label("", Variant::Hans), "文件");
    }

    #[test]
    fn sizes() {
        assert_eq!(display_size(0), "0 B");
        assert_eq!(display_size(1023), "1023 B");
        assert_eq!(display_size(1024), "1.0 KB");
        assert_eq!(display_size(1_572_864), "1.5 MB");
        assert_eq!(display_size(12_595), "12.3 KB");
        // Just under 1023.95 KB stays, from there it rounds up, as `{:.1}` does.
        assert_eq!(display_size(1_048_524), "1023.9 KB");
        assert_eq!(display_size(1_048_525), "1024.0 KB");
        assert_eq!(display_size(3 * 1024 * 1024 * 1024), "3.0 GB");
        assert_eq!(display_size(u64::MAX), "17179869184.0 GB");
        // The float formatting this replaced, over a spread of sizes.
        for bytes in (1024..50_000_000u64).step_by(9_973) {
            let expected = match bytes {
                b if b < 1 << 20 => format!("{:.1} KB", b as f64 / 1024.0),
                b => format!("{:.1} MB", b as f64 / 1_048_576.0),
            };
            assert_eq!(display_size(bytes), expected, "{bytes} B");
        }
    }

    #[test]
    fn page_parameter() {
        assert_eq!(parse_page(None), Some(1));
        assert_eq!(parse_page(Some("3")), Some(3));
        assert_eq!(parse_page(Some("0")), None);
        assert_eq!(parse_page(Some("-1")), None);
        assert_eq!(parse_page(Some("abc")), None);
    }

    #[test]
    fn pager_window() {
        assert_eq!(page_window(1, 1, 5), 1..=1);
        assert_eq!(page_window(1, 10, 5), 1..=5);
        assert_eq!(page_window(5, 10, 5), 3..=7);
        assert_eq!(page_window(10, 10, 5), 6..=10);
        assert_eq!(page_window(2, 3, 5), 1..=3);
    }
}
