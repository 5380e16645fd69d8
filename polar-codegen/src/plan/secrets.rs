//! Which model fields hold secrets (tokens, client and signing secrets, API keys, license
//! keys): their `Debug` shows presence only. Decided from the wire name, so that a field
//! Polar adds next month under a familiar name is covered without a list to update.

use std::collections::BTreeSet;

use crate::ir::{Primitive, StructDef, TypeRef};

/// Indices of the secret string fields of `s`.
pub fn secret_fields(s: &StructDef) -> BTreeSet<usize> {
    // A struct with a masked `display_key` carries the real license key in `key`.
    let has_display_key = s.fields.iter().any(|f| f.name == "display_key");
    s.fields
        .iter()
        .enumerate()
        .filter(|(_, f)| is_string(&f.ty))
        .filter(|(_, f)| is_secret_name(&f.name) || (has_display_key && f.name == "key"))
        .map(|(i, _)| i)
        .collect()
}

/// `token`, `*_token`, `secret`, `*_secret`, `api_key`; never counts (`input_tokens`),
/// ids (`confirmation_token_id`), hints (`token_type`) or masks (`client_secret_last_4`).
fn is_secret_name(name: &str) -> bool {
    name == "token"
        || name.ends_with("_token")
        || name == "secret"
        || name.ends_with("_secret")
        || name == "api_key"
}

fn is_string(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Primitive(Primitive::String) => true,
        TypeRef::Nullable(inner) => is_string(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_and_lookalikes() {
        for secret in [
            "token",
            "access_token",
            "refresh_token",
            "customer_session_token",
            "client_secret",
            "signing_secret",
            "secret",
            "api_key",
        ] {
            assert!(is_secret_name(secret), "{secret}");
        }
        for plain in [
            "token_type",
            "input_tokens",
            "confirmation_token_id",
            "client_secret_last_4",
            "invitation_token_expires_at",
            "key",
        ] {
            assert!(!is_secret_name(plain), "{plain}");
        }
    }
}
