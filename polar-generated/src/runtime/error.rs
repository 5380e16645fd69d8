//! The crate's error type. (Placeholder: the runtime issue fills in the variants.)

/// Any failure of an API call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The response body did not decode into the operation's type.
    Decode(crate::runtime::json::DecodeError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Decode(err) => write!(f, "could not decode the response {err}"),
        }
    }
}

impl std::error::Error for Error {}
