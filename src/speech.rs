//! Reading aloud with the browser's Web Speech API, and finding the text a
//! reader points at. Used by 指读, 连读 and 大字幕.
//!
//! The API is looked up on `window` at each call rather than bound once, so
//! a browser without it (or a test that replaces it) is handled at the
//! moment of use with [`SpeechError::Unsupported`], never a panic.

use gongkai_core::bundle::Variant;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, SpeechSynthesis, SpeechSynthesisUtterance};

/// Elements whose text is read as one piece.
pub const READABLE: &str = "p, li, h1, h2, h3, h4, h5, h6, dt, dd, th, td, caption, figcaption, \
                            blockquote, a, button, label, summary, select";

/// Why speech did not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpeechError {
    /// The browser has no `speechSynthesis`.
    #[error("speech synthesis is not available in this browser")]
    Unsupported,
}

fn global(name: &str) -> Option<JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn synthesis() -> Result<SpeechSynthesis, SpeechError> {
    if global("SpeechSynthesisUtterance").is_none() {
        return Err(SpeechError::Unsupported);
    }
    global("speechSynthesis")
        .map(JsCast::unchecked_into)
        .ok_or(SpeechError::Unsupported)
}

/// Whether the browser can speak.
pub fn is_supported() -> bool {
    synthesis().is_ok()
}

/// The BCP 47 tag to ask the synthesiser for.
fn speech_lang(script: Variant) -> &'static str {
    match script {
        Variant::Hans => "zh-CN",
        Variant::Hant => "zh-TW",
    }
}

/// A voice for `lang` (or any Chinese voice), when the browser lists one.
fn chinese_voice(synth: &SpeechSynthesis, lang: &str) -> Option<web_sys::SpeechSynthesisVoice> {
    // Some implementations (and test doubles) have no getVoices.
    let get = js_sys::Reflect::get(synth, &JsValue::from_str("getVoices")).ok()?;
    if !get.is_function() {
        return None;
    }
    let voices = synth.get_voices();
    let mut fallback = None;
    for v in voices.iter() {
        let voice: web_sys::SpeechSynthesisVoice = v.unchecked_into();
        let l = voice.lang();
        if l.eq_ignore_ascii_case(lang) {
            return Some(voice);
        }
        if fallback.is_none() && l.to_ascii_lowercase().starts_with("zh") {
            fallback = Some(voice);
        }
    }
    fallback
}

/// Stops what is being read and reads `texts` in order (the synthesiser
/// queues them).
pub fn speak(texts: &[String], script: Variant, rate: f32) -> Result<(), SpeechError> {
    let synth = synthesis()?;
    synth.cancel();
    let lang = speech_lang(script);
    let voice = chinese_voice(&synth, lang);
    for text in texts.iter().filter(|t| !t.is_empty()) {
        let utterance =
            SpeechSynthesisUtterance::new_with_text(text).map_err(|_| SpeechError::Unsupported)?;
        utterance.set_lang(lang);
        utterance.set_rate(rate);
        if let Some(v) = &voice {
            utterance.set_voice(Some(v));
        }
        synth.speak(&utterance);
    }
    Ok(())
}

/// Stops reading.
pub fn stop() {
    if let Ok(synth) = synthesis() {
        synth.cancel();
    }
}

/// The text of `element` as a reader hears it: whitespace collapsed.
pub fn text_of(element: &Element) -> String {
    let text = element.text_content().unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The readable element at or around an event target, inside `root`.
pub fn readable_at(target: &JsValue, root: &Element) -> Option<Element> {
    let element = target.dyn_ref::<Element>()?;
    let found = element.closest(READABLE).ok().flatten()?;
    (root.contains(Some(&found))).then_some(found)
}

/// The blocks 连读 reads on this page, in document order: the page heading,
/// then the article body's top-level blocks (or, off an article, every
/// readable block of `main`).
pub fn reading_order(main: &Element) -> Vec<Element> {
    let selector = if main
        .query_selector(".gk-article__body")
        .ok()
        .flatten()
        .is_some()
    {
        ".gk-article__title, .gk-article__body > *"
    } else {
        "h1, li, p"
    };
    let Ok(nodes) = main.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<Element>().ok())
        .filter(|e| !text_of(e).is_empty())
        .collect()
}
