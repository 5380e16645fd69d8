//! Serde building blocks for generated models: forward-compatible string enums,
//! `const` literals, tagged and untagged unions, and absent-vs-null fields.
//!
//! Generated code writes every enum and unit type as a plain item and then calls one
//! of the `__…_impls!` macros below with only the type name and its variant list, so
//! the serde logic lives (and is reviewed and tested) once.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Serialize;
use serde_json::Value;

/// Deserialize a string and map it through `from_str` without allocating for known values.
pub fn deserialize_str_with<'de, D, T>(
    deserializer: D,
    from_str: fn(&str) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct StrVisitor<T>(fn(&str) -> T);
    impl<T> Visitor<'_> for StrVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok((self.0)(v))
        }
    }
    deserializer.deserialize_str(StrVisitor(from_str))
}

/// Deserialize a string that must equal `expected` (an OpenAPI `const`).
pub fn deserialize_literal<'de, D>(deserializer: D, expected: &'static str) -> Result<(), D::Error>
where
    D: Deserializer<'de>,
{
    struct LiteralVisitor(&'static str);
    impl Visitor<'_> for LiteralVisitor {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "the string {:?}", self.0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
            if v == self.0 {
                Ok(())
            } else {
                Err(E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
    }
    deserializer.deserialize_str(LiteralVisitor(expected))
}

/// One branch of an untagged union: the object keys it knows, its decoder, and whether a
/// decoded value only matched by falling into an inner union's `Unknown`.
pub type UntaggedBranch<T> = (
    &'static [&'static str],
    fn(Value) -> Result<T, serde_json::Error>,
    fn(&T) -> bool,
);

/// Decode an untagged union by the *most specific* matching branch.
///
/// Polar's `oneOf` branches overlap (a legacy price is also a valid newer price), so
/// "exactly one branch matches" cannot hold. For an object, branches are tried in order of
/// how many of the object's keys they know (ties keep the spec's order); the first branch
/// that decodes wins. Other values try branches in the spec's order. A branch that is a
/// union keeping unknown values accepts anything, so a match that lands in its `Unknown`
/// counts only when no other branch decodes, and only if `settle_for_inner_unknown`
/// (else the value is the outer union's own unknown).
pub fn decode_untagged<T>(
    type_name: &str,
    value: Value,
    branches: &[UntaggedBranch<T>],
    settle_for_inner_unknown: bool,
) -> Result<T, (Value, String)> {
    let mut order: Vec<(usize, usize)> = branches
        .iter()
        .enumerate()
        .map(|(index, (known, _, _))| {
            let score = match &value {
                Value::Object(map) => map.keys().filter(|k| known.contains(&k.as_str())).count(),
                _ => 0,
            };
            (index, score)
        })
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut failures = Vec::new();
    let mut inner_unknown = None;
    for (index, _) in order {
        let (_, decode, is_inner_unknown) = &branches[index];
        match decode(value.clone()) {
            Ok(decoded) if is_inner_unknown(&decoded) => {
                failures.push(format!("branch {}: no variant of it matched", index + 1));
                inner_unknown.get_or_insert(decoded);
            }
            Ok(decoded) => return Ok(decoded),
            Err(err) => failures.push(format!("branch {}: {err}", index + 1)),
        }
    }
    match inner_unknown {
        Some(decoded) if settle_for_inner_unknown => Ok(decoded),
        _ => Err((
            value,
            format!(
                "no variant of {type_name} matched ({})",
                failures.join("; ")
            ),
        )),
    }
}

/// The "matched only through an inner union's `Unknown`" check of one untagged branch:
/// `nested` marks a branch holding such a union.
#[doc(hidden)]
#[macro_export]
macro_rules! __untagged_inner_unknown {
    ($variant:ident) => {
        |_: &Self| false
    };
    ($variant:ident nested) => {
        |value: &Self| matches!(value, Self::$variant(inner) if inner.__is_unknown())
    };
}

/// Decode a discriminated-union branch, keeping the inner JSON path in the message.
pub fn decode_tagged_branch<T: de::DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        format!("at `{path}`: {}", err.into_inner())
    })
}

/// `Option<Option<T>>` for optional *and* nullable fields: `None` is absent (skipped),
/// `Some(None)` is an explicit `null`, `Some(Some(v))` is a value.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(Some(inner)) => inner.serialize(s),
            _ => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// Serialize any value that is `Serialize` (used by the union macros).
pub fn serialize_value<T: Serialize + ?Sized, S: serde::Serializer>(
    value: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    value.serialize(s)
}

/// The impls of a forward-compatible string enum. The generated crate writes the
/// `pub enum` itself (known values as unit variants plus `Unknown(String)`) and hands
/// this macro only the type name and each variant's wire string.
#[doc(hidden)]
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum_impls {
    ($name:ident { $( $variant:ident = $wire:literal, )* }) => {
        impl $name {
            /// Every value this version of the crate knows, as sent on the wire.
            pub const KNOWN_VALUES: &'static [&'static str] = &[$($wire),*];

            /// The wire string of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(value) => value,
                }
            }

            fn from_wire(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from_wire(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::serde_helpers::deserialize_str_with(d, Self::from_wire)
            }
        }

        #[cfg(feature = "__client")]
        impl $crate::runtime::query::QueryValue for $name {
            fn to_query_value(&self) -> ::std::string::String {
                self.as_str().to_owned()
            }
        }
    };
}

