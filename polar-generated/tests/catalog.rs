//! The workflow catalog: its data against `catalog.json` and the event types, its JSON
//! Schemas against its own examples, `Client::invoke` (decoding before sending, results
//! and errors as JSON, pages) and triggers as JSON, against a loopback mock.

use polar::catalog::{self, InvokeError, InvokeOptions, SampleSource, TriggerEvent};
use polar::Webhook;
use polar::{Client, WebhookEvent};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CUSTOMER_ID: &str = "0b6ae0f8-6e6b-4a4b-8d27-1c8a3a2c2b11";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .access_token("polar_oat_test")
        .build()
        .unwrap()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).unwrap_or_else(|err| panic!("invalid schema: {err}"))
}

/// A customer as the API returns it: the `data` of the catalog's `customer.created` example.
fn customer() -> Value {
    let mut customer = catalog::trigger("customer.created").unwrap().example()["data"].clone();
    customer["id"] = json!(CUSTOMER_ID);
    customer
}

async fn nothing_sent(server: &MockServer) {
    let received = server.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "sent {} request(s)", received.len());
}

#[test]
fn catalog_lists_every_event_and_operation_like_catalog_json() {
    let file: Value = serde_json::from_str(include_str!("../catalog.json")).unwrap();
    assert_eq!(file["catalog_version"], catalog::CATALOG_VERSION);

    let events: Vec<&str> = catalog::triggers().iter().map(|t| t.event_type).collect();
    let mut known = WebhookEvent::EVENT_TYPES.to_vec();
    known.sort_unstable();
    assert_eq!(events, known);
    let file_events: Vec<&str> = file["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(events, file_events);

    let mut file_ids: Vec<&str> = file["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    file_ids.sort_unstable();
    let ids: Vec<&str> = catalog::actions().iter().map(|a| a.id).collect();
    assert_eq!(ids, file_ids);
    println!(
        "catalog: {} triggers, {} actions, {} groups",
        events.len(),
        ids.len(),
        catalog::groups().len()
    );
    assert_eq!((events.len(), ids.len()), (41, 194));
}

#[test]
fn every_schema_is_a_valid_2020_12_schema() {
    let mut count = 0;
    for action in catalog::actions() {
        for schema in [action.input_schema(), action.output_schema()] {
            jsonschema::meta::validate(&schema)
                .unwrap_or_else(|err| panic!("{}: {err}", action.id));
            validator(&schema);
            count += 1;
        }
    }
    for trigger in catalog::triggers() {
        validator(&trigger.payload_schema());
        count += 1;
    }
    assert_eq!(count, 194 * 2 + 41);
}

#[test]
fn every_trigger_example_validates_and_parses_into_its_variant() {
    for trigger in catalog::triggers() {
        let example = trigger.example();
        let schema = validator(&trigger.payload_schema());
        if let Err(err) = schema.validate(&example) {
            panic!(
                "{}: example does not validate at {}: {err}",
                trigger.event_type,
                err.instance_path()
            );
        }
        let event = WebhookEvent::from_slice(example.to_string().as_bytes())
            .unwrap_or_else(|err| panic!("{}: {err}", trigger.event_type));
        assert!(!event.is_unknown(), "{}", trigger.event_type);
        assert_eq!(event.event_type(), trigger.event_type);
    }
}

#[test]
fn input_schema_rejects_what_invoke_rejects() {
    let get = catalog::action("customers:get").unwrap();
    let schema = validator(&get.input_schema());
    assert!(schema.is_valid(&json!({ "id": CUSTOMER_ID })));
    assert!(!schema.is_valid(&json!({})), "missing id");
    assert!(
        !schema.is_valid(&json!({ "id": CUSTOMER_ID, "idd": 1 })),
        "unknown key"
    );
    assert!(!schema.is_valid(&json!({ "id": 5 })), "wrong type");
    // A merged union body: branch fields allowed, others not.
    let create = validator(&catalog::action("customers:create").unwrap().input_schema());
    assert!(create.is_valid(&json!({ "email": "a@example.com", "name": "A" })));
    assert!(!create.is_valid(&json!({ "email": "a@example.com", "nmae": "A" })));
}

#[tokio::test]
async fn unknown_action_names_close_matches_and_sends_nothing() {
    let server = MockServer::start().await;
    let err = client(&server)
        .invoke("customers:craete", json!({}))
        .await
        .unwrap_err();
    match &err {
        InvokeError::UnknownAction { id, close_matches } => {
            assert_eq!(id, "customers:craete");
            assert_eq!(close_matches.first(), Some(&"customers:create"));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("did you mean"), "{err}");
    nothing_sent(&server).await;
}

#[tokio::test]
async fn arguments_that_are_not_an_object_are_rejected() {
    let server = MockServer::start().await;
    for (arguments, got) in [
        (json!(null), "null"),
        (json!([CUSTOMER_ID]), "array"),
        (json!("x"), "string"),
    ] {
        let err = client(&server)
            .invoke("customers:get", arguments)
            .await
            .unwrap_err();
        assert!(
            matches!(err, InvokeError::NotAnObject { action: "customers:get", got: g } if g == got),
            "{err:?}"
        );
    }
    nothing_sent(&server).await;
}

#[tokio::test]
async fn unknown_argument_is_rejected_with_close_matches() {
    let server = MockServer::start().await;
    let err = client(&server)
        .invoke("customers:get", json!({ "id": CUSTOMER_ID, "idd": 1 }))
        .await
        .unwrap_err();
    match &err {
        InvokeError::UnknownArgument {
            name,
            close_matches,
            ..
        } => {
            assert_eq!(name, "idd");
            assert_eq!(close_matches, &vec!["id"]);
        }
        other => panic!("{other:?}"),
    }
    nothing_sent(&server).await;
}

#[tokio::test]
async fn missing_and_mistyped_arguments_name_the_path() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client.invoke("customers:get", json!({})).await.unwrap_err();
    assert!(
        matches!(&err, InvokeError::MissingArgument { path, .. } if path == "id"),
        "{err:?}"
    );
    let err = client
        .invoke("customers:get", json!({ "id": 5 }))
        .await
        .unwrap_err();
    match &err {
        InvokeError::InvalidArgument { path, message, .. } => {
            assert_eq!(path, "id");
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // A body field, nested: the path goes down to the value.
    for (id, arguments, expected) in [
        (
            "customers:update",
            json!({ "id": CUSTOMER_ID, "billing_address": { "country": 5 } }),
            "billing_address.country",
        ),
        (
            "discounts:update",
            json!({ "id": CUSTOMER_ID, "products": [5] }),
            "products[0]",
        ),
    ] {
        let err = client.invoke(id, arguments).await.unwrap_err();
        assert!(
            matches!(&err, InvokeError::InvalidArgument { path, .. } if path == expected),
            "{err:?}"
        );
    }
    // A union body says which branches failed and why.
    let err = client
        .invoke(
            "checkout-links:create",
            json!({ "product_id": CUSTOMER_ID, "payment_processor": "stripe", "label": 7 }),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, InvokeError::InvalidArgument { message, .. } if message.contains("integer `7`, expected a string")),
        "{err:?}"
    );
    // A body missing its required field.
    let err = client.invoke("events:ingest", json!({})).await.unwrap_err();
    assert!(
        matches!(&err, InvokeError::MissingArgument { path, .. } if path == "events"),
        "{err:?}"
    );
    nothing_sent(&server).await;
}

#[tokio::test]
async fn invoke_calls_the_typed_method_and_returns_json() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/customers/{CUSTOMER_ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer()))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server)
        .invoke("customers:get", json!({ "id": CUSTOMER_ID }))
        .await
        .unwrap();
    assert_eq!(result["id"], CUSTOMER_ID);
    assert_eq!(result["email"], customer()["email"]);
    let output = validator(&catalog::action("customers:get").unwrap().output_schema());
    assert!(output.is_valid(&result));
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        request.headers.get("authorization").unwrap(),
        "Bearer polar_oat_test"
    );
}

