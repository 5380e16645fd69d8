//! The operations `spec/overlays/010-restore-catalog-actions.yaml` restores.

/// `(METHOD, path)` of each operation the overlay restores.
pub const RESTORED_ROUTES: &[(&str, &str)] = &[
    ("POST", "/v1/members/"),
    ("GET", "/v1/members/{id}"),
    ("PATCH", "/v1/members/{id}"),
    ("DELETE", "/v1/members/{id}"),
    ("GET", "/v1/organization-access-tokens/"),
    ("POST", "/v1/organization-access-tokens/"),
    ("PATCH", "/v1/organization-access-tokens/{id}"),
    ("DELETE", "/v1/organization-access-tokens/{id}"),
];