/// The impls of a unit type for an OpenAPI `const` string: it serializes to the value
/// and accepts only it.
#[doc(hidden)]
#[doc(hidden)]
#[macro_export]
macro_rules! __literal_impls {
    ($name:ident = $wire:literal) => {
        impl $name {
            /// The only value this type accepts.
            pub const VALUE: &'static str = $wire;
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str($wire)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::serde_helpers::deserialize_literal(d, $wire).map(|()| $name)
            }
        }

        #[cfg(feature = "__client")]
        impl $crate::runtime::query::QueryValue for $name {
            fn to_query_value(&self) -> ::std::string::String {
                $wire.to_owned()
            }
        }
    };
}

/// The impls of a unit type for an OpenAPI boolean `const`.
#[doc(hidden)]
#[doc(hidden)]
#[macro_export]
macro_rules! __literal_bool_impls {
    ($name:ident = $value:literal) => {
        impl $name {
            /// The only value this type accepts.
            pub const VALUE: bool = $value;
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_bool($value)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let value = <bool as ::serde::Deserialize>::deserialize(d)?;
                if value == $value {
                    Ok($name)
                } else {
                    Err(D::Error::custom(::std::format!(
                        "expected the constant {}",
                        $value
                    )))
                }
            }
        }

        #[cfg(feature = "__client")]
        impl $crate::runtime::query::QueryValue for $name {
            fn to_query_value(&self) -> ::std::string::String {
                $value.to_string()
            }
        }
    };
}

