//! Deliberately invalid requests, sent through the raw request path: the mock's
//! validation error must reach the caller as a typed `Error::Api` (422 or 400), and the
//! harness must see the mock's `sl-violations` report (which proves that the violation
//! check the operation rounds rely on works).

use std::sync::{Arc, Mutex};

use polar::__private::Query;
use polar::__private::{Auth, Body, Execute, Expect, Method, RequestSpec};
use polar::{Client, Error, RequestOptions};

use crate::observe::Observed;

struct Case {
    what: &'static str,
    method: Method,
    path: &'static str,
    query: &'static [(&'static str, &'static str)],
    body: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        what: "create a customer without the required `email`",
        method: Method::Post,
        path: "/v1/customers/",
        query: &[],
        body: Some(r#"{"name": "No Email"}"#),
    },
    Case {
        what: "create a checkout link without the required `products`",
        method: Method::Post,
        path: "/v1/checkout-links/",
        query: &[],
        body: Some(r#"{"payment_processor": "stripe"}"#),
    },
    Case {
        what: "metrics without the required `start_date`/`end_date`/`interval` query",
        method: Method::Get,
        path: "/v1/metrics/",
        query: &[],
        body: None,
    },
    Case {
        what: "list customers with a non-integer `limit`",
        method: Method::Get,
        path: "/v1/customers/",
        query: &[("limit", "many")],
        body: None,
    },
];

pub struct Outcome {
    pub cases: usize,
    pub passed: usize,
    pub failures: Vec<String>,
}

pub async fn run(client: &Client, observed: &Arc<Mutex<Vec<Observed>>>) -> Outcome {
    let mut outcome = Outcome {
        cases: CASES.len(),
        passed: 0,
        failures: Vec::new(),
    };
    for case in CASES {
        let mut query = Query::new();
        for (name, value) in case.query {
            query.push_raw(*name, (*value).to_owned());
        }
        let spec = RequestSpec {
            operation_id: "conformance:invalid",
            method: case.method,
            path: case.path.to_owned(),
            path_template: "/conformance/invalid",
            query,
            headers: vec![],
            body: case
                .body
                .map_or(Body::None, |b| Body::Json(b.as_bytes().to_vec())),
            auth: Auth::AccessToken,
            expect: Expect::Json,
            errors: &[],
            options: RequestOptions::new(),
        };
        observed.lock().unwrap().clear();
        let result = client.execute(spec).await;
        let violations: Vec<String> = observed
            .lock()
            .unwrap()
            .iter()
            .flat_map(|o| o.request_violations().map(|v| v.to_string()))
            .collect();
        let problem = match result {
            Err(Error::Api { status, .. }) if status == 422 || status == 400 => {
                if violations.is_empty() {
                    Some(format!(
                        "rejected with {status} but no request violation reported"
                    ))
                } else {
                    None
                }
            }
            Err(other) => Some(format!("expected Error::Api 422/400, got {other:?}")),
            Ok(response) => Some(format!(
                "accepted with status {}, expected a 422/400 rejection",
                response.status()
            )),
        };
        match problem {
            None => outcome.passed += 1,
            Some(problem) => outcome
                .failures
                .push(format!("invalid request ({}): {problem}", case.what)),
        }
    }
    outcome
}
