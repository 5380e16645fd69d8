//! Create a customer with the request model's constructor, then handle the typed errors
//! the spec declares for the call.
//!
//! ```text
//! POLAR_ACCESS_TOKEN=polar_oat_... POLAR_ENVIRONMENT=sandbox cargo run --example create_customer -- ada@example.com
//! ```

use polar::models::CustomerIndividualCreate;
use polar::{ApiErrorBody, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let email = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ada@example.com".to_owned());
    let client = polar::Client::from_env()?;
    // Required fields are constructor arguments; optional ones are chained setters.
    let request = CustomerIndividualCreate::new(email).name("Ada Lovelace");
    match client.customers().create(request).await {
        Ok(customer) => println!("created {customer:?}"),
        Err(err) => match err.api_body() {
            Some(ApiErrorBody::HttpValidationError(invalid)) => {
                for problem in invalid.detail.iter().flatten() {
                    eprintln!("rejected: {}", problem.msg);
                }
            }
            _ => return Err(err),
        },
    }
    Ok(())
}
