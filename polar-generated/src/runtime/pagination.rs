//! Streams over every item of a paginated list operation (`x-polar-pagination`).

use std::future::Future;

use futures_core::Stream;

use crate::Error;

/// Pages through a list operation, yielding its items one by one.
///
/// `fetch(page)` loads one page (numbered from 1 in Polar's API) and returns its items and
/// the `max_page` reported by the server. The stream stops after the page where
/// `page >= max_page`, or at the first empty page (so a wrong `max_page` cannot make it
/// loop). An error is yielded once and ends the stream. Pages are fetched lazily, one at a
/// time, as the stream is polled.
///
/// Generated list builders call it from their `stream()` method:
///
/// ```ignore
/// crate::runtime::pagination::paginate(self.page.unwrap_or(1), move |page| {
///     let builder = self.clone().page(page);
///     async move {
///         let response = builder.send().await?;
///         Ok((response.items, response.pagination.max_page))
///     }
/// })
/// ```
pub fn paginate<'a, T, F, Fut>(
    first_page: i64,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + 'a
where
    T: 'a,
    F: FnMut(i64) -> Fut + 'a,
    Fut: Future<Output = Result<(Vec<T>, i64), Error>> + 'a,
{
    let state = State {
        fetch,
        next_page: Some(first_page),
        buffer: Vec::new().into_iter(),
    };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.next() {
                return Some((Ok(item), state));
            }
            let page = state.next_page?;
            match (state.fetch)(page).await {
                Ok((items, max_page)) => {
                    state.next_page = if items.is_empty() || page >= max_page {
                        None
                    } else {
                        Some(page + 1)
                    };
                    state.buffer = items.into_iter();
                }
                Err(err) => {
                    state.next_page = None;
                    return Some((Err(err), state));
                }
            }
        }
    })
}

struct State<F, T> {
    fetch: F,
    /// The page to fetch once `buffer` is drained; `None` when done.
    next_page: Option<i64>,
    buffer: std::vec::IntoIter<T>,
}
