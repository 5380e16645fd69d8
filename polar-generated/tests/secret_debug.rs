//! Models that carry credentials (OAuth tokens, client secrets) print them in `Debug` by
//! presence only, so logging a response never logs a token; the values stay readable and
//! are still serialized.

use polar::models::{
    RefreshTokenRequest, RefreshTokenRequestRequired, TokenResponse, WebTokenRequest,
    WebTokenRequestRequired,
};

const SECRETS: [&str; 5] = [
    "polar_at_u_SECRET1",
    "polar_rt_u_SECRET2",
    "eyJhbGciOiJSUzI1NiJ9.SECRET3",
    "polar_cs_SECRET4",
    "polar_cst_SECRET5",
];

fn assert_hidden(debug: &str) {
    for secret in SECRETS {
        assert!(!debug.contains(secret), "{secret} printed in {debug}");
    }
    assert!(debug.contains("<redacted>"), "{debug}");
}

#[test]
fn token_responses_and_requests_never_print_their_secrets() {
    let tokens: TokenResponse = serde_json::from_value(serde_json::json!({
        "access_token": SECRETS[0],
        "token_type": "Bearer",
        "expires_in": 3600,
        "refresh_token": SECRETS[1],
        "scope": "openid",
        "id_token": SECRETS[2],
    }))
    .unwrap();
    for debug in [format!("{tokens:?}"), format!("{tokens:#?}")] {
        assert_hidden(&debug);
        assert!(
            debug.contains("3600") && debug.contains("openid"),
            "{debug}"
        );
    }
    assert_eq!(
        tokens.access_token, SECRETS[0],
        "the value itself is intact"
    );
    let sent = serde_json::to_string(&tokens).unwrap();
    assert!(sent.contains(SECRETS[1]), "serialization keeps the value");

    let refresh = RefreshTokenRequest::new(RefreshTokenRequestRequired {
        client_id: "client_1".into(),
        client_secret: SECRETS[3].into(),
        refresh_token: SECRETS[1].into(),
    });
    assert_hidden(&format!("{refresh:?}"));
    assert!(format!("{refresh:?}").contains("client_1"));
    let web = WebTokenRequest::new(WebTokenRequestRequired {
        client_id: "client_1".into(),
        client_secret: SECRETS[3].into(),
        session_token: SECRETS[4].into(),
    });
    assert_hidden(&format!("{web:?}"));
}
