//! Comparing operation paths by shape.

/// `/v1/x/{id}/` and `/v1/x/{x_id}` compare equal: no trailing slash, parameter
/// names erased.
pub fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.trim_end_matches('/').chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize_path;

    #[test]
    fn parameter_names_and_trailing_slashes_are_erased() {
        assert_eq!(normalize_path("/v1/seats/{seat_id}/"), "/v1/seats/{}");
        assert_eq!(normalize_path("/v1/seats/{id}"), "/v1/seats/{}");
        assert_eq!(
            normalize_path("/v1/customer-seats"),
            normalize_path("/v1/customer-seats/")
        );
    }
}
