//! The HTTP client. (Placeholder: the runtime issue fills it in.)

/// Per-call overrides of retry and timeout settings.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {}

/// The Polar API client.
#[derive(Debug, Clone)]
pub struct Client {}

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {}

/// Which Polar deployment to talk to.
#[derive(Debug, Clone)]
pub enum Environment {
    Production,
    Sandbox,
}
