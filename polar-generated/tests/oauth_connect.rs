//! OAuth2 connect helpers against a loopback mock of Polar's authorization server.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use polar::models::{IntrospectTokenRequestTokenTypeHint, Scope, SubType};
use polar::oauth_connect::{
    code_from_callback, OAuthApp, OAuthError, OAuthErrorCode, PkceVerifier, TokenSet, TokenSource,
    PRODUCTION_AUTHORIZE_URL, SANDBOX_AUTHORIZE_URL,
};
use polar::{Client, Environment, Error};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const REDIRECT: &str = "https://app.example/polar/callback";
/// RFC 7636 appendix B's verifier and challenge.
const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A builder for the loopback server that ignores `HTTP_PROXY` and friends.
fn loopback(base_url: &str) -> polar::ClientBuilder {
    let http = polar::client::reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap();
    Client::builder().http_client(http).base_url(base_url)
}

fn api(base_url: &str) -> Client {
    loopback(base_url).max_retries(0).build().unwrap()
}

fn app(server: &MockServer) -> OAuthApp {
    OAuthApp::new(
        api(&server.uri()),
        "polar_ci_test",
        "polar_cs_secret",
        REDIRECT,
    )
    .authorize_endpoint(format!("{}/oauth2/authorize", server.uri()))
}

fn token_json(access: &str, refresh: &str, expires_in: i64) -> serde_json::Value {
    serde_json::json!({
        "access_token": access, "token_type": "Bearer", "expires_in": expires_in,
        "refresh_token": refresh, "scope": "openid products:read", "id_token": null
    })
}

fn expired(access: &str, refresh: &str) -> TokenSet {
    TokenSet::new(
        access,
        Some(refresh.to_owned()),
        Utc::now() - chrono::Duration::seconds(5),
        "products:read",
    )
}

async fn token_requests(server: &MockServer) -> Vec<String> {
    let requests: Vec<Request> = server.received_requests().await.unwrap_or_default();
    requests
        .into_iter()
        .filter(|r| r.url.path() == "/v1/oauth2/token")
        .map(|r| String::from_utf8(r.body).unwrap())
        .collect()
}

#[test]
fn authorize_url_is_exact() {
    let app = OAuthApp::new(
        Client::builder().build().unwrap(),
        "polar_ci_abc",
        "polar_cs_x",
        REDIRECT,
    )
    .authorize_endpoint("https://polar.example/oauth2/authorize");
    let request = app
        .authorization_url()
        .scopes([Scope::ProductsRead, Scope::OrdersRead])
        .scope("openid")
        .scope("future:scope")
        .scope(Scope::ProductsRead)
        .sub_type(SubType::Organization)
        .state("st4te/+")
        .pkce_verifier(PkceVerifier::new(RFC_VERIFIER).unwrap())
        .build()
        .unwrap();
    assert_eq!(
        request.url,
        format!(
            "https://polar.example/oauth2/authorize?response_type=code&client_id=polar_ci_abc\
             &redirect_uri=https%3A%2F%2Fapp.example%2Fpolar%2Fcallback\
             &scope=products%3Aread%20orders%3Aread%20openid%20future%3Ascope\
             &state=st4te%2F%2B&code_challenge={RFC_CHALLENGE}&code_challenge_method=S256\
             &sub_type=organization"
        )
    );
    assert_eq!(request.state, "st4te/+");
    assert_eq!(request.pkce_verifier.secret(), RFC_VERIFIER);
}

#[test]
fn authorize_url_follows_the_environment_and_generates_secrets() {
    for (environment, endpoint) in [
        (Environment::Production, PRODUCTION_AUTHORIZE_URL),
        (Environment::Sandbox, SANDBOX_AUTHORIZE_URL),
    ] {
        let client = Client::builder().environment(environment).build().unwrap();
        let app = OAuthApp::new(client, "ci", "cs", REDIRECT);
        let first = app
            .authorization_url()
            .scope(Scope::Openid)
            .build()
            .unwrap();
        let second = app
            .authorization_url()
            .scope(Scope::Openid)
            .build()
            .unwrap();
        assert!(first
            .url
            .starts_with(&format!("{endpoint}?response_type=code&")));
        assert!(!first.url.contains("sub_type"), "{}", first.url);
        assert_ne!(first.state, second.state);
        assert_ne!(first.pkce_verifier, second.pkce_verifier);
        let challenge = first.pkce_verifier.challenge();
        assert!(first.url.contains(&format!("&code_challenge={challenge}&")));
        assert!(first.url.contains(&format!("&state={}&", first.state)));
    }
}

