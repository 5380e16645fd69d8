//! Every operation is reachable through the public client API: the generated
//! dispatcher calls `client.<group>()...<method>(..).send()` for each operationId.

#[rustfmt::skip]
#[path = "support/operation_calls.rs"]
mod operation_calls;

use polar::{Client, Error, RequestOptions};
use serde_json::Map;

#[tokio::test]
async fn every_operation_id_dispatches_to_its_builder() {
    // A closed loopback port: calls that get past argument decoding fail fast as network errors.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder()
        .base_url(&base)
        .access_token("polar_oat_test")
        .customer_session_token("polar_cst_test")
        .member_session_token("polar_mst_test")
        .max_retries(0)
        .build()
        .unwrap();
    let _ = RequestOptions::default();
    let (mut missing_args, mut sent) = (0, 0);
    for id in operation_calls::OPERATION_IDS {
        let result = operation_calls::call(&client, id, &Map::new())
            .await
            .unwrap_or_else(|| panic!("{id} is not dispatched"));
        match result {
            Err(operation_calls::CallError::Argument { .. }) => missing_args += 1,
            Err(operation_calls::CallError::Api(Error::Network { .. })) => sent += 1,
            other => panic!("{id}: unexpected result {other:?}"),
        }
    }
    assert!(
        operation_calls::call(&client, "no:such:operation", &Map::new())
            .await
            .is_none()
    );
    assert_eq!(missing_args + sent, operation_calls::OPERATION_IDS.len());
    assert!(sent > 0 && missing_args > 0);
    println!(
        "dispatch: {} operations ({missing_args} need arguments, {sent} sent)",
        operation_calls::OPERATION_IDS.len()
    );
}