#[tokio::test]
async fn api_errors_come_back_with_their_body_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({ "error": "ResourceNotFound", "detail": "Not found" })),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .invoke("customers:get", json!({ "id": CUSTOMER_ID }))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(err.was_sent());
    assert_eq!(err.error_body().unwrap()["detail"], "Not found");
    assert!(
        matches!(&err, InvokeError::Api(e) if e.api_body().is_some()),
        "{err:?}"
    );
}

fn page(items: Vec<Value>, page: i64, max_page: i64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "items": items,
        "pagination": { "total_count": 3, "max_page": max_page },
        "_page": page,
    }))
}

#[tokio::test]
async fn paginated_actions_return_one_page_or_every_item() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/customers/"))
        .and(query_param("page", "2"))
        .respond_with(page(vec![customer()], 2, 2))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers/"))
        .respond_with(page(vec![customer(), customer()], 1, 2))
        .mount(&server)
        .await;
    let client = client(&server);
    let one = client
        .invoke("customers:list", json!({ "email": "a@example.com" }))
        .await
        .unwrap();
    assert_eq!(one["items"].as_array().unwrap().len(), 2);
    let all = client
        .invoke_with("customers:list", json!({}), InvokeOptions::all_pages())
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    assert_eq!(all["pagination"]["max_page"], 2);
    let output = validator(&catalog::action("customers:list").unwrap().output_schema());
    assert!(output.is_valid(&all));
    // A single value for a list filter is a list of one.
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0]
        .url
        .query()
        .unwrap_or_default()
        .contains("email=a%40example.com"));
}