#[test]
fn authorize_url_bad_configuration_is_an_error() {
    let custom = OAuthApp::new(api("http://127.0.0.1:9"), "ci", "cs", REDIRECT);
    let err = custom.authorization_url().scope(Scope::Openid).build();
    assert!(matches!(err, Err(OAuthError::Config(m)) if m.contains("authorize_endpoint")));
    let prod = OAuthApp::new(Client::builder().build().unwrap(), "ci", "cs", REDIRECT);
    assert!(matches!(
        prod.authorization_url().build(),
        Err(OAuthError::Config(_))
    ));
}

#[tokio::test]
async fn code_exchange_sends_exact_form_and_returns_expiry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json("at1", "rt1", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    let app = app(&server);
    let request = app
        .authorization_url()
        .scope(Scope::ProductsRead)
        .pkce_verifier(PkceVerifier::new(RFC_VERIFIER).unwrap())
        .build()
        .unwrap();
    let callback = format!("{REDIRECT}?code=c%2Fde+1&state={}", request.state);
    let code = code_from_callback(&callback, &request.state).unwrap();
    let before = Utc::now();
    let tokens = app
        .exchange_code(&code, &request.pkce_verifier)
        .await
        .unwrap();

    assert_eq!(
        token_requests(&server).await,
        [format!(
            "grant_type=authorization_code&client_id=polar_ci_test&client_secret=polar_cs_secret\
             &code=c%2Fde%201&redirect_uri=https%3A%2F%2Fapp.example%2Fpolar%2Fcallback\
             &code_verifier={RFC_VERIFIER}"
        )]
    );
    let received = &server.received_requests().await.unwrap()[0];
    assert!(received.headers.get("authorization").is_none());
    assert_eq!(tokens.access_token, "at1");
    assert_eq!(tokens.refresh_token.as_deref(), Some("rt1"));
    let lifetime = tokens.expires_at - before;
    assert!(
        (3599..=3601).contains(&lifetime.num_seconds()),
        "{lifetime:?}"
    );
}

#[tokio::test]
async fn wrong_state_stops_before_any_token_request() {
    let server = MockServer::start().await;
    let app = app(&server);
    let request = app
        .authorization_url()
        .scope(Scope::Openid)
        .build()
        .unwrap();
    let forged = format!("{REDIRECT}?code=stolen&state=attacker");
    let err = code_from_callback(&forged, &request.state).unwrap_err();
    assert!(matches!(err, OAuthError::StateMismatch), "{err}");
    let denied = format!(
        "{REDIRECT}?error=access_denied&error_description=User+declined&state={}",
        request.state
    );
    match code_from_callback(&denied, &request.state).unwrap_err() {
        OAuthError::Authorization { code, description } => {
            assert_eq!(code, OAuthErrorCode::AccessDenied);
            assert_eq!(description.as_deref(), Some("User declined"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn expired_token_is_refreshed_before_the_call_and_stored() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .and(body_string(
            "grant_type=refresh_token&client_id=polar_ci_test&client_secret=polar_cs_secret\
             &refresh_token=rt_old",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_json("at_new", "rt_new", 3600)),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/oauth2/userinfo"))
        .and(header("authorization", "Bearer at_new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "sub": "u1", "name": null, "email": "a@b.c", "email_verified": true
        })))
        .expect(2)
        .mount(&server)
        .await;
    let stored = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = stored.clone();
    let source = TokenSource::builder(app(&server), expired("at_old", "rt_old"))
        .on_refresh(move |tokens| sink.lock().unwrap().push(tokens.clone()))
        .build();
    let client = loopback(&server.uri())
        .access_token("polar_oat_static_is_ignored")
        .access_token_provider(source.clone())
        .build()
        .unwrap();

    client.oauth2().userinfo().send().await.unwrap();
    client.oauth2().userinfo().send().await.unwrap();

    assert_eq!(source.refresh_count().await, 1);
    let current = source.tokens().await;
    let stored = stored.lock().unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].refresh_token.as_deref(), Some("rt_new"));
    assert_eq!(current, stored[0]);
}

#[tokio::test]
async fn token_within_the_margin_is_refreshed_and_fresh_one_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json("at2", "rt2", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    let soon = TokenSet::new(
        "at1",
        Some("rt1".into()),
        Utc::now() + chrono::Duration::seconds(30),
        "",
    );
    let source = TokenSource::builder(app(&server), soon)
        .refresh_margin(Duration::from_secs(60))
        .build();
    assert_eq!(source.access_token().await.unwrap(), "at2");
    assert_eq!(source.access_token().await.unwrap(), "at2");
    assert_eq!(token_requests(&server).await.len(), 1);
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_json("at_shared", "rt2", 3600))
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    let source = TokenSource::new(app(&server), expired("at_old", "rt_old"));
    let served = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let source = source.clone();
            let served = served.clone();
            tokio::spawn(async move {
                let token = source.access_token().await.unwrap();
                served.fetch_add(1, Ordering::SeqCst);
                token
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), "at_shared");
    }
    assert_eq!(served.load(Ordering::SeqCst), 16);
    assert_eq!(token_requests(&server).await.len(), 1);
    assert_eq!(source.refresh_count().await, 1);
}

