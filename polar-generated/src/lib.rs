//! Typed Rust client and webhook events for the [Polar API](https://polar.sh/docs/api-reference).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use polar::models::CustomerIndividualCreate;
//!
//! let client = polar::Client::from_env()?; // POLAR_ACCESS_TOKEN, POLAR_ENVIRONMENT
//! let request = CustomerIndividualCreate::new("ada@example.com").name("Ada Lovelace");
//! let customer = client.customers().create(request).await?;
//! println!("created customer {:?}", customer.id());
//!
//! let products = client.products().list().is_archived(false).await?;
//! for product in &products.items {
//!     println!("{} {}", product.id, product.name);
//! }
//! # Ok(()) }
//! ```
//!
//! The models, operations and webhook events in this crate are generated from Polar's
//! OpenAPI document by `cargo xtask regenerate`; the client, errors, retries, pagination
//! and webhook verification are hand-written.
//!
//! Everything a user needs is at the crate root: [`Client`] (built with
//! [`ClientBuilder`]), [`Environment`], [`Error`], [`RequestOptions`], [`RetryPolicy`],
//! the [`models`], [`Webhook`] and [`WebhookEvent`], and [`http`] to build a
//! `HeaderMap`. The modules [`client`] and [`webhooks`] hold the rest of those APIs
//! (defaults, environment variable names, header names, secrets, signing).
//!
//! A list builder's `stream()` is a [`Paginator`]: `next().await` walks every item of every
//! page, `collect_all(max_items)` gathers them under a cap. Filters that take several values
//! take one as well ([`OneOrMany`]).
//!
//! [`Webhook::verify_and_parse`] gives a delivery's `webhook-id` (the key to deduplicate
//! on) and timestamp with its event; [`Webhook::verify`] keeps the raw body to parse later.
//! With the `axum` feature, `polar::webhooks::axum::Verified` does both in an extractor.
//!
//! IDs and times need no other dependency: every `id` is a [`Uuid`], every date-time a
//! [`DateTime<Utc>`](DateTime) and every date a [`NaiveDate`], re-exported here together
//! with the [`uuid`] and [`chrono`] crates themselves.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod bindings;
mod runtime;

#[cfg(feature = "ingest")]
pub mod ingest;

#[cfg(feature = "catalog")]
pub mod catalog;

#[rustfmt::skip]
mod generated;
pub use generated::*;

#[cfg(feature = "oauth-connect")]
pub mod oauth_connect;
#[cfg(feature = "file-uploads")]
pub mod uploads;

pub use runtime::error::Error;

#[cfg(feature = "__client")]
pub use client::{Client, ClientBuilder, Environment};
#[cfg(feature = "__client")]
pub use runtime::one_or_many::OneOrMany;
#[cfg(feature = "__client")]
pub use runtime::options::{RequestOptions, RetryPolicy};
#[cfg(feature = "__client")]
pub use runtime::pagination::Paginator;

#[cfg(feature = "webhooks")]
pub use webhooks::{Webhook, WebhookError};

/// The `chrono` crate this crate is built with (its `std`, `clock` and `serde` features).
pub use chrono;
/// The type of every date-time in the API: `DateTime<Utc>`, serialized as RFC 3339.
pub use chrono::DateTime;
/// The type of every calendar date (without a time) in the API.
pub use chrono::NaiveDate;
/// The time zone of every date-time in the API (`Utc::now()` is the current time).
pub use chrono::Utc;
/// The `uuid` crate this crate is built with (its `std` and `serde` features).
pub use uuid;
/// The type of every `id` in the API (a UUID; `"…".parse::<Uuid>()` reads one).
pub use uuid::Uuid;

/// The `http` crate this crate is built with (for `HeaderMap`, `StatusCode`, …).
#[cfg(any(feature = "__client", feature = "webhooks"))]
pub use http;

/// The `axum` crate the webhook extractors are built for, with its HTTP/1 server
/// (`axum::serve`): an app needs no axum dependency of its own.
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use axum;

/// The HTTP client: its builder, environments, defaults, environment variables and the
/// hook for access tokens that change.
#[cfg(feature = "__client")]
pub mod client {
    pub use crate::runtime::client::{
        reqwest, Client, ClientBuilder, Environment, ResponseInfo, ResponseObserver,
        DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT,
        ENV_ACCESS_TOKEN, ENV_BASE_URL, ENV_ENVIRONMENT, USER_AGENT,
    };
    pub use crate::runtime::credential::{AccessTokenFuture, AccessTokenProvider, CredentialError};
    /// The HTTP method of a request, as [`ResponseInfo`] reports it.
    pub use crate::runtime::request::Method;
}

#[cfg(feature = "webhooks")]
pub use runtime::webhooks;

/// Not public API: what this crate's own tests and benches use from the runtime. It may
/// change in any release.
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