#[test]
fn verified_delivery_gives_json_payload_dedupe_key_and_trigger() {
    let webhook = Webhook::new("whsec_c2VjcmV0LWtleQ==").unwrap();
    let example = catalog::trigger("order.paid").unwrap().example();
    let body = example.to_string();
    let now = chrono::Utc::now().timestamp();
    let headers = webhook
        .signed_headers("msg_42", now, body.as_bytes())
        .unwrap();
    let event = TriggerEvent::verify(&webhook, body.as_bytes(), &headers).unwrap();
    assert_eq!(event.dedupe_key(), "msg_42");
    assert_eq!(event.event_type, "order.paid");
    assert_eq!(event.payload, example);
    assert_eq!(event.trigger().map(|t| t.event_type), Some("order.paid"));
    assert!(matches!(event.event, WebhookEvent::OrderPaid(_)));

    // An event type this crate does not know: still JSON, no trigger.
    let body = br#"{"type":"order.teleported","data":{"id":"x"}}"#;
    let headers = webhook.signed_headers("msg_43", now, body).unwrap();
    let event = TriggerEvent::verify(&webhook, body, &headers).unwrap();
    assert_eq!(event.payload["data"]["id"], "x");
    assert!(event.trigger().is_none());

    // A bad signature is still refused.
    let bad = webhook.signed_headers("msg_44", now, b"{}").unwrap();
    assert!(TriggerEvent::verify(&webhook, body, &bad).is_err());
}

#[tokio::test]
async fn subscribe_and_unsubscribe_manage_a_webhook_endpoint() {
    let server = MockServer::start().await;
    let endpoint = json!({
        "created_at": "2026-01-01T00:00:00Z", "modified_at": null,
        "id": CUSTOMER_ID, "url": "https://example.com/hook", "name": null,
        "format": "raw", "secret": "polar_whs_abc", "organization_id": CUSTOMER_ID,
        "events": ["order.paid"], "enabled": true,
    });
    Mock::given(method("POST"))
        .and(path("/v1/webhooks/endpoints"))
        .respond_with(ResponseTemplate::new(201).set_body_json(endpoint))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/webhooks/endpoints/{CUSTOMER_ID}")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let subscription = client
        .subscribe("https://example.com/hook", &["order.paid"])
        .await
        .unwrap();
    assert_eq!(subscription.endpoint_id, CUSTOMER_ID);
    assert_eq!(subscription.secret, "polar_whs_abc");
    assert!(!format!("{subscription:?}").contains("polar_whs_abc"));
    let sent: Value = server.received_requests().await.unwrap()[0]
        .body_json()
        .unwrap();
    assert_eq!(sent["events"], json!(["order.paid"]));
    assert_eq!(sent["url"], "https://example.com/hook");
    client.unsubscribe(&subscription.endpoint_id).await.unwrap();

    let err = client
        .subscribe("https://example.com/hook", &["order.payed"])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("order.paid"), "{err}");
}

