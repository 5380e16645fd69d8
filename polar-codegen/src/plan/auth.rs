//! Security requirements (scheme names from the spec) → the runtime's credential kinds.

use std::collections::BTreeSet;

use crate::error::SpecError;
use crate::ir::Operation;

/// Which credential the runtime attaches: the variants of `runtime::request::Auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Credential {
    /// No security requirement: send no token.
    None,
    /// Organization access token, personal access token or OAuth2 access token.
    AccessToken,
    /// Customer session token (customer portal).
    CustomerSession,
    /// Customer session or member session token (customer portal).
    CustomerOrMemberSession,
}

impl Credential {
    /// The `runtime::request::Auth` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Credential::None => "None",
            Credential::AccessToken => "AccessToken",
            Credential::CustomerSession => "CustomerSession",
            Credential::CustomerOrMemberSession => "CustomerOrMemberSession",
        }
    }
}

/// Schemes whose token is an access token (OAuth2, personal, organization).
const ACCESS_TOKEN_SCHEMES: &[&str] = &["oidc", "pat", "oat"];
const CUSTOMER_SESSION: &str = "customer_session";
const MEMBER_SESSION: &str = "member_session";

/// The credential an operation needs; an unknown scheme is an error naming it.
pub fn credential(op: &Operation) -> Result<Credential, SpecError> {
    let schemes: BTreeSet<&str> = op
        .security
        .iter()
        .flat_map(|alternative| alternative.schemes.iter().map(String::as_str))
        .collect();
    if schemes.is_empty() {
        return Ok(Credential::None);
    }
    let token = ACCESS_TOKEN_SCHEMES.iter().any(|s| schemes.contains(s));
    let customer = schemes.contains(CUSTOMER_SESSION);
    let member = schemes.contains(MEMBER_SESSION);
    Ok(match (token, customer, member) {
        (true, _, _) => Credential::AccessToken,
        (false, true, false) => Credential::CustomerSession,
        (false, _, true) => Credential::CustomerOrMemberSession,
        _ => {
            return Err(SpecError::new(
                format!("{}/security", op.origin),
                format!("unsupported security schemes {schemes:?}"),
            ))
        }
    })
}
