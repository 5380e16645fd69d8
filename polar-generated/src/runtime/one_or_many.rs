//! [`OneOrMany`]: what a list filter accepts, so `.customer_id(id)` and
//! `.customer_id([a, b])` both read as the user means them.

/// One value or a list of values for a filter that takes many (`?customer_id=…&customer_id=…`).
///
/// List operations' filters take `impl OneOrMany<T>`, so a single value, an array, a `Vec`
/// or a slice all work:
///
/// ```
/// use polar::{OneOrMany, Uuid};
///
/// // As a filter setter takes it, e.g. `client.orders().list().customer_id(…)`:
/// fn customer_id(ids: impl OneOrMany<Uuid>) -> Vec<Uuid> {
///     ids.into_vec()
/// }
/// let (a, b) = (Uuid::nil(), Uuid::max());
/// assert_eq!(customer_id(a), [a]);
/// assert_eq!(customer_id([a, b]), [a, b]);
/// assert_eq!(customer_id(vec![a, b]), [a, b]);
/// assert_eq!(customer_id(&[a, b][..]), [a, b]);
///
/// // String filters also take `&str`s.
/// fn external_id(ids: impl OneOrMany<String>) -> Vec<String> {
///     ids.into_vec()
/// }
/// assert_eq!(external_id("ada"), ["ada"]);
/// assert_eq!(external_id(["ada", "grace"]), ["ada", "grace"]);
/// ```
///
/// A trait rather than `impl Into<Vec<T>>` because the standard library has no
/// `From<T> for Vec<T>`, and rather than `IntoIterator` because a single value is not one.
pub trait OneOrMany<T> {
    /// The values, in order.
    fn into_vec(self) -> Vec<T>;
}

impl<T> OneOrMany<T> for T {
    fn into_vec(self) -> Vec<T> {
        vec![self]
    }
}

impl<T> OneOrMany<T> for Vec<T> {
    fn into_vec(self) -> Vec<T> {
        self
    }
}

impl<T, const N: usize> OneOrMany<T> for [T; N] {
    fn into_vec(self) -> Vec<T> {
        self.into()
    }
}

impl<T: Clone> OneOrMany<T> for &[T] {
    fn into_vec(self) -> Vec<T> {
        self.to_vec()
    }
}

impl<T: Clone, const N: usize> OneOrMany<T> for &[T; N] {
    fn into_vec(self) -> Vec<T> {
        self.to_vec()
    }
}

impl<T: Clone> OneOrMany<T> for &Vec<T> {
    fn into_vec(self) -> Vec<T> {
        self.clone()
    }
}

impl OneOrMany<String> for &str {
    fn into_vec(self) -> Vec<String> {
        vec![self.to_owned()]
    }
}

impl OneOrMany<String> for &String {
    fn into_vec(self) -> Vec<String> {
        vec![self.clone()]
    }
}

impl OneOrMany<String> for Vec<&str> {
    fn into_vec(self) -> Vec<String> {
        self.into_iter().map(str::to_owned).collect()
    }
}

impl<const N: usize> OneOrMany<String> for [&str; N] {
    fn into_vec(self) -> Vec<String> {
        self.into_iter().map(str::to_owned).collect()
    }
}

impl OneOrMany<String> for &[&str] {
    fn into_vec(self) -> Vec<String> {
        self.iter().map(|s| (*s).to_owned()).collect()
    }
}
