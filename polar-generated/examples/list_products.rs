//! Quick start: list every product, page by page, with a filter.
//!
//! ```text
//! POLAR_ACCESS_TOKEN=polar_oat_... POLAR_ENVIRONMENT=sandbox cargo run --example list_products
//! ```

use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), polar::Error> {
    let client = polar::Client::from_env()?;
    let mut products = std::pin::pin!(client.products().list().is_archived(false).stream());
    while let Some(product) = products.try_next().await? {
        println!("{} {}", product.id, product.name);
    }
    Ok(())
}
