//! The README's and `docs/`'s remaining Rust snippets (OAuth connect, file uploads, the
//! ingester, the catalog), each copied verbatim into a function here so it compiles
//! against the crate as it is; `every_ignored_snippet_is_one_compiled_here` fails when a
//! snippet there and its copy here differ. The ingester and catalog snippets also run
//! against a mock; OAuth connect and uploads run, with faults, in their own tests
//! (`oauth_connect.rs`, `file_uploads.rs`).

#![allow(dead_code, unused_variables, clippy::all)]

mod common;

use common::{resource, without_whitespace};
use polar::Client;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

// ---- snippets (verbatim) --------------------------------------------------------------

#[rustfmt::skip]
async fn oauth_connect(
    client_id: String,
    client_secret: String,
    redirect_uri: String,
    callback_query: String,
) -> Result<Client> {
    use polar::oauth_connect::{code_from_callback, OAuthApp, TokenSource};
    use polar::models::{Scope, SubType};

    let app = OAuthApp::new(Client::builder().build()?, client_id, client_secret, redirect_uri);
    let request = app.authorization_url()
        .scopes([Scope::ProductsRead, Scope::OrdersRead])
        .sub_type(SubType::Organization)
        .build()?;                        // redirect to request.url; keep state + pkce_verifier
    // … on the callback:
    let code = code_from_callback(&callback_query, &request.state)?;   // StateMismatch if forged
    let tokens = app.exchange_code(&code, &request.pkce_verifier).await?;
    let source = TokenSource::builder(app, tokens)
        .on_refresh(|tokens| store(tokens))     // Polar rotates refresh tokens: persist each set
        .build();
    let client = Client::builder().access_token_provider(source).build()?;
    Ok(client)
}

/// Where the application keeps the newest tokens.
fn store(_tokens: &polar::oauth_connect::TokenSet) {}

struct ProgressBar;

impl ProgressBar {
    fn set_position(&self, _bytes: u64) {}
}

#[rustfmt::skip]
async fn upload(client: Client, bar: ProgressBar) -> Result<polar::models::FileRead> {
    use polar::{models::FileServiceTypes, uploads::UploadSource};

    let file = client.files()
        .upload(UploadSource::path("ebook.pdf"), "application/pdf")   // or ::bytes, ::reader(r, size)
        .service(FileServiceTypes::Downloadable)
        .on_progress(move |p| bar.set_position(p.bytes))
        .send()
        .await?;
    Ok(file)
}

#[rustfmt::skip]
async fn ingest(client: Client, event: polar::ingest::IngestEvent) -> Result<u64> {
    use polar::ingest::Ingester;

    let ingester = Ingester::builder(client)        // a token with `events:write`
        .spool("usage.spool")                       // optional: survives a kill or a crash
        .build()?;
    ingester.send(event).await?;                    // queued; `try_send` from sync code
    let report = ingester.shutdown().await?;        // returns once everything is sent or failed
    for failed in report.failed { eprintln!("{failed}"); }
    Ok(report.stats.sent)
}

#[rustfmt::skip]
async fn catalog_api(client: Client, id: polar::Uuid) -> Result<(serde_json::Value, serde_json::Value)> {
    use polar::catalog::InvokeOptions;

    use polar::catalog;

    for action in catalog::actions().iter().filter(|a| !a.destructive) { /* … */ }
    let schema = catalog::action("customers:create").unwrap().input_schema();

    let customer = client.invoke("customers:create", json!({"email": "a@example.com"})).await?;
    let every_order = client
        .invoke_with("orders:list", json!({"customer_id": id}), InvokeOptions::all_pages())
        .await?;
    Ok((customer, every_order))
}

// ---- running them ----------------------------------------------------------------------

fn client(server: &MockServer) -> Client {
    Client::builder()
        .access_token("polar_oat_snippets")
        .base_url(server.uri())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_ingester_snippet_sends_its_event() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/events/ingest"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"inserted": 1, "duplicates": 0})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dir = std::env::temp_dir().join(format!("polar-snippet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let previous = std::env::current_dir().unwrap();
    // The snippet names a relative spool file.
    std::env::set_current_dir(&dir).unwrap();
    let event = polar::models::EventCreateExternalCustomer::new(
        polar::models::EventCreateExternalCustomerRequired {
            name: "api_call".to_owned(),
            external_customer_id: "user_1".to_owned(),
        },
    );
    let sent = ingest(client(&server), event.into()).await;
    std::env::set_current_dir(previous).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(sent.unwrap(), 1);
}

#[tokio::test]
async fn the_catalog_snippet_invokes_by_id() {
    let server = MockServer::start().await;
    let customer: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/customer.json")).unwrap();
    Mock::given(method("POST"))
        .and(path("/v1/customers/"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&customer))
        .mount(&server)
        .await;
    let page = json!({"items": [resource("order.created")], "pagination": {"total_count": 1, "max_page": 1}});
    Mock::given(method("GET"))
        .and(path("/v1/orders/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let id: polar::Uuid = customer["id"].as_str().unwrap().parse().unwrap();
    let (created, orders) = catalog_api(client(&server), id).await.unwrap();
    assert_eq!(created["id"], customer["id"]);
    assert_eq!(
        orders["items"].as_array().map(Vec::len),
        Some(1),
        "{orders}"
    );
}

#[test]
fn every_ignored_snippet_is_one_compiled_here() {
    let this_file = without_whitespace(include_str!("doc_snippets.rs"));
    let docs = [
        ("README.md", include_str!("../../README.md")),
        ("docs/catalog.md", include_str!("../../docs/catalog.md")),
    ];
    let mut checked = 0;
    for (name, text) in docs {
        for block in text.split("```rust,ignore\n").skip(1) {
            let snippet = &block[..block.find("```").expect("a closed code block")];
            // The axum handler runs in webhooks_axum.rs.
            if snippet.contains("async fn on_webhook(Verified(") {
                continue;
            }
            assert!(
                this_file.contains(&without_whitespace(snippet)),
                "{name} snippet not compiled by this test:\n{snippet}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 4, "OAuth connect, uploads, ingester, catalog");
}
