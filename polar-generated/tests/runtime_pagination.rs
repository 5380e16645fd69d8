//! `Paginator`: every item of every page, stopping at `max_page`, on an empty page or
//! after the first error; walked as a `Stream`, with `next()`, `next_page()` or
//! `collect_all(cap)`.

mod runtime_support;

use std::sync::Mutex;
use std::time::Duration;

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
    let calls = Mutex::new(Vec::new());
    let items = paginate("items:list", first_page, |page| {
        calls.lock().unwrap().push(page);
        let items = pages.get(page as usize - 1).cloned().unwrap_or_default();
        async move { Ok((items, max_page)) }
    })
    .collect::<Vec<_>>()
    .await;
    (items, calls.into_inner().unwrap())
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
    let calls = Mutex::new(0);
    let items: Vec<Result<u32, Error>> = paginate("items:list", 1, |page| {
        *calls.lock().unwrap() += 1;
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
    assert_eq!(calls.into_inner().unwrap(), 2);
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
    let items: Vec<String> = paginate("customers:list", 1, |page| {
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

/// A paginator over fake pages (`pages[n - 1]` is page n, `max_page` is their count) that
/// records the pages it fetched.
fn fake_pages<'a>(pages: &'a [Vec<u32>], calls: &'a Mutex<Vec<i64>>) -> polar::Paginator<'a, u32> {
    paginate("items:list", 1, move |page| {
        calls.lock().unwrap().push(page);
        let items = pages.get(page as usize - 1).cloned().unwrap_or_default();
        let max_page = pages.len() as i64;
        async move { Ok((items, max_page)) }
    })
}

#[tokio::test]
async fn next_walks_item_by_item_without_stream_ext() {
    let (pages, calls) = (vec![vec![1, 2], vec![3]], Mutex::new(Vec::new()));
    let mut items = fake_pages(&pages, &calls);
    let mut seen = Vec::new();
    while let Some(item) = polar::Paginator::next(&mut items).await {
        seen.push(item.unwrap());
        // Pages are fetched only when the previous one is used up.
        assert_eq!(
            calls.lock().unwrap().len(),
            if seen.len() < 3 { 1 } else { 2 }
        );
    }
    assert_eq!(seen, [1, 2, 3]);
    assert!(items.next().await.is_none(), "stays finished");
    assert_eq!(*calls.lock().unwrap(), [1, 2]);
}

#[tokio::test]
async fn next_page_hands_out_whole_pages_and_the_rest_of_a_started_one() {
    let (pages, calls) = (vec![vec![1, 2, 3], vec![4, 5]], Mutex::new(Vec::new()));
    let mut items = fake_pages(&pages, &calls);
    assert_eq!(items.next().await.unwrap().unwrap(), 1);
    assert_eq!(items.next_page().await.unwrap().unwrap(), [2, 3]);
    assert_eq!(items.next_page().await.unwrap().unwrap(), [4, 5]);
    assert!(items.next_page().await.is_none());
    assert_eq!(*calls.lock().unwrap(), [1, 2]);
}

#[tokio::test]
async fn collect_all_returns_every_item_up_to_the_cap() {
    let (pages, calls) = (vec![vec![1, 2], vec![3, 4]], Mutex::new(Vec::new()));
    let all = fake_pages(&pages, &calls).collect_all(4).await.unwrap();
    assert_eq!(all, [1, 2, 3, 4]);
}

#[tokio::test]
async fn collect_all_fails_past_the_cap_without_fetching_further_pages() {
    let pages = vec![vec![1, 2], vec![3, 4], vec![5]];
    let calls = Mutex::new(Vec::new());
    let err = fake_pages(&pages, &calls).collect_all(3).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooManyItems {
                operation_id: "items:list",
                max_items: 3
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("more than 3 items"), "{err}");
    assert_eq!(*calls.lock().unwrap(), [1, 2], "page 3 is never fetched");
    let calls = Mutex::new(Vec::new());
    let err = fake_pages(&pages, &calls).collect_all(0).await.unwrap_err();
    assert!(matches!(err, Error::TooManyItems { max_items: 0, .. }));
}

#[tokio::test]
async fn a_dropped_next_future_resumes_the_page_being_fetched() {
    let calls = Mutex::new(Vec::new());
    let mut items = paginate("items:list", 1, |page| {
        calls.lock().unwrap().push(page);
        async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            Ok((vec![page as u32 * 10], 1))
        }
    });
    // The first `next()` is cancelled while its page is in flight.
    let cancelled = tokio::time::timeout(Duration::from_millis(10), items.next()).await;
    assert!(cancelled.is_err());
    assert_eq!(items.next().await.unwrap().unwrap(), 10);
    assert!(items.next().await.is_none());
    assert_eq!(*calls.lock().unwrap(), [1], "the page was fetched once");
}
