//! Request models built with their generated constructors and setters: the bytes on the
//! wire for absent vs `null` fields, type tags filled in, union branches converting
//! into their union, and field syntax still working.

use polar::models::{
    BenefitCreate, BenefitCustomCreate, BenefitCustomCreateProperties, CustomerCreate,
    CustomerIndividualCreate, CustomerTeamCreate, CustomerUpdate, MetadataValue,
};
use polar::Client;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const CUSTOMER: &str = include_str!("fixtures/customer.json");

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(CUSTOMER, "application/json"))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .access_token("polar_oat_secret")
        .http_client(
            polar::client::reqwest::Client::builder()
                .no_proxy()
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

async fn sent_bodies(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect()
}

#[tokio::test]
async fn patch_sends_null_to_clear_and_leaves_unset_fields_out() {
    let server = server().await;
    let client = client(&server);
    let id = uuid::Uuid::nil();
    client
        .customers()
        .update(id, CustomerUpdate::new().clear_name())
        .send()
        .await
        .unwrap();
    client
        .customers()
        .update(id, CustomerUpdate::new().email("ada@example.com"))
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.method.as_str() == "PATCH"));
    assert_eq!(
        sent_bodies(&server).await,
        [r#"{"name":null}"#, r#"{"email":"ada@example.com"}"#]
    );
}

#[tokio::test]
async fn awaiting_a_builder_sends_it_like_send_does() {
    let server = server().await;
    let client = client(&server);
    let awaited = client.customers().get(uuid::Uuid::nil()).await.unwrap();
    let sent = client
        .customers()
        .get(uuid::Uuid::nil())
        .send()
        .await
        .unwrap();
    assert_eq!(awaited, sent);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].url, requests[1].url);
    // The future is `Send`, so it can be spawned on a multi-threaded runtime.
    let owned = client.clone();
    let spawned = tokio::spawn(async move {
        owned
            .customers()
            .update(uuid::Uuid::nil(), CustomerUpdate::new().clear_email())
            .await
    });
    spawned.await.unwrap().unwrap();
}

#[tokio::test]
async fn union_branch_converts_into_the_request_body() {
    let server = server().await;
    let client = client(&server);
    client
        .customers()
        .create(CustomerIndividualCreate::new("ada@example.com"))
        .send()
        .await
        .unwrap();
    client
        .customers()
        .create(CustomerTeamCreate::new().name("Analytical Engines"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent_bodies(&server).await,
        [
            r#"{"type":"individual","email":"ada@example.com"}"#,
            r#"{"name":"Analytical Engines","type":"team"}"#
        ]
    );
}

#[test]
fn tagged_union_branch_has_its_tag_filled_in() {
    let benefit: BenefitCreate =
        BenefitCustomCreate::new("Priority support", BenefitCustomCreateProperties::new()).into();
    assert_eq!(benefit.tag(), Some("custom"));
    assert_eq!(
        serde_json::to_string(&benefit).unwrap(),
        r#"{"type":"custom","description":"Priority support","properties":{}}"#
    );
}

#[test]
fn metadata_values_convert_from_plain_rust_values() {
    let metadata = [
        ("plan", MetadataValue::from("pro")),
        ("seats", 5.into()),
        ("ratio", 0.5.into()),
        ("beta", true.into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect::<std::collections::BTreeMap<_, _>>();
    let body = CustomerIndividualCreate::new("ada@example.com").metadata(metadata);
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"metadata":{"beta":true,"plan":"pro","ratio":0.5,"seats":5},"type":"individual","email":"ada@example.com"}"#
    );
}

#[test]
fn field_values_and_setters_build_the_same_value() {
    let mut by_fields = CustomerUpdate::default();
    by_fields.name = Some(None);
    by_fields.email = Some(Some("ada@example.com".into()));
    let by_setters = CustomerUpdate::new().clear_name().email("ada@example.com");
    assert_eq!(by_fields, by_setters);
    // A setter after `clear_…` sends the value again.
    assert_eq!(
        serde_json::to_string(&CustomerUpdate::new().clear_name().name("Ada")).unwrap(),
        r#"{"name":"Ada"}"#
    );
    let _: CustomerCreate = by_team();
}

fn by_team() -> CustomerCreate {
    CustomerTeamCreate::new().into()
}
