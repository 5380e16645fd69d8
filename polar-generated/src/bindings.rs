//! The seam between the hand-written runtime and the generated code.
//!
//! The runtime never names a generated item directly: it takes what it needs from the
//! spec (the API version, the servers, the error-body type, the webhook event enum)
//! through this module. A change in the generator's layout changes this file only.

pub use crate::generated::ApiErrorBody;
#[cfg(feature = "webhooks")]
pub use crate::generated::WebhookEvent;
#[cfg(feature = "__client")]
pub use crate::generated::API_VERSION;

/// The base URL the spec declares for the server `id` (`x-speakeasy-server-id`).
///
/// Evaluated in constants, so a spec without the server fails the build with this
/// message instead of failing at run time.
#[cfg(feature = "__client")]
pub(crate) const fn server_url(id: &str) -> &'static str {
    let servers = crate::generated::SERVERS;
    let mut i = 0;
    while i < servers.len() {
        if str_eq(servers[i].0, id) {
            return servers[i].1;
        }
        i += 1;
    }
    panic!("the spec declares no server for one of the client's environments")
}

#[cfg(feature = "__client")]
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
