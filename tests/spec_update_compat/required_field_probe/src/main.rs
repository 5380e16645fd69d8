//! Built against the 2026-07-21 SDK: names every required field of
//! `OrganizationCustomerEmailSettings` as it was then. The 2026-10 spec adds a required
//! one, which `cargo xtask diff` reports as breaking; this program must then stop
//! compiling (so the compatibility check can fail).

use polar::models::{OrganizationCustomerEmailSettings, OrganizationCustomerEmailSettingsRequired};

fn main() {
    let settings =
        OrganizationCustomerEmailSettings::new(OrganizationCustomerEmailSettingsRequired {
        // REQUIRED_FIELDS
    });
    println!("{settings:?}");
}