/// The impls of a discriminated union (`oneOf` + `discriminator`): the tag picks the
/// branch, and an unknown tag is kept as raw JSON in the enum's `Unknown(Value)`
/// variant instead of failing. Takes the type name, the tag property and each
/// variant's tag values.
#[doc(hidden)]
#[doc(hidden)]
#[macro_export]
macro_rules! __tagged_union_impls {
    ($name:ident, tag = $tag:literal, { $( $variant:ident = [$($wire:literal),+], )* }) => {
        impl $name {
            #[doc(hidden)]
            pub fn __is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            /// The value of the tag property.
            pub fn tag(&self) -> ::std::option::Option<&str> {
                match self {
                    $( Self::$variant(_) => Some([$($wire),+][0]), )*
                    Self::Unknown(value) => value.get($tag).and_then(|tag| tag.as_str()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(inner) => $crate::runtime::serde_helpers::serialize_value(inner, s), )*
                    Self::Unknown(value) => $crate::runtime::serde_helpers::serialize_value(value, s),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                let tag = value.get($tag).and_then(|tag| tag.as_str()).map(str::to_owned);
                match tag.as_deref() {
                    $( Some($($wire)|+) => $crate::runtime::serde_helpers::decode_tagged_branch(value)
                        .map(Self::$variant)
                        .map_err(D::Error::custom), )*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    };
}

/// The impls of an untagged union (`anyOf` / `oneOf` without discriminator), decoded
/// by the most specific matching branch (see [`decode_untagged`]). Takes the type name
/// and, per variant, the object keys its branch knows.
#[doc(hidden)]
#[doc(hidden)]
#[macro_export]
macro_rules! __untagged_union_impls {
    ($name:ident { $( $variant:ident = [$($known:literal),*] $($nested:ident)?, )* }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(inner) => $crate::runtime::serde_helpers::serialize_value(inner, s), )*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                $crate::runtime::serde_helpers::decode_untagged(
                    stringify!($name),
                    value,
                    &[$( (
                        &[$($known),*],
                        |v| ::serde_json::from_value(v).map(Self::$variant),
                        $crate::__untagged_inner_unknown!($variant $($nested)?),
                    ), )*],
                    true,
                )
                .map_err(|(_, message)| D::Error::custom(message))
            }
        }
    };
    // Received from Polar: a value no branch matches is kept, not an error.
    ($name:ident, unknown, { $( $variant:ident = [$($known:literal),*] $($nested:ident)?, )* }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(inner) => $crate::runtime::serde_helpers::serialize_value(inner, s), )*
                    Self::Unknown(value) => $crate::runtime::serde_helpers::serialize_value(value, s),
                }
            }
        }

        impl $name {
            #[doc(hidden)]
            pub fn __is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                ::std::result::Result::Ok(
                    $crate::runtime::serde_helpers::decode_untagged(
                        stringify!($name),
                        value,
                        &[$( (
                            &[$($known),*],
                            |v| ::serde_json::from_value(v).map(Self::$variant),
                            $crate::__untagged_inner_unknown!($variant $($nested)?),
                        ), )*],
                        false,
                    )
                    .unwrap_or_else(|(value, _)| Self::Unknown(value)),
                )
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test enum.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum Status {
        Active,
        PastDue,
        Unknown(String),
    }

    crate::__string_enum_impls!(Status {
        Active = "active",
        PastDue = "past_due",
    });

    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub struct Custom;

    crate::__literal_impls!(Custom = "custom");

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Legacy {
        r#type: Custom,
        amount: i64,
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Newer {
        r#type: Custom,
        amount: i64,
        currency: String,
    }

    #[derive(Debug, Clone, PartialEq)]
    pub enum Tagged {
        Custom(Legacy),
        Unknown(Value),
    }

    crate::__tagged_union_impls!(Tagged, tag = "type", {
        Custom = ["custom"],
    });

    #[derive(Debug, Clone, PartialEq)]
    pub enum Overlapping {
        Legacy(Legacy),
        Newer(Newer),
    }

    crate::__untagged_union_impls!(Overlapping {
        Legacy = ["type", "amount"],
        Newer = ["type", "amount", "currency"],
    });

    #[derive(Debug, Clone, PartialEq)]
    pub enum Scalar {
        Str(String),
        Int(i64),
        Num(f64),
        Bool(bool),
    }

    crate::__untagged_union_impls!(Scalar {
        Str = [],
        Int = [],
        Num = [],
        Bool = [],
    });

    #[test]
    fn string_enum_round_trips_unknown_values() {
        assert_eq!(Status::KNOWN_VALUES, ["active", "past_due"]);
        let known: Status = serde_json::from_str("\"past_due\"").unwrap();
        assert_eq!(known, Status::PastDue);
        let unknown: Status = serde_json::from_str("\"paused_forever\"").unwrap();
        assert_eq!(unknown, Status::Unknown("paused_forever".into()));
        assert_eq!(
            serde_json::to_string(&unknown).unwrap(),
            "\"paused_forever\""
        );
        assert!(serde_json::from_str::<Status>("3").is_err());
    }

    #[test]
    fn literal_accepts_only_its_value() {
        assert_eq!(Custom::VALUE, "custom");
        assert_eq!(serde_json::to_string(&Custom).unwrap(), "\"custom\"");
        assert!(serde_json::from_str::<Custom>("\"custom\"").is_ok());
        let err = serde_json::from_str::<Custom>("\"discord\"").unwrap_err();
        assert!(err.to_string().contains("custom"), "{err}");
    }

    #[test]
    fn tagged_union_keeps_tag_in_branch_and_unknown_tags_raw() {
        let json = r#"{"type":"custom","amount":5}"#;
        let parsed: Tagged = serde_json::from_str(json).unwrap();
        assert_eq!(
            parsed,
            Tagged::Custom(Legacy {
                r#type: Custom,
                amount: 5
            })
        );
        assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        let unknown: Tagged = serde_json::from_str(r#"{"type":"new","x":1}"#).unwrap();
        assert_eq!(unknown.tag(), Some("new"));
        assert_eq!(
            serde_json::to_string(&unknown).unwrap(),
            r#"{"type":"new","x":1}"#
        );
        let err = serde_json::from_str::<Tagged>(r#"{"type":"custom","amount":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("amount"), "{err}");
    }

    #[test]
    fn untagged_union_prefers_most_specific_branch() {
        let newer: Overlapping =
            serde_json::from_str(r#"{"type":"custom","amount":1,"currency":"usd"}"#).unwrap();
        assert!(matches!(newer, Overlapping::Newer(_)), "{newer:?}");
        let legacy: Overlapping = serde_json::from_str(r#"{"type":"custom","amount":1}"#).unwrap();
        assert!(matches!(legacy, Overlapping::Legacy(_)), "{legacy:?}");
        let err = serde_json::from_str::<Overlapping>(r#"{"type":"other"}"#).unwrap_err();
        assert!(
            err.to_string().contains("no variant of Overlapping"),
            "{err}"
        );
    }

    #[test]
    fn untagged_scalars_keep_declared_order() {
        assert_eq!(serde_json::from_str::<Scalar>("7").unwrap(), Scalar::Int(7));
        assert_eq!(
            serde_json::from_str::<Scalar>("7.5").unwrap(),
            Scalar::Num(7.5)
        );
        assert_eq!(
            serde_json::from_str::<Scalar>("true").unwrap(),
            Scalar::Bool(true)
        );
        assert_eq!(
            serde_json::from_str::<Scalar>("\"a\"").unwrap(),
            Scalar::Str("a".into())
        );
    }

    #[test]
    fn double_option_distinguishes_absent_null_and_value() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Patch {
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                with = "double_option"
            )]
            name: Option<Option<String>>,
        }
        assert_eq!(serde_json::to_string(&Patch { name: None }).unwrap(), "{}");
        assert_eq!(
            serde_json::to_string(&Patch { name: Some(None) }).unwrap(),
            r#"{"name":null}"#
        );
        assert_eq!(
            serde_json::from_str::<Patch>("{}").unwrap(),
            Patch { name: None }
        );
        assert_eq!(
            serde_json::from_str::<Patch>(r#"{"name":null}"#).unwrap(),
            Patch { name: Some(None) }
        );
        assert_eq!(
            serde_json::from_str::<Patch>(r#"{"name":"x"}"#).unwrap(),
            Patch {
                name: Some(Some("x".into()))
            }
        );
    }
}