#[tokio::test]
async fn trigger_sample_uses_the_newest_item_else_the_example() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/"))
        .and(query_param("sorting", "-created_at"))
        .and(query_param("limit", "1"))
        .respond_with(page(vec![customer()], 1, 1))
        .mount(&server)
        .await;
    let client = client(&server);
    let sample = client.trigger_sample("customer.created").await.unwrap();
    assert_eq!(sample.source, SampleSource::Live);
    assert_eq!(sample.payload["type"], "customer.created");
    assert_eq!(sample.payload["data"]["id"], CUSTOMER_ID);
    let schema = validator(
        &catalog::trigger("customer.created")
            .unwrap()
            .payload_schema(),
    );
    assert!(schema.is_valid(&sample.payload));

    // No mock for orders: the list fails (404), the example stands in.
    let sample = client.trigger_sample("order.paid").await.unwrap();
    assert_eq!(sample.source, SampleSource::Example);
    assert_eq!(
        sample.payload,
        catalog::trigger("order.paid").unwrap().example()
    );
    assert!(client.trigger_sample("order.payed").await.is_err());
}

/// A list that never ends: every page says another one follows.
#[tokio::test]
async fn all_pages_stops_at_its_cap_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/customers/"))
        .respond_with(page(vec![customer(), customer()], 1, i64::MAX))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client
        .invoke_with(
            "customers:list",
            json!({}),
            InvokeOptions::all_pages().max_pages(5),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            InvokeError::PageLimit {
                pages: 5,
                items: 10,
                limit: "max_pages",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
    let err = client
        .invoke_with(
            "customers:list",
            json!({}),
            InvokeOptions::all_pages().max_items(3),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            InvokeError::PageLimit {
                pages: 2,
                limit: "max_items",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("max_items"), "{err}");
    // The default cap ends an endless list too.
    let err = client
        .invoke_with("customers:list", json!({}), InvokeOptions::all_pages())
        .await
        .unwrap_err();
    assert!(matches!(err, InvokeError::PageLimit { .. }), "{err:?}");
}

/// `..` as an id would be resolved away by URL parsing: `/v1/customers/external/..`
/// becomes `/v1/customers/`, the customer list.
#[tokio::test]
async fn dot_and_empty_path_parameters_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for bad in ["..", ".", ""] {
        let err = client
            .invoke("customers:get_external", json!({ "external_id": bad }))
            .await
            .unwrap_err();
        assert!(!err.was_sent(), "{bad:?}: {err:?}");
        let err = client.customers().get_external(bad).await.unwrap_err();
        assert!(
            matches!(err, polar::Error::InvalidRequest { .. }),
            "{bad:?}: {err:?}"
        );
        assert!(err.to_string().contains("external_id"), "{err}");
    }
    nothing_sent(&server).await;
}

/// Reserved and non-ASCII characters stay inside their path segment, in every position.
#[tokio::test]
async fn path_parameters_are_percent_encoded_in_every_position() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = client(&server);
    let value = "a/b?c#d%e é..";
    let encoded = "a%2Fb%3Fc%23d%25e%20%C3%A9..";
    let _ = client.customers().members().get_external(value, "x").await;
    let _ = client.customers().members().get_external("x", value).await;
    let _ = client
        .invoke(
            "customers:members:get_external",
            json!({ "external_id": value, "member_external_id": value }),
        )
        .await;
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            format!("/v1/customers/external/{encoded}/members/x"),
            format!("/v1/customers/external/x/members/{encoded}"),
            format!("/v1/customers/external/{encoded}/members/{encoded}"),
        ]
    );
}
