//! `WebhookEvent`: one variant per webhook in the spec, tagged by the payload's `type`.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{ident, Context};
use super::docs::doc_attrs;

pub fn module(ctx: &Context) -> TokenStream {
    let hooks = &ctx.api.webhooks;
    let variant_names = &ctx.plan.webhook_variants;
    let variants = hooks.iter().zip(variant_names).map(|(h, name)| {
        let variant = ident(name);
        let payload = ctx.type_ident(&h.payload);
        let docs = doc_attrs(&h.docs, &[format!("Event type `{}`.", h.event)]);
        quote!(#docs #variant(::std::boxed::Box<crate::models::#payload>),)
    });
    let names: Vec<&String> = hooks.iter().map(|h| &h.event).collect();
    let type_arms = hooks.iter().zip(variant_names).map(|(h, name)| {
        let variant = ident(name);
        let event = &h.event;
        quote!(Self::#variant(_) => #event,)
    });
    let decode_arms = hooks.iter().zip(variant_names).map(|(h, name)| {
        let variant = ident(name);
        let event = &h.event;
        quote!(#event => crate::runtime::json::decode(body).map(Self::#variant),)
    });
    let serialize_arms = variant_names.iter().map(|name| {
        let variant = ident(name);
        quote!(Self::#variant(payload) => ::serde::Serialize::serialize(payload, serializer),)
    });
    let value_arms = hooks.iter().zip(variant_names).map(|(h, name)| {
        let variant = ident(name);
        let event = &h.event;
        quote!(#event => ::serde_json::from_value(value).map(Self::#variant).map_err(D::Error::custom),)
    });
    quote! {
        //! Webhook events, one variant per event type in the spec.

        /// A webhook event delivered by Polar, tagged by its `type`.
        ///
        /// Parse one with `WebhookEvent::from_slice` or verify and parse with
        /// [`crate::webhooks`]. Event types this version of the crate does not
        /// know become [`WebhookEvent::Unknown`], so a new Polar event never breaks a
        /// running integration.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            #(#variants)*
            /// An event type this version of the crate does not know yet.
            Unknown {
                /// The payload's `type`.
                event_type: ::std::string::String,
                /// The whole payload.
                raw: ::serde_json::Value,
            },
        }

        impl WebhookEvent {
            /// Every event type this version of the crate knows.
            pub const EVENT_TYPES: &'static [&'static str] = &[#(#names),*];

            /// The event's `type`, e.g. `order.paid`.
            pub fn event_type(&self) -> &str {
                match self {
                    #(#type_arms)*
                    Self::Unknown { event_type, .. } => event_type,
                }
            }

            /// Decode a payload whose `type` is `event_type`; `None` if the type is unknown.
            pub fn decode_known(
                event_type: &str,
                body: &[u8],
            ) -> ::std::option::Option<::std::result::Result<Self, crate::runtime::json::DecodeError>> {
                ::std::option::Option::Some(match event_type {
                    #(#decode_arms)*
                    _ => return ::std::option::Option::None,
                })
            }
        }

        /// Serializes the decoded payload: JSON that decodes back to an equal event, not
        /// Polar's bytes. Optional fields that are `null` or absent are left out, fields this
        /// crate does not know are dropped, timestamps are written as RFC 3339 in UTC
        /// (`2026-10-01T12:00:00Z`) and keys follow the struct's order. The `Unknown` payload
        /// is written as received. Keep the raw body to store or forward the exact bytes.
        impl ::serde::Serialize for WebhookEvent {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::Unknown { raw, .. } => ::serde::Serialize::serialize(raw, serializer),
                }
            }
        }

        /// Deserializes a payload by its `type` (e.g. an event stored earlier); prefer
        /// `WebhookEvent::from_slice` on raw bytes, which is faster and reports the JSON path.
        impl<'de> ::serde::Deserialize<'de> for WebhookEvent {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let event_type = value
                    .get("type")
                    .and_then(::serde_json::Value::as_str)
                    .ok_or_else(|| D::Error::custom("webhook payload without a string `type`"))?
                    .to_owned();
                match event_type.as_str() {
                    #(#value_arms)*
                    _ => ::std::result::Result::Ok(Self::Unknown { event_type, raw: value }),
                }
            }
        }
    }
}
