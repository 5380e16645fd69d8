//! Compiles and runs code shaped like the generator's output for a paginated list
//! operation, so that the runtime signatures the generator relies on cannot drift.

mod runtime_support;

use futures_util::StreamExt;
use polar::runtime::request::{Auth, Body, Expect, Method, RequestSpec};
use polar::{ApiErrorBody, Client, RequestOptions};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[allow(dead_code)]
mod models {
    #[derive(Debug, Clone, serde::Deserialize)]
    pub struct Pagination {
        pub total_count: i64,
        pub max_page: i64,
    }
    #[derive(Debug, Clone, serde::Deserialize)]
    pub struct Customer {
        pub id: String,
    }
    #[derive(Debug, Clone, serde::Deserialize)]
    pub struct ListResourceCustomer {
        pub items: Vec<Customer>,
        pub pagination: Pagination,
    }
}

fn decode_resource_not_found(bytes: &[u8]) -> Result<ApiErrorBody, serde_json::Error> {
    serde_json::from_slice(bytes).map(ApiErrorBody::ResourceNotFound)
}

fn decode_http_validation_error(bytes: &[u8]) -> Result<ApiErrorBody, serde_json::Error> {
    serde_json::from_slice(bytes).map(ApiErrorBody::ResourceNotFound)
}

#[derive(Clone)]
struct CustomersList<'a> {
    client: &'a Client,
    page: Option<i64>,
    email: Option<String>,
    options: RequestOptions,
}

impl<'a> CustomersList<'a> {
    fn page(mut self, page: i64) -> Self {
        self.page = Some(page);
        self
    }

    fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    async fn send(self) -> Result<models::ListResourceCustomer, polar::Error> {
        let mut query = polar::runtime::query::Query::new();
        query.push_opt("email", &self.email);
        query.push_opt("page", &self.page);
        let spec = RequestSpec {
            operation_id: "customers:list",
            method: Method::Get,
            path: "/v1/customers/".to_string(),
            path_template: "/v1/customers/",
            query,
            headers: vec![],
            body: Body::None,
            auth: Auth::AccessToken,
            expect: Expect::Json,
            errors: &[
                (404, decode_resource_not_found),
                (422, decode_http_validation_error),
            ],
            options: self.options,
        };
        self.client.execute(spec).await?.json()
    }

    fn stream(
        self,
    ) -> impl futures_core::Stream<Item = Result<models::Customer, polar::Error>> + 'a {
        polar::runtime::pagination::paginate(self.page.unwrap_or(1), move |page| {
            let builder = self.clone().page(page);
            async move {
                let response = builder.send().await?;
                Ok((response.items, response.pagination.max_page))
            }
        })
    }
}

#[tokio::test]
async fn generated_list_builder_pages_through_the_client() {
    let server = MockServer::start().await;
    for page in 1..=2 {
        Mock::given(method("GET"))
            .and(path("/v1/customers/"))
            .and(wiremock::matchers::query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "items": [{"id": format!("c{page}")}],
                "pagination": {"total_count": 2, "max_page": 2},
            })))
            .mount(&server)
            .await;
    }
    let client = runtime_support::builder(&server.uri()).build().unwrap();
    let list = CustomersList {
        client: &client,
        page: None,
        email: Some("a@b.c".into()),
        options: RequestOptions::default(),
    }
    .options(RequestOptions::new().max_retries(0));
    let ids: Vec<String> = list
        .stream()
        .map(|customer| customer.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["c1", "c2"]);
    let requests = runtime_support::received(&server).await;
    assert_eq!(
        requests[1].url.query(),
        Some("email=a%40b.c&page=2"),
        "each page keeps the other parameters"
    );
}
