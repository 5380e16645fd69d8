//! How generated models print secret fields (tokens, client secrets, webhook secrets,
//! license keys) in `Debug`: by presence only, so that logging a model never logs a
//! credential. The generator decides which fields are secret; the value stays readable
//! through the field itself and in serialization.

use std::fmt;

/// A secret field in `Debug`: `"<redacted>"`, or `None` / `Some("<redacted>")`.
pub(crate) struct Redacted<'a, T: ?Sized>(pub(crate) &'a T);

impl fmt::Debug for Redacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

impl<T> fmt::Debug for Redacted<'_, Option<T>>
where
    for<'b> Redacted<'b, T>: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("None"),
            Some(value) => f.debug_tuple("Some").field(&Redacted(value)).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Redacted;

    #[test]
    fn secrets_print_by_presence_only() {
        let token = "polar_oat_secret".to_owned();
        assert_eq!(format!("{:?}", Redacted(&token)), "\"<redacted>\"");
        let some: Option<Option<String>> = Some(Some(token.clone()));
        assert_eq!(
            format!("{:?}", Redacted(&some)),
            "Some(Some(\"<redacted>\"))"
        );
        let none: Option<String> = None;
        assert_eq!(format!("{:?}", Redacted(&none)), "None");
        assert!(!format!("{:#?}", Redacted(&some)).contains("polar_oat"));
    }
}
