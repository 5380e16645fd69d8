//! Doc comments from spec text, made safe for rustdoc: code fences are marked `text`
//! so that Python or TypeScript samples are never compiled as doctests.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// Doc attributes for `docs`, followed by `extra` paragraphs.
pub fn doc_attrs(docs: &Docs, extra: &[String]) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    // Polar's titles are mostly the humanized name ("Created At"): the description says more.
    match (&docs.title, &docs.description) {
        (_, Some(description)) => paragraphs.push(description.clone()),
        (Some(title), None) => paragraphs.push(title.clone()),
        (None, None) => {}
    }
    paragraphs.extend(extra.iter().cloned());
    let text = sanitize(&paragraphs.join("\n\n"));
    lines_to_attrs(&text)
}

pub fn lines_to_attrs(text: &str) -> TokenStream {
    if text.trim().is_empty() {
        return quote!();
    }
    let lines = text.lines().map(|line| {
        // prettyplease prints `#[doc = "x"]` as `///x`: keep a space after `///`.
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Mark every code fence as plain text and trim trailing whitespace.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                let _ = rest;
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        out.push(line.trim_end().to_owned());
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_and_are_closed() {
        let text = "Intro\n```python\nprint(1)\n```\n```\nunclosed";
        assert_eq!(
            sanitize(text),
            "Intro\n```text\nprint(1)\n```\n```text\nunclosed\n```"
        );
    }
}