#[tokio::test]
async fn revoked_refresh_token_is_a_typed_error_and_fails_fast() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_grant", "error_description": "The refresh token was revoked."
        })))
        .expect(1)
        .mount(&server)
        .await;
    let source = TokenSource::new(app(&server), expired("at_old", "rt_revoked"));
    let client = loopback(&server.uri())
        .access_token_provider(source.clone())
        .build()
        .unwrap();

    let err = client.oauth2().userinfo().send().await.unwrap_err();
    let Error::Credential { source: cause, .. } = &err else {
        panic!("expected a credential error, got {err:?}");
    };
    let oauth = cause.downcast_ref::<OAuthError>().expect("an OAuthError");
    assert!(oauth.needs_reconnect(), "{oauth}");
    assert_eq!(oauth.code(), Some(&OAuthErrorCode::InvalidGrant));
    assert!(err.to_string().contains("revoked"), "{err}");

    // Later callers get the same answer without asking Polar again.
    match source.access_token().await.unwrap_err() {
        OAuthError::Token {
            status,
            code,
            description,
        } => {
            assert_eq!(status, 400);
            assert_eq!(code, OAuthErrorCode::InvalidGrant);
            assert_eq!(
                description.as_deref(),
                Some("The refresh token was revoked.")
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(token_requests(&server).await.len(), 1);
    assert!(server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .all(|r| r.url.path() != "/v1/oauth2/userinfo"));

    // A new authorization revives the source.
    source
        .replace(TokenSet::new(
            "at_fresh",
            None,
            Utc::now() + chrono::Duration::hours(1),
            "",
        ))
        .await;
    assert_eq!(source.access_token().await.unwrap(), "at_fresh");
}

#[tokio::test]
async fn no_refresh_token_means_reconnect() {
    let server = MockServer::start().await;
    let tokens = TokenSet::new("at", None, Utc::now(), "");
    let err = TokenSource::new(app(&server), tokens)
        .access_token()
        .await
        .unwrap_err();
    assert!(matches!(err, OAuthError::NoRefreshToken) && err.needs_reconnect());
}

#[tokio::test]
async fn revoke_and_introspect_send_forms() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/revoke"))
        .and(body_string(
            "token=rt1&token_type_hint=refresh_token&client_id=polar_ci_test\
             &client_secret=polar_cs_secret",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/introspect"))
        .and(body_string(
            "token=at_live&client_id=polar_ci_test&client_secret=polar_cs_secret",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "active": true, "client_id": "polar_ci_test", "token_type": "access_token",
            "scope": "openid", "sub_type": "organization", "sub": "org1",
            "organizations": ["org1"], "aud": "polar_ci_test", "iss": "https://polar.sh",
            "exp": 1900000000, "iat": 1800000000
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/introspect"))
        .and(body_string(
            "token=at_dead&client_id=polar_ci_test&client_secret=polar_cs_secret",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"active": false})),
        )
        .mount(&server)
        .await;
    let app = app(&server);
    app.revoke(
        "rt1",
        Some(IntrospectTokenRequestTokenTypeHint::RefreshToken),
    )
    .await
    .unwrap();
    let live = app.introspect("at_live", None).await.unwrap().unwrap();
    assert_eq!(live.sub_type, SubType::Organization);
    assert_eq!(live.organizations, ["org1"]);
    assert!(app.introspect("at_dead", None).await.unwrap().is_none());
}

/// Counts calls and hands out `tok1`, `tok2`, …
struct CountingProvider(AtomicUsize);

impl polar::client::AccessTokenProvider for CountingProvider {
    fn access_token(&self) -> polar::client::AccessTokenFuture<'_> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move { Ok(format!("tok{n}")) })
    }
}

#[tokio::test]
async fn provider_is_asked_before_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/oauth2/userinfo"))
        .and(header("authorization", "Bearer tok1"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/oauth2/userinfo"))
        .and(header("authorization", "Bearer tok2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "sub": "u1", "name": null, "email": "a@b.c", "email_verified": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = loopback(&server.uri())
        .retry_policy(
            polar::RetryPolicy::new()
                .max_retries(1)
                .initial_backoff(Duration::from_millis(1)),
        )
        .access_token_provider(CountingProvider(AtomicUsize::new(0)))
        .build()
        .unwrap();
    client.oauth2().userinfo().send().await.unwrap();
    // Operations without security never ask the provider.
    let revoke =
        polar::models::RevokeTokenRequest::new(polar::models::RevokeTokenRequestRequired {
            token: "t".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
        });
    let _ = client.oauth2().revoke(revoke).send().await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests[2].headers.get("authorization").is_none());
}

/// A token response that fails to decode must not put its tokens in logs.
#[tokio::test]
async fn broken_token_response_keeps_tokens_out_of_error_text() {
    const ACCESS: &str = "polar_at_u_LEAKEDACCESSTOKEN0123456789";
    const REFRESH: &str = "polar_rt_u_LEAKEDREFRESHTOKEN0123456789";
    let bodies = [
        // A wrong type elsewhere: the body (with both tokens) must not be printed.
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": ACCESS, "token_type": "Bearer", "expires_in": "soon",
            "refresh_token": REFRESH, "scope": "openid"
        })),
        // A token where a number belongs: serde quotes the value in its message.
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": ACCESS, "token_type": "Bearer", "expires_in": REFRESH,
            "refresh_token": REFRESH, "scope": "openid"
        })),
        // Not JSON at all.
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/plain")
            .set_body_string(format!("access_token={ACCESS}&refresh_token={REFRESH}")),
    ];
    for body in bodies {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/oauth2/token"))
            .respond_with(body)
            .mount(&server)
            .await;
        let err = app(&server)
            .refresh(REFRESH)
            .await
            .expect_err("the response does not decode");
        for text in [format!("{err:?}"), err.to_string()] {
            assert!(
                !text.contains("LEAKED"),
                "a token reached the error text: {text}"
            );
        }
        let api = match &err {
            OAuthError::Request(api) => api,
            other => panic!("expected an API error, got {other:?}"),
        };
        assert!(api.raw_body().unwrap().contains(ACCESS), "{api:?}");
    }
}

/// Polar rotates the refresh token on every refresh: a caller cancelled while the refresh
/// is in flight (a timeout, a dropped request) must not lose the new one.
#[tokio::test]
async fn a_refresh_whose_caller_is_cancelled_still_stores_the_rotated_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_json("at_rotated", "rt_rotated", 3600))
                .set_delay(Duration::from_millis(300)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let stored = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = stored.clone();
    let source = TokenSource::builder(app(&server), expired("at_old", "rt_old"))
        .on_refresh(move |tokens| sink.lock().unwrap().push(tokens.clone()))
        .build();
    let cancelled = tokio::time::timeout(Duration::from_millis(50), source.access_token()).await;
    assert!(cancelled.is_err(), "the caller gave up before the answer");
    tokio::time::timeout(Duration::from_secs(10), async {
        while stored.lock().unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the refresh completed without its caller");
    let tokens = source.tokens().await;
    assert_eq!(tokens.refresh_token.as_deref(), Some("rt_rotated"));
    assert_eq!(source.access_token().await.unwrap(), "at_rotated");
    assert_eq!(stored.lock().unwrap().len(), 1);
    assert_eq!(token_requests(&server).await.len(), 1);
}
