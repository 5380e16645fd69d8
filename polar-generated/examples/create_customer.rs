//! Create a customer, then handle the typed errors the spec declares for the call.
//!
//! ```text
//! POLAR_ACCESS_TOKEN=polar_oat_... POLAR_ENVIRONMENT=sandbox cargo run --example create_customer -- ada@example.com
//! ```

use polar::{models, ApiErrorBody, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let email = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ada@example.com".to_owned());
    let client = polar::Client::from_env()?;
    let body: models::CustomerCreate =
        serde_json::from_value(serde_json::json!({ "email": email })).map_err(|err| {
            Error::InvalidRequest {
                operation_id: Some("customers:create"),
                message: err.to_string(),
            }
        })?;
    match client.customers().create(body).send().await {
        Ok(customer) => println!("created {customer:?}"),
        Err(err) => match err.api_body() {
            Some(ApiErrorBody::HttpValidationError(invalid)) => eprintln!("rejected: {invalid:?}"),
            _ => return Err(err),
        },
    }
    Ok(())
}
