//! Quick start: list every product, page by page, with a filter.
//!
//! ```text
//! POLAR_ACCESS_TOKEN=polar_oat_... POLAR_ENVIRONMENT=sandbox cargo run --example list_products
//! ```

#[tokio::main]
async fn main() -> Result<(), polar::Error> {
    let client = polar::Client::from_env()?;
    // `stream()` fetches the next page only when this one is used up; no other crate needed.
    let mut products = client.products().list().is_archived(false).stream();
    while let Some(product) = products.next().await {
        let product = product?;
        println!("{} {}", product.id, product.name);
    }
    Ok(())
}
