//! Files the page hands to the learner: a scenario, the records shown.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a file called `name` of type `mime`.
///
/// # Errors
///
/// A sentence when the browser refuses to make the file.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let refused = || "the browser refused to make the file".to_owned();
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| refused())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| refused())?;
    let anchor: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| refused())?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    set_timeout(
        move || drop(web_sys::Url::revoke_object_url(&url)),
        std::time::Duration::from_secs(5),
    );
    Ok(())
}

/// `text` as a JSON string literal.
#[must_use]
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as a CSV field (RFC 4180): quoted when it holds a comma, quote
/// or line break, quotes doubled.
#[must_use]
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
