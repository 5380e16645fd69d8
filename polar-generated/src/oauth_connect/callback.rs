//! The redirect back from Polar: check `state`, take the `code` or the error.

use super::error::{OAuthError, OAuthErrorCode};
use super::pkce::constant_time_eq;

/// Reads the query of the redirect to your `redirect_uri` (the part after `?`, or the
/// whole URL) and returns the authorization code, after checking that `state` equals the
/// one you sent (`expected_state`, from [`super::AuthorizationRequest::state`]).
///
/// The state is checked first, so a forged redirect is reported as
/// [`OAuthError::StateMismatch`] whatever else it carries; an `error` parameter becomes
/// [`OAuthError::Authorization`] (e.g. `access_denied` when the user declined).
pub fn code_from_callback(query: &str, expected_state: &str) -> Result<String, OAuthError> {
    let query = match query.split_once('?') {
        Some((_, query)) => query,
        None => query,
    };
    let query = query.split('#').next().unwrap_or_default();
    let (mut state, mut code, mut error, mut description) = (None, None, None, None);
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value);
        match decode(name).as_str() {
            "state" => state = Some(value),
            "code" => code = Some(value),
            "error" => error = Some(value),
            "error_description" => description = Some(value),
            _ => {}
        }
    }
    match state {
        Some(state) if !expected_state.is_empty() && constant_time_eq(&state, expected_state) => {}
        _ => return Err(OAuthError::StateMismatch),
    }
    if let Some(error) = error {
        return Err(OAuthError::Authorization {
            code: OAuthErrorCode::parse(&error),
            description: description.filter(|text| !text.is_empty()),
        });
    }
    code.filter(|code| !code.is_empty())
        .ok_or(OAuthError::MissingCode)
}

/// Form decoding of one query component: `+` is a space, `%XX` a byte.
fn decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_code_when_state_matches() {
        let url = "https://app.example/callback?code=abc%2F1&state=s1";
        assert_eq!(code_from_callback(url, "s1").unwrap(), "abc/1");
        assert_eq!(code_from_callback("state=s1&code=x", "s1").unwrap(), "x");
    }

    #[test]
    fn wrong_missing_or_empty_state_is_a_mismatch() {
        for query in ["code=x&state=s2", "code=x", "code=x&state="] {
            assert!(matches!(
                code_from_callback(query, "s1"),
                Err(OAuthError::StateMismatch)
            ));
        }
        assert!(matches!(
            code_from_callback("code=x&state=", ""),
            Err(OAuthError::StateMismatch)
        ));
    }

    #[test]
    fn error_parameters_become_a_typed_error() {
        let err = code_from_callback(
            "?error=access_denied&error_description=The+user+said+no&state=s1",
            "s1",
        )
        .unwrap_err();
        match err {
            OAuthError::Authorization { code, description } => {
                assert_eq!(code, OAuthErrorCode::AccessDenied);
                assert_eq!(description.as_deref(), Some("The user said no"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            code_from_callback("state=s1", "s1"),
            Err(OAuthError::MissingCode)
        ));
    }
}
