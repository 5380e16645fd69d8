//! `paginate`: every item of every page, stopping at `max_page`, on an empty page or
//! after the first error.

mod runtime_support;

use std::cell::RefCell;

use futures_util::StreamExt;
use polar::__private::paginate;
use polar::__private::{Execute, Method};
use polar::Error;
use runtime_support::{builder, received, spec};
use wiremock::matchers::{method, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs `paginate` over fake pages (`pages[n - 1]` is page n) and returns the items and
/// the pages requested.
async fn collect(
    first_page: i64,
    pages: Vec<Vec<u32>>,
    max_page: i64,
) -> (Vec<Result<u32, Error>>, Vec<i64>) {
    let calls = RefCell::new(Vec::new());
    let items = paginate(first_page, |page| {
        calls.borrow_mut().push(page);
        let items = pages.get(page as usize - 1).cloned().unwrap_or_default();
        async move { Ok((items, max_page)) }
    })
    .collect::<Vec<_>>()
    .await;
    (items, calls.into_inner())
}

fn ok(items: Vec<Result<u32, Error>>) -> Vec<u32> {
    items.into_iter().map(Result::unwrap).collect()
}

#[tokio::test]
async fn no_items() {
    let (items, calls) = collect(1, vec![], 0).await;
    assert!(items.is_empty());
    assert_eq!(calls, [1]);
}

#[tokio::test]
async fn one_page() {
    let (items, calls) = collect(1, vec![vec![1, 2]], 1).await;
    assert_eq!(ok(items), [1, 2]);
    assert_eq!(calls, [1]);
}

#[tokio::test]
async fn several_pages() {
    let (items, calls) = collect(1, vec![vec![1, 2], vec![3, 4], vec![5]], 3).await;
    assert_eq!(ok(items), [1, 2, 3, 4, 5]);
    assert_eq!(calls, [1, 2, 3]);
}

#[tokio::test]
async fn starts_at_the_given_page() {
    let (items, calls) = collect(2, vec![vec![1], vec![2], vec![3]], 3).await;
    assert_eq!(ok(items), [2, 3]);
    assert_eq!(calls, [2, 3]);
}

#[tokio::test]
async fn empty_page_stops_even_if_max_page_is_larger() {
    let (items, calls) = collect(1, vec![vec![1, 2], vec![]], 50).await;
    assert_eq!(ok(items), [1, 2]);
    assert_eq!(calls, [1, 2]);
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_stream() {
    let calls = RefCell::new(0);
    let items: Vec<Result<u32, Error>> = paginate(1, |page| {
        *calls.borrow_mut() += 1;
        async move {
            if page == 2 {
                Err(Error::Timeout {
                    operation_id: "items:list",
                    retries: 2,
                })
            } else {
                Ok((vec![10], 5))
            }
        }
    })
    .collect()
    .await;
    assert_eq!(items.len(), 2);
    assert_eq!(*items[0].as_ref().unwrap(), 10);
    assert!(matches!(items[1], Err(Error::Timeout { .. })));
    assert_eq!(calls.into_inner(), 2);
}

#[tokio::test]
async fn pages_through_the_http_client() {
    #[derive(serde::Deserialize)]
    struct Pagination {
        max_page: i64,
    }
    #[derive(serde::Deserialize)]
    struct ListResource {
        items: Vec<String>,
        pagination: Pagination,
    }

    let server = MockServer::start().await;
    for (page, items) in [("1", vec!["a", "b"]), ("2", vec!["c"])] {
        Mock::given(method("GET"))
            .and(query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "items": items,
                "pagination": {"total_count": 3, "max_page": 2},
            })))
            .mount(&server)
            .await;
    }
    let client = builder(&server.uri()).build().unwrap();
    let items: Vec<String> = paginate(1, |page| {
        let mut call = spec(Method::Get, "/v1/customers/");
        call.query.push("page", &page);
        call.query.push("limit", &2i64);
        let client = client.clone();
        async move {
            let list: ListResource = client.execute(call).await?.json()?;
            Ok((list.items, list.pagination.max_page))
        }
    })
    .map(Result::unwrap)
    .collect()
    .await;
    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(received(&server).await.len(), 2);
}
